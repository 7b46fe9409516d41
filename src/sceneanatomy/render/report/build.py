"""Build the :class:`~.model.Article` from an anatomy dict (schema "scene-anatomy/1").

Reads only the contract's JSON (plus the keys it may add: ``scenes[].dialogue``,
``scenes[].characters[].evidence``, ``characters[].evidence``, ``turning_points``,
``relationships[].subtype``, ``tropes[].consent_note``). A section whose data is absent is
left out; a claim whose evidence is absent is not printed. Words come from
``templates/phrases.yaml`` through :class:`~.phrasing.Phrasebook`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import PurePath
from typing import Any

from . import charts
from .furniture import display_time, parse_time, share_links, watch_url
from .model import Article, Block, Chart, Evidence, Quote, Section, Sentence, Slot, Table
from .phrasing import Phrasebook

__all__ = ["EvidenceBook", "build_article", "find_scene"]

QUOTE_MAX = 400
LINE_MAX = 90
REL_MAX_SCENE = 8
REL_MAX_DOC = 24
CAST_MAX_DOC = 15
STRIP_PEOPLE = 12
DIGEST_ALL_MAX = 12  # a longer document digests only its key scenes
TP_NAMES = {
    "opportunity": "Opportunity",
    "change_of_plans": "Change of plans",
    "point_of_no_return": "Point of no return",
    "major_setback": "Major setback",
    "climax": "Climax",
}
BEAT_FUNCTIONS = ("setup", "complication", "escalation", "turn", "climax", "resolution")
ROLE_WORDS = {
    "lead": "lead",
    "second-lead": "second lead",
    "supporting": "supporting",
    "minor": "minor",
}
UNKNOWN = "unknown"
SAID_WANTS = ("spoken", "imperative", "question")  # wants that are the character's own line
# A relationship kind's rank when one pair has several: the graph draws the first.
KIND_RANK = {"romantic": 0, "family": 1, "platonic": 2, "rivalry": 3, "other": 4}
# Scene-heading "times" that say how the scene follows the last, not when it is.
TIME_PHRASES = {
    "continuous": "straight on from the scene before",
    "continued": "straight on from the scene before",
    "cont'd": "straight on from the scene before",
    "same": "at the same moment as the scene before",
    "same time": "at the same moment as the scene before",
    "later": "a little later",
    "moments later": "moments later",
    "a moment later": "a moment later",
    "day": "by day",
    "night": "at night",
    "morning": "in the morning",
    "afternoon": "in the afternoon",
    "evening": "in the evening",
    "dusk": "at dusk",
    "dawn": "at dawn",
    "sunset": "at sunset",
    "sunrise": "at sunrise",
}
# Subtitle cue numbers and timing lines: structure, not words (the times are shown
# beside the quote); left out of quotes from timed sources.
_CUE_TIMING = re.compile(r"^\s*(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3}\s*-->")
TIMED_FORMATS = ("srt", "vtt")


# ----------------------------------------------------------------------------- helpers


def _finish(text: str) -> str:
    """One sentence: trimmed, first letter up, closing punctuation added when missing."""
    t = " ".join(text.split())
    if not t:
        return t
    if t[-1] not in ".!?…" and not (t[-1] in "”\"’'" and len(t) > 1 and t[-2] in ".!?…"):
        t += "."
    for i, ch in enumerate(t):
        if ch.isalpha():
            if ch.islower():
                t = t[:i] + ch.upper() + t[i + 1 :]
            break
        if ch not in "“\"‘'(":
            break
    return t


def _clause(text: str) -> str:
    """Analyzer text used inside a sentence: whitespace collapsed, end punctuation kept."""
    return " ".join(str(text).split())


def _short(text: str, limit: int = LINE_MAX) -> str:
    t = " ".join(str(text).split()).strip('"“”')
    if len(t) <= limit:
        return t
    cut = t[:limit].rsplit(" ", 1)[0].rstrip(",;:—-")
    return cut + "…"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _norm(text: str) -> str:
    return " ".join(str(text).split()).strip("\"“”'‘’ ")


_QUOTE_TRIM = re.compile(r"^[\s.,;:!?—–-]+|[\s,;:—–-]+$")


def _is_verbatim(text: str, spans: Iterable[Any] | None) -> bool:
    """True when the analysis' ``text`` is a passage of one of ``spans`` word for word
    (letter case aside: the analysis may capitalise a clause it cut from a sentence)."""
    t = _QUOTE_TRIM.sub("", _norm(text)).casefold()
    if len(t) < 2:
        return False
    return any(
        isinstance(sp, dict)
        and isinstance(sp.get("text"), str)
        and t in _norm(sp["text"]).casefold()
        for sp in spans or ()
    )


def _quoted(text: str, spans: Iterable[Any] | None) -> str:
    """``text`` in quotation marks when it is the source's own words, else as it is."""
    clause = _clause(text)
    if _is_verbatim(clause, spans):
        return "“" + _QUOTE_TRIM.sub("", _norm(clause)) + "”"
    return clause


def _drop_cue_markup(lines: list[str]) -> list[str]:
    """Subtitle quote lines without cue numbers and timing lines."""
    out: list[str] = []
    for i, ln in enumerate(lines):
        if _CUE_TIMING.match(ln):
            continue
        if ln.isdigit() and i + 1 < len(lines) and _CUE_TIMING.match(lines[i + 1]):
            continue
        out.append(ln)
    return out or lines


def _place(location: str) -> str:
    """A heading's location as a reader writes it: "PHOTO STUDIO - SOFA" -> "Photo
    Studio, Sofa" (the parts of a slugline, most general first)."""
    loc = " ".join(location.split())
    if loc.isupper():
        loc = loc.title().replace("'S ", "'s ").replace("’S ", "’s ")
        if loc.endswith(("'S", "’S")):
            loc = loc[:-1] + "s"
    parts = [p.strip() for p in re.split(r"\s+[-–—/]+\s+", loc) if p.strip()]
    return ", ".join(parts) if parts else loc


def _and(names: Sequence[str]) -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


