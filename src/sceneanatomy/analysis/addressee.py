"""Whom each spoken line is said to: ``Element.addressee_id`` with a confidence and a rule.

Reads ``speaker_id`` (written by the characters stage or by
:mod:`sceneanatomy.analysis.attribution`) and ``doc.characters``. Lines are grouped into
*turns*: consecutive spoken lines of one speaker in a scene. Each turn gets a *base*
addressee from turn-taking (the first turn rule that applies); then each line of the turn
keeps it unless a line rule applies (line rules first). The confidence is the rule's
precision class, not a probability fitted to any test set.

Line rules (checked first, for each line):

============================ ===== ==========================================================
rule                          conf  when
============================ ===== ==========================================================
``said-to``                   0.85  a prose quote whose sentence says "tells her", "asks Ju
                                    Gyeong", "snaps at him" (written by the attribution stage)
``parenthetical``             0.95  a screenplay parenthetical "(to Ju Gyeong)" before the line
``to-self``                   0.90  a parenthetical "(to himself)", "(to no one in particular)",
                                    "(aside)", "(under her breath)" before the line: said to
                                    nobody in the scene, ``addressee_id`` None
``vocative``                  0.90  the line calls someone by name: "Hye-won-ah!", "민재야",
                                    "Ross, you...", "..., Marcel, please" (the last one called).
                                    A line that is nothing but a name ("Ben.") is not a call
                                    when the same turn talks about that person ("Ben's good")
``assumed-name``              0.70  the line calls a name that another speaker of the scene
                                    gave as their own ("Hi, I'm Ben." ... "Ben, you ready?"):
                                    that speaker, not the name's bearer
``vocative-carry``            0.80  an earlier line of the same turn called someone (or was
                                    ``said-to`` someone: ``"I like you," he tells her.
                                    "Always have."``)
``reply-calls-back``          0.80  the turn's last line, when the next speaker's first line
                                    calls this speaker by name ("Thanks, Ross"): the reply
                                    shows whom the line was said to (not when the previous
                                    speaker had just asked this speaker a question, nor when
                                    the reply is nothing but the name: "Rachel! Rachel!"
                                    summons, it does not answer; nor when the next speaker
                                    first appears in the scene in an action line between:
                                    "The door opens. BRANNIGAN sticks his head in.")
``previous-speaker``          0.65  the turn's first line is a reaction ("Thank you", "Sorry",
                                    "Wow") and the turn goes on to a question for the next
                                    speaker: the reaction is to the previous speaker
``voice-over``                0.60  the cue says V.O., its speaker is on screen in the scene
                                    (speaks there without V.O. or is named in its action), and
                                    the line only tells: no "you", no question, no name called,
                                    no "(to X)", and it does not follow another speaker's
                                    question: an inner voice or narration, heard by no one in
                                    the scene, so ``addressee_id`` None. (A voice over that
                                    talks to someone, on the telephone, by radio or in a
                                    letter read out, keeps the other rules)
============================ ===== ==========================================================

Turn rules (the base of the turn's other lines):

============================ ===== ==========================================================
``telephone``                 0.50  the turn answers the telephone ("Hello? Yes, this is
                                    she."): said to someone unseen, ``addressee_id`` None
``two-person``                0.85  the scene has exactly two individual speakers: the other one
``stage-direction``           0.60  action lines between the previous spoken line and the turn
                                    point the speaker at exactly one other character ("She
                                    turns to Ross.", "sneers at Min-jae", "approaches Joey")
                                    or bring one in ("Joey comes in.", "Hye-won enters"):
                                    that one (shots in capitals, "BACK TO ...", "next to"
                                    do not count)
``joins-in``                  0.60  the turn opens agreeing ("Yeah", "Yes", "Exactly", "I know")
                                    and says more (three words or more after it), and the
                                    previous speaker was talking to a third person: the
                                    speaker joins in, talking to that person
                                    (not when that speaker ended on a question: "Yeah"
                                    after a question answers the one who asked it)
``asks-back``                 0.65  a one-line turn that reacts to what was just said with a
                                    question ("What? You sold it?", "Really? Don't you...",
                                    "Oh, so you're going with him?"), right after that
                                    line (no other voice, no action line between): the
                                    speaker of that line, not the next speaker
``question-answer``           0.70  the turn ends with a question (and calls nobody by name,
                                    nor by a term in the question) and another individual
                                    speaks next: the next speaker (an adjacency pair); when
                                    an earlier line of the turn called someone by a term
                                    ("Listen, missy. ... Did you see that?"), only the closing
                                    question(s) go to the next speaker
``continues``                 0.60  the previous speaker only interjected ("Hello.", "Wow!",
                                    "Yeah."; not "Yes?", which answers being called) although
                                    this speaker's previous turn was said to
                                    someone else, and this turn says more than an
                                    interjection: this speaker goes on talking to that one
``previous-speaker``          0.65  the last other individual who spoke before the turn
``next-speaker``              0.50  nobody spoke before (scene opening): the next other speaker
``unknown``                   0.00  none of these: ``addressee_id`` stays None
============================ ===== ==========================================================

A name inside a quotation ('He said "Ross, grow up"', a quotation that may run on over the
turn's next lines) calls someone in the quoted talk, not the speaker's addressee: it is
no vocative of the line (a "you" inside the quotation is resolved by the ``quoted-speech``
rule of :mod:`sceneanatomy.analysis.dialogue_refs`).

Group speakers (ALL, BOTH, EVERYONE, TOGETHER, "Ross, Joey", "A and B"), the voice of a
machine or a recording ("HOLD VOICE", "COMPUTER VOICE"; not "HANS' VOICE") and lines whose
speaker is unknown are never chosen as addressees; a speaker known only by a cue (no
character id) counts as a person of the scene (a scene of two named people and a
"MOVER" is not a two-person scene) but, chosen, gives ``None``. A line whose speaker is
unknown gets an addressee only from a vocative or parenthetical.

Measured on SemEval-2018 Task 4's second-person mentions with a development / held-out
split by episode (``benchmarks/addressee.py``, figures in ``docs/benchmarks.md``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..model import Attribution, Document, Element, ElementKind, LineIndex, Scene, Span
from ..names import fold
from .dialogue_refs import (
    SECOND_PERSON,
    SPOKEN_KINDS,
    CharacterIndex,
    NameIndex,
    Vocative,
    content_span,
    find_vocatives,
    line_index,
    quote_spans,
)

GROUP_WORDS = frozenset(
    {
        "all",
        "both",
        "everyone",
        "everybody",
        "together",
        "gang",
        "guys",
        "girls",
        "boys",
        "crowd",
        "others",
        "the others",
        "group",
        "chorus",
        "announcement",
        "intercom",
        "radio",
        "tv",
        "machine",
        "answering machine",
        "voice",
        "narrator",
    }
)
CONFIDENCE = {
    "parenthetical": 0.95,
    "vocative": 0.9,
    "assumed-name": 0.7,
    "vocative-carry": 0.8,
    "reply-calls-back": 0.8,
    "said-to": 0.85,
    "two-person": 0.85,
    "stage-direction": 0.6,
    "joins-in": 0.6,
    "question-answer": 0.7,
    "continues": 0.6,
    "previous-speaker": 0.65,
    "asks-back": 0.65,
    "next-speaker": 0.5,
    "telephone": 0.5,
    "voice-over": 0.6,
    "to-self": 0.9,
    "unknown": 0.0,
}
_TO = re.compile(r"^\(?\s*(?:to|at|toward|towards)\s+(.+?)\s*\)?$", re.I)
_QUESTION_END = re.compile(r"[?？][\"”’'»)\]\s]*$")
# A turn opening that agrees with what was just said ("Yeah, and when you do...").
_AGREES = re.compile(
    r"^[\W_]*(?:yeah|yes|yep|yup|exactly|totally|absolutely|definitely|right|true|"
    r"i know|me too|oh yeah|so true)\b",
    re.I,
)
_WORDS = re.compile(r"[^\W_]+")
# A first line that reacts to what was just said ("Thank you.", "Sorry.", "Wow.").
_REACTS = re.compile(
    r"^[\W_]*(?:thanks|thank you|thank u|sorry|i(?:'| ')?m sorry|i am sorry|wow|whoa|"
    r"oh my god|congratulations)\b",
    re.I,
)
# A whole turn that only interjects: a greeting or a backchannel, nothing said to anyone.
_INTERJECTS = re.compile(
    r"^[\W_]*(?:hello|hi|hey|wow|whoa|oh|ooh|ah|uh|um|hmm|yeah|yes|okay|ok|right|"
    r"uh-huh|mm-hmm)[\W_]*$",
    re.I,
)
# Stage directions that point a speaker at someone: "turns to NAME", "NAME comes in".
_TOWARD = re.compile(
    r"(?<!\bback )(?<!\bcut )(?<!\bpan )(?<!\bmove )(?<!\breturn )(?<!\bnext )(?<!\bclose )"
    r"(?<!\bdue )(?<!\baccording )"
    r"\b(?:to|at|toward|towards|faces|facing|approaches|joins)\s+$",
    re.I,
)
_ENTERS = re.compile(
    r"^\s+(?:(?:just|then|finally)\s+)?(?:enters|comes in|comes back|walks in|walks up|"
    r"runs in|rushes in|bursts in|arrives|appears|returns|comes out|steps in|walks over)\b",
    re.I,
)
# A question that reacts to what was just said ("What, as part of your program?",
# "Really? Don't you think...", "Oh, so you're going with him?"): it asks the one who said it.
_REACTIVE_Q = re.compile(
    r"^[\W_]*(?:(?:oh[\s,]+)?(?:what|huh|wait)\s*[,?!]|(?:oh[\s,]+)?(?:really|seriously)\s*\?|"
    r"oh[\s,]+so\b|"
    r"you mean\b|what do you mean\b)",
    re.I,
)
# A speaker giving their own name: "I'm Ben.", "I am Ben!", "My name is Ben," (the name
# closed by punctuation, so not "I'm Ben's sister").
_INTRODUCES = re.compile(
    r"\b(?:I\s?['’]\s?m|I am|[Mm]y name(?:\s?['’]\s?s| is)|[Cc]all me)\s+"
    r"([A-Z][\w'’-]*(?:\s[A-Z][\w'’-]*)?)\s*[.!,?…]"
)
# A turn that answers the telephone ("Hello? ... Yes, this is she."): said to someone unseen.
_ANSWERS_PHONE = re.compile(r"^[\W_]*hello\s*\?+\s+(?:yes|yeah|uh|um|this is)\b", re.I)
# A cue for the voice of a machine or a recording ("HOLD VOICE", "Recorded Voice",
# "COMPUTER VOICE"): no one to talk to. Not a person heard but unseen ("HANS' VOICE",
# "WHISPERED VOICE", "FIRST VOICE" in a crowd).
_DISEMBODIED = re.compile(
    r"\b(?:hold|recorded|recording|computer|computerized|automated|machine|electronic|"
    r"robot|robotic|synthesized|tape|pa)\s+voice$"
)
# A line that is nothing but punctuation once a called name is taken out.
_BARE = re.compile(r"^[\W_]*$")


def is_group_label(label: str | None) -> bool:
    """True for a cue that names a group rather than one person."""
    if not label:
        return False
    low = fold(label).replace("_", " ").strip(" .")
    return (
        low in GROUP_WORDS
        or _DISEMBODIED.search(low) is not None
        or "," in low
        or "&" in low
        or "/" in low
        or bool(re.search(r"\band\b", low))
    )


@dataclass(slots=True)
class _Line:
    index: int  # position in scene.elements
    element: Element
    who: str | None  # the speaker key: character id, else the cue as written, else None
    individual: bool  # an individual (may be addressed), not a group or unknown


def _speaker_key(el: Element) -> tuple[str | None, bool]:
    if el.speaker_id:
        return el.speaker_id, not is_group_label(el.speaker)
    if el.speaker:
        return "cue:" + fold(el.speaker), not is_group_label(el.speaker)
    return None, False


def annotate_addressees(doc: Document, index: CharacterIndex | None = None) -> Document:
    """The stage: write ``addressee_id`` and the addressee half of ``attribution``."""
    index = index if index is not None else NameIndex.from_document(doc)
    lix = line_index(doc.source_text)
    for scene in doc.scenes:
        inner = _inner_voices(scene, index)
        decided = zip(_lines(scene), _decide(doc, scene, index, lix), strict=True)
        for line, (cid, rule, evidence) in decided:
            if line.index in inner and rule not in _CALLED:
                cid, rule, evidence = None, "voice-over", []
            el = line.element
            if rule == "said-to" and el.addressee_id:
                continue  # decided by the attribution stage, keep it
            el.addressee_id = cid
            att = el.attribution or Attribution()
            att.addressee_rule = rule
            att.addressee_confidence = CONFIDENCE[rule]
            att.evidence.extend(e for e in evidence if e not in att.evidence)
            el.attribution = att
    return doc


def _lines(scene: Scene) -> list[_Line]:
    out = []
    for i, el in enumerate(scene.elements):
        if el.kind in SPOKEN_KINDS:
            who, individual = _speaker_key(el)
            out.append(_Line(i, el, who, individual))
    return out


@dataclass(slots=True)
class _Turn:
    first: int  # index of its first line in the scene's lines
    last: int  # index of its last line
    who: str | None
    individual: bool
    to: str | None = None  # whom its last line was said to (decided as the scene goes)


def _turns(lines: list[_Line]) -> list[_Turn]:
    out: list[_Turn] = []
    for i, ln in enumerate(lines):
        if out and ln.who and out[-1].who == ln.who:
            out[-1].last = i
        else:
            out.append(_Turn(i, i, ln.who, ln.individual))
    return out


_Decision = tuple[str | None, str, list[Span]]


def _decide(doc: Document, scene: Scene, index: CharacterIndex, lix: LineIndex) -> list[_Decision]:
    lines = _lines(scene)
    people = {ln.who for ln in lines if ln.individual and ln.who}
    ids_only = [ln.who for ln in lines if ln.who and not ln.who.startswith("cue:")]
    prefer = list(dict.fromkeys(reversed(ids_only)))
    calls = [_calls(doc, ln.element, index, prefer) for ln in lines]
    assumed = _assumed_names(lines, calls, index)
    turns = _turns(lines)
    for turn in turns:
        span = range(turn.first, turn.last + 1)
        _drop_quoted_calls(doc, [lines[j].element for j in span], calls, turn.first)
        kept = _drop_name_echoes(
            doc, [lines[j].element for j in span], [calls[j] for j in span], index
        )
        for j, c in zip(span, kept, strict=True):
            calls[j] = c
    results: list[_Decision] = []
    for t, turn in enumerate(turns):
        k, e, me = turn.first, turn.last, turn.who

        def other(tt: _Turn, me: str | None = me) -> bool:
            return tt.individual and tt.who is not None and tt.who != me

        prev_t = next((turns[j] for j in range(t - 1, -1, -1) if other(turns[j])), None)
        next_t = next((turns[j] for j in range(t + 1, len(turns)) if other(turns[j])), None)
        prev = lines[prev_t.last] if prev_t else None
        nxt = lines[next_t.first] if next_t else None
        mine = next((turns[j] for j in range(t - 1, -1, -1) if turns[j].who == me), None)
        base = _turn_base(
            scene,
            index,
            lines,
            turns,
            t,
            people,
            prev_t,
            next_t,
            mine,
            asks_next=bool(_QUESTION_END.search(lines[e].element.text.strip()))
            and not calls[e]
            and not any(v.character_id for j in range(k, e) for v in calls[j]),
            doc=doc,
        )
        prev_asked = prev is not None and bool(_QUESTION_END.search(prev.element.text.strip()))
        q0 = e  # the first line of the questions that end the turn
        while q0 > k and _QUESTION_END.search(lines[q0 - 1].element.text.strip()):
            q0 -= 1
        ask_base = base
        if base[1] == "question-answer" and q0 > k and any(calls[j] for j in range(k, q0)):
            before = _turn_base(
                scene, index, lines, turns, t, people, prev_t, next_t, mine, False, doc=doc
            )
        else:
            before = base
        called: _Decision | None = None
        for j in range(k, e + 1):
            base = before if j < q0 else ask_base
            ln = lines[j]
            el = ln.element
            if el.attribution and el.attribution.addressee_rule == "said-to" and el.addressee_id:
                results.append((el.addressee_id, "said-to", []))
                called = (el.addressee_id, "vocative-carry", [])
                continue
            aside = _parenthetical_aside(scene, ln.index)
            if aside is not None:
                results.append((None, "to-self", [aside]))
                called = None
                continue
            to = _parenthetical_to(scene, ln.index, index, prefer)
            if to is not None:
                results.append((to[0], "parenthetical", [to[1]]))
                called = (to[0], "vocative-carry", [to[1]])
                continue
            named = [v for v in calls[j] if v.character_id]
            if named:
                v = named[-1]
                span = lix.span(v.start, v.end, el.span.start_time, el.span.end_time)
                rule = "assumed-name" if (j, v.start) in assumed else "vocative"
                results.append((v.character_id, rule, [span]))
                called = (v.character_id, "vocative-carry", [span])
            elif called is not None:
                results.append(called)
            elif (
                j == e
                and me is not None
                and nxt is not None
                and next_t is not None
                and not prev_asked
                and base[1] not in ("two-person", "stage-direction", "joins-in")
                and not (j == k and k < e and _REACTS.search(el.text.strip()))
                and any(v.character_id == me for v in calls[next_t.first])
                and not _only_calls(doc, nxt.element, calls[next_t.first])
                and not _comes_in_between(doc, scene, index, lines, j, next_t.first)
            ):
                results.append(_known(_as_id(nxt.who), "reply-calls-back", nxt.element))
            elif (
                j == k
                and k < e
                and base[1] == "question-answer"
                and prev is not None
                and _REACTS.search(el.text.strip())
            ):
                results.append(_known(_as_id(prev.who), "previous-speaker", prev.element))
            else:
                results.append(base)
        turn.to = results[-1][0]
    return results


def _names_in_action(doc: Document, index: CharacterIndex, el: Element) -> set[str]:
    """The characters an action line names."""
    text = el.text
    if doc is not None and isinstance(index, NameIndex):
        a, b = content_span(doc, el)
        hits = index.find_names_as(text, 0, doc.source_text[a:b], a)
    else:
        hits = index.find_names(text, 0)
    return {h.ids[0] for h in hits if h.ids}


def _comes_in_between(
    doc: Document,
    scene: Scene,
    index: CharacterIndex,
    lines: list[_Line],
    j: int,
    n: int,
) -> bool:
    """The speaker of line ``n`` first appears in the scene in an action line between line
    ``j`` and line ``n`` ("The door opens. BRANNIGAN sticks his head in."): they were not
    there to be spoken to (never spoke nor were named in the scene before line ``j``)."""
    who = lines[n].who
    if who is None or any(ln.who == who for ln in lines[:j]):
        return False
    at, stop = lines[j].index, lines[n].index
    els = scene.elements
    named_between = any(
        els[i].kind == ElementKind.ACTION and who in _names_in_action(doc, index, els[i])
        for i in range(at + 1, stop)
    )
    if not named_between:
        return False
    return not any(
        els[i].kind == ElementKind.ACTION and who in _names_in_action(doc, index, els[i])
        for i in range(at)
    )


def _only_calls(doc: Document, el: Element, calls: list[Vocative]) -> bool:
    """The line says nothing but names ("Rachel! Rachel!"): a summons, not a reply."""
    a, b = content_span(doc, el)
    text = doc.source_text[a:b]
    for v in sorted(calls, key=lambda v: v.start, reverse=True):
        text = text[: v.start - a] + text[v.end - a :]
    return bool(_BARE.match(text))


def _words_after(lines: list[_Line], turn: _Turn, skip: int) -> int:
    """Words the turn says after the first ``skip`` characters of its first line."""
    texts = [lines[turn.first].element.text.strip()[skip:]]
    texts += [lines[j].element.text for j in range(turn.first + 1, turn.last + 1)]
    return sum(len(_WORDS.findall(t)) for t in texts)


def _known(cid: str | None, rule: str, cited: Element) -> _Decision:
    """A decision for a person with a character id; someone known only by a cue → unknown."""
    return (cid, rule, [cited.span]) if cid is not None else (None, "unknown", [])


def _turn_base(
    scene: Scene,
    index: CharacterIndex,
    lines: list[_Line],
    turns: list[_Turn],
    t: int,
    people: set[str | None],
    prev_t: _Turn | None,
    next_t: _Turn | None,
    mine: _Turn | None,
    asks_next: bool,
    doc: Document | None = None,
) -> _Decision:
    """The turn-taking addressee of turn ``t`` (see the turn rules in the module doc)."""
    turn = turns[t]
    me = turn.who
    prev = lines[prev_t.last] if prev_t else None
    nxt = lines[next_t.first] if next_t else None
    first_text = lines[turn.first].element.text.strip()
    base: _Decision
    if me is None:
        return (None, "unknown", [])
    if _ANSWERS_PHONE.match(first_text):
        return (None, "telephone", [])
    if len(people) == 2 and me in people:
        (them,) = people - {me}
        base = (_as_id(them), "two-person", [])
    elif (staged := _staged(scene, index, lines, turn, doc)) is not None:
        base = staged
    elif (
        prev_t is not None
        and prev is not None
        and prev_t.to is not None
        and prev_t.to != me
        and not _QUESTION_END.search(prev.element.text.strip())
        and (agree := _AGREES.search(first_text)) is not None
        and _words_after(lines, turn, agree.end()) >= 3
    ):
        base = (prev_t.to, "joins-in", [prev.element.span])
    elif (
        nxt is not None
        and asks_next
        and prev is not None
        and turn.first == turn.last
        and _REACTIVE_Q.match(first_text)
        and _right_after(scene, lines, turn, prev)
    ):
        base = (_as_id(prev.who), "asks-back", [prev.element.span])
    elif nxt is not None and asks_next:
        base = (_as_id(nxt.who), "question-answer", [nxt.element.span])
    elif (
        prev_t is not None
        and prev is not None
        and prev_t.first == prev_t.last
        and _INTERJECTS.match(prev.element.text.strip())
        and not _QUESTION_END.search(prev.element.text.strip())
        and not _INTERJECTS.match(first_text)
        and mine is not None
        and mine.to is not None
        and mine.to not in (me, prev_t.who)
    ):
        base = (mine.to, "continues", [lines[mine.last].element.span])
    elif prev is not None:
        base = (_as_id(prev.who), "previous-speaker", [prev.element.span])
    elif nxt is not None:
        base = (_as_id(nxt.who), "next-speaker", [nxt.element.span])
    else:
        return (None, "unknown", [])
    return base if base[0] is not None else (None, "unknown", [])


def _right_after(scene: Scene, lines: list[_Line], turn: _Turn, prev: _Line) -> bool:
    """The turn comes right after ``prev``'s line: no other voice, no action line between."""
    if turn.first == 0 or lines[turn.first - 1] is not prev:
        return False
    between = scene.elements[prev.index + 1 : lines[turn.first].index]
    return all(k.kind in (ElementKind.CHARACTER, ElementKind.PARENTHETICAL) for k in between)


