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
from sceneanatomy.model import Element, ElementKind, Span, make_element, make_span
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
    lead, fast = stx._LEAD_NUM.match(t), stx._lead_num(t)
    assert (lead and (lead.span(), lead.group("num"))) == (fast and (fast.span(), fast["num"]))
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
