"""Plain-text screenplays as found online (IMSDb style): no markup, only indentation and capitals.

The reader is one linear pass over the lines with cheap tests:

1. Every line becomes a record ``(text, indent, start, end)``: the stripped text, its
   indentation in character columns (tabs expand to 8) and the offsets of the stripped text in
   the source. The PDF reader builds the same records from x-positions, so the classification
   core (:func:`classify_lines`) is shared.
2. The *action indent* is learnt per script: the most common indentation of long lines
   (action runs the full width of the page; dialogue is a narrow column). Everything else is
   judged relative to it and to the neighbouring lines, because real files drift: cues are
   centred in some scripts, and indents change from page to page in others.
3. Each line is classified. Page furniture (page numbers, ``(CONTINUED)``, ``CONTINUED:``,
   ``(MORE)``, page headers, omitted scenes, web-page debris) goes to ``doc.furniture``. A scene
   heading is an ``INT.``/``EXT.`` line, optionally numbered at one or both ends (the number
   goes to ``attrs["scene_number"]``), or any line numbered at both ends with the same scene
   number (shot headings in shooting scripts). A transition is an upper-case ``... TO:``
   line, a known one (``FADE IN:``, ``FADE OUT.``), or an upper-case ``...:`` line far to the
   right. A character cue is a short upper-case line indented well past the action and
   directly followed by a parenthetical or by text further left (the dialogue column); the
   lines after it, up to a blank line, are dialogue and parentheticals. Anything else is
   action, one element per paragraph. Revision asterisks at the right margin are ignored.
4. Everything before the story is the title page (and, in files saved from script sites,
   web-page debris): it goes to ``doc.furniture`` and feeds ``doc.title`` and
   ``doc.title_page`` (``title``, ``credit``, ``author``, ``draft date``, other credits). The
   story starts at the first heading, transition, cue or prose paragraph at the action
   indent, taken back over action just before it that reads like story ("BLACK.").

Element text is cleaned (lines joined with one space, runs of spaces collapsed, scene numbers
stripped); spans cover the raw source from the first to the last non-blank character of the
element. A cue ``JUNO (V.O.)`` has ``speaker="JUNO"``, ``extension="V.O."``; ``(CONT'D)``
sets ``attrs["contd"]``. Dialogue and parentheticals carry the speaker too.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from typing import TYPE_CHECKING, NamedTuple

from ..model import Document, Element, ElementKind, LineIndex, Span
from ..scenes import group_by_headings

if TYPE_CHECKING:
    from . import Source

__all__ = ["LineRec", "Classified", "classify_lines", "split_lines", "parse_cue", "read"]


class LineRec(NamedTuple):
    """One source line: stripped text, indentation (columns), offsets of the stripped text.

    A blank line has ``text == ""`` (its offsets are ignored).
    """

    text: str
    indent: float
    start: int
    end: int


@dataclass(slots=True)
class Classified:
    """What :func:`classify_lines` found."""

    elements: list[Element] = field(default_factory=list)
    furniture: list[Element] = field(default_factory=list)
    title: str | None = None
    title_page: dict[str, str] = field(default_factory=dict)
    action_indent: float = 0.0
    cues: int = 0
    headings: int = 0


# --- cheap line tests ---------------------------------------------------------------------

_NUM = r"[A-Z]?\d{1,4}[A-Z]{0,2}(?:-[A-Z0-9]{1,3})?"
_LEAD_NUM = re.compile(rf"^(?P<num>{_NUM})\.?\s+(?=\S)")
_TRAIL_NUM = re.compile(rf"(?<=\S)\s+(?P<num>{_NUM})\.?$")
_HEAD_IE = re.compile(
    r"^(?:INT\.?\s*/\s*EXT|EXT\.?\s*/\s*INT|INT|EXT|EST|I\s*/\s*E|E\s*/\s*I)(?:[.。]\s*|\s+)\S",
    re.IGNORECASE,
)
_PAGE_NUM = re.compile(r"^(?:page\s+)?\d{1,3}[A-Z]?\.?$|^-\s*\d{1,3}\s*-$", re.IGNORECASE)
_PAGE_HEADER = re.compile(r"\S\s{4,}\d{1,3}[A-Z]?\.$")
# "Blue Rev. 3/4/11  25." / "Goldenrod - 4.17.11 25.": revision-coloured page headers.
_REV_HEADER = re.compile(
    r"^(?:.*\b(?:rev(?:ision|\.)?|draft)\b.*|(?:white|blue|pink|yellow|green|goldenrod|buff|salmon"
    r"|cherry|tan|gr[ae]y|ivory)\b.*)\s\d{1,3}[A-Z]?\.$",
    re.IGNORECASE,
)
_CONTINUED = re.compile(
    r"^[(\[]?\s*(?:CONTINUED|CONT'?D|CONTD|CONT\.|MORE)\s*[)\]]?\s*:?"
    r"(?:\s*\(\s*\d+\s*\))?(?:\s*[(\[]?\s*(?:CONTINUED|CONT'?D|MORE)\s*[)\]]?\s*:?)?$"
    r"|^[-=]+\s*(?:CONTINUED|MORE)\s*[-=]+$|^CONTINUED ON NEXT PAGE\.?$",
    re.IGNORECASE,
)
_OMITTED = re.compile(
    r"^(?:SCENES?\s+[\w\s,&-]*\s+)?(?:THRU\s+)?(?:OMITTED|OUT)(?:\s+(?:OMITTED|OUT|THRU))?\.?$",
    re.IGNORECASE,
)
# A line of nothing but scene numbers ("133        133-"): the end of an omitted range.
_NUM_ONLY = re.compile(rf"^{_NUM}-?\.?(?:\s+{_NUM}-?\.?)+$")
# First characters / first four characters that can start page furniture.
_FURN_FIRST = frozenset("0123456789-([=_*~#.")
_FURN_FIRST4 = frozenset(
    {"CONT", "Cont", "cont", "MORE", "More", "PAGE", "Page", "page", "OMIT", "thru", "THRU"}
)
_SEPARATOR = re.compile(r"^[-=_*~#.]{4,}$")
_WEB_JUNK = re.compile(
    r"^(?:</?[A-Za-z!]|&lt;|&gt;|//|var\s|document\.|window\.|top\.location|try\s*\{|\}|\{"
    r"|\(function|google_ad|ya[A-Z]\w*\.|w\.ya)"
)
_WEB_FIRST = frozenset("<&/vdwt{}(gy")
# Boilerplate of the script sites the files come from (substring tests are cheap).
_WEB_WORDS = ("creenplays for You", "ovie script", "IMDb", "IMSDb", "creenplays and movie scripts")
_SITE_RE = re.compile("|".join(re.escape(w) for w in _WEB_WORDS))

_TRANSITION_KNOWN = frozenset(
    {
        "FADE IN",
        "FADE OUT",
        "FADE UP",
        "FADE TO BLACK",
        "FADE TO WHITE",
        "CUT TO BLACK",
        "SMASH CUT",
        "SMASH TO BLACK",
        "HARD CUT",
        "JUMP CUT",
        "MATCH CUT",
        "IRIS IN",
        "IRIS OUT",
        "WIPE",
        "DISSOLVE",
        "THE END",
        "END",
        "BLACKOUT",
        "BLACK OUT",
        "CUT",
        "FADE",
    }
)

# Bare (unparenthesised) cue extensions at the end of a cue: "JAVED O/S", "VOICE o.s.".
_BARE_EXT = re.compile(
    r"\s+(?P<ext>V\.\s?O\.?|O\.\s?S\.?|O\.\s?C\.?|V/O|O/S|O/C|VO|OS|OC|CONT'?D\.?|CONT\.|CONTD)$",
    re.IGNORECASE,
)
_CONTD_LINE = re.compile(r"^\(\s*(?:CONT'?D|CONTD|CONT\.?|CONTINUED)\s*\)$", re.IGNORECASE)
_CONTD = re.compile(r"^(?:CONT'?D\.?|CONTD\.?|CONT\.?|CONTINUED|CONTINUING)$", re.IGNORECASE)
_KNOWN_EXT = re.compile(
    r"^(?:V\.?\s?O\.?|O\.?\s?S\.?|O\.?\s?C\.?|V/O|O/S|O/C|CONT'?D|CONTD|CONT\.?|"
    r"ON\s+(?:PHONE|TV|RADIO|SCREEN|TAPE)|FILTERED|OFF|INTO PHONE|PRE-?LAP)$",
    re.IGNORECASE,
)
_NAME_OK = re.compile(r"^[^\W_][\w .'’&/#,\-]*$")

_BY_LINE = re.compile(
    r"^(?:(?:original\s+)?(?:screenplay|teleplay|story|written|revisions?|script|adaptation|"
    r"directed|written\s+and\s+directed|screen\s+story|rewrites?)\s+)?by:?$",
    re.IGNORECASE,
)
_DATE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?"
    r"(?:,\s*|\s+)\d{4}\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*,?\s+\d{4}\b"
    r"|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|"
    r"sep|oct|nov|dec)[a-z]*,?\s+\d{4}\b",
    re.IGNORECASE,
)
_TITLE_MARKER = re.compile(
    r"\bdraft\b|\brevisions?\b|\brev\.|©|\(c\)|copyright|\bby\b|all rights reserved"
    r"|\bproduction\b|\bpictures\b|\bfilms?\b",
    re.IGNORECASE,
)
_CREDIT_WORD = re.compile(
    r"^(?:an?\s+)?(?:original\s+)?(?:screenplay|teleplay|script|story|written|a\s+film)\.?$",
    re.IGNORECASE,
)
_MOVIE_SCRIPT = re.compile(
    r"^(?P<title>.*?)\s*(?:\(\d{4}\)\s*)?movie\s+script(?:\s*by\s*(?P<by>[^.]+))?", re.IGNORECASE
)


def _is_upperish(t: str) -> bool:
    """No lower-case letters, or very few (``MacGUFF``)."""
    if t == t.upper():
        return any(c.isalpha() for c in t)
    lower = 0
    letters = 0
    for c in t:
        if c.isalpha():
            letters += 1
            if c.islower():
                lower += 1
    return lower <= 2 and lower * 4 <= letters


def _maybe_furniture(t: str) -> bool:
    """Cheap gate: can ``t`` (stripped, non-empty) be page furniture at all?"""
    return t[0] in _FURN_FIRST or t[:4] in _FURN_FIRST4 or (t[-1] == "." and t[-2:-1].isdigit())


def _is_page_furniture(t: str) -> str | None:
    """The furniture kind of a line, or None. ``t`` is stripped and non-empty."""
    c = t[0]
    if (c.isdigit() or c in "-Pp") and _PAGE_NUM.match(t):
        return "page_number"
    if c.isdigit() and _NUM_ONLY.match(t):
        return "omitted"
    if (c in "([-=" or t[:4].upper() in ("CONT", "MORE")) and _CONTINUED.match(t):
        return "more" if "MORE" in t.upper() else "continued"
    if t[:4].upper() in ("OMIT", "THRU") and _OMITTED.match(t):
        return "omitted"
    if c in "-=_*~#." and _SEPARATOR.match(t):
        return "separator"
    if t[-1] == "." and t[-2:-1].isdigit():
        if _PAGE_HEADER.search(t) and not _HEAD_IE.match(t):
            return "page_header"
        if _REV_HEADER.match(t):
            return "page_header"
    return None


def _is_web_junk(t: str, site: bool = True) -> bool:
    """Debris of the web page a script was saved from (scripts, ads, site boilerplate).

    ``site`` False skips the boilerplate-words test (the document has none of them).
    """
    if t[0] in _WEB_FIRST and _WEB_JUNK.match(t):
        return True
    if site:
        for w in _WEB_WORDS:
            if w in t:
                return True
    return t[-1] in ";{" and ("=" in t or "(" in t or "}" in t)


def _transition(t: str, indent: float, action: float) -> bool:
    """``t`` is stripped and non-empty; callers gate on ``t.isupper()``."""
    if len(t) > 40 or t != t.upper():
        return False
    core = t.rstrip(":. ")
    if core in _TRANSITION_KNOWN:
        return True
    if t.endswith("TO:") or t.endswith("TO :") or (t.endswith(" TO") and indent >= action + 30):
        return any(c.isalpha() for c in t)
    return t.endswith(":") and indent >= action + 30 and any(c.isalpha() for c in t)


@lru_cache(maxsize=4096)
def parse_cue(t: str) -> tuple[str, str | None, bool] | None:
    """Split a cue line into (speaker, extension, contd); None if it cannot be a cue name.

    ``"JUNO (V.O.)"`` -> ``("JUNO", "V.O.", False)``; ``"ZOE (V.O.)(CONT'D)"`` ->
    ``("ZOE", "V.O.", True)``; ``"JAVED O/S"`` -> ``("JAVED", "O/S", False)``.
    """
    if len(t) > 60 or t[-1] in ":!?;":
        return None
    name = t
    exts: list[str] = []
    guard = 0
    while name.endswith(")") and guard < 4:
        guard += 1
        k = name.rfind("(")
        if k <= 0:
            return None
        exts.append(name[k + 1 : -1].strip())
        name = name[:k].rstrip()
    m = _BARE_EXT.search(name)
    if m:
        exts.append(m.group("ext"))
        name = name[: m.start()].rstrip()
    name = name.rstrip("^ ").rstrip()
    if not name or len(name) > 38 or name.count(" ") > 5:
        return None
    if not _NAME_OK.match(name) or not _is_upperish(name):
        return None
    if name.endswith(".") and len(name.rsplit(" ", 1)[-1]) > 4:
        return None  # "M.C.S. JACK." is a shot, not a cue
    if name.endswith(","):
        return None
    contd = False
    keep: list[str] = []
    for e in reversed(exts):
        if _CONTD.match(e.replace("’", "'")):
            contd = True
        elif e:
            keep.append(e)
    return name, (" ".join(keep) if keep else None), contd


def _strip_numbers(t: str) -> tuple[str, str | None, bool]:
    """Strip scene numbers at both ends: (text, number, numbered_at_both_ends)."""
    num: str | None = None
    lead = _LEAD_NUM.match(t)
    if lead:
        num = lead.group("num")
        t = t[lead.end() :]
    both = False
    for _ in range(2):
        m = _TRAIL_NUM.search(t)
        if not m:
            break
        tn = m.group("num")
        if num is None or tn == num:
            if num is None:
                num = tn
            else:
                both = True
            t = t[: m.start()]
        else:
            break
    return t, num, both


# --- line splitting -----------------------------------------------------------------------

_ODD_BREAKS = ("\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")

_Lists = tuple[list[str], list[float], list[int], list[int], list[int]]


def _split(text: str) -> _Lists:
    """Parallel lists (texts, indents, starts, ends, line numbers) for every line of ``text``.

    Lines end at ``\\n``, ``\\r\\n``, a lone ``\\r`` and the other Unicode line breaks (a form
    feed starts a new line); line numbers count ``\\n`` only, as :class:`LineIndex` does.
    """
    if any(c in text for c in _ODD_BREAKS) or text.count("\r") != text.count("\r\n"):
        return _split_odd(text)
    lines = text.split("\n")
    texts = [ln.strip() for ln in lines]
    leads = [len(ln) - len(ln.lstrip()) for ln in lines]
    offs = [0, *accumulate([len(ln) + 1 for ln in lines])]
    starts = [o + d for o, d in zip(offs, leads, strict=False)]
    ends = [st + len(t) for st, t in zip(starts, texts, strict=True)]
    if "\t" in text:
        leads = [
            len(ln[:d].expandtabs(8)) if "\t" in ln[:d] else d
            for ln, d in zip(lines, leads, strict=True)
        ]
    return texts, leads, starts, ends, list(range(1, len(lines) + 1))  # type: ignore[return-value]


def _split_odd(text: str) -> _Lists:
    """:func:`_split` for text with lone ``\\r`` or other line breaks inside ``\\n`` lines."""
    texts: list[str] = []
    indents: list[float] = []
    starts: list[int] = []
    ends: list[int] = []
    nums: list[int] = []
    off = 0
    for lineno, piece in enumerate(text.split("\n"), start=1):
        for raw in piece.splitlines(keepends=True) or [piece]:
            t = raw.strip()
            lead = len(raw) - len(raw.lstrip())
            texts.append(t)
            indents.append(len(raw[:lead].expandtabs(8)))
            starts.append(off + lead)
            ends.append(off + lead + len(t))
            nums.append(lineno)
            off += len(raw)
        off += 1  # the "\n"
    return texts, indents, starts, ends, nums


def split_lines(text: str) -> list[LineRec]:
    """Records for every line of ``text`` (blank lines included)."""
    t, i, s, e, _ = _split(text)
    return [LineRec(*r) for r in zip(t, i, s, e, strict=True)]


# --- the classification core --------------------------------------------------------------

_IE3 = frozenset({"INT", "EXT", "EST", "I/E", "E/I"})
_REV_MARK = re.compile(r"(?:^|\s+)\*+$")
# an asterisk at the end of a line (any line break, as str.splitlines knows them)
_STAR_END = re.compile("\\*[ \t]*(?=[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]|\\Z)")
_K = ElementKind


def classify_lines(
    lines: Sequence[tuple[str, float, int, int]],
    source_text: str,
    index: LineIndex | None = None,
) -> Classified:
    """Classify screenplay lines laid out by indentation into elements.

    ``lines`` holds one ``(text, indent, start, end)`` record per source line, in order: the
    stripped text (``""`` for a blank line; blank lines separate paragraphs), its indentation
    in character columns (the PDF reader converts x-positions to columns) and the offsets of
    the stripped text in ``source_text``. Returns the content elements in order, the page
    furniture and the title page.
    """
    idx = index or LineIndex(source_text)
    texts = [r[0] for r in lines]
    indents = [r[1] for r in lines]
    starts = [r[2] for r in lines]
    ends = [r[3] for r in lines]
    nums = [idx.line_of(s) for s in starts]
    return _Core(texts, indents, starts, ends, nums, source_text).run()


_SPAN_FIELDS = ("start_line", "end_line", "start_char", "end_char", "start_time", "end_time")


def _span_maker(N: list[int], S: list[int], E: list[int]) -> Callable[[int, int], Span]:
    """``span(a, b)``: the Span from the start of line record ``a`` to the end of ``b``.

    Fills the slots directly when it can: a frozen dataclass's ``__init__`` goes through
    ``object.__setattr__`` for every field, which dominates when making ~50k spans.
    """
    try:
        slots = tuple(Span.__slots__)  # type: ignore[attr-defined]
        sets = [Span.__dict__[f].__set__ for f in _SPAN_FIELDS]
    except (AttributeError, KeyError):
        slots, sets = (), []
    if slots != _SPAN_FIELDS:

        def plain(a: int, b: int) -> Span:
            return Span(N[a], N[b], S[a], E[b])

        return plain
    s1, s2, s3, s4, s5, s6 = sets
    new = object.__new__

    def fast(a: int, b: int) -> Span:
        sp = new(Span)
        s1(sp, N[a])
        s2(sp, N[b])
        s3(sp, S[a])
        s4(sp, E[b])
        s5(sp, None)
        s6(sp, None)
        return sp

    return fast


def _has_site_words(text: str) -> bool:
    return any(w in text for w in _WEB_WORDS)


class _Core:
    """One classification run over parallel line lists."""

    def __init__(
        self,
        texts: list[str],
        indents: list[float],
        starts: list[int],
        ends: list[int],
        nums: list[int],
        source_text: str,
    ) -> None:
        self.T = texts
        self.I = indents
        self.S = starts
        self.E = ends
        self.N = nums
        self.n = len(texts)
        # Lines holding script-site boilerplate (found with one scan of the whole text).
        self.site_lines: frozenset[int] = frozenset()
        if _has_site_words(source_text):
            self.site_lines = frozenset(
                bisect.bisect_right(starts, m.start()) - 1 for m in _SITE_RE.finditer(source_text)
            )
        self._strip_revision_marks(source_text)
        self.span = _span_maker(nums, starts, self.E)
        self.action = self._action_indent()
        self.numbered = self._numbered_script()

    # -- statistics ---------------------------------------------------------------------

    def _strip_revision_marks(self, source_text: str) -> None:
        """Drop the revision asterisks shooting scripts put at the right margin."""
        if "*" not in source_text:
            return
        T, E, S = self.T, self.E, self.S
        ends = {bisect.bisect_right(S, m.start()) - 1 for m in _STAR_END.finditer(source_text)}
        for k in sorted(ends):
            if k < 0 or not T[k].endswith("*"):
                continue
            m = _REV_MARK.search(T[k])
            if m:
                t = T[k][: m.start()]
                T[k] = t
                E[k] = S[k] + len(t)

    def _action_indent(self) -> float:
        T = self.T
        counts = Counter(
            [
                ind
                for t, ind in zip(T[::2], self.I[::2], strict=True)
                if len(t) >= 45 and not t[0].isdigit()
            ]
        )
        if counts:
            return max(counts.items(), key=lambda kv: (kv[1], -kv[0]))[0]
        return min([ind for t, ind in zip(T, self.I, strict=True) if t], default=0)

    def _numbered_script(self) -> bool:
        """True when most INT./EXT. headings carry a scene number (trailing numbers are ones)."""
        total = numbered = 0
        for t in [t for t in self.T if t[:3] in _IE3 or t[:1].isdigit()]:
            lead = _LEAD_NUM.match(t)
            body = t[lead.end() :] if lead else t
            if _HEAD_IE.match(body) and body[:3].isupper():
                total += 1
                if lead or _TRAIL_NUM.search(body):
                    numbered += 1
        return total > 0 and numbered * 2 >= total

    # -- helpers ------------------------------------------------------------------------

    def _fur(self, kind: str, k: int) -> Element:
        el_kind = _K.NOTE if kind == "web" else _K.PAGE_BREAK
        return Element(el_kind, self.T[k], self.span(k, k), attrs={"furniture": kind})

    def _cue_at(self, i: int, flush: bool) -> tuple[str, str | None, bool] | None:
        """The cue on line ``i`` (speaker, extension, contd) if it opens a speech."""
        T, I, n = self.T, self.I, self.n  # noqa: E741
        k = i + 1
        if k >= n:
            return None
        nt = T[k]
        if not nt:
            return None
        if nt[0] == "(" and _CONTD_LINE.match(nt):  # "(CONT'D)" on the line under the name
            k += 1
            if k >= n or not T[k]:
                return None
            nt = T[k]
        while _maybe_furniture(nt) and k + 1 < n and T[k + 1] and _is_page_furniture(nt):
            k += 1  # a page number or header between the name and the speech (PDF page break)
            nt = T[k]
        ni = I[k]
        t = T[i]
        ind = I[i]
        A = self.action
        if ind >= A + 6:
            if nt[0] == "(":
                if _is_page_furniture(nt) is not None:
                    return None
                return parse_cue(t)
            if A - 0.5 <= ni <= ind - 2:
                if _maybe_furniture(nt) and _is_page_furniture(nt) is not None:
                    return None
                if nt.isupper() and _transition(nt, ni, A):
                    return None
                return parse_cue(t)
            # The text under it is not further left: only a name with a known extension.
            if ni < A - 0.5 or nt == nt.upper():
                return None
            parsed = parse_cue(t)
            if parsed is not None and parsed[1] is not None and _KNOWN_EXT.match(parsed[1]):
                return parsed
            return None
        # At (or near) the action indent: a known extension, or a flush-left script.
        if (i > 0 and T[i - 1]) or (not flush and "(" not in t):
            return None
        if nt[0] != "(" and nt == nt.upper():
            return None
        if ni < ind - 0.5 or ni > ind + 12:
            return None
        parsed = parse_cue(t)
        if parsed is None:
            return None
        if flush:
            return parsed if t.isupper() else None
        if (parsed[1] is not None and _KNOWN_EXT.match(parsed[1])) or parsed[2]:
            return parsed
        return None

    # -- the pass -----------------------------------------------------------------------

    def run(self) -> Classified:
        out = self._pass(False)
        if out.cues < 3:
            # No indented cues: maybe a flush-left script (cues in capitals at the action indent).
            alt = self._pass(True)
            if alt.cues > max(out.cues, 2):
                out = alt
        return out

    def _pass(self, flush: bool) -> Classified:
        T, I, n = self.T, self.I, self.n  # noqa: E741
        A = self.action
        cue_min = A + 6
        FF, FF4, WF, IE3, TRK = _FURN_FIRST, _FURN_FIRST4, _WEB_FIRST, _IE3, _TRANSITION_KNOWN
        furn, junk, heading, trans, join, El = (
            _is_page_furniture,
            _is_web_junk,
            _heading,
            _transition,
            _join,
            Element,
        )
        K_HEAD, K_TRANS, K_CUE, K_ACT = _K.SCENE_HEADING, _K.TRANSITION, _K.CHARACTER, _K.ACTION
        numbered = self.numbered
        site = self.site_lines
        span = self.span
        cue_at = self._cue_at
        out = Classified(action_indent=A)
        elements = out.elements
        furniture = out.furniture
        add = elements.append
        story = -1
        cues = 0
        headings = 0
        i = 0
        while i < n:
            t = T[i]
            if not t:
                i += 1
                continue
            c0 = t[0]
            if c0 in FF or t[:4] in FF4 or (t[-1] == "." and t[-2:-1].isdigit()):
                fk = furn(t)
                if fk is not None:
                    furniture.append(self._fur(fk, i))
                    i += 1
                    continue
            if ((c0 in WF or t[-1] in ";{") and junk(t, False)) or i in site:
                furniture.append(self._fur("web", i))
                i += 1
                continue
            up = t.isupper()

            # scene heading
            if c0.isdigit() or t[:3] in IE3:
                h = heading(t, numbered)
                if h is not None:
                    text, num, kind = h
                    if kind == "furniture":
                        furniture.append(self._fur("omitted", i))
                        i += 1
                        continue
                    end = i
                    # A heading wrapped onto a second line (upper case, then a blank line).
                    if i + 1 < n:
                        nt = T[i + 1]
                        ni = I[i + 1]
                        if (
                            nt
                            and len(nt) <= 45
                            and (i + 2 >= n or not T[i + 2])
                            and A - 3 <= ni < A + 20
                            and nt == nt.upper()
                            and not (_maybe_furniture(nt) and furn(nt))
                            and not trans(nt, ni, A)
                        ):
                            more, num2, _ = _strip_numbers(nt)
                            if numbered or (num2 is not None and num2 == num):
                                nt = more
                            text = text + " " + nt
                            end = i + 1
                    el = El(K_HEAD, " ".join(text.split()), span(i, end))
                    if num:
                        el.attrs["scene_number"] = num
                    add(el)
                    headings += 1
                    if story < 0:
                        story = i
                    i = end + 1
                    continue

            # transition
            if up and (t[-1] in ":." or t in TRK or t[-3:] == " TO") and trans(t, I[i], A):
                add(El(K_TRANS, " ".join(t.split()), span(i, i)))
                if story < 0:
                    story = i
                i += 1
                continue

            # character cue and its speech
            if c0.isalnum() and (I[i] >= cue_min or up or "(" in t):
                cue = cue_at(i, flush)
                if cue is not None:
                    speaker, ext, contd = cue
                    end = i
                    cue_text = t
                    nt = T[i + 1]
                    if nt[0] == "(" and _CONTD_LINE.match(nt):
                        end = i + 1
                        cue_text = t + " " + nt
                        contd = True
                    cel = El(K_CUE, " ".join(cue_text.split()), span(i, end), speaker, ext)
                    if contd:
                        cel.attrs["contd"] = True
                    add(cel)
                    cues += 1
                    if story < 0:
                        story = i
                    i = self._speech(end + 1, flush, speaker, ext, elements, furniture)
                    continue

            # action paragraph: runs to a blank line or to a line that starts something else
            j = i + 1
            while j < n:
                nt = T[j]
                if not nt:
                    break
                c = nt[0]
                if (c in FF or nt[:4] in FF4 or (nt[-1] == "." and nt[-2:-1].isdigit())) and furn(
                    nt
                ) is not None:
                    break
                if ((c in WF or nt[-1] in ";{") and junk(nt, False)) or j in site:
                    break
                if (c.isdigit() or nt[:3] in IE3) and heading(nt, numbered) is not None:
                    break
                u = nt.isupper()
                if u and (nt[-1] in ":." or nt in TRK or nt[-3:] == " TO") and trans(nt, I[j], A):
                    break
                if I[j] >= cue_min and c.isalnum() and cue_at(j, flush) is not None:
                    break
                j += 1
            parts = T[i:j]
            text = join(parts)
            add(El(K_ACT, text, span(i, j - 1)))
            if (
                story < 0
                # Story text before any heading: a prose paragraph at the action indent.
                and (len(text) >= 40 or (text[-1] in ".:!?-…" and text.count(" ") >= 4))
                and any(abs(I[k] - A) <= 1 for k in range(i, j))
                and any(ch.islower() for ch in text)
                and not _DATE.search(text)
                and not self._prev_is_by_line(i)
            ):
                story = i
            i = j
        out.cues = cues
        out.headings = headings
        if story > 0:
            self._title_page(story, out)
        return out

    def _speech(
        self,
        i: int,
        flush: bool,
        speaker: str,
        ext: str | None,
        elements: list[Element],
        furniture: list[Element],
    ) -> int:
        """Add the dialogue and parentheticals after a cue; return the next line index.

        Page furniture inside a speech (``(MORE)``, a page number) is set aside and ends the
        dialogue element before it, so that spans never cover furniture.
        """
        T, I, n = self.T, self.I, self.n  # noqa: E741
        A = self.action
        FF, FF4, TRK = _FURN_FIRST, _FURN_FIRST4, _TRANSITION_KNOWN
        furn, trans, join, El = _is_page_furniture, _transition, _join, Element
        K_PAR, K_DLG = _K.PARENTHETICAL, _K.DIALOGUE
        span = self.span
        add = elements.append
        dstart = dend = pstart = -1
        dparts: list[str] = []
        pparts: list[str] = []
        depth = 0
        said = False  # something was said: a following cue starts the next speech
        while i < n:
            t = T[i]
            if not t:
                break
            if depth > 0:  # inside a parenthetical spanning lines
                pparts.append(t)
                depth += t.count("(") - t.count(")")
                if depth <= 0:
                    depth = 0
                    add(El(K_PAR, join(pparts), span(pstart, i), speaker, ext))
                    pparts = []
                i += 1
                continue
            c0 = t[0]
            if c0 in FF or t[:4] in FF4 or (t[-1] == "." and t[-2:-1].isdigit()):
                fk = furn(t)
                if fk is not None and (
                    (fk != "page_number" and fk != "omitted") or t[-1] == "." or I[i] >= A + 30
                ):
                    if dparts:
                        add(El(K_DLG, join(dparts), span(dstart, dend), speaker, ext))
                        dparts = []
                    furniture.append(self._fur(fk, i))
                    i += 1
                    continue
            if c0 == "(":
                if dparts:
                    add(El(K_DLG, join(dparts), span(dstart, dend), speaker, ext))
                    dparts = []
                said = True
                pstart = i
                depth = t.count("(") - t.count(")")
                if depth <= 0:
                    depth = 0
                    add(El(K_PAR, t, span(i, i), speaker, ext))
                else:
                    pparts = [t]
                i += 1
                continue
            up = t.isupper()
            if up and (t[-1] in ":." or t in TRK or t[-3:] == " TO") and trans(t, I[i], A):
                break
            if not flush and I[i] <= A + 0.5 and I[i] < I[i - 1]:
                break  # back at the action margin without a blank line
            if said and up and c0.isalnum() and self._cue_at(i, flush) is not None:
                break  # the next speech, without a blank line between
            if not dparts:
                dstart = i
            dparts.append(t)
            dend = i
            said = True
            i += 1
        if pparts:
            add(El(K_PAR, join(pparts), span(pstart, i - 1), speaker, ext))
        elif dparts:
            add(El(K_DLG, join(dparts), span(dstart, dend), speaker, ext))
        return i

    def _prev_is_by_line(self, i: int) -> bool:
        T = self.T
        k = i - 1
        while k >= 0 and not T[k]:
            k -= 1
        return k >= 0 and bool(_BY_LINE.match(T[k]))

    # -- the title page -----------------------------------------------------------------

    def _title_page(self, story: int, out: Classified) -> None:
        """Move everything before line ``story`` to furniture; read title and credits."""
        S, I, A = self.S, self.I, self.action  # noqa: E741
        first_char = S[story]
        els = out.elements
        k = 0
        while k < len(els) and els[k].span.start_char < first_char:
            k += 1
        # Action just before the story start that reads like a story ("BLACK.", "Over
        # CREDITS we HEAR:") belongs to it, unless it looks like a credit or a date.
        while k > 0:
            el = els[k - 1]
            text = el.text
            if (
                el.kind is not _K.ACTION
                or text[-1] not in ".:!?…-"
                or _DATE.search(text)
                or _BY_LINE.match(text)
                or _TITLE_MARKER.search(text)
            ):
                break
            a = bisect.bisect_left(S, el.span.start_char)
            b = bisect.bisect_left(S, el.span.end_char)
            if not any(abs(I[x] - A) <= 1 for x in range(a, max(a + 1, b))):
                break
            k -= 1
        if k < len(els):
            story = min(story, bisect.bisect_left(S, els[k].span.start_char))
        moved = els[:k]
        for el in moved:
            el.attrs["furniture"] = "title_page"
        out.elements = els[k:]
        if moved:
            out.furniture = sorted(moved + out.furniture, key=lambda e: e.span.start_char)

        pre = [t for t in self.T[:story] if t]
        tp = out.title_page
        site_title: str | None = None
        for t in pre:
            m = _MOVIE_SCRIPT.match(t)
            if m:
                site_title = site_title or (m.group("title").strip(" -") or None)
                if m.group("by") and "author" not in tp:
                    tp["author"] = " ".join(m.group("by").split())
        cands = [t for t in pre if not _is_web_junk(t)]
        title: str | None = None
        k = 0
        while k < len(cands):
            t = cands[k]
            if _BY_LINE.match(t) and k + 1 < len(cands) and not _BY_LINE.match(cands[k + 1]):
                name = " ".join(cands[k + 1].split())
                credit = " ".join(t.split()).rstrip(":")
                if "author" not in tp and not credit.lower().startswith(("story", "revision")):
                    tp["credit"] = credit
                    tp["author"] = name
                else:
                    tp.setdefault(credit.lower(), name)
                if title is None:
                    b = k - 1
                    while b >= 0 and _CREDIT_WORD.match(cands[b]):
                        b -= 1
                    if b >= 0 and len(cands[b]) <= 60:
                        title = _clean_title(cands[b])
                k += 2
                continue
            if "draft date" not in tp:
                dm = _DATE.search(t)
                if dm:
                    tp["draft date"] = dm.group(0)
            k += 1
        if title is None:
            title = site_title
        if title is None:
            for t in cands:
                if (
                    len(t) <= 60
                    and not _TITLE_MARKER.search(t)
                    and not _DATE.search(t)
                    and any(c.isalpha() for c in t)
                ):
                    title = _clean_title(t)
                    break
        if title:
            tp["title"] = title
            out.title = title


def _clean_title(t: str) -> str | None:
    t = " ".join(t.split()).strip("\"'“” ").rstrip(".").strip("\"'“” ")
    return t or None


def _join(parts: list[str]) -> str:
    """Lines joined with one space; a word hyphenated across lines is rejoined."""
    if len(parts) == 1:
        return parts[0]
    out = " ".join(parts)
    if "- " in out:
        out = parts[0]
        for p in parts[1:]:
            if out[-1] == "-" and len(out) > 1 and out[-2].isalpha() and p[0].islower():
                out += p  # "lock-" + "out"
            else:
                out += " " + p
    return out


def _heading(t: str, numbered: bool) -> tuple[str, str | None, str] | None:
    """(heading text, scene number, "heading"|"furniture") or None."""
    lead = _LEAD_NUM.match(t)
    body = t[lead.end() :] if lead else t
    if _HEAD_IE.match(body):
        if not body[:3].isupper():
            return None
        text, num, _both = _strip_numbers(t)
        if num is not None and not lead and not numbered:
            # A trailing number in an unnumbered script is part of the location (ROUTE 66).
            return t, None, "heading"
        return text, num, "heading"
    if not lead:
        return None
    text, num, both = _strip_numbers(t)
    if not both or not text or not _is_upperish(text) or len(text) > 70:
        return None
    if _CONTINUED.match(text) or _OMITTED.match(text):
        return text, num, "furniture"
    if not any(c.isalpha() for c in text):
        return None
    return text, num, "heading"


# --- the reader ---------------------------------------------------------------------------


def read(source: Source, fmt: str) -> Document:
    """Read an indentation-laid-out plain-text screenplay."""
    text = source.text
    doc = Document(source_text=text, source_format=fmt, encoding=source.encoding)
    res = _Core(*_split(text), text).run()
    doc.scenes = group_by_headings(res.elements)
    doc.furniture = res.furniture
    doc.title = res.title
    doc.title_page = res.title_page
    if res.headings == 0:
        doc.warn(None, "no scene headings found: the whole text is one scene")
    if res.cues == 0 and res.elements:
        doc.warn(None, "no character cues found: no dialogue was recognised")
    return doc
