"""Pronoun resolution in action lines and prose: he/she/him/her/his/hers/himself/herself.

No offline English coreference model exists, so this is a salience-based resolver in the
tradition of Lappin & Leass (1994), over the characters the document knows
(``doc.characters``, through :class:`~sceneanatomy.analysis.dialogue_refs.NameIndex`).

Reads: ``doc.characters`` (names, aliases, gender), the ACTION and NARRATION elements of
each scene, and the DIALOGUE elements a prose reader made for quotations (their text is
skipped: a pronoun inside a quote is dialogue, see ``dialogue_refs``). Writes nothing by
itself; :func:`annotate` adds the resolved pronouns to ``Character.mentions``.

The rules
=========

**Mentions.** Known names (longest alias match, Korean romanization variants included,
``the director`` when a character is called that) and third-person singular pronouns.
Pronouns inside quotations are skipped.

**Roles.** A pronoun's case gives its role (he/she → subject, him/her → object,
his/her + noun → possessive, himself/herself → reflexive). A name is a *subject* when it
opens its clause (after the sentence start, a comma, a semicolon or a conjunction such as
and/but/while/when/as/because/then, adverbs allowed in between), a *possessive* before
``'s``, an *oblique* after a preposition, an *object* otherwise. With a spaCy pipeline
(``nlp=``, optional) the dependency labels give the roles instead (nsubj, dobj, pobj,
poss) and the verb heads give the clauses.

**Salience.** Each mention adds to its character's salience: 100 (recency) + 80 subject /
50 object / 40 oblique / 0 possessive + 80 when it is not a possessor; salience halves
with every sentence. Salience is kept per scene.

**Filters.**
* Gender: he/him/his/himself need a male character, she/her/hers/herself a female one;
  a character of unknown gender may still be chosen, with a penalty of 100. Unknown
  genders are first filled from the document itself: in one sentence, a name followed by
  a third-person pronoun with no other person between ("Ju Gyeong blames herself").
* Binding: a reflexive (himself) takes the subject of its own clause; a direct object
  (him/her) never takes the nearest subject before it in its clause ("She looks at him":
  him is not she; an oblique may: "she thinks it's easy for her"); a subject pronoun
  never takes another subject of the same clause.

**Choice.** Score = salience + 35 when the candidate's last mention had the same role
(parallelism) + 40 for the subject of the pronoun's own clause when the pronoun is a
possessive ("he tilts his head": his = he; the nearest subject before it). The best score wins. Confidence: 0.9 with a
single candidate of the right gender, else ``0.5 + 0.45 × margin`` where margin is
``(best − second) / best``; 0.3 less when the gender is unknown. No candidate → the
pronoun stays unresolved (``character_id=None``, confidence 0).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..model import Document, Element, ElementKind, LineIndex, Mention, Span
from . import nlp as nlp_backend
from .dialogue_refs import (
    FEMALE_PRONOUNS,
    MALE_PRONOUNS,
    CharacterIndex,
    NameIndex,
    Token,
    _lower,
    content_span,
    gender_evidence,
    line_index,
    tokenize,
    tokens_inside,
)
from .lexicon import OBJECT_ADVERBS

NARRATIVE_KINDS = frozenset({ElementKind.ACTION, ElementKind.NARRATION})
PREPOSITIONS = frozenset(
    [
        "about",
        "above",
        "across",
        "after",
        "against",
        "along",
        "among",
        "around",
        "at",
        "before",
        "behind",
        "below",
        "beside",
        "besides",
        "between",
        "beyond",
        "by",
        "despite",
        "down",
        "during",
        "except",
        "for",
        "from",
        "in",
        "inside",
        "into",
        "like",
        "near",
        "of",
        "off",
        "on",
        "onto",
        "out",
        "outside",
        "over",
        "past",
        "since",
        "than",
        "through",
        "throughout",
        "to",
        "toward",
        "towards",
        "under",
        "underneath",
        "until",
        "unto",
        "up",
        "upon",
        "with",
        "within",
        "without",
    ]
)
CLAUSE_OPENERS = frozenset(
    [
        "and",
        "but",
        "or",
        "nor",
        "so",
        "yet",
        "while",
        "when",
        "whereas",
        "as",
        "because",
        "since",
        "although",
        "though",
        "if",
        "unless",
        "until",
        "before",
        "after",
        "then",
        "once",
        "whenever",
        "where",
        "who",
        "which",
        "that",
        "whom",
    ]
)
_ADVERBISH = frozenset(
    ["then", "also", "only", "even", "just", "still", "suddenly", "finally", "again", "soon", "now"]
)
_DETERMINERS = frozenset(
    ["a", "an", "the", "this", "that", "these", "those", "some", "any", "every", "no"]
)
_NOT_NOUN_AFTER_HER = PREPOSITIONS | CLAUSE_OPENERS | _DETERMINERS | OBJECT_ADVERBS | {"to", "not"}
_SENT_END = re.compile(r"(?<=[.!?…])[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9\uac00-\ud7a3])")

W_RECENCY, W_SUBJ, W_OBJ, W_OBL, W_POSS, W_HEAD = 100.0, 80.0, 50.0, 40.0, 0.0, 80.0
W_PARALLEL, W_OWN_SUBJECT, P_UNKNOWN_GENDER = 35.0, 40.0, 100.0


@dataclass(slots=True)
class PronounLink:
    """A resolved (or unresolved) third-person pronoun in narrative text."""

    element: Element
    start: int
    end: int
    surface: str
    character_id: str | None
    confidence: float
    rule: str  # "salience" | "reflexive" | "single-candidate" | "unresolved"
    antecedent: Span | None = None  # the last name mention of the chosen character


@dataclass(slots=True)
class _Mention:
    start: int
    end: int
    surface: str
    ids: tuple[str, ...]  # a name: its candidates; a pronoun: ()
    pronoun: str | None  # folded pronoun, or None for a name
    role: str  # subj | obj | obl | poss | refl
    clause: int
    sentence: int


@dataclass(slots=True)
class _State:
    salience: dict[str, float] = field(default_factory=dict)
    last_role: dict[str, str] = field(default_factory=dict)
    last_span: dict[str, tuple[int, int]] = field(default_factory=dict)

    def decay(self) -> None:
        for k in self.salience:
            self.salience[k] /= 2.0

    def add(self, cid: str, role: str, span: tuple[int, int], name: bool = False) -> None:
        w = W_RECENCY + {"subj": W_SUBJ, "obj": W_OBJ, "obl": W_OBL, "refl": W_OBJ}.get(
            role, W_POSS
        )
        if role != "poss":
            w += W_HEAD
        self.salience[cid] = self.salience.get(cid, 0.0) + w
        self.last_role[cid] = role
        if name or cid not in self.last_span:
            self.last_span[cid] = span


def resolve_pronouns(
    doc: Document, index: CharacterIndex | None = None, nlp: Any | None = None
) -> list[PronounLink]:
    """Resolve every third-person singular pronoun of the narrative elements of ``doc``."""
    index = index if index is not None else NameIndex.from_document(doc)
    genders = _genders(doc, index)
    lix = line_index(doc.source_text)
    links: list[PronounLink] = []
    scanned: dict[tuple[int, int], _Scan] = {}
    parsed = _parse_all(doc, index, nlp, scanned) if nlp is not None else None
    for scene in doc.scenes:
        state = _State()
        quotes = [
            (e.span.start_char, e.span.end_char)
            for e in scene.elements
            if e.kind == ElementKind.DIALOGUE and e.speaker is None
        ]
        for el in scene.elements:
            if el.kind not in NARRATIVE_KINDS:
                continue
            outer = content_span(doc, el)
            for sentence in _sentences(doc, el):
                state.decay()
                mentions = _mentions(
                    doc, sentence, index, quotes, nlp, parsed, scanned.get(sentence), outer
                )
                for m in mentions:
                    if m.pronoun is None:
                        cid = _choose_name(m.ids, state)
                        if cid is not None:
                            state.add(cid, m.role, (m.start, m.end), name=True)
                        continue
                    link = _resolve(m, mentions, state, index, genders, el, lix, doc)
                    links.append(link)
                    if link.character_id is not None:
                        state.add(link.character_id, m.role, (m.start, m.end))
                        m.ids = (link.character_id,)
    return links


def annotate(
    doc: Document, index: CharacterIndex | None = None, nlp: Any | None = None
) -> list[PronounLink]:
    """The stage: resolve pronouns and add them to ``Character.mentions``."""
    links = resolve_pronouns(doc, index, nlp)
    lix = line_index(doc.source_text)
    by_id = {c.id: c for c in doc.characters}
    scene_of = {id(e): s.index for s in doc.scenes for e in s.elements}
    for link in links:
        c = by_id.get(link.character_id or "")
        if c is not None:
            c.mentions.append(
                Mention(
                    span=lix.span(link.start, link.end),
                    surface=link.surface,
                    kind="pronoun",
                    character_id=c.id,
                    confidence=link.confidence,
                    scene_index=scene_of.get(id(link.element)),
                )
            )
    return links


# ------------------------------------------------------------------------------ internals


def _genders(doc: Document, index: CharacterIndex) -> dict[str, str]:
    """Known genders, with unknown ones filled from name-then-pronoun evidence."""
    ids = {c.id for c in doc.characters}
    if isinstance(index, NameIndex):
        ids |= set(index.ids)
    out = {cid: index.gender(cid) for cid in ids}
    for cid, c in gender_evidence(doc, index).items():
        if out.get(cid, "unknown") == "unknown" and c["male"] != c["female"]:
            out[cid] = "male" if c["male"] > c["female"] else "female"
    return out


def _sentences(doc: Document, el: Element) -> list[tuple[int, int]]:
    """[start, end) source offsets of the sentences of an element."""
    a, b = el.span.start_char, el.span.end_char
    text = doc.source_text[a:b]
    out, pos = [], 0
    for m in _SENT_END.finditer(text):
        out.append((a + pos, a + m.start()))
        pos = m.end()
    out.append((a + pos, b))
    return [(s, e) for s, e in out if doc.source_text[s:e].strip()]


# A sentence's tokens (quotations left out) and what it mentions: (start, end, surface,
# candidate ids, folded pronoun or None), sorted.
_Found = list[tuple[int, int, str, tuple[str, ...], str | None]]
_Scan = tuple[list[Token], _Found]


def _mentions(
    doc: Document,
    sentence: tuple[int, int],
    index: CharacterIndex,
    quotes: list[tuple[int, int]],
    nlp: Any | None,
    parsed: dict[tuple[int, int], dict[int, tuple[str, int]] | None] | None = None,
    scanned: _Scan | None = None,
    outer: tuple[int, int] | None = None,
) -> list[_Mention]:
    s0, s1 = sentence
    tokens, found = scanned if scanned is not None else _scan(doc, sentence, index, quotes, outer)
    roles = None
    if parsed is not None and sentence in parsed:
        roles = parsed[sentence]
    elif nlp is not None and found:
        roles = _spacy_roles(doc.source_text[s0:s1], s0, nlp)
    out: list[_Mention] = []
    for start, end, surface, ids, pronoun in found:
        if roles is not None and start in roles:
            role, clause = roles[start]
        else:
            role, clause = rule_role(tokens, start, end, pronoun)
        out.append(_Mention(start, end, surface, ids, pronoun, role, clause, s0))
    return out


def _scan(
    doc: Document,
    sentence: tuple[int, int],
    index: CharacterIndex,
    quotes: list[tuple[int, int]],
    outer: tuple[int, int] | None = None,
) -> _Scan:
    """The tokens of a sentence and its name, role-noun and pronoun mentions (no roles).

    ``outer``: the ``[start, end)`` of the element's text around the sentence, whose
    tokens and name scan (gender_evidence made it) the sentence's are taken from."""
    s0, s1 = sentence
    text = doc.source_text[s0:s1]

    def quoted(pos: int) -> bool:
        return any(a <= pos < b for a, b in quotes)

    if outer is not None and isinstance(index, NameIndex):
        o0, o1 = outer
        otext = doc.source_text[o0:o1]
        all_tokens = tokens_inside(text, s0, otext, o0)
        hits = index.find_names_inside(text, s0, otext, o0)
    else:
        all_tokens = tokenize(text, s0)
        hits = index.find_names(text, s0)
    tokens = [t for t in all_tokens if not quoted(t.start)] if quotes else all_tokens
    found: _Found = []
    for h in hits:
        if not quotes or not quoted(h.start):
            found.append((h.start, h.end, h.surface, h.ids, None))
    found.extend(role_nouns(tokens, index, found))
    for t in tokens:
        low = _lower(t[2])  # Token.lower without the property's call
        if (low in MALE_PRONOUNS or low in FEMALE_PRONOUNS) and not any(
            a <= t.start < b for a, b, *_ in found
        ):
            found.append((t.start, t.end, t.text, (), low))
    found.sort()
    return tokens, found


