"""Emotion per utterance: API, obvious cases, negation/hedges, shipped weights, training."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sceneanatomy.analysis import emotion
from sceneanatomy.analysis.emotion import LABELS, analyze, classify, classify_many, load_model
from sceneanatomy.emotion_model.labels import EMORY, GOEMOTIONS, MELD
from sceneanatomy.emotion_model.lexicon import load_lexicon

REPO = Path(__file__).resolve().parents[1]


def top(dist: dict[str, float]) -> str:
    return max(dist, key=lambda k: dist[k])


def test_api_shape_and_distribution() -> None:
    d = classify("I can't believe you did that.")
    assert tuple(d) == LABELS
    assert LABELS == (
        "love",
        "joy",
        "sadness",
        "anger",
        "fear",
        "surprise",
        "embarrassment",
        "jealousy",
        "neutral",
    )
    assert all(0.0 <= v <= 1.0 for v in d.values())
    assert abs(sum(d.values()) - 1.0) < 1e-3


def test_deterministic_and_batched_equals_single() -> None:
    texts = ["I love you", "Where are the keys?", "Get out!", ""]
    assert classify_many(texts) == [classify(t) for t in texts]
    assert classify_many(texts) == classify_many(texts)
    assert classify_many([]) == []


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("I love you", "love"),
        ("I hate you!", "anger"),
        ("I'm so scared", "fear"),
        ("Seriously?! No way!", "surprise"),
        ("he is heartbroken", "sadness"),
        ("She blushes and looks away.", "embarrassment"),
        ("He is jealous of her new friend.", "jealousy"),
        ("Frustrated, the director declares a break.", "anger"),
        ("She looks at him shocked.", "surprise"),
        ("We won! This is the best day ever!", "joy"),
        ("The meeting is at three.", "neutral"),
    ],
)
def test_obvious_cases(text: str, label: str) -> None:
    assert top(classify(text)) == label, classify(text)


def test_negation_moves_mass_away() -> None:
    angry, not_angry = classify("I am angry."), classify("I am not angry.")
    assert top(angry) == "anger"
    assert not_angry["anger"] < angry["anger"] / 2
    assert top(not_angry) != "anger"
    happy, not_happy = classify("I'm happy."), classify("I'm not happy.")
    assert not_happy["joy"] < happy["joy"] / 2
    assert not_happy["sadness"] > happy["sadness"]


def test_hedges_and_least_bit() -> None:
    lex = load_lexicon()
    (hit,) = [
        h for h in lex.hits("She isn't the least bit interested in him.") if h.label == "love"
    ]
    assert hit.negated and hit.weight < 0
    (hit,) = [h for h in lex.hits("is the least bit interested") if h.label == "love"]
    assert hit.negated
    weak = lex.scores("He is a little jealous.")["jealousy"]
    strong = lex.scores("He is extremely jealous.")["jealousy"]
    assert 0 < weak < strong
    assert lex.scores("I'm not scared")["fear"] < 0
    # a clause break ends the negation's scope
    assert lex.scores("I'm not sure, but I'm scared")["fear"] > 0


def test_lexicon_offsets_point_at_the_words() -> None:
    text = "Frustrated, the director declares a break; Han Seo Jun is heartbroken."
    hits = load_lexicon().hits(text)
    assert {text[h.start : h.end] for h in hits} >= {"Frustrated", "heartbroken"}
    assert all(text[h.start : h.end] == h.term for h in hits)


def test_analyze_label_intensity_and_evidence() -> None:
    e = analyze("I'm so angry at you!!!")
    assert e.label == "anger" and 0.5 < e.intensity <= 1.0
    assert any(h.label == "anger" for h in e.evidence)
    calm = analyze("Please pass the salt.")
    assert calm.label == "neutral" and calm.intensity == 0.0
    assert analyze("I'm a bit annoyed.").intensity < e.intensity


def test_other_schemes() -> None:
    assert tuple(classify("What?!", "meld")) == MELD
    assert tuple(classify("What?!", "emorynlp")) == EMORY
    go = classify("Thank you so much!", "goemotions")
    assert tuple(go) == GOEMOTIONS and top(go) == "gratitude"
    assert "gratitude" in load_model().goemotions_labels("Thank you so much!")
    with pytest.raises(ValueError):
        classify("x", "nope")


def _manifest() -> dict:
    raw = resources.files("sceneanatomy").joinpath("data/emotion/MANIFEST.json").read_text()
    return json.loads(raw)


def test_shipped_weights_match_manifest_and_docs() -> None:
    manifest = _manifest()
    docs = (REPO / "docs" / "data-licenses.md").read_text(encoding="utf-8")
    for name in (emotion.CORE_MODEL, emotion.FULL_MODEL, "lexicon.tsv"):
        data = emotion.shipped_file(name)  # read from the installed package
        digest = hashlib.sha256(data).hexdigest()
        assert manifest[name]["sha256"] == digest, name
        assert digest in docs, f"{name}: sha256 not recorded in docs/data-licenses.md"
        assert len(data) < 5_000_000


def test_full_model_needs_embeddings_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCENE_ANATOMY_NO_EMBEDDINGS", "1")
    with pytest.raises(RuntimeError, match="embeddings"):
        load_model(embeddings=True)
    assert not load_model().uses_embeddings  # the core path is the default


TINY = [
    ("I love you so much", "18"),
    ("I adore her, she is wonderful", "18"),
    ("love this so much", "18"),
    ("This makes me furious", "2"),
    ("I am so angry right now", "2"),
    ("angry and mad", "2"),
    ("The bus comes at noon", "27"),
    ("It is a table", "27"),
    ("We meet on Monday", "27"),
]


def test_train_command_roundtrip(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    from sceneanatomy.emotion_model.train import main

    data = tmp_path / "train.tsv"
    data.write_text("".join(f"{t}\t{lab}\tid{i}\n" for i, (t, lab) in enumerate(TINY)))
    out = tmp_path / "model"
    args = ["--data", str(data), "--format", "goemotions", "--out", str(out), "--min-df", "1"]
    assert main(args) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    first = (out / "emotion-linear.json.gz").read_bytes()
    assert manifest["emotion-linear.json.gz"]["sha256"] == hashlib.sha256(first).hexdigest()
    model = load_model(out)
    assert top(model.classify("I love you", "goemotions")) == "love"
    assert main(args) == 0  # deterministic bytes
    assert (out / "emotion-linear.json.gz").read_bytes() == first


def test_train_command_rejects_bad_data(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    from sceneanatomy.emotion_model.train import main

    bad = tmp_path / "bad.csv"
    bad.write_text("Utterance,Emotion\nhello,bogus\n")
    assert main(["--data", str(bad), "--format", "meld", "--out", str(tmp_path / "o")]) == 2


def test_cli_train_wraps_the_training_module(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    from click.testing import CliRunner

    from sceneanatomy.cli import cli

    data = tmp_path / "train.tsv"
    data.write_text("".join(f"{t}\t{lab}\tid{i}\n" for i, (t, lab) in enumerate(TINY)))
    out = tmp_path / "m"
    args = ["train", "--data", str(data), "--format", "goemotions", "--out", str(out)]
    res = CliRunner().invoke(cli, [*args, "--min-df", "1"])
    assert res.exit_code == 0, res.output
    assert (out / "emotion-linear.json.gz").exists()


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gives_a_distribution(text: str) -> None:
    d = classify(text)
    assert tuple(d) == LABELS and abs(sum(d.values()) - 1.0) < 1e-3
    e = analyze(text)
    assert 0.0 <= e.intensity <= 1.0
    assert all(text[h.start : h.end] == h.term for h in e.evidence)


def test_offsets_survive_case_folding_that_changes_length() -> None:
    text = "İstanbul: she is furious."
    (hit,) = load_lexicon().hits(text)
    assert text[hit.start : hit.end] == "furious" and hit.label == "anger"


# -- model file forms, fast inference, label-shift adaptation ------------------------------


def _reference_logits(model, text: str) -> list[float]:
    """A plain float loop over the model's weights (what inference must equal)."""
    from sceneanatomy.emotion_model.features import extract_with_context

    out = list(model.bias)
    for f, x in extract_with_context(text, None, 0.0, chars=model.chars).items():
        for k, w in model.weights.get(f, ()):
            out[k] += x * w
    return out


