"""Varied, deterministic phrasing: the report's words live in ``templates/phrases.yaml``.

:class:`Phrasebook` picks one variant per slot with a hash of a seed (the document and the
scene id), the slot and an optional discriminator, so the same analysis always reads the
same way, and two scenes read differently. Values are plain text; escaping is the output
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

    def __init__(self, seed: str, phrases: dict[str, tuple[str, ...]] | None = None) -> None:
        self.seed = seed
        self.phrases = phrases if phrases is not None else load_phrases()

    def has(self, slot: str) -> bool:
        return slot in self.phrases

    def variant(self, slot: str, key: str = "") -> str:
        variants = self.phrases[slot]
        digest = hashlib.blake2b(f"{self.seed}\x1f{slot}\x1f{key}".encode(), digest_size=8).digest()
        return variants[int.from_bytes(digest, "big") % len(variants)]

    def say(self, slot: str, key: str = "", **values: Any) -> str:
        """The chosen variant of ``slot`` with ``values`` filled in.

        A variant that needs a value not given is skipped in favour of one that does not;
        KeyError when no variant fits (a bug in the caller or in phrases.yaml).
        """
        chosen = self.variant(slot, key)
        if _fields(chosen) - values.keys():
            fitting = [v for v in self.phrases[slot] if not _fields(v) - values.keys()]
            if not fitting:
                missing = sorted(_fields(chosen) - values.keys())
                raise KeyError(f"phrase slot {slot!r} needs {', '.join(missing)}")
            chosen = fitting[0]
        return chosen.format_map({k: "" if v is None else str(v) for k, v in values.items()})
