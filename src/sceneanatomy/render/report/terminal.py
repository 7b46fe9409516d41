"""The article as rich terminal text (``--format text``): the same sentences, the charts
as sparklines and bars, the evidence as a numbered list.

Source strings are always :class:`rich.text.Text` (never console markup), so a line such
as ``[bold]`` or ``<script>`` prints as written.
"""

from __future__ import annotations

import io

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.text import Text

from .model import Article, Block, Section, Sentence

__all__ = ["article_renderables", "render_text"]


def _claim(s: Sentence, style: str = "") -> Text:
    t = Text(s.text, style=style)
    for r in s.refs:
        t.append(f" [{r}]", style="cyan")
    return t


def _block(b: Block) -> list[RenderableType]:
    out: list[RenderableType] = []
    if b.kind == "para":
        t = Text()
        for i, s in enumerate(b.sentences):
            if i:
                t.append(" ")
            t.append_text(_claim(s))
        out.append(t)
    elif b.kind == "note":
        out.append(Text(" ".join(s.text for s in b.sentences), style="italic dim"))
    elif b.kind in ("list", "olist"):
        for i, s in enumerate(b.sentences):
            bullet = f"{i + 1}. " if b.kind == "olist" else "• "
            t = Text(bullet)
            label = b.labels[i] if i < len(b.labels) else ""
            if label:
                t.append(f"{label.upper()} ", style="bold magenta")
            t.append_text(_claim(s))
            out.append(Padding(t, (0, 0, 0, 2)))
    elif b.kind == "quote" and b.quote is not None:
        q = b.quote
        if q.intro is not None:
            out.append(Text(q.intro.text))
        body = Text(f"“{q.text}”", style="bold italic")
        if q.speaker:
            body.append(f"\n— {q.speaker}", style="dim")
        for r in q.refs:
            body.append(f" [{r}]", style="cyan")
        out.append(Panel(body, border_style="magenta", expand=False))
    elif b.kind == "chart" and b.chart is not None:
        c = b.chart
        lines = Text(f"▌ {c.title}\n", style="bold")
        for ln in c.text_lines:
            lines.append(ln + "\n")
        lines.append(c.desc, style="dim")
        out.append(Padding(lines, (0, 0, 0, 2)))
    elif b.kind == "table" and b.table is not None:
        from rich.table import Table as RichTable

        tb = RichTable(title=b.table.caption, title_justify="left")
        for h in b.table.header:
            tb.add_column(h)
        for row, refs in zip(b.table.rows, b.table.refs or [()] * len(b.table.rows), strict=False):
            cells = [Text(c) for c in row]
            for r in refs:
                cells[0].append(f" [{r}]", style="cyan")
            tb.add_row(*cells)
        out.append(tb)
    elif b.kind == "watch" and b.link is not None:
        out.append(Text(f"▶ {b.link[0]}: {b.link[1]}", style="bold"))
    return out


def _section(sec: Section, level: int) -> list[RenderableType]:
    out: list[RenderableType] = [Text("")]
    if level == 2:
        out.append(Rule(Text(sec.title, style="bold"), align="left", style="grey50"))
    else:
        out.append(Text(sec.title, style="bold underline"))
    for b in sec.blocks:
        out.extend(_block(b))
    for sub in sec.subsections:
        out.extend(_section(sub, level + 1))
    return out


def article_renderables(article: Article) -> Group:
    parts: list[RenderableType] = [
        Text(article.headline, style="bold"),
    ]
    if article.dek is not None:
        parts.append(_claim(article.dek, "italic"))
    parts.append(Text(f"Spoiler alert. {article.spoiler}", style="bold yellow"))
    share = Text("Share: ")
    for i, s in enumerate(article.share):
        if i:
            share.append(" · ")
        share.append(s.label, style=f"link {s.href}")
    parts.append(share)
    for sec in article.sections:
        parts.extend(_section(sec, 2))
    if article.watch is not None:
        parts += [Text(""), Text(f"▶ {article.watch[0]}: {article.watch[1]}", style="bold")]
    for slot in article.slots:
        parts += [
            Text(""),
            Rule(Text(slot.title, style="bold"), align="left", style="grey50"),
            Text(slot.note, style="italic dim"),
        ]
    if article.evidence:
        parts += [Text(""), Rule(Text("Evidence", style="bold"), align="left", style="grey50")]
        for e in article.evidence:
            t = Text(f"[{e.n}] ", style="cyan")
            if e.where:
                t.append(e.where + ": ", style="dim")
            t.append(f"“{e.quote}”")
            parts.append(t)
    return Group(*parts)


def render_text(article: Article, width: int = 100, color: bool = False) -> str:
    """The article as text: plain by default, with ANSI styles when ``color``."""
    buf = io.StringIO()
    console = Console(
        file=buf,
        width=width,
        force_terminal=color,
        color_system="standard" if color else None,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
    )
    console.print(article_renderables(article))
    if color:
        return buf.getvalue()
    # rich pads list items to the full width: no trailing spaces in plain text
    return "\n".join(line.rstrip() for line in buf.getvalue().split("\n"))
