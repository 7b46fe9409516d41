"""Decoding bytes to text, in one place: BOMs, UTF-16, CP949/EUC-KR, GBK, Shift-JIS, Latin-1.

Strategy: a BOM decides; strict UTF-8 is tried next (most files are UTF-8, and a valid
UTF-8 decode of non-ASCII bytes is almost never an accident); then UTF-16 without a BOM is
recognised from its NUL pattern; then charset-normalizer chooses among the legacy encodings.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from .errors import ParseError

_BOMS: list[tuple[bytes, str, str]] = [
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
]

# charset-normalizer names -> the names we report (and Python codecs accept).
_PREFERRED = {
    "euc_kr": "cp949",  # CP949 is a superset of EUC-KR; Korean subtitle files are usually CP949
    "cp949": "cp949",
    "johab": "cp949",
    "gb2312": "gbk",
    "gbk": "gbk",
    "gb18030": "gb18030",
    "shift_jis": "cp932",
    "cp932": "cp932",
    "euc_jp": "euc-jp",
    "big5": "big5",
    "latin_1": "latin-1",
    "iso8859_1": "latin-1",
}


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str  # what we report, e.g. "utf-8", "utf-8-sig", "cp949"
    had_bom: bool = False


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM: many NULs at odd (LE) or even (BE) positions."""
    n = min(len(data), 4096) & ~1
    if n < 4:
        return None
    sample = data[:n]
    even_nul = sample[0::2].count(0)
    odd_nul = sample[1::2].count(0)
    half = n // 2
    if odd_nul > 0.4 * half and even_nul < 0.05 * half:
        return "utf-16-le"
    if even_nul > 0.4 * half and odd_nul < 0.05 * half:
        return "utf-16-be"
    return None


def is_binary(data: bytes) -> bool:
    """True for data that is not text in any encoding we read (NULs, control bytes)."""
    sample = data[:8192]
    if not sample:
        return False
    for bom, _, _ in _BOMS:
        if sample.startswith(bom):
            return False
    if _looks_utf16(sample):
        return False
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > max(2, len(sample) // 100)


def decode(data: bytes, *, path: str | None = None, hint: str | None = None) -> Decoded:
    """Decode ``data``; raise ParseError for binary data or undecodable bytes."""
    if hint:
        try:
            return Decoded(data.decode(hint), codecs.lookup(hint).name)
        except (LookupError, UnicodeDecodeError) as exc:
            raise ParseError(f"cannot decode as {hint}: {exc}", path=path) from None
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom) :].decode(codec), name, had_bom=True)
            except UnicodeDecodeError as exc:
                line = data[: len(bom) + exc.start].count(b"\n") + 1
                raise ParseError(f"invalid {name} byte sequence", path=path, line=line) from None
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    u16 = _looks_utf16(data)
    if u16:
        try:
            return Decoded(data.decode(u16), u16)
        except UnicodeDecodeError:
            pass
    if is_binary(data):
        raise ParseError("binary data, not a text file", path=path)
    return _detect_legacy(data, path)


def _detect_legacy(data: bytes, path: str | None) -> Decoded:
    from charset_normalizer import from_bytes

    results = from_bytes(
        data,
        cp_isolation=None,
        preemptive_behaviour=True,
    )
    best = results.best()
    if best is not None:
        enc = _PREFERRED.get(best.encoding, best.encoding)
        # Prefer the superset codec when it decodes strictly (EUC-KR text is valid CP949).
        try:
            return Decoded(data.decode(enc), enc)
        except (UnicodeDecodeError, LookupError):
            try:
                return Decoded(data.decode(best.encoding), best.encoding)
            except (UnicodeDecodeError, LookupError):
                pass
    # Last resort: Latin-1 decodes any byte string; only for text-looking data.
    return Decoded(data.decode("latin-1"), "latin-1")
