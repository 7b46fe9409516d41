"""What ``scene-anatomy report`` does between reading FILE and writing the page."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ...model import Document
from .source import SCHEMA, anatomy_of

__all__ = ["anatomy_json", "load_anatomy", "write_new"]


def anatomy_json(path: str) -> dict[str, Any] | None:
    """The anatomy dict when ``path`` is already the analysis (JSON, schema
    "scene-anatomy/1", as ``scene-anatomy analyze --format json`` prints), else None."""
    p = Path(path)
    if p.suffix.lower() != ".json":
        return None
    try:
        data = json.loads(p.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if isinstance(data, dict) and data.get("schema") == SCHEMA:
        return data
    return None


def load_anatomy(path: str, analysed: Callable[[], Document]) -> dict[str, Any]:
    """The anatomy dict of ``path``: read as is when it is the analysis JSON, else made
    from ``analysed()``, the document read and analysed by the caller."""
    data = anatomy_json(path)
    if data is not None:
        return data
    return anatomy_of(analysed())


def write_new(path: str, text: str, force: bool) -> None:
    """Write ``text`` to ``path``; FileExistsError when it exists and not ``force``."""
    with open(path, "w" if force else "x", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
