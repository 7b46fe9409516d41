"""Finding people's names in running text without a statistical model (the rule path).

A *candidate* is a run of capitalised words (``Han Seo Jun``, ``JUNO MacGUFF``,
``Ju Gyeong-ah``, ``Mr. Kim``) with function words, sentence starters, calendar words and
screenplay vocabulary cut away, plus the evidence found right around it: an age after a
character's introduction (``HAN SEO JUN (18)``), a title, an honorific or vocative suffix,
a verb that people do (``Seo Jun refuses``), a possessed body part or relative
(``Ju Gyeong's heart``), an appositive (``Rollo, the eccentric clerk``), a work-title
context (``True Beauty's ninth episode``). Whether a candidate is a character is decided
by :mod:`sceneanatomy.analysis.characters`, from all its occurrences together.

The finder works on one text made of many elements joined by :data:`SEP`, so that one
regular-expression pass covers a whole screenplay.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from ..names import (
    HONORIFIC_SUFFIXES,
    SURNAME_CANON,
    TITLES,
    fold,
    korean_syllables,
    strip_suffixes,
)
from .lexicon import (
    DAYS,
    HUMAN_STATES,
    HUMAN_VERBS,
    MONTHS,
    NOT_VERBS_S,
    PERSON_NOUNS,
    ROLE_NOUNS,
    SPEECH_VERBS,
    STOPWORDS,
    WORK_CONTEXT,
)

SEP = "\x1e"  # joins element texts; never part of a name, always a sentence break


def trie_alternation(words: Iterable[str]) -> str:
    """One regular expression matching any of ``words``, as a trie.

    It matches what the longest-first alternation ``w1|w2|...`` matches, in the same order
    of preference (a longer word before its prefix), but fails after one character at
    most positions instead of trying every word.
    """
    trie: dict[str, dict] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + emit(node[ch]) for ch in sorted(k for k in node if k)]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


_TOK = r"(?:Mc|Mac|O['’]|D['’])?[A-Z][A-Za-z]*(?:[-‐‑][A-Za-z]+)*(?:['’][sS])?"
_FREQUENT = (
    "The|He|She|It|They|We|You|I|A|An|His|Her|Their|Its|Our|My|Your|This|That|These|Those|"
    "There|Then|When|What|Where|Who|Why|How|And|But|Or|If|As|At|On|Of|To|For|With|"
    "From|By|Into|Out|Up|Now|Just|Yes|Oh|Well|Okay|OK|Hey|Not|Is|Are|Was|Were|Be|"
    "Have|Has|Had|Can|Would|Could|Should|Let|One|All|Some|After|Before|Still|Even|Only|"
    "Maybe|Please|Look|Wait|Come|Go|Get|See|Here|Me|Him|Them|Us|Don't|I'm|It's|That's|"
    "What's|He's|She's|You're|I'll|We're|They're|Can't|Didn't|Doesn't|Yeah|Thank|Sorry"
)


def _run_pattern() -> re.Pattern[str]:
    """A run of capitalised words, not starting with one of the frequent words.

    The same matches as ``(?=[A-Z])(?<![\\w'’\\-])(?!FREQUENT(?![\\w'’\\-]))TOK(?:SEP TOK)*
    (?![\\w'’])`` (FREQUENT the words of _FREQUENT as a trie, TOK = _TOK), written so
    that the engine can skip from capital to capital: one branch per first letter, which
    consumes it, then says what that pattern said about it (not after a word character;
    not the start of a frequent word with that letter, its other letters as a trie; the
    ``Mc`` / ``Mac`` / ``O'`` / ``D'`` prefixes, tried in the same order).
    """
    by_first: dict[str, list[str]] = {}
    for w in _FREQUENT.split("|"):
        by_first.setdefault(w[0], []).append(w[1:])
    branches = []
    for first in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        b = first + r"(?<![\w'’\-].)"
        if first in by_first:
            b += rf"(?!{trie_alternation(by_first[first])}(?![\w'’\-]))"
        if first == "M":
            b += r"(?:(?:c|ac)[A-Z])?"
        elif first in "OD":
            b += r"(?:['’][A-Z])?"
        branches.append(b)
    first_token = "(?:" + "|".join(branches) + r")[A-Za-z]*(?:[-‐‑][A-Za-z]+)*(?:['’][sS])?"
    return re.compile(first_token + rf"(?:(?:[ \t]+|[ \t]*\n[ \t]*|\.[ \t]+){_TOK})*(?![\w'’])")


_RUN = _run_pattern()
_TOKEN = re.compile(_TOK)
_TITLE_ABBR = frozenset({"mr", "mrs", "ms", "dr", "prof", "st", "sgt", "capt", "lt", "det"})
_SKIP_BEFORE = " \t\"'“”‘’«»([{—–-*_"
_SENT_END = ".!?…:;" + SEP
_AGE = re.compile(r"\s*\(\s*(?:(?:early|mid|late)[\s-]*)?\d{1,2}'?s?\s*\)")
_APPOS = re.compile(r",\s+(?:a|an|the|who|whose|his|her|their|our|my)\b")
_NEXT = re.compile(
    r"(?:['’][sS])?[ \t]+(?:([a-z]+ly)[ \t]+)?([a-z][a-z'’-]*)(?:[ \t]+([a-z][a-z'’-]*))?"
)
_POSS_NEXT = re.compile(r"[ \t]+(?:[a-z]+[ \t]+)?([a-z][a-z-]*)")
_PREV = re.compile(r"([A-Za-z'’]+)[ \t,]*$")
_SPACED_SUFFIX = re.compile(r"[ \t]*[-‐‑]?[ \t]*([a-z]+)\b")
_VOCATIVE_AFTER = re.compile(r"\s*[!?.,…]")
_PLACE_PREPS = frozenset({"in", "from", "near", "inside", "outside", "into"})
_OBJECT_PREPS = frozenset({"at", "to", "with", "for", "beside", "behind"})
_PREV2 = re.compile(r"([A-Za-z'’]+)[ \t]+([A-Za-z'’]+)[ \t,]*$")
# Korean syllables that are also English words: "Do Hyun", "So Yeon", "In Ha", "Go Eun"
_SYLLABLE_WORDS = frozenset(
    {"do", "in", "so", "an", "go", "no", "ha", "ma", "na", "ye", "yu", "ji", "i", "o"}
)
_SUFFIX_AFTER = re.compile(
    r"[ \t]*[-‐‑ ](?:oppa|unnie|eonni|onni|hyung|hyeong|noona|nuna|sunbae|seonbae|ssi|nim|"
    r"ah|ya|ajumma|ajusshi|ahjussi|ahjumma|seonsaengnim|sajangnim)\b",
    re.I,
)
# the characters _SUFFIX_AFTER can start with: after a run followed by none of them (or by
# the end of the text, which reads as "", in every str), no spaced honorific follows
_SUFFIX_FIRST = " \t-‐‑"
_RELATION_ENDS = (
    "friend",
    "friends",
    "classmate",
    "classmates",
    "mother",
    "father",
    "mom",
    "dad",
    "sister",
    "brother",
    "son",
    "daughter",
    "wife",
    "husband",
    "girlfriend",
    "boyfriend",
    "boss",
    "colleague",
    "colleagues",
    "cousin",
    "aunt",
    "uncle",
    "grandmother",
    "grandfather",
    "fiance",
    "fiancee",
    "ex",
    "parents",
)
_BE = frozenset({"is", "was", "seems", "looks", "feels", "gets", "got", "becomes", "became"})


NO_FLAGS: frozenset[str] = frozenset()


@dataclass(slots=True)
class Candidate:
    """One occurrence of a possible name in the joined text."""

    start: int
    end: int  # the name only: no possessive, no spaced honorific
    surface: str  # as written (vocative / hyphenated honorific included)
    caps: bool  # written in capitals (a screenplay introduction or cue-style name)
    initial: bool  # first words of a sentence
    possessive: bool = False
    title: str | None = None
    suffix: str | None = None  # honorific / kinship / vocative suffix, folded
    # Local evidence. Most candidates never get a flag: they share one empty frozenset
    # (no set made per candidate) until :func:`add_flag` gives them a set of their own.
    # Read it as a set; add to it only through add_flag.
    flags: set[str] | frozenset[str] = NO_FLAGS
    score: float = 0.0
    next_word: str | None = None
    prev_word: str | None = None
    context_done: bool = False


def add_flag(c: Candidate, flag: str) -> None:
    """Add an evidence flag to a candidate (its own set made on the first flag)."""
    flags = c.flags
    if isinstance(flags, set):
        flags.add(flag)
    else:
        c.flags = {*flags, flag}


_POSS_END = re.compile(r"['’][sS]$")
_PREFIX_OR_POSS = re.compile(r"['’][sS]$|^(?:Mc|Mac|O['’]|D['’])")
_DIGIT = re.compile(r"\d")
_LETTER_HYPHEN = re.compile(r"^[A-Z][-‐‑][a-z]")


@lru_cache(maxsize=65536)
def _is_caps(tok: str) -> bool:
    letters = tok[2:] if tok.startswith("Mc") else tok[3:] if tok.startswith("Mac") else tok
    letters = _POSS_END.sub("", letters)
    return len(letters) > 1 and letters.upper() == letters


@lru_cache(maxsize=65536)
def _style(tok: str) -> bool:
    """True for a word in capitals (``JUNO``, ``MacGUFF``), False for ``Juno``."""
    return _is_caps(tok) if len(_PREFIX_OR_POSS.sub("", tok)) > 1 else True


@lru_cache(maxsize=65536)
def _word_of(tok: str) -> str:
    return _POSS_END.sub("", tok).lower()


def _stop(word: str) -> bool:
    return word in STOPWORDS or word in MONTHS or word in DAYS or len(word) < 2


def _starts_sentence(text: str, pos: int) -> bool:
    """A name at ``pos`` opens a sentence: nothing but quotes, brackets and spaces between
    it and the text's start, a sentence end or a blank line."""
    j = pos - 1
    while j >= 0 and text[j] in _SKIP_BEFORE:
        j -= 1
    return j < 0 or text[j] in _SENT_END or (text[j] == "\n" and j > 0 and text[j - 1] == "\n")


def find_candidates(
    text: str, keep: Callable[[tuple[str, ...], bool], bool] | None = None
) -> list[Candidate]:
    """Every capitalised word run of ``text`` that might be a name.

    ``keep`` (optional) sees the folded words of each candidate and whether it is in
    capitals, and may drop it before any work is spent on it (used to look only for names
    already known, and for screenplay introductions in capitals).
    Local evidence (:attr:`Candidate.flags`) is computed later, on demand, by
    :func:`add_context`.
    """
    out: list[Candidate] = []
    append = out.append
    # run -> what ``keep`` keeps of it (a run's words decide, so once per spelling):
    # (_ONE, part) for one part kept whatever follows the run (most runs), or (_SOME,
    # parts) with, for each part, whether it is kept only when a spaced honorific follows
    # the run, or (_IF_SUFFIX, parts) when that holds for every part, or (_NONE,).
    kept: dict[str, tuple[Any, ...]] = {}
    suffix_after = _SUFFIX_AFTER.match
    for m in _RUN.finditer(text):
        run = m[0]
        entry = kept.get(run)
        if entry is None:
            entry = kept[run] = _kept_entry(run, keep)
        how = entry[0]
        if how is _ONE:
            rs, re_, surface, caps, possessive, title, suffix, _, initial = entry[1]
            m0 = m.start()
            if initial is None:  # the run's first part: what comes before the run decides
                initial = _starts_sentence(text, m0)
            append(Candidate(m0 + rs, m0 + re_, surface, caps, initial, possessive, title, suffix))
            continue
        if how is _NONE:
            continue
        # a spaced honorific after the run, looked up once (first if every part needs it)
        suffixed: bool | None = None
        if how is _IF_SUFFIX:
            e = m.end()
            if text[e : e + 1] not in _SUFFIX_FIRST:
                continue
            suffixed = suffix_after(text, e) is not None
            if not suffixed:
                continue
        m0 = m.start()
        for rs, re_, surface, caps, possessive, title, suffix, cond, initial in entry[1]:
            if cond:
                if suffixed is None:
                    suffixed = suffix_after(text, m.end()) is not None
                if not suffixed:
                    continue
            if initial is None:
                initial = _starts_sentence(text, m0)
            append(Candidate(m0 + rs, m0 + re_, surface, caps, initial, possessive, title, suffix))
    return out


def locate_candidates(
    text: str,
    starts: list[int],
    idxs: list[int],
    known: set[str] | frozenset[str] | None,
    caps_kept: bool,
    make: Callable[..., Any],
    chan: int,
) -> list[Any]:
    """:func:`find_candidates` for a text of joined elements, each candidate placed in its
    element at once: one record ``make(idx, start, end, surface, "name", candidate, None,
    None, chan)`` per candidate, in text order, with ``idxs[j]`` the element of the part
    starting at ``starts[j]`` and ``start`` / ``end`` relative to it.

    ``keep`` is not a function here but what the stage's keep functions say: every run is
    kept when ``known`` is None, else a run in capitals when ``caps_kept``, or one sharing
    a word with ``known``; that is decided inline (no call) once per spelling and text,
    and a run kept as one part (most runs) is then one look-up. One loop, no second pass
    over the candidates to place them. tests/test_characters.py compares it with
    find_candidates.
    """
    out: list[Any] = []
    append = out.append
    keep: Callable[[tuple[str, ...], bool], bool] | None = None
    if known is not None:
        disjoint = known.isdisjoint
        if caps_kept:
            keep = lambda ws, caps: caps or not disjoint(ws)  # noqa: E731
        else:
            keep = lambda ws, caps: not disjoint(ws)  # noqa: E731
    keep_all = keep is None
    multi: dict[str, tuple[Any, ...]] = {}  # runs of several parts: what keep keeps of them
    ones: dict[str, _Kept] = {}  # runs kept as one part in this text: that part
    entries = _RUN_ENTRIES
    suffix_after = _SUFFIX_AFTER.match
    bisect_right = bisect.bisect_right
    n = len(starts)
    nxt = 0  # the start of the element after the current one
    idx = off = 0
    for m in _RUN.finditer(text):
        run = m[0]
        part = ones.get(run)
        if part is None:
            pre = entries.get(run)
            if pre is None:
                pre = _run_entry(run)
            words, caps, entry, dropped = pre
            if dropped is not None:
                if not (keep_all or (caps_kept and caps) or not disjoint(words)):
                    entry = dropped
            elif entry is None:
                entry = multi.get(run)
                if entry is None:
                    entry = multi[run] = _kept_entry(run, keep)
            how = entry[0]
            if how is _ONE:
                part = ones[run] = entry[1]
        if part is not None:
            rs, re_, surface, caps, possessive, title, suffix, _, initial = part
            m0 = m.start()
            if initial is None:  # as in find_candidates
                initial = _starts_sentence(text, m0)
            cs = m0 + rs
            if cs >= nxt:  # candidates come in text order: a new element only past nxt
                j = bisect_right(starts, cs) - 1
                idx = idxs[j]
                off = starts[j]
                nxt = starts[j + 1] if j + 1 < n else len(text) + 1
            ce = m0 + re_
            c = Candidate(cs, ce, surface, caps, initial, possessive, title, suffix)
            append(make(idx, cs - off, ce - off, surface, "name", c, None, None, chan))
            continue
        if how is _NONE:
            continue
        suffixed: bool | None = None
        if how is _IF_SUFFIX:
            e = m.end()
            if text[e : e + 1] not in _SUFFIX_FIRST:
                continue
            suffixed = suffix_after(text, e) is not None
            if not suffixed:
                continue
        m0 = m.start()
        for rs, re_, surface, caps, possessive, title, suffix, cond, initial in entry[1]:
            if cond:
                if suffixed is None:
                    suffixed = suffix_after(text, m.end()) is not None
                if not suffixed:
                    continue
            if initial is None:
                initial = _starts_sentence(text, m0)
            cs = m0 + rs
            if cs >= nxt:
                j = bisect_right(starts, cs) - 1
                idx = idxs[j]
                off = starts[j]
                nxt = starts[j + 1] if j + 1 < n else len(text) + 1
            ce = m0 + re_
            c = Candidate(cs, ce, surface, caps, initial, possessive, title, suffix)
            append(make(idx, cs - off, ce - off, surface, "name", c, None, None, chan))
    return out


# a kept part of a run: relative start and end, surface, caps, possessive, title, suffix,
# whether it is kept only when a spaced honorific follows, and whether it starts a
# sentence (None: the run's first part, which depends on the text before the run)
_Kept = tuple[int, int, str, bool, bool, str | None, str | None, bool, bool | None]
_NONE, _ONE, _SOME, _IF_SUFFIX = "none", "one", "some", "if_suffix"


def _kept_entry(run: str, keep: Callable[[tuple[str, ...], bool], bool] | None) -> tuple[Any, ...]:
    """What :func:`find_candidates` keeps of ``run`` (see there)."""
    pre = _RUN_ENTRIES.get(run)
    if pre is None:
        pre = _run_entry(run)
    words, caps, if_kept, if_dropped = pre
    if if_dropped is None:
        if if_kept is not None:
            return if_kept  # the run alone decides
    elif keep is None or keep(words, caps):
        return if_kept
    else:
        return if_dropped
    # several parts
    parts = _kept_parts(run, keep)
    if all(p[7] for p in parts):
        return (_IF_SUFFIX, parts)
    return (_SOME, parts)


def _run_entries(run: str) -> tuple[Any, ...]:
    """For :func:`_kept_entry`, once per spelling: a run of one part (most runs) as its
    words, whether in capitals, and the entries for it kept and not kept by ``keep``
    (None: kept whatever ``keep`` says); (None, None, (_NONE,), None) for a run without
    a part; (None, None, None, None) for a run of several parts."""
    parts = _split_run(run)
    if not parts:
        return (None, None, (_NONE,), None)
    if len(parts) > 1:
        return (None, None, None, None)
    rs, re_, surface, caps, possessive, title, suffix, words = parts[0]
    initial = None if rs == 0 else _initial_in_run(run, rs)
    if_kept = (_ONE, (rs, re_, surface, caps, possessive, title, suffix, False, initial))
    if title is not None or suffix is not None:
        return (words, caps, if_kept, None)
    part = (rs, re_, surface, caps, possessive, title, suffix, True, initial)
    return (words, caps, if_kept, (_IF_SUFFIX, [part]))


_RUN_ENTRIES: dict[str, tuple[Any, ...]] = {}


def _run_entry(run: str) -> tuple[Any, ...]:
    """``_run_entries(run)``, kept in :data:`_RUN_ENTRIES`."""
    pre = _run_entries(run)
    if len(_RUN_ENTRIES) > 200_000:
        _RUN_ENTRIES.clear()
    _RUN_ENTRIES[run] = pre
    return pre


def _initial_in_run(run: str, rs: int) -> bool:
    """Whether a part starting at ``rs`` > 0 of ``run`` starts a sentence.

    What :func:`find_candidates` computes from the text before the part: that text is in
    the run (``run[0]`` is a capital letter, never skipped), so the run's spelling decides.
    """
    j = rs - 1
    while j >= 0 and run[j] in _SKIP_BEFORE:
        j -= 1
    return j < 0 or run[j] in _SENT_END or (run[j] == "\n" and j > 0 and run[j - 1] == "\n")


def _kept_parts(run: str, keep: Callable[[tuple[str, ...], bool], bool] | None) -> list[_Kept]:
    parts = _RUN_PARTS.get(run)
    if parts is None:
        parts = _split_run(run)
        if len(_RUN_PARTS) > 200_000:
            _RUN_PARTS.clear()
        _RUN_PARTS[run] = parts
    return [
        (
            rs,
            re_,
            surface,
            caps,
            possessive,
            title,
            suffix,
            keep is not None and title is None and suffix is None and not keep(words, caps),
            None if rs == 0 else _initial_in_run(run, rs),
        )
        for rs, re_, surface, caps, possessive, title, suffix, words in parts
    ]


_Part = tuple[int, int, str, bool, bool, str | None, str | None, tuple[str, ...]]
_RUN_PARTS: dict[str, list[_Part]] = {}


def _split_run(run: str) -> list[_Part]:
    """Cut one capitalised run into name candidates (relative offsets), once per spelling."""
    if " " not in run and "\t" not in run and "\n" not in run:
        t = _TOKEN.match(run)
        if t is not None and t.end() == len(run):
            # one word (most runs): what the general loop below does with a single token
            word = _word_of(run)
            if _stop(word) or _DIGIT.search(run) or _LETTER_HYPHEN.match(run):
                return []
            # _emit(run, [(run, 0, len(run))], None, out), inline
            possessive = run[-2:] in ("'s", "’s", "'S", "’S")
            surface = run[:-2] if possessive else run
            suffix = strip_suffixes(surface)[1] if ("-" in surface or "‐" in surface) else None
            words = tuple(w for w in word.split("-") if w)
            return [(0, len(surface), surface, _is_caps(run), possessive, None, suffix, words)]
    out: list[_Part] = []
    toks = [(t.group(0), t.start(), t.end()) for t in _TOKEN.finditer(run)]
    seq: list[tuple[str, int, int]] = []
    title: str | None = None
    for i, (tok, s, e) in enumerate(toks):
        word = _word_of(tok)
        if (
            i
            and "." in run[toks[i - 1][2] : s]
            and (not seq or fold(seq[-1][0]) not in _TITLE_ABBR)
        ):
            _emit(run, seq, title, out)
            seq, title = [], None
        if not seq and word in TITLES and i + 1 < len(toks):
            nxt = _word_of(toks[i + 1][0])
            if not _stop(nxt):
                title = word
                seq.append((tok, s, e))
                continue
        if (
            not seq
            and (word in _SYLLABLE_WORDS or word in SURNAME_CANON)
            and i + 1 < len(toks)
            and not _style(tok)
            and not _style(toks[i + 1][0])
            and not _stop(_word_of(toks[i + 1][0]))
            and korean_syllables(_POSS_END.sub("", toks[i + 1][0])) is not None
        ):
            seq.append((tok, s, e))  # "Do Hyun", "So Yeon"
            continue
        if _stop(word) and _korean_inner(seq, toks, i):
            seq.append((tok, s, e))  # "Hwang In Yeop", "Kim So Hyun"
            continue
        if _stop(word) or _DIGIT.search(tok) or _LETTER_HYPHEN.match(tok):
            _emit(run, seq, title, out)
            seq, title = [], None
            continue
        if seq and _style(tok) != _style(seq[-1][0]) and not (title and len(seq) == 1):
            # "Juno KISSES", "HAMBURGER PHONE Juno": emphasis, not one name
            _emit(run, seq, title, out)
            seq, title = [], None
        seq.append((tok, s, e))
        if tok[-2:] in ("'s", "’s", "'S", "’S"):
            _emit(run, seq, title, out)
            seq, title = [], None
    _emit(run, seq, title, out)
    return out


def _korean_inner(
    seq: list[tuple[str, int, int]], toks: list[tuple[str, int, int]], i: int
) -> bool:
    """A one-syllable word inside a Korean surname-first name ("In" in "Hwang In Yeop")."""
    if not seq or i + 1 >= len(toks) or len(seq) > 2:
        return False
    if fold(seq[0][0]) not in SURNAME_CANON or korean_syllables(toks[i][0]) != 1:
        return False
    nxt = toks[i + 1][0]
    return korean_syllables(_POSS_END.sub("", nxt)) is not None


def _emit(run: str, seq: list[tuple[str, int, int]], title: str | None, out: list[_Part]) -> None:
    if not seq or (title and len(seq) == 1):
        return
    start, end = seq[0][1], seq[-1][2]
    surface = run[start:end]
    possessive = surface[-2:] in ("'s", "’s", "'S", "’S")
    if possessive:
        surface, end = surface[:-2], end - 2
    caps = all(_is_caps(t) for t, _, _ in (seq[1:] if title else seq))
    suffix = (
        strip_suffixes(surface)[1] if ("-" in surface or "‐" in surface or " " in surface) else None
    )
    words = tuple(w for t, _, _ in seq[1 if title else 0 :] for w in _word_of(t).split("-") if w)
    out.append((start, end, surface, caps, possessive, title, suffix, words))


def add_context(text: str, c: Candidate) -> set[str] | frozenset[str]:
    """Compute (once) and return the local evidence flags of a candidate."""
    if c.context_done:
        return c.flags
    c.context_done = True
    flags = c.flags
    own = flags if isinstance(flags, set) else set(flags)
    if c.suffix:
        own.add("suffix")
    _context(text, c, own)
    if own:
        c.flags = own
    return c.flags


def is_vocative(text: str, c: Candidate) -> bool:
    """Whether ``c`` has a suffix or the flag "vocative_position" once its context is made
    (:func:`add_context`), found without making it: the few tests of :func:`_context`
    those two depend on. (A spoken name's context is made later, if ever read; most are
    not. tests/test_characters.py checks this against add_context.)"""
    if c.suffix:
        return True
    if c.context_done:
        return "vocative_position" in c.flags
    if c.possessive:
        return False  # _context: no spaced suffix, nor a vocative position, after "'s"
    a = c.end
    hi = a + 80
    m = _SPACED_SUFFIX.match(text, a, hi)
    if m:
        sfx = m.group(1)
        if sfx in HONORIFIC_SUFFIXES and sfx not in ("gun", "yang", "nim"):
            return True  # the context sets the suffix
    if c.initial is not False or _NEXT.match(text, a, hi):
        return False
    start = c.start
    lo = start - 40 if start > 40 else 0
    return _VOCATIVE_AFTER.match(text, a, hi) is not None and text[lo:start].rstrip().endswith(",")


_PREV_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'’")


def _prev_word(text: str, lo: int, hi: int) -> tuple[int, int]:
    """Where the word of ``_PREV.search(text[lo:hi])`` is in ``text``, without trying
    every position and without cutting the text ((hi, hi): no match).

    ``_PREV`` is a word of ``[A-Za-z'’]`` followed by spaces, tabs and commas up to the end
    (``$``: also before a final newline); the leftmost match starts the last such word.
    """
    end = hi
    if end > lo and text[end - 1] == "\n":
        end -= 1
    while end > lo and text[end - 1] in " \t,":
        end -= 1
    j = end
    letters = _PREV_LETTERS
    while j > lo and text[j - 1] in letters:
        j -= 1
    return (j, end) if j < end else (hi, hi)


def _context(text: str, c: Candidate, flags: set[str]) -> None:
    # The text after the name is text[a:hi] and the text before it text[lo:start]: read
    # in place (patterns matched with pos and endpos, which see what the cut-out would),
    # not cut out for every candidate.
    a = c.end
    hi = a + 80
    if c.title:
        flags.add("title")
    if not c.possessive:
        m = _SPACED_SUFFIX.match(text, a, hi)
        if m:
            sfx = m.group(1)
            if sfx in HONORIFIC_SUFFIXES and sfx not in ("gun", "yang", "nim"):
                c.suffix = sfx
                flags.add("suffix")
                a = m.end()
    # _APPOS starts with a comma, _AGE with white space or "("
    first = text[a : a + 1] if a < hi else ""
    if first == ",":
        if _APPOS.match(text, a, hi):
            flags.add("appositive")
    elif (first == "(" or first.isspace()) and _AGE.match(text, a, hi):
        flags.add("age")
    start = c.start
    lo = start - 40 if start > 40 else 0
    ps, pe = _prev_word(text, lo, start)
    if ps < pe:  # (the word and what follows it up to the name hold no SEP)
        pw = c.prev_word = text[ps:pe].lower()
        if pw in SPEECH_VERBS:
            flags.add("speech")
        elif pw in _PLACE_PREPS:
            flags.add("place_prep")
        elif pw in WORK_CONTEXT:
            flags.add("work")
        elif pw in PERSON_NOUNS and pw.endswith(_RELATION_ENDS):
            flags.add("relation")  # "classmates Lee Suho", "his friend Min-jae"
        elif pw in HUMAN_VERBS and not c.initial:
            flags.add("object")  # "chooses Lee Suho", "hugs Min-jae"
        elif pw in _OBJECT_PREPS:
            m2 = _PREV2.search(text[lo:start])
            if m2 and m2.group(1).lower() in HUMAN_VERBS:
                flags.add("object")  # "shouts at Hana", "talks to Min-ji"
    if c.possessive:
        pm2 = _POSS_NEXT.match(text, a, hi)
        if pm2:
            noun = pm2.group(1)
            c.next_word = noun
            if noun in PERSON_NOUNS:
                flags.add("person_noun")
            elif noun in WORK_CONTEXT:
                flags.add("work")
        return
    nm = _NEXT.match(text, a, hi)
    if not nm:
        if (
            c.initial is False
            and _VOCATIVE_AFTER.match(text, a, hi)
            and text[lo:start].rstrip().endswith(",")
        ):
            flags.add("vocative_position")
        return
    w = nm.group(2)
    c.next_word = w
    if w in SPEECH_VERBS:
        flags.add("speech")
    elif w in HUMAN_VERBS or (
        nm.group(1) is None
        and w.endswith("s")
        and not w.endswith("ss")
        and len(w) > 3
        and w not in NOT_VERBS_S
        and w not in STOPWORDS
    ):
        flags.add("acts")
    elif w in _BE and nm.group(3) in HUMAN_STATES:
        flags.add("state")
    elif w in _BE and nm.group(3) and nm.group(3).endswith("ing") and len(nm.group(3)) > 5:
        flags.add("acts")  # "Han Seo Jun is trying"
    elif w in _BE:
        flags.add("be")  # a subject, for pronoun agreement; no evidence of a person
    elif w == "who":
        flags.add("appositive")
    elif w in WORK_CONTEXT:
        flags.add("work")


# --- unnamed roles ("the director", "her mother") --------------------------------------


# The determiners by first letter: the same matches as ``(?<![\w'’])(?:[Tt]he|THE|[Hh]is|
# [Hh]er|[Tt]heir|[Mm]y|[Yy]our|[Oo]ur)``, written as one branch per first letter (the
# engine skips ahead to those letters and tries only the branch of the letter found), each
# determiner followed by a look-behind over its own length for what comes before it.
_DETERMINERS = {
    "T": ("he", "HE", "heir"),
    "t": ("he", "heir"),
    "H": ("is", "er"),
    "h": ("is", "er"),
    "M": ("y",),
    "m": ("y",),
    "Y": ("our",),
    "y": ("our",),
    "O": ("ur",),
    "o": ("ur",),
}
_DET = "|".join(
    first + "(?:" + "|".join(rest + rf"(?<![\w'’]{'.' * (len(rest) + 1)})" for rest in rests) + ")"
    for first, rests in _DETERMINERS.items()
)
_ROLE = re.compile(
    rf"(?P<det>{_DET})[ \t]+"
    rf"(?P<role>(?i:{trie_alternation(ROLE_NOUNS)}))(?P<plural>s)?(?![\w'’-])"
)
_ROLE_NEXT = re.compile(r"[ \t]*(?:\([^)\n]{0,20}\))?,?[ \t]+(?:([a-z]+ly)[ \t]+)?([a-z][a-z'’-]*)")


@dataclass(slots=True)
class RoleMention:
    start: int
    end: int
    surface: str  # "the director", "her mother"
    role: str  # "director", "her mother" (possessive kept: "her mother" is not "the mother")
    acts: bool  # followed by a verb: "the director walks in"
    caps: bool  # "the DIRECTOR": a screenplay introduction
    age: bool


# Where _ROLE can match, found fast (_ROLE_AT_SOURCES): a determiner in lower case (one pattern per
# determiner, each starting with a literal, which the regex engine skips to far faster than
# to every t, h, m, y and o that _ROLE's first letters make it try) followed by a role
# noun, in the lower-cased text. Where _ROLE matches, one of these matches at the same
# place (the lower-cased text has the same positions, and the lower-case letter where
# ``(?i)`` matched an ASCII letter, unless a character of _CASE_FOLDS is in it); one of
# these never covers the start of another _ROLE match (a role noun is not a determiner and
# holds no space), so matching _ROLE at each place found gives what _ROLE.finditer gives.
# (Compiled on first use, each set once per process: about 5 ms apiece, which a command
# that reads one file should not pay at import for a set it may never use.)
_ROLE_AT_SOURCES: tuple[str, ...] = tuple(
    rf"{det}[ \t]+{trie_alternation(w.lower() for w in ROLE_NOUNS)}"
    for det in ("the(?:ir)?", "his", "her", "my", "your", "our")
)


@cache
def _role_at() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in _ROLE_AT_SOURCES)


# the same on Latin-1 bytes (text.encode("latin-1").lower(): much faster than str.lower()
# when the text is not ASCII; it lowers A-Z only, and no other Latin-1 character is or
# matches an ASCII letter in any case)
@cache
def _role_at_latin1() -> tuple[re.Pattern[bytes], ...]:
    return tuple(re.compile(p.encode("ascii")) for p in _ROLE_AT_SOURCES)


# the only characters ``(?i)`` matches with an ASCII letter that is not their lower case
# (İ: "i" and a combining dot in lower case), found by trying every character
_CASE_FOLDS = ("\u0130", "\u0131", "\u017f")
_ROLE_FAST = all(w.isascii() for w in ROLE_NOUNS)


def _role_matches(text: str) -> Iterable[re.Match[str]]:
    """``_ROLE.finditer(text)``, faster (see _ROLE_AT_SOURCES)."""
    if not _ROLE_FAST:
        return _ROLE.finditer(text)
    try:
        raw = text.encode("latin-1").lower()
    except UnicodeEncodeError:
        lower = text.lower()
        if len(lower) != len(text) or any(ch in text for ch in _CASE_FOLDS):
            return _ROLE.finditer(text)
        starts = [m.start() for pattern in _role_at() for m in pattern.finditer(lower)]
    else:
        starts = [m.start() for pattern in _role_at_latin1() for m in pattern.finditer(raw)]
    starts.sort()
    match = _ROLE.match
    return [m for m in [match(text, p) for p in starts] if m is not None]


def find_roles(text: str) -> list[RoleMention]:
    out: list[RoleMention] = []
    for m in _role_matches(text):
        if m.group("plural"):
            continue
        det = m.group("det").lower()
        role_word = m.group("role")
        role = role_word.lower()
        after = text[m.end() : m.end() + 60]
        nm = _ROLE_NEXT.match(after)
        nxt = nm.group(2) if nm else None
        if nxt in ("of", "'s", "’s") or after.startswith(("'s", "’s")):
            continue
        acts = bool(
            nxt
            and (
                nxt in HUMAN_VERBS
                or nxt == "who"
                or (
                    nxt.endswith("s")
                    and not nxt.endswith("ss")
                    and len(nxt) > 3
                    and nxt not in NOT_VERBS_S
                )
            )
        )
        key = role if det == "the" else f"{det} {role}"
        out.append(
            RoleMention(
                m.start(),
                m.end(),
                m.group(0),
                key,
                acts,
                role_word.isupper() and len(role_word) > 1,
                bool(_AGE.match(after)),
            )
        )
    return out
