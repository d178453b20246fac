"""Each cross-check rule fed directly with numbers: claimed vs measured, tolerance, operators, CIs."""

from __future__ import annotations

import pytest

from auditor.transparency.claims import Item, check_fairness, check_metrics, measured_fairness
from auditor.transparency.claims_data import (
    check_dataset_hash,
    check_model_version,
    check_pii,
    check_sensitive,
    declared_terms,
)
from auditor.transparency.license import (
    check_license,
    deprecated_replacements,
    license_ids,
    validate_license,
)

OVERALL = {"accuracy": 0.861, "precision": 0.8, "tpr": 0.6, "f1": 0.7, "roc_auc": None}
GROUPS = [
    {"feature": "sex", "group": "F", "n": 60, "selection_rate": 0.25, "impact_ratio": 0.5, "tpr": 0.4, "fpr": 0.1},
    {"feature": "sex", "group": "M", "n": 60, "selection_rate": 0.5, "impact_ratio": 1.0, "tpr": 0.8, "fpr": 0.2},
    {"feature": "race", "group": "A", "n": 50, "selection_rate": 0.4, "impact_ratio": 1.0, "tpr": 0.7, "fpr": 0.2},
    {"feature": "race", "group": "B", "n": 50, "selection_rate": 0.34, "impact_ratio": 0.85, "tpr": 0.6, "fpr": 0.15},
]  # fmt: skip


def item(value, line=10):
    return Item(value, f"card:model_card.yaml:{line}", "key results.overall")


def test_metric_contradicted_with_both_values_and_location() -> None:
    [c] = check_metrics([item({"metric": "Accuracy", "value": 0.91})], [], OVERALL, [], 0.02)
    assert c.status == "contradicted"
    assert c.subject == "accuracy"
    assert c.claimed == 0.91
    assert c.measured == 0.861
    assert c.location == "card:model_card.yaml:10"
    assert c.evidence["difference"] == pytest.approx(-0.049)
    assert c.message == (
        "card claims accuracy 0.91 (card:model_card.yaml:10) but the audit measured 0.861: "
        "differs by -0.0490, beyond the tolerance 0.02"
    )


@pytest.mark.parametrize(
    ("row", "status"),
    [
        ({"metric": "accuracy", "value": 0.87}, "consistent"),  # within 0.02
        ({"metric": "accuracy", "value": 86.1}, "consistent"),  # percent
        ({"metric": "accuracy", "value": 0.9, "ci_low": 0.85, "ci_high": 0.95}, "consistent"),
        ({"metric": "accuracy", "value": 0.95, "ci_low": 0.9, "ci_high": 0.99}, "contradicted"),
        ({"metric": "recall", "value": 0.6}, "consistent"),  # synonym of tpr
        ({"metric": "F1 score", "value": 0.75}, "contradicted"),
        ({"metric": "roc_auc", "value": 0.9}, "unverifiable"),  # not measured (no scores)
        ({"metric": "bleu", "value": 30}, "unverifiable"),
    ],
)
def test_metric_rules(row: dict, status: str) -> None:
    [c] = check_metrics([item(row)], [], OVERALL, [], 0.02)
    assert c.status == status, c.message


