"""Run a plan: each check isolated, timed and in a fixed order; then waivers are applied."""

from __future__ import annotations

import datetime as dt
import fnmatch
import os
import sys
import time
import traceback
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from .check import Check, Skip
from .context import NO_DATA_REASON, Context
from .errors import NOT_A_CRASH, describe_crash, mask_traceback
from .findings import (
    CheckResult,
    Evidence,
    Finding,
    ResultFinding,
    Severity,
    Status,
    Table,
    fingerprint,
)
from .plan import RUN_WAIVERS, Planned
from .policy import Waiver, check_pattern_matches

__all__ = ["apply_waivers", "link_related", "reads_data", "run_checks", "waiver_matches"]

#: ``requires`` names that are the dataset or read from it (its columns, rows, the model fed by it)
DATA_INPUTS = frozenset(
    {"data", "predictions", "target", "scores", "sensitive", "model", "text_columns", "features",
     "rows"}
)  # fmt: skip
#: ``requires`` names of the documents a documentation-only audit reads
DOCUMENT_INPUTS = frozenset({"card", "datasheet"})


def reads_data(chk: Check[Any]) -> bool:
    """Whether ``chk`` needs the dataset (skipped, with :data:`NO_DATA_REASON`, in a
    documentation-only audit): it requires a data input, or is a fairness or PII check, or is a
    third-party check that does not declare that it reads only the documents (``requires`` within
    ``card``/``datasheet``). Transparency checks and the RUN checks read the documents and the run."""
    required = set(chk.requires)
    if required & DATA_INPUTS or chk.family in ("fairness", "pii"):
        return True
    if chk.family in ("transparency", "run"):
        return False
    return not (required and required <= DOCUMENT_INPUTS)


def _progress(items: Sequence[Planned], enabled: bool | None) -> Iterable[Planned]:
    if enabled is None:
        enabled = sys.stderr.isatty() and not os.environ.get("CI")
    if not enabled or len(items) < 2:
        return items
    from tqdm import tqdm

    bar: Iterable[Planned] = tqdm(
        items, desc="auditing", unit="check", leave=False, file=sys.stderr
    )
    return bar


def _summary(planned: Planned, status: Status, n_findings: int, detail: str) -> str:
    if status is Status.SKIPPED:
        return f"skipped: {detail}"
    if status is Status.ERRORED:
        return f"errored: {detail}"
    if status is Status.PASSED:
        return f"passed: {planned.check.summary}"
    noun = "finding" if n_findings == 1 else "findings"
    return f"{n_findings} {noun}: {planned.check.summary}"


def _kind(value: Any) -> str:
    return f"{type(value).__name__} {value!r}"[:120]


def _validate_finding(item: Finding, n: int) -> None:
    """A malformed Finding is the check's bug: raise TypeError naming the field."""
    where = f"Finding #{n}"
    for name in ("message", "location", "discriminator", "recommendation", "detail"):
        value = getattr(item, name)
        if not isinstance(value, str):
            raise TypeError(f"{where}: {name} must be a str, got {_kind(value)}")
    if item.severity is not None and not isinstance(item.severity, Severity):
        raise TypeError(
            f"{where}: severity must be a Severity (e.g. Severity.HIGH) or None, "
            f"got {_kind(item.severity)}"
        )
    if item.evidence_level is not None and not isinstance(item.evidence_level, Evidence):
        raise TypeError(
            f"{where}: evidence_level must be an Evidence (e.g. Evidence.SIGNIFICANT) or None, "
            f"got {_kind(item.evidence_level)}"
        )
    if not isinstance(item.relates_to, tuple) or not all(
        isinstance(x, str) for x in item.relates_to
    ):
        raise TypeError(f"{where}: relates_to must be a tuple of str, got {_kind(item.relates_to)}")
    _validate_mapping(item.evidence, f"{where}: evidence")


def _validate_mapping(value: Any, where: str) -> None:
    if not isinstance(value, Mapping):
        raise TypeError(f"{where} must be a mapping, got {_kind(value)}")
    bad = next((k for k in value if not isinstance(k, str)), None)
    if bad is not None:
        raise TypeError(f"{where} keys must be str, got {_kind(bad)}")


def _validate_table(item: Table, seen: Mapping[str, Any]) -> None:
    if not isinstance(item.name, str) or not item.name:
        raise TypeError(f"Table name must be a non-empty str, got {_kind(item.name)}")
    where = f"Table {item.name!r}"
    if item.name in seen:
        raise TypeError(f"{where} was yielded twice (table names must be unique per check)")
    if not isinstance(item.description, str):
        raise TypeError(f"{where}: description must be a str, got {_kind(item.description)}")
    if not isinstance(item.rows, (tuple, list)):
        raise TypeError(
            f"{where}: rows must be a tuple or list of mappings, got {_kind(item.rows)}"
        )
    for i, row in enumerate(item.rows):
        _validate_mapping(row, f"{where}: rows[{i}]")


