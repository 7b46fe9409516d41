"""The declared stage order (pipeline.py) and its runner."""

from __future__ import annotations

from pathlib import Path

import pytest

from sceneanatomy import pipeline
from sceneanatomy.analysis import nlp as nlp_backend
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
    assert names == [
        "characters",
        "speaker_names",
        "coref",
        "attribution",
        "addressee",
        "dialogue_refs",
        "conversation",
        "relationships",
        "tropes",
        "dynamics",
        "structure",
    ]
    assert len(set(names)) == len(names)
    for s in STAGES:
        assert s.reads and s.writes and s.summary
        assert set(s.options) <= set(Options.__dataclass_fields__)
    assert pipeline.WHO_IS_WHO in names
    assert pipeline.PRESETS == {
        "who_is_who": "conversation",
        "ledger": "relationships",
        "anatomy": None,
    }


def test_run_until_stops_after_the_named_stage() -> None:
    doc = run(_doc(), until="characters", nlp="rules")
    assert {c.id for c in doc.characters} == {"sora", "taemin"}
    lines = [e for s in doc.scenes for e in s.elements if e.kind.value == "dialogue"]
    assert all(e.addressee_id is None for e in lines)
    assert "conversation" not in doc.attrs and "coref" not in doc.attrs
    assert doc.attrs["pipeline"]["stages"] == ["characters"]
    # the same as calling the stage function itself
    alone = find_characters(_doc(), "rules")
    assert [(c.id, c.aliases, c.gender) for c in doc.characters] == [
        (c.id, c.aliases, c.gender) for c in alone.characters
    ]
    run(doc, until="addressee", nlp="rules")
    assert [e.addressee_id for e in lines] == ["sora", "taemin"]
    assert doc.attrs["pipeline"]["stages"] == stage_names()[: stage_names().index("addressee") + 1]


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
    with pytest.raises(ValueError, match="unknown preset 'everything'.*anatomy"):
        run(_doc(), preset="everything")
    with pytest.raises(ValueError, match="not both"):
        run(_doc(), until="coref", preset="anatomy")
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


LOVE = """INT. ROOFTOP - NIGHT

MIN-JAE waits. HYE-WON arrives, out of breath. DONG-HO watches from the door.

MIN-JAE
I love you, Hye-won.

HYE-WON
I love you too, Min-jae.

DONG-HO
(quietly)
I loved her first.

INT. CAFE - DAY

DONG-HO sits alone. HYE-WON and MIN-JAE hold hands at the window.

HYE-WON
Dong-ho, I'm sorry.

INT. OFFICE - DAY

MIN-JAE works. HYE-WON brings coffee. DONG-HO looks away.

MIN-JAE
Thanks, Hye-won.
"""


def test_the_anatomy_preset_runs_every_stage_and_the_json_shows_them() -> None:
    from sceneanatomy.render.anatomy import anatomy_dict

    doc = pipeline.anatomy(read_bytes(LOVE.encode(), fmt="fountain"), nlp="rules")
    assert doc.attrs["pipeline"]["stages"] == stage_names()
    data = anatomy_dict(doc)
    assert data["analysis"]["stages"] == stage_names()
    rels = {(r["from"], r["to"], r["kind"]) for r in data["relationships"]}
    assert ("min-jae", "hye-won", "romantic") in rels
    assert all("tropes" in s["anatomy"] for s in data["scenes"])
    assert any(t["id"] == "confession" for s in data["scenes"] for t in s["anatomy"]["tropes"])
    roles = {c["id"]: (c["role"], c["love_line_role"]) for c in data["characters"]}
    # the love line refines the prominence roles: the requited couple leads
    assert roles["min-jae"][0] == "lead" and roles["hye-won"][0] == "lead"
    assert roles["min-jae"][1] == roles["hye-won"][1] == "lead"
    assert "turning_points" in data  # the structure stage ran (too short: a reason)
    assert data["turning_points"]["points"] is None and data["turning_points"]["reason"]


