"""The relationship ledger: edges with evidence, requited / basis, per-scene deltas, love lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sceneanatomy.analysis.characters import resolve_name
from sceneanatomy.analysis.relationships import (
    analyse,
    ledger_after,
    ledger_series,
    love_line_roles,
    order_episodes,
    series_of,
)
from sceneanatomy.cli import cli
from sceneanatomy.model import Document, Relationship
from sceneanatomy.readers import read_bytes
from sceneanatomy.render.ledger import ledger_dict, ledger_table

CONFESSION = """\
Title: Spring Rain

INT. SCHOOL ROOFTOP - NIGHT

Min-jae, a lanky boy, waits by the railing. Hye-won, a shy girl, walks in. She holds two cans of coffee.

MIN-JAE
Hye-won-ah. I need to tell you something.

HYE-WON
What is it?

MIN-JAE
I like you, Hye-won. I have liked you since the first day of school.

HYE-WON
I'm sorry, Min-jae. My heart belongs to Do-hyun.

Min-jae nods slowly. He forces a smile.

INT. CAFE - DAY

Do-hyun, a quiet boy, sits across from Hye-won. He takes her hand.

DO-HYUN
I love you, Hye-won.

HYE-WON
I love you too.

She kisses him.
"""

NO_ROMANCE = """\
INT. OFFICE - DAY

Jisoo, a project manager, slams a folder on Taemin's desk.

JISOO
The report was due yesterday, Taemin. Yesterday!

TAEMIN
I know. The client changed the numbers again.

JISOO
Then you call them. I'm not covering for you this time. I hate deadlines.

Taemin sighs and opens his laptop. Jisoo storms back to her desk.

INT. KIM FAMILY KITCHEN - NIGHT

Mother sets a pot of stew on the table. Jisoo and her brother Minho sit down.

MOTHER
Eat before it gets cold.

MINHO
Mom, can I have the car this weekend?

MOTHER
Ask your father. And hug your sister, you two fought all week.

Jisoo laughs and passes Minho the rice. Minho hugs her.
"""

PROSE = """\
Mina, a quiet girl, draws in class. Jun, a tall boy, sits behind her. Tae-o, a new boy, sits by the window. Min-ho, a cheerful boy, sits in front.

Mina and her classmate Jun walk home after school. Jun has a crush on Mina, but he never tells her.

At the bus stop, Jun leans in to kiss Mina. Mina turns away. Jun realises his feelings are one-sided.

Later, Mina's classmates Tae-o and Min-ho fall for her. Mina chooses Tae-o over Min-ho.

