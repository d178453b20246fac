"""A deterministic canonical report (fixed run id, timestamps and environment) for renderer tests.

Its tables follow the contracts of the check families: fairness ``groups`` (the columns of
``auditor.fairness.tables.GROUP_COLUMNS``), PII ``columns`` and transparency ``fields``. Untrusted
strings carry XSS payloads in a column name, a group value and a card field.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Sequence
from typing import Any

import jsonschema

from auditor.baseline import apply_baseline, parse_regressions
from auditor.findings import fingerprint
from auditor.report import Report
from auditor.resources import schema_path

_VALIDATOR = jsonschema.Draft202012Validator(
    json.loads(schema_path().read_text(encoding="utf-8")), format_checker=jsonschema.FormatChecker()
)


def validate_report(data: dict[str, Any]) -> None:
    """Raise AssertionError listing the first schema violations of ``data``."""
    errors = sorted(_VALIDATOR.iter_errors(data), key=lambda e: list(e.path))
    if errors:
        raise AssertionError(
            "report violates the JSON schema:\n"
            + "\n".join(f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors[:10])
        )


def families_in(markdown: str) -> Sequence[str]:
    """The family titles of the ``<details>`` blocks of a rendered Markdown report, in order."""
    return re.findall(r"<details><summary><b>(.*?)</b>", markdown)


COLUMN_PAYLOAD = "<script>window.__pwned='column'</script>"
GROUP_PAYLOAD = "<img src=x onerror=\"window.__pwned='group'\">"
CARD_PAYLOAD = "<svg onload=\"window.__pwned='card'\"></svg></style><script>1</script>"
PAYLOADS = (COLUMN_PAYLOAD, GROUP_PAYLOAD, CARD_PAYLOAD)
RAW_EMAIL = "jane.doe@example.com"  # must never appear in any output (only the masked form)


def _group(feature: str, group: str, n: int, selected: int, ref: str, ref_rate: float,
           total: int, status: str | None = None, excluded: bool = False,
           note: str | None = None) -> dict[str, Any]:  # fmt: skip
    rate = selected / n
    ratio = None if excluded else round(rate / ref_rate, 4)
    half = round(1.96 * (rate * (1 - rate) / n) ** 0.5, 4)
    return {
        "feature": feature, "group": group, "n": n, "share": round(n / total, 4),
        "selected": selected, "selection_rate": round(rate, 4), "base_rate": round(rate + 0.02, 4),
        "tpr": 0.81, "fpr": 0.12, "fnr": 0.19, "tnr": 0.88, "precision": 0.77, "accuracy": 0.84,
        "reference_group": None if excluded else ref, "impact_ratio": ratio,
        "ci_low": None if excluded else round(max(rate - half, 0.0), 4),
        "ci_high": None if excluded else round(min(rate + half, 1.0), 4),
        "p_value": None if group == ref or excluded else 0.0031,
        "status": status or ("reference" if group == ref else
                             ("fail" if ratio is not None and ratio < 0.8 else "pass")),
        "excluded": excluded, "note": note,
    }  # fmt: skip


def _groups() -> list[dict[str, Any]]:
    total = 1000
    rows = [
        _group("sex", "M", 520, 260, "M", 0.5, total),
        _group("sex", "F", 460, 170, "M", 0.5, total),
        _group("sex", "(missing)", 20, 9, "M", 0.5, total, status="excluded", excluded=True,
               note="missing or unknown value: counted here, left out of every comparison"),
        _group("race", "White", 500, 250, "White", 0.5, total),
        _group("race", "Black", 300, 93, "White", 0.5, total),
        _group("race", "Asian", 185, 88, "White", 0.5, total),
        _group("race", GROUP_PAYLOAD, 15, 5, "White", 0.5, total, status="excluded",
               excluded=True, note="1.50% of the data < 2%: excluded from the impact ratio "
               "(fewer than 2% of applicants; LL144 §5-301 allows exclusion)"),
    ]  # fmt: skip
    return rows


def _finding(check: str, location: str, disc: str, message: str, severity: str,
             evidence: dict[str, Any], recommendation: str = "",
             waiver: dict[str, Any] | None = None, detail: str = "",
             level: str | None = None) -> dict[str, Any]:  # fmt: skip
    return {
        "id": fingerprint(check, location, disc), "message": message, "location": location,
        "severity": severity, "status": "waived" if waiver else "failed", "evidence": evidence,
        "discriminator": disc, "recommendation": recommendation, "waiver": waiver,
        "detail": detail, "evidence_level": level, "related": [],
    }  # fmt: skip


WAIVER = {
    "check": "FAIR101", "location": "feature:sex", "reason":
    "Known sampling artefact of the 2025 pilot cohort; remediation planned in the Q3 retrain.",
    "approved_by": "Dana Ruiz (Head of Model Risk)", "expires": "2027-03-31",
    "ticket": "RISK-142", "source": "policy.yaml: waivers[0]",
}  # fmt: skip


def _results(errored: bool) -> list[dict[str, Any]]:
    groups = _groups()
    black = next(r for r in groups if r["group"] == "Black")
    fair101 = {
        "check": "FAIR101", "name": "impact-ratio", "family": "fairness", "severity": "high",
        "status": "failed", "summary": "2 findings: Selection-rate impact ratio of every group "
        "against the reference group is at least the threshold (four-fifths rule).",
        "detail": "", "duration_s": 0.412,
        "references": ["EEOC Uniform Guidelines 29 CFR 1607.4(D)", "NYC 6 RCNY §5-301",
                       "https://fairlearn.org/main/user_guide/assessment/"],
        "options": {"threshold": 0.8, "reference": "max_rate", "min_group_size": 30,
                    "confidence": 0.95, "n_boot": 1000, "exclude_below_share": 0.02},
        "findings": [
            _finding("FAIR101", "feature:race", "parity",
                     "The Black group is selected at 62% of the White group's rate (31.0% vs "
                     "50.0%; 95% CI 51–74%; 300 in the Black group, 500 in the White group); the "
                     "four-fifths guideline is 80%.", "high",
                     {"evidence": "significant", "decided_on": "evidence", "tests": 4,
                      "groups": [{"group": "Black", "n": 300, "rate": black["selection_rate"],
                                  "reference_group": "White", "reference_n": 500,
                                  "reference_rate": 0.5, "impact_ratio": black["impact_ratio"],
                                  "impact_ratio_ci": [0.51, 0.74], "p_value": 0.0031,
                                  "p_adjusted": 0.0004, "evidence": "significant",
                                  "would_settle": None}]},
                     "For the Black group: review the features driving the selection gap; "
                     "consider re-weighting or threshold adjustment, then re-audit.",
                     detail="Impact ratios below 0.8 against White: Black (n=300): impact ratio "
                     "0.620, 95% CI 0.510–0.740, adjusted p < 0.001: significant.",
                     level="significant"),
            _finding("FAIR101", "feature:sex", "parity",
                     "Women are selected at 74% of men's rate (37.0% vs 50.0%; 95% CI 64–85%; "
                     "460 women, 520 men); the four-fifths guideline is 80%.",
                     "high", {"evidence": "significant",
                              "groups": [{"group": "F", "n": 460, "impact_ratio": 0.739,
                                          "evidence": "significant"}]},
                     waiver=WAIVER, level="significant"),
        ],
        "tables": {"groups": groups, "disparities": [
            {"feature": "race", "metric": "demographic_parity_ratio", "value": 0.62,
             "ci_low": 0.51, "ci_high": 0.74, "threshold": 0.8, "status": "fail"},
        ]},
    }  # fmt: skip
    results = [
        {
            "check": "RUN001", "name": "input-integrity", "family": "run", "severity": "low",
            "status": "passed", "summary": "passed: Inputs were loaded without caveats.",
            "detail": "", "duration_s": 0.001, "references": [], "options": {}, "findings": [],
            "tables": {"inputs": [{"input": "dataset", "detail": "applicants.csv", "rows": 1000,
                                   "columns": 6}]},
        },
        fair101,
        {
            "check": "FAIR102", "name": "error-rate-parity", "family": "fairness",
            "severity": "medium", "status": "failed",
            "summary": "1 finding: True- and false-positive rates differ by at most the tolerance.",
            "detail": "", "duration_s": 0.2,
            "references": ["Hardt et al. 2016, Equality of Opportunity"],
            "options": {"max_difference": 0.1},
            "findings": [
                _finding("FAIR102", "feature:sex", "parity",
                         "Of the people with the favourable label (hired = 1), 71.0% of women are "
                         "selected against 83.0% of men (true positive rate; 40 and 45 people "
                         "with the label); the policy allows a difference of 10 points, but this "
                         "is not yet conclusive: the 95% interval (0.04–0.21) reaches the "
                         "threshold 0.10 (not blocking).", "low",
                         {"evidence": "inconclusive",
                          "metrics": [{"metric": "equal_opportunity_difference", "value": 0.12,
                                       "ci": [0.04, 0.21], "threshold": 0.1, "p_adjusted": 0.31,
                                       "evidence": "inconclusive",
                                       "would_settle": "about 2.6 times the data (about 1,600 more people)"}]},
                         "Not settled yet: collect more data before acting on this gap.",
                         level="inconclusive"),
            ],
            "tables": {"disparities": [
                {"feature": "sex", "metric": "equalized_odds_difference", "value": 0.04,
                 "ci_low": 0.01, "ci_high": 0.07, "threshold": 0.1, "status": "pass"},
                {"feature": "sex", "metric": "equal_opportunity_difference", "value": 0.12,
                 "ci_low": 0.04, "ci_high": 0.21, "threshold": 0.1, "p_threshold": 0.08,
                 "p_adjusted": 0.31, "evidence": "inconclusive", "status": "inconclusive"}]},
        },
        {
            "check": "FAIR103", "name": "intersectional-groups", "family": "fairness",
            "severity": "medium", "status": "skipped",
            "summary": "skipped: needs at least two sensitive features (got 1)",
            "detail": "needs at least two sensitive features (got 1)", "duration_s": 0.0,
            "references": [], "options": {}, "findings": [], "tables": {},
        },
        {
            "check": "PII101", "name": "pii-in-columns", "family": "pii", "severity": "high",
            "status": "failed",
            "summary": "2 findings: Columns holding personal data are detected and reported.",
            "detail": "", "duration_s": 1.9,
            "references": ["GDPR Art. 4(1)", "https://microsoft.github.io/presidio/"],
            "options": {"engine": "patterns+context", "sample_size": 1000, "score_threshold": 0.5},
            "findings": [
                _finding("PII101", "column:email", "EMAIL_ADDRESS",
                         "column 'email' holds EMAIL_ADDRESS in 100% of scanned values", "high",
                         {"entity": "EMAIL_ADDRESS", "hit_rate": 1.0, "rows_scanned": 1000,
                          "masked_examples": ["j***@e***.com", "a***@e***.org"]},
                         "Drop or pseudonymise the column before training."),
                _finding("PII101", f"column:{COLUMN_PAYLOAD}", "PERSON",
                         f"column {COLUMN_PAYLOAD!r} holds PERSON names in 42% of values",
                         "medium", {"entity": "PERSON", "hit_rate": 0.42}),
            ],
            "tables": {"columns": [
                {"column": "email", "kind": "structured", "entity_types": ["EMAIL_ADDRESS"],
                 "likelihood": "high", "score": 0.99, "rows_scanned": 1000,
                 "unique_scanned": 998, "hits": 1000, "hit_rate": 1.0,
                 "regulations": ["GDPR", "CCPA"], "masked_examples": ["j***@e***.com"],
                 "evidence": "pattern+context"},
                {"column": COLUMN_PAYLOAD, "kind": "free_text", "entity_types": ["PERSON"],
                 "likelihood": "medium", "score": 0.71, "rows_scanned": 1000,
                 "unique_scanned": 640, "hits": 420, "hit_rate": 0.42, "regulations": ["GDPR"],
                 "masked_examples": ["J*** D***"], "evidence": "ner"},
                {"column": "age", "kind": "numeric", "entity_types": [], "likelihood": "none",
                 "score": 0.0, "rows_scanned": 1000, "unique_scanned": 47, "hits": 0,
                 "hit_rate": 0.0, "regulations": [], "masked_examples": [], "evidence": None},
            ]},
        },
        {
            "check": "TRN301", "name": "documentation-fields", "family": "transparency",
            "severity": "medium", "status": "failed",
            "summary": "2 findings: Required model-card fields are present and not placeholders.",
            "detail": "", "duration_s": 0.05,
            "references": ["EU AI Act Annex IV 1(a)", "NIST AI RMF MAP 1.1"],
            "options": {"standard": "eu-ai-act"},
            "findings": [
                _finding("TRN301", "card:model_card.yaml:12", "use.intended",
                         "use.intended is missing", "medium", {"field": "use.intended"},
                         "Describe the intended purpose and users (Annex IV 1(a))."),
                _finding("TRN301", "card:model_card.yaml:30", "limitations",
                         f"limitations is a placeholder: {CARD_PAYLOAD}", "medium",
                         {"field": "limitations", "value": CARD_PAYLOAD}),
            ],
            "tables": {"fields": [
                {"field": "model.name", "status": "present", "standards": "AIA IV1(a); NIST GOV1.6",
                 "line": 2, "note": None},
                {"field": "use.intended", "status": "missing", "standards": "AIA IV1(a), 13(b)(i)",
                 "line": None, "note": None},
                {"field": "limitations", "status": "placeholder", "standards": "AIA IV3",
                 "line": 30, "note": CARD_PAYLOAD},
                {"field": "data.contains_pii", "status": "contradicted", "standards": "AIA IV2(d)",
                 "line": 18, "note": "card says false; PII101 found EMAIL_ADDRESS"},
            ]},
        },
        {
            "check": "RUN002", "name": "waiver-hygiene", "family": "run", "severity": "medium",
            "status": "passed", "summary": "passed: Waivers are current and each matches a finding.",
            "detail": "", "duration_s": 0.0, "references": [], "options": {}, "findings": [],
            "tables": {},
        },
    ]  # fmt: skip
    if errored:
        results.insert(5, {
            "check": "TRN310", "name": "card-metric-consistency", "family": "transparency",
            "severity": "medium", "status": "errored",
            "summary": "errored: KeyError: 'accuracy'", "detail": "KeyError: 'accuracy'",
            "duration_s": 0.01, "references": [], "options": {}, "findings": [], "tables": {},
        })  # fmt: skip
    return results


def canonical_report(*, errored: bool = False) -> dict[str, Any]:
    """The golden input: deterministic, schema-valid, with every family's tables."""
    sha = "ab" * 32
    data: dict[str, Any] = {
        "schema_version": 2,
        "tool": {"name": "auditor", "version": "0.1.0"},
        "run": {"id": "golden000001", "started_at": "2026-11-20T09:00:00+00:00",
                "finished_at": "2026-11-20T09:00:03+00:00", "duration_s": 2.57, "seed": 7,
                "config": "audit.yaml", "overrides": {"FAIR101.n_boot": 1000}},
        "verdict": "fail",
        "gate": {"fail_on": "high", "blocking": []},
        "inputs": {
            "dataset": {"path": "data/applicants.csv", "format": "csv", "sha256": sha,
                        "size_bytes": 48213, "rows": 1000,
                        "columns": [{"name": n, "dtype": t} for n, t in (
                            ("sex", "str"), ("race", "str"), ("email", "str"),
                            (COLUMN_PAYLOAD, "str"), ("age", "int64"), ("hired", "int64"))],
                        "encoding": "utf-8", "notes": []},
            "engine": {"name": "polars", "lazy": True,
                       "reason": "--engine polars (the data does not fit in memory)",
                       "source": "data/applicants.csv", "files": None, "rows_metadata": None,
                       "rows_counted": 1000, "passes": 4, "engine_seconds": 0.5,
                       "approximations": [{"what": "PII101 column scan",
                                           "method": "reservoir sample of 1,000 values",
                                           "error_bound": "hit rate ±3.1% (95%)"}],
                       "notes": []},
            "model": {"kind": "predictions", "path": "data/applicants.csv", "sha256": sha,
                      "loader": "column", "framework": None, "version": None, "classes": None,
                      "feature_names": None, "warnings": []},
            "documents": [{"kind": "model_card", "path": "model_card.yaml", "sha256": "cd" * 32}],
        },
        "subject": {
            "target": None, "prediction": "hired", "score": None, "positive_label": 1,
            "positive_label_source": "given", "sensitive": ["sex", "race"], "features": None,
            "metadata": {
                "title": "Hiring screen bias and privacy audit",
                "system": "ResumeRank", "system_version": "2.4.1",
                "provider": "Example Staffing Ltd.", "classification": "Confidential",
                "signoff": {"prepared_by": {"name": "A. Auditor", "role": "ML audit",
                                            "date": "2026-11-20"},
                            "reviewed_by": "B. Reviewer", "approved_by": ""},
                "ll144": {"audit_date": "2026-11-20", "employer": "Example Staffing Ltd.",
                          "aedt": "ResumeRank 2.4.1", "auditor": "Independent Audits LLC",
                          "data_type": "historical",
                          "data_source": "Applicant tracking system export of NYC roles.",
                          "data_explanation": "Applicants from 2025-01 to 2025-12.",
                          "distribution_date": "2027-01-15"},
            },
        },
        "policy": {
            "name": "hiring", "path": "policy.yaml", "sha256": "ef" * 32,
            "packs": [{"name": "nyc-ll144", "version": "1", "path": "rules/nyc-ll144.yaml",
                       "sha256": "12" * 32},
                      {"name": "hiring", "version": "3", "path": "policy.yaml",
                       "sha256": "ef" * 32}],
            "resolved": {"name": "hiring", "fail_on": "high",
                         "checks": {"FAIR": {"enabled": True, "severity": None,
                                             "options": {}},
                                    "FAIR101": {"enabled": True, "severity": None,
                                                "options": {"threshold": 0.8,
                                                            "exclude_below_share": 0.02}},
                                    "PII": {"enabled": True, "severity": None, "options": {}},
                                    "RUN": {"enabled": True, "severity": None, "options": {}},
                                    "TRN": {"enabled": True, "severity": None, "options": {}}},
                         "waivers": [WAIVER]},
        },
        "environment": {"python": "3.11.7", "implementation": "CPython",
                        "platform": "Linux-golden-x86_64",
                        "packages": {"pandas": "2.2.0", "fairlearn": "0.15.0",
                                     "presidio-analyzer": "2.2.366", "jinja2": "3.1.6"},
                        "check_plugins": {}},
        "results": _results(errored),
        "waivers": [WAIVER],
        "warnings": [],
        "summary": {},
    }  # fmt: skip
    # the Report value recomputes verdict, gate and summary exactly as a real run does
    return Report.from_dict(copy.deepcopy(data)).to_dict()


def baseline_pair() -> tuple[dict, dict]:
    """(old, new): the new run resolves the email finding, worsens sex=F and edits a message."""
    old = canonical_report()
    new = copy.deepcopy(old)
    new["run"]["id"] = "golden000002"
    for r in new["results"]:
        for row in (r.get("tables") or {}).get("groups", []):
            if row["group"] == "F":
                row.update(impact_ratio=0.69, selection_rate=0.345, selected=159)
        if r["check"] == "PII101":
            r["findings"] = [f for f in r["findings"] if f["location"] != "column:email"]
        if r["check"] == "TRN301":
            r["findings"][0]["message"] = "use.intended is missing (section removed)"
    rules = parse_regressions({"FAIR.impact_ratio": {"max_drop": 0.02}}, "policy.yaml: regressions")
    report = apply_baseline(
        Report.from_dict(new), old, rules, path="baseline/audit.json", sha256="0" * 64
    )
    return old, report.to_dict()
