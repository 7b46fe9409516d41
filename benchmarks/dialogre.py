"""DialogRE v2 (English) through the relationship ledger: relation F1 and one-sided feelings.

Data: ``../shared/eval/narrative/dialogre_v2_en/{test,dev,train}.json`` (or
``$SCENE_ANATOMY_SHARED``), read in place. Licence: "intended for non-commercial research
purpose only" — evaluation only; nothing from it is shipped.

Protocol (the official DialogRE one): each dialogue comes with argument pairs (x, y); a
system predicts the set of relations holding from x to y (none = "unanswerable"). Micro
precision / recall / F1 count every (pair, relation) with "unanswerable" as no relation.
We report F1 on the love-line subset (romance: per:girl/boyfriend, per:spouse, per:dates;
family: per:siblings, per:parents, per:children, per:other_family; per:friends;
per:positive_impression; per:negative_impression) and over all 36 types for reference.

What the system is given: the dialogue turns ("Speaker N: text" → one DIALOGUE element
each, speaker "Speaker N") and the argument names (the task's input): a named argument
the characters stage did not find becomes a Character (name only, gender unknown). The
product stages then run unchanged: characters → coref → attribution → addressee →
dialogue references → :func:`sceneanatomy.analysis.relationships.annotate_relationships`.
The ledger's edges between x and y are mapped to DialogRE relations by :func:`to_dialogre`
(documented in docs/benchmarks.md). Gold relations and triggers are used by the scorer only.

One-sided proxy: every gold directed ``per:positive_impression`` pair (x, y) is one-way
unless (y, x) is also gold. We predict mutual when the ledger has, in both directions, an
edge that the relation score itself maps to ``per:positive_impression`` (romantic love /
like / crush, or other "likes"; a partner, spouse, ex or kiss is a relation, not a stated
feeling), else one-way; accuracy against the gold split, with how often "mutual" was said
and how often rightly.

    python benchmarks/dialogre.py [--split test|dev|train] [--errors N]

Last line: ``dialogre: subset_f1=… all_f1=… oneway_acc=…``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from sceneanatomy.analysis import dialogue_refs
from sceneanatomy.analysis.dialogue_refs import NameIndex
from sceneanatomy.analysis.relationships import annotate_relationships
from sceneanatomy.analysis.speaker_names import link_speaker_names
from sceneanatomy.model import (
    Attribution,
    Character,
    Document,
    Element,
    ElementKind,
    LineIndex,
    Relationship,
    Scene,
)
from sceneanatomy.names import slugify
from sceneanatomy.pipeline import STAGES, Options, run, stage, stage_names

# The pipeline's people stages after the task's input is added: coref … dialogue_refs.
PEOPLE = STAGES[stage_names().index("coref") : stage_names().index("dialogue_refs") + 1]

REPO = Path(__file__).resolve().parents[1]

ROMANCE = ("per:girl/boyfriend", "per:spouse", "per:dates")
FAMILY = ("per:siblings", "per:parents", "per:children", "per:other_family")
SUBSET = frozenset(
    ROMANCE + FAMILY + ("per:friends", "per:positive_impression", "per:negative_impression")
)
_SPEAKER = re.compile(r"^(Speaker\s+\d+)\s*:\s*")


def shared_dir() -> Path:
    env = os.environ.get("SCENE_ANATOMY_SHARED")
    for c in ([Path(env)] if env else []) + [REPO.parent / "shared"]:
        if (c / "eval").is_dir():
            return c
    raise SystemExit("../shared/eval not found (set SCENE_ANATOMY_SHARED)")


def load(split: str) -> list[tuple[list[str], list[dict]]]:
    path = shared_dir() / "eval" / "narrative" / "dialogre_v2_en" / f"{split}.json"
    return json.loads(path.read_text(encoding="utf-8"))


# ------------------------------------------------------------------ DialogRE → our model


def to_document(turns: list[str], n: int) -> Document:
    """One Scene of DIALOGUE elements; each span is the whole "Speaker N: …" line."""
    source = "\n".join(turns) + "\n"
    lix = LineIndex(source)
    doc = Document(source_text=source, source_format="screenplay-text", path=f"dialogre-{n}")
    els: list[Element] = []
    pos = 0
    for line in turns:
        a, b = pos, pos + len(line)
        pos = b + 1
        m = _SPEAKER.match(line)
        speaker = m.group(1) if m else None
        text = line[m.end() :] if m else line
        # "Speaker 1, Speaker 2: …": a group line, no single speaker
        if m is None and re.match(r"^Speaker\s+\d+(?:\s*,\s*Speaker\s+\d+)+\s*:", line):
            speaker = line.split(":", 1)[0]
            text = line.split(":", 1)[1].strip()
        els.append(Element(ElementKind.DIALOGUE, text, lix.span(a, b), speaker=speaker))
    doc.scenes.append(Scene(0, els))
    return doc


def run_product(doc: Document, arguments: Iterable[str]) -> dict[str, str]:
    """The product stages; returns argument → character id."""
    opts = Options(nlp="rules")
    stage("characters")(doc, opts)
    index = NameIndex.from_document(doc)
    ids: dict[str, str] = {}
    taken = {c.id for c in doc.characters}
    # The speaker labels are the task's input: every "Speaker N" is a character.
    labels = sorted({e.speaker for e in doc.elements() if e.speaker and "," not in e.speaker})
    for label in labels:
        cid = index.lookup(label) if label not in arguments else None
        if cid is None:
            cid = slugify(label)
            if cid not in taken:
                doc.characters.append(Character(id=cid, name=label, aliases=[label]))
                taken.add(cid)
        ids[label] = cid
    for e in doc.elements():
        if e.speaker in ids and e.speaker_id is None:
            e.speaker_id = ids[e.speaker]
            e.attribution = Attribution(speaker_rule="cue")
    # The arguments are the task's input too: a name the characters stage missed is added.
    for arg in arguments:
        if arg in ids:
            continue
        cid = index.lookup(arg)
        if cid is None:
            cid = slugify(arg) or "arg"
            while cid in taken:
                cid += "-x"
            doc.characters.append(Character(id=cid, name=arg, aliases=[arg]))
            taken.add(cid)
        ids[arg] = cid
    merged = link_speaker_names(doc)
    ids = {arg: merged.get(cid, cid) for arg, cid in ids.items()}
    # gender from the text itself (name, then he/she), as the SemEval benchmark does
    evidence = dialogue_refs.gender_evidence(doc, NameIndex.from_document(doc))
    for c in doc.characters:
        if c.gender == "unknown":
            votes = evidence.get(c.id)
            if votes and votes["male"] != votes["female"]:
                c.gender = "male" if votes["male"] > votes["female"] else "female"
    run(doc, options=opts, stages=PEOPLE)
    annotate_relationships(doc)
    return ids


# ------------------------------------------------------------------ our kinds → DialogRE

_ROMANTIC = {
    "spouse": ("per:spouse",),
    "ex-spouse": ("per:spouse",),
    "partner": ("per:girl/boyfriend",),
    "engaged": ("per:girl/boyfriend",),
    "ex": ("per:girl/boyfriend",),
    "date": ("per:dates",),
}
_FAMILY = {
    "parent": "per:parents",
    "child": "per:children",
    "sibling": "per:siblings",
    "other-family": "per:other_family",
}
_OTHER = {
    "friend": "per:friends",
    "roommate": "per:roommate",
    "neighbor": "per:neighbor",
    "boss": "per:boss",
    "subordinate": "per:subordinate",
    "likes": "per:positive_impression",
    "dislikes": "per:negative_impression",
}


def to_dialogre(rels: Iterable[Relationship], x: str, y: str) -> set[str]:
    """DialogRE relations from x to y implied by the ledger's edges between them.

    * romantic: spouse / ex-spouse → per:spouse; partner / engaged / ex → per:girl/boyfriend
      (both directions: symmetric); a date → per:dates; love, like, crush (x → y only) →
      per:positive_impression;
    * family: "parent" on x → y (y is x's parent) → per:parents, "child" → per:children,
      sibling → per:siblings, other-family → per:other_family;
    * platonic friend → per:friends, roommate → per:roommate; other: neighbor, boss,
      subordinate → the relation of that name, likes → per:positive_impression, dislikes →
      per:negative_impression; rivalry (x → y) → per:negative_impression.
    """
    out: set[str] = set()
    for r in rels:
        forward = r.from_id == x and r.to_id == y
        backward = r.from_id == y and r.to_id == x
        if not (forward or backward):
            continue
        subtypes = r.attrs.get("subtypes") or [r.subtype]
        for st in subtypes:
            if r.kind == "romantic":
                if st in _ROMANTIC:
                    out.update(_ROMANTIC[st])
                elif forward and st in ("love", "like", "crush"):
                    out.add("per:positive_impression")
            elif r.kind == "family" and forward and st in _FAMILY:
                out.add(_FAMILY[st])
            elif r.kind in ("platonic", "other") and st in _OTHER:
                rel = _OTHER[st]
                if rel in (
                    "per:positive_impression",
                    "per:negative_impression",
                    "per:boss",
                    "per:subordinate",
                ):
                    if forward:
                        out.add(rel)
                else:
                    out.add(rel)
            elif r.kind == "rivalry" and forward:
                out.add("per:negative_impression")
    return out


def positive(rels: Iterable[Relationship], x: str, y: str) -> bool:
    """The ledger holds an edge x → y that reads as a positive impression (the same mapping
    as the relation score: romantic love / like / crush, or other "likes"). A partner, an
    ex, a spouse or a kiss is a relation, not a stated feeling, and does not count."""
    return "per:positive_impression" in to_dialogre(rels, x, y)


# ------------------------------------------------------------------ scoring


class Score:
    def __init__(self) -> None:
        self.correct = self.pred = self.gold = 0

    def add(self, pred: set[str], gold: set[str]) -> None:
        self.correct += len(pred & gold)
        self.pred += len(pred)
        self.gold += len(gold)

    def prf(self) -> tuple[float, float, float]:
        p = self.correct / self.pred if self.pred else 0.0
        r = self.correct / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return 100 * p, 100 * r, 100 * f


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="test", choices=["test", "dev", "train"])
    ap.add_argument("--errors", type=int, default=0, help="print N wrong pairs")
    args = ap.parse_args()
    data = load(args.split)
    subset, every = Score(), Score()
    per_type: dict[str, Score] = {}
    oneway_ok = oneway_n = 0
    gold_mutual = Counter()
    said_mutual = Counter()  # gold mutual? → times the ledger said mutual
    errors: list[str] = []
    t0 = time.perf_counter()
    for n, (turns, pairs) in enumerate(data):
        doc = to_document(turns, n)
        people = {p["x"] for p in pairs if p["x_type"] == "PER"} | {
            p["y"] for p in pairs if p["y_type"] == "PER"
        }
        ids = run_product(doc, sorted(people))
        rels = doc.relationships
        gold_pos = {(p["x"], p["y"]) for p in pairs if "per:positive_impression" in p["r"]}
        for p in pairs:
            gold = {r for r in p["r"] if r != "unanswerable"}
            pred: set[str] = set()
            if p["x"] in ids and p["y"] in ids:
                pred = to_dialogre(rels, ids[p["x"]], ids[p["y"]])
                if ids[p["x"]] == ids[p["y"]] and p["x_type"] == p["y_type"] == "PER":
                    pred.add("per:alternate_names")  # one character, two names
            every.add(pred, gold)
            subset.add(pred & SUBSET, gold & SUBSET)
            for t in gold | pred:
                per_type.setdefault(t, Score()).add(pred & {t}, gold & {t})
            if len(errors) < args.errors and (pred & SUBSET) != (gold & SUBSET):
                errors.append(
                    f"{n} {p['x']} -> {p['y']}: gold={sorted(gold & SUBSET)} pred={sorted(pred & SUBSET)}"
                )
            if (p["x"], p["y"]) in gold_pos and p["x"] in ids and p["y"] in ids:
                mutual = (p["y"], p["x"]) in gold_pos
                gold_mutual[mutual] += 1
                said = positive(rels, ids[p["x"]], ids[p["y"]]) and positive(
                    rels, ids[p["y"]], ids[p["x"]]
                )
                oneway_ok += said == mutual
                said_mutual[mutual] += said
                oneway_n += 1
    elapsed = time.perf_counter() - t0
    for line in errors:
        print(line)
    print(f"split={args.split} dialogues={len(data)} time={elapsed:.1f}s")
    print(f"{'relation':28} {'P':>6} {'R':>6} {'F1':>6} {'gold':>5} {'pred':>5}")
    for t in sorted(per_type, key=lambda t: (t not in SUBSET, t)):
        s = per_type[t]
        p, r, f = s.prf()
        mark = "*" if t in SUBSET else " "
        print(f"{mark}{t:27} {p:6.2f} {r:6.2f} {f:6.2f} {s.gold:5d} {s.pred:5d}")
    sp, sr, sf = subset.prf()
    ap_, ar, af = every.prf()
    acc = 100 * oneway_ok / oneway_n if oneway_n else 0.0
    majority = 100 * max(gold_mutual.values()) / oneway_n if oneway_n else 0.0
    print(f"subset (love-line types): P={sp:.2f} R={sr:.2f} F1={sf:.2f}")
    print(f"all 36 types:             P={ap_:.2f} R={ar:.2f} F1={af:.2f}")
    print(
        f"one-way vs mutual positive_impression: n={oneway_n} mutual={gold_mutual[True]} "
        f"one-way={gold_mutual[False]} acc={acc:.2f} (majority class {majority:.2f}); "
        f"said mutual {said_mutual[True] + said_mutual[False]}x, right {said_mutual[True]}x"
    )
    print(f"dialogre: subset_f1={sf:.2f} all_f1={af:.2f} oneway_acc={acc:.2f}")


if __name__ == "__main__":
    main()
