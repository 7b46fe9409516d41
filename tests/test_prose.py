"""The prose reader: sentences, quotations, page furniture, episode markers, spans."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sceneanatomy.errors import ParseError
from sceneanatomy.model import Document, Element, ElementKind, LineIndex
from sceneanatomy.readers import read_bytes
from sceneanatomy.readers.prose import find_quotes, split_sentences

# ---------------------------------------------------------------------------- fixtures
# Invented dramas and people; no text from ../shared is copied here.

ARTICLE = """\
Lovers of the Red Moon: Baek Jae Won finally says the words Kang Mi Rae waited for

Choi Dohyun and Seo Hana turn a rainy bus stop into the most talked-about moment of the week.
By Jane Park | Updated on Mar 14, 2023 09:30 PM IST
  • 12
  • facebook
  • twitter
  • Share on whatsapp
Lovers of the Red Moon: Baek Jae Won finally says the words Kang Mi Rae waited for

*SPOILER ALERT*

In episode 6 of Lovers of the Red Moon, Kang Mi Rae misses the last bus home. Baek Jae Won, \
who has been following her "by accident" all night, offers her his umbrella. She refuses. \
"I don't need your help," she snaps, but the rain gets heavier.

ALSO READ: Which Lovers of the Red Moon character are you? Take the QUIZ

Jae Won says ‘Then I’m staying too’, and he does. Dr. Yoon, Mi Rae's boss, drives past at \
9 p.m. and honks... Mi Rae doesn't even look up. She says 'I'm not cold', but she shivers.

Advertisement

Watch the video here

Did you enjoy this moment? Share your thoughts with us in the comments below.
"""

MULTI_EPISODE = """\
Salt & Stars: the week in recaps

EPISODE 3 RECAP

Captain Oh Jisu finds her father's map in the lighthouse. Her first mate, Ryu Ban, warns her
that the map is a trap, but she sails anyway. "We leave at dawn," she says.

Episode 4

The storm hits. Ryu Ban pulls Jisu from the water and, for the first time, she lets him hold
her hand.
"""

MULTI_DRAMA = """\
Weekly K-drama roundup

Moonlit Orchard Episode 5

Yuri finally confronts Minseok about the letters. He denies writing them.

Salt & Stars Episode 12

Jisu and Ban reach the island. The map was real after all.
"""

CAPS_HEADINGS = """\
THE WEEK IN K-DRAMAS

MOONLIT ORCHARD

Yuri throws the pears back over the fence. Minseok picks them up, one by one.

SALT AND STARS

Jisu sails at dawn. Ban follows her in a stolen boat.

LOVERS OF THE RED MOON

Mi Rae finally takes the umbrella.
"""

MARKDOWN = """\
# Moonlit Orchard recap

## Episode 1

