"""Inputs and options validated before anything runs (issue 11, item 5, data side): label spaces,
option domains, ``predict_proba`` shapes, mixed-type and nested group values. Each case is refused
with exit 2 and one line naming the file, column or ``CHECK_ID.option``, and nothing is written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import auditor
from auditor.cli import main
from auditor.errors import ConfigError, InputError
from auditor.fairness.options import GroupOptions
from auditor.registry import load_checks

ONLY_FAIR001 = "version: 1\nname: one\nchecks:\n  FAIR001: {}\n"


def _run(capsys: pytest.CaptureFixture[str], tmp_path: Path, *argv: str) -> tuple[int, str, Path]:
    out = tmp_path / "out"
    code = main(["run", *argv, "--out", str(out), "--format", "json"])
    err = capsys.readouterr().err
    return code, err, out


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def _labels(tmp_path: Path, pred: Any, target: Any, suffix: str = ".parquet") -> Path:
    rng = np.random.default_rng(2)
    n = 200
    df = pd.DataFrame(
        {
            "sex": rng.choice(["F", "M"], n),
            "y": pd.Series(rng.integers(0, 2, n)).map(target),
            "p": pd.Series(rng.integers(0, 2, n)).map(pred),
        }
    )
    path = tmp_path / f"labels{suffix}"
    if suffix == ".parquet":
        df.to_parquet(path)
    else:
        df.to_json(path, orient="records", lines=True)
    return path


# -- label spaces ---------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ["pandas", "polars"])
def test_text_predictions_against_numeric_targets_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    data = _labels(tmp_path, pred=str, target=int)  # '0'/'1' against 0/1
    code, err, out = _run(
        capsys, tmp_path, "--data", str(data), "--engine", engine,
        "--target", "y", "--prediction", "p", "--positive-label", "1", "--sensitive", "sex",
    )  # fmt: skip
    assert code == 2
    assert _one_line(err) == (
        f"auditor: error: {data}: the prediction column 'p' and the target column 'y' do not use "
        "the same labels: the predictions are text ('0', '1'), the target is numbers (0, 1); the "
        "positive label '1' is not a target value. Write both columns with the same labels (e.g. "
        "both as numbers) and give that label with --positive-label"
    )
    assert not out.exists()


def test_matching_label_spaces_run_and_count_positives(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _labels(tmp_path, pred=str, target=str)  # both text: the same labels
    policy = tmp_path / "p.yaml"
    policy.write_text(ONLY_FAIR001)
    code, err, out = _run(
        capsys, tmp_path, "--data", str(data), "--target", "y", "--prediction", "p",
        "--positive-label", "1", "--sensitive", "sex", "--policy", str(policy),
    )  # fmt: skip
    assert code in (0, 1), err
    groups = json.loads((out / "audit.json").read_text())["results"][0]["tables"]["groups"]
    assert all(0.3 < g["base_rate"] < 0.7 for g in groups)  # not the all-zero of a mismatch


def test_model_classes_must_share_the_targets_labels() -> None:
    class Model:
        classes_ = np.array(["no", "yes"])

        def predict(self, X: Any) -> Any:
            return np.where(X["x"] > 0.5, "yes", "no")

    df = pd.DataFrame({"x": np.linspace(0, 1, 40), "y": [0, 1] * 20, "g": ["a", "b"] * 20})
    with pytest.raises(InputError) as err:
        auditor.audit(df, target="y", model=Model(), positive_label="yes", sensitive=["g"])
    assert str(err.value) == (
        "DataFrame: the classes of model object Model and the target column 'y' do not use the "
        "same labels: the predictions are text ('no', 'yes'), the target is numbers (0, 1); the "
        "positive label 'yes' is not a target value. Write both columns with the same labels "
        "(e.g. both as numbers) and give that label with --positive-label"
    )


def test_a_target_without_positives_is_the_same_label_space() -> None:
    df = pd.DataFrame({"p": [0, 1] * 20, "y": [0] * 40, "g": ["a", "b"] * 20})
    report = auditor.audit(
        df, target="y", prediction="p", sensitive=["g"], policy={"checks": {"RUN": {}}}
    )
    assert report.subject["positive_label"] == 1


# -- option domains -------------------------------------------------------------------------


def test_every_numeric_option_of_every_check_declares_its_domain() -> None:
    from auditor.options import options_schema, undeclared_domains

    checks = load_checks()
    missing = {cid: undeclared_domains(c.options_type) for cid, c in checks.items()}
    assert {cid: names for cid, names in missing.items() if names} == {}
    schema = {cid: options_schema(c.options_type) for cid, c in checks.items()}
    assert schema["FAIR001"]["threshold"]["range"] == "(0, 1]"
    assert schema["FAIR001"]["confidence"]["range"] == "(0, 1)"
    assert schema["FAIR001"]["n_boot"]["range"] == "0 or [100, 100000]"
    assert schema["FAIR003"]["flag_threshold"]["range"] == "(0, 1]"
    assert schema["PII004"]["k"]["range"] == ">= 2"
    assert schema["PII001"]["sample_size"]["range"] == ">= 1"
    assert schema["TRN201"]["tolerance"]["range"] == "[0, 1)"


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (
            "FAIR001.threshold=-0.5",
            "-0.5 is out of range for FAIR001.threshold (allowed: 0 < threshold <= 1)",
        ),
        (
            "FAIR001.threshold=5.0",
            "5.0 is out of range for FAIR001.threshold (allowed: 0 < threshold <= 1)",
        ),
        (
            "FAIR001.confidence=1",
            "1 is out of range for FAIR001.confidence (allowed: 0 < confidence < 1)",
        ),
        (
            "FAIR001.n_boot=10",
            "10 is out of range for FAIR001.n_boot (allowed: n_boot = 0 or 100 <= n_boot <= 100000)",
        ),
        (
            "FAIR001.min_group_size=-1",
            "-1 is out of range for FAIR001.min_group_size (allowed: min_group_size >= 0)",
        ),
        (
            "FAIR001.max_groups=1",
            "1 is out of range for FAIR001.max_groups (allowed: max_groups >= 2)",
        ),
        ("FAIR001.threshold=.nan", "expected a finite number, got nan"),
        (
            "FAIR003.flag_threshold=0",
            "0 is out of range for FAIR003.flag_threshold (allowed: 0 < flag_threshold <= 1)",
        ),
        (
            "FAIR003.quantile=1",
            "1 is out of range for FAIR003.quantile (allowed: 0 < quantile < 1)",
        ),
        (
            "FAIR004.max_error_ratio=0.5",
            "0.5 is out of range for FAIR004.max_error_ratio (allowed: max_error_ratio >= 1)",
        ),
        ("FAIR005.max_ece=2", "2 is out of range for FAIR005.max_ece (allowed: 0 <= max_ece <= 1)"),
        ("PII004.k=1", "1 is out of range for PII004.k (allowed: k >= 2)"),
        (
            "PII001.min_score=0",
            "0 is out of range for PII001.min_score (allowed: 0 < min_score <= 1)",
        ),
        (
            "PII003.max_share=1.5",
            "1.5 is out of range for PII003.max_share (allowed: 0 <= max_share <= 1)",
        ),
        (
            "TRN201.tolerance=1",
            "1 is out of range for TRN201.tolerance (allowed: 0 <= tolerance < 1)",
        ),
        (
            "FAIR001.thresholds={demographic_parity_difference: -0.1}",
            "-0.1 is out of range for FAIR001.thresholds.demographic_parity_difference "
            "(allowed: 0 <= demographic_parity_difference <= 1)",
        ),
        (
            "FAIR001.thresholds={demographic_parity_ratio: 0}",
            "thresholds.demographic_parity_ratio: 0 is out of range (a ratio threshold: "
            "0 < demographic_parity_ratio <= 1)",
        ),
    ],
)
def test_out_of_range_options_exit_2_naming_check_option_value_and_range(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], setting: str, message: str
) -> None:
    data = tmp_path / "d.csv"
    pd.DataFrame({"g": ["a", "b"] * 20, "y": [0, 1, 1, 0] * 10, "p": [1, 0] * 20}).to_csv(
        data, index=False
    )
    code, err, out = _run(
        capsys, tmp_path, "--data", str(data), "--target", "y", "--prediction", "p",
        "--sensitive", "g", "--set", setting,
    )  # fmt: skip
    assert code == 2
    line = _one_line(err)
    key = setting.split("=")[0]
    assert line.startswith(f"auditor: error: --set {key}"), line
    assert line.endswith(message), line
    assert not out.exists()


def test_a_family_option_out_of_range_names_the_file_and_the_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "d.csv"
    pd.DataFrame({"g": ["a", "b"] * 20, "p": [1, 0] * 20}).to_csv(data, index=False)
    policy = tmp_path / "policy.yaml"
    policy.write_text("version: 1\nname: t\nchecks:\n  FAIR:\n    options: {threshold: -0.5}\n")
    code, err, out = _run(
        capsys, tmp_path, "--data", str(data), "--prediction", "p", "--sensitive", "g",
        "--policy", str(policy),
    )  # fmt: skip
    assert code == 2
    assert _one_line(err) == (
        f"auditor: error: {policy}: checks.FAIR.options.threshold: -0.5 is out of range for "
        "FAIR001.threshold (allowed: 0 < threshold <= 1)"
    )
    assert not out.exists()


def test_domains_hold_for_options_built_in_python() -> None:
    with pytest.raises(ValueError, match=r"confidence must be 0 < confidence < 1, got 2"):
        GroupOptions(confidence=2)
    with pytest.raises(ValueError, match=r"n_boot must be n_boot = 0 or 100 <= n_boot"):
        GroupOptions(n_boot=5)
    with pytest.raises(ConfigError, match=r"-0\.5 is out of range for FAIR001\.threshold"):
        auditor.audit(
            pd.DataFrame({"p": [0, 1] * 10, "g": ["a", "b"] * 10}),
            prediction="p",
            sensitive=["g"],
            overrides={"FAIR001.threshold": -0.5},
        )


# -- predict_proba ---------------------------------------------------------------------------


class _Wrapped:
    """A real fitted scikit-learn model behind a ``predict_proba`` that can return a wrong shape."""

    def __init__(self, shape: str) -> None:
        from sklearn.linear_model import LogisticRegression

        rng = np.random.default_rng(0)
        X = rng.random((200, 2))
        self.model = LogisticRegression().fit(X, (X[:, 0] > 0.5).astype(int))
        self.classes_ = self.model.classes_
        self.shape = shape

    def predict(self, X: Any) -> Any:
        return self.model.predict(np.asarray(X))

    def predict_proba(self, X: Any) -> Any:
        p = self.model.predict_proba(np.asarray(X))
        if self.shape == "5 columns":
            return np.hstack([p, np.full((len(p), 3), 0.0)])
        if self.shape == "1-D":
            return p[:, 1]
        if self.shape == "too long":
            return np.vstack([p, p])
        if self.shape == "too long on the full data" and len(p) > 2:
            return np.vstack([p, p[:1]])
        return p


def _frame() -> pd.DataFrame:
    rng = np.random.default_rng(1)
    return pd.DataFrame(
        {"a": rng.random(120), "b": rng.random(120), "y": rng.integers(0, 2, 120)}
    ).assign(g=lambda d: np.where(d["a"] > 0.3, "x", "z"))


@pytest.mark.parametrize(
    ("shape", "returned"),
    [("5 columns", "(2, 5)"), ("1-D", "(2,)"), ("too long", "(4, 2)")],
)
def test_predict_proba_must_have_one_column_per_class(shape: str, returned: str) -> None:
    with pytest.raises(InputError) as err:
        auditor.audit(_frame(), target="y", model=_Wrapped(shape), features=["a", "b"],
                      sensitive=["g"], policy={"checks": {"FAIR004": {}}})  # fmt: skip
    assert str(err.value) == (
        f"model object _Wrapped: predict_proba() on 2 rows returned shape {returned}, expected "
        "(2, 2): one probability column per class (classes_ 0, 1); the score of the positive "
        "label cannot be read from it"
    )


def test_predict_proba_wrong_on_the_full_data_errors_the_check() -> None:
    model = _Wrapped("too long on the full data")
    report = auditor.audit(_frame(), target="y", model=model, features=["a", "b"],
                           sensitive=["g"], policy={"checks": {"FAIR004": {"options": {"n_boot": 0}}}})  # fmt: skip
    (result,) = report.results
    assert result.status.value == "errored"
    assert result.detail == (
        "ValueError: model.predict_proba returned shape (121, 2), expected (120, 2): one column "
        "per class"
    )


def test_a_positive_label_the_model_has_no_column_for_is_refused() -> None:
    df = _frame().assign(pred=lambda d: np.where(d["a"] > 0.5, 2, 0), y=lambda d: d["y"] * 2)
    # predictions and target label 0/2, the model's classes are 0/1: no probability column for 2
    with pytest.raises(InputError, match=r"the positive label 2 is not one of the classes of "):
        auditor.audit(df, target="y", prediction="pred", model=_Wrapped("ok"), positive_label=2,
                      features=["a", "b"], sensitive=["g"], policy={"checks": {"RUN": {}}})  # fmt: skip


# -- group values ----------------------------------------------------------------------------


def _jsonl(tmp_path: Path, groups: list[Any], name: str = "d.jsonl") -> Path:
    path = tmp_path / name
    n = len(groups)
    rows = [{"grp": g, "y": i % 2, "p": (i // 2) % 2} for i, g in enumerate(groups)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert n == len(rows)
    return path


def test_mixed_type_group_values_are_refused_naming_the_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _jsonl(tmp_path, [1, True, 1.0, "1", "2"] * 40)
    code, err, out = _run(
        capsys, tmp_path, "--data", str(data), "--target", "y", "--prediction", "p",
        "--sensitive", "grp",
    )  # fmt: skip
    assert code == 2
    assert _one_line(err) == (
        "auditor: error: sensitive feature 'grp' mixes value types (number: 80 rows, text: 80 "
        "rows, bool: 40 rows): values such as 1, True, 1.0 and '1' would be merged or split into "
        "groups by accident; write the column with one type (e.g. all text) before the audit"
    )
    assert not out.exists()


def test_unknown_markers_beside_numbers_are_not_a_mix(tmp_path: Path) -> None:
    data = _jsonl(tmp_path, [1, 2, "unknown", 2, 1] * 20)
    report = auditor.audit(str(data), target="y", prediction="p", sensitive=["grp"],
                           policy={"checks": {"FAIR001": {"options": {"n_boot": 0}}}})  # fmt: skip
    groups = report.results[0].tables["groups"]
    assert sorted(g["group"] for g in groups) == ["(missing)", "1", "2"]  # 'unknown' is missing


@pytest.mark.parametrize(
    ("fmt", "engine"), [("jsonl", "pandas"), ("parquet", "pandas"), ("parquet", "polars")]
)  # the lazy engines read Parquet only
def test_nested_cells_in_a_sensitive_column_are_refused_naming_file_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str, engine: str
) -> None:
    if fmt == "parquet":
        data = tmp_path / "d.parquet"
        n = 60
        pd.DataFrame(
            {
                "grp": [["a", "b"] if i % 2 else ["c"] for i in range(n)],
                "y": [i % 2 for i in range(n)],
                "p": [1, 0] * 30,
            }
        ).to_parquet(data)
        detail = {"pandas": "holds lists or mappings in 60 of 60 rows (list: 60 rows)",
                  "polars": "is a nested column (List(String))"}[engine]  # fmt: skip
    else:
        data = _jsonl(tmp_path, [["a"], {"k": 1}, "x"] * 20)
        detail = "holds lists or mappings in 40 of 60 rows (list: 20 rows, map: 20 rows)"
    code, err, out = _run(
        capsys, tmp_path, "--data", str(data), "--engine", engine, "--target", "y",
        "--prediction", "p", "--sensitive", "grp",
    )  # fmt: skip
    assert code == 2
    assert _one_line(err) == (
        f"auditor: error: {data}: sensitive column 'grp' {detail}: each row needs one plain "
        "value; flatten the column or choose another"
    )
    assert not out.exists()


def test_nested_cells_in_the_target_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text(
        "".join(json.dumps({"g": "a", "y": [i % 2], "p": i % 2}) + "\n" for i in range(20))
    )
    code, err, _ = _run(capsys, tmp_path, "--data", str(path), "--target", "y", "--sensitive", "g")
    assert code == 2
    assert _one_line(err) == (
        f"auditor: error: {path}: target column 'y' holds lists or mappings in 20 of 20 rows "
        "(list: 20 rows): each row needs one plain value; flatten the column or choose another"
    )
