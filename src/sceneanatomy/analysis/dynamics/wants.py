"""What each character wants in the scene, and whether they get it (issue 4, item 7).

**Wants**, in the scene proper, each only where the text states it:

* narration, *self* (``cues.yaml`` ``wants``): "X wants to / tries to / is trying to /
  offers to / attempt to / attempt at / is testing to see ..." — the owner of the cue (its
  clause subject or possessor: "his last attempt at ...") wants what follows, up to the
  end of the clause;
* narration, *other*: "X requests / asks / begs / tells Y to ..." — X wants Y to do it;
* narration, *keep*: "keeps his distance" — the cue is the want;
* dialogue, *spoken*: a sentence opening with "I want", "I need", "let's", "let me" (after
  a vocative or an interjection) — its speaker wants it;
* dialogue, *imperative*: a sentence opening with an imperative verb ("Hold still.",
  "Just... listen.", "Don't stand so close.") — its speaker wants the addressee to do it;
* dialogue, *request*: a sentence holding "please" / "제발" that is not a question;
* dialogue, *question*: the last sentence of a line, a question of three words or more
  put to a known addressee (not a tag such as ", right?", nor a rhetorical question such
  as "How could you ...?", ``cues.yaml`` ``rhetorical_questions``) — its speaker wants an
  answer;
* dialogue, *confession*: a line where the speaker declares a value toward the addressee
  (a positive charge of a value that has reply cues: "I like you, Hye-won.", "좋아해") —
  the speaker wants it returned.

**Achieved**, from the source only:

* a failure or success cue (``cues.yaml`` ``outcomes``) later in the want's own sentence
  ("his last attempt ... was unsuccessful"), or in the next three units said of the person
  the want is aimed at ("she offers to help him" → "He refuses") or of the one who wants;
* the **reply**: the next line the addressee says (within three units) — how it opens
  (``cues.yaml`` ``replies``: "yes", "okay", "I will" / "no", "I'm not", "I can't" /
  "forget it", "I don't know"). A request, an imperative or a "let's" is got on yes and
  not on no or a refusal; a question is got when it is answered (yes, no, "because ...",
  or any statement in reply to a wh-question) and not when the answer is refused;
* a confession: the first later charge on the confessor by the addressee (a reply cue:
  "my heart belongs to someone else" → not got; "me too" → got), in the scene or in the
  scene that continues it (:func:`settle_from`).

Otherwise ``None``: the source does not say.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...model import Span
from ..dialogue_refs import tokenize
from .lexicon import Cues, Hit
from .units import SceneText, Unit, owners, scan, sentence_spans, token_range
from .value import ValueHit


def _words(text: str) -> list[str]:
    """The words of a space-separated list."""
    return text.split()


__all__ = ["Want", "find_wants", "settle_from"]

_STOP = frozenset(
    _words(
        ", ; . ! ? : — – but before while as because when until so although though whereas however"
    )
)
_INTERJECTIONS = frozenset(
    _words("hey please oh just now so well okay ok look listen come on and but yes no")
)
# what may open a reply before the answer itself ("Well... yes?", "Oh, no.")
_REPLY_OPENERS = frozenset(_words("well oh um uh uhm hmm ah er look listen so , … ... - — !"))
_MARKS = frozenset({",", "…", "...", ".", "-", "—"})
_WH = frozenset(
    t.lower  # folded as the text's words are
    for t in tokenize(
        "why what where who whom whose when how which 왜 뭐 뭘 무슨 어디 누구 언제 어떻게 무엇"
    )
)
_LOOKAHEAD = 3
_SPOKEN_KINDS = frozenset({"spoken", "imperative", "request", "question"})


@dataclass(slots=True)
class Want:
    character: str
    want: str
    kind: str  # self | other | keep | spoken | imperative | request | question | confession
    unit: int
    start: int
    end: int
    target: str | None = None
    achieved: bool | None = None
    evidence: list[Span] = field(default_factory=list)
    outcome_evidence: list[Span] = field(default_factory=list)
    outcome_cue: str | None = None
    value: str | None = None  # a confession: the value declared
    wh: bool = False  # a question: opens with / holds a wh-word


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


def _is_word(w: str) -> bool:
    return w[:1].isalnum()


def _skip_opening(u: Unit, k: int, last: int, skip: frozenset[str]) -> int:
    """The first token from ``k`` that is not an interjection, a mark or a vocative."""
    while k <= last and (
        u.words[k] in skip
        or u.words[k] in _MARKS
        or any(r.i <= k < r.j and r.kind == "vocative" for r in u.refs)
    ):
        k += 1
    return k


def _tag_question(words: list[str]) -> bool:
    """ ", right?", ", isn't it?", ", 그치?": a tag asks for nothing new."""
    if "," not in words:
        return False
    tail = words[len(words) - 1 - words[::-1].index(",") + 1 :]
    return sum(1 for w in tail if _is_word(w)) <= 3


def _said(st: SceneText, u: Unit, kind: str, a: int, b: int, wh: bool = False) -> Want:
    """A want a line states at source ``[a, b)``, aimed at its addressee."""
    return Want(
        u.speaker or "",
        " ".join(st.text(a, b).split()),
        kind,
        u.index,
        a,
        b,
        u.addressee,
        evidence=[st.span(a, b)],
        wh=wh,
    )


def _spoken_wants(st: SceneText, cues: Cues, u: Unit) -> list[Want]:
    if not u.speaker:
        return []
    out: list[Want] = []
    sentences = sentence_spans(st, u)
    opened: int | None = None  # the sentence before was only "Just...": this one goes on
    for n, (a, b) in enumerate(sentences):
        toks = token_range(u, a, b)
        if not toks:
            continue
        first_tok, last = toks[0], toks[-1]
        k = _skip_opening(u, first_tok, last, _INTERJECTIONS)
        continued = opened is not None
        if k > last:
            if any(u.words[x] in cues.imperative_verbs for x in toks):
                # the whole sentence is "Listen." / "Just... listen.": that is the want
                start = opened if opened is not None else a
                out.append(_said(st, u, "imperative", start, b))
                opened = None
            else:
                opened = a if opened is None else opened
            continue
        if opened is not None:
            first_tok, opened = token_range(u, opened, b)[0], None
        text = " ".join(st.text(u.tokens[k].start, b).split())
        words = u.words[k : last + 1]

        if text.endswith("?"):
            n_words = sum(1 for w in words if _is_word(w))
            if (
                n == len(sentences) - 1
                and u.addressee is not None
                and n_words >= 3
                and not _tag_question(words)
                and not cues.rhetorical.at(u.words, k)
            ):
                wh = words[0] in _WH or any(w in _WH for w in words if not w.isascii())
                out.append(_said(st, u, "question", u.tokens[k].start, b, wh))
            continue
        if any(h.pattern.tag == "spoken" for h in cues.wants.at(u.words, k)):
            out.append(_said(st, u, "spoken", u.tokens[k].start, b))
            continue
        first = u.tokens[k]
        word = u.words[k]
        negative = word == "do" and k + 1 <= last and u.words[k + 1] == "n't"
        capital = first.text[:1].isupper() or k > first_tok or continued
        if (capital and word in cues.imperative_verbs) or negative:
            out.append(_said(st, u, "imperative", first.start, b))
            continue
        request = [h for h in scan(cues, u, "wants") if h.pattern.tag == "request"]
        if any(first_tok <= h.i <= last for h in request):
            out.append(_said(st, u, "request", u.tokens[first_tok].start, b))
    return out


def _reply_values(cues: Cues) -> frozenset[str]:
    return frozenset(p.label for p in cues.values.patterns if p.tag.startswith("reply"))


def _confessions(st: SceneText, cues: Cues, hits: list[ValueHit]) -> list[Want]:
    """A speaker declaring a value to the addressee: they want it returned."""
    out: list[Want] = []
    replied = _reply_values(cues)
    seen: set[tuple[int, str]] = set()
    for h in hits:
        if h.carried or h.tag != "positive" or h.negated or h.value not in replied:
            continue
        u = st.units[h.unit]
        if u.kind != "line" or not u.speaker or u.addressee in (None, u.speaker):
            continue
        if h.charges.get(u.speaker) != 1 or (h.unit, h.value) in seen:
            continue
        span = next(((a, b) for a, b in sentence_spans(st, u) if a <= h.start < b), None)
        if span is None or st.text(*span).rstrip().endswith("?"):
            continue
        seen.add((h.unit, h.value))
        a, b = span
        out.append(
            Want(
                u.speaker,
                " ".join(st.text(a, b).split()),
                "confession",
                u.index,
                a,
                b,
                u.addressee,
                evidence=[st.span(a, b)],
                value=h.value,
            )
        )
    return out


def _outcome_hits(cues: Cues, u: Unit) -> list[Hit]:
    got = u.attrs.get("outcomes")
    if got is None:
        got = scan(cues, u, "outcomes")
        u.attrs["outcomes"] = got
    return got


def _reply(st: SceneText, cues: Cues, w: Want, body: list[Unit]) -> bool:
    """Settle a spoken want from the addressee's next line; True when settled."""
    pos = next((n for n, x in enumerate(body) if x.index == w.unit), None)
    if pos is None:
        return False
    for x in body[pos + 1 : pos + 1 + _LOOKAHEAD]:
        if x.kind != "line" or not x.speaker or x.speaker == w.character:
            continue
        if w.target is not None and x.speaker != w.target:
            continue
        spans = sentence_spans(st, x)
        if not spans:
            return False
        hits: list[Hit] = []
        for a, b in spans[:2]:  # "I'm sorry. I can't.": the second sentence says it
            toks = token_range(x, a, b)
            k = _skip_opening(x, toks[0], toks[-1], _REPLY_OPENERS) if toks else len(x.words)
            hits = cues.replies.at(x.words, k) if k < len(x.words) else []
            if hits:
                break
        a, b = spans[0]
        label = hits[0].label if hits else None
        question = st.text(a, b).rstrip().endswith("?")
        if w.kind == "question":
            if label == "refuse":
                verdict: bool | None = False
            elif label in ("yes", "no", "answer") or (w.wh and not question and label is None):
                verdict = True
            else:
                verdict = None
        else:
            verdict = True if label == "yes" else False if label in ("no", "refuse") else None
        if verdict is None:
            return False  # the addressee answered something else: the text does not say
        w.achieved = verdict
        if hits:
            h = hits[0]
            a, b = x.tokens[h.i].start, x.tokens[h.j - 1].end
            w.outcome_cue = st.text(a, b)
            b = next((e for s0, e in spans if s0 <= a < e), b)
        w.outcome_evidence = [st.span(spans[0][0], b)]
        return True
    return False


