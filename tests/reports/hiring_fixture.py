"""A pinned real run of the bundled hiring example, for golden files and the browser test.

``tests/reports/data/hiring*.audit.json`` are the ``audit.json`` of

    auditor run -c examples/hiring/audit.yaml                      (the default pack)
    auditor run -c examples/hiring/audit.yaml --policy nyc-ll144 --set FAIR003.audit_date=2026-11-20

run from the repository root, then pinned: fixed run id, timestamps, check durations and
environment, and repository-relative paths, so the renderers' output is byte-stable. They are
regenerated from a fresh run (then the golden files from them) with
``AUDITOR_UPDATE_GOLDEN=1 python -m pytest tests/reports/test_reports_golden.py``; review the
diff like code. :func:`with_payloads` puts the XSS payloads of the synthetic fixture into a real
column name, group value and model-card field of the pinned run.
"""

from __future__ import annotations

import copy
import functools
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from reports_fixture import CARD_PAYLOAD, COLUMN_PAYLOAD, GROUP_PAYLOAD

from auditor.report import Report

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data"
RUNS = {
    "hiring": ("hiring.audit.json", []),
    # the example's metadata has no audit date (an auditor's attestation): the pinned LL144 run
    # gives one, so its summary is publishable
    "hiring-ll144": (
        "hiring-ll144.audit.json",
        ["--policy", "nyc-ll144", "--set", "FAIR003.audit_date=2026-11-20"],
    ),
}
PINNED_ENV = {
    "python": "3.11.7",
    "implementation": "CPython",
    "platform": "Linux-pinned-x86_64",
    "packages": {"pandas": "3.1.1", "numpy": "2.4.6", "fairlearn": "0.15.0",
                 "presidio-analyzer": "2.2.366", "spacy": "3.8.18", "jinja2": "3.1.6",
                 "pyyaml": "6.0.3", "scipy": "1.17.1", "scikit-learn": "1.9.1"},
    "check_plugins": {"auditor": "0.1.0"},
}  # fmt: skip
#: the real strings the payloads replace: a column name, a group value, a model-card field
REAL_COLUMN = "recruiter_notes"
REAL_GROUP = "Two or More Races"
REAL_CARD_FIELD = "Acme CV Screener"


def pin(data: dict[str, Any], name: str) -> dict[str, Any]:
    """Fix everything that differs between two runs of the same inputs."""
    text = json.dumps(data, ensure_ascii=False).replace(f"{ROOT.as_posix()}/", "")
    out = json.loads(text)
    if out["run"].get("source_root") == ROOT.as_posix():  # this checkout's absolute path
        out["run"]["source_root"] = "/repo"
    out["run"].update(id=f"{name.replace('-', '')[:8]}0001"[:12],
                      started_at="2026-11-20T09:00:00+00:00",
                      finished_at="2026-11-20T09:00:07+00:00", duration_s=7.0)  # fmt: skip
    out["tool"] = {"name": "auditor", "version": "0.1.0"}
    out["environment"] = copy.deepcopy(PINNED_ENV)
    engine = out["inputs"].get("engine") or {}
    if "engine_seconds" in engine:
        engine["engine_seconds"] = 0.0
    for r in out["results"]:
        r["duration_s"] = 0.25
        for rows in (r.get("tables") or {}).values():
            for row in rows:  # timings some checks record in their tables
                for key in [k for k in row if k == "duration_s" or k.endswith("_seconds")]:
                    row[key] = 0.0
    return Report.from_dict(out).to_dict()


def regenerate() -> None:
    """Run the example (as a user does, from the repository root) and pin each report."""
    DATA.mkdir(parents=True, exist_ok=True)
    for name, (file, extra) in RUNS.items():
        with tempfile.TemporaryDirectory() as tmp:
            cmd = [sys.executable, "-m", "auditor", "run", "-c", "examples/hiring/audit.yaml",
                   "--format", "json", "--out", tmp, "--no-progress", *extra]  # fmt: skip
            proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=900)
            if proc.returncode not in (0, 1):
                raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr}")
            data = json.loads((Path(tmp) / "audit.json").read_text(encoding="utf-8"))
        pinned = pin(data, name)
        (DATA / file).write_text(
            json.dumps(pinned, indent=2, ensure_ascii=False, allow_nan=False) + "\n",
            encoding="utf-8",
        )
    _load.cache_clear()


@functools.lru_cache(maxsize=4)
def _load(name: str) -> str:
    return (DATA / RUNS[name][0]).read_text(encoding="utf-8")


def hiring_report(name: str = "hiring") -> dict[str, Any]:
    """The pinned report (a fresh copy: tests may change it)."""
    return json.loads(_load(name))


def with_payloads(data: dict[str, Any], card: bool = True) -> dict[str, Any]:
    """The pinned run with the payloads where the real run had a column name, a group value and
    (``card``: the run read the model card) a card field: everywhere they occur (tables, messages,
    locations, the cover)."""
    text = json.dumps(data, ensure_ascii=False)
    swaps = [(REAL_COLUMN, COLUMN_PAYLOAD), (REAL_GROUP, GROUP_PAYLOAD)]
    if card:
        swaps.append((REAL_CARD_FIELD, CARD_PAYLOAD))
    for real, payload in swaps:
        assert real in text, real
        text = text.replace(real, json.dumps(payload)[1:-1])
    out: dict[str, Any] = json.loads(text)
    return out
