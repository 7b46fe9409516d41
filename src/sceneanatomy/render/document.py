"""The parsed document as JSON-ready data (``scene-anatomy parse --format json``)."""

from __future__ import annotations

import json
from typing import Any

from ..model import Document, Scene

SCHEMA = "scene-anatomy-document/1"


def source_dict(doc: Document) -> dict[str, Any]:
    return {
        "path": doc.path,
        "format": doc.source_format,
        "encoding": doc.encoding,
        "title": doc.title,
        "episode": doc.episode,
        # added key: the work (drama) the source names, else null
        "drama": doc.attrs.get("drama"),
    }


def scene_dict(doc: Document, scene: Scene, *, elements: bool = True) -> dict[str, Any]:
    span = scene.span
    d: dict[str, Any] = {
        "id": scene.id,
        "index": scene.index,
        "heading": scene.heading,
        "number": scene.number,
        "location": scene.location,
        "time_of_day": scene.time_of_day,
        "interior": scene.interior,
        "int_ext": scene.int_ext,
        "span": span.to_dict(doc.source_text) if span else None,
    }
    if scene.attrs:
        d["attrs"] = dict(sorted(scene.attrs.items()))
    if elements:
        d["elements"] = [e.to_dict(doc.source_text) for e in scene.elements]
    return d


def document_dict(doc: Document) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "source": source_dict(doc),
        "title_page": dict(doc.title_page),
        "scenes": [scene_dict(doc, s) for s in doc.scenes],
        "furniture": [e.to_dict(doc.source_text) for e in doc.furniture],
        "warnings": [w.to_dict() for w in doc.warnings],
    }


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
