"""The regulators' worked examples, reproduced from their counts (fairness.md §3.4-3.6)."""

from __future__ import annotations

import pandas as pd
import pytest
from fair_data import rows_from_counts

from auditor.checks.fair_ll144 import ll144_bias_audit
from auditor.checks.fair_selection import selection_rate_parity
from auditor.testing import make_context, run_check

# DCWP rule, example under 6 RCNY §5-301(b): intersectional counts (sex table = its marginal)
INTERSECTIONAL = [
    ("Male", "Hispanic or Latino", 205, 90),
    ("Female", "Hispanic or Latino", 190, 82),
    ("Male", "White", 412, 215),
    ("Male", "Black or African American", 226, 95),
    ("Male", "Native Hawaiian or Pacific Islander", 87, 37),
    ("Male", "Asian", 321, 167),
    ("Male", "Native American or Alaska Native", 24, 11),
    ("Male", "Two or More Races", 115, 52),
    ("Female", "White", 385, 197),
    ("Female", "Black or African American", 164, 75),
    ("Female", "Native Hawaiian or Pacific Islander", 32, 15),
    ("Female", "Asian", 295, 135),
    ("Female", "Native American or Alaska Native", 17, 7),
    ("Female", "Two or More Races", 98, 44),
]
# the race table of the same example (it does not agree with the intersection: test it alone)
RACE = [
    ("Hispanic or Latino", 408, 204),
    ("White", 797, 412),
    ("Black or African American", 390, 170),
    ("Native Hawaiian or Pacific Islander", 119, 52),
    ("Asian", 616, 302),
    ("Native American or Alaska Native", 41, 18),
    ("Two or More Races", 213, 96),
]


def _table(result, feature: str) -> dict[str, dict]:
    return {r["group"]: r for r in result.tables["groups"] if r["feature"] == feature}


@pytest.fixture(scope="module")
def dcwp_result():
    df = rows_from_counts(INTERSECTIONAL, ["sex", "race"])
    unknown = pd.DataFrame(
        {"sex": ["unknown"] * 100 + [None] * 150, "race": ["White"] * 100 + [None] * 150,
         "selected": [0] * 250}
    )  # fmt: skip
    df = pd.concat([df, unknown], ignore_index=True)
    ctx = make_context(
        df, prediction="selected", sensitive=["sex", "race"],
        metadata={"audit_date": "2026-03-01", "data_source": "historical applicant data 2025",
                  "data_explanation": "applicants to NYC roles, 2025", "distribution_date": "2024-01-15"},
    )  # fmt: skip
    return run_check(
        ll144_bias_audit, ctx, {"n_boot": 200}, today=pd.Timestamp("2026-06-01").date()
    )


def test_dcwp_sex_table(dcwp_result) -> None:
    sex = _table(dcwp_result, "sex")
    assert (sex["Male"]["n"], sex["Male"]["selected"]) == (1390, 667)
    assert (sex["Female"]["n"], sex["Female"]["selected"]) == (1181, 555)
    assert sex["Male"]["impact_ratio"] == 1.0
    assert sex["Male"]["status"] == "reference"
    assert sex["Female"]["impact_ratio"] == pytest.approx((555 / 1181) / (667 / 1390), abs=1e-15)
    assert round(sex["Female"]["impact_ratio"], 2) == 0.98
    assert round(sex["Female"]["selection_rate"], 2) == 0.47
    assert sex["(missing)"]["n"] == 250
    assert sex["(missing)"]["excluded"] is True


