"""The relationship ledger: who feels what for whom, whether it is returned, and where it changes.

``annotate_relationships(doc)`` is a stage (``Document -> Document``). It reads what the
"who is who" stages wrote — ``doc.characters`` (aliases, gender), ``Character.mentions``
(names, vocatives, resolved pronouns from :mod:`.coref` and :mod:`.dialogue_refs`),
``Element.speaker_id`` / ``addressee_id`` (from the characters, attribution and addressee
stages) — and writes:

- ``doc.relationships``: directed :class:`~sceneanatomy.model.Relationship` edges between
  resolved characters (kind, requited, basis, subtype, evidence spans, cue words);
- ``Scene.relationship_changes``: what each scene changed (a new edge, a requited or basis
  flip), so an anatomy can say "this scene sealed his second-lead fate";
- ``doc.attrs["love_line"]``: triangles, couples, one-sided edges and the story roles
  that follow (:func:`love_line_roles`).

How: every sentence of narrative (action, narration) and every spoken line is *masked*
(each resolved person becomes one placeholder, see :mod:`.relation_patterns`) and the
hand-written rules of :mod:`.relation_patterns` read observations from it ("A falls for B",
"A's heart belongs to B", "I like you" → speaker → addressee, "Ju Gyeong's classmates A and
B"). Observations are folded in reading order into the ledger; contextual cues (a choice,
"says sorry", "me too", a kiss turned away) are read against the ledger as it stands.
The rules are documented in docs/relationships.md. No romance cue → no romantic edge.

The pipeline stage ``relationships`` (:mod:`sceneanatomy.pipeline`) runs
:func:`annotate_relationships` then :func:`apply_love_line_roles`; ``analyse(doc)`` is the
pipeline's ``ledger`` preset for callers that start from a freshly read document;
:func:`ledger_series` merges several episodes of one drama.
"""

from __future__ import annotations

import bisect
import re
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..model import (
    Character,
    Document,
    Element,
    ElementKind,
    LineIndex,
    Relationship,
    RelationshipChange,
    Span,
)
from ..names import fold as fold_text
from . import relation_patterns as rp
from .dialogue_refs import (
    MALE_PRONOUNS,
    SPOKEN_KINDS,
    CharacterIndex,
    NameIndex,
    content_span,
)
from .lexicon import OBJECT_ADVERBS

NARRATIVE_KINDS = frozenset({ElementKind.ACTION, ElementKind.NARRATION})
_SPOKEN_ONLY = frozenset(
    {"spoken", "me-too", "sorry-line", "impression", "noun-fragment", "noun-self", "see-me-as"}
)
KINDS = ("romantic", "platonic", "family", "rivalry", "other")
MIN_MENTION_CONFIDENCE = 0.3
CONTEXT_UNITS = 6  # a contextual cue ("I'm sorry", "me too") answers an advance this recent

_SENT_END = re.compile(r"(?<=[.!?…])[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9\uac00-\ud7a3])")
_FIRST = frozenset({"i", "me", "my", "mine", "myself"})
_SECOND = frozenset({"you", "your", "yours", "yourself"})
_WE = frozenset({"we", "us", "our", "ours", "ourselves"})
_THEY = frozenset({"they", "them", "their", "theirs", "themselves"})
_THEY_WORD = re.compile(r"(?<![\w'’])(?:they|them|their|theirs|themselves)(?![\w'’])", re.I)
# A spoken pronoun, stutters included ("I-I love you", "you-you are"): group "w" is the word.
_SPOKEN_PRONOUN = re.compile(
    r"(?<![\w'’-])(?:(?:I|y|yo|you|w|we|m|my|me)-){0,4}"
    r"(?P<w>I|me|my|mine|myself|you|your|yours|yourself|we|us|our|ours|ourselves)(?![\w-])",
    re.I,
)
# "you" after "we" in one sentence ("we love you"), not "you know" / "you see" / "you guys"
_VOICE_OVER = re.compile(r"\bV\.?\s*O\b", re.I)
_THIRD_PRONOUN = re.compile(
    r"(?<![\w'’-])(?:he|him|his|himself|she|her|hers|herself)(?![\w'’-])", re.I
)
_YOU_OBJECT = re.compile(
    r"(?<![\w'’-])you(?:rself)?(?![\w'’-])(?!\s*(?:know|see|mean|guys|all|two|both|people)\b)",
    re.I,
)
_POSSESSIVE_ONLY = frozenset({"his", "my", "your", "their", "our", "its"})
_NOT_NOUN_AFTER_HER = (
    frozenset(
        rp.words(
            "and or but so too back more very anyway now then to for with in on at as because "
            "like when if the a an all both again away up down out off close closer tightly "
            "gently hard softly instead there here that this before after while "
            # "has loved her since middle school"
            "since until till though although unless whenever even"
        )
    )
    | OBJECT_ADVERBS
)  # "loves her deeply"
_SUBTYPE_RANK = {
    "spouse": 9,
    "ex-spouse": 8,
    "engaged": 8,
    "partner": 7,
    "ex": 6,
    "date": 5,
    "love": 4,
    "crush": 3,
    "like": 2,
    "kiss": 1,
    "intimate": 1,
    "hug": 0,
}
_MUTUAL_SUBTYPES = frozenset({"spouse", "engaged", "partner"})
_AFFECTION_SUBTYPES = frozenset({"love", "like", "crush"})
_BEHAVIOUR_SUBTYPES = frozenset({"kiss", "hug", "date"})


# --------------------------------------------------------------------------- observations


@dataclass(slots=True)
class Observation:
    """One thing a sentence or line says about two people (or a cue to read in context)."""

    order: tuple[int, int, int, int]  # (document, scene, unit, offset): reading order
    scene: int
    a: str  # the person who feels / is (for rejects: the lover whose edge is rejected)
    b: str | None  # the other person; None for a contextual cue
    kind: str
    subtype: str | None
    basis: str
    confidence: float
    rule: str
    cues: list[str]
    evidence: Span
    event: str | None = None  # confession | mutual | reject | exclusive | kiss | near-kiss ...
    creates: bool = True  # False: a cue that changes an edge but does not make one
    doc: int = 0
    unit: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class _Mention:
    start: int
    end: int
    ids: tuple[str, ...]
    surface: str
    confidence: float = 1.0


@dataclass(slots=True)
class _Unit:
    scene: int
    element: Element
    start: int
    end: int
    spoken: bool
    speaker: str | None
    addressee: str | None
    present: tuple[str, ...] = ()  # the scene's speakers
    voice_over: bool = False  # a V.O. line: thoughts, said to nobody in the scene


# a title abbreviation ends no sentence: "Mrs. Brennan, Walter's wife Eileen, ..."
_TITLE_DOT = re.compile(r"(?<![\w.])(?:Mr|Mrs|Ms|Mx|Dr|Prof|St|Sgt|Capt|Lt|Det)\.$")


def _sentences(text: str, start: int) -> list[tuple[int, int]]:
    out, pos = [], 0
    for m in _SENT_END.finditer(text):
        if _TITLE_DOT.search(text, max(0, m.start() - 6), m.start()):
            continue
        out.append((start + pos, start + m.start()))
        pos = m.end()
    out.append((start + pos, start + len(text)))
    return [(s, e) for s, e in out if e > s and text[s - start : e - start].strip()]


