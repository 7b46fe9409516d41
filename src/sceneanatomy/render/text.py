"""Plain, deterministic terminal text for the parsed document."""

from __future__ import annotations

from ..model import Document, format_time


def document_text(doc: Document) -> str:
    out: list[str] = []
    out.append(f"# {doc.title or doc.path or 'untitled'}")
    out.append(f"format: {doc.source_format}  encoding: {doc.encoding}  scenes: {len(doc.scenes)}")
    for key, value in doc.title_page.items():
        out.append(f"{key}: {value}")
    for scene in doc.scenes:
        out.append("")
        out.append(f"== {scene.id} {scene.heading or '(no heading)'}")
        for el in scene.elements:
            span = el.span
            where = f"L{span.start_line}"
            if span.start_time is not None:
                where += f" {format_time(span.start_time)}"
            who = f" {el.speaker}" if el.speaker else ""
            ext = f" ({el.extension})" if el.extension else ""
            dual = " ^" if el.dual else ""
            text = el.text.replace("\n", " / ")
            out.append(f"{where:>8}  {el.kind.value:<13}{who}{ext}{dual}: {text}")
    if doc.furniture:
        out.append("")
        out.append("== page furniture (not narrative)")
        for el in doc.furniture:
            out.append(f"L{el.span.start_line:<7}  {el.kind.value}: {el.text}")
    if doc.warnings:
        out.append("")
        for w in doc.warnings:
            out.append(
                f"warning: line {w.line}: {w.message}" if w.line else f"warning: {w.message}"
            )
    return "\n".join(out) + "\n"
