"""Conversation graph and statistics (analysis/conversation.py), on small inline documents."""

from __future__ import annotations

import json

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from sceneanatomy.analysis.characters import find_characters
from sceneanatomy.analysis.conversation import conversation_stats, line_id, spoken_lines
from sceneanatomy.cli import cli
from sceneanatomy.errors import ParseError
from sceneanatomy.model import Document
from sceneanatomy.pipeline import who_is_who
from sceneanatomy.readers import read_bytes
from sceneanatomy.render.characters import characters_dict
from sceneanatomy.render.conversation import conversation_table, lines_list

ROOFTOP = """Title: Rooftop

INT. SCHOOL ROOFTOP - DAY

MINA leans on the railing. JOON walks in with two cans of coffee.

JOON
Mina, you forgot this.

MINA
Thanks, Joon. Did you see Hana?

JOON
She is downstairs.

MINA
Why is she always late?

EXT. SCHOOL GATE - NIGHT

HANA waits by the gate. Mina runs up to her. Joon watches from the street.

HANA
Mina! Finally.

MINA
Sorry, Hana. Let's go home.

HANA
Okay.
"""

SRT = """1
00:00:01,000 --> 00:00:03,000
HYE-WON: Min-jae-ya, wait!

2
00:00:04,000 --> 00:00:05,500
MIN-JAE: What is it?

3
00:00:06,000 --> 00:00:09,000
HYE-WON: I like you, Min-jae.

4
00:00:30,000 --> 00:00:32,000
MIN-JAE: Hye-won, I know.
"""

PROSE = """Episode 3 recap

Ju Gyeong walks into the classroom. Seo Jun looks up from his desk.

"You're late," Seo Jun says.

Ju Gyeong sighs. "I know."
"""


def _doc(text: str, fmt: str) -> Document:
    doc = read_bytes(text.encode("utf-8"), fmt=fmt)
    return who_is_who(doc, nlp="rules")


def _by_id(rows: list[dict], key: str = "id") -> dict[str, dict]:
    return {r[key]: r for r in rows}


def test_screenplay_dialogue_per_character() -> None:
    doc = _doc(ROOFTOP, "fountain")
    conv = doc.attrs["conversation"]
    assert conv["kind"] == "screenplay"
    chars = _by_id(conv["characters"])
    assert set(chars) == {"mina", "joon", "hana"}
    mina, joon, hana = chars["mina"], chars["joon"], chars["hana"]
    assert (mina["lines"], mina["words"]) == (3, 16)
    assert (joon["lines"], joon["words"]) == (2, 7)
    assert (hana["lines"], hana["words"]) == (2, 3)
    assert abs(sum(c["share"] for c in conv["characters"]) - 1.0) < 1e-3
    assert mina["share"] == round(16 / 26, 4)
    assert conv["characters"][0]["id"] == "mina"  # most words first
    assert mina["words_per_line"] == round(16 / 3, 2) and mina["longest_line_words"] == 6
    assert mina["lines_stated"] == 3 and mina["lines_inferred"] == 0
    # a page a minute: printed dialogue lines / 55 * 60 seconds
    assert hana["speech_seconds"] == round(2 / 55 * 60, 1)
    totals = conv["totals"]
    assert totals["spoken_lines"] == 7 and totals["lines_without_speaker"] == 0
    assert totals["speaking_characters"] == 3


def test_scenes_speaking_non_speaking_first_last() -> None:
    doc = _doc(ROOFTOP, "fountain")
    chars = _by_id(doc.attrs["conversation"]["characters"])
    joon = chars["joon"]
    # Joon speaks in s1; in s2 he is only named in the action
    assert joon["scene_ids_speaking"] == ["s1"] and joon["scene_ids_non_speaking"] == ["s2"]
    assert (joon["scenes"], joon["scenes_speaking"], joon["scenes_non_speaking"]) == (2, 1, 1)
    assert (joon["first_scene"], joon["last_scene"]) == ("s1", "s2")
    assert joon["first_appearance"]["span"]["text"] == "JOON"
    assert joon["last_appearance"] == {"scene": "s2", "span": joon["last_appearance"]["span"]}
    assert joon["last_appearance"]["span"]["text"] == "Joon"
    # Hana is talked about in s1 ("Did you see Hana?") but appears in s2
    hana = chars["hana"]
    assert hana["first_scene"] == "s2" and hana["first_appearance"]["scene"] == "s2"
    assert hana["first_appearance"]["span"]["text"] == "HANA"
    # the span is the source text
    span = hana["first_appearance"]["span"]
    assert doc.source_text[span["start_char"] : span["end_char"]] == span["text"]


