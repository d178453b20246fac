"""SARIF 2.1.0 that GitHub code scanning ingests: a rule per check, a result per open problem.

- Results are the open problems only (findings, waived ones with their suppression, failed
  regressions and checks not evaluated since the baseline): code scanning ignores ``kind``, so a
  passed, skipped or resolved check as a result would be an open alert. Those go to the run's
  ``properties.checks`` (``passed``, ``skipped`` with the reason, ``errored``) and
  ``properties.resolved`` (the finding ids resolved since the baseline); a crashed check is also
  a ``toolExecutionNotification`` with ``executionSuccessful: false``.
- ``level``: ``error`` exactly for the findings that block the gate (``gate.blocking``); an open
  finding that does not block, and a waived one, is a ``warning`` (critical, high, medium) or a
  ``note`` (low, info). Only PII exposure findings (family ``pii``) are security alerts:
  ``properties.security-severity`` per result, from the finding's own severity (critical 9.5,
  high 8.0, medium 5.5, low 3.0); no rule carries a ``security-severity``.
- Every result has a physical location with a region: the card or datasheet line; for
  dataset, column, feature and model findings the config file's line of the key that names the
  input (``data:``, ``sensitive:``, ``model:``), with the column as a logical location; for
  regressions the config's ``policy:`` line (or a policy file of the repository); otherwise the
  config file, line 1. Paths are relative to ``%SRCROOT%`` (``run.source_root`` of the report,
  declared in ``originalUriBaseIds``); a path outside it is an absolute ``file:`` URI.
- ``partialFingerprints`` carry the stable finding id, so alerts are tracked across runs.
- ``automationDetails.id`` only with a category (``run.sarif_category``, ``--sarif-category``):
  otherwise the upload's ``category`` applies.
- Waived findings carry ``suppressions: [{kind: external, status: accepted, justification}]``.
- With a baseline: ``baselineState`` on every result, and one ``error`` result per metric
  regression beyond the policy's ``regressions:`` tolerance (``baselineState: updated``; message
  and ``properties.regression`` carry the rule, the baseline and current values and the change),
  so a regression-only gate failure shows in code scanning; likewise one ``error`` result per
  check that ran in the baseline and lost an input now (``properties.notEvaluated``).
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .view import DOC_LOCATION, check_summary
from .wording import regression_text

__all__ = ["LEVELS", "SCHEMA", "SECURITY_SEVERITY", "render_sarif"]

LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
#: GitHub's bands (critical > 9.0, high 7.0-8.9, medium 4.0-6.9, low 0.1-3.9); info is no alert
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}
#: the families whose findings are security matters (PII exposure)
SECURITY_FAMILIES = frozenset({"pii"})
SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"
_PREFIX = re.compile(r"^(?P<kind>[a-z0-9_-]+):(?P<rest>.*)$")
#: the config keys that name the input a finding location is about, in order of preference
_CONFIG_KEYS = {
    "column": ("data",),
    "dataset": ("data",),
    "feature": ("sensitive", "data"),
    "model": ("model", "prediction", "score", "data"),
    "output": ("out", "format"),
    "policy": ("policy",),
}


class _Where:
    """Turns the report's paths and finding locations into SARIF locations under %SRCROOT%."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        run = data.get("run") or {}
        root = run.get("source_root")
        self.root = str(root).rstrip("/") if isinstance(root, str) and root else None
        workdir = run.get("workdir")
        self.workdir = workdir if isinstance(workdir, str) else "."
        self.config = run.get("config") if isinstance(run.get("config"), str) else None
        lines = run.get("config_lines")
        self.lines: Mapping[str, Any] = lines if isinstance(lines, Mapping) else {}
        policy = data.get("policy") or {}
        ppath = policy.get("path")
        bundled = ppath == f"rules/{policy.get('name')}.yaml"  # a pack shipped with auditor
        self.policy = ppath if isinstance(ppath, str) and ppath and not bundled else None
        self.dataset = ((data.get("inputs") or {}).get("dataset") or {}).get("path")

    def artifact(self, path: str) -> dict[str, Any]:
        """``{"uri", "uriBaseId"}`` relative to the source root, or an absolute ``file:`` URI."""
        p = Path(path).as_posix()
        if posixpath.isabs(p) or re.match(r"^[A-Za-z]:/", p):
            full = posixpath.normpath(p)
        elif self.root is not None:
            full = posixpath.normpath(posixpath.join(self.root, self.workdir, p))
        else:  # an old report without a source root: its paths are relative to the repository
            rel = posixpath.normpath(p)
            if not rel.startswith("../"):
                return {"uri": quote(rel), "uriBaseId": SRCROOT}
            full = rel
        if self.root is not None and (full + "/").startswith(self.root + "/") and full != self.root:
            return {"uri": quote(full[len(self.root) + 1 :]), "uriBaseId": SRCROOT}
        if posixpath.isabs(full):
            return {"uri": "file://" + quote(full)}
        return {"uri": "file:///" + quote(full)} if re.match(r"^[A-Za-z]:/", full) else {
            "uri": quote(full)}  # fmt: skip

    def config_location(self, keys: tuple[str, ...]) -> dict[str, Any] | None:
        """The config file at the first of ``keys`` it has (line 1 when it has none)."""
        if self.config is None:
            return None
        line = next((self.lines[k] for k in keys if isinstance(self.lines.get(k), int)), 1)
        return {"artifactLocation": self.artifact(self.config),
                "region": {"startLine": max(int(line), 1)}}  # fmt: skip

    def fallback(self, keys: tuple[str, ...] = ()) -> dict[str, Any]:
        """The config file (at a key's line), else a policy file, else the dataset, line 1."""
        loc = self.config_location(keys)
        if loc is not None:
            return loc
        for path in (self.policy if "policy" in keys else None, self.dataset, self.policy):
            if path:
                return {"artifactLocation": self.artifact(path), "region": {"startLine": 1}}
        return {"artifactLocation": {"uri": "audit.yaml", "uriBaseId": SRCROOT},
                "region": {"startLine": 1}}  # fmt: skip

    def location(self, location: str) -> dict[str, Any]:
        doc = DOC_LOCATION.match(location)
        if doc:
            return {
                "physicalLocation": {
                    "artifactLocation": self.artifact(doc["file"]),
                    "region": {"startLine": max(int(doc["line"]), 1)},
                }
            }
        m = _PREFIX.match(location)
        kind = m["kind"] if m else ""
        name = m["rest"] if m and m["rest"] else (location or "dataset")
        keys = _CONFIG_KEYS.get(kind, ("data",))
        if kind.startswith("ll"):
            keys = ("metadata", "policy")
        logical = {
            "name": name,
            "fullyQualifiedName": location or "dataset",
            "kind": "member" if kind in ("column", "feature") else "object",
        }
        return {"physicalLocation": self.fallback(keys), "logicalLocations": [logical]}


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
            "tags": ["responsible-ai", r["family"], r["severity"]]
            + (["security", "privacy"] if r["family"] in SECURITY_FAMILIES else []),
        },
    }
    uri = next((ref for ref in r.get("references", []) if str(ref).startswith("https://")), None)
    if uri:
        rule["helpUri"] = uri
    return rule


