"""Emotion per utterance: MELD, EmoryNLP and GoEmotions figures for docs/benchmarks.md.

    python benchmarks/emotion.py [--core-only] [--skip-indomain] [--cache DIR]
    python benchmarks/emotion.py --speed      # CPU time to load the core model and classify
                                              # a 120-page screenplay's dialogue lines

Reads ../shared/eval (or $SCENE_ANATOMY_SHARED/eval) in place. Reports:

* the SHIPPED model (trained on GoEmotions only), core path (pure Python) and, when the
  ``embeddings`` extra is installed, the full path (MiniLM embeddings): MELD test weighted
  F1 over 7 labels, EmoryNLP test weighted F1 over 7 labels, GoEmotions test macro-F1 over
  28 labels; plus the lexicon alone on MELD;
* the same architecture trained here on MELD train and calibrated on MELD dev (in-domain,
  never shipped; needs the ``train`` extra);
* for the record (not in the figures): the shipped model with unsupervised label-shift
  adaptation (EM re-estimation of the class priors on the batch, Saerens et al. 2002),
  with and without bias-corrected temperature scaling fitted on GoEmotions dev first.

Other modes: ``--model DIR`` evaluates a GoEmotions-trained model of one's own (the
training command's output) in place of the shipped core one; ``--grid`` runs the in-domain
settings grid (full path; ``--grid --core-only`` the core one); ``--speed`` times the core
model.

Last line: ``emotion: meld_wf1_shipped=... meld_wf1_indomain=... emorynlp_wf1=...`` with
the best path available (full when installed, else core).
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import sys
import tempfile
import time
from pathlib import Path

from sceneanatomy.analysis.emotion import EmotionModel, load_model
from sceneanatomy.emotion_model import embeddings as emb
from sceneanatomy.emotion_model.adapt import adapt_posteriors, em_priors
from sceneanatomy.emotion_model.bundle import Bundle
from sceneanatomy.emotion_model.labels import EMORY, GOEMOTIONS, MELD
from sceneanatomy.emotion_model.lexicon import load_lexicon
from sceneanatomy.emotion_model.linear import LinearModel, softmax
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


def adapted(
    model: EmotionModel,
    texts: list[str],
    scheme: str,
    embs,
    batches: list[list[int]],
    calib: tuple[float, list[float]] | None = None,
) -> list[str]:
    """Predictions after EM re-estimation of the class priors on each batch of indices;
    ``calib``: (temperature, per-label bias) applied to the model's logits first."""
    prior = model.bundle.model.meta["prior"]
    labels = model.bundle.schemes[scheme].labels
    proba = model.bundle.model.proba_many(texts, embs)
    if calib is not None:
        temp, bias = calib
        proba = [
            softmax([math.log(max(p, 1e-12)) / temp + b for p, b in zip(row, bias, strict=True)])
            for row in proba
        ]
    out: list[str] = [""] * len(texts)
    for batch in batches:
        ad = adapt_posteriors([proba[i] for i in batch], prior)
        for i, p in zip(batch, ad, strict=True):
            dist = model.bundle.project(p, scheme, model.lexicon.scores(texts[i]))
            out[i] = labels[max(range(len(labels)), key=lambda k: dist[k])]
    return out


def bcts(model: EmotionModel, dev, embs) -> tuple[float, list[float]]:
    """Bias-corrected temperature scaling (Alexandari et al. 2020) of the model's 28-way
    softmax, fitted by NLL on GoEmotions dev (one row per gold label, as in training)."""
    import numpy as np
    from scipy.optimize import minimize

    proba = np.log(np.maximum(model.bundle.model.proba_many(dev.texts, embs), 1e-12))
    rows = [(i, GOEMOTIONS.index(g)) for i, labs in enumerate(dev.labels) for g in labs]
    L = proba[[i for i, _ in rows]]
    y = np.asarray([k for _, k in rows])

    def nll(x):
        z = L / x[0] + x[1:]
        z = z - z.max(1, keepdims=True)
        lp = z - np.log(np.exp(z).sum(1, keepdims=True))
        return -lp[np.arange(len(y)), y].mean()

    x0 = np.r_[1.0, np.zeros(L.shape[1])]
    res = minimize(nll, x0, method="L-BFGS-B", bounds=[(0.05, 20.0)] + [(-10.0, 10.0)] * 28)
    return float(res.x[0]), [float(v) for v in res.x[1:]]


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


