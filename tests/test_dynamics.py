"""Scene dynamics (issue 4, items 1–8): emotions, arcs, beats, value, turn, key line,
wants, outcomes — on the seed scene (article and screenplay), a negative control and small
inline texts."""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sceneanatomy.analysis.dynamics import (
    SceneDynamics,
    analyse,
    annotate_dynamics,
    dynamics_of,
)
from sceneanatomy.analysis.dynamics.lexicon import Matcher, Pattern, load_cues, pattern_words
from sceneanatomy.model import Document
from sceneanatomy.pipeline import who_is_who
from sceneanatomy.readers import read_bytes
from sceneanatomy.render.anatomy import anatomy_dict


def _words(text: str) -> list[str]:
    """The words of a space-separated list."""
    return text.split()


def neutral_stub(texts: Sequence[str]) -> list[dict[str, float]]:
    """A tiny stand-in for the emotion model (unit tests only)."""
    return [{"neutral": 1.0} for _ in texts]


def broken_stub(texts: Sequence[str]) -> list[dict[str, float]]:
    raise RuntimeError("model weights missing")


def run(text: str, fmt: str, classifier=neutral_stub) -> Document:
    doc = read_bytes(text.encode("utf-8"), fmt=fmt)
    who_is_who(doc, nlp="rules")
    return annotate_dynamics(doc, classifier=classifier)


def scene(doc: Document, index: int = 0) -> SceneDynamics:
    dyn = dynamics_of(doc)
    assert dyn is not None
    return dyn.scenes[index]