class EvidenceBook:
    """Numbers the quoted source passages in order of first citation (``ev-1``, ...)."""

    def __init__(self, timed: bool = False) -> None:
        self.items: list[Evidence] = []
        self._keys: dict[tuple[Any, ...], int] = {}
        self.timed = timed  # subtitles: leave cue numbers and timing lines out of quotes

    def cite(self, spans: Iterable[Any] | None) -> tuple[int, ...]:
        refs: list[int] = []
        for sp in spans or ():
            n = self._add(sp)
            if n is not None and n not in refs:
                refs.append(n)
        return tuple(refs)

    def _add(self, sp: Any) -> int | None:
        if not isinstance(sp, dict):
            return None
        text = sp.get("text")
        if not isinstance(text, str) or not text.strip():
            return None
        start, end = sp.get("start_line"), sp.get("end_line")
        start = start if isinstance(start, int) and not isinstance(start, bool) else None
        end = end if isinstance(end, int) and not isinstance(end, bool) else start
        key = (sp.get("start_char"), sp.get("end_char"), start, text)
        if key in self._keys:
            return self._keys[key]
        lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
        if self.timed:
            lines = _drop_cue_markup(lines)
        quote = "\n".join(lines)
        truncated = len(quote) > QUOTE_MAX
        if truncated:
            quote = quote[:QUOTE_MAX].rsplit(" ", 1)[0] + " …"
        n = len(self.items) + 1
        self.items.append(
            Evidence(
                n=n,
                quote=quote,
                start_line=start,
                end_line=end,
                start_time=display_time(sp.get("start_time")),
                end_time=display_time(sp.get("end_time")),
                truncated=truncated,
            )
        )
        self._keys[key] = n
        return n


def find_scene(data: dict[str, Any], which: int | str) -> dict[str, Any]:
    """The scene numbered ``which`` (1-based) or with id ``which``; LookupError otherwise."""
    scenes = data.get("scenes") or []
    if isinstance(which, str) and not which.isdigit():
        for s in scenes:
            if s.get("id") == which:
                return s
        raise LookupError(f"no scene {which!r} (ids s1..s{len(scenes)})")
    k = int(which)
    if not 1 <= k <= len(scenes):
        raise LookupError(f"no scene {k}: the document has {_plural(len(scenes), 'scene')}")
    return scenes[k - 1]


class _Ctx:
    """What the builders share: the data, names, evidence numbering and the phrasebook."""

    def __init__(self, data: dict[str, Any], seed: str, offset: int = 0) -> None:
        self.data = data
        self.chars: dict[str, dict[str, Any]] = {
            c["id"]: c for c in data.get("characters") or [] if isinstance(c, dict) and "id" in c
        }
        src = data.get("source") or {}
        self.ev = EvidenceBook(timed=src.get("format") in TIMED_FORMATS)
        self.say = Phrasebook(seed, offset=offset)
        self.source = src
        self.episode = src.get("episode") if isinstance(src.get("episode"), int) else None
        # A prose recap's title is the recap's headline, not the drama's: only "drama"
        # (an added key) or a script's own title names the work.
        title = src.get("drama") or (src.get("title") if src.get("format") != "prose" else None)
        self.title: str | None = title if isinstance(title, str) and title.strip() else None
        self.label = (
            self.title or src.get("title") or PurePath(src.get("path") or "").name or "the source"
        )

    def name(self, cid: Any) -> str:
        c = self.chars.get(cid) if isinstance(cid, str) else None
        if c and c.get("name"):
            return str(c["name"])
        return str(cid) if cid else "someone"

    def sentence(self, text: str, spans: Iterable[Any] | None) -> Sentence | None:
        """A claim: printed only when at least one of ``spans`` can be quoted."""
        refs = self.ev.cite(spans)
        if not refs:
            return None
        return Sentence(_finish(text), refs)

    def where(self) -> str:
        if self.episode is not None and self.title:
            return self.say.say("where_episode_title", episode=self.episode, title=self.title)
        if self.episode is not None:
            return self.say.say("where_episode", episode=self.episode)
        if self.title:
            return self.say.say("where_title", title=self.title)
        return ""

    def kicker(self, scene_number: int | None) -> str:
        """The line over the headline: the work, its episode, the scene's number."""
        parts = [str(self.label)]
        if self.episode is not None:
            parts.append(f"Episode {self.episode}")
        if scene_number is not None:
            parts.append(f"Scene {scene_number}")
        return " · ".join(parts)

    def spoiler(self) -> str:
        if self.episode is not None and self.title:
            return self.say.say("spoiler_episode_title", episode=self.episode, title=self.title)
        if self.episode is not None:
            return self.say.say("spoiler_episode", episode=self.episode)
        if self.title:
            return self.say.say("spoiler_title", title=self.title)
        return self.say.say("spoiler_plain")


def _anatomy(scene: dict[str, Any]) -> dict[str, Any]:
    a = scene.get("anatomy")
    return a if isinstance(a, dict) else {}


def _list(value: Any) -> list[Any]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _heading_span(scene: dict[str, Any]) -> dict[str, Any] | None:
    """The scene heading's own line, as a span (the first line of the scene's span)."""
    span = scene.get("span")
    if not scene.get("heading") or not isinstance(span, dict) or not span.get("text"):
        return None
    first = str(span["text"]).split("\n", 1)[0]
    start = span.get("start_char")
    return {
        "start_line": span.get("start_line"),
        "end_line": span.get("start_line"),
        "start_char": start,
        "end_char": start + len(first) if isinstance(start, int) else None,
        "start_time": span.get("start_time"),
        "end_time": None,
        "text": first,
    }


def _beats(an: dict[str, Any]) -> list[dict[str, Any]]:
    beats = _list(an.get("beats"))
    return sorted(beats, key=lambda b: b.get("index", 0) if isinstance(b.get("index"), int) else 0)


def _turn_position(an: dict[str, Any], beats: list[dict[str, Any]]) -> int | None:
    tp = an.get("turning_point")
    if not isinstance(tp, dict) or not isinstance(tp.get("beat"), int):
        return None
    for i, b in enumerate(beats):
        if b.get("index") == tp["beat"]:
            return i
    return None


