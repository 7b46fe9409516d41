"""Grouping a flat element stream into scenes, shared by the screenplay readers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import fields

from .headings import HeadingParts, heading_parts
from .model import Element, ElementKind, Scene, make_scene

# Scene's leading fields in order: a positional call is cheaper than keywords. Should the
# model change, the keyword call below keeps working.
_POSITIONAL = [f.name for f in fields(Scene)][:8] == [
    "index",
    "elements",
    "heading",
    "location",
    "time_of_day",
    "interior",
    "int_ext",
    "number",
]


def _scene(index: int, heading: Element, elements: list[Element], parts: HeadingParts) -> Scene:
    int_ext, interior, location, time_of_day, number = parts
    if _POSITIONAL:
        return make_scene(
            index, elements, heading.text, location, time_of_day, interior, int_ext, number
        )
    return Scene(
        index=index,
        elements=elements,
        heading=heading.text,
        location=location,
        time_of_day=time_of_day,
        interior=interior,
        int_ext=int_ext,
        number=number,
    )


def scene_from_heading(index: int, heading: Element | None, elements: list[Element]) -> Scene:
    if heading is None:
        return Scene(index=index, elements=elements)
    parts = heading_parts(heading.text, heading.attrs.get("scene_number"))
    return _scene(index, heading, elements, parts)


def group_by_headings(
    elements: Iterable[Element], heading_at: Sequence[int] | None = None
) -> list[Scene]:
    """Split at every scene heading; material before the first heading is its own scene.

    ``heading_at``: the positions of the scene headings in ``elements``, when the caller
    knows them already (they are found otherwise).
    """
    els = elements if type(elements) is list else list(elements)
    if heading_at is None:
        head = ElementKind.SCENE_HEADING
        starts = [i for i, el in enumerate(els) if el.kind is head]
    else:
        starts = list(heading_at)
    scenes: list[Scene] = []
    if not starts:
        if els:
            scenes.append(Scene(index=0, elements=els[:]))
        return scenes
    if starts[0] > 0:
        scenes.append(Scene(index=0, elements=els[: starts[0]]))
    ends = starts[1:]
    ends.append(len(els))
    # Scripts repeat their headings ("INT. KITCHEN - NIGHT"): each text is parsed once. A
    # scene number given apart replaces the one the text may carry (as heading_parts does).
    seen: dict[str, HeadingParts] = {}
    add = scenes.append
    for a, b in zip(starts, ends, strict=True):
        el = els[a]
        text = el.text
        parts = seen.get(text)
        if parts is None:
            parts = seen[text] = heading_parts(text)
        int_ext, interior, location, time_of_day, number = parts
        given = el.attrs.get("scene_number")
        if given:
            number = given
        if _POSITIONAL:  # _scene, inline (one call per scene instead of two)
            add(
                make_scene(
                    len(scenes),
                    els[a:b],
                    text,
                    location,
                    time_of_day,
                    interior,
                    int_ext,
                    number,
                )
            )
        else:
            add(
                _scene(
                    len(scenes), el, els[a:b], (int_ext, interior, location, time_of_day, number)
                )
            )
    return scenes
