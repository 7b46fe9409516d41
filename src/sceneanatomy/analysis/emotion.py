"""Emotion per utterance: a shipped linear model plus our own lexicon. No LLM, no hub.

Public API::

    classify(text, scheme="product") -> dict[str, float]
    classify_many(texts, scheme="product") -> list[dict[str, float]]
    analyze(text) -> Emotion            # label, intensity 0..1, scores, lexicon evidence
    analyze_many(texts) -> list[Emotion]
    load_model(path=None, embeddings=None) -> EmotionModel
    user_classifier(path) -> classifier   # a trained model for the dynamics stage

``classify`` returns a probability *distribution* over the scheme's labels (values sum to
1, keys in the scheme's fixed order). Schemes:

* ``"product"`` (default): love, joy, sadness, anger, fear, surprise, embarrassment,
  jealousy, neutral (disgust is folded into anger/frustration; jealousy comes only from
  the lexicon, GoEmotions has no such label);
* ``"meld"``: neutral, joy, sadness, anger, fear, surprise, disgust;
* ``"emorynlp"``: Neutral, Joyful, Peaceful, Powerful, Scared, Mad, Sad;
* ``"goemotions"``: the 28 GoEmotions labels (the model's own softmax, no lexicon). The
  labels whose probability reaches the model's per-label threshold are returned by
  :meth:`EmotionModel.goemotions_labels`.

The shipped model was trained on GoEmotions only (Apache-2.0); see docs/data-licenses.md.
Two variants ship: the *core* one (pure Python, the default, needs nothing beyond the core
install) and the *full* one, whose features add all-MiniLM-L6-v2 sentence embeddings
(needs the ``embeddings`` extra; opt in with ``load_model(embeddings=True)`` or the
environment variable ``SCENE_ANATOMY_EMBEDDINGS=1``).

The lexicon (our own word lists) adds evidence from emotion words, and handles negation
and hedges ("not angry" moves mass to neutral, "not happy" to sadness, "a little jealous"
weakens). Everything is deterministic.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..emotion_model.adapt import adapt_posteriors
from ..emotion_model.bundle import Bundle
from ..emotion_model.labels import PRODUCT
from ..emotion_model.lexicon import Lexicon, LexiconHit, load_lexicon
from ..emotion_model.linear import LinearModel

__all__ = [
    "LABELS",
    "SCHEMES",
    "Emotion",
    "EmotionModel",
    "analyze",
    "analyze_many",
    "classify",
    "classify_many",
    "load_model",
    "user_classifier",
    "ModelFileError",
    "CORE_MODEL",
    "FULL_MODEL",
]

LABELS: tuple[str, ...] = PRODUCT
SCHEMES = ("product", "meld", "emorynlp", "goemotions")
CORE_MODEL = "goemotions-core.bin"
FULL_MODEL = "goemotions-full.bin"
_DATA = "data/emotion"
_CAPS = re.compile(r"\b[A-Z]{3,}\b")
# Lexicon weight in the product scheme. Scripts and recaps name emotions outright ("she
# blushes", "he is heartbroken"), which the Reddit-trained classifier under-reads, so the
# product scheme trusts the lexicon more than the dev-tuned weight used for the
# benchmark schemes. A fixed product choice, not tuned on any evaluation set.
PRODUCT_LEXICON_ALPHA = 5.0


@dataclass(frozen=True)
class Emotion:
    """The emotion of one utterance (product scheme)."""

    label: str  # the most probable label
    intensity: float  # 0 for neutral; otherwise 0..1
    scores: dict[str, float]  # the distribution over LABELS
    evidence: tuple[LexiconHit, ...] = field(default=())  # lexicon words, with offsets


class EmotionModel:
    """A loaded emotion model (shipped or user-trained) with the lexicon."""

    def __init__(self, bundle: Bundle, lexicon: Lexicon | None) -> None:
        self.bundle = bundle
        self.lexicon = lexicon

    @property
    def uses_embeddings(self) -> bool:
        return self.bundle.needs_embeddings

    def _embed(self, texts: Sequence[str]) -> list[list[float]] | None:
        if not self.uses_embeddings:
            return None
        from ..emotion_model.embeddings import encode

        return encode(list(texts))

    def classify_many(
        self,
        texts: Iterable[str],
        scheme: str = "product",
        *,
        context: bool = False,
        adapt: bool = False,
    ) -> list[dict[str, float]]:
        """Distributions for ``texts``; ``context=True`` treats them as one dialogue in
        order (used only by models trained with ``--context``; the shipped ones are not).

        ``adapt=True`` treats ``texts`` as one batch (a screenplay's lines) and re-estimates
        the class priors of the batch by EM before mapping to the scheme (Saerens et al.
        2002, :mod:`sceneanatomy.emotion_model.adapt`); a text's result then depends on
        the rest of the batch. Off by default: on dialogue it lowers the MELD figures (see
        docs/benchmarks.md)."""
        texts = list(texts)
        if scheme not in self.bundle.schemes:
            raise ValueError(f"unknown scheme {scheme!r}; one of {sorted(self.bundle.schemes)}")
        labels = self.bundle.schemes[scheme].labels
        lexicon = None if scheme == "goemotions" else self.lexicon
        embs = self._embed(texts)
        use_ctx = context and self.bundle.model.context > 0
        probas = []
        for i, t in enumerate(texts):
            prev = (texts[i - 1] if i else None) if use_ctx else None
            emb = None if embs is None else embs[i]
            probas.append(self.bundle.model.proba(t, emb, prev))
        if adapt:
            prior = self.bundle.model.meta.get("prior")
            if prior is None:
                raise ValueError("this model records no training priors: retrain it to adapt")
            probas = adapt_posteriors(probas, prior)
        alpha = None
        if scheme == "product":
            alpha = max(PRODUCT_LEXICON_ALPHA, self.bundle.lexicon_alpha)
        out = []
        for t, proba in zip(texts, probas, strict=True):
            lex = lexicon.scores(t) if lexicon is not None else None
            dist = self.bundle.project(proba, scheme, lex, alpha=alpha)
            out.append({lab: round(p, 6) for lab, p in zip(labels, dist, strict=True)})
        return out

    def classify(self, text: str, scheme: str = "product") -> dict[str, float]:
        return self.classify_many([text], scheme)[0]

    def goemotions_labels(self, text: str) -> list[str]:
        """The GoEmotions labels whose probability reaches their tuned threshold."""
        sch = self.bundle.schemes.get("goemotions")
        if sch is None or sch.thresholds is None:
            raise ValueError("this model has no GoEmotions thresholds")
        dist = self.classify(text, "goemotions")
        on = [lab for lab, t in zip(sch.labels, sch.thresholds, strict=True) if dist[lab] >= t]
        return on or [max(dist, key=lambda k: dist[k])]

    def analyze_many(self, texts: Iterable[str]) -> list[Emotion]:
        texts = list(texts)
        dists = self.classify_many(texts, "product")
        out = []
        for t, dist in zip(texts, dists, strict=True):
            hits = tuple(self.lexicon.hits(t)) if self.lexicon is not None else ()
            label = max(LABELS, key=lambda k: (dist[k], -LABELS.index(k)))
            out.append(Emotion(label, _intensity(t, label, dist, hits), dist, hits))
        return out

    def analyze(self, text: str) -> Emotion:
        return self.analyze_many([text])[0]


def _intensity(text: str, label: str, dist: dict[str, float], hits: Sequence[LexiconHit]) -> float:
    """0 for neutral; else (1 - p(neutral)) scaled by intensifiers, '!' and capitals."""
    if label == "neutral":
        return 0.0
    m = 1.0
    factors = [h.factor for h in hits if h.label == label and not h.negated]
    if factors:
        m *= max(factors)
    if "!" in text:
        m *= 1.15
    if _CAPS.search(text):
        m *= 1.1
    return round(max(0.0, min(1.0, (1.0 - dist["neutral"]) * m)), 4)


def _want_embeddings(embeddings: bool | None) -> bool:
    if embeddings is not None:
        return embeddings
    return os.environ.get("SCENE_ANATOMY_EMBEDDINGS", "") not in ("", "0")


def shipped_file(name: str) -> bytes:
    return resources.files("sceneanatomy").joinpath(f"{_DATA}/{name}").read_bytes()


@lru_cache(maxsize=4)
def _shipped(full: bool) -> EmotionModel:
    raw = shipped_file(FULL_MODEL if full else CORE_MODEL)
    return EmotionModel(Bundle(LinearModel.load_bytes(raw)), load_lexicon())


def load_model(
    path: str | Path | None = None, *, embeddings: bool | None = None, lexicon: bool = True
) -> EmotionModel:
    """The shipped model (``path=None``), or a model written by the training command.

    ``path`` may be the output directory of ``python -m sceneanatomy.emotion_model.train``
    or the ``emotion-linear.json.gz`` file itself. ``embeddings`` picks the shipped
    variant (default: core, unless ``SCENE_ANATOMY_EMBEDDINGS=1``); the full variant needs
    the ``embeddings`` extra.
    """
    if path is None:
        full = _want_embeddings(embeddings)
        if full:
            from ..emotion_model.embeddings import available

            if not available():
                raise RuntimeError(
                    "the full emotion model needs the 'embeddings' extra: "
                    "pip install 'scene-anatomy[embeddings]'"
                )
        model = _shipped(full)
        return model if lexicon else EmotionModel(model.bundle, None)
    p = Path(path)
    if p.is_dir():
        p = p / "emotion-linear.json.gz"
    return EmotionModel(Bundle(LinearModel.load(p)), load_lexicon() if lexicon else None)


class ModelFileError(ValueError):
    """A file given as an emotion model that cannot be used as one."""


def user_classifier(path: str | Path) -> Callable[[Sequence[str]], list[dict[str, float]]]:
    """The product-scheme classifier of a model written by the training command (``scene-
    anatomy train``), for the dynamics stage's ``classifier`` option: spoken lines in, one
    distribution over the product labels each out. Lines are read in order, so a model
    trained with ``--context`` sees the previous line.

    Raises :class:`ModelFileError` naming the problem when ``path`` is not such a model or
    needs an extra that is not installed (checked here, so that a run never falls back to
    the lexicon without saying so).
    """
    p = Path(path)
    if p.is_dir() and not (p / "emotion-linear.json.gz").is_file():
        raise ModelFileError("no emotion-linear.json.gz in this directory")
    try:
        model = load_model(p)
    except OSError as exc:
        raise ModelFileError(exc.strerror or type(exc).__name__) from None
    except Exception as exc:  # noqa: BLE001 - any malformed file: one clear message
        raise ModelFileError(f"not an emotion model ({type(exc).__name__})") from None
    if "product" not in model.bundle.schemes:
        raise ModelFileError("the model has no 'product' label scheme")
    if model.uses_embeddings:
        from ..emotion_model.embeddings import available

        if not available():
            raise ModelFileError(
                "the model uses sentence embeddings: pip install 'scene-anatomy[embeddings]'"
            )

    def run(texts: Sequence[str]) -> list[dict[str, float]]:
        return model.classify_many(texts, "product", context=True)

    run.backend_name = "trained"  # type: ignore[attr-defined]  # analysis.emotion in the JSON
    return run


def classify(text: str, scheme: str = "product") -> dict[str, float]:
    """Distribution over the scheme's labels for one utterance (see the module doc)."""
    return load_model().classify(text, scheme)


def classify_many(
    texts: Iterable[str], scheme: str = "product", *, adapt: bool = False
) -> list[dict[str, float]]:
    """:func:`classify` for many texts at once (batched embeddings on the full path);
    ``adapt``: see :meth:`EmotionModel.classify_many`."""
    return load_model().classify_many(texts, scheme, adapt=adapt)


def analyze(text: str) -> Emotion:
    """Label, intensity, distribution and lexicon evidence for one utterance."""
    return load_model().analyze(text)


def analyze_many(texts: Iterable[str]) -> list[Emotion]:
    return load_model().analyze_many(texts)