def _staged(
    scene: Scene,
    index: CharacterIndex,
    lines: list[_Line],
    turn: _Turn,
    doc: Document | None = None,
) -> _Decision | None:
    """Action lines right before the turn (after the previous spoken line) that turn the
    speaker to exactly one other character ("She turns to Ross.", "looks at Min-jae") or
    bring one in ("Joey comes in.", "Hye-won enters")."""
    at = lines[turn.first].index
    stop = lines[turn.first - 1].index if turn.first > 0 else -1
    found: set[str] = set()
    spans: list[Span] = []
    for i in range(at - 1, stop, -1):
        el = scene.elements[i]
        if el.kind != ElementKind.ACTION:
            continue
        text = el.text
        if not any(c.islower() for c in text):
            continue  # a shot ("BACK TO TREVOR AND CHILDRESS"), not a stage direction
        if doc is not None and isinstance(index, NameIndex):
            # the line's words were scanned at their place in the source (coref)
            a, b = content_span(doc, el)
            hits = index.find_names_as(text, 0, doc.source_text[a:b], a)
        else:
            hits = index.find_names(text, 0)
        for h in hits:
            cid = h.ids[0] if h.ids else None
            if cid is None or cid == turn.who:
                continue
            if _TOWARD.search(text[: h.start]) or _ENTERS.match(text[h.end :]):
                found.add(cid)
                spans.append(el.span)
    if len(found) != 1:
        return None
    (cid,) = found
    return (cid, "stage-direction", spans[::-1])


