"""The anatomy JSON: exactly ../shared/CONTRACT.md "scene-anatomy/1", plus added keys.

Reads only the model: ``doc.characters`` (through :func:`.characters.character_dict`),
``doc.scenes`` (headings, tropes), ``doc.relationships``, ``doc.warnings`` and what the
scene-dynamics stage wrote (``doc.attrs["dynamics"]``,
:class:`sceneanatomy.analysis.dynamics.Dynamics`). Keys the contract names keep their
names and meanings; everything else is added next to them. Floats are rounded to three
decimals and every list has a fixed order, so the same input gives the same bytes.
"""

from __future__ import annotations

from typing import Any

from ..analysis.dynamics import Dynamics, SceneDynamics, dynamics_of
from ..model import Character, Document, Scene, Span
from .characters import character_dict
from .document import source_dict

__all__ = ["SCHEMA", "anatomy_dict", "scene_anatomy"]

SCHEMA = "scene-anatomy/1"


def _r(x: float) -> float:
    return round(float(x), 3)


def _spans(doc: Document, spans: list[Span]) -> list[dict[str, Any]]:
    return [s.to_dict(doc.source_text) for s in spans]


def _scene_characters(doc: Document, scene: Scene, sd: SceneDynamics | None) -> list[dict]:
    sid = scene.id
    speaking = {e.speaker_id for e in scene.elements if e.speaker_id}
    ids: list[str] = []
    for c in doc.characters:
        a = c.attrs
        listed = a.get("scenes_present", a.get("scenes", []))
        if sid in listed or c.id in speaking:
            ids.append(c.id)
    if not ids and sd is not None:
        ids = [c for c in sd.text.present if doc.character(c) is not None]
    return [{"id": cid, "speaking": cid in speaking} for cid in ids]


def scene_anatomy(doc: Document, sd: SceneDynamics) -> dict[str, Any]:
    """The ``anatomy`` object of one scene."""
    st = sd.text
    src = doc.source_text
    main = set(sd.main)

    setup = None
    if sd.setup is not None:
        setup = {
            "text": sd.setup.text,
            "evidence": _spans(doc, sd.setup.evidence),
            "basis": sd.setup.basis,
        }

    wants = []
    ordered = sorted(
        sd.wants,
        key=lambda w: (
            w.character not in main,
            sd.main.index(w.character) if w.character in main else 0,
            w.start,
        ),
    )
    for w in ordered:
        wants.append(
            {
                "character": w.character,
                "want": w.want,
                "achieved": w.achieved,
                "evidence": _spans(doc, w.evidence),
                "kind": w.kind,
                "target": w.target,
                "main": w.character in main,
                "outcome_cue": w.outcome_cue,
                "outcome_evidence": _spans(doc, w.outcome_evidence),
            }
        )

    beats = []
    for b in sd.beats:
        beats.append(
            {
                "index": b.index,
                "function": b.function,
                "summary": b.summary,
                "span": st.span(b.start, b.end).to_dict(src),
                "tension": _r(b.tension),
                "emotions": {
                    cid: {k: _r(v) for k, v in sorted(sc.items())}
                    for cid, sc in sorted(b.emotions.items())
                },
                "distance": b.distance,
                "events": list(b.events),
                "boundary": list(b.reasons),
                "summary_evidence": [
                    st.unit_span(st.units[k]).to_dict(src) for k in b.summary_units
                ],
            }
        )

    value = None
    non_event: bool | None = None
    if sd.value is not None:
        v = sd.value
        non_event = v.non_event
        value = {
            "name": v.name,
            "start": v.start,
            "end": v.end,
            "character": v.character,
            "changed": v.changed,
            "non_event": v.non_event,
            "note": (
                f"the value ({v.name}) does not change ({v.start} → {v.end}): a non-event"
                if v.non_event
                else f"{v.name}: {v.start} → {v.end}"
            ),
            "start_evidence": _spans(doc, [st.span(h.start, h.end) for h in v.start_hits]),
            "end_evidence": _spans(doc, [st.span(h.start, h.end) for h in v.end_hits]),
            "scores": dict(v.candidates),
            "per_character": {
                cid: {"start": s, "end": e} for cid, (s, e) in sorted(v.per_character.items())
            },
        }

    turning = None
    if sd.turn is not None:
        turning = {
            "beat": sd.turn.beat,
            "text": sd.turn.text,
            "evidence": _spans(doc, sd.turn.evidence),
        }

    key = None
    if sd.key_line is not None:
        k = sd.key_line
        key = {
            "speaker": k.speaker,
            "text": k.text,
            "evidence": _spans(doc, k.evidence),
            "line": k.line,
            "score": _r(k.score),
            "scores": {n: _r(x) for n, x in k.parts.items()},
        }

    outcome = [
        {
            "character": o.character,
            "text": o.text,
            "charge": o.charge,
            "evidence": _spans(doc, o.evidence),
            "state": o.state,
            "basis": o.basis,
        }
        for o in sd.outcomes
    ]

    arcs = []
    for a in sd.arcs:
        arcs.append(
            {
                "character": a.character,
                "start": a.start,
                "end": a.end,
                "points": [
                    {
                        "position": _r(p.position),
                        "valence": _r(p.valence),
                        "emotion": p.emotion,
                        "intensity": _r(p.intensity),
                        "span": st.unit_span(st.units[p.unit]).to_dict(src)
                        if p.unit is not None
                        else None,
                    }
                    for p in a.points
                ],
                "start_cue": a.start_cue,
                "end_cue": a.end_cue,
            }
        )

    tropes = [t.to_dict(src) for t in st.scene.tropes]

    emotions = []
    by_char: dict[str, list] = {}
    for c in sd.emotions.cues:
        by_char.setdefault(c.character, []).append(c)
    for cid in sorted(by_char):
        cues = by_char[cid]
        scores: dict[str, float] = {}
        for c in cues:
            scores[c.label] = max(scores.get(c.label, 0.0), c.intensity)
        live = {k: v for k, v in scores.items() if v > 0}
        dominant = max(sorted(live), key=lambda k: live[k]) if live else None
        emotions.append(
            {
                "character": cid,
                "dominant": dominant,
                "intensity": _r(live[dominant]) if dominant else 0.0,
                "scores": {k: _r(v) for k, v in sorted(scores.items())},
                "evidence": [
                    {
                        "emotion": c.label,
                        "intensity": _r(c.intensity),
                        "cue": c.cue or None,
                        "source": c.source,
                        "rule": c.rule,
                        "negated": c.negated,
                        "modifiers": list(c.modifiers),
                        "span": st.span(c.start, c.end).to_dict(src),
                    }
                    for c in cues
                ],
            }
        )

    lines = [
        {
            "speaker": le.speaker,
            "emotion": le.label,
            "intensity": _r(le.intensity),
            "scores": {k: _r(v) for k, v in sorted(le.scores.items())},
            "span": st.unit_span(st.units[le.unit]).to_dict(src),
        }
        for le in sd.emotions.lines
    ]

    tension = [
        {"position": _r(u.position), "value": _r(sd.tension[u.index])}
        for u in st.body()
        if u.nested_in is None
    ]

    return {
        "setup": setup,
        "wants": wants,
        "beats": beats,
        "value": value,
        "turning_point": turning,
        "key_line": key,
        "outcome": outcome,
        "arcs": arcs,
        "tropes": tropes,
        # added keys
        "non_event": non_event,
        "main_characters": list(sd.main),
        "emotions": emotions,
        "lines": lines,
        "tension": tension,
    }


