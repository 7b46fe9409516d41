"""Robustness of the whole analysis: odd-but-plausible sources through every stage and renderer.

The readers are property-tested on their own (any bytes → Document or ParseError). Here
screenplays (Fountain, plain text), subtitles (SRT, WebVTT, ASS) and prose recaps are built
from small fragment pools (Korean names and honorifics, pronouns, quotes of every kind,
dual dialogue, SDH cues, empty scenes, role nouns as names, very long lines) and run through
``pipeline.run(preset="anatomy")`` and every renderer the CLI uses (``analyze``, ``report``,
``characters``, ``ledger``): none may raise, and the JSON must be the same for the same input.

Set FUZZ_EXAMPLES (e.g. 2000) to run many more examples per kind locally.
"""

from __future__ import annotations

import json
import os
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sceneanatomy import pipeline
from sceneanatomy.analysis.relationships import ledger_series, series_of
from sceneanatomy.analysis.stats import compute_stats
from sceneanatomy.errors import ParseError
from sceneanatomy.model import Document
from sceneanatomy.readers import read_bytes
from sceneanatomy.render.anatomy import anatomy_dict
from sceneanatomy.render.characters import characters_dict, characters_table
from sceneanatomy.render.conversation import conversation_table, lines_list
from sceneanatomy.render.document import document_dict, to_json
from sceneanatomy.render.ledger import ledger_dict, ledger_table
from sceneanatomy.render.markdown import anatomy_markdown, anatomy_text
from sceneanatomy.render.report import anatomy_of, build_article, render_article
from sceneanatomy.render.stats import stats_text
from sceneanatomy.render.text import document_text

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0")) or 20
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- fragment pools ---------------------------------------------------------------------

NAMES = [
    "JU GYEONG-AH",
    "Ju Gyeong-ah",
    "SEO JUN",
    "Seo Jun",
    "HAN SEO-JUN",
    "LIM SU-JIN",
    "Su-jin",
    "MR. KANG",
    "Mrs. Kang",
    "MRS. KANG",
    "DOCTOR",
    "NURSE",
    "MOTHER",
    "Mom",
    "THE DRIVER",
    "WOMAN #2",
    "SECRETARY",
    "Oppa",
    "Jun-ssi",
    "Seo Jun-ssi",
    "Gyeong-ah-ya",
    "Sunbae",
    "SPEAKER 1",
    "Anna",
    "BOB",
    "Mr. Choi",
    "I",
    "HE",
    "YOU",
    "주경아",
    "서준",
    "Jean-Luc",
    "O'BRIEN",
    "X",
]

SPOKEN = [
    "I love you.",
    "Seo Jun-ssi, I love you.",
    "Gyeong-ah, don't go.",
    "You're late, Mr. Kang.",
    "He said she'd never come back.",
    "She hates him. She always has.",
    '"Quote inside," he says.',
    "'Single' quotes, 'nested \"double\"' ones.",
    "\u201cCurly,\u201d she whispers. \u201cStill curly.\u201d",
    "Oppa! Wait for me!",
    "I'm sorry. I'm so sorry...",
    "Why would you do that to me?",
    "We're getting married.",
    "Get out. GET OUT!",
    "사랑해.",
    "오빠, 가지 마.",
    "Jun-ssi... 고마워요.",
    "Mom, Dad, this is Su-jin.",
    "Thank you, Doctor.",
    "...",
    "-",
    "—",
    "?!",
    "I, I, I... you, you, YOU.",
    "Me? Him? Her? Them?",
    "Hello, my name is Anna.",
    "My name is Ju Gyeong-ah and I hate you.",
    "You and I, we're done. It's over between us.",
    "I never loved you. I lied.",
    "Congratulations, Sunbae.",
    "(whispering) Not here.",
    "Who are you? I'm nobody.",
    "Mr. and Mrs. Kang are here.",
    "Forgive me, please forgive me.",
    "word " * 120,
    "A" * 300,
]

