"""Structural statistics: page eighths, running time, characters, locations, rendering, CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sceneanatomy.analysis.pages import (
    element_lines,
    estimate_scene_eighths,
    format_eighths,
    lines_to_eighths,
    scene_lines,
    text_width,
    wrapped_lines,
)
from sceneanatomy.analysis.stats import compute_stats, count_words
from sceneanatomy.cli import cli
from sceneanatomy.model import Document, Element, ElementKind, LineIndex, Scene
from sceneanatomy.readers import read_bytes, read_path
from sceneanatomy.render.stats import stats_text
from sceneanatomy.scenes import scene_from_heading

K = ElementKind

# An element spec: (kind, text) or (kind, text, speaker) or (kind, text, speaker, extras).
Spec = tuple[Any, ...]


def build(fmt: str, scenes: list[list[Spec]], times: bool = False) -> Document:
    """A Document straight from the model: each element on its own source line."""
    chunks: list[tuple[Spec, int, int]] = []
    text = ""
    for scene in scenes:
        for spec in scene:
            start = len(text)
            text += spec[1] + "\n"
            chunks.append((spec, start, start + len(spec[1])))
    index = LineIndex(text)
    doc = Document(source_text=text, source_format=fmt, encoding="utf-8", path=f"t.{fmt}")
    it = iter(chunks)
    clock = 0.0
    for i, scene in enumerate(scenes):
        els: list[Element] = []
        for _ in scene:
            spec, a, b = next(it)
            extras = spec[3] if len(spec) > 3 else {}
            t0 = t1 = None
            if times:
                t0, t1 = extras.get("at", clock), extras.get("at", clock) + extras.get("dur", 2.0)
                clock = t1 + 0.5
            el = Element(spec[0], spec[1], index.span(a, b, t0, t1))
            el.speaker = spec[2] if len(spec) > 2 else None
            el.dual = bool(extras.get("dual"))
            els.append(el)
        heading = els[0] if els and els[0].kind is K.SCENE_HEADING else None
        doc.scenes.append(scene_from_heading(i, heading, els))
    return doc


# -- pages ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("eighths", "text"),
    [(0, "0"), (1, "1/8"), (3, "3/8"), (8, "1"), (11, "1 3/8"), (99, "12 3/8"), (16, "2")],
)
def test_format_eighths(eighths: int, text: str) -> None:
    assert format_eighths(eighths) == text


def test_wrapping_by_words() -> None:
    assert wrapped_lines("", 10) == 1
    assert wrapped_lines("short", 10) == 1
    assert wrapped_lines("a " * 40, 10) == 8  # five "a" per 9-column line
    assert wrapped_lines("x" * 25, 10) == 3  # an overlong word is broken
    assert wrapped_lines("ab " + "x" * 20, 10) == 3
    assert wrapped_lines("one\ntwo\nthree", 61) == 3  # hard line breaks kept
    assert wrapped_lines("exactly ten", 11) == 1
    assert text_width("한국어") == 6
    assert wrapped_lines("한국어 " * 10, 35) == 2  # wide characters take two columns


def test_element_lines_by_kind() -> None:
    long = "word " * 30  # 149 columns
    assert element_lines(Element(K.ACTION, long, None)) == 3  # type: ignore[arg-type]
    assert element_lines(Element(K.DIALOGUE, long, None)) == 5  # type: ignore[arg-type]
    assert element_lines(Element(K.PARENTHETICAL, "(" + long + ")", None)) == 6  # type: ignore[arg-type]
    assert element_lines(Element(K.CHARACTER, "A VERY LONG CUE NAME (V.O.)", None)) == 1  # type: ignore[arg-type]
    assert element_lines(Element(K.SYNOPSIS, long, None)) == 0  # type: ignore[arg-type]


def test_scene_lines_blank_lines_and_minimum_eighth() -> None:
    doc = build(
        "fountain",
        [
            [
                (K.SCENE_HEADING, "INT. ROOM - DAY"),  # 2 blank + 1
                (K.ACTION, "She waits."),  # 1 + 1
                (K.CHARACTER, "MARA"),  # 1 + 1
                (K.PARENTHETICAL, "(softly)", "MARA"),  # 0 + 1
                (K.DIALOGUE, "Hello.", "MARA"),  # 0 + 1
                (K.TRANSITION, "CUT TO:"),  # 1 + 1
            ]
        ],
    )
    assert scene_lines(doc.scenes[0]) == 11
    assert estimate_scene_eighths(doc.scenes[0]) == 2  # 11/55*8 = 1.6
    assert lines_to_eighths(1) == 1  # never less than 1/8 for a non-empty scene
    assert lines_to_eighths(0) == 0
    assert lines_to_eighths(55) == 8
    assert lines_to_eighths(62) == 9  # 9.02
    assert lines_to_eighths(61) == 9  # 8.87 rounds up half and more


def test_dual_dialogue_is_as_tall_as_its_taller_side() -> None:
    dual = {"dual": True}
    side = [
        (K.CHARACTER, "BRICK", None, dual),
        (K.DIALOGUE, "Screw retirement, I said, and I meant it every time.", "BRICK", dual),
        (K.CHARACTER, "STEEL", None, dual),
        (K.DIALOGUE, "Same.", "STEEL", dual),
    ]
    doc = build("fountain", [side])
    # 1 blank + max(1 + 2, 1 + 1)
    assert scene_lines(doc.scenes[0]) == 4


def test_fdx_lengths_used_and_estimator_agrees(formats_dir: Path) -> None:
    doc = read_path(formats_dir / "TestFDX-FD.fdx")
    assert [s.attrs["fdx_length_eighths"] for s in doc.scenes] == [3, 2]
    assert [estimate_scene_eighths(s) for s in doc.scenes] == [3, 2]
    stats = compute_stats(doc)
    assert stats["length"]["basis"] == "fdx"
    assert stats["length"]["pages"] == "5/8"
    assert stats["length"]["estimated_eighths"] == 5
    assert [(r["eighths"], r["basis"]) for r in stats["scene_table"]] == [(3, "fdx"), (2, "fdx")]


# -- screenplay statistics ----------------------------------------------------------------


def screenplay() -> Document:
    return build(
        "fountain",
        [
            [(K.ACTION, "FADE IN:")],
            [
                (K.SCENE_HEADING, "INT. PATIO - DAY"),
                (K.CHARACTER, "STEEL"),
                (K.DIALOGUE, "Beer's ready!", "STEEL"),
                (K.CHARACTER, "BRICK"),
                (K.DIALOGUE, "Are they cold?", "BRICK"),
            ],
            [
                (K.SCENE_HEADING, "EXT. POOL - NIGHT"),
                (K.CHARACTER, "Steel (V.O.)"),
                (K.DIALOGUE, "They're coming out of the woodwork!", "Steel"),
                (K.PARENTHETICAL, "(pause)", "Steel"),
                (K.DIALOGUE, "No, everybody we've put away!", "Steel"),
            ],
            [(K.SCENE_HEADING, "INT. patio - CONTINUOUS"), (K.ACTION, "Empty.")],
            [(K.SCENE_HEADING, "INT./EXT. CAR - DUSK"), (K.LYRIC, "La la.", "BRICK")],
        ],
    )


def test_screenplay_stats() -> None:
    stats = compute_stats(screenplay())
    assert list(stats) == [
        "schema",
        "source",
        "kind",
        "scenes",
        "words",
        "length",
        "quotes",
        "characters",
        "locations",
        "int_ext",
        "day_night",
        "scenes_without_heading",
        "scene_table",
        "warnings",
    ]
    assert stats["kind"] == "screenplay"
    assert stats["scenes"] == 5
    assert stats["source"]["format"] == "fountain"
    chars = {c["name"]: c for c in stats["characters"]}
    # STEEL and Steel (V.O.) are one character, named by the form used most often
    assert set(chars) == {"Steel", "BRICK"}
    steel, brick = chars["Steel"], chars["BRICK"]
    assert (steel["lines"], steel["words"], steel["scenes"], steel["scene_ids"]) == (
        3,
        13,
        2,
        ["s2", "s3"],
    )
    assert (brick["lines"], brick["words"], brick["scenes"]) == (2, 5, 2)  # the lyric counts
    assert steel["share"] == round(13 / 18, 4)
    assert [c["name"] for c in stats["characters"]] == ["Steel", "BRICK"]
    assert stats["locations"] == [
        {"name": "PATIO", "scenes": 2},
        {"name": "CAR", "scenes": 1},
        {"name": "POOL", "scenes": 1},
    ]
    assert stats["int_ext"] == {"INT": 2, "EXT": 1, "INT/EXT": 1, "EST": 0, "unknown": 1}
    assert stats["day_night"] == {"day": 1, "night": 2, "other": 1, "unknown": 1}
    assert stats["scenes_without_heading"] == 1
    assert stats["quotes"] is None
    row = stats["scene_table"][2]
    assert row["id"] == "s3" and row["heading"] == "EXT. POOL - NIGHT"
    assert row["speakers"] == ["Steel"]
    assert row["basis"] == "estimated" and row["eighths"] >= 1
    length = stats["length"]
    assert length["basis"] == "estimated"
    assert length["eighths"] == sum(r["eighths"] for r in stats["scene_table"])
    assert length["pages"] == format_eighths(length["eighths"])


def test_mixed_basis_when_only_some_scenes_have_fdx_lengths() -> None:
    doc = screenplay()
    doc.scenes[1].attrs["fdx_length_eighths"] = 12
    stats = compute_stats(doc)
    assert stats["length"]["basis"] == "mixed"
    assert stats["scene_table"][1]["eighths"] == 12
    assert stats["scene_table"][1]["pages"] == "1 4/8"


def test_stats_are_deterministic_and_json_ready() -> None:
    a = json.dumps(compute_stats(screenplay()))
    b = json.dumps(compute_stats(screenplay()))
    assert a == b
    assert stats_text(compute_stats(screenplay())) == stats_text(json.loads(a))


def test_timed_stats() -> None:
    doc = build(
        "srt",
        [
            [
                (
                    K.SUBTITLE,
                    "Why did you call me up here?",
                    "HYE-WON",
                    {"at": 2462.12, "dur": 2.0},
                ),
                (K.SUBTITLE, "Because I couldn't say it.", "MIN-JAE"),
                (K.SUBTITLE, "[wind howling]"),
            ],
            [(K.SUBTITLE, "I like you, Hye-won.", "Min-jae", {"at": 2500.0, "dur": 3.5})],
        ],
        times=True,
    )
    stats = compute_stats(doc)
    assert stats["kind"] == "timed"
    length = stats["length"]
    assert length["start"] == "00:41:02.120"
    assert length["end"] == "00:41:43.500"
    assert length["running_time"] == "00:00:41.380"
    assert length["seconds"] == 41.38
    rows = stats["scene_table"]
    assert rows[0]["duration"] == "00:00:07.000" and rows[0]["seconds"] == 7.0
    assert rows[1]["speakers"] == ["MIN-JAE"]
    assert stats["int_ext"] is None and stats["locations"] == []
    chars = {c["name"]: c for c in stats["characters"]}
    assert chars["MIN-JAE"]["lines"] == 2 and chars["MIN-JAE"]["scenes"] == 2
    text = stats_text(stats)
    assert "running time: 00:00:41.380" in text


def test_prose_stats() -> None:
    doc = build(
        "prose",
        [
            [
                (K.NARRATION, "Seo Jun says “Don't stand so close.” and she laughs."),
                (K.NARRATION, 'Later: 「괜찮아」 she whispers, "fine".'),
            ],
        ],
    )
    stats = compute_stats(doc)
    assert stats["kind"] == "prose"
    assert stats["length"] is None
    assert stats["quotes"] == 3
    assert stats["words"] == count_words(doc.source_text)
    assert stats["day_night"] is None
    assert "quotes: 3" in stats_text(stats)
    # structural stats leave quotes unattributed, and say where attribution happens
    assert "scene-anatomy characters FILE attributes the quotes" in stats_text(stats)


def test_count_words() -> None:
    assert count_words("Don't stand so close.") == 4
    assert count_words("한서준 is here") == 3
    assert count_words("日本語です") == 5  # no spaces in Japanese: one per character
    assert count_words("— ... !") == 0


def test_empty_document() -> None:
    doc = Document(source_text="", source_format="fdx")
    stats = compute_stats(doc)
    assert stats["scenes"] == 0 and stats["length"]["eighths"] == 0
    assert stats["characters"] == []
    assert "(no attributed dialogue)" in stats_text(stats)
    assert "attributes the quotes" not in stats_text(stats)


# -- text rendering -----------------------------------------------------------------------


def test_stats_text_layout() -> None:
    text = stats_text(compute_stats(screenplay()))
    assert "\x1b" not in text
    assert text.endswith("\n")
    assert all(line == line.rstrip() for line in text.splitlines())
    lines = text.splitlines()
    assert lines[0] == "t.fountain"
    assert lines[2].startswith("scenes: 5   words: ")
    header = next(ln for ln in lines if ln.lstrip().startswith("NAME"))
    steel = next(ln for ln in lines if ln.lstrip().startswith("Steel"))
    # right-aligned numeric columns end where their headers end
    assert steel.index("13") + 2 == header.index("WORDS") + len("WORDS")
    assert "INT/EXT:    INT 2  EXT 1  INT/EXT 1  EST 0  unknown 1" in text
    assert "scenes without heading: 1" in text


def test_stats_text_wide_characters_align() -> None:
    doc = build(
        "fountain",
        [
            [
                (K.SCENE_HEADING, "INT. 옥상 - NIGHT"),
                (K.DIALOGUE, "좋아해.", "혜원"),
                (K.DIALOGUE, "Me too.", "MINJAE"),
            ]
        ],
    )
    lines = stats_text(compute_stats(doc)).splitlines()
    rows = [ln for ln in lines if ln.lstrip().startswith(("혜원", "MINJAE", "NAME"))]
    assert len({text_width(r) for r in rows}) == 1


# -- CLI ----------------------------------------------------------------------------------

SMALL_FDX = """<?xml version="1.0" encoding="UTF-8" standalone="no" ?>
<FinalDraft DocumentType="Script" Template="No" Version="5">
  <Content>
    <Paragraph Number="1" Type="Scene Heading">
      <SceneProperties Length="2/8" Page="1" Title=""/>
      <Text>INT. ROOFTOP - NIGHT</Text>
    </Paragraph>
    <Paragraph Type="Character"><Text>HYE-WON</Text></Paragraph>
    <Paragraph Type="Dialogue"><Text>Why did you call me up here?</Text></Paragraph>
    <Paragraph Type="Character"><Text>MIN-JAE (O.S.)</Text></Paragraph>
    <Paragraph Type="Dialogue"><Text>Because I couldn&apos;t say it downstairs.</Text></Paragraph>
    <Paragraph Number="2" Type="Scene Heading"><Text>EXT. STREET - DAY</Text></Paragraph>
    <Paragraph Type="Character"><Text>Hye-won</Text></Paragraph>
    <Paragraph Type="Dialogue"><Text>Fine.</Text></Paragraph>
  </Content>