CORE_GRID = [  # (C, context weight, min_df), core path (no embeddings)
    (0.5, 0.25, 2),
    (0.25, 0.25, 2),
    (1.0, 0.25, 2),
    (2.0, 0.25, 2),
    (0.5, 0.0, 2),
    (0.5, 0.5, 2),
    (0.25, 0.5, 2),
    (0.25, 0.0, 2),
    (0.5, 0.25, 1),
]


def score_all(bundle: Bundle, lex, ds, embs) -> list[list[float]]:
    rows = zip(ds.texts, embs, ds.previous, strict=True)
    return [bundle.score(t, "meld", lex, e, p) for t, e, p in rows]


def grid(meld_dir: Path, cache: Path, core: bool = False) -> None:
    """The settings grid for the in-domain model: pick by dev, test shown for the record."""
    train = read_dataset(meld_dir / "train_sent_emo.csv", "meld")
    dev = read_dataset(meld_dir / "dev_sent_emo.csv", "meld")
    test = read_dataset(meld_dir / "test_sent_emo.csv", "meld")
    lex = load_lexicon()

    def wf1(ds, dists) -> float:
        pred = [MELD[max(range(len(MELD)), key=lambda k: d[k])] for d in dists]
        return f1_scores([g[0] for g in ds.labels], pred, MELD)["weighted"]

    if core:
        for c, ctx, min_df in CORE_GRID:
            lm = fit_linear(
                train.texts,
                train.labels,
                MELD,
                C=c,
                min_df=min_df,
                context=ctx,
                previous=train.previous,
                log=lambda s: None,
            )
            raw = wf1(dev, lm.proba_many(dev.texts, None, dev.previous))
            bundle = Bundle(lm)
            calibrate(bundle, dev, log=lambda s: None)
            cal = wf1(dev, score_all(bundle, lex, dev, [None] * len(dev.texts)))
            tst = wf1(test, score_all(bundle, lex, test, [None] * len(test.texts)))
            print(
                f"grid[core] C={c} context={ctx} min_df={min_df}: dev_raw={raw:.2f} "
                f"dev_cal={cal:.2f} test={tst:.2f}",
                flush=True,
            )
        return
    embs = [emb.encode_cached(d.texts, cache) for d in (train, dev, test)]

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


SPEED_CHILD = """
import json, sys, time
t0 = time.process_time()
from sceneanatomy.analysis.emotion import load_model
from sceneanatomy.model import ElementKind
from sceneanatomy.readers import read_path
doc = read_path(sys.argv[1])
texts = [" ".join(e.text.split()) for s in doc.scenes for e in s.elements
         if e.kind == ElementKind.DIALOGUE]
t1 = time.process_time()
model = load_model()
t2 = time.process_time()
model.classify_many(texts)
t3 = time.process_time()
print(json.dumps({"lines": len(texts), "load": t2 - t1, "classify": t3 - t2}))
"""