def _relationships(doc: Document) -> list[dict[str, Any]]:
    src = doc.source_text
    out = []
    for r in doc.relationships:
        scene = None
        if r.scene_index is not None and 0 <= r.scene_index < len(doc.scenes):
            scene = doc.scenes[r.scene_index].id
        out.append(
            {
                "from": r.from_id,
                "to": r.to_id,
                "kind": r.kind,
                "requited": r.requited,
                "basis": r.basis,
                "evidence": [s.to_dict(src) for s in r.evidence],
                "subtype": r.subtype,
                "confidence": _r(r.confidence),
                "cues": list(r.cues),
                "scene": scene,
            }
        )
    return out


def _doc_arcs(doc: Document, dyn: Dynamics) -> list[dict[str, Any]]:
    out = []
    for a in dyn.arcs:
        out.append(
            {
                "character": a.character,
                "start": a.start,
                "end": a.end,
                "points": [
                    {
                        "position": _r(p.position),
                        "valence": _r(p.valence),
                        "emotion": p.emotion,
                        "intensity": _r(p.intensity),
                        "scene": doc.scenes[p.scene].id if p.scene is not None else None,
                    }
                    for p in a.points
                ],
            }
        )
    return out


def anatomy_dict(doc: Document, scene: int | None = None) -> dict[str, Any]:
    """The whole anatomy (``scene``: only that 0-based scene in ``scenes``).

    The document must have been through the dynamics stage (the pipeline's ``anatomy``
    preset, :mod:`sceneanatomy.pipeline`). ``turning_points`` (added key: the document's
    five turning points) is there when the ``structure`` stage ran.
    """
    dyn = dynamics_of(doc)
    if dyn is None:
        raise ValueError("the document has not been through the dynamics stage")
    by_index = {sd.index: sd for sd in dyn.scenes}
    scenes = []
    for s in doc.scenes:
        if scene is not None and s.index != scene:
            continue
        sd = by_index.get(s.index)
        span = s.span
        scenes.append(
            {
                "id": s.id,
                "index": s.index,
                "heading": s.heading,
                "location": s.location,
                "time_of_day": s.time_of_day,
                "interior": s.interior,
                "span": span.to_dict(doc.source_text) if span else None,
                "characters": _scene_characters(doc, s, sd),
                "anatomy": scene_anatomy(doc, sd) if sd is not None else None,
                "number": s.number,
            }
        )
    analysis = dict(dyn.backend)
    ran = doc.attrs.get("pipeline", {}).get("stages")
    if ran:
        analysis["stages"] = list(ran)
    out: dict[str, Any] = {
        "schema": SCHEMA,
        "source": source_dict(doc),
        "characters": [_character(doc, c) for c in doc.characters],
        "scenes": scenes,
        "relationships": _relationships(doc),
        "warnings": [w.to_dict() for w in doc.warnings],
        # added keys
        "arcs": _doc_arcs(doc, dyn),
        "analysis": dict(sorted(analysis.items())),
    }
    if isinstance(doc.attrs.get("turning_points"), dict):
        out["turning_points"] = doc.attrs["turning_points"]
    return out


def _character(doc: Document, c: Character) -> dict[str, Any]:
    """The contract's character (``role`` refined by the love line when the ledger ran),
    plus ``love_line_role``: lead / second-lead / rival in the love line, else null."""
    d = character_dict(doc, c)
    d["love_line_role"] = c.attrs.get("love_line_role")
    return d
