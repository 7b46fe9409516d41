"""The value at stake and its charge at the start and the end of a scene (issue 4, item 4).

McKee's scene value — love, trust, pride, safety, ambition, friendship, family, justice —
is read from the cue lists of ``cues.yaml`` ``values`` over the scene proper (narrative
sentences and spoken lines):

* **Which value.** Every cue of a value counts 1 (a topic word 0.5), plus 0.5 for each
  love emotion of 0.5 or more when the value is love (and 0.5 when the ledger has a
  romantic edge between characters of the scene). A value under 1.0 is not at stake. Of
  the others, a value whose charge changes for some character wins over one that does
  not (a scene is about the value that turns); then the highest score. None left →
  ``None``: the scene does not say.
* **Whose charge.** Each charge cue belongs to characters (:func:`.units.owners`: the
  subject or the possessor, "cue @subject" for moves like "toward her lips"). Positive
  cues charge their owner +; negative cues −; ``target_negative`` cues ("rejects him")
  charge the person they are done to −; a negated positive cue aimed at someone ("she
  will never love him") charges that person − (the one whose love is refused), and its
  owner not at all; a cue in a clause that says the attempt failed ("was unsuccessful")
  flips. Cues that are only wanted or supposed (irrealis, within three words) do not
  count. When love is spoken of in the scene, a pin or a face-to-face move toward
  someone (``distance`` cues) is a positive love cue for the one who moves.
* **Replies.** ``reply_negative`` / ``reply_positive`` cues ("my heart belongs to someone
  else", "I'm sorry", "me too") said in a line to someone who has shown the value earlier
  (a positive charge: a confession, within the last eight units) charge THAT person −
  (turned down) or + (returned); an advance is answered once. The advance may come from
  the scene this one continues (below). Without an open advance a reply cue says nothing
  and does not count.
* **A scene that continues another** (a screenplay heading that says CONTINUOUS or SAME;
  subtitles split by a silence of under a minute with a speaker in common): a character's
  last charge on a value in the previous scene is carried in as the first item of their
  sequence here, when the value is at stake here and they have a charge of it here (the
  value starts where it was left). A carried charge counts for the start, never for the
  score, and is never the turn.
* **What it does to them** (:func:`felt`): a person charged by someone else's cue (a
  reply, "rejects him", "she will never love him") feels what the value's ``feels``
  says (love −: sadness; love +: joy), at intensity 0.6 and at that cue: an emotion
  point with ``source == "value"``, so the arc of a rejected character ends in hurt even
  when their own words stay calm. A negated positive cue counts only when they say or
  hear it, or the sentence says they realise it.
* **The focal character** is the one whose charge changes most between start and end
  (then the one with the most charge evidence): the scene's value is told from their side.
* **Start and end.** Over the focal character's charge cues in order (+1 / −1 each), the
  split with the greatest contrast between the sum before it and the sum after it, among
  the splits where the two sums differ in sign (:func:`split_point`), gives the start
  charge (the sign of the sum before) and the end charge (after); "0" when a sum is under
  0.2. No such split: start and end are the sign of the whole sum. Equal start and end:
  the value does not change and the scene is a **non-event**, said so in the output.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .lexicon import Cues
from .scene_emotion import EmotionCue, SceneEmotions, unit_modifier_hits
from .units import SceneText, Unit, modifiers, owners, scan, target_of

__all__ = ["ValueHit", "SceneValue", "read_values", "choose_value", "carry", "felt"]

MIN_SCORE = 1.0
_FAILURE = frozenset({"unsuccessful", "failed", "fails", "vain"})


@dataclass(slots=True)
class ValueHit:
    value: str
    tag: str  # positive | negative | target_negative | topic
    unit: int
    start: int
    end: int
    cue: str
    charges: dict[str, int] = field(default_factory=dict)  # character -> +1 / -1
    negated: bool = False
    rule: str = ""
    by: str | None = None  # who did it to the charged person (a reply, "rejects him")
    carried: bool = False  # from the scene this one continues


@dataclass(slots=True)
class SceneValue:
    name: str
    score: float
    character: str | None
    start: str
    end: str
    start_hits: list[ValueHit] = field(default_factory=list)
    end_hits: list[ValueHit] = field(default_factory=list)
    sequence: list[tuple[ValueHit, int]] = field(default_factory=list)  # focal's charges
    candidates: dict[str, float] = field(default_factory=dict)
    per_character: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return self.start != self.end

    @property
    def non_event(self) -> bool:
        return not self.changed


def _failed(u: Unit, j: int) -> bool:
    """The clause after the cue says the attempt failed ("... was unsuccessful")."""
    k = j
    while k < len(u.words) and u.clause[k] == u.clause[min(j, len(u.clause) - 1)]:
        if u.words[k] in _FAILURE:
            return True
        k += 1
    return False


def read_values(
    st: SceneText,
    cues: Cues,
    feats: list | None = None,
    carried: list[ValueHit] | None = None,
) -> list[ValueHit]:
    """Every value cue of the scene proper with the charges it gives (module doc);
    ``carried``: the charges the scene this one continues ended on (:func:`carry`)."""
    out = _cue_hits(st, cues, carried or [])
    if feats is not None and any(h.value == "love" and h.tag != "topic" for h in out):
        out = sorted(out + _intimacy(st, feats), key=lambda h: (h.start, h.end))
    return out


def _intimacy(st: SceneText, feats: list) -> list[ValueHit]:
    """In a scene where love is spoken of, closing in on someone (a pin, face to face) is
    the mover's hope: a positive love cue for the subject of the move."""
    out: list[ValueHit] = []
    for u in st.body():
        f = feats[u.index]
        for h in f.distance_hits:
            if h.label not in ("pin", "face"):
                continue
            who, rule = owners(u, h.i, h.j, "subject")
            target = target_of(u, h.i, h.j, exclude=who)
            if not who or target is None:
                continue
            a, b = u.tokens[h.i].start, u.tokens[h.j - 1].end
            vh = ValueHit("love", "positive", u.index, a, b, st.text(a, b), rule="intimacy")
            for cid in who:
                vh.charges[cid] = 1
            out.append(vh)
    return out


