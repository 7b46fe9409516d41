"""The trope catalogue: ``data/tropes.yaml`` read into tropes, patterns and compiled templates.

A template (``@verbs (up|back)? <patient> *3 @prepositions *2 @surfaces``) is compiled
once into a token regex over a unit's masked words; see docs/tropes.md for the schema.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..dialogue_refs import tokenize

SCHEMA = "scene-anatomy-tropes/1"
CATEGORIES = ("in-story", "audience")
VARIANTS = ("straight", "subverted", "parodied")
PATTERN_KINDS = ("template", "keyword", "derived", "ledger")
BIND_RULES = (
    "subject",
    "object",
    "other-subject",
    "counterpart",
    "suitor",
    "speaker",
    "addressee",
    "person",
)
DERIVED_RULES = ("triangle-choice", "triangle-unrequited")
LEDGER_PATTERNS = ("triangle", "second-lead", "unrequited")
DEFAULT_GAP = 3
LEDGER_MIN_CONFIDENCE = 0.5  # a ledger triangle's two edges must be at least this sure

# Very common words make poor anchors for the quick "can this template match?" test.
_COMMON = frozenset(
    [
        "the",
        "a",
        "an",
        "to",
        "of",
        "in",
        "on",
        "at",
        "for",
        "and",
        "or",
        "but",
        "is",
        "are",
        "was",
        "were",
        "be",
        "'s",
        "'re",
        "it",
        "this",
        "that",
        "with",
        "by",
        "as",
        "from",
        "up",
        "out",
        "off",
        "his",
        "her",
        "him",
        "he",
        "she",
        "their",
        "they",
        "them",
        "you",
        "i",
        "my",
        "me",
        "your",
        "not",
        "n't",
        "no",
    ]
)


class CatalogueError(ValueError):
    """The trope catalogue is malformed (names the trope and the field)."""


# ------------------------------------------------------------------------------ templates


def inflect(verb: str) -> set[str]:
    """Regular English forms of a verb: ``pin`` → pin, pins, pinned, pinning."""
    w = verb
    forms = {w}
    vowels = "aeiou"
    if w.endswith("ie"):
        forms |= {w + "s", w + "d", w[:-2] + "ying"}
    elif w.endswith("ee"):
        forms |= {w + "s", w + "d", w + "ing"}
    elif w.endswith("e"):
        forms |= {w + "s", w + "d", w[:-1] + "ing"}
    elif w.endswith("y") and len(w) > 1 and w[-2] not in vowels:
        forms |= {w[:-1] + "ies", w[:-1] + "ied", w + "ing"}
    elif w.endswith(("s", "sh", "ch", "x", "z", "o")):
        forms |= {w + "es", w + "ed", w + "ing"}
    else:
        groups = re.findall(r"[aeiou]+", w)
        cvc = (
            len(w) >= 3
            and w[-1] not in vowels + "wxy"
            and w[-2] in vowels
            and w[-3] not in vowels
            and len(groups) == 1
        )
        stem = w + w[-1] if cvc else w
        forms |= {w + "s", stem + "ed", stem + "ing"}
    return forms


def _norm_tokens(word: str) -> list[str]:
    return [t.lower for t in tokenize(word)]


@dataclass(frozen=True, slots=True)
class Template:
    """A compiled template: a regex over a unit's token string, with its role slots."""

    source: str
    regex: re.Pattern[str]
    groups: tuple[tuple[str, str], ...]  # (group name, role)
    anchors: frozenset[str] | None  # one of these tokens must be in the unit (None: any)
    required: tuple[frozenset[str], ...] = ()  # one token of each set must be in the unit

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r for _g, r in self.groups if r != "any"))


