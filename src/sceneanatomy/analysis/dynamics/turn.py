"""The turning point: the beat where the value flips, with its evidence (issue 4, item 5).

Over the focal character's charge cues (:mod:`.value`), the flip is the cue at the split
point the value was read from (:func:`.value.split_point`): the greatest contrast between
the charge before it and from it, so a stray cue on either side does not move it. Its beat is the turning point. The text
is the sentence or line of that beat that best states the flip: one that carries a cue of
the end charge (+1 each), a realisation ("realises", "too late", "will never": +1.5), an
inner voice (V.O.: +0.5). Evidence: that sentence, then every end-charge cue of the beat.
A scene whose value does not change (or has none) has no turning point (``None``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...model import Span
from .beats import Beat, UnitFeatures
from .units import SceneText, is_voice_over
from .value import SceneValue, split_point

__all__ = ["TurningPoint", "find_turn"]


@dataclass(slots=True)
class TurningPoint:
    beat: int
    unit: int
    text: str
    evidence: list[Span] = field(default_factory=list)
    flip_unit: int | None = None


def _beat_of(beats: list[Beat], unit: int) -> int | None:
    for b in beats:
        if unit in b.units:
            return b.index
    # a unit outside the beats (setup): the first beat after it
    for b in beats:
        if b.units and b.units[0] > unit:
            return b.index
    return None


def find_turn(
    st: SceneText, value: SceneValue | None, beats: list[Beat], feats: list[UnitFeatures]
) -> TurningPoint | None:
    if value is None or not value.changed or not value.sequence or not beats:
        return None
    end = {"+": 1, "-": -1}.get(value.end, 0)
    seq = value.sequence
    if len(seq) < 2:
        return None
    flip = split_point(seq)
    if flip is None:
        return None
    flip_hit = seq[flip][0]
    bi = _beat_of(beats, flip_hit.unit)
    if bi is None:
        return None
    beat = beats[bi]
    end_hits = [h for h, s in seq if s == end and h.unit in beat.units]

    def score(k: int) -> tuple[float, int]:
        u = st.units[k]
        s = sum(1.0 for h in end_hits if h.unit == k)
        if feats[k].realization:
            s += 1.5
        if u.kind == "line" and is_voice_over(u):
            s += 0.5
        if k == flip_hit.unit:
            s += 0.25
        return (s, -k)

    candidates = [k for k in beat.units if st.units[k].nested_in is None] or beat.units
    best = max(candidates, key=score)
    u = st.units[best]
    evidence = [st.unit_span(u)]
    seen = {(u.start, u.end)}
    for h in end_hits:
        key = (h.start, h.end)
        if key not in seen and not (u.start <= h.start and h.end <= u.end):
            evidence.append(st.span(h.start, h.end))
            seen.add(key)
    text = " ".join(st.unit_text(u).split())
    return TurningPoint(bi, best, text, evidence, flip_hit.unit)