def _scene_people(ctx: _Ctx, scene: dict[str, Any]) -> list[str]:
    """Character ids of the scene, the most prominent first."""
    an = _anatomy(scene)
    words = {
        d.get("character"): int(d.get("words") or 0)
        for d in _list(scene.get("dialogue"))
        if isinstance(d.get("character"), str)
    }
    entries = [c for c in _list(scene.get("characters")) if isinstance(c.get("id"), str)]
    order = {c["id"]: i for i, c in enumerate(entries)}
    ids = sorted(
        order,
        key=lambda cid: (
            -words.get(cid, 0),
            not next((c.get("speaking") for c in entries if c["id"] == cid), False),
            order[cid],
        ),
    )
    kl = an.get("key_line")
    speaker = kl.get("speaker") if isinstance(kl, dict) else None
    if isinstance(speaker, str):
        ids = [speaker] + [i for i in ids if i != speaker]
    return ids


def _who(ctx: _Ctx, ids: Sequence[str], k: int = 2) -> str:
    return _and([ctx.name(i) for i in ids[:k]])


def _scene_evidence(scene: dict[str, Any]) -> list[Any]:
    span = scene.get("span")
    return [span] if isinstance(span, dict) else []


# ----------------------------------------------------------------------------- sections


def _setup_section(ctx: _Ctx, scene: dict[str, Any], an: dict[str, Any]) -> Section | None:
    say = ctx.say
    sents: list[Sentence | None] = []
    setup = an.get("setup")
    if isinstance(setup, dict) and setup.get("text"):
        slot = "setup_previous" if setup.get("basis") == "previous-scene" else "setup_story"
        sents.append(
            ctx.sentence(
                say.say(slot, text=_quoted(setup["text"], setup.get("evidence"))),
                setup.get("evidence"),
            )
        )
    loc = scene.get("location")
    heading = _heading_span(scene)
    if isinstance(loc, str) and loc.strip() and heading is not None:
        place = _place(loc)
        time = scene.get("time_of_day")
        time = " ".join(time.lower().split()) if isinstance(time, str) and time.strip() else None
        if time is not None:
            time = TIME_PHRASES.get(time, time)
        interior = scene.get("interior")
        inout = (
            {True: "inside", False: "outside"}.get(interior) if isinstance(interior, bool) else None
        )
        if inout and time:
            text = say.say("setting_full", place=place, time=time, inout=inout)
        elif time:
            text = say.say("setting_place_time", place=place, time=time)
        elif inout:
            text = say.say("setting_inout_place", place=place, inout=inout)
        else:
            text = say.say("setting_place", place=place)
        sents.append(ctx.sentence(text, [heading]))
    span = scene.get("span")
    if isinstance(span, dict):
        start, end = display_time(span.get("start_time")), display_time(span.get("end_time"))
        if start and end:
            sents.append(ctx.sentence(say.say("setting_timed", start=start, end=end), [span]))
    kept = [s for s in sents if s]
    if not kept:
        return None
    return Section("setup", say.say("title_setup"), [Block("para", kept)])


def _role_word(ch: dict[str, Any]) -> str:
    role = ch.get("role")
    return ROLE_WORDS.get(role, UNKNOWN) if isinstance(role, str) else UNKNOWN


def _actors(ch: dict[str, Any]) -> list[str]:
    return [a for a in ch.get("actors") or [] if isinstance(a, str) and a.strip()]


def _cast_section(ctx: _Ctx, scene: dict[str, Any]) -> Section | None:
    """The people in the scene as a table: role and actor as the analysis gives them, and
    "unknown" where it does not. Each row cites the character's first line in the scene
    (else their first mention) and the actor's credit."""
    say = ctx.say
    rows: list[list[str]] = []
    refs: list[tuple[int, ...]] = []
    entries = {c["id"]: c for c in _list(scene.get("characters")) if isinstance(c.get("id"), str)}
    # a recap reports speech by quoting it: "quoted" / "mentioned" rather than "speaks"
    presence = "recap" if ctx.source.get("format") == "prose" else "cast"
    for cid in _scene_people(ctx, scene):
        entry = entries.get(cid)
        if entry is None:
            continue
        ch = ctx.chars.get(cid, {})
        actors = _actors(ch)
        spans = list(entry.get("evidence") or [])
        if actors:
            spans += list(ch.get("actor_evidence") or [])
        cited = ctx.ev.cite(spans or _scene_evidence(scene))
        if not cited:
            continue
        rows.append(
            [
                ctx.name(cid),
                _role_word(ch),
                _and(actors) if actors else UNKNOWN,
                say.say(f"{presence}_speaks" if entry.get("speaking") else f"{presence}_silent"),
            ]
        )
        refs.append(cited)
    if not rows:
        return None
    table = Table(
        say.say("cast_caption"), ["Character", "Role", "Played by", "In the scene"], rows, refs
    )
    return Section("cast", say.say("title_cast"), [Block("table", table=table)])


def _dialogue_section(
    ctx: _Ctx,
    rows: list[dict[str, Any]],
    spans: list[Any],
    chart_id: str,
    title_slot: str = "title_dialogue",
) -> Section | None:
    named = [
        {
            "name": ctx.name(r.get("character")),
            "words": int(r.get("words") or 0),
            "lines": int(r.get("lines") or 0),
        }
        for r in rows
        if isinstance(r.get("character"), str)
    ]
    chart = charts.dialogue_chart(chart_id, named)
    if chart is None:
        return None
    blocks = [Block("chart", chart=chart)]
    total = sum(r["words"] for r in named)
    speakers = sorted((r for r in named if r["words"] > 0), key=lambda r: -r["words"])
    if len(speakers) > 1:
        top = [r for r in speakers if r["words"] == speakers[0]["words"]]
        share = f"{round(100 * top[0]['words'] / total)}%"
        if len(top) == 1:
            text = ctx.say.say("dialogue_top", name=top[0]["name"], share=share)
        else:  # a tie: nobody has "the most"
            text = ctx.say.say("dialogue_even", names=_and([r["name"] for r in top]), share=share)
        s = ctx.sentence(text, spans)
        if s:
            blocks.insert(0, Block("para", [s]))
    return Section("dialogue", ctx.say.say(title_slot), blocks)


