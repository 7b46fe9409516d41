"""PDF screenplays: the text layer with x-positions, classified like a plain-text screenplay.

Text and positions come from pdfplumber when it is installed (the ``pdf`` extra) and from
pypdf otherwise (a core dependency; its text visitor reports each text run's matrix, from
which we take the x/y position). Set ``SCENE_ANATOMY_PDF_BACKEND=pypdf`` (or ``pdfplumber``)
to choose, or call :func:`read_pdf` with ``backend=``.

``doc.source_text`` is the extracted text layer laid out like a plain-text screenplay:

* one line per text line of the PDF, indented with spaces to its x-position in character
  columns (``round(x0 / char_width)``, measured from the page's left edge; wide gaps inside a
  line, such as scene numbers at both margins, become runs of spaces);
* blank lines where the vertical gap between two lines is larger than the usual line pitch;
* pages separated by a line holding a single form feed (``"\\f\\n"``).

Element spans index into that text, so ``source_text[span.start_char:span.end_char]`` is the
element's text as extracted; every element and furniture item carries ``attrs["page"]``
(1-based). Classification is :func:`~sceneanatomy.readers.screenplay_text.classify_lines`,
shared with the plain-text reader; ``doc.encoding`` is ``"pdf-text"``.
"""

from __future__ import annotations

import bisect
import io
import logging
import os
import signal
import statistics
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import ParseError
from ..model import Document, LineIndex
from ..scenes import group_by_headings
from .screenplay_text import LineRec, _is_page_furniture, classify_lines

if TYPE_CHECKING:
    from . import Source

__all__ = ["BACKEND_ENV", "TIMEOUT_ENV", "read", "read_pdf", "available_backends"]

BACKEND_ENV = "SCENE_ANATOMY_PDF_BACKEND"
TIMEOUT_ENV = "SCENE_ANATOMY_PDF_TIMEOUT"
BACKENDS = ("pdfplumber", "pypdf")


@dataclass(slots=True)
class _Line:
    top: float  # distance from the top of the page, points
    x0: float  # left edge, points
    size: float  # font size, points
    raw: list[Any]  # the backend's characters or text runs, in x order
    text: str = ""  # with runs of spaces for wide gaps (set once the char width is known)


@dataclass(slots=True)
class _Page:
    lines: list[_Line] = field(default_factory=list)


@dataclass(slots=True)
class _Extracted:
    pages: list[_Page]
    char_width: float
    title: str | None = None


def available_backends() -> list[str]:
    """The backends that can run here, preferred first."""
    out = []
    try:
        import pdfplumber  # noqa: F401

        out.append("pdfplumber")
    except ImportError:
        pass
    out.append("pypdf")
    return out


def read(source: Source, fmt: str) -> Document:
    timeout: float | None = None
    if os.environ.get(TIMEOUT_ENV):
        try:
            timeout = float(os.environ[TIMEOUT_ENV])
        except ValueError:
            raise ParseError(f"{TIMEOUT_ENV} must be a number of seconds") from None
    return read_pdf(source.data, backend=os.environ.get(BACKEND_ENV) or None, timeout=timeout)


