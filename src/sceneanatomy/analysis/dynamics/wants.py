"""What each character wants in the scene, and whether they get it (issue 4, item 7).

**Wants** (``cues.yaml`` ``wants``), in the scene proper:

* narration, *self*: "X wants to / tries to / is trying to / offers to / attempt to /
  attempt at / is testing to see ..." — the owner of the cue (its clause subject or
  possessor: "his last attempt at ...") wants what follows, up to the end of the clause;
* narration, *other*: "X requests / asks / begs / tells Y to ..." — X wants Y to do it;
* narration, *keep*: "keeps his distance" — the cue is the want;
* dialogue: a sentence opening with "I want", "I need", "let's", "let me" — its speaker
  wants it; an imperative sentence ("Hold still.", "Don't stand so close.") — its speaker
  wants the addressee to do it.

**Achieved** (``cues.yaml`` ``outcomes``): a failure or success cue later in the want's
own sentence ("his last attempt ... was unsuccessful", "... but she can't take the hint"),
or in the next three units when it is said of the person the want is aimed at ("she
offers to help him" → "He refuses") or of the one who wants. Otherwise ``None``: the
source does not say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...model import Span
from .lexicon import Cues, Hit
from .units import SceneText, Unit, owners, scan


def _words(text: str) -> list[str]:
    """The words of a space-separated list."""
    return text.split()


__all__ = ["Want", "find_wants"]

_STOP = frozenset(
    _words(
        ", ; . ! ? : — – but before while as because when until so although though whereas however"
    )
)
_INTERJECTIONS = frozenset(
    _words("hey please oh just now so well okay ok look listen come on and but yes no")
)
_LOOKAHEAD = 3
_SENT = re.compile(r"[^.!?…]+(?:[.!?…]+[\"'”’)]*|$)")


@dataclass(slots=True)
class Want:
    character: str
    want: str
    kind: str  # self | other | keep | spoken | imperative
    unit: int
    start: int
    end: int
    target: str | None = None
    achieved: bool | None = None
    evidence: list[Span] = field(default_factory=list)
    outcome_evidence: list[Span] = field(default_factory=list)
    outcome_cue: str | None = None


_VERB_AFTER_NOUN = frozenset({"was", "were", "is", "are", "has", "had", "failed", "fails"})


def _clause_end(u: Unit, k: int, stops: list[int], noun: bool = False, limit: int = 14) -> int:
    """End of a want's text: the clause end, an outcome cue, or (after a noun such as
    "attempt at") the verb that says what became of it."""
    end = k
    while (
        end < len(u.words)
        and u.words[end] not in _STOP
        and end - k < limit
        and end not in stops
        and not (noun and end > k and u.words[end] in _VERB_AFTER_NOUN)
    ):
        end += 1
    return end


def _text(st: SceneText, u: Unit, i: int, j: int) -> tuple[str, int, int]:
    if j <= i:
        return (
            "",
            u.tokens[min(i, len(u.tokens) - 1)].start,
            u.tokens[min(i, len(u.tokens) - 1)].end,
        )
    a, b = u.tokens[i].start, u.tokens[j - 1].end
    return " ".join(st.text(a, b).split()), a, b


def _narrative_wants(st: SceneText, cues: Cues, u: Unit) -> list[Want]:
    out: list[Want] = []
    hits = [h for h in scan(cues, u, "wants") if h.pattern.tag in ("self", "other", "keep")]
    stops = [h.i for h in _outcome_hits(cues, u)]
    covered: list[tuple[int, int]] = []
    for h in hits:
        if any(a <= h.i < b for a, b in covered):
            continue
        who, _rule = owners(u, h.i, h.j, "auto")
        if not who:
            continue
        tag = h.pattern.tag
        target: str | None = None
        if tag == "keep":
            text, a, b = _text(st, u, h.i, h.j)
        elif tag == "other":
            obj = [r for r in u.refs if h.i < r.i < h.j]
            if not obj:
                continue
            target = obj[0].cid
            end = _clause_end(u, h.j, stops)
            if end - h.j < 2:
                continue  # "the way he wants her to": no action said
            text, a, b = _text(st, u, obj[0].i, end)
        else:
            noun = h.pattern.words[0].startswith("attempt")
            end = _clause_end(u, h.j, stops, noun)
            if end - h.j < 1:
                continue
            text, a, b = _text(st, u, h.j, end)
            tgt = [r for r in u.refs if h.j <= r.i < end and r.cid not in who]
            target = tgt[0].cid if tgt else None
            covered.append((h.j, end))
        if not text:
            continue
        for cid in who:
            out.append(Want(cid, text, tag, u.index, a, b, target, evidence=[st.unit_span(u)]))
    return out


def _sentences(st: SceneText, u: Unit) -> list[tuple[int, int]]:
    text = st.text(u.start, u.end)
    out = []
    for m in _SENT.finditer(text):
        a, b = m.start(), m.end()
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            out.append((u.start + a, u.start + b))
    return out


def _spoken_wants(st: SceneText, cues: Cues, u: Unit) -> list[Want]:
    if not u.speaker:
        return []
    out: list[Want] = []
    for a, b in _sentences(st, u):
        toks = [k for k, t in enumerate(u.tokens) if a <= t.start < b]
        if not toks:
            continue
        k = toks[0]
        last = toks[-1]
        # skip a vocative and interjections at the start ("Seo Jun-ah, give me ...")
        while k <= last and (
            u.words[k] in _INTERJECTIONS
            or u.words[k] in (",", "…", "...", "-", "—")
            or any(r.i <= k < r.j and r.kind == "vocative" for r in u.refs)
        ):
            k += 1
        if k > last:
            continue
        text = " ".join(st.text(u.tokens[k].start, b).split())
        if text.endswith("?"):
            continue
        hits = cues.wants.at(u.words, k)
        spoken = [h for h in hits if h.pattern.tag == "spoken"]
        if spoken:
            out.append(
                Want(
                    u.speaker,
                    text,
                    "spoken",
                    u.index,
                    u.tokens[k].start,
                    b,
                    u.addressee,
                    evidence=[st.span(u.tokens[k].start, b)],
                )
            )
            continue
        first = u.tokens[k]
        word = u.words[k]
        negative = word == "do" and k + 1 <= last and u.words[k + 1] == "n't"
        if (first.text[:1].isupper() and word in cues.imperative_verbs) or negative:
            out.append(
                Want(
                    u.speaker,
                    text,
                    "imperative",
                    u.index,
                    first.start,
                    b,
                    u.addressee,
                    evidence=[st.span(first.start, b)],
                )
            )
    return out


def _outcome_hits(cues: Cues, u: Unit) -> list[Hit]:
    got = u.attrs.get("outcomes")
    if got is None:
        got = scan(cues, u, "outcomes")
        u.attrs["outcomes"] = got
    return got


def _decide(st: SceneText, cues: Cues, w: Want, body: list[Unit]) -> None:
    u = st.units[w.unit]
    # the want's own sentence, after it
    for h in _outcome_hits(cues, u):
        if u.tokens[h.i].start >= w.end:
            _settle(st, w, u, h)
            return
    pos = next((n for n, x in enumerate(body) if x.index == w.unit), None)
    if pos is None:
        return
    for x in body[pos + 1 : pos + 1 + _LOOKAHEAD]:
        for h in _outcome_hits(cues, x):
            who, _rule = owners(x, h.i, h.j, "auto")
            if not who and x.kind == "line" and x.speaker:
                who = [x.speaker]
            if (w.target is not None and w.target in who) or (
                w.kind in ("self", "keep") and w.character in who and h.label == "failure"
            ):
                _settle(st, w, x, h)
                return


def _settle(st: SceneText, w: Want, u: Unit, h: Hit) -> None:
    a, b = u.tokens[h.i].start, u.tokens[h.j - 1].end
    w.achieved = h.label == "success"
    w.outcome_cue = st.text(a, b)
    w.outcome_evidence = [st.unit_span(u)]


def find_wants(st: SceneText, cues: Cues) -> list[Want]:
    body = st.body()
    wants: list[Want] = []
    for u in body:
        if u.kind == "narr":
            wants += _narrative_wants(st, cues, u)
        else:
            wants += _spoken_wants(st, cues, u)
    for w in wants:
        _decide(st, cues, w, body)
    return wants
