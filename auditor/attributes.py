"""Protected and special-category attributes by column *name* (never by value).

Which columns name GDPR Art. 9 special-category data (and Art. 10 criminal records), and which
name a protected attribute a fairness audit compares groups by (those plus sex or gender, age,
national origin, marital status, disability). A value module of the lowest layer, shared by the
PII family (PII002 special categories, the column classifier), the fairness family and the
audit context (the skip reason that lists candidate ``--sensitive`` columns); it imports only
the standard library, so it works on a lazy engine's 0-row schema and imports no Presidio.
:mod:`auditor.pii.lexicon` re-exports it next to the PII column-name rules.

Names are normalised to ``_token_token_`` (lower case, camelCase and punctuation split), and every
rule is a regex over that form.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "MAX_SHOWN",
    "SPECIAL_CATEGORIES",
    "NameHint",
    "missing_sensitive_reason",
    "name_pattern",
    "normalise_name",
    "sensitive_attribute_of",
    "sensitive_candidates",
    "special_category_of",
    "special_name_hint",
]

#: candidate columns listed in a skip reason at most
MAX_SHOWN = 10


@dataclass(frozen=True)
class NameHint:
    """What a column name suggests: an entity type (or special category) and how strongly."""

    entity: str
    strength: float  # 0.95 when the whole name is the keyword, 0.8 when a part is
    rule: str


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_SPLIT = re.compile(r"[^a-z0-9]+|(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])")


# Latin letters that do not decompose into a base letter and a mark
_LATIN_FOLD = {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i",
               "ħ": "h", "ŀ": "l", "ŧ": "t"}  # fmt: skip


def _latin_base(ch: str) -> str:
    """``é`` -> ``e``, ``ø`` -> ``o``: a Latin letter without its diacritics (other scripts
    unchanged, so ``й``, kana with dakuten and Hangul syllables keep their form)."""
    if ch.isascii() or not unicodedata.name(ch, "").startswith("LATIN"):
        return ch
    if ch in _LATIN_FOLD:
        return _LATIN_FOLD[ch]
    return "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))


def _kind(ch: str) -> str:
    """Digit, Latin letter or other letter: tokens split where the kind changes
    (``user2`` -> ``user 2``, ``id番号`` -> ``id 番号``)."""
    if ch.isdigit():
        return "digit"
    return "latin" if ch.isascii() or unicodedata.name(ch, "").startswith("LATIN") else "other"


def _word_char(ch: str) -> bool:
    """Letters, combining marks (Devanagari vowel signs) and digits belong to a token."""
    return unicodedata.category(ch)[0] in "LMN"


def _unicode_tokens(text: str) -> list[str]:
    """Tokens of a non-ASCII name: NFKC (full-width ``ＩＤ`` -> ``ID``), camelCase split,
    casefold, Latin accents stripped, split on everything but letters, marks and digits and
    between digits, Latin letters and other scripts."""
    text = unicodedata.normalize("NFKC", text)
    out: list[str] = []
    for i, ch in enumerate(text):
        prev = text[i - 1] if i else ""
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if ch.isupper() and (
            (prev.islower() or (prev.isascii() and prev.isdigit()))
            or (prev.isupper() and nxt.islower())
        ):
            out.append(" ")
        out.append(ch)
    folded = "".join(_latin_base(c) for c in "".join(out).casefold())
    tokens: list[str] = []
    cur = ""
    for ch in folded:
        if not _word_char(ch):
            if cur:
                tokens.append(cur)
            cur = ""
            continue
        if cur and _kind(cur[-1]) != _kind(ch) and not unicodedata.combining(ch):
            tokens.append(cur)
            cur = ""
        cur += ch
    if cur:
        tokens.append(cur)
    return tokens


@lru_cache(maxsize=4096)
def normalise_name(name: object) -> str:
    """``"CustomerEmail"`` -> ``"_customer_email_"``; ``"e-mail 2"`` -> ``"_e_mail_2_"``;
    ``"Prénom"`` -> ``"_prenom_"``; ``"氏名"`` -> ``"_氏名_"`` (Unicode letters are kept,
    case-folded, Latin accents stripped; ASCII names as before)."""
    raw = str(name)
    if raw.isascii():
        text = _CAMEL.sub("_", raw).lower()
        tokens = [t for t in _SPLIT.split(text) if t]
    else:
        tokens = _unicode_tokens(raw)
    return "_" + "_".join(tokens) + "_" if tokens else "__"


def name_pattern(*alternatives: str) -> re.Pattern[str]:
    """One regex over :func:`normalise_name` forms matching any of ``alternatives``."""
    return re.compile("|".join(f"(?:{a})" for a in alternatives))


# GDPR Art. 9(1) categories and Art. 10 (criminal convictions and offences).
SPECIAL_CATEGORIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "racial_or_ethnic_origin",
        name_pattern(r"_(race|racial|ethnicity|ethnic(_?group|_?origin)?|ancestry|skin_?colou?r)_"),
    ),
    (
        "political_opinions",
        name_pattern(
            r"_(political|politics|party_?affiliation|political_?party|voting_?(intention"
            r"|preference)|voter_?party)_"
        ),
    ),
    (
        "religious_or_philosophical_beliefs",
        name_pattern(r"_(religion|religious|faith|beliefs?|denomination|philosophical_?beliefs?)_"),
    ),
    (
        "trade_union_membership",
        name_pattern(
            r"_(union|trade_?union|union_?member(ship)?|labou?r_?union|is_?union(_?member)?)_"
        ),
    ),
    ("genetic_data", name_pattern(r"_(genetic|genotype|genes?|dna|snp|genome|genomic|brca\d?)_")),
    (
        "biometric_data",
        name_pattern(
            r"_(biometric|fingerprint|face_?(embedding|encoding|template|image|print|photo)"
            r"|faceprint|iris|retina|voice_?print|voiceprint|palm_?print)_"
        ),
    ),
    (
        "health_data",
        name_pattern(
            r"_(health|diagnosis|diagnoses|dx|icd|icd_?9|icd_?10|medical_?condition"
            r"|health_?condition|disease|illness|medication|medications|prescription|rx"
            r"|symptoms?|disability|disabled|hiv|pregnan(t|cy)|mental_?health|bmi|blood_?type"
            r"|allerg(y|ies)|vaccination|vaccinated|covid|cancer|diabetes|diabetic"
            r"|comorbidit(y|ies)|medical_?history|clinical|therapy|smoker|smoking_?status)_"
        ),
    ),
    (
        "sex_life_or_sexual_orientation",
        name_pattern(r"_(sexual_?orientation|sexuality|sex_?life|lgbtq?|sexual_?preference)_"),
    ),
    (
        "criminal_convictions_and_offences",
        name_pattern(
            r"_(criminal|crime|crimes|conviction|convictions|convicted|offen[cs]es?|offender"
            r"|arrests?|arrested|felony|felonies|misdemeanou?r|incarcerat\w*|prison|jail"
            r"|parole|probation|criminal_?record|rap_?sheet|criminal_?history|priors_?desc"
            # German, Spanish, Italian, Portuguese, French, Dutch, Swedish, Finnish, Polish
            r"|straftat(en)?|vorstrafen?|verurteilung(en)?|strafregister|delitos?|crimen(es)?"
            r"|condenas?|antecedentes_?penales|reato|reati|condanna|condanne|casellario"
            r"|crimes?_?(type|desc|description|committed)|casier_?judiciaire|condamnations?"
            r"|strafblad|misdrijf|misdrijven|veroordeling(en)?|brott|brottsregister|rikos"
            r"|rikokset|rikosrekisteri|przestepstwo|karalnosc)_"
        ),
    ),
)

# compound names in which a special-category keyword does not describe a person: sports
# races, political unions of states, prison statistics, crime rates, system health, network
# counters (``race_time``, ``eu_union_member_state``, ``prison_capacity``, ``rx_bytes``)
_NOT_SPECIAL: dict[str, re.Pattern[str]] = {
    "racial_or_ethnic_origin": name_pattern(
        r"_race_(times?|id|no|num|number|names?|track|cars?|course|distance|results?|position"
        r"|pos|place|laps?|pace|events?|date|day|series|type|class|category|conditions?"
        r"|duration|speed|rank|ranking|winner|horse|entry|entries|start|finish|splits?|season"
        r"|round|length|seconds|secs|ms|mins?|minutes|hours|km|miles|meters|metres)_",
        r"_(horse|car|boat|bike|bicycle|drag|arms|rat|space|foot|road|relay|sprint|marathon"
        r"|dog|greyhound|motor|yacht|cycle|ski|human|f1)_race_",
    ),
    "trade_union_membership": name_pattern(
        r"_(eu|european|soviet|customs|currency|monetary|credit|postal|african|economic"
        r"|student|students|rugby|football|civil|state|states)_union_",
        r"_union_(states?|country|countries|territory|territories|budget|find|set|all|of"
        r"|type|query|station|square|street|jack|bank)_",
        r"_union_member_states?_",
    ),
    "criminal_convictions_and_offences": name_pattern(
        r"_(prisons?|jails?)_(capacity|population|count|cells?|beds?|names?|locations?|id"
        r"|staff|budget|breaks?|escape|level|levels|game|wall|walls)_",
        r"_jail_?break",
        r"_prison_?break",
        r"_crimes?_(rate|rates|index|count|counts|stats|statistics|level|score|per_?\w+)_",
        r"_(crime|criminal)_(novels?|fiction|drama|genre|show|series|movies?|films?|books?"
        r"|podcast)_",
        r"_offen[cs]es?_(rating|rank|ranking|score|stats|yards|points|efficiency)_",
    ),
    "health_data": name_pattern(
        r"_health_?checks?_",
        r"_(server|system|service|node|cluster|battery|disk|pipeline|app|api|network|host"
        r"|pod|db|database|link)_health_",
        r"_health_(endpoint|url|probe|bar|points|potion)_",
        r"_rx_(bytes|packets|errors|dropped|drops|rate|count|power|signal|queue)_",
    ),
    "biometric_data": name_pattern(r"_iris_(species|class|type|variety|dataset|setosa)_"),
}

# protected attributes that are not Art. 9 data but matter for fairness and re-identification
_OTHER_SENSITIVE: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("sex_or_gender", name_pattern(r"_(gender|sex)_")),
    (
        "age",
        name_pattern(r"_age(_?(years|yrs|group|band))?_", r"_(dob|birth_?date|date_?of_?birth)_"),
    ),
    (
        "national_origin",
        name_pattern(r"_(nationality|national_?origin|citizenship|immigration_?status)_"),
    ),
    ("marital_status", name_pattern(r"_marital(_?status)?_")),
    ("disability", name_pattern(r"_(disability|disabled|handicap)_")),
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


def sensitive_candidates(columns: Iterable[object], roles: Iterable[object] = ()) -> list[str]:
    """The ``columns`` whose name denotes a protected attribute (in their order), leaving out
    ``roles`` (the target, prediction and score columns)."""
    skip = set(roles)
    return [str(c) for c in columns if c not in skip and sensitive_attribute_of(c) is not None]


def missing_sensitive_reason(columns: Iterable[object], roles: Iterable[object] = ()) -> str:
    """Skip reason of a check that needs sensitive features when none were given: names the
    columns whose names suggest one, so the user sees what to pass to ``--sensitive``."""
    base = "no sensitive features: give --sensitive COL[,COL...]"
    found = sensitive_candidates(columns, roles)
    if not found:
        return f"{base} (no column name suggests a protected attribute)"
    shown = ", ".join(found[:MAX_SHOWN]) + (", ..." if len(found) > MAX_SHOWN else "")
    return f"{base}; candidates by name: {shown}"
