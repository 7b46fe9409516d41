"""The analysis stages in their declared order, and how to run them.

Every stage is a plain function ``Document -> Document`` (options, when it takes any, as
keyword arguments) that reads what earlier stages wrote and writes its own part of the
model. :data:`STAGES` is the order; each :class:`Stage` says what it reads and writes.
:func:`run` runs them in that order, up to and including ``until``::

    doc = read_path("episode.srt")
    run(doc, until="addressee")          # characters, coref, attribution, addressee
    who_is_who(doc)                      # the "who is who" preset (same as until="conversation")

Adding a stage (emotion, beats, relationships, tropes...): write a function
``my_stage(doc: Document, **options) -> Document`` in its own module under ``analysis/``
and append one :class:`Stage` to :data:`STAGES` after the stages whose output it reads,
naming the :class:`Options` fields it takes in ``options`` (add a field to
:class:`Options` for a new one). Keep the function importable without the heavy parts;
import them inside the function. Products that are not part of the model (e.g. the
pronoun links attribution reuses) go in ``doc.attrs[stage name]``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from typing import Any

from .model import Document

__all__ = [
    "STAGES",
    "WHO_IS_WHO",
    "Options",
    "Stage",
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
    # Pronoun roles from spaCy dependency parses instead of rules (coref and quote
    # attribution). Off by default: it parses every narrative sentence, which is slow.
    parse: bool = False


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
        return out if isinstance(out, Document) else doc


# --- the stages -------------------------------------------------------------------------
# Thin adapters where a module's own entry point returns something other than the
# document; each imports its module on use so that importing the pipeline stays cheap.


def _characters(doc: Document, nlp: str = "auto") -> Document:
    from .analysis.characters import find_characters

    return find_characters(doc, nlp)


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


STAGES: list[Stage] = [
    Stage(
        "characters",
        _characters,
        reads=("scenes.elements (kind, text, speaker, span)", "furniture"),
        writes=(
            "characters",
            "Character.mentions (cue, speaker, name, vocative, actor)",
            "Element.speaker_id + attribution (cue, subtitle-speaker)",
            'attrs["characters"]',
        ),
        summary="who is who: names, aliases, actors, gender, presence, roles",
        options=("nlp",),
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
]

# The "who is who" preset: every stage up to and including this one.
WHO_IS_WHO = "conversation"


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
    stages: Sequence[Stage] | None = None,
    **option_values: Any,
) -> Document:
    """Run the stages in order on ``doc``, up to and including ``until`` (all when None).

    Options come as an :class:`Options` or as keyword arguments (``run(doc, nlp="rules")``).
    """
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
    for s in stages:
        doc = s(doc, opts)
    return doc


def who_is_who(doc: Document, options: Options | None = None, **option_values: Any) -> Document:
    """Characters → pronouns → speakers → addressees → references in lines → statistics."""
    return run(doc, until=WHO_IS_WHO, options=options, **option_values)