def test_dcwp_intersectional_table(dcwp_result) -> None:
    both = _table(dcwp_result, "sex×race")
    expected = {
        "Male×Hispanic or Latino": (0.439, 0.841),
        "Female×Hispanic or Latino": (0.432, 0.827),
        "Male×White": (0.522, 1.000),
        "Male×Black or African American": (0.420, 0.806),
        "Male×Native Hawaiian or Pacific Islander": (0.425, 0.815),
        "Male×Asian": (0.520, 0.997),
        "Male×Native American or Alaska Native": (0.458, 0.878),
        "Male×Two or More Races": (0.452, 0.866),
        "Female×White": (0.512, 0.981),
        "Female×Black or African American": (0.457, 0.876),
        "Female×Native Hawaiian or Pacific Islander": (0.469, 0.898),
        "Female×Asian": (0.458, 0.877),
        "Female×Native American or Alaska Native": (0.412, 0.789),
        "Female×Two or More Races": (0.449, 0.860),
    }
    for group, (sr, ir) in expected.items():
        assert round(both[group]["selection_rate"], 3) == sr, group
        assert round(both[group]["impact_ratio"], 3) == ir, group
    flagged = [g for g, r in both.items() if r["status"] == "below_eeoc_four_fifths"]
    assert flagged == ["Female×Native American or Alaska Native"]
    note = both["Female×Native American or Alaska Native"]["note"]
    assert "EEOC four-fifths reference" in note
    assert "LL144 itself sets no threshold" in note
    assert both["Female×White"]["status"] == "reported"  # no pass/fail wording in LL144 tables
    # one finding for the intersection names the flagged category; 17 people is below the
    # reference rule's 30, so its evidence is inconclusive (it is flagged all the same: LL144
    # reports every category)
    (flag,) = [f for f in dcwp_result.findings if f.location == "feature:sex×race"]
    assert flag.severity.label == "low"
    assert [g["group"] for g in flag.evidence["groups"]] == [
        "Female×Native American or Alaska Native"
    ]
    assert flag.evidence["groups"][0]["evidence"] == "inconclusive"
    assert flag.message.startswith(
        "Native American or Alaska Native women are selected at 79% of White men's rate"
    )
    assert "below the EEOC four-fifths reference (80%)" in flag.message


def test_dcwp_unknown_count_and_summary(dcwp_result) -> None:
    summary = {r["field"]: r for r in dcwp_result.tables["ll144_summary"]}
    assert summary["unknown_category"]["value"] == 250
    assert summary["unknown_category.sex"]["value"] == 250
    assert summary["unknown_category.race"]["value"] == 150
    assert summary["assessed_individuals"]["value"] == 2571 + 250
    assert summary["audit_date"] == {
        "field": "audit_date",
        "value": "2026-03-01",
        "source": "metadata.audit_date",
    }
    assert summary["distribution_date"]["value"] == "2024-01-15"
    # only the low-severity four-fifths flag; every summary field is present and the audit is fresh
    assert [(f.location, f.discriminator) for f in dcwp_result.findings] == [
        ("feature:sex×race", "parity")
    ]


def test_dcwp_missing_summary_fields_are_findings() -> None:
    """Each §5-303 field the published summary needs and the run lacks is a finding naming it,
    the explanation of the data included (the summary itself is refused without them)."""
    df = rows_from_counts(RACE, ["race"])
    ctx = make_context(df, prediction="selected", sensitive=["race"],
                       metadata={"data_source": "ATS export"})  # fmt: skip
    res = run_check(ll144_bias_audit, ctx, {"n_boot": 0})
    missing = sorted(f.location for f in res.findings if f.location.startswith("ll144:"))
    assert missing == ["ll144:audit_date", "ll144:data_explanation", "ll144:distribution_date"]
    expl = next(f for f in res.findings if f.location == "ll144:data_explanation")
    assert expl.message == (
        "The LL144 bias-audit summary cannot be published: the explanation of the data is not "
        "given (6 RCNY §5-303 requires it)."
    )
    # test data: the explanation of the test data may come from the metadata as well
    test = make_context(df, prediction="selected", sensitive=["race"], metadata={
        "audit_date": "2026-01-01", "data_source": "x", "data_explanation": "y",
        "distribution_date": "2025-01-01", "test_data_explanation": "no history yet"})  # fmt: skip
    res = run_check(ll144_bias_audit, test, {"n_boot": 0, "data_type": "test"})
    assert not [f for f in res.findings if f.location.startswith("ll144:")]
    row = next(r for r in res.tables["ll144_summary"] if r["field"] == "test_data_explanation")
    assert (row["value"], row["source"]) == ("no history yet", "metadata.test_data_explanation")


def test_dcwp_race_table_alone() -> None:
    df = rows_from_counts(RACE, ["race"])
    ctx = make_context(df, prediction="selected", sensitive=["race"])
    res = run_check(ll144_bias_audit, ctx, {"n_boot": 0, "audit_date": "2026-01-01"})
    race = _table(res, "race")
    expected = {
        "Hispanic or Latino": 0.97, "White": 1.00, "Black or African American": 0.84,
        "Native Hawaiian or Pacific Islander": 0.85, "Asian": 0.95,
        "Native American or Alaska Native": 0.85, "Two or More Races": 0.87,
    }  # fmt: skip
    for group, ir in expected.items():
        assert round(race[group]["impact_ratio"], 2) == ir, group
    assert race["Black or African American"]["impact_ratio"] == pytest.approx(0.8432, abs=1e-4)
    assert race["White"]["reference_group"] == "White"


