from __future__ import annotations

import hashlib
import json
import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from auditor import audit
from auditor.cli import main
from auditor.data import load_dataset
from auditor.errors import InputError
from auditor.models import load_model

REPO = Path(__file__).resolve().parent.parent
CREDIT = REPO / "examples" / "credit"
FEATURES = ["income_k", "debt_ratio", "credit_history_years", "late_payments", "loan_amount_k"]


@pytest.mark.parametrize(
    ("suffix", "writer"),
    [
        (".csv", lambda df, p: df.to_csv(p, index=False)),
        (".parquet", lambda df, p: df.to_parquet(p, index=False)),
        (".jsonl", lambda df, p: df.to_json(p, orient="records", lines=True)),
    ],
)
def test_formats_by_extension_with_fingerprint(
    tmp_path: Path, small_frame: pd.DataFrame, suffix: str, writer
) -> None:
    path = tmp_path / f"d{suffix}"
    writer(small_frame, path)
    df, info = load_dataset(path)
    assert df.shape == (8, 4)
    assert info.rows == 8 and [c["name"] for c in info.columns] == ["sex", "y", "p", "s"]
    assert info.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert info.size_bytes == path.stat().st_size
    assert info.format == suffix[1:]


def test_format_override(tmp_path: Path, small_frame: pd.DataFrame) -> None:
    path = tmp_path / "export.txt"
    small_frame.to_json(path, orient="records", lines=True)
    df, info = load_dataset(path, "jsonl")
    assert info.format == "jsonl" and len(df) == 8


def test_skops_model_predicts_through_cli(tmp_path: Path) -> None:
    out = tmp_path / "o"
    assert main(
        ["run", "--config", str(CREDIT / "audit.yaml"), "--out", str(out), "--format", "json"]
    ) in (0, 1)
    data = json.loads((out / "audit.json").read_text())
    model = data["inputs"]["model"]
    assert model["kind"] == "skops" and model["loader"] == "skops.io"
    assert model["sha256"] == hashlib.sha256((CREDIT / "model.skops").read_bytes()).hexdigest()
    assert model["feature_names"] == FEATURES
    assert data["subject"]["positive_label"] == 1


def test_skops_untrusted_type_refused(tmp_path: Path) -> None:
    import skops.io as sio
    from sklearn.preprocessing import FunctionTransformer

    path = tmp_path / "m.skops"
    sio.dump(FunctionTransformer(eval), path)  # a model that would call eval() on its input
    with pytest.raises(
        InputError, match=r"m\.skops: refusing to load untrusted types builtins\.eval"
    ):
        load_model(path)


def test_onnx_model(tmp_path: Path) -> None:
    from skl2onnx import to_onnx
    from sklearn.linear_model import LogisticRegression

    df = pd.read_csv(CREDIT / "credit.csv")
    X = df[FEATURES].to_numpy(dtype=np.float32)
    sk = LogisticRegression(max_iter=500).fit(X, df["repaid"])
    path = tmp_path / "m.onnx"
    path.write_bytes(to_onnx(sk, X[:1]).SerializeToString())
    report = audit(
        df,
        target="repaid",
        model=str(path),
        features=FEATURES,
        sensitive=["sex"],
        policy={"checks": {"RUN": {}}},
    )
    assert report.inputs["model"]["kind"] == "onnx"
    model, _ = load_model(path)
    np.testing.assert_array_equal(model.predict(X[:50]), sk.predict(X[:50]))
    np.testing.assert_allclose(model.predict_proba(X[:50]), sk.predict_proba(X[:50]), atol=1e-5)