Tae-o kisses Mina. Mina kisses him back. Min-ho is jealous of Tae-o.
"""


def run(text: str, fmt: str) -> Document:
    return analyse(read_bytes(text.encode(), path=None, fmt=fmt))


def cid(doc: Document, name: str) -> str:
    found = resolve_name(doc, name)
    assert found is not None, f"{name} not among {[c.name for c in doc.characters]}"
    return found


def edge(doc: Document, a: str, b: str, kind: str = "romantic") -> Relationship | None:
    ia, ib = cid(doc, a), cid(doc, b)
    return next(
        (r for r in doc.relationships if (r.from_id, r.to_id, r.kind) == (ia, ib, kind)), None
    )


def assert_spans_exact(doc: Document) -> None:
    src = doc.source_text
    for r in doc.relationships:
        assert r.evidence, r
        for s in [*r.evidence, *r.requited_evidence]:
            text = src[s.start_char : s.end_char]
            assert text.strip()
            assert src.count("\n", 0, s.start_char) + 1 == s.start_line
            assert s.text(src) == text
        assert r.from_id != r.to_id
        assert {r.from_id, r.to_id} <= {c.id for c in doc.characters}
        assert r.kind in ("romantic", "platonic", "family", "rivalry", "other")
        assert r.requited in ("yes", "no", "unknown")
        assert r.basis in ("stated", "implied")


# ------------------------------------------------------------------------ the seed article


@pytest.fixture(scope="module")
def seed(shared_dir: Path) -> Document:
    path = shared_dir / "seed" / "anatomy-of-a-kdrama-scene.txt"
    if not path.is_file():
        pytest.skip("seed article absent")
    return analyse(read_bytes(path.read_bytes(), path=str(path)))


def test_seed_second_lead_loves_one_sidedly(seed: Document) -> None:
    r = edge(seed, "Seo Jun", "Ju Gyeong")
    assert r is not None
    assert (r.requited, r.basis) == ("no", "stated")
    texts = " ".join(s.text(seed.source_text) for s in r.evidence)
    assert "one-sided feelings" in texts
    assert any("never love him" in s.text(seed.source_text) for s in r.requited_evidence)


def test_seed_lead_couple(seed: Document) -> None:
    suho = edge(seed, "Suho", "Ju Gyeong")
    back = edge(seed, "Ju Gyeong", "Suho")
    assert suho is not None and back is not None
    assert suho.requited == back.requited == "yes"
    assert back.basis == "stated"
    assert any("chooses" in s.text(seed.source_text) for s in back.evidence)
    # nothing invented: she never loves Seo Jun
    assert edge(seed, "Ju Gyeong", "Seo Jun") is None


def test_seed_love_triangle_and_roles(seed: Document) -> None:
    line = seed.attrs["love_line"]
    jg, sj, suho = cid(seed, "Ju Gyeong"), cid(seed, "Seo Jun"), cid(seed, "Suho")
    (tri,) = line["triangles"]
    assert tri["target"] == jg and set(tri["suitors"]) == {sj, suho}
    assert tri["chosen"] == [suho] and tri["unrequited"] == [sj]
    assert line["roles"]["second-lead"] == [sj]
    assert set(line["roles"]["lead"]) == {jg, suho}
    assert seed.character(sj).role == "second-lead"
    rival = edge(seed, "Seo Jun", "Suho", kind="rivalry")
    assert rival is not None and rival.subtype == "love-rival" and rival.basis == "implied"
    # classmates are platonic, not romance
    assert edge(seed, "Suho", "Ju Gyeong", kind="platonic").subtype == "classmate"
    assert_spans_exact(seed)


def test_seed_scene_delta_seals_second_lead(seed: Document) -> None:
    sj, jg = cid(seed, "Seo Jun"), cid(seed, "Ju Gyeong")
    notes = [
        (c.aspect, c.before, c.after, c.note)
        for s in seed.scenes
        for c in s.relationship_changes
        if (c.from_id, c.to_id, c.kind) == (sj, jg, "romantic")
    ]
    assert ("requited", "unknown", "no", "second-lead") in notes


# ------------------------------------------------------------------------ dialogue


@pytest.fixture(scope="module")
def confession() -> Document:
    return run(CONFESSION, "fountain")


def test_dialogue_confession_and_rejection(confession: Document) -> None:
    r = edge(confession, "Min-jae", "Hye-won")
    assert r is not None and r.basis == "stated" and r.requited == "no"
    assert "confession" in r.attrs["events"]
    assert [s.text(confession.source_text) for s in r.evidence][0] == "I like you, Hye-won."
    reasons = {s.text(confession.source_text) for s in r.requited_evidence}
    assert {"I'm sorry, Min-jae.", "My heart belongs to Do-hyun."} <= reasons


def test_dialogue_mutual_love(confession: Document) -> None:
    a = edge(confession, "Hye-won", "Do-hyun")
    b = edge(confession, "Do-hyun", "Hye-won")
    assert a is not None and b is not None
    assert a.requited == b.requited == "yes"
    assert confession.attrs["love_line"]["couples"] == [
        sorted([cid(confession, "Hye-won"), cid(confession, "Do-hyun")])
    ]
    assert [cid(confession, "Hye-won"), cid(confession, "Do-hyun")] in [
        sorted(x) for x in [confession.attrs["love_line"]["mutual_confessions"][0]]
    ] or confession.attrs["love_line"]["mutual_confessions"]
    assert_spans_exact(confession)


def test_ledger_per_scene(confession: Document) -> None:
    mj, hw, dh = (cid(confession, n) for n in ("Min-jae", "Hye-won", "Do-hyun"))
    first = ledger_after(confession, 0)
    second = ledger_after(confession, 1)
    assert first[(mj, hw, "romantic")]["requited"] == "no"
    assert first[(hw, dh, "romantic")]["requited"] == "unknown"
    assert (dh, hw, "romantic") not in first
    assert second[(hw, dh, "romantic")]["requited"] == "yes"
    flips = [
        (c.from_id, c.to_id, c.before, c.after)
        for c in confession.scenes[1].relationship_changes
        if c.aspect == "requited"
    ]
    assert (hw, dh, "unknown", "yes") in flips
    for s in confession.scenes:
        for c in s.relationship_changes:
            # every change cites something read in its own scene
            assert any(
                s.span.start_char <= sp.start_char < sp.end_char <= s.span.end_char
                for sp in c.evidence
            ), c
    roles = love_line_roles(confession.relationships)
    assert roles["second-lead"] == [mj]


def test_negative_control_has_no_love_line() -> None:
    doc = run(NO_ROMANCE, "fountain")
    assert not [r for r in doc.relationships if r.kind == "romantic"]
    line = doc.attrs["love_line"]
    assert line["triangles"] == [] and line["couples"] == [] and line["unrequited"] == []
    # the family is read (siblings, a mother), nothing else
    assert edge(doc, "Jisoo", "Minho", kind="family").subtype == "sibling"
    assert all(r.kind in ("family", "other") for r in doc.relationships)
    assert_spans_exact(doc)


# ------------------------------------------------------------------------ prose rules


@pytest.fixture(scope="module")
def prose() -> Document:
    return run(PROSE, "prose")


def test_plural_subject_and_pronoun(prose: Document) -> None:
    for suitor in ("Tae-o", "Min-ho"):
        r = edge(prose, suitor, "Mina")
        assert r is not None and "fall for" in r.cues


def test_choice_over_rival(prose: Document) -> None:
    assert edge(prose, "Mina", "Tae-o").requited == "yes"
    assert edge(prose, "Tae-o", "Mina").requited == "yes"
    assert edge(prose, "Min-ho", "Mina").requited == "no"
    jealous = edge(prose, "Min-ho", "Tae-o", kind="rivalry")
    assert jealous is not None and "is jealous of" in jealous.cues


def test_turned_away_and_one_sided(prose: Document) -> None:
    r = edge(prose, "Jun", "Mina")
    assert r is not None and r.requited == "no" and r.subtype == "crush"
    reasons = " ".join(s.text(prose.source_text) for s in r.requited_evidence)
    assert "one-sided" in reasons
    assert edge(prose, "Mina", "Jun") is None
    assert edge(prose, "Jun", "Mina", kind="platonic").subtype == "classmate"


LEAD_IN = "In this episode, the story moves on.\n\n"


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        (
            "Hana, a young woman, smiles at Bo-ra. Bo-ra, a young woman, laughs. "
            "Hana and Bo-ra are best friends. Later, Hana goes home.",
            ("platonic", "friend"),
        ),
        (
            "Dong-hae, a boy, waves at Dami. Dami, a girl, smiles. "
            "Dong-hae is Dami's older brother. Later, Dong-hae goes home.",
            ("family", "sibling"),
        ),
        (
            "Yeri, a young woman, waits for Gun. Gun, a young man, arrives late. "
            "Yeri is married to Gun. Later, Yeri goes home.",
            ("romantic", "spouse"),
        ),
    ],
)
def test_relation_nouns(text: str, expect: tuple[str, str]) -> None:
    doc = run(LEAD_IN + text, "prose")
    kinds = {(r.kind, r.subtype) for r in doc.relationships}
    assert expect in kinds
    # symmetric relations are read both ways
    assert len([r for r in doc.relationships if (r.kind, r.subtype) == expect]) == 2
    if expect[0] != "romantic":
        assert not [r for r in doc.relationships if r.kind == "romantic"]
    else:
        assert all(r.requited == "yes" for r in doc.relationships)


def test_negation_and_conditions_are_not_love() -> None:
    doc = run(
        "Sora, a girl, smiles at Tae, a boy. Tae blushes. Sora will never love Tae. "
        "Tae confesses his love to Sora. If Sora kisses Tae, he will faint.",
        "prose",
    )
    assert edge(doc, "Sora", "Tae") is None
    r = edge(doc, "Tae", "Sora")
    assert r is not None and r.basis == "stated" and r.requited == "no"
    assert any("never love" in s.text(doc.source_text) for s in r.requited_evidence)


def test_oppa_is_not_family() -> None:
    script = """\
