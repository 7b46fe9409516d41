"""Robustness of the whole analysis: odd-but-plausible sources through every stage and renderer.

The readers are property-tested on their own (any bytes → Document or ParseError). Here
screenplays (Fountain, plain text, Final Draft .fdx, PDF), subtitles (SRT, WebVTT, ASS) and
prose recaps are built from small fragment pools (Korean names and honorifics, pronouns, quotes of every kind,
dual dialogue, SDH cues, empty scenes, role nouns as names, very long lines) and run through
``pipeline.run(preset="anatomy")`` and every renderer the CLI uses (``analyze``, ``report``,
``characters``, ``ledger``): none may raise, and the JSON must be the same for the same input.

Set FUZZ_EXAMPLES (e.g. 2000) to run many more examples per kind locally (PDFs, slow to read,
get a quarter of that).
"""

from __future__ import annotations

import json
import os
import textwrap
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from fpdf import FPDF
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sceneanatomy import pipeline
from sceneanatomy.analysis.relationships import ledger_series, series_of
from sceneanatomy.analysis.stats import compute_stats
from sceneanatomy.errors import ParseError
from sceneanatomy.model import Document
from sceneanatomy.readers import read_bytes
from sceneanatomy.readers.pdf import read_pdf
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
PDF_FUZZ = settings(
    max_examples=max(5, EXAMPLES // 4),
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


# --- Final Draft (.fdx) -----------------------------------------------------------------

STYLES = ["", "", "", "Bold", "Italic", "Underline", "Bold+Italic", "AllCaps", "Strikeout"]
FDX_ODD = [
    '<Paragraph Type="Action"></Paragraph>',
    '<Paragraph Type="Action"><Text></Text></Paragraph>',
    '<Paragraph Type="Action"><Text/></Paragraph>',
    '<Paragraph Type="Dialogue"><Text>   </Text></Paragraph>',
    '<Paragraph Type="Character"><Text>\n</Text></Paragraph>',
    "<Paragraph/>",
    '<Paragraph Type="General"><Text>Meanwhile &amp; elsewhere&#8230;</Text></Paragraph>',
    '<Paragraph Type="Shot"><Text>CLOSE ON &quot;THE RING&quot;</Text></Paragraph>',
    '<Paragraph Type="Weird Thing"><Text>An unknown type.</Text></Paragraph>',
    '<Paragraph Type="Action" Alignment="Center"><Text>THE END</Text></Paragraph>',
    '<Paragraph Type="Action" StartsNewPage="Yes"><Text>A new page.</Text></Paragraph>',
    '<Paragraph Type="Action"><Text><![CDATA[Jun < Gyeong-ah & "Oppa"]]></Text></Paragraph>',
    "<!-- a comment between paragraphs -->",
    '<Paragraph Type="Lyrics"><Text>\u266a La la la \u266a</Text></Paragraph>',
    '<Paragraph Type="New Act"><Text>ACT TWO</Text></Paragraph>',
    '<Paragraph Type="Outline 1"><Text>Act one</Text></Paragraph>',
    '<Paragraph Type="Note"><Text>a note</Text></Paragraph>',
    '<Paragraph Type="Cast List"><Text>JU GYEONG-AH, 30s</Text></Paragraph>',
    '<Paragraph Type="Dialogue"><Text>Dialogue with no cue.</Text></Paragraph>',
    '<Paragraph Type="Parenthetical"><Text>(orphan)</Text></Paragraph>',
]


# Cues Final Draft lets a writer type: extensions only, several speakers, Hangul with
# honorifics, very long ones.
FDX_CUES = [
    "(V.O.)",
    "(CONT'D)",
    "SEO JUN (CONT'D) (V.O.)",
    "JUN & GYEONG-AH",
    "JUN / GYEONG-AH",
    "BOTH",
    "ALL",
    "서준 씨",
    "경아야 (O.S.)",
    "주경아 선배",
    "MRS. KANG'S VOICE",
    "GYEONG-AH (INTO PHONE)",
    "JUN (V.O.) (V.O.)",
    "( )",
    "JUN (",
    "JUN )",
    "JU GYEONG-AH " * 20,
]


@st.composite
def xml_text(draw: st.DrawFn, text: str) -> str:
    """``text`` escaped for XML content, sometimes with named or numeric character references."""
    mode = draw(st.integers(0, 3))
    if mode == 1:
        return escape(text, {"'": "&apos;", '"': "&quot;"})
    out = escape(text)
    if mode == 2:
        return "".join(c if ord(c) < 128 else f"&#{ord(c)};" for c in out)
    if mode == 3:
        return "".join(c if ord(c) < 128 else f"&#x{ord(c):X};" for c in out)
    return out


@st.composite
def fdx_runs(draw: st.DrawFn, text: str) -> str:
    """``text`` as one or more ``<Text>`` runs, split anywhere, with styles."""
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=2)))
    bounds = [0, *cuts, len(text)]
    runs = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        style = draw(st.sampled_from(STYLES))
        attr = f" Style={quoteattr(style)}" if style else ""
        runs.append(f"<Text{attr}>{draw(xml_text(text[a:b]))}</Text>")
    if draw(st.integers(0, 5)) == 0:
        runs.insert(
            draw(st.integers(0, len(runs))), draw(st.sampled_from(["<Text/>", "<Text></Text>"]))
        )
    return draw(st.sampled_from(["", "\n      "])).join(runs)