</FinalDraft>
"""


def test_cli_stats_json_on_fdx(tmp_path: Path) -> None:
    path = tmp_path / "rooftop.fdx"
    path.write_text(SMALL_FDX, encoding="utf-8")
    result = CliRunner().invoke(cli, ["stats", "--format", "json", str(path)])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.output)
    assert stats["source"]["format"] == "fdx"
    assert stats["scenes"] == 2
    assert stats["length"]["basis"] == "mixed"
    assert [(r["number"], r["eighths"], r["basis"]) for r in stats["scene_table"]] == [
        ("1", 2, "fdx"),
        ("2", 1, "estimated"),
    ]
    assert stats["length"]["pages"] == "3/8"
    chars = {c["name"]: c for c in stats["characters"]}
    assert set(chars) == {"HYE-WON", "MIN-JAE"}
    assert chars["HYE-WON"]["lines"] == 2 and chars["HYE-WON"]["scenes"] == 2
    assert stats["int_ext"] == {"INT": 1, "EXT": 1, "INT/EXT": 0, "EST": 0, "unknown": 0}
    assert stats["day_night"] == {"day": 1, "night": 1, "other": 0, "unknown": 0}


def test_cli_stats_text_and_errors(tmp_path: Path) -> None:
    path = tmp_path / "rooftop.fdx"
    path.write_text(SMALL_FDX, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["stats", str(path)])
    assert result.exit_code == 0, result.output
    assert "length: 3/8 pages (mixed)" in result.output
    assert "ROOFTOP" in result.output
    bad = tmp_path / "bad.fdx"
    bad.write_text(SMALL_FDX[:300], encoding="utf-8")
    result = runner.invoke(cli, ["stats", "--format", "json", str(bad)])
    assert result.exit_code == 2
    assert f"error: {bad}:" in result.output and "malformed XML" in result.output
    assert "Traceback" not in result.output


def test_stats_of_read_fdx_matches_reader() -> None:
    doc = read_bytes(SMALL_FDX.encode(), fmt="fdx")
    stats = compute_stats(doc)
    assert stats["source"]["title"] is None
    assert stats["scene_table"][0]["speakers"] == ["HYE-WON", "MIN-JAE"]
    assert stats["scenes_without_heading"] == 0
    assert isinstance(doc.scenes[0], Scene)
