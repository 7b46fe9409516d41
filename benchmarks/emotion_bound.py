"""How far can the shipped (GoEmotions-trained) emotion model get on MELD by re-reading its
output alone? An upper bound, not a product setting.

    python benchmarks/emotion_bound.py        # core path, about 2 min

The shipped model's MELD reading is ``softmax(log p(Ekman group) + bias + alpha * lexicon)``
with the 7 biases and alpha fitted on GoEmotions dev. Here they are fitted on **MELD dev**
(greedy coordinate ascent on weighted F1, three rounds) — which the data rules forbid for
a shipped model — and the result is scored on MELD test. A second variant also maps the
GoEmotions labels that a sitcom line rarely means (curiosity, approval, realization,
confusion, admiration) to neutral before fitting. If even this oracle calibration stays
far below the issue's target (55), no change of the output layer (priors, thresholds,
mappings, label-shift adaptation) can reach it: the features learnt from Reddit comments
are the limit, and only dialogue training data the product may ship would move it.

Last line: ``emotion_bound: shipped_test=… dev_fit_test=… dev_fit_remap_test=…``.
"""

from __future__ import annotations

from collections.abc import Sequence

from emotion import MELD, f1_scores, shared_dir
from sceneanatomy.analysis.emotion import load_model
from sceneanatomy.emotion_model.train import read_dataset

STEPS = (-2.0, -1.0, -0.5, -0.25, 0.25, 0.5, 1.0, 2.0)
ALPHAS = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0)
REMAP = ("curiosity", "approval", "realization", "confusion", "admiration")


def main() -> None:
    meld = shared_dir() / "eval" / "narrative/meld/MELD"
    dev = read_dataset(meld / "dev_sent_emo.csv", "meld")
    test = read_dataset(meld / "test_sent_emo.csv", "meld")
    model = load_model(embeddings=False)
    bundle, lex = model.bundle, model.lexicon
    sch = bundle.schemes["meld"]
    labels = sch.labels
    data = {
        "dev": (
            bundle.model.proba_many(dev.texts, None),
            [lex.scores(t) for t in dev.texts],
            [g[0] for g in dev.labels],
        ),
        "test": (
            bundle.model.proba_many(test.texts, None),
            [lex.scores(t) for t in test.texts],
            [g[0] for g in test.labels],
        ),
    }

    def wf1(split: str, bias: Sequence[float], alpha: float) -> float:
        probs, lexs, gold = data[split]
        pred = []
        for p, lx in zip(probs, lexs, strict=True):
            d = bundle.project(p, "meld", lx, alpha=alpha, bias=bias)
            pred.append(labels[max(range(len(labels)), key=d.__getitem__)])
        return f1_scores(gold, pred, MELD)["weighted"]

    def fit(name: str) -> float:
        bias, alpha = list(sch.bias), bundle.lexicon_alpha
        best = wf1("dev", bias, alpha)
        for rnd in range(3):
            for k in range(len(bias)):
                for step in STEPS:
                    cand = list(bias)
                    cand[k] += step
                    s = wf1("dev", cand, alpha)
                    if s > best + 1e-9:
                        best, bias = s, cand
            for a in ALPHAS:
                s = wf1("dev", bias, a)
                if s > best + 1e-9:
                    best, alpha = s, a
            got = wf1("test", bias, alpha)
            print(f"{name} round {rnd + 1}: MELD dev wF1 {best:.2f}  test {got:.2f}", flush=True)
        return got

    shipped = wf1("test", sch.bias, bundle.lexicon_alpha)
    print(f"shipped (GoEmotions dev calibration): MELD test wF1 {shipped:.2f}")
    ekman = fit("biases + alpha fitted on MELD dev")
    for lab in REMAP:
        sch.mapping[lab] = "neutral"
    bundle._plans.clear()
    remap = fit("the same, with " + "/".join(REMAP) + " -> neutral")
    print(
        f"emotion_bound: shipped_test={shipped:.2f} dev_fit_test={ekman:.2f} "
        f"dev_fit_remap_test={remap:.2f}"
    )


if __name__ == "__main__":
    main()
