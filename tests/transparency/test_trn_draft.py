"""`auditor card draft`: a skeleton pre-filled with what the audit measured, required fields marked."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from trn_data import _in_repo_root, screening_frame  # noqa: F401

from auditor.api import run_audit
from auditor.cli import main
from auditor.config import load_config
from auditor.transparency import load_card
from auditor.transparency.requirements import evaluate, rules_for


@pytest.fixture(scope="module")
def drafted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("draft")
    screening_frame().to_csv(root / "screening.csv", index=False)
    (root / "audit.yaml").write_text(
        "data: screening.csv\ntarget: label\nprediction: pred\npositive_label: 1\n"
        "sensitive: [sex]\npolicy: eu-ai-act\nmetadata: {model_version: '3.0'}\n"
    )
    out = root / "model_card.yaml"
    assert main(["card", "draft", "--config", str(root / "audit.yaml"), "--out", str(out)]) == 0
    return root, out


def test_draft_is_prefilled_with_measurements(drafted: tuple[Path, Path]) -> None:
    _, out = drafted
    doc = load_card(out)
    assert doc.issues == ()  # the draft follows the schema
    data = yaml.safe_load(out.read_text())
    overall = {r["metric"]: r["value"] for r in data["results"]["overall"]}
    assert overall["accuracy"] == 0.75
    assert overall["precision"] == 0.8
    assert overall["tpr"] == round(12 / 19, 4)
    assert overall["f1"] == round(24 / 34, 4)
    by_group = {(r["group"], r["metric"]): r["value"] for r in data["results"]["by_group"]}
    assert by_group[("F", "selection_rate")] == 0.25
    assert by_group[("F", "impact_ratio")] == 0.5
    assert data["fairness"]["claims"] == [
        {"metric": "impact_ratio", "feature": "sex", "value": 0.5}
    ]
    assert data["data"]["contains_pii"] is True
    assert data["data"]["sensitive_attributes"] == ["religion", "sex"]
    assert "direct identifier: email" in data["data"]["pii_description"]
    assert data["model"]["version"] == "3.0"
    assert data["use"]["out_of_scope"] == "TODO"
    text = out.read_text()
    assert "out_of_scope: TODO  # TODO required by EU AI Act Art. 13(3)(b)(iii)" in text


def test_every_required_field_is_marked(drafted: tuple[Path, Path]) -> None:
    _, out = drafted
    rows = evaluate(rules_for(["eu-ai-act"]), [load_card(out)])
    assert {r.status for r in rows} == {"present", "placeholder"}  # nothing left out silently
    present = sorted({r.field for r in rows if r.status == "present"})
    assert present == [  # fairness.assessment: answered by the measured fairness.claims (alternative)
        "card.date", "data.evaluation", "data.sensitive_attributes", "fairness.assessment", "metrics",
        "model.version",
        "results.by_group", "results.overall",
    ]  # fmt: skip


def test_draft_claims_hold_when_audited(drafted: tuple[Path, Path]) -> None:
    root, out = drafted
    config = load_config(root / "audit.yaml").merged(card=out)
    report = run_audit(config, progress=False)
    for check in ("TRN201", "TRN202", "TRN203", "TRN204", "TRN205", "TRN206"):
        result = report.result(check)
        assert result.status.value == "passed", (check, result.summary)
        assert all(r["status"] == "consistent" for r in result.tables["claims"]), check


def test_draft_refuses_to_overwrite(
    drafted: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root, out = drafted
    assert main(["card", "draft", "-c", str(root / "audit.yaml"), "-o", str(out)]) == 2
    assert "already exists (use --force to overwrite)" in capsys.readouterr().err
    other = root / "other.yaml"
    assert (
        main(
            [
                "card",
                "draft",
                "-c",
                str(root / "audit.yaml"),
                "-o",
                str(other),
                "--standard",
                "gdpr",
            ]
        )
        == 2
    )
    assert "unknown standard 'gdpr'" in capsys.readouterr().err
    assert main(["card", "draft", "-c", str(root / "audit.yaml"), "-o", str(other),
                 "--standard", "transparency", "--standard", "nist-ai-rmf"]) == 0  # fmt: skip
    text = other.read_text()
    assert (
        "use:\n  intended: TODO  # TODO required by Transparency core Intended Use: primary intended uses; NIST AI RMF MAP 1.1"
        in text
    )


def test_draft_applies_the_packs_fields_and_ignore(drafted: tuple[Path, Path]) -> None:
    root, _ = drafted
    pack = root / "acme.yaml"
    pack.write_text(
        "version: 1\nname: acme\nextends: transparency\nchecks:\n  TRN101:\n    options:\n"
        "      fields:\n        - {field: governance.inventory_id, clause: 'Policy 4.2', standard: Acme}\n"
        "      ignore: [limitations, risks]\n"
    )
    out = root / "acme-card.yaml"
    args = ["card", "draft", "-c", str(root / "audit.yaml"), "-o", str(out), "--policy", str(pack)]
    assert main(args) == 0
    text = out.read_text()
    assert "governance:\n  inventory_id: TODO  # TODO required by Acme Policy 4.2\n" in text
    data = yaml.safe_load(text)
    assert "limitations" not in data and "risks" not in data  # ignored by the pack
    assert data["use"]["out_of_scope"] == "TODO"  # the extended pack's standard still applies
    # --standard replaces the pack's standards; its extra field and ignore still apply
    other = root / "acme-nist.yaml"
    assert main([*args[:5], str(other), "--policy", str(pack), "--standard", "nist-ai-rmf"]) == 0
    nist = yaml.safe_load(other.read_text())
    assert nist["governance"]["inventory_id"] == "TODO"
    assert "limitations" not in nist and "risks" not in nist
    assert nist["governance"]["risk_tolerance"] == "TODO"  # a NIST AI RMF MAP 1.5 field
