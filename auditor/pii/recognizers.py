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
    "phone_regions_of",
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
    """Latitude/longitude pairs precise to about 11 m (CPRA precise geolocation): decimal degrees
    with at least 4 decimals (``52.5200, 13.4050``, ``geo:52.52001,13.40495``), with hemisphere
    letters (``52.5200° N, 13.4050° E``), or degrees-minutes-seconds with whole or decimal
    seconds (``52°31'12.0"N 13°24'18.0"E``)."""

    def __init__(self, **kw: Any) -> None:
        lat = r"[-+]?(?:[1-8]?\d\.\d{4,}|90\.0{4,})"
        lon = r"[-+]?(?:1[0-7]\d\.\d{4,}|[1-9]?\d\.\d{4,}|180\.0{4,})"
        hemi_lat = r"(?:[1-8]?\d\.\d{4,}|90\.0{4,})\s?°?\s?[NSns]"
        hemi_lon = r"(?:1[0-7]\d\.\d{4,}|[1-9]?\d\.\d{4,}|180\.0{4,})\s?°?\s?[EWOewo]"
        sec = r"[0-5]?\d(?:[.,]\d+)?\s?(?:\"|″|'')"
        dms_lat = rf"(?:[1-8]?\d|90)\s?°\s?[0-5]?\d\s?(?:'|′)\s?{sec}\s?[NSns]"
        dms_lon = rf"(?:1[0-7]\d|[1-9]?\d|180)\s?°\s?[0-5]?\d\s?(?:'|′)\s?{sec}\s?[EWOewo]"
        super().__init__(
            supported_entity="PRECISE_LOCATION",
            name="LatLongRecognizer",
            patterns=[
                Pattern("lat-long", rf"(?<![\d.]){lat}\s*[,;/ ]\s*{lon}(?![\d.])", 0.6),
                Pattern(
                    "lat-long-hemisphere", rf"(?<![\d.]){hemi_lat}\s*[,;/ ]?\s*{hemi_lon}\b", 0.7
                ),
                Pattern("lat-long-dms", rf"(?<![\d.]){dms_lat}\s*[,;/ ]?\s*{dms_lon}\b", 0.7),
            ],
            context=["lat", "lon", "lng", "gps", "coordinates", "location", "geo"],
            **kw,
        )


