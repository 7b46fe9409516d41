"""The shipped emotion lexicon: our own word lists, with negation, hedges and intensifiers.

The word lists live in ``sceneanatomy/data/emotion/lexicon.tsv`` (written by the project,
MIT). Matching is on lower-cased word tokens; a list entry may be a phrase ("taken aback")
and may end in ``*`` to match any word that continues the stem ("frustrat*").

For every emotion term the matcher looks back up to :data:`WINDOW` tokens (never across
punctuation or "but") for modifiers:

* a negator ("not", "never", "isn't", "the least bit", "no longer", ...) turns the term's
  evidence negative; for love and joy part of it goes to sadness ("not happy"), for the
  other labels part of it goes to neutral ("not angry");
* a hedge ("a little", "kind of", "slightly") scales it down;
* an intensifier ("very", "so", "utterly") scales it up.

Each hit keeps its character offsets in the input, so a caller can tie the word to the
character it describes.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["LexiconHit", "Lexicon", "load_lexicon", "EMOTION_LABELS"]

EMOTION_LABELS = (
    "love",
    "joy",
    "sadness",
    "anger",
    "fear",
    "surprise",
    "embarrassment",
    "jealousy",
    "disgust",
)
_MODIFIERS = ("NEG", "HEDGE", "INTENS")
WINDOW = 3
# One-to-one character replacements, so offsets into the normalised text are offsets into
# the original text.
_SAME_LEN = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00a0": " "})
_TOKEN_RE = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*|[!?.,;:]+|\S")
_BREAKS = frozenset({"but", "though", "although", "yet"})


@dataclass(frozen=True, slots=True)
class LexiconHit:
    """One emotion term found in a text."""

    label: str
    weight: float  # signed evidence after modifiers (negative when negated)
    start: int  # character offsets into the text given to :meth:`Lexicon.hits`
    end: int
    term: str
    negated: bool = False
    factor: float = 1.0  # product of hedge / intensifier factors


class Lexicon:
    """Emotion word lists with phrase, stem and modifier matching."""

    def __init__(self, rows: list[tuple[str, str, float]]) -> None:
        # exact[(tokens...)] -> [(label, weight)]; stems[prefix] -> [(label, weight)]
        self.exact: dict[tuple[str, ...], list[tuple[str, float]]] = {}
        self.stems: dict[str, list[tuple[str, float]]] = {}
        self.modifiers: dict[tuple[str, ...], tuple[str, float]] = {}
        self.max_len = 1
        for term, label, weight in rows:
            if label not in EMOTION_LABELS and label not in _MODIFIERS:
                raise ValueError(f"lexicon: unknown label {label!r} for {term!r}")
            toks = tuple(term.split())
            if any(t.endswith("*") for t in toks[:-1]):
                raise ValueError(f"lexicon: only the last word may end in '*': {term!r}")
            self.max_len = max(self.max_len, len(toks))
            if label in _MODIFIERS:
                self.modifiers[tuple(t.rstrip("*") for t in toks)] = (label, weight)
                if toks[-1].endswith("*"):
                    self.stems.setdefault("\0" + toks[-1][:-1], []).append((label, weight))
            elif len(toks) == 1 and term.endswith("*"):
                self.stems.setdefault(term[:-1], []).append((label, weight))
            elif toks[-1].endswith("*"):
                # phrase ending in a stem: index by the fixed head, check the stem on match
                self.exact.setdefault((*toks[:-1], "*" + toks[-1][:-1]), []).append((label, weight))
            else:
                self.exact.setdefault(toks, []).append((label, weight))
        self._stem_lens = sorted({len(s) for s in self.stems if not s.startswith("\0")})
        # Token-keyed indexes (built once): a phrase can start only at one of its first
        # words, so most tokens skip the phrase loops entirely.
        self._first = frozenset(k[0] for k in self.exact if len(k) > 1)
        self._mod_first = frozenset(k[0] for k in self.modifiers)
        pstems: dict[tuple[str, ...], list[tuple[str, tuple[tuple[str, float], ...]]]] = {}
        for key, entries in self.exact.items():
            if len(key) > 1 and key[-1].startswith("*"):
                pstems.setdefault(key[:-1], []).append((key[-1][1:], tuple(entries)))
        self._pstems = {h: tuple(v) for h, v in pstems.items()}
        self._words: dict[str, list[tuple[str, float]]] = {}

    # -- matching ---------------------------------------------------------------------
    def _lookup_word(self, word: str) -> list[tuple[str, float]]:
        got = self._words.get(word)
        if got is None:
            got = self._lookup_word_uncached(word)
            if len(self._words) < 65536:
                self._words[word] = got
        return got

    def _lookup_word_uncached(self, word: str) -> list[tuple[str, float]]:
        found = self.exact.get((word,))
        if found:
            return found
        for n in reversed(self._stem_lens):
            if n <= len(word):
                got = self.stems.get(word[:n])
                if got:
                    return got
        return []

    def _match_at(self, toks: list[str], i: int) -> tuple[int, list[tuple[str, float]]]:
        """Longest emotion term starting at token ``i``: (length, entries)."""
        if toks[i] in self._first:
            for n in range(min(self.max_len, len(toks) - i), 1, -1):
                key = tuple(toks[i : i + n])
                got = self.exact.get(key)
                if got:
                    return n, got
                for stem_key, entries in self._pstems.get(key[:-1], ()):
                    if key[-1].startswith(stem_key):
                        return n, list(entries)
        got = self._lookup_word(toks[i])
        return (1, got) if got else (0, [])

    def _phrase_stems(self, head: tuple[str, ...]) -> tuple[tuple[str, tuple], ...]:
        """The (stem, entries) of the phrases ``head + stem*`` (in lexicon order)."""
        return self._pstems.get(head, ())

    def _modifier_at(self, toks: list[str], i: int) -> tuple[int, str, float]:
        t = toks[i]
        if t in self._mod_first:
            for n in range(min(self.max_len, len(toks) - i), 0, -1):
                got = self.modifiers.get(tuple(toks[i : i + n]))
                if got:
                    return n, got[0], got[1]
        if t.endswith("n't") or t == "cannot":
            return 1, "NEG", 1.0
        if t.startswith("lack"):
            return 1, "NEG", 1.0
        return 0, "", 0.0

    def hits(self, text: str) -> list[LexiconHit]:
        """Every emotion term in ``text``, with modifiers applied, in text order."""
        norm = text.translate(_SAME_LEN).lower()
        if len(norm) != len(text):  # e.g. "İ" lower-cases to two characters: keep offsets
            norm = "".join(
                c.lower() if len(c.lower()) == 1 else c for c in text.translate(_SAME_LEN)
            )
        spans = [(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(norm)]
        toks = [s[0] for s in spans]
        out: list[LexiconHit] = []
        # mods[i] = (kind, factor) for tokens that are modifiers; terms[i] = (len, entries)
        i = 0
        terms: dict[int, tuple[int, list[tuple[str, float]]]] = {}
        mods: dict[int, tuple[str, float, int]] = {}
        owner_of: dict[int, int] = {}  # token index -> the modifier it belongs to
        while i < len(toks):
            n, entries = self._match_at(toks, i)
            mn, kind, factor = self._modifier_at(toks, i)
            if mn and (mn > n or self._followed_by_term(toks, i + mn)):
                # a modifier, unless the longer reading is an emotion phrase
                mods[i] = (kind, factor, mn)
                for k in range(i, i + mn):
                    owner_of[k] = i
                i += mn
                continue
            if n:
                terms[i] = (n, entries)
                i += n
                continue
            i += 1
        for i, (n, entries) in terms.items():
            negated = False
            factor = 1.0
            j = i - 1
            seen = 0
            while j >= 0 and seen < WINDOW:
                t = toks[j]
                if t[0] in "!?.,;:" or t in _BREAKS:
                    break
                owner = owner_of.get(j)
                if owner is not None:
                    kind, f, mn = mods[owner]
                    if kind == "NEG":
                        negated = True
                    else:
                        factor *= f
                    j = owner - 1
                    seen += 1
                    continue
                if j in terms:
                    break
                j -= 1
                seen += 1
            start, end = spans[i][1], spans[i + n - 1][2]
            term = text[start:end]
            for label, weight in entries:
                w = min(1.5, weight * factor)
                out.append(
                    LexiconHit(label, -w if negated else w, start, end, term, negated, factor)
                )
        return out

    def _followed_by_term(self, toks: list[str], k: int) -> bool:
        """True when a term (possibly after more modifiers) follows position ``k``."""
        for j in range(k, min(len(toks), k + WINDOW)):
            if toks[j][0] in "!?.,;:":
                return False
            if self._match_at(toks, j)[0]:
                return True
        return False

    def scores(self, text: str) -> dict[str, float]:
        """Signed evidence per label (plus ``neutral``), squashed to -1..1."""
        raw: dict[str, float] = {}
        for h in self.hits(text):
            raw[h.label] = raw.get(h.label, 0.0) + h.weight
            if h.negated:
                shift = "sadness" if h.label in ("love", "joy") else "neutral"
                raw[shift] = raw.get(shift, 0.0) + 0.4 * -h.weight
        return {k: math.tanh(v) for k, v in sorted(raw.items()) if v}


def _parse(text: str) -> list[tuple[str, str, float]]:
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3:
            raise ValueError(f"lexicon.tsv:{n}: expected TERM<TAB>LABEL<TAB>WEIGHT")
        rows.append((parts[0].strip().lower(), parts[1].strip(), float(parts[2])))
    return rows


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The shipped lexicon (cached)."""
    data = resources.files("sceneanatomy").joinpath("data/emotion/lexicon.tsv")
    return Lexicon(_parse(data.read_text(encoding="utf-8")))
