"""Personal names as drama sources spell them: honorifics, romanization, name order.

The rules (also in docs/characters.md):

1. **Surface cleanup.** Cue extensions ("(V.O.)", "(CONT'D)") are removed by the readers.
   Here we remove honorific, kinship and vocative suffixes and titles: ``Ju Gyeong-ah``,
   ``Hye-won-ah``, ``Seo Jun-ssi``, ``Suho-ya``, ``Min-jae sunbae``, ``Mr. Kim`` →
   the bare name, and the removed part is kept as evidence of the relation (``oppa``...).
   Bare kinship terms (``oppa``, ``unnie``, ``hyung``, ``noona``, ``sunbae``, ``ajumma``)
   are terms of address, not names. A vocative particle is removed only where Korean
   would call the name so ("-a" after a consonant, "-ya" after a vowel, two syllables or
   more before it): ``Soo-ah``, ``Seo-ah`` and ``Min-ah`` are names.
2. **Romanization key.** Korean names are romanized many ways (Ju Gyeong / Ju-gyeong /
   Jugyeong / Ju Kyung / Joo-kyung; Seo Jun / Seojun / Seo-joon; Suho / Su-ho / Soo-ho).
   ``roman_key`` maps every variant to one key: lower case, no spaces or hyphens,
   ``oo→u``, ``ee→i``, ``eo→o``, ``yu(ng)→yo(ng)``, ``ae→e``, and the voiced/voiceless pairs
   of Revised vs McCune-Reischauer romanization folded (k→g, t→d, p→b, ch→j, sh→s, r→l).
   The key is only ever compared between names of the same shape (given name with given
   name), so its coarseness cannot merge a surname into a given name.
3. **Name order.** A name of two or more parts whose first part is a common Korean surname
   (in any romanization: Lee/Yi/Rhee, Park/Pak/Bak, Im/Lim/Yim, ...) is family-name-first:
   ``Han Seo Jun`` = surname ``Han`` + given name ``Seo Jun``. The given-name short form
   (``Seo Jun``) joins the full name only when exactly one known full name has that given
   name: two people who share a given name, or a surname, are never merged.
4. **Case.** Case never distinguishes people (``SEO JUN`` = ``Seo Jun``).
5. **Surname + honorific.** In a Korean document a known surname alone with an honorific
   suffix (``Park-ssi``, ``Kim sunbae``) is keyed like ``Mr. Park`` (``t:park``): a short
   form of the one full name with that surname, never a given name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Suffixes written after a name (hyphenated or spaced). The value is what it tells us.
HONORIFIC_SUFFIXES: dict[str, str] = {
    "ssi": "polite",
    "sshi": "polite",
    "shi": "polite",
    "nim": "respect",
    "sunbae": "senior",
    "sunbaenim": "senior",
    "seonbae": "senior",
    "seonbaenim": "senior",
    "hoobae": "junior",
    "hubae": "junior",
    "oppa": "older brother (said by a woman)",
    "oppaya": "older brother (said by a woman)",
    "unnie": "older sister (said by a woman)",
    "eonni": "older sister (said by a woman)",
    "onni": "older sister (said by a woman)",
    "hyung": "older brother (said by a man)",
    "hyeong": "older brother (said by a man)",
    "noona": "older sister (said by a man)",
    "nuna": "older sister (said by a man)",
    "ajumma": "middle-aged woman",
    "ajusshi": "middle-aged man",
    "ajussi": "middle-aged man",
    "ahjussi": "middle-aged man",
    "ahjumma": "middle-aged woman",
    "halmeoni": "grandmother",
    "halmoni": "grandmother",
    "harabeoji": "grandfather",
    "seonsaengnim": "teacher",
    "sonsaengnim": "teacher",
    "saem": "teacher",
    "ssaem": "teacher",
    "gun": "young man",
    "yang": "young woman",
    "sajangnim": "boss",
    "daepyonim": "CEO",
    "daepyo": "CEO",
    "timjangnim": "team leader",
    "chingu": "friend",
}
# Vocative particles: "-ah" after a consonant-final name, "-ya" after a vowel-final one.
VOCATIVES = ("ah", "a", "ya", "yah")
# Bare terms of address that are never names on their own.
ADDRESS_TERMS = frozenset(
    {
        "oppa",
        "unnie",
        "eonni",
        "onni",
        "hyung",
        "hyeong",
        "noona",
        "nuna",
        "sunbae",
        "sunbaenim",
        "seonbae",
        "seonbaenim",
        "ajumma",
        "ahjumma",
        "ajusshi",
        "ajussi",
        "ahjussi",
        "halmeoni",
        "harabeoji",
        "seonsaengnim",
        "sajangnim",
        "daepyonim",
        "mom",
        "dad",
        "mother",
        "father",
        "grandma",
        "grandpa",
        "sir",
        "madam",
        "ma'am",
        "honey",
        "darling",
        "babe",
        "baby",
        "sweetheart",
        "omma",
        "eomma",
        "appa",
        "abeoji",
        "eomeoni",
    }
)
TITLES = (
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "prof",
    "professor",
    "director",
    "teacher",
    "detective",
    "officer",
    "captain",
    "chairman",
    "president",
    "ceo",
    "manager",
    "doctor",
    "nurse",
    "coach",
    "uncle",
    "aunt",
    "auntie",
    "grandma",
    "grandpa",
    "grandmother",
    "grandfather",
)
# Hangul vocatives and honorifics: 민재야, 혜원아, 서준 씨, 수호 선배, 오빠...
HANGUL_SUFFIXES = ("씨", "님", "선배", "선배님", "오빠", "언니", "형", "누나", "아", "야")

# Common Korean surnames, each romanization → one canonical spelling.
_SURNAMES = {
    "kim": ("kim", "gim"),
    "lee": ("lee", "yi", "rhee", "rhie", "i", "ri", "rii"),
    "park": ("park", "pak", "bak", "bark"),
    "choi": ("choi", "choe", "chwe"),
    "jung": ("jung", "jeong", "chung", "cheong"),
    "kang": ("kang", "gang"),
    "cho": ("cho", "jo", "joe"),
    "yoon": ("yoon", "yun"),
    "jang": ("jang", "chang"),
    "lim": ("lim", "im", "yim", "rim"),
    "han": ("han",),
    "oh": ("oh", "o"),
    "seo": ("seo", "suh", "so"),
    "shin": ("shin", "sin"),
    "kwon": ("kwon", "gwon"),
    "hwang": ("hwang",),
    "ahn": ("ahn", "an"),
    "song": ("song",),
    "jeon": ("jeon", "jun", "chun", "chon"),
    "hong": ("hong",),
    "yoo": ("yoo", "yu", "ryu", "ryoo", "yu"),
    "ko": ("ko", "go", "koh"),
    "moon": ("moon", "mun"),
    "yang": ("yang",),
    "son": ("son", "sohn"),
    "bae": ("bae", "pae"),
    "baek": ("baek", "paik", "paek", "baik"),
    "heo": ("heo", "huh", "hur"),
    "nam": ("nam",),
    "noh": ("noh", "no", "roh"),
    "ha": ("ha",),
    "kwak": ("kwak", "gwak"),
    "sung": ("sung", "seong"),
    "cha": ("cha",),
    "joo": ("joo", "ju", "choo"),
    "woo": ("woo", "u"),
    "min": ("min",),
    "na": ("na", "ra"),
    "jin": ("jin", "chin"),
    "byun": ("byun", "byeon", "pyon"),
    "gong": ("gong", "kong"),
    "do": ("do", "doh"),
    "uhm": ("uhm", "eom", "um"),
    "go": ("go",),
    "yeo": ("yeo",),
    "chae": ("chae",),
    "won": ("won",),
    "ok": ("ok",),
    "cheon": ("cheon",),
    "bang": ("bang",),
    "kong": ("kong",),
    "hyun": ("hyun", "hyeon"),
    "ryu": ("ryu",),
    "wang": ("wang",),
    "pyo": ("pyo",),
    "ma": ("ma",),
    "tak": ("tak",),
    "seol": ("seol", "sul"),
    "gil": ("gil", "kil"),
    "yeon": ("yeon",),
    "ji": ("ji",),
}
SURNAME_CANON: dict[str, str] = {v: k for k, vs in _SURNAMES.items() for v in vs}
# Surname readings that are also very common English words or given-name syllables are
# only surnames in names of three parts ("I", "O", "So", "An", "U", "Jun", "Ju", "Go"...).
_WEAK_SURNAMES = frozenset(
    {
        "i",
        "o",
        "so",
        "an",
        "u",
        "jun",
        "ju",
        "go",
        "no",
        "do",
        "ra",
        "na",
        "ha",
        "ma",
        "son",
        "won",
        "min",
        "yu",
        "ji",
        "jin",
        "song",
        "gil",
        "ok",
        "bang",
    }
)

_SPLIT = re.compile(r"[\s\-‐‑–]+")
_NON_ALPHA = re.compile(r"[^a-z]")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Case- and accent-insensitive form: ``SEO-JUN`` → ``seo-jun``."""
    if text.isascii():
        return text.lower()  # the same as below for ASCII, without the normalisation
    nfkd = unicodedata.normalize("NFKD", text)
    return "".join(c for c in nfkd if not unicodedata.combining(c)).casefold()