@st.composite
def fdx_para(draw: st.DrawFn, kind: str, text: str, extra: str = "") -> str:
    return f"<Paragraph Type={quoteattr(kind)}{extra}>{draw(fdx_runs(text))}</Paragraph>"


@st.composite
def fdx_dialogue(draw: st.DrawFn) -> list[str]:
    name = draw(name_st)
    cue = (name.upper() if draw(st.booleans()) else name) + draw(st.sampled_from(EXTENSIONS))
    if draw(st.integers(0, 6)) == 0:
        cue = draw(st.sampled_from(FDX_CUES))
    paras = [draw(fdx_para("Character", cue))]
    if draw(st.booleans()):
        paras.append(draw(fdx_para("Parenthetical", draw(st.sampled_from(PARENS)))))
    for spoken in draw(st.lists(spoken_st, min_size=0, max_size=3)):
        paras.append(draw(fdx_para("Dialogue", spoken)))
    if draw(st.integers(0, 4)) == 0:
        paras.append(draw(fdx_para("Parenthetical", draw(st.sampled_from(PARENS)))))
        paras.append(draw(fdx_para("Dialogue", draw(spoken_st))))
    return paras


@st.composite
def fdx_dual(draw: st.DrawFn) -> list[str]:
    inner = [p for _ in range(draw(st.integers(0, 3))) for p in draw(fdx_dialogue())]
    block = ["<DualDialogue>", *inner, "</DualDialogue>"]
    if draw(st.booleans()):  # Final Draft wraps it in an empty paragraph
        return ["<Paragraph>", *block, "</Paragraph>"]
    return block


@st.composite
def fdx_heading(draw: st.DrawFn) -> list[str]:
    extra = ""
    if draw(st.booleans()):
        extra = f" Number={quoteattr(draw(st.sampled_from(['1', '12A', '3', 'A4', ''])))}"
    props = ""
    if draw(st.booleans()):
        length = draw(st.sampled_from(["3/8", "1 3/8", "2", "1/0", "soon", ""]))
        beats = "".join(
            f"<CharacterArcBeat Name={quoteattr(n)}/>" for n in draw(st.lists(name_st, max_size=3))
        )
        props = (
            f'<SceneProperties Length={quoteattr(length)} Page="1" Title="T">'
            f"{beats}</SceneProperties>"
        )
    text = draw(fdx_runs(draw(st.sampled_from(HEADINGS))))
    return [f"<Paragraph Type='Scene Heading'{extra}>{props}{text}</Paragraph>"]


