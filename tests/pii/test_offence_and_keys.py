"""Criminal-offence data (GDPR Art. 10) and record keys of people (issue 12, items 5 and 6).

A public-records style table (defendants of a county court): lower-case first and last names,
court case numbers, charge descriptions, statute citations, a numeric risk score and a count of
prior offences, plus a request id that is not about the person.
"""

from __future__ import annotations

import hashlib
import json
import random
import uuid
from pathlib import Path

import pandas as pd
import pytest

import auditor
from auditor.checks.pii_columns import pii_columns
from auditor.checks.pii_special import special_categories
from auditor.pii.lexicon import (
    ambiguous_value,
    name_hint,
    offence_evidence,
    offence_name_hint,
    special_category_of,
)
from auditor.testing import make_context, run_check

CRIMINAL = "criminal_convictions_and_offences"
HIPAA_R = "HIPAA 164.514(b)(2)(i)(R)"

FIRST = [
    "michael", "christopher", "james", "david", "robert", "john", "anthony", "kevin", "joseph",
    "daniel", "brandon", "jason", "william", "richard", "tyrone", "carlos", "jose", "luis",
    "maria", "jennifer", "ashley", "jessica", "tiffany", "latoya", "kimberly", "angela",
]  # fmt: skip
LAST = [
    "smith", "johnson", "williams", "jones", "brown", "davis", "miller", "wilson", "moore",
    "taylor", "anderson", "thomas", "jackson", "harris", "martin", "thompson", "garcia",
    "martinez", "robinson", "clark", "rodriguez", "lewis", "walker", "hall", "allen", "young",
]  # fmt: skip
# (charge description, statute) as a county clerk writes them; the last one is not an offence
CHARGES = [
    ("Aggravated Assault w/Firearm", "784.021(1)(a)"),
    ("Possession of Cannabis", "893.13(6b)"),
    ("Battery", "784.03"),
    ("Petit Theft", "812.014(3)(a)"),
    ("Driving Under The Influence", "316.193(1)"),
    ("Driving While License Revoked", "322.34(5)"),
    ("Burglary Unoccupied Dwelling", "810.02(3)(b)"),
    ("Grand Theft in the 3rd Degree", "812.014(2)(c)"),
    ("Possession of Cocaine", "893.13(6a)"),
    ("Resist/Obstruct W/O Violence", "843.02"),
    ("Felony Battery w/Prior Convict", "784.03(2)"),
    ("Criminal Mischief", "806.13(1)(b)"),
    ("Robbery / No Weapon", "812.13(2)(c)"),
    ("Tampering With Physical Evidence", "918.13(1)(a)"),
    ("arrest case no charge", "N/A"),
]
N = 400


