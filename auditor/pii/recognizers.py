"""Recognizers Presidio lacks: US ZIP, VIN, IMEI, MRN, age over 89, lat/long, street, secrets."""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Any

from presidio_analyzer import Pattern, PatternRecognizer

__all__ = [
    "AgeOver89Recognizer",
    "CredentialRecognizer",
    "HighEntropyRecognizer",
    "ImeiRecognizer",
    "LatLongRecognizer",
    "MrnRecognizer",
    "StreetAddressRecognizer",
    "UsZipRecognizer",
    "VinRecognizer",
    "extra_recognizers",
    "luhn_ok",
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
    ]