fdx_block_st = st.one_of(
    fdx_dialogue(),
    fdx_dialogue(),
    fdx_dual(),
    st.sampled_from(ACTION).flatmap(lambda t: fdx_para("Action", t).map(lambda p: [p])),
    st.sampled_from(TRANSITIONS).flatmap(lambda t: fdx_para("Transition", t).map(lambda p: [p])),
    st.sampled_from(FDX_ODD).map(lambda p: [p]),
)


@st.composite
def fdx(draw: st.DrawFn) -> str:
    body: list[str] = []
    for _ in range(draw(st.integers(0, 10))):
        if draw(st.integers(0, 5)) > 0:
            body += draw(fdx_heading())
        for block in draw(st.lists(fdx_block_st, max_size=7)):
            body += block
    title = ""
    if draw(st.booleans()):
        lines = [draw(st.sampled_from(["Love Line", "사랑의 선", "Tom &amp; Jerry", ""]))]
        lines += ["", "Written by", draw(st.sampled_from(["Kim Eun-sook", "주경아", "O'Brien"]))]
        title = (
            "<TitlePage><Content>"
            + "".join(f'<Paragraph Alignment="Center"><Text>{t}</Text></Paragraph>' for t in lines)
            + "</Content></TitlePage>"
        )
    nl = draw(st.sampled_from(["\n", "\n", "\r\n", ""]))
    indent = nl + draw(st.sampled_from(["", "    ", "\t"]))
    decl = draw(st.sampled_from(['<?xml version="1.0" encoding="UTF-8" standalone="no" ?>', ""]))
    return (
        f'{decl}{nl}<FinalDraft DocumentType="Script" Template="No" Version="5">{nl}'
        f"<Content>{indent}{indent.join(body)}{nl}</Content>{nl}{title}</FinalDraft>{nl}"
    )


# --- PDF screenplays --------------------------------------------------------------------

# The core Courier font covers Latin-1 only (no CJK font can be assumed offline): Korean
# names are romanised here, with their honorifics (-ssi, -ya, Oppa, Sunbae).
KOREAN_NAMES = [
    n
    for n in NAMES
    if any(k in n.lower() for k in ("gyeong", "jun", "su-jin", "kang", "oppa", "sunbae", "choi"))
]


def _latin1(items: list[str]) -> list[str]:
    out = []
    for item in items:
        try:
            item.encode("latin-1")
        except UnicodeEncodeError:
            continue
        out.append(item)
    return out


PDF_NAMES, PDF_SPOKEN = _latin1(NAMES), _latin1(SPOKEN)
PDF_ACTION, PDF_HEADINGS = _latin1(ACTION), _latin1(HEADINGS)
PDF_TRANSITIONS = ["CUT TO:", "FADE OUT.", "SMASH CUT TO:", "DISSOLVE TO:"]
IN = 72.0  # points per inch; Courier 12: 10 characters per inch, 6 lines per inch
PDF_X = {"heading": 1.5, "action": 1.5, "cue": 3.7, "dialogue": 2.5, "paren": 3.1}
PDF_WRAP = {"heading": 60, "action": 60, "cue": 38, "dialogue": 35, "paren": 25}

PdfBlock = list[tuple[str, str]]  # (layout kind, text) rows of one block


@st.composite
def pdf_block(draw: st.DrawFn, names: list[str]) -> PdfBlock:
    choice = draw(st.integers(0, 5))
    if choice <= 2:
        name = draw(st.sampled_from(names))
        rows = [("cue", (name.upper() if choice else name) + draw(st.sampled_from(EXTENSIONS)))]
        if draw(st.booleans()):
            rows.append(("paren", draw(st.sampled_from(PARENS))))
        rows += [("dialogue", t) for t in draw(st.lists(st.sampled_from(PDF_SPOKEN), max_size=2))]
        return rows
    if choice == 3:
        return [("action", draw(st.sampled_from(PDF_ACTION)))]
    if choice == 4:
        return [("transition", draw(st.sampled_from(PDF_TRANSITIONS)))]
    return [("heading", draw(st.sampled_from(PDF_HEADINGS)))]


