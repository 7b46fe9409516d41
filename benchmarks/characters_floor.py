"""A lower bound for the characters stage in Python: the work no design can skip.

    python benchmarks/characters_floor.py [--repeat 5]

The issue's target is that the characters stage (rule path) adds less than half of the
reading time. This script measures, on the 15 TRIPOD test screenplays, what any Python
implementation producing today's output must do at least once per element or occurrence,
each with the fastest means the standard library offers, and nothing else:

1. ``join``: the elements' texts joined into one string per document (one pass);
2. ``name_scan``: the capitalised-run scan for names (:data:`name_finder._RUN`, the
   product's own compiled pattern, one ``finditer`` over the joined text);
3. ``pronoun_scan``: the he/she/his/her... scan for gender evidence and presence
   (the product's ``characters._PRONOUN``, one ``finditer``);
4. ``mentions``: as many ``Mention`` objects (each with a ``Span``) as the product makes
   for these scripts, in one list comprehension;
5. ``element_loop``: one loop over all elements with one dictionary update each (presence,
   lines per speaker).

Everything the stage decides (which runs are names, titles, roles, actors, headings;
grouping aliases, romanization, honorifics, typos; gender votes; speakers; roles) comes on
top. Each step is the best of ``--repeat`` runs. Reading time is the best of 3 per file,
as in ``characters_speed.py``. The last line is
``characters_floor: parse_s=… target_s=… floor_s=… logic_budget_s=…`` where ``target_s`` is
half the reading time and ``logic_budget_s`` what would be left for all the decisions.
Skips (exit 0, no figures) when ``../shared`` is absent.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time

from characters_speed import shared_dir
from sceneanatomy.analysis.characters import _PRONOUN, find_characters
from sceneanatomy.analysis.name_finder import _RUN
from sceneanatomy.model import Mention, Span
from sceneanatomy.readers import read_path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    shared = shared_dir()
    if shared is None:
        print("characters_floor: skipped (../shared not found)")
        return 0
    folder = shared / "eval" / "narrative" / "tripod" / "screenplays_test"
    files = sorted(folder.glob("*_script.txt"))
    parse = 0.0
    for f in files:
        times = []
        for _ in range(3):
            t = time.process_time()
            read_path(f)
            times.append(time.process_time() - t)
        parse += min(times)
    docs = [read_path(f) for f in files]
    n_mentions = sum(
        len(c.mentions)
        for d in docs
        for c in find_characters(read_path(d.path), "rules").characters
    )
    elements = [[el for s in d.scenes for el in s.elements] for d in docs]
    gc.disable()
    best: dict[str, float] = {}

    def step(name: str, fn):  # type: ignore[no-untyped-def]
        t = time.process_time()
        out = fn()
        best[name] = min(best.get(name, float("inf")), time.process_time() - t)
        return out

    for _ in range(args.repeat):
        texts = step("join", lambda: ["\n".join([el.text for el in els]) for els in elements])
        step("name_scan", lambda: [list(_RUN.finditer(x)) for x in texts])  # noqa: B023
        step("pronoun_scan", lambda: [list(_PRONOUN.finditer(x)) for x in texts])  # noqa: B023

        def mentions() -> list[Mention]:
            return [
                Mention(Span(i, i, i, i + 1), "x", "name", "c", 1.0, 0) for i in range(n_mentions)
            ]

        step("mentions", mentions)

        def element_loop() -> None:
            for els in elements:
                seen: dict[str | None, int] = {}
                get = seen.get
                for el in els:
                    k = el.speaker
                    seen[k] = get(k, 0) + 1

        step("element_loop", element_loop)
    gc.enable()
    floor = sum(best.values())
    n_el = sum(map(len, elements))
    print(f"15 screenplays: {n_el} elements, {n_mentions} mentions made by the stage")
    for k, v in best.items():
        print(f"  {k:14s} {1000 * v:7.1f} ms")
    target = parse / 2
    print(
        f"characters_floor: parse_s={parse:.3f} target_s={target:.3f} floor_s={floor:.3f} "
        f"logic_budget_s={target - floor:.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
