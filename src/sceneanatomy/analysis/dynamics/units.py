"""A scene read as units (narrative sentences and spoken lines) with who is who in each.

Every dynamics module reads a scene through :class:`SceneText`: its :class:`Unit` s in
source order, each with its tokens, clauses, and the character references the who-is-who
stages found in it (names, "the director", resolved pronouns, I / you in lines), each with
a grammatical role. :func:`owners` decides whom a cue word belongs to — the character it
describes, not the nearest name — and :func:`modifiers` whether it is negated, hedged,
intensified or only wanted / tried (irrealis).

Pronouns the coref stage left unresolved (typically at the top of a scene, before any name
in the action lines) are resolved here to the most recent participant of the right gender
(speaker, addressee or mention), with a low confidence.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

from ...model import Document, Element, ElementKind, LineIndex, Scene, Span
from ..coref import rule_role
from ..dialogue_refs import (
    FEMALE_PRONOUNS,
    MALE_PRONOUNS,
    Token,
    content_span,
    tokenize,
)
from .lexicon import Cues, Hit


def _words(text: str) -> list[str]:
    """The words of a space-separated list."""
    return text.split()


NARRATIVE_KINDS = frozenset({ElementKind.ACTION, ElementKind.NARRATION})
SPOKEN_KINDS = frozenset({ElementKind.DIALOGUE, ElementKind.SUBTITLE, ElementKind.LYRIC})
MENTION_KINDS = frozenset({"name", "pronoun", "vocative"})
MIN_CONFIDENCE = 0.3

_SENT_END = re.compile(r"(?<=[.!?…])[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9\uac00-\ud7a3])")
CLAUSE_OPENERS = frozenset(
    _words(
        "but while whereas as because since although though if unless until before after "
        "once whenever where who which that whom however whether so yet"
    )
)
CLAUSE_MARKS = frozenset({";", ":", "—", "–", "(", ")", "--", ".", "!", "?", "…"})
COPULAS = frozenset(
    _words(
        "is are was were be been being am 's 're 'm feel feels felt look looks looked seem "
        "seems seemed become becomes became get gets got grow grows grew remain remains "
        "remained turn turns turned appear appears appeared stay stays stayed sound sounds "
        "sounded"
    )
)
AUXILIARIES = frozenset(
    _words(
        "is are was were has have had does did do will would can could should may might must "
        "'s 're 've 'd 'll"
    )
)
_ADVERBISH = frozenset(
    _words(
        "then also only even just still suddenly finally again soon now readily quickly slowly "
        "not never n't always already almost"
    )
)
_NOT_VERBS = frozenset(
    _words(
        "its his hers this was has is us thus yes less unless as always perhaps sometimes "
        "series news glass class boss kiss miss bus"
    )
)


@dataclass(slots=True)
class Ref:
    """A reference to a character inside a unit."""

    start: int  # source offsets
    end: int
    i: int  # token range [i, j) in the unit
    j: int
    cid: str
    role: str  # subj | obj | obl | poss | refl | voc
    kind: str  # name | pronoun | vocative
    confidence: float
    surface: str


@dataclass(slots=True)
class Unit:
    """One narrative sentence or one spoken line of a scene."""

    index: int
    kind: str  # "narr" | "line"
    start: int
    end: int
    element: Element
    tokens: list[Token]
    words: list[str]
    clause: list[int]
    refs: list[Ref] = field(default_factory=list)
    speaker: str | None = None
    addressee: str | None = None
    extension: str | None = None
    manner: list[tuple[int, int]] = field(default_factory=list)  # parentheticals (source)
    reactions: list[tuple[int, int]] = field(default_factory=list)  # SDH sounds before it
    paragraph: int | None = None
    nested_in: int | None = None  # a prose quote inside a narrative unit
    meta: bool = False  # a headline or dek
    position: float = 0.0  # 0..1 inside the scene
    attrs: dict[str, Any] = field(default_factory=dict)

    def cids(self) -> list[str]:
        out: list[str] = []
        for r in self.refs:
            if r.cid not in out:
                out.append(r.cid)
        return out


@dataclass(slots=True)
class SceneText:
    """A scene as units, with the spans and characters the dynamics modules need."""

    doc: Document
    scene: Scene
    units: list[Unit]
    lix: LineIndex
    genders: dict[str, str]
    present: list[str]  # characters present (speakers, addressees, referred to), in order
    body_start: int = 0  # first unit of the scene proper (prose: units before are setup)
    timed: bool = False  # subtitles: spans carry times

    def text(self, start: int, end: int) -> str:
        return self.doc.source_text[start:end]

    def span(self, start: int, end: int) -> Span:
        """A span of the source, with the times of the timed elements it covers."""
        sp = self.lix.span(start, end)
        if not self.timed:
            return sp
        timed = [
            u.element.span
            for u in self.units
            if u.start < end and start < u.end and u.element.span.start_time is not None
        ]
        if timed:
            return Span(
                sp.start_line,
                sp.end_line,
                start,
                end,
                min(t.start_time for t in timed if t.start_time is not None),
                max((t.end_time for t in timed if t.end_time is not None), default=None),
            )
        return sp

    def unit_span(self, u: Unit) -> Span:
        return self.span(u.start, u.end)

    def unit_text(self, u: Unit) -> str:
        return self.doc.source_text[u.start : u.end]

    def body(self) -> list[Unit]:
        return [u for u in self.units[self.body_start :] if not u.meta]

    def name(self, cid: str | None) -> str:
        if cid is None:
            return "someone"
        c = self.doc.character(cid)
        return c.name if c is not None else cid


# ------------------------------------------------------------------------------ building


def mention_index(doc: Document) -> tuple[list[int], list[tuple[int, int, str, str, float, str]]]:
    """Every name / pronoun / vocative mention of the document, sorted by start offset."""
    best: dict[tuple[int, int], tuple[int, int, str, str, float, str]] = {}
    for c in doc.characters:
        for m in c.mentions:
            if m.kind not in MENTION_KINDS or m.confidence < MIN_CONFIDENCE:
                continue
            key = (m.span.start_char, m.span.end_char)
            old = best.get(key)
            if old is None or m.confidence > old[4]:
                best[key] = (key[0], key[1], c.id, m.kind, m.confidence, m.surface)
    items = sorted(best.values())
    return [x[0] for x in items], items


def genders_of(doc: Document) -> dict[str, str]:
    return {c.id: c.gender for c in doc.characters}


def _sentences(text: str, a: int, b: int) -> list[tuple[int, int]]:
    chunk = text[a:b]
    out: list[tuple[int, int]] = []
    pos = 0
    for m in _SENT_END.finditer(chunk):
        out.append((a + pos, a + m.start()))
        pos = m.end()
    out.append((a + pos, b))
    res = []
    for s, e in out:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            res.append((s, e))
    return res


def _clauses(tokens: list[Token], ref_tokens: set[int]) -> list[int]:
    out: list[int] = []
    c = 0
    for k, t in enumerate(tokens):
        low = t.lower
        if k > 0 and (
            t.text in CLAUSE_MARKS
            or low in CLAUSE_OPENERS
            or (
                low in ("and", "or")
                and not ((k - 1) in ref_tokens and (k + 1) in ref_tokens)
                and k + 1 < len(tokens)
                and tokens[k + 1].lower not in ("then",)
            )
        ):
            c += 1
        out.append(c)
    return out


def _verbish(tokens: list[Token], k: int) -> bool:
    """Does a finite verb start at token ``k`` (after adverbs)?"""
    while k < len(tokens) and (
        tokens[k].lower in _ADVERBISH or tokens[k].lower.endswith("ly") and len(tokens[k].lower) > 3
    ):
        k += 1
    if k >= len(tokens):
        return False
    w = tokens[k].lower
    if w in AUXILIARIES or w in COPULAS:
        return True
    if not tokens[k].text[:1].islower() or w in _NOT_VERBS:
        return False
    return (w.endswith("s") and not w.endswith("ss") and len(w) > 3) or w.endswith("ed")


def _roles(tokens: list[Token], refs: list[Ref]) -> None:
    for r in refs:
        if r.kind == "vocative":
            r.role = "voc"
            continue
        pron = r.surface.lower() if r.kind == "pronoun" else None
        if pron is not None and pron not in MALE_PRONOUNS | FEMALE_PRONOUNS:
            # I / me / you / we in a line: case gives the role
            low = pron
            r.role = (
                "subj"
                if low in ("i", "we", "you", "they")
                else "poss"
                if low in ("my", "your", "our", "their")
                else "obj"
            )
            if low == "you" and r.i > 0 and tokens[r.i - 1].lower not in ("and", ",", "if"):
                prev = tokens[r.i - 1]
                if prev.is_word and prev.lower not in ("when", "while", "because", "that"):
                    r.role = "obj"
            continue
        role, _clause = rule_role(tokens, r.start, r.end, pron)
        if role == "obj" and pron is None and _verbish(tokens, r.j):
            role = "subj"
        r.role = role
    # coordinated references share the subject role ("A and B fall for her")
    for a, b in zip(refs, refs[1:], strict=False):
        if (
            b.i == a.j + 1
            and tokens[a.j].lower in ("and", "or", "&", ",")
            and "subj" in (a.role, b.role)
            and {a.role, b.role} <= {"subj", "obj"}
        ):
            a.role = b.role = "subj"


def _token_range(
    tokens: list[Token], start: int, end: int, starts: list[int] | None = None
) -> tuple[int, int]:
    if starts is None:
        starts = [t.start for t in tokens]
    i = bisect.bisect_left(starts, start)
    j = bisect.bisect_left(starts, end)
    if i >= len(tokens):
        return i, i
    return i, max(j, i + 1)


def _make_unit(
    doc: Document,
    index: int,
    kind: str,
    a: int,
    b: int,
    el: Element,
    mstarts: list[int],
    mitems: list[tuple[int, int, str, str, float, str]],
) -> Unit:
    text = doc.source_text[a:b]
    tokens = tokenize(text, a)
    refs: list[Ref] = []
    lo = bisect.bisect_left(mstarts, a)
    hi = bisect.bisect_left(mstarts, b)
    starts = [t.start for t in tokens] if hi > lo else []
    for s, e, cid, mkind, conf, surface in mitems[lo:hi]:
        if e > b:
            continue
        i, j = _token_range(tokens, s, e, starts)
        if i >= len(tokens):
            continue
        if refs and refs[-1].i <= i < refs[-1].j:
            continue  # overlapping mention (a name inside a longer one)
        refs.append(Ref(s, e, i, j, cid, "obj", mkind, conf, surface))
    words = [t.lower for t in tokens]
    unit = Unit(index, kind, a, b, el, tokens, words, [], refs)
    ref_tokens = {k for r in refs for k in range(r.i, r.j)}
    unit.clause = _clauses(tokens, ref_tokens)
    return unit


def build(
    doc: Document, scene: Scene, index: tuple[list[int], list[Any]] | None = None
) -> SceneText:
    """The units of ``scene`` with their references (see module doc)."""
    mstarts, mitems = index if index is not None else mention_index(doc)
    lix = doc.attrs.get("_dynamics_lix")
    if not isinstance(lix, LineIndex):
        lix = LineIndex(doc.source_text)
        doc.attrs["_dynamics_lix"] = lix
    src = doc.source_text
    units: list[Unit] = []
    pending_manner: list[tuple[int, int]] = []
    pending_sound: list[tuple[int, int]] = []
    narr_ranges: list[tuple[int, int, int]] = []
    for el in scene.elements:
        if el.kind == ElementKind.SOUND:
            # "(gasps)" right before a subtitle: the subtitle's parenthetical
            pending_sound.append((el.span.start_char, el.span.end_char))
            continue
        sounds, pending_sound = pending_sound, []
        if el.kind in NARRATIVE_KINDS:
            role = el.attrs.get("role")
            for a, b in _sentences(src, el.span.start_char, el.span.end_char):
                u = _make_unit(doc, len(units), "narr", a, b, el, mstarts, mitems)
                u.paragraph = el.attrs.get("paragraph")
                u.meta = role in ("headline", "dek", "byline", "caption") or bool(
                    _TRANSITION.match(src[a:b])
                )
                narr_ranges.append((a, b, u.index))
                units.append(u)
        elif el.kind == ElementKind.PARENTHETICAL:
            pending_manner.append((el.span.start_char, el.span.end_char))
        elif el.kind in SPOKEN_KINDS:
            a, b = content_span(doc, el)
            u = _make_unit(doc, len(units), "line", a, b, el, mstarts, mitems)
            u.speaker = el.speaker_id
            u.addressee = el.addressee_id
            u.extension = el.extension
            u.manner = pending_manner
            u.reactions = sounds
            u.paragraph = el.attrs.get("paragraph")
            pending_manner = []
            for na, nb, ni in narr_ranges:
                if na <= a and b <= nb:
                    u.nested_in = ni
            units.append(u)
        elif el.kind == ElementKind.CHARACTER:
            pending_manner = []
    units.sort(key=lambda u: (u.start, u.kind != "narr"))
    remap = {u.index: k for k, u in enumerate(units)}
    for k, u in enumerate(units):
        u.index = k
        if u.nested_in is not None:
            u.nested_in = remap[u.nested_in]
    genders = genders_of(doc)
    _fallback_pronouns(doc, scene, units, genders)
    for u in units:
        _roles(u.tokens, u.refs)
    if units:
        first, last = units[0].start, max(u.end for u in units)
        width = max(1, last - first)
        for u in units:
            u.position = round((u.start - first) / width, 4)
    present: list[str] = []
    for u in units:
        for cid in [u.speaker, u.addressee, *[r.cid for r in u.refs]]:
            if cid and cid not in present:
                present.append(cid)
    timed = any(u.element.span.start_time is not None for u in units)
    return SceneText(doc, scene, units, lix, genders, present, timed=timed)


def _fallback_pronouns(
    doc: Document, scene: Scene, units: list[Unit], genders: dict[str, str]
) -> None:
    """Resolve he/she/him/her the coref stage left open, from recent participants."""
    links = doc.attrs.get("coref", {}).get("links") or []
    if not units or not links:
        return
    a0, b0 = units[0].start, max(u.end for u in units)
    open_links = [
        lk
        for lk in links
        if lk.character_id is None and a0 <= lk.start < b0 and lk.surface.lower() in _THIRD
    ]
    if not open_links:
        return
    open_links.sort(key=lambda lk: lk.start)
    recent: list[str] = []
    k = 0
    for u in units:
        # pronouns of this unit, resolved against what came before it
        while k < len(open_links) and open_links[k].start < u.end:
            lk = open_links[k]
            k += 1
            if lk.start < u.start or u.kind != "narr":
                continue
            want = "male" if lk.surface.lower() in MALE_PRONOUNS else "female"
            low = lk.surface.lower()
            here = [r for r in u.refs if r.start < lk.start]
            # "She looks up at him": an object pronoun is not the subject just before it
            exclude = {
                r.cid for r in here if r.surface.lower() in _SUBJ_PRONOUNS or r.kind == "name"
            }
            if low not in ("him", "her", "his"):
                exclude = set()
            cands = [
                c
                for c in reversed(recent + [r.cid for r in here])
                if genders.get(c, "unknown") == want and c not in exclude
            ]
            if not cands:
                continue
            i, j = _token_range(u.tokens, lk.start, lk.end)
            ref = Ref(lk.start, lk.end, i, j, cands[0], "obj", "pronoun", 0.5, lk.surface)
            u.refs.append(ref)
            u.refs.sort(key=lambda r: r.start)
        for cid in [u.speaker, u.addressee, *[r.cid for r in u.refs]]:
            if cid:
                if cid in recent:
                    recent.remove(cid)
                recent.append(cid)


_THIRD = MALE_PRONOUNS | FEMALE_PRONOUNS
_TRANSITION = re.compile(
    r"^\s*(?:FADE (?:IN|OUT|TO BLACK)|CUT TO|SMASH CUT|MATCH CUT|DISSOLVE TO|THE END|END)"
    r"\b[^a-z]*$"
)
_SUBJ_PRONOUNS = frozenset({"he", "she"})


# ------------------------------------------------------------------------- attribution


def clause_bounds(u: Unit, k: int) -> tuple[int, int]:
    """[start, end) token indices of the clause holding token ``k``."""
    c = u.clause[k] if k < len(u.clause) else (u.clause[-1] if u.clause else 0)
    a = k
    while a > 0 and u.clause[a - 1] == c:
        a -= 1
    b = k
    while b < len(u.clause) and u.clause[b] == c:
        b += 1
    return a, b


def _coordinated(u: Unit, x: Ref, y: Ref) -> bool:
    return y.i == x.j + 1 and u.words[x.j] in ("and", "&") and x.role == y.role


def _group(u: Unit, r: Ref) -> list[str]:
    """A reference with the ones coordinated to it ("A and B")."""
    refs = u.refs
    k = refs.index(r)
    a = k
    while a > 0 and _coordinated(u, refs[a - 1], refs[a]):
        a -= 1
    b = k
    while b + 1 < len(refs) and _coordinated(u, refs[b], refs[b + 1]):
        b += 1
    return list(dict.fromkeys(x.cid for x in refs[a : b + 1]))


def subject_of(u: Unit, k: int) -> tuple[list[str], str]:
    """The subject of the clause holding token ``k`` (or of the sentence), and the rule."""
    a, b = clause_bounds(u, k)
    before = [r for r in u.refs if a <= r.i < k and r.role == "subj"]
    if before:
        # the nearest: "he realises she will never see him ..." → she
        return _group(u, before[-1]), "clause-subject"
    after = [r for r in u.refs if k <= r.i < b and r.role == "subj"]
    if after:
        return _group(u, after[0]), "clause-subject"
    earlier = [r for r in u.refs if r.i < a and r.role == "subj"]
    if earlier:
        # the main clause's subject ("X discovers Y is ..., so requests ..." → X)
        return _group(u, earlier[0]), "sentence-subject"
    if u.kind == "line" and u.speaker:
        return [u.speaker], "speaker"
    return [], "none"


def owners(u: Unit, i: int, j: int, role: str = "auto") -> tuple[list[str], str]:
    """Whom the cue at tokens ``[i, j)`` describes: (character ids, rule).

    ``object``: the first reference after the cue in its clause ("X shocks Y" → Y).
    ``auto``: a possessor just before it ("his voice flat and cold", "X's heart belongs"),
    the subject of a copula or perception verb before it ("X is heartbroken", "X feels
    bad"), the reference right after a fronted cue ("frustrated, the director declares"),
    else the clause subject ("she looks at him shocked" → she).
    """
    a, b = clause_bounds(u, i)
    if role == "object":
        after = [r for r in u.refs if j <= r.i < b and r.role in ("obj", "obl", "subj")]
        if after:
            return [after[0].cid], "object"
        return subject_of(u, i)
    if role == "auto":
        # possessor within three words before the cue
        near = [r for r in u.refs if a <= r.i and r.j <= i and i - r.j <= 3]
        if (
            near
            and near[-1].role == "poss"
            and not any(w in (",", ";") for w in u.words[near[-1].j : i])
        ):
            return [near[-1].cid], "possessor"
        # copula: X is / feels / looks (adverbs, modifiers) CUE
        k = i - 1
        while k >= a and (u.words[k] in _ADVERBISH or u.words[k] in _MOD_WORDS):
            k -= 1
        if k >= a and u.words[k] in COPULAS:
            subj = [r for r in u.refs if a <= r.i and r.j <= k]
            if subj:
                return _group(u, subj[-1]) if subj[-1].role == "subj" else [subj[-1].cid], "copula"
        # fronted: CUE [,] X ...
        if i == a or (i > 0 and u.words[i - 1] in (",", "and")) or i == 0:
            k = j
            if k < len(u.words) and u.words[k] == ",":
                k += 1
            nxt = [r for r in u.refs if r.i == k or (r.i == k + 1 and u.words[k] == "the")]
            if nxt and nxt[0].role not in ("poss", "voc"):
                return _group(u, nxt[0]), "fronted"
    return subject_of(u, i)


def target_of(u: Unit, i: int, j: int, exclude: list[str] | None = None) -> str | None:
    """The person a cue is directed at: a reference inside it ("look at me that way") or
    the first one after it in its clause ("love him", "feelings for X")."""
    _a, b = clause_bounds(u, i)
    for r in u.refs:
        if (
            i < r.i < min(b, j + 6)
            and r.role in ("obj", "obl", "poss")
            and r.cid not in (exclude or [])
        ):
            return r.cid
    return None


_MOD_WORDS = frozenset(
    _words(
        "not n't never no so very really a bit little the least slightly somewhat kind sort of "
        "completely totally utterly deeply quite rather too visibly"
    )
)


@dataclass(frozen=True, slots=True)
class Modifiers:
    negated: bool = False
    factor: float = 1.0
    irrealis: bool = False
    cues: tuple[str, ...] = ()


def modifiers(u: Unit, i: int, mods: list[Hit]) -> Modifiers:
    """Negators / hedges / intensifiers up to five words before token ``i`` (same clause,
    no punctuation between) and irrealis markers anywhere before it in its clause."""
    a, _b = clause_bounds(u, i)
    negated = False
    factor = 1.0
    irrealis = False
    cues: list[str] = []
    for h in mods:
        if h.j > i or h.i < a:
            continue
        label = h.label
        if label == "IRREALIS":
            irrealis = True
            cues.append(h.pattern.text)
            continue
        if i - h.j > 4 or any(w in (",", ";", ".", "!", "?", ":") for w in u.words[h.j : i]):
            continue
        if label == "NEG":
            negated = not negated
        else:
            factor *= h.pattern.weight
        cues.append(h.pattern.text)
    return Modifiers(negated, factor, irrealis, tuple(cues))


def is_voice_over(u: Unit) -> bool:
    ext = (u.extension or "").upper().replace(".", "").replace(" ", "")
    return ext in ("VO", "OS", "OC", "VOICEOVER") or "VO" in ext.split("/")


def scan(cues: Cues, u: Unit, kind: str) -> list[Hit]:
    """The hits of one cue list in a unit (all lists are read in one pass, then cached)."""
    got = u.attrs.get("scan")
    if got is None:
        got = cues.scan(u.words)
        u.attrs["scan"] = got
    return got[kind]


_LINE_SENT = re.compile(r"[^.!?…]+(?:[.!?…]+[\"'”’)]*|$)")


def sentence_spans(st: SceneText, u: Unit) -> list[tuple[int, int]]:
    """The sentences of a unit ("Hold still. You're all sweaty." → two), as source offsets
    without the spaces around them."""
    text = st.text(u.start, u.end)
    out = []
    for m in _LINE_SENT.finditer(text):
        a, b = m.start(), m.end()
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            out.append((u.start + a, u.start + b))
    return out


def token_range(u: Unit, a: int, b: int) -> range:
    """The indices of the tokens of ``u`` that start in ``[a, b)``."""
    starts = u.attrs.get("starts")
    if starts is None:
        starts = [t.start for t in u.tokens]
        u.attrs["starts"] = starts
    return range(bisect.bisect_left(starts, a), bisect.bisect_left(starts, b))


def clip_words(text: str, limit: int = 24) -> str:
    words = text.split()
    if len(words) <= limit:
        return text.strip()
    return " ".join(words[:limit]).rstrip(",;:") + " …"