def cues_of(sd: SceneDynamics, who: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for c in sd.emotions.cues:
        if c.character == who:
            out[c.label] = max(out.get(c.label, 0.0), c.intensity)
    return out


def beat_with(sd: SceneDynamics, fragment: str) -> int:
    st = sd.text
    for b in sd.beats:
        if fragment in st.doc.source_text[b.start : b.end]:
            return b.index
    raise AssertionError(f"no beat holds {fragment!r}")


@pytest.fixture(scope="module")
def sofa() -> Document:
    raw = (resources.files("sceneanatomy") / "examples" / "sofa-scene.fountain").read_bytes()
    doc = read_bytes(raw, path="sofa-scene.fountain")
    return analyse(doc, classifier=neutral_stub)


@pytest.fixture(scope="module")
def seed_article(shared_dir: Path) -> Document:
    path = shared_dir / "seed" / "anatomy-of-a-kdrama-scene.txt"
    if not path.is_file():
        pytest.skip("the seed article is not present")
    doc = read_bytes(path.read_bytes(), path=str(path))
    return analyse(doc, classifier=neutral_stub)


# ------------------------------------------------------------------ the seed scene


def test_screenplay_key_line_turn_value_outcome(sofa: Document) -> None:
    sd = scene(sofa, 1)  # INT. PHOTO STUDIO - SOFA
    assert sd.key_line is not None
    assert sd.key_line.text.rstrip(".").lower() == "i'm a man too"
    assert sd.key_line.speaker == "han-seo-jun"
    assert sd.value is not None and sd.value.name == "love"
    assert sd.value.character == "han-seo-jun"
    assert (sd.value.start, sd.value.end) == ("+", "-")
    assert not sd.value.non_event
    assert sd.turn is not None
    assert sd.turn.beat == beat_with(sd, "She was never going to look at me that way")
    assert "never going to look at me that way" in sd.turn.text
    assert sd.beats[sd.turn.beat].function == "turn"
    outcome = {o.character: o for o in sd.outcomes}
    assert outcome["han-seo-jun"].charge == "-"
    assert outcome["han-seo-jun"].state == "heartbreak"


def test_screenplay_confusion_on_her_in_the_right_beat(sofa: Document) -> None:
    sd = scene(sofa, 1)
    confused = beat_with(sd, "(confused)")
    assert sd.beats[confused].emotions["im-ju-gyeong"]["surprise"] > 0.5
    shocked = beat_with(sd, "She looks up at him, shocked.")
    assert sd.beats[shocked].emotions["im-ju-gyeong"]["surprise"] > 0.5
    # "she looks up at him, shocked": the shock is hers, not his
    assert "surprise" not in cues_of(sd, "han-seo-jun")


def test_screenplay_distance_escalates(sofa: Document) -> None:
    sd = scene(sofa, 1)
    order = [b.distance for b in sd.beats if b.distance is not None]
    for level in ("approach", "pin", "face to face"):
        assert level in order
    assert order.index("approach") < order.index("pin") < order.index("face to face")
    entrance = beat_with(sd, "The DIRECTOR walks in")
    assert "entrance:the-director" in sd.beats[entrance].events


def test_seed_article(seed_article: Document) -> None:
    sd = scene(seed_article, 0)
    src = seed_article.source_text
    assert sd.key_line is not None and sd.key_line.text.lower() == "i'm a man too"
    assert sd.key_line.speaker == "han-seo-jun"
    assert sd.value is not None and sd.value.name == "love"
    assert (sd.value.character, sd.value.start, sd.value.end) == ("han-seo-jun", "+", "-")
    assert sd.turn is not None
    assert "will never love him the way he wants" in sd.turn.text
    turn_beat = sd.beats[sd.turn.beat]
    assert turn_beat.function == "turn"
    assert "will never love him" in src[turn_beat.start : turn_beat.end]
    outcome = {o.character: o for o in sd.outcomes}
    assert outcome["han-seo-jun"].charge == "-" and outcome["han-seo-jun"].state == "heartbreak"
    assert "heartbroken" in outcome["han-seo-jun"].text
    confused = beat_with(sd, "Im Ju Gyeong is confused.")
    assert sd.beats[confused].emotions["im-ju-gyeong"]["surprise"] > 0.5
    assert sd.setup is not None and sd.setup.evidence


def test_seed_article_emotion_owners(seed_article: Document) -> None:
    sd = scene(seed_article, 0)
    by = {(c.cue.lower(), c.character): c for c in sd.emotions.cues if c.cue}
    assert ("shocked", "im-ju-gyeong") in by  # not "him", the nearest name
    assert ("frustrated", "the-director") in by
    assert ("heartbroken", "han-seo-jun") in by
    assert by[("coldly", "han-seo-jun")].label == "anger"
    assert by[("confused", "im-ju-gyeong")].label == "surprise"
    # "is the least bit interested": negated, no interest felt
    interested = by[("interested", "han-seo-jun")]
    assert interested.negated and interested.intensity == 0.0


def test_seed_article_wants(seed_article: Document) -> None:
    sd = scene(seed_article, 0)
    wants = {(w.character, w.want): w for w in sd.wants}
    help_ = next(w for (c, t), w in wants.items() if c == "im-ju-gyeong" and "help" in t)
    assert help_.achieved is False and help_.outcome_cue == "refuses"
    convey = next(w for (c, t), w in wants.items() if c == "han-seo-jun" and "convey" in t)
    assert convey.achieved is False
    distance = next(w for (c, t), w in wants.items() if "distance" in t)
    assert distance.character == "han-seo-jun" and distance.achieved is None
    asked = next(w for w in sd.wants if w.character == "the-director")
    assert asked.target == "im-ju-gyeong" and asked.achieved is True


def test_bundled_recap() -> None:
    raw = (resources.files("sceneanatomy") / "examples" / "photoshoot-recap.txt").read_bytes()
    doc = analyse(read_bytes(raw, path="photoshoot-recap.txt"), classifier=neutral_stub)
    sd = scene(doc, 0)
    assert sd.key_line is not None and sd.key_line.text.lower() == "i'm a man too."
    assert sd.value is not None
    assert (sd.value.name, sd.value.character, sd.value.start, sd.value.end) == (
        "love",
        "han-seo-jun",
        "+",
        "-",
    )
    assert sd.turn is not None and "never see him the way" in sd.turn.text
    outcome = {o.character: o for o in sd.outcomes}
    assert outcome["han-seo-jun"].state == "heartbreak"


# ------------------------------------------------------------------ negative control

CONTROL = """INT. OFFICE KITCHEN - MORNING

MINA and JOON, old friends, stand by the coffee machine. Mina smiles.

MINA
Morning. Did you sleep well?

JOON
Like a baby. Thanks for the coffee yesterday, friend.

Mina laughs and hands him a cup.

MINA
Any time. We're friends, right?

JOON
Always. Best friends.

They sip their coffee together by the window, happy.
"""


def test_negative_control_is_a_non_event() -> None:
    sd = scene(run(CONTROL, "fountain"))
    assert sd.value is not None
    assert sd.value.start == sd.value.end
    assert sd.value.non_event
    assert sd.turn is None
    assert all(b.function != "turn" for b in sd.beats)


def test_no_value_cue_gives_null_value() -> None:
    text = "INT. ROOM - DAY\n\nTOM sits.\n\nTOM\nThe bus is at nine.\n\nAMY\nOkay.\n"
    sd = scene(run(text, "fountain"))
    assert sd.value is None and sd.turn is None
    assert sd.outcomes == [] or all(o.evidence for o in sd.outcomes)


# ------------------------------------------------------------------ item 1 details


def narration(body: str) -> SceneDynamics:
    text = "INT. ROOM - NIGHT\n\n" + body + "\n\nMINA\nHello.\n\nJOON\nHi.\n"
    return scene(run(text, "fountain"))


def test_emotion_negation_hedge_and_irrealis() -> None:
    sd = narration("Mina is not angry. Joon is a bit sad.")
    mina = [c for c in sd.emotions.cues if c.character == "mina" and c.label == "anger"]
    assert mina and mina[0].negated and mina[0].intensity == 0.0
    joon = [c for c in sd.emotions.cues if c.character == "joon" and c.label == "sadness"]
    assert joon and 0 < joon[0].intensity < 0.8
    sd = narration("Joon waits to see if Mina feels love for him.")
    assert "love" not in cues_of(sd, "mina")


def test_emotion_fronted_possessor_and_object_experiencer() -> None:
    sd = narration("Frustrated, Joon slams the door. Mina's voice is cold and flat.")
    assert cues_of(sd, "joon").get("anger", 0) > 0
    sd = narration("The letter shocks Mina. Joon smiles.")
    assert cues_of(sd, "mina").get("surprise", 0) > 0
    assert "surprise" not in cues_of(sd, "joon")


def test_parenthetical_emotion_goes_to_the_speaker() -> None:
    text = "INT. ROOM - DAY\n\nMINA\n(furious)\nGet out.\n\nJOON\nFine.\n"
    sd = scene(run(text, "fountain"))
    assert cues_of(sd, "mina").get("anger", 0) > 0.5


def test_broken_model_falls_back_to_lexicon() -> None:
    doc = run("INT. ROOM - DAY\n\nMINA\nI am so happy!\n\nJOON\nMe too.\n", "fountain", broken_stub)
    dyn = dynamics_of(doc)
    assert dyn is not None and dyn.backend["emotion"] == "lexicon"
    lines = dyn.scenes[0].emotions.lines
    assert lines[0].label == "joy"


def test_classifier_scores_reach_the_speaker() -> None:
    def angry(texts: Sequence[str]) -> list[dict[str, float]]:
        return [{"anger": 0.9, "neutral": 0.1} for _ in texts]

    sd = scene(run("INT. ROOM - DAY\n\nMINA\nLeave.\n\nJOON\nNo.\n", "fountain", angry))
    assert cues_of(sd, "mina")["anger"] == pytest.approx(0.9)
    assert {le.label for le in sd.emotions.lines} == {"anger"}


# ------------------------------------------------------------------ arcs, wants, matcher


def test_arcs_have_named_ends_and_points(sofa: Document) -> None:
    sd = scene(sofa, 1)
    arcs = {a.character: a for a in sd.arcs}
    ju = arcs["im-ju-gyeong"]
    assert ju.start == "sadness" and ju.start_cue == "miserable"
    assert ju.points and all(-1 <= p.valence <= 1 for p in ju.points)
    assert [p.position for p in ju.points] == sorted(p.position for p in ju.points)
    dyn = dynamics_of(sofa)
    assert dyn is not None and any(a.character == "han-seo-jun" for a in dyn.arcs)


def test_dialogue_wants_imperatives_and_lets(sofa: Document) -> None:
    sd = scene(sofa, 1)
    kinds = {(w.character, w.kind, w.want) for w in sd.wants}
    assert ("im-ju-gyeong", "imperative", "Hold still.") in kinds
    assert ("han-seo-jun", "spoken", "Let's finish this quickly.") in kinds
    assert all(w.achieved is None for w in sd.wants)  # the script never says


def test_matcher_gaps_and_stems() -> None:
    m = Matcher(
        [
            Pattern(pattern_words("backs _ against"), "pin"),
            Pattern(pattern_words("frustrat*"), "anger"),
            Pattern(pattern_words("can't take the hint"), "fail"),
        ]
    )
    from sceneanatomy.analysis.dialogue_refs import tokenize

    words = [
        t.lower for t in tokenize("Frustrated, he backs her against it; she can't take the hint")
    ]
    assert [h.label for h in m.find(words)] == ["anger", "pin", "fail"]
    assert load_cues().imperative_verbs


# ------------------------------------------------------------------ spans and determinism


def _all_spans(obj):
    if isinstance(obj, dict):
        if {"start_char", "end_char", "text"} <= set(obj):
            yield obj
        for v in obj.values():
            yield from _all_spans(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _all_spans(v)


def test_every_span_is_verbatim_source(sofa: Document) -> None:
    data = anatomy_dict(sofa)
    spans = list(_all_spans(data))
    assert len(spans) > 20
    for s in spans:
        assert sofa.source_text[s["start_char"] : s["end_char"]] == s["text"]


def test_deterministic() -> None:
    a = anatomy_dict(run(CONTROL, "fountain"))
    b = anatomy_dict(run(CONTROL, "fountain"))
    assert a == b


WORDS = st.sampled_from(
    _words(
        "she he her him his looks at shocked angry not very a bit sofa closer against walks in "
        "out refuses wants to tries heartbroken love never the director Mina Joon , . ! ?"
    )
)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.lists(WORDS, min_size=1, max_size=12).map(" ".join), min_size=1, max_size=8),
    st.sampled_from(["fountain", "prose"]),
)
def test_any_text_analyses_with_valid_spans(sentences: list[str], fmt: str) -> None:
    if fmt == "fountain":
        body = "\n\n".join(
            (f"MINA\n{s}" if n % 2 else s.capitalize()) for n, s in enumerate(sentences)
        )
        text = "INT. ROOM - DAY\n\n" + body + "\n"
    else:
        text = "Mina and Joon. " + " ".join(s.capitalize() + "." for s in sentences) + "\n"
    doc = run(text, fmt)
    data = anatomy_dict(doc)
    for s in _all_spans(data):
        assert doc.source_text[s["start_char"] : s["end_char"]] == s["text"]
    for sc in data["scenes"]:
        an = sc["anatomy"]
        assert all(0.0 <= b["tension"] <= 1.0 for b in an["beats"])
        assert all(
            b["function"] in {"setup", "complication", "escalation", "turn", "climax", "resolution"}
            for b in an["beats"]
        )


