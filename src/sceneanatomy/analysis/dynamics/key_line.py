"""The key line: the line an editor would quote (issue 4, item 6).

Every sentence of every spoken line of the scene proper is a candidate (a sentence that is
only a vocative, "Ju Gyeong-ah.", is skipped). Its score, each part 0..1:

* 0.30 × **position**: the larger of its beat's closeness to the turn (the turn beat and
  the one before it 1.0, the one after 0.8, two beats away 0.6, further 0.4; 0.5 when the
  scene has no turn), its beat being the climax (1.0), and its beat's tension relative to
  the scene's most tense beat;
* 0.15 × **brevity**: 3–8 words 1.0, 9–12 0.7, 1–2 0.5, 13–20 0.4, longer 0.2;
* 0.20 × **first-person declarative**: "I ..." ending in a full stop or an exclamation
  mark 0.8, an identity statement ("I'm a/an/the/not/your ...") 1.0, "we"/"you're" 0.5;
  a question 0;
* 0.15 × **emotional load**: the line's strongest non-neutral emotion;
* 0.10 × **quoted in the source**: a prose quotation is an editor's choice (1.0);
* 0.10 × **repetition**: the sentence (three words or more) occurs more than once in the
  source, or is echoed by a later line (1.0);
* +0.10 when the speaker is the value's focal character (the one whose stakes turn);
* −0.15 for an inner voice (V.O. / O.S.), which is not said to anyone.

No spoken line → ``None``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...model import Span
from .beats import Beat
from .scene_emotion import SceneEmotions
from .units import SceneText, Unit, is_voice_over, sentence_spans

__all__ = ["KeyLine", "find_key_line"]

_IDENTITY = re.compile(
    r"^i(?:'m| am)\s+(?:a|an|the|not|your|my|his|her|no|just|still|only|also|too|so)\b", re.I
)
_FIRST = re.compile(r"^i(?:'m|'ve|'ll|'d|\s)", re.I)
_OTHER_DECL = re.compile(r"^(?:we|we're|we've|you're|you are)\b", re.I)


@dataclass(slots=True)
class KeyLine:
    speaker: str | None
    text: str
    unit: int
    start: int
    end: int
    line: str
    score: float
    parts: dict[str, float] = field(default_factory=dict)
    evidence: list[Span] = field(default_factory=list)


def _words(text: str) -> list[str]:
    """The words of a space-separated list."""
    return text.split()


_WORD = re.compile(r"\w")
_CALLS = frozenset(_words("oh hey ah ahh well yes no um uh hmm and but so 야 아 어 저기 음"))


def _only_vocative(st: SceneText, u: Unit, a: int, b: int) -> bool:
    """A sentence that only calls someone ("Ju Gyeong-ah.", "Oh, Min-jae!")."""
    covered = [r for r in u.refs if a <= r.start and r.end <= b and r.kind == "vocative"]
    rest = st.text(a, b)
    if not covered:
        return _WORD.search(rest) is None
    for r in sorted(covered, key=lambda r: -r.start):
        rest = rest[: r.start - a] + " " + rest[r.end - a :]
    return all(w.lower() in _CALLS for w in re.findall(r"[\w'’-]+", rest))


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9']+", text.lower().replace("’", "'")))


def _occurrences(st: SceneText, source_norm: str, norm: str) -> int:
    memo = st.doc.attrs.setdefault("_dynamics_counts", {})
    got = memo.get(norm)
    if got is None:
        got = source_norm.count(norm)
        memo[norm] = got
    return got


def _brevity(n: int) -> float:
    if 3 <= n <= 8:
        return 1.0
    if 9 <= n <= 12:
        return 0.7
    if n <= 2:
        return 0.5
    if n <= 20:
        return 0.4
    return 0.2


def _declarative(text: str) -> float:
    t = text.strip().strip("\"'“”‘’").replace("’", "'")
    if t.endswith("?"):
        return 0.0
    if _IDENTITY.match(t):
        return 1.0
    if _FIRST.match(t):
        return 0.8
    if _OTHER_DECL.match(t):
        return 0.5
    return 0.0


def find_key_line(
    st: SceneText,
    beats: list[Beat],
    turn_beat: int | None,
    emo: SceneEmotions,
    prose: bool,
    focal: str | None = None,
) -> KeyLine | None:
    lines = [u for u in st.body() if u.kind == "line"]
    if not lines:
        return None
    beat_of = {k: b.index for b in beats for k in b.units}
    top = max((b.tension for b in beats), default=0.0)
    emotion = {le.unit: le for le in emo.lines}
    source_norm = st.doc.attrs.get("_dynamics_norm")
    if not isinstance(source_norm, str):
        source_norm = _norm(st.doc.source_text)
        st.doc.attrs["_dynamics_norm"] = source_norm
    later_norm = [_norm(st.unit_text(u)) for u in lines]
    best: KeyLine | None = None
    for n, u in enumerate(lines):
        bi = beat_of.get(u.index)
        if turn_beat is None or bi is None:
            closeness = 0.5
        else:
            d = bi - turn_beat
            closeness = 1.0 if d in (0, -1) else 0.8 if d == 1 else 0.6 if abs(d) == 2 else 0.4
        tension = beats[bi].tension / top if bi is not None and top > 0 else 0.0
        climax = 1.0 if bi is not None and beats[bi].function == "climax" else 0.0
        position = max(closeness, tension, climax)
        le = emotion.get(u.index)
        load = le.intensity if le is not None and le.label != "neutral" else 0.0
        for a, b in sentence_spans(st, u):
            if _only_vocative(st, u, a, b):
                continue
            text = st.text(a, b)
            words = re.findall(r"[\w'’-]+", text)
            norm = _norm(text)
            repeated = len(norm.split()) >= 3 and (
                _occurrences(st, source_norm, norm) > 1
                or any(norm in x for x in later_norm[n + 1 :])
            )
            parts = {
                "position": round(position, 3),
                "brevity": _brevity(len(words)),
                "first_person": _declarative(text),
                "emotion": round(load, 3),
                "quoted": 1.0 if prose else 0.0,
                "repetition": 1.0 if repeated else 0.0,
            }
            score = (
                0.30 * parts["position"]
                + 0.15 * parts["brevity"]
                + 0.20 * parts["first_person"]
                + 0.15 * parts["emotion"]
                + 0.10 * parts["quoted"]
                + 0.10 * parts["repetition"]
            )
            if focal is not None and u.speaker == focal:
                score += 0.10
                parts["focal_speaker"] = 1.0
            if is_voice_over(u):
                score -= 0.15
                parts["voice_over"] = -0.15
            score = round(score, 4)
            if best is None or score > best.score:
                best = KeyLine(
                    u.speaker,
                    text,
                    u.index,
                    a,
                    b,
                    " ".join(st.unit_text(u).split()),
                    score,
                    parts,
                    [st.span(a, b)],
                )
    return best
