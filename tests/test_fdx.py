"""Final Draft (.fdx) reader: element mapping, spans into the raw XML, errors, properties."""

from __future__ import annotations

import html
import re
import string
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sceneanatomy.errors import ParseError
from sceneanatomy.headings import strip_scene_number
from sceneanatomy.model import Document, ElementKind
from sceneanatomy.readers import read_bytes, read_path
from sceneanatomy.readers.fdx import parse_length, split_cue


def fdx(body: str, title_page: str = "", *, decl: bool = True, newline: str = "\n") -> bytes:
    head = '<?xml version="1.0" encoding="UTF-8" standalone="no" ?>\n' if decl else ""
    tp = f"  <TitlePage>\n    <Content>\n{title_page}    </Content>\n  </TitlePage>\n"
    text = (
        f'{head}<FinalDraft DocumentType="Script" Template="No" Version="5">\n'
        f"  <Content>\n{body}  </Content>\n{tp if title_page else ''}</FinalDraft>\n"
    )
    return text.replace("\n", newline).encode("utf-8")


def para(kind: str | None, *runs: str, **attrs: str) -> str:
    a = f" Type={quoteattr(kind)}" if kind is not None else ""
    a += "".join(f" {k}={quoteattr(v)}" for k, v in attrs.items())
    texts = "".join(f"      <Text>{escape(r)}</Text>\n" for r in runs)
    return f"    <Paragraph{a}>\n{texts}    </Paragraph>\n"


def read(data: bytes) -> Document:
    return read_bytes(data, path="t.fdx", fmt="fdx")


_BETWEEN_RUNS = re.compile(r"</Text>\s*(?:<Text\b[^>]*/>\s*)*<Text\b[^>]*>")


_END_TEXT = re.compile(r"</Text\s*>")


def assert_spans(doc: Document) -> None:
    """Each span is the raw XML of the element's Text runs, on the right lines."""
    src = doc.source_text
    for el in [*doc.elements(), *doc.furniture]:
        sp = el.span
        raw = src[sp.start_char : sp.end_char]
        assert sp.start_line == src.count("\n", 0, sp.start_char) + 1
        assert sp.end_line == src.count("\n", 0, max(sp.start_char, sp.end_char - 1)) + 1
        # the span starts just after a <Text ...> start tag and ends at a </Text>
        assert src[sp.start_char - 1] == ">"
        # (an end tag may hold whitespace before its ">": "</Text\n>")
        assert _END_TEXT.match(src, sp.end_char) or src[sp.end_char - 2 : sp.end_char] == "/>"
        content = "".join(_BETWEEN_RUNS.split(raw))
        if "<" not in content:  # plain runs (no comments, CDATA or odd markup): check the text
            assert " ".join(html.unescape(content).split()) == " ".join(el.text.split())


ALL_TYPES = (
    para("Scene Heading", "INT. LIGHTHOUSE - NIGHT", Number="12A")
    + para("Action", "Rain hammers the glass.")
    + para("General", "A general paragraph.")
    + para("Shot", "CLOSE ON THE LAMP")
    + para("Character", "MARA (V.O.) (CONT'D)")
    + para("Parenthetical", "(quietly)")
    + para("Dialogue", "It found us.")
    + para("Lyrics", "La la la.")
    + para("Transition", "CUT TO:")
    + para("Cast List", "MARA, a keeper")
    + para("New Act", "ACT TWO")
    + para("End of Act", "END OF ACT TWO")
    + para("Action", "THE END", Alignment="Center")
    + para("Outline 1", "Act one")
    + para("Outline Body", "What happens.")
    + para("Note", "remember the lamp")
    + para("Weird Thing", "something")
    + para(None, "no type at all")
)


