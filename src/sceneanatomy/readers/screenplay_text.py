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

Dual dialogue laid out in two columns (two cues side by side on one line, then two columns of
speech) is read as in the Fountain and FDX readers: every element ``dual=True``, the cues
``attrs["dual"] = "left"`` / ``"right"``, the left cue and its speech first. A column's text is
interleaved with the other's in the source, so each physical line of a column is one element
whose span is exactly that fragment (``attrs["continues"]`` marks one that goes on with the
element before it in its column): see :meth:`_Core._dual`.

Element text is cleaned (lines joined with one space, runs of spaces collapsed, scene numbers
stripped); spans cover the raw source from the first to the last non-blank character of the
element. A cue ``JUNO (V.O.)`` has ``speaker="JUNO"``, ``extension="V.O."``; ``(CONT'D)``
sets ``attrs["contd"]``. Dialogue and parentheticals carry the speaker too.

Speed (benchmarks/parse_speed.py; docs/benchmarks.md): the lines are split with C-level
``map``; the pass reads speeches inline, judges most lines by their first and last characters
before any slice, regex or method call, and caches per document what repeats (cue lines, with
a mark once a line is known to be nothing but a cue name, so that its next occurrences skip
the furniture, heading and transition tests and read "name, one line of dialogue, blank line"
at once); whether the script numbers its scenes is counted by the pass as it takes each line
(no scan of its own; the few headings that depend on it are read as if it did, and read again
at the end if not); regexes sit behind cheap necessary conditions (a page number is at most
five characters, a bracketed line is furniture only as "(CONT..."/"(MORE..."); the commonest
elements (cues, dialogue, action, parentheticals, headings, transitions, page furniture) are
made inline in the pass, filling the slots as :func:`~sceneanatomy.model.make_element` does
(elsewhere an emitter does it); the cyclic garbage collector is paused while reading (nothing
read forms a cycle). Every shortcut
is checked against the plain code it replaces in tests/test_fast_paths.py.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from operator import attrgetter, sub
from typing import TYPE_CHECKING, NamedTuple

from .. import model as _model
from ..model import Document, Element, ElementKind, LineIndex, Span, make_element
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
    heading_at: list[int] = field(default_factory=list)  # positions of headings in elements


# --- cheap line tests ---------------------------------------------------------------------

_NUM = r"[A-Z]?\d{1,4}[A-Z]{0,2}(?:-[A-Z0-9]{1,3})?"
_LEAD_NUM = re.compile(rf"^(?P<num>{_NUM})\.?\s+(?=\S)")
_TRAIL_NUM = re.compile(rf"(?<=\S)\s+(?P<num>{_NUM})\.?$")
_NUM_TOKEN = re.compile(rf"(?P<num>{_NUM})\.?")  # _TRAIL_NUM's last token (fullmatch)
_HEAD_IE = re.compile(
    r"^(?:INT\.?\s*/\s*EXT|EXT\.?\s*/\s*INT|INT|EXT|EST|I\s*/\s*E|E\s*/\s*I)(?:[.。]\s*|\s+)\S",
    re.IGNORECASE,
)
_IE_FIRST = frozenset("IEie\u0130\u0131")  # what _HEAD_IE's first letter matches
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
# _FURN_FIRST4 by first character: the second characters its words have (a gate that saves
# slicing most lines).
_FURN4_SECOND: dict[str, str] = {}
for _w in sorted(_FURN_FIRST4):
    _FURN4_SECOND[_w[0]] = _FURN4_SECOND.get(_w[0], "") + _w[1]
_SEPARATOR = re.compile(r"^[-=_*~#.]{4,}$")
_WEB_JUNK = re.compile(
    r"^(?:</?[A-Za-z!]|&lt;|&gt;|//|var\s|document\.|window\.|top\.location|try\s*\{|\}|\{"
    r"|\(function|google_ad|ya[A-Z]\w*\.|w\.ya)"
)
_WEB_FIRST = frozenset("<&/vdwt{}(gy")
# The literal prefixes of _WEB_JUNK by first character: a line that starts with none of them
# cannot match it (a cheap gate before the regex).
_WEB_PREFIX: dict[str, str | tuple[str, ...]] = {
    "<": "<",
    "&": ("&lt;", "&gt;"),
    "/": "//",
    "v": "var",
    "d": "document.",
    "w": ("window.", "w.ya"),
    "t": ("top.location", "try"),
    "{": "{",
    "}": "}",
    "(": "(function",
    "g": "google_ad",
    "y": "ya",
}
# Boilerplate of the script sites the files come from (substring tests are cheap).
_WEB_WORDS = ("creenplays for You", "ovie script", "IMDb", "IMSDb", "creenplays and movie scripts")
# The same, for a scan of the whole text: the last word contains "ovie script", so a line
# holding it is found through that; "IMDb" and "IMSDb" by one regex scan (see _site_offsets).
_SITE_PROBES = _WEB_WORDS[:2]

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
_TRANSITION_MAX = max(map(len, _TRANSITION_KNOWN))

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
        return any(map(str.isalpha, t))
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
    if c.isdigit():
        # A page number is at most five characters long ("123A."); nothing from CONTINUED
        # to the separators starts with a digit.
        if len(t) <= 5 and _PAGE_NUM.match(t):
            return "page_number"
        if _NUM_ONLY.match(t):
            return "omitted"
    else:
        # _PAGE_NUM without a digit first: "page 12" or "- 12 -".
        if (
            (c == "-" and t[-1] == "-") or ((c == "P" or c == "p") and t[:4].lower() == "page")
        ) and _PAGE_NUM.match(t):
            return "page_number"
        head = t[:4].upper()
        if (c in "([-=" or head == "CONT" or head == "MORE") and _CONTINUED.match(t):
            return "more" if "MORE" in t.upper() else "continued"
        if (head == "OMIT" or head == "THRU") and _OMITTED.match(t):
            return "omitted"
        if c in "-=_*~#." and _SEPARATOR.match(t):
            return "separator"
    if t[-1] == "." and t[-2:-1].isdigit():
        if _PAGE_HEADER.search(t) and not _HEAD_IE.match(t):
            return "page_header"
        if _REV_HEADER.match(t):
            return "page_header"
    return None


def _paren_furniture_gate(t: str) -> bool:
    """Cheap gate for :func:`_is_page_furniture` on a line that starts with "(": only
    "(CONTINUED)", "(MORE)" and the like (a C or M after the bracket and any spaces) and page
    headers (a page number and a full stop at the end) can be furniture."""
    if len(t) < 2:
        return False
    c1 = t[1]
    return c1 in "CcMm" or c1.isspace() or (t[-1] == "." and t[-2].isdigit())


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
        return any(map(str.isalpha, t))
    return t.endswith(":") and indent >= action + 30 and any(map(str.isalpha, t))


def _parse_cue(t: str) -> tuple[str, str | None, bool] | None:
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


parse_cue = lru_cache(maxsize=4096)(_parse_cue)


_Cue = tuple[str, str | None, bool]
# (the cue, the line with whitespace runs collapsed, nothing but a cue is possible for it)
_CueLine = tuple[_Cue | None, str, bool]


def _cue_line(t: str) -> _CueLine:
    """(``_parse_cue(t)``, ``t`` with whitespace runs collapsed, False): a line read as a cue.

    The third field is set by the classification pass (see ``cue_known`` there)."""
    return _parse_cue(t), " ".join(t.split()), False


def _maybe_contd(t: str) -> bool:
    """Cheap gate for _CONTD_LINE on a line that starts with "(" (and so is non-empty)."""
    return len(t) > 5 and t[-1] == ")" and (t[1] == "C" or t[1] == "c" or t[1].isspace())


def _lead_num(t: str) -> tuple[str, int] | None:
    """``(m.group("num"), m.end())`` for ``m = _LEAD_NUM.match(t)``, or None.

    Only a line that starts with a digit, or a capital and a digit, can match. The pattern
    matches when the first whitespace-separated token is a scene number (``_NUM_TOKEN``) and
    something follows it, so that token is tested alone (a plain number without a regex).
    """
    if not t:
        return None
    c = t[0]
    if c.isdigit() or ("A" <= c <= "Z" and len(t) > 1 and t[1].isdigit()):
        parts = t.split(None, 1)
        if len(parts) < 2:
            return None
        tok = parts[0]
        n = len(tok)
        if n <= 4 and tok.isdecimal():
            num = tok
        elif 1 < n <= 5 and tok[-1] == "." and tok[:-1].isdecimal():
            num = tok[:-1]
        else:
            m = _NUM_TOKEN.fullmatch(tok)
            if m is None:
                return None
            num = m.group("num")
        return num, len(t) - len(parts[1])
    return None


def _trail_num(t: str) -> tuple[int, str] | None:
    """``(m.start(), m.group("num"))`` for ``m = _TRAIL_NUM.search(t)``, or None.

    The number can only be the last whitespace-separated token, so that token is matched
    alone instead of trying the pattern at every position of the line.
    """
    if not t:
        return None
    if "\n" in t:  # "$" also matches before a final newline: leave that case to the regex
        m = _TRAIL_NUM.search(t)
        return (m.start(), m.group("num")) if m else None
    c = t[-1]
    if "A" <= c <= "Z" and len(t) > 2 and "A" <= t[-2] <= "Z" and "A" <= t[-3] <= "Z":
        # Three capitals at the end ("NIGHT"): only "-ABC" can end a scene number.
        if len(t) < 4 or t[-4] != "-":
            return None
    elif c.isspace():
        return None
    parts = t.rsplit(None, 1)
    if len(parts) < 2:
        return None
    tok = parts[1]
    if len(tok) <= 4 and tok.isdecimal():  # (\d is a decimal digit: _NUM_TOKEN matches it all)
        return len(parts[0]), tok
    m = _NUM_TOKEN.fullmatch(tok)
    if m is None:
        return None
    return len(parts[0]), m.group("num")


def _ends_in_three_capitals(t: str) -> bool:
    """Three ASCII capitals end ``t``, not after a hyphen: ``_trail_num(t)`` is None (a scene
    number ends in at most two letters, or in "-ABC")."""
    return (
        len(t) > 2
        and "A" <= t[-1] <= "Z"
        and "A" <= t[-2] <= "Z"
        and "A" <= t[-3] <= "Z"
        and (len(t) < 4 or t[-4] != "-")
    )


def _head_ie(body: str) -> bool:
    """``bool(_HEAD_IE.match(body))`` for a stripped line; "INT."/"EXT." decide it at once
    (the pattern then always matches: a stripped line goes on to a non-space character)."""
    if len(body) > 4:
        p = body[:4]
        if p == "INT." or p == "EXT.":
            return True
    # (the pattern is case-insensitive: İ and ı match its I too)
    return body[:1] in _IE_FIRST and _HEAD_IE.match(body) is not None


def _strip_numbers(
    t: str, lead: tuple[str, int] | None | bool = False
) -> tuple[str, str | None, bool]:
    """Strip scene numbers at both ends: (text, number, numbered_at_both_ends).

    ``lead`` is ``_lead_num(t)`` when the caller has it already.
    """
    num: str | None = None
    if lead is False:
        lead = _lead_num(t)
    if lead:
        num = lead[0]  # type: ignore[index]
        t = t[lead[1] :]  # type: ignore[index]
    both = False
    for _ in range(2):
        m = _trail_num(t)
        if not m:
            break
        tn = m[1]
        if num is None or tn == num:
            if num is None:
                num = tn
            else:
                both = True
            t = t[: m[0]]
        else:
            break
    return t, num, both


_NUM_SECOND = "NXS/"  # the second characters of _IE3's words


def _yes() -> bool:
    return True


def _no() -> bool:
    return False


def _numbering(t: str) -> int:
    """What a stripped, non-empty line adds to :meth:`_Core._numbered_script`'s counts: 0
    nothing, 1 a heading without a scene number, 2 a numbered heading."""
    c = t[0]
    if len(t) < 5 or not (  # (a heading is at least "INT.X" long)
        (c in _HEAD_FIRST and (c <= "9" or t[1] in _NUM_SECOND)) or (c > "\x7f" and c.isdigit())
    ):
        return 0
    p = t[:4]
    if (p == "INT." or p == "EXT.") and len(t) > 4:
        return 1 if _trail_num(t) is None else 2
    if not (t[:3] in _IE3 or c.isdigit()):
        return 0
    lead = _lead_num(t)
    body = t[lead[1] :] if lead else t
    if _head_ie(body) and body[:3].isupper():
        return 2 if lead or _trail_num(body) else 1
    return 0


# --- line splitting -----------------------------------------------------------------------

_ODD_BREAKS = ("\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")

_Lists = tuple[list[str], list[float], list[int], list[int], list[int]]


class _Lines(NamedTuple):
    """Parallel per-line lists for :class:`_Core`.

    ``starts``/``ends`` are the offsets of the stripped texts and ``nums`` the 1-based line
    numbers. For text without odd line breaks they are None: record ``k`` is line ``k + 1``
    and its text starts at ``cum[k] + k + leads[k]`` (``cum``: the lengths of the lines
    before it, ``leads``: its leading whitespace in characters), which is cheaper to keep.
    """

    texts: list[str]
    indents: list[float]
    starts: list[int] | None
    ends: list[int] | None
    nums: list[int] | None
    cum: list[int] | None = None
    leads: list[int] | None = None


def _split(text: str) -> _Lines:
    """The lines of ``text`` (blank lines included) as :class:`_Lines`.

    Lines end at ``\\n``, ``\\r\\n``, a lone ``\\r`` and the other Unicode line breaks (a form
    feed starts a new line); line numbers count ``\\n`` only, as :class:`LineIndex` does.
    """
    if any(c in text for c in _ODD_BREAKS) or (
        "\r" in text and text.count("\r") != text.count("\r\n")
    ):
        return _Lines(*_split_odd(text))
    lines = text.split("\n")
    # This is the one step that touches every line: C-level maps where possible.
    lens = list(map(len, lines))
    left = list(map(str.lstrip, lines))
    texts = list(map(str.rstrip, left))
    leads = list(map(sub, lens, map(len, left)))
    cum = list(accumulate(lens, initial=0))
    indents = leads
    if "\t" in text:
        indents = [
            len(ln[:d].expandtabs(8)) if "\t" in ln[:d] else d
            for ln, d in zip(lines, leads, strict=True)
        ]
    return _Lines(texts, indents, None, None, None, cum, leads)  # type: ignore[arg-type]


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
    """Records for every line of ``text`` (blank lines included).

    A blank line's record has its length in columns as indentation and both offsets at its
    end (unlike the reader's internal lists, where those are left meaningless).
    """
    if any(c in text for c in _ODD_BREAKS) or text.count("\r") != text.count("\r\n"):
        t, i, s, e, _ = _split_odd(text)
        return [LineRec(*r) for r in zip(t, i, s, e, strict=True)]
    recs: list[LineRec] = []
    off = 0
    for ln in text.split("\n"):
        t = ln.strip()
        lead = len(ln) - len(ln.lstrip())
        indent = len(ln[:lead].expandtabs(8)) if "\t" in ln[:lead] else lead
        recs.append(LineRec(t, indent, off + lead, off + lead + len(t)))
        off += len(ln) + 1
    return recs


# --- the classification core --------------------------------------------------------------

_IE3 = frozenset({"INT", "EXT", "EST", "I/E", "E/I"})
# The first characters of a line that can open a scene heading (ASCII; see _numbered_script).
_HEAD_FIRST = frozenset("IE0123456789")
# The ASCII characters that are not in _HEAD_FIRST.
_NOT_HEAD_FIRST = frozenset(map(chr, range(128))) - _HEAD_FIRST
# The first (ASCII) and last characters that page furniture, web debris, a heading or a
# transition need (besides a non-ASCII first character, a known transition, a site line).
_FIRST_GATES = _FURN_FIRST | frozenset(_FURN4_SECOND) | _WEB_FIRST | _HEAD_FIRST
_LAST_GATES = frozenset(".;{:O")
# The ASCII characters that are not first-character gates: for a character c,
# ``c not in _SAFE_FIRST`` is ``c in _FIRST_GATES or c > "\x7f"``.
_SAFE_FIRST = frozenset(map(chr, range(128))) - _FIRST_GATES


def _second_gates() -> dict[str, str]:
    """For a first-character gate that is not a furniture first character: the second
    characters that the tests it opens need (a page-furniture word of _FURN_FIRST4, a prefix
    of _WEB_PREFIX, a scene heading's INT/EXT/EST/I/E/E/I). A line whose second character is
    none of them (or that has none) passes none of those tests: only its last character (or
    its whole text, or its being a script-site line) can make it special. Characters left
    out (furniture first characters, one-character web prefixes, digits) open every test.
    """
    gates: dict[str, str] = {}
    for c in sorted(_FIRST_GATES - _FURN_FIRST):
        second = _FURN4_SECOND.get(c, "")
        whole = False
        if c in _WEB_FIRST:
            p = _WEB_PREFIX[c]
            for w in (p,) if isinstance(p, str) else p:
                if len(w) < 2:
                    whole = True
                second += w[1:2]
        if c in _HEAD_FIRST:
            whole = whole or c.isdigit()
            second += "".join(w[1] for w in _IE3 if w[0] == c)
        if not whole:
            gates[c] = "".join(sorted(set(second)))
    return gates


# For a line t with first character c: the first-character tests (page furniture by its first
# characters, web debris, a scene heading) can pass only when ``c not in _SAFE_FIRST and
# ((s := _SECOND_GATES.get(c)) is None or (len(t) > 1 and t[1] in s))``.
_SECOND_GATES = _second_gates()
# The first characters of page furniture (_FURN_FIRST and _FURN_FIRST4's).
_FURN_FIRST_ANY = _FURN_FIRST | frozenset(_FURN4_SECOND)
_REV_MARK = re.compile(r"(?:^|\s+)\*+$")
# an asterisk at the end of a line (any line break, as str.splitlines knows them)
_STAR_END = re.compile("\\*[ \t]*(?=[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]|\\Z)")
_K = ElementKind
# The gap between two columns of dual dialogue: a run of whitespace holding three spaces in a
# row (taken whole, so that the text on either side has no whitespace at its ends).
_COLUMN_GAP = re.compile(r"\s* {3}\s*")


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
    int_indents = all(type(x) is int for x in indents)
    return _Core(texts, indents, starts, ends, nums, source_text, None, None, int_indents).run()


# make_element's fast slot filling is valid (the model's classes have the layout it expects):
# the emitter below may do the same inline.
_FUSED = make_element is not _model._make_element_plain


def _emitter(
    N: list[int] | None,
    S: list[int] | None,
    E: list[int] | None,
    T: list[str],
    C: list[int] | None = None,
    L: list[int] | None = None,
    add: Callable[[Element], None] | None = None,
) -> Callable[..., Element]:
    """``emit(kind, text, a, b, speaker=None, extension=None)``: the Element whose span runs
    from the start of line record ``a`` to the end of ``b``.

    ``N`` holds the 1-based line number of each record (None: record ``k`` is line ``k + 1``);
    ``S``/``E`` the start and end offsets (``E`` None: ``S[k] + len(T[k])``; ``S`` None: the
    start is ``C[k] + k + L[k]``, see :class:`_Lines`). With ``add``, every element made is
    also passed to it (``elements.append``: one call fewer per element).
    """
    mk = make_element
    if S is None and _FUSED and add is not None:
        assert C is not None and L is not None
        span_slots, span_cls, el_cls, new = _model._SpanSlots, Span, Element, object.__new__

        def emit_add(
            kind: ElementKind,
            text: str,
            a: int,
            b: int,
            speaker: str | None = None,
            extension: str | None = None,
        ) -> Element:
            start = C[a] + a + L[a]
            sp = span_slots()
            if a == b:
                sp.start_line = sp.end_line = a + 1
                sp.end_char = start + len(T[a])
            else:
                sp.start_line = a + 1
                sp.end_line = b + 1
                sp.end_char = C[b] + b + L[b] + len(T[b])
            sp.start_char = start
            sp.start_time = sp.end_time = None
            sp.__class__ = span_cls
            el = new(el_cls)
            el.kind = kind
            el.text = text
            el.span = sp
            el.speaker = speaker
            el.extension = extension
            el.dual = False
            el.attrs = {}
            el.speaker_id = el.addressee_id = el.attribution = None
            add(el)
            return el  # type: ignore[no-any-return]

        return emit_add
    if add is not None:
        plain = _emitter(N, S, E, T, C, L)

        def emit_add(
            kind: ElementKind,
            text: str,
            a: int,
            b: int,
            speaker: str | None = None,
            extension: str | None = None,
        ) -> Element:
            el = plain(kind, text, a, b, speaker, extension)
            add(el)
            return el

        return emit_add
    if S is None and _FUSED:
        assert C is not None and L is not None
        # make_element's slot filling, inline (one call per element instead of two).
        span_slots, span_cls, el_cls, new = _model._SpanSlots, Span, Element, object.__new__

        def emit(
            kind: ElementKind,
            text: str,
            a: int,
            b: int,
            speaker: str | None = None,
            extension: str | None = None,
        ) -> Element:
            start = C[a] + a + L[a]
            sp = span_slots()
            if a == b:
                sp.start_line = sp.end_line = a + 1
                sp.end_char = start + len(T[a])
            else:
                sp.start_line = a + 1
                sp.end_line = b + 1
                sp.end_char = C[b] + b + L[b] + len(T[b])
            sp.start_char = start
            sp.start_time = sp.end_time = None
            sp.__class__ = span_cls
            el = new(el_cls)
            el.kind = kind
            el.text = text
            el.span = sp
            el.speaker = speaker
            el.extension = extension
            el.dual = False
            el.attrs = {}
            el.speaker_id = el.addressee_id = el.attribution = None
            return el  # type: ignore[no-any-return]

    elif S is None:
        assert C is not None and L is not None

        def emit(
            kind: ElementKind,
            text: str,
            a: int,
            b: int,
            speaker: str | None = None,
            extension: str | None = None,
        ) -> Element:
            start = C[a] + a + L[a]
            if a == b:
                line = a + 1
                return mk(kind, text, line, line, start, start + len(T[a]), speaker, extension)
            end = C[b] + b + L[b] + len(T[b])
            return mk(kind, text, a + 1, b + 1, start, end, speaker, extension)

    else:

        def emit(
            kind: ElementKind,
            text: str,
            a: int,
            b: int,
            speaker: str | None = None,
            extension: str | None = None,
        ) -> Element:
            end = S[b] + len(T[b]) if E is None else E[b]
            if N is None:
                return mk(kind, text, a + 1, b + 1, S[a], end, speaker, extension)
            return mk(kind, text, N[a], N[b], S[a], end, speaker, extension)

    return emit


# "IMDb" and "IMSDb" in one scan. (A two-character needle is the slow case of ``str.find``,
# half the speed of this regex, whose scan looks for its first two characters.)
_IMDB = re.compile("IMS?Db")


def _site_offsets(text: str) -> list[int]:
    """Offsets of every script-site boilerplate word in ``text``: ``str.find`` for the long
    words, one regex scan for "IMDb" and "IMSDb"."""
    found: list[int] = []
    find = text.find
    for w in _SITE_PROBES:
        k = find(w)
        while k >= 0:
            found.append(k)
            k = find(w, k + 1)
    for m in _IMDB.finditer(text):
        found.append(m.start())
    return found


class _Core:
    """One classification run over parallel line lists."""

    def __init__(
        self,
        texts: list[str],
        indents: list[float],
        starts: list[int] | None,
        ends: list[int] | None,
        nums: list[int] | None,
        source_text: str,
        cum: list[int] | None = None,
        leads: list[int] | None = None,
        int_indents: bool = False,
    ) -> None:
        self.T = texts
        self.I = indents
        self.S = starts  # None: see _Lines (record k is line k + 1)
        self.E = ends
        self.N = nums
        self.n = len(texts)
        self.ascii = source_text.isascii()
        self.source_text = source_text
        # line -> _cue_line(line), per document (scripts repeat their cues)
        self.cue_lines: dict[str, _CueLine] = {}
        # Lines holding script-site boilerplate (found with one scan of the whole text).
        self.site_lines: frozenset[int] = frozenset(self._rows_of(_site_offsets(source_text)))
        self._strip_revision_marks(source_text)
        self.emit = _emitter(nums, starts, ends, texts, cum, leads)
        self.C = cum
        self.L = leads
        self.action = self._action_indent()
        self._numbered: bool | None = None  # see numbered(): computed when first needed
        # _numbering summed over the lines by the last pass: (headings, numbered headings)
        self.counted = (0, 0)
        self.int_indents = int_indents
        # A blank line after the last one: scans for the end of a paragraph need no bound.
        texts.append("")

    # -- statistics ---------------------------------------------------------------------

    def _strip_revision_marks(self, source_text: str) -> None:
        """Drop the revision asterisks shooting scripts put at the right margin."""
        if "*" not in source_text:
            return
        T, E, S = self.T, self.E, self.S
        ends = set(self._rows_of([m.start() for m in _STAR_END.finditer(source_text)]))
        for k in sorted(ends):
            if k < 0 or not T[k].endswith("*"):
                continue
            m = _REV_MARK.search(T[k])
            if m:
                t = T[k][: m.start()]
                T[k] = t
                if E is not None and S is not None:  # (None: computed from the texts)
                    E[k] = S[k] + len(t)

    def _rows_of(self, offsets: list[int]) -> list[int]:
        """The record holding the (non-blank) character at each offset."""
        S = self.S
        if S is not None:
            return [bisect.bisect_right(S, k) - 1 for k in offsets]
        # Record k is the k-th "\\n"-separated line: count the newlines before each offset.
        text = self.source_text
        rows: list[int] = []
        row = pos = 0
        for k in sorted(offsets):
            row += text.count("\n", pos, k)
            pos = k
            rows.append(row)
        return rows

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

    def numbered(self) -> bool:
        """True when most INT./EXT. headings carry a scene number. A classification pass sets
        it from its own count (see ``counted``); otherwise it is computed once, on demand, by
        :meth:`_numbered_script` (which the pass's count equals: tests/test_fast_paths.py)."""
        if self._numbered is None:
            self._numbered = self._numbered_script()
        return self._numbered

    def _numbered_script(self) -> bool:
        """True when most INT./EXT. headings carry a scene number (trailing numbers are ones)."""
        total = numbered = 0
        # Gate on the first character (indexing is much cheaper than slicing).
        first = _HEAD_FIRST
        if self.ascii:
            # (the loop below skips at once a line whose first three characters are not one of
            # _IE3 and whose first is not a digit: their second character rules most out)
            cands = [
                t
                for t in filter(None, self.T)
                if (c := t[0]) in first and (c <= "9" or (len(t) > 2 and t[1] in "NXS/"))
            ]
        else:
            # (one set test rules out a line whose first character is ASCII and not a gate)
            other = _NOT_HEAD_FIRST
            cands = [
                t
                for t in filter(None, self.T)
                if (c := t[0]) not in other
                and (
                    (c in first and (c <= "9" or (len(t) > 2 and t[1] in "NXS/")))
                    or (c > "\x7f" and c.isdigit())
                )
            ]
        for t in cands:
            p = t[:4]
            if (p == "INT." or p == "EXT.") and len(t) > 4:
                total += 1  # (no number in front: see _heading)
                if _trail_num(t):
                    numbered += 1
                continue
            if not (t[:3] in _IE3 or t[0].isdigit()):
                continue
            lead = _lead_num(t)
            body = t[lead[1] :] if lead else t
            if _head_ie(body) and body[:3].isupper():
                total += 1
                if lead or _trail_num(body):
                    numbered += 1
        return total > 0 and numbered * 2 >= total

    # -- helpers ------------------------------------------------------------------------

    def _piece(
        self,
        kind: ElementKind,
        text: str,
        k: int,
        a: int,
        b: int,
        speaker: str | None = None,
        extension: str | None = None,
    ) -> Element:
        """The element for characters ``[a, b)`` of line record ``k``'s stripped text."""
        start = (self.C[k] + k + self.L[k] if self.S is None else self.S[k]) + a  # type: ignore[index]
        line = k + 1 if self.N is None else self.N[k]
        return make_element(kind, text, line, line, start, start + b - a, speaker, extension)

    def _dual(self, i: int) -> tuple[list[Element], list[Element], int] | None:
        """Dual dialogue laid out in two columns, when line ``i`` holds two cues side by side.

        ``i``'s text must split, at a run of three or more spaces, into two parts that each read
        as a cue (not a bare extension such as CONT'D or V.O., nor a heading or a transition),
        a speech must follow, and some
        line of it must hold text in the right-hand column. The speech runs to the next blank
        line; each line of it is split at runs of three or more spaces and its parts go to the
        column their start falls in: the boundary is halfway between the starts of the two
        cues, or further left where a line in two parts starts its right-hand part.

        A column's text is interleaved with the other column's in the source, so a column
        cannot have one contiguous span: every physical line of a column is one element (its
        span is exactly that fragment), dialogue or parenthetical (from a "(" to its ")");
        a fragment that goes on with the element of the same kind on the line before in its
        column has ``attrs["continues"] = True``. As in the Fountain and FDX readers, every
        element gets ``dual=True`` and the cues ``attrs["dual"] = "left"`` / ``"right"``;
        the order is the left cue and its lines, then the right cue and its lines. Returns
        (elements, page furniture found inside, the record after the blank line).
        """
        T, I = self.T, self.I  # noqa: E741
        t = T[i]
        gaps = list(_COLUMN_GAP.finditer(t))
        if len(gaps) != 1 or not T[i + 1]:
            return None
        g = gaps[0]
        left, right = t[: g.start()], t[g.end() :]
        cues = []
        for part in (left, right):
            cue = _parse_cue(part)
            if (
                cue is None
                or _CONTD.match(cue[0])
                or _KNOWN_EXT.match(cue[0])
                or _heading(part, lambda: False) is not None
                or (part.isupper() and _transition(part, 0, 0))
            ):
                return None
            cues.append(cue)
        # The speech: each line's parts (start, end) in its stripped text, and their columns.
        furniture: list[Element] = []
        rows: list[tuple[int, list[tuple[int, int]]]] = []
        k = i + 1
        while T[k]:
            line = T[k]
            if _maybe_furniture(line) and (fk := _is_page_furniture(line)) is not None:
                furniture.append(self._fur(fk, k))
            else:
                parts = []
                pos = 0
                for gap in _COLUMN_GAP.finditer(line):
                    parts.append((pos, gap.start()))
                    pos = gap.end()
                parts.append((pos, len(line)))
                rows.append((k, parts))
            k += 1
        # The column boundary: halfway between the two cues' starts, or further left where a
        # line with text in both columns starts its right-hand part.
        boundary = I[i] + g.end() / 2
        for k2, parts in rows:
            if len(parts) == 2:
                boundary = min(boundary, I[k2] + parts[1][0])
        cols: tuple[list[tuple[int, int, int]], list[tuple[int, int, int]]] = ([], [])
        for k2, parts in rows:
            bounds: list[list[int]] = [[], []]
            for a, b in parts:
                side = 1 if I[k2] + a >= boundary else 0
                bounds[side].append(a)
                bounds[side].append(b)
            for side in (0, 1):
                if bounds[side]:
                    cols[side].append((k2, bounds[side][0], bounds[side][-1]))
        if not cols[1]:
            return None  # nothing in a right-hand column: not two columns
        els: list[Element] = []
        for side, part, start, (speaker, ext, contd) in (
            (0, left, 0, cues[0]),
            (1, right, g.end(), cues[1]),
        ):
            cel = self._piece(
                _K.CHARACTER, " ".join(part.split()), i, start, start + len(part), speaker, ext
            )
            cel.dual = True
            cel.attrs["dual"] = "left" if side == 0 else "right"
            if contd:
                cel.attrs["contd"] = True
            els.append(cel)
            depth = 0
            prev_kind: ElementKind | None = None
            prev_line = -1
            for k2, a, b in cols[side]:
                raw = T[k2][a:b]
                if depth > 0 or raw[0] == "(":
                    kind = _K.PARENTHETICAL
                    going_on = depth > 0
                    depth = max(0, depth + raw.count("(") - raw.count(")"))
                else:
                    kind = _K.DIALOGUE
                    going_on = prev_kind is _K.DIALOGUE and prev_line == k2 - 1
                el = self._piece(kind, " ".join(raw.split()), k2, a, b, speaker, ext)
                el.dual = True
                if going_on:
                    el.attrs["continues"] = True
                els.append(el)
                prev_kind, prev_line = kind, k2
        return els, furniture, k + 1

    def _fur(self, kind: str, k: int) -> Element:
        el_kind = _K.NOTE if kind == "web" else _K.PAGE_BREAK
        el = self.emit(el_kind, self.T[k], k, k)
        el.attrs["furniture"] = kind
        return el

    def _cue_at(self, i: int, flush: bool) -> tuple[str, str | None, bool] | None:
        """The cue on line ``i`` (speaker, extension, contd) if it opens a speech."""
        return self._cue_finder(flush)(i)

    def _cue_finder(self, flush: bool) -> Callable[[int], tuple[str, str | None, bool] | None]:
        """:meth:`_cue_at` as a closure over the line lists (the pass calls it per cue)."""
        T, I, n = self.T, self.I, self.n  # noqa: E741
        A = self.action
        cue_min = A + 6
        # For whole-number indents x: x >= A - 0.5 is x >= A, and x < y - 0.5 is x < y
        # (comparing two ints is much cheaper than comparing an int with a float).
        low = A if self.int_indents else A - 0.5
        half = 0 if self.int_indents else 0.5
        FF, F4S, FF4 = _FURN_FIRST, _FURN4_SECOND, _FURN_FIRST4
        furn, trans, cue_line = _is_page_furniture, _transition, _cue_line
        known_ext, contd_line = _KNOWN_EXT.match, _CONTD_LINE.match
        paren_gate = _paren_furniture_gate
        cue_lines = self.cue_lines

        def cue_at(i: int) -> tuple[str, str | None, bool] | None:
            k = i + 1
            if k >= n:
                return None
            nt = T[k]
            if not nt:
                return None
            n0 = nt[0]
            if (
                n0 == "("
                # _maybe_contd(nt), inline
                and len(nt) > 5
                and nt[-1] == ")"
                and ((c1 := nt[1]) == "C" or c1 == "c" or c1.isspace())
                and contd_line(nt)
            ):  # "(CONT'D)" under the name
                k += 1
                if k >= n or not T[k]:
                    return None
                nt = T[k]
                n0 = nt[0]
            # A page number or header between the name and the speech (PDF page break).
            no_furniture = False  # known: nt is not page furniture
            if n0 == "(" and not paren_gate(nt):
                no_furniture = True
            while (
                not no_furniture
                and (
                    n0 in FF
                    or (n0 in F4S and len(nt) > 3 and nt[1] in F4S[n0] and nt[:4] in FF4)
                    or (nt[-1] == "." and len(nt) > 1 and nt[-2].isdigit())
                )
                and (k + 1 < n and T[k + 1])
            ):
                if furn(nt) is None:
                    no_furniture = True
                    break
                k += 1
                nt = T[k]
                n0 = nt[0]
            ni = I[k]
            ind = I[i]
            if ind >= cue_min:
                if n0 == "(":
                    if not no_furniture and furn(nt) is not None:
                        return None
                elif low <= ni <= ind - 2:
                    if (
                        not no_furniture
                        and (
                            n0 in FF
                            or (n0 in F4S and len(nt) > 3 and nt[1] in F4S[n0] and nt[:4] in FF4)
                            or (nt[-1] == "." and len(nt) > 1 and nt[-2].isdigit())
                        )
                        and furn(nt) is not None
                    ):
                        return None
                    if nt.isupper() and trans(nt, ni, A):
                        return None
                else:
                    # The text under it is not further left: only a name with a known extension.
                    if ni < low or nt == nt.upper():
                        return None
                    t = T[i]
                    line = cue_lines.get(t)
                    if line is None:
                        line = cue_lines[t] = cue_line(t)
                    parsed = line[0]
                    if parsed is not None and parsed[1] is not None and known_ext(parsed[1]):
                        return parsed
                    return None
                t = T[i]
                line = cue_lines.get(t)
                if line is None:
                    line = cue_lines[t] = cue_line(t)
                parsed = line[0]
                return parsed
            # At (or near) the action indent: a known extension, or a flush-left script.
            t = T[i]
            if (i > 0 and T[i - 1]) or (not flush and "(" not in t):
                return None
            if n0 != "(" and nt == nt.upper():
                return None
            if ni < ind - half or ni > ind + 12:
                return None
            line = cue_lines.get(t)
            if line is None:
                line = cue_lines[t] = cue_line(t)
            parsed = line[0]
            if parsed is None:
                return None
            if flush:
                return parsed if t.isupper() else None
            if (parsed[1] is not None and known_ext(parsed[1])) or parsed[2]:
                return parsed
            return None

        return cue_at

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
        """One classification pass (``flush``: cues may sit at the action indent).

        Speeches are read inline (no call per cue), and every test is gated by comparisons of
        single characters: slicing a line or calling a method costs many times more.
        """
        T, I, n = self.T, self.I, self.n  # noqa: E741
        A = self.action
        cue_min = A + 6
        # For whole-number indents x: x <= A + 0.5 is x <= A, x >= A - 0.5 is x >= A.
        margin = A if self.int_indents else A + 0.5
        low = A if self.int_indents else A - 0.5
        far = A + 30
        not_flush = not flush
        FF, F4S, FF4, WF, WPF = _FURN_FIRST, _FURN4_SECOND, _FURN_FIRST4, _WEB_FIRST, _WEB_PREFIX
        HF, IE3, TRK, trk_max = _HEAD_FIRST, _IE3, _TRANSITION_KNOWN, _TRANSITION_MAX
        LAST_GATES = _LAST_GATES
        # (c not in SAFE: c in _FIRST_GATES or c > "\x7f"; c in FFX: c in FF or c in F4S)
        SAFE, FFX, SEC = _SAFE_FIRST, _FURN_FIRST_ANY, _SECOND_GATES
        web_match, contd_line = _WEB_JUNK.match, _CONTD_LINE.match
        furn, heading, trans, join = _is_page_furniture, _heading, _transition, _join
        space_join = " ".join
        K_HEAD, K_TRANS, K_CUE, K_ACT = _K.SCENE_HEADING, _K.TRANSITION, _K.CHARACTER, _K.ACTION
        K_PAR, K_DLG = _K.PARENTHETICAL, _K.DIALOGUE
        # Whether the script numbers its scenes (see numbered()) is counted as the pass goes:
        # every line it takes adds _numbering(line) to n_tot/n_num (lines read as a cue, a
        # transition, page furniture before the heading test or action add nothing: a line
        # that does is read as a heading). Headings that depend on the answer are read as if
        # it were yes and put in ``pending``, to be read again at the end should it be no.
        numbered = _yes
        numbering = _numbering
        tl = [0, 0]  # _heading's tally
        n_tot = n_num = 0
        pending: list[tuple[Element, int, int]] = []
        NUM2 = _NUM_SECOND
        site = self.site_lines
        cue_at = self._cue_finder(flush)
        # line -> (its cue, its text with whitespace runs collapsed), per document
        cue_lines = self.cue_lines

        def cue_known(t: str, line: _CueLine | None, cl: str) -> _CueLine:
            """``cue_lines[t]``, made or marked: line ``t`` was just found to be none of page
            furniture, web debris, a heading or a transition. Those tests depend on the text
            alone, except a transition ending in ":" or " TO", which depends on the indent,
            and a script-site line (checked apart), so the mark lets the next line with the
            same text skip them."""
            # (a line with a wide gap is looked at for two cues side by side each time)
            free = cl != ":" and not (cl == "O" and t.endswith(" TO")) and "   " not in t
            if line is None:
                parsed, collapsed, _ = _cue_line(t)
                line = cue_lines[t] = (parsed, collapsed, free)
            elif free and not line[2]:
                line = cue_lines[t] = (line[0], line[1], True)
            return line

        out = Classified(action_indent=A)
        elements = out.elements
        # emit(...) makes an element and appends it to the elements
        emit = _emitter(self.N, self.S, self.E, T, self.C, self.L, elements.append)
        # For the commonest elements, emit's body inline (when it is the fused emitter)
        fused = self.S is None and _FUSED
        C, L, add_el = self.C, self.L, elements.append
        span_slots, span_cls, el_cls, new = _model._SpanSlots, Span, Element, object.__new__
        fadd = out.furniture.append
        fur: Callable[[str, int], Element]
        if fused:
            K_NOTE, K_PAGE = _K.NOTE, _K.PAGE_BREAK

            def fur(kind: str, k: int) -> Element:
                """``self._fur(kind, k)`` with emit's body inline (one call, not two)."""
                sp = span_slots()
                sp.start_line = sp.end_line = k + 1
                sp.start_char = start = C[k] + k + L[k]  # type: ignore[index]
                sp.end_char = start + len(T[k])
                sp.start_time = sp.end_time = None
                sp.__class__ = span_cls
                el = new(el_cls)
                el.kind = K_NOTE if kind == "web" else K_PAGE
                el.text = T[k]
                el.span = sp
                el.speaker = el.extension = None
                el.dual = False
                el.attrs = {"furniture": kind}
                el.speaker_id = el.addressee_id = el.attribution = None
                return el  # type: ignore[no-any-return]

        else:
            fur = self._fur
        heading_at = out.heading_at
        story = -1
        cues = 0
        headings = 0
        i = 0
        while i < n:
            t = T[i]
            if not t:
                i += 1
                continue
            ind = I[i]
            if ind >= cue_min:
                # A line read before as a cue's name, for which nothing else is possible (its
                # entry in cue_lines says so: see cue_known), skips the tests for furniture,
                # debris, headings and transitions.
                line = cue_lines.get(t)
                known = line is not None and line[2] and not (site and i in site)
                speech = False
                if known:
                    # The common speech, inline: the cue (what the inline test below finds),
                    # then dialogue.
                    nt = T[i + 1]
                    if (
                        nt
                        and (cue := line[0]) is not None
                        and (n0 := nt[0]) != "("
                        and low <= (ni := I[i + 1]) <= ind - 2
                        and not (
                            n0 in FF
                            or (n0 in F4S and len(nt) > 3 and nt[1] in F4S[n0] and nt[:4] in FF4)
                            or (
                                nt[-1] == "."
                                and len(nt) > 1
                                and ("0" <= (d2 := nt[-2]) <= "9" or (d2 > "\x7f" and d2.isdigit()))
                            )
                        )
                        and not (nt.isupper() and trans(nt, ni, A))
                    ):
                        speaker, ext, contd = cue
                        if fused:  # emit(K_CUE, line[1], i, i, speaker, ext), inline
                            sp = span_slots()
                            sp.start_line = sp.end_line = i + 1
                            sp.start_char = start = C[i] + i + L[i]
                            sp.end_char = start + len(t)
                            sp.start_time = sp.end_time = None
                            sp.__class__ = span_cls
                            cel = new(el_cls)
                            cel.kind = K_CUE
                            cel.text = line[1]
                            cel.span = sp
                            cel.speaker = speaker
                            cel.extension = ext
                            cel.dual = False
                            cel.attrs = {"contd": True} if contd else {}
                            cel.speaker_id = cel.addressee_id = cel.attribution = None
                            add_el(cel)
                        else:
                            cel = emit(K_CUE, line[1], i, i, speaker, ext)
                            if contd:
                                cel.attrs["contd"] = True
                        cues += 1
                        if story < 0:
                            story = i
                        if ni > margin or flush:
                            if (
                                (n0 in HF and len(nt) > 4 and (n0 <= "9" or nt[1] in NUM2))
                                or (n0 > "\x7f" and n0.isdigit() and len(nt) > 4)
                            ) and (k := numbering(nt)):
                                n_tot += 1
                                n_num += k - 1
                            if not T[i + 2]:  # one line of dialogue, then a blank line
                                if fused:  # emit(K_DLG, nt, i + 1, i + 1, speaker, ext), inline
                                    i += 1
                                    sp = span_slots()
                                    sp.start_line = sp.end_line = i + 1
                                    sp.start_char = start = C[i] + i + L[i]
                                    sp.end_char = start + len(nt)
                                    sp.start_time = sp.end_time = None
                                    sp.__class__ = span_cls
                                    el = new(el_cls)
                                    el.kind = K_DLG
                                    el.text = nt
                                    el.span = sp
                                    el.speaker = speaker
                                    el.extension = ext
                                    el.dual = False
                                    el.attrs = {}
                                    el.speaker_id = el.addressee_id = el.attribution = None
                                    add_el(el)
                                    i += 2
                                else:
                                    emit(K_DLG, nt, i + 1, i + 1, speaker, ext)
                                    i += 3
                                continue
                            d0 = i + 1
                            said = True
                            i += 2
                        else:
                            d0 = -1
                            said = False
                            i += 1
                        speech = True
            else:
                known = speech = False
            if not speech:
                if not known:
                    c0 = t[0]
                    cl = t[-1]
                    # Page furniture, web debris, a heading or a transition: each needs a first or
                    # last character that one test rules out for most lines.
                    if cl == "." and not (
                        (
                            c0 not in SAFE
                            and ((s2 := SEC.get(c0)) is None or (len(t) > 1 and t[1] in s2))
                        )
                        or (len(t) <= trk_max and t in TRK)
                        or (site and i in site)
                    ):
                        # Ends with a full stop and nothing else special: only a page header ("...
                        # 12.") or an upper-case transition ("FADE OUT.") is possible.
                        if len(t) > 1 and (
                            "0" <= (d2 := t[-2]) <= "9" or (d2 > "\x7f" and d2.isdigit())
                        ):
                            fk = furn(t)
                            if fk is not None:
                                fadd(fur(fk, i))
                                i += 1
                                continue
                        if t.isupper() and trans(t, I[i], A):
                            emit(
                                K_TRANS,
                                t if "  " not in t and t.isprintable() else " ".join(t.split()),
                                i,
                                i,
                            )
                            if story < 0:
                                story = i
                            i += 1
                            continue
                    elif (
                        (
                            c0 not in SAFE
                            and ((s2 := SEC.get(c0)) is None or (len(t) > 1 and t[1] in s2))
                        )
                        or cl in LAST_GATES
                        or (len(t) <= trk_max and t in TRK)
                        or (site and i in site)
                    ):
                        if (
                            c0 in FF
                            or (c0 in F4S and len(t) > 3 and t[1] in F4S[c0] and t[:4] in FF4)
                            or (
                                cl == "."
                                and len(t) > 1
                                and ("0" <= (d2 := t[-2]) <= "9" or (d2 > "\x7f" and d2.isdigit()))
                            )
                        ):
                            fk = furn(t)
                            if fk is not None:
                                if len(t) > 4 and (k := numbering(t)):
                                    n_tot += 1
                                    n_num += k - 1
                                fadd(fur(fk, i))
                                i += 1
                                continue
                        if (
                            ((cl == ";" or cl == "{") and ("=" in t or "(" in t or "}" in t))
                            or (c0 in WF and t.startswith(WPF[c0]) and web_match(t))
                            or (site and i in site)
                        ):
                            if len(t) > 4 and (k := numbering(t)):
                                n_tot += 1
                                n_num += k - 1
                            fadd(fur("web", i))
                            i += 1
                            continue

                        # scene heading
                        if (c0 in HF and (t[:3] in IE3 or c0.isdigit())) or (
                            c0 > "\x7f" and c0.isdigit()
                        ):
                            tl[0] = tl[1] = 0
                            h = heading(t, numbered, tl)
                            if h is not None:
                                if tl[0]:
                                    n_tot += 1
                                    n_num += tl[0] - 1
                                text, num, kind = h
                                if kind == "furniture":
                                    fadd(fur("omitted", i))
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
                                        if k := numbering(nt):
                                            n_tot += 1
                                            n_num += k - 1
                                        more, num2, _ = _strip_numbers(nt)
                                        if num2 is not None and num2 == num:
                                            nt = more
                                        else:  # (numbered(), provisionally yes)
                                            nt = more
                                            tl[1] = True
                                        text = text + " " + nt
                                        end = i + 1
                                heading_at.append(len(elements))
                                # (" ".join(text.split()) but for text with nothing to
                                # collapse: see _single_spaced)
                                if "  " in text or not text.isprintable():
                                    text = " ".join(text.split())
                                if fused:  # emit(K_HEAD, text, i, end), inline
                                    sp = span_slots()
                                    sp.start_line = i + 1
                                    sp.end_line = end + 1
                                    sp.start_char = start = C[i] + i + L[i]
                                    sp.end_char = (
                                        start + len(t)
                                        if end == i
                                        else C[end] + end + L[end] + len(T[end])
                                    )
                                    sp.start_time = sp.end_time = None
                                    sp.__class__ = span_cls
                                    el = new(el_cls)
                                    el.kind = K_HEAD
                                    el.text = text
                                    el.span = sp
                                    el.speaker = el.extension = None
                                    el.dual = False
                                    el.attrs = {"scene_number": num} if num else {}
                                    el.speaker_id = el.addressee_id = el.attribution = None
                                    add_el(el)
                                else:
                                    el = emit(K_HEAD, text, i, end)
                                    if num:
                                        el.attrs["scene_number"] = num
                                if tl[1]:  # it depends on numbered()
                                    pending.append((el, i, end))
                                headings += 1
                                if story < 0:
                                    story = i
                                i = end + 1
                                continue

                        # transition
                        if (
                            (
                                cl == ":"
                                or cl == "."
                                or (cl == "O" and t[-3:] == " TO")
                                or (len(t) <= trk_max and t in TRK)
                            )
                            and t.isupper()
                            and trans(t, I[i], A)
                        ):
                            text = t if "  " not in t and t.isprintable() else " ".join(t.split())
                            if fused:  # emit(K_TRANS, text, i, i), inline
                                sp = span_slots()
                                sp.start_line = sp.end_line = i + 1
                                sp.start_char = start = C[i] + i + L[i]
                                sp.end_char = start + len(t)
                                sp.start_time = sp.end_time = None
                                sp.__class__ = span_cls
                                el = new(el_cls)
                                el.kind = K_TRANS
                                el.text = text
                                el.span = sp
                                el.speaker = el.extension = None
                                el.dual = False
                                el.attrs = {}
                                el.speaker_id = el.addressee_id = el.attribution = None
                                add_el(el)
                            else:
                                emit(K_TRANS, text, i, i)
                            if story < 0:
                                story = i
                            i += 1
                            continue

                # character cue and its speech
                cue = None
                if ind >= cue_min:
                    # two cues side by side: dual dialogue in two columns (see _dual)
                    if "   " in t and (dual := self._dual(i)) is not None:
                        elements.extend(dual[0])
                        out.furniture.extend(dual[1])
                        cues += 2
                        for k2 in range(i + 1, dual[2] - 1):
                            if k := numbering(T[k2]):
                                n_tot += 1
                                n_num += k - 1
                        if story < 0:
                            story = i
                        i = dual[2]
                        continue
                    if known or c0.isalnum():
                        inline = False  # found by the inline test (no "(" line under the name)
                        under = False  # the line under the name is known to be dialogue
                        # cue_at's common case, inline: a name over a line further left (that
                        # is not page furniture). T ends with a blank line.
                        nt = T[i + 1]
                        if nt:
                            n0 = nt[0]
                            ni = I[i + 1]
                            if (
                                n0 != "("
                                and low <= ni <= ind - 2
                                and not (
                                    n0 in FF
                                    or (
                                        n0 in F4S
                                        and len(nt) > 3
                                        and nt[1] in F4S[n0]
                                        and nt[:4] in FF4
                                    )
                                    or (
                                        nt[-1] == "."
                                        and len(nt) > 1
                                        and (
                                            "0" <= (d2 := nt[-2]) <= "9"
                                            or (d2 > "\x7f" and d2.isdigit())
                                        )
                                    )
                                )
                            ):
                                if not (nt.isupper() and trans(nt, ni, A)):
                                    if not known:
                                        line = cue_known(t, line, cl)
                                    cue = line[0]
                                    inline = True
                                    # (what the speech loop would find for it: not furniture,
                                    # not a transition, left of the name; dialogue unless it
                                    # is back at the action margin)
                                    under = ni > margin or flush
                            elif (
                                n0 == "("
                                and len(nt) > 1
                                and not (
                                    (c1 := nt[1]) in "CcMm"
                                    or c1.isspace()
                                    or (nt[-1] == "." and nt[-2].isdigit())
                                )
                            ):
                                # cue_at's case of a parenthetical under the name (not
                                # "(CONT'D)" nor page furniture: _paren_furniture_gate), inline
                                if line is None:
                                    line = cue_lines[t] = _cue_line(t)
                                cue = line[0]
                            else:
                                cue = cue_at(i)
                # (near the action indent, cue_at finds no cue without a "(" in the line,
                # unless the script is read as flush-left)
                elif ("(" in t or (flush and t.isupper())) and c0.isalnum():
                    cue = cue_at(i)
                    inline = under = False
                if cue is not None:
                    speaker, ext, contd = cue
                    end = i
                    if inline:
                        text = line[1]
                    elif (
                        (nt := T[i + 1])[0] == "("
                        # _maybe_contd(nt), inline
                        and len(nt) > 5
                        and nt[-1] == ")"
                        and ((c1 := nt[1]) == "C" or c1 == "c" or c1.isspace())
                        and contd_line(nt)
                    ):
                        end = i + 1
                        contd = True
                        text = " ".join((t + " " + nt).split())
                    else:
                        if not known:
                            line = cue_known(t, cue_lines.get(t), t[-1])
                        text = line[1]
                    if fused:  # emit(K_CUE, text, i, end, speaker, ext), inline
                        sp = span_slots()
                        sp.start_line = i + 1
                        sp.end_line = end + 1
                        sp.start_char = start = C[i] + i + L[i]
                        sp.end_char = (
                            start + len(t) if end == i else C[end] + end + L[end] + len(T[end])
                        )
                        sp.start_time = sp.end_time = None
                        sp.__class__ = span_cls
                        cel = new(el_cls)
                        cel.kind = K_CUE
                        cel.text = text
                        cel.span = sp
                        cel.speaker = speaker
                        cel.extension = ext
                        cel.dual = False
                        cel.attrs = {"contd": True} if contd else {}
                        cel.speaker_id = cel.addressee_id = cel.attribution = None
                        add_el(cel)
                    else:
                        cel = emit(K_CUE, text, i, end, speaker, ext)
                        if contd:
                            cel.attrs["contd"] = True
                    cues += 1
                    if story < 0:
                        story = i
                    i = end + 1
                    if under:
                        nt = T[i]
                        if (
                            ((n0 := nt[0]) in HF and len(nt) > 4 and (n0 <= "9" or nt[1] in NUM2))
                            or (n0 > "\x7f" and n0.isdigit() and len(nt) > 4)
                        ) and (k := numbering(nt)):
                            n_tot += 1
                            n_num += k - 1
                        d0 = i
                        said = True
                        i += 1
                    else:
                        d0 = -1
                        said = False  # something was said: a following cue starts the next one
                    speech = True

            if speech:
                # The speech: dialogue and parentheticals up to a blank line. Page
                # furniture inside it ("(MORE)", a page number) is set aside and ends the
                # dialogue element before it, so that spans never cover furniture.
                # Dialogue lines are contiguous: T[d0:i] when line i ends them (d0 < 0: none
                # open). T ends with a blank line, so the scan needs no bound.
                while True:
                    t = T[i]
                    if not t:
                        break
                    c0 = t[0]
                    if c0 == "(":
                        # Page furniture that opens with a bracket is "(CONTINUED)" or
                        # "(MORE)" (a C or M after the bracket and any spaces) or a page
                        # header ending in a page number: see _paren_furniture_gate.
                        if (
                            len(t) > 1
                            and (
                                (c1 := t[1]) in "CcMm"
                                or c1.isspace()
                                or (t[-1] == "." and t[-2].isdigit())
                            )
                            and (fk := furn(t)) is not None
                            and (
                                (fk != "page_number" and fk != "omitted")
                                or t[-1] == "."
                                or I[i] >= far
                            )
                        ):
                            if d0 >= 0:
                                e = i - 1
                                text = T[d0] if d0 == e else join(T[d0:i])
                                emit(K_DLG, text, d0, e, speaker, ext)
                                d0 = -1
                            fadd(fur(fk, i))
                            i += 1
                            continue
                        if d0 >= 0:
                            e = i - 1
                            text = T[d0] if d0 == e else join(T[d0:i])
                            emit(K_DLG, text, d0, e, speaker, ext)
                            d0 = -1
                        said = True
                        depth = t.count("(") - t.count(")")
                        if depth <= 0:
                            if fused:  # emit(K_PAR, t, i, i, speaker, ext), inline
                                sp = span_slots()
                                sp.start_line = sp.end_line = i + 1
                                sp.start_char = start = C[i] + i + L[i]
                                sp.end_char = start + len(t)
                                sp.start_time = sp.end_time = None
                                sp.__class__ = span_cls
                                el = new(el_cls)
                                el.kind = K_PAR
                                el.text = t
                                el.span = sp
                                el.speaker = speaker
                                el.extension = ext
                                el.dual = False
                                el.attrs = {}
                                el.speaker_id = el.addressee_id = el.attribution = None
                                add_el(el)
                            else:
                                emit(K_PAR, t, i, i, speaker, ext)
                            i += 1
                            continue
                        # a parenthetical spanning lines: up to its closing bracket
                        p0 = i
                        i += 1
                        while True:
                            t = T[i]
                            if not t:
                                break
                            if len(t) > 4 and (k := numbering(t)):
                                n_tot += 1
                                n_num += k - 1
                            depth += t.count("(") - t.count(")")
                            i += 1
                            if depth <= 0:
                                break
                        emit(K_PAR, join(T[p0:i]), p0, i - 1, speaker, ext)
                        if depth <= 0 and t:
                            continue
                        break  # unclosed at a blank line or the end: the speech ends
                    if (
                        c0 in FFX
                        and (
                            c0 in FF
                            or (c0 in F4S and len(t) > 3 and t[1] in F4S[c0] and t[:4] in FF4)
                        )
                    ) or (
                        t[-1] == "."
                        and len(t) > 1
                        and ("0" <= (d2 := t[-2]) <= "9" or (d2 > "\x7f" and d2.isdigit()))
                    ):
                        fk = furn(t)
                        if fk is not None and (
                            (fk != "page_number" and fk != "omitted") or t[-1] == "." or I[i] >= far
                        ):
                            if d0 >= 0:
                                e = i - 1
                                text = T[d0] if d0 == e else join(T[d0:i])
                                emit(K_DLG, text, d0, e, speaker, ext)
                                d0 = -1
                            if len(t) > 4 and (k := numbering(t)):
                                n_tot += 1
                                n_num += k - 1
                            fadd(fur(fk, i))
                            i += 1
                            continue
                    if t.isupper():
                        cl = t[-1]
                        if (
                            cl == ":"
                            or cl == "."
                            or (cl == "O" and t[-3:] == " TO")
                            or (len(t) <= trk_max and t in TRK)
                        ) and trans(t, I[i], A):
                            break
                        if said and c0.isalnum() and cue_at(i) is not None:
                            break  # the next speech, without a blank line between
                    if I[i] <= margin and not_flush and I[i] < I[i - 1]:
                        break  # back at the action margin without a blank line
                    if (
                        (c0 in HF and len(t) > 4 and (c0 <= "9" or t[1] in NUM2))
                        or (c0 > "\x7f" and c0.isdigit() and len(t) > 4)
                    ) and (k := numbering(t)):
                        n_tot += 1
                        n_num += k - 1
                    if d0 < 0:
                        d0 = i
                        said = True
                    i += 1
                if d0 >= 0:
                    e = i - 1
                    if fused:  # emit(K_DLG, text, d0, e, speaker, ext), inline
                        sp = span_slots()
                        sp.start_line = d0 + 1
                        sp.end_line = i
                        sp.start_char = start = C[d0] + d0 + L[d0]
                        if d0 == e:
                            text = T[d0]
                            sp.end_char = start + len(text)
                        else:  # (_join, inline)
                            text = space_join(T[d0:i])
                            if "-" in text and "- " in text:  # (one character: memchr)
                                text = join(T[d0:i])
                            sp.end_char = C[e] + e + L[e] + len(T[e])
                        sp.start_time = sp.end_time = None
                        sp.__class__ = span_cls
                        el = new(el_cls)
                        el.kind = K_DLG
                        el.text = text
                        el.span = sp
                        el.speaker = speaker
                        el.extension = ext
                        el.dual = False
                        el.attrs = {}
                        el.speaker_id = el.addressee_id = el.attribution = None
                        add_el(el)
                    else:
                        if d0 == e:
                            text = T[d0]
                        else:  # _join, inline
                            text = space_join(T[d0:i])
                            if "-" in text and "- " in text:  # (one character: memchr)
                                text = join(T[d0:i])
                        emit(K_DLG, text, d0, e, speaker, ext)
                if not t:
                    i += 1  # (the blank line that ended it)
                continue

            # action paragraph: runs to a blank line or to a line that starts something else
            j = i + 1
            while True:  # (T ends with a blank line)
                nt = T[j]
                if not nt:
                    break
                c = nt[0]
                cl = nt[-1]
                if (
                    (
                        c not in SAFE
                        and ((s2 := SEC.get(c)) is None or (len(nt) > 1 and nt[1] in s2))
                    )
                    or cl in LAST_GATES
                    or (len(nt) <= trk_max and nt in TRK)
                    or (site and j in site)
                ) and (
                    (
                        (
                            c in FF
                            or (c in F4S and len(nt) > 3 and nt[1] in F4S[c] and nt[:4] in FF4)
                            or (
                                cl == "."
                                and len(nt) > 1
                                and ("0" <= (d2 := nt[-2]) <= "9" or (d2 > "\x7f" and d2.isdigit()))
                            )
                        )
                        and furn(nt) is not None
                    )
                    or ((cl == ";" or cl == "{") and ("=" in nt or "(" in nt or "}" in nt))
                    or (c in WF and nt.startswith(WPF[c]) and web_match(nt))
                    or (site and j in site)
                    or (
                        (
                            (c in HF and (nt[:3] in IE3 or c.isdigit()))
                            or (c > "\x7f" and c.isdigit())
                        )
                        and heading(nt, numbered) is not None
                    )
                    or (
                        (
                            cl == ":"
                            or cl == "."
                            or (cl == "O" and nt[-3:] == " TO")
                            or (len(nt) <= trk_max and nt in TRK)
                        )
                        and nt.isupper()
                        and trans(nt, I[j], A)
                    )
                ):
                    break
                if I[j] >= cue_min and c.isalnum() and cue_at(j) is not None:
                    break
                j += 1
            e = j - 1
            if fused:  # emit(K_ACT, text, i, e), inline
                sp = span_slots()
                sp.start_line = i + 1
                sp.end_line = j
                sp.start_char = start = C[i] + i + L[i]
                if e == i:
                    text = t
                    sp.end_char = start + len(t)
                else:  # (_join, inline)
                    text = space_join(T[i:j])
                    if "-" in text and "- " in text:  # (one character: memchr)
                        text = join(T[i:j])
                    sp.end_char = C[e] + e + L[e] + len(T[e])
                sp.start_time = sp.end_time = None
                sp.__class__ = span_cls
                el = new(el_cls)
                el.kind = K_ACT
                el.text = text
                el.span = sp
                el.speaker = el.extension = None
                el.dual = False
                el.attrs = {}
                el.speaker_id = el.addressee_id = el.attribution = None
                add_el(el)
            else:
                if e == i:
                    text = t
                else:  # _join, inline
                    text = space_join(T[i:j])
                    if "-" in text and "- " in text:  # (one character: memchr)
                        text = join(T[i:j])
                emit(K_ACT, text, i, e)
            if (
                story < 0
                # Story text before any heading: a prose paragraph at the action indent.
                and (len(text) >= 40 or (text[-1] in ".:!?-…" and text.count(" ") >= 4))
                and any(abs(I[k] - A) <= 1 for k in range(i, j))
                and any(map(str.islower, text))
                and not _DATE.search(text)
                and not self._prev_is_by_line(i)
            ):
                story = i
            i = j if nt else j + 1  # (past the blank line that ended it)
        out.cues = cues
        out.headings = headings
        self.counted = (n_tot, n_num)
        yes = n_tot > 0 and n_num * 2 >= n_tot
        self._numbered = yes
        if pending and not yes:
            self._unnumber(pending)
        if story > 0:
            self._title_page(story, out)
        return out

    def _unnumber(self, pending: list[tuple[Element, int, int]]) -> None:
        """Read again, as a script that does not number its scenes, the headings the pass read
        as if it did (from record ``a`` to ``b``: a heading wrapped onto two lines)."""
        T = self.T
        for el, a, b in pending:
            h = _heading(T[a], _no)
            assert h is not None  # (it was read as a heading)
            text, num, _ = h
            if b > a:  # the wrapped heading, as the pass reads it
                more, num2, _ = _strip_numbers(T[b])
                text = text + " " + (more if num2 is not None and num2 == num else T[b])
            el.text = text if "  " not in text and text.isprintable() else " ".join(text.split())
            if num:
                el.attrs["scene_number"] = num
            else:
                el.attrs.pop("scene_number", None)

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
        els = out.elements
        rows: Callable[[Element], tuple[int, int]]
        k = 0
        if S is None:  # record k is line k + 1: an element's records are its lines

            def rows(el: Element) -> tuple[int, int]:
                return el.span.start_line - 1, el.span.end_line

            while k < len(els) and els[k].span.start_line <= story:
                k += 1
        else:

            def rows(el: Element) -> tuple[int, int]:
                return (
                    bisect.bisect_left(S, el.span.start_char),
                    bisect.bisect_left(S, el.span.end_char),
                )

            first_char = S[story]
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
            a, b = rows(el)
            if not any(abs(I[x] - A) <= 1 for x in range(a, max(a + 1, b))):
                break
            k -= 1
        if k < len(els):
            story = min(story, rows(els[k])[0])
        moved = els[:k]
        for el in moved:
            el.attrs["furniture"] = "title_page"
        del els[:k]  # (in place: out.elements is els)
        if k:
            out.heading_at = [h - k for h in out.heading_at if h >= k]
        if moved:
            out.furniture = sorted(moved + out.furniture, key=attrgetter("span.start_char"))

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
                    and any(map(str.isalpha, t))
                ):
                    title = _clean_title(t)
                    break
        if title:
            tp["title"] = title
            out.title = title