SAMPLES = [
    "I love you",
    "Seriously?! No way!",
    "She isn't the least bit interested in him.",
    "WHAT are you doing here???",
    "",
    "İstanbul: she is furious.",
]


def test_fast_inference_equals_a_plain_loop() -> None:
    model = load_model().bundle.model
    for text in SAMPLES:
        fast = model.logits(text)
        ref = _reference_logits(model, text)
        assert max(abs(a - b) for a, b in zip(fast, ref, strict=True)) < 1e-9, text


def test_binary_and_json_forms_hold_the_same_model(tmp_path: Path) -> None:
    from sceneanatomy.emotion_model.features import extract
    from sceneanatomy.emotion_model.linear import LinearModel

    raw = emotion.shipped_file(emotion.CORE_MODEL)
    model = LinearModel.load_bytes(raw)
    assert model.to_bytes() == raw  # deterministic bytes
    # a smaller model (the shipped rows of the samples' features) through both file forms
    used = {f for t in SAMPLES for f in extract(t)} & set(model.weights)
    part = LinearModel(
        model.labels, model.bias, {f: model.weights[f] for f in used}, meta=model.meta
    )
    part.save(tmp_path / "m.json.gz")
    part.save(tmp_path / "m.bin")
    from_json = LinearModel.load(tmp_path / "m.json.gz")
    from_bin = LinearModel.load(tmp_path / "m.bin")
    assert from_json.to_json() == from_bin.to_json() == part.to_json()
    assert from_bin.to_bytes() == (tmp_path / "m.bin").read_bytes()
    for text in SAMPLES:
        assert from_json.logits(text) == from_bin.logits(text) == model.logits(text)
    for bad in (b"", b"not a model", raw[: len(raw) // 2], b"\x1f\x8b garbage"):
        with pytest.raises((ValueError, OSError, EOFError)):
            LinearModel.load_bytes(bad)


def test_packed_rows_handle_int32_weights() -> None:
    from sceneanatomy.emotion_model.features import extract
    from sceneanatomy.emotion_model.linear import LinearModel

    feats = extract("so angry", chars=False)
    big = {f: [40000 * (i + 1), -70000, 3] for i, f in enumerate(sorted(feats))}
    obj = {
        "format": "sceneanatomy-emotion-linear",
        "version": 1,
        "feature_version": 1,
        "chars": False,
        "labels": ["a", "b", "c"],
        "scale": 1000,
        "bias": [0, 5, -5],
        "weights": big,
        "dense": None,
        "meta": {},
    }
    model = LinearModel.from_json(obj)
    again = LinearModel.load_bytes(model.to_bytes())
    ref = [0.0, 0.005, -0.005]
    for f, x in feats.items():
        for k, w in enumerate(big.get(f, [0, 0, 0])):
            ref[k] += x * w / 1000
    for m in (model, again):
        got = m.logits("so angry")
        assert max(abs(a - b) for a, b in zip(got, ref, strict=True)) < 1e-9


def test_lexicon_phrases_stems_and_modifiers() -> None:
    from sceneanatomy.emotion_model.lexicon import Lexicon

    lex = load_lexicon()
    got = {
        (h.term.lower(), h.label, h.negated) for h in lex.hits("He fell for her. I miss you so.")
    }
    assert ("fell for", "love", False) in got and ("i miss", "love", False) in got
    own = Lexicon([("taken aback*", "surprise", 1.0), ("fury", "anger", 1.0), ("not", "NEG", 1.0)])
    (hit,) = own.hits("She was not taken abackish at all, Taken ABACK.")[:1]
    assert hit.negated and hit.term == "taken abackish"
    assert [h.term for h in own.hits("taken aback; taken")] == ["taken aback"]
    (hit,) = [h for h in lex.hits("She was not at all frustrated") if h.label == "anger"]
    assert hit.negated and hit.term == "frustrated"
    # a modifier that is also the start of an emotion phrase reads as the phrase
    assert {h.label for h in lex.hits("so in love")} == {"love"}


def test_em_priors_recover_a_label_shift() -> None:
    from sceneanatomy.emotion_model.adapt import adapt_posteriors, em_priors

    # a calibrated 2-class classifier: p(y=0|x) for texts of class 0 is 0.8, class 1 0.3
    # under the training prior (0.5, 0.5); the batch has 90 % class 0
    batch = [[0.8, 0.2]] * 90 + [[0.3, 0.7]] * 10
    q = em_priors(batch, [0.5, 0.5])
    assert q[0] > 0.8
    adapted = adapt_posteriors(batch, [0.5, 0.5])
    assert adapted[-1][0] > 0.3 and abs(sum(adapted[0]) - 1) < 1e-9
    assert em_priors([], [0.5, 0.5]) == [0.5, 0.5]


def test_classify_many_adapt_is_opt_in() -> None:
    texts = ["Where are the keys?", "I hate you!", "I love you", "Fine."]
    plain = classify_many(texts, "meld")
    assert plain == [classify(t, "meld") for t in texts]
    adapted = classify_many(texts, "meld", adapt=True)
    assert [tuple(d) for d in adapted] == [MELD] * len(texts)
    assert all(abs(sum(d.values()) - 1) < 1e-3 for d in adapted)
    assert classify_many(texts, "meld", adapt=True) == adapted  # deterministic


def test_train_single_label_and_prior(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    from sceneanatomy.emotion_model.train import main

    data = tmp_path / "train.tsv"
    rows = [*TINY, ("I love it and it makes me furious", "18,2")]
    data.write_text("".join(f"{t}\t{lab}\tid{i}\n" for i, (t, lab) in enumerate(rows)))
    out = tmp_path / "m"
    args = ["--data", str(data), "--format", "goemotions", "--out", str(out), "--min-df", "1"]
    assert main([*args, "--single-label"]) == 0
    meta = load_model(out).bundle.model.meta
    assert meta["examples"] == len(TINY) and meta["single_label"] is True
    prior = meta["prior"]
    assert len(prior) == len(GOEMOTIONS) and abs(sum(prior) - 1) < 1e-4
    assert prior[GOEMOTIONS.index("love")] == pytest.approx(3 / 9, abs=1e-6)


def test_lexicon_rejects_a_stem_inside_a_phrase() -> None:
    from sceneanatomy.emotion_model.lexicon import Lexicon

    with pytest.raises(ValueError, match="last word"):
        Lexicon([("lash* out", "anger", 0.9)])


# A MELD-format training file of our own whose labels are deliberately odd (weather talk is
# "anger"), so that a run that really uses the trained model is told apart from the shipped one.
ODD = [
    ("The weather is nice today.", "anger"),
    ("Nice weather today, isn't it?", "anger"),
    ("What lovely weather.", "anger"),
    ("Pass me the salt.", "neutral"),
    ("The train leaves at six.", "neutral"),
    ("We meet on Monday.", "neutral"),
]
WEATHER_SCRIPT = """INT. KITCHEN - DAY

MINA sets the table. JOON watches.

MINA
The weather is nice today.

JOON
Pass me the salt.
"""


def test_analyze_and_report_use_a_trained_model(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    from click.testing import CliRunner

    from sceneanatomy.cli import cli

    rows = "".join(f'"{t}",{e},0,{i}\n' for i, (t, e) in enumerate(ODD * 3))
    data = tmp_path / "mine.csv"
    data.write_text("Utterance,Emotion,Dialogue_ID,Utterance_ID\n" + rows)
    out = tmp_path / "model"
    runner = CliRunner()
    res = runner.invoke(
        cli,
        ["train", "--data", str(data), "--format", "meld", "--out", str(out), "--min-df", "1"]
        + ["--C", "100"],  # a confident model from 18 lines
    )
    assert res.exit_code == 0, res.output
    script = tmp_path / "kitchen.fountain"
    script.write_text(WEATHER_SCRIPT)

    def first_line(args: list[str]) -> tuple[str, str]:
        res = runner.invoke(cli, ["analyze", str(script), "--format", "json", *args])
        assert res.exit_code == 0, res.output
        d = json.loads(res.stdout)
        return d["analysis"]["emotion"], d["scenes"][0]["anatomy"]["lines"][0]["emotion"]

    backend, shipped = first_line([])
    assert backend == "model" and shipped != "anger"
    assert first_line(["--emotion-model", str(out)]) == ("trained", "anger")
    html = tmp_path / "page.html"
    res = runner.invoke(cli, ["report", str(script), "-o", str(html), "--emotion-model", str(out)])
    assert res.exit_code == 0, res.output
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("kind", ["missing", "empty-dir", "garbage"])
def test_emotion_model_that_is_not_one_is_one_error_line(tmp_path: Path, kind: str) -> None:
    from click.testing import CliRunner

    from sceneanatomy.cli import cli

    script = tmp_path / "kitchen.fountain"
    script.write_text(WEATHER_SCRIPT)
    bad = tmp_path / "model"
    if kind == "empty-dir":
        bad.mkdir()
    elif kind == "garbage":
        bad.write_bytes(b"\x00\x01 not a model")
    res = CliRunner().invoke(cli, ["analyze", str(script), "--emotion-model", str(bad)])
    assert res.exit_code == 2
    assert res.stdout == ""
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {bad}: "), res.stderr


def test_train_needs_two_labels_and_names_the_file(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    from sceneanatomy.emotion_model.train import main

    one = tmp_path / "one.csv"
    one.write_text('Utterance,Emotion\n"hi",joy\n"yo",joy\n')
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(["--data", str(one), "--format", "meld", "--out", str(tmp_path / "o")]) == 2
    assert err.getvalue() == (
        f"error: {one}: training needs examples of at least two labels (found: joy)\n"
    )
