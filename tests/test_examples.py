from __future__ import annotations

import importlib.util
import io
import json
from pathlib import Path

import pytest

from auditor.cli import main

REPO = Path(__file__).resolve().parent.parent


def load_module(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem + "_example", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_hiring_generator_reproduces_the_committed_csv() -> None:
    gen = load_module(REPO / "examples" / "hiring" / "generate.py")
    buf = io.StringIO()
    gen.make_hiring().to_csv(buf, index=False)
    assert buf.getvalue() == (REPO / "examples" / "hiring" / "applicants.csv").read_text()


def test_credit_generator_is_seeded() -> None:
    gen = load_module(REPO / "examples" / "credit" / "generate.py")
    a, b = gen.make_credit(200), gen.make_credit(200)
    assert a.equals(b) and a["repaid"].mean() == pytest.approx(b["repaid"].mean())


def test_hiring_example_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "report"
    code = main(
        ["run", "--config", str(REPO / "examples" / "hiring" / "audit.yaml"), "--out", str(out)]
    )
    files = sorted(p.name for p in out.iterdir())
    assert files == [
        "audit.html",
        "audit.json",
        "audit.junit.xml",
        "audit.md",
        "audit.sarif",
        "manifest.json",
    ]
    report = json.loads((out / "audit.json").read_text())
    assert code == (0 if report["verdict"] == "pass" else 1)
    assert report["inputs"]["dataset"]["rows"] == 2000
    assert report["subject"]["sensitive"] == ["sex", "race_ethnicity"]
    assert report["subject"]["metadata"]["aedt_distribution_date"] == "2026-01-15"
    assert not any(r["status"] == "errored" for r in report["results"]), [
        r["detail"] for r in report["results"] if r["status"] == "errored"
    ]
