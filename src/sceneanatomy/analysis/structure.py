"""Document structure: the five turning points of a screenplay or episode.

The turning points (TRIPOD's scheme, after Hague's screenwriting theory):

1. ``opportunity`` - the inciting event, after the setup;
2. ``change_of_plans`` - the main goal is defined, the story heads somewhere new;
3. ``point_of_no_return`` - the protagonist commits fully;
4. ``major_setback`` - everything falls apart;
5. ``climax`` - the final confrontation.

Method (no learning on screenplays, no LLM): for each turning point ``k`` and dramatic
unit ``u`` (a slug-line scene with its shots, see :mod:`.scene_features`),

    log P(u is TP k)  =  log prior_k(position of u)  +  beta * sum_j w[k][j] * z_j(u)

* ``prior_k`` is a normal density over the unit's position in the story (0..1), centred on
  the theory's positions (10/25/50/75/90 %), with the spreads of the turning-point
  positions annotated in the TRIPOD *training synopses* (84 films, 128 annotations);
* ``z_j(u)`` are scene features standardised within the document: size, cast, whether the
  lead is present, *centrality* (mean TF-IDF similarity of the unit's words and speakers
  to all other units: scenes that the rest of the story keeps coming back to),
  exclamations, and the density of event words (violence, loss, love, revelation,
  decision, danger) - the climax favours the most violent late scene, the setback the
  scene of loss, and so on;
* the weights ``w`` are few and set by hand from the theory (never fitted on the
  evaluation screenplays); ``beta`` scales features against the prior;
* the five points are then chosen jointly in story order (a small dynamic programme).

Optionally (``emotion=classify_many``) the spoken lines' emotion intensity and negative
share are added as features ``intensity`` and ``negative``; the shipped weights do not use
them. Measured on TRIPOD in ``benchmarks/tripod.py`` (docs/benchmarks.md).

Documents with fewer than :data:`MIN_UNITS` units get no turning points (with a reason):
a short piece has no five-act structure to find.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ..model import Document, Element, ElementKind, Span
from .scene_features import BASIC, CATEGORIES, EmotionFn, Unit, compute_units, zscores

SCHEMA = "scene-anatomy-structure/1"
MIN_UNITS = 10

TP_NAMES: tuple[str, ...] = (
    "opportunity",
    "change_of_plans",
    "point_of_no_return",
    "major_setback",
    "climax",
)

# Theory positions (Hague; TRIPOD's annotation guidelines) and the standard deviations of
# the annotated positions in the TRIPOD training synopses (sentence index / (#sentences-1),
# 128 annotations of 84 films; computed by ``benchmarks/tripod.py --priors``).
THEORY_MEANS: tuple[float, ...] = (0.10, 0.25, 0.50, 0.75, 0.90)
SYNOPSIS_MEANS: tuple[float, ...] = (0.141, 0.322, 0.537, 0.750, 0.909)
SYNOPSIS_SDS: tuple[float, ...] = (0.090, 0.120, 0.103, 0.096, 0.064)

# Hand-set feature weights per turning point (see the module docstring).
_COMMON = {"size": 0.5, "lead": 0.3, "mains": 0.2, "centrality": 0.5}
WEIGHTS: tuple[dict[str, float], ...] = (
    {**_COMMON, "reveal": 0.2, "decision": 0.2, "love": 0.1},
    {**_COMMON, "decision": 0.4, "reveal": 0.2},
    {**_COMMON, "decision": 0.2, "danger": 0.2, "reveal": 0.2, "love": 0.1},
    {**_COMMON, "loss": 0.5, "violence": 0.2, "danger": 0.2},
    {**_COMMON, "violence": 0.5, "danger": 0.4, "exclaim": 0.2, "speakers": 0.2},
)


@dataclass(slots=True)
class Params:
    """Everything the method depends on; the defaults are the shipped configuration."""

    means: tuple[float, ...] = THEORY_MEANS
    sds: tuple[float, ...] = SYNOPSIS_SDS
    weights: tuple[dict[str, float], ...] = WEIGHTS
    beta: float = 1.0
    min_units: int = MIN_UNITS
    # "scenes": a unit's position is its index / (#units - 1); "text": the fraction of the
    # story's words before the unit's middle (screen time, as the theory counts it).
    position: str = "scenes"


@dataclass(slots=True)
class TurningPoint:
    name: str  # one of TP_NAMES
    number: int  # 1..5
    scene_index: int  # index of the document scene that opens the chosen unit
    scenes: list[int]  # every document scene of the unit (the slug-line scene and its shots)
    score: float  # posterior probability of the chosen unit for this turning point, 0..1
    position: float  # the unit's position in the story, 0..1
    cues: list[str] = field(default_factory=list)  # what drove the choice, readable
    evidence: list[Span] = field(default_factory=list)  # heading, then the driving lines

    def to_dict(self, source: str) -> dict[str, Any]:
        return {
            "name": self.name,
            "number": self.number,
            "scene_index": self.scene_index,
            "scene": f"s{self.scene_index + 1}",
            "scenes": [f"s{i + 1}" for i in self.scenes],
            "score": round(self.score, 4),
            "position": round(self.position, 4),
            "cues": list(self.cues),
            "evidence": [e.to_dict(source) for e in self.evidence],
        }


def turning_points(
    doc: Document,
    params: Params | None = None,
    *,
    emotion: EmotionFn | None = None,
    write: bool = True,
) -> list[TurningPoint]:
    """The five turning points of ``doc`` (empty when it is too short to have them).

    With ``write`` (the default) the result is also stored, JSON-ready, in
    ``doc.attrs["turning_points"]``: ``{"schema", "points": [...] | None, "reason",
    "units"}``.
    """
    p = params or Params()
    units = compute_units(doc, emotion=emotion)
    reason: str | None = None
    points: list[TurningPoint] = []
    if len(units) < p.min_units:
        reason = (
            f"too short for a turning-point structure: {len(units)} scene(s), "
            f"need at least {p.min_units}"
        )
    else:
        points = _choose(doc, units, p)
    if write:
        doc.attrs["turning_points"] = {
            "schema": SCHEMA,
            "points": [tp.to_dict(doc.source_text) for tp in points] if points else None,
            "reason": reason,
            "units": len(units),
        }
    return points


def positions(units: list[Unit], mode: str = "scenes") -> list[float]:
    n = len(units)
    if mode == "text":
        total = sum(u.words for u in units)
        if total > 0:
            out, before = [], 0
            for u in units:
                out.append((before + u.words / 2) / total)
                before += u.words
            return out
    return [u.index / (n - 1) if n > 1 else 0.0 for u in units]


def log_scores(units: list[Unit], p: Params) -> list[list[float]]:
    """``[k][u]``: log prior + beta * feature score, normalised per turning point."""
    names = sorted(set(BASIC) | set(CATEGORIES) | {n for w in p.weights for n in w})
    z = zscores(units, names)
    pos = positions(units, p.position)
    out: list[list[float]] = []
    for k in range(5):
        mu, sd, w = p.means[k], p.sds[k], p.weights[k]
        row = []
        for i in range(len(units)):
            prior = -0.5 * ((pos[i] - mu) / sd) ** 2
            like = sum(wt * z[i].get(name, 0.0) for name, wt in w.items())
            row.append(prior + p.beta * like)
        m = max(row)
        lse = m + math.log(sum(math.exp(v - m) for v in row))
        out.append([v - lse for v in row])
    return out


def _ordered_argmax(scores: list[list[float]]) -> list[int]:
    """Indices u1 < u2 < ... < u5 maximising the summed scores (ties: earliest)."""
    k_n, n = len(scores), len(scores[0])
    neg = -math.inf
    best = [[neg] * n for _ in range(k_n)]
    back = [[-1] * n for _ in range(k_n)]
    best[0] = list(scores[0])
    for k in range(1, k_n):
        run_v, run_i = neg, -1
        for i in range(n):
            if i - 1 >= 0 and best[k - 1][i - 1] > run_v:
                run_v, run_i = best[k - 1][i - 1], i - 1
            if run_i >= 0:
                best[k][i] = run_v + scores[k][i]
                back[k][i] = run_i
    last = max(range(n), key=lambda i: (best[-1][i], -i))
    path = [last]
    for k in range(k_n - 1, 0, -1):
        path.append(back[k][path[-1]])
    return path[::-1]


def _choose(doc: Document, units: list[Unit], p: Params) -> list[TurningPoint]:
    scores = log_scores(units, p)
    chosen = _ordered_argmax(scores)
    pos = positions(units, p.position)
    names = sorted({n for w in p.weights for n in w})
    z = zscores(units, names)
    result = []
    for k, ui in enumerate(chosen):
        u = units[ui]
        cues, lines = _explain(u, z[ui], p.weights[k])
        opening = next(e for si in u.scenes for e in doc.scenes[si].elements)
        evidence = [opening.span] + [e.span for e in lines if e is not opening]
        result.append(
            TurningPoint(
                name=TP_NAMES[k],
                number=k + 1,
                scene_index=u.scenes[0],
                scenes=list(u.scenes),
                score=math.exp(scores[k][ui]),
                position=pos[ui],
                cues=[f"position {pos[ui]:.0%} (expected ~{p.means[k]:.0%})", *cues],
                evidence=evidence,
            )
        )
    return result


def _explain(
    u: Unit, z: dict[str, float], weights: dict[str, float]
) -> tuple[list[str], list[Element]]:
    """Readable cues for the features that pushed this unit up, and their source lines."""
    contrib = sorted(
        ((wt * z.get(name, 0.0), name) for name, wt in weights.items()),
        key=lambda t: (-t[0], t[1]),
    )
    cues: list[str] = []
    lines: list[Element] = []
    cast_said = False
    for value, name in contrib:
        if value <= 0.05:
            continue
        if name in CATEGORIES:
            found = u.hits.get(name, [])
            words = sorted({w for _, ws in found for w in ws})
            cues.append(f"{name} words: {', '.join(words[:6])} (z={z[name]:+.1f})")
            for el, _ in found:
                if el not in lines and len(lines) < 4:
                    lines.append(el)
        elif name == "size":
            cues.append(f"long scene: {u.words} words (z={z[name]:+.1f})")
        elif name == "lead":
            cues.append("the lead is present")
        elif name in ("mains", "speakers"):
            if not cast_said:
                cues.append(f"large cast: {len(u.speakers)} speakers (z={z[name]:+.1f})")
                cast_said = True
        elif name == "centrality":
            cues.append(f"central: shares words and people with many scenes (z={z[name]:+.1f})")
        else:
            cues.append(f"{name} (z={z[name]:+.1f})")
    return cues, [e for e in lines if e.kind is not ElementKind.SCENE_HEADING]