# -- street addresses ------------------------------------------------------------------------------
# Presidio compiles patterns case-insensitively: ``(?-i:...)`` marks the parts where case says
# something (a capitalised street name)
_CAP = r"(?-i:\p{Lu})[\p{L}'’.\-]*"  # a capitalised word: ``Roma``, ``O'Connell``, ``St.``
_NAME_WORDS = rf"{_CAP}(?:\s+(?:(?-i:\p{{Ll}}{{1,3}})\s+)?{_CAP}){{0,3}}"  # ``Victor Hugo``
# a postcode and a capitalised town after the street line: DE/FR/ES/IT 5 digits, NL 4 digits +
# 2 letters, PT 4-3, PL 2-3, SE 3 2, AT/CH/BE/DK/NO 4, UK outward+inward codes
_POSTCODE = (
    r"(?:(?:[A-Z]{1,2}-)?\d{5}|\d{4}\s?(?-i:[A-Z]{2})|\d{4}-\d{3}|\d{2}-\d{3}|\d{3}\s\d{2}|\d{4}"
    r"|(?-i:[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}))"
)
_TOWN_WORD = r"(?-i:\p{Lu})[\p{L}'’\-]*\p{L}"
_TOWN = rf",?\s+{_POSTCODE}\s+{_TOWN_WORD}(?:[\s-]{_TOWN_WORD})?"
_HOUSE = r"\d{1,4}(?:\s?(?-i:[a-zA-Z])\b|\s?(?:bis|ter)\b)?(?:\s?[-/]\s?\d{1,4})?"
# compound street names of German, Dutch and Nordic (``Hauptstraße``, ``Kerkstraat``,
# ``Drottninggatan``), house number after the name
_SUFFIX_COMPOUND = (
    r"stra(?:ß|ss)e|str\.|weg|allee|platz|gasse|ring|damm|ufer|chaussee|steig|pfad|markt"
    r"|straat|laan|plein|gracht|kade|singel|dijk|steeg"
    r"|gatan|gata|vägen|väg|gränd|torget|stigen|gade|vej|vei|veien|gate|gaten|plass|katu|tie"
    r"|kuja|polku"
)
# the same words standing alone after a capitalised name (``Berliner Straße 5``)
_SUFFIX_WORD = (
    r"Stra(?:ß|ss)e|Str\.|Weg|Allee|Gasse|Ring|Damm|Ufer|Chaussee"
    r"|gate|gata|gaten|vei|veien|vej|gade|vägen|väg|gatan|plass|torg"  # ``Karl Johans gate 22``
)
# street types written before the name (ES, IT, PT, PL, FR name-first) with the number after
_PREFIX = (
    r"Calle|C/|Avda\.?|Avenida|Av\.|Plaza|Pza\.|Paseo|P[º°]|Carrera|Camino|Ronda|Traves[íi]a"
    r"|Carretera|Ctra\.|Via|Viale|V\.le|Piazza|P\.za|Piazzale|Corso|C\.so|Largo|Vicolo|Strada"
    r"|Contrada|Rua|R\.|Travessa|Tv\.|Praça|Pç\.|Alameda|Estrada|Rodovia|ul\.|al\.|pl\.|os\."
    r"|Plac|Aleja|Aleje|Osiedle"
    r"|ulica|aleja|Rue|Avenue|Boulevard|Bd|Place|Chemin|Impasse|Allée|Route|Quai|Cours"
)
# French (and Belgian, Swiss, Luxembourg) number-first lines: ``12 rue de la Paix``
_FR_TYPE = (
    r"rue|avenue|av\.|boulevard|bd|blvd|place|pl\.|chemin|ch\.|impasse|imp\.|allée|allee|route"
    r"|rte|quai|cours|square|passage|voie|sentier|faubourg|fbg|promenade|rond-point|esplanade"
)
_TYPE_WORD = re.compile(
    r"(?i)calle|c/|avda|avenida|av|plaza|pza|paseo|p[º°]|carrera|camino|ronda|traves[íi]a"
    r"|carretera|ctra|via|viale|v\.le|piazza|p\.za|piazzale|corso|c\.so|largo|vicolo|strada"
    r"|contrada|rua|r|travessa|tv|praça|pç|alameda|estrada|rodovia|ul|al|pl|os|ulica|aleja"
    r"|rue|avenue|boulevard|bd|place|chemin|impasse|allée|route|quai|cours|plac|aleja|aleje"
    r"|osiedle"
)
_LINK = r"(?:(?:de la|de l'|de l’|du|des|de|d'|d’|la|le|les|l'|l’|del|de los|de las|dei|della|di|do|da|dos|das)\s*)?"


