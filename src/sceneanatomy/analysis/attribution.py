"""Who says each spoken line the source does not label: ``Element.speaker_id`` + confidence.

Reads ``doc.characters`` and the ``speaker_id`` the characters stage wrote for labelled
lines (cues, subtitle speaker prefixes); for prose, the NARRATION sentences and the
DIALOGUE elements the prose reader made for quotations (``attrs["sentence_ref"]``), and
the pronoun links of :mod:`sceneanatomy.analysis.coref`. Writes ``speaker_id`` and the
speaker half of ``Element.attribution`` on every spoken line (and, for prose, the
addressee when the sentence names it: "he tells her").

Every spoken line leaves with a rule and a confidence; a line nothing decides gets
``speaker_rule="unknown"``, ``speaker_confidence=0.0`` and no speaker — never a silent
guess.

Labelled lines
--------------
``cue`` (no confidence: the source states it) — the characters stage's decision, kept.

Prose quotations (the sentence that holds the quote)
----------------------------------------------------
======================= ===== ==================================================================
rule                     conf  pattern
======================= ===== ==================================================================
``said-verb``            0.90  the subject of a speech verb before the quote: ``He says 'I'm a
                               Man too'``, ``He tells her, "…"``, ``he snaps at her: "…"``,
                               ``He pulls her close and says coldly, '…'``
``said-verb-after``      0.90  a name or pronoun with a speech verb right after the quote:
                               ``"…," Ju Gyeong replies``, ``"…," replies Ju Gyeong``,
                               ``"…," she says``; also at the start of the next sentence of
                               the paragraph when the quote ends its own on "?" or "!"
                               (``"Do you know her?" Quinn asks.``)
``colon-label``          0.80  ``Ju Gyeong: "…"``
``preceding-subject``    0.60  no speech verb: for a quote that is a sentence on its own, the
                               subject of the sentence before in the same paragraph
                               (``Ju Gyeong sighs. "Fine."``); for a quote introduced by a colon
                               or comma, the subject before it (``Ju Gyeong sighs: "Fine."``);
                               never someone the quote calls by name (``She hesitates.
                               "Min-ah-ya, get on."`` is not Min-ah's: unknown).
                               A quote inside other prose ("the sign reads "Closed"") is not
                               attributed.
======================= ===== ==================================================================

A pronoun subject is resolved by the coreference stage and the confidence multiplied by
the pronoun's; the evidence holds the speech verb, the subject and (for a pronoun) its
antecedent. The object of the speech verb ("tells **her**", "asks **Ju Gyeong**", "snaps at
**him**") becomes the addressee (``said-to``, 0.85 × its confidence), before the quote
and after it (``"…," he tells her``, ``"…," Tom asks Clara``), and for a quote given to
the subject of the sentence before (``Dong-hyun asks Min-ah for advice. "Noona, …?"``).

Unlabelled subtitle and screenplay lines
----------------------------------------
======================= ===== ==================================================================
``self-reference``       0.85  the line names its speaker: "I'm Min-jae", "My name is …",
                               "It's me, …" / "It's me. …", "This is … speaking", "저는
                               민재예요", "나 민재야"; a full name the cast knows only by its
                               first word ("I'm Nari Baek") is that character
``vocative-exclusion``   0.70  the line calls X by name and the scene's talk is between X and
                               one other known speaker, nobody else being called by name in the
                               scene so far: that other one (one never calls oneself)
``vocative-answer``      0.70  the line before (nothing spoken between) calls exactly one person X
                               by name and this line calls that line's known speaker back:
                               X answers ("WES: Dara, I'm sorry." / "Fine. Sit down, Wes." is
                               Dara's). 0.60 when the line before has no known speaker and this
                               line calls someone else, Y, while the talk so far in the scene
                               (speakers and people called) is only X and Y.
``called-back``          0.70  the mirror image: this line calls exactly one X and the next line
                               (nothing spoken between) is X's (labelled) and calls Y by name:
                               this line is Y's ("Ji-ho-ya! Wait!" / "Why are you following me,
                               Da-eun-ah?"). 0.60 when the next line is unlabelled too and the
                               talk so far is only X and Y. Never a person this line calls.
``turn-taking``          0.60  a two-person exchange (the scene's only two speakers are A and
                               B, or its last four labelled lines, at least three, alternate
                               between them) and the line follows A: B. Never a speaker the
                               line itself calls by name. A guess after a guess multiplies.
``unknown``              0.00  anything else
======================= ===== ==================================================================
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..model import Attribution, Document, Element, ElementKind, LineIndex, Scene, Span
from .coref import PronounLink, resolve_pronouns, role_nouns, rule_role
from .dialogue_refs import (
    FEMALE_PRONOUNS,
    MALE_PRONOUNS,
    SPOKEN_KINDS,
    CharacterIndex,
    NameIndex,
    Token,
    content_span,
    find_vocatives,
    line_index,
    tokenize,
)

SPEECH_VERBS = frozenset(
    [
        "say",
        "says",
        "said",
        "saying",
        "tell",
        "tells",
        "told",
        "telling",
        "ask",
        "asks",
        "asked",
        "asking",
        "reply",
        "replies",
        "replied",
        "replying",
        "answer",
        "answers",
        "answered",
        "shout",
        "shouts",
        "shouted",
        "yell",
        "yells",
        "yelled",
        "whisper",
        "whispers",
        "whispered",
        "snap",
        "snaps",
        "snapped",
        "declare",
        "declares",
        "declared",
        "add",
        "adds",
        "added",
        "mutter",
        "mutters",
        "muttered",
        "murmur",
        "murmurs",
        "murmured",
        "cry",
        "cries",
        "cried",
        "scream",
        "screams",
        "screamed",
        "exclaim",
        "exclaims",
        "exclaimed",
        "respond",
        "responds",
        "responded",
        "retort",
        "retorts",
        "retorted",
        "admit",
        "admits",
        "admitted",
        "confess",
        "confesses",
        "confessed",
        "insist",
        "insists",
        "insisted",
        "explain",
        "explains",
        "explained",
        "beg",
        "begs",
        "begged",
        "plead",
        "pleads",
        "pleaded",
        "blurt",
        "blurts",
        "blurted",
        "sigh",
        "sighs",
        "sighed",
        "laugh",
        "laughs",
        "laughed",
        "joke",
        "jokes",
        "joked",
        "tease",
        "teases",
        "teased",
        "warn",
        "warns",
        "warned",
        "promise",
        "promises",
        "promised",
        "remark",
        "remarks",
        "remarked",
        "note",
        "notes",
        "noted",
        "sob",
        "sobs",
        "sobbed",
        "call",
        "calls",
        "called",
        "continue",
        "continues",
        "continued",
        "repeat",
        "repeats",
        "repeated",
        "agree",
        "agrees",
        "agreed",
        "announce",
        "announces",
        "announced",
        "greet",
        "greets",
        "greeted",
        "confirm",
        "confirms",
        "confirmed",
        "protest",
        "protests",
        "protested",
        "gasp",
        "gasps",
        "gasped",
        "hiss",
        "hisses",
        "hissed",
        "growl",
        "growls",
        "growled",
        "groan",
        "groans",
        "groaned",
        "stammer",
        "stammers",
        "stammered",
        "asks",
    ]
)
CONFIDENCE = {
    "said-verb": 0.9,
    "said-verb-after": 0.9,
    "colon-label": 0.8,
    "preceding-subject": 0.6,
    "self-reference": 0.85,
    "vocative-exclusion": 0.7,
    "vocative-answer": 0.7,
    "called-back": 0.7,
    "turn-taking": 0.6,
    "unknown": 0.0,
}
SAID_TO_CONFIDENCE = 0.85
_SELF = [
    re.compile(
        r"\b(?:I['’]m|I am|[Ii]t['’]s me[,.]?|[Tt]his is|[Mm]y name is|[Cc]all me)\s+"
        r"(?P<name>[A-Z\uac00-\ud7a3][\w\-‐'’]*(?:\s+[A-Z][\w\-‐'’]*){0,2})"
    ),
    re.compile(
        r"(?:저는|전|나는?|난)\s*(?P<name>[\uac00-\ud7a3]{2,4}?)(?:입니다|이에요|예요|이야|야|이라고|라고)"
    ),
]
_SKIP_AFTER_VERB = frozenset(
    [
        "coldly",
        "softly",
        "quietly",
        "gently",
        "loudly",
        "angrily",
        "finally",
        "then",
        "again",
        "back",
    ]
)


@dataclass(slots=True)
class _Who:
    cid: str | None
    conf: float
    evidence: list[Span]
    start: int = -1
    end: int = -1
    role: str = "subj"


def attribute_speakers(
    doc: Document,
    index: CharacterIndex | None = None,
    links: list[PronounLink] | None = None,
    nlp: Any | None = None,
) -> Document:
    """The stage: give every spoken line a speaker (or an explicit "unknown")."""
    index = index if index is not None else NameIndex.from_document(doc)
    if links is None:
        links = resolve_pronouns(doc, index, nlp)
    by_pos = {(lk.start, lk.end): lk for lk in links}
    lix = line_index(doc.source_text)
    for scene in doc.scenes:
        memo: dict[int, frozenset[str]] = {}
        for i, el in enumerate(scene.elements):
            if el.kind not in SPOKEN_KINDS:
                continue
            if el.speaker_id is not None:
                att = el.attribution or Attribution()
                if att.speaker_rule is None:
                    att.speaker_rule = "cue"
                el.attribution = att
                continue
            if el.kind == ElementKind.DIALOGUE and "sentence_ref" in el.attrs:
                _prose_quote(doc, scene, i, el, index, by_pos, lix)
            elif el.speaker is None:
                _unlabelled_line(doc, scene, i, el, index, lix, memo)
            else:
                _set_speaker(el, None, "unknown", 0.0, [])
    return doc


def _set_speaker(
    el: Element, cid: str | None, rule: str, conf: float, evidence: list[Span]
) -> None:
    att = el.attribution or Attribution()
    el.speaker_id = cid
    att.speaker_rule = rule if cid is not None else "unknown"
    att.speaker_confidence = round(conf, 3) if cid is not None else 0.0
    att.evidence.extend(e for e in evidence if e not in att.evidence)
    el.attribution = att


# ------------------------------------------------------------------------------ prose


def _prose_quote(
    doc: Document,
    scene: Scene,
    i: int,
    el: Element,
    index: CharacterIndex,
    links: dict[tuple[int, int], PronounLink],
    lix: LineIndex,
) -> None:
    ref = el.attrs.get("sentence_ref")
    sentence = (
        scene.elements[ref] if isinstance(ref, int) and 0 <= ref < len(scene.elements) else None
    )
    if sentence is None or sentence.kind != ElementKind.NARRATION:
        _set_speaker(el, None, "unknown", 0.0, [])
        return
    s0, s1 = sentence.span.start_char, sentence.span.end_char
    q0, q1 = el.span.start_char, el.span.end_char
    text = doc.source_text
    other_quotes = [
        (e.span.start_char, e.span.end_char)
        for e in scene.elements
        if e is not el and e.kind == ElementKind.DIALOGUE and s0 <= e.span.start_char < s1
    ]
    before = [
        t for t in tokenize(text[s0:q0], s0) if not any(a <= t.start < b for a, b in other_quotes)
    ]
    after = tokenize(text[q1:s1], q1)
    people = _people(doc, sentence, index, links)

    # 1. speech verb before the quote: its subject speaks, its object is addressed
    verb_i = _last_speech_verb(before)
    if verb_i is not None:
        verb = before[verb_i]
        subj = _subject_before(people, verb.start)
        if subj is not None and subj.cid is not None:
            ev = [lix.span(verb.start, verb.end), *subj.evidence]
            _set_speaker(el, subj.cid, "said-verb", CONFIDENCE["said-verb"] * subj.conf, ev)
            obj = _object_after(people, before, verb_i, q0)
            if obj is not None and obj.cid and obj.cid != subj.cid:
                _set_addressee(el, obj, lix)
            return
    # 2. speech verb after the quote: '"…," Ju Gyeong replies' / '"…," replies Ju Gyeong'
    words = [t for t in after if t.is_word][:4]
    if not words and text[s0:q1].rstrip("\"'”’ \t").endswith(("?", "!")):
        # '"Do you know her?" Quinn asks.': the reader ended the sentence at the quote's
        # "?" / "!"; the next sentence of the paragraph may be the speech verb's
        nxt = _next_sentence(scene, sentence)
        if nxt is not None:
            n0, s1 = nxt.span.start_char, nxt.span.end_char
            after = tokenize(text[n0:s1], n0)
            words = [t for t in after if t.is_word][:4]
            people = _people(doc, nxt, index, links)
            q1 = n0
    if words:
        verb_at = next((k for k, t in enumerate(words[:3]) if t.lower in SPEECH_VERBS), None)
        if verb_at is not None:
            limit = words[min(verb_at + 1, len(words) - 1)].end
            near = [p for p in people if q1 <= p.start <= limit]
            who = near[0] if near else None
            if who is not None and who.cid is not None:
                verb = words[verb_at]
                ev = [lix.span(verb.start, verb.end), *who.evidence]
                conf = CONFIDENCE["said-verb-after"] * who.conf
                _set_speaker(el, who.cid, "said-verb-after", conf, ev)
                # '"…," he tells her': the object of the verb is addressed, as before a quote
                obj = _object_after(people, words, verb_at, s1)
                if obj is not None and obj.cid and obj.cid != who.cid:
                    _set_addressee(el, obj, lix)
                return
    # 3. "Ju Gyeong: '…'"
    m = re.search(r"([^\s:][^:]{0,40}):\s*$", text[s0:q0])
    if m:
        cid = index.lookup(m.group(1).strip())
        if cid:
            a = s0 + m.start(1)
            _set_speaker(
                el, cid, "colon-label", CONFIDENCE["colon-label"], [lix.span(a, s0 + m.end(1))]
            )
            return
    # 4. no speech verb: the subject of the quote's own sentence when it introduces the
    #    quote with a colon or comma ("Ju Gyeong sighs: 'Fine.'"), or, for a quote that is
    #    a sentence on its own, the subject of the sentence before in the same paragraph
    subj = None
    obj = None
    lead_in = text[s0:q0].rstrip()
    if lead_in.endswith((":", ",")):
        subj = _subject_before(people, q0)
    elif not re.search(r"\w", text[s0:q0] + text[q1:s1]):
        prev = _previous_sentence(scene, sentence)
        if prev is not None:
            p0, p1 = prev.span.start_char, prev.span.end_char
            pp = _people(doc, prev, index, links)
            subj = _subject_before(pp, p1)
            # "Dong-hyun asks Min-ah for advice. '…'": the speech verb's object is addressed
            toks = [t for t in tokenize(text[p0:p1], p0) if t.is_word]
            vi = _last_speech_verb(toks)
            if subj is not None and vi is not None and subj.end <= toks[vi].start:
                obj = _object_after(pp, toks, vi, p1)
    if subj is not None and subj.cid is not None and subj.cid not in _called(doc, el, index):
        conf = CONFIDENCE["preceding-subject"] * subj.conf
        _set_speaker(el, subj.cid, "preceding-subject", conf, subj.evidence)
        if obj is not None and obj.cid and obj.cid != subj.cid:
            _set_addressee(el, obj, lix)
        return
    _set_speaker(el, None, "unknown", 0.0, [])


def _called(doc: Document, el: Element, index: CharacterIndex) -> set[str]:
    """The characters a quote calls by name ("Min-ah-ya, it's raining"): not its speaker."""
    off, end = content_span(doc, el)
    return {
        v.character_id
        for v in find_vocatives(doc.source_text[off:end], index, off)
        if v.character_id
    }


def _set_addressee(el: Element, who: _Who, lix: LineIndex) -> None:
    att = el.attribution or Attribution()
    el.addressee_id = who.cid
    att.addressee_rule = "said-to"
    att.addressee_confidence = round(SAID_TO_CONFIDENCE * who.conf, 3)
    att.evidence.extend(e for e in who.evidence if e not in att.evidence)
    el.attribution = att


def _people(
    doc: Document,
    sentence: Element,
    index: CharacterIndex,
    links: dict[tuple[int, int], PronounLink],
) -> list[_Who]:
    """Names, role nouns and resolved pronouns of a sentence, with their roles."""
    lix = line_index(doc.source_text)
    s0 = sentence.span.start_char
    text = doc.source_text[s0 : sentence.span.end_char]
    tokens = tokenize(text, s0)
    found: list[tuple[int, int, tuple[str, ...], str | None]] = [
        (h.start, h.end, h.ids, None) for h in index.find_names(text, s0)
    ]
    found += [(a, b, ids, None) for a, b, _s, ids, _p in role_nouns(tokens, index, found)]
    for t in tokens:
        if t.lower in MALE_PRONOUNS or t.lower in FEMALE_PRONOUNS:
            found.append((t.start, t.end, (), t.lower))
    out: list[_Who] = []
    for a, b, ids, pronoun in sorted(found):
        role, _clause = rule_role(tokens, a, b, pronoun)
        ev = [lix.span(a, b)]
        if pronoun is None:
            out.append(_Who(ids[0], 1.0 if len(ids) == 1 else 0.7, ev, a, b, role))
            continue
        lk = links.get((a, b))
        if lk is not None and lk.antecedent is not None:
            ev.append(lk.antecedent)
        cid = lk.character_id if lk else None
        out.append(_Who(cid, lk.confidence if lk else 0.0, ev, a, b, role))
    return out


def _last_speech_verb(tokens: list[Token]) -> int | None:
    for k in range(len(tokens) - 1, -1, -1):
        if tokens[k].lower in SPEECH_VERBS:
            return k
    return None


def _subject_before(people: list[_Who], pos: int) -> _Who | None:
    """The last person before ``pos`` in subject position, or None."""
    before = [p for p in people if p.end <= pos]
    for p in reversed(before):
        if p.role == "subj":
            return p
    return None


def _object_after(people: list[_Who], tokens: list[Token], verb_i: int, limit: int) -> _Who | None:
    """The person right after the speech verb ("tells her", "snaps at him", "asks Ju Gyeong")."""
    verb = tokens[verb_i]
    k = verb_i + 1
    while k < len(tokens) and tokens[k].lower in _SKIP_AFTER_VERB | {"at", "to"}:
        k += 1
    if k >= len(tokens):
        return None
    nxt = tokens[k]
    for p in people:
        if p.start == nxt.start and p.start < limit and p.start > verb.start:
            return p
    return None


def _next_sentence(scene: Scene, sentence: Element) -> Element | None:
    """The narration sentence right after ``sentence`` in its paragraph, if any."""
    idx = next((k for k, e in enumerate(scene.elements) if e is sentence), None)
    if idx is None:
        return None
    para = sentence.attrs.get("paragraph")
    for e in scene.elements[idx + 1 :]:
        if e.kind == ElementKind.NARRATION:
            return e if e.attrs.get("paragraph") == para else None
    return None


def _previous_sentence(scene: Scene, sentence: Element) -> Element | None:
    idx = next((k for k, e in enumerate(scene.elements) if e is sentence), None)
    if idx is None:
        return None
    para = sentence.attrs.get("paragraph")
    for k in range(idx - 1, -1, -1):
        e = scene.elements[k]
        if e.kind == ElementKind.NARRATION:
            return e if e.attrs.get("paragraph") == para else None
    return None


# --------------------------------------------------------------- unlabelled spoken lines


def _unlabelled_line(
    doc: Document,
    scene: Scene,
    i: int,
    el: Element,
    index: CharacterIndex,
    lix: LineIndex,
    memo: dict[int, frozenset[str]] | None = None,
) -> None:
    off, end = content_span(doc, el)
    text = doc.source_text[off:end]
    # self-reference
    for pat in _SELF:
        m = pat.search(text)
        if m:
            name = m.group("name")
            cid = index.lookup(name)
            if not cid and " " in name:
                # "I'm Nari Baek": a full name the cast knows by its first word only
                name = name.split()[0]
                cid = index.lookup(name)
            if cid:
                a = off + m.start("name")
                span = lix.span(a, a + len(name))
                _set_speaker(el, cid, "self-reference", CONFIDENCE["self-reference"], [span])
                return
    called = {v.character_id for v in find_vocatives(text, index, off) if v.character_id}
    earlier = [e.speaker_id for e in scene.elements[:i] if e.kind in SPOKEN_KINDS and e.speaker_id]
    known = list(dict.fromkeys(e.speaker_id for e in scene.elements if e.speaker_id))
    # a call answered: the line before calls X and this one calls that line's speaker
    memo = {} if memo is None else memo
    hit = _vocative_answer(doc, scene, i, frozenset(called), index, memo)
    if hit is not None:
        cid, rule, conf, evidence = hit
        _set_speaker(el, cid, rule, conf, evidence)
        return
    # vocative exclusion: the talk is between X (called here) and one other person (no
    # third person called in the scene so far)
    if (
        called
        and len(known) == 2
        and len(called & set(known)) == 1
        and _talk_so_far(doc, scene, i, index, memo) <= set(known)
    ):
        (other,) = set(known) - called
        _set_speaker(el, other, "vocative-exclusion", CONFIDENCE["vocative-exclusion"], [])
        return
    # turn-taking in a two-person exchange
    prev_el = next((e for e in reversed(scene.elements[:i]) if e.kind in SPOKEN_KINDS), None)
    pair = _exchange(earlier, known)
    if prev_el is not None and prev_el.speaker_id and pair and prev_el.speaker_id in pair:
        a, b = pair
        cid = b if prev_el.speaker_id == a else a
        if cid not in called:
            conf = CONFIDENCE["turn-taking"]
            if prev_el.attribution and prev_el.attribution.speaker_confidence:
                conf *= prev_el.attribution.speaker_confidence
            _set_speaker(el, cid, "turn-taking", conf, [prev_el.span])
            return
    _set_speaker(el, None, "unknown", 0.0, [])


def _called_in(
    doc: Document, scene: Scene, j: int, index: CharacterIndex, memo: dict[int, frozenset[str]]
) -> frozenset[str]:
    """The characters spoken line ``j`` of ``scene`` calls by name (never its own speaker)."""
    got = memo.get(j)
    if got is None:
        el = scene.elements[j]
        off, end = content_span(doc, el)
        text = doc.source_text[off:end]
        got = memo[j] = frozenset(
            v.character_id
            for v in find_vocatives(text, index, off, exclude=el.speaker_id)
            if v.character_id
        )
    return got


def _adjacent_spoken(scene: Scene, i: int, step: int) -> int | None:
    """The index of the spoken line right before (``step=-1``) or after (``+1``) line ``i``,
    when only sound descriptions lie between; None otherwise."""
    j = i + step
    els = scene.elements
    while 0 <= j < len(els):
        kind = els[j].kind
        if kind in SPOKEN_KINDS:
            return j
        if kind != ElementKind.SOUND:
            return None
        j += step
    return None


def _talk_so_far(
    doc: Document,
    scene: Scene,
    upto: int,
    index: CharacterIndex,
    memo: dict[int, frozenset[str]],
) -> set[str]:
    """The people of the scene's talk up to line ``upto`` included: speakers and called."""
    people: set[str] = set()
    for j, e in enumerate(scene.elements[: upto + 1]):
        if e.kind not in SPOKEN_KINDS:
            continue
        if e.speaker_id:
            people.add(e.speaker_id)
        people |= _called_in(doc, scene, j, index, memo)
    return people