def read_pdf(data: bytes, backend: str | None = None, timeout: float | None = None) -> Document:
    """Read PDF bytes with ``backend`` ("pdfplumber", "pypdf" or None for the best available).

    ``timeout`` bounds the time spent in the PDF library (default: 60 s plus 20 s per MB):
    both libraries can loop forever on some damaged files. The budget uses SIGALRM, so it
    applies on POSIX in the main thread when no other alarm is set; elsewhere it is skipped.
    """
    if b"%PDF-" not in data[:1024]:
        raise ParseError(
            "not a PDF file (no %PDF- header); the file may be truncated or mislabelled"
        )
    if backend is not None and backend not in BACKENDS:
        raise ParseError(f"unknown PDF backend {backend!r} (known: {', '.join(BACKENDS)})")
    chosen = backend or available_backends()[0]
    if chosen == "pdfplumber" and "pdfplumber" not in available_backends():
        raise ParseError(
            "the pdfplumber backend is not installed (pip install 'scene-anatomy[pdf]')"
        )
    if timeout is None:
        timeout = 60.0 + 20.0 * len(data) / 1e6
    with _quiet_libraries():
        try:
            with _time_budget(timeout):
                ex = _pdfplumber(data) if chosen == "pdfplumber" else _pypdf(data)
        except _OutOfTime:
            raise ParseError(
                f"gave up reading the PDF after {timeout:g} s; it is probably damaged "
                "(e.g. an object that refers to itself)"
            ) from None
        except ParseError:
            raise
        except RecursionError:
            raise ParseError("cannot read PDF: structure nested too deeply") from None
        except MemoryError:
            raise ParseError("cannot read PDF: too large to read in memory") from None
        except Exception as exc:  # noqa: BLE001 - PDF libraries raise anything on bad input
            if _is_password_error(exc):
                raise ParseError("encrypted PDF: it needs a password; decrypt it first") from None
            raise ParseError(f"cannot read PDF (damaged or truncated?): {_describe(exc)}") from None
    if not any(p.lines for p in ex.pages):
        raise ParseError("no text layer (scanned PDF?); OCR it first")
    text, records, page_starts = _layout(ex)
    res = classify_lines(records, text, LineIndex(text))
    for el in res.elements:
        el.attrs["page"] = bisect.bisect_right(page_starts, el.span.start_char)
    for el in res.furniture:
        el.attrs["page"] = bisect.bisect_right(page_starts, el.span.start_char)
    doc = Document(source_text=text, source_format="pdf", encoding="pdf-text")
    doc.scenes = group_by_headings(res.elements)
    doc.furniture = res.furniture
    doc.title = res.title or ex.title
    doc.title_page = dict(res.title_page)
    if ex.title and "title" not in doc.title_page:
        doc.title_page["title"] = ex.title
    doc.attrs["pdf_backend"] = chosen
    doc.attrs["pages"] = len(ex.pages)
    if res.headings == 0:
        doc.warn(None, "no scene headings found: the whole text is one scene")
    if res.cues == 0 and res.elements:
        doc.warn(None, "no character cues found: no dialogue was recognised")
    return doc


def _is_password_error(exc: BaseException) -> bool:
    """pdfplumber wraps pdfminer's PDFPasswordIncorrect; look through the wrappers."""
    seen: list[BaseException] = []
    todo: list[object] = [exc]
    while todo and len(seen) < 10:
        e = todo.pop()
        if not isinstance(e, BaseException) or any(e is s for s in seen):
            continue
        seen.append(e)
        if "Password" in type(e).__name__ or "password" in str(e).lower():
            return True
        todo.extend([*e.args, e.__cause__, e.__context__])
    return False


def _describe(exc: BaseException) -> str:
    msg = " ".join(str(exc).split())
    name = type(exc).__name__
    if not msg:
        return name
    if len(msg) > 160:
        msg = msg[:157] + "..."
    return f"{name}: {msg}"


class _OutOfTime(BaseException):
    """Raised by the alarm; a BaseException so that libraries' ``except Exception`` let it by."""


@contextmanager
def _time_budget(seconds: float) -> Iterator[None]:
    """Interrupt the block after ``seconds`` (repeating, in case a library swallows it)."""
    usable = (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None)
        and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    )
    if not usable or seconds <= 0:
        yield
        return

    def on_alarm(signum: int, frame: object) -> None:
        raise _OutOfTime

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.25)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def _quiet_libraries() -> Iterator[None]:
    """pypdf and pdfminer log every repair they make; a reader reports only what matters."""
    loggers = [logging.getLogger(n) for n in ("pypdf", "pdfminer", "pdfplumber")]
    saved = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for lg, lvl in zip(loggers, saved, strict=True):
            lg.setLevel(lvl)