class StreetAddressRecognizer(PatternRecognizer):
    """Street lines in the main national formats: US/UK (number, capitalised words, a suffix:
    ``10 Downing Street``), German, Dutch and Nordic compounds with the number after
    (``Hauptstraße 5``, ``Kerkstraat 12``, ``Drottninggatan 5``, ``Goethestr. 12``), French
    number-first lines (``12 rue de la Paix``), Spanish, Italian, Portuguese and Polish
    type-first lines (``Calle Mayor 3``, ``C/ Alcalá 45``, ``Via Roma 10``, ``Rua Augusta
    100``, ``ul. Marszałkowska 10``). The street name must be capitalised (case-insensitive
    matching would read ``via email 2``, ``platz 3`` as streets); a postcode and town after
    the line (``, 10115 Berlin``) raise the score and let a lower-case type word count
    (``via Roma 10, 00184 Roma``)."""

    SUFFIXES = (
        "Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl"
        "|Terrace|Circle|Cir|Parkway|Pkwy|Square|Sq|Trail|Highway|Hwy|Crescent|Close|Grove"
        "|Gardens|Mews|Row|Walk|Alley|Plaza|Loop|Ridge|Run|Path|Pike|Point|Pass|Hill|Hills"
        "|Heights|Park|View|Creek|Crossing|Junction|Manor|Meadow|Meadows|Mill|Mills|Springs"
        "|Station|Summit|Valley|Village|Ville|Vista|Estates|Expressway|Freeway|Green|Harbor"
        "|Haven|Island|Isle|Key|Knoll|Lake|Lakes|Landing|Light|Lock|Lodge|Port|Prairie|Ranch"
        "|Route|Shoal|Shore|Shores|Track|Trace|Union|Unions|Wall|Well|Wells|Stravenue|Strasse"
        "|Straße|Weg|Allee|Platz|Gasse|Viaduct|Causeway|Bypass|Esplanade|Promenade|Parade"
        "|Quay|Wharf|Embankment|Rise|Vale"
    )

    CONTEXT = (
        "address", "street", "lives", "residence", "ship to", "adresse", "anschrift",
        "wohnhaft", "lieferadresse", "domicile", "dirección", "direccion", "domicilio",
        "indirizzo", "residenza", "adres", "woonadres", "morada", "endereço", "endereco",
        "adress", "osoite", "住所", "地址",
    )  # fmt: skip

    # English words that end like a street (``Spring 2024``, ``Bowtie 3``, ``Brigade 5``)
    NOT_STREETS = frozenset(
        {
            "spring", "string", "offspring", "keyring", "earring", "boxring", "bowtie", "necktie",
            "watergate", "colgate", "tollgate", "brigade", "tailgate", "floodgate", "delegate",
            "aggregate", "tiebreak", "supermarkt", "flohmarkt", "mittelweg", "ausweg", "umweg",
            "arbeitsplatz", "parkplatz", "sitzplatz", "stellplatz", "spielplatz", "marktplatz",
        }
    )  # fmt: skip

    def __init__(self, **kw: Any) -> None:
        compound = rf"(?-i:\p{{Lu}})[\p{{L}}\-]*?(?:{_SUFFIX_COMPOUND})"
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
                Pattern("compound", rf"(?<![\p{{L}}\d]){compound}\s+{_HOUSE}(?!\d)", 0.5),
                Pattern(
                    "name-suffix",
                    rf"(?<![\p{{L}}\d]){_CAP}\s+(?-i:{_SUFFIX_WORD})\s+{_HOUSE}(?!\d)",
                    0.5,
                ),
                Pattern(
                    "type-first",
                    rf"(?<![\p{{L}}\d])(?-i:{_PREFIX})\s*{_LINK}{_NAME_WORDS},?\s+"
                    rf"(?:n[º°o]\.?\s*)?{_HOUSE}(?!\d)",
                    0.5,
                ),
                Pattern(
                    "type-first-town",
                    rf"(?<![\p{{L}}\d])(?:{_PREFIX})\s*{_LINK}{_NAME_WORDS},?\s+"
                    rf"(?:n[º°o]\.?\s*)?{_HOUSE}{_TOWN}",
                    0.65,
                ),
                Pattern(
                    "number-first",
                    rf"(?<![\p{{L}}\d])\d{{1,4}}(?:\s?(?:bis|ter))?,?\s+(?:{_FR_TYPE})\s+{_LINK}"
                    rf"{_NAME_WORDS}",
                    0.5,
                ),
                Pattern(
                    "number-first-town",
                    rf"(?<![\p{{L}}\d])\d{{1,4}}(?:\s?(?:bis|ter))?,?\s+(?:{_FR_TYPE})\s+{_LINK}"
                    rf"{_NAME_WORDS}{_TOWN}",
                    0.65,
                ),
                Pattern(
                    # JP: prefecture, city or ward, block numbers (``東京都千代田区千代田1-1``)
                    "jp-address",
                    r"\p{Han}{1,4}[都道府県]\p{Han}{1,6}[市区町村郡]\p{Han}{0,10}"
                    r"\d{1,4}(?:\s?[-−‐丁目番地号の]\s?\d{0,4}){1,4}",
                    0.6,
                ),
                Pattern(
                    # CN: a road and its number (``建国路88号``)
                    "cn-address",
                    r"\p{Han}{2,12}(?:路|街|大道|道|巷|弄|胡同)\d{1,5}号",
                    0.6,
                ),
                Pattern(
                    # KR: district, road name, building number (``중구 세종대로 110``)
                    "kr-address",
                    r"[가-힣]{1,6}(?:시|구|군)\s[가-힣]{1,12}(?:로|길)\s?\d{1,4}(?:-\d{1,4})?",
                    0.6,
                ),
                Pattern(
                    "street-town",
                    rf"(?<![\p{{L}}\d])(?:{compound}\s+{_HOUSE}|\d{{1,6}}[A-Za-z]?\s+"
                    rf"(?:{_CAP}\s+){{1,3}}(?:{self.SUFFIXES})\b\.?){_TOWN}",
                    0.65,
                ),
            ],
            context=list(self.CONTEXT),
            **kw,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        """Drop a street word that is an everyday word (``Spring 2024``, ``Version 3``) and a
        compound line whose house number is a year, unless a postcode and town follow."""
        from .text_names import common_words

        head = pattern_text.split()[0].lower().rstrip(".,")
        if head[:1].isdigit() or _TYPE_WORD.fullmatch(head):
            return None
        if head in self.NOT_STREETS or head in common_words():
            return False
        rest = pattern_text[len(head) :].split(",")[0]
        if re.fullmatch(r"\s*(?:19|20)\d\d\s*", rest) and "," not in pattern_text:
            return False
        return None


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


