"""A document as the trope detectors read it: units (sentences, spoken lines) whose character
mentions are masked as placeholder tokens, with the people they bind."""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ...model import Document, Element, ElementKind, LineIndex, Scene, Span
from ...names import fold, roman_key
from ..dialogue_refs import FEMALE_PRONOUNS, MALE_PRONOUNS, NameIndex, Token, tokenize
from ..relationships import nearest_present
from .catalogue import Pattern, TropeDef

NARRATIVE_KINDS = frozenset({ElementKind.ACTION, ElementKind.NARRATION})
SPEECH_KINDS = frozenset({ElementKind.DIALOGUE, ElementKind.SUBTITLE, ElementKind.LYRIC})
_PRONOUNS = MALE_PRONOUNS | FEMALE_PRONOUNS
_SENT_END = re.compile(r"(?<=[.!?…])[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9\uac00-\ud7a3])")

# ------------------------------------------------------------------------------ units


@dataclass(slots=True)
class _Person:
    start: int
    end: int
    cid: str | None
    conf: float
    role: str  # subj | obj | obl | poss | refl
    pronoun: str | None


@dataclass(slots=True)
class _Unit:
    index: int
    start: int
    end: int
    speech: bool
    element: Element
    persons: list[_Person] = field(default_factory=list)
    s: str = ""  # the token string: tokens joined by spaces, persons as @pN
    pos: list[int] = field(default_factory=list)  # start of each token in ``s``
    offs: list[tuple[int, int]] = field(default_factory=list)  # source offsets of each token
    vocab: frozenset[str] = frozenset()
    raw: str = ""  # NFC casefolded source text, for keywords
    speaker: str | None = None
    addressee: str | None = None
    cheap: frozenset[str] = frozenset()  # the words of the unit, before it is built
    pending: Any = None  # the builder, until the unit is first needed

    def ready(self) -> _Unit:
        """Build the token string and the persons on first use (most units never need it)."""
        if self.pending is not None:
            build, self.pending = self.pending, None
            build(self)
        return self

    def source_range(self, a: int, b: int) -> tuple[int, int]:
        """Source offsets of the tokens covering ``s[a:b]``."""
        i = bisect.bisect_right(self.pos, a) - 1
        j = bisect.bisect_left(self.pos, b) - 1
        i, j = max(i, 0), max(j, 0)
        return self.offs[i][0], self.offs[max(i, j)][1]


@dataclass(slots=True)
class _Cand:
    trope: TropeDef
    pattern: Pattern
    scene: int
    unit: int
    roles: dict[str, str]
    conf: float
    evidence: list[tuple[int, int]]
    variant: str = "straight"
    type: str | None = None
    supported: bool = False  # a romantic context was found


