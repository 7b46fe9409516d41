"""Which work and episode a source is about, when the source itself says so.

Readers fill ``doc.title`` and ``doc.title_page``; this module reads the *work* (the drama a
fan script, a recap or a subtitle file belongs to) and the episode number from what the
source states, and nothing else:

- a title page's ``Episode:`` value, and ``Series:``/``Show:``/``Drama:`` values;
- phrases in a title page value, a recap's headline or its opening paragraphs:
  ``episode 9 of True Beauty``, ``True Beauty's ninth episode``, ``True Beauty episode 9``
  (also ``Ep. 9``);
- a subtitle file's name in the usual release form: ``True.Beauty.E09.srt``,
  ``True Beauty S01E09.ko.srt``, ``true_beauty_ep09.vtt``.

A drama name must start with a capital letter (or a digit) and is at most eight words. When
the phrases disagree (two dramas, two episodes), the value stays unknown.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import PurePath
from typing import TypeVar

from ..model import Document

__all__ = ["fill_work", "work_from_filename", "work_from_text"]

_T = TypeVar("_T")

_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
}
_NUM = r"(?P<num>\d{1,4})(?:st|nd|rd|th)?"
_ORD = r"(?P<ord>(?i:" + "|".join(_ORDINALS) + r")|\d{1,4}(?:st|nd|rd|th))"
# A title: capitalised words, allowing short joiners inside ("Crash Landing on You",
# "Hotel del Luna", "It's Okay to Not Be Okay").
_WORD = r"(?:(?:Mr|Mrs|Ms|Dr|St)\.|[A-Z0-9](?:[\w'’&!-]|\.(?=\w))*)"
_JOIN = r"(?:of|on|to|the|a|an|and|in|at|for|with|del|de|la|not|be|is|me)"
_TITLE = rf"(?P<drama>{_WORD}(?:[ \t]+(?:{_JOIN}[ \t]+)*{_WORD}){{0,7}})"
_EP = r"(?i:episode|ep\.?)"
_PATTERNS = (
    # episode 9 of True Beauty
    re.compile(rf"\b{_EP}[ \t]+{_NUM}[ \t]+of[ \t]+(?:the[ \t]+)?(?i:k-?drama[ \t]+)?{_TITLE}"),
    # True Beauty's ninth episode
    re.compile(rf"{_TITLE}[’']s?[ \t]+{_ORD}[ \t]+{_EP}"),
    # True Beauty episode 9 / True Beauty Ep. 9
    re.compile(rf"{_TITLE}[ \t,:–—-]+{_EP}[ \t]*{_NUM}\b"),
)
_EPISODE_KEY = re.compile(r"\d{1,4}")
_FILE_EP = re.compile(
    r"^(?P<drama>.+?)[ ._-]+(?:S\d{1,2}[ ._-]?)?(?:E|EP|Ep|ep|e|Episode[ ._-]?)(?P<num>\d{1,4})(?![\d])"
)
_LEAD_OUT = re.compile(r"^(?:in|on|the|of|from|during|after|before|and|but|so|as)$", re.I)


def _clean_drama(raw: str) -> str | None:
    words = raw.strip(" \t,.:;!?'’\"“”()-–—").split()
    while words and _LEAD_OUT.match(words[0]):
        words.pop(0)
    while words and re.fullmatch(_JOIN, words[-1], re.I):
        words.pop()
    if not words or not (words[0][:1].isupper() or words[0][:1].isdigit()):
        return None
    name = " ".join(words)
    if name.lower() in {"this", "that", "the", "last", "next", "every", "each"}:
        return None
    return name


def _episode_of(m: re.Match[str]) -> int | None:
    gd = m.groupdict()
    if gd.get("num"):
        return int(gd["num"])
    o = (gd.get("ord") or "").lower()
    if o in _ORDINALS:
        return _ORDINALS[o]
    digits = re.match(r"\d+", o)
    return int(digits.group()) if digits else None


def work_from_text(text: str) -> tuple[str | None, int | None]:
    """(drama, episode) named by phrases in ``text``; each None when absent or ambiguous."""
    dramas: Counter[str] = Counter()
    episodes: Counter[int] = Counter()
    for pat in _PATTERNS:
        for m in pat.finditer(text):
            drama = _clean_drama(m.group("drama"))
            ep = _episode_of(m)
            if drama is None or ep is None:
                continue
            dramas[drama] += 1
            episodes[ep] += 1
    return _unique(dramas), _unique(episodes)


def _unique(c: Counter[_T]) -> _T | None:
    if not c:
        return None
    top = c.most_common(2)
    if len(top) == 2 and top[0][1] == top[1][1]:
        return None
    return top[0][0]


def work_from_filename(path: str) -> tuple[str | None, int | None]:
    """(drama, episode) from a release-style file name (``True.Beauty.E09.srt``)."""
    stem = PurePath(path).name.split(".")
    # drop the extension and a trailing language tag ("ko", "en", "eng")
    while len(stem) > 1 and (len(stem[-1]) <= 4 and stem[-1].isalpha() or stem[-1] == ""):
        stem.pop()
    m = _FILE_EP.match(".".join(stem))
    if m is None:
        return None, None
    drama = re.sub(r"[._]+", " ", m.group("drama")).strip(" -")
    drama = re.sub(r"\s*\(?(?:19|20)\d\d\)?$", "", drama).strip()
    if drama.islower():
        drama = drama.title()
    if not drama or not re.search(r"[^\W\d_]", drama):
        return None, int(m.group("num"))
    return drama, int(m.group("num"))


def fill_work(doc: Document) -> None:
    """Set ``doc.episode`` (when the reader left it unknown) and ``doc.attrs["drama"]``."""
    drama: str | None = None
    episode: int | None = None
    tp = doc.title_page
    for key in ("series", "show", "drama", "programme", "program"):
        if tp.get(key):
            drama = " ".join(tp[key].split()) or None
            break
    if tp.get("episode"):
        m = _EPISODE_KEY.search(tp["episode"])
        if m:
            episode = int(m.group())
    texts: list[str] = [v for k, v in sorted(tp.items()) if k not in ("title",) and v]
    if doc.source_format == "prose":
        if doc.title:
            texts.append(doc.title)
        # the opening of the piece: its first 6,000 characters of narrative
        budget = 6000
        for scene in doc.scenes:
            for el in scene.elements:
                if budget <= 0:
                    break
                texts.append(el.text)
                budget -= len(el.text)
    if texts:
        d, e = work_from_text("\n".join(texts))
        drama = drama or d
        episode = episode if episode is not None else e
    if doc.source_format in ("srt", "vtt", "ass") and doc.path:
        d, e = work_from_filename(doc.path)
        drama = drama or d
        episode = episode if episode is not None else e
    if doc.episode is None and episode is not None:
        doc.episode = episode
    if drama and "drama" not in doc.attrs:
        doc.attrs["drama"] = drama