REPLY_WINDOW = 8  # units: how far back an advance is still waiting for its answer


def _advancer(u: Unit, value: str, earlier: list[ValueHit], carried: list[ValueHit]) -> str | None:
    """Whom a reply in line ``u`` answers: its addressee, or else the latest other
    person, who showed ``value`` (a positive, not negated charge) in the last
    :data:`REPLY_WINDOW` units and has had no answer to it yet."""
    open_: list[str] = []
    for h in [*carried, *earlier]:
        if h.value != value:
            continue
        if h.rule == "reply":
            open_ = [cid for cid in open_ if cid not in h.charges]  # answered
        elif h.tag == "positive" and not h.negated and u.index - h.unit <= REPLY_WINDOW:
            for cid, s in h.charges.items():
                if s > 0 and cid != u.speaker and cid not in open_:
                    open_.append(cid)
    if not open_:
        return None
    if u.addressee is not None:
        return u.addressee if u.addressee in open_ else None
    return open_[-1]


def _cue_hits(st: SceneText, cues: Cues, carried: list[ValueHit]) -> list[ValueHit]:
    out: list[ValueHit] = []
    for u in st.body():
        hits = scan(cues, u, "values")
        if not hits:
            continue
        nested = [(x.start, x.end) for x in st.units if x.nested_in == u.index]
        mods = unit_modifier_hits(cues, u)
        for h in hits:
            a, b = u.tokens[h.i].start, u.tokens[h.j - 1].end
            if any(x <= a < y for x, y in nested):
                continue  # a prose quote: read as its own line
            tag = h.pattern.tag
            vh = ValueHit(h.label, tag, u.index, a, b, st.text(a, b))
            if tag in ("reply_negative", "reply_positive"):
                # only as an answer to someone who showed the value: it charges them
                who_to = _advancer(u, h.label, out, carried) if u.kind == "line" else None
                if who_to is None or _irrealis_near(u, h.i, mods):
                    continue
                vh.charges[who_to] = -1 if tag == "reply_negative" else 1
                vh.by, vh.rule = u.speaker, "reply"
                out.append(vh)
                continue
            out.append(vh)
            if tag == "topic":
                continue
            m = modifiers(u, h.i, mods)
            if m.irrealis and _irrealis_near(u, h.i, mods):
                vh.rule = "irrealis"
                continue
            who, rule = owners(u, h.i, h.j, h.pattern.role)
            target = target_of(u, h.i, h.j, exclude=who)
            vh.rule = rule
            vh.negated = m.negated
            sign = -1 if tag in ("negative", "target_negative") else 1
            if m.negated:
                sign = -sign
            if _failed(u, h.j):
                sign = -sign
                vh.rule += "+failed"
            if tag == "target_negative":
                if target is not None:
                    vh.charges[target] = -1
                    vh.by = who[0] if who else None
                continue
            if m.negated and tag == "positive" and target is not None:
                vh.charges[target] = -1
                vh.by = who[0] if who else None
                continue
            for cid in who:
                vh.charges[cid] = sign
    return out


def _irrealis_near(u: Unit, i: int, mods: list) -> bool:
    return any(h.label == "IRREALIS" and h.j <= i and i - h.j <= 3 for h in mods)


def _sign(total: float) -> str:
    if total >= 0.2:
        return "+"
    if total <= -0.2:
        return "-"
    return "0"


def split_point(seq: list[tuple[ValueHit, int]]) -> int | None:
    """The split ``k`` of the charge sequence with the greatest contrast between the sum
    before it and the sum from it (earliest on ties); None when no split changes sign."""
    best_k, best = None, 0.0
    for k in range(1, len(seq)):
        before = sum(s for _h, s in seq[:k])
        after = sum(s for _h, s in seq[k:])
        if _sign(before) == _sign(after):
            continue
        contrast = abs(before - after)
        if contrast > best:
            best_k, best = k, contrast
    return best_k


