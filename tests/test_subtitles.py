"""SRT, WebVTT and ASS/SSA readers: timing, exact spans, speakers, SDH, dashes, scenes."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sceneanatomy.errors import ParseError
from sceneanatomy.model import Document, Element, ElementKind, LineIndex
from sceneanatomy.readers import ReadOptions, read_bytes

SUB = ElementKind.SUBTITLE
SOUND = ElementKind.SOUND


def read(text: str, fmt: str | None = None, path: str | None = None, **opts: float) -> Document:
    doc = read_bytes(text.encode("utf-8"), path=path, fmt=fmt, options=ReadOptions(**opts))
    check_spans(doc)
    return doc


def raw(doc: Document, el: Element) -> str:
    return doc.source_text[el.span.start_char : el.span.end_char]


_MARKUP = re.compile(r"<[^<>]*>|\{[^{}]*\}")


def plain(text: str, fmt: str) -> str:
    """Raw cue text with markup removed, for comparing words with the cleaned text."""
    if fmt == "ass":  # {override} blocks and HTML-style tags; other <...> is literal text
        text = re.sub(r"\{[^{}]*\}|</?[A-Za-z][^<>]*>", "", text)
        return text.replace("\\N", " ").replace("\\n", " ").replace("\\h", " ")
    return html.unescape(_MARKUP.sub("", text))


def check_spans(doc: Document) -> None:
    """The span property, and the cleaned text's words come from the span's raw text."""
    text = doc.source_text
    index = LineIndex(text)
    for el in doc.elements():
        s = el.span
        assert 0 <= s.start_char < s.end_char <= len(text), el
        expected = index.span(s.start_char, s.end_char)
        assert (s.start_line, s.end_line) == (expected.start_line, expected.end_line), el
        r = text[s.start_char : s.end_char]
        assert r == r.strip(), f"span has untrimmed whitespace: {r!r}"
        assert "-->" not in r or doc.source_format == "ass"
        assert el.text.strip(), el
        flat = plain(r, doc.source_format)
        for word in el.text.split():
            assert word in flat, f"{word!r} not in raw span {r!r}"
        assert s.start_time is not None and s.end_time is not None


def els(doc: Document) -> list[tuple[ElementKind, str, str | None]]:
    return [(e.kind, e.text, e.speaker) for e in doc.elements()]


# --------------------------------------------------------------------------------------
# SRT

KOREAN_SRT = """\
1
00:00:01,000 --> 00:00:03,500
민수: 어디 가는 거야?

2
00:00:03,600 --> 00:00:05,000
지은: 집에 가.
오늘 너무 피곤해.

3
00:00:05,100 --> 00:00:06,000
(문 닫히는 소리)

4
00:00:06,100 --> 00:00:07,000
(민수) 잠깐만!

5
00:00:07,100 --> 00:00:08,000
(웃음) 알았어.
"""


def test_korean_srt_speakers_and_timing() -> None:
    doc = read(KOREAN_SRT)
    assert doc.source_format == "srt"
    assert els(doc) == [
        (SUB, "어디 가는 거야?", "민수"),
        (SUB, "집에 가.\n오늘 너무 피곤해.", "지은"),
        (SOUND, "문 닫히는 소리", None),
        (SUB, "잠깐만!", "민수"),
        (SOUND, "웃음", None),
        (SUB, "알았어.", None),
    ]
    e = doc.elements()
    assert raw(doc, e[0]) == "민수: 어디 가는 거야?"
    assert raw(doc, e[1]) == "지은: 집에 가.\n오늘 너무 피곤해."
    assert (e[1].span.start_line, e[1].span.end_line) == (7, 8)
    assert (e[0].span.start_time, e[0].span.end_time) == (1.0, 3.5)
    assert e[0].attrs["cue_id"] == "1" and e[0].attrs["speaker_source"] == "prefix"
    assert raw(doc, e[4]) == "(웃음)" and raw(doc, e[5]) == "알았어."
    assert e[3].attrs["speaker_source"] == "parentheses"


def test_korean_cp949_srt() -> None:
    doc = read_bytes(KOREAN_SRT.encode("cp949"), path="drama.srt")
    assert doc.encoding == "cp949"
    assert doc.elements()[0].text == "어디 가는 거야?"
    check_spans(doc)


SDH_SRT = """\
1
00:00:01,000 --> 00:00:02,000
[door slams]