def test_metric_percent_note_and_by_group() -> None:
    [c] = check_metrics([item({"metric": "accuracy", "value": 91})], [], OVERALL, [], 0.02)
    # the value is restated as the card wrote it; the number compared is kept in the evidence
    assert c.claimed == 91.0
    assert c.message.startswith(
        "card claims accuracy 91 (read as 91%) (card:model_card.yaml:10) but the audit measured 0.861"
    )
    assert c.evidence["claimed"] == 91.0
    assert c.evidence["claimed_fraction"] == 0.91
    assert c.evidence["difference"] == pytest.approx(-0.049)
    assert c.evidence["note"] == "read as a percentage"
    [ok] = check_metrics(
        [item({"metric": "f1", "value": 68.2, "ci_low": 66, "ci_high": 70})], [],
        {"f1": 0.6873}, [], 0.02,
    )  # fmt: skip
    assert ok.message == "card claims f1 68.2 (read as 68.2%); measured 0.6873: consistent"
    assert (ok.evidence["claimed_ci"], ok.evidence["claimed_ci_fraction"]) == (
        [66, 70],
        [0.66, 0.7],
    )
    claims = check_metrics(
        [],
        [
            item({"feature": "sex", "group": "F", "metric": "selection_rate", "value": 0.25}),
            item({"feature": "sex", "group": "F", "metric": "tpr", "value": 0.55}),
            item({"group": "B", "metric": "tpr", "value": 0.6}),  # unique group name
            item({"feature": "age", "group": "18-25", "metric": "tpr", "value": 0.6}),
        ],
        OVERALL,
        GROUPS,
        0.02,
    )
    assert [(c.subject, c.status, c.measured) for c in claims] == [
        ("selection_rate for sex=F", "consistent", 0.25),
        ("tpr for sex=F", "contradicted", 0.4),
        ("tpr for group B", "consistent", 0.6),
        ("tpr for age=18-25", "unverifiable", None),
    ]


def test_measured_fairness_definitions() -> None:
    assert measured_fairness("impact_ratio", GROUPS, "sex", None) == 0.5
    assert measured_fairness("impact_ratio", GROUPS, "race", "B") == 0.85
    assert measured_fairness("demographic_parity_ratio", GROUPS, "race", None) == pytest.approx(
        0.85
    )
    assert measured_fairness("demographic_parity_difference", GROUPS, "sex", None) == 0.25
    assert measured_fairness("equal_opportunity_difference", GROUPS, "sex", None) == pytest.approx(
        0.4
    )
    assert measured_fairness("equalized_odds_difference", GROUPS, "race", None) == pytest.approx(
        0.1
    )


def test_fairness_claims() -> None:
    claims = check_fairness(
        [
            item({"metric": "impact_ratio", "feature": "sex", "value": 0.8, "operator": ">="}),
            item({"metric": "disparate impact", "feature": "race", "value": 0.84}),
            item({"metric": "demographic_parity_difference", "feature": "sex", "value": 0.1}),
            item({"metric": "impact_ratio", "feature": "age", "value": 0.9}),
            item({"metric": "impact_ratio", "feature": "race", "value": 0.9, "operator": "<="}),
        ],
        GROUPS,
        0.02,
    )
    assert [(c.status, c.measured) for c in claims] == [
        ("contradicted", 0.5),
        ("consistent", 0.85),
        ("contradicted", 0.25),
        ("unverifiable", None),
        ("consistent", 0.85),
    ]
    assert claims[0].message.startswith(
        "card claims impact_ratio for sex >= 0.8 (card:model_card.yaml:10)"
    )
    assert claims[0].message.endswith("but the audit measured 0.5: the claim does not hold")


SCAN = [
    {"column": "email", "kind": "direct_identifier", "entity_types": ["EMAIL_ADDRESS"]},
    {"column": "zip", "kind": "quasi_identifier", "entity_types": ["US_ZIP"]},
    {"column": "Ethnicity", "kind": "special_category", "entity_types": ["RACE_ETHNICITY"]},
    {"column": "faith", "kind": "special_category", "entity_types": ["RELIGIOUS_OR_PHILOSOPHICAL_BELIEFS"]},
    {"column": "score", "kind": "none", "entity_types": []},
]  # fmt: skip


def test_pii_claims() -> None:
    [c] = check_pii([item(False, 31)], SCAN)
    assert c.status == "contradicted"
    assert [f["column"] for f in c.measured] == ["email", "Ethnicity", "faith"]
    assert "zip" not in c.message  # quasi-identifiers alone do not contradict "no personal data"
    assert check_pii([item(False)], SCAN[1:2] + SCAN[4:])[0].status == "consistent"
    assert check_pii([item(True)], SCAN)[0].status == "consistent"
    assert check_pii([item(True)], [])[0].status == "unverifiable"


