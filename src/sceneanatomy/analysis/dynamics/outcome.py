"""Outcome per main character, with its charge (+, −, 0) and evidence (issue 4, item 8).

For each main character, the first of these that the source supports:

1. an **end state** the text names for them from the turn beat on (or in the second half
   of the scene when there is no turn; the state named most often wins): ``cues.yaml`` ``states`` ("heartbroken" → heartbreak −,
   "can't take the hint" → oblivious 0, "relieved" → relief +), owned as emotions are;
2. for the focal character of the value, the value's **end charge**, named by the value's
   states ("love" − → heartbreak), with the end-charge cues as evidence;
3. an end state named anywhere in the scene;
4. the **end of their emotional arc** when it is a clear emotion (intensity ≥ 0.5;
   valence ≥ 0.3 → +, ≤ −0.3 → −, else 0), named by its emotion;
5. a want they got (+) or did not get (−) (an answered question is not an outcome).

The text is the sentence (or line) the outcome rests on, trimmed to its clause when long.
No evidence → no outcome for that character (never a guess).

Main characters: the two most present characters of the scene (lines count double), and
any other lead or second lead present in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...model import Span
from .arcs import Arc
from .lexicon import Cues
from .units import SceneText, Unit, clause_bounds, clip_words, owners, scan
from .value import SceneValue, ValueHit
from .wants import Want

__all__ = ["Outcome", "main_characters", "find_outcomes"]


@dataclass(slots=True)
class Outcome:
    character: str
    text: str
    charge: str
    state: str | None
    basis: str  # state | value | arc | want
    evidence: list[Span] = field(default_factory=list)


def main_characters(st: SceneText) -> list[str]:
    weight: dict[str, float] = {}
    for u in st.body():
        if u.kind == "line" and u.speaker:
            weight[u.speaker] = weight.get(u.speaker, 0.0) + 2.0
        for r in u.refs:
            if u.kind == "line" and r.cid == u.speaker:
                continue
            weight[r.cid] = weight.get(r.cid, 0.0) + 1.0
    if not weight:
        return []
    order = {cid: k for k, cid in enumerate(st.present)}
    ranked = sorted(weight, key=lambda c: (-weight[c], order.get(c, 99), c))
    main = ranked[:2]
    top = weight[ranked[0]]
    for cid in ranked[2:]:
        c = st.doc.character(cid)
        if c is not None and c.role in ("lead", "second-lead") and weight[cid] >= 0.25 * top:
            main.append(cid)
    return main


@dataclass(slots=True)
class _State:
    character: str
    state: str
    charge: str
    unit: int
    start: int
    end: int


def _states(st: SceneText, cues: Cues) -> list[_State]:
    out: list[_State] = []
    for u in st.body():
        if u.kind != "narr":
            continue
        for h in scan(cues, u, "states"):
            who, _rule = owners(u, h.i, h.j, "auto")
            a, b = u.tokens[h.i].start, u.tokens[h.j - 1].end
            for cid in who:
                out.append(_State(cid, h.label, h.pattern.tag, u.index, a, b))
    return out


def _clause_text(st: SceneText, u: Unit, start: int) -> str:
    """The sentence, or the clause holding ``start`` when the sentence is long."""
    full = " ".join(st.unit_text(u).split())
    if len(full.split()) <= 20:
        return full
    k = next((n for n, t in enumerate(u.tokens) if t.start >= start), 0)
    a, b = clause_bounds(u, k)
    # widen to commas-free boundaries of the clause
    text = st.text(u.tokens[a].start, u.tokens[b - 1].end)
    text = re.sub(
        r"^(?:[,;:]\s*)?(?:and|but|so|yet|however|while|as|because)\b[,\s]*",
        "",
        text.strip(),
        flags=re.I,
    )
    text = text[:1].upper() + text[1:]
    return clip_words(" ".join(text.split()), 24)


_ARC_STATE = {
    "sadness": "hurt",
    "anger": "anger",
    "fear": "fear",
    "joy": "happiness",
    "love": "love",
    "surprise": "shock",
    "embarrassment": "embarrassment",
    "jealousy": "jealousy",
    "neutral": "composure",
}


def find_outcomes(
    st: SceneText,
    cues: Cues,
    main: list[str],
    value: SceneValue | None,
    turn_unit: int | None,
    arcs: list[Arc],
    wants: list[Want],
) -> list[Outcome]:
    states = _states(st, cues)
    body = st.body()
    if not body:
        return []
    mid = body[len(body) // 2].index
    cut = turn_unit if turn_unit is not None else mid
    arc_of = {a.character: a for a in arcs}
    out: list[Outcome] = []
    for cid in main:
        mine = [s for s in states if s.character == cid]
        late = [s for s in mine if s.unit >= cut]
        got: Outcome | None = None
        if late:
            got = _from_state(st, _commonest(late), "state")
        elif value is not None and value.character == cid and _own(value.end_hits):
            state = st_value_state(cues, value)
            ends = _own(value.end_hits)
            h = ends[-1]
            u = st.units[h.unit]
            got = Outcome(
                cid,
                _clause_text(st, u, h.start),
                value.end,
                state,
                "value",
                _dedupe([st.unit_span(st.units[x.unit]) for x in ends]),
            )
        elif mine:
            got = _from_state(st, mine[-1], "state")
        elif cid in arc_of and arc_of[cid].points and arc_of[cid].points[-1].intensity >= 0.5:
            arc = arc_of[cid]
            p = arc.points[-1]
            charge = "+" if p.valence >= 0.3 else "-" if p.valence <= -0.3 else "0"
            u = st.units[p.unit] if p.unit is not None else None
            if u is not None:
                got = Outcome(
                    cid,
                    " ".join(st.unit_text(u).split()),
                    charge,
                    _ARC_STATE.get(p.emotion, p.emotion),
                    "arc",
                    [st.unit_span(u)],
                )
        else:
            decided = [
                w
                for w in wants
                if w.character == cid and w.achieved is not None and w.kind != "question"
            ]
            if decided:
                w = decided[-1]
                got = Outcome(
                    cid,
                    w.want,
                    "+" if w.achieved else "-",
                    "got what they wanted" if w.achieved else "did not get what they wanted",
                    "want",
                    [*w.evidence, *w.outcome_evidence],
                )
        if got is not None:
            out.append(got)
    return out


def _own(hits: list[ValueHit]) -> list[ValueHit]:
    """The hits of this scene (not those carried in from the scene it continues)."""
    return [h for h in hits if not h.carried]


def _commonest(states: list[_State]) -> _State:
    """The state named most often (the earliest statement of it)."""
    counts: dict[str, int] = {}
    for s in states:
        counts[s.state] = counts.get(s.state, 0) + 1
    top = max(counts.values())
    return next(s for s in states if counts[s.state] == top)


def st_value_state(cues: Cues, value: SceneValue) -> str | None:
    return cues.value_states.get(value.name, {}).get(value.end)


def _from_state(st: SceneText, s: _State, basis: str) -> Outcome:
    u = st.units[s.unit]
    return Outcome(
        s.character, _clause_text(st, u, s.start), s.charge, s.state, basis, [st.unit_span(u)]
    )


def _dedupe(spans: list[Span]) -> list[Span]:
    seen: set[tuple[int, int]] = set()
    out: list[Span] = []
    for s in spans:
        if (s.start_char, s.end_char) not in seen:
            seen.add((s.start_char, s.end_char))
            out.append(s)
    return out
