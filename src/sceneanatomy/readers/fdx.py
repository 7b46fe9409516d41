"""Final Draft (.fdx) reader.

The source text of an FDX document is the XML itself, so every element's span points at
the raw text of its paragraph's ``<Text>`` runs: from the first run's content start to the
last run's content end, markup and entity references included (``&amp;`` stays ``&amp;``
in the span, becomes ``&`` in ``Element.text``).

Parsing is done by defusedxml's ElementTree parser (entity declarations, hence
billion-laughs bombs, and external references are refused). ElementTree hands out no
offsets, so the reader drives that parser with its own *target*: at each start/end event
it reads the expat byte position of the tag (``parser.parser.CurrentByteIndex``, in the
UTF-8 encoding of the text we fed it) and maps it to a character offset of the decoded
text. This is exact for any well-formed document, whatever its indentation, attribute
quoting, CDATA or comments, where a regex pass over raw XML would have to re-implement
XML tokenising.

Choices (Final Draft paragraph ``Type`` -> :class:`ElementKind`):

- ``Scene Heading`` -> scene heading; its ``Number`` attribute -> ``attrs["scene_number"]``
  (``scenes.group_by_headings`` copies it to ``Scene.number``); its ``SceneProperties``
  -> ``scene.attrs["fdx_length_eighths"]`` (int), ``["fdx_page"]``, ``["fdx_title"]``
  and the ``CharacterArcBeat`` names -> ``["fdx_cast"]``.
- ``Action`` and ``General`` -> action (``Alignment="Center"`` -> centered).
- ``Shot`` -> action with ``attrs["shot"] = True``. Final Draft does not number, measure
  or list shots as scenes (``SceneProperties`` sit on scene headings only), so a shot such
  as ``CLOSE ON THE KEYS`` stays inside the scene it belongs to.
- ``Character`` -> cue, split like the Fountain model: ``JIM (V.O.) (CONT'D)`` gives
  speaker ``JIM``, extension ``V.O.``, ``attrs["contd"] = True``,
  ``attrs["extensions_raw"]`` the groups as written. ``Dialogue``, ``Parenthetical`` and
  ``Lyrics`` take the speaker and extension of the preceding cue.
- ``Transition`` -> transition; ``Lyrics``/``Lyric``/``Song`` -> lyric.
- ``New Act``, ``End of Act``, ``Act Break``, ``Teaser``, ``Cold Open``, ``Outline N``...
  -> section; ``Outline Body``/``Summary`` -> synopsis; ``Note`` -> note.
- ``Cast List`` -> action with ``attrs["cast_list"] = True``.
- Paragraphs inside ``<DualDialogue>`` get ``dual=True``; their cues get ``attrs["dual"]``
  = ``"left"`` (the first cue of the block) or ``"right"``, as in the Fountain reader.
- Any other type is read as action, with one warning per unknown type.
- Empty paragraphs (no text, or only whitespace) are layout spacing and are skipped.
- Title page (``<TitlePage><Content>``): its paragraphs go to ``doc.furniture`` (with
  spans, ``attrs["title_page"] = True``) and to ``doc.title_page`` (keys ``title``,
  ``credit``, ``author``, ``contact``); ``doc.title`` is the paragraph before the
  "Written by" line, else the first centered paragraph, else the first one.
- An FDX whose ``<Content>`` holds no text is read as a Document with no scenes and a
  warning (a title-page-only file is a valid Final Draft document); a root element other
  than ``<FinalDraft>`` is a ParseError.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from defusedxml.ElementTree import ParseError as XMLParseError

from ..errors import ParseError
from ..model import Document, Element, ElementKind, LineIndex, Span
from ..scenes import group_by_headings

if TYPE_CHECKING:
    from . import Source

_WS = "[ \t\r\n]"
# A start tag at a known position: name, attributes (values may hold ">"), optional "/".
_START_TAG = re.compile(
    rf"<[^ \t\r\n/>]+(?:{_WS}+[^ \t\r\n=/>]+{_WS}*={_WS}*(?:\"[^\"]*\"|'[^']*'))*{_WS}*(/?)>"
)
_EXTENSION = re.compile(r"\s*\(([^()]*)\)\s*$")
_CONTD = re.compile(r"^\s*cont(?:['’`]?\s*d|inued|\.)?\.?\s*$", re.IGNORECASE)
_CREDIT = re.compile(
    r"^\s*(?:(?:written|screenplay|teleplay|story|script)(?:\s+\w+)?\s+by|by)\s*:?\s*$",
    re.IGNORECASE,
)
_LENGTH = re.compile(r"^\s*(?:(\d+)(?:\s+(\d+)\s*/\s*(\d+))?|(\d+)\s*/\s*(\d+))\s*$")

_KINDS: dict[str, ElementKind] = {
    "scene heading": ElementKind.SCENE_HEADING,
    "action": ElementKind.ACTION,
    "general": ElementKind.ACTION,
    "shot": ElementKind.ACTION,
    "cast list": ElementKind.ACTION,
    "character": ElementKind.CHARACTER,
    "dialogue": ElementKind.DIALOGUE,
    "parenthetical": ElementKind.PARENTHETICAL,
    "transition": ElementKind.TRANSITION,
    "lyrics": ElementKind.LYRIC,
    "lyric": ElementKind.LYRIC,
    "song": ElementKind.LYRIC,
    "new act": ElementKind.SECTION,
    "end of act": ElementKind.SECTION,
    "act break": ElementKind.SECTION,
    "new scene": ElementKind.SECTION,
    "teaser": ElementKind.SECTION,
    "end of teaser": ElementKind.SECTION,
    "cold open": ElementKind.SECTION,
    "tag": ElementKind.SECTION,
    "outline body": ElementKind.SYNOPSIS,
    "summary": ElementKind.SYNOPSIS,
    "note": ElementKind.NOTE,
}
# Types whose name is also the element kind's usual source; others are recorded in attrs.
_CANONICAL = {"scene heading", "action", "character", "dialogue", "parenthetical", "transition"}
_SINGLE_LINE = {ElementKind.SCENE_HEADING, ElementKind.CHARACTER, ElementKind.TRANSITION}
_IN_DIALOGUE = {ElementKind.DIALOGUE, ElementKind.PARENTHETICAL, ElementKind.LYRIC}


@dataclass(slots=True)
class _Run:
    start: int  # char offset of the run's content
    end: int
    text: str  # XML-unescaped content
    style: str


@dataclass(slots=True)
class _Para:
    where: str  # "body" or "title"
    start: int  # char offset of "<Paragraph"
    attrs: dict[str, str]
    dual: int | None = None  # DualDialogue block number
    runs: list[_Run] = field(default_factory=list)
    props: dict[str, str] | None = None  # SceneProperties attributes
    cast: list[str] = field(default_factory=list)


class _Offsets:
    """UTF-8 byte offsets (what expat reports for text fed as str) -> str offsets."""

    def __init__(self, text: str) -> None:
        self._data = text.encode("utf-8", "surrogatepass")
        self._ascii = len(self._data) == len(text)
        self._byte = 0
        self._char = 0

    def char(self, byte: int) -> int:
        if self._ascii or byte <= 0:
            return max(byte, 0)
        if byte < self._byte:
            self._byte = self._char = 0
        self._char += len(self._data[self._byte : byte].decode("utf-8", "replace"))
        self._byte = byte
        return self._char


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


class _Target:
    """ElementTree parser target collecting paragraphs, runs and their source offsets."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.offsets = _Offsets(text)
        self.parser: DefusedXMLParser | None = None
        self.stack: list[tuple[str, _Para | None]] = []
        self.root: str | None = None
        self.root_start = 0
        self.root_attrs: dict[str, str] = {}
        self.paras: list[_Para] = []
        self.has_content = False
        self._dual = 0
        self._dual_depth: int | None = None
        self._run: tuple[int, int, _Para, list[str], str] | None = None  # depth, start, ...

    def _pos(self) -> int:
        assert self.parser is not None
        return self.offsets.char(self.parser.parser.CurrentByteIndex)

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        name = _local(tag)
        path = [n for n, _ in self.stack]
        para: _Para | None = None
        if not self.stack:
            self.root, self.root_start, self.root_attrs = name, self._pos(), dict(attrib)
        elif name == "Paragraph":
            where = None
            if path == ["FinalDraft", "Content"] or (
                path[-1:] == ["DualDialogue"]
                and path[:2] == ["FinalDraft", "Content"]
                and len(path) in (3, 4)
                and (len(path) == 3 or path[2] == "Paragraph")
            ):
                where = "body"
            elif path == ["FinalDraft", "TitlePage", "Content"]:
                where = "title"
            if where is not None:
                para = _Para(where, self._pos(), {_local(k): v for k, v in attrib.items()})
                if where == "body" and self._dual_depth is not None:
                    para.dual = self._dual
                self.paras.append(para)
        elif name == "Content" and path == ["FinalDraft"]:
            self.has_content = True
        elif name == "DualDialogue" and path[:2] == ["FinalDraft", "Content"] and len(path) <= 3:
            self._dual += 1
            self._dual_depth = len(self.stack)
        elif name == "Text" and self.stack[-1][1] is not None:
            owner = self.stack[-1][1]
            pos = self._pos()
            m = _START_TAG.match(self.text, pos)
            content = m.end() if m else self.text.find(">", pos) + 1
            style = attrib.get("Style", "")
            if m and m.group(1):  # <Text/>: an empty run
                owner.runs.append(_Run(content, content, "", style))
            else:
                self._run = (len(self.stack), content, owner, [], style)
        elif name == "SceneProperties" and self.stack[-1][1] is not None:
            self.stack[-1][1].props = {_local(k): v for k, v in attrib.items()}
        elif name == "CharacterArcBeat" and "SceneProperties" in path:
            owner = next((p for _, p in reversed(self.stack) if p is not None), None)
            beat = attrib.get("Name", "").strip()
            if owner is not None and beat and beat not in owner.cast:
                owner.cast.append(beat)
        self.stack.append((name, para))

    def data(self, text: str) -> None:
        if self._run is not None and self._run[0] == len(self.stack) - 1:
            self._run[3].append(text)

    def end(self, tag: str) -> None:
        self.stack.pop()
        depth = len(self.stack)
        if self._run is not None and self._run[0] == depth:
            _, start, owner, parts, style = self._run
            owner.runs.append(_Run(start, max(start, self._pos()), "".join(parts), style))
            self._run = None
        if self._dual_depth is not None and self._dual_depth == depth:
            self._dual_depth = None

    def close(self) -> None:
        return None