def test_who_speaks_to_whom() -> None:
    doc = _doc(ROOFTOP, "fountain")
    conv = doc.attrs["conversation"]
    edges = {(e["from"], e["to"]): e for e in conv["talks_to"]}
    assert edges[("joon", "mina")]["lines"] == 2
    assert edges[("joon", "mina")]["words"] == 7
    assert edges[("mina", "hana")]["lines"] == 1
    assert ("hana", "joon") not in edges
    # the evidence: the ids of the lines, each a spoken line of the document
    ids = {ln.id: ln for ln in spoken_lines(doc)}
    for e in conv["talks_to"]:
        assert e["lines"] == len(e["line_ids"])
        for lid in e["line_ids"]:
            assert ids[lid].element.speaker_id == e["from"]
            assert ids[lid].element.addressee_id == e["to"]
        assert 0 < e["confidence"] <= 1
    # sum over edges = lines with both a speaker and a (different) addressee
    assert sum(e["lines"] for e in conv["talks_to"]) == conv["totals"]["lines_with_addressee"]
    mina = _by_id(conv["characters"])["mina"]
    assert mina["speaks_to"][0] == {"id": "joon", "lines": 2}


def test_co_presence() -> None:
    doc = _doc(ROOFTOP, "fountain")
    pairs = {(p["a"], p["b"]): p for p in doc.attrs["conversation"]["co_presence"]}
    mj = pairs.get(("mina", "joon")) or pairs[("joon", "mina")]
    assert mj["scenes"] == 2 and mj["both_speaking"] == 1 and mj["scene_ids"] == ["s1", "s2"]
    jh = pairs.get(("joon", "hana")) or pairs[("hana", "joon")]
    assert jh["scenes"] == 1 and jh["both_speaking"] == 0
    assert len(pairs) == 3


def test_scenes_locations_int_ext_day_night_tempo() -> None:
    doc = _doc(ROOFTOP, "fountain")
    conv = doc.attrs["conversation"]
    s1, s2 = conv["scenes"]
    assert (s1["location"], s1["int_ext"], s1["day_night"]) == ("SCHOOL ROOFTOP", "INT", "day")
    assert (s2["location"], s2["int_ext"], s2["day_night"]) == ("SCHOOL GATE", "EXT", "night")
    assert s1["spoken_lines"] == 4 and s2["spoken_lines"] == 3
    assert s1["speakers"] == ["mina", "joon"] or set(s1["speakers"]) == {"mina", "joon"}
    assert set(s2["non_speaking"]) == {"joon"}
    # every line switches speaker here: turns = lines, switch rate 1
    assert (s1["turns"], s1["switches"], s1["tempo"]["switch_rate"]) == (4, 3, 1.0)
    assert s1["length"]["basis"] == "estimated" and s1["length"]["eighths"] >= 1
    assert s1["tempo"]["lines_per_page"] == round(4 / (s1["length"]["eighths"] / 8), 2)
    assert conv["int_ext"]["INT"] == 1 and conv["int_ext"]["EXT"] == 1
    assert conv["day_night"] == {"day": 1, "night": 1, "other": 0, "unknown": 0}
    locs = _by_id(conv["locations"], "name")
    assert locs["SCHOOL GATE"]["scenes"] == 1
    assert {c["id"] for c in locs["SCHOOL GATE"]["characters"]} == {"mina", "joon", "hana"}
    assert locs["SCHOOL ROOFTOP"]["int_ext"] == ["INT"]
    total = sum(r["length"]["eighths"] for r in conv["scenes"])
    assert conv["length"]["eighths"] == total
    tempo = conv["tempo"]
    assert tempo["lines_per_page"] == round(7 / (total / 8), 2)
    assert tempo["switch_rate"] == 1.0 and tempo["words_per_line"] == round(26 / 7, 2)
    paces = [r["tempo"]["pace"] for r in conv["scenes"]]
    assert all(p is not None and p > 0 for p in paces)