2
00:00:02,000 --> 00:00:03,000
(sighs)

3
00:00:03,000 --> 00:00:04,000
♪ soft piano music ♪

4
00:00:04,000 --> 00:00:05,000
(sighs) I know.

5
00:00:05,000 --> 00:00:06,000
I know (laughs) you did.

6
00:00:06,000 --> 00:00:07,000
[JOHN] Who's there?

7
00:00:07,000 --> 00:00:08,000
[DOOR SLAMS] Hello?

8
00:00:08,000 --> 00:00:09,000
[MARY]
Over here.
"""


def test_sdh_cues() -> None:
    doc = read(SDH_SRT)
    assert els(doc) == [
        (SOUND, "door slams", None),
        (SOUND, "sighs", None),
        (SOUND, "soft piano music", None),
        (SOUND, "sighs", None),
        (SUB, "I know.", None),
        (SUB, "I know you did.", None),
        (SOUND, "laughs", None),
        (SUB, "Who's there?", "JOHN"),
        (SOUND, "DOOR SLAMS", None),
        (SUB, "Hello?", None),
        (SUB, "Over here.", "MARY"),
    ]
    e = doc.elements()
    assert [x.attrs["sdh"] for x in e[:3]] == ["brackets", "parentheses", "music"]
    assert raw(doc, e[2]) == "♪ soft piano music ♪"
    # mixed line: a SOUND element and a SUBTITLE element, each with its own span
    assert raw(doc, e[3]) == "(sighs)" and raw(doc, e[4]) == "I know."
    # a sound inside speech: removed from the text, kept as a SOUND inside the span
    assert raw(doc, e[5]) == "I know (laughs) you did."
    assert e[5].attrs["sounds"] == ["laughs"]
    assert raw(doc, e[6]) == "(laughs)"
    assert e[5].span.start_char < e[6].span.start_char < e[6].span.end_char < e[5].span.end_char
    assert raw(doc, e[7]) == "[JOHN] Who's there?"
    assert e[7].attrs["speaker_source"] == "brackets"
    assert raw(doc, e[10]) == "[MARY]\nOver here."


DASHED_SRT = """\
1
00:00:01,000 --> 00:00:04,000
- Ta en kopp varmt te.
- Det är inte varmt.

2
00:00:04,000 --> 00:00:06,000
<i>- JOHN: Run!</i>
<i>- MARY (O.S.): Where?</i>