**Han Yuri** meets [Do Minseok](https://example.com/minseok) at the *orchard* gate. \
She says "Go away." He laughs.

## Episode 2

> Minseok leaves a basket of pears on her doorstep. Yuri throws them back over the fence,
> one by one.
"""


def read(text: str, path: str | None = None, fmt: str | None = "prose") -> Document:
    return read_bytes(text.encode("utf-8"), path=path, fmt=fmt)


def narration(doc: Document) -> list[Element]:
    return [e for e in doc.elements() if e.kind is ElementKind.NARRATION]


def dialogue(doc: Document) -> list[Element]:
    return [e for e in doc.elements() if e.kind is ElementKind.DIALOGUE]


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text, find_quotes(text))]


def quotes(text: str) -> list[str]:
    return [text[a:b] for a, b, _ in find_quotes(text)]


def _alnum(s: str) -> str:
    return "".join(c for c in s.casefold() if c.isalnum())


def _is_subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(c in it for c in small)


def check_spans(doc: Document) -> None:
    """The span property and the structural promises of the prose reader."""
    text = doc.source_text
    index = LineIndex(text)
    everything = [*doc.elements(), *doc.furniture]
    for el in everything:
        sp = el.span
        assert 0 <= sp.start_char < sp.end_char <= len(text)
        assert sp == index.span(sp.start_char, sp.end_char)
        raw = text[sp.start_char : sp.end_char]
        assert raw == raw.strip(), (raw, el)
        assert el.text == el.text.strip() and "\n" not in el.text
        if "&" not in raw:
            assert _is_subsequence(_alnum(el.text), _alnum(raw)), (el.text, raw)
    for scene in doc.scenes:
        starts = [e.span.start_char for e in scene.elements]
        assert starts == sorted(starts)
        narr = [e for e in scene.elements if e.kind is not ElementKind.DIALOGUE]
        for a, b in zip(narr, narr[1:], strict=False):
            assert a.span.end_char <= b.span.start_char
        for e in scene.elements:
            if e.kind is ElementKind.DIALOGUE:
                ref = scene.elements[e.attrs["sentence_ref"]]
                assert ref.kind is ElementKind.NARRATION
                assert ref.span.start_char <= e.span.start_char < e.span.end_char
                assert e.span.end_char <= ref.span.end_char
                assert e.speaker is None
    # Story and furniture never overlap, and together cover every non-space character.
    covered = sorted(
        (e.span.start_char, e.span.end_char)
        for e in everything
        if e.kind is not ElementKind.DIALOGUE
    )
    for (_, b), (c, _) in zip(covered, covered[1:], strict=False):
        assert b <= c
    mask = bytearray(len(text))
    for a, b in covered:
        mask[a:b] = b"\x01" * (b - a)
    for i, ch in enumerate(text):
        if not ch.isspace():
            assert mask[i], (i, text[max(0, i - 20) : i + 20])


# ---------------------------------------------------------------------------- sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Mr. Park meets Dr. Yoon at St. Mary's hospital. They argue.",
            ["Mr. Park meets Dr. Yoon at St. Mary's hospital.", "They argue."],
        ),
        (
            "Ms. Han wins 3.5 vs. 2.1 in No. 3. It is No. 1 now.",
            ["Ms. Han wins 3.5 vs. 2.1 in No. 3.", "It is No. 1 now."],
        ),
        (
            "Author J. K. Rowling is not involved. Kim J. Soo is.",
            ["Author J. K. Rowling is not involved.", "Kim J. Soo is."],
        ),
        (
            "Tropes, e.g. the wrist grab, i.e. a cliche, appear. Mrs. Oh agrees.",
            ["Tropes, e.g. the wrist grab, i.e. a cliche, appear.", "Mrs. Oh agrees."],
        ),
        (
            "She waits... and waits. Then… Nothing happens.",
            ["She waits... and waits.", "Then…", "Nothing happens."],
        ),
        ("He cried?! She laughed. What now?", ["He cried?!", "She laughed.", "What now?"]),
        ('"Stop!" she yells. He stops.', ['"Stop!" she yells.', "He stops."]),
        ('She whispers, "Stay." He stays.', ['She whispers, "Stay."', "He stays."]),
        (
            "“Wait. Please. Don't go,” he begs. She goes.",
            ["“Wait. Please. Don't go,” he begs.", "She goes."],
        ),
        (
            "It rained. (Again.) Then the sun came out.",
            ["It rained.", "(Again.)", "Then the sun came out."],
        ),
        ("He lives in the U.S. now. She stays.", ["He lives in the U.S. now.", "She stays."]),
        ("They meet at 9 a.m. Then they part.", ["They meet at 9 a.m.", "Then they part."]),
        ("Ep. 4 is sad. Ep. 5 is sadder.", ["Ep. 4 is sad.", "Ep. 5 is sadder."]),
        ("1. The first kiss. 2. The second kiss.", ["1. The first kiss.", "2. The second kiss."]),
        ("Okay. :)", ["Okay. :)"]),
        ("그는 웃었다. 그녀는 울었다.", ["그는 웃었다.", "그녀는 울었다."]),
        ("彼は笑った。彼女は泣いた。", ["彼は笑った。", "彼女は泣いた。"]),
        ("No final stop here", ["No final stop here"]),
    ],
)
def test_sentence_splitting(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_sentences_are_narration_with_indices() -> None:
    doc = read("Yuri laughs. Minseok frowns.\n\nThe pears fall. Nobody moves.\n")
    got = [(e.text, e.attrs["paragraph"], e.attrs["sentence"]) for e in narration(doc)]
    assert got == [
        ("Yuri laughs.", 0, 0),
        ("Minseok frowns.", 0, 1),
        ("The pears fall.", 1, 0),
        ("Nobody moves.", 1, 1),
    ]
    check_spans(doc)


def test_wrapped_and_one_line_paragraphs() -> None:
    wrapped = (
        "Captain Oh Jisu finds her father's map in the lighthouse. Her first mate\n"
        "warns her that the map is a trap, but she sails anyway before the storm.\n"
        "Ryu Ban stays on the shore.\n"
    )
    doc = read(wrapped)
    assert {e.attrs["paragraph"] for e in narration(doc)} == {0}
    assert narration(doc)[1].text == (
        "Her first mate warns her that the map is a trap, but she sails anyway before the storm."
    )
    assert (narration(doc)[1].span.start_line, narration(doc)[1].span.end_line) == (1, 2)
    one_per_line = "Jisu sails at dawn.\nBan follows her in a stolen boat.\nThe sea is calm.\n"
    doc = read(one_per_line)
    assert [e.attrs["paragraph"] for e in narration(doc)] == [0, 1, 2]


# ---------------------------------------------------------------------------- quotations


@pytest.mark.parametrize(
    ("text", "expected", "style"),
    [
        ('She says "Go away." He laughs.', ["Go away."], "double"),
        ("She says “Go away.” He laughs.", ["Go away."], "curly-double"),
        ("He says 'I'm a man too', and waits.", ["I'm a man too"], "single"),
        ("He says ‘I’m a man too’, and waits.", ["I’m a man too"], "curly-single"),
        ("Elle dit «Va-t'en» et part.", ["Va-t'en"], "guillemet"),
        ("그녀는 「가」 라고 말했다.", ["가"], "corner"),
    ],
)
def test_quote_styles(text: str, expected: list[str], style: str) -> None:
    doc = read(text)
    dl = dialogue(doc)
    assert [d.text for d in dl] == expected
    assert dl[0].attrs["quote"] == style
    raw = doc.source_text[dl[0].span.start_char : dl[0].span.end_char]
    assert raw[0] in "\"“'‘«「" and raw[-1] in "\"”'’»」"  # the span includes the marks
    check_spans(doc)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Seo Jun's friend isn't here; it's the '90s and he's 5'11\".", []),
        ("I'll get 'em later. She said 'no'.", ["'no'"]),
        ("The actors' chemistry is real.", []),
        ("\"She said 'no' to me,\" he admits.", ["\"She said 'no' to me,\""]),
        ("'He said \"go\" to me,' she admits.", ["'He said \"go\" to me,'"]),
        ('She writes "unclosed and never ends.', []),
        ('"Hi," he says, "bye."', ['"Hi,"', '"bye."']),
        ("rock 'n' roll", ["'n'"]),
    ],
)
def test_quote_boundaries(text: str, expected: list[str]) -> None:
    assert quotes(text) == expected


def test_dialogue_refers_to_its_sentence_and_short_scare_quotes() -> None:
    text = (
        'Fans are split into "Team Seojun" and ‘Team Suho’. '
        'Minseok shouts "I will not wait for you anymore!" and leaves.'
    )
    doc = read(text)
    scene = doc.scenes[0]
    dl = dialogue(doc)
    assert [(d.text, d.attrs["short"]) for d in dl] == [
        ("Team Seojun", True),
        ("Team Suho", True),
        ("I will not wait for you anymore!", False),
    ]
    for d in dl:
        ref = scene.elements[d.attrs["sentence_ref"]]
        assert ref.kind is ElementKind.NARRATION
        assert d.text in ref.text
        assert d.attrs["sentence"] == ref.attrs["sentence"]
    assert scene.elements[dl[2].attrs["sentence_ref"]].text.startswith("Minseok shouts")
    check_spans(doc)


def test_quote_spanning_lines_in_wrapped_text() -> None:
    text = (
        'Ban looks at the sea for a long time before he says "We should go\nhome now," quietly.\n'
    )
    doc = read(text)
    (d,) = dialogue(doc)
    assert d.text == "We should go home now"
    assert (d.span.start_line, d.span.end_line) == (1, 2)
    check_spans(doc)


# ---------------------------------------------------------------------------- furniture


def test_article_front_matter_and_furniture() -> None:
    doc = read(ARTICLE, path="article.txt", fmt=None)
    assert doc.source_format == "prose"
    assert doc.title == (
        "Lovers of the Red Moon: Baek Jae Won finally says the words Kang Mi Rae waited for"
    )
    assert doc.attrs["dek"].startswith("Choi Dohyun and Seo Hana turn a rainy bus stop")
    roles = [(e.attrs.get("role"), e.span.start_line) for e in narration(doc)[:2]]
    assert roles == [("headline", 1), ("dek", 3)]
    kinds = {e.attrs["furniture"]: e for e in doc.furniture}
    for kind in (
        "byline",
        "share",
        "headline-repeat",
        "spoiler",
        "also-read",
        "ad",
        "watch",
        "comments",
    ):
        assert kind in kinds, kind
    shares = [e.text for e in doc.furniture if e.attrs["furniture"] == "share"]
    assert shares == ["12", "facebook", "twitter", "Share on whatsapp"]
    story = " ".join(e.text for e in doc.elements())
    for junk in (
        "facebook",
        "twitter",
        "ALSO READ",
        "Watch the video",
        "comments below",
        "Jane Park",
    ):
        assert junk not in story
    assert doc.episode == 6
    assert [d.text for d in dialogue(doc)] == [
        "by accident",
        "I don't need your help",
        "Then I’m staying too",
        "I'm not cold",
    ]
    check_spans(doc)


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("• 0", "share"),
        ("• Facebook", "share"),
        ("Tweet", "share"),
        ("Pin it", "share"),
        ("Share this article", "share"),
        ("Also Read: 10 K-dramas to binge this winter", "also-read"),
        ("Related: Moonlit Orchard cast interview", "also-read"),
        ("Read more", "read-more"),
        ("You can watch the video HERE.", "watch"),
        ("Watch the trailer below:", "watch"),
        ("Click here for the full episode list", "click"),
        ("ADVERTISEMENT", "ad"),
        ("Story continues below advertisement", "ad"),
        ("Subscribe to our newsletter for weekly recaps", "subscribe"),
        ("By Min Ji-ho", "byline"),
        ("Written by Dana Lee, Senior Editor", "byline"),
        ("Updated on Jan 05, 2022 08:00 PM IST", "byline"),
        ("March 3, 2021", "date"),
        ("Photo Credit: tvN", "credit"),
        ("Tags: Moonlit Orchard, recap", "tags"),
        ("Tell us your favourite scene in the comment section below!", "comments"),
        ("* * *", "separator"),
    ],
)
def test_furniture_lines(line: str, kind: str) -> None:
    text = (
        "Yuri waits at the orchard gate for an hour.\n\n"
        f"{line}\n\n"
        "Minseok never comes, and the pears rot.\n"
    )
    doc = read(text)
    assert [(e.text, e.attrs["furniture"]) for e in doc.furniture][0][1] == kind
    assert [e.text for e in narration(doc)] == [
        "Yuri waits at the orchard gate for an hour.",
        "Minseok never comes, and the pears rot.",
    ]
    check_spans(doc)


@pytest.mark.parametrize(
    "line",
    [
        "By the end of the episode, Yuri is in tears.",
        "Share the umbrella, Minseok says to himself, and walks on.",
        "Watch how Jisu steers the boat through the storm; it is gripping.",
        "Related to this, Ban's past finally comes to light.",
        "Line by line, the letter reveals the truth.",
    ],
)
def test_story_lines_are_not_furniture(line: str) -> None:
    doc = read(f"Yuri reads the letter.\n\n{line}\n")
    assert doc.furniture == []
    assert any(e.text == line for e in narration(doc))


def test_wrapped_continuation_is_never_furniture() -> None:
    text = (
        "After the credits roll the director asks the whole team to gather and\n"
        "watch the video here with him, before anyone goes home for the night.\n"
    )
    doc = read(text)
    assert doc.furniture == []
    assert len(narration(doc)) == 1


def test_only_furniture_gives_warning_and_no_scenes() -> None:
    doc = read("• facebook\n• twitter\nShare on whatsapp\n")
    assert doc.scenes == []
    assert len(doc.furniture) == 3
    assert doc.warnings and "furniture" in doc.warnings[0].message


# ---------------------------------------------------------------------------- episodes, scenes


def test_multi_episode_recap_gives_scenes() -> None:
    doc = read(MULTI_EPISODE)
    assert doc.title == "Salt & Stars: the week in recaps"
    assert [(s.heading, s.attrs.get("episode")) for s in doc.scenes] == [
        (None, None),
        ("EPISODE 3 RECAP", 3),
        ("Episode 4", 4),
    ]
    assert doc.scenes[0].attrs.get("front_matter") is True
    marker = doc.scenes[1].elements[0]
    assert marker.kind is ElementKind.SECTION and marker.attrs["role"] == "marker"
    assert doc.episode is None  # two episodes: no single subject
    assert [d.text for d in dialogue(doc)] == ["We leave at dawn"]
    check_spans(doc)


def test_multi_drama_recap() -> None:
    doc = read(MULTI_DRAMA)
    got = [(s.heading, s.attrs.get("drama"), s.attrs.get("episode")) for s in doc.scenes[1:]]
    assert got == [
        ("Moonlit Orchard Episode 5", "Moonlit Orchard", 5),
        ("Salt & Stars Episode 12", "Salt & Stars", 12),
    ]
    check_spans(doc)


@pytest.mark.parametrize(
    ("heading", "kind", "episode"),
    [
        ("Episode 9", "episode", 9),
        ("EPISODE 3 RECAP", "episode", 3),
        ("Ep. 2: The Kiss", "episode", 2),
        ("## Episode 4", "episode", 4),
        ("Episode Seven", "episode", 7),
        ("Scene 2", "scene", None),
        ("Part 1 - The Rooftop", "part", None),
        ("Chapter IV", "chapter", None),
    ],
)
def test_marker_headings(heading: str, kind: str, episode: int | None) -> None:
    text = f"Intro text about the show.\n\n{heading}\n\nYuri cries. Minseok leaves.\n"
    doc = read(text)
    assert len(doc.scenes) == 2
    scene = doc.scenes[1]
    assert scene.heading == heading.lstrip("# ")
    assert scene.attrs["marker"] == kind
    assert scene.attrs.get("episode") == episode
    if kind in ("scene", "part"):
        assert scene.number is not None
    check_spans(doc)


@pytest.mark.parametrize(
    "line",
    [
        "Episode 9 begins with Yuri running late.",
        "Scene 2 opens in the rain, and nobody speaks.",
        "Part of the charm is the slow pace.",
    ],
)
def test_sentences_starting_like_markers_are_not_markers(line: str) -> None:
    doc = read(f"Intro text about the show.\n\n{line}\n")
    assert len(doc.scenes) == 1
    assert all(e.kind is ElementKind.NARRATION for e in doc.elements())


@pytest.mark.parametrize(
    ("text", "episode"),
    [
        ("In episode 9 of Moonlit Orchard, Yuri finally speaks.", 9),
        ("Moonlit Orchard S01E04 recap\n\nYuri finally speaks.", 4),
        ("In the ninth episode, Yuri finally speaks.", 9),
        ("In episode 9, Yuri remembers what happened in episode 3.", 9),
        ("Episodes 3 and 4 are about the storm. It never stops raining.", None),
        ("Yuri and Minseok talk about the orchard.", None),
        ("Moonlit Orchard Episode 5 Recap\n\nYuri cries. Back in episode 2 she laughed.", 5),
    ],
)
def test_document_episode(text: str, episode: int | None) -> None:
    assert read(text).episode == episode


def test_single_scene_without_markers() -> None:
    doc = read(ARTICLE)
    assert len(doc.scenes) == 1
    assert doc.scenes[0].heading is None


# ---------------------------------------------------------------------------- markdown


def test_markdown_recap() -> None:
    doc = read(MARKDOWN, path="recap.md", fmt=None)
    assert doc.source_format == "prose"
    assert doc.title == "Moonlit Orchard recap"
    assert [s.heading for s in doc.scenes] == [None, "Episode 1", "Episode 2"]
    texts = [e.text for e in narration(doc)]
    assert "Han Yuri meets Do Minseok at the orchard gate." in texts
    assert "Yuri throws them back over the fence, one by one." in texts
    first = next(e for e in narration(doc) if e.text.startswith("Han Yuri"))
    raw = doc.source_text[first.span.start_char : first.span.end_char]
    assert raw.startswith("**Han Yuri** meets [Do Minseok](https://example.com/minseok)")
    check_spans(doc)


# ---------------------------------------------------------------------------- sniffing, errors


@pytest.mark.parametrize("text", [ARTICLE, MULTI_EPISODE, MULTI_DRAMA, CAPS_HEADINGS, MARKDOWN])
def test_recaps_are_sniffed_as_prose(text: str) -> None:
    doc = read_bytes(text.encode("utf-8"), path="x.txt")
    assert doc.source_format == "prose"


def test_no_letters_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="no prose text found"):
        read("1234 5678\n\n--- ... !!!\n")


def test_line_endings_and_bom() -> None:
    text = 'Moonlit Orchard recap\r\n\r\nYuri laughs.\r\nMinseok "frowns".\rThe end.\n'
    doc = read_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"), fmt="prose")
    assert doc.source_text == text
    assert doc.title == "Moonlit Orchard recap"
    assert [e.text for e in narration(doc)][1:] == ["Yuri laughs.", 'Minseok "frowns".', "The end."]
    check_spans(doc)


def test_cp949_recap() -> None:
    text = '달빛 과수원 9회\n\n유리는 "가지 마"라고 말한다. 민석은 떠난다.\n'
    doc = read_bytes(text.encode("cp949"), fmt="prose")
    assert doc.source_text == text
    assert [d.text for d in dialogue(doc)] == ["가지 마"]
    check_spans(doc)


# ---------------------------------------------------------------------------- properties

_WORDS = [
    "Yuri", "Minseok", "Mr.", "Dr.", "e.g.", "No.", "3.5", "J.", "the", "orchard", "cries",
    "I'm", "isn't", "'90s", "Seo Jun's", "episode", "Episode 4", "Ep.", "...", "…", "?!",
    "\"", "“", "”", "'", "‘", "’", "«", "»", "*", "**", "_", "#", "[link](http://x.y)",
    "facebook", "Share", "ALSO READ:", "comments below", "By", "Jane", "•", "-", "1.",
    ",", ".", "!", "?", "(", ")", "<br>", "&amp;", "S01E02", "Scene 2", "Part 1", "Watch",
]  # fmt: skip
_SEPS = [" ", " ", " ", "\n", "\n\n", "\r\n", "\r", "\n  • ", "\n# ", "\n> ", "\t"]


@st.composite
def prose_texts(draw: st.DrawFn) -> str:
    tokens = draw(st.lists(st.sampled_from(_WORDS) | st.text(min_size=1, max_size=6), max_size=60))
    out = []
    for t in tokens:
        out.append(t)
        out.append(draw(st.sampled_from(_SEPS)))
    return "".join(out)


@settings(max_examples=150, deadline=None)
@given(prose_texts())
def test_span_property_on_generated_prose(text: str) -> None:
    try:
        doc = read(text)
    except ParseError:
        assert not any(c.isalpha() for c in text)
        return
    assert doc.source_text == text
    check_spans(doc)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=600))
def test_any_bytes_give_document_or_parse_error(data: bytes) -> None:
    try:
        doc = read_bytes(data, fmt="prose")
    except ParseError:
        return
    assert isinstance(doc, Document)
    check_spans(doc)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=400))
def test_any_text_gives_document_or_parse_error(text: str) -> None:
    try:
        doc = read(text)
    except ParseError:
        return
    check_spans(doc)


# ---------------------------------------------------------------------------- the seed article


@pytest.fixture
def seed_text(shared_dir: Path) -> bytes:
    path = shared_dir / "seed" / "anatomy-of-a-kdrama-scene.txt"
    if not path.is_file():
        pytest.skip("seed article not present")
    return path.read_bytes()


def test_seed_article(seed_text: bytes) -> None:
    doc = read_bytes(seed_text, path="anatomy-of-a-kdrama-scene.txt")
    assert doc.source_format == "prose"
    first_line = doc.source_text.splitlines()[0].strip()
    assert doc.title == first_line
    assert doc.attrs.get("dek")
    dek = [e for e in narration(doc) if e.attrs.get("role") == "dek"]
    assert dek and dek[0].text == doc.attrs["dek"]
    assert doc.episode == 9
    assert "I'm a Man too" in [d.text for d in dialogue(doc)]
    kinds = {e.attrs["furniture"] for e in doc.furniture}
    assert {"share", "also-read", "watch", "comments", "headline-repeat"} <= kinds
    story = [e.text for e in doc.elements()]
    assert not any("facebook" in t.lower() for t in story)
    assert not any(re.match(r"(?i)also read|you can watch", t) for t in story)
    assert not any("comments below" in t for t in story)
    assert len(doc.scenes) == 1
    check_spans(doc)
