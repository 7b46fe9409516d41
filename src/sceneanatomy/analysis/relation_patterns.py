"""The cue patterns of the relationship ledger: hand-written English rules, no trained data.

Patterns run over a *masked* sentence: every resolved person mention is replaced by one
private-use character (``U+E000`` + its index in the sentence's mention list) followed by
``U+E0FF`` fillers up to the mention's length, so offsets in the masked text are offsets
in the source. ``P`` matches one masked person, ``PL`` a coordination of them ("Lee Suho
and Han Seo Jun"). Quoted speech inside a narrative sentence is masked with ``U+E100``.

Each :class:`Rule` names a handler in :mod:`sceneanatomy.analysis.relationships` and the
kind / subtype / basis / event it yields; docs/relationships.md lists them in prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

# ------------------------------------------------------------------------- masking


def words(text: str) -> list[str]:
    """A word list written as one string ("mom dad ...")."""
    return text.split()


PERSON_BASE = 0xE000
PERSON_MAX = 0xFE  # at most 255 mentions per sentence are masked
FILLER = "\ue0ff"
QUOTE = "\ue100"

P = "[\ue000-\ue0fe]\ue0ff*"
PL = rf"{P}(?:\s*,\s*{P})*(?:\s*,?\s+(?:and|&)\s+{P})?"
_POSS = r"(?:\s*['’]s?(?=\s|$))?"


def person_indices(masked: str, start: int, end: int) -> list[int]:
    """Indices of the masked persons in ``masked[start:end]``."""
    return [
        ord(ch) - PERSON_BASE
        for ch in masked[start:end]
        if PERSON_BASE <= ord(ch) <= PERSON_BASE + PERSON_MAX
    ]


# ------------------------------------------------------------------------- inflection

_IRREGULAR: dict[str, tuple[str, ...]] = {
    "fall": ("fell", "fallen"),
    "choose": ("chose", "chosen"),
    "catch": ("caught",),
    "have": ("has", "had", "having"),
    "be": ("is", "are", "was", "were", "been", "being", "am"),
    "get": ("got", "gotten", "getting"),
    "go": ("goes", "went", "gone", "going"),
    "make": ("made", "making"),
    "break": ("broke", "broken"),
    "split": ("splitting",),
    "feel": ("felt",),
    "hide": ("hid", "hidden"),
    "tell": ("told",),
    "say": ("said",),
    "begin": ("began", "begun", "beginning"),
    "fight": ("fought",),
    "grow": ("grew", "grown"),
    "become": ("became",),
    "sleep": ("slept",),
    "wed": ("wedded", "wedding"),
    "stop": ("stopped", "stopping"),
    "drop": ("dropped", "dropping"),
    "step": ("stepped", "stepping"),
    "date": ("dated", "dating"),
    "hug": ("hugged", "hugging"),
    "win": ("won", "winning"),
    "leave": ("left",),
    "pick": ("picked", "picking"),
    "end": ("ended", "ending"),
    "forget": ("forgot", "forgotten"),
}


def inflect(lemma: str) -> list[str]:
    """lemma → its forms ("fall" → fall, falls, fell, fallen, falling)."""
    words = lemma.split(" ", 1)
    head, rest = words[0], (" " + words[1] if len(words) > 1 else "")
    forms = {head}
    if head.endswith("e"):
        forms |= {head + "s", head + "d", head[:-1] + "ing"}
    elif head.endswith("y") and head[-2:-1] not in "aeiou":
        forms |= {head[:-1] + "ies", head[:-1] + "ied", head + "ing"}
    elif head.endswith(("s", "sh", "ch", "x", "z", "o")):
        forms |= {head + "es", head + "ed", head + "ing"}
    else:
        forms |= {head + "s", head + "ed", head + "ing"}
    forms |= set(_IRREGULAR.get(head, ()))
    if head in ("fall", "tell", "sell"):
        forms.discard(head + "ed")
    return sorted((f + rest for f in forms), key=len, reverse=True)


def V(*lemmas: str) -> str:
    """A regex alternation of every form of ``lemmas`` (multi-word lemmas inflect the head)."""
    forms: list[str] = []
    for lemma in lemmas:
        forms.extend(inflect(lemma))
    forms = sorted(set(forms), key=len, reverse=True)
    return "(?:" + "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in forms) + ")"


# ------------------------------------------------------------------------- auxiliaries

_AUX_WORDS = words(
    "do does did is are am was were will would shall should can could may might must has have"
    " had be been being wo ca not never also still already soon now then even too both all each"
    " just always ever once again so very kinda totally completely secretly truly really finally"
    " maybe perhaps gradually eventually gonna"
) + [
    r"no\s+longer",
    r"[a-z]+ly",
    r"kind\s+of",
    r"sort\s+of",
    r"(?:begins?|began|begun|beginning|starts?|started|starting|seems?|seemed|appears?"
    r"|appeared|comes?|came|gets?|got|going|used|wants?|wanted|tries|try|tried|trying"
    r"|hopes?|hoped|decides?|decided|refuses?|refused|pretends?|pretended|learns?|learned"
    r"|learnt|grows?|grew|gonna)\s+to",
]
AUX = (
    r"(?P<aux>(?:\s*(?:['’](?:s|re|m|ve|d|ll)|n['’]t)(?=\s)|\s+(?:"
    + "|".join(_AUX_WORDS)
    + r")(?:n['’]t)?(?=\s))*)\s+"
)
NEGATION = re.compile(r"\b(?:not|never|no\s+longer)\b|n['’]t\b|\brefuse", re.I)
HEDGE = re.compile(
    r"\b(?:wants?|wanted|tries|try|tried|trying|hopes?|hoped|pretends?|pretended|going|gonna"
    r"|maybe|perhaps|might|may|could|would)\b",
    re.I,
)
BE_FORMS = re.compile(r"\b(?:is|are|am|was|were|be|been|being)\b|['’](?:s|re|m)\b", re.I)

# Words before a subject that make the clause a wish, a cause or a condition, not a fact.
NON_FACTUAL_BEFORE = re.compile(
    r"\b(?:make|makes|made|making|let|lets|letting|help|helps|helped|want|wants|wanted"
    r"|wish|wishes|wished|hope|hopes|hoped|force|forces|forced|convince|convinces|convinced"
    r"|persuade|persuades|persuaded|if|whether|unless|pretend|pretends|pretending|fake"
    r"|imagine|imagines|imagined|dream|dreams|dreamed|dreamt)\W*(?:\w+\W+)?$",
    re.I,
)
QUESTION_OPENERS = re.compile(
    r"^\W*(?:do|does|did|don['’]t|doesn['’]t|are|is|was|were|will|would|can|could|have|has"
    r"|why|how|what|when|who|where|so)\b",
    re.I,
)

# Clause boundaries (for finding the subject of a clause).
CLAUSE_BREAK = re.compile(
    r"[;:—–]|,\s*(?:but|while|and|as|although|though|yet|so|because|since|when|whereas|who"
    r"|which|until|before|after)\b|\b(?:but|while|because|although|though|whereas|until"
    r"|since|that|if|whether|as|when|however)\b",
    re.I,
)

# ------------------------------------------------------------------------- relation nouns


@dataclass(frozen=True, slots=True)
class NounSense:
    kind: str  # romantic | platonic | family | rivalry | other
    subtype: str  # what the *named* person is for the possessor ("parent": a parent)
    inverse: str | None  # the possessor for the named person; None: one direction only
    mutual: bool = False  # a romantic pair (both directions, requited yes)


_NOUN_GROUPS: list[tuple[str, NounSense]] = [
    (
        "mother mom mum mommy mummy mama momma ma father dad daddy papa pa parent parents"
        " stepmother stepfather stepmom stepmum stepdad eomma umma appa abeoji eomeoni",
        NounSense("family", "parent", "child"),
    ),
    (
        "son daughter child kid kids children stepson stepdaughter sons daughters",
        NounSense("family", "child", "parent"),
    ),
    (
        "brother sister sibling siblings twin half-brother half-sister stepbrother"
        " stepsister brothers sisters twins",
        NounSense("family", "sibling", "sibling"),
    ),
    (
        "aunt auntie aunty uncle cousin niece nephew grandmother grandma granny grandfather"
        " grandpa granddad granddaughter grandson grandchild grandparent grandparents"
        " mother-in-law father-in-law sister-in-law brother-in-law son-in-law"
        " daughter-in-law cousins nieces nephews halmeoni harabeoji",
        NounSense("family", "other-family", "other-family"),
    ),
    (
        "boyfriend girlfriend lover partner sweetheart boyfriends girlfriends",
        NounSense("romantic", "partner", "partner", mutual=True),
    ),
    ("husband wife spouse wives husbands", NounSense("romantic", "spouse", "spouse", mutual=True)),
    (
        "fiance fiancé fiancee fiancée betrothed bride groom",
        NounSense("romantic", "engaged", "engaged", mutual=True),
    ),
    (
        "ex ex-boyfriend ex-girlfriend ex-lover",
        NounSense("romantic", "ex", "ex"),
    ),
    ("ex-husband ex-wife", NounSense("romantic", "ex-spouse", "ex-spouse")),
    ("crush first-love", NounSense("romantic", "crush", None)),
    ("admirer", NounSense("romantic", "admirer", None)),
    (
        "friend friends bestie bff buddy buddies pal pals chingu",
        NounSense("platonic", "friend", "friend"),
    ),
    (
        "classmate classmates schoolmate schoolmates",
        NounSense("platonic", "classmate", "classmate"),
    ),
    ("roommate roommates flatmate flatmates", NounSense("platonic", "roommate", "roommate")),
    (
        "colleague colleagues coworker coworkers co-worker co-workers teammate teammates",
        NounSense("platonic", "colleague", "colleague"),
    ),
    ("neighbor neighbour neighbors neighbours", NounSense("other", "neighbor", "neighbor")),
    ("boss supervisor employer", NounSense("other", "boss", "subordinate")),
    ("employee assistant secretary subordinate intern", NounSense("other", "subordinate", "boss")),
    (
        "rival rivals nemesis arch-rival archrival enemy enemies",
        NounSense("rivalry", "rival", "rival"),
    ),
]

NOUNS: dict[str, NounSense] = {}
for _words, _sense in _NOUN_GROUPS:
    for _w in _words.split():
        NOUNS[_w.replace("-", " ") if _w == "first-love" else _w] = _sense

# Adjectives that may stand before a relation noun; some change its sense.
NOUN_ADJ = (
    r"(?:(?:best|older|younger|little|big|baby|twin|real|half|step|ex|former|late|new|old"
    r"|dear|beloved|childhood|close|closest|only|first|future|estranged|biological|adoptive"
    r"|own|eldest|oldest|youngest|elder|longtime|long-time|good|great|true|secret|current"
    r"|high\s+school|college|dead|pretend|fake|contract)[\s-]+)"
)
_NOUN_ALT = "|".join(
    re.escape(n).replace(r"\ ", r"\s+") for n in sorted(NOUNS, key=len, reverse=True)
)
NOUN = rf"(?P<adj>{NOUN_ADJ}*)(?P<noun>{_NOUN_ALT})\b"
PLURAL_NOUNS = (
    "friends best friends siblings brothers sisters twins rivals classmates roommates colleagues"
    " coworkers co-workers neighbors neighbours cousins enemies"
)

# ------------------------------------------------------------------------- rules


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    handler: str  # edge | noun | group | feelings | choice | reject | ... (relationships.py)
    regex: re.Pattern[str]
    kind: str = "romantic"
    subtype: str | None = None
    basis: str = "stated"
    event: str | None = None
    confidence: float = 0.8
    question_ok: bool = False
    persons: int = 2  # people the sentence must mention for the rule to apply (see STEMS)


def _c(pattern: str) -> re.Pattern[str]:
    p = (
        pattern.replace("{AL}", f"(?P<a>{PL})")
        .replace("{BL}", f"(?P<b>{PL})")
        .replace("{A}", f"(?P<a>{P})")
        .replace("{B}", f"(?P<b>{P})")
        .replace("{C}", f"(?P<c>{P})")
        .replace("{POSS}", _POSS)
        .replace("{AUX}", AUX)
        .replace("{NOUN}", NOUN)
    )
    return re.compile(p, re.I)


_FEEL_ADJ = (
    r"(?:(?:growing|deep|deepening|strong|secret|true|real|romantic|one-sided|one\s+sided"
    r"|unrequited|hidden|budding|newfound|new|unspoken|first|own|lingering|old|intense"
    r"|sincere|genuine|undying|unwavering|mutual|the|his|her|their|my|your)\s+)*"
)
_FEELINGS = (
    r"(?P<what>feelings(?:\s+of\s+love)?|love|crush|affection|attraction|infatuation"
    r"|longing|romantic\s+interest)"
)
_OBJ_OF_REJECT = r"(?P<obj>confession|feelings|love|advances?|proposal|kiss|heart|affection)"

RULES: list[Rule] = [
    # --- romance, read from the subject and the object of a verb
    Rule(
        "fall-for",
        "edge",
        _c(
            r"{AL}{AUX}"
            + V("fall")
            + r"\s+(?:(?:head\s+over\s+heels|madly|deeply|hard|completely|hopelessly|"
            r"fast)\s+)*(?:in\s+love\s+with|for)\s+{B}"
        ),
        subtype="love",
    ),
    Rule(
        "in-love-with",
        "edge",
        _c(
            r"{AL}{AUX}(?:(?:madly|deeply|hopelessly|secretly|still|so|truly|head\s+over\s+heels)\s+)*in\s+love\s+with\s+{B}"
        ),
        subtype="love",
    ),
    Rule(
        "love",
        "edge",
        _c(r"{AL}{AUX}" + V("love", "adore") + r"\s+{B}(?P<too>,?\s+too\b)?"),
        subtype="love",
        confidence=0.7,
    ),
    Rule(
        "like",
        "edge",
        _c(r"{AL}{AUX}(?:like[\s-]+)?" + V("like") + r"\s+{B}(?P<too>,?\s+too\b)?(?!\s*['’]s)"),
        subtype="like",
        confidence=0.55,
    ),
    Rule(
        "has-feelings",
        "edge",
        _c(
            r"{AL}{AUX}"
            + V("have", "develop", "catch", "harbor", "harbour", "hide", "nurse", "carry")
            + r"\s+(?:(?:a|an|any|some|real|strong|secret|deep|romantic|growing|the|huge|big"
            r"|little|massive|one-sided|unrequited|such\s+a)\s+)*(?P<what>crush|feelings|"
            r"thing|soft\s+spot|torch)\s+(?:on|for)\s+{B}"
        ),
        subtype="crush",
    ),
    Rule(
        "feelings-for",
        "feelings",
        _c(
            r"(?:(?P<a>"
            + P
            + r")(?:\s*['’]s?)?\s+)?"
            + _FEEL_ADJ
            + _FEELINGS
            + r"\s+(?:for|towards?|on)\s+{B}"
        ),
        subtype="love",
    ),
    Rule(
        "heart-belongs",
        "edge",
        _c(
            r"{A}{POSS}\s+(?:whole\s+)?heart\s+(?:"
            + V("belong")
            + r"|is|was|lies|lay|remains?)\s+(?:only\s+|still\s+|already\s+)*(?:to|with)\s+{B}"
        ),
        subtype="love",
        event="exclusive",
    ),
    Rule(
        "heart-flutters",
        "edge",
        _c(
            r"{A}{POSS}\s+heart\s+(?:"
            + V("flutter", "race", "skip", "pound", "melt", "ache")
            + r")\s+(?:\w+\s+)?(?:for|at\s+the\s+sight\s+of|because\s+of|around|near)\s+{B}"
        ),
        subtype="love",
        basis="implied",
    ),
    Rule(
        "confess-feelings",
        "feelings-owner",
        _c(
            V("confess", "declare", "express", "reveal", "convey", "admit", "show", "profess")
            + r"\s+(?P<a>"
            + P
            + r")(?:\s*['’]s)?\s+"
            + _FEEL_ADJ
            + r"(?:feelings|love|affection|heart)\s+(?:to|for|towards?)\s+{B}"
        ),
        subtype="love",
        event="confession",
    ),
    Rule(
        "confess-to",
        "edge",
        _c(
            r"{A}{AUX}"
            + V("confess")
            + r"(?:\s+(?:"
            + P
            + r")?\s*(?:true\s+|real\s+)?(?:feelings|love))?\s+to\s+{B}"
        ),
        subtype="love",
        event="confession",
    ),
    Rule(
        "ask-out",
        "edge",
        _c(
            r"{A}{AUX}"
            + V("ask")
            + r"\s+{B}\s+(?:out|on\s+a\s+date|to\s+be\s+(?:"
            + P
            + r")\s+(?:girlfriend|boyfriend))"
        ),
        subtype="date",
        event="confession",
    ),
    Rule(
        "propose",
        "edge",
        _c(r"{A}{AUX}" + V("propose") + r"\s+(?:marriage\s+)?to\s+{B}"),
        subtype="engaged",
        event="confession",
    ),
    Rule(
        "will-you",
        "spoken",
        re.compile(
            r"\b(?:will|would)\s+you\s+(?:please\s+)?(?:go\s+out\s+with\s+me|marry\s+me"
            r"|be\s+my\s+(?:girlfriend|boyfriend|wife|husband|valentine)|date\s+me)"
            r"|\b(?:go\s+out\s+with\s+me|marry\s+me|be\s+my\s+(?:girlfriend|boyfriend))\b",
            re.I,
        ),
        subtype="partner",
        event="confession",
        question_ok=True,
    ),
    # --- kisses, hugs, near-kisses (behaviour: implied)
    Rule(
        "kiss-back",
        "kiss-back",
        _c(
            r"{A}{AUX}(?:"
            + V("kiss")
            + r"\s+(?:(?P<b>"
            + P
            + r")\s+)?back|"
            + V("return")
            + r"\s+(?:the|(?:"
            + P
            + r"))\s+kiss)"
        ),
        subtype="kiss",
        basis="implied",
        event="mutual",
    ),
    Rule(
        "kiss",
        "edge",
        _c(
            r"{A}{AUX}(?:"
            + V("kiss", "peck", "smooch")
            + r"|"
            + V("plant")
            + r"\s+a\s+kiss\s+on)\s+{B}(?!\s*(?:['’]s\s+)?(?:back|hand|forehead|cheek|head|hair)\b)"
        ),
        subtype="kiss",
        basis="implied",
        event="kiss",
    ),
    Rule(
        "almost-kiss",
        "edge",
        _c(r"{A}{AUX}(?:almost|nearly)\s+" + V("kiss") + r"\s+{B}"),
        subtype="kiss",
        basis="implied",
        event="near-kiss",
    ),
    Rule(
        "near-lips",
        "edge",
        _c(
            r"{A}{AUX}"
            + V("lean", "tilt", "move", "bring", "draw", "inch", "edge", "come", "get", "lower")
            + r"\b[^.;!?\ue100]{0,40}?\b(?:close\s+to|closer\s+to|toward|towards|near|into|to)\s+{B}"
            + r"(?:\s*['’]s)?\s+(?:lips|mouth)"
        ),
        subtype="kiss",
        basis="implied",
        event="near-kiss",
    ),
    Rule(
        "lean-in-kiss",
        "edge",
        _c(
            r"{A}{AUX}"
            + V("lean", "move", "go", "come")
            + r"\s+in\s+(?:for\s+a\s+kiss|to\s+kiss)\s+{B}"
        ),
        subtype="kiss",
        basis="implied",
        event="near-kiss",
    ),
    Rule(
        "back-hug",
        "edge",
        _c(
            r"{A}{AUX}(?:back[\s-]?"
            + V("hug")
            + r"|"
            + V("hug", "embrace")
            + r"(?=\s+"
            + P
            + r"\s+from\s+behind))\s+{B}"
        ),
        subtype="hug",
        basis="implied",
    ),
    # --- wishes, tests, negation
    Rule(
        "make-fall",
        "make-fall",
        _c(
            r"(?:"
            + V("make")
            + r"|to\s+make|at\s+making)\s+{B}\s+(?:"
            + V("fall")
            + r"\s+(?:in\s+love\s+with|for)|"
            + V("love", "like")
            + r")\s+{A}"
        ),
        subtype="love",
        basis="implied",
    ),
    Rule(
        "test-same",
        "edge-swap",
        _c(
            r"(?:if|whether)\s+{B}{AUX}(?:" + V("feel", "share", "return") + r")\s+(?:the\s+same"
            r"(?:\s+(?:love|feelings|way))?|(?:"
            + P
            + r")\s+(?:love|feelings))\s+(?:for|about|towards?)\s+{A}"
        ),
        subtype="love",
        basis="implied",
        event="test",
    ),
    Rule(
        "feel-same",
        "feel-same",
        _c(
            r"{A}{AUX}"
            + V("feel")
            + r"\s+the\s+same(?:\s+way)?(?:\s+(?:about|for|towards?)\s+{B})?"
        ),
        subtype="love",
    ),
    Rule(
        "me-too",
        "me-too",
        re.compile(
            r"^[^\w\ue000-\ue0fe]*(?:(?:me|" + P + r")\s*,?\s*too|same\s+here|the\s+feeling\s+is"
            r"\s+mutual|(?:i|" + P + r")\s+do\s*,?\s*too|(?:i|" + P + r")\s+feel\s+the\s+same"
            r"(?:\s+way)?)(?![\w\ue0ff])",
            re.I,
        ),
        subtype="love",
    ),
    Rule(
        # "I'm a man too.": said to the one he wants to be seen by as a man (speaker →
        # addressee of the other gender; implied)
        "see-me-as",
        "see-me-as",
        _c(
            r"{A}(?:['’]m|\s+am)\s+(?:also\s+|still\s+|just\s+)?(?:a\s+)?(?:grown\s+)?"
            r"(?P<what>man|woman|guy|girl)\s*,?\s+too"
            r"(?=\W*$|\W+(?:you\s+)?know\b|\W+okay\b)"
        ),
        subtype="love",
        basis="implied",
        event="confession",
        confidence=0.6,
    ),
    Rule(
        # "She was never going to look at me that way", "she will never see him the way he
        # sees her": B longs for A, and it is not returned
        "not-that-way",
        "longing",
        _c(
            r"{A}{AUX}(?:look\s+at|see|think\s+of|feel\s+(?:about|for))\s+{B}\s+(?:that\s+way"
            r"|the\s+(?:same\s+)?way\s+(?:" + P + r"|[a-z]+\s+" + P + r")"
            r"|as\s+more\s+than\s+a\s+friend)"
        ),
        subtype="love",
        basis="implied",
        confidence=0.6,
    ),
    Rule(
        "someone-else",
        "exclusive-any",
        _c(
            r"{A}{AUX}(?:"
            + V("love", "like")
            + r"|in\s+love\s+with|"
            + V("have")
            + r"\s+feelings\s+for)\s+(?:someone|somebody)\s+else"
        ),
        subtype="love",
    ),
    # --- choices, rejections, one-sidedness
    Rule(
        "choose",
        "choice",
        _c(
            r"{A}{AUX}(?:"
            + V("choose", "pick", "select")
            + r"|"
            + V("end")
            + r"\s+up\s+(?:together\s+)?with)\s+{B}(?:\s+over\s+{C})?"
        ),
        subtype="love",
        event="exclusive",
    ),
    Rule(
        "reject",
        "reject",
        _c(
            r"{A}{AUX}(?:"
            + V(
                "reject",
                "turn down",
                "refuse",
                "decline",
                "spurn",
                "rebuff",
                "friendzone",
                "friend-zone",
                "brush off",
                "ignore",
            )
            + r")\s+{B}(?:\s*['’]s)?(?:\s+"
            + _OBJ_OF_REJECT
            + r")?"
        ),
        subtype="love",
        event="reject",
    ),
    Rule(
        "reject-object",
        "reject-possessive",
        _c(
            r"{A}{AUX}(?:"
            + V(
                "reject",
                "turn down",
                "refuse",
                "decline",
                "spurn",
                "rebuff",
                "ignore",
                "avoid",
                "dodge",
                "deflect",
            )
            + r")\s+{B}\s+"
            + _OBJ_OF_REJECT
        ),
        subtype="love",
        event="reject",
    ),
    Rule(
        "push-away",
        "reject-ctx",
        _c(r"{A}{AUX}" + V("push", "shove") + r"\s+{B}\s+(?:away|off)"),
        basis="implied",
        event="reject",
    ),
    Rule(
        "turn-away",
        "reject-ctx-subject",
        _c(
            r"{A}{AUX}(?:(?:"
            + V("turn", "pull", "back", "step", "draw", "jerk", "flinch")
            + r")\s+away|"
            + V("avoid", "dodge", "stop", "refuse", "reject", "decline")
            + r"\s+(?:the|(?:"
            + P
            + r"))\s+kiss)"
        ),
        basis="implied",
        event="reject",
    ),
    Rule(
        "sorry",
        "sorry",
        _c(
            r"{A}{AUX}(?:"
            + V("say")
            + r"\s+(?:that\s+)?(?:(?:"
            + P
            + r")\s*(?:is|['’]s|am|['’]m)\s+)?(?:so\s+|very\s+|really\s+)?sorry|"
            + V("apologise", "apologize")
            + r")"
        ),
        basis="implied",
        event="reject",
    ),
    Rule(
        "sorry-line",
        "sorry-line",
        re.compile(
            r"^[^\w\ue000-\ue0fe]*(?:(?:i|" + P + r")(?:['’]m|\s+am)\s+)?(?:so\s+|very\s+|really\s+"
            r"|truly\s+)?sorry\b",
            re.I,
        ),
        basis="implied",
        event="reject",
    ),
    Rule(
        "one-sided",
        "onesided-any",
        _c(
            r"{A}{POSS}\s+"
            + _FEEL_ADJ
            + r"(?:feelings|love|crush|affection)\s+(?:[a-z]+\s+){0,3}?(?:"
            + V("be", "remain", "stay", "go")
            + r")\s+(?:still\s+|completely\s+|totally\s+|sadly\s+)?(?:unrequited|one-sided|one\s+sided|unreturned|not\s+returned|unanswered)"
        ),
        event="reject",
    ),
    # --- couples (a group subject) and relationship verbs
    Rule(
        "group-couple",
        "group",
        _c(
            r"{AL}{AUX}(?P<verb>"
            + V("date", "marry", "kiss", "wed", "divorce")
            + r"|"
            + V("fall")
            + r"\s+in\s+love|"
            + V("get")
            + r"\s+(?:married|engaged|together|back\s+together|divorced)"
            r"|"
            + V("start", "begin")
            + r"\s+dating|"
            + V("break", "split")
            + r"\s+up|"
            + V("make")
            + r"\s+out|"
            + V("sleep")
            + r"\s+together|"
            + V("go")
            + r"\s+out"
            r"|(?:a\s+couple|an\s+item|together|lovers|married|engaged|dating|in\s+love|in\s+a\s+relationship"
            r"|seeing\s+each\s+other|going\s+out|exes|divorced|newlyweds|husband\s+and\s+wife|boyfriend"
            r"\s+and\s+girlfriend|girlfriend\s+and\s+boyfriend)(?=\W|$)"
            r"|"
            + V("share")
            + r"\s+a\s+kiss)(?![\w'’-])(?:\s+(?:with\s+)?(?:each\s+other|one\s+another))?(?!\s+(?:with|to)\b)(?!\s*"
            + P
            + ")"
        ),
        subtype="partner",
        event="mutual",
    ),
    Rule(
        "relationship-verb",
        "couple-verb",
        _c(
            r"{A}{AUX}(?P<verb>"
            + V("date", "marry", "wed", "divorce", "dump", "ditch")
            + r"|dating|seeing|engaged\s+to|married\s+to|going\s+out\s+with|in\s+a\s+relationship\s+with"
            r"|together\s+with|back\s+together\s+with|divorced\s+from|"
            + V("go")
            + r"\s+out\s+with|"
            + V("break", "split")
            + r"\s+up\s+with|"
            + V("sleep")
            + r"\s+with|"
            + V("make")
            + r"\s+out\s+with|"
            + V("hook")
            + r"\s+up\s+with|"
            + V("get")
            + r"\s+(?:married|engaged)\s+to"
            r"|" + V("cheat") + r"\s+on)\s+{B}"
        ),
        subtype="partner",
    ),
    Rule(
        "date-with",
        "feelings",
        _c(
            r"(?:(?P<a>"
            + P
            + r")(?:\s*['’]s?)?\s+)?(?:(?:first|second|third|blind|romantic|real|little|big)\s+)*date\s+with\s+{B}"
        ),
        subtype="date",
    ),
    # --- relation nouns: "Ju Gyeong's classmates Suho and Seo Jun", "my sister Ursula"
    Rule("noun-appos", "noun", _c(r"{AL}{POSS}\s+{NOUN}\s*,?\s+{BL}"), basis="stated"),
    Rule(
        "noun-fragment",
        "noun-fragment",
        _c(r"^[^\w\ue000-\ue0fe]*(?:and\s+|oh,?\s+|yes,?\s+|yeah,?\s+)?{A}\s+{NOUN}\W*$"),
        basis="stated",
        confidence=0.6,
    ),
    Rule("noun-appos-after", "noun", _c(r"{BL}\s*,\s+{AL}{POSS}\s+{NOUN}"), basis="stated"),
    Rule(
        # at the door or on the phone: "It's your sister!", "This is your mother."
        "noun-self",
        "noun-self",
        _c(
            r"^[^\w\ue000-\ue0fe]*(?:(?:hi|hey|hello|oh|open\s+up)\W+)*(?:it['’]s|this\s+is)"
            r"\s+(?:(?:me|just\s+me|only\s+me)\s*,?\s+)?{A}\s+{NOUN}\W*$"
        ),
        basis="stated",
        confidence=0.7,
    ),
    Rule(
        "noun-is",
        "noun",
        _c(
            r"{BL}{AUX}(?:"
            + V("be", "become", "remain")
            + r"\s+)?(?:(?:also|still|now|just|only|like|always|not)\s+)*{AL}{POSS}\s+{NOUN}"
        ),
        basis="stated",
    ),
    Rule("noun-of", "noun", _c(r"{BL}{AUX}(?:the|a|an)\s+{NOUN}\s+of\s+{AL}"), basis="stated"),
    Rule(
        # "Issac's sister is Jasmine", "My brother is Ross."
        "noun-is-name",
        "noun",
        _c(
            r"{AL}{POSS}\s+{NOUN}\s+(?:is|was|['’]s)\s+(?:also\s+|still\s+|actually\s+)?{BL}"
            r"(?=\s*(?:[,.!?;:…]|$|and\b|who\b))"
        ),
        basis="stated",
    ),
    Rule(
        "noun-group",
        "noun-group",
        _c(
            r"{AL}{AUX}(?:(?:also|still|now|just|only|always|not|like|both)\s+)*(?P<adj>"
            + NOUN_ADJ
            + r"*)(?P<noun>"
            + "|".join(sorted((re.escape(w) for w in PLURAL_NOUNS.split()), key=len, reverse=True))
            + r")\b(?!\s+(?:of|with)\b)"
        ),
        basis="stated",
    ),
    Rule(
        "noun-with",
        "noun-with",
        _c(
            r"{AL}{AUX}(?:(?:also|still|now|just|only|always|not|like|good|best|close)\s+)*(?P<noun>friends|rivals|roommates|classmates|colleagues)\s+with\s+{B}"
        ),
        basis="stated",
    ),
    # --- rivalry and impressions
    Rule(
        "jealous",
        "edge",
        _c(
            r"{AL}{AUX}(?:"
            + V("be", "get", "grow", "become", "feel", "seem", "look")
            + r"\s+)?(?:(?:so|very|a\s+bit|a\s+little|extremely|really|insanely|clearly|visibly|increasingly|incredibly)\s+)*jealous\s+(?:of|about)\s+{B}"
        ),
        kind="rivalry",
        subtype="jealous",
        basis="implied",
        confidence=0.6,
    ),
    Rule(
        "compete",
        "compete",
        _c(
            r"{AL}{AUX}"
            + V("compete", "fight", "vie", "battle", "duel")
            + r"(?:\s+(?:with|against)\s+{B})?\s+(?:over|for)\s+{C}(?:\s*['’]s)?(?:\s+(?P<what>heart|love|affection|attention|hand))?"
        ),
        kind="rivalry",
        subtype="rival",
    ),
    Rule(
        "dislike",
        "edge",
        _c(
            r"{AL}{AUX}(?:"
            + V("hate", "despise", "loathe", "resent", "detest")
            + r"|can['’]?t\s+stand|cannot\s+stand)\s+{B}(?!\s*['’]s)"
        ),
        kind="other",
        subtype="dislikes",
        confidence=0.6,
    ),
    Rule(
        "angry-at",
        "edge",
        _c(
            r"{AL}{AUX}(?:"
            + V("be", "get")
            + r"\s+)?(?:(?:so|very|really|still|a\s+little|totally)\s+)*(?:mad|angry|furious|pissed(?:\s+off)?|upset|annoyed|livid)\s+(?:at|with)\s+{B}"
        ),
        kind="other",
        subtype="dislikes",
        basis="implied",
        confidence=0.5,
    ),
    Rule(
        "admire",
        "edge",
        _c(
            r"{AL}{AUX}(?:"
            + V("admire", "respect", "trust", "miss")
            + r"|"
            + V("care")
            + r"\s+(?:about|for)|(?:a\s+)?(?:big\s+|huge\s+)?fan\s+of)\s+{B}(?!\s*['’]s)"
        ),
        kind="other",
        subtype="likes",
        basis="implied",
        confidence=0.5,
    ),
    Rule(
        "you-are-great",
        "impression",
        _c(
            r"(?:^|[,.!?]\s*|\b(?:think|thought)\s+)\W*{B}{AUX}(?:(?:so|really|very|just|totally|such|the|an?|most|absolutely|truly)\s+)*"
            r"(?P<adj>amazing|great|wonderful|sweet|hot|cute|beautiful|gorgeous|pretty|handsome|incredible"
            r"|awesome|best|perfect|adorable|lovely|brilliant|kind|fantastic|terrific|the\s+best"
            r"|idiot|jerk|stupid|annoying|horrible|terrible|mean|selfish|crazy|insane|weird|boring"
            r"|pathetic|bitch|bastard|coward|liar|ass|creep|loser|unbelievable|arrogant|rude|unreasonable)\b"
            # a judgement of fitness, not an impression: "pretty enough", "great at it";
            # "pretty" before another word is an adverb ("pretty sure")
            r"(?!\s+(?:enough|at|for|with)\b)(?<!pretty(?=\s+[a-z]))"
        ),
        kind="other",
        subtype="likes",
        basis="implied",
        confidence=0.45,
    ),
]

NEGATIVE_ADJ = frozenset(
    words(
        "idiot jerk stupid annoying horrible terrible mean selfish crazy insane weird "
        "boring pathetic bitch bastard coward liar ass creep loser unbelievable arrogant "
        "rude unreasonable"
    )
)

# Vocative kinship: "Mom!", "Hi, Dad" said to the line's addressee.
_KIN_NOUN = (
    r"(?P<noun>mom|mommy|mum|mummy|mama|momma|mother|dad|daddy|father|papa|pop|grandma"
    r"|grandpa|granny|eomma|umma|appa|my\s+(?:dear\s+|old\s+|good\s+)?friend)"
)
KIN_VOCATIVE = re.compile(
    # after a sentence start, a comma or a greeting: "Mom!", "Hi, Dad", "But mom, I..."
    r"(?:(?:^|[,.!?…]\s*|\b(?:hi|hey|oh|thanks|bye|yes|no|okay|ok|night|morning|but|well|look"
    r"|listen|please|so|sorry|y['’]?know|come\s+on|birthday|right|bet)\s*,?\s+)"
    + _KIN_NOUN
    + r"(?=\s*[,.!?…]|\s*$|\s+(?:that|this|i|you|we|it|what|where|how|why|please|can|could"
    r"|would|will|do|don['’]t|look|listen|come)\b))"
    # or closing a sentence after a word that leaves it free: "Happy birthday dad.",
    # "thanks for keeping me honest dad." (informal words only: "a great father." is not)
    r"|\b(?:that|honest|birthday|night|morning|bye|thanks|right|too|okay|ok|please|up|there"
    r"|here|now|again|though|anyway|sure|yes|no|yeah|sorry|so)\s+"
    r"(?P<noun2>mom|mommy|mum|mummy|mama|momma|dad|daddy|papa|pop|grandma|grandpa|granny)"
    r"(?=\s*[.!?…]+\s*$)",
    re.I,
)
# The gender a kinship vocative calls for.
KIN_GENDER = {
    **dict.fromkeys(
        words("mom mommy mum mummy mama momma mother grandma granny eomma umma"), "female"
    ),
    **dict.fromkeys(words("dad daddy father papa pop grandpa appa"), "male"),
}
# "mom and dad", "Mom & Dad": the parents spoken of, not called.
KIN_PAIR = re.compile(
    r"\b(?:mom|mum|mommy|mother|dad|daddy|father)\s+(?:and|&)\s+(?:mom|mum|mommy|mother|dad"
    r"|daddy|father)\b",
    re.I,
)
# Group "you": never one person.
GROUP_YOU = re.compile(r"\s*(?:guys|all|two|both|people|lot|folks|everyone)\b", re.I)
# The end of a make-fall attempt.
FAILED = re.compile(
    r"\b(?:unsuccessful|failed|fails|fail|in\s+vain|futile|no\s+use|to\s+no\s+avail"
    r"|didn['’]t\s+work|doesn['’]t\s+work|backfire[sd]?|never\s+work)\b",
    re.I,
)
IN_HEART = re.compile(r"^\s*in\s+(?P<a>" + P + r")(?:\s*['’]s)?\s+heart", re.I)


# ------------------------------------------------------------------------- prefilters
# A rule runs only on a sentence holding one of its cue words (a word starting with one of
# its stems; a stem ending in "$" must be the whole word) and mentioning enough people.
# Most sentences of a screenplay meet no rule at all and are never masked.

_ROMANCE_STEMS = (
    "date dating marr wed$ weds$ wedded$ divorc dump ditch seeing$ engaged relationship together"
    " break broke split sleep slept hook cheat out$ made$ make$ makes$ making$"
)
_NOUN_STEMS = (
    " ".join(w.split()[0] + "$" for w in NOUNS) + " " + " ".join(w.split()[0] + "s$" for w in NOUNS)
)
STEMS: dict[str, str] = {
    "fall-for": "fall fell",
    "in-love-with": "love",
    "love": "lov ador",
    "like": "lik",
    "has-feelings": "crush feeling thing spot torch",
    "feelings-for": "feeling love crush affection attraction infatuation longing romantic",
    "heart-belongs": "heart",
    "heart-flutters": "heart",
    "confess-feelings": "feeling love affection heart",
    "confess-to": "confess",
    "ask-out": "ask",
    "propose": "propos",
    "will-you": "out marry girlfriend boyfriend wife husband valentine date",
    "kiss-back": "kiss",
    "kiss": "kiss peck smooch",
    "almost-kiss": "kiss",
    "near-lips": "lips mouth",
    "lean-in-kiss": "kiss",
    "back-hug": "hug embrac back-hug",
    "make-fall": "mak made",
    "test-same": "same feeling",
    "feel-same": "same",
    "me-too": "too same mutual",
    "someone-else": "else",
    "see-me-as": "too$",
    "not-that-way": "way$ friend$",
    "choose": "choos chose pick select end$ ends$ ended$ ending$",
    "reject": "reject turn refus declin spurn rebuff friendzon friend-zon brush ignor",
    "reject-object": "reject turn refus declin spurn rebuff ignor avoid dodg deflect",
    "push-away": "away off$",
    "turn-away": "away kiss",
    "sorry": "sorry apolog",
    "sorry-line": "sorry",
    "one-sided": "one-sided sided unrequited unreturned returned unanswered",
    "group-couple": _ROMANCE_STEMS
    + " kiss love couple item$ lovers exes newlywed husband boyfriend girlfriend share$ shares$"
    " shared$",
    "relationship-verb": _ROMANCE_STEMS,
    "date-with": "date",
    "noun-appos": _NOUN_STEMS,
    "noun-fragment": _NOUN_STEMS,
    "noun-appos-after": _NOUN_STEMS,
    "noun-self": _NOUN_STEMS,
    "noun-is": _NOUN_STEMS,
    "noun-of": _NOUN_STEMS,
    "noun-is-name": _NOUN_STEMS,
    "noun-group": "friend sibling brother sister twin rival classmate roommate colleague"
    " coworker co-worker neighbo cousin enem",
    "noun-with": "friends rivals roommates classmates colleagues",
    "jealous": "jealous",
    "compete": "compet fight fought vie$ vies vying battl duel",
    "dislike": "hate hati despis loath resent detest stand",
    "angry-at": "mad$ angry furious pissed upset annoyed livid",
    "admire": "admir respect trust miss care cari fan$",
    "you-are-great": "amazing great wonderful sweet hot$ cute beautiful gorgeous pretty"
    " handsome incredible awesome best perfect adorable lovely brilliant kind$ fantastic"
    " terrific idiot jerk stupid annoying horrible terrible mean$ selfish crazy insane weird"
    " boring pathetic bitch bastard coward liar ass$ creep loser unbelievable arrogant rude"
    " unreasonable",
}
KIN_WORDS = frozenset(
    words(
        "mom mommy mum mummy mama momma mother dad daddy father papa pop grandma grandpa "
        "granny eomma umma appa friend"
    )
)
# A second word a rule's sentence must also hold (checked after the stems, before masking).
ALSO: dict[str, re.Pattern[str]] = {
    "see-me-as": re.compile(r"\b(?:man|woman|guy|girl)\b", re.I),
    "not-that-way": re.compile(
        r"\b(?:look|looks|looked|looking|see|sees|saw|seen|seeing|think"
        r"|thinks|thought|feel|feels|felt)\b",
        re.I,
    ),
}
# Rules that need fewer than two people in the sentence.
_PERSONS = {
    "will-you": 0,
    "me-too": 0,
    "sorry-line": 0,
    "feel-same": 1,
    "kiss-back": 1,
    "someone-else": 1,
    "see-me-as": 1,
    "turn-away": 1,
    "sorry": 1,
    "one-sided": 1,
    "group-couple": 1,
    "noun-fragment": 1,
    "noun-self": 1,
    "noun-group": 1,
    "you-are-great": 1,
}
_missing = {r.name for r in RULES} - set(STEMS)
assert not _missing, f"rules without a prefilter: {_missing}"
RULES = [replace(r, persons=_PERSONS.get(r.name, 2)) for r in RULES]

_PREFIX: dict[str, set[int]] = {}
_EXACT: dict[str, set[int]] = {}
for _i, _r in enumerate(RULES):
    for _stem in STEMS[_r.name].split():
        if _stem.endswith("$"):
            _EXACT.setdefault(_stem[:-1], set()).add(_i)
        else:
            _PREFIX.setdefault(_stem, set()).add(_i)
_PREFIX_LENGTHS = sorted({len(k) for k in _PREFIX})
_WORDS = re.compile(r"[a-z][a-z'’-]*")


def triggered(text: str) -> tuple[list[Rule], bool]:
    """The rules whose cue words occur in ``text``; and whether a kinship word does."""
    hit: set[int] = set()
    kin = False
    for w in _WORDS.findall(text.lower()):
        rules, is_kin = _word_rules(w)
        if rules:
            hit |= rules
        kin = kin or is_kin
    return [RULES[i] for i in sorted(hit)], kin


@lru_cache(maxsize=1 << 16)
def _word_rules(w: str) -> tuple[frozenset[int], bool]:
    """The rules one word triggers (by an exact or a prefix stem) and whether it is kin."""
    hit: set[int] = set()
    if w in _EXACT:
        hit |= _EXACT[w]
    for n in _PREFIX_LENGTHS:
        if n > len(w):
            break
        got = _PREFIX.get(w[:n])
        if got:
            hit |= got
    return frozenset(hit), w in KIN_WORDS


# A rough upper bound of the people a sentence can mention: pronouns and capitalised words.
PERSON_WORDS = re.compile(
    r"\b(?:I|me|my|mine|myself|you|your|yours|yourself|he|him|his|himself|she|her|hers|herself"
    r"|we|us|our|ours|they|them|their|theirs)\b|\b[A-Z\uac00-\ud7a3]",
    re.I,
)