def role_nouns(
    tokens: list[Token], index: CharacterIndex, found: list[tuple[int, int, str, Any, Any]]
) -> list[tuple[int, int, str, tuple[str, ...], str | None]]:
    """``the director`` when a character is called "Director" / "the director"."""
    out: list[tuple[int, int, str, tuple[str, ...], str | None]] = []
    if not isinstance(index, NameIndex):
        return out  # no candidates
    # _is_role_name holds only for a word that is some character's bare name: other
    # words are skipped before their candidates are looked up
    role_words = index.role_words()
    if not role_words:
        return out
    # the tokens after a "the" (Token.lower without the property's call)
    for i in [k + 1 for k, p in enumerate(tokens[:-1]) if _lower(p[2]) == "the"]:
        t = tokens[i]
        if not t.is_word or t.text[:1].isupper() or t.lower not in role_words:
            continue
        if any(a <= t.start < b for a, b, *_ in found):
            continue
        cands = index.candidates(t.text) if isinstance(index, NameIndex) else []
        exact = [c for c in cands if _is_role_name(index, c, t.lower)]
        if exact:
            out.append((t.start, t.end, t.text, tuple(exact), None))
    return out


def _is_role_name(index: CharacterIndex, cid: str, word: str) -> bool:
    name = index.name(cid) if isinstance(index, NameIndex) else None
    if not name:
        return False
    bare = re.sub(r"^the\s+", "", name.strip().lower())
    return bare == word


