"""National identifiers validated by their check digit or format rule, and their recognizers.

Each ``valid_<id>(text)`` is a pure function: separators (spaces, dots, dashes, slashes) are
ignored where the id is written with them, and the docstring names the rule's source. The
recognizers call them from ``validate_result``: a valid number keeps its pattern score (never
Presidio's 1.0 for a bare checksum pass), an invalid one is dropped. Scores follow one rule:

- a distinctive shape whose rule rejects all but about 1 in 100 random strings of that shape
  (NIR key mod 97, HETU check character mod 31 plus a date, CPF written ``ddd.ddd.ddd-dd``,
  CN resident id with its birth date, PAN of an individual) counts on its own (0.5-0.6);
- a bare run of digits with a 1-in-10 or 1-in-11 check (Steuer-ID, BSN, SIN, Aadhaar, My
  Number, PESEL, ...) scores 0.3 and is reported only with a context word of the id nearby
  or in the column name (+0.35), so order numbers and product codes stay clean.

Presidio's own country recognizers for ids not built here are returned by
:func:`presidio_national_id_recognizers`; those whose check is weak (one digit over a bare run
of digits) are wrapped so that a checksum pass keeps the low pattern score instead of 1.0.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from typing import Any

from presidio_analyzer import Pattern, PatternRecognizer

from .recognizers import luhn_ok

__all__ = [
    "NATIONAL_ID_ENTITIES",
    "national_id_recognizers",
    "presidio_national_id_recognizers",
    "valid_br_cpf",
    "valid_ca_sin",
    "valid_cn_resident_id",
    "valid_de_tax_id",
    "valid_dk_cpr",
    "valid_fi_hetu",
    "valid_fr_nir",
    "valid_in_aadhaar",
    "valid_in_pan",
    "valid_jp_my_number",
    "valid_nl_bsn",
    "valid_no_fodselsnummer",
    "valid_pl_pesel",
    "valid_se_personnummer",
]

_SEP = re.compile(r"[\s.\-/]")


def _digits(text: str, sep: re.Pattern[str] = _SEP) -> str:
    return sep.sub("", text)


def _date_ok(year: int, month: int, day: int) -> bool:
    try:
        _dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _all_same(digits: str) -> bool:
    return len(set(digits)) == 1


# -- DE ------------------------------------------------------------------------------------------
def valid_de_tax_id(text: str) -> bool:
    """German Steuerliche Identifikationsnummer (11 digits).

    Source: § 139b AO and the BZSt specification: the first digit is not 0; in the first ten
    digits exactly one digit occurs twice or three times (three times since 2016, never three
    in a row) and the others at most once; digit 11 is the ISO 7064 MOD 11,10 check digit."""
    d = _digits(text)
    if not re.fullmatch(r"[1-9]\d{10}", d):
        return False
    body = d[:10]
    counts = sorted((body.count(c) for c in set(body)), reverse=True)
    if counts[0] not in (2, 3) or (len(counts) > 1 and counts[1] != 1):
        return False
    if counts[0] == 3 and re.search(r"(\d)\1\1", body):
        return False
    product = 10
    for c in body:
        total = (int(c) + product) % 10 or 10
        product = (total * 2) % 11
    check = (11 - product) % 10
    return check == int(d[10])


# -- FR ------------------------------------------------------------------------------------------
def valid_fr_nir(text: str) -> bool:
    """French NIR / numéro de sécurité sociale (13 characters + 2-digit key).

    Source: INSEE, décret 82-103: sex digit (1, 2; 3, 4, 7, 8 for provisional numbers), year,
    month (01-12, 20-42 or 50-99 when unknown), department (01-99, 2A/2B for Corsica, 97x/98x
    overseas), commune, order; key = 97 - (number mod 97), with 2A read as 19 and 2B as 18."""
    d = _digits(text).upper()
    m = re.fullmatch(r"([123478])(\d{2})(\d{2})(\d{2}|2A|2B)(\d{3})(\d{3})(\d{2})", d)
    if not m:
        return False
    month = int(m.group(3))
    if not (1 <= month <= 12 or 20 <= month <= 42 or 50 <= month <= 99):
        return False
    if m.group(4) == "00":
        return False
    number = d[:13].replace("2A", "19").replace("2B", "18")
    return 97 - int(number) % 97 == int(m.group(7))


# -- NL ------------------------------------------------------------------------------------------
def valid_nl_bsn(text: str) -> bool:
    """Dutch burgerservicenummer (9 digits, or 8 with the leading zero dropped).

    Source: Wet algemene bepalingen burgerservicenummer / Logius "elfproef": 9*d1 + 8*d2 + ...
    + 2*d8 - 1*d9 is divisible by 11 (and not 0)."""
    d = _digits(text)
    if not re.fullmatch(r"\d{8,9}", d):
        return False
    d = d.zfill(9)
    total = sum(int(c) * w for c, w in zip(d[:8], range(9, 1, -1), strict=True)) - int(d[8])
    return total % 11 == 0 and total != 0 and not _all_same(d)


# -- SE ------------------------------------------------------------------------------------------
def valid_se_personnummer(text: str) -> bool:
    """Swedish personnummer or samordningsnummer: ``yymmdd-nnnc`` (``+`` from age 100) or
    ``yyyymmddnnnc``.

    Source: Skatteverket SKV 704: the birth date is valid (day + 60 for a coordination number),
    and the ten digits ``yymmddnnnc`` pass the Luhn check."""
    t = text.strip()
    m = re.fullmatch(r"(\d{2})?(\d{6})[-+]?(\d{4})", t)
    if not m:
        return False
    century, ymd, tail = m.group(1), m.group(2), m.group(3)
    yy, mm, dd = int(ymd[:2]), int(ymd[2:4]), int(ymd[4:6])
    if dd > 60:
        dd -= 60
    year = int(century) * 100 + yy if century else 2000 + yy
    if century and century not in ("18", "19", "20"):
        return False
    if not (_date_ok(year, mm, dd) or (not century and _date_ok(1900 + yy, mm, dd))):
        return False
    return luhn_ok(ymd + tail)


# -- DK ------------------------------------------------------------------------------------------
def valid_dk_cpr(text: str) -> bool:
    """Danish CPR number ``ddmmyy-ssss``: the birth date must exist (the century follows from
    the 7th digit).

    Source: CPR-kontoret, "Personnummeret i CPR-systemet": since 1 October 2007 numbers are
    issued without the modulus-11 check, so only the date is verified (a valid date is
    accepted; the weak rule is why these need a context word to be reported)."""
    d = _digits(text)
    if not re.fullmatch(r"\d{10}", d):
        return False
    dd, mm, yy, s7 = int(d[:2]), int(d[2:4]), int(d[4:6]), int(d[6])
    if s7 <= 3:
        century = 1900
    elif s7 in (4, 9):
        century = 2000 if yy <= 36 else 1900
    else:  # 5-8
        century = 2000 if yy <= 57 else 1800
    return _date_ok(century + yy, mm, dd)


# -- NO ------------------------------------------------------------------------------------------
_NO_W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_NO_W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def _no_control(digits: str, weights: tuple[int, ...]) -> int:
    k = 11 - sum(int(c) * w for c, w in zip(digits, weights, strict=True)) % 11
    return 0 if k == 11 else k


def valid_no_fodselsnummer(text: str) -> bool:
    """Norwegian fødselsnummer or D-number (11 digits ``ddmmyy iii k1 k2``).

    Source: Skatteetaten / Folkeregisteret: a valid birth date (day + 40 for a D-number, month
    + 40 for an H-number); k1 and k2 are mod-11 control digits with weights 3 7 6 1 8 9 4 5 2
    and 5 4 3 2 7 6 5 4 3 2 (a remainder giving 10 is never issued)."""
    d = _digits(text)
    if not re.fullmatch(r"\d{11}", d) or _all_same(d):
        return False
    dd, mm, yy = int(d[:2]), int(d[2:4]), int(d[4:6])
    if dd > 40:
        dd -= 40
    if mm > 40:
        mm -= 40
    if not (_date_ok(1900 + yy, mm, dd) or _date_ok(2000 + yy, mm, dd)):
        return False
    k1 = _no_control(d[:9], _NO_W1)
    k2 = _no_control(d[:10], _NO_W2)
    return k1 < 10 and k2 < 10 and k1 == int(d[9]) and k2 == int(d[10])


# -- FI ------------------------------------------------------------------------------------------
_FI_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
_FI_CENTURY = {"+": 1800, **dict.fromkeys("-YXWVU", 1900), **dict.fromkeys("ABCDEF", 2000)}


def valid_fi_hetu(text: str) -> bool:
    """Finnish henkilötunnus ``ddmmyyCnnnT``.

    Source: Digital and Population Data Services Agency (DVV); Valtioneuvoston asetus 128/2010
    and the 2023 century signs: C is ``+`` (1800s), ``-``/Y/X/W/V/U (1900s) or A-F (2000s);
    T is ``0123456789ABCDEFHJKLMNPRSTUVWXY`` indexed by ``ddmmyynnn mod 31``."""
    t = text.strip().upper()
    m = re.fullmatch(r"(\d{2})(\d{2})(\d{2})([-+A-FU-Y])(\d{3})([0-9A-Y])", t)
    if not m:
        return False
    dd, mm, yy = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not _date_ok(_FI_CENTURY[m.group(4)] + yy, mm, dd) or m.group(5) in ("000", "001"):
        return False
    return _FI_CHECK[int(t[:6] + m.group(5)) % 31] == m.group(6)


# -- BR ------------------------------------------------------------------------------------------
def valid_br_cpf(text: str) -> bool:
    """Brazilian CPF (11 digits, written ``ddd.ddd.ddd-dd``).

    Source: Receita Federal (Instrução Normativa RFB 1548/2015): two mod-11 check digits with
    weights 10..2 and 11..2 (a remainder under 2 gives 0); numbers of one repeated digit are
    not issued."""
    d = _digits(text)
    if not re.fullmatch(r"\d{11}", d) or _all_same(d):
        return False
    for n in (9, 10):
        total = sum(int(c) * w for c, w in zip(d[:n], range(n + 1, 1, -1), strict=True))
        r = total % 11
        if (0 if r < 2 else 11 - r) != int(d[n]):
            return False
    return True


# -- CA ------------------------------------------------------------------------------------------
def valid_ca_sin(text: str) -> bool:
    """Canadian Social Insurance Number (9 digits, written ``ddd-ddd-ddd``).

    Source: Employment and Social Development Canada: Luhn check over the 9 digits; the first
    digit is the province/type, and 0 (fictitious) and 8 (business numbers) are not a person's."""
    d = _digits(text)
    return bool(re.fullmatch(r"[1-79]\d{8}", d)) and luhn_ok(d)