_KEY_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(a), b)
    for a, b in (
        (r"oo", "u"),
        (r"ee", "i"),
        (r"eo", "o"),
        (r"yung", "yong"),
        (r"ou", "o"),
        (r"ae", "e"),
        (r"ch", "j"),
        (r"sh", "s"),
        (r"k", "g"),
        (r"t", "d"),
        (r"p", "b"),
        (r"r", "l"),
        (r"(.)\1", r"\1"),
    )
)


@lru_cache(maxsize=65536)
def roman_key(name: str) -> str:
    """One key for every romanization of a (given) name: ``Joo-kyung`` → ``jugyong``."""
    folded = fold(name)
    s = _NON_ALPHA.sub("", folded)
    if not s:  # Hangul, Han, Kana: the script itself is the key
        return "".join(c for c in folded if c.isalnum())
    for pat, rep in _KEY_RULES:
        s = pat.sub(rep, s)
    return s


@dataclass(frozen=True, slots=True)
class NameParts:
    """A name taken apart. ``given`` is None for a one-part name that is a known surname."""

    surface: str  # the name as written, suffixes removed
    surname: str | None  # canonical surname ("lee"), when family-name-first is recognised
    given: str | None  # the given name as written ("Seo Jun")
    suffix: str | None  # honorific / kinship / vocative removed, folded ("ah", "ssi", "oppa")
    title: str | None  # a title before the name ("mr", "director")

    @property
    def given_key(self) -> str | None:
        return roman_key(self.given) if self.given else None

    @property
    def full_key(self) -> str:
        if self.surname and self.given:
            return f"{self.surname}|{self.given_key}"
        return f"|{roman_key(self.surface)}"


