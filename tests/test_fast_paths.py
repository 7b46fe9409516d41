"""The shortcuts behind parse speed give exactly what the plain code they replace gives.

Each fast path (benchmarks/parse_speed.py) is checked against the obvious implementation:
the model's slot-filling constructors against the dataclass constructors, the regex-free
heading and scene-number tests against the regexes they stand for, the line splitter
against a line-by-line split.
"""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sceneanatomy import headings
from sceneanatomy.model import (
    Element,
    ElementKind,
    Span,
    make_element,
    make_span,
    make_timed_span,
)
from sceneanatomy.readers import read_bytes
from sceneanatomy.readers import screenplay_text as stx
from sceneanatomy.scenes import group_by_headings

FAST = settings(max_examples=300, deadline=None)


# -- model ------------------------------------------------------------------------------------


def test_make_span_is_an_ordinary_span() -> None:
    sp = make_span(3, 4, 10, 25)
    assert type(sp) is Span
    assert sp == Span(3, 4, 10, 25)
    assert hash(sp) == hash(Span(3, 4, 10, 25))
    assert sp.start_time is None and sp.end_time is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        sp.start_line = 5  # type: ignore[misc]


def test_make_timed_span_is_an_ordinary_span() -> None:
    sp = make_timed_span(3, 4, 10, 25, 1.5, 2.25)
    assert type(sp) is Span
    assert sp == Span(3, 4, 10, 25, 1.5, 2.25)
    assert hash(sp) == hash(Span(3, 4, 10, 25, 1.5, 2.25))
    with pytest.raises(dataclasses.FrozenInstanceError):
        sp.end_time = 3.0  # type: ignore[misc]


def test_make_element_is_an_ordinary_element() -> None:
    el = make_element(ElementKind.CHARACTER, "JUNO", 7, 7, 100, 104, "JUNO", "V.O.")
    ref = Element(ElementKind.CHARACTER, "JUNO", Span(7, 7, 100, 104), "JUNO", "V.O.")
    assert type(el) is Element and type(el.span) is Span
    assert el == ref
    other = make_element(ElementKind.ACTION, "x", 1, 1, 0, 1)
    assert other.attrs == {} and other.attrs is not el.attrs  # a dict of its own
    assert (other.speaker, other.extension, other.dual) == (None, None, False)
    fields = [f.name for f in dataclasses.fields(Element)]
    assert all(hasattr(el, name) for name in fields)


# -- headings ---------------------------------------------------------------------------------

_HEADING_BITS = st.sampled_from(
    [
        "INT.",
        "EXT.",
        "int.",
        "EST.",
        "I/E",
        "E / I",
        "INT./EXT.",
        "INT",
        " ",
        " - ",
        "-",
        ",",
        "(",
        ")",
        "/",
        ".",
        "HOUSE",
        "kitchen",
        "DAY",
        "day",
        "NIGHT",
        "LATE NIGHT",
        "MOMENTS LATER",
        "A MOMENT LATER",
        "CONTINUOUS",
        "SAME",
        "SAME TIME",
        "MIDNIGHT",
        "DAWN",
        "12",
        "#3#",
    ]
)


@FAST
@given(st.lists(_HEADING_BITS, max_size=8).map("".join), st.sampled_from([None, "7"]))
def test_ascii_heading_parts_match_the_regexes(text: str, number: str | None) -> None:
    t = " ".join(text.split())
    t, num = headings.strip_scene_number(t)
    n = number or num
    assert headings._parts_ascii(t, n) == headings._parts_regex(t, n)


@FAST
@given(st.text(alphabet="INTEXSDAYGHLROMCU ./-,()#12aei", max_size=40))
def test_ascii_heading_parts_match_the_regexes_on_any_text(text: str) -> None:
    t, num = headings.strip_scene_number(" ".join(text.split()))
    assert headings._parts_ascii(t, num) == headings._parts_regex(t, num)