# ------------------------------------------------------------------ replies, continuity


def _ts(t: float) -> str:
    ms = round(t * 1000)
    h, rem = divmod(ms, 3_600_000)
    m, rem = divmod(rem, 60_000)
    s, ms = divmod(rem, 1000)
    return f"{h:02d}:{m:02d}:{s:02d},{ms:03d}"


def srt(*cues: tuple[float, str]) -> str:
    """A subtitle file: each cue lasts two seconds from its start time."""
    return "\n".join(
        f"{n}\n{_ts(t)} --> {_ts(t + 2)}\n{text}\n" for n, (t, text) in enumerate(cues, 1)
    )


def lovesick_stub(texts: Sequence[str]) -> list[dict[str, float]]:
    """Love for lines that say so, a weak anger for questions, else neutral."""
    out = []
    for t in texts:
        if "love" in t.lower():
            out.append({"love": 0.9, "neutral": 0.1})
        elif t.rstrip().endswith("?"):
            out.append({"anger": 0.35, "neutral": 0.3, "surprise": 0.35})
        else:
            out.append({"neutral": 1.0})
    return out


ASK = (0.0, "JI-HO: Seo-yeon, wait. Can we talk?")
WHAT = (2.5, "SEO-YEON: What is it?")
LOVE = (5.0, "JI-HO: I love you. I always have.")
RIGHT = (11.0, "JI-HO: Right. Of course you are.")


