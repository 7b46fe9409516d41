"""Who is who in prose recaps: gender votes, actors, quotes, "-ah" given names, quote
speakers and addressees (bug-bash cases; every text invented here)."""

from __future__ import annotations

from sceneanatomy import pipeline
from sceneanatomy.analysis.characters import find_characters
from sceneanatomy.model import Character, Document, ElementKind
from sceneanatomy.names import name_key, strip_suffixes
from sceneanatomy.readers import read_bytes
from test_attribution import _prose  # the same three people, the same stage


def _chars(text: str) -> Document:
    return find_characters(read_bytes(text.encode(), fmt="prose"), nlp="rules")


def _by_name(doc: Document) -> dict[str, Character]:
    return {c.name: c for c in doc.characters}


def _find(doc: Document, alias: str) -> Character:
    """The character that has ``alias`` among its aliases."""
    (c,) = [c for c in doc.characters if alias in c.aliases]
    return c


def _votes(c: Character) -> dict[str, int]:
    return c.attrs.get("gender_votes") or {"female": 0, "male": 0}


# --- gender votes ---------------------------------------------------------------------


def test_a_pronoun_just_inside_a_quote_is_no_narration() -> None:
    doc = _chars(
        "Do Ha-neul (Ahn Tae-min) runs the bakery with Baek Ji-woo (Kim Se-ra).\n\n"
        'Ha-neul shakes his head. "She is going to leave for Paris anyway."\n'
    )
    c = _find(doc, "Ha-neul")
    assert _votes(c)["female"] == 0
    assert c.gender == "male"


def test_the_object_of_tells_is_not_the_antecedent_of_a_later_pronoun() -> None:
    doc = _chars(
        "Tom Brennan walks into the diner. Maggie Doyle comes out of the kitchen. "
        "She tells Tom to leave before she calls the sheriff.\n"
    )
    tom = _find(doc, "Tom")
    assert _votes(tom)["female"] == 0
    assert tom.gender == "unknown"
    # the inversion after a quote still makes the named one the speaker
    doc = _chars('"We are closed," says Clara Brennan, and she turns away.\n')
    assert _find(doc, "Clara Brennan").gender == "female"


def test_an_object_her_leaves_the_next_she_to_someone_else() -> None:
    doc = _chars(
        "Walter Brennan sits on the hospital bed. Dr. Anita Rao reads the chart.\n\n"
        'Walter asks her, "How long?" She does not answer right away.\n'
    )
    assert _votes(_find(doc, "Walter"))["female"] == 0


def test_a_sentence_opening_he_counts_when_someone_else_is_named_after_it() -> None:
    doc = _chars(
        "Jang Seul-gi and Kang Dong-hyun wait in the office.\n\n"
        "Director Choi is furious. He slams the contract down in front of Seul-gi.\n"
    )
    choi = next(c for c in doc.characters if "Director Choi" in c.aliases)
    assert choi.gender == "male"
    assert _votes(_by_name(doc)["Jang Seul-gi"])["male"] == 0


def test_a_short_lead_in_and_a_possessive_open_a_sentence_too() -> None:
    doc = _chars(
        "Martin Hale (Peter Vance) has kept quiet for two episodes. Tonight, he talks.\n\n"
        "Judith Hale (Nora Bell) arrives late, furious that nobody called her. Her son "
        "Owen Hale waits outside.\n"
    )
    assert _find(doc, "Martin Hale").gender == "male"
    assert _find(doc, "Judith Hale").gender == "female"


# --- actors and quotes ----------------------------------------------------------------


def test_played_by_in_parentheses_records_the_actor() -> None:
    doc = _chars(
        "Kevin Marsh (played by Daniel Oyelaran) shows up at the end, and Tom Brennan "
        "punches him.\n"
    )
    chars = _by_name(doc)
    assert chars["Kevin Marsh"].actors == ["Daniel Oyelaran"]
    assert "Daniel Oyelaran" not in chars