_SUFFIX_WORD = re.compile(r"(?:[\s\-‐‑]+)([A-Za-z]+)$")
_VOCATIVE_END = re.compile(r"[\-‐‑](ah|a|ya|yah)$", re.I)
_TITLE_START = re.compile(r"^([A-Za-z]+)\.?\s+(?=\S)")


@lru_cache(maxsize=65536)
def strip_suffixes(name: str) -> tuple[str, str | None]:
    """Remove a trailing honorific, kinship term or vocative particle.

    ``Ju Gyeong-ah`` → (``Ju Gyeong``, ``ah``); ``Seo Jun-ssi`` → (``Seo Jun``, ``ssi``);
    ``Min-jae sunbae`` → (``Min-jae``, ``sunbae``); ``Suho-ya`` → (``Suho``, ``ya``).
    A vocative is only removed after a hyphen, so ``Yuna`` and ``Hana`` keep their ``a``,
    and only where Korean would call the name so (:func:`_vocative_fits`), so ``Soo-ah``
    and ``Min-ah`` are names. The particle ends the word: it is removed only when nothing
    else was (``Min-ah-ya`` → (``Min-ah``, ``ya``), ``Kang Min-ah-ya`` → (``Kang Min-ah``,
    ``ya``): one vocative particle per name).
    """
    s = name.strip().rstrip("!?.,")
    suffix: str | None = None
    for _ in range(2):  # "Seo Jun-ssi-ya" style stacks are rare; two rounds suffice
        m = _SUFFIX_WORD.search(s)
        if m and _is_suffix_word(m.group(0), m.group(1)) and m.start() > 0:
            suffix = fold(m.group(1))
            s = s[: m.start()].rstrip()
            continue
        m = _VOCATIVE_END.search(s) if suffix is None else None
        if m and m.start() > 0 and _vocative_fits(s[: m.start()], m.group(1)):
            suffix = fold(m.group(1))
            s = s[: m.start()].rstrip()
            continue
        # Hangul: 민재야, 혜원아, 서준 씨, 수호 선배
        for hs in sorted(HANGUL_SUFFIXES, key=len, reverse=True):
            if s.endswith(hs) and len(s) - len(hs) >= 2 and _is_hangul(s[: -len(hs)].strip()):
                suffix, s = hs, s[: -len(hs)].rstrip()
                break
        else:
            break
    return s, suffix


