"""Who is meant inside spoken lines: I/me → the speaker, you → the addressee, names → characters.

This module holds the pieces the dialogue-side stages share:

* :class:`CharacterIndex` — the small interface every "who is who" stage asks
  (``candidates(surface)``, ``lookup(surface)``, ``gender(id)``, ``find_names(text)``), and
  :class:`NameIndex`, its implementation built from ``doc.characters`` (or from plain
  ``(id, name, aliases, gender, prominence)`` tuples, which is how the SemEval benchmark
  builds it from the training-time entity inventory).
* :func:`find_vocatives` — names and terms of address used to call someone
  ("Hye-won-ah!", "민재야", "Ross, you...", "...honey.").
* :func:`resolve_dialogue_refs` — mention-level reference resolution inside spoken lines.

Name matching rules (:meth:`NameIndex.candidates`), tried in order, first non-empty tier wins:

1. **exact** — the surface, case- and accent-folded, without dots, a possessive ``'s``,
   an honorific/kinship/vocative suffix (``-ah``, ``-ya``, ``-ssi``, ``oppa``, ``야``,
   ``씨``...) and a leading title (``Mr.``, ``Aunt``, ``Dr.``), equals an alias likewise
   normalised.
2. **romanization** — the same under :func:`sceneanatomy.names.roman_key`
   (``Seojun`` = ``Seo-joon`` = ``Seo Jun``).
3. **given name** — the given name of a family-name-first Korean name
   (``Han Seo Jun`` → ``Seo Jun``) or the first word of a Western name
   (``Ross Geller`` → ``Ross``); descriptive names (``Chandler's date``) only match exactly.
4. **surname** — the last word of a Western name or the surname of a Korean one
   (``Geller``); with a gendered title (``Mrs. Geller``) only characters of that gender.
5. **nickname** — a capitalised word of at least three letters which, less a diminutive
   ending (``-s``, ``-sy``, ``-y``, ``-ie``), is a prefix of a given name, allowing one
   changed letter (``Rach``, ``Mon``, ``Phoebs``, ``Pheebs``, ``Rossy``); names it begins
   exactly come before those it needs the changed letter for (``Pete`` is Peter before
   Petrie). A bare word one letter short of the name must be its exact start and have
   four letters or more (``Pete``, ``Kath``; not ``Help`` for Helen).

A titled name found in a text that some characters bear exactly, title included
(``Manager Park``), means those characters only, not every character of that surname
(``Mr. Park``, ``Ms. Park``). Several candidates are ordered by ``prefer`` (e.g. the
scene's speakers, most recent first), then by prominence (role, number of mentions).
:meth:`NameIndex.lookup` returns the first.

Reference rules inside a spoken line (:func:`resolve_dialogue_refs`), each with a rule
name and a confidence:

* ``first-person`` — I, me, my, mine, myself → the line's speaker.
* ``vocative`` — a name or term of address used to call someone → the named character,
  or (for a bare term such as "honey", "man", "oppa") the line's addressee.
* ``second-person`` — you, your, yours, yourself, ya → the nearest vocative before it in
  the same line, else the line's addressee (see :mod:`sceneanatomy.analysis.addressee`);
  when the addressee stage read the line's call as a name another speaker took ("Hi, I'm
  Ben." ... "Ben, you ready?", rule ``assumed-name``), the line's addressee.
* ``quoted-speech`` — a "you" inside a quotation (straight or curly double quotes; a
  quotation may run on over the turn's next lines, never into another speaker's turn) is
  said by the quoted person, not by the speaker, so it goes to (confidence 0.8) the last
  name called inside the quotation before it, the speaker included (Rachel quoting
  ``"Hey, Rach! You ready...?"`` means herself), else (0.6) to the addressee its
  *reporting frame* gives. A frame is a subject (I, he, she, you, we, they or a known
  name), a reporting verb (said, says, goes, asked, told, yelled, wrote, came back with,
  was like, ...) and maybe an object, right before the opening mark, or right after the
  closing one ('"...," he said', '"...?" she asked', '"...," said Ross'; but in '"...?" Ross
  replies, "..."' the new sentence frames the next quotation). The addressee is the
  object ("he told her "…"", "I said to him "…""); without one, in a reported exchange
  (frames at most four turns apart; we and they speak for a group and take no part),
  the same subject as the previous frame keeps that frame's speaker and
  addressee, and another subject ("He said "…" — then she came back with "…"") answers
  the previous quoted speaker (he and she are two people, whoever the third-person rule
  took them for); the first frame of a scene that quotes a third person goes to the most
  recently mentioned, else most recent speaker, of the scene who is neither the speaker,
  the line's addressee nor the quoted person. No call and no frame, or a frame of I, you,
  we or they without an object: the ``second-person`` rule as for any "you". Likewise an
  I, me, my inside a quotation with a reporting frame is the quoted speaker (0.6), not
  the one who tells it ("Then she came back with "I have a..."" is her).
* ``name`` — a name → the character (rules above; ties go to the scene's speakers).
* ``third-person`` — he/him/his/himself, she/her/hers/herself, and person nouns used as
  a reference ("that guy", "the woman") → the most recently mentioned character of a
  compatible gender who is neither the speaker nor the addressee.
* plural we/us/our and they/them are left unresolved (they name groups).

Anything else is left unresolved (``character_id=None``): never guessed silently.

Speed: the stages each build a :class:`NameIndex` of the same characters and search the
same lines. What a search finds depends only on the names (:meth:`NameIndex.names_key`),
so the raw name scans, vocative candidates and candidate tiers are kept per names key and
shared by every index with those names; each index then orders an ambiguous name's
candidates by its own prominence, so the results are those of an unshared search.
:func:`tokenize` caches its tokens per (text, offset). A sentence of a line takes its
tokens and names from the line's scan (:meth:`NameIndex.find_names_inside`), the same
words elsewhere from their scan (:meth:`NameIndex.find_names_as`); :func:`content_span`
and :func:`line_index` are made once for all stages. :func:`clear_caches` forgets the
per-text caches (benchmarks call it between runs over the same text).
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple, Protocol

from ..model import Character, Document, Element, ElementKind, LineIndex, Mention
from ..names import (
    ADDRESS_TERMS,
    HONORIFIC_SUFFIXES,
    edit_distance,
    fold,
    roman_key,
    split_name,
    strip_suffixes,
    strip_title,
)

# ----------------------------------------------------------------------------- pronouns

FIRST_SINGULAR = frozenset({"i", "me", "my", "mine", "myself"})
SECOND_PERSON = frozenset({"you", "your", "yours", "yourself", "ya", "yourselves", "y'all"})
FIRST_PLURAL = frozenset({"we", "us", "our", "ours", "ourselves"})
MALE_PRONOUNS = frozenset({"he", "him", "his", "himself"})
FEMALE_PRONOUNS = frozenset({"she", "her", "hers", "herself"})
THIRD_PERSON = MALE_PRONOUNS | FEMALE_PRONOUNS
REFLEXIVES = frozenset({"himself", "herself", "myself", "yourself"})
POSSESSIVES = frozenset({"his", "her", "hers", "my", "mine", "your", "yours"})
# Person nouns: their gender, when a reference to a third party ("that guy").
PERSON_NOUNS: dict[str, str] = {
    "guy": "male",
    "man": "male",
    "boy": "male",
    "dude": "male",
    "gentleman": "male",
    "woman": "female",
    "girl": "female",
    "lady": "female",
    "kid": "unknown",
    "baby": "unknown",
    "person": "unknown",
}
# Terms used to call someone: vocative → the addressee.
TERMS_OF_ADDRESS = frozenset(
    set(ADDRESS_TERMS)
    | {
        "man",
        "buddy",
        "dude",
        "pal",
        "bro",
        "sis",
        "sweetie",
        "sweetheart",
        "hon",
        "missy",
        "mister",
        "kid",
        "boy",
        "girl",
        "lady",
        "guys",
        "son",
        "young man",
    }
)
_TERM_FIRST_WORDS = frozenset(t.split(" ")[0] for t in TERMS_OF_ADDRESS if " " in t)
# Words that may open a line before a vocative: "Hey, Min-jae", "Thanks Ross".
GREETINGS = frozenset(
    {
        "hey",
        "hi",
        "hello",
        "oh",
        "ah",
        "bye",
        "goodbye",
        "thanks",
        "thank",
        "yo",
        "okay",
        "ok",
        "well",
        "so",
        "and",
        "but",
        "listen",
        "look",
        "please",
        "sorry",
        "morning",
        "night",
        "goodnight",
        "c'mon",
        "come",
        "on",
        "dear",
        "wow",
        "yes",
        "no",
        "yeah",
        "right",
        "see",
        "congratulations",
        "welcome",
    }
)
_CALL_AFTER = frozenset({"it", "sure"})
_KNOW_WHAT = frozenset({"know", "y'know", "guess"})
_NOT_BEFORE_CALL = frozenset(
    {"is", "was", "isn't", "wasn't", "n't", "be", "been", "call", "calls", "called", "calling"}
    | {"name", "names", "named", "naming", "make", "makes", "made", "making"}
)
_LEFT_PUNCT = frozenset(",.!?;:…—–-\"“”'‘’([")
_RIGHT_PUNCT = frozenset(",.!?;:…—–-\"“”'‘’)]")
_GENDERED_TITLES = {
    "mr": "male",
    "mrs": "female",
    "ms": "female",
    "miss": "female",
    "uncle": "male",
    "aunt": "female",
    "auntie": "female",
    "grandpa": "male",
    "grandma": "female",
    "grandfather": "male",
    "grandmother": "female",
}
_PARTICLES = frozenset({"ah", "a", "ya", "yah", "아", "야"})
_ROLE_WEIGHT = {"lead": 4.0, "second-lead": 3.0, "supporting": 2.0, "minor": 1.0}

# A word: letters/digits with inner apostrophes and hyphens ("I'm", "Hye-won-ah", "민재야").
_CLITIC = re.compile(r"['’][A-Za-z]{1,2}|n['’]t", re.I)  # 're 's 'll 'm 'd 've n't
_WORD = re.compile(r"[^\W_](?:[\w'’\-‐]*[^\W_])?")
_TOKEN = re.compile(r"[^\W_](?:[\w'’\-‐]*[^\W_])?|['’][A-Za-z]{1,2}\b|[^\w\s]")


class Token(NamedTuple):
    """A token of :func:`tokenize`: ``[start, end)`` source offsets and its text."""

    start: int
    end: int
    text: str

    @property
    def is_word(self) -> bool:
        return _is_word(self.text)

    @property
    def lower(self) -> str:
        return _lower(self.text)


@lru_cache(maxsize=1 << 16)
def _is_word(text: str) -> bool:
    return bool(_WORD.fullmatch(text)) or bool(_CLITIC.fullmatch(text))


@lru_cache(maxsize=1 << 16)
def _lower(text: str) -> str:
    return fold(text).replace("’", "'")


_CONTRACTION = re.compile(r"^(.+?)(n['’]t|['’](?:s|re|m|ll|ve|d))$", re.I)


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Words (with inner apostrophes/hyphens) and single punctuation marks, with offsets.

    Contractions and possessives are split as a treebank does: ``You're`` → ``You`` +
    ``'re``, ``don't`` → ``do`` + ``n't``, ``Ju Gyeong's`` → ``Gyeong`` + ``'s``.
    """
    return list(_tokenize(text, offset))


