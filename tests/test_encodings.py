"""Encoding detection on subtitle-sized inputs: BOMs, UTF-16, CP949/EUC-KR, GBK, Shift-JIS..."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sceneanatomy.encoding import Decoded, decode, is_binary
from sceneanatomy.errors import ParseError
from sceneanatomy.readers import ReadOptions, read_bytes


def srt(*lines: str) -> str:
    """A small SRT, one cue per line, with LF line ends."""
    cues = []
    for i, line in enumerate(lines, 1):
        cues.append(f"{i}\n00:00:{i:02d},000 --> 00:00:{i:02d},900\n{line}\n")
    return "\n".join(cues)


KOREAN = [
    srt("민수: 어디 가는 거야?", "지은: 집에 가. 오늘 너무 피곤해.", "(문 닫히는 소리)"),
    srt("괜찮아요?", "네, 괜찮아요. 걱정하지 마세요."),
    srt("오빠, 밥 먹었어?", "아직. 같이 먹을래?", "좋아!"),
    srt("회장님, 회의 준비가 끝났습니다.", "알겠네. 곧 가지."),
    "사랑해",
]
CHINESE = [
    srt("你要去哪里？", "我回家了，太累了。"),
    srt("我们明天见。", "好的，明天见！"),
    srt("他是我的朋友。", "真的吗？我不相信。"),
    srt("对不起，我来晚了。", "没关系，快进来吧。"),
    "你好",
]
JAPANESE = [
    srt("どこへ行くの？", "家に帰るよ。疲れた。"),
    srt("ありがとうございます。", "どういたしまして。"),
    srt("大丈夫ですか？", "はい、大丈夫です。"),
    "先生、質問があります。",
]
LATIN = [
    srt("Où est la clé du château ?", "Je ne sais pas, désolé."),
    srt("Ça va très bien, merci."),
    srt("Det är inte varmt.", "Ta en kopp te, sköterska."),
    srt("Hej då, älskling!"),
    "Größe ist nicht alles. Schön, dich zu sehen.",
]


def roundtrip(text: str, codec: str) -> Decoded:
    decoded = decode(text.encode(codec))
    assert decoded.text == text, f"mojibake: {decoded.encoding} gave {decoded.text[:40]!r}"
    return decoded


# --- Unicode ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", KOREAN[:2] + CHINESE[:1] + JAPANESE[:1] + LATIN[:1])
def test_utf8_with_and_without_bom(text: str) -> None:
    assert roundtrip(text, "utf-8").encoding == "utf-8"
    d = decode(codecs.BOM_UTF8 + text.encode("utf-8"))
    assert (d.text, d.encoding, d.had_bom) == (text, "utf-8-sig", True)


@pytest.mark.parametrize("text", KOREAN[:2] + CHINESE[:1] + JAPANESE[:1] + LATIN[:1])
def test_utf16_with_bom(text: str) -> None:
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        d = decode(bom + text.encode(codec))
        assert (d.text, d.encoding, d.had_bom) == (text, "utf-16", True)


@pytest.mark.parametrize("text", KOREAN[:4] + CHINESE[:4] + JAPANESE + LATIN)
def test_utf16_without_bom(text: str) -> None:
    assert roundtrip(text, "utf-16-le").encoding == "utf-16-le"
    assert roundtrip(text, "utf-16-be").encoding == "utf-16-be"


def test_utf32_with_bom() -> None:
    text = KOREAN[0]
    d = decode(codecs.BOM_UTF32_LE + text.encode("utf-32-le"))
    assert (d.text, d.encoding) == (text, "utf-32")


# --- legacy East Asian codecs ---------------------------------------------------------------


@pytest.mark.parametrize("text", KOREAN)
def test_cp949_korean_is_reported_as_cp949(text: str) -> None:
    assert roundtrip(text, "cp949").encoding == "cp949"


def test_cp949_extension_syllables() -> None:
    # 똠, 뷁 are outside EUC-KR (KS X 1001): only CP949 (UHC) encodes them.
    text = srt("똠방각하, 뷁! 이게 뭐야?", "몰라요. 정말 몰라요.")
    assert all(ch.encode("cp949")[0] < 0xB0 for ch in "똠뷁")  # UHC extension area
    assert roundtrip(text, "cp949").encoding == "cp949"


@pytest.mark.parametrize("text", KOREAN)
def test_euc_kr_is_read_as_its_superset_cp949(text: str) -> None:
    assert roundtrip(text, "euc_kr").encoding == "cp949"


@pytest.mark.parametrize("text", CHINESE)
@pytest.mark.parametrize("codec", ["gb2312", "gbk"])
def test_chinese_gb2312_and_gbk(text: str, codec: str) -> None:
    assert roundtrip(text, codec).encoding == "gbk"


def test_gbk_only_characters() -> None:
    text = srt("朱镕基来了。", "我们走吧，快点！")  # 镕 is in GBK, not in GB2312
    assert roundtrip(text, "gbk").encoding == "gbk"


@pytest.mark.parametrize("text", JAPANESE)
def test_shift_jis(text: str) -> None:
    assert roundtrip(text, "shift_jis").encoding == "cp932"


@pytest.mark.parametrize("text", JAPANESE[:3])
def test_euc_jp(text: str) -> None:
    assert roundtrip(text, "euc_jp").encoding == "euc-jp"


def test_big5_traditional_chinese() -> None:
    text = srt("你要去哪裡？", "我回家了，太累了。")
    assert roundtrip(text, "big5").encoding == "big5"


# --- Western single-byte ------------------------------------------------------------------


@pytest.mark.parametrize("text", LATIN)
def test_latin1(text: str) -> None:
    assert roundtrip(text, "latin-1").encoding == "latin-1"


def test_cp1252_curly_quotes() -> None:
    text = srt("“C’est la vie”, dit-elle… déjà.")
    assert roundtrip(text, "cp1252").encoding == "cp1252"


def test_cyrillic_cp1251_is_not_taken_for_latin1() -> None:
    text = srt("Привет, как дела?", "Хорошо, спасибо. А у тебя?")
    assert roundtrip(text, "cp1251").encoding == "cp1251"


# --- hints, binary, errors ------------------------------------------------------------------


def test_hint_overrides_detection() -> None:
    data = KOREAN[0].encode("cp949")
    assert decode(data, hint="cp949") == Decoded(KOREAN[0], "cp949")
    # forcing a wrong but valid codec is obeyed (the user asked for it)
    assert decode(LATIN[0].encode("latin-1"), hint="cp1252").encoding == "cp1252"


def test_hint_utf8_drops_a_bom() -> None:
    d = decode(codecs.BOM_UTF8 + b"hello", hint="utf-8")
    assert (d.text, d.had_bom) == ("hello", True)


def test_bad_hint_and_undecodable_bytes_raise_parse_error() -> None:
    with pytest.raises(ParseError, match="unknown encoding"):
        decode(b"abc", hint="no-such-codec")
    with pytest.raises(ParseError, match="cannot decode as utf-8") as exc:
        decode(b"line one\nline two \xff\xfe\n", hint="utf-8")
    assert exc.value.line == 2


def test_reader_encoding_option_and_report() -> None:
    data = KOREAN[0].encode("cp949")
    doc = read_bytes(data, path="ko.srt")
    assert doc.encoding == "cp949"
    assert doc.elements()[0].text == "어디 가는 거야?"
    forced = read_bytes(data, path="ko.srt", options=ReadOptions(encoding="euc-kr"))
    assert forced.elements()[0].text == "어디 가는 거야?"
    assert forced.encoding == "euc_kr"


def test_binary_is_refused() -> None:
    data = bytes(range(256)) * 4
    assert is_binary(data)
    with pytest.raises(ParseError, match="binary"):
        decode(data)
    assert not is_binary(KOREAN[0].encode("utf-16-le"))
    assert not is_binary(KOREAN[0].encode("cp949"))


# --- golden file ----------------------------------------------------------------------------


def test_gb2312_golden(formats_dir: Path) -> None:
    path = formats_dir / "gb2312.srt"
    if not path.exists():
        pytest.skip("gb2312.srt not present")
    data = path.read_bytes()
    d = decode(data)
    assert d.encoding == "gbk"
    assert d.text == data.decode("gb2312")
    assert "宇宙守护神" in d.text


# --- properties -----------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_decode_or_parse_error(data: bytes) -> None:
    try:
        d = decode(data)
    except ParseError:
        return
    assert isinstance(d.text, str)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_unicode_round_trips(text: str) -> None:
    assume(not text.startswith(("\ufeff", "\x00")))  # a BOM (UTF-8 / UTF-32) decides
    assert decode(text.encode("utf-8")).text == text
    if text:
        assert decode(codecs.BOM_UTF16_LE + text.encode("utf-16-le")).text == text
        assert decode(codecs.BOM_UTF16_BE + text.encode("utf-16-be")).text == text