# --- backends -----------------------------------------------------------------------------


def _pdfplumber(data: bytes) -> _Extracted:
    import pdfplumber

    pdf = pdfplumber.open(io.BytesIO(data), password="")
    pages: list[_Page] = []
    widths: list[float] = []
    with pdf:
        for page in pdf.pages:
            out = _Page()
            for ln in page.extract_text_lines(strip=True, return_chars=True):
                chars = [c for c in ln.get("chars", ()) if c.get("upright", True)]
                if not chars:
                    continue
                chars.sort(key=lambda c: c["x0"])
                widths.extend(
                    float(c["x1"]) - float(c["x0"]) for c in chars if not c["text"].isspace()
                )
                first = chars[0]
                size = float(first.get("size") or 12)
                out.lines.append(_Line(float(ln["top"]), float(first["x0"]), size, chars))
            pages.append(out)
        title = _meta_title(pdf.metadata)
    cw = _char_width(widths, pages)
    for p in pages:
        for line in p.lines:
            line.text = _chars_text(line.raw, cw)
        p.lines = [line for line in p.lines if line.text]
    return _Extracted(pages, cw, title)


def _chars_text(chars: list[dict[str, Any]], cw: float = 0.0) -> str:
    """Characters of one line back to text, a wide gap becoming as many spaces as it is wide."""
    parts: list[str] = []
    prev_x1: float | None = None
    for c in chars:
        t = c["text"]
        x0 = float(c["x0"])
        if prev_x1 is not None and cw > 0:
            gap = x0 - prev_x1
            if gap > 0.5 * cw and not (parts and parts[-1].endswith(" ")) and not t.isspace():
                parts.append(" " * max(1, round(gap / cw)))
        parts.append(t)
        prev_x1 = float(c["x1"])
    return "".join(parts).strip()


def _char_width(widths: list[float], pages: list[_Page]) -> float:
    good = [w for w in widths if w > 0.5]
    if good:
        return statistics.median(good)
    sizes = [ln.size for p in pages for ln in p.lines if ln.size > 0]
    return 0.6 * (statistics.median(sizes) if sizes else 12.0)


def _meta_title(meta: Any) -> str | None:
    try:
        t = meta.get("Title") if meta else None
    except Exception:  # noqa: BLE001 - metadata objects vary
        return None
    if isinstance(t, bytes):
        t = t.decode("utf-8", "replace")
    if isinstance(t, str):
        t = " ".join(t.split())
        return t or None
    return None


def _pypdf(data: bytes) -> _Extracted:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        try:
            ok = reader.decrypt("")
        except Exception:  # noqa: BLE001 - unsupported encryption schemes raise various errors
            ok = 0
        if not ok:
            raise ParseError("encrypted PDF: it needs a password; decrypt it first")
    pages: list[_Page] = []
    sizes: list[float] = []
    for page in reader.pages:
        frags = _page_fragments(page)
        try:
            height = float(page.mediabox.height)
        except Exception:  # noqa: BLE001
            height = 792.0
        out = _Page()
        out.lines = _group_fragments(frags, height)
        sizes.extend(ln.size for ln in out.lines)
        pages.append(out)
    cw = 0.6 * (statistics.median(sizes) if sizes else 12.0)  # Courier: 0.6 em per character
    for p in pages:
        for line in p.lines:
            line.text = _fragments_text(line.raw, cw)
        p.lines = [line for line in p.lines if line.text]
    title = _meta_title(reader.metadata) if reader.metadata is not None else None
    return _Extracted(pages, cw, title)