def test_parse_heading_is_heading_parts() -> None:
    info = headings.parse_heading("INT. RADIO STUDIO - NIGHT #12#")
    assert dataclasses.astuple(info) == headings.heading_parts("INT. RADIO STUDIO - NIGHT #12#")
    assert info.location == "RADIO STUDIO" and info.time_of_day == "NIGHT"
    assert info.number == "12"


# -- plain-text reader: the regex-free tests ----------------------------------------------------

_LINE_BITS = st.sampled_from(
    ["1", "12", "7B", "A", "Z", "a", "-", "-AB", "-ABC", " ", "  ", "\t", ".", "\u00a0"]
    + ["INT.", "EXT.", "INT. ", "int.", "HOUSE", "DAY", "NIGHT", "/EXT", "\u0663", "\u00b2"]
)


@FAST
@given(st.lists(_LINE_BITS, max_size=8).map("".join))
def test_scene_number_tests_match_the_regexes(t: str) -> None:
    m = stx._TRAIL_NUM.search(t)
    assert stx._trail_num(t) == ((m.start(), m.group("num")) if m else None)
    lead = stx._LEAD_NUM.match(t)
    assert stx._lead_num(t) == ((lead.group("num"), lead.end()) if lead else None)
    s = t.strip()
    if s:
        assert stx._head_ie(s) == bool(stx._HEAD_IE.match(s))


@FAST
@given(st.text(alphabet="(CcONTDontd'’. \t)MORE", max_size=14))
def test_contd_gate_lets_every_contd_line_through(t: str) -> None:
    t = "(" + t
    if stx._CONTD_LINE.match(t):
        assert stx._maybe_contd(t)


def _reference_split(text: str) -> list[stx.LineRec]:
    recs = []
    off = 0
    for ln in text.split("\n"):
        t = ln.strip()
        lead = len(ln) - len(ln.lstrip())
        indent = len(ln[:lead].expandtabs(8))
        recs.append(stx.LineRec(t, indent, off + lead, off + lead + len(t)))
        off += len(ln) + 1
    return recs


@FAST
@given(st.text(alphabet="ab \t\u00a0\n\r.", max_size=60))
def test_split_lines_matches_a_line_by_line_split(text: str) -> None:
    if "\r" in text.replace("\r\n", ""):
        return  # lone carriage returns go through the other splitter
    assert stx.split_lines(text) == _reference_split(text)
    lines = stx._split(text)
    recs = _reference_split(text)
    for k, rec in enumerate(recs):
        assert lines.texts[k] == rec.text and lines.indents[k] == rec.indent
        assert lines.cum is not None and lines.leads is not None
        start = lines.cum[k] + k + lines.leads[k]
        if rec.text:
            assert start == rec.start


_SCRIPT = """\
                         THE TEST

                         by A. Writer

INT. KITCHEN - NIGHT

          Mary opens the fridge. It is empty, as it always is at
          this time of the month.

                    MARY
          Nothing again.

                    JOHN (O.S.)
          (from the hall)
          Did you look behind the milk?

EXT. GARDEN - DAY 12

          The rain stops.

                                        CUT TO:
"""


def test_group_by_headings_with_known_positions() -> None:
    doc = read_bytes(_SCRIPT.encode(), fmt="screenplay-text")
    els = doc.elements()
    at = [i for i, el in enumerate(els) if el.kind is ElementKind.SCENE_HEADING]
    assert at, "the example has headings"
    assert group_by_headings(els, at) == group_by_headings(els) == doc.scenes
    # half the INT./EXT. headings carry a number: "12" is read as the scene number
    assert [s.heading for s in doc.scenes] == ["INT. KITCHEN - NIGHT", "EXT. GARDEN - DAY"]
    assert [s.number for s in doc.scenes] == [None, "12"]
    for el in els:
        assert doc.source_text[el.span.start_char : el.span.end_char].strip()


# -- plain-text reader: shortcuts checked against the plain code they replace ------------------