def _apart(ch: str) -> bool:
    """Whether ``ch`` ends a token: white space, or a character of a script written without
    spaces (CJK ideographs, kana, Hangul, full-width punctuation: ``お電話は+81 3-1234-5678まで``)."""
    return (
        ch.isspace()
        or "\u3000" <= ch <= "\u9fff"
        or "\uac00" <= ch <= "\ud7a3"
        or "\uf900" <= ch <= "\uffef"
    )


def _token_around(text: str, start: int, end: int) -> tuple[str, str, str]:
    """The token holding ``text[start:end]`` (delimited by white space or CJK characters),
    outer punctuation stripped: (before the match, the match, after the match)."""
    left = start
    while left > 0 and not _apart(text[left - 1]):
        left -= 1
    right = end
    while right < len(text) and not _apart(text[right]):
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


# a product, order or batch word right before a number (``Part number 800-555-1234``,
# ``Bestellnr. 030 1234567``): the number is that code, not a phone
_CODE_BEFORE = re.compile(
    r"(?i)(?<![^\W\d_])(?:part|parts|sku|order|lot|batch|serial|isbn|ean|upc|gtin|item|article"
    r"|artikel|art|model|product|produkt|produit|invoice|tracking|ref|reference|bestell|auftrag"
    r"|rechnung|commande|facture|pedido|factura|ordine|fattura|bestelling|factuur|catalog"
    r"|katalog|version|build|firmware|ticket|case|incident|request|vorgang|colis|paquete|pacco"
    r"|pakket|paket|sendung|shipment|parcel|suivi|seguimiento|tracking|kundennummer|account"
    r"|konto|iban|bic|blz|plz|zip|sn|imei|lieferschein)[^\W\d_]*\.?\s*(?:no|nr|nº|n°|number|num|nummer|numéro"
    r"|número|numero|code|id)?\.?\s*[:#]?\s*$"
)
_CODE_WINDOW = 40