def test_sensitive_claims() -> None:
    assert {"sex", "gender", "race", "ethnicity"} <= declared_terms(["Gender", "race/ethnicity"])
    [c] = check_sensitive([item(["gender"])], [], SCAN, ["sex"])
    assert c.status == "contradicted"
    assert c.measured == ["Ethnicity", "faith"]  # sex is covered by "gender"
    [ok] = check_sensitive([item(["sex", "race", "religion"])], [], SCAN, ["sex"])
    assert ok.status == "consistent"
    [none] = check_sensitive([], [item(False)], SCAN, [])
    assert none.status == "contradicted"
    assert none.claimed is False
    assert none.measured == ["Ethnicity", "faith"]


SHA = "4f1c" + "0" * 60


def test_dataset_hash_claims() -> None:
    def run(*claims):
        return [
            c.status
            for c in check_dataset_hash([(item({}), k, v) for k, v in claims], SHA, "d.csv")
        ]

    assert run(("sha256", SHA)) == ["consistent"]
    assert run(("sha256", SHA.upper()[:16])) == ["consistent"]  # abbreviated, labelled
    assert run(("revision", f"sha256:{SHA}")) == ["consistent"]
    assert run(("sha256", "9b0e" + "1" * 60)) == ["contradicted"]
    assert run(("revision", "v3")) == ["unverifiable"]
    assert run(("revision", "a" * 40)) == ["unverifiable"]  # a git commit, not a content hash
    assert run(("sha256", "9b0e" + "1" * 60), ("fingerprint", SHA)) == [
        "unverifiable",
        "consistent",
    ]
    [c] = check_dataset_hash([(item({}), "sha256", "9b0e" + "1" * 60)], SHA, "d.csv")
    assert c.measured == SHA
    assert "d.csv has sha256 4f1c" in c.message
    assert check_dataset_hash([(item({}), "sha256", SHA)], None, None)[0].status == "unverifiable"


def test_model_version_claims() -> None:
    art = {"version": "2.3", "version_source": "ONNX metadata_props[version]", "sha256": "ab" * 32,
           "path": "m.onnx"}  # fmt: skip
    [c] = check_model_version([item("2.1.0")], [], art)
    assert (c.status, c.claimed, c.measured) == ("contradicted", "2.1.0", "2.3")
    assert check_model_version([item("v2.3.0")], [], art)[0].status == "consistent"
    assert check_model_version([], [item("ab" * 32)], art)[0].status == "consistent"
    assert check_model_version([], [item("cd" * 32)], art)[0].status == "contradicted"
    assert check_model_version([item("2.1")], [], {})[0].status == "unverifiable"
    onnx_int = {"version": "3", "version_source": "ONNX model_version"}
    assert check_model_version([item("3.1")], [], onnx_int)[0].status == "consistent"


@pytest.mark.parametrize(
    ("value", "valid", "why"),
    [
        ("Apache-2.0", True, "SPDX id Apache-2.0"),
        ("mit", True, "SPDX id MIT"),
        ("MIT OR Apache-2.0", True, "SPDX expression MIT OR Apache-2.0"),
        ("GPL-2.0-or-later WITH Classpath-exception-2.0", True, "SPDX expression"),
        ("llama3", True, "Hugging Face Hub license id llama3"),
        ("Apach-2.0", False, "'Apach-2.0' is not an SPDX license id (did you mean 'Apache-2.0'?)"),
        ("MIT AND", False, "expression ends with an operator"),
        ("(MIT", False, "unbalanced parentheses: '(' without a matching ')'"),
        ("MIT)", False, "unbalanced parentheses: ')' without a matching '('"),
        ("(MIT OR Apache-2.0) AND BSD-3-Clause", True, "SPDX expression"),
        ("((MIT OR Apache-2.0)", False, "unbalanced parentheses: '(' without a matching ')'"),
        ("MIT Apache-2.0", False, "missing AND/OR before 'Apache-2.0'"),
        ("MIT WITH Foo-exception", False, "'Foo-exception' is not an SPDX license exception"),
        ("GPL-3.0+", True, "SPDX id GPL-3.0+ (deprecated SPDX id; use GPL-3.0-or-later)"),
        ("GPL-3.0", True, "SPDX id GPL-3.0 (deprecated SPDX id; use GPL-3.0-only)"),
        (
            "GPL-2.0-with-classpath-exception",
            True,
            "SPDX id GPL-2.0-with-classpath-exception (deprecated SPDX id; use GPL-2.0-only WITH "
            "Classpath-exception-2.0)",
        ),
        (
            "MIT OR LGPL-2.1+",
            True,
            "SPDX expression MIT OR LGPL-2.1+ (LGPL-2.1+: deprecated SPDX id; use LGPL-2.1-or-later)",
        ),
        ("other", False, "license 'other' needs a name and a link"),
        ("LicenseRef-acme", False, "a LicenseRef- id is custom"),
        (
            {"id": "other", "name": "Acme EULA", "link": "https://acme.example/eula"},
            True,
            "custom license",
        ),
        ({"id": "LicenseRef-acme", "link": "https://acme.example/l"}, True, "custom license"),
        ({"name": "Acme EULA"}, False, "a custom license needs a name or text and a link"),
    ],
)
def test_license_validation(value: object, valid: bool, why: str) -> None:
    ok, text = validate_license(value)
    assert ok is valid
    assert text.startswith(why)


