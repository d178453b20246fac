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
    assert "column:diagnosis" not in sev  # reported by PII002
    # the quasi-identifiers are one finding, not one per column
    assert "column:zip" not in sev
    [quasi] = [f for f in res.findings if f.location == "dataset:quasi-identifiers"]
    assert quasi.severity.label == "low"
    assert quasi.evidence["quasi_identifiers"] == ["zip", "sex", "age"]
    assert quasi.message == "3 columns together can single people out: zip, sex and age."
    assert quasi.relates_to == ("dataset:zip+sex+age",)  # where PII004 reports them
    assert "zip: keep only the first 3 digits" in quasi.recommendation
    email = next(f for f in res.findings if f.location == "column:email")
    assert email.message == (
        "Column 'email' holds people's e-mail addresses (found in 120 of 120 rows; detector "
        "confidence: very likely)."
    )
    assert email.detail.startswith("email: direct_identifier; entity types EMAIL_ADDRESS;")
    assert "'email'" in email.recommendation


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
    [f] = ft.findings
    assert f.severity.label == "high"
    assert f.message == (
        "In 10.0% of 120 rows (12 rows; 95% CI 5.8%–16.7%) the free-text column 'notes' "
        "contains phone numbers."
    )
    assert "PHONE_NUMBER 12" in f.detail


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
    k, l_div = sorted(res.findings, key=lambda f: f.discriminator)
    assert (k.location, l_div.location) == ("dataset:zip+sex", "column:religion")
    assert k.message == (
        "40.0% of 10 records (4) are unique or nearly unique on zip and sex: each is in a group "
        "of fewer than 5 records with the same values (k-anonymity; 1 record is the only one "
        "with its combination), so anyone who knows these 2 facts about such a person can find "
        "their record."
    )
    assert l_div.message == (
        "For 40.0% of 10 records (4), the records with the same zip and sex all share the same "
        "'religion' value, so knowing these 2 facts about a person reveals their religion "
        "(l-diversity)."
    )
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
    res = run_check(hipaa_safe_harbor, make_context(_people()), {"health_data": True})
    status = {r["item"]: r["status"] for r in res.tables["safe_harbor"]}
    assert len(status) == 18
    assert {k for k, v in status.items() if v == "present"} == {"A", "B", "C", "D", "F"}
    assert status["Q"] == "not_checkable"
    assert status["G"] == "absent"
    # one finding per identifier letter, in plain words, linked to its columns
    by_letter = {f.evidence["item"]: f for f in res.findings}
    assert sorted(by_letter) == ["A", "B", "C", "D", "F"]
    d = by_letter["D"]
    assert d.message == (
        "The data is not de-identified under HIPAA Safe Harbor: the free-text column 'notes' "
        "holds phone numbers, one of the 18 kinds of identifier that must be removed."
    )
    assert d.relates_to == ("column:notes",)
    assert d.detail.startswith("45 CFR 164.514(b)(2)(i)(D) Telephone numbers: present in notes;")
    assert d.evidence["applies_because"] == "the policy sets PII008 health_data: true"
    assert by_letter["B"].recommendation.startswith("Keep only the first 3 digits of ZIP codes")


def test_safe_harbor_applies_to_health_data_only() -> None:
    """HIPAA is a sector rule: PII008 skips (saying how to turn it on) unless the policy or the
    audit's metadata says the data is health data."""
    skipped = run_check(hipaa_safe_harbor, make_context(_people()))
    assert skipped.status.value == "skipped"
    assert skipped.findings == ()
    assert skipped.detail == (
        "HIPAA Safe Harbor applies to health data (protected health information), and neither "
        "the policy nor the audit's metadata says this data is health data (PII002 found data "
        "concerning health in column 'diagnosis': if it is protected health information, turn "
        "the check on); to apply it, run with --policy hipaa-safe-harbor or --set "
        "PII008.health_data=true, or add `data_category: health` to the config's metadata"
    )
    for metadata in (
        {"data_category": "health"},
        {"data_category": ["finance", "Medical"]},
        {"sector": "Healthcare"},
        {"health_data": True},
        {"health_data": "yes"},
    ):
        ran = run_check(hipaa_safe_harbor, make_context(_people(), metadata=metadata))
        assert ran.status.value == "failed", metadata
        assert len(ran.findings) == 5, metadata
    said_no = make_context(_people(), metadata={"data_category": "health", "health_data": False})
    no = run_check(hipaa_safe_harbor, said_no)
    assert no.status.value == "skipped"
    assert no.detail == (
        "HIPAA Safe Harbor applies to health data only, and the audit's metadata sets "
        "health_data: false"
    )
    # the option overrides the metadata either way
    assert run_check(hipaa_safe_harbor, said_no, {"health_data": True}).status.value == "failed"
    off = run_check(
        hipaa_safe_harbor, make_context(_people(), metadata={"sector": "health"}),
        {"health_data": False},
    )  # fmt: skip
    assert off.detail == (
        "HIPAA Safe Harbor applies to health data only, and the policy sets PII008 "
        "health_data: false"
    )
    # an unrelated sector or category does not turn it on
    for metadata in ({"sector": "hiring"}, {"data_category": "wealth"}):
        other = run_check(hipaa_safe_harbor, make_context(_people(), metadata=metadata))
        assert other.status.value == "skipped", metadata


