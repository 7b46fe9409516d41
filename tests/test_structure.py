"""Document structure: the five turning points, on screenplays we write here and on TRIPOD."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sceneanatomy.analysis.scene_features import compute_units, units_of
from sceneanatomy.analysis.structure import (
    MIN_UNITS,
    TP_NAMES,
    Params,
    turning_points,
)
from sceneanatomy.model import Document, Element, ElementKind, LineIndex, Scene
from sceneanatomy.readers import read_bytes

REPO = Path(__file__).resolve().parents[1]

QUIET = [
    (
        "INT. KITCHEN - DAY",
        "Anna pours coffee. Ben reads the paper.",
        [("ANNA", "Morning."), ("BEN", "Morning. Toast?")],
    ),
    (
        "EXT. GARDEN - DAY",
        "Ben waters the roses.",
        [("BEN", "They need more sun."), ("ANNA", "They need less of you.")],
    ),
    (
        "INT. OFFICE - DAY",
        "Anna types at her desk.",
        [("ANNA", "Three more reports."), ("CARL", "Lunch at one?")],
    ),
    ("EXT. STREET - NIGHT", "Ben walks home under the lamps.", [("BEN", "Quiet night.")]),
]

CLIMAX_AT = 32  # of 40: the theory's climax sits at ~90 %, i.e. scene 35
CLIMAX = (
    "EXT. ROOFTOP - NIGHT",
    "Gunshots. Carl fires his gun at Ben. Blood on the concrete. Anna screams and runs to "
    "Ben. Dana kicks the pistol away; Eric punches Carl. They fight at the edge, a knife "
    "flashes, Carl is stabbed and falls. Police sirens everywhere.",
    [
        ("ANNA", "Ben! Don't die! Help! Somebody help!"),
        ("CARL", "I'll kill you! I'll kill all of you!"),
        ("BEN", "Run, Anna! He has a gun!"),
        ("DANA", "Drop the weapon! Police!"),
        ("ERIC", "He's bleeding! Get the knife!"),
        ("ANNA", "You shot him! You murdered him!"),
        ("CARL", "Stay back or I shoot!"),
        ("BEN", "Anna, I'm not dead. Not yet."),
        ("DANA", "Hands up! Now!"),
    ],
)


def fountain(scenes: list[tuple[str, str, list[tuple[str, str]]]]) -> str:
    parts = []
    for heading, action, lines in scenes:
        parts.append(f"{heading}\n\n{action}\n")
        parts.extend(f"{who}\n{line}\n" for who, line in lines)
    return "\n".join(parts)


def story(n: int = 40, climax_at: int | None = CLIMAX_AT) -> Document:
    scenes = [QUIET[i % len(QUIET)] for i in range(n)]
    if climax_at is not None:
        scenes[climax_at] = CLIMAX
    return read_bytes(fountain(scenes).encode(), fmt="fountain")


def test_synthetic_story_has_five_ordered_points_with_evidence() -> None:
    doc = story()
    tps = turning_points(doc)
    assert [tp.name for tp in tps] == list(TP_NAMES)
    assert [tp.number for tp in tps] == [1, 2, 3, 4, 5]
    idx = [tp.scene_index for tp in tps]
    assert idx == sorted(idx) and len(set(idx)) == 5
    for tp in tps:
        assert 0.0 < tp.score <= 1.0 and 0.0 <= tp.position <= 1.0
        assert tp.evidence, tp.name
        heading = doc.scenes[tp.scene_index].elements[0]
        assert heading.kind is ElementKind.SCENE_HEADING
        assert tp.evidence[0] == heading.span  # first the scene's heading, then the lines
        for span in tp.evidence:
            assert 0 <= span.start_char < span.end_char <= len(doc.source_text)
        assert tp.cues[0].startswith("position")


def test_climax_is_the_intense_late_scene_not_the_theory_position() -> None:
    doc = story()
    climax = turning_points(doc)[-1]
    assert climax.scene_index == CLIMAX_AT
    texts = " ".join(s.text(doc.source_text) for s in climax.evidence[1:])
    assert any(w in texts for w in ("gun", "kill", "Blood", "fight"))
    assert any(c.startswith("violence words") for c in climax.cues)
    # Without the intense scene, position decides: the climax falls near 90 %.
    flat = turning_points(story(climax_at=None))[-1]
    assert abs(flat.scene_index - round(0.9 * 39)) <= 1


def test_prior_only_reproduces_the_theory_positions() -> None:
    doc = story(n=41, climax_at=None)
    no_features = Params(weights=tuple({} for _ in range(5)))
    got = [tp.scene_index for tp in turning_points(doc, no_features)]
    assert got == [4, 10, 20, 30, 36]  # 10/25/50/75/90 % of scenes 0..40


def test_deterministic_and_written_to_attrs() -> None:
    a, b = story(), story()
    ta, tb = turning_points(a), turning_points(b)
    assert [t.to_dict(a.source_text) for t in ta] == [t.to_dict(b.source_text) for t in tb]
    stored = a.attrs["turning_points"]
    assert stored["reason"] is None and stored["units"] == 40
    assert stored["points"] == [t.to_dict(a.source_text) for t in ta]
    assert json.loads(json.dumps(stored)) == stored
    assert stored["points"][-1]["scene"] == f"s{CLIMAX_AT + 1}"


def test_short_document_gets_no_turning_points_and_a_reason() -> None:
    doc = story(n=MIN_UNITS - 1, climax_at=3)
    assert turning_points(doc) == []
    stored = doc.attrs["turning_points"]
    assert stored["points"] is None
    assert "too short" in stored["reason"] and str(MIN_UNITS) in stored["reason"]


def test_shot_headings_join_their_slug_line_scene() -> None:
    text = fountain(QUIET[:2]) + "\n.HIS POV\n\nThe roses, wilting.\n\n" + fountain(QUIET[2:])
    doc = read_bytes(text.encode(), fmt="fountain")
    assert len(doc.scenes) == 5
    units = units_of(doc)
    assert [u.scenes for u in units] == [[0], [1, 2], [3], [4]]


def prose_doc(n: int) -> Document:
    """Scenes without slug lines (as subtitles or recaps give them)."""
    sents = [f"Anna and Ben talk about the weather, day {i}." for i in range(n)]
    sents[n - 4] = "Carl pulls a gun and shoots Ben; blood, screams, a fight, police sirens."
    text = "\n".join(sents)
    idx = LineIndex(text)
    scenes, pos = [], 0
    for i, s in enumerate(sents):
        el = Element(ElementKind.NARRATION, s, idx.span(pos, pos + len(s)))
        scenes.append(Scene(index=i, elements=[el]))
        pos += len(s) + 1
    return Document(source_text=text, source_format="prose", scenes=scenes)


def test_documents_without_slug_lines_use_scenes_as_units() -> None:
    doc = prose_doc(30)
    assert len(compute_units(doc)) == 30
    tps = turning_points(doc)
    assert tps[-1].scene_index == 26
    assert tps[-1].evidence[0] == doc.scenes[26].elements[0].span
    assert turning_points(prose_doc(MIN_UNITS - 1)) == []


def test_empty_document() -> None:
    doc = Document(source_text="", source_format="prose")
    assert turning_points(doc) == []
    assert doc.attrs["turning_points"]["units"] == 0


# --- TRIPOD (15 test screenplays), the official scorer; skipped without ../shared -----


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tripod_bench", REPO / "benchmarks" / "tripod.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("tripod_bench", mod)  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


def test_tripod_mapping_follows_tripods_segmentation() -> None:
    bench = _bench()
    text = (
        "TITLE PAGE\n\nINT. A - DAY\n\nx\n\n.CLOSE ON HANDS\n\ny\r\n\r\nEXT. B - NIGHT\n\n"
        "z\n\nINT. C - DAY\n\nw\n"
    )
    doc = read_bytes(text.encode(), fmt="fountain")
    offs = bench.tripod_heading_offsets(doc.source_text, ("INT.", "EXT."))
    assert [doc.source_text[o : o + 6] for o in offs] == ["INT. A", "EXT. B", "INT. C"]
    n = len(offs) - 1  # the last scene is never emitted
    mapped = [bench.to_tripod(doc, offs, n, s.index) for s in doc.scenes]
    # title page (before the first heading: clamped), A, the shot inside A, B, and C
    # (TRIPOD's never-emitted last scene: mapped to its last emitted one)
    assert mapped == [0, 0, 0, 1, 1]


@pytest.mark.shared
def test_tripod_beats_the_fixed_position_baseline(shared_dir: Path) -> None:
    if not (shared_dir / "eval" / "narrative" / "tripod").is_dir():
        pytest.skip("TRIPOD data not present")
    bench = _bench()
    data = bench.load(shared_dir)
    ta, pa, d = bench.evaluate(data)
    sc = data.scorer
    b_ta, b_pa, b_d = sc.score(
        sc.position_pred([0.1, 0.25, 0.5, 0.75, 0.9], data.gold, data.nsc), data.gold, data.nsc
    )
    assert (round(b_ta, 2), round(b_pa, 2), round(b_d, 2)) == (10.37, 10.67, 10.93)
    assert ta >= 1.5 * b_ta and pa >= 1.5 * b_pa, (ta, pa, d)
    assert d < b_d, (ta, pa, d)


WORDS = ["gun", "love", "the", "Anna", "runs", "!", "dies", "plan", "secret", "Ben", "rain"]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["INT. A - DAY", "EXT. B - NIGHT", "INT. C - DAY", ".CLOSE ON X"]),
            st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(" ".join),
            st.lists(
                st.tuples(
                    st.sampled_from(["ANNA", "BEN", "CARL"]),
                    st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(" ".join),
                ),
                max_size=4,
            ),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_any_screenplay_gets_none_or_five_ordered_points(scenes: list) -> None:
    doc = read_bytes(fountain(scenes).encode(), fmt="fountain")
    tps = turning_points(doc)
    stored = doc.attrs["turning_points"]
    if not tps:
        assert stored["points"] is None and stored["reason"]
        return
    assert stored["units"] >= MIN_UNITS and stored["reason"] is None
    idx = [tp.scene_index for tp in tps]
    assert len(tps) == 5 and idx == sorted(idx) and len(set(idx)) == 5
    for tp in tps:
        assert tp.evidence and tp.scene_index in tp.scenes
        for span in tp.evidence:
            assert 0 <= span.start_char <= span.end_char <= len(doc.source_text)