def _drop_name_echoes(
    doc: Document,
    els: list[Element],
    calls: list[list[Vocative]],
    index: CharacterIndex,
) -> list[list[Vocative]]:
    """A line that is nothing but a name ("Ben.") is not a call when the same turn talks
    about that person ("Ben's good", "you never mentioned Ben"): the name is being tried
    out or repeated, not said to its bearer."""
    out = []
    for i, (el, cs) in enumerate(zip(els, calls, strict=True)):
        if len(cs) == 1 and cs[0].character_id:
            a, b = content_span(doc, el)
            text = doc.source_text[a:b]
            rest = text[: cs[0].start - a] + text[cs[0].end - a :]
            if _BARE.match(rest) and _talked_about(doc, els, calls, i, cs[0].character_id, index):
                out.append([])
                continue
        out.append(cs)
    return out


def _drop_quoted_calls(
    doc: Document, els: list[Element], calls: list[list[Vocative]], first: int
) -> None:
    """A name inside a quotation ('He said "Ross, grow up"') calls someone in the quoted
    talk, not the speaker's addressee: it is not a call of the line. A quotation may run
    on over the turn's next lines."""
    still_open = False
    for j, el in enumerate(els, start=first):
        a, b = content_span(doc, el)
        spans, still_open = quote_spans(doc.source_text[a:b], a, still_open)
        if spans and calls[j]:
            calls[j] = [v for v in calls[j] if not any(s <= v.start < e for s, e, _ in spans)]


