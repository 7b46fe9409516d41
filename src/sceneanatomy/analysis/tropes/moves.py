"""In-scene moves (the pattern family): catalogue templates and keywords matched in one
unit, roles bound to resolved characters, windows, variants and the romance rules."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .catalogue import Catalogue, Pattern, Template, TropeDef, Window
from .units import _Cand, _Doc, _Person, _Unit

# ------------------------------------------------------------------------------ matching


@dataclass(slots=True)
class _Ctx:
    """Matching state of one scene."""

    d: _Doc
    scene: int
    units: list[_Unit]
    hits: list[_Cand] = field(default_factory=list)  # supported hits so far (for late patterns)


def _find(
    tpl: Template, u: _Unit, bound: dict[str, str], start: int = 0
) -> Iterator[tuple[re.Match[str], dict[str, str], dict[str, float]]]:
    """Matches of ``tpl`` in ``u`` consistent with roles already bound."""
    cheap = u.cheap
    for req in tpl.required:
        if not (req & cheap):
            return
    u.ready()
    if tpl.anchors is not None and not (tpl.anchors & u.vocab):
        return
    for m in tpl.regex.finditer(u.s, start):
        roles: dict[str, str] = {}
        confs: dict[str, float] = {}
        ok = True
        for g, role in tpl.groups:
            val = m.group(g)
            if val is None or role == "any":
                continue
            p = u.persons[int(val[2:])]
            if p.cid is None:
                ok = False
                break
            want = bound.get(role) or roles.get(role)
            if want is not None and want != p.cid:
                ok = False
                break
            roles[role] = p.cid
            confs[role] = p.conf
        if ok:
            yield m, roles, confs


def _any(templates: Iterable[Template], u: _Unit, bound: dict[str, str]) -> bool:
    return any(next(_find(t, u, bound), None) is not None for t in templates)


def _window_hit(
    w: Window, ctx: _Ctx, ui: int, bound: dict[str, str], after_pos: int | None = None
) -> tuple[_Unit, dict[str, str]] | None:
    lo, hi = max(0, ui - w.before), min(len(ctx.units), ui + w.after + 1)
    order = [ui, *range(ui + 1, hi), *range(ui - 1, lo - 1, -1)][0 if w.self else 1 :]
    for k in order:
        u = ctx.units[k]
        start = after_pos if (k == ui and after_pos is not None) else 0
        for tpl in w.templates:
            for _m, roles, _c in _find(tpl, u, bound, start):
                return u, roles
    return None


def _bind(
    rule: str, role: str, ctx: _Ctx, ui: int, m_start: int, roles: dict[str, str]
) -> tuple[str | None, float]:
    u = ctx.units[ui].ready()
    taken = set(roles.values())
    persons = [(k, p) for k, p in enumerate(u.persons) if p.cid and p.cid not in taken]
    here = u.source_range(m_start, m_start + 1)[0] if u.s else u.start
    if rule == "speaker":
        return (u.speaker, 1.0) if u.speaker and u.speaker not in taken else (None, 0.0)
    if rule == "addressee":
        if u.addressee and u.addressee not in taken:
            return u.addressee, 0.9
        voc = [p for _k, p in persons]
        if u.speech and voc:
            return voc[0].cid, 0.7
        return None, 0.0
    if rule == "subject":
        before = [p for _k, p in persons if p.start < here and p.role == "subj"]
        adjacent = _adjacent_before(u, persons, here)
        if adjacent is not None and (not before or adjacent.start > before[-1].start):
            return adjacent.cid, adjacent.conf
        if before:
            return before[-1].cid, before[-1].conf
        after = [p for _k, p in persons if p.start >= here and p.role == "subj"]
        opening = bisect.bisect_right(u.pos, m_start) <= 2  # "Backing her up, he leans in"
        if after and opening:
            return after[0].cid, after[0].conf * 0.9
        if not any(p.role == "subj" for p in u.persons) and ui > 0:
            prev = [p for p in ctx.units[ui - 1].ready().persons if p.role == "subj" and p.cid]
            prev = [p for p in prev if p.cid not in taken]
            if prev:
                return prev[-1].cid, prev[-1].conf * 0.8
        return None, 0.0
    if rule == "object":
        after = [p for _k, p in persons if p.start >= here and p.role in ("obj", "obl", "poss")]
        if after:
            return after[0].cid, after[0].conf
        return None, 0.0
    if rule == "person":
        return (persons[0][1].cid, persons[0][1].conf) if persons else (None, 0.0)
    if rule == "other-subject":
        subs = sorted(
            (p for _k, p in persons if p.role == "subj"), key=lambda p: abs(p.start - here)
        )
        if subs:
            return subs[0].cid, subs[0].conf
        for k in range(ui - 1, max(-1, ui - 3), -1):
            prev = [p for p in ctx.units[k].ready().persons if p.cid and p.cid not in taken]
            subj = [p for p in prev if p.role == "subj"]
            if subj:
                return subj[-1].cid, subj[-1].conf * 0.8
        return None, 0.0
    if rule == "counterpart":
        return _counterpart(ctx, ui, here, roles, persons)
    if rule == "suitor":
        return _suitor(ctx, ui, here, roles, persons)
    return None, 0.0  # pragma: no cover - rules are validated at load time


_ADVERBS = frozenset(
    [
        "then",
        "also",
        "just",
        "still",
        "suddenly",
        "finally",
        "slowly",
        "gently",
        "again",
        "now",
        "quickly",
        "immediately",
        "soon",
        "almost",
        "nearly",
        "abruptly",
        "instantly",
        "simply",
        "only",
        "even",
    ]
)


def _adjacent_before(u: _Unit, persons: list[tuple[int, _Person]], here: int) -> _Person | None:
    """A name right before the verb ("This week Mi-na finally kisses him"): its subject."""
    before = [p for _k, p in persons if p.end <= here and p.pronoun is None]
    if not before:
        return None
    p = before[-1]
    between = [
        u.s[u.pos[k] : (u.pos[k + 1] - 1 if k + 1 < len(u.pos) else len(u.s) - 1)]
        for k, (a, _b) in enumerate(u.offs)
        if p.end <= a < here
    ]
    if len(between) <= 2 and all(w in _ADVERBS or w.endswith("ly") for w in between):
        return p
    return None


def _counterpart(
    ctx: _Ctx, ui: int, here: int, roles: dict[str, str], persons: list[tuple[int, _Person]]
) -> tuple[str | None, float]:
    taken = set(roles.values())
    # 1. another person of the same sentence, the nearest before first
    before = [p for _k, p in persons if p.start < here]
    if before:
        return before[-1].cid, before[-1].conf
    if persons:
        return persons[0][1].cid, persons[0][1].conf * 0.9
    # 2. an earlier romantic move of this scene involving the bound character
    for h in reversed(ctx.hits):
        ids = set(h.roles.values())
        if taken & ids and h.unit <= ui:
            other = sorted(ids - taken)
            if other:
                return other[0], min(0.8, h.conf)
    # 3. the ledger
    for pair in sorted(ctx.d.romantic_pairs, key=sorted):
        if taken & pair and len(pair - taken) == 1:
            return next(iter(pair - taken)), 0.7
    # 4. the nearest other speaker or person within a few units
    for dist in range(1, 7):
        for k in (ui - dist, ui + dist):
            if 0 <= k < len(ctx.units):
                u = ctx.units[k]
                if u.speaker and u.speaker not in taken:
                    return u.speaker, 0.5
                cand = [p for p in u.ready().persons if p.cid and p.cid not in taken]
                if cand:
                    return cand[0].cid, cand[0].conf * 0.5
    return None, 0.0


_AGENT_ROLES = ("agent", "lover", "suitor", "second_lead", "carrier", "giver", "host", "catcher")


def _suitor(
    ctx: _Ctx, ui: int, here: int, roles: dict[str, str], persons: list[tuple[int, _Person]]
) -> tuple[str | None, float]:
    """Who courts the bound character: the agent of an earlier romantic move aimed at them,
    else a romantic edge into them in the ledger (an unreturned one first), else the
    counterpart."""
    taken = set(roles.values())
    for h in reversed(ctx.hits):
        if h.unit > ui:
            continue
        agent = next((h.roles[r] for r in _AGENT_ROLES if r in h.roles), None)
        if agent and agent not in taken and taken & set(h.roles.values()):
            return agent, min(0.9, max(h.conf, 0.6))
    rank = {"no": 0, "unknown": 1, "yes": 2}
    edges = sorted(
        (e for e in ctx.d.romantic_edges if e[1] in taken and e[0] not in taken),
        key=lambda e: (rank.get(e[2], 1), e[0]),
    )
    if edges:
        return edges[0][0], 0.75
    return _counterpart(ctx, ui, here, roles, persons)


def _variant(trope: TropeDef, ctx: _Ctx, ui: int) -> str:
    """Subverted or parodied only when the narration says so (never from dialogue)."""
    if ctx.units[ui].speech:
        return "straight"
    for variant in ("parodied", "subverted"):
        spec = trope.variants.get(variant)
        if not spec:
            continue
        u = ctx.units[ui]
        if _any(spec.get("sentence", ()), u, {}) or _any(spec.get("nearby", ()), u, {}):
            return variant
        for k in (ui - 1, ui + 1):
            near = ctx.units[k] if 0 <= k < len(ctx.units) else None
            if near is not None and not near.speech and _any(spec.get("nearby", ()), near, {}):
                return variant
    return "straight"


def _unit_ok(pat: Pattern, u: _Unit) -> bool:
    if pat.on == "narrative":
        return not u.speech
    if pat.on == "speech":
        return u.speech
    return True


def _match_unit(
    cat: Catalogue, ctx: _Ctx, ui: int, late: bool, only: set[tuple[int, int]] | None = None
) -> list[_Cand]:
    """Every candidate of one unit, for the early (``late=False``) or the late patterns."""
    u = ctx.units[ui]
    out: list[_Cand] = []
    for ti, pi, k in cat.jobs(u.cheap, late, u.speech):
        trope = cat.tropes[ti]
        pat = trope.patterns[pi]
        for m, roles, confs in _find(pat.match[k], u, {}):
            cand = _complete(trope, pat, ctx, ui, m.start(), m.end(), roles, confs)
            if cand is not None:
                out.append(cand)
    for ti, pi in cat.keyword_jobs:
        trope = cat.tropes[ti]
        pat = trope.patterns[pi]
        if pat.late != late or not _unit_ok(pat, u):
            continue
        for kw in pat.keywords:
            k = u.raw.find(kw)
            if k < 0 or not u.ready().s:
                continue
            i = min(bisect.bisect_left(u.offs, (u.start + k, u.start + k)), len(u.pos) - 1)
            cand = _complete(trope, pat, ctx, ui, u.pos[i], u.pos[i] + 1, {}, {})
            if cand is not None:
                out.append(cand)
            break
    return out


def _complete(
    trope: TropeDef,
    pat: Pattern,
    ctx: _Ctx,
    ui: int,
    m_start: int,
    m_end: int,
    roles: dict[str, str],
    confs: dict[str, float],
) -> _Cand | None:
    u = ctx.units[ui]
    roles, confs = dict(roles), dict(confs)
    for role, rule in pat.bind.items():
        if role in roles:
            continue
        cid, conf = _bind(rule, role, ctx, ui, m_start, roles)
        if cid is not None and cid not in roles.values():
            roles[role], confs[role] = cid, conf
    wanted = [r for r in trope.roles if r in pat.bind or any(r in t.roles for t in pat.match)]
    if any(r not in roles and r not in pat.optional for r in wanted):
        return None
    if not roles and trope.category == "in-story" and trope.needs_character:
        return None  # a trope is a relation over characters: nobody, no trope
    if len(set(roles.values())) < len(roles):
        return None
    if len(trope.symmetric) == 2 and all(r in roles for r in trope.symmetric):
        a, b = trope.symmetric
        if roles[a] > roles[b]:
            roles[a], roles[b] = roles[b], roles[a]
            confs[a], confs[b] = confs[b], confs[a]
    for role, g in trope.genders.items():
        if role in roles and ctx.d.gender.get(roles[role], "unknown") not in (g, "unknown"):
            return None
    if pat.veto and _any(pat.veto, u, roles):
        return None
    if pat.unless_couple and len(roles) >= 2 and frozenset(roles.values()) in ctx.d.couple_pairs:
        return None
    evidence = [(u.start, u.end)]
    for alts in pat.requires:
        if not _any(alts, u, roles):
            return None
    if pat.followed_by is not None:
        hit = _window_hit(pat.followed_by, ctx, ui, roles, after_pos=m_end)
        if hit is None:
            return None
        if hit[0].index != ui:
            evidence.append((hit[0].start, hit[0].end))
    if (
        pat.unless_followed_by is not None
        and _window_hit(pat.unless_followed_by, ctx, ui, roles, after_pos=m_end) is not None
    ):
        return None
    if pat.unless_near is not None and _window_hit(pat.unless_near, ctx, ui, roles) is not None:
        return None
    if isinstance(pat.context, Window):
        hit = _window_hit(pat.context, ctx, ui, roles)
        if hit is None:
            return None
        for role, cid in hit[1].items():
            if role not in roles and cid not in roles.values():
                roles[role], confs[role] = cid, 0.8
        if hit[0].index != ui:
            evidence.append((hit[0].start, hit[0].end))
    conf = pat.confidence * min(confs.values(), default=1.0)
    ctype = pat.type
    if ctype is None:
        for name, tpls in trope.types.items():
            if _any(tpls, u, roles):
                ctype = name
                break
    cand = _Cand(
        trope,
        pat,
        ctx.scene,
        ui,
        roles,
        round(conf, 3),
        sorted(set(evidence)),
        _variant(trope, ctx, ui),
        ctype,
    )
    return cand


# ------------------------------------------------------------------------------ romance


def _family_veto(family: frozenset[str], d: _Doc, cand: _Cand) -> bool:
    """A character called by a kinship word ("Mom"), or a family edge in the ledger."""
    ids = list(cand.roles.values())
    for cid in ids:
        name = (d.names.get(cid) or "").lower().removeprefix("the ").strip()
        if name and all(w in family for w in name.split()):
            return True
    return any(frozenset((a, b)) in d.family_pairs for a in ids for b in ids if a < b)


def _cue_support(cat: Catalogue, ctx: _Ctx, cand: _Cand) -> bool:
    if cand.pattern.implies_romance:
        return True
    if cand.pattern.romantic_if and _any(cand.pattern.romantic_if, ctx.units[cand.unit], {}):
        return True
    ids = set(cand.roles.values())
    if any(pair <= ids for pair in ctx.d.romantic_pairs):
        return True
    w = cat.romance_window
    lo, hi = max(0, cand.unit - w), min(len(ctx.units), cand.unit + w + 1)
    return any(_any(cat.romance, ctx.units[k], {}) for k in range(lo, hi))


def _resolve_romance(cat: Catalogue, ctx: _Ctx, cands: list[_Cand]) -> list[_Cand]:
    """Keep romantic tropes with a romantic context; the others as they are."""
    kept: list[_Cand] = []
    pending: list[_Cand] = []
    for c in cands:
        if c.trope.romance and _family_veto(cat.family_words, ctx.d, c):
            continue
        if (
            c.trope.romance
            and c.trope.category == "in-story"
            and _any(cat.violence, ctx.units[c.unit], {})
        ):
            continue
        if not c.trope.romance or _cue_support(cat, ctx, c):
            c.supported = c.trope.romance
            kept.append(c)
        else:
            pending.append(c)
    for _round in range(2):
        still: list[_Cand] = []
        for c in pending:
            ids = set(c.roles.values())
            if any(k.supported and ids & set(k.roles.values()) for k in kept):
                c.supported = True
                kept.append(c)
            else:
                still.append(c)
        pending = still
    return kept


def _scene(cat: Catalogue, d: _Doc, scene: int) -> list[_Cand]:
    ctx = _Ctx(d, scene, d.units[scene])
    if not ctx.units:
        return []
    early: list[_Cand] = []
    for ui in range(len(ctx.units)):
        early.extend(_match_unit(cat, ctx, ui, late=False))
    early = [c for c in early if _context_ok(cat, ctx, c)]
    kept = _resolve_romance(cat, ctx, early)
    ctx.hits = sorted((c for c in kept if c.supported), key=lambda c: c.unit)
    later: list[_Cand] = []
    for ui in range(len(ctx.units)):
        for c in _match_unit(cat, ctx, ui, late=True):
            if c.pattern.context == "prior-romance" and not _prior_romance(ctx, c):
                continue
            if _context_ok(cat, ctx, c):
                later.append(c)
    return kept + _resolve_romance(cat, ctx, later)


def _context_ok(cat: Catalogue, ctx: _Ctx, c: _Cand) -> bool:
    if c.pattern.context == "romance":
        return _cue_support(cat, ctx, c) or any(
            set(c.roles.values()) & set(h.roles.values()) for h in ctx.hits
        )
    return True


def _prior_romance(ctx: _Ctx, c: _Cand) -> bool:
    """An earlier supported romantic move of the scene aimed at (or by) these characters."""
    ids = set(c.roles.values())
    return any(h.unit <= c.unit and ids & set(h.roles.values()) for h in ctx.hits)
