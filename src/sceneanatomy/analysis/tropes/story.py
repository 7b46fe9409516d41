"""Story-level tropes (the derived and ledger families): a love triangle's choice, second
leads and unrequited love read from the relationship ledger."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ...model import Span
from .catalogue import LEDGER_MIN_CONFIDENCE, Catalogue, Pattern
from .moves import _find
from .units import _Cand, _Doc

# ------------------------------------------------------------------------------ derived


def _scene_of(d: _Doc, offset: int) -> int:
    for s in d.doc.scenes:
        sp = s.span
        if sp is not None and sp.start_char <= offset < max(sp.end_char, sp.start_char + 1):
            return s.index
    return d.doc.scenes[0].index if d.doc.scenes else 0


def _derived(cat: Catalogue, d: _Doc, by_scene: dict[int, list[_Cand]]) -> list[_Cand]:
    """Second leads from love triangles: a choice, or one suitor's unreturned love."""
    out: list[_Cand] = []
    all_cands = [c for cs in by_scene.values() for c in cs]
    triangles = [
        c
        for c in all_cands
        if c.trope.id == "love-triangle" and {"suitor", "suitor_2", "beloved"} <= set(c.roles)
    ]
    if not triangles:
        return out
    unrequited = [
        c
        for c in all_cands
        if c.trope.id == "unrequited-love" and {"lover", "beloved"} <= set(c.roles)
    ]
    for trope in cat.tropes:
        for pat in trope.patterns:
            if pat.kind != "derived":
                continue
            for tri in triangles:
                a, b, target = tri.roles["suitor"], tri.roles["suitor_2"], tri.roles["beloved"]
                if pat.rule == "triangle-choice":
                    for scene, ui, lead, span in _choices(d, pat, target):
                        if lead not in (a, b):
                            continue
                        loser = b if lead == a else a
                        out.append(
                            _Cand(
                                trope,
                                pat,
                                scene,
                                ui,
                                {"second_lead": loser, "lead": lead, "beloved": target},
                                round(pat.confidence * tri.conf, 3),
                                sorted({*tri.evidence, span}),
                                supported=True,
                            )
                        )
                else:
                    lovers = {
                        u.roles["lover"]: u for u in unrequited if u.roles["beloved"] == target
                    }
                    losers = [x for x in (a, b) if x in lovers]
                    if len(losers) != 1:
                        continue
                    loser = losers[0]
                    u = lovers[loser]
                    out.append(
                        _Cand(
                            trope,
                            pat,
                            u.scene,
                            u.unit,
                            {
                                "second_lead": loser,
                                "lead": b if loser == a else a,
                                "beloved": target,
                            },
                            round(pat.confidence * min(tri.conf, u.conf), 3),
                            sorted({*tri.evidence, *u.evidence}),
                            supported=True,
                        )
                    )
    return out


def _choices(d: _Doc, pat: Pattern, target: str) -> Iterator[tuple[int, int, str, tuple[int, int]]]:
    for scene, units in d.units.items():
        for ui, u in enumerate(units):
            if u.speech:
                continue
            for tpl in pat.choice:
                for _m, roles, _c in _find(tpl, u, {"beloved": target}):
                    if roles.get("beloved") == target and roles.get("lead"):
                        yield scene, ui, roles["lead"], (u.start, u.end)


def _ledger(cat: Catalogue, d: _Doc) -> list[_Cand]:
    """Love-line patterns of the relationships stage, when it ran."""
    rels = list(getattr(d.doc, "relationships", []) or [])
    if not rels:
        return []
    try:
        from ..relationships import love_line
    except ImportError:  # pragma: no cover - the ledger is part of the package
        return []
    line = love_line(rels)
    rom = {(r.from_id, r.to_id): r for r in rels if r.kind == "romantic"}
    out: list[_Cand] = []
    for trope in cat.tropes:
        for pat in trope.patterns:
            if pat.kind != "ledger":
                continue
            for roles, edges, sealed in _ledger_rows(pat.rule or "", line, rom):
                spans: list[Span] = []
                for r in edges:
                    spans.extend(r.evidence)
                    spans.extend(r.requited_evidence if sealed else [])
                if not spans:
                    continue
                spans = sorted(set(spans), key=lambda s: s.start_char)
                anchor = (
                    edges[0].requited_evidence[0]
                    if sealed and edges[0].requited_evidence
                    else spans[0]
                )
                scene = _scene_of(d, anchor.start_char)
                conf = min(r.confidence or 0.8 for r in edges)
                out.append(
                    _Cand(
                        trope,
                        pat,
                        scene,
                        0,
                        roles,
                        round(pat.confidence * min(1.0, conf), 3),
                        [(s.start_char, s.end_char) for s in spans],
                        supported=True,
                    )
                )
    return out


def _ledger_rows(
    rule: str, line: dict[str, Any], rom: dict[tuple[str, str], Any]
) -> Iterator[tuple[dict[str, str], list[Any], bool]]:
    if rule == "triangle":
        for t in line.get("triangles", []):
            if len(t.get("chosen", [])) > 1:
                continue  # two suitors loved back: the ledger is unsure, not a triangle
            suitors = list(t["suitors"])
            for i in range(len(suitors)):
                for j in range(i + 1, len(suitors)):
                    edges = [rom[(s, t["target"])] for s in (suitors[i], suitors[j])]
                    if min(r.confidence for r in edges) < LEDGER_MIN_CONFIDENCE:
                        continue
                    yield (
                        {"suitor": suitors[i], "suitor_2": suitors[j], "beloved": t["target"]},
                        edges,
                        False,
                    )
    elif rule == "second-lead":
        for t in line.get("triangles", []):
            for loser in t.get("unrequited", []):
                for lead in t.get("chosen", []):
                    if lead == loser:
                        continue
                    yield (
                        {"second_lead": loser, "lead": lead, "beloved": t["target"]},
                        [rom[(loser, t["target"])], rom[(lead, t["target"])]],
                        True,
                    )
    elif rule == "unrequited":
        for e in line.get("unrequited", []):
            r = rom.get((e["from"], e["to"]))
            if r is not None:
                yield {"lover": e["from"], "beloved": e["to"]}, [r], True
