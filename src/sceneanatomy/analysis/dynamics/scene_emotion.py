"""Emotion per line and per character present, with intensity (issue 4, item 1).

Two sources, kept apart in the evidence:

* **What characters say.** Every spoken line goes through the per-utterance emotion model
  (:mod:`sceneanatomy.analysis.emotion`: ``classify_many(texts)`` → one
  ``{label: probability}`` per text), or the ``classifier`` given instead (a model the
  user trained). The line's emotion belongs to its speaker. When the model fails, the
  shipped narration lexicon reads the lines instead (``backend == "lexicon"``, and a
  document warning names the failure).
* **What the text says of them.** Narrative sentences (action lines, prose) and
  parentheticals are matched against the narration lexicon (``data/dynamics/emotions.tsv``).
  An emotion word belongs to the character it describes — :func:`.units.owners`: the
  possessor ("his voice flat and cold"), the subject of a copula ("Han Seo Jun is
  heartbroken"), the person after a fronted word ("frustrated, the director declares"),
  the object of an object-experiencer verb ("the news shocks her"), else the subject of
  its clause ("she looks at him shocked" → she) — never simply the nearest name. A
  parenthetical's emotion belongs to the speaker of its line.

Negation turns a cue into evidence *against* the emotion (kept, intensity 0: "not angry",
"is the least bit interested"); hedges scale it down, intensifiers up; a cue that is only
wanted, tried or supposed (irrealis: "to see if she feels the same love") is not a feeling.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..dialogue_refs import tokenize
from .lexicon import EMOTIONS, Cues, Hit
from .units import SceneText, Unit, modifiers, owners, scan

__all__ = [
    "LABELS",
    "Classifier",
    "EmotionCue",
    "LineEmotion",
    "SceneEmotions",
    "resolve_classifier",
    "lexicon_classifier",
    "read_emotions",
    "model_reads",
]

LABELS = (*EMOTIONS, "neutral")
# Labels other schemes use, folded into the product's nine.
_FOLD = {
    "disgust": "anger",
    "confusion": "surprise",
    "desire": "love",
    "caring": "love",
    "nervousness": "fear",
    "grief": "sadness",
    "shyness": "embarrassment",
}
LINE_MIN = 0.25  # a line's label counts for its speaker from this probability
Classifier = Callable[[Sequence[str]], list[dict[str, float]]]


@dataclass(slots=True)
class EmotionCue:
    """One piece of evidence that a character feels something."""

    character: str
    label: str
    intensity: float  # 0..1 after modifiers; 0 when negated
    unit: int
    start: int  # source offsets of the cue (the line, for the model)
    end: int
    cue: str
    source: str  # narration | parenthetical | line
    rule: str  # possessor | copula | fronted | object | clause-subject | ... | speaker
    negated: bool = False
    factor: float = 1.0
    modifiers: tuple[str, ...] = ()


@dataclass(slots=True)
class LineEmotion:
    """The emotion of one spoken line (the model's, or the lexicon's on the core path)."""

    unit: int
    speaker: str | None
    label: str
    intensity: float
    scores: dict[str, float]


@dataclass(slots=True)
class SceneEmotions:
    cues: list[EmotionCue] = field(default_factory=list)
    lines: list[LineEmotion] = field(default_factory=list)
    # unit index -> character -> label -> intensity
    by_unit: dict[int, dict[str, dict[str, float]]] = field(default_factory=dict)

    def of(self, cid: str, units: Sequence[int] | None = None) -> dict[str, float]:
        """Max intensity per label for ``cid`` over ``units`` (all when None)."""
        out: dict[str, float] = {}
        keys = self.by_unit if units is None else [u for u in units if u in self.by_unit]
        for k in keys:
            for label, v in self.by_unit[k].get(cid, {}).items():
                out[label] = max(out.get(label, 0.0), v)
        return out


# ----------------------------------------------------------------------------- classifier


def _normalise(scores: dict[str, float]) -> dict[str, float]:
    out: dict[str, float] = {}
    for k, v in scores.items():
        label = _FOLD.get(str(k).lower(), str(k).lower())
        if label in LABELS:
            out[label] = max(out.get(label, 0.0), min(1.0, max(0.0, float(v))))
    return out


def model_classifier() -> Classifier | None:
    """The emotion model's ``classify_many`` behind a small adapter, or None."""
    try:
        from .. import emotion as emotion_mod  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - not installed yet, or broken: use the lexicon
        return None
    many = getattr(emotion_mod, "classify_many", None)
    one = getattr(emotion_mod, "classify", None)
    if many is None and one is None:
        return None

    def run(texts: Sequence[str]) -> list[dict[str, float]]:
        got = many(list(texts)) if many is not None else [one(t) for t in texts]
        return [_normalise(dict(d)) for d in got]

    return run


