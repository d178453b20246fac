"""A small synthetic report that uses every part of the report schema a template can show.

``auditor run/render --templates DIR`` renders each template of ``DIR`` against it before any
check runs (:func:`auditor.render.templates.validate_templates`), so a template that reads a
key the report does not have, or fails on a branch every real report takes, is refused up
front. It is canonical (``Report.from_dict(sample_report()).to_dict() == sample_report()``) and
valid against ``auditor/schema/report.schema.json`` (both checked by the tests), and it holds
one of everything: a passed, failed, skipped and errored check; blocking, not blocking, waived
and resolved findings; a baseline with a regression; the data engine with an approximation; the
LL144 summary fields; fairness, personal-data and documentation tables.
"""

from __future__ import annotations

import copy
from typing import Any

__all__ = ["sample_report"]

_SHA = "0" * 64
_WAIVER = {
    "check": "FAIR001", "location": "feature:sex", "reason": "Pilot cohort; retrain planned.",
    "approved_by": "Head of Model Risk", "expires": "2030-01-01", "ticket": "RISK-1",
    "source": "policy.yaml: waivers[0]",
}  # fmt: skip


def _finding(fid: str, message: str, location: str, severity: str, disc: str,
             evidence: dict[str, Any], level: str | None = None,
             waiver: dict[str, Any] | None = None, state: str = "unchanged") -> dict[str, Any]:  # fmt: skip
    return {
        "id": fid, "message": message, "location": location, "severity": severity,
        "status": "waived" if waiver else "failed", "evidence": evidence,
        "discriminator": disc, "recommendation": "Review and re-audit.", "waiver": waiver,
        "detail": "The technical reading.", "evidence_level": level, "related": [],
        "baseline_state": state,
    }  # fmt: skip


def _group(feature: str, group: str, n: int, selected: int, ref: str, ratio: float | None,
           excluded: bool = False) -> dict[str, Any]:  # fmt: skip
    rate = selected / n
    return {
        "feature": feature, "group": group, "n": n, "share": n / 1000, "selected": selected,
        "selection_rate": rate, "reference_group": None if excluded else ref,
        "impact_ratio": ratio, "ci_low": None if excluded else max(rate - 0.05, 0.0),
        "ci_high": None if excluded else rate + 0.05, "p_value": None,
        "status": "excluded" if excluded else ("reference" if group == ref else "pass"),
        "excluded": excluded, "note": "fewer than 2% of the data" if excluded else None,
    }  # fmt: skip


def _results() -> list[dict[str, Any]]:
    groups = [
        _group("sex", "M", 500, 250, "M", 1.0),
        _group("sex", "F", 480, 170, "M", 0.7083),
        _group("sex", "(missing)", 20, 9, "M", None, excluded=True),
        _group("race", "A", 600, 300, "A", 1.0),
        _group("race", "B", 385, 150, "A", 0.7792),
        _group("race", "C", 15, 5, "A", None, excluded=True),
    ]
    fair = {
        "check": "FAIR003", "name": "ll144-bias-audit", "family": "fairness",
        "severity": "high", "status": "failed", "summary": "2 findings: impact ratios.",
        "detail": "", "duration_s": 0.1, "references": ["NYC 6 RCNY §5-301"],
        "options": {"flag_threshold": 0.8, "min_group_size": 30},
        "findings": [
            _finding("1111111111111111", "Group B is selected at 78% of group A's rate.",
                     "feature:race", "high", "ll144",
                     {"groups": [{"group": "B", "n": 385, "impact_ratio": 0.7792}]},
                     "significant"),
            _finding("2222222222222222", "Women are selected at 71% of men's rate.",
                     "feature:sex", "high", "ll144",
                     {"groups": [{"group": "F", "n": 480, "impact_ratio": 0.7083}]},
                     "significant", _WAIVER),
            _finding("3333333333333333", "The gap for group B is not yet conclusive.",
                     "feature:race", "low", "tpr", {"metrics": []}, "inconclusive", state="new"),
        ],
        "tables": {
            "groups": groups,
            "ll144_summary": [
                {"field": "unknown_category", "value": 20},
                {"field": "assessed_individuals", "value": 1000},
            ],
        },
    }  # fmt: skip
    return [
        {
            "check": "RUN001", "name": "input-integrity", "family": "run", "severity": "low",
            "status": "passed", "summary": "passed: inputs loaded.", "detail": "",
            "duration_s": 0.0, "references": [], "options": {}, "findings": [],
            "tables": {"inputs": [{"input": "dataset", "rows": 1000}]},
        },
        fair,
        {
            "check": "PII001", "name": "pii-in-columns", "family": "pii", "severity": "medium",
            "status": "failed", "summary": "1 finding: personal data in columns.", "detail": "",
            "duration_s": 0.2, "references": ["GDPR Art. 4(1)"], "options": {},
            "findings": [
                _finding("4444444444444444", "Column 'email' holds e-mail addresses.",
                         "column:email", "medium", "EMAIL_ADDRESS",
                         {"entity": "EMAIL_ADDRESS", "masked_examples": ["j***@e***.com"]}),
            ],
            "tables": {"columns": [
                {"column": "email", "kind": "structured", "entity_types": ["EMAIL_ADDRESS"],
                 "hits": 1000, "hit_rate": 1.0, "masked_examples": ["j***@e***.com"]},
            ]},
        },
        {
            "check": "TRN100", "name": "card-readable", "family": "transparency",
            "severity": "medium", "status": "skipped", "summary": "skipped: no model card",
            "detail": "no model card was given", "duration_s": 0.0, "references": [],
            "options": {}, "findings": [], "tables": {}, "missing_inputs": ["card"],
        },
        {
            "check": "TRN200", "name": "card-fields", "family": "transparency",
            "severity": "medium", "status": "errored", "summary": "errored: KeyError: 'x'",
            "detail": "KeyError: 'x'", "duration_s": 0.0, "references": [], "options": {},
            "findings": [], "tables": {"fields": [{"field": "model.name", "status": "present"}]},
        },
    ]  # fmt: skip