def test_every_deprecated_id_hint_names_real_ids() -> None:
    ids, replacements = license_ids(), deprecated_replacements()
    deprecated = {k for k, (_, dep) in ids.items() if dep}
    assert set(replacements) == deprecated - {"net-snmp"}  # Net-SNMP has no single replacement
    for old, new in replacements.items():
        license_id, _, exception = new.partition(" WITH ")
        assert license_id.lower() in ids and not ids[license_id.lower()][1], old
        assert validate_license(new) == (
            True,
            f"SPDX {'expression' if exception else 'id'} {new}",
        ), old
    assert replacements["gpl-3.0+"] == "GPL-3.0-or-later"
    assert replacements["wxwindows"] == "LGPL-2.0-or-later WITH WxWindows-exception-3.1"


def test_model_card_toolkit_slices_written_feature_value() -> None:
    rows = [*GROUPS, {"feature": "race_ethnicity", "group": "Black or African American", "n": 30,
                      "selection_rate": 0.2, "tpr": 0.31}]  # fmt: skip
    claims = check_metrics([], [
        item({"feature": None, "group": "sex_F", "metric": "selection_rate", "value": 0.25}),
        item({"feature": None, "group": "race_ethnicity_Black or African American", "metric": "tpr",
              "value": 0.55}),
        item({"feature": None, "group": "sex_X", "metric": "tpr", "value": 0.5}),
    ], OVERALL, rows, 0.02)  # fmt: skip
    assert [(c.status, c.measured) for c in claims] == [
        ("consistent", 0.25), ("contradicted", 0.31), ("unverifiable", None),
    ]  # fmt: skip
    assert (claims[1].evidence["feature"], claims[1].evidence["group"]) == (
        "race_ethnicity", "Black or African American",
    )  # fmt: skip
    [ratio] = check_fairness(
        [item({"metric": "impact_ratio", "feature": "sex_F", "value": 0.5})], rows, 0.02
    )
    assert (ratio.status, ratio.measured) == ("consistent", 0.5)  # sex=F's own ratio


def test_license_prose_is_read_leniently() -> None:
    prose = Item("Apache 2.0", "card:README.md:39", "'license:' bullet")
    assert check_license([], [prose])[0].status == "consistent"
    strict = Item("Apache 2.0", "card:README.md:2", "front matter: license")
    [c] = check_license([strict])
    assert c.status == "contradicted"
    assert "did you mean 'Apache-2.0'" in c.message


def test_unusable_claims_are_listed_not_dropped() -> None:
    [m] = check_metrics([item({"metric": "accuracy", "value": "high"})], [], OVERALL, [], 0.02)
    assert (m.status, m.message) == (
        "unverifiable",
        "card claims accuracy = high; cannot verify: the claimed value 'high' is not a number",
    )
    claims = check_fairness(
        [
            item({"metric": "impact_ratio", "feature": "sex", "value": [0.8]}),
            item({"metric": "impact_ratio", "feature": "sex", "value": 0.5, "operator": "~"}),
        ],
        GROUPS,
        0.02,
    )
    assert [c.status for c in claims] == ["unverifiable", "unverifiable"]
    assert claims[1].message.endswith("unknown operator '~' (use ==, >=, <=, > or <)")


