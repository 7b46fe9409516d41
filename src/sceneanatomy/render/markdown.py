"""An anatomy as Markdown (an editor's draft) or as plain terminal text.

Both read only the anatomy JSON (:func:`sceneanatomy.render.anatomy.anatomy_dict`), so
what they show is exactly what the JSON claims, with the source lines it rests on.

In the Markdown every string from the source or the analysis goes through
:func:`~sceneanatomy.render.report.render.md_escape` (entities for ``& < >``, backslashes for
inline syntax), so a line such as ``<script>alert(1)</script>`` stays text on a blog.
"""

from __future__ import annotations

from typing import Any

from .report.render import md_escape

__all__ = ["anatomy_markdown", "anatomy_text"]

_CHARGE = {"+": "+", "-": "−", "0": "0"}


def _names(data: dict[str, Any]) -> dict[str, str]:
    return {c["id"]: c["name"] for c in data.get("characters", [])}


def _lines(spans: list[dict[str, Any]]) -> str:
    if not spans:
        return ""
    parts: list[str] = []
    for s in spans:
        a, b = s["start_line"], s["end_line"]
        part = f"{a}" if a == b else f"{a}–{b}"
        if part not in parts:
            parts.append(part)
    word = "line" if len(parts) == 1 and "–" not in parts[0] else "lines"
    return f"{word} {', '.join(parts)}"


def _quote(text: str) -> str:
    return " ".join(str(text).split())


def _md(text: Any) -> str:
    """A source or analysis string as literal Markdown on one line."""
    return md_escape(_quote(text))


def _scene_title(scene: dict[str, Any]) -> str:
    head = scene.get("heading") or f"Scene {scene['index'] + 1}"
    return f"{scene['id']}: {head}"


def _emotion_row(emotions: dict[str, dict[str, float]], names: dict[str, str]) -> str:
    parts = []
    for cid, sc in emotions.items():
        top = sorted(sc.items(), key=lambda kv: (-kv[1], kv[0]))[:2]
        parts.append(f"{names.get(cid, cid)}: " + ", ".join(f"{k} {v:.1f}" for k, v in top))
    return "; ".join(parts)