# -- CN ------------------------------------------------------------------------------------------
_CN_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))


def valid_cn_resident_id(text: str) -> bool:
    """Chinese resident identity card number (18 characters).

    Source: GB 11643-1999: 6-digit administrative area (first digit 1-8), birth date
    ``yyyymmdd``, 3-digit order, and an ISO 7064 MOD 11-2 check character (``X`` for 10)."""
    t = text.strip().upper()
    if not re.fullmatch(r"[1-8]\d{16}[\dX]", t):
        return False
    year, month, day = int(t[6:10]), int(t[10:12]), int(t[12:14])
    if not 1800 <= year <= _dt.date.today().year or not _date_ok(year, month, day):
        return False
    r = (12 - sum(int(c) * w for c, w in zip(t[:17], _CN_WEIGHTS, strict=True)) % 11) % 11
    return t[17] == ("X" if r == 10 else str(r))


# -- JP ------------------------------------------------------------------------------------------
def valid_jp_my_number(text: str) -> bool:
    """Japanese Individual Number (My Number, 12 digits).

    Source: Ministry of Internal Affairs and Communications, 総務省令 第85号 (2014) 第5条:
    with P(n) the n-th digit counted from the right of the first 11 and Q(n) = n + 1 for
    n <= 6, n - 5 for n >= 7, the check digit is 0 when sum(P*Q) mod 11 <= 1, else 11 minus it."""
    d = _digits(text)
    if not re.fullmatch(r"\d{12}", d) or _all_same(d):
        return False
    body = d[:11][::-1]
    total = sum(int(c) * (n + 1 if n <= 6 else n - 5) for n, c in enumerate(body, start=1))
    r = total % 11
    return (0 if r <= 1 else 11 - r) == int(d[11])


