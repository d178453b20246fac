"""JUnit XML: a testsuite per family, a testcase per (check, subject)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["render_junit"]


def _case(suite: ET.Element, r: Mapping[str, Any], subject: str, time_s: float) -> ET.Element:
    return ET.SubElement(
        suite,
        "testcase",
        {"classname": f"auditor.{r['family']}.{r['check']}", "name": f"{r['check']} {r['name']} [{subject}]", "time": f"{time_s:.6f}"},
    )


def render_junit(data: Mapping[str, Any], templates: Path | None = None) -> str:
    root = ET.Element("testsuites", {"name": "auditor", "time": f"{data['run']['duration_s']:.6f}"})
    families: dict[str, list[Mapping[str, Any]]] = {}
    for r in data["results"]:
        families.setdefault(r["family"], []).append(r)
    for family, results in families.items():
        suite = ET.SubElement(root, "testsuite", {"name": family})
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for r in results:
            if r["status"] in ("passed", "skipped", "errored") or not r["findings"]:
                case = _case(suite, r, "all", r["duration_s"])
                counts["tests"] += 1
                if r["status"] == "skipped":
                    ET.SubElement(case, "skipped", {"message": r["detail"] or r["summary"]})
                    counts["skipped"] += 1
                elif r["status"] == "errored":
                    el = ET.SubElement(case, "error", {"message": (r["detail"] or "").splitlines()[0] if r["detail"] else "errored"})
                    el.text = r["detail"]
                    counts["errors"] += 1
                continue
            share = r["duration_s"] / max(len(r["findings"]), 1)
            for f in r["findings"]:
                case = _case(suite, r, f["location"] or "dataset", share)
                counts["tests"] += 1
                if f["status"] == "waived":
                    w = f.get("waiver") or {}
                    ET.SubElement(case, "skipped", {"message": f"waived: {w.get('reason', '')} (expires {w.get('expires', '?')})"})
                    counts["skipped"] += 1
                else:
                    el = ET.SubElement(case, "failure", {"message": f["message"], "type": f["severity"]})
                    el.text = f"{f['severity']}: {f['message']}\nlocation: {f['location']}\nid: {f['id']}"
                    counts["failures"] += 1
        for k, v in counts.items():
            suite.set(k, str(v))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
