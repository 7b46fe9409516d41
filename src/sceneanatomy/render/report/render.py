"""Render an :class:`~.model.Article` as HTML (one self-contained page) or Markdown.

Both go through Jinja2 templates in ``sceneanatomy/templates`` with autoescaping on. HTML
escapes every value the usual way; the Markdown environment's ``finalize`` hook first turns
every plain value into literal Markdown with :func:`md_escape` (entities for ``& < >``,
backslashes for inline syntax, no line-start syntax) and marks it safe, so a source line
such as ``<script>alert(1)</script>`` is text in both. Macro output and URLs this package
built and percent-encoded (:class:`markupsafe.Markup`) pass as they are.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from typing import Any

import jinja2
from markupsafe import Markup

from ... import __version__
from .model import Article

__all__ = ["md_escape", "render_html", "render_markdown"]

_MD_INLINE = re.compile(r"([\\`*_\[\]|~])")
_MD_LINE_START = re.compile(r"^(\s*)([#>+\-=])")
_MD_LIST_NUMBER = re.compile(r"^(\s*\d+)([.)])")


def md_escape(value: Any) -> str:
    """Any value as literal Markdown text: no markup, no raw HTML, no line-start syntax."""
    if value is None:
        return ""
    s = str(value)
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = _MD_INLINE.sub(r"\\\1", s)
    s = " ".join(s.split())  # one line: a value never starts a Markdown block
    s = _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), s)
    s = _MD_LIST_NUMBER.sub(lambda m: m.group(1) + "\\" + m.group(2), s)
    return s


def _loader() -> jinja2.BaseLoader:
    return jinja2.PackageLoader("sceneanatomy", "templates")


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Jinja2's own cache of compiled templates (a per-user folder in the temp dir): the
    first report in a fresh process then skips compiling the templates (~100 ms).
    ``SCENE_ANATOMY_NO_TEMPLATE_CACHE=1`` turns it off; an unusable temp dir does too."""
    if os.environ.get("SCENE_ANATOMY_NO_TEMPLATE_CACHE"):
        return None
    try:
        return jinja2.FileSystemBytecodeCache()
    except (OSError, RuntimeError):
        return None


@lru_cache(maxsize=1)
def html_env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=_loader(),
        bytecode_cache=_bytecode_cache(),
        autoescape=True,  # every value, in every template (HTML and SVG alike)
        trim_blocks=False,
        lstrip_blocks=False,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


@lru_cache(maxsize=1)
def markdown_env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=_loader(),
        bytecode_cache=_bytecode_cache(),
        autoescape=True,
        finalize=_md_finalize,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["raw"] = Markup
    return env


def _md_finalize(value: Any) -> Any:
    return value if isinstance(value, Markup) else Markup(md_escape(value))


def render_html(article: Article, lang: str = "en") -> str:
    tpl = html_env().get_template("report.html.j2")
    return tpl.render(a=article, lang=lang, version=__version__, evidence_title="Evidence")


def _md_url(url: str) -> Markup:
    # Our URLs are percent-encoded already; only the characters that would end a Markdown
    # link destination need escaping.
    return Markup(
        url.replace(" ", "%20")
        .replace("(", "%28")
        .replace(")", "%29")
        .replace("<", "%3C")
        .replace(">", "%3E")
    )


def render_markdown(article: Article) -> str:
    tpl = markdown_env().get_template("report.md.j2")
    text = tpl.render(a=article, version=__version__, url=_md_url, evidence_title="Evidence")
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