class _Reader:
    """Reads the observations of one document."""

    def __init__(
        self,
        doc: Document,
        index: CharacterIndex,
        doc_no: int = 0,
        id_map: dict[str, str] | None = None,
    ) -> None:
        self.doc = doc
        self.index = index
        self.doc_no = doc_no
        self.map = id_map or {}
        self.lix = LineIndex(doc.source_text)
        self.known = {c.id for c in doc.characters}
        self.mentions = self._character_mentions()
        self.starts = [m.start for m in self.mentions]
        self.obs: list[Observation] = []
        self.unit_no = 0
        self.certainty: dict[str, float] = {}  # the current sentence's people: mention confidence
        self.previous_names: list[str] = []  # people named in the sentence before
        self.gender = {self._id(c.id): c.gender for c in doc.characters}
        self._presence: dict[int, dict[str, list[int]]] = {}

    def _id(self, cid: str) -> str:
        return self.map.get(cid, cid)

    def _opt(self, cid: str | None) -> str | None:
        return None if cid is None else self.map.get(cid, cid)

    # -- mentions
    def _character_mentions(self) -> list[_Mention]:
        best: dict[tuple[int, int], tuple[float, _Mention]] = {}
        for c in self.doc.characters:
            for m in c.mentions:
                if m.kind not in ("name", "vocative", "pronoun") or not m.character_id:
                    continue
                if m.confidence < MIN_MENTION_CONFIDENCE:
                    continue
                key = (m.span.start_char, m.span.end_char)
                if key not in best or best[key][0] < m.confidence:
                    best[key] = (
                        m.confidence,
                        _Mention(
                            key[0],
                            key[1],
                            (self._id(m.character_id),),
                            m.surface,
                            m.confidence,
                        ),
                    )
        return sorted((v[1] for v in best.values()), key=lambda m: (m.start, -m.end))

    def _unit_mentions(self, u: _Unit, groups: list[tuple[int, tuple[str, ...]]]) -> list[_Mention]:
        src = self.doc.source_text
        i = bisect.bisect_left(self.starts, u.start)
        found: list[_Mention] = []
        while i < len(self.mentions) and self.mentions[i].start < u.end:
            m = self.mentions[i]
            if m.end <= u.end and not any(m.start < f.end and f.start < m.end for f in found):
                found.append(m)
            i += 1
        text = src[u.start : u.end]
        for h in self.index.find_names(text, u.start):
            if any(h.start < f.end and f.start < h.end for f in found):
                continue
            cid = h.ids[0] if len(h.ids) == 1 else self.index.lookup(h.surface)
            if cid:
                found.append(_Mention(h.start, h.end, (cid,), h.surface))
        if u.element.kind == ElementKind.ACTION or u.voice_over:
            self._fallback_pronouns(u, text, found)
        pattern = _SPOKEN_PRONOUN if u.spoken else _THEY_WORD
        for t in pattern.finditer(text):
            start, end = u.start + t.start(), u.start + t.end()
            word = t.group("w") if u.spoken else t.group()
            low = word.lower()
            hit = next((f for f in found if f.start < end and start < f.end), None)
            gm = rp.GROUP_YOU.match(src, end) if u.spoken and low in _SECOND else None
            if gm is not None:
                if hit is not None:
                    found.remove(hit)  # "you guys": a group, never one person
                others = tuple(x for x in u.present if x != u.speaker)
                if len(others) >= 2 and gm.end() <= u.end:
                    found.append(_Mention(start, gm.end(), others, src[start : gm.end()], 0.5))
                continue
            if hit is not None:
                continue
            ids: tuple[str, ...] = ()
            if u.spoken:
                if low in _FIRST and (low != "i" or word == "I") and u.speaker:
                    ids = (u.speaker,)
                elif low in _SECOND and u.addressee:
                    ids = (u.addressee,)
                elif low in _WE and u.speaker and _YOU_OBJECT.search(text, t.end()):
                    # "we love you": the speaker and the others present, not the addressee
                    ids = (u.speaker,) + tuple(
                        x for x in u.present if x not in (u.speaker, u.addressee)
                    )
                elif low in _WE and u.speaker and u.addressee and u.speaker != u.addressee:
                    ids = (u.speaker, u.addressee)
            elif low in _THEY and groups:
                ids = groups[-1][1]
            if ids:
                conf = 0.9 if len(ids) == 1 and low not in _THEY else 0.6
                found.append(_Mention(start, end, ids, word, conf))
        found.sort(key=lambda m: m.start)
        return found[: rp.PERSON_MAX + 1]

    def _fallback_pronouns(self, u: _Unit, text: str, found: list[_Mention]) -> None:
        """Screenplay action and voice-over: he / she that coref left unresolved ("he steps
        in" when the man only speaks in cues; "she was never going to look at me" in a V.O.)
        go to the nearest character of that gender present in the scene
        (:func:`nearest_present`; never the V.O.'s speaker), with a lower confidence."""
        for t in _THIRD_PRONOUN.finditer(text):
            start, end = u.start + t.start(), u.start + t.end()
            if any(f.start < end and start < f.end for f in found):
                continue
            low = t.group().lower()
            exclude: set[str] = {u.speaker} if u.speaker else set()
            if low in ("him", "her", "himself", "herself"):
                exclude = {i for f in found if f.start < start for i in f.ids}
            cid, conf = nearest_present(
                start,
                "male" if low in MALE_PRONOUNS else "female",
                self._scene_presence(u.scene),
                self.gender,
                exclude,
            )
            if cid is not None:
                found.append(_Mention(start, end, (cid,), t.group(), conf))

    def _scene_presence(self, scene: int) -> dict[str, list[int]]:
        """Everyone speaking or named in the scene: character → sorted offsets."""
        got = self._presence.get(scene)
        if got is None:
            sc = next((x for x in self.doc.scenes if x.index == scene), None)
            got = {}
            if sc is not None and sc.elements:
                a, b = sc.elements[0].span.start_char, sc.elements[-1].span.end_char
                for e in sc.elements:
                    if e.kind in SPOKEN_KINDS and e.speaker_id:
                        got.setdefault(self._id(e.speaker_id), []).append(e.span.start_char)
                i = bisect.bisect_left(self.starts, a)
                while i < len(self.mentions) and self.mentions[i].start < b:
                    m = self.mentions[i]
                    if len(m.ids) == 1 and m.confidence >= 0.5:
                        got.setdefault(m.ids[0], []).append(m.start)
                    i += 1
                for offs in got.values():
                    offs.sort()
            self._presence[scene] = got
        return got

    # -- units
    def units(self) -> Iterable[tuple[_Unit, list[tuple[int, int]]]]:
        src = self.doc.source_text
        for scene in self.doc.scenes:
            quotes = [
                (e.span.start_char, e.span.end_char)
                for e in scene.elements
                if e.kind == ElementKind.DIALOGUE and "sentence_ref" in e.attrs
            ]
            present = tuple(
                dict.fromkeys(
                    self._id(e.speaker_id)
                    for e in scene.elements
                    if e.kind in SPOKEN_KINDS and e.speaker_id
                )
            )
            voice_over = False
            for el in scene.elements:
                if el.kind == ElementKind.CHARACTER:
                    voice_over = any(
                        _VOICE_OVER.search(x) for x in el.attrs.get("extensions_raw", ())
                    )
                if el.kind in NARRATIVE_KINDS:
                    a, b = el.span.start_char, el.span.end_char
                    for s, e in _sentences(src[a:b], a):
                        yield (
                            _Unit(scene.index, el, s, e, False, None, None),
                            [(qa, qb) for qa, qb in quotes if qa < e and s < qb],
                        )
                elif el.kind in SPOKEN_KINDS:
                    a, b = content_span(self.doc, el)
                    for s, e in _sentences(src[a:b], a):
                        yield (
                            _Unit(
                                scene.index,
                                el,
                                s,
                                e,
                                True,
                                self._opt(el.speaker_id),
                                None if voice_over else self._opt(el.addressee_id),
                                present,
                                voice_over,
                            ),
                            [],
                        )

    def read(self) -> list[Observation]:
        # earlier sentences of the scene, for "they" (a group named before) and for a
        # fragment ("My boyfriend.") naming the person just named; read only when needed
        history: deque[tuple[int, _Unit, list[tuple[int, int]]]] = deque(maxlen=3)
        last_scene = -1
        for u, quotes in self.units():
            if u.scene != last_scene:
                history.clear()
                last_scene = u.scene
            self.unit_no += 1
            raw = self.doc.source_text[u.start : u.end]
            rules, kin = rp.triggered(raw)
            if u.spoken and kin:
                self._kin_vocative(u)
            if rules:
                people = len(rp.PERSON_WORDS.findall(raw))
                rules = [
                    r
                    for r in rules
                    if r.persons <= people
                    and (u.spoken or r.handler not in _SPOKEN_ONLY)
                    and (r.name not in rp.ALSO or rp.ALSO[r.name].search(raw))
                ]
            if rules:
                self._read_unit(u, quotes, list(history), raw, rules)
            history.append((self.unit_no, u, quotes))
        return self.obs

    def _mentions_of(
        self, u: _Unit, quotes: list[tuple[int, int]], groups: Any = ()
    ) -> list[_Mention]:
        ms = self._unit_mentions(u, list(groups))
        return [m for m in ms if not any(qa <= m.start < qb for qa, qb in quotes)]

    def _read_unit(
        self,
        u: _Unit,
        quotes: list[tuple[int, int]],
        history: list[tuple[int, _Unit, list[tuple[int, int]]]],
        raw: str,
        rules: list[rp.Rule],
    ) -> None:
        groups: list[tuple[int, tuple[str, ...]]] = []
        if not u.spoken and _THEY_WORD.search(raw):
            for n, pu, pq in history:
                if pu.spoken:
                    continue
                pms = self._mentions_of(pu, pq)
                masked = self._mask(pu, pms, pq)
                for gm in re.finditer(rp.PL, masked):
                    ids = self._ids(masked, pms, gm.start(), gm.end())
                    if len(ids) >= 2:
                        groups.append((n, tuple(ids)))
        self.previous_names = []
        fragment = any(r.handler == "noun-fragment" for r in rules)
        if fragment and u.spoken and history and history[-1][1].scene == u.scene:
            _n, pu, pq = history[-1]
            self.previous_names = [
                i
                for m in self._mentions_of(pu, pq)
                if len(m.ids) == 1 and m.surface[:1].isupper() and m.surface != "I"
                for i in m.ids
            ]
        ms = self._mentions_of(u, quotes, groups)
        if not ms:
            return
        masked = self._mask(u, ms, quotes)
        self.certainty = {}
        for mm in ms:
            for cid in mm.ids:
                self.certainty[cid] = max(self.certainty.get(cid, 0.0), mm.confidence)
        self._apply_rules(u, ms, masked, rules)

    def _mask(self, u: _Unit, ms: list[_Mention], quotes: list[tuple[int, int]]) -> str:
        chars = list(self.doc.source_text[u.start : u.end])
        for qa, qb in quotes:
            for i in range(max(qa, u.start), min(qb, u.end)):
                chars[i - u.start] = rp.QUOTE
        for k, m in enumerate(ms):
            s = m.start - u.start
            chars[s] = chr(rp.PERSON_BASE + k)
            for i in range(s + 1, m.end - u.start):
                chars[i] = rp.FILLER
        return _tidy("".join(chars), ms)

    @staticmethod
    def _ids(masked: str, ms: list[_Mention], start: int, end: int) -> list[str]:
        out: list[str] = []
        for k in rp.person_indices(masked, start, end):
            if k < len(ms):
                for cid in ms[k].ids:
                    if cid not in out:
                        out.append(cid)
        return out

    # -- rules
    def _apply_rules(self, u: _Unit, ms: list[_Mention], masked: str, rules: list[rp.Rule]) -> None:
        question = masked.rstrip(" \"'”’)").endswith("?")
        people = sum(len(m.ids) for m in ms)
        for rule in rules:
            if question and not rule.question_ok:
                continue
            if people < rule.persons:
                continue
            handler = _HANDLERS[rule.handler]
            for m in rule.regex.finditer(masked):
                handler(self, rule, u, ms, masked, m)

    def _emit(
        self,
        rule: Any,
        u: _Unit,
        m: re.Match[str] | None,
        a: str,
        b: str | None,
        *,
        kind: str | None = None,
        subtype: str | None = None,
        basis: str | None = None,
        event: str | None = None,
        creates: bool = True,
        confidence: float | None = None,
        cue: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        if b is not None and a == b:
            return
        el = u.element
        span = self.lix.span(u.start, u.end, el.span.start_time, el.span.end_time)
        if cue is None and m is not None:
            cue = _cue_text(m)
        base = confidence if confidence is not None else rule.confidence
        certainty = min(self.certainty.get(a, 1.0), self.certainty.get(b, 1.0) if b else 1.0)
        self.obs.append(
            Observation(
                order=(self.doc_no, u.scene, self.unit_no, m.start() if m else 0),
                scene=u.scene,
                a=a,
                b=b,
                kind=kind or rule.kind,
                subtype=subtype if subtype is not None else rule.subtype,
                basis=basis or rule.basis,
                confidence=round(base * certainty, 3),
                rule=rule.name,
                cues=[cue] if cue else [],
                evidence=span,
                event=event if event is not None else rule.event,
                creates=creates,
                doc=self.doc_no,
                unit=self.unit_no,
                extra=extra or {},
            )
        )

    def _kin_vocative(self, u: _Unit) -> None:
        if not (u.speaker and u.addressee) or u.speaker == u.addressee:
            return
        text = self.doc.source_text[u.start : u.end]
        if text[:1] in "'\"“‘":
            return  # quoted speech (a phone call, a letter read out): another addressee
        m = rp.KIN_VOCATIVE.search(text)
        if not m or rp.KIN_PAIR.search(text, m.start(), m.end() + 12):
            return
        said = m.group("noun") or m.group("noun2")
        noun = " ".join(said.lower().split())
        if noun.startswith("my "):
            self._emit(_FRIEND_RULE, u, None, u.speaker, u.addressee, cue=said)
            self._emit(_FRIEND_RULE, u, None, u.addressee, u.speaker, cue=said)
            return
        called = rp.KIN_GENDER.get(noun)
        if called and self.gender.get(u.addressee, "unknown") not in ("unknown", called):
            return  # "Dad!" to a woman: the addressee stage picked someone else
        sense = rp.NOUNS.get(noun) or (
            rp.NOUNS["grandma"] if noun.startswith("grand") else rp.NOUNS["mother"]
        )
        rule = _KIN_RULE
        self._emit(
            rule,
            u,
            None,
            u.speaker,
            u.addressee,
            kind="family",
            subtype=sense.subtype,
            cue=said,
        )
        if sense.inverse:
            self._emit(
                rule,
                u,
                None,
                u.addressee,
                u.speaker,
                kind="family",
                subtype=sense.inverse,
                cue=said,
            )


def nearest_present(
    pos: int,
    want: str,
    presence: Sequence[tuple[int, str]] | Mapping[str, list[int]],
    gender: dict[str, str],
    exclude: set[str] | frozenset[str] = frozenset(),
) -> tuple[str | None, float]:
    """The character of gender ``want`` present nearest to ``pos`` (and its confidence).

    ``presence`` holds (offset, character) of the scene's speakers and mentions (or, the
    same grouped, character → sorted offsets); one after
    ``pos`` counts half again as far, a character of unknown gender is a last resort.
    Confidence 0.6 when only one fits, 0.5 when the nearest is clearly nearest, else 0.4.
    Shared by the ledger and the tropes for screenplay pronouns coref left unresolved.
    """
    best: dict[str, float] = {}
    if isinstance(presence, Mapping):  # character → sorted offsets: the nearest by bisection
        for cid, offs in presence.items():
            g = gender.get(cid, "unknown")
            if g not in (want, "unknown") or cid in exclude:
                continue
            i = bisect.bisect_right(offs, pos)
            d = min(
                pos - offs[i - 1] if i else float("inf"),
                (offs[i] - pos) * 1.5 if i < len(offs) else float("inf"),
            )
            best[cid] = d + (2000 if g == "unknown" else 0)
    else:
        for off, cid in presence:
            g = gender.get(cid, "unknown")
            if g not in (want, "unknown") or cid in exclude:
                continue
            d = abs(off - pos) * (1.0 if off <= pos else 1.5) + (2000 if g == "unknown" else 0)
            best[cid] = min(best.get(cid, d), d)
    if not best:
        return None, 0.0
    ranked = sorted(best.items(), key=lambda kv: (kv[1], kv[0]))
    conf = 0.6 if len(ranked) == 1 else (0.5 if ranked[1][1] > 2 * ranked[0][1] else 0.4)
    return ranked[0][0], conf


@dataclass(frozen=True, slots=True)
class _PseudoRule:
    name: str
    kind: str
    subtype: str | None
    basis: str
    event: str | None
    confidence: float


_KIN_RULE = _PseudoRule("kin-vocative", "family", "parent", "implied", None, 0.6)
_FRIEND_RULE = _PseudoRule("friend-vocative", "platonic", "friend", "implied", None, 0.5)


# Speech disfluencies, blanked in the masked sentence (same length, offsets kept): "my...
# boyfriend", "uh,", a word said twice ("we're-we're"), a restarted subject ("We're uh,
# we're getting married", "we... we broke up").
_HESITATION = re.compile(
    r"(?<=[\w\ue000-\ue0ff])(?:\.\.\.+|…)(?=\s+[a-z])|\b(?:uh|um|umm|uhm|er|erm)\b,?", re.I
)
_WORD_STUTTER = re.compile(r"(?<![\w'’])([a-z][a-z'’]*)-(?=\1\b)", re.I)
_PERSON_RESTART = re.compile(
    r"([\ue000-\ue0fe])\ue0ff*((?:['’][a-z]+)?)[\s,.…-]*(?=([\ue000-\ue0fe])\ue0ff*\2(?![a-z]))",
    re.I,
)


def _tidy(masked: str, ms: list[_Mention]) -> str:
    def blank(m: re.Match[str]) -> str:
        return " " * len(m.group(0))

    low = masked.lower()
    if "…" in masked or ".." in masked or " u" in low or " e" in low:
        masked = _HESITATION.sub(blank, masked)
    if "-" in masked:
        masked = _WORD_STUTTER.sub(blank, masked)
    if len({m.ids for m in ms}) == len(ms):
        return masked  # nobody mentioned twice: no restarted subject

    def restart(m: re.Match[str]) -> str:
        i, j = ord(m.group(1)) - rp.PERSON_BASE, ord(m.group(3)) - rp.PERSON_BASE
        if i < len(ms) and j < len(ms) and ms[i].ids == ms[j].ids:
            return " " * len(m.group(0))
        return m.group(0)

    return _PERSON_RESTART.sub(restart, masked)


def _cue_text(m: re.Match[str]) -> str:
    """The words of a match without the masked people ("fall for", "heart belongs to")."""
    text = m.group(0)
    text = re.sub("[\ue000-\ue0fe]\ue0ff*", " ", text).replace(rp.QUOTE, " ")
    text = re.sub(r"^\s*(?:['’](?:s|m|re|ve|d|ll)?|,|and|&)(?=\s|$)", "", text.strip())
    return " ".join(text.split()).strip(" ,'’")[:60]


# --------------------------------------------------------------------------- handlers


def _group_ids(r: _Reader, ms: list[_Mention], masked: str, m: re.Match[str], g: str) -> list[str]:
    try:
        s, e = m.span(g)
    except IndexError:
        return []
    if s < 0:
        return []
    return r._ids(masked, ms, s, e)


def _is_group(ms: list[_Mention], masked: str, m: re.Match[str], g: str) -> bool:
    """The slot ``g`` is one mention of several people ("we", "you guys", "they")."""
    try:
        s, e = m.span(g)
    except IndexError:
        return False
    if s < 0:
        return False
    ks = rp.person_indices(masked, s, e)
    return len(ks) == 1 and ks[0] < len(ms) and len(ms[ks[0]].ids) >= 2


# Affection that is not romance: a group shares it ("So do a lot of the guys"), or it is
# said to a buddy ("I love you, man").
_SHARED_AFTER = re.compile(
    r"^[\W\ue0ff]*(?:\.\.\.|[.!?,;])?\s*(?:and\s+)?so\s+(?:do|does)\s+(?:a\s+lot\s+of|all|many|most"
    r"|every|the\s+rest|lots\s+of|half|we|they|everyone|everybody)\b",
    re.I,
)
_BUDDY_AFTER = re.compile(
    r"^\s*,?\s*(?:man|dude|buddy|bro|pal|mate|guys|my\s+friend|old\s+friend)\b(?!\s*['’])",
    re.I,
)
_PARENTHETICAL = re.compile(r"\([^()]*\)")
# "say I love you", "hear 'I love you'": the words are mentioned, not meant.
_REPORTED_BEFORE = re.compile(
    r"(?:\b(?:say|says|said|saying|hear|hears|heard|hearing|write|writes|wrote|written|"
    r"whisper\w*|repeat\w*|response\s+to|words)\s*,?\s*[\"“'‘]?|[\"“‘])\s*$",
    re.I,
)


def _surface(ms: list[_Mention], masked: str, m: re.Match[str], g: str) -> str:
    s = m.start(g)
    if s < 0:
        return ""
    k = ord(masked[s]) - rp.PERSON_BASE
    return fold_text(ms[k].surface) if 0 <= k < len(ms) else ""


def _in_condition(masked: str, pos: int) -> bool:
    """True when the clause holding ``pos`` opens with "if" / "whether" / "unless"."""
    last = None
    for b in rp.CLAUSE_BREAK.finditer(masked, 0, pos):
        last = b
    return last is not None and last.group(0).strip().lower() in ("if", "whether", "unless")


def _factual_context(masked: str, start: int) -> bool:
    """False when the subject at ``start`` follows "make", "if", "wants"... (not a fact)."""
    if _in_condition(masked, start):
        return False
    return not rp.NON_FACTUAL_BEFORE.search(masked[max(0, start - 40) : start])


def _object_ok(ms: list[_Mention], masked: str, m: re.Match[str]) -> bool:
    """The object slot holds a person, not a possessive ("loves her job", "Ross's mom")."""
    low = _surface(ms, masked, m, "b")
    after = masked[m.end("b") :]
    if low in _POSSESSIVE_ONLY:
        return False
    if re.match(r"\s*['’]s?\s+[a-z]", after):
        return False
    if low == "her":
        w = re.match(r"\s+([a-z][a-z'’-]*)", after)
        if w and w.group(1).lower() not in _NOT_NOUN_AFTER_HER:
            return False
    return True


def _clause_subject(r: _Reader, ms: list[_Mention], masked: str, pos: int) -> list[str]:
    """The people opening the clause that contains ``pos`` (its subject), if any. A
    possessor is no subject: ``X's younger brother Y has a crush on Z`` is Y's (``X's
    brother has ...``: nobody named)."""
    start = 0
    for b in rp.CLAUSE_BREAK.finditer(masked, 0, pos):
        start = b.end()
    head = masked[start:pos]
    sm = re.match(
        r"\W*(?:(?:[a-z]+ly|then|suddenly|finally|later|soon|meanwhile|now|still)\W+)*("
        + rp.PL
        + ")",
        head,
        re.I,
    )
    if not sm:
        return []
    if _POSSESSOR.match(head, sm.end(1)):
        # "Min-ah's younger brother Kang Dong-hyun has a crush on ...": the owner is not
        # the subject; the person named after the noun is, or nobody named
        pm = _POSSESSED_PERSON.match(head, sm.end(1))
        if not pm:
            return []
        return r._ids(masked, ms, start + pm.start(1), start + pm.end(1))
    return r._ids(masked, ms, start + sm.start(1), start + sm.end(1))


_POSSESSOR = re.compile(r"\s*['’]s?(?=\s)")
_POSSESSED_PERSON = re.compile(
    r"\s*['’]s?\s+(?:[a-z][a-z-]*\s+){1,3}(" + rp.P + r")(?:\s*,)?\s+[a-z]"
)


def _aux_flags(m: re.Match[str]) -> tuple[bool, bool, str]:
    try:
        aux = m.group("aux") or ""
    except IndexError:
        aux = ""
    return bool(rp.NEGATION.search(aux)), bool(rp.HEDGE.search(aux)), aux


def _slots(
    r: _Reader, ms: list[_Mention], masked: str, m: re.Match[str]
) -> tuple[list[str], list[str], bool]:
    """The people of slots "a" and "b", and whether the verb is negated."""
    negated, _h, _aux = _aux_flags(m)
    return _group_ids(r, ms, masked, m, "a"), _group_ids(r, ms, masked, m, "b"), negated


def h_edge(
    r: _Reader, rule: Any, u: _Unit, ms: list[_Mention], masked: str, m: re.Match[str]
) -> None:
    a_ids = _group_ids(r, ms, masked, m, "a")
    b_ids = _group_ids(r, ms, masked, m, "b")
    if not a_ids or not b_ids:
        return
    if rule.name not in _POSSESSIVE_OBJECT and not _object_ok(ms, masked, m):
        return
    if _surface(ms, masked, m, "a") in ("him", "me", "us", "them"):
        return
    if not _factual_context(masked, m.start("a")):
        return
    negated, hedged, aux = _aux_flags(m)
    after = masked[m.end() :]
    if rule.name in ("like", "love"):
        if rule.name == "like" and (
            rp.BE_FORMS.search(aux) or re.search(r"\b(?:would|['’]d)\b", aux)
        ):
            return
        if re.search(r"\b(?:would|['’]d)\b", aux) or re.match(r"\s+to\b", after):
            return
    basis = "implied" if hedged else rule.basis
    conf = rule.confidence * (0.7 if hedged else 1.0)
    kind, subtype = rule.kind, rule.subtype
    if rule.name in ("like", "love"):
        if _REPORTED_BEFORE.search(masked[: m.start("a")]):
            return  # "She's heard me say I love you a thousand times"
        tail = r.doc.source_text[u.end : u.end + 120] if u.spoken else ""
        tail = _PARENTHETICAL.sub(" ", tail)
        if (
            _is_group(ms, masked, m, "a")
            or _is_group(ms, masked, m, "b")
            or _BUDDY_AFTER.match(after)
            or _SHARED_AFTER.match(after)
            or _SHARED_AFTER.match(tail)
        ):
            kind, subtype = "other", "likes"
    for a in a_ids:
        for b in b_ids:
            if negated:
                if kind == "romantic" and subtype in _AFFECTION_SUBTYPES:
                    # "she will never love him": his love for her is not returned
                    r._emit(rule, u, m, b, a, event="reject", creates=False, basis="stated")
                continue
            event = None
            if (
                u.spoken
                and kind == "romantic"
                and rule.event is None
                and a == u.speaker
                and b == u.addressee
                and not hedged
            ):
                event = "confession"  # "I like you": said to the one liked
            r._emit(
                rule,
                u,
                m,
                a,
                b,
                kind=kind,
                subtype=subtype,
                basis=basis,
                confidence=conf,
                event=event,
            )
            try:
                too = m.group("too")
            except IndexError:
                too = None
            if too:
                r._emit(
                    rule,
                    u,
                    m,
                    b,
                    a,
                    kind=kind,
                    subtype=subtype,
                    basis="implied",
                    event="mutual" if kind == "romantic" else None,
                    confidence=conf * 0.8,
                )


# Rules whose object is a possessive by design ("toward her lips").
_POSSESSIVE_OBJECT = frozenset({"near-lips"})


def h_edge_swap(
    r: _Reader, rule: Any, u: _Unit, ms: list[_Mention], masked: str, m: re.Match[str]
) -> None:
    """ "if she feels the same love for him": him → she, implied."""
    a_ids = _group_ids(r, ms, masked, m, "a")
    b_ids = _group_ids(r, ms, masked, m, "b")
    for a in a_ids:
        for b in b_ids:
            r._emit(rule, u, m, a, b)


def h_feelings(
    r: _Reader, rule: Any, u: _Unit, ms: list[_Mention], masked: str, m: re.Match[str]
) -> None:
    b_ids = _group_ids(r, ms, masked, m, "b")
    if not b_ids or not _object_ok(ms, masked, m):
        return
    owners = _group_ids(r, ms, masked, m, "a")
    if not owners:
        ih = rp.IN_HEART.match(masked, m.end())
        if ih:
            owners = r._ids(masked, ms, ih.start("a"), ih.end("a"))
    if not owners:
        owners = _clause_subject(r, ms, masked, m.start())
    if not owners or not _factual_context(masked, m.start()):
        return
    text = m.group(0).lower()
    what = (m.group("what") or "").lower() if "what" in m.re.groupindex else ""
    subtype = rule.subtype
    if what == "crush":
        subtype = "crush"
    onesided = bool(re.search(r"one[\s-]sided|unrequited", text))
    conf = rule.confidence * (0.75 if what in ("affection", "attraction", "longing") else 1.0)
    for a in owners:
        for b in b_ids:
            r._emit(rule, u, m, a, b, subtype=subtype, confidence=conf)
            if subtype == "date":
                r._emit(rule, u, m, b, a, subtype=subtype, confidence=conf)
            if onesided:
                r._emit(
                    rule, u, m, a, b, event="reject", creates=False, basis="stated", cue="one-sided"
                )


def h_make_fall(
    r: _Reader, rule: Any, u: _Unit, ms: list[_Mention], masked: str, m: re.Match[str]
) -> None:
    a_ids = _group_ids(r, ms, masked, m, "a")
    b_ids = _group_ids(r, ms, masked, m, "b")
    failed = rp.FAILED.search(masked, m.end())
    for a in a_ids:
        for b in b_ids:
            r._emit(rule, u, m, a, b, event="attempt")
            if failed:
                r._emit(
                    rule,
                    u,
                    m,
                    a,
                    b,
                    event="reject",
                    creates=False,
                    basis="stated",
                    cue=failed.group(0),
                )


def h_feel_same(
    r: _Reader, rule: Any, u: _Unit, ms: list[_Mention], masked: str, m: re.Match[str]
) -> None:
    a_ids = _group_ids(r, ms, masked, m, "a")
    b_ids = _group_ids(r, ms, masked, m, "b")
    if not a_ids or not _factual_context(masked, m.start("a")):
        return
    negated, _h, _aux = _aux_flags(m)
    for a in a_ids:
        if b_ids:
            for b in b_ids:
                if negated:
                    r._emit(rule, u, m, b, a, event="reject", creates=False)
                else:
                    r._emit(rule, u, m, a, b, event="mutual")
        else:
            r._emit(rule, u, m, a, None, event="reject-ctx" if negated else "metoo", creates=False)


def h_me_too(
    r: _Reader, rule: Any, u: _Unit, ms: list[_Mention], masked: str, m: re.Match[str]
) -> None:
    if u.speaker:
        r._emit(rule, u, m, u.speaker, None, event="metoo", creates=False)


def h_spoken(
    r: _Reader, rule: Any, u: _Unit, ms: list[_Mention], masked: str, m: re.Match[str]
) -> None:
    """ "Will you go out with me?", "Marry me": the speaker → the addressee."""
    if not (u.speaker and u.addressee):
        return
    words = m.group(0).lower()
    subtype = "engaged" if "marry" in words or "wife" in words or "husband" in words else "date"
    r._emit(rule, u, m, u.speaker, u.addressee, subtype=subtype)


def h_see_me_as(
    r: _Reader, rule: Any, u: _Unit, ms: list[_Mention], masked: str, m: re.Match[str]
) -> None:
    """ "I'm a man too.": the speaker asks the addressee to see them as a possible lover."""
    if not (u.speaker and u.addressee) or _group_ids(r, ms, masked, m, "a") != [u.speaker]:
        return
    genders = (r.gender.get(u.speaker, "unknown"), r.gender.get(u.addressee, "unknown"))
    what = m.group("what").lower()
    own = "male" if what in ("man", "guy") else "female"
    if "unknown" in genders or genders[0] == genders[1] or genders[0] != own:
        return
    r._emit(rule, u, m, u.speaker, u.addressee)


def h_longing(
    r: _Reader, rule: Any, u: _Unit, ms: list[_Mention], masked: str, m: re.Match[str]
) -> None:
    """ "She was never going to look at me that way": me → her, not returned."""
    a_ids, b_ids, negated = _slots(r, ms, masked, m)
    if not negated or not _factual_context(masked, m.start("a")):
        return
    for a in a_ids:
        for b in b_ids:
            r._emit(rule, u, m, b, a, event="longing")
            r._emit(rule, u, m, b, a, event="reject", creates=False)


def h_choice(
    r: _Reader, rule: Any, u: _Unit, ms: list[_Mention], masked: str, m: re.Match[str]
) -> None:
    a_ids, b_ids, negated = _slots(r, ms, masked, m)
    c_ids = _group_ids(r, ms, masked, m, "c")
    if negated or not _object_ok(ms, masked, m) or not _factual_context(masked, m.start("a")):
        return
    for a in a_ids:
        for b in b_ids:
            r._emit(rule, u, m, a, b, event="choice", extra={"over": c_ids})
            for c in c_ids:
                r._emit(rule, u, m, c, a, basis="implied", confidence=0.6, event="suitor")
                r._emit(rule, u, m, c, a, event="reject", creates=False)


_ROMANTIC_OBJECTS = frozenset(
    {
        "confession",
        "feelings",
        "love",
        "advance",
        "advances",
        "proposal",
        "kiss",
        "heart",
        "affection",
    }
)


def h_reject(
    r: _Reader, rule: Any, u: _Unit, ms: list[_Mention], masked: str, m: re.Match[str]
) -> None:
    a_ids, b_ids, negated = _slots(r, ms, masked, m)
    if negated or not a_ids or not b_ids or not _factual_context(masked, m.start("a")):
        return
    obj = (m.group("obj") or "").lower() if "obj" in m.re.groupindex else ""
    verb = m.group(0).lower()
    poss = rule.handler == "reject-possessive" or bool(
        re.search(r"['’]s?\s*$", masked[m.end("b") : m.start("obj")] if obj else "")
    )
    for a in a_ids:
        for b in b_ids:
            if obj in _ROMANTIC_OBJECTS:
                event = (
                    "confession"
                    if obj in ("confession", "feelings", "love", "proposal", "heart")
                    else "kiss"
                )
                r._emit(
                    rule,
                    u,
                    m,
                    b,
                    a,
                    event=event,
                    basis="stated" if event == "confession" else "implied",
                )
                r._emit(rule, u, m, b, a, event="reject", creates=False)
            elif not obj and not poss and not re.search(r"refus|declin|ignor", verb):
                r._emit(rule, u, m, b, a, event="reject-if", creates=False)


def h_reject_ctx(
    r: _Reader, rule: Any, u: _Unit, ms: list[_Mention], masked: str, m: re.Match[str]
) -> None:
    """ "She pushes him away": his advance, if he made one, is turned away."""
    a_ids, b_ids, negated = _slots(r, ms, masked, m)
    if negated:
        return
    for a in a_ids:
        for b in b_ids:
            r._emit(rule, u, m, b, a, event="reject-recent", creates=False)


def h_reject_subject(
    r: _Reader, rule: Any, u: _Unit, ms: list[_Mention], masked: str, m: re.Match[str]
) -> None:
    """ "She turns away", "she says sorry", "she loves someone else": the latest advance
    towards her is turned down (with the rule's basis: stated for "someone else")."""
    negated, _h, _aux = _aux_flags(m)
    if negated:
        return
    for a in _group_ids(r, ms, masked, m, "a"):
        r._emit(rule, u, m, a, None, event="reject-ctx", creates=False)


def h_sorry_line(
    r: _Reader, rule: Any, u: _Unit, ms: list[_Mention], masked: str, m: re.Match[str]
) -> None:
    if u.speaker:
        r._emit(rule, u, m, u.speaker, u.addressee, event="reject-ctx", creates=False)


def h_onesided_any(
    r: _Reader, rule: Any, u: _Unit, ms: list[_Mention], masked: str, m: re.Match[str]
) -> None:
    for a in _group_ids(r, ms, masked, m, "a"):
        r._emit(rule, u, m, a, None, event="onesided", creates=False)


_GROUP_SUBTYPES: list[tuple[str, str, str, str | None]] = [
    # (regex on the verb, subtype, basis, event)
    (r"divorc|exes", "ex-spouse", "stated", None),
    (r"break|broke|split", "ex", "stated", None),
    (r"getting\s+married", "engaged", "stated", "mutual"),
    (r"marr|wed|newlywed|husband\s+and\s+wife", "spouse", "stated", "mutual"),
    (r"engaged", "engaged", "stated", "mutual"),
    (r"kiss|make|made|making", "kiss", "implied", "mutual"),
    (r"fall|fell|fallen|in\s+love", "love", "stated", "mutual"),
    (r"sleep|slept", "intimate", "implied", "mutual"),
    (r"^(?:go|goes|went|gone|going)\s+out", "date", "stated", "mutual"),
    (r".", "partner", "stated", "mutual"),
]
_STATE_WORD = re.compile(
    r"^(?:a\s+couple|an\s+item|together|lovers|married|engaged|dating|in\s+love|in\s+a\s+relationship"
    r"|seeing|going\s+out|exes|divorced|newlyweds|husband|boyfriend|girlfriend)",
    re.I,
)


_MODAL = re.compile(
    r"\b(?:will|would|should|could|might|may|can|shall|gonna|going\s+to|wants?\s+to|hopes?\s+to)\b"
    r"|['’](?:ll|d)\b",
    re.I,
)


def _verb_sense(verb: str) -> tuple[str, str, str | None]:
    for pat, subtype, basis, event in _GROUP_SUBTYPES:
        if re.search(pat, verb, re.I):
            return subtype, basis, event
    return "partner", "stated", "mutual"


def h_group(
    r: _Reader, rule: Any, u: _Unit, ms: list[_Mention], masked: str, m: re.Match[str]
) -> None:
    ids = _group_ids(r, ms, masked, m, "a")
    if len(ids) < 2 or not _factual_context(masked, m.start("a")):
        return
    negated, hedged, aux = _aux_flags(m)
    verb = m.group("verb")
    if negated or hedged or _MODAL.search(aux):
        return
    if re.match(r"(?:go|goes|going)\s+out", verb, re.I) and not rp.BE_FORMS.search(aux):
        return
    if _STATE_WORD.match(verb) and not rp.BE_FORMS.search(aux):
        return
    subtype, basis, event = _verb_sense(verb)
    if hedged:
        basis = "implied"
    for a in ids:
        for b in ids:
            if a != b:
                r._emit(rule, u, m, a, b, subtype=subtype, basis=basis, event=event)
                if subtype in ("ex", "ex-spouse"):
                    r._emit(rule, u, m, a, b, event="reject", creates=False)


# "A dates / marries / dumps B": the verb's subtype and event, first match wins.
_COUPLE_VERB_SENSES: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(pat, re.I), subtype, event)
    for pat, subtype, event in (
        (r"divorc", "ex-spouse", "breakup"),
        (r"break|broke|split|dump|ditch", "ex", "breakup"),
        (r"getting\s+married", "engaged", "mutual"),
        (r"marr|wed", "spouse", "mutual"),
        (r"engaged", "engaged", "mutual"),
        (r"sleep|slept|make|made|hook", "intimate", "mutual"),
        (r"^dated\b", "ex", "mutual"),
        (r"cheat", "partner", "mutual"),
        (r"^went\b|went\s+out", "date", "mutual"),
        (r"", "partner", "mutual"),
    )
]