# words of a language or a country next to a number: the regions its national format is read
# in (besides the configured ones). Scripts count too: kana -> JP, Hangul -> KR, Han -> CN.
_REGION_CUES: tuple[tuple[tuple[str, ...], str], ...] = (  # words separated by "|"
    (("DE", "AT", "CH"), r"herr|frau|straße|strasse|telefon|rufnummer|handy|handynummer|bitte"
     r"|rufen|anrufen|rückruf|erreichbar|unter|ich|sie|und|nicht|mit|der|die|das|ist|mein"
     r"|meine|ihre|deutschland|österreich|schweiz|berlin|hamburg|münchen|köln|frankfurt|wien"
     r"|zürich|festnetz|mobil|tel|gmbh"),
    (("FR", "BE", "CH"), r"monsieur|madame|mme|mlle|appelez|appeler|rappeler|téléphone"
     r"|portable|joindre|rue|avenue|merci|bonjour|vous|votre|mon|numéro|au|est|france"
     r"|paris|lyon|marseille|belgique|bruxelles|tél|tel"),
    (("GB", "IE"), r"uk|london|mobile|ring|postcode|england|scotland|wales|manchester"
     r"|birmingham|glasgow|edinburgh|dublin|ireland|office|call|phone|tel|on"),
    (("ES",), r"llamar|llame|llámame|llámenos|teléfono|telefono|móvil|movil|señor|señora"
     r"|calle|gracias|hola|mi|es|número|españa|madrid|barcelona|sevilla|valencia"),
    (("IT",), r"chiamare|chiami|chiamami|telefono|cellulare|signor|signora|sig|via|grazie"
     r"|numero|mio|il|è|italia|roma|milano|napoli|torino"),
    (("NL", "BE"), r"bel|bellen|telefoonnummer|telefoon|mobiel|meneer|mevrouw|straat"
     r"|bedankt|alstublieft|graag|mijn|nummer|op|nederland|amsterdam|rotterdam|utrecht"
     r"|antwerpen"),
    (("PT", "BR"), r"ligar|ligue|telefone|telemóvel|celular|senhor|senhora|rua|obrigado|obrigada"
     r"|meu|número|portugal|lisboa|porto|brasil|paulo|rio"),
    (("PL",), r"zadzwoń|zadzwonić|telefon|telefonu|komórka|pan|pani|ul|dziękuję|mój|numer"
     r"|polska|warszawa|kraków"),
    (("SE",), r"ring|ringa|telefon|telefonnummer|mobil|tack|nummer|sverige|stockholm"
     r"|göteborg|gatan|vägen"),
    (("DK", "NO"), r"ring|telefon|telefonnummer|mobil|tak|takk|nummer|danmark|københavn"
     r"|norge|oslo|gade|vej|gate|veien"),
    (("FI",), r"soita|soitto|puhelin|puhelinnumero|puh|kiitos|numero|suomi|helsinki|katu|tie"),
    (("DK", "NO"), r"tlf|telefonnr|mobilnr"),
    # English without a country: the English-speaking regions whose numbers start with a
    # trunk 0 (North American numbers never do)
    (("GB", "IE", "AU", "NZ", "ZA", "IN"), r"the|and|you|your|please|call|phone|mobile"
     r"|number|for|with|is|on|at|to|from|still|waiting|reach|contact"),
    (("IN",), r"india|mumbai|delhi|bengaluru|bangalore|chennai|aadhaar|mobile|ph"),
    (("AU",), r"australia|sydney|melbourne|brisbane|perth|mobile|ph"),
    (("CA",), r"canada|toronto|montréal|montreal|vancouver|ottawa"),
)  # fmt: skip
_SCRIPT_REGIONS = (
    (re.compile(r"[\u3040-\u30ff]"), ("JP",)),
    (re.compile(r"[\uac00-\ud7a3]"), ("KR",)),
    (re.compile(r"[\u4e00-\u9fff]"), ("CN", "JP", "TW", "HK")),
)
_TRUNK_HINT = re.compile(r"(?<![\d.,])\(?0\d")
_PHONE_WORD = re.compile(
    r"(?i)(?:tel|tél|phone|telefon|teléfono|telefone|telefono|telefoon|puhelin|mobil|móvil"
    r"|movil|cell|celular|cellulare|portable|handy|numer|número|numero|nummer|ring|call|bel"
    r"|chiam|llam|ligu|zadzwo|soita|puh|tlf|电话|手机|電話|携帯|전화|☎|📞)[^\d]{0,25}$"
)
# a phone word before a number without a country code (``+1 ...`` was read in the first pass)
_PHONE_WORD_BEFORE_DIGITS = re.compile(
    _PHONE_WORD.pattern.removesuffix(r"[^\d]{0,25}$") + r"[^\d+]{0,25}\d"
)


