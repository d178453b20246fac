"""The wheel ships rules/ and reports/: a plain (non-editable) install resolves a bundled pack and
template, and its console script runs an audit end to end.

The wheel goes into a nested virtualenv made from the running interpreter. Its dependencies are
not installed again (no network, and the test must not depend on a package index): a ``.pth``
file in the nested site-packages puts the running environment's site folders (the outer
virtualenv's, or the system interpreter's) after its own, so pandas and the rest are found there
while ``auditor`` itself is the wheel's copy. ``system_site_packages=True`` would not do: inside
a virtualenv it means the *base* interpreter's packages, not the virtualenv's.
"""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import sysconfig
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


def outer_site_dirs() -> list[str]:
    """The running interpreter's site folders (a virtualenv's own, or the system's), in order."""
    dirs = [*site.getsitepackages()]
    if site.ENABLE_USER_SITE:
        dirs.append(site.getusersitepackages())
    dirs += [sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]
    return [d for d in dict.fromkeys(dirs) if os.path.isdir(d)]


def clean_env() -> dict[str, str]:
    """The environment without anything that would put the checkout on the nested sys.path."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}


def nested_site_packages(py: Path) -> Path:
    out = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
        env=clean_env(),
    )
    return Path(out.stdout.strip())


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
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(env_dir)
    py = env_dir / "bin" / "python"
    # the wheel first, while the nested environment sees only itself (pip must not meet the
    # outer environment's auditor and offer to replace it)
    subprocess.run(
        [str(py), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
        text=True,
        env=clean_env(),
    )
    # then the running environment's packages, after the nested site-packages on sys.path
    pth = nested_site_packages(py) / "zz_outer_environment.pth"
    pth.write_text("".join(f"{d}\n" for d in outer_site_dirs()), encoding="utf-8")
    return env_dir


def test_nested_environment_sees_the_running_environments_packages(
    installed: Path, tmp_path: Path
) -> None:
    py = installed / "bin" / "python"
    proc = subprocess.run(
        [
            str(py),
            "-c",
            "import json, sys, pandas, jinja2, presidio_analyzer, auditor; "
            "print(json.dumps({'prefix': sys.prefix, 'pandas': pandas.__file__, "
            "'auditor': auditor.__file__}))",
        ],
        cwd=tmp_path,  # not the checkout: "" on sys.path would import it
        capture_output=True,
        text=True,
        check=False,
        env=clean_env(),
    )
    assert proc.returncode == 0, proc.stderr
    info = json.loads(proc.stdout)
    assert info["prefix"] == str(installed)
    import pandas

    assert info["pandas"] == pandas.__file__  # the running environment's copy
    assert info["auditor"].startswith(str(installed))  # the wheel's copy, not the checkout


def test_bundled_pack_and_template_resolve_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    py = installed / "bin" / "python"
    proc = subprocess.run(
        [str(py), "-c", PROBE], cwd=tmp_path, capture_output=True, text=True, env=clean_env()
    )
    assert proc.returncode == 0, proc.stderr
    info = json.loads(proc.stdout)
    site_dir = str(installed)
    assert info["module"].startswith(site_dir), info["module"]  # the installed copy
    assert (
        info["default_path"].startswith(site_dir)
        and "/auditor/_data/rules/default.yaml" in info["default_path"]
    )
    assert info["template"].startswith(site_dir) and info["template_exists"]
    expected = sorted(p.stem for p in (REPO / "rules").glob("*.yaml"))
    assert info["packs"] == expected


def test_installed_console_script_runs_the_hiring_example(installed: Path, tmp_path: Path) -> None:
    exe = installed / "bin" / "auditor"
    data = REPO / "examples" / "hiring" / "applicants.csv"
    out = tmp_path / "out"
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
            str(out),
            "--no-progress",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env=clean_env(),
    )
    # the hiring data is biased on purpose: the gate fails (1) with a verdict line; a crash
    # (a traceback, exit 1 from the interpreter, or auditor's own exit 2) is never accepted
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.startswith("auditor: FAIL: "), proc.stdout
    assert out.is_dir(), proc.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "audit.html",
        "audit.json",
        "audit.md",
        "manifest.json",
    ]
    report = json.loads((out / "audit.json").read_text())
    validate_report(report)  # written by the installed wheel, in another process
    assert report["policy"]["packs"][-1]["path"].startswith(str(installed))
    assert report["inputs"]["dataset"]["rows"] == 2000
    assert report["verdict"] == "fail"
    assert {b["check"] for b in report["gate"]["blocking"]} >= {"FAIR001"}
    manifest = json.loads((out / "manifest.json").read_text())
    pack = next(i for i in manifest["inputs"] if i["role"] == "policy:default")
    assert pack["path"] == "auditor:rules/default.yaml"  # bundled: no absolute path
    bad = subprocess.run(
        [str(exe), "run", "--data", str(data), "--target", "hired"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env=clean_env(),
    )
    assert bad.returncode == 2 and "target column 'hired' not found" in bad.stderr
    assert bad.stderr.count("\n") == 1 and not (tmp_path / "audit-report").exists()
