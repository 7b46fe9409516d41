"""The Fountain reader against other implementations' golden files (read in place from
../shared/eval/formats, see its SOURCES.md; skipped when that folder is absent).

- Character.fountain / Character.txt (wildwinter/fountain-tools): the exact element stream.
- test_scripts.yaml (ludovicchabant/Jouvence): four typed-paragraph cases.
- test.fountain, jp.fountain (afterwriting), Brick-and-Steel.fountain and
  The-Last-Birthday-Card.fountain (screenplain's copies of the fountain.io samples),
  TestFDX-FD.fountain: no warnings, the span property, and targeted facts.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from sceneanatomy.model import Document, Element, ElementKind, LineIndex
from sceneanatomy.readers import read_path

K = ElementKind


def read(formats_dir: Path, name: str) -> Document:
    path = formats_dir / name
    if not path.is_file():
        pytest.skip(f"{name} is not in {formats_dir}")
    return read_path(path, fmt="fountain")


def alnum_subsequence(text: str, raw: str) -> bool:
    """The letters and digits of ``text`` appear in ``raw``, in order (markup may go)."""
    source = iter(c for c in raw if c.isalnum())
    return all(c in source for c in text if c.isalnum())


def assert_span_property(doc: Document) -> None:
    """Every span is the exact source its element came from, with consistent line numbers."""
    text = doc.source_text
    index = LineIndex(text)
    last = -1
    for el in doc.elements():
        sp = el.span
        assert 0 <= sp.start_char <= sp.end_char <= len(text)
        assert sp.start_line == index.line_of(sp.start_char)
        assert sp.end_line == index.line_of(max(sp.start_char, sp.end_char - 1))
        raw = text[sp.start_char : sp.end_char]
        assert raw.strip(), el
        assert alnum_subsequence(el.text, raw), (el.text, raw)
        assert sp.start_char >= last, "elements out of source order"
        last = sp.start_char
    for el in doc.furniture:
        raw = el.span.text(text)
        assert alnum_subsequence(el.text, raw)


def kinds(doc: Document) -> list[ElementKind]:
    return [e.kind for e in doc.elements()]


# -- wildwinter/fountain-tools Character.txt ----------------------------------------------


def render_wildwinter(doc: Document) -> str:
    """Our elements in Character.txt's form: ``TYPE:"text" "(extension)" (Dual)``.

    That format shows a cue's name, the first parenthetical as written unless it is CONT'D,
    and "(Dual)" on the cue carrying the caret. Its reader keeps the blank lines between
    consecutive action paragraphs inside one ACTION; we keep one ACTION per paragraph (their
    spans say how many blank lines separate them), so consecutive ACTIONs are written as
    one, with the blank lines of the source between them.
    """
    out: list[str] = []
    prev: Element | None = None
    for el in doc.elements():
        if el.kind is K.ACTION and prev is not None and prev.kind is K.ACTION and out:
            gap = el.span.start_line - prev.span.end_line
            between = doc.source_text[prev.span.end_char : el.span.start_char]
            assert not between.strip()
            out[-1] = out[-1][:-1] + "\n" * gap + el.text + '"'
        elif el.kind is K.CHARACTER:
            line = f'CHARACTER:"{el.speaker}"'
            shown = [x for x in el.attrs.get("extensions_raw", []) if x[1:-1] != "CONT'D"]
            shown = [x for x in shown if not re.fullmatch(r"\(CONT['’]D\)", x, re.I)]
            if shown:
                line += f' "{shown[0]}"'
            if el.attrs.get("dual") == "right":
                line += " (Dual)"
            out.append(line)
        else:
            out.append(f'{el.kind.name}:"{el.text}"')
        prev = el
    return "\n".join(out)


def test_character_golden_pair(formats_dir: Path) -> None:
    doc = read(formats_dir, "Character.fountain")
    golden = formats_dir / "Character.txt"
    if not golden.is_file():
        pytest.skip("Character.txt is missing")
    expected = golden.read_text(encoding="utf-8").rstrip("\n")
    assert render_wildwinter(doc) == expected
    assert doc.warnings == []
    assert_span_property(doc)


def test_character_model_details(formats_dir: Path) -> None:
    doc = read(formats_dir, "Character.fountain")
    cues = [e for e in doc.elements() if e.kind is K.CHARACTER]
    steel_contd = [c for c in cues if c.attrs.get("contd")]
    assert [c.extension for c in steel_contd] == [None, "V.O.", "V.O."]
    assert all(c.speaker == "STEEL" for c in steel_contd)
    mom = next(c for c in cues if c.speaker == "MOM")
    assert mom.extension == "O. S." and mom.attrs["extensions_raw"] == ["(O. S.)"]
    han = next(c for c in cues if c.speaker == "Han")
    assert han.extension == "O.S."
    dual = {c.speaker: c.attrs.get("dual") for c in cues if c.dual}
    assert dual == {"ME": "left", "BUT": "right", "TEST": "left", "TEST2": "right"}


# -- ludovicchabant/Jouvence test_scripts.yaml --------------------------------------------

JOUVENCE_PREFIX = {
    K.SCENE_HEADING: ".",
    K.ACTION: "!",
    K.CENTERED: "!><",
    K.CHARACTER: "@",
    K.DIALOGUE: "=",
    K.PARENTHETICAL: "_",
    K.TRANSITION: ">",
    K.LYRIC: "~",
    K.SECTION: "#",
    K.SYNOPSIS: "+",
}


def render_jouvence(doc: Document) -> list[str]:
    """Jouvence's typed paragraphs: a prefix code, then the text with its emphasis markup."""
    out = []
    for el in doc.elements():
        if el.kind is K.PAGE_BREAK:
            out.append("<pagebreak>")
        else:
            out.append(JOUVENCE_PREFIX[el.kind] + el.attrs.get("markup", el.text))
    return out


