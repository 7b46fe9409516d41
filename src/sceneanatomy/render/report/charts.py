"""Chart builders: the geometry of the report's inline SVG charts (the markup is in
``templates/chart_*.svg.j2``), their alt text, and a terminal rendering of each.

Hand-built SVG: no plotting library to import (the report has a 300 ms budget per scene),
no JavaScript, crisp at any width (``viewBox`` + ``width="100%"``). Coordinates are
rounded to 0.1 so the output is stable.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .model import Chart

__all__ = [
    "PALETTE",
    "arcs_chart",
    "dialogue_chart",
    "graph_chart",
    "strip_chart",
    "tension_chart",
]

# Okabe-Ito colours (colour-blind safe), without the yellow that is unreadable on white.
PALETTE = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#7F3C8D",
    "#555555",
)
KIND_COLOURS = {
    "romantic": "#C2185B",
    "platonic": "#0072B2",
    "family": "#009E73",
    "rivalry": "#D55E00",
    "other": "#777777",
}
SPARK = "▁▂▃▄▅▆▇█"
W = 560  # every chart's viewBox width


def _r(x: float) -> float:
    return round(x, 1)


def _pct(x: float) -> str:
    return f"{round(100 * x)}%"


def spark(values: Sequence[float], lo: float = 0.0, hi: float = 1.0) -> str:
    span = (hi - lo) or 1.0
    out = []
    for v in values:
        k = int((min(hi, max(lo, v)) - lo) / span * (len(SPARK) - 1) + 0.5)
        out.append(SPARK[k])
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Frame:
    """Plot area inside the viewBox."""

    left: float
    top: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height

    def x(self, f: float) -> float:
        return _r(self.left + f * self.width)

    def y(self, f: float) -> float:
        """``f`` in 0..1, 1 at the top."""
        return _r(self.top + (1 - f) * self.height)


def _legend(
    entries: list[dict[str, Any]], top: float, per_row: int = 4
) -> tuple[list[dict[str, Any]], float]:
    """Place legend entries in rows under the plot; returns (entries with x/y, height)."""
    col = (W - 40) / per_row
    placed = []
    for i, e in enumerate(entries):
        row, c = divmod(i, per_row)
        placed.append({**e, "x": _r(20 + c * col), "y": _r(top + row * 22)})
    rows = (len(entries) + per_row - 1) // per_row
    return placed, rows * 22


# --------------------------------------------------------------------------- tension


def tension_chart(
    chart_id: str,
    beats: Sequence[dict[str, Any]],
    turn_position: int | None,
) -> Chart | None:
    """Tension per beat (0..1) with the beats numbered and the turning point marked.

    ``beats``: ``{"number", "function", "tension"}``; ``turn_position``: the 0-based
    position in ``beats`` of the turning point's beat. None with fewer than two beats.
    """
    pts = [b for b in beats if isinstance(b.get("tension"), int | float)]
    if len(pts) < 2:
        return None
    f = Frame(56, 20, W - 56 - 20, 170)
    n = len(pts)
    points = []
    for i, b in enumerate(pts):
        t = min(1.0, max(0.0, float(b["tension"])))
        points.append(
            {
                "x": f.x(i / (n - 1)),
                "y": f.y(t),
                "number": b["number"],
                "label": f"Beat {b['number']} ({b['function']}): tension {t:.2f}",
                "tension": t,
                "turn": turn_position == i,
            }
        )
    line = " ".join(f"{p['x']},{p['y']}" for p in points)
    area = f"{f.x(0)},{f.y(0)} {line} {f.x(1)},{f.y(0)}"
    turn = next((p for p in points if p["turn"]), None)
    legend_entries = [{"kind": "line", "label": "Tension", "colour": PALETTE[1]}]
    legend_entries.append({"kind": "dot", "label": "Beat (numbered)", "colour": PALETTE[1]})
    if turn is not None:
        legend_entries.append({"kind": "dash", "label": "Turning point", "colour": "#222222"})
    legend, lh = _legend(legend_entries, f.bottom + 48, per_row=3)
    height = _r(f.bottom + 48 + lh)
    peak = max(points, key=lambda p: p["tension"])
    desc = (
        f"Tension across {n} beats, from {points[0]['tension']:.2f} at beat "
        f"{points[0]['number']} to {points[-1]['tension']:.2f} at beat {points[-1]['number']}; "
        f"highest {peak['tension']:.2f} at beat {peak['number']}."
    )
    if turn is not None:
        desc += f" The turning point is beat {turn['number']}."
    text_lines = [f"tension  {spark([p['tension'] for p in points])}"]
    if turn is not None:
        idx = points.index(turn)
        text_lines.append(" " * (9 + idx) + "^ turning point")
    return Chart(
        id=chart_id,
        kind="tension",
        title="Tension, beat by beat",
        desc=desc,
        template="chart_tension.svg.j2",
        ctx={
            "width": W,
            "height": height,
            "frame": f,
            "points": points,
            "line": line,
            "area": area,
            "turn": turn,
            "yticks": [{"y": f.y(v), "label": f"{v:.1f}"} for v in (0.0, 0.5, 1.0)],
            "legend": legend,
            "colour": PALETTE[1],
            "xlabel": "Beat",
            "ylabel": "Tension",
        },
        text_lines=text_lines,
    )


# --------------------------------------------------------------------------- arcs


def arcs_chart(chart_id: str, series: Sequence[dict[str, Any]]) -> Chart | None:
    """Emotional arcs: valence (-1..1) through the scene (0..1), one line per character.

    ``series``: ``{"name", "points": [{"position", "valence", "emotion"}]}``.
    """
    usable = []
    for s in series:
        pts = sorted(
            (
                p
                for p in s.get("points", [])
                if isinstance(p.get("position"), int | float)
                and isinstance(p.get("valence"), int | float)
            ),
            key=lambda p: float(p["position"]),
        )
        if pts:
            usable.append((s["name"], pts))
    if not usable:
        return None
    f = Frame(64, 20, W - 64 - 20, 180)
    lines = []
    legend_entries = []
    text_lines = []
    for i, (name, pts) in enumerate(usable[: len(PALETTE)]):
        colour = PALETTE[i % len(PALETTE)]
        dots = []
        for p in pts:
            pos = min(1.0, max(0.0, float(p["position"])))
            val = min(1.0, max(-1.0, float(p["valence"])))
            emo = str(p.get("emotion") or "")
            dots.append(
                {
                    "x": f.x(pos),
                    "y": f.y((val + 1) / 2),
                    "label": f"{name}: {emo + ', ' if emo else ''}valence {val:+.2f} at {_pct(pos)}",
                }
            )
        lines.append(
            {
                "name": name,
                "colour": colour,
                "dash": "" if i < 4 else "6 3",
                "points": dots,
                "path": " ".join(f"{d['x']},{d['y']}" for d in dots),
            }
        )
        legend_entries.append({"kind": "line", "label": name, "colour": colour})
        text_lines.append(f"{name[:16]:<16} {spark([float(p['valence']) for p in pts], -1.0, 1.0)}")
    legend, lh = _legend(legend_entries, f.bottom + 48, per_row=3)
    height = _r(f.bottom + 48 + lh)
    parts = []
    for name, pts in usable[: len(PALETTE)]:
        a, b = float(pts[0]["valence"]), float(pts[-1]["valence"])
        parts.append(f"{name} from {a:+.2f} to {b:+.2f}")
    desc = (
        "Emotional valence through the scene (−1 negative to +1 positive): "
        + "; ".join(parts)
        + "."
    )
    return Chart(
        id=chart_id,
        kind="arcs",
        title="Emotional arcs",
        desc=desc,
        template="chart_arcs.svg.j2",
        ctx={
            "width": W,
            "height": height,
            "frame": f,
            "lines": lines,
            "zero": f.y(0.5),
            "yticks": [
                {"y": f.y(1.0), "label": "+1"},
                {"y": f.y(0.5), "label": "0"},
                {"y": f.y(0.0), "label": "−1"},
            ],
            "xticks": [{"x": f.x(v), "label": _pct(v)} for v in (0.0, 0.5, 1.0)],
            "legend": legend,
            "xlabel": "Through the scene",
            "ylabel": "Feeling (− / +)",
        },
        text_lines=text_lines,
    )


# --------------------------------------------------------------------------- dialogue


def dialogue_chart(
    chart_id: str, rows: Sequence[dict[str, Any]], max_rows: int = 10
) -> Chart | None:
    """Share of the spoken words per character (``{"name", "words", "lines"}``)."""
    rows = [r for r in rows if int(r.get("words") or 0) > 0]
    if not rows:
        return None
    total = sum(int(r["words"]) for r in rows)
    rows = sorted(rows, key=lambda r: (-int(r["words"]), str(r["name"])))[:max_rows]
    top_share = int(rows[0]["words"]) / total
    scale_max = min(1.0, math.ceil(top_share * 10 + 1e-9) / 10) or 0.1
    bar_h, gap = 20, 8
    f = Frame(150, 16, W - 150 - 60, len(rows) * (bar_h + gap))
    bars = []
    text_lines = []
    for i, r in enumerate(rows):
        share = int(r["words"]) / total
        y = _r(f.top + i * (bar_h + gap))
        bars.append(
            {
                "name": r["name"],
                "y": y,
                "ty": _r(y + bar_h / 2 + 4),
                "w": _r(f.width * share / scale_max),
                "h": bar_h,
                "share": _pct(share),
                "label": f"{r['name']}: {_pct(share)} of the words ({r['words']} words, {r.get('lines', 0)} lines)",
            }
        )
        text_lines.append(
            f"{str(r['name'])[:16]:<16} {'█' * max(1, round(share * 30)):<30} {_pct(share)}"
        )
    ticks = []
    steps = round(scale_max * 10)
    stride = 1 if steps <= 5 else 2
    for k in range(0, steps + 1, stride):
        v = k / 10
        ticks.append({"x": _r(f.left + f.width * v / scale_max), "label": f"{round(v * 100)}%"})
    legend, lh = _legend(
        [{"kind": "box", "label": "Share of spoken words", "colour": PALETTE[0]}], f.bottom + 44, 1
    )
    desc = "Share of spoken words: " + ", ".join(f"{b['name']} {b['share']}" for b in bars) + "."
    return Chart(
        id=chart_id,
        kind="dialogue",
        title="Who gets the words",
        desc=desc,
        template="chart_dialogue.svg.j2",
        ctx={
            "width": W,
            "height": _r(f.bottom + 44 + lh),
            "frame": f,
            "bars": bars,
            "xticks": ticks,
            "colour": PALETTE[0],
            "legend": legend,
            "xlabel": "Share of spoken words",
        },
        text_lines=text_lines,
    )


# --------------------------------------------------------------------------- graph

_GLYPH = {"yes": "✓", "no": "✗", "unknown": "?"}
_REQUITED_LABEL = {"yes": "returned", "no": "not returned", "unknown": "not known if returned"}


def graph_chart(
    chart_id: str,
    nodes: Sequence[dict[str, str]],
    edges: Sequence[dict[str, str]],
) -> Chart | None:
    """The love-line ledger as a directed graph (``nodes``: ``{"id", "name"}``; ``edges``:
    ``{"from", "to", "kind", "requited", "basis"}``): colour = kind, dashes = implied,
    ✓ / ✗ / ? on romantic edges = returned / not returned / not known."""
    ids = [n["id"] for n in nodes]
    edges = [e for e in edges if e["from"] in ids and e["to"] in ids and e["from"] != e["to"]]
    if not edges:
        return None
    used = [n for n in nodes if any(n["id"] in (e["from"], e["to"]) for e in edges)]
    k = len(used)
    radius = 0 if k <= 2 else (90 if k == 3 else 110)
    cx, cy = W / 2, (40 if k <= 2 else radius + 40)
    pos: dict[str, tuple[float, float]] = {}
    node_ctx = []
    for i, n in enumerate(used):
        if k == 2:
            x, y = cx + (-140 if i == 0 else 140), cy
        else:
            a = -math.pi / 2 + 2 * math.pi * i / k
            x, y = cx + 1.6 * radius * math.cos(a), cy + radius * math.sin(a)
        pos[n["id"]] = (x, y)
        anchor = "middle"
        if x < cx - 10:
            anchor = "end"
        elif x > cx + 10:
            anchor = "start"
        dx = {"end": -12, "start": 12, "middle": 0}[anchor]
        dy = 4 if anchor != "middle" else (-14 if y < cy else 22)
        node_ctx.append(
            {
                "x": _r(x),
                "y": _r(y),
                "name": n["name"],
                "tx": _r(x + dx),
                "ty": _r(y + dy),
                "anchor": anchor,
            }
        )
    pairs = {(e["from"], e["to"]) for e in edges}
    edge_ctx = []
    text_lines = []
    kinds_seen: list[str] = []
    for e in edges:
        (x1, y1), (x2, y2) = pos[e["from"]], pos[e["to"]]
        dx, dy = x2 - x1, y2 - y1
        d = math.hypot(dx, dy) or 1.0
        ux, uy = dx / d, dy / d
        bend = 22 if (e["to"], e["from"]) in pairs else 0
        sx, sy = x1 + ux * 10, y1 + uy * 10
        ex, ey = x2 - ux * 12, y2 - uy * 12
        mx, my = (sx + ex) / 2 - uy * bend, (sy + ey) / 2 + ux * bend
        kind = e["kind"] if e["kind"] in KIND_COLOURS else "other"
        if kind not in kinds_seen:
            kinds_seen.append(kind)
        requited = e.get("requited", "unknown")
        romantic = kind == "romantic"
        label = f"{e['from_name']} → {e['to_name']}: {kind}, {e.get('basis', 'implied')}"
        if romantic:
            label += f", {_REQUITED_LABEL.get(requited, requited)}"
        edge_ctx.append(
            {
                "d": f"M{_r(sx)},{_r(sy)} Q{_r(mx)},{_r(my)} {_r(ex)},{_r(ey)}",
                "colour": KIND_COLOURS[kind],
                "kind": kind,
                "dash": "6 4" if e.get("basis") == "implied" else "",
                "glyph": _GLYPH.get(requited, "?") if romantic else "",
                "gx": _r((sx + 2 * mx + ex) / 4),
                "gy": _r((sy + 2 * my + ey) / 4),
                "label": label,
            }
        )
        text_lines.append(label)
    legend_entries = [
        {"kind": "line", "label": kind, "colour": KIND_COLOURS[kind]} for kind in kinds_seen
    ]
    legend_entries += [
        {"kind": "line", "label": "stated", "colour": "#333333"},
        {"kind": "dash", "label": "implied", "colour": "#333333"},
    ]
    if "romantic" in kinds_seen:
        legend_entries += [
            {"kind": "glyph", "glyph": "✓", "label": "returned", "colour": "#333333"},
            {"kind": "glyph", "glyph": "✗", "label": "not returned", "colour": "#333333"},
            {"kind": "glyph", "glyph": "?", "label": "not known", "colour": "#333333"},
        ]
    top = cy + max(radius, 20) + 44
    legend, lh = _legend(legend_entries, top, per_row=3)
    desc = "Relationship graph: " + "; ".join(text_lines) + "."
    return Chart(
        id=chart_id,
        kind="graph",
        title="The love-line ledger",
        desc=desc,
        template="chart_graph.svg.j2",
        ctx={
            "width": W,
            "height": _r(top + lh),
            "nodes": node_ctx,
            "edges": edge_ctx,
            "kinds": [{"kind": k, "colour": KIND_COLOURS[k]} for k in kinds_seen],
            "legend": legend,
        },
        text_lines=text_lines,
    )


# --------------------------------------------------------------------------- strip


def _temperature_colour(t: float) -> str:
    lo, hi = (0xF3, 0xE9, 0xD2), (0xC0, 0x39, 0x2B)
    t = min(1.0, max(0.0, t))
    r, g, b = (round(a + (c - a) * t) for a, c in zip(lo, hi, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def strip_chart(
    chart_id: str,
    scenes: Sequence[dict[str, Any]],
    people: Sequence[dict[str, Any]],
    temperatures: Sequence[float | None] | None,
    turning_points: Sequence[dict[str, Any]],
) -> Chart | None:
    """Who is in which scene (``people``: ``{"name", "present": set, "speaking": set}`` of
    scene positions), each scene's temperature (0..1 or None) and the turning points
    (``{"number", "name", "position"}`` with ``position`` the 0-based scene position)."""
    n = len(scenes)
    if n == 0 or not people:
        return None
    has_temp = temperatures is not None and any(t is not None for t in temperatures)
    left, row_h = 150, 19
    top = 34 + (18 if has_temp else 0)
    f = Frame(left, top, W - left - 16, row_h * len(people))
    cw = f.width / n
    rows = []
    text_lines = []
    bins = min(n, 60)
    for i, p in enumerate(people):
        colour = PALETTE[i % len(PALETTE)]
        y = _r(f.top + i * row_h)
        cells = []
        for j in range(n):
            if j in p["speaking"]:
                cells.append({"x": _r(f.left + j * cw), "opacity": 1.0, "speaks": True})
            elif j in p["present"]:
                cells.append({"x": _r(f.left + j * cw), "opacity": 0.35, "speaks": False})
        rows.append(
            {"name": p["name"], "y": y, "ty": _r(y + row_h - 4), "colour": colour, "cells": cells}
        )
        line = []
        for b in range(bins):
            js = range(b * n // bins, max(b * n // bins + 1, (b + 1) * n // bins))
            if any(j in p["speaking"] for j in js):
                line.append("█")
            elif any(j in p["present"] for j in js):
                line.append("▒")
            else:
                line.append("·")
        text_lines.append(f"{str(p['name'])[:16]:<16} {''.join(line)}")
    temps = []
    if has_temp and temperatures is not None:
        for j, t in enumerate(temperatures):
            if t is not None:
                temps.append(
                    {
                        "x": _r(f.left + j * cw),
                        "colour": _temperature_colour(t),
                        "label": f"Scene {scenes[j]['number']}: temperature {t:.2f}",
                    }
                )
        text_lines.insert(
            0,
            f"{'temperature':<16} {spark([t or 0.0 for t in temperatures][:: max(1, n // bins)])}",
        )
    tps = []
    for tp in turning_points:
        j = tp["position"]
        if 0 <= j < n:
            tps.append(
                {
                    "x": _r(f.left + (j + 0.5) * cw),
                    "number": tp["number"],
                    "label": f"Turning point {tp['number']} ({tp['name']}): scene {scenes[j]['number']}",
                }
            )
    step = max(1, math.ceil(n / 10))
    nice = next((s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500) if s >= step), step)
    xticks = [
        {"x": _r(f.left + (j + 0.5) * cw), "label": str(scenes[j]["number"])}
        for j in range(n)
        if j == 0 or (j + 1) % nice == 0
    ]
    legend_entries = [
        {"kind": "box", "label": "speaks", "colour": "#444444", "opacity": 1.0},
        {"kind": "box", "label": "present, silent", "colour": "#444444", "opacity": 0.35},
    ]
    if has_temp:
        legend_entries.append(
            {
                "kind": "gradient",
                "label": "calm → charged",
                "stops": [_temperature_colour(v / 4) for v in range(5)],
            }
        )
    if tps:
        legend_entries.append({"kind": "dash", "label": "turning point", "colour": "#222222"})
    legend, lh = _legend(legend_entries, f.bottom + 48)
    people_desc = ", ".join(
        f"{p['name']} ({len(p['present'] | p['speaking'])})" for p in people[:6]
    )
    desc = f"Scene strip of {n} scenes: who appears in how many scenes: {people_desc}."
    if has_temp:
        desc += " A coloured row shows each scene's emotional temperature."
    if tps:
        desc += " Turning points: " + "; ".join(t["label"] for t in tps) + "."
    return Chart(
        id=chart_id,
        kind="strip",
        title="Scene strip",
        desc=desc,
        template="chart_strip.svg.j2",
        ctx={
            "width": W,
            "height": _r(f.bottom + 48 + lh),
            "frame": f,
            "cw": _r(max(cw, 0.6)),
            "row_h": row_h - 3,
            "rows": rows,
            "temps": temps,
            "temp_y": _r(f.top - 18),
            "tps": tps,
            "xticks": xticks,
            "legend": legend,
            "xlabel": "Scene",
        },
        text_lines=text_lines,
    )
