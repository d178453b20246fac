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
    assert f.location == "waiver:FAIR901/feature:age"
    assert f.discriminator == "unused:2026-12-31"
    assert f.id == fingerprint("RUN002", "waiver:FAIR901/feature:age", "unused:2026-12-31")
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
    # one row at plan time (the model/feature probe), then FAIR901 and FAIR902 both read y_pred
    # and the model ran once on all 8 rows
    assert calls == [1, 8]
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


@check("PII903", "exits")
def exits(ctx, opts):
    """PII903 exits: a check with a stray sys.exit(0)."""
    import sys

    yield Finding("before exit", location="dataset")
    sys.exit(0)


def test_check_calling_sys_exit_is_errored_and_the_others_still_run() -> None:
    cfg = AuditConfig(
        data=FRAME, prediction="p", sensitive=("g",), policy={"checks": {"FAIR": {}, "PII": {}}}
    )
    report = run_audit(cfg, checks={"PII903": exits, "FAIR901": rate_gap}, progress=False)
    crashed = report.result("PII903")
    assert crashed.status is Status.ERRORED
    assert crashed.detail == "SystemExit: the check called sys.exit(0)"
    assert [f.message for f in crashed.findings] == ["before exit"]  # kept, visible
    assert report.result("FAIR901").status is Status.FAILED  # ran after the exiting check
    assert report.verdict == "error" and report.exit_code == 1


def _yields(*items):
    def run(ctx, opts):
        """XXX000 yields: test helper."""
        yield from items

    return run


@pytest.mark.parametrize(
    ("items", "detail"),
    [
        (
            [Finding("a", severity="high")],
            "TypeError: Finding #1: severity must be a Severity (e.g. Severity.HIGH) or None, "
            "got str 'high'",
        ),
        (
            [Finding("a", location="x"), Finding("b", location=None)],
            "TypeError: Finding #2: location must be a str, got NoneType None",
        ),
        ([Finding("a", discriminator=3)], "TypeError: Finding #1: discriminator must be a str"),
        ([Finding(None)], "TypeError: Finding #1: message must be a str, got NoneType None"),
        (
            [Finding("a", evidence=[("rate", 0.2)])],
            "TypeError: Finding #1: evidence must be a mapping, got list [('rate', 0.2)]",
        ),
        ([Finding("a", evidence={1: 0.2})], "TypeError: Finding #1: evidence keys must be str"),
        (
            [Table("t", ({"a": 1}, [1, 2]))],
            "TypeError: Table 't': rows[1] must be a mapping, got list [1, 2]",
        ),
        (
            [Table("t", {"a": 1})],
            "TypeError: Table 't': rows must be a tuple or list of mappings, got dict",
        ),
        (
            [Table("t", ()), Table("t", ())],
            "TypeError: Table 't' was yielded twice (table names must be unique per check)",
        ),
        ([Table(None, ())], "TypeError: Table name must be a non-empty str, got NoneType None"),
        (["just a string"], "TypeError: check yielded str, expected Finding or Table"),
    ],
)
def test_malformed_output_makes_only_that_check_errored(items: list, detail: str) -> None:
    bad = check("PII904", "malformed")(_yields(*items))
    cfg = AuditConfig(
        data=FRAME, prediction="p", sensitive=("g",), policy={"checks": {"FAIR": {}, "PII": {}}}
    )
    report = run_audit(cfg, checks={"PII904": bad, "FAIR901": rate_gap}, progress=False)
    res = report.result("PII904")
    assert res.status is Status.ERRORED
    assert res.detail.startswith(detail), res.detail
    assert res.summary.startswith(f"errored: {detail}")
    assert report.result("FAIR901").status is Status.FAILED
    data = json.loads(report.to_json())  # the report is still complete and schema-valid
    assert data["verdict"] == "error"
    assert data["gate"]["blocking"][0] == {
        "check": "FAIR901",
        "finding": report.result("FAIR901").findings[0].id,
        "severity": "high",
        "reason": "failed",
    }


def test_run002_is_planned_whenever_the_policy_has_waivers() -> None:
    # the policy selects only FAIR901, yet the expired and the unused waiver are reported
    report = audit(
        {
            "checks": {"FAIR901": {}},
            "waivers": [waiver(expires="2026-11-01"), waiver(location="feature:age")],
        }
    )
    assert [r.check for r in report.results] == ["FAIR901", "RUN002"]
    run002 = report.result("RUN002")
    assert run002.status is Status.FAILED
    assert sorted((f.location, f.discriminator) for f in run002.findings) == [
        ("waiver:FAIR901/feature:age", "unused:2026-12-31"),
        ("waiver:FAIR901/feature:g/*", "expired:2026-11-01"),
    ]
    # without waivers RUN002 is not added to a policy that does not select it
    assert [r.check for r in audit({"checks": {"FAIR901": {}}}).results] == ["FAIR901"]