def test_a_confession_turned_down_turns_the_confessor_negative() -> None:
    reject = (8.0, "SEO-YEON: I'm sorry, Ji-ho. I'm seeing someone.")
    doc = run(srt(ASK, WHAT, LOVE, reject, RIGHT), "srt", lovesick_stub)
    sd = scene(doc)
    assert sd.value is not None and sd.value.name == "love"
    assert (sd.value.character, sd.value.start, sd.value.end) == ("ji-ho", "+", "-")
    assert sd.turn is not None and "seeing someone" in sd.turn.text
    turn_beat = sd.beats[sd.turn.beat]
    assert turn_beat.function == "turn"
    beat_text = doc.source_text[turn_beat.start : turn_beat.end]
    assert "seeing someone" in beat_text and "I love you" not in beat_text  # cut at the flip
    outcome = {o.character: o for o in sd.outcomes}
    assert outcome["ji-ho"].charge == "-" and outcome["ji-ho"].state == "heartbreak"
    arcs = {a.character: a for a in sd.arcs}
    # the weak anger of "Can we talk?" does not name his start; being turned down hurts
    assert (arcs["ji-ho"].start, arcs["ji-ho"].end) == ("love", "sadness")
    felt = [c for c in sd.emotions.cues if c.source == "value"]
    assert [(c.character, c.label) for c in felt] == [("ji-ho", "sadness")]
    confession = next(w for w in sd.wants if w.kind == "confession")
    assert confession.character == "ji-ho" and confession.target == "seo-yeon"
    assert confession.want == "I love you." and confession.achieved is False
    assert confession.outcome_evidence