def test_every_paragraph_type() -> None:
    doc = read(fdx(ALL_TYPES))
    els = doc.elements()
    got = [(e.kind, e.text) for e in els]
    assert got == [
        (ElementKind.SCENE_HEADING, "INT. LIGHTHOUSE - NIGHT"),
        (ElementKind.ACTION, "Rain hammers the glass."),
        (ElementKind.ACTION, "A general paragraph."),
        (ElementKind.ACTION, "CLOSE ON THE LAMP"),
        (ElementKind.CHARACTER, "MARA (V.O.) (CONT'D)"),
        (ElementKind.PARENTHETICAL, "(quietly)"),
        (ElementKind.DIALOGUE, "It found us."),
        (ElementKind.LYRIC, "La la la."),
        (ElementKind.TRANSITION, "CUT TO:"),
        (ElementKind.ACTION, "MARA, a keeper"),
        (ElementKind.SECTION, "ACT TWO"),
        (ElementKind.SECTION, "END OF ACT TWO"),
        (ElementKind.CENTERED, "THE END"),
        (ElementKind.SECTION, "Act one"),
        (ElementKind.SYNOPSIS, "What happens."),
        (ElementKind.NOTE, "remember the lamp"),
        (ElementKind.ACTION, "something"),
        (ElementKind.ACTION, "no type at all"),
    ]
    by_text = {e.text: e for e in els}
    assert by_text["CLOSE ON THE LAMP"].attrs["shot"] is True
    assert by_text["A general paragraph."].attrs["fdx_type"] == "General"
    assert by_text["MARA, a keeper"].attrs["cast_list"] is True
    assert by_text["Act one"].attrs["level"] == 1
    cue = by_text["MARA (V.O.) (CONT'D)"]
    assert (cue.speaker, cue.extension, cue.attrs["contd"]) == ("MARA", "V.O.", True)
    for t in ("(quietly)", "It found us.", "La la la."):
        assert by_text[t].speaker == "MARA"
    assert by_text["CUT TO:"].speaker is None
    assert len(doc.scenes) == 1
    scene = doc.scenes[0]
    assert (scene.number, scene.location, scene.time_of_day, scene.int_ext) == (
        "12A",
        "LIGHTHOUSE",
        "NIGHT",
        "INT",
    )
    assert [w.message for w in doc.warnings] == [
        "unknown paragraph type 'Weird Thing' read as action"
    ]
    assert doc.warnings[0].line is not None
    assert_spans(doc)


def test_runs_styles_and_entities() -> None:
    body = (
        '    <Paragraph Type="Action">\n'
        "      <Text>Tom &amp; Jerry </Text>\n"
        '      <Text Style="Bold">don&apos;t</Text>\n'
        '      <Text Style="Italic+Underline"> stop &lt;3</Text>\n'
        "    </Paragraph>\n"
    )
    doc = read(fdx(body))
    (el,) = doc.elements()
    assert el.text == "Tom & Jerry don't stop <3"
    raw = doc.source_text[el.span.start_char : el.span.end_char]
    assert raw.startswith("Tom &amp; Jerry </Text>")
    assert raw.endswith("> stop &lt;3")
    assert '<Text Style="Bold">don&apos;t</Text>' in raw
    assert (el.span.start_line, el.span.end_line) == (5, 7)
    assert el.attrs["styles"] == [
        {"style": "Bold", "text": "don't"},
        {"style": "Italic+Underline", "text": " stop <3"},
    ]


def test_line_breaks_inside_runs_and_crlf() -> None:
    body = (
        '    <Paragraph Type="Action">\n'
        "      <Text>And then a long beat.\n</Text>\n"
        "      <Text>Longer than is funny.</Text>\n"
        "    </Paragraph>\n"
    ) + para("Character", "BRICK")
    doc = read(fdx(body, newline="\r\n"))
    action, cue = doc.elements()
    assert action.text == "And then a long beat.\nLonger than is funny."
    assert doc.source_text.count("\r\n") > 5  # verbatim, not normalised
    assert cue.text == "BRICK"
    assert doc.source_text[cue.span.start_char : cue.span.end_char] == "BRICK"
    assert_spans(doc)


