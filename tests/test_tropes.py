"""Tropes: the catalogue, detection as relations over characters, variants, consent, audience."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sceneanatomy.analysis.relationships import analyse
from sceneanatomy.analysis.tropes import (
    CatalogueError,
    build_catalogue,
    default_path,
    detect_tropes,
    inflect,
    load_catalogue,
    romance_trope_ids,
)
from sceneanatomy.errors import ParseError
from sceneanatomy.model import Character, Document, LineIndex, Relationship, TropeHit
from sceneanatomy.names import slugify
from sceneanatomy.readers import read_bytes, read_path
from sceneanatomy.render.tropes import trope_dict, tropes_dict, tropes_table

EXAMPLES = Path(str(resources.files("sceneanatomy") / "examples"))


# ----------------------------------------------------------------------------- helpers


def prose(text: str, cast: list[tuple[str, str]]) -> Document:
    """A prose document with a given cast (the characters stage is tested elsewhere)."""
    doc = read_bytes(text.encode(), fmt="prose")
    doc.characters = [Character(id=slugify(n), name=n, aliases=[n], gender=g) for n, g in cast]
    return detect_tropes(doc)


def full(text: str, fmt: str) -> Document:
    """The whole people chain (characters → ... → ledger), then tropes."""
    doc = read_bytes(text.encode(), fmt=fmt)
    analyse(doc)
    return detect_tropes(doc)


def hits(doc: Document, trope_id: str | None = None) -> list[TropeHit]:
    return [h for s in doc.scenes for h in s.tropes if trope_id is None or h.id == trope_id]


def one(doc: Document, trope_id: str) -> TropeHit:
    found = hits(doc, trope_id)
    assert len(found) == 1, (trope_id, [(h.id, h.roles) for h in hits(doc)])
    return found[0]


def evidence_text(doc: Document, hit: TropeHit) -> str:
    return " | ".join(s.text(doc.source_text) for s in hit.evidence)


BOY_GIRL = [("Ji-ho", "male"), ("Seo-yeon", "female")]


# ----------------------------------------------------------------------------- catalogue


def test_catalogue_has_the_45_tropes_with_every_field() -> None:
    cat = load_catalogue()
    ids = [t.id for t in cat.tropes]
    assert len(ids) == len(set(ids)) == 46  # the 45 of the research list + shipping
    for t in cat.tropes:
        assert t.name and t.definition and t.roles and t.patterns and t.conditions, t.id
        assert t.category in ("in-story", "audience")
        assert t.cues, t.id
    coercive = {t.id for t in cat.tropes if t.consent}
    assert "wall-pin" in coercive
    assert {t.id for t in cat.tropes if t.category == "audience"} == {
        "second-lead-syndrome",
        "shipping",
    }
    for needed in ("near-kiss", "oblivious-to-love", "second-lead", "love-triangle", "kiss"):
        assert needed in ids


def test_catalogue_names_no_story() -> None:
    """The catalogue is generic: no character, show or line of any evaluation text."""
    text = default_path().read_text(encoding="utf-8").lower()
    for word in (
        "seo jun",
        "seojun",
        "ju gyeong",
        "suho",
        "true beauty",
        "i'm a man",
        "photoshoot",
    ):
        assert word not in text


def test_catalogue_errors_name_the_problem() -> None:
    base = {"schema": "scene-anatomy-tropes/1", "cue_sets": {}, "tropes": []}

    def trope(**kw: object) -> dict[str, object]:
        t: dict[str, object] = {
            "id": "x",
            "name": "X",
            "definition": "d",
            "roles": ["agent"],
            "patterns": [{"match": "hug~ <agent>"}],
        }
        t.update(kw)
        return t

    assert build_catalogue({**base, "tropes": [trope()]}).tropes[0].id == "x"
    with pytest.raises(CatalogueError, match="unknown cue set @nope"):
        build_catalogue({**base, "tropes": [trope(patterns=[{"match": "@nope"}])]})
    with pytest.raises(CatalogueError, match="not one of the trope's roles"):
        build_catalogue({**base, "tropes": [trope(patterns=[{"match": "hug~ <victim>"}])]})
    with pytest.raises(CatalogueError, match="category"):
        build_catalogue({**base, "tropes": [trope(category="meta")]})
    with pytest.raises(CatalogueError, match="duplicate id"):
        build_catalogue({**base, "tropes": [trope(), trope()]})
    with pytest.raises(CatalogueError, match="units must be"):
        build_catalogue({**base, "tropes": [trope(patterns=[{"match": "a", True: "speech"}])]})
    with pytest.raises(CatalogueError, match="schema"):
        build_catalogue({"tropes": []})


def test_inflect() -> None:
    assert inflect("pin") == {"pin", "pins", "pinned", "pinning"}
    assert {"backs", "backed", "backing"} <= inflect("back")
    assert {"pushes", "pushed"} <= inflect("push")
    assert {"carries", "carried"} <= inflect("carry")
    assert {"ties", "tied", "tying"} <= inflect("tie")
    assert {"leans", "leaned", "leaning"} <= inflect("lean")
    assert "goes" in inflect("go")


# ----------------------------------------------------------------------------- wall pin


def test_wall_pin_in_a_screenplay_action_line() -> None:
    doc = full(
        """INT. SCHOOL HALLWAY - NIGHT

