"""Column-name lexicon and value vocabularies: which columns *name* personal or special-category data.

Names are normalised to ``_token_token_`` (lower case, camelCase and punctuation split), and every
rule is a regex over that form, so ``name`` matches ``name`` and ``customer_name`` but not
``product_name``, and ``pass`` matches ``pass`` but not ``passenger_count``.

The special-category part (GDPR Art. 9 and Art. 10) is public API shared with the fairness checks:
:func:`special_category_of` and :func:`sensitive_attribute_of`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

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


@dataclass(frozen=True)
class NameHint:
    """What a column name suggests: an entity type (or special category) and how strongly."""

    entity: str
    strength: float  # 0.95 when the whole name is the keyword, 0.8 when a part is
    rule: str


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_SPLIT = re.compile(r"[^a-z0-9]+|(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])")


@lru_cache(maxsize=4096)
def normalise_name(name: object) -> str:
    """``"CustomerEmail"`` -> ``"_customer_email_"``; ``"e-mail 2"`` -> ``"_e_mail_2_"``."""
    text = _CAMEL.sub("_", str(name)).lower()
    tokens = [t for t in _SPLIT.split(text) if t]
    return "_" + "_".join(tokens) + "_" if tokens else "__"


def _rx(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{a})" for a in alternatives))


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

# GDPR Art. 9(1) categories and Art. 10 (criminal convictions and offences).
SPECIAL_CATEGORIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "racial_or_ethnic_origin",
        _rx(r"_(race|racial|ethnicity|ethnic(_?group|_?origin)?|ancestry|skin_?colou?r)_"),
    ),
    (
        "political_opinions",
        _rx(
            r"_(political|politics|party_?affiliation|political_?party|voting_?(intention"
            r"|preference)|voter_?party)_"
        ),
    ),
    (
        "religious_or_philosophical_beliefs",
        _rx(r"_(religion|religious|faith|beliefs?|denomination|philosophical_?beliefs?)_"),
    ),
    (
        "trade_union_membership",
        _rx(r"_(union|trade_?union|union_?member(ship)?|labou?r_?union|is_?union(_?member)?)_"),
    ),
    ("genetic_data", _rx(r"_(genetic|genotype|genes?|dna|snp|genome|genomic|brca\d?)_")),
    (
        "biometric_data",
        _rx(
            r"_(biometric|fingerprint|face_?(embedding|encoding|template|image|print|photo)"
            r"|faceprint|iris|retina|voice_?print|voiceprint|palm_?print)_"
        ),
    ),
    (
        "health_data",
        _rx(
            r"_(health|diagnosis|diagnoses|dx|icd|icd_?9|icd_?10|medical_?condition"
            r"|health_?condition|disease|illness|medication|medications|prescription|rx"
            r"|symptoms?|disability|disabled|hiv|pregnan(t|cy)|mental_?health|bmi|blood_?type"
            r"|allerg(y|ies)|vaccination|vaccinated|covid|cancer|diabetes|diabetic"
            r"|comorbidit(y|ies)|medical_?history|clinical|therapy|smoker|smoking_?status)_"
        ),
    ),
    (
        "sex_life_or_sexual_orientation",
        _rx(r"_(sexual_?orientation|sexuality|sex_?life|lgbtq?|sexual_?preference)_"),
    ),
    (
        "criminal_convictions_and_offences",
        _rx(
            r"_(criminal|crime|crimes|conviction|convictions|convicted|offen[cs]es?|offender"
            r"|arrests?|arrested|felony|felonies|misdemeanou?r|incarcerat\w*|prison|jail"
            r"|parole|probation|criminal_?record|rap_?sheet)_"
        ),
    ),
)

# compound names in which a special-category keyword does not describe a person: sports
# races, political unions of states, prison statistics, crime rates, system health, network
# counters (``race_time``, ``eu_union_member_state``, ``prison_capacity``, ``rx_bytes``)
_NOT_SPECIAL: dict[str, re.Pattern[str]] = {
    "racial_or_ethnic_origin": _rx(
        r"_race_(times?|id|no|num|number|names?|track|cars?|course|distance|results?|position"
        r"|pos|place|laps?|pace|events?|date|day|series|type|class|category|conditions?"
        r"|duration|speed|rank|ranking|winner|horse|entry|entries|start|finish|splits?|season"
        r"|round|length|seconds|secs|ms|mins?|minutes|hours|km|miles|meters|metres)_",
        r"_(horse|car|boat|bike|bicycle|drag|arms|rat|space|foot|road|relay|sprint|marathon"
        r"|dog|greyhound|motor|yacht|cycle|ski|human|f1)_race_",
    ),
    "trade_union_membership": _rx(
        r"_(eu|european|soviet|customs|currency|monetary|credit|postal|african|economic"
        r"|student|students|rugby|football|civil|state|states)_union_",
        r"_union_(states?|country|countries|territory|territories|budget|find|set|all|of"
        r"|type|query|station|square|street|jack|bank)_",
        r"_union_member_states?_",
    ),
    "criminal_convictions_and_offences": _rx(
        r"_(prisons?|jails?)_(capacity|population|count|cells?|beds?|names?|locations?|id"
        r"|staff|budget|breaks?|escape|level|levels|game|wall|walls)_",
        r"_jail_?break",
        r"_prison_?break",
        r"_crimes?_(rate|rates|index|count|counts|stats|statistics|level|score|per_?\w+)_",
        r"_(crime|criminal)_(novels?|fiction|drama|genre|show|series|movies?|films?|books?"
        r"|podcast)_",
        r"_offen[cs]es?_(rating|rank|ranking|score|stats|yards|points|efficiency)_",
    ),
    "health_data": _rx(
        r"_health_?checks?_",
        r"_(server|system|service|node|cluster|battery|disk|pipeline|app|api|network|host"
        r"|pod|db|database|link)_health_",
        r"_health_(endpoint|url|probe|bar|points|potion)_",
        r"_rx_(bytes|packets|errors|dropped|drops|rate|count|power|signal|queue)_",
    ),
    "biometric_data": _rx(r"_iris_(species|class|type|variety|dataset|setosa)_"),
}

# protected attributes that are not Art. 9 data but matter for fairness and re-identification
_OTHER_SENSITIVE: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("sex_or_gender", _rx(r"_(gender|sex)_")),
    ("age", _rx(r"_age(_?(years|yrs|group|band))?_", r"_(dob|birth_?date|date_?of_?birth)_")),
    ("national_origin", _rx(r"_(nationality|national_?origin|citizenship|immigration_?status)_")),
    ("marital_status", _rx(r"_marital(_?status)?_")),
    ("disability", _rx(r"_(disability|disabled|handicap)_")),
)


def special_category_of(column_name: object) -> str | None:
    """The GDPR Art. 9 category (or ``criminal_convictions_and_offences``, Art. 10) a column name
    denotes, e.g. ``"ethnicity"`` -> ``"racial_or_ethnic_origin"``; None when it names none."""
    hint = special_name_hint(column_name)
    return hint.entity if hint else None


def special_name_hint(column_name: object) -> NameHint | None:
    """Like :func:`special_category_of`, with the strength of the match: 0.95 when the keyword
    is the whole name (``religion``), 0.8 when it is a part (``faith_score``)."""
    norm = normalise_name(column_name)
    for category, rx in SPECIAL_CATEGORIES:
        m = rx.search(norm)
        if m:
            veto = _NOT_SPECIAL.get(category)
            if veto is not None and veto.search(norm):
                continue
            whole = m.group(0).strip("_") == norm.strip("_")
            return NameHint(category, 0.95 if whole else 0.8, rx.pattern[:60])
    return None


def sensitive_attribute_of(column_name: object) -> str | None:
    """Like :func:`special_category_of`, plus protected attributes outside Art. 9 (sex or gender,
    age, national origin, marital status): candidate sensitive features for fairness checks."""
    found = special_category_of(column_name)
    if found:
        return found
    norm = normalise_name(column_name)
    for category, rx in _OTHER_SENSITIVE:
        if rx.search(norm):
            return category
    return None


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
