"""Speaker attribution of prose quotes and unlabelled lines (analysis/attribution.py)."""

from __future__ import annotations

import pytest

from sceneanatomy.analysis.attribution import attribute_speakers
from sceneanatomy.model import (
    Attribution,
    Character,
    Document,
    Element,
    ElementKind,
    LineIndex,
    Scene,
)
from sceneanatomy.readers import read_bytes, read_path


def _people() -> list[Character]:
    return [
        Character("kang-tae-oh", "Kang Tae-oh", ["Kang Tae-oh", "Tae-oh"], gender="male"),
        Character("do-ha-neul", "Do Ha-neul", ["Do Ha-neul", "Ha-neul"], gender="female"),
        Character("jin-woo", "Jin-woo", ["Jin-woo"], gender="male"),
    ]


def _prose(text: str) -> Document:
    doc = read_bytes(text.encode(), fmt="prose")
    doc.characters = _people()
    return attribute_speakers(doc)


def _quotes(doc: Document) -> list[tuple[str, str | None, str | None]]:
    out = []
    for el in doc.elements():
        if el.kind == ElementKind.DIALOGUE:
            att = el.attribution
            assert att is not None, "every spoken line leaves with an attribution"
            assert att.speaker_confidence is not None
            assert 0.0 <= att.speaker_confidence <= 1.0
            out.append((el.text, el.speaker_id, att.speaker_rule))
    return out


def test_said_verb_with_a_pronoun_subject() -> None:
    doc = _prose("Tae-oh walks into the kitchen. He says 'I'm not afraid of you.'\n")
    assert _quotes(doc) == [("I'm not afraid of you.", "kang-tae-oh", "said-verb")]
    (el,) = [e for e in doc.elements() if e.kind == ElementKind.DIALOGUE]
    assert el.attribution is not None
    cited = [doc.source_text[s.start_char : s.end_char] for s in el.attribution.evidence]
    assert cited[:2] == ["says", "He"]
    assert "Tae-oh" in cited  # the pronoun's antecedent
    assert el.attribution.speaker_confidence is not None
    assert 0.5 < el.attribution.speaker_confidence < 0.95


def test_name_and_speech_verb_after_the_quote() -> None:
    doc = _prose('"Go home," Ha-neul replies. "Not yet," replies Tae-oh.\n')
    assert _quotes(doc) == [
        ("Go home", "do-ha-neul", "said-verb-after"),
        ("Not yet", "kang-tae-oh", "said-verb-after"),
    ]


def test_pronoun_and_speech_verb_after_the_quote() -> None:
    doc = _prose('Ha-neul puts down her cup. "Fine," she says.\n')
    assert _quotes(doc) == [("Fine", "do-ha-neul", "said-verb-after")]


def test_quote_after_a_sentence_naming_its_speaker() -> None:
    doc = _prose('Ha-neul sighs. "Fine, have it your way."\n\nJin-woo shrugs: "Whatever."\n')
    assert _quotes(doc) == [
        ("Fine, have it your way.", "do-ha-neul", "preceding-subject"),
        ("Whatever.", "jin-woo", "preceding-subject"),
    ]
    conf = [e.attribution.speaker_confidence for e in doc.elements() if e.attribution]
    assert all(c is not None and c <= 0.6 for c in conf)


def test_colon_label() -> None:
    doc = _prose('Jin-woo: "Not again."\n')
    assert _quotes(doc) == [("Not again.", "jin-woo", "colon-label")]


def test_said_to_gives_the_addressee() -> None:
    doc = _prose('Tae-oh finds Ha-neul on the stairs. He tells her, "Stay."\n')
    (el,) = [e for e in doc.elements() if e.kind == ElementKind.DIALOGUE]
    assert el.speaker_id == "kang-tae-oh"
    assert el.addressee_id == "do-ha-neul"
    assert el.attribution is not None
    assert el.attribution.addressee_rule == "said-to"


def test_subject_of_a_coordinated_speech_verb() -> None:
    doc = _prose("Tae-oh sees Ha-neul. He pulls her close and says coldly, 'Let's go.'\n")
    assert _quotes(doc) == [("Let's go.", "kang-tae-oh", "said-verb")]


def test_a_quote_nobody_says_is_unknown() -> None:
    doc = _prose('Tae-oh stops. The sign on the door reads "Closed for good".\n')
    assert _quotes(doc) == [("Closed for good", None, "unknown")]
    (el,) = [e for e in doc.elements() if e.kind == ElementKind.DIALOGUE]
    assert el.attribution is not None and el.attribution.speaker_confidence == 0.0