MIN-JAE (17) and HYE-WON (17) face each other by the lockers.

HYE-WON
Why are you following me?

MIN-JAE
Because you keep avoiding me.

Min-jae pins Hye-won against the lockers, his face inches from hers.
""",
        "fountain",
    )
    h = one(doc, "wall-pin")
    assert h.roles == {"agent": "min-jae", "patient": "hye-won"}
    assert h.consent_flag and h.consent_note and "coercive" in h.consent_note
    assert h.variant == "straight" and h.category == "in-story"
    assert "pins Hye-won against the lockers" in evidence_text(doc, h)


def test_wall_pin_in_prose_with_pronouns() -> None:
    doc = prose(
        "Ji-ho is a quiet boy. Seo-yeon is the class president, and she never looks at him.\n\n"
        "After school Ji-ho follows Seo-yeon into the empty music room. "
        "He backs her against the wall and leans in close. She holds her breath.\n",
        BOY_GIRL,
    )
    h = one(doc, "wall-pin")
    assert h.roles == {"agent": "ji-ho", "patient": "seo-yeon"}
    assert evidence_text(doc, h) == "He backs her against the wall and leans in close."
    assert h.evidence[0].start_line == 3
    assert h.consent_flag


def test_a_sofa_pin_is_a_wall_pin() -> None:
    doc = prose(
        "Dong-hoon is an actor and he is tired. Mi-rae is his stylist; she laughs at him.\n\n"
        "In the dressing room, Dong-hoon pushes Mi-rae back onto the sofa and hovers over "
        "her, close enough to feel her breath.\n",
        [("Dong-hoon", "male"), ("Mi-rae", "female")],
    )
    h = one(doc, "wall-pin")
    assert h.roles == {"agent": "dong-hoon", "patient": "mi-rae"}


def test_the_same_verbs_with_nobody_pinned_do_not_fire() -> None:
    doc = prose(
        "Ji-ho is tired and he wants to go home. Seo-yeon waits for her bus; she loves him.\n\n"
        "Ji-ho leans against the wall. Seo-yeon presses her back against the door and sighs. "
        "He pushes the door open and she follows him outside.\n",
        BOY_GIRL,
    )
    assert hits(doc, "wall-pin") == []


def test_a_violent_pin_is_not_a_wall_pin() -> None:
    doc = prose(
        "Detective Kang is a veteran and he hates paperwork. Min-ho is a suspect; he is nervous.\n\n"
        "Detective Kang pins Min-ho against the car and cuffs him, his face inches from his.\n",
        [("Detective Kang", "male"), ("Min-ho", "male")],
    )
    assert hits(doc, "wall-pin") == []


# ----------------------------------------------------------------------------- near-kiss


def test_near_kiss_interrupted() -> None:
    doc = prose(
        "Ji-ho likes Seo-yeon, but he has never told her.\n\n"
        "On the rooftop, Ji-ho leans toward her lips. Her phone rings, and Seo-yeon pulls away.\n",
        BOY_GIRL,
    )
    h = one(doc, "near-kiss")
    assert h.roles == {"agent": "ji-ho", "patient": "seo-yeon"}
    assert not h.consent_flag
    text = evidence_text(doc, h)
    assert "leans toward her lips" in text and "phone rings" in text
    assert hits(doc, "kiss") == []


def test_a_completed_kiss_is_a_kiss_not_a_near_kiss() -> None:
    doc = prose(
        "Ji-ho likes Seo-yeon, and she likes him too.\n\n"
        "On the rooftop, Ji-ho leans toward her lips and kisses her.\n",
        BOY_GIRL,
    )
    assert hits(doc, "near-kiss") == []
    assert one(doc, "kiss").roles == {"agent": "ji-ho", "patient": "seo-yeon"}


# ----------------------------------------------------------------------------- variants


TAE_NA = [("Tae-oh", "male"), ("Na-ri", "female")]
SETUP = (
    "Tae-oh is the star swimmer and he is used to getting his way. Na-ri has had a crush on "
    "him for years, and she is tired of waiting.\n\n"
)


def test_subverted_only_when_the_text_says_so() -> None:
    doc = prose(SETUP + "This time she pins him against the lockers instead.\n", TAE_NA)
    h = one(doc, "wall-pin")
    assert h.variant == "subverted"
    assert h.roles == {"agent": "na-ri", "patient": "tae-oh"}  # roles reversed
    plain = prose(SETUP + "She pins him against the lockers.\n", TAE_NA)
    h2 = one(plain, "wall-pin")
    assert h2.roles == {"agent": "na-ri", "patient": "tae-oh"}
    assert h2.variant == "straight"  # a reversal nobody calls one stays straight


def test_parodied() -> None:
    doc = prose(
        "Bo-ra is a drama writer and she loves clichés. Kang-woo is her grumpy co-writer.\n\n"
        "In a parody of every K-drama, Bo-ra pins Kang-woo against the office wall while he "
        "rolls his eyes.\n",
        [("Bo-ra", "female"), ("Kang-woo", "male")],
    )
    h = one(doc, "wall-pin")
    assert h.variant == "parodied"
    assert h.roles == {"agent": "bo-ra", "patient": "kang-woo"}


# ----------------------------------------------------------------------------- consent


JUN_EUN = [("Jun-ho", "male"), ("Eun-bi", "female")]


def test_consent_flags_on_coercive_moves_only() -> None:
    forced = prose(
        "Jun-ho is a spoiled heir. Eun-bi works in the cafe and she despises him.\n\n"
        "Jun-ho forcibly kisses Eun-bi in the storeroom.\n",
        JUN_EUN,
    )
    k = one(forced, "kiss")
    assert k.consent_flag and k.attrs["type"] == "forced" and k.consent_note
    drag = prose(
        "Jun-ho is a spoiled heir. Eun-bi is his ex-girlfriend and she is dancing.\n\n"
        "Jun-ho grabs her wrist and drags her out of the party.\n",
        JUN_EUN,
    )
    g = one(drag, "wrist-grab")
    assert g.consent_flag and g.attrs["type"] == "drag"
    assert g.roles == {"agent": "jun-ho", "patient": "eun-bi"}
    stop = prose(
        "Jun-ho is a quiet heir. Eun-bi is his secretary and she is in love with him.\n\n"
        "Eun-bi turns to leave. Jun-ho grabs her wrist.\n",
        JUN_EUN,
    )
    s = one(stop, "wrist-grab")
    assert not s.consent_flag and s.consent_note is None
    gentle = prose(
        "Jun-ho loves Eun-bi and she loves him.\n\nJun-ho kisses Eun-bi gently.\n", JUN_EUN
    )
    assert not one(gentle, "kiss").consent_flag


# ----------------------------------------------------------------------------- controls


def test_negative_control_no_romance_no_romance_tropes() -> None:
    doc = prose(
        "Detective Kang is a veteran officer and he hates paperwork. Min-ho is his new "
        "partner; he is nervous. Grandma Oh runs the noodle shop below the station.\n\n"
        "Detective Kang pins the suspect against the car and cuffs him. Min-ho leans against "
        "the wall and writes in his notebook. Kang grabs Min-ho's arm and pulls him back "
        "toward the station. Grandma Oh hugs Min-ho from behind when he gets home, and he "
        "carries her shopping up the stairs. She rests her head on his shoulder for a moment.\n",
        [("Detective Kang", "male"), ("Min-ho", "male"), ("Grandma Oh", "female")],
    )
    romance = romance_trope_ids()
    assert [h.id for h in hits(doc) if h.id in romance] == []


def test_audience_terms_are_kept_apart() -> None:
    doc = prose(
        "Ha-eun is a lawyer and she works too much. Seojun is her childhood friend; he runs a "
        "bakery. Do-yoon is her new boss.\n\n"
        "This week Do-yoon finally kisses Ha-eun in the rain. Fans of Team Seojun are crushed, "
        "and second lead syndrome is trending again.\n",
        [("Ha-eun", "female"), ("Seojun", "male"), ("Do-yoon", "male")],
    )
    assert {h.category for h in hits(doc)} == {"in-story"}
    assert one(doc, "kiss").roles == {"agent": "do-yoon", "patient": "ha-eun"}
    aud = doc.audience_tropes
    assert [h.id for h in aud] == ["second-lead-syndrome"]
    assert aud[0].category == "audience" and aud[0].roles == {"favoured": "seojun"}
    assert {"Team Seojun", "second lead syndrome"} <= {
        w
        for s in aud[0].evidence
        for w in ("Team Seojun", "second lead syndrome")
        if w in s.text(doc.source_text)
    }
    data = tropes_dict(doc)
    assert [t["id"] for t in data["audience"]] == ["second-lead-syndrome"]
    assert all(t["category"] == "in-story" for s in data["scenes"] for t in s["tropes"])


# ----------------------------------------------------------------------------- other tropes


def test_confession_in_subtitles_english_and_korean() -> None:
    for name in ("rooftop-confession.srt", "rooftop-confession.ko.srt"):
        doc = read_path(EXAMPLES / name)
        analyse(doc)
        detect_tropes(doc)
        h = one(doc, "confession")
        names = {doc.character(cid).name.lower() for cid in h.roles.values()}  # type: ignore[union-attr]
        assert len(names) == 2, names
        assert h.roles["agent"] != h.roles["patient"]


def test_love_triangle_and_derived_second_lead_without_the_ledger() -> None:
    doc = prose(
        "Hana's classmates Minho and Taeyang fall for her. In the end Hana chooses Minho.\n",
        [("Hana", "female"), ("Minho", "male"), ("Taeyang", "male")],
    )
    tri = one(doc, "love-triangle")
    assert tri.roles["beloved"] == "hana"
    assert {tri.roles["suitor"], tri.roles["suitor_2"]} == {"minho", "taeyang"}
    sl = one(doc, "second-lead")
    assert sl.roles == {"second_lead": "taeyang", "lead": "minho", "beloved": "hana"}
    assert sl.rule == "triangle-choice"


def test_second_lead_and_triangle_from_the_ledger() -> None:
    text = "Hana smiles. Minho waits. Taeyang waits too.\n"
    doc = prose(text, [("Hana", "female"), ("Minho", "male"), ("Taeyang", "male")])
    assert hits(doc) == []
    lix = LineIndex(doc.source_text)
    span = lix.span(0, 12)
    doc.relationships = [
        Relationship("minho", "hana", "romantic", "yes", "stated", [span], confidence=0.8),
        Relationship("hana", "minho", "romantic", "yes", "stated", [span], confidence=0.8),
        Relationship(
            "taeyang",
            "hana",
            "romantic",
            "no",
            "stated",
            [span],
            confidence=0.8,
            requited_evidence=[lix.span(13, 25)],
        ),
    ]
    detect_tropes(doc)
    sl = one(doc, "second-lead")
    assert sl.roles == {"second_lead": "taeyang", "lead": "minho", "beloved": "hana"}
    assert sl.rule == "ledger" and sl.evidence
    tri = one(doc, "love-triangle")
    assert tri.roles == {"suitor": "minho", "suitor_2": "taeyang", "beloved": "hana"}
    assert one(doc, "unrequited-love").roles == {"lover": "taeyang", "beloved": "hana"}


def test_a_few_more_relations() -> None:
    doc = prose(
        "Ji-ho has loved Seo-yeon since middle school.\n\n"
        "Seo-yeon falls asleep on his shoulder on the bus. Later Ji-ho carries her on his back "
        "up the hill. She doesn't notice his feelings at all.\n",
        BOY_GIRL,
    )
    assert one(doc, "head-on-shoulder").roles == {"leaner": "seo-yeon", "support": "ji-ho"}
    assert one(doc, "piggyback").roles == {"carrier": "ji-ho", "passenger": "seo-yeon"}
    obl = one(doc, "oblivious-to-love")
    assert obl.roles == {"experiencer": "seo-yeon", "suitor": "ji-ho"}


# ----------------------------------------------------------------------------- evaluation texts


def test_bundled_fountain_example_yields_wall_pin_and_near_kiss() -> None:
    doc = read_path(EXAMPLES / "sofa-scene.fountain")
    analyse(doc)
    detect_tropes(doc)
    found = {h.id: h for h in hits(doc)}
    assert {"wall-pin", "near-kiss"} <= set(found)
    pin = found["wall-pin"]
    assert pin.consent_flag
    seo = next(c.id for c in doc.characters if "seo jun" in c.name.lower())
    ju = next(c.id for c in doc.characters if "ju gyeong" in c.name.lower())
    assert pin.roles == {"agent": seo, "patient": ju}
    assert found["near-kiss"].roles == {"agent": seo, "patient": ju}
    table = tropes_table(doc)
    assert "Wall pin" in table and "consent:" in table
    # the ledger reads his implied, one-sided love from the behaviour (issue 5, defect 1)
    assert found["unrequited-love"].roles == {"lover": seo, "beloved": ju}
    assert not [r for r in doc.relationships if r.kind == "other"]  # no "director likes her"


PARTY_KISS = """\
INT. OFFICE PARTY - NIGHT