ACTION = [
    "Ju Gyeong-ah enters. She looks at Seo Jun.",
    "SEO JUN (30s, tired) slams the door.",
    "He kisses her. She slaps him.",
    "They stand in silence.",
    "Mrs. Kang watches from the window; she smiles.",
    "The DOCTOR hands the NURSE a chart.",
    "Nobody moves.",
    "She leaves. He follows her.",
    "Gyeong-ah cries. Jun holds her.",
    "A long beat.",
    "서준이 웃는다.",
    "Rain. Lots of rain. " * 40,
    "His mother, Mrs. Kang, glares at Su-jin.",
    "Su-jin and Seo Jun hold hands.",
    "Everyone laughs except HIM.",
    "They argue. He storms out.",
    "She remembers the day he proposed.",
    "I",
    "(beat)",
]

HEADINGS = [
    "INT. KITCHEN - NIGHT",
    "EXT. HAN RIVER PARK - DAY",
    "INT./EXT. CAR - CONTINUOUS",
    "INT. HOSPITAL ROOM - LATER",
    "EXT. ROOFTOP - DAWN",
    "I/E. STAIRWELL",
    "INT. KANG'S OFFICE - MOMENTS LATER",
    ".FLASHBACK",
    "INT. 서준의 집 - 밤",
    "EXT. STREET",
    "INT. SAME - SAME",
    "INT. HOUSE - NIGHT #12#",
]

PARENS = [
    "(to Seo Jun)",
    "(to Gyeong-ah)",
    "(beat)",
    "(whispering)",
    "(O.S.)",
    "(in Korean)",
    "(to herself)",
    "(to him)",
    "()",
]

EXTENSIONS = ["", "", "", " (V.O.)", " (O.S.)", " (CONT'D)", " ^"]

TRANSITIONS = ["CUT TO:", "FADE OUT.", "> SMASH CUT TO:", ">THE END<", "FADE IN:"]

# --- screenplays ------------------------------------------------------------------------

name_st = st.sampled_from(NAMES)
spoken_st = st.sampled_from(SPOKEN)


@st.composite
def dialogue_block(draw: st.DrawFn, upper: bool = True) -> str:
    name = draw(name_st)
    cue = (name.upper() if upper else name) + draw(st.sampled_from(EXTENSIONS))
    lines = [cue]
    if draw(st.booleans()):
        lines.append(draw(st.sampled_from(PARENS)))
    lines.extend(draw(st.lists(spoken_st, min_size=0, max_size=3)))
    if draw(st.integers(0, 4)) == 0:
        lines.append(draw(st.sampled_from(PARENS)))
        lines.append(draw(spoken_st))
    return "\n".join(lines)


block_st = st.one_of(
    dialogue_block(),
    dialogue_block(),
    dialogue_block(upper=False),
    st.sampled_from(ACTION),
    st.sampled_from(TRANSITIONS),
    st.sampled_from(["[[a note]]", "/* boneyard */", "# ACT ONE", "= synopsis", "===", "~La la"]),
    st.just(""),
)


@st.composite
def screenplay_scene(draw: st.DrawFn) -> str:
    parts: list[str] = []
    if draw(st.integers(0, 5)) > 0:
        parts.append(draw(st.sampled_from(HEADINGS)))
    parts.extend(draw(st.lists(block_st, min_size=0, max_size=7)))
    return "\n\n".join(parts)


@st.composite
def screenplay(draw: st.DrawFn) -> str:
    title = draw(st.sampled_from(["", "Title: Love Line\nAuthor: Kim\n\n"]))
    scenes = draw(st.lists(screenplay_scene(), min_size=0, max_size=13))
    newline = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    return (title + "\n\n".join(scenes) + "\n").replace("\n", newline)


# --- subtitles --------------------------------------------------------------------------

SUB_TEXT = [
    "I love you.",
    "JU GYEONG-AH: Seo Jun-ssi, wait.",
    "SEO JUN: What now?",
    "Seo Jun: Go home, Gyeong-ah.",
    "MRS. KANG: Get out of my house.",
    "- Are you okay?\n- I'm fine.",
    "-Jun-ssi!\n-What?",
    "[door slams]",
    "(SIGHS)",
    "[SEO JUN] Don't cry.",
    "\u266a La la la \u266a",
    "<i>She's gone.</i>",
    "{\\an8}Top text",
    "사랑해, 오빠.",
    "",
    "   ",
    "He lied to you. She knows.",
    "DOCTOR: Who's the family here?",
    "Oppa, you came!",
    "Mom... I'm sorry.",
    "SPEAKER 1: Hello?",
    "-",
    "word " * 80,
]

