"""Speed of the relationship ledger against the "who is who" stages it builds on.

1. The 15 plain-text screenplays of ../shared/eval/narrative/tripod/screenplays_test.
2. A large prose input: the 15 TRIPOD test synopses (``TRIPOD_synopses_test.csv``, plot
   summaries written by Wikipedia editors) joined into one prose recap.

For each input: CPU time (``time.process_time``, best of ``--repeat`` runs after a warm-up,
the per-text caches cleared before each run: ``dialogue_refs.clear_caches``) of the people
stages the ledger reads — the pipeline's ``who_is_who`` preset (characters, speaker_names,
coref, attribution, addressee, dialogue_refs, conversation; rule path) — and of the ledger,
the pipeline's ``relationships`` stage
(:func:`~sceneanatomy.analysis.relationships.annotate_relationships` plus
:func:`~sceneanatomy.analysis.relationships.apply_love_line_roles`), each through
``pipeline.run``. overhead = ledger / people stages. Also prints the edges found per
input, by kind. (Issue 5's target, "the ledger and tropes add < 20 % to full analysis
time", is measured against the whole analysis by ``benchmarks/tropes.py``.)

    python benchmarks/ledger_speed.py [--repeat 3]

Last line: ``ledger_speed: people_s=… ledger_s=… overhead=…`` (both parts summed).
"""

from __future__ import annotations

import argparse
import copy
import csv
import os
from collections import Counter
from pathlib import Path

from sceneanatomy.analysis.dialogue_refs import clear_caches
from sceneanatomy.model import Document
from sceneanatomy.pipeline import Options, run, stage
from sceneanatomy.readers import read_bytes, read_path


def shared_dir() -> Path:
    env = os.environ.get("SCENE_ANATOMY_SHARED")
    for c in ([Path(env)] if env else []) + [Path(__file__).resolve().parents[1].parent / "shared"]:
        if (c / "eval").is_dir():
            return c
    raise SystemExit("../shared/eval not found (set SCENE_ANATOMY_SHARED)")


def people(doc: Document) -> Document:
    return run(doc, preset="who_is_who", options=Options(nlp="rules"))


def ledger(doc: Document) -> Document:
    return run(doc, stages=[stage("relationships")])


def both(doc: Document) -> tuple[float, float]:
    """One ``pipeline.run`` of the ``ledger`` preset (as the command runs it): CPU seconds
    of the people stages and of the ledger."""
    t: dict[str, float] = {}
    run(doc, preset="ledger", options=Options(nlp="rules"), timings=t)
    return sum(v for k, v in t.items() if k != "relationships"), t["relationships"]


def timed(fresh: Document, repeat: int) -> tuple[float, float, Document]:
    """Best CPU time of the people stages and of the ledger on copies of ``fresh``."""
    t_people, t_ledger = [], []
    done = fresh
    for _ in range(repeat):
        doc = copy.deepcopy(fresh)
        clear_caches()
        tp, tl = both(doc)
        t_people.append(tp)
        t_ledger.append(tl)
        done = doc
    return min(t_people), min(t_ledger), done


def summary(doc: Document) -> str:
    kinds = Counter(r.kind for r in doc.relationships)
    rom = [r for r in doc.relationships if r.kind == "romantic"]
    return (
        " ".join(f"{k}={kinds[k]}" for k in ("romantic", "platonic", "family", "rivalry", "other"))
        + f" unrequited={sum(r.requited == 'no' for r in rom)}"
        + f" triangles={len(doc.attrs['love_line']['triangles'])}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    root = shared_dir() / "eval" / "narrative" / "tripod"
    total_p = total_l = 0.0
    print("part 1: screenplays")
    scripts = sorted((root / "screenplays_test").glob("*_script.txt"))
    part_p = part_l = 0.0
    for path in scripts:
        fresh = read_path(path)
        ledger(people(copy.deepcopy(fresh)))  # warm-up
        tp, tl, doc = timed(fresh, args.repeat)
        part_p += tp
        part_l += tl
        print(f"  {path.name[:-11]:38} people={tp:6.3f}s ledger={tl:6.3f}s  {summary(doc)}")
    print(
        f"  screenplays: people={part_p:.2f}s ledger={part_l:.2f}s overhead={part_l / part_p:.3f}"
    )
    total_p += part_p
    total_l += part_l

    print("part 2: prose (the 15 TRIPOD test synopses as one recap)")
    csv.field_size_limit(10**8)
    with (root / "TRIPOD_synopses_test.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    text = "\n\n".join(f"{r['movie_name']}\n\n{r['synopsis_raw'].strip()}" for r in rows)
    fresh = read_bytes(text.encode("utf-8"), path="tripod-synopses", fmt="prose")
    ledger(people(copy.deepcopy(fresh)))
    tp, tl, doc = timed(fresh, args.repeat)
    print(
        f"  {len(text):,} chars, {len(doc.scenes)} scenes: people={tp:.2f}s ledger={tl:.2f}s "
        f"overhead={tl / tp:.3f}  {summary(doc)}"
    )
    total_p += tp
    total_l += tl
    print(
        f"ledger_speed: people_s={total_p:.2f} ledger_s={total_l:.2f} overhead={total_l / total_p:.3f}"
    )


if __name__ == "__main__":
    main()