def test_non_ascii_offsets_are_characters() -> None:
    body = para("Action", "Ça va? 한서준 — “quoted” 🎬") + para("Character", "서준 (O.S.)")
    for data in (fdx(body), fdx(body).decode("utf-8").encode("utf-16")):
        doc = read(data)
        action, cue = doc.elements()
        assert doc.source_text[action.span.start_char : action.span.end_char] == action.text
        assert (cue.speaker, cue.extension) == ("서준", "O.S.")
        assert doc.source_text[cue.span.start_char : cue.span.end_char] == "서준 (O.S.)"


def test_dual_dialogue_both_forms() -> None:
    inner = (
        para("Character", "STEEL")
        + para("Dialogue", "Screw retirement.")
        + para("Character", "BRICK")
        + para("Parenthetical", "(raising a beer)")
        + para("Dialogue", "Screw retirement.")
    )
    wrapped = (
        "    <Paragraph>\n      <DualDialogue>\n"
        + inner
        + "      </DualDialogue>\n    </Paragraph>\n"
    )
    bare = "    <DualDialogue>\n" + inner + "    </DualDialogue>\n"
    for form in (wrapped, bare):
        body = para("Scene Heading", "EXT. PATIO - DAY") + form + para("Action", "They drink.")
        doc = read(fdx(body))
        els = doc.elements()
        assert [e.dual for e in els] == [False, True, True, True, True, True, False]
        assert [e.attrs.get("dual") for e in els[1:6]] == ["left", None, "right", None, None]
        assert [e.speaker for e in els[1:6]] == ["STEEL", "STEEL", "BRICK", "BRICK", "BRICK"]
        assert els[-1].speaker is None
        assert_spans(doc)


def test_title_page() -> None:
    tp = (
        para(None, "", Alignment="Center")
        + para(None, "THE LONG NIGHT", Alignment="Center")
        + para(None, "", Alignment="Center")
        + para(None, "Written by", Alignment="Center")
        + para(None, "", Alignment="Center")
        + para(None, "J. R. Writer", Alignment="Center")
        + para(None, "Draft 2\n", "1 May 2026", Alignment="Left")
    )
    doc = read(fdx(para("Scene Heading", "INT. HOUSE - DAY"), tp))
    assert doc.title == "THE LONG NIGHT"
    assert doc.title_page == {
        "title": "THE LONG NIGHT",
        "credit": "Written by",
        "author": "J. R. Writer",
        "contact": "Draft 2\n1 May 2026",
    }
    assert [e.attrs["role"] for e in doc.furniture] == ["title", "credit", "author", "contact"]
    assert all(e.attrs["title_page"] for e in doc.furniture)
    assert len(doc.elements()) == 1  # the title page is not story
    assert_spans(doc)
    # without a credit line: the first centered paragraph
    doc = read(
        fdx(
            para("Action", "x"),
            para(None, "left", Alignment="Left") + para(None, "TITLE", Alignment="Center"),
        )
    )
    assert doc.title == "TITLE"


def test_scene_properties_and_nested_paragraphs_ignored() -> None:
    body = (
        '    <Paragraph Number="7" Type="Scene Heading">\n'
        '      <SceneProperties Length="1 3/8" Page="4" Title="The storm">\n'
        "        <SceneArcBeats>\n"
        '          <CharacterArcBeat Name="MARA">\n'
        '            <Paragraph Alignment="Left"><Text>arc note</Text></Paragraph>\n'
        "          </CharacterArcBeat>\n"
        '          <CharacterArcBeat Name="TOM"><Paragraph/></CharacterArcBeat>\n'
        "        </SceneArcBeats>\n"
        "      </SceneProperties>\n"
        "      <Text>EXT. CLIFF - DAWN</Text>\n"
        "    </Paragraph>\n"
    ) + para("Action", "Waves.")
    data = fdx(body).replace(
        b"</FinalDraft>",
        b"<HeaderAndFooter><Header><Paragraph><Text>page</Text></Paragraph></Header></HeaderAndFooter>\n</FinalDraft>",
    )
    doc = read(data)
    assert [e.text for e in doc.elements()] == ["EXT. CLIFF - DAWN", "Waves."]
    scene = doc.scenes[0]
    assert scene.number == "7"
    assert scene.attrs == {
        "fdx_length_eighths": 11,
        "fdx_page": "4",
        "fdx_title": "The storm",
        "fdx_cast": ["MARA", "TOM"],
    }
    assert_spans(doc)