def test_special_category_declared_for_bias_testing_is_low() -> None:
    """A special category the audit declared as a sensitive attribute is expected: reported as
    processed for bias testing (low, with its legal basis), not as a blocker; an undeclared one
    stays high; a declared one the model also uses is high again."""
    df = _people()
    df["ethnicity"] = [["White", "Black", "Asian", "Hispanic"][i % 4] for i in range(len(df))]
    declared = run_check(special_categories, make_context(df, sensitive=["ethnicity"]))
    by_col = {f.location: f for f in declared.findings}
    eth = by_col["column:ethnicity"]
    assert eth.severity.label == "low"
    assert eth.evidence["declared_for_bias_testing"] is True
    assert eth.evidence["model_feature"] is False
    assert eth.message == (
        "Column 'ethnicity' holds racial or ethnic origin, a special category of personal data "
        "(GDPR Art. 9(1)); it is declared for bias testing, which needs a legal basis (GDPR Art. "
        "9(2)(g); for high-risk AI systems EU AI Act Art. 10(5)) and safeguards."
    )
    assert "EU AI Act Art. 10(5)" in eth.recommendation
    assert "keep 'ethnicity' out of the model's features" in eth.recommendation
    diag = by_col["column:diagnosis"]  # not declared: high, as before
    assert diag.severity.label == "high"
    assert diag.evidence["declared_for_bias_testing"] is False
    assert diag.message == (
        "Column 'diagnosis' holds data concerning health, a special category of personal data "
        "(GDPR Art. 9(1)); processing it is prohibited unless an exception of GDPR Art. 9(2) "
        "applies."
    )
    assert "sensitive: [diagnosis]" in diag.recommendation
    table = {
        r["column"]: r["declared_for_bias_testing"] for r in declared.tables["special_categories"]
    }
    assert table == {"diagnosis": False, "ethnicity": True}
    used = run_check(
        special_categories, make_context(df, sensitive=["ethnicity"], features=["ethnicity", "age"])
    )
    eth_used = next(f for f in used.findings if f.location == "column:ethnicity")
    assert (
        eth_used.severity.label == "high"
    )  # the model uses it: bias testing does not justify that
    assert eth_used.evidence["model_feature"] is True
    assert "also uses it as a feature" in eth_used.message


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


def test_categorical_words_that_are_names_are_not_person() -> None:
    n = 120
    df = pd.DataFrame(
        {
            "color": [["White", "Black", "Brown", "Green"][i % 4] for i in range(n)],
            "month": [["April", "May", "June"][i % 3] for i in range(n)],
            "brand": [["Ford", "Dell"][i % 2] for i in range(n)],
            "weekday": [["Monday", "Tuesday", "Friday"][i % 3] for i in range(n)],
            "race": [["White", "Black", "Asian"][i % 3] for i in range(n)],
            "ethnicity": [["Hispanic", "White", "Black"][i % 3] for i in range(n)],
            "first_name": [["James", "Mary", "Robert", "Linda", "May", "June"][i % 6] for i in range(n)],
        }
    )  # fmt: skip
    ctx = make_context(df)
    rows = {r["column"]: r for r in run_check(pii_columns, ctx).tables["columns"]}
    for col in ("color", "month", "brand", "weekday"):
        assert (rows[col]["kind"], rows[col]["entity_types"], rows[col]["masked_examples"]) == (
            "none",
            [],
            [],
        ), col
    for col in ("race", "ethnicity"):
        assert rows[col]["kind"] == "special_category"
        assert rows[col]["entity_types"] == ["RACIAL_OR_ETHNIC_ORIGIN"]
        assert rows[col]["masked_examples"] == []
        assert "HIPAA 164.514(b)(2)(i)(A)" not in rows[col]["regulations"]
    # a column named for first names keeps lone first names (May and June included)
    assert rows["first_name"]["entity_types"] == ["PERSON"]
    assert rows["first_name"]["hits"] == n
    sh = run_check(hipaa_safe_harbor, ctx, {"health_data": True})
    names = next(r for r in sh.tables["safe_harbor"] if r["item"] == "A")
    assert names["columns"] == ["first_name"]


