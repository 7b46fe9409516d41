"""The characters of a document: JSON (the contract's ``characters``) and a terminal table.

Reads only the model (after :func:`sceneanatomy.analysis.characters.find_characters`).
"""

from __future__ import annotations

from typing import Any

from ..model import Character, Document
from .document import source_dict

SCHEMA = "scene-anatomy/1"


def character_dict(doc: Document, ch: Character) -> dict[str, Any]:
    """One character as the contract says, plus added keys (never repurposed ones)."""
    src = doc.source_text
    a = ch.attrs
    return {
        "id": ch.id,
        "name": ch.name,
        "aliases": list(ch.aliases),
        "actors": list(ch.actors),
        "gender": ch.gender,
        "role": ch.role,
        "lines": a.get("lines", 0),
        "words": a.get("words", 0),
        "scenes": list(a.get("scenes", [])),
        # added keys
        "kind": a.get("kind", "named"),
        "scenes_speaking": list(a.get("scenes_speaking", [])),
        "scenes_present": list(a.get("scenes_present", [])),
        "first_scene": a.get("first_scene"),
        "last_scene": a.get("last_scene"),
        "mentions": a.get("mentions", 0),
        "prominence": a.get("prominence"),
        "gender_evidence": [s.to_dict(src) for s in ch.gender_evidence],
    }


def characters_dict(doc: Document) -> dict[str, Any]:
    info = doc.attrs.get("characters", {})
    src = doc.source_text
    return {
        "schema": SCHEMA,
        "source": source_dict(doc),
        "characters": [character_dict(doc, c) for c in doc.characters],
        "actors": [
            {
                "name": r["name"],
                "plays": list(r["plays"]),
                "rule": r["rule"],
                "evidence": [s.to_dict(src) for s in r["evidence"]],
            }
            for r in info.get("actors", [])
        ],
        "not_characters": [
            {
                "name": r["name"],
                "kind": r["kind"],
                "evidence": [s.to_dict(src) for s in r["evidence"]],
            }
            for r in info.get("not_characters", [])
        ],
        "nlp": info.get("backend"),
        "warnings": [w.to_dict() for w in doc.warnings],
    }


def characters_table(doc: Document) -> str:
    """A plain, deterministic table: one row per character, then actors and exclusions."""
    header = ("id", "name", "gender", "role", "lines", "words", "scenes", "speaking", "aliases")
    rows: list[tuple[str, ...]] = [header]
    for c in doc.characters:
        a = c.attrs
        others = [x for x in c.aliases if x != c.name]
        aliases = ", ".join(others[:6]) + (f", +{len(others) - 6}" if len(others) > 6 else "")
        if c.actors:
            aliases = (aliases + "; " if aliases else "") + "actor: " + ", ".join(c.actors)
        rows.append(
            (
                c.id,
                c.name,
                c.gender,
                c.role,
                str(a.get("lines", 0)),
                str(a.get("words", 0)),
                str(len(a.get("scenes", []))),
                str(len(a.get("scenes_speaking", []))),
                aliases,
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(header) - 1)]
    numeric = {4, 5, 6, 7}
    out = [f"# {doc.title or doc.path or 'untitled'}: {len(doc.characters)} characters"]
    for r in rows:
        cells = [
            r[i].rjust(widths[i]) if i in numeric and r is not rows[0] else r[i].ljust(widths[i])
            for i in range(len(header) - 1)
        ]
        out.append("  ".join(cells + [r[-1]]).rstrip())
    info = doc.attrs.get("characters", {})
    actors = info.get("actors", [])
    if actors:
        out.append("")
        for r in actors:
            plays = f" plays {', '.join(r['plays'])}" if r["plays"] else ""
            out.append(f"actor: {r['name']}{plays}")
    skipped = info.get("not_characters", [])
    if skipped:
        out.append("")
        out.append("not characters: " + ", ".join(f"{r['name']} ({r['kind']})" for r in skipped))
    return "\n".join(out) + "\n"