def h_couple_verb(
    r: _Reader, rule: Any, u: _Unit, ms: list[_Mention], masked: str, m: re.Match[str]
) -> None:
    a_ids = _group_ids(r, ms, masked, m, "a")
    b_ids = _group_ids(r, ms, masked, m, "b")
    if not a_ids or not b_ids or not _object_ok(ms, masked, m):
        return
    if not _factual_context(masked, m.start("a")):
        return
    negated, hedged, aux = _aux_flags(m)
    if negated or hedged or _MODAL.search(aux):
        return
    verb = m.group("verb").lower()
    if re.match(
        r"(?:dating|seeing|engaged|married|going|in\s+a|together|back|divorced)", verb
    ) and not rp.BE_FORMS.search(aux):
        return
    subtype, event = next((st, ev) for pat, st, ev in _COUPLE_VERB_SENSES if pat.search(verb))
    basis = "implied" if hedged or re.search(r"sleep|slept|make|made|hook", verb) else "stated"
    both = {"subtype": subtype, "basis": basis, "event": event if event != "breakup" else None}
    for a in a_ids:
        for b in b_ids:
            _emit_both(r, rule, u, m, a, b, both, both)
            if event == "breakup":
                r._emit(rule, u, m, b, a, event="reject", creates=False)


def _noun_sense(m: re.Match[str]) -> tuple[rp.NounSense | None, str, str]:
    noun = " ".join(m.group("noun").lower().split())
    adj = " ".join((m.groupdict().get("adj") or "").lower().replace("-", " ").split())
    sense = rp.NOUNS.get(noun)
    if sense is None:
        for cut in ("es", "s"):
            if noun.endswith(cut) and noun[: -len(cut)] in rp.NOUNS:
                sense = rp.NOUNS[noun[: -len(cut)]]
                break
    return sense, noun, adj


