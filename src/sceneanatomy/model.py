"""The one document model: Document -> Scenes -> Elements, each with an exact source Span.

Every reader produces a :class:`Document`; every analysis stage reads and annotates it;
every renderer reads only it. ``document.source_text[span.start_char:span.end_char]`` is
always exactly the source text an element came from (for PDF the "source text" is the
text layer we extracted, for FDX it is the XML itself).
"""

from __future__ import annotations

import bisect
from dataclasses import MISSING, dataclass, field
from enum import StrEnum
from typing import Any


class ElementKind(StrEnum):
    SCENE_HEADING = "scene_heading"
    ACTION = "action"
    CHARACTER = "character"
    DIALOGUE = "dialogue"
    PARENTHETICAL = "parenthetical"
    TRANSITION = "transition"
    LYRIC = "lyric"
    CENTERED = "centered"
    SECTION = "section"
    SYNOPSIS = "synopsis"
    NOTE = "note"
    PAGE_BREAK = "page_break"
    SUBTITLE = "subtitle"
    NARRATION = "narration"
    SOUND = "sound"


@dataclass(frozen=True, slots=True)
class Span:
    """A region of the decoded source. Lines are 1-based and inclusive; chars are offsets."""

    start_line: int
    end_line: int
    start_char: int
    end_char: int
    start_time: float | None = None  # seconds, for timed sources
    end_time: float | None = None

    def text(self, source: str) -> str:
        return source[self.start_char : self.end_char]

    def to_dict(self, source: str) -> dict[str, Any]:
        return {
            "start_line": self.start_line,
            "end_line": self.end_line,
            "start_char": self.start_char,
            "end_char": self.end_char,
            "start_time": format_time(self.start_time),
            "end_time": format_time(self.end_time),
            "text": self.text(source),
        }


_SPAN_FIELDS = ("start_line", "end_line", "start_char", "end_char", "start_time", "end_time")


class _SpanSlots:
    """Span's slot layout without the frozen ``__setattr__`` (see :func:`make_span`)."""

    __slots__ = _SPAN_FIELDS


def make_span(start_line: int, end_line: int, start_char: int, end_char: int) -> Span:
    """``Span(start_line, end_line, start_char, end_char)``, about three times cheaper.

    For readers that make tens of thousands of spans: a frozen dataclass's ``__init__``
    goes through ``object.__setattr__`` for every field. This fills the slots of a plain
    twin class with the same layout and then makes the object a Span (``__class__``
    assignment between classes with identical slots): the result is an ordinary Span.
    """
    sp = _SpanSlots()
    sp.start_line = start_line
    sp.end_line = end_line
    sp.start_char = start_char
    sp.end_char = end_char
    sp.start_time = None
    sp.end_time = None
    sp.__class__ = Span  # type: ignore[assignment]
    return sp  # type: ignore[return-value]


def make_timed_span(
    start_line: int,
    end_line: int,
    start_char: int,
    end_char: int,
    start_time: float | None,
    end_time: float | None,
) -> Span:
    """``Span(...)`` with its times, as cheap as :func:`make_span` (for stages that make a
    span per mention)."""
    sp = _SpanSlots()
    sp.start_line = start_line
    sp.end_line = end_line
    sp.start_char = start_char
    sp.end_char = end_char
    sp.start_time = start_time
    sp.end_time = end_time
    sp.__class__ = Span  # type: ignore[assignment]
    return sp  # type: ignore[return-value]


def _make_span_plain(start_line: int, end_line: int, start_char: int, end_char: int) -> Span:
    return Span(start_line, end_line, start_char, end_char)


def _make_timed_span_plain(
    start_line: int,
    end_line: int,
    start_char: int,
    end_char: int,
    start_time: float | None,
    end_time: float | None,
) -> Span:
    return Span(start_line, end_line, start_char, end_char, start_time, end_time)