def _error_detail(exc: BaseException, debug: bool) -> str:
    detail = describe_crash(exc, by="the check")
    if debug:
        trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        detail += "\n" + mask_traceback(trace)  # the report keeps no raw data values
    return detail


def _order(f: ResultFinding) -> tuple[int, str, str]:
    """Deterministic finding order: by severity (highest first), then location, then id."""
    return (-int(f.severity), f.location, f.id)


def _distinct_id(
    check_id: str, location: str, discriminator: str, message: str, seen: dict[str, int]
) -> tuple[str, str]:
    """``(id, discriminator)`` of a finding, distinct from the ids in ``seen`` (this check's so
    far, with how often each was asked for). A repeat (same stable location and discriminator, e.g.
    two ``accuracy`` claims in one card) is numbered in yield order: ``x``, then ``x#2``, ``x#3``."""
    base = discriminator or message
    first = fingerprint(check_id, location, base)
    fid = first
    while fid in seen:
        n = seen[first] = seen[first] + 1
        discriminator = f"{base}#{n}"
        fid = fingerprint(check_id, location, discriminator)
    seen[fid] = 1
    return fid, discriminator


def _run_one(planned: Planned, ctx: Context, debug: bool) -> CheckResult:
    chk = planned.check
    findings: list[ResultFinding] = []
    seen: dict[str, int] = {}
    tables: dict[str, tuple[Mapping[str, Any], ...]] = {}
    status = Status.PASSED
    detail = ""
    missing: tuple[str, ...] = ()
    start = time.perf_counter()
    try:
        if ctx.documentation_only and reads_data(chk):
            # one missing input, the data: a baseline that had it lists these as not evaluated
            raise Skip(NO_DATA_REASON, inputs=("data",))
        absent = [(req, why) for req in chk.requires if (why := ctx.missing(req))]
        if absent:  # the first reason, and every missing input (a baseline gate needs them all)
            raise Skip(absent[0][1], inputs=[req for req, _ in absent])
        if ctx.source is not None and chk.needs_rows():
            raise Skip(
                f"needs row-level data; not supported on the lazy {ctx.source.engine} engine "
                "(run with --engine pandas on data that fits in memory)",
                inputs=("rows",),
            )
        # each check sees its own shallow copy: with copy-on-write, a check that assigns to
        # its frame cannot change what the next check sees
        view = replace(ctx, dataset=ctx.dataset.copy(deep=False))
        for item in chk.run(view, planned.options):
            if isinstance(item, Table):
                _validate_table(item, tables)
                tables[item.name] = tuple(dict(r) for r in item.rows)
            elif isinstance(item, Finding):
                _validate_finding(item, len(findings) + 1)
                fid, disc = _distinct_id(
                    chk.id, item.location, item.discriminator, item.message, seen
                )
                findings.append(
                    ResultFinding(
                        id=fid,
                        message=item.message,
                        location=item.location,
                        severity=item.severity or planned.severity,
                        status=Status.FAILED,
                        evidence=dict(item.evidence),
                        discriminator=disc,
                        recommendation=item.recommendation,
                        detail=item.detail,
                        evidence_level=item.evidence_level,
                        relates_to=item.relates_to,
                    )
                )
            else:
                raise TypeError(f"check yielded {type(item).__name__}, expected Finding or Table")
        if findings:
            status = Status.FAILED
    except Skip as exc:
        status, detail = Status.SKIPPED, str(exc) or "not applicable"
        missing = tuple(str(i) for i in getattr(exc, "inputs", ()) or ())
    except NOT_A_CRASH:
        raise
    except BaseException as exc:  # SystemExit too: a check must never end the audit
        status = Status.ERRORED
        detail = _error_detail(exc, debug)
    duration = time.perf_counter() - start
    if status is Status.SKIPPED:
        findings = []
    findings.sort(key=_order)  # the findings kept are validated, so sortable (errored too)
    return CheckResult(
        check=chk.id,
        name=chk.name,
        family=chk.family,
        severity=planned.severity,
        status=status,
        summary=_summary(planned, status, len(findings), detail.splitlines()[0] if detail else ""),
        duration_s=round(duration, 6),
        references=chk.references,
        findings=tuple(findings),
        tables=tables,
        detail=detail,
        options=planned.options_dict,
        missing_inputs=missing,
    )