def _vocative_answer(
    doc: Document,
    scene: Scene,
    i: int,
    called: frozenset[str],
    index: CharacterIndex,
    memo: dict[int, frozenset[str]],
) -> tuple[str, str, float, list[Span]] | None:
    """``vocative-answer`` / ``called-back`` (module docstring): (speaker, rule, confidence,
    evidence) or None."""
    memo[i] = called
    el = scene.elements[i]
    p = _adjacent_spoken(scene, i, -1)
    if p is not None:
        prev = scene.elements[p]
        pcalled = _called_in(doc, scene, p, index, memo) - {prev.speaker_id}
        if len(pcalled) == 1:
            (x,) = pcalled
            if x not in called and x != prev.speaker_id:
                if prev.speaker_id and prev.speaker_id in called:
                    conf = CONFIDENCE["vocative-answer"]
                    if prev.attribution and prev.attribution.speaker_confidence:
                        conf *= prev.attribution.speaker_confidence
                    return x, "vocative-answer", conf, [prev.span]
                if (
                    prev.speaker_id is None
                    and len(called) == 1
                    and _talk_so_far(doc, scene, i, index, memo) <= pcalled | called
                ):
                    return x, "vocative-answer", 0.6, [prev.span]
    if len(called) != 1:
        return None
    n = _adjacent_spoken(scene, i, +1)
    if n is None:
        return None
    (x,) = called
    nxt = scene.elements[n]
    ncalled = _called_in(doc, scene, n, index, memo) - {nxt.speaker_id}
    if len(ncalled) != 1 or ncalled == called:
        return None
    (y,) = ncalled
    if y == el.speaker_id:
        return None
    if nxt.speaker_id == x and (nxt.attribution is None or not nxt.attribution.speaker_confidence):
        return y, "called-back", CONFIDENCE["called-back"], [nxt.span]
    if nxt.speaker is None and nxt.speaker_id is None:
        people = _talk_so_far(doc, scene, i, index, memo) | ncalled
        if people <= {x, y}:
            return y, "called-back", 0.6, [nxt.span]
    return None


def _exchange(earlier: list[str], known: list[str]) -> tuple[str, str] | None:
    """The two people of a two-person exchange, or None.

    Either the scene has exactly two known speakers, or the last four labelled lines
    (at least three) alternate between exactly two people.
    """
    if len(known) == 2:
        return known[0], known[1]
    window = earlier[-4:]
    people = list(dict.fromkeys(window))
    if len(window) >= 3 and len(people) == 2:
        return people[0], people[1]
    return None