# -- IN ------------------------------------------------------------------------------------------
_VERHOEFF_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8),
    (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2),
    (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_VERHOEFF_P = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 5, 7, 6, 2, 8, 3, 0, 9, 4),
    (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7),
    (9, 4, 5, 3, 1, 2, 6, 8, 7, 0),
    (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5),
    (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)


def verhoeff_ok(digits: str) -> bool:
    """Verhoeff (dihedral group D5) check over a digit string, check digit last."""
    c = 0
    for i, ch in enumerate(reversed(digits)):
        c = _VERHOEFF_D[c][_VERHOEFF_P[i % 8][int(ch)]]
    return c == 0


def valid_in_aadhaar(text: str) -> bool:
    """Indian Aadhaar number (12 digits, written ``dddd dddd dddd``).

    Source: UIDAI, "Aadhaar number" structure: the first digit is 2-9 (0 and 1 are reserved),
    and the last digit is a Verhoeff check digit; palindromic test numbers are not issued."""
    d = _digits(text)
    return bool(re.fullmatch(r"[2-9]\d{11}", d)) and d != d[::-1] and verhoeff_ok(d)


# holder types (4th letter): P individual, H Hindu undivided family, C company, F firm,
# A association of persons, T trust, B body of individuals, L local authority,
# J artificial juridical person, G government
_PAN_PERSONAL = "PH"
_PAN_TYPES = "PHCFATBLJG"