def _emit_both(
    r: _Reader,
    rule: Any,
    u: _Unit,
    m: re.Match[str] | None,
    a: str,
    b: str,
    forward: dict[str, Any],
    backward: dict[str, Any] | None,
) -> None:
    """a → b with ``forward``'s fields and, unless ``backward`` is None, b → a with its own."""
    r._emit(rule, u, m, a, b, **forward)
    if backward is not None:
        r._emit(rule, u, m, b, a, **backward)


def _emit_noun(r: _Reader, rule: Any, u: _Unit, m: re.Match[str], owner: str, named: str) -> None:
    """``named`` is ``owner``'s <noun> (and ``owner`` is ``named``'s inverse noun)."""
    sense, noun, adj = _noun_sense(m)
    adjusted = _adjust(sense, adj) if sense is not None else None
    if sense is None or adjusted is None or owner == named:
        return
    subtype, inverse, mutual = adjusted
    cue = f"{adj} {noun}".strip()
    if subtype == "admirer":
        r._emit(rule, u, m, named, owner, kind="romantic", subtype="crush", cue=cue)
        return
    base = {"kind": sense.kind, "cue": cue, "event": "mutual" if mutual else None}
    back = {**base, "subtype": inverse} if inverse else None
    _emit_both(r, rule, u, m, owner, named, {**base, "subtype": subtype}, back)