def _ends(seq: list[tuple[ValueHit, int]]) -> tuple[str, str, list[ValueHit], list[ValueHit]]:
    k = split_point(seq)
    if k is None:
        total = _sign(sum(s for _h, s in seq))
        n = max(1, math.ceil(len(seq) / 3))
        return total, total, [h for h, _s in seq[:n]], [h for h, _s in seq[-n:]]
    first, last = seq[:k], seq[k:]
    return (
        _sign(sum(s for _h, s in first)),
        _sign(sum(s for _h, s in last)),
        [h for h, s in first if s == (1 if sum(x for _h, x in first) > 0 else -1)],
        [h for h, s in last if s == (1 if sum(x for _h, x in last) > 0 else -1)],
    )


def choose_value(
    st: SceneText,
    hits: list[ValueHit],
    emo: SceneEmotions | None = None,
    love_edges: bool = False,
    carried: list[ValueHit] | None = None,
) -> SceneValue | None:
    """The value at stake, its focal character and its start / end charge (module doc)."""
    last_carried: dict[tuple[str, str], ValueHit] = {}
    for h in carried or []:
        for cid in h.charges:
            last_carried[(h.value, cid)] = h
    scores: dict[str, float] = {}
    for h in hits:
        scores[h.value] = scores.get(h.value, 0.0) + (0.5 if h.tag == "topic" else 1.0)
    if emo is not None and "love" in scores:
        n_love = sum(1 for c in emo.cues if c.label == "love" and c.intensity >= 0.5)
        scores["love"] += 0.5 * n_love + (0.5 if love_edges else 0.0)
    order = {cid: k for k, cid in enumerate(st.present)}
    options: list[tuple[int, float, str]] = []
    found: dict[str, tuple[str, dict[str, list[tuple[ValueHit, int]]], dict]] = {}
    for name in sorted(scores):
        if scores[name] < MIN_SCORE:
            continue
        seqs: dict[str, list[tuple[ValueHit, int]]] = {}
        for h in hits:
            if h.value == name:
                for cid, s in h.charges.items():
                    seqs.setdefault(cid, []).append((h, s))
        if not seqs:
            continue
        for cid, seq in seqs.items():
            before = last_carried.get((name, cid))
            if before is not None:
                seq.insert(0, (before, before.charges[cid]))
        per: dict[str, tuple[str, str]] = {}
        ranked: list[tuple[float, int, int, str]] = []
        for cid, seq in seqs.items():
            start, end, _f, _l = _ends(seq)
            per[cid] = (start, end)
            ranked.append((abs(_num(start) - _num(end)), len(seq), -order.get(cid, 99), cid))
        ranked.sort(reverse=True)
        found[name] = (ranked[0][3], seqs, per)
        # the value that turns is the one at stake; then the best supported
        options.append((int(ranked[0][0] > 0), scores[name], name))
    if not options:
        return None
    name = max(options)[2]
    focal, seqs, per = found[name]
    seq = seqs[focal]
    start, end, first, last = _ends(seq)
    return SceneValue(
        name,
        round(scores[name], 3),
        focal,
        start,
        end,
        first,
        last,
        seq,
        {k: round(v, 3) for k, v in sorted(scores.items())},
        dict(sorted(per.items())),
    )


def _num(charge: str) -> int:
    return {"+": 1, "-": -1}.get(charge, 0)


FELT = 0.6


def felt(
    st: SceneText, hits: list[ValueHit], cues: Cues, realised: set[int] | None = None
) -> list[EmotionCue]:
    """What being charged by someone else does to a person (module doc): a reply said to
    them, a cue done to them ("rejects him"), or a refusal they say or hear or, in
    narration, realise ("she will never love him" in a sentence with "realises")."""
    out: list[EmotionCue] = []
    for h in hits:
        if h.carried or h.by is None:
            continue
        u = st.units[h.unit]
        for cid, s in h.charges.items():
            label = cues.value_feels.get(h.value, {}).get("+" if s > 0 else "-")
            if label is None or cid == h.by:
                continue
            if h.tag == "positive" and not (
                cid in (u.speaker, u.addressee) or h.unit in (realised or set())
            ):
                continue  # "she doesn't trust him": he need not know it
            rule = f"{h.value} {'+' if s > 0 else '-'} by {h.by} ({h.rule or h.tag})"
            out.append(EmotionCue(cid, label, FELT, h.unit, h.start, h.end, h.cue, "value", rule))
    return out


def carry(hits: list[ValueHit]) -> list[ValueHit]:
    """The last charge of every (value, character) in ``hits`` (a scene's own hits after
    the ones it carried in), as carried hits for the scene that continues it."""
    last: dict[tuple[str, str], tuple[ValueHit, int]] = {}
    for h in hits:
        for cid, s in h.charges.items():
            last[(h.value, cid)] = (h, s)
    out: list[ValueHit] = []
    for (value, cid), (h, s) in last.items():
        out.append(
            ValueHit(
                value, h.tag, -1, h.start, h.end, h.cue, {cid: s}, h.negated, h.rule, h.by, True
            )
        )
    return out
