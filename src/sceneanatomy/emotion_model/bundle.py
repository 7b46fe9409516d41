"""A trained emotion model plus how to read it in each label scheme.

A bundle is one :class:`~.linear.LinearModel` file whose ``meta`` says, for each scheme
(``product``, ``meld``, ``emorynlp``, ``goemotions``), how the model's own labels map onto
the scheme's labels, the per-label log-bias calibrated on a development set, and how much
weight the lexicon's evidence gets (``lexicon_alpha``). Scoring a text in a scheme::

    p_model  = softmax(logits(text))                   # the model's own labels
    p_scheme = sum of p_model over each scheme label   # via the mapping (floored at 1e-4;
                                                       # an unmapped label gets the mean
                                                       # of the mapped emotions)
    score    = log p_scheme + bias + alpha * lexicon evidence (mapped to the scheme)
    result   = softmax(score)

For the ``goemotions`` scheme (the model's own 28 labels) the result is the model's
softmax, and ``thresholds`` (tuned on GoEmotions dev) decide which labels are "on".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .labels import INTERNAL_TO_EMORY, INTERNAL_TO_MELD
from .lexicon import Lexicon
from .linear import LinearModel, softmax

__all__ = ["Scheme", "Bundle", "LEXICON_TO_SCHEME"]

FLOOR = 1e-4

# lexicon labels (product + disgust) -> each scheme's labels
LEXICON_TO_SCHEME: dict[str, dict[str, str]] = {
    "product": {
        "love": "love",
        "joy": "joy",
        "sadness": "sadness",
        "anger": "anger",
        "fear": "fear",
        "surprise": "surprise",
        "embarrassment": "embarrassment",
        "jealousy": "jealousy",
        "disgust": "anger",
        "neutral": "neutral",
    },
    "meld": INTERNAL_TO_MELD,
    "emorynlp": INTERNAL_TO_EMORY,
}


@dataclass
class Scheme:
    name: str
    labels: tuple[str, ...]
    mapping: dict[str, str]  # model label -> scheme label
    bias: list[float]
    thresholds: list[float] | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "labels": list(self.labels),
            "map": dict(sorted(self.mapping.items())),
            "bias": [round(b, 4) for b in self.bias],
        }
        if self.thresholds is not None:
            out["thresholds"] = [round(t, 4) for t in self.thresholds]
        return out

    @classmethod
    def from_json(cls, name: str, obj: dict[str, Any]) -> Scheme:
        return cls(
            name,
            tuple(obj["labels"]),
            dict(obj["map"]),
            [float(b) for b in obj["bias"]],
            None if "thresholds" not in obj else [float(t) for t in obj["thresholds"]],
        )


class Bundle:
    """A :class:`LinearModel` with its schemes and lexicon weight."""

    def __init__(self, model: LinearModel) -> None:
        self.model = model
        meta = model.meta
        self.schemes = {n: Scheme.from_json(n, s) for n, s in meta.get("schemes", {}).items()}
        self.lexicon_alpha = float(meta.get("lexicon_alpha", 0.0))
        self._plans: dict[tuple[str, int], Any] = {}

    @property
    def needs_embeddings(self) -> bool:
        return self.model.dense is not None

    def set_schemes(self, schemes: dict[str, Scheme], lexicon_alpha: float) -> None:
        self.schemes = dict(schemes)
        self.lexicon_alpha = lexicon_alpha
        self._plans = {}
        self.model.meta["schemes"] = {n: s.to_json() for n, s in sorted(schemes.items())}
        self.model.meta["lexicon_alpha"] = round(lexicon_alpha, 4)

    def _plan(self, sch: Scheme) -> tuple[dict[str, int], list[int], bool, set[str], list[int]]:
        """Per scheme, computed once: label index, each model label's target, whether the
        mapping is the identity, the mapped labels, the mapped non-neutral indices."""
        key = (sch.name, id(sch))
        got = self._plans.get(key)
        if got is None:
            index = {lab: i for i, lab in enumerate(sch.labels)}
            targets = [index[sch.mapping[lab]] for lab in self.model.labels]
            identity = sch.labels == tuple(self.model.labels) and all(
                sch.mapping.get(lab) == lab for lab in sch.labels
            )
            mapped = set(sch.mapping.values())
            real_idx = [i for lab, i in index.items() if lab in mapped and lab.lower() != "neutral"]
            got = self._plans[key] = (index, targets, identity, mapped, real_idx)
        return got

    def project(
        self,
        proba: Sequence[float],
        scheme: str,
        lex: dict[str, float] | None = None,
        *,
        alpha: float | None = None,
        bias: Sequence[float] | None = None,
    ) -> list[float]:
        """The scheme distribution for one text, from the model's own probabilities."""
        sch = self.schemes[scheme]
        index, targets, identity, mapped, real_idx = self._plan(sch)
        agg = [0.0] * len(sch.labels)
        for t, p in zip(targets, proba, strict=True):
            agg[t] += p
        a = self.lexicon_alpha if alpha is None else alpha
        b = sch.bias if bias is None else bias
        if identity and not any(b) and not (lex and a):
            return list(proba)
        # a label no model label maps to (jealousy, for GoEmotions) starts as likely as the
        # average mapped emotion, so that lexicon evidence can raise it
        real = [agg[i] for i in real_idx]
        base = sum(real) / len(real) if real else FLOOR
        agg = [p if lab in mapped else base for lab, p in zip(sch.labels, agg, strict=True)]
        score = [math.log(max(p, FLOOR)) + bb for p, bb in zip(agg, b, strict=True)]
        if lex and a and scheme in LEXICON_TO_SCHEME:
            to = LEXICON_TO_SCHEME[scheme]
            for lab, v in lex.items():
                tgt = to.get(lab)
                if tgt is not None and tgt in index:
                    score[index[tgt]] += a * v
        return softmax(score)

    def score(
        self,
        text: str,
        scheme: str,
        lexicon: Lexicon | None,
        embedding: Sequence[float] | None = None,
        previous: str | None = None,
    ) -> list[float]:
        """``previous``: the preceding utterance (used by models trained with context)."""
        proba = self.model.proba(text, embedding, previous)
        lex = lexicon.scores(text) if lexicon is not None else None
        return self.project(proba, scheme, lex)
