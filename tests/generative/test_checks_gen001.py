"""GEN001 counterfactual-outcome-parity on hand-built interaction logs with known answers."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from scipy import stats

from auditor.checks.gen_counterfactual import counterfactual_outcome_parity as GEN001
from auditor.errors import ConfigError, InputError
from auditor.findings import Evidence, Severity, Status
from auditor.testing import make_context, run_check


def _log(n_cases: int, selected_b: int, *, refuse_b: int = 0, exclude_b: int = 0) -> pd.DataFrame:
    """Two groups; group A advanced in every case, group B in the first ``selected_b`` cases; the
    last ``refuse_b`` B answers are refusals, the ``exclude_b`` before them excluded requests."""
    rows = []
    for i in range(n_cases):
        rows.append(
            {
                "case_id": f"c{i}",
                "race": "A",
                "prompt": f"case {i} A",
                "response": json.dumps({"decision": "advance"}),
                "excluded": None,
            }
        )
        if i >= n_cases - refuse_b:
            response, excluded = "I'm sorry, but I cannot evaluate this candidate.", None
        elif i >= n_cases - refuse_b - exclude_b:
            response, excluded = None, "timeout"
        else:
            response = json.dumps({"decision": "advance" if i < selected_b else "reject"})
            excluded = None
        rows.append(
            {
                "case_id": f"c{i}",
                "race": "B",
                "prompt": f"case {i} B",
                "response": response,
                "excluded": excluded,
            }
        )
    return pd.DataFrame(rows)


def _groups(result: object) -> dict[str, dict]:
    return {r["group"]: r for r in result.tables["groups"]}  # type: ignore[attr-defined]


def test_exact_mcnemar_rates_and_blocking_finding() -> None:
    ctx = make_context(_log(40, 20), sensitive=["race"])
    res = run_check(GEN001, ctx)
    g = _groups(res)
    assert g["A"]["selection_rate"] == 1.0 and g["B"]["selection_rate"] == 0.5
    assert g["B"]["impact_ratio"] == pytest.approx(0.5)
    assert g["B"]["reference_group"] == "A"
    # 20 discordant pairs, all one way: exact two-sided binomial = 2 * 0.5**20
    assert g["B"]["p_value"] == pytest.approx(2 * 0.5**20)
    assert g["B"]["paired_test"].startswith("mcnemar (exact binomial")
    # Wilson interval of 20/40 against scipy's independent implementation
    ci = stats.binomtest(20, 40).proportion_ci(0.95, method="wilson")
    assert g["B"]["ci_low"] == pytest.approx(ci.low) and g["B"]["ci_high"] == pytest.approx(ci.high)
    assert g["B"]["ir_ci_high"] < 0.8 and g["B"]["ir_ci_low"] <= 0.5 <= g["B"]["ir_ci_high"]
    assert res.status is Status.FAILED
    [f] = res.findings
    assert f.severity is Severity.HIGH and f.evidence_level is Evidence.SIGNIFICANT
    assert f.location == "feature:race" and f.evidence["group"] == "B"
    assert f.evidence["reference_only"] == 20 and f.evidence["group_only"] == 0
    assert "50%" in f.message and "40 vs 40" in f.message


def test_small_sample_is_inconclusive_not_blocking() -> None:
    # 10 cases, 3 discordant: ratio 0.7 but exact p = 0.25: inconclusive (medium), not a pass
    res = run_check(GEN001, make_context(_log(10, 7), sensitive=["race"]))
    [f] = res.findings
    assert f.evidence_level is Evidence.INCONCLUSIVE and f.severity is Severity.MEDIUM
    assert f.evidence["p_value"] == pytest.approx(0.25)


def test_no_disparity_passes() -> None:
    res = run_check(GEN001, make_context(_log(40, 40), sensitive=["race"]))
    assert res.status is Status.PASSED and not res.findings
    assert _groups(res)["B"]["impact_ratio"] == 1.0


def test_refusals_and_exclusions_counted_per_group_and_left_out() -> None:
    res = run_check(GEN001, make_context(_log(40, 20, refuse_b=4, exclude_b=3), sensitive=["race"]))
    counts = {r["group"]: r for r in res.tables["decisions"]}
    assert counts["B"]["refusal"] == 4 and counts["B"]["excluded"] == 3
    assert counts["B"]["excluded_by_reason"] == {"timeout": 3}
    assert counts["B"]["parsed"] == 33 and counts["A"]["parsed"] == 40
    g = _groups(res)
    assert g["B"]["n"] == 33 and g["B"]["selected"] == 20
    assert g["B"]["n_pairs"] == 33  # cases without a B answer leave the paired test
    summary = {r["field"]: r["value"] for r in res.tables["ll144_summary"]}
    assert summary["left_out.refusal"] == 4 and summary["left_out.excluded"] == 3


def test_decision_column_and_scores() -> None:
    df = _log(40, 20).drop(columns=["response"])
    df["decision"] = ["advance" if (i % 2 == 0 or i < 40) else "reject" for i in range(80)]
    df.loc[df["race"].eq("B") & (df.index >= 40), "decision"] = "reject"
    df["response"] = "text"
    res = run_check(GEN001, make_context(df, sensitive=["race"]), {"decision_column": "decision"})
    g = _groups(res)
    assert g["A"]["n"] == 40
    # scores only: scoring rate above the median and Wilcoxon on the per-case scores
    df2 = _log(30, 30)
    df2["score"] = [10.0 if r == "A" else 1.0 + (i % 7) for i, r in enumerate(df2["race"])]
    res2 = run_check(GEN001, make_context(df2, sensitive=["race"]), {"score_column": "score"})
    g2 = _groups(res2)
    assert "scoring_rate" in g2["A"] and g2["B"]["scoring_rate"] == 0.0
    assert g2["B"]["paired_test"].startswith("wilcoxon")
    assert g2["B"]["p_value"] == pytest.approx(
        stats.wilcoxon([1.0 + (i % 7) - 10 for i in range(1, 60, 2)]).pvalue
    )


def test_bad_input_exits_2() -> None:
    df = _log(10, 5)
    with pytest.raises(InputError, match="no 'response' column"):
        run_check(GEN001, make_context(df.drop(columns=["response"]), sensitive=["race"]))
    single = df[df["race"].eq("A")]
    with pytest.raises(InputError, match="single variant"):
        run_check(GEN001, make_context(single.assign(race=["A", "B"] * 5), sensitive=["race"]))
    twice = pd.concat([df, df.iloc[:1]])
    with pytest.raises(InputError, match="already logged"):
        run_check(GEN001, make_context(twice, sensitive=["race"]))
    with pytest.raises(ConfigError, match="json_field, regex, labels"):
        run_check(GEN001, make_context(df, sensitive=["race"]), {"extract": {"xpath": "x"}})


def test_regex_extractor_and_unknown_positive() -> None:
    df = _log(20, 10)
    df["response"] = df["response"].str.replace('{"decision": "advance"}', "Verdict: YES")
    df["response"] = df["response"].str.replace('{"decision": "reject"}', "Verdict: NO")
    spec = {"regex": r"Verdict: (?:(?P<yes>YES)|(?P<no>NO))"}
    res = run_check(GEN001, make_context(df, sensitive=["race"]), {"extract": spec})
    assert _groups(res)["B"]["impact_ratio"] == pytest.approx(0.5)
    assert math.isfinite(_groups(res)["B"]["p_value"])


def test_several_variants_per_value_use_wilcoxon_on_case_rates() -> None:
    # the example log audited on sex alone: each base case has two female and two male variants
    from pathlib import Path

    log = Path(__file__).resolve().parents[2] / "examples" / "llm-screener" / "interactions.jsonl"
    df = pd.read_json(log, lines=True)
    res = run_check(GEN001, make_context(df, sensitive=["sex"]))
    g = _groups(res)
    assert set(g) == {"Female", "Male"} and g["Male"]["n_pairs"] == 160
    assert g["Male"]["paired_test"] == "wilcoxon signed-rank (per-case rates)"
    assert res.status is Status.PASSED  # the planted bias is by race, not sex