Min-su, a tired man, walks through the crowd. A WOMAN kisses him. He grins.

WOMAN
Merry Christmas!

MIN-SU
Uh, thanks.

INT. CAR - NIGHT

Min-su, a tired man, drives. Eun-ji, his wife, sits beside him. She kisses him. He kisses her back.

EUN-JI
Let's go home.

MIN-SU
Home.
"""


def test_a_strangers_kiss_is_a_kiss_not_a_love_triangle() -> None:
    doc = full(PARTY_KISS, "fountain")
    ids = {h.id for h in hits(doc)}
    assert "kiss" in ids
    assert not ids & {"love-triangle", "second-lead", "unrequited-love"}


def test_seed_article(shared_dir: Path) -> None:
    path = shared_dir / "seed" / "anatomy-of-a-kdrama-scene.txt"
    if not path.is_file():
        pytest.skip("the seed article is not present")
    doc = read_path(path)
    analyse(doc)
    detect_tropes(doc)
    by = {h.id: h for h in hits(doc)}
    pin = by["wall-pin"]
    assert pin.consent_flag
    assert pin.roles == {"agent": "han-seo-jun", "patient": "im-ju-gyeong"}
    assert "sofa" in evidence_text(doc, pin)
    assert by["near-kiss"].roles == {"agent": "han-seo-jun", "patient": "im-ju-gyeong"}
    obl = by["oblivious-to-love"]
    assert obl.roles["experiencer"] == "im-ju-gyeong"
    assert obl.roles.get("suitor") == "han-seo-jun"
    assert by["second-lead"].roles["second_lead"] == "han-seo-jun"
    assert by["love-triangle"].roles["beloved"] == "im-ju-gyeong"
    assert by["unrequited-love"].roles == {"lover": "han-seo-jun", "beloved": "im-ju-gyeong"}
    assert doc.audience_tropes == []


# ----------------------------------------------------------------------------- output


def test_json_and_spans() -> None:
    doc = prose(
        "Ji-ho likes Seo-yeon.\r\n\r\nOn the rooftop, Ji-ho leans toward her lips. "
        "Her phone rings.\r\n",
        BOY_GIRL,
    )
    h = one(doc, "near-kiss")
    d = trope_dict(doc, h)
    assert {"id", "name", "variant", "consent_flag", "evidence"} <= set(d)
    for s in d["evidence"]:
        assert doc.source_text[s["start_char"] : s["end_char"]] == s["text"]
        assert s["start_line"] == doc.source_text.count("\n", 0, s["start_char"]) + 1
    json.dumps(tropes_dict(doc))
    again = detect_tropes(doc)
    assert [trope_dict(again, x) for x in hits(again)] == [trope_dict(doc, x) for x in hits(doc)]


def test_no_characters_no_tropes() -> None:
    doc = read_bytes(b"He backs her against the wall and kisses her.\n", fmt="prose")
    detect_tropes(doc)
    assert hits(doc) == [] and doc.audience_tropes == []


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Ji-ho",
                "Seo-yeon",
                "he",
                "she",
                "her",
                "him",
                "pins",
                "backs",
                "against",
                "the wall",
                "leans toward",
                "lips",
                "kisses",
                "instead",
                "parody",
                "Team",
                "second lead",
                "and",
                ".",
                ",",
                '"I like you"',
                "\n\n",
            ]
        ),
        max_size=40,
    )
)
def test_any_text_gives_a_document(words: list[str]) -> None:
    text = " ".join(words)
    try:
        doc = read_bytes(text.encode(), fmt="prose")
    except ParseError:
        return
    doc.characters = [Character(id=slugify(n), name=n, aliases=[n], gender=g) for n, g in BOY_GIRL]
    detect_tropes(doc)
    for h in [*hits(doc), *doc.audience_tropes]:
        assert h.evidence and set(h.roles.values()) <= {"ji-ho", "seo-yeon"}
        for s in h.evidence:
            assert 0 <= s.start_char < s.end_char <= len(doc.source_text)