def anatomy_markdown(data: dict[str, Any]) -> str:
    names = {k: md_escape(v) for k, v in _names(data).items()}
    src = data.get("source", {})
    title = md_escape(src.get("title") or src.get("path") or "untitled")
    out = [f"# Anatomy of {title}", ""]
    if src.get("episode") is not None:
        out += [f"Episode {src['episode']}.", ""]
    for scene in data.get("scenes", []):
        an = scene.get("anatomy") or {}
        out += [f"## {md_escape(_scene_title(scene))}", ""]
        cast = [
            names.get(c["id"], c["id"]) + ("" if c["speaking"] else " (silent)")
            for c in scene.get("characters", [])
        ]
        if cast:
            out += [f"**Cast:** {', '.join(cast)}", ""]
        setup = an.get("setup")
        if setup:
            out += [f"**Setup.** {_md(setup['text'])} _({_lines(setup['evidence'])})_", ""]
        wants = an.get("wants") or []
        if wants:
            out.append("**Wants**")
            out.append("")
            for w in wants:
                got = {True: "gets it", False: "does not get it", None: "outcome unknown"}[
                    w["achieved"]
                ]
                cue = f" (“{_md(w['outcome_cue'])}”)" if w.get("outcome_cue") else ""
                out.append(
                    f"- {names.get(w['character'], w['character'])} wants: "
                    f"*{_md(w['want'])}* — {got}{cue} _({_lines(w['evidence'])})_"
                )
            out.append("")
        value = an.get("value")
        if value:
            line = (
                f"**Value at stake:** {_md(value['name'])}, "
                f"{_CHARGE[value['start']]} → {_CHARGE[value['end']]}"
            )
            if value.get("character"):
                line += f" for {names.get(value['character'], value['character'])}"
            if value.get("non_event"):
                line += " — the value does not change: **a non-event**"
            out += [line, ""]
        else:
            out += ["**Value at stake:** not supported by the source.", ""]
        beats = an.get("beats") or []
        if beats:
            out += [
                "**Beats**",
                "",
                "| # | function | tension | summary | emotions |",
                "|---|---|---|---|---|",
            ]
            for b in beats:
                summary = _md(b["summary"])  # md_escape escapes "|" too
                emo = _emotion_row(b.get("emotions", {}), names)
                out.append(
                    f"| {b['index'] + 1} | {b['function']} | {b['tension']:.2f} | "
                    f"{summary} _({_lines([b['span']])})_ | {emo} |"
                )
            out.append("")
        tp = an.get("turning_point")
        if tp:
            out += [
                f"**Turning point** (beat {tp['beat'] + 1}): {_md(tp['text'])} "
                f"_({_lines(tp['evidence'])})_",
                "",
            ]
        key = an.get("key_line")
        if key:
            who = names.get(key["speaker"], "someone") if key.get("speaker") else "someone"
            out += [
                f"**Key line:** “{_md(key['text'])}” — {who} _({_lines(key['evidence'])})_",
                "",
            ]
        outcome = an.get("outcome") or []
        if outcome:
            out.append("**Outcome**")
            out.append("")
            for o in outcome:
                state = f" ({_md(o['state'])})" if o.get("state") else ""
                out.append(
                    f"- {names.get(o['character'], o['character'])}: "
                    f"{_CHARGE[o['charge']]}{state} — {_md(o['text'])} _({_lines(o['evidence'])})_"
                )
            out.append("")
        arcs = an.get("arcs") or []
        if arcs:
            out.append("**Emotional arcs**")
            out.append("")
            for a in arcs:
                cue_a = f" ({_md(a['start_cue'])})" if a.get("start_cue") else ""
                cue_b = f" ({_md(a['end_cue'])})" if a.get("end_cue") else ""
                out.append(
                    f"- {names.get(a['character'], a['character'])}: "
                    f"{_md(a['start'])}{cue_a} → {_md(a['end'])}{cue_b}"
                )
            out.append("")
        tropes = an.get("tropes") or []
        if tropes:
            out.append(
                "**Tropes:** " + ", ".join(f"{_md(t['name'])} ({t['variant']})" for t in tropes)
            )
            out.append("")
    rels = data.get("relationships") or []
    if rels:
        out += ["## Relationships", ""]
        for r in rels:
            out.append(
                f"- {names.get(r['from'], r['from'])} → {names.get(r['to'], r['to'])}: "
                f"{r['kind']}, requited {r['requited']}, {r['basis']} _({_lines(r['evidence'])})_"
            )
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def anatomy_text(data: dict[str, Any]) -> str:
    """A compact terminal view: one block per scene."""
    names = _names(data)
    out: list[str] = []
    for scene in data.get("scenes", []):
        an = scene.get("anatomy") or {}
        out.append(f"== {_scene_title(scene)}")
        if an.get("setup"):
            out.append(f"setup: {_quote(an['setup']['text'])}")
        value = an.get("value")
        if value:
            flag = "  [non-event]" if value.get("non_event") else ""
            who = names.get(value.get("character"), "") if value.get("character") else ""
            out.append(f"value: {value['name']} {value['start']} -> {value['end']} ({who}){flag}")
        else:
            out.append("value: -")
        for b in an.get("beats") or []:
            out.append(
                f"  beat {b['index'] + 1:>2} {b['function']:<12} t={b['tension']:.2f}  "
                f"{_quote(b['summary'])}"
            )
        tp = an.get("turning_point")
        out.append(f"turn: beat {tp['beat'] + 1}: {_quote(tp['text'])}" if tp else "turn: -")
        key = an.get("key_line")
        if key:
            who = names.get(key["speaker"], "someone") if key.get("speaker") else "someone"
            out.append(f'key line: "{_quote(key["text"])}" ({who})')
        else:
            out.append("key line: -")
        for w in an.get("wants") or []:
            got = {True: "yes", False: "no", None: "?"}[w["achieved"]]
            out.append(
                f"want: {names.get(w['character'], w['character'])}: {_quote(w['want'])} [{got}]"
            )
        for o in an.get("outcome") or []:
            state = f" {o['state']}" if o.get("state") else ""
            out.append(
                f"outcome: {names.get(o['character'], o['character'])}: {o['charge']}{state}"
            )
        for a in an.get("arcs") or []:
            out.append(
                f"arc: {names.get(a['character'], a['character'])}: {a['start']} -> {a['end']}"
            )
        out.append("")
    return "\n".join(out).rstrip() + "\n"