class _Compiler:
    """Turns template text into regular expressions (syntax: the catalogue's header)."""

    def __init__(self, sets: dict[str, list[str]], where: str) -> None:
        self.sets = sets
        self.where = where
        self.counter = 0
        self.groups: list[tuple[str, str]] = []
        self.depth = 0

    def compile(self, src: str) -> Template:
        self.counter = 0
        self.groups = []
        self.required: list[frozenset[str]] = []
        self.depth = 0
        rx, anchors = self._sequence(src)
        try:
            regex = re.compile(r"(?<![^ ])" + rx)
        except re.error as e:  # pragma: no cover - a bug in the compiler, not the data
            raise CatalogueError(f"{self.where}: template {src!r} does not compile: {e}") from e
        return Template(src, regex, tuple(self.groups), anchors, tuple(self.required))

    # -- parsing
    def _split(self, src: str) -> list[str]:
        items, buf, depth = [], "", 0
        for ch in src:
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth < 0:
                    raise CatalogueError(f"{self.where}: unbalanced ')' in {src!r}")
            if ch.isspace() and depth == 0:
                if buf:
                    items.append(buf)
                buf = ""
            else:
                buf += ch
        if depth:
            raise CatalogueError(f"{self.where}: unbalanced '(' in {src!r}")
        if buf:
            items.append(buf)
        return items

    def _alternatives(self, inner: str) -> list[str]:
        alts, buf, depth = [], "", 0
        for ch in inner:
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
            if ch == "|" and depth == 0:
                alts.append(buf)
                buf = ""
            else:
                buf += ch
        alts.append(buf)
        return alts

    def _sequence(self, src: str) -> tuple[str, frozenset[str] | None]:
        self.depth += 1
        if self.depth > 12:
            raise CatalogueError(f"{self.where}: cue sets refer to each other in a loop ({src!r})")
        parts: list[str] = []
        candidates: list[frozenset[str]] = []
        for item in self._split(src.strip()):
            optional = item.endswith("?") and len(item) > 1
            body = item[:-1] if optional else item
            rx, anchors = self._item(body)
            if optional:
                parts.append(f"(?:{rx})?")
            else:
                parts.append(rx)
                if anchors is not None:
                    candidates.append(anchors)
        self.depth -= 1
        if not parts:
            raise CatalogueError(f"{self.where}: empty template")
        if self.depth == 0:
            self.required = sorted(set(candidates), key=len)
        anchors = None
        if candidates:
            anchors = min(candidates, key=lambda a: ("@p" in a, bool(a & _COMMON), len(a)))
        return "".join(parts), anchors

    def _item(self, body: str) -> tuple[str, frozenset[str] | None]:
        if body.startswith("(") and body.endswith(")"):
            alts = [self._sequence(a) for a in self._alternatives(body[1:-1]) if a.strip()]
            rx = "(?:" + "|".join(a for a, _ in alts) + ")"
            if any(an is None for _, an in alts):
                return rx, None
            return rx, frozenset().union(*(an for _, an in alts if an is not None))
        if re.fullmatch(r"\*\d*", body):
            n = int(body[1:]) if len(body) > 1 else DEFAULT_GAP
            return rf"(?:\S+ ){{0,{n}}}", None
        if re.fullmatch(r"_\d*", body):
            n = int(body[1:]) if len(body) > 1 else DEFAULT_GAP
            return rf"(?:(?!@p\d)\S+ ){{0,{n}}}", None
        m = re.fullmatch(r"<([a-z_0-9]+)('s)?>", body)
        if m:
            role, poss = m.group(1), m.group(2)
            if role == "num":
                return r"\d+(?:[.,]\d+)? ", None
            self.counter += 1
            name = f"r{self.counter}"
            self.groups.append((name, role))
            rx = rf"(?P<{name}>@p\d+) " + ("(?:'s )?" if poss else "")
            return rx, frozenset({"@p"})
        if body.startswith("@"):
            name = body[1:]
            if name not in self.sets:
                raise CatalogueError(f"{self.where}: unknown cue set @{name}")
            alts = [self._sequence(e) for e in self.sets[name]]
            rx = "(?:" + "|".join(a for a, _ in alts) + ")"
            if any(an is None for _, an in alts):
                return rx, None
            return rx, frozenset().union(*(an for _, an in alts if an is not None))
        words = [w for w in body.split("|") if w]
        if not words:
            raise CatalogueError(f"{self.where}: empty word in template")
        alts_rx: list[str] = []
        anchors: set[str] = set()
        for w in words:
            verb = w.endswith("~")
            toks = _norm_tokens(w[:-1] if verb else w)
            if not toks:
                raise CatalogueError(f"{self.where}: {w!r} has no word in it")
            if verb and len(toks) == 1:
                forms = sorted(inflect(toks[0]), key=len, reverse=True)
                alts_rx.append("(?:" + "|".join(re.escape(f) for f in forms) + ") ")
                anchors |= set(forms)
            else:
                alts_rx.append("".join(re.escape(t) + " " for t in toks))
                anchors.add(toks[0])
        return "(?:" + "|".join(alts_rx) + ")", frozenset(anchors)