INTERSECTIONS = [
    *GROUPS,
    {"feature": "sex×race", "group": "F×A", "n": 30, "selection_rate": 0.3, "impact_ratio": 0.6, "tpr": 0.5, "fpr": 0.1},
    {"feature": "sex×race", "group": "F×B", "n": 30, "selection_rate": 0.2, "impact_ratio": 0.4, "tpr": 0.3, "fpr": 0.1},
    {"feature": "sex×race", "group": "M×A", "n": 30, "selection_rate": 0.5, "impact_ratio": 1.0, "tpr": 0.8, "fpr": 0.2},
]  # fmt: skip


def test_intersectional_claims_in_any_spelling() -> None:
    """``race x sex`` / ``[sex, race]`` / ``sex & race`` name the table's ``sex×race``; the group
    is matched part by part in the claim's own feature order."""
    claims = check_metrics(
        [],
        [
            item({"feature": "sex×race", "group": "F×B", "metric": "selection_rate", "value": 0.2}),
            item(
                {
                    "feature": "race x sex",
                    "group": "B, F",
                    "metric": "selection_rate",
                    "value": 0.35,
                }
            ),
            item(
                {
                    "feature": ["sex", "race"],
                    "group": {"race": "A", "sex": "M"},
                    "metric": "tpr",
                    "value": 0.8,
                }
            ),
            item(
                {"feature": "sex & race", "group": "M×B", "metric": "tpr", "value": 0.8}
            ),  # no such row
        ],
        OVERALL,
        INTERSECTIONS,
        0.02,
    )
    assert [(c.status, c.measured) for c in claims] == [
        ("consistent", 0.2),
        ("contradicted", 0.2),
        ("consistent", 0.8),
        ("unverifiable", None),
    ]
    [lowest] = check_fairness(
        [item({"metric": "impact_ratio", "feature": "race × sex", "value": 0.8, "operator": ">="})],
        INTERSECTIONS,
        0.02,
    )
    assert (lowest.status, lowest.measured) == ("contradicted", 0.4)


