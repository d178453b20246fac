"""PII checks through the real runner: tables, findings, options and policy errors."""

from __future__ import annotations

import pandas as pd
import pytest

from auditor.checks.pii_columns import pii_columns
from auditor.checks.pii_free_text import free_text_pii
from auditor.checks.pii_leakage import known_value_leakage
from auditor.checks.pii_model_features import pii_model_features
from auditor.checks.pii_outputs import pii_in_outputs
from auditor.checks.pii_reidentification import reidentification_risk
from auditor.checks.pii_safe_harbor import hipaa_safe_harbor
from auditor.checks.pii_special import special_categories
from auditor.errors import ConfigError
from auditor.pii.measure import column_scan
from auditor.testing import make_context, run_check

CONTRACT = [
    "column", "kind", "entity_types", "likelihood", "score", "rows_scanned", "unique_scanned",
    "hits", "hit_rate", "regulations", "masked_examples", "evidence",
]  # fmt: skip


def _people(n: int = 120) -> pd.DataFrame:
    first = ["James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda"]
    last = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis"]
    return pd.DataFrame(
        {
            "patient_name": [f"{first[i % 8]} {last[(i * 3) % 8]}" for i in range(n)],
            "email": [f"user{i}@example{i % 7}.com" for i in range(n)],
            "zip": [f"{10001 + (i % 40):05d}" for i in range(n)],
            "sex": ["F" if i % 2 else "M" for i in range(n)],
            "age": [20 + (i % 75) for i in range(n)],
            "diagnosis": ["E11.9" if i % 3 else "I10" for i in range(n)],
            "order_id": [f"ORD-{i:08d}" for i in range(n)],
            "price": [round(3.5 + i * 0.25, 2) for i in range(n)],
            "notes": [
                f"Customer called about the delivery and asked for a refund number {i}. "
                + ("Reach me at 212-555-01" + f"{i % 90 + 10}" if i % 10 == 0 else "All good.")
                for i in range(n)
            ],
        }
    )


def test_columns_table_contract_and_verdicts() -> None:
    ctx = make_context(_people())
    res = run_check(pii_columns, ctx)
    rows = {r["column"]: r for r in res.tables["columns"]}
    assert all(list(r) == CONTRACT for r in rows.values())
    assert rows["email"]["kind"] == "direct_identifier"
    assert rows["email"]["entity_types"] == ["EMAIL_ADDRESS"]
    assert rows["email"]["likelihood"] == "VERY_LIKELY"
    assert rows["email"]["hit_rate"] == 1.0
    assert rows["email"]["masked_examples"][0].endswith(".com")
    assert "***" in rows["email"]["masked_examples"][0]
    assert "HIPAA 164.514(b)(2)(i)(F)" in rows["email"]["regulations"]
    assert rows["patient_name"]["entity_types"] == ["PERSON"]
    assert rows["zip"]["kind"] == "quasi_identifier"
    assert rows["sex"]["kind"] == "quasi_identifier"
    assert rows["age"]["entity_types"] == ["AGE", "AGE_OVER_89"]
    assert rows["diagnosis"]["kind"] == "special_category"
    assert rows["notes"]["kind"] == "free_text_pii"
    assert rows["notes"]["hits"] == 12
    assert rows["order_id"]["kind"] == "none"
    assert rows["price"]["kind"] == "none"
    assert rows["email"]["evidence"]["name"] == {"hint": "EMAIL_ADDRESS", "score": 0.95}
    assert res.tables["scan"][0]["seed"] == 0
    assert res.tables["scan"][0]["sample_size"] == 1000
    sev = {f.location: f.severity.label for f in res.findings}
    assert sev["column:email"] == "high"
    assert sev["column:zip"] == "low"
    assert "column:diagnosis" not in sev  # reported by PII002


def test_column_scan_is_shared_and_cached() -> None:
    ctx = make_context(_people())
    a = column_scan(ctx)
    b = column_scan(ctx)
    assert a == b
    assert [k for k in ctx._cache if k.startswith("pii.scan:")]
    assert len(a) == 9
    run_check(pii_columns, ctx)  # default options: reuses the cached scan
    assert len([k for k in ctx._cache if k.startswith("pii.scan:")]) == 1


def test_sampling_is_seeded_and_all_scans_everything() -> None:
    df = pd.concat([_people()] * 25, ignore_index=True)  # 3000 rows
    ctx = make_context(df, seed=7)
    small = {
        r["column"]: r for r in run_check(pii_columns, ctx, {"sample_size": 200}).tables["columns"]
    }
    again = {
        r["column"]: r
        for r in run_check(pii_columns, make_context(df, seed=7), {"sample_size": 200}).tables[
            "columns"
        ]
    }
    assert small["email"]["rows_scanned"] == 200
    assert small == again
    full = run_check(pii_columns, ctx, {"sample_size": "all"}).tables["columns"]
    assert {r["column"]: r["rows_scanned"] for r in full}["email"] == 3000
    assert {r["column"]: r["unique_scanned"] for r in full}["email"] == 120


