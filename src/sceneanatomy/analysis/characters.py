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
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..model import Attribution, Character, Document, Element, ElementKind, LineIndex, Mention, Span
from ..names import (
    ADDRESS_TERMS,
    NameKey,
    edit_distance,
    fold,
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
    KINSHIP_ADDRESS,
    NETWORKS,
    NOT_CUES,
    PLACE_SUFFIXES,
    PLACES,
    PUBLICATIONS,
    ROLE_NOUNS,
    STOPWORDS,
    TITLE_GENDER,
    WORK_CONTEXT,
)
from .name_finder import SEP, Candidate, RoleMention, add_context, find_candidates, find_roles

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
_PLAYED_BY = re.compile(r",?\s+(?:played|portrayed)\s+by\s+")
_COORD = re.compile(r"(?:['’]s)?\s*(?:,|,?\s*(?:and|or|&))\s*")
_SENT_BREAK = re.compile(r"[.!?…]+[\"'”’)]*\s+")
_NEXT_WORD = re.compile(r"\s+([a-z][a-z'’-]*)")
_KINSHIP = re.compile(
    r"(?<![\w-])(oppa|unnie|eonni|onni|hyung|hyeong|noona|nuna|오빠|언니|형|누나)(?![\w-])", re.I
)
_SENT = re.compile(r"[^.!?…]+(?:[.!?…]+[\"'”’)]*|$)")
_TURN = re.compile(r"^\s*([A-Z][\w.'’ -]{0,40}?)\s*:\s+\S")
_PUBLICATION_BEFORE = re.compile(
    r"(?:(?:thoughts|comments|views|opinions|feedback)\s+with|according\s+to|\bvia|source:?|credit:?|©)\s*$",
    re.I,
)
_SELF_GENDER = re.compile(
    r"\bI(?:['’]m| am)\s+(?:(?:a|an|the|just|only|also|still|not)\s+)*(?:[a-z]+\s+)?"
    r"(man|woman|boy|girl|guy|gentleman|lady|father|mother|dad|mom|son|daughter|brother|"
    r"sister|husband|wife|king|queen|prince|princess|actress|actor)\b",
    re.I,
)
_APPOS_GENDER = re.compile(
    r",\s+(?:a|an|the|his|her)\s+(?:[a-z'’-]+\s+){0,4}?(" + "|".join(sorted(GENDER_NOUNS)) + r")\b"
)
_CLAUSE_BEFORE = re.compile(r"(?:,\s*|\s)(?:and|but|then|so|before|until)\s+$", re.I)
_SUBJECT_FLAGS = frozenset({"acts", "state", "speech", "appositive", "be"})
_PRONOUN = re.compile(r"(?<![\w'’])(he|him|his|himself|she|her|hers|herself)(?![\w'’])", re.I)
_LEAD_PRONOUN = re.compile(
    r"\W*(?:(?:then|and|but|so|now|suddenly|finally|later|still|instead|meanwhile|also)\W+)?(he|she)\b",
    re.I,
)


# --- working records --------------------------------------------------------------------


@dataclass(slots=True)
class _El:
    el: Element
    scene: int
    cls: str = "skip"  # "cue" | "speech" | "paren" | "narr" | "quote" | "furniture" | "skip"
    speaker: str | None = None  # cleaned speaker surface (cue / subtitle prefix / propagated)
    offset: int = -1  # where el.text starts in its joined text


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


@dataclass(slots=True)
class _Group:
    key: NameKey
    occs: list[_Occ] = field(default_factory=list)
    flags: Counter[str] = field(default_factory=Counter)
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
    _Builder(doc, nlp_backend.choose(nlp)).run()
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


def is_character_cue(name: str) -> bool:
    """False for transitions and camera directions that readers may take for cues."""
    if not name or not any(c.isalpha() for c in name) or len(name) > 40:
        return False
    words = [w.strip(".,'’") for w in fold(name).split()]
    if len(words) > 5:
        return False
    if all(w in NOT_CUES or w in STOPWORDS for w in words):
        return False
    return not name.rstrip().endswith(("TO", "TO:", ":"))