def strip_newlines(item: str) -> str:
    """Jouvence keeps the blank line before an action as a leading newline; we do not."""
    if item.startswith("<"):
        return item
    prefix = next(
        p for p in ("!><", ".", "!", "@", "=", "_", ">", "~", "#", "+") if item.startswith(p)
    )
    return prefix + item[len(prefix) :].strip("\n")


def jouvence_cases(shared: Path) -> list[dict[str, object]]:
    path = shared / "eval" / "formats" / "test_scripts.yaml"
    if not path.is_file():
        return []
    return [c for c in yaml.safe_load_all(path.read_text(encoding="utf-8")) if c]


@pytest.mark.parametrize("case_no", range(4))
def test_jouvence_cases(case_no: int, shared_dir: Path) -> None:
    from sceneanatomy.readers import read_bytes

    cases = jouvence_cases(shared_dir)
    if case_no >= len(cases):
        pytest.skip("test_scripts.yaml is missing or has fewer cases")
    case = cases[case_no]
    doc = read_bytes(str(case["in"]).encode("utf-8"), fmt="fountain")
    expected = [strip_newlines(x) for x in case["out"]]  # type: ignore[attr-defined]
    assert [strip_newlines(x) for x in render_jouvence(doc)] == expected
    if "title" in case:
        assert doc.title_page == case["title"]
    assert doc.warnings == []
    assert_span_property(doc)


# -- samples with no golden stream ---------------------------------------------------------


def covered_lines(doc: Document) -> set[int]:
    lines: set[int] = set()
    for el in [*doc.elements(), *doc.furniture]:
        lines.update(range(el.span.start_line, el.span.end_line + 1))
    first, last = doc.attrs.get("title_page_lines", [0, -1])
    lines.update(range(first, last + 1))
    return lines


