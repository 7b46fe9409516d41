"""The cue lists of the scene-dynamics stage and the phrase matcher that reads them.

The lists are shipped data, written by the project (``sceneanatomy/data/dynamics/``):
``emotions.tsv`` (what narration says of how a character feels, plus negators, hedges,
intensifiers and irrealis markers) and ``cues.yaml`` (values at stake and the replies that charge them,
physical distance, entrances and exits, conflict, realisation, transitions, wants and
requests, how a reply opens, outcomes, end states, imperative verbs). Nothing in them names a story, a character or an episode.

A pattern is a sequence of lower-case words: ``w*`` matches any word starting with ``w``,
``_`` exactly one word, ``__`` one to three words. Text is matched on the tokens of
:func:`sceneanatomy.analysis.dialogue_refs.tokenize` (contractions split as a treebank
does), and patterns are tokenized the same way, so ``can't take the hint`` matches the
text "can't take the hint" token for token.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from ..dialogue_refs import tokenize

__all__ = ["Cues", "Hit", "Matcher", "Pattern", "load_cues", "pattern_words", "EMOTIONS"]

EMOTIONS = ("love", "joy", "sadness", "anger", "fear", "surprise", "embarrassment", "jealousy")
MODIFIERS = ("NEG", "HEDGE", "INTENS", "IRREALIS")
_GAP1, _GAPN = "\0_", "\0__"


@dataclass(frozen=True, slots=True)
class Pattern:
    """One cue: its words, what it means (``label``), how strong, and its list (``tag``)."""

    words: tuple[str, ...]  # literal words, "stem*", _GAP1, _GAPN
    label: str
    weight: float = 1.0
    role: str = "auto"  # who it belongs to: auto | object | subject
    tag: str = ""
    text: str = ""
    kind: str = ""  # the list it belongs to (set by :class:`Cues`)


@dataclass(frozen=True, slots=True)
class Hit:
    """A pattern found at tokens ``[i, j)`` of a token list."""

    i: int
    j: int
    pattern: Pattern

    @property
    def label(self) -> str:
        return self.pattern.label


def pattern_words(text: str) -> tuple[str, ...]:
    """The matcher's words for a written pattern (same tokenizer as the text)."""
    out: list[str] = []
    for w in text.lower().split():
        if w == "_":
            out.append(_GAP1)
        elif w == "__":
            out.append(_GAPN)
        elif w.endswith("*") and len(w) > 1:
            # folded as the text's words are (Hangul is decomposed: 좋아해 → jamo)
            out.append("".join(t.lower for t in tokenize(w[:-1])) + "*")
        else:
            out.extend(t.lower for t in tokenize(w))
    return tuple(out)


def _is_word(w: str) -> bool:
    return bool(w) and (w[0].isalnum() or (w[0] in "'’" and len(w) > 1))


def _word_ok(p: str, w: str) -> bool:
    if p.endswith("*"):
        return w.startswith(p[:-1]) and _is_word(w)
    return p == w