@lru_cache(maxsize=1 << 14)
def _tokenize(text: str, offset: int) -> tuple[Token, ...]:
    # The stages tokenize the same lines many times: the result is cached (immutable).
    # Every match is made a token in one pass; only a match with an apostrophe can be a
    # contraction, split afterwards as _tokenize_plain splits it (checked against it in
    # tests/test_who_is_who_fast.py).
    new = tuple.__new__  # Token(...) without the generated __new__'s extra call
    toks = [
        new(Token, (m.start() + offset, m.end() + offset, m.group())) for m in _TOKEN.finditer(text)
    ]
    if "'" not in text and "’" not in text:
        return tuple(toks)
    for i in reversed([i for i, t in enumerate(toks) if "'" in t[2] or "’" in t[2]]):
        a, _, word = toks[i]
        c = _CONTRACTION.match(word)
        if c and _WORD.fullmatch(c.group(1)):
            k = len(c.group(1))
            toks[i : i + 1] = [
                new(Token, (a, a + k, word[:k])),
                new(Token, (a + k, a + len(word), word[k:])),
            ]
    return tuple(toks)


def _tokenize_plain(text: str, offset: int) -> tuple[Token, ...]:
    out: list[Token] = []
    append = out.append
    new = tuple.__new__  # Token(...) without the generated __new__'s extra call
    for m in _TOKEN.finditer(text):
        a, word = m.start() + offset, m.group()
        if "'" in word or "’" in word:  # only then can it be a contraction
            c = _CONTRACTION.match(word)
            if c and _WORD.fullmatch(c.group(1)):
                k = len(c.group(1))
                append(new(Token, (a, a + k, word[:k])))
                append(new(Token, (a + k, a + len(word), word[k:])))
                continue
        append(new(Token, (a, a + len(word), word)))
    return tuple(out)


def _within(text: str, offset: int, outer: str, outer_offset: int) -> tuple[int, int] | None:
    """The source offsets ``[a, b)`` of ``text`` without its surrounding spaces, when that
    is a stretch of ``outer`` (at ``outer_offset``) with a space or an end of ``outer``
    on either side, else None. Spaces are in no token, so such a stretch is tokenized
    as ``outer`` is there (and its spaces around have no tokens)."""
    s = text.strip()
    if not s:
        return None
    k = offset + (len(text) - len(text.lstrip())) - outer_offset
    e = k + len(s)
    n = len(outer)
    if (
        k < 0
        or e > n
        or (k > 0 and not outer[k - 1].isspace())
        or (e < n and not outer[e].isspace())
        or outer[k:e] != s
    ):
        return None
    return k + outer_offset, e + outer_offset


def tokens_inside(text: str, offset: int, outer: str, outer_offset: int) -> list[Token]:
    """``tokenize(text, offset)`` for a stretch of ``outer``: the tokens of ``outer``
    there when :func:`_within` allows (checked against tokenize in the tests)."""
    got = _within(text, offset, outer, outer_offset)
    if got is None:
        return tokenize(text, offset)
    toks = _tokenize(outer, outer_offset)
    a, b = got
    i = bisect.bisect_left(toks, a, key=_token_start)
    j = bisect.bisect_left(toks, b, lo=i, key=_token_start)
    return list(toks[i:j])


def _token_start(t: Token) -> int:
    return t[0]


_POSSESSIVE_END = re.compile(r"['’]s$|['’]$")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1 << 16)
def _normalise(surface: str) -> tuple[str, str | None]:
    """Folded surface without dots, possessive, suffix and title; and the title found."""
    s = surface.strip().strip('"“”‘’!?,;:')
    s = _POSSESSIVE_END.sub("", s)
    s, _suffix = strip_suffixes(s)
    s, title = strip_title(s)
    s = fold(s).replace(".", " ")
    s = _SPACES.sub(" ", s).strip()
    return s, title


def _titled_key(surface: str) -> str:
    """A name with its title, folded, without dots or a suffix: ``Manager Park-ssi`` →
    ``manager park``."""
    s = strip_suffixes(_POSSESSIVE_END.sub("", surface.strip().strip('"“”‘’!?,;:')))[0]
    return _SPACES.sub(" ", fold(s).replace(".", " ")).strip()


def _is_descriptive(name: str) -> bool:
    """``Chandler's date``, ``Man 1``: a role description, only matched as a whole."""
    words = name.split()
    return (
        "'" in name
        or "’" in name
        or any(w[:1].islower() for w in words[1:])
        or any(w.isdigit() for w in words)
        or " and " in name
        or "," in name
    )


# --------------------------------------------------------------------------- the index


class CharacterIndex(Protocol):
    """What the dialogue stages need to know about the people of a document."""

    def candidates(self, surface: str) -> list[str]: ...

    def lookup(self, surface: str, prefer: Sequence[str] = ()) -> str | None: ...

    def gender(self, character_id: str) -> str: ...

    def find_names(self, text: str, offset: int = 0) -> list[NameHit]: ...


@dataclass(frozen=True, slots=True)
class NameHit:
    """A name found in a text: ``[start, end)`` offsets, the surface, candidate ids."""

    start: int
    end: int
    surface: str
    ids: tuple[str, ...]
    suffix: str | None = None  # the honorific / vocative particle written after it


@dataclass(slots=True)
class _Entry:
    id: str
    name: str
    gender: str
    prominence: float
    given: set[str] = field(default_factory=set)  # folded given names / first words