#: level of an open finding that does not block the gate
NOT_BLOCKING = {"critical": "warning", "high": "warning", "medium": "warning", "low": "note",
                "info": "note"}  # fmt: skip


def _finding_result(where: _Where, r: Mapping[str, Any], index: int,
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
        "locations": [where.location(f["location"])],
        "partialFingerprints": {"auditorFindingId/v1": f["id"]},
        "properties": {
            "severity": f["severity"],
            "status": f["status"],
            "blocking": f["id"] in blocking,
            "evidence_level": f.get("evidence_level"),
            "evidence": f["evidence"],
        },
    }
    if r["family"] in SECURITY_FAMILIES and f["severity"] in SECURITY_SEVERITY:
        item["properties"]["security-severity"] = SECURITY_SEVERITY[f["severity"]]
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


def _regression_result(where: _Where, reg: Mapping[str, Any], index: int | None) -> dict[str, Any]:
    key = "|".join(str(reg.get(k)) for k in ("check", "table", "subject", "metric"))
    loc: dict[str, Any] = {
        "logicalLocations": [
            {"name": str(reg["subject"]), "kind": "object",
             "fullyQualifiedName": f"{reg['check']}/{reg.get('table')}/{reg['subject']}"}
        ]
    }  # fmt: skip
    loc["physicalLocation"] = where.fallback(("policy",))
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


