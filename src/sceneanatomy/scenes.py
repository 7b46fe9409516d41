"""Grouping a flat element stream into scenes, shared by the screenplay readers."""

from __future__ import annotations

from collections.abc import Iterable

from .headings import parse_heading
from .model import Element, ElementKind, Scene


def scene_from_heading(index: int, heading: Element | None, elements: list[Element]) -> Scene:
    scene = Scene(index=index, elements=elements)
    if heading is not None:
        info = parse_heading(heading.text, heading.attrs.get("scene_number"))
        scene.heading = heading.text
        scene.location = info.location
        scene.time_of_day = info.time_of_day
        scene.interior = info.interior
        scene.int_ext = info.int_ext
        scene.number = info.number
    return scene


def group_by_headings(elements: Iterable[Element]) -> list[Scene]:
    """Split at every scene heading; material before the first heading is its own scene."""
    scenes: list[Scene] = []
    current: list[Element] = []
    heading: Element | None = None
    for el in elements:
        if el.kind is ElementKind.SCENE_HEADING:
            if current:
                scenes.append(scene_from_heading(len(scenes), heading, current))
            current, heading = [el], el
        else:
            current.append(el)
    if current:
        scenes.append(scene_from_heading(len(scenes), heading, current))
    return scenes