INT. PARK - DAY

Yuna, a girl, runs to Kang-dae, a boy.

YUNA
Kang-dae oppa! I like you, oppa.

KANG-DAE
I like you too, Yuna.
"""
    doc = run(script, "fountain")
    assert not [r for r in doc.relationships if r.kind == "family"]
    assert edge(doc, "Yuna", "Kang-dae").requited == "yes"


# ------------------------------------------------------------------------ series and CLI


def test_series_accumulates_by_episode() -> None:
    ep1, ep2 = CONFESSION.split("INT. CAFE - DAY")
    d1 = run(ep1, "fountain")
    d2 = run("INT. CAFE - DAY" + ep2, "fountain")
    d1.episode, d2.episode = 1, 2
    assert order_episodes([d2, d1]) == [d1, d2]
    led = ledger_series([d2, d1])
    names = {c.name for c in led.characters}
    assert {"Min-jae", "Hye-won", "Do-hyun"} <= names
    assert len([c for c in led.characters if c.name == "Hye-won"]) == 1
    by = {(r.from_id, r.to_id, r.kind): r for r in led.relationships}
    hw = next(c.id for c in led.characters if c.name == "Hye-won")
    dh = next(c.id for c in led.characters if c.name == "Do-hyun")
    assert by[(hw, dh, "romantic")].requited == "yes"
    docs = by[(hw, dh, "romantic")].attrs["evidence_documents"]
    assert docs[:2] == [0, 1] and docs == sorted(docs)  # episode 1, then episode 2
    flips = [(n, c.aspect, c.after) for n, _s, c in led.changes if (c.from_id, c.to_id) == (hw, dh)]
    assert (1, "requited", "yes") in flips
    data = ledger_dict(led)
    assert {e["file"] for r in data["relationships"] for e in r["evidence"]} == {None}


def test_cli_ledger_json_and_table(tmp_path: Path) -> None:
    p = tmp_path / "ep1.fountain"
    p.write_text(CONFESSION, encoding="utf-8")
    q = tmp_path / "office.fountain"
    q.write_text(NO_ROMANCE, encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(cli, ["ledger", str(p), "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["schema"] == "scene-anatomy/1"
    rel = data["relationships"][0]
    assert {"from", "to", "kind", "requited", "basis", "evidence"} <= set(rel)
    assert set(rel["evidence"][0]) >= {"start_line", "end_line", "start_char", "end_char", "text"}
    res = runner.invoke(cli, ["ledger", str(p), str(q)])
    assert res.exit_code == 0, res.output
    assert "love triangle" in res.output and "second-lead: Min-jae" in res.output
    res = runner.invoke(cli, ["ledger", str(tmp_path / "missing.txt")])
    assert res.exit_code != 0 and "error:" in res.output


def test_table_of_one_document(confession: Document) -> None:
    out = ledger_table(series_of(confession))
    assert out.splitlines()[1].split()[:3] == ["from", "to", "kind"]
    assert "requited: unknown → no  [rejection]" in out


# ------------------------------------------------------------------------ robustness

_WORDS = st.sampled_from(
    [
        "Mina",
        "Jun",
        "Tae-o",
        "she",
        "he",
        "her",
        "him",
        "his",
        "loves",
        "likes",
        "falls",
        "for",
        "kisses",
        "back",
        "rejects",
        "chooses",
        "over",
        "is",
        "jealous",
        "of",
        "friend",
        "sister",
        "mother",
        "classmates",
        "and",
        ",",
        ".",
        "!",
        "?",
        "sorry",
        "heart",
        "belongs",
        "to",
        "never",
        "not",
        "one-sided",
        "feelings",
        "I",
        "you",
        "me",
        "my",
        "we",
        "they",
    ]
)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(_WORDS, min_size=1, max_size=14), min_size=1, max_size=6))
def test_any_prose_gives_a_consistent_ledger(sentences: list[list[str]]) -> None:
    text = " ".join(" ".join(s) + "." for s in sentences)
    assume(any(c.isalpha() for c in text))
    doc = analyse(read_bytes(text.encode(), path=None, fmt="prose"))
    assert_spans_exact(doc)
    keys = [(r.from_id, r.to_id, r.kind) for r in doc.relationships]
    assert len(keys) == len(set(keys))


# ------------------------------------------------------------------------ anonymous speakers


def test_generic_speaker_labels_get_names_from_the_talk() -> None:
    from sceneanatomy.analysis.speaker_names import is_generic_label, link_speaker_names
    from sceneanatomy.model import Character, Element, ElementKind, LineIndex, Scene

    lines = [
        ("Speaker 1", "Hey Pheebs."),
        ("Speaker 2", "Hey! Is Frank here?"),
        ("Speaker 1", "Not yet. Pheebs, you look nervous."),
        ("Speaker 2", "I'm Phoebe Buffay and I am never nervous."),
    ]
    source = "".join(f"{s}: {t}\n" for s, t in lines)
    lix = LineIndex(source)
    els, pos = [], 0
    for s, t in lines:
        line = f"{s}: {t}"
        els.append(
            Element(
                ElementKind.DIALOGUE,
                t,
                lix.span(pos, pos + len(line)),
                speaker=s,
                speaker_id=s.lower().replace(" ", "-"),
            )
        )
        pos += len(line) + 1
    doc = Document(source_text=source, source_format="screenplay-text", scenes=[Scene(0, els)])
    doc.characters = [
        Character("speaker-1", "Speaker 1", ["Speaker 1"]),
        Character("speaker-2", "Speaker 2", ["Speaker 2"]),
        Character("pheebs", "Pheebs", ["Pheebs"]),
        Character("phoebe-buffay", "Phoebe Buffay", ["Phoebe Buffay"]),
        Character("frank", "Frank", ["Frank"]),
    ]
    assert is_generic_label("Speaker 2") and not is_generic_label("Phoebe")
    merged = link_speaker_names(doc)
    assert merged == {"pheebs": "speaker-2", "phoebe-buffay": "speaker-2"}
    assert "Pheebs" in doc.character("speaker-2").aliases
    assert doc.character("frank") is not None  # only spoken about: stays itself


def test_says_sorry_after_a_confession_is_a_rejection() -> None:
    doc = run(
        LEAD_IN + "Min-jae, a shy boy, meets Hye-won, a cheerful girl, on the roof. "
        "Min-jae confesses his feelings to Hye-won. She says sorry and leaves. "
        "Later, Min-jae cries alone.",
        "prose",
    )
    r = edge(doc, "Min-jae", "Hye-won")
    assert r is not None and r.requited == "no" and "confession" in r.attrs["events"]
    assert [s.text(doc.source_text) for s in r.requited_evidence] == ["She says sorry and leaves."]
    assert edge(doc, "Hye-won", "Min-jae") is None


THRILLER = "\n\n".join(
    [
        f"INT. PRECINCT - {t}\n\nKANG studies the board.\n\nKANG\n{line}\n\nOFFICER PARK\n{reply}"
        for t, line, reply in [
            ("DAY", "Who had the key?", "The night guard, sir."),
            ("NIGHT", "Then we find the guard.", "He left town."),
            ("DAY", "Check the bus station.", "On it."),
            ("NIGHT", "Nobody leaves town without a ticket.", "He paid cash."),
            ("DAY", "Then he bought it in person.", "There is a camera."),
        ]
    ]
    + [
        "INT. CAFE - NIGHT\n\nMINA and JOON sit close.\n\nMINA\nI love you, Joon.\n\n"
        "JOON\nI love you too, Mina.",
        "INT. PRECINCT - NIGHT\n\nKANG\nThe guard lied about everything.\n\n"
        "OFFICER PARK\nWe have him now, sir.",
    ]
)


def test_love_line_roles_only_when_the_love_line_is_the_story() -> None:
    # The hero is not in the one couple the ledger finds: his prominence role stays; the
    # couple's love-line role is still recorded.
    doc = run(THRILLER, "fountain")
    kang, mina, joon = (cid(doc, n) for n in ("Kang", "Mina", "Joon"))
    assert {frozenset((r.from_id, r.to_id)) for r in doc.relationships if r.kind == "romantic"} == {
        frozenset((mina, joon))
    }
    assert doc.character(kang).role == "lead"  # type: ignore[union-attr]
    assert doc.character(mina).role != "lead"  # type: ignore[union-attr]
    assert doc.character(mina).attrs["love_line_role"] == "lead"  # type: ignore[union-attr]
    assert doc.character(joon).attrs["love_line_role"] == "lead"  # type: ignore[union-attr]


# ------------------------------------------------------------------------ implied romance
# (issue 5 defects: behaviour in a screenplay, a professional judgement, a buddy's "I love
# you", a stranger's kiss; our own texts)

IMPLIED = """\
INT. LIBRARY - NIGHT

