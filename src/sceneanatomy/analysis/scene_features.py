"""Scene-level features for document structure (turning points): size, cast, event words.

Pure Python (core install). The unit of analysis is a *dramatic unit*: a scene opened by a
real slug line (INT./EXT./...) together with the shot-level "scenes" that follow it
(``HIS P.O.V.``, ``BACK TO SCENE``, ``ANOTHER ANGLE``...), which some readers split out as
headings of their own. Material before the first slug line (title page, credits) is not a
unit. Documents without slug lines (subtitles, prose) use their scenes as units.

Every feature remembers the elements that produced it, so a turning point can cite the
lines that drove its score.

The event lexicon below is generic English written for this project (no lexicon is
copied): words that, in screenplay action and dialogue, mark violence, loss, love,
revelation, decision and danger.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..model import Document, Element, ElementKind, Scene
from .lexicon import STOPWORDS

_TEXT_KINDS = frozenset(
    {
        ElementKind.ACTION,
        ElementKind.DIALOGUE,
        ElementKind.PARENTHETICAL,
        ElementKind.LYRIC,
        ElementKind.SUBTITLE,
        ElementKind.NARRATION,
        ElementKind.SOUND,
        ElementKind.CENTERED,
    }
)
_SPOKEN = frozenset({ElementKind.DIALOGUE, ElementKind.LYRIC, ElementKind.SUBTITLE})
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_CUE_NOISE = re.compile(r"\s*[\(\[][^)\]]*[\)\]]|\s+CONT'?D\.?$|['’]S\s+VOICE\b.*$", re.I)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Event categories. Each is a set of lower-case word forms.
LEXICON: dict[str, frozenset[str]] = {
    "violence": _words(
        """
        kill kills killed killing killer killers murder murders murdered murderer
        shoot shoots shooting gun guns gunfire gunshot gunshots pistol pistols rifle rifles
        shotgun revolver bullet bullets blood bloody bleeding bleeds knife knives stab stabs
        stabbed stabbing punch punches punched fight fights fighting fought attack attacks
        attacked explosion explosions explodes exploded explode bomb bombs grenade blast
        strangle strangles choke chokes slams smashes smashed crashes crashing
        wrestle wrestles struggle struggles kicks kicked slash slashes axe hammer
        bang blam boom weapon weapons fires firing
        """
    ),
    "loss": _words(
        """
        dead die dies died dying death deaths corpse body bodies funeral grave coffin
        cancer hospital lost lose loses losing gone goodbye divorce fired alone cry cries
        crying cried tears tear sob sobs sobbing weep weeps weeping grief mourn sorry
        broken breaks hurt hurts miss leave leaves leaving left
        """
    ),
    "love": _words(
        """
        love loves loved loving lover kiss kisses kissed kissing marry marries married
        marriage wedding bride groom husband wife baby pregnant pregnancy sex romance
        romantic embrace embraces hug hugs darling honey sweetheart
        """
    ),
    "reveal": _words(
        """
        truth true secret secrets lie lies lied lying liar confess confesses confessed
        confession admit admits admitted reveal reveals revealed realize realizes realized
        discover discovers discovered discovery learn learns learned recognize recognizes
        recognized proof evidence photo photograph letter tape news understand knew
        """
    ),
    "decision": _words(
        """
        decide decides decided decision plan plans planned promise promises promised
        swear swore choose chooses chose choice agree agrees agreed deal offer offers
        offered accept accepts accepted refuse refuses refused quit must job mission
        idea gonna going
        """
    ),
    "danger": _words(
        """
        run runs running ran escape escapes escaped chase chases chasing flee flees fled
        hide hides hiding trapped trap help police cops cop arrest arrests arrested jail
        prison afraid scared fear terrified panic danger dangerous threat threatens
        screams scream screaming shouts shout yells yell alarm sirens siren hostage
        """
    ),
}
CATEGORIES: tuple[str, ...] = tuple(LEXICON)

# Basic feature names (besides the event categories).
BASIC: tuple[str, ...] = (
    "size",
    "speakers",
    "lead",
    "mains",
    "exclaim",
    "new_place",
    "centrality",
)


@dataclass(slots=True)
class Unit:
    """A dramatic unit: consecutive scenes of the document read as one scene."""

    index: int  # 0-based position among units
    scenes: list[int]  # document scene indices, the first one opens the unit
    words: int = 0
    terms: Counter[str] = field(default_factory=Counter)  # content words and speakers
    speakers: set[str] = field(default_factory=set)
    lines_by: Counter[str] = field(default_factory=Counter)
    raw: dict[str, float] = field(default_factory=dict)  # raw feature values
    hits: dict[str, list[tuple[Element, list[str]]]] = field(default_factory=dict)


def normalize_cue(speaker: str) -> str:
    """A speaker key: the cue without extensions, upper-cased."""
    return " ".join(_CUE_NOISE.sub("", speaker).upper().split())


def units_of(doc: Document) -> list[Unit]:
    """Group the document's scenes into dramatic units (see the module docstring)."""
    slugged = [s for s in doc.scenes if s.int_ext is not None]
    units: list[Unit] = []
    if not slugged:
        for s in doc.scenes:
            if _has_text(s):
                units.append(Unit(len(units), [s.index]))
        return units
    for s in doc.scenes:
        if s.int_ext is not None:
            units.append(Unit(len(units), [s.index]))
        elif units:
            units[-1].scenes.append(s.index)
    return units


