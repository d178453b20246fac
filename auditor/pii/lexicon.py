"""Column-name lexicon and value vocabularies: which columns *name* personal or special-category data.

Names are normalised to ``_token_token_`` (lower case, camelCase and punctuation split), and every
rule is a regex over that form, so ``name`` matches ``name`` and ``customer_name`` but not
``product_name``, and ``pass`` matches ``pass`` but not ``passenger_count``.

The special-category part (GDPR Art. 9 and Art. 10), shared with the fairness family and the audit
context, lives in :mod:`auditor.attributes` and is re-exported here: :func:`special_category_of`,
:func:`special_name_hint`, :func:`sensitive_attribute_of`, :data:`SPECIAL_CATEGORIES`.
"""

from __future__ import annotations

import re

from ..attributes import (
    SPECIAL_CATEGORIES,
    NameHint,
    normalise_name,
    sensitive_attribute_of,
    special_category_of,
    special_name_hint,
)
from ..attributes import name_pattern as _rx

__all__ = [
    "AMBIGUOUS_VALUES",
    "ICD10",
    "NAME_RULES",
    "SPECIAL_CATEGORIES",
    "VALUE_VOCABULARIES",
    "NameHint",
    "name_hint",
    "normalise_name",
    "sensitive_attribute_of",
    "special_category_of",
    "special_name_hint",
    "value_category",
]


# Order matters: the first rule that matches wins (``ip_address`` is IP, not a street address).
NAME_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("EMAIL_ADDRESS", _rx(r"_e_?mails?(_|addr)", r"^_mail(_?addr(ess)?)?_$")),
    ("IP_ADDRESS", _rx(r"_(ip|ip_?addr(ess)?|ipv4|ipv6|client_?ip|remote_?addr|src_?ip|dst_?ip)_")),
    ("MAC_ADDRESS", _rx(r"_mac_?(addr(ess)?)?_")),
    (
        "CREDENTIAL",
        _rx(
            r"_(password|passwd|pwd|pass|passphrase|secret|client_?secret|api_?key|apikey"
            r"|access_?key|secret_?key|private_?key|auth_?token|access_?token|refresh_?token"
            r"|bearer_?token|session_?token|token|credentials?|otp|security_?code|cvv|cvc)_"
        ),
    ),
    ("USERNAME", _rx(r"_(user_?name|login|login_?name|screen_?name)_", r"^_handle_$")),
    (
        "PERSON",
        _rx(
            r"^_names?_$",
            r"_(first|last|full|given|family|middle|maiden|sur|nick|customer|patient|employee"
            r"|person|contact|member|client|holder|card_?holder|account_?holder|applicant|owner"
            r"|guardian|parent|spouse|beneficiary|recipient|sender|physician|doctor)_names?_",
            r"_(fname|lname|fullname|firstname|lastname|surname|forename|givenname|familyname)_",
        ),
    ),
    (
        "PHONE_NUMBER",
        _rx(
            r"_(phone|telephone|tel|mobile|cellphone|cell_?phone|cell_?number|fax|msisdn"
            r"|contact_?number|ph_?no)_"
        ),
    ),
    (
        "US_SSN",
        _rx(
            r"_(ssn|social_?security(_?(number|no|num))?|nino|national_?id|national_?insurance"
            r"|tax_?id|tin|itin)_"
        ),
    ),
    ("DATE_OF_BIRTH", _rx(r"_(dob|d_o_b|birth_?date|date_?of_?birth|birthday|birth_?dt|bdate)_")),
    (
        "EVENT_DATE",
        _rx(r"_(admission|admit|admitted|discharge|discharged|death|deceased|dod)_?(date|dt)?_"),
    ),
    ("AGE", _rx(r"_age(_?(years|yrs|at_?\w+|group|band))?_")),
    ("GENDER", _rx(r"_(gender|sex)_")),
    ("US_ZIP", _rx(r"_(zip|zipcode|zip_?code|zip5|postal|postal_?code|postcode|post_?code|plz)_")),
    (
        "PRECISE_LOCATION",
        _rx(
            r"_(lat|latitude|lon|lng|long|longitude|geolocation|coordinates|coords|gps|latlon"
            r"|lat_?lng|lat_?long|geohash)_"
        ),
    ),
    (
        "STREET_ADDRESS",
        _rx(
            r"_(address|addr|street|street_?address|address_?line|addr_?line|home_?address"
            r"|mailing_?address|billing_?address|shipping_?address|residence)_"
        ),
    ),
    (
        "LOCATION",
        _rx(
            r"_(city|town|county|municipality|village|neighbou?rhood|borough|hometown"
            r"|birth_?place|place_?of_?birth)_"
        ),
    ),
    (
        "CREDIT_CARD",
        _rx(r"_(credit_?card|cc|cc_?num(ber)?|card_?num(ber)?|card_?no|pan|ccn|debit_?card)_"),
    ),
    (
        "BANK_ACCOUNT",
        _rx(
            r"_(iban|bank_?account|account_?num(ber)?|acct(_?num(ber)?|_?no)?|routing_?num(ber)?"
            r"|aba|swift|sort_?code)_"
        ),
    ),
    ("US_PASSPORT", _rx(r"_passport(_?(num(ber)?|no|id))?_")),
    (
        "US_DRIVER_LICENSE",
        _rx(r"_(drivers?_?licen[cs]e|dl_?num(ber)?|dl_?no|licen[cs]e_?(num(ber)?|no|id))_"),
    ),
    (
        "MEDICAL_RECORD_NUMBER",
        _rx(r"_(mrn|medical_?record(_?num(ber)?)?|patient_?id|chart_?num(ber)?)_"),
    ),
    (
        "HEALTH_PLAN_ID",
        _rx(
            r"_(member_?id|beneficiary_?id|insurance_?id|health_?plan(_?id)?|medicare(_?id)?"
            r"|medicaid(_?id)?|nhs(_?num(ber)?)?|insurance_?num(ber)?)_"
        ),
    ),
    (
        "VIN",
        _rx(
            r"_(vin|vehicle_?id(entification)?(_?num(ber)?)?|licen[cs]e_?plate|plate_?num(ber)?"
            r"|registration_?plate)_"
        ),
    ),
    (
        "DEVICE_ID",
        _rx(
            r"_(imei|meid|device_?id|udid|idfa|gaid|advertising_?id|ad_?id|android_?id|cookie_?id"
            r"|serial_?num(ber)?|serial_?no)_"
        ),
    ),
    (
        "URL",
        _rx(r"_(url|homepage|website|profile_?url|linkedin|facebook|twitter|instagram)_"),
    ),
)


