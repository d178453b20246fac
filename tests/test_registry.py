from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest
from conftest import validate_report

from auditor.cli import main
from auditor.errors import PluginError
from auditor.registry import GROUP, load_checks, plugin_versions


def ep(name: str, value: str) -> EntryPoint:
    return EntryPoint(name, value, GROUP)


def test_builtins_register_through_entry_points() -> None:
    checks = load_checks()
    assert {"RUN001", "RUN002"} <= set(checks)
    assert checks["RUN002"].name == "waiver-hygiene"
    assert checks["RUN002"].family == "run"


def test_non_check_object_is_rejected(acme_plugin: Path) -> None:
    with pytest.raises(
        PluginError,
        match=r"ACME003 = 'acme_audit_checks:not_a_check' is not an auditor Check \(got object",
    ):
        load_checks([ep("ACME003", "acme_audit_checks:not_a_check")])


def test_duplicate_and_mismatched_ids(acme_plugin: Path) -> None:
    with pytest.raises(
        PluginError, match="entry point name 'ACME009' differs from its id 'ACME001'"
    ):
        load_checks([ep("ACME009", "acme_audit_checks:min_rows")])
    with pytest.raises(PluginError, match="duplicate check id ACME001"):
        load_checks(
            [
                ep("ACME001", "acme_audit_checks:min_rows"),
                ep("ACME001", "acme_audit_checks:min_rows "),
            ]
        )


def test_import_failure_is_a_plugin_error() -> None:
    with pytest.raises(PluginError, match="failed to import: ModuleNotFoundError"):
        load_checks([ep("ZZZ001", "no_such_module_xyz:thing")])


def test_third_party_plugin_discovered_and_run(
    acme_plugin: Path, tmp_path: Path, csv_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    checks = load_checks()
    assert checks["ACME001"].name == "min-rows"
    assert plugin_versions()["acme-audit-checks"] == "1.2.0"
    policy = tmp_path / "acme.yaml"
    policy.write_text("checks:\n  ACME001: {options: {min_rows: 20}}\n")
    out = tmp_path / "out"
    code = main(
        [
            "run",
            "--data",
            str(csv_file),
            "--policy",
            str(policy),
            "--out",
            str(out),
            "--format",
            "json",
        ]
    )
    assert code == 1  # 8 rows < 20, severity high >= default gate
    import json

    report = json.loads((out / "audit.json").read_text())
    (result,) = [r for r in report["results"] if r["check"] == "ACME001"]
    assert result["status"] == "failed"
    assert result["findings"][0]["message"] == "only 8 rows (< 20)"
    assert result["tables"]["size"] == [{"rows": 8, "min_rows": 20}]
    assert report["environment"]["check_plugins"]["acme-audit-checks"] == "1.2.0"
    # explain shows the plugin's docstring
    assert main(["explain", "acme001"]) == 0
    assert "Fails: 8 rows with min_rows 10." in capsys.readouterr().out


def test_crashing_plugin_is_errored_and_fails_the_gate(
    acme_plugin: Path, tmp_path: Path, csv_file: Path
) -> None:
    policy = tmp_path / "acme.yaml"
    policy.write_text("checks:\n  ACME: {options: {min_rows: 5}}\n  RUN: {}\n")
    out = tmp_path / "out"
    code = main(
        [
            "run",
            "--data",
            str(csv_file),
            "--policy",
            str(policy),
            "--out",
            str(out),
            "--format",
            "json",
        ]
    )
    assert code == 1
    import json

    report = json.loads((out / "audit.json").read_text())
    status = {r["check"]: r["status"] for r in report["results"]}
    assert status == {
        "ACME001": "passed",
        "ACME002": "errored",
        "RUN001": "passed",
        "RUN002": "passed",
    }
    crashed = next(r for r in report["results"] if r["check"] == "ACME002")
    assert crashed["detail"] == "RuntimeError: boom in plugin"  # no traceback without --debug
    assert report["verdict"] == "error"
    assert report["gate"]["blocking"] == [
        {"check": "ACME002", "finding": None, "severity": "low", "reason": "errored"}
    ]


def test_plugin_through_console_script(acme_plugin: Path, tmp_path: Path, csv_file: Path) -> None:
    policy = tmp_path / "acme.yaml"
    policy.write_text("checks:\n  ACME001: {options: {min_rows: 5}}\n")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(acme_plugin), os.environ.get("PYTHONPATH", "")]),
    }
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "auditor",
            "run",
            "--data",
            str(csv_file),
            "--policy",
            str(policy),
            "--out",
            str(tmp_path / "o"),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "auditor: PASS: 1 check, 0 open findings" in proc.stdout
    report = json.loads((tmp_path / "o" / "audit.json").read_text())
    validate_report(report)  # written by another process: the autouse hook did not see it
    assert report["results"][0]["tables"]["size"] == [{"rows": 8, "min_rows": 5}]
    assert report["environment"]["check_plugins"]["acme-audit-checks"] == "1.2.0"


def test_duplicate_id_names_both_distributions(
    acme_plugin: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other-site"
    dist = other / "other_checks-0.3.1.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: other-checks\nVersion: 0.3.1\n")
    (dist / "entry_points.txt").write_text(
        "[auditor.checks]\nACME001 = acme_audit_checks:min_rows\n"
    )
    monkeypatch.syspath_prepend(str(other))
    with pytest.raises(PluginError) as err:
        load_checks()
    message = str(err.value)
    assert message.startswith("duplicate check id ACME001: ")
    assert "'acme_audit_checks:min_rows' from distribution acme-audit-checks 1.2.0" in message
    assert "'acme_audit_checks:min_rows' from distribution other-checks 0.3.1" in message
    assert message.endswith("both provide it (uninstall one of the distributions)")
