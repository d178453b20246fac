"""Documentation-only audits (issue 15, item 1): ``auditor run --card X [--datasheet Y]`` with no
data runs the documentation checks, skips every check that needs data with one reason, gates by
the findings, and writes reports that say what was audited (no dataset, no rows, no "measured").

Real parts only: ``python -m auditor`` in a subprocess on the real test cards, real renderers,
the real baseline comparison.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import validate_report

import auditor
from auditor import UsageError
from auditor.check import Check, NoOptions
from auditor.context import NO_DATA_REASON
from auditor.errors import InputError
from auditor.findings import Finding, Severity
from auditor.registry import load_checks
from auditor.runner import reads_data

DATA = Path(__file__).resolve().parent / "transparency" / "data"
TEMPLATE = DATA / "hf_template_README.md"  # the untouched Hugging Face template
FILLED = DATA / "hf_filled_README.md"  # a filled Hugging Face card
SHEET = DATA / "datasheet.yaml"  # a filled datasheet
DOC_PACKS = ("transparency", "eu-ai-act", "nist-ai-rmf", "hf-model-card", "iso-42001")


def cli(*argv: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "auditor", *map(str, argv)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def report(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "audit.json").read_text(encoding="utf-8"))
    validate_report(data)
    return data


def results(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["check"]: r for r in data["results"]}


@pytest.fixture(scope="module")
def template_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """The HF template card alone under the default policy (every family planned)."""
    root = tmp_path_factory.mktemp("template")
    proc = cli("run", "--card", TEMPLATE, "--out", "out", "--format", "json,html,md,sarif,junit",
               cwd=root)  # fmt: skip
    return root, proc


def test_template_card_alone_fails_on_its_fields_and_skips_every_data_check(
    template_run: tuple[Path, Any],
) -> None:
    root, proc = template_run
    assert proc.returncode == 1, proc.stderr
    data = report(root / "out")
    by = results(data)
    # the documentation checks ran: TRN101 reports the template's placeholders
    assert by["TRN100"]["status"] == "passed"
    assert by["TRN101"]["status"] == "failed"
    placeholders = [f for f in by["TRN101"]["findings"] if f["evidence"]["status"] == "placeholder"]
    assert placeholders and any(f["severity"] == "high" for f in placeholders)
    assert any("[More Information Needed]" in f["message"] for f in placeholders)
    assert by["TRN207"]["status"] in ("passed", "failed")  # the license is read from the card
    # every check that needs data is skipped (not errored, not "not evaluated") with one reason
    data_checks = [c for c in by if c.startswith(("FAIR", "PII"))] + [
        f"TRN20{i}" for i in range(1, 7)
    ]
    assert len(data_checks) >= 20
    for cid in data_checks:
        assert by[cid]["status"] == "skipped", cid
        assert by[cid]["detail"] == NO_DATA_REASON, cid
        assert by[cid]["missing_inputs"] == ["data"], cid
    assert not [r for r in data["results"] if r["status"] == "errored"]
    # the gate: the template's high findings block
    assert data["verdict"] == "fail"
    assert "TRN101" in {b["check"] for b in data["gate"]["blocking"]}
    assert {b["reason"] for b in data["gate"]["blocking"]} == {"failed"}
    # the terminal says what was reviewed, and the data skips are one line, not twenty
    assert "FAIL: documentation review of hf_template_README.md:" in proc.stdout
    skip_lines = [ln for ln in proc.stderr.splitlines() if NO_DATA_REASON in ln]
    n = sum(1 for r in data["results"] if r.get("missing_inputs") == ["data"])
    assert n == len(data_checks)
    assert len(skip_lines) == 1 and f"{n} checks skipped (FAIR001, " in skip_lines[0]


def test_the_report_records_the_documents_and_no_dataset(template_run: tuple[Path, Any]) -> None:
    root, _ = template_run
    data = report(root / "out")
    inputs = data["inputs"]
    assert inputs["scope"] == "documentation"
    assert inputs["dataset"] is None and inputs["model"] is None
    assert "engine" not in inputs  # no data was processed
    assert inputs["documents"] == [
        {"kind": "model_card", "path": str(TEMPLATE), "sha256": sha256(TEMPLATE)}
    ]
    # no dataset hash or row count anywhere in the canonical report
    text = (root / "out" / "audit.json").read_text(encoding="utf-8")
    assert '"rows_counted"' not in text and '"size_bytes"' not in text
    # the cross-check column of the fields table measured nothing (there was nothing to measure)
    fields = results(data)["TRN101"]["tables"]["fields"]
    assert fields and all(row.get("measured") in (None, "") for row in fields)
    assert not [row for row in fields if row["status"] == "contradicted"]
    # RUN001 lists what was read: the card, not an empty dataset
    assert results(data)["RUN001"]["tables"]["inputs"] == [
        {"input": "model card", "detail": str(TEMPLATE)}
    ]
    manifest = json.loads((root / "out" / "manifest.json").read_text(encoding="utf-8"))
    roles = {i["role"]: i for i in manifest["inputs"]}
    assert "dataset" not in roles and roles["model_card"]["sha256"] == sha256(TEMPLATE)


def _visible(html: str) -> str:
    import re

    html = re.sub(r"<style.*?</style>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_html_and_markdown_read_as_a_documentation_review(template_run: tuple[Path, Any]) -> None:
    root, _ = template_run
    out = root / "out"
    n = sum(1 for r in report(out)["results"] if r.get("missing_inputs") == ["data"])
    for html in (
        (out / "audit.html").read_text(encoding="utf-8"),
        cli("render", out / "audit.json", "--format", "html", cwd=root).stdout,
    ):
        text = _visible(html)
        assert "<title>Documentation review of hf_template_README.md" in html
        assert (
            "Data audited none: documentation-only audit of model card hf_template_README.md"
            in text
        )
        assert (
            "Documentation review of the model card hf_template_README.md: no dataset or model"
            in text
        )
        assert "Documentation-only audit: no dataset, predictions or model were given." in text
        assert "Engine none: no data was processed" in text
        for wrong in ("in-memory data", " 0 rows", "rows ×", "Dataset columns", "dataset sha256",
                      "Positive (favourable) outcome", "Target: —", "RUN001 inputs (0 rows)"):  # fmt: skip
            assert wrong not in text, wrong
        # the areas with no check that can run are "not assessed", not a row per skipped check
        assert f"Fairness across groups Not assessed: {NO_DATA_REASON} ( FAIR001 , " in text
        assert f"PII exposure Not assessed: {NO_DATA_REASON} ( PII001 , " in text
        assert text.count(NO_DATA_REASON) <= 12  # 6 of them: the TRN2xx rows beside TRN100/101
    for md in (
        (out / "audit.md").read_text(encoding="utf-8"),
        cli("render", out / "audit.json", "--format", "md", cwd=root).stdout,
    ):
        head = md.splitlines()[1]
        blocking = len(report(out)["gate"]["blocking"])
        assert head.startswith(f"### ❌ Documentation review FAIL: {blocking} blocking problems")
        assert f"no dataset or model was given, so the {n} checks that need data" in md
        assert f"model card hf\\_template\\_README\\.md sha256 `{sha256(TEMPLATE)[:12]}`" in md
        assert "dataset sha256" not in md and " rows" not in md
    sarif = json.loads((out / "audit.sarif").read_text(encoding="utf-8"))
    (run,) = sarif["runs"]
    assert run["properties"]["scope"] == "documentation"
    assert run["artifacts"] == [
        {
            "location": run["artifacts"][0]["location"],
            "roles": ["analysisTarget"],
            "hashes": {"sha-256": sha256(TEMPLATE)},
        }
    ]
    junit = (out / "audit.junit.xml").read_text(encoding="utf-8")
    assert '<property name="scope" value="documentation" />' in junit
    assert junit.count(f'<skipped message="{NO_DATA_REASON}" />') == n


#: a model card (auditor's schema) that answers every field of the core transparency set
FULL_CARD = """\
schema_version: 1
model:
  name: Acme CV Screener
  description: Gradient-boosted scorer ranking job applicants for a first interview.
  version: 2.1.0
  release_date: 2026-03-02
  task: binary classification
  type: gradient-boosted trees
