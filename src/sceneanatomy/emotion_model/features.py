"""Pure-Python text features shared by training and inference.

The same function turns a text into a sparse feature vector at training time (fed to
scikit-learn) and at run time (dotted with the shipped weights in pure Python), so the
two can never drift apart.

Features (all binary, each block L2-normalised over the features *extracted*, not over
the vocabulary, so pruning the vocabulary after training leaves the remaining terms'
values unchanged):

* ``w:`` word unigrams and ``b:`` word bigrams (with sentence-boundary markers), over a
  lower-cased, apostrophe-normalised token stream in which ``!``, ``?``, ``?!`` and ``...``
  are tokens of their own and words after a negator (up to the next punctuation mark) carry a
  ``NOT_`` prefix in an extra unigram;
* ``c:`` character n-grams (2..5) inside word boundaries, like scikit-learn's ``char_wb``;
* ``s:`` a few shape cues: all-caps words, repeated ``!``/``?``, elongated words, length.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from functools import lru_cache

__all__ = ["normalize", "tokenize", "extract", "extract_with_context", "FEATURE_VERSION"]

FEATURE_VERSION = 1

_QUOTES = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2014": " - ",
        "\u2013": " - ",
        "\u2026": "...",
        "\u00a0": " ",
    }
)
_TOKEN_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)*|\?!+|!+\?+|\.\.\.+|[!?]+|[.,;:]")
_NEGATOR_WORDS = (
    "not no never nothing nobody none nor neither without hardly barely scarcely "
    "isn't aren't wasn't weren't don't doesn't didn't can't cannot couldn't won't wouldn't "
    "shouldn't haven't hasn't hadn't ain't mustn't needn't"
)
_NEGATORS = frozenset(_NEGATOR_WORDS.split())
_PUNCT = frozenset(".,;:!?")
_CAPS_RE = re.compile(r"\b[A-Z]{3,}\b")
_ELONG_RE = re.compile(r"([a-zA-Z])\1\1")


def normalize(text: str) -> str:
    """Unify quotes, dashes and ellipses; keep case (the caller lower-cases)."""
    return text.translate(_QUOTES)


def tokenize(text: str) -> list[str]:
    """Lower-cased word and punctuation tokens of ``text``."""
    toks = _TOKEN_RE.findall(normalize(text).lower())
    out: list[str] = []
    for t in toks:
        if t[0] in "!?":
            if "?" in t and "!" in t:
                t = "?!"
            elif len(t) > 1:
                t = t[0] * 2
        elif t.startswith("..."):
            t = "..."
        out.append(t)
    return out


def _l2(feats: dict[str, float], keys: Iterable[str], prefix: str) -> None:
    keys = set(keys)
    if not keys:
        return
    v = 1.0 / math.sqrt(len(keys))
    for k in keys:
        feats[prefix + k] = v


@lru_cache(maxsize=65536)
def _char_grams(word: str) -> tuple[str, ...]:
    """The ``c:`` features of one word: its character 2..5-grams, padded with spaces."""
    p = f" {word} "
    n_max = min(5, len(p))
    return tuple({"c:" + p[i : i + n] for n in range(2, n_max + 1) for i in range(len(p) - n + 1)})


def extract(text: str, *, chars: bool = True) -> dict[str, float]:
    """Sparse features of one text: ``{feature name: value}`` (deterministic)."""
    toks = tokenize(text)
    feats: dict[str, float] = {}
    words = [t for t in toks if t not in _PUNCT or t in "!?"]
    uni = set(words)
    neg = False
    for t in toks:
        if t in _NEGATORS or t.endswith("n't"):
            neg = True
            continue
        if t in _PUNCT or t in ("?!", "!!", "??", "..."):
            neg = False
            continue
        if neg:
            uni.add("NOT_" + t)
    _l2(feats, uni, "w:")
    seq = ["<s>", *words, "</s>"]
    _l2(feats, (f"{a} {b}" for a, b in zip(seq, seq[1:], strict=False)), "b:")
    if chars:
        grams: set[str] = set()
        for w in words:
            grams.update(_char_grams(w))
        if grams:
            feats.update(dict.fromkeys(grams, 1.0 / math.sqrt(len(grams))))
    raw = normalize(text)
    shape: dict[str, float] = {}
    if _CAPS_RE.search(raw):
        shape["caps"] = 1.0
    if "!" in raw:
        shape["excl"] = 1.0
    if "?" in raw:
        shape["quest"] = 1.0
    if _ELONG_RE.search(raw):
        shape["elong"] = 1.0
    n = len(words)
    shape["len1" if n <= 1 else "len3" if n <= 3 else "len8" if n <= 8 else "lenL"] = 1.0
    for k, v in shape.items():
        feats["s:" + k] = v * 0.5
    return feats


def extract_with_context(
    text: str, previous: str | None, weight: float, *, chars: bool = True
) -> dict[str, float]:
    """:func:`extract` plus the previous utterance's word features (prefix ``p``), scaled.

    ``previous=None`` (the first line of a dialogue) adds the single feature ``p:start``.
    """
    feats = extract(text, chars=chars)
    if weight <= 0:
        return feats
    if previous is None:
        feats["p:start"] = weight
    else:
        for k, v in extract(previous, chars=False).items():
            feats["p" + k] = v * weight
    return feats
