"""Where the report's anatomy dict comes from: an analysed Document, or the JSON contract.

:func:`anatomy_of` turns a Document that the pipeline has analysed
(:func:`sceneanatomy.pipeline.analyse`; renderers never run it) into the contract's dict
(schema "scene-anatomy/1"): ``sceneanatomy.render.anatomy.anatomy_dict`` (what
``scene-anatomy analyze --format json`` prints) when the document went through the scene
dynamics, else a minimal builder that fills only what the earlier stages give
(characters, presence, relationships, tropes) and leaves the rest null or empty, as the
contract says. Either way :func:`enrich` then adds, never overwrites, the keys the report
can use: ``scenes[].dialogue``, ``scenes[].characters[].evidence``,
``characters[].evidence``, ``characters[].actor_evidence`` and the document's
``turning_points``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...model import Document, ElementKind, LineIndex, Relationship, Scene, Span

__all__ = ["SCHEMA", "anatomy_of", "enrich", "minimal_anatomy"]

SCHEMA = "scene-anatomy/1"
SPOKEN = (ElementKind.DIALOGUE, ElementKind.SUBTITLE, ElementKind.LYRIC)


def _contract_builder(doc: Document) -> Callable[[Document], dict[str, Any]] | None:
    """``render.anatomy.anatomy_dict`` when ``doc`` went through the scene dynamics."""
    try:
        from ...analysis.dynamics import dynamics_of
        from .. import anatomy  # type: ignore[attr-defined]
    except ImportError:
        return None
    fn = getattr(anatomy, "anatomy_dict", None)
    if not callable(fn) or dynamics_of(doc) is None:
        return None
    return fn


def anatomy_of(doc: Document) -> dict[str, Any]:
    """The contract's anatomy dict of an analysed ``doc``, enriched for the report."""
    builder = _contract_builder(doc)
    data = builder(doc) if builder is not None else minimal_anatomy(doc)
    return enrich(data, doc)


# --------------------------------------------------------------------------- minimal


def _span(doc: Document, span: Span | None) -> dict[str, Any] | None:
    return span.to_dict(doc.source_text) if span is not None else None


def _line_span(doc: Document, span: Span, index: LineIndex) -> dict[str, Any]:
    """``span`` widened to its whole source line(s), trimmed: a readable quote."""
    text = doc.source_text
    start = index.line_start(span.start_line)
    end = text.find("\n", max(span.end_char - 1, start))
    end = len(text) if end == -1 else end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return index.span(start, end, span.start_time, span.end_time).to_dict(text)


def _relationship(doc: Document, r: Relationship) -> dict[str, Any]:
    d: dict[str, Any] = {
        "from": r.from_id,
        "to": r.to_id,
        "kind": r.kind,
        "requited": r.requited,
        "basis": r.basis,
        "evidence": [s.to_dict(doc.source_text) for s in r.evidence],
    }
    if r.subtype:
        d["subtype"] = r.subtype
    if r.requited_evidence:
        d["requited_evidence"] = [s.to_dict(doc.source_text) for s in r.requited_evidence]
    return d


def _scene_characters(doc: Document, scene: Scene) -> list[dict[str, Any]]:
    out = []
    for c in doc.characters:
        present = scene.id in (c.attrs.get("scenes") or [])
        if not present:
            continue
        speaking = scene.id in (c.attrs.get("scenes_speaking") or []) or any(
            e.speaker_id == c.id for e in scene.elements if e.kind in SPOKEN
        )
        out.append({"id": c.id, "speaking": speaking})
    return out


def minimal_anatomy(doc: Document) -> dict[str, Any]:
    """The contract's dict with what today's stages support; everything else null/empty."""
    from ..characters import character_dict
    from ..document import source_dict

    scenes = []
    for s in doc.scenes:
        scenes.append(
            {
                "id": s.id,
                "index": s.index,
                "heading": s.heading,
                "location": s.location,
                "time_of_day": s.time_of_day,
                "interior": s.interior,
                "span": _span(doc, s.span),
                "characters": _scene_characters(doc, s),
                "anatomy": {
                    "setup": None,
                    "wants": [],
                    "beats": [],
                    "value": None,
                    "turning_point": None,
                    "key_line": None,
                    "outcome": [],
                    "arcs": [],
                    "tropes": [t.to_dict(doc.source_text) for t in s.tropes],
                },
            }
        )
    return {
        "schema": SCHEMA,
        "source": source_dict(doc),
        "characters": [character_dict(doc, c) for c in doc.characters],
        "scenes": scenes,
        "relationships": [_relationship(doc, r) for r in doc.relationships],
        "warnings": [w.to_dict() for w in doc.warnings],
    }


# --------------------------------------------------------------------------- enrich


def enrich(data: dict[str, Any], doc: Document) -> dict[str, Any]:
    """Add the keys the report uses when ``data`` lacks them (in place; returns ``data``)."""
    index = LineIndex(doc.source_text)
    by_id = {s.id: s for s in doc.scenes}
    chars = {c.id: c for c in doc.characters}
    actors = (doc.attrs.get("characters") or {}).get("actors") or []
    for cd in data.get("characters") or []:
        ch = chars.get(cd.get("id"))
        if ch is None:
            continue
        if "evidence" not in cd:
            first = next((m for m in ch.mentions if m.kind != "pronoun"), None)
            cd["evidence"] = [_line_span(doc, first.span, index)] if first else []
        if "actor_evidence" not in cd:
            cd["actor_evidence"] = [
                _line_span(doc, sp, index)
                for a in actors
                if ch.id in (a.get("plays") or [])
                for sp in a.get("evidence") or []
            ][:2]
    for sd in data.get("scenes") or []:
        scene = by_id.get(sd.get("id"))
        if scene is None:
            continue
        if "dialogue" not in sd:
            counts: dict[str, list[int]] = {}
            for e in scene.elements:
                if e.kind in SPOKEN and e.speaker_id:
                    row = counts.setdefault(e.speaker_id, [0, 0])
                    row[0] += 1
                    row[1] += len(e.text.split())
            sd["dialogue"] = [
                {"character": cid, "lines": n, "words": w} for cid, (n, w) in counts.items()
            ]
        an = sd.get("anatomy")
        if isinstance(an, dict) and "tropes" not in an:
            an["tropes"] = [t.to_dict(doc.source_text) for t in scene.tropes]
        for cd in sd.get("characters") or []:
            if "evidence" in cd:
                continue
            ch = chars.get(cd.get("id"))
            if ch is None:
                continue
            said = next(
                (e for e in scene.elements if e.kind in SPOKEN and e.speaker_id == ch.id), None
            )
            if said is not None:
                cd["evidence"] = [said.span.to_dict(doc.source_text)]
                continue
            m = next(
                (m for m in ch.mentions if m.scene_index == scene.index and m.kind != "pronoun"),
                None,
            )
            cd["evidence"] = [_line_span(doc, m.span, index)] if m else []
    if "turning_points" not in data and isinstance(doc.attrs.get("turning_points"), dict):
        data["turning_points"] = doc.attrs["turning_points"]
    return data