def valid_in_pan(text: str) -> bool:
    """Indian Permanent Account Number ``AAAAA9999A``.

    Source: Income Tax Department (Rule 114, Income-tax Rules 1962; NSDL PAN structure):
    three letters, the holder type as 4th letter (P C H F A T B L J G), a letter (the
    surname's initial for individuals), four digits and an alphabetic check character (its
    algorithm is not published, so only the format is validated). Upper case only."""
    t = text.strip()
    shape = re.fullmatch(rf"[A-Z]{{3}}[{_PAN_TYPES}][A-Z]\d{{4}}[A-Z]", t)
    return bool(shape) and t[5:9] != "0000"


# -- PL ------------------------------------------------------------------------------------------
_PESEL_W = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)
_PESEL_CENTURY = {0: 1900, 20: 2000, 40: 2100, 60: 2200, 80: 1800}


def valid_pl_pesel(text: str) -> bool:
    """Polish PESEL (11 digits ``yymmddzzzxq``).

    Source: Ustawa o ewidencji ludności (2010), Ministry of Digital Affairs: a valid birth date
    (month + 80/0/20/40/60 for the 1800s/1900s/2000s/2100s/2200s) and the check digit
    (10 - sum(weights 1 3 7 9 1 3 7 9 1 3 * digits) mod 10) mod 10."""
    d = _digits(text)
    if not re.fullmatch(r"\d{11}", d) or _all_same(d):
        return False
    yy, mm, dd = int(d[:2]), int(d[2:4]), int(d[4:6])
    offset = (mm // 20) * 20
    if not _date_ok(_PESEL_CENTURY[offset] + yy, mm - offset, dd):
        return False
    total = sum(int(c) * w for c, w in zip(d[:10], _PESEL_W, strict=True))
    return (10 - total % 10) % 10 == int(d[10])


# -- recognizers ---------------------------------------------------------------------------------
# digits not glued to a longer run or to a code's letters/dashes (LOT-2024-00483, SKU-123...)
_L = r"(?<![\w\-./+])"
_R = r"(?![\w\-/+]|\.\d)"


class _NationalIdRecognizer(PatternRecognizer):
    """A national-id pattern recognizer (class names start with ``Checked``: Presidio's
    registry looks predefined recognizers up by class name among all subclasses, so ours must
    not reuse theirs, e.g. ``PlPeselRecognizer``): a match is kept when ``VALIDATOR`` accepts it (its
    pattern score is kept, so weak checksums still need context), dropped otherwise."""

    ENTITY = ""
    PATTERNS: tuple[Pattern, ...] = ()
    CONTEXT: tuple[str, ...] = ()

    def __init__(self, supported_language: str = "en", **kw: Any) -> None:
        super().__init__(
            supported_entity=self.ENTITY,
            name=type(self).__name__,
            patterns=[Pattern(p.name, p.regex, p.score) for p in self.PATTERNS],
            context=list(self.CONTEXT),
            supported_language=supported_language,
            **kw,
        )

    @staticmethod
    def validator(text: str) -> bool:
        raise NotImplementedError

    def validate_result(self, pattern_text: str) -> bool | None:
        return None if type(self).validator(pattern_text) else False


class CheckedDeTaxIdRecognizer(_NationalIdRecognizer):
    """DE Steuer-ID: 11 digits (``12 345 678 901`` too); needs context."""

    ENTITY = "DE_TAX_ID"
    PATTERNS = (
        Pattern("de-tax-id", rf"{_L}[1-9]\d{{10}}{_R}", 0.3),
        Pattern("de-tax-id-spaced", rf"{_L}[1-9]\d \d{{3}} \d{{3}} \d{{3}}{_R}", 0.3),
    )
    CONTEXT = (
        "steuer", "steuerid", "steuer-id", "steueridentifikationsnummer",
        "identifikationsnummer", "idnr", "steuernummer", "tin", "tax id",
    )  # fmt: skip
    validator = staticmethod(valid_de_tax_id)


class CheckedFrNirRecognizer(_NationalIdRecognizer):
    """FR NIR (sécurité sociale): 15 characters, key mod 97; counts on its own."""

    ENTITY = "FR_NIR"
    PATTERNS = (
        Pattern("fr-nir", rf"{_L}[123478]\d{{4}}(?:\d{{2}}|2[AB])\d{{8}}{_R}", 0.5),
        Pattern(
            "fr-nir-spaced",
            rf"{_L}[123478] \d{{2}} \d{{2}} (?:\d{{2}}|2[AB]) ?\d{{3}} \d{{3}} \d{{2}}{_R}",
            0.6,
        ),
    )
    CONTEXT = (
        "nir", "sécurité sociale", "securite sociale", "insee", "numéro de sécu", "secu",
        "sécu", "nss", "carte vitale", "vitale", "sociale",
    )  # fmt: skip
    validator = staticmethod(valid_fr_nir)


class CheckedNlBsnRecognizer(_NationalIdRecognizer):
    """NL BSN: 9 digits (elfproef); needs context."""

    ENTITY = "NL_BSN"
    PATTERNS = (
        Pattern("nl-bsn", rf"{_L}\d{{9}}{_R}", 0.3),
        Pattern("nl-bsn-dotted", rf"{_L}\d{{4}}\.\d{{2}}\.\d{{3}}{_R}", 0.3),
    )
    CONTEXT = ("bsn", "burgerservicenummer", "sofinummer", "sofi", "persoonsnummer")
    validator = staticmethod(valid_nl_bsn)


class CheckedSePersonnummerRecognizer(_NationalIdRecognizer):
    """SE personnummer: ``yymmdd-nnnn`` counts on its own; bare digits need context."""

    ENTITY = "SE_PERSONNUMMER"
    PATTERNS = (
        Pattern("se-pnr", rf"{_L}(?:(?:18|19|20)\d{{2}})?\d{{6}}[-+]\d{{4}}{_R}", 0.45),
        Pattern("se-pnr-digits", rf"{_L}(?:(?:18|19|20)\d{{2}})?\d{{10}}{_R}", 0.3),
    )
    CONTEXT = ("personnummer", "personnr", "pnr", "samordningsnummer", "personal number")
    validator = staticmethod(valid_se_personnummer)


class CheckedDkCprRecognizer(_NationalIdRecognizer):
    """DK CPR: ``ddmmyy-ssss`` with a valid date; no checksum since 2007, so context only."""

    ENTITY = "DK_CPR"
    PATTERNS = (Pattern("dk-cpr", rf"{_L}[0-3]\d[01]\d{{3}}-?\d{{4}}{_R}", 0.3),)
    CONTEXT = ("cpr", "cpr-nr", "cprnr", "personnummer", "cpr-nummer", "personnr")
    validator = staticmethod(valid_dk_cpr)


class CheckedNoFodselsnummerRecognizer(_NationalIdRecognizer):
    """NO fødselsnummer / D-number: 11 digits, two mod-11 controls; needs context."""

    ENTITY = "NO_FODSELSNUMMER"
    PATTERNS = (Pattern("no-fnr", rf"{_L}\d{{6}} ?\d{{5}}{_R}", 0.35),)
    CONTEXT = (
        "fødselsnummer", "fodselsnummer", "fødselsnr", "fnr", "personnummer", "d-nummer",
        "dnummer", "folkeregister",
        "dselsnummer",  # "fødselsnummer" as a column name, its non-ASCII letter dropped
    )  # fmt: skip
    validator = staticmethod(valid_no_fodselsnummer)


class CheckedFiHetuRecognizer(_NationalIdRecognizer):
    """FI henkilötunnus: ``ddmmyyCnnnT`` with its mod-31 check character; counts on its own."""

    ENTITY = "FI_HETU"
    PATTERNS = (Pattern("fi-hetu", rf"{_L}\d{{6}}[-+A-FU-Y]\d{{3}}[0-9A-Y]{_R}", 0.6),)
    CONTEXT = (
        "henkilötunnus", "henkilotunnus", "hetu", "sotu", "personbeteckning",
        "personal identity code", "tunnus",
    )  # fmt: skip
    validator = staticmethod(valid_fi_hetu)


class CheckedBrCpfRecognizer(_NationalIdRecognizer):
    """BR CPF: ``ddd.ddd.ddd-dd`` counts on its own; 11 bare digits need context."""

    ENTITY = "BR_CPF"
    PATTERNS = (
        Pattern("br-cpf", rf"{_L}\d{{3}}\.\d{{3}}\.\d{{3}}-\d{{2}}{_R}", 0.6),
        Pattern("br-cpf-digits", rf"{_L}\d{{11}}{_R}", 0.3),
    )
    CONTEXT = ("cpf", "cadastro de pessoas", "pessoa física", "pessoa fisica", "contribuinte")
    validator = staticmethod(valid_br_cpf)


class CheckedCaSinRecognizer(_NationalIdRecognizer):
    """CA SIN: 9 digits (Luhn); needs context."""

    ENTITY = "CA_SIN"
    PATTERNS = (Pattern("ca-sin", rf"{_L}[1-79]\d{{2}}([- ]?)\d{{3}}\1\d{{3}}{_R}", 0.3),)
    CONTEXT = (
        "sin", "social insurance", "nas", "numéro d'assurance sociale", "assurance sociale",
    )  # fmt: skip
    validator = staticmethod(valid_ca_sin)


class CheckedCnResidentIdRecognizer(_NationalIdRecognizer):
    """CN resident identity card: 18 characters with a birth date and MOD 11-2 check."""

    ENTITY = "CN_RESIDENT_ID"
    PATTERNS = (
        Pattern("cn-id", r"(?<![\w\-./+])[1-8]\d{5}(?:18|19|20)\d{9}[\dXx](?![\w\-/+]|\.\d)", 0.5),
    )
    CONTEXT = ("身份证", "身份证号", "身份证号码", "公民身份号码", "居民身份证", "resident id")
    validator = staticmethod(valid_cn_resident_id)


class CheckedJpMyNumberRecognizer(_NationalIdRecognizer):
    """JP My Number: 12 digits (MIC check digit); needs context."""

    ENTITY = "JP_MY_NUMBER"
    PATTERNS = (Pattern("jp-my-number", rf"{_L}\d{{4}}([- ]?)\d{{4}}\1\d{{4}}{_R}", 0.3),)
    CONTEXT = ("マイナンバー", "個人番号", "my number", "mynumber", "individual number")
    validator = staticmethod(valid_jp_my_number)


class CheckedInAadhaarRecognizer(_NationalIdRecognizer):
    """IN Aadhaar: 12 digits, first 2-9, Verhoeff; needs context."""

    ENTITY = "IN_AADHAAR"
    PATTERNS = (Pattern("in-aadhaar", rf"{_L}[2-9]\d{{3}}([- ]?)\d{{4}}\1\d{{4}}{_R}", 0.3),)
    CONTEXT = ("aadhaar", "aadhar", "adhaar", "uidai", "uid", "आधार")
    validator = staticmethod(valid_in_aadhaar)


class CheckedInPanRecognizer(_NationalIdRecognizer):
    """IN PAN ``AAAAA9999A``: an individual's (4th letter P/H) counts on its own, others need
    context (a company's PAN is not personal data)."""

    ENTITY = "IN_PAN"
    PATTERNS = (
        Pattern("in-pan-person", r"\b[A-Z]{3}[PH][A-Z]\d{4}[A-Z]\b", 0.5),
        Pattern("in-pan", r"\b[A-Z]{3}[CFATBLJG][A-Z]\d{4}[A-Z]\b", 0.2),
    )
    CONTEXT = ("pan", "permanent account number", "pan card", "income tax", "पैन")

    def validate_result(self, pattern_text: str) -> bool | None:
        # Presidio matches case-insensitively: the rule needs upper case
        return None if valid_in_pan(pattern_text) else False


class CheckedPlPeselRecognizer(_NationalIdRecognizer):
    """PL PESEL: 11 digits with a birth date and weighted check; needs context."""

    ENTITY = "PL_PESEL"
    PATTERNS = (Pattern("pl-pesel", rf"{_L}\d{{2}}[0-9]\d{{8}}{_R}", 0.35),)
    CONTEXT = ("pesel", "numer pesel", "nr pesel")
    validator = staticmethod(valid_pl_pesel)


_OWN = (
    CheckedDeTaxIdRecognizer, CheckedFrNirRecognizer, CheckedNlBsnRecognizer, CheckedSePersonnummerRecognizer,
    CheckedDkCprRecognizer, CheckedNoFodselsnummerRecognizer, CheckedFiHetuRecognizer, CheckedBrCpfRecognizer,
    CheckedCaSinRecognizer, CheckedCnResidentIdRecognizer, CheckedJpMyNumberRecognizer, CheckedInAadhaarRecognizer,
    CheckedInPanRecognizer, CheckedPlPeselRecognizer,
)  # fmt: skip


def national_id_recognizers(language: str = "en") -> list[PatternRecognizer]:
    """Fresh instances of the national-id recognizers built here, for ``language``."""
    return [cls(supported_language=language) for cls in _OWN]


# Presidio's predefined recognizers for ids not built here, each validating a checksum.
# ``strong``: the shape is distinctive (letters and a check character), so a pass keeps
# Presidio's score; otherwise (a bare run of digits with one check digit) a pass keeps the
# pattern score capped at 0.3, and the id is reported only with context.
_PRESIDIO: tuple[tuple[str, str, bool, tuple[str, ...]], ...] = (
    ("spain", "EsNifRecognizer", True, ("nif", "dni", "documento nacional de identidad")),
    ("spain", "EsNieRecognizer", True, ("nie", "número de identidad de extranjero")),
    ("italy", "ItFiscalCodeRecognizer", True, ("codice fiscale", "cf", "fiscal code")),
    ("australia", "AuTfnRecognizer", False, ()),
    ("australia", "AuMedicareRecognizer", False, ()),
    ("australia", "AuAbnRecognizer", False, ()),
    ("korea", "KrRrnRecognizer", False, ("주민등록번호",)),
    ("turkey", "TrNationalIdRecognizer", False, ()),
    ("south_africa", "ZaIdNumberRecognizer", False, ()),
    ("thai", "ThTninRecognizer", False, ()),
    # the NHS mod-11 check is the ISBN-10 check: every numeric ISBN-10 and 1 in 11 ten-digit
    # numbers pass it, so a bare pass proves nothing without an NHS word or column name
    ("uk", "NhsRecognizer", False, ("nhs number", "nhs no")),
)


@functools.cache
def _weak(cls: type[PatternRecognizer]) -> type[PatternRecognizer]:
    """``cls`` with a checksum pass keeping the pattern score instead of Presidio's 1.0."""

    def validate_result(self: PatternRecognizer, pattern_text: str) -> bool | None:
        ok = cls.validate_result(self, pattern_text)
        return False if ok is False else None

    return type(f"Auditor{cls.__name__}", (cls,), {"validate_result": validate_result})


def presidio_national_id_recognizers(language: str = "en") -> list[PatternRecognizer]:
    """Presidio's country recognizers (disabled by default) for national ids this module does
    not build, set up for ``language`` with their own context words plus local ones."""
    import importlib

    out: list[PatternRecognizer] = []
    base = "presidio_analyzer.predefined_recognizers.country_specific"
    for package, name, strong, extra in _PRESIDIO:
        cls = getattr(importlib.import_module(f"{base}.{package}"), name)
        context = list(dict.fromkeys([*getattr(cls, "CONTEXT", []), *extra]))
        if strong:
            out.append(cls(supported_language=language, context=context))
            continue
        # at most 0.3 before context (KR RRN and TH TNIN patterns score 0.5: 13-digit EANs
        # with a date-like prefix passed); fresh Pattern objects, Presidio's are class-level
        patterns = [Pattern(p.name, p.regex, min(p.score, 0.3)) for p in cls.PATTERNS]
        weak: Any = _weak(cls)  # Presidio's subclass signatures, not PatternRecognizer's
        out.append(weak(supported_language=language, context=context, patterns=patterns))
    return out


NATIONAL_ID_ENTITIES: tuple[str, ...] = (
    *(cls.ENTITY for cls in _OWN),
    "ES_NIF", "ES_NIE", "IT_FISCAL_CODE", "AU_TFN", "AU_MEDICARE", "AU_ABN", "KR_RRN",
    "TR_NATIONAL_ID", "ZA_ID_NUMBER", "TH_TNIN",
)  # fmt: skip
