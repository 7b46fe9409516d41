"""The work (drama) and episode a source names: title pages, recap phrases, file names."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sceneanatomy.readers import read_bytes
from sceneanatomy.readers.work import work_from_filename, work_from_text


def test_phrases_name_the_drama_and_episode() -> None:
    assert work_from_text("In episode 9 of True Beauty, she joins him.") == ("True Beauty", 9)
    assert work_from_text("One quiet moment in True Beauty's ninth episode.") == (
        "True Beauty",
        9,
    )
    assert work_from_text("Recap: Hotel del Luna Episode 3") == ("Hotel del Luna", 3)
    assert work_from_text("Mr. Sunshine episode 4 recap") == ("Mr. Sunshine", 4)


def test_nothing_stated_means_unknown() -> None:
    assert work_from_text("In the last episode of the show they kiss.") == (None, None)
    assert work_from_text("") == (None, None)


def test_disagreeing_phrases_stay_unknown() -> None:
    drama, episode = work_from_text("In episode 2 of Goblin. In episode 5 of Vincenzo.")
    assert drama is None and episode is None


def test_release_style_file_names() -> None:
    assert work_from_filename("True.Beauty.E09.srt") == ("True Beauty", 9)
    assert work_from_filename("True Beauty S01E09.ko.srt") == ("True Beauty", 9)
    assert work_from_filename("true_beauty_ep09.vtt") == ("True Beauty", 9)
    assert work_from_filename("Crash.Landing.on.You.2019.E16.1080p.srt") == (
        "Crash Landing on You",
        16,
    )
    assert work_from_filename("movie.srt") == (None, None)


def test_fountain_title_page_fills_the_source() -> None:
    text = (
        "Title: The Shoot\nSource: after episode 9 of True Beauty\n\nINT. ROOM - DAY\n\nHe waits.\n"
    )
    doc = read_bytes(text.encode(), "x.fountain", fmt="fountain")
    assert doc.episode == 9 and doc.attrs["drama"] == "True Beauty"
    text = "Title: Pilot\nSeries: Goblin\nEpisode: 1\n\nINT. ROOM - DAY\n\nHe waits.\n"
    doc = read_bytes(text.encode(), "x.fountain", fmt="fountain")
    assert doc.episode == 1 and doc.attrs["drama"] == "Goblin"


def test_subtitle_file_name_fills_the_source() -> None:
    srt = "1\n00:00:01,000 --> 00:00:02,000\nHello.\n"
    doc = read_bytes(srt.encode(), "Goblin.E03.srt", fmt="srt")
    assert doc.episode == 3 and doc.attrs["drama"] == "Goblin"
    doc = read_bytes(srt.encode(), "clip.srt", fmt="srt")
    assert doc.episode is None and "drama" not in doc.attrs


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_a_pair(text: str) -> None:
    drama, episode = work_from_text(text)
    assert drama is None or (isinstance(drama, str) and drama.strip() == drama and drama)
    assert episode is None or isinstance(episode, int)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_file_name_gives_a_pair(name: str) -> None:
    drama, episode = work_from_filename(name + ".srt")
    assert drama is None or isinstance(drama, str)
    assert episode is None or isinstance(episode, int)