def test_a_name_only_inside_a_prose_quote_is_no_character() -> None:
    doc = _chars(
        'Tom Brennan orders coffee. "We are closed," Clara Brennan says.\n\n'
        '"Sign says open," Tom replies.\n'
    )
    names = set(_by_name(doc))
    assert "Sign" not in names
    assert {"Tom", "Clara Brennan"} <= names
    # a name called inside a quote with a vocative suffix still counts
    doc = _chars('Min-jae Oh waits outside.\n\n"Hye-won-ah, come out!" Min-jae shouts.\n')
    assert any("Hye-won-ah" in c.aliases for c in doc.characters)


# --- given names ending in "-ah" ------------------------------------------------------


def test_one_vocative_particle_per_name() -> None:
    assert strip_suffixes("Kang Min-ah-ya") == ("Kang Min-ah", "ya")
    assert strip_suffixes("Min-ah-ya") == ("Min-ah", "ya")
    assert strip_suffixes("Ju Gyeong-ah") == ("Ju Gyeong", "ah")
    assert name_key("Kang Min-ah-ya", True).key == "k:kang|minah"
    assert "g:minah" in name_key("Kang Min-ah-ya", True).shorts


def test_a_given_name_written_alone_with_ah_keeps_it_in_the_full_name() -> None:
    doc = _chars(
        "Jang Tae-oh (Lim Kyu-bin) and Kang Min-ah are the couple everyone roots for.\n\n"
        "Min-ah is waiting at the bus stop when Tae-oh pulls up. Min-ah's brother Kang "
        "Dong-hyun waves.\n"
    )
    chars = _by_name(doc)
    assert "Kang Min" not in chars
    assert {"Kang Min-ah", "Min-ah"} <= set(chars["Kang Min-ah"].aliases)
    assert chars["Kang Min-ah"].id == "kang-min-ah"
    # without "Min-ah" alone, "-ah" after a full name stays a vocative particle
    doc = _chars(
        "Im Ju Gyeong and Han Seo Jun share a sofa.\n\n"
        '"Ju Gyeong-ah, look here," Seo Jun says. Ju Gyeong looks.\n'
    )
    jg = _by_name(doc)["Im Ju Gyeong"]
    assert "Ju Gyeong-ah" in jg.aliases


# --- quote speakers and addressees ----------------------------------------------------


def _lines(doc: Document) -> list[tuple[str, str | None, str | None]]:
    out = []
    for el in doc.elements():
        if el.kind == ElementKind.DIALOGUE:
            assert el.attribution is not None
            out.append((el.text, el.speaker_id, el.addressee_id))
    return out


def test_the_object_after_a_quote_is_addressed() -> None:
    doc = _prose('Kang Tae-oh stands at the door.\n\n"I like you," Tae-oh tells Ha-neul.\n')
    assert _lines(doc) == [("I like you", "kang-tae-oh", "do-ha-neul")]
    assert doc.elements()[-1].attribution.addressee_rule == "said-to"  # type: ignore[union-attr]


def test_a_speech_verb_opening_the_next_sentence_after_a_question() -> None:
    doc = _prose('Tae-oh waits by the car.\n\n"Do you know this woman?" Ha-neul asks.\n')
    ((_, speaker, _),) = _lines(doc)
    assert speaker == "do-ha-neul"
    (quote,) = [el for el in doc.elements() if el.kind == ElementKind.DIALOGUE]
    assert quote.attribution is not None
    assert quote.attribution.speaker_rule == "said-verb-after"


def test_a_quote_calling_the_previous_subject_is_not_theirs() -> None:
    doc = _prose('Ha-neul hesitates. "Ha-neul-ah, just get on."\n')
    ((_, speaker, _),) = _lines(doc)
    assert speaker is None
    assert doc.elements()[-1].attribution.speaker_rule == "unknown"  # type: ignore[union-attr]


def test_the_object_of_the_sentence_before_is_addressed() -> None:
    doc = _prose('Jin-woo asks Ha-neul for advice. "How do I talk to her?"\n')
    assert _lines(doc) == [("How do I talk to her?", "jin-woo", "do-ha-neul")]