def _adjust(sense: rp.NounSense, adj: str) -> tuple[str, str | None, bool] | None:
    """(subtype, inverse, mutual) after the adjectives; None for a fake relationship."""
    words = set(adj.split())
    if words & {"fake", "pretend", "contract"}:
        return None
    subtype, inverse, mutual = sense.subtype, sense.inverse, sense.mutual
    if sense.kind == "romantic" and words & {"ex", "former"}:
        subtype = inverse = "ex-spouse" if subtype == "spouse" else "ex"
        mutual = False
    elif sense.kind == "romantic" and "future" in words and subtype == "spouse":
        subtype = inverse = "engaged"
    return subtype, inverse, mutual


def h_noun(
    r: _Reader, rule: Any, u: _Unit, ms: list[_Mention], masked: str, m: re.Match[str]
) -> None:
    """ "X's classmates A and B": A and B are X's classmates (and X theirs)."""
    owners = _group_ids(r, ms, masked, m, "a")
    named = _group_ids(r, ms, masked, m, "b")
    if not owners or not named:
        return
    if rp.NEGATION.search(masked[min(m.start("a"), m.start("b")) : max(m.end("a"), m.end("b"))]):
        return
    if _MODAL.search(m.groupdict().get("aux") or ""):
        return
    noun = m.group("noun").lower()
    if (
        u.spoken
        and noun.endswith("s")
        and noun[:-1] in rp.NOUNS
        and _surface(ms, masked, m, "b") == "you"
        and named == [u.addressee]
    ):
        # "You are my friends": a plural noun makes "you" everyone else in the scene
        named = [x for x in u.present if x != u.speaker] or named
    for a in owners:
        for b in named:
            _emit_noun(r, rule, u, m, a, b)


def h_noun_fragment(
    r: _Reader, rule: Any, u: _Unit, ms: list[_Mention], masked: str, m: re.Match[str]
) -> None:
    """ "I'm bringing Pete. My boyfriend.": the fragment names the person just named."""
    owners = _group_ids(r, ms, masked, m, "a")
    if not u.spoken or owners != [u.speaker] or not r.previous_names:
        return
    named = [x for x in r.previous_names if x != u.speaker]
    if len(named) == 1:
        _emit_noun(r, rule, u, m, owners[0], named[0])


def h_noun_self(
    r: _Reader, rule: Any, u: _Unit, ms: list[_Mention], masked: str, m: re.Match[str]
) -> None:
    """ "It's your sister!": the speaker is the addressee's sister."""
    owners = _group_ids(r, ms, masked, m, "a")
    if u.speaker and owners == [u.addressee] and _surface(ms, masked, m, "a") == "your":
        _emit_noun(r, rule, u, m, owners[0], u.speaker)


def h_noun_group(
    r: _Reader, rule: Any, u: _Unit, ms: list[_Mention], masked: str, m: re.Match[str]
) -> None:
    """ "Ross and Monica are siblings", "we're friends", "X is friends with Y"."""
    sense, noun, adj = _noun_sense(m)
    if sense is None or not _factual_context(masked, m.start("a")):
        return
    ids = _group_ids(r, ms, masked, m, "a") + [
        x for x in _group_ids(r, ms, masked, m, "b") if x not in _group_ids(r, ms, masked, m, "a")
    ]
    negated, _h, aux = _aux_flags(m)
    between = masked[m.end("a") : m.start("noun")]
    if negated or rp.NEGATION.search(between) or len(ids) < 2:
        return
    if not (rp.BE_FORMS.search(aux) or re.search(r"\b(?:become|became|remain|stay)", between)):
        return
    adjusted = _adjust(sense, adj)
    if adjusted is None or sense.inverse != sense.subtype:
        return  # only symmetric relations can be read from a group ("are friends")
    subtype = adjusted[0]
    cue = f"{adj} {noun}".strip()
    for a in ids:
        for b in ids:
            if a != b:
                r._emit(rule, u, m, a, b, kind=sense.kind, subtype=subtype, cue=cue)


def h_compete(
    r: _Reader, rule: Any, u: _Unit, ms: list[_Mention], masked: str, m: re.Match[str]
) -> None:
    ids = _group_ids(r, ms, masked, m, "a")
    ids += [x for x in _group_ids(r, ms, masked, m, "b") if x not in ids]
    targets = _group_ids(r, ms, masked, m, "c")
    negated, _h, _aux = _aux_flags(m)
    if negated or not targets:
        return
    romance = (m.group("what") or "").lower() in ("heart", "love", "affection", "hand")
    for a in ids:
        for b in ids:
            if a != b:
                r._emit(
                    rule, u, m, a, b, kind="rivalry", subtype="love-rival" if romance else "rival"
                )
        for c in targets:
            if a != c:
                r._emit(
                    rule,
                    u,
                    m,
                    a,
                    c,
                    kind="romantic",
                    subtype="love",
                    basis="implied",
                    confidence=0.7 if romance else 0.5,
                )