def test_run002_cannot_be_disabled_while_there_are_waivers() -> None:
    from auditor.errors import ConfigError

    with pytest.raises(ConfigError) as err:
        audit({"checks": {"FAIR901": {}, "RUN002": False}, "waivers": [waiver()]})
    assert str(err.value) == (
        "<inline policy>: checks.RUN002: RUN002 (waiver-hygiene) cannot be disabled while the "
        "policy has 1 waiver(s): expired and unused waivers must be reported"
    )


def test_run002_ids_do_not_depend_on_the_policy_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pack = tmp_path / "packs" / "team.yaml"
    pack.parent.mkdir()
    pack.write_text(
        "checks: {FAIR901: {}}\nwaivers:\n"
        "  - {check: FAIR901, location: 'feature:g/*', reason: r, expires: 2026-11-01}\n"
        "  - {check: FAIR901, location: 'feature:age', reason: r, expires: 2026-12-31}\n"
    )
    monkeypatch.chdir(tmp_path)
    spellings = [pack, Path("packs/team.yaml"), Path("packs/../packs/./team.yaml")]
    ids = []
    for spelling in spellings:
        cfg = AuditConfig(data=FRAME, prediction="p", sensitive=("g",), policy=spelling)
        report = run_audit(cfg, checks=CHECKS, progress=False, today=dt.date(2026, 11, 29))
        ids.append(sorted(f.id for f in report.result("RUN002").findings))
    assert (
        ids[0]
        == ids[1]
        == ids[2]
        == sorted(
            [
                fingerprint("RUN002", "waiver:FAIR901/feature:g/*", "expired:2026-11-01"),
                fingerprint("RUN002", "waiver:FAIR901/feature:age", "unused:2026-12-31"),
            ]
        )
    )


def test_waiver_for_an_unknown_check_is_a_config_error() -> None:
    from auditor.errors import ConfigError

    with pytest.raises(ConfigError) as err:
        audit({"checks": {"FAIR901": {}}, "waivers": [waiver(check="FAIRR901")]})
    assert str(err.value) == (
        "<inline policy>: waivers[0].check: 'FAIRR901' matches no installed check id or prefix "
        "(did you mean 'FAIR901' or 'FAIR' or 'TRN901'?) (see `auditor checks`)"
    )
    # globs and family prefixes that match an installed check are fine
    for pattern in ("FAIR90*", "FAIR"):
        assert (
            audit({"checks": {"FAIR901": {}}, "waivers": [waiver(check=pattern)]})
            .result("FAIR901")
            .status
            is Status.WAIVED
        )


@check("FAIR905", "non-finite")
def non_finite(ctx, opts):
    """FAIR905 non-finite: yields non-finite floats inside lists and a missing timestamp."""
    yield Table(
        "t",
        (
            {
                "ci": [0.25, float("nan")],
                "nested": [[float("inf")], [1.0]],
                "when": pd.NaT,
                "at": np.datetime64("NaT"),
                "ok": 1.5,
            },
        ),
    )
    yield Finding("x", location="dataset", evidence={"interval": (float("-inf"), 0.5)})


def test_non_finite_values_in_lists_and_nat_are_null_with_flags() -> None:
    cfg = AuditConfig(data=FRAME, policy={"checks": {"FAIR905": {}}})
    report = run_audit(cfg, checks={"FAIR905": non_finite}, progress=False)
    text = report.to_json()
    assert "NaN" not in text and "NaT" not in text and "Infinity" not in text
    data = json.loads(text)
    (row,) = data["results"][0]["tables"]["t"]
    assert row == {
        "ci": [0.25, None],
        "nested": [[None], [1.0]],
        "when": None,
        "at": None,
        "ok": 1.5,
        "_nonfinite": {
            "ci": {"1": "nan"},
            "nested": {"0": {"0": "inf"}},
            "when": "nat",
            "at": "nat",
        },
    }
    evidence = data["results"][0]["findings"][0]["evidence"]
    assert evidence == {"interval": [None, 0.5], "_nonfinite": {"interval": {"0": "-inf"}}}


def _exit_at_plan_time(ctx, opts):
    raise SystemExit(3)


def _crash_at_plan_time(ctx, opts):
    raise KeyError("col")


@pytest.mark.parametrize(
    ("hook", "message"),
    [
        (_exit_at_plan_time, "PII905: its plan-time validate hook called sys.exit(3)"),
        (_crash_at_plan_time, "PII905: its plan-time validate hook crashed: KeyError: 'col'"),
    ],
)
def test_broken_validate_hook_is_a_plugin_error_naming_the_check(hook, message: str) -> None:
    from auditor.errors import PluginError

    broken = check("PII905", "bad-hook", validate=hook)(_yields())
    cfg = AuditConfig(data=FRAME, policy={"checks": {"PII905": {}}})
    with pytest.raises(PluginError) as err:
        run_audit(cfg, checks={"PII905": broken}, progress=False)
    assert str(err.value) == message


