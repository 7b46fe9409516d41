"""Who is who: the characters of a document, their aliases, gender evidence, presence, roles.

``find_characters(doc)`` is a stage (``Document -> Document``). It reads the elements
readers produced (cues and speakers, action, narration, dialogue, subtitles) and writes:

- ``doc.characters``: one :class:`~sceneanatomy.model.Character` per person of the story,
  with every surface form merged into it (rules in docs/characters.md), the actors the
  source attaches to it, gender with evidence spans, role, per-scene presence and
  dialogue statistics (``Character.attrs``: ``lines``, ``words``, ``scenes``,
  ``scenes_speaking``, ``scenes_present``, ``first_scene``, ``last_scene``, ``mentions``);
- ``Character.mentions``: cues, subtitle speakers, names, vocatives and actor mentions,
  each with its exact source span and scene;
- ``Element.speaker_id`` (and an :class:`~sceneanatomy.model.Attribution` with rule
  ``cue`` / ``subtitle-speaker`` and no confidence, the source states it) for cues, the
  dialogue, parentheticals and lyrics under a cue, and subtitles with a speaker prefix;
- ``doc.attrs["characters"]``: the backend used, whether Korean name rules were on, the
  actors found (with the character they play, when the source says) and the names judged
  not to be characters (networks, publications, recappers, places), with evidence.

Nothing here knows a particular story: every rule is generic (see :mod:`.lexicon`).
Speaker attribution of unlabelled lines, addressees and pronoun resolution are separate
stages that read what this one writes.
"""

from __future__ import annotations

import bisect
import gc
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import accumulate, chain, compress, count
from operator import add, attrgetter, indexOf, itemgetter, methodcaller, ne
from typing import Any

from ..model import (
    Attribution,
    Character,
    Document,
    Element,
    ElementKind,
    Mention,
    Span,
    make_timed_span,
)
from ..names import (
    ADDRESS_TERMS,
    NameKey,
    edit_distance,
    fold,
    is_diminutive,
    korean_full_name,
    name_key,
    name_parts,
    slugify,
    smart_case,
    strip_suffixes,
    strip_title,
)
from . import nlp as nlp_backend
from .lexicon import (
    ACTOR_CONTEXT,
    FUNCTION_WORDS,
    GENDER_NOUNS,
    GROUP_CUES,
    HUMAN_VERBS,
    KINSHIP_ADDRESS,
    NETWORKS,
    NOT_CUES,
    PLACE_SUFFIXES,
    PLACES,
    PUBLICATIONS,
    ROLE_NOUNS,
    SPEECH_VERBS,
    STOPWORDS,
    TITLE_GENDER,
    WORK_CONTEXT,
)
from .name_finder import (
    _SPACED_SUFFIX,
    SEP,
    Candidate,
    RoleMention,
    add_context,
    add_flag,
    find_candidates,
    find_roles,
    is_vocative,
    locate_candidates,
)

# Evidence points of one occurrence's flags (a group's score sums each flag at most twice).
FLAG_POINTS: dict[str, float] = {
    "suffix": 2,
    "title": 2,
    "age": 2,
    "speech": 2,
    "paired": 2,
    "appositive": 1,
    "acts": 1,
    "state": 1,
    "person_noun": 1,
    "relation": 1,
    "object": 1,
    "coordinated": 1,
    "vocative_position": 1,
    "ner_person": 1,
    "ner_subject": 1,
    "work": -2,
    "place_prep": -1,
    "ner_other": -1,
}
ACCEPT_SCORE = 2.0
_STRONG = frozenset({"suffix", "title", "age", "speech", "paired"})
_PLACE_OR_STOP = PLACES | STOPWORDS
_STRIP_PUNCT = methodcaller("strip", ".,'’")

_NARR_KINDS = frozenset(
    {
        ElementKind.ACTION,
        ElementKind.NARRATION,
        ElementKind.SOUND,
        ElementKind.CENTERED,
        ElementKind.SYNOPSIS,
    }
)
_SPEECH_KINDS = frozenset({ElementKind.DIALOGUE, ElementKind.LYRIC, ElementKind.SUBTITLE})
_LINE_KINDS = frozenset({ElementKind.DIALOGUE, ElementKind.LYRIC, ElementKind.SUBTITLE})
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_VOICE_OF = re.compile(r"(?<=\w)['’](?:S\b)?\s+VOICE\b.*$", re.I)
_ARTICLE = re.compile(r"^(?:THE|A|AN)\s+(?=\S)", re.I)
_CUE_PAREN = re.compile(r"\s*[\(\[][^)\]]*[\)\]]")
_CUE_JOIN = re.compile(r"\s+(?:AND|and|&)\s+|\s*/\s*")
_OPEN_PAREN = re.compile(r"(?:['’]s)?\s*\(\s*")
_CLOSE_PAREN = re.compile(r"\s*[),;]")
_PLAYS = re.compile(r"\s+(?:plays|played|portrays|portrayed|as)\s+")
_PLAYED_BY = re.compile(r"(?:,?\s+|\s*[(\[]\s*)(?:played|portrayed)\s+by\s+")
_COORD = re.compile(r"(?:['’]s)?\s*(?:,|,?\s*(?:and|or|&))\s*")
_SENT_BREAK = re.compile(r"[.!?…]+[\"'”’)]*\s+")
_NEXT_WORD = re.compile(r"\s+([a-z][a-z'’-]*)")
_KINSHIP = re.compile(
    r"(?<![\w-])(oppa|unnie|eonni|onni|hyung|hyeong|noona|nuna|오빠|언니|형|누나)(?![\w-])", re.I
)
_SENT = re.compile(r"[^.!?…]+(?:[.!?…]+[\"'”’)]*|$)")
_CUE_WORDS = re.compile(r"[\s\-‐‑]+")
_TURN = re.compile(r"^\s*([A-Z][\w.'’ -]{0,40}?)\s*:\s+\S")
_PUBLICATION_BEFORE = re.compile(
    r"(?:(?:thoughts|comments|views|opinions|feedback)\s+with|according\s+to|\bvia|source:?|credit:?|©)\s*$",
    re.I,
)
# What every _SELF_GENDER match starts with: the lines worth reading for it.
_SELF_GENDER_HINT = re.compile(r"\bI(?:['’]m| am)", re.I)
# The words _SELF_GENDER and _KINSHIP matches start with, lower-cased, for one search of
# the lower-cased speech text; _CASE_SPECIAL: the characters (İ ı ſ K) a case-insensitive
# pattern matches to an ASCII letter while lower() does not turn them into it.
_SELF_HINT_WORDS = ("i'm", "i’m", "i am")  # (_SELF_GENDER; the others: _KINSHIP)
_SPEECH_HINT_WORDS = (
    "i'm",
    "i’m",
    "i am",
    "oppa",
    "unnie",
    "eonni",
    "onni",
    "hyung",
    "hyeong",
    "noona",
    "nuna",
    "오빠",
    "언니",
    "형",
    "누나",
)
# the words _speech_hits looks for (a line with "eonni" has "onni"), and those of them an
# ASCII text can have
_SPEECH_HINT_LOOKUP = tuple(w for w in _SPEECH_HINT_WORDS if w != "eonni")
_SPEECH_HINT_ASCII = tuple(w for w in _SPEECH_HINT_LOOKUP if w.isascii())
_CASE_SPECIAL = re.compile("[\u0130\u0131\u017f\u212a]")
_SELF_GENDER = re.compile(
    r"\bI(?:['’]m| am)\s+(?:(?:a|an|the|just|only|also|still|not)\s+)*(?:[a-z]+\s+)?"
    r"(man|woman|boy|girl|guy|gentleman|lady|father|mother|dad|mom|son|daughter|brother|"
    r"sister|husband|wife|king|queen|prince|princess|actress|actor)\b",
    re.I,
)
# Titles of kinship ("Uncle Tomas", "Aunt May", "Grandma Rose"): they stand before a given
# name, so the bare name is the same person unless its own evidence says the other gender.
KINSHIP_TITLES = frozenset(
    {"uncle", "aunt", "auntie", "grandma", "grandpa", "grandmother", "grandfather"}
)
# A gendered noun owned by someone right before a name: "Her father ANSEL VOSS", "his
# sister June", "Roz's son Caleb" (singular nouns in lower case; possessives only, since
# "a man Maren knows" is a relative clause about someone else).
_PRE_NAME_NOUNS = frozenset(
    w
    for w in GENDER_NOUNS
    if w.isalpha()
    and w.islower()
    and not w.endswith("men")
    and not (w.endswith("s") and w[:-1] in GENDER_NOUNS)
)
_PRE_NAME_GENDER = re.compile(
    r"(?:\b(?:[Hh]is|[Hh]er|[Tt]heir|[Mm]y|[Oo]ur)|\w['’]s?)\s+(?!(?:a|an|the|one)\s)"
    r"(?:[a-z-]+\s+)?(" + "|".join(sorted(_PRE_NAME_NOUNS)) + r")\s+$"
)


_SUBTITLE_FORMATS = frozenset({"srt", "vtt", "ass"})


def _given_name_of(short: _Group, full: _Group) -> bool:
    """``short`` is the given name of the full name ``full`` ("Seo-yeon" of "Kang
    Seo-yeon", "John" of "John Smith"), with no title."""
    return (
        full.key.key.startswith(("k:", "w:"))
        and bool(full.key.shorts)
        and short.key.key == full.key.shorts[0]
        and not short.key.title
    )


def _verb_in_name(key: str) -> bool:
    """A given-name-first key (``w:wendy screams``) whose later word is an inflected verb
    people do ("screams", "watching"): capitals in an action line that say what someone
    does ("WENDY SCREAMS"), not a full name a cue is short for."""
    if not key.startswith("w:"):
        return False
    return any(
        w.endswith(("s", "ing", "ed")) and (w in HUMAN_VERBS or w in SPEECH_VERBS)
        for w in key[2:].split()[1:]
    )


_NO_TITLE = "?"  # not looked up yet (a gender is "male" / "female" / None)


@lru_cache(maxsize=4096)
def _cue_title_gender(surface: str) -> str | None:
    """The gender a cue's or speaker label's title states: ``MRS. OKAFOR`` → female."""
    title = strip_title(strip_suffixes(surface)[0])[1]
    return TITLE_GENDER.get(title) if title else None


def _pre_name_gender(text: str, start: int) -> re.Match[str] | None:
    """The gendered noun owned right before the name at ``start`` ("her father ANSEL")."""
    if start < 4 or text[start - 1] != " ":
        return None
    # the noun is the word right before the name: look it up before searching
    j = start - 1
    while j > 0 and text[j - 1] in " \t\n":
        j -= 1
    word = text[text.rfind(" ", 0, j) + 1 : j].rpartition("\n")[2].rpartition("\t")[2]
    if word not in _PRE_NAME_NOUNS:
        return None
    return _PRE_NAME_GENDER.search(text, max(0, start - 40), start)


_APPOS_GENDER = re.compile(
    r",\s+(?:a|an|the|his|her)\s+(?:[a-z'’-]+\s+){0,4}?(" + "|".join(sorted(GENDER_NOUNS)) + r")\b"
)
# ... after a screenplay's age introduction: "MAREN VOSS (30s), a tired woman",
# "SIMON ORR (40s), Maren's older brother" (the age marks the introduction)
_AGE_APPOS_GENDER = re.compile(
    r"\s*\(\s*(?:(?:early|mid|late)[\s-]*)?\d{1,2}'?s?\s*\),\s+"
    r"(?:a|an|the|his|her|[A-Z][\w-]*['’]s)\s+(?:[a-z'’-]+\s+){0,4}?("
    + "|".join(sorted(GENDER_NOUNS))
    + r")\b"
)
# The last character (spaces aside) a _PUBLICATION_BEFORE match can end with: "with",
# "to", "via", "source", "credit", optionally a colon, or "©"; any other ASCII character
# rules the pattern out without running it.
_PUBLICATION_LAST = frozenset("hHoOaAeEtT:")
# The words a _PUBLICATION_BEFORE match ends with (before its trailing spaces), lower-cased:
# the lower-cased end of an ASCII text before a name must end with one of them.
_PUBLICATION_ENDS = ("with", "to", "via", "source", "source:", "credit", "credit:")


_CLAUSE_BEFORE = re.compile(r"(?:,\s*|\s)(?:and|but|then|so|before|until)\s+$", re.I)
_SUBJECT_FLAGS = frozenset({"acts", "state", "speech", "appositive", "be"})
# he|him|his|himself|she|her|hers|herself as a whole word (case-insensitive). The first
# letter comes first so that the engine can skip ahead to it; the look-behinds then say
# which word it starts (the same matches as ``(?<![\w'’])(he|him|...|herself)(?![\w'’])``).
# That letter is spelled out case-sensitively (what ``[hs]`` matches ignoring case: h H s
# S and the long s ſ): a case-insensitive first letter stops the engine from skipping.
_PRONOUN = re.compile(
    r"(?-i:[hHsS\u017f])(?<![\w'’].)(?:(?<=s)he|(?<=h)(?:e|im|is|imself|er|ers|erself))(?![\w'’])",
    re.I,
)
# the first he/his/himself/she/herself after a name, in its sentence, with no capitalised
# word (another name) between: "PAUL BLEEKER steps onto the porch of his house"
_AFTER_NAME_PRONOUN = re.compile(
    r"(?:(?!\b(?:he|his|himself|she|her|herself)\b)[^.!?…A-Z])*?"
    r"\b(he|his|himself|she|her|herself)\b",
)
# What _AFTER_NAME_PRONOUN.match(text, pos) finds, in two searches instead of a lazy scan
# that tries the six words at every character: the first character that ends the scan
# ([.!?…A-Z]), then the first of the words that starts before it (see _after_name_pronoun).
_SCAN_STOP = re.compile(r"[.!?…A-Z]")
_PRONOUN_WORD = re.compile(r"\b(he|his|himself|she|her|herself)\b")
# The he / she / his / her opening a sentence, after a linking word ("Then she") or a
# short lead-in of one or two words and a comma ("Tonight, he"; "Moments later, her").
# (the leading skip stops at a quotation mark: a he/she just inside a quote is speech)
# one of the words _LEAD_PRONOUN ends with, anywhere (a cheap test before matching it)
_LEAD_WORD = re.compile(r"\b(?:s?he|his|her)\b", re.I)
_LEAD_PRONOUN = re.compile(
    r"[^\w\"“”'‘’]*(?:(?:then|and|but|so|now|suddenly|finally|later|still|instead|meanwhile|also)\W+"
    r"|(?!(?:he|she|his|her)\b)[a-z]+(?:\s+(?!(?:he|she|his|her)\b)[a-z]+)?,\s+)?"
    r"(he|she|his|her)\b",
    re.I,
)
_LEAD_GENDER = {"he": "male", "his": "male", "she": "female", "her": "female"}  # (ſhe: female)