def h_impression(
    r: _Reader, rule: Any, u: _Unit, ms: list[_Mention], masked: str, m: re.Match[str]
) -> None:
    if not u.speaker:
        return
    b_ids = _group_ids(r, ms, masked, m, "b")
    negated, _h, aux = _aux_flags(m)
    if negated or len(b_ids) != 1 or b_ids[0] == u.speaker:
        return
    if not rp.BE_FORMS.search(aux):
        return  # "You mean...": a verb, not an adjective
    adj = m.group("adj").lower().split()[-1]
    subtype = "dislikes" if adj in rp.NEGATIVE_ADJ else "likes"
    r._emit(rule, u, m, u.speaker, b_ids[0], kind="other", subtype=subtype)


def h_kiss_back(
    r: _Reader, rule: Any, u: _Unit, ms: list[_Mention], masked: str, m: re.Match[str]
) -> None:
    a_ids = _group_ids(r, ms, masked, m, "a")
    b_ids = _group_ids(r, ms, masked, m, "b")
    for a in a_ids:
        if b_ids:
            for b in b_ids:
                r._emit(rule, u, m, a, b, event="mutual")
        else:
            r._emit(rule, u, m, a, None, event="metoo", creates=False)


Handler = Callable[[_Reader, Any, _Unit, list[_Mention], str, re.Match[str]], None]
_HANDLERS: dict[str, Handler] = {
    "edge": h_edge,
    "edge-swap": h_edge_swap,
    "feelings": h_feelings,
    "feelings-owner": h_edge_swap,
    "make-fall": h_make_fall,
    "feel-same": h_feel_same,
    "me-too": h_me_too,
    "spoken": h_spoken,
    "exclusive-any": h_reject_subject,
    "see-me-as": h_see_me_as,
    "longing": h_longing,
    "choice": h_choice,
    "reject": h_reject,
    "reject-possessive": h_reject,
    "reject-ctx": h_reject_ctx,
    "reject-ctx-subject": h_reject_subject,
    "sorry": h_reject_subject,
    "sorry-line": h_sorry_line,
    "onesided-any": h_onesided_any,
    "group": h_group,
    "couple-verb": h_couple_verb,
    "kiss-back": h_kiss_back,
    "noun": h_noun,
    "noun-group": h_noun_group,
    "noun-fragment": h_noun_fragment,
    "noun-self": h_noun_self,
    "noun-with": h_noun_group,
    "compete": h_compete,
    "impression": h_impression,
}


def read_observations(
    doc: Document,
    index: CharacterIndex | None = None,
    doc_no: int = 0,
    id_map: dict[str, str] | None = None,
) -> list[Observation]:
    """Every observation the rules read from ``doc``, in reading order.

    ``id_map`` translates the document's character ids (mentions, speakers, addressees)
    into the ids of ``index`` — a series' merged cast.
    """
    index = index if index is not None else NameIndex.from_document(doc)
    return _Reader(doc, index, doc_no, id_map).read()


# --------------------------------------------------------------------------- the fold

_Key = tuple[str, str, str]  # (from, to, kind)
_Ev = tuple[int, Span]  # (document number, span)


@dataclass(slots=True)
class _Edge:
    rel: Relationship
    evidence: list[_Ev] = field(default_factory=list)
    requited_evidence: list[_Ev] = field(default_factory=list)
    events: set[str] = field(default_factory=set)


class _Fold:
    """Folds observations, in reading order, into the ledger; reports each scene's changes."""

    def __init__(self, observations: Sequence[Observation]) -> None:
        self.edges: dict[_Key, _Edge] = {}
        self.support: dict[tuple[str, str], tuple[int, int, int, int]] = {}
        self.rejects: dict[tuple[str, str], list[tuple[tuple[int, int, int, int], _Ev]]] = {}
        self.pending: dict[tuple[str, str], list[tuple[tuple[int, int, int, int], _Ev]]] = {}
        self.advances: list[Observation] = []  # romantic advances of the current scene
        self.onesided: dict[str, list[_Ev]] = {}  # for the rest of the scene
        self.exclusive: dict[str, tuple[str, list[_Ev]]] = {}
        self.touched: dict[_Key, list[_Ev]] = {}
        self.scene_events: dict[_Key, set[str]] = {}
        self.snapshot: dict[_Key, tuple[str, str]] = {}
        self.family = {
            frozenset((o.a, o.b)) for o in observations if o.kind == "family" and o.creates and o.b
        }
        self.romance_targets = {
            o.b
            for o in observations
            if o.kind == "romantic" and o.creates and o.b and o.event != "choice"
        }

    # -- edges
    def _edge(
        self, o: Observation, kind: str, subtype: str | None, scene: int
    ) -> tuple[_Key, _Edge]:
        assert o.b is not None
        key = (o.a, o.b, kind)
        e = self.edges.get(key)
        if e is None:
            e = _Edge(
                Relationship(
                    from_id=o.a,
                    to_id=o.b,
                    kind=kind,
                    basis=o.basis,
                    subtype=subtype,
                    scene_index=scene,
                    confidence=o.confidence,
                    attrs={"document": o.doc, "rules": [], "subtypes": [], "events": []},
                )
            )
            self.edges[key] = e
        rel = e.rel
        if o.basis == "stated":
            rel.basis = "stated"
        rel.confidence = max(rel.confidence, o.confidence)
        if subtype and (
            rel.subtype is None
            or _SUBTYPE_RANK.get(subtype, -1) > _SUBTYPE_RANK.get(rel.subtype, -1)
        ):
            rel.subtype = subtype
        if subtype and subtype not in rel.attrs["subtypes"]:
            rel.attrs["subtypes"].append(subtype)
        for c in o.cues:
            if c and c not in rel.cues:
                rel.cues.append(c)
        if o.rule not in rel.attrs["rules"]:
            rel.attrs["rules"].append(o.rule)
        ev = (o.doc, o.evidence)
        if ev not in e.evidence:
            e.evidence.append(ev)
        self.touched.setdefault(key, [])
        if ev not in self.touched[key]:
            self.touched[key].append(ev)
        if o.event:
            e.events.add(o.event)
            if o.event not in rel.attrs["events"]:
                rel.attrs["events"].append(o.event)
            self.scene_events.setdefault(key, set()).add(o.event)
        return key, e

    def _reject(self, lover: str, beloved: str, o: Observation) -> None:
        item = (o.order, (o.doc, o.evidence))
        key = (lover, beloved, "romantic")
        if key in self.edges:
            self.rejects.setdefault((lover, beloved), []).append(item)
            self.touched.setdefault(key, [])
            self.scene_events.setdefault(key, set()).add("reject")
        else:
            self.pending.setdefault((lover, beloved), []).append(item)

    def _recent_advance(
        self, beloved: str, o: Observation, lover: str | None = None
    ) -> Observation | None:
        for adv in reversed(self.advances):
            if adv.b == beloved and adv.a != beloved and (lover is None or adv.a == lover):
                if o.unit - adv.unit <= CONTEXT_UNITS:
                    return adv
                return None
        return None

    # -- one observation
    def add(self, o: Observation) -> None:
        if not o.creates:
            self._cue(o)
            return
        if o.b is None:
            return
        kind, subtype = o.kind, o.subtype
        if o.event == "choice" and o.a not in self.romance_targets and not o.extra.get("over"):
            return  # "she chooses Lee" is a love choice only where somebody loves her
        if kind == "romantic" and frozenset((o.a, o.b)) in self.family:
            if subtype in _AFFECTION_SUBTYPES:
                kind, subtype = "other", "likes"
            else:
                return
        key, e = self._edge(o, kind, subtype, o.scene)
        if kind != "romantic":
            return
        self.support[(o.a, o.b)] = o.order
        self.advances.append(o)
        for item in self.pending.pop((o.a, o.b), []):
            self.rejects.setdefault((o.a, o.b), []).append(item)
            self.scene_events.setdefault(key, set()).add("reject")
        if o.a in self.onesided:
            for ev in self.onesided[o.a]:
                self.rejects.setdefault((o.a, o.b), []).append((o.order, ev))
        if o.b in self.exclusive and self.exclusive[o.b][0] != o.a:
            for ev in self.exclusive[o.b][1]:
                self.rejects.setdefault((o.a, o.b), []).append((o.order, ev))
        if o.event in ("choice", "exclusive"):
            self.exclusive[o.a] = (o.b, [(o.doc, o.evidence)])
            for lover, beloved, k in list(self.edges):
                if k == "romantic" and beloved == o.a and lover != o.b:
                    self._reject(lover, beloved, o)
        if o.event == "mutual" and (o.b, o.a, "romantic") not in self.edges:
            pass  # the reverse observation is emitted by the rule itself

    def _cue(self, o: Observation) -> None:
        ev = (o.doc, o.evidence)
        if o.event == "reject" and o.b is not None:
            self._reject(o.a, o.b, o)
        elif o.event == "reject-if" and o.b is not None:
            if (o.a, o.b, "romantic") in self.edges:
                self._reject(o.a, o.b, o)
        elif o.event == "reject-recent" and o.b is not None:
            adv = self._recent_advance(o.b, o, lover=o.a)
            if adv is not None:
                self._reject(o.a, o.b, o)
        elif o.event == "reject-ctx":
            adv = self._recent_advance(o.a, o, lover=o.b)
            if adv is None and o.b is not None:
                adv = self._recent_advance(o.a, o)
            if adv is not None and adv.event in (
                "confession",
                "kiss",
                "near-kiss",
                "attempt",
                None,
            ):
                self._reject(adv.a, o.a, o)
        elif o.event == "metoo":
            adv = self._recent_advance(o.a, o)
            if adv is not None:
                reply = Observation(
                    order=o.order,
                    scene=o.scene,
                    a=o.a,
                    b=adv.a,
                    kind="romantic",
                    subtype=adv.subtype
                    if adv.subtype in _AFFECTION_SUBTYPES | {"kiss"}
                    else "love",
                    basis="implied" if o.rule == "kiss-back" else "stated",
                    confidence=0.7,
                    rule=o.rule,
                    cues=o.cues,
                    evidence=o.evidence,
                    event="mutual",
                    doc=o.doc,
                    unit=o.unit,
                )
                self.add(reply)
        elif o.event == "onesided":
            self.onesided.setdefault(o.a, []).append(ev)
            for lover, beloved, k in list(self.edges):
                if k == "romantic" and lover == o.a:
                    self._reject(lover, beloved, o)

    # -- the end of a scene
    def end_scene(self, doc_no: int, scene: int) -> list[tuple[RelationshipChange, list[_Ev]]]:
        self._family_closure(doc_no, scene)
        self._triangles(doc_no, scene)
        for key, e in self.edges.items():
            if key[2] == "romantic":
                self._requite(key, e)
        changes = self._changes()
        self.advances, self.onesided, self.exclusive = [], {}, {}
        self.touched, self.scene_events = {}, {}
        return changes

    def _triangles(self, doc_no: int, scene: int) -> None:
        suitors: dict[str, list[str]] = {}
        for (a, b, k), e in self.edges.items():
            if k != "romantic" or frozenset((a, b)) in self.family:
                continue
            if (
                e.rel.basis == "stated"
                or len(e.evidence) >= 2
                or (b, a, k) in self.edges
                or (a, b) in self.rejects
            ):
                suitors.setdefault(b, []).append(a)
        for target, lovers in suitors.items():
            for a in lovers:
                for b in lovers:
                    if a == b or frozenset((a, b)) in self.family:
                        continue
                    if (a, b, "romantic") in self.edges or (b, a, "romantic") in self.edges:
                        continue
                    ea = self.edges[(a, target, "romantic")]
                    eb = self.edges[(b, target, "romantic")]
                    e = self._derive(
                        (a, b, "rivalry"),
                        "love-rival",
                        [ea, eb],
                        "love-triangle",
                        "love triangle",
                        doc_no,
                        scene,
                    )
                    e.rel.attrs.setdefault("over", target)

    def _derive(
        self,
        key: _Key,
        subtype: str,
        sources: list[_Edge],
        rule: str,
        cue: str,
        doc_no: int,
        scene: int,
    ) -> _Edge:
        """An edge inferred from others (basis implied; their first evidence is its own)."""
        e = self.edges.get(key)
        if e is None:
            rel = Relationship(
                from_id=key[0],
                to_id=key[1],
                kind=key[2],
                basis="implied",
                subtype=subtype,
                scene_index=scene,
                confidence=round(min(x.rel.confidence for x in sources) * 0.9, 3),
                cues=[cue],
                attrs={
                    "document": doc_no,
                    "rules": [rule],
                    "subtypes": [subtype],
                    "events": [rule],
                },
            )
            e = self.edges[key] = _Edge(rel)
            e.evidence = _dedupe(x.evidence[0] for x in sources)
            self.touched[key] = list(e.evidence)
            self.scene_events.setdefault(key, set()).add(rule)
        elif cue not in e.rel.cues:
            e.rel.cues.append(cue)
        return e

    def _family_closure(self, doc_no: int, scene: int) -> None:
        """Children of one parent are siblings; siblings share their parents (implied)."""
        for _round in range(2):
            parents: dict[str, dict[str, _Edge]] = {}
            siblings: dict[str, dict[str, _Edge]] = {}
            for (a, b, k), e in list(self.edges.items()):
                if k != "family":
                    continue
                subtypes = e.rel.attrs.get("subtypes") or [e.rel.subtype]
                if "parent" in subtypes:
                    parents.setdefault(a, {})[b] = e
                if "sibling" in subtypes:
                    siblings.setdefault(a, {})[b] = e
            for x, px in parents.items():
                for y, py in parents.items():
                    if x >= y:
                        continue
                    for p in [p for p in px if p in py]:  # insertion order: deterministic
                        if p in (x, y) or (x, y, "family") in self.edges:
                            continue
                        for a, b in ((x, y), (y, x)):
                            self._derive(
                                (a, b, "family"),
                                "sibling",
                                [px[p], py[p]],
                                "family-closure",
                                "same parent",
                                doc_no,
                                scene,
                            )
            for x, sx in siblings.items():
                for y, e_xy in sx.items():
                    for p, e_xp in parents.get(x, {}).items():
                        if p == y or (y, p, "family") in self.edges:
                            continue
                        self._derive(
                            (y, p, "family"),
                            "parent",
                            [e_xy, e_xp],
                            "family-closure",
                            "sibling's parent",
                            doc_no,
                            scene,
                        )
                        self._derive(
                            (p, y, "family"),
                            "child",
                            [e_xy, e_xp],
                            "family-closure",
                            "sibling's parent",
                            doc_no,
                            scene,
                        )

    def _requite(self, key: _Key, e: _Edge) -> None:
        a, b, _k = key
        rev = self.support.get((b, a))
        rejects = self.rejects.get((a, b), [])
        last_reject = max((r[0] for r in rejects), default=None)
        if last_reject is not None and (rev is None or last_reject > rev):
            e.rel.requited = "no"
            e.requited_evidence = _dedupe(
                [r[1] for r in rejects if r[0] >= (rev or (-1, -1, -1, -1))]
            )
        elif rev is not None:
            e.rel.requited = "yes"
            e.requited_evidence = list(self.edges[(b, a, "romantic")].evidence[:3])
        else:
            e.rel.requited = "unknown"
            e.requited_evidence = []

    def _changes(self) -> list[tuple[RelationshipChange, list[_Ev]]]:
        out: list[tuple[RelationshipChange, list[_Ev]]] = []
        new_snap: dict[_Key, tuple[str, str]] = {}
        for key, e in self.edges.items():
            rel = e.rel
            now = (rel.requited, rel.basis)
            new_snap[key] = now
            before = self.snapshot.get(key)
            evs = self.touched.get(key, [])
            events = self.scene_events.get(key, set())
            if before is None:
                note = _note_new(rel, events)
                out.append(
                    (
                        RelationshipChange(
                            rel.from_id,
                            rel.to_id,
                            rel.kind,
                            "edge",
                            None,
                            rel.basis,
                            note,
                            subtype=rel.subtype,
                        ),
                        evs,
                    )
                )
                before = ("unknown", rel.basis)
            if now[0] != before[0]:
                note = self._note_requited(rel, now[0], events)
                req_evs = [
                    ev for ev in e.requited_evidence if ev in evs or not evs
                ] or e.requited_evidence
                out.append(
                    (
                        RelationshipChange(
                            rel.from_id,
                            rel.to_id,
                            rel.kind,
                            "requited",
                            before[0],
                            now[0],
                            note,
                            subtype=rel.subtype,
                        ),
                        _dedupe(evs + req_evs),
                    )
                )
            if now[1] != before[1]:
                out.append(
                    (
                        RelationshipChange(
                            rel.from_id,
                            rel.to_id,
                            rel.kind,
                            "basis",
                            before[1],
                            now[1],
                            None,
                            subtype=rel.subtype,
                        ),
                        evs,
                    )
                )
        self.snapshot = new_snap
        return out

    def _note_requited(self, rel: Relationship, now: str, events: set[str]) -> str | None:
        if now == "yes":
            return "mutual"
        if now != "no":
            return None
        # another suitor is loved back: this one's fate is sealed (second lead)
        for (a, b, k), _e in self.edges.items():
            if k == "romantic" and a == rel.to_id and b != rel.from_id and self.support.get((b, a)):
                return "second-lead"
        return "rejection" if "reject" in events else "one-sided"


