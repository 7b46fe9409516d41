"""SRT, WebVTT and ASS/SSA subtitles -> Document.

Timing comes from pysubs2: its timestamp patterns and converters for SRT/WebVTT timing
lines, and its SubStation parser (one ``Dialogue:`` line at a time, so that one bad line
costs one cue, not the file) for ASS/SSA. pysubs2 gives no source offsets, and it merges
stray text into the previous cue and drops WebVTT voice tags, so the cue *blocks* are
located here, on the decoded text itself:

* SRT/WebVTT: lines are split on ``\\n`` (a trailing ``\\r`` is not content; a file with
  only ``\\r`` line ends is split on ``\\r``). Blank lines separate blocks; a timing line
  (``start --> end``) starts a cue, the line before it is the cue id (SRT number or WebVTT
  identifier, numbering gaps are fine), and the cue text runs to the next blank line (or
  to the next cue's id and timing line when a blank line is missing). WebVTT ``NOTE``,
  ``STYLE`` and ``REGION`` blocks and the ``WEBVTT`` header are not dialogue.
* ASS/SSA: every ``Dialogue:`` line is a cue; its span covers the ``Text`` field (after
  the ninth comma). ``Comment:`` lines are not dialogue. The ``Name`` field is the
  speaker of a cue's single spoken line (with several dashed lines, each needs its own;
  the field is kept as ``attrs["name_field"]``), unless it is a typesetting label that
  fansubs put there (``Sign``, ``Signs``, ``Title``, ``Karaoke``, ``Lyrics``, ``Note``,
  ``TL Note``, ``Credits``, ``Caption``...; ``OP``, ``ED``, ``SONG`` in capitals only:
  on-screen text, not a person). The ``Format:`` line is not consulted:
  like pysubs2, the standard field order is assumed. webvtt-py is not needed: voice tags
  are read from the raw cue text, where their offsets are known.

Malformed cues (bad timing line, end before start, missing fields) are skipped with a
warning ``skipped cue: ...`` naming their line; a file with no readable cue at all is a
:class:`~sceneanatomy.errors.ParseError` naming the first bad line. Cue text, speakers
and sound descriptions: see :mod:`._subtitle_text`.

Scenes: subtitles carry no headings, so a first segmentation comes from silence. Cues are
taken in file order; a new scene starts at a cue whose start is at least
``ReadOptions.scene_gap_seconds`` (default 6 s, ``--scene-gap``) after the latest end of
the cues before it. Out-of-order or overlapping cues never start a scene. Every scene's
heading is ``None``.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pysubs2
from pysubs2.formats.substation import SubstationFormat
from pysubs2.formats.webvtt import WebVTTFormat
from pysubs2.time import TIMESTAMP, TIMESTAMP_SHORT, timestamp_to_ms

from ..errors import ParseError
from ..model import Document, Element, ElementKind, LineIndex, Scene
from ._subtitle_text import Part, clean_ass_text, clean_html_lines, split_cue

if TYPE_CHECKING:
    from . import Source

_KINDS = {"subtitle": ElementKind.SUBTITLE, "sound": ElementKind.SOUND}


@dataclass(slots=True)
class _Cue:
    line: int  # 1-based line of the timing / Dialogue line
    start_ms: int
    end_ms: int
    cue_id: str | None = None
    lines: list[tuple[int, int]] = field(default_factory=list)  # SRT/VTT text lines
    text_field: tuple[int, int] | None = None  # ASS Text field
    name: str | None = None  # ASS Name
    style: str | None = None  # ASS Style


class _Problems:
    """Skipped material, remembered so that a file with no cue can name the first."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.first: tuple[int, str] | None = None

    def skip(self, line: int, message: str, *, cue: bool = True) -> None:
        self.doc.warn(line, message)
        if cue and self.first is None:
            self.first = (line, message)


