"""The shortcuts behind the who-is-who stages' speed give what the plain code gives.

Token and name scans without per-token calls (dialogue_refs), a sentence's tokens and
names taken from the scan of its whole line (coref), and the page wrapping of ASCII
lines are each checked against the plain code they replace.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from sceneanatomy.analysis import dialogue_refs as dr
from sceneanatomy.analysis import pages

FAST = settings(max_examples=300, deadline=None)

_NAMES = [
    ("c1", "Ross Geller", ["Ross"], "male", 3.0),
    ("c2", "Rachel Green", ["Rach"], "female", 3.0),
    ("c3", "Mr. Heckles", [], "male", 1.0),
    ("c4", "Seo Jun", ["Seo Jun-ssi"], "male", 2.0),
    ("c5", "The Director", [], "unknown", 1.0),
    ("c6", "Joey", ["Joseph Francis Tribbiani"], "male", 2.0),
]
_PIECES = [
    "Ross",
    "Geller",
    "Rachel",
    "Green",
    "Rach",
    "Mr.",
    "Heckles",
    "Seo",
    "Jun",
    "Jun-ssi",
    "Joey",
    "Joseph",
    "Francis",
    "Tribbiani",
    "the",
    "director",
    "Director",
    "he",
    "she",
    "I'm",
    "don't",
    "Ross's",
    "’s",
    "n't",
    "'em",
    "Hey",
    ",",
    ".",
    "!",
    "?",
    " ",
    "  ",
    "\n",
    "-",
    "_",
    "o'",
    "O'Brien",
    "민재야",
    "Élodie",
    "ÉTÉ",
    "X_Y",
    "’",
    "'",
    "Mr",
    "MRS.",
    "GELLER",
    "JOEY",
    "you",
    "—",
    "“",
    "”",
]
texts = st.lists(st.sampled_from(_PIECES), max_size=30).map(
    lambda ws: "".join(w if w in " \n" else w + " " for w in ws)
) | st.text(max_size=60)


def _index() -> dr.NameIndex:
    return dr.NameIndex(_NAMES)


@FAST
@given(texts, st.integers(0, 50))
def test_tokenize_fast_path_is_the_plain_tokenizer(text: str, offset: int) -> None:
    assert dr._tokenize.__wrapped__(text, offset) == dr._tokenize_plain(text, offset)


@FAST
@given(texts, st.integers(0, 50))
def test_name_scan_is_the_plain_scan(text: str, offset: int) -> None:
    index = _index()
    assert index._scan_names(text, offset) == index._scan_names_plain(text, offset)


def _sentences(text: str) -> list[tuple[int, int]]:
    # as coref splits a line: after . ! ? and spaces, before a capital
    out, pos = [], 0
    for m in re.finditer(r"(?<=[.!?])\s+(?=[A-Z])", text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return out


def _check_sentences(text: str, off: int, cut: int) -> None:
    outer = text[cut:]  # the element's text may start after the sentence's first spaces
    o0 = off + cut
    sentences = _sentences(text)
    dr.clear_caches()  # (the scans are shared by indexes of the same names)
    plain = [_index().find_names(text[a:b], off + a) for a, b in sentences]
    dr.clear_caches()
    fast = _index()
    fast.find_names(outer, o0)  # the line scanned first, as gender_evidence does
    for (a, b), want in zip(sentences, plain, strict=True):
        s = text[a:b]
        assert fast.find_names_inside(s, off + a, outer, o0) == want
        assert dr.tokens_inside(s, off + a, outer, o0) == dr.tokenize(s, off + a)
    dr.clear_caches()


@FAST
@given(texts, st.integers(0, 50), st.integers(0, 3))
def test_sentence_names_and_tokens_from_the_whole_line(text: str, off: int, cut: int) -> None:
    _check_sentences(text, off, cut)


def test_sentence_names_come_from_the_line_scan(monkeypatch) -> None:
    text = "Ross waves. Mr. Heckles sees Rachel Green. Seo Jun-ssi and the director leave."
    _check_sentences(text, 7, 0)
    fast = _index()
    fast.find_names(text, 7)
    monkeypatch.setattr(dr.NameIndex, "_scan_names", None)  # no scan of its own
    hits = fast.find_names_inside(text[12:42], 19, text, 7)
    assert [h.surface for h in hits] == ["Mr. Heckles", "Rachel Green"]
    dr.clear_caches()


def _plain_wrapped_lines(text: str, width: int) -> int:
    total = 0
    for para in text.split("\n"):
        words = para.split()
        if not words:
            total += 1
            continue
        lines, col = 1, 0
        for word in words:
            w = pages.text_width(word)
            if col and col + 1 + w <= width:
                col += 1 + w
                continue
            if col:
                lines += 1
            full = max(0, (w - 1) // width)
            lines += full
            col = w - full * width
        total += lines
    return total


@FAST
@given(texts | st.text(alphabet="ab 漢\n\u0301", max_size=80), st.integers(5, 61))
def test_wrapped_lines_is_the_plain_wrap(text: str, width: int) -> None:
    assert pages.wrapped_lines(text, width) == _plain_wrapped_lines(text, width)


@FAST
@given(texts, st.integers(0, 50), st.text(" \n\t", max_size=3), st.text(" \n", max_size=3))
def test_names_of_the_same_text_elsewhere(text: str, off: int, lead: str, trail: str) -> None:
    moved = lead + text + trail
    dr.clear_caches()
    want = _index().find_names(moved, 0)
    dr.clear_caches()
    fast = _index()
    fast.find_names(text, off)  # the same words scanned at their place in the source
    assert fast.find_names_as(moved, 0, text, off) == want
    dr.clear_caches()