def test_headlines_are_plain_sentences_with_their_numbers() -> None:
    """A contradicted claim leads with a plain sentence (the n behind the measurement); the
    technical reading stays in ``message`` (the finding's detail)."""
    [overall] = check_metrics(
        [item({"metric": "Accuracy", "value": 0.91})], [], OVERALL, [], 0.02, rows=2000
    )
    assert overall.headline == (
        "The model card claims an accuracy of 0.91; the audit measured 0.861 on 2,000 rows "
        "(tolerance 0.02)."
    )
    assert overall.relates_to == ()
    [pct] = check_metrics([item({"metric": "accuracy", "value": 91})], [], OVERALL, [], 0.02)
    assert pct.headline == (
        "The model card claims an accuracy of 91%; the audit measured 0.861 (tolerance 0.02)."
    )
    [ci] = check_metrics(
        [item({"metric": "accuracy", "value": 0.95, "ci_low": 0.9, "ci_high": 0.99})],
        [], OVERALL, [], 0.02, rows=120,
    )  # fmt: skip
    assert ci.headline == (
        "The model card claims an accuracy of 0.95 (interval 0.9–0.99); the audit measured "
        "0.861 on 120 rows, outside that interval (tolerance 0.02)."
    )
    groups = [{**g, "base_rate": 0.5, "selected": 15, "reference_group": "M" if g["feature"] == "sex"
               else "A"} for g in GROUPS]  # fmt: skip
    [tpr] = check_metrics(
        [], [item({"feature": "sex", "group": "F", "metric": "tpr", "value": 0.55})],
        OVERALL, groups, 0.02,
    )  # fmt: skip
    assert tpr.headline == (
        "The model card claims a true positive rate (recall) of 0.55 for the F group (sex); the "
        "audit measured 0.4 on the 30 rows of that group with a positive label (tolerance 0.02)."
    )
    assert tpr.relates_to == ("feature:sex",)
    [ratio, gap] = check_fairness(
        [
            item({"metric": "impact_ratio", "feature": "sex", "value": 0.8, "operator": ">="}),
            item({"metric": "demographic_parity_difference", "feature": "Sex", "value": 0.1}),
        ],
        groups,
        0.02,
    )
    assert ratio.headline == (
        "The model card claims an impact ratio of at least 0.8 for sex; the audit measured 0.5 "
        "for the F group against the M group (60 and 60 rows)."
    )
    assert ratio.relates_to == ("feature:sex",)
    assert gap.headline == (
        "The model card claims a demographic parity difference of 0.1 for sex; the audit "
        "measured 0.25 across 2 groups (120 rows) (tolerance 0.02)."
    )
    assert gap.relates_to == ("feature:sex",)  # spelled as the audit's group table spells it
    # an intersection relates to the fairness findings' location of that intersection
    [lowest] = check_fairness(
        [item({"metric": "impact_ratio", "feature": "race x sex", "value": 0.8, "operator": ">="})],
        INTERSECTIONS, 0.02,
    )  # fmt: skip
    assert lowest.relates_to == ("feature:sex×race",)
    # numbers that would print alike get more digits
    [close] = check_fairness(
        [item({"metric": "impact_ratio", "feature": "race", "value": 0.8504, "operator": ">="})],
        GROUPS, 0.02,
    )  # fmt: skip
    assert "at least 0.8504" in close.headline and "measured 0.85 " in close.headline


def test_data_claim_headlines_and_links() -> None:
    [pii] = check_pii([item(False, 31)], SCAN)
    assert pii.headline == (
        "The model card says the data contains no personal data, but the audit found personal "
        "data in 3 columns: email, Ethnicity and faith."
    )
    assert pii.relates_to == ("column:email", "column:Ethnicity", "column:faith")
    sheet = Item(False, "datasheet:sheet.md:4", "datasheet composition")
    assert check_pii([sheet], SCAN)[0].headline.startswith("The datasheet says the data")
    [sens] = check_sensitive([item(["gender"])], [], SCAN, ["sex", "faith"])
    assert sens.headline == (
        "The model card declares gender as its sensitive attribute, but the data also holds "
        "Ethnicity (race ethnicity) and faith (religious or philosophical beliefs; tested for "
        "bias by this audit), which the model card does not declare."
    )
    assert sens.relates_to == ("column:Ethnicity", "column:faith")
    [none] = check_sensitive([], [item(False)], SCAN, [])
    assert none.headline == (
        "The model card says the data holds no sensitive data, but the audit found 2 sensitive "
        "columns: Ethnicity (race ethnicity) and faith (religious or philosophical beliefs)."
    )
    assert none.relates_to == ("column:Ethnicity", "column:faith")
    [ds] = check_dataset_hash([(item({}), "sha256", "9b0e" + "1" * 60)], SHA, "data/d.csv")
    assert ds.headline == (
        "The model card names an evaluation dataset with fingerprint 9b0e11111111…, but the "
        "audited data (d.csv) has fingerprint 4f1c00000000…: the results it reports were not "
        "measured on the data that was audited."
    )
    art = {"version": "2.3", "version_source": "config metadata.model_version"}
    [ver] = check_model_version([item("2.1.0")], [], art)
    assert ver.headline == (
        "The model card describes model version 2.1.0, but the audited model is version 2.3 (as "
        "recorded in the audit config's metadata.model_version)."
    )
    [lic] = check_license([item("Apache 2")])
    assert lic.headline.startswith(
        "The model card's license 'Apache 2' is not a recognised license (an SPDX or Hugging Face "
        "license id, or custom terms with a link), so readers cannot tell on what terms they may "
        "use the model: 'Apache' is not an SPDX license id (did you mean 'Apache-2.0'?)"
    )
