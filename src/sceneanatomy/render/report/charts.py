"""Chart builders: the geometry of the report's inline SVG charts (the markup is in
``templates/chart_*.svg.j2``), their alt text, and a terminal rendering of each.

Hand-built SVG: no plotting library to import (the report has a 300 ms budget per scene),
no JavaScript, crisp at any width (``viewBox`` + ``width="100%"``). Coordinates are
rounded to 0.1 so the output is stable.

Legends are HTML (``Chart.legend``, rendered under the SVG by the page template), so they
wrap and stay readable at any width. Text inside the SVG carries a class (``tick``,
``axis-label``, ``name``, ``mark``); the page's CSS enlarges it on narrow screens (the
viewBox is scaled down there), so every layout here leaves room for the larger size
(:data:`PHONE_SIZE`): names are shortened to fit their margin, graph nodes are placed so
their labels stay inside the box.
"""

from __future__ import annotations

import math
import unicodedata
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
FONT = 15  # text size in the SVG (user units) on wide screens
PHONE_SIZE = 20  # the size the page's CSS gives chart text on narrow screens


def _r(x: float) -> float:
    return round(x, 1)


def _pct(x: float) -> str:
    return f"{round(100 * x)}%"


def text_width(text: str, size: float = PHONE_SIZE) -> float:
    """A generous estimate of ``text``'s width in a sans-serif face at ``size``."""
    w = 0.0
    for ch in text:
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            w += 1.0
        elif ch.isupper() or ch in "mwMW%":
            w += 0.7
        elif ch in "ilIjt.,:;'|!() ":
            w += 0.32
        else:
            w += 0.58
    return w * size