@pytest.mark.parametrize(
    "name",
    [
        "test.fountain",
        "jp.fountain",
        "Brick-and-Steel.fountain",
        "The-Last-Birthday-Card.fountain",
        "TestFDX-FD.fountain",
        "Character.fountain",
    ],
)
def test_samples_read_cleanly(formats_dir: Path, name: str) -> None:
    doc = read(formats_dir, name)
    assert doc.warnings == []
    assert_span_property(doc)
    covered = covered_lines(doc)
    boneyard = re.compile(r"^\s*(/\*|\*/|Ignored\.)")  # test.fountain's boneyard lines
    lost = [
        (no, line)
        for no, line in enumerate(doc.source_text.split("\n"), 1)
        if line.strip() and no not in covered and not boneyard.match(line)
    ]
    assert lost == []


def test_brick_and_steel(formats_dir: Path) -> None:
    doc = read(formats_dir, "Brick-and-Steel.fountain")
    assert "\r\n" in doc.source_text and re.search("(?<!\r)\n", doc.source_text)  # mixed
    assert doc.title == "BRICK & STEEL FULL RETIRED"
    assert doc.title_page["author"] == "Stu Maschwitz"
    assert doc.title_page["contact"].split("\n") == [
        "Next Level Productions",
        "1588 Mission Dr.",
        "Solvang, CA 93463",
    ]
    els = doc.elements()
    brick = next(
        e for e in els if e.kind is K.CHARACTER and e.span.text(doc.source_text).endswith("^")
    )
    assert brick.speaker == "BRICK" and brick.dual and brick.attrs["dual"] == "right"
    i = els.index(brick)
    assert els[i + 1].kind is K.DIALOGUE and els[i + 1].dual
    assert els[i - 2].speaker == "STEEL" and els[i - 2].attrs["dual"] == "left"
    assert els[i - 1].dual
    headings = [s.heading for s in doc.scenes if s.heading]
    assert "SNIPER SCOPE POV" in headings and "OPENING TITLES" in headings
    centered = [e.text for e in els if e.kind is K.CENTERED]
    assert "BRICK & STEEL\nFULL RETIRED" in centered
    assert any(e.kind is K.TRANSITION and e.text == "BURN TO PINK." for e in els)
    assert [e.text for e in els if e.kind is K.CENTERED][-1] == "THE END"
    jack = next(e for e in els if e.speaker == "JACK" and e.kind is K.DIALOGUE)
    assert jack.text == "Did you know Brick and Steel are retired?"
    assert jack.attrs["markup"] == "*Did you know Brick and Steel are retired?*"


def test_afterwriting_test_fountain(formats_dir: Path) -> None:
    doc = read(formats_dir, "test.fountain")
    text = doc.source_text
    els = doc.elements()
    assert [e.text for e in doc.furniture] == ["Script note. - blah blah blah - blah blah blah"]
    assert doc.title == "Screenplay title Second line"
    assert doc.title_page["author"] == "Author 1,\n**Author 2** & Author 3"
    assert doc.title_page["contact"] == "e-mail: email@email.com\nphone: +12 34 567 89"
    assert doc.title_page["copyright"] == "Licence info"
    sections = [(e.attrs["depth"], e.text) for e in els if e.kind is K.SECTION]
    assert (1, "Act 1: basic blocks") in sections and (3, "Subsection") in sections
    assert not any("gnored" in e.text or "/*" in e.text or "*/" in e.text for e in els)
    action = next(
        e
        for e in els
        if e.text.startswith(
            "Action. action. action. action. action. action. action. action. action. action. action."
        )
    )
    assert "ignored" not in action.text
    inline = next(e for e in els if e.attrs.get("notes"))
    assert inline.text == "Action. Action. Action. Action." and inline.attrs["notes"] == [
        "(inline note)"
    ]
    note = next(e for e in els if e.kind is K.NOTE)
    assert note.text.startswith("Long long") and note.text.endswith("...multiline note")
    assert note.span.text(text).startswith("[[") and note.span.end_line - note.span.start_line == 2
    assert any(e.text == "What the f*ck! Escape_escape*escape. " for e in els)
    assert any(e.kind is K.CENTERED and e.text == "CENTERED, BOLD, UNDERLINE" for e in els)
    assert any(e.kind is K.TRANSITION and e.text == "TRANSITION:" for e in els)
    assert K.PAGE_BREAK in kinds(doc)
    headings = [s.heading for s in doc.scenes]
    assert "FORCED HEADER" in headings and "WNĘTRZE. FORCED ELEMENTS - NIGHT" in headings
    assert any(e.kind is K.ACTION and e.text == "INT. ACTION" for e in els)
    mccabe = next(e for e in els if e.kind is K.CHARACTER and e.speaker == "McCABE")
    lyric = els[els.index(mccabe) + 1]
    assert (
        lyric.kind is K.LYRIC
        and lyric.text == "Happy birthday to you!"
        and lyric.speaker == "McCABE"
    )
    assert [e.speaker for e in els if e.kind is K.CHARACTER and e.dual] == ["HERO 1", "HERO 2"]
    assert [e.text for e in els if e.kind is K.SYNOPSIS] == [
        "Section synopsis",
        "Subsection synopsis",
        "Additional synopsis",
        "Scene synopsis",
    ]
    polish = next(e for e in els if e.speaker == "POLISH" and e.kind is K.DIALOGUE)
    assert polish.text == "Pchnąć w tę łódź jeża lub osiem skrzyń fig."