# a vowel group of a romanized syllable ("oo", "eo", "ae", "u")
_VOWELS = re.compile(r"[aeiou]+", re.I)


def _vocative_fits(stem: str, particle: str) -> bool:
    """Whether a romanized ``stem`` can be a whole name called with ``particle``: Korean
    calls a name that ends in a consonant with "-a" ("Hye-won-ah", "Ju Gyeong-ah") and one
    that ends in a vowel with "-ya" ("Suho-ya"), and a one-word stem must have two
    syllables or more. So "Soo-ah", "Seo-ah" and "Ji-a" are names (a vowel before "-a"),
    and so are "Min-ah" and "Jun-ah" (one syllable before it)."""
    if not stem.isascii():
        return True
    if particle.lower() in ("a", "ah") and stem[-1:].lower() in "aeiouwy":
        return False
    if any(c in stem for c in " -‐‑"):
        return True
    return len(_VOWELS.findall(stem)) >= 2


# Suffix words that are also surnames or given-name syllables ("Kim Yang", "Lee Gun"): only
# a suffix when hyphenated or written in lower case ("Min-ji yang", "Suho-gun").
_AMBIGUOUS_SUFFIXES = frozenset({"gun", "yang", "saem", "nim", "shi", "chingu"})


def _is_suffix_word(joined: str, word: str) -> bool:
    key = fold(word)
    if key not in HONORIFIC_SUFFIXES:
        return False
    if key in _AMBIGUOUS_SUFFIXES:
        return joined.lstrip()[:1] in "-‐‑" or word.islower()
    return True


def _is_hangul(text: str) -> bool:
    return bool(text) and all("\uac00" <= c <= "\ud7a3" or c == " " for c in text)


@lru_cache(maxsize=65536)
def strip_title(name: str) -> tuple[str, str | None]:
    m = _TITLE_START.match(name)
    if m and fold(m.group(1)) in TITLES:
        return name[m.end() :], fold(m.group(1))
    return name, None