def read(source: Source, fmt: str) -> Document:
    text = source.text
    doc = Document(source_text=text, source_format=fmt, path=source.path)
    doc.encoding = source.encoding
    problems = _Problems(doc)
    lines = _split_lines(text)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pysubs2 warns about odd ASS fields
        if fmt == "ass":
            cues = _scan_ass(text, lines, doc, problems)
        else:
            cues = _scan_blocks(text, lines, fmt, doc, problems)
    if not cues:
        if problems.first is not None:
            line, message = problems.first
            raise ParseError(f"no readable subtitle cue; first problem: {message}", line=line)
        raise ParseError(_no_cue_message(fmt), line=_first_content_line(text, lines))
    _build(doc, text, cues, fmt, source.options.scene_gap_seconds)
    return doc


def _no_cue_message(fmt: str) -> str:
    if fmt == "ass":
        return "no subtitle cues: an ASS/SSA file needs [Events] with 'Dialogue:' lines"
    example = "00:00:01.000 --> 00:00:04.000" if fmt == "vtt" else "00:00:01,000 --> 00:00:04,000"
    return f"no subtitle cues: expected timing lines like '{example}'"


def _first_content_line(text: str, lines: list[tuple[int, int]]) -> int:
    for n, (s, e) in enumerate(lines, 1):
        if text[s:e].strip(" \t\ufeff"):
            return n
    return 1


def _split_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line's content, line terminators excluded."""
    sep = "\n" if "\n" in text or "\r" not in text else "\r"
    out: list[tuple[int, int]] = []
    pos = 0
    n = len(text)
    while True:
        i = text.find(sep, pos)
        end = n if i == -1 else i
        e = end
        while e > pos and text[e - 1] == "\r":
            e -= 1
        out.append((pos, e))
        if i == -1:
            return out
        pos = i + 1


# --------------------------------------------------------------------------------------
# SRT / WebVTT


def _parse_timestamp(s: str) -> int | None:
    """Milliseconds, with pysubs2's SubRip, WebVTT and short timestamp patterns."""
    m = TIMESTAMP.fullmatch(s)
    if m:
        return timestamp_to_ms(m.groups())
    m = WebVTTFormat.TIMESTAMP.fullmatch(s)
    if m:
        return int(WebVTTFormat.timestamp_to_ms(m.groups()))
    m = TIMESTAMP_SHORT.fullmatch(s)
    if m:
        return timestamp_to_ms(m.groups())
    return None


_TIMING = re.compile(r"[ \t\ufeff]*(\S+?)[ \t]*-->[ \t]*(\S+)(?:[ \t]+.*)?")


def _parse_timing(line: str) -> tuple[int, int] | None:
    m = _TIMING.fullmatch(line)
    if not m:
        return None
    start, end = _parse_timestamp(m.group(1)), _parse_timestamp(m.group(2))
    if start is None or end is None:
        return None
    return start, end


_VTT_BLOCKS = re.compile(r"(?:NOTE|STYLE|REGION)(?:[ \t].*)?")
_NUMBER = re.compile(r"[ \t]*\d+[ \t]*")


def _clip(s: str, n: int = 40) -> str:
    s = s.strip()
    return s if len(s) <= n else s[: n - 1] + "…"


def _scan_blocks(
    text: str, lines: list[tuple[int, int]], fmt: str, doc: Document, problems: _Problems
) -> list[_Cue]:
    content = [text[s:e] for s, e in lines]
    blank = [not c.strip(" \t\ufeff\u200b\f\v") for c in content]
    cues: list[_Cue] = []
    first_block = True
    if fmt == "vtt":
        head = next((c for c, b in zip(content, blank, strict=True) if not b), "")
        if not head.lstrip("\ufeff \t").startswith("WEBVTT"):
            doc.warn(1, "missing 'WEBVTT' header line")
    n = len(lines)
    i = 0
    while i < n:
        if blank[i]:
            i += 1
            continue
        j = i
        while j < n and not blank[j]:
            j += 1
        _scan_block(content, i, j, fmt, first_block, doc, problems, cues, lines)
        first_block = False
        i = j
    return cues