# ------------------------------------------------------------------ subtitles, screenplays

MIN_JAE = Character("min-jae", "Min-jae", ["Min-jae", "민재"])
HYE_WON = Character("hye-won", "Hye-won", ["Hye-won", "혜원"])
SOO_AH = Character("soo-ah", "Soo-ah", ["Soo-ah"])


def _subs(lines: list[tuple[str | None, str]], characters: list[Character]) -> Document:
    """A subtitle-like document: one SUBTITLE element per line; labelled lines resolved as
    the characters stage does (speaker_id + rule "subtitle-speaker")."""
    ids = {c.name.upper(): c.id for c in characters}
    parts, spans = [], []
    pos = 0
    for who, text in lines:
        raw = f"{who}: {text}" if who else text
        parts.append(raw + "\n")
        spans.append((pos, pos + len(raw), who, text))
        pos += len(raw) + 1
    src = "".join(parts)
    lix = LineIndex(src)
    els = []
    for a, b, who, text in spans:
        el = Element(ElementKind.SUBTITLE, text, lix.span(a, b), speaker=who)
        if who:
            el.speaker_id = ids[who.upper()]
            el.attribution = Attribution(speaker_rule="subtitle-speaker")
        els.append(el)
    doc = Document(src, "srt")
    doc.scenes = [Scene(0, els)]
    doc.characters = characters
    return doc


def _speakers(doc: Document) -> list[tuple[str | None, str | None]]:
    return [
        (e.speaker_id, e.attribution.speaker_rule if e.attribution else None)
        for e in doc.elements()
    ]


def test_turn_taking_in_a_two_person_exchange() -> None:
    doc = _subs(
        [
            ("Hye-won", "Why did you call me up here?"),
            ("Min-jae", "Because I couldn't say it downstairs."),
            (None, "Say what?"),
            (None, "Just... listen."),
        ],
        [MIN_JAE, HYE_WON],
    )
    attribute_speakers(doc)
    assert _speakers(doc)[2:] == [("hye-won", "turn-taking"), ("min-jae", "turn-taking")]
    third, fourth = doc.elements()[2:]
    assert third.attribution and fourth.attribution
    assert third.attribution.speaker_confidence == pytest.approx(0.6)
    # a guess built on a guess is less sure
    assert (fourth.attribution.speaker_confidence or 0) < third.attribution.speaker_confidence


def test_labelled_lines_keep_their_rule() -> None:
    doc = _subs([("Hye-won", "Hi."), ("Min-jae", "Hi.")], [MIN_JAE, HYE_WON])
    attribute_speakers(doc)
    assert _speakers(doc) == [("hye-won", "subtitle-speaker"), ("min-jae", "subtitle-speaker")]


def test_self_reference() -> None:
    doc = _subs(
        [(None, "Hello? I'm Min-jae, from the third floor."), (None, "저는 혜원이에요.")],
        [MIN_JAE, HYE_WON, SOO_AH],
    )
    attribute_speakers(doc)
    assert _speakers(doc) == [("min-jae", "self-reference"), ("hye-won", "self-reference")]


def test_vocative_means_the_speaker_is_someone_else() -> None:
    doc = _subs(
        [
            ("Hye-won", "You came."),
            ("Min-jae", "I did."),
            (None, "Min-jae-ya, look at me."),
        ],
        [MIN_JAE, HYE_WON],
    )
    attribute_speakers(doc)
    assert _speakers(doc)[2] == ("hye-won", "vocative-exclusion")


def test_korean_vocative_never_names_the_speaker() -> None:
    doc = _subs(
        [("Min-jae", "왜?"), ("Hye-won", "아무것도 아니야."), (None, "혜원아, 솔직히 말해.")],
        [MIN_JAE, HYE_WON],
    )
    attribute_speakers(doc)
    assert _speakers(doc)[2][0] == "min-jae"


def test_undecidable_line_is_unknown_not_guessed() -> None:
    doc = _subs(
        [
            ("Hye-won", "Who took it?"),
            ("Min-jae", "Not me."),
            ("Soo-ah", "Don't look at me."),
            (None, "Somebody did."),
        ],
        [MIN_JAE, HYE_WON, SOO_AH],
    )
    attribute_speakers(doc)
    last = doc.elements()[-1]
    assert last.speaker_id is None
    assert last.attribution is not None
    assert last.attribution.speaker_rule == "unknown"
    assert last.attribution.speaker_confidence == 0.0