def split_name(name: str) -> NameParts:
    """Take a name apart: title, surname (family-name-first Korean names), given, suffix."""
    bare, suffix = strip_suffixes(name)
    bare, title = strip_title(bare)
    parts = [p for p in _SPLIT.split(bare) if p]
    surname: str | None = None
    given: str | None = None
    if parts:
        first = fold(parts[0])
        canon = SURNAME_CANON.get(first)
        strong_enough = first not in _WEAK_SURNAMES or len(parts) >= 3
        if canon and len(parts) >= 2 and strong_enough:
            surname = canon
            given = " ".join(parts[1:])
        elif len(parts) == 1 and title and canon:
            surname = canon  # "Mr. Kim": a surname alone
        else:
            given = bare
    return NameParts(bare, surname, given, suffix, title)


def is_address_term(word: str) -> bool:
    return fold(word.strip(" ,.!?")) in ADDRESS_TERMS


def same_given_name(a: str, b: str) -> bool:
    """Romanization-insensitive comparison of two given names."""
    return roman_key(a) == roman_key(b)


_DIMINUTIVE_ENDINGS = ("ie", "ey", "y")


def is_diminutive(a: str, b: str) -> bool:
    """One given name is the other plus -ie/-ey/-y (``Paul``/``Paulie``, ``Bob``/``Bobby``,
    ``Dan``/``Danny``), the final consonant of the base optionally doubled. Case-insensitive;
    equal names are not diminutives of each other."""
    a, b = fold(a), fold(b)
    if len(a) > len(b):
        a, b = b, a
    if a == b or len(a) < 2 or not a.isalpha() or not b.isalpha():
        return False
    for end in _DIMINUTIVE_ENDINGS:
        if not b.endswith(end):
            continue
        stem = b[: -len(end)]
        if stem == a:
            return True
        if a[-1] not in "aeiouy" and stem == a + a[-1]:
            return True
    return False


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Levenshtein distance, stopping early once above ``limit`` (then ``limit + 1``)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    if limit <= 1:
        return _within_one(a, b, limit)
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        best = i
        for j, cb in enumerate(b, 1):
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            cur.append(v)
            best = min(best, v)
        if best > limit:
            return limit + 1
        prev = cur
    return prev[-1]


def _within_one(a: str, b: str, limit: int) -> int:
    """edit_distance for ``limit`` 0 or 1, in one pass: 0, 1, or ``limit + 1``."""
    if a == b:
        return 0
    if limit < 1:
        return limit + 1
    la, lb = len(a), len(b)
    if la > lb:
        a, b, la, lb = b, a, lb, la
    i = 0
    while i < la and a[i] == b[i]:
        i += 1
    if la == lb:  # one substitution
        return 1 if a[i + 1 :] == b[i + 1 :] else 2
    return 1 if a[i:] == b[i + 1 :] else 2  # one insertion into the shorter


# --- romanized Korean syllables ---------------------------------------------------------

_SYLLABLE = (
    r"(?:kk|gg|tt|dd|pp|bb|ss|jj|ch|sh|ts|[gkndtrlmbpsjh])?"
    r"(?:y?(?:ae|eo|eu|oo|ee|ou|a|e|i|o|u)|w(?:ae|eo|a|e|i|o)|oe|ui)"
    r"(?:ng|k|n|t|l|m|p|g|b|d|r|s|h(?![aeiouwy]))?"
)  # (a final "h" not before a vowel: the casual "ah" of "Min-ah", "Soo-ah")
_KOREAN_WORD = re.compile(f"(?:{_SYLLABLE})+")
_VOWEL_RUN = re.compile(r"[aeiou]+")