class NameIndex:
    """A :class:`CharacterIndex` over a list of characters (see the module docstring)."""

    def __init__(self, entries: Iterable[tuple[str, str, Sequence[str], str, float]]) -> None:
        self._entries: dict[str, _Entry] = {}
        self._tiers: list[dict[str, set[str]]] = [{} for _ in range(4)]
        self._max_words = 1
        # titled aliases as written ("manager park" -> ids): a titled name one character
        # bears exactly is that character, not the others of its surname
        self._titled: dict[str, set[str]] = {}
        for cid, name, aliases, gender, prominence in entries:
            entry = _Entry(cid, name, gender, prominence)
            self._entries[cid] = entry
            for alias in {name, *aliases}:
                self._add_alias(entry, alias)
        # Memos. Results that depend on genders (a gendered title) or prominence (the
        # order of several candidates) are kept per index; the name scan of a text
        # depends on the names alone and is shared by every index with the same names
        # (each stage builds its own index of the same characters: see _scans()).
        self._names_key: tuple[object, ...] | None = None
        self._shared: _Shared | None = None
        self._candidates_memo: dict[str, list[str]] = {}
        self._hits_memo: dict[tuple[str, int], list[NameHit]] = {}
        self._calls_memo: dict[tuple[str, int], list[_Call]] = {}
        self._role_words: frozenset[str] | None = None

    @classmethod
    def from_characters(cls, characters: Iterable[Character]) -> NameIndex:
        return cls((c.id, c.name, c.aliases, c.gender, _prominence(c)) for c in characters)

    @classmethod
    def from_document(cls, doc: Document) -> NameIndex:
        return cls.from_characters(doc.characters)

    # -- building
    def _put(self, tier: int, key: str, cid: str) -> None:
        if key:
            self._tiers[tier].setdefault(key, set()).add(cid)

    def _add_alias(self, entry: _Entry, alias: str) -> None:
        norm, _title = _normalise(alias)
        if not norm:
            return
        if _title:
            self._titled.setdefault(_titled_key(alias), set()).add(entry.id)
        self._max_words = max(self._max_words, len(norm.split()))
        self._put(0, norm, entry.id)
        if _is_descriptive(alias):
            return
        if re.search(r"[a-z]", norm):
            self._put(1, roman_key(norm), entry.id)
        bare, _ = strip_title(strip_suffixes(alias)[0])
        parts = split_name(bare)
        words = norm.split()
        if parts.surname and parts.given:
            given = fold(parts.given)
            self._put(2, given, entry.id)
            self._put(2, roman_key(given), entry.id)
            self._put(3, parts.surname, entry.id)
            entry.given.add(roman_key(given))
        elif len(words) >= 2:
            self._put(2, words[0], entry.id)
            self._put(3, words[-1], entry.id)
            entry.given.add(words[0])
        else:
            entry.given.add(words[0])

    # -- querying
    @property
    def ids(self) -> list[str]:
        return list(self._entries)

    def gender(self, character_id: str) -> str:
        e = self._entries.get(character_id)
        return e.gender if e else "unknown"

    def set_gender(self, character_id: str, gender: str) -> None:
        if character_id in self._entries:
            self._entries[character_id].gender = gender
            self._candidates_memo.clear()
            self._calls_memo.clear()

    def role_words(self) -> frozenset[str]:
        """The characters' names in lower case without a leading "the" ("director" for
        "The Director"): the words coref's role nouns can be."""
        if self._role_words is None:
            self._role_words = frozenset(
                re.sub(r"^the\s+", "", e.name.strip().lower())
                for e in self._entries.values()
                if e.name
            )
        return self._role_words

    def name(self, character_id: str) -> str | None:
        e = self._entries.get(character_id)
        return e.name if e else None

    def prominence(self, character_id: str) -> float:
        e = self._entries.get(character_id)
        return e.prominence if e else 0.0

    def candidates(self, surface: str) -> list[str]:
        got = self._candidates_memo.get(surface)
        if got is None:
            got = self._candidates_memo[surface] = self._candidates(surface)
        return list(got)

    def _candidates(self, surface: str) -> list[str]:
        shared = self._scans().tiers
        got = shared.get(surface)
        if got is None:
            got = shared[surface] = self._candidate_tiers(surface)
        title, tiers = got
        if not tiers:
            return []
        want = _GENDERED_TITLES.get(title or "")
        found: set[str] = set()
        for tier in tiers:
            # a gendered title ("Mrs. Geller") keeps only characters of that gender
            found = {c for c in tier if not want or self.gender(c) in (want, "unknown")}
            if found:
                break
        # most prominent first; at equal prominence, the one whose name is the surface as
        # written ("Roger" before "Mr. Roger")
        written = fold(surface).strip()
        return sorted(
            found,
            key=lambda c: (-self.prominence(c), fold(self._entries[c].name) != written, c),
        )

    def _candidate_tiers(self, surface: str) -> tuple[str | None, tuple[frozenset[str], ...]]:
        """The title and the candidate tiers of ``surface`` (names alone decide them)."""
        norm, title = _normalise(surface)
        if not norm:
            return title, ()
        latin = bool(re.search(r"[a-z]", norm))
        rkey = roman_key(norm) if latin else norm
        tiers: list[set[str]] = [
            self._tiers[0].get(norm, set()),
            self._tiers[1].get(rkey, set()) if latin else set(),
            self._tiers[2].get(norm, set()) | self._tiers[2].get(rkey, set()),
            self._tiers[3].get(norm, set()),
        ]
        if surface.strip()[:1].isupper() and " " not in norm and norm not in _STOP_NAMES:
            tiers.extend(self._nickname(norm))
        return title, tuple(frozenset(t) for t in tiers)

    def _nickname(self, word: str) -> tuple[set[str], set[str]]:
        """Characters whose given name ``word`` shortens: (exact prefixes, prefixes with one
        changed letter). The exact ones come first: "Pete" is Peter before Petrie."""
        exact: set[str] = set()
        fuzzy: set[str] = set()
        if len(word) < 3 or not word.isalpha():
            return exact, fuzzy
        stems = {word}
        for end in ("sy", "s", "y", "ie", "ey"):
            if word.endswith(end) and len(word) - len(end) >= 3:
                stems.add(word[: -len(end)])
        for e in self._entries.values():
            for given in e.given:
                for stem in stems:
                    short = len(given) - len(stem)
                    if short <= 0:
                        continue
                    head = given[: len(stem)]
                    # a bare word one letter short of the name counts only as it is
                    # written and from four letters on ("Pete"; not "Help" for Helen)
                    if stem == word and short == 1:
                        if head == stem and len(stem) >= 4:
                            exact.add(e.id)
                    elif head == stem:
                        exact.add(e.id)
                    elif len(stem) >= 4 and edit_distance(head, stem, 1) <= 1:
                        fuzzy.add(e.id)
        return exact, fuzzy

    def lookup(self, surface: str, prefer: Sequence[str] = ()) -> str | None:
        """The one character ``surface`` names, or None when unknown or ambiguous.

        Several candidates: the first of ``prefer`` among them, else the most prominent
        one; a bare surname shared by several characters ("Geller") stays ambiguous.
        """
        cands = self.candidates(surface)
        if not cands:
            return None
        for p in prefer:
            if p in cands:
                return p
        if len(cands) > 1 and self._surname_only(surface):
            return None
        return cands[0]

    def _surname_only(self, surface: str) -> bool:
        norm, _title = _normalise(surface)
        return not any(norm in self._tiers[t] for t in range(3)) and norm in self._tiers[3]

    def find_names(self, text: str, offset: int = 0) -> list[NameHit]:
        """Known names in ``text`` (longest match first; Latin names must be capitalised)."""
        got = self._hits_memo.get((text, offset))
        if got is None:
            scans = self._scans().names
            raw = scans.get((text, offset))
            if raw is None:
                raw = scans[(text, offset)] = self._scan_names(text, offset)
            got = [
                NameHit(a, b, surface, self._ordered(ids, surface), suffix)
                for a, b, surface, ids, suffix in raw
            ]
            self._hits_memo[(text, offset)] = got
        return list(got)

    def find_names_inside(
        self, text: str, offset: int, outer: str, outer_offset: int
    ) -> list[NameHit]:
        """:meth:`find_names` of ``text``, a stretch of ``outer`` (a sentence of a line),
        taken from the scan of ``outer`` when no name found there crosses the stretch's
        ends: bounded by spaces (see :func:`_within`), the stretch has the words of
        ``outer`` there, and a scan of it finds the names a scan of ``outer`` finds
        inside it (a longer run that crossed an end found nothing, else it would be
        such a name). Otherwise it is scanned on its own. (Checked against
        :meth:`find_names` in tests/test_who_is_who_fast.py.)"""
        key = (text, offset)
        if key not in self._hits_memo:
            scans = self._scans().names
            if key not in scans:
                got = _within(text, offset, outer, outer_offset)
                if got is not None:
                    okey = (outer, outer_offset)
                    raw = scans.get(okey)
                    if raw is None:
                        raw = scans[okey] = self._scan_names(outer, outer_offset)
                    a, b = got
                    if not any(x < a < y or x < b < y for x, y, *_ in raw):
                        scans[key] = [h for h in raw if a <= h[0] and h[1] <= b]
        return self.find_names(text, offset)

    def find_names_as(self, text: str, offset: int, same: str, same_offset: int) -> list[NameHit]:
        """:meth:`find_names` of ``text``, taken from the scan of ``same`` (at
        ``same_offset``) moved to ``offset`` when that scan is made already and the two are
        the same text but for spaces around it (which have no tokens). (Checked against
        :meth:`find_names` in tests/test_who_is_who_fast.py.)"""
        key = (text, offset)
        if key not in self._hits_memo:
            scans = self._scans().names
            if key not in scans:
                s = text.strip()
                raw = scans.get((same, same_offset))
                if raw is not None and s and s == same.strip():
                    d = offset + len(text) - len(text.lstrip())
                    d -= same_offset + len(same) - len(same.lstrip())
                    scans[key] = [(a + d, b + d, w, ids, suf) for a, b, w, ids, suf in raw]
        return self.find_names(text, offset)

    def names_key(self) -> tuple[object, ...]:
        """What the name scan depends on: the match keys and given names (not genders or
        prominence). Two indexes with the same key find the same names in a text."""
        if self._names_key is None:
            self._names_key = (
                self._max_words,
                tuple(
                    tuple(sorted((k, tuple(sorted(v))) for k, v in t.items())) for t in self._tiers
                ),
                tuple(sorted((e.id, tuple(sorted(e.given))) for e in self._entries.values())),
            )
        return self._names_key

    def _scans(self) -> _Shared:
        if self._shared is None:
            self._shared = _shared(self.names_key())
        return self._shared

    def _ordered(self, ids: tuple[str, ...], surface: str | None = None) -> tuple[str, ...]:
        if len(ids) < 2:
            return ids
        if surface is not None and self._titled:
            exact = self._titled.get(_titled_key(surface))
            if exact and len(exact) < len(ids) and exact <= set(ids):
                ids = tuple(c for c in ids if c in exact)
                if len(ids) < 2:
                    return ids
        return tuple(sorted(ids, key=lambda c: (-self.prominence(c), c)))

    def _scan_names(
        self, text: str, offset: int
    ) -> list[tuple[int, int, str, tuple[str, ...], str | None]]:
        # The loop of _scan_names_plain from its capitalised words only (a hit starts at
        # one); a word token is one of more than one character or an alphanumeric one
        # (the others are single punctuation marks): Token.is_word without its call per
        # token. Checked against _scan_names_plain in tests/test_who_is_who_fast.py.
        words = [t for t in _tokenize(text, offset) if len(t[2]) > 1 or t[2].isalnum()]
        caps = [
            k
            for k, t in enumerate(words)
            if (c := t[2][0]).isupper() or not c.isascii() and not c.islower()
        ]
        if not caps:
            return []
        exact = self._scans().exact
        hits: list[tuple[int, int, str, tuple[str, ...], str | None]] = []
        nw = len(words)
        max_span = self._max_words + 1
        after = 0  # the first word index not inside a hit
        for i in caps:
            if i < after:
                continue
            first = words[i]
            # the longest run of words from i with no gap of more than two characters
            # (nor a line break) between them: longer spans cannot be one name
            limit = min(max_span, nw - i)
            span = 1
            while span < limit:
                a, b = words[i + span - 1], words[i + span]
                if b[0] - a[1] > 2 or "\n" in text[a[1] - offset : b[0] - offset]:
                    break
                span += 1
            for n in range(span, 0, -1):
                last = words[i + n - 1]
                if n > 1 and not _capitalised(last[2].split("-")[0]):
                    continue  # (one word: capitalised, as its first letter is)
                surface = text[first[0] - offset : last[1] - offset]
                ids = exact.get(surface)
                if ids is None:
                    ids = exact[surface] = tuple(sorted(self._exact_or_roman(surface)))
                if ids:
                    hits.append((first[0], last[1], surface, ids, _suffix_of(surface)))
                    after = i + n
                    break
        return hits

    def _scan_names_plain(
        self, text: str, offset: int
    ) -> list[tuple[int, int, str, tuple[str, ...], str | None]]:
        words = [t for t in tokenize(text, offset) if t.is_word]
        exact = self._scans().exact
        hits: list[tuple[int, int, str, tuple[str, ...], str | None]] = []
        nw = len(words)
        i = 0
        while i < nw:
            first = words[i]
            if not _capitalised(first.text):
                i += 1
                continue
            # the longest run of words from i with no gap of more than two characters
            # (nor a line break) between them: longer spans cannot be one name
            limit = min(self._max_words + 1, nw - i)
            span = 1
            while span < limit:
                a, b = words[i + span - 1], words[i + span]
                if b.start - a.end > 2 or "\n" in text[a.end - offset : b.start - offset]:
                    break
                span += 1
            hit = None
            for n in range(span, 0, -1):
                last = words[i + n - 1]
                if not _capitalised(last.text.split("-")[0]):
                    continue
                surface = text[first.start - offset : last.end - offset]
                ids = exact.get(surface)
                if ids is None:
                    ids = exact[surface] = tuple(sorted(self._exact_or_roman(surface)))
                if ids:
                    hit = (first.start, last.end, surface, ids, _suffix_of(surface))
                    i += n
                    break
            if hit:
                hits.append(hit)
            else:
                i += 1
        return hits

    def vocative_calls(self, text: str, offset: int = 0) -> list[_Call]:
        """The vocative candidates of :func:`find_vocatives` in ``text``, before the
        caller's ``prefer`` / ``exclude`` (memoised; the scan is shared, see names_key)."""
        got = self._calls_memo.get((text, offset))
        if got is None:
            raws = self._scans().calls
            raw = raws.get((text, offset))
            if raw is None:
                raw = raws[(text, offset)] = _vocative_spans(text, self, offset)
            got = [
                (
                    a,
                    b,
                    self._ordered(ids, text[a - offset : b - offset])
                    if bare is None
                    else tuple(self.candidates(bare)),
                    term,
                )
                for a, b, ids, term, bare in raw
            ]
            self._calls_memo[(text, offset)] = got
        return got

    def _exact_or_roman(self, surface: str) -> set[str]:
        norm, title = _normalise(surface)
        if not norm or norm in _STOP_NAMES:
            return set()
        found = set(self._tiers[0].get(norm, ()))
        if not found and _LATIN_LOWER.search(norm):
            found = set(self._tiers[1].get(roman_key(norm), ()))
        if not found:
            found = set(self._tiers[2].get(norm, ()))
        if not found and title:
            found = set(self._tiers[3].get(norm, ()))
        return found