def test_timed_source_lines_per_minute_and_speaking_time() -> None:
    doc = _doc(SRT, "srt")
    conv = doc.attrs["conversation"]
    assert conv["kind"] == "timed"
    chars = _by_id(conv["characters"])
    assert set(chars) == {"hye-won", "min-jae"}
    assert chars["hye-won"]["speech_seconds"] == 5.0  # 2.0 + 3.0
    assert chars["min-jae"]["speech_seconds"] == 3.5  # 1.5 + 2.0
    # the 21-second silence splits the cues into two scenes
    assert len(conv["scenes"]) == 2
    s1 = conv["scenes"][0]
    assert s1["length"]["seconds"] == 8.0
    assert s1["tempo"]["lines_per_minute"] == round(3 / (8 / 60), 2)
    edges = {(e["from"], e["to"]) for e in conv["talks_to"]}
    assert ("hye-won", "min-jae") in edges and ("min-jae", "hye-won") in edges
    assert conv["int_ext"] is None and conv["day_night"] is None


def test_prose_counts_inferred_speakers() -> None:
    doc = _doc(PROSE, "prose")
    conv = doc.attrs["conversation"]
    assert conv["kind"] == "prose"
    totals = conv["totals"]
    assert totals["spoken_lines"] == 2
    assert totals["lines_inferred"] == totals["lines_with_speaker"] >= 1
    chars = _by_id(conv["characters"])
    seo_jun = next(c for cid, c in chars.items() if "seo-jun" in cid)
    assert seo_jun["lines"] >= 1 and seo_jun["lines_inferred"] == seo_jun["lines"]
    assert "scene_words" in conv["tempo"]


def test_stats_without_the_later_stages_and_on_an_empty_cast() -> None:
    doc = read_bytes(ROOFTOP.encode(), fmt="fountain")
    find_characters(doc, "rules")  # speakers from cues only, no addressees
    conv = conversation_stats(doc)
    assert conv["totals"]["lines_with_addressee"] == 0 and conv["talks_to"] == []
    assert _by_id(conv["characters"])["mina"]["lines"] == 3
    plain = read_bytes(b"Nothing happens here. The wind blows.\n", fmt="prose")
    conv = conversation_stats(plain)
    assert conv["characters"] == [] and conv["talks_to"] == [] and conv["co_presence"] == []
    assert conv["tempo"]["words_per_line"] is None


def test_lines_carry_speaker_and_addressee_evidence() -> None:
    doc = _doc(ROOFTOP, "fountain")
    rows = lines_list(doc)
    assert len(rows) == 7
    first = rows[0]
    assert first["id"] == line_id(doc.scenes[0], 3) == "s1:4"
    assert (first["speaker_id"], first["speaker_rule"], first["speaker_confidence"]) == (
        "joon",
        "cue",
        None,
    )
    assert (first["addressee_id"], first["addressee_rule"]) == ("mina", "vocative")
    assert 0 < first["addressee_confidence"] <= 1
    assert any(e["text"] == "Mina" for e in first["evidence"])
    refs = {(r["surface"], r["character_id"]) for r in first["references"]}
    assert ("you", "mina") in refs
    for r in rows:
        for sp in [r["span"], *r["evidence"], *(x["span"] for x in r["references"])]:
            assert doc.source_text[sp["start_char"] : sp["end_char"]] == sp["text"]


