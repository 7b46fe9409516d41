"""The fast paths of the characters stage's mentions, speakers, gender evidence and
statistics say the same as the plain code they stand in for."""

from __future__ import annotations

import bisect
import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from sceneanatomy.analysis import characters
from sceneanatomy.analysis.characters import _SpanMapper, count_words, find_characters
from sceneanatomy.model import Attribution, Document, Element, ElementKind, LineIndex, Scene
from sceneanatomy.readers import read_bytes

_PIECES = st.sampled_from(
    ["his", "He", "her", "she", "this", "Hiss", " ", "  ", "\n", "\n  ", "\r\n", "é", "’", ".", "x"]
)


def _doc_with(raw: str, prefix: str, text: str) -> tuple[Document, Element]:
    """A document whose source is ``prefix + raw`` with one element over ``raw``."""
    src = prefix + raw
    start = len(prefix)
    span = LineIndex(src).span(start, len(src))
    el = Element(ElementKind.ACTION, text, span)
    doc = Document(source_text=src, source_format="fountain", scenes=[Scene(0, elements=[el])])
    return doc, el


@settings(max_examples=400, deadline=None)
@given(
    st.lists(_PIECES, min_size=1, max_size=14).map("".join),
    st.sampled_from(["", "x\n", "a b\r\nc\n"]),
    st.booleans(),
    st.integers(0, 40),
    st.integers(0, 40),
)
def test_word_span_is_span(raw: str, prefix: str, verbatim: bool, a: int, b: int) -> None:
    # the element's text: its raw source verbatim, or cleaned (white space runs joined)
    text = raw if verbatim else " ".join(raw.split())
    doc, el = _doc_with(raw, prefix, text)
    mapper = _SpanMapper(doc)
    regions = [(m.start(), m.end()) for m in re.finditer(r"\S+|\w+", text)]
    regions.append((min(a, b, len(text)), min(max(a, b), len(text))))
    for start, end in regions:
        assert mapper.word_span(el, start, end) == _SpanMapper(doc).span(el, start, end)


def test_source_attribution_is_the_plain_one() -> None:
    a = characters._source_attribution("cue")
    b = characters._source_attribution("cue")
    assert type(a) is Attribution
    assert a == Attribution(None, "cue", None, None, [])
    assert a.evidence is not b.evidence  # each its own list: later stages add to it
    assert characters._source_attribution_plain("subtitle-speaker") == Attribution(
        speaker_rule="subtitle-speaker"
    )


def _speech_hits_plain(joined: str, starts: list[int], idxs: list[int]) -> tuple[set, set]:
    """_speech_hits as it was: every hint word looked for, in any text."""
    self_hits: set[int] = set()
    kin_hits: set[int] = set()
    if not joined.isascii() and characters._CASE_SPECIAL.search(joined):
        return characters._speech_hits(joined, starts, idxs)
    low = joined.lower()
    for w in characters._SPEECH_HINT_WORDS:
        hits = self_hits if w in characters._SELF_HINT_WORDS else kin_hits
        for m in re.finditer(re.escape(w), low):
            hits.add(idxs[bisect.bisect_right(starts, m.start()) - 1])
    return self_hits, kin_hits


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.lists(
            st.sampled_from(
                ["I'm", "i am", "I’m", "eonni", "onni", "oppa", "형", "누나", "hyeong", " ", "a"]
            ),
            max_size=6,
        ).map("".join),
        min_size=1,
        max_size=6,
    )
)
def test_speech_hits_find_the_lines_every_word_finds(lines: list[str]) -> None:
    joined = "\x1e".join(lines)
    starts = characters._starts(lines)
    idxs = [10 + i for i in range(len(lines))]
    assert characters._speech_hits(joined, starts, idxs) == _speech_hits_plain(joined, starts, idxs)


def test_count_words_on_long_and_joined_texts() -> None:
    texts = [
        "don't won't it's a'b'c'd ''x'' y'' 'z",
        "word " * 5000 + "l'a'st",
        "’tis o’clock — it’s 1,000 _under_ score",
        "",
        "'",
        "a",
    ]
    for t in texts:
        assert count_words(t) == len(characters._WORD.findall(t)), t