# Frequent English words: never read as a name (or a nickname) on their own, whatever the
# aliases say ("You" is not "Young Ethan", "How" is not "Howard", "Wait" is not "Waiter").
_STOP_WORDS = """
    a about after again all also am an and any are as at away back be because been before
    being best better big boy but by bye can car come could day did do does don done down
    each else er erm even ever every fine first for from fun get girl give go god going
    good got great guy had has have he hello her here hey hi him his hm hmm home honey how
    huh i if in is it its just keep know last let like listen little look lot make man many
    may maybe me mine more most much must my never new next nice no not nothing now of off
    oh ok okay old on once one only ooh or other our out over please really right said same
    say see she should so some something sorry still stop such sure take tell than thank
    thanks that the their them then there these they thing think this those though time to
    today together too uh um up us very wait want was way we well were what when where
    which while who whoa why will wish with would wow yeah yes yet you young your
"""
_STOP_NAMES = frozenset(_STOP_WORDS.split())


# The scans of recent indexes (see NameIndex.names_key), shared by indexes of the same names.
@dataclass(slots=True)
class _Shared:
    names: dict[tuple[str, int], list[tuple[int, int, str, tuple[str, ...], str | None]]] = field(
        default_factory=dict
    )  # text, offset → raw name hits
    exact: dict[str, tuple[str, ...]] = field(default_factory=dict)  # surface → ids
    tiers: dict[str, tuple[str | None, tuple[frozenset[str], ...]]] = field(
        default_factory=dict
    )  # surface → title, candidate tiers
    calls: dict[tuple[str, int], list[tuple[int, int, tuple[str, ...], bool, str | None]]] = field(
        default_factory=dict
    )  # text, offset → raw vocatives


_SHARED: dict[tuple[object, ...], _Shared] = {}
_SHARED_KEPT = 4


@lru_cache(maxsize=4)
def line_index(text: str) -> LineIndex:
    """``LineIndex(text)``, made once for the stages that each map a document's offsets
    to lines (read only)."""
    return LineIndex(text)


def clear_caches() -> None:
    """Forget the per-text caches (tokens, name and vocative scans). Benchmarks call it
    between repeated runs over the same text, which the caches would otherwise make
    cheaper than a first run."""
    _tokenize.cache_clear()
    _content_span.cache_clear()
    line_index.cache_clear()
    _SHARED.clear()


def _shared(key: tuple[object, ...]) -> _Shared:
    got = _SHARED.pop(key, None)
    if got is None:
        got = _Shared()
        while len(_SHARED) >= _SHARED_KEPT:
            del _SHARED[next(iter(_SHARED))]  # the least recently used
    _SHARED[key] = got
    return got


def _capitalised(word: str) -> bool:
    c = word[:1]
    return bool(c) and (c.isupper() or not c.isascii() and not c.islower())


_LATIN_LOWER = re.compile(r"[a-z]")
_POSSESSIVE_S = re.compile(r"['’]s$")


def _suffix_of(surface: str) -> str | None:
    return strip_suffixes(_POSSESSIVE_S.sub("", surface))[1]


def _prominence(c: Character) -> float:
    base = float(c.attrs.get("prominence", 0.0)) if isinstance(c.attrs, dict) else 0.0
    return base + _ROLE_WEIGHT.get(c.role, 0.0) + math.log1p(len(c.mentions)) / 10


