"""JUnit XML: a ``<testsuite>`` per family, a ``<testcase>`` per (check, subject).

The failures are the gate: a case fails exactly when one of its findings blocks the gate
(``gate.blocking``), so the CI test tab counts the same blocking problems as the HTML and Markdown
reports and the SARIF ``error`` results. A check that passed (or has no finding) is one passing
case; a check with findings has one case per subject (finding location). An open finding that does
not block (inconclusive evidence, below the gate's severity, or not new under a baseline gate) is
a passing case whose ``<system-out>`` says so; a subject whose findings are all waived is
``<skipped>`` with the waiver; a skipped check is ``<skipped>`` and an errored check is
``<error>``. With a baseline, every metric regression beyond the policy's ``regressions:``
tolerance is one more failing case in its check's family (type ``regression``), and so is every
check that ran in the baseline and lost an input now (type ``not_evaluated``; see
:mod:`auditor.baseline`).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .view import FAMILY_TITLES, check_summary
from .wording import format_value as _g
from .wording import regression_text

__all__ = ["render_junit"]


def _clean(text: Any) -> str:
    """XML 1.0 forbids most control characters even escaped: drop them."""
    return "".join(
        ch
        for ch in str(text)
        if ch in "\t\n\r" or (ord(ch) >= 0x20 and ord(ch) not in (0xFFFE, 0xFFFF))
    )


def _case(suite: ET.Element, r: Mapping[str, Any], subject: str, time_s: float) -> ET.Element:
    return ET.SubElement(
        suite,
        "testcase",
        {
            "classname": _clean(f"auditor.{r['family']}.{r['check']}"),
            "name": _clean(f"{r['check']} {r['name']} [{subject}]"),
            "time": f"{time_s:.6f}",
        },
    )


def _waiver_text(w: Mapping[str, Any]) -> str:
    return (
        f"waived: {w.get('reason', '')} (approved by {w.get('approved_by') or 'not recorded'}, "
        f"expires {w.get('expires', '?')})"
    )


def _not_blocking(f: Mapping[str, Any], data: Mapping[str, Any]) -> str:
    gate = data.get("gate") or {}
    level = f.get("evidence_level")
    if level in ("inconclusive", "degenerate"):
        return f"open, not blocking: the evidence is {level}"
    if gate.get("mode") == "new" and f.get("baseline_state") != "new":
        return "open, not blocking: the gate blocks only on findings new since the baseline"
    return f"open, not blocking: severity {f['severity']} is below the gate ({gate.get('fail_on')})"


def _subject_case(
    suite: ET.Element, r: Mapping[str, Any], subject: str, findings: Sequence[Mapping[str, Any]],
    time_s: float, counts: dict[str, int], data: Mapping[str, Any], blocking: set[str],
) -> None:  # fmt: skip
    case = _case(suite, r, subject, time_s)
    failed = [f for f in findings if f["status"] != "waived"]
    blocks = [f for f in failed if f["id"] in blocking]
    counts["tests"] += 1
    if blocks:
        worst = blocks[0]
        el = ET.SubElement(
            case, "failure", {"message": _clean(worst["message"]), "type": worst["severity"]}
        )
        el.text = _clean(
            "\n".join(
                f"[{f['severity']}{', blocking' if f['id'] in blocking else ''}] {f['message']} "
                f"(id {f['id']})"
                + (f"\n  {f['detail']}" if f.get("detail") else "")
                + (f"\n  recommendation: {f['recommendation']}" if f.get("recommendation") else "")
                for f in failed
            )
        )
        counts["failures"] += 1
    elif failed:
        pass  # a passing case: what it found is in system-out, with why it does not block
    else:
        ET.SubElement(
            case, "skipped", {"message": _clean(_waiver_text(findings[0].get("waiver") or {}))}
        )
        counts["skipped"] += 1
    out = ET.SubElement(case, "system-out")
    out.text = _clean(
        "\n".join(
            (
                f"{_not_blocking(f, data)}: {f['message']}\n"
                if f in failed and f not in blocks
                else ""
            )
            + f"{f['id']} {f['status']} evidence: {json.dumps(f.get('evidence') or {}, ensure_ascii=False, sort_keys=True)}"
            for f in findings
        )
    )


def _regression_cases(
    suite: ET.Element,
    r: Mapping[str, Any],
    regs: Sequence[Mapping[str, Any]],
    counts: dict[str, int],
) -> None:
    for reg in regs:
        case = _case(suite, r, f"regression: {reg['subject']}: {reg['metric']}", 0.0)
        el = ET.SubElement(
            case, "failure", {"message": _clean(regression_text(reg)), "type": "regression"}
        )
        el.text = _clean(
            f"table {reg.get('table')}, subject {reg['subject']}, metric {reg['metric']}: baseline "
            f"{_g(reg['old'])}, now {_g(reg['new'])}, change {float(reg['delta']):+.6g}; "
            f"rule {reg['rule']}"
        )
        counts["tests"] += 1
        counts["failures"] += 1


def _not_evaluated_case(
    suite: ET.Element, r: Mapping[str, Any], item: Mapping[str, Any], counts: dict[str, int]
) -> None:
    """A check that ran in the baseline and lost an input: one failing case (the gate blocks)."""
    inputs = ", ".join(str(i) for i in item.get("inputs") or ())
    case = _case(suite, r, f"not evaluated: input {inputs} missing", 0.0)
    el = ET.SubElement(
        case,
        "failure",
        {"message": _clean(f"not evaluated since the baseline: input {inputs} missing"),
         "type": "not_evaluated"},
    )  # fmt: skip
    n = len(item.get("findings") or ())
    el.text = _clean(
        f"{item.get('reason')}; the baseline had {inputs}, and {n} of its findings were not "
        "evaluated. Give the input, or list it under the policy's dropped_inputs with a reason."
    )
    counts["tests"] += 1
    counts["failures"] += 1


def render_junit(data: Mapping[str, Any], templates: Path | None = None) -> str:
    run = data.get("run") or {}
    root = ET.Element("testsuites", {"name": "auditor", "time": f"{run.get('duration_s', 0):.6f}"})
    families: dict[str, list[Mapping[str, Any]]] = {}
    for r in data["results"]:
        families.setdefault(r["family"], []).append(r)
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    blocking = {
        str(b["finding"]) for b in (data.get("gate") or {}).get("blocking", []) if b.get("finding")
    }
    regressions: dict[str, list[Mapping[str, Any]]] = {}
    base = data.get("baseline")
    for reg in base.get("regressions", []) if isinstance(base, Mapping) else []:
        if reg.get("failed"):
            regressions.setdefault(str(reg["check"]), []).append(reg)
    unevaluated = {
        str(x["check"]): x
        for x in (base.get("not_evaluated") or [] if isinstance(base, Mapping) else [])
        if x.get("blocking")
    }
    for family, results in families.items():
        suite = ET.SubElement(
            root,
            "testsuite",
            {"name": _clean(f"auditor.{family}"), "timestamp": str(run.get("started_at", ""))[:19],
             "hostname": "auditor"},
        )  # fmt: skip
        props = ET.SubElement(suite, "properties")
        for name, value in (
            ("family", FAMILY_TITLES.get(family, family)),
            ("report_id", run.get("id", "")),
            ("verdict", data.get("verdict", "")),
            ("fail_on", (data.get("gate") or {}).get("fail_on", "")),
        ):
            ET.SubElement(props, "property", {"name": name, "value": _clean(value)})
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        duration = 0.0
        for r in results:
            duration += float(r.get("duration_s") or 0)
            if r["status"] in ("passed", "skipped", "errored") or not r["findings"]:
                case = _case(suite, r, "all", float(r["duration_s"]))
                counts["tests"] += 1
                if r["status"] == "skipped":
                    ET.SubElement(
                        case, "skipped", {"message": _clean(r.get("detail") or r["summary"])}
                    )
                    counts["skipped"] += 1
                elif r["status"] == "errored":
                    detail = r.get("detail") or "errored"
                    el = ET.SubElement(
                        case,
                        "error",
                        {"message": _clean(detail.splitlines()[0]), "type": "errored"},
                    )
                    el.text = _clean(detail)
                    counts["errors"] += 1
                else:
                    ET.SubElement(case, "system-out").text = _clean(check_summary(r))
                continue
            subjects: dict[str, list[Mapping[str, Any]]] = {}
            for f in r["findings"]:
                subjects.setdefault(f["location"] or "dataset", []).append(f)
            share = float(r["duration_s"]) / len(subjects)
            for subject, findings in subjects.items():
                _subject_case(suite, r, subject, findings, share, counts, data, blocking)
        for r in results:
            _regression_cases(suite, r, regressions.get(r["check"], []), counts)
            if r["check"] in unevaluated:
                _not_evaluated_case(suite, r, unevaluated[r["check"]], counts)
        for k, v in counts.items():
            suite.set(k, str(v))
            totals[k] += v
        suite.set("time", f"{duration:.6f}")
    for k, v in totals.items():
        root.set(k, str(v))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