def _public_records(n: int = N) -> pd.DataFrame:
    rng = random.Random(12)
    rows = []
    for i in range(n):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        charge, statute = CHARGES[i % (len(CHARGES) - 1)] if i % 40 else CHARGES[-1]
        rows.append(
            {
                "first": first,
                "last": last,
                "case_number": f"{'FM'[i % 2]}{13 + i % 2}-{rng.randrange(100000):06d}",
                "charge_desc": charge,
                "statute": statute,
                "risk_score": rng.randint(1, 10),
                "priors_count": rng.choice([0, 0, 0, 1, 1, 2, 3, 4, 6, 9, 14]),
                "request_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            }
        )
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def records() -> pd.DataFrame:
    return _public_records()


@pytest.fixture(scope="module")
def columns(records: pd.DataFrame) -> dict[str, dict]:
    res = run_check(pii_columns, make_context(records))
    assert res.status.value == "failed", res.detail
    return {r["column"]: r for r in res.tables["columns"]}


def _offence_rows(records: pd.DataFrame) -> int:
    return int((records["statute"] != "N/A").sum())


def test_offence_columns_are_criminal_offence_data_art10(
    records: pd.DataFrame, columns: dict[str, dict]
) -> None:
    offences = _offence_rows(records)
    assert offences == 390  # every 40th row is "arrest case no charge" / "N/A"
    # "arrest case no charge" is still an arrest record under a charge column: 400 rows
    for col, rows in (("charge_desc", N), ("statute", offences)):
        row = columns[col]
        assert row["kind"] == "special_category"
        assert row["entity_types"] == ["CRIMINAL_CONVICTIONS_AND_OFFENCES"]
        assert row["regulations"] == ["GDPR Art. 10"]  # Art. 10, not Art. 9
        sc = row["evidence"]["special_category"]
        assert sc["category"] == CRIMINAL
        assert sc["rows"] == rows
        assert sc["named"] is True
        assert row["hits"] == rows and row["rows_scanned"] == N
        assert row["masked_examples"] == []


def test_special_category_check_reports_art10_with_share_n_and_interval(
    records: pd.DataFrame,
) -> None:
    res = run_check(special_categories, make_context(records))
    assert res.status.value == "failed"
    table = {r["column"]: r for r in res.tables["special_categories"]}
    assert set(table) == {"charge_desc", "statute"}
    for col in ("charge_desc", "statute"):
        r = table[col]
        assert r["article"] == "GDPR Art. 10"
        assert r["category"] == CRIMINAL
        assert r["evidence"] == "name and values"
        assert r["rows_scanned"] == N
    assert table["charge_desc"]["rows_in_vocabulary"] == N
    assert table["charge_desc"]["share_in_vocabulary"] == 1.0
    assert table["charge_desc"]["ci_low"] == pytest.approx(0.9905, abs=1e-4)
    r = table["statute"]
    assert r["rows_in_vocabulary"] == 390
    assert r["share_in_vocabulary"] == 0.975
    assert r["ci_low"] == 0.9546
    assert r["ci_high"] == 0.9864
    finding = next(f for f in res.findings if f.location == "column:statute")
    assert finding.message == (
        "Column 'statute' holds data on criminal convictions and offences (390 of 400 "
        "scanned values are offence descriptions or statute citations, 97.5%; 95% CI "
        "95.5%–98.6%), which may be processed only under official authority or where Union or "
        "Member State law allows it (GDPR Art. 10)."
    )
    assert finding.evidence["article"] == "Art. 10"
    assert finding.evidence["ci"] == [0.9546, 0.9864]
    assert "Art. 9" not in finding.message
    assert "(GDPR Art. 10)" in finding.recommendation


def test_case_number_is_a_direct_identifier(columns: dict[str, dict]) -> None:
    row = columns["case_number"]
    assert row["kind"] == "direct_identifier"
    assert row["entity_types"] == ["RECORD_KEY"]
    assert HIPAA_R in row["regulations"]
    assert row["evidence"]["structure"]["reason"].startswith("near-unique key-shaped values")
    assert row["hits"] == N
    assert row["masked_examples"] == []


def test_scores_counts_and_request_ids_are_not_flagged(columns: dict[str, dict]) -> None:
    for col in ("risk_score", "priors_count", "request_id"):
        assert columns[col]["kind"] == "none", (col, columns[col]["entity_types"])
        assert columns[col]["regulations"] == []


def test_no_raw_value_in_any_output(records: pd.DataFrame, tmp_path: Path) -> None:
    report = auditor.audit(records, policy={"version": 1, "name": "records", "checks": {"PII": {}}})
    statuses = {r.check: r.status.value for r in report.results}
    assert statuses["PII002"] == "failed"
    assert not [c for c, s in statuses.items() if s == "errored"]
    written = report.write(tmp_path, ["json", "md", "html", "sarif"])
    texts = [Path(p).read_text(encoding="utf-8") for p in written.values()]
    texts.append(repr(report.to_dict()))
    raw = [
        *records["case_number"],
        *records["request_id"],
        *(c for c, _ in CHARGES),
        *(s for _, s in CHARGES if s != "N/A"),
        *(f"{a} {b}" for a, b in zip(records["first"], records["last"], strict=True)),
    ]
    for text in texts:
        low = text.lower()
        assert [v for v in raw if v.lower() in low] == []
    cols = {r["column"]: r for r in report.result("PII002").tables["special_categories"]}
    assert cols["charge_desc"]["article"] == "GDPR Art. 10"


# -- the offence lexicon -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "value",
    [
        "Aggravated Assault w/Firearm", "Possession of Cannabis", "DUI", "Burglary",
        "Petit Theft", "Grand Theft Auto", "Driving While License Suspended", "Sexual Battery",
        "Carrying Concealed Firearm", "Poss Of Controlled Substance", "Disorderly Conduct",
        "Violation of Probation", "§ 242 StGB", "§ 223 Abs. 1 StGB", "18 U.S.C. § 1341",
        "21 U.S.C. § 841(a)(1)", "Theft Act 1968 s.1", "Misuse of Drugs Act 1971",
        "Art. 624 c.p.", "Diebstahl geringwertiger Sachen", "Körperverletzung", "Raub",
        "vol à l'étalage", "escroquerie", "robo con violencia", "hurto", "furto aggravato",
        "rapina", "diefstal", "misshandel", "kradzież",
    ],
)  # fmt: skip
def test_offence_descriptions_and_citations_are_strong(value: str) -> None:
    assert offence_evidence(value) == "strong"
    assert not ambiguous_value(value)