3
00:00:06,000 --> 00:00:08,000
Where were you
last night?
- Out.
"""


def test_dashed_two_speaker_cues() -> None:
    doc = read(DASHED_SRT)
    assert els(doc) == [
        (SUB, "Ta en kopp varmt te.", None),
        (SUB, "Det är inte varmt.", None),
        (SUB, "Run!", "JOHN"),
        (SUB, "Where?", "MARY"),
        (SUB, "Where were you\nlast night?", None),
        (SUB, "Out.", None),
    ]
    e = doc.elements()
    assert raw(doc, e[0]) == "- Ta en kopp varmt te."
    assert raw(doc, e[1]) == "- Det är inte varmt."
    assert e[0].span.start_line == 3 and e[1].span.start_line == 4
    assert e[0].attrs["dash"] is True
    assert raw(doc, e[2]) == "<i>- JOHN: Run!</i>"
    assert e[3].extension == "O.S."
    assert raw(doc, e[4]) == "Where were you\nlast night?"
    assert all(x.span.start_time == 6.0 for x in e[4:])


def test_formatting_tags_are_stripped() -> None:
    doc = read(
        "1\n00:00:01,000 --> 00:00:02,000\n"
        '{\\an8}<i>Hello</i>, <b>my</b> <font color="#ff0000">friend</font> &amp; you\n'
    )
    (el,) = doc.elements()
    assert el.text == "Hello, my friend & you"
    assert raw(doc, el).startswith("{\\an8}<i>Hello</i>")


def test_speaker_prefix_is_careful() -> None:
    doc = read(
        "1\n00:00:01,000 --> 00:00:02,000\nMeet me at 10:30.\n\n"
        "2\n00:00:02,000 --> 00:00:03,000\nNote: this is not a name.\n\n"
        "3\n00:00:03,000 --> 00:00:04,000\nhe said: fine\n\n"
        "4\n00:00:04,000 --> 00:00:05,000\nRoger Bingham: We are in New York.\n\n"
        "5\n00:00:05,000 --> 00:00:06,000\nLook: it is late.\n\n"
        "6\n00:00:06,000 --> 00:00:07,000\nDR. KIM: Next patient.\n"
    )
    assert [e.speaker for e in doc.elements()] == [
        None,
        None,
        None,
        "Roger Bingham",
        None,
        "DR. KIM",
    ]
    assert doc.elements()[1].text == "Note: this is not a name."


def test_crlf_bom_and_numbering_gaps() -> None:
    text = "1\r\n00:00:01,000 --> 00:00:02,000\r\nFirst\r\n\r\n4\r\n00:00:02,500 --> 00:00:03,000\r\nSecond\r\nline\r\n\r\n9\r\n00:00:03,500 --> 00:00:04,000\r\nThird\r\n"
    doc = read_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"), path="x.srt")
    check_spans(doc)
    assert doc.encoding == "utf-8-sig"
    assert [e.attrs["cue_id"] for e in doc.elements()] == ["1", "4", "9"]
    assert raw(doc, doc.elements()[1]) == "Second\r\nline"
    assert doc.elements()[1].text == "Second\nline"
    assert doc.elements()[2].span.start_line == 12


def test_mixed_and_old_mac_line_endings() -> None:
    mixed = "1\n00:00:01,000 --> 00:00:02,000\r\nOne\r\n\n2\r\n00:00:02,000 --> 00:00:03,000\nTwo\n"
    assert [e.text for e in read(mixed).elements()] == ["One", "Two"]
    mac = "1\r00:00:01,000 --> 00:00:02,000\rOne\r\r2\r00:00:02,000 --> 00:00:03,000\rTwo\r"
    doc = read(mac, fmt="srt")
    assert [raw(doc, e) for e in doc.elements()] == ["One", "Two"]


def test_missing_blank_line_between_cues() -> None:
    doc = read("1\n00:00:01,000 --> 00:00:02,000\nOne\n2\n00:00:02,000 --> 00:00:03,000\nTwo\n")
    assert [(e.text, e.attrs["cue_id"]) for e in doc.elements()] == [("One", "1"), ("Two", "2")]


def test_malformed_cue_is_skipped_with_warning() -> None:
    doc = read(
        "1\n00:00:01,000 --> 00:00:02,000\nGood one.\n\n"
        "2\n00:00:xx,000 --> 00:00:03,000\nBroken timing.\n\n"
        "3\n00:00:05,000 --> 00:00:04,000\nBackwards.\n\n"
        "4\nNo timing at all.\n\n"
        "5\n00:00:06,000 --> 00:00:07,000\nGood two.\n"
    )
    assert [e.text for e in doc.elements()] == ["Good one.", "Good two."]
    messages = [(w.line, w.message) for w in doc.warnings]
    assert messages[0][0] == 6 and "skipped cue: malformed timing line" in messages[0][1]
    assert messages[1][0] == 10 and "ends before it starts" in messages[1][1]
    assert messages[2][0] == 13 and "skipped cue 4: no timing line" in messages[2][1]


def test_truncated_files() -> None:
    full = "1\n00:00:01,000 --> 00:00:02,000\nHello there.\n\n2\n00:00:03,000 --> 00:00:04,000\nGeneral Kenobi.\n"
    cut_text = full[: full.index("Kenobi") + 3]
    doc = read(cut_text)
    assert [e.text for e in doc.elements()] == ["Hello there.", "General Ken"]
    cut_timing = full[: full.index("00:00:04")]
    doc = read(cut_timing)
    assert [e.text for e in doc.elements()] == ["Hello there."]
    assert doc.warnings and doc.warnings[0].line == 6
    cut_before_text = full[: full.index("General")]
    assert [e.text for e in read(cut_before_text).elements()] == ["Hello there."]


def test_no_readable_cue_is_a_parse_error() -> None:
    with pytest.raises(ParseError) as exc:
        read("1\n00:00:xx,000 --> 00:00:02,000\nHello\n", fmt="srt")
    assert exc.value.line == 2 and "malformed timing line" in exc.value.message
    with pytest.raises(ParseError, match="no subtitle cues") as exc:
        read("\n\nJust some prose.\nNothing timed.\n", fmt="srt")
    assert exc.value.line == 3
    with pytest.raises(ParseError, match="empty"):
        read_bytes(b"", fmt="srt")


def test_empty_cues_are_not_elements() -> None:
    doc = read(
        "1\n00:00:01,000 --> 00:00:02,000\n\n2\n00:00:02,000 --> 00:00:03,000\n<i></i>\n\n3\n00:00:03,000 --> 00:00:04,000\nText\n"
    )
    assert [e.text for e in doc.elements()] == ["Text"]
    assert doc.attrs["empty_cues"] == 2


# --------------------------------------------------------------------------------------
# scenes from timing gaps

GAPS = """\
1
00:00:01,000 --> 00:00:02,000
One.

