"""Where the scene proper starts, and its setup: only the prior events it needs.

* **Prose** (a recap or an article): when a sentence locates the scene ("In episode 9 of
  ...", "During the finale, ..."), the scene proper starts there and the story sentences
  before it are background; otherwise it starts at the first sentence that names a
  character. Headlines and deks are never part of it. The setup is at most two background
  sentences about characters of the scene (those naming the most of them, value cues
  breaking ties), quoted as they are.
* **Screenplays and subtitles**: the scene proper is the whole scene. The setup is what the
  previous scene ended on, when it shares a character with this one: its turning point,
  else the summary of its last beat, with that beat's span as evidence.

No background and no related previous scene → no setup (``None``).

:func:`continues`: does a scene carry straight on from the one before it (a screenplay
heading that says CONTINUOUS / SAME / MOMENTS LATER; two subtitle scenes split by a
silence of under :data:`CONTINUE_GAP` seconds with a speaker in common)? Then the value
starts where the previous scene left it (:mod:`.value`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ...model import Span
from .lexicon import Cues
from .units import SceneText, scan

if TYPE_CHECKING:  # pragma: no cover
    from . import SceneDynamics

__all__ = ["Setup", "body_start", "prose_setup", "previous_scene_setup", "continues"]

CONTINUE_GAP = 60.0  # seconds of silence between two subtitle scenes of one conversation
_CONTINUOUS = re.compile(r"\b(?:CONTINUOUS|SAME|MOMENTS? LATER|CONT(?:'|’)?D)\b", re.I)

LOCATOR = re.compile(
    r"\b(?:in|during|at the (?:start|end|beginning|close) of|towards? the end of)\s+"
    r"(?:the\s+)?(?:(?:\w+\s+)?episode|ep\.?|chapter|part|finale|premiere|season finale)"
    r"(?:\s*\d+)?\b",
    re.I,
)


@dataclass(slots=True)
class Setup:
    text: str
    evidence: list[Span] = field(default_factory=list)
    basis: str = "background"  # background | previous-scene


def body_start(st: SceneText) -> int:
    """Index of the first unit of the scene proper (prose); 0 for other formats."""
    if st.doc.source_format != "prose":
        return 0
    for u in st.units:
        if not u.meta and u.refs and LOCATOR.search(st.unit_text(u)):
            return u.index
    for u in st.units:
        if not u.meta and u.refs:
            return u.index
    return 0


def prose_setup(st: SceneText, cues: Cues) -> Setup | None:
    body_chars = {c for u in st.body() for c in u.cids()}
    scored = []
    for u in st.units[: st.body_start]:
        if u.meta or u.kind != "narr" or u.nested_in is not None:
            continue
        chars = {c for c in u.cids() if c in body_chars}
        if not chars:
            continue
        values = len(scan(cues, u, "values"))
        scored.append((len(chars), values, -u.index, u))
    if not scored:
        return None
    scored.sort(key=lambda x: (x[0], x[1], x[2]), reverse=True)
    chosen = sorted((x[3] for x in scored[:2]), key=lambda u: u.index)
    text = " ".join(" ".join(st.unit_text(u).split()) for u in chosen)
    return Setup(text, [st.unit_span(u) for u in chosen], "background")


def previous_scene_setup(st: SceneText, prev: SceneDynamics | None) -> Setup | None:
    if prev is None or not prev.beats:
        return None
    if not set(prev.text.present) & set(st.present):
        return None
    if prev.turn is not None:
        return Setup(prev.turn.text, list(prev.turn.evidence), "previous-scene")
    last = prev.beats[-1]
    if not last.summary:
        return None
    spans = [prev.text.unit_span(prev.text.units[k]) for k in last.summary_units]
    return Setup(last.summary, spans, "previous-scene")


def continues(prev: SceneText | None, st: SceneText) -> bool:
    """Does ``st`` carry straight on from ``prev`` (module doc)? Prose scenes never do."""
    if prev is None or st.doc.source_format == "prose" or not prev.units or not st.units:
        return False
    if st.timed and prev.timed:
        ends = [e.span.end_time for e in prev.scene.elements if e.span.end_time is not None]
        starts = [e.span.start_time for e in st.scene.elements if e.span.start_time is not None]
        if not ends or not starts or min(starts) - max(ends) >= CONTINUE_GAP:
            return False
        speakers = {u.speaker for u in prev.units if u.speaker}
        return bool(speakers & {u.speaker for u in st.units if u.speaker})
    heading = st.scene.heading or ""
    return bool(_CONTINUOUS.search(heading)) and bool(set(prev.present) & set(st.present))
