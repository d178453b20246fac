"""Person names without NER: name lexicons from real name statistics, parsed values, script shape.

Lexicons (``auditor/pii/data/names/``, sources and licences in ``SOURCES.md``):

- US Census 1990 first names (male, female) and surnames, public domain; surnames down to rank
  :data:`SURNAME_RANK_CUTOFF` (the long tail is mostly everyday words, see ``docs/pii.md``);
- the most common Chinese (Han + romanisations), Japanese (kanji + romaji), Korean (Hangul +
  romanisations) and Russian (Cyrillic) surnames, from public frequency statistics;
- Faker's per-locale first- and last-name lists (MIT) as an additional source.

A value is parsed (:func:`parse_name`) into titles and honorifics in the main European languages
(``Mr.``, ``Mme``, ``Herr``, ``Sra.``, ``Dhr.``), initials (``Hans M. Müller``), particles (``van
der``, ``de la``, ``bin``, ``al-``), hyphenated and multi-part surnames, generational suffixes and
``Last, First`` order, case-insensitively (``john smith``, ``JOHN SMITH``). CJK and Hangul names
(no spaces) are matched by a known surname at their start (``王伟``, ``山田太郎``, ``김민준``).
Names outside every list (``Batbayar Ganbold``) are found by shape in a column whose name says
person (:func:`name_shaped`, any script). Column-level inference (a column of mostly known names
is a person column under any name) is :func:`auditor.pii.scan.names_column`.
"""

from __future__ import annotations

import gzip
import importlib
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "EVERYDAY_WORDS",
    "HONORIFICS",
    "LOCALES",
    "NAME_PARTICLES",
    "SURNAME_RANK_CUTOFF",
    "ParsedName",
    "census_names",
    "cjk_surnames",
    "everyday_mask",
    "gazetteer",
    "name_score",
    "name_shaped",
    "parse_name",
    "person_name_mask",
    "script_of",
]

# Faker locales whose person providers add names (an additional source to the census lists)
LOCALES = (
    "en_US", "en_GB", "en_IE", "en_NZ", "en_IN", "en_PK", "en_NG", "de_DE", "de_AT", "de_CH",
    "fr_FR", "fr_BE", "fr_CA", "es_ES", "es_MX", "es_AR", "es_CO", "it_IT", "nl_NL", "nl_BE",
    "pt_PT", "pt_BR", "sv_SE", "pl_PL", "da_DK", "no_NO", "fi_FI", "cs_CZ", "sk_SK", "hu_HU",
    "ro_RO", "hr_HR", "sl_SI", "lt_LT", "lv_LV", "et_EE", "tr_TR", "el_GR", "ru_RU", "uk_UA",
    "bg_BG", "ja_JP", "zh_CN", "zh_TW", "ko_KR", "vi_VN", "id_ID", "th_TH", "hi_IN", "bn_BD",
    "ta_IN", "ne_NP", "ar_AA", "ar_SA", "fa_IR", "he_IL", "yo_NG", "tw_GH", "zu_ZA", "sw",
)  # fmt: skip

#: surnames of the US Census 1990 list used, by frequency rank (of 88,799): measured on real
#: defendants' surnames (recall) against colours, months, brands, cities, job titles and common
#: English words (false positives), see ``docs/pii.md``
SURNAME_RANK_CUTOFF = 40_000

_DATA = "data/names"

# tokens that make a value an organisation, product or place rather than a person
_NOT_PERSON = frozenset(
    {
        "and", "&", "inc", "llc", "ltd", "plc", "group", "co", "corp", "corporation", "company",
        "gmbh", "ag", "sa", "bv", "lake", "port", "mount", "fort", "east", "west", "north",
        "south", "new", "city", "county", "street", "st", "avenue", "ave", "road", "the", "of",
        "for", "with", "steel", "wooden", "plastic", "los", "las", "san", "santa", "saint",
        "beach", "springs", "island", "valley", "heights", "center", "centre", "hotel",
        "bank", "university", "school", "hospital", "shop", "store", "market", "cafe",
    }
)  # fmt: skip