def _clause_index(tokens: list[Token], upto: int) -> int:
    clause = 0
    for k, t in enumerate(tokens):
        if t.start >= upto:
            break
        low = t.lower
        if t.text in {";", ":", "—", "–"} or low in CLAUSE_OPENERS and k > 0:
            clause += 1
    return clause


def rule_role(tokens: list[Token], start: int, end: int, pronoun: str | None) -> tuple[str, int]:
    i = next((k for k, t in enumerate(tokens) if t.start >= start), len(tokens))
    j = next((k for k, t in enumerate(tokens) if t.start >= end), len(tokens))
    clause = _clause_index(tokens, start)
    nxt = tokens[j] if j < len(tokens) else None
    if pronoun is not None:
        if pronoun in ("he", "she"):
            return "subj", clause
        if pronoun in ("himself", "herself"):
            return "refl", clause
        if pronoun in ("his", "hers"):
            return ("poss" if pronoun == "his" else "obj"), clause
        if pronoun == "her":
            if nxt is not None and nxt.is_word and nxt.lower not in _NOT_NOUN_AFTER_HER:
                return "poss", clause
            prev = tokens[i - 1].lower if i > 0 else ""
            return ("obl" if prev in PREPOSITIONS else "obj"), clause
        return "obj", clause
    if (
        nxt is not None
        and nxt.lower in ("'s", "’s")
        or re.search(r"['’]s$", tokens[j - 1].text if j else "")
    ):
        return "poss", clause
    k = i - 1
    while k >= 0 and (tokens[k].lower in _ADVERBISH or tokens[k].lower.endswith("ly")):
        k -= 1
    prev = tokens[k] if k >= 0 else None
    if (
        prev is None
        or prev.text in {",", ";", ":", "—", "–", "(", '"', "“"}
        or prev.lower in CLAUSE_OPENERS
    ):
        return "subj", clause
    if prev.lower in PREPOSITIONS:
        return "obl", clause
    return "obj", clause