def test_a_turn_said_to_someone_goes_on_to_them() -> None:
    doc = read_bytes(
        b"Kang Tae-oh (Lim Kyu-bin) waits on the roof for Do Ha-neul (Seo Yoo-ri). "
        b"Jin-woo watches from the door.\n\n"
        b'"Go home," Jin-woo says.\n\n'
        b'"I like you," Tae-oh tells Ha-neul. "I always have," he adds.\n',
        fmt="prose",
    )
    pipeline.run(doc, until="addressee", nlp="rules")
    lines = _lines(doc)
    assert lines[1] == ("I like you", "kang-tae-oh", "do-ha-neul")
    assert lines[2][1:] == ("kang-tae-oh", "do-ha-neul")


# --- love-line sentences --------------------------------------------------------------


def test_a_title_abbreviation_ends_no_sentence() -> None:
    from sceneanatomy.analysis.relationships import _sentences

    text = "Mrs. Brennan, Walter's wife Eileen, arrives late. Dr. Rao sighs."
    assert [text[a:b] for a, b in _sentences(text, 0)] == [
        "Mrs. Brennan, Walter's wife Eileen, arrives late.",
        "Dr. Rao sighs.",
    ]


def test_the_owner_of_a_possessive_is_not_the_subject_who_has_a_crush() -> None:
    doc = read_bytes(
        b"Jang Tae-oh (Lim Kyu-bin) waits for Kang Min-ah (Oh Ye-jin) at the bus stop. "
        b"Jang Seul-gi (Choi Na-rae) watches them.\n\n"
        b"Meanwhile, Min-ah's younger brother Kang Dong-hyun has a crush on Seul-gi. "
        b"Dong-hyun asks Min-ah for advice.\n",
        fmt="prose",
    )
    pipeline.run(doc, preset="ledger", nlp="rules")
    ids = {c.id for c in doc.characters}
    assert {"kang-min-ah", "kang-dong-hyun", "jang-seul-gi"} <= ids
    crushes = {(r.from_id, r.to_id) for r in doc.relationships if r.kind == "romantic"}
    assert ("kang-dong-hyun", "jang-seul-gi") in crushes
    assert ("kang-min-ah", "jang-seul-gi") not in crushes


def test_a_row_of_share_buttons_is_page_furniture() -> None:
    doc = read_bytes(
        b"Episode 3 recap: the rooftop\n\nShare on Facebook | Share on X | Copy link\n\n"
        b"Tae-oh waits on the roof. Nobody comes.\n",
        fmt="prose",
    )
    assert any("Copy link" in el.text for el in doc.furniture)
    assert not any("Copy link" in el.text for el in doc.elements())
    # a line that only mentions sharing is narration
    doc = read_bytes(
        b"Recap\n\nTae-oh | Min-ah | the share of the rent\n\nTae-oh waits.\n", fmt="prose"
    )
    assert not any(el.attrs.get("furniture") == "share" for el in doc.furniture)


def test_a_surname_with_an_honorific_joins_its_full_name_and_terms_are_nobody() -> None:
    doc = _chars(
        "Dr. Park Ji-hoon (Kim Do-yun) and Nurse Yoon Hae-rin (Lee Bo-ra) work nights.\n\n"
        'Hae-rin calls him "Park-ssi" in front of everyone. "Sunbae-nim," she adds.\n'
    )
    assert "Park-ssi" in _find(doc, "Park Ji-hoon").aliases
    assert not any("Sunbae" in a for c in doc.characters for a in c.aliases)
    assert name_key("Park-ssi", True).key == "t:park"
    assert name_key("Park-ssi", False).key == "g:park"  # not in a Western document
    # two full names with that surname: the surname form stays apart
    doc = _chars(
        "Park Ji-hoon (Kim Do-yun) and Park Min-seo (Lee Bo-ra) are cousins.\n\n"
        'Hae-rin calls one of them "Park-ssi".\n'
    )
    assert "Park-ssi" not in _find(doc, "Park Ji-hoon").aliases
    assert "Park-ssi" not in _find(doc, "Park Min-seo").aliases