class Matcher:
    """Finds patterns in a token list; indexed by the first word (or stem) for speed."""

    def __init__(self, patterns: Iterable[Pattern]) -> None:
        self.patterns = [p for p in patterns if p.words]
        self._exact: dict[str, list[Pattern]] = {}
        self._stems: dict[str, list[Pattern]] = {}
        for p in self.patterns:
            first = p.words[0]
            if first.endswith("*"):
                self._stems.setdefault(first[:-1], []).append(p)
            else:
                self._exact.setdefault(first, []).append(p)
        self._stem_lens = sorted({len(s) for s in self._stems})
        self._cache: dict[str, tuple[Pattern, ...]] = {}

    def __len__(self) -> int:
        return len(self.patterns)

    def _candidates(self, w: str) -> tuple[Pattern, ...]:
        got = self._cache.get(w)
        if got is not None:
            return got
        found = list(self._exact.get(w, ()))
        if self._stem_lens and _is_word(w):
            for n in self._stem_lens:
                if n > len(w):
                    break
                found.extend(self._stems.get(w[:n], ()))
        got = tuple(found)
        if len(self._cache) < 50_000:
            self._cache[w] = got
        return got

    @staticmethod
    def _match(words: Sequence[str], k: int, pw: tuple[str, ...], q: int) -> int:
        """End index when ``pw[q:]`` matches ``words[k:]``, else -1 (shortest gaps first)."""
        while q < len(pw):
            p = pw[q]
            if p == _GAP1:
                if k >= len(words) or not _is_word(words[k]):
                    return -1
                k += 1
            elif p == _GAPN:
                for n in (1, 2, 3):
                    if k + n > len(words) or not _is_word(words[k + n - 1]):
                        return -1
                    end = Matcher._match(words, k + n, pw, q + 1)
                    if end >= 0:
                        return end
                return -1
            else:
                if k >= len(words) or not _word_ok(p, words[k]):
                    return -1
                k += 1
            q += 1
        return k

    def at(self, words: Sequence[str], i: int) -> list[Hit]:
        """Every pattern matching at token ``i``, longest first."""
        cands = self._candidates(words[i])
        if not cands:
            return []
        out: list[Hit] = []
        for p in cands:
            end = self._match(words, i + 1, p.words, 1)
            if end >= 0:
                out.append(Hit(i, end, p))
        out.sort(key=lambda h: (-(h.j - h.i), -h.pattern.weight, h.pattern.text))
        return out

    def find(self, words: Sequence[str]) -> list[Hit]:
        """Non-overlapping hits, leftmost-longest, in text order."""
        out: list[Hit] = []
        i = 0
        while i < len(words):
            hits = self.at(words, i)
            if hits:
                best = hits[0]
                # several lists may hold the same words (e.g. positive and topic): keep all
                out.extend(h for h in hits if h.j == best.j)
                i = best.j
            else:
                i += 1
        return out


@dataclass(frozen=True)
class Cues:
    """Every cue list of the stage, compiled."""

    emotions: Matcher
    modifiers: Matcher
    values: Matcher
    value_states: dict[str, dict[str, str]]
    distance: Matcher
    presence: Matcher
    conflict: Matcher
    realization: Matcher
    transitions: Matcher
    wants: Matcher
    outcomes: Matcher
    states: Matcher
    imperative_verbs: frozenset[str]
    replies: Matcher = field(default_factory=lambda: Matcher(()))  # yes | no | refuse | answer
    rhetorical: Matcher = field(default_factory=lambda: Matcher(()))  # question openings
    value_feels: dict[str, dict[str, str]] = field(default_factory=dict)
    combined: Matcher | None = None

    def scan(self, words: Sequence[str]) -> dict[str, list[Hit]]:
        """Every list's hits in one pass: per list, leftmost-longest as :meth:`Matcher.find`."""
        combined = self.combined
        if combined is None:
            pats = [replace(p, kind=name) for name in LISTS for p in getattr(self, name).patterns]
            combined = Matcher(pats)
            object.__setattr__(self, "combined", combined)
        found = [(i, hs) for i in range(len(words)) if (hs := combined.at(words, i))]
        out: dict[str, list[Hit]] = {name: [] for name in LISTS}
        nxt = dict.fromkeys(LISTS, 0)
        for i, hs in found:
            for name in {h.pattern.kind for h in hs}:
                if i < nxt[name]:
                    continue
                mine = [h for h in hs if h.pattern.kind == name]
                best = mine[0].j
                out[name].extend(h for h in mine if h.j == best)
                nxt[name] = best
        return out


LISTS = (
    "emotions",
    "modifiers",
    "values",
    "distance",
    "presence",
    "conflict",
    "realization",
    "wants",
    "outcomes",
    "states",
)


def _read(name: str) -> str:
    return (
        resources.files("sceneanatomy")
        .joinpath(f"data/dynamics/{name}")
        .read_text(encoding="utf-8")
    )


def parse_emotions_tsv(text: str) -> tuple[list[Pattern], list[Pattern]]:
    """(emotion patterns, modifier patterns) from ``emotions.tsv`` text."""
    emos: list[Pattern] = []
    mods: list[Pattern] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = [p.strip() for p in line.split("\t")]
        if len(parts) not in (3, 4):
            raise ValueError(f"emotions.tsv:{n}: expected TERM<TAB>LABEL<TAB>WEIGHT[<TAB>ROLE]")
        term, label, weight = parts[0], parts[1], float(parts[2])
        role = parts[3] if len(parts) == 4 else "auto"
        if label not in EMOTIONS and label not in MODIFIERS:
            raise ValueError(f"emotions.tsv:{n}: unknown label {label!r}")
        if role not in ("auto", "object", "subject"):
            raise ValueError(f"emotions.tsv:{n}: unknown role {role!r}")
        p = Pattern(pattern_words(term), label, weight, role, "", term)
        (mods if label in MODIFIERS else emos).append(p)
    return emos, mods