def _after_name_pronoun(text: str, pos: int) -> re.Match[str] | None:
    """``_AFTER_NAME_PRONOUN.match(text, pos)``: the same group 1 and end.

    The lazy scan stops at the first ``[.!?…A-Z]`` and ends at the first pronoun word
    that starts before it; a word is never cut by that character (the words are in lower
    case), and the search window takes it in, so that the word boundary after a word
    sees the character that follows it.
    """
    stop = _SCAN_STOP.search(text, pos)
    return _PRONOUN_WORD.search(text, pos, stop.start() + 1 if stop else len(text))


# --- working records --------------------------------------------------------------------


@dataclass(slots=True)
class _El:
    el: Element
    scene: int
    cls: str = "skip"  # "cue" | "speech" | "paren" | "narr" | "quote" | "furniture" | "skip"
    speaker: str | None = None  # cleaned speaker surface (cue / subtitle prefix / propagated)


@dataclass(slots=True)
class _Occ:
    el: int  # index into _Builder.els
    start: int  # offsets in el.text
    end: int
    surface: str
    kind: str  # "cue" | "speaker" | "name" | "vocative" | "role"
    cand: Candidate | None = None
    role: RoleMention | None = None
    group: _Group | None = None
    chan: int = 0  # which joined text the candidate was found in (0 narrative, 1 speech)


class _Flags(dict[str, int]):
    """Counts of evidence flags: a missing flag counts 0 (as in a Counter, which is slower
    to make: a Python ``__init__``)."""

    __slots__ = ()

    def __missing__(self, key: str) -> int:
        return 0


@dataclass(slots=True)
class _Group:
    key: NameKey
    occs: list[_Occ] = field(default_factory=list)
    flags: _Flags = field(default_factory=_Flags)
    cue: bool = False
    role: str | None = None  # role phrase for unnamed roles ("director", "her mother")
    status: str = "person"  # person | actor | network | publication | place | recapper | word
    score: float = 0.0
    accepted: bool = False
    actors: set[str] = field(default_factory=set)  # actor surfaces paired with this group
    actor_for: set[str] = field(default_factory=set)  # group keys this actor plays

    @property
    def caps_only(self) -> bool:
        return all(o.cand is not None and o.cand.caps for o in self.occs if o.kind != "cue")


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, a: str) -> str:
        p = self.parent.setdefault(a, a)
        if p != a:
            p = self.parent[a] = self.find(p)
        return p

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


# --- the stage --------------------------------------------------------------------------


def find_characters(doc: Document, nlp: str = "auto") -> Document:
    """Find the characters of ``doc`` (see the module docstring). ``nlp``: auto|rules|spacy."""
    backend = nlp_backend.choose(nlp)
    # The stage makes tens of thousands of small objects that all live until it ends:
    # cyclic garbage collection in the middle of it only re-walks the document (a sixth
    # of the stage's time on a screenplay). It is paused meanwhile, and resumed after.
    # (spaCy, when it runs, runs with collection on.)
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        builder = _Builder(doc, backend)
        builder.gc_paused = paused
        builder.run()
    finally:
        if paused:
            gc.enable()
    return doc


@lru_cache(maxsize=8192)
def clean_cue(text: str) -> str:
    """``SEO JUN (V.O.)`` → ``SEO JUN``; ``JUNO (CONT'D):`` → ``JUNO``."""
    s = _CUE_PAREN.sub("", text)
    s = re.sub(r"\bCONT['’]?D\b\.?|\bCONTINUED\b", "", s, flags=re.I)
    s = re.sub(r"^[\s\-–—*#]+|[\s:.,;!?\-–—*]+$", "", s)
    # "McCLANE'S VOICE", "HANS' VOICE": the character speaking through a device
    s = _VOICE_OF.sub("", s)
    # "THE KID", "A GIRL": the article is not part of the name
    s = _ARTICLE.sub("", s)
    return " ".join(s.split())


def _starts(parts: list[str]) -> list[int]:
    """Where each part starts in ``SEP.join(parts)``: the lengths before it, plus one
    separator per part before it."""
    starts = list(map(add, accumulate(map(len, parts), initial=0), count()))
    starts.pop()
    return starts


def _speaker_occ(
    idx: int, text: str, sp: str, kind: str, where: dict[tuple[str, str], tuple[int, int]]
) -> _Occ:
    """The occurrence of speaker ``sp`` in its element's text (the whole text if absent)."""
    k = (text, sp)
    se = where.get(k)
    if se is None:
        se = where[k] = _speaker_pos(text, sp)
    return _Occ(idx, se[0], se[1], sp, kind)


def _speaker_pos(text: str, sp: str) -> tuple[int, int]:
    """Where speaker ``sp`` is in ``text`` (the whole text if absent)."""
    pos = text.find(sp)
    if pos < 0:
        pos = fold(text).find(fold(sp))
    return (pos, pos + len(sp)) if pos >= 0 else (0, len(text))


def is_character_cue(name: str) -> bool:
    """False for transitions and camera directions that readers may take for cues."""
    if not name or not any(c.isalpha() for c in name) or len(name) > 40:
        return False
    words = [w.strip(".,'’") for w in fold(name).split()]
    if len(words) > 5:
        return False
    if all(w in NOT_CUES or w in STOPWORDS for w in words):
        return False
    # a transition ends with the word "TO" ("CUT TO", "SMASH CUT TO:"); a name may end
    # with the letters ("OTTO", "ROBERTO", "MAKOTO")
    return words[-1] not in ("to", "to:") and not name.rstrip().endswith(":")


