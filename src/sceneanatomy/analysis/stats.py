"""Structural statistics of a document (``scene-anatomy stats``).

``compute_stats(doc)`` returns a JSON-ready dict with a fixed key order; the same document
always gives the same dict. It reads only what the readers wrote (scenes, elements,
speakers, headings, spans, Final Draft scene properties) and changes nothing.

Three kinds of document:

- ``screenplay`` (Fountain, FDX, PDF, plain-text screenplays): length in pages and
  eighths. A scene whose reader supplied Final Draft's own length
  (``scene.attrs["fdx_length_eighths"]``) uses it (basis ``fdx``); other scenes are
  estimated by :mod:`.pages` (basis ``estimated``). Locations, INT/EXT and day/night
  counts come from the scene headings.
- ``timed`` (subtitles, or any document whose spans carry times): running time from the
  first start to the last end, and each scene's duration.
- ``prose``: scenes, words and quotations; no pages.

Characters are counted by speaker, extensions removed (the readers keep them apart),
merged case-insensitively (``STEEL`` and ``Steel`` are one character, shown in the form
used most often). A "line" is one spoken element: dialogue, a lyric, or a subtitle cue
with a speaker. ``share`` is the character's share of all attributed spoken words.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from ..headings import day_night
from ..model import Document, Element, ElementKind, Scene, format_time
from .pages import LINES_PER_PAGE, format_eighths, lines_to_eighths, scene_lines

SCHEMA = "scene-anatomy-stats/1"

SCREENPLAY_FORMATS = {"fountain", "fdx", "pdf", "screenplay-text"}
TIMED_FORMATS = {"srt", "vtt", "ass"}
SPOKEN = {ElementKind.DIALOGUE, ElementKind.LYRIC, ElementKind.SUBTITLE}
_UNCOUNTED = {ElementKind.SECTION, ElementKind.SYNOPSIS, ElementKind.NOTE, ElementKind.PAGE_BREAK}

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+(?:['’][^\W{_CJK}]+)*")
_QUOTE = re.compile(r"“[^”]*”|\"[^\"\n]*\"|「[^」]*」|『[^』]*』|«[^»]*»")
_INT_EXT_KEYS = ("INT", "EXT", "INT/EXT", "EST", "unknown")
_DAY_NIGHT_KEYS = ("day", "night", "other", "unknown")


def count_words(text: str) -> int:
    """Words of ``text``; each CJK ideograph or kana counts as one word (no spaces there)."""
    return len(_WORD.findall(text))


def document_kind(doc: Document) -> str:
    if doc.source_format in TIMED_FORMATS:
        return "timed"
    if doc.source_format == "prose":
        return "prose"
    if doc.source_format not in SCREENPLAY_FORMATS and any(
        e.span.start_time is not None for e in doc.elements()
    ):
        return "timed"
    return "screenplay"


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


class _Names:
    """Case-insensitive merging of surface forms; shows the most used form (first on ties)."""

    def __init__(self) -> None:
        self.forms: dict[str, Counter[str]] = {}
        self.first: dict[str, dict[str, int]] = {}
        self._seen = 0

    def add(self, name: str) -> str:
        key = _key(name)
        form = " ".join(name.split())
        self.forms.setdefault(key, Counter())[form] += 1
        self.first.setdefault(key, {}).setdefault(form, self._seen)
        self._seen += 1
        return key

    def display(self, key: str) -> str:
        forms = self.forms[key]
        return min(forms, key=lambda f: (-forms[f], self.first[key][f]))


def _words(elements: Iterable[Element]) -> int:
    return sum(count_words(e.text) for e in elements if e.kind not in _UNCOUNTED)


def _speaking(scene: Scene) -> list[Element]:
    return [e for e in scene.elements if e.kind in SPOKEN and e.speaker and e.speaker.strip()]


def _characters(doc: Document, names: _Names) -> list[dict[str, Any]]:
    lines: Counter[str] = Counter()
    words: Counter[str] = Counter()
    scenes: dict[str, list[str]] = {}
    for scene in doc.scenes:
        for el in _speaking(scene):
            assert el.speaker is not None
            key = names.add(el.speaker)
            lines[key] += 1
            words[key] += count_words(el.text)
            ids = scenes.setdefault(key, [])
            if scene.id not in ids:
                ids.append(scene.id)
    total = sum(words.values())
    rows = [
        {
            "name": names.display(key),
            "lines": lines[key],
            "words": words[key],
            "share": round(words[key] / total, 4) if total else 0.0,
            "scenes": len(scenes[key]),
            "scene_ids": scenes[key],
        }
        for key in lines
    ]
    rows.sort(key=lambda r: (-r["words"], -r["lines"], _key(r["name"]), r["name"]))
    return rows


def _scene_speakers(scene: Scene, names: _Names) -> list[str]:
    out: list[str] = []
    for el in _speaking(scene):
        assert el.speaker is not None
        name = names.display(_key(el.speaker))
        if name not in out:
            out.append(name)
    return out


def _locations(doc: Document) -> list[dict[str, Any]]:
    names = _Names()
    counts: Counter[str] = Counter()
    for scene in doc.scenes:
        if scene.location:
            counts[names.add(scene.location)] += 1
    rows = [{"name": names.display(k), "scenes": n} for k, n in counts.items()]
    rows.sort(key=lambda r: (-r["scenes"], _key(r["name"]), r["name"]))
    return rows


def _int_ext(doc: Document) -> dict[str, int]:
    counts = dict.fromkeys(_INT_EXT_KEYS, 0)
    for scene in doc.scenes:
        key = scene.int_ext if scene.int_ext in counts else "unknown"
        counts[key] += 1
    return counts


def _day_night(doc: Document) -> dict[str, int]:
    counts = dict.fromkeys(_DAY_NIGHT_KEYS, 0)
    for scene in doc.scenes:
        if scene.time_of_day is None:
            counts["unknown"] += 1
        else:
            counts[day_night(scene.time_of_day) or "other"] += 1
    return counts


def _screenplay_length(doc: Document, names: _Names) -> tuple[dict[str, Any], list[dict]]:
    table: list[dict[str, Any]] = []
    total = estimated_total = lines_total = 0
    bases: set[str] = set()
    for scene in doc.scenes:
        lines = scene_lines(scene)
        estimated = lines_to_eighths(lines)  # = estimate_scene_eighths(scene)
        fdx = scene.attrs.get("fdx_length_eighths")
        if isinstance(fdx, int) and not isinstance(fdx, bool) and fdx >= 0:
            eighths, basis = fdx, "fdx"
        else:
            eighths, basis = estimated, "estimated"
        bases.add(basis)
        total += eighths
        estimated_total += estimated
        lines_total += lines
        table.append(
            {
                "id": scene.id,
                "number": scene.number,
                "heading": scene.heading,
                "eighths": eighths,
                "pages": format_eighths(eighths),
                "basis": basis,
                "estimated_eighths": estimated,
                "words": _words(scene.elements),
                "speakers": _scene_speakers(scene, names),
            }
        )
    basis = "mixed" if len(bases) > 1 else (bases.pop() if bases else "estimated")
    length = {
        "pages": format_eighths(total),
        "eighths": total,
        "basis": basis,
        "estimated_eighths": estimated_total,
        "estimated_lines": lines_total,
        "lines_per_page": LINES_PER_PAGE,
    }
    return length, table


def _timed_length(doc: Document, names: _Names) -> tuple[dict[str, Any] | None, list[dict]]:
    table: list[dict[str, Any]] = []
    starts: list[float] = []
    ends: list[float] = []
    for scene in doc.scenes:
        span = scene.span
        start = span.start_time if span else None
        end = span.end_time if span else None
        if start is not None:
            starts.append(start)
        if end is not None:
            ends.append(end)
        seconds = round(end - start, 3) if start is not None and end is not None else None
        table.append(
            {
                "id": scene.id,
                "heading": scene.heading,
                "start": format_time(start),
                "end": format_time(end),
                "duration": format_time(seconds),
                "seconds": seconds,
                "words": _words(scene.elements),
                "speakers": _scene_speakers(scene, names),
            }
        )
    if not starts or not ends:
        return None, table
    first, last = min(starts), max(ends)
    seconds = round(max(0.0, last - first), 3)
    length = {
        "running_time": format_time(seconds),
        "seconds": seconds,
        "start": format_time(first),
        "end": format_time(last),
        "basis": "timed",
    }
    return length, table


def _quotes(doc: Document) -> int:
    dialogue = [e for e in doc.elements() if e.kind is ElementKind.DIALOGUE]
    if dialogue:
        return len(dialogue)
    return sum(len(_QUOTE.findall(e.text)) for e in doc.elements() if e.kind not in _UNCOUNTED)


def compute_stats(doc: Document) -> dict[str, Any]:
    """Structural statistics of ``doc`` as a JSON-ready dict (see the module docstring)."""
    kind = document_kind(doc)
    names = _Names()
    characters = _characters(doc, names)
    length: dict[str, Any] | None
    if kind == "screenplay":
        length, table = _screenplay_length(doc, names)
    elif kind == "timed":
        length, table = _timed_length(doc, names)
    else:
        length = None
        table = [
            {
                "id": s.id,
                "heading": s.heading,
                "words": _words(s.elements),
                "speakers": _scene_speakers(s, names),
            }
            for s in doc.scenes
        ]
    screenplay = kind == "screenplay"
    return {
        "schema": SCHEMA,
        "source": {
            "path": doc.path,
            "format": doc.source_format,
            "encoding": doc.encoding,
            "title": doc.title,
            "episode": doc.episode,
        },
        "kind": kind,
        "scenes": len(doc.scenes),
        "words": _words(doc.elements()),
        "length": length,
        "quotes": _quotes(doc) if kind == "prose" else None,
        "characters": characters,
        "locations": _locations(doc) if screenplay else [],
        "int_ext": _int_ext(doc) if screenplay else None,
        "day_night": _day_night(doc) if screenplay else None,
        "scenes_without_heading": sum(1 for s in doc.scenes if not s.heading),
        "scene_table": table,
        "warnings": len(doc.warnings),
    }
