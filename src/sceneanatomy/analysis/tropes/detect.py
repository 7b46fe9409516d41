"""The stage: :func:`detect_tropes` runs the families scene by scene and merges the hits."""

from __future__ import annotations

from typing import Any

from ...model import Document, TropeHit
from ..dialogue_refs import NameIndex
from .catalogue import Catalogue, load_catalogue
from .moves import _scene
from .story import _derived, _ledger
from .units import _Cand, _Doc

# ------------------------------------------------------------------------------ the stage


def detect_tropes(
    doc: Document, catalogue: Catalogue | None = None, index: NameIndex | None = None
) -> Document:
    """The stage: write ``Scene.tropes`` and ``Document.audience_tropes`` (see module doc)."""
    cat = catalogue if catalogue is not None else load_catalogue()
    index = index if index is not None else NameIndex.from_document(doc)
    d = _Doc(doc, index)
    by_scene: dict[int, list[_Cand]] = {}
    for scene in doc.scenes:
        by_scene[scene.index] = _scene(cat, d, scene.index)
    for c in _derived(cat, d, by_scene) + _ledger(cat, d):
        by_scene.setdefault(c.scene, []).append(c)
    doc.audience_tropes = []
    for scene in doc.scenes:
        hits = _merge(d, by_scene.get(scene.index, []))
        scene.tropes = [h for h in hits if h.category == "in-story"]
        doc.audience_tropes.extend(h for h in hits if h.category == "audience")
    return doc


def _merge(d: _Doc, cands: list[_Cand]) -> list[TropeHit]:
    """One hit per (trope, roles, variant) in a scene: evidence joined, best confidence."""
    merged: dict[tuple[Any, ...], TropeHit] = {}
    order: list[tuple[Any, ...]] = []
    for c in sorted(cands, key=lambda c: (c.evidence[0] if c.evidence else (0, 0), c.trope.id)):
        key = (c.trope.id, tuple(sorted(c.roles.items())), c.variant)
        consent = c.pattern.consent if c.pattern.consent is not None else c.trope.consent
        spans = [d.span(a, b) for a, b in c.evidence]
        if key not in merged:
            hit = TropeHit(
                id=c.trope.id,
                name=c.trope.name,
                category=c.trope.category,
                variant=c.variant,
                consent_flag=bool(consent),
                consent_note=c.trope.consent_note if consent else None,
                roles=dict(c.roles),
                evidence=spans,
                confidence=c.conf,
                rule=c.pattern.id,
                scene_index=c.scene,
            )
            if c.type:
                hit.attrs["type"] = c.type
            merged[key] = hit
            order.append(key)
            continue
        hit = merged[key]
        for s in spans:
            if s not in hit.evidence:
                hit.evidence.append(s)
        hit.evidence.sort(key=lambda s: s.start_char)
        if c.conf > hit.confidence:
            hit.confidence, hit.rule = c.conf, c.pattern.id
        if consent and not hit.consent_flag:
            hit.consent_flag, hit.consent_note = True, c.trope.consent_note
        if c.type and "type" not in hit.attrs:
            hit.attrs["type"] = c.type
    return [merged[k] for k in order]


# ------------------------------------------------------------------------------ helpers


def scene_tropes(doc: Document, scene_index: int) -> list[TropeHit]:
    """The in-story tropes of one scene (after :func:`detect_tropes`)."""
    return list(doc.scenes[scene_index].tropes)


def all_tropes(doc: Document) -> list[TropeHit]:
    """Every in-story trope of the document, scene by scene."""
    return [h for s in doc.scenes for h in s.tropes]


def catalogue_ids(catalogue: Catalogue | None = None) -> list[str]:
    cat = catalogue if catalogue is not None else load_catalogue()
    return [t.id for t in cat.tropes]


def romance_trope_ids(catalogue: Catalogue | None = None) -> frozenset[str]:
    cat = catalogue if catalogue is not None else load_catalogue()
    return frozenset(t.id for t in cat.tropes if t.romance)