def test_special_categories_and_free_text() -> None:
    ctx = make_context(_people())
    sp = run_check(special_categories, ctx)
    assert [
        (r["column"], r["category"], r["evidence"]) for r in sp.tables["special_categories"]
    ] == [("diagnosis", "health_data", "name and values")]
    ft = run_check(free_text_pii, ctx)
    row = ft.tables["free_text"][0]
    assert (row["column"], row["rows_with_pii"], row["rows_scanned"]) == ("notes", 12, 120)
    assert row["ci_low"] == pytest.approx(0.0582, abs=1e-3)
    assert row["ci_high"] == pytest.approx(0.1667, abs=1e-3)
    assert row["entity_rows"] == {"PHONE_NUMBER": 12}
    assert ft.findings[0].severity.label == "high"


def test_reidentification_k_anonymity_and_l_diversity() -> None:
    df = pd.DataFrame({
        "zip": ["10001"] * 6 + ["10002"] * 3 + ["10003"],
        "sex": ["F"] * 6 + ["M"] * 3 + ["F"],
        "religion": ["Christian", "Muslim"] * 3 + ["Hindu"] * 3 + ["Jewish"],
        "amount": range(10),
    })  # fmt: skip
    ctx = make_context(df)
    res = run_check(reidentification_risk, ctx, {"quasi_identifiers": ["zip", "sex"]})
    full = next(r for r in res.tables["k_anonymity"] if r["quasi_identifiers"] == ["zip", "sex"])
    assert (full["classes"], full["min_k"], full["records_below_k"], full["unique_records"]) == (
        3,
        1,
        4,
        1,
    )
    assert full["share_below_k"] == 0.4
    ld = res.tables["l_diversity"][0]
    assert (ld["sensitive"], ld["min_l"], ld["records_below_l"]) == ("religion", 1, 4)
    assert {f.evidence.get("min_k", f.evidence.get("min_l")) for f in res.findings} == {1}
    ok = run_check(reidentification_risk, ctx, {"quasi_identifiers": ["sex"], "k": 3, "l": 1})
    assert ok.status.value == "passed"


def test_model_features_outputs_and_leakage() -> None:
    df = _people()
    df["reply"] = [
        f"Sure, I emailed {df.email[i]} already." if i % 20 == 0 else "Your order has shipped."
        for i in range(len(df))
    ]
    ctx = make_context(df, features=["zip", "diagnosis", "price"])
    feats = run_check(pii_model_features, ctx)
    assert [(r["feature"], r["kind"]) for r in feats.tables["pii_features"]] == [
        ("zip", "quasi_identifier"),
        ("diagnosis", "special_category"),
    ]
    outs = run_check(pii_in_outputs, ctx, {"output_columns": ["reply"]})
    assert outs.tables["output_pii"][0]["rows_with_pii"] == 6
    leak = run_check(known_value_leakage, ctx, {"output_columns": ["reply"]})
    row = leak.tables["leakage"][0]
    assert (row["rows_with_known_values"], row["by_source_column"]) == (6, {"email": 6})
    assert leak.findings[0].severity.label == "critical"
    assert "@" not in str(leak.findings[0].evidence)
    assert "@" not in leak.findings[0].message
    assert run_check(pii_model_features, make_context(df)).status.value == "skipped"


def test_safe_harbor_checklist() -> None:
    res = run_check(hipaa_safe_harbor, make_context(_people()))
    status = {r["item"]: r["status"] for r in res.tables["safe_harbor"]}
    assert len(status) == 18
    assert {k for k, v in status.items() if v == "present"} == {"A", "B", "C", "D", "F"}
    assert status["Q"] == "not_checkable"
    assert status["G"] == "absent"


def test_invalid_custom_regex_is_a_config_error_naming_the_option() -> None:
    import auditor

    with pytest.raises(ConfigError, match=r"custom_recognizers\[0\].*invalid regular expression"):
        auditor.audit(
            _people(10),
            policy={"version": 1, "name": "t", "checks": {"PII001": {"options": {
                "custom_recognizers": [{"entity": "EMP", "pattern": "EMP-(\\d{6}"}]}}}},
        )  # fmt: skip
    with pytest.raises(ConfigError, match=r"allow_patterns\[0\]"):
        auditor.audit(_people(10), overrides={"PII001.allow_patterns": ["[a-"]})
    with pytest.raises(ConfigError, match="sample_size"):
        auditor.audit(_people(10), overrides={"PII001.sample_size": "some"})