Dae-ho, a tall boy, shelves books. Mi-rae, a girl, reads at the long table.

MI-RAE
You missed a spot.

DAE-HO
I always miss a spot.

She laughs. Without a word he walks over, closer, until she has to look up. He leans toward her lips and stops an inch away.

DAE-HO
Mi-rae. I'm a man too, you know.

MI-RAE
(puzzled)
Of course you are. Hand me that book?

DAE-HO (V.O.)
She was never going to look at me that way.
"""


def test_implied_romance_from_behaviour_in_a_screenplay() -> None:
    doc = run(IMPLIED, "fountain")
    r = edge(doc, "Dae-ho", "Mi-rae")
    assert r is not None and r.basis == "implied" and r.requited == "no"
    said = [s.text(doc.source_text) for s in r.evidence]
    assert any("leans toward her lips" in t for t in said)  # "he" only speaks in cues
    assert "I'm a man too, you know." in said
    assert any(
        "never going to look at me that way" in s.text(doc.source_text) for s in r.requited_evidence
    )
    assert {"near-kiss", "longing"} <= set(r.attrs["events"])
    assert edge(doc, "Mi-rae", "Dae-ho") is None  # nothing invented for her
    assert doc.attrs["love_line"]["unrequited"] == [
        {"from": cid(doc, "Dae-ho"), "to": cid(doc, "Mi-rae")}
    ]
    assert_spans_exact(doc)


def test_a_professional_judgement_is_no_impression() -> None:
    doc = run(
        "INT. STUDIO - DAY\n\nThe PHOTOGRAPHER, a man, waves at Sora, a girl.\n\n"
        "PHOTOGRAPHER\nYou're pretty enough. Go.\n\nSORA\nMe? Fine.\n",
        "fountain",
    )
    assert doc.relationships == []
    doc = run(
        "INT. STUDIO - DAY\n\nThe PHOTOGRAPHER, a man, waves at Sora, a girl.\n\n"
        "PHOTOGRAPHER\nYou're so pretty!\n\nSORA\nThanks.\n",
        "fountain",
    )
    assert [(r.kind, r.subtype) for r in doc.relationships] == [("other", "likes")]


BUDDIES = """\
INT. PRECINCT - NIGHT