2
00:00:04,000 --> 00:00:05,000
Two.

3
00:00:20,000 --> 00:00:21,000
Three.

4
00:00:27,000 --> 00:00:28,000
Four.
"""


def test_scene_gap_segmentation() -> None:
    doc = read(GAPS)  # default gap: 6 s; a silence of exactly 6 s starts a scene
    assert [[e.text for e in s.elements] for s in doc.scenes] == [
        ["One.", "Two."],
        ["Three."],
        ["Four."],
    ]
    assert all(s.heading is None for s in doc.scenes)
    assert [s.index for s in doc.scenes] == [0, 1, 2]
    span = doc.scenes[0].span
    assert span is not None and (span.start_time, span.end_time) == (1.0, 5.0)
    assert len(read(GAPS, scene_gap_seconds=30).scenes) == 1
    assert len(read(GAPS, scene_gap_seconds=2).scenes) == 4
    assert len(read(GAPS, scene_gap_seconds=6.5).scenes) == 2  # the 6 s silence is kept


def test_overlapping_cues_never_start_a_scene() -> None:
    doc = read(
        "1\n00:00:01,000 --> 00:00:30,000\nLong sign.\n\n"
        "2\n00:00:10,000 --> 00:00:11,000\nInside.\n\n"
        "3\n00:00:20,000 --> 00:00:21,000\nStill inside.\n"
    )
    assert len(doc.scenes) == 1


# --------------------------------------------------------------------------------------
# WebVTT

VTT = """\
WEBVTT - A test file
Kind: captions

STYLE
::cue { color: yellow }

NOTE
This is a comment
over two lines

intro
00:01.000 --> 00:04.000 align:start position:10%
<v Roger Bingham>We are in New York City
and it is cold.
<v.loud Neil>Hello!</v>

NOTE one line note

00:00:05.000 --> 00:00:07.500
<c.yellow>Plain</c> text&nbsp;here

