from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from auditor.cli import main

#: a waiver expiry within the policy's max_waiver_days (365) of any run date
SOON = (dt.date.today() + dt.timedelta(days=90)).isoformat()

REPO = Path(__file__).resolve().parent.parent


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from auditor import __version__

    code, out, _ = run(["--version"], capsys)
    assert code == 0 and out.strip() == f"auditor {__version__}"


@pytest.fixture
def clean_csv(tmp_path: Path, small_frame: pd.DataFrame) -> Path:
    """16 rows, 8 per sex: k-anonymous (k=8 >= 5) over its one quasi-identifier, no direct
    identifiers, so the default pack passes (8 rows give k=4 and PII004 fails, rightly)."""
    path = tmp_path / "clean.csv"
    pd.concat([small_frame, small_frame], ignore_index=True).to_csv(path, index=False)
    return path


def test_small_table_fails_k_anonymity(
    tmp_path: Path, csv_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, stdout, _ = run(
        [
            "run",
            "--data",
            str(csv_file),
            "--prediction",
            "p",
            "--out",
            str(tmp_path / "r"),
            "--format",
            "json",
        ],
        capsys,
    )
    assert code == 1 and "1 blocking at >= high" in stdout
    data = json.loads((tmp_path / "r" / "audit.json").read_text())
    assert data["gate"]["blocking"][0]["check"] == "PII004"
    pii004 = next(r for r in data["results"] if r["check"] == "PII004")
    assert pii004["findings"][0]["evidence"]["min_k"] == 4
    assert pii004["findings"][0]["evidence"]["records_below_k"] == 8


def test_run_pass_writes_default_formats(
    tmp_path: Path, clean_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "rep"
    code, stdout, _ = run(
        [
            "run",
            "--data",
            str(clean_csv),
            "--prediction",
            "p",
            "--target",
            "y",
            "--sensitive",
            "sex",
            "--out",
            str(out),
        ],
        capsys,
    )
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "audit.html",
        "audit.json",
        "audit.md",
        "manifest.json",
    ]
    data = json.loads((out / "audit.json").read_text())
    assert data["verdict"] == "pass"
    assert data["inputs"]["dataset"]["rows"] == 16
    assert (
        data["inputs"]["dataset"]["columns"][0] == {"name": "sex", "dtype": "str"}
        or data["inputs"]["dataset"]["columns"][0]["name"] == "sex"
    )
    assert data["subject"]["positive_label"] == 1
    assert data["subject"]["positive_label_source"] == "inferred (binary 0/1 values)"
    assert "auditor: PASS" in stdout


def test_checks_json_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["checks", "--format", "json"], capsys)
    assert code == 0
    rows = {r["id"]: r for r in json.loads(out)}
    assert rows["RUN002"] == {
        "id": "RUN002",
        "name": "waiver-hygiene",
        "family": "run",
        "severity": "medium",
        "summary": "expired waivers and waivers that matched nothing.",
        "requires": [],
        "references": [],
        "options": {},
    }
    for r in rows.values():
        assert set(r) >= {"id", "name", "family", "severity", "summary", "options"}


def test_explain_and_unknown_id(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["explain", "RUN002"], capsys)
    assert code == 0 and "Passes: every waiver is in date" in out
    code, _, err = run(["explain", "RUN020"], capsys)
    assert code == 2 and "unknown check id 'RUN020' (did you mean" in err


