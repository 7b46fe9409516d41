"""The article a report renders: plain data, built by :mod:`.build`, rendered by the formats.

Every claim is a :class:`Sentence` carrying the numbers of the :class:`Evidence` it rests
on; the HTML, Markdown and terminal renderers print the same sentences.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    refs: tuple[int, ...] = ()


@dataclass(slots=True)
class Evidence:
    """One quoted source passage; anchor ``ev-N`` in the HTML evidence panel."""

    n: int
    quote: str  # the source text (shortened when long), verbatim otherwise
    start_line: int | None
    end_line: int | None
    start_time: str | None  # display form, e.g. "41:14"
    end_time: str | None
    truncated: bool = False

    @property
    def anchor(self) -> str:
        return f"ev-{self.n}"

    @property
    def where(self) -> str:
        parts: list[str] = []
        if self.start_line is not None:
            if self.end_line is not None and self.end_line != self.start_line:
                parts.append(f"lines {self.start_line}–{self.end_line}")
            else:
                parts.append(f"line {self.start_line}")
        if self.start_time is not None:
            if self.end_time is not None and self.end_time != self.start_time:
                parts.append(f"{self.start_time}–{self.end_time}")
            else:
                parts.append(self.start_time)
        return ", ".join(parts)


@dataclass(slots=True)
class Quote:
    """The pull quote: the key line, its speaker and its evidence."""

    intro: Sentence | None
    text: str
    speaker: str | None
    refs: tuple[int, ...]


@dataclass(slots=True)
class Chart:
    """An inline SVG chart: ``template`` rendered with ``ctx``; ``desc`` is its alt text."""

    id: str
    kind: str  # tension | arcs | dialogue | graph | strip
    title: str
    desc: str
    template: str
    ctx: dict[str, Any]
    text_lines: list[str] = field(default_factory=list)  # terminal rendering
    # HTML legend under the SVG: {"kind": line|dash|dot|box|glyph|gradient, "label", ...}
    legend: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class Table:
    caption: str
    header: list[str]
    rows: list[list[str]]
    refs: list[tuple[int, ...]] = field(default_factory=list)  # per row
    numeric: tuple[int, ...] = ()  # columns of numbers (aligned right)


@dataclass(slots=True)
class Block:
    kind: str  # para | list | olist | quote | chart | note | table | watch
    sentences: list[Sentence] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)  # olist: one tag per item (beat function)
    quote: Quote | None = None
    chart: Chart | None = None
    table: Table | None = None
    link: tuple[str, str] | None = None  # watch: (label, href)


@dataclass(slots=True)
class Section:
    id: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ShareLink:
    network: str  # facebook | x | whatsapp
    label: str
    href: str


@dataclass(frozen=True, slots=True)
class Slot:
    """An empty place the web app fills (the related quiz, the comments)."""

    id: str  # quiz | comments
    title: str
    note: str  # says, visibly, that the slot is empty in a static report


@dataclass(slots=True)
class Article:
    headline: str
    dek: Sentence | None
    spoiler: str
    sections: list[Section]
    evidence: list[Evidence]
    share: list[ShareLink]
    page_url: str | None
    watch: tuple[str, str] | None  # (label, href)
    slots_note: str
    source_label: str
    kind: str  # scene | document
    scene_id: str | None = None
    kicker: str = ""  # the line above the headline: the work, episode, scene number
    slots: list[Slot] = field(default_factory=list)

    def sentences(self) -> list[Sentence]:
        """Every generated sentence, in reading order (dek first)."""
        out: list[Sentence] = [self.dek] if self.dek else []

        def walk(sec: Section) -> None:
            for b in sec.blocks:
                if b.quote is not None and b.quote.intro is not None:
                    out.append(b.quote.intro)
                out.extend(b.sentences)
            for sub in sec.subsections:
                walk(sub)

        for s in self.sections:
            walk(s)
        return out

    def charts(self) -> list[Chart]:
        out: list[Chart] = []

        def walk(sec: Section) -> None:
            out.extend(b.chart for b in sec.blocks if b.chart is not None)
            for sub in sec.subsections:
                walk(sub)

        for s in self.sections:
            walk(s)
        return out
