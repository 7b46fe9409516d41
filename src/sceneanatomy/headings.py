"""Scene-heading anatomy shared by every screenplay reader: INT/EXT, location, time of day."""

from __future__ import annotations

import re
from dataclasses import dataclass

# INT., EXT., EST., INT./EXT., INT/EXT, I/E, E/I, also with a space or an ideographic full
# stop (。) after them; case-insensitive because Fountain allows "int. house - day".
HEADING_PREFIX = re.compile(
    r"^(?P<ie>(?:INT\.?\s*/\s*EXT|EXT\.?\s*/\s*INT|INT|EXT|EST|I\s*/\s*E|E\s*/\s*I))"
    r"(?:[.。]\s*|\s+)",
    re.IGNORECASE,
)
SCENE_NUMBER_SUFFIX = re.compile(r"\s*#(?P<num>[\w.\-]+)#\s*$")

TIMES_OF_DAY = (
    "CONTINUOUS",
    "MOMENTS LATER",
    "A MOMENT LATER",
    "SAME TIME",
    "LATE NIGHT",
    "EARLY MORNING",
    "LATE AFTERNOON",
    "AFTERNOON",
    "MORNING",
    "EVENING",
    "NIGHT",
    "DAY",
    "DAWN",
    "DUSK",
    "SUNSET",
    "SUNRISE",
    "NOON",
    "MIDNIGHT",
    "TWILIGHT",
    "LATER",
    "SAME",
    "CONTINUED",
)
_TOD_RE = re.compile(
    r"(?:^|[\s\-–—,(/])(?P<tod>" + "|".join(re.escape(t) for t in TIMES_OF_DAY) + r")\b[\s.)]*$",
    re.IGNORECASE,
)
_IE_JUNK = re.compile(r"[\s.]")
# Day/night buckets for statistics.
DAYLIKE = {
    "DAY",
    "MORNING",
    "AFTERNOON",
    "NOON",
    "EARLY MORNING",
    "LATE AFTERNOON",
    "SUNRISE",
    "DAWN",
}
NIGHTLIKE = {"NIGHT", "EVENING", "DUSK", "SUNSET", "MIDNIGHT", "LATE NIGHT", "TWILIGHT"}


@dataclass(frozen=True, slots=True)
class HeadingInfo:
    int_ext: str | None  # "INT", "EXT", "INT/EXT", "EST"
    interior: bool | None
    location: str | None
    time_of_day: str | None
    number: str | None


def is_heading(line: str) -> bool:
    return HEADING_PREFIX.match(line.strip()) is not None


def strip_scene_number(text: str) -> tuple[str, str | None]:
    if "#" not in text:  # fast path: the pattern needs a "#"
        return text, None
    m = SCENE_NUMBER_SUFFIX.search(text)
    if m:
        return text[: m.start()].rstrip(), m.group("num")
    return text, None


def parse_heading(text: str, number: str | None = None) -> HeadingInfo:
    """Split a heading such as ``INT. RADIO STUDIO - NIGHT #12#`` into its parts."""
    return HeadingInfo(*heading_parts(text, number))


HeadingParts = tuple[str | None, bool | None, str | None, str | None, str | None]


def heading_parts(text: str, number: str | None = None) -> HeadingParts:
    """:func:`parse_heading`'s fields as a plain tuple (cheaper to make, for the readers)."""
    # Whitespace runs collapsed (nothing to do for the single-spaced text readers give: the
    # space is the only printable whitespace character).
    t = (
        text
        if "  " not in text and text.isprintable() and text[:1] != " " and text[-1:] != " "
        else " ".join(text.split())
    )
    t, num = strip_scene_number(t)
    number = number or num
    if t.isascii():
        return _parts_ascii(t, number)
    return _parts_regex(t, number)