class _Builder:
    # whether an occurrence may be an actor's: set False by __init__, True by _pair (a
    # builder made otherwise, as in the tests, looks for them)
    _actor_occs = True

    def __init__(self, doc: Document, backend: str) -> None:
        self.doc = doc
        self.backend = backend
        self.els: list[_El] = []
        self.texts: dict[int, str] = {0: "", 1: ""}
        self.chan_starts: dict[int, list[int]] = {0: [], 1: []}
        self.chan_idx: dict[int, list[int]] = {0: [], 1: []}
        self.korean = False
        self.groups: dict[str, _Group] = {}
        self.keys: dict[str, NameKey] = {}
        self.uf = _UnionFind()
        self.not_characters: list[dict[str, Any]] = []
        self.actor_records: dict[str, dict[str, Any]] = {}
        self.spans = _SpanMapper(doc)
        self.sentences = 0
        self.screenplay = False
        self.given_ah: set[str] = set()  # see given_names_in_ah
        self.quoted = False  # some narration holds quotes the reader also made lines of
        self.present: dict[str, set[int]] = defaultdict(set)
        self.narr_mentions: dict[int, list[tuple[int, int, str, _Occ]]] = defaultdict(list)
        self._cues: list[_Group] = []
        self.gc_paused = False  # find_characters paused garbage collection
        self.spoken_idx: list[int] = []  # cue, speech and paren elements, in order
        self.narr_skip_idx: list[int] = []  # narr and skip elements, in order
        # the speaker occurrences (cues, subtitle speaker prefixes), in element order, and
        # the same by speaker surface (surfaces in order of first appearance)
        self.speaker_occs: list[_Occ] = []
        self.speaker_buckets: dict[str, list[_Occ]] = {}
        self.n_cues = 0
        self.speaking: _Speaking | None = None  # made by speakers()
        # gender votes cast while the mentions are made: (character id, gender, weight, span)
        self.votes: list[tuple[str, str, int, Span]] = []
        # per character id: its name and vocative mentions (made by mentions())
        self.named: dict[str, int] = {}
        self._actor_occs = False  # no occurrence made an actor's yet (see _pair)
        self._scounts: dict[str, Counter[str]] = {}  # see _surface_counts

    # -- 1. elements -------------------------------------------------------------------

    def classify(self) -> None:
        covered_until = -1
        els = self.els
        append = els.append
        speech_kinds = _SPEECH_KINDS
        narr_kinds = _NARR_KINDS
        character = ElementKind.CHARACTER
        parenthetical = ElementKind.PARENTHETICAL
        subtitle = ElementKind.SUBTITLE
        # Two joined texts, built in the same pass: narrative (narr, paren, furniture:
        # names found freely) and speech (names looked up). Also the indexes of the
        # elements later passes visit: spoken (cue, speech, paren), narrative or skipped.
        parts0: list[str] = []
        idxs0: list[int] = []
        parts1: list[str] = []
        idxs1: list[int] = []
        spoken: list[int] = self.spoken_idx
        narr_skip: list[int] = self.narr_skip_idx
        i = 0
        occs = self.speaker_occs
        buckets = self.speaker_buckets
        where: dict[tuple[str, str], tuple[int, int]] = {}  # (text, speaker) -> its offsets
        n_cues = 0
        for scene in self.doc.scenes:
            current: str | None = None
            si = scene.index
            for el in scene.elements:
                k = el.kind
                if k in narr_kinds:
                    append(_El(el, si, "narr"))
                    parts0.append(el.text)
                    idxs0.append(i)
                    narr_skip.append(i)
                    current = None
                    end = el.span.end_char
                    if end > covered_until:
                        covered_until = end
                elif k is character:
                    text = el.text
                    current = clean_cue(el.speaker or text)
                    append(_El(el, si, "cue", current))
                    spoken.append(i)
                    if current:
                        n_cues += 1
                        # _speaker_occ(i, text, current, "cue", where), inline
                        se = where.get((text, current))
                        if se is None:
                            se = where[(text, current)] = _speaker_pos(text, current)
                        o = _Occ(i, se[0], se[1], current, "cue")
                        occs.append(o)
                        b = buckets.get(current)
                        if b is None:
                            buckets[current] = [o]
                        else:
                            b.append(o)
                elif k in speech_kinds or k is parenthetical:
                    if el.speaker:
                        speaker: str | None = clean_cue(el.speaker)
                    elif k is not subtitle:
                        speaker = current
                    else:
                        speaker = None
                    if k is parenthetical:
                        append(_El(el, si, "paren", speaker))
                        parts0.append(el.text)
                        idxs0.append(i)
                        spoken.append(i)
                    elif el.span.end_char <= covered_until:
                        append(_El(el, si, "quote", speaker))  # inside narration already read
                        self.quoted = True
                    else:
                        append(_El(el, si, "speech", speaker))
                        parts1.append(el.text)
                        idxs1.append(i)
                        spoken.append(i)
                        if speaker and k is subtitle:
                            o = _speaker_occ(i, el.text, speaker, "speaker", where)
                            occs.append(o)
                            b = buckets.get(speaker)
                            if b is None:
                                buckets[speaker] = [o]
                            else:
                                b.append(o)
                else:
                    append(_El(el, si, "skip"))
                    narr_skip.append(i)
                    current = None
                i += 1
        for el in self.doc.furniture:
            # page furniture ("ALSO READ: ...") is not narrative, but the names it uses
            # for known characters are aliases all the same
            if el.kind is not ElementKind.PAGE_BREAK and el.text.strip():
                append(_El(el, -1, "furniture"))
                parts0.append(el.text)
                idxs0.append(i)
                i += 1
        self.n_cues = n_cues
        self.texts[0] = SEP.join(parts0)
        self.chan_starts[0] = _starts(parts0)
        self.chan_idx[0] = idxs0
        self.texts[1] = SEP.join(parts1)
        self.chan_starts[1] = _starts(parts1)
        self.chan_idx[1] = idxs1

    def ctx(self, o: _Occ) -> set[str]:
        """The local evidence flags of a name occurrence (computed on first use)."""
        c = o.cand
        if c is None:
            return set()
        if c.context_done:
            return c.flags
        return add_context(self.texts[o.chan], c)

    # -- 2. occurrences ----------------------------------------------------------------

    def collect(self) -> tuple[list[_Occ], list[_Occ], list[_Occ]]:
        speakers = self.speaker_occs  # made by classify
        names: list[_Occ] = []
        els = self.els
        known = {w for sp in self.speaker_buckets for w in _CUE_WORDS.split(fold(sp)) if w}
        known -= STOPWORDS
        # A screenplay introduces its people in capitals and names them by their cues: in
        # its action lines only names in capitals or sharing a word with a cue are read.
        screenplay = self.screenplay = self.n_cues >= 20
        if self.backend == "spacy":
            disjoint = known.isdisjoint
            narr_keep = (lambda ws, caps: caps or not disjoint(ws)) if screenplay else None
            self._collect_spacy(find_candidates(self.texts[0], narr_keep), names)
        else:
            # find_candidates with each candidate's element found at once (locate_candidates)
            names += locate_candidates(
                self.texts[0],
                self.chan_starts[0],
                self.chan_idx[0],
                known if screenplay else None,
                True,
                _Occ,
                0,
            )
            if self.doc.source_format == "prose":
                for o in names:
                    if o.start == 0 and els[o.el].cls == "narr":
                        text = els[o.el].el.text
                        if _TURN.match(text) and text[o.end : o.end + 2].lstrip().startswith(":"):
                            assert o.cand is not None
                            add_flag(o.cand, "turn")
        # Dialogue and subtitles: when the source names its speakers, look there only for
        # names that start like a speaker's (vocatives, mentions); otherwise for any name.
        speech = self.texts[1]
        spoken = locate_candidates(
            speech, self.chan_starts[1], self.chan_idx[1], known or None, False, _Occ, 1
        )
        # (their context is made later, on first use: is_vocative reads what it needs)
        for o in spoken:
            c = o.cand
            assert c is not None
            if is_vocative(speech, c):
                o.kind = "vocative"
        names += spoken
        roles: list[_Occ] = []
        starts, idxs = self.chan_starts[0], self.chan_idx[0]
        bisect_right = bisect.bisect_right
        for r in find_roles(self.texts[0]):
            j = bisect_right(starts, r.start) - 1
            idx = idxs[j]
            info = els[idx]
            if info.cls not in ("narr", "paren"):
                continue
            off = starts[j]
            roles.append(_Occ(idx, r.start - off, r.end - off, r.surface, "role", None, r))
        return speakers, names, roles

    def _collect_spacy(self, cands: list[Candidate], names: list[_Occ]) -> None:
        """The narrative name occurrences, with spaCy's entities."""
        cands = self._spacy(cands)
        els = self.els
        append = names.append
        prose = self.doc.source_format == "prose"
        bisect_right = bisect.bisect_right
        starts, idxs = self.chan_starts[0], self.chan_idx[0]
        # candidates come in text order: the element of the previous one is looked up
        # again only when a candidate starts at or after the next element (``nxt``)
        n = len(starts)
        nxt = 0
        idx = off = 0
        for c in cands:
            cs = c.start
            if cs >= nxt:
                j = bisect_right(starts, cs) - 1
                idx = idxs[j]
                off = starts[j]
                nxt = starts[j + 1] if j + 1 < n else len(self.texts[0]) + 1
            s, e = cs - off, c.end - off
            if prose and s == 0 and els[idx].cls == "narr":
                text = els[idx].el.text
                if _TURN.match(text) and text[e : e + 2].lstrip().startswith(":"):
                    add_flag(c, "turn")
            append(_Occ(idx, s, e, c.surface, "name", c, None, None, 0))

    def _spacy(self, cands: list[Candidate]) -> list[Candidate]:
        offset = dict(zip(self.chan_idx[0], self.chan_starts[0], strict=True))
        narr = [i for i, x in enumerate(self.els) if x.cls == "narr"]
        texts = [self.els[i].el.text for i in narr]
        offs = [offset[i] for i in narr]
        if self.gc_paused:
            gc.enable()
        try:
            analysed = nlp_backend.analyse(texts)
        finally:
            if self.gc_paused:
                gc.disable()
        by_start = {c.start: c for c in cands}
        spans = [(c.start, c.end, c) for c in cands]
        spans.sort()
        import bisect

        starts = [s for s, _, _ in spans]
        extra: list[Candidate] = []
        for off, text, res in zip(offs, texts, analysed, strict=True):
            self.sentences += res.sentences
            for ent in res.entities:
                gs, ge = off + ent.start, off + ent.end
                j = bisect.bisect_right(starts, ge) - 1
                hit: Candidate | None = None
                while j >= 0 and spans[j][1] > gs:
                    hit = spans[j][2]
                    break
                if ent.label == "PERSON":
                    if hit is not None:
                        add_flag(hit, "ner_person")
                        if ent.subject:
                            add_flag(hit, "ner_subject")
                    else:
                        surface = text[ent.start : ent.end]
                        if surface.endswith(("'s", "’s")):
                            surface, ge = surface[:-2], ge - 2
                        if surface[:1].isupper() and gs not in by_start:
                            c = Candidate(gs, ge, surface, surface.isupper(), False)
                            add_flag(c, "ner_person")
                            extra.append(c)
                elif (
                    ent.label in nlp_backend.NON_PERSON_LABELS
                    and hit is not None
                    and hit.start >= gs
                    and hit.end <= ge
                ):
                    add_flag(hit, "ner_other")
        return sorted(cands + extra, key=lambda c: c.start)

    # -- 3. keys, groups, filters -------------------------------------------------------

    def key(self, surface: str) -> NameKey:
        k = self.keys.get(surface)
        if k is None:
            k = self.keys[surface] = _group_key(self._own_particle(surface), self.korean)
        return k

    def _own_particle(self, surface: str) -> str:
        """``Kang Min-ah`` read as ``Kang Minah`` when the document writes ``Min-ah``
        alone as a name (see :meth:`given_names_in_ah`): its "-ah" is then the given
        name's last syllable, not a vocative particle."""
        if not self.given_ah:
            return surface
        m = _PARTICLE_END.search(surface)
        if m is None:
            return surface
        bare, suffix = strip_suffixes(surface)
        if suffix not in ("ah", "a") or " " not in bare:
            return surface
        if _fold_hyphens(bare.split()[-1] + m.group(1)) not in self.given_ah:
            return surface
        return surface[: m.start()] + m.group(1)

    def given_names_in_ah(self, speakers: Sequence[_Occ], names: Sequence[_Occ]) -> None:
        """One-word names the document writes with a final "-ah" / "-a" that is no
        vocative particle (``Min-ah``, ``Min-ah-ya``: strip_suffixes keeps it)."""
        out: set[str] = set()
        for sf in set(map(_SURFACE, speakers)).union(map(_SURFACE, names)):
            if not _PARTICLE_END.search(sf) and "-ah-" not in sf.lower():
                continue
            bare = strip_suffixes(sf)[0]
            if " " not in bare and _PARTICLE_END.search(bare):
                out.add(_fold_hyphens(bare))
        self.given_ah = out

    def detect_korean(self, speakers: Sequence[_Occ], names: Sequence[_Occ]) -> None:
        spoken = set(map(_SURFACE, speakers))
        if any(_HANGUL.search(sp) for sp in spoken):
            self.korean = True
            return
        surfaces = spoken.union(map(_SURFACE, names))
        fulls = {fold(sf) for sf in surfaces if korean_full_name(sf)}
        self.korean = len(fulls) >= 2

    def group(self, speakers: list[_Occ], names: list[_Occ], roles: list[_Occ]) -> None:
        self.group_cache: dict[str, _Group] = {}  # name surface -> its group
        # Speakers, one surface at a time (surfaces in order of first appearance, so that
        # groups are made in the same order as occurrence by occurrence); a group several
        # surfaces speak for gets their occurrences back in element order.
        merged: list[_Group] = []
        for surface, occs in self.speaker_buckets.items():
            if (
                fold(surface) in GROUP_CUES
                or not is_character_cue(surface)
                or _CUE_JOIN.search(surface)
            ):
                continue  # not a person, or "JUNO AND LEAH": a group line, see speakers()
            g = self._group_for(surface, cue=True)
            if g.occs:
                merged.append(g)
            g.occs.extend(occs)
        for g in merged:
            g.occs.sort(key=_EL)
        for o in roles:
            r = o.role
            assert r is not None
            g = self._role_group(r.role)
            g.occs.append(o)
            o.group = g
            if r.acts:
                g.flags["acts"] += 1
            if r.caps or r.age:
                g.flags["intro"] += 1
        cache = self.group_cache
        group_for = self._group_for
        for o in names:
            surface = o.surface
            g = cache.get(surface)
            if g is None:
                g = cache[surface] = group_for(surface, cue=False)
            g.occs.append(o)
            o.group = g
            # evidence flags are gathered later, lazily (_gather), for groups that need them

    def _group_for(self, surface: str, cue: bool) -> _Group:
        role = _surface_role(surface, cue)
        if role is not None:
            g = self._role_group(role)
        else:
            k = self.key(surface)
            g = self.groups.get(k.key)
            if g is None:
                g = self.groups[k.key] = _Group(k)
        if cue:
            g.cue = True
        return g

    def _role_group(self, role: str) -> _Group:
        key = f"r:{role}"
        g = self.groups.get(key)
        if g is None:
            g = self.groups[key] = _Group(NameKey(key), role=role)
        return g

    def find_actors(self, names: list[_Occ]) -> None:
        if any(i.cls == "cue" for i in self.els):
            return  # screenplays name no actors in their action lines
        text = self.texts[0]
        cands = [o for o in names if o.cand is not None and self.els[o.el].cls == "narr"]
        for a, b in zip(cands, cands[1:], strict=False):
            ca, cb = a.cand, b.cand
            assert ca is not None and cb is not None
            between = text[ca.end : cb.start]
            after_b = text[cb.end : cb.end + 3]
            if (
                _OPEN_PAREN.fullmatch(between)
                and _CLOSE_PAREN.match(after_b)
                and len(name_parts(cb.surface)) >= 2
                and not ca.possessive
            ):
                self._pair(a, b)
            elif _PLAYS.fullmatch(between) and self._actor_sentence(a):
                self._pair(b, a)
            elif _PLAYED_BY.fullmatch(between):
                self._pair(a, b)
        for o in cands:
            c = o.cand
            assert c is not None
            self.ctx(o)
            is_actor = c.prev_word in ("actor", "actress", "actors", "actresses", "starring")
            if is_actor and o.group is not None and o.group.role is None:
                o.group.status = "actor"

    def _pair(self, char: _Occ, actor: _Occ) -> None:
        assert char.cand is not None and actor.cand is not None
        gc, ga = char.group, actor.group
        assert gc is not None and ga is not None
        if gc is ga or gc.cue and ga.cue:
            return
        gc.actors.add(actor.cand.surface)
        gc.flags["paired"] += 1
        ga.status = "actor"
        ga.actor_for.add(gc.key.key)
        actor.kind = "actor"
        self._actor_occs = True

    def _actor_sentence(self, o: _Occ) -> bool:
        text = self.els[o.el].el.text
        s, e = _sentence_bounds(text, o.start)
        return any(w in ACTOR_CONTEXT for w in fold(text[s:e]).replace("-", " ").split())

    def classify_groups(self, names: list[_Occ]) -> None:
        for g in self.groups.values():
            if g.role is not None:
                g.score = 0
                continue
            self._classify(g)
        # "Lee Suho and Han Seo Jun": a name listed with an accepted character is a person
        text = self.texts[0]
        els = self.els
        narr = [o for o in names if els[o.el].cls == "narr"]
        promoted: set[str] = set()
        coord = _COORD.fullmatch
        # only the neighbours of which one is accepted and the other not (found in C: most
        # neighbours are both rejected)
        groups: list[_Group] = list(map(_GROUP, narr))
        accepted = list(map(_ACCEPTED, groups))
        for i in compress(count(), map(ne, accepted, accepted[1:])):
            a, b = narr[i], narr[i + 1]
            ga, gb = groups[i], groups[i + 1]
            assert ga is not None and gb is not None
            x, y = (ga, gb) if ga.accepted else (gb, ga)
            if y.status != "person" or y.role is not None:
                continue
            ca, cb = a.cand, b.cand
            assert ca is not None and cb is not None
            if coord(text, ca.end, cb.start):
                promoted.add(y.key.key)
        for k in promoted:
            g = self.groups[k]
            g.flags["coordinated"] += 1
            self._classify(g)

    def _classify(self, g: _Group) -> None:
        if g.status == "actor":
            return
        # what the group's best form says on its own (the same for every group so written)
        if len(g.occs) < 16:
            form = _best_form(g)
        else:  # (_best_form's count, kept for the name and the gender votes)
            forms = self._surface_counts(g)
            form = max(forms, key=lambda f: (forms[f], f != f.upper(), f))
        status, single = _form_class(form)
        if status is not None:
            g.status = status
            return
        if g.cue:
            g.accepted = True
            return
        els = self.els
        texts = self.texts
        pub_last = _PUBLICATION_LAST
        # one pass: the narrative occurrences, the kinds of element named in, whether every
        # (non-furniture) occurrence starts a sentence, whether every narrative one is a
        # recap's "Name:" turn and every one (but cues) is written in capitals, and whether
        # one follows a publication's "via" / "according to" (decided after the evidence
        # is gathered, as before: gathering only adds flags)
        narr: list[_Occ] = []
        occ_kinds: set[str] = set()
        all_initial = True
        all_turns = True
        caps_only = True
        pub = False
        for o in g.occs:
            cls = els[o.el].cls
            c = o.cand
            if cls == "narr" and self.quoted and _in_quote(els[o.el].el.text, o.start):
                cls = "quoted"  # a prose quote inside the narration: spoken, not narrative
            occ_kinds.add(cls)
            if cls == "narr" or cls == "paren":
                narr.append(o)
                if all_turns and (c is None or "turn" not in c.flags):
                    all_turns = False
            if all_initial and cls != "furniture" and (c is None or not c.initial):
                all_initial = False
            if caps_only and (c is None or not c.caps) and o.kind != "cue":
                caps_only = False
            if c is None or pub:
                continue
            # the 40 characters before the name, right-stripped, must end with one of
            # _PUBLICATION_LAST (or a non-ASCII character): found without cutting them out
            text = texts[o.chan]
            cs = c.start
            lo = cs - 40 if cs > 40 else 0
            k = cs - 1
            while k >= lo and text[k].isspace():
                k -= 1
            if k < lo:
                continue
            last = text[k]
            if last not in pub_last and last.isascii():
                continue
            # the last word of a _PUBLICATION_BEFORE match ends the text before the name
            tail = text[k - 8 if k - 8 > lo else lo : k + 1]
            if tail.isascii() and not tail.lower().endswith(_PUBLICATION_ENDS):
                continue
            if _PUBLICATION_BEFORE.search(text[lo:cs]):
                pub = True
        self._gather(g, limit=2 if single and all_initial else 8)
        flags = g.flags
        get = flags.get
        strong = get("suffix", 0) + get("title", 0) + get("age", 0) + get("speech", 0)
        strong += get("paired", 0)  # the flags of _STRONG
        if pub:
            g.status = "publication"
            return
        if narr and all_turns and not strong:
            g.status = "recapper"
            return
        if (
            narr
            and not strong
            and not self.screenplay
            and all(self._actor_sentence(o) for o in narr)
        ):
            g.status = "actor"
            return
        score = 0
        points = FLAG_POINTS
        for f, n in flags.items():
            p = points.get(f)
            if p:
                score += p * (n if n < 2 else 2)
        if g.key.key.startswith("k:"):
            # a family-name-first Korean name is itself evidence of a person (actors and
            # organisations were set apart above)
            score += 2 if self.korean else 1
        g.score = score
        if occ_kinds <= {"furniture"}:
            g.accepted = False  # furniture only names known characters, never new ones
            return
        if occ_kinds <= {"quoted", "furniture"}:
            # names only inside prose quotes: a character when addressed (a vocative
            # suffix or position, a title); a speech verb inside a quote ("Sign says
            # open," Tom replies) is the quoted speaker's words, no evidence
            g.accepted = score >= ACCEPT_SCORE and bool(
                get("suffix", 0) + get("title", 0) or get("vocative_position", 0) >= 2
            )
            return
        if occ_kinds <= {"speech", "quoted", "furniture"}:
            # names only spoken: a character when addressed (vocative, suffix, title)
            g.accepted = score >= ACCEPT_SCORE and bool(
                strong or flags.get("vocative_position", 0) >= 2
            )
            return
        if single and all_initial and not strong:
            g.accepted = False
            return
        if caps_only and not (flags.get("age") or flags.get("appositive") or strong):
            g.accepted = False  # capitals in action lines: sounds, props, signs
            return
        g.accepted = score >= ACCEPT_SCORE

    def _gather(self, g: _Group, limit: int) -> None:
        """Add the evidence flags of (at most ``limit`` more of) a group's occurrences."""
        flags = g.flags
        done = flags.get("_gathered", 0)
        els = self.els
        for o in g.occs[done : done + limit]:
            if els[o.el].cls == "furniture":
                continue
            for f in self.ctx(o):
                flags[f] = flags.get(f, 0) + 1
        flags["_gathered"] = min(len(g.occs), done + limit)

    def accept_roles(self) -> None:
        prose = self.doc.source_format == "prose" or not any(i.cls == "cue" for i in self.els)
        for g in self.groups.values():
            if g.role is None:
                continue
            if g.cue or g.flags["intro"]:
                g.accepted = True
            elif prose:
                g.accepted = g.flags["acts"] >= 1
            else:
                g.accepted = g.flags["acts"] >= 2

    # -- 4. merging --------------------------------------------------------------------

    def merge(self) -> None:
        # the groups a cue speaks for (fixed from here on), in group order
        self._cues = [x for x in self.groups.values() if x.cue]
        persons = [g for g in self.groups.values() if g.status == "person" and g.role is None]
        # gender votes per cluster root (titles, and his/he/she/herself after a name), so
        # that no merge joins a man and a woman: "Mrs. Bleeker" is not "Paul Bleeker"
        self._gvotes: dict[str, Counter[str] | None] = {}
        self._title_gender: dict[str, str | None] = {}  # surface -> its title's gender
        self._tvotes: dict[str, Counter[str] | None] = {}
        # ... counted on first use (_settle): most groups are never compared with another.
        # Per cluster root, the groups whose votes are not counted into it yet.
        self._pending: dict[str, list[_Group]] = {}
        pending = self._pending
        find = self.uf.find
        for g in persons:
            key = g.key.key
            find(key)
            pending[key] = [g]
        # how many cues speak for each cluster root (made on first use, kept up by _join)
        self._cue_roots: dict[str, int] | None = None
        self._merge_diminutives(persons)
        screenplay = self.screenplay
        fulls = [
            g
            for g in persons
            if g.key.shorts
            and (
                g.accepted
                or g.cue
                or g.score >= ACCEPT_SCORE
                or g.flags.get("age")
                or (g.score >= 1 and g.key.key.startswith("k:"))
                or (
                    g.score >= 0
                    and screenplay
                    and self._has_caps(g)
                    and not _verb_in_name(g.key.key)
                )
            )
        ]
        short_index: dict[str, list[_Group]] = defaultdict(list)
        for f in fulls:
            for s in f.key.shorts:
                short_index[s].append(f)
        # A titled surname ("Mr. McClane") may also be the character a screenplay names by
        # the bare surname ("MCCLANE"): a gendered title only when the bare name's own
        # gender evidence agrees, another title ("Dr.") when nothing conflicts; never when
        # one line names both ("SLADE and MRS. SLADE" are two people).
        by_key = {g.key.key: g for g in persons}
        linked: set[str] = set()
        shorter = [g for g in persons if g.key.alt or not g.key.key.startswith(("k:", "w:"))]
        for g in sorted(shorter, key=lambda g: (-g.key.parts, g.key.key)):
            same = short_index.get(_short(g.key.key))
            cands = [f for f in same if f is not g] if same else []
            if g.key.key.startswith("t:"):
                bare = by_key.get("g:" + _short(g.key.key)[2:])
                if (
                    bare is not None
                    and (
                        "/" not in g.key.key
                        or self._gender_of(self._root_votes(self.uf.find(bare.key.key)))
                        == TITLE_GENDER.get(g.key.title or "")
                        or (
                            # "Uncle Tomas" is Tomas: a kinship title goes before a given
                            # name, which a family does not share as it shares a surname
                            g.key.title in KINSHIP_TITLES
                            and self._gender_of(self._root_votes(self.uf.find(bare.key.key)))
                            is None
                        )
                    )
                    and not {o.el for o in g.occs} & {o.el for o in bare.occs}
                ):
                    cands.append(bare)
            target = self._choose(g, cands)
            if target is not None:
                self._join(target, g)
                linked.add(g.key.key)
        # Second reading of ambiguous two-part names ("Seo Jun" = surname Seo + Jun), used
        # only when the given-name reading found no longer name.
        alt_index: dict[str, list[_Group]] = defaultdict(list)
        for g in persons:
            if g.key.alt and g.key.key not in linked and (g.accepted or g.cue):
                for s in g.key.alt_shorts:
                    alt_index[s].append(g)
        for g in persons if alt_index else ():
            if g.key.key in linked or g.key.key.startswith(("k:", "w:")):
                continue
            same = alt_index.get(_short(g.key.key))
            if not same:
                continue  # (no candidate: _choose finds nothing)
            cands = [f for f in same if f is not g]
            target = self._choose(g, cands)
            if target is not None:
                self._join(target, g)
        self._merge_typos(persons)

    def _surface_counts(self, g: _Group) -> Counter[str]:
        """How often each surface names ``g`` (actors' occurrences too), in order of first
        appearance: counted once per group (its occurrences are fixed after group()) for
        its best form, its gender votes and its display name. Read only."""
        key = g.key.key
        c = self._scounts.get(key)
        if c is None:
            c = self._scounts[key] = Counter(map(_SURFACE, g.occs))
        return c

    def _gender_votes(self, g: _Group) -> None:
        """Gender votes of one group: its titles (2 each, also kept apart as title votes)
        and the first he/his/himself/she/herself/possessive her after a narrative
        occurrence in the same sentence, with no capitalised word between (1 each, first
        eight narrative occurrences). Counted in plain dicts, kept as Counters when not
        empty (None otherwise: no votes, as an empty Counter)."""
        votes: dict[str, int] = {}
        titles: dict[str, int] = {}
        occs = g.occs
        title_gender = self._title_gender
        # titles, per distinct surface (the actors' occurrences left out); the occurrences
        # that may be in narration for the pronouns below (names and roles: cues, subtitle
        # speakers, vocatives and actors never are)
        narr_occs: Iterable[_Occ]
        if len(occs) < 24:
            counts: dict[str, int] = {}
            narr_occs = []
            for o in occs:
                kind = o.kind
                if kind == "actor":
                    continue
                sf = o.surface
                counts[sf] = counts.get(sf, 0) + 1
                if kind == "name" or kind == "role":
                    narr_occs.append(o)
        else:  # a speaker's hundreds of cues: counted in C (actors' only looked for when
            # the document has some, see _pair)
            if self._actor_occs and "actor" in set(map(_KIND, occs)):
                counts = Counter(o.surface for o in occs if o.kind != "actor")
            elif self._actor_occs:
                counts = Counter(map(_SURFACE, occs))
            else:
                counts = self._surface_counts(g)
            narr_occs = compress(occs, map(_NARR_OCC_KINDS.__contains__, map(_KIND, occs)))
        for sf, n in counts.items():
            gnd = title_gender.get(sf, "")
            if gnd == "":
                title = strip_title(strip_suffixes(sf)[0])[1]
                gnd = title_gender[sf] = TITLE_GENDER.get(title) if title else None
            if gnd:
                votes[gnd] = votes.get(gnd, 0) + 2 * n
                titles[gnd] = titles.get(gnd, 0) + n
        # pronouns: the first eight narrative occurrences
        els = self.els
        narr = 0
        for o in narr_occs:
            info = els[o.el]
            if info.cls != "narr":
                continue
            if narr >= 8:
                break
            narr += 1
            text = info.el.text
            pre = _pre_name_gender(text, o.start)
            if pre:
                gnd = GENDER_NOUNS[pre.group(1)]
                votes[gnd] = votes.get(gnd, 0) + 2
            m = _after_name_pronoun(text, o.end)
            if m:
                w = m.group(1)
                if w == "her":  # possessive "her" only ("her bag", not "tells her that")
                    nxt = _NEXT_WORD.match(text, m.end())
                    if not nxt or nxt.group(1) in FUNCTION_WORDS:
                        continue
                gnd = "male" if w in ("he", "his", "himself") else "female"
                votes[gnd] = votes.get(gnd, 0) + 1
        key = g.key.key
        self._gvotes[key] = Counter(votes) if votes else None
        self._tvotes[key] = Counter(titles) if titles else None

    def _settle(self, root: str) -> None:
        """Count the gender votes of cluster ``root``'s groups not counted yet (the same sums
        as counting every group first and adding the votes up at each join)."""
        pending = self._pending.pop(root, None)
        if pending is None:
            return
        gvotes, tvotes = self._gvotes, self._tvotes
        gv, tv = gvotes.pop(root, None), tvotes.pop(root, None)
        for g in pending:
            key = g.key.key
            self._gender_votes(g)  # (into gvotes[key] and tvotes[key]: key is no other root)
            x, y = gvotes.pop(key), tvotes.pop(key)
            if x:
                gv = gv + x if gv else x
            if y:
                tv = tv + y if tv else y
        gvotes[root] = gv
        tvotes[root] = tv

    def _root_votes(self, root: str) -> Counter[str] | None:
        """The gender votes of the cluster whose root is ``root``."""
        if root in self._pending:
            self._settle(root)
        return self._gvotes.get(root)

    @staticmethod
    def _gender_of(votes: Counter[str] | None) -> str | None:
        if not votes:
            return None
        male, female = votes["male"], votes["female"]
        if male > female:
            return "male"
        if female > male:
            return "female"
        return None

    def _conflict(self, a: _Group, b: _Group, strict: bool = False) -> bool:
        """The clusters of ``a`` and ``b`` have opposite genders, one resting on a title
        (``Mrs. X`` and a man; ``Mr. X`` and a woman). ``strict``: any opposite evidence."""
        find = self.uf.find
        ra, rb = find(a.key.key), find(b.key.key)
        ga = self._gender_of(self._root_votes(ra))
        gb = self._gender_of(self._root_votes(rb))
        if ga is None or gb is None or ga == gb:
            return False
        if strict:
            return True
        ta, tb = self._tvotes.get(ra), self._tvotes.get(rb)
        return bool((ta and ta[ga]) or (tb and tb[gb]))

    def _join(self, a: _Group, b: _Group) -> None:
        find = self.uf.find
        ra, rb = find(a.key.key), find(b.key.key)
        if ra == rb:
            return
        self.uf.union(ra, rb)
        root = find(ra)
        other = rb if root == ra else ra
        for d in (self._gvotes, self._tvotes):
            x, y = d.pop(other, None), d.get(root)
            if x:
                d[root] = y + x if y else x
        # the cues that spoke for the other root now speak for the root
        cue_roots = self._cue_roots
        if cue_roots is not None:
            n = cue_roots.pop(other, 0)
            if n:
                cue_roots[root] = cue_roots.get(root, 0) + n
        # the groups not counted yet go with the root, to be counted when it is compared
        pend = self._pending
        p = pend.pop(other, None)
        if p:
            q = pend.get(root)
            pend[root] = q + p if q else p

    def _merge_diminutives(self, persons: list[_Group]) -> None:
        """Full names that differ only by a diminutive of the given name (``Paul Bleeker``
        and ``Paulie Bleeker``; ``Bob``/``Bobby``, ``Dan``/``Danny``) are one person, unless
        both already speak under a cue of their own or their gender evidence differs."""
        by_rest: dict[tuple[str, int], list[tuple[str, _Group]]] = defaultdict(list)
        for g in persons:
            key = g.key.key
            if not key.startswith("w:") or g.key.parts < 2:
                continue
            first, _, rest = key[2:].partition(" ")
            if rest:
                by_rest[(rest, g.key.parts)].append((first, g))
        if not by_rest:
            return
        for members in by_rest.values():
            if len(members) < 2:
                continue
            for i, (fa, a) in enumerate(members):
                for fb, b in members[i + 1 :]:
                    if not is_diminutive(fa, fb) or self._conflict(a, b, strict=True):
                        continue
                    if a.cue and b.cue:
                        continue  # a screenplay gives each character one cue
                    self._join(a, b)

    @staticmethod
    def _has_caps(g: _Group) -> bool:
        """Written in capitals at least once: a screenplay's introduction of a character."""
        return any(o.cand is not None and o.cand.caps for o in g.occs)

    def _choose(self, g: _Group, cands: list[_Group]) -> _Group | None:
        if not cands:
            return None
        roots: dict[str, _Group] = {}
        find = self.uf.find
        for f in cands:
            roots.setdefault(find(f.key.key), f)
        cued: set[str] = set()
        if g.cue:
            # a screenplay gives each character one cue: "MRS. BLEEKER" does not join the
            # full name "Paulie Bleeker" that the cue "BLEEKER" already speaks for (the
            # roots of the cues other than g: counted once per merge, see _join)
            cue_roots = self._cue_roots
            if cue_roots is None:
                cue_roots = self._cue_roots = {}
                for x in self._cues:
                    r = find(x.key.key)
                    cue_roots[r] = cue_roots.get(r, 0) + 1
            own = find(g.key.key)
            cued = {r for r in roots if cue_roots.get(r, 0) > (r == own)}
            if cued and self.doc.source_format in _SUBTITLE_FORMATS:
                # subtitle speaker labels are not a screenplay's one cue per character:
                # "KANG SEO-YEON:" first, then "SEO-YEON:". A label that is the given name
                # of a full-name label joins it (never a surname: "PARK:")
                cued = {r for r in cued if not _given_name_of(g, roots[r])}
            if cued:
                roots = {r: f for r, f in roots.items() if r not in cued}
        if roots:
            # no man joins "Mrs. X", no woman "Mr. X" (titles against the other evidence);
            # among several names a gendered form keeps only those of its own gender
            # ("Mr. Miller" with Robert and Ellen Miller: Robert; with Holly, a woman, and
            # Lucy, unknown: nobody)
            kept = {r: f for r, f in roots.items() if not self._conflict(g, f)}
            if len(kept) < len(roots) and len(roots) > 1:
                gnd = self._gender_of(self._root_votes(find(g.key.key)))
                kept = {
                    r: f for r, f in kept.items() if self._gender_of(self._root_votes(r)) == gnd
                }
            roots = kept
        if len(roots) == 1:
            return next(iter(roots.values()))
        if len(roots) > 1 and g.cue:
            # A screenplay gives each character one cue: a cue that could shorten several
            # full names goes to the only one that has no cue of its own yet.
            free = [f for r, f in roots.items() if r not in cued]
            if len(free) == 1:
                return free[0]
            # ... or to a full name far more present than the others ("Paulie Bleeker"
            # named ten times, "PAUL BLEEKER" once)
            ranked = sorted(free, key=lambda f: -len(f.occs))
            if len(ranked) >= 2 and len(ranked[0].occs) >= 3 * len(ranked[1].occs):
                return ranked[0]
        if len(roots) > 1:
            for f in roots.values():
                f.flags["ambiguous_short"] += 1
        return None

    def _merge_typos(self, persons: list[_Group]) -> None:
        """A rare spelling one edit away from a frequent name, in the same scenes, merges.

        The rare form (at most two occurrences, some evidence of a person, not a cue) joins
        the frequent one (three times as many occurrences, already a character) only when
        exactly one such name is that close and they share a scene.
        """
        by_len: dict[tuple[str, int], list[tuple[str, _Group]]] = defaultdict(list)
        for f in persons:
            if f.accepted and len(f.occs) >= 3:
                ns, fk = f.key.key.split(":", 1)
                by_len[(ns, len(fk))].append((fk, f))
        if not by_len:
            return
        for g in persons:
            if len(g.occs) > 2 or g.cue or g.accepted and len(g.occs) > 1 or g.score < 1:
                continue
            ns, gk = g.key.key.split(":", 1)
            if len(gk) < 5:
                continue
            close: list[_Group] = []
            least = 3 * len(g.occs)
            g0, g1 = gk[0], gk[-1]
            for n in (len(gk) - 1, len(gk), len(gk) + 1):
                for fk, f in by_len.get((ns, n), ()):
                    # (one edit keeps the first or the last letter of names this long: a
                    # cheap test first)
                    if f is g or len(f.occs) < least or fk[0] != g0 and fk[-1] != g1:
                        continue
                    if edit_distance(gk, fk, 1) > 1:
                        continue
                    if self.uf.find(f.key.key) == self.uf.find(g.key.key):
                        continue
                    if self._conflict(f, g):
                        continue
                    scenes = {self.els[o.el].scene for o in g.occs}
                    if scenes & {self.els[o.el].scene for o in f.occs}:
                        close.append(f)
            if len(close) == 1:
                self._join(close[0], g)

    # -- 5. characters -----------------------------------------------------------------

    def build(self) -> dict[str, Character]:
        # the clusters with an accepted member (most groups are rejected alone), each made
        # when its first group is met, as when every cluster is made
        find = self.uf.find
        groups = self.groups.values()
        keep = {
            find(g.key.key) if g.role is None else g.key.key
            for g in groups
            if g.accepted and g.status == "person"
        }
        clusters: dict[str, list[_Group]] = {}
        for g in groups:
            if g.status == "person":
                r = find(g.key.key) if g.role is None else g.key.key
                if r in keep:
                    members = clusters.get(r)
                    if members is None:
                        clusters[r] = [g]
                    else:
                        members.append(g)
        chars: list[tuple[int, Character, list[_Group]]] = []
        for members in clusters.values():
            if len(members) == 1:
                chained = members[0].occs
            else:
                chained = list(chain.from_iterable(m.occs for m in members))
            if not chained:
                continue
            # (element, start) order: _occ_pos's order for any text under 16 M characters
            occs = sorted(chained, key=_START)
            occs.sort(key=_EL)  # (stable: by element, then start)
            name = self._name(members, chained)
            ch = Character(id="", name=name)
            ch.aliases = _aliases(name, map(_SURFACE, occs))
            if len(members) == 1:
                m = members[0]
                ch.actors = sorted(m.actors)
                ambiguous = m.flags.get("ambiguous_short", 0)
            else:
                ch.actors = sorted({a for m in members for a in m.actors})
                ambiguous = sum(m.flags.get("ambiguous_short", 0) for m in members)
            ch.attrs["kind"] = "role" if members[0].role is not None else "named"
            if ambiguous:
                ch.attrs["ambiguous_short_forms"] = ambiguous
            chars.append((self._occ_pos(occs[0]), ch, members))
        chars.sort(key=lambda t: t[0])
        _keep_titles(chars)
        by_group: dict[str, Character] = {}
        used: set[str] = set()
        for _, ch, members in chars:
            base = slugify(ch.name)
            cid, n = base, 2
            while cid in used:
                cid, n = f"{base}-{n}", n + 1
            used.add(cid)
            ch.id = cid
            for m in members:
                by_group[m.key.key] = ch
        self.doc.characters = [ch for _, ch, _ in chars]
        return by_group

    def _name(self, members: list[_Group], occs: list[_Occ] | None = None) -> str:
        """The display name of a cluster; ``occs``: its members' occurrences, chained."""
        if members[0].role is not None:
            role = members[0].role
            if _ROLE_AS_IS.search(role) or role.split()[0] in (
                "his",
                "her",
                "their",
                "my",
                "your",
                "our",
            ):
                if role.split()[0] in ("his", "her", "their", "my", "your", "our"):
                    return role
                return smart_case(role)
            return f"the {role}"
        if occs is None:
            occs = list(chain.from_iterable(m.occs for m in members))
        # Per distinct surface (in order of first appearance: a Counter's order, also when
        # the members' counts are added up in order): its count and the position of its
        # first occurrence; then per bare form (titles and suffixes removed). Actors'
        # occurrences left out (only _pair makes them).
        counts: Counter[str]
        if self._actor_occs:
            if "actor" in set(map(_KIND, occs)):
                occs = [o for o in occs if o.kind != "actor"]
            counts = Counter(map(_SURFACE, occs))
        elif len(members) == 1:
            counts = self._surface_counts(members[0])
        else:
            counts = Counter()
            for m in members:
                counts.update(self._surface_counts(m))
        forms: dict[str, int] = {}
        first: dict[str, int] = {}
        for sf, n in counts.items():
            # (a name that owns its final "-ah" keeps it: see _own_particle)
            own = sf if self.given_ah and self._own_particle(sf) != sf else None
            bare = strip_title(own or strip_suffixes(sf)[0])[0]
            if bare in forms:
                forms[bare] += n
            else:
                forms[bare] = n
                o = occs[indexOf(map(_SURFACE, occs), sf)]
                first[bare] = (o.el << 24) + o.start
        if not forms:
            return smart_case(_best_form(members[0]))

        def rank(f: str) -> tuple[int, int, int, int]:
            return (len(name_parts(f)), int(f != f.upper()), forms[f], -first[f])

        best = max(forms, key=rank)
        return smart_case(best) if best == best.upper() else best

    @staticmethod
    def _occ_pos(o: _Occ) -> int:
        return (o.el << 24) + o.start

    # -- 6. mentions and speakers --------------------------------------------------------

    def mentions(self, by_group: dict[str, Character]) -> None:
        """Each character's mentions, the scenes they are present in, and the gender votes
        their names carry (titles, kinship suffixes, role nouns, appositives: the first
        votes of :func:`gender_evidence`, cast here in the same order, on the same spans).
        Also the number of name and vocative mentions of each character (``self.named``,
        for :func:`presence_and_stats`).
        """
        els = self.els
        span_of = self.spans.span
        src = self.spans.src
        new_span = make_timed_span
        present = self.present
        ctx = self.ctx
        votes = self.votes
        # the narrative mentions of each element, for the pronoun votes of gender_evidence
        narr = self.narr_mentions
        title_gender = TITLE_GENDER
        kinship = KINSHIP_ADDRESS
        # per element: its text is its raw source verbatim (None: not known yet)
        exact: list[bool | None] = [None] * len(els)
        src_count = src.count
        named = self.named
        cue_titles: set[tuple[str, str]] = set()
        title_of: dict[str, str | None] = {}  # a label's title gender, per spelling
        for key, g in self.groups.items():
            target = by_group.get(key)
            if target is None:
                continue
            cid = target.id
            add = target.mentions.append
            n_named = 0
            here = present[cid]
            if g.role is not None:
                gnd = GENDER_NOUNS.get(g.role.split()[-1])
                if gnd and g.occs:
                    o = g.occs[0]
                    votes.append((cid, gnd, 2, span_of(els[o.el].el, o.start, o.end)))
            for o in g.occs:
                kind = o.kind
                if kind == "actor":
                    continue
                info = els[o.el]
                el = info.el
                scene = info.scene
                if kind == "cue" or kind == "speaker":
                    # the speaker's name inside the element's raw source (_SpanMapper.find)
                    surface = o.surface
                    es = el.span
                    pos = src.find(surface, es.start_char, es.end_char) if surface else -1
                    if pos < 0 and surface:
                        # a subtitle line the reader cut in two ("HYE-WON: (sighs) Hi"):
                        # the speaker prefix is before the element, on its first line
                        pos = src.find(
                            surface, src.rfind("\n", 0, es.start_char) + 1, es.start_char
                        )
                    if pos < 0:
                        span = es
                    elif (
                        pos == es.start_char
                        and pos + len(surface) == es.end_char
                        and es.start_line == es.end_line
                    ):
                        # the whole element (most cues): its own span is the same span
                        # (spans are frozen; the not-found case above shares it too)
                        span = es
                    elif es.start_line == es.end_line:
                        line = es.start_line
                        span = new_span(
                            line, line, pos, pos + len(surface), es.start_time, es.end_time
                        )
                    else:
                        span = self.spans._span(es, pos, pos + len(surface))
                    add(Mention(span, surface, kind, cid, 1.0, scene if scene >= 0 else None))
                    # a gendered title in a cue or speaker label ("MRS. OKAFOR:"): one vote
                    # per label as written (the title read once per spelling)
                    gnd = title_of.get(surface, _NO_TITLE)
                    if gnd is _NO_TITLE:
                        gnd = title_of[surface] = _cue_title_gender(surface)
                    if gnd and (cid, surface) not in cue_titles:
                        cue_titles.add((cid, surface))
                        votes.append((cid, gnd, 2, span))
                    continue
                if kind != "vocative":
                    kind = "name"
                # span_of(el, o.start, o.end) inline for its common cases: the element's
                # text is its raw source verbatim, or the name is one word
                es = el.span
                ex = exact[o.el]
                if ex is None:
                    ex = exact[o.el] = len(
                        el.text
                    ) == es.end_char - es.start_char and src.startswith(el.text, es.start_char)
                line = es.start_line
                if line != es.end_line:
                    line = 0
                if ex:
                    if line:
                        base = es.start_char
                        span = new_span(
                            line, line, base + o.start, base + o.end, es.start_time, es.end_time
                        )
                    else:
                        span = span_of(el, o.start, o.end)
                elif " " not in (word := el.text[o.start : o.end]) and word.isprintable() and word:
                    # one word (no white space at all: ``word.split() == [word]``): its k-th
                    # occurrence in the raw source
                    base, stop = es.start_char, es.end_char
                    pos = _nth_find(src, word, el.text.count(word, 0, o.start), base, stop)
                    if pos < 0:
                        span = es
                    else:
                        q = pos + len(word)
                        if line:
                            span = new_span(line, line, pos, q, es.start_time, es.end_time)
                        else:
                            # the word is printable: no line break inside it
                            line = es.start_line + src_count("\n", base, pos)
                            span = new_span(line, line, pos, q, es.start_time, es.end_time)
                else:
                    span = span_of(el, o.start, o.end)
                add(Mention(span, o.surface, kind, cid, 1.0, scene if scene >= 0 else None))
                n_named += 1
                cls = info.cls
                c = o.cand
                if c is not None:
                    gnd = title_gender.get(c.title) if c.title else None
                    if gnd is None and _kinship_suffix(c, el.text, o, ctx) in kinship:
                        gnd = kinship[c.suffix][0]
                    if gnd:
                        votes.append((cid, gnd, 2, span))
                    if cls == "narr":
                        text = el.text
                        pre = _pre_name_gender(text, o.start)
                        if pre:
                            votes.append(
                                (
                                    cid,
                                    GENDER_NOUNS[pre.group(1)],
                                    2,
                                    span_of(el, pre.start(1), pre.end(1)),
                                )
                            )
                        # (the appositive flag is read last: it is the costly test, the
                        # candidate's context, made on first use)
                        if (
                            text.find(",", o.end, o.end + 3) >= 0
                            and (m := _APPOS_GENDER.match(text, o.end + (2 if c.possessive else 0)))
                            and "appositive" in ctx(o)
                        ) or (
                            text.find("(", o.end, o.end + 3) >= 0
                            and (m := _AGE_APPOS_GENDER.match(text, o.end))
                        ):
                            votes.append(
                                (
                                    cid,
                                    GENDER_NOUNS[m.group(1)],
                                    2,
                                    span_of(el, m.start(1), m.end(1)),
                                )
                            )
                if cls == "narr":
                    here.add(scene)
                    narr[o.el].append((o.start, o.end, cid, o))
                elif cls == "paren" or kind == "vocative":
                    here.add(scene)
            named[cid] = named.get(cid, 0) + n_named
        for ch in self.doc.characters:
            # by (span.start_char, span.end_char): two stable sorts on one number each
            ms = ch.mentions
            ms.sort(key=_SPAN_END)
            ms.sort(key=_SPAN_START)

    def actors(self, by_group: dict[str, Character]) -> None:
        records: dict[str, dict[str, Any]] = {}
        for g in self.groups.values():
            if g.status != "actor":
                continue
            plays = sorted({by_group[k].id for k in g.actor_for if k in by_group})
            name = self._name([g]) if g.occs else g.key.key
            rec = records.setdefault(
                name,
                {
                    "name": name,
                    "plays": plays,
                    "evidence": [],
                    "rule": "paired" if plays else "context",
                },
            )
            for o in g.occs:
                info = self.els[o.el]
                span = self.spans.span(info.el, o.start, o.end)
                rec["evidence"].append(span)
                for cid in plays:
                    ch = self.doc.character(cid)
                    if ch is not None:
                        scene = info.scene if info.scene >= 0 else None
                        ch.mentions.append(Mention(span, o.surface, "actor", cid, 1.0, scene))
        for g in self.groups.values():
            if g.status in ("network", "publication", "place", "recapper") and g.occs:
                spans = [self.spans.span(self.els[o.el].el, o.start, o.end) for o in g.occs[:5]]
                self.not_characters.append(
                    {"name": _best_form(g), "kind": g.status, "evidence": spans}
                )
        self.actor_records = records

    def speakers(self, by_group: dict[str, Character]) -> None:
        """Element.speaker_id where the source states the speaker (cues, speaker prefixes).

        In the same pass, what :func:`presence_and_stats` counts per character: the scenes
        they speak in and their lines (``self.speaking``).
        """
        cache: dict[str, list[str]] = {}
        els = self.els
        subtitle = ElementKind.SUBTITLE
        line_kinds = _LINE_KINDS
        speaking = self.speaking = _Speaking(self.doc)
        stats = speaking.stats
        said = speaking.said
        source_attribution = _source_attribution
        last: str | None = None  # the previous element's speaker (a cue and its lines)
        ids: list[str] = []
        last_sid: str | None = None
        st: list[Any] | None = None
        lines_of: list[str] | None = None
        for i in self.spoken_idx:  # cue, speech and paren elements
            info = els[i]
            speaker = info.speaker
            el = info.el
            if speaker:
                if speaker is not last:
                    got = cache.get(speaker)
                    if got is None:
                        got = cache[speaker] = self._resolve_speaker(speaker, by_group)
                    ids = got
                    last = speaker
                if len(ids) == 1:
                    el.speaker_id = ids[0]
                    el.attribution = source_attribution(
                        "subtitle-speaker" if el.kind is subtitle else "cue"
                    )
                elif len(ids) > 1:
                    el.attribution = Attribution(speaker_confidence=None, speaker_rule="group-cue")
                    el.attrs.setdefault("speaker_ids", ids)
            cls = info.cls
            if cls == "paren":
                continue
            # presence_and_stats: the speakers the element has now (the previous
            # element's speaker's counts and lines are kept at hand: a cue and its lines)
            sid = el.speaker_id
            if sid:
                if sid is not last_sid:
                    st = stats.get(sid)
                    lines_of = None
                    last_sid = sid
                if st is not None:
                    st[1].add(info.scene)
                    if cls == "speech" and el.kind in line_kinds:
                        st[0] += 1
                        if lines_of is None:
                            lines_of = said[sid]
                        lines_of.append(el.text)
                continue
            for cid in el.attrs.get("speaker_ids", ()):
                counts = stats.get(cid)
                if counts is None:
                    continue
                counts[1].add(info.scene)
                if cls == "speech" and el.kind in line_kinds:
                    counts[0] += 1
                    said[cid].append(el.text)

    def _resolve_speaker(self, speaker: str, by_group: dict[str, Character]) -> list[str]:
        if fold(speaker) in GROUP_CUES or not is_character_cue(speaker):
            return []
        parts = _CUE_JOIN.split(speaker) if _CUE_JOIN.search(speaker) else [speaker]
        ids: list[str] = []
        for p in parts:
            cid = self._lookup(p.strip(), by_group)
            if cid and cid not in ids:
                ids.append(cid)
        return ids

    def _lookup(self, surface: str, by_group: dict[str, Character]) -> str | None:
        bare = strip_title(strip_suffixes(surface)[0])[0]
        words = fold(bare).split()
        if words and words[-1] in ROLE_NOUNS:
            ch = by_group.get(f"r:{' '.join(words)}")
            if ch:
                return ch.id
        if fold(bare) in ADDRESS_TERMS:
            ch = by_group.get(f"r:{fold(bare)}")
            if ch:
                return ch.id
        ch = by_group.get(self.key(surface).key)
        return ch.id if ch else None

    # -- run -----------------------------------------------------------------------------

    def run(self) -> None:
        self.classify()
        speakers, names, roles = self.collect()
        self.detect_korean(speakers, names)
        self.given_names_in_ah(speakers, names)
        self.group(speakers, names, roles)
        self.find_actors(names)
        self.classify_groups(names)
        self.accept_roles()
        self.merge()
        by_group = self.build()
        self.mentions(by_group)
        self.actors(by_group)
        self.speakers(by_group)
        gender_evidence(
            self.doc,
            self.els,
            self.spans,
            by_group,
            self.groups,
            self.ctx,
            self.narr_mentions,
            (self.texts[1], self.chan_starts[1], self.chan_idx[1]),
            self.narr_skip_idx,
            self.votes,
        )
        presence_and_stats(
            self.doc, self.els, self.present, self.spoken_idx, self.speaking, self.named
        )
        assign_roles(self.doc)
        self.doc.attrs["characters"] = {
            "backend": self.backend,
            "korean_names": self.korean,
            "actors": [
                {
                    "name": r["name"],
                    "plays": r["plays"],
                    "rule": r["rule"],
                    "evidence": r["evidence"],
                }
                for r in sorted(
                    self.actor_records.values(),
                    key=lambda r: r["evidence"][0].start_char if r["evidence"] else 0,
                )
            ],
            "not_characters": self.not_characters,
            "sentences": self.sentences,
        }