def test_last_birthday_card(formats_dir: Path) -> None:
    doc = read(formats_dir, "The-Last-Birthday-Card.fountain")
    els = doc.elements()
    headings = [e for e in els if e.kind is K.SCENE_HEADING]
    assert 44 <= len(headings) <= 52
    assert len(doc.scenes) == len(headings) + 1  # the sections before the first heading
    synopses = [e for e in els if e.kind is K.SYNOPSIS]
    assert len(synopses) == 7
    sections = [e for e in els if e.kind is K.SECTION]
    assert {e.attrs["depth"] for e in sections} == {1, 2, 3}
    assert "ACT I" in [e.text for e in sections]
    assert "Scott and Nak Meet on the Job" in [e.text for e in sections]
    assert doc.title == "THE LAST BIRTHDAY CARD"
    assert doc.title_page["contact"].split("\n")[0] == "PO Box 10031"
    assert any(e.kind is K.CENTERED and e.text == "THE END" for e in els)
    assert any(e.kind is K.TRANSITION and e.text == "HERE WE GO:" for e in els)
    card = [e for e in els if e.kind is K.ACTION and e.text.startswith("          ")]
    assert card, "the indented birthday card lines keep their leading spaces"


def test_jp_fountain(formats_dir: Path) -> None:
    doc = read(formats_dir, "jp.fountain")
    assert doc.title == "映画" and doc.title_page == {"title": "映画", "author": "匿名"}
    els = doc.elements()
    assert [s.heading for s in doc.scenes if s.heading] == ["INT。 病院-日"]
    cue = next(e for e in els if e.kind is K.CHARACTER)
    assert cue.speaker == "ジョン"
    i = els.index(cue)
    assert els[i + 1].kind is K.PARENTHETICAL and els[i + 1].text == "（失われた）"
    assert els[i + 2].kind is K.DIALOGUE and els[i + 2].text == "この場所は何ですか？"
    assert len([e for e in els if e.kind is K.CHARACTER]) == 1  # "フェードイン：" etc. are action


def test_testfdx_fountain(formats_dir: Path) -> None:
    doc = read(formats_dir, "TestFDX-FD.fountain")
    assert [(s.heading, s.number) for s in doc.scenes] == [
        ("INT. RADIO STUDIO", "1"),
        ("EXT. OUTSIDE THE FOOD STORE", "2"),
    ]
    els = doc.elements()
    jim = next(e for e in els if e.speaker == "JIM")
    assert jim.extension == "O.S."
    transitions = [e.text for e in els if e.kind is K.TRANSITION]
    assert transitions == ["CUT TO:", "FADE TO BLACK"]
    assert any(e.kind is K.PARENTHETICAL and e.text == "(bored)" for e in els)