def _parse_all(
    doc: Document, index: CharacterIndex, nlp: Any, scanned: dict[tuple[int, int], _Scan]
) -> dict[tuple[int, int], dict[int, tuple[str, int]] | None]:
    """The spaCy roles of every narrative sentence that mentions someone, parsed in
    batches (:func:`~sceneanatomy.analysis.nlp.parse`: each distinct text once a run); a
    sentence without mentions needs no parse. ``scanned`` receives every sentence's
    tokens and mentions, for the resolver to reuse."""
    todo: list[tuple[int, int]] = []
    for scene in doc.scenes:
        quotes = [
            (e.span.start_char, e.span.end_char)
            for e in scene.elements
            if e.kind == ElementKind.DIALOGUE and e.speaker is None
        ]
        for el in scene.elements:
            if el.kind not in NARRATIVE_KINDS:
                continue
            for s in _sentences(doc, el):
                scanned[s] = got = _scan(doc, s, index, quotes)
                if got[1]:
                    todo.append(s)
    texts = [doc.source_text[a:b] for a, b in todo]
    try:
        docs = nlp_backend.parse(texts, nlp)
    except Exception:  # noqa: BLE001 - an optional helper must never break the stage
        return {s: _spacy_roles(t, s[0], nlp) for s, t in zip(todo, texts, strict=True)}
    return {s: _roles_of(d, s[0]) for s, d in zip(todo, docs, strict=True)}