def _parts_regex(t: str, number: str | None) -> HeadingParts:
    """:func:`heading_parts` by the regexes (any ``t``, whitespace-normalised, number
    stripped)."""
    int_ext: str | None = None
    interior: bool | None = None
    m = HEADING_PREFIX.match(t)
    rest = t
    if m:
        raw = _IE_JUNK.sub("", m.group("ie").upper())
        if raw in ("INT/EXT", "EXT/INT", "I/E", "E/I"):
            int_ext, interior = "INT/EXT", None
        elif raw == "INT":
            int_ext, interior = "INT", True
        elif raw == "EXT":
            int_ext, interior = "EXT", False
        else:
            int_ext, interior = "EST", False
        rest = t[m.end() :]
    tod: str | None = None
    # A time of day ends where the trailing " .)" run starts and is at most 14 characters
    # long (plus one separator): searching only the tail finds the same (leftmost) match.
    tm = _TOD_RE.search(rest, max(0, len(rest.rstrip(" .)")) - 24))
    if tm:
        tod = tm.group("tod").upper()
        rest = rest[: tm.start("tod")]
    location = rest.strip(" -–—,.(/").strip() or None
    return int_ext, interior, location, tod, number


def day_night(time_of_day: str | None) -> str | None:
    if time_of_day is None:
        return None
    if time_of_day in DAYLIKE:
        return "day"
    if time_of_day in NIGHTLIKE:
        return "night"
    return None


# -- the same for ASCII headings, without case-insensitive regexes --------------------------
#
# For ASCII text a case-insensitive match is a match of the upper-cased text, and the only
# whitespace left after ``" ".join(text.split())`` is the plain space. heading_parts gives
# every heading that is not ASCII to the regexes above.

_PREFIX_UPPER = re.compile(HEADING_PREFIX.pattern)
_KIND: dict[str, tuple[str, bool | None]] = {
    "INT/EXT": ("INT/EXT", None),
    "EXT/INT": ("INT/EXT", None),
    "I/E": ("INT/EXT", None),
    "E/I": ("INT/EXT", None),
    "INT": ("INT", True),
    "EXT": ("EXT", False),
}
# The times of day by last character (every ASCII one), longest first: the leftmost match
# is the longest.
_TOD_BY_LAST: dict[str, tuple[str, ...]] = {chr(c): () for c in range(128)}
for _tod in sorted(TIMES_OF_DAY, key=len, reverse=True):
    _TOD_BY_LAST[_tod[-1]] += (_tod,)
_TOD_SEPARATORS = " -,(/"  # _TOD_RE's separators that are ASCII (space: the only whitespace)


def _parts_ascii(t: str, number: str | None) -> HeadingParts:
    """:func:`heading_parts` for an ASCII ``t`` (whitespace-normalised, number stripped)."""
    int_ext: str | None = None
    interior: bool | None = None
    upper = t.upper()
    head = upper[:5]
    if (head == "INT. " or head == "EXT. ") and upper[5] != "/":
        # HEADING_PREFIX's common case: "INT" or "EXT", a full stop and a space.
        int_ext, interior = ("INT", True) if head[0] == "I" else ("EXT", False)
        rest = t[5:]
        upper = upper[5:]
    else:
        rest = t
        m = _PREFIX_UPPER.match(upper)
        if m:
            raw = m.group("ie").replace(" ", "").replace(".", "")
            int_ext, interior = _KIND.get(raw, ("EST", False))
            rest = t[m.end() :]
            upper = upper[m.end() :]
    # _TOD_RE: a time of day preceded by a separator (or the start of the text) and followed
    # by nothing but " .)": it ends where that run starts.
    core = len(rest.rstrip(" .)"))
    tod: str | None = None
    if core:
        pos = core - 24  # where heading_parts's regex search starts
        for word in _TOD_BY_LAST[upper[core - 1]]:
            s = core - len(word)
            if (
                s >= 0
                and upper[s:core] == word
                and (s == 0 or (s - 1 >= pos and rest[s - 1] in _TOD_SEPARATORS))
            ):
                tod = word
                rest = rest[:s]
                break
    location = rest.strip(" -–—,.(/").strip() or None
    return int_ext, interior, location, tod, number