@st.composite
def pdf_script(draw: st.DrawFn) -> list[PdfBlock]:
    names = draw(st.sampled_from([PDF_NAMES, KOREAN_NAMES]))
    return draw(st.lists(pdf_block(names), min_size=1, max_size=18))


def make_pdf(blocks: list[PdfBlock], lines_per_page: int = 50) -> bytes:
    """Blocks laid out as a screenplay: Courier 12, indented cues and dialogue, page numbers."""
    pdf = FPDF(unit="pt", format="letter")
    pdf.set_auto_page_break(False)
    pdf.set_font("Courier", size=12)
    used = lines_per_page
    page = 0
    for block in blocks:
        rows = [
            (k, line)
            for k, text in block
            for line in (textwrap.wrap(text, PDF_WRAP.get(k, 60)) or [text.strip() or "-"])
        ]
        if used + len(rows) + 1 > lines_per_page:
            pdf.add_page()
            page += 1
            used = 0
            if page > 1:
                pdf.text(7.5 * IN - pdf.get_string_width(f"{page}."), 0.5 * IN, f"{page}.")
        elif used:
            used += 1
        for k, text in rows[:lines_per_page]:
            y = IN + (used + 1) * 12
            if k == "transition":
                pdf.text(7.5 * IN - pdf.get_string_width(text), y, text)
            else:
                pdf.text(PDF_X[k] * IN, y, text)
            used += 1
    return bytes(pdf.output())


KOREAN_SCRIPT: list[PdfBlock] = [
    [("heading", "INT. HAN RIVER CAFE - NIGHT")],
    [("action", "Ju Gyeong-ah waits by the window. Seo Jun enters, soaked.")],
    [("cue", "JU GYEONG-AH"), ("paren", "(to Seo Jun)"), ("dialogue", "Seo Jun-ssi, you came.")],
    [("cue", "SEO JUN"), ("dialogue", "Gyeong-ah, don't go. I love you.")],
    [("cue", "MRS. KANG (O.S.)"), ("dialogue", "Get out. GET OUT!")],
    [("transition", "CUT TO:")],
    [("heading", "EXT. ROOFTOP - DAWN")],
    [("cue", "LIM SU-JIN"), ("dialogue", "Congratulations, Sunbae.")],
    [("cue", "Oppa"), ("dialogue", "Why would you do that to me?")],
]


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


Reader = Callable[[bytes], Document]


def _read(source: str | bytes, fmt: str, reader: Reader | None = None) -> Document | None:
    data = source.encode("utf-8") if isinstance(source, str) else source
    try:
        return reader(data) if reader is not None else read_bytes(data, fmt=fmt)
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


def check(text: str | bytes, fmt: str, reader: Reader | None = None) -> None:
    """``text`` (or bytes) read as ``fmt`` (by ``reader`` when given) through everything."""
    doc = _read(text, fmt, reader)
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
    again = _read(text, fmt, reader)
    assert again is not None
    pipeline.run(again, preset="anatomy", nlp="rules")
    assert _render_all(again) == first
    # `characters` / `ledger` run the ledger preset; `report --scene` stops before structure
    for until in ("conversation", "relationships", "dynamics"):
        part = _read(text, fmt, reader)
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


@FUZZ
@given(text=fdx())
def test_fdx_pipeline(text: str) -> None:
    check(text, "fdx")


def _pypdf(data: bytes) -> Document:
    return read_pdf(data, backend="pypdf")


@PDF_FUZZ
@given(blocks=pdf_script(), per_page=st.sampled_from([12, 50]))
@example(blocks=KOREAN_SCRIPT, per_page=12)
def test_pdf_pipeline(blocks: list[PdfBlock], per_page: int) -> None:
    data = make_pdf(blocks, per_page)
    check(data, "pdf")  # read_bytes: pdfplumber when installed
    check(data, "pdf", _pypdf)  # the fallback backend
