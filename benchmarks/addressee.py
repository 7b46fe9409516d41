"""Addressee: whom is "you" said to? Measured on SemEval-2018 Task 4's second-person mentions.

    python benchmarks/addressee.py

The mentions are the test set's mentions whose text is a second-person pronoun
(you, your, yours, yourself, yourselves, ya); the gold is the entity ``ref.out`` gives them.
The system is the product, as in ``semeval_t4.py``: the addressee stage
(:mod:`sceneanatomy.analysis.addressee`) decides each line's addressee, and the reference
stage resolves "you" to the nearest vocative before it in the line, else to that addressee;
a "you" inside a quotation goes to whom the quoted talk was said to, when a name called
inside it or its reporting frame tells (rule ``quoted-speech``, see
:mod:`sceneanatomy.analysis.dialogue_refs`).

Labels are compared as the task's official scorer does for its "all" label set: an
entity outside the training inventory (``TRAIN_ALL``) counts as OTHERS (-1), so does an
unresolved prediction.

The floor, computed here from the same input to confirm the protocol: "the previous
other speaker" (the last line of the scene before this one whose speaker label differs),
or, for the scene's opening lines, the next other speaker (reported as 80.75 %).

**Development / held-out split.** The shared data is the task's *test* set only (no
training or trial file), so the rules were developed on half of it: the scenes of
**odd-numbered episodes** (s01e01, s01e03, ..., s02e23: the development half, whose errors
were read), and the scenes of even-numbered episodes are held out (their errors were never
read; only this script's aggregate figure). Both halves and the total are printed; the
breakdown by rule is printed for the development half only.
The last line is ``addressee: acc=… floor=… n=… dev=… held_out=…`` (acc over all).
"""

from __future__ import annotations

import collections
import re

from sceneanatomy.analysis.dialogue_refs import SECOND_PERSON
from semeval_data import data_dir, gold
from semeval_t4 import run


def episodes() -> list[int]:
    """The episode number of each scene (from the CoNLL's ``#begin document`` lines)."""
    text = (data_dir() / "friends.test.scene_delim.conll").read_text()
    return [int(m.group(1)) for m in re.finditer(r"^#begin document \(/\S+?e(\d+)\)", text, re.M)]


def half(episode: int) -> str:
    """ "dev" for odd-numbered episodes (rules developed there), else "held-out"."""
    return "dev" if episode % 2 else "held-out"


def main() -> None:
    task, refs, index = run()
    doc = task.doc
    by_pos = {(r.mention.span.start_char, r.mention.span.end_char): r for r in refs}
    g = gold()
    eps = episodes()
    assert len(eps) == len(doc.scenes), (len(eps), len(doc.scenes))

    def lab(cid: str | int | None) -> int:
        v = int(cid) if cid is not None else -1
        return v if v in task.train_all else -1

    n = ok = floor_ok = 0
    part_n: collections.Counter[str] = collections.Counter()
    part_ok: collections.Counter[str] = collections.Counter()
    part_floor: collections.Counter[str] = collections.Counter()
    rules: collections.Counter[str] = collections.Counter()
    rules_ok: collections.Counter[str] = collections.Counter()
    for (si, ei, s, e), gg in zip(task.order, g, strict=True):
        r = by_pos[(s, e)]
        if r.mention.surface.lower() not in SECOND_PERSON:
            continue
        n += 1
        hit = lab(r.mention.character_id) == lab(gg)
        ok += hit
        el = r.element
        rule = el.attribution.addressee_rule if el.attribution else "none"
        if r.rule != "second-person":  # decided inside the line (a quotation), not by the line
            rule = r.rule
        if half(eps[si]) == "dev":  # the held-out half is only scored as a whole
            rules[rule] += 1
            rules_ok[rule] += hit
        # the floor: previous other speaker, else next other speaker
        els = doc.scenes[si].elements
        me = els[ei].speaker
        prev = next((els[j] for j in range(ei - 1, -1, -1) if els[j].speaker != me), None)
        nxt = next((els[j] for j in range(ei + 1, len(els)) if els[j].speaker != me), None)
        base = prev if prev is not None else nxt
        floor_hit = lab(base.speaker_id if base is not None else None) == lab(gg)
        floor_ok += floor_hit
        part = half(eps[si])
        part_n[part] += 1
        part_ok[part] += hit
        part_floor[part] += floor_hit
    print(f"second-person mentions: {n}")
    print(f"  floor (previous other speaker, else next): {100 * floor_ok / n:.2f} %")
    print("  development half, by the rule that decided the line's addressee (or the quotation):")
    for rule, c in rules.most_common():
        print(f"    {rule:18s} {c:4d} mentions, {100 * rules_ok[rule] / c:6.2f} % right")
    for part in ("dev", "held-out"):
        c = part_n[part]
        print(
            f"  {part:8s} (episodes {'odd' if part == 'dev' else 'even'}): {c} mentions, "
            f"acc {100 * part_ok[part] / c:.2f} %, floor {100 * part_floor[part] / c:.2f} %"
        )
    print(
        f"addressee: acc={100 * ok / n:.2f} floor={100 * floor_ok / n:.2f} n={n} "
        f"dev={100 * part_ok['dev'] / part_n['dev']:.2f} "
        f"held_out={100 * part_ok['held-out'] / part_n['held-out']:.2f}"
    )


if __name__ == "__main__":
    main()
