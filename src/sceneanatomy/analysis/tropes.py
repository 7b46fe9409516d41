"""Tropes: familiar moves of a scene, detected as relations over resolved characters.

``detect_tropes(doc)`` is a stage (``Document -> Document``). It reads what earlier stages
wrote — ``doc.characters`` (names, aliases, gender), pronoun mentions from
:mod:`.coref` (``Character.mentions`` of kind ``pronoun``; when none are there it resolves
pronouns itself), ``Element.speaker_id`` / ``addressee_id``, and, when the relationships
stage ran, ``doc.relationships`` (triangles, unrequited love, second leads) — and writes:

- ``Scene.tropes``: the in-story tropes of each scene, each a
  :class:`~sceneanatomy.model.TropeHit` with its roles (character ids), variant, consent
  flag, evidence spans and confidence;
- ``Document.audience_tropes``: viewers' terms (second lead syndrome, "Team X", shipping),
  kept apart from what happens in the story.

What a trope is, its roles, cues and patterns live in the catalogue
(``sceneanatomy/data/tropes.yaml``); this module holds only the generic machinery. Text is
read in *units* (a sentence of an action line or of narration, or one spoken line). In a
unit every character mention (a name, "the director", a resolved he/she/him/her) becomes
one placeholder token, so that a catalogue template such as
``@verbs (up|back)? <patient> *3 @prepositions *2 @surfaces`` matches "backs **her** against
the sofa" with ``patient`` bound to the character "her" refers to. Roles the template does
not hold are bound by rule (``subject``: the subject of the clause before the verb;
``other-subject``; ``counterpart``; ``speaker`` / ``addressee`` of a spoken line...).
A romantic trope also needs a romantic context (a romance word near it, another romantic
move between the same people, or a romantic edge in the ledger); a violent sentence vetoes
it. See docs/tropes.md.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..model import Document, Element, ElementKind, LineIndex, Scene, Span, TropeHit
from ..names import fold, roman_key
from .dialogue_refs import FEMALE_PRONOUNS, MALE_PRONOUNS, NameIndex, Token, tokenize

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

NARRATIVE_KINDS = frozenset({ElementKind.ACTION, ElementKind.NARRATION})
SPEECH_KINDS = frozenset({ElementKind.DIALOGUE, ElementKind.SUBTITLE, ElementKind.LYRIC})
_PRONOUNS = MALE_PRONOUNS | FEMALE_PRONOUNS
_SENT_END = re.compile(r"(?<=[.!?…])[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9\uac00-\ud7a3])")
_PERSON = re.compile(r"@p(\d+)")
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


# ------------------------------------------------------------------------------ units


@dataclass(slots=True)
class _Person:
    start: int
    end: int
    cid: str | None
    conf: float
    role: str  # subj | obj | obl | poss | refl
    pronoun: str | None


@dataclass(slots=True)
class _Unit:
    index: int
    start: int
    end: int
    speech: bool
    element: Element
    persons: list[_Person] = field(default_factory=list)
    s: str = ""  # the token string: tokens joined by spaces, persons as @pN
    pos: list[int] = field(default_factory=list)  # start of each token in ``s``
    offs: list[tuple[int, int]] = field(default_factory=list)  # source offsets of each token
    vocab: frozenset[str] = frozenset()
    raw: str = ""  # NFC casefolded source text, for keywords
    speaker: str | None = None
    addressee: str | None = None
    cheap: frozenset[str] = frozenset()  # the words of the unit, before it is built
    pending: Any = None  # the builder, until the unit is first needed

    def ready(self) -> _Unit:
        """Build the token string and the persons on first use (most units never need it)."""
        if self.pending is not None:
            build, self.pending = self.pending, None
            build(self)
        return self

    def source_range(self, a: int, b: int) -> tuple[int, int]:
        """Source offsets of the tokens covering ``s[a:b]``."""
        i = bisect.bisect_right(self.pos, a) - 1
        j = bisect.bisect_left(self.pos, b) - 1
        i, j = max(i, 0), max(j, 0)
        return self.offs[i][0], self.offs[max(i, j)][1]


@dataclass(slots=True)
class _Cand:
    trope: TropeDef
    pattern: Pattern
    scene: int
    unit: int
    roles: dict[str, str]
    conf: float
    evidence: list[tuple[int, int]]
    variant: str = "straight"
    type: str | None = None
    supported: bool = False  # a romantic context was found


class _Doc:
    """What the matcher needs about a document: its units, characters and ledger."""

    def __init__(self, doc: Document, index: NameIndex) -> None:
        self.doc = doc
        self.index = index
        self.text = doc.source_text
        self.lix = LineIndex(doc.source_text)
        self.gender = {c.id: c.gender for c in doc.characters}
        self.names = {c.id: c.name for c in doc.characters}
        self.mentions = _mentions(doc)
        self.mention_starts = [m[0] for m in self.mentions]
        self.has_names = any(m[4] is None for m in self.mentions)
        self.name_keys = _name_keys(doc)
        if not any(m[4] is not None for m in self.mentions) and doc.characters:
            self._add_pronoun_links()
        self.romantic_pairs: set[frozenset[str]] = set()
        self.family_pairs: set[frozenset[str]] = set()
        self.couple_pairs: set[frozenset[str]] = set()
        self.romantic_edges: list[tuple[str, str, str]] = []  # (from, to, requited)
        for r in getattr(doc, "relationships", []) or []:
            pair = frozenset((r.from_id, r.to_id))
            if r.kind == "romantic":
                self.romantic_pairs.add(pair)
                self.romantic_edges.append((r.from_id, r.to_id, r.requited))
                if r.subtype in _COUPLE_SUBTYPES:
                    self.couple_pairs.add(pair)
            elif r.kind == "family":
                self.family_pairs.add(pair)
        self.units: dict[int, list[_Unit]] = {s.index: self._units(s) for s in doc.scenes}

    def span(self, a: int, b: int) -> Span:
        return self.lix.span(a, b)

    def _add_pronoun_links(self) -> None:
        """No coreference stage ran: resolve the pronouns here (the coref module's rules)."""
        from .coref import resolve_pronouns

        extra = [
            (link.start, link.end, link.character_id, link.confidence, link.surface.lower())
            for link in resolve_pronouns(self.doc, self.index)
            if link.character_id
        ]
        self.mentions = sorted(self.mentions + extra)
        self.mention_starts = [m[0] for m in self.mentions]

    # -- building units
    def _units(self, scene: Scene) -> list[_Unit]:
        quotes = [
            (e.span.start_char, e.span.end_char)
            for e in scene.elements
            if e.kind in SPEECH_KINDS and e.speaker is None
        ]
        pieces: list[tuple[int, int, bool, Element]] = []
        for el in scene.elements:
            if el.kind in NARRATIVE_KINDS:
                for a, b in _sentences(self.text, el.span.start_char, el.span.end_char):
                    pieces.append((a, b, False, el))
            elif el.kind in SPEECH_KINDS and el.text.strip():
                pieces.append((el.span.start_char, el.span.end_char, True, el))
        pieces.sort(key=lambda p: (p[0], p[2]))
        units: list[_Unit] = []
        presence: list[tuple[int, str]] = []
        for k, (a, b, speech, el) in enumerate(pieces):
            u = _Unit(k, a, b, speech, el)
            u.raw = unicodedata.normalize("NFC", self.text[a:b]).casefold()
            cheap = _cheap_vocab(self.text[a:b])
            mentions = self._mentions_in(a, b)
            if mentions or cheap & _PRONOUNS or self._maybe_name(a, b):
                cheap.add("@p")
            u.cheap = frozenset(cheap)
            if speech:
                u.speaker, u.addressee = el.speaker_id, el.addressee_id
                if el.speaker_id:
                    presence.append((a, el.speaker_id))
            presence.extend((m[0], m[2]) for m in mentions if m[2])
            masked = [] if speech else [q for q in quotes if a <= q[0] < b]
            u.pending = self._builder(masked, presence, quotes)
            units.append(u)
        presence.sort()
        return units

    def _maybe_name(self, a: int, b: int) -> bool:
        """A capitalised word of ``[a, b)`` that may be a character's name."""
        keys = self.name_keys
        return any(_rkey(w) in keys for w in _CAPITALISED.findall(self.text, a, b))

    def _builder(
        self,
        masked: list[tuple[int, int]],
        presence: list[tuple[int, str]],
        quotes: list[tuple[int, int]],
    ) -> Any:
        def build(u: _Unit) -> None:
            tokens = tokenize(self.text[u.start : u.end], u.start)
            found = self._found(u.start, u.end, tokens, masked)
            self._finish(u, tokens, found, presence, quotes)

        return build

    def _found(
        self, a: int, b: int, tokens: list[Token], quotes: list[tuple[int, int]]
    ) -> list[_Found]:
        """Character mentions of ``[a, b)``: the characters stage's, else found here."""

        def quoted(pos: int) -> bool:
            return any(q0 <= pos < q1 for q0, q1 in quotes)

        out: list[_Found] = []
        if self.has_names or not self.doc.characters:
            i = bisect.bisect_left(self.mention_starts, a)
            while i < len(self.mentions) and self.mentions[i][0] < b:
                m = self.mentions[i]
                if not quoted(m[0]):
                    out.append(m)
                i += 1
            # a form the characters stage did not record ("Seojun" for "Seo Jun")
            spans = [(m[0], m[1]) for m in out]
            if any(
                t.text[:1].isupper()
                and _rkey(t.text) in self.name_keys
                and not any(x <= t.start < y for x, y in spans)
                for t in tokens
            ):
                for h in self.index.find_names(self.text[a:b], a):
                    if not quoted(h.start) and not any(x < h.end and h.start < y for x, y in spans):
                        out.append(
                            (h.start, h.end, h.ids[0], 0.9 if len(h.ids) == 1 else 0.6, None)
                        )
        else:
            text = self.text[a:b]
            for h in self.index.find_names(text, a):
                if not quoted(h.start):
                    out.append((h.start, h.end, h.ids[0], 1.0 if len(h.ids) == 1 else 0.7, None))
            out.extend(m for m in self._mentions_in(a, b) if m[4] is not None)
        covered = [(m[0], m[1]) for m in out]
        for t in tokens:
            if (
                _low(t) in _PRONOUNS
                and not quoted(t.start)
                and not any(s <= t.start < e for s, e in covered)
            ):
                out.append((t.start, t.end, None, 0.0, _low(t)))
        out.sort()
        return out

    def _mentions_in(self, a: int, b: int) -> list[_Found]:
        i = bisect.bisect_left(self.mention_starts, a)
        out = []
        while i < len(self.mentions) and self.mentions[i][0] < b:
            out.append(self.mentions[i])
            i += 1
        return out

    def _finish(
        self,
        u: _Unit,
        tokens: list[Token],
        found: list[_Found],
        presence: list[tuple[int, str]],
        quotes: list[tuple[int, int]],
    ) -> None:
        from .coref import rule_role

        persons: list[_Person] = []
        for s, e, cid, conf, pron in found:
            if u.speech and pron is not None:
                continue  # he/she inside a spoken line: dialogue_refs' business, not ours
            if pron is not None and cid is None:
                cid, conf = self._fallback(s, pron, presence, persons)
            role, _clause = rule_role(tokens, s, e, pron)
            persons.append(_Person(s, e, cid, conf, role, pron))
        u.persons = persons
        parts: list[str] = []
        pos: list[int] = []
        offs: list[tuple[int, int]] = []
        length = 0
        pi = 0
        done_person = -1
        qspans = [q for q in quotes if u.start <= q[0] < u.end] if not u.speech else []
        done_quote = -1
        for t in tokens:
            while pi < len(persons) and persons[pi].end <= t.start:
                pi += 1
            q = -1
            for k, (q0, q1) in enumerate(qspans):
                if q0 <= t.start < q1:
                    q = k
                    break
            if q >= 0:
                if q == done_quote:
                    offs[-1] = (offs[-1][0], t.end)
                    continue
                done_quote = q
                word = "<q>"
            elif pi < len(persons) and persons[pi].start <= t.start < persons[pi].end:
                if pi == done_person:
                    offs[-1] = (offs[-1][0], t.end)
                    continue
                done_person = pi
                word = f"@p{pi}"
            else:
                word = _low(t)
                if not word or " " in word:
                    continue
            pos.append(length)
            offs.append((t.start, t.end))
            parts.append(word)
            length += len(word) + 1
        u.s = " ".join(parts) + " " if parts else ""
        u.pos, u.offs = pos, offs
        vocab = set(parts)
        if persons:
            vocab.add("@p")
        u.vocab = frozenset(vocab)

    def _fallback(
        self,
        pos: int,
        pronoun: str,
        presence: list[tuple[int, str]],
        earlier: list[_Person],
    ) -> tuple[str | None, float]:
        """An unresolved pronoun: the nearest character of that gender present in the scene."""
        want = "male" if pronoun in MALE_PRONOUNS else "female"
        exclude = set()
        if pronoun in ("him", "her"):
            exclude = {p.cid for p in earlier if p.role == "subj" and p.cid}
        best: dict[str, float] = {}
        for off, cid in presence:
            g = self.gender.get(cid, "unknown")
            if g not in (want, "unknown") or cid in exclude:
                continue
            d = abs(off - pos) * (1.0 if off <= pos else 1.5) + (2000 if g == "unknown" else 0)
            best[cid] = min(best.get(cid, d), d)
        if not best:
            return None, 0.0
        ranked = sorted(best.items(), key=lambda kv: (kv[1], kv[0]))
        conf = 0.6 if len(ranked) == 1 else (0.5 if ranked[1][1] > 2 * ranked[0][1] else 0.4)
        return ranked[0][0], conf


_Found = tuple[int, int, "str | None", float, "str | None"]  # start, end, id, confidence, pronoun
_COUPLE_SUBTYPES = frozenset({"spouse", "engaged", "partner", "ex-spouse", "ex"})
_MENTION_KINDS = frozenset({"name", "vocative", "pronoun"})


_rkey = lru_cache(maxsize=65536)(roman_key)
# The tokeniser's words (dialogue_refs.tokenize), for a quick look at a unit's vocabulary.
_CHEAP_WORD = re.compile(r"[^\W_](?:[\w'’\-‐]*[^\W_])?|['’][A-Za-z]{1,2}\b")
_CAPITALISED = re.compile(r"[A-Z\u00c0-\u024f\uac00-\ud7a3][\w'’\-]*")
_CHEAP_SPLIT = re.compile(r"^(.+?)(n't|'(?:s|re|m|ll|ve|d))$")


def _cheap_vocab(text: str) -> set[str]:
    """The lower-cased words of ``text`` as the tokeniser would give them (a superset)."""
    low = fold(text).replace("’", "'") if not text.isascii() else text.lower()
    out = set(_CHEAP_WORD.findall(low))
    for w in [w for w in out if "'" in w]:
        c = _CHEAP_SPLIT.match(w)
        if c:
            out.add(c.group(1))
            out.add(c.group(2))
    return out


def _low(t: Token) -> str:
    """The token as the templates see it: lower case, straight apostrophes, no accents."""
    return t.text.lower() if t.text.isascii() else t.lower


def _name_keys(doc: Document) -> frozenset[str]:
    """Romanization keys of every alias, alias word and joined alias of the characters."""
    keys: set[str] = set()
    for c in doc.characters:
        for alias in {c.name, *c.aliases}:
            words = alias.replace("-", " ").split()
            keys.add(roman_key(alias))
            keys.update(roman_key(w) for w in words)
            keys.update(roman_key("".join(words[i:])) for i in range(len(words)))
    keys.discard("")
    return frozenset(keys)


def _mentions(doc: Document) -> list[_Found]:
    """The characters' mentions (names, vocatives, resolved pronouns), longest first, no overlaps."""
    raw = sorted(
        (
            (m.span.start_char, m.span.end_char, c.id, m.confidence, m.kind)
            for c in doc.characters
            for m in c.mentions
            if m.kind in _MENTION_KINDS and m.character_id
        ),
        key=lambda m: (m[0], -(m[1] - m[0]), -m[3]),
    )
    out: list[_Found] = []
    end = -1
    for s, e, cid, conf, kind in raw:
        if s < end:
            continue
        pron = doc.source_text[s:e].lower() if kind == "pronoun" else None
        out.append((s, e, cid, conf, pron))
        end = e
    return out


def _sentences(text: str, a: int, b: int) -> list[tuple[int, int]]:
    chunk = text[a:b]
    out, pos = [], 0
    for m in _SENT_END.finditer(chunk):
        out.append((a + pos, a + m.start()))
        pos = m.end()
    out.append((a + pos, b))
    res = []
    for s, e in out:
        seg = text[s:e]
        lead = len(seg) - len(seg.lstrip())
        trail = len(seg) - len(seg.rstrip())
        if seg.strip():
            res.append((s + lead, e - trail))
    return res


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


# ------------------------------------------------------------------------------ the stage


def detect_tropes(
    doc: Document, catalogue: Catalogue | None = None, index: NameIndex | None = None
) -> Document:
    """The stage: write ``Scene.tropes`` and ``Document.audience_tropes`` (see module doc)."""
    cat = catalogue if catalogue is not None else load_catalogue()
    index = index if index is not None else NameIndex.from_document(doc)
    d = _Doc(doc, index)
    by_scene: dict[int, list[_Cand]] = {}
    for scene in doc.scenes:
        by_scene[scene.index] = _scene(cat, d, scene.index)
    for c in _derived(cat, d, by_scene) + _ledger(cat, d):
        by_scene.setdefault(c.scene, []).append(c)
    doc.audience_tropes = []
    for scene in doc.scenes:
        hits = _merge(d, by_scene.get(scene.index, []))
        scene.tropes = [h for h in hits if h.category == "in-story"]
        doc.audience_tropes.extend(h for h in hits if h.category == "audience")
    return doc


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


def _merge(d: _Doc, cands: list[_Cand]) -> list[TropeHit]:
    """One hit per (trope, roles, variant) in a scene: evidence joined, best confidence."""
    merged: dict[tuple[Any, ...], TropeHit] = {}
    order: list[tuple[Any, ...]] = []
    for c in sorted(cands, key=lambda c: (c.evidence[0] if c.evidence else (0, 0), c.trope.id)):
        key = (c.trope.id, tuple(sorted(c.roles.items())), c.variant)
        consent = c.pattern.consent if c.pattern.consent is not None else c.trope.consent
        spans = [d.span(a, b) for a, b in c.evidence]
        if key not in merged:
            hit = TropeHit(
                id=c.trope.id,
                name=c.trope.name,
                category=c.trope.category,
                variant=c.variant,
                consent_flag=bool(consent),
                consent_note=c.trope.consent_note if consent else None,
                roles=dict(c.roles),
                evidence=spans,
                confidence=c.conf,
                rule=c.pattern.id,
                scene_index=c.scene,
            )
            if c.type:
                hit.attrs["type"] = c.type
            merged[key] = hit
            order.append(key)
            continue
        hit = merged[key]
        for s in spans:
            if s not in hit.evidence:
                hit.evidence.append(s)
        hit.evidence.sort(key=lambda s: s.start_char)
        if c.conf > hit.confidence:
            hit.confidence, hit.rule = c.conf, c.pattern.id
        if consent and not hit.consent_flag:
            hit.consent_flag, hit.consent_note = True, c.trope.consent_note
        if c.type and "type" not in hit.attrs:
            hit.attrs["type"] = c.type
    return [merged[k] for k in order]


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
        from .relationships import love_line
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


# ------------------------------------------------------------------------------ helpers


def scene_tropes(doc: Document, scene_index: int) -> list[TropeHit]:
    """The in-story tropes of one scene (after :func:`detect_tropes`)."""
    return list(doc.scenes[scene_index].tropes)


def all_tropes(doc: Document) -> list[TropeHit]:
    """Every in-story trope of the document, scene by scene."""
    return [h for s in doc.scenes for h in s.tropes]


def catalogue_ids(catalogue: Catalogue | None = None) -> list[str]:
    cat = catalogue if catalogue is not None else load_catalogue()
    return [t.id for t in cat.tropes]


def romance_trope_ids(catalogue: Catalogue | None = None) -> frozenset[str]:
    cat = catalogue if catalogue is not None else load_catalogue()
    return frozenset(t.id for t in cat.tropes if t.romance)


__all__: Sequence[str] = (
    "Catalogue",
    "CatalogueError",
    "TropeDef",
    "Pattern",
    "Template",
    "all_tropes",
    "build_catalogue",
    "catalogue_ids",
    "detect_tropes",
    "inflect",
    "load_catalogue",
    "romance_trope_ids",
    "scene_tropes",
)