def lexicon_classifier(cues: Cues) -> Classifier:
    """The core path: the narration lexicon read over a line (its speaker feels it)."""

    def run(texts: Sequence[str]) -> list[dict[str, float]]:
        out: list[dict[str, float]] = []
        for text in texts:
            words = [t.lower for t in tokenize(text)]
            mods = cues.modifiers.find(words)
            scores: dict[str, float] = {}
            for h in cues.emotions.find(words):
                neg, factor = _line_modifiers(words, h, mods)
                if neg:
                    continue
                w = min(1.0, h.pattern.weight * factor)
                scores[h.label] = max(scores.get(h.label, 0.0), w)
            top = max(scores.values(), default=0.0)
            scores["neutral"] = round(1.0 - top, 4)
            out.append(scores)
        return out

    return run


def lexicon_line_scores(cues: Cues, u: Unit) -> dict[str, float]:
    """The core path's scores for a spoken line, from the unit's own tokens."""
    words = u.words
    mods = scan(cues, u, "modifiers")
    scores: dict[str, float] = {}
    for h in scan(cues, u, "emotions"):
        neg, factor = _line_modifiers(words, h, mods)
        if neg:
            continue
        scores[h.label] = max(scores.get(h.label, 0.0), min(1.0, h.pattern.weight * factor))
    top = max(scores.values(), default=0.0)
    scores["neutral"] = round(1.0 - top, 4)
    return scores


def _line_modifiers(words: list[str], h: Hit, mods: list[Hit]) -> tuple[bool, float]:
    neg, factor = False, 1.0
    for m in mods:
        if m.j <= h.i and h.i - m.j <= 3 and not any(w in ",.;!?" for w in words[m.j : h.i]):
            if m.label == "NEG":
                neg = not neg
            elif m.label in ("HEDGE", "INTENS"):
                factor *= m.pattern.weight
            elif m.label == "IRREALIS":
                neg = True
    return neg, factor


def resolve_classifier(classifier: Classifier | None, cues: Cues) -> tuple[Classifier, str]:
    """(classifier, backend name): the given one, else the model, else the lexicon."""
    if classifier is not None:
        return classifier, str(getattr(classifier, "backend_name", "custom"))
    model = model_classifier()
    if model is not None:
        return model, "model"
    return lexicon_classifier(cues), "lexicon"


def classify_lines(
    texts: Sequence[str],
    classifier: Classifier,
    backend: str,
    cues: Cues,
    failures: list[str] | None = None,
) -> tuple[list[dict[str, float]], str]:
    """Run the classifier; a failing model falls back to the lexicon (never raises), and
    the failure ("ExceptionType: message") is appended to ``failures`` when given."""
    if not texts:
        return [], backend
    try:
        got = classifier(list(texts))
        if len(got) != len(texts):
            raise ValueError("classifier returned a wrong number of results")
        return [_normalise(d) for d in got], backend
    except Exception as exc:  # noqa: BLE001 - a broken model must not break the analysis
        if failures is not None:
            msg = " ".join(str(exc).split())
            failures.append(f"{type(exc).__name__}: {msg}" if msg else type(exc).__name__)
        return lexicon_classifier(cues)(list(texts)), "lexicon"


# ---------------------------------------------------------------------------------- read


def _nested_ranges(st: SceneText, u: Unit) -> list[tuple[int, int]]:
    return [(x.start, x.end) for x in st.units if x.nested_in == u.index]