class _Builder:
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
        self.lines = LineIndex(doc.source_text)
        self.spans = _SpanMapper(doc, self.lines)
        self.sentences = 0
        self.screenplay = False
        self.present: dict[str, set[int]] = defaultdict(set)

    # -- 1. elements -------------------------------------------------------------------

    def classify(self) -> None:
        covered_until = -1
        els = self.els
        speech_kinds = _SPEECH_KINDS
        narr_kinds = _NARR_KINDS
        for scene in self.doc.scenes:
            current: str | None = None
            si = scene.index
            for el in scene.elements:
                k = el.kind
                if k in narr_kinds:
                    els.append(_El(el, si, "narr"))
                    current = None
                    if el.span.end_char > covered_until:
                        covered_until = el.span.end_char
                elif k is ElementKind.CHARACTER:
                    current = clean_cue(el.speaker or el.text)
                    els.append(_El(el, si, "cue", current))
                elif k in speech_kinds or k is ElementKind.PARENTHETICAL:
                    if k is ElementKind.PARENTHETICAL:
                        cls = "paren"
                    elif el.span.end_char <= covered_until:
                        cls = "quote"  # a quote inside narration already read
                    else:
                        cls = "speech"
                    if el.speaker:
                        speaker: str | None = clean_cue(el.speaker)
                    elif k is not ElementKind.SUBTITLE:
                        speaker = current
                    else:
                        speaker = None
                    els.append(_El(el, si, cls, speaker))
                else:
                    els.append(_El(el, si, "skip"))
                    current = None
        for el in self.doc.furniture:
            # page furniture ("ALSO READ: ...") is not narrative, but the names it uses
            # for known characters are aliases all the same
            if el.kind is not ElementKind.PAGE_BREAK and el.text.strip():
                els.append(_El(el, -1, "furniture"))
        # two joined texts: narrative (names found freely) and speech (names looked up)
        for chan, classes in ((0, ("narr", "paren", "furniture")), (1, ("speech",))):
            parts: list[str] = []
            starts: list[int] = []
            idxs: list[int] = []
            pos = 0
            for idx, info in enumerate(els):
                if info.cls in classes:
                    info.offset = pos
                    parts.append(info.el.text)
                    starts.append(pos)
                    idxs.append(idx)
                    pos += len(info.el.text) + 1
            self.texts[chan] = SEP.join(parts)
            self.chan_starts[chan] = starts
            self.chan_idx[chan] = idxs

    def _el_at(self, chan: int, pos: int) -> int:
        j = bisect.bisect_right(self.chan_starts[chan], pos) - 1
        return self.chan_idx[chan][j]

    def ctx(self, o: _Occ) -> set[str]:
        """The local evidence flags of a name occurrence (computed on first use)."""
        c = o.cand
        if c is None:
            return set()
        return add_context(self.texts[o.chan], c)

    # -- 2. occurrences ----------------------------------------------------------------

    def collect(self) -> tuple[list[_Occ], list[_Occ], list[_Occ]]:
        speakers: list[_Occ] = []
        for idx, info in enumerate(self.els):
            if info.cls == "cue" and info.speaker:
                speakers.append(self._speaker_occ(idx, info, "cue"))
            elif info.cls == "speech" and info.el.kind is ElementKind.SUBTITLE and info.speaker:
                speakers.append(self._speaker_occ(idx, info, "speaker"))
        names: list[_Occ] = []
        known = {w for o in speakers for w in re.split(r"[\s\-‐‑]+", fold(o.surface)) if w}
        known -= STOPWORDS
        # A screenplay introduces its people in capitals and names them by their cues: in
        # its action lines only names in capitals or sharing a word with a cue are read.
        screenplay = self.screenplay = sum(1 for o in speakers if o.kind == "cue") >= 20
        disjoint = known.isdisjoint
        narr_keep = (lambda ws, caps: caps or not disjoint(ws)) if screenplay else None
        cands = find_candidates(self.texts[0], narr_keep)
        if self.backend == "spacy":
            cands = self._spacy(cands)
        prose = self.doc.source_format == "prose"
        for c in cands:
            idx = self._el_at(0, c.start)
            info = self.els[idx]
            s, e = c.start - info.offset, c.end - info.offset
            if prose and s == 0 and info.cls == "narr":
                text = info.el.text
                if _TURN.match(text) and text[e : e + 2].lstrip().startswith(":"):
                    c.flags.add("turn")
            names.append(_Occ(idx, s, e, c.surface, "name", cand=c, chan=0))
        # Dialogue and subtitles: when the source names its speakers, look there only for
        # names that start like a speaker's (vocatives, mentions); otherwise for any name.
        keep = (lambda ws, caps: not disjoint(ws)) if known else None
        speech = self.texts[1]
        for c in find_candidates(speech, keep):
            idx = self._el_at(1, c.start)
            info = self.els[idx]
            flags = add_context(speech, c)
            kind = "vocative" if (c.suffix or "vocative_position" in flags) else "name"
            names.append(
                _Occ(
                    idx, c.start - info.offset, c.end - info.offset, c.surface, kind, cand=c, chan=1
                )
            )
        roles: list[_Occ] = []
        for r in find_roles(self.texts[0]):
            idx = self._el_at(0, r.start)
            info = self.els[idx]
            if info.cls not in ("narr", "paren"):
                continue
            roles.append(
                _Occ(idx, r.start - info.offset, r.end - info.offset, r.surface, "role", role=r)
            )
        return speakers, names, roles

    def _speaker_occ(self, idx: int, info: _El, kind: str) -> _Occ:
        text = info.el.text
        sp = info.speaker or ""
        pos = text.find(sp) if sp else -1
        if pos < 0:
            pos = fold(text).find(fold(sp)) if sp else -1
        s, e = (pos, pos + len(sp)) if pos >= 0 else (0, len(text))
        return _Occ(idx, s, e, sp, kind)

    def _spacy(self, cands: list[Candidate]) -> list[Candidate]:
        texts = [i.el.text for i in self.els if i.cls == "narr"]
        offs = [i.offset for i in self.els if i.cls == "narr"]
        analysed = nlp_backend.analyse(texts)
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
                        hit.flags.add("ner_person")
                        if ent.subject:
                            hit.flags.add("ner_subject")
                    else:
                        surface = text[ent.start : ent.end]
                        if surface.endswith(("'s", "’s")):
                            surface, ge = surface[:-2], ge - 2
                        if surface[:1].isupper() and gs not in by_start:
                            c = Candidate(gs, ge, surface, surface.isupper(), False)
                            c.flags.add("ner_person")
                            extra.append(c)
                elif (
                    ent.label in nlp_backend.NON_PERSON_LABELS
                    and hit is not None
                    and hit.start >= gs
                    and hit.end <= ge
                ):
                    hit.flags.add("ner_other")
        return sorted(cands + extra, key=lambda c: c.start)

    # -- 3. keys, groups, filters -------------------------------------------------------

    def key(self, surface: str) -> NameKey:
        k = self.keys.get(surface)
        if k is None:
            k = self.keys[surface] = name_key(surface, self.korean)
        return k

    def detect_korean(self, speakers: Sequence[_Occ], names: Sequence[_Occ]) -> None:
        if any(_HANGUL.search(o.surface) for o in speakers):
            self.korean = True
            return
        fulls = {fold(o.surface) for o in names if korean_full_name(o.surface)}
        fulls |= {fold(o.surface) for o in speakers if korean_full_name(o.surface)}
        self.korean = len(fulls) >= 2

    def group(self, speakers: list[_Occ], names: list[_Occ], roles: list[_Occ]) -> None:
        self.group_cache: dict[tuple[str, bool], _Group] = {}
        for o in speakers:
            parts = _CUE_JOIN.split(o.surface) if _CUE_JOIN.search(o.surface) else [o.surface]
            if fold(o.surface) in GROUP_CUES or not is_character_cue(o.surface):
                continue
            if len(parts) > 1:
                continue  # "JUNO AND LEAH": handled as a group line in speakers()
            g = self._group_for(o.surface, cue=True)
            g.occs.append(o)
            o.group = g
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
        for o in names:
            c = o.cand
            assert c is not None
            g = self.group_cache.get((c.surface, False))
            if g is None:
                g = self.group_cache[(c.surface, False)] = self._group_for(c.surface, cue=False)
            g.occs.append(o)
            o.group = g
            # evidence flags are gathered later, lazily (_gather), for groups that need them

    def _group_for(self, surface: str, cue: bool) -> _Group:
        bare = strip_title(strip_suffixes(surface)[0])[0]
        words = fold(bare).split()
        if (
            words
            and words[-1] in ROLE_NOUNS
            and not (set(words) - ROLE_NOUNS - _ROLE_MODIFIERS(words))
        ):
            g = self._role_group(" ".join(words))
        elif cue and fold(bare) in ADDRESS_TERMS:
            g = self._role_group(fold(bare))
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
        narr = [o for o in names if o.cand is not None and self.els[o.el].cls == "narr"]
        promoted: set[str] = set()
        for a, b in zip(narr, narr[1:], strict=False):
            assert a.cand is not None and b.cand is not None
            if not _COORD.fullmatch(text, a.cand.end, b.cand.start):
                continue
            ga, gb = a.group, b.group
            assert ga is not None and gb is not None
            for x, y in ((ga, gb), (gb, ga)):
                if x.accepted and not y.accepted and y.status == "person" and y.role is None:
                    promoted.add(y.key.key)
        for k in promoted:
            g = self.groups[k]
            g.flags["coordinated"] += 1
            self._classify(g)

    def _classify(self, g: _Group) -> None:
        if g.status == "actor":
            return
        bare = strip_title(strip_suffixes(_best_form(g))[0])[0]
        words = [w.strip(".,'’") for w in fold(bare).split()]
        wordset = set(words)
        if wordset & NETWORKS:
            g.status = "network"
            return
        if wordset & PUBLICATIONS:
            g.status = "publication"
            return
        if words and all(w in PLACES or w in STOPWORDS for w in words):
            g.status = "place"
            return
        if len(words) >= 2 and words[-1] in PLACE_SUFFIXES and not korean_full_name(bare):
            g.status = "place"
            return
        if wordset & WORK_CONTEXT:
            g.status = "word"
            return
        if g.cue:
            g.accepted = True
            return
        narr = [o for o in g.occs if self.els[o.el].cls in ("narr", "paren")]
        single = len(name_parts(bare)) == 1
        all_initial = all(
            o.cand is not None and o.cand.initial
            for o in g.occs
            if self.els[o.el].cls != "furniture"
        )
        self._gather(g, limit=2 if single and all_initial else 8)
        strong = sum(g.flags[f] for f in _STRONG)
        for o in g.occs:
            src = self.texts[o.chan]
            before = src[max(0, o.cand.start - 40) : o.cand.start] if o.cand else ""
            if _PUBLICATION_BEFORE.search(before):
                g.status = "publication"
                return
        if narr and all(o.cand is not None and "turn" in o.cand.flags for o in narr) and not strong:
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
        score = sum(FLAG_POINTS.get(f, 0) * min(n, 2) for f, n in g.flags.items())
        if g.key.key.startswith("k:"):
            # a family-name-first Korean name is itself evidence of a person (actors and
            # organisations were set apart above)
            score += 2 if self.korean else 1
        g.score = score
        occ_kinds = {self.els[o.el].cls for o in g.occs}
        if occ_kinds <= {"furniture"}:
            g.accepted = False  # furniture only names known characters, never new ones
            return
        if occ_kinds <= {"speech", "furniture"}:
            # names only spoken: a character when addressed (vocative, suffix, title)
            g.accepted = score >= ACCEPT_SCORE and bool(strong or g.flags["vocative_position"] >= 2)
            return
        if single and all_initial and not strong:
            g.accepted = False
            return
        if g.caps_only and not (g.flags["age"] or g.flags["appositive"] or strong):
            g.accepted = False  # capitals in action lines: sounds, props, signs
            return
        g.accepted = score >= ACCEPT_SCORE

    def _gather(self, g: _Group, limit: int) -> None:
        """Add the evidence flags of (at most ``limit`` more of) a group's occurrences."""
        done = g.flags["_gathered"]
        for o in g.occs[done : done + limit]:
            if self.els[o.el].cls == "furniture":
                continue
            for f in self.ctx(o):
                g.flags[f] += 1
        g.flags["_gathered"] = min(len(g.occs), done + limit)

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
        persons = [g for g in self.groups.values() if g.status == "person" and g.role is None]
        for g in persons:
            self.uf.find(g.key.key)
        fulls = [
            g
            for g in persons
            if g.key.shorts
            and (
                g.accepted
                or g.cue
                or g.flags["age"]
                or g.score >= ACCEPT_SCORE
                or (g.score >= 1 and g.key.key.startswith("k:"))
                or (g.score >= 0 and self.screenplay and self._has_caps(g))
            )
        ]
        short_index: dict[str, list[_Group]] = defaultdict(list)
        for f in fulls:
            for s in f.key.shorts:
                short_index[s].append(f)
        linked: set[str] = set()
        for g in sorted(persons, key=lambda g: (-g.key.parts, g.key.key)):
            if g.key.key.startswith(("k:", "w:")) and not g.key.alt:
                continue
            cands = [f for f in short_index.get(g.key.key, []) if f is not g]
            target = self._choose(g, cands)
            if target is not None:
                self.uf.union(target.key.key, g.key.key)
                linked.add(g.key.key)
        # Second reading of ambiguous two-part names ("Seo Jun" = surname Seo + Jun), used
        # only when the given-name reading found no longer name.
        alt_index: dict[str, list[_Group]] = defaultdict(list)
        for g in persons:
            if g.key.alt and g.key.key not in linked and (g.accepted or g.cue):
                for s in g.key.alt_shorts:
                    alt_index[s].append(g)
        for g in persons:
            if g.key.key in linked or g.key.key.startswith(("k:", "w:")):
                continue
            cands = [f for f in alt_index.get(g.key.key, []) if f is not g]
            target = self._choose(g, cands)
            if target is not None:
                self.uf.union(target.key.key, g.key.key)
        self._merge_typos(persons)

    @staticmethod
    def _has_caps(g: _Group) -> bool:
        """Written in capitals at least once: a screenplay's introduction of a character."""
        return any(o.cand is not None and o.cand.caps for o in g.occs)

    def _choose(self, g: _Group, cands: list[_Group]) -> _Group | None:
        roots: dict[str, _Group] = {}
        for f in cands:
            roots.setdefault(self.uf.find(f.key.key), f)
        if g.cue:
            # a screenplay gives each character one cue: "MRS. BLEEKER" does not join the
            # full name "Paulie Bleeker" that the cue "BLEEKER" already speaks for
            cued = {self.uf.find(x.key.key) for x in self.groups.values() if x.cue and x is not g}
            roots = {r: f for r, f in roots.items() if r not in cued}
        if len(roots) == 1:
            return next(iter(roots.values()))
        if len(roots) > 1 and g.cue:
            # A screenplay gives each character one cue: a cue that could shorten several
            # full names goes to the only one that has no cue of its own yet.
            cue_roots = {
                self.uf.find(x.key.key) for x in self.groups.values() if x.cue and x is not g
            }
            free = [f for r, f in roots.items() if r not in cue_roots]
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
            for n in (len(gk) - 1, len(gk), len(gk) + 1):
                for fk, f in by_len.get((ns, n), ()):
                    if f is g or len(f.occs) < 3 * len(g.occs) or edit_distance(gk, fk, 1) > 1:
                        continue
                    if self.uf.find(f.key.key) == self.uf.find(g.key.key):
                        continue
                    scenes = {self.els[o.el].scene for o in g.occs}
                    if scenes & {self.els[o.el].scene for o in f.occs}:
                        close.append(f)
            if len(close) == 1:
                self.uf.union(close[0].key.key, g.key.key)

    # -- 5. characters -----------------------------------------------------------------

    def build(self) -> dict[str, Character]:
        clusters: dict[str, list[_Group]] = defaultdict(list)
        for g in self.groups.values():
            if g.status == "person":
                clusters[self.uf.find(g.key.key) if g.role is None else g.key.key].append(g)
        chars: list[tuple[int, Character, list[_Group]]] = []
        for members in clusters.values():
            if not any(m.accepted for m in members):
                continue
            occs = sorted((o for m in members for o in m.occs), key=self._occ_pos)
            if not occs:
                continue
            name = self._name(members)
            ch = Character(id="", name=name)
            ch.aliases = _aliases(name, [o.surface for o in occs])
            ch.actors = sorted({a for m in members for a in m.actors})
            ch.attrs["kind"] = "role" if members[0].role is not None else "named"
            ambiguous = sum(m.flags["ambiguous_short"] for m in members)
            if ambiguous:
                ch.attrs["ambiguous_short_forms"] = ambiguous
            chars.append((self._occ_pos(occs[0]), ch, members))
        chars.sort(key=lambda t: t[0])
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

    def _name(self, members: list[_Group]) -> str:
        if members[0].role is not None:
            role = members[0].role
            if re.search(r"\d|['’]s\b", role) or role.split()[0] in (
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
        forms: Counter[str] = Counter()
        first: dict[str, int] = {}
        for m in members:
            for o in m.occs:
                if o.kind == "actor":
                    continue
                bare = strip_title(strip_suffixes(o.surface)[0])[0]
                forms[bare] += 1
                first.setdefault(bare, self._occ_pos(o))
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
        for key, g in self.groups.items():
            ch = by_group.get(key)
            for o in g.occs:
                info = self.els[o.el]
                if o.kind == "actor":
                    continue
                target = ch
                if target is None:
                    continue
                kind = o.kind if o.kind in ("cue", "speaker", "vocative") else "name"
                if kind in ("cue", "speaker"):
                    span = self.spans.find(info.el, o.surface)
                else:
                    span = self.spans.span(info.el, o.start, o.end)
                scene = info.scene if info.scene >= 0 else None
                target.mentions.append(Mention(span, o.surface, kind, target.id, 1.0, scene))
                if info.cls in ("narr", "paren") or kind == "vocative":
                    self.present[target.id].add(info.scene)
        for ch in self.doc.characters:
            ch.mentions.sort(key=lambda m: (m.span.start_char, m.span.end_char))

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
        """Element.speaker_id where the source states the speaker (cues, speaker prefixes)."""
        cache: dict[str, list[str]] = {}
        for info in self.els:
            if info.cls not in ("cue", "speech", "paren") or not info.speaker:
                continue
            ids = cache.get(info.speaker)
            if ids is None:
                ids = cache[info.speaker] = self._resolve_speaker(info.speaker, by_group)
            el = info.el
            rule = "subtitle-speaker" if el.kind is ElementKind.SUBTITLE else "cue"
            if len(ids) == 1:
                el.speaker_id = ids[0]
                el.attribution = Attribution(
                    speaker_confidence=None, speaker_rule=rule, evidence=[]
                )
            elif len(ids) > 1:
                el.attribution = Attribution(speaker_confidence=None, speaker_rule="group-cue")
                info.el.attrs.setdefault("speaker_ids", ids)

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
        self.group(speakers, names, roles)
        self.find_actors(names)
        self.classify_groups(names)
        self.accept_roles()
        self.merge()
        by_group = self.build()
        self.mentions(by_group)
        self.actors(by_group)
        self.speakers(by_group)
        gender_evidence(self.doc, self.els, self.spans, by_group, self.groups, self.ctx)
        presence_and_stats(self.doc, self.els, self.present)
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


def _ROLE_MODIFIERS(words: Sequence[str]) -> set[str]:
    """Words that may precede a role noun in a cue ("TOUGH GIRL", "ULTRASOUND TECHNICIAN")."""
    return {w for w in words[:-1] if not w[:1].isdigit()}


def _best_form(g: _Group) -> str:
    forms = Counter(o.surface for o in g.occs)
    if not forms:
        return g.key.key.split(":", 1)[-1]
    return max(forms, key=lambda f: (forms[f], f != f.upper(), f))


def _aliases(name: str, surfaces: Iterable[str]) -> list[str]:
    out = [name]
    seen = {name}
    for s in surfaces:
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


class _SpanMapper:
    """Maps offsets in ``Element.text`` (cleaned) to exact spans of the decoded source.

    Readers clean text (joined lines, markup removed), so an offset in ``el.text`` is found
    again in the raw source as the same occurrence (k-th) of the same words; when that
    fails the element's own span is used.
    """

    def __init__(self, doc: Document, lines: LineIndex) -> None:
        self.src = doc.source_text
        self.lines = lines

    def find(self, el: Element, surface: str) -> Span:
        """The span of ``surface`` (a speaker name) inside the element's raw source."""
        base, stop = el.span.start_char, el.span.end_char
        p = self.src.find(surface, base, stop) if surface else -1
        if p < 0:
            return el.span
        q = p + len(surface)
        if el.span.start_line == el.span.end_line:
            return Span(
                el.span.start_line, el.span.start_line, p, q, el.span.start_time, el.span.end_time
            )
        return self.lines.span(p, q, el.span.start_time, el.span.end_time)

    def span(self, el: Element, start: int, end: int) -> Span:
        base, stop = el.span.start_char, el.span.end_char
        t0, t1 = el.span.start_time, el.span.end_time
        src, text = self.src, el.text
        line = el.span.start_line if el.span.start_line == el.span.end_line else 0
        if len(text) == stop - base and src.startswith(text, base):
            if line:
                return Span(line, line, base + start, base + end, t0, t1)
            return self.lines.span(base + start, base + end, t0, t1)
        piece = text[start:end]
        toks = piece.split()
        if not toks:
            return el.span
        first, last = toks[0], toks[-1]
        k = text.count(first, 0, start)
        p = src.find(first, base, stop)
        while k > 0 and p >= 0:
            p = src.find(first, p + 1, stop)
            k -= 1
        if p < 0:
            return el.span
        if len(toks) == 1:
            q = p + len(first)
        else:
            q = src.find(last, p + len(first), stop)
            if q < 0:
                return el.span
            q += len(last)
        if "".join(src[p:q].split()) != "".join(toks):
            return el.span
        if line:
            return Span(line, line, p, q, t0, t1)
        return self.lines.span(p, q, t0, t1)


# --- gender -----------------------------------------------------------------------------


def gender_evidence(
    doc: Document,
    els: list[_El],
    spans: _SpanMapper,
    by_group: dict[str, Character],
    groups: dict[str, _Group],
    ctx: Callable[[_Occ], set[str]],
) -> None:
    """Votes for each character's gender, each with the span it rests on.

    Titles and gendered nouns (Mr/Mrs, "a girl", role nouns such as mother), Korean
    kinship address (``X oppa`` is male; a speaker who says "oppa" is female), self
    reference in dialogue ("I'm a man too"), and pronouns: the first he/she of the
    sentence after a sentence naming exactly one character, and his/himself/herself/
    possessive her after the name in the same sentence.
    """
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    evidence: dict[str, list[tuple[str, Span]]] = defaultdict(list)

    def vote(cid: str, gender: str, weight: float, span: Span) -> None:
        votes[cid][gender] += weight
        evidence[cid].append((gender, span))

    # titles, kinship suffixes, role nouns, appositives
    for key, g in groups.items():
        ch = by_group.get(key)
        if ch is None:
            continue
        if g.role is not None:
            noun = g.role.split()[-1]
            gnd = GENDER_NOUNS.get(noun)
            if gnd and g.occs:
                o = g.occs[0]
                vote(ch.id, gnd, 2, spans.span(els[o.el].el, o.start, o.end))
        for o in g.occs:
            c = o.cand
            info = els[o.el]
            if c is None:
                continue
            gnd = TITLE_GENDER.get(c.title) if c.title else None
            if gnd is None and c.suffix in KINSHIP_ADDRESS:
                gnd = KINSHIP_ADDRESS[c.suffix][0]
            if gnd:
                vote(ch.id, gnd, 2, spans.span(info.el, o.start, o.end))
            after = info.el.text[o.end : o.end + 3]
            if info.cls == "narr" and "," in after and "appositive" in ctx(o):
                m = _APPOS_GENDER.match(info.el.text, o.end + (2 if c.possessive else 0))
                if m:
                    vote(
                        ch.id,
                        GENDER_NOUNS[m.group(1)],
                        2,
                        spans.span(info.el, m.start(1), m.end(1)),
                    )

    # pronouns in narration, scene by scene
    mentions_by_el: dict[int, list[tuple[int, int, str, _Occ]]] = defaultdict(list)
    for key, g in groups.items():
        ch = by_group.get(key)
        if ch is None:
            continue
        for o in g.occs:
            if o.kind != "actor" and els[o.el].cls == "narr":
                mentions_by_el[o.el].append((o.start, o.end, ch.id, o))

    def is_subject(o: _Occ) -> bool:
        if o.role is not None:
            return o.role.acts
        return bool(ctx(o) & _SUBJECT_FLAGS)

    prev: str | None = None  # character of the previous one-character sentence
    prev_scene = -1
    for idx, info in enumerate(els):
        if info.cls != "narr":
            if info.cls == "skip":
                prev = None
            continue
        if prev_scene != info.scene:
            prev, prev_scene = None, info.scene
        text = info.el.text
        ms = mentions_by_el.get(idx)
        if not ms:
            if prev is not None:
                lp = _LEAD_PRONOUN.match(text)
                if lp:
                    gnd = "male" if lp.group(1).lower() == "he" else "female"
                    vote(prev, gnd, 1, spans.span(info.el, lp.start(1), lp.end(1)))
            prev = None
            continue
        ms.sort(key=lambda x: x[0])
        k = 0
        for m in _SENT.finditer(text):
            s, e = m.start(), m.end()
            k0 = k
            while k < len(ms) and ms[k][0] < e:
                k += 1
            here = ms[k0:k]
            if not here:
                if prev is not None:
                    lp = _LEAD_PRONOUN.match(text, s)
                    if lp:
                        gnd = "male" if lp.group(1).lower() == "he" else "female"
                        vote(prev, gnd, 1, spans.span(info.el, lp.start(1), lp.end(1)))
                if text[s:e].strip():
                    prev = None
                continue
            # his / himself / herself / possessive her, and "..., and she" clause subjects:
            # the closest subject named before
            for pm in _PRONOUN.finditer(text, here[0][1], e):
                w = pm.group(1).lower()
                if w in ("he", "she"):
                    if not _CLAUSE_BEFORE.search(text, max(0, pm.start() - 12), pm.start()):
                        continue
                elif w not in ("his", "himself", "herself", "her"):
                    continue
                subjects = [x for x in here if x[1] <= pm.start() and is_subject(x[3])]
                if not subjects:
                    continue
                cid = subjects[-1][2]
                if w in ("his", "himself", "he"):
                    vote(cid, "male", 1, spans.span(info.el, pm.start(), pm.end()))
                elif w in ("herself", "she"):
                    vote(cid, "female", 1, spans.span(info.el, pm.start(), pm.end()))
                else:
                    nxt = _NEXT_WORD.match(text, pm.end(), e)
                    if nxt and nxt.group(1) not in FUNCTION_WORDS:
                        vote(cid, "female", 1, spans.span(info.el, pm.start(), pm.end()))
            ids = {x[2] for x in here}
            prev = here[0][2] if len(ids) == 1 else None

    # dialogue: self reference and Korean terms of address
    scene_speakers: dict[int, set[str]] = defaultdict(set)
    for info in els:
        if info.cls == "speech" and info.el.speaker_id:
            scene_speakers[info.scene].add(info.el.speaker_id)
    for info in els:
        if info.cls != "speech" or not info.el.speaker_id:
            continue
        text = info.el.text
        sid = info.el.speaker_id
        for m in _SELF_GENDER.finditer(text):
            gnd = GENDER_NOUNS.get(m.group(1).lower())
            if gnd:
                vote(sid, gnd, 2, spans.span(info.el, m.start(), m.end()))
        for m in _KINSHIP.finditer(text):
            addressed, speaker = KINSHIP_ADDRESS[m.group(1).lower()]
            sp = spans.span(info.el, m.start(), m.end())
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


# --- presence, statistics, roles ----------------------------------------------------------


def presence_and_stats(doc: Document, els: list[_El], present: dict[str, set[int]]) -> None:
    """Lines, words and scenes per character; presence speaking and non-speaking.

    A character is present in a scene where they speak, are named in the action or
    narration (or a parenthetical), or are addressed by a vocative. Being talked about in
    dialogue is a mention, not presence.
    """
    stats: dict[str, dict[str, Any]] = {
        ch.id: {"lines": 0, "words": 0, "speaking": set()} for ch in doc.characters
    }
    for info in els:
        if info.cls not in ("cue", "speech"):
            continue
        el = info.el
        ids = [el.speaker_id] if el.speaker_id else list(el.attrs.get("speaker_ids", []))
        for cid in ids:
            st = stats.get(cid)
            if st is None:
                continue
            st["speaking"].add(info.scene)
            if info.cls == "speech" and el.kind in _LINE_KINDS:
                st["lines"] += 1
                st["words"] += len(_WORD.findall(el.text))
    for ch in doc.characters:
        st = stats[ch.id]
        scenes = sorted(present.get(ch.id, set()) | st["speaking"])
        ids = [doc.scenes[i].id for i in scenes]
        ch.attrs.update(
            {
                "lines": st["lines"],
                "words": st["words"],
                "scenes": ids,
                "scenes_speaking": [doc.scenes[i].id for i in sorted(st["speaking"])],
                "scenes_present": ids,
                "mentions": sum(1 for m in ch.mentions if m.kind in ("name", "vocative")),
                "first_scene": ids[0] if ids else None,
                "last_scene": ids[-1] if ids else None,
            }
        )


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
    out: dict[str, float] = {}
    for i, c in enumerate(chars):
        p = 0.0
        for w, vals in useful.values():
            p += w * vals[i] / max(vals)
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