def test_a_confession_returned_is_got_and_later_sorrys_do_not_reject() -> None:
    text = srt(
        (0.0, "JI-HO: I love you, Seo-yeon."),
        (2.5, "SEO-YEON: Me too."),
        (5.0, "JI-HO: Stay a little longer."),
        (8.0, "SEO-YEON: I'm sorry. I can't."),
    )
    sd = scene(run(text, "srt"))
    confession = next(w for w in sd.wants if w.kind == "confession")
    assert confession.achieved is True and confession.outcome_cue == "Me too"
    assert sd.value is not None and sd.value.end == "+"  # the advance was answered once
    stay = next(w for w in sd.wants if w.kind == "imperative")
    assert stay.achieved is False and stay.outcome_cue == "I can't"


def test_a_reply_without_an_advance_says_nothing() -> None:
    text = srt((0.0, "MINA: You ate my cake."), (2.5, "JOON: I'm sorry. I can't help it."))
    sd = scene(run(text, "srt"))
    assert sd.value is None or sd.value.name != "love"


def test_a_silence_splits_the_scene_and_the_value_carries_over() -> None:
    reject = (18.0, "SEO-YEON: I'm sorry, Ji-ho. I'm seeing someone.")
    doc = run(srt(ASK, WHAT, LOVE, reject, (21.0, RIGHT[1])), "srt", lovesick_stub)
    dyn = dynamics_of(doc)
    assert dyn is not None and len(dyn.scenes) == 2  # an 11 s silence: the reader splits
    first, second = dyn.scenes
    assert second.value is not None
    assert (second.value.character, second.value.start, second.value.end) == ("ji-ho", "+", "-")
    # the start rests on the confession of the scene before (a real span of the source)
    assert any(h.carried and h.cue == "love" for h in second.value.start_hits)
    assert second.turn is not None and "seeing someone" in second.turn.text
    assert {o.character: o.state for o in second.outcomes}["ji-ho"] == "heartbreak"
    arcs = {a.character: a for a in second.arcs}
    assert (arcs["ji-ho"].start, arcs["ji-ho"].end) == ("love", "sadness")
    # the confession left open in the first scene is answered in the second
    confession = next(w for w in first.wants if w.kind == "confession")
    assert confession.achieved is False
    data = anatomy_dict(doc)
    for s in _all_spans(data):
        assert doc.source_text[s["start_char"] : s["end_char"]] == s["text"]


