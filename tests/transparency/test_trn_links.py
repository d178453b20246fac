"""A card claim about the data or a group is linked to the PII and fairness findings about the same
subject (``relates_to`` locations, ``related`` ids), so the documents present one problem once."""

from __future__ import annotations

from pathlib import Path

import pytest
from trn_data import _in_repo_root  # noqa: F401

from auditor.api import run_audit
from auditor.config import load_config
from auditor.findings import ResultFinding
from auditor.report import Report

CONFIG = Path("examples/hiring/audit.yaml")  # the default pack: FAIR, PII and TRN together
PII_COLUMNS = ["full_name", "email", "phone", "race_ethnicity", "recruiter_notes"]


@pytest.fixture(scope="module")
def report() -> Report:
    return run_audit(load_config(CONFIG), progress=False)


def findings_at(report: Report, location: str, prefix: str) -> list[tuple[str, ResultFinding]]:
    return [
        (r.check, f)
        for r in report.results
        if r.check.startswith(prefix)
        for f in r.findings
        if f.location == location
    ]


def test_pii_claim_relates_to_the_flagged_columns(report: Report) -> None:
    card = next(f for f in report.result("TRN202").findings if f.location.startswith("card:"))
    assert card.relates_to == tuple(f"column:{c}" for c in PII_COLUMNS)
    assert card.message == (
        "The model card says the data contains no personal data, but the audit found personal "
        "data in 5 columns: full_name, email, phone, race_ethnicity and recruiter_notes."
    )
    linked = {(c, f.location) for c, f in findings_at_any(report, card.related)}
    assert linked == {
        ("PII001", "column:full_name"),
        ("PII001", "column:email"),
        ("PII001", "column:phone"),
        ("PII001", "column:recruiter_notes"),
        ("PII003", "column:recruiter_notes"),
        ("PII002", "column:race_ethnicity"),
        ("PII004", "column:race_ethnicity"),
    }
    # the link is mutual: the PII finding names the card's claim
    [(_, email)] = findings_at(report, "column:email", "PII001")
    assert card.id in email.related


def test_sensitive_attribute_claim_relates_to_the_undeclared_column(report: Report) -> None:
    [sens] = report.result("TRN203").findings
    assert sens.relates_to == ("column:race_ethnicity",)
    assert sens.message == (
        "The model card declares sex as its sensitive attribute, but the data also holds "
        "race_ethnicity (racial or ethnic origin; tested for bias by this audit), which the model "
        "card does not declare."
    )
    [(_, special)] = findings_at(report, "column:race_ethnicity", "PII002")
    assert special.id in sens.related and sens.id in special.related


def test_fairness_claim_relates_to_the_feature(report: Report) -> None:
    [claim] = report.result("TRN204").findings
    assert claim.relates_to == ("feature:sex",)
    assert claim.message == (
        "The model card claims an impact ratio of at least 0.8 for sex; the audit measured 0.617 "
        "for the Female group against the Male group (962 and 1,038 rows)."
    )
    fair = findings_at(report, "feature:sex", "FAIR")
    assert "FAIR001" in {c for c, _ in fair}
    assert {f.id for _, f in fair} <= set(claim.related)
    selection = next(f for c, f in fair if c == "FAIR001")
    assert claim.id in selection.related


def test_group_metric_claim_relates_to_the_feature(report: Report) -> None:
    by_group = next(
        f for f in report.result("TRN201").findings if f.evidence.get("feature") is not None
    )
    assert by_group.relates_to == ("feature:race_ethnicity",)
    assert by_group.message == (
        "The model card claims a true positive rate (recall) of 0.55 for the Black or African "
        "American group (race_ethnicity); the audit measured 0.308 on the 146 rows of that group "
        "with a positive label (tolerance 0.02)."
    )
    fair = findings_at(report, "feature:race_ethnicity", "FAIR")
    assert fair and {f.id for _, f in fair} <= set(by_group.related)
    overall = next(f for f in report.result("TRN201").findings if f is not by_group)
    assert overall.relates_to == () and overall.related == ()
    assert overall.message == (
        "The model card claims an accuracy of 0.91; the audit measured 0.746 on 2,000 rows "
        "(tolerance 0.02)."
    )


def test_ids_are_unchanged_by_the_new_wording(report: Report) -> None:
    """Locations and discriminators did not change with the wording: the ids of the previous
    release still name the same findings (baselines and waivers keep matching)."""
    ids = {r.check: {f.id for f in r.findings} for r in report.results}
    assert {"256cbc94bd3b1ac0", "e42635f31bc3d3b4"} == ids["TRN202"]
    assert {"72de7b483c7f6c9a"} == ids["TRN203"]
    assert {"5885660536b968d2"} == ids["TRN204"]
    assert {"bafaeb1720787749"} == ids["PII002"]
    assert {"19dff9757a684146", "32e9313f1c7e7f7b", "422bbb52f8555073", "d3607c77f87bdd28"} < ids[
        "PII001"
    ]


def findings_at_any(report: Report, ids: tuple[str, ...]) -> list[tuple[str, ResultFinding]]:
    wanted = set(ids)
    return [(r.check, f) for r in report.results for f in r.findings if f.id in wanted]