def test_every_command_runs_through_the_pipeline(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from sceneanatomy.cli import cli

    calls: list[tuple[str | None, str | None]] = []
    real = pipeline.run

    def spy(doc: Document, until: str | None = None, *args: object, **kw: object) -> Document:
        calls.append((until, kw.get("preset")))  # type: ignore[arg-type]
        return real(doc, until, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "run", spy)
    src = tmp_path / "love.fountain"
    src.write_text(LOVE, encoding="utf-8")
    runner = CliRunner()
    for argv, want in (
        (["characters", str(src), "--nlp", "rules"], (None, "ledger")),
        (["ledger", str(src)], (None, "ledger")),
        (["analyze", str(src), "--format", "json"], (None, "anatomy")),
        (["report", str(src), "--format", "text"], (None, "anatomy")),
        (["report", str(src), "--scene", "1", "--format", "text"], ("dynamics", None)),
    ):
        calls.clear()
        result = runner.invoke(cli, argv)
        assert result.exit_code == 0, (argv, result.output)
        assert calls == [want], argv


def test_shared_name_scans_follow_each_index() -> None:
    # Two indexes of the same names share one scan of a text, but each orders the
    # candidates of an ambiguous name by its own prominence, as an unshared scan would.
    from sceneanatomy.analysis.dialogue_refs import NameIndex, clear_caches, find_vocatives

    clear_caches()
    text = "Kim, look. Kim is here."
    a = NameIndex(
        [("kim-a", "Kim", ["Kim"], "female", 2.0), ("kim-b", "Kim", ["Kim"], "male", 1.0)]
    )
    b = NameIndex(
        [("kim-a", "Kim", ["Kim"], "female", 1.0), ("kim-b", "Kim", ["Kim"], "male", 2.0)]
    )
    assert a.names_key() == b.names_key()
    assert [h.ids for h in a.find_names(text, 10)] == [("kim-a", "kim-b")] * 2
    assert [h.ids for h in b.find_names(text, 10)] == [("kim-b", "kim-a")] * 2
    assert [(v.start, v.character_id) for v in find_vocatives(text, a, 10)] == [(10, "kim-a")]
    assert [(v.start, v.character_id) for v in find_vocatives(text, b, 10)] == [(10, "kim-b")]
    assert [v.character_id for v in find_vocatives(text, b, 10, exclude="kim-b")] == []
    # the same answers with the caches cleared between them
    clear_caches()
    assert [h.ids for h in b.find_names(text, 10)] == [("kim-b", "kim-a")] * 2


_SPACY = pytest.mark.skipif(not nlp_backend.available(), reason="spaCy model absent")


@_SPACY
def test_a_run_parses_each_text_once_and_drops_the_parses_after() -> None:
    nlp = nlp_backend.load()
    assert not set(nlp_backend.UNUSED) & set(nlp.pipe_names)  # never run
    texts = ["Sora stirs a pot.", "Taemin comes in and sits down.", "Sora stirs a pot."]
    outside = nlp_backend.parse(texts)
    assert outside[0] is outside[2]  # one call parses each distinct text once
    assert nlp_backend.parse(texts[:1])[0] is not outside[0]  # no cache outside a run
    assert [t.dep_ for t in outside[0]] == [t.dep_ for t in nlp(texts[0])]
    assert not outside[1].ents  # a parse does not run the entity recogniser
    seen: list[list[object]] = []

    def probe(doc: Document) -> Document:
        first = nlp_backend.parse(texts)
        again = nlp_backend.parse(texts[1:], nlp)  # the shared pipeline: same cache
        with nlp_backend.parse_cache():  # nested: the run's cache
            inner = nlp_backend.parse(texts[:1])
        seen.append([*first, *again, *inner])
        return doc

    stages = [Stage("probe", probe, reads=("text",), writes=("nothing",), summary="probe")]
    run(_doc(), stages=stages)
    docs = seen[0]
    assert docs[0] is docs[2] is docs[4]  # "Sora stirs a pot." parsed once
    assert docs[1] is docs[3]
    assert nlp_backend.parse(texts[:1])[0] is not docs[0]  # dropped after the run


@_SPACY
def test_the_parse_cache_is_dropped_when_a_stage_fails() -> None:
    def boom(doc: Document) -> Document:
        nlp_backend.parse(["Sora stirs a pot."])
        raise RuntimeError("boom")

    stages = [Stage("boom", boom, reads=("text",), writes=("nothing",), summary="fails")]
    with pytest.raises(RuntimeError, match="boom"):
        run(_doc(), stages=stages)
    assert nlp_backend._CACHE is None


@_SPACY
def test_names_and_parses_agree_with_spacys_pipeline_as_shipped() -> None:
    """The speed settings (components off, numpy BLAS) change no parse and no entity."""
    import spacy

    plain = spacy.load(nlp_backend.MODEL)
    texts = [
        "Han Seo Jun is heartbroken. Frustrated, the director declares a break.",
        "SORA stirs a pot in Seoul while Taemin reads The Korea Herald.",
        "She looks at him shocked, then walks out past Mr. Park.",
    ]
    fast = nlp_backend.analyse(texts)
    for text, got, ref in zip(texts, fast, plain.pipe(texts), strict=True):
        assert [(e.start, e.end, e.label) for e in got.entities] == [
            (e.start_char, e.end_char, e.label_) for e in ref.ents
        ]
        assert got.sentences == sum(1 for _ in ref.sents)
        parsed = nlp_backend.parse([text])[0]
        assert [(t.idx, t.dep_, t.head.i) for t in parsed] == [
            (t.idx, t.dep_, t.head.i) for t in ref
        ]


def test_loading_a_model_starts_no_helper_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    key = "HF_DEACTIVATE_ASYNC_LOAD"
    monkeypatch.delenv(key, raising=False)
    with nlp_backend.no_loader_threads():
        assert os.environ[key] == "1"  # transformers loads weights without a thread pool
    assert key not in os.environ
    monkeypatch.setenv(key, "0")
    with nlp_backend.no_loader_threads():
        assert os.environ[key] == "1"
    assert os.environ[key] == "0"
    tqdm = pytest.importorskip("tqdm")
    assert tqdm.tqdm.monitor_interval == 0  # no monitor thread for any later bar