# ------------------------------------------------------------------------------ vocatives


@dataclass(frozen=True, slots=True)
class Vocative:
    """Someone called in a line: ``character_id`` is None for a bare term ("honey")."""

    start: int
    end: int
    surface: str
    character_id: str | None
    term: bool = False


def find_vocatives(
    text: str,
    index: CharacterIndex | None,
    offset: int = 0,
    prefer: Sequence[str] = (),
    exclude: str | None = None,
) -> list[Vocative]:
    """Names and terms of address used to call someone in a spoken line.

    A name is vocative when it carries a vocative particle (``-ah``, ``-ya``, ``아``,
    ``야``), or when it stands between boundaries: the line start, punctuation or a
    greeting word ("Hey", "Thanks", "Oh") on its left, and punctuation or the line end on
    its right ("Ross, you...", "..., Marcel, please", "I like you, Hye-won."); "it",
    "sure" and "know what" also open a call ("Admit it Ross,", "Sure Pheebs,", "You know
    what Rach,"; not "Is it Ross?" or "calling it Zoe"). Honorific
    suffixes (``-ssi``, ``oppa``, ``sunbae``) count with the boundary test only, since
    "Seo Jun-ssi is late" talks about Seo Jun. A name after a possessed relation noun and
    a comma ("my sister, So-ra", "our boss, Mr. Kang") is an apposition that introduces
    that person, not a call. ``exclude`` (the speaker) is never the person called.
    """
    if isinstance(index, NameIndex):
        calls = index.vocative_calls(text, offset)
    else:
        calls = [
            (a, b, ids if bare is None else tuple(index.candidates(bare)), term)  # type: ignore[union-attr]
            for a, b, ids, term, bare in _vocative_spans(text, index, offset)
        ]
    out: list[Vocative] = []
    for start, end, ids, term in calls:
        cid = _pick(ids, prefer)
        if cid is not None and cid == exclude:
            continue
        out.append(Vocative(start, end, text[start - offset : end - offset], cid, term))
    return out


# (start, end, candidate ids, term) of a vocative before prefer / exclude.
_Call = tuple[int, int, tuple[str, ...], bool]


def _vocative_spans(
    text: str, index: CharacterIndex | None, offset: int
) -> list[tuple[int, int, tuple[str, ...], bool, str | None]]:
    """(start, end, ids, term, bare) of every vocative in ``text``, in order: ``ids`` of a
    known name (as :meth:`NameIndex.find_names` orders them); ``bare`` is the surface
    whose :meth:`~CharacterIndex.candidates` give the ids of a nickname or given name."""
    tokens = tokenize(text, offset)
    hits = index.find_names(text, offset) if index is not None else []
    spans: list[tuple[int, int, tuple[str, ...], bool, str | None, str | None]] = []
    for h in hits:
        spans.append((h.start, h.end, h.ids, False, h.suffix, None))
    taken = sorted((h.start, h.end) for h in hits)  # by start: a pointer walks them
    k = 0
    nt = len(taken)
    for i, t in enumerate(tokens):
        tx = t[2]
        if len(tx) == 1 and not tx.isalnum():
            continue  # not a word (Token.is_word without its call, as in _scan_names)
        if k < nt:
            while k < nt and taken[k][1] <= t[0]:
                k += 1
            if k < nt and taken[k][0] <= t[0]:
                continue  # inside a name found above
        low = _lower(tx)
        two = ""
        if low in _TERM_FIRST_WORDS and i + 1 < len(tokens):
            two = f"{low} {tokens[i + 1].lower}"
        if two in TERMS_OF_ADDRESS:
            spans.append((t.start, tokens[i + 1].end, (), True, None, None))
        elif low in TERMS_OF_ADDRESS:
            spans.append((t.start, t.end, (), True, None, None))
        elif (
            index is not None
            and t.text[:1].isupper()
            and low not in GREETINGS
            and low not in _STOP_NAMES
        ):
            # a nickname or given name the exact scan did not see ("Rach", "Phoebs")
            bare, suffix = strip_suffixes(t.text)
            cands = index.candidates(bare) if len(bare) >= 3 else []
            if cands and (suffix or _at_boundaries(tokens, i, i)):
                spans.append((t.start, t.end, (), False, suffix, bare))
    if not spans:
        return []
    starts = [t.start for t in tokens]
    ends = [t.end for t in tokens]
    out: list[tuple[int, int, tuple[str, ...], bool, str | None]] = []
    for start, end, ids, term, suffix, bare in sorted(spans, key=lambda x: (x[0], x[1])):
        i = bisect.bisect_left(starts, start)  # the first token at or after start
        j = bisect.bisect_right(ends, end) - 1 if end > start else i  # the last inside
        if (
            not term
            and bare is None
            and j + 1 < len(tokens)
            and tokens[j + 1].lower in _SPACED_HONORIFICS
            and tokens[j + 1].start == tokens[j].end + 1
        ):
            j += 1  # "Jun-ho oppa!": the name with its spaced honorific
            end = tokens[j].end
        particle = suffix in _PARTICLES
        if not (particle or _at_boundaries(tokens, i, j)):
            continue
        out.append((start, end, ids, term, bare))
    return out


def _pick(ids: Sequence[str], prefer: Sequence[str]) -> str | None:
    for p in prefer:
        if p in ids:
            return p
    return ids[0] if ids else None


def _at_boundaries(tokens: list[Token], i: int, j: int) -> bool:
    left_ok = i == 0 or tokens[i - 1].text in _LEFT_PUNCT
    if not left_ok and tokens[i - 1].is_word and tokens[i - 1].lower in GREETINGS:
        k = i - 1
        while k > 0 and tokens[k - 1].is_word and tokens[k - 1].lower in GREETINGS:
            k -= 1
        left_ok = k == 0 or tokens[k - 1].text in _LEFT_PUNCT
        # "Thank you Ross": a greeting followed by "you"
    if not left_ok and i >= 2 and tokens[i - 1].lower == "you" and tokens[i - 2].lower == "thank":
        left_ok = True
    # "Just admit it Chandler, ...", "Sure Pheebs, ...", "You know what Rach, ...": no noun
    # phrase follows "it", "sure" or "know what" in speech, so a name there (closed by
    # punctuation) is called; not after "is it", "call it" ("Is it Ross?", "call it Zoe.")
    before = tokens[i - 2].lower if i >= 2 else ""
    if not left_ok and i >= 1:
        prev = tokens[i - 1].lower
        left_ok = (prev in _CALL_AFTER and before not in _NOT_BEFORE_CALL) or (
            prev == "what" and before in _KNOW_WHAT
        )
    right_ok = j + 1 >= len(tokens) or tokens[j + 1].text in _RIGHT_PUNCT
    if (
        left_ok
        and i >= 3
        and tokens[i - 1].text == ","
        and tokens[i - 2].lower in _APPOSITION_NOUNS
        and (
            tokens[i - 3].lower in _POSSESSIVE_DETERMINERS
            or (  # "our new boss, Dae-ho"
                i >= 4
                and tokens[i - 4].lower in _POSSESSIVE_DETERMINERS
                and tokens[i - 3].text.isalpha()
                and tokens[i - 3].text.islower()
            )
        )
    ):
        return False  # "My sister, So-ra.": an apposition that introduces, not a call
    return left_ok and right_ok


# Honorific and kinship words written after a name with a space ("Jun-ho oppa",
# "Min-ji sunbae"); not those that are also names or common words ("Yang", "Gun").
_SPACED_HONORIFICS = frozenset(HONORIFIC_SUFFIXES) - {"gun", "yang", "saem", "nim", "shi", "chingu"}
_POSSESSIVE_DETERMINERS = frozenset({"my", "our", "his", "her", "their", "your"})
# Relations a name is introduced by ("my sister, So-ra", "our new boss, Mr. Kang").
_APPOSITION_NOUNS = frozenset(
    [
        "mother",
        "father",
        "mom",
        "dad",
        "mum",
        "sister",
        "brother",
        "son",
        "daughter",
        "wife",
        "husband",
        "girlfriend",
        "boyfriend",
        "friend",
        "classmate",
        "boss",
        "colleague",
        "grandmother",
        "grandfather",
        "grandma",
        "grandpa",
        "aunt",
        "uncle",
        "cousin",
        "fiance",
        "fiancee",
        "fiancé",
        "roommate",
        "partner",
        "neighbor",
        "neighbour",
        "assistant",
        "secretary",
        "niece",
        "nephew",
        "sibling",
        "stepmother",
        "stepfather",
        "stepsister",
        "stepbrother",
        "coworker",
        "co-worker",
    ]
)


# ------------------------------------------------------------------- reference resolution

SPOKEN_KINDS = frozenset({ElementKind.DIALOGUE, ElementKind.SUBTITLE})


@dataclass(slots=True)
class Reference:
    """One resolved (or deliberately unresolved) mention inside a spoken line."""

    mention: Mention
    rule: str
    element: Element


