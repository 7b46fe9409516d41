"""Readers turn bytes into a :class:`~sceneanatomy.model.Document`. They never analyse.

``read_path`` / ``read_bytes`` are the one entry point: they sniff the format (content
first, extension as a hint), decode the text, dispatch to the format's module and make
sure nothing but :class:`~sceneanatomy.errors.ParseError` escapes.
"""

from __future__ import annotations

import gc
import importlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..encoding import Decoded, decode
from ..errors import ParseError
from ..model import Document
from .work import fill_work

FORMATS: dict[str, str] = {
    "fountain": "fountain",
    "fdx": "fdx",
    "pdf": "pdf",
    "screenplay-text": "screenplay_text",
    "srt": "subtitles",
    "vtt": "subtitles",
    "ass": "subtitles",
    "prose": "prose",
}


@dataclass(slots=True)
class ReadOptions:
    # Subtitles: a silence of at least this many seconds between cues starts a new scene.
    scene_gap_seconds: float = 6.0
    encoding: str | None = None  # force a text encoding instead of detecting it


@dataclass
class Source:
    """The raw input handed to a reader: bytes plus lazily decoded text."""

    data: bytes
    path: str | None = None
    options: ReadOptions = field(default_factory=ReadOptions)

    @cached_property
    def decoded(self) -> Decoded:
        return decode(self.data, path=self.path, hint=self.options.encoding)

    @property
    def text(self) -> str:
        return self.decoded.text

    @property
    def encoding(self) -> str:
        return self.decoded.encoding


def read_bytes(
    data: bytes,
    path: str | None = None,
    fmt: str | None = None,
    options: ReadOptions | None = None,
) -> Document:
    """Read ``data`` into a Document, or raise ParseError (and nothing else)."""
    # Reading makes many small objects and no reference cycles; the cyclic collector is
    # paused from the start until the document is complete (the readers do not pause it
    # themselves), so that it does not rescan the growing document -- nor, at the first
    # allocation here, the objects made since it last ran (a previous document).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _read_bytes(data, path, fmt, options)
    finally:
        if gc_was_enabled:
            gc.enable()


def _read_bytes(
    data: bytes, path: str | None, fmt: str | None, options: ReadOptions | None
) -> Document:
    from ..sniff import detect_format

    source = Source(data, path, options or ReadOptions())
    try:
        blank = b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"
        # (the whole file is stripped, a copy, only when its first 4 KiB are blank)
        if not data[:4096].strip(blank) and not data.strip(blank):
            raise ParseError("empty file: nothing to read", line=None)
        fmt = fmt or detect_format(source)
        if fmt not in FORMATS:
            raise ParseError(f"unknown format {fmt!r} (known: {', '.join(sorted(FORMATS))})")
        module = importlib.import_module(f"{__name__}.{FORMATS[fmt]}")
        doc: Document = module.read(source, fmt)
        doc.path = path
        doc.source_format = fmt
        fill_work(doc)
    except ParseError as exc:
        raise exc.with_path(path) from None
    except RecursionError:
        raise ParseError("input nested too deeply to read", path=path) from None
    return doc


def read_path(
    path: str | Path, fmt: str | None = None, options: ReadOptions | None = None
) -> Document:
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise ParseError("no such file", path=str(path)) from None
    except IsADirectoryError:
        raise ParseError("is a directory, not a file", path=str(path)) from None
    except OSError as exc:
        raise ParseError(f"cannot read: {exc.strerror or exc}", path=str(path)) from None
    return read_bytes(data, str(path), fmt, options)