def _reference_page_furniture(t: str) -> str | None:
    """_is_page_furniture as it was before its gates (every pattern tried in turn)."""
    c = t[0]
    if (c.isdigit() or c in "-Pp") and stx._PAGE_NUM.match(t):
        return "page_number"
    if c.isdigit() and stx._NUM_ONLY.match(t):
        return "omitted"
    if (c in "([-=" or t[:4].upper() in ("CONT", "MORE")) and stx._CONTINUED.match(t):
        return "more" if "MORE" in t.upper() else "continued"
    if t[:4].upper() in ("OMIT", "THRU") and stx._OMITTED.match(t):
        return "omitted"
    if c in "-=_*~#." and stx._SEPARATOR.match(t):
        return "separator"
    if t[-1] == "." and t[-2:-1].isdigit():
        if stx._PAGE_HEADER.search(t) and not stx._HEAD_IE.match(t):
            return "page_header"
        if stx._REV_HEADER.match(t):
            return "page_header"
    return None


_FURNITURE_BITS = st.sampled_from(
    ["1", "12", "123", "7B", "1234", ".", "-", " ", "   ", "\t", "(", ")", "[", "=", "*", "#"]
    + ["PAGE", "Page", "page", "pAgE", "CONTINUED", "continued", "CONT'D", "MORE", "more"]
    + ["OMITTED", "THRU", "thru", "Omit", "Rev.", "Blue", "draft", "INT.", "A", "x", ":"]
    + ["\u0663", "\u00b2", "\u0130", "\u0131", "\u00a0"]
)


@FAST
@given(st.lists(_FURNITURE_BITS, min_size=1, max_size=7).map("".join))
def test_page_furniture_gates_change_nothing(text: str) -> None:
    t = text.strip()
    if t:
        assert stx._is_page_furniture(t) == _reference_page_furniture(t)


@FAST
@given(st.lists(_FURNITURE_BITS, max_size=6).map("".join))
def test_paren_furniture_gate_lets_all_bracketed_furniture_through(text: str) -> None:
    t = ("(" + text).strip()
    if stx._is_page_furniture(t) is not None:
        assert stx._paren_furniture_gate(t)


def _reference_heading(t: str, numbered: bool) -> tuple[str, str | None, str] | None:
    """_heading as it was before its inline shortcuts."""
    p = t[:4]
    if (p == "INT." or p == "EXT.") and len(t) > 4:
        text, num, _both = stx._strip_numbers(t, None)
        if num is not None and not numbered:
            return t, None, "heading"
        return text, num, "heading"
    m = stx._LEAD_NUM.match(t)
    lead = (m.group("num"), m.end()) if m else None
    body = t[m.end() :] if m else t
    if stx._HEAD_IE.match(body):
        if not body[:3].isupper():
            return None
        text, num, _both = stx._strip_numbers(t, lead)
        if num is not None and not lead and not numbered:
            return t, None, "heading"
        return text, num, "heading"
    if not lead:
        return None
    text, num, both = stx._strip_numbers(t, lead)
    if not both or not text or not stx._is_upperish(text) or len(text) > 70:
        return None
    if stx._CONTINUED.match(text) or stx._OMITTED.match(text):
        return text, num, "furniture"
    if not any(c.isalpha() for c in text):
        return None
    return text, num, "heading"


_HEADING_LINE_BITS = st.sampled_from(
    ["1", "12", "12A", "A12", "12.", "INT.", "EXT.", "int.", "I/E", "EST", "ı", "İ", " ", "  "]
    + ["HOUSE", "DAY", "NIGHT", "- ", "-ABC", "CONTINUED", "OMITTED", "\t", "\u00a0", "\u0663"]
)


@FAST
@given(st.lists(_HEADING_LINE_BITS, min_size=1, max_size=8).map("".join), st.booleans())
def test_heading_shortcuts_change_nothing(text: str, numbered: bool) -> None:
    t = text.strip()
    if t:
        assert stx._heading(t, lambda: numbered) == _reference_heading(t, numbered)


@FAST
@given(st.text(alphabet="ab \t\u00a0\u2003\x1f.-", max_size=20))
def test_single_spaced_means_nothing_to_collapse(text: str) -> None:
    t = text.strip()
    if stx._single_spaced(t):
        assert " ".join(t.split()) == t


