"""Column verdicts from weighted evidence: column name, structure, and values through Presidio.

Per entity type: ``values`` = mean Presidio score raised by consistency (hit rate), zero below a
hit rate of 0.5 for structured columns; entity types that need a hint (dates, URLs, ages, ...)
keep 40 % of it unless the column name supports them. ``name`` = lexicon strength (0.8-0.95).
``combined = 1 - (1 - values) * (1 - 0.5 * name)``. A name without value support scores
``structure`` (0.6-0.8) when the values have the expected shape (ages 0-125, few gender codes,
4+ decimal coordinates, unique ID-like strings, 1-4 capitalised words for a person), else
``0.45 * name`` (never flagged alone).

Special categories: value vocabularies (and ICD-10 codes) score 0.5-1.0. A column *name*
alone scores 0.75 only when the values could be that attribute: categorical (a few codes or
labels), boolean for ``is_``/``has_`` flags, text; never continuous numbers (``faith_score``),
identifier-like values (``race_id``) or many distinct integers (``prison_capacity``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .dates import event_date_name
from .entities import (
    IDENTIFYING,
    entity_info,
    regulations_for,
    special_regulations,
)
from .lexicon import (
    NameHint,
    name_hint,
    normalise_name,
    not_phone_name,
    offence_name_hint,
    special_name_hint,
)
from .locations import (
    LOCATION_ENTITIES,
    PEOPLE_GATED,
    TableContext,
    business_place_name,
    personal_place_name,
    table_context,
)
from .scan import ColumnScan
from .settings import ScanOptions

__all__ = ["KINDS", "LIKELIHOODS", "classify", "classify_table", "likelihood"]

KINDS = ("direct_identifier", "quasi_identifier", "special_category", "free_text_pii", "none")
LIKELIHOODS = ("VERY_UNLIKELY", "UNLIKELY", "POSSIBLE", "LIKELY", "VERY_LIKELY")

# which detected entity types a name hint supports
_HINT_SUPPORTS: dict[str, frozenset[str]] = {
    "BANK_ACCOUNT": frozenset({"US_BANK_NUMBER", "IBAN_CODE", "BANK_ACCOUNT"}),
    "US_SSN": frozenset({"US_SSN", "US_ITIN", "UK_NINO"}),
    "DATE_OF_BIRTH": frozenset({"DATE_TIME"}),
    "EVENT_DATE": frozenset({"DATE_TIME"}),
    "DEVICE_ID": frozenset({"IMEI", "MAC_ADDRESS", "UUID", "DEVICE_ID"}),
    "HEALTH_PLAN_ID": frozenset({"UK_NHS", "US_MBI", "HEALTH_PLAN_ID", "US_BANK_NUMBER"}),
    "MEDICAL_RECORD_NUMBER": frozenset({"MEDICAL_RECORD_NUMBER"}),
    "USERNAME": frozenset({"USERNAME", "EMAIL_ADDRESS"}),
    "AGE": frozenset({"AGE", "AGE_OVER_89"}),
}
_GENDER_CODES = frozenset(
    [
        "m",
        "f",
        "male",
        "female",
        "man",
        "woman",
        "men",
        "women",
        "x",
        "u",
        "unknown",
        "other",
        "non-binary",
        "nonbinary",
        "intersex",
        "diverse",
        "w",
        "d",
        "0",
        "1",
        "2",
    ]
)


_ID_HINTS = frozenset(
    {
        "US_SSN", "BANK_ACCOUNT", "US_PASSPORT", "US_DRIVER_LICENSE", "MEDICAL_RECORD_NUMBER",
        "HEALTH_PLAN_ID", "VIN", "DEVICE_ID", "CREDIT_CARD",
    }
)  # fmt: skip


# record keys of people: a name hint plus key-shaped values (one token, whole numbers or codes,
# many distinct values). Keys of events in a person's life (case, docket, booking, arrest) are
# near-unique per row; keys of the person (customer, patient, member, account) repeat across a
# person's rows (orders, visits), so they need only many distinct values.
_PERSON_KEYS = frozenset({"RECORD_KEY", "MEDICAL_RECORD_NUMBER", "HEALTH_PLAN_ID"})
_EVENT_KEY = re.compile(r"_(case|court_?case|docket|booking|arrest|citation)_|_(caseno|casenum)_")


def _record_key(scan: ColumnScan) -> str:
    """Why the values are record keys (near-unique, identifier-shaped), or ``""``."""
    n = scan.rows_scanned
    if n < 2 or scan.is_free_text or scan.mean_tokens > 1.2 or scan.small_domain:
        return ""
    num = scan.numeric
    if num and (num.get("share_integer", 0.0) < 0.99 or num.get("min", 0.0) < 0):
        return ""  # measurements and signed numbers are not keys
    uniq = scan.unique_scanned / n
    if _EVENT_KEY.search(normalise_name(scan.column)):
        if uniq >= 0.5:
            return f"near-unique key-shaped values ({uniq:.0%} distinct)"
        return ""
    if uniq >= 0.9 or (scan.unique_scanned >= 10 and uniq >= 0.02):
        return f"key-shaped values, {scan.unique_scanned:,} distinct in {n:,} rows"
    return ""


def likelihood(score: float) -> str:
    """0-1 score to the 5-level scale (cut points 0.2 / 0.4 / 0.6 / 0.8)."""
    return LIKELIHOODS[min(4, int(score / 0.2 + 1e-9))]


def _supports(hint: NameHint | None, entity: str) -> float:
    if hint is None:
        return 0.0
    if hint.entity == entity or entity in _HINT_SUPPORTS.get(hint.entity, frozenset()):
        return hint.strength
    return 0.0


def _relabel(hint: NameHint | None, entity: str) -> str:
    """DATE_TIME in a ``dob`` column is a DATE_OF_BIRTH; digits in an ``account`` column a
    BANK_ACCOUNT."""
    if hint and entity in _HINT_SUPPORTS.get(hint.entity, frozenset()) and entity == "DATE_TIME":
        return hint.entity
    return entity


def _structure(hint: NameHint, scan: ColumnScan, values: list[str]) -> tuple[float, str]:
    """Structural support for a name hint without value hits: (score, reason)."""
    e = hint.entity
    num = scan.numeric
    uniq_ratio = scan.unique_scanned / scan.rows_scanned if scan.rows_scanned else 0.0
    if e == "AGE" and num and num["min"] >= 0 and num["max"] <= 125 and num["share_integer"] > 0.9:
        return 0.75, "integers in 0-125"
    if e == "GENDER" and scan.small_domain and values:
        share = sum(v.strip().lower() in _GENDER_CODES for v in values) / len(values)
        if share >= 0.8:
            return 0.8, "a few gender codes"
    if (
        e == "PRECISE_LOCATION"
        and num
        and num["share_4_decimals"] > 0.8
        and num["min"] >= -180
        and num["max"] <= 180
    ):
        return 0.8, "coordinates with >= 4 decimals"
    if e in ("DATE_OF_BIRTH", "EVENT_DATE") and ("datetime" in scan.dtype or "date" in scan.dtype):
        return 0.75, "date/time dtype"
    if e in ("DATE_OF_BIRTH", "EVENT_DATE") and scan.dates and scan.dates.share >= 0.8:
        return 0.8, f"dates ({', '.join(scan.dates.formats)})"
    if (
        e == "LOCATION"
        and not scan.is_free_text
        and not num
        and scan.unique_scanned > 3
        and scan.mean_tokens <= 3
    ):
        return 0.6, "short place-like strings"
    if (
        e in ("CREDENTIAL", "USERNAME")
        and not num
        and not scan.is_free_text
        and uniq_ratio > 0.5
        and scan.mean_tokens <= 1.2
    ):
        return 0.7, "unique single-token strings"
    if e in _PERSON_KEYS:
        key = _record_key(scan)
        if key:
            return 0.7, key
    if e in _ID_HINTS and uniq_ratio > 0.9 and scan.mean_tokens <= 1.2 and scan.rows_scanned >= 2:
        return 0.65, "unique identifier-like values"
    if e == "PERSON" and not num and not scan.is_free_text and scan.name_shape_share >= 0.8:
        return 0.6, "1-4 capitalised words per value"
    return 0.0, ""


_FLAG_NAME = re.compile(r"^_(is|has|was|in|member_of)_")
_FACE = re.compile(r"_(face|faces|facial|headshots?|portraits?|selfies?|mugshots?|photos?)_")


def _categorical(scan: ColumnScan) -> bool:
    n = scan.rows_scanned
    return scan.small_domain or (scan.unique_scanned <= 50 and scan.unique_scanned <= 0.2 * n)


def _special_by_name(hint: NameHint, scan: ColumnScan) -> tuple[float, str]:
    """Score of a special category named by the column but absent from the value
    vocabularies: (0.75, why) when the values could be that attribute, else (0, why not)."""
    n = scan.rows_scanned
    num = scan.numeric
    if hint.entity == "biometric_data" and scan.cells.binary:
        return 0.9, "binary cells (images, templates) in a biometric column"
    if n == 0:
        return 0.0, "no values to confirm the name"
    boolean = scan.unique_scanned <= 2
    if _FLAG_NAME.search(normalise_name(scan.column)):
        if boolean:
            return 0.75, "a yes/no flag"
        if scan.small_domain and not scan.is_free_text:
            return 0.75, "a few flag values"
        return 0.0, "a flag name without yes/no values"
    if num and num.get("share_integer", 1.0) < 0.9:
        if hint.entity in ("health_data", "genetic_data") and hint.strength >= 0.95:
            return 0.75, "measurements in a health column"
        return 0.0, "continuous numbers, not categories"
    uniq_ratio = scan.unique_scanned / n
    if not scan.is_free_text and n >= 10 and uniq_ratio > 0.9 and scan.mean_tokens <= 1.2:
        return 0.0, "identifier-like values (unique per row)"
    if num:
        if scan.small_domain or boolean:
            return 0.75, "a few numeric codes"
        return 0.0, "many distinct numbers, not categories"
    if scan.is_free_text or boolean or _categorical(scan) or hint.strength >= 0.95:
        return 0.75, "categorical values" if _categorical(scan) or boolean else "text values"
    return 0.0, "values are not categories"


# a column named for a person's link (profile, social account, personal homepage)
_PERSON_LINK_NAME = re.compile(
    r"_(profil|perfil|social|linkedin|facebook|twitter|instagram|tiktok|github|xing|mastodon"
    r"|homepage|home_?page|personal|youtube_?channel)"
)


def _drop(per_entity: dict[str, dict[str, Any]], entity: str, why: str) -> None:
    per_entity[entity] = {**per_entity[entity], "score": 0.0, "not_personal": why}


def _places_links_dates(
    scan: ColumnScan,
    hint: NameHint | None,
    per_entity: dict[str, dict[str, Any]],
    table: TableContext | None,
) -> dict[str, str]:
    """Whose places, links and dates (issue 12): birth dates by value in a table about people;
    coordinates, cities and addresses of a place of business (or, for coordinates and cities,
    in a table that identifies no people) are not personal; links to people's pages are
    identifiers, links to product, article or asset pages are not. Edits ``per_entity`` and
    returns why, per entity type."""
    notes: dict[str, str] = {}
    if scan.is_free_text:
        return notes
    col = scan.column
    about = table.about_people(col) if table is not None else ""
    # birth dates by value: no name for them, not an event's name, plausible birth dates
    if table is not None and hint is None and scan.dates is not None and about:
        why = scan.dates.birth_reason()
        if why and not event_date_name(col):
            base = per_entity.pop("DATE_TIME", {})
            per_entity["DATE_OF_BIRTH"] = {
                **base,
                "name": 0.0,
                "structure": 0.7,
                "score": round(max(0.7, float(base.get("score", 0.0))), 3),
                "rows": scan.dates.rows,
            }
            notes["DATE_OF_BIRTH"] = f"{why}; {about}"
    # places: of a business, or of nobody in particular
    business = business_place_name(col)
    for e in sorted(LOCATION_ENTITIES & per_entity.keys()):
        if float(per_entity[e].get("score", 0.0)) <= 0.0:
            continue
        if business:
            why = f"column named for a place of business or an asset ({business!r})"
        elif (
            e in PEOPLE_GATED
            and table is not None
            and not about
            and personal_place_name(col) is None
        ):
            why = "no other column identifies people, so not a data subject's location"
        else:
            continue
        _drop(per_entity, e, why)
        notes[e] = why
    # links: to a person's page, or to a product, article or asset page
    if "URL" in per_entity and scan.urls is not None:
        urls = scan.urls
        verdict = urls.verdict()
        person_named = bool(_PERSON_LINK_NAME.search(normalise_name(col)))
        if verdict == "person":
            d = per_entity["URL"]
            per_entity["URL"] = {
                **d,
                "structure": 0.85,
                "score": round(max(0.85, float(d.get("score", 0.0))), 3),
                "rows": max(int(d.get("rows", 0)), round(urls.person * scan.rows_scanned)),
            }
            notes["URL"] = (
                f"{urls.person:.0%} of the rows link to a person's page (user path, handle, "
                "profile id, social account or mailto)"
            )
        elif verdict == "thing" and not person_named:
            notes["URL"] = (
                f"{urls.thing:.0%} of the rows link to product, article or asset pages, "
                "not to people"
            )
            _drop(per_entity, "URL", notes["URL"])
        elif not person_named and table is not None and not about:
            notes["URL"] = "links to web pages in a table that identifies no people"
            _drop(per_entity, "URL", notes["URL"])
    return notes


def classify_table(scans: Mapping[str, ColumnScan], options: ScanOptions) -> list[dict[str, Any]]:
    """Column verdicts for a whole table: a first pass column by column, then every column again
    with what the other columns say (:func:`auditor.pii.locations.table_context`: is the table
    about people?). No value is scanned twice: both passes read the scans."""
    first = [classify(sc, options) for sc in scans.values()]
    context = table_context(first)
    return [classify(sc, options, context) for sc in scans.values()]


# ids whose only check is a valid date (DK CPR numbers issued since 2007 have no mod-11 digit):
# about 37 % of random ``yymmdd-nnnn`` codes pass, so a column needs most rows to pass
_WEAK_CHECK_SHARE = {"DK_CPR": 0.8}


def classify(
    scan: ColumnScan, options: ScanOptions, table: TableContext | None = None
) -> dict[str, Any]:
    """One row of the ``columns`` table for ``scan``; ``table`` (from :func:`classify_table`)
    says whether the other columns identify people (birth dates by value, people's locations
    and links need it; without it, a column is judged on its own)."""
    hint = name_hint(scan.column)
    special_hint = special_name_hint(scan.column)
    special_name = special_hint.entity if special_hint else None
    n = scan.rows_scanned
    min_share = 0.5
    per_entity: dict[str, dict[str, Any]] = {}
    # product, order and batch columns: phone-shaped values there are codes (not in free text,
    # where an order note can hold the customer's number)
    not_phone = None if scan.is_free_text else not_phone_name(scan.column)
    for ent, h in scan.entities.items():
        if ent == "PHONE_NUMBER" and not_phone:
            continue
        rate = h.rows / n if n else 0.0
        s = h.mean_score
        value = s + (1 - s) * 0.5 * min(1.0, rate / 0.8)
        share_needed = _WEAK_CHECK_SHARE.get(ent, min_share)
        if not scan.is_free_text and rate < share_needed:
            value *= rate / share_needed
        name = _supports(hint, ent)
        bare_phone = ent == "PHONE_NUMBER" and scan.digit_only_share >= 0.8
        if (entity_info(ent).needs_hint or bare_phone) and name == 0.0:
            value *= 0.4  # dates, URLs, bare 10-digit numbers: only with a supporting name
        combined = 1 - (1 - value) * (1 - 0.5 * name)
        per_entity[_relabel(hint, ent)] = {
            "hit_rate": round(rate, 4),
            "mean_score": round(s, 3),
            "values": round(value, 3),
            "name": round(name, 3),
            "score": round(combined, 3),
            "rows": h.rows,
            "examples": h.examples,
        }
    structure_reason = ""
    if scan.zero_padded and "US_ZIP" in per_entity:
        structure_reason = f"{scan.zero_padded} ZIP codes read as numbers, zero-padded"
    person = per_entity.get("PERSON")
    if (
        person is not None
        and (hint is None or hint.entity != "PERSON")
        and not scan.is_free_text
        and float(person["score"]) >= options.min_score
    ):  # a names column found from its values alone (auditor.pii.scan.names_column)
        structure_reason = f"{person['hit_rate']:.0%} of rows are known person names"
    if hint is not None and (
        hint.entity not in per_entity or per_entity[hint.entity]["score"] < options.min_score
    ):
        st, reason = _structure(hint, scan, scan.small_values)
        structure_reason = structure_reason or reason
        base = per_entity.get(hint.entity, {})
        score = max(st, 0.45 * hint.strength, float(base.get("score", 0.0)))
        per_entity[hint.entity] = {
            **base,
            "name": hint.strength,
            "structure": st,
            "score": round(score, 3),
            "rows": base.get("rows", n if st else 0),
        }
    # HIPAA (C): ages over 89 in an age column
    if hint is not None and hint.entity == "AGE" and scan.numeric.get("share_over_89", 0) > 0:
        age = per_entity.get("AGE", {})
        if age.get("score", 0) >= options.min_score:
            rows = round(scan.numeric["share_over_89"] * n)
            per_entity["AGE_OVER_89"] = {"score": age["score"], "rows": rows, "structure": 1.0}
    context_notes = _places_links_dates(scan, hint, per_entity, table)
    if "DATE_OF_BIRTH" in context_notes and not structure_reason:
        structure_reason = context_notes["DATE_OF_BIRTH"]

    # special categories (GDPR Art. 9/10)
    special_score = 0.0
    special_cat = special_name
    vocab_rows = 0
    # charge, statute, sentence: criminal-offence data (GDPR Art. 10) only when at least 30 % of
    # the (non-numeric) values are offence descriptions or statute citations
    offence_hint = offence_name_hint(scan.column) if special_hint is None else None
    named_by = special_hint
    if scan.special_values:
        cat, vocab_rows = max(scan.special_values.items(), key=lambda kv: kv[1])
        share = vocab_rows / n if n else 0.0
        if offence_hint is not None and cat == offence_hint.entity and share >= 0.3:
            if not scan.numeric:
                special_cat, special_score = cat, min(1.0, 0.7 + 0.3 * share)
                named_by = offence_hint
        elif special_name is None and share >= 0.5:
            special_cat, special_score = cat, 0.5 + 0.4 * share
        elif special_name == cat:
            special_score = min(1.0, 0.75 + 0.25 * share)
    special_reason = "values in the category's vocabulary" if special_score else ""
    if special_hint is not None and special_score == 0.0:
        special_score, special_reason = _special_by_name(special_hint, scan)
        vocab_rows = scan.special_values.get(special_hint.entity, 0) if special_score else 0

    confident = {
        e: d for e, d in per_entity.items() if float(d.get("score", 0)) >= options.min_score
    }
    ranked = sorted(confident, key=lambda e: (-float(confident[e]["score"]), e))
    free_hits = {e: d for e, d in per_entity.items() if e in IDENTIFYING or e not in _KNOWN}
    text_share = scan.rows_with_pii / n if n else 0.0

    kind = "none"
    score = max([0.0, *(float(d.get("score", 0)) for d in per_entity.values())])
    entity_types: list[str] = []
    hits = 0
    if special_cat and special_score >= options.min_score:
        kind, score, hits = "special_category", special_score, vocab_rows
        person_named = hint is not None and hint.entity == "PERSON"
        # the values are the attribute (White, Christian), not the people's names
        entity_types = [special_cat.upper(), *(e for e in ranked if e != "PERSON" or person_named)]
    elif (
        scan.is_free_text
        and free_hits
        and (text_share >= options.free_text_min_share and scan.rows_with_pii >= min(2, n))
    ):
        kind = "free_text_pii"
        entity_types = sorted(free_hits, key=lambda e: -free_hits[e].get("rows", 0))
        score = max(float(free_hits[e].get("mean_score", 0)) for e in entity_types)
        hits = scan.rows_with_pii
    elif ranked and not scan.is_free_text:
        best = ranked[0]
        quasi_custom = {c.entity for c in options.custom_recognizers if c.kind == "quasi"}
        kinds = {"quasi" if e in quasi_custom else entity_info(e).kind for e in ranked}
        kind = "direct_identifier" if "direct" in kinds else "quasi_identifier"
        entity_types = ranked
        score = float(confident[best]["score"])
        hits = int(confident[best].get("rows", 0))

    regs: list[str] = []
    fax = "fax" in normalise_name(scan.column)
    if kind != "none":
        for e in entity_types:
            if special_cat and e == special_cat.upper():
                continue
            for tag in regulations_for(e, fax=fax):
                if tag not in regs:
                    regs.append(tag)
    if kind == "special_category" and special_cat:
        face = special_cat == "biometric_data" and bool(_FACE.search(normalise_name(scan.column)))
        for tag in special_regulations(special_cat, face=face):
            if tag not in regs:
                regs.append(tag)
    masked: list[str] = []
    for e in entity_types or list(per_entity):
        for ex in per_entity.get(e, {}).get("examples", []) or []:
            if ex not in masked and len(masked) < 3:
                masked.append(ex)
    risk = max((entity_info(e).risk for e in entity_types), default=0)
    if kind == "special_category":
        risk = max(risk, 2)
    evidence: dict[str, Any] = {
        "name": {"hint": hint.entity if hint else None, "score": hint.strength if hint else 0.0},
        "structure": {"reason": structure_reason or None, "free_text": scan.is_free_text},
        "values": {
            e: {k: v for k, v in d.items() if k != "examples"} for e, d in per_entity.items()
        },
        "special_category": (
            {
                "category": special_cat,
                "score": round(special_score, 3),
                "rows": vocab_rows,
                "reason": special_reason or None,
                "named": named_by is not None and named_by.entity == special_cat,
            }
            if special_cat
            else None
        ),
        "risk_tier": risk,
        "cells": {
            "non_null": scan.non_null,
            "binary": scan.cells.binary,
            "nested_json": scan.cells.nested,
            "truncated": scan.cells.truncated,
            "chars_not_scanned": scan.cells.chars_not_scanned,
            "windowed": scan.cells.windowed,
            "mixed_types": scan.cells.mixed_types or None,
            "analyzed_unique": scan.analyzed_unique,
        },
    }
    if context_notes:
        evidence["context"] = context_notes
    if not_phone and "PHONE_NUMBER" in scan.entities:
        evidence["not_phone"] = (
            f"column named for products, orders or batches ({not_phone!r}): "
            f"{scan.entities['PHONE_NUMBER'].rows} phone-shaped values read as codes"
        )
    if scan.error:
        evidence["error"] = scan.error
    return {
        "column": scan.column,
        "kind": kind,
        "entity_types": entity_types,
        "likelihood": likelihood(score),
        "score": round(score, 3),
        "rows_scanned": n,
        "unique_scanned": scan.unique_scanned,
        "hits": hits,
        "hit_rate": round(hits / n, 4) if n else 0.0,
        "regulations": regs,
        "masked_examples": masked if kind != "none" else [],
        "evidence": evidence,
    }


_KNOWN = frozenset(
    {"DATE_TIME", "URL", "UUID", "LOCATION", "NRP", "AGE", "GENDER", "DATE_OF_BIRTH", "EVENT_DATE"}
)
