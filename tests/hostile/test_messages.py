"""No raw data values in messages (issue 11, item 4): error lines, crash details and card excerpts
show personal data only masked, on stderr, stdout and in every report format.

Canaries: a fixed SSN, e-mail address, phone number, card number and person name. Each test puts
them where a hostile or careless input would (data columns, a model's exception, model-card text),
runs the real CLI on real files, and looks for them in everything the run printed or wrote.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from auditor.cli import main
from auditor.errors import describe_crash

SSN = "078-05-1120"
EMAIL = "jane.canary@example.org"
PHONE = "+1 415 555 0134"
CARD = "4111 1111 1111 1111"
NAME = "Jane Canary"
CANARIES = (SSN, EMAIL, PHONE, CARD, NAME)
FORMATS = "json,html,md,junit,sarif"


def _leaks(*texts: str) -> list[str]:
    return [c for c in CANARIES for t in texts if c in t]


def _outputs(out: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(out.iterdir()) if p.is_file()}


def _cli(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "auditor", *argv],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
        timeout=600,
    )


@pytest.fixture
def people(tmp_path: Path) -> Path:
    """200 applicants; the canaries in the first row, other (fake) personal data in the rest."""
    n = 200
    rng = np.random.default_rng(11)
    rows = {
        "name": [NAME] + [f"Person{i} Example" for i in range(1, n)],
        "email": [EMAIL] + [f"person{i}@mail.example.com" for i in range(1, n)],
        "ssn": [SSN] + [f"{100 + i:03d}-{10 + i % 80:02d}-{2000 + i:04d}" for i in range(1, n)],
        "phone": [PHONE] + [f"+1 212 555 {1000 + i:04d}" for i in range(1, n)],
        "card": [CARD] + [f"5500 0000 0000 {i:04d}" for i in range(1, n)],
        "sex": rng.choice(["F", "M"], n),
        "y": rng.integers(0, 2, n),
        "p": rng.integers(0, 2, n),
    }
    path = tmp_path / "people.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["--prediction", "email"], "prediction values are not binary 0/1 ("),
        (["--target", "ssn", "--prediction", "p"], "the target column 'ssn' do not use the same"),
        (["--target", "card", "--prediction", "p"], "the target column 'card' do not use the same"),
        (
            ["--prediction", "phone", "--positive-label", "x"],
            "positive label 'x' never occurs in the prediction column (values: ",
        ),
        (
            ["--prediction", "name", "--positive-label", "x"],
            "positive label 'x' never occurs in the prediction column (values: ",
        ),
        (["--target", "email"], "target values are not binary 0/1 ("),
    ],
    ids=[
        "prediction-email",
        "target-ssn",
        "target-card",
        "phone-label-x",
        "name-label-x",
        "target",
    ],
)
def test_label_errors_show_masked_values_only(
    tmp_path: Path,
    people: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    named: str,
) -> None:
    out = tmp_path / "o"
    code = main(["run", "--data", str(people), "--sensitive", "sex", "--out", str(out), *argv])
    captured = capsys.readouterr()
    assert code == 2
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"auditor: error: {people}: ")
    assert named in lines[0]
    assert "distinct values, masked" in lines[0]  # the values are there, masked
    assert _leaks(captured.out, captured.err) == []
    assert not out.exists()


def test_label_error_through_a_subprocess_masks_every_canary(people: Path, tmp_path: Path) -> None:
    proc = _cli("run", "--data", str(people), "--prediction", "email", "--out", str(tmp_path / "o"))
    assert proc.returncode == 2
    assert "'j***@e***.org'" in proc.stderr  # the canary's masked shape: recognisable, not readable
    assert _leaks(proc.stdout, proc.stderr) == []


_MODEL = '''
import numpy as np

SECRET = "applicant Jane Canary (jane.canary@example.org, SSN 078-05-1120, tel +1 415 555 0134, card 4111 1111 1111 1111)"


class LeakyModel:
    """Predicts on the one-row plan-time probe, raises (quoting personal data) on the full data."""

    classes_ = np.array([0, 1])
    feature_names_in_ = np.array(["x"])

    def __init__(self, probe_fails=False):
        self.probe_fails = probe_fails

    def predict(self, X):
        if self.probe_fails or len(X) > 2:
            raise ValueError(f"cannot score {SECRET}")
        return np.zeros(len(X), dtype=int)

    def predict_proba(self, X):
        return np.tile([0.5, 0.5], (len(X), 1))
'''


def _pickled_model(tmp_path: Path, *, probe_fails: bool) -> tuple[Path, Path, Path]:
    """(model.pkl, data.csv, module folder): a real pickle of a class the CLI imports."""
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "leaky_model_mod.py").write_text(textwrap.dedent(_MODEL))
    sys.path.insert(0, str(pkg))
    try:
        import leaky_model_mod

        model = leaky_model_mod.LeakyModel(probe_fails=probe_fails)
        blob = pickle.dumps(model)
    finally:
        sys.path.remove(str(pkg))
        sys.modules.pop("leaky_model_mod", None)
    path = tmp_path / "model.pkl"
    path.write_bytes(blob)
    rng = np.random.default_rng(3)
    data = tmp_path / "data.csv"
    pd.DataFrame(
        {"x": rng.random(120), "sex": rng.choice(["F", "M"], 120), "y": rng.integers(0, 2, 120)}
    ).to_csv(data, index=False)
    return path, data, pkg


def test_model_exception_is_masked_in_stderr_and_every_report(tmp_path: Path) -> None:
    model, data, pkg = _pickled_model(tmp_path, probe_fails=False)
    policy = tmp_path / "policy.yaml"
    policy.write_text("version: 1\nname: leak\nchecks:\n  FAIR001: {}\n  FAIR002: {}\n")
    out = tmp_path / "out"
    proc = _cli(
        "run", "--data", str(data), "--model", str(model), "--allow-unsafe-model",
        "--target", "y", "--sensitive", "sex", "--policy", str(policy), "--debug",
        "--out", str(out), "--format", FORMATS,
        env={"PYTHONPATH": str(pkg)},
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr  # the errored checks fail the gate
    report = json.loads((out / "audit.json").read_text())
    errored = {r["check"]: r["detail"] for r in report["results"] if r["status"] == "errored"}
    assert set(errored) == {"FAIR001", "FAIR002"}
    first = errored["FAIR001"].splitlines()[0]
    assert first == (
        "ValueError: cannot score applicant J*** C*** (j***@e***.org, SSN ***-**-1120, "
        "tel +* *** *** 0134, card **** **** **** 1111)"
    )
    assert "Traceback" in errored["FAIR001"]  # --debug keeps the traceback, masked line by line
    files = _outputs(out)
    assert {"audit.json", "audit.html", "audit.md", "audit.junit.xml", "audit.sarif"} <= set(files)
    assert _leaks(proc.stdout, proc.stderr, *files.values()) == []


def test_model_exception_at_load_is_masked(tmp_path: Path) -> None:
    model, data, pkg = _pickled_model(tmp_path, probe_fails=True)
    proc = _cli(
        "run", "--data", str(data), "--model", str(model), "--allow-unsafe-model",
        "--target", "y", "--sensitive", "sex", "--out", str(tmp_path / "o"),
        env={"PYTHONPATH": str(pkg)},
    )  # fmt: skip
    assert proc.returncode == 2
    assert f"{model}: the model cannot predict from the feature columns ('x'): ValueError: " in (
        proc.stderr
    )
    assert "j***@e***.org" in proc.stderr
    assert _leaks(proc.stdout, proc.stderr) == []
    assert not (tmp_path / "o").exists()


_CARD = f"""\
schema_version: 1
model:
  name: Screener by {NAME}
  description: Ranks applicants; questions to {EMAIL} or {PHONE}.
  version: 1.0.0
  release_date: 2026-03-02
  task: binary classification