def _note_new(rel: Relationship, events: set[str]) -> str | None:
    for ev in (
        "confession",
        "love-triangle",
        "choice",
        "near-kiss",
        "kiss",
        "mutual",
        "attempt",
        "test",
    ):
        if ev in events:
            return ev
    return None


def _dedupe(evs: Iterable[_Ev]) -> list[_Ev]:
    out: list[_Ev] = []
    for ev in evs:
        if ev not in out:
            out.append(ev)
    return out


def fold_ledger(
    observations: Sequence[Observation],
    scenes: Sequence[tuple[int, int]],
) -> tuple[
    list[tuple[Relationship, list[_Ev], list[_Ev]]],
    dict[tuple[int, int], list[tuple[RelationshipChange, list[_Ev]]]],
]:
    """Fold ``observations`` over ``scenes`` ((document, scene) in order).

    Returns the edges (relationship, its evidence, its requited evidence, each evidence as
    ``(document number, span)``) and the changes of each scene.
    """
    f = _Fold(observations)
    by_scene: dict[tuple[int, int], list[Observation]] = {}
    for o in sorted(observations, key=lambda o: o.order):
        by_scene.setdefault((o.doc, o.scene), []).append(o)
    changes: dict[tuple[int, int], list[tuple[RelationshipChange, list[_Ev]]]] = {}
    for key in scenes:
        for o in by_scene.get(key, []):
            f.add(o)
        changes[key] = f.end_scene(*key)
    edges = [(e.rel, e.evidence, e.requited_evidence) for e in f.edges.values()]
    edges.sort(
        key=lambda t: (KINDS.index(t[0].kind), t[0].scene_index or 0, t[0].from_id, t[0].to_id)
    )
    return edges, changes


# --------------------------------------------------------------------------- the stage


def annotate_relationships(doc: Document, index: CharacterIndex | None = None) -> Document:
    """The stage: write ``doc.relationships``, each scene's changes and the love line."""
    index = index if index is not None else NameIndex.from_document(doc)
    obs = read_observations(doc, index)
    edges, changes = fold_ledger(obs, [(0, s.index) for s in doc.scenes])
    doc.relationships = []
    for rel, evs, req in edges:
        rel.evidence = [s for _d, s in evs]
        rel.requited_evidence = [s for _d, s in req]
        rel.attrs.pop("document", None)
        doc.relationships.append(rel)
    for s in doc.scenes:
        s.relationship_changes = []
        for ch, evs in changes.get((0, s.index), []):
            ch.evidence = [sp for _d, sp in evs]
            s.relationship_changes.append(ch)
    doc.attrs["love_line"] = love_line(doc.relationships)
    return doc


def analyse(doc: Document, nlp: str = "rules") -> Document:
    """The pipeline's ``ledger`` preset: every stage up to and including this one.

    Characters, speaker names, coref, attribution, addressee, dialogue_refs, conversation,
    then the ledger and the love-line roles (:data:`sceneanatomy.pipeline.STAGES`).
    """
    from ..pipeline import run

    return run(doc, preset="ledger", nlp=nlp)


# --------------------------------------------------------------------------- patterns


def romantic(rels: Iterable[Relationship]) -> list[Relationship]:
    return [r for r in rels if r.kind == "romantic"]


def _weighty(r: Relationship) -> bool:
    """A romantic edge that can make someone a suitor in a love triangle: stated, read more
    than once, returned or turned down. One implied move nobody answers (a stranger's kiss
    at a party) is not enough."""
    return r.basis == "stated" or len(r.evidence) >= 2 or r.requited in ("yes", "no")


