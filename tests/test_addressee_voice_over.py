"""The ``voice-over`` addressee rule: an on-screen speaker's V.O. that only tells is said to
no one in the scene; a V.O. that talks to someone keeps the other rules."""

from __future__ import annotations

from sceneanatomy import pipeline
from sceneanatomy.readers import read_bytes

SCRIPT = """\
INT. HOSPITAL CORRIDOR - NIGHT

Min-jae paces. Hye-won sits on a bench.

HYE-WON
Sit down. You're making me dizzy.

MIN-JAE
I can't.

MIN-JAE (V.O.)
I had waited nine months for this night, and I was not ready.

HYE-WON
They said an hour.

MIN-JAE (V.O.)
She always knew when to lie to me.

INT. OFFICE - DAY

Dae-ho holds a phone to his ear.

DAE-HO
Hello? Who is it?

SOO-AH (V.O.)
It's me. Don't hang up, you owe me that much.

DAE-HO
I'm listening.

SOO-AH (V.O.)
Meet me at the station at noon.
"""


def _decisions(text: str) -> list[tuple[str | None, str | None, str | None, str]]:
    doc = read_bytes(text.encode(), path="script.fountain")
    pipeline.run(doc, pipeline.WHO_IS_WHO)
    return [
        (
            el.speaker,
            el.addressee_id,
            el.attribution.addressee_rule if el.attribution else None,
            el.text,
        )
        for el in doc.elements()
        if el.kind == "dialogue"
    ]


def test_an_inner_voice_is_said_to_no_one() -> None:
    got = _decisions(SCRIPT)
    by_text = {t: (who, to, rule) for who, to, rule, t in got}
    inner = by_text["I had waited nine months for this night, and I was not ready."]
    assert inner[1:] == (None, "voice-over")
    assert by_text["She always knew when to lie to me."][1:] == (None, "voice-over")
    # the lines around it keep turn-taking: the two people on screen talk to each other
    assert by_text["I can't."][1] is not None
    assert by_text["They said an hour."][1] is not None


def test_a_voice_over_on_the_telephone_keeps_its_addressee() -> None:
    got = _decisions(SCRIPT)
    by_text = {t: (who, to, rule) for who, to, rule, t in got}
    # Soo-ah is never on screen in the office: her V.O. is a voice on the line
    for line in (
        "It's me. Don't hang up, you owe me that much.",
        "Meet me at the station at noon.",
    ):
        assert by_text[line][2] != "voice-over"
        assert by_text[line][1] is not None


def test_a_voice_over_that_asks_or_answers_is_not_narration() -> None:
    text = SCRIPT.replace(
        "I had waited nine months for this night, and I was not ready.",
        "Would you even notice if I left?",
    )
    by_text = {t: (to, rule) for _, to, rule, t in _decisions(text)}
    assert by_text["Would you even notice if I left?"][1] != "voice-over"