provider:
  name: Acme Ltd.
  contact: {EMAIL}
license: Apache 2
use:
  intended: Screening. A test applicant had SSN {SSN} and card {CARD}.
  out_of_scope: Anything {NAME} did not approve.
limitations: Trained on records of {NAME} ({SSN}); call {PHONE}.
data:
  sensitive_attributes: [sex]
card:
  authors: [{NAME}]
  date: 2026-03-02
"""


def test_card_text_is_masked_in_excerpts_and_every_report(tmp_path: Path) -> None:
    card = tmp_path / "card.yaml"
    card.write_text(_CARD)
    rng = np.random.default_rng(5)
    data = tmp_path / "d.csv"
    pd.DataFrame(
        {
            "sex": rng.choice(["F", "M"], 200),
            "y": rng.integers(0, 2, 200),
            "p": rng.integers(0, 2, 200),
        }
    ).to_csv(data, index=False)
    policy = tmp_path / "policy.yaml"
    policy.write_text("version: 1\nname: card\nchecks:\n  TRN: {}\n")
    out = tmp_path / "out"
    proc = _cli(
        "run", "--data", str(data), "--target", "y", "--prediction", "p", "--sensitive", "sex",
        "--card", str(card), "--policy", str(policy), "--out", str(out), "--format", FORMATS,
    )  # fmt: skip
    assert proc.returncode in (0, 1), proc.stderr
    report = json.loads((out / "audit.json").read_text())
    fields = {
        row["field"]: row["value_excerpt"]
        for r in report["results"]
        if r["check"] == "TRN101"
        for row in r["tables"]["fields"]
    }
    assert fields["provider.contact"] == "j***@e***.org"
    assert fields["model.name"] == "Screener by J*** C***"
    assert fields["use.intended"] == (
        "Screening. A test applicant had SSN ***-**-1120 and card **** **** **** 1111."
    )
    assert fields["provider.name"] == "Acme Ltd."  # no personal data: shown as written
    assert fields["model.version"] == "1.0.0" and fields["license"] == "Apache 2"
    files = _outputs(out)
    assert "J*** C***" in files["audit.html"] or "J\\*\\*\\* C\\*\\*\\*" in files["audit.html"]
    assert _leaks(proc.stdout, proc.stderr, *files.values()) == []


def test_describe_crash_masks_the_exception_text() -> None:
    exc = KeyError(f"no row for {EMAIL} / {SSN} / {NAME}")
    assert describe_crash(exc) == "KeyError: 'no row for j***@e***.org / ***-**-1120 / J*** C***'"
    assert describe_crash(KeyError("threshold")) == "KeyError: 'threshold'"  # names stay
    assert describe_crash(SystemExit(3), by="the check") == (
        "SystemExit: the check called sys.exit(3)"
    )


def test_masking_keeps_what_is_not_personal_data() -> None:
    from auditor.redact import mask_text, show_values

    text = (
        "Acme CV Screener 2.1.0, released 2026-03-02; AUC 0.912345 on 48,000 rows; "
        "sha 3c5f0e1d9a7b2c4e6f8091a2b3c4d5e6f708192a; shape (10, 5)"
    )
    assert mask_text(text) == text
    assert mask_text(f"call {PHONE} or (212) 555-6615") == "call +* *** *** 0134 or (***) ***-6615"
    assert mask_text("Dr. Smith and J. Doe") == "D*** S*** and J*** D***"
    # labels of an outcome column stay readable; personal data is masked, counted and said so
    assert show_values(["approve", "deny", "review"]) == "'approve', 'deny', 'review'"
    assert show_values(["0", "1"]) == "'0', '1'"
    assert show_values([0, 1.5, True]) == "0, 1.5, True"
    assert show_values([EMAIL, SSN, 78051120, NAME, "hired"]) == (
        "'j***@e***.org', '***-**-1120', '********', 'J*** C***', 'hired'; "
        "5 distinct values, masked"
    )