_SCRIPT = """INT. KITCHEN - DAY

JUNO MACGUFF, 16, walks in. She drops her bag. Juno's dad, MAC, looks up.

JUNO
Hi, Dad. I'm a girl, you know.

MAC
Juno. Sit down.

Mac sits. He rubs his eyes. Juno frowns and she leaves.

JUNO (V.O.)
Bye, Mac!
"""


def test_mention_counts_are_the_counted_mentions() -> None:
    doc = find_characters(read_bytes(_SCRIPT.encode(), fmt="fountain"), "rules")
    assert doc.characters
    for ch in doc.characters:
        kinds = [m.kind for m in ch.mentions]
        assert ch.attrs["mentions"] == kinds.count("name") + kinds.count("vocative")
    # and presence_and_stats without the counts (from the mentions) says the same
    before = {ch.id: dict(ch.attrs) for ch in doc.characters}
    els = [characters._El(el, sc.index, "skip") for sc in doc.scenes for el in sc.elements]
    speaking = characters._Speaking(doc)
    for ch in doc.characters:
        speaking.stats[ch.id] = [ch.attrs["lines"], set()]
    characters.presence_and_stats(doc, els, {}, [], speaking)
    for ch in doc.characters:
        assert ch.attrs["mentions"] == before[ch.id]["mentions"]


def test_cue_mention_spans_are_their_names() -> None:
    # a cue that is its whole element shares the element's span: the same span a new one
    # would be (the name's characters and their line)
    doc = find_characters(read_bytes(_SCRIPT.encode(), fmt="fountain"), "rules")
    src = doc.source_text
    lines = LineIndex(src)
    cues = [m for ch in doc.characters for m in ch.mentions if m.kind == "cue"]
    assert cues
    for m in cues:
        sp = m.span
        assert src[sp.start_char : sp.end_char] == m.surface
        assert (sp.start_line, sp.end_line) == (
            lines.span(sp.start_char, sp.end_char).start_line,
            lines.span(sp.start_char, sp.end_char).end_line,
        )


def _pronoun_votes_plain(els, narr_mentions, narr_skip, is_subject, vote, word_span) -> None:  # type: ignore[no-untyped-def]
    """gender_evidence's narrative pronoun votes as they were: every element and every
    sentence looked at, the sentence's mentions sliced out."""
    C = characters
    prev = None
    prev_block = None
    prev_scene = -1
    for idx in narr_skip:
        info = els[idx]
        if info.cls != "narr":
            prev = None
            continue
        if prev_scene != info.scene:
            prev, prev_scene = None, info.scene
        ms = narr_mentions.get(idx)
        if not ms:
            if prev is not None:
                lp = C._LEAD_PRONOUN.match(info.el.text)
                if lp:
                    gnd = C._LEAD_GENDER.get(lp.group(1).lower(), "female")
                    if gnd != prev_block:
                        vote(prev, gnd, 1, word_span(info.el, lp.start(1), lp.end(1)))
            prev = None
            continue
        text = info.el.text
        if len(ms) > 1:
            ms.sort(key=C._FIRST)
        k = 0
        n_ms = len(ms)
        for m in C._SENT.finditer(text):
            s, e = m.span()
            k0 = k
            while k < n_ms and ms[k][0] < e:
                k += 1
            if k == k0:
                if prev is not None:
                    lp = C._LEAD_PRONOUN.match(text, s)
                    if lp:
                        gnd = C._LEAD_GENDER.get(lp.group(1).lower(), "female")
                        if gnd != prev_block:
                            vote(prev, gnd, 1, word_span(info.el, lp.start(1), lp.end(1)))
                    if not text[s:e].isspace():
                        prev = None
                elif k == n_ms:
                    break
                continue
            here = ms[k0:k]
            if prev is not None:
                lp = C._LEAD_PRONOUN.match(text, s)
                if lp and lp.end(1) <= here[0][0]:
                    gnd = C._LEAD_GENDER.get(lp.group(1).lower(), "female")
                    if gnd != prev_block and all(x[2] != prev for x in here):
                        vote(prev, gnd, 1, word_span(info.el, lp.start(1), lp.end(1)))
            for pm in C._PRONOUN.finditer(text, here[0][1], e):
                w = pm.group().lower()
                ps = pm.start()
                if w in ("he", "she"):
                    if not C._CLAUSE_BEFORE.search(text, max(0, ps - 12), ps):
                        continue
                elif w == "her":
                    nxt = C._NEXT_WORD.match(text, pm.end(), e)
                    if not nxt or nxt.group(1) in C.FUNCTION_WORDS:
                        continue
                elif w not in ("his", "himself", "herself"):
                    continue
                cid = None
                for x in reversed(here):
                    if x[1] <= ps and is_subject(x[3]):
                        cid = x[2]
                        break
                if cid is None:
                    continue
                if w in ("his", "himself", "he"):
                    vote(cid, "male", 1, word_span(info.el, ps, pm.end()))
                else:
                    vote(cid, "female", 1, word_span(info.el, ps, pm.end()))
            first = here[0][2]
            prev = first if len(here) == 1 or all(x[2] == first for x in here) else None
            prev_block = C._object_pronoun_gender(text, here[-1][1], e) if prev else None
            if prev is None and k == n_ms:
                break