@lru_cache(maxsize=65536)
def korean_syllables(word: str) -> int | None:
    """Number of syllables of ``word`` read as romanized Korean; None if it cannot be.

    ``Suho`` → 2, ``Gyeong`` → 1, ``Seo-joon`` → 2, ``McClane`` → None. The test is
    loose (``Tina`` passes too): it only ever narrows what other rules allow.
    """
    s = _NON_ALPHA.sub("", fold(word))
    if not s or len(s) > 14 or not _KOREAN_WORD.fullmatch(s):
        return None
    return len(_VOWEL_RUN.findall(s))


def name_parts(name: str) -> list[str]:
    """Whitespace-separated parts; a hyphen joins the syllables of one given name."""
    return name.split()


@lru_cache(maxsize=65536)
def korean_full_name(name: str) -> tuple[str, str] | None:
    """``Han Seo Jun`` → (``han``, ``Seo Jun``): a family-name-first Korean full name.

    Needs a known surname (any romanization) followed by one to three romanized-Korean
    parts. Two-part names are read this way only when the given part has two syllables
    (``Lee Suho``); ``Seo Jun`` (one syllable after a surname) is read as a given name by
    :func:`name_key`, with this reading kept as the alternative.
    """
    bare, _ = strip_suffixes(name)
    bare, _ = strip_title(bare)
    return _korean_full(bare)


@lru_cache(maxsize=65536)
def _korean_full(bare: str) -> tuple[str, str] | None:
    """:func:`korean_full_name` of a name already without suffixes and title (stripped
    once only: ``Kang Min-ah-ya`` is ``Kang Min-ah`` called, not ``Kang Min``)."""
    parts = name_parts(bare)
    if not 2 <= len(parts) <= 4:
        return None
    first = fold(parts[0])
    canon = SURNAME_CANON.get(first)
    if canon is None or (first in _WEAK_SURNAMES and len(parts) < 3):
        return None
    counts = [korean_syllables(p) for p in parts[1:]]
    if any(c is None for c in counts):
        return None
    total = sum(c for c in counts if c is not None)
    if not 1 <= total <= 3:
        return None
    return canon, " ".join(parts[1:])


# --- keys for matching names ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NameKey:
    """How a name is matched against the other names of a document.

    ``key`` is equal for every spelling of the same name: ``k:han|sojun`` (Korean,
    family name first), ``g:sojun`` (one given name or one-part name), ``w:juno macguff``
    (given-name-first names of two or more parts), ``t:kim`` (a title and a family name,
    "Mr. Kim"). ``shorts`` are the keys of the short forms this (full) name may be written
    as: the given name and title+surname of a Korean name, the first name, last name and
    title+last name of a Western one. ``alt`` / ``alt_shorts`` hold the second reading of
    an ambiguous two-part Korean name (``Seo Jun``: given name ``g:sojun``, or surname Seo
    + given name Jun ``k:seo|jun``).
    """

    key: str
    shorts: tuple[str, ...] = ()
    alt: str | None = None
    alt_shorts: tuple[str, ...] = ()
    parts: int = 1
    title: str | None = None
    suffix: str | None = None


def part_key(part: str, korean: bool) -> str:
    """Key of one name part: romanization-folded in a Korean document, else case-folded."""
    if korean and korean_syllables(part) is not None:
        return roman_key(part)
    folded = fold(part)
    plain = "".join(c for c in folded if c.isalnum())
    return plain or folded


