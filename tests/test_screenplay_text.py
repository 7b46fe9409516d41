"""The plain-text (IMSDb-style) screenplay reader: layout by indentation and capitals."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sceneanatomy.errors import ParseError
from sceneanatomy.model import Document, ElementKind, Span
from sceneanatomy.readers import read_bytes, read_path
from sceneanatomy.readers.screenplay_text import LineRec, classify_lines, parse_cue, split_lines

K = ElementKind

# A short screenplay of our own, laid out the way scripts saved from the web are: a centred
# title page, numbered scenes, cues at column 37, dialogue at 25, parentheticals at 30,
# right-aligned transitions, page numbers and CONTINUED furniture, a revision asterisk.
SCRIPT = """\


                                  ROOFTOP RAIN


                                   Written by

                                  Ada Lovell


                                                      March 3, 2024


               FADE IN:

          1    EXT. CITY ROOFTOP - NIGHT                                1

               Rain hammers the gravel roof. MINA (30s) stands at the
               ledge, a cold coffee in her hand.

                                     MINA (V.O.)
                         I never meant to stay this long.

               JUNHO (30s) pushes through the stairwell door.

                                     JUNHO
                              (out of breath)
                         You left the party. Again.
                         Everyone noticed.

                                     MINA
                         Let them notice.
                              (beat; turning to
                               face him)
                         You came up here anyway.
                                     (MORE)
                                                                   2.
                                     MINA (CONT'D)
                         Why?

                                                            CUT TO:

          2    INT. STAIRWELL - CONTINUOUS                              2

               Junho sits on the top step.                                  *

                                     JUNHO
                         Because it's raining.

          3    OMITTED                                                  3

          4    INT. LOBBY - LATER                                       4

               Mina walks out alone.

                                                            FADE OUT.
"""


def _check_spans(doc: Document) -> None:
    src = doc.source_text
    newlines = [m.start() for m in re.finditer("\n", src)]

    def line_of(offset: int) -> int:  # 1-based line of a character offset
        return bisect.bisect_left(newlines, offset) + 1

    for el in doc.elements() + doc.furniture:
        raw = src[el.span.start_char : el.span.end_char]
        assert raw, el
        assert raw == raw.strip(), el
        assert el.span.start_line == line_of(el.span.start_char)
        assert el.span.end_line == line_of(max(el.span.start_char, el.span.end_char - 1))
    for el in doc.elements():
        # the cleaned text is the raw text with the layout removed
        raw = src[el.span.start_char : el.span.end_char]
        if el.kind in (K.ACTION, K.DIALOGUE, K.PARENTHETICAL, K.CHARACTER, K.TRANSITION):
            # (hyphens: words rejoined across lines; asterisks: revision marks, dropped)
            squeeze = "".join(el.text.split()).replace("-", "").replace("*", "")
            assert squeeze == "".join(raw.split()).replace("-", "").replace("*", ""), el


def _read(text: str, **kw: object) -> Document:
    return read_bytes(text.encode(), fmt="screenplay-text", **kw)  # type: ignore[arg-type]


def _kinds(doc: Document) -> list[tuple[str, str]]:
    return [(e.kind.value, e.text) for e in doc.elements()]


def test_reads_the_sample_screenplay() -> None:
    doc = _read(SCRIPT)
    assert doc.source_format == "screenplay-text"
    assert doc.title == "ROOFTOP RAIN"
    assert doc.title_page["author"] == "Ada Lovell"
    assert doc.title_page["draft date"] == "March 3, 2024"
    assert [s.heading for s in doc.scenes] == [
        None,
        "EXT. CITY ROOFTOP - NIGHT",
        "INT. STAIRWELL - CONTINUOUS",
        "INT. LOBBY - LATER",
    ]
    assert [s.number for s in doc.scenes[1:]] == ["1", "2", "4"]
    assert doc.scenes[1].time_of_day == "NIGHT" and doc.scenes[1].interior is False
    assert _kinds(doc)[0] == ("transition", "FADE IN:")
    rooftop = [(e.kind.value, e.text) for e in doc.scenes[1].elements]
    assert rooftop == [
        ("scene_heading", "EXT. CITY ROOFTOP - NIGHT"),
        (
            "action",
            "Rain hammers the gravel roof. MINA (30s) stands at the ledge, a cold coffee in her hand.",
        ),
        ("character", "MINA (V.O.)"),
        ("dialogue", "I never meant to stay this long."),
        ("action", "JUNHO (30s) pushes through the stairwell door."),
        ("character", "JUNHO"),
        ("parenthetical", "(out of breath)"),
        ("dialogue", "You left the party. Again. Everyone noticed."),
        ("character", "MINA"),
        ("dialogue", "Let them notice."),
        ("parenthetical", "(beat; turning to face him)"),
        ("dialogue", "You came up here anyway."),
        ("character", "MINA (CONT'D)"),
        ("dialogue", "Why?"),
        ("transition", "CUT TO:"),
    ]
    cues = [e for e in doc.elements() if e.kind is K.CHARACTER]
    assert [(c.speaker, c.extension, c.attrs.get("contd", False)) for c in cues] == [
        ("MINA", "V.O.", False),
        ("JUNHO", None, False),
        ("MINA", None, False),
        ("MINA", None, True),
        ("JUNHO", None, False),
    ]
    dialogue = [e for e in doc.elements() if e.kind is K.DIALOGUE]
    assert dialogue[0].speaker == "MINA" and dialogue[0].extension == "V.O."
    # the revision asterisk is not part of the action
    stair = [e.text for e in doc.scenes[2].elements if e.kind is K.ACTION]
    assert stair == ["Junho sits on the top step."]
    assert _kinds(doc)[-1] == ("transition", "FADE OUT.")
    furniture = Counter(e.attrs["furniture"] for e in doc.furniture)
    assert furniture["more"] == 1 and furniture["page_number"] == 1
    assert furniture["omitted"] == 1 and furniture["title_page"] >= 4
    assert not doc.warnings
    _check_spans(doc)


def test_span_points_at_the_raw_text() -> None:
    doc = _read(SCRIPT)
    src = doc.source_text
    paren = next(e for e in doc.elements() if e.text == "(beat; turning to face him)")
    assert src[paren.span.start_char : paren.span.end_char] == (
        "(beat; turning to\n                               face him)"
    )
    assert paren.span.end_line == paren.span.start_line + 1
    head = doc.scenes[1].elements[0]
    assert src[head.span.start_char : head.span.end_char].startswith("1    EXT. CITY ROOFTOP")


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\f"])
def test_line_endings(newline: str) -> None:
    if newline == "\f":  # a form feed before the page number: a page break
        text = re.sub(r"\n( +2\.)", "\n\f\\1", SCRIPT)
        assert "\f" in text
    else:
        text = SCRIPT.replace("\n", newline)
    doc = _read(text)
    plain = _read(SCRIPT)
    assert _kinds(doc) == _kinds(plain)
    assert doc.source_text == text
    for el in doc.elements():
        assert doc.source_text[el.span.start_char : el.span.end_char].strip()


def test_tabs_expand_to_eight_columns() -> None:
    text = (
        "\tINT. KITCHEN - DAY\n\n\tAnna pours tea for both of them and sits.\n\n"
        "\t\t\t\tANNA\n\t\t\tIs it too strong?\n\n\t\t\t\tBEN\n\t\t\t(sipping)\n\t\t\tPerfect.\n"
    )
    doc = _read(text)
    assert _kinds(doc) == [
        ("scene_heading", "INT. KITCHEN - DAY"),
        ("action", "Anna pours tea for both of them and sits."),
        ("character", "ANNA"),
        ("dialogue", "Is it too strong?"),
        ("character", "BEN"),
        ("parenthetical", "(sipping)"),
        ("dialogue", "Perfect."),
    ]
    _check_spans(doc)


def test_headings_without_int_ext_when_numbered_at_both_ends() -> None:
    text = (
        "3       ON JOHN                                        3\n\n"
        "        He looks up from the newspaper and frowns at the clock.\n\n"
        "3-A     HIS P.O.V. - THE CLOCK                         3-A\n\n"
        "        It has stopped.\n\n"
        "                                 JOHN\n"
        "                  Not again.\n"
    )
    doc = _read(text)
    assert [(s.heading, s.number) for s in doc.scenes] == [
        ("ON JOHN", "3"),
        ("HIS P.O.V. - THE CLOCK", "3-A"),
    ]


def test_wrapped_heading_and_flush_left_cues() -> None:
    # A flush-left script: nothing indented, cues recognised by capitals alone.
    text = (
        "INT. OLD THEATRE (BACKSTAGE) /\nDRESSING ROOM - NIGHT\n\n"
        "Lights flicker above the mirror while the crowd murmurs outside.\n\n"
        "NORA\nAre they all here?\n\nPETE\n(checking)\nEvery seat.\n\n"
        "NORA\nThen we begin.\n\nPETE (O.S.)\nPlaces!\n"
    )
    doc = _read(text)
    assert doc.scenes[0].heading == "INT. OLD THEATRE (BACKSTAGE) / DRESSING ROOM - NIGHT"
    assert [e.speaker for e in doc.elements() if e.kind is K.CHARACTER] == [
        "NORA",
        "PETE",
        "NORA",
        "PETE",
    ]
    assert [e.text for e in doc.elements() if e.kind is K.DIALOGUE] == [
        "Are they all here?",
        "Every seat.",
        "Then we begin.",
        "Places!",
    ]


def test_parse_cue() -> None:
    assert parse_cue("JUNO (V.O.)") == ("JUNO", "V.O.", False)
    assert parse_cue("ZOE (V.O.)(CONT'D)") == ("ZOE", "V.O.", True)
    assert parse_cue("ZOE (CONT'D)") == ("ZOE", None, True)
    assert parse_cue("JAVED O/S") == ("JAVED", "O/S", False)
    assert parse_cue("DELILAH'S VOICE o.s.") == ("DELILAH'S VOICE", "o.s.", False)
    assert parse_cue("DR. HARRIS") == ("DR. HARRIS", None, False)
    assert parse_cue("M.C.S. JACK.") is None
    assert parse_cue("Hello there") is None
    assert parse_cue("CUT TO:") is None


def test_classify_lines_takes_records() -> None:
    # The core the PDF reader reuses: indents in columns, offsets into the source text.
    src = "EXT. PARK - DAY\n\nKids run.\n\n                    AMY\n          Wait for me!\n"
    recs = split_lines(src)
    assert recs[4] == LineRec("AMY", 20, src.index("AMY"), src.index("AMY") + 3)
    res = classify_lines(recs, src)
    assert [(e.kind.value, e.text) for e in res.elements] == [
        ("scene_heading", "EXT. PARK - DAY"),
        ("action", "Kids run."),
        ("character", "AMY"),
        ("dialogue", "Wait for me!"),
    ]
    assert res.elements[3].span.start_line == 6


def test_spans_equal_constructed_spans() -> None:
    # the reader fills Span slots directly for speed; the result must be a normal Span
    for el in _read(SCRIPT).elements():
        sp = el.span
        same = Span(sp.start_line, sp.end_line, sp.start_char, sp.end_char)
        assert sp == same and hash(sp) == hash(same) and sp.start_time is None


def test_plain_prose_is_read_with_warnings() -> None:
    doc = _read("Just a paragraph of prose.\nNothing screenplay about it.\n")
    assert [e.kind for e in doc.elements()] == [K.ACTION]
    assert any("no scene headings" in w.message for w in doc.warnings)


def test_web_page_debris_is_furniture() -> None:
    text = (
        "<b><!--\n</b>if (window!= top)\ntop.location.href=location.href\n<b>// -->\n</b>\n"
        "Some Film (1999) movie script - Screenplays for You\n\n"
        "INT. ROOM - DAY\n\nA bare room with one chair in the middle of it.\n\n"
        "google_ad_height = 600;\n//-->\n"
    )
    doc = _read(text)
    assert doc.title == "Some Film"
    assert _kinds(doc) == [
        ("scene_heading", "INT. ROOM - DAY"),
        ("action", "A bare room with one chair in the middle of it."),
    ]
    assert {e.attrs["furniture"] for e in doc.furniture} == {"web"}


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_give_document_or_parse_error(data: bytes) -> None:
    try:
        doc = read_bytes(data, fmt="screenplay-text")
    except ParseError:
        return
    _check_spans(doc)


_FRAGMENTS = [
    "INT. HOUSE - DAY",
    "EXT. STREET - NIGHT 12",
    "12A  INT. CAR - MOVING  12A",
    "ANNA",
    "BEN (V.O.)",
    "ANNA (CONT'D)",
    "(quietly)",
    "(beat",
    "then)",
    "She waits by the door.",
    "I told you so.",
    "CUT TO:",
    "FADE OUT.",
    "(MORE)",
    "CONTINUED:",
    "3    CONTINUED:    3",
    "22.",
    "OMITTED",
    "Written by",
    "THE END",
    "*",
    "lock-",
    "out",
    "<b>",
    "var x = 1;",
    "RUBY          THEO (V.O.)",
    "Yes, I did.          (beat)",
    "",
    "",
]


@st.composite
def _screenplayish(draw: st.DrawFn) -> str:
    lines = draw(
        st.lists(
            st.tuples(
                st.sampled_from(_FRAGMENTS) | st.text(max_size=30),
                st.integers(0, 60),
                st.sampled_from(["\n", "\n", "\n", "\r\n", "\r", "\t", " "]),
            ),
            max_size=60,
        )
    )
    return "".join(" " * ind + frag + end for frag, ind, end in lines)


@settings(max_examples=150, deadline=None)
@given(_screenplayish())
def test_screenplayish_text_keeps_the_span_property(text: str) -> None:
    try:
        doc = _read(text)
    except ParseError:
        return
    assert doc.source_text == text
    _check_spans(doc)


# --- the 15 real scripts under ../shared -------------------------------------------------


def _scripts(shared_dir: Path) -> list[Path]:
    d = shared_dir / "eval" / "narrative" / "tripod" / "screenplays_test"
    paths = sorted(d.glob("*_script.txt"))
    if len(paths) < 15:
        pytest.skip("../shared/eval/narrative/tripod/screenplays_test is not present")
    return paths


def _cast(script: Path) -> list[str]:
    meta = script.with_name(script.name.replace("_script.txt", "_imdb_meta.txt"))
    rows = [r.split("\t") for r in meta.read_text(encoding="utf-8").splitlines()]
    return [r[2] for r in rows if r[0] == "cast" and len(r) > 2]


@pytest.mark.shared
def test_real_scripts_have_sane_structure(shared_dir: Path) -> None:
    for path in _scripts(shared_dir):
        doc = read_path(path, fmt="screenplay-text")
        els = doc.elements()
        kinds = Counter(e.kind for e in els)
        speakers = Counter(e.speaker for e in els if e.kind is K.CHARACTER)
        name = path.name
        assert len(doc.scenes) >= 40, name
        assert kinds[K.CHARACTER] >= 300, name
        assert len(speakers) >= 10, name
        assert kinds[K.DIALOGUE] >= 0.9 * kinds[K.CHARACTER], name
        assert kinds[K.ACTION] >= 200, name
        nonblank = sum(1 for ln in doc.source_text.splitlines() if ln.strip())
        speech = sum(
            e.span.end_line - e.span.start_line + 1
            for e in els
            if e.kind in (K.CHARACTER, K.DIALOGUE, K.PARENTHETICAL)
        )
        assert speech >= 0.3 * nonblank, name
        # no speaker is a stray sentence or a transition
        for s in speakers:
            assert s is not None and len(s) <= 40 and not s.endswith(":"), (name, s)
        # the IMDb cast is found among the speakers (at least half of the top eight)
        words = {w for s in speakers for w in re.findall(r"[A-Z][A-Z'\-]+", s.upper())}
        top = _cast(path)[:8]
        found = [
            c for c in top if any(w.upper() in words for w in re.findall(r"[A-Za-z'\-]{3,}", c))
        ]
        assert len(found) >= len(top) // 2, (name, top)
        assert doc.title, name
        _check_spans(doc)


@pytest.mark.shared
def test_real_scripts_details_checked_by_eye(shared_dir: Path) -> None:
    by_name = {p.name.split("_")[0]: p for p in _scripts(shared_dir)}

    juno = read_path(by_name["Juno (film)"], fmt="screenplay-text")
    assert juno.title == "JUNO" and juno.title_page["author"] == "Diablo Cody"
    first = juno.scenes[0]
    assert first.heading == "EXT. CENTENNIAL LANE - DUSK" and first.number == "1"
    assert first.elements[0].attrs["scene_number"] == "1"
    cue = next(e for e in juno.elements() if e.kind is K.CHARACTER)
    assert (cue.speaker, cue.extension) == ("JUNO", "V.O.")
    line = next(e for e in juno.elements() if e.kind is K.DIALOGUE)
    assert line.text == "It started with a chair."

    die_hard = read_path(by_name["Die Hard"], fmt="screenplay-text")
    assert die_hard.title == "DIE HARD"
    assert [(s.heading, s.number) for s in die_hard.scenes[:3]] == [
        (None, None),  # "FADE IN" before the first heading
        ("405 FREEWAY - LOS ANGELES - EARLY EVENING", "1"),
        ("INT. 747 - PASSENGERS - SAME", "2"),
    ]
    assert ("ON JOHN MCCLANE", "3") in [(s.heading, s.number) for s in die_hard.scenes]

    one87 = read_path(by_name["One Eight Seven"], fmt="screenplay-text")
    assert (
        one87.scenes[2].heading
        == "EXT. ROOSEVELT WHITNEY HIGH SCHOOL (BEDFORD STUYVESANT) - MORNING"
    )
    assert one87.scenes[2].number == "3"

    slumdog = read_path(by_name["Slumdog Millionaire"], fmt="screenplay-text")
    javed = next(e for e in slumdog.elements() if e.kind is K.CHARACTER)
    assert (javed.speaker, javed.extension) == ("JAVED", "O/S")
    assert slumdog.scenes[0].heading == "INT. JAVED'S SAFE-HOUSE. BATHROOM. NIGHT."

    breakfast = read_path(by_name["The Breakfast Club"], fmt="screenplay-text")
    brian = next(e for e in breakfast.elements() if e.kind is K.CHARACTER)
    assert (brian.speaker, brian.extension) == ("BRIAN", "VO")
    assert breakfast.scenes[1].heading == "EXT. SHERMER HIGH SCHOOL - DAY"

    crying = read_path(by_name["The Crying Game"], fmt="screenplay-text")
    assert crying.title == "The Crying Game"
    assert not any(e.text.startswith("<") for e in crying.elements())


def test_real_scripts_are_sniffed_as_screenplay_text(shared_dir: Path) -> None:
    from sceneanatomy.readers import Source
    from sceneanatomy.sniff import detect_format

    for path in _scripts(shared_dir):
        assert detect_format(Source(path.read_bytes(), str(path))) == "screenplay-text", path.name


# --- dual dialogue in two columns ----------------------------------------------------------

DUAL = """\
INT. SCHOOL LIBRARY - DAY

          The kids sit around the big table, bored out of their minds for hours.

                    RUBY                          THEO
          You took the last one,
          didn't you?                      I did not.
                                           (beat)
                                           Maybe.

                            RUBY
               Thought so.

                  JUNO (V.O.)                 MAC (CONT'D)
               (angry)                     (calm, but
          What is this?                    quiet)
          Tell me.                         Nothing at all.
"""


def test_two_column_dual_dialogue() -> None:
    doc = _read(DUAL)
    _check_spans(doc)
    src = doc.source_text
    got = [
        (el.kind, el.text, el.speaker, el.dual, dict(el.attrs))
        for el in doc.elements()
        if el.kind not in (K.SCENE_HEADING, K.ACTION)
    ]
    assert got[:7] == [
        (K.CHARACTER, "RUBY", "RUBY", True, {"dual": "left"}),
        (K.DIALOGUE, "You took the last one,", "RUBY", True, {}),
        (K.DIALOGUE, "didn't you?", "RUBY", True, {"continues": True}),
        (K.CHARACTER, "THEO", "THEO", True, {"dual": "right"}),
        (K.DIALOGUE, "I did not.", "THEO", True, {}),
        (K.PARENTHETICAL, "(beat)", "THEO", True, {}),
        (K.DIALOGUE, "Maybe.", "THEO", True, {}),
    ]
    # an ordinary cue after it is not dual
    assert got[7] == (K.CHARACTER, "RUBY", "RUBY", False, {})
    assert got[8][:4] == (K.DIALOGUE, "Thought so.", "RUBY", False)
    juno = [x for x in got[9:] if x[2] == "JUNO"]
    mac = [x for x in got[9:] if x[2] == "MAC"]
    assert [x[:2] for x in juno] == [
        (K.CHARACTER, "JUNO (V.O.)"),
        (K.PARENTHETICAL, "(angry)"),
        (K.DIALOGUE, "What is this?"),
        (K.DIALOGUE, "Tell me."),
    ]
    assert [x[:2] for x in mac] == [
        (K.CHARACTER, "MAC (CONT'D)"),
        (K.PARENTHETICAL, "(calm, but"),
        (K.PARENTHETICAL, "quiet)"),
        (K.DIALOGUE, "Nothing at all."),
    ]
    assert mac[0][4] == {"dual": "right", "contd": True} and mac[2][4] == {"continues": True}
    cue = next(el for el in doc.elements() if el.text == "JUNO (V.O.)")
    assert cue.extension == "V.O." and src[cue.span.start_char : cue.span.end_char] == "JUNO (V.O.)"
    # each fragment's span is exactly its own column's text on its own line
    maybe = next(el for el in doc.elements() if el.text == "Maybe.")
    assert src[maybe.span.start_char : maybe.span.end_char] == "Maybe."
    assert (
        maybe.span.start_line
        == maybe.span.end_line
        == DUAL.splitlines().index("                                           Maybe.") + 1
    )


@pytest.mark.parametrize(
    "line",
    [
        "                    RUBY          (V.O.)",  # an extension far off: one cue
        "                    RUBY          CONT'D",
        "                    RUBY          V.O.",
    ],
)
def test_wide_gap_without_two_cues_is_not_dual(line: str) -> None:
    text = "INT. A - DAY\n\n     A line of action that is long enough to set the action indent.\n\n"
    doc = _read(text + line + "\n          Hello.\n")
    assert not any(el.dual for el in doc.elements())


def test_two_names_without_a_right_column_are_not_dual() -> None:
    text = (
        "INT. A - DAY\n\n     A line of action that is long enough to set the action indent.\n\n"
        "               RUBY      THEO\n          Only one column of text here.\n"
    )
    doc = _read(text)
    assert not any(el.dual for el in doc.elements())
    _check_spans(doc)


_NAMES = ["RUBY", "THEO", "MRS. PARK", "DR. KIM (V.O.)", "JO-ANN", "AL (O.S.)"]
_WORDS = st.sampled_from(["yes", "no", "I", "never", "said", "that.", "Why?", "(beat)", "ok"])


@st.composite
def _dual_block(draw: st.DrawFn) -> tuple[str, list[str], list[str], str, str]:
    left_name, right_name = draw(st.permutations(_NAMES))[:2]
    left_col = draw(st.integers(8, 14))
    right_col = draw(st.integers(40, 48))
    left_cue = draw(st.integers(left_col + 4, 24))
    right_cue = draw(st.integers(right_col + 2, 56))
    rows = draw(st.integers(1, 4))
    left = [" ".join(draw(st.lists(_WORDS, max_size=4))) for _ in range(rows)]
    for k, a in enumerate(left):  # (a left column ends 3 spaces or more before the right one)
        while left_col + len(a) + 3 > right_col:
            a = a.rsplit(" ", 1)[0] if " " in a else ""
        left[k] = a
    right = [" ".join(draw(st.lists(_WORDS, max_size=4))) for _ in range(rows)]
    if not any(right):
        right[0] = "Fine."
    for k in range(rows):  # (a row with nothing in either column would end the speech)
        if not left[k] and not right[k]:
            left[k] = "Hm."
    lines = [
        " " * left_cue + left_name + " " * (right_cue - left_cue - len(left_name)) + right_name
    ]
    for a, b in zip(left, right, strict=True):
        row = (" " * left_col + a) if a else ""
        if b:
            row = row.ljust(right_col) + b
        lines.append(row.rstrip() or " " * left_col)
    return "\n".join(lines), left, right, left_name, right_name


@settings(max_examples=150, deadline=None)
@given(_dual_block(), st.sampled_from(["\n", "\r\n"]))
def test_generated_dual_blocks(block: tuple[str, list[str], list[str], str, str], nl: str) -> None:
    body, left, right, left_name, right_name = block
    action = "     A line of action that is long enough to set the action indent.\n" * 10
    text = ("INT. A - DAY\n\n" + action + "\n" + body + "\n\n     The end.\n").replace("\n", nl)
    doc = _read(text)
    _check_spans(doc)
    dual = [el for el in doc.elements() if el.dual]
    cues = [el for el in dual if el.kind is K.CHARACTER]
    assert [c.text for c in cues] == [left_name, right_name]
    assert [c.attrs["dual"] for c in cues] == ["left", "right"]
    for cue, col in zip(cues, (left, right), strict=True):
        said = [el.text for el in dual if el.speaker == cue.speaker and el is not cue]
        assert " ".join(said).split() == " ".join(col).split()
    src = doc.source_text
    for el in dual:  # one element per fragment: its raw text is its cleaned text
        assert " ".join(src[el.span.start_char : el.span.end_char].split()) == el.text
        assert el.span.start_line == el.span.end_line
