"""Unsupervised label-shift adaptation: re-estimate the class priors of a batch.

Saerens, Latinne & Decaestecker (2002), "Adjusting the outputs of a classifier to new a
priori probabilities: a simple procedure", Neural Computation 14(1). Given a classifier's
posteriors ``p(y|x)`` for every text of one batch (a screenplay's lines, a test set) and
the class priors ``pi(y)`` of its training data, EM finds the priors ``q(y)`` of the batch
under the label-shift assumption (``p(x|y)`` unchanged)::

    p'(y|x) = p(y|x) q(y)/pi(y) / sum_y' p(y'|x) q(y')/pi(y')      (E step)
    q(y)    = mean over the batch of p'(y|x)                        (M step)

starting from ``q = pi``, until ``q`` moves by less than ``tol``. No hyperparameter is fitted
on any data. Used by ``EmotionModel.classify_many(..., adapt=True)`` (off by default:
see docs/benchmarks.md, "Emotion", for what it does on dialogue).
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["em_priors", "adapt_posteriors"]


def _reweight(p: Sequence[float], ratio: Sequence[float]) -> list[float]:
    w = [a * r for a, r in zip(p, ratio, strict=True)]
    s = sum(w)
    return [v / s for v in w] if s > 0 else list(p)


def em_priors(
    posteriors: Sequence[Sequence[float]],
    prior: Sequence[float],
    *,
    max_iter: int = 200,
    tol: float = 1e-6,
) -> list[float]:
    """The batch's class priors by EM (see the module doc); ``prior``: the training priors."""
    if not posteriors:
        return list(prior)
    n = len(posteriors)
    q = list(prior)
    for _ in range(max_iter):
        ratio = [qq / pp if pp > 0 else 0.0 for qq, pp in zip(q, prior, strict=True)]
        acc = [0.0] * len(q)
        for p in posteriors:
            for k, v in enumerate(_reweight(p, ratio)):
                acc[k] += v
        new = [a / n for a in acc]
        done = max(abs(a - b) for a, b in zip(new, q, strict=True)) < tol
        q = new
        if done:
            break
    return q


def adapt_posteriors(
    posteriors: Sequence[Sequence[float]], prior: Sequence[float], **kw: float
) -> list[list[float]]:
    """``posteriors`` re-weighted to the batch's EM priors."""
    q = em_priors(posteriors, prior, **kw)  # type: ignore[arg-type]
    ratio = [qq / pp if pp > 0 else 0.0 for qq, pp in zip(q, prior, strict=True)]
    return [_reweight(p, ratio) for p in posteriors]