@lru_cache(maxsize=65536)
def name_key(surface: str, korean: bool = False) -> NameKey:
    """The matching key of a name as written (case, suffixes, titles and spelling folded).

    ``korean`` says the document is about Korean people (it names several
    family-name-first Korean names, or has Hangul): only then are romanization variants
    folded (``Joo-kyung`` = ``Ju Gyeong``) and surname-first readings tried.
    """
    bare, suffix = strip_suffixes(surface)
    bare, title = strip_title(bare)
    parts = name_parts(bare)
    if not parts:
        return NameKey(f"g:{fold(surface)}", suffix=suffix, title=title)
    if len(parts) == 1:
        p = parts[0]
        if title:
            canon = SURNAME_CANON.get(fold(p)) if korean else None
            return NameKey(f"t:{canon or part_key(p, korean)}", parts=1, title=title)
        canon = SURNAME_CANON.get(fold(p)) if korean and suffix in HONORIFIC_SUFFIXES else None
        if canon and "-" not in p:
            # "Park-ssi", "Kim sunbae": a surname with an honorific is its bearer's surname
            # form, as "Mr. Park" is (not a vocative "-ah" / "-ya": those call given names)
            return NameKey(f"t:{canon}", parts=1, suffix=suffix)
        return NameKey(f"g:{part_key(p, korean)}", parts=1, title=title, suffix=suffix)
    full = _korean_full(bare) if korean else None
    if full is not None:
        surname, given = full
        gkey = part_key(given.replace(" ", ""), True)
        k = NameKey(f"k:{surname}|{gkey}", (f"g:{gkey}", f"t:{surname}"), parts=len(parts))
        given_parts = name_parts(given)
        if len(parts) == 2 and (korean_syllables(given_parts[0]) or 0) <= 1:
            # "Seo Jun": a two-syllable given name, or surname Seo + given name Jun.
            whole = part_key("".join(parts), True)
            return NameKey(
                f"g:{whole}",
                (),
                k.key,
                k.shorts,
                parts=len(parts),
                title=title,
                suffix=suffix,
            )
        return NameKey(k.key, k.shorts, parts=len(parts), title=title, suffix=suffix)
    if korean and all(korean_syllables(p) == 1 for p in parts) and len(parts) <= 3:
        # "Ju Gyeong", "Hye Won": syllables of one given name written apart.
        return NameKey(
            f"g:{part_key(''.join(parts), True)}", parts=len(parts), title=title, suffix=suffix
        )
    keys = [part_key(p, korean) for p in parts]
    first, last = keys[0], keys[-1]
    return NameKey(
        "w:" + " ".join(keys),
        (f"g:{first}", f"g:{last}", f"t:{last}"),
        parts=len(parts),
        title=title,
        suffix=suffix,
    )


# --- display ----------------------------------------------------------------------------

_MC = re.compile(r"^(Mc|Mac|O['’]|D['’])([A-Z].*)$")


@lru_cache(maxsize=65536)
def smart_case(text: str) -> str:
    """``HAN SEO JUN`` → ``Han Seo Jun``, ``McCLANE`` → ``McClane``, ``HYE-WON`` → ``Hye-won``.

    Words already in mixed case are kept as written.
    """
    out: list[str] = []
    for tok in re.split(r"(\s+)", text):
        if not tok or tok.isspace() or not any(c.isalpha() for c in tok):
            out.append(tok)
            continue
        m = _MC.match(tok)
        if m:
            out.append(m.group(1) + m.group(2).capitalize())
            continue
        if tok != tok.upper():
            out.append(tok)
            continue
        pieces = re.split(r"([-‐‑'’])", tok)
        res: list[str] = []
        for i, piece in enumerate(pieces):
            if i == 0:
                res.append(piece.capitalize())
            elif i % 2 == 1:
                res.append(piece)
            else:
                sep = pieces[i - 1]
                prev = pieces[i - 2]
                if sep in "'’" and len(prev) > 1:  # BLEEKER'S → Bleeker's
                    res.append(piece.lower())
                elif sep in "-‐‑" and korean_syllables(piece) and korean_syllables(prev):
                    res.append(piece.lower())  # HYE-WON → Hye-won
                else:
                    res.append(piece.capitalize())
        out.append("".join(res))
    return "".join(out)


@lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    """A stable id: ``Han Seo Jun`` → ``han-seo-jun``, ``the director`` → ``the-director``."""
    folded = unicodedata.normalize("NFC", fold(text)).replace("'", "").replace("’", "")
    slug = re.sub(r"[^\w]+|_", "-", folded).strip("-")
    return slug or "character"