def content_span(doc: Document, el: Element) -> tuple[int, int]:
    """``[start, end)`` source offsets of what is said, without a speaker label.

    A subtitle's span covers ``HYE-WON: Min-jae-ya!``; its words start after the label.
    The element's cleaned text is looked up in its raw source; when markup or joined
    lines hide it, a leading ``LABEL:`` naming the speaker is skipped instead.
    """
    # Cached: every stage asks it of every line (the key is all the answer depends on).
    return _content_span(doc.source_text, el.span.start_char, el.span.end_char, el.text, el.speaker)


@lru_cache(maxsize=1 << 15)
def _content_span(
    source: str, a: int, b: int, el_text: str, speaker: str | None
) -> tuple[int, int]:
    raw = source[a:b]
    text = el_text.strip()
    if text:
        k = raw.find(text)
        if k >= 0:
            return a + k, a + k + len(text)
    if speaker:
        m = re.match(r"\s*(?:<[^>]*>\s*)*" + re.escape(speaker) + r"\s*:\s*", raw, re.I)
        if m:
            return a + m.end(), b
    return a, b


def spoken_elements(doc: Document) -> list[tuple[int, int, Element]]:
    """(scene index, element index, element) for every spoken line, in order."""
    return [
        (s.index, i, e)
        for s in doc.scenes
        for i, e in enumerate(s.elements)
        if e.kind in SPOKEN_KINDS
    ]


def resolve_dialogue_refs(
    doc: Document,
    index: CharacterIndex | None = None,
    mentions: Mapping[tuple[int, int], Sequence[tuple[int, int]]] | None = None,
) -> list[Reference]:
    """Resolve the person references inside every spoken line of ``doc``.

    Reads ``speaker_id`` and ``addressee_id`` of the lines (earlier stages write them).
    ``mentions`` gives, per (scene index, element index), the ``[start, end)`` source
    offsets of the mentions to resolve (the SemEval benchmark passes the gold mention
    boundaries, never their labels); without it, mentions are detected: pronouns,
    known names and vocative terms.
    """
    index = index if index is not None else NameIndex.from_document(doc)
    lines = line_index(doc.source_text)
    out: list[Reference] = []
    for scene in doc.scenes:
        history: list[tuple[int, str]] = []  # (turn number, character id), most recent last
        turn = 0
        last_speaker: str | None = None
        speakers = [e.speaker_id for e in scene.elements if e.speaker_id]
        spoke: list[str] = []  # the scene's speakers so far, most recent last
        quoting = _Quoting()
        for ei, el in enumerate(scene.elements):
            if el.kind not in SPOKEN_KINDS:
                continue
            if el.speaker_id != last_speaker:
                turn += 1
                last_speaker = el.speaker_id
                quoting.current = None  # a quotation does not run into another turn
            if mentions is not None:
                spans = list(mentions.get((scene.index, ei), ()))
            else:
                spans = _detect_mentions(doc, el, index)
            prefer = _prefer(speakers, history)
            c0, c1 = content_span(doc, el)
            text = doc.source_text[c0:c1]
            vocs = find_vocatives(text, index, c0, prefer=prefer, exclude=el.speaker_id)
            line = quoting.line(text, c0, index, prefer)
            resolved: dict[int, str | None] = {}
            for start, end in spans:
                surface = doc.source_text[start:end]
                cid, rule, conf, kind = _resolve_one(
                    surface, start, end, el, index, vocs, history, prefer, turn
                )
                if rule in ("second-person", "first-person") and line.quotes:
                    quoted = line.resolve(
                        start, rule == "first-person", el, index, history, turn, resolved, spoke
                    )
                    if quoted is not None:
                        cid, rule, conf = quoted
                resolved[start] = cid
                if (
                    cid is not None
                    and rule in ("name", "vocative")
                    or cid is not None
                    and rule == "third-person"
                ):
                    history.append((turn, cid))
                mention = Mention(
                    span=lines.span(start, end),
                    surface=surface,
                    kind=kind,
                    character_id=cid,
                    confidence=conf,
                    scene_index=scene.index,
                )
                out.append(Reference(mention, rule, el))
            line.finish(el, index, history, turn, resolved, spoke)
            if el.speaker_id:
                spoke.append(el.speaker_id)
    return out


# ------------------------------------------------------------------ quoted speech

_OPENING_QUOTES = frozenset("“„«")
_CLOSING_QUOTES = frozenset("”»")
_QUOTE_MARKS = _OPENING_QUOTES | _CLOSING_QUOTES
_SUBJECT_PRONOUNS = frozenset({"i", "he", "she", "you", "we", "they"})
_OBJECT_PRONOUNS = frozenset({"me", "him", "her", "you", "us", "them"})
_PRONOUN_GENDER = {"he": "male", "him": "male", "she": "female", "her": "female"}
# A reporting frame right before a quotation: "He said", "then she came back with",
# "she didn't say", "I told him", "he goes", "she was like", "Ross asked me".
_FRAME = re.compile(
    r"(?:^|(?<=[\s,;:.!?—–-]))"
    r"(?P<subj>(?i:i|he|she|you|we|they)|[A-Z][\w'’-]*)"
    r"(?P<aux>(?:['’](?:s|m|re|d|ll)\b)?(?:\s+(?i:just|then|actually|never|also|even|"
    r"finally|always|kept|keeps|did|does|do|didn['’]t|doesn['’]t|don['’]t|n['’]t|not|"
    r"would|will|['’]d|['’]ll|was|is|am|are|were|['’]s|['’]m|['’]re))*)"
    r"\s+(?P<verb>(?i:said|says|say|goes|go|went|asked|asks|ask|told|tells|tell|yelled|"
    r"yells|screamed|screams|shouted|shouts|wrote|writes|replied|replies|answered|"
    r"answers|whispered|whispers|came\s+back\s+with|comes\s+back\s+with|like))"
    r"(?:\s+(?i:to\s+)?(?P<obj>(?i:me|him|her|you|us|them)|[A-Z][\w'’-]*))?"
    r"(?:\s+(?i:something\s+like|like))?"
    r"[\s,:—–-]*$"
)
_AFTER_VERBS = (
    r"said|says|asked|asks|told|tells|replied|replies|answered|answers|yelled|yells|"
    r"shouted|shouts|screamed|screams|whispered|whispers|cried|cries"
)
_FRAME_AFTER = re.compile(
    r"^[\s,—–-]*(?:"
    r"(?P<subj>(?i:i|he|she|you|we|they)|[A-Z][\w'’-]*)\s+(?P<verb>(?i:" + _AFTER_VERBS + r"))"
    r"|(?P<verb2>(?i:" + _AFTER_VERBS + r"))\s+(?P<subj2>(?i:he|she)|[A-Z][\w'’-]*))"
    r"(?:\s+(?i:to\s+)?(?P<obj>(?i:me|him|her|you|us|them)|[A-Z][\w'’-]*))?"
    r"(?![\w'’-])"
)
_LOWER_FRAME = re.compile(r"^[\s,—–-]*(?:he|she|they|we|" + _AFTER_VERBS + r")\b")
# A reported exchange is read on over this many turns ("He said ..." — "She said that?").
_EXCHANGE_TURNS = 4
_BE = re.compile(r"(?i:\b(?:was|is|am|are|were)\b|['’](?:s|m|re)\b)")


def quote_spans(
    text: str, offset: int = 0, open_at_start: bool = False
) -> tuple[list[tuple[int, int, int | None]], bool]:
    """The quoted stretches of a line: ``(start, end, mark)`` source offsets of what is
    between the quotation marks (``end`` is the closing mark, or the line's end when the
    quotation runs on), ``mark`` the opening mark's offset (None for a quotation opened
    in an earlier line, when ``open_at_start``); and whether a quotation is still open
    at the end. Straight double quotes alternate; curly ones open and close."""
    if not open_at_start and '"' not in text and not _QUOTE_MARKS.intersection(text):
        return [], False
    out: list[tuple[int, int, int | None]] = []
    start: int | None = offset if open_at_start else None
    mark: int | None = None
    for i, ch in enumerate(text):
        if ch != '"' and ch not in _QUOTE_MARKS:
            continue
        if start is None:
            if ch == '"' or ch in _OPENING_QUOTES:
                start, mark = offset + i + 1, offset + i
        elif ch == '"' or ch in _CLOSING_QUOTES:
            out.append((start, offset + i, mark))
            start, mark = None, None
    if start is not None:
        out.append((start, offset + len(text), mark))
    return out, start is not None


@dataclass(slots=True)
class _Quote:
    """One quotation: whom its "you" is said to, as far as its frame or a call tells."""

    to: str | None = None  # from the reporting frame ("He told her: ...")
    who: str | None = None  # the quoted speaker, from the reporting frame
    called: str | None = None  # the last name called inside it ("Hey, Rach! ...")


@dataclass(slots=True)
class _Frame:
    subject: str  # the subject as written, folded ("he", "she", "i", a name)
    who: str | None  # the quoted speaker
    to: str | None  # the quoted speaker's addressee
    turn: int = 0  # the scene's turn where it was read


