"""Prose reader: recaps, synopses and articles about a drama.

The reader only *reads*: it finds the story text, splits it into sentences and quotations,
and keeps the page furniture aside. Attribution, characters and scene dynamics come later.

Rules
=====

**Lines and paragraphs.** Lines end at ``\\r\\n``, ``\\n`` or ``\\r`` (the source text is never
normalised; every span indexes the decoded text verbatim). A blank line separates blocks.
Inside a block, each line is its own paragraph when the block is written one line per
paragraph (every line but the last ends a sentence, as web articles pasted to text are);
otherwise the block is hard-wrapped and its lines are joined into one paragraph. Headings
(``# ...``, marker lines, short lines without final punctuation followed by a capitalised
line) and list items (``- ...``, ``1. ...``) are always paragraphs of their own.

**Sentences.** One ``NARRATION`` element per sentence, ``attrs["paragraph"]`` (0-based over
the story paragraphs of the document, furniture not counted) and ``attrs["sentence"]``
(0-based within the paragraph). The splitter is rule based: a run of ``. ! ? … ?!`` (and the
CJK ``。！？``), optionally followed by closing quotes/brackets, then white space, then
something that does not start in lower case. No split after titles and common
abbreviations (Mr. Dr. Ms. St. vs. e.g. i.e. ...), after ``No./Ep./Vol./Jan.`` before a
number, after initials (``J. K.``) or dotted acronyms, inside decimals, and never inside a
quotation. A piece without letters (``1.``, ``...``) is merged into its neighbour.

**Quotations.** Straight ``"..."``, curly ``“...”``, straight ``'...'``, curly ``‘...’``,
guillemets and CJK corner brackets become ``DIALOGUE`` elements with ``speaker=None``.
The element's **span includes the quote marks** (they are markup, and spans cover markup);
``text`` is the cleaned content without them. ``attrs``: ``sentence_ref`` (the index, in
``scene.elements``, of the NARRATION sentence containing the quotation; the sentence is
kept too), ``paragraph``, ``sentence``, ``quote`` (``double``, ``curly-double``, ``single``,
``curly-single``, ``guillemet``, ``corner``) and ``short`` (True for a scare quote: at most
three words and no sentence punctuation). A single quote opens only after the start,
space or punctuation and before a non-space, non-digit; it closes only after a non-space
and before space, punctuation or the end; an apostrophe between letters or digits
(``I'm``, ``5'11``) is never a boundary. An opener pairs with the next closer of its style
within the paragraph (the latest opener wins, so ``'em ... 'no'`` pairs ``'no'``); a quote
nested inside another is not a separate element.

**Page furniture** goes to ``doc.furniture`` as ``NOTE`` elements with
``attrs["furniture"]`` in: ``share`` (share widgets: ``• 0``, ``facebook``, ``Share on X``,
``Tweet``, ``Pin it``, and a row of them split by ``|`` / ``·`` / ``•``: ``Share on
Facebook | Share on X | Copy link``), ``also-read`` (ALSO READ:, Related:, You may also like...),
``read-more``, ``watch`` (Watch the video here), ``comments`` (... in the comments below),
``click``, ``ad``, ``subscribe``, ``byline`` (By X | Updated on ...), ``date``, ``credit``
(Photo: ...), ``tags``, ``nav`` (breadcrumbs, Next article), ``spoiler`` (SPOILER ALERT),
``markup`` (a piece that is only markup, e.g. ``<br>``),
``headline-repeat`` (a later line equal to the headline) and ``separator`` (a line without
letters). Recognition is by generic patterns on whole lines, never by site names.

**Front matter.** The first non-furniture line, when it looks like a headline (at most 25
words, no final period, more text after it), is ``doc.title``; it stays in the story as
NARRATION with ``attrs["role"]="headline"``. The standfirst right after it (one line of at
most two sentences, followed by furniture, or set in emphasis) is ``doc.attrs["dek"]`` and
NARRATION with ``attrs["role"]="dek"``: it often names the actors, so later stages read it.
Other headings get ``attrs["role"]="heading"``.

**Episodes and scenes.** A *marker* is a heading line such as ``Episode 9``,
``EPISODE 3 RECAP``, ``Ep. 2: The Kiss``, ``## Episode 4``, ``Scene 2``, ``Part 1``,
``Chapter 3`` or ``True Beauty Episode 9`` (drama name before the number). Each marker is a
``SECTION`` element (``attrs["role"]="marker"``) that starts a new scene whose ``heading``
is the marker text, with ``attrs["episode"]`` (and ``attrs["drama"]``, ``number`` for
scene/part markers) when given; the text before the first marker is scene 0 (front
matter) when it is not empty. Without markers the whole text is one scene. ``doc.episode``
is set only when exactly one episode number is the subject: the one distinct number among
markers, or, without markers, among all mentions (``episode 9``, ``Ep. 9``, ``S01E09``,
``episode nine``), else the one named by the title, else the one of the ``In episode N``
style mentions.

**Markdown.** ``#`` heading marks, ``>`` quote marks, list bullets, ``*emphasis*``,
``__strong__``, `` `code` ``, ``[text](url)`` links, images and HTML tags/entities are
removed from element text (any input, not only ``.md``); spans keep the raw markup.

**Errors.** Text without any letter raises ``ParseError("no prose text found")``; text
that is all furniture gives a Document without scenes and a warning.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import ParseError
from ..model import Document, Element, ElementKind, LineIndex, Scene

if TYPE_CHECKING:
    from . import Source

# ---------------------------------------------------------------------------- lines

_LINE_BREAK = re.compile(r"\r\n|[\n\r]")
_BULLET = r"[•·▪◦‣∙●○■□➤►▶✓✔\-*+–—]"
_LEAD_BULLETS = re.compile(rf"^\s*(?:{_BULLET}\s*)+")
_LIST_ITEM = re.compile(r"^\s*(?:[•·▪◦‣∙●○■□➤►▶✓✔\-*+]\s+|\d{1,3}[.)]\s+)\S")
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+\S")
_SETEXT_UNDERLINE = re.compile(r"^\s{0,3}(?:=+|-+)\s*$")
_FIRST_LINE_PREFIX = re.compile(rf"^\s*(?:#{{1,6}}\s+|(?:>\s?)+|{_BULLET}\s+|\d{{1,3}}[.)]\s+)*")
_QUOTE_PREFIX = re.compile(r"^\s*(?:>\s?)+")
_TRAILING_HASHES = re.compile(r"\s+#+\s*$")

_TERMINAL_END = re.compile(r"[.!?…。！？‽][\"'”’」』»)\]*_]*\s*$")


@dataclass(slots=True)
class _Line:
    index: int  # 0-based line number in the source
    start: int  # offset of the first non-space char
    end: int  # offset after the last non-space char
    raw: str  # source[start:end]
    clean: str = ""  # cleaned text (markdown removed, bullets kept out)
    furniture: str | None = None
    marker: _Marker | None = None
    role: str | None = None  # headline | dek | heading
    continuation: bool = False  # a wrapped line continuing the previous one


@dataclass(slots=True)
class _Marker:
    kind: str  # episode | scene | part | chapter | act
    number: str | None
    episode: int | None
    episodes: list[int]
    drama: str | None


@dataclass(slots=True)
class _Para:
    start: int
    end: int
    lines: list[_Line]
    role: str | None = None
    marker: _Marker | None = None


@dataclass(slots=True)
class _State:
    text: str
    index: LineIndex
    doc: Document
    furniture: list[Element] = field(default_factory=list)


# ---------------------------------------------------------------------------- cleaning

_IMAGE = re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)")
_LINK = re.compile(r"\[([^\]\n]+)\]\((?:[^)\s]*)(?:\s+\"[^\"\n]*\")?\)")
_REF_LINK = re.compile(r"\[([^\]\n]+)\]\[[^\]\n]*\]")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EM_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")
_EM_UNDER = re.compile(r"(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])")
_CODE = re.compile(r"`([^`]+)`")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])")


def _inline(s: str) -> str:
    if "[" in s:
        s = _IMAGE.sub(r"\1", s)
        s = _LINK.sub(r"\1", s)
        s = _REF_LINK.sub(r"\1", s)
    if "<" in s:
        s = _AUTOLINK.sub(r"\1", s)
        s = _TAG.sub("", s)
    if "*" in s or "_" in s:
        s = _STRONG.sub(r"\2", s)
        s = _EM_STAR.sub(r"\1", s)
        s = _EM_UNDER.sub(r"\1", s)
    if "`" in s:
        s = _CODE.sub(r"\1", s)
    if "\\" in s:
        s = _ESCAPE.sub(r"\1", s)
    if "&" in s:
        s = html.unescape(s)
    return s


def clean(raw: str, *, first_line_prefix: bool = True) -> str:
    """Element text from raw source: line prefixes and inline markdown removed, spaces collapsed."""
    lines = _LINE_BREAK.split(raw)
    out: list[str] = []
    for i, ln in enumerate(lines):
        if i == 0 and first_line_prefix:
            ln = _FIRST_LINE_PREFIX.sub("", ln, count=1)
            if ln != lines[0] and lines[0].lstrip().startswith("#"):
                ln = _TRAILING_HASHES.sub("", ln)
        else:
            ln = _QUOTE_PREFIX.sub("", ln, count=1)
        out.append(ln)
    return " ".join(_inline(" ".join(out)).split())


def _has_letter(s: str) -> bool:
    return any(c.isalpha() for c in s)


# ---------------------------------------------------------------------------- furniture

_SOCIAL_STRONG = (
    r"facebook|twitter|whatsapp|whats app|pinterest|linkedin|reddit|tumblr|telegram"
    r"|messenger|kakaotalk|kakao|instagram|flipboard|weibo|wechat|threads|bluesky|koo"
)
_SOCIAL_WEAK = r"x|line|mail|e-?mail|print|sms|copy|copy link|copy url|link|save|like|more"
_SHARE_STRONG = re.compile(
    rf"^(?:(?:{_SOCIAL_STRONG})(?: share| icon| logo)?"
    r"|share|shares|tweet|tweet this|pin it|pin this|share this|share it|share now"
    r"|share (?:on|via|to|with|this|article|story|post|page|the|using|by)(?: [\w'’-]+){0,3}"
    r"|(?:share|post) (?:to|on) (?:" + _SOCIAL_STRONG + r"|x)"
    r"|\d[\d.,]*\s*[km]?\s*(?:shares?|comments?|likes?|views?|reactions?))[.!:]?$",
    re.I,
)
_SHARE_WEAK = re.compile(rf"^(?:{_SOCIAL_WEAK}|\d[\d.,]*\s*[km]?)$", re.I)
_SHARE_SEP = re.compile(r"\s*[|·•]\s*")
_ALSO_READ = re.compile(
    r"^(?:also read|read also|also see|see also|also watch|must read|must watch|don'?t miss"
    r"|dont miss|you may also like|you might also like|you may also enjoy|recommended"
    r"(?: for you| reading| stories| articles)?|related(?: articles?| stories| posts?| news"
    r"| reading| content| links?| videos?)?|more (?:from|on|stories|news|like this)(?: [\w'’-]+){0,3}"
    r"|trending(?: now| stories| news)?|popular(?: now| stories| posts)?|most read|up next"
    r"|next up|read next|latest(?: news| stories)?|in case you missed it|icymi|top stories"
    r"|more k-?dramas?)"
    r"(?:\s*[:|>»›\-–—]+\s*.*|\s*)$",
    re.I,
)
_ALSO_READ_STRICT = re.compile(r"^(?:also read|read also|must read|icymi)\b", re.I)
_READ_MORE = re.compile(
    r"^(?:read more|read the full (?:story|article|recap|review)|continue reading|read on|keep reading"
    r"|full story|read full (?:story|article))\b(?:\s*(?:[:|>»›\-–—.]|here|below|at|on|about).*)?$",
    re.I,
)
_WATCH = re.compile(
    r"^(?:(?:you can|you may|click (?:here )?to|tap (?:here )?to|go|check out|catch|be sure to"
    r"|don'?t forget to|make sure to|scroll down to) )?(?:watch|view|see|stream|check out|catch)\b"
    r".*\b(?:here|below|above|now|link)\b[\s.!:>»›)\]*_]*$",
    re.I,
)
_WATCH_LABEL = re.compile(
    r"^(?:watch|video|watch the (?:video|trailer|teaser|clip|scene)|(?:video|trailer|teaser|clip)\s*(?:here)?)"
    r"\s*[:|>»›\-–—]+.*$|^\(?(?:watch|video)\)?[:.!]?$",
    re.I,
)
_COMMENTS = re.compile(
    r"\b(?:(?:in|into|on|to|at|via|through) the comments?(?: section| box)?(?: below| down below)?"
    r"|comments? (?:section |box )?below|comment below|leave (?:a|your) comments?"
    r"|drop (?:a|your) comments?|sound off below|let us know below)\b",
    re.I,
)
_COMMENTS_LEAD = re.compile(
    r"^(?:let us know|tell us|share your (?:thoughts|views|opinion|take)|what do you think"
    r"|what are your thoughts|do you agree|are you excited|did you (?:like|enjoy|love))\b.*"
    r"(?:comment|below|let us know|tell us|thoughts)",
    re.I,
)
_CLICK = re.compile(r"\b(?:click|tap) here\b|^(?:click|tap)\b.*\b(?:here|below|link)\b", re.I)
_AD = re.compile(
    r"^(?:advertisement|advertisment|advert|ad|ads|sponsored(?: content| post| story)?|promoted"
    r"|paid (?:content|partnership)|story continues below(?: this)?(?: advertisement| ad)?"
    r"|(?:article|story) continues (?:below|after (?:this )?(?:ad|advertisement))"
    r"|continue reading below|scroll to continue(?: with content)?|skip ad|close ad)[.!:]?$",
    re.I,
)
_SUBSCRIBE = re.compile(
    r"^(?:subscribe|sign up|follow us|follow (?:@|\w+ on )|join (?:us|our)|get our (?:newsletter|app)"
    r"|download (?:the|our) app|newsletter|get the latest|stay updated|stay tuned to)\b",
    re.I,
)
_BYLINE = re.compile(
    r"^(?i:(?:written|posted|reported|edited|compiled|story|words|recap|review|text)\s+)?(?i:by)\s*:?\s+"
    r"@?(?:[A-Z][\w.'’\-]*\s*){1,4}(?:$|[|•·,/–—\-]|\s+(?:on|updated|published|posted)\b)",
)
_BYLINE_KEY = re.compile(r"^(?:author|writer|reporter|editor|written by|posted by)\s*:\s*\S", re.I)
_DATE_KEY = re.compile(
    r"^(?:published|updated|posted|last updated|first published|modified|last modified"
    r"|created|date)(?: on| at)?\s*:?\s*\S.*\d",
    re.I,
)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DATE_LINE = re.compile(
    rf"^(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\.?,?\s+\d{{4}}"
    rf"|{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}"
    rf"|\d{{1,2}}[-/.]\d{{1,2}}[-/.]\d{{2,4}})\b[\w\s:,.|+()\-–]*$",
    re.I,
)
_CREDIT = re.compile(
    r"^\(?(?:photo|photos|image|images|picture|pictures|pic|pics|still|stills|source|credit|credits"
    r"|image credit|image source|photo credit|photo credits|picture credit|picture courtesy"
    r"|courtesy|screenshot|screengrab|featured image|cover image|poster)"
    r"(?:\s+(?:credit|credits|courtesy|source))?\s*[:\-–—|]",
    re.I,
)
_TAGS = re.compile(
    r"^(?:tags?|tagged|topics?|filed under|categories|category|keywords)\s*[:|]", re.I
)
_NAV = re.compile(
    r"^(?:home\s*[>»/|›].*|back to top|load more|show comments|view comments|hide comments"
    r"|\d*\s*comments?|comments?\s*\(\d+\)|next article|previous article|next post|previous post"
    r"|next story|previous story|prev|next|previous|menu|search|sign in|log in|login|skip to content"
    r"|table of contents|contents|follow|listen to this article|print this article"
    r"|\d+\s*min(?:ute)?s? read|reading time.*)[.!:]?$",
    re.I,
)
_SPOILER = re.compile(
    r"^(?:\W*(?:warning\W+)?(?:major |minor |mild |heavy )?spoilers?(?: alert| ahead| warning| below"
    r"| follow| included)?(?: for [\w\s,'’:]+)?\W*)$",
    re.I,
)


def _furniture_kind(clean_line: str, raw: str, title_key: str | None) -> tuple[str | None, bool]:
    """(kind or None, weak). Weak kinds count only next to other share lines or after a bullet."""
    s = _LEAD_BULLETS.sub("", clean_line).strip()
    bulleted = s != clean_line.strip() or bool(_LEAD_BULLETS.match(raw))
    if not _has_letter(s):
        if s and _SHARE_WEAK.match(s):  # a count next to share buttons: "• 0"
            return "share", not bulleted
        return "separator", False
    words = len(s.split())
    if title_key is not None and _key(s) == title_key:
        return "headline-repeat", False
    if words <= 8 and _SHARE_STRONG.match(s):
        return "share", False
    if words <= 16 and _SHARE_SEP.search(s):
        # a row of share buttons: "Share on Facebook | Share on X | Copy link"
        parts = [p for p in (q.strip() for q in _SHARE_SEP.split(s)) if p]
        if (
            len(parts) >= 2
            and all(_SHARE_STRONG.match(p) or _SHARE_WEAK.match(p) for p in parts)
            and any(_SHARE_STRONG.match(p) for p in parts)
        ):
            return "share", False
    if words <= 3 and _SHARE_WEAK.match(s):
        return "share", not bulleted
    if words <= 30 and _ALSO_READ_STRICT.match(s):
        return "also-read", False
    if (
        words <= 30
        and _ALSO_READ.match(s)
        and (words <= 4 or re.match(r"^[^:|>»›\-–—]{1,40}[:|>»›]", s))
    ):
        return "also-read", False
    if words <= 12 and _READ_MORE.match(s):
        return "read-more", False
    if words <= 40 and (_COMMENTS.search(s) or _COMMENTS_LEAD.match(s)):
        return "comments", False
    if words <= 15 and (_WATCH.match(s) or _WATCH_LABEL.match(s)):
        return "watch", False
    if words <= 12 and _CLICK.search(s):
        return "click", False
    if words <= 8 and _AD.match(s):
        return "ad", False
    if words <= 25 and _SUBSCRIBE.match(s):
        return "subscribe", False
    if words <= 20 and (_BYLINE.match(s) or _BYLINE_KEY.match(s)):
        return "byline", False
    if words <= 15 and _DATE_KEY.match(s):
        return "byline", False
    if words <= 12 and _DATE_LINE.match(s):
        return "date", False
    if words <= 25 and _CREDIT.match(s):
        return "credit", False
    if words <= 40 and _TAGS.match(s):
        return "tags", False
    if words <= 6 and _NAV.match(s):
        return "nav", not bulleted and words <= 1
    if words <= 12 and _SPOILER.match(s):
        return "spoiler", False
    return None, False


def _key(s: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", s.casefold()).split())


# ---------------------------------------------------------------------------- markers

_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
_ORDINALS = {
    w: i
    for i, w in enumerate(
        [
            "zeroth",
            "first",
            "second",
            "third",
            "fourth",
            "fifth",
            "sixth",
            "seventh",
            "eighth",
            "ninth",
            "tenth",
            "eleventh",
            "twelfth",
            "thirteenth",
            "fourteenth",
            "fifteenth",
            "sixteenth",
            "seventeenth",
            "eighteenth",
            "nineteenth",
            "twentieth",
        ]
    )
}
_NUM = r"(?:\d{1,4}|[ivxlc]{1,7}\b|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
_MARKER_WORD = r"(?P<kind>episodes?|eps?\.?|scenes?|parts?|chapters?|acts?)"
_PURE_MARKER = re.compile(
    rf"^{_MARKER_WORD}\s*(?:no\.?\s*)?#?\s*(?P<num>{_NUM})"
    rf"(?:\s*(?:[-–—&/,+]|and|to)\s*(?P<num2>{_NUM}))?(?![\w'’])(?P<rest>.*)$",
    re.I,
)
_DRAMA_MARKER = re.compile(
    r"^(?P<drama>.{1,80}?)[\s,:|\-–—(]+(?P<kind>episodes?|eps?\.?)\s*#?\s*(?P<num>\d{1,4})"
    r"(?:\s*(?:[-–—&/,+]|and|to)\s*(?P<num2>\d{1,4}))?(?![\w'’])(?P<rest>.*)$",
    re.I,
)
_SXXEXX = re.compile(r"\bS\d{1,2}\s?E(\d{1,4})\b", re.I)
_EPISODE_MENTION = re.compile(
    r"\b(?:episode|ep\.|ep(?=\s?\d))\s*(?:no\.?\s*)?#?\s*(?P<num>\d{1,4}|"
    + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
    + r")(?![\w'’])"
    rf"(?:\s*(?:[-–—&]|and|to)\s*(?P<num2>\d{{1,4}})(?![\w'’]))?"
    rf"|\b(?P<ord>{'|'.join(sorted(_ORDINALS, key=len, reverse=True))})\s+episode\b",
    re.I,
)
_SUBJECT_MENTION = re.compile(
    r"(?:^|[.!?]\s+)(?:in|during|on|at the (?:start|end|beginning) of|throughout|by the end of)"
    r"\s+(?:the\s+)?(?:episode|ep\.?)\s*#?\s*\d|(?:episode|ep\.?)\s*#?\s*\d{1,4}\s*(?:recap|review|summary|of)\b",
    re.I,
)
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


def _num_value(s: str | None) -> int | None:
    if s is None:
        return None
    t = s.lower()
    if t.isdigit():
        return int(t)
    if t in _NUMBER_WORDS:
        return _NUMBER_WORDS[t]
    if t in _ORDINALS:
        return _ORDINALS[t]
    if t and all(c in _ROMAN for c in t):
        total = 0
        for i, c in enumerate(t):
            v = _ROMAN[c]
            total += -v if i + 1 < len(t) and _ROMAN[t[i + 1]] > v else v
        return total if total > 0 else None
    return None


def _is_heading_shape(s: str, words_max: int = 12) -> bool:
    return (
        0 < len(s.split()) <= words_max
        and len(s) <= 120
        and not re.search(r"[.!?…]['\"”’)]*$", s)
        and _has_letter(s)
    )


def _parse_marker(s: str, raw: str) -> _Marker | None:
    """``s`` is the cleaned line. A marker is a heading-shaped line naming an episode/scene/part."""
    words = len(s.split())
    md_heading = bool(_MD_HEADING.match(raw))
    m = _PURE_MARKER.match(s)
    if m:
        rest = m.group("rest").strip()
        ok = not rest or (
            words <= 14
            and (md_heading or not re.search(r"[.!?…]['\"”’)]*$", s) or len(rest) <= 2)
            and (
                not rest[0].isalnum()
                or re.match(
                    r"(?i)(recap|review|summary|preview|highlights?|spoilers?|finale|"
                    r"premiere|ending|explained|opening|rewind)\b",
                    rest,
                )
                or md_heading
                or s.isupper()
                or words <= 6
            )
        )
        if ok:
            kind = m.group("kind").lower().rstrip(".s")
            kind = {"ep": "episode", "episode": "episode"}.get(kind, kind)
            n1, n2 = _num_value(m.group("num")), _num_value(m.group("num2"))
            eps: list[int] = []
            if kind == "episode":
                eps = [n for n in (n1, n2) if n is not None]
            return _Marker(
                kind=kind,
                number=m.group("num"),
                episode=eps[0] if len(eps) == 1 else None,
                episodes=eps,
                drama=None,
            )
    if _is_heading_shape(s) or (md_heading and words <= 16):
        d = _DRAMA_MARKER.match(s)
        if d:
            drama = d.group("drama").strip(" \t,:|-–—(\"'“”‘’")
            if drama.lower() in ("in", "on", "the", "of", "from", "during", "after", "before"):
                return None
            if not drama[:1].isupper() and not drama[:1].isdigit() and not md_heading:
                return None
            eps = [n for n in (_num_value(d.group("num")), _num_value(d.group("num2"))) if n]
            return _Marker(
                kind="episode",
                number=d.group("num"),
                episode=eps[0] if len(eps) == 1 else None,
                episodes=eps,
                drama=drama or None,
            )
    return None


def _episode_mentions(s: str) -> list[int]:
    found: list[int] = []
    for m in _EPISODE_MENTION.finditer(s):
        for g in ("num", "num2", "ord"):
            v = _num_value(m.group(g))
            if v:
                found.append(v)
    for m in _SXXEXX.finditer(s):
        found.append(int(m.group(1)))
    return found


# ---------------------------------------------------------------------------- quotes

# style -> (openers, closers, symmetric)
_QUOTE_STYLES: list[tuple[str, str, str]] = [
    ("double", '"', '"'),
    ("curly-double", "“", "”"),
    ("guillemet", "«", "»"),
    ("corner", "「", "」"),
    ("corner", "『", "』"),
    ("single", "'", "'"),
    ("curly-single", "‘", "’"),
]
_MAX_QUOTE = {"single": 400, "curly-single": 400}
_DEFAULT_MAX_QUOTE = 1500


def _word(c: str) -> bool:
    """A letter or digit of a spaced script. CJK and Hangul text puts particles right after
    a closing quote ("가지 마"라고), so those letters never block a quote boundary."""
    return c.isalnum() and ord(c) < 0x2E80


def _can_open(p: str, i: int, single: bool) -> bool:
    prev = p[i - 1] if i > 0 else " "
    nxt = p[i + 1] if i + 1 < len(p) else " "
    if _word(prev) or nxt.isspace():
        return False
    return not (single and nxt.isdigit())


def _can_close(p: str, i: int) -> bool:
    prev = p[i - 1] if i > 0 else " "
    nxt = p[i + 1] if i + 1 < len(p) else " "
    return not prev.isspace() and not _word(nxt)


def find_quotes(p: str) -> list[tuple[int, int, str]]:
    """Quotation regions in paragraph ``p``: (start of opening mark, end after closing mark, style)."""
    regions: list[tuple[int, int, str]] = []
    for style, op, cl in _QUOTE_STYLES:
        if op not in p:
            continue
        single = style in ("single", "curly-single")
        limit = _MAX_QUOTE.get(style, _DEFAULT_MAX_QUOTE)
        pending: int | None = None
        for i, ch in enumerate(p):
            if ch != op and ch != cl:
                continue
            if single and 0 < i < len(p) - 1 and _word(p[i - 1]) and _word(p[i + 1]):
                continue  # an apostrophe between letters: I'm, Seo Jun's, 5'11
            is_open = ch == op and (_can_open(p, i, single) if op == cl or single else True)
            is_close = ch == cl and (_can_close(p, i) if op == cl or single else True)
            if pending is not None and is_close:
                if i - pending <= limit:
                    regions.append((pending, i + 1, style))
                    pending = None
                    continue
                pending = None
            if is_open:
                pending = i
    regions.sort(key=lambda r: (r[0], -r[1]))
    kept: list[tuple[int, int, str]] = []
    for r in regions:
        if kept and r[0] < kept[-1][1]:
            continue  # nested in (or crossing) an earlier quotation
        kept.append(r)
    return kept


# ---------------------------------------------------------------------------- sentences

_TERM = re.compile(r"(?:\.(?:[ \t]?\.){2,}|[.!?…‽。！？]+)[\"'”’」』»)\]*_]*")
_CJK_TERM = set("。！？")
_ALWAYS_ABBR = {
    "mr", "mrs", "ms", "mx", "dr", "prof", "st", "sr", "jr", "mt", "ft", "gen", "col", "capt",
    "cpt", "lt", "sgt", "maj", "rev", "hon", "messrs", "mme", "mlle", "vs", "v", "fig", "figs",
    "approx", "dept", "esp", "cf", "viz", "al", "ca", "pres", "gov", "sen", "rep", "supt", "insp",
    "det", "cmdr", "adm", "brig", "corp", "inc", "ltd", "co", "bros", "assn", "ave", "blvd",
}  # fmt: skip
_NUMBER_ABBR = {
    "no", "nos", "ep", "eps", "vol", "vols", "ch", "chap", "pt", "pts", "p", "pp", "art", "sec",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "ed",
    "s", "e", "op", "ser", "fig", "tel", "ex", "para", "ref", "min", "hr", "hrs", "approx",
}  # fmt: skip
_NEVER_SPLIT_DOTTED = {"e.g", "i.e", "viz", "cf", "et al", "a.k.a", "aka"}
_OPENERS = set("\"'“‘«「『([")


def _is_boundary(p: str, m: re.Match[str]) -> bool:
    term = m.group(0)
    end = m.end()
    if term[0] in _CJK_TERM:
        return True
    if end < len(p) and not p[end].isspace():
        return False
    j = end
    n = len(p)
    while j < n and (p[j].isspace() or p[j] in "*_>#"):
        j += 1
    if j >= n:
        return True
    nxt = p[j]
    if nxt.islower():
        return False
    if not (nxt.isalpha() or nxt.isdigit() or nxt in _OPENERS):
        return nxt not in ",;:)]}….!?"
    core = term.rstrip("\"'”’」』»)]*_")
    if core != ".":
        return True
    # A single period: abbreviations, initials, numbered references.
    k = m.start()
    w0 = k
    while w0 > 0 and not p[w0 - 1].isspace() and p[w0 - 1] not in "(\"'“‘[":
        w0 -= 1
    word = p[w0:k]
    low = word.lower()
    if not word:
        return True
    if low in _ALWAYS_ABBR:
        return False
    if low in _NEVER_SPLIT_DOTTED:
        return False
    if low in _NUMBER_ABBR and nxt.isdigit():
        return False
    if len(word) == 1 and word.isalpha() and word.isupper():
        return False  # an initial: J. K. Rowling, Kim J. Soo
    if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word):
        return low in ("a.m", "p.m")  # dotted acronyms (U.S., K.O.) do not end sentences
    return True


def split_sentences(p: str, quotes: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """Sentence (start, end) offsets in paragraph ``p``, stripped of surrounding space."""
    cuts: list[int] = []
    qi = 0
    for m in _TERM.finditer(p):
        pos = m.end()
        # quotations are sorted and disjoint: skip those that end before pos
        while qi < len(quotes) and quotes[qi][1] <= pos:
            qi += 1
        if qi < len(quotes) and quotes[qi][0] < pos < quotes[qi][1]:
            continue  # never split inside a quotation
        if _is_boundary(p, m):
            cuts.append(pos)
    bounds: list[tuple[int, int]] = []
    prev = 0
    for c in [*cuts, len(p)]:
        seg = p[prev:c]
        a = prev + (len(seg) - len(seg.lstrip()))
        b = prev + len(seg.rstrip())
        if b > a:
            bounds.append((a, b))
        prev = c
    # A piece without letters joins the next sentence ("1. The kiss."), or the previous one
    # when it is the last (":)").
    merged: list[tuple[int, int]] = []
    carry: int | None = None
    for a, b in bounds:
        if carry is not None:
            a, carry = carry, None
        if not _has_letter(p[a:b]):
            carry = a
            continue
        merged.append((a, b))
    if carry is not None:
        if merged:
            merged[-1] = (merged[-1][0], bounds[-1][1])
        else:
            merged.append((carry, bounds[-1][1]))
    return merged


# ---------------------------------------------------------------------------- reading


def _split_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    pos = 0
    for idx, m in enumerate([*_LINE_BREAK.finditer(text), None]):
        stop = m.start() if m else len(text)
        seg = text[pos:stop]
        stripped = seg.strip()
        if stripped:
            a = pos + (len(seg) - len(seg.lstrip()))
            b = pos + len(seg.rstrip())
            lines.append(_Line(idx, a, b, text[a:b]))
        else:
            lines.append(_Line(idx, pos, pos, ""))
        if m is None:
            break
        pos = m.end()
    return lines


def _ends_sentence(s: str) -> bool:
    return bool(_TERMINAL_END.search(s))


def _starts_upper(s: str) -> bool:
    t = _LEAD_BULLETS.sub("", s).lstrip("\"'“‘«「『([*_#> ")
    return bool(t) and (t[0].isupper() or t[0].isdigit() or (t[0].isalpha() and not t[0].islower()))


def _blocks(lines: list[_Line]) -> list[list[_Line]]:
    blocks: list[list[_Line]] = []
    cur: list[_Line] = []
    for ln in lines:
        if ln.raw:
            cur.append(ln)
        elif cur:
            blocks.append(cur)
            cur = []
    if cur:
        blocks.append(cur)
    return blocks


def _headline_like(ln: _Line) -> bool:
    s = ln.clean
    words = len(s.split())
    if not s or not _has_letter(s) or words > 25 or len(s) > 220:
        return False
    if re.search(r"[.,;:]['\"”’)]*$", s) and not s.endswith("..."):
        return False
    t = s.lstrip("\"'“‘«(")
    return bool(t) and not t[0].islower()


def read(source: Source, fmt: str) -> Document:
    text = source.text
    if not _has_letter(text):
        raise ParseError("no prose text found (no letters in the input)", line=1)
    doc = Document(source_text=text, source_format=fmt or "prose", encoding=source.encoding)
    st = _State(text, LineIndex(text), doc)
    lines = _split_lines(text)
    content = [ln for ln in lines if ln.raw]
    for ln in content:
        ln.clean = clean(ln.raw)

    # Setext headings ("Title" over "=====") : the underline is furniture, the line a heading.
    for a, b in zip(content, content[1:], strict=False):
        if b.index == a.index + 1 and _SETEXT_UNDERLINE.match(b.raw) and _has_letter(a.raw):
            b.furniture = "separator"
            a.role = "heading"

    title_line = _find_title(content)
    title_key = _key(title_line.clean) if title_line else None
    _mark_furniture(content, title_line, title_key)
    for ln in content:
        if ln.furniture is None and not ln.continuation:
            ln.marker = _parse_marker(ln.clean, ln.raw)
    if title_line is not None and title_line.marker is not None:
        # "True Beauty Episode 9 Recap" on top is the title, unless more markers follow.
        if any(ln.marker is not None for ln in content if ln is not title_line):
            title_line = None
        else:
            title_line.marker = None

    paras = _paragraphs(lines, title_line)
    st.furniture = [_furniture_element(st, ln) for ln in content if ln.furniture]
    _front_matter(doc, paras, content, title_line)
    doc.scenes = _build_scenes(st, paras)
    doc.furniture = sorted(st.furniture, key=lambda e: e.span.start_char)
    doc.episode = _doc_episode(paras, text, title_line)
    if not doc.scenes:
        doc.warn(None, "no story text found: every line is page furniture")
    return doc


_FUNCTION_WORD_END = re.compile(
    r"(?i)\b(?:a|an|the|of|to|and|or|but|in|on|at|for|with|by|from|as|that|his|her|their|is|was)$"
)


def _find_title(content: list[_Line]) -> _Line | None:
    """The first line that is not furniture, when it looks like a headline (see module doc)."""
    for i, ln in enumerate(content):
        if ln.furniture:
            continue
        kind, weak = _furniture_kind(ln.clean, ln.raw, None)
        if kind and not weak:
            continue
        if not _headline_like(ln) or _LIST_ITEM.match(ln.raw):
            return None
        if _PURE_MARKER.match(ln.clean) and _parse_marker(ln.clean, ln.raw) is not None:
            return None  # "Episode 3" on top is a marker, not a title
        rest = content[i + 1 :]
        if not any(_has_letter(o.raw) for o in rest):
            return None  # a lone line is the text, not its title
        nxt = rest[0]
        # No blank line after it: a title only if it cannot be a wrapped first line.
        if (
            nxt.index == ln.index + 1
            and not _MD_HEADING.match(ln.raw)
            and not nxt.furniture
            and _furniture_kind(nxt.clean, nxt.raw, None)[0] is None
        ):
            block = [o.raw for o in rest[:4] if o.index - ln.index <= 4]
            if (
                not _starts_upper(nxt.raw)
                or _FUNCTION_WORD_END.search(ln.clean)
                or len(ln.raw) > 0.75 * max(len(r) for r in block)
            ):
                return None
        return ln
    return None


def _mark_furniture(content: list[_Line], title_line: _Line | None, title_key: str | None) -> None:
    prev: _Line | None = None
    for ln in content:
        if ln.furniture is None and ln is not title_line:
            if (
                prev is not None
                and prev.index == ln.index - 1
                and prev.furniture is None
                and prev is not title_line
                and not _ends_sentence(prev.raw)
                and ln.raw[:1].islower()
            ):
                ln.continuation = True  # a wrapped line: never furniture on its own
            else:
                kind, weak = _furniture_kind(ln.clean, ln.raw, title_key)
                if kind:
                    ln.furniture = ("?" if weak else "") + kind
        prev = ln
    # Weak share-like lines ("0", "Email", "Next") count only next to real furniture.
    for i, ln in enumerate(content):
        if ln.furniture and ln.furniture.startswith("?"):
            near = [content[j] for j in (i - 1, i + 1) if 0 <= j < len(content)]
            if any(
                o.furniture and not o.furniture.startswith("?") and abs(o.index - ln.index) <= 2
                for o in near
            ):
                ln.furniture = ln.furniture[1:]
    for ln in content:
        if ln.furniture and ln.furniture.startswith("?"):
            ln.furniture = "separator" if not _has_letter(ln.raw) else None


def _continues(ln: _Line, nxt: _Line) -> bool:
    """Does ``ln`` run on into ``nxt`` (hard-wrapped text)?"""
    if nxt.index != ln.index + 1 or _ends_sentence(ln.raw):
        return False
    return nxt.continuation or 40 <= len(ln.raw) <= 100


def _standalone(ln: _Line, nxt: _Line | None, title_line: _Line | None) -> bool:
    if ln is title_line or ln.marker is not None or ln.role == "heading":
        return True
    if _MD_HEADING.match(ln.raw):
        return True
    if ln.continuation:
        return False
    if _LIST_ITEM.match(ln.raw):
        return True
    return (
        nxt is not None
        and len(ln.raw) < 40
        and _is_heading_shape(ln.clean)
        and _starts_upper(ln.raw)
        and _starts_upper(nxt.raw)
    )


def _paragraphs(lines: list[_Line], title_line: _Line | None) -> list[_Para]:
    paras: list[_Para] = []

    def flush(group: list[_Line]) -> None:
        if group:
            paras.append(_Para(group[0].start, group[-1].end, list(group)))

    for block in _blocks(lines):
        runs: list[list[_Line]] = [[]]
        for ln in block:
            if ln.furniture:
                runs.append([])
            else:
                runs[-1].append(ln)
        for run in runs:
            wrapped = any(
                _continues(ln, nx) for ln, nx in zip(run, run[1:], strict=False)
            ) and not all(_ends_sentence(ln.raw) or ln.marker for ln in run[:-1])
            group: list[_Line] = []
            for i, ln in enumerate(run):
                nxt = run[i + 1] if i + 1 < len(run) else None
                if _standalone(ln, nxt, title_line) and not (
                    group
                    and not _ends_sentence(group[-1].raw)
                    and not ln.marker
                    and not _MD_HEADING.match(ln.raw)
                    and ln.role != "heading"
                    and not _LIST_ITEM.match(ln.raw)
                ):
                    flush(group)
                    group = []
                    role = None
                    if ln.marker is not None:
                        role = "marker"
                    elif ln is not title_line and _is_heading_shape(ln.clean, 16):
                        role = "heading"
                    paras.append(_Para(ln.start, ln.end, [ln], role=role, marker=ln.marker))
                    continue
                starts_new = bool(group) and (
                    not wrapped or (_LIST_ITEM.match(ln.raw) and not ln.continuation)
                )
                if group and (ln.continuation or (wrapped and not starts_new)):
                    starts_new = False
                if starts_new:
                    flush(group)
                    group = []
                group.append(ln)
            flush(group)
    # Lowercase continuation lines after a standalone line (a wrapped list item) join it.
    out: list[_Para] = []
    for p in paras:
        last = out[-1] if out else None
        if (
            last is not None
            and p.lines[0].continuation
            and p.lines[0].index == last.lines[-1].index + 1
            and last.marker is None
        ):
            last.lines.extend(p.lines)
            last.end = p.end
            if last.role == "heading":
                last.role = None
            continue
        out.append(p)
    return out


def _front_matter(
    doc: Document, paras: list[_Para], content: list[_Line], title_line: _Line | None
) -> None:
    if title_line is None or not paras:
        return
    first = paras[0]
    if first.lines[0] is not title_line:
        return
    first.role = "headline"
    doc.title = title_line.clean
    if len(paras) < 2:
        return
    dek = paras[1]
    if dek.marker is not None or dek.role is not None or len(dek.lines) != 1:
        return
    ln = dek.lines[0]
    words = len(ln.clean.split())
    if not 3 <= words <= 60:
        return
    sentences = split_sentences(ln.raw, find_quotes(ln.raw))
    if len(sentences) > 2:
        return
    after = [o for o in content if o.index > ln.index]
    followed_by_furniture = bool(after) and after[0].furniture is not None
    emphasised = bool(re.fullmatch(r"\s*(\*{1,2}|_{1,2}).+\1\s*", ln.raw))
    if followed_by_furniture or emphasised:
        dek.role = "dek"
        doc.attrs["dek"] = ln.clean


def _furniture_element(st: _State, ln: _Line) -> Element:
    kind = ln.furniture or "other"
    text = _LEAD_BULLETS.sub("", ln.clean).strip() or ln.clean
    return Element(
        ElementKind.NOTE,
        text,
        st.index.span(ln.start, ln.end),
        attrs={"furniture": kind},
    )


def _build_scenes(st: _State, paras: list[_Para]) -> list[Scene]:
    text = st.text
    scenes: list[Scene] = []
    current: list[Element] = []
    current_marker: tuple[_Para, Element] | None = None
    has_markers = any(p.marker is not None for p in paras)

    def close() -> None:
        nonlocal current, current_marker
        if not current:
            return
        scene = Scene(index=len(scenes), elements=current)
        if current_marker is not None:
            para, el = current_marker
            mk = para.marker
            assert mk is not None
            scene.heading = el.text
            scene.attrs["marker"] = mk.kind
            if mk.episode is not None:
                scene.attrs["episode"] = mk.episode
            if len(mk.episodes) > 1:
                scene.attrs["episodes"] = mk.episodes
            if mk.drama:
                scene.attrs["drama"] = mk.drama
            if mk.kind in ("scene", "part", "chapter", "act") and mk.number:
                scene.number = mk.number
        elif has_markers:
            scene.attrs["front_matter"] = True
        scenes.append(scene)
        current = []
        current_marker = None

    for pi, para in enumerate(paras):
        if para.marker is not None:
            close()
            el = Element(
                ElementKind.SECTION,
                clean(text[para.start : para.end]),
                st.index.span(para.start, para.end),
                attrs={"role": "marker", "paragraph": pi},
            )
            if para.marker.episode is not None:
                el.attrs["episode"] = para.marker.episode
            current.append(el)
            current_marker = (para, el)
            continue
        _read_paragraph(st, para, pi, current)
    close()
    return scenes


def _read_paragraph(st: _State, para: _Para, pi: int, out: list[Element]) -> None:
    text = st.text
    p = text[para.start : para.end]
    base = para.start
    quotes = find_quotes(p)
    qi = 0
    for si, (a, b) in enumerate(split_sentences(p, quotes)):
        ref = len(out)
        el = Element(
            ElementKind.NARRATION,
            clean(p[a:b], first_line_prefix=si == 0),
            st.index.span(base + a, base + b),
            attrs={"paragraph": pi, "sentence": si},
        )
        if para.role:
            el.attrs["role"] = para.role
        if not el.text:  # only markup ("<br>", "**"): page furniture, not story
            st.furniture.append(
                Element(ElementKind.NOTE, p[a:b].strip(), el.span, attrs={"furniture": "markup"})
            )
            continue
        out.append(el)
        while qi < len(quotes) and quotes[qi][0] < a:
            qi += 1  # (only a quotation in a markup-only piece is passed over)
        while qi < len(quotes) and quotes[qi][0] < b:
            qa, qb, style = quotes[qi]
            qi += 1
            inner = clean(p[qa + 1 : qb - 1], first_line_prefix=False).rstrip(",;:")
            if not any(c.isalnum() for c in inner):
                continue
            words = len(inner.split())
            out.append(
                Element(
                    ElementKind.DIALOGUE,
                    inner,
                    st.index.span(base + qa, base + qb),
                    speaker=None,
                    attrs={
                        "sentence_ref": ref,
                        "paragraph": pi,
                        "sentence": si,
                        "quote": style,
                        "short": words <= 3 and not re.search(r"[.!?…]", inner),
                    },
                )
            )


def _doc_episode(paras: list[_Para], text: str, title_line: _Line | None) -> int | None:
    marker_eps = {e for p in paras if p.marker is not None for e in p.marker.episodes}
    if marker_eps:
        return next(iter(marker_eps)) if len(marker_eps) == 1 else None
    mentions: set[int] = set()
    subject: set[int] = set()
    for p in paras:
        s = clean(text[p.start : p.end])
        mentions.update(_episode_mentions(s))
        for m in _SUBJECT_MENTION.finditer(s):
            subject.update(_episode_mentions(s[m.start() : m.end() + 8])[:1])
    if len(mentions) == 1:
        return next(iter(mentions))
    if title_line is not None:
        t = set(_episode_mentions(title_line.clean))
        if len(t) == 1:
            return next(iter(t))
    if len(subject) == 1:
        return next(iter(subject))
    return None
