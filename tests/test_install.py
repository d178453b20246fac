"""The wheel ships rules/ and reports/: a plain (non-editable) install resolves a bundled pack and template."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from conftest import validate_report

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.install

PROBE = r"""
import json, sys
import auditor
from auditor.resources import bundled_packs, templates_dir
from auditor.policy import load_policy
packs = bundled_packs()
print(json.dumps({
    "module": auditor.__file__,
    "packs": sorted(packs),
    "default_path": str(packs["default"]),
    "template": str(templates_dir() / "report.html.j2"),
    "template_exists": (templates_dir() / "report.html.j2").is_file(),
    "default_checks": sorted(load_policy("default").checks),
}))
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("wheel")
    dist = root / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(REPO)],
        check=True,
        capture_output=True,
        text=True,
    )
    (wheel,) = dist.glob("auditor-*.whl")
    env_dir = root / "venv"
    venv.EnvBuilder(with_pip=True, system_site_packages=True).create(env_dir)
    py = env_dir / "bin" / "python"
    subprocess.run(
        [str(py), "-m", "pip", "install", "-q", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
        text=True,
    )
    return env_dir


def test_bundled_pack_and_template_resolve_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    py = installed / "bin" / "python"
    proc = subprocess.run(
        [str(py), "-c", PROBE], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    info = json.loads(proc.stdout)
    site = str(installed)
    assert info["module"].startswith(site), info["module"]  # the installed copy, not the checkout
    assert (
        info["default_path"].startswith(site)
        and "/auditor/_data/rules/default.yaml" in info["default_path"]
    )
    assert info["template"].startswith(site) and info["template_exists"]
    expected = sorted(p.stem for p in (REPO / "rules").glob("*.yaml"))
    assert info["packs"] == expected


def test_installed_console_script_runs_the_hiring_example(installed: Path, tmp_path: Path) -> None:
    exe = installed / "bin" / "auditor"
    data = REPO / "examples" / "hiring" / "applicants.csv"
    proc = subprocess.run(
        [
            str(exe),
            "run",
            "--data",
            str(data),
            "--prediction",
            "selected",
            "--target",
            "qualified",
            "--sensitive",
            "sex,race_ethnicity",
            "--policy",
            "default",
            "--out",
            str(tmp_path / "out"),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "audit.html",
        "audit.json",
        "audit.md",
        "manifest.json",
    ]
    report = json.loads((tmp_path / "out" / "audit.json").read_text())
    validate_report(report)  # written by the installed wheel, in another process
    assert report["policy"]["packs"][-1]["path"].startswith(str(installed))
    assert report["inputs"]["dataset"]["rows"] == 2000
    assert report["verdict"] == ("pass" if proc.returncode == 0 else "fail")
    bad = subprocess.run(
        [str(exe), "run", "--data", str(data), "--target", "hired"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2 and "target column 'hired' not found" in bad.stderr
