"""Speed of the anatomy report (``scene-anatomy report``), core install.

Two inputs:

1. one scene: scene 2 of the bundled ``examples/sofa-scene.fountain``;
2. a whole screenplay: the longest plain-text screenplay of
   ../shared/eval/narrative/tripod/screenplays_test (by size; about 120 pages), as a
   document report (cast, scene strip, ledger, tropes, one digest per scene).

"Report generation" is anatomy dict -> article -> one HTML page (build + render), timed in
a fresh interpreter (best of ``--repeat``) so the first render's costs (importing the
report package and Jinja2, loading the cached or compiling the templates, loading the
phrases) are counted: ``scene_ms`` and ``document_s``. The import of the ``sceneanatomy``
command line itself, which every command pays, is printed apart. Until the
scene-dynamics stages land, the anatomy holds no beats, key lines or arcs; so that the
figure covers a full article, ``--fill`` (default on) adds synthetic dynamics to every
scene that lacks them: up to 8 beats with spans and tensions, a key line, a turning point,
one outcome and an arc per speaking character — what those stages will write.

For reference (not part of the budget: the analysis belongs to its own stages) the script
also prints the end-to-end time (read + analysis + report, in-process, after imports).

    python benchmarks/report_speed.py [--no-fill] [--repeat 5]

Last line: ``report_speed: scene_ms=… document_s=… e2e_scene_ms=… e2e_document_s=…``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path
from typing import Any

TIMER = """
import json, sys, time
t0 = time.perf_counter()
import sceneanatomy.cli  # what any command imports before it runs (not the report's cost)
t1 = time.perf_counter()
from sceneanatomy.render.report import build_article, render_article
data = json.load(open(sys.argv[1], encoding="utf-8"))
scene = None if sys.argv[2] == "-" else sys.argv[2]
t2 = time.perf_counter()
html = render_article(build_article(data, scene), "html")
t3 = time.perf_counter()
print(json.dumps({"base": t1 - t0, "total": (t3 - t2) + (t2 - t1), "bytes": len(html.encode())}))
"""


def shared_dir() -> Path:
    env = os.environ.get("SCENE_ANATOMY_SHARED")
    for c in ([Path(env)] if env else []) + [Path(__file__).resolve().parents[1].parent / "shared"]:
        if (c / "eval").is_dir():
            return c
    raise SystemExit("../shared/eval not found (set SCENE_ANATOMY_SHARED)")


def fill(data: dict[str, Any]) -> dict[str, Any]:
    """Synthetic dynamics for scenes without them (benchmark only: spans are real)."""
    for s in data["scenes"]:
        an = s.get("anatomy") or {}
        s["anatomy"] = an
        if an.get("beats"):
            continue
        text = (s.get("span") or {}).get("text") or ""
        span = s.get("span")
        if not span or not text.strip():
            continue
        base_line, base_char = span["start_line"], span["start_char"]
        spans = []
        offset = 0
        for i, raw in enumerate(text.split("\n")):
            if raw.strip():
                spans.append(
                    {
                        "start_line": base_line + i,
                        "end_line": base_line + i,
                        "start_char": base_char + offset,
                        "end_char": base_char + offset + len(raw),
                        "start_time": None,
                        "end_time": None,
                        "text": raw,
                    }
                )
            offset += len(raw) + 1
        step = max(1, len(spans) // 8)
        picked = spans[::step][:8]
        fns = [
            "setup",
            "complication",
            "escalation",
            "escalation",
            "turn",
            "climax",
            "resolution",
            "resolution",
        ]
        an["beats"] = [
            {
                "index": i,
                "function": fns[i],
                "summary": " ".join(sp["text"].split())[:80],
                "span": sp,
                "tension": round(0.2 + 0.7 * ((i * 37) % 10) / 10, 2),
                "emotions": {},
            }
            for i, sp in enumerate(picked)
        ]
        speakers = [c["id"] for c in s.get("characters") or [] if c.get("speaking")]
        longest = max(spans, key=lambda sp: len(sp["text"]))
        turn = len(picked) // 2
        an["key_line"] = {
            "speaker": speakers[0] if speakers else None,
            "text": longest["text"].strip(),
            "evidence": [longest],
        }
        an["turning_point"] = {
            "beat": turn,
            "text": "the balance shifts",
            "evidence": [picked[turn]],
        }
        an["value"] = {"name": "trust", "start": "+", "end": "-"}
        an["outcome"] = [
            {"character": c, "text": "they leave changed", "charge": "-", "evidence": [picked[-1]]}
            for c in speakers[:2]
        ]
        an["arcs"] = [
            {
                "character": c,
                "start": "calm",
                "end": "shaken",
                "points": [
                    {"position": k / 4, "valence": ((k * 3) % 5 - 2) / 2, "emotion": "neutral"}
                    for k in range(5)
                ],
            }
            for c in speakers[:3]
        ]
    return data


def cold(data: dict[str, Any], scene: str | None, repeat: int) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as fh:
        json.dump(data, fh)
        path = fh.name
    try:
        runs = []
        for _ in range(repeat):
            out = subprocess.run(
                [sys.executable, "-c", TIMER, path, scene or "-"],
                check=True,
                capture_output=True,
                text=True,
            )
            runs.append(json.loads(out.stdout))
        return min(runs, key=lambda r: r["total"])
    finally:
        os.unlink(path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--no-fill", action="store_true", help="no synthetic dynamics")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    from sceneanatomy.pipeline import analyse
    from sceneanatomy.readers import read_path
    from sceneanatomy.render.report import anatomy_of, report

    example = Path(str(resources.files("sceneanatomy") / "examples" / "sofa-scene.fountain"))
    scripts = sorted(
        (shared_dir() / "eval" / "narrative" / "tripod" / "screenplays_test").glob("*_script.txt"),
        key=lambda p: p.stat().st_size,
    )
    longest = scripts[-1]

    results = {}
    for label, path, scene, whole in (
        ("scene", example, "2", False),
        ("document", longest, None, True),
    ):
        t0 = time.perf_counter()
        doc = analyse(read_path(path), whole=whole)
        data = anatomy_of(doc)
        t1 = time.perf_counter()
        report(data, scene, "html")
        t2 = time.perf_counter()
        if not args.no_fill:
            data = fill(data)
        c = cold(data, scene, args.repeat)
        results[label] = {"e2e": t2 - t0, "analysis": t1 - t0, **c}
        pages = len(path.read_text(encoding="utf-8", errors="replace").splitlines()) / 56
        print(
            f"{label:9s} {path.name}: {len(doc.scenes)} scenes, ~{pages:.0f} pages; "
            f"report (fresh process, {'filled' if not args.no_fill else 'as analysed'}): "
            f"{c['total'] * 1000:.0f} ms, {c['bytes'] / 1024:.0f} KiB "
            f"(+ {c['base'] * 1000:.0f} ms to import the CLI); "
            f"analysis {t1 - t0:.2f} s; end to end (as analysed) {t2 - t0:.2f} s"
        )
    print(
        f"report_speed: scene_ms={results['scene']['total'] * 1000:.0f} "
        f"document_s={results['document']['total']:.2f} "
        f"e2e_scene_ms={results['scene']['e2e'] * 1000:.0f} "
        f"e2e_document_s={results['document']['e2e']:.2f}"
    )


if __name__ == "__main__":
    main()
