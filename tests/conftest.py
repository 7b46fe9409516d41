"""Shared fixtures. Data under ../shared is read in place, never copied, and optional."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=100
)
settings.register_profile(
    "ci", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=100
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

REPO = Path(__file__).resolve().parents[1]


def find_shared() -> Path | None:
    env = os.environ.get("SCENE_ANATOMY_SHARED")
    candidates = [Path(env)] if env else []
    candidates.append(REPO.parent / "shared")
    for c in candidates:
        if (c / "eval").is_dir():
            return c
    return None


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    shared = find_shared()
    if shared is None:
        pytest.skip("../shared (evaluation data) is not present")
    return shared


@pytest.fixture(scope="session")
def formats_dir(shared_dir: Path) -> Path:
    d = shared_dir / "eval" / "formats"
    if not d.is_dir():
        pytest.skip("../shared/eval/formats is not present")
    return d