00:00:08.000 --> 00:00:09.000
<v Kim>- Wait.
- What?
"""


def test_vtt_voices_notes_and_settings() -> None:
    doc = read(VTT)
    assert doc.source_format == "vtt"
    assert doc.attrs["header"] == "A test file"
    assert els(doc) == [
        (SUB, "We are in New York City\nand it is cold.", "Roger Bingham"),
        (SUB, "Hello!", "Neil"),
        (SUB, "Plain text here", None),
        (SUB, "Wait.", "Kim"),
        (SUB, "What?", None),
    ]
    e = doc.elements()
    assert raw(doc, e[0]) == "<v Roger Bingham>We are in New York City\nand it is cold."
    assert raw(doc, e[1]) == "<v.loud Neil>Hello!</v>"
    assert e[1].attrs["voice_classes"] == ["loud"]
    assert e[0].attrs["speaker_source"] == "voice" and e[0].attrs["cue_id"] == "intro"
    assert (e[0].span.start_time, e[0].span.end_time) == (1.0, 4.0)
    assert (e[2].span.start_time, e[2].span.end_time) == (5.0, 7.5)
    assert not doc.warnings


def test_vtt_without_header_warns() -> None:
    doc = read("00:00:01.000 --> 00:00:02.000\nHi\n", fmt="vtt")
    assert [e.text for e in doc.elements()] == ["Hi"]
    assert "WEBVTT" in doc.warnings[0].message


def test_vtt_crlf_and_bom() -> None:
    text = "\ufeffWEBVTT\r\n\r\n00:00:01.000 --> 00:00:02.000\r\n- A.\r\n- B.\r\n"
    doc = read_bytes(text.encode("utf-8"), path="a.vtt")
    check_spans(doc)
    assert [raw(doc, e) for e in doc.elements()] == ["- A.", "- B."]


# --------------------------------------------------------------------------------------
# ASS / SSA

ASS = r"""[Script Info]
Title: Test Drama
ScriptType: v4.00+

[V4+ Styles]
Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding
Style: Default,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,2,2,10,10,10,1