@pytest.mark.parametrize(
    "value", ["Battery", "Theft", "fraud", "not fraud", "Weapons", "893.13(6a)", "784.03"]
)
def test_everyday_offence_words_and_bare_sections_are_weak(value: str) -> None:
    assert offence_evidence(value) == "weak"
    assert ambiguous_value(value)


@pytest.mark.parametrize(
    "value",
    [
        "SKU-48213-BLK", "LOT-2024-00483", "978-3-16-148410-0", "4006381333931",
        "550e8400-e29b-41d4-a716-446655440000", hashlib.sha256(b"x").hexdigest(), "v2.0.1",
        "1.2.3", "3.14", "Red", "Navy Blue", "Attempted delivery", "PC 2000", "ran",
        "Battery Pack 5000mAh".replace("Battery ", "Power "), "§ 823 BGB", "Case closed",
    ],
)  # fmt: skip
def test_codes_versions_and_everyday_values_are_clean(value: str) -> None:
    assert offence_evidence(value) is None


def test_offence_column_names() -> None:
    for col in ("straftat", "delito", "reato", "Vorstrafen", "criminal_history", "offense_type"):
        assert special_category_of(col) == CRIMINAL, col
    for col in ("charge_desc", "c_charge_desc", "statute", "sentence", "anklage", "infraction"):
        hint = offence_name_hint(col)
        assert hint is not None and hint.entity == CRIMINAL, col
    for col in ("charge_amount", "battery_charge", "sentence_length", "citation_count"):
        assert offence_name_hint(col) is None, col
    assert special_category_of("crime_rate") is None


def test_offence_names_need_offence_values() -> None:
    n = 200
    rng = random.Random(3)
    df = pd.DataFrame(
        {
            # medical-insurance charges: money, not offences
            "charges": [round(1100 + rng.random() * 40000, 4) for _ in range(n)],
            # a product category with an everyday offence word among others
            "category": [["Battery", "Charger", "Cable", "Case"][i % 4] for i in range(n)],
            # a fraud label: everyday word, no offence column name
            "label": [["fraud", "not fraud", "not fraud"][i % 3] for i in range(n)],
            # civil-law sections under an offence-ish name
            "statute": [
                ["§ 823 BGB", "§ 433 BGB", "Art. 1382 Code civil"][i % 3] for i in range(n)
            ],
            "sentence": [f"The weather was fine on day {i} and we walked home." for i in range(n)],
        }
    )
    rows = {r["column"]: r for r in run_check(pii_columns, make_context(df)).tables["columns"]}
    for col in df.columns:
        assert rows[col]["kind"] != "special_category", (col, rows[col]["evidence"])