Ahn, a big man, holds the radio. Cho, a young man, talks from the tower.

AHN
Hey, I love you.
(looking around)
So do a lot of the guys. Hang in there.

CHO
Tell my wife something. She's heard me say I love you a thousand times.

INT. CAFE - DAY

Cho waits. Yuna, a young woman, sits down. She kisses him. He kisses her back.

YUNA
Hi, Cho.

CHO
Hi, Yuna.

INT. PARTY - NIGHT

A WOMAN kisses Cho at the door. He grins.

WOMAN
Merry Christmas!
"""


def test_buddy_love_reported_love_and_a_strangers_kiss() -> None:
    doc = run(BUDDIES, "fountain")
    ahn, cho = cid(doc, "Ahn"), cid(doc, "Cho")
    pairs = {(r.from_id, r.to_id) for r in doc.relationships if r.kind == "romantic"}
    assert (ahn, cho) not in pairs and (cho, ahn) not in pairs
    likes = edge(doc, "Ahn", "Cho", kind="other")
    assert likes is not None and likes.subtype == "likes"  # a buddy's love
    assert edge(doc, "Cho", "Yuna") is not None and edge(doc, "Yuna", "Cho") is not None
    line = doc.attrs["love_line"]
    assert line["triangles"] == [] and line["roles"]["rival"] == []  # one kiss at a party
    assert ahn not in line["roles"]["lead"]
    assert_spans_exact(doc)


# ------------------------------------------------------------------------ dialogue cues (DialogRE-style)

FAMILY_TALK = """\
INT. APARTMENT - DAY