def _clean_title(t: str) -> str | None:
    t = " ".join(t.split()).strip("\"'“” ").rstrip(".").strip("\"'“” ")
    return t or None


def _single_spaced(t: str) -> bool:
    """True when ``" ".join(t.split()) == t`` for a ``t`` with no space at either end: no
    two spaces in a row and no other whitespace (every whitespace character but the space is
    unprintable)."""
    return "  " not in t and t.isprintable()


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


def _heading(
    t: str, numbered: Callable[[], bool], tally: list[int] | None = None
) -> tuple[str, str | None, str] | None:
    """(heading text, scene number, "heading"|"furniture") or None.

    ``numbered()`` says whether the script numbers its scenes; it is asked only when the
    answer matters (an INT./EXT. line with a trailing number but none in front).

    ``tally`` (a list of two zeros) receives what :func:`_numbering` says of ``t`` and
    whether ``numbered()`` was asked (0/1): the classification pass counts the headings
    that decide :meth:`_Core.numbered` as it goes (it never needs _numbering for them).
    """
    p = t[:4]
    if (p == "INT." or p == "EXT.") and len(t) > 4:
        # The common case: an INT./EXT. heading with no scene number in front (that would
        # start with a digit). Often none behind either (three capitals end it, not "-ABC").
        c = t[-1]
        if "A" <= c <= "Z" and "A" <= t[-2] <= "Z" and "A" <= t[-3] <= "Z" and t[-4] != "-":
            if tally is not None:
                tally[0] = 1
            return t, None, "heading"
        # _strip_numbers(t, None), inline: a trailing number, and the same once more.
        m = _trail_num(t)
        if tally is not None:
            tally[0] = 1 if m is None else 2
            tally[1] = m is not None
        if m is None or not numbered():
            return t, None, "heading"
        num = m[1]
        text = t[: m[0]]
        if not (  # _ends_in_three_capitals(text), inline (then _trail_num(text) is None)
            len(text) > 2
            and "A" <= text[-1] <= "Z"
            and "A" <= text[-2] <= "Z"
            and "A" <= text[-3] <= "Z"
            and (len(text) < 4 or text[-4] != "-")
        ):
            m = _trail_num(text)
            if m is not None and m[1] == num:
                text = text[: m[0]]
        return text, num, "heading"
    lead = _lead_num(t)
    if lead:
        body = t[lead[1] :]
        # _head_ie(body), its common case inline
        if (len(body) > 4 and ((p := body[:4]) == "INT." or p == "EXT.")) or (
            body[:1] in _IE_FIRST and _HEAD_IE.match(body) is not None
        ):
            if not body[:3].isupper():
                return None
            if tally is not None and t[0].isdigit():  # (_numbering counts no other)
                tally[0] = 2
            # _strip_numbers(t, lead), inline: the number in front, then up to two copies of
            # it at the end.
            num = lead[0]
            text = body
            for _ in range(2):
                if (  # _ends_in_three_capitals(text), inline (then _trail_num(text) is None)
                    len(text) > 2
                    and "A" <= text[-1] <= "Z"
                    and "A" <= text[-2] <= "Z"
                    and "A" <= text[-3] <= "Z"
                    and (len(text) < 4 or text[-4] != "-")
                ):
                    break
                m = _trail_num(text)
                if m is None or m[1] != num:
                    break
                text = text[: m[0]]
            return text, num, "heading"
    elif _head_ie(t):
        if not t[:3].isupper():
            return None
        text, num, _both = _strip_numbers(t, None)
        if tally is not None:
            if t[:3] in _IE3:  # (_numbering counts no other)
                tally[0] = 1 if num is None else 2
            tally[1] = num is not None
        if num is not None and not numbered():
            # A trailing number in an unnumbered script is part of the location (ROUTE 66).
            return t, None, "heading"
        return text, num, "heading"
    if not lead:
        return None
    text, num, both = _strip_numbers(t, lead)
    if not both or not text or not _is_upperish(text) or len(text) > 70:
        return None
    if _CONTINUED.match(text) or _OMITTED.match(text):
        return text, num, "furniture"
    if not any(map(str.isalpha, text)):
        return None
    return text, num, "heading"


# --- the reader ---------------------------------------------------------------------------


def read(source: Source, fmt: str) -> Document:
    """Read an indentation-laid-out plain-text screenplay."""
    # (read_bytes pauses the cyclic collector while a reader runs)
    return _read(source, fmt)


def _read(source: Source, fmt: str) -> Document:
    text = source.text
    doc = Document(source_text=text, source_format=fmt, encoding=source.encoding)
    ln = _split(text)
    res = _Core(
        ln.texts, ln.indents, ln.starts, ln.ends, ln.nums, text, ln.cum, ln.leads, True
    ).run()
    doc.scenes = group_by_headings(res.elements, res.heading_at)
    doc.furniture = res.furniture
    doc.title = res.title
    doc.title_page = res.title_page
    if res.headings == 0:
        doc.warn(None, "no scene headings found: the whole text is one scene")
    if res.cues == 0 and res.elements:
        doc.warn(None, "no character cues found: no dialogue was recognised")
    return doc