def _plist(items: Any, label: str, tag: str = "", weight: float = 1.0) -> list[Pattern]:
    """Patterns from a YAML list; ``cue @subject`` / ``cue @object`` sets the role."""
    out: list[Pattern] = []
    for item in items or []:
        text, _, role = str(item).partition(" @")
        role = role.strip() or "auto"
        if role not in ("auto", "object", "subject"):
            raise ValueError(f"cues.yaml: unknown role {role!r} in {item!r}")
        out.append(Pattern(pattern_words(text), label, weight, role, tag, text.strip()))
    return out


# libyaml's safe loader when PyYAML was built with it (the same data, ~8x faster).
_YAML_SAFE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def build_cues(emotions_tsv: str, cues_yaml: str) -> Cues:
    emos, mods = parse_emotions_tsv(emotions_tsv)
    data = yaml.load(cues_yaml, Loader=_YAML_SAFE) or {}
    values: list[Pattern] = []
    states: dict[str, dict[str, str]] = {}
    feels: dict[str, dict[str, str]] = {}
    for name, spec in (data.get("values") or {}).items():
        states[name] = {str(k): str(v) for k, v in (spec.get("states") or {}).items()}
        feels[name] = {str(k): str(v) for k, v in (spec.get("feels") or {}).items()}
        bad = set(feels[name].values()) - set(EMOTIONS)
        if bad:
            raise ValueError(f"cues.yaml: {name}: feels: unknown emotion {sorted(bad)}")
        values += _plist(spec.get("positive"), name, "positive")
        values += _plist(spec.get("negative"), name, "negative")
        values += _plist(spec.get("target_negative"), name, "target_negative")
        values += _plist(spec.get("reply_negative"), name, "reply_negative")
        values += _plist(spec.get("reply_positive"), name, "reply_positive")
        values += _plist(spec.get("topic"), name, "topic", 0.5)
    distance: list[Pattern] = []
    for level in ("separate", "approach", "pin", "face"):
        distance += _plist((data.get("distance") or {}).get(level), level)
    presence: list[Pattern] = []
    for kind in ("entrance", "exit"):
        presence += _plist((data.get("presence") or {}).get(kind), kind)
    wants: list[Pattern] = []
    for kind in ("self", "other", "keep", "spoken", "request"):
        wants += _plist((data.get("wants") or {}).get(kind), "want", kind)
    replies: list[Pattern] = []
    for kind in ("yes", "no", "refuse", "answer"):
        replies += _plist((data.get("replies") or {}).get(kind), kind)
    outcomes: list[Pattern] = []
    for kind in ("failure", "success"):
        outcomes += _plist((data.get("outcomes") or {}).get(kind), kind)
    st = [
        Pattern(pattern_words(str(s["cue"])), str(s["state"]), 1.0, "auto", str(s["charge"]))
        for s in data.get("states") or []
    ]
    return Cues(
        emotions=Matcher(emos),
        modifiers=Matcher(mods),
        values=Matcher(values),
        value_states=states,
        distance=Matcher(distance),
        presence=Matcher(presence),
        conflict=Matcher(_plist(data.get("conflict"), "conflict")),
        realization=Matcher(_plist(data.get("realization"), "realization")),
        transitions=Matcher(_plist(data.get("transitions"), "transition")),
        wants=Matcher(wants),
        outcomes=Matcher(outcomes),
        states=Matcher(st),
        imperative_verbs=frozenset(str(data.get("imperative_verbs") or "").split()),
        replies=Matcher(replies),
        rhetorical=Matcher(_plist(data.get("rhetorical_questions"), "rhetorical")),
        value_feels=feels,
    )


@lru_cache(maxsize=1)
def load_cues() -> Cues:
    """The shipped cue lists (cached for the process)."""
    return build_cues(_read("emotions.tsv"), _read("cues.yaml"))