def test_person_name_column_without_gazetteer_names_by_structure() -> None:
    # names in none of the lexicons (census, CJK, Russian, Faker lists)
    outside = ["Batbayar Ganbold", "Tserendorj Enkhbat", "Nurlan Seitkali"]
    df = pd.DataFrame({"customer_name": outside * 20, "item_label": outside * 20})
    rows = {r["column"]: r for r in run_check(pii_columns, make_context(df)).tables["columns"]}
    row = rows["customer_name"]
    assert (row["kind"], row["entity_types"], row["score"]) == (
        "direct_identifier",
        ["PERSON"],
        0.6,
    )
    assert row["evidence"]["structure"]["reason"] == "1-4 capitalised words per value"
    assert row["likelihood"] == "LIKELY"
    assert rows["item_label"]["kind"] == "none"  # the shape alone, without the name, is not PII


def test_special_category_names_need_values_shaped_like_the_attribute() -> None:
    n = 60
    df = pd.DataFrame(
        {
            "race_time": [12.3 + i * 0.71 for i in range(n)],
            "race_id": [f"R{i:05d}" for i in range(n)],
            "prison_capacity": [100 + i * 13 for i in range(n)],
            "eu_union_member_state": [["France", "Germany", "Italy", "Spain"][i % 4] for i in range(n)],
            "faith_score": [round(i * 0.013, 3) for i in range(n)],
            "jail_break_game_level": [i % 30 for i in range(n)],
            "is_union_member": [i % 3 == 0 for i in range(n)],
            "religion_code": [i % 5 for i in range(n)],
            "bmi": [18.5 + (i % 17) * 0.9 for i in range(n)],
        }
    )  # fmt: skip
    ctx = make_context(df)
    rows = {r["column"]: r for r in run_check(pii_columns, ctx).tables["columns"]}
    kinds = {c: r["kind"] for c, r in rows.items()}
    assert kinds == {
        "race_time": "none", "race_id": "none", "prison_capacity": "none",
        "eu_union_member_state": "none", "faith_score": "none", "jail_break_game_level": "none",
        "is_union_member": "special_category", "religion_code": "special_category",
        "bmi": "special_category",
    }  # fmt: skip
    assert rows["faith_score"]["evidence"]["special_category"]["reason"] == (
        "continuous numbers, not categories"
    )
    assert rows["is_union_member"]["evidence"]["special_category"]["reason"] == "a yes/no flag"
    sp = run_check(special_categories, ctx)
    assert sorted(f.location for f in sp.findings) == [
        "column:bmi",
        "column:is_union_member",
        "column:religion_code",
    ]


def test_zip_codes_read_as_integers_are_zero_padded() -> None:
    zips = [2139, 501, 10001, 94110, 7030, 1810]  # 02139, 00501, ..., 07030, 01810
    df = pd.DataFrame({"zip": zips * 10, "zip_float": [float(z) for z in zips] * 10,
                       "quantity": zips * 10})  # fmt: skip
    df.loc[0, "zip_float"] = None
    rows = {r["column"]: r for r in run_check(pii_columns, make_context(df)).tables["columns"]}
    row = rows["zip"]
    assert (row["kind"], row["entity_types"], row["hits"], row["hit_rate"]) == (
        "quasi_identifier",
        ["US_ZIP"],
        60,
        1.0,
    )
    assert row["evidence"]["structure"]["reason"] == "40 ZIP codes read as numbers, zero-padded"
    assert row["masked_examples"] == ["0***", "1***", "9***"]
    assert rows["zip_float"]["entity_types"] == ["US_ZIP"]
    assert rows["zip_float"]["hits"] == 59
    assert rows["quantity"]["kind"] == "none"


