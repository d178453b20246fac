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
