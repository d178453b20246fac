"""No raw personal data in any output: a real run over seeded e-mails and phone numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.cli import main


@pytest.mark.slow
def test_seeded_pii_appears_in_no_rendered_file(tmp_path: Path) -> None:
    emails = [f"jane.doe{i}@example.com" for i in range(60)]
    phones = [f"212-555-01{i:02d}" for i in range(60)]
    rows = ["name,email,notes,sex,selected"]
    for i in range(60):
        rows.append(
            f"Person{i},{emails[i]},call me at {phones[i]} or mail {emails[i]},{'FM'[i % 2]},{int(i % 3 == 0)}"
        )
    data = tmp_path / "applicants.csv"
    data.write_text("\n".join(rows) + "\n")
    out = tmp_path / "out"
    code = main(["run", "--data", str(data), "--prediction", "selected", "--sensitive", "sex",
                 "--policy", "default", "--format", "json,md,html,junit,sarif", "--out", str(out)])  # fmt: skip
    assert code == 1  # the PII findings fail the gate
    report = json.loads((out / "audit.json").read_text())
    located = {
        f["location"] for r in report["results"] if r["family"] == "pii" for f in r["findings"]
    }
    assert "column:email" in located  # the scan did find them
    for path in sorted(out.iterdir()):
        text = path.read_text(encoding="utf-8")
        for raw in (*emails, *phones):
            assert raw not in text, f"{raw} leaked into {path.name}"
