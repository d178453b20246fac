"""JUnit XML: a ``<testsuite>`` per family, a ``<testcase>`` per finding (one problem).

The failures are the gate: a case fails exactly when its finding blocks the gate
(``gate.blocking``; under ``--fail-on new`` that is a new blocking finding), so the CI test tab
counts the same blocking problems as the HTML and Markdown reports and the SARIF ``error``
results. The failure message starts with ``[blocking]`` or ``[blocking, new]``, and the suite's
properties ``finding.<id>.blocking`` and ``finding.<id>.new`` (with a baseline) say the same for
every finding. A check that passed (or has no finding) is one passing case ``[all]``; an open
finding that does not block (inconclusive evidence, below the gate's severity, or not new under
a baseline gate) is a passing case whose ``<system-out>`` says why; a waived finding is
``<skipped>`` with the waiver; a skipped check is ``<skipped>`` and an errored check is
``<error>``. With a baseline, every metric regression beyond the policy's ``regressions:``
tolerance is one more failing case in its check's family (type ``regression``), and so is every
check that ran in the baseline and lost an input now (type ``not_evaluated``; see
:mod:`auditor.baseline`).

Test names are stable: ``<check> <name> [<subject>]`` with the subject a feature, a column or a
document role (``card``, never ``card:model_card.yaml:9``: editing a card must not rename a test)
and the finding's stable id where a check has two findings on one subject. The file validates
against Jenkins' xunit ``junit-10.xsd`` (no ``skipped`` attribute on ``<testsuites>``, times with
3 decimals), and no property name repeats in the file.
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

#: locations that name a document (a card, a datasheet) and a line in it
_DOCUMENT_ROLES = ("card", "datasheet")


def _clean(text: Any) -> str:
    """XML 1.0 forbids most control characters even escaped: drop them."""
    return "".join(
        ch
        for ch in str(text)
        if ch in "\t\n\r" or (ord(ch) >= 0x20 and ord(ch) not in (0xFFFE, 0xFFFF))
    )


def _seconds(value: Any) -> str:
    """A time as Jenkins' ``SUREFIRE_TIME`` accepts it: at most 3 decimals, never negative."""
    try:
        return f"{max(float(value or 0), 0.0):.3f}"
    except (TypeError, ValueError):
        return "0.000"


def _stable_subject(location: Any) -> str:
    """The part of a finding's location that names it in a test: a card or datasheet location
    (``card:model_card.yaml:9``) is its document's role alone, so editing the card (a line moves)
    does not rename the test; every other location is kept whole (see
    :func:`auditor.findings.stable_location`, which the finding id is built from)."""
    text = str(location or "dataset")
    role, sep, _ = text.partition(":")
    return role if sep and role in _DOCUMENT_ROLES else text