def test_repeated_finding_ids_of_one_check_are_numbered_in_yield_order() -> None:
    # two findings on one subject in one card differ only by line, which the id leaves out
    repeats = check("PII906", "repeats")(
        _yields(
            Finding("accuracy claim", location="card:README.md:3", discriminator="acc"),
            Finding("accuracy claim again", location="card:README.md:9", discriminator="acc"),
            Finding("no discriminator", location="column:a"),
            Finding("no discriminator", location="column:a"),
            Finding("accuracy claim, third", location="card:docs/card.md:1", discriminator="acc"),
            Finding("other subject", location="card:README.md:4", discriminator="f1"),
        )
    )
    cfg = AuditConfig(data=FRAME, policy={"checks": {"PII906": {}}})
    report = run_audit(cfg, checks={"PII906": repeats}, progress=False)
    res = report.result("PII906")
    got = sorted((f.location, f.discriminator, f.id) for f in res.findings)
    assert got == [  # numbered in yield order
        ("card:README.md:3", "acc", fingerprint("PII906", "card", "acc")),
        ("card:README.md:4", "f1", fingerprint("PII906", "card", "f1")),
        ("card:README.md:9", "acc#2", fingerprint("PII906", "card", "acc#2")),
        ("card:docs/card.md:1", "acc#3", fingerprint("PII906", "card", "acc#3")),
        ("column:a", "", fingerprint("PII906", "column:a", "no discriminator")),
        (
            "column:a",
            "no discriminator#2",
            fingerprint("PII906", "column:a", "no discriminator#2"),
        ),
    ]
    assert len({f.id for f in res.findings}) == 6
    # a check's own "#2" does not collide with a numbered repeat: the repeat takes the next number
    explicit = check("PII907", "explicit")(
        _yields(
            Finding("a", location="column:a", discriminator="x"),
            Finding("b", location="column:a", discriminator="x#2"),
            Finding("c", location="column:a", discriminator="x"),
        )
    )
    cfg = AuditConfig(data=FRAME, policy={"checks": {"PII907": {}}})
    res = run_audit(cfg, checks={"PII907": explicit}, progress=False).result("PII907")
    assert {f.message: f.discriminator for f in res.findings} == {"a": "x", "b": "x#2", "c": "x#3"}
    assert len({f.id for f in res.findings}) == 3


def test_two_unused_waivers_for_one_location_get_distinct_ids() -> None:
    report = audit(
        {
            "checks": {"FAIR901": {}},
            "waivers": [waiver(location="feature:age"), waiver(location="feature:age")],
        }
    )
    run002 = report.result("RUN002")
    loc = "waiver:FAIR901/feature:age"
    assert sorted((f.discriminator, f.id) for f in run002.findings) == [
        ("unused:2026-12-31", fingerprint("RUN002", loc, "unused:2026-12-31")),
        ("unused:2026-12-31#2", fingerprint("RUN002", loc, "unused:2026-12-31#2")),
    ]


def test_related_ids_link_other_checks_on_the_same_subject() -> None:
    """Findings of different checks about one subject (the same location, or a location one of
    them names in ``relates_to``) carry each other's ids in ``related``; one check's own
    findings are not linked to each other, and a link is mutual."""
    from auditor.findings import CheckResult, ResultFinding
    from auditor.runner import link_related

    def result(check: str, *findings: tuple[str, str, tuple[str, ...]]) -> CheckResult:
        return CheckResult(
            check=check, name=check.lower(), family="fairness", severity=Severity.HIGH,
            status=Status.FAILED, summary="", duration_s=0.0,
            findings=tuple(
                ResultFinding(id=fid, message=fid, location=loc, severity=Severity.HIGH,
                              status=Status.FAILED, relates_to=rel)
                for fid, loc, rel in findings
            ),
        )  # fmt: skip

    linked = link_related([
        result("FAIR001", ("a1", "feature:sex", ()), ("a2", "feature:race", ())),
        result("FAIR004", ("b1", "feature:sex", ())),
        result("TRN204", ("c1", "card:model_card.yaml:57", ("feature:sex",))),
        result("PII001", ("d1", "column:email", ())),
    ])  # fmt: skip
    related = {f.id: set(f.related) for r in linked for f in r.findings}
    assert related == {
        "a1": {"b1", "c1"}, "a2": set(), "b1": {"a1", "c1"}, "c1": {"a1", "b1"}, "d1": set(),
    }  # fmt: skip


@pytest.mark.parametrize(
    ("pattern", "location", "matches"),
    [
        ("feature:race/*", "feature:race", True),  # the README's example covers the feature
        ("feature:race/*", "feature:race/class:hire", True),
        ("feature:race/*", "feature:race_ethnicity", False),
        ("feature:race", "feature:race", True),
        ("feature:*race*", "feature:sex×race", True),  # intersections need their own pattern
        ("column:*", "feature:race", False),
    ],
)
def test_waiver_location_patterns(pattern: str, location: str, matches: bool) -> None:
    from auditor.policy import Waiver
    from auditor.runner import waiver_matches

    w = Waiver(check="FAIR001", location=pattern, reason="r", expires=dt.date(2099, 1, 1))
    assert waiver_matches(w, "FAIR001", location) is matches