# ------------------------------------------------------------------------------ catalogue


@dataclass(frozen=True, slots=True)
class Window:
    """Templates looked for in units around the match (``before`` / ``after`` units)."""

    templates: tuple[Template, ...]
    before: int = 0
    after: int = 0
    self: bool = True  # the unit of the match counts too


@dataclass(slots=True)
class Pattern:
    id: str
    kind: str  # template | keyword | derived | ledger
    on: str = "narrative"  # narrative | speech | any
    match: tuple[Template, ...] = ()
    keywords: tuple[str, ...] = ()
    bind: dict[str, str] = field(default_factory=dict)
    optional: frozenset[str] = frozenset()
    requires: tuple[tuple[Template, ...], ...] = ()
    veto: tuple[Template, ...] = ()
    followed_by: Window | None = None
    unless_followed_by: Window | None = None
    unless_near: Window | None = None  # vetoed when one of these is in the units around
    context: str | Window | None = None  # None | "romance" | "prior-romance" | Window
    implies_romance: bool = False
    unless_couple: bool = False  # not between an established couple (ledger: spouse, partner...)
    romantic_if: tuple[Template, ...] = ()  # in-sentence cues that make the context romantic
    consent: bool | None = None
    type: str | None = None
    confidence: float = 0.7
    late: bool = False
    rule: str | None = None  # derived rule / ledger pattern
    choice: tuple[Template, ...] = ()


@dataclass(slots=True)
class TropeDef:
    id: str
    name: str
    aliases: list[str]
    definition: str
    category: str
    romance: bool
    roles: list[str]
    consent: bool
    consent_note: str | None
    cues: dict[str, list[str]]
    conditions: list[str]
    patterns: list[Pattern]
    genders: dict[str, str]
    symmetric: tuple[str, ...]  # roles whose order means nothing (suitor, suitor_2)
    needs_character: bool  # False: may stand with no role bound (a time skip)
    types: dict[str, tuple[Template, ...]]
    variants: dict[str, dict[str, tuple[Template, ...]]]


@dataclass(slots=True)
class Catalogue:
    tropes: list[TropeDef]
    cue_sets: dict[str, list[str]]
    consent_note: str
    romance_window: int
    romance: tuple[Template, ...]
    violence: tuple[Template, ...]
    family_words: frozenset[str]
    version: int = 1
    # Per phase (early, late) and unit kind (narrative, speech): anchor token → the
    # (trope index, pattern index, template index) it may open; templates without anchor.
    index: dict[tuple[bool, bool], dict[str, list[tuple[int, int, int]]]] = field(
        default_factory=dict
    )
    always: dict[tuple[bool, bool], list[tuple[int, int, int]]] = field(default_factory=dict)
    keyword_jobs: list[tuple[int, int]] = field(default_factory=list)

    def build_index(self) -> None:
        self.index = {(late, sp): {} for late in (False, True) for sp in (False, True)}
        self.always = {(late, sp): [] for late in (False, True) for sp in (False, True)}
        self.keyword_jobs = []
        for ti, t in enumerate(self.tropes):
            for pi, pat in enumerate(t.patterns):
                if pat.kind == "keyword":
                    self.keyword_jobs.append((ti, pi))
                kinds = {"narrative": (False,), "speech": (True,), "any": (False, True)}[pat.on]
                for sp in kinds:
                    key = (pat.late, sp)
                    for k, tpl in enumerate(pat.match):
                        if tpl.anchors is None:
                            self.always[key].append((ti, pi, k))
                        else:
                            for a in tpl.anchors:
                                self.index[key].setdefault(a, []).append((ti, pi, k))

    def jobs(self, vocab: frozenset[str], late: bool, speech: bool) -> list[tuple[int, int, int]]:
        """The templates that may match a unit with these tokens, in catalogue order."""
        found = set(self.always[(late, speech)])
        index = self.index[(late, speech)]
        for w in vocab:
            hit = index.get(w)
            if hit:
                found.update(hit)
        return sorted(found)

    def get(self, trope_id: str) -> TropeDef:
        for t in self.tropes:
            if t.id == trope_id:
                return t
        raise KeyError(trope_id)