def _case(suite: ET.Element, r: Mapping[str, Any], subject: str, time_s: float) -> ET.Element:
    return ET.SubElement(
        suite,
        "testcase",
        {
            "classname": _clean(f"auditor.{r['family']}.{r['check']}"),
            "name": _clean(f"{r['check']} {r['name']} [{subject}]"),
            "time": _seconds(time_s),
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


def _marks(f: Mapping[str, Any], blocks: bool) -> str:
    """``blocking, new`` / ``blocking`` / ``not blocking, new`` …: what a CI reader filters on."""
    marks = ["blocking" if blocks else "not blocking"]
    if f.get("baseline_state"):
        marks.append("new" if f.get("baseline_state") == "new" else f"{f['baseline_state']}")
    return ", ".join(marks)


def _finding_case(
    suite: ET.Element, props: ET.Element, r: Mapping[str, Any], subject: str,
    f: Mapping[str, Any], time_s: float, counts: dict[str, int], data: Mapping[str, Any],
    blocking: set[str],
) -> None:  # fmt: skip
    """One finding, one case: it fails exactly when the finding blocks the gate."""
    case = _case(suite, r, subject, time_s)
    blocks = f["id"] in blocking
    counts["tests"] += 1
    ET.SubElement(props, "property", {"name": f"finding.{f['id']}.blocking",
                                      "value": "true" if blocks else "false"})  # fmt: skip
    if f.get("baseline_state"):
        ET.SubElement(props, "property", {"name": f"finding.{f['id']}.new",
                                          "value": str(f["baseline_state"] == "new").lower()})  # fmt: skip
    marks = _marks(f, blocks)
    if f["status"] == "waived":
        ET.SubElement(case, "skipped", {"message": _clean(_waiver_text(f.get("waiver") or {}))})
        counts["skipped"] += 1
    elif blocks:
        el = ET.SubElement(
            case, "failure", {"message": _clean(f"[{marks}] {f['message']}"), "type": f["severity"]}
        )
        el.text = _clean(
            f"[{f['severity']}, {marks}] {f['message']}\n  finding {f['id']} at {f.get('location')}"
            + (f"\n  {f['detail']}" if f.get("detail") else "")
            + (f"\n  recommendation: {f['recommendation']}" if f.get("recommendation") else "")
        )
        counts["failures"] += 1
    out = ET.SubElement(case, "system-out")
    lead = (
        "" if blocks or f["status"] == "waived" else f"{_not_blocking(f, data)}: {f['message']}\n"
    )
    out.text = _clean(
        f"{lead}[{marks}] finding {f['id']} {f['status']} at {f.get('location')}; evidence: "
        f"{json.dumps(f.get('evidence') or {}, ensure_ascii=False, sort_keys=True)}"
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
    gate = data.get("gate") or {}
    root = ET.Element("testsuites", {"name": "auditor", "time": _seconds(run.get("duration_s"))})
    families: dict[str, list[Mapping[str, Any]]] = {}
    for r in data["results"]:
        families.setdefault(r["family"], []).append(r)
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    blocking = {str(b["finding"]) for b in gate.get("blocking", []) if b.get("finding")}
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
    for index, (family, results) in enumerate(families.items()):
        suite = ET.SubElement(
            root,
            "testsuite",
            {"name": _clean(f"auditor.{family}"), "timestamp": str(run.get("started_at", ""))[:19],
             "hostname": "auditor"},
        )  # fmt: skip
        props = ET.SubElement(suite, "properties")
        # a property name appears once in the whole file (some parsers key a dict on the name):
        # the run's own properties are on the first suite, each finding's on its family's suite
        own: list[tuple[str, Any]] = [("family", FAMILY_TITLES.get(family, family))]
        if index == 0:
            own += [
                ("report_id", run.get("id", "")),
                ("verdict", data.get("verdict", "")),
                ("fail_on", gate.get("fail_on", "")),
                ("gate_mode", gate.get("mode") or "all"),
                ("blocking", len(gate.get("blocking") or ())),
            ]
            if (data.get("inputs") or {}).get("scope") == "documentation":
                own.append(("scope", "documentation"))  # no dataset: the documents alone
        for name, value in own:
            key = name if name != "family" else f"{family}.title"
            ET.SubElement(props, "property", {"name": _clean(key), "value": _clean(value)})
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        duration = 0.0
        for r in results:
            duration += float(r.get("duration_s") or 0)
            if r["status"] in ("passed", "skipped", "errored") or not r["findings"]:
                case = _case(suite, r, "all", float(r.get("duration_s") or 0))
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
            subjects = [_stable_subject(f.get("location")) for f in r["findings"]]
            share = float(r.get("duration_s") or 0) / len(subjects)
            for f, subject in zip(r["findings"], subjects, strict=True):
                # a subject shared by two findings of the check (two fields of one card) is told
                # apart by the finding's stable id, never by a line number
                if subjects.count(subject) > 1 or subject in _DOCUMENT_ROLES:
                    subject = f"{subject} {f['id']}"
                _finding_case(suite, props, r, subject, f, share, counts, data, blocking)
        for r in results:
            _regression_cases(suite, r, regressions.get(r["check"], []), counts)
            if r["check"] in unevaluated:
                _not_evaluated_case(suite, r, unevaluated[r["check"]], counts)
        for k, v in counts.items():
            suite.set(k, str(v))
            totals[k] += v
        suite.set("time", _seconds(duration))
    for k, v in totals.items():
        if k != "skipped":  # junit-10.xsd has no skipped attribute on <testsuites>
            root.set(k, str(v))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
