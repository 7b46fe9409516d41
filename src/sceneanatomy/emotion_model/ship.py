"""Rebuild the shipped emotion files and their manifest (maintainers only).

    python -m sceneanatomy.emotion_model.ship --goemotions DIR [--cache DIR]

trains the core model (pure-Python features) and the full model (features + MiniLM
embeddings) on ``DIR/train.tsv``, calibrates both on ``DIR/dev.tsv``, writes them (binary
``.bin`` form, see :mod:`.linear`) into
``sceneanatomy/data/emotion/`` and rewrites ``MANIFEST.json``. Without ``--goemotions`` it
only rewrites the manifest for the files present.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "emotion"
SHIPPED = ("goemotions-core.bin", "goemotions-full.bin", "lexicon.tsv")


def write_manifest(data: Path = DATA) -> dict[str, dict[str, object]]:
    manifest: dict[str, dict[str, object]] = {}
    for name in SHIPPED:
        p = data / name
        if p.exists():
            raw = p.read_bytes()
            manifest[name] = {"sha256": hashlib.sha256(raw).hexdigest(), "bytes": len(raw)}
    (data / "MANIFEST.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m sceneanatomy.emotion_model.ship")
    ap.add_argument("--goemotions", type=Path, help="directory with train.tsv and dev.tsv")
    ap.add_argument("--cache", type=Path, default=None, help="embedding cache directory")
    a = ap.parse_args(argv)
    if a.goemotions is not None:
        from .linear import LinearModel
        from .train import MODEL_FILE, train

        with tempfile.TemporaryDirectory() as tmp:
            for name, full in (
                ("goemotions-core.bin", False),
                ("goemotions-full.bin", True),
            ):
                out = Path(tmp) / name
                train(
                    a.goemotions / "train.tsv",
                    "goemotions",
                    out,
                    dev_path=a.goemotions / "dev.tsv",
                    use_embeddings=full,
                    cache_dir=a.cache,
                )
                # the shipped form: the same integers in the binary format (fast to load)
                LinearModel.load(out / MODEL_FILE).save(DATA / name)
    for name, info in write_manifest().items():
        print(f"{name}\t{info['bytes']}\t{info['sha256']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