sub_text_st = st.sampled_from(SUB_TEXT)
cue_st = st.tuples(
    st.integers(0, 40_000),  # start, in tenths of seconds offset from the previous cue
    st.integers(0, 80),  # duration, tenths
    st.lists(sub_text_st, min_size=0, max_size=2),
)


def _clock(tenths: int, sep: str) -> str:
    ms = tenths * 100
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def _timed(cues: list[tuple[int, int, list[str]]], overlap: bool) -> list[tuple[int, int, str]]:
    out = []
    t = 0
    for gap, dur, texts in cues:
        start = max(0, t - gap % 30) if overlap and gap % 3 == 0 else t + gap % 400
        out.append((start, start + dur, "\n".join(texts)))
        t = start + dur
    return out


@st.composite
def srt(draw: st.DrawFn) -> str:
    cues = _timed(draw(st.lists(cue_st, max_size=25)), draw(st.booleans()))
    blocks = [
        f"{n}\n{_clock(a, ',')} --> {_clock(b, ',')}\n{text}"
        for n, (a, b, text) in enumerate(cues, 1)
    ]
    return "\n\n".join(blocks) + "\n"


@st.composite
def vtt(draw: st.DrawFn) -> str:
    cues = _timed(draw(st.lists(cue_st, max_size=25)), draw(st.booleans()))
    blocks = ["WEBVTT"]
    for n, (a, b, text) in enumerate(cues, 1):
        if draw(st.integers(0, 3)) == 0:
            text = f"<v {draw(name_st)}>{text}"
        ident = f"c{n}\n" if n % 2 else ""
        blocks.append(f"{ident}{_clock(a, '.')} --> {_clock(b, '.')}\n{text}")
    if draw(st.booleans()):
        blocks.insert(1, "NOTE a comment")
    return "\n\n".join(blocks) + "\n"


def _ass_clock(tenths: int) -> str:
    h, rest = divmod(tenths, 36_000)
    m, rest = divmod(rest, 600)
    s, t = divmod(rest, 10)
    return f"{h}:{m:02d}:{s:02d}.{t}0"


@st.composite
def ass(draw: st.DrawFn) -> str:
    cues = _timed(draw(st.lists(cue_st, max_size=25)), draw(st.booleans()))
    lines = [
        "[Script Info]",
        "ScriptType: v4.00+",
        "",
        "[Events]",
        "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text",
    ]
    for a, b, text in cues:
        name = draw(st.sampled_from(["", "", *NAMES]))
        body = text.replace("\n", "\\N")
        kind = draw(st.sampled_from(["Dialogue", "Dialogue", "Comment"]))
        lines.append(f"{kind}: 0,{_ass_clock(a)},{_ass_clock(b)},Default,{name},0,0,0,,{body}")
    return "\n".join(lines) + "\n"


# --- prose recaps -----------------------------------------------------------------------

PROSE = [
    "Ju Gyeong-ah (Kim Go-eun) meets Seo Jun (Park Seo-joon) at the cafe.",
    "Gyeong-ah tells Jun she loves him.",
    '"I love you," Gyeong-ah says.',
    "\u201cNo,\u201d says Seo Jun. \u201cNot now.\u201d",
    "'Go home,' Mrs. Kang says to her son.",
    "He says nothing. She cries.",
    "Mrs. Kang (Lee Jung-eun) hates Su-jin.",
    "Su-jin says, \u201cI'm pregnant.\u201d",
    "Jun confesses to Gyeong-ah, but she rejects him.",
    "The doctor says, 'She will be fine.'",
    "Meanwhile, Mr. Choi plots against Seo Jun.",
    "They kiss on the rooftop.",
    "Gyeong-ah's mother slaps her.",
    "Oppa, she calls him, and he smiles.",
    "In episode 3, everything changes.",
    "Episode 4 recap: the wedding.",
    "He said \u2018she\u2019d never know\u2019 and she didn't.",
    '"Unclosed quote, she says.',
    "\u201cHe lied,\u201d she says, \u201cand I believed him.\u201d",
    "서준은 경아를 사랑한다.",
    "Anna (played by Bae Suzy) leaves Bob.",
    "The secretary says \u201cMr. Kang is out.\u201d",
    "It is raining. " * 60,
]