def _cue_index() -> dict[str, tuple[str, ...]]:
    """The regions each cue word points to."""
    by_word: dict[str, list[str]] = {}
    for regions, words in _REGION_CUES:
        for word in words.split("|"):
            listed = by_word.setdefault(word, [])
            listed.extend(r for r in regions if r not in listed)
    return {w: tuple(r) for w, r in by_word.items()}


_CUE_REGIONS = _cue_index()
_CUE_WORD = re.compile(r"[^\W\d_]+")
_DIGIT_RX = re.compile(r"\d")
_PLUS_CODE = re.compile(r"\+\s?(\d{1,3})")
_TWO_LETTERS = re.compile(r"[^\W\d_]{2}")


def phone_regions_of(text: str) -> tuple[str, ...]:
    """Regions whose national formats a number in ``text`` may be written in, from the words
    and the script around it (``Bitte rufen Sie ... an`` -> DE, AT, CH)."""
    out: list[str] = []
    for word in dict.fromkeys(_CUE_WORD.findall(text.lower())):
        out.extend(r for r in _CUE_REGIONS.get(word, ()) if r not in out)
    if not text.isascii():
        for rx, regions in _SCRIPT_REGIONS:
            if rx.search(text):
                out.extend(r for r in regions if r not in out)
    return tuple(out)


def _main_region(number: Any) -> str | None:
    """The main region of a number's country code (``US`` for +1, ``GB`` for +44): a dict
    look-up. ``phonenumbers.region_code_for_number`` tests every region sharing the code
    against its number patterns (25 for +1) and took over half of a phone column's scan; the
    region only names the reading in the result's explanation."""
    region = phonenumbers.region_code_for_country_code(int(number.country_code))
    return None if region == "ZZ" else str(region)


