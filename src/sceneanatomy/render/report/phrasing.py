"""Varied, deterministic phrasing: the report's words live in ``templates/phrases.yaml``.

:class:`Phrasebook` picks one variant per slot with a hash of a seed (the document), the
slot and an optional discriminator, plus an offset (the scene's position), so the same
analysis always reads the same way, and neighbouring scenes differ in every slot that has
more than one variant. Values are plain text; escaping is the output
format's job.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources
from string import Formatter
from typing import Any

import yaml

__all__ = ["Phrasebook", "load_phrases"]

_FORMATTER = Formatter()


@lru_cache(maxsize=1)
def load_phrases() -> dict[str, tuple[str, ...]]:
    """The shipped phrase variants, slot -> variants (checked: non-empty lists of strings)."""
    text = (resources.files("sceneanatomy") / "templates" / "phrases.yaml").read_text("utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    if not isinstance(data, dict):
        raise ValueError("phrases.yaml: expected a mapping of slot -> list of variants")
    out: dict[str, tuple[str, ...]] = {}
    for slot, variants in data.items():
        if not isinstance(variants, list) or not variants:
            raise ValueError(f"phrases.yaml: slot {slot!r} needs a non-empty list")
        if not all(isinstance(v, str) for v in variants):
            raise ValueError(f"phrases.yaml: slot {slot!r} has a variant that is not text")
        out[str(slot)] = tuple(variants)
    return out


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in _FORMATTER.parse(template) if name}


class Phrasebook:
    """Fill phrase slots for one article; ``seed`` fixes the choice of variants."""

    def __init__(
        self, seed: str, phrases: dict[str, tuple[str, ...]] | None = None, offset: int = 0
    ) -> None:
        self.seed = seed
        self.offset = offset  # added to every choice: articles 1 apart differ in every slot
        self.phrases = phrases if phrases is not None else load_phrases()
        self._turns: dict[str, int] = {}

    def has(self, slot: str) -> bool:
        return slot in self.phrases

    def variant(self, slot: str, key: str = "") -> str:
        variants = self.phrases[slot]
        digest = hashlib.blake2b(f"{self.seed}\x1f{slot}\x1f{key}".encode(), digest_size=8).digest()
        return variants[(int.from_bytes(digest, "big") + self.offset) % len(variants)]

    def next_variant(self, slot: str) -> str:
        """The variants of ``slot`` in turn, from a seeded start: the items of one list
        (beats, wants, outcomes...) do not repeat a phrase before all were used."""
        variants = self.phrases[slot]
        turn = self._turns.get(slot, 0)
        self._turns[slot] = turn + 1
        start = self.variant(slot, "\x1dstart")
        return variants[(variants.index(start) + turn) % len(variants)]

    def say_next(self, slot: str, **values: Any) -> str:
        """:meth:`say` with the next variant of ``slot`` (see :meth:`next_variant`)."""
        return self._fill(slot, self.next_variant(slot), values)

    def say(self, slot: str, key: str = "", **values: Any) -> str:
        """The chosen variant of ``slot`` with ``values`` filled in.

        A variant that needs a value not given is skipped in favour of one that does not;
        KeyError when no variant fits (a bug in the caller or in phrases.yaml).
        """
        return self._fill(slot, self.variant(slot, key), values)

    def _fill(self, slot: str, chosen: str, values: dict[str, Any]) -> str:
        if _fields(chosen) - values.keys():
            fitting = [v for v in self.phrases[slot] if not _fields(v) - values.keys()]
            if not fitting:
                missing = sorted(_fields(chosen) - values.keys())
                raise KeyError(f"phrase slot {slot!r} needs {', '.join(missing)}")
            chosen = fitting[0]
        return chosen.format_map({k: "" if v is None else str(v) for k, v in values.items()})