_EL = attrgetter("el")
# role phrases shown as written (or smart-cased), not as "the <role>": numbered, possessive
_ROLE_AS_IS = re.compile(r"\d|['’]s\b")
_GROUP = attrgetter("group")
_ACCEPTED = attrgetter("accepted")
_START = attrgetter("start")
_SURFACE = attrgetter("surface")
_KIND = attrgetter("kind")
# the kinds of occurrence that can be in narration (see _Builder._gender_votes)
_NARR_OCC_KINDS = frozenset({"name", "role"})


_SPAN_START = attrgetter("span.start_char")
_SPAN_END = attrgetter("span.end_char")


_new_object = object.__new__


def _source_attribution(rule: str) -> Attribution:
    """``Attribution(None, rule, None, None, [])``: the speaker the source states. Its
    slots are filled directly, which costs less than calling the class (one per cue and
    line); if the class changes, this falls back to calling it."""
    a = _new_object(Attribution)
    a.speaker_confidence = None
    a.speaker_rule = rule
    a.addressee_confidence = None
    a.addressee_rule = None
    a.evidence = []
    return a  # type: ignore[no-any-return]


def _source_attribution_plain(rule: str) -> Attribution:
    return Attribution(None, rule, None, None, [])


if getattr(Attribution, "__slots__", None) != (
    "speaker_confidence",
    "speaker_rule",
    "addressee_confidence",
    "addressee_rule",
    "evidence",
):  # the class changed: its constructor knows how
    _source_attribution = _source_attribution_plain  # noqa: F811


