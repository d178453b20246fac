from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from auditor import Finding, Severity, Skip, Status, Table, check
from auditor.api import run_audit
from auditor.checks.run_inputs import inputs_usable
from auditor.checks.run_waivers import waiver_hygiene
from auditor.config import AuditConfig
from auditor.findings import fingerprint
from auditor.report import Report


@dataclass(frozen=True)
class Opts:
    threshold: float = 0.5


@check(
    "FAIR901",
    "rate-gap",
    severity=Severity.HIGH,
    options=Opts,
    requires=("predictions", "sensitive"),
)
def rate_gap(ctx, opts):
    """FAIR901 rate-gap: test check yielding one finding per group below threshold."""
    pred = ctx.is_positive(ctx.y_pred)
    rows = []
    for feature in ctx.sensitive:
        for group, rate in pd.Series(pred).groupby(ctx.dataset[feature].to_numpy()).mean().items():
            rows.append(
                {"feature": feature, "group": group, "rate": float(rate), "nan": float("nan")}
            )
            if rate < opts.threshold:
                yield Finding(
                    f"{group} rate {rate:.2f}",
                    location=f"feature:{feature}/group:{group}",
                    evidence={"rate": float(rate)},
                )
    yield Table("rates", tuple(rows))


@check("TRN901", "needs-card", requires=("card",))
def needs_card(ctx, opts):
    """TRN901 needs-card: skipped without a card."""
    yield Finding("never")


@check("PII901", "skips-itself")
def skips_itself(ctx, opts):
    """PII901 skips-itself: raises Skip with a reason."""
    raise Skip("no free-text columns")
    yield


@check("PII902", "crashes")
def crashes(ctx, opts):
    """PII902 crashes: raises."""
    yield Finding("partial")
    raise ZeroDivisionError("division by zero")


@check("FAIR902", "reads-predictions", requires=("predictions",))
def reads_predictions(ctx, opts):
    """FAIR902 reads-predictions: counts positive predictions."""
    yield Table("n", ({"positives": int(ctx.is_positive(ctx.y_pred).sum())},))


CHECKS = {
    c.id: c for c in (rate_gap, needs_card, skips_itself, crashes, inputs_usable, waiver_hygiene)
}
FRAME = pd.DataFrame({"g": ["a"] * 4 + ["b"] * 4, "p": [1, 1, 1, 0, 1, 0, 0, 0]})


def audit(policy: dict, today: dt.date = dt.date(2026, 11, 29), **kw) -> Report:
    cfg = AuditConfig(data=FRAME, prediction="p", sensitive=("g",), policy=policy, **kw)
    return run_audit(cfg, checks=CHECKS, progress=False, today=today)


def test_statuses_and_isolation() -> None:
    report = audit({"checks": {"FAIR": {}, "TRN": {}, "PII": {}, "RUN": {}}})
    status = {r.check: r.status for r in report.results}
    assert status == {
        "FAIR901": Status.FAILED,
        "PII901": Status.SKIPPED,
        "PII902": Status.ERRORED,
        "RUN001": Status.PASSED,
        "RUN002": Status.PASSED,
        "TRN901": Status.SKIPPED,
    }
    assert [r.check for r in report.results] == sorted(status)  # deterministic order
    assert report.result("TRN901").detail == "no model card: give --card PATH"
    assert report.result("PII901").summary == "skipped: no free-text columns"
    assert report.result("PII902").detail == "ZeroDivisionError: division by zero"
    (f,) = report.result("FAIR901").findings
    assert f.location == "feature:g/group:b" and f.evidence == {"rate": 0.25}
    assert f.id == fingerprint("FAIR901", "feature:g/group:b", "b rate 0.25")
    assert report.verdict == "error" and report.exit_code == 1
    rows = report.result("FAIR901").tables["rates"]
    assert [(r["group"], r["rate"]) for r in rows] == [("a", 0.75), ("b", 0.25)]


def test_gate_levels() -> None:
    passing = audit({"checks": {"FAIR901": {"severity": "medium"}}})
    assert passing.verdict == "pass" and passing.exit_code == 0
    failing = audit({"checks": {"FAIR901": {"severity": "medium"}}, "fail_on": "medium"})
    assert failing.verdict == "fail"
    assert failing.blocking == [
        {
            "check": "FAIR901",
            "finding": failing.results[0].findings[0].id,
            "severity": "medium",
            "reason": "failed",
        }
    ]


def test_nan_is_null_with_flag_in_json() -> None:
    data = json.loads(audit({"checks": {"FAIR901": {}}}).to_json())
    row = data["results"][0]["tables"]["rates"][0]
    assert row["nan"] is None and row["_nonfinite"] == {"nan": "nan"}


