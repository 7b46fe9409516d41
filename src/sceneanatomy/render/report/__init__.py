"""The anatomy report: one self-contained HTML article (or Markdown, or terminal text) per
scene or document, built from the anatomy JSON (schema "scene-anatomy/1").

    data = anatomy_of(pipeline.analyse(read_path("episode.srt")))
    html = report(data, scene=3, fmt="html", video_url="https://youtu.be/abc")

Layers: :mod:`.source` (analysed Document -> anatomy dict), :mod:`.build` (dict -> Article, with
:mod:`.phrasing` and :mod:`.charts`), :mod:`.render` (HTML, Markdown through Jinja2
templates) and :mod:`.terminal` (rich text). See docs/report.md.
"""

from __future__ import annotations

from typing import Any

from .build import build_article, find_scene
from .model import Article
from .source import anatomy_of, enrich, minimal_anatomy

__all__ = [
    "FORMATS",
    "Article",
    "anatomy_of",
    "build_article",
    "enrich",
    "find_scene",
    "minimal_anatomy",
    "render_article",
    "report",
]

FORMATS = ("html", "markdown", "text")


def render_article(article: Article, fmt: str = "html", *, color: bool = False) -> str:
    if fmt == "html":
        from .render import render_html

        return render_html(article)
    if fmt == "markdown":
        from .render import render_markdown

        return render_markdown(article)
    if fmt == "text":
        from .terminal import render_text

        return render_text(article, color=color)
    raise ValueError(f"unknown report format {fmt!r} (known: {', '.join(FORMATS)})")


def report(
    data: dict[str, Any],
    scene: int | str | None = None,
    fmt: str = "html",
    *,
    page_url: str | None = None,
    video_url: str | None = None,
) -> str:
    """The report of ``scene`` (1-based number or id; None: the whole document) as text."""
    article = build_article(data, scene, page_url=page_url, video_url=video_url)
    return render_article(article, fmt)
