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
    "CRIMINAL",
    "ICD10",
    "NAME_RULES",
    "NOT_PHONE_NAMES",
    "SPECIAL_CATEGORIES",
    "VALUE_VOCABULARIES",
    "NameHint",
    "ambiguous_value",
    "name_hint",
    "normalise_name",
    "not_phone_name",
    "offence_evidence",
    "offence_name_hint",
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
            r"|guardian|parent|spouse|beneficiary|recipient|sender|physician|doctor|passenger"
            r"|guest|student|pupil|teacher|tenant|buyer|seller|payee|payer|insured|policyholder"
            r"|defendant|plaintiff|victim|suspect|offender|inmate|driver|witness|signatory"
            r"|attendee|participant|respondent|candidate|user_?full|birth|legal|display)_names?_",
            r"_(fname|lname|fullname|firstname|lastname|surname|forename|givenname|familyname"
            r"|forenames|surnames|given_names|first_names|middle_names|maidenname|nickname)_",
            # a whole column name that is an ambiguous word elsewhere (``last`` value, ``nome``)
            r"^_(first|last|given|middle|nom|nome|nombre|naam|namn|navn|nimi|defendant|titular"
            r"|titulaire|ad|adi|adı|soyad|soyadi|soyadı|ad_soyad|nev)_$",
            # main European languages (accents stripped by normalise_name: prénom -> prenom)
            r"_(vorname|vornamen|nachname|familienname|rufname|geburtsname|vollname|kundenname"
            r"|mitarbeitername|patientenname|karteninhaber|kontoinhaber|ansprechpartner)_",
            r"_(prenom|prenoms|nom_de_famille|nom_complet|nom_de_naissance|nom_d_usage|nom_usage"
            r"|nom_marital|nom_et_prenom|nom_prenom|nom_(du_)?(client|patient|titulaire|salarie"
            r"|employe|beneficiaire|contact|eleve|assure))_",
            r"_(nombres?_(completo|y_apellidos?|del_(cliente|titular|paciente|empleado)"
            r"|cliente|titular|paciente|empleado)|apellidos?|primer_apellido|segundo_apellido"
            r"|nombre_y_apellidos?)_",
            r"_(nome_completo|nome_(do_|da_)?(cliente|titular|paciente|funcionario)|sobrenome"
            r"|apelido|cognome|nominativo|nome_e_cognome)_",
            r"_(voornaam|voornamen|achternaam|tussenvoegsel|roepnaam|voorletters|volledige_naam"
            r"|klantnaam|geboortenaam)_",
            r"_(fornamn|efternamn|tilltalsnamn|mellannamn|fornavn|efternavn|etternavn|mellomnavn"
            r"|mellemnavn|etunimi|etunimet|sukunimi|imie|imiona|nazwisko|imie_i_nazwisko|jmeno"
            r"|prijmeni|meno|priezvisko|vezeteknev|keresztnev|prezime|ime_i_prezime)_",
            r"_(имя|фамилия|отчество|фио|ім_я|імя|прізвище|όνομα|ονομα|επώνυμο|επωνυμο"
            r"|ονοματεπώνυμο|ονοματεπωνυμο|الاسم|اسم|नाम|שם)_",
            # Japanese, Chinese, Korean (no word breaks: a person word, or a name word alone)
            r"氏名|姓名|名前|苗字|名字|姓氏|名義人|フリガナ|ふりがな|_(姓|名|氏|セイ|メイ)_",
            r"(顧客|会員|患者|社員|従業員|職員|担当者|利用者|契約者|申込者|被保険者|学生|生徒"
            r"|客户|用户|联系人|員工|员工|病人|学员|乘客|持卡人)(名|姓名|名前)",
            r"이름|성명|성함|성씨|_성_|(고객|회원|환자|직원|학생)(명|이름)",
        ),
    ),
    (
        "PHONE_NUMBER",
        _rx(
            r"_(phone|telephone|tel|mobile|cellphone|cell_?phone|cell_?number|fax|msisdn"
            r"|contact_?number|ph_?no)_"
        ),
    ),
    # national identifiers (auditor.pii.national_ids); before US_SSN, whose ``tax_id`` and
    # ``national_id`` stay the generic reading. normalise_name folds Latin letters to ASCII
    # (``fødselsnummer`` -> ``fodselsnummer``); the older ``f_dselsnummer`` form is kept listed.
    ("DE_TAX_ID", _rx(r"_(steuer_?id(_?nr)?|steuer_?identifikations_?nummer|steuer_?idnr|idnr)_")),
    (
        "FR_NIR",
        _rx(
            r"_(nir|insee|num(_?ro)?_?(de_?)?s(_|e)?curit(e|_)?_?sociale|s(_|e)?curit(e|_)?_?sociale"
            r"|num_?secu|no_?secu|carte_?vitale)_"
        ),
    ),
    ("NL_BSN", _rx(r"_(bsn|burger_?service_?nummer|sofi_?nummer)_")),
    ("SE_PERSONNUMMER", _rx(r"_(personnummer|person_?nr|samordningsnummer)_")),
    ("DK_CPR", _rx(r"_(cpr|cpr_?(nr|nummer|no|number))_")),
    (
        "NO_FODSELSNUMMER",
        _rx(r"_(f(o|_)?dsels_?nummer|f(o|_)?dsels_?nr|fnr|d_?nummer)_"),
    ),
    ("FI_HETU", _rx(r"_(hetu|henkil(o|_)?_?tunnus|sotu|personbeteckning)_")),
    ("BR_CPF", _rx(r"_(cpf|cpf_?(number|no|num|nr))_")),
    ("CA_SIN", _rx(r"_(sin|sin_?(number|no|num)|social_?insurance(_?(number|no|num))?)_")),
    ("CN_RESIDENT_ID", _rx(r"_(shenfenzheng|sfz|resident_?id(_?(number|no|card))?)_")),
    ("JP_MY_NUMBER", _rx(r"_(my_?number|kojin_?bangou|individual_?number)_")),
    ("IN_AADHAAR", _rx(r"_(aadhaar|aadhar|adhaar|uidai|aadhaar_?(number|no|num))_")),
    ("IN_PAN", _rx(r"_(pan_?(number|no|num|card|id)|permanent_?account_?number)_")),
    ("PL_PESEL", _rx(r"_pesel(_?(number|no|nr))?_")),
    ("ES_NIF", _rx(r"_(nif|dni|documento_?nacional)_")),
    ("ES_NIE", _rx(r"_nie_")),
    ("IT_FISCAL_CODE", _rx(r"_(codice_?fiscale|fiscal_?code|cod_?fisc)_")),
    ("AU_TFN", _rx(r"_(tfn|tax_?file_?(number|no|num))_")),
    ("KR_RRN", _rx(r"_(rrn|resident_?registration_?number)_")),
    ("TR_NATIONAL_ID", _rx(r"_(tckn|tc_?kimlik(_?no)?|kimlik_?no)_")),
    (
        "US_SSN",
        _rx(
            r"_(ssn|social_?security(_?(number|no|num))?|nino|national_?id|national_?insurance"
            r"|tax_?id|tin|itin)_"
        ),
    ),
    # dates of birth in the main European languages and CJK (names in normalise_name's form:
    # casefolded, Latin accents stripped, other scripts kept; ``ø`` has no accent to strip)
    (
        "DATE_OF_BIRTH",
        _rx(
            r"_(dob|d_o_b|birth_?date|date_?of_?birth|birth_?day|birth_?dt|bdate|b_?day"
            r"|date_?born|born_?(on|date|dt)|geburts_?datum|geb_?(datum|dat|am)|gebdat|geburtstag"
            r"|geboren(_?am)?|date_?(de_?)?naissance|date_?naiss|dt_?naiss|ne_?le|nee_?le"
            r"|fecha_?(de_?)?nacimiento|fecha_?nac|fec_?nac|f_?nacimiento|f_?nac"
            r"|data_?(di_?)?nascita|data_?nasc|dt_?nascita|nato_?il|data_?(de_?)?nascimento"
            r"|dt_?nasc(imento)?|geboorte_?datum|geboren_?op|fodelse_?datum|fodelse_?dag"
            r"|f(o|ø|oe|_)?dsels_?(dato|dag)|syntyma_?aika|syntyma_?paiva|data_?urodzenia"
            r"|datum_?narozeni|datum_?narodenia|szuletesi_?(datum|ido)|data_?nasterii"
            r"|dogum_?tarihi|дата_?рождения|день_?рождения|дата_?народження"
            r"|ημερομηνια_?γεννησης|تاريخ_?الميلاد|जन्म_?तिथि)_",
            r"生年月日|誕生日|出生日期|出生年月日?|생년월일|생일",
        ),
    ),
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
            r"|lat_?lng|lat_?long|geohash|geo_?point|geopoint|geo_?coordinates|breitengrad"
            r"|laengengrad|langengrad|geo_?koordinaten|koordinaten|latitud|longitud|latitudine"
            r"|longitudine|coordonnees|coordenadas|coordinate|breedtegraad|lengtegraad"
            r"|leveysaste|pituusaste|szerokosc|dlugosc|широта|долгота)_",
            r"緯度|経度|纬度|经度|위도|경도|座標|坐标",
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
            r"|birth_?place|place_?of_?birth|stadt|ort|wohnort|gemeinde|geburts_?ort|ville"
            r"|commune|localite|lieu_?de_?naissance|ciudad|localidad|municipio|poblacion"
            r"|lugar_?de_?nacimiento|citta|comune|localita|luogo_?di_?nascita|cidade"
            r"|local_?de_?nascimento|naturalidade|stad|plaats|woonplaats|geboorteplaats"
            r"|kommun|kommune|ort_?namn|kaupunki|kotikunta|paikkakunta|miasto|miejscowosc"
            r"|gmina|mesto|obec|город|населенный_?пункт)_",
            r"市区町村|都市|城市|出生地|居住地|도시|시군구",
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
    # record keys of people (issue 12): case, docket, booking, inmate, patient, member, account and
    # customer numbers. Request, transaction, session and file ids are not named for a person and
    # stay out (their UUIDs and hashes are not personal data on their own).
    (
        "RECORD_KEY",
        _rx(
            r"_(case|court_?case|docket|booking|inmate|prisoner|offender|arrest|citation|patient"
            r"|member|membership|account|customer|cust|client|subscriber|policy_?holder"
            r"|beneficiary|claimant|defendant|person|people)_?(number|num|nbr|no|nr|id|key|ref"
            r"|reference|code)s?_",
            r"^_(docket|docket_?no|custid|customerid|clientid|inmateid|caseno|casenum)_$",
        ),
    ),
    (
        "URL",
        _rx(
            r"_(url|urls|uri|href|link|links|homepage|home_?page|website|web_?site|webpage"
            r"|web_?page|profile_?(url|link)|social(_?media)?(_?(url|link|profile))?|linkedin"
            r"|facebook|twitter|instagram|tiktok|github|xing|mastodon|youtube_?channel)_"
        ),
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


# Column names of products, orders and batches: their phone-shaped values (``NNN-NNN-NNNN``
# product codes, long order numbers) are codes, not phone numbers (issue 12). A column that
# also names a phone (``order_phone``) keeps its phone reading.
NOT_PHONE_NAMES = _rx(
    r"_(sku|skus|product|products|prod|item|article|catalog|catalogue|asin|mpn|order|orders"
    r"|po|purchase_?order|lot|batch|isbn|isbn_?1[03]|ean|ean_?(8|13)|upc|upc_?a|gtin"
    r"|gtin_?(8|12|13|14)|part|parts|serial|serials|sn|version|ver|firmware|build|release"
    r"|model|model_?no|model_?number|invoice|invoices|tracking|shipment|waybill|consignment"
    r"|barcode|bar_?code)_"
)


def not_phone_name(column_name: object) -> str | None:
    """The word that names ``column_name`` for products, orders or batches (so its values are
    not phone numbers), or None; a name that also says phone (``order_phone``) returns None."""
    hint = name_hint(column_name)
    if hint is not None and hint.entity == "PHONE_NUMBER":
        return None
    m = NOT_PHONE_NAMES.search(normalise_name(column_name))
    return m.group(0).strip("_") if m else None


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
    return CRIMINAL if offence_evidence(v) else None


# -- criminal-offence data (GDPR Art. 10) ---------------------------------------------------------
# The column names that say "criminal" on their own (``offence``, ``conviction``, ``arrest``,
# ``straftat``, ``reato``, ...) are in :data:`SPECIAL_CATEGORIES`. The words below name a column
# that *may* hold offences (``charge``, ``statute``, ``sentence``: also a battery's charge, a
# civil statute, a sentence of text): they count only when the values are offence descriptions
# or statute citations.
CRIMINAL = "criminal_convictions_and_offences"

_OFFENCE_NAMES = _rx(
    r"_(charges?|charged|charge_?desc(ription)?|statutes?|statute_?(code|desc|cite)"
    r"|sentences?|sentencing|infractions?|citations?|violations?|verdicts?|pleas?|dispositions?"
    r"|warrants?|counts?_?desc|booking_?(reason|charge)|anklagen?|tatvorwurf|cargos?"
    r"|accusations?|imputazion[ei]|tenlastelegging|peines?|penas?|strafen?|urteile?"
    r"|delits?|infracciones|infrazion[ei]|overtredingen|overtreding)_"
)
# compounds in which those words are not about an offence (``charge_amount``, ``battery_charge``,
# ``sentence_length`` of a text, ``citation_count`` of a paper)
_NOT_OFFENCE_NAMES = _rx(
    r"_(battery|service|delivery|shipping|cover|late|bank|card|admin|extra|fuel|total|monthly"
    r"|annual|daily|medical|hospital|electric|electrical|static|ion|partial|net|nuclear|atomic"
    r"|formal|ionic)_charges?_",
    r"_charges?_(amount|amt|fee|fees|rate|cost|costs|price|total|sum|usd|eur|gbp|level|state"
    r"|status|cycles?|time|current|capacity|percent|pct|code_?type)_",
    r"_sentences?_(id|idx|index|length|len|count|num|number|tokens?|embedding|vector|pair"
    r"|score|boundary|split)_",
    r"_citations?_(count|counts|index|score|style|format|key)_",
    r"_(paper|article|journal|academic|scholar)_citations?_",
    r"_counts?_(per|of)_",
)


def offence_name_hint(column_name: object) -> NameHint | None:
    """A column name that may hold criminal-offence data when its values say so (``charge_desc``,
    ``statute``, ``sentence``, ``anklage``, ``cargo``); None otherwise (and for ``charge_amount``,
    ``battery_charge``, ``sentence_length``). Strength 0.95 for the bare word, else 0.8."""
    norm = normalise_name(column_name)
    m = _OFFENCE_NAMES.search(norm)
    if m is None or _NOT_OFFENCE_NAMES.search(norm):
        return None
    whole = m.group(0).strip("_") == norm.strip("_")
    return NameHint(CRIMINAL, 0.95 if whole else 0.8, _OFFENCE_NAMES.pattern[:60])


# Offence terms common to US (state penal codes, Florida/California/Texas charge descriptions),
# UK (Theft Act, Misuse of Drugs Act, Offences against the Person Act) and EU criminal codes
# (StGB, Code pénal, Código Penal, Codice penale, Wetboek van Strafrecht, Brottsbalken, Kodeks
# karny). A value *containing* a term is an offence description ("Aggravated Assault w/Firearm",
# "Possession of Cannabis", "Diebstahl geringwertiger Sachen"). Matching is on whole words of
# the lower-cased value.
_OFFENCE_STRONG = re.compile(
    r"(?<![\w])(?:"
    # violence against the person
    r"assault\w*|homicide|murder\w*|manslaughter|kidnap\w*|abduction|false imprisonment"
    r"|stalking|harass(?:ment|ing)|(?:domestic|felony|sexual|aggravated|simple) battery"
    r"|battery (?:on|upon|of|against|w/)|child abuse|child neglect|elder abuse|cruelty to"
    r"|domestic violence|dating violence|sexual (?:offen[cs]e|abuse|misconduct)|rape|sodomy"
    r"|lewd\w*|indecent exposure|molest\w*|carjack\w*|home invasion"
    # property, fraud, forgery
    r"|burglary|robbery|larceny|shoplift\w*|embezzle\w*|extortion|blackmail|arson"
    r"|vandalism|criminal (?:mischief|trespass|damage|use|attempt|conspiracy|solicitation"
    r"|contempt|mischief)|trespass\w*|(?:grand|petit|petty|retail|vehicle|auto|identity"
    r"|aggravated|felony) theft|theft (?:of|from|by|under|over)|forgery|forged|uttering"
    r"|fraudulent use|money laundering|racketeering|receiving stolen"
    r"|dealing in stolen|stolen property|bribery|perjury|obstruction of justice"
    r"|tamper\w* with (?:physical )?(?:evidence|witness|victim)|worthless check"
    # drugs, weapons, traffic, public order
    r"|(?:poss(?:ession)?\.?|pos|sell|sale|deliver\w*|manufactur\w*|purchase|traffick\w*"
    r"|distribut\w*)\s*(?:of\s+|/\s*|w/\s*|with intent to \w+\s+)?(?:a\s+)?(?:cannabis"
    r"|marijuana|cocaine|crack|heroin|meth\w*|amphetamine\w*|fentanyl|oxycodone|hydrocodone"
    r"|mdma|ecstasy|lsd|controlled substance|drug paraphernalia|paraphernalia|firearm|weapon"
    r"|ammunition|narcotic\w*)"
    r"|drug (?:possession|trafficking|offen[cs]e|dealing)|trafficking|smuggling"
    r"|carrying (?:a )?concealed|concealed (?:weapon|firearm)|felon in possession"
    r"|discharg\w* (?:a )?firearm|armed robbery|w/\s*(?:firearm|weapon|deadly)|deadly weapon"
    r"|driving under the influence|driving while (?:intoxicated|impaired|licen[cs]e|lic\.?)"
    r"|dui|dwi|owi|dwls\w*|drunk driving|hit and run|leav\w* (?:the )?scene|reckless driving"
    r"|fleeing|eluding|resist\w*(?:\s*/\s*|\s+)(?:arrest|officer|obstruct\w*|w/o)"
    r"|disorderly conduct|disorderly intoxication|affray|public intoxication|prostitution"
    r"|solicit\w* (?:for )?prostitut\w*|loitering|failure to appear|violation of (?:probation"
    r"|parole|injunction|protection order|pretrial release)|probation violation"
    r"|felony|felonies|misdemeanou?r\w*|convicted|conviction|sex offender"
    # German, French, Spanish, Portuguese, Italian, Dutch, Swedish, Polish
    r"|diebstahl\w*|k[öo]rperverletzung|raub|r[äa]uberisch\w*|totschlag|mord|einbruch\w*"
    r"|hehlerei|erpressung|n[öo]tigung|sachbesch[äa]digung|hausfriedensbruch"
    r"|urkundenf[äa]lschung|unterschlagung|trunkenheit im verkehr|verkehrsunfallflucht"
    r"|fahren ohne fahrerlaubnis|bet[äa]ubungsmittel\w*|vergewaltigung"
    r"|vol (?:aggrav[ée]|simple|qualifi[ée]|avec violence|[àa] l'[ée]talage|par effraction)"
    r"|escroquerie|cambriolage|recel|meurtre|assassinat|agression sexuelle|violences volontaires"
    r"|trafic de stup[ée]fiants|usage de stup[ée]fiants|conduite en [ée]tat|abus de confiance"
    r"|robo (?:con|a mano|agravado|de veh[íi]culo)|homicidio|asesinato|hurto|estafa|allanamiento|narcotr[áa]fico|tr[áa]fico de (?:drogas"
    r"|estupefacientes)|violencia (?:dom[ée]stica|de g[ée]nero)|roubo|furto|homic[íi]dio"
    r"|estelionato|latroc[íi]nio|rapina|omicidio|truffa|spaccio|ricettazione|estorsione"
    r"|diefstal|mishandeling|oplichting|inbraak|doodslag|afpersing|heling"
    r"|st[öo]ld|misshandel|bedr[äa]geri|rån|rattfylleri|kradzie[żz]|rozb[óo]j|zab[óo]jstwo"
    r")(?![\w])"
)
# Offence words that are also everyday or business words (a fraud label, a battery, a weapon in a
# game, a plant): they count only under a column name that names offences, or next to values
# with a strong term.
_OFFENCE_WEAK = re.compile(
    r"(?<![\w])(?:theft|fraud|battery|weapons?|firearms?|possession|cannabis|marijuana|cocaine"
    r"|heroin|drugs?|narcotics|obstruct\w*|violence|betrug|robo|lesion(?:es|i)|viol|outrage"
    r"|oszustwo|infraction|offen[cs]e|charge[sd]?|count \d+|escape|counterfeit\w*)(?![\w])"
)
# Citations of a criminal statute: US Code titles 18 (crimes) and 21 (drugs), penal and criminal
# codes by name or abbreviation, UK criminal statutes.
_STATUTE_CODED = re.compile(
    r"(?:\b18\s*u\.?\s*s\.?\s*c\.?\s*(?:§+\s*)?\d+|\b21\s*u\.?\s*s\.?\s*c\.?\s*(?:§+\s*)?8[0-9]{2}"
    r"|§+\s*\d+[a-z]?(?:\s*(?:abs\.?|absatz)\s*\d+)?(?:\s*(?:nr\.?|satz)\s*\d+)?\s*"
    r"(?:stgb|btmg|stvg|jgg|wstg)\b|\b(?:stgb|btmg)\b"
    r"|\b(?:penal|criminal) code\b|\bpen(?:al)?\.?\s*code\b"
    r"|\bcode p[ée]nal\b|\bc[óo]digo penal\b|\bcodice penale\b|\bc\.\s?p\.\s*art|\bart\.?\s*\d+"
    r"\s*(?:c\.?\s?p\.?|cp|c[óo]digo penal|code p[ée]nal|codice penale)(?![\w])"
    r"|\bwetboek van strafrecht\b|\bbrottsbalken\b|\bkodeks karny\b|\bk\.?k\.?\s*art"
    r"|\b(?:theft|fraud|firearms|sexual offences|public order|criminal justice|road traffic"
    r"|misuse of drugs|offences against the person|terrorism|computer misuse|bribery)"
    r" act(?: \d{4})?\b)"
)
# A bare state-statute or code-section number (``893.13(6a)``, ``784.021(1)(a)``, ``23152(a)``):
# also the shape of a version or a decimal, so only under a column name that names offences.
_STATUTE_BARE = re.compile(
    r"^(?:[a-z]{1,4}\s?)?\d{1,5}[a-z]?(?:\.\d{1,5}[a-z]?)*(?:\s?\([0-9a-z]{1,4}\))+$"
    r"|^(?:[a-z]{1,4}\s?)?\d{2,4}\.\d{2,5}[a-z]?(?:\s?\([0-9a-z]{1,4}\))*$"
)


def offence_evidence(value: str) -> str | None:
    """How strongly one value says "criminal offence": ``"strong"`` for an offence description or
    a criminal-statute citation ("Aggravated Assault w/Firearm", "Possession of Cannabis",
    "§ 242 StGB", "18 U.S.C. § 1341"), ``"weak"`` for a word that is also an everyday word
    ("Theft", "Fraud", "Battery") or a bare section number ("893.13(6a)"), else None."""
    v = value.strip().lower()
    if not v or len(v) > 120:
        return None
    if _OFFENCE_STRONG.search(v) or _STATUTE_CODED.search(v):
        return "strong"
    if _OFFENCE_WEAK.search(v) or _STATUTE_BARE.match(v):
        return "weak"
    return None


def ambiguous_value(value: str) -> bool:
    """True when ``value`` belongs to its category only as an everyday word (``White``,
    ``Fraud``, ``Battery``, ``893.13``): such values count only under a column naming the
    category or next to an unambiguous value."""
    v = value.strip().lower()
    if v in AMBIGUOUS_VALUES:
        return True
    if any(v in vocab for vocab in VALUE_VOCABULARIES.values()):
        return False
    return offence_evidence(v) == "weak"