class PhoneNumberRecognizer(PhoneRecognizer):
    """Presidio's PhoneRecognizer (python-phonenumbers, VALID leniency, the configured regions)
    without its false alarms: matches :func:`not_a_phone` explains as product or batch codes
    are dropped, as are numbers right after a product, order or batch word (``Part number
    800-555-1234``), and a North American reading must pass :func:`nanp_ok`. Numbers in the
    555-0100..0199 range reserved for fiction are still phone numbers (placeholders in a
    column mean the column is made for phone numbers; production data will hold real ones).

    National formats of other regions are read too, per value (``boundary`` separates the
    values of a joined batch): in the regions the value's words, script and other numbers'
    country codes point to (:func:`phone_regions_of`; ``030 1234567`` after ``Bitte rufen
    Sie``), with a trunk prefix, or a phone word before the number where the region writes
    none. Numbers with a ``+`` country code (other than +1) count when their length is
    possible for the country (``+44 7700 900123``, a range libphonenumber marks unassigned)."""

    def __init__(self, boundary: str = "", **kw: Any) -> None:
        super().__init__(**kw)
        self._nanp = bool(set(self.supported_regions) & _NANP_REGIONS)
        self._boundary = boundary

    def _keep(self, text: str, match: Any, national: bool = False) -> bool:
        if not_a_phone(text, match.start, match.end):
            return False
        if _CODE_BEFORE.search(text[max(0, match.start - _CODE_WINDOW) : match.start]):
            return False
        number = match.number
        if number.country_code == 1 and not nanp_ok(str(number.national_number)):
            return False
        # written the North American way (3-3-4 digits, no other country code) while a NANP
        # region is scanned: another region's reading does not rescue it (read in a region
        # the text points to, a leading 0 is that region's trunk prefix, never an area code)
        if national and match.raw_string.lstrip("(").startswith(("0", "+")):
            return True
        shape = _NANP_SHAPE.match(match.raw_string)
        return not (shape and self._nanp and not nanp_ok("".join(shape.groups())))

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: Any = None
    ) -> list[RecognizerResult]:
        results: list[RecognizerResult] = []
        leniency = 1 if self.leniency is None else int(self.leniency)
        taken: list[tuple[int, int]] = []
        for region in self.supported_regions:
            for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=leniency):
                if not self._keep(text, match):
                    continue
                found = _main_region(match.number) or region
                taken.append((match.start, match.end))
                results.append(
                    self._get_recognizer_result(match, text, found, nlp_artifacts)  # type: ignore[no-untyped-call]
                )
        # the numbers found are blanked out, so the national reading sees only the rest
        masked = text
        for a, b in taken:
            masked = masked[:a] + " " * (b - a) + masked[b:]
        for offset, segment in self._segments(masked):
            if len(_DIGIT_RX.findall(segment)) < 7:
                continue
            for match, found in self._national(segment):
                res = self._get_recognizer_result(match, segment, found, nlp_artifacts)  # type: ignore[no-untyped-call]
                raw = match.raw_string
                # an opening bracket of the sentence, not of an area code: ``(0161 968 2170)``
                lead = int(raw.startswith("(") and ")" not in raw)
                res.start += offset + lead
                res.end += offset
                results.append(res)
        return list(EntityRecognizer.remove_duplicates(results))

    def _segments(self, text: str) -> list[tuple[int, str]]:
        """The values of a joined batch with their offsets (the whole text when not joined)."""
        if not self._boundary or self._boundary not in text:
            return [(0, text)]
        out: list[tuple[int, str]] = []
        pos = 0
        for part in text.split(self._boundary):
            out.append((pos, part))
            pos += len(part) + len(self._boundary)
        return out

    def _national(self, segment: str) -> list[tuple[Any, str]]:
        """Numbers in ``segment`` read in the regions it points to, with the region each
        belongs to."""
        # country codes other than +1 (North American numbers were read in the first pass)
        codes = [m.group(1) for m in _PLUS_CODE.finditer(segment) if m.group(1)[0] != "1"]
        if not codes and not (
            _TWO_LETTERS.search(segment)
            and (_TRUNK_HINT.search(segment) or _PHONE_WORD_BEFORE_DIGITS.search(segment))
        ):
            # no country code, and no word to point to a region (``x204`` is an extension)
            # or no number a national reading could accept (a trunk 0 or a phone word first)
            return []
        regions = [r for r in phone_regions_of(segment) if r not in self.supported_regions]
        plus = bool(codes)
        for digits in codes:
            for cc in (digits[:k] for k in (1, 2, 3) if k <= len(digits)):
                r = phonenumbers.region_code_for_country_code(int(cc))
                if r != "ZZ":
                    if r not in regions and r not in self.supported_regions:
                        regions.append(r)
                    break
        out: list[tuple[Any, str]] = []

        def free(start: int, end: int) -> bool:
            return all(end <= o.start or start >= o.end for o, _ in out)

        for region in regions:
            for match in phonenumbers.PhoneNumberMatcher(segment, region, leniency=1):
                if not free(match.start, match.end) or not self._keep(segment, match, True):
                    continue
                raw = match.raw_string
                trunk = raw.startswith(("0", "(0"))
                # no trunk prefix (``612 345 678`` in Spain, ``22 12 34 56`` in Denmark) to tell
                # a national number: a phone word must come before it
                before = segment[max(0, match.start - 40) : match.start]
                if not raw.startswith("+") and not trunk and not _PHONE_WORD.search(before):
                    continue
                out.append((match, _main_region(match.number) or region))
        if plus:
            # +CC numbers of a possible length in ranges libphonenumber does not list as valid
            for match in phonenumbers.PhoneNumberMatcher(segment, "ZZ", leniency=0):
                if not match.raw_string.startswith("+") or match.number.country_code == 1:
                    continue
                if not free(match.start, match.end) or not self._keep(segment, match):
                    continue
                if not phonenumbers.is_possible_number(match.number):
                    continue
                out.append((match, _main_region(match.number) or "ZZ"))
        return out


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
