"""SARIF 2.1.0: a rule per check, a result per finding, a ``pass`` result per clean check.

- ``level``: ``error`` exactly for the findings that block the gate (``gate.blocking``), so the
  error results count the same blocking problems as the HTML, Markdown and JUnit reports; an open
  finding that does not block, and a waived one, is a ``warning`` (critical, high, medium) or a
  ``note`` (low, info); ``kind``: ``fail`` (findings), ``pass`` (checks that passed: compliance
  evidence), ``notApplicable`` (skipped checks); errored checks become
  ``toolExecutionNotifications`` and ``executionSuccessful: false``.
- Locations: card findings point at the card file and line (GitHub code scanning needs a physical
  location); data findings point at the dataset file with the column (or feature) as a
  logical location.
- Waived findings carry ``suppressions: [{kind: external, status: accepted, justification}]``.
- With a baseline: ``baselineState`` on every result, resolved findings as ``absent`` results,
  and one ``error`` result per metric regression beyond the policy's ``regressions:`` tolerance
  (``baselineState: updated``; message and ``properties.regression`` carry the rule, the baseline
  and current values and the change), so a regression-only gate failure shows in code scanning;
  likewise one ``error`` result per check that ran in the baseline and lost an input now
  (``properties.notEvaluated``: the inputs and the baseline findings not evaluated).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .view import DOC_LOCATION, check_summary
from .wording import regression_text

__all__ = ["LEVELS", "SCHEMA", "render_sarif"]

LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "0.0"}
SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
_COLUMN = re.compile(r"^column:(?P<name>.*)$")


def _uri(path: str) -> str:
    return Path(path).as_posix()


def _location(data: Mapping[str, Any], location: str) -> dict[str, Any]:
    card = DOC_LOCATION.match(location)
    if card:
        return {
            "physicalLocation": {
                "artifactLocation": {"uri": _uri(card["file"])},
                "region": {"startLine": max(int(card["line"]), 1)},
            }
        }
    column = _COLUMN.match(location)
    logical = {
        "name": column["name"] if column else (location or "dataset"),
        "fullyQualifiedName": location or "dataset",
        "kind": "member" if column else "object",
    }
    loc: dict[str, Any] = {"logicalLocations": [logical]}
    path = ((data.get("inputs") or {}).get("dataset") or {}).get("path")
    if path:
        loc["physicalLocation"] = {"artifactLocation": {"uri": _uri(path)}}
    return loc


def _help(r: Mapping[str, Any]) -> dict[str, str]:
    refs = list(r.get("references", []))
    text = check_summary(r)
    md = f"**{r['check']} {r['name']}**: {text}"
    if refs:
        text += "\nReferences: " + "; ".join(refs)
        md += "\n\nReferences:\n" + "\n".join(f"- {ref}" for ref in refs)
    text += f"\nRun `auditor explain {r['check']}` for the full documentation."
    md += f"\n\nRun `auditor explain {r['check']}` for the full documentation."
    return {"text": text, "markdown": md}


def _rule(r: Mapping[str, Any]) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": r["check"],
        "name": r["name"],
        "shortDescription": {"text": check_summary(r) or r["name"]},
        "fullDescription": {"text": check_summary(r) or r["name"]},
        "help": _help(r),
        "defaultConfiguration": {"level": LEVELS[r["severity"]]},
        "properties": {
            "family": r["family"],
            "references": list(r.get("references", [])),
            "tags": ["responsible-ai", r["family"], r["severity"]],
            "security-severity": SECURITY_SEVERITY[r["severity"]],
        },
    }
    uri = next((ref for ref in r.get("references", []) if str(ref).startswith("https://")), None)
    if uri:
        rule["helpUri"] = uri
    return rule


#: level of an open finding that does not block the gate
NOT_BLOCKING = {"critical": "warning", "high": "warning", "medium": "warning", "low": "note",
                "info": "note"}  # fmt: skip


def _finding_result(data: Mapping[str, Any], r: Mapping[str, Any], index: int,
                    f: Mapping[str, Any], blocking: set[str]) -> dict[str, Any]:  # fmt: skip
    # a waived finding never blocks: it keeps the level of an open non-blocking finding of its
    # severity (and its suppression), so the error results are exactly gate.blocking
    level = "error" if f["id"] in blocking else NOT_BLOCKING[f["severity"]]
    item: dict[str, Any] = {
        "ruleId": r["check"],
        "ruleIndex": index,
        "kind": "fail",
        "level": level,
        "message": {"text": f["message"]},
        "locations": [_location(data, f["location"])],
        "partialFingerprints": {"auditorFindingId/v1": f["id"]},
        "properties": {
            "severity": f["severity"],
            "status": f["status"],
            "blocking": f["id"] in blocking,
            "evidence_level": f.get("evidence_level"),
            "evidence": f["evidence"],
        },
    }
    if f.get("detail"):
        item["properties"]["detail"] = f["detail"]
    if f.get("recommendation"):
        item["properties"]["recommendation"] = f["recommendation"]
    if f["status"] == "waived":
        w = f.get("waiver") or {}
        just = w.get("reason", "")
        if w.get("approved_by"):
            just += f" (approved by {w['approved_by']}, expires {w.get('expires')})"
        item["suppressions"] = [{"kind": "external", "status": "accepted", "justification": just}]
    if f.get("baseline_state"):
        item["baselineState"] = f["baseline_state"]
    return item


def _regression_result(
    data: Mapping[str, Any], reg: Mapping[str, Any], index: int | None
) -> dict[str, Any]:
    key = "|".join(str(reg.get(k)) for k in ("check", "table", "subject", "metric"))
    loc: dict[str, Any] = {
        "logicalLocations": [
            {"name": str(reg["subject"]), "kind": "object",
             "fullyQualifiedName": f"{reg['check']}/{reg.get('table')}/{reg['subject']}"}
        ]
    }  # fmt: skip
    path = ((data.get("inputs") or {}).get("dataset") or {}).get("path")
    if path:
        loc["physicalLocation"] = {"artifactLocation": {"uri": _uri(path)}}
    item: dict[str, Any] = {
        "ruleId": reg["check"],
        "kind": "fail",
        "level": "error",
        "message": {"text": f"regression: {regression_text(reg)}"},
        "locations": [loc],
        "partialFingerprints": {
            "auditorRegression/v1": hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
        },
        "baselineState": "updated",
        "properties": {
            "regression": {k: reg.get(k) for k in
                           ("table", "subject", "metric", "old", "new", "delta", "rule")},
        },
    }  # fmt: skip
    if index is not None:
        item["ruleIndex"] = index
    return item


def _not_evaluated_result(x: Mapping[str, Any], index: int | None) -> dict[str, Any]:
    """An error result for a check that ran in the baseline and lost an input (the gate blocks)."""
    inputs = ", ".join(str(i) for i in x.get("inputs") or ())
    key = f"{x['check']}|not_evaluated|{inputs}"
    item: dict[str, Any] = {
        "ruleId": x["check"],
        "kind": "fail",
        "level": "error",
        "message": {"text": f"not evaluated since the baseline: input {inputs} missing "
                            f"({x.get('reason')}); give it, or list it under the policy's "
                            "dropped_inputs with a reason"},
        "locations": [{"logicalLocations": [{"name": inputs, "kind": "object",
                                             "fullyQualifiedName": f"input:{inputs}"}]}],
        "partialFingerprints": {
            "auditorNotEvaluated/v1": hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
        },
        "baselineState": "updated",
        "properties": {"notEvaluated": {"inputs": list(x.get("inputs") or ()),
                                        "findings": [f.get("id") for f in x.get("findings") or ()]}},
    }  # fmt: skip
    if index is not None:
        item["ruleIndex"] = index
    return item


def render_sarif(data: Mapping[str, Any], templates: Path | None = None) -> str:
    rules: list[dict[str, Any]] = []
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    index_of: dict[str, int] = {}
    has_baseline = isinstance(data.get("baseline"), Mapping)
    blocking = {
        str(b["finding"]) for b in (data.get("gate") or {}).get("blocking", []) if b.get("finding")
    }
    for r in data["results"]:
        index = index_of[r["check"]] = len(rules)
        rules.append(_rule(r))
        for f in r["findings"]:
            results.append(_finding_result(data, r, index, f, blocking))
        if r["status"] in ("passed", "skipped"):
            item = {
                "ruleId": r["check"],
                "ruleIndex": index,
                "kind": "pass" if r["status"] == "passed" else "notApplicable",
                "level": "none",
                "message": {"text": check_summary(r) if r["status"] == "passed" else f"skipped: {r.get('detail') or r['summary']}"},
            }  # fmt: skip
            if has_baseline:
                item["baselineState"] = "unchanged"
            results.append(item)
        if r["status"] == "errored":
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": f"{r['check']} crashed: {r.get('detail') or r['summary']}"},
                    "descriptor": {"id": r["check"], "index": index},
                }
            )
    if has_baseline:
        for f in data["baseline"].get("absent", []):
            item = {
                "ruleId": f["check"],
                "kind": "pass",
                "level": "none",
                "message": {"text": f"resolved since the baseline: {f['message']}"},
                "locations": [_location(data, f["location"])],
                "partialFingerprints": {"auditorFindingId/v1": f["id"]},
                "baselineState": "absent",
            }
            if f["check"] in index_of:
                item["ruleIndex"] = index_of[f["check"]]
            results.append(item)
        for reg in data["baseline"].get("regressions", []):
            if reg.get("failed"):
                results.append(_regression_result(data, reg, index_of.get(reg["check"])))
        for x in data["baseline"].get("not_evaluated") or []:
            if x.get("blocking"):
                results.append(_not_evaluated_result(x, index_of.get(x["check"])))
    inputs = data.get("inputs") or {}
    artifacts = []
    ds = inputs.get("dataset") or {}
    if ds.get("path"):
        art: dict[str, Any] = {"location": {"uri": _uri(ds["path"])}, "roles": ["analysisTarget"]}
        if ds.get("sha256"):
            art["hashes"] = {"sha-256": ds["sha256"]}
        artifacts.append(art)
    for doc in inputs.get("documents", []):
        artifacts.append({"location": {"uri": _uri(doc["path"])}, "roles": ["analysisTarget"],
                          "hashes": {"sha-256": doc["sha256"]}})  # fmt: skip
    run_info = data.get("run") or {}
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": data["tool"]["name"],
                "version": data["tool"]["version"],
                "informationUri": "https://pypi.org/project/auditor/",
                "rules": rules,
            }
        },
        "automationDetails": {"id": f"auditor/{data['policy']['name']}/{run_info.get('id', '')}"},
        "results": results,
        "invocations": [
            {
                "executionSuccessful": data["verdict"] != "error",
                "exitCode": 0 if data["verdict"] == "pass" else 1,
                "startTimeUtc": run_info.get("started_at"),
                "endTimeUtc": run_info.get("finished_at"),
                "toolExecutionNotifications": notifications,
            }
        ],
        "properties": {
            "verdict": data["verdict"],
            "gate": data.get("gate", {}),
            "policySha256": data["policy"].get("sha256"),
        },
    }
    if artifacts:
        run["artifacts"] = artifacts
    doc = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
