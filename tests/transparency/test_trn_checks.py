"""The TRN checks run as the runner runs them, on a real dataset with the real fairness and PII engines."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from trn_data import DATA, _in_repo_root, line_of, screening_frame  # noqa: F401

from auditor.api import run_audit
from auditor.checks.trn_card_fields import card_fields
from auditor.checks.trn_card_readable import card_readable
from auditor.checks.trn_claim_dataset import card_dataset_hash
from auditor.checks.trn_claim_fairness import card_fairness_claims_true
from auditor.checks.trn_claim_license import card_license_valid
from auditor.checks.trn_claim_metrics import card_metrics_true
from auditor.checks.trn_claim_model import card_model_version
from auditor.checks.trn_claim_pii import card_pii_claim_true
from auditor.checks.trn_claim_sensitive import card_sensitive_attributes
from auditor.checks.trn_datasheet_fields import datasheet_fields
from auditor.config import AuditConfig
from auditor.errors import ConfigError
from auditor.render import render
from auditor.testing import make_context, run_check

CARD = textwrap.dedent(
    """\
    schema_version: 1
    model:
      name: Screener
      version: "1.0"
    provider: {name: Acme, contact: ml@acme.example}
    license: Apache 2
    use:
      intended: Rank applicants.
      intended_users: [recruiters]
      out_of_scope: TODO
    data:
      training: [{id: past-applications}]
      evaluation:
        - {id: screening.csv, sha256: 9b0e111111111111111111111111111111111111111111111111111111111111}
      contains_pii: false
      sensitive_attributes: [gender]
    metrics: [{name: accuracy}]
    results:
      overall:
        - {metric: accuracy, value: 0.90}
        - {metric: precision, value: 0.80}
      by_group:
        - {feature: sex, group: F, metric: selection_rate, value: 0.25}
    fairness:
      claims:
        - {metric: impact_ratio, feature: sex, value: 0.8, operator: ">="}
        - {metric: equal_opportunity_difference, feature: sex, value: 0.356}
    limitations: "[More Information Needed]"
    risks: [{name: bias, mitigation: audit}]
    """
)


@pytest.fixture(scope="module")
def card_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    p = tmp_path_factory.mktemp("cards") / "model_card.yaml"
    p.write_text(CARD)
    return p


@pytest.fixture(scope="module")
def ctx(card_path: Path):
    return make_context(
        screening_frame(), target="label", prediction="pred", sensitive=("sex",), card=card_path,
        datasheet=DATA / "datasheet.yaml", metadata={"model_version": "1.1"},
    )  # fmt: skip


def where(card_path: Path, text: str) -> str:
    return f"card:{card_path.as_posix()}:{line_of(card_path, text)}"


def test_metrics_claims(ctx, card_path: Path) -> None:
    res = run_check(card_metrics_true, ctx)
    assert res.status.value == "failed"
    [f] = res.findings
    assert f.location == where(card_path, "metric: accuracy, value: 0.90")
    assert (f.evidence["claimed"], f.evidence["measured"]) == (0.9, 0.75)
    assert f.evidence["difference"] == pytest.approx(-0.15)
    rows = res.tables["claims"]
    assert [(r["subject"], r["status"], r["measured"]) for r in rows] == [
        ("accuracy", "contradicted", 0.75),
        ("precision", "consistent", 0.8),
        ("selection_rate for sex=F", "consistent", 0.25),
    ]
    loose = run_check(card_metrics_true, ctx, {"tolerance": 0.2})
    assert loose.status.value == "passed"


def test_pii_claim(ctx, card_path: Path) -> None:
    res = run_check(card_pii_claim_true, ctx)
    locations = sorted(f.location for f in res.findings)
    # the card's contains_pii: false and the datasheet's "identifies individuals: No"
    assert locations == [
        where(card_path, "contains_pii"),
        "datasheet:tests/transparency/data/datasheet.yaml:6",
    ]
    f = next(f for f in res.findings if f.location.startswith("card:"))
    assert [c["column"] for c in f.evidence["columns"]] == ["email", "religion"]
    assert "email (direct_identifier), religion (special_category)" in f.detail
    assert f.message == (
        "The model card says the data contains no personal data, but the audit found personal "
        "data in 2 columns: email and religion."
    )
    assert f.relates_to == ("column:email", "column:religion")
    assert "email and religion" in f.recommendation
    assert "applicant0.name@example.com" not in str(res)  # never a raw value


def test_sensitive_attributes(ctx, card_path: Path) -> None:
    res = run_check(card_sensitive_attributes, ctx)
    [f] = res.findings
    assert f.location == where(card_path, "sensitive_attributes")
    assert f.evidence["declared"] == ["gender"]
    assert [u["column"] for u in f.evidence["undeclared"]] == [
        "religion"
    ]  # sex is covered by gender


def test_fairness_claims(ctx, card_path: Path) -> None:
    res = run_check(card_fairness_claims_true, ctx)
    [f] = res.findings
    assert f.location == where(card_path, "metric: impact_ratio")
    assert (f.evidence["claimed"], f.evidence["measured"], f.evidence["operator"]) == (
        0.8,
        0.5,
        ">=",
    )
    rows = res.tables["claims"]
    assert rows[1]["status"] == "consistent"
    assert rows[1]["measured"] == pytest.approx(0.8 - 4 / 9, abs=1e-6)


def test_dataset_hash(ctx, card_path: Path) -> None:
    res = run_check(card_dataset_hash, ctx)
    [f] = res.findings
    assert f.evidence["measured"] == ctx.dataset_info.sha256
    assert f.evidence["claimed"].startswith("9b0e")
    assert f.location == where(card_path, "sha256: 9b0e")


def test_model_version_and_license(ctx, card_path: Path) -> None:
    [f] = run_check(card_model_version, ctx).findings
    assert (f.evidence["claimed"], f.evidence["measured"]) == ("1.0", "1.1")
    assert f.evidence["source"] == "config metadata.model_version"
    [lic] = run_check(card_license_valid, ctx).findings
    assert lic.location == where(card_path, "license: Apache 2")
    assert "did you mean 'Apache-2.0'" in lic.message


def test_fields_table_marks_contradictions(ctx, card_path: Path) -> None:
    res = run_check(card_fields, ctx)
    rows = {r["field"]: r for r in res.tables["fields"]}
    assert set(rows) == {
        "model.name", "model.version", "model.release_date", "provider.name", "provider.contact",
        "license", "use.intended", "use.intended_users", "use.out_of_scope", "data.training",
        "data.evaluation", "metrics", "results.overall", "results.by_group", "limitations", "risks",
    }  # fmt: skip
    status = {k: r["status"] for k, r in rows.items()}
    assert status["use.out_of_scope"] == "placeholder"
    assert status["limitations"] == "placeholder"
    for k in ("results.overall", "license", "model.version", "data.evaluation"):
        assert status[k] == "contradicted", k
    assert status["results.by_group"] == "present"  # its one claim holds
    assert rows["results.overall"]["measured"] == "0.75"
    assert rows["data.evaluation"]["measured"] == ctx.dataset_info.sha256
    assert sorted(f.discriminator for f in res.findings) == [
        "field:limitations",
        "field:model.release_date",  # Mitchell et al.'s "model date"; this card gives none
        "field:use.out_of_scope",
    ]
    f = next(f for f in res.findings if f.discriminator == "field:use.out_of_scope")
    assert f.message == (
        "The model card leaves the field use.out_of_scope unanswered (placeholder text 'TODO'), "
        "but Transparency core (Intended Use: out-of-scope use cases) requires an answer."
    )
    assert f.detail == (
        "card field use.out_of_scope is a placeholder (placeholder text 'TODO'); required by "
        "Transparency core Intended Use: out-of-scope use cases"
    )
    assert f.location == where(card_path, "out_of_scope")


def test_fields_options(ctx) -> None:
    res = run_check(
        card_fields,
        ctx,
        {
            "standards": ["nist-ai-rmf"],
            "fields": [
                {
                    "field": "governance.inventory_id",
                    "clause": "Acme policy 4.2",
                    "standard": "Acme",
                }
            ],
            "ignore": ["environmental_impact"],
            "cross_check": False,
        },
    )
    rows = res.tables["fields"]
    assert {r["standard"] for r in rows} == {"NIST AI RMF", "Acme"}
    assert not any(r["field"] == "environmental_impact" for r in rows)
    assert all(r["status"] != "contradicted" and r["measured"] is None for r in rows)
    # data.contains_pii (MEASURE 2.10) is answered by the card
    assert next(r for r in rows if r["field"] == "data.contains_pii")["status"] == "present"
    with pytest.raises(ConfigError, match=r"unknown standard 'eu-ai-ac'.*did you mean 'eu-ai-act'"):
        run_check(card_fields, ctx, {"standards": ["eu-ai-ac"]})
    with pytest.raises(ConfigError, match=r"unknown card field 'use\.out_of_scop'"):
        run_check(card_fields, ctx, {"fields": [{"field": "use.out_of_scop", "clause": "x"}]})


def test_datasheet_fields(ctx) -> None:
    res = run_check(datasheet_fields, ctx)
    assert res.status.value == "passed"  # every section answered
    rows = {r["field"]: r for r in res.tables["fields"]}
    assert len(rows) == 9
    assert {r["status"] for k, r in rows.items() if k != "data.contains_pii"} == {"present"}
    # "identifies individuals: No", but the scan flags email and religion
    assert rows["data.contains_pii"]["status"] == "contradicted"
    assert (
        rows["data.contains_pii"]["measured"]
        == "email (direct_identifier), religion (special_category)"
    )
    # the datasheet's own statement, not the card's (which TRN202 also contradicts)
    assert (
        rows["data.contains_pii"]["location"]
        == "datasheet:tests/transparency/data/datasheet.yaml:6"
    )
    assert rows["data.contains_pii"]["value_excerpt"] == "false"


def test_fields_row_prefers_the_contradiction_of_its_own_document(ctx, card_path: Path) -> None:
    res = run_check(card_fields, ctx, {"standards": ["nist-ai-rmf"]})
    row = next(r for r in res.tables["fields"] if r["field"] == "data.contains_pii")
    assert row["status"] == "contradicted"
    assert row["location"] == where(card_path, "contains_pii")  # the card's value, the card's claim
    assert row["value_excerpt"] == "false"


def test_card_readable_and_required(tmp_path: Path) -> None:
    bad = tmp_path / "model_card.yaml"
    bad.write_text("model:\n  name: x\n  vesion: 1\n")
    df = screening_frame()
    ctx = make_context(df, prediction="pred", card=bad)
    res = run_check(card_readable, ctx)
    [f] = res.findings
    assert f.location == f"card:{bad.as_posix()}:3"
    assert f.severity.label == "medium"
    broken = tmp_path / "broken.yaml"
    broken.write_text("model: [\n")
    ctx2 = make_context(df, prediction="pred", card=broken)
    [fatal] = run_check(card_readable, ctx2).findings
    assert fatal.severity.label == "high"
    assert fatal.evidence["fatal"] is True
    skipped = run_check(card_fields, ctx2)
    assert skipped.status.value == "skipped"
    assert "could not be read (see TRN100)" in skipped.detail
    none = make_context(df, prediction="pred")
    unread = run_check(card_readable, none)  # nothing to read: skipped with the reason, not passed
    assert unread.status.value == "skipped"
    assert unread.detail.startswith("no model card or datasheet to read")
    [missing] = run_check(card_readable, none, {"card_required": True}).findings
    assert missing.location == "card"
    assert "requires one" in missing.message


def test_unreadable_card_is_reported_as_the_card(tmp_path: Path) -> None:
    data = tmp_path / "screening.csv"
    screening_frame().to_csv(data, index=False)
    binary = tmp_path / "bad" / "binary.md"
    binary.parent.mkdir()
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    report = run_audit(
        AuditConfig(data=data, target="label", prediction="pred", card=binary,
                    policy={"version": 1, "name": "t", "checks": {"TRN": {}}}),
        progress=False,
    )  # fmt: skip
    [f] = report.result("TRN100").findings
    assert f.location == f"card:{binary.as_posix()}:1"
    assert f.message == (
        f"The model card {binary.as_posix()} cannot be read, so none of its statements were "
        "checked: model card looks binary (NUL bytes), expected text."
    )
    assert f.detail == f"{binary.as_posix()}: model card looks binary (NUL bytes), expected text"
    fields = report.result("TRN101")
    assert (fields.status.value, fields.findings) == ("skipped", ())  # not 15 "missing" fields
    assert fields.detail == (
        f"model card {binary.as_posix()} could not be read (see TRN100): model card looks binary "
        "(NUL bytes), expected text"
    )
    sarif = json.loads(render(report.to_dict(), "sarif"))
    [result] = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "TRN100"]
    physical = result["locations"][0]["physicalLocation"]
    # the card, not the data file; outside the source root, so an absolute file: URI
    assert physical["artifactLocation"]["uri"] == binary.as_uri()
    assert physical["region"]["startLine"] == 1


def test_wrong_typed_values_are_placeholders(tmp_path: Path) -> None:
    p = tmp_path / "model_card.yaml"
    p.write_text(
        "model: {name: Screener}\nlicense: {foo: bar}\ndata:\n  evaluation: 5\n"
        '  contains_pii: "no"\nmetrics: accuracy\n'
    )
    ctx = make_context(screening_frame(), target="label", prediction="pred", card=p)
    rules = [{"field": f, "clause": "c"} for f in
             ("model.name", "license", "data.evaluation", "metrics", "data.contains_pii")]  # fmt: skip
    res = run_check(card_fields, ctx, {"standards": [], "fields": rules, "cross_check": False})
    rows = {r["field"]: r["status"] for r in res.tables["fields"]}
    assert rows == {"model.name": "present", "license": "placeholder", "data.evaluation": "placeholder",
                    "metrics": "placeholder", "data.contains_pii": "present"}  # fmt: skip
    reasons = {f.evidence["field"]: f.evidence["reason"] for f in res.findings}
    assert reasons == {
        "license": "wrong type: expected a license id or a mapping with id, name, text or link, got "
        "a mapping with keys foo",
        "data.evaluation": "wrong type: expected a list, got int (5)",
        "metrics": "wrong type: expected a list, got text ('accuracy')",
    }
    # the quoted "no" is a claim: TRN202 checks it against the scan instead of skipping it
    [pii] = run_check(card_pii_claim_true, ctx).findings
    assert (pii.evidence["claimed"], pii.location) == (False, f"card:{p.as_posix()}:5")
    assert [c["column"] for c in pii.evidence["columns"]] == ["email", "religion"]
    # a value of the wrong type is no claim either: TRN205 finds no declared dataset
    assert run_check(card_dataset_hash, ctx).status.value == "skipped"


def test_risk_without_mitigation(tmp_path: Path) -> None:
    p = tmp_path / "model_card.yaml"
    p.write_text(
        "risks:\n  - {name: Historical bias, mitigation: quarterly audit}\n"
        "  - {name: Proxy features}\n  - {name: Drift, mitigation: TBD}\n"
    )
    ctx = make_context(screening_frame(), prediction="pred", card=p)
    rule = {"standards": [], "fields": [{"field": "risks", "clause": "MANAGE 1.3"}]}
    res = run_check(card_fields, ctx, rule)
    assert res.tables["fields"][0]["status"] == "present"  # one risk is mitigated
    assert [(f.detail, f.location, f.severity.label) for f in res.findings] == [
        ("card risk 'Proxy features' states no mitigation (risks[1])", f"card:{p.as_posix()}:3",
         "low"),
        ("card risk 'Drift' states no mitigation (risks[2])", f"card:{p.as_posix()}:4", "low"),
    ]  # fmt: skip
    assert res.findings[0].message == (
        "The model card names the risk 'Proxy features' but does not say how it is mitigated or "
        "who accepted it."
    )
    p.write_text("risks:\n  - {name: Proxy features}\n  - {name: Drift, mitigation: ''}\n")
    none = run_check(card_fields, make_context(screening_frame(), prediction="pred", card=p), rule)
    assert none.tables["fields"][0]["status"] == "placeholder"
    [f] = none.findings
    assert f.message == (
        "The model card leaves the field risks unanswered (no risk states its mitigation), but "
        "custom (MANAGE 1.3) requires an answer."
    )
    assert f.detail == (
        "card field risks is a placeholder (no risk states its mitigation); required by custom "
        "MANAGE 1.3"
    )


def test_mct_slice_written_feature_underscore_value(tmp_path: Path) -> None:
    p = tmp_path / "card.json"
    p.write_text(json.dumps({"quantitative_analysis": {"performance_metrics": [
        {"type": "selection rate", "value": 0.25, "slice": "sex_F"},
        {"type": "recall", "value": 0.8, "slice": "sex_F"},
    ]}}))  # fmt: skip
    ctx = make_context(screening_frame(), target="label", prediction="pred", sensitive=("sex",),
                       card=p)  # fmt: skip
    res = run_check(card_metrics_true, ctx)
    rows = [(r["subject"], r["status"], r["measured"]) for r in res.tables["claims"]]
    assert rows == [
        ("selection_rate for group sex_F", "consistent", 0.25),
        ("tpr for group sex_F", "contradicted", round(4 / 9, 6)),
    ]
    [f] = res.findings
    assert (f.evidence["feature"], f.evidence["group"]) == ("sex", "F")


def test_claims_absent_skip(tmp_path: Path) -> None:
    p = tmp_path / "model_card.yaml"
    p.write_text("model: {name: x}\n")
    ctx = make_context(screening_frame(), prediction="pred", sensitive=("sex",), card=p)
    res = run_check(card_metrics_true, ctx)
    assert res.status.value == "skipped"
    assert (
        res.detail
        == "the card states no metric results (results.overall / results.by_group / model-index)"
    )
    assert run_check(card_license_valid, ctx).detail == "the card states no license"


def test_metrics_on_another_dataset(tmp_path: Path) -> None:
    p = tmp_path / "model_card.yaml"
    p.write_text(
        "results:\n  overall:\n"
        "    - {metric: accuracy, value: 0.9, dataset: public-benchmark}\n"
        "    - {metric: precision, value: 0.6, dataset: screening.csv}\n"
    )
    ctx = make_context(screening_frame(), target="label", prediction="pred", card=p)
    strict = run_check(card_metrics_true, ctx)
    assert sorted(f.evidence["claimed"] for f in strict.findings) == [0.6, 0.9]
    relaxed = run_check(card_metrics_true, ctx, {"only_audited_dataset": True})
    rows = {r["subject"]: r for r in relaxed.tables["claims"]}
    assert rows["accuracy"]["status"] == "unverifiable"
    assert rows["accuracy"]["detail"] == (
        "card claims accuracy = 0.9 on dataset 'public-benchmark', not the audited data (measured here: 0.75)"
    )
    # the DataFrame has no file name, so a named dataset cannot be the audited one either
    assert rows["precision"]["status"] == "unverifiable"
    assert relaxed.status.value == "passed"