@pytest.mark.parametrize(
    ("value", "eighths"),
    [
        ("3/8", 3),
        ("1 3/8", 11),
        ("2", 16),
        ("4/8", 4),
        ("1/2", 4),
        ("", None),
        ("x", None),
        ("1/0", None),
    ],
)
def test_parse_length(value: str, eighths: int | None) -> None:
    assert parse_length(value) == eighths


@pytest.mark.parametrize(
    ("cue", "expected"),
    [
        ("JIM (O.S.)", ("JIM", "O.S.", False)),
        ("STEEL (V.O.) (CONT’D)", ("STEEL", "V.O.", True)),
        ("STEEL (CONT'D)", ("STEEL", None, True)),
        ("MOM (O. S.)", ("MOM", "O. S.", False)),
        ("DAVE", ("DAVE", None, False)),
        ("(V.O.)", ("(V.O.)", None, False)),
    ],
)
def test_split_cue(cue: str, expected: tuple[str, str | None, bool]) -> None:
    assert split_cue(cue)[:3] == expected


def test_cue_extensions_raw_and_dialogue_extension() -> None:
    doc = read(fdx(para("Character", "STEEL (V.O.) (CONT'D)") + para("Dialogue", "Hi.")))
    cue, line = doc.elements()
    assert cue.attrs["extensions_raw"] == ["(V.O.)", "(CONT'D)"]
    assert (line.speaker, line.extension) == ("STEEL", "V.O.")


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (fdx(para("Action", "x")).replace(b"</Paragraph>", b"</Paragraf>", 1), 6),
        (fdx(para("Action", "x"))[:-40], None),
        (
            b'<?xml version="1.0"?>\n<FinalDraft>\n<Content>\n<Paragraph Type="Action"><Text>a & b</Text>',
            4,
        ),
        (
            b"<FinalDraft>\n<Content>\n<Paragraph><Text>&nbsp;</Text></Paragraph>\n</Content>\n</FinalDraft>",
            3,
        ),
        (b"not xml at all", 1),
    ],
)
def test_malformed_xml_is_a_parse_error_with_a_line(data: bytes, line: int | None) -> None:
    with pytest.raises(ParseError) as info:
        read(data)
    assert info.value.message.startswith("malformed XML:")
    assert info.value.line is not None
    if line is not None:
        assert info.value.line == line
    assert info.value.one_line().startswith("error: t.fdx:")


def test_billion_laughs_is_refused() -> None:
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
        + "".join(
            f' <!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">\n'
            for i in range(1, 10)
        )
        + ']>\n<FinalDraft><Content><Paragraph Type="Action"><Text>&lol9;</Text></Paragraph></Content></FinalDraft>\n'
    ).encode()
    with pytest.raises(ParseError) as info:
        read(bomb)
    assert info.value.line == 3
    assert "entit" in info.value.message.lower()


def test_external_entity_is_refused() -> None:
    xxe = (
        b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
        b"<FinalDraft><Content><Paragraph><Text>&e;</Text></Paragraph></Content></FinalDraft>"
    )
    with pytest.raises(ParseError):
        read(xxe)


def test_other_root_is_a_parse_error() -> None:
    with pytest.raises(ParseError) as info:
        read(b'<?xml version="1.0"?>\n\n<svg><Content/></svg>\n')
    assert "not a Final Draft document" in info.value.message
    assert info.value.line == 3