def test_binary_columns_are_counted_and_face_images_are_safe_harbor_q() -> None:
    n = 20
    df = pd.DataFrame(
        {
            "face_image": [bytes([0, 255, 216, 255, i]) for i in range(n)],
            "attachment": [bytes([0, 1, 2, i]) for i in range(n)],
            "email": [f"u{i}@example.com" for i in range(n)],
        }
    )
    ctx = make_context(df)
    res = run_check(pii_columns, ctx)
    scan = res.tables["scan"][0]
    assert scan["binary_cells"] == {"face_image": n, "attachment": n}
    info = [f for f in res.findings if f.discriminator == "binary-not-inspected"]
    assert len(info) == 1 and info[0].severity is not None
    assert info[0].severity.label == "info"
    assert info[0].evidence["binary_cells"] == {"face_image": n, "attachment": n}
    assert "'face_image' (20 cells)" in info[0].message
    rows = {r["column"]: r for r in res.tables["columns"]}
    assert rows["face_image"]["kind"] == "special_category"
    assert "HIPAA 164.514(b)(2)(i)(Q)" in rows["face_image"]["regulations"]
    assert rows["attachment"]["kind"] == "none"
    status = {
        r["item"]: r
        for r in run_check(hipaa_safe_harbor, ctx, {"health_data": True}).tables["safe_harbor"]
    }
    assert (status["Q"]["status"], status["Q"]["columns"]) == ("present", ["face_image"])
    assert (status["P"]["status"], status["P"]["columns"]) == ("present", ["face_image"])


def test_known_value_leakage_matches_punctuated_and_multi_token_values() -> None:
    phones = ["(415) 555-0132", "(212) 555-0147", "(646) 555-0199"]
    streets = [
        "742 Evergreen Terrace, Springfield",
        "221B Baker Street, London",
        "1 Main St, Apt 4",
    ]
    n = 30
    df = pd.DataFrame(
        {
            "phone": [phones[i % 3] for i in range(n)],
            "address": [streets[i % 3] for i in range(n)],
            "reply": [
                f"call {phones[0]} now" if i < 4
                else f"Shipped to {streets[0].upper()}." if i < 7
                else f"Address: {streets[1]}; phone 212 555 0147" if i == 7
                else "Your order has shipped."
                for i in range(n)
            ],
        }
    )  # fmt: skip
    ctx = make_context(df)
    leak = run_check(
        known_value_leakage,
        ctx,
        {"output_columns": ["reply"], "identifier_columns": ["phone", "address"]},
    )
    row = leak.tables["leakage"][0]
    assert row["rows_with_known_values"] == 8
    # "212 555 0147" is not "(212) 555-0147" verbatim: only the address of row 7 counts
    assert row["by_source_column"] == {"address": 4, "phone": 4}
    assert row["window_tokens"] == 5
    assert row["known_values"] == 6
    text = repr(leak)
    for raw in (*phones, *streets, "555-0132", "Evergreen"):
        assert raw not in text


def test_deny_list_and_custom_recognizer_reach_the_check() -> None:
    df = pd.DataFrame({"code": ["Bluebird", "Redwing"] * 10, "tag": ["PRJ-ALPHA"] * 20})
    res = run_check(
        pii_columns,
        make_context(df),
        {
            "deny_list": {"PROJECT": ["Bluebird"]},
            "custom_recognizers": [{"entity": "PROJECT_CODE", "pattern": r"\bPRJ-[A-Z]{4,}\b",
                                    "kind": "quasi"}],
        },
    )  # fmt: skip
    rows = {r["column"]: r for r in res.tables["columns"]}
    assert (rows["code"]["entity_types"], rows["code"]["hits"]) == (["PROJECT"], 10)
    assert rows["code"]["kind"] == "direct_identifier"  # 50 % hit rate, deny-list score 1.0
    assert (rows["tag"]["kind"], rows["tag"]["entity_types"]) == (
        "quasi_identifier",
        ["PROJECT_CODE"],
    )
    sev = {f.location: f.severity.label for f in res.findings if f.severity is not None}
    assert sev == {"column:code": "high", "dataset:quasi-identifiers": "low"}