def test_pickle_only_with_opt_in(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sklearn.dummy import DummyClassifier

    df = pd.DataFrame({"x": [0, 1, 2, 3], "y": [0, 1, 0, 1], "g": list("abab")})
    path = tmp_path / "m.pkl"
    path.write_bytes(
        pickle.dumps(DummyClassifier(strategy="most_frequent").fit(df[["x"]], df["y"]))
    )
    data = tmp_path / "d.csv"
    df.to_csv(data, index=False)
    argv = [
        "run",
        "--data",
        str(data),
        "--target",
        "y",
        "--model",
        str(path),
        "--features",
        "x",
        "--out",
        str(tmp_path / "o"),
        "--format",
        "json",
    ]
    assert main(argv) == 2
    assert (
        "loading .pkl files runs arbitrary code; pass --allow-unsafe-model"
        in capsys.readouterr().err
    )
    assert main([*argv, "--allow-unsafe-model"]) == 0
    report = json.loads((tmp_path / "o" / "audit.json").read_text())
    assert report["inputs"]["model"]["kind"] == "pickle"
    run001 = next(r for r in report["results"] if r["check"] == "RUN001")
    assert run001["findings"][0]["message"].startswith("model loaded with pickle from m.pkl")
    assert run001["findings"][0]["severity"] == "low"


def test_model_features_missing_from_data(tmp_path: Path) -> None:
    df = pd.read_csv(CREDIT / "credit.csv").drop(columns=["income_k"])
    with pytest.raises(InputError, match="the model needs feature column 'income_k'"):
        audit(df, target="repaid", model=str(CREDIT / "model.skops"))


def test_api_rejects_dataframe_problems() -> None:
    with pytest.raises(InputError, match="DataFrame: no data rows"):
        audit(pd.DataFrame({"a": []}))
    dup = pd.DataFrame([[1, 2]], columns=["a", "a"])
    with pytest.raises(InputError, match="duplicate column names: 'a'"):
        audit(dup)


def test_zero_rows_with_a_model_is_no_data_rows_before_any_predict() -> None:
    import polars as pl

    calls = []

    class Recording:
        def predict(self, X):
            calls.append(len(X))
            return np.zeros(len(X))

    empty = pd.DataFrame({"x": pd.Series([], dtype=float), "y": pd.Series([], dtype=int)})
    with pytest.raises(InputError) as err:
        audit(empty, target="y", model=Recording(), positive_label=1)
    assert str(err.value) == "DataFrame: no data rows"
    with pytest.raises(InputError) as err:  # a 0-row native frame collected for pandas
        audit(
            pl.DataFrame({"x": [1.0], "y": [1]}).head(0),
            target="y",
            model=Recording(),
            positive_label=1,
            engine="pandas",
        )
    assert str(err.value) == "DataFrame: no data rows"
    assert calls == []  # the plan-time probe never sees an empty frame


def test_string_labels_with_positive_label() -> None:
    df = pd.DataFrame(
        {"pred": ["yes", "no", "yes"], "label": ["yes", "no", "no"], "g": list("aab")}
    )
    report = audit(
        df,
        prediction="pred",
        target="label",
        sensitive=["g"],
        positive_label="yes",
        policy={"checks": {"RUN": {}}},
    )
    assert (
        report.subject["positive_label"] == "yes"
        and report.subject["positive_label_source"] == "given"
    )
    with pytest.raises(InputError, match=r"prediction values are not binary 0/1 \('yes', 'no'\)"):
        audit(df, prediction="pred")
    numeric = pd.DataFrame({"pred": [2, 1, 2]})
    assert (
        audit(
            numeric, prediction="pred", positive_label="2", policy={"checks": {"RUN": {}}}
        ).subject["positive_label"]
        == 2
    )


def test_report_api_surface(small_frame: pd.DataFrame, tmp_path: Path) -> None:
    doubled = pd.concat(
        [small_frame, small_frame], ignore_index=True
    )  # k=8 over sex: PII004 passes
    report = audit(doubled, prediction="p", target="y", sensitive="sex")
    assert report.verdict == "pass", report.blocking
    assert (
        report.inputs["dataset"]["format"] == "dataframe"
        and report.inputs["dataset"]["path"] is None
    )
    assert report.run["id"] in report._repr_html_()
    written = report.write(tmp_path / "r", ["json", "md"])
    assert json.loads(written["json"].read_text())["run"]["id"] == report.run["id"]


class _Classifier:
    """A minimal model object: predicts ``classes_[x > 1]``."""

    def __init__(self, classes: list) -> None:
        self.classes_ = np.array(classes)

    def predict(self, X):
        return self.classes_[(X["x"].to_numpy() > 1).astype(int)]


def test_positive_label_from_classes_only_when_they_are_0_1() -> None:
    df = pd.DataFrame({"x": [0, 1, 2, 3], "g": list("abab")})
    policy = {"checks": {"RUN": {}}}
    with pytest.raises(InputError) as err:
        audit(df, model=_Classifier(["hired", "rejected"]), policy=policy)
    assert str(err.value) == (
        "model object _Classifier: cannot tell which of the model's classes ('hired', "
        "'rejected') is the favourable outcome; give it with --positive-label VALUE"
    )
    given = audit(
        df, model=_Classifier(["hired", "rejected"]), positive_label="hired", policy=policy
    )
    assert given.subject["positive_label"] == "hired"
    assert given.subject["positive_label_source"] == "given"
    with pytest.raises(InputError, match=r"positive label 'yes' is not one of the model's classes"):
        audit(df, model=_Classifier(["hired", "rejected"]), positive_label="yes", policy=policy)
    for classes, expected in (([0, 1], 1), ([False, True], True), ([0.0, 1.0], 1.0)):
        report = audit(df, model=_Classifier(classes), policy=policy)
        assert report.subject["positive_label"] == expected
        assert type(report.subject["positive_label"]) is type(expected)  # plain Python, not numpy
        assert report.subject["positive_label_source"] == "inferred from the model's classes_"


def test_error_lines_show_plain_values_not_numpy_reprs() -> None:
    ints = pd.DataFrame({"p": np.array([1, 2, 3, 2], dtype=np.int64)})
    with pytest.raises(InputError) as err:
        audit(ints, prediction="p")
    assert str(err.value) == (
        "DataFrame: prediction values are not binary 0/1 (1, 2, 3); give the favourable "
        "outcome with --positive-label VALUE (with more than two classes, FAIR006 "
        "multiclass-parity then also audits each class one-vs-rest)"
    )
    probs = pd.DataFrame({"p": np.array([0.00612345, 0.5, 0.25, 0.5])})
    with pytest.raises(InputError) as err:
        audit(probs, prediction="p")
    assert str(err.value).startswith(
        "DataFrame: prediction values look like probabilities or scores (0.00612345, 0.5, 0.25), "
        "not labels"
    )
    with pytest.raises(InputError) as err:
        audit(ints, prediction="p", positive_label="7")
    assert "never occurs in the prediction column (values: 1, 2, 3)" in str(err.value)
    assert "np." not in str(err.value)


def _onnx_model(tmp_path: Path) -> tuple[Path, pd.DataFrame]:
    from skl2onnx import to_onnx
    from sklearn.linear_model import LogisticRegression

    df = pd.read_csv(CREDIT / "credit.csv")
    X = df[FEATURES].to_numpy(dtype=np.float32)
    path = tmp_path / "m.onnx"
    sk = LogisticRegression(max_iter=500).fit(X, df["repaid"])
    path.write_bytes(to_onnx(sk, X[:1]).SerializeToString())
    return path, df


def test_onnx_feature_mismatch_is_an_input_error_at_plan_time(tmp_path: Path) -> None:
    path, df = _onnx_model(tmp_path)
    policy = {"checks": {"RUN": {}, "FAIR001": {}}}
    with pytest.raises(InputError) as err:  # no --features: every non-label column is fed
        audit(df, target="repaid", model=str(path), sensitive=["sex"], policy=policy)
    assert str(err.value) == (
        f"{path}: the ONNX model takes 5 features but 8 feature columns were given "
        "('customer_id', 'sex', 'age_band', 'income_k', 'debt_ratio', 'credit_history_years', "
        "'late_payments', 'loan_amount_k'); choose them with --features COL,..."
    )
    with pytest.raises(InputError) as err:  # right count, one text column
        audit(df, target="repaid", model=str(path), features=["sex", *FEATURES[1:]], policy=policy)
    assert str(err.value) == (
        f"{path}: the ONNX model takes a numeric tensor but feature column 'sex' is "
        f"{df['sex'].dtype}; encode it or leave it out with --features COL,..."
    )


def test_model_that_cannot_predict_the_features_is_an_input_error(tmp_path: Path) -> None:
    df = pd.read_csv(CREDIT / "credit.csv")
    df["income_k"] = df["income_k"].map(lambda v: f"{v}k")  # text where the model wants numbers
    with pytest.raises(InputError) as err:
        audit(df, target="repaid", model=str(CREDIT / "model.skops"), features=FEATURES)
    message = str(err.value)
    assert message.startswith(
        f"{CREDIT / 'model.skops'}: the model cannot predict from the feature columns "
        "('income_k', 'debt_ratio', 'credit_history_years', 'late_payments', 'loan_amount_k'): "
        "ValueError: could not convert string to float: '<value>'"  # the value is not shown
    )
    assert "23.1k" not in message

    class Broken:
        def predict(self, X):
            raise ValueError("column 'x' has an unseen category 'Jane Doe'")

    with pytest.raises(InputError) as err:
        audit(pd.DataFrame({"x": [0, 1]}), model=Broken(), positive_label=1)
    assert str(err.value) == (
        "model object Broken: the model cannot predict from the feature columns ('x'): "
        "ValueError: column 'x' has an unseen category '<value>'"  # column kept, value hidden
    )

    class TwoColumns:
        def predict(self, X):
            return np.zeros((len(X), 2))

    with pytest.raises(InputError, match=r"predict\(\) on one row returned shape \(1, 2\)"):
        audit(pd.DataFrame({"x": [0, 1]}), model=TwoColumns(), positive_label=1)


def test_model_and_prediction_column_are_both_recorded() -> None:
    df = pd.read_csv(CREDIT / "credit.csv")
    df["approved"] = (df["income_k"] > 40).astype(int)
    report = audit(
        df,
        target="repaid",
        prediction="approved",
        model=str(CREDIT / "model.skops"),
        features=FEATURES,
        policy={"checks": {"RUN": {}}},
    )
    data = json.loads(report.to_json())
    model = data["inputs"]["model"]
    assert model["kind"] == "skops" and model["loader"] == "skops.io"
    assert model["path"] == str(CREDIT / "model.skops")
    assert model["sha256"] == hashlib.sha256((CREDIT / "model.skops").read_bytes()).hexdigest()
    assert model["feature_names"] == FEATURES
    assert data["inputs"]["predictions"] == {
        "kind": "predictions",
        "path": None,
        "sha256": report.inputs["dataset"]["sha256"],
        "loader": "column",
        "framework": None,
        "version": None,
        "classes": None,
        "feature_names": None,
        "warnings": [],
        "column": "approved",
    }
    # predictions alone: the model slot keeps its predictions record, and predictions is there
    alone = json.loads(
        audit(df, target="repaid", prediction="approved", policy={"checks": {"RUN": {}}}).to_json()
    )
    assert alone["inputs"]["model"]["kind"] == "predictions"
    assert alone["inputs"]["predictions"]["column"] == "approved"
