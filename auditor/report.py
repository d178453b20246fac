"""The Report value and its canonical JSON (schema_version 2), the single source for every renderer.

Schema 2 (auditor 0.2): one finding per (criterion, subject) with a plain-language ``message``,
a technical ``detail``, an ``evidence_level`` (significant / inconclusive / degenerate, or null for
an observed fact) and ``related`` ids; finding locations name a subject (``feature:sex``), not a
group. Reports of schema 1 can still be rendered; ``diff`` and ``--baseline`` refuse to compare
across schema versions (the finding ids differ), naming both versions.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .findings import CheckResult, Evidence, ResultFinding, Severity, Status
from .jsonsafe import to_jsonable

__all__ = [
    "SCHEMA_VERSION", "Report", "blocking_findings", "check_comparable", "result_from_dict",
    "result_to_dict",
]  # fmt: skip

SCHEMA_VERSION = 2


def check_comparable(old: Mapping[str, Any], what: str) -> None:
    """Refuse (usage error, exit 2) to compare with a report of another schema version: finding
    ids and locations changed between versions, so every finding would look new or resolved."""
    version = old.get("schema_version")
    if version != SCHEMA_VERSION:
        from .errors import UsageError

        raise UsageError(
            f"{what} is a schema_version {version} report and this auditor writes "
            f"schema_version {SCHEMA_VERSION}: findings cannot be matched across versions "
            "(re-run the baseline audit with this version)"
        )


def finding_to_dict(f: ResultFinding) -> dict[str, Any]:
    return {
        "id": f.id,
        "message": f.message,
        "location": f.location,
        "severity": f.severity.label,
        "status": f.status.value,
        "evidence": to_jsonable(dict(f.evidence)),
        "discriminator": f.discriminator,
        "recommendation": f.recommendation,
        "detail": f.detail,
        "evidence_level": f.evidence_level.value if f.evidence_level else None,
        "related": list(f.related),
        **({"relates_to": list(f.relates_to)} if f.relates_to else {}),
        "waiver": to_jsonable(f.waiver) if f.waiver else None,
        **({"baseline_state": f.baseline_state} if f.baseline_state else {}),
    }


def result_to_dict(r: CheckResult) -> dict[str, Any]:
    return {
        "check": r.check,
        "name": r.name,
        "family": r.family,
        "severity": r.severity.label,
        "status": r.status.value,
        "summary": r.summary,
        "detail": r.detail,
        "duration_s": r.duration_s,
        "references": list(r.references),
        "options": to_jsonable(dict(r.options)),
        "findings": [finding_to_dict(f) for f in r.findings],
        "tables": {
            name: [to_jsonable(dict(row)) for row in rows] for name, rows in r.tables.items()
        },
        **({"missing_inputs": list(r.missing_inputs)} if r.missing_inputs else {}),
    }


def result_from_dict(d: Mapping[str, Any]) -> CheckResult:
    return CheckResult(
        check=d["check"],
        name=d["name"],
        family=d["family"],
        severity=Severity.parse(d["severity"]),
        status=Status(d["status"]),
        summary=d["summary"],
        duration_s=float(d["duration_s"]),
        references=tuple(d.get("references", ())),
        findings=tuple(
            ResultFinding(
                id=f["id"],
                message=f["message"],
                location=f["location"],
                severity=Severity.parse(f["severity"]),
                status=Status(f["status"]),
                evidence=f.get("evidence") or {},
                discriminator=f.get("discriminator", ""),
                recommendation=f.get("recommendation", ""),
                waiver=f.get("waiver"),
                baseline_state=f.get("baseline_state"),
                detail=f.get("detail") or "",
                evidence_level=Evidence(f["evidence_level"]) if f.get("evidence_level") else None,
                related=tuple(f.get("related") or ()),
                relates_to=tuple(f.get("relates_to") or ()),
            )
            for f in d.get("findings", ())
        ),
        tables={k: tuple(v) for k, v in (d.get("tables") or {}).items()},
        detail=d.get("detail", ""),
        options=d.get("options") or {},
        missing_inputs=tuple(d.get("missing_inputs") or ()),
    )


def blocking_findings(
    results: Sequence[CheckResult], fail_on: Severity, new_only: bool = False
) -> list[dict[str, Any]]:
    """The gate: errored checks, and unwaived failed findings at or above ``fail_on``
    (with ``new_only``: only those the baseline did not have)."""
    out: list[dict[str, Any]] = []
    for r in results:
        if r.status is Status.ERRORED:
            out.append(
                {
                    "check": r.check,
                    "finding": None,
                    "severity": r.severity.label,
                    "reason": "errored",
                }
            )
        for f in r.findings:
            if f.status is Status.FAILED and f.severity >= fail_on:
                if new_only and f.baseline_state != "new":
                    continue
                out.append(
                    {
                        "check": r.check,
                        "finding": f.id,
                        "severity": f.severity.label,
                        "reason": "new" if new_only else "failed",
                    }
                )
    return out


@dataclass(frozen=True)
class Report:
    """An audit report. ``Report.from_dict(r.to_dict()) == r``; renderers only ever see ``to_dict()``."""

    tool: Mapping[str, Any]
    run: Mapping[str, Any]
    fail_on: Severity
    inputs: Mapping[str, Any]
    subject: Mapping[str, Any]
    policy: Mapping[str, Any]
    environment: Mapping[str, Any]
    results: tuple[CheckResult, ...]
    waivers: tuple[Mapping[str, Any], ...] = ()
    warnings: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)
    baseline: Mapping[str, Any] | None = None  # see auditor.baseline.apply_baseline
    gate_mode: str = "severity"  # or "new": gate only on findings the baseline did not have

    @property
    def blocking(self) -> list[dict[str, Any]]:
        out = blocking_findings(self.results, self.fail_on, new_only=self.gate_mode == "new")
        severity = {r.check: r.severity.label for r in self.results}
        for reg in (self.baseline or {}).get("regressions", []):
            if reg.get("failed"):
                out.append(
                    {
                        "check": reg["check"],
                        "finding": None,
                        "severity": severity.get(reg["check"], self.fail_on.label),
                        "reason": "regression",
                        "metric": reg["metric"],
                        "subject": reg["subject"],
                    }
                )
        # a check that ran in the baseline and is skipped now for a missing input: its findings
        # were not evaluated (unless the policy lists the input under dropped_inputs)
        for item in (self.baseline or {}).get("not_evaluated", []):
            if item.get("blocking"):
                out.append(
                    {
                        "check": item["check"],
                        "finding": None,
                        "severity": severity.get(item["check"], item.get("severity") or "high"),
                        "reason": "not_evaluated",
                        "inputs": list(item.get("inputs") or ()),
                    }
                )
        return out

    @property
    def verdict(self) -> str:
        """``error`` if a check errored, ``fail`` if the gate failed, else ``pass``."""
        if any(r.status is Status.ERRORED for r in self.results):
            return "error"
        return "fail" if self.blocking else "pass"

    @property
    def exit_code(self) -> int:
        return 0 if self.verdict == "pass" else 1

    def result(self, check_id: str) -> CheckResult:
        for r in self.results:
            if r.check == check_id:
                return r
        raise KeyError(check_id)

    def summary(self) -> dict[str, Any]:
        by_status = Counter(r.status.value for r in self.results)
        by_sev: Counter[str] = Counter()
        waived: Counter[str] = Counter()
        for r in self.results:
            for f in r.findings:
                (waived if f.status is Status.WAIVED else by_sev)[f.severity.label] += 1
        return {
            "checks": len(self.results),
            "by_status": {s.value: by_status.get(s.value, 0) for s in Status},
            "by_severity": {s.label: by_sev.get(s.label, 0) for s in reversed(Severity)},
            "waived_by_severity": {s.label: waived.get(s.label, 0) for s in reversed(Severity)},
            "findings": sum(by_sev.values()),
            "waived": sum(waived.values()),
        }

    def to_dict(self) -> dict[str, Any]:
        data = {
            "schema_version": SCHEMA_VERSION,
            "tool": dict(self.tool),
            "run": dict(self.run),
            "verdict": self.verdict,
            "gate": {
                "fail_on": self.fail_on.label,
                "blocking": self.blocking,
                **({"mode": self.gate_mode} if self.gate_mode != "severity" else {}),
            },
            "inputs": dict(self.inputs),
            "subject": dict(self.subject),
            "policy": dict(self.policy),
            "environment": dict(self.environment),
            "results": [result_to_dict(r) for r in self.results],
            "waivers": [dict(w) for w in self.waivers],
            "warnings": list(self.warnings),
            "summary": self.summary(),
            **({"baseline": dict(self.baseline)} if self.baseline is not None else {}),
            **dict(self.extra),
        }
        return to_jsonable(data)  # type: ignore[no-any-return]

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, allow_nan=False) + "\n"

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Report:
        known = {
            "schema_version", "tool", "run", "verdict", "gate", "inputs", "subject", "policy",
            "environment", "results", "waivers", "warnings", "summary", "baseline",
        }  # fmt: skip
        return cls(
            tool=d["tool"],
            run=d["run"],
            fail_on=Severity.parse(d["gate"]["fail_on"]),
            inputs=d["inputs"],
            subject=d.get("subject", {}),
            policy=d["policy"],
            environment=d["environment"],
            results=tuple(result_from_dict(r) for r in d["results"]),
            waivers=tuple(d.get("waivers", ())),
            warnings=tuple(d.get("warnings", ())),
            extra={k: v for k, v in d.items() if k not in known},
            baseline=d.get("baseline"),
            gate_mode=d["gate"].get("mode", "severity"),
        )

    @classmethod
    def from_json(cls, path: str | Path) -> Report:
        """Read an ``audit.json`` strictly and validate it against the report schema first
        (:func:`auditor.reportfile.load_report`): a broken or hand-edited file is a
        :class:`~auditor.errors.UsageError` naming the file and the first bad place."""
        from .reportfile import load_report

        return cls.from_dict(load_report(path)[0])

    def write(
        self, out_dir: str | Path, formats: Sequence[str] = ("json", "html", "md")
    ) -> dict[str, Path]:
        """Write the canonical JSON, then every other format rendered from that JSON alone."""
        from .render import write_all

        return write_all(self.to_json(), Path(out_dir), formats)

    def _repr_html_(self) -> str:
        from .render.html import render_html_fragment

        return render_html_fragment(self.to_dict())
