"""The conversation graph and its statistics: who speaks, how much, to whom, where, how fast.

``annotate_conversation(doc)`` is the last "who is who" stage (see :mod:`sceneanatomy.pipeline`):
it reads the characters (:mod:`.characters`), the speaker and addressee of every spoken
line (``Element.speaker_id`` / ``addressee_id`` and their ``attribution``, from
:mod:`.attribution` and :mod:`.addressee`), the scene headings and the spans, and writes
``doc.attrs["conversation"]``, the JSON-ready dict of :func:`conversation_stats`. It
changes nothing else. Structural figures (length in pages or time, words, locations,
INT/EXT, day/night) come from :func:`sceneanatomy.analysis.stats.compute_stats`; page
lengths from :mod:`.pages`.

What it covers (the statistics of screenplay tools such as afterwriting and KIT
Scenarist, on resolved characters instead of cue spellings):

- **per character**: spoken lines and words, share of the spoken words, lines stated by
  the source (cues, speaker labels) and inferred (attribution rules), average and longest
  line, speaking time (timed sources: the lines' own durations; screenplays: the printed
  lines of their dialogue at a page a minute), scenes speaking and non-speaking, first and
  last appearance (scene and the span of the first / last mention or line), the characters
  they speak to most;
- **who speaks to whom**: one directed edge per (speaker, addressee) with lines, words,
  the mean addressee confidence and the ids of the lines (the evidence);
- **co-presence**: every pair of characters present in the same scene (named, addressed
  or speaking there), with the number of such scenes, how many of them both speak in,
  and the scene ids;
- **scenes**: heading, location, INT/EXT, day/night, length (eighths of a page or
  seconds), words, spoken lines and words, dialogue share, speakers, present and
  non-speaking characters, turns, speaker switches, switch rate, words per line, and
  tempo (spoken lines per page or per minute);
- **locations**: scenes, total length and the characters seen there; **INT/EXT** and
  **day/night** counts; the document's **length**;
- **tempo** of the whole document: lines per page / per minute, words per line, switch
  rate, scene length (mean, median, longest, shortest), and per scene its lines per page
  or minute against the document's (``pace``: above 1 is faster than average).

A *spoken line* is a dialogue, lyric or subtitle element. Its speaker is ``speaker_id``;
a group cue ("JUNO AND LEAH") counts for each character it names
(``attrs["speaker_ids"]``). ``share`` is a character's words over all words of lines with
a known speaker (a group line counted once), so shares sum to 1 unless group lines exist.
Words are counted as :func:`.stats.count_words` counts them (a CJK character is a word).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from ..headings import day_night
from ..model import Document, Element, Scene, Span
from .pages import LINES_PER_PAGE, element_lines
from .stats import SPOKEN, compute_stats, count_words, document_kind

SCHEMA = "scene-anatomy-conversation/1"
# Rules by which the source itself states the speaker (the rest are inferred).
STATED_RULES = frozenset({"cue", "subtitle-speaker", "group-cue"})
TOP_PARTNERS = 3


def line_id(scene: Scene, position: int) -> str:
    """The id of the element at ``position`` (0-based) of ``scene``: ``s3:12``."""
    return f"{scene.id}:{position + 1}"


@dataclass(slots=True)
class SpokenLine:
    """A spoken line with its scene, position, speakers and word count."""

    id: str
    scene: Scene
    position: int
    element: Element
    speakers: tuple[str, ...]  # character ids (several for a group cue), () when unknown
    words: int

    @property
    def addressee(self) -> str | None:
        return self.element.addressee_id


def spoken_lines(doc: Document) -> list[SpokenLine]:
    """Every spoken line of ``doc`` in order, with the characters who say it."""
    out: list[SpokenLine] = []
    for scene in doc.scenes:
        for i, el in enumerate(scene.elements):
            if el.kind not in SPOKEN:
                continue
            if el.speaker_id:
                speakers: tuple[str, ...] = (el.speaker_id,)
            else:
                speakers = tuple(el.attrs.get("speaker_ids", ()))
            out.append(SpokenLine(line_id(scene, i), scene, i, el, speakers, count_words(el.text)))
    return out


def annotate_conversation(doc: Document) -> Document:
    """The stage: ``doc.attrs["conversation"] = conversation_stats(doc)``.

    The characters stage counted each character's lines and words from the speakers the
    source states; the speakers the later stages inferred (prose quotes, unlabeled
    subtitles) are known only now, so each character's ``lines``, ``words`` and speaking
    scenes are brought up to date from the same counts (the conversation's
    ``lines_inferred`` says how many were inferred): ``characters`` and the conversation
    never disagree.
    """
    stats = doc.attrs["conversation"] = conversation_stats(doc)
    rows = {r["id"]: r for r in stats["characters"]}
    order = {s.id: i for i, s in enumerate(doc.scenes)}
    for c in doc.characters:
        r = rows.get(c.id)
        if r is None or not r["lines_inferred"]:
            continue
        a = c.attrs
        a["lines"], a["words"] = r["lines"], r["words"]
        speaking = set(a.get("scenes_speaking", ())) | set(r["scene_ids_speaking"])
        a["scenes_speaking"] = sorted(speaking, key=order.__getitem__)
        scenes = sorted(set(a.get("scenes", ())) | speaking, key=order.__getitem__)
        a["scenes"] = a["scenes_present"] = scenes
        a["first_scene"] = scenes[0] if scenes else None
        a["last_scene"] = scenes[-1] if scenes else None
    return doc


# --- the statistics -------------------------------------------------------------------------


def conversation_stats(doc: Document) -> dict[str, Any]:
    """The conversation graph and statistics of ``doc`` as a JSON-ready dict."""
    src = doc.source_text
    st = compute_stats(doc)
    kind = document_kind(doc)
    lines = spoken_lines(doc)
    names = {c.id: c.name for c in doc.characters}
    known = [ln for ln in lines if ln.speakers]
    total_words = sum(ln.words for ln in known)

    # per scene: who speaks, who is there
    speaking: dict[int, set[str]] = defaultdict(set)
    present: dict[int, set[str]] = defaultdict(set)
    for c in doc.characters:
        for sid in c.attrs.get("scenes_present", []):
            idx = _scene_index(sid)
            if idx is not None:
                present[idx].add(c.id)
    for ln in known:
        for cid in ln.speakers:
            speaking[ln.scene.index].add(cid)
            present[ln.scene.index].add(cid)

    scene_rows = _scene_rows(doc, st, kind, lines, speaking, present)
    tempo = _tempo(kind, scene_rows, lines)
    pace_base = tempo.get("lines_per_page") or tempo.get("lines_per_minute")
    for row in scene_rows:
        rate = row["tempo"].get("lines_per_page", row["tempo"].get("lines_per_minute"))
        row["tempo"]["pace"] = round(rate / pace_base, 3) if rate and pace_base else None

    edges = _talks_to(known)
    return {
        "schema": SCHEMA,
        "kind": kind,
        "totals": {
            "scenes": len(doc.scenes),
            "words": st["words"],
            "spoken_lines": len(lines),
            "spoken_words": sum(ln.words for ln in lines),
            "lines_with_speaker": len(known),
            "lines_stated": sum(1 for ln in known if _stated(ln.element)),
            "lines_inferred": sum(1 for ln in known if not _stated(ln.element)),
            "lines_without_speaker": len(lines) - len(known),
            "lines_with_addressee": sum(1 for ln in lines if ln.addressee),
            "speaking_characters": len({c for ln in known for c in ln.speakers}),
            "characters": len(doc.characters),
            "dialogue_share": round(sum(ln.words for ln in lines) / st["words"], 4)
            if st["words"]
            else None,
        },
        "length": st["length"],
        "characters": _character_rows(doc, lines, known, total_words, edges, present, src, kind),
        "talks_to": [
            {
                "from": a,
                "to": b,
                "from_name": names.get(a, a),
                "to_name": names.get(b, b),
                **v,
            }
            for (a, b), v in sorted(edges.items(), key=lambda kv: (-kv[1]["lines"], kv[0]))
        ],
        "co_presence": _co_presence(present, speaking, doc),
        "scenes": scene_rows,
        "locations": _location_rows(doc, st, scene_rows, present),
        "int_ext": st["int_ext"],
        "day_night": st["day_night"],
        "tempo": tempo,
    }


def _stated(el: Element) -> bool:
    att = el.attribution
    return att is None or att.speaker_rule is None or att.speaker_rule in STATED_RULES


def _scene_index(scene_id: str) -> int | None:
    if scene_id.startswith("s") and scene_id[1:].isdigit():
        return int(scene_id[1:]) - 1
    return None


def _speech_seconds(lines: Iterable[SpokenLine], kind: str) -> float | None:
    """Speaking time: timed → the lines' durations; screenplay → page-a-minute estimate."""
    if kind == "timed":
        total = 0.0
        seen = False
        for ln in lines:
            s = ln.element.span
            if s.start_time is not None and s.end_time is not None:
                total += max(0.0, s.end_time - s.start_time)
                seen = True
        return round(total, 3) if seen else None
    if kind == "screenplay":
        printed = sum(element_lines(ln.element) for ln in lines)
        return round(printed / LINES_PER_PAGE * 60, 1)
    return None


