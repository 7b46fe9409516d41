"""Build the :class:`~.model.Article` from an anatomy dict (schema "scene-anatomy/1").

Reads only the contract's JSON (plus the keys it may add: ``scenes[].dialogue``,
``scenes[].characters[].evidence``, ``characters[].evidence``, ``turning_points``,
``relationships[].subtype``, ``tropes[].consent_note``). A section whose data is absent is
left out; a claim whose evidence is absent is not printed. Words come from
``templates/phrases.yaml`` through :class:`~.phrasing.Phrasebook`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import PurePath
from typing import Any

from . import charts
from .furniture import display_time, parse_time, share_links, watch_url
from .model import Article, Block, Chart, Evidence, Quote, Section, Sentence, Table
from .phrasing import Phrasebook

__all__ = ["EvidenceBook", "build_article", "find_scene"]

QUOTE_MAX = 400
LINE_MAX = 90
REL_MAX_SCENE = 8
REL_MAX_DOC = 24
CAST_MAX_DOC = 15
STRIP_PEOPLE = 12
TP_NAMES = {
    "opportunity": "Opportunity",
    "change_of_plans": "Change of plans",
    "point_of_no_return": "Point of no return",
    "major_setback": "Major setback",
    "climax": "Climax",
}
BEAT_FUNCTIONS = ("setup", "complication", "escalation", "turn", "climax", "resolution")


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


def _place(location: str) -> str:
    loc = " ".join(location.split())
    return loc.title() if loc.isupper() else loc


def _and(names: Sequence[str]) -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


class EvidenceBook:
    """Numbers the quoted source passages in order of first citation (``ev-1``, ...)."""

    def __init__(self) -> None:
        self.items: list[Evidence] = []
        self._keys: dict[tuple[Any, ...], int] = {}

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

    def __init__(self, data: dict[str, Any], seed: str) -> None:
        self.data = data
        self.chars: dict[str, dict[str, Any]] = {
            c["id"]: c for c in data.get("characters") or [] if isinstance(c, dict) and "id" in c
        }
        self.ev = EvidenceBook()
        self.say = Phrasebook(seed)
        src = data.get("source") or {}
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
        sents.append(
            ctx.sentence(say.say("setup_story", text=_clause(setup["text"])), setup.get("evidence"))
        )
    loc = scene.get("location")
    heading = _heading_span(scene)
    if isinstance(loc, str) and loc.strip() and heading is not None:
        place = _place(loc)
        time = scene.get("time_of_day")
        time = time.lower() if isinstance(time, str) and time.strip() else None
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


def _cast_section(ctx: _Ctx, scene: dict[str, Any]) -> Section | None:
    say = ctx.say
    items: list[Sentence] = []
    entries = {c["id"]: c for c in _list(scene.get("characters")) if isinstance(c.get("id"), str)}
    for cid in _scene_people(ctx, scene):
        entry = entries.get(cid)
        if entry is None:
            continue
        ch = ctx.chars.get(cid, {})
        name = ctx.name(cid)
        actors = [a for a in ch.get("actors") or [] if isinstance(a, str)]
        role = ch.get("role") if isinstance(ch.get("role"), str) else "unknown"
        role_slot = f"role_{role}"
        role_word = say.say(role_slot, cid) if role != "unknown" and say.has(role_slot) else None
        if actors and role_word:
            text = say.say("cast_actor_role", cid, name=name, actors=_and(actors), role=role_word)
        elif actors:
            text = say.say("cast_actor", cid, name=name, actors=_and(actors))
        elif role_word:
            text = say.say("cast_role", cid, name=name, role=role_word)
        elif entry.get("speaking"):
            text = say.say("cast_speaking", cid, name=name)
        else:
            text = say.say("cast_silent", cid, name=name)
        spans = list(entry.get("evidence") or [])
        if actors:
            spans += list(ch.get("actor_evidence") or [])
        s = ctx.sentence(text, spans or _scene_evidence(scene))
        if s:
            items.append(s)
    if not items:
        return None
    return Section("cast", say.say("title_cast"), [Block("list", items)])


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
    top = max(named, key=lambda r: r["words"])
    if len([r for r in named if r["words"] > 0]) > 1:
        s = ctx.sentence(
            ctx.say.say(
                "dialogue_top", name=top["name"], share=f"{round(100 * top['words'] / total)}%"
            ),
            spans,
        )
        if s:
            blocks.insert(0, Block("para", [s]))
    return Section("dialogue", ctx.say.say(title_slot), blocks)


def _wants_section(ctx: _Ctx, an: dict[str, Any]) -> Section | None:
    items: list[Sentence] = []
    for i, w in enumerate(_list(an.get("wants"))):
        if not w.get("want"):
            continue
        name = ctx.name(w.get("character"))
        text = _finish(ctx.say.say("want", str(i), name=name, want=_clause(w["want"])))
        if w.get("achieved") is True:
            text += " " + ctx.say.say("want_yes", str(i), name=name)
        elif w.get("achieved") is False:
            text += " " + ctx.say.say("want_no", str(i), name=name)
        s = ctx.sentence(text, w.get("evidence"))
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
        s = ctx.sentence(
            ctx.say.say(f"beat_{fn}", str(i), summary=_clause(b["summary"])), [b.get("span")]
        )
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
            text = say.say("turn", beat=pos + 1, text=_clause(tp["text"]))
            spans = spans or [beats[pos].get("span")]
        else:
            text = say.say("turn_nobeat", text=_clause(tp["text"]))
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
            s = ctx.sentence(
                ctx.say.say(
                    "arc",
                    a["character"],
                    name=ctx.name(a["character"]),
                    start=_clause(a["start"]),
                    end=_clause(a["end"]),
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
    for i, o in enumerate(_list(an.get("outcome"))):
        if not o.get("text"):
            continue
        slot = slots.get(o.get("charge"), "outcome_zero")
        s = ctx.sentence(
            ctx.say.say(slot, str(i), name=ctx.name(o.get("character")), text=_clause(o["text"])),
            o.get("evidence"),
        )
        if s:
            out.append(s)
    return out


def _outcome_section(ctx: _Ctx, an: dict[str, Any]) -> Section | None:
    sents = _outcome_sentences(ctx, an)
    if not sents:
        return None
    return Section("outcome", ctx.say.say("title_outcome"), [Block("para", sents)])


def _rel_sentence(ctx: _Ctx, r: dict[str, Any], i: int) -> Sentence | None:
    kind = r.get("kind") if r.get("kind") in charts.KIND_COLOURS else "other"
    basis = "stated" if r.get("basis") == "stated" else "implied"
    key = f"{r.get('from')}>{r.get('to')}:{i}"
    text = ctx.say.say(
        f"rel_{kind}_{basis}", key, a=ctx.name(r.get("from")), b=ctx.name(r.get("to"))
    )
    if kind == "romantic":
        req = r.get("requited") if r.get("requited") in ("yes", "no") else "unknown"
        text += ctx.say.say(f"requited_{req}", key)
    else:
        text += ctx.say.say("rel_plain_end")
    spans = list(r.get("evidence") or []) + list(r.get("requited_evidence") or [])
    return ctx.sentence(text, spans)


def _ledger_section(ctx: _Ctx, rels: list[dict[str, Any]], chart_id: str) -> Section | None:
    items: list[Sentence] = []
    kept: list[dict[str, Any]] = []
    for i, r in enumerate(rels):
        s = _rel_sentence(ctx, r, i)
        if s:
            items.append(s)
            kept.append(r)
    if not items:
        return None
    ids: list[str] = []
    for r in kept:
        for cid in (r["from"], r["to"]):
            if cid not in ids:
                ids.append(cid)
    degree = {cid: sum(cid in (r["from"], r["to"]) for r in kept) for cid in ids}
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
                "kind": r.get("kind", "other"),
                "requited": r.get("requited", "unknown"),
                "basis": r.get("basis", "implied"),
            }
            for r in kept
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


def _trope_sentences(ctx: _Ctx, tropes: list[dict[str, Any]]) -> list[Sentence]:
    out: list[Sentence] = []
    for t in tropes:
        if not t.get("name"):
            continue
        variant = (
            t.get("variant")
            if t.get("variant") in ("straight", "subverted", "parodied")
            else "straight"
        )
        name = _clause(t["name"])
        s = ctx.sentence(
            ctx.say.say(f"trope_{variant}", str(t.get("id")), name=name, name_cap=_cap(name)),
            t.get("evidence"),
        )
        if s is None:
            continue
        text = s.text
        if t.get("consent_flag") is True:
            # Our own neutral wording, not the catalogue's note (which may judge).
            text += " " + _finish(ctx.say.say("consent_note", str(t.get("id"))))
        out.append(Sentence(text, s.refs))
    return out


def _tropes_section(ctx: _Ctx, tropes: list[dict[str, Any]]) -> Section | None:
    items = _trope_sentences(ctx, tropes)
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
        if order[end] > order[start]:
            shift = say.say("shift_up")
        elif order[end] < order[start]:
            shift = say.say("shift_down")
        else:
            shift = say.say(
                {"+": "shift_same_plus", "-": "shift_same_minus", "0": "shift_same_zero"}[start]
            )
        return say.say("headline_value_shift", who=who, value=_clause(value["name"]), shift=shift)
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
    ctx: _Ctx, scene: dict[str, Any], an: dict[str, Any], people: list[str]
) -> Sentence | None:
    say = ctx.say
    where = ctx.where()
    kl = an.get("key_line")
    if isinstance(kl, dict) and kl.get("text"):
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
            say.say("dek_turn", text=_clause(tp["text"]), where=where), tp.get("evidence")
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


def _seed(data: dict[str, Any], scene_id: str | None) -> str:
    src = data.get("source") or {}
    base = src.get("title") or PurePath(src.get("path") or "").name or ""
    return f"{base}\x1e{scene_id or 'document'}"


def build_scene_article(
    data: dict[str, Any],
    scene: dict[str, Any],
    *,
    page_url: str | None = None,
    video_url: str | None = None,
) -> Article:
    ctx = _Ctx(data, _seed(data, scene.get("id")))
    an = _anatomy(scene)
    people = _scene_people(ctx, scene)
    headline = _headline(ctx, scene, an, people)
    dek = _dek(ctx, scene, an, people)
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
                str(number),
                name=f"{number}. {name}",
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
        blocks.append(Block("olist", tp_items, labels=[""] * len(tp_items)))
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
        role = c.get("role") if c.get("role") not in (None, "unknown") else ""
        rows.append(
            [
                str(c["name"]),
                _and([a for a in c.get("actors") or [] if isinstance(a, str)]),
                str(role).replace("-", " "),
                str(int(c.get("lines") or 0)),
                str(len(c.get("scenes") or [])),
            ]
        )
        refs.append(ctx.ev.cite(c.get("evidence")))
    table = Table(
        "Characters by spoken lines",
        ["Character", "Played by", "Role", "Lines", "Scenes"],
        rows,
        refs,
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


def _digest(ctx: _Ctx, scene: dict[str, Any], video_url: str | None) -> Section | None:
    an = _anatomy(scene)
    blocks: list[Block] = []
    q = _quote_block(ctx, an, intro=False)
    if q is not None:
        blocks.append(q)
    sents = _turn_sentences(ctx, an) + _outcome_sentences(ctx, an)
    if sents:
        blocks.append(Block("para", sents))
    tropes = _trope_sentences(ctx, _list(an.get("tropes")))
    if tropes:
        blocks.append(Block("list", tropes))
    if not blocks:
        return None
    watch = _watch(ctx, scene, video_url)
    if watch is not None:
        blocks.append(Block("watch", link=watch))
    heading = scene.get("heading")
    number = int(scene.get("index", 0)) + 1
    title = ctx.say.say(
        "scene_digest_title", number=number, heading=f": {_clause(heading)}" if heading else ""
    )
    return Section(f"scene-{scene.get('id', number)}", title, blocks)


def build_document_article(
    data: dict[str, Any],
    *,
    page_url: str | None = None,
    video_url: str | None = None,
) -> Article:
    ctx = _Ctx(data, _seed(data, None))
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
    all_tropes = [t for s in scenes for t in _list(_anatomy(s).get("tropes"))]
    sections = [
        _cast_table(ctx, data),
        _strip_section(ctx, data),
        _ledger_section(ctx, sorted(_rels(data), key=_rel_order)[:REL_MAX_DOC], "chart-graph"),
        _tropes_section(ctx, all_tropes),
    ]
    digests = [d for d in (_digest(ctx, s, video_url) for s in scenes) if d is not None]
    if digests:
        sections.append(Section("scenes", say.say("title_scenes"), subsections=digests))
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