def test_table_is_readable() -> None:
    doc = _doc(ROOFTOP, "fountain")
    text = conversation_table(doc)
    assert text.startswith("## conversation")
    assert "lines/page" in text and "speaks to" in text and "SCHOOL GATE" in text
    assert "INT/EXT: INT 1, EXT 1" in text
    assert conversation_table(read_bytes(b"x y z\n", fmt="prose")) == ""


def test_cli_characters_json_has_lines_and_conversation(tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "rooftop.fountain"
    path.write_text(ROOFTOP, encoding="utf-8")
    res = CliRunner().invoke(cli, ["characters", str(path), "--format", "json", "--nlp", "rules"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    # the contract's characters array is exactly the characters stage's
    alone = read_bytes(ROOFTOP.encode(), path=str(path), fmt="fountain")
    find_characters(alone, "rules")
    assert data["characters"] == json.loads(json.dumps(characters_dict(alone)["characters"]))
    assert [ln["speaker_id"] for ln in data["lines"]] == [
        "joon",
        "mina",
        "joon",
        "mina",
        "hana",
        "mina",
        "hana",
    ]
    assert data["conversation"]["schema"] == "scene-anatomy-conversation/1"
    assert {"talks_to", "co_presence", "scenes", "locations", "tempo"} <= set(data["conversation"])
    table = CliRunner().invoke(cli, ["characters", str(path), "--nlp", "rules"])
    assert table.exit_code == 0 and "## conversation" in table.output


_PIECES = st.sampled_from(
    [
        "INT. ROOF - NIGHT\n\n",
        "EXT. GATE - DAY\n\n",
        "MINA\nHey, Joon.\n\n",
        "JOON (V.O.)\nYou're late, Mina-ya!\n\n",
        "HANA\n(to Mina)\nOkay.\n\n",
        "Mina runs. She stops.\n\n",
        '"Fine," Hana says.\n\n',
        "He looks at her.\n\n",
        "혜원: 민재야!\n",
        "\r\n",
        "",
    ]
)


@settings(max_examples=30, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=12), st.sampled_from(["fountain", "prose"]))
def test_any_document_gets_consistent_statistics(pieces: list[str], fmt: str) -> None:
    try:
        doc = read_bytes("".join(pieces).encode("utf-8"), fmt=fmt)
    except ParseError:
        return
    who_is_who(doc, nlp="rules")
    conv = doc.attrs["conversation"]
    totals = conv["totals"]
    assert totals["lines_stated"] + totals["lines_inferred"] == totals["lines_with_speaker"]
    assert totals["lines_with_speaker"] + totals["lines_without_speaker"] == totals["spoken_lines"]
    ids = {c.id for c in doc.characters}
    assert {r["id"] for r in conv["characters"]} == ids
    for r in conv["characters"]:
        assert r["scenes"] == r["scenes_speaking"] + r["scenes_non_speaking"]
    for e in conv["talks_to"]:
        assert e["from"] in ids and e["to"] in ids and e["from"] != e["to"]
    assert len(conv["scenes"]) == len(doc.scenes)
    for row in lines_list(doc):
        for sp in [row["span"], *row["evidence"]]:
            assert doc.source_text[sp["start_char"] : sp["end_char"]] == sp["text"]
    json.dumps(conv)  # JSON-ready


def test_characters_and_conversation_agree_on_inferred_lines() -> None:
    """Speakers inferred after the characters stage (our rooftop subtitles have unlabeled
    lines) count in the characters' lines, words and speaking scenes too."""
    from importlib import resources

    path = resources.files("sceneanatomy") / "examples" / "rooftop-confession.srt"
    result = CliRunner().invoke(cli, ["characters", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    rows = {r["id"]: r for r in data["conversation"]["characters"]}
    inferred = 0
    for c in data["characters"]:
        r = rows[c["id"]]
        assert (c["lines"], c["words"]) == (r["lines"], r["words"]), c["id"]
        assert set(r["scene_ids_speaking"]) <= set(c["scenes_speaking"])
        assert c["role"] == r["role"]
        inferred += r["lines_inferred"]
    assert inferred >= 1  # some line's speaker was inferred, and counted above