def _character_rows(
    doc: Document,
    lines: list[SpokenLine],
    known: list[SpokenLine],
    total_words: int,
    edges: dict[tuple[str, str], dict[str, Any]],
    present: dict[int, set[str]],
    src: str,
    kind: str,
) -> list[dict[str, Any]]:
    by_char: dict[str, list[SpokenLine]] = defaultdict(list)
    for ln in known:
        for cid in ln.speakers:
            by_char[cid].append(ln)
    # each character's scenes and partners in one pass (not one pass per character)
    scenes_of: dict[str, list[int]] = defaultdict(list)
    for i, ids in present.items():
        for cid in ids:
            scenes_of[cid].append(i)
    partners_of: dict[str, dict[str, int]] = defaultdict(dict)
    for (a, b), v in edges.items():
        partners_of[a][b] = v["lines"]
    rows: list[dict[str, Any]] = []
    for c in doc.characters:
        mine = by_char.get(c.id, [])
        words = sum(ln.words for ln in mine)
        speaking = sorted({ln.scene.index for ln in mine})
        scenes = sorted(scenes_of.get(c.id, ()))
        speaking_set = set(speaking)
        non_speaking = [i for i in scenes if i not in speaking_set]
        first, last = _first_last(c.mentions, mine, set(scenes), src)
        partners = Counter(partners_of.get(c.id, {}))
        rows.append(
            {
                "id": c.id,
                "name": c.name,
                "role": c.role,
                "lines": len(mine),
                "words": words,
                "share": round(words / total_words, 4) if total_words else 0.0,
                "lines_stated": sum(1 for ln in mine if _stated(ln.element)),
                "lines_inferred": sum(1 for ln in mine if not _stated(ln.element)),
                "words_per_line": round(words / len(mine), 2) if mine else None,
                "longest_line_words": max((ln.words for ln in mine), default=0),
                "speech_seconds": _speech_seconds(mine, kind) if mine else None,
                "scenes": len(scenes),
                "scenes_speaking": len(speaking),
                "scenes_non_speaking": len(non_speaking),
                "scene_ids_speaking": [doc.scenes[i].id for i in speaking],
                "scene_ids_non_speaking": [doc.scenes[i].id for i in non_speaking],
                "first_scene": doc.scenes[scenes[0]].id if scenes else None,
                "last_scene": doc.scenes[scenes[-1]].id if scenes else None,
                "first_appearance": first,
                "last_appearance": last,
                "speaks_to": [
                    {"id": b, "lines": n}
                    for b, n in sorted(partners.items(), key=lambda kv: (-kv[1], kv[0]))[
                        :TOP_PARTNERS
                    ]
                ],
            }
        )
    rows.sort(key=lambda r: (-r["words"], -r["lines"], -r["scenes"], r["id"]))
    return rows