def _spacy_roles(text: str, offset: int, nlp: Any) -> dict[int, tuple[str, int]] | None:
    """Roles from a spaCy parse: {start offset: (role, clause id)}; None when it fails."""
    try:
        parsed = nlp(text)
    except Exception:  # an optional helper must never break the stage
        return None
    return _roles_of(parsed, offset)


def _roles_of(parsed: Any, offset: int) -> dict[int, tuple[str, int]]:
    out: dict[int, tuple[str, int]] = {}
    for tok in parsed:
        dep = tok.dep_
        if dep in ("nsubj", "nsubjpass"):
            role = "subj"
        elif dep == "poss":
            role = "poss"
        elif dep in ("dobj", "dative", "attr"):
            role = "obj"
        elif dep == "pobj":
            role = "obl"
        else:
            continue
        if tok.lower_ in ("himself", "herself"):
            role = "refl"
        verb = tok.head
        while verb.dep_ in ("prep", "pobj", "dobj", "poss", "compound") and verb.head is not verb:
            verb = verb.head
        out[offset + tok.idx] = (role, verb.i)
    return out


def _choose_name(ids: tuple[str, ...], state: _State) -> str | None:
    if not ids:
        return None
    return max(ids, key=lambda c: (state.salience.get(c, 0.0), -ids.index(c)))


def _resolve(
    m: _Mention,
    mentions: list[_Mention],
    state: _State,
    index: CharacterIndex,
    genders: dict[str, str],
    el: Element,
    lix: LineIndex,
    doc: Document,
) -> PronounLink:
    want = "male" if m.pronoun in MALE_PRONOUNS else "female"
    before = [x for x in mentions if x.start < m.start]
    same_clause = [x for x in before if x.clause == m.clause]
    local = [x for x in same_clause if x.role == "subj" and len(x.ids) == 1]
    # the local subject: the nearest subject before the pronoun in its clause
    clause_subjects = {local[-1].ids[0]} if local else set()
    # candidates: every character with salience, plus names earlier in this sentence
    pool = dict(state.salience)
    for x in before:
        for cid in x.ids[:1]:
            pool.setdefault(cid, 0.0)
    if m.role == "refl":
        subj = [c for c in clause_subjects if genders.get(c, index.gender(c)) in (want, "unknown")]
        if subj:
            cid = subj[0]
            return _link(el, m, cid, 0.9, "reflexive", state, lix)
    scored: list[tuple[float, str, bool]] = []
    for cid, sal in pool.items():
        g = genders.get(cid, index.gender(cid))
        if g not in (want, "unknown"):
            continue
        if m.role == "obj" and cid in clause_subjects:
            continue  # "She looks at him": him is not she
        if m.role == "subj" and any(x.role == "subj" and x.ids[:1] == (cid,) for x in same_clause):
            continue
        score = sal
        if state.last_role.get(cid) == m.role:
            score += W_PARALLEL
        if m.role == "poss" and cid in clause_subjects:
            score += W_OWN_SUBJECT
        known = g == want
        if not known:
            score -= P_UNKNOWN_GENDER
        scored.append((score, cid, known))
    if not scored:
        return PronounLink(el, m.start, m.end, m.surface, None, 0.0, "unresolved")
    scored.sort(key=lambda x: (-x[0], x[1]))
    best, cid, known = scored[0]
    if len(scored) == 1:
        conf = 0.9 if known else 0.5
        return _link(el, m, cid, conf, "single-candidate", state, lix)
    second = scored[1][0]
    margin = max(0.0, (best - second) / best) if best > 0 else 0.0
    conf = 0.5 + 0.45 * min(1.0, margin)
    if not known:
        conf -= 0.3
    return _link(el, m, cid, round(max(0.05, conf), 3), "salience", state, lix)


def _link(
    el: Element, m: _Mention, cid: str, conf: float, rule: str, state: _State, lix: LineIndex
) -> PronounLink:
    last = state.last_span.get(cid)
    ante = lix.span(*last) if last else None
    return PronounLink(el, m.start, m.end, m.surface, cid, conf, rule, ante)
