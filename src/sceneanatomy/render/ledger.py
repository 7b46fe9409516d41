"""The relationship ledger as JSON (the contract's ``relationships``) and a terminal table.

Reads only the model: a :class:`~sceneanatomy.analysis.relationships.SeriesLedger` (one
document or several episodes of one drama). Every relationship carries its evidence spans;
with several files each span says which ``file`` it is in.
"""

from __future__ import annotations

from typing import Any

from ..analysis.relationships import SeriesLedger
from ..model import Relationship, RelationshipChange, Span
from .document import source_dict

SCHEMA = "scene-anatomy/1"


def _span(ledger: SeriesLedger, doc_no: int, span: Span) -> dict[str, Any]:
    doc = ledger.documents[doc_no]
    d = span.to_dict(doc.source_text)
    if len(ledger.documents) > 1:
        d["file"] = doc.path
        d["episode"] = doc.episode
    return d


def relationship_dict(ledger: SeriesLedger, rel: Relationship) -> dict[str, Any]:
    """One edge: the contract's keys first, then added ones."""
    ev_docs = rel.attrs.get("evidence_documents") or [0] * len(rel.evidence)
    req_docs = rel.attrs.get("requited_evidence_documents") or [0] * len(rel.requited_evidence)
    first_doc = ev_docs[0] if ev_docs else 0
    scene = None
    if rel.scene_index is not None and rel.scene_index < len(ledger.documents[first_doc].scenes):
        scene = ledger.documents[first_doc].scenes[rel.scene_index].id
    return {
        "from": rel.from_id,
        "to": rel.to_id,
        "kind": rel.kind,
        "requited": rel.requited,
        "basis": rel.basis,
        "evidence": [_span(ledger, d, s) for d, s in zip(ev_docs, rel.evidence, strict=False)],
        # added keys
        "subtype": rel.subtype,
        "subtypes": list(rel.attrs.get("subtypes", [])),
        "confidence": rel.confidence,
        "cues": list(rel.cues),
        "scene": scene,
        "file": ledger.documents[first_doc].path if len(ledger.documents) > 1 else None,
        "requited_evidence": [
            _span(ledger, d, s) for d, s in zip(req_docs, rel.requited_evidence, strict=False)
        ],
        "events": list(rel.attrs.get("events", [])),
        "rules": list(rel.attrs.get("rules", [])),
    }


def change_dict(ledger: SeriesLedger, doc_no: int, ch: RelationshipChange) -> dict[str, Any]:
    return {
        "from": ch.from_id,
        "to": ch.to_id,
        "kind": ch.kind,
        "subtype": ch.subtype,
        "aspect": ch.aspect,
        "before": ch.before,
        "after": ch.after,
        "note": ch.note,
        "evidence": [_span(ledger, doc_no, s) for s in ch.evidence],
    }


def ledger_dict(ledger: SeriesLedger) -> dict[str, Any]:
    """The ledger: characters, relationships, each scene's changes and the love line."""
    scenes: list[dict[str, Any]] = []
    by_scene: dict[tuple[int, int], list[RelationshipChange]] = {}
    for n, si, ch in ledger.changes:
        by_scene.setdefault((n, si), []).append(ch)
    for n, doc in enumerate(ledger.documents):
        for s in doc.scenes:
            changes = by_scene.get((n, s.index), [])
            if not changes:
                continue
            scenes.append(
                {
                    "file": doc.path,
                    "episode": doc.episode,
                    "id": s.id,
                    "index": s.index,
                    "heading": s.heading,
                    "changes": [change_dict(ledger, n, ch) for ch in changes],
                }
            )
    return {
        "schema": SCHEMA,
        "sources": [source_dict(d) for d in ledger.documents],
        "characters": [
            {
                "id": c.id,
                "name": c.name,
                "aliases": list(c.aliases),
                "gender": c.gender,
                "role": c.role,
                "love_line_role": c.attrs.get("love_line_role"),
            }
            for c in ledger.characters
        ],
        "relationships": [relationship_dict(ledger, r) for r in ledger.relationships],
        "scenes": scenes,
        "love_line": ledger.love_line,
        "warnings": [{**w.to_dict(), "file": d.path} for d in ledger.documents for w in d.warnings],
    }


def _name(ledger: SeriesLedger, cid: str) -> str:
    for c in ledger.characters:
        if c.id == cid:
            return c.name
    return cid


def ledger_table(ledger: SeriesLedger) -> str:
    """A plain, deterministic table: one row per edge, then the love line and the changes."""
    header = ("from", "to", "kind", "subtype", "requited", "basis", "scene", "evidence")
    rows: list[tuple[str, ...]] = [header]
    for r in ledger.relationships:
        d = relationship_dict(ledger, r)
        first = r.evidence[0] if r.evidence else None
        where = f"line {first.start_line}" if first else ""
        if d["file"]:
            where = f"{d['file']}:{first.start_line}" if first else d["file"]
        more = f" (+{len(r.evidence) - 1})" if len(r.evidence) > 1 else ""
        rows.append(
            (
                _name(ledger, r.from_id),
                _name(ledger, r.to_id),
                r.kind,
                r.subtype or "",
                r.requited,
                r.basis,
                d["scene"] or "",
                where + more,
            )
        )
    title = ", ".join(d.title or d.path or "untitled" for d in ledger.documents)
    out = [f"# {title}: {len(ledger.relationships)} relationships"]
    if len(rows) > 1:
        widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
        for row in rows:
            cells = [row[i].ljust(widths[i]) for i in range(len(header) - 1)]
            out.append("  ".join(cells + [row[-1]]).rstrip())
    line = ledger.love_line or {}
    if line.get("triangles") or line.get("couples") or line.get("unrequited"):
        out.append("")
        for t in line.get("triangles", []):
            suitors = ", ".join(_name(ledger, s) for s in t["suitors"])
            out.append(f"love triangle: {suitors} → {_name(ledger, t['target'])}")
        for a, b in line.get("couples", []):
            out.append(f"couple: {_name(ledger, a)} ↔ {_name(ledger, b)}")
        for u in line.get("unrequited", []):
            out.append(f"unrequited: {_name(ledger, u['from'])} → {_name(ledger, u['to'])}")
        roles = line.get("roles", {})
        for role in ("lead", "second-lead", "rival"):
            if roles.get(role):
                out.append(f"{role}: " + ", ".join(_name(ledger, x) for x in roles[role]))
    if ledger.changes:
        out.append("")
        for n, si, ch in ledger.changes:
            doc = ledger.documents[n]
            where = doc.scenes[si].id
            if len(ledger.documents) > 1:
                where = f"{doc.path}:{where}"
            arrow = f"{ch.before} → {ch.after}" if ch.before is not None else f"new ({ch.after})"
            note = f"  [{ch.note}]" if ch.note else ""
            out.append(
                f"{where}: {_name(ledger, ch.from_id)} → {_name(ledger, ch.to_id)} "
                f"{ch.kind}{'/' + ch.subtype if ch.subtype else ''} {ch.aspect}: {arrow}{note}"
            )
    return "\n".join(out) + "\n"