def test_multilingual_offence_columns_and_values_without_a_name() -> None:
    de = ["Diebstahl", "Körperverletzung", "Betrug", "Sachbeschädigung", "Raub", "Hehlerei"]
    es = ["Robo con violencia", "Hurto", "Estafa", "Homicidio", "Tráfico de drogas", "Lesiones"]
    n = 120
    df = pd.DataFrame(
        {
            "straftat": [de[i % 6] for i in range(n)],
            "descripcion": [es[i % 6] for i in range(n)],
        }
    )
    rows = {r["column"]: r for r in run_check(pii_columns, make_context(df)).tables["columns"]}
    assert rows["straftat"]["kind"] == "special_category"
    assert rows["straftat"]["evidence"]["special_category"]["rows"] == n  # Betrug under the name
    assert rows["descripcion"]["kind"] == "special_category"
    # "Lesiones" (also medical lesions) counts next to the unambiguous offences
    assert rows["descripcion"]["evidence"]["special_category"]["rows"] == n
    assert rows["descripcion"]["evidence"]["special_category"]["named"] is False
    assert rows["descripcion"]["regulations"] == ["GDPR Art. 10"]


# -- record keys of people ------------------------------------------------------------------------
def test_record_key_names() -> None:
    for col in ("case_number", "CaseNumber", "docket", "booking_no", "inmate_id", "account_id",
                "customerID", "member_number", "client_ref"):  # fmt: skip
        hint = name_hint(col)
        assert hint is not None and hint.entity == "RECORD_KEY", col
    for col in ("request_id", "transaction_id", "file_id", "session_id", "order_id", "trace_id"):
        hint = name_hint(col)
        assert hint is None or hint.entity != "RECORD_KEY", col


def test_record_keys_are_direct_identifiers_and_request_ids_are_not() -> None:
    n = 300
    rng = random.Random(5)
    df = pd.DataFrame(
        {
            # a customer places several orders: repeats, still the key of a person
            "customer_id": [1000 + i // 3 for i in range(n)],
            "account_id": [f"AC{rng.randrange(10**8):08d}" for _ in range(n)],
            "docket": [f"2019-CR-{i:06d}" for i in range(n)],
            "inmate_no": [f"{rng.randrange(10**6):06d}-{rng.randrange(100):02d}" for _ in range(n)],
            "member_id": [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(n)],
            "request_id": [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(n)],
            "transaction_id": [hashlib.sha256(str(i).encode()).hexdigest() for i in range(n)],
            "file_id": [hashlib.md5(str(i).encode()).hexdigest() for i in range(n)],
            # a case-type column: few values, not a key
            "case_no": [["A", "B", "C"][i % 3] for i in range(n)],
            # a member score: measurements, not keys
            "member_number": [round(rng.random() * 10, 3) for _ in range(n)],
        }
    )
    rows = {r["column"]: r for r in run_check(pii_columns, make_context(df)).tables["columns"]}
    for col in ("customer_id", "account_id", "docket", "inmate_no"):
        assert rows[col]["kind"] == "direct_identifier", col
        assert rows[col]["entity_types"] == ["RECORD_KEY"], col
        assert HIPAA_R in rows[col]["regulations"]
    assert rows["customer_id"]["evidence"]["structure"]["reason"] == (
        "key-shaped values, 100 distinct in 300 rows"
    )
    assert rows["member_id"]["kind"] == "direct_identifier"  # UUIDs named for a person
    for col in ("request_id", "transaction_id", "file_id", "case_no", "member_number"):
        assert rows[col]["kind"] == "none", (col, rows[col]["entity_types"])
    assert json.dumps(rows).count("2019-CR-") == 0
