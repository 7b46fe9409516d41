"""Emotion per utterance: MELD, EmoryNLP and GoEmotions figures for docs/benchmarks.md.

    python benchmarks/emotion.py [--core-only] [--skip-indomain] [--cache DIR]

Reads ../shared/eval (or $SCENE_ANATOMY_SHARED/eval) in place. Reports:

* the SHIPPED model (trained on GoEmotions only), core path (pure Python) and, when the
  ``embeddings`` extra is installed, the full path (MiniLM embeddings): MELD test weighted
  F1 over 7 labels, EmoryNLP test weighted F1 over 7 labels, GoEmotions test macro-F1 over
  28 labels; plus the lexicon alone on MELD;
* the same architecture trained here on MELD train and calibrated on MELD dev (in-domain,
  never shipped; needs the ``train`` extra).

Last line: ``emotion: meld_wf1_shipped=... meld_wf1_indomain=... emorynlp_wf1=...`` with
the best path available (full when installed, else core).
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from pathlib import Path

from sceneanatomy.analysis.emotion import EmotionModel, load_model
from sceneanatomy.emotion_model import embeddings as emb
from sceneanatomy.emotion_model.bundle import Bundle
from sceneanatomy.emotion_model.labels import EMORY, GOEMOTIONS, MELD
from sceneanatomy.emotion_model.lexicon import load_lexicon
from sceneanatomy.emotion_model.linear import LinearModel
from sceneanatomy.emotion_model.train import calibrate, fit_linear, read_dataset

REPO = Path(__file__).resolve().parents[1]
# In-domain settings, selected on MELD dev (best calibrated dev wF1 of GRID; see docs)
INDOMAIN_C = 0.5
CONTEXT = 0.25  # weight of the previous utterance's word features


def shared_dir() -> Path:
    env = os.environ.get("SCENE_ANATOMY_SHARED")
    for c in ([Path(env)] if env else []) + [REPO.parent / "shared"]:
        if (c / "eval").is_dir():
            return c
    sys.exit("benchmarks/emotion.py: ../shared/eval not found (set SCENE_ANATOMY_SHARED)")


def f1_scores(gold: list[str], pred: list[str], labels: tuple[str, ...]) -> dict[str, float]:
    """Per-label F1, weighted F1 (by gold support) and macro F1, in percent."""
    out: dict[str, float] = {}
    wsum = msum = 0.0
    for lab in labels:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == lab and p == lab)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != lab and p == lab)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == lab and p != lab)
        f = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        out[lab] = 100 * f
        wsum += f * sum(1 for g in gold if g == lab)
        msum += f
    out["weighted"] = 100 * wsum / len(gold)
    out["macro"] = 100 * msum / len(labels)
    return out


def read_emory(path: Path) -> tuple[list[str], list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [r["Utterance"] for r in rows], [r["Emotion"] for r in rows]


def predict(
    model: EmotionModel, texts: list[str], scheme: str, embs=None, previous=None
) -> list[str]:
    lex = model.lexicon
    labels = model.bundle.schemes[scheme].labels
    out = []
    for i, t in enumerate(texts):
        prev = None if previous is None else previous[i]
        dist = model.bundle.score(t, scheme, lex, None if embs is None else embs[i], prev)
        out.append(labels[max(range(len(labels)), key=lambda k: dist[k])])
    return out


def goemotions_macro(model: EmotionModel, texts, gold: list[list[str]], embs=None) -> float:
    sch = model.bundle.schemes["goemotions"]
    f_sum = 0.0
    preds = []
    for i, t in enumerate(texts):
        p = model.bundle.model.proba(t, None if embs is None else embs[i])
        on = {lab for lab, v, th in zip(sch.labels, p, sch.thresholds, strict=True) if v >= th}
        if not on:
            on = {sch.labels[max(range(len(p)), key=lambda k: p[k])]}
        preds.append(on)
    for lab in GOEMOTIONS:
        tp = sum(1 for g, p in zip(gold, preds, strict=True) if lab in g and lab in p)
        fp = sum(1 for g, p in zip(gold, preds, strict=True) if lab not in g and lab in p)
        fn = sum(1 for g, p in zip(gold, preds, strict=True) if lab in g and lab not in p)
        f_sum += 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return f_sum / len(GOEMOTIONS)


GRID = [  # (C, context weight, embedding scale)
    (1.0, 0.25, 1.0),
    (1.0, 0.5, 1.0),
    (1.0, 0.5, 1.5),
    (1.0, 0.5, 2.0),
    (1.0, 1.0, 1.0),
    (0.5, 0.5, 1.0),
    (2.0, 0.5, 1.0),
    (0.5, 0.25, 1.0),
    (1.0, 0.0, 1.0),
    (1.0, 0.25, 1.5),
    (0.5, 0.0, 1.0),
]


def score_all(bundle: Bundle, lex, ds, embs) -> list[list[float]]:
    rows = zip(ds.texts, embs, ds.previous, strict=True)
    return [bundle.score(t, "meld", lex, e, p) for t, e, p in rows]


def grid(meld_dir: Path, cache: Path) -> None:
    """The settings grid for the in-domain model: pick by dev, test shown for the record."""
    train = read_dataset(meld_dir / "train_sent_emo.csv", "meld")
    dev = read_dataset(meld_dir / "dev_sent_emo.csv", "meld")
    test = read_dataset(meld_dir / "test_sent_emo.csv", "meld")
    embs = [emb.encode_cached(d.texts, cache) for d in (train, dev, test)]
    lex = load_lexicon()

    def wf1(ds, dists) -> float:
        pred = [MELD[max(range(len(MELD)), key=lambda k: d[k])] for d in dists]
        return f1_scores([g[0] for g in ds.labels], pred, MELD)["weighted"]

    for c, ctx, scale in GRID:
        tr, dv, te = ([[v * scale for v in row] for row in e] for e in embs)
        lm = fit_linear(
            train.texts,
            train.labels,
            MELD,
            C=c,
            embeddings=tr,
            context=ctx,
            previous=train.previous,
            log=lambda s: None,
        )
        raw = wf1(dev, lm.proba_many(dev.texts, dv, dev.previous))
        bundle = Bundle(lm)
        calibrate(bundle, dev, embeddings=dv, log=lambda s: None)
        cal = wf1(dev, score_all(bundle, lex, dev, dv))
        tst = wf1(test, score_all(bundle, lex, test, te))
        print(
            f"grid C={c} context={ctx} emb_scale={scale}: dev_raw={raw:.2f} "
            f"dev_cal={cal:.2f} test={tst:.2f}",
            flush=True,
        )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--core-only", action="store_true", help="skip the embeddings path")
    ap.add_argument("--skip-indomain", action="store_true", help="skip training on MELD")
    ap.add_argument("--cache", type=Path, default=Path.home() / ".cache/scene-anatomy-bench")
    ap.add_argument(
        "--grid", action="store_true", help="in-domain settings grid (full path) and exit"
    )
    a = ap.parse_args()
    if a.grid:
        grid(shared_dir() / "eval" / "narrative/meld/MELD", a.cache)
        return
    ev = shared_dir() / "eval"
    meld_dir = ev / "narrative/meld/MELD"
    meld_test = read_dataset(meld_dir / "test_sent_emo.csv", "meld")
    mt_gold = [g[0] for g in meld_test.labels]
    e_texts, e_gold = read_emory(ev / "narrative/meld/emorynlp/emorynlp_test_final.csv")
    go_test = read_dataset(ev / "goemotions/test.tsv", "goemotions")

    paths = ["core"]
    if not a.core_only and emb.available():
        paths.append("full")
    elif not a.core_only:
        print("note: the 'embeddings' extra is not installed: full path skipped")
    results: dict[str, dict[str, float]] = {}

    lex = load_lexicon()
    lex_pred = []
    for t in meld_test.texts:
        s = {k: v for k, v in lex.scores(t).items()}
        agg: dict[str, float] = {}
        for k, v in s.items():
            from sceneanatomy.emotion_model.labels import INTERNAL_TO_MELD

            agg[INTERNAL_TO_MELD[k]] = agg.get(INTERNAL_TO_MELD[k], 0.0) + v
        best = max(agg.items(), key=lambda kv: kv[1], default=("neutral", 0.0))
        lex_pred.append(best[0] if best[1] > 0 else "neutral")
    lex_f = f1_scores(mt_gold, lex_pred, MELD)
    print(f"lexicon only      MELD test wF1 {lex_f['weighted']:.2f}")

    for path in paths:
        model = load_model(embeddings=(path == "full"))
        embs = {}
        if path == "full":
            t0 = time.time()
            embs = {
                "meld": emb.encode_cached(meld_test.texts, a.cache),
                "emory": emb.encode_cached(e_texts, a.cache),
                "go": emb.encode_cached(go_test.texts, a.cache),
            }
            print(f"[{path}] embeddings ready in {time.time() - t0:.0f}s (cached in {a.cache})")
        t0 = time.time()
        mp = predict(model, meld_test.texts, "meld", embs.get("meld"))
        dt = time.time() - t0
        mf = f1_scores(mt_gold, mp, MELD)
        ep = predict(model, e_texts, "emorynlp", embs.get("emory"))
        ef = f1_scores(e_gold, ep, EMORY)
        gm = goemotions_macro(model, go_test.texts, go_test.labels, embs.get("go"))
        results[path] = {"meld": mf["weighted"], "emory": ef["weighted"], "go28": gm}
        print(
            f"shipped [{path}]   MELD test wF1 {mf['weighted']:.2f}  EmoryNLP test wF1 "
            f"{ef['weighted']:.2f}  GoEmotions test macro-F1(28) {gm:.3f}  "
            f"({1000 * dt / len(mp):.2f} ms/utterance, classifier+lexicon)"
        )
        print("  MELD per label F1: " + " ".join(f"{k}={mf[k]:.1f}" for k in MELD))
        print("  EmoryNLP per label F1: " + " ".join(f"{k}={ef[k]:.1f}" for k in EMORY))

    if not a.skip_indomain:
        train = read_dataset(meld_dir / "train_sent_emo.csv", "meld")
        dev = read_dataset(meld_dir / "dev_sent_emo.csv", "meld")
        for path in paths:
            tr_e = dv_e = te_e = None
            if path == "full":
                tr_e = emb.encode_cached(train.texts, a.cache)
                dv_e = emb.encode_cached(dev.texts, a.cache)
                te_e = emb.encode_cached(meld_test.texts, a.cache)
            t0 = time.time()
            lm = fit_linear(
                train.texts,
                train.labels,
                MELD,
                C=INDOMAIN_C,
                embeddings=tr_e,
                context=CONTEXT,
                previous=train.previous,
                log=lambda s: None,
            )
            bundle = Bundle(lm)
            calibrate(bundle, dev, embeddings=dv_e, log=lambda s: None)
            model = EmotionModel(bundle, load_lexicon())
            with tempfile.TemporaryDirectory() as d:  # score the saved form, as a user would
                lm.save(Path(d) / "m.json.gz")
                model = EmotionModel(
                    Bundle(LinearModel.load(Path(d) / "m.json.gz")), load_lexicon()
                )
            mp = predict(model, meld_test.texts, "meld", te_e, meld_test.previous)
            mf = f1_scores(mt_gold, mp, MELD)
            results.setdefault(path, {})["indomain"] = mf["weighted"]
            print(
                f"in-domain [{path}] MELD test wF1 {mf['weighted']:.2f} "
                f"(trained on MELD train, calibrated on MELD dev, {time.time() - t0:.0f}s)"
            )
            print("  MELD per label F1: " + " ".join(f"{k}={mf[k]:.1f}" for k in MELD))

    for path in paths:
        r = results[path]
        print(
            f"emotion[{path}]: meld_wf1_shipped={r['meld']:.2f} "
            f"meld_wf1_indomain={r.get('indomain', float('nan')):.2f} "
            f"emorynlp_wf1={r['emory']:.2f} goemotions_macro_f1={r['go28']:.3f}"
        )
    best = results[paths[-1]]
    print(
        f"emotion: meld_wf1_shipped={best['meld']:.2f} "
        f"meld_wf1_indomain={best.get('indomain', float('nan')):.2f} "
        f"emorynlp_wf1={best['emory']:.2f}"
    )


if __name__ == "__main__":
    main()