def _talked_about(
    doc: Document,
    els: list[Element],
    calls: list[list[Vocative]],
    skip: int,
    cid: str,
    index: CharacterIndex,
) -> bool:
    for j, el in enumerate(els):
        if j == skip:
            continue
        a, b = content_span(doc, el)
        called = {(v.start, v.end) for v in calls[j]}
        for h in index.find_names(doc.source_text[a:b], a):
            if cid in h.ids and (h.start, h.end) not in called:
                return True
    return False


def _assumed_names(
    lines: list[_Line], calls: list[list[Vocative]], index: CharacterIndex
) -> set[tuple[int, int]]:
    """A speaker who introduces themself under another character's name ("Hi, I'm Ben.",
    "My name is Ben!") is the one called by that name afterwards in the scene ("Ben, you
    ready?"): such calls are given that speaker's id; returns their (line, start)."""
    taken: dict[str, str] = {}  # the named character's id -> the speaker who took the name
    moved: set[tuple[int, int]] = set()
    for j, ln in enumerate(lines):
        el = ln.element
        for n, v in enumerate(calls[j]):
            who = taken.get(v.character_id or "")
            if who is not None and who != el.speaker_id:
                calls[j][n] = replace(v, character_id=who)
                moved.add((j, v.start))
        if not el.speaker_id or not ln.individual:
            continue
        for m in _INTRODUCES.finditer(el.text):
            cands = index.candidates(m.group(1))
            if len(cands) == 1 and cands[0] != el.speaker_id:
                taken[cands[0]] = el.speaker_id
    return moved


