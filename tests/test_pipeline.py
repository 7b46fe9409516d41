"""The declared stage order (pipeline.py) and its runner."""

from __future__ import annotations

import pytest

from sceneanatomy import pipeline
from sceneanatomy.analysis.characters import find_characters
from sceneanatomy.model import Document
from sceneanatomy.pipeline import STAGES, Options, Stage, run, stage, stage_names, who_is_who
from sceneanatomy.readers import read_bytes

SCRIPT = b"""INT. KITCHEN - NIGHT

SORA stirs a pot. TAEMIN comes in.

TAEMIN
Sora-ya, is it ready?

SORA
Almost. Sit down, Taemin.
"""


def _doc() -> Document:
    return read_bytes(SCRIPT, fmt="fountain")


def test_declared_order_and_contracts() -> None:
    names = stage_names()
    assert names[:6] == [
        "characters",
        "coref",
        "attribution",
        "addressee",
        "dialogue_refs",
        "conversation",
    ]
    assert len(set(names)) == len(names)
    for s in STAGES:
        assert s.reads and s.writes and s.summary
        assert set(s.options) <= set(Options.__dataclass_fields__)
    assert pipeline.WHO_IS_WHO in names


def test_run_until_stops_after_the_named_stage() -> None:
    doc = run(_doc(), until="characters", nlp="rules")
    assert {c.id for c in doc.characters} == {"sora", "taemin"}
    lines = [e for s in doc.scenes for e in s.elements if e.kind.value == "dialogue"]
    assert all(e.addressee_id is None for e in lines)
    assert "conversation" not in doc.attrs and "coref" not in doc.attrs
    # the same as calling the stage function itself
    alone = find_characters(_doc(), "rules")
    assert [(c.id, c.aliases, c.gender) for c in doc.characters] == [
        (c.id, c.aliases, c.gender) for c in alone.characters
    ]
    run(doc, until="addressee", nlp="rules")
    assert [e.addressee_id for e in lines] == ["sora", "taemin"]


def test_who_is_who_runs_every_who_is_who_stage() -> None:
    doc = who_is_who(_doc(), Options(nlp="rules"))
    assert doc.attrs["characters"]["backend"] == "rules"
    assert "links" in doc.attrs["coref"] and "dialogue_refs" in doc.attrs
    assert doc.attrs["conversation"]["totals"]["lines_with_addressee"] == 2
    lines = [e for s in doc.scenes for e in s.elements if e.kind.value == "dialogue"]
    assert all(e.attribution is not None and e.attribution.addressee_rule for e in lines)


def test_errors_name_what_is_known() -> None:
    with pytest.raises(ValueError, match="unknown stage 'beats'.*characters"):
        run(_doc(), until="beats")
    with pytest.raises(ValueError, match="unknown option"):
        run(_doc(), colour="blue")
    with pytest.raises(ValueError):
        stage("nope")
    assert stage("coref").name == "coref"


def test_a_stage_appended_by_a_later_engineer() -> None:
    seen: list[str] = []

    def count_scenes(doc: Document, nlp: str = "auto") -> Document:
        seen.append(nlp)
        doc.attrs["scene_count"] = len(doc.scenes)
        return doc

    extra = Stage(
        "scene_count",
        count_scenes,
        reads=("scenes",),
        writes=('attrs["scene_count"]',),
        summary="test",
        options=("nlp",),
    )
    stages = [*STAGES, extra]
    doc = run(_doc(), stages=stages, nlp="rules")
    assert doc.attrs["scene_count"] == 1 and seen == ["rules"]
    assert "conversation" in doc.attrs
    # stopping before it leaves it out
    doc = run(_doc(), until="conversation", stages=stages, nlp="rules")
    assert "scene_count" not in doc.attrs