def _not_evaluated_result(where: _Where, x: Mapping[str, Any], index: int | None) -> dict[str, Any]:
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
        "locations": [{"physicalLocation": where.fallback(
                           (*(str(i) for i in x.get("inputs") or ()), "policy")),
                       "logicalLocations": [{"name": inputs, "kind": "object",
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
    where = _Where(data)
    rules: list[dict[str, Any]] = []
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    checks: dict[str, list[Any]] = {"passed": [], "skipped": [], "errored": []}
    index_of: dict[str, int] = {}
    has_baseline = isinstance(data.get("baseline"), Mapping)
    blocking = {
        str(b["finding"]) for b in (data.get("gate") or {}).get("blocking", []) if b.get("finding")
    }
    for r in data["results"]:
        index = index_of[r["check"]] = len(rules)
        rules.append(_rule(r))
        for f in r["findings"]:
            results.append(_finding_result(where, r, index, f, blocking))
        if r["status"] == "passed":
            checks["passed"].append(r["check"])
        elif r["status"] == "skipped":
            checks["skipped"].append(
                {"check": r["check"], "reason": r.get("detail") or r["summary"]}
            )
        elif r["status"] == "errored":
            checks["errored"].append(r["check"])
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": f"{r['check']} crashed: {r.get('detail') or r['summary']}"},
                    "descriptor": {"id": r["check"], "index": index},
                }
            )
    resolved: list[dict[str, Any]] = []
    if has_baseline:
        for f in data["baseline"].get("absent", []):
            resolved.append({"id": f["id"], "check": f["check"], "message": f["message"]})
        for reg in data["baseline"].get("regressions", []):
            if reg.get("failed"):
                results.append(_regression_result(where, reg, index_of.get(reg["check"])))
        for x in data["baseline"].get("not_evaluated") or []:
            if x.get("blocking"):
                results.append(_not_evaluated_result(where, x, index_of.get(x["check"])))
    inputs = data.get("inputs") or {}
    artifacts = []
    ds = inputs.get("dataset") or {}
    if ds.get("path"):
        art: dict[str, Any] = {"location": where.artifact(ds["path"]), "roles": ["analysisTarget"]}
        if ds.get("sha256"):
            art["hashes"] = {"sha-256": ds["sha256"]}
        artifacts.append(art)
    for doc in inputs.get("documents", []):
        artifacts.append({"location": where.artifact(doc["path"]), "roles": ["analysisTarget"],
                          "hashes": {"sha-256": doc["sha256"]}})  # fmt: skip
    run_info = data.get("run") or {}
    properties: dict[str, Any] = {
        "verdict": data["verdict"],
        "gate": data.get("gate", {}),
        "policySha256": data["policy"].get("sha256"),
        "checks": checks,
    }
    if has_baseline:
        properties["resolved"] = resolved
    if inputs.get("scope") == "documentation":  # no dataset: the documents alone were audited
        properties["scope"] = "documentation"
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": data["tool"]["name"],
                "version": data["tool"]["version"],
                "informationUri": "https://pypi.org/project/auditor/",
                "rules": rules,
            }
        },
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
        "properties": properties,
    }
    if where.root is not None:
        root = where.root if where.root.startswith("/") else "/" + where.root
        run["originalUriBaseIds"] = {SRCROOT: {"uri": "file://" + quote(root) + "/"}}
    else:
        run["originalUriBaseIds"] = {SRCROOT: {"description": {"text": "the repository root"}}}
    category = run_info.get("sarif_category")
    if isinstance(category, str) and category.strip():
        # GitHub's category is everything before the last "/": the run id goes after it
        run["automationDetails"] = {
            "id": f"{category.strip().rstrip('/')}/{run_info.get('id', '')}"
        }
    if artifacts:
        run["artifacts"] = artifacts
    doc = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