def test_empty_content_gives_a_document_with_a_warning() -> None:
    doc = read(fdx(para("Action", "") + "    <Paragraph/>\n"))
    assert doc.scenes == []
    assert doc.warnings and "no script text" in doc.warnings[0].message
    doc = read(b"<FinalDraft/>")
    assert doc.scenes == [] and "no <Content>" in doc.warnings[0].message


def test_sniffed_without_format_hint() -> None:
    doc = read_bytes(fdx(para("Scene Heading", "INT. A - DAY")))
    assert doc.source_format == "fdx"
    assert doc.scenes[0].heading == "INT. A - DAY"


def test_cli_parse_reports_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from sceneanatomy.cli import cli

    bad = tmp_path / "bad.fdx"
    bad.write_bytes(b"<FinalDraft>\n<Content>\n<Paragraph>\n</Content>\n</FinalDraft>\n")
    result = CliRunner().invoke(cli, ["parse", str(bad)])
    assert result.exit_code == 2
    assert f"error: {bad}:4: malformed XML" in result.output


# -- properties ---------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_give_a_document_or_parse_error(data: bytes) -> None:
    try:
        doc = read_bytes(data, fmt="fdx")
    except ParseError:
        return
    assert isinstance(doc, Document)


_FRAGMENTS = [
    "<FinalDraft>",
    "</FinalDraft>",
    "<Content>",
    "</Content>",
    "<Paragraph>",
    '<Paragraph Type="Character">',
    '<Paragraph Type="Dialogue">',
    '<Paragraph Type="Scene Heading" Number="1">',
    "</Paragraph>",
    "<Text>",
    '<Text Style="Bold">',
    "</Text>",
    "<Text/>",
    "<DualDialogue>",
    "</DualDialogue>",
    '<SceneProperties Length="3/8" Page="1">',
    "</SceneProperties>",
    '<CharacterArcBeat Name="X">',
    "</CharacterArcBeat>",
    "<TitlePage>",
    "</TitlePage>",
    "&amp;",
    "&apos;",
    "&#233;",
    "&bogus;",
    "<!-- c -->",
    "<![CDATA[x<y]]>",
    "INT. HOUSE - DAY",
    "JIM (O.S.)",
    "hello",
    "\n",
    "\r\n",
    " ",
    "한",
    "<",
    ">",
]


_TYPES = [
    "Scene Heading",
    "Action",
    "Character",
    "Dialogue",
    "Parenthetical",
    "Transition",
    "General",
    "Shot",
]
_run_text = st.text(
    alphabet=st.sampled_from(string.ascii_letters + " .,'\"&<>()\n\t-é한🎬"),
    min_size=0,
    max_size=25,
)
_paragraph = st.tuples(
    st.sampled_from(_TYPES),
    st.lists(st.tuples(_run_text, st.sampled_from(["", "Bold", "Italic"])), min_size=0, max_size=3),
    st.booleans(),
)


