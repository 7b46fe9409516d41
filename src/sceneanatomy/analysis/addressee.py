"""Whom each spoken line is said to: ``Element.addressee_id`` with a confidence and a rule.

Reads ``speaker_id`` (written by the characters stage or by
:mod:`sceneanatomy.analysis.attribution`) and ``doc.characters``. Lines are grouped into
*turns*: consecutive spoken lines of one speaker in a scene. For each line, the first rule
that applies decides (the confidence is the rule's precision class, not a probability
fitted to any test set):

============================ ===== ==========================================================
rule                          conf  when
============================ ===== ==========================================================
``parenthetical``             0.95  a screenplay parenthetical "(to Ju Gyeong)" before the line
``vocative``                  0.90  the line calls someone by name: "Hye-won-ah!", "민재야",
                                    "Ross, you...", "..., Marcel, please" (the last one called)
``vocative-carry``            0.80  an earlier line of the same turn called someone
``said-to``                   0.85  a prose quote whose sentence says "tells her", "asks Ju
                                    Gyeong", "snaps at him" (written by the attribution stage)
``two-person``                0.85  the scene has exactly two individual speakers: the other one
``question-answer``           0.70  the turn ends with a question and another individual speaks
                                    next: the next speaker (an adjacency pair)
``previous-speaker``          0.65  the last other individual who spoke before the turn
``next-speaker``              0.50  nobody spoke before (scene opening): the next other speaker
``unknown``                   0.00  none of these: ``addressee_id`` stays None
============================ ===== ==========================================================

Group speakers (ALL, BOTH, EVERYONE, TOGETHER, "Ross, Joey", "A and B") and lines whose
speaker is unknown are never chosen as addressees. A line whose speaker is unknown gets an
addressee only from a vocative or parenthetical.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Attribution, Document, Element, ElementKind, LineIndex, Scene, Span
from ..names import fold
from .dialogue_refs import (
    SPOKEN_KINDS,
    CharacterIndex,
    NameIndex,
    Vocative,
    content_span,
    find_vocatives,
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
    "vocative-carry": 0.8,
    "said-to": 0.85,
    "two-person": 0.85,
    "question-answer": 0.7,
    "previous-speaker": 0.65,
    "next-speaker": 0.5,
    "unknown": 0.0,
}
_TO = re.compile(r"^\(?\s*(?:to|at|toward|towards)\s+(.+?)\s*\)?$", re.I)
_QUESTION_END = re.compile(r"[?？][\"”’'»)\]\s]*$")


def is_group_label(label: str | None) -> bool:
    """True for a cue that names a group rather than one person."""
    if not label:
        return False
    low = fold(label).replace("_", " ").strip(" .")
    return (
        low in GROUP_WORDS
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
    lix = LineIndex(doc.source_text)
    for scene in doc.scenes:
        for line, (cid, rule, evidence) in zip(
            _lines(scene), _decide(doc, scene, index, lix), strict=True
        ):
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


def _decide(
    doc: Document, scene: Scene, index: CharacterIndex, lix: LineIndex
) -> list[tuple[str | None, str, list[Span]]]:
    lines = _lines(scene)
    people = {ln.who for ln in lines if ln.individual and ln.who and not ln.who.startswith("cue:")}
    results: list[tuple[str | None, str, list[Span]]] = []
    k = 0
    while k < len(lines):
        e = k
        while e + 1 < len(lines) and lines[e + 1].who == lines[k].who and lines[k].who:
            e += 1
        me = lines[k].who
        ids_only = [ln.who for ln in lines if ln.who and not ln.who.startswith("cue:")]
        prefer = list(dict.fromkeys(reversed(ids_only)))

        def other(ln: _Line, me: str | None = me) -> bool:
            return ln.individual and ln.who is not None and ln.who != me

        prev = next((lines[j] for j in range(k - 1, -1, -1) if other(lines[j])), None)
        nxt = next((lines[j] for j in range(e + 1, len(lines)) if other(lines[j])), None)
        calls = [_calls(doc, lines[j].element, index, prefer) for j in range(k, e + 1)]
        last_text = lines[e].element.text.strip()
        # A question ending the turn is put to the next speaker, unless the turn calls
        # someone itself (then the call says whom, and the rest answers the last speaker).
        asks_next = bool(_QUESTION_END.search(last_text)) and not any(calls)
        turn_base: tuple[str | None, str, list[Span]]
        if me is None:
            turn_base = (None, "unknown", [])
        elif len(people) == 2 and me in people:
            (them,) = people - {me}
            turn_base = (them, "two-person", [])
        elif nxt is not None and asks_next:
            turn_base = (_as_id(nxt.who), "question-answer", [nxt.element.span])
        elif prev is not None:
            turn_base = (_as_id(prev.who), "previous-speaker", [prev.element.span])
        elif nxt is not None:
            turn_base = (_as_id(nxt.who), "next-speaker", [nxt.element.span])
        else:
            turn_base = (None, "unknown", [])
        if turn_base[0] is None and turn_base[1] != "unknown":
            turn_base = (None, "unknown", [])
        called: tuple[str | None, str, list[Span]] | None = None
        for j in range(k, e + 1):
            ln = lines[j]
            el = ln.element
            if el.attribution and el.attribution.addressee_rule == "said-to" and el.addressee_id:
                results.append((el.addressee_id, "said-to", []))
                continue
            to = _parenthetical_to(scene, ln.index, index, prefer)
            if to is not None:
                results.append((to[0], "parenthetical", [to[1]]))
                called = (to[0], "vocative-carry", [to[1]])
                continue
            named = [v for v in calls[j - k] if v.character_id]
            if named:
                v = named[-1]
                span = lix.span(v.start, v.end, el.span.start_time, el.span.end_time)
                results.append((v.character_id, "vocative", [span]))
                called = (v.character_id, "vocative-carry", [span])
            elif called is not None:
                results.append(called)
            else:
                results.append(turn_base)
        k = e + 1
    return results


def _calls(
    doc: Document, el: Element, index: CharacterIndex, prefer: Sequence[str]
) -> list[Vocative]:
    a, b = content_span(doc, el)
    return find_vocatives(doc.source_text[a:b], index, a, prefer=prefer, exclude=el.speaker_id)


def _as_id(who: str | None) -> str | None:
    return None if who is None or who.startswith("cue:") else who


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