def _has_text(scene: Scene) -> bool:
    return any(e.kind in _TEXT_KINDS and e.text.strip() for e in scene.elements)


def _speaker_of(el: Element) -> str | None:
    if el.speaker_id:
        return el.speaker_id
    if el.speaker:
        key = normalize_cue(el.speaker)
        return key or None
    return None


def main_speakers(doc: Document, k: int = 3) -> list[str]:
    """The ``k`` speakers with most spoken lines (ties broken by name, so deterministic)."""
    counts: Counter[str] = Counter()
    for el in doc.elements():
        if el.kind in _SPOKEN:
            who = _speaker_of(el)
            if who:
                counts[who] += 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [name for name, _ in ranked[:k]]


def _name_tokens(doc: Document, key: str) -> set[str]:
    """Lower-case words by which a main character is named in action lines."""
    ch = doc.character(key)
    forms = list(ch.aliases) + [ch.name] if ch else [key]
    out: set[str] = set()
    for f in forms:
        for w in _WORD.findall(f.lower()):
            if len(w) > 2 and w not in {"the", "and", "mrs", "miss", "mister", "man", "woman"}:
                out.add(w)
    return out


EmotionFn = Callable[[Sequence[str]], list[dict[str, float]]]


def compute_units(
    doc: Document,
    *,
    mains_k: int = 3,
    mains: Sequence[str] | None = None,
    emotion: EmotionFn | None = None,
) -> list[Unit]:
    """Units with their raw features and the elements behind each event category.

    ``mains`` overrides the main characters (by default the ``mains_k`` speakers with most
    lines; the first is the lead).
    """
    units = units_of(doc)
    mains = list(mains) if mains is not None else main_speakers(doc, mains_k)
    main_names = {m: _name_tokens(doc, m) for m in mains}
    seen_places: set[str] = set()
    spoken_texts: list[str] = []
    spoken_owner: list[int] = []
    for u in units:
        counts = dict.fromkeys(CATEGORIES, 0)
        hits: dict[str, list[tuple[Element, list[str]]]] = {c: [] for c in CATEGORIES}
        exclaim = 0
        present: set[str] = set()
        words_all = 0
        for si in u.scenes:
            for el in doc.scenes[si].elements:
                if el.kind not in _TEXT_KINDS:
                    continue
                toks = _WORD.findall(el.text.lower())
                words_all += len(toks)
                u.terms.update(t for t in toks if len(t) > 2 and t not in STOPWORDS)
                if el.kind in _SPOKEN:
                    who = _speaker_of(el)
                    if who:
                        u.terms["@" + who] += 1
                        u.speakers.add(who)
                        u.lines_by[who] += 1
                        if who in main_names:
                            present.add(who)
                    exclaim += el.text.count("!")
                    if emotion is not None and el.text.strip():
                        spoken_texts.append(el.text)
                        spoken_owner.append(u.index)
                else:
                    tokset = set(toks)
                    for m, names in main_names.items():
                        if names & tokset:
                            present.add(m)
                for cat in CATEGORIES:
                    found = [t for t in toks if t in LEXICON[cat]]
                    if found:
                        counts[cat] += len(found)
                        hits[cat].append((el, found))
        u.words = words_all
        first = doc.scenes[u.scenes[0]]
        place = (first.location or first.heading or "").upper().split(" - ")[0].strip()
        new_place = bool(place) and place not in seen_places
        if place:
            seen_places.add(place)
        per100 = 100.0 / max(words_all, 25)
        u.raw = {
            "size": math.log1p(words_all),
            "speakers": float(len(u.speakers)),
            "lead": 1.0 if mains and mains[0] in present else 0.0,
            "mains": float(len(present)),
            "exclaim": exclaim * per100,
            "new_place": 1.0 if new_place else 0.0,
        }
        for cat in CATEGORIES:
            u.raw[cat] = math.log1p(counts[cat] * per100)
        u.hits = hits
    for u, c in zip(units, centrality(units), strict=True):
        u.raw["centrality"] = c
    if emotion is not None:
        _add_emotion(units, spoken_texts, spoken_owner, emotion)
    return units