def test_dcwp_two_percent_exclusion_needs_and_shows_justification() -> None:
    df = rows_from_counts(RACE, ["race"])
    ctx = make_context(df, prediction="selected", sensitive=["race"])
    from auditor.errors import ConfigError

    with pytest.raises(ConfigError, match="exclusion_justification"):
        run_check(ll144_bias_audit, ctx, {"exclude_below_share": 0.02})
    res = run_check(
        ll144_bias_audit, ctx,
        {"exclude_below_share": 0.02, "exclusion_justification": "41 applicants: too few for a stable ratio", "n_boot": 0},
    )  # fmt: skip
    na = _table(res, "race")["Native American or Alaska Native"]
    assert na["excluded"] is True
    assert na["status"] == "excluded"
    assert na["impact_ratio"] is None
    assert (na["n"], na["selected"]) == (41, 18)  # still reported
    assert "41 applicants: too few" in na["note"]
    assert "1.59%" in na["note"]
    summary = {r["field"]: r["value"] for r in res.tables["ll144_summary"]}
    assert summary["excluded_from_impact_ratio"] == ["race=Native American or Alaska Native"]


def test_dcwp_scoring_example() -> None:
    # counts above the median (fairness.md §3.5); scores 1 above, 0 below, so the median is 0.5
    sex = rows_from_counts([("Male", 92, 50), ("Female", 76, 34)], ["sex"], "score")
    ctx = make_context(sex.astype({"score": float}), score="score", sensitive=["sex"])
    res = run_check(ll144_bias_audit, ctx, {"n_boot": 0, "audit_date": "2026-01-01"})
    table = _table(res, "sex")
    assert table["Female"]["above_median"] == 34
    assert "selected" not in table["Female"]
    assert round(table["Male"]["scoring_rate"], 3) == 0.543
    assert round(table["Female"]["scoring_rate"], 3) == 0.447
    assert round(table["Female"]["impact_ratio"], 2) == 0.82
    summary = {r["field"]: r["value"] for r in res.tables["ll144_summary"]}
    assert summary["output"] == "scoring"
    assert summary["score_quantile_0.5"] == 0.5

    race = rows_from_counts(
        [("Hispanic or Latino", 28, 18), ("White", 40, 15), ("Black", 32, 16), ("NHPI", 8, 5), ("Asian", 24, 10)],
        ["race"], "score",
    )  # fmt: skip
    ctx = make_context(race.astype({"score": float}), score="score", sensitive=["race"])
    # the DCWP example divides by the most selected category whatever its size (Hispanic or
    # Latino, 28 people): min_group_size 0 is that literal rule (the default, 30, keeps the
    # reference the same as in the main report's checks)
    literal = run_check(ll144_bias_audit, ctx, {"n_boot": 0, "min_group_size": 0})
    table = _table(literal, "race")
    got = {g: round(r["impact_ratio"], 2) for g, r in table.items()}
    assert got == {
        "Hispanic or Latino": 1.0,
        "White": 0.58,
        "Black": 0.78,
        "NHPI": 0.97,
        "Asian": 0.65,
    }
    assert (
        int(table["Hispanic or Latino"]["scoring_rate"] * 1000) / 1000 == 0.642
    )  # printed truncated
    # with the default rule the reference is the highest-rate category of at least 30 people:
    # Black (16 of 32 above the median), stated in the table's reference_group column
    default = _table(run_check(ll144_bias_audit, ctx, {"n_boot": 0}), "race")
    assert {r["reference_group"] for r in default.values() if not r["excluded"]} == {"Black"}
    assert round(default["Hispanic or Latino"]["impact_ratio"], 2) == 1.29


@pytest.mark.parametrize(
    ("k", "ratio", "status"), [(45, 0.75, "fail"), (48, 0.80, "pass"), (51, 0.85, "pass")]
)
def test_ugesp_four_fifths_boundary(k: int, ratio: float, status: str) -> None:
    df = rows_from_counts([("White", 100, 60), ("Other", 100, k)], ["race"])
    ctx = make_context(df, prediction="selected", sensitive=["race"])
    # the four-fifths rule decides on the point estimate (the eeoc-four-fifths pack's setting)
    opts = {"n_boot": 0, "min_group_size": 0, "decide_on": "estimate",
            "thresholds": {"demographic_parity_difference": None}}  # fmt: skip
    res = run_check(selection_rate_parity, ctx, opts)
    row = _table(res, "race")["Other"]
    assert row["impact_ratio"] == ratio  # exact: 48/100 over 60/100 is 0.8, not 0.7999999999999999
    assert row["status"] == status
    blocking = [f for f in res.findings if f.severity.label == "high"]
    assert [f.location for f in blocking] == (["feature:race"] if status == "fail" else [])