def test_no_carry_over_a_long_silence() -> None:
    reject = (95.0, "SEO-YEON: I'm sorry, Ji-ho. I'm seeing someone.")
    dyn = dynamics_of(run(srt(ASK, WHAT, LOVE, reject), "srt"))
    assert dyn is not None and len(dyn.scenes) == 2
    assert dyn.scenes[1].value is None  # another conversation: nothing to reply to


def test_a_continuous_screenplay_scene_carries_the_value() -> None:
    def play(heading: str) -> SceneDynamics:
        text = (
            "INT. ROOF - NIGHT\n\nJI-HO\nI love you, Seo-yeon.\n\nSEO-YEON\nOh.\n\n"
            f"{heading}\n\nSEO-YEON\nI'm sorry. I only see you as a friend.\n\n"
            "JI-HO\nI see.\n"
        )
        return scene(run(text, "fountain"), 1)

    sd = play("INT. STAIRWELL - CONTINUOUS")
    assert sd.value is not None and (sd.value.start, sd.value.end) == ("+", "-")
    assert sd.value.character == "ji-ho" and sd.turn is not None
    assert play("INT. CAFE - NEXT DAY").value is None


KO = srt(
    (60.0, "지호: 서연아, 잠깐만. 얘기 좀 해."),
    (62.5, "서연: 뭔데?"),
    (65.0, "지호: 사랑해. 처음부터."),
    (67.5, "서연: 미안해, 지호야. 난 다른 사람 만나고 있어."),
    (70.0, "지호: 그렇구나."),
)


@pytest.mark.parametrize("encoding", ["utf-8", "cp949"])
def test_korean_confession_and_rejection(encoding: str) -> None:
    doc = read_bytes(KO.encode(encoding), fmt="srt")
    who_is_who(doc, nlp="rules")
    sd = scene(annotate_dynamics(doc, classifier=neutral_stub))
    assert sd.value is not None and sd.value.name == "love"
    assert (sd.value.character, sd.value.start, sd.value.end) == ("지호", "+", "-")
    assert sd.turn is not None and "다른 사람" in sd.turn.text
    assert sd.beats[sd.turn.beat].function == "turn"
    assert {o.character: o.state for o in sd.outcomes}["지호"] == "heartbreak"
    confession = next(w for w in sd.wants if w.kind == "confession")
    assert confession.character == "지호" and confession.achieved is False
    # Hangul lines are read by the cue lexicon, not by the (English) model stub
    arcs = {a.character: a for a in sd.arcs}
    assert (arcs["지호"].start, arcs["지호"].end) == ("love", "sadness")
    assert sd.key_line is not None and sd.key_line.text == "사랑해."


