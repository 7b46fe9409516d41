"""The PDF screenplay reader: text layer with x-positions, both backends."""

from __future__ import annotations

import bisect
import re
import textwrap
from functools import cache

import pytest
from fpdf import FPDF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sceneanatomy.errors import ParseError
from sceneanatomy.model import Document, ElementKind
from sceneanatomy.readers import read_bytes
from sceneanatomy.readers.pdf import BACKEND_ENV, TIMEOUT_ENV, available_backends, read_pdf

K = ElementKind
IN = 72.0  # points per inch
# Standard screenplay layout, Courier 12 (10 characters per inch, 6 lines per inch).
X = {"heading": 1.5, "action": 1.5, "cue": 3.7, "dialogue": 2.5, "paren": 3.1}
WRAP = {"heading": 60, "action": 60, "cue": 38, "dialogue": 35, "paren": 25}
RIGHT = 7.5  # transitions end at the right margin

# Our own short screenplay: (kind, text). "speech" groups a cue with what is said.
SCRIPT: list[tuple[str, object]] = [
    ("transition", "FADE IN:"),
    ("heading", "EXT. CENTENNIAL PARK - DAY"),
    (
        "action",
        "Rain drums on an old bandstand. MAYA (30s), soaked to the bone, shelters under "
        "its leaking roof and glares at the sky.",
    ),
    (
        "speech",
        [
            ("cue", "MAYA"),
            ("paren", "(to herself)"),
            ("dialogue", "Of course it rains today. Of course it does."),
        ],
    ),
    ("action", "LEO (30s) runs in, a newspaper held over his head like a tent."),
    ("speech", [("cue", "LEO"), ("dialogue", "Mind if I share your roof?")]),
    ("speech", [("cue", "MAYA (V.O.)"), ("dialogue", "I minded. I said nothing.")]),
    ("transition", "CUT TO:"),
    ("numbered", ("12", "INT. BANDSTAND CAFE - NIGHT")),
    ("action", "They sit across a tiny table. Two cups of cocoa steam between them."),
    ("speech", [("cue", "LEO (CONT'D)"), ("dialogue", "So the roof was a good idea after all.")]),
    (
        "speech",
        [
            ("cue", "MAYA"),
            ("paren", "(smiling despite herself, then serious)"),
            ("dialogue", "The roof leaked. Everything leaks if you wait long enough."),
        ],
    ),
    ("transition", "FADE OUT."),
]


def _rows(kind: str, item: object) -> list[tuple[str, str]]:
    if kind == "speech":
        rows: list[tuple[str, str]] = []
        for k, text in item:  # type: ignore[attr-defined]
            rows += [(k, ln) for ln in textwrap.wrap(text, WRAP[k])]
        return rows
    if kind == "numbered":
        num, text = item  # type: ignore[misc]
        return [("numbered", f"{num}|{text}")]
    return [(kind, ln) for ln in textwrap.wrap(str(item), WRAP.get(kind, 60))]


def make_pdf(
    lines_per_page: int = 40,
    *,
    title_page: bool = True,
    user_password: str | None = None,
    owner_password: str | None = None,
) -> bytes:
    pdf = FPDF(unit="pt", format="letter")
    pdf.set_auto_page_break(False)
    pdf.set_font("Courier", size=12)
    if owner_password is not None:
        pdf.set_encryption(owner_password=owner_password, user_password=user_password or "")
    if title_page:
        pdf.add_page()
        for y, text in [(3.5, "CENTENNIAL RAIN"), (4.0, "Written by"), (4.4, "Ada Lovell")]:
            pdf.text((8.5 * IN - pdf.get_string_width(text)) / 2, y * IN, text)
    page = 0
    used = lines_per_page  # force a new page first

    def new_page() -> None:
        nonlocal page, used
        pdf.add_page()
        page += 1
        used = 0
        if page > 1:
            num = f"{page}."
            pdf.text(RIGHT * IN - pdf.get_string_width(num), 0.5 * IN, num)

    for kind, item in SCRIPT:
        rows = _rows(kind, item)
        if used + len(rows) + 1 > lines_per_page:  # blocks never split across pages
            new_page()
        elif used:
            used += 1  # the blank line between blocks
        for k, text in rows:
            y = IN + (used + 1) * 12
            if k == "transition" and text != "FADE IN:":
                pdf.text(RIGHT * IN - pdf.get_string_width(text), y, text)
            elif k == "transition":
                pdf.text(X["action"] * IN, y, text)
            elif k == "numbered":  # scene numbers in both margins, as separate text runs
                num, heading = text.split("|")
                pdf.text(1.0 * IN, y, num)
                pdf.text(X["heading"] * IN, y, heading)
                pdf.text(RIGHT * IN - pdf.get_string_width(num), y, num)
            else:
                pdf.text(X[k] * IN, y, text)
            used += 1
    return bytes(pdf.output())


