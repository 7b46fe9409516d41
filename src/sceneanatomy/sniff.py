"""Format sniffing, in one place: the content decides, the file extension is a hint."""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import TYPE_CHECKING

from .errors import ParseError
from .headings import HEADING_PREFIX

if TYPE_CHECKING:
    from .readers import Source

EXTENSIONS = {
    ".fountain": "fountain",
    ".spmd": "fountain",
    ".fdx": "fdx",
    ".pdf": "pdf",
    ".srt": "srt",
    ".vtt": "vtt",
    ".webvtt": "vtt",
    ".ass": "ass",
    ".ssa": "ass",
    ".md": "prose",
    ".markdown": "prose",
}

_SRT_START = re.compile(r"^\s*\d+\s*\r?\n\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*-->", re.ASCII)
_SRT_TIMING = re.compile(r"^\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*-->\s*\d{1,2}:\d{2}:\d{2}", re.M)
_FOUNTAIN_MARKUP = re.compile(
    r"^(?:Title|Credit|Author|Authors|Source|Draft date|Contact)\s*[:：]|^\.[A-Z]|^\[\[|^/\*|^===+\s*$"
    r"|^#{1,3} |^= |^>.*<\s*$|^@\S",
    re.M | re.I,
)
_CUE_LINE = re.compile(r"^[ \t]{0,4}[A-Z][A-Z0-9 .'\-]{1,30}(?:\s*\([^)]*\))?\s*\^?\s*$")
_INDENTED_CUE = re.compile(r"^[ \t]{12,}[A-Z][A-Z0-9 .'\-]{1,30}(?:\s*\([^)]*\))?\s*$")


def detect_format(source: Source) -> str:
    data = source.data
    hint = EXTENSIONS.get(PurePath(source.path).suffix.lower()) if source.path else None
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if hint == "pdf":
        raise ParseError("not a PDF file (no %PDF- header); the file may be truncated or mislabelled", line=1)
    text = source.text  # raises ParseError for binary or undecodable data
    start = text[:4096].lstrip("\ufeff \t\r\n")
    if start.startswith("<?xml") or start.startswith("<FinalDraft"):
        if "<FinalDraft" in text[:4096] or hint == "fdx":
            return "fdx"
    if hint == "fdx":
        return "fdx"  # let the FDX reader report what is wrong with it
    if start.upper().startswith("WEBVTT"):
        return "vtt"
    if re.match(r"\[Script Info\]", start, re.I) or re.search(r"^\[(V4\+? Styles|Events)\]", text[:8192], re.I | re.M):
        return "ass"
    if _SRT_START.match(start) or (len(_SRT_TIMING.findall(text[:20000])) >= 2 and hint != "fountain"):
        return "srt"
    if hint in ("srt", "vtt", "ass"):
        return hint  # the subtitle reader will say why the content is wrong
    if hint == "fountain":
        return "fountain"
    return guess_text_kind(text)


def guess_text_kind(text: str) -> str:
    """Fountain, an indented plain-text screenplay (IMSDb style), or prose."""
    lines = text[:200_000].splitlines()
    nonblank = [ln for ln in lines if ln.strip()]
    if not nonblank:
        return "prose"
    headings_flush = sum(1 for ln in nonblank if HEADING_PREFIX.match(ln))
    headings_any = sum(1 for ln in nonblank if HEADING_PREFIX.match(ln.strip()))
    indented_cues = sum(1 for ln in nonblank if _INDENTED_CUE.match(ln))
    markup = len(_FOUNTAIN_MARKUP.findall(text[:200_000]))
    flush_cues = sum(1 for ln in nonblank if _CUE_LINE.match(ln))
    n = len(nonblank)
    if indented_cues >= 3 and indented_cues > 0.02 * n and headings_flush < headings_any:
        return "screenplay-text"
    if indented_cues >= 5 and indented_cues > 0.05 * n:
        return "screenplay-text"
    if headings_flush >= 1 or markup >= 2:
        return "fountain"
    if flush_cues >= 3 and flush_cues > 0.1 * n:
        return "fountain"
    return "prose"
