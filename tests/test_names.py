"""Personal names: suffixes, romanization keys, name order, display and ids."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sceneanatomy.names import (
    edit_distance,
    korean_full_name,
    korean_syllables,
    name_key,
    roman_key,
    slugify,
    smart_case,
    split_name,
    strip_suffixes,
    strip_title,
)


@pytest.mark.parametrize(
    "variants",
    [
        ["Ju Gyeong", "Ju-gyeong", "Jugyeong", "Ju Kyung", "Joo-kyung"],
        ["Seo Jun", "Seojun", "Seo-joon"],
        ["Suho", "Su-ho", "Soo-ho"],
    ],
)
def test_romanization_variants_share_a_key(variants: list[str]) -> None:
    keys = {roman_key(v) for v in variants}
    assert len(keys) == 1, keys
    assert len({name_key(v, korean=True).key for v in variants}) == 1


def test_different_given_names_keep_different_keys() -> None:
    assert roman_key("Suho") != roman_key("Seojun")
    assert roman_key("Min-jae") != roman_key("Hye-won")


@pytest.mark.parametrize(
    ("written", "bare", "suffix"),
    [
        ("Ju Gyeong-ah", "Ju Gyeong", "ah"),
        ("Hye-won-ah", "Hye-won", "ah"),
        ("Seo Jun-ssi", "Seo Jun", "ssi"),
        ("Suho-ya", "Suho", "ya"),
        ("Min-jae sunbae", "Min-jae", "sunbae"),
        ("Min-jae oppa", "Min-jae", "oppa"),
        ("Yuna", "Yuna", None),
        ("Kim Yang", "Kim Yang", None),  # a surname, not the "yang" suffix
        ("민재야", "민재", "야"),
        ("Hyewon-ah", "Hyewon", "ah"),
        ("Minji-ya", "Minji", "ya"),
        # names that end like a vocative: a vowel before "-a", or one syllable before it
        ("Soo-ah", "Soo-ah", None),
        ("Oh Soo-ah", "Oh Soo-ah", None),
        ("Seo-ah", "Seo-ah", None),
        ("Ji-a", "Ji-a", None),
        ("Min-ah", "Min-ah", None),
        ("KEE-YA", "KEE-YA", None),
    ],
)
def test_strip_suffixes(written: str, bare: str, suffix: str | None) -> None:
    assert strip_suffixes(written) == (bare, suffix)


def test_titles() -> None:
    assert strip_title("Mr. Kim") == ("Kim", "mr")
    assert strip_title("Director Han") == ("Han", "director")
    assert strip_title("Juno") == ("Juno", None)


def test_family_name_first() -> None:
    assert korean_full_name("Han Seo Jun") == ("han", "Seo Jun")
    assert korean_full_name("Im Ju Gyeong") == ("lim", "Ju Gyeong")
    assert korean_full_name("Lee Suho") == ("lee", "Suho")
    assert korean_full_name("Juno MacGuff") is None
    assert split_name("Han Seo Jun").given == "Seo Jun"


def test_full_name_and_given_name_short_form() -> None:
    full = name_key("Han Seo Jun", korean=True)
    short = name_key("Seo Jun", korean=True)
    assert full.key == "k:han|sojun"
    assert short.key in full.shorts  # "Seo Jun" can shorten "Han Seo Jun"
    # ... and the other reading of "Seo Jun" (surname Seo + Jun) is kept as the alternative
    assert short.alt == "k:seo|jun"
    assert name_key("Seojun", korean=True).key == short.key


def test_shared_surname_or_given_name_never_one_key() -> None:
    a, b = name_key("Park Seo Joon", korean=True), name_key("Park Min Young", korean=True)
    assert a.key != b.key
    assert set(a.shorts) & set(b.shorts) == {"t:park"}  # only "Mr. Park" is ambiguous
    c = name_key("Han Seo Jun", korean=True)
    assert a.key != c.key and "g:sojun" in a.shorts and "g:sojun" in c.shorts


def test_western_names() -> None:
    k = name_key("Juno MacGuff")
    assert k.key == "w:juno macguff"
    assert {"g:juno", "g:macguff", "t:macguff"} <= set(k.shorts)
    assert name_key("JUNO").key == "g:juno"
    # without Korean context, spelling is not folded: Tina and Dina stay apart
    assert name_key("Tina").key != name_key("Dina").key


def test_korean_syllables() -> None:
    assert korean_syllables("Suho") == 2
    assert korean_syllables("Gyeong") == 1
    assert korean_syllables("Seo-joon") == 2
    assert korean_syllables("McClane") is None
    assert korean_syllables("John") is None


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("HAN SEO JUN", "Han Seo Jun"),
        ("McCLANE", "McClane"),
        ("HYE-WON", "Hye-won"),
        ("BLEEKER'S MOM", "Bleeker's Mom"),
        ("O'BRIEN", "O'Brien"),
        ("JUNO MacGUFF", "Juno MacGuff"),
        ("Ju Gyeong", "Ju Gyeong"),
    ],
)
def test_smart_case(raw: str, shown: str) -> None:
    assert smart_case(raw) == shown


def test_slugify() -> None:
    assert slugify("Han Seo Jun") == "han-seo-jun"
    assert slugify("the director") == "the-director"
    assert slugify("Bleeker's Mom") == "bleekers-mom"
    assert slugify("혜원") == "혜원"
    assert slugify("!!!") == "character"


def test_edit_distance() -> None:
    assert edit_distance("seojun", "sojun") == 1
    assert edit_distance("kitten", "sitting") == 3
    assert edit_distance("a", "abcdefgh", limit=2) == 3


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_name_functions_total(text: str) -> None:
    for korean in (False, True):
        k = name_key(text, korean)
        assert isinstance(k.key, str) and k.key[:2] in ("g:", "k:", "w:", "t:")
    assert re.fullmatch(r"[\w-]+", slugify(text))
    smart_case(text)
    strip_suffixes(text)


def test_diminutives() -> None:
    from sceneanatomy.names import is_diminutive

    for a, b in [("Paul", "Paulie"), ("Bob", "Bobby"), ("Dan", "Danny"), ("JOE", "joey")]:
        assert is_diminutive(a, b) and is_diminutive(b, a)
    for a, b in [("Paul", "Paul"), ("Dana", "Danny"), ("Paul", "Pauline"), ("Bo", "Bobbie2")]:
        assert not is_diminutive(a, b)


def test_a_cue_that_ends_like_a_vocative_keeps_its_name() -> None:
    """ "SOO-AH" is Soo-ah (a name that ends in "-ah"), not "Soo" called; "Hye-won-ah" in
    the action is Hye-won called."""
    from sceneanatomy.analysis.characters import find_characters
    from sceneanatomy.readers import read_bytes

    text = (
        "INT. CAFE - DAY\n\nSoo-ah wipes a table. Hye-won comes in.\n\n"
        "SOO-AH\nHye-won-ah! You're late.\n\nHYE-WON\nSorry, Soo-ah.\n"
    )
    doc = find_characters(read_bytes(text.encode(), path="cafe.fountain"), "rules")
    names = sorted(c.name for c in doc.characters)
    assert names == ["Hye-won", "Soo-ah"], names
