"""Recognizers Presidio lacks: US ZIP, VIN, IMEI, MRN, age over 89, lat/long, street, secrets;
payment cards by network range (replacing Presidio's) and phone numbers without code false alarms."""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Any

import phonenumbers
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.predefined_recognizers import PhoneRecognizer

__all__ = [
    "CARD_NETWORKS",
    "AgeOver89Recognizer",
    "CredentialRecognizer",
    "HighEntropyRecognizer",
    "ImeiRecognizer",
    "LatLongRecognizer",
    "MrnRecognizer",
    "PaymentCardRecognizer",
    "PhoneNumberRecognizer",
    "StreetAddressRecognizer",
    "UsZipRecognizer",
    "VinRecognizer",
    "card_networks",
    "card_ok",
    "extra_recognizers",
    "gtin_ok",
    "isbn10_ok",
    "luhn_ok",
    "nanp_ok",
    "not_a_phone",
    "shannon_entropy",
    "vin_ok",
]


def luhn_ok(digits: str) -> bool:
    """Luhn checksum of a digit string (separators ignored)."""
    ds = [int(c) for c in digits if c.isdigit()]
    if len(ds) < 2:
        return False
    total = 0
    for i, d in enumerate(reversed(ds)):
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


_VIN_VALUES = {
    **{str(i): i for i in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def vin_ok(vin: str) -> bool:
    """ISO 3779 / 49 CFR 565 check digit (position 9) of a 17-character VIN."""
    v = vin.upper()
    if len(v) != 17 or any(c not in _VIN_VALUES for c in v):
        return False
    if v.isdigit() or v.isalpha():
        return False
    total = sum(_VIN_VALUES[c] * w for c, w in zip(v, _VIN_WEIGHTS, strict=True))
    check = total % 11
    return v[8] == ("X" if check == 10 else str(check))


def shannon_entropy(text: str) -> float:
    """Bits per character of ``text``."""
    if not text:
        return 0.0
    n = len(text)
    return -sum(c / n * math.log2(c / n) for c in Counter(text).values())


class UsZipRecognizer(PatternRecognizer):
    """US ZIP / ZIP+4: very low base score, so it counts only with context (``zip``, ``postal``)."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(
            supported_entity="US_ZIP",
            name="UsZipRecognizer",
            patterns=[
                Pattern("zip+4", r"\b\d{5}-\d{4}\b", 0.1),
                Pattern("zip5", r"\b\d{5}\b", 0.05),
            ],
            context=["zip", "zipcode", "postal", "postcode", "zip code"],
            **kw,
        )


class VinRecognizer(PatternRecognizer):
    """17-character vehicle identification number validated by its check digit."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(
            supported_entity="VIN",
            name="VinRecognizer",
            patterns=[Pattern("vin", r"\b[A-HJ-NPR-Z0-9]{17}\b", 0.3)],
            context=["vin", "vehicle", "chassis"],
            **kw,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        return bool(vin_ok(pattern_text))


class ImeiRecognizer(PatternRecognizer):
    """15-digit IMEI (Luhn); a valid checksum keeps the base score, context raises it."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(
            supported_entity="IMEI",
            name="ImeiRecognizer",
            patterns=[
                Pattern("imei", r"\b\d{15}\b", 0.3),
                Pattern("imei-formatted", r"\b\d{2}-\d{6}-\d{6}-\d\b", 0.5),
            ],
            context=["imei", "device", "handset", "phone serial"],
            **kw,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        return None if luhn_ok(pattern_text) else False


class MrnRecognizer(PatternRecognizer):
    """Medical record numbers: explicit ``MRN`` prefixes, or 6-10 digits with context."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(
            supported_entity="MEDICAL_RECORD_NUMBER",
            name="MrnRecognizer",
            patterns=[
                Pattern("mrn-prefixed", r"\bMRN[-:# ]{0,2}[A-Z]{0,3}\d{5,10}\b", 0.7),
                Pattern("mrn-digits", r"\b\d{6,10}\b", 0.01),
            ],
            context=["mrn", "medical record", "record number", "chart", "patient id"],
            **kw,
        )


class AgeOver89Recognizer(PatternRecognizer):
    """Ages over 89 in text (HIPAA Safe Harbor (C) requires them aggregated into 90+)."""

    def __init__(self, **kw: Any) -> None:
        age = r"(?:9\d|1[01]\d|12[0-5])"
        super().__init__(
            supported_entity="AGE_OVER_89",
            name="AgeOver89Recognizer",
            patterns=[
                Pattern("years-old", rf"\b{age}[- ]?(?:years?|yrs?)[- ]old\b", 0.7),
                Pattern("aged", rf"\b(?:aged?|age:)\s*{age}\b", 0.6),
            ],
            context=["age", "old", "aged"],
            **kw,
        )


class LatLongRecognizer(PatternRecognizer):
    """Latitude/longitude pairs with at least 4 decimals (about 11 m: CPRA precise geolocation)."""

    def __init__(self, **kw: Any) -> None:
        lat = r"[-+]?(?:[1-8]?\d\.\d{4,}|90\.0{4,})"
        lon = r"[-+]?(?:1[0-7]\d\.\d{4,}|[1-9]?\d\.\d{4,}|180\.0{4,})"
        super().__init__(
            supported_entity="PRECISE_LOCATION",
            name="LatLongRecognizer",
            patterns=[Pattern("lat-long", rf"(?<![\d.]){lat}\s*[,;/ ]\s*{lon}(?![\d.])", 0.6)],
            context=["lat", "lon", "lng", "gps", "coordinates", "location", "geo"],
            **kw,
        )


class StreetAddressRecognizer(PatternRecognizer):
    """US/UK-style street lines: number, 1-4 capitalised words, a street suffix."""

    SUFFIXES = (
        "Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl"
        "|Terrace|Circle|Cir|Parkway|Pkwy|Square|Sq|Trail|Highway|Hwy|Crescent|Close|Grove"
        "|Gardens|Mews|Row|Walk|Alley|Plaza|Loop|Ridge|Run|Path|Pike|Point|Pass|Hill|Hills"
        "|Heights|Park|View|Creek|Crossing|Junction|Manor|Meadow|Meadows|Mill|Mills|Springs"
        "|Station|Summit|Valley|Village|Ville|Vista|Estates|Expressway|Freeway|Green|Harbor"
        "|Haven|Island|Isle|Key|Knoll|Lake|Lakes|Landing|Light|Lock|Lodge|Port|Prairie|Ranch"
        "|Route|Shoal|Shore|Shores|Track|Trace|Union|Unions|Wall|Well|Wells|Stravenue|Strasse"
        "|Straße|Weg|Allee|Platz|Gasse"
    )

    def __init__(self, **kw: Any) -> None:
        super().__init__(
            supported_entity="STREET_ADDRESS",
            name="StreetAddressRecognizer",
            patterns=[
                Pattern(
                    "street",
                    rf"\b\d{{1,6}}[A-Za-z]?\s+(?:[A-Z][A-Za-z'.-]+\s+){{0,3}}(?:{self.SUFFIXES})"
                    r"\b\.?(?:,?\s+(?:Apt\.?|Suite|Unit|#)\s*[\w-]+)?",
                    0.5,
                ),
                Pattern(
                    "strasse",
                    r"\b[A-ZÄÖÜ][a-zäöüß]+(?:straße|strasse|weg|allee|platz|gasse)\s+\d{1,4}[a-z]?\b",
                    0.5,
                ),
            ],
            context=["address", "street", "lives", "residence", "ship to"],
            **kw,
        )


class CredentialRecognizer(PatternRecognizer):
    """Secrets: provider key prefixes, private keys, JWTs, bcrypt hashes, ``password=`` pairs and
    high-entropy tokens (the last count only with context such as a ``token`` column name)."""

    PATTERNS = (
        Pattern("aws-access-key", r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b", 0.9),
        Pattern("github-token", r"\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b", 0.95),
        Pattern("github-pat", r"\bgithub_pat_[A-Za-z0-9_]{40,}\b", 0.95),
        Pattern("stripe-key", r"\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{20,}\b", 0.9),
        Pattern("slack-token", r"\bxox[abposr]-[A-Za-z0-9-]{10,}\b", 0.9),
        Pattern("google-api-key", r"\bAIza[0-9A-Za-z_-]{35}\b", 0.9),
        Pattern("openai-key", r"\bsk-(?:proj-)?[A-Za-z0-9_-]{32,}\b", 0.85),
        Pattern("private-key", r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP )?PRIVATE KEY-----", 1.0),
        Pattern("jwt", r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}", 0.85),
        Pattern("bcrypt", r"\$2[aby]?\$\d{2}\$[./A-Za-z0-9]{53}", 0.85),
        Pattern(
            "password-assignment",
            r"(?i)\b(?:password|passwd|pwd|secret|api[_-]?key|token)\s*[:=]\s*\S{4,}",
            0.7,
        ),
    )

    def __init__(self, **kw: Any) -> None:
        super().__init__(
            supported_entity="CREDENTIAL",
            name="CredentialRecognizer",
            patterns=list(self.PATTERNS),
            context=["password", "passwd", "secret", "token", "api key", "apikey", "credential"],
            **kw,
        )


class HighEntropyRecognizer(PatternRecognizer):
    """Random-looking tokens (20-128 chars, upper + lower + digits, >= 4 bits/char) as CREDENTIAL;
    base score 0.25, so they count only with context (a ``token``/``secret`` column name)."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(
            supported_entity="CREDENTIAL",
            name="HighEntropyRecognizer",
            patterns=[
                Pattern("high-entropy", r"(?<![\w/+=-])[A-Za-z0-9_+/=-]{20,128}(?![\w/+=-])", 0.25)
            ],
            context=["password", "passwd", "secret", "token", "api key", "apikey", "credential"],
            **kw,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        classes = sum(bool(re.search(rx, pattern_text)) for rx in (r"[a-z]", r"[A-Z]", r"[0-9]"))
        if classes < 3 or shannon_entropy(pattern_text) < 4.0:
            return False
        return None


# -- payment cards ---------------------------------------------------------------------------
# (first IIN, last IIN, lengths): every current network range, each IIN of the same number of
# digits as its bounds. Sources: ISO/IEC 7812 as published by the networks (Visa, Mastercard
# 2-series since 2017, Amex, Discover/Diners/Elo via Discover Global Network, JCB, Maestro,
# UnionPay, Mir).
CARD_NETWORKS: dict[str, tuple[tuple[int, int, tuple[int, ...]], ...]] = {
    "Visa": ((4, 4, (13, 16, 19)),),
    "Mastercard": ((51, 55, (16,)), (2221, 2720, (16,))),
    "American Express": ((34, 34, (15,)), (37, 37, (15,))),
    "Discover": (
        (6011, 6011, (16, 17, 18, 19)),
        (644, 649, (16, 17, 18, 19)),
        (65, 65, (16, 17, 18, 19)),
        (622126, 622925, (16, 17, 18, 19)),
    ),
    "Diners Club": (
        (36, 36, (14, 15, 16, 17, 18, 19)),
        (38, 39, (14, 15, 16, 17, 18, 19)),
        (300, 305, (14, 15, 16, 17, 18, 19)),
    ),
    "JCB": ((3528, 3589, (16, 17, 18, 19)), (1800, 1800, (15,)), (2131, 2131, (15,))),
    "Maestro": ((50, 50, tuple(range(12, 20))), (56, 69, tuple(range(12, 20)))),
    "UnionPay": ((62, 62, (16, 17, 18, 19)),),
    "Mir": ((2200, 2204, (16, 17, 18, 19)),),
}


def card_networks(digits: str) -> tuple[str, ...]:
    """Networks whose IIN range and length ``digits`` fits (Luhn not checked)."""
    n = len(digits)
    out: list[str] = []
    for network, ranges in CARD_NETWORKS.items():
        for lo, hi, lengths in ranges:
            width = len(str(lo))
            if n in lengths and lo <= int(digits[:width]) <= hi:
                out.append(network)
                break
    return tuple(out)


def gtin_ok(digits: str) -> bool:
    """GS1 check digit of a GTIN-8/12/13/14 (EAN-8, UPC-A, EAN-13/ISBN-13, GTIN-14): weights
    3, 1, 3, ... from the digit left of the check digit."""
    if len(digits) not in (8, 12, 13, 14) or not digits.isdigit():
        return False
    body = [int(c) for c in digits[:-1]]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == int(digits[-1])


def isbn10_ok(text: str) -> bool:
    """ISBN-10 mod-11 check (``X`` = 10 in the last place); separators ignored."""
    chars = [c for c in text.upper() if c.isdigit() or c == "X"]
    if len(chars) != 10 or "X" in chars[:-1]:
        return False
    total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(chars))
    return total % 11 == 0


def card_ok(digits: str) -> bool:
    """A payment card number: a network's IIN range and length, and the Luhn check."""
    return digits.isdigit() and bool(card_networks(digits)) and luhn_ok(digits)


class PaymentCardRecognizer(PatternRecognizer):
    """Payment card numbers (replaces Presidio's CreditCardRecognizer): 12-19 digits, plain or
    in the printed groupings (4-4-4-4[-3], 4-6-5 Amex, 4-6-4 Diners) with one separator (space
    or hyphen) throughout, inside a network's IIN range and length (:data:`CARD_NETWORKS`),
    Luhn-valid. A valid number scores 1.0; a plain 12-14 digit number that is also a valid
    GTIN/EAN/UPC (a product barcode) keeps 0.3 and counts only with card context."""

    CONTEXT = (
        "credit", "card", "debit", "visa", "mastercard", "amex", "american express", "discover",
        "jcb", "diners", "maestro", "unionpay", "mir", "cc", "ccn", "pan", "payment",
    )  # fmt: skip

    def __init__(self, **kw: Any) -> None:
        before = r"(?<![\w+.,/-])"
        after = r"(?![\w/-]|[.,]\d)"
        super().__init__(
            supported_entity="CREDIT_CARD",
            name="PaymentCardRecognizer",
            patterns=[
                Pattern("card-plain", rf"{before}\d{{12,19}}{after}", 0.3),
                Pattern(
                    "card-4s",
                    rf"{before}\d{{4}}(?P<s>[ -])\d{{4}}(?P=s)\d{{4}}"
                    rf"(?:(?P=s)\d{{4}}(?P=s)\d{{1,3}}|(?P=s)\d{{1,4}})?{after}",
                    0.3,
                ),
                Pattern(
                    "card-4-6-x", rf"{before}\d{{4}}(?P<t>[ -])\d{{6}}(?P=t)\d{{4,5}}{after}", 0.3
                ),
            ],
            context=list(self.CONTEXT),
            **kw,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        digits = "".join(c for c in pattern_text if c.isdigit())
        if not card_ok(digits):
            return False
        if digits == pattern_text and gtin_ok(digits):
            return None  # also a product barcode: needs card context
        return True


# -- phone numbers -------------------------------------------------------------------------------
_WORD_LETTER = re.compile(r"[^\W\d_]")
_EDGE_PUNCT = "()[]{}<>,;:.!?\"'"
# a label glued to the number (``tel:+1...``, ``Mob.0171...``) or an extension after it
_PHONE_LABEL = re.compile(r"(?i)^(?:tel|phone|ph|mob|mobile|cell|fax|t|m|f|p)[.:#]?$")
_PHONE_EXTENSION = re.compile(r"(?i)^(?:x|ext\.?|#)\d{1,6}$")
_ISBN10_GROUPS = re.compile(r"^\d{1,5}-\d{1,7}-\d{1,7}-[\dXx]$")


def _token_around(text: str, start: int, end: int) -> tuple[str, str, str]:
    """The whitespace-delimited token holding ``text[start:end]``, outer punctuation stripped:
    (before the match, the match, after the match)."""
    left = start
    while left > 0 and not text[left - 1].isspace():
        left -= 1
    right = end
    while right < len(text) and not text[right].isspace():
        right += 1
    head, tail = text[left:start], text[end:right]
    return head.lstrip(_EDGE_PUNCT), text[start:end], tail.rstrip(_EDGE_PUNCT)


def nanp_ok(national: str) -> bool:
    """North American Numbering Plan: area code and exchange are NXX (N = 2-9) and not N11
    (service codes such as 411 and 911)."""
    if len(national) != 10 or not national.isdigit():
        return False
    npa, nxx = national[:3], national[3:6]
    return all(part[0] in "23456789" and part[1:] != "11" for part in (npa, nxx))


def not_a_phone(text: str, start: int, end: int) -> str | None:
    """Why a phone-number match is a code rather than a phone (or None): letters glued to the
    number (``LOT-2024-00483``, ``SKU-212-555-0123``, ``A1-2024-7788``), an ISBN-13/EAN-13/UPC
    (bare digits with a valid GS1 check digit), a hyphenated ISBN-10 with a valid check digit,
    or a North American number whose area code or exchange cannot exist."""
    head, match, tail = _token_around(text, start, end)
    if (head and _WORD_LETTER.search(head) and not _PHONE_LABEL.match(head)) or (
        tail and _WORD_LETTER.search(tail) and not _PHONE_EXTENSION.match(tail)
    ):
        return "letters glued to the number (a product or batch code)"
    token = head + match + tail
    if "+" not in token:
        bare = token.strip()
        if bare.isdigit() and gtin_ok(bare):
            return "a valid GTIN/EAN/UPC/ISBN-13 check digit"
        if _ISBN10_GROUPS.match(bare) and isbn10_ok(bare):
            return "a valid ISBN-10"
        digits = "".join(c for c in token if c.isdigit())
        if len(digits) == 13 and digits[:3] in ("978", "979") and gtin_ok(digits):
            return "a valid ISBN-13"
    return None


_NANP_SHAPE = re.compile(r"^(?:\+?1[-. ]?)?\(?(\d{3})\)?[-. ]?(\d{3})[-. ]?(\d{4})$")
# regions of the North American Numbering Plan (country code 1)
_NANP_REGIONS = frozenset(
    {
        "US", "CA", "AG", "AI", "AS", "BB", "BM", "BS", "DM", "DO", "GD", "GU", "JM", "KN", "KY",
        "LC", "MP", "MS", "PR", "SX", "TC", "TT", "VC", "VG", "VI",
    }
)  # fmt: skip


class PhoneNumberRecognizer(PhoneRecognizer):
    """Presidio's PhoneRecognizer (python-phonenumbers, VALID leniency, the configured regions)
    without its false alarms: matches :func:`not_a_phone` explains as product or batch codes
    are dropped, and a North American reading must pass :func:`nanp_ok`. Numbers in the
    555-0100..0199 range reserved for fiction are still phone numbers (placeholders in a
    column mean the column is made for phone numbers; production data will hold real ones)."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self._nanp = bool(set(self.supported_regions) & _NANP_REGIONS)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: Any = None
    ) -> list[RecognizerResult]:
        results: list[RecognizerResult] = []
        leniency = 1 if self.leniency is None else int(self.leniency)
        for region in self.supported_regions:
            for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=leniency):
                if not_a_phone(text, match.start, match.end):
                    continue
                number = match.number
                if number.country_code == 1 and not nanp_ok(str(number.national_number)):
                    continue
                # written the North American way (3-3-4 digits, no other country code) while
                # a NANP region is scanned: another region's reading does not rescue it
                shape = _NANP_SHAPE.match(match.raw_string)
                if shape and self._nanp and not nanp_ok("".join(shape.groups())):
                    continue
                found = phonenumbers.region_code_for_number(number) or region
                results.append(
                    self._get_recognizer_result(match, text, found, nlp_artifacts)  # type: ignore[no-untyped-call]
                )
        return list(EntityRecognizer.remove_duplicates(results))


def extra_recognizers() -> list[PatternRecognizer]:
    """Fresh instances of every recognizer this module adds."""
    return [
        UsZipRecognizer(),
        VinRecognizer(),
        ImeiRecognizer(),
        MrnRecognizer(),
        AgeOver89Recognizer(),
        LatLongRecognizer(),
        StreetAddressRecognizer(),
        CredentialRecognizer(),
        HighEntropyRecognizer(),
        PaymentCardRecognizer(),
    ]
