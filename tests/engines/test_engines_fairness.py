"""Fairness on lazy engines: the bundled ``fairness`` pack (and LL144's FAIR003) gives the same
tables as pandas on Polars and Dask (counts exact, floats to 1e-12), with every check run."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from engines_data import (
    FAIR_CHECKS,
    RICH_SUBJECT,
    ROWS,
    frame,
    make_dataset,
    make_rich,
    numeric_age,
    result,
    rich_frame,
    run,
)

from auditor.engines.compare import table_differences
from auditor.engines.source import LazySource

pytest.importorskip("polars")
pytest.importorskip("dask.dataframe")

LAZY = ["polars", "dask"]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_dataset(tmp_path_factory.mktemp("engines"))


@pytest.fixture(scope="module")
def rich(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_rich(tmp_path_factory.mktemp("rich"))


@pytest.fixture(scope="module")
def reference(data: Path) -> dict[str, Any]:
    return run(data, "pandas", "fairness")


@pytest.fixture(scope="module")
def rich_reference(rich: Path) -> dict[str, Any]:
    return run(rich, "pandas", "fairness", **RICH_SUBJECT)


@pytest.fixture(scope="module")
def dask_cluster() -> Iterator[Any]:
    distributed = pytest.importorskip("distributed")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cluster = distributed.LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
        )
        client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def _statuses(report: dict[str, Any]) -> dict[str, str]:
    return {r["check"]: r["status"] for r in report["results"] if r["check"] in FAIR_CHECKS}


def test_pandas_reference_counts_every_row(data: Path, reference: dict[str, Any]) -> None:
    df = frame(data)
    groups = result(reference, "FAIR001")["tables"]["groups"]
    female = next(r for r in groups if r["feature"] == "sex" and r["group"] == "female")
    kept = df["prediction"].notna() & df["label"].notna()
    assert female["n"] == int(((df["sex"] == "female") & kept).sum())
    assert reference["inputs"]["engine"] == {
        "name": "pandas",
        "lazy": False,
        "reason": "requested",
        "approximations": [],
    }
    # the pack runs every check on this data (FAIR006 has no multiclass predictions here)
    assert _statuses(reference)["FAIR006"] == "skipped"
    assert all(s in ("passed", "failed") for c, s in _statuses(reference).items() if c != "FAIR006")


@pytest.mark.parametrize("engine", LAZY)
def test_fairness_pack_matches_pandas(
    engine: str, data: Path, reference: dict[str, Any], dask_cluster: Any
) -> None:
    report = run(data, engine, "fairness")
    assert table_differences(reference, report, checks=FAIR_CHECKS) == []
    assert _statuses(report) == _statuses(reference)
    info = report["inputs"]["engine"]
    assert (info["name"], info["lazy"], info["files"]) == (engine, True, 3)
    assert info["rows_counted"] == ROWS == info["rows_metadata"]
    assert info["approximations"] == []
    df = frame(data)
    # FAIR005 ran on the engine: its reliability counts are the rows with a label and a score
    rel = result(report, "FAIR005")["tables"]["reliability"]
    female = df[(df["sex"] == "female") & df["label"].notna() & df["score"].notna()]
    assert sum(r["n"] for r in rel if r["feature"] == "sex" and r["group"] == "female") == len(
        female
    )
    top = next(
        r for r in rel if (r["feature"], r["group"], r["bin"]) == ("sex", "female", "[0.90, 1.00]")
    )
    in_bin = female[female["score"] >= 0.9]
    assert top["n"] == len(in_bin)
    assert top["observed_rate"] == pytest.approx(float(in_bin["label"].mean()), abs=1e-12)
    # FAIR008: every row counted per group, the unknown category as missing
    rep = {
        (r["feature"], r["group"]): r["n"]
        for r in result(report, "FAIR008")["tables"]["representation"]
    }
    assert rep[("race", "black")] == int((df["race"] == "black").sum())
    assert rep[("sex", "(missing)")] == int(df["sex"].isna().sum() + (df["sex"] == "unknown").sum())
    # FAIR009: the weight column against each sensitive feature, in 10 exact quantile bins
    proxies = result(report, "FAIR009")["tables"]["proxies"]
    assert {(r["feature"], r["discretised"]) for r in proxies} == {("weight", "10 quantile bins")}


@pytest.mark.parametrize("engine", LAZY)
def test_ll144_scoring_rates_match_pandas(engine: str, data: Path) -> None:
    kw = {"prediction": None}
    ref = run(data, "pandas", "nyc-ll144", **kw)
    report = run(data, engine, "nyc-ll144", **kw)
    assert table_differences(ref, report, checks=["FAIR003"]) == []
    summary = result(report, "FAIR003")["tables"]["ll144_summary"]
    assert summary == result(ref, "FAIR003")["tables"]["ll144_summary"]
    rates = result(report, "FAIR003")["tables"]
    assert result(report, "FAIR003")["status"] in ("passed", "failed")
    assert rates == result(ref, "FAIR003")["tables"]


@pytest.mark.parametrize("engine", LAZY)
def test_multiclass_and_proxies_match_pandas(
    engine: str, rich: Path, rich_reference: dict[str, Any]
) -> None:
    report = run(rich, engine, "fairness", **RICH_SUBJECT)
    assert table_differences(rich_reference, report, checks=FAIR_CHECKS) == []
    assert _statuses(report) == _statuses(rich_reference)
    assert report["inputs"]["engine"]["approximations"] == []
    df = rich_frame()
    # FAIR006: one-vs-rest per class, rows with a missing outcome left out
    groups = result(report, "FAIR006")["tables"]["class_groups"]
    assert {r["class"] for r in groups} == {"hire", "interview", "reject"}
    keep = df["outcome"].notna()
    row = next(
        r for r in groups if (r["class"], r["feature"], r["group"]) == ("interview", "sex", "male")
    )
    male = df[keep & (df["sex"] == "male")]
    assert row["n"] == len(male)
    assert row["selection_rate"] == pytest.approx(
        float((male["decision"] == "interview").mean()), abs=1e-12
    )
    # FAIR009: zip is a strong proxy for race (top 19 + other), income binned, the id skipped
    proxies = {
        (r["feature"], r["sensitive"]): r for r in result(report, "FAIR009")["tables"]["proxies"]
    }
    zip_race = proxies[("zip", "race")]
    assert zip_race["status"] == "strong"
    assert zip_race["discretised"] == "top 19 categories + other"
    assert zip_race["n"] == int(df["race"].notna().sum())
    assert proxies[("income", "sex")]["discretised"] == "10 quantile bins"
    assert proxies[("income", "sex")]["n"] == int(df["income"].notna().sum())
    assert proxies[("applicant", "race")]["status"] == "skipped"
    assert proxies[("member", "sex")]["discretised"] == "categories"
    assert [f["location"] for f in result(report, "FAIR009")["findings"]] == [
        "column:zip/sensitive:race"
    ]


@pytest.mark.parametrize("engine", LAZY)
@pytest.mark.parametrize(("low", "high"), [(-0.25, 0.9), (0.05, 1.5), (-2.0, 3.0)])
def test_out_of_range_scores_skip_calibration(
    engine: str, low: float, high: float, tmp_path: Path
) -> None:
    """Scores outside [0, 1] skip FAIR005 on the engines with pandas' reason (a negative score
    used to reach np.bincount as a negative bin: ValueError on Polars)."""
    rng = np.random.default_rng(8)
    n = 400
    df = pd.DataFrame(
        {
            "sex": rng.choice(["f", "m"], n),
            "label": rng.integers(0, 2, n),
            "score": rng.uniform(0.1, 0.8, n).round(4),
        }
    )
    df.loc[3, "score"], df.loc[250, "score"] = low, high
    df.loc[7, "score"] = np.nan
    (tmp_path / "s").mkdir()
    df.iloc[:200].to_parquet(tmp_path / "s" / "a.parquet")
    df.iloc[200:].to_parquet(tmp_path / "s" / "b.parquet")
    policy = {"version": 1, "name": "c", "checks": {"FAIR005": {}}}
    kw: dict[str, Any] = {"prediction": None, "sensitive": ["sex"], "positive_label": 1}
    ref = result(run(tmp_path / "s", "pandas", policy, **kw), "FAIR005")
    lazy = result(run(tmp_path / "s", engine, policy, **kw), "FAIR005")
    reason = (
        f"scores range over [{low:.4g}, {high:.4g}], not probabilities in [0, 1]: calibration "
        "needs probability scores"
    )
    assert (ref["status"], ref["detail"]) == ("skipped", reason)
    assert (lazy["status"], lazy["detail"]) == ("skipped", reason)


def test_proxy_ties_at_the_cut_are_stated(tmp_path: Path) -> None:
    rng = np.random.default_rng(4)
    df = pd.DataFrame(
        {
            "sex": rng.choice(["f", "m"], 400),
            "prediction": rng.integers(0, 2, 400),
            "code": np.repeat([f"c{i:02d}" for i in range(25)], 16),  # 25 levels, 16 rows each
        }
    )
    path = tmp_path / "ties.parquet"
    df.to_parquet(path)
    policy = {"version": 1, "name": "p", "checks": {"FAIR009": {}}}
    kw: dict[str, Any] = {"target": None, "score": None, "sensitive": ["sex"]}
    report = run(path, "polars", policy, **kw)
    approx = report["inputs"]["engine"]["approximations"]
    assert [a["what"] for a in approx] == ["FAIR009 levels of 'code'"]
    row = result(report, "FAIR009")["tables"]["proxies"][0]
    assert (row["feature"], row["n"], row["discretised"]) == (
        "code",
        400,
        "top 19 categories + other",
    )


def test_native_frames_through_the_api(
    data: Path, reference: dict[str, Any], dask_cluster: Any
) -> None:
    import dask.dataframe as dd
    import polars as pl

    files = sorted(str(p) for p in data.glob("*.parquet"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        ddf = dd.read_parquet(files)
    for native, name in ((pl.scan_parquet(files), "polars"), (ddf, "dask")):
        report = run(native, None, "fairness")
        assert report["inputs"]["engine"]["name"] == name
        assert report["inputs"]["dataset"]["format"] == name
        assert report["inputs"]["dataset"]["rows"] == ROWS
        assert table_differences(reference, report, checks=FAIR_CHECKS) == []
    # engine pandas collects a native frame into memory
    report = run(pl.scan_parquet(files), "pandas", "fairness")
    assert report["inputs"]["engine"]["name"] == "pandas"
    assert table_differences(reference, report, checks=FAIR_CHECKS) == []


def test_glob_and_auto_engine(
    data: Path, reference: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from auditor.engines import select

    monkeypatch.setattr(select, "live_engine", lambda: None)  # the module's Dask client
    policy: dict[str, Any] = {"version": 1, "name": "g", "checks": {"FAIR001": {}}}
    report = run(str(data / "part-*.parquet"), "auto", policy)
    assert report["inputs"]["engine"]["name"] == "pandas"  # 6000 rows fit
    monkeypatch.setenv("AUDITOR_PANDAS_MAX_BYTES", "1000")
    report = run(str(data / "part-*.parquet"), None, policy)
    info = report["inputs"]["engine"]
    assert info["name"] == "polars"
    assert info["reason"].startswith("auto: estimated")
    assert table_differences(reference, report, checks=["FAIR001"]) == []


def test_auto_prefers_a_live_dask_client(
    data: Path, dask_cluster: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    policy: dict[str, Any] = {"version": 1, "name": "g", "checks": {"FAIR001": {}}}
    monkeypatch.setenv("AUDITOR_PANDAS_MAX_BYTES", "1000")
    info = run(data, "auto", policy)["inputs"]["engine"]
    assert info["name"] == "dask"
    assert "using a Dask distributed Client (scheduler inproc://" in info["reason"]
    # data that fits stays in pandas; the reason names the live client
    from auditor.engines.parquet import read_footers
    from auditor.engines.select import choose_engine

    monkeypatch.delenv("AUDITOR_PANDAS_MAX_BYTES")
    engine, reason = choose_engine("auto", read_footers(data))
    assert engine == "pandas"
    assert "(a Dask distributed Client (scheduler inproc://" in reason
    assert reason.endswith("is live; --engine dask runs there)")


def test_scoring_median_is_exact(data: Path) -> None:
    from auditor.config import AuditConfig
    from auditor.engines import quantile
    from auditor.engines.select import open_data

    scores = frame(data)["score"].dropna().to_numpy()
    _, _, source = open_data(AuditConfig(data=data, engine="polars"))
    assert source is not None
    for q in (0.5, 0.1, 0.97):
        assert quantile.exact_quantile(source, "score", q) == float(np.quantile(scores, q))
    # force the histogram passes (few rows fetched at a time): still exact, several quantiles
    # sharing each pass
    old = quantile.FETCH_ROWS, quantile.BINS
    quantile.FETCH_ROWS, quantile.BINS = 50, 16
    try:
        _, _, fresh = open_data(AuditConfig(data=data, engine="dask"))
        assert fresh is not None
        before = fresh.passes
        assert quantile.exact_quantile(fresh, "score", 0.5) == float(np.quantile(scores, 0.5))
        one = fresh.passes - before
        assert one >= 3
        qs = quantile.qcut_probabilities(10)
        before = fresh.passes
        got = quantile.exact_quantiles(fresh, "score", qs)
        assert got == [float(np.quantile(scores, q)) for q in qs]
        assert fresh.passes - before <= one + 4  # 11 quantiles: passes shared, not 11 x
        assert fresh.approximations == []
    finally:
        quantile.FETCH_ROWS, quantile.BINS = old


def _recorded(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Every engine pass of the run: (what, rows brought back)."""
    seen: list[tuple[str, int]] = []
    collect = LazySource.collect

    def spy(self: LazySource, lf: Any, what: str) -> pd.DataFrame:
        out = collect(self, lf, what)
        seen.append((what, len(out)))
        return out

    monkeypatch.setattr(LazySource, "collect", spy)
    return seen