@dataclass(slots=True)
class _Stretch:
    start: int  # source offset of the first quoted character
    end: int  # source offset of the closing mark (or the line's end)
    quote: _Quote
    frame_text: str | None  # text before the opening mark (None: opened in an earlier line)
    frame_at: int  # source offset of frame_text
    after_text: str = ""  # text after the closing mark, up to the next quotation


@dataclass(slots=True)
class _QuotedLine:
    """The quotations of one spoken line and how its "you"s inside them resolve."""

    owner: _Quoting
    quotes: list[_Stretch]
    pending: list[_Stretch]  # quotations opened here whose frame is not read yet

    def _settle(
        self,
        upto: int,
        el: Element,
        index: CharacterIndex,
        history: Sequence[tuple[int, str]],
        turn: int,
        resolved: Mapping[int, str | None],
        spoke: Sequence[str],
    ) -> None:
        while self.pending and self.pending[0].start <= upto:
            q = self.pending.pop(0)
            assert q.frame_text is not None
            frame = _read_frame(q.frame_text, q.frame_at, el, index, history, turn, resolved)
            if frame is None and q.after_text:
                frame = _read_frame(
                    q.after_text, q.end + 1, el, index, history, turn, resolved, after=True
                )
            if frame is None:
                continue
            if frame.subject in ("we", "they"):
                q.quote.to = frame.to  # a group speaks: only an object tells more
                continue
            last = self.owner.frames[-1] if self.owner.frames else None
            if last is not None and turn - last.turn > _EXCHANGE_TURNS:
                last = None  # an older story
            frame.turn = turn
            if frame.to is None or frame.to == frame.who:
                frame.to = None
                if last is not None and _same_subject(frame, last):
                    frame.who, frame.to = last.who, last.to  # the same quoted speaker
                elif last is not None:
                    # a reply in a reported exchange ("He said ..., then she came back
                    # with ..."): said to the previous quoted speaker, by whom they spoke to
                    frame.to = last.who
                    if frame.who in (None, last.who):
                        frame.who = last.to
                elif frame.subject not in ("i", "you", "we", "they") and frame.who is not None:
                    # a third person quoted with no one named: the other person of the
                    # story, someone of the scene who is neither speaker nor addressee
                    frame.to = _someone_else(
                        history, spoke, {el.speaker_id, el.addressee_id, frame.who}
                    )
            if frame.to == frame.who:
                frame.to = None
            self.owner.frames.append(frame)
            q.quote.to, q.quote.who = frame.to, frame.who

    def resolve(
        self,
        start: int,
        first_person: bool,
        el: Element,
        index: CharacterIndex,
        history: Sequence[tuple[int, str]],
        turn: int,
        resolved: Mapping[int, str | None],
        spoke: Sequence[str],
    ) -> tuple[str | None, str, float] | None:
        """Whom a "you" (or, ``first_person``, an "I") at ``start`` means when it is inside a
        quotation that tells more than the line does; else None."""
        self._settle(start, el, index, history, turn, resolved, spoke)
        q = next((q for q in self.quotes if q.start <= start < q.end), None)
        if q is None:
            return None
        if first_person:
            return (q.quote.who, "quoted-speech", 0.6) if q.quote.who is not None else None
        called = q.quote.called
        for v in self.owner.calls:
            if q.start <= v.start and v.end <= start and v.character_id:
                called = v.character_id
        if called is not None:
            return called, "quoted-speech", 0.8
        if q.quote.to is not None:
            return q.quote.to, "quoted-speech", 0.6
        return None

    def finish(
        self,
        el: Element,
        index: CharacterIndex,
        history: Sequence[tuple[int, str]],
        turn: int,
        resolved: Mapping[int, str | None],
        spoke: Sequence[str],
    ) -> None:
        """Read the frames not read yet (later quotations may answer them) and carry the
        open quotation, with the last name called in it, to the turn's next line."""
        self._settle(1 << 62, el, index, history, turn, resolved, spoke)
        cur = self.owner.current
        if cur is not None:
            for v in self.owner.calls:
                if v.character_id and self.quotes and self.quotes[-1].start <= v.start:
                    cur.called = v.character_id


@dataclass(slots=True)
class _Quoting:
    """Quotation state of a scene: the quotation left open by the turn's previous line and
    the reporting frames read so far (a reported exchange alternates between speakers)."""

    current: _Quote | None = None
    frames: list[_Frame] = field(default_factory=list)
    calls: list[Vocative] = field(default_factory=list)

    def line(
        self, text: str, offset: int, index: CharacterIndex, prefer: Sequence[str]
    ) -> _QuotedLine:
        spans, still_open = quote_spans(text, offset, self.current is not None)
        stretches: list[_Stretch] = []
        frame_from = offset
        for a, b, mark in spans:
            if mark is None and self.current is not None:
                quote = self.current
                stretches.append(_Stretch(a, b, quote, None, frame_from))
            else:
                quote = _Quote()
                frame_text = text[frame_from - offset : (a if mark is None else mark) - offset]
                stretches.append(_Stretch(a, b, quote, frame_text, frame_from))
            frame_from = b + 1
        for i, q in enumerate(stretches):
            if q.end < offset + len(text):  # closed here: a frame may follow ("..." he said)
                nxt = stretches[i + 1] if i + 1 < len(stretches) else None
                stop = nxt.frame_at + len(nxt.frame_text or "") if nxt else offset + len(text)
                after = text[q.end + 1 - offset : stop - offset]
                # '"...," he said' or '"...?" she asked'; not '"...?" Ross replies, "..."',
                # a new sentence that frames the next quotation
                if text[q.start - offset : q.end - offset].rstrip().endswith(
                    ","
                ) or _LOWER_FRAME.match(after):
                    q.after_text = after
        self.current = stretches[-1].quote if still_open and stretches else None
        self.calls = []
        if stretches:
            # names called inside a quotation, the speaker included ("Hey, Rach!" quoted
            # by Rachel is someone calling her)
            self.calls = [
                v
                for v in find_vocatives(text, index, offset, prefer=prefer)
                if any(q.start <= v.start < q.end for q in stretches)
            ]
        return _QuotedLine(self, stretches, [q for q in stretches if q.frame_text is not None])


def _read_frame(
    text: str,
    at: int,
    el: Element,
    index: CharacterIndex,
    history: Sequence[tuple[int, str]],
    turn: int,
    resolved: Mapping[int, str | None],
    after: bool = False,
) -> _Frame | None:
    """The reporting frame at the end of ``text`` (before a quotation) or, ``after``, at
    its start (after one: '"...," he said', '"...," said Min-jae')."""
    m = _FRAME_AFTER.match(text) if after else _FRAME.search(text)
    if m is None:
        return None
    if not after and fold(m.group("verb")) == "like" and not _BE.search(m.group("aux")):
        return None  # "I like ..." is not "I was like ..."
    key = "subj" if m.group("subj") else "subj2"
    subj = m.group(key)
    if subj[:1].isupper() and fold(subj) not in _SUBJECT_PRONOUNS and not index.candidates(subj):
        return None  # a capitalised word that names no one
    who = _frame_person(subj, at + m.start(key), el, index, history, turn, resolved)
    to = None
    if m.group("obj"):
        to = _frame_person(m.group("obj"), at + m.start("obj"), el, index, history, turn, resolved)
    return _Frame(fold(subj), who, to)


def _frame_person(
    word: str,
    start: int,
    el: Element,
    index: CharacterIndex,
    history: Sequence[tuple[int, str]],
    turn: int,
    resolved: Mapping[int, str | None],
) -> str | None:
    low = fold(word)
    if low in ("i", "me"):
        return el.speaker_id
    if low == "you":
        return el.addressee_id
    if low in _PRONOUN_GENDER:
        if start in resolved:
            return resolved[start]
        return _third_party(
            history,
            index,
            _PRONOUN_GENDER[low],
            exclude={el.speaker_id, el.addressee_id},
            turn=turn,
        )
    if low in _SUBJECT_PRONOUNS or low in _OBJECT_PRONOUNS:
        return None  # we, they, us, them: a group
    return index.lookup(word)


def _same_subject(a: _Frame, b: _Frame) -> bool:
    ga, gb = _PRONOUN_GENDER.get(a.subject), _PRONOUN_GENDER.get(b.subject)
    if ga is not None and gb is not None:
        return ga == gb  # "he" and "she" are two people, whoever the resolver took
    return a.who is not None and a.who == b.who


def _someone_else(
    history: Sequence[tuple[int, str]], spoke: Sequence[str], exclude: set[str | None]
) -> str | None:
    """The most recently mentioned, else most recent speaker, of the scene not excluded."""
    for _, cid in reversed(history):
        if cid not in exclude:
            return cid
    for cid in reversed(spoke):
        if cid not in exclude:
            return cid
    return None