@settings(max_examples=120, deadline=None)
@given(st.lists(_paragraph, max_size=12), st.sampled_from(["\n", "\r\n", ""]))
def test_span_property_on_generated_fdx(paras: list, nl: str) -> None:
    body = ""
    expected: list[tuple[str, str]] = []  # (raw span text, joined text)
    for kind, runs, attrs_quote in paras:
        q = "'" if attrs_quote else '"'
        parts = []
        for text, style in runs:
            st_attr = f" Style={q}{style}{q}" if style else ""
            parts.append(f"<Text{st_attr}>{escape(text)}</Text>")
        body += (
            f"<Paragraph Type={q}{kind}{q}>{nl}  " + f"{nl}  ".join(parts) + f"{nl}</Paragraph>{nl}"
        )
        joined = "".join(t for t, _ in runs)
        if runs and joined.strip():
            raw = f"{nl}  ".join(parts)
            raw = raw[raw.index(">") + 1 : raw.rindex("</Text>")]
            expected.append((raw, joined))
    data = f"<?xml version='1.0'?>{nl}<FinalDraft>{nl}<Content>{nl}{body}</Content>{nl}</FinalDraft>".encode()
    doc = read_bytes(data, fmt="fdx")
    els = doc.elements()
    assert len(els) == len(expected)
    for el, (raw, joined) in zip(els, expected, strict=True):
        assert doc.source_text[el.span.start_char : el.span.end_char] == raw
        assert " ".join(el.text.split()) == " ".join(joined.split())
    assert_spans(doc)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(_paragraph, max_size=8),
    st.lists(
        st.tuples(
            st.sampled_from(["insert", "delete", "truncate"]),
            st.integers(0, 10**6),
            st.sampled_from(_FRAGMENTS),
        ),
        max_size=3,
    ),
)
def test_plausible_mutated_fdx_never_crashes(paras: list, mutations: list) -> None:
    body = "".join(
        f'<Paragraph Type="{kind}">'
        + "".join(f"<Text>{escape(t)}</Text>" for t, _ in runs)
        + "</Paragraph>\n"
        for kind, runs, _ in paras
    )
    text = f"<FinalDraft>\n<Content>\n{body}</Content>\n</FinalDraft>\n"
    for op, where, fragment in mutations:
        i = where % (len(text) + 1)
        if op == "insert":
            text = text[:i] + fragment + text[i:]
        elif op == "delete":
            text = text[:i] + text[i + len(fragment) :]
        else:
            text = text[:i]
    try:
        doc = read_bytes(text.encode(), fmt="fdx")
    except ParseError as exc:
        assert exc.message
        return
    assert_spans(doc)


# -- golden: Final Draft's own export against its Fountain source ------------------------


def test_golden_testfdx_matches_fountain(formats_dir: Path) -> None:
    fdx_doc = read_path(formats_dir / "TestFDX-FD.fdx")
    ftn_doc = read_path(formats_dir / "TestFDX-FD.fountain")

    def headings(doc: Document) -> list[tuple[str, str | None]]:
        return [(strip_scene_number(s.heading or "")[0], s.number) for s in doc.scenes]

    def cues(doc: Document) -> list[tuple[str | None, str | None]]:
        return [(e.speaker, e.extension) for e in doc.elements() if e.kind is ElementKind.CHARACTER]

    assert headings(fdx_doc) == [("INT. RADIO STUDIO", "1"), ("EXT. OUTSIDE THE FOOD STORE", "2")]
    assert headings(ftn_doc) == headings(fdx_doc)
    assert cues(fdx_doc) == [("DJ", None), ("DAVE", None), ("JIM", "O.S."), ("KAY", None)]
    assert cues(ftn_doc) == cues(fdx_doc)
    assert [s.attrs["fdx_length_eighths"] for s in fdx_doc.scenes] == [3, 2]
    assert [s.attrs["fdx_cast"] for s in fdx_doc.scenes] == [["DAVE", "DJ", "JIM"], ["KAY"]]
    assert fdx_doc.title == "FDX Test Script"
    kinds = [e.kind for e in fdx_doc.elements()]
    assert kinds.count(ElementKind.TRANSITION) == 2
    assert kinds.count(ElementKind.PARENTHETICAL) == 1
    assert_spans(fdx_doc)


def test_end_tag_with_whitespace_inside_ends_the_span() -> None:
    """``</Text\\n>`` is an end tag too: the run's span stops just before it."""
    src = (
        '<FinalDraft>\n<Content>\n<Paragraph Type="Action"><Text>A &amp; B</Text\n>'
        "</Paragraph>\n</Content>\n</FinalDraft>\n"
    )
    doc = read_bytes(src.encode(), "x.fdx", fmt="fdx")
    (el,) = doc.elements()
    assert el.text == "A & B"
    assert src[el.span.start_char : el.span.end_char] == "A &amp; B"
    assert_spans(doc)
