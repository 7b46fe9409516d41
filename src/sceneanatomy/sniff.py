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
# Markdown headings and "@handle: text" lines also occur in prose recaps; alone they are weak.
_WEAK_MARKUP = re.compile(r"^#{1,3} |^@\S", re.M)
_FORCED_CUE = re.compile(r"^@[^\s:][^:\n]{0,38}$")
_INDENTED_CUE = re.compile(r"^[ \t]{8,}[A-Z][A-Z0-9 .'\-]{1,30}(?:\s*\([^)]*\))?\s*$")


def detect_format(source: Source) -> str:
    data = source.data
    hint = EXTENSIONS.get(PurePath(source.path).suffix.lower()) if source.path else None
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if hint == "pdf":
        raise ParseError(
            "not a PDF file (no %PDF- header); the file may be truncated or mislabelled", line=1
        )
    text = source.text  # raises ParseError for binary or undecodable data
    start = text[:4096].lstrip("\ufeff \t\r\n")
    if hint == "fdx" or (
        start.startswith(("<?xml", "<FinalDraft")) and "<FinalDraft" in text[:4096]
    ):
        return "fdx"  # a mislabelled or broken .fdx: the FDX reader says what is wrong
    if start.upper().startswith("WEBVTT"):
        return "vtt"
    if re.match(r"\[Script Info\]", start, re.I) or re.search(
        r"^\[(V4\+? Styles|Events)\]", text[:8192], re.I | re.M
    ):
        return "ass"
    if _SRT_START.match(start) or (
        len(_SRT_TIMING.findall(text[:20000])) >= 2 and hint != "fountain"
    ):
        return "srt"
    if hint in ("srt", "vtt", "ass"):
        return hint  # the subtitle reader will say why the content is wrong
    if hint == "fountain":
        return "fountain"
    if hint == "prose":
        return "prose"  # .md: "# headings" are Markdown, not Fountain sections
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
    weak_markup = len(_WEAK_MARKUP.findall(text[:200_000]))
    # A cue is followed by its dialogue: an all-caps line before a blank line is a heading.
    flush_cues = sum(
        1
        for i, ln in enumerate(lines[:-1])
        if (_CUE_LINE.match(ln) or _FORCED_CUE.match(ln.rstrip())) and lines[i + 1].strip()
    )
    n = len(nonblank)
    if indented_cues >= 3 and indented_cues > 0.02 * n and headings_flush < headings_any:
        return "screenplay-text"
    if indented_cues >= 5 and indented_cues > 0.05 * n:
        return "screenplay-text"
    if headings_flush >= 1 or markup - weak_markup >= 2 or (markup >= 2 and flush_cues >= 2):
        return "fountain"
    if flush_cues >= 3 and flush_cues > 0.1 * n:
        return "fountain"
    return "prose"
