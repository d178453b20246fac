"""SARIF 2.1.0: one rule per check, one result per finding (and a pass result per clean check)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["render_sarif"]

LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


def _location(data: Mapping[str, Any], location: str) -> dict[str, Any]:
    card = re.match(r"^card:(?P<file>.+?):(?P<line>\d+)", location)
    if card:
        return {
            "physicalLocation": {
                "artifactLocation": {"uri": card["file"]},
                "region": {"startLine": int(card["line"])},
            }
        }
    loc: dict[str, Any] = {"logicalLocations": [{"fullyQualifiedName": location or "dataset"}]}
    path = (data.get("inputs", {}).get("dataset") or {}).get("path")
    if path:
        loc["physicalLocation"] = {"artifactLocation": {"uri": Path(path).as_posix()}}
    return loc


def render_sarif(data: Mapping[str, Any], templates: Path | None = None) -> str:
    rules = []
    results = []
    for r in data["results"]:
        index = len(rules)
        rules.append(
            {
                "id": r["check"],
                "name": r["name"],
                "shortDescription": {"text": r["summary"]},
                "defaultConfiguration": {"level": LEVELS[r["severity"]]},
                "properties": {"family": r["family"], "references": r["references"]},
            }
        )
        for f in r["findings"]:
            item: dict[str, Any] = {
                "ruleId": r["check"],
                "ruleIndex": index,
                "kind": "fail",
                "level": LEVELS[f["severity"]],
                "message": {"text": f["message"]},
                "locations": [_location(data, f["location"])],
                "partialFingerprints": {"auditorFindingId/v1": f["id"]},
                "properties": {"severity": f["severity"], "evidence": f["evidence"]},
            }
            if f["status"] == "waived":
                w = f.get("waiver") or {}
                item["suppressions"] = [
                    {"kind": "external", "status": "accepted", "justification": w.get("reason", "")}
                ]
            if f.get("baseline_state"):
                item["baselineState"] = f["baseline_state"]
            results.append(item)
        if r["status"] == "passed":
            results.append(
                {"ruleId": r["check"], "ruleIndex": index, "kind": "pass", "level": "none",
                 "message": {"text": r["summary"]}}
            )  # fmt: skip
    run = {
        "tool": {
            "driver": {
                "name": data["tool"]["name"],
                "version": data["tool"]["version"],
                "rules": rules,
            }
        },
        "results": results,
        "invocations": [
            {
                "executionSuccessful": data["verdict"] != "error",
                "startTimeUtc": data["run"]["started_at"],
                "endTimeUtc": data["run"]["finished_at"],
            }
        ],
    }
    doc = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
