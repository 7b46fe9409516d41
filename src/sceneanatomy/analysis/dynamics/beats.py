"""Beats: a scene cut into units of action and reaction (issue 4, item 3).

Each narrative sentence and spoken line of the scene proper is a unit; a new beat starts
where the scene's situation moves. Boundary evidence between a unit and the one before it
(weights add up; a beat starts at 0.7 when the running beat has at least two units, and a
beat longer than six units is cut at its strongest boundary):

* physical distance changes level (1.0 for a new level: distance → approach → pin → face
  to face, from ``cues.yaml`` ``distance``; 0.5 for a fresh physical move after two units
  without one);
* someone enters (1.0) or the previous unit had someone leave (1.0);
* a narrative sentence opens with a transition ("Suddenly", "Without warning", "A long
  beat") (0.6);
* a new paragraph in prose (0.7);
* a change of who talks to whom (0.6; an inner voice, addressee rule "voice-over", talks to
  no one and changes nothing);
* action after talk, the reaction (0.25), talk after action (0.15);
* the dominant emotion of a character changes (0.4);
* inside a stretch of six units with no boundary (where the rules above have nothing to
  go on), lexical cohesion decides where it is cut (TextTiling: 0.3 × the share of content
  words the two units before a point do not share with the two after it), and with
  sentence embeddings (optional) also the distance between a unit and the one before it
  (up to 0.5; at most :data:`EMBED_BUDGET` sentences a document, so that the full path
  keeps to its time budget).

Each beat gets a function — setup, complication, escalation, turn, climax, resolution —
once the turn is known (:func:`assign_functions`), a tension (0..1, from :mod:`.arcs`),
the emotions of the characters in it, its distance level, its events, and a one-line
summary built from its own sentences (:func:`summarise`: the most eventful sentence,
trimmed of discourse openers, with a leading he/she replaced by the name coref resolved,
and the beat's most loaded line quoted) — never invented text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .lexicon import Cues, Hit
from .scene_emotion import SceneEmotions
from .units import SceneText, Unit, clip_words, owners, scan


def _words(text: str) -> list[str]:
    """The words of a space-separated list."""
    return text.split()


__all__ = [
    "LEVELS",
    "Beat",
    "UnitFeatures",
    "features",
    "segment",
    "assign_functions",
    "summarise",
]

# units -> {unit index: cosine similarity with the unit before it}
Similarity = Callable[[list[Unit]], dict[int, float]]
LEVELS = {"separate": 0, "approach": 1, "pin": 2, "face": 3}
LEVEL_NAMES = ("distance", "approach", "pin", "face to face")
FUNCTIONS = ("setup", "complication", "escalation", "turn", "climax", "resolution")
THRESHOLD = 0.7
MIN_UNITS = 2
MAX_UNITS = 6
_OPENERS = frozenset(
    _words(
        "however but and so then still yet meanwhile suddenly finally also as expected "
        "all of a sudden without warning"
    )
)


@dataclass(slots=True)
class UnitFeatures:
    """What happens in one unit, as far as beats and tension care."""

    distance: int | None = None  # the level this unit ends at, None when it has no cue
    distance_max: int | None = None
    distance_hits: list[Hit] = field(default_factory=list)
    level: int | None = None  # running level after this unit
    entrances: list[str] = field(default_factory=list)
    exits: list[str] = field(default_factory=list)
    presence_hits: list[Hit] = field(default_factory=list)
    conflict: int = 0
    realization: list[Hit] = field(default_factory=list)
    transition: bool = False
    pair: frozenset[str] | None = None  # speaker + addressee of a line


@dataclass(slots=True)
class Beat:
    index: int
    units: list[int]
    start: int
    end: int
    function: str = "setup"
    summary: str = ""
    tension: float = 0.0
    emotions: dict[str, dict[str, float]] = field(default_factory=dict)
    distance: str | None = None
    events: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    summary_units: list[int] = field(default_factory=list)


def features(st: SceneText, cues: Cues) -> list[UnitFeatures]:
    """Per-unit features for every unit of the scene (empty before the scene proper)."""
    out: list[UnitFeatures] = []
    level: int | None = None
    for u in st.units:
        f = UnitFeatures()
        if u.index < st.body_start:
            out.append(f)
            continue
        if u.kind == "narr" and not u.meta:
            f.distance_hits = scan(cues, u, "distance")
            if f.distance_hits:
                levels = [LEVELS[h.label] for h in f.distance_hits]
                f.distance = levels[-1]
                f.distance_max = max(levels)
            for h in scan(cues, u, "presence"):
                f.presence_hits.append(h)
                who, _rule = owners(u, h.i, h.j, "auto")
                (f.entrances if h.label == "entrance" else f.exits).extend(who or ["someone"])
            f.realization = scan(cues, u, "realization")
            k = 0
            while k < len(u.words) and u.words[k] in ("and", "but", "then", ","):
                k += 1
            f.transition = bool(cues.transitions.at(u.words, k)) if k < len(u.words) else False
        elif u.kind == "line":
            f.realization = scan(cues, u, "realization")
            att = u.element.attribution
            # an inner voice (addressee rule "voice-over") is heard by no one: no exchange
            if u.speaker and not (att and att.addressee_rule == "voice-over"):
                f.pair = frozenset(x for x in (u.speaker, u.addressee) if x)
        if not u.meta:
            f.conflict = len(scan(cues, u, "conflict"))
        if f.distance is not None:
            level = f.distance
        f.level = level
        out.append(f)
    return out


def _dominant(emo: SceneEmotions, unit: int) -> dict[str, str]:
    out: dict[str, str] = {}
    for cid, scores in emo.by_unit.get(unit, {}).items():
        label, v = max(scores.items(), key=lambda kv: (kv[1], kv[0]))
        if v >= 0.5:
            out[cid] = label
    return out


def boundary_scores(
    st: SceneText,
    units: list[Unit],
    feats: list[UnitFeatures],
    emo: SceneEmotions,
) -> list[tuple[float, list[str]]]:
    """(score, reasons) for a beat starting at each of ``units`` (the first gets 0)."""
    out: list[tuple[float, list[str]]] = [(0.0, [])]
    last_dominant: dict[str, str] = dict(_dominant(emo, units[0].index)) if units else {}
    last_pair = feats[units[0].index].pair if units else None
    quiet = 0  # units since the last physical move
    for k in range(1, len(units)):
        u, prev = units[k], units[k - 1]
        f, fp = feats[u.index], feats[prev.index]
        score, why = 0.0, []
        if f.distance is not None:
            before = fp.level
            if before is None and f.distance_max is not None and f.distance_max > 0:
                score, why = score + 1.0, [*why, "distance:" + LEVEL_NAMES[f.distance_max]]
            elif before is not None and (f.distance != before or (f.distance_max or 0) > before):
                score += 1.0
                why.append("distance:" + LEVEL_NAMES[max(f.distance, f.distance_max or 0)])
            elif quiet >= 2:
                score += 0.5
                why.append("physical move")
            quiet = 0
        else:
            quiet += 1
        if f.entrances:
            score += 1.0 if any(c != "someone" for c in f.entrances) else 0.5
            why.append("entrance")
        if fp.exits:
            score += 1.0 if any(c != "someone" for c in fp.exits) else 0.5
            why.append("exit")
        if f.transition:
            score += 0.6
            why.append("transition")
        if (
            u.paragraph is not None
            and prev.paragraph is not None
            and u.paragraph != prev.paragraph
            and u.kind == prev.kind == "narr"
        ):
            score += 0.7
            why.append("paragraph")
        if f.pair is not None:
            if last_pair is not None and not (f.pair & last_pair):
                score += 0.6
                why.append("exchange")
            last_pair = f.pair
        if u.kind == "narr" and prev.kind == "line":
            score += 0.25
            why.append("reaction")
        elif u.kind == "line" and prev.kind == "narr":
            score += 0.15
        dom = _dominant(emo, u.index)
        for cid, label in dom.items():
            if cid in last_dominant and last_dominant[cid] != label:
                score += 0.4
                why.append(f"emotion:{cid}:{last_dominant[cid]}->{label}")
                break
        last_dominant.update(dom)
        out.append((round(score, 3), why))
    return out


_FUNCTION_WORDS = frozenset(
    _words(
        "the a an and or but of to in on at for with from by is are was were be been it "
        "this that these those i you he she we they me him her us them my your his its our "
        "their not no do does did n't 's 're 'm 'll 've 'd so as if then just what who how "
        "why where when there here all some any up out down over"
    )
)


def _content(units: list[Unit]) -> set[str]:
    return {w for u in units for w in u.words if w[:1].isalpha() and w not in _FUNCTION_WORDS}


def _overlap(a: list[Unit], b: list[Unit]) -> float:
    x, y = _content(a), _content(b)
    if not x or not y:
        return 0.0
    return len(x & y) / len(x | y)


def segment(
    st: SceneText,
    feats: list[UnitFeatures],
    emo: SceneEmotions,
    similarity: Similarity | None = None,
) -> list[Beat]:
    """Cut the scene proper (``st.body()``, prose quotes inside sentences left out) into beats."""
    units = [u for u in st.body() if u.nested_in is None]
    if not units:
        return []
    scores = boundary_scores(st, units, feats, emo)
    cuts = [0]
    k = 1
    while k < len(units):
        start = cuts[-1]
        size = k - start
        score, _why = scores[k]
        if score >= THRESHOLD and size >= MIN_UNITS:
            cuts.append(k)
        elif size >= MAX_UNITS:
            window = range(start + MIN_UNITS, k + 1)
            for x in window:
                # lexical cohesion (TextTiling): few shared content words → a new topic
                s, why = scores[x]
                gap = 1.0 - _overlap(units[max(start, x - 2) : x], units[x : x + 2])
                scores[x] = (round(s + 0.3 * gap, 3), why)
            if similarity is not None:
                # no rule boundary for a while: let the change of subject decide
                sims = similarity(units[start : k + 1])
                for x in window:
                    cos = sims.get(units[x].index)
                    if cos is not None:
                        s, why = scores[x]
                        scores[x] = (round(s + 0.5 * max(0.0, 1.0 - cos), 3), [*why, "topic"])
            best = max(window, key=lambda x: (scores[x][0], -x))
            cuts.append(best)
            k = best
        k += 1
    # a one-unit tail joins the beat before it unless something arrives or moves in it
    if (
        len(cuts) > 1
        and len(units) - cuts[-1] < MIN_UNITS
        and not any(w == "entrance" or w.startswith("distance:") for w in scores[cuts[-1]][1])
    ):
        cuts.pop()
    beats: list[Beat] = []
    bounds = [*cuts, len(units)]
    for n, (a, b) in enumerate(zip(bounds, bounds[1:], strict=False)):
        us = units[a:b]
        idx = [u.index for u in us]
        # prose quotes inside these sentences belong to the beat too
        nested = [x.index for x in st.units if x.nested_in is not None and x.nested_in in idx]
        all_idx = sorted(idx + nested)
        beat = Beat(
            n,
            all_idx,
            min(u.start for u in us),
            max(u.end for u in us),
            reasons=list(scores[a][1]) if n else [],
        )
        beats.append(beat)
    for beat in beats:
        _describe(st, beat, feats, emo)
    return beats


def _describe(st: SceneText, beat: Beat, feats: list[UnitFeatures], emo: SceneEmotions) -> None:
    levels = [feats[k].level for k in beat.units if feats[k].level is not None]
    if levels:
        beat.distance = LEVEL_NAMES[max(levels)]
    ev: list[str] = []
    for k in beat.units:
        f = feats[k]
        ev += [f"entrance:{c}" for c in f.entrances]
        ev += [f"exit:{c}" for c in f.exits]
        if f.distance_max is not None:
            ev.append(LEVEL_NAMES[f.distance_max])
        if f.realization:
            ev.append("realization")
    beat.events = list(dict.fromkeys(ev))
    emotions: dict[str, dict[str, float]] = {}
    for k in beat.units:
        for cid, scores in emo.by_unit.get(k, {}).items():
            row = emotions.setdefault(cid, {})
            for label, v in scores.items():
                row[label] = max(row.get(label, 0.0), v)
    beat.emotions = {
        cid: dict(sorted(v.items())) for cid, v in sorted(emotions.items()) if any(v.values())
    }


def split_at(
    st: SceneText, beats: list[Beat], unit: int, feats: list[UnitFeatures], emo: SceneEmotions
) -> list[Beat]:
    """The beats with the one holding ``unit`` cut there, when ``unit`` is not its first
    (the value flips inside it: what comes before the flip and the flip itself are
    different moves). A prose quote is cut with its sentence."""
    cut = st.units[unit].nested_in if st.units[unit].nested_in is not None else unit

    def top(k: int) -> int:
        n = st.units[k].nested_in
        return n if n is not None else k

    out: list[Beat] = []
    for b in beats:
        before = [k for k in b.units if top(k) < cut]
        after = [k for k in b.units if top(k) >= cut]
        if unit not in b.units or not before or not after:
            out.append(b)
            continue
        for part, reasons in ((before, b.reasons), (after, ["value flips"])):
            us = [st.units[k] for k in part if st.units[k].nested_in is None] or [
                st.units[k] for k in part
            ]
            nb = Beat(
                0,
                part,
                min(u.start for u in us),
                max(u.end for u in us),
                reasons=list(reasons),
            )
            _describe(st, nb, feats, emo)
            out.append(nb)
    for n, b in enumerate(out):
        b.index = n
    return out


def assign_functions(beats: list[Beat], turn: int | None) -> None:
    """setup, complication, escalation, turn, climax, resolution — from position, the
    turn (the beat where the value flips) and tension."""
    n = len(beats)
    if n == 0:
        return
    if n == 1:
        beats[0].function = "turn" if turn == 0 else "setup"
        return
    for b in beats:
        b.function = ""
    beats[0].function = "setup"
    if turn is not None and 0 < turn < n:
        beats[turn].function = "turn"
    elif turn == 0:
        beats[0].function = "turn"
    last = n - 1
    if beats[last].function == "" and (turn is None or last > turn):
        beats[last].function = "resolution"
    # the climax: the most tense beat before the turn (when it is nearly as tense as the
    # turn), or the most tense beat of a scene without a turn
    if turn is not None:
        open_ = [b for b in beats[1:turn] if b.function == ""]
        if open_:
            peak = max(open_, key=lambda b: (b.tension, b.index))
            if peak.tension >= 0.8 * beats[turn].tension:
                peak.function = "climax"
    else:
        open_ = [b for b in beats[1:] if b.function == ""]
        if open_:
            peak = max(open_, key=lambda b: (b.tension, b.index))
            if peak.tension > beats[0].tension:
                peak.function = "climax"
    prev_t = beats[0].tension
    seen_complication = False
    for b in beats:
        if b.function:
            prev_t = b.tension
            continue
        climax = next((c.index for c in beats if c.function == "climax"), None)
        if (turn is not None and b.index > turn) or (
            turn is None and climax is not None and b.index > climax
        ):
            b.function = "resolution"
        elif not seen_complication:
            b.function = "complication"
            seen_complication = True
        else:
            b.function = "escalation" if b.tension >= prev_t - 0.05 else "complication"
        prev_t = b.tension


def _trim(text: str) -> str:
    """A sentence without a leading discourse opener ("All of a sudden, ", "However, ")."""
    t = text.strip()
    low = t.lower()
    for op in sorted(
        (
            "all of a sudden",
            "without warning",
            "as expected",
            "however",
            "but",
            "and",
            "then",
            "so",
            "meanwhile",
            "suddenly",
            "finally",
        ),
        key=len,
        reverse=True,
    ):
        if low.startswith(op) and len(t) > len(op) and not t[len(op)].isalnum():
            rest = t[len(op) :].lstrip(" ,")
            if rest:
                return rest[0].upper() + rest[1:]
    return t


def _named(st: SceneText, u: Unit, text: str) -> str:
    """Replace a leading he/she with the name coref resolved it to (confident links only)."""
    first = u.refs[0] if u.refs else None
    if (
        first is not None
        and first.kind == "pronoun"
        and first.surface.lower() in ("he", "she")
        and first.confidence >= 0.6
        and text.startswith(first.surface)
    ):
        text = st.name(first.cid) + text[len(first.surface) :]
    return text[:1].upper() + text[1:]


def _eventfulness(st: SceneText, u: Unit, f: UnitFeatures, emo: SceneEmotions) -> float:
    score = 0.0
    score += 1.0 if f.entrances or f.exits else 0.0
    score += 0.8 if f.distance_hits else 0.0
    score += 0.6 * min(2, f.conflict)
    score += 0.8 if f.realization else 0.0
    score += 0.5 * len({r.cid for r in u.refs})
    emotions = emo.by_unit.get(u.index, {})
    score += max((max(v.values()) for v in emotions.values()), default=0.0)
    score += 0.3 if any(r.role == "subj" and r.kind == "name" for r in u.refs) else 0.0
    n = len(u.words)
    if n <= 2:
        score -= 1.0
    elif n > 40:
        score -= 0.5
    return score


def summarise(st: SceneText, beat: Beat, feats: list[UnitFeatures], emo: SceneEmotions) -> None:
    """One line from the beat's own text: its most eventful sentence, plus its key line."""
    units = [st.units[k] for k in beat.units]
    narr = [u for u in units if u.kind == "narr"]
    lines = [u for u in units if u.kind == "line" and u.nested_in is None]
    parts: list[str] = []
    chosen: list[int] = []
    if narr:
        best = max(narr, key=lambda u: (_eventfulness(st, u, feats[u.index], emo), -u.index))
        text = _named(st, best, _trim(st.unit_text(best)))
        parts.append(clip_words(text, 28))
        chosen.append(best.index)
    if lines and (not narr or len(parts[0].split()) < 22):
        line_emotion = {le.unit: le for le in emo.lines}

        def load(u: Unit) -> tuple[float, int]:
            le = line_emotion.get(u.index)
            v = le.intensity if le is not None and le.label != "neutral" else 0.0
            return (v + 0.3 * min(2, feats[u.index].conflict) - 0.02 * len(u.words), -u.index)

        best_line = max(lines, key=load)
        said = clip_words(" ".join(st.unit_text(best_line).split()), 16)
        who = st.name(best_line.speaker) if best_line.speaker else "someone"
        parts.append(f'{who}: "{said}"')
        chosen.append(best_line.index)
    beat.summary = " — ".join(parts)
    beat.summary_units = sorted(chosen)
