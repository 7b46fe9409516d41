"""Plain-text rendering of :func:`sceneanatomy.analysis.stats.compute_stats` output.

Deterministic, no colour codes: fixed-width columns sized to their content (wide CJK
characters count as two columns), long headings cut at :data:`HEADING_WIDTH`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..analysis.pages import format_eighths, text_width

HEADING_WIDTH = 44
NAME_WIDTH = 28


def _fit(text: str, width: int) -> str:
    """Cut ``text`` to ``width`` display columns, marking the cut with "..."."""
    if text_width(text) <= width:
        return text
    out = ""
    for ch in text:
        if text_width(out + ch) > width - 3:
            break
        out += ch
    return out + "..."


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> list[str]:
    widths = [text_width(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], text_width(cell))
    lines = []
    for row in [list(headers), *rows]:
        cells = []
        for i, cell in enumerate(row):
            pad = " " * (widths[i] - text_width(cell))
            cells.append(pad + cell if i in right else cell + pad)
        lines.append("  " + "  ".join(cells).rstrip())
    return lines


def _pct(share: float) -> str:
    return f"{share * 100:.1f}%"


def _counts(counts: dict[str, int]) -> str:
    return "  ".join(f"{k} {v}" for k, v in counts.items())


def stats_text(stats: dict[str, Any]) -> str:
    src = stats.get("source") or {}
    out: list[str] = []
    out.append(str(src.get("title") or src.get("path") or "untitled"))
    meta = [f"format: {src.get('format')}", f"encoding: {src.get('encoding')}"]
    if src.get("episode") is not None:
        meta.append(f"episode: {src['episode']}")
    out.append("   ".join(meta))

    summary = [f"scenes: {stats.get('scenes', 0)}", f"words: {stats.get('words', 0)}"]
    length = stats.get("length")
    if length and "eighths" in length:
        summary.append(f"length: {length['pages']} pages ({length['basis']})")
    elif length and "running_time" in length:
        summary.append(f"running time: {length['running_time']}")
    if stats.get("quotes") is not None:
        summary.append(f"quotes: {stats['quotes']}")
    out.append("   ".join(summary))
    if length and "eighths" in length and length["basis"] != "estimated":
        out.append(f"estimated length: {format_eighths(length['estimated_eighths'])} pages")

    chars = stats.get("characters") or []
    out.append("")
    out.append("Characters")
    if chars:
        rows = [
            [
                _fit(c["name"], NAME_WIDTH),
                str(c["lines"]),
                str(c["words"]),
                _pct(c["share"]),
                str(c["scenes"]),
            ]
            for c in chars
        ]
        out.extend(_table(["NAME", "LINES", "WORDS", "SHARE", "SCENES"], rows, {1, 2, 3, 4}))
    else:
        out.append("  (no attributed dialogue)")
        if stats.get("quotes"):
            # prose: the quotes' speakers are left to the characters command's attribution
            out.append("  (scene-anatomy characters FILE attributes the quotes to speakers)")

    if stats.get("kind") == "screenplay":
        out.append("")
        out.append("Locations")
        locs = stats.get("locations") or []
        if locs:
            rows = [[str(loc["scenes"]), _fit(loc["name"], HEADING_WIDTH)] for loc in locs]
            out.extend(_table(["SCENES", "LOCATION"], rows, {0}))
        else:
            out.append("  (no locations in the headings)")
        out.append("")
        if stats.get("int_ext"):
            out.append(f"INT/EXT:    {_counts(stats['int_ext'])}")
        if stats.get("day_night"):
            out.append(f"day/night:  {_counts(stats['day_night'])}")
    out.append(f"scenes without heading: {stats.get('scenes_without_heading', 0)}")

    table = stats.get("scene_table") or []
    if table:
        out.append("")
        out.append("Scenes")
        kind = stats.get("kind")
        if kind == "screenplay":
            headers = ["ID", "NO", "LENGTH", "", "HEADING", "SPEAKERS"]
            rows = [
                [
                    r["id"],
                    r.get("number") or "",
                    r["pages"],
                    "*" if r["basis"] == "fdx" else "",
                    _fit(r.get("heading") or "(no heading)", HEADING_WIDTH),
                    ", ".join(r["speakers"]),
                ]
                for r in table
            ]
            out.extend(_table(headers, rows, {2}))
            if any(r["basis"] == "fdx" for r in table):
                out.append("  * length from Final Draft's scene properties")
        elif kind == "timed":
            headers = ["ID", "START", "DURATION", "WORDS", "SPEAKERS"]
            rows = [
                [
                    r["id"],
                    r["start"] or "-",
                    r["duration"] or "-",
                    str(r["words"]),
                    ", ".join(r["speakers"]),
                ]
                for r in table
            ]
            out.extend(_table(headers, rows, {3}))
        else:
            headers = ["ID", "WORDS", "HEADING", "SPEAKERS"]
            rows = [
                [
                    r["id"],
                    str(r["words"]),
                    _fit(r.get("heading") or "", HEADING_WIDTH),
                    ", ".join(r["speakers"]),
                ]
                for r in table
            ]
            out.extend(_table(headers, rows, {1}))
    if stats.get("warnings"):
        out.append("")
        out.append(f"warnings: {stats['warnings']} (see stderr)")
    return "\n".join(out) + "\n"