def _calls(
    doc: Document, el: Element, index: CharacterIndex, prefer: Sequence[str]
) -> list[Vocative]:
    a, b = content_span(doc, el)
    return find_vocatives(doc.source_text[a:b], index, a, prefer=prefer, exclude=el.speaker_id)


# the rules a voice-over line keeps (it talks to someone: see _inner_voices)
_CALLED = frozenset({"parenthetical", "vocative", "vocative-carry", "said-to"})
_SECOND_WORD = re.compile(
    r"\b(?:" + "|".join(sorted(SECOND_PERSON, key=lambda w: (-len(w), w))) + r")\b", re.I
)
# a voice-over cue extension: "V.O.", "VO", "V/O", "V. O." (not "VOICE")
_VOICE_OVER = re.compile(r"\bV\s*[./]?\s*O\b", re.I)
# the extensions of someone heard but not seen (off screen, off camera, a voice over, a
# telephone or an intercom)
_UNSEEN = re.compile(r"\b(?:V\s*[./]?\s*O|O\s*[./]?\s*[SC]|OFF|PHONE|FILTERED|RADIO)\b", re.I)


def _inner_voices(scene: Scene, index: CharacterIndex) -> frozenset[int]:
    """The element indexes of the scene's voice-over lines that only tell, said by a
    speaker on screen in the scene (rule ``voice-over``): the speaker says something there
    without an unseen extension, or is named in one of its action lines; the line has no
    second-person word and no question mark, and the spoken line before it is not another
    speaker's question. (Names called and "(to X)" are checked by the caller.)"""
    els = scene.elements
    if not any(el.extension and _VOICE_OVER.search(el.extension) for el in els):
        return frozenset()  # (most scenes)
    vo = []
    asked: str | None = None  # the speaker of the last spoken line, when it asked
    last: str | None = None
    for i, el in enumerate(els):
        if el.kind not in SPOKEN_KINDS:
            continue
        text = el.text
        who = _speaker_key(el)[0]
        if (
            el.extension
            and _VOICE_OVER.search(el.extension)
            and "?" not in text
            and not _SECOND_WORD.search(text)
            and not (asked is not None and asked != who)
            and who is not None
        ):
            vo.append((i, who))
        if who != last or "?" in text:
            asked = who if text.rstrip().endswith("?") else None
        last = who
    seen = {
        _speaker_key(el)[0]
        for el in els
        if el.kind in SPOKEN_KINDS and not (el.extension and _UNSEEN.search(el.extension))
    }
    named: set[str] | None = None  # the characters named in the action lines
    out = []
    for i, who in vo:
        if who not in seen:
            if who.startswith("cue:"):
                continue  # known only by a cue: no name to find in the action
            if named is None:
                named = {
                    h.ids[0]
                    for el in els
                    if el.kind == ElementKind.ACTION
                    for h in index.find_names(el.text, 0)
                    if h.ids
                }
            if who not in named:
                continue
        out.append(i)
    return frozenset(out)