def _kinship_suffix(c: Candidate, text: str, o: _Occ, ctx: Callable[[_Occ], Any]) -> str | None:
    """The candidate's honorific suffix, a spaced one included ("Seo Jun oppa"): that one is
    found with the candidate's context, made on first use, so the context is made here
    when a kinship word follows the name in its element's text."""
    if c.suffix is None and not c.context_done and not c.possessive:
        m = _SPACED_SUFFIX.match(text, o.end)
        if m is not None and m.group(1) in KINSHIP_ADDRESS:
            ctx(o)
    return c.suffix


def _ROLE_MODIFIERS(words: Sequence[str]) -> set[str]:
    """Words that may precede a role noun in a cue ("TOUGH GIRL", "ULTRASOUND TECHNICIAN")."""
    return {w for w in words[:-1] if not w[:1].isdigit()}


@lru_cache(maxsize=65536)
def _form_class(form: str) -> tuple[str | None, bool]:
    """What a group's best form says on its own: the status of a name that is no person's
    (network, publication, place, word; None for a possible person), and whether its bare
    form (titles and suffixes removed) is a single word. (Once per spelling: a pure
    function of the form, see _Builder._classify.)"""
    bare = strip_title(strip_suffixes(form)[0])[0]
    if fold(bare) in ADDRESS_TERMS:
        return "word", False  # "Sunbae-nim", "Oppa": a term of address, never a name
    words = list(map(_STRIP_PUNCT, fold(bare).split()))
    wordset = set(words)
    if not wordset.isdisjoint(NETWORKS):
        return "network", False
    if not wordset.isdisjoint(PUBLICATIONS):
        return "publication", False
    if words and wordset <= _PLACE_OR_STOP:  # every word a place or a stop word
        return "place", False
    if len(words) >= 2 and words[-1] in PLACE_SUFFIXES and not korean_full_name(bare):
        return "place", False
    if not wordset.isdisjoint(WORK_CONTEXT):
        return "word", False
    return None, len(name_parts(bare)) == 1