def _reference_numbered(T: list[str]) -> bool:
    """_numbered_script over every line, without its first-character filter."""
    total, numbered = _reference_counts(T)
    return total > 0 and numbered * 2 >= total


def _reference_counts(T: list[str]) -> tuple[int, int]:
    """(headings, numbered headings) as _numbered_script counts them, over every line."""
    total = numbered = 0
    for t in filter(None, T):
        p = t[:4]
        if (p == "INT." or p == "EXT.") and len(t) > 4:
            total += 1
            if stx._trail_num(t):
                numbered += 1
            continue
        if not (t[:3] in stx._IE3 or t[0].isdigit()):
            continue
        lead = stx._lead_num(t)
        body = t[lead[1] :] if lead else t
        if stx._HEAD_IE.match(body) and body[:3].isupper():
            total += 1
            if lead or stx._trail_num(body):
                numbered += 1
    return total, numbered


@FAST
@given(st.lists(_HEADING_LINE_BITS | st.just("\n"), max_size=30).map("".join))
def test_numbered_script_filter_changes_nothing(text: str) -> None:
    for src in (text, text + "\u00e9"):  # an ASCII text and one that is not
        lines = stx._split(src)
        core = stx._Core(
            lines.texts, lines.indents, None, None, None, src, lines.cum, lines.leads, True
        )
        assert core._numbered_script() == _reference_numbered(core.T)


@FAST
@given(st.lists(_HEADING_LINE_BITS, min_size=1, max_size=8).map("".join), st.booleans())
def test_numbering_and_the_heading_tally_count_as_the_scan_does(text: str, numbered: bool) -> None:
    t = text.strip()
    if not t:
        return
    k = stx._numbering(t)
    assert (int(k > 0), int(k == 2)) == _reference_counts([t])
    tally = [0, 0]
    h = stx._heading(t, lambda: numbered, tally)
    assert h == stx._heading(t, lambda: numbered)  # the tally changes nothing
    assert tally[0] == k
    if k:
        assert h is not None  # a line the scan counts is read as a heading
    # numbered() matters exactly when the tally says it was asked
    assert bool(tally[1]) == (stx._heading(t, lambda: True) != stx._heading(t, lambda: False))


# Screenplay lines for the pass's own count of numbered headings: heading-like lines (scene
# numbers, INT./EXT., I/E...) anywhere -- as dialogue, parentheticals, page furniture, wrapped
# headings, dual dialogue -- next to cues, speeches and action.
_PASS_LINES = st.sampled_from(
    [
        "INT. HOUSE - DAY",
        "INT. HOUSE - DAY  12",
        "12  INT. HOUSE - DAY  12",
        "12 EXT. ROAD 12",
        "EXT. ROUTE 66",
        "I/E VAN - NIGHT 4",
        "EST. CITY 7",
        "E/I CAR",
        "4A INT. HALL 4A",
        "INT. DRAFT ROOM - DAY   12.",
        "\u0663 INT. X",
        "12",
        "12.",
        "(CONTINUED)",
        "(MORE)",
        "CUT TO:",
        "ANNA",
        "ANNA (V.O.)",
        "ANNA          BEN",
        "(beat)",
        "(quietly,",
        "INT. then)",
        "Hello there.",
        "I never did.",
        "INTO the night.",
        "The long line of action that sets the action indent of this little test script.",
        "",
        "",
    ]
)


@FAST
@given(
    st.lists(
        st.tuples(_PASS_LINES, st.sampled_from([0, 5, 10, 15, 20, 25, 30, 40, 45])),
        max_size=40,
    ),
    st.sampled_from(["", "\u00e9"]),
)
def test_the_pass_counts_numbered_headings_as_the_scan_does(
    lines: list[tuple[str, int]], tail: str
) -> None:
    """The pass counts the lines that decide numbered() as it reads them (and reads the
    headings that depend on it again when the answer is no): its count is the scan's, for
    the plain pass and the flush-left one."""
    src = "\n".join(" " * ind + t for t, ind in lines) + tail
    ln = stx._split(src)
    for flush in (False, True):
        core = stx._Core(ln.texts[:], ln.indents, None, None, None, src, ln.cum, ln.leads, True)
        out = core._pass(flush)
        assert core.counted == _reference_counts(core.T)
        assert core._numbered == _reference_numbered(core.T) == core._numbered_script()
        # the headings read as the scan's answer says
        for el in out.elements:
            if el.kind is ElementKind.SCENE_HEADING and el.span.start_line == el.span.end_line:
                t = core.T[el.span.start_line - 1]
                h = stx._heading(t, lambda: core._numbered)  # noqa: B023
                assert h is not None and el.text == " ".join(h[0].split())
                assert el.attrs.get("scene_number") == h[1]


