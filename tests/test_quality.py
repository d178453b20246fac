"""The package stays ruff-clean, ruff-formatted and mypy-strict clean (as the standards require)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _tool(name: str) -> list[str]:
    if shutil.which(name):
        return [name]
    return [sys.executable, "-m", name]


@pytest.mark.parametrize("args", [["check", "auditor"], ["format", "--check", "auditor"]])
def test_ruff(args: list[str]) -> None:
    proc = subprocess.run(
        [*_tool("ruff"), *args], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_strict() -> None:
    proc = subprocess.run([*_tool("mypy")], cwd=REPO, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-2000:]