def format_time(seconds: float | None) -> str | None:
    """Seconds -> ``HH:MM:SS.mmm`` (the contract's time format)."""
    if seconds is None:
        return None
    ms = round(seconds * 1000)
    h, rem = divmod(ms, 3_600_000)
    m, rem = divmod(rem, 60_000)
    s, ms = divmod(rem, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


class LineIndex:
    """Maps character offsets of a text to 1-based line numbers (``\\n`` ends a line)."""

    __slots__ = ("_starts", "_len")

    def __init__(self, text: str) -> None:
        starts = [0]
        find = text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self._starts = starts
        self._len = len(text)

    @property
    def line_count(self) -> int:
        return len(self._starts)

    def line_of(self, offset: int) -> int:
        """1-based line containing ``offset``."""
        return bisect.bisect_right(self._starts, offset)

    def line_start(self, line: int) -> int:
        """Offset of the first character of 1-based ``line``."""
        return self._starts[line - 1]

    def span(
        self,
        start_char: int,
        end_char: int,
        start_time: float | None = None,
        end_time: float | None = None,
    ) -> Span:
        """A Span for ``[start_char, end_char)``; an empty span sits on its start line."""
        start_line = self.line_of(start_char)
        end_line = self.line_of(max(start_char, end_char - 1))
        return Span(start_line, end_line, start_char, end_char, start_time, end_time)


@dataclass(slots=True)
class Element:
    """One unit of the source: a heading, an action paragraph, a cue, a dialogue line...

    ``text`` is the cleaned text (markup removed, lines joined as the format says);
    ``span`` covers the raw source the element came from.
    """

    kind: ElementKind
    text: str
    span: Span
    speaker: str | None = None  # the speaker as the source writes it (cue without extension)
    extension: str | None = None  # e.g. "V.O.", "O.S.", "CONT'D"
    dual: bool = False
    attrs: dict[str, Any] = field(default_factory=dict)
    # Written by analysis stages (never by readers):
    speaker_id: str | None = None  # resolved Character.id of the speaker
    addressee_id: str | None = None  # resolved Character.id of the person spoken to
    attribution: Attribution | None = None  # how speaker/addressee were decided

    def to_dict(self, source: str) -> dict[str, Any]:
        d: dict[str, Any] = {"kind": self.kind.value, "text": self.text}
        if self.speaker is not None:
            d["speaker"] = self.speaker
        if self.extension is not None:
            d["extension"] = self.extension
        if self.dual:
            d["dual"] = True
        if self.attrs:
            d["attrs"] = dict(sorted(self.attrs.items()))
        if self.speaker_id is not None:
            d["speaker_id"] = self.speaker_id
        if self.addressee_id is not None:
            d["addressee_id"] = self.addressee_id
        if self.attribution is not None:
            d["attribution"] = self.attribution.to_dict(source)
        d["span"] = self.span.to_dict(source)
        return d


_ELEMENT_FIELDS = (
    "kind",
    "text",
    "span",
    "speaker",
    "extension",
    "dual",
    "attrs",
    "speaker_id",
    "addressee_id",
    "attribution",
)
_new = object.__new__


def make_element(
    kind: ElementKind,
    text: str,
    start_line: int,
    end_line: int,
    start_char: int,
    end_char: int,
    speaker: str | None = None,
    extension: str | None = None,
) -> Element:
    """``Element(kind, text, Span(start_line, end_line, start_char, end_char), speaker,
    extension)`` for readers that make tens of thousands of elements: the slots are filled
    directly (see :func:`make_span`), which costs about half as much. The result is an
    ordinary Element; if the classes change, this falls back to their constructors."""
    sp = _SpanSlots()
    sp.start_line = start_line
    sp.end_line = end_line
    sp.start_char = start_char
    sp.end_char = end_char
    sp.start_time = None
    sp.end_time = None
    sp.__class__ = Span  # type: ignore[assignment]
    el = _new(Element)
    el.kind = kind
    el.text = text
    el.span = sp  # type: ignore[assignment]
    el.speaker = speaker
    el.extension = extension
    el.dual = False
    el.attrs = {}
    el.speaker_id = None
    el.addressee_id = None
    el.attribution = None
    return el  # type: ignore[no-any-return]


def _make_element_plain(
    kind: ElementKind,
    text: str,
    start_line: int,
    end_line: int,
    start_char: int,
    end_char: int,
    speaker: str | None = None,
    extension: str | None = None,
) -> Element:
    return Element(kind, text, Span(start_line, end_line, start_char, end_char), speaker, extension)


_ELEMENT_DEFAULTS = [
    ("dual", False),
    ("attrs", dict),
    ("speaker_id", None),
    ("addressee_id", None),
    ("attribution", None),
]


def _layout_as_expected() -> bool:
    """make_span / make_element fill exactly these slots with exactly these defaults."""
    from dataclasses import fields

    defaults = [
        (f.name, f.default if f.default_factory is MISSING else f.default_factory)
        for f in fields(Element)[5:]
    ]
    return (
        getattr(Span, "__slots__", None) == _SPAN_FIELDS
        and getattr(Element, "__slots__", None) == _ELEMENT_FIELDS
        and defaults == _ELEMENT_DEFAULTS
    )


if not _layout_as_expected():  # the classes changed: their constructors know how
    make_span = _make_span_plain  # noqa: F811
    make_timed_span = _make_timed_span_plain  # noqa: F811
    make_element = _make_element_plain  # noqa: F811


@dataclass(slots=True)
class Attribution:
    """Why an analysis stage gave an element its speaker / addressee, and how sure it is."""

    speaker_confidence: float | None = None  # 0..1; None when the source states the speaker
    speaker_rule: str | None = None  # e.g. "cue", "said-verb", "vocative", "turn-taking"
    addressee_confidence: float | None = None
    addressee_rule: str | None = None
    evidence: list[Span] = field(default_factory=list)

    def to_dict(self, source: str) -> dict[str, Any]:
        return {
            "speaker_confidence": self.speaker_confidence,
            "speaker_rule": self.speaker_rule,
            "addressee_confidence": self.addressee_confidence,
            "addressee_rule": self.addressee_rule,
            "evidence": [e.to_dict(source) for e in self.evidence],
        }


@dataclass(slots=True)
class Mention:
    """A place in the source that refers to a character: a cue, a name, a pronoun..."""

    span: Span
    surface: str  # the text as written
    kind: str  # "cue" | "speaker" | "name" | "vocative" | "pronoun" | "actor"
    character_id: str | None = None
    confidence: float = 1.0
    scene_index: int | None = None


@dataclass(slots=True)
class Character:
    """A person of the story, with every surface form the source uses for them."""

    id: str  # stable slug, e.g. "han-seo-jun"
    name: str  # the fullest form the source uses
    aliases: list[str] = field(default_factory=list)  # every surface form, name included
    actors: list[str] = field(default_factory=list)
    gender: str = "unknown"  # "female" | "male" | "unknown"
    gender_evidence: list[Span] = field(default_factory=list)
    role: str = "unknown"  # "lead" | "second-lead" | "supporting" | "minor" | "unknown"
    mentions: list[Mention] = field(default_factory=list)
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Relationship:
    """A directed edge of the relationship ledger: what ``from_id`` feels / is for ``to_id``.

    ``kind``: romantic | platonic | family | rivalry | other; ``requited``: yes | no |
    unknown (whether ``to_id`` returns a romantic edge); ``basis``: stated (a sentence or
    line says it) | implied (inferred, e.g. from jealousy or a near-kiss). ``subtype`` says
    more when the text does ("parent" = ``to_id`` is ``from_id``'s parent, "spouse",
    "crush", "friend", "classmate", "love-rival", "likes"...). ``evidence`` holds the
    sentences / lines it was read from; ``cues`` the words that triggered it.
    """

    from_id: str
    to_id: str
    kind: str  # "romantic" | "platonic" | "family" | "rivalry" | "other"
    requited: str = "unknown"  # "yes" | "no" | "unknown"
    basis: str = "implied"  # "stated" | "implied"
    evidence: list[Span] = field(default_factory=list)
    subtype: str | None = None
    scene_index: int | None = None  # the scene where it was first read
    confidence: float = 0.0
    cues: list[str] = field(default_factory=list)
    requited_evidence: list[Span] = field(default_factory=list)  # what decided ``requited``
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class RelationshipChange:
    """One change a scene made to the ledger: an edge appears, or a field flips."""

    from_id: str
    to_id: str
    kind: str
    aspect: str  # "edge" (it appears: ``after`` is its basis) | "requited" | "basis"
    before: str | None  # None for a new edge
    after: str
    note: str | None = None  # e.g. "confession", "rejection", "mutual", "second-lead"
    evidence: list[Span] = field(default_factory=list)
    subtype: str | None = None  # the edge's subtype ("love", "friend", "parent"...)


@dataclass(slots=True)
class Scene:
    index: int  # 0-based position in the document
    elements: list[Element]
    heading: str | None = None
    location: str | None = None
    time_of_day: str | None = None
    interior: bool | None = None  # True INT, False EXT, None unknown or both
    int_ext: str | None = None  # "INT", "EXT", "INT/EXT" as written, normalised
    number: str | None = None  # scene number as written (#1#, "12A", FDX Number)
    attrs: dict[str, Any] = field(default_factory=dict)  # e.g. fdx_length_eighths, page
    # Written by the relationships stage: how this scene changed the ledger (before → after)
    relationship_changes: list[RelationshipChange] = field(default_factory=list)
    # Written by the tropes stage: the in-story tropes of this scene, with evidence
    tropes: list[TropeHit] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"s{self.index + 1}"

    @property
    def span(self) -> Span | None:
        if not self.elements:
            return None
        first = self.elements[0].span
        starts = [e.span.start_time for e in self.elements if e.span.start_time is not None]
        ends = [e.span.end_time for e in self.elements if e.span.end_time is not None]
        return Span(
            first.start_line,
            max(e.span.end_line for e in self.elements),
            first.start_char,
            max(e.span.end_char for e in self.elements),
            min(starts) if starts else None,
            max(ends) if ends else None,
        )


def make_scene(
    index: int,
    elements: list[Element],
    heading: str | None = None,
    location: str | None = None,
    time_of_day: str | None = None,
    interior: bool | None = None,
    int_ext: str | None = None,
    number: str | None = None,
) -> Scene:
    """``Scene(index, elements, heading, location, time_of_day, interior, int_ext, number)``
    with its slots filled directly (see :func:`make_element`): the readers make thousands."""
    sc = _new(Scene)
    sc.index = index
    sc.elements = elements
    sc.heading = heading
    sc.location = location
    sc.time_of_day = time_of_day
    sc.interior = interior
    sc.int_ext = int_ext
    sc.number = number
    sc.attrs = {}
    sc.relationship_changes = []
    sc.tropes = []
    return sc  # type: ignore[no-any-return]


def _make_scene_plain(
    index: int,
    elements: list[Element],
    heading: str | None = None,
    location: str | None = None,
    time_of_day: str | None = None,
    interior: bool | None = None,
    int_ext: str | None = None,
    number: str | None = None,
) -> Scene:
    return Scene(index, elements, heading, location, time_of_day, interior, int_ext, number)


def _scene_layout_as_expected() -> bool:
    """make_scene fills exactly Scene's slots, the last three with these defaults."""
    from dataclasses import fields

    fs = fields(Scene)
    return [f.name for f in fs] == [
        "index",
        "elements",
        "heading",
        "location",
        "time_of_day",
        "interior",
        "int_ext",
        "number",
        "attrs",
        "relationship_changes",
        "tropes",
    ] and all(f.default_factory in (dict, list) for f in fs[8:])


if not _scene_layout_as_expected():  # Scene changed: its constructor knows how
    make_scene = _make_scene_plain  # noqa: F811


@dataclass(slots=True)
class TropeHit:
    """A trope the text shows, as a relation over characters (written by the tropes stage).

    ``roles`` maps a role of the trope (agent, patient, experiencer, ...) to a Character.id;
    ``category`` is "in-story" (an event of the story) or "audience" (a viewers' term such
    as "second lead syndrome", kept in ``Document.audience_tropes``); ``variant`` is
    straight | subverted | parodied, only from explicit words in the text.
    """

    id: str  # the catalogue id, e.g. "wall-pin"
    name: str
    category: str = "in-story"  # "in-story" | "audience"
    variant: str = "straight"  # "straight" | "subverted" | "parodied"
    consent_flag: bool = False
    consent_note: str | None = None
    roles: dict[str, str] = field(default_factory=dict)
    evidence: list[Span] = field(default_factory=list)
    confidence: float = 0.0
    rule: str = ""  # which catalogue pattern matched
    scene_index: int | None = None
    attrs: dict[str, Any] = field(default_factory=dict)  # e.g. {"type": "first"} for a kiss

    def to_dict(self, source: str) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "category": self.category,
            "variant": self.variant,
            "consent_flag": self.consent_flag,
            "consent_note": self.consent_note,
            "roles": dict(self.roles),
            "confidence": self.confidence,
            "rule": self.rule,
            "attrs": dict(sorted(self.attrs.items())),
            "evidence": [e.to_dict(source) for e in self.evidence],
        }