def _scan_block(
    content: list[str],
    a: int,
    b: int,
    fmt: str,
    first_block: bool,
    doc: Document,
    problems: _Problems,
    cues: list[_Cue],
    lines: list[tuple[int, int]],
) -> None:
    first = content[a].lstrip("\ufeff \t")
    if first_block and first.startswith("WEBVTT"):
        header = first[6:].strip(" \t-")
        if header:
            doc.attrs["header"] = header
        a += 1  # the rest of the header block is metadata (Kind:, Language:...)
        while a < b and "-->" not in content[a]:
            a += 1
        if a == b:
            return
        a -= 1 if a - 1 >= 0 and _NUMBER.fullmatch(content[a - 1]) else 0
    if fmt == "vtt" and _VTT_BLOCKS.fullmatch(first.rstrip()):
        return  # NOTE / STYLE / REGION
    arrows = [k for k in range(a, b) if "-->" in content[k]]
    if not arrows:
        if _NUMBER.fullmatch(content[a]):
            problems.skip(a + 1, f"skipped cue {content[a].strip()}: no timing line")
        else:
            problems.skip(a + 1, f"skipped text outside any cue: {_clip(content[a])!r}", cue=False)
        return
    # lines before the first timing line: the last is its id, earlier ones are stray
    if arrows[0] - a > 1:
        problems.skip(a + 1, f"skipped text outside any cue: {_clip(content[a])!r}", cue=False)
    for idx, k in enumerate(arrows):
        nxt = arrows[idx + 1] if idx + 1 < len(arrows) else b
        if idx == 0:
            cue_id = content[k - 1].strip() if k > a else None
        else:
            cue_id = (
                content[k - 1].strip()
                if k - 1 > arrows[idx - 1] and _is_id(content[k - 1])
                else None
            )
        text_end = nxt
        if idx + 1 < len(arrows) and nxt - 1 > k and _is_id(content[nxt - 1]):
            text_end = nxt - 1  # the next cue's number, no blank line between
        timing = _parse_timing(content[k])
        if timing is None:
            problems.skip(k + 1, f"skipped cue: malformed timing line {_clip(content[k])!r}")
            continue
        start, end = timing
        if end < start:
            problems.skip(k + 1, f"skipped cue: it ends before it starts ({_clip(content[k])!r})")
            continue
        cues.append(_Cue(k + 1, start, end, cue_id or None, lines[k + 1 : text_end]))


def _is_id(line: str) -> bool:
    return bool(_NUMBER.fullmatch(line))


# --------------------------------------------------------------------------------------
# ASS / SSA

_SECTION = re.compile(r"\[([^\]]+)\]")


def _scan_ass(
    text: str, lines: list[tuple[int, int]], doc: Document, problems: _Problems
) -> list[_Cue]:
    cues: list[_Cue] = []
    variant = "ass"
    section = ""
    comments = 0
    for n, (s, e) in enumerate(lines, 1):
        raw = text[s:e]
        stripped = raw.strip(" \t\ufeff")
        if not stripped or stripped.startswith(";"):
            continue
        sec = _SECTION.fullmatch(stripped)
        if sec:
            section = sec.group(1).strip().lower()
            if section == "v4 styles":
                variant = "ssa"
            continue
        key, colon, value = stripped.partition(":")
        if not colon:
            continue
        key = key.strip().lower()
        if section == "script info":
            if key == "title" and value.strip() and value.strip() not in ("<untitled>",):
                doc.title = value.strip()
            elif key == "scripttype" and value.strip().lower() == "v4.00":
                variant = "ssa"
            continue
        if key == "comment":
            comments += 1
            continue
        if key != "dialogue":
            continue
        # the Text field starts after the ninth comma
        field_start = s + raw.index(":") + 1
        pos = field_start
        complete = True
        for _ in range(9):
            c = text.find(",", pos, e)
            if c == -1:
                complete = False
                break
            pos = c + 1
        if not complete:
            problems.skip(n, "skipped cue: Dialogue line has fewer than 10 fields")
            continue
        subs = pysubs2.SSAFile()
        try:
            line = "Dialogue:" + stripped.split(":", 1)[1]
            SubstationFormat.from_file(subs, io.StringIO(line), variant)
            ev = subs.events[0]
        except Exception as exc:  # noqa: BLE001 - pysubs2 raises several kinds; skip the cue
            reason = " ".join(str(exc).split()) or type(exc).__name__
            problems.skip(n, f"skipped cue: malformed Dialogue line ({_clip(reason, 60)})")
            continue
        if ev.start < 0 or ev.end < ev.start:
            problems.skip(n, "skipped cue: negative time or end before start")
            continue
        ts, te = pos, e
        while te > ts and text[te - 1] in " \t\r":
            te -= 1
        cues.append(
            _Cue(
                n,
                ev.start,
                ev.end,
                text_field=(ts, te),
                name=ev.name.strip() or None,
                style=ev.style.strip() or None,
            )
        )
    if comments:
        doc.attrs["comments"] = comments
    return cues