#: titles and honorifics before a name (lower case, dots removed)
HONORIFICS = frozenset(
    {
        "mr", "mrs", "ms", "mx", "miss", "mister", "dr", "prof", "professor", "sir", "dame",
        "lady", "lord", "rev", "revd", "fr", "capt", "col", "gen", "hon", "judge",
        "herr", "frau", "fraulein", "hr", "dipl", "ing", "mag",
        "m", "mm", "mme", "mmes", "mlle", "mlles", "me", "pr", "monsieur", "madame",
        "mademoiselle",
        "sr", "sra", "srta", "senor", "senora", "senorita", "don", "dona", "dna", "dra", "lic",
        "sig", "sigra", "sigg", "signor", "signora", "signorina", "dott", "dottssa", "avv",
        "senhor", "senhora", "snr", "snra",
        "dhr", "mevr", "mw", "mej", "heer", "mevrouw", "drs",
        "fru", "froken", "pan", "pani", "panna", "pán", "paní",
    }
)  # fmt: skip
# generational and academic suffixes after a name
_SUFFIXES = frozenset(
    {"jr", "sr", "snr", "jnr", "ii", "iii", "iv", "v", "phd", "md", "esq", "dds", "mba", "msc"}
)
#: particles inside a name (``van der``, ``de la``, ``bin``): part of the surname, never a name
NAME_PARTICLES = frozenset(
    {
        "van", "der", "den", "de", "la", "le", "du", "des", "del", "della", "di", "da", "dos",
        "das", "do", "von", "zu", "vom", "ter", "ten", "te", "bin", "binti", "bint", "ibn",
        "al", "el", "y", "i", "e", "af", "ap", "ben", "abu", "mac",
    }
)  # fmt: skip
# prefixes glued to a surname (``al-Rashid``, ``d'Angelo``, ``O'Neil``): the rest is matched too
_GLUED = re.compile(r"^(?:al|el|ul|ad|as|ash|at|az|ar|an|d|l|o|mc|mac|fitz)['’-]?(?=\w{3})")
# Russian patronymics (Иванович, Петровна): evidence like an initial
_PATRONYMIC = re.compile(r"(?:ович|евич|ьич|ична|овна|евна|инична)$")

_LETTERS = r"[^\W\d_]"
# a name word: letters (with combining marks: Devanagari vowel signs), apostrophes, hyphens
_WORD = re.compile(rf"(?:{_LETTERS}|[\u0300-\u036f\u0900-\u097f\u064b-\u065f])+(?:['’-]"
                   rf"(?:{_LETTERS}|[\u0900-\u097f])+)*")  # fmt: skip
_INITIAL = re.compile(rf"^(?:{_LETTERS}\.){{1,3}}$|^{_LETTERS}$")
_SPLIT = re.compile(r"[\s,]+")
_NOT_NAME_CHAR = re.compile(r"[\d@/\\|:;#%+=<>()\[\]{}?!*_\"]")


