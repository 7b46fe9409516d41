"""The ``analyze`` command: the "scene-anatomy/1" JSON contract, Markdown and text views."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner

from sceneanatomy.cli import cli

SOFA = str(resources.files("sceneanatomy") / "examples" / "sofa-scene.fountain")

SCENE_KEYS = {"id", "index", "heading", "location", "time_of_day", "interior", "span"}
ANATOMY_KEYS = {
    "setup",
    "wants",
    "beats",
    "value",
    "turning_point",
    "key_line",
    "outcome",
    "arcs",
    "tropes",
}
CHARACTER_KEYS = {"id", "name", "aliases", "actors", "gender", "role", "lines", "words", "scenes"}
SPAN_KEYS = {"start_line", "end_line", "start_char", "end_char", "start_time", "end_time", "text"}
FUNCTIONS = {"setup", "complication", "escalation", "turn", "climax", "resolution"}
CHARGES = {"+", "-", "0"}


def invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, ["analyze", *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def sofa_json() -> dict:
    return json.loads(invoke(SOFA, "--format", "json"))


def test_contract_shape(sofa_json: dict) -> None:
    data = sofa_json
    assert data["schema"] == "scene-anatomy/1"
    assert set(data["source"]) >= {"path", "format", "encoding", "title", "episode"}
    assert data["source"]["format"] == "fountain"
    for c in data["characters"]:
        assert set(c) >= CHARACTER_KEYS
    ids = {c["id"] for c in data["characters"]}
    assert isinstance(data["relationships"], list) and isinstance(data["warnings"], list)
    for sc in data["scenes"]:
        assert set(sc) >= SCENE_KEYS | {"characters", "anatomy"}
        assert set(sc["span"]) == SPAN_KEYS
        assert all(set(c) == {"id", "speaking"} and c["id"] in ids for c in sc["characters"])
        an = sc["anatomy"]
        assert set(an) >= ANATOMY_KEYS
        for b in an["beats"]:
            assert set(b) >= {"index", "function", "summary", "span", "tension", "emotions"}
            assert b["function"] in FUNCTIONS and 0 <= b["tension"] <= 1
            for cid, emo in b["emotions"].items():
                assert cid in ids and all(0 <= v <= 1 for v in emo.values())
        if an["value"] is not None:
            assert an["value"]["start"] in CHARGES and an["value"]["end"] in CHARGES
        if an["turning_point"] is not None:
            assert set(an["turning_point"]) >= {"beat", "text", "evidence"}
        if an["key_line"] is not None:
            assert set(an["key_line"]) >= {"speaker", "text", "evidence"}
        for w in an["wants"]:
            assert set(w) >= {"character", "want", "achieved", "evidence"}
        for o in an["outcome"]:
            assert set(o) >= {"character", "text", "charge", "evidence"}
            assert o["charge"] in CHARGES and o["evidence"]
        for a in an["arcs"]:
            assert set(a) >= {"character", "start", "end", "points"}
            for p in a["points"]:
                assert 0 <= p["position"] <= 1 and -1 <= p["valence"] <= 1


def test_seed_screenplay_through_the_cli(sofa_json: dict) -> None:
    an = sofa_json["scenes"][1]["anatomy"]
    assert an["key_line"]["text"].rstrip(".").lower() == "i'm a man too"
    assert (an["value"]["name"], an["value"]["start"], an["value"]["end"]) == ("love", "+", "-")
    assert "look at me that way" in an["turning_point"]["text"]
    out = {o["character"]: o for o in an["outcome"]}
    assert out["han-seo-jun"]["charge"] == "-" and out["han-seo-jun"]["state"] == "heartbreak"


def test_one_scene_and_determinism() -> None:
    one = json.loads(invoke(SOFA, "--scene", "2", "--format", "json"))
    assert [s["id"] for s in one["scenes"]] == ["s2"]
    again = json.loads(invoke(SOFA, "--scene", "2", "--format", "json"))
    assert one == again


def test_markdown_and_text() -> None:
    md = invoke(SOFA, "--format", "markdown", "--scene", "2")
    assert md.startswith("# Anatomy of The Photo Shoot")
    assert "**Key line:**" in md and "I'm a man too." in md
    assert "| # | function | tension | summary | emotions |" in md
    text = invoke(SOFA, "--scene", "2")
    assert "value: love + -> -" in text and "turn: beat" in text


def test_non_event_is_said(tmp_path: Path) -> None:
    p = tmp_path / "control.fountain"
    p.write_text(
        "INT. CAFE - DAY\n\nMINA and JOON, best friends, laugh together.\n\n"
        "MINA\nThanks, friend.\n\nJOON\nAlways.\n\nThey smile, happy together.\n",
        encoding="utf-8",
    )
    data = json.loads(invoke(str(p), "--format", "json"))
    value = data["scenes"][0]["anatomy"]["value"]
    assert value["non_event"] is True and value["start"] == value["end"]
    assert "non-event" in invoke(str(p), "--format", "markdown")


def test_bad_scene_and_bad_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["analyze", SOFA, "--scene", "9"])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == f"error: {SOFA}: no scene 9 (it has 2)\n"
    empty = tmp_path / "empty.fountain"
    empty.write_bytes(b"")
    result = CliRunner().invoke(cli, ["analyze", str(empty)])
    assert result.exit_code == 2 and result.output.startswith("error:")


@pytest.mark.parametrize("name", ["rooftop-confession.srt", "rooftop-confession.ko.srt"])
def test_rooftop_confession_turns_on_the_rejection(name: str) -> None:
    """Our subtitle example (English, and its Korean twin in CP949): the reader cuts the
    exchange at a 7 s silence; the second part continues the first, so Min-jae's love
    starts where the confession left it and the rejection turns it."""
    path = str(resources.files("sceneanatomy") / "examples" / name)
    data = json.loads(invoke(path, "--format", "json"))
    first, second = (s["anatomy"] for s in data["scenes"])
    confession = next(w for w in first["wants"] if w["kind"] == "confession")
    assert confession["achieved"] is False and confession["outcome_evidence"]
    value = second["value"]
    assert (value["name"], value["start"], value["end"]) == ("love", "+", "-")
    assert value["character"] in ("min-jae", "민재")
    assert second["turning_point"] is not None
    assert (
        "다른 사람" in second["turning_point"]["text"]
        or "someone else" in (second["turning_point"]["text"])
    )
    out = {o["character"]: o for o in second["outcome"]}
    assert out[value["character"]]["charge"] == "-"
    arcs = {a["character"]: a for a in second["arcs"]}
    assert (arcs[value["character"]]["start"], arcs[value["character"]]["end"]) == (
        "love",
        "sadness",
    )
    one = json.loads(invoke(path, "--format", "json", "--scene-gap", "10"))
    (only,) = one["scenes"]
    assert (only["anatomy"]["value"]["start"], only["anatomy"]["value"]["end"]) == ("+", "-")


def test_a_failing_emotion_model_is_a_warning_not_a_silent_fallback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A user's model that breaks at run time: the lexicon reads the lines, the JSON says
    so, and a warning line names the failure (stdout stays the anatomy)."""
    import sceneanatomy.analysis.emotion as emotion_mod

    def broken(path: str) -> object:
        def run(texts: list[str]) -> list[dict[str, float]]:
            raise RuntimeError("weights\nlost")

        run.backend_name = "trained"  # type: ignore[attr-defined]
        return run

    monkeypatch.setattr(emotion_mod, "user_classifier", broken)
    result = CliRunner().invoke(
        cli, ["analyze", SOFA, "--format", "json", "--emotion-model", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["analysis"]["emotion"] == "lexicon"
    warning = f"warning: {SOFA}: the emotion model (trained) failed (RuntimeError: weights lost)"
    assert result.stderr == warning + ": lines read by the lexicon\n"
    assert any("RuntimeError: weights lost" in w["message"] for w in data["warnings"])
