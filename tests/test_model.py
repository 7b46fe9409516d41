"""The document model: spans, line index, time format, heading anatomy, sniffing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sceneanatomy.headings import day_night, parse_heading
from sceneanatomy.model import LineIndex, format_time
from sceneanatomy.readers import Source
from sceneanatomy.sniff import detect_format


@given(st.text(alphabet=st.sampled_from("ab\n\r가 "), max_size=60), st.data())
def test_line_index_matches_counting(text: str, data: st.DataObject) -> None:
    idx = LineIndex(text)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    span = idx.span(start, end)
    assert span.start_line == text.count("\n", 0, start) + 1
    assert span.end_line == text.count("\n", 0, max(start, end - 1)) + 1
    assert span.text(text) == text[start:end]


def test_format_time() -> None:
    assert format_time(None) is None
    assert format_time(0) == "00:00:00.000"
    assert format_time(3723.4567) == "01:02:03.457"


@pytest.mark.parametrize(
    ("heading", "ie", "interior", "location", "tod", "number"),
    [
        ("INT. RADIO STUDIO #1#", "INT", True, "RADIO STUDIO", None, "1"),
        ("EXT. CENTENNIAL LANE - DUSK", "EXT", False, "CENTENNIAL LANE", "DUSK", None),
        ("INT./EXT. CAR - MOVING - DAY", "INT/EXT", None, "CAR - MOVING", "DAY", None),
        ("I/E TAXI - NIGHT", "INT/EXT", None, "TAXI", "NIGHT", None),
        ("int. house - day", "INT", True, "house", "DAY", None),
        ("EST. SEOUL SKYLINE - NIGHT", "EST", False, "SEOUL SKYLINE", "NIGHT", None),
        (
            "INT. PHOTO STUDIO - SOFA - CONTINUOUS #2#",
            "INT",
            True,
            "PHOTO STUDIO - SOFA",
            "CONTINUOUS",
            "2",
        ),
        ("SNIPER SCOPE POV", None, None, "SNIPER SCOPE POV", None, None),
    ],
)
def test_parse_heading(
    heading: str,
    ie: str | None,
    interior: bool | None,
    location: str,
    tod: str | None,
    number: str | None,
) -> None:
    info = parse_heading(heading)
    assert (info.int_ext, info.interior, info.location, info.time_of_day, info.number) == (
        ie,
        interior,
        location,
        tod,
        number,
    )


def test_day_night() -> None:
    assert day_night("DAY") == "day"
    assert day_night("DUSK") == "night"
    assert day_night("CONTINUOUS") is None
    assert day_night(None) is None


@pytest.mark.parametrize(
    ("data", "path", "fmt"),
    [
        (b"%PDF-1.4\n...", "a.txt", "pdf"),
        (b'<?xml version="1.0"?>\n<FinalDraft DocumentType="Script">', "a.txt", "fdx"),
        (b"WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n", None, "vtt"),
        (b"[Script Info]\nTitle: x\n", "a.srt", "ass"),
        (b"1\n00:00:01,000 --> 00:00:02,000\nHi\n", "a.txt", "srt"),
        (b"INT. HOUSE - DAY\n\nShe waits.\n\nBOB\nHello.\n", "a.txt", "fountain"),
        (b"She waits. He never comes. It rains all day in the city.\n", "a.fountain", "fountain"),
        (b"Recap: She waits for him. He never comes back to Seoul.\n\nIt rains.\n", None, "prose"),
    ],
)
def test_sniffing(data: bytes, path: str | None, fmt: str) -> None:
    assert detect_format(Source(data, path)) == fmt