def speed(repeat: int = 5) -> None:
    """CPU seconds, fresh process each time (best of ``repeat``): loading the core model
    and ``classify_many`` over every dialogue element of the longest TRIPOD test
    screenplay (the ~120-page one of benchmarks/analyze_speed.py), cold caches."""
    import json
    import subprocess

    d = shared_dir() / "eval" / "narrative" / "tripod" / "screenplays_test"
    path = sorted(d.glob("*_script.txt"), key=lambda p: (-p.stat().st_size, p.name))[0]
    runs = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", SPEED_CHILD, str(path)],
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        for _ in range(repeat)
    ]
    load = min(r["load"] for r in runs)
    clf = min(r["classify"] for r in runs)
    n = runs[0]["lines"]
    print(
        f"speed: {path.name}: {n} dialogue lines; model load {load:.3f}s, classify_many "
        f"{clf:.3f}s ({1000 * clf / max(n, 1):.2f} ms/line) CPU, best of {repeat}"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--core-only", action="store_true", help="skip the embeddings path")
    ap.add_argument("--skip-indomain", action="store_true", help="skip training on MELD")
    ap.add_argument("--cache", type=Path, default=Path.home() / ".cache/scene-anatomy-bench")
    ap.add_argument(
        "--grid", action="store_true", help="in-domain settings grid (full path) and exit"
    )
    ap.add_argument("--speed", action="store_true", help="core model load/classify CPU time")
    ap.add_argument(
        "--model",
        type=Path,
        default=None,
        help="evaluate this GoEmotions-trained model (train command output) instead of the "
        "shipped core one",
    )
    a = ap.parse_args()
    if a.speed:
        speed()
        return
    if a.grid:
        grid(shared_dir() / "eval" / "narrative/meld/MELD", a.cache, core=a.core_only)
        return
    ev = shared_dir() / "eval"
    meld_dir = ev / "narrative/meld/MELD"
    meld_test = read_dataset(meld_dir / "test_sent_emo.csv", "meld")
    mt_gold = [g[0] for g in meld_test.labels]
    meld_dialogues = list(range(len(meld_test.texts)))
    by_dialogue: dict[str, list[int]] = {}
    with (meld_dir / "test_sent_emo.csv").open(encoding="utf-8", newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            by_dialogue.setdefault(row["Dialogue_ID"], []).append(i)
    dialogue_batches = list(by_dialogue.values())
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

    if a.model is not None:
        paths = ["core"]
    for path in paths:
        if a.model is not None:  # a GoEmotions-trained model of one's own, core features
            model = load_model(a.model)
            print(f"[core] model: {a.model} (not the shipped one)")
        else:
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
        t0 = time.process_time()
        mp = predict(model, meld_test.texts, "meld", embs.get("meld"))
        dt = time.process_time() - t0
        mf = f1_scores(mt_gold, mp, MELD)
        ep = predict(model, e_texts, "emorynlp", embs.get("emory"))
        ef = f1_scores(e_gold, ep, EMORY)
        gm = goemotions_macro(model, go_test.texts, go_test.labels, embs.get("go"))
        results[path] = {"meld": mf["weighted"], "emory": ef["weighted"], "go28": gm}
        print(
            f"{'model' if a.model is not None else 'shipped'} [{path}]   MELD test wF1 {mf['weighted']:.2f}  EmoryNLP test wF1 "
            f"{ef['weighted']:.2f}  GoEmotions test macro-F1(28) {gm:.3f}  "
            f"({1000 * dt / len(mp):.2f} ms CPU/utterance, classifier+lexicon)"
        )
        print("  MELD per label F1: " + " ".join(f"{k}={mf[k]:.1f}" for k in MELD))
        print("  EmoryNLP per label F1: " + " ".join(f"{k}={ef[k]:.1f}" for k in EMORY))
        # label-shift adaptation (Saerens et al. 2002), for the record: not in the figures
        am = adapted(model, meld_test.texts, "meld", embs.get("meld"), [meld_dialogues])
        ad = adapted(model, meld_test.texts, "meld", embs.get("meld"), dialogue_batches)
        ae = adapted(model, e_texts, "emorynlp", embs.get("emory"), [list(range(len(e_texts)))])
        fa = f1_scores(mt_gold, am, MELD)
        fd = f1_scores(mt_gold, ad, MELD)
        fe = f1_scores(e_gold, ae, EMORY)
        print(
            f"  + EM prior adaptation [{path}]: MELD test wF1 {fa['weighted']:.2f} (test set "
            f"as one batch), {fd['weighted']:.2f} (each dialogue a batch); EmoryNLP "
            f"{fe['weighted']:.2f} (one batch)"
        )
        print("    MELD per label F1 (one batch): " + " ".join(f"{k}={fa[k]:.1f}" for k in MELD))
        prior = model.bundle.model.meta["prior"]
        q = em_priors(model.bundle.model.proba_many(meld_test.texts, embs.get("meld")), prior)
        moved = sorted(range(len(q)), key=lambda k: -abs(q[k] - prior[k]))[:4]
        print(
            "    EM priors on MELD test (GoEmotions train -> batch): "
            + ", ".join(
                f"{GOEMOTIONS[k]} {100 * prior[k]:.0f}% -> {100 * q[k]:.0f}%" for k in moved
            )
        )
        go_dev = read_dataset(ev / "goemotions/dev.tsv", "goemotions")
        dev_embs = emb.encode_cached(go_dev.texts, a.cache) if path == "full" else None
        cal = bcts(model, go_dev, dev_embs)
        bm = adapted(model, meld_test.texts, "meld", embs.get("meld"), [meld_dialogues], cal)
        be = adapted(
            model, e_texts, "emorynlp", embs.get("emory"), [list(range(len(e_texts)))], cal
        )
        print(
            f"  + BCTS (T={cal[0]:.2f}, fitted on GoEmotions dev) then EM [{path}]: MELD test "
            f"wF1 {f1_scores(mt_gold, bm, MELD)['weighted']:.2f}, EmoryNLP "
            f"{f1_scores(e_gold, be, EMORY)['weighted']:.2f} (one batch each)"
        )

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
