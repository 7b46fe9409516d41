"""Tropes as JSON-ready data (the contract's ``anatomy.tropes``) and as a terminal table.

Reads only the model (after :func:`sceneanatomy.analysis.tropes.detect_tropes`):
``Scene.tropes`` for in-story tropes, ``Document.audience_tropes`` for viewers' terms.
"""

from __future__ import annotations

from typing import Any

from ..model import Document, Scene, TropeHit
from .document import source_dict

SCHEMA = "scene-anatomy/1"


def trope_dict(doc: Document, hit: TropeHit) -> dict[str, Any]:
    """One trope: the contract's keys (id, name, variant, consent_flag, evidence) and more."""
    src = doc.source_text
    return {
        "id": hit.id,
        "name": hit.name,
        "variant": hit.variant,
        "consent_flag": hit.consent_flag,
        "evidence": [s.to_dict(src) for s in hit.evidence],
        # added keys
        "category": hit.category,
        "consent_note": hit.consent_note,
        "roles": dict(hit.roles),
        "confidence": hit.confidence,
        "rule": hit.rule,
        "type": hit.attrs.get("type"),
        "scene": f"s{hit.scene_index + 1}" if hit.scene_index is not None else None,
    }


def scene_tropes(doc: Document, scene: Scene) -> list[dict[str, Any]]:
    """``anatomy.tropes`` of one scene."""
    return [trope_dict(doc, h) for h in scene.tropes]


def tropes_dict(doc: Document) -> dict[str, Any]:
    """Every scene's tropes, and the document's audience-level terms apart."""
    return {
        "schema": SCHEMA,
        "source": source_dict(doc),
        "scenes": [
            {"id": s.id, "index": s.index, "heading": s.heading, "tropes": scene_tropes(doc, s)}
            for s in doc.scenes
        ],
        "audience": [trope_dict(doc, h) for h in doc.audience_tropes],
    }


def _names(doc: Document, roles: dict[str, str]) -> str:
    out = []
    for role, cid in roles.items():
        c = doc.character(cid)
        out.append(f"{role}={c.name if c else cid}")
    return ", ".join(out)


def tropes_table(doc: Document) -> str:
    """A plain-text table: scene, trope, variant, consent flag, roles, first evidence line."""
    rows = [("scene", "trope", "variant", "consent", "roles", "line")]
    for s in doc.scenes:
        for h in s.tropes:
            rows.append(
                (
                    s.id,
                    h.name,
                    h.variant,
                    "yes" if h.consent_flag else "",
                    _names(doc, h.roles),
                    str(h.evidence[0].start_line) if h.evidence else "",
                )
            )
    for h in doc.audience_tropes:
        scene = f"s{h.scene_index + 1}" if h.scene_index is not None else ""
        rows.append(
            (
                scene,
                f"{h.name} (audience)",
                h.variant,
                "",
                _names(doc, h.roles),
                str(h.evidence[0].start_line) if h.evidence else "",
            )
        )
    if len(rows) == 1:
        return "no tropes found\n"
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    notes = sorted({h.consent_note for s in doc.scenes for h in s.tropes if h.consent_note})
    return "\n".join(lines + [f"consent: {n}" for n in notes]) + "\n"
