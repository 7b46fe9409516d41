"""Emotional arcs and the tension curve (issue 4, item 2).

**Arc of a character in a scene**: one point per unit where the character has emotion
evidence (:mod:`.scene_emotion`), at the unit's position in the scene (0..1), with its
dominant emotion and a valence (-1..1: the intensity-weighted mean of the emotions'
valences, :data:`VALENCE`). The named start and end states are the dominant emotions of
the first and the last *clear* point (intensity ≥ :data:`CLEAR`; the first / last point
when none is clear), each with the cue or line it rests on: a weak reading (a line the
model gives 0.35 anger) does not name a state when a clear one is there. No evidence → no
arc.

**Arc across the document**: one point per scene the character has evidence in (the
scene's mean valence and its dominant emotion), positioned by scene index.

**Tension** of a unit (0..1): physical distance (the running level: approach 0.15, pin
0.3, face to face 0.4), the strongest high-arousal emotion in it (anger, fear, surprise,
jealousy, embarrassment; love and sadness count half), opposition cues (refusals,
shouting, "no", "never": 0.1 each, up to 0.3), an entrance (0.1), the first time the
characters reach their closest distance of the scene (0.2), a line said face to face
(0.1); it decays by a third per unit when nothing sustains it. A beat's tension is the mean of its peak and its mean.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .beats import Beat, UnitFeatures
from .scene_emotion import EmotionCue, SceneEmotions
from .units import SceneText

__all__ = [
    "VALENCE",
    "Arc",
    "ArcPoint",
    "valence",
    "scene_arcs",
    "tension_curve",
    "beat_tension",
    "document_arcs",
]

VALENCE = {
    "love": 0.6,
    "joy": 0.8,
    "sadness": -0.7,
    "anger": -0.6,
    "fear": -0.6,
    "surprise": -0.1,
    "embarrassment": -0.3,
    "jealousy": -0.5,
    "neutral": 0.0,
}
AROUSAL = {
    "anger": 1.0,
    "fear": 1.0,
    "surprise": 0.9,
    "jealousy": 0.9,
    "embarrassment": 0.7,
    "love": 0.5,
    "sadness": 0.5,
    "joy": 0.4,
}
DISTANCE_TENSION = (0.0, 0.15, 0.3, 0.4)
CLEAR = 0.5  # a point names the arc's start or end state from this intensity


@dataclass(slots=True)
class ArcPoint:
    position: float
    valence: float
    emotion: str
    intensity: float
    unit: int | None = None
    scene: int | None = None


@dataclass(slots=True)
class Arc:
    character: str
    start: str
    end: str
    points: list[ArcPoint] = field(default_factory=list)
    start_evidence: list[EmotionCue] = field(default_factory=list)
    end_evidence: list[EmotionCue] = field(default_factory=list)
    start_cue: str | None = None
    end_cue: str | None = None


def valence(scores: dict[str, float]) -> float:
    total = sum(v for k, v in scores.items() if k != "neutral")
    if total <= 0:
        return 0.0
    return round(
        max(-1.0, min(1.0, sum(VALENCE.get(k, 0.0) * v for k, v in scores.items()) / total)), 3
    )


def _dominant(scores: dict[str, float]) -> tuple[str, float]:
    label, v = max(scores.items(), key=lambda kv: (kv[1], kv[0]))
    return label, v


def _cue_word(st: SceneText, c: EmotionCue) -> str:
    if c.source == "line":
        return " ".join(st.text(c.start, c.end).split())
    return c.cue


def scene_arcs(
    st: SceneText,
    emo: SceneEmotions,
    characters: list[str],
    before: list[Arc] | None = None,
) -> list[Arc]:
    """Each character's arc in the scene; ``before``: the arcs of the scene this one
    continues (:func:`.context.continues`) — a character's arc then starts from where
    theirs ended there, when that was a clear state (a first point at position 0 with no
    unit of this scene)."""
    prior = {a.character: a for a in before or [] if a.points}
    arcs: list[Arc] = []
    for cid in characters:
        pts: list[ArcPoint] = []
        for u in st.units:
            scores = emo.by_unit.get(u.index, {}).get(cid)
            if not scores:
                continue
            label, v = _dominant(scores)
            pts.append(ArcPoint(u.position, valence(scores), label, round(v, 3), u.index))
        if not pts:
            continue
        first, last = _ends(pts)

        def ev(p: ArcPoint, cid: str = cid) -> list[EmotionCue]:
            return [
                c
                for c in emo.cues
                if c.unit == p.unit and c.character == cid and c.label == p.emotion and c.intensity
            ]

        arc = Arc(cid, first.emotion, last.emotion, pts, ev(first), ev(last))
        arc.start_cue = _cue_word(st, arc.start_evidence[0]) if arc.start_evidence else None
        arc.end_cue = _cue_word(st, arc.end_evidence[0]) if arc.end_evidence else None
        was = prior.get(cid)
        p = _ends(was.points)[1] if was is not None else None
        if was is not None and p is not None and p.intensity >= CLEAR:
            arc.points.insert(0, ArcPoint(0.0, p.valence, p.emotion, p.intensity, None))
            arc.start, arc.start_cue = p.emotion, was.end_cue
            arc.start_evidence = list(was.end_evidence)
        arcs.append(arc)
    return arcs


def tension_curve(st: SceneText, feats: list[UnitFeatures], emo: SceneEmotions) -> list[float]:
    """Tension 0..1 of every unit of the scene (meta units: 0)."""
    out: list[float] = []
    prev = 0.0
    levels = [f.distance_max for f in feats if f.distance_max is not None]
    peak_level = max(levels) if levels else None
    peaked = False
    for u in st.units:
        if u.meta:
            out.append(0.0)
            continue
        f = feats[u.index]
        t = DISTANCE_TENSION[f.level] if f.level is not None else 0.0
        if f.distance_max is not None and f.level is not None and f.distance_max > f.level:
            t = max(t, DISTANCE_TENSION[f.distance_max])
        arousal = 0.0
        for scores in emo.by_unit.get(u.index, {}).values():
            for label, v in scores.items():
                arousal = max(arousal, AROUSAL.get(label, 0.0) * v)
        t += 0.35 * arousal
        t += min(0.3, 0.1 * f.conflict)
        t += 0.1 if f.entrances else 0.0
        if not peaked and peak_level and f.distance_max == peak_level:
            t += 0.2  # the closest the characters get: the physical peak of the scene
            peaked = True
        elif u.kind == "line" and f.level == 3:
            t += 0.1  # said face to face
        t = max(t, prev * 0.67)
        t = round(min(1.0, t), 3)
        out.append(t)
        prev = t
    return out


def beat_tension(beats: list[Beat], curve: list[float]) -> None:
    for b in beats:
        vals = [curve[k] for k in b.units if k < len(curve)]
        if vals:
            b.tension = round((max(vals) + sum(vals) / len(vals)) / 2, 3)


def document_arcs(
    per_scene: list[tuple[int, SceneEmotions]], characters: list[str], n_scenes: int
) -> list[Arc]:
    """Each character's arc across the scenes of the document."""
    arcs: list[Arc] = []
    for cid in characters:
        pts: list[ArcPoint] = []
        for si, emo in per_scene:
            scores = emo.of(cid)
            if not scores:
                continue
            label, v = _dominant(scores)
            pos = si / (n_scenes - 1) if n_scenes > 1 else 0.0
            pts.append(ArcPoint(round(pos, 4), valence(scores), label, round(v, 3), scene=si))
        if pts:
            first, last = _ends(pts)
            arcs.append(Arc(cid, first.emotion, last.emotion, pts))
    return arcs


def _ends(pts: list[ArcPoint]) -> tuple[ArcPoint, ArcPoint]:
    """The first and the last clear point (module doc)."""
    clear = [p for p in pts if p.intensity >= CLEAR] or pts
    return clear[0], clear[-1]