@cache
def _pdf(lines_per_page: int = 40) -> bytes:
    return make_pdf(lines_per_page)


def _check_spans(doc: Document) -> None:
    src = doc.source_text
    newlines = [m.start() for m in re.finditer("\n", src)]
    for el in doc.elements() + doc.furniture:
        raw = src[el.span.start_char : el.span.end_char]
        assert raw and raw == raw.strip(), el
        assert el.span.start_line == bisect.bisect_left(newlines, el.span.start_char) + 1
        end = max(el.span.start_char, el.span.end_char - 1)
        assert el.span.end_line == bisect.bisect_left(newlines, end) + 1
        assert "".join(el.text.split()) == "".join(raw.split()) or el.kind is K.SCENE_HEADING
        assert isinstance(el.attrs.get("page"), int) and el.attrs["page"] >= 1


BACKENDS = available_backends()
EXPECTED = [
    ("transition", "FADE IN:"),
    ("scene_heading", "EXT. CENTENNIAL PARK - DAY"),
    (
        "action",
        "Rain drums on an old bandstand. MAYA (30s), soaked to the bone, shelters under its "
        "leaking roof and glares at the sky.",
    ),
    ("character", "MAYA"),
    ("parenthetical", "(to herself)"),
    ("dialogue", "Of course it rains today. Of course it does."),
    ("action", "LEO (30s) runs in, a newspaper held over his head like a tent."),
    ("character", "LEO"),
    ("dialogue", "Mind if I share your roof?"),
    ("character", "MAYA (V.O.)"),
    ("dialogue", "I minded. I said nothing."),
    ("transition", "CUT TO:"),
    ("scene_heading", "INT. BANDSTAND CAFE - NIGHT"),
    ("action", "They sit across a tiny table. Two cups of cocoa steam between them."),
    ("character", "LEO (CONT'D)"),
    ("dialogue", "So the roof was a good idea after all."),
    ("character", "MAYA"),
    ("parenthetical", "(smiling despite herself, then serious)"),
    ("dialogue", "The roof leaked. Everything leaks if you wait long enough."),
    ("transition", "FADE OUT."),
]