def love_line(rels: Sequence[Relationship]) -> dict[str, Any]:
    """Triangles, couples, one-sided edges and the roles that follow (ids only)."""
    rom = romantic(rels)
    by_pair = {(r.from_id, r.to_id): r for r in rom}
    couples = sorted(
        {
            tuple(sorted((r.from_id, r.to_id)))
            for r in rom
            if r.requited == "yes" and (r.to_id, r.from_id) in by_pair
        }
    )
    suitors: dict[str, list[str]] = {}
    for r in rom:
        if _weighty(r):
            suitors.setdefault(r.to_id, []).append(r.from_id)
    triangles = []
    for target, lovers in sorted(suitors.items()):
        lovers = [x for x in lovers if (target, x) not in by_pair or len(lovers) > 1]
        if len(set(lovers)) >= 2:
            triangles.append(
                {
                    "target": target,
                    "suitors": sorted(set(lovers)),
                    "chosen": sorted(
                        x for x in set(lovers) if by_pair[(x, target)].requited == "yes"
                    ),
                    "unrequited": sorted(
                        x for x in set(lovers) if by_pair[(x, target)].requited == "no"
                    ),
                }
            )
    unrequited = [{"from": r.from_id, "to": r.to_id} for r in rom if r.requited == "no"]
    roles = love_line_roles(rels)
    return {
        "couples": [list(c) for c in couples],
        "triangles": triangles,
        "unrequited": unrequited,
        "mutual_confessions": [
            list(c)
            for c in couples
            if all(
                {"confession", "mutual"} & set(by_pair[p].attrs.get("events", []))
                and by_pair[p].basis == "stated"
                for p in ((c[0], c[1]), (c[1], c[0]))
            )
        ],
        "roles": roles,
    }


def love_line_roles(rels: Sequence[Relationship]) -> dict[str, list[str]]:
    """Story roles that follow from the ledger: ``{"lead": [...], "second-lead": [...], "rival": [...]}``.

    * A love triangle (two romantic edges into one person): the person is a lead; a suitor
      loved back is a lead; a suitor whose love is not returned ("no") while another is
      loved back is a second lead.
    * Without a triangle, a chain: a suitor whose love is not returned ("no"), whose
      beloved loves one other person (a weighty edge, not itself turned down): the beloved
      and that person are the leads, the suitor a second lead ("his one-sided love" for
      her, whose "heart belongs to" another). The chain with the most evidence counts.
    * Otherwise, the couple with the most evidence are the leads.
    * A rival: a character with a rivalry edge (jealousy, "rivals", a love rival) towards
      a lead who is neither a lead nor a second lead.
    """
    rom = romantic(rels)
    by_pair = {(r.from_id, r.to_id): r for r in rom}
    leads: list[str] = []
    second: list[str] = []
    suitors: dict[str, set[str]] = {}
    for r in rom:
        if _weighty(r):
            suitors.setdefault(r.to_id, set()).add(r.from_id)
    weight = {t: sum(len(by_pair[(s, t)].evidence) for s in ss) for t, ss in suitors.items()}
    for target in sorted(suitors, key=lambda t: (-len(suitors[t]), -weight[t], t)):
        lovers = suitors[target]
        if len(lovers) < 2:
            continue
        chosen = [s for s in sorted(lovers) if by_pair[(s, target)].requited == "yes"]
        if not chosen:
            continue
        for x in [target, *chosen]:
            if x not in leads:
                leads.append(x)
        for s in sorted(lovers):
            if by_pair[(s, target)].requited == "no" and s not in leads and s not in second:
                second.append(s)
        break
    if not leads:
        chains = []
        for r in rom:
            if r.requited != "no":
                continue
            loves = {
                o.to_id
                for o in rom
                if o.from_id == r.to_id
                and o.to_id != r.from_id
                and o.requited != "no"
                and _weighty(o)
            }
            if len(loves) == 1:
                (other,) = loves
                ev = len(r.evidence) + len(by_pair[(r.to_id, other)].evidence)
                chains.append((-ev, r.to_id, other, r.from_id))
        if chains:
            _, beloved, other, suitor = min(chains)
            leads, second = [beloved, other], [suitor]
    if not leads:
        couples = [
            (r.from_id, r.to_id)
            for r in rom
            if r.requited == "yes" and (r.to_id, r.from_id) in by_pair and r.from_id < r.to_id
        ]
        if couples:
            best = max(
                couples,
                key=lambda c: (len(by_pair[c].evidence) + len(by_pair[(c[1], c[0])].evidence), c),
            )
            leads = list(best)
    rivals = sorted(
        (
            {
                r.from_id
                for r in rels
                if r.kind == "rivalry"
                and r.to_id in leads
                and r.from_id not in leads
                and r.from_id not in second
            }
            | {
                r.from_id
                for r in rels
                if r.kind == "rivalry"
                and r.subtype == "love-rival"
                and r.to_id in leads
                and r.from_id not in leads
            }
        )
        - set(second)
    )
    return {"lead": leads, "second-lead": second, "rival": rivals}


def apply_love_line_roles(doc: Document) -> dict[str, list[str]]:
    """Refine ``Character.role`` from the love line (through ``characters.assign_roles``).

    The characters stage's :func:`~sceneanatomy.analysis.characters.assign_roles` takes the
    leads and second leads the ledger found; everyone else is ranked by prominence as
    before. ``Character.attrs["love_line_role"]`` records lead / second-lead / rival.

    Only when the love line is the story's: a lead by prominence is in it (as a lead or
    a second lead), or nobody is a lead by prominence yet. A thriller whose hero is not
    in the one couple the ledger found keeps its prominence roles (the couple's
    ``love_line_role`` is still recorded).
    """
    from .characters import assign_roles

    roles = love_line_roles(doc.relationships)
    in_line = set(roles["lead"]) | set(roles["second-lead"])
    leads_now = {c.id for c in doc.characters if c.role == "lead"}
    if roles["lead"] and (not leads_now or leads_now & in_line):
        assign_roles(doc, leads=roles["lead"], second_leads=roles["second-lead"])
    for c in doc.characters:
        for role in ("lead", "second-lead", "rival"):
            if c.id in roles[role]:
                c.attrs["love_line_role"] = role
                break
    return roles


# --------------------------------------------------------------------------- the ledger over time


def ledger_after(doc: Document, scene_index: int) -> dict[tuple[str, str, str], dict[str, str]]:
    """The ledger as it stood after scene ``scene_index``: (from, to, kind) → requited, basis."""
    state: dict[tuple[str, str, str], dict[str, str]] = {}
    for s in doc.scenes[: scene_index + 1]:
        for ch in s.relationship_changes:
            key = (ch.from_id, ch.to_id, ch.kind)
            if ch.aspect == "edge":
                state[key] = {"requited": "unknown", "basis": ch.after, "subtype": ch.subtype or ""}
            elif key in state:
                state[key][ch.aspect] = ch.after
    return state


# --------------------------------------------------------------------------- series


@dataclass(slots=True)
class SeriesLedger:
    """The ledger of several episodes of one drama, characters merged across files."""

    documents: list[Document]
    characters: list[Character]
    id_maps: list[dict[str, str]]  # per document: its character id → the series id
    relationships: list[Relationship]  # attrs["evidence_documents"]: document of each span
    changes: list[tuple[int, int, RelationshipChange]]  # (document, scene, change)
    love_line: dict[str, Any] = field(default_factory=dict)


def order_episodes(docs: Sequence[Document]) -> list[Document]:
    """By ``doc.episode`` when every document knows it, else in the order given."""
    if docs and all(d.episode is not None for d in docs):
        return sorted(docs, key=lambda d: d.episode or 0)
    return list(docs)


def merge_characters(docs: Sequence[Document]) -> tuple[list[Character], list[dict[str, str]]]:
    """One cast for several documents: a character joins an earlier one sharing an alias key."""
    from .characters import alias_index, resolve_name

    merged: list[Character] = []
    maps: list[dict[str, str]] = []
    ref = Document(source_text="", source_format="prose", attrs={"characters": {}})
    for d in docs:
        korean = bool(d.attrs.get("characters", {}).get("korean_names"))
        ref.attrs["characters"]["korean_names"] = korean or ref.attrs["characters"].get(
            "korean_names", False
        )
        ref.characters = merged
        idx = alias_index(ref)
        mp: dict[str, str] = {}
        for c in d.characters:
            hit = None
            for alias in [c.name, *c.aliases]:
                hit = resolve_name(ref, alias, idx)
                if hit:
                    break
            if hit:
                target = next(x for x in merged if x.id == hit)
                if c.gender != "unknown" and target.gender not in ("unknown", c.gender):
                    hit = None
            if hit:
                target = next(x for x in merged if x.id == hit)
                for a in c.aliases:
                    if a not in target.aliases:
                        target.aliases.append(a)
                for a in c.actors:
                    if a not in target.actors:
                        target.actors.append(a)
                if target.gender == "unknown":
                    target.gender = c.gender
                mp[c.id] = hit
            else:
                new_id, n = c.id, 2
                while any(x.id == new_id for x in merged):
                    new_id, n = f"{c.id}-{n}", n + 1
                merged.append(
                    Character(
                        id=new_id,
                        name=c.name,
                        aliases=list(c.aliases),
                        actors=list(c.actors),
                        gender=c.gender,
                        role=c.role,
                    )
                )
                mp[c.id] = new_id
        maps.append(mp)
    return merged, maps


def ledger_series(docs: Sequence[Document]) -> SeriesLedger:
    """The ledger of several episodes (each already through :func:`analyse`)."""
    docs = order_episodes(docs)
    characters, maps = merge_characters(docs)
    obs: list[Observation] = []
    scenes: list[tuple[int, int]] = []
    index = NameIndex.from_characters(characters)
    for n, d in enumerate(docs):
        obs.extend(read_observations(d, index, doc_no=n, id_map=maps[n]))
        scenes.extend((n, s.index) for s in d.scenes)
    edges, changes = fold_ledger(obs, scenes)
    rels: list[Relationship] = []
    for rel, evs, req in edges:
        rel.evidence = [s for _d, s in evs]
        rel.attrs["evidence_documents"] = [d for d, _s in evs]
        rel.attrs["document"] = rel.attrs.get("document", 0)
        rel.requited_evidence = [s for _d, s in req]
        rel.attrs["requited_evidence_documents"] = [d for d, _s in req]
        rels.append(rel)
    out_changes: list[tuple[int, int, RelationshipChange]] = []
    for (n, si), items in changes.items():
        for ch, evs in items:
            ch.evidence = [s for d, s in evs if d == n]
            out_changes.append((n, si, ch))
    line = love_line(rels)
    for c in characters:
        for role in ("lead", "second-lead", "rival"):
            if c.id in line["roles"][role]:
                c.attrs["love_line_role"] = role
                break
    return SeriesLedger(list(docs), characters, maps, rels, out_changes, line)


def series_of(doc: Document) -> SeriesLedger:
    """A one-document :class:`SeriesLedger` (after :func:`annotate_relationships`)."""
    for r in doc.relationships:
        r.attrs.setdefault("evidence_documents", [0] * len(r.evidence))
        r.attrs.setdefault("requited_evidence_documents", [0] * len(r.requited_evidence))
    return SeriesLedger(
        [doc],
        list(doc.characters),
        [{c.id: c.id for c in doc.characters}],
        list(doc.relationships),
        [(0, s.index, ch) for s in doc.scenes for ch in s.relationship_changes],
        doc.attrs.get("love_line") or love_line(doc.relationships),
    )