def _first_last(
    mentions: Iterable[Any], mine: list[SpokenLine], scenes: set[int], src: str
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The first and last place the character shows up: a mention or a line, in a scene
    where they are present (being talked about elsewhere is not an appearance)."""
    points: list[tuple[int, int, Span]] = []
    for m in mentions:
        if m.scene_index in scenes and m.kind != "actor":
            points.append((m.span.start_char, m.scene_index, m.span))
    for ln in mine:
        points.append((ln.element.span.start_char, ln.scene.index, ln.element.span))
    if not points:
        return None, None
    first = min(points, key=lambda p: p[0])
    last = max(points, key=lambda p: p[0])
    return (
        {"scene": f"s{first[1] + 1}", "span": first[2].to_dict(src)},
        {"scene": f"s{last[1] + 1}", "span": last[2].to_dict(src)},
    )


def _talks_to(known: list[SpokenLine]) -> dict[tuple[str, str], dict[str, Any]]:
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    conf: dict[tuple[str, str], list[float]] = defaultdict(list)
    for ln in known:
        to = ln.addressee
        if not to:
            continue
        for cid in ln.speakers:
            if cid == to:
                continue
            e = edges.setdefault((cid, to), {"lines": 0, "words": 0, "line_ids": []})
            e["lines"] += 1
            e["words"] += ln.words
            e["line_ids"].append(ln.id)
            att = ln.element.attribution
            if att is not None and att.addressee_confidence is not None:
                conf[(cid, to)].append(att.addressee_confidence)
    for k, e in edges.items():
        cs = conf.get(k)
        e["confidence"] = round(sum(cs) / len(cs), 3) if cs else None
    return edges


def _co_presence(
    present: dict[int, set[str]], speaking: dict[int, set[str]], doc: Document
) -> list[dict[str, Any]]:
    order = {c.id: i for i, c in enumerate(doc.characters)}
    pairs: dict[tuple[str, str], list[int]] = defaultdict(list)
    both: Counter[tuple[str, str]] = Counter()
    for idx in sorted(present):
        ids = sorted(present[idx], key=lambda x: order.get(x, len(order)))
        talking = speaking.get(idx, set())
        for a, b in combinations(ids, 2):
            pairs[(a, b)].append(idx)
            if a in talking and b in talking:
                both[(a, b)] += 1
    rows = [
        {
            "a": a,
            "b": b,
            "scenes": len(idxs),
            "both_speaking": both[(a, b)],
            "scene_ids": [doc.scenes[i].id for i in idxs],
        }
        for (a, b), idxs in pairs.items()
    ]
    rows.sort(key=lambda r: (-r["scenes"], -r["both_speaking"], r["a"], r["b"]))
    return rows


def _scene_rows(
    doc: Document,
    st: dict[str, Any],
    kind: str,
    lines: list[SpokenLine],
    speaking: dict[int, set[str]],
    present: dict[int, set[str]],
) -> list[dict[str, Any]]:
    by_scene: dict[int, list[SpokenLine]] = defaultdict(list)
    for ln in lines:
        by_scene[ln.scene.index].append(ln)
    order = {c.id: i for i, c in enumerate(doc.characters)}
    rows: list[dict[str, Any]] = []
    for scene, srow in zip(doc.scenes, st["scene_table"], strict=True):
        mine = by_scene.get(scene.index, [])
        turns, switches = _turns(mine)
        spoken_words = sum(ln.words for ln in mine)
        here = sorted(present.get(scene.index, set()), key=lambda x: order.get(x, len(order)))
        talking = speaking.get(scene.index, set())
        length: dict[str, Any]
        tempo: dict[str, Any] = {}
        if kind == "screenplay":
            length = {"eighths": srow["eighths"], "pages": srow["pages"], "basis": srow["basis"]}
            if srow["eighths"]:
                tempo["lines_per_page"] = round(len(mine) / (srow["eighths"] / 8), 2)
        elif kind == "timed":
            length = {"seconds": srow["seconds"], "duration": srow["duration"]}
            if srow["seconds"]:
                tempo["lines_per_minute"] = round(len(mine) / (srow["seconds"] / 60), 2)
        else:
            length = {"words": srow["words"]}
        tempo["words_per_line"] = round(spoken_words / len(mine), 2) if mine else None
        tempo["switch_rate"] = round(switches / (len(mine) - 1), 3) if len(mine) > 1 else None
        rows.append(
            {
                "id": scene.id,
                "heading": scene.heading,
                "location": scene.location,
                "int_ext": scene.int_ext,
                "time_of_day": scene.time_of_day,
                "day_night": _day_night(scene),
                "length": length,
                "words": srow["words"],
                "spoken_lines": len(mine),
                "spoken_words": spoken_words,
                "dialogue_share": round(spoken_words / srow["words"], 4) if srow["words"] else None,
                "speakers": [x for x in here if x in talking],
                "present": here,
                "non_speaking": [x for x in here if x not in talking],
                "turns": turns,
                "switches": switches,
                "tempo": tempo,
            }
        )
    return rows


def _day_night(scene: Scene) -> str:
    if scene.time_of_day is None:
        return "unknown"
    return day_night(scene.time_of_day) or "other"


def _turns(lines: list[SpokenLine]) -> tuple[int, int]:
    """(turns, speaker switches): a turn is a run of lines by the same speaker(s)."""
    turns = switches = 0
    prev: tuple[str, ...] | None = None
    for ln in lines:
        who = ln.speakers or (f"?{ln.element.speaker or ''}",)
        if who != prev:
            turns += 1
            if prev is not None:
                switches += 1
            prev = who
    return turns, switches


def _tempo(kind: str, scenes: list[dict[str, Any]], lines: list[SpokenLine]) -> dict[str, Any]:
    n = len(lines)
    words = sum(ln.words for ln in lines)
    switches = sum(r["switches"] for r in scenes)
    pairs = sum(max(0, r["spoken_lines"] - 1) for r in scenes)
    out: dict[str, Any] = {
        "words_per_line": round(words / n, 2) if n else None,
        "switch_rate": round(switches / pairs, 3) if pairs else None,
    }
    if kind == "screenplay":
        sizes = [r["length"]["eighths"] for r in scenes]
        total = sum(sizes)
        out["lines_per_page"] = round(n / (total / 8), 2) if total else None
        out["scene_eighths"] = _spread(sizes, scenes)
    elif kind == "timed":
        sizes = [r["length"]["seconds"] or 0.0 for r in scenes]
        total = sum(sizes)
        out["lines_per_minute"] = round(n / (total / 60), 2) if total else None
        out["scene_seconds"] = _spread(sizes, scenes)
    else:
        out["scene_words"] = _spread([r["words"] for r in scenes], scenes)
    return out


def _spread(sizes: list[Any], scenes: list[dict[str, Any]]) -> dict[str, Any] | None:
    if not sizes:
        return None
    longest = max(range(len(sizes)), key=lambda i: (sizes[i], -i))
    shortest = min(range(len(sizes)), key=lambda i: (sizes[i], i))
    return {
        "mean": round(statistics.fmean(sizes), 3),
        "median": statistics.median(sizes),
        "longest": {"scene": scenes[longest]["id"], "size": sizes[longest]},
        "shortest": {"scene": scenes[shortest]["id"], "size": sizes[shortest]},
    }


def _location_rows(
    doc: Document,
    st: dict[str, Any],
    scene_rows: list[dict[str, Any]],
    present: dict[int, set[str]],
) -> list[dict[str, Any]]:
    """Per location (stats.py's rows, same names and counts): length and who is seen there."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for scene in doc.scenes:
        if scene.location:
            by_key[_location_key(scene.location)].append(scene.index)
    rows: list[dict[str, Any]] = []
    for loc in st["locations"]:
        idxs = by_key.get(_location_key(loc["name"]), [])
        seen: Counter[str] = Counter(cid for i in idxs for cid in present.get(i, ()))
        row: dict[str, Any] = {"name": loc["name"], "scenes": loc["scenes"]}
        lengths = [scene_rows[i]["length"] for i in idxs]
        if lengths and "eighths" in lengths[0]:
            row["eighths"] = sum(x["eighths"] for x in lengths)
        elif lengths and "seconds" in lengths[0]:
            row["seconds"] = round(sum(x["seconds"] or 0.0 for x in lengths), 3)
        row["int_ext"] = sorted({doc.scenes[i].int_ext or "unknown" for i in idxs})
        row["characters"] = [
            {"id": cid, "scenes": n}
            for cid, n in sorted(seen.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        row["scene_ids"] = [doc.scenes[i].id for i in idxs]
        rows.append(row)
    return rows


def _location_key(name: str) -> str:
    # the same merging as stats.py's location counts: whitespace collapsed, case folded
    return " ".join(name.split()).casefold()


__all__ = [
    "SCHEMA",
    "STATED_RULES",
    "SpokenLine",
    "annotate_conversation",
    "conversation_stats",
    "line_id",
    "spoken_lines",
]
