"""SemEval-2018 Task 4 (Friends character identification) as a scene-anatomy Document.

Shared by ``semeval_t4.py`` and ``addressee.py``. The data is read in place from
``../shared/eval/narrative/semeval2018_task4`` (or ``$SCENE_ANATOMY_SHARED``), never copied.

What the system is given — and nothing else:

* the CoNLL text: tokens, one utterance per sentence block, the **speaker column**
  (the task's input), the scene delimiters (``#begin document ... part NNN``: one Scene
  each) and the **mention boundaries** (the brackets of the last column). The entity
  numbers inside the brackets are the gold answers: they are stripped on reading and
  never looked at; the gold comes from ``ref.out`` and is used only by the scorer;
* the character inventory known at training time: the entity map's names **only for
  the ids in ``TRAIN_ALL``** (the entities of the training set, from
  ``eval_entity_sets.json``), each as a :class:`~sceneanatomy.model.Character`; names of
  test-only entities are never read;
* the ``MAIN`` list (the task's six main characters): their characters get role "lead"
  (a tie-break between candidates of equal name, e.g. "Joey Tribbiani" vs
  "Joey Tribbiani Sr.");
* gender, without world knowledge: a gendered title in the inventory name (Mr., Mrs.,
  Ms., Miss, Aunt, Uncle, Grandma, ...), then the unsupervised evidence that
  :func:`sceneanatomy.analysis.dialogue_refs.gender_evidence` collects from the test text
  itself (no labels).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from sceneanatomy.model import (
    Character,
    Document,
    Element,
    ElementKind,
    LineIndex,
    Scene,
)

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    env = os.environ.get("SCENE_ANATOMY_SHARED")
    for c in ([Path(env)] if env else []) + [REPO.parent / "shared"]:
        if (c / "eval").is_dir():
            return c
    raise SystemExit("../shared/eval not found (set SCENE_ANATOMY_SHARED)")


def data_dir() -> Path:
    return shared_dir() / "eval" / "narrative" / "semeval2018_task4"


@dataclass
class Task:
    doc: Document
    # (scene index, element index) -> mention [start, end) offsets in doc.source_text
    mentions: dict[tuple[int, int], list[tuple[int, int]]]
    order: list[tuple[int, int, int, int]]  # (scene, element, start, end) in ref.out order
    main: set[int]
    train_all: set[int]


_TITLE_GENDER = {
    "mr": "male",
    "mrs": "female",
    "ms": "female",
    "miss": "female",
    "aunt": "female",
    "uncle": "male",
    "grandma": "female",
    "grandpa": "male",
    "grandmother": "female",
    "grandfather": "male",
}


def load() -> Task:
    d = data_dir()
    sets = json.loads((d / "eval_entity_sets.json").read_text())
    main, train_all = set(sets["MAIN"]), set(sets["TRAIN_ALL"])
    names: dict[int, str] = {}
    for line in (d / "friends_entity_map.txt").read_text().splitlines():
        eid, _, name = line.partition("\t")
        if int(eid) in train_all:  # training-time inventory only
            names[int(eid)] = name

    # -- utterances, scenes and mention boundaries (labels stripped)
    scenes_raw: list[list[tuple[str, list[str], list[tuple[int, int]]]]] = []
    utt: tuple[str, list[str], list[tuple[int, int]]] | None = None
    open_at: list[int] = []
    for line in (d / "friends.test.scene_delim.conll").read_text().splitlines():
        if line.startswith("#begin"):
            scenes_raw.append([])
            utt = None
            continue
        if line.startswith("#end"):
            continue
        cols = line.split()
        if not cols:
            utt = None
            continue
        if utt is None:
            utt = (cols[9].replace("_", " "), [], [])
            scenes_raw[-1].append(utt)
        i = len(utt[1])
        utt[1].append(cols[3])
        brackets = re.sub(r"\d+", "", cols[11])  # "(335)" -> "()": boundaries only
        for ch in brackets:
            if ch == "(":
                open_at.append(i)
            elif ch == ")":
                utt[2].append((open_at.pop(), i + 1))

    # -- the Document: one DIALOGUE element per utterance, one line each
    parts: list[str] = []
    pos = 0
    placed: list[list[tuple[int, int, str, list[tuple[int, int]]]]] = []
    for sc in scenes_raw:
        placed.append([])
        for speaker, toks, ments in sc:
            offs = []
            p = pos
            for t in toks:
                offs.append((p, p + len(t)))
                p += len(t) + 1
            text = " ".join(toks)
            parts.append(text + "\n")
            spans = [(offs[a][0], offs[b - 1][1]) for a, b in sorted(ments)]
            placed[-1].append((pos, pos + len(text), speaker, spans))
            pos += len(text) + 1
    source = "".join(parts)
    lix = LineIndex(source)
    doc = Document(source_text=source, source_format="screenplay-text", path="semeval2018_task4")
    mentions: dict[tuple[int, int], list[tuple[int, int]]] = {}
    order: list[tuple[int, int, int, int]] = []
    for si, sc in enumerate(placed):
        els = []
        for ei, (a, b, speaker, spans) in enumerate(sc):
            els.append(Element(ElementKind.DIALOGUE, source[a:b], lix.span(a, b), speaker=speaker))
            mentions[(si, ei)] = spans
            # ref.out lists mentions in text order (sorted by start within an utterance)
            order.extend((si, ei, s, e) for s, e in spans)
        doc.scenes.append(Scene(si, els))
    for eid, name in sorted(names.items()):
        first = re.sub(r"\.", "", name.split()[0]).lower()
        doc.characters.append(
            Character(
                id=str(eid),
                name=name,
                aliases=[name],
                gender="unknown" if "'s" in name else _TITLE_GENDER.get(first, "unknown"),
                role="lead" if eid in main else "unknown",
            )
        )
    return Task(doc, mentions, order, main, train_all)


def gold() -> list[int]:
    return [int(x) for x in (data_dir() / "ref.out").read_text().split()]


def scorer():
    """The official metric, executed from ../shared/eval/scorers (never copied)."""
    path = shared_dir() / "eval" / "scorers" / "semeval_t4_score.py"
    ns: dict[str, object] = {"__name__": "semeval_t4_score"}
    exec(compile(path.read_text(), str(path), "exec"), ns)
    return ns["evaluate"]