Jiwoo, a young woman, opens the door to Hana, a young woman.

HANA
Jiwoo! Open up! It's your sister!

JIWOO
Come in. I-I love you, but you're late.

INT. KITCHEN - NIGHT

Min, an old man, sits with Jiwoo.

ISSAC
Hi, Jiwoo!

BORA
Hello!

MIN
Is that a cake?

JIWOO
Happy birthday dad.

MIN
Thank you. Issac's sister is Bora, by the way.

JIWOO
Wow. And Issac's sister is Seo-yeon?

INT. ROOFTOP - NIGHT

Tae, a young man, hands Sora, a young woman, a ring.

SORA
Yes! We're uh, we're getting married!

TAE
We are.
"""


def test_dialogue_cues_of_family_and_engagement() -> None:
    doc = run(FAMILY_TALK, "fountain")
    sis = edge(doc, "Hana", "Jiwoo", kind="family")
    assert sis is not None and sis.subtype == "sibling"  # "It's your sister!"
    dad = edge(doc, "Jiwoo", "Min", kind="family")
    assert dad is not None and dad.subtype == "parent"  # "Happy birthday dad."
    love = edge(doc, "Jiwoo", "Hana", kind="other")  # "I-I love you" to a sister: affection
    assert love is not None and love.subtype == "likes"
    bora = edge(doc, "Issac", "Bora", kind="family")
    assert bora is not None and bora.subtype == "sibling"
    cited = {s.text(doc.source_text) for r in doc.relationships for s in r.evidence}
    assert "Wow. And Issac's sister is Seo-yeon?" not in cited  # a question asserts nothing
    ring = edge(doc, "Sora", "Tae")  # "We're uh, we're getting married!"
    assert ring is not None and ring.subtype == "engaged" and ring.requited == "yes"
    assert_spans_exact(doc)


def test_group_love_is_affection_not_romance() -> None:
    doc = run(
        "INT. DINER - NIGHT\n\nBo-ra, Tae and Jun, three friends, share fries.\n\n"
        "TAE\nI love you guys.\n\nBO-RA\nWe love you too, Tae.\n\nJUN\nGroup hug.\n",
        "fountain",
    )
    assert not [r for r in doc.relationships if r.kind == "romantic"]
    tae, jun = cid(doc, "Tae"), cid(doc, "Jun")
    kinds = {(r.from_id, r.to_id): (r.kind, r.subtype) for r in doc.relationships}
    assert kinds.get((jun, tae)) == ("other", "likes")  # "we" = Bo-ra and the others, not Tae


def test_love_line_roles_from_a_chain_without_a_triangle() -> None:
    """X loves Y, not returned; Y loves Z (Z's feelings unknown): Y and Z are the leads, X
    the second lead. Without Y's love for someone else, one unrequited edge gives no roles."""
    from sceneanatomy.model import Span

    def ev(n: int) -> list[Span]:
        return [Span(i + 1, i + 1, 10 * i, 10 * i + 5) for i in range(n)]

    one_sided = Relationship("x", "y", "romantic", requited="no", basis="stated", evidence=ev(2))
    hers = Relationship("y", "z", "romantic", requited="unknown", basis="stated", evidence=ev(1))
    roles = love_line_roles([one_sided, hers])
    assert roles["lead"] == ["y", "z"] and roles["second-lead"] == ["x"]
    assert love_line_roles([one_sided]) == {"lead": [], "second-lead": [], "rival": []}
    # her love turned down too: no chain (she is not a lead for it)
    turned = Relationship("y", "z", "romantic", requited="no", basis="stated", evidence=ev(1))
    assert love_line_roles([one_sided, turned])["lead"] == []


CHAIN_RECAP = """\
Episode 4 recap: the umbrella

Kang Min-ji waits at the bus stop in the rain. Park Dae-ho runs up with an umbrella and holds it over her. He has loved her since middle school, but his love is one-sided: Min-ji's heart belongs to Choi Jun-ho.

Dae-ho walks her home without a word. At the door she thanks him and goes in, and he stands in the rain a long time.
"""


def test_second_lead_from_a_recap_chain() -> None:
    doc = run(CHAIN_RECAP, "prose")
    roles = {c.name: c.role for c in doc.characters}
    assert roles.get("Park Dae-ho") == "second-lead", roles
    assert roles.get("Kang Min-ji") == "lead" and roles.get("Choi Jun-ho") == "lead", roles