@pytest.mark.parametrize("bins", [4, [18, 30, 45, 65, 100]])
def test_binned_numeric_feature(tmp_path: Path, bins: Any) -> None:
    path = numeric_age(tmp_path)
    policy = {
        "version": 1,
        "name": "b",
        "checks": {"FAIR001": {"options": {"bins": {"age": bins}, "n_boot": 100}}},
    }
    kw: dict[str, Any] = {
        "prediction": "prediction",
        "target": None,
        "score": None,
        "sensitive": ["age"],
    }
    ref = run(path, "pandas", policy, **kw)
    lazy = run(path, "dask", policy, **kw)
    assert table_differences(ref, lazy, checks=["FAIR001"]) == []
    groups = [r["group"] for r in result(lazy, "FAIR001")["tables"]["groups"]]
    df = pd.concat([pd.read_parquet(f) for f in sorted(path.glob("*.parquet"))])
    edges = [float(e) for e in bins] if isinstance(bins, list) else None
    cut = pd.qcut(df["age"], 4) if edges is None else pd.cut(df["age"], edges, right=False)
    assert [g for g in groups if g != "(missing)"] == [
        str(c) for c in cut.cat.categories if (cut == c).any()
    ]


@pytest.mark.parametrize("engine", LAZY)
@pytest.mark.parametrize("bins", [4, [20, 35, 50, 65, 80]])
def test_bins_shrink_the_count_table(
    engine: str, bins: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from auditor.engines import quantile

    rng = np.random.default_rng(9)
    n = 20_000
    df = pd.DataFrame(
        {
            "age": rng.uniform(18, 90, n).round(6),  # ~20,000 distinct values
            "sex": rng.choice(["f", "m"], n),
            "prediction": (rng.random(n) < 0.3).astype(np.int64),
        }
    )
    df.loc[:4, "age"] = np.nan
    (tmp_path / "d").mkdir()
    df.iloc[:10_000].to_parquet(tmp_path / "d" / "a.parquet")
    df.iloc[10_000:].to_parquet(tmp_path / "d" / "b.parquet")
    policy = {
        "version": 1,
        "name": "b",
        "checks": {
            "FAIR001": {"options": {"bins": {"age": bins}, "n_boot": 100, "intersections": "all"}}
        },
    }
    kw: dict[str, Any] = {"target": None, "score": None, "sensitive": ["age", "sex"]}
    ref = run(tmp_path / "d", "pandas", policy, **kw)
    monkeypatch.setattr(quantile, "FETCH_ROWS", 2000)
    seen = _recorded(monkeypatch)
    report = run(tmp_path / "d", engine, policy, **kw)
    assert table_differences(ref, report, checks=["FAIR001"]) == []
    # the count table: one row per observed (age bin or missing) x sex x favourable outcome,
    # not one per distinct age (4 bins either way here)
    k = 4
    code = (
        pd.qcut(df["age"], 4, labels=False)
        if isinstance(bins, int)
        else pd.cut(df["age"], bins, right=False, labels=False)
    )
    combos = pd.DataFrame({"b": code.fillna(-1), "s": df["sex"], "p": df["prediction"]})
    expected = len(combos.drop_duplicates())
    table = [rows for what, rows in seen if what == "per-group counts"]
    assert table == [expected]
    assert expected <= (k + 1) * 2 * 2
    assert [rows for what, rows in seen if what.startswith("bin counts of 'age'")] == [
        len(code.fillna(-1).unique())
    ]
    # nothing brought back holds more rows than a quantile histogram (4096 bins): the ~20,000
    # distinct ages never come back
    assert max(rows for _, rows in seen) <= quantile.BINS, seen
