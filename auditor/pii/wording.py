"""Plain-language words and numbers for PII findings ("Column 'email' holds people's e-mail
addresses (1,000 of 1,000 sampled rows; detector confidence: very likely)").

Entity types and special categories are named the way a non-specialist would say them; the
technical names (``EMAIL_ADDRESS``, ``racial_or_ethnic_origin``) stay in the finding's ``detail``
and evidence. Column names come from the audited data: renderers escape them for their format.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..text import join, plural

__all__ = [
    "CATEGORY_NAMES",
    "ENTITY_NAMES",
    "category_name",
    "columns_phrase",
    "entities_phrase",
    "entity_name",
    "interval",
    "join",
    "likelihood_name",
    "pct",
    "plural",
    "rows_phrase",
]

# plural nouns: "holds people's e-mail addresses", "contains phone numbers"
ENTITY_NAMES: dict[str, str] = {
    "PERSON": "names",
    "USERNAME": "user names",
    "EMAIL_ADDRESS": "e-mail addresses",
    "PHONE_NUMBER": "phone numbers",
    "US_SSN": "US Social Security numbers",
    "US_ITIN": "US taxpayer identification numbers",
    "UK_NINO": "UK National Insurance numbers",
    "US_MBI": "Medicare beneficiary identifiers",
    "CREDIT_CARD": "payment card numbers",
    "IBAN_CODE": "bank account numbers (IBAN)",
    "US_BANK_NUMBER": "bank account numbers",
    "BANK_ACCOUNT": "bank account numbers",
    "CRYPTO": "crypto-currency wallet addresses",
    "US_PASSPORT": "passport numbers",
    "US_DRIVER_LICENSE": "driver's licence numbers",
    "MEDICAL_LICENSE": "medical licence numbers",
    "MEDICAL_RECORD_NUMBER": "medical record numbers",
    "RECORD_KEY": "record numbers (case, booking, customer or account numbers)",
    "HEALTH_PLAN_ID": "health plan member numbers",
    "UK_NHS": "NHS numbers",
    "VIN": "vehicle identification numbers",
    "IMEI": "phone device numbers (IMEI)",
    "DEVICE_ID": "device identifiers",
    "MAC_ADDRESS": "network device addresses (MAC)",
    "URL": "web addresses",
    "IP_ADDRESS": "IP addresses",
    "UUID": "unique identifiers (UUID)",
    "CREDENTIAL": "passwords, keys or other secrets",
    "STREET_ADDRESS": "street addresses",
    "PRECISE_LOCATION": "precise locations (coordinates)",
    "LOCATION": "places (cities, regions)",
    "US_ZIP": "ZIP codes",
    "DATE_OF_BIRTH": "dates of birth",
    "EVENT_DATE": "dates of events in people's lives",
    "DATE_TIME": "dates",
    "AGE": "ages",
    "AGE_OVER_89": "ages over 89",
    "GENDER": "sex or gender",
    "NRP": "nationalities, religious or political groups",
}

# GDPR Art. 9(1) categories (and Art. 10 criminal data) as the regulation words them
CATEGORY_NAMES: dict[str, str] = {
    "racial_or_ethnic_origin": "racial or ethnic origin",
    "political_opinions": "political opinions",
    "religious_or_philosophical_beliefs": "religious or philosophical beliefs",
    "trade_union_membership": "trade-union membership",
    "genetic_data": "genetic data",
    "biometric_data": "biometric data",
    "health_data": "data concerning health",
    "sex_life_or_sexual_orientation": "data concerning sex life or sexual orientation",
    "criminal_convictions_and_offences": "data on criminal convictions and offences",
}

_LIKELIHOOD = {
    "VERY_LIKELY": "very likely",
    "LIKELY": "likely",
    "POSSIBLE": "possible",
    "UNLIKELY": "unlikely",
    "VERY_UNLIKELY": "very unlikely",
}


def entity_name(entity: str) -> str:
    """``EMAIL_ADDRESS`` -> ``e-mail addresses``; a custom type ``EMPLOYEE_ID`` ->
    ``employee id values``."""
    return ENTITY_NAMES.get(entity) or f"{entity.lower().replace('_', ' ')} values"


def entities_phrase(entities: Sequence[str], conj: str = "and") -> str:
    """``e-mail addresses or phone numbers`` (duplicates folded, order kept)."""
    return join(dict.fromkeys(entity_name(e) for e in entities), conj) or "personal data"


def category_name(category: str) -> str:
    return CATEGORY_NAMES.get(category) or category.replace("_", " ")


def likelihood_name(tier: str) -> str:
    return _LIKELIHOOD.get(str(tier), str(tier).lower().replace("_", " "))


def columns_phrase(columns: Sequence[str]) -> str:
    """``column 'email'``; ``columns 'email' and 'recruiter_notes'``."""
    quoted = [repr(str(c)) for c in columns]
    return f"column{'s' if len(quoted) != 1 else ''} {join(quoted)}"


def pct(x: float) -> str:
    """``0.067`` -> ``6.7%``; a share under 1% keeps two significant digits; 0 and 1 exactly."""
    v = 100 * x
    if v in (0.0, 100.0):
        return f"{v:.0f}%"
    if 0 < abs(v) < 1:
        return f"{v:.2g}%"
    return f"{v:.1f}%"


def interval(lo: float, hi: float) -> str:
    """``95% CI 5.3%–8.4%``."""
    return f"95% CI {pct(lo)}–{pct(hi)}"


def rows_phrase(scanned: int, total: int | None) -> str:
    """``1,000 sampled rows`` when the scan sampled, ``2,000 rows`` when it read them all."""
    if total is not None and scanned < total:
        return f"{scanned:,} sampled rows"
    return plural(scanned, "row")