def test_ugesp_boundary_on_evidence_is_inconclusive() -> None:
    """45 of 100 against 60 of 100 (ratio 0.75) is below four fifths on the estimate, but the
    Farrington-Manning test of ratio < 0.8 does not reject (p = 0.32): under the default
    decide_on: evidence it is inconclusive, reported at low severity, and says what would
    settle it."""
    df = rows_from_counts([("White", 100, 60), ("Other", 100, 45)], ["race"])
    ctx = make_context(df, prediction="selected", sensitive=["race"])
    res = run_check(selection_rate_parity, ctx, {"n_boot": 0, "min_group_size": 0})
    row = _table(res, "race")["Other"]
    assert (row["status"], row["evidence"]) == ("inconclusive", "inconclusive")
    assert row["p_threshold"] == pytest.approx(0.31853, abs=1e-5)
    (finding,) = res.findings
    assert finding.severity.label == "low"
    assert finding.evidence_level.value == "inconclusive"
    assert finding.message.startswith(
        "The Other group is selected at 75% of the White group's rate (45.0% vs 60.0%; "
        "100 in the Other group, 100 in the White group)"
    )
    assert "(not blocking)" in finding.message
    group = finding.evidence["groups"][0]
    # the reference group is small too: more rows of the group alone cannot settle it
    assert group["would_settle"] == (
        "about 28 times as many people in this group and its reference (the reference group is "
        "small too)"
    )


def test_ugesp_example_all_groups_under_the_eeoc_pack() -> None:
    import auditor

    df = rows_from_counts(
        [
            ("White", 100, 60),
            ("American Indian", 100, 45),
            ("Hispanic", 100, 48),
            ("Black", 100, 51),
        ],
        ["race"],
    )
    rep = auditor.audit(df, prediction="selected", sensitive=["race"], policy="eeoc-four-fifths")
    res = rep.result("FAIR001")
    table = _table(res, "race")
    assert {g: r["status"] for g, r in table.items()} == {
        "American Indian": "fail", "Black": "pass", "Hispanic": "pass", "White": "reference",
    }  # fmt: skip
    # the pack decides on the point estimate (29 CFR 1607.4(D)); the evidence is stated anyway
    (finding,) = res.findings
    assert finding.location == "feature:race"
    assert [g["group"] for g in finding.evidence["groups"]] == ["American Indian"]
    assert finding.evidence["decided_on"] == "estimate"
    assert finding.evidence["groups"][0]["evidence"] == "inconclusive"
    assert finding.severity.label == "high"
    assert finding.message.startswith(
        "The American Indian group is selected at 75% of the White group's rate (45.0% vs 60.0%; "
    )
    assert (
        "(decided on the point estimate, as 29 CFR 1607.4(D) does; not statistically "
        "significant: the 95% interval of the ratio"
    ) in finding.message
    assert "a gap resting on small numbers may not be adverse impact" in finding.message
    assert rep.exit_code == 1


def test_eeoc_2023_technical_assistance_example() -> None:
    df = rows_from_counts([("White", 80, 48), ("Black", 40, 12)], ["race"])
    ctx = make_context(df, prediction="selected", sensitive=["race"])
    res = run_check(selection_rate_parity, ctx, {"n_boot": 500})
    black = _table(res, "race")["Black"]
    assert (black["selection_rate"], black["impact_ratio"], black["status"]) == (0.3, 0.5, "fail")
    (finding,) = res.findings
    assert finding.evidence_level.value == "significant"
    (group,) = finding.evidence["groups"]
    assert group["reference_rate"] == 0.6
    assert group["z_test_p_value"] == pytest.approx(0.0019457736937391545, rel=1e-9)
    assert group["fisher_exact_p_value"] == pytest.approx(0.003409221767849183, rel=1e-9)
    low, high = group["impact_ratio_ci"]
    assert low < 0.5 < high < 0.8
    assert finding.message.startswith(
        "The Black group is selected at 50% of the White group's rate (30.0% vs 60.0%; 95% CI"
    )
