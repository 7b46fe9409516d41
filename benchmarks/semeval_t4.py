"""SemEval-2018 Task 4: who does each mention in Friends dialogue refer to?

    python benchmarks/semeval_t4.py [--out predictions.txt] [--errors N]

The test set (``../shared/eval/narrative/semeval2018_task4``) becomes one Document with
one Scene per scene delimiter and one DIALOGUE element per utterance (see
``semeval_data.py`` for exactly what the system is given: text, speaker column, mention
boundaries, and the training-time entity inventory — names of ``TRAIN_ALL`` entities only,
no per-mention gold, no name that appears only in the test set). Then the product's own
stages run, unchanged:

1. speaker ids: each speaker label is looked up in the character index (what the
   characters stage does with cues; group labels such as "All" or "Chandler, Joey, Ross"
   get no id);
2. gender evidence from the text itself, without labels
   (:func:`sceneanatomy.analysis.dialogue_refs.gender_evidence`);
3. :func:`sceneanatomy.analysis.addressee.annotate_addressees` (vocatives, turn-taking);
4. :func:`sceneanatomy.analysis.dialogue_refs.resolve_dialogue_refs` on the given mention
   boundaries (first person → speaker, second person → addressee, names, third person).

An unresolved mention is predicted as -1 (OTHERS). Scored with the official metric
(``../shared/eval/scorers/semeval_t4_score.py``, executed from there). The last line is
``semeval_t4: main_acc=… main_f1=… all_acc=… all_f1=…``.
"""

from __future__ import annotations

import argparse
import collections
import time

from sceneanatomy.analysis.addressee import annotate_addressees, is_group_label
from sceneanatomy.analysis.dialogue_refs import (
    FIRST_SINGULAR,
    SECOND_PERSON,
    THIRD_PERSON,
    NameIndex,
    Reference,
    apply_gender_evidence,
    resolve_dialogue_refs,
)
from sceneanatomy.model import Document
from semeval_data import gold, load, scorer


def system(
    doc: Document, mentions: dict[tuple[int, int], list[tuple[int, int]]]
) -> tuple[list[Reference], NameIndex]:
    """The product on a document of labelled speaker turns: speakers looked up, gender
    evidence, addressees, then the given mentions resolved (shared with
    ``addressee_emorynlp.py``)."""
    index = NameIndex.from_document(doc)
    for el in doc.elements():
        if el.speaker and not is_group_label(el.speaker):
            el.speaker_id = index.lookup(el.speaker)
    apply_gender_evidence(doc, index)
    annotate_addressees(doc, index)
    return resolve_dialogue_refs(doc, index, mentions), index


def run() -> tuple[object, list[Reference], NameIndex]:
    task = load()
    refs, index = system(task.doc, task.mentions)
    return task, refs, index


def category(surface: str) -> str:
    low = surface.lower()
    if low in FIRST_SINGULAR:
        return "first-person"
    if low in SECOND_PERSON:
        return "second-person"
    if low in THIRD_PERSON:
        return "third-person"
    return "name/noun"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", help="write predicted entity ids, one a line")
    ap.add_argument("--errors", type=int, default=0, help="print N wrong mentions")
    args = ap.parse_args()
    t0 = time.perf_counter()
    task, refs, index = run()
    secs = time.perf_counter() - t0
    by_pos = {(r.mention.span.start_char, r.mention.span.end_char): r for r in refs}
    pred: list[int] = []
    cats: list[str] = []
    for _si, _ei, s, e in task.order:
        r = by_pos[(s, e)]
        cid = r.mention.character_id
        pred.append(int(cid) if cid is not None else -1)
        cats.append(category(r.mention.surface))
    g = gold()
    assert len(g) == len(pred), (len(g), len(pred))
    res = scorer()(g, pred, {"MAIN": sorted(task.main), "TRAIN_ALL": sorted(task.train_all)})
    print(f"mentions: {len(pred)} in {len(task.doc.scenes)} scenes; {secs:.2f} s")
    tot, ok = collections.Counter(), collections.Counter()
    for c, p, gg in zip(cats, pred, g, strict=True):
        tot[c] += 1
        lab = gg if gg in task.train_all else -1
        ok[c] += (p if p in task.train_all else -1) == lab
    for c in ("first-person", "second-person", "third-person", "name/noun"):
        print(f"  {c:14s} {tot[c]:5d} mentions, all-label accuracy {100 * ok[c] / tot[c]:.2f}")
    for name in ("main", "all"):
        print(
            f"  {name}: accuracy {res[name]['accuracy']:.2f}, macro-F1 {res[name]['macro_f1']:.2f}"
        )
    print("  published best: main 85.10 / 86.00 (Cheoneum), all 74.72 / 41.05 (AMORE-UPF)")
    if args.out:
        with open(args.out, "w") as f:
            f.write("\n".join(map(str, pred)) + "\n")
    if args.errors:
        shown = 0
        for (_si, _ei, s, e), p, gg in zip(task.order, pred, g, strict=True):
            if p == gg or shown >= args.errors:
                continue
            r = by_pos[(s, e)]
            el = r.element
            print(
                f"  ERR {r.mention.surface!r} rule={r.rule} pred={index.name(str(p))} "
                f"gold={index.name(str(gg)) or gg} | {el.speaker}: {el.text[:100]}"
            )
            shown += 1
    m, a = res["main"], res["all"]
    print(
        f"semeval_t4: main_acc={m['accuracy']:.2f} main_f1={m['macro_f1']:.2f} "
        f"all_acc={a['accuracy']:.2f} all_f1={a['macro_f1']:.2f}"
    )


if __name__ == "__main__":
    main()
