"""The Fountain 1.1 reader: every element type and edge case, on small inline texts."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sceneanatomy.errors import ParseError
from sceneanatomy.model import Document, Element, ElementKind, LineIndex
from sceneanatomy.readers import read_bytes, read_path
from sceneanatomy.readers.fountain import clean_inline

K = ElementKind


def parse(text: str) -> Document:
    doc = read_bytes(text.encode("utf-8"), fmt="fountain")
    check_spans(doc)
    return doc


def els(text: str) -> list[Element]:
    return parse(text).elements()


def stream(text: str) -> list[tuple[str, str]]:
    return [(e.kind.value, e.text) for e in els(text)]


def alnum_subsequence(text: str, raw: str) -> bool:
    """The letters and digits of ``text`` appear in ``raw``, in order (markup may go)."""
    source = iter(c for c in raw if c.isalnum())
    return all(c in source for c in text if c.isalnum())


def check_spans(doc: Document) -> None:
    """The span property: spans are exact source slices with consistent 1-based lines."""
    text = doc.source_text
    index = LineIndex(text)
    last = -1
    for el in [*doc.elements(), *doc.furniture]:
        sp = el.span
        assert 0 <= sp.start_char <= sp.end_char <= len(text)
        assert sp.start_line == index.line_of(sp.start_char)
        assert sp.end_line == index.line_of(max(sp.start_char, sp.end_char - 1))
        raw = text[sp.start_char : sp.end_char]
        assert raw.strip()
        assert not raw.endswith(("\n", "\r")) or el.kind is K.NOTE
        assert alnum_subsequence(el.text, raw), (el, raw)
    for el in doc.elements():
        assert el.span.start_char >= last, "elements out of source order"
        last = el.span.start_char


# -- scene headings -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "INT. HOUSE - DAY",
        "EXT. HOUSE - DAY",
        "EST. CITY - NIGHT",
        "INT./EXT. CAR - DAY",
        "INT/EXT CAR - DAY",
        "I/E CAR - DAY",
        "int. house - day",
        "Ext. garden",
        "INT HOUSE - DAY",
    ],
)
def test_scene_heading_prefixes(line: str) -> None:
    doc = parse(f"Some action.\n\n{line}\n\nMore action.\n")
    assert [s.heading for s in doc.scenes] == [None, line]


@pytest.mark.parametrize(
    "line", ["INTERIOR OF THE HOUSE", "Internal affairs.", "EXTRA EXTRA", "ESTATE SALE."]
)
def test_not_scene_headings(line: str) -> None:
    assert stream(f"{line}\n") == [("action", line)]


def test_heading_needs_blank_line_before() -> None:
    assert stream("He walks.\nINT. HOUSE - DAY\n") == [("action", "He walks.\nINT. HOUSE - DAY")]


def test_heading_without_blank_line_after_still_starts_a_scene() -> None:
    doc = parse("INT. HOUSE - DAY\nBob enters.\n")
    assert [(e.kind, e.text) for e in doc.elements()] == [
        (K.SCENE_HEADING, "INT. HOUSE - DAY"),
        (K.ACTION, "Bob enters."),
    ]


def test_forced_heading_and_ellipsis() -> None:
    doc = parse(".SNIPER SCOPE POV\n\n...and then nothing.\n\n.WNĘTRZE. KUCHNIA - NOC\n")
    assert [(e.kind, e.text) for e in doc.elements()] == [
        (K.SCENE_HEADING, "SNIPER SCOPE POV"),
        (K.ACTION, "...and then nothing."),
        (K.SCENE_HEADING, "WNĘTRZE. KUCHNIA - NOC"),
    ]


def test_scene_numbers() -> None:
    doc = parse("INT. HOUSE - DAY #1A#\n\nAction.\n\n.FLASHBACK #I-1-A#\n\nAction.\n")
    assert [(s.heading, s.number) for s in doc.scenes] == [
        ("INT. HOUSE - DAY", "1A"),
        ("FLASHBACK", "I-1-A"),
    ]
    assert doc.elements()[0].attrs["scene_number"] == "1A"
    assert doc.elements()[0].span.text(doc.source_text) == "INT. HOUSE - DAY #1A#"


def test_scenes_group_by_headings() -> None:
    doc = parse("# Act\n\nBefore.\n\nINT. A - DAY\n\nOne.\n\nEXT. B - NIGHT\n\nTwo.\n")
    assert [(s.heading, [e.kind for e in s.elements]) for s in doc.scenes] == [
        (None, [K.SECTION, K.ACTION]),
        ("INT. A - DAY", [K.SCENE_HEADING, K.ACTION]),
        ("EXT. B - NIGHT", [K.SCENE_HEADING, K.ACTION]),
    ]
    assert doc.scenes[2].interior is False and doc.scenes[2].time_of_day == "NIGHT"


# -- action ---------------------------------------------------------------------------------


def test_action_keeps_line_breaks_and_indentation() -> None:
    text = "He opens the card:\n\n          Scott --\n\tJacob Billups   \nThe end.\n"
    assert stream(text) == [
        ("action", "He opens the card:"),
        ("action", "          Scott --\n    Jacob Billups   \nThe end."),
    ]


def test_forced_action() -> None:
    assert stream("!SCANNING THE AISLES...\nWhere is that pit boss?\n") == [
        ("action", "SCANNING THE AISLES...\nWhere is that pit boss?")
    ]
    assert stream("!INT. ACTION\n") == [("action", "INT. ACTION")]


def test_uppercase_line_alone_is_action() -> None:
    assert stream("BOB\n\nThis is action.\n") == [("action", "BOB"), ("action", "This is action.")]


# -- character cues and dialogue ------------------------------------------------------------


def test_character_and_dialogue() -> None:
    doc = parse("STEEL\nThe man's a myth!\n")
    cue, line = doc.elements()
    assert (cue.kind, cue.text, cue.speaker, cue.extension) == (K.CHARACTER, "STEEL", "STEEL", None)
    assert (line.kind, line.text, line.speaker) == (K.DIALOGUE, "The man's a myth!", "STEEL")


def test_cue_needs_blank_line_before() -> None:
    assert stream("He turns.\nSTEEL\nHello.\n") == [("action", "He turns.\nSTEEL\nHello.")]


@pytest.mark.parametrize(
    ("cue", "speaker", "extension", "contd"),
    [
        ("MOM (O. S.)", "MOM", "O. S.", False),
        ("HANS (on the radio)", "HANS", "on the radio", False),
        ("STEEL (V.O.)", "STEEL", "V.O.", False),
        ("STEEL (CONT'D)", "STEEL", None, True),
        ("STEEL (cont'd)", "STEEL", None, True),
        ("STEEL (CONT’D)", "STEEL", None, True),
        ("STEEL (V.O.) (CONT'D)", "STEEL", "V.O.", True),
        ("STEEL (CONT'D) (O.S.)", "STEEL", "O.S.", True),
        ("R2D2", "R2D2", None, False),
        ("2ND COP", "2ND COP", None, False),
        ("MRS. O'HARA", "MRS. O'HARA", None, False),
        ("    INDENTED", "INDENTED", None, False),
        ("TRAILING   ", "TRAILING", None, False),
        ("@McCLANE", "McCLANE", None, False),
        ("@3CPO", "3CPO", None, False),
        ("@Han (O.S.)", "Han", "O.S.", False),
    ],
)
def test_cue_extensions(cue: str, speaker: str, extension: str | None, contd: bool) -> None:
    el = els(f"{cue}\nSome words.\n")[0]
    assert el.kind is K.CHARACTER
    assert (el.speaker, el.extension, bool(el.attrs.get("contd"))) == (speaker, extension, contd)


def test_extensions_raw_keeps_parentheses_as_written() -> None:
    el = els("STEEL (V.O.) (CONT'D)\nHi.\n")[0]
    assert el.attrs["extensions_raw"] == ["(V.O.)", "(CONT'D)"]
    assert el.text == "STEEL (V.O.) (CONT'D)"


@pytest.mark.parametrize("line", ["23", "3CPO", "Han (O. S.)", "AND ^ (Dual)", "Mixed Case"])
def test_not_cues(line: str) -> None:
    assert [e.kind for e in els(f"{line}\nwords\n")] == [K.ACTION]


def test_multiline_dialogue_and_two_space_line() -> None:
    doc = parse(
        "DEALER\nTen.\nFour.\nDealer gets a seven.\n  \nHit or stand sir?\n\nMONKEY\nDude.\n"
    )
    assert [(e.kind.value, e.text) for e in doc.elements()] == [
        ("character", "DEALER"),
        ("dialogue", "Ten.\nFour.\nDealer gets a seven.\n\nHit or stand sir?"),
        ("character", "MONKEY"),
        ("dialogue", "Dude."),
    ]


def test_blank_line_ends_dialogue() -> None:
    assert stream("DEALER\nTen.\n\nHit or stand sir?\n") == [
        ("character", "DEALER"),
        ("dialogue", "Ten."),
        ("action", "Hit or stand sir?"),
    ]


def test_parentheticals() -> None:
    text = "STEEL\n(starting the engine)\nSo much for retirement!\n(beat)\nReally.\n"
    assert stream(text) == [
        ("character", "STEEL"),
        ("parenthetical", "(starting the engine)"),
        ("dialogue", "So much for retirement!"),
        ("parenthetical", "(beat)"),
        ("dialogue", "Really."),
    ]
    paren = els(text)[1]
    assert paren.speaker == "STEEL"


def test_multiline_parenthetical_and_parenthesis_in_dialogue() -> None:
    assert stream("BOB\n(quietly, to\nhimself)\nHi.\n(laughs) Yeah.\n") == [
        ("character", "BOB"),
        ("parenthetical", "(quietly, to\nhimself)"),
        ("dialogue", "Hi.\n(laughs) Yeah."),
    ]


def test_indented_elements() -> None:
    text = "\t\t\tBRICK\n\t\t(grim)\n\tThis is everybody.\n\n\t\t\t\tCUT TO:\n\nINT. GARAGE - DAY\n"
    assert stream(text) == [
        ("character", "BRICK"),
        ("parenthetical", "(grim)"),
        ("dialogue", "This is everybody."),
        ("transition", "CUT TO:"),
        ("scene_heading", "INT. GARAGE - DAY"),
    ]


def test_dual_dialogue() -> None:
    doc = parse(
        "Action.\n\nBRICK\nScrew retirement.\n\nSTEEL ^\n(yelling)\nScrew retirement.\n\nAction.\n"
    )
    flags = [(e.kind.value, e.dual, e.attrs.get("dual")) for e in doc.elements()]
    assert flags == [
        ("action", False, None),
        ("character", True, "left"),
        ("dialogue", True, None),
        ("character", True, "right"),
        ("parenthetical", True, None),
        ("dialogue", True, None),
        ("action", False, None),
    ]
    assert doc.elements()[3].speaker == "STEEL"


def test_caret_without_partner_still_marks_its_block() -> None:
    doc = parse("Action.\n\nSTEEL ^\nHi.\n")
    assert [e.dual for e in doc.elements()] == [False, True, True]


def test_caret_after_a_dual_pair_does_not_steal_its_right_side() -> None:
    doc = parse("A\nOne.\n\nB ^\nTwo.\n\nC ^\nThree.\n")
    sides = [e.attrs.get("dual") for e in doc.elements() if e.kind is K.CHARACTER]
    assert sides == ["left", "right", "right"]


# -- other elements -------------------------------------------------------------------------


def test_transitions() -> None:
    text = "Jack argues.\n\nCUT TO:\n\nINT. POOL - DAY\n\nThey wave.\n\n> Burn to White.\n\nSmash Cut To:\n"
    assert stream(text) == [
        ("action", "Jack argues."),
        ("transition", "CUT TO:"),
        ("scene_heading", "INT. POOL - DAY"),
        ("action", "They wave."),
        ("transition", "Burn to White."),
        ("action", "Smash Cut To:"),
    ]


def test_transition_with_trailing_space_is_action() -> None:
    assert stream("CUT TO: \n") == [("action", "CUT TO: ")]


def test_centered() -> None:
    doc = parse(">THE END<\n\n> **THE** END <\n")
    assert [(e.kind, e.text) for e in doc.elements()] == [
        (K.CENTERED, "THE END"),
        (K.CENTERED, "THE END"),
    ]
    assert doc.elements()[1].attrs["markup"] == "**THE** END"


def test_lyrics() -> None:
    assert stream("~Willy Wonka! Willy Wonka!\n~The amazing chocolatier!\n") == [
        ("lyric", "Willy Wonka! Willy Wonka!\nThe amazing chocolatier!")
    ]
    doc = parse("@McCABE\n~Happy birthday to you!\n")
    assert [(e.kind, e.text, e.speaker) for e in doc.elements()] == [
        (K.CHARACTER, "McCABE", "McCABE"),
        (K.LYRIC, "Happy birthday to you!", "McCABE"),
    ]


def test_sections_and_synopses() -> None:
    doc = parse(
        "# ACT I\n\n= Set up.\n\n## Sequence ##\n\n### Scene\n\nINT. A - DAY\n\n= Scene synopsis.\n"
    )
    got = [(e.kind, e.text, e.attrs.get("depth")) for e in doc.elements()]
    assert got == [
        (K.SECTION, "ACT I", 1),
        (K.SYNOPSIS, "Set up.", None),
        (K.SECTION, "Sequence", 2),
        (K.SECTION, "Scene", 3),
        (K.SCENE_HEADING, "INT. A - DAY", None),
        (K.SYNOPSIS, "Scene synopsis.", None),
    ]


def test_line_level_markers_inside_action() -> None:
    assert stream("He sings:\n~La la la\nThen stops.\n## Part two\n") == [
        ("action", "He sings:"),
        ("lyric", "La la la"),
        ("action", "Then stops."),
        ("section", "Part two"),
    ]


def test_page_breaks() -> None:
    doc = parse("One.\n\n===\n\nTwo.\n\n=====\n")
    assert [e.kind for e in doc.elements()] == [K.ACTION, K.PAGE_BREAK, K.ACTION, K.PAGE_BREAK]
    assert doc.elements()[1].span.text(doc.source_text) == "==="


# -- notes and boneyard ---------------------------------------------------------------------


def test_standalone_and_inline_notes() -> None:
    text = (
        "They count the take[[Or did we name them?]].  Money everywhere.\n\n"
        "[[It was supposed to be Vietnamese, right?]]\n\n"
        "JACK\nHi.\n"
    )
    doc = parse(text)
    action, note, cue, line = doc.elements()
    assert action.text == "They count the take.  Money everywhere."
    assert action.attrs["notes"] == ["Or did we name them?"]
    assert (note.kind, note.text) == (K.NOTE, "It was supposed to be Vietnamese, right?")
    assert note.span.text(text) == "[[It was supposed to be Vietnamese, right?]]"
    assert (cue.kind, line.kind) == (K.CHARACTER, K.DIALOGUE)


def test_multiline_note_inside_a_line() -> None:
    text = "His hand is an inch away.[[This needs work.\nCoffee.\n  \nDefinitely coffee.]] He looks around.\n"
    doc = parse(text)
    (action,) = doc.elements()
    assert action.text == "His hand is an inch away. He looks around."
    assert action.attrs["notes"] == ["This needs work. Coffee. Definitely coffee."]
    assert action.span.text(text) == text.rstrip("\n")


def test_note_line_inside_dialogue_keeps_the_block() -> None:
    doc = parse("BOB\nHello.\n[[check this]]\nGoodbye.\n")
    assert [(e.kind, e.text) for e in doc.elements()] == [
        (K.CHARACTER, "BOB"),
        (K.DIALOGUE, "Hello.\nGoodbye."),
        (K.NOTE, "check this"),
    ]


def test_boneyard_across_lines_joins_them() -> None:
    text = "He waits /* cut\nthis */ and waits.\n"
    doc = parse(text)
    (action,) = doc.elements()
    assert action.text == "He waits  and waits."
    assert action.span.text(text) == text.rstrip("\n")
    assert (action.span.start_line, action.span.end_line) == (1, 2)


def test_notes_before_title_page_are_furniture() -> None:
    doc = parse("[[Script note.\n- one\n]]\n\nTitle: X\n\nINT. A - DAY\n")
    assert [e.text for e in doc.furniture] == ["Script note. - one"]
    assert doc.title == "X"
    assert [e.kind for e in doc.elements()] == [K.SCENE_HEADING]


def test_unclosed_note_is_text_with_warning() -> None:
    doc = parse("Action [[never closed.\n")
    assert doc.elements()[0].text == "Action [[never closed."
    assert [w.line for w in doc.warnings] == [1] and "unclosed note" in doc.warnings[0].message


def test_boneyard() -> None:
    text = (
        "COGNITO\nEveryone's coming!\n\nCUT TO:\n/*\nINT. GARAGE - DAY\n\nBRICK\nThis is everybody.\n\n"
        "CUT TO:\n*/\nEXT. MANSION - DAY\n\nA man /* a very /* nested */ aside */drinks.\n"
    )
    doc = parse(text)
    assert [(e.kind.value, e.text) for e in doc.elements()] == [
        ("character", "COGNITO"),
        ("dialogue", "Everyone's coming!"),
        ("transition", "CUT TO:"),
        ("scene_heading", "EXT. MANSION - DAY"),
        ("action", "A man drinks."),
    ]
    last = doc.elements()[-1]
    assert last.span.text(text) == "A man /* a very /* nested */ aside */drinks."
    assert "GARAGE" not in " ".join(s.heading or "" for s in doc.scenes)


def test_boneyard_lines_inside_dialogue_are_invisible() -> None:
    assert stream("BOB\nHello.\n/* cut\nthis */\nGoodbye.\n") == [
        ("character", "BOB"),
        ("dialogue", "Hello.\nGoodbye."),
    ]


def test_unclosed_boneyard_is_text_with_warning() -> None:
    doc = parse("Action.\n\n/* and so on\n")
    assert [e.text for e in doc.elements()] == ["Action.", "/* and so on"]
    assert doc.warnings[0].line == 3 and "unclosed boneyard" in doc.warnings[0].message


def test_only_boneyard() -> None:
    doc = parse("/* nothing\nat all */\n")
    assert doc.elements() == [] and doc.warnings == []


# -- emphasis and escapes -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("*italics*", "italics"),
        ("**bold**", "bold"),
        ("***bold italics***", "bold italics"),
        ("_underline_", "underline"),
        (
            "_Steel's face FILLS the *Leupold Mark 4* scope_.",
            "Steel's face FILLS the Leupold Mark 4 scope.",
        ),
        ("**\\*9765\\***", "*9765*"),
        (
            "He dialed *69 and then *23, and then hung up.",
            "He dialed *69 and then *23, and then hung up.",
        ),
        (
            "He dialed *69 and then 23*, and then hung up.",
            "He dialed 69 and then 23, and then hung up.",
        ),
        (
            "He dialed *69 and then 23\\*, and then hung up.",
            "He dialed *69 and then 23*, and then hung up.",
        ),
        ("snake_case_name", "snake_case_name"),
        ("Escape\\_escape\\*escape", "Escape_escape*escape"),
        ("*not\nacross lines*", "*not\nacross lines*"),
    ],
)
def test_emphasis(raw: str, clean: str) -> None:
    assert clean_inline(raw) == clean


def test_emphasis_markup_kept_in_attrs() -> None:
    el = els("DAN\nThen let's retire them.\n_Permanently_.\n")[1]
    assert el.text == "Then let's retire them.\nPermanently."
    assert el.attrs["markup"] == "Then let's retire them.\n_Permanently_."
    assert "markup" not in els("Plain action.\n")[0].attrs


# -- line endings, title page, caseless scripts ---------------------------------------------


def test_crlf_and_mixed_line_endings() -> None:
    text = "Title: T\r\n\r\nINT. A - DAY\r\n\r\nBOB\r\nHi there.\nBye.\r\n\r\nAction\tline.\n"
    doc = parse(text)
    assert [(e.kind.value, e.text) for e in doc.elements()] == [
        ("scene_heading", "INT. A - DAY"),
        ("character", "BOB"),
        ("dialogue", "Hi there.\nBye."),
        ("action", "Action    line."),
    ]
    assert all("\r" not in e.text for e in doc.elements())
    assert doc.elements()[2].span.text(text) == "Hi there.\nBye."


def test_title_page() -> None:
    text = (
        "title:\n    _**BRICK & STEEL**_\n    _**FULL RETIRED**_\nCredit: Written by\n"
        "AUTHOR: Stu Maschwitz\nDraft date: 1/20/2012\nContact:\n\tNext Level Productions\n"
        "\t1588 Mission Dr.\n\nEXT. PATIO - DAY\n"
    )
    doc = parse(text)
    assert doc.title == "BRICK & STEEL FULL RETIRED"
    assert doc.title_page == {
        "title": "_**BRICK & STEEL**_\n_**FULL RETIRED**_",
        "credit": "Written by",
        "author": "Stu Maschwitz",
        "draft date": "1/20/2012",
        "contact": "Next Level Productions\n1588 Mission Dr.",
    }
    assert [e.kind for e in doc.elements()] == [K.SCENE_HEADING]
    assert doc.attrs["title_page_lines"] == [1, 9]


def test_title_page_fullwidth_colon() -> None:
    doc = parse("Title：映画\nAuthor：匿名\n\nINT。 病院-日\n")
    assert doc.title == "映画" and doc.title_page == {"title": "映画", "author": "匿名"}
    assert [s.heading for s in doc.scenes] == ["INT。 病院-日"]


def test_first_line_with_colon_is_not_a_title_page() -> None:
    doc = parse("FADE IN:\n\nINT. A - DAY\n")
    assert doc.title_page == {} and doc.title is None
    assert [e.text for e in doc.elements()] == ["FADE IN:", "INT. A - DAY"]


def test_title_page_ends_at_a_non_key_line() -> None:
    doc = parse("Title: Brick\nINT. A - DAY\n\nAction.\n")
    assert doc.title == "Brick"
    assert [e.kind for e in doc.elements()] == [K.SCENE_HEADING, K.ACTION]


def test_caseless_cues_with_parenthetical_pattern() -> None:
    doc = parse(
        "ジョン（20）が入院。\n\nジョン\n（失われた）\nこの場所は何ですか？\n\nフェードアウト。\n"
    )
    assert [(e.kind.value, e.text) for e in doc.elements()] == [
        ("action", "ジョン（20）が入院。"),
        ("character", "ジョン"),
        ("parenthetical", "（失われた）"),
        ("dialogue", "この場所は何ですか？"),
        ("action", "フェードアウト。"),
    ]


def test_caseless_cues_with_repeated_names() -> None:
    doc = parse("철수\n안녕하세요.\n\n영희\n반가워요.\n\n철수\n잘 지냈어요?\n")
    assert [e.speaker for e in doc.elements() if e.kind is K.CHARACTER] == ["철수", "영희", "철수"]


def test_caseless_line_without_dialogue_pattern_is_action() -> None:
    doc = parse("그는 문을 연다\n방은 비어 있다.\n")
    assert [e.kind for e in doc.elements()] == [K.ACTION]
    doc = parse("@그는\n방은 비어 있다.\n")
    assert [e.kind for e in doc.elements()] == [K.CHARACTER, K.DIALOGUE]


# -- sniffing and errors --------------------------------------------------------------------


def test_sniffed_fountain_path(tmp_path: Path) -> None:
    path = tmp_path / "script.fountain"
    path.write_text("Bob walks in.\n\nBOB\nHello.\n", encoding="utf-8")
    doc = read_path(path)
    assert doc.source_format == "fountain"
    assert [e.kind for e in doc.elements()] == [K.ACTION, K.CHARACTER, K.DIALOGUE]


def test_sniffed_txt_with_headings(tmp_path: Path) -> None:
    path = tmp_path / "script.txt"
    path.write_text("INT. HOUSE - DAY\n\nBob walks in.\n\nBOB\nHello.\n", encoding="utf-8")
    doc = read_path(path)
    assert doc.source_format == "fountain"
    assert [s.heading for s in doc.scenes] == ["INT. HOUSE - DAY"]


def test_empty_input_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        read_bytes(b"  \n\n", fmt="fountain")


def test_latin1_input() -> None:
    doc = read_bytes(
        "INT. CAFÉ - DAY\n\nRENÉ\nBonjour à tous, ça va très bien.\n".encode("latin-1"),
        fmt="fountain",
    )
    assert [e.speaker for e in doc.elements() if e.kind is K.CHARACTER] == ["RENÉ"]


# -- properties -----------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_give_document_or_parse_error(data: bytes) -> None:
    try:
        doc = read_bytes(data, fmt="fountain")
    except ParseError:
        return
    check_spans(doc)


FRAGMENTS = [
    "INT. HOUSE - DAY",
    "EXT. GARDEN #12#",
    ".FORCED",
    "...ellipsis",
    "BOB",
    "BOB ^",
    "STEEL (V.O.) (CONT'D)",
    "@McCabe",
    "    INDENTED",
    "(beat)",
    "(long",
    "paren)",
    "Hello there, *friend*.",
    "_under_ and **bold**",
    "\\*escaped\\_",
    "CUT TO:",
    "> FADE OUT.",
    ">CENTER<",
    "~la la",
    "# Act",
    "## Seq ##",
    "= synopsis",
    "===",
    "!FORCED ACTION",
    "[[note]]",
    "text [[inline]] text",
    "[[multi",
    "line note]]",
    "/*",
    "*/",
    "a /* b */ c",
    "Title: X",
    "Author: Y",
    "\tindented value",
    "ジョン",
    "（笑）",
    "철수",
    "  ",
    "",
    "",
    "",
    "\t",
    "^",
    "@",
    "#",
    "=",
    ">",
    "~",
    "!",
    "(",
    "[[",
    "]]",
]


@st.composite
def fountainish(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=12), max_size=40))
    endings = draw(
        st.lists(st.sampled_from(["\n", "\r\n", "\n\n"]), min_size=len(parts), max_size=len(parts))
    )
    return "".join(p + e for p, e in zip(parts, endings, strict=True))


@settings(max_examples=300, deadline=None)
@given(fountainish())
def test_span_property_on_fountainish_text(text: str) -> None:
    try:
        doc = read_bytes(text.encode("utf-8"), fmt="fountain")
    except ParseError:
        # only an empty file is refused: nothing but white space, NUL bytes and byte-order
        # mark bytes (what readers.read_bytes counts as blank)
        assert not text.encode("utf-8").strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe")
        return
    check_spans(doc)
    if "/*" in text or "*/" in text or "[[" in text:
        return
    # Nothing is lost: every non-blank line is in an element, or in the title page.
    covered: set[int] = set()
    for el in doc.elements():
        covered.update(range(el.span.start_line, el.span.end_line + 1))
    first, last = doc.attrs.get("title_page_lines", [0, -1])
    covered.update(range(first, last + 1))
    for no, line in enumerate(doc.source_text.split("\n"), 1):
        if line.strip():
            assert no in covered, (no, line)