def waiver(**kw) -> dict:
    return {
        "check": "FAIR901",
        "location": "feature:g/*",
        "reason": "known; ticket RAI-1",
        "approved_by": "Dana Lee",
        "expires": "2026-12-31",
    } | kw


def test_waiver_applies_and_stays_visible() -> None:
    report = audit({"checks": {"FAIR901": {}, "RUN": {}}, "waivers": [waiver()]})
    r = report.result("FAIR901")
    assert r.status is Status.WAIVED
    assert r.findings[0].status is Status.WAIVED
    assert r.findings[0].waiver["approved_by"] == "Dana Lee"
    assert report.verdict == "pass"
    assert report.summary()["waived_by_severity"]["high"] == 1
    assert report.result("RUN002").status is Status.PASSED
    assert report.result("RUN002").tables["waivers"][0]["state"] == "active"


def test_expired_waiver_stops_applying_and_is_reported() -> None:
    report = audit(
        {"checks": {"FAIR901": {}, "RUN": {}}, "waivers": [waiver(expires="2026-11-01")]}
    )
    assert report.result("FAIR901").status is Status.FAILED
    (f,) = report.result("RUN002").findings
    assert "expired on 2026-11-01" in f.message
    assert f.evidence["days_overdue"] == 28
    assert report.verdict == "fail"


def test_unused_waiver_is_reported() -> None:
    report = audit(
        {
            "checks": {"FAIR901": {}, "RUN": {}},
            "waivers": [waiver(), waiver(location="feature:age")],
        }
    )
    (f,) = report.result("RUN002").findings
    assert "waiver for FAIR901 at 'feature:age' matched no finding" in f.message
    assert f.location == "policy:<inline policy>: waivers[1]"
    assert report.result("RUN002").status is Status.FAILED


def test_report_round_trips_through_json(tmp_path: Path) -> None:
    report = audit({"checks": {"FAIR": {}, "PII": {}, "RUN": {}}, "waivers": [waiver()]})
    again = Report.from_dict(json.loads(report.to_json()))
    assert again.to_dict() == json.loads(report.to_json())
    written = report.write(tmp_path, ["json", "md", "html", "junit", "sarif"])
    assert sorted(p.name for p in written.values()) == [
        "audit.html",
        "audit.json",
        "audit.junit.xml",
        "audit.md",
        "audit.sarif",
    ]


def test_model_object_predictions_computed_once() -> None:
    calls = []

    class Model:
        classes_ = np.array([0, 1])

        def predict(self, X):
            calls.append(len(X))
            return (X["x"] > 2).astype(int).to_numpy()

    frame = pd.DataFrame({"x": range(8), "g": list("aabbaabb")})
    cfg = AuditConfig(
        data=frame, model=Model(), sensitive=("g",), policy={"checks": {"FAIR": {}, "RUN": {}}}
    )
    report = run_audit(cfg, checks=CHECKS | {"FAIR902": reads_predictions}, progress=False)
    assert calls == [8]  # FAIR901 and FAIR902 both read y_pred; the model ran once
    assert report.result("FAIR902").tables["n"] == ({"positives": 5},)
    assert report.subject["positive_label_source"] == "inferred from the model's classes_"
    assert report.inputs["model"]["kind"] == "object"


def test_progress_bar_on_request(capsys: pytest.CaptureFixture[str]) -> None:
    cfg = AuditConfig(
        data=FRAME, prediction="p", sensitive=("g",), policy={"checks": {"FAIR": {}, "RUN": {}}}
    )
    run_audit(cfg, checks=CHECKS, progress=True)
    assert "auditing" in capsys.readouterr().err


@check("FAIR903", "mutates")
def mutates(ctx, opts):
    """FAIR903 mutates: a badly behaved check that writes into the dataset."""
    ctx.dataset["p"] = 0
    ctx.dataset.loc[0, "g"] = "zzz"
    yield Table("t", ({"ok": True},))


def test_checks_cannot_change_the_dataset_for_others() -> None:
    frame = FRAME.copy()
    cfg = AuditConfig(data=frame, prediction="p", sensitive=("g",), policy={"checks": {"FAIR": {}}})
    # FAIR903 sorts after FAIR901/902, so run it first under an earlier id too
    first = check("FAIR900", "mutates-first")(mutates.run)
    checks = {
        "FAIR900": first,
        "FAIR903": mutates,
        "FAIR901": rate_gap,
        "FAIR902": reads_predictions,
    }
    report = run_audit(cfg, checks=checks, progress=False)
    assert report.result("FAIR903").status is Status.PASSED
    assert report.result("FAIR902").tables["n"] == ({"positives": 4},)
    assert frame["p"].tolist() == FRAME["p"].tolist() and frame["g"].tolist() == FRAME["g"].tolist()
