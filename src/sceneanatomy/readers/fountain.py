"""Fountain 1.1 reader (https://fountain.io/syntax).

Built for speed (``benchmarks/parse_speed.py``): boneyard (``/* */``) and notes (``[[ ]]``)
are located with ``str.find`` on the whole text and the few lines they touch are rewritten
once; blank lines are found with C-level ``map``/``compress``; then one pass over the
paragraphs, cheap string tests before any regular expression, the common shapes (one-line
paragraphs, plain cue blocks) read inline. Spans always cover whole source lines (markup,
indentation and trailing blanks included, the line terminator excluded), except notes, whose
span is exactly ``[[...]]``.

How the spec's loose ends are read here:

- Blank line: an empty or whitespace-only line, except that a line of exactly two spaces
  inside a paragraph joins it (the spec's "two spaces" rule; in dialogue it becomes an empty
  dialogue line). The start of the body counts as a blank line.
- Boneyard and notes are removed together with the line breaks inside them, so text after a
  region that spans lines continues the line where the region began (and that element's span
  runs to the region's end). Lines left holding nothing but boneyard are invisible: they
  neither end a paragraph nor count as blank. A note alone on its lines is a standalone note
  (a NOTE element, invisible to the paragraph around it); a note sharing a line with other
  text is inline: removed from the element's text and kept in ``attrs["notes"]``. Notes may
  span lines (blank lines inside one are accepted). An unclosed ``[[`` or ``/*`` stays text
  and is reported with a warning; nested boneyard ``/* /* */ */`` is one region.
- Scene heading: a paragraph's first line starting with INT, EXT, EST, INT./EXT, INT/EXT, I/E
  (any case) followed by a dot or a space, or forced with a single ``.`` followed by a letter
  or digit. ``#num#`` at the end goes to ``attrs["scene_number"]``. The spec also wants a blank
  line after a heading; many real files omit it, so lines that follow a heading in the same
  paragraph are read as a new paragraph. Transitions (an upper-case line ending in ``TO:``,
  with nothing after the colon, or forced with ``>``), sections, synopses and page breaks at
  the start of a paragraph get the same treatment.
- Character cue: the first line of a paragraph of at least two lines whose name (the text
  before the first parenthesis, after dropping a trailing ``^``) is all upper case, starts with
  a letter (or with a number followed by an ordinal suffix or a space: "2ND COP", not "3CPO")
  and holds none of ``^ < > = ~ [ ] { } |``. ``@`` forces a cue in any case. Extensions are
  the parenthesised groups after the name, in ``(...)`` or full-width ``（...）``:
  ``attrs["extensions_raw"]`` lists them as written, ``extension`` is the text of the first
  one that is not CONT'D, and ``attrs["contd"]`` is True when a CONT'D group is present.
  ``^`` at the end of a cue marks dual dialogue: that block and the cue block right before it
  (when nothing else came between) get ``dual=True``; their cues get ``attrs["dual"]`` =
  ``"right"`` / ``"left"``.
- Caseless scripts (CJK, Hangul...): an upper-case test proves nothing when the name has no
  cased letters. Such a line is a cue when forced with ``@``, or when all of these hold: it is
  the first line of a paragraph of two or more lines, at most 20 characters, holds a letter,
  does not end in sentence punctuation (``. 。 ! ！ ? ？ : ： , ， 、 ; … ‥``), and the file
  shows a cue/dialogue pattern: some such candidate is followed by a parenthetical, or one
  candidate name occurs at least twice.
- Dialogue: the lines after a cue; parentheticals are lines wrapped in ``()`` or ``（）`` (a
  parenthetical may run over several lines); ``~`` lines inside a dialogue block are LYRIC.
  Consecutive dialogue lines are one DIALOGUE element joined with ``\\n``. Dialogue elements
  carry the cue's ``speaker`` and ``extension``.
- Action: one ACTION element per paragraph (consecutive plain lines), lines kept as written
  (leading and trailing spaces kept, tabs turned into four spaces as the spec says; ``!``
  removed). Inside an action paragraph a line starting with ``~`` (lyric), ``>`` (centered
  or transition), ``#`` (section), ``=`` (synopsis or ``===`` page break) starts its own
  element.
- Centered ``>text<``, lyrics ``~`` (consecutive lines grouped), sections ``#`` (``attrs
  ["depth"]``, closing ``#`` run dropped), synopses ``=``, page breaks (a line of three or
  more ``=``).
- Emphasis ``*`` ``**`` ``***`` ``_`` is removed from ``text`` (not across line breaks; ``_``
  not inside words); backslash escapes (``\\*`` -> ``*``) are resolved. When that changed the
  text, ``attrs["markup"]`` keeps the text with its emphasis and escapes as written.
- Title page: the first paragraph of the body when it is made of ``Key: value`` lines (full-
  width ``：`` accepted) and indented continuation lines (a tab or three or more spaces), with
  a known key (Title, Credit, Author...) or at least two keys. Keys are lower-cased into
  ``doc.title_page``; values keep their markup, continuation lines are joined with ``\\n``.
  ``doc.title`` is the Title value without markup, its lines joined with a space. Standalone
  notes before the title page go to ``doc.furniture``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate, compress, islice
from operator import itemgetter, not_
from typing import TYPE_CHECKING

from ..headings import HEADING_PREFIX, SCENE_NUMBER_SUFFIX
from ..model import Document, Element, ElementKind, Span
from ..scenes import group_by_headings

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from . import Source

_HEADING = ElementKind.SCENE_HEADING
_ACTION = ElementKind.ACTION
_CHARACTER = ElementKind.CHARACTER
_DIALOGUE = ElementKind.DIALOGUE
_PAREN = ElementKind.PARENTHETICAL
_TRANSITION = ElementKind.TRANSITION
_LYRIC = ElementKind.LYRIC
_CENTERED = ElementKind.CENTERED
_SECTION = ElementKind.SECTION
_SYNOPSIS = ElementKind.SYNOPSIS
_NOTE = ElementKind.NOTE
_PAGE_BREAK = ElementKind.PAGE_BREAK

# Sentinel lines (compared by identity): a line holding only boneyard, only notes.
_GHOST = "\x00<boneyard>\x00"
_NOTE_LINE = "\x00<note>\x00"

_FORCED_START = frozenset("!@.>~#=")
_LINE_FORCED = frozenset("!~>#=")
_HEADING_START = frozenset("IiEe")
_OPEN_PAREN = frozenset("(（")
_DIALOGUE_STOP = frozenset("(（~")  # first characters that end a run of dialogue lines
_CLOSE_PAREN = frozenset(")）")
_SENTENCE_END = frozenset(".。．!！?？:：,，、;；…‥")

_EXT_RE = re.compile(r"[(（]([^()（）]*)[)）]")
_CONTD_RE = re.compile(r"^\s*cont(?:['’`]?d|\.|inued|inuing)?\s*$", re.IGNORECASE)
_CUE_BAD = re.compile(r"[\^<>=~\[\]{}|]")
_ORDINAL_START = re.compile(r"\d+(?:(?:ST|ND|RD|TH)\b|\s)")
_SECTION_CLOSE = re.compile(r"\s+#+\s*$")
_TITLE_KEY = re.compile(r"^(\w[\w .'’/&-]{0,39}?)[ \t]*[:：][ \t　]*(.*)$")
_KNOWN_KEYS = frozenset(
    {
        "title",
        "credit",
        "author",
        "authors",
        "source",
        "notes",
        "draft date",
        "date",
        "contact",
        "copyright",
        "revision",
        "episode",
        "format",
        "watermark",
    }
)

_ESC_RE = re.compile(r"\\([*_\\\[\]/#~!@.><=^()])")
# Innermost first: the content holds no delimiter of its own kind, so nested emphasis
# (``_**bold underline**_``, ``*a **b** c*``) goes in two rounds and no pattern backtracks
# over a whole line. Each pattern starts with its literal delimiter, which lets the regex
# engine skip ahead to candidates instead of trying every position.
_EMPH_BODY = r"(?=[^\s*])([^*\n]+)(?<=[^\s*])"
_STAR_RE = re.compile(rf"\*\*\*{_EMPH_BODY}\*\*\*|\*\*{_EMPH_BODY}\*\*|\*{_EMPH_BODY}\*")
_UNDER_RE = re.compile(r"_(?<![^\W_]_)(?=[^\s_])([^_\n]+)(?<=\S)_(?![^\W_])")
_group1 = itemgetter(1)


def _last_group(m: re.Match[str]) -> str:
    return m.group(m.lastindex or 0)


_ESC_STAR = "\ue000"
_ESC_UNDER = "\ue001"


def _esc_sub(m: re.Match[str]) -> str:
    c = m.group(1)
    if c == "*":
        return _ESC_STAR
    if c == "_":
        return _ESC_UNDER
    return c


def clean_inline(text: str) -> str:
    """Remove emphasis markup and resolve backslash escapes (no-op for plain text)."""
    escaped = False
    if "\\" in text and _ESC_STAR not in text and _ESC_UNDER not in text:
        new = _ESC_RE.sub(_esc_sub, text)
        escaped = new is not text and new != text
        text = new
    if "*" in text or "_" in text:
        for _ in range(6):
            new = _UNDER_RE.sub(_group1, _STAR_RE.sub(_last_group, text))
            if new == text:
                break
            text = new
    if escaped:
        text = text.replace(_ESC_STAR, "*").replace(_ESC_UNDER, "_")
    return text


def _mark(el: Element, raw: str) -> Element:
    """Clean marked-up ``raw`` into ``el.text``; keep ``raw`` in attrs when markup went."""
    if "*" not in raw and "_" not in raw and "\\" not in raw:
        return el
    cleaned = clean_inline(raw)
    if cleaned != raw:
        el.text = cleaned
        el.attrs["markup"] = raw
    return el


def _make_span_factory() -> Callable[[int, int, int, int], Span]:
    """A constructor equivalent to ``Span(l1, l2, c1, c2)``, about 40% cheaper.

    Span is a frozen slotted dataclass, whose ``__init__`` sets each field through
    ``object.__setattr__``; a long script makes over 100,000 spans, so we set the slots
    through their descriptors instead. Falls back to the class itself if Span's fields ever
    change.
    """
    fields = ("start_line", "end_line", "start_char", "end_char", "start_time", "end_time")
    if getattr(Span, "__slots__", None) != fields:
        return Span
    new = object.__new__
    set_l1, set_l2, set_c1, set_c2, set_t1, set_t2 = (getattr(Span, f).__set__ for f in fields)

    def make(l1: int, l2: int, c1: int, c2: int) -> Span:
        span = new(Span)
        set_l1(span, l1)
        set_l2(span, l2)
        set_c1(span, c1)
        set_c2(span, c2)
        set_t1(span, None)
        set_t2(span, None)
        return span

    return make


_span = _make_span_factory()


def _is_transition(line: str, s: str) -> bool:
    """Upper case, ending in ``TO:`` with nothing after it (a space after makes it action)."""
    return s.endswith("TO:") and s.isupper() and line.rstrip("\r").endswith(":")


def _start_char(el: Element) -> int:
    return el.span.start_char


def _is_blank(line: str) -> bool:
    return not line or line.isspace()


def _caseless_candidate(base: str) -> bool:
    return (
        0 < len(base) <= 20 and base[-1] not in _SENTENCE_END and any(ch.isalpha() for ch in base)
    )


_Cue = tuple[str, str, list[str], bool]  # cue text, speaker, extensions as written, dual


class _Reader:
    """One document's reading state. Lines are 0-based here, 1-based in Spans."""

    def __init__(self, text: str, doc: Document) -> None:
        self.text = text
        self.doc = doc
        raw = text.split("\n")
        self.n = len(raw)
        # Line k starts at acc[k] + k (acc: cumulated lengths of the lines before k).
        self.acc = list(accumulate(map(len, raw), initial=0))
        self.cr = "\r" in text
        self.rawlines = raw
        # The lines we read: the raw lines (a trailing "\r" is still there; every test strips
        # it), except that rewrite_lines() replaces lines touched by boneyard and notes.
        self.lines: list[str] = raw
        self.markup = "*" in text or "_" in text or "\\" in text
        self.elements: list[Element] = []
        self.block = (0, -1)  # (first, end) element indexes of the last dialogue block
        self.special: set[int] = set()  # lines holding only boneyard and/or notes
        self.notes: list[tuple[int, int]] = []  # (start, end) offsets of every note
        self.regions: list[tuple[int, int, bool]] = []  # (start, end, is_note)
        self.body_start_char = 0
        self._caseless: bool | None = None
        self._last = (0, 0)  # (offset, line) of the last line_of answer
        self._cues: dict[tuple[str, bool], _Cue | None] = {}
        self.merged: dict[int, int] = {}  # line -> last source line whose text it now holds

    # -- positions ------------------------------------------------------------------------

    def line_start(self, k: int) -> int:
        return self.acc[k] + k

    def line_end(self, k: int) -> int:
        """Offset just past line ``k``'s text (its ``\\r\\n`` or ``\\n`` excluded)."""
        e = self.acc[k + 1] + k
        if self.cr and self.rawlines[k][-1:] == "\r":
            e -= len(self.rawlines[k]) - len(self.rawlines[k].rstrip("\r"))
        return e

    def line_of(self, offset: int) -> int:
        """0-based line holding ``offset`` (counts newlines from the last answer when it can)."""
        last_off, last_line = self._last
        if offset >= last_off:
            line = last_line + self.text.count("\n", last_off, offset)
        else:
            acc = self.acc
            line = bisect_right(range(self.n), offset, key=lambda k: acc[k] + k) - 1
        self._last = (offset, line)
        return line

    def span(self, k1: int, k2: int) -> Span:
        acc = self.acc
        e = acc[k2 + 1] + k2
        if self.cr and self.rawlines[k2][-1:] == "\r":
            e -= len(self.rawlines[k2]) - len(self.rawlines[k2].rstrip("\r"))
        return _span(k1 + 1, k2 + 1, acc[k1] + k1, e)

    def char_span(self, start: int, end: int) -> Span:
        return _span(self.line_of(start) + 1, self.line_of(max(start, end - 1)) + 1, start, end)

    # -- boneyard and notes ---------------------------------------------------------------

    def find_regions(self) -> None:
        text = self.text
        find = text.find
        regions: list[tuple[int, int, bool]] = []
        pos = find("/*")
        while pos != -1:
            depth, i = 1, pos + 2
            o = find("/*", i)  # the next opening, found once and reused
            while depth:
                c = find("*/", i)
                if c == -1:
                    break
                if o != -1 and o < c:
                    depth, i = depth + 1, o + 2
                    o = find("/*", i)
                else:
                    depth, i = depth - 1, c + 2
            if depth:
                self.doc.warn(self.line_of(pos) + 1, "unclosed boneyard '/*': read as text")
                pos = find("/*", pos + 2)
                continue
            regions.append((pos, i, False))
            pos = o if o >= i else (find("/*", i) if o != -1 else -1)
        bone = regions
        bstarts = [r[0] for r in bone]
        pos = find("[[")
        while pos != -1:
            b = bisect_right(bstarts, pos) - 1
            if b >= 0 and bone[b][1] > pos:  # inside boneyard
                pos = find("[[", bone[b][1])
                continue
            end = find("]]", pos + 2)
            while end != -1:  # a "]]" inside a boneyard opened within the note does not count
                b = bisect_right(bstarts, end) - 1
                if b >= 0 and bone[b][1] > end and bone[b][0] > pos:
                    end = find("]]", bone[b][1])
                else:
                    break
            nxt = find("[[", pos + 2)
            if end == -1 or (nxt != -1 and nxt < end):
                self.doc.warn(self.line_of(pos) + 1, "unclosed note '[[': read as text")
                pos = nxt
                continue
            self.notes.append((pos, end + 2))
            pos = nxt if nxt >= end + 2 or nxt == -1 else find("[[", end + 2)
        if self.notes:
            regions = sorted(regions + [(s, e, True) for s, e in self.notes])
        if regions:
            self.regions = regions
            self.rewrite_lines(regions)

    def rewrite_lines(self, regions: list[tuple[int, int, bool]]) -> None:
        """Remove boneyard and notes from the lines they touch.

        A region goes with the line breaks inside it, so text after a region that spans
        lines continues the line where the region started (``self.merged`` remembers that
        line's last source line, for spans). Lines left empty become sentinel lines.
        """
        self.lines = lines = list(self.lines)  # rawlines must stay as read
        text = self.text
        line_of = self.line_of
        chains: list[tuple[int, int, list[tuple[int, int, bool]]]] = []
        for region in regions:
            la, lb = line_of(region[0]), line_of(region[1] - 1)
            if chains and la <= chains[-1][1]:
                first, last, regs = chains[-1]
                regs.append(region)
                chains[-1] = (first, max(last, lb), regs)
            else:
                chains.append((la, lb, [region]))
        for la, lb, regs in chains:
            note_lines: set[int] = set()
            pieces: list[tuple[int, str]] = []  # (offset, text) outside the regions
            pos = self.line_start(la)
            for start, end, is_note in regs:
                if is_note:
                    note_lines.update(range(line_of(start), line_of(end - 1) + 1))
                if start > pos:
                    pieces.append((pos, text[pos:start]))
                pos = max(pos, end)
            stop = self.line_end(lb)
            if pos < stop:
                pieces.append((pos, text[pos:stop]))
            assigned: dict[int, str] = {}
            current, buf = la, []
            for offset, piece in pieces:
                parts = piece.split("\n")
                buf.append(parts[0])
                nl = offset + len(parts[0])  # offset of the "\n" that ends parts[0]
                for part in parts[1:]:
                    assigned[current] = "".join(buf)
                    if line_of(nl) != current:
                        self.merged[current] = line_of(nl)
                    current, buf = line_of(nl) + 1, [part]
                    nl += 1 + len(part)
            assigned[current] = "".join(buf)
            if lb != current:
                self.merged[current] = lb
            for k in range(la, lb + 1):
                content = assigned.get(k, "")
                if content.strip():
                    lines[k] = content
                else:
                    lines[k] = _NOTE_LINE if k in note_lines else _GHOST
                    self.special.add(k)
                    self.merged.pop(k, None)

    # -- main loop ------------------------------------------------------------------------

    def run(self) -> None:
        if "/*" in self.text or "[[" in self.text:
            self.find_regions()
        self.body(self.title_page())
        elements = self.elements
        if self.merged:
            self.extend_merged_spans(elements)
        if self.regions:
            elements = self.place_notes(elements)
        self.doc.scenes = group_by_headings(elements)

    def extend_merged_spans(self, elements: list[Element]) -> None:
        """An element ending on a line that took in text from later lines ends with them."""
        merged = self.merged
        for el in elements:
            sp = el.span
            last = merged.get(sp.end_line - 1)
            if last is not None:
                el.span = _span(sp.start_line, last + 1, sp.start_char, self.line_end(last))

    def body(self, first: int) -> None:
        """Read the body paragraph by paragraph.

        The common shapes (a one-line paragraph; a plain cue block of dialogue and one-line
        parentheticals) are read right here; everything else goes to :meth:`paragraph`.
        """
        lines = self.lines
        n = self.n
        special = self.special
        acc = self.acc
        rawlines = self.rawlines
        cr = self.cr
        markup = self.markup
        elements = self.elements
        append = elements.append
        paragraph = self.paragraph
        cues = self._cues
        self.stripped = stripped = list(map(str.strip, lines))
        specials = sorted(special)
        sp_pos = 0  # specials[sp_pos] is the first boneyard/note-only line not yet passed
        next_special = specials[0] if specials else n
        bounds = self.blank_lines(first)
        for a, i in zip(bounds, islice(bounds, 1, None), strict=False):
            if i - a < 2:
                continue
            a += 1  # the paragraph is lines a .. i-1
            if next_special < i:
                while next_special < i:
                    sp_pos += 1
                    next_special = specials[sp_pos] if sp_pos < len(specials) else n
                idx = [k for k in range(a, i) if k not in special]
                if idx:
                    paragraph(idx)
                continue
            s = stripped[a]
            c = s[0]
            if c in _FORCED_START:
                if i - a == 1:
                    self.forced(range(a, i), 0, s, c)
                else:
                    paragraph(range(a, i))
                continue
            e = acc[a + 1] + a
            if cr and rawlines[a][-1:] == "\r":
                e -= len(rawlines[a]) - len(rawlines[a].rstrip("\r"))
            if i - a > 1:
                if (c in _HEADING_START and HEADING_PREFIX.match(s)) or s[-1] == ":":
                    paragraph(range(a, i))
                    continue
                key = (s, False)
                cue = cues[key] if key in cues else self.cue(s, False)
                if cue is None:
                    paragraph(range(a, i))
                    continue
                text, speaker, exts, dual = cue
                if exts or dual:
                    self.dialogue(range(a, i), 0, cue)
                    continue
                # A plain cue block, read here; anything unusual goes back to dialogue().
                first_index = len(elements)
                el = Element(_CHARACTER, text, _span(a + 1, a + 1, acc[a] + a, e), speaker)
                if markup and ("*" in text or "_" in text or "\\" in text):
                    _mark(el, text)
                append(el)
                k = a + 1
                while k < i:
                    s = stripped[k]
                    c = s[:1]
                    if c == "(" and s[-1] == ")":
                        j = k + 1
                    elif not s or c in _DIALOGUE_STOP:
                        break
                    else:
                        j = k + 1
                        while j < i:
                            t = stripped[j]
                            if not t or t[0] in _DIALOGUE_STOP:
                                break
                            j += 1
                        if j > k + 1:
                            s = "\n".join(stripped[k:j])
                    e = acc[j] + j - 1
                    if cr and rawlines[j - 1][-1:] == "\r":
                        e -= len(rawlines[j - 1]) - len(rawlines[j - 1].rstrip("\r"))
                    el = Element(
                        _PAREN if c == "(" and j == k + 1 and s[-1] == ")" else _DIALOGUE,
                        s,
                        _span(k + 1, j, acc[k] + k, e),
                        speaker,
                    )
                    if markup and ("*" in s or "_" in s or "\\" in s):
                        _mark(el, s)
                    append(el)
                    k = j
                if k < i:
                    del elements[first_index:]
                    self.dialogue(range(a, i), 0, cue)
                else:
                    self.block = (first_index, len(elements))
                continue
            span = _span(i, i, acc[a] + a, e)
            if c in _HEADING_START and HEADING_PREFIX.match(s):
                if s[-1] == "#":
                    self.heading(s, span)
                    continue
                el = Element(_HEADING, s, span)
            elif s[-1] == ":" and _is_transition(lines[a], s):
                el = Element(_TRANSITION, s, span)
            else:
                s = lines[a]
                if cr and s[-1:] == "\r":
                    s = s.rstrip("\r")
                if "\t" in s:
                    s = s.replace("\t", "    ")
                el = Element(_ACTION, s, span)
            if markup and ("*" in s or "_" in s or "\\" in s):
                _mark(el, s)
            append(el)

    def blank_lines(self, i: int) -> list[int]:
        """The blank lines from line ``i`` on, framed by ``i - 1`` and ``n``.

        Paragraphs are the runs of lines between them. A line of exactly two spaces inside a
        paragraph continues it (the spec's way to put an empty line in dialogue).
        """
        stripped = self.stripped
        n = self.n
        blank = list(compress(range(i, n), map(not_, islice(stripped, i, None))))
        text = self.text
        if "\n  \n" in text or "\n  \r\n" in text or text.endswith("\n  "):
            lines = self.lines
            kept: list[int] = []
            prev, in_para = i - 1, False
            for k in blank:
                if k > prev + 1:
                    in_para = True
                prev = k
                if in_para and lines[k].rstrip("\r") == "  ":
                    continue  # a two-space line inside a paragraph
                in_para = False
                kept.append(k)
            blank = kept
        blank.insert(0, i - 1)
        blank.append(n)
        return blank

    def place_notes(self, elements: list[Element]) -> list[Element]:
        """Standalone notes become NOTE elements; inline notes go to their element's attrs."""
        special = self.special
        text = self.text
        furniture = self.doc.furniture
        standalone: list[Element] = []
        inline: list[tuple[int, int]] = []
        for start, end in self.notes:
            standalone_note = self.line_of(start) in special and self.line_of(end - 1) in special
            if standalone_note or start < self.body_start_char:
                el = Element(
                    _NOTE, " ".join(text[start + 2 : end - 2].split()), self.char_span(start, end)
                )
                if start < self.body_start_char:
                    furniture.append(el)  # before or inside the title page
                else:
                    standalone.append(el)
            else:
                inline.append((start, end))
        if inline:
            for start, end in inline:
                j = bisect_right(elements, start, key=_start_char) - 1
                note = " ".join(text[start + 2 : end - 2].split())
                if j >= 0 and elements[j].span.end_char > start:
                    host = elements[j]
                    host.attrs.setdefault("notes", []).append(note)
                    if end > host.span.end_char:  # the note runs past the host's last line
                        host.span = self.char_span(host.span.start_char, end)
                else:  # cannot happen for body text; kept as a note rather than lost
                    standalone.append(Element(_NOTE, note, self.char_span(start, end)))
        if standalone:
            merged: list[Element] = []
            pos = 0
            for note in sorted(standalone, key=_start_char):
                j = bisect_right(elements, note.span.start_char, lo=pos, key=_start_char)
                merged += elements[pos:j]
                merged.append(note)
                pos = j
            merged += elements[pos:]
            elements = merged
        return elements

    # -- title page -----------------------------------------------------------------------

    def title_page(self) -> int:
        """Read the title page if there is one; return the first body line."""
        lines = self.lines
        n = self.n
        special = self.special
        i = 0
        while i < n and (i in special or _is_blank(lines[i])):
            i += 1
        if i >= n:
            return n
        first = i
        keys: list[tuple[str, list[str]]] = []
        while i < n:
            line = lines[i]
            if i in special:
                i += 1
                continue
            if _is_blank(line):
                break
            if keys and (line[0] == "\t" or line.startswith("   ") or line[0] == "\u3000"):
                keys[-1][1].append(line.strip())
                i += 1
                continue
            m = _TITLE_KEY.match(line)
            if m is None:
                break
            value = m.group(2).strip()
            keys.append((m.group(1).strip().lower(), [value] if value else []))
            i += 1
        if not keys or not (len(keys) >= 2 or any(k in _KNOWN_KEYS for k, _ in keys)):
            return first
        doc = self.doc
        for key, values in keys:
            value = "\n".join(values)
            if doc.title_page.get(key):
                if value:
                    doc.title_page[key] = f"{doc.title_page[key]}\n{value}"
            else:
                doc.title_page[key] = value
        title = doc.title_page.get("title")
        if title:
            doc.title = " ".join(clean_inline(title).split()) or None
        last = i - 1
        while last > first and last in special:
            last -= 1
        doc.attrs["title_page_lines"] = [first + 1, last + 1]
        self.body_start_char = self.line_start(i) if i < n else len(self.text)
        return i

    # -- paragraphs -----------------------------------------------------------------------

    def paragraph(self, idx: Sequence[int]) -> None:
        """Read one paragraph (``idx``: its line numbers, boneyard/note-only lines left out)."""
        stripped = self.stripped
        count = len(idx)
        m = 0
        fresh = True  # as if after a blank line: headings, transitions and cues allowed
        while m < count:
            k = idx[m]
            s = stripped[k]
            if not s:
                m += 1
                continue
            c = s[0]
            if fresh:
                if c in _FORCED_START:
                    m, fresh = self.forced(idx, m, s, c)
                    continue
                if c in _HEADING_START and HEADING_PREFIX.match(s):
                    self.heading(s, self.span(k, k))
                    m += 1
                    continue
                if s[-1] == ":" and _is_transition(self.lines[k], s):
                    self.simple(_TRANSITION, k, s)
                    m += 1
                    continue
                if m + 1 < count:
                    cue = self.cue(s, False)
                    if cue is not None:
                        self.dialogue(idx, m, cue)
                        return
                m = self.action(idx, m)
                fresh = False
            elif c in _LINE_FORCED and c != "!":
                m, _ = self.forced(idx, m, s, c)
            else:
                m = self.action(idx, m)

    def forced(self, idx: Sequence[int], m: int, s: str, c: str) -> tuple[int, bool]:
        """A line starting with one of ``! @ . > ~ # =``; return (next line, fresh)."""
        k = idx[m]
        if c == "!":
            return self.action(idx, m), False
        if c == "=":
            if len(s) >= 3 and not s.strip("="):
                self.elements.append(Element(_PAGE_BREAK, "", self.span(k, k)))
            else:
                self.simple(_SYNOPSIS, k, s[1:].strip())
            return m + 1, True
        if c == "#":
            body = s.lstrip("#")
            depth = len(s) - len(body)
            if "#" in body:
                body = _SECTION_CLOSE.sub("", body)
            self.simple(_SECTION, k, body.strip()).attrs["depth"] = depth
            return m + 1, True
        if c == "~":
            return self.lyric(idx, m, None), False
        if c == ">":
            if len(s) >= 2 and s[-1] == "<":
                return self.centered(idx, m), True
            rest = s[1:].strip()
            if rest:
                self.simple(_TRANSITION, k, rest)
                return m + 1, True
            return self.action(idx, m), False
        if c == ".":
            if len(s) >= 2 and s[1].isalnum():
                self.heading(s[1:].lstrip(), self.span(k, k))
                return m + 1, True
            return self.action(idx, m), False
        # c == "@"
        cue = self.cue(s[1:].strip(), True)
        if cue is None:
            return self.action(idx, m), False
        self.dialogue(idx, m, cue)
        return len(idx), False

    def simple(self, kind: ElementKind, k: int, raw: str) -> Element:
        el = Element(kind, raw, self.span(k, k))
        if self.markup:
            _mark(el, raw)
        self.elements.append(el)
        return el

    def heading(self, s: str, span: Span) -> None:
        number = None
        if s[-1] == "#":
            m = SCENE_NUMBER_SUFFIX.search(s)
            if m:
                number = m.group("num")
                s = s[: m.start()].rstrip()
        el = Element(_HEADING, s, span)
        if self.markup:
            _mark(el, s)
        if number is not None:
            el.attrs["scene_number"] = number
        self.elements.append(el)

    def action(self, idx: Sequence[int], m: int) -> int:
        """Consecutive action lines from ``m``; return the index of the first line not taken."""
        lines = self.lines
        count = len(idx)
        first = m
        out: list[str] = []
        while m < count:
            line = lines[idx[m]]
            s = line.lstrip()
            c = s[:1]
            if c in _LINE_FORCED:
                if c == "!":
                    line = line[: len(line) - len(s)] + s[1:]
                elif m > first and (c == "#" or c == "~" or len(s.rstrip()) > 1):
                    break
            if line[-1:] == "\r":
                line = line.rstrip("\r")
            out.append(line)
            m += 1
        raw = out[0] if len(out) == 1 else "\n".join(out)
        if "\t" in raw:
            raw = raw.replace("\t", "    ")
        el = Element(_ACTION, raw, self.span(idx[first], idx[m - 1]))
        if self.markup:
            _mark(el, raw)
        self.elements.append(el)
        return m

    def centered(self, idx: Sequence[int], m: int) -> int:
        stripped = self.stripped
        count = len(idx)
        first = m
        out: list[str] = []
        while m < count:
            s = stripped[idx[m]]
            if not (len(s) >= 2 and s[0] == ">" and s[-1] == "<"):
                break
            out.append(s[1:-1].strip())
            m += 1
        raw = "\n".join(out)
        el = _mark(Element(_CENTERED, raw, self.span(idx[first], idx[m - 1])), raw)
        self.elements.append(el)
        return m

    def lyric(self, idx: Sequence[int], m: int, cue: Element | None) -> int:
        stripped = self.stripped
        count = len(idx)
        first = m
        out: list[str] = []
        while m < count:
            s = stripped[idx[m]]
            if s[:1] != "~":
                break
            out.append(s[1:].strip())
            m += 1
        raw = "\n".join(out)
        el = _mark(Element(_LYRIC, raw, self.span(idx[first], idx[m - 1])), raw)
        if cue is not None:
            el.speaker, el.extension = cue.speaker, cue.extension
        self.elements.append(el)
        return m

    # -- character cues and dialogue ------------------------------------------------------

    def cue(self, s: str, forced: bool) -> _Cue | None:
        """Parse a cue line (``@`` already removed when ``forced``); None if it is not one.

        Cue lines repeat a lot in a script, so answers are remembered per document.
        """
        key = (s, forced)
        try:
            return self._cues[key]
        except KeyError:
            pass
        cue = self._cues[key] = self._parse_cue(s, forced)
        return cue

    def _parse_cue(self, s: str, forced: bool) -> _Cue | None:
        dual = False
        name = s
        if name[-1:] == "^":
            dual = True
            name = name[:-1].rstrip()
        if not name:
            return None
        p = name.find("(")
        if p == -1:
            p = name.find("（")
        exts: list[str] = []
        if p == -1:
            base = name
        else:
            exts = [mm.group(0) for mm in _EXT_RE.finditer(name, p)]
            rest = _EXT_RE.sub("", name[p:]).strip() if exts else name[p:]
            base = name[:p].rstrip()
            if rest:
                base = f"{base} {rest}".strip()
        if not base:
            return None
        if not forced:
            if base.isupper():
                if not base.isalpha():
                    c = base[0]
                    if not (c.isalpha() or (c.isdigit() and _ORDINAL_START.match(base))):
                        return None
                    if _CUE_BAD.search(base):
                        return None
            elif not (base.lower() == base.upper() and self.caseless_cue(base)):
                return None
        return name, base, exts, dual

    def caseless_cue(self, base: str) -> bool:
        if not _caseless_candidate(base):
            return False
        if self._caseless is None:
            self._caseless = self.caseless_pattern()
        return self._caseless

    def caseless_pattern(self) -> bool:
        """Does the file show caseless cues: a candidate before a parenthetical, or a repeat?"""
        lines = self.lines
        special = self.special
        seen: set[str] = set()
        prev_blank = True
        for k, line in enumerate(lines):
            if k in special:
                continue
            s = line.strip()
            if not s:
                prev_blank = True
                continue
            if prev_blank and k + 1 < self.n and (k + 1) not in special:
                nxt = lines[k + 1].strip()
                cut = [q for q in (s.find("("), s.find("（")) if q > 0]
                base = s[: min(cut)].strip() if cut else s
                if nxt and base.lower() == base.upper() and _caseless_candidate(base):
                    if nxt[0] in _OPEN_PAREN or base in seen:
                        return True
                    seen.add(base)
            prev_blank = False
        return False

    def dialogue(self, idx: Sequence[int], m: int, cue: _Cue) -> None:
        text, speaker, exts, dual = cue
        stripped = self.stripped
        elements = self.elements
        append = elements.append
        span = self.span
        markup = self.markup
        acc = self.acc
        rawlines = self.rawlines
        cr = self.cr
        count = len(idx)
        k = idx[m]
        first_index = len(elements)
        e = acc[k + 1] + k
        if cr and rawlines[k][-1:] == "\r":
            e -= len(rawlines[k]) - len(rawlines[k].rstrip("\r"))
        el = Element(_CHARACTER, text, _span(k + 1, k + 1, acc[k] + k, e), speaker)
        if markup and ("*" in text or "_" in text or "\\" in text):
            _mark(el, text)
        ext = None
        if exts:
            el.attrs["extensions_raw"] = list(exts)
            for raw in exts:
                inner = raw[1:-1].strip()
                if _CONTD_RE.match(inner):
                    el.attrs["contd"] = True
                elif ext is None:
                    ext = inner
            el.extension = ext
        append(el)
        m += 1
        if m + 1 == count:  # the usual block: a cue and one line of dialogue
            k = idx[m]
            s = stripped[k]
            c = s[:1]
            if s and c not in _OPEN_PAREN and c != "~":
                e = acc[k + 1] + k
                if cr and rawlines[k][-1:] == "\r":
                    e -= len(rawlines[k]) - len(rawlines[k].rstrip("\r"))
                d = Element(_DIALOGUE, s, _span(k + 1, k + 1, acc[k] + k, e), speaker, ext)
                if markup and ("*" in s or "_" in s or "\\" in s):
                    _mark(d, s)
                append(d)
                m = count
        while m < count:
            k = idx[m]
            s = stripped[k]
            c = s[:1]
            if c in _OPEN_PAREN:
                end = self.paren_at(idx, m, s)
                if end is not None:
                    raw = s
                    if end > m:
                        raw = "\n".join(stripped[idx[j]] for j in range(m, end + 1))
                    p = Element(_PAREN, raw, span(k, idx[end]), speaker, ext)
                    if markup:
                        _mark(p, raw)
                    append(p)
                    m = end + 1
                    continue
            elif c == "~":
                m = self.lyric(idx, m, el)
                continue
            elif not s:  # a two-space line before any dialogue text
                m += 1
                continue
            first = k
            out = [s]
            m += 1
            while m < count:
                s = stripped[idx[m]]
                c = s[:1]
                if c == "~" or (c in _OPEN_PAREN and self.paren_at(idx, m, s) is not None):
                    break
                out.append(s)
                m += 1
            last = m - 1
            while not out[-1]:
                out.pop()
                last -= 1
            if len(out) == 1:
                raw = out[0]
                k = first
            else:
                raw = "\n".join(out)
                k = idx[last]
            e = acc[k + 1] + k
            if cr and rawlines[k][-1:] == "\r":
                e -= len(rawlines[k]) - len(rawlines[k].rstrip("\r"))
            d = Element(
                _DIALOGUE, raw, _span(first + 1, k + 1, acc[first] + first, e), speaker, ext
            )
            if markup and ("*" in raw or "_" in raw or "\\" in raw):
                _mark(d, raw)
            append(d)
        end_index = len(elements)
        if dual:
            for x in elements[first_index:end_index]:
                x.dual = True
            el.attrs["dual"] = "right"
            prev_first, prev_end = self.block
            if prev_end == first_index and not elements[prev_first].dual:
                for x in elements[prev_first:prev_end]:
                    x.dual = True
                elements[prev_first].attrs["dual"] = "left"
        self.block = (first_index, end_index)

    def paren_at(self, idx: Sequence[int], m: int, s: str) -> int | None:
        """If a parenthetical starts at line ``m`` (``s`` stripped), the line that closes it."""
        if s[-1] in _CLOSE_PAREN:
            return m
        if ")" in s or "）" in s:
            return None
        stripped = self.stripped
        for j in range(m + 1, len(idx)):
            t = stripped[idx[j]]
            if not t or "(" in t or "（" in t:
                return None
            if t[-1] in _CLOSE_PAREN:
                return j
            if ")" in t or "）" in t:
                return None
        return None


def read(source: Source, fmt: str) -> Document:
    """Read Fountain text into a Document (see the module docstring for the rules)."""
    text = source.text
    doc = Document(source_text=text, source_format=fmt, encoding=source.encoding)
    # (read_bytes pauses the cyclic collector while a reader runs)
    _Reader(text, doc).run()
    return doc