_NARR_PIECES = st.sampled_from(
    ["Anna", "Ben", " walks in", " sees his hat", " takes her hat", " and", ". ", "! ", "? ",
     "… ", ".", "...", "He", "She", " he", " she", " his", " her", " him.", " Hers",
     " himself", ", and she", ", and he", "Then he ", "'", '"', ")", "’s", "\n", " ", "ſhe"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["narr", "narr", "narr", "skip"]),
            st.integers(0, 2),  # scene
            st.lists(_NARR_PIECES, max_size=16).map("".join),
            st.lists(st.booleans(), max_size=8),  # which names are mentions, subjects
            st.lists(st.integers(0, 60), max_size=2),  # mentions anywhere
        ),
        max_size=8,
    )
)
@example(
    [
        ("narr", 0, "Ben walks in. Anna sees his hat, and she walks in. ", [True, True], []),
        ("narr", 0, "He walks in", [], []),
        ("narr", 1, "Anna. Ben walks in!) Then he sees her hat.", [False, True], [5, 0]),
    ]
)
def test_pronoun_votes_are_the_plain_ones(paras: list) -> None:  # type: ignore[type-arg]
    els = []
    narr_mentions: dict[int, list] = {}  # type: ignore[type-arg]
    subject: dict[int, bool] = {}
    scene = 0
    for i, (cls, step, text, picks, extra) in enumerate(paras):
        scene += step
        span = LineIndex(text).span(0, len(text))
        els.append(characters._El(Element(ElementKind.ACTION, text, span), scene, cls))
        if cls != "narr":
            continue
        ms = []
        names = [m for m in re.finditer("Anna|Ben", text)]
        for j, (m, pick) in enumerate(zip(names, picks, strict=False)):
            if pick or j % 2:
                o = len(subject)
                subject[o] = pick
                ms.append((m.start(), m.end(), m.group(), o))
        for p in extra:  # a mention at any place (a sentence end, a closing quote...)
            o = len(subject)
            subject[o] = p % 3 != 0
            ms.append((min(p, len(text)), min(p + 2, len(text)), "X", o))
        if ms:
            narr_mentions[i] = ms
    narr_skip = list(range(len(els)))

    def run(f) -> list:  # type: ignore[no-untyped-def,type-arg]
        votes: list = []  # type: ignore[type-arg]
        f(
            els,
            {k: list(v) for k, v in narr_mentions.items()},
            narr_skip,
            subject.__getitem__,
            lambda cid, gnd, w, sp: votes.append((cid, gnd, w, sp)),
            lambda el, a, b: (id(el), a, b),
        )
        return votes

    assert run(characters._pronoun_votes) == run(_pronoun_votes_plain)
