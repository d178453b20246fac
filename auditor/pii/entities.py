"""Entity types: identifier kind, regulation tags (GDPR / HIPAA Safe Harbor / CCPA-CPRA), risk tier."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ENTITIES",
    "HIPAA_IDENTIFIERS",
    "IDENTIFYING",
    "EntityInfo",
    "entity_info",
    "regulations_for",
    "special_regulations",
]

GDPR_PD = "GDPR Art. 4(1)"
GDPR_ART9 = "GDPR Art. 9(1)"
GDPR_ART10 = "GDPR Art. 10"
CCPA_PI = "CCPA 1798.140(v)"
CPRA_SPI = "CPRA 1798.140(ae)"


_NATIONAL_IDS = (
    "DE_TAX_ID", "FR_NIR", "NL_BSN", "SE_PERSONNUMMER", "DK_CPR", "NO_FODSELSNUMMER", "FI_HETU",
    "BR_CPF", "CA_SIN", "CN_RESIDENT_ID", "JP_MY_NUMBER", "IN_AADHAAR", "IN_PAN", "PL_PESEL",
    "ES_NIF", "ES_NIE", "IT_FISCAL_CODE", "AU_TFN", "AU_MEDICARE", "KR_RRN", "TR_NATIONAL_ID",
    "ZA_ID_NUMBER", "TH_TNIN",
)  # fmt: skip


@dataclass(frozen=True)
class EntityInfo:
    """``kind`` is ``direct`` or ``quasi``; ``needs_hint``: value hits count only when the column
    name (or in-text context) supports them; ``risk`` follows pii-codex (3 identifiable,
    2 semi-identifiable, 1 non-identifiable)."""

    kind: str
    hipaa: str | None
    spi: bool = False
    needs_hint: bool = False
    risk: int = 3


ENTITIES: dict[str, EntityInfo] = {
    "PERSON": EntityInfo("direct", "A"),
    "USERNAME": EntityInfo("direct", "R"),
    "EMAIL_ADDRESS": EntityInfo("direct", "F"),
    "PHONE_NUMBER": EntityInfo("direct", "D"),
    "US_SSN": EntityInfo("direct", "G", spi=True),
    "US_ITIN": EntityInfo("direct", "G", spi=True),
    "UK_NINO": EntityInfo("direct", "R", spi=True),
    "US_MBI": EntityInfo("direct", "I"),
    # national identifiers (validated by check digit or format rule: auditor.pii.national_ids);
    # like SSN/NINO: HIPAA (R) "any other unique identifying number", CPRA sensitive PI
    **{e: EntityInfo("direct", "R", spi=True) for e in _NATIONAL_IDS},
    "AU_ABN": EntityInfo("direct", "R", needs_hint=True, risk=2),  # a sole trader's business no.
    "CREDIT_CARD": EntityInfo("direct", "J", spi=True),
    "IBAN_CODE": EntityInfo("direct", "J", spi=True),
    "US_BANK_NUMBER": EntityInfo("direct", "J", spi=True, needs_hint=True),
    "BANK_ACCOUNT": EntityInfo("direct", "J", spi=True, needs_hint=True),
    "CRYPTO": EntityInfo("direct", "J"),
    "US_PASSPORT": EntityInfo("direct", "K", spi=True, needs_hint=True),
    "US_DRIVER_LICENSE": EntityInfo("direct", "K", spi=True, needs_hint=True),
    "MEDICAL_LICENSE": EntityInfo("direct", "K"),
    "MEDICAL_RECORD_NUMBER": EntityInfo("direct", "H"),
    # case, docket, booking, inmate, member, account and customer numbers (name + key-shaped values)
    "RECORD_KEY": EntityInfo("direct", "R"),
    "HEALTH_PLAN_ID": EntityInfo("direct", "I", needs_hint=True),
    "UK_NHS": EntityInfo("direct", "I"),
    "VIN": EntityInfo("direct", "L"),
    "IMEI": EntityInfo("direct", "M"),
    "DEVICE_ID": EntityInfo("direct", "M", needs_hint=True),
    "MAC_ADDRESS": EntityInfo("direct", "M"),
    "URL": EntityInfo("direct", "N", needs_hint=True, risk=2),
    "IP_ADDRESS": EntityInfo("direct", "O"),
    "UUID": EntityInfo("direct", "R", needs_hint=True, risk=2),
    "CREDENTIAL": EntityInfo("direct", None, spi=True),
    "STREET_ADDRESS": EntityInfo("direct", "B"),
    "PRECISE_LOCATION": EntityInfo("direct", "B", spi=True),
    "LOCATION": EntityInfo("quasi", "B", needs_hint=True, risk=2),
    "US_ZIP": EntityInfo("quasi", "B", risk=2),
    "DATE_OF_BIRTH": EntityInfo("quasi", "C", risk=2),
    "EVENT_DATE": EntityInfo("quasi", "C", risk=2),
    "DATE_TIME": EntityInfo("quasi", "C", needs_hint=True, risk=1),
    "AGE": EntityInfo("quasi", "C", needs_hint=True, risk=2),
    "AGE_OVER_89": EntityInfo("quasi", "C", risk=2),
    "GENDER": EntityInfo("quasi", None, needs_hint=True, risk=1),
    "NRP": EntityInfo("quasi", None, risk=1),
}

# entity types that make a free-text row "contain PII" (dates, URLs, cities alone do not)
IDENTIFYING = frozenset(
    e for e, info in ENTITIES.items() if info.kind == "direct" and not info.needs_hint
) | {"US_BANK_NUMBER", "US_PASSPORT", "US_DRIVER_LICENSE", "AGE_OVER_89", "US_ZIP"}

# 45 CFR 164.514(b)(2)(i)(A)-(R)
HIPAA_IDENTIFIERS: dict[str, str] = {
    "A": "Names",
    "B": "Geographic subdivisions smaller than a state (street, city, county, ZIP, geocodes)",
    "C": "Dates (except year) related to an individual; ages over 89",
    "D": "Telephone numbers",
    "E": "Fax numbers",
    "F": "E-mail addresses",
    "G": "Social Security numbers",
    "H": "Medical record numbers",
    "I": "Health plan beneficiary numbers",
    "J": "Account numbers",
    "K": "Certificate/license numbers",
    "L": "Vehicle identifiers and serial numbers, including license plates",
    "M": "Device identifiers and serial numbers",
    "N": "Web URLs",
    "O": "IP addresses",
    "P": "Biometric identifiers, including finger and voice prints",
    "Q": "Full-face photographs and comparable images",
    "R": "Any other unique identifying number, characteristic or code",
}

_SPECIAL_SPI = {
    "racial_or_ethnic_origin",
    "religious_or_philosophical_beliefs",
    "trade_union_membership",
    "genetic_data",
    "biometric_data",
    "health_data",
    "sex_life_or_sexual_orientation",
}


def entity_info(entity: str) -> EntityInfo:
    """Metadata of ``entity``; unknown (custom) entity types count as direct identifiers."""
    return ENTITIES.get(entity, EntityInfo("direct", None))


def regulations_for(entity: str, *, fax: bool = False) -> list[str]:
    """Regulation tags an entity type triggers (``fax`` maps phone numbers to HIPAA (E))."""
    info = entity_info(entity)
    tags = [GDPR_PD]
    letter = "E" if fax and entity == "PHONE_NUMBER" else info.hipaa
    if entity == "AGE":
        letter = None  # only ages over 89 are a Safe Harbor identifier
    if letter:
        tags.append(f"HIPAA 164.514(b)(2)(i)({letter})")
    tags.append(CCPA_PI)
    if info.spi:
        tags.append(CPRA_SPI)
    return tags


def special_regulations(category: str, *, face: bool = False) -> list[str]:
    """Regulation tags of a GDPR special category (Art. 9) or criminal data (Art. 10);
    ``face``: the data are full-face photographs or comparable images (HIPAA (Q))."""
    tags = [GDPR_ART10 if category.startswith("criminal") else GDPR_ART9]
    if category == "biometric_data":
        tags.append("HIPAA 164.514(b)(2)(i)(P)")
    if category == "health_data":
        tags.append("HIPAA PHI (health information)")
    if category in _SPECIAL_SPI:
        tags.append(CPRA_SPI)
    if face:
        tags.append("HIPAA 164.514(b)(2)(i)(Q)")
    return tags