@FAST
@given(st.lists(_HEADING_LINE_BITS, min_size=1, max_size=8).map("".join))
def test_three_capitals_at_the_end_mean_no_trailing_scene_number(text: str) -> None:
    for t in (text.strip(), text.strip() + "ABC", text.strip() + "-ABC", text.strip() + " 12AB"):
        if stx._ends_in_three_capitals(t):
            assert stx._trail_num(t) is None


@FAST
@given(
    st.lists(
        st.tuples(_PASS_LINES, st.sampled_from([0, 5, 10, 15, 20, 25, 30, 40, 45])),
        max_size=30,
    ),
    st.booleans(),
)
def test_a_parenthetical_under_a_name_reads_as_cue_at_says(
    lines: list[tuple[str, int]], flush: bool
) -> None:
    """The pass reads a name over a parenthetical that is not "(CONT'D)" nor page furniture
    without calling cue_at: cue_at gives that line's parsed cue."""
    src = "\n".join(" " * ind + t for t, ind in lines)
    ln = stx._split(src)
    core = stx._Core(ln.texts, ln.indents, None, None, None, src, ln.cum, ln.leads, True)
    T, I = core.T, core.I  # noqa: E741
    for i in range(core.n - 1):
        nt = T[i + 1]
        if (
            T[i]
            and I[i] >= core.action + 6
            and len(nt) > 1
            and nt[0] == "("
            and not (nt[1] in "CcMm" or nt[1].isspace() or (nt[-1] == "." and nt[-2].isdigit()))
        ):
            assert core._cue_at(i, flush) == stx._parse_cue(T[i])


def test_site_offsets_find_every_site_word() -> None:
    text = "IMDb x IMSDb IMIMDb IMSIMSDb Db MDb SDb ovie script creenplays for You IMS Db\nIMSDb"
    want = [k for w in stx._WEB_WORDS[:4] for k in range(len(text)) if text.startswith(w, k)]
    assert sorted(stx._site_offsets(text)) == sorted(want)
    assert len(want) == 7


@FAST
@given(st.text(alphabet="IMSDbov iescrptYu\n", max_size=60))
def test_site_offsets_match_a_search_for_each_word(text: str) -> None:
    # ("creenplays and movie scripts", the last site word, holds "ovie script")
    want = [k for w in stx._WEB_WORDS[:4] for k in range(len(text)) if text.startswith(w, k)]
    assert sorted(stx._site_offsets(text)) == sorted(want)