def read_emotions(
    st: SceneText, cues: Cues, line_scores: dict[int, dict[str, float]]
) -> SceneEmotions:
    """Every emotion cue of the scene proper, the emotion of every line, and the per-unit
    table."""
    out = SceneEmotions()
    for u in st.units:
        if u.meta or u.index < st.body_start:
            continue
        if u.kind == "narr":
            _narration(st, cues, u, out)
        else:
            _parentheticals(st, cues, u, out)
            scores = line_scores.get(u.index)
            if scores is not None:
                _line(u, scores, out)
    for c in out.cues:
        if c.intensity <= 0:
            continue
        row = out.by_unit.setdefault(c.unit, {}).setdefault(c.character, {})
        row[c.label] = round(max(row.get(c.label, 0.0), c.intensity), 3)
    return out


def unit_modifier_hits(cues: Cues, u: Unit) -> list[Hit]:
    got = u.attrs.get("mods")
    if got is None:
        got = scan(cues, u, "modifiers")
        u.attrs["mods"] = got
    return got


def _narration(st: SceneText, cues: Cues, u: Unit, out: SceneEmotions) -> None:
    hits = scan(cues, u, "emotions")
    if not hits:
        return
    mods = unit_modifier_hits(cues, u)
    nested = _nested_ranges(st, u)
    ref_tokens = {k for r in u.refs for k in range(r.i, r.j)}
    bang = 1.15 if "!" in u.words else 1.0
    for h in hits:
        a, b = u.tokens[h.i].start, u.tokens[h.j - 1].end
        if any(x <= a < y for x, y in nested) or h.i in ref_tokens:
            continue
        m = modifiers(u, h.i, mods)
        if m.irrealis:
            continue
        who, rule = owners(u, h.i, h.j, h.pattern.role)
        for cid in who:
            intensity = 0.0 if m.negated else min(1.0, h.pattern.weight * m.factor * bang)
            out.cues.append(
                EmotionCue(
                    cid,
                    h.label,
                    round(intensity, 3),
                    u.index,
                    a,
                    b,
                    st.text(a, b),
                    "narration",
                    rule,
                    m.negated,
                    round(m.factor, 3),
                    m.cues,
                )
            )


def _parentheticals(st: SceneText, cues: Cues, u: Unit, out: SceneEmotions) -> None:
    if not (u.manner or u.reactions) or not u.speaker:
        return
    asides = [(a, b, "parenthetical") for a, b in u.manner]
    asides += [(a, b, "sound") for a, b in u.reactions]
    for a0, b0, source in asides:
        text = st.text(a0, b0)
        toks = tokenize(text, a0)
        words = [t.lower for t in toks]
        mods = cues.modifiers.find(words)
        for h in cues.emotions.find(words):
            if source == "sound" and any(_is_word(w) for w in words[: h.i]):
                # "(gasps)", "[sobbing quietly]" are the speaker's; "[door slams]" is not
                continue
            neg, factor = _line_modifiers(words, h, mods)
            a, b = toks[h.i].start, toks[h.j - 1].end
            out.cues.append(
                EmotionCue(
                    u.speaker,
                    h.label,
                    0.0 if neg else round(min(1.0, h.pattern.weight * factor), 3),
                    u.index,
                    a,
                    b,
                    st.text(a, b),
                    source,
                    "speaker",
                    neg,
                    round(factor, 3),
                )
            )


def _is_word(w: str) -> bool:
    return w[:1].isalnum()


def model_reads(text: str) -> bool:
    """Can the (English) emotion model read this line? Not when most of its letters are
    of another script (a Korean subtitle): the cue lexicon, which has entries in that
    script, reads it instead."""
    if text.isascii():
        return True
    latin = other = 0
    for ch in text:
        if ch.isalpha():
            if ch.isascii():
                latin += 1
            else:
                other += 1
    return latin >= other


def _line(u: Unit, scores: dict[str, float], out: SceneEmotions) -> None:
    clean = {k: round(v, 3) for k, v in sorted(scores.items()) if v > 0}
    if not clean:
        clean = {"neutral": 1.0}
    label = max(clean, key=lambda k: (clean[k], k == "neutral", k))
    out.lines.append(LineEmotion(u.index, u.speaker, label, clean[label], clean))
    if not u.speaker:
        return
    for lab, p in clean.items():
        if lab == "neutral" or p < LINE_MIN:
            continue
        out.cues.append(
            EmotionCue(
                u.speaker,
                lab,
                round(p, 3),
                u.index,
                u.start,
                u.end,
                "",
                "line",
                "speaker",
            )
        )