def test_both_backends_are_available() -> None:
    assert BACKENDS == ["pdfplumber", "pypdf"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_reads_a_screenplay_pdf(backend: str) -> None:
    doc = read_pdf(_pdf(), backend=backend)
    assert doc.attrs["pdf_backend"] == backend
    assert doc.encoding == "pdf-text"
    assert doc.title == "CENTENNIAL RAIN"
    assert doc.title_page["author"] == "Ada Lovell"
    assert [(e.kind.value, e.text) for e in doc.elements()] == EXPECTED
    # the title page is page 1 and furniture; the script is page 2
    assert {e.attrs["page"] for e in doc.elements()} == {2}
    assert {e.attrs["furniture"] for e in doc.furniture} == {"title_page"}
    assert [s.heading for s in doc.scenes] == [
        None,
        "EXT. CENTENNIAL PARK - DAY",
        "INT. BANDSTAND CAFE - NIGHT",
    ]
    assert doc.scenes[2].number == "12"
    cues = [e for e in doc.elements() if e.kind is K.CHARACTER]
    assert [(c.speaker, c.extension, c.attrs.get("contd", False)) for c in cues] == [
        ("MAYA", None, False),
        ("LEO", None, False),
        ("MAYA", "V.O.", False),
        ("LEO", None, True),
        ("MAYA", None, False),
    ]
    # pages are separated by a form-feed line; lines are indented to their x-position
    assert doc.source_text.count("\f\n") == 1
    lines = doc.source_text.split("\n")
    assert "                                     MAYA" in lines  # 3.7in = 37 columns
    assert "                         Mind if I share your roof?" in lines  # 2.5in
    assert any(re.fullmatch(r" {10}12 {3}INT\. BANDSTAND CAFE - NIGHT +12", ln) for ln in lines)
    assert not doc.warnings
    _check_spans(doc)


@pytest.mark.parametrize("backend", BACKENDS)
def test_page_attrs_and_page_numbers(backend: str) -> None:
    doc = read_pdf(_pdf(14), backend=backend)
    assert [(e.kind.value, e.text) for e in doc.elements()] == EXPECTED
    pages = [e.attrs["page"] for e in doc.elements()]
    assert pages == sorted(pages) and pages[0] == 2 and pages[-1] >= 4
    numbers = [e for e in doc.furniture if e.attrs["furniture"] == "page_number"]
    assert [e.text for e in numbers] == [f"{p}." for p in range(2, 2 + len(numbers))]
    assert [e.attrs["page"] for e in numbers] == list(range(3, 3 + len(numbers)))
    assert doc.source_text.count("\f\n") == doc.attrs["pages"] - 1
    _check_spans(doc)


def test_environment_variable_forces_the_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(BACKEND_ENV, "pypdf")
    doc = read_bytes(_pdf(), path="rain.pdf")
    assert doc.source_format == "pdf" and doc.attrs["pdf_backend"] == "pypdf"
    monkeypatch.setenv(BACKEND_ENV, "nonsense")
    with pytest.raises(ParseError, match="unknown PDF backend"):
        read_bytes(_pdf(), path="rain.pdf")


@pytest.mark.parametrize("backend", BACKENDS)
def test_encrypted_pdfs(backend: str) -> None:
    locked = make_pdf(owner_password="owner", user_password="secret")
    with pytest.raises(ParseError, match="encrypted PDF"):
        read_pdf(locked, backend=backend)
    # an empty user password is no lock at all
    doc = read_pdf(make_pdf(owner_password="owner"), backend=backend)
    assert [(e.kind.value, e.text) for e in doc.elements()] == EXPECTED


@pytest.mark.parametrize("backend", BACKENDS)
def test_scanned_pdf_has_no_text_layer(backend: str) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 150, style="F")  # stands in for a scanned page image
    with pytest.raises(ParseError, match=r"no text layer \(scanned PDF\?\); OCR it first"):
        read_pdf(bytes(pdf.output()), backend=backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_damaged_pdfs(backend: str) -> None:
    with pytest.raises(ParseError, match="not a PDF file"):
        read_pdf(b"hello, not a pdf", backend=backend)
    with pytest.raises(ParseError, match="cannot read PDF"):
        read_pdf(_pdf()[:200], backend=backend)
    with pytest.raises(ParseError) as info:
        read_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50, fmt="pdf", path="x.pdf")
    assert info.value.one_line().startswith("error: x.pdf: ")
    assert "\n" not in info.value.one_line()


# A page whose /MediaBox is an object that refers to itself: pdfminer loops forever on it.
SELF_REFERENCE = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox 4 0 R /Contents 5 0 R >> endobj\n"
    b"4 0 obj 4 0 R endobj\n"
    b"5 0 obj << /Length 44 >> stream\nBT /F1 12 Tf 100 700 Td (INT. HOUSE - DAY) Tj ET\n"
    b"endstream endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_pdf_the_library_loops_on_is_given_up(backend: str) -> None:
    with pytest.raises(ParseError, match="cannot read PDF|gave up reading the PDF after 0.5 s"):
        read_pdf(SELF_REFERENCE, backend=backend, timeout=0.5)


def test_timeout_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(BACKEND_ENV, "pdfplumber")
    monkeypatch.setenv(TIMEOUT_ENV, "0.5")
    with pytest.raises(ParseError, match="gave up reading the PDF after 0.5 s"):
        read_bytes(SELF_REFERENCE, fmt="pdf")
    monkeypatch.setenv(TIMEOUT_ENV, "soon")
    with pytest.raises(ParseError, match="must be a number"):
        read_bytes(SELF_REFERENCE, fmt="pdf")


def _doc_or_parse_error(data: bytes, backend: str | None = None) -> None:
    try:
        doc = read_pdf(data, backend=backend, timeout=5)
    except ParseError as exc:
        assert exc.message
        return
    _check_spans(doc)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_any_bytes_give_document_or_parse_error(data: bytes) -> None:
    try:
        doc = read_bytes(data, fmt="pdf")
    except ParseError:
        pass
    else:
        _check_spans(doc)
    for backend in BACKENDS:
        _doc_or_parse_error(b"%PDF-1.4\n" + data, backend)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_truncated_pdfs_give_document_or_parse_error(data: st.DataObject) -> None:
    full = _pdf(14)
    cut = data.draw(st.integers(min_value=0, max_value=len(full)))
    backend = data.draw(st.sampled_from(BACKENDS))
    _doc_or_parse_error(full[:cut], backend)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_corrupted_pdfs_give_document_or_parse_error(data: st.DataObject) -> None:
    raw = bytearray(_pdf(14))
    for _ in range(data.draw(st.integers(1, 8))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    backend = data.draw(st.sampled_from(BACKENDS))
    _doc_or_parse_error(bytes(raw), backend)