def _parse(text: str) -> _Target:
    target = _Target(text)
    parser = DefusedXMLParser(target=target)
    target.parser = parser
    index = LineIndex(text)

    def line_at(byte: int, fallback: int | None) -> int | None:
        if byte is not None and byte >= 0:
            try:
                return index.line_of(_Offsets(text).char(byte))
            except (ValueError, IndexError):
                return fallback
        return fallback

    try:
        parser.feed(text)
        parser.close()
    except XMLParseError as exc:
        pos = getattr(exc, "position", None)
        fallback = pos[0] if pos else None
        detail = str(exc)
        byte = getattr(parser.parser, "ErrorByteIndex", -1)
        raise ParseError(f"malformed XML: {detail}", line=line_at(byte, fallback)) from None
    except DefusedXmlException as exc:
        byte = getattr(parser.parser, "CurrentByteIndex", -1)
        line = line_at(byte, getattr(parser.parser, "CurrentLineNumber", None))
        raise ParseError(
            f"malformed XML: {exc} (entity declarations, DTD tricks and external references "
            "are refused to protect against XML bombs)",
            line=line,
        ) from None
    except (ValueError, UnicodeError, OverflowError) as exc:
        raise ParseError(f"malformed XML: {exc}", line=None) from None
    return target


def split_cue(text: str) -> tuple[str, str | None, bool, list[str]]:
    """``JIM (V.O.) (CONT'D)`` -> ``("JIM", "V.O.", True, ["(V.O.)", "(CONT'D)"])``.

    As in the Fountain reader: the extension is the first group that is not CONT'D, and
    the groups as written are returned too (for ``attrs["extensions_raw"]``).
    """
    name = text
    raw: list[str] = []
    while True:
        m = _EXTENSION.search(name)
        if not m or not name[: m.start()].strip():
            break
        raw.insert(0, m.group(0).strip())
        name = name[: m.start()]
    contd = False
    extension: str | None = None
    for group in raw:
        inner = " ".join(group[1:-1].split())
        if _CONTD.match(inner):
            contd = True
        elif extension is None and inner:
            extension = inner
    return name.strip(), extension, contd, raw