def centrality(units: list[Unit]) -> list[float]:
    """Mean TF-IDF cosine of each unit to the other units (TextRank-style importance).

    Terms are content words and speakers; terms in a single unit (no pairs) or in more
    than half of the units (little weight, many pairs) are skipped.
    """
    n = len(units)
    if n < 2:
        return [0.0] * n
    df: Counter[str] = Counter()
    for u in units:
        df.update(u.terms.keys())
    vecs: list[dict[str, float]] = []
    for u in units:
        v = {t: math.log1p(c) * math.log(n / df[t]) for t, c in u.terms.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vecs.append({t: x / norm for t, x in v.items() if 1 < df[t] <= n / 2})
    postings: dict[str, list[tuple[int, float]]] = {}
    for i, v in enumerate(vecs):
        for t, x in v.items():
            postings.setdefault(t, []).append((i, x))
    total = [0.0] * n
    for plist in postings.values():
        s = sum(x for _, x in plist)
        for i, x in plist:
            total[i] += x * (s - x)
    return [t / (n - 1) for t in total]


def _add_emotion(units: list[Unit], texts: list[str], owner: list[int], emotion: EmotionFn) -> None:
    """Mean non-neutral intensity and negative share of the unit's spoken lines."""
    sums = [[0.0, 0.0, 0] for _ in units]
    probs = emotion(texts) if texts else []
    negative = ("anger", "sadness", "fear", "disgust", "surprise")
    for ui, p in zip(owner, probs, strict=False):
        s = sums[ui]
        s[0] += 1.0 - float(p.get("neutral", 0.0))
        s[1] += sum(float(p.get(n, 0.0)) for n in negative)
        s[2] += 1
    for u, (inten, neg, n) in zip(units, sums, strict=True):
        u.raw["intensity"] = inten / n if n else 0.0
        u.raw["negative"] = neg / n if n else 0.0


def zscores(units: list[Unit], names: Sequence[str]) -> list[dict[str, float]]:
    """Each feature standardised over the document's units (0 when it does not vary)."""
    out: list[dict[str, float]] = [{} for _ in units]
    n = len(units)
    for name in names:
        vals = [u.raw.get(name, 0.0) for u in units]
        mean = sum(vals) / n if n else 0.0
        var = sum((v - mean) ** 2 for v in vals) / n if n else 0.0
        sd = math.sqrt(var)
        for i, v in enumerate(vals):
            out[i][name] = (v - mean) / sd if sd > 1e-12 else 0.0
    return out