@lru_cache(maxsize=65536)
def _surface_role(surface: str, cue: bool) -> str | None:
    """The role a surface names ("TOUGH GIRL": "tough girl"; a cue "OPPA": "oppa"), or None
    for a name. (A pure function of the surface, once per spelling: see _group_for.)"""
    bare = strip_title(strip_suffixes(surface)[0])[0]
    words = fold(bare).split()
    if words and words[-1] in ROLE_NOUNS and not (set(words) - ROLE_NOUNS - _ROLE_MODIFIERS(words)):
        return " ".join(words)
    if cue and fold(bare) in ADDRESS_TERMS:
        return fold(bare)
    return None


@lru_cache(maxsize=65536)
def _group_key(surface: str, korean: bool) -> NameKey:
    """The key of a surface's group: its name key, and for a gendered title with a surname
    the gender too ("Mr. Bleeker" and "Mrs. Bleeker" are two people: one group per gender).
    (NameKey is frozen: one object serves every document.)"""
    k = name_key(surface, korean)
    gnd = TITLE_GENDER.get(k.title) if k.title and k.key.startswith("t:") else None
    if gnd:
        k = replace(k, key=f"{k.key}/{gnd[0]}")
    return k


def _best_form(g: _Group) -> str:
    occs = g.occs
    if len(occs) == 1:
        return occs[0].surface
    if len(occs) < 16:
        forms: dict[str, int] = {}
        for o in occs:
            forms[o.surface] = forms.get(o.surface, 0) + 1
    else:
        forms = Counter(map(_SURFACE, occs))
    if not forms:
        return g.key.key.split(":", 1)[-1]
    return max(forms, key=lambda f: (forms[f], f != f.upper(), f))


def _short(key: str) -> str:
    """The short-form key of a group key: ``t:bleeker/f`` (Mrs. Bleeker) is ``t:bleeker``."""
    return key.partition("/")[0] if key.startswith("t:") else key


def _keep_titles(chars: list[tuple[int, Character, list[_Group]]]) -> None:
    """A character only ever written with a title whose bare name is another character's
    alias or surname keeps the title in its name: "Mrs. Bleeker" (his mother), not "Bleeker" (the
    son's alias), and leaves the bare name to the other."""
    owner: dict[str, set[int]] = defaultdict(set)
    for i, (_, ch, _m) in enumerate(chars):
        for a in ch.aliases:
            owner[fold(a)].add(i)
            for part in name_parts(a)[1:]:
                owner[fold(part)].add(i)
    for i, (_, ch, members) in enumerate(chars):
        if members[0].role is not None or not (owner[fold(ch.name)] - {i}):
            continue
        surfaces = [o.surface for m in members for o in m.occs if o.kind != "actor"]
        if not surfaces or not all(strip_title(strip_suffixes(sf)[0])[1] for sf in surfaces):
            continue
        counts = Counter(strip_suffixes(sf)[0] for sf in surfaces)
        best = max(counts, key=lambda f: (int(f != f.upper()), counts[f]))
        name = smart_case(best) if best == best.upper() else best
        ch.name = name
        # ... and does not keep the bare name as an alias either: it belongs to the other
        ch.aliases = _aliases(
            name,
            (
                a
                for a in ch.aliases
                if strip_title(strip_suffixes(a)[0])[1] or not (owner[fold(a)] - {i})
            ),
        )


def _aliases(name: str, surfaces: Iterable[str]) -> list[str]:
    out = [name]
    seen = {name}
    for s in dict.fromkeys(surfaces):  # each distinct surface once, in order
        s = s.strip()
        if s and s not in seen:
            seen.add(s)
            out.append(s)
    return out


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    start = 0
    for m in _SENT_BREAK.finditer(text):
        if m.end() <= pos:
            start = m.end()
        else:
            return start, m.start() + 1
    return start, len(text)


# --- spans ------------------------------------------------------------------------------


def _nth_find(src: str, word: str, k: int, start: int, stop: int) -> int:
    """Where the ``k``-th (0-based) occurrence of ``word`` in ``src[start:stop]`` starts,
    or -1: a word's place in the raw source, counted as in the element's cleaned text."""
    p = src.find(word, start, stop)
    while k > 0 and p >= 0:
        p = src.find(word, p + 1, stop)
        k -= 1
    return p


