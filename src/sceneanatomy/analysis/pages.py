"""Page-length estimation for screenplays, in eighths of a page like Final Draft.

The model is the standard screenplay page: Courier 12 pt, 10 characters per inch, 6 lines
per inch, 55 printed lines per page. Each element is wrapped by words at its column width
(action and headings 61, dialogue 35, parentheticals 26; cues and transitions take one
line per source line) and preceded by the blank lines Final Draft's default template puts
before it: two before a scene heading (``SpaceBefore="24"``), one before action, cues,
transitions and centered text, none inside a dialogue block. Dual dialogue is two narrow
columns side by side, so a dual block is as tall as its taller side.

A scene's length is its line count over 55 lines, in eighths, rounded half up, at least
1/8 for a non-empty scene. Checked against Final Draft's own ``SceneProperties Length``
(3/8 and 2/8) in tests/test_stats.py.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterator, Sequence
from functools import lru_cache

from ..model import Element, ElementKind, Scene

LINES_PER_PAGE = 55
ACTION_WIDTH = 61
DIALOGUE_WIDTH = 35
PARENTHETICAL_WIDTH = 26
DUAL_DIALOGUE_WIDTH = 28
DUAL_PARENTHETICAL_WIDTH = 22

_SPACE_BEFORE: dict[ElementKind, int] = {
    ElementKind.SCENE_HEADING: 2,
    ElementKind.ACTION: 1,
    ElementKind.CENTERED: 1,
    ElementKind.CHARACTER: 1,
    ElementKind.TRANSITION: 1,
    ElementKind.LYRIC: 0,
    ElementKind.DIALOGUE: 0,
    ElementKind.PARENTHETICAL: 0,
    ElementKind.NARRATION: 1,
    ElementKind.SUBTITLE: 1,
    ElementKind.SOUND: 1,
}
# Not printed in the script body (Fountain sections, synopses, notes, page breaks).
_UNPRINTED = {ElementKind.SECTION, ElementKind.SYNOPSIS, ElementKind.NOTE, ElementKind.PAGE_BREAK}


def text_width(text: str) -> int:
    """Display columns of ``text``: wide (CJK) characters take two, combining marks none."""
    if text.isascii():
        return len(text)  # ASCII: never wide, never combining
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


@lru_cache(maxsize=1 << 14)
def wrapped_lines(text: str, width: int) -> int:
    """Lines ``text`` takes when wrapped by words at ``width`` columns (hard newlines kept)."""
    # Cached: the statistics and the conversation stage wrap the same lines.
    total = 0
    for para in text.split("\n"):
        words = para.split()
        if not words:
            total += 1
            continue
        lines, col = 1, 0
        # an ASCII word's width is its length (text_width without its call per word)
        widths = map(len, words) if para.isascii() else map(text_width, words)
        for w in widths:
            if col and col + 1 + w <= width:
                col += 1 + w
                continue
            if col:
                lines += 1  # the word starts a new line
            full = max(0, (w - 1) // width)  # a word longer than a line is broken
            lines += full
            col = w - full * width
        total += lines
    return total


def _width(el: Element, dual: bool) -> int | None:
    kind = el.kind
    if kind in (ElementKind.DIALOGUE, ElementKind.LYRIC):
        return DUAL_DIALOGUE_WIDTH if dual else DIALOGUE_WIDTH
    if kind is ElementKind.PARENTHETICAL:
        return DUAL_PARENTHETICAL_WIDTH if dual else PARENTHETICAL_WIDTH
    if kind in (ElementKind.CHARACTER, ElementKind.TRANSITION):
        return None  # one line per source line
    return ACTION_WIDTH


def element_lines(el: Element, *, dual: bool = False) -> int:
    """Printed lines of one element, without the blank lines before it."""
    if el.kind in _UNPRINTED or not el.text.strip():
        return 0
    width = _width(el, dual)
    if width is None:
        return len([ln for ln in el.text.split("\n") if ln.strip()]) or 1
    return wrapped_lines(el.text, width)


def space_before(el: Element) -> int:
    if el.kind in _UNPRINTED or not el.text.strip():
        return 0
    if el.kind is ElementKind.LYRIC and el.speaker is None:
        return 1
    return _SPACE_BEFORE.get(el.kind, 1)


def _blocks(elements: Sequence[Element]) -> Iterator[tuple[int, int]]:
    """Yield (blank lines, printed lines) per block; a dual dialogue pair is one block."""
    i, n = 0, len(elements)
    while i < n:
        el = elements[i]
        if not el.dual:
            yield space_before(el), element_lines(el)
            i += 1
            continue
        j = i
        while j < n and elements[j].dual:
            j += 1
        sides: list[int] = []  # one entry per cue and the lines under it
        for e in elements[i:j]:
            if e.kind is ElementKind.CHARACTER or not sides:
                sides.append(0)
            sides[-1] += element_lines(e, dual=True)
        for k in range(0, len(sides), 2):
            yield (space_before(el) if k == 0 else 1), max(sides[k : k + 2])
        i = j


def scene_lines(scene: Scene) -> int:
    """Estimated printed lines of a scene, blank lines included."""
    return sum(blank + lines for blank, lines in _blocks(scene.elements) if lines)


def lines_to_eighths(lines: int) -> int:
    """Lines -> eighths of a page, rounded half up; at least 1 for a non-empty scene."""
    if lines <= 0:
        return 0
    return max(1, math.floor(lines * 8 / LINES_PER_PAGE + 0.5))


def estimate_scene_eighths(scene: Scene) -> int:
    return lines_to_eighths(scene_lines(scene))


def format_eighths(eighths: int) -> str:
    """``11`` -> ``"1 3/8"``, ``8`` -> ``"1"``, ``3`` -> ``"3/8"``, ``0`` -> ``"0"``."""
    pages, rest = divmod(max(0, eighths), 8)
    if rest == 0:
        return str(pages)
    if pages == 0:
        return f"{rest}/8"
    return f"{pages} {rest}/8"