@st.composite
def prose(draw: st.DrawFn) -> str:
    paragraphs = draw(
        st.lists(st.lists(st.sampled_from(PROSE), min_size=0, max_size=5), max_size=12)
    )
    heads = draw(st.lists(st.sampled_from(["", "", "## Episode 1", "Scene 2:", "---"]), max_size=4))
    parts: list[str] = []
    for n, p in enumerate(paragraphs):
        if n < len(heads) and heads[n]:
            parts.append(heads[n])
        parts.append(" ".join(p))
    return "\n\n".join(parts) + "\n"


# --- the property -----------------------------------------------------------------------


def _read(text: str, fmt: str) -> Document | None:
    try:
        return read_bytes(text.encode("utf-8"), fmt=fmt)
    except ParseError:
        return None


def _render_all(doc: Document) -> dict[str, Any]:
    """Everything the CLI prints for an analysed document; returns the JSON outputs."""
    data = anatomy_dict(doc)
    out = {"anatomy": to_json(data)}
    anatomy_markdown(data)
    anatomy_text(data)
    for n in range(len(doc.scenes)):
        one = anatomy_dict(doc, n)
        anatomy_markdown(one)
        anatomy_text(one)
    report = anatomy_of(doc)
    out["report"] = to_json(report)
    article = build_article(report, None)
    for fmt in ("html", "markdown", "text"):
        render_article(article, fmt)
    for n in range(1, len(report.get("scenes") or []) + 1):
        article = build_article(report, n, video_url="https://example.com/v.mp4")
        for fmt in ("html", "markdown", "text"):
            render_article(article, fmt)
    # `report analysis.json`: the report of what `analyze --format json` printed
    saved = json.loads(out["anatomy"])
    render_article(build_article(saved, None), "html")
    for n in range(1, len(saved["scenes"]) + 1):
        render_article(build_article(saved, n), "markdown")
    chars = characters_dict(doc)
    chars["lines"] = lines_list(doc)
    chars["conversation"] = doc.attrs["conversation"]
    out["characters"] = to_json(chars)
    characters_table(doc)
    conversation_table(doc)
    ledger = series_of(doc)
    out["ledger"] = to_json(ledger_dict(ledger))
    ledger_table(ledger)
    return out


def check(text: str, fmt: str) -> None:
    doc = _read(text, fmt)
    if doc is None:
        return
    # `parse` and `stats` (no analysis)
    to_json(document_dict(doc))
    document_text(doc)
    stats = compute_stats(doc)
    to_json(stats)
    stats_text(stats)
    pipeline.run(doc, preset="anatomy", nlp="rules")
    first = _render_all(doc)
    again = _read(text, fmt)
    assert again is not None
    pipeline.run(again, preset="anatomy", nlp="rules")
    assert _render_all(again) == first
    # `characters` / `ledger` run the ledger preset; `report --scene` stops before structure
    for until in ("conversation", "relationships", "dynamics"):
        part = _read(text, fmt)
        assert part is not None
        pipeline.run(part, until=until, nlp="rules")
        characters_dict(part)
        characters_table(part)
        conversation_table(part)
        if until != "conversation":
            ledger_table(series_of(part))
        if until == "dynamics":
            report = anatomy_of(part)
            for n in range(1, len(report.get("scenes") or []) + 1):
                render_article(build_article(report, n), "html")
    # two episodes of one drama (`ledger FILE FILE`)
    ledger = ledger_series([doc, again])
    to_json(ledger_dict(ledger))
    ledger_table(ledger)


@FUZZ
@given(text=screenplay())
def test_fountain_pipeline(text: str) -> None:
    check(text, "fountain")


@FUZZ
@given(text=screenplay())
def test_screenplay_text_pipeline(text: str) -> None:
    check(text, "screenplay-text")


@FUZZ
@given(text=srt())
def test_srt_pipeline(text: str) -> None:
    check(text, "srt")


@FUZZ
@given(text=vtt())
def test_vtt_pipeline(text: str) -> None:
    check(text, "vtt")


@FUZZ
@given(text=ass())
def test_ass_pipeline(text: str) -> None:
    check(text, "ass")


@FUZZ
@given(text=prose())
def test_prose_pipeline(text: str) -> None:
    check(text, "prose")
