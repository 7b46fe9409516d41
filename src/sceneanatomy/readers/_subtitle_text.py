"""Cue text for the subtitle readers: markup removal with exact offsets, speakers, SDH.

A cue's raw text is cleaned into a :class:`Mapped` string that remembers, for every
cleaned character, the raw characters it came from; every decision (dashes, speaker
prefixes, sound descriptions) is taken on the cleaned text and mapped back, so element
spans always point at the exact raw text.

Rules (documented here because tests and users rely on them):

* **Markup** is removed from ``text``: HTML-like tags (``<i>``, ``<b>``, ``<font ...>``,
  WebVTT ``<c.x>``, ``<00:00:01.000>``...), ASS override blocks ``{\\an8}`` (also inside
  SRT; HTML-like tags are removed from ASS too, where converters leave them), HTML
  entities are unescaped in SRT/WebVTT (``&amp;``); in ASS ``\\N`` is a line break, ``\\n``
  and ``\\h`` are spaces, and text drawn in ``\\p1`` drawing mode is dropped. Whitespace
  runs inside a line become one space; the lines of one spoken line join with ``\\n``.
* **Utterances**: a cue line starting with a dash (``-``, ``–``, ``—``) starts a new
  utterance (two speakers in one cue), and so does a line with its own speaker (below).
  Other lines continue the current utterance. Each utterance becomes one element; its
  span covers its raw line(s), dash and markup included.
* **Speakers**, in this order at the start of a line (after a dash):

  - ``NAME:`` (also full-width ``：``, and ``NAME (V.O.):`` or ``NAME [laughing]:`` giving
    an extension): up to three words, each starting with an upper-case letter (``JOHN``,
    ``Mr. Kim``, ``GUARD 2``) or a caseless letter (Hangul, kanji: ``민수``, at most two
    words of five characters). Lower-case words, digits first (times like ``10:30``),
    one-letter Latin names and a stop list of words that often precede a colon in
    ordinary text (``Note``, ``Look``, ``Listen``, ``Warning``, ``Subtitles``...) are not
    speakers.
  - ``[NAME]`` followed by speech (on the same line, or on the next line of the cue): a
    name as above that is not a sound description (no sound word such as ``sighs``,
    ``door``, ``music``, ``in``, ``over``; no ``-ing`` word in a multi-word name; no
    lower-case words). ``[door slams]`` alone, or ``[DOOR SLAMS] Hi``, is a sound.
  - ``(이름)`` followed by speech: one caseless word of at most five characters that is not
    a sound word (``(웃음)``, ``(한숨)``, words ending in ``소리``/``음``...). Korean and
    Japanese subtitles mark off-screen speakers this way; Latin ``(...)`` is always a
    sound description.
  - WebVTT voice spans ``<v Name>`` / ``<v.loud Name>`` (lasting to ``</v>`` or the cue
    end); ASS ``Name`` fields are applied by the reader.
* **Sound (SDH)**: ``[...]``, ``(...)`` and ``♪ ... ♪`` chunks are sound descriptions.
  An utterance made only of such chunks gives SOUND elements. A line mixing both, like
  ``(sighs) I know.``, gives a SOUND element for ``(sighs)`` and a SUBTITLE element for
  ``I know.``, each with its own span; a chunk in the middle of speech gives a SOUND
  element whose span lies inside the SUBTITLE's span, and is replaced by a space in its
  text. A line made only of sound descriptions is nobody's line: it starts a new group,
  so ``JOHN: Go.`` followed by ``[door slams]`` does not make John slam the door.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

# --------------------------------------------------------------------------------------
# Mapped text


@dataclass(slots=True)
class Mapped:
    """Cleaned text; ``starts[i]:ends[i]`` is the raw source of ``text[i]``."""

    text: str
    starts: list[int]
    ends: list[int]

    def slice(self, i: int, j: int) -> Mapped:
        return Mapped(self.text[i:j], self.starts[i:j], self.ends[i:j])


class _Builder:
    __slots__ = ("chars", "starts", "ends")

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []

    def __len__(self) -> int:
        return len(self.chars)

    def literal(self, source: str, start: int, end: int) -> None:
        """Copy ``source[start:end]`` one character per raw character."""
        self.chars.extend(source[start:end])
        self.starts.extend(range(start, end))
        self.ends.extend(range(start + 1, end + 1))

    def replaced(self, text: str, start: int, end: int) -> None:
        """Emit ``text`` for the raw ``[start, end)`` (an entity, ``\\N``...)."""
        for ch in text:
            self.chars.append(ch)
            self.starts.append(start)
            self.ends.append(end)

    def build(self) -> Mapped:
        return Mapped("".join(self.chars), self.starts, self.ends)


@dataclass(slots=True)
class Voice:
    """A WebVTT voice span opening (``name`` set) or closing at cleaned position ``pos``."""

    pos: int
    name: str | None
    classes: tuple[str, ...] = ()


_INLINE = re.compile(
    r"<(?P<tag>/?[A-Za-z0-9][^<>\n]*)>"
    r"|\{\\[^{}\n]*\}"
    r"|&(?:[A-Za-z][A-Za-z0-9]{1,9}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});"
)
_VOICE = re.compile(r"v((?:\.[^\s.>]+)*)(?:\s+(?P<name>[^>]*))?", re.S)
_INVISIBLE = {"\u200e", "\u200f", "\u200b", "\ufeff"}


def clean_html_lines(source: str, lines: list[tuple[int, int]]) -> tuple[Mapped, list[Voice]]:
    """SRT/WebVTT cue lines -> cleaned text (lines joined by ``\\n``) and voice spans."""
    b = _Builder()
    voices: list[Voice] = []
    prev_end = None
    for ls, le in lines:
        if prev_end is not None:
            b.replaced("\n", prev_end, ls)
        prev_end = le
        pos = ls
        for m in _INLINE.finditer(source, ls, le):
            b.literal(source, pos, m.start())
            pos = m.end()
            tok = m.group()
            tag = m.group("tag")
            if tag is not None:
                vm = _VOICE.fullmatch(tag)
                if vm:
                    name = " ".join((vm.group("name") or "").split()) or None
                    classes = tuple(c for c in vm.group(1).split(".") if c)
                    voices.append(Voice(len(b), name, classes))
                elif tag.strip() == "/v":
                    voices.append(Voice(len(b), None))
                continue
            if tok.startswith("{"):
                continue
            text = html.unescape(tok)
            if text == tok:
                b.literal(source, m.start(), m.end())
            else:
                text = "".join(" " if ch == "\xa0" else ch for ch in text if ch not in _INVISIBLE)
                b.replaced(text, m.start(), m.end())
        b.literal(source, pos, le)
    return b.build(), voices


_ASS_TOKEN = re.compile(r"\{[^{}]*\}|\\[Nnh]|</?[A-Za-z][^<>\n]*>")
_ASS_DRAWING = re.compile(r"\\p\s*(\d+)")


def clean_ass_text(source: str, start: int, end: int) -> Mapped:
    """An ASS ``Text`` field -> cleaned text (``\\N`` becomes ``\\n``)."""
    b = _Builder()
    pos = start
    drawing = False
    for m in _ASS_TOKEN.finditer(source, start, end):
        if not drawing:
            b.literal(source, pos, m.start())
        pos = m.end()
        tok = m.group()
        if tok.startswith("{"):
            for d in _ASS_DRAWING.finditer(tok):
                drawing = int(d.group(1)) > 0
        elif drawing or tok.startswith("<"):
            continue
        elif tok == "\\N":
            b.replaced("\n", m.start(), m.end())
        else:
            b.replaced(" ", m.start(), m.end())
    if not drawing:
        b.literal(source, pos, end)
    return b.build()


# --------------------------------------------------------------------------------------
# Speakers and sounds


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STOP_WORDS = _words(
    """
    note notes nb ps look listen wait remember warning caution attention important reminder
    tip hint example problem solution result fact option plan reason point meaning
    definition conclusion summary answer question rule step lesson chapter part episode
    season scene act subtitles subtitle subtitled subs translation translated translator
    translators sync synced synchronized synchronised captions caption captioned
    transcript transcription source title previously next update edit location date time
    place song lyrics music re fw fwd to from subject cc www http https ah oh uh um umm
    hmm eh huh wow yeah yep nope ok okay well so but and or because anyway also however
    see say like please sorry thanks thank hello hi hey bye stop go come now then first
    second third finally last yes no right sure fine great good bad what why how who
    where when which here there this that these those it its my your our their his her
    todo warning error info debug thus hence therefore besides meanwhile instead otherwise
    still yet again actually basically honestly seriously obviously clearly apparently
    imagine consider think guess believe know understand trust promise careful quick
    quickly hurry easy relax calm quiet enough ready done correct exactly true false wrong
    perfect nice cool awesome amazing damn god man dude guys everyone everybody someone
    somebody nobody nothing something everything anything one two three four five six
    seven eight nine ten choice message news breaking live today tonight tomorrow
    yesterday morning evening night later earlier soon before after during sometimes
    always never maybe perhaps probably definitely certainly absolutely really just only
    even more most less least very too much many few some all any both each every either
    neither other another such same different whatever whoever if unless although though
    while since until as at by for with about into through under between among against
    without within upon plus minus total score rules tips steps ingredients directions
    instructions price cost name age address email password username status level stage
    round game player team winner final finals fyi btw nota bene dear sincerely regards
    the a an is are was were be been will would can could should must may might shall
    """
)
_SOUND_WORDS = _words(
    """
    sigh sighs sighing laugh laughs laughing laughter chuckle chuckles chuckling giggle
    giggles giggling gasp gasps gasping groan groans groaning moan moans scream screams
    screaming shout shouts shouting yell yells yelling cry cries crying sob sobs sobbing
    sniff sniffs sniffles sniffling cough coughs coughing sneeze sneezes grunt grunts
    grunting pant pants panting whisper whispers whispering mutter mutters muttering
    murmur murmurs hum hums humming sing sings singing whistle whistles whistling clap
    claps clapping applause cheer cheers cheering music song singing door doors knock
    knocks knocking phone rings ringing ring bell bells beep beeps beeping buzz buzzing
    thud bang bangs crash crashes explosion explosions gunshot gunshots gunfire footsteps
    thunder rain wind silence static noise noises engine siren sirens horn honks honking
    barks barking bark chirping birds slam slams slamming click clicks clicking creak
    creaks creaking exhales inhales breath breathing breathes kiss kisses kissing
    indistinct chatter chattering continues speaking speaks in over on off tv radio
    speaker intercom screen echoing echoes distant distance muffled softly quietly loudly
    plays playing tense dramatic upbeat soft loud gentle ominous sad
    """
)
# Sound words in Korean, Chinese and Japanese subtitles.
_CJK_SOUND_WORDS = _words(
    """
    웃음 한숨 박수 노크 기침 비명 신음 환호 함성 노래 휘파람 경적 사이렌 천둥 발소리 총성
    폭발음 알람 진동 전화벨 초인종 음악 울음 흐느낌 코웃음 헛기침 키스 탄성 숨 헐떡임
    笑 笑声 音乐 音樂 叹气 嘆氣 掌声 掌聲 敲门 咳嗽 尖叫 哭 哭声 笑い 拍手 音楽 ため息 泣き声
    """
)
_CJK_SOUND_SUFFIXES = ("소리", "음", "벨", "声", "聲", "音", "乐", "樂", "響")

_NAME_COLON = re.compile(
    r"(?P<name>[^\W\d_][\w'’.\-]*(?:[ \t][\w'’.\-]+){0,2}?)"
    r"(?:[ \t]*(?:\((?P<ext>[^()\n]{1,12})\)|\[(?P<bext>[^\[\]\n]{1,24})\]))?[ \t]*[:：][ \t]*"
)
_BRACKET_NAME = re.compile(r"\[(?P<name>[^\[\]\n]{1,40})\][ \t]*")
_PAREN_NAME = re.compile(r"[(（](?P<name>[^()（）\n]{1,12})[)）][ \t]*")
_DASH = re.compile(r"[-‐‑–—―](?![-‐‑–—―])[ \t]*")
_SDH = re.compile(r"\[[^\[\]\n]*\]|\([^()\n]*\)|（[^（）\n]*）|[♪♫♬][^♪♫♬\n]*[♪♫♬]?")


def _cased(ch: str) -> bool:
    return ch.isupper() or ch.islower()


def valid_name(name: str) -> bool:
    """Does ``name`` look like a speaker name (see the module docstring)?"""
    words = name.split()
    if not 1 <= len(words) <= 3:
        return False
    if words[0].lower().strip(".'’-") in _STOP_WORDS:
        return False
    caseless_only = True
    for i, w in enumerate(words):
        first = w[0]
        if first.isdigit():
            if i == 0:
                return False
            continue
        if not first.isalpha() or first.islower():
            return False
        if any(_cased(ch) for ch in w):
            caseless_only = False
    if caseless_only:
        return len(words) <= 2 and all(len(w) <= 5 for w in words)
    return sum(ch.isalpha() for ch in name) >= 2


def sound_like(name: str) -> bool:
    """Is a bracketed ``name`` rather a sound description?"""
    words = [w.strip(".,!?'’-").lower() for w in name.split()]
    if any(w in _SOUND_WORDS or w in _CJK_SOUND_WORDS for w in words):
        return True
    if len(words) > 1 and any(len(w) > 4 and w.endswith("ing") for w in words):
        return True
    caseless = not any(_cased(ch) for ch in name)
    return caseless and (len(words) > 1 or name.strip().endswith(_CJK_SOUND_SUFFIXES))


@dataclass(slots=True)
class Prefix:
    speaker: str
    source: str  # "prefix" | "brackets" | "parentheses"
    end: int  # cleaned offset where the speech starts
    extension: str | None = None


def speaker_prefix(text: str, start: int, end: int, more_lines: bool) -> Prefix | None:
    """A speaker written at ``text[start:end]``'s start; the speech must follow it."""
    m = _NAME_COLON.match(text, start, end)
    if m and valid_name(m.group("name")) and (m.end() < end or more_lines):
        ext = m.group("ext") or m.group("bext")
        return Prefix(m.group("name").strip(), "prefix", m.end(), ext.strip() if ext else None)
    m = _BRACKET_NAME.match(text, start, end)
    if m:
        name = " ".join(m.group("name").split())
        if name and valid_name(name) and not sound_like(name) and (m.end() < end or more_lines):
            return Prefix(name, "brackets", m.end())
    m = _PAREN_NAME.match(text, start, end)
    if m:
        name = m.group("name").strip()
        if (
            name
            and " " not in name
            and len(name) <= 5
            and all(ch.isalpha() and not _cased(ch) for ch in name)
            and not sound_like(name)
            and m.end() < end
        ):
            return Prefix(name, "parentheses", m.end())
    return None