def _page_fragments(page: Any) -> list[tuple[float, float, str, float]]:
    """(y, x, text, font size) of every text run on a pypdf page, in page space."""
    frags: list[tuple[float, float, str, float]] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if not text or text.isspace():
            return
        a, b, c, d, e, f = (float(v) for v in tm)
        ca, cb, cc, cd, ce, cf = (float(v) for v in cm)
        x = e * ca + f * cc + ce
        y = e * cb + f * cd + cf
        scale = abs(b * cc + d * cd) or abs(a * ca) or 1.0
        fs = float(size or 12) * scale
        for k, part in enumerate(text.split("\n")):
            if part.strip():
                # pypdf prefixes a space when the text position jumps; the run starts at x
                frags.append((y - k * fs * 1.2, x, part.lstrip(), fs))

    page.extract_text(visitor_text=visit)
    return frags


def _group_fragments(frags: list[tuple[float, float, str, float]], height: float) -> list[_Line]:
    """Text runs -> lines: runs whose baselines are within 2 points form one line."""
    frags.sort(key=lambda f: (-round(f[0], 1), f[1]))
    lines: list[_Line] = []
    cur: list[tuple[float, str, float]] = []
    cur_y = 0.0
    for y, x, text, fs in frags:
        if not cur or abs(y - cur_y) > 2.0:
            if cur:
                lines.append(_make_line(cur, cur_y, height))
            cur, cur_y = [], y
        cur.append((x, text, fs))
    if cur:
        lines.append(_make_line(cur, cur_y, height))
    return lines


def _make_line(cur: list[tuple[float, str, float]], y: float, height: float) -> _Line:
    cur.sort(key=lambda f: f[0])
    return _Line(height - y - cur[0][2], cur[0][0], cur[0][2], cur)


def _fragments_text(frags: list[tuple[float, str, float]], cw: float) -> str:
    parts: list[str] = []
    end: float | None = None
    for x, text, fs in frags:
        w = 0.6 * fs if fs > 0 else cw
        if end is not None:
            gap = x - end
            if gap > 0.5 * w and not (parts and parts[-1].endswith(" ")):
                parts.append(" " * max(1, round(gap / cw)))
        parts.append(text)
        end = x + len(text) * w
    return "".join(parts).strip()


# --- layout -------------------------------------------------------------------------------


def _layout(ex: _Extracted) -> tuple[str, list[LineRec], list[int]]:
    """The text layer as indented lines, the line records, the offset where each page starts."""
    cw = ex.char_width if ex.char_width > 0 else 7.2
    deltas = [
        b.top - a.top
        for p in ex.pages
        for a, b in zip(p.lines, p.lines[1:], strict=False)
        if b.top - a.top > 0.5 * max(a.size, 1.0)
    ]
    # The line pitch: single spacing, the smallest common gap (most gaps in a screenplay are
    # single or double spacing), but never more than a usual leading of the body font.
    sizes = [ln.size for p in ex.pages for ln in p.lines if ln.size > 0]
    size = statistics.median(sizes) if sizes else 12.0
    if deltas:
        deltas.sort()
        pitch = min(deltas[len(deltas) // 5], 1.3 * size)
    else:
        pitch = 1.2 * size
    pitch = max(pitch, 0.8 * size)
    chunks: list[str] = []
    records: list[LineRec] = []
    page_starts: list[int] = []
    off = 0
    for pno, page in enumerate(ex.pages):
        if pno:
            chunks.append("\f\n")  # page separator: a line holding a form feed
            off += 2
        page_starts.append(off)
        body = False  # blank lines are kept only between body lines, not around page headers
        prev_top: float | None = None
        for ln in page.lines:
            furniture = _is_page_furniture(ln.text) is not None
            if body and prev_top is not None and not furniture:
                blanks = min(3, max(0, round((ln.top - prev_top) / pitch) - 1))
                for _ in range(blanks):
                    chunks.append("\n")
                    records.append(LineRec("", 0, off, off))
                    off += 1
            if not furniture:
                body = True
            col = max(0, round(ln.x0 / cw))
            start = off + col
            chunks.append(" " * col + ln.text + "\n")
            records.append(LineRec(ln.text, col, start, start + len(ln.text)))
            off = start + len(ln.text) + 1
            prev_top = ln.top
    return "".join(chunks), records, page_starts