class _SpanMapper:
    """Maps offsets in ``Element.text`` (cleaned) to exact spans of the decoded source.

    Readers clean text (joined lines, markup removed), so an offset in ``el.text`` is found
    again in the raw source as the same occurrence (k-th) of the same words; when that
    fails the element's own span is used. Line numbers are those of
    :class:`~sceneanatomy.model.LineIndex` (``\\n`` ends a line), counted from the
    element's first line (the span property: ``span.start_line`` is the line of
    ``span.start_char``).
    """

    def __init__(self, doc: Document) -> None:
        self.src = doc.source_text
        # element id -> its text is its raw source verbatim (offsets map one to one)
        self._exact: dict[int, bool] = {}

    def _is_exact(self, el: Element) -> bool:
        """Whether the element's text is its raw source verbatim (remembered per element)."""
        es = el.span
        exact = self._exact[id(el)] = len(el.text) == es.end_char - es.start_char and (
            self.src.startswith(el.text, es.start_char)
        )
        return exact

    def _span(self, es: Span, p: int, q: int) -> Span:
        """The span of ``[p, q)``, a region of the element whose span is ``es``."""
        count = self.src.count
        line = es.start_line + count("\n", es.start_char, p)
        end_line = line + count("\n", p, q - 1) if q - 1 > p else line
        return make_timed_span(line, end_line, p, q, es.start_time, es.end_time)

    def span(self, el: Element, start: int, end: int) -> Span:
        es = el.span
        base = es.start_char
        text = el.text
        exact = self._exact.get(id(el))
        if exact is None:
            exact = self._is_exact(el)
        line = es.start_line
        if line != es.end_line:
            line = 0
        if exact:
            if line:
                return make_timed_span(
                    line, line, base + start, base + end, es.start_time, es.end_time
                )
            return self._span(es, base + start, base + end)
        piece = text[start:end]
        toks = piece.split()
        if not toks:
            return es
        src, stop = self.src, es.end_char
        first = toks[0]
        p = _nth_find(src, first, text.count(first, 0, start), base, stop)
        if p < 0:
            return es
        if len(toks) == 1:
            q = p + len(first)
        else:
            last = toks[-1]
            q = src.find(last, p + len(first), stop)
            if q < 0:
                return es
            q += len(last)
            if "".join(src[p:q].split()) != "".join(toks):
                return es
        if line:
            return make_timed_span(line, line, p, q, es.start_time, es.end_time)
        return self._span(es, p, q)

    def word_span(self, el: Element, start: int, end: int) -> Span:
        """``span(el, start, end)`` for a region that is one word (a pronoun): the same
        span, with the common cases inline (the element's text is its raw source verbatim,
        or the word's k-th occurrence in it); anything else goes to :meth:`span`."""
        es = el.span
        base = es.start_char
        text = el.text
        exact = self._exact.get(id(el))
        if exact is None:
            exact = self._is_exact(el)
        word = text[start:end]
        if exact:
            p = base + start
        elif " " not in word and word.isprintable() and word:
            # no white space at all (``word.split() == [word]``): its k-th occurrence
            src, stop = self.src, es.end_char
            p = _nth_find(src, word, text.count(word, 0, start), base, stop)
            if p < 0:
                return es
        else:
            return self.span(el, start, end)
        q = p + end - start
        line = es.start_line
        if line != es.end_line:
            if not word.isprintable():  # (a line break in it)
                return self._span(es, p, q)
            line += self.src.count("\n", base, p)
        return make_timed_span(line, line, p, q, es.start_time, es.end_time)


# --- gender -----------------------------------------------------------------------------


def gender_evidence(
    doc: Document,
    els: list[_El],
    spans: _SpanMapper,
    by_group: dict[str, Character],
    groups: dict[str, _Group],
    ctx: Callable[[_Occ], set[str]],
    narr_mentions: dict[int, list[tuple[int, int, str, _Occ]]] | None = None,
    speech: tuple[str, list[int], list[int]] | None = None,
    narr_skip: Sequence[int] | None = None,
    first_votes: Sequence[tuple[str, str, int, Span]] | None = None,
) -> None:
    """Votes for each character's gender, each with the span it rests on.

    Titles and gendered nouns (Mr/Mrs, "a girl", role nouns such as mother), Korean
    kinship address (``X oppa`` is male; a speaker who says "oppa" is female), self
    reference in dialogue ("I'm a man too"), and pronouns: the first he/she of the
    sentence after a sentence naming exactly one character (also when the sentence names
    someone else after the pronoun: "He slams the contract down in front of Seul-gi"; not
    a he/she just inside a quotation mark, which is speech; not when that sentence has an
    object him/her of the same gender right after the name's verb: "Walter asks her, '...'
    She ..."),
    and his/himself/herself/possessive her after the name in the same sentence (the name
    a subject: not the object of a speech verb before it, "She tells Tom to leave before
    she calls", only the inversion after a quote, '"Sure," says Tom').

    ``narr_mentions`` (the characters' mentions in each narrative element, in group order),
    ``speech`` (the joined speech text with its element starts and indexes) and
    ``narr_skip`` (the indexes of the narrative and skipped elements) and ``first_votes``
    (the votes of titles, kinship suffixes, role nouns and appositives, as
    ``(character id, gender, weight, span)``) are what the characters stage already built
    (the votes while it made the mentions); without them they are computed here.
    """
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    evidence: dict[str, list[tuple[str, Span]]] = defaultdict(list)
    span_of = spans.span
    word_span = spans.word_span  # (pronouns)

    def vote(cid: str, gender: str, weight: int, span: Span) -> None:
        votes[cid][gender] += weight
        evidence[cid].append((gender, span))

    # titles, kinship suffixes, role nouns, appositives
    for cid, gnd, weight, span in first_votes or ():
        vote(cid, gnd, weight, span)
    for key, g in groups.items() if first_votes is None else ():
        ch = by_group.get(key)
        if ch is None:
            continue
        cid = ch.id
        if g.role is not None:
            noun = g.role.split()[-1]
            gnd = GENDER_NOUNS.get(noun)
            if gnd and g.occs:
                o = g.occs[0]
                vote(cid, gnd, 2, span_of(els[o.el].el, o.start, o.end))
        cue_titles: set[str] = set()
        for o in g.occs:
            c = o.cand
            if c is None:
                if (o.kind == "cue" or o.kind == "speaker") and o.surface not in cue_titles:
                    cue_titles.add(o.surface)
                    gnd = _cue_title_gender(o.surface)
                    if gnd:
                        info = els[o.el]
                        pos = info.el.text.find(o.surface)
                        sp = (
                            span_of(info.el, pos, pos + len(o.surface))
                            if pos >= 0
                            else info.el.span
                        )
                        vote(cid, gnd, 2, sp)
                continue
            info = els[o.el]
            gnd = TITLE_GENDER.get(c.title) if c.title else None
            if gnd is None and _kinship_suffix(c, info.el.text, o, ctx) in KINSHIP_ADDRESS:
                gnd = KINSHIP_ADDRESS[c.suffix][0]
            if gnd:
                vote(cid, gnd, 2, span_of(info.el, o.start, o.end))
            if info.cls == "narr":
                text = info.el.text
                pre = _pre_name_gender(text, o.start)
                if pre:
                    vote(
                        cid,
                        GENDER_NOUNS[pre.group(1)],
                        2,
                        span_of(info.el, pre.start(1), pre.end(1)),
                    )
                m = None
                if text.find(",", o.end, o.end + 3) >= 0 and "appositive" in ctx(o):
                    m = _APPOS_GENDER.match(text, o.end + (2 if c.possessive else 0))
                elif text.find("(", o.end, o.end + 3) >= 0:
                    m = _AGE_APPOS_GENDER.match(text, o.end)
                if m:
                    vote(cid, GENDER_NOUNS[m.group(1)], 2, span_of(info.el, m.start(1), m.end(1)))

    # pronouns in narration, scene by scene
    if narr_mentions is None:
        narr_mentions = defaultdict(list)
        for key, g in groups.items():
            ch = by_group.get(key)
            if ch is None:
                continue
            for o in g.occs:
                if o.kind != "actor" and els[o.el].cls == "narr":
                    narr_mentions[o.el].append((o.start, o.end, ch.id, o))

    subject: dict[int, bool] = {}

    def is_subject(o: _Occ) -> bool:
        if o.role is not None:
            return o.role.acts
        k = id(o)
        v = subject.get(k)
        if v is None:
            flags = ctx(o)
            v = not flags.isdisjoint(_SUBJECT_FLAGS)
            if v and o.cand is not None and flags.isdisjoint(_SUBJECT_FLAGS - {"speech"}):
                v = _speech_subject(els[o.el].el.text, o.start, o.cand)
            subject[k] = v
        return v

    if narr_skip is None:
        narr_skip = [i for i, x in enumerate(els) if x.cls in ("narr", "skip")]
    _pronoun_votes(els, narr_mentions, narr_skip, is_subject, vote, word_span)

    # dialogue: self reference and Korean terms of address. Only the lines where the
    # joined speech text has "I'm"/"I am" or a kinship word can vote; they are found with
    # one search of that text and read one by one, in order, as before.
    if speech is None:
        parts: list[str] = []
        starts: list[int] = []
        idxs: list[int] = []
        pos = 0
        for i, info in enumerate(els):
            if info.cls == "speech":
                parts.append(info.el.text)
                starts.append(pos)
                idxs.append(i)
                pos += len(info.el.text) + 1
        speech = ("\x1e".join(parts), starts, idxs)
    self_hits, kin_hits = _speech_hits(*speech)
    scene_speakers: dict[int, set[str]] | None = None
    for i in sorted(self_hits | kin_hits):
        info = els[i]
        sid = info.el.speaker_id
        if info.cls != "speech" or not sid:
            continue
        text = info.el.text
        if i in self_hits:
            for m in _SELF_GENDER.finditer(text):
                gnd = GENDER_NOUNS.get(m.group(1).lower())
                if gnd:
                    vote(sid, gnd, 2, span_of(info.el, m.start(), m.end()))
        if i not in kin_hits:
            continue
        for m in _KINSHIP.finditer(text):
            if scene_speakers is None:
                scene_speakers = defaultdict(set)
                for x in els:
                    if x.cls == "speech" and x.el.speaker_id:
                        scene_speakers[x.scene].add(x.el.speaker_id)
            addressed, speaker = KINSHIP_ADDRESS[m.group(1).lower()]
            sp = span_of(info.el, m.start(), m.end())
            if speaker:
                vote(sid, speaker, 1, sp)
            others = scene_speakers[info.scene] - {sid}
            if len(others) == 1:
                vote(next(iter(others)), addressed, 1, sp)

    for ch in doc.characters:
        v = votes.get(ch.id)
        if not v:
            ch.gender = "unknown"
            continue
        male, female = v["male"], v["female"]
        if male >= 1 and male >= 2 * female and male > female:
            ch.gender = "male"
        elif female >= 1 and female >= 2 * male and female > male:
            ch.gender = "female"
        else:
            ch.gender = "unknown"
        ch.gender_evidence = sorted(
            (sp for gnd, sp in evidence[ch.id] if gnd == ch.gender), key=lambda s: s.start_char
        )
        ch.attrs["gender_votes"] = {"female": female, "male": male}


_PARTICLE_END = re.compile(r"[\-‐‑](ah|a)$", re.I)


def _fold_hyphens(word: str) -> str:
    return re.sub(r"[\-‐‑]", "", fold(word))


# him / her as the object of the verb right after a name: "Walter asks her", "Tom
# quickly hands him"
_OBJECT_PRONOUN = re.compile(r"(?:['’]s)?\s+(?:[a-z]+\s+){1,2}?(him|her)\b", re.I)


def _object_pronoun_gender(text: str, start: int, end: int) -> str | None:
    """The gender of an object ``him`` / ``her`` (not a possessive ``her``: a word that
    is not a function word follows) one or two words after the name that ends at
    ``start`` ("Walter asks her, ..."), if any."""
    pm = _OBJECT_PRONOUN.match(text, start, end)
    if pm is None:
        return None
    if pm.group(1).lower() == "him":
        return "male"
    nxt = _NEXT_WORD.match(text, pm.end(), end)
    if not nxt or nxt.group(1) in FUNCTION_WORDS:
        return "female"
    return None


def _in_quote(text: str, pos: int) -> bool:
    """Whether ``text[pos]`` is inside a quotation: after an odd number of straight
    double quotes, or after an opening curly quote not yet closed."""
    head = text[:pos]
    if head.count('"') % 2:
        return True
    return head.rfind("“") > head.rfind("”")


def _speech_subject(text: str, start: int, c: Candidate) -> bool:
    """Whether a name whose only subject evidence is a speech verb is the speaker.

    A speech verb after the name (``Tom says``) makes it the subject; one before it only
    in the inversion after a quote (``"Sure," says Tom``, the verb right after a quotation
    mark or a comma). Otherwise the name is the verb's object (``She tells Tom to leave``,
    ``asks Ha-neul``) and not the antecedent of a pronoun that follows it.
    """
    if c.next_word in SPEECH_VERBS or c.prev_word not in SPEECH_VERBS:
        return True
    j = text[:start].lower().rfind(c.prev_word)
    before = text[:j].rstrip() if j >= 0 else ""
    return not before or before[-1] in ",\"“”'‘’"