def _prefer(speakers: Sequence[str], history: Sequence[tuple[int, str]]) -> list[str]:
    seen: list[str] = []
    for _, cid in reversed(history):
        if cid not in seen:
            seen.append(cid)
    for cid in speakers:
        if cid not in seen:
            seen.append(cid)
    return seen


def _detect_mentions(doc: Document, el: Element, index: CharacterIndex) -> list[tuple[int, int]]:
    off, end = content_span(doc, el)
    text = doc.source_text[off:end]
    spans = [(h.start, h.end) for h in index.find_names(text, off)]
    for t in _tokenize(text, off):
        tx = t[2]
        if len(tx) == 1 and not tx.isalnum():
            continue  # not a word (Token.is_word without its call, as in _scan_names)
        low = _lower(tx)
        if low not in _PERSON_WORDS or any(a <= t[0] < b for a, b in spans):
            continue
        if low == "i" and tx != "I":
            continue
        spans.append((t[0], t[1]))
    return sorted(spans)


_PERSON_WORDS = FIRST_SINGULAR | SECOND_PERSON | THIRD_PERSON


def _resolve_one(
    surface: str,
    start: int,
    end: int,
    el: Element,
    index: CharacterIndex,
    vocs: Sequence[Vocative],
    history: Sequence[tuple[int, str]],
    prefer: Sequence[str],
    turn: int,
) -> tuple[str | None, str, float, str]:
    low = fold(surface).replace("’", "'").strip()
    words = low.split()
    head = words[-1] if words else low
    speaker, addressee = el.speaker_id, el.addressee_id
    if low in FIRST_SINGULAR or head in FIRST_SINGULAR:
        return speaker, "first-person", 0.95 if speaker else 0.0, "pronoun"
    if low in SECOND_PERSON:
        before = [v for v in vocs if v.end <= start and v.character_id]
        rule = el.attribution.addressee_rule if el.attribution else None
        if before and rule == "assumed-name":  # the name was taken by another speaker
            return addressee, "second-person", 0.7, "pronoun"
        if before:
            return before[-1].character_id, "second-person", 0.85, "pronoun"
        conf = el.attribution.addressee_confidence if el.attribution else None
        return addressee, "second-person", float(conf or 0.0) * 0.95, "pronoun"
    voc = next((v for v in vocs if v.start <= start and end <= v.end + 1), None)
    if voc is None:
        voc = next((v for v in vocs if start <= v.start and v.end <= end), None)
    if low in FIRST_PLURAL or low in {"they", "them", "their", "theirs"}:
        return None, "plural", 0.0, "pronoun"
    if voc is not None:
        if voc.character_id is not None:
            return voc.character_id, "vocative", 0.9, "vocative"
        return addressee, "vocative", 0.6 if addressee else 0.0, "vocative"
    gender = None
    if low in MALE_PRONOUNS:
        gender = "male"
    elif low in FEMALE_PRONOUNS:
        gender = "female"
    else:
        named = surface[:1].isupper() or not surface.isascii()
        cands = index.candidates(surface) if named else []
        if cands:
            cid = _pick(tuple(cands), prefer)
            conf = 0.9 if len(cands) == 1 else 0.7
            return cid, "name", conf, "name"
        if head in PERSON_NOUNS:
            gender = PERSON_NOUNS[head]
    if gender is not None:
        kind = "pronoun" if low in THIRD_PERSON else "name"
        cid = _third_party(history, index, gender, exclude={speaker, addressee}, turn=turn)
        if cid is not None:
            return cid, "third-person", 0.6, kind
        return None, "third-person", 0.0, kind
    return None, "unknown", 0.0, "name"


def _third_party(
    history: Sequence[tuple[int, str]],
    index: CharacterIndex,
    gender: str,
    exclude: set[str | None],
    turn: int,
    window: int = 12,
) -> str | None:
    """The most recently mentioned character of a compatible gender, not excluded."""
    fallback: str | None = None
    for t, cid in reversed(history):
        if turn - t > window:
            break
        if cid in exclude:
            continue
        g = index.gender(cid)
        if gender == "unknown" or g == gender:
            return cid
        if g == "unknown" and fallback is None:
            fallback = cid
    return fallback


def annotate(doc: Document, index: CharacterIndex | None = None) -> list[Reference]:
    """The stage: resolve references in spoken lines and add them to the characters."""
    refs = resolve_dialogue_refs(doc, index)
    by_id = {c.id: c for c in doc.characters}
    for r in refs:
        c = by_id.get(r.mention.character_id or "")
        if c is not None:
            c.mentions.append(r.mention)
    return refs


# ----------------------------------------------------------------------- gender evidence


# Pronouns that, after a name, mostly refer back to it (object him/her mostly do not).
_EVIDENCE_PRONOUNS = {
    "he": "male",
    "his": "male",
    "himself": "male",
    "she": "female",
    "hers": "female",
    "herself": "female",
}


# A superset of the ASCII tokens whose lower case is an evidence pronoun: the word not
# preceded by a letter or digit, and followed by none (or by the "n't" tokenize splits off).
_EVIDENCE_WORD = re.compile(
    r"(?<![A-Za-z0-9])(?:he|his|himself|she|hers|herself)(?=n['’]t|[^A-Za-z0-9]|$)", re.I
)


def gender_evidence(doc: Document, index: CharacterIndex) -> dict[str, dict[str, int]]:
    """Count he/she evidence per character from the text itself (no labels, no lexicon).

    In one line (spoken or narrative), a name that is not a vocative and the first
    third-person pronoun after it, with no other name or person in between, count as one
    piece of evidence for that character's gender when that pronoun is he/she, his/hers
    or himself/herself: "here's Monica, she'll have something nice to say"; "Seo Jun
    refuses ... his". An object him/her after a name ("Min-jae hands her a letter") is
    mostly someone else and ends the search. Returns ``{id: {"male": n, "female": n}}``.
    """
    counts: dict[str, dict[str, int]] = {}
    for scene in doc.scenes:
        for el in scene.elements:
            if el.kind not in SPOKEN_KINDS and el.kind not in (
                ElementKind.ACTION,
                ElementKind.NARRATION,
            ):
                continue
            off, end = content_span(doc, el)
            text = doc.source_text[off:end]
            if text.isascii() and not _EVIDENCE_WORD.search(text):
                continue  # no he / she / his / hers / himself / herself: no evidence
            hits = index.find_names(text, off)
            if not hits:
                continue
            tokens = tokenize(text, off)
            starts = [t.start for t in tokens]
            ends = [t.end for t in tokens]
            for n, h in enumerate(hits):
                if len(h.ids) != 1 or _called(h, tokens, starts, ends):
                    continue
                stop = hits[n + 1].start if n + 1 < len(hits) else off + len(text)
                subject = _opens_sentence(h, tokens, starts)
                for t in tokens[bisect.bisect_left(starts, h.end) :]:
                    if t.start >= stop:
                        break
                    low = t.lower
                    if low in FIRST_SINGULAR or low in SECOND_PERSON or low in PERSON_NOUNS:
                        break
                    if low in _SENTENCE_END and not subject:
                        # "Mina looks at Joon. She ...": the next sentence's pronoun is
                        # mostly the subject's, not the last name's
                        break
                    g = _EVIDENCE_PRONOUNS.get(low)
                    if low in ("him", "her"):
                        break  # an object pronoun after a name is mostly someone else
                    if g:
                        c = counts.setdefault(h.ids[0], {"male": 0, "female": 0})
                        c[g] += 1
                        break
    return counts


_SENTENCE_END = frozenset({".", "!", "?", "…"})


def _opens_sentence(h: NameHit, tokens: list[Token], starts: list[int]) -> bool:
    """Whether the name ``h`` is the first word of its sentence (its likely subject)."""
    i = bisect.bisect_left(starts, h.start)
    return i == 0 or tokens[i - 1].lower in _SENTENCE_END


def _called(h: NameHit, tokens: list[Token], starts: list[int], ends: list[int]) -> bool:
    """Whether :func:`find_vocatives` reads the name ``h`` as a vocative (its test for a
    name hit: a vocative particle, or boundaries on both sides)."""
    if h.suffix in _PARTICLES:
        return True
    i = bisect.bisect_left(starts, h.start)
    j = bisect.bisect_right(ends, h.end) - 1 if h.end > h.start else i
    return _at_boundaries(tokens, i, j)


def apply_gender_evidence(
    doc: Document, index: NameIndex, min_count: int = 2, min_share: float = 0.75
) -> dict[str, str]:
    """Set the gender of characters still "unknown" from :func:`gender_evidence`.

    A gender is set when at least ``min_count`` pieces of evidence exist and at least
    ``min_share`` of them agree. Returns the genders set.
    """
    out: dict[str, str] = {}
    for cid, c in gender_evidence(doc, index).items():
        if index.gender(cid) != "unknown":
            continue
        total = c["male"] + c["female"]
        for g in ("male", "female"):
            if total >= min_count and c[g] / total >= min_share:
                index.set_gender(cid, g)
                out[cid] = g
    return out