def test_korean_wh_question_is_answered() -> None:
    text = srt((0.0, "지호: 왜 여기 있어?"), (2.5, "서연: 너를 기다렸어."))
    sd = scene(run(text, "srt"))
    q = next(w for w in sd.wants if w.kind == "question")
    assert q.character == "지호" and q.achieved is True


# ------------------------------------------------------------------ wants from dialogue


def test_spoken_wants_settled_by_the_reply() -> None:
    text = srt(
        (0.0, "MINA: Close the door."),
        (2.5, "JOON: Okay."),
        (5.0, "MINA: Give me the key."),
        (7.5, "JOON: No."),
        (10.0, "MINA: Where were you last night?"),
        (12.5, "JOON: None of your business."),
        (15.0, "MINA: Why are you so late?"),
        (17.5, "JOON: Because the bus broke down."),
        (20.0, "MINA: It's cold, isn't it?"),
        (22.5, "JOON: Let's go home."),
        (25.0, "MINA: Well... fine."),
        (27.5, "JOON: Please, just this once."),
    )
    sd = scene(run(text, "srt"))
    got = {(w.character, w.kind, w.want): w.achieved for w in sd.wants}
    assert got[("mina", "imperative", "Close the door.")] is True
    assert got[("mina", "imperative", "Give me the key.")] is False
    assert got[("mina", "question", "Where were you last night?")] is False  # refused
    assert got[("mina", "question", "Why are you so late?")] is True  # answered
    assert got[("joon", "spoken", "Let's go home.")] is True
    assert got[("joon", "request", "Please, just this once.")] is None  # no reply
    assert not any("isn't it" in w.want for w in sd.wants)  # a tag asks for nothing new
    for w in sd.wants:
        assert w.evidence and (w.achieved is None or w.outcome_evidence)


def test_a_rhetorical_question_wants_no_answer() -> None:
    text = srt(
        (0.0, "MINA: How could you say that to my mother?"),
        (2.5, "JOON: I'm sorry."),
        (5.0, "MINA: Do you think this is easy for me?"),
        (7.5, "JOON: No."),
        (10.0, "MINA: Where did you put my keys?"),
        (12.5, "JOON: On the table."),
    )
    sd = scene(run(text, "srt"))
    questions = {w.want: w.achieved for w in sd.wants if w.kind == "question"}
    assert questions == {"Where did you put my keys?": True}


def test_a_want_without_a_reply_stays_unknown() -> None:
    text = "INT. ROOM - DAY\n\nMINA\nSit down.\n\nJoon looks out of the window.\n"
    sd = scene(run(text, "fountain"))
    (w,) = sd.wants
    assert (w.kind, w.achieved) == ("imperative", None)


# ------------------------------------------------------------------ small parts


def test_sdh_reaction_belongs_to_the_next_speaker() -> None:
    text = srt(
        (0.0, "MINA: I got the job."),
        (2.5, "(gasps)"),
        (5.0, "JOON: You did?"),
        (7.5, "[door slams]"),
        (10.0, "MINA: They start me Monday."),
    )
    sd = scene(run(text, "srt"))
    sounds = [c for c in sd.emotions.cues if c.source == "sound"]
    assert [(c.character, c.label) for c in sounds] == [("joon", "surprise")]


def test_sentence_spans_and_model_reads() -> None:
    from sceneanatomy.analysis.dynamics import key_line, wants
    from sceneanatomy.analysis.dynamics.scene_emotion import model_reads
    from sceneanatomy.analysis.dynamics.units import sentence_spans

    assert key_line.sentence_spans is sentence_spans is wants.sentence_spans
    sd = scene(run("INT. ROOM - DAY\n\nMINA\nHold still. You're all sweaty!\n", "fountain"))
    u = sd.text.units[-1]
    assert [sd.text.text(a, b) for a, b in sentence_spans(sd.text, u)] == [
        "Hold still.",
        "You're all sweaty!",
    ]
    assert model_reads("I like you.") and not model_reads("좋아해, 혜원아.")