def _clean(text: str, kind: ElementKind) -> str:
    if kind in _SINGLE_LINE:
        return " ".join(text.split())
    lines = [ln.rstrip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip()


def parse_length(value: str | None) -> int | None:
    """Final Draft scene length (``3/8``, ``1 3/8``, ``2``) -> eighths of a page."""
    if not value:
        return None
    m = _LENGTH.match(value)
    if not m:
        return None
    whole, num, den, fnum, fden = m.groups()
    if fnum is not None:
        whole, num, den = "0", fnum, fden
    eighths = int(whole) * 8
    if num is not None:
        if int(den) == 0:
            return None
        eighths += round(int(num) * 8 / int(den))
    return eighths


def _element(para: _Para, index: LineIndex, doc: Document, unknown: set[str]) -> Element | None:
    text = "".join(r.text for r in para.runs)
    if not para.runs or not text.strip():
        return None
    raw_type = " ".join(para.attrs.get("Type", "").split())
    key = raw_type.casefold()
    attrs: dict[str, Any] = {}
    if not key:
        kind = ElementKind.ACTION
    elif key in _KINDS:
        kind = _KINDS[key]
    elif re.fullmatch(r"outline\s*\d+", key):
        kind = ElementKind.SECTION
        attrs["level"] = int(re.sub(r"\D", "", key))
    else:
        kind = ElementKind.ACTION
        if key not in unknown:
            unknown.add(key)
            doc.warn(
                index.line_of(para.start), f"unknown paragraph type {raw_type!r} read as action"
            )
    if key and key not in _CANONICAL:
        attrs["fdx_type"] = raw_type
    if key == "shot":
        attrs["shot"] = True
    elif key == "cast list":
        attrs["cast_list"] = True
    if kind is ElementKind.ACTION and para.attrs.get("Alignment", "").casefold() == "center":
        kind = ElementKind.CENTERED
    if para.attrs.get("StartsNewPage", "").casefold() == "yes":
        attrs["starts_new_page"] = True
    styled = [{"style": r.style, "text": r.text} for r in para.runs if r.style and r.text]
    if styled:
        attrs["styles"] = styled
    span: Span = index.span(para.runs[0].start, para.runs[-1].end)
    el = Element(kind, _clean(text, kind), span, attrs=attrs)
    if kind is ElementKind.SCENE_HEADING:
        number = para.attrs.get("Number", "").strip()
        if number:
            el.attrs["scene_number"] = number
    if kind is ElementKind.CHARACTER:
        el.speaker, el.extension, contd, raw = split_cue(el.text)
        if raw:
            el.attrs["extensions_raw"] = raw
        if contd:
            el.attrs["contd"] = True
    return el


def _title_page(paras: list[_Para], index: LineIndex, doc: Document) -> None:
    # (element, centered, starts a block: an empty paragraph came before it)
    items: list[tuple[Element, bool, bool]] = []
    gap = True
    for para in paras:
        text = "".join(r.text for r in para.runs)
        if not para.runs or not text.strip():
            gap = True
            continue
        centered = para.attrs.get("Alignment", "").casefold() == "center"
        kind = ElementKind.CENTERED if centered else ElementKind.ACTION
        span = index.span(para.runs[0].start, para.runs[-1].end)
        el = Element(kind, _clean(text, kind), span, attrs={"title_page": True})
        items.append((el, centered, gap))
        gap = False
    if not items:
        return
    roles = ["contact"] * len(items)
    credit = next((i for i, (el, _, _) in enumerate(items) if _CREDIT.match(el.text)), None)
    if credit is not None and credit > 0:
        first = credit - 1
        while first > 0 and not items[first][2]:
            first -= 1  # back to the start of the block right above the credit
        title_i = first
        for i in range(first, credit):
            roles[i] = "title"
    else:
        title_i = next((i for i, (_, centered, _) in enumerate(items) if centered), 0)
        roles[title_i] = "title"
    if credit is not None:
        roles[credit] = "credit"
        j = credit + 1
        while j < len(items) and items[j][1] and (j == credit + 1 or not items[j][2]):
            roles[j] = "author"
            j += 1
    page: dict[str, list[str]] = {}
    for (el, _, _), role in zip(items, roles, strict=True):
        el.attrs["role"] = role
        page.setdefault(role, []).append(el.text)
        doc.furniture.append(el)
    doc.title = " ".join(items[title_i][0].text.split())
    for role in ("title", "credit", "author", "contact"):
        if role in page:
            doc.title_page[role] = "\n".join(page[role])


def read(source: Source, fmt: str) -> Document:
    text = source.text
    target = _parse(text)
    index = LineIndex(text)
    if target.root != "FinalDraft":
        raise ParseError(
            f"not a Final Draft document: the root element is <{target.root}>, "
            "expected <FinalDraft>",
            line=index.line_of(target.root_start),
        )
    doc = Document(source_text=text, source_format=fmt, encoding=source.encoding)
    version = target.root_attrs.get("Version")
    if version:
        doc.attrs["fdx_version"] = version
    _title_page([p for p in target.paras if p.where == "title"], index, doc)

    unknown: set[str] = set()
    elements: list[Element] = []
    props: dict[int, _Para] = {}
    speaker: str | None = None
    extension: str | None = None
    dual_block: int | None = None
    dual_cues = 0
    for para in target.paras:
        if para.where != "body":
            continue
        el = _element(para, index, doc, unknown)
        if el is None:
            continue
        if para.dual is not None:
            el.dual = True
            if para.dual != dual_block:
                dual_block, dual_cues = para.dual, 0
            if el.kind is ElementKind.CHARACTER:
                dual_cues += 1
            if el.kind is ElementKind.CHARACTER:
                el.attrs["dual"] = "left" if dual_cues <= 1 else "right"
        if el.kind is ElementKind.CHARACTER:
            speaker, extension = el.speaker, el.extension
        elif el.kind in _IN_DIALOGUE and speaker is not None:
            el.speaker, el.extension = speaker, extension
        else:
            speaker = extension = None
        if el.kind is ElementKind.SCENE_HEADING and (para.props is not None or para.cast):
            props[id(el)] = para
        elements.append(el)

    if not target.has_content:
        doc.warn(None, "no <Content> element: the file holds no script")
    elif not elements:
        doc.warn(index.line_of(target.root_start), "<Content> holds no script text")

    doc.scenes = group_by_headings(elements)
    for scene in doc.scenes:
        para = props.get(id(scene.elements[0])) if scene.elements else None
        if para is None:
            continue
        p = para.props or {}
        length = parse_length(p.get("Length"))
        if length is not None:
            scene.attrs["fdx_length_eighths"] = length
        elif p.get("Length"):
            doc.warn(
                index.line_of(para.start), f"scene length {p['Length']!r} not understood; ignored"
            )
        if p.get("Page"):
            scene.attrs["fdx_page"] = p["Page"]
        if p.get("Title"):
            scene.attrs["fdx_title"] = p["Title"]
        if para.cast:
            scene.attrs["fdx_cast"] = list(para.cast)
    return doc