provider:
  name: Acme HR Analytics Ltd.
  contact: model-risk@acme.example
license: Apache-2.0
use:
  intended: Rank applicants for software roles so recruiters can prioritise interviews.
  intended_users: [recruiters at Acme, hiring managers]
  out_of_scope: Final hiring decisions without a human reviewer; roles outside software.
data:
  training:
    - {id: acme-applicants-2019-2024, description: "48,000 past applications"}
  evaluation:
    - {id: acme-applicants-2025, split: holdout 2025}
metrics:
  - {name: accuracy, rationale: share of correct advance/reject decisions}
  - {name: selection_rate, rationale: the four-fifths rule compares selection rates}
results:
  overall:
    - {metric: accuracy, value: 0.86, dataset: acme-applicants-2025}
  by_group:
    - {feature: sex, group: Female, metric: selection_rate, value: 0.31}
    - {feature: sex, group: Male, metric: selection_rate, value: 0.34}
limitations: Trained on past recruiter decisions, which may carry their bias.
risks:
  - {name: Historical bias in past recruiter decisions, mitigation: quarterly fairness audit}
"""


def test_a_filled_card_passes_the_gate(tmp_path: Path) -> None:
    card = tmp_path / "model_card.yaml"
    card.write_text(FULL_CARD, encoding="utf-8")
    proc = cli("run", "--card", card, "--policy", "transparency", "--fail-on", "high",
               "--out", "out", cwd=tmp_path)  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = report(tmp_path / "out")
    assert data["verdict"] == "pass" and data["gate"]["blocking"] == []
    by = results(data)
    assert by["TRN100"]["status"] == "passed" and by["TRN207"]["status"] == "passed"
    rows = by["TRN101"]["tables"]["fields"]
    assert rows and {r["status"] for r in rows} == {"present"}  # every core field answered
    assert "PASS: documentation review of model_card.yaml:" in proc.stdout
    # the gate decides: the template card fails the same gate
    bad = cli("run", "--card", TEMPLATE, "--policy", "transparency", "--fail-on", "high",
              "--format", "json", "--out", "bad", cwd=tmp_path)  # fmt: skip
    assert bad.returncode == 1 and report(tmp_path / "bad")["gate"]["blocking"]


@pytest.mark.parametrize("pack", DOC_PACKS)
def test_every_documentation_pack_runs_on_a_card_alone(tmp_path: Path, pack: str) -> None:
    proc = cli("run", "--card", TEMPLATE, "--policy", pack, "--format", "json", "--out", "out",
               cwd=tmp_path)  # fmt: skip
    assert proc.returncode == 1, proc.stderr  # the template leaves required fields unanswered
    data = report(tmp_path / "out")
    by = results(data)
    assert by["TRN101"]["status"] == "failed" and by["TRN101"]["findings"]
    assert not [c for c, r in by.items() if r["status"] == "errored"]
    assert all(by[f"TRN20{i}"]["detail"] == NO_DATA_REASON for i in range(1, 7))


def test_datasheet_alone(tmp_path: Path) -> None:
    proc = cli("run", "--datasheet", SHEET, "--out", "out", cwd=tmp_path)
    data = report(tmp_path / "out")
    by = results(data)
    assert by["TRN100"]["status"] == "passed"
    assert by["TRN102"]["status"] in ("passed", "failed") and by["TRN102"]["tables"]["fields"]
    assert by["TRN101"]["status"] == "skipped" and by["TRN101"]["missing_inputs"] == ["card"]
    assert by["PII001"]["detail"] == NO_DATA_REASON
    assert data["inputs"]["documents"] == [
        {"kind": "datasheet", "path": str(SHEET), "sha256": sha256(SHEET)}
    ]
    assert proc.returncode == (1 if data["gate"]["blocking"] else 0)
    assert "documentation review of datasheet.yaml:" in proc.stdout
    md = (tmp_path / "out" / "audit.md").read_text(encoding="utf-8")
    assert "Documentation review of the datasheet datasheet\\.yaml" in md


def test_card_and_datasheet_through_audit_yaml(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "README.md").write_bytes(FILLED.read_bytes())
    (docs / "sheet.yaml").write_bytes(SHEET.read_bytes())
    config = docs / "audit.yaml"
    config.write_text("card: README.md\ndatasheet: sheet.yaml\npolicy: eu-ai-act\nout: ../rep\n")
    proc = cli("run", "--config", config, cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    data = report(tmp_path / "rep")
    assert [d["kind"] for d in data["inputs"]["documents"]] == ["model_card", "datasheet"]
    assert data["inputs"]["documents"][1]["sha256"] == sha256(SHEET)
    by = results(data)
    assert by["TRN101"]["status"] != "skipped" and by["TRN102"]["status"] != "skipped"
    assert proc.returncode == (1 if data["gate"]["blocking"] else 0)
    assert "documentation review of README.md and sheet.yaml:" in proc.stdout


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            [],
            "nothing to audit: give --data PATH (a dataset), or --card PATH and/or --datasheet "
            "PATH for a documentation-only audit",
        ),
        (["--card", "missing.md"], "missing.md: model card not found"),
        (["--datasheet", "nope.yaml"], "nope.yaml: datasheet not found"),
        (
            ["--card", str(TEMPLATE), "--target", "hired"],
            "--target (target: in audit.yaml) needs a dataset, and none was given",
        ),
        (["--card", str(TEMPLATE), "--sensitive", "sex"], "--sensitive (sensitive: in audit.yaml)"),
        (["--card", str(TEMPLATE), "--engine", "dask"], "--engine (engine: in audit.yaml)"),
        (
            ["--card", str(TEMPLATE), "--policy", "fairness"],
            "policy 'fairness' has no check that reads a model card or datasheet",
        ),
        (["--card", str(TEMPLATE), "--policy", "gdpr"], "policy 'gdpr' has no check that reads"),
    ],
)
def test_bad_documentation_only_input_exits_2_with_one_line(
    tmp_path: Path, argv: list[str], message: str
) -> None:
    proc = cli("run", *argv, "--out", "out", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("auditor: error: ") and proc.stderr.count("\n") == 1
    assert message in proc.stderr
    assert not (tmp_path / "out").exists()


def test_card_only_baseline_then_card_only_run_is_all_unchanged(
    template_run: tuple[Path, Any], tmp_path: Path
) -> None:
    root, _ = template_run
    base = root / "out" / "audit.json"
    proc = cli("run", "--card", TEMPLATE, "--baseline", base, "--fail-on", "new", "--out", "now",
               cwd=tmp_path)  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = report(tmp_path / "now")
    counts = data["baseline"]["counts"]
    assert counts["new"] == 0 and counts["not_evaluated"] == 0 and counts["absent"] == 0
    assert counts["unchanged"] == data["summary"]["findings"] > 0
    assert data["baseline"]["not_evaluated"] == []
    diff = cli("diff", base, tmp_path / "now" / "audit.json", "--format", "json", cwd=tmp_path)
    assert diff.returncode == 0, diff.stderr
    assert json.loads(diff.stdout)["counts"]["new"] == 0


def test_leaving_the_data_out_of_a_data_baseline_is_not_evaluated(
    tmp_path: Path, small_frame: pd.DataFrame
) -> None:
    """A card-only run cannot silence the data checks of a baseline that had data: they are
    not evaluated and block, unless the policy says the data is left out on purpose."""
    small_frame.to_csv(tmp_path / "data.csv", index=False)
    base = cli("run", "--data", "data.csv", "--target", "y", "--prediction", "p",
               "--sensitive", "sex", "--card", TEMPLATE, "--format", "json", "--out", "base",
               cwd=tmp_path)  # fmt: skip
    assert base.returncode in (0, 1), base.stderr
    baseline = tmp_path / "base" / "audit.json"
    ran = {r["check"] for r in report(tmp_path / "base")["results"] if r["status"] != "skipped"}
    assert "FAIR001" in ran

    proc = cli("run", "--card", TEMPLATE, "--baseline", baseline, "--fail-on", "new",
               "--format", "json", "--out", "now", cwd=tmp_path)  # fmt: skip
    assert proc.returncode == 1
    data = report(tmp_path / "now")
    lost = {x["check"]: x for x in data["baseline"]["not_evaluated"]}
    assert "FAIR001" in lost and lost["FAIR001"]["inputs"] == ["data"]
    assert lost["FAIR001"]["blocking"] is True and lost["FAIR001"]["reason"] == NO_DATA_REASON
    assert {b["reason"] for b in data["gate"]["blocking"]} == {"not_evaluated"}
    assert "input data missing, the baseline had it" in proc.stderr

    policy = tmp_path / "docs-only.yaml"
    policy.write_text(
        "extends: default\ndropped_inputs:\n"
        "  - {input: data, reason: documentation review before the data is available}\n"
    )
    ok = cli("run", "--card", TEMPLATE, "--baseline", baseline, "--fail-on", "new",
             "--policy", policy, "--format", "json", "--out", "dropped", cwd=tmp_path)  # fmt: skip
    assert ok.returncode == 0, ok.stdout + ok.stderr
    dropped = report(tmp_path / "dropped")
    assert dropped["gate"]["blocking"] == []
    assert all(not x["blocking"] for x in dropped["baseline"]["not_evaluated"])


def test_a_report_that_says_documentation_but_has_a_dataset_is_refused(
    template_run: tuple[Path, Any], tmp_path: Path
) -> None:
    root, _ = template_run
    data = json.loads((root / "out" / "audit.json").read_text(encoding="utf-8"))
    data["inputs"]["dataset"] = {"path": "x.csv", "format": "csv", "sha256": "ab" * 32,
                                 "rows": 3, "columns": []}  # fmt: skip
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    proc = cli("render", bad, "--format", "md", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == (
        f"auditor: error: {bad}: not a valid auditor report: inputs.dataset: must be null in a "
        "documentation-only report (inputs.scope is 'documentation'), got an object\n"
    )


def test_python_api_audits_a_card_alone() -> None:
    rep = auditor.audit(card=FILLED, policy="transparency")
    data = rep.to_dict()
    assert data["inputs"]["scope"] == "documentation" and data["inputs"]["dataset"] is None
    assert rep.result("TRN101").status.value in ("passed", "failed")
    assert rep.result("TRN201").detail == NO_DATA_REASON
    assert rep.exit_code == (1 if rep.blocking else 0)
    with pytest.raises(UsageError, match="nothing to audit"):
        auditor.audit(policy="transparency")
    with pytest.raises(UsageError, match=r"--model .*needs a dataset"):
        auditor.audit(card=FILLED, model=object())


def _doc_check(requires: tuple[str, ...], cid: str) -> Check[Any]:
    def run(ctx: Any, options: Any) -> Any:
        """A third-party check."""
        yield Finding(message=f"{cid} ran on {len(ctx.dataset)} rows", location="card")

    def validate(ctx: Any, options: Any) -> None:
        if "income" not in ctx.dataset.columns:  # a plan-time hook that reads the data
            raise InputError(f"{cid}: column 'income' not found")

    return Check(
        cid, cid.lower(), Severity.LOW, NoOptions, run, "doc", requires=requires,
        validate=validate if not requires else None,
    )  # fmt: skip


def test_which_checks_need_data() -> None:
    checks = load_checks()
    assert all(reads_data(c) for cid, c in checks.items() if cid.startswith(("FAIR", "PII")))
    assert not any(reads_data(checks[c]) for c in ("TRN100", "TRN101", "TRN102", "TRN207"))
    assert all(reads_data(checks[f"TRN20{i}"]) for i in range(1, 7))
    # a plugin reads data unless it declares that it reads only the documents
    assert reads_data(_doc_check((), "ACME001"))
    assert not reads_data(_doc_check(("card",), "ACME002"))
    assert reads_data(_doc_check(("card", "target"), "ACME003"))


def test_a_plugin_check_runs_card_only_only_when_it_reads_the_card_alone() -> None:
    from auditor.api import run_audit
    from auditor.config import AuditConfig

    checks = {**load_checks(), "ACME001": _doc_check((), "ACME001"),
              "ACME002": _doc_check(("card",), "ACME002")}  # fmt: skip
    policy = {"name": "p", "checks": {"ACME": {}}}
    # ACME001's plan-time hook reads the data: not run either (it would stop the run with exit 2)
    rep = run_audit(AuditConfig(card=FILLED, policy=policy), checks=checks, progress=False)
    assert rep.result("ACME001").status.value == "skipped"
    assert rep.result("ACME001").detail == NO_DATA_REASON
    assert rep.result("ACME002").findings[0].message == "ACME002 ran on 0 rows"


def test_readme_documents_the_card_only_audit() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert "auditor run --card" in readme
    docs = (Path(__file__).resolve().parent.parent / "docs" / "transparency.md").read_text(
        encoding="utf-8"
    )
    section = docs.split("## Documentation-only audits", 1)[1].split("\n## ", 1)[0]
    assert NO_DATA_REASON in section and "dropped_inputs" in section
    assert textwrap.dedent(section).strip()