def _decide(st: SceneText, cues: Cues, w: Want, body: list[Unit]) -> None:
    u = st.units[w.unit]
    # the want's own sentence, after it
    for h in _outcome_hits(cues, u):
        if u.tokens[h.i].start >= w.end:
            _settle(st, w, u, h)
            return
    if w.kind in _SPOKEN_KINDS and _reply(st, cues, w, body):
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


def settle_from(
    st: SceneText, wants: list[Want], hits: list[ValueHit], source: SceneText | None = None
) -> None:
    """Settle open confessions from value ``hits`` (of this scene, or of ``source``, the
    scene that continues it): the first later charge on the confessor by the one
    confessed to."""
    where = source if source is not None else st
    for w in wants:
        if w.kind != "confession" or w.achieved is not None:
            continue
        for h in hits:
            if h.carried or h.value != w.value or h.start < w.end:
                continue
            s = h.charges.get(w.character)
            if s is None or h.by is None or h.by == w.character:
                continue
            if w.target is not None and h.by != w.target:
                continue
            w.achieved = s > 0
            w.outcome_cue = h.cue
            w.outcome_evidence = [where.span(h.start, h.end)]
            break


def find_wants(st: SceneText, cues: Cues, hits: list[ValueHit] | None = None) -> list[Want]:
    """Every want the scene states, settled where the source says (module doc); ``hits``:
    the scene's value cues (for confessions)."""
    body = st.body()
    wants: list[Want] = []
    for u in body:
        if u.kind == "narr":
            wants += _narrative_wants(st, cues, u)
        else:
            wants += _spoken_wants(st, cues, u)
    if hits:
        confessions = _confessions(st, cues, hits)
        # a confession replaces a plain want read from the same sentence
        wants = [
            w
            for w in wants
            if not any(
                c.unit == w.unit and w.start < c.end and c.start < w.end for c in confessions
            )
        ] + confessions
        wants.sort(key=lambda w: (w.start, w.kind))
    for w in wants:
        if w.kind == "confession":
            continue
        _decide(st, cues, w, body)
    settle_from(st, wants, hits or [])
    return wants