def _report() -> dict[str, Any]:
    results = _results()
    return {
        "schema_version": 2,
        "tool": {"name": "auditor", "version": "0"},
        "run": {"id": "sample", "started_at": "2030-01-01T00:00:00+00:00",
                "finished_at": "2030-01-01T00:00:01+00:00", "duration_s": 1.0, "seed": 0,
                "config": "audit.yaml", "overrides": {}},
        "verdict": "error",
        "gate": {"fail_on": "high", "blocking": [
            {"check": "FAIR003", "finding": "1111111111111111", "severity": "high",
             "reason": "failed"},
            {"check": "TRN200", "finding": None, "severity": "medium", "reason": "errored"},
            {"check": "FAIR003", "finding": None, "severity": "high", "reason": "regression",
             "metric": "impact_ratio", "subject": "feature=race, group=B"},
        ]},
        "inputs": {
            "dataset": {"path": "data.csv", "format": "csv", "sha256": _SHA, "size_bytes": 1,
                        "rows": 1000, "columns": [{"name": "sex", "dtype": "str"},
                                                  {"name": "race", "dtype": "str"},
                                                  {"name": "email", "dtype": "str"}],
                        "encoding": "utf-8", "notes": []},
            "engine": {"name": "polars", "lazy": True, "reason": "--engine polars",
                       "source": "data.csv", "files": 1, "rows_metadata": 1000,
                       "rows_counted": 1000, "passes": 2, "engine_seconds": 0.1,
                       "approximations": [{"what": "PII001 column scan", "method": "a sample",
                                           "error_bound": "±3%"}],
                       "notes": ["one note"]},
            "model": {"kind": "predictions", "path": "data.csv", "sha256": _SHA,
                      "loader": "column", "warnings": []},
            "documents": [{"kind": "model_card", "path": "model_card.yaml", "sha256": _SHA}],
        },
        "subject": {
            "target": "hired", "prediction": "selected", "score": None, "positive_label": 1,
            "positive_label_source": "given", "sensitive": ["sex", "race"], "features": None,
            "metadata": {
                "title": "Sample audit", "system": "Tool", "system_version": "1",
                "provider": "Provider", "classification": "Internal",
                "signoff": {"prepared_by": {"name": "A", "role": "auditor", "date": "2030-01-01"},
                            "reviewed_by": "B", "approved_by": "C"},
                "limitations": ["One limitation."],
                "ll144": {"audit_date": "2030-01-01", "employer": "Employer", "aedt": "Tool 1",
                          "auditor": "Auditor", "data_type": "historical",
                          "data_source": "Export.", "data_explanation": "Applicants of 2029.",
                          "data_period": "2029", "distribution_date": "2030-02-01"},
            },
        },
        "policy": {
            "name": "sample", "path": "policy.yaml", "sha256": _SHA,
            "packs": [{"name": "nyc-ll144", "version": "1", "path": "nyc-ll144.yaml",
                       "sha256": _SHA}],
            "resolved": {"name": "sample", "fail_on": "high", "checks": {},
                         "waivers": [_WAIVER], "regressions": [
                             {"key": "FAIR003.impact_ratio", "max_drop": 0.02}]},
        },
        "environment": {"python": "3", "implementation": "CPython", "platform": "sample",
                        "packages": {"jinja2": "3"}, "check_plugins": {}},
        "results": results,
        "waivers": [_WAIVER],
        "warnings": ["one warning"],
        "baseline": {
            "path": "baseline/audit.json", "sha256": _SHA, "run_id": "previous",
            "started_at": "2029-12-01T00:00:00+00:00", "verdict": "fail",
            "counts": {"new": 1, "updated": 0, "unchanged": 3, "absent": 1, "not_evaluated": 0},
            "absent": [{"id": "5555555555555555", "check": "PII001", "location": "column:phone",
                        "message": "Column 'phone' holds phone numbers.", "severity": "medium",
                        "status": "failed"}],
            "deltas": [{"check": "FAIR003", "table": "groups", "subject": "feature=race, group=B",
                        "metric": "impact_ratio", "old": 0.81, "new": 0.7792, "delta": -0.0308}],
            "not_evaluated": [],
            "deltas_total": 1,
            "regressions": [{"check": "FAIR003", "table": "groups",
                             "subject": "feature=race, group=B", "metric": "impact_ratio",
                             "old": 0.81, "new": 0.7792, "delta": -0.0308,
                             "rule": "drop ≤ 0.02", "failed": True}],
            "rules": [{"key": "FAIR003.impact_ratio", "max_drop": 0.02}],
            "notes": [],
        },
        "summary": {
            "checks": 5, "by_status": {"passed": 1, "failed": 2, "waived": 0, "skipped": 1,
                                       "errored": 1},
            "by_severity": {"critical": 0, "high": 1, "medium": 1, "low": 1, "info": 0},
            "waived_by_severity": {"critical": 0, "high": 1, "medium": 0, "low": 0, "info": 0},
            "findings": 3, "waived": 1,
        },
    }  # fmt: skip


_SAMPLE: dict[str, Any] | None = None


def sample_report() -> dict[str, Any]:
    """A fresh copy of the synthetic report (see the module docstring)."""
    global _SAMPLE
    if _SAMPLE is None:
        _SAMPLE = _report()
    return copy.deepcopy(_SAMPLE)
