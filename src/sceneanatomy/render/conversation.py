"""Spoken lines with their speaker / addressee evidence, and the conversation statistics.

Reads only the model after the "who is who" stages (:func:`sceneanatomy.pipeline.who_is_who`):
``Element.speaker_id`` / ``addressee_id`` / ``attribution``, ``doc.attrs["dialogue_refs"]``
and ``doc.attrs["conversation"]`` (:mod:`sceneanatomy.analysis.conversation`).
"""

from __future__ import annotations

from typing import Any

from ..analysis.conversation import spoken_lines
from ..model import Document


def lines_list(doc: Document) -> list[dict[str, Any]]:
    """One entry per spoken line: who says it, to whom, by which rule, on what evidence."""
    src = doc.source_text
    refs_by_el: dict[int, list[Any]] = {}
    for r in doc.attrs.get("dialogue_refs") or []:
        refs_by_el.setdefault(id(r.element), []).append(r)
    out: list[dict[str, Any]] = []
    for ln in spoken_lines(doc):
        el = ln.element
        att = el.attribution
        row: dict[str, Any] = {
            "id": ln.id,
            "scene": ln.scene.id,
            "kind": el.kind.value,
            "text": el.text,
            "speaker": el.speaker,
            "speaker_id": el.speaker_id,
            "speaker_rule": att.speaker_rule if att else None,
            "speaker_confidence": att.speaker_confidence if att else None,
            "addressee_id": el.addressee_id,
            "addressee_rule": att.addressee_rule if att else None,
            "addressee_confidence": att.addressee_confidence if att else None,
            "words": ln.words,
            "evidence": [s.to_dict(src) for s in att.evidence] if att else [],
            "references": [
                {
                    "surface": r.mention.surface,
                    "kind": r.mention.kind,
                    "character_id": r.mention.character_id,
                    "rule": r.rule,
                    "confidence": r.mention.confidence,
                    "span": r.mention.span.to_dict(src),
                }
                for r in refs_by_el.get(id(el), [])
            ],
            "span": el.span.to_dict(src),
        }
        if len(ln.speakers) > 1:
            row["speaker_ids"] = list(ln.speakers)
        out.append(row)
    return out


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]], numeric: set[int]) -> list[str]:
    all_rows = [header, *rows]
    widths = [max(len(r[i]) for r in all_rows) for i in range(len(header))]
    out = []
    for n, r in enumerate(all_rows):
        cells = [
            r[i].rjust(widths[i]) if i in numeric and n else r[i].ljust(widths[i])
            for i in range(len(header))
        ]
        out.append("  ".join(cells).rstrip())
    return out


def _num(x: Any) -> str:
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.2f}".rstrip("0").rstrip(".") if x != int(x) else str(int(x))
    return str(x)


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    s = round(seconds)
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"


def conversation_table(doc: Document, top: int = 12) -> str:
    """The conversation statistics as plain, deterministic text tables."""
    data = doc.attrs.get("conversation")
    if not data:
        return ""
    names = {c.id: c.name for c in doc.characters}
    t = data["totals"]
    out = [
        "## conversation",
        f"spoken lines {t['spoken_lines']} ({t['lines_stated']} stated, "
        f"{t['lines_inferred']} inferred, {t['lines_without_speaker']} without speaker; "
        f"{t['lines_with_addressee']} with addressee), spoken words {t['spoken_words']} "
        f"of {t['words']} ({_pct(t['dialogue_share'])}), "
        f"{t['speaking_characters']} speaking characters",
    ]
    length = data.get("length")
    if length and "pages" in length:
        out.append(f"length {length['pages']} pages ({length['basis']}), {t['scenes']} scenes")
    elif length and "running_time" in length:
        out.append(f"running time {length['running_time']}, {t['scenes']} scenes")
    else:
        out.append(f"{t['scenes']} scenes")
    tempo = data["tempo"]
    bits = [
        f"{_num(tempo['words_per_line'])} words/line",
        f"switch rate {_num(tempo['switch_rate'])}",
    ]
    if "lines_per_page" in tempo:
        bits.insert(0, f"{_num(tempo['lines_per_page'])} lines/page")
    if "lines_per_minute" in tempo:
        bits.insert(0, f"{_num(tempo['lines_per_minute'])} lines/minute")
    out.append("tempo: " + ", ".join(bits))

    rows = []
    for r in data["characters"][:top]:
        secs = r["speech_seconds"]
        rows.append(
            (
                r["id"],
                _num(r["lines"]),
                _num(r["words"]),
                _pct(r["share"]),
                _num(r["lines_inferred"]),
                _clock(secs),
                _num(r["scenes_speaking"]),
                _num(r["scenes_non_speaking"]),
                r["first_scene"] or "-",
                r["last_scene"] or "-",
                ", ".join(p["id"] for p in r["speaks_to"]),
            )
        )
    out.append("")
    out.extend(
        _table(
            (
                "character",
                "lines",
                "words",
                "share",
                "inferred",
                "time",
                "speaking",
                "silent",
                "first",
                "last",
                "speaks to",
            ),
            rows,
            {1, 2, 3, 4, 5, 6, 7},
        )
    )
    if len(data["characters"]) > top:
        out.append(f"(+{len(data['characters']) - top} more)")

    edges = data["talks_to"][:top]
    if edges:
        out.append("")
        out.extend(
            _table(
                ("speaker", "to", "lines", "words", "conf"),
                [
                    (e["from"], e["to"], _num(e["lines"]), _num(e["words"]), _num(e["confidence"]))
                    for e in edges
                ],
                {2, 3, 4},
            )
        )
    pairs = data["co_presence"][:top]
    if pairs:
        out.append("")
        out.extend(
            _table(
                ("together", "with", "scenes", "both speak"),
                [(p["a"], p["b"], _num(p["scenes"]), _num(p["both_speaking"])) for p in pairs],
                {2, 3},
            )
        )
    locs = data["locations"][:top]
    if locs:
        out.append("")
        size = "eighths" if "eighths" in locs[0] else "seconds" if "seconds" in locs[0] else None
        header = ("location", "scenes") + ((size,) if size else ()) + ("characters",)
        loc_rows = []
        for loc in locs:
            who = ", ".join(names.get(c["id"], c["id"]) for c in loc["characters"][:4])
            loc_rows.append(
                (loc["name"], _num(loc["scenes"]))
                + ((_num(loc.get(size)),) if size else ())
                + (who,)
            )
        out.extend(_table(header, loc_rows, {1, 2} if size else {1}))
    if data.get("int_ext"):
        out.append("")
        out.append("INT/EXT: " + ", ".join(f"{k} {v}" for k, v in data["int_ext"].items() if v))
    if data.get("day_night"):
        out.append("day/night: " + ", ".join(f"{k} {v}" for k, v in data["day_night"].items() if v))
    return "\n".join(out) + "\n"