def fit(text: str, width: float, size: float = PHONE_SIZE) -> str:
    """``text`` shortened with "…" until it is at most ``width`` wide at ``size``."""
    text = " ".join(str(text).split())
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def cells(text: str) -> int:
    """Terminal columns ``text`` takes (East Asian wide characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, n: int) -> str:
    """``text`` cut and padded to ``n`` terminal columns."""
    out, used = "", 0
    for ch in text:
        w = cells(ch)
        if used + w > n:
            break
        out += ch
        used += w
    return out + " " * (n - used)


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


# --------------------------------------------------------------------------- axes

TICK_GAP = 22  # baseline of the tick labels under the plot
LABEL_GAP = 48  # baseline of the axis label under the plot
BOTTOM = 58  # room under the plot for both


def _every(n: int, most: int = 12) -> int:
    """Label every k-th of ``n`` ticks so that at most about ``most`` are labelled."""
    return max(1, math.ceil(n / most))


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
    f = Frame(72, 38, W - 72 - 28, 170)
    n = len(pts)
    stride = _every(n)
    points = []
    for i, b in enumerate(pts):
        t = min(1.0, max(0.0, float(b["tension"])))
        points.append(
            {
                "x": f.x(i / (n - 1)),
                "y": f.y(t),
                "number": b["number"],
                "show": i % stride == 0 or i == n - 1 or turn_position == i,
                "label": f"Beat {b['number']} ({b['function']}): tension {t:.2f}",
                "tension": t,
                "turn": turn_position == i,
            }
        )
    line = " ".join(f"{p['x']},{p['y']}" for p in points)
    area = f"{f.x(0)},{f.y(0)} {line} {f.x(1)},{f.y(0)}"
    turn = next((p for p in points if p["turn"]), None)
    legend = [
        {"kind": "line", "label": "Tension", "colour": PALETTE[1]},
        {"kind": "dot", "label": "Beat (numbered on the axis)", "colour": PALETTE[1]},
    ]
    if turn is not None:
        legend.append({"kind": "dash", "label": "Turning point", "colour": "#222222"})
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
    anchor = "middle"
    if turn is not None:
        if turn["x"] > f.left + f.width * 0.8:
            anchor = "end"
        elif turn["x"] < f.left + f.width * 0.2:
            anchor = "start"
    return Chart(
        id=chart_id,
        kind="tension",
        title="Tension, beat by beat",
        desc=desc,
        template="chart_tension.svg.j2",
        ctx={
            "width": W,
            "height": _r(f.bottom + BOTTOM),
            "frame": f,
            "points": points,
            "line": line,
            "area": area,
            "turn": turn,
            "turn_anchor": anchor,
            "yticks": [{"y": f.y(v), "label": f"{v:.1f}"} for v in (0.0, 0.5, 1.0)],
            "colour": PALETTE[1],
            "xlabel": "Beat",
            "ylabel": "Tension",
            "tick_y": _r(f.bottom + TICK_GAP),
            "label_y": _r(f.bottom + LABEL_GAP),
        },
        text_lines=text_lines,
        legend=legend,
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
    positions = {float(p["position"]) for _, pts in usable for p in pts}
    if not usable or max(positions) - min(positions) < 1e-9:
        return None  # nothing moves through the scene: a chart would only draw a dot or a bar
    f = Frame(72, 20, W - 72 - 32, 180)
    lines = []
    legend = []
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
        dash = "" if i < 4 else "6 3"
        lines.append(
            {
                "name": name,
                "colour": colour,
                "dash": dash,
                "points": dots,
                "path": " ".join(f"{d['x']},{d['y']}" for d in dots),
            }
        )
        legend.append({"kind": "dash" if dash else "line", "label": name, "colour": colour})
        text_lines.append(f"{pad(name, 16)} {spark([float(p['valence']) for p in pts], -1.0, 1.0)}")
    parts = []
    for name, pts in usable[: len(PALETTE)]:
        a, b = float(pts[0]["valence"]), float(pts[-1]["valence"])
        parts.append(
            f"{name} at {a:+.2f} (a single reading)"
            if len(pts) == 1
            else f"{name} from {a:+.2f} to {b:+.2f}"
        )
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
            "height": _r(f.bottom + BOTTOM),
            "frame": f,
            "lines": lines,
            "zero": f.y(0.5),
            "yticks": [
                {"y": f.y(1.0), "label": "+1"},
                {"y": f.y(0.5), "label": "0"},
                {"y": f.y(0.0), "label": "−1"},
            ],
            "xticks": [{"x": f.x(v), "label": _pct(v)} for v in (0.0, 0.5, 1.0)],
            "xlabel": "Through the scene",
            "ylabel": "Feeling (− / +)",
            "tick_y": _r(f.bottom + TICK_GAP),
            "label_y": _r(f.bottom + LABEL_GAP),
        },
        text_lines=text_lines,
        legend=legend,
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
    bar_h, gap = 22, 10
    names = [fit(str(r["name"]), 170) for r in rows]
    left = max(80.0, min(186.0, max(text_width(n) for n in names) + 16))
    f = Frame(left, 12, W - left - 62, len(rows) * (bar_h + gap) - gap)
    bars = []
    text_lines = []
    for i, r in enumerate(rows):
        share = int(r["words"]) / total
        y = _r(f.top + i * (bar_h + gap))
        bars.append(
            {
                "name": names[i],
                "y": y,
                "ty": _r(y + bar_h / 2 + 6),
                "w": _r(f.width * share / scale_max),
                "h": bar_h,
                "share": _pct(share),
                "label": f"{r['name']}: {_pct(share)} of the words ({r['words']} words, {r.get('lines', 0)} lines)",
            }
        )
        text_lines.append(
            f"{pad(str(r['name']), 16)} {'█' * max(1, round(share * 30)):<30} {_pct(share)}"
        )
    ticks = []
    steps = round(scale_max * 10)
    stride = 1 if steps <= 5 else 2
    for k in range(0, steps + 1, stride):
        v = k / 10
        ticks.append({"x": _r(f.left + f.width * v / scale_max), "label": f"{round(v * 100)}%"})
    desc = (
        "Share of spoken words: "
        + ", ".join(f"{r['name']} {b['share']}" for r, b in zip(rows, bars, strict=True))
        + "."
    )
    return Chart(
        id=chart_id,
        kind="dialogue",
        title="Who gets the words",
        desc=desc,
        template="chart_dialogue.svg.j2",
        ctx={
            "width": W,
            "height": _r(f.bottom + BOTTOM),
            "frame": f,
            "bars": bars,
            "xticks": ticks,
            "colour": PALETTE[0],
            "xlabel": "Share of spoken words",
            "tick_y": _r(f.bottom + TICK_GAP),
            "label_y": _r(f.bottom + LABEL_GAP),
        },
        text_lines=text_lines,
        legend=[{"kind": "box", "label": "Share of the spoken words", "colour": PALETTE[0]}],
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
    ✓ / ✗ / ? on romantic edges = returned / not returned / not known.

    Nodes sit on an ellipse whose width leaves room for the longest label (at the phone
    text size), so no name is cut off at the edge of the box; a hub (someone tied to most
    of the others) sits in the middle. The same tie both ways is one line with two
    arrowheads.
    """
    ids = [n["id"] for n in nodes]
    edges = [e for e in edges if e["from"] in ids and e["to"] in ids and e["from"] != e["to"]]
    if not edges:
        return None
    used = [n for n in nodes if any(n["id"] in (e["from"], e["to"]) for e in edges)]
    k = len(used)
    labels = {n["id"]: fit(n["name"], 160) for n in used}
    widest = max(text_width(v) for v in labels.values())
    neighbours: dict[str, set[str]] = {n["id"]: set() for n in used}
    for e in edges:
        neighbours[e["from"]].add(e["to"])
        neighbours[e["to"]].add(e["from"])
    hub = max(used, key=lambda n: len(neighbours[n["id"]]))["id"]
    centred = k >= 5 and len(neighbours[hub]) >= 0.6 * (k - 1)
    ring = [n for n in used if not (centred and n["id"] == hub)]
    m = len(ring)
    ry = 0.0 if k <= 2 else (90.0 if m <= 3 else (110.0 if m <= 6 else 130.0))
    rx_room = W / 2 - 14 - widest - 6
    rx = max(60.0, min(150.0 if k <= 2 else 1.6 * ry, rx_room))
    cx, cy = W / 2, (30.0 if k <= 2 else ry + 40)
    pos: dict[str, tuple[float, float]] = {}
    node_ctx = []
    placed: list[tuple[dict[str, str], float, float]] = []
    if centred:
        placed.append((next(n for n in used if n["id"] == hub), cx, cy))
    for i, n in enumerate(ring):
        if k == 2:
            x, y = cx + (-rx if i == 0 else rx), cy
        else:
            a = -math.pi / 2 + 2 * math.pi * i / m
            x, y = cx + rx * math.cos(a), cy + ry * math.sin(a)
        placed.append((n, x, y))
    for n, x, y in placed:
        pos[n["id"]] = (x, y)
        anchor = "middle"
        if x < cx - 10:
            anchor = "end"
        elif x > cx + 10:
            anchor = "start"
        dx = {"end": -14, "start": 14, "middle": 0}[anchor]
        dy = 6 if anchor != "middle" else (-16 if y <= cy else 28)
        node_ctx.append(
            {
                "x": _r(x),
                "y": _r(y),
                "name": labels[n["id"]],
                "full": n["name"],
                "tx": _r(x + dx),
                "ty": _r(y + dy),
                "anchor": anchor,
            }
        )

    def same(a: dict[str, str], b: dict[str, str]) -> bool:
        return all(a.get(f) == b.get(f) for f in ("kind", "basis", "requited"))

    by_pair = {(e["from"], e["to"]): e for e in edges}
    merged: set[tuple[str, str]] = set()
    edge_ctx = []
    text_lines = []
    kinds_seen: list[str] = []
    implied_seen = stated_seen = False
    glyphs_seen: list[str] = []
    for e in edges:
        if (e["from"], e["to"]) in merged:
            continue
        back = by_pair.get((e["to"], e["from"]))
        both = back is not None and same(e, back)
        if both:
            merged.add((e["to"], e["from"]))
        (x1, y1), (x2, y2) = pos[e["from"]], pos[e["to"]]
        dx, dy = x2 - x1, y2 - y1
        d = math.hypot(dx, dy) or 1.0
        ux, uy = dx / d, dy / d
        bend = 22 if back is not None and not both else 0
        sx, sy = x1 + ux * (12 if both else 10), y1 + uy * (12 if both else 10)
        ex, ey = x2 - ux * 12, y2 - uy * 12
        mx, my = (sx + ex) / 2 - uy * bend, (sy + ey) / 2 + ux * bend
        kind = e["kind"] if e["kind"] in KIND_COLOURS else "other"
        if kind not in kinds_seen:
            kinds_seen.append(kind)
        requited = e.get("requited", "unknown")
        if requited not in _GLYPH:
            requited = "unknown"
        romantic = kind == "romantic"
        implied = e.get("basis") != "stated"
        implied_seen |= implied
        stated_seen |= not implied
        arrow = "↔" if both else "→"
        label = (
            f"{e['from_name']} {arrow} {e['to_name']}: {kind}, {'implied' if implied else 'stated'}"
        )
        if romantic:
            label += f", {_REQUITED_LABEL[requited]}"
            if requited not in glyphs_seen:
                glyphs_seen.append(requited)
        edge_ctx.append(
            {
                "d": f"M{_r(sx)},{_r(sy)} Q{_r(mx)},{_r(my)} {_r(ex)},{_r(ey)}",
                "colour": KIND_COLOURS[kind],
                "kind": kind,
                "dash": "6 4" if implied else "",
                "both": both,
                "glyph": _GLYPH[requited] if romantic else "",
                "gx": _r((sx + 2 * mx + ex) / 4),
                "gy": _r((sy + 2 * my + ey) / 4),
                "label": label,
            }
        )
        text_lines.append(label)
    legend: list[dict[str, Any]] = [
        {"kind": "line", "label": kind, "colour": KIND_COLOURS[kind]} for kind in kinds_seen
    ]
    if stated_seen:
        legend.append({"kind": "arrow", "label": "stated (arrow: who → whom)", "colour": "#333333"})
    if len(merged):
        legend.append({"kind": "both", "label": "both ways", "colour": "#333333"})
    if implied_seen:
        legend.append({"kind": "dash", "label": "implied", "colour": "#333333"})
    for g in ("yes", "no", "unknown"):
        if g in glyphs_seen:
            legend.append(
                {
                    "kind": "glyph",
                    "glyph": _GLYPH[g],
                    "label": _REQUITED_LABEL[g],
                    "colour": "#333333",
                }
            )
    desc = "Relationship graph: " + "; ".join(text_lines) + "."
    return Chart(
        id=chart_id,
        kind="graph",
        title="The love-line ledger",
        desc=desc,
        template="chart_graph.svg.j2",
        ctx={
            "width": W,
            "height": _r(cy + ry + 36),
            "nodes": node_ctx,
            "edges": edge_ctx,
            "kinds": [{"kind": k, "colour": KIND_COLOURS[k]} for k in kinds_seen],
        },
        text_lines=text_lines,
        legend=legend,
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
    row_h = 24
    names = [fit(str(p["name"]), 150) for p in people]
    widest = max(text_width(x) for x in [*names, "temperature" if has_temp else ""])
    left = max(80.0, min(170.0, widest + 14))
    top = 34 + (24 if has_temp else 0)
    f = Frame(left, top, W - left - 16, row_h * len(people))
    cw = f.width / n
    rows = []
    text_lines = []
    bins = min(n, 60)
    groups = [
        range(b * n // bins, max(b * n // bins + 1, (b + 1) * n // bins)) for b in range(bins)
    ]
    for i, p in enumerate(people):
        colour = PALETTE[i % len(PALETTE)]
        y = _r(f.top + i * row_h)
        cells_ = []
        for j in range(n):
            if j in p["speaking"]:
                cells_.append({"x": _r(f.left + j * cw), "opacity": 1.0, "speaks": True})
            elif j in p["present"]:
                cells_.append({"x": _r(f.left + j * cw), "opacity": 0.35, "speaks": False})
        rows.append(
            {
                "name": names[i],
                "full": p["name"],
                "count": len(p["present"] | p["speaking"]),
                "y": y,
                "ty": _r(y + row_h / 2 + 6),
                "colour": colour,
                "cells": cells_,
            }
        )
        line = []
        for js in groups:
            if any(j in p["speaking"] for j in js):
                line.append("█")
            elif any(j in p["present"] for j in js):
                line.append("▒")
            else:
                line.append("·")
        text_lines.append(f"{pad(str(p['name']), 16)} {''.join(line)}")
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
        binned = []
        for js in groups:
            vals = [temperatures[j] for j in js if temperatures[j] is not None]
            binned.append(sum(vals) / len(vals) if vals else 0.0)  # type: ignore[arg-type]
        text_lines.insert(0, f"{pad('temperature', 16)} {spark(binned)}")
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
    if tps:
        marks = [" "] * bins
        for tp in turning_points:
            j = tp["position"]
            if 0 <= j < n:
                b = next(k for k, js in enumerate(groups) if j in js)
                marks[b] = str(tp["number"])[-1]
        text_lines.append(f"{pad('turning points', 16)} {''.join(marks).rstrip()}")
    step = _every(n, 10)
    nice = next((s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500) if s >= step), step)
    xticks = [
        {"x": _r(f.left + (j + 0.5) * cw), "label": str(scenes[j]["number"])}
        for j in range(n)
        if j == 0 or (j + 1) % nice == 0
    ]
    legend: list[dict[str, Any]] = [
        {"kind": "box", "label": "speaks in the scene", "colour": "#444444", "opacity": 1.0},
        {"kind": "box", "label": "present, silent", "colour": "#444444", "opacity": 0.35},
    ]
    if has_temp:
        legend.append(
            {
                "kind": "gradient",
                "label": "temperature: calm → charged",
                "stops": [_temperature_colour(v / 4) for v in range(5)],
            }
        )
    if tps:
        legend.append({"kind": "tp", "label": "turning point (numbered)", "colour": "#222222"})
    people_desc = ", ".join(f"{r['full']} ({r['count']})" for r in rows[:6])
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
            "height": _r(f.bottom + BOTTOM),
            "frame": f,
            "cw": _r(max(cw, 0.6)),
            "row_h": row_h - 4,
            "rows": rows,
            "temps": temps,
            "temp_y": _r(f.top - 22),
            "tps": tps,
            "xticks": xticks,
            "xlabel": "Scene",
            "tick_y": _r(f.bottom + TICK_GAP),
            "label_y": _r(f.bottom + LABEL_GAP),
        },
        text_lines=text_lines,
        legend=legend,
    )