def _wants_section(ctx: _Ctx, an: dict[str, Any]) -> Section | None:
    items: list[Sentence] = []
    for w in _list(an.get("wants")):
        if not w.get("want"):
            continue
        name = ctx.name(w.get("character"))
        spans = w.get("evidence")
        if w.get("kind") in SAID_WANTS and _is_verbatim(w["want"], spans):
            # The want is the character's own line ("Hold still."): quote it, say to whom.
            line = _quoted(w["want"], spans)
            slot = {"question": "want_asked", "imperative": "want_told"}.get(
                str(w.get("kind")), "want_said"
            )
            target = w.get("target")
            if isinstance(target, str) and target in ctx.chars and target != w.get("character"):
                text = ctx.say.say_next(slot + "_to", name=name, target=ctx.name(target), line=line)
            else:
                text = ctx.say.say_next(slot, name=name, line=line)
        else:
            text = ctx.say.say_next("want", name=name, want=_clause(w["want"]))
        text = _finish(text)
        if w.get("achieved") is True:
            text += " " + _finish(ctx.say.say_next("want_yes", name=name))
        elif w.get("achieved") is False:
            text += " " + _finish(ctx.say.say_next("want_no", name=name))
        s = ctx.sentence(text, spans)
        if s:
            items.append(s)
    if not items:
        return None
    return Section("wants", ctx.say.say("title_wants"), [Block("list", items)])


def _beats_section(ctx: _Ctx, an: dict[str, Any], chart_id: str) -> Section | None:
    beats = _beats(an)
    items: list[Sentence] = []
    labels: list[str] = []
    rows = []
    for i, b in enumerate(beats):
        fn = b.get("function") if b.get("function") in BEAT_FUNCTIONS else "other"
        rows.append({"number": i + 1, "function": fn, "tension": b.get("tension")})
        if not b.get("summary"):
            continue
        # The passages the summary quotes when the analysis names them, else the beat.
        spans = _list(b.get("summary_evidence")) or [b.get("span")]
        s = ctx.sentence(ctx.say.say_next(f"beat_{fn}", summary=_clause(b["summary"])), spans)
        if s:
            items.append(s)
            labels.append(fn if fn != "other" else "")
    blocks: list[Block] = []
    if items:
        blocks.append(Block("olist", items, labels=labels))
    chart = charts.tension_chart(chart_id, rows, _turn_position(an, beats))
    if chart is not None:
        blocks.append(Block("chart", chart=chart))
    if not blocks:
        return None
    return Section("beats", ctx.say.say("title_beats"), blocks)


def _quote_block(ctx: _Ctx, an: dict[str, Any], intro: bool = True) -> Block | None:
    kl = an.get("key_line")
    if not isinstance(kl, dict) or not kl.get("text"):
        return None
    refs = ctx.ev.cite(kl.get("evidence"))
    if not refs:
        return None
    speaker = ctx.name(kl["speaker"]) if isinstance(kl.get("speaker"), str) else None
    lead = None
    if intro:
        text = (
            ctx.say.say("key_line_intro", speaker=speaker)
            if speaker
            else ctx.say.say("key_line_intro_anon")
        )
        lead = Sentence(_cap(text), refs)
    return Block("quote", quote=Quote(lead, " ".join(str(kl["text"]).split()), speaker, refs))


def _key_line_section(ctx: _Ctx, an: dict[str, Any]) -> Section | None:
    block = _quote_block(ctx, an)
    if block is None:
        return None
    return Section("key-line", ctx.say.say("title_key_line"), [block])


def _turn_sentences(ctx: _Ctx, an: dict[str, Any]) -> list[Sentence]:
    say = ctx.say
    out: list[Sentence | None] = []
    tp = an.get("turning_point")
    beats = _beats(an)
    if isinstance(tp, dict) and tp.get("text"):
        pos = _turn_position(an, beats)
        spans = list(tp.get("evidence") or [])
        if pos is not None:
            spans = spans or [beats[pos].get("span")]
            text = say.say("turn", beat=pos + 1, text=_quoted(tp["text"], spans))
        else:
            text = say.say("turn_nobeat", text=_quoted(tp["text"], spans))
        out.append(ctx.sentence(text, spans))
    value = an.get("value")
    if isinstance(value, dict) and value.get("name"):
        charge = {"+": "plus", "-": "minus", "0": "zero"}
        start, end = value.get("start"), value.get("end")
        if start in charge and end in charge:
            name = _clause(value["name"])
            words = {k: say.say(f"charge_{v}") for k, v in charge.items()}
            slot = "value_same" if start == end else "value_change"
            text = say.say(
                slot, value=name, value_cap=_cap(name), start=words[start], end=words[end]
            )
            # The value turns over the scene: its evidence is the turn and the first and
            # last beats (what the charge in and out were read from).
            spans = list((tp or {}).get("evidence") or []) if isinstance(tp, dict) else []
            if beats:
                spans = [beats[0].get("span"), *spans, beats[-1].get("span")]
            out.append(ctx.sentence(text, spans))
    return [s for s in out if s]


def _turn_section(ctx: _Ctx, an: dict[str, Any]) -> Section | None:
    sents = _turn_sentences(ctx, an)
    if not sents:
        return None
    return Section("turn", ctx.say.say("title_turn"), [Block("para", sents)])


def _arcs_section(
    ctx: _Ctx, scene: dict[str, Any], an: dict[str, Any], chart_id: str
) -> Section | None:
    arcs = [a for a in _list(an.get("arcs")) if isinstance(a.get("character"), str)]
    if not arcs:
        return None
    beats = _beats(an)
    spans = [beats[0].get("span"), beats[-1].get("span")] if beats else _scene_evidence(scene)
    items: list[Sentence] = []
    for a in arcs:
        if a.get("start") and a.get("end"):
            start, end = _clause(a["start"]), _clause(a["end"])
            s = ctx.sentence(
                ctx.say.say_next(
                    "arc" if start.lower() != end.lower() else "arc_same",
                    name=ctx.name(a["character"]),
                    start=start,
                    end=end,
                ),
                spans,
            )
            if s:
                items.append(s)
    chart = charts.arcs_chart(
        chart_id,
        [{"name": ctx.name(a["character"]), "points": _list(a.get("points"))} for a in arcs],
    )
    blocks: list[Block] = []
    if items:
        blocks.append(Block("list", items))
    if chart is not None:
        blocks.append(Block("chart", chart=chart))
    if not blocks:
        return None
    return Section("arcs", ctx.say.say("title_arcs"), blocks)


