"""GEN002 response-disparity: refusal, unparseable, length and sentiment by group."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from scipy import stats

from auditor.checks.gen_response_disparity import VADER_HINT
from auditor.checks.gen_response_disparity import response_disparity as GEN002
from auditor.findings import Evidence, Severity, Status
from auditor.testing import make_context, run_check

OK = json.dumps({"decision": "advance", "reason": "A good fit for the role."})
REFUSE = "I'm sorry, but I cannot evaluate this application."


def _log(n: int, refuse_b: int, *, short_b: bool = False, negative_b: bool = False) -> pd.DataFrame:
    rows = []
    for i in range(n):
        rows.append({"case_id": f"c{i}", "sex": "F", "response": OK})
        text = REFUSE if i < refuse_b else OK
        if short_b and i >= refuse_b:
            text = json.dumps({"decision": "advance"})
        if negative_b and i >= refuse_b:
            text = json.dumps({"decision": "advance", "reason": "A terrible, awful, weak fit."})
        rows.append({"case_id": f"c{i}", "sex": "M", "response": text})
    return pd.DataFrame(rows)


def _rows(res: object) -> dict[str, dict]:
    return {r["group"]: r for r in res.tables["responses"]}  # type: ignore[attr-defined]


def test_refusal_disparity_is_a_high_finding_with_exact_mcnemar() -> None:
    res = run_check(GEN002, make_context(_log(60, 15), sensitive=["sex"]), {"sentiment": "off"})
    r = _rows(res)
    assert r["M"]["refusal_rate"] == pytest.approx(0.25) and r["F"]["refusal_rate"] == 0.0
    ci = stats.binomtest(15, 60).proportion_ci(0.95, method="wilson")
    assert r["M"]["refusal_ci_low"] == pytest.approx(ci.low)
    assert r["M"]["refusal_reference"] == "F"
    assert r["M"]["refusal_p_adjusted"] == pytest.approx(2 * 0.5**15)  # exact binomial, 15 vs 0
    [f] = [f for f in res.findings if f.evidence["metric"] == "refusal"]
    assert f.severity is Severity.HIGH and f.evidence_level is Evidence.SIGNIFICANT
    assert f.location == "feature:sex" and "25%" in f.message
    assert r["M"]["sentiment"] == "not measured (off)"


def test_no_disparity_passes_and_length_indicator() -> None:
    res = run_check(GEN002, make_context(_log(40, 0), sensitive=["sex"]))
    assert res.status is Status.PASSED
    short = run_check(
        GEN002, make_context(_log(40, 0, short_b=True), sensitive=["sex"]), {"sentiment": "off"}
    )
    [f] = short.findings
    assert f.evidence["metric"] == "length" and f.severity is Severity.LOW
    r = _rows(short)
    assert r["M"]["mean_length"] == len(json.dumps({"decision": "advance"}))
    assert r["F"]["mean_length"] == len(OK)


def test_sentiment_with_vader_or_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("vaderSentiment")
    res = run_check(GEN002, make_context(_log(40, 0, negative_b=True), sensitive=["sex"]))
    r = _rows(res)
    assert r["M"]["sentiment"] < 0 < r["F"]["sentiment"]
    assert any(f.evidence["metric"] == "sentiment" for f in res.findings)
    import builtins

    real = builtins.__import__

    def no_vader(name: str, *a: object, **k: object) -> object:
        if name.startswith("vaderSentiment"):
            raise ImportError(name)
        return real(name, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_vader)
    import importlib

    monkeypatch.setattr(importlib, "import_module", lambda n, *a: no_vader(n))
    res2 = run_check(GEN002, make_context(_log(10, 0), sensitive=["sex"]))
    assert _rows(res2)["M"]["sentiment"] == VADER_HINT