def _pronoun_votes(
    els: list[_El],
    narr_mentions: dict[int, list[tuple[int, int, str, _Occ]]],
    narr_skip: Sequence[int],
    is_subject: Callable[[_Occ], bool],
    vote: Callable[[str, str, int, Span], None],
    word_span: Callable[[Element, int, int], Span],
) -> None:
    """gender_evidence's pronoun votes in narration, element by element (``narr_skip``:
    the narrative and skipped elements, in order): the first he/she of a sentence after
    a sentence naming one character only, and his/himself/herself/possessive her (or a
    "..., and she" clause subject) after a subject named in the same sentence.
    ``narr_mentions``: each narrative element's mentions ``(start, end, character id,
    occurrence)``, sorted here by start."""
    prev: str | None = None  # character of the previous one-character sentence
    prev_block: str | None = None  # gender of an object him / her in that sentence
    prev_scene = -1
    sent_iter = _SENT.finditer
    lead_match = _LEAD_PRONOUN.match
    lead_word = _LEAD_WORD.search
    pronoun_iter = _PRONOUN.finditer
    mentions_in = narr_mentions.get
    for idx in narr_skip:
        ms = mentions_in(idx)
        if not ms and prev is None:
            # nothing named here, nothing carried: nothing to do (prev_scene is read
            # only to drop a carried character, and there is none)
            continue
        info = els[idx]
        if info.cls != "narr":  # "skip"
            prev = None
            continue
        if prev_scene != info.scene:
            prev, prev_scene = None, info.scene
        if not ms:
            if prev is not None:
                lp = _LEAD_PRONOUN.match(info.el.text)
                if lp:
                    gnd = _LEAD_GENDER.get(lp.group(1).lower(), "female")
                    if gnd != prev_block:
                        vote(prev, gnd, 1, word_span(info.el, lp.start(1), lp.end(1)))
            prev = None
            continue
        text = info.el.text
        n_ms = len(ms)
        if n_ms > 1:
            ms.sort(key=_FIRST)
        k = 0
        # the start of the next mention not yet in a sentence (a sentence names someone
        # when it ends after it); past them all: a number no sentence ends after
        next_start = ms[0][0]
        for m in sent_iter(text):
            e = m.end()
            if next_start >= e:  # no character named in the sentence
                if prev is not None:
                    lp = lead_match(text, m.start())
                    if lp:
                        gnd = _LEAD_GENDER.get(lp.group(1).lower(), "female")
                        if gnd != prev_block:
                            vote(prev, gnd, 1, word_span(info.el, lp.start(1), lp.end(1)))
                    if not m.group().isspace():
                        prev = None
                elif k == n_ms:
                    break  # no character named further on, none to carry: nothing more here
                continue
            k0 = k
            k += 1
            while k < n_ms and ms[k][0] < e:
                k += 1
            next_start = ms[k][0] if k < n_ms else _PAST_ALL
            # the characters named in the sentence: ms[k0:k] (made only when more than one)
            here = ms[k0:k] if k - k0 > 1 else None
            if prev is not None and lead_word(text, m.start(), ms[k0][0]):
                # a he / she opening the sentence before anyone in it is named ("He slams
                # the contract down in front of Seul-gi."), naming someone else after it
                # (looked for only when a pronoun comes before the first name)
                lp = lead_match(text, m.start())
                if lp and lp.end(1) <= ms[k0][0]:
                    gnd = _LEAD_GENDER.get(lp.group(1).lower(), "female")
                    if gnd != prev_block and all(x[2] != prev for x in ms[k0:k]):
                        vote(prev, gnd, 1, word_span(info.el, lp.start(1), lp.end(1)))
            # his / himself / herself / possessive her, and "..., and she" clause subjects:
            # the closest subject named before
            for pm in pronoun_iter(text, ms[k0][1], e):
                w = pm.group().lower()
                ps = pm.start()
                if w in ("he", "she"):
                    if not _CLAUSE_BEFORE.search(text, max(0, ps - 12), ps):
                        continue
                elif w == "her":
                    # possessive "her" only (a word that is not a function word follows),
                    # tested before the subject is looked for (a subject's flags are its
                    # candidate's context, made on first use)
                    nxt = _NEXT_WORD.match(text, pm.end(), e)
                    if not nxt or nxt.group(1) in FUNCTION_WORDS:
                        continue
                elif w not in ("his", "himself", "herself"):
                    continue
                cid = None
                # the last subject that ends before the pronoun
                for x in reversed(here) if here else (ms[k0],):
                    if x[1] <= ps and is_subject(x[3]):
                        cid = x[2]
                        break
                if cid is None:
                    continue
                if w in ("his", "himself", "he"):
                    vote(cid, "male", 1, word_span(info.el, ps, pm.end()))
                else:  # herself, she, possessive her
                    vote(cid, "female", 1, word_span(info.el, ps, pm.end()))
            # the one character the sentence names, if it names one only
            prev = ms[k0][2]
            if here:
                for x in here:
                    if x[2] != prev:
                        prev = None
                        break
            # an object him / her after the name is someone else of that gender, whom
            # the next sentence's he / she may as well mean ("Walter asks her. She ...")
            prev_block = _object_pronoun_gender(text, ms[k - 1][1], e) if prev else None
            if prev is None and k == n_ms:
                break


def _speech_hits(joined: str, starts: list[int], idxs: list[int]) -> tuple[set[int], set[int]]:
    """Indexes of the speech elements that may match _SELF_GENDER, and _KINSHIP.

    The words those patterns start with, looked up in the lower-cased joined text (a
    superset: no word boundaries); when the text holds one of the few characters that
    match an ASCII letter only case-insensitively (``İ ı ſ K``), the patterns themselves.
    """
    self_hits: set[int] = set()
    kin_hits: set[int] = set()
    n = len(starts)
    if not joined.isascii() and _CASE_SPECIAL.search(joined):
        for rx, hits in ((_SELF_GENDER_HINT, self_hits), (_KINSHIP, kin_hits)):
            for m in rx.finditer(joined):
                hits.add(idxs[bisect.bisect_right(starts, m.start()) - 1])
        return self_hits, kin_hits
    low = joined.lower()
    find = low.find
    for w in _SPEECH_HINT_ASCII if joined.isascii() else _SPEECH_HINT_LOOKUP:
        hits = self_hits if w in _SELF_HINT_WORDS else kin_hits
        p = find(w)
        while p >= 0:
            j = bisect.bisect_right(starts, p) - 1
            hits.add(idxs[j])
            p = find(w, starts[j + 1]) if j + 1 < n else -1
    return self_hits, kin_hits


_FIRST = itemgetter(0)
_PAST_ALL = 1 << 62  # (gender_evidence: an offset after any text)


# --- presence, statistics, roles ----------------------------------------------------------


class _Speaking:
    """Per character: lines and the scenes they speak in (``[lines, scenes]``), and the
    text of their lines."""

    def __init__(self, doc: Document) -> None:
        self.stats: dict[str, list[Any]] = {ch.id: [0, set()] for ch in doc.characters}
        self.said: dict[str, list[str]] = defaultdict(list)


def presence_and_stats(
    doc: Document,
    els: list[_El],
    present: dict[str, set[int]],
    spoken: Sequence[int] | None = None,
    speaking: _Speaking | None = None,
    named: dict[str, int] | None = None,
) -> None:
    """Lines, words and scenes per character; presence speaking and non-speaking.

    A character is present in a scene where they speak, are named in the action or
    narration (or a parenthetical), or are addressed by a vocative. Being talked about in
    dialogue is a mention, not presence. ``spoken``: the indexes of the cue, speech and
    paren elements (all elements are looked at without it); ``speaking``: the lines and
    speaking scenes already counted (by the characters stage, as it set the speakers);
    ``named``: the number of name and vocative mentions per character id (counted as the
    stage made them; without it they are counted in ``Character.mentions``).
    """
    if speaking is None:
        speaking = _Speaking(doc)
        stats = speaking.stats
        # each character's lines, joined: one word count per character (a word never
        # crosses the separator)
        said = speaking.said
        line_kinds = _LINE_KINDS
        for i in range(len(els)) if spoken is None else spoken:
            info = els[i]
            cls = info.cls
            if cls != "cue" and cls != "speech":
                continue
            el = info.el
            ids = [el.speaker_id] if el.speaker_id else el.attrs.get("speaker_ids", ())
            for cid in ids:
                st = stats.get(cid)
                if st is None:
                    continue
                st[1].add(info.scene)
                if cls == "speech" and el.kind in line_kinds:
                    st[0] += 1
                    said[cid].append(el.text)
    stats = speaking.stats
    words = {cid: count_words(SEP.join(texts)) for cid, texts in speaking.said.items()}
    scene_ids = [s.id for s in doc.scenes]
    for ch in doc.characters:
        cid = ch.id
        lines, spoke = stats[cid]
        here = present.get(cid)
        scenes = sorted(here | spoke if here else spoke)
        ids = [scene_ids[i] for i in scenes]
        if named is None:
            kinds = Counter(map(_KIND, ch.mentions))
            n_named = kinds["name"] + kinds["vocative"]
        else:
            n_named = named.get(cid, 0)
        ch.attrs.update(
            {
                "lines": lines,
                "words": words.get(cid, 0),
                "scenes": ids,
                "scenes_speaking": [scene_ids[i] for i in sorted(spoke)],
                "scenes_present": ids,
                "mentions": n_named,
                "first_scene": ids[0] if ids else None,
                "last_scene": ids[-1] if ids else None,
            }
        )


# count_words: every non-ASCII character a word character ([^\W_], i.e. str.isalnum) is
# "a", "’" an apostrophe "'", anything else a space
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _non_ascii_classes(m: re.Match[str]) -> str:
    return "".join("a" if c.isalnum() else "'" if c == "’" else " " for c in m.group())


def count_words(text: str) -> int:
    """``len(_WORD.findall(text))`` (words, with ' or ’ inside: "don't"), in C loops.

    Each character is mapped to its class (word character, apostrophe, other); an
    apostrophe between two word characters joins them; the words are then the runs of
    word characters. The classes are bytes (1: in the class, 0: not) read as one big
    integer, one byte per character, so that "the character before / after" is a shift
    by 8 bits and the runs are counted by their first bytes, in a few passes over the
    integer (about twice as fast as replacing and counting substrings).
    """
    if not text.isascii():
        text = _NON_ASCII.sub(_non_ascii_classes, text)
    raw = text.encode("ascii")
    w = _from_bytes(raw.translate(_WORD_BYTES), "little")
    if b"'" in raw:
        # an apostrophe with word characters on both sides is a word character
        w |= _from_bytes(raw.translate(_APOSTROPHE_BYTES), "little") & (w << 8) & (w >> 8)
    return (w & ~(w << 8)).bit_count()


# count_words: a byte 1 for each word character (str.isalnum; _non_ascii_classes maps the
# others to "a"), and for each apostrophe ("'"; _non_ascii_classes maps "’" to it)
_WORD_BYTES = bytes(int(chr(i).isalnum()) for i in range(128)) + bytes(128)
_APOSTROPHE_BYTES = bytes(int(i == 39) for i in range(256))
_from_bytes = int.from_bytes


def prominence(doc: Document) -> dict[str, float]:
    """0..1 per character: words spoken, scenes present and mentions, each against the top."""
    chars = doc.characters
    if not chars:
        return {}
    parts = {
        "words": (0.45, [c.attrs.get("words", 0) for c in chars]),
        "scenes": (0.35, [len(c.attrs.get("scenes", [])) for c in chars]),
        "mentions": (0.20, [c.attrs.get("mentions", 0) for c in chars]),
    }
    # a measure on which everybody is equal (one scene) tells nothing: leave it out
    useful = {k: v for k, v in parts.items() if max(v[1]) > 0 and len(set(v[1])) > 1}
    total_w = sum(w for w, _ in useful.values())
    tops = [(w, vals, max(vals)) for w, vals in useful.values()]
    out: dict[str, float] = {}
    for i, c in enumerate(chars):
        p = 0.0
        for w, vals, top in tops:
            p += w * vals[i] / top
        out[c.id] = p / total_w if total_w else 0.0
    return out


def assign_roles(
    doc: Document,
    leads: Sequence[str] | None = None,
    second_leads: Sequence[str] | None = None,
) -> None:
    """Role of each character: lead, second-lead, supporting, minor, or unknown.

    From prominence (:func:`prominence`). The hook for the love line: a later stage that
    knows the leading couple and their rivals calls this again with ``leads`` /
    ``second_leads`` (character ids); those are fixed and the rest ranked as before.
    Roles are "unknown" for all when the document is too small to judge (fewer than 3
    scenes and fewer than 40 lines and mentions together), and for any character seen
    fewer than twice.
    """
    chars = doc.characters
    if not chars:
        return
    prom = prominence(doc)
    for c in chars:
        c.attrs["prominence"] = round(prom[c.id], 4)
    observations = sum(c.attrs.get("lines", 0) + c.attrs.get("mentions", 0) for c in chars)
    if len(doc.scenes) < 3 and observations < 40 and not leads:
        for c in chars:
            c.role = "unknown"
        return
    fixed_leads = list(leads or [])
    fixed_second = [x for x in (second_leads or []) if x not in fixed_leads]
    ranked = sorted(chars, key=lambda c: (-prom[c.id], c.id))
    top = prom[ranked[0].id] or 1.0
    auto_leads: list[str] = []
    if not fixed_leads:
        auto_leads.append(ranked[0].id)
        if len(ranked) > 1 and prom[ranked[1].id] >= 0.6 * top:
            auto_leads.append(ranked[1].id)
    lead_ids = set(fixed_leads or auto_leads)
    second_ids = set(fixed_second)
    if not fixed_second:
        for c in ranked:
            if c.id in lead_ids:
                continue
            if len(second_ids) < 2 and prom[c.id] >= 0.3 * top:
                second_ids.add(c.id)
    for c in chars:
        seen = c.attrs.get("lines", 0) + c.attrs.get("mentions", 0) + len(c.attrs.get("scenes", []))
        if c.id in lead_ids:
            c.role = "lead"
        elif c.id in second_ids:
            c.role = "second-lead"
        elif seen < 2:
            c.role = "unknown"
        elif prom[c.id] >= 0.08 * top or len(c.attrs.get("scenes", [])) >= 3:
            c.role = "supporting"
        else:
            c.role = "minor"


# --- lookups for later stages -------------------------------------------------------------


def alias_index(doc: Document) -> dict[str, str]:
    """Matching key → character id, for every alias of every character (later stages)."""
    korean = bool(doc.attrs.get("characters", {}).get("korean_names"))
    out: dict[str, str] = {}
    for ch in doc.characters:
        for a in ch.aliases:
            out.setdefault(name_key(a, korean).key, ch.id)
            out.setdefault(f"r:{fold(a).removeprefix('the ').strip()}", ch.id)
    return out


def resolve_name(doc: Document, surface: str, index: dict[str, str] | None = None) -> str | None:
    """The id of the character a name refers to (``Ju Gyeong-ah`` → ``im-ju-gyeong``)."""
    korean = bool(doc.attrs.get("characters", {}).get("korean_names"))
    idx = index if index is not None else alias_index(doc)
    return idx.get(name_key(surface, korean).key) or idx.get(
        f"r:{fold(surface).removeprefix('the ').strip()}"
    )
