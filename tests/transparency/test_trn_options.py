"""TRN101's ``contradicted`` status is judged with the options TRN201/TRN204 run with, so the fields
table never calls a claim false that the cross-check itself accepts (or lists as unverifiable)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from trn_data import _in_repo_root, screening_frame  # noqa: F401

from auditor.api import run_audit
from auditor.config import AuditConfig

CARD = """\
model: {name: Screener}
results:
  overall:
    - {metric: accuracy, value: 0.9, dataset: public-benchmark}
fairness:
  claims:
    - {metric: impact_ratio, feature: sex, value: 0.6}
"""


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("options")
    data = root / "screening.csv"
    screening_frame().to_csv(data, index=False)  # measured: accuracy 0.75, impact ratio 0.5
    card = root / "model_card.yaml"
    card.write_text(CARD)
    return data, card


def audit(files: tuple[Path, Path], checks: dict[str, Any]):
    data, card = files
    fairness = {"field": "fairness.claims", "clause": "Annex IV 2(g)", "standard": "EU AI Act"}
    own = checks.pop("TRN101", {}).get("options", {})
    trn101 = {"options": {"fields": [fairness], **own}}
    policy = {"version": 1, "name": "t", "checks": {"TRN101": trn101, **checks}}
    config = AuditConfig(data=data, target="label", prediction="pred", sensitive=("sex",),
                         card=card, policy=policy)  # fmt: skip
    return run_audit(config, progress=False)


def status(report, fld: str) -> str:
    rows = report.result("TRN101").tables["fields"]
    return next(r["status"] for r in rows if r["field"] == fld)


def test_fields_table_follows_trn201_options(files) -> None:
    report = audit(files, {"TRN201": {"options": {"tolerance": 0.2, "only_audited_dataset": True}}})
    metrics = report.result("TRN201")
    assert metrics.status.value == "passed"
    [claim] = metrics.tables["claims"]
    assert (claim["subject"], claim["status"]) == ("accuracy", "unverifiable")
    assert status(report, "results.overall") == "present"  # not contradicted
    # with TRN201 at its defaults the same claim is false, in both places
    strict = audit(files, {"TRN201": {}})
    assert strict.result("TRN201").findings[0].evidence["measured"] == 0.75
    assert status(strict, "results.overall") == "contradicted"


def test_fields_table_follows_the_tolerance_of_each_cross_check(files) -> None:
    # the accuracy claim (0.9 vs 0.75) holds within 0.2; the impact ratio claim (0.6 vs 0.5) does not
    # within TRN204's 0.05
    report = audit(files, {"TRN201": {"options": {"tolerance": 0.2}},
                           "TRN204": {"options": {"tolerance": 0.05}}})  # fmt: skip
    assert report.result("TRN201").status.value == "passed"
    [ratio] = report.result("TRN204").findings
    assert (ratio.evidence["claimed"], ratio.evidence["measured"]) == (0.6, 0.5)
    rows = {r["field"]: r for r in report.result("TRN101").tables["fields"]}
    assert rows["results.overall"]["status"] == "present"
    assert rows["fairness.claims"]["status"] == "contradicted"  # as TRN204 says
    assert rows["fairness.claims"]["measured"] == "0.5"
    loose = audit(files, {"TRN201": {"options": {"tolerance": 0.2}},
                          "TRN204": {"options": {"tolerance": 0.15}}})  # fmt: skip
    assert loose.result("TRN204").status.value == "passed"
    assert status(loose, "fairness.claims") == "present"


def test_without_the_cross_check_trn101_uses_its_own_tolerance(files) -> None:
    own = audit(files, {"TRN101": {"options": {"tolerance": 0.2}}})
    assert [r.check for r in own.results] == ["TRN101"]
    assert status(own, "results.overall") == "present"
    assert status(audit(files, {}), "results.overall") == "contradicted"