# --------------------------------------------------------------------------------------
# Elements and scenes


def _cue_parts(text: str, cue: _Cue) -> list[Part]:
    if cue.text_field is not None:
        ts, te = cue.text_field
        return split_cue(text, clean_ass_text(text, ts, te), ts, te)
    if not cue.lines:
        return []
    mapped, voices = clean_html_lines(text, cue.lines)
    return split_cue(text, mapped, cue.lines[0][0], cue.lines[-1][1], voices)


def _build(doc: Document, text: str, cues: list[_Cue], fmt: str, gap: float) -> None:
    index = LineIndex(text)
    scenes: list[list[Element]] = []
    last_end: float | None = None
    empty = 0
    for number, cue in enumerate(cues, 1):
        parts = _cue_parts(text, cue)
        if not parts:
            empty += 1
            continue
        start, end = cue.start_ms / 1000, cue.end_ms / 1000
        spoken = sum(1 for p in parts if p.kind == "subtitle")
        elements = []
        for p in parts:
            attrs: dict[str, Any] = {"cue": number}
            if cue.cue_id:
                attrs["cue_id"] = cue.cue_id
            if cue.style:
                attrs["style"] = cue.style
            attrs.update(p.attrs)
            speaker = p.speaker
            if cue.name:
                attrs["name_field"] = cue.name
                if speaker is None and spoken <= 1 and not _typesetting_label(cue.name):
                    speaker = cue.name
                    attrs.setdefault("speaker_source", "name_field")
            elements.append(
                Element(
                    _KINDS[p.kind],
                    p.text,
                    index.span(p.start, p.end, start, end),
                    speaker=speaker,
                    extension=p.extension,
                    attrs=attrs,
                )
            )
        elements.sort(key=lambda el: (el.span.start_char, -el.span.end_char))
        if not scenes or (last_end is not None and start - last_end >= gap):
            scenes.append([])
        scenes[-1].extend(elements)
        last_end = end if last_end is None else max(last_end, end)
    doc.scenes = [Scene(index=i, elements=els) for i, els in enumerate(scenes)]
    doc.attrs["cues"] = len(cues)
    if empty:
        doc.attrs["empty_cues"] = empty
    if not scenes:
        doc.warn(None, "no subtitle text: every cue is empty")


# Labels fansubs and typesetters write in the ASS Name field for on-screen text and songs
# (the short ones only in capitals: "ED" is the ending song, "Ed" a person; "Song" is
# left out, it is also a surname).
_TYPESETTING_LABELS = frozenset(
    [
        "sign",
        "signs",
        "title",
        "titles",
        "opening",
        "ending",
        "karaoke",
        "lyrics",
        "lyric",
        "note",
        "notes",
        "tlnote",
        "tlc",
        "translation",
        "typeset",
        "typesetting",
        "credits",
        "credit",
        "caption",
        "captions",
        "onscreen",
        "eyecatch",
        "preview",
        "logo",
    ]
)
_TYPESETTING_CAPS = frozenset({"OP", "ED", "TL", "TS", "KFX", "INSERT", "TEXT", "SONG"})


def _typesetting_label(name: str) -> bool:
    """Is an ASS Name field a typesetting label ("Sign", "TL Note", "OP") rather than a
    speaker?"""
    words = [w for w in re.split(r"[\s_\-.:]+", name.strip()) if w]
    return bool(words) and all(
        w.lower() in _TYPESETTING_LABELS or w in _TYPESETTING_CAPS or w.isdigit() for w in words
    )