def run_checks(
    plan: Sequence[Planned], ctx: Context, *, debug: bool = False, progress: bool | None = None
) -> list[CheckResult]:
    ctx = replace(ctx, check_options={p.check.id: p.options for p in plan})
    return link_related([_run_one(p, ctx, debug) for p in _progress(plan, progress)])


def link_related(results: Sequence[CheckResult]) -> list[CheckResult]:
    """Fill every finding's ``related``: the ids of other checks' findings about the same subject
    (the same location, or a location one of the two names in ``relates_to``), so the documents
    can present a problem that several checks see once."""
    by_location: dict[str, list[tuple[str, str]]] = {}
    for r in results:
        for f in r.findings:
            by_location.setdefault(f.location, []).append((r.check, f.id))
    out: list[CheckResult] = []
    for r in results:
        findings = []
        for f in r.findings:
            ids: list[str] = []
            for loc in (f.location, *f.relates_to):
                ids += [fid for check, fid in by_location.get(loc, ()) if check != r.check]
            findings.append(replace(f, related=tuple(dict.fromkeys(ids))))
        out.append(replace(r, findings=tuple(findings)))
    # a link is mutual: B relates to A when A names B's location
    back: dict[str, list[str]] = {}
    for r in out:
        for f in r.findings:
            for other in f.related:
                back.setdefault(other, []).append(f.id)
    return [
        replace(
            r,
            findings=tuple(
                replace(f, related=tuple(dict.fromkeys([*f.related, *back.get(f.id, ())])))
                for f in r.findings
            ),
        )
        for r in out
    ]


def waiver_matches(waiver: Waiver, check_id: str, location: str) -> bool:
    """The waiver's check pattern matches and its location glob matches the finding's location;
    a pattern ending in ``/*`` also matches the location before it (``feature:race/*`` waives
    the ``feature:race`` finding as well as anything below it)."""
    if not check_pattern_matches(waiver.check, check_id):
        return False
    pattern = waiver.location
    return fnmatch.fnmatchcase(location, pattern) or (
        pattern.endswith("/*") and fnmatch.fnmatchcase(location, pattern[:-2])
    )


def apply_waivers(
    results: Sequence[CheckResult], waivers: Sequence[Waiver], today: dt.date
) -> list[CheckResult]:
    """Mark matching findings ``waived``; add unused-waiver findings to the RUN002 result."""
    active = [w for w in waivers if not w.expired(today)]
    used: set[int] = set()
    out: list[CheckResult] = []
    for res in results:
        if not res.findings or res.check == RUN_WAIVERS:
            out.append(res)
            continue
        new: list[ResultFinding] = []
        for f in res.findings:
            match = next(
                (i for i, w in enumerate(active) if waiver_matches(w, res.check, f.location)), None
            )
            if match is None:
                new.append(f)
            else:
                used.add(match)
                new.append(replace(f, status=Status.WAIVED, waiver=active[match].to_dict()))
        status = res.status
        if res.status is Status.FAILED and all(f.status is Status.WAIVED for f in new):
            status = Status.WAIVED
        out.append(replace(res, findings=tuple(new), status=status))
    unused = [w for i, w in enumerate(active) if i not in used]
    return [_add_unused(r, unused) if r.check == RUN_WAIVERS else r for r in out]


def _add_unused(res: CheckResult, unused: Sequence[Waiver]) -> CheckResult:
    if res.status in (Status.SKIPPED, Status.ERRORED) or not unused:
        return res
    extra = []
    seen = {f.id: 1 for f in res.findings}
    for w in unused:
        # the id must not depend on how the policy file was named or reached (checkout path vs
        # installed pack): the waiver is identified by what it waives and until when
        message = (
            f"waiver for {w.check} at {w.location!r} matched no finding; remove it or fix its "
            "check/location pattern"
        )
        fid, disc = _distinct_id(
            res.check, w.finding_location, f"unused:{w.expires.isoformat()}", message, seen
        )
        extra.append(
            ResultFinding(
                id=fid,
                message=message,
                location=w.finding_location,
                severity=res.severity,
                status=Status.FAILED,
                evidence={
                    "check": w.check,
                    "location": w.location,
                    "expires": w.expires.isoformat(),
                },
                discriminator=disc,
            )
        )
    findings = tuple(sorted((*res.findings, *extra), key=_order))
    n = len(findings)
    return replace(
        res,
        findings=findings,
        status=Status.FAILED,
        summary=f"{n} finding{'s' if n != 1 else ''}: waiver hygiene (expired or unused waivers)",
    )
