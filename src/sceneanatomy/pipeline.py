"""The analysis stages in their declared order, and how to run them: the ONE pipeline.

Every stage is a plain function ``Document -> Document`` (options, when it takes any, as
keyword arguments) that reads what earlier stages wrote and writes its own part of the
model. :data:`STAGES` is the order; each :class:`Stage` says what it reads and writes and
which :class:`Options` it takes. :func:`run` runs them in that order, up to and including
``until`` (or a named preset's last stage)::

    doc = read_path("episode.srt")
    run(doc, until="addressee")          # characters … addressee
    who_is_who(doc)                      # preset "who_is_who": up to conversation
    anatomy(doc, nlp="rules")            # preset "anatomy": every stage

Presets (:data:`PRESETS`): ``who_is_who`` (characters → conversation; ``scene-anatomy
characters``), ``ledger`` (… → relationships; ``scene-anatomy ledger``), ``anatomy``
(every stage; ``analyze``, ``report``, ``demo``). Every command runs through :func:`run`.
What ran is recorded, in order, in ``doc.attrs["pipeline"]["stages"]``.

Adding a stage: write a function ``my_stage(doc: Document, **options) -> Document`` in its
own module under ``analysis/`` and insert one :class:`Stage` into :data:`STAGES` after the
stages whose output it reads, naming the :class:`Options` fields it takes in ``options``
(add a field to :class:`Options` for a new one). Keep the function importable without the
heavy parts; import them inside the function. Products that are not part of the model
(e.g. the pronoun links attribution reuses) go in ``doc.attrs[stage name]``.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, fields
from typing import Any

from .model import Document

__all__ = [
    "ANATOMY",
    "LEDGER",
    "PRESETS",
    "STAGES",
    "WHO_IS_WHO",
    "Options",
    "Stage",
    "anatomy",
    "reporting_progress",
    "run",
    "stage",
    "stage_names",
    "who_is_who",
]


@dataclass(frozen=True, slots=True)
class Options:
    """Choices a run passes to the stages that declare them (:attr:`Stage.options`)."""

    # Name finding: "auto" (spaCy's English pipeline when the nlp extra is installed),
    # "rules" (core install only) or "spacy".
    nlp: str = "auto"
    # Grammatical roles from spaCy dependency parses instead of rules (coref, quote
    # attribution, scene dynamics). Off by default: it parses every narrative sentence.
    parse: bool = False
    # Scene dynamics: sentence embeddings (packaged MiniLM) as a beat-boundary signal.
    embeddings: bool = False
    # Scene dynamics: a replacement emotion classifier for spoken lines
    # (``list[str] -> list[dict[str, float]]``); None = the emotion model, else the lexicon.
    classifier: Callable[[list[str]], list[dict[str, float]]] | None = None


@dataclass(frozen=True, slots=True)
class Stage:
    """One analysis stage: a function ``Document -> Document`` and its contract."""

    name: str
    fn: Callable[..., Document]
    reads: tuple[str, ...]
    writes: tuple[str, ...]
    summary: str
    options: tuple[str, ...] = ()  # names of Options fields passed as keyword arguments

    def __call__(self, doc: Document, options: Options | None = None) -> Document:
        opts = options or Options()
        kwargs = {name: getattr(opts, name) for name in self.options}
        out = self.fn(doc, **kwargs)
        out = out if isinstance(out, Document) else doc
        ran = out.attrs.setdefault("pipeline", {"stages": []})["stages"]
        if self.name not in ran:
            ran.append(self.name)
        return out


# --- the stages -------------------------------------------------------------------------
# Thin adapters where a module's own entry point returns something other than the
# document; each imports its module on use so that importing the pipeline stays cheap.


def _characters(doc: Document, nlp: str = "auto") -> Document:
    from .analysis.characters import find_characters

    return find_characters(doc, nlp)


def _speaker_names(doc: Document) -> Document:
    from .analysis.speaker_names import link_speaker_names

    link_speaker_names(doc)
    return doc


def _parser(parse: bool) -> Any | None:
    if not parse:
        return None
    from .analysis import nlp as nlp_backend

    return nlp_backend.load() if nlp_backend.available() else None


def _coref(doc: Document, parse: bool = False) -> Document:
    from .analysis import coref

    links = coref.annotate(doc, nlp=_parser(parse))
    doc.attrs["coref"] = {
        "links": links,  # PronounLink objects, reused by the attribution stage
        "resolved": sum(1 for lk in links if lk.character_id is not None),
        "unresolved": sum(1 for lk in links if lk.character_id is None),
    }
    return doc


def _attribution(doc: Document, parse: bool = False) -> Document:
    from .analysis.attribution import attribute_speakers

    links = doc.attrs.get("coref", {}).get("links")
    return attribute_speakers(doc, links=links, nlp=_parser(parse))


def _addressee(doc: Document) -> Document:
    from .analysis.addressee import annotate_addressees

    return annotate_addressees(doc)


def _dialogue_refs(doc: Document) -> Document:
    from .analysis import dialogue_refs

    doc.attrs["dialogue_refs"] = dialogue_refs.annotate(doc)
    return doc


def _conversation(doc: Document) -> Document:
    from .analysis.conversation import annotate_conversation

    return annotate_conversation(doc)


def _relationships(doc: Document) -> Document:
    from .analysis.relationships import annotate_relationships, apply_love_line_roles

    annotate_relationships(doc)
    apply_love_line_roles(doc)
    # the conversation statistics were made with the roles before the love line
    roles = {c.id: c.role for c in doc.characters}
    for row in (doc.attrs.get("conversation") or {}).get("characters", ()):
        row["role"] = roles.get(row["id"], row["role"])
    return doc


def _tropes(doc: Document) -> Document:
    from .analysis.tropes import detect_tropes

    return detect_tropes(doc)


def _dynamics(
    doc: Document,
    nlp: str = "auto",
    parse: bool = False,
    embeddings: bool = False,
    classifier: Callable[[list[str]], list[dict[str, float]]] | None = None,
) -> Document:
    from .analysis.dynamics import annotate_dynamics, dynamics_of

    annotate_dynamics(doc, classifier=classifier, parse=parse, embeddings=embeddings)
    dyn = dynamics_of(doc)
    if dyn is not None:
        dyn.backend["nlp"] = nlp
    return doc


def _structure(doc: Document) -> Document:
    from .analysis.structure import turning_points

    turning_points(doc)
    return doc


STAGES: list[Stage] = [
    Stage(
        "characters",
        _characters,
        reads=("scenes.elements (kind, text, speaker, span)", "furniture"),
        writes=(
            "characters (role from prominence: characters.assign_roles)",
            "Character.mentions (cue, speaker, name, vocative, actor)",
            "Element.speaker_id + attribution (cue, subtitle-speaker)",
            'attrs["characters"]',
        ),
        summary="who is who: names, aliases, actors, gender, presence, roles",
        options=("nlp",),
    ),
    Stage(
        "speaker_names",
        _speaker_names,
        reads=("characters", "Element.speaker_id", "vocatives and self-introductions"),
        writes=("characters (name-only characters merged into generic speaker labels)",),
        summary='names for anonymous speaker labels ("Speaker 1") from the talk itself',
    ),
    Stage(
        "coref",
        _coref,
        reads=("characters", "ACTION / NARRATION elements"),
        writes=("Character.mentions (pronoun)", 'attrs["coref"] (pronoun links)'),
        summary="he/she/him/her/his in action lines and prose → characters",
        options=("parse",),
    ),
    Stage(
        "attribution",
        _attribution,
        reads=("characters", "Element.speaker_id", 'attrs["coref"]', "prose quotes"),
        writes=("Element.speaker_id + attribution (speaker rule, confidence, evidence)",),
        summary="the speaker of every spoken line, or an explicit unknown",
        options=("parse",),
    ),
    Stage(
        "addressee",
        _addressee,
        reads=("characters", "Element.speaker_id", "parentheticals"),
        writes=("Element.addressee_id + attribution (addressee rule, confidence)",),
        summary="whom each line is said to",
    ),
    Stage(
        "dialogue_refs",
        _dialogue_refs,
        reads=("characters", "Element.speaker_id", "Element.addressee_id"),
        writes=(
            "Character.mentions (inside spoken lines)",
            'attrs["dialogue_refs"] (references)',
        ),
        summary="I / you / names / he / she inside spoken lines → characters",
    ),
    Stage(
        "conversation",
        _conversation,
        reads=(
            "characters",
            "Element.speaker_id",
            "Element.addressee_id",
            "scene headings",
            "spans",
        ),
        writes=('attrs["conversation"]',),
        summary="conversation graph and statistics (lines, words, who to whom, tempo)",
    ),
    Stage(
        "relationships",
        _relationships,
        reads=(
            "characters",
            "Character.mentions",
            "Element.speaker_id",
            "Element.addressee_id",
            "action / narration / spoken text",
        ),
        writes=(
            "relationships",
            "Scene.relationship_changes",
            'attrs["love_line"]',
            "Character.role (love line: characters.assign_roles hook)",
            'Character.attrs["love_line_role"] (lead / second-lead / rival)',
        ),
        summary="the relationship ledger, its changes per scene, the love line and its roles",
    ),
    Stage(
        "tropes",
        _tropes,
        reads=(
            "characters",
            "Character.mentions (pronoun)",
            "Element.speaker_id",
            "Element.addressee_id",
            "relationships",
        ),
        writes=("Scene.tropes", "audience_tropes"),
        summary="tropes as relations over resolved characters, with evidence and consent flags",
    ),
    Stage(
        "dynamics",
        _dynamics,
        reads=(
            "characters",
            "Character.mentions",
            "Element.speaker_id",
            "Element.addressee_id",
            "relationships",
            "Scene.tropes",
        ),
        writes=(
            'attrs["dynamics"] (emotions, arcs, beats, value, turn, key line, wants, outcomes)',
        ),
        summary="the anatomy of every scene",
        options=("nlp", "parse", "embeddings", "classifier"),
    ),
    Stage(
        "structure",
        _structure,
        reads=("scenes", "Element.speaker_id", "characters"),
        writes=('attrs["turning_points"]',),
        summary="the five turning points of the document (scene indices)",
    ),
]

# Presets: a name → the last stage it runs (None: every stage).
WHO_IS_WHO = "conversation"
LEDGER = "relationships"
ANATOMY = "structure"
PRESETS: dict[str, str | None] = {
    "who_is_who": WHO_IS_WHO,
    "ledger": LEDGER,
    "anatomy": None,
}


def stage_names(stages: Sequence[Stage] | None = None) -> list[str]:
    return [s.name for s in (STAGES if stages is None else stages)]


def stage(name: str, stages: Sequence[Stage] | None = None) -> Stage:
    """The stage called ``name`` (ValueError naming the known stages otherwise)."""
    for s in STAGES if stages is None else stages:
        if s.name == name:
            return s
    raise ValueError(f"unknown stage {name!r} (known: {', '.join(stage_names(stages))})")


def run(
    doc: Document,
    until: str | None = None,
    options: Options | None = None,
    *,
    preset: str | None = None,
    stages: Sequence[Stage] | None = None,
    timings: dict[str, float] | None = None,
    progress: Progress | None = None,
    **option_values: Any,
) -> Document:
    """Run the stages in order on ``doc``, up to and including ``until`` (all when None).

    ``preset`` names a :data:`PRESETS` entry instead of ``until``. Options come as an
    :class:`Options` or as keyword arguments (``run(doc, nlp="rules")``). ``timings``, when
    given, receives the CPU seconds (``time.process_time``) of each stage, added to what
    it already holds. ``progress`` (default: the one set with :func:`reporting_progress`, if
    any) is called as ``progress(name, done, total)`` before each stage starts and as
    ``progress("", total, total)`` when all are done; it only watches.
    """
    if progress is None:
        progress = _PROGRESS.get()
    if preset is not None:
        if until is not None:
            raise ValueError("give until or preset, not both")
        if preset not in PRESETS:
            raise ValueError(f"unknown preset {preset!r} (known: {', '.join(PRESETS)})")
        until = PRESETS[preset]
    stages = list(STAGES if stages is None else stages)
    if until is not None:
        last = stage_names(stages).index(stage(until, stages).name)
        stages = stages[: last + 1]
    opts = options or Options()
    if option_values:
        known = {f.name for f in fields(Options)}
        unknown = sorted(set(option_values) - known)
        if unknown:
            raise ValueError(f"unknown option(s) {', '.join(unknown)} (known: {sorted(known)})")
        opts = Options(
            **{**{f.name: getattr(opts, f.name) for f in fields(Options)}, **option_values}
        )
    # Cyclic garbage collection is paused while the stages run: they allocate millions of
    # small objects and free them by reference counting, and each full collection would
    # re-walk the whole annotated document (a third of the run on a feature screenplay).
    paused = gc.isenabled()
    gc.disable()
    # The stages that parse (names, pronoun roles, dynamics roles) share one parse per text.
    from .analysis import nlp as nlp_backend

    parses = nlp_backend.parse_cache()
    parses.__enter__()
    try:
        for k, s in enumerate(stages):
            if progress is not None:
                progress(s.name, k, len(stages))
            if timings is None:
                doc = s(doc, opts)
                continue
            t = time.process_time()
            doc = s(doc, opts)
            timings[s.name] = timings.get(s.name, 0.0) + time.process_time() - t
        if progress is not None:
            progress("", len(stages), len(stages))
    finally:
        parses.__exit__(None, None, None)
        if paused:
            gc.enable()
    return doc


def analyse(
    doc: Document,
    *,
    whole: bool = True,
    nlp: str = "rules",
    classifier: Callable[[list[str]], list[dict[str, float]]] | None = None,
) -> Document:
    """What ``analyze`` and ``report`` run: the ``anatomy`` preset (who is who, the ledger,
    the tropes, the scene dynamics, the document's turning points) when ``whole``; without
    it every stage up to the scene dynamics (one scene's article needs no five-act
    structure). ``classifier``: see :class:`Options`."""
    if whole:
        return anatomy(doc, nlp=nlp, classifier=classifier)
    return run(doc, until="dynamics", nlp=nlp, classifier=classifier)


# progress(stage name, stages done, stages in all): see run.
Progress = Callable[[str, int, int], None]
_PROGRESS: ContextVar[Progress | None] = ContextVar("sceneanatomy_pipeline_progress", default=None)


@contextmanager
def reporting_progress(progress: Progress | None) -> Iterator[None]:
    """Within the block, :func:`run` reports to ``progress`` unless given one of its own
    (for callers that reach ``run`` through code that does not pass it on)."""
    token = _PROGRESS.set(progress)
    try:
        yield
    finally:
        _PROGRESS.reset(token)


def who_is_who(doc: Document, options: Options | None = None, **option_values: Any) -> Document:
    """Characters → speaker names → pronouns → speakers → addressees → references in lines
    → statistics (the preset ``who_is_who``)."""
    return run(doc, options=options, preset="who_is_who", **option_values)


def anatomy(doc: Document, options: Options | None = None, **option_values: Any) -> Document:
    """Every stage: who is who, the ledger, tropes, scene dynamics, turning points."""
    return run(doc, options=options, preset="anatomy", **option_values)