def test_inline_elements_equal_the_emitters(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pass makes its commonest elements inline; with the plain emitter instead (as when
    the model's classes change), the document is the same."""
    from sceneanatomy.render.document import document_dict

    script = (
        "INT. ROOM - DAY\n\n"
        "     Long action line that sets the indent of the action column for the test,\n"
        "     and a second line of it.\n\n"
        "               ANNA (V.O.)\n          Hello there.\n\n"
        "               ANNA (V.O.)\n          Hello again,\n          twice.\n\n"
        "               BEN (CONT'D)\n          (quietly)\n          Once more.\n\n"
        "               BEN (CONT'D)\n          Fine.\n\n"
        "     The room is empty.\n\n"
        "                                                                 12.\n\n"
        "               ANNA\n          Not\n          (MORE)\n\n"
        "CUT TO:\n\n"
        "     var x = 1;\n\n"
        "12   EXT. GARDEN - NIGHT   12\n"
    )
    data = script.encode()
    fast = read_bytes(data, fmt="screenplay-text")
    monkeypatch.setattr(stx, "_FUSED", False)
    plain = read_bytes(data, fmt="screenplay-text")
    assert document_dict(fast) == document_dict(plain)
    assert [type(e.span) for e in fast.elements()] == [Span] * len(fast.elements())
    assert fast.elements() == plain.elements()
    assert fast.furniture == plain.furniture and len(fast.furniture) >= 2


def test_read_bytes_restores_the_collector() -> None:
    import gc

    from sceneanatomy.errors import ParseError

    was = gc.isenabled()
    try:
        for state in (True, False):
            (gc.enable if state else gc.disable)()
            read_bytes(b"INT. ROOM - DAY\n\nHello.\n", fmt="screenplay-text")
            assert gc.isenabled() is state
            with pytest.raises(ParseError):
                read_bytes(b"  \n", fmt="screenplay-text")
            assert gc.isenabled() is state
    finally:
        (gc.enable if was else gc.disable)()


def test_make_scene_is_an_ordinary_scene() -> None:
    from sceneanatomy.model import Scene, make_scene

    els = [make_element(ElementKind.SCENE_HEADING, "INT. A - DAY", 1, 1, 0, 12)]
    sc = make_scene(3, els, "INT. A - DAY", "A", "DAY", True, "INT", "4")
    assert type(sc) is Scene
    assert sc == Scene(3, els, "INT. A - DAY", "A", "DAY", True, "INT", "4")
    other = make_scene(0, [])
    assert other.attrs == {} and other.attrs is not sc.attrs
    assert other.relationship_changes == [] and other.tropes == []
    assert other.relationship_changes is not sc.relationship_changes


def test_repeated_cues_read_like_first_ones() -> None:
    """A cue line seen before skips the furniture/heading/transition tests: the same cue text
    in a place where those tests matter still reads as it did the first time."""
    script = (
        "INT. ROOM - DAY\n\n"
        "     Long action line that sets the indent of the action column for the test.\n\n"
        "               ANNA\n          Hello there.\n\n"
        "               ANNA\n          Hello again,\n          twice.\n\n"
        "               ANNA\n          (quietly)\n          Once more.\n\n"
        "               ANNA\n\n"
        "     The room is empty.\n"
    )
    doc = read_bytes(script.encode(), fmt="screenplay-text")
    kinds = [(el.kind.value, el.text) for el in doc.elements()]
    assert kinds.count(("character", "ANNA")) == 3
    assert ("dialogue", "Hello again, twice.") in kinds
    assert ("parenthetical", "(quietly)") in kinds
    assert ("action", "ANNA") in kinds  # no speech under it: not a cue


@FAST
@given(
    st.lists(_HEADING_BITS | st.sampled_from(["\t", "\u00a0", "  ", "\u2003"]), max_size=8).map(
        "".join
    ),
    st.sampled_from([None, "7"]),
)
def test_heading_parts_skips_only_what_needs_no_collapsing(text: str, number: str | None) -> None:
    t, num = headings.strip_scene_number(" ".join(text.split()))
    n = number or num
    want = headings._parts_ascii(t, n) if t.isascii() else headings._parts_regex(t, n)
    assert headings.heading_parts(text, number) == want


def test_second_character_gates_let_every_special_opening_through() -> None:
    """``_SECOND_GATES`` may only rule out lines that no furniture / web / heading test can
    match: every word those tests start from must pass its first and second character."""
    from sceneanatomy.readers import screenplay_text as st

    def passes(t: str) -> bool:
        c = t[0]
        if c in st._SAFE_FIRST:
            return False
        s = st._SECOND_GATES.get(c)
        return s is None or (len(t) > 1 and t[1] in s)

    words: list[str] = list(st._FURN_FIRST4) + list(st._IE3)
    for p in st._WEB_PREFIX.values():
        words.extend([p] if isinstance(p, str) else p)
    checked = 0
    for w in words:
        if w and w[0] in st._FIRST_GATES:
            assert passes(w), w
            checked += 1
    assert checked > 5
