"""The fast paths of the characters stage's mentions, speakers, gender evidence and
statistics say the same as the plain code they stand in for."""

from __future__ import annotations

import bisect
import re

from hypothesis import given, settings
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
