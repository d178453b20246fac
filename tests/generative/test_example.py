"""The examples/llm-screener acceptance: planted bias recovered, gate fails; unbiased log passes;
a live run through server.py gives the logged run's tables; 429s and timeouts are counted as
exclusions; no key and no prompt name in any output file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from auditor.cli import main

ROOT = Path(__file__).resolve().parents[2]
EX = ROOT / "examples" / "llm-screener"
PLANTED = 1 - 0.4  # screener.DEFAULT_BIAS: expected impact ratio of Black-cue names
NAMES = ("Lakisha", "Jamal", "Tyrone", "Emily", "Greg", "Tanisha", "Brendan", "Aisha")
TITLE = "Are Emily and Greg More Employable Than Lakisha and Jamal?"
SECRET = "sk-test-0123456789abcdef-never-written"


def _run(tmp: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    out = tmp / "report"
    code = main(["run", "--config", str(EX / "audit.yaml"), "--out", str(out),
                 "--format", "json,md,html", *extra])  # fmt: skip
    return code, json.loads((out / "audit.json").read_text("utf-8"))


def _result(report: dict[str, Any], check: str) -> dict[str, Any]:
    return next(r for r in report["results"] if r["check"] == check)


def _row(rows: list[dict[str, Any]], feature: str, group: str) -> dict[str, Any]:
    return next(r for r in rows if r["feature"] == feature and r["group"] == group)


@pytest.fixture
def server() -> Iterator[Any]:
    procs: list[subprocess.Popen[str]] = []

    def start(*args: str) -> str:
        proc = subprocess.Popen(
            [sys.executable, str(EX / "server.py"), "--port", "0", *args],
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        procs.append(proc)
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        assert line.startswith("listening on http://127.0.0.1:"), line
        return line.split()[-1]

    yield start
    for proc in procs:
        proc.terminate()
        proc.wait(timeout=10)


def test_planted_bias_recovered_and_gate_fails(tmp_path: Path) -> None:
    code, report = _run(tmp_path)
    assert code == 1
    gen = _result(report, "GEN001")
    black = _row(gen["tables"]["groups"], "race_ethnicity", "Black")
    assert black["reference_group"] == "White"
    assert black["ir_ci_low"] <= PLANTED <= black["ir_ci_high"]
    assert black["p_adjusted"] < 0.001 and black["evidence"] == "significant"
    blocking = [f for f in gen["findings"] if f["severity"] == "high"]
    assert {f["evidence"]["group"] for f in blocking} >= {"Black"}
    # the LL144 table renders from the extracted decisions: Markdown summary, HTML, audit.md
    summary = (tmp_path / "report" / "ll144-summary.md").read_text("utf-8")
    assert "| Black | 307 | 111 | 36.2% | 0.581 | **yes** |" in summary
    html = (tmp_path / "report" / "ll144-summary.html").read_text("utf-8")
    assert "0.581" in html and "Race/Ethnicity" in html
    assert "0.581" in (tmp_path / "report" / "audit.html").read_text("utf-8")
    assert "counterfactual-outcome-parity" in (tmp_path / "report" / "audit.md").read_text("utf-8")
    # the generation parameters are in the report (from the sidecar)
    gen_rows = {r["field"]: r["value"] for r in gen["tables"]["generation"]}
    assert gen_rows["generation.parameters.temperature"] == 0.0
    assert gen_rows["generation.parameters.seed"] == 13
    assert gen_rows["suite.seed"] == 13
    for path in (tmp_path / "report").iterdir():
        # the cue list's citation (the paper's title names four names) is not prompt data
        text = path.read_text("utf-8", errors="replace").replace(TITLE, "")
        assert not [n for n in NAMES if n in text], path.name


def test_unbiased_log_passes(tmp_path: Path) -> None:
    code, report = _run(tmp_path, "--data", str(EX / "interactions-unbiased.jsonl"))
    assert code == 0
    rows = _result(report, "GEN001")["tables"]["groups"]
    assert _row(rows, "race_ethnicity", "Black")["impact_ratio"] == pytest.approx(1.0, abs=0.05)


def test_live_run_gives_the_logged_tables(
    tmp_path: Path, server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = server()
    monkeypatch.setenv("SCREENER_KEY", SECRET)
    live = tmp_path / "live.jsonl"
    code = main(["generate", str(EX / "prompts.jsonl"), "--endpoint", url, "--model", "llm-screener",
                 "--seed", "13", "--max-tokens", "64", "--api-key-env", "SCREENER_KEY",
                 "--cache", str(tmp_path / "cache"), "-o", str(live)])  # fmt: skip
    assert code == 0
    _, logged = _run(tmp_path / "a")
    _, fresh = _run(tmp_path / "b", "--data", str(live))
    a, b = _result(logged, "GEN001"), _result(fresh, "GEN001")
    for table in ("groups", "decisions", "ll144_summary"):
        assert a["tables"][table] == b["tables"][table], table
    assert [f["message"] for f in a["findings"]] == [f["message"] for f in b["findings"]]
    for path in [live, *tmp_path.rglob("*")]:
        if path.is_file():
            assert SECRET not in path.read_text("utf-8", errors="replace"), path


def test_429_and_timeouts_are_counted_exclusions(tmp_path: Path, server: Any) -> None:
    url = server("--flaky", "--stall", "1.5")
    prompts = tmp_path / "prompts.jsonl"
    lines = (EX / "prompts.jsonl").read_text("utf-8").splitlines()[:80]
    prompts.write_text("\n".join(lines) + "\n", "utf-8")
    shutil.copy(EX / "prompts.jsonl.meta.json", tmp_path / "prompts.jsonl.meta.json")
    out = tmp_path / "interactions.jsonl"
    code = main(["generate", str(prompts), "--endpoint", url, "--model", "llm-screener",
                 "--timeout", "0.3", "--max-retries", "1", "--concurrency", "8", "-o", str(out)])  # fmt: skip
    assert code == 0
    rows = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    assert len(rows) == 80  # nothing dropped
    reasons = [r["excluded"] for r in rows if r["excluded"]]
    assert reasons.count("rate_limited") > 0 and reasons.count("timeout") > 0
    assert all(r["response"] is None for r in rows if r["excluded"])
    meta = json.loads((tmp_path / "interactions.jsonl.meta.json").read_text("utf-8"))
    by = meta["generation"]["exclusions_by_reason"]
    assert by["rate_limited"] == reasons.count("rate_limited")
    assert by["timeout"] == reasons.count("timeout")
    code, report = _run(tmp_path / "r", "--data", str(out))
    counts = _result(report, "GEN001")["tables"]["decisions"]
    sex_rows = [r for r in counts if r["feature"] == "sex"]
    assert sum(r["excluded"] for r in sex_rows) == len(reasons)
    merged: dict[str, int] = {}
    for r in sex_rows:
        for k, v in (r["excluded_by_reason"] or {}).items():
            merged[k] = merged.get(k, 0) + v
    assert merged == {"rate_limited": by["rate_limited"], "timeout": by["timeout"]}
    assert os.environ.get("SCREENER_KEY") is None