@dataclass(slots=True)
class Warning_:
    """A problem the reader recovered from. ``line`` is 1-based when known."""

    line: int | None
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "message": self.message}


@dataclass(slots=True)
class Document:
    source_text: str
    source_format: str  # fountain|fdx|pdf|screenplay-text|srt|vtt|ass|prose
    path: str | None = None
    encoding: str | None = None
    title: str | None = None
    episode: int | None = None
    title_page: dict[str, str] = field(default_factory=dict)
    scenes: list[Scene] = field(default_factory=list)
    # Elements that belong to the page, not the story (share widgets, "ALSO READ", notes
    # before the title page...). Kept with their spans, never analysed as narrative.
    furniture: list[Element] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)
    attrs: dict[str, Any] = field(default_factory=dict)
    # Written by analysis stages:
    characters: list[Character] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    # Written by the tropes stage: viewers' terms (second lead syndrome, "Team X", ships)
    audience_tropes: list[TropeHit] = field(default_factory=list)

    def character(self, character_id: str) -> Character | None:
        for c in self.characters:
            if c.id == character_id:
                return c
        return None

    def elements(self) -> list[Element]:
        return [e for s in self.scenes for e in s.elements]

    def warn(self, line: int | None, message: str) -> None:
        self.warnings.append(Warning_(line, message))