def _outcome_sentences(ctx: _Ctx, an: dict[str, Any]) -> list[Sentence]:
    out: list[Sentence] = []
    slots = {"+": "outcome_plus", "-": "outcome_minus", "0": "outcome_zero"}
    for o in _list(an.get("outcome")):
        if not o.get("text"):
            continue
        slot = slots.get(o.get("charge"), "outcome_zero")
        spans = o.get("evidence")
        s = ctx.sentence(
            ctx.say.say_next(
                slot, name=ctx.name(o.get("character")), text=_quoted(o["text"], spans)
            ),
            spans,
        )
        if s:
            out.append(s)
    return out


def _outcome_section(ctx: _Ctx, an: dict[str, Any]) -> Section | None:
    sents = _outcome_sentences(ctx, an)
    if not sents:
        return None
    return Section("outcome", ctx.say.say("title_outcome"), [Block("para", sents)])


def _kind(r: dict[str, Any]) -> str:
    return r["kind"] if r.get("kind") in charts.KIND_COLOURS else "other"


def _basis(r: dict[str, Any]) -> str:
    return "stated" if r.get("basis") == "stated" else "implied"


def _requited(r: dict[str, Any]) -> str:
    return r["requited"] if r.get("requited") in ("yes", "no") else "unknown"


def _rel_spans(r: dict[str, Any]) -> list[Any]:
    return list(r.get("evidence") or []) + list(r.get("requited_evidence") or [])


def _quotable(spans: Iterable[Any]) -> bool:
    return any(
        isinstance(sp, dict) and isinstance(sp.get("text"), str) and sp["text"].strip()
        for sp in spans
    )


def _rel_sentence(
    ctx: _Ctx, r: dict[str, Any], mate: dict[str, Any] | None = None
) -> Sentence | None:
    """One ledger line; with ``mate`` (the same tie the other way round) one line for both:
    "A and B are friends"."""
    kind, basis = _kind(r), _basis(r)
    a, b = ctx.name(r.get("from")), ctx.name(r.get("to"))
    spans = _rel_spans(r)
    if mate is not None:
        basis = "stated" if basis == _basis(mate) == "stated" else "implied"
        text = ctx.say.say_next(f"rel_mutual_{kind}_{basis}", a=a, b=b) + "."
        spans += _rel_spans(mate)
    else:
        text = ctx.say.say_next(f"rel_{kind}_{basis}", a=a, b=b)
        if kind == "romantic":
            text += ctx.say.say_next(f"requited_{_requited(r)}")
        else:
            text += ctx.say.say("rel_plain_end")
    return ctx.sentence(text, spans)


