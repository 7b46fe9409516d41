"""Decoding bytes to text, in one place: BOMs, UTF-16, CP949/EUC-KR, GBK, Shift-JIS, Latin-1.

Strategy, in order (the first step that decides wins):

1. ``hint`` (the CLI's ``--encoding``) is obeyed; a matching UTF BOM is dropped.
2. A BOM decides (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE).
3. Strict UTF-8. Most files are UTF-8, and a valid UTF-8 decode of non-ASCII bytes is
   almost never an accident.
4. UTF-16 without a BOM, recognised from its NUL pattern (subtitles are full of ASCII
   digits, so every other byte is NUL) and checked by decoding it strictly.
5. Binary data (NULs, control bytes) is refused with a ParseError.
6. East Asian double-byte codecs, tried *strictly* and scored. Generic detectors
   (charset-normalizer included) guess poorly on subtitle-sized inputs: a few cues of
   Chinese or Japanese come out as CP949 and French as CP1250. The legacy CJK codecs also
   overlap: EUC-KR Hangul bytes are valid GB2312 hanzi, GB2312 bytes are valid CP949.
   So each candidate (``cp949``, ``gbk``, ``cp932``, ``big5``, ``euc-jp``) that decodes
   the bytes without error gets two numbers over its non-ASCII characters (punctuation
   left out):

   * *valid*: the share of characters that are the candidate's core repertoire -- Hangul
     syllables from the KS X 1001 block for CP949 (the extended UHC syllables are rare
     in real text but are what Shift-JIS bytes turn into), GB2312 hanzi for GBK, kana and
     JIS level-1 kanji for CP932/EUC-JP (with too few kana the score is halved: Japanese
     without kana is implausible), Big5 level-1 hanzi for Big5;
   * *common*: the share of characters found in a short list of the language's most
     frequent characters (Korean syllables, Chinese hanzi, Japanese kana/kanji). Mojibake
     of another language is valid-looking but almost never frequent.

   A candidate needs ``valid >= 0.75``; the best ``valid + common`` wins, ties going to
   the order above (CP949 first: Korean subtitle files are very often CP949, and EUC-KR is
   its subset, so Korean is always reported as ``cp949``).
7. Western single-byte text: decoded as CP1252 (or Latin-1) when its non-ASCII letters
   stand alone among ASCII letters (``é`` in ``café``), as in French, Swedish, German...
   Reported as ``latin-1`` when no byte falls in 0x80-0x9F, else ``cp1252``.
8. Anything else (Cyrillic, Greek... code pages) goes to charset-normalizer; Latin-1 is
   the last resort, since it decodes any byte string.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import lru_cache

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


def _plausible(ch: str) -> bool:
    o = ord(ch)
    return (
        0x20 <= o < 0x7F
        or ch in "\t\n\r"
        or 0xA0 <= o <= 0x24F  # Latin-1 and Latin Extended
        or 0x370 <= o <= 0x52F  # Greek, Cyrillic
        or 0x2000 <= o <= 0x206F  # general punctuation
        or 0x3000 <= o <= 0x30FF  # CJK punctuation, kana
        or 0x4E00 <= o <= 0x9FFF  # CJK ideographs
        or 0xAC00 <= o <= 0xD7A3  # Hangul syllables
        or 0xFF00 <= o <= 0xFFEF  # full-width forms
    )


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM: many NULs at odd (LE) or even (BE) positions, and a clean decode.

    Subtitles are full of ASCII digits and timings, so this is the usual case. Text with
    little ASCII (CJK) has few NULs: :func:`_plausible_utf16` covers it.
    """
    n = min(len(data), 4096) & ~1
    if n < 4:
        return None
    sample = data[:n]
    even_nul = sample[0::2].count(0)
    odd_nul = sample[1::2].count(0)
    half = n // 2
    if odd_nul > 0.25 * half and even_nul < 0.05 * half:
        guess = "utf-16-le"
    elif even_nul > 0.25 * half and odd_nul < 0.05 * half:
        guess = "utf-16-be"
    else:
        return None
    text = _decode_sample(sample, guess)
    if not text:
        return None
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\n\r\f\x1b")
    return guess if controls <= max(2, len(text) // 100) else None


def _decode_sample(sample: bytes, codec: str) -> str | None:
    try:
        return sample.decode(codec)
    except UnicodeDecodeError:
        # The sample may end inside a surrogate pair; only an early error is fatal.
        try:
            return sample[: max(0, len(sample) - 4)].decode(codec)
        except UnicodeDecodeError:
            return None


def _plausible_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM for data that would otherwise be binary (NULs or control bytes).

    Accepted only when one byte order decodes to almost nothing but plausible characters
    (ASCII, Latin, Greek/Cyrillic, punctuation, kana, CJK, Hangul).
    """
    n = min(len(data), 4096) & ~1
    if n < 4:
        return None
    best: tuple[float, str] | None = None
    for codec in ("utf-16-le", "utf-16-be"):
        text = _decode_sample(data[:n], codec)
        if not text:
            continue
        share = sum(map(_plausible, text)) / len(text)
        if share >= 0.95 and (best is None or share > best[0]):
            best = (share, codec)
    return best[1] if best else None


def _has_controls(sample: bytes) -> bool:
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > max(2, len(sample) // 100)


def is_binary(data: bytes) -> bool:
    """True for data that is not text in any encoding we read (NULs, control bytes)."""
    sample = data[:8192]
    if not sample:
        return False
    for bom, _, _ in _BOMS:
        if sample.startswith(bom):
            return False
    if _looks_utf16(sample) or not _has_controls(sample):
        return False
    return _plausible_utf16(sample) is None


def _line_of(data: bytes, offset: int) -> int:
    return data[:offset].count(b"\n") + 1


def decode(data: bytes, *, path: str | None = None, hint: str | None = None) -> Decoded:
    """Decode ``data``; raise ParseError for binary data or undecodable bytes."""
    if hint:
        return _decode_with_hint(data, path, hint)
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom) :].decode(codec), name, had_bom=True)
            except UnicodeDecodeError as exc:
                line = _line_of(data, len(bom) + exc.start)
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
    if _has_controls(data[:8192]):  # not binary, so it is UTF-16 with few NULs
        u16 = _plausible_utf16(data)
        if u16:
            try:
                return Decoded(data.decode(u16), u16)
            except UnicodeDecodeError:
                raise ParseError(f"invalid {u16} byte sequence", path=path) from None
    return _detect_legacy(data)


def _decode_with_hint(data: bytes, path: str | None, hint: str) -> Decoded:
    try:
        info = codecs.lookup(hint)
    except LookupError:
        raise ParseError(f"unknown encoding {hint!r}", path=path) from None
    had_bom = False
    codec = info.name
    # A BOM of the hinted family is not text: "utf-8" on a BOM file means utf-8-sig.
    if codec in ("utf-8", "utf-8-sig") and data.startswith(codecs.BOM_UTF8):
        data, codec, had_bom = data[3:], "utf-8", True
    elif codec in ("utf-16", "utf-16-le", "utf-16-be") and data[:2] in (
        codecs.BOM_UTF16_LE,
        codecs.BOM_UTF16_BE,
    ):
        codec = "utf-16-le" if data[:2] == codecs.BOM_UTF16_LE else "utf-16-be"
        data, had_bom = data[2:], True
    try:
        return Decoded(data.decode(codec), info.name, had_bom=had_bom)
    except UnicodeDecodeError as exc:
        line = _line_of(data, exc.start)
        raise ParseError(
            f"cannot decode as {hint}: invalid byte sequence (try another --encoding)",
            path=path,
            line=line,
        ) from None


# --------------------------------------------------------------------------------------
# East Asian double-byte codecs


# The most frequent characters of each language, written out by hand (a few hundred
# each; they only need to separate real text from another language's mojibake).
_KO_COMMON = set(
    "이다는의에가고하지을를한서요게나도로기있어아리사그자수대인시해것으니구라주만내면들정보스부"
    "우거전여일마경무제상없말야네왜뭐안돼잖니까래냐걸데요죠네요했어요습니다입니다합니다세요워"
    "요잘좀더또못알겠싶같너나우리저제당신씨님형누오빠언니엄마아빠선배후배생각사랑미안고마워"
    "괜찮진짜정말그래그럼근데아니예응어떻게왜요지금오늘내일어제여기거기저기집회장님실장팀"
    "날때문에서부터까지처럼보다하고랑이랑와과도만은는을를의로으로에게한테께서요해서했는데"
    "가요와요줘봐봐요돼요되는되다된될할할게할까하면하는하지하고해도해요했다했던했지였어였다"
    "있는있어있다있었없는없어없다없었먹고가는오는보는알아모르는좋아싫어몰라"
)
_KO_COMMON |= set("이다에의는로하을가고지서한은기으년대사시를리도인스일")

_ZH_COMMON = set(
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年"
    "过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心"
    "她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间"
    "由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给"
    "世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变"
    "四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社"
    "便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北"
    "边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济"
    "车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调深商算质团"
    "集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企"
    "八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历首医局突专费号尽另周较注语仅考"
    "落青随选列武红响虽推势参希古众构房半节土投某案黑维革划敌致陈律足态护七兴派孩验责营星够章音"
)
_ZH_TRAD_COMMON = set(
    "的一是不了在人有我他這個們中來上大為和國地到以說時要就出會可也你對生能而子那得於著下自之年"
    "過發後作裡用道行所然家種事成方多經麼去法學如都同現當沒動面起看定天分還進好小部其些主樣理心"
    "她本前開但因只從想實日軍者意無力它與長把機十民第公此已工使情明性知全三又關點正業外將兩高間"
    "由問很最重並物手應戰向頭文體政美相見被利什二等產或新己製身果加西斯月話合回特代內信表化老給"
    "嗎吧呢啊謝請別讓誰對錯愛媽爸哥姐弟妹朋友走吃喝睡覺說話聽看寫讀買賣開關門車錢東西今明昨"
)
_JA_COMMON = set(
    "のにるたとはしいをでてがなれからさっりすあもこまうくよきんめおけそつだやえどわちみせじばへびず"
    "ろほげむべひょゆぶごゃねふぐぎぼゅづざぞぬぜぱぽぷぴぃぁぇぺ"
    "ーンストリイアラックドシレジタフロカテマィグバムプオコデニウメサビナブャエュチキズダパミ"
    "日一人年大十二本中長出三時行見月分後前生五間上東四今金九入学高円子外八六下来気小七山話女北午"
    "百書先名川千水半男西電校語土木聞食車何南万毎白天母火右読友左休父雨私僕俺君彼女事思言知分"
)

try:  # charset-normalizer ships frequency lists; use them as well when present.
    from charset_normalizer.constant import FREQUENCIES as _CN_FREQ

    _KO_COMMON |= set(_CN_FREQ.get("Korean", ()))
    _ZH_COMMON |= set(_CN_FREQ.get("Chinese", ()))
    for _k in ("Japanese", "Japanese—", "Japanese——"):
        _JA_COMMON |= set(_CN_FREQ.get(_k, ()))
except Exception:  # noqa: BLE001 - an optional nicety, never a failure
    pass

# Punctuation that every CJK codec has and that says nothing about the language.
_NEUTRAL = set("、。〈〉《》「」『』【】〔〕・…‥“”‘’—–―～！？：；，．（）·〃々〆〇\u3000")


def _two_bytes(ch: str, codec: str) -> tuple[int, int] | None:
    try:
        b = ch.encode(codec)
    except UnicodeEncodeError:
        return None
    return (b[0], b[1]) if len(b) == 2 else None


@lru_cache(maxsize=65536)
def _class(ch: str, lang: str) -> int:
    """1 when ``ch`` is core repertoire for ``lang``, 2 when it is also frequent, else 0."""
    o = ord(ch)
    if lang == "ko":
        if not 0xAC00 <= o <= 0xD7A3:
            return 0
        b = _two_bytes(ch, "cp949")
        core = b is not None and 0xB0 <= b[0] <= 0xC8 and b[1] >= 0xA1
        return (2 if ch in _KO_COMMON else 1) if core else 0
    if lang == "zh":
        if not 0x4E00 <= o <= 0x9FFF:
            return 0
        b = _two_bytes(ch, "gbk")
        core = b is not None and 0xB0 <= b[0] <= 0xF7 and b[1] >= 0xA1
        return (2 if ch in _ZH_COMMON else 1) if core else 0
    if lang == "zh-hant":
        if not 0x4E00 <= o <= 0x9FFF:
            return 0
        b = _two_bytes(ch, "big5")
        core = b is not None and 0xA4 <= b[0] <= 0xC6
        return (2 if ch in _ZH_TRAD_COMMON else 1) if core else 0
    # Japanese: kana, and JIS X 0208 level-1 kanji (Shift-JIS leads 0x88-0x98).
    if 0x3041 <= o <= 0x30FF:
        return 2 if ch in _JA_COMMON else 1
    if 0x4E00 <= o <= 0x9FFF:
        b = _two_bytes(ch, "cp932")
        core = b is not None and 0x88 <= b[0] <= 0x98
        return (2 if ch in _JA_COMMON else 1) if core else 0
    return 0


_CJK_CANDIDATES: list[tuple[str, str]] = [
    ("cp949", "ko"),
    ("gbk", "zh"),
    ("cp932", "ja"),
    ("big5", "zh-hant"),
    ("euc-jp", "ja"),
]


def _score(text: str, lang: str) -> tuple[float, float, int]:
    """(valid share, frequent share, number of characters judged)."""
    n = valid = common = kana = 0
    for ch in text:
        if ord(ch) < 0x80 or ch in _NEUTRAL or ch.isspace():
            continue
        n += 1
        c = _class(ch, lang)
        if c:
            valid += 1
            if c == 2:
                common += 1
        if lang == "ja" and 0x3041 <= ord(ch) <= 0x30FF:
            kana += 1
    if n == 0:
        return 0.0, 0.0, 0
    v, f = valid / n, common / n
    if lang == "ja" and kana < 0.15 * n:
        v /= 2
    return v, f, n


def _detect_cjk(data: bytes) -> Decoded | None:
    best: tuple[float, int, str, str] | None = None
    for rank, (codec, lang) in enumerate(_CJK_CANDIDATES):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        valid, common, n = _score(text, lang)
        if n == 0 or valid < 0.75:
            continue
        key = (valid + common, -rank, codec, text)
        if best is None or key[:2] > best[:2]:
            best = key
    if best is None:
        return None
    return Decoded(best[3], best[2])


_HIGH_RUN = re.compile(r"[^\x00-\x7f]+")


def _detect_western(data: bytes) -> Decoded | None:
    """CP1252/Latin-1 when accented letters sit alone among ASCII letters."""
    c1 = any(0x80 <= b <= 0x9F for b in data)
    try:
        text = data.decode("cp1252") if c1 else data.decode("latin-1")
    except UnicodeDecodeError:
        return None
    runs = [m.group() for m in _HIGH_RUN.finditer(text)]
    if not runs:
        return Decoded(text, "latin-1")
    letters = [r for r in runs if any(ch.isalpha() for ch in r)]
    if not letters:
        return Decoded(text, "cp1252" if c1 else "latin-1")
    long_runs = sum(1 for r in letters if len(r) >= 3)
    # Words in Cyrillic, Greek, Hebrew... code pages are all high bytes.
    if long_runs > 0.2 * len(letters):
        return None
    return Decoded(text, "cp1252" if c1 else "latin-1")


def _detect_legacy(data: bytes) -> Decoded:
    found = _detect_cjk(data) or _detect_western(data)
    if found is not None:
        return found
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data, preemptive_behaviour=True).best()
    except Exception:  # noqa: BLE001 - detection is best effort; Latin-1 follows
        best = None
    if best is not None:
        enc = _PREFERRED.get(best.encoding, best.encoding)
        for codec in (enc, best.encoding):
            try:
                return Decoded(data.decode(codec), codec)
            except (UnicodeDecodeError, LookupError):
                continue
    # Last resort: Latin-1 decodes any byte string; only for text-looking data.
    return Decoded(data.decode("latin-1"), "latin-1")