def test_render_reproduces_every_format(
    tmp_path: Path, clean_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "rep"
    assert (
        main(
            [
                "run",
                "--data",
                str(clean_csv),
                "--prediction",
                "p",
                "--out",
                str(out),
                "--format",
                "json,md,html,junit,sarif",
            ]
        )
        == 0
    )
    names = {
        "md": "audit.md",
        "html": "audit.html",
        "junit": "audit.junit.xml",
        "sarif": "audit.sarif",
        "json": "audit.json",
    }
    for fmt, name in names.items():
        target = tmp_path / f"again.{fmt}"
        assert main(["render", str(out / "audit.json"), "--format", fmt, "--out", str(target)]) == 0
        assert target.read_text() == (out / name).read_text(), fmt


def test_set_override_reaches_the_check(tmp_path: Path, acme_plugin: Path, csv_file: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text("checks:\n  ACME001: {}\n")
    out = tmp_path / "o"
    assert (
        main(
            [
                "run",
                "--data",
                str(csv_file),
                "--policy",
                str(policy),
                "--out",
                str(out),
                "--set",
                "ACME001.min_rows=3",
            ]
        )
        == 0
    )
    data = json.loads((out / "audit.json").read_text())
    assert data["results"][0]["options"] == {"min_rows": 3}


def test_validate_policy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["validate-policy", "default"], capsys)
    assert code == 0 and "valid policy 'default'" in out
    bad = tmp_path / "bad.yaml"
    bad.write_text("checks:\n  RUN001: {options: {x: 1}}\n")
    code, _, err = run(["validate-policy", str(bad)], capsys)
    assert code == 2 and "checks.RUN001.options.x: unknown option" in err


def _dir(tmp_path: Path, name: str, member: str) -> Path:
    d = tmp_path / name
    d.mkdir()
    (d / member).write_text("a,p\n1,0\n")
    return d


def _frame(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


def bad_inputs(tmp_path: Path, csv_file: Path) -> list[tuple[str, list[str], str]]:
    """(case, argv, message fragment) for every bad input in the foundation issue."""
    d = str(csv_file)
    nonbinary = _frame(tmp_path, "nb.csv", "g,p\na,approve\nb,deny\nb,review\n")
    waiver_bad = _frame(
        tmp_path,
        "w.yaml",
        "checks: {RUN: {}}\nwaivers:\n  - {check: RUN001, location: x, reason: r, expires: next tuesday}\n",
    )
    blocker = _frame(tmp_path, "file.txt", "x")
    return [
        ("missing file", ["--data", str(tmp_path / "nope.csv")], "nope.csv: data file not found"),
        (
            "directory without parquet",
            ["--data", str(_dir(tmp_path, "csvs", "a.csv"))],
            "csvs: the directory holds no Parquet file (*.parquet, *.pq)",
        ),
        (
            "corrupt parquet",
            ["--data", str(_frame(tmp_path, "x.parquet", "not parquet"))],
            "x.parquet: cannot read as Parquet: Parquet magic bytes not found in footer",
        ),
        (
            "unknown format",
            ["--data", str(_frame(tmp_path, "x.xlsx", "a"))],
            "x.xlsx: unknown data format '.xlsx'",
        ),
        (
            "empty file",
            ["--data", str(_frame(tmp_path, "empty.csv", ""))],
            "empty.csv: the file is empty",
        ),
        (
            "blank file",
            ["--data", str(_frame(tmp_path, "blank.csv", "\n\n"))],
            "blank.csv: the file is empty",
        ),
        (
            "header only",
            ["--data", str(_frame(tmp_path, "h.csv", "a,b,c\n"))],
            "h.csv: no data rows (header only)",
        ),
        (
            "duplicate columns",
            ["--data", str(_frame(tmp_path, "dup.csv", "a,b,a\n1,2,3\n"))],
            "dup.csv: duplicate column names: 'a'",
        ),
        (
            "unknown target",
            ["--data", d, "--target", "why"],
            "target column 'why' not found (columns: 'sex', 'y', 'p', 's')",
        ),
        (
            "unknown prediction",
            ["--data", d, "--prediction", "pp"],
            "prediction column 'pp' not found (did you mean 'p'",
        ),
        (
            "unknown sensitive",
            ["--data", d, "--sensitive", "sex,gender"],
            "sensitive column 'gender' not found",
        ),
        (
            "non-binary prediction",
            ["--data", str(nonbinary), "--prediction", "p"],
            "prediction values are not binary 0/1 ('approve', 'deny', 'review'); give the favourable outcome with --positive-label VALUE",
        ),
        (
            "positive label absent",
            ["--data", d, "--prediction", "p", "--positive-label", "yes"],
            "positive label 'yes' never occurs in the prediction column",
        ),
        (
            "policy syntax",
            ["--data", d, "--policy", str(_frame(tmp_path, "s.yaml", "checks: [\n"))],
            "s.yaml:2:1: invalid YAML",
        ),
        (
            "unknown policy",
            ["--data", d, "--policy", "nyc-ll145"],
            "unknown policy pack 'nyc-ll145'",
        ),
        (
            "unknown check id",
            ["--data", d, "--policy", str(_frame(tmp_path, "u.yaml", "checks: {RUN009: {}}\n"))],
            "checks.RUN009: unknown check id or prefix 'RUN009' (did you mean",
        ),
        (
            "unknown option",
            [
                "--data",
                d,
                "--policy",
                str(_frame(tmp_path, "o.yaml", "checks: {RUN001: {options: {strict: true}}}\n")),
            ],
            "checks.RUN001.options.strict: unknown option",
        ),
        (
            "wrong option type",
            ["--data", d, "--set", "ACME001.min_rows=many"],
            "error: --set ACME001.min_rows: expected an integer, got 'many'\n",
        ),
        (
            "bad --set shape",
            ["--data", d, "--set", "ACME001=3"],
            "--set ACME001=3: expected CHECK_ID.option=VALUE",
        ),
        (
            "bad --set id",
            ["--data", d, "--set", "ACME999.min_rows=3"],
            "--set ACME999.min_rows: unknown check id 'ACME999' (did you mean 'ACME002' or 'ACME001'?)",
        ),
        (
            "--set unknown option",
            ["--data", d, "--set", "FAIR001.thresold=0.8"],
            "error: --set FAIR001.thresold: unknown option (did you mean 'threshold'",
        ),
        (
            "--set wrong type",
            ["--data", d, "--set", "FAIR001.threshold=abc"],
            "error: --set FAIR001.threshold: expected float | null, got 'abc'\n",
        ),
        (
            "--set on a disabled check",
            ["--data", d, "--set", "FAIR003.n_boot=500"],
            "error: --set FAIR003.n_boot: check FAIR003 is disabled by ",
        ),
        (
            "waiver for an unknown check",
            [
                "--data",
                d,
                "--policy",
                str(
                    _frame(
                        tmp_path,
                        "wc.yaml",
                        "extends: default\nwaivers:\n  - {check: FAIRR001, location: x, "
                        f"reason: r, expires: {SOON}}}\n",
                    )
                ),
            ],
            "wc.yaml: waivers[0].check: 'FAIRR001' matches no installed check id or prefix "
            "(did you mean 'FAIR001'",
        ),
        (
            "extends unknown pack",
            ["--data", d, "--policy", str(_frame(tmp_path, "ext.yaml", "extends: defualt\n"))],
            "ext.yaml: extends: unknown policy pack 'defualt' (did you mean 'default'?)",
        ),
        (
            "waiver date",
            ["--data", d, "--policy", str(waiver_bad)],
            "waivers[0].expires: expected a date as YYYY-MM-DD, got 'next tuesday'",
        ),
        (
            "unwritable out",
            ["--data", d, "--out", str(blocker / "sub")],
            "output directory is not writable",
        ),
        (
            "unknown format flag",
            ["--data", d, "--format", "json,pdff"],
            "--format: unknown format 'pdff'",
        ),
        (
            "bad fail-on",
            ["--data", d, "--fail-on", "severe"],
            "--fail-on: unknown severity 'severe'",
        ),
        ("no data", [], "nothing to audit: give --data PATH"),
        (
            "bad config key",
            ["--config", str(_frame(tmp_path, "a.yaml", "dataa: x.csv\n"))],
            "a.yaml: dataa: unknown key (did you mean 'data'",
        ),
        (
            "missing card",
            ["--data", d, "--card", str(tmp_path / "card.md")],
            "card.md: model card not found",
        ),
        ("bad flag", ["--dta", d], "unrecognized arguments: --dta"),
    ]


def test_bad_input_exit_2_one_line_nothing_written(
    tmp_path: Path, csv_file: Path, acme_plugin: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for case, argv, message in bad_inputs(tmp_path, csv_file):
        if "--out" in argv:
            out = Path(argv[argv.index("--out") + 1])
        else:
            out = tmp_path / f"out-{case.replace(' ', '-')}"
            argv = [*argv, "--out", str(out)]
        code, stdout, err = run(["run", *argv], capsys)
        assert code == 2, (case, err)
        assert message in err, (case, err)
        assert err.startswith("auditor: error: ") and err.count("\n") == 1, (case, err)
        assert "Traceback" not in err
        assert not out.exists(), case  # nothing half-written: not even an empty out dir


def test_debug_shows_traceback_for_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["run", "--data", str(tmp_path / "nope.csv"), "--debug"], capsys)
    assert code == 2 and "Traceback" in err


@pytest.mark.parametrize(
    "case",
    [
        "missing file",
        "unknown target",
        "non-binary prediction",
        "unknown check id",
        "unwritable out",
    ],
)
def test_bad_input_through_console_script(tmp_path: Path, csv_file: Path, case: str) -> None:
    _, argv, message = next(c for c in bad_inputs(tmp_path, csv_file) if c[0] == case)
    exe = Path(sys.executable).with_name("auditor")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "auditor"]
    proc = subprocess.run(
        [*cmd, "run", *argv, "--out", str(tmp_path / "o")]
        if "--out" not in argv
        else [*cmd, "run", *argv],
        capture_output=True,
        text=True,
        check=False,
        env=os.environ.copy(),
    )
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr


def test_csv_encoding_fallback_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    p = tmp_path / "latin.csv"
    p.write_bytes("name,p\nJos\xe9,1\nRen\xe9e,0\n".encode("latin-1"))
    out = tmp_path / "o"
    # exit 1: the decoded names are found (a direct identifier), which proves they decoded right
    assert (
        main(["run", "--data", str(p), "--prediction", "p", "--out", str(out), "--format", "json"])
        == 1
    )
    data = json.loads((out / "audit.json").read_text())
    pii001 = next(r for r in data["results"] if r["check"] == "PII001")
    assert pii001["findings"][0]["evidence"]["masked_examples"] == ["J***", "R***"]
    assert data["warnings"] == ["file is not valid UTF-8; decoded as cp1252"]
    run001 = next(r for r in data["results"] if r["check"] == "RUN001")
    assert run001["findings"][0]["message"] == "file is not valid UTF-8; decoded as cp1252"
    assert data["inputs"]["dataset"]["encoding"] == "cp1252"


def test_unicode_and_html_column_names(tmp_path: Path) -> None:
    frame = pd.DataFrame({"<script>alert(1)</script>": ["x", "y"], "naïve ✓": [1, 0]})
    p = tmp_path / "u.csv"
    frame.to_csv(p, index=False)
    out = tmp_path / "o"
    assert main(["run", "--data", str(p), "--prediction", "naïve ✓", "--out", str(out)]) == 0
    html = (out / "audit.html").read_text()
    assert (
        "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    )


EXITING_SOURCE = '''
from auditor import Finding, check


@check("ZZZ001", "exits")
def exits(ctx, options):
    """ZZZ001 exits: a buggy plugin that calls sys.exit(0) half-way."""
    import sys

    yield Finding("seen before the exit", location="dataset")
    sys.exit(0)


@check("ZZZ002", "counts")
def counts(ctx, options):
    """ZZZ002 counts: a well-behaved check that runs after ZZZ001."""
    yield Finding(f"{len(ctx.dataset)} rows", location="dataset")
'''


@pytest.fixture
def exiting_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from conftest import install_fake_plugin

    root = install_fake_plugin(
        tmp_path / "zsite",
        """
        [auditor.checks]
        ZZZ001 = zzz_exiting_checks:exits
        ZZZ002 = zzz_exiting_checks:counts
        """,
    )
    (root / "zzz_exiting_checks.py").write_text(EXITING_SOURCE)
    monkeypatch.syspath_prepend(str(root))
    yield root
    sys.modules.pop("zzz_exiting_checks", None)


def test_a_check_calling_sys_exit_does_not_end_the_audit(
    exiting_plugin: Path, tmp_path: Path, csv_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = _frame(tmp_path, "z.yaml", "checks: {ZZZ: {}}\n")
    out = tmp_path / "o"
    argv = ["run", "--data", str(csv_file), "--policy", str(policy), "--out", str(out)]
    code, stdout, err = run([*argv, "--format", "json"], capsys)
    assert code == 1  # errored fails closed; before the fix this was 0 with no report
    assert "auditor: ERROR: 2 checks" in stdout
    assert "ZZZ001 errored: SystemExit: the check called sys.exit(0)" in err
    data = json.loads((out / "audit.json").read_text())
    status = {
        r["check"]: (r["status"], [f["message"] for f in r["findings"]]) for r in data["results"]
    }
    assert status == {
        "ZZZ001": ("errored", ["seen before the exit"]),
        "ZZZ002": ("failed", ["8 rows"]),
    }
    assert data["verdict"] == "error"


@pytest.mark.parametrize(
    ("exc", "line"),
    [
        (SystemExit(5), "auditor: internal error: SystemExit: sys.exit(5) was called"),
        (KeyError("k"), "auditor: internal error: KeyError: 'k'"),
    ],
)
def test_a_bug_in_auditor_itself_is_an_internal_error_exit_2(
    exc: BaseException,
    line: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import auditor.cli

    def broken(args: object) -> int:
        raise exc

    monkeypatch.setitem(auditor.cli.COMMANDS, "checks", broken)
    code, _, err = run(["checks"], capsys)
    assert code == 2
    assert err == f"{line} (rerun with --debug)\n"


def test_help_still_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["run", "--help"], capsys)
    assert code == 0 and "--positive-label" in out


def test_error_after_the_checks_ran_is_exit_1_not_nothing_ran(
    tmp_path: Path, clean_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    templates = tmp_path / "tpl"
    templates.mkdir()
    # valid (a syntax error is refused before anything runs), but this run's config has no title
    (templates / "report.md.j2").write_text("{{ data.subject.metadata.title }}\n")
    out = tmp_path / "o"
    code, stdout, err = run(
        [
            "run", "--data", str(clean_csv), "--prediction", "p", "--out", str(out),
            "--format", "json,md", "--templates", str(templates),
        ],
        capsys,
    )  # fmt: skip
    assert code == 1, err
    assert err.startswith("auditor: error after the checks ran: ")
    assert (
        f"checks ran, then writing the report failed: {templates}/report.md.j2:1: 'dict object' "
        "has no attribute 'title'"
    ) in err
    assert "nothing ran" not in err and "internal error:" not in err
    assert not out.exists()  # every format is rendered before any file is written


def test_validate_policy_pluralises(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    one = _frame(tmp_path, "one.yaml", "checks: {RUN001: {}}\n")
    code, out, _ = run(["validate-policy", str(one)], capsys)
    assert code == 0
    assert out == f"{one}: valid policy 'one': 1 check, fail_on high, 0 waivers\n"
    two = _frame(
        tmp_path,
        "two.yaml",
        "checks: {RUN001: {}}\nwaivers:\n  - {check: RUN001, location: x, reason: r, "
        f"expires: {SOON}}}\n",
    )
    code, out, _ = run(["validate-policy", str(two)], capsys)
    assert out == f"{two}: valid policy 'two': 2 checks, fail_on high, 1 waiver\n"  # + RUN002


def _drop_root_read_override() -> list[str] | None:
    """A command prefix under which a chmod-000 file is unreadable, or None if impossible.

    Not root: nothing needed. Root ignores file modes through CAP_DAC_OVERRIDE and
    CAP_DAC_READ_SEARCH; ``setpriv`` drops both from the bounding set, so the permission check
    is real again (the process stays uid 0 and can still read its own Python install)."""
    if os.geteuid() != 0:
        return []
    import shutil

    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    probe = subprocess.run(
        [setpriv, "--bounding-set", "-dac_override,-dac_read_search", "true"],
        capture_output=True,
        check=False,
    )
    return (
        [setpriv, "--bounding-set", "-dac_override,-dac_read_search"]
        if probe.returncode == 0
        else None
    )


def test_unreadable_data_file_is_permission_denied(tmp_path: Path, csv_file: Path) -> None:
    prefix = _drop_root_read_override()
    if prefix is None:
        pytest.skip("running as root without setpriv: a chmod 000 file stays readable")
    locked = tmp_path / "locked.csv"
    locked.write_bytes(csv_file.read_bytes())
    locked.chmod(0)
    out = tmp_path / "o"
    try:
        proc = subprocess.run(
            [*prefix, sys.executable, "-m", "auditor", "run", "--data", str(locked),
             "--prediction", "p", "--out", str(out)],
            capture_output=True, text=True, check=False, env=os.environ.copy(),
        )  # fmt: skip
    finally:
        locked.chmod(0o600)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == f"auditor: error: {locked}: permission denied\n"
    assert not out.exists()