# --------------------------------------------------------------------------------------
# Utterances and parts


@dataclass(slots=True)
class Part:
    """One element to be: a spoken line or a sound description."""

    kind: str  # "subtitle" | "sound"
    text: str
    start: int  # raw offsets
    end: int
    speaker: str | None = None
    extension: str | None = None
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class _Utterance:
    raw_start: int
    raw_end: int
    pieces: list[Mapped] = field(default_factory=list)  # content of each line
    speaker: str | None = None
    speaker_source: str | None = None
    extension: str | None = None
    classes: tuple[str, ...] = ()
    dashed: bool = False


def _trim(text: str, i: int, j: int) -> tuple[int, int]:
    while i < j and text[i].isspace():
        i += 1
    while j > i and text[j - 1].isspace():
        j -= 1
    return i, j


def _raw_trim(source: str, i: int, j: int) -> tuple[int, int]:
    return _trim(source, i, j)


def _line_ranges(text: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for piece in text.split("\n"):
        out.append((pos, pos + len(piece)))
        pos += len(piece) + 1
    return out


def split_cue(
    source: str,
    m: Mapped,
    raw_start: int,
    raw_end: int,
    voices: list[Voice] | None = None,
) -> list[Part]:
    """Cleaned cue text ``m`` (raw region ``[raw_start, raw_end)``) -> parts in order."""
    voices = voices or []
    text = m.text
    ranges = _line_ranges(text)
    nonempty = [(i, j) for i, j in ranges if _trim(text, i, j)[0] < _trim(text, i, j)[1]]
    utts: list[_Utterance] = []
    for n, (i, j) in enumerate(nonempty):
        ci, cj = _trim(text, i, j)
        # The raw extent of this line: from after the previous separator to the next one.
        rs = m.ends[i - 1] if i > 0 else raw_start
        re_ = m.starts[j] if j < len(text) else raw_end
        rs, re_ = _raw_trim(source, rs, re_)
        if re_ <= rs:
            rs, re_ = m.starts[ci], m.ends[cj - 1]
        active: Voice | None = None
        for v in voices:
            if v.pos <= ci:
                active = v
        k = ci
        new = False
        dashed = False
        d = _DASH.match(text, k, cj)
        if d and d.end() < cj:
            k, new, dashed = d.end(), True, True
        speaker = source_kind = ext = None
        classes: tuple[str, ...] = ()
        p = speaker_prefix(text, k, cj, more_lines=n + 1 < len(nonempty))
        if p is not None:
            speaker, source_kind, ext, k, new = p.speaker, p.source, p.extension, p.end, True
        if active is not None and active.name is not None:
            if active.pos >= i:  # a voice tag opens on this line
                new = True
                if speaker is None:
                    speaker, source_kind = active.name, "voice"
                classes = active.classes
            elif not new and not utts:
                speaker, source_kind, classes = active.name, "voice", active.classes
        if not new and utts and _sound_only(text, k, cj):
            new = True  # a line of sound descriptions is nobody's line
        piece = m.slice(*_trim(text, k, cj))
        if new or not utts:
            utts.append(_Utterance(rs, re_, [], speaker, source_kind, ext, classes, dashed))
        utts[-1].raw_end = max(utts[-1].raw_end, re_)
        if piece.text:
            utts[-1].pieces.append(piece)
    parts: list[Part] = []
    for u in utts:
        parts.extend(_utterance_parts(u))
    return parts


def _sound_only(text: str, i: int, j: int) -> bool:
    seg = text[i:j]
    rest = _SDH.sub("", seg)
    return len(rest) < len(seg) and not any(ch.isalnum() for ch in rest)


def _join(pieces: list[Mapped]) -> Mapped:
    text: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for n, p in enumerate(pieces):
        if n:
            text.append("\n")
            starts.append(p.starts[0])
            ends.append(p.starts[0])
        text.append(p.text)
        starts.extend(p.starts)
        ends.extend(p.ends)
    return Mapped("".join(text), starts, ends)


def _norm(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _sound_text(chunk: str) -> tuple[str, str]:
    if chunk[0] in "♪♫♬":
        inner, kind = chunk.strip("♪♫♬"), "music"
    elif chunk[0] == "[":
        inner, kind = chunk[1:-1], "brackets"
    else:
        inner, kind = chunk[1:-1], "parentheses"
    inner = " ".join(inner.split())
    return (inner or chunk), kind


def _utterance_parts(u: _Utterance) -> list[Part]:
    if not u.pieces:
        return []
    c = _join(u.pieces)
    text = c.text
    chunks = [(mm.start(), mm.end()) for mm in _SDH.finditer(text)]
    in_chunk = [False] * len(text)
    for a, b in chunks:
        for x in range(a, b):
            in_chunk[x] = True
    speech_idx = [x for x, ch in enumerate(text) if not in_chunk[x] and ch.isalnum()]
    base: dict[str, Any] = {}
    if u.speaker_source:
        base["speaker_source"] = u.speaker_source
    if u.classes:
        base["voice_classes"] = list(u.classes)
    if u.dashed:
        base["dash"] = True

    def sound(a: int, b: int, start: int, end: int) -> Part:
        stext, kind = _sound_text(text[a:b])
        return Part("sound", stext, start, end, u.speaker, u.extension, {**base, "sdh": kind})

    parts: list[Part] = []
    if not speech_idx and chunks:
        for n, (a, b) in enumerate(chunks):
            start = u.raw_start if n == 0 else c.starts[a]
            end = u.raw_end if n == len(chunks) - 1 else c.ends[b - 1]
            parts.append(sound(a, b, start, end))
        return parts
    if not speech_idx:  # punctuation only, e.g. "..."
        t = _norm(text)
        return [Part("subtitle", t, u.raw_start, u.raw_end, u.speaker, u.extension, dict(base))]
    first, last = speech_idx[0], speech_idx[-1]
    leading = [(a, b) for a, b in chunks if b <= first]
    trailing = [(a, b) for a, b in chunks if a > last]
    interior = [(a, b) for a, b in chunks if a < last and b > first]
    for n, (a, b) in enumerate(leading):
        parts.append(sound(a, b, u.raw_start if n == 0 else c.starts[a], c.ends[b - 1]))
    sub_from, sub_to = 0, len(text)
    sub_start, sub_end = u.raw_start, u.raw_end
    if leading:
        # keep the speech's own leading punctuation (e.g. "¿", "«") inside its span
        sub_from = leading[-1][1]
        while sub_from < first and text[sub_from].isspace():
            sub_from += 1
        sub_start = c.starts[sub_from]
    if trailing:
        sub_to = trailing[0][0]
        while sub_to > last + 1 and text[sub_to - 1].isspace():
            sub_to -= 1
        sub_end = c.ends[sub_to - 1]
    speech = "".join(
        " " if in_chunk[x] else ch for x, ch in enumerate(text) if sub_from <= x < sub_to
    )
    attrs = dict(base)
    if interior:
        attrs["sounds"] = [_sound_text(text[a:b])[0] for a, b in interior]
    parts.append(Part("subtitle", _norm(speech), sub_start, sub_end, u.speaker, u.extension, attrs))
    for a, b in interior:
        parts.append(sound(a, b, c.starts[a], c.ends[b - 1]))
    for n, (a, b) in enumerate(trailing):
        end = u.raw_end if n == len(trailing) - 1 else c.ends[b - 1]
        parts.append(sound(a, b, c.starts[a], end))
    return parts