def _as_id(who: str | None) -> str | None:
    return None if who is None or who.startswith("cue:") else who


# "(to himself)", "(to no one in particular)", "(aside)": said to nobody in the scene
_TO_NOBODY = re.compile(
    r"^\(?\s*(?:(?:to|at)\s+(?:him|her|them|your|my|one)sel(?:f|ves)|(?:to|at)\s+no\s*(?:one|body)"
    r"(?:\s+in\s+particular)?|to\s+self|aside|sotto\s+voce|under\s+(?:his|her|their)\s+breath)"
    r"\s*\)?$",
    re.I,
)


def _parenthetical_aside(scene: Scene, at: int) -> Span | None:
    """A "(to himself)" / "(to no one)" / "(aside)" parenthetical between the cue and this
    line: the line is said to nobody in the scene."""
    j = at - 1
    while j >= 0 and scene.elements[j].kind == ElementKind.PARENTHETICAL:
        if _TO_NOBODY.match(scene.elements[j].text.strip()):
            return scene.elements[j].span
        j -= 1
    return None


def _parenthetical_to(
    scene: Scene, at: int, index: CharacterIndex, prefer: Sequence[str]
) -> tuple[str, Span] | None:
    """A "(to X)" parenthetical between the cue and this line."""
    j = at - 1
    while j >= 0 and scene.elements[j].kind == ElementKind.PARENTHETICAL:
        m = _TO.match(scene.elements[j].text.strip())
        if m:
            cid = index.lookup(m.group(1), prefer)
            if cid:
                return cid, scene.elements[j].span
        j -= 1
    return None