def default_path() -> Path:
    return Path(str(resources.files("sceneanatomy") / "data" / "tropes.yaml"))


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Load and compile the trope catalogue (the shipped one by default)."""
    return _load(str(path) if path is not None else str(default_path()))


# libyaml's safe loader when PyYAML was built with it (the same data, ~8x faster).
_YAML_SAFE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=8)
def _load(path: str) -> Catalogue:
    try:
        data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_YAML_SAFE)
    except (OSError, yaml.YAMLError) as e:
        raise CatalogueError(f"cannot read the trope catalogue {path}: {e}") from e
    return build_catalogue(data)


def _strs(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise CatalogueError(f"{where}: expected a string or a list of strings")


def build_catalogue(data: Any) -> Catalogue:
    """Validate and compile catalogue data (the parsed YAML)."""
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise CatalogueError(f"the trope catalogue must be a mapping with schema: {SCHEMA}")
    sets = {k: _strs(v, f"cue_sets.{k}") for k, v in (data.get("cue_sets") or {}).items()}
    note = str(data.get("consent_note") or "A physically coercive move.")
    gcomp = _Compiler(sets, "cue_sets")
    romance = tuple(gcomp.compile(s) for s in ["@romance"]) if "romance" in sets else ()
    violence = tuple(gcomp.compile(s) for s in ["@violence"]) if "violence" in sets else ()
    family = frozenset(w.lower() for w in sets.get("family", []))
    gvariants = _variants(data.get("variants") or {}, gcomp, "variants")
    tropes: list[TropeDef] = []
    seen: set[str] = set()
    for i, t in enumerate(data.get("tropes") or []):
        if not isinstance(t, dict) or not t.get("id"):
            raise CatalogueError(f"tropes[{i}]: a trope needs an id")
        tid = str(t["id"])
        if tid in seen:
            raise CatalogueError(f"tropes[{i}]: duplicate id {tid!r}")
        seen.add(tid)
        tropes.append(_trope(t, tid, sets, gvariants, note))
    cat = Catalogue(
        tropes,
        sets,
        note,
        int(data.get("romance_window", 6)),
        romance,
        violence,
        family,
        int(data.get("version", 1)),
    )
    cat.build_index()
    return cat


def _variants(
    spec: dict[str, Any], comp: _Compiler, where: str
) -> dict[str, dict[str, tuple[Template, ...]]]:
    out: dict[str, dict[str, tuple[Template, ...]]] = {}
    for variant, scopes in spec.items():
        if variant not in VARIANTS[1:]:
            raise CatalogueError(f"{where}: unknown variant {variant!r}")
        out[variant] = {
            scope: tuple(comp.compile(s) for s in _strs(scopes.get(scope), f"{where}.{variant}"))
            for scope in ("sentence", "nearby")
        }
    return out


def _trope(
    t: dict[str, Any],
    tid: str,
    gsets: dict[str, list[str]],
    gvariants: dict[str, dict[str, tuple[Template, ...]]],
    note: str,
) -> TropeDef:
    where = f"trope {tid}"
    category = t.get("category", "in-story")
    if category not in CATEGORIES:
        raise CatalogueError(f"{where}: category must be one of {', '.join(CATEGORIES)}")
    for key in ("name", "definition"):
        if not isinstance(t.get(key), str) or not t[key].strip():
            raise CatalogueError(f"{where}: {key} is required")
    cues = {k: _strs(v, f"{where}.cues.{k}") for k, v in (t.get("cues") or {}).items()}
    comp = _Compiler({**gsets, **cues}, where)
    roles = _strs(t.get("roles"), f"{where}.roles")
    patterns = [
        _pattern(p, f"{where} pattern {j}", comp, roles)
        for j, p in enumerate(t.get("patterns") or [])
    ]
    if not patterns:
        raise CatalogueError(f"{where}: no patterns")
    types = {
        str(k): tuple(comp.compile(s) for s in _strs(v, f"{where}.types.{k}"))
        for k, v in (t.get("types") or {}).items()
    }
    variants = dict(gvariants)
    if t.get("variants"):
        variants.update(_variants(t["variants"], comp, f"{where}.variants"))
    return TropeDef(
        id=tid,
        name=str(t["name"]),
        aliases=[str(a) for a in t.get("aliases") or []],
        definition=str(t["definition"]),
        category=category,
        romance=bool(t.get("romance", False)),
        roles=roles,
        consent=bool(t.get("consent", False)),
        consent_note=str(t.get("consent_note") or note),
        cues=cues,
        conditions=_strs(t.get("conditions"), f"{where}.conditions"),
        patterns=patterns,
        genders={str(k): str(v) for k, v in (t.get("genders") or {}).items()},
        symmetric=tuple(_strs(t.get("symmetric"), f"{where}.symmetric")),
        needs_character=bool(t.get("needs_character", True)),
        types=types,
        variants=variants,
    )


def _window(spec: Any, comp: _Compiler, where: str, default_after: int = 0) -> Window:
    if not isinstance(spec, dict) or "any" not in spec:
        raise CatalogueError(f"{where}: a window needs `any: [templates]`")
    return Window(
        tuple(comp.compile(s) for s in _strs(spec["any"], where)),
        int(spec.get("before", 0)),
        int(spec.get("after", default_after)),
        bool(spec.get("self", True)),
    )


def _pattern(p: dict[str, Any], where: str, comp: _Compiler, roles: list[str]) -> Pattern:
    if not isinstance(p, dict):
        raise CatalogueError(f"{where}: a pattern must be a mapping")
    kind = p.get("kind") or ("keyword" if "keywords" in p else "template")
    if kind not in PATTERN_KINDS:
        raise CatalogueError(f"{where}: unknown kind {kind!r}")
    pid = str(p.get("id") or kind)
    where = f"{where} ({pid})"
    pat = Pattern(id=pid, kind=kind, confidence=float(p.get("confidence", 0.7)))
    pat.on = str(p.get("units", "narrative"))
    if pat.on not in ("narrative", "speech", "any") or True in p:
        raise CatalogueError(f"{where}: units must be narrative, speech or any")
    if kind == "template":
        pat.match = tuple(comp.compile(s) for s in _strs(p.get("match"), where))
        if not pat.match:
            raise CatalogueError(f"{where}: match is required")
    elif kind == "keyword":
        pat.keywords = tuple(unicodedata.normalize("NFC", k).casefold() for k in p["keywords"])
    elif kind == "derived":
        pat.rule = str(p.get("rule"))
        if pat.rule not in DERIVED_RULES:
            raise CatalogueError(f"{where}: unknown derived rule {pat.rule!r}")
        pat.choice = tuple(comp.compile(s) for s in _strs(p.get("choice"), where))
    else:
        pat.rule = str(p.get("pattern"))
        if pat.rule not in LEDGER_PATTERNS:
            raise CatalogueError(f"{where}: unknown ledger pattern {pat.rule!r}")
    bind = p.get("bind") or {}
    for role, rule in bind.items():
        if rule not in BIND_RULES:
            raise CatalogueError(f"{where}: unknown bind rule {rule!r} for {role}")
    pat.bind = {str(k): str(v) for k, v in bind.items()}
    pat.optional = frozenset(_strs(p.get("optional"), where))
    for role in [*pat.bind, *(r for tpl in pat.match for r in tpl.roles), *pat.optional]:
        if roles and role not in roles:
            raise CatalogueError(f"{where}: role {role!r} is not one of the trope's roles")
    reqs = []
    for r in p.get("requires") or []:
        reqs.append(tuple(comp.compile(s) for s in _strs(r, where)))
    pat.requires = tuple(reqs)
    pat.veto = tuple(comp.compile(s) for s in _strs(p.get("veto"), where))
    if p.get("followed_by") is not None:
        pat.followed_by = _window(p["followed_by"], comp, where)
    if p.get("unless_followed_by") is not None:
        pat.unless_followed_by = _window(p["unless_followed_by"], comp, where)
    if p.get("unless_near") is not None:
        pat.unless_near = _window(p["unless_near"], comp, where)
    ctx = p.get("context")
    if isinstance(ctx, dict):
        pat.context = _window(ctx, comp, where)
    elif ctx in (None, "romance", "prior-romance"):
        pat.context = ctx
    else:
        raise CatalogueError(f"{where}: context must be romance, prior-romance or a window")
    pat.implies_romance = bool(p.get("implies_romance", False))
    pat.romantic_if = tuple(comp.compile(s) for s in _strs(p.get("romantic_if"), where))
    pat.unless_couple = bool(p.get("unless_couple", False))
    pat.consent = p.get("consent")
    pat.type = p.get("type")
    pat.late = bool(p.get("late", False)) or ctx == "prior-romance"
    return pat