class _Doc:
    """What the matcher needs about a document: its units, characters and ledger."""

    def __init__(self, doc: Document, index: NameIndex) -> None:
        self.doc = doc
        self.index = index
        self.text = doc.source_text
        self.lix = LineIndex(doc.source_text)
        self.gender = {c.id: c.gender for c in doc.characters}
        self.names = {c.id: c.name for c in doc.characters}
        self.mentions = _mentions(doc)
        self.mention_starts = [m[0] for m in self.mentions]
        self.has_names = any(m[4] is None for m in self.mentions)
        self.name_keys = _name_keys(doc)
        if not any(m[4] is not None for m in self.mentions) and doc.characters:
            self._add_pronoun_links()
        self.romantic_pairs: set[frozenset[str]] = set()
        self.family_pairs: set[frozenset[str]] = set()
        self.couple_pairs: set[frozenset[str]] = set()
        self.romantic_edges: list[tuple[str, str, str]] = []  # (from, to, requited)
        for r in getattr(doc, "relationships", []) or []:
            pair = frozenset((r.from_id, r.to_id))
            if r.kind == "romantic":
                self.romantic_pairs.add(pair)
                self.romantic_edges.append((r.from_id, r.to_id, r.requited))
                if r.subtype in _COUPLE_SUBTYPES:
                    self.couple_pairs.add(pair)
            elif r.kind == "family":
                self.family_pairs.add(pair)
        self.units: dict[int, list[_Unit]] = {s.index: self._units(s) for s in doc.scenes}

    def span(self, a: int, b: int) -> Span:
        return self.lix.span(a, b)

    def _add_pronoun_links(self) -> None:
        """No coreference stage ran: resolve the pronouns here (the coref module's rules)."""
        from ..coref import resolve_pronouns

        extra = [
            (link.start, link.end, link.character_id, link.confidence, link.surface.lower())
            for link in resolve_pronouns(self.doc, self.index)
            if link.character_id
        ]
        self.mentions = sorted(self.mentions + extra)
        self.mention_starts = [m[0] for m in self.mentions]

    # -- building units
    def _units(self, scene: Scene) -> list[_Unit]:
        quotes = [
            (e.span.start_char, e.span.end_char)
            for e in scene.elements
            if e.kind in SPEECH_KINDS and e.speaker is None
        ]
        pieces: list[tuple[int, int, bool, Element]] = []
        for el in scene.elements:
            if el.kind in NARRATIVE_KINDS:
                for a, b in _sentences(self.text, el.span.start_char, el.span.end_char):
                    pieces.append((a, b, False, el))
            elif el.kind in SPEECH_KINDS and el.text.strip():
                pieces.append((el.span.start_char, el.span.end_char, True, el))
        pieces.sort(key=lambda p: (p[0], p[2]))
        units: list[_Unit] = []
        presence: list[tuple[int, str]] = []
        for k, (a, b, speech, el) in enumerate(pieces):
            u = _Unit(k, a, b, speech, el)
            u.raw = unicodedata.normalize("NFC", self.text[a:b]).casefold()
            cheap = _cheap_vocab(self.text[a:b])
            mentions = self._mentions_in(a, b)
            if mentions or cheap & _PRONOUNS or self._maybe_name(a, b):
                cheap.add("@p")
            u.cheap = frozenset(cheap)
            if speech:
                u.speaker, u.addressee = el.speaker_id, el.addressee_id
                if el.speaker_id:
                    presence.append((a, el.speaker_id))
            presence.extend((m[0], m[2]) for m in mentions if m[2])
            masked = [] if speech else [q for q in quotes if a <= q[0] < b]
            u.pending = self._builder(masked, presence, quotes)
            units.append(u)
        presence.sort()
        return units

    def _maybe_name(self, a: int, b: int) -> bool:
        """A capitalised word of ``[a, b)`` that may be a character's name."""
        keys = self.name_keys
        return any(_rkey(w) in keys for w in _CAPITALISED.findall(self.text, a, b))

    def _builder(
        self,
        masked: list[tuple[int, int]],
        presence: list[tuple[int, str]],
        quotes: list[tuple[int, int]],
    ) -> Any:
        def build(u: _Unit) -> None:
            tokens = tokenize(self.text[u.start : u.end], u.start)
            found = self._found(u.start, u.end, tokens, masked)
            self._finish(u, tokens, found, presence, quotes)

        return build

    def _found(
        self, a: int, b: int, tokens: list[Token], quotes: list[tuple[int, int]]
    ) -> list[_Found]:
        """Character mentions of ``[a, b)``: the characters stage's, else found here."""

        def quoted(pos: int) -> bool:
            return any(q0 <= pos < q1 for q0, q1 in quotes)

        out: list[_Found] = []
        if self.has_names or not self.doc.characters:
            i = bisect.bisect_left(self.mention_starts, a)
            while i < len(self.mentions) and self.mentions[i][0] < b:
                m = self.mentions[i]
                if not quoted(m[0]):
                    out.append(m)
                i += 1
            # a form the characters stage did not record ("Seojun" for "Seo Jun")
            spans = [(m[0], m[1]) for m in out]
            if any(
                t.text[:1].isupper()
                and _rkey(t.text) in self.name_keys
                and not any(x <= t.start < y for x, y in spans)
                for t in tokens
            ):
                for h in self.index.find_names(self.text[a:b], a):
                    if not quoted(h.start) and not any(x < h.end and h.start < y for x, y in spans):
                        out.append(
                            (h.start, h.end, h.ids[0], 0.9 if len(h.ids) == 1 else 0.6, None)
                        )
        else:
            text = self.text[a:b]
            for h in self.index.find_names(text, a):
                if not quoted(h.start):
                    out.append((h.start, h.end, h.ids[0], 1.0 if len(h.ids) == 1 else 0.7, None))
            out.extend(m for m in self._mentions_in(a, b) if m[4] is not None)
        covered = [(m[0], m[1]) for m in out]
        for t in tokens:
            if (
                _low(t) in _PRONOUNS
                and not quoted(t.start)
                and not any(s <= t.start < e for s, e in covered)
            ):
                out.append((t.start, t.end, None, 0.0, _low(t)))
        out.sort()
        return out

    def _mentions_in(self, a: int, b: int) -> list[_Found]:
        i = bisect.bisect_left(self.mention_starts, a)
        out = []
        while i < len(self.mentions) and self.mentions[i][0] < b:
            out.append(self.mentions[i])
            i += 1
        return out

    def _finish(
        self,
        u: _Unit,
        tokens: list[Token],
        found: list[_Found],
        presence: list[tuple[int, str]],
        quotes: list[tuple[int, int]],
    ) -> None:
        from ..coref import rule_role

        persons: list[_Person] = []
        for s, e, cid, conf, pron in found:
            if u.speech and pron is not None:
                continue  # he/she inside a spoken line: dialogue_refs' business, not ours
            if pron is not None and cid is None:
                cid, conf = self._fallback(s, pron, presence, persons)
            role, _clause = rule_role(tokens, s, e, pron)
            persons.append(_Person(s, e, cid, conf, role, pron))
        u.persons = persons
        parts: list[str] = []
        pos: list[int] = []
        offs: list[tuple[int, int]] = []
        length = 0
        pi = 0
        done_person = -1
        qspans = [q for q in quotes if u.start <= q[0] < u.end] if not u.speech else []
        done_quote = -1
        for t in tokens:
            while pi < len(persons) and persons[pi].end <= t.start:
                pi += 1
            q = -1
            for k, (q0, q1) in enumerate(qspans):
                if q0 <= t.start < q1:
                    q = k
                    break
            if q >= 0:
                if q == done_quote:
                    offs[-1] = (offs[-1][0], t.end)
                    continue
                done_quote = q
                word = "<q>"
            elif pi < len(persons) and persons[pi].start <= t.start < persons[pi].end:
                if pi == done_person:
                    offs[-1] = (offs[-1][0], t.end)
                    continue
                done_person = pi
                word = f"@p{pi}"
            else:
                word = _low(t)
                if not word or " " in word:
                    continue
            pos.append(length)
            offs.append((t.start, t.end))
            parts.append(word)
            length += len(word) + 1
        u.s = " ".join(parts) + " " if parts else ""
        u.pos, u.offs = pos, offs
        vocab = set(parts)
        if persons:
            vocab.add("@p")
        u.vocab = frozenset(vocab)

    def _fallback(
        self,
        pos: int,
        pronoun: str,
        presence: list[tuple[int, str]],
        earlier: list[_Person],
    ) -> tuple[str | None, float]:
        """An unresolved pronoun: the nearest character of that gender present in the scene."""
        want = "male" if pronoun in MALE_PRONOUNS else "female"
        exclude: set[str] = set()
        if pronoun in ("him", "her"):
            exclude = {p.cid for p in earlier if p.role == "subj" and p.cid}
        return nearest_present(pos, want, presence, self.gender, exclude)


