"""Finding ids of card and datasheet findings name the field, not the file's path or line: editing an
unrelated line or moving the card does not turn its findings into "new" ones under --baseline."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from trn_data import _in_repo_root, screening_frame  # noqa: F401

from auditor.api import run_audit
from auditor.baseline import compare_reports
from auditor.checks.trn_card_fields import card_fields
from auditor.checks.trn_claim_metrics import card_metrics_true
from auditor.config import load_config
from auditor.findings import fingerprint
from auditor.testing import make_context, run_check

EXAMPLE = Path("examples/hiring")


def trn_findings(report) -> dict[str, tuple[str, str]]:
    """id -> (check, location) of every TRN finding."""
    return {
        f.id: (r.check, f.location)
        for r in report.results
        if r.check.startswith("TRN")
        for f in r.findings
    }


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory):
    """The example audited as shipped, then with its card and datasheet edited and moved."""
    config = load_config(EXAMPLE / "audit-card.yaml")
    before = run_audit(config, progress=False)
    moved = tmp_path_factory.mktemp("moved") / "docs" / "cards"
    moved.mkdir(parents=True)
    card = moved / "screener-card.yaml"
    card.write_text(
        "# Reviewed 2026-03-10: no change to the content.\n"
        + (EXAMPLE / "model_card.yaml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    sheet = moved / "applicants-datasheet.md"
    sheet.write_text(
        "<!-- maintained by data governance -->\n\n"
        + (EXAMPLE / "datasheet.md").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    after = run_audit(config.merged(card=card, datasheet=sheet), progress=False)
    return before, after, card, sheet


def test_same_card_edited_and_moved_keeps_every_id(reports) -> None:
    before, after, card, sheet = reports
    old, new = trn_findings(before), trn_findings(after)
    assert len(old) == 35  # TRN100 1, TRN101 24, TRN102 1, TRN2xx 9
    assert set(new) == set(old)
    for fid, (check, location) in old.items():
        new_check, new_location = new[fid]
        assert new_check == check
        if location.startswith("card:examples/hiring/model_card.yaml:"):
            # the location still points at the (new) file and its shifted line for SARIF
            line = int(location.rsplit(":", 1)[1])
            assert new_location.startswith(f"card:{card.as_posix()}:")
            assert int(new_location.rsplit(":", 1)[1]) in (line, line + 1)
        elif location.startswith("datasheet:"):
            assert new_location.startswith(f"datasheet:{sheet.as_posix()}:")
            assert int(new_location.rsplit(":", 1)[1]) == int(location.rsplit(":", 1)[1]) + 2
    accuracy = next(fid for fid, (c, loc) in old.items() if c == "TRN201" and loc.endswith(":47"))
    assert new[accuracy][1] == f"card:{card.as_posix()}:48"


def test_baseline_sees_no_new_or_resolved_findings(reports) -> None:
    before, after, _, _ = reports
    diff = compare_reports(before.to_dict(), after.to_dict())
    trn = {fid: s for fid, s in diff["states"].items() if fid in trn_findings(after)}
    assert len(trn) == 35
    assert "new" not in trn.values()
    assert [f for f in diff["absent"] if f["check"].startswith("TRN")] == []  # none "resolved"


def test_document_locations_are_reduced_to_their_role() -> None:
    field = fingerprint("TRN101", "card:model_card.yaml:24", "field:use.out_of_scope")
    assert fingerprint("TRN101", "card:docs/other/README.md:3", "field:use.out_of_scope") == field
    assert fingerprint("TRN101", "card", "field:use.out_of_scope") == field
    assert fingerprint("TRN101", "datasheet:model_card.yaml:24", "field:use.out_of_scope") != field
    assert fingerprint("TRN101", "card:model_card.yaml:24", "field:limitations") != field
    # other locations are kept whole: a group named "30" is not a line number
    assert fingerprint("FAIR101", "feature:age/group:30", "x") != fingerprint(
        "FAIR101", "feature:age/group:31", "x"
    )


def test_repeated_subjects_in_one_card_are_numbered_in_document_order(tmp_path: Path) -> None:
    """Ids leave out the line, so two findings of one check on one subject of one card would share
    an id; the runner numbers the repeats (claims and risks alike): x, x#2, x#3. (Repeated load
    issues were shown with a repeated key, which is now a fatal issue of its own.)"""
    card = tmp_path / "model_card.yaml"
    card.write_text(
        textwrap.dedent(
            """\
            model:
              name: Screener
            results:
              overall:
                - {metric: accuracy, value: 0.90}
                - {metric: accuracy, value: 0.91}
                - {metric: accuracy, value: 0.95}
            risks:
              - {name: bias, mitigation: audit}
              - {name: drift}
              - {name: drift}
            """
        )
    )
    ctx = make_context(
        screening_frame(), target="label", prediction="pred", sensitive=("sex",), card=card
    )

    def numbered(chk, prefix: str) -> list[tuple[int, str, str]]:
        return sorted(
            (int(f.location.rsplit(":", 1)[1]), f.discriminator, f.id)
            for f in run_check(chk, ctx).findings
            if f.discriminator.startswith(prefix)
        )

    claim = "metrics:results.overall:accuracy"
    assert numbered(card_metrics_true, claim) == [
        (5, claim, fingerprint("TRN201", "card", claim)),
        (6, f"{claim}#2", "0fb061c5a7ded97b"),
        (7, f"{claim}#3", fingerprint("TRN201", "card", f"{claim}#3")),
    ]
    risk = "risk-mitigation:drift"
    assert numbered(card_fields, risk) == [
        (10, risk, fingerprint("TRN101", "card", risk)),
        (11, f"{risk}#2", fingerprint("TRN101", "card", f"{risk}#2")),
    ]