def _ledger_rels(rels: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The relationships worth a line: with quotable evidence, and without the vague
    "other" tie when the same two people have a named one."""
    usable = [r for r in rels if _quotable(_rel_spans(r))]
    named = {frozenset((r["from"], r["to"])) for r in usable if _kind(r) != "other"}
    return [
        r for r in usable if _kind(r) != "other" or frozenset((r["from"], r["to"])) not in named
    ]


def _ledger_section(ctx: _Ctx, rels: list[dict[str, Any]], chart_id: str) -> Section | None:
    rels = _ledger_rels(rels)
    items: list[Sentence] = []
    kept: list[dict[str, Any]] = []
    done: set[int] = set()
    for i, r in enumerate(rels):
        if i in done:
            continue
        # the same tie both ways (for a romance: returned both ways) reads as one line
        j = next(
            (
                j
                for j, m in enumerate(rels)
                if j > i
                and j not in done
                and m["from"] == r["to"]
                and m["to"] == r["from"]
                and _kind(m) == _kind(r)
                and (_basis(m) == _basis(r) or _kind(r) == "romantic")
                and (_kind(r) != "romantic" or _requited(r) == _requited(m) == "yes")
            ),
            None,
        )
        s = _rel_sentence(ctx, r, rels[j] if j is not None else None)
        if s:
            items.append(s)
            kept.append(r)
            if j is not None:
                done.add(j)
                kept.append(rels[j])
    if not items:
        return None
    # the graph: one arrow per direction, the most specific kind
    best: dict[tuple[str, str], dict[str, Any]] = {}
    for r in kept:
        k = (r["from"], r["to"])
        if k not in best or KIND_RANK[_kind(r)] < KIND_RANK[_kind(best[k])]:
            best[k] = r
    edges = list(best.values())
    ids: list[str] = []
    for r in edges:
        for cid in (r["from"], r["to"]):
            if cid not in ids:
                ids.append(cid)
    degree = {cid: sum(cid in (r["from"], r["to"]) for r in edges) for cid in ids}
    ids = sorted(ids, key=lambda c: (-degree[c], ids.index(c)))[:10]
    chart = charts.graph_chart(
        chart_id,
        [{"id": cid, "name": ctx.name(cid)} for cid in ids],
        [
            {
                "from": r["from"],
                "to": r["to"],
                "from_name": ctx.name(r["from"]),
                "to_name": ctx.name(r["to"]),
                "kind": _kind(r),
                "requited": _requited(r),
                "basis": _basis(r),
            }
            for r in edges
        ],
    )
    blocks = [Block("list", items)]
    if chart is not None:
        blocks.append(Block("chart", chart=chart))
    return Section("ledger", ctx.say.say("title_ledger"), blocks)


def _rels(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        r
        for r in _list(data.get("relationships"))
        if isinstance(r.get("from"), str) and isinstance(r.get("to"), str) and r["from"] != r["to"]
    ]


def _rel_order(r: dict[str, Any]) -> tuple[int, int]:
    return (0 if r.get("kind") == "romantic" else 1, 0 if r.get("basis") == "stated" else 1)


def _scene_rels(data: dict[str, Any], scene: dict[str, Any]) -> list[dict[str, Any]]:
    ids = {c.get("id") for c in _list(scene.get("characters"))}
    span = scene.get("span") if isinstance(scene.get("span"), dict) else {}
    lo, hi = span.get("start_line"), span.get("end_line")

    def here(r: dict[str, Any]) -> bool:
        return any(
            isinstance(e, dict)
            and isinstance(lo, int)
            and isinstance(hi, int)
            and isinstance(e.get("start_line"), int)
            and lo <= e["start_line"] <= hi
            for e in r.get("evidence") or []
        )

    rels = [r for r in _rels(data) if r["from"] in ids or r["to"] in ids or here(r)]
    rels.sort(key=lambda r: (0 if here(r) else 1, *_rel_order(r)))
    return rels[:REL_MAX_SCENE]


VARIANTS = ("straight", "subverted", "parodied")


def _variant(t: dict[str, Any]) -> str:
    return t["variant"] if t.get("variant") in VARIANTS else "straight"


def _with_consent_note(ctx: _Ctx, s: Sentence, key: str, flagged: bool) -> Sentence:
    if not flagged:
        return s
    # Our own neutral wording, not the catalogue's note (which may judge).
    return Sentence(s.text + " " + _finish(ctx.say.say_next("consent_note")), s.refs)


def _trope_name(name: str) -> str:
    """A catalogue name for 'the “…” trope': without its own leading article."""
    return re.sub(r"^(?:the|a|an)\s+(?=\S)", "", _clause(name), flags=re.IGNORECASE)


def _trope_sentences(ctx: _Ctx, tropes: list[dict[str, Any]]) -> list[Sentence]:
    """One line per trope of a scene: its name (quoted: a catalogue name, not prose), how
    the scene plays it, and a neutral consent note when the catalogue flags it."""
    out: list[Sentence] = []
    for t in tropes:
        if not t.get("name"):
            continue
        key = str(t.get("id"))
        s = ctx.sentence(
            ctx.say.say_next(f"trope_{_variant(t)}", name=_trope_name(t["name"])), t.get("evidence")
        )
        if s is not None:
            out.append(_with_consent_note(ctx, s, key, t.get("consent_flag") is True))
    return out


def _tropes_section(ctx: _Ctx, tropes: list[dict[str, Any]]) -> Section | None:
    items = _trope_sentences(ctx, tropes)
    if not items:
        return None
    return Section("tropes", ctx.say.say("title_tropes"), [Block("list", items)])


def _document_tropes_section(ctx: _Ctx, scenes: list[dict[str, Any]]) -> Section | None:
    """The whole document's tropes: one line per trope and way of playing it, with the
    scenes it is seen in (every instance cited)."""
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for j, sc in enumerate(scenes):
        for t in _list(_anatomy(sc).get("tropes")):
            if not t.get("name") or not _quotable(t.get("evidence") or []):
                continue
            g = groups.setdefault(
                (str(t.get("id") or t["name"]), _variant(t)),
                {"name": _trope_name(t["name"]), "scenes": [], "spans": [], "flag": False},
            )
            number = int(sc.get("index", j)) + 1 if isinstance(sc.get("index"), int) else j + 1
            if number not in g["scenes"]:
                g["scenes"].append(number)
            g["spans"] += list(t.get("evidence") or [])
            g["flag"] |= t.get("consent_flag") is True
    items: list[Sentence] = []
    for (tid, variant), g in groups.items():
        nums = [str(n) for n in g["scenes"]]
        where = ("scene " if len(nums) == 1 else "scenes ") + _and(nums)
        key = f"{tid}:{variant}"
        s = ctx.sentence(
            ctx.say.say_next(
                "trope_doc", name=g["name"], how=ctx.say.say(f"how_{variant}"), where=where
            ),
            g["spans"],
        )
        if s is not None:
            items.append(_with_consent_note(ctx, s, key, g["flag"]))
    if not items:
        return None
    return Section("tropes", ctx.say.say("title_tropes"), [Block("list", items)])


def _watch(ctx: _Ctx, scene: dict[str, Any], video_url: str | None) -> tuple[str, str] | None:
    span = scene.get("span")
    if not video_url or not isinstance(span, dict):
        return None
    secs = parse_time(span.get("start_time"))
    if secs is None:
        return None
    label = ctx.say.say("watch", scene.get("id", ""), time=display_time(secs))
    return label, watch_url(video_url, secs)


# ----------------------------------------------------------------------------- articles


def _headline(ctx: _Ctx, scene: dict[str, Any], an: dict[str, Any], people: list[str]) -> str:
    say = ctx.say
    who = _who(ctx, people)
    value = an.get("value")
    if (
        who
        and isinstance(value, dict)
        and value.get("name")
        and value.get("start") in ("+", "-", "0")
        and value.get("end") in ("+", "-", "0")
    ):
        start, end = value["start"], value["end"]
        order = {"-": 0, "0": 1, "+": 2}
        slot = "headline_value_shift"
        if order[end] > order[start]:
            shift = say.say("shift_up")
        elif order[end] < order[start]:
            shift = say.say("shift_down")
        else:
            slot = "headline_value_same"
            shift = say.say(
                {"+": "shift_same_plus", "-": "shift_same_minus", "0": "shift_same_zero"}[start]
            )
        return say.say(slot, who=who, value=_clause(value["name"]), shift=shift)
    kl = an.get("key_line")
    if isinstance(kl, dict) and kl.get("text") and kl.get("evidence"):
        line = _short(kl["text"], 60)
        return (
            say.say("headline_key_line", who=who, line=line)
            if who
            else say.say("headline_key_line", line=line)
        )
    loc = scene.get("location")
    if who and isinstance(loc, str) and loc.strip():
        return say.say("headline_place", who=who, place=_place(loc))
    if who:
        return say.say("headline_who", who=who)
    return say.say("headline_plain", title=ctx.label, number=int(scene.get("index", 0)) + 1)


def _dek(
    ctx: _Ctx,
    scene: dict[str, Any],
    an: dict[str, Any],
    people: list[str],
    headline: str = "",
) -> Sentence | None:
    """The standfirst: the key line (unless the headline quotes it already), else the
    turn, else who is in the scene."""
    say = ctx.say
    where = ctx.where()
    kl = an.get("key_line")
    in_headline = (
        isinstance(kl, dict) and bool(kl.get("text")) and _short(kl["text"], 60) in headline
    )
    if isinstance(kl, dict) and kl.get("text") and not in_headline:
        line = _short(kl["text"])
        if line.endswith(".") and not line.endswith(".."):
            line = line[:-1]  # the sentence goes on after the quote
        if isinstance(kl.get("speaker"), str):
            text = say.say("dek_key_line", speaker=ctx.name(kl["speaker"]), line=line, where=where)
        else:
            text = say.say("dek_key_line_anon", line=line, where=where)
        s = ctx.sentence(text, kl.get("evidence"))
        if s:
            return s
    tp = an.get("turning_point")
    if isinstance(tp, dict) and tp.get("text"):
        s = ctx.sentence(
            say.say("dek_turn", text=_quoted(tp["text"], tp.get("evidence")), where=where),
            tp.get("evidence"),
        )
        if s:
            return s
    if people:
        entries = {c.get("id"): c for c in _list(scene.get("characters"))}
        spans = [sp for cid in people[:2] for sp in (entries.get(cid) or {}).get("evidence") or []]
        return ctx.sentence(
            say.say("dek_people", who=_who(ctx, people), where=where),
            spans or _scene_evidence(scene),
        )
    return None


def _slots(ctx: _Ctx) -> list[Slot]:
    return [
        Slot("quiz", ctx.say.say("slot_quiz_title"), ctx.say.say("slot_quiz_empty")),
        Slot("comments", ctx.say.say("slot_comments_title"), ctx.say.say("slot_comments_empty")),
    ]


def _seed(data: dict[str, Any]) -> str:
    """The phrasebook's seed: the document. Scenes differ by their offset (their
    position), so neighbouring scenes never share a variant of a slot that has several."""
    src = data.get("source") or {}
    return str(src.get("title") or PurePath(src.get("path") or "").name or "")


def _offset(data: dict[str, Any], scene: dict[str, Any]) -> int:
    index = scene.get("index")
    if isinstance(index, int) and not isinstance(index, bool):
        return index + 1
    scenes = _list(data.get("scenes"))
    return next((j + 1 for j, sc in enumerate(scenes) if sc is scene), 1)


def build_scene_article(
    data: dict[str, Any],
    scene: dict[str, Any],
    *,
    page_url: str | None = None,
    video_url: str | None = None,
) -> Article:
    ctx = _Ctx(data, _seed(data), _offset(data, scene))
    an = _anatomy(scene)
    people = _scene_people(ctx, scene)
    headline = _headline(ctx, scene, an, people)
    dek = _dek(ctx, scene, an, people, headline)
    sections = [
        _setup_section(ctx, scene, an),
        _cast_section(ctx, scene),
        _wants_section(ctx, an),
        _beats_section(ctx, an, "chart-tension"),
        _key_line_section(ctx, an),
        _turn_section(ctx, an),
        _arcs_section(ctx, scene, an, "chart-arcs"),
        _outcome_section(ctx, an),
        _ledger_section(ctx, _scene_rels(data, scene), "chart-graph"),
        _tropes_section(ctx, _list(an.get("tropes"))),
        _dialogue_section(
            ctx, _list(scene.get("dialogue")), _scene_evidence(scene), "chart-dialogue"
        ),
    ]
    return Article(
        headline=headline,
        dek=dek,
        spoiler=ctx.spoiler(),
        sections=[s for s in sections if s is not None],
        evidence=ctx.ev.items,
        share=share_links(page_url, headline),
        page_url=page_url,
        watch=_watch(ctx, scene, video_url),
        slots_note=ctx.say.say("slots_note"),
        source_label=str(ctx.label),
        kind="scene",
        scene_id=scene.get("id"),
        kicker=ctx.kicker(int(scene.get("index", 0)) + 1),
        slots=_slots(ctx),
    )


def _turning_points(data: dict[str, Any]) -> list[dict[str, Any]]:
    tps = data.get("turning_points")
    if isinstance(tps, dict):
        tps = tps.get("points")
    return _list(tps)


def _strip_section(ctx: _Ctx, data: dict[str, Any]) -> Section | None:
    scenes = _list(data.get("scenes"))
    if not scenes:
        return None
    pos = {s.get("id"): j for j, s in enumerate(scenes)}
    people: dict[str, dict[str, Any]] = {}
    for j, s in enumerate(scenes):
        for c in _list(s.get("characters")):
            cid = c.get("id")
            if not isinstance(cid, str):
                continue
            p = people.setdefault(cid, {"name": ctx.name(cid), "present": set(), "speaking": set()})
            (p["speaking"] if c.get("speaking") else p["present"]).add(j)
    ranked = sorted(
        people.items(),
        key=lambda kv: (-len(kv[1]["speaking"]), -len(kv[1]["present"]), kv[1]["name"]),
    )[:STRIP_PEOPLE]
    temps: list[float | None] = []
    for s in scenes:
        ts = [
            float(b["tension"])
            for b in _beats(_anatomy(s))
            if isinstance(b.get("tension"), int | float)
        ]
        temps.append(sum(ts) / len(ts) if ts else None)
    tp_rows = []
    tp_items: list[Sentence] = []
    for tp in _turning_points(data):
        j = pos.get(tp.get("scene"))
        if j is None and isinstance(tp.get("scene_index"), int):
            j = next((k for k, s in enumerate(scenes) if s.get("index") == tp["scene_index"]), None)
        if j is None:
            continue
        name = TP_NAMES.get(str(tp.get("name")), _cap(str(tp.get("name") or "").replace("_", " ")))
        number = tp.get("number") if isinstance(tp.get("number"), int) else len(tp_rows) + 1
        tp_rows.append({"number": number, "name": name, "position": j})
        heading = scenes[j].get("heading")
        s = ctx.sentence(
            ctx.say.say(
                "tp_item",
                number=number,
                name=name,
                scene=j + 1,
                heading=f" ({_clause(heading)})" if heading else "",
            ),
            tp.get("evidence") or _scene_evidence(scenes[j]),
        )
        if s:
            tp_items.append(s)
    chart = charts.strip_chart(
        "chart-strip",
        [{"number": j + 1} for j in range(len(scenes))],
        [p for _, p in ranked],
        temps,
        tp_rows,
    )
    if chart is None and not tp_items:
        return None
    blocks: list[Block] = []
    if chart is not None:
        temperature = ctx.say.say("temperature_clause") if any(t is not None for t in temps) else ""
        blocks.append(
            Block("note", [Sentence(ctx.say.say("strip_intro", temperature=temperature))])
        )
        blocks.append(Block("chart", chart=chart))
    if tp_items:
        blocks.append(Block("note", [Sentence(ctx.say.say("tp_intro"))]))
        blocks.append(Block("list", tp_items))
    return Section("strip", ctx.say.say("title_strip"), blocks)


def _cast_table(ctx: _Ctx, data: dict[str, Any]) -> Section | None:
    chars = [c for c in ctx.chars.values() if c.get("name")]
    if not chars:
        return None
    chars.sort(
        key=lambda c: (-int(c.get("lines") or 0), -len(c.get("scenes") or []), str(c["name"]))
    )
    rows: list[list[str]] = []
    refs: list[tuple[int, ...]] = []
    for c in chars[:CAST_MAX_DOC]:
        actors = _actors(c)
        rows.append(
            [
                str(c["name"]),
                _role_word(c),
                _and(actors) if actors else UNKNOWN,
                str(int(c.get("lines") or 0)),
                str(len(c.get("scenes") or [])),
            ]
        )
        refs.append(
            ctx.ev.cite(list(c.get("evidence") or []) + list(c.get("actor_evidence") or []))
        )
    table = Table(
        ctx.say.say("cast_caption_document"),
        ["Character", "Role", "Played by", "Lines", "Scenes"],
        rows,
        refs,
        numeric=(3, 4),
    )
    blocks = [Block("table", table=table)]
    dia = _dialogue_section(
        ctx,
        [{"character": c["id"], "words": c.get("words"), "lines": c.get("lines")} for c in chars],
        [],
        "chart-dialogue",
    )
    if dia is not None:
        blocks += [b for b in dia.blocks if b.kind == "chart"]
    return Section("cast", ctx.say.say("title_cast_document"), blocks)


def _value_turns(an: dict[str, Any]) -> bool:
    v = an.get("value")
    return (
        isinstance(v, dict) and v.get("start") in ("+", "-", "0") and v.get("start") != v.get("end")
    )


def _digest(
    ctx: _Ctx,
    scene: dict[str, Any],
    video_url: str | None,
    turning: str = "",
    key_only: bool = False,
) -> Section | None:
    """A scene's digest in the document article: its key line, turn, value and outcome.

    Only for a scene with more to say than a key line (a turn, a value, an outcome), or
    one of the story's turning points; with ``key_only`` (a long document) only for the
    story's turning points and the scenes that turn (a turning point, or a value that
    changes charge), so a feature film gets a readable page rather than a hundred pull
    quotes. Tropes are listed, with their scenes, in the tropes section.
    """
    an = _anatomy(scene)
    turns = isinstance(an.get("turning_point"), dict) or _value_turns(an)
    more = turns or isinstance(an.get("value"), dict) or bool(_list(an.get("outcome")))
    if not (turning or (turns if key_only else more)):
        return None
    blocks: list[Block] = []
    q = _quote_block(ctx, an, intro=False)  # first: evidence is numbered in reading order
    if q is not None:
        blocks.append(q)
    sents = _turn_sentences(ctx, an) + _outcome_sentences(ctx, an)
    if sents:
        blocks.append(Block("para", sents))
    if not blocks:
        return None
    watch = _watch(ctx, scene, video_url)
    if watch is not None:
        blocks.append(Block("watch", link=watch))
    heading = scene.get("heading")
    number = int(scene.get("index", 0)) + 1
    title = ctx.say.say(
        "scene_digest_title",
        number=number,
        heading=f": {_clause(heading)}" if heading else "",
        turning=f" ({turning})" if turning else "",
    )
    return Section(f"scene-{scene.get('id', number)}", title, blocks)


def build_document_article(
    data: dict[str, Any],
    *,
    page_url: str | None = None,
    video_url: str | None = None,
) -> Article:
    ctx = _Ctx(data, _seed(data), 0)
    scenes = _list(data.get("scenes"))
    say = ctx.say
    headline = say.say("headline_document", title=ctx.label)
    named = [c for c in ctx.chars.values() if c.get("name")]
    dek = Sentence(
        _finish(
            say.say(
                "dek_document",
                scenes=_cap(_plural(len(scenes), "scene")),
                people=_plural(len(named), "character"),
            )
        )
    )
    sections = [
        _cast_table(ctx, data),
        _strip_section(ctx, data),
        _ledger_section(ctx, sorted(_rels(data), key=_rel_order)[:REL_MAX_DOC], "chart-graph"),
        _document_tropes_section(ctx, scenes),
    ]
    turning: dict[Any, str] = {}
    for tp in _turning_points(data):
        name = TP_NAMES.get(str(tp.get("name")), str(tp.get("name") or "").replace("_", " "))
        label = ctx.say.say("tp_label", number=tp.get("number") or "", name=name.lower())
        turning[tp.get("scene")] = label
    key_only = len(scenes) > DIGEST_ALL_MAX
    digests = [
        d
        for d in (
            _digest(ctx, s, video_url, turning.get(s.get("id"), ""), key_only) for s in scenes
        )
        if d is not None
    ]
    if digests:
        title = say.say("title_key_scenes" if key_only else "title_scenes")
        sections.append(Section("scenes", title, subsections=digests))
    return Article(
        headline=headline,
        dek=dek,
        spoiler=ctx.spoiler(),
        sections=[s for s in sections if s is not None],
        evidence=ctx.ev.items,
        share=share_links(page_url, headline),
        page_url=page_url,
        watch=None,
        slots_note=say.say("slots_note"),
        source_label=str(ctx.label),
        kind="document",
        kicker=ctx.kicker(None),
        slots=_slots(ctx),
    )


def build_article(
    data: dict[str, Any],
    scene: int | str | None = None,
    *,
    page_url: str | None = None,
    video_url: str | None = None,
) -> Article:
    """The article for ``scene`` (1-based number or id), or for the whole document.

    Without ``scene`` a one-scene document gets the scene article.
    """
    scenes = _list(data.get("scenes"))
    if scene is None and len(scenes) == 1:
        scene = 1
    if scene is None:
        return build_document_article(data, page_url=page_url, video_url=video_url)
    return build_scene_article(
        data, find_scene(data, scene), page_url=page_url, video_url=video_url
    )


def chart_list(article: Article) -> list[Chart]:
    return article.charts()