def _lines(name: str) -> list[str]:
    """Lines of a packaged data file (gzip when the name ends in ``.gz``), comments dropped."""
    raw = resources.files("auditor.pii").joinpath(f"{_DATA}/{name}").read_bytes()
    text = gzip.decompress(raw).decode("utf-8") if name.endswith(".gz") else raw.decode("utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@lru_cache(maxsize=1)
def census_names() -> tuple[frozenset[str], frozenset[str]]:
    """(first names, surnames) of the US Census 1990 lists, lower case; surnames down to
    :data:`SURNAME_RANK_CUTOFF`."""
    first = set(_lines("census1990_first_male.txt")) | set(_lines("census1990_first_female.txt"))
    last = _lines("census1990_surnames.txt.gz")[:SURNAME_RANK_CUTOFF]
    return frozenset(first), frozenset(last)


# romanised CJK surnames that are everyday words in English or another European language: kept
# out of the Latin-script lexicon (``Kim So`` is still found: ``kim`` is a surname)
_ROMAN_WORDS = frozenset(
    {"in", "so", "do", "no", "go", "on", "an", "ok", "to", "he", "me", "be", "or", "is", "it",
     "as", "at", "by", "if", "of", "up", "we", "us", "o", "u", "e", "i", "mo", "je", "na", "ha",
     "ra", "ma", "ki", "gi", "ko", "mun", "pan", "man", "long", "song", "bang", "ban", "sun",
     "won", "ham", "chin", "sin", "son", "fan", "pang", "min", "jin", "yi", "ting", "tang"}
)  # fmt: skip


@lru_cache(maxsize=1)
def _cjk_lexicons() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(Han surnames (Chinese and Japanese), Hangul surnames, romanisations)."""
    han: set[str] = set()
    hangul: set[str] = set()
    roman: set[str] = set()
    for name in ("zh_surnames.txt", "ja_surnames.txt", "ko_surnames.txt"):
        for line in _lines(name):
            native, _, latin = line.partition("\t")
            forms = {f for f in native.split("|") if f}
            (hangul if name.startswith("ko") else han).update(forms)
            roman.update(r for r in latin.split(",") if r and r not in _ROMAN_WORDS)
    return frozenset(han), frozenset(hangul), frozenset(roman)


def cjk_surnames() -> tuple[frozenset[str], frozenset[str]]:
    """(Han surnames of Chinese and Japanese, Hangul surnames) from the packaged lists."""
    han, hangul, _roman = _cjk_lexicons()
    return han, hangul


@lru_cache(maxsize=1)
def _russian() -> tuple[frozenset[str], frozenset[str]]:
    """(given names, surnames with their feminine forms) in Cyrillic, ``ё`` as ``е``."""
    given: set[str] = set()
    last: set[str] = set()
    target = last
    for line in _lines("ru_names.txt"):
        if line == "=given":
            target = given
            continue
        target.add(line)
        if target is last and line.endswith(("ов", "ев", "ин", "ын")):
            last.add(line + "а")
        elif target is last and line.endswith("ский"):
            last.add(line[:-2] + "ая")
    return frozenset(given), frozenset(last)


def _faker_names(attr: Any) -> set[str]:
    if not isinstance(attr, (dict, list, tuple, set)):
        return set()
    return {str(n).strip().casefold() for n in list(attr) if str(n).strip()}


@lru_cache(maxsize=1)
def gazetteer() -> tuple[frozenset[str], frozenset[str]]:
    """(first names, last names), lower case: the census lists, the CJK and Russian lists
    (Han and Hangul surnames, romanisations, Cyrillic), and Faker's per-locale lists."""
    c_first, c_last = census_names()
    han, hangul, roman = _cjk_lexicons()
    ru_given, ru_last = _russian()
    first: set[str] = set(c_first) | ru_given
    last: set[str] = set(c_last) | han | hangul | roman | ru_last
    for loc in LOCALES:
        try:
            mod = importlib.import_module(f"faker.providers.person.{loc}")
        except ImportError:
            continue
        prov = mod.Provider
        for attr in ("first_names", "first_names_male", "first_names_female"):
            first |= _faker_names(getattr(prov, attr, None))
        last |= _faker_names(getattr(prov, "last_names", None))
    return frozenset(first), frozenset(last)


# --- scripts ------------------------------------------------------------------------------------

_SCRIPTS = (
    ("han", re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005\u3040-\u30ff\u31f0-\u31ff]")),
    ("hangul", re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")),
    ("cyrillic", re.compile(r"[\u0400-\u04ff]")),
    ("greek", re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")),
    ("arabic", re.compile(r"[\u0600-\u06ff\u0750-\u077f]")),
    ("devanagari", re.compile(r"[\u0900-\u097f]")),
    ("hebrew", re.compile(r"[\u0590-\u05ff]")),
    ("thai", re.compile(r"[\u0e00-\u0e7f]")),
)  # fmt: skip
_NON_LATIN = re.compile("|".join(rx.pattern for _, rx in _SCRIPTS))
_CASELESS = frozenset({"han", "hangul", "arabic", "devanagari", "hebrew", "thai"})
_CJK_NAME = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005\u30fb\u3040-\u30ff]+$")
_HANGUL_NAME = re.compile(r"^[\uac00-\ud7af]+$")


def script_of(value: str) -> str:
    """The script of a value's letters: ``latin`` or the first non-Latin script found."""
    if not _NON_LATIN.search(value):
        return "latin"
    for name, rx in _SCRIPTS:
        if rx.search(value):
            return name
    return "latin"


# --- parsing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedName:
    """A value read as a person's name: given names and surname words (lower case), and the
    evidence around them (titles, initials or patronymics, particles, ``Last, First`` order)."""

    given: tuple[str, ...]
    family: tuple[str, ...]
    titled: bool = False
    initials: int = 0
    particles: int = 0
    comma: bool = False
    script: str = "latin"

    @property
    def core(self) -> tuple[str, ...]:
        return self.given + self.family


def _key(token: str) -> str:
    return token.casefold().replace("’", "'").replace("ё", "е").rstrip(".")


def parse_name(value: str) -> ParsedName | None:
    """``value`` as a person's name, or None when it cannot be one (digits, ``@``, more than four
    name words, words of organisations and places, anything but letters).

    ``Dr. Hans M. Müller`` -> given ``hans``, family ``müller``, titled, one initial;
    ``van der Berg, Pieter`` -> given ``pieter``, family ``van der berg`` (particles kept in the
    surname but never matched alone); ``Иванов Иван Иванович`` keeps the patronymic as evidence.
    CJK and Hangul values (no spaces needed) become one word each.
    """
    v = value.strip()
    if not v or len(v) > 60 or _NOT_NAME_CHAR.search(v):
        return None
    script = script_of(v)
    if script in ("han", "hangul"):
        compact = re.sub(r"[\s・·]+", "", v)
        rx = _CJK_NAME if script == "han" else _HANGUL_NAME
        if not rx.match(compact) or not 2 <= len(compact) <= 8:
            return None
        return ParsedName(given=(), family=(compact,), script=script)
    comma = v.count(",") == 1
    if v.count(",") > 1:
        return None
    before, _, after = v.partition(",")
    parts: list[list[str]] = [
        [t for t in _SPLIT.split(p) if t] for p in ((before, after) if comma else (v,))
    ]
    titled = False
    initials = particles = 0
    patronymic_last = False
    words: list[list[str]] = []
    for side, raw in enumerate(parts):
        kept: list[str] = []
        for pos, tok in enumerate(raw):
            k = _key(tok)
            if not k:
                continue
            if k in _NOT_PERSON or k.strip("&") == "":
                return None
            lead = not kept and (side == 1 or not comma or pos == 0)
            if lead and k.replace(".", "") in HONORIFICS and (len(raw) > pos + 1 or comma):
                titled = True
                continue
            if kept and k.replace(".", "") in _SUFFIXES and pos == len(raw) - 1:
                continue
            if _INITIAL.match(tok.rstrip(",")):
                initials += 1
                continue
            if _PATRONYMIC.search(k) and kept:
                initials += 1
                patronymic_last = pos == len(raw) - 1
                continue
            if k in NAME_PARTICLES:
                particles += 1
                kept.append("\0" + k)  # a particle: part of the surname that follows
                continue
            if not _WORD.fullmatch(k):
                return None
            kept.append(k)
        words.append(kept)
    if comma:
        family_words, given_words = words[0], words[1]
        family = _join_particles(family_words)
        given = tuple(w for w in given_words if not w.startswith("\0"))
    else:
        flat = words[0]
        if not flat:
            return None
        if flat[0].startswith("\0") and flat[0][1:] in HONORIFICS:
            flat = flat[1:]
        names = [w for w in flat if not w.startswith("\0")]
        if len(names) == 1:  # ``Mr. Smith``, ``J. Smith``, ``van Dijk``: a surname
            surname = titled or initials > 0 or flat[0].startswith("\0")
            family = _join_particles(flat) if surname else ()
            given = () if family else (names[0],)
        else:
            split = _family_start(flat)
            given = tuple(w for w in flat[:split] if not w.startswith("\0"))
            family = _join_particles(flat[split:])
            if patronymic_last and len(names) == 2:  # Иванов Иван Иванович: surname first
                given, family = (names[1],), (names[0],)
    core = given + family
    if not core or len([w for w in core if " " not in w]) + sum(w.count(" ") for w in core) > 6:
        return None
    if len(given) + len(family) > 4:
        return None
    return ParsedName(given, family, titled, initials, particles, comma, script)


def _family_start(flat: list[str]) -> int:
    """Index where the surname starts: its first particle (``van der Berg``), else the last
    word."""
    for i, w in enumerate(flat):
        if w.startswith("\0") and i > 0:
            return i
    return len(flat) - 1


def _join_particles(words: list[str]) -> tuple[str, ...]:
    """Surname words with their particles glued on (``\\0van``, ``berg`` -> ``van berg``)."""
    out: list[str] = []
    pending: list[str] = []
    for w in words:
        if w.startswith("\0"):
            pending.append(w[1:])
            continue
        out.append(" ".join([*pending, w]))
        pending = []
    return tuple(out)


# East Slavic surname endings (Иванов/Иванова, Пушкин, Достоевский/-ская, Шевченко, Ковальчук):
# a Cyrillic word with one of them reads as a surname
_SLAVIC_SURNAME = re.compile(r"(?:ов|ев|ин|ын|ова|ева|ина|ына|ский|цкий|ская|цкая|енко|чук|щук)$")


def _known(word: str, names: frozenset[str]) -> bool:
    """A word (or a surname with particles, hyphens or a glued prefix) in ``names``."""
    if word in names:
        return True
    core = word.rsplit(" ", 1)[-1]  # ``van der berg`` -> ``berg``
    if core in names:
        return True
    bare = core.replace("'", "")
    if bare != core and bare in names:  # O'Neil -> oneil (the census spelling)
        return True
    glued = _GLUED.sub("", core)
    if glued != core and glued.strip("'-") in names:
        return True
    if "-" in core:
        return any(p in names for p in core.split("-") if len(p) > 1)
    return False


# surname endings in Latin script that no everyday word has: East Slavic (Shevchenko, Kovalchuk,
# Petrovskiy, Ivanovich), Polish (Kowalewski, Sienkiewicz), Georgian (Beridze is too short to
# tell; Kapanadze, Japaridze and Gelashvili are not), Greek (Papadopoulos), Turkish (Karaoğlu),
# Lithuanian (Kazlauskas, Petraitis)
_LATIN_SURNAME = re.compile(
    r"(?:enko|chuk|czuk|skiy|skyi|skaya|ovich|evich|ovna|evna|owski|owska|ewski|ewska|wicz"
    r"|shvili|adze|idze|poulos|opoulou|oglu|oğlu|auskas|auskiene|aitis|aitė|aite)$"
)


def _known_last(word: str, last: frozenset[str]) -> bool:
    """A surname: in ``last``, or a word with a surname ending (Cyrillic East Slavic endings;
    Latin-script endings of :data:`_LATIN_SURNAME`)."""
    if _known(word, last):
        return True
    if len(word) < 5:
        return False
    core = word.rsplit(" ", 1)[-1].split("-")[-1]
    if _SLAVIC_SURNAME.search(core) and script_of(core) == "cyrillic":
        return True
    return len(core) >= 7 and bool(_LATIN_SURNAME.search(core))


# last characters of Chinese and Japanese place and organisation names, never of a person's
_HAN_PLACE_ENDINGS = (
    *"州市县縣区區省镇鎮郡乡鄉站港路街店駅庁府県",
    *("公司", "大学", "大學", "银行", "銀行", "医院", "病院", "学校", "會社", "会社"),
)  # not 村 or 町: surnames end with them (中村, 木村)


@lru_cache(maxsize=1)
def _cjk_prefixes() -> tuple[frozenset[str], frozenset[str]]:
    """Han and Hangul surnames: the packaged lists plus Faker's (``zh_CN``, ``ja_JP``, ...)."""
    han, hangul, _roman = _cjk_lexicons()
    _first, last = gazetteer()
    short = [w for w in last if len(w) <= 3]
    return (
        han | {w for w in short if _CJK_NAME.match(w)},
        hangul | {w for w in short if _HANGUL_NAME.match(w)},
    )


def _cjk_known(word: str, script: str) -> bool:
    han, hangul = _cjk_prefixes()
    names = han if script == "han" else hangul
    for n in (3, 2, 1):  # compound surnames first (欧阳, 長谷川, 남궁)
        if (len(word) > n or n >= 2) and word[:n] in names:  # 中村, or 中村悠真
            return len(word) - n <= 4
    return False


def name_score(value: str, first: frozenset[str], last: frozenset[str]) -> float:
    """How surely ``value`` is a person's name from the lexicons (0 = not a name by them).

    0.85 given name + surname both known (either order with a comma); 0.75 a title with a known
    word; 0.7 a CJK or Hangul name starting with a known surname; 0.6 a lone known first name,
    two known given names, or surname-first order (``Zhang Wei``, ``Иванов Иван``), raised to
    0.8 with a patronymic; 0.5 a lone known surname, a title with an unknown name, or one known
    word next to an initial or particle; 0.4 one known word of several.
    """
    p = parse_name(value)
    if p is None:
        return 0.0
    if p.script in ("han", "hangul"):
        word = p.family[0]
        if p.script == "hangul" and len(word) < 3:  # 서울, 인천: Korean full names have 3+
            return 0.0
        if p.script == "han" and word.endswith(_HAN_PLACE_ENDINGS):  # 杭州, 横浜市, 新宿区
            return 0.0
        return 0.7 if _cjk_known(word, p.script) else 0.0
    given, family = p.given, p.family
    evidence = p.initials > 0 or p.particles > 0
    if len(p.core) == 1:
        w = p.core[0]
        known = _known(w, first) or _known_last(w, last)
        if p.titled:
            return 0.75 if known else 0.5
        if given and w in first:
            return 0.6
        if _known_last(w, last):
            return 0.5 if not p.initials else 0.6
        return 0.0
    g0 = given[0] if given else ""
    f1 = family[-1] if family else ""
    g_first = bool(g0) and g0 in first
    f_last = bool(f1) and _known_last(f1, last)
    if g_first and f_last:
        return 0.85
    if p.titled and (g_first or f_last or _known_last(g0, last) or _known(f1, first)):
        return 0.75
    if not p.comma and _known_last(g0, last) and (f1 in first or _known_last(f1, last)):
        return 0.8 if p.initials and p.script == "cyrillic" else 0.6
    if g_first and f1 in first:
        return 0.6
    known_words = sum(bool(_known(w, first) or _known_last(w, last)) for w in p.core)
    if p.titled:
        return 0.5
    if known_words and evidence:
        return 0.5
    if known_words:
        return 0.4
    return 0.0


def _score_name(value: str, first: frozenset[str], last: frozenset[str]) -> float:
    return name_score(value, first, last)


def name_shaped(value: str) -> bool:
    """The shape of a person's name in any script: 1-4 name words, capitalised where the script
    has case (particles and titles may be lower case: ``Ludwig van Beethoven``), letters only in
    caseless scripts (``山田太郎``, ``김민준``, ``محمد علي``, ``राहुल शर्मा``)."""
    if len(value) > 60 or any(ch.isdigit() for ch in value):
        return False
    words = value.replace(",", " ").split()
    if not 1 <= len(words) <= 6:
        return False
    script = script_of(value)
    if script in ("han", "hangul"):
        compact = "".join(words)
        rx = _CJK_NAME if script == "han" else _HANGUL_NAME
        return bool(rx.match(compact)) and 2 <= len(compact) <= 8 and len(words) <= 3
    names = 0
    for w in words:
        core = w.rstrip(".")
        k = _key(core)
        if not core or k in _NOT_PERSON:
            return False
        if k in NAME_PARTICLES or k.replace(".", "") in HONORIFICS:
            continue
        if not _WORD.fullmatch(core) and not _INITIAL.match(w):
            return False
        bare = _GLUED.sub("", core) if "'" in core or "-" in core else core
        if script not in _CASELESS and not (core[0].isupper() or bare[:1].isupper()):
            return False
        names += 1
    return 1 <= names <= 4


# everyday words that are names too: colours, months and weekdays in the main European languages
# (``Brown``, ``White``, ``Rose``, ``May``, ``June``, ``Rot``, ``Blanco``). They never make a
# column a name column by themselves (:func:`everyday_mask`), but count in a person column.
EVERYDAY_WORDS = frozenset(
    {
        "red", "white", "black", "brown", "green", "blue", "gray", "grey", "pink", "orange",
        "olive", "rose", "violet", "amber", "ruby", "jade", "hazel", "coral", "ivory", "silver",
        "gold", "golden", "lavender", "lilac", "navy", "purple", "scarlet", "crimson", "teal",
        "cyan", "magenta", "beige", "tan", "khaki", "maroon", "indigo", "azure", "pearl",
        "rot", "weiss", "weiß", "schwarz", "braun", "grun", "grün", "blau", "grau", "rosa", "gelb",
        "rouge", "blanc", "blanche", "noir", "noire", "brun", "vert", "verte", "bleu", "gris",
        "jaune", "violette", "rojo", "roja", "blanco", "blanca", "negro", "negra",
        "verde", "azul", "amarillo", "marron", "marrón", "rosso", "bianco", "nero", "giallo",
        "grigio", "rood", "wit", "zwart", "groen", "blauw", "geel", "bruin", "branco", "preto",
        "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december", "januar", "februar", "marz", "märz", "mai", "juni",
        "juli", "oktober", "dezember", "janvier", "fevrier", "février", "mars", "avril", "juin",
        "juillet", "aout", "août", "septembre", "octobre", "novembre", "decembre", "décembre",
        "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "octubre",
        "diciembre", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
        "sunday", "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag",
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
        "spring", "summer", "autumn", "winter", "small", "medium", "large", "yes", "no",
    }
)  # fmt: skip


def everyday_mask(values: pd.Series) -> np.ndarray:
    """Which values are everyday words that are names too (:data:`EVERYDAY_WORDS`)."""
    folded = values.astype(str).str.strip().str.casefold()
    return np.asarray(folded.isin(EVERYDAY_WORDS).to_numpy(dtype=bool), dtype=bool)


def person_name_mask(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """For unique string values: (is a person name, score) using the lexicons."""
    first, last = gazetteer()
    texts = values.astype(str)
    # vectorised: values with digits or ``@``, or longer than 60 characters, are never names
    maybe = ~texts.str.contains(r"[\d@]", regex=True) & (texts.str.len() <= 60)
    idx = np.flatnonzero(maybe.to_numpy(dtype=bool))
    scores = np.zeros(len(values), dtype=float)
    if len(idx):
        scores[idx] = np.fromiter(
            (name_score(v, first, last) for v in texts.iloc[idx]), dtype=float, count=len(idx)
        )
    return scores > 0, scores