[Events]
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
Comment: 0,0:00:00.00,0:00:01.00,Default,,0,0,0,,This is a comment
Dialogue: 0,0:00:01.00,0:00:03.00,Default,Seo-jun,0,0,0,,{\i1}Where are you going?{\i0}\NStay here.
Dialogue: 0,0:00:03.00,0:00:05.00,Default,Ji-eun,0,0,0,,{\an8}(sighs) Home.\nI'm tired, {\b1}really{\b0}.
Dialogue: 0,0:00:05.00,0:00:06.00,Sign,,0,0,0,,{\p1}m 0 0 l 100 0 100 100{\p0}Seoul Station
Dialogue: 0,0:00:06.00,0:00:07.00,Default,Mom,0,0,0,,- Hi.\N- Bye.
Dialogue: 0,0:00:xx.00,0:00:07.00,Default,,0,0,0,,bad time
Dialogue: 0,0:00:07.00
Dialogue: 0,0:00:08.00,0:00:09.00,Default,,0,0,0,,SOO-AH: Eat, please, eat.
"""


def test_ass_names_overrides_comments() -> None:
    doc = read(ASS)
    assert doc.source_format == "ass"
    assert doc.title == "Test Drama"
    assert els(doc) == [
        (SUB, "Where are you going?\nStay here.", "Seo-jun"),
        (SOUND, "sighs", "Ji-eun"),
        (SUB, "Home. I'm tired, really.", "Ji-eun"),
        (SUB, "Seoul Station", None),
        (SUB, "Hi.", None),
        (SUB, "Bye.", None),
        (SUB, "Eat, please, eat.", "SOO-AH"),
    ]
    e = doc.elements()
    assert raw(doc, e[0]) == r"{\i1}Where are you going?{\i0}\NStay here."
    assert e[0].attrs["speaker_source"] == "name_field" and e[0].attrs["style"] == "Default"
    assert raw(doc, e[1]) == r"{\an8}(sighs)"
    assert raw(doc, e[4]) == "- Hi." and raw(doc, e[5]) == "- Bye."
    assert e[4].attrs["name_field"] == "Mom"  # two dashed speakers: Name is not split
    assert e[0].span.start_line == 12 and (e[0].span.start_time, e[0].span.end_time) == (1.0, 3.0)
    assert doc.attrs["comments"] == 1
    assert [w.line for w in doc.warnings] == [16, 17]
    assert all(w.message.startswith("skipped cue") for w in doc.warnings)


def test_ssa_v4() -> None:
    ssa = (
        "[Script Info]\nScriptType: v4.00\n\n[V4 Styles]\n"
        "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, TertiaryColour, BackColour, Bold, Italic, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, AlphaLevel, Encoding\n"
        "Style: Default,Arial,20,16777215,65535,65535,-2147483640,-1,0,1,3,0,2,30,30,30,0,0\n\n"
        "[Events]\nFormat: Marked, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
        "Dialogue: Marked=0,0:00:01.00,0:00:02.50,Default,Ann,0000,0000,0000,,Hello, world\n"
    )
    doc = read(ssa)
    assert els(doc) == [(SUB, "Hello, world", "Ann")]
    assert doc.elements()[0].span.end_time == 2.5


def test_ass_without_dialogue_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="Dialogue"):
        read("[Script Info]\nTitle: x\n\n[Events]\nComment: 0,0:00:00.00,0:00:01.00,,,0,0,0,,c\n")
    with pytest.raises(ParseError) as exc:
        read("[Script Info]\n\n[Events]\nDialogue: 0,0:00:xx.00,0:00:01.00,,,0,0,0,,c\n")
    assert exc.value.line == 4


# --------------------------------------------------------------------------------------
# sniffing


@pytest.mark.parametrize("path", [None, "episode.txt", "episode.srt", "episode.vtt", "episode.ass"])
def test_sniffing_from_content(path: str | None) -> None:
    assert read(KOREAN_SRT, path=path).source_format == "srt"
    assert read(VTT, path=path).source_format == "vtt"
    assert read(ASS, path=path).source_format == "ass"


# --------------------------------------------------------------------------------------
# golden files from ../shared/eval/formats (skipped when absent)


def _golden(formats_dir: Path, name: str) -> Document:
    path = formats_dir / name
    if not path.exists():
        pytest.skip(f"{name} not present")
    doc = read_bytes(path.read_bytes(), path=str(path))
    check_spans(doc)
    return doc


def test_golden_gb2312_srt(formats_dir: Path) -> None:
    doc = _golden(formats_dir, "gb2312.srt")
    assert (doc.source_format, doc.encoding) == ("srt", "gbk")
    e = doc.elements()
    assert [x.attrs["cue_id"] for x in e] == ["2", "4", "6"]
    assert e[0].text == "宇宙守护神 保护我们远离邪恶"
    assert raw(doc, e[0]) == "宇宙守护神  保护我们远离邪恶"
    assert (e[0].span.start_time, e[0].span.end_time) == (27.0, 30.73)
    assert (e[2].span.start_time, e[2].span.end_time) == (34.1, 36.57)
    assert len(doc.scenes) == 1 and not doc.warnings


def test_golden_comments_vtt(formats_dir: Path) -> None:
    doc = _golden(formats_dir, "comments.vtt")
    assert doc.source_format == "vtt"
    assert [e.text for e in doc.elements()] == [
        "Ta en kopp varmt te.",
        "Det är inte varmt.",
        "Har en kopp te.",
        "Det smakar som te.",
        "Ta en kopp",
    ]
    assert all(e.kind is SUB and e.attrs.get("dash") for e in doc.elements())
    e = doc.elements()
    assert raw(doc, e[0]) == "- Ta en kopp varmt te."
    assert e[0].span.start_line == 9 and e[1].span.start_line == 10
    assert raw(doc, e[3]) == "- Det smakar som te."  # trailing spaces are not in the span
    assert (e[0].span.start_time, e[4].span.end_time) == (135.0, 150.0)
    assert not any("NOTE" in e.text or "Kyle" in e.text for e in e)
    assert not doc.warnings


def test_golden_ttml_example_ass(formats_dir: Path) -> None:
    doc = _golden(formats_dir, "ttml_example.ass")
    e = doc.elements()
    assert len(e) == 11 and all(x.kind is SUB and x.speaker is None for x in e)
    assert e[1].text == "that the image formed on\nthe Retina should be inverted?"
    assert raw(doc, e[1]) == r"that the image formed on\Nthe Retina should be inverted?"
    # simultaneous cues with identical timestamps stay two elements, in file order
    assert (e[5].text, e[6].text) == ("But how is it proved?", "Thus: what we call")
    assert e[5].span.start_time == e[6].span.start_time == 28.0
    assert e[5].span.end_time == e[6].span.end_time == 34.6
    assert e[5].span.start_line + 1 == e[6].span.start_line


# --------------------------------------------------------------------------------------
# properties

FORMATS = ["srt", "vtt", "ass"]


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=400))
def test_any_bytes_give_document_or_parse_error(fmt: str, data: bytes) -> None:
    try:
        doc = read_bytes(data, fmt=fmt)
    except ParseError:
        return
    assert isinstance(doc, Document)


_PIECES = st.sampled_from(
    [
        "1",
        "\n",
        "\r\n",
        "\r",
        " ",
        "-->",
        "00:00:01,000",
        "00:02.500",
        "0:00:01.00",
        "WEBVTT",
        "NOTE",
        "Dialogue: 0,0:00:01.00,0:00:02.00,Default,Bob,0,0,0,,",
        "Comment:",
        "[Events]",
        "<i>",
        "</i>",
        "<v Bob>",
        "</v>",
        "{\\an8}",
        "\\N",
        "[door]",
        "(sighs)",
        "♪",
        "- ",
        "JOHN: ",
        "민수: ",
        "&amp;",
        "word",
        "\ufeff",
        ",",
        "[",
        ")",
        "{",
        "<",
        "\t",
        "\\p1",
        "\xa0",
        "\u2028",
        "\x85",
    ]
)


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=100, deadline=None)
@given(pieces=st.lists(_PIECES, max_size=50))
def test_subtitle_like_text_gives_document_or_parse_error(fmt: str, pieces: list[str]) -> None:
    try:
        doc = read_bytes("".join(pieces).encode("utf-8"), fmt=fmt)
    except ParseError:
        return
    check_spans(doc)


_WORD = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJ민수집에你好éö", min_size=1, max_size=8
)
_TOKEN = st.one_of(
    _WORD,
    _WORD.map(lambda w: f"<i>{w}</i>"),
    _WORD.map(lambda w: f"<b>{w}</b>,"),
    _WORD.map(lambda w: f"[{w}]"),
    _WORD.map(lambda w: f"({w})"),
    _WORD.map(lambda w: f"♪ {w} ♪"),
    st.sampled_from(["&amp;", "?", "...", "{\\an8}", "  "]),
)
_LINE = st.tuples(
    st.sampled_from(["", "", "- ", "-", "JOHN: ", "Mary Kim: ", "[ANN] ", "(민수) ", "<v Bob>"]),
    st.lists(_TOKEN, min_size=0, max_size=5),
    _WORD,
).map(lambda t: t[0] + " ".join([*t[1], t[2]]))
_CUE = st.tuples(
    st.integers(0, 20_000), st.integers(0, 9_000), st.lists(_LINE, min_size=1, max_size=3)
)


def _timestamp(ms: int, sep: str) -> str:
    h, rem = divmod(ms, 3_600_000)
    m, rem = divmod(rem, 60_000)
    s, ms = divmod(rem, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def _ass_time(ms: int) -> str:
    h, rem = divmod(ms, 3_600_000)
    m, rem = divmod(rem, 60_000)
    s, ms = divmod(rem, 1000)
    return f"{h}:{m:02d}:{s:02d}.{ms // 10:02d}"


def _render(fmt: str, cues: list[tuple[int, int, list[str]]], nl: str, step: int) -> str:
    out = []
    t = 0
    if fmt == "vtt":
        out.append(f"WEBVTT{nl}{nl}")
    if fmt == "ass":
        out.append(f"[Script Info]{nl}ScriptType: v4.00+{nl}{nl}[Events]{nl}")
        out.append(
            f"Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text{nl}"
        )
    for n, (gap, dur, lines) in enumerate(cues):
        t += gap
        if fmt == "ass":
            text = "\\N".join(lines)
            out.append(
                f"Dialogue: 0,{_ass_time(t)},{_ass_time(t + dur)},Default,,0,0,0,,{text}{nl}"
            )
            continue
        sep = "," if fmt == "srt" else "."
        out.append(f"{1 + n * step}{nl}{_timestamp(t, sep)} --> {_timestamp(t + dur, sep)}{nl}")
        out.append(nl.join(lines) + nl + nl)
    return "".join(out)


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=80, deadline=None)
@given(
    cues=st.lists(_CUE, min_size=1, max_size=6),
    nl=st.sampled_from(["\n", "\r\n"]),
    step=st.integers(1, 3),
    bom=st.booleans(),
)
def test_span_property_on_generated_files(
    fmt: str, cues: list[tuple[int, int, list[str]]], nl: str, step: int, bom: bool
) -> None:
    text = _render(fmt, cues, nl, step)
    data = ("\ufeff" if bom else "").encode("utf-8") + text.encode("utf-8")
    doc = read_bytes(data, fmt=fmt)
    check_spans(doc)
    assert doc.attrs["cues"] == len(cues) and not doc.warnings
    # every cue produced elements, with the cue's own timing
    seen = {e.attrs["cue"] for e in doc.elements()}
    assert seen == set(range(1, len(cues) + 1))
    starts: dict[int, float] = {}
    t = 0
    for n, (gap, _dur, _lines) in enumerate(cues, 1):
        t += gap
        starts[n] = t / 1000
    for e in doc.elements():
        assert e.span.start_time == pytest.approx(starts[e.attrs["cue"]], abs=0.011)
    # elements never straddle two cues, and come in source order
    chars = [e.span.start_char for e in doc.elements()]
    assert chars == sorted(chars)


def test_speaker_prefix_with_a_bracketed_delivery_note() -> None:
    src = (
        "1\n00:00:01,000 --> 00:00:03,000\nPRIYA [laughing]: Stop it.\n\n"
        "2\n00:00:03,500 --> 00:00:05,000\n- LUCAS [whispers]: Shh.\n- PRIYA: Fine.\n"
    )
    doc = read_bytes(src.encode(), fmt="srt")
    e = [x for x in doc.elements() if x.kind == SUB]
    assert [(x.text, x.speaker, x.extension) for x in e] == [
        ("Stop it.", "PRIYA", "laughing"),
        ("Shh.", "LUCAS", "whispers"),
        ("Fine.", "PRIYA", None),
    ]
    assert raw(doc, e[0]) == "PRIYA [laughing]: Stop it."


def test_ass_typesetting_labels_in_the_name_field_are_not_speakers() -> None:
    head = ASS.split("[Events]")[0]
    src = (
        head + "[Events]\n"
        "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
        "Dialogue: 0,0:00:01.00,0:00:03.00,Default,Sign,0,0,0,,{\\an8}CAFE MOONLIGHT\n"
        "Dialogue: 0,0:00:03.00,0:00:05.00,Default,TL Note,0,0,0,,oppa means older brother\n"
        "Dialogue: 0,0:00:05.00,0:00:07.00,Default,ED,0,0,0,,La la la\n"
        "Dialogue: 0,0:00:07.00,0:00:09.00,Default,Ed,0,0,0,,I'm Ed.\n"
    )
    doc = read(src, fmt="ass")
    assert [(e.text, e.speaker) for e in doc.elements()] == [
        ("CAFE MOONLIGHT", None),
        ("oppa means older brother", None),
        ("La la la", None),
        ("I'm Ed.", "Ed"),
    ]
    assert doc.elements()[0].attrs["name_field"] == "Sign"