_Found = tuple[int, int, "str | None", float, "str | None"]  # start, end, id, confidence, pronoun
_COUPLE_SUBTYPES = frozenset({"spouse", "engaged", "partner", "ex-spouse", "ex"})
_MENTION_KINDS = frozenset({"name", "vocative", "pronoun"})


_rkey = lru_cache(maxsize=65536)(roman_key)
# The tokeniser's words (dialogue_refs.tokenize), for a quick look at a unit's vocabulary.
_CHEAP_WORD = re.compile(r"[^\W_](?:[\w'’\-‐]*[^\W_])?|['’][A-Za-z]{1,2}\b")
_CAPITALISED = re.compile(r"[A-Z\u00c0-\u024f\uac00-\ud7a3][\w'’\-]*")
_CHEAP_SPLIT = re.compile(r"^(.+?)(n't|'(?:s|re|m|ll|ve|d))$")


def _cheap_vocab(text: str) -> set[str]:
    """The lower-cased words of ``text`` as the tokeniser would give them (a superset)."""
    low = fold(text).replace("’", "'") if not text.isascii() else text.lower()
    out = set(_CHEAP_WORD.findall(low))
    for w in [w for w in out if "'" in w]:
        c = _CHEAP_SPLIT.match(w)
        if c:
            out.add(c.group(1))
            out.add(c.group(2))
    return out


def _low(t: Token) -> str:
    """The token as the templates see it: lower case, straight apostrophes, no accents."""
    return t.text.lower() if t.text.isascii() else t.lower


def _name_keys(doc: Document) -> frozenset[str]:
    """Romanization keys of every alias, alias word and joined alias of the characters."""
    keys: set[str] = set()
    for c in doc.characters:
        for alias in {c.name, *c.aliases}:
            words = alias.replace("-", " ").split()
            keys.add(roman_key(alias))
            keys.update(roman_key(w) for w in words)
            keys.update(roman_key("".join(words[i:])) for i in range(len(words)))
    keys.discard("")
    return frozenset(keys)


def _mentions(doc: Document) -> list[_Found]:
    """The characters' mentions (names, vocatives, resolved pronouns), longest first, no overlaps."""
    raw = sorted(
        (
            (m.span.start_char, m.span.end_char, c.id, m.confidence, m.kind)
            for c in doc.characters
            for m in c.mentions
            if m.kind in _MENTION_KINDS and m.character_id
        ),
        key=lambda m: (m[0], -(m[1] - m[0]), -m[3]),
    )
    out: list[_Found] = []
    end = -1
    for s, e, cid, conf, kind in raw:
        if s < end:
            continue
        pron = doc.source_text[s:e].lower() if kind == "pronoun" else None
        out.append((s, e, cid, conf, pron))
        end = e
    return out


def _sentences(text: str, a: int, b: int) -> list[tuple[int, int]]:
    chunk = text[a:b]
    out, pos = [], 0
    for m in _SENT_END.finditer(chunk):
        out.append((a + pos, a + m.start()))
        pos = m.end()
    out.append((a + pos, b))
    res = []
    for s, e in out:
        seg = text[s:e]
        lead = len(seg) - len(seg.lstrip())
        trail = len(seg) - len(seg.rstrip())
        if seg.strip():
            res.append((s + lead, e - trail))
    return res