def test_a_line_opening_the_scene_is_unknown() -> None:
    doc = _subs([(None, "Is anyone there?")], [MIN_JAE, HYE_WON, SOO_AH])
    attribute_speakers(doc)
    assert _speakers(doc) == [(None, "unknown")]


# ------------------------------------------------------------------------------ the seed


def test_seed_quote_is_han_seo_jun(shared_dir) -> None:
    from sceneanatomy.analysis.characters import find_characters

    seed = shared_dir / "seed" / "anatomy-of-a-kdrama-scene.txt"
    if not seed.is_file():
        pytest.skip("seed article not present")
    doc = find_characters(read_path(seed), nlp="rules")
    attribute_speakers(doc)
    (el,) = [e for e in doc.elements() if e.kind == ElementKind.DIALOGUE and "Man too" in e.text]
    han = next(c for c in doc.characters if any("Seo Jun" in a for a in [c.name, *c.aliases]))
    assert el.speaker_id == han.id
    att = el.attribution
    assert att is not None
    assert att.speaker_rule == "said-verb"
    assert att.speaker_confidence is not None and att.speaker_confidence >= 0.5
    cited = [doc.source_text[s.start_char : s.end_char] for s in att.evidence]
    assert cited[:2] == ["says", "He"]  # the speech verb and the pronoun chain's head
    assert any(c in han.aliases for c in cited[2:])  # the antecedent the chain rests on


def test_an_answer_that_calls_the_caller_back_is_the_called_one() -> None:
    # Min-jae calls Hye-won; the unlabelled reply calls Min-jae back: Hye-won answers,
    # even though a third person speaks later in the scene
    doc = _subs(
        [
            ("Min-jae", "Hye-won, I said I'm sorry."),
            (None, "Fine. Sit down, Min-jae."),
            ("Soo-ah", "Are you two fighting again?"),
        ],
        [MIN_JAE, HYE_WON, SOO_AH],
    )
    attribute_speakers(doc)
    assert _speakers(doc)[1] == ("hye-won", "vocative-answer")
    second = doc.elements()[1]
    assert second.attribution is not None
    assert second.attribution.speaker_confidence == pytest.approx(0.7)


def test_two_unlabelled_calls_name_each_other() -> None:
    doc = _subs(
        [
            (None, "Min-jae-ya! Wait for me!"),
            (None, "Why are you following me, Hye-won-ah?"),
        ],
        [MIN_JAE, HYE_WON],
    )
    attribute_speakers(doc)
    assert _speakers(doc) == [("hye-won", "called-back"), ("min-jae", "vocative-answer")]
    for el in doc.elements():
        assert el.attribution is not None
        assert 0.0 < (el.attribution.speaker_confidence or 0.0) < 0.7


def test_a_call_in_a_group_talk_stays_unknown() -> None:
    # three people already in the talk: a line calling one of them after a line calling
    # another is nobody's for sure
    doc = _subs(
        [
            ("Soo-ah", "I did. Hello, Min-jae."),
            (None, "Hye-won-ah, please go home."),
            (None, "Min-jae, be nice."),
        ],
        [MIN_JAE, HYE_WON, SOO_AH],
    )
    attribute_speakers(doc)
    assert _speakers(doc)[1:] == [(None, "unknown"), (None, "unknown")]


def test_vocative_exclusion_needs_a_two_person_talk() -> None:
    # the scene's known speakers are Hye-won and Soo-ah, but Min-jae was called first:
    # the talk is not theirs alone, so a line calling Hye-won is not Soo-ah's
    doc = _subs(
        [
            ("Hye-won", "Min-jae, wait!"),
            ("Soo-ah", "Let him go."),
            (None, "Well, Hye-won, he is upset."),
        ],
        [MIN_JAE, HYE_WON, SOO_AH],
    )
    attribute_speakers(doc)
    assert _speakers(doc)[2] != ("soo-ah", "vocative-exclusion")


def test_self_reference_after_its_me_and_a_full_name_known_by_its_first_word() -> None:
    doc = _subs(
        [
            (None, "Hello? Who is this?"),
            (None, "Oppa, it's me. Hye-won."),
            (None, "I'm Min-jae Baek, from the third floor."),
        ],
        [MIN_JAE, HYE_WON],
    )
    attribute_speakers(doc)
    assert _speakers(doc) == [
        (None, "unknown"),
        ("hye-won", "self-reference"),
        ("min-jae", "self-reference"),
    ]
    third = doc.elements()[2]
    assert third.attribution is not None
    cited = [doc.source_text[s.start_char : s.end_char] for s in third.attribution.evidence]
    assert cited == ["Min-jae"]