def name_hint(column_name: object) -> NameHint | None:
    """The personal-data entity a column name suggests (first matching rule), or None."""
    norm = normalise_name(column_name)
    for entity, rx in NAME_RULES:
        m = rx.search(norm)
        if m:
            whole = m.group(0).strip("_") == norm.strip("_")
            return NameHint(entity, 0.95 if whole else 0.8, rx.pattern[:60])
    return None


# -- value vocabularies (exact match on the lower-cased, trimmed value) --------------------------
VALUE_VOCABULARIES: dict[str, frozenset[str]] = {
    "racial_or_ethnic_origin": frozenset(
        {
            "white",
            "black",
            "asian",
            "hispanic",
            "latino",
            "latina",
            "latinx",
            "caucasian",
            "african american",
            "african-american",
            "black or african american",
            "american indian",
            "american indian or alaska native",
            "alaska native",
            "native american",
            "pacific islander",
            "native hawaiian",
            "native hawaiian or other pacific islander",
            "two or more races",
            "multiracial",
            "mixed",
            "mixed race",
            "white british",
            "white other",
            "black african",
            "black caribbean",
            "south asian",
            "east asian",
            "middle eastern",
            "arab",
            "hispanic or latino",
            "not hispanic or latino",
            "non-hispanic white",
            "non-hispanic black",
            "asian-pac-islander",
            "amer-indian-eskimo",
        }
    ),
    "religious_or_philosophical_beliefs": frozenset(
        {
            "christian",
            "christianity",
            "catholic",
            "roman catholic",
            "protestant",
            "orthodox",
            "evangelical",
            "baptist",
            "methodist",
            "lutheran",
            "anglican",
            "mormon",
            "jehovah's witness",
            "muslim",
            "islam",
            "sunni",
            "shia",
            "jewish",
            "judaism",
            "hindu",
            "hinduism",
            "buddhist",
            "buddhism",
            "sikh",
            "sikhism",
            "jain",
            "atheist",
            "agnostic",
            "no religion",
            "none (religion)",
            "shinto",
            "taoist",
            "pagan",
        }
    ),
    "sex_life_or_sexual_orientation": frozenset(
        {
            "heterosexual",
            "straight",
            "gay",
            "lesbian",
            "bisexual",
            "asexual",
            "pansexual",
            "queer",
            "homosexual",
            "questioning",
            "lgbt",
            "lgbtq",
        }
    ),
    "political_opinions": frozenset(
        {
            "democrat",
            "democratic",
            "republican",
            "libertarian",
            "green party",
            "labour",
            "conservative",
            "liberal democrat",
            "socialist",
            "communist",
            "far right",
            "far left",
            "centrist",
            "independent voter",
            "tory",
            "snp",
            "afd",
            "spd",
            "cdu",
        }
    ),
    "health_data": frozenset(
        {
            "diabetes",
            "type 1 diabetes",
            "type 2 diabetes",
            "hypertension",
            "asthma",
            "copd",
            "cancer",
            "breast cancer",
            "lung cancer",
            "hiv",
            "hiv positive",
            "aids",
            "hepatitis",
            "hepatitis c",
            "depression",
            "anxiety",
            "bipolar disorder",
            "schizophrenia",
            "ptsd",
            "adhd",
            "autism",
            "dementia",
            "alzheimer's",
            "epilepsy",
            "stroke",
            "heart disease",
            "coronary artery disease",
            "obesity",
            "covid-19",
            "covid",
            "tuberculosis",
            "pregnant",
            "pregnancy",
            "migraine",
            "arthritis",
            "chronic kidney disease",
            "multiple sclerosis",
            "parkinson's",
            "substance use disorder",
            "alcoholism",
            "metformin",
            "insulin",
            "lisinopril",
            "atorvastatin",
            "sertraline",
            "fluoxetine",
            "albuterol",
            "levothyroxine",
            "amlodipine",
            "omeprazole",
        }
    ),
    "criminal_convictions_and_offences": frozenset(
        {
            "felony",
            "misdemeanor",
            "misdemeanour",
            "convicted",
            "conviction",
            "arrested",
            "dui",
            "dwi",
            "assault",
            "burglary",
            "theft",
            "robbery",
            "fraud",
            "drug possession",
            "probation",
            "parole",
            "incarcerated",
            "sex offender",
            "homicide",
            "manslaughter",
        }
    ),
}

# vocabulary values that are also everyday words (colours, investment profiles, swimming
# strokes, fraud labels): without a column name naming the category they count only next to
# an unambiguous value of the same category (``White`` + ``Asian``, not ``White`` + ``Green``)
AMBIGUOUS_VALUES = frozenset(
    {
        "white", "black", "mixed", "straight", "questioning", "conservative", "labour",
        "stroke", "fraud", "theft", "probation", "independent voter", "orthodox", "green party",
        "anxiety", "depression",
    }
)  # fmt: skip

# ICD-10 (and ICD-10-CM) codes: letter, two digits (or digit + A/B), optional dot and up to 4 more
ICD10 = re.compile(r"^[A-TV-Z][0-9][0-9AB](?:\.[0-9A-TV-Z]{1,4})?$")


def value_category(value: str) -> str | None:
    """The special category a single categorical value belongs to (by vocabulary), or None."""
    v = value.strip().lower()
    for category, vocab in VALUE_VOCABULARIES.items():
        if v in vocab:
            return category
    return None
