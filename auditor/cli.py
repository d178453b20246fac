"""Command line: ``auditor run|checks|explain|render|diff|validate-policy|card``. ``main(argv) -> int``.

Exit codes: 0 the gate passed; 1 the gate failed (a blocking finding or an errored check), or
auditor itself failed after the checks had run (fail closed); 2 usage, configuration or input
error (nothing ran, nothing written).
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .config import ALL_FORMATS, AuditConfig, load_config, parse_formats
from .errors import NOT_A_CRASH, UsageError, describe_crash, suggest

if TYPE_CHECKING:
    from .report import Report

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="auditor", description="Responsible-AI compliance audits with a CI gate.")
    p.add_argument("--version", action="version", version=f"auditor {__version__}")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)

    run = sub.add_parser("run", help="audit a dataset/model/card and write the report")
    run.add_argument(
        "--config", "-c", type=Path, help="audit.yaml with the same fields as the flags"
    )
    run.add_argument(
        "--data", help="dataset file (csv, tsv, parquet, jsonl), or a Parquet directory or glob"
    )
    run.add_argument(
        "--engine",
        choices=["auto", "pandas", "polars", "dask", "spark"],
        help="where the data is processed (default auto: pandas when it fits in memory)",
    )
    run.add_argument(
        "--data-format", choices=["csv", "tsv", "parquet", "jsonl"], help="override the extension"
    )
    run.add_argument("--target", help="ground-truth label column")
    run.add_argument("--prediction", help="predicted label column")
    run.add_argument("--score", help="model score / probability column")
    run.add_argument(
        "--model", help="model file: .skops, .onnx (.pkl/.joblib need --allow-unsafe-model)"
    )
    run.add_argument("--features", help="comma-separated feature columns fed to the model")
    run.add_argument("--sensitive", help="comma-separated sensitive feature columns")
    run.add_argument("--positive-label", help="the favourable outcome value (e.g. 1, yes, hired)")
    run.add_argument(
        "--card", type=Path, help="model card (model_card.yaml, HF README.md, MCT JSON)"
    )
    run.add_argument("--datasheet", type=Path, help="datasheet (YAML or Markdown)")
    run.add_argument("--policy", help="bundled pack name (default, nyc-ll144, ...) or a YAML file")
    run.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="CHECK_ID.option=VALUE",
        help="override an option (repeatable)",
    )
    run.add_argument(
        "--format", help=f"comma-separated: {','.join(ALL_FORMATS)} (default json,html,md)"
    )
    run.add_argument("--out", type=Path, help="output directory (default audit-report/)")
    run.add_argument("--fail-on", help="gate level: info, low, medium, high, critical")
    run.add_argument("--baseline", type=Path, help="a previous audit.json to compare with")
    run.add_argument("--seed", type=int, help="seed for sampling and bootstrap")
    run.add_argument(
        "--allow-unsafe-model",
        action="store_true",
        default=None,
        help="allow pickle/joblib models (runs code in the file)",
    )
    run.add_argument(
        "--templates", type=Path, help="folder of templates overriding the bundled ones"
    )
    run.add_argument(
        "--draft",
        action="store_true",
        default=None,
        help="write the LL144 summary even if a required field is missing, marked DRAFT",
    )
    run.add_argument(
        "--debug", action="store_true", help="tracebacks for crashed checks and errors"
    )
    run.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar (default: on a terminal)",
    )

    checks = sub.add_parser("checks", help="list the installed checks")
    checks.add_argument("--format", choices=["text", "json", "md"], default="text")

    explain = sub.add_parser("explain", help="show a check's documentation")
    explain.add_argument("check_id")

    render = sub.add_parser("render", help="re-render a report from its audit.json")
    render.add_argument("report", type=Path)
    render.add_argument("--format", required=True, choices=[f for f in ALL_FORMATS])
    render.add_argument("--out", type=Path, help="output file (default: stdout)")
    render.add_argument("--templates", type=Path)
    render.add_argument(
        "--draft",
        action="store_true",
        help="render the LL144 summary even if a required field is missing, marked DRAFT",
    )

    diff = sub.add_parser("diff", help="compare two audit.json reports")
    diff.add_argument("old", type=Path)
    diff.add_argument("new", type=Path)
    diff.add_argument("--format", choices=["text", "md", "json"], default="text")

    vp = sub.add_parser(
        "validate-policy", help="validate a policy file against the installed checks"
    )
    vp.add_argument("policy")

    from .transparency.cli import add_card_parser

    add_card_parser(sub, _Parser)
    return p


def _read_report(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{path}: report not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read: {exc}") from None
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path}: not valid JSON: {exc.msg} at line {exc.lineno}") from None
    if not isinstance(data, dict) or "results" not in data or "schema_version" not in data:
        raise UsageError(f"{path}: not an auditor report (no schema_version/results)")
    return data


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _cmd_run(args: argparse.Namespace) -> int:
    from .api import AfterRunError, run_audit
    from .plan import parse_set_args

    config = load_config(args.config) if args.config else AuditConfig()
    overrides = dict(config.overrides)
    sources = dict(config.override_sources)
    cli_overrides, cli_sources = parse_set_args(args.set)
    overrides.update(cli_overrides)
    sources.update(cli_sources)
    config = config.merged(
        data=args.data,
        data_format=args.data_format,
        engine=args.engine,
        target=args.target,
        prediction=args.prediction,
        score=args.score,
        model=args.model,
        features=tuple(s.strip() for s in args.features.split(",") if s.strip())
        if args.features
        else None,
        sensitive=tuple(s.strip() for s in args.sensitive.split(",") if s.strip())
        if args.sensitive
        else None,
        positive_label=args.positive_label,
        card=args.card,
        datasheet=args.datasheet,
        policy=args.policy,
        formats=parse_formats(args.format, "--format") if args.format else None,
        out=args.out,
        fail_on=args.fail_on,
        baseline=args.baseline,
        seed=args.seed,
        allow_unsafe_model=args.allow_unsafe_model,
        draft=args.draft,
        overrides=overrides,
        override_sources=sources,
    )
    if config.baseline is not None:
        from .report import check_comparable

        check_comparable(_read_report(config.baseline), f"baseline {config.baseline}")
    if args.templates is not None and not args.templates.is_dir():
        raise UsageError(f"{args.templates}: templates folder not found")
    if "pdf" in config.formats:
        from .render.pdf import pdf_available

        if not pdf_available():
            raise UsageError("--format pdf needs WeasyPrint: pip install 'auditor[pdf]'")
    probe_writable(config.out)  # creates nothing: a bad input must leave no out dir behind
    report = run_audit(config, debug=args.debug, progress=args.progress)
    try:
        return _finish(report, config, args)
    except NOT_A_CRASH:
        raise
    except BaseException as exc:  # the checks ran: never report this as "nothing ran"
        what = str(exc) if isinstance(exc, UsageError) else describe_crash(exc)
        raise AfterRunError(
            f"{_n(len(report.results), 'check')} ran, then writing the report failed: {what}"
        ) from exc


def _finish(report: Report, config: AuditConfig, args: argparse.Namespace) -> int:
    written = _write_outputs(report.to_json(), config, args.templates)
    s = report.summary()
    gate = f">= {report.fail_on.label}" + (" (new only)" if report.gate_mode == "new" else "")
    print(
        f"auditor: {report.verdict.upper()}: {_n(s['checks'], 'check')}, {_n(s['findings'], 'open finding')} "
        f"({s['waived']} waived), {len(report.blocking)} blocking at {gate}; "
        f"report in {config.out}/ ({', '.join(p.name for p in written.values())})"
    )
    if report.baseline is not None:
        c = report.baseline["counts"]
        failed = [r for r in report.baseline["regressions"] if r["failed"]]
        print(
            f"  baseline {report.baseline['run_id']}: {c['new']} new, {c['updated']} updated, "
            f"{c['unchanged']} unchanged, {c['absent']} resolved; {len(failed)} regressions"
        )
        for r in failed[:10]:
            print(
                f"  regression {r['check']} {r['subject']}: {r['metric']} {r['old']:.4g} -> "
                f"{r['new']:.4g} ({r['rule']})",
                file=sys.stderr,
            )
    for r in report.results:
        if r.status.value in ("errored", "skipped"):
            print(
                f"  {r.check} {r.status.value}: {r.detail.splitlines()[0] if r.detail else ''}",
                file=sys.stderr,
            )
            if args.debug and r.status.value == "errored":
                print(r.detail, file=sys.stderr)
    return report.exit_code


def probe_writable(out_dir: Path) -> None:
    """Fail before anything runs if ``out_dir`` could not be created or written, creating nothing:
    probe the directory itself when it exists, else its nearest existing ancestor."""
    import os

    target = Path(out_dir)
    probe = target
    while not probe.exists() and probe != probe.parent:
        if probe.is_symlink():  # a dangling symlink: mkdir would fail on it
            raise UsageError(
                f"{target}: output directory is not writable: {probe} is a broken link"
            )
        probe = probe.parent
    if not probe.is_dir():
        raise UsageError(f"{target}: output directory is not writable: {probe} is not a directory")
    if probe == target:  # it exists: writing a probe file there creates nothing
        from .render import check_writable

        check_writable(target)
    elif not os.access(probe, os.W_OK | os.X_OK):
        raise UsageError(
            f"{target}: output directory is not writable: cannot create it in {probe} "
            "(permission denied)"
        )


def _write_outputs(json_text: str, config: AuditConfig, templates: Path | None) -> dict[str, Path]:
    """Every requested format (plus the LL144 summary when the nyc-ll144 results are there),
    then ``manifest.json`` with the sha256 of every input and output.

    The LL144 summary added without being asked for (html/md with LL144 results) is left out
    when a field §5-303 requires is missing and ``config.draft`` is off: one line on stderr says
    which fields and how to give them; the exit code stays the gate's."""
    from .manifest import build_manifest, write_manifest
    from .render import OUTPUT_NAMES, write_all
    from .render.ll144 import ll144_available, ll144_draft, ll144_missing, ll144_needs

    data = json.loads(json_text)
    formats = list(config.formats)
    if ll144_available(data):
        implicit = [
            extra
            for base, extra in (("html", "ll144-html"), ("md", "ll144-md"))
            if base in formats and extra not in formats
        ]
        missing = ll144_missing(data) if implicit and not config.draft else []
        if missing:
            names = " and ".join(OUTPUT_NAMES[f] for f in implicit)
            print(
                f"auditor: warning: {names} not written: {ll144_needs(missing)}, or pass "
                "--draft for a copy marked DRAFT",
                file=sys.stderr,
            )
        else:
            formats += implicit
    with ll144_draft(config.draft):
        written = write_all(json_text, config.out, formats, templates)
    extra_inputs = sorted(
        (("template", p) for p in templates.rglob("*") if p.is_file()) if templates else ()
    )
    manifest = build_manifest(data, written, extra_inputs)
    written["manifest"] = write_manifest(config.out, manifest)
    return written


def _cmd_checks(args: argparse.Namespace) -> int:
    from .catalogue import catalogue_json, catalogue_markdown, catalogue_text
    from .registry import load_checks

    checks = load_checks()
    out = {"json": catalogue_json, "md": catalogue_markdown, "text": catalogue_text}[args.format](
        checks
    )
    sys.stdout.write(out)
    return 0


def _cmd_explain(args: argparse.Namespace) -> int:
    from .catalogue import explain
    from .registry import load_checks

    checks = load_checks()
    cid = args.check_id.strip().upper()
    if cid not in checks:
        raise UsageError(
            f"unknown check id {args.check_id!r}{suggest(cid, checks)} (see `auditor checks`)"
        )
    sys.stdout.write(explain(checks[cid]))
    return 0


def _cmd_render(args: argparse.Namespace) -> int:
    from .render import render_bytes

    data = _read_report(args.report)
    if args.templates is not None and not args.templates.is_dir():
        raise UsageError(f"{args.templates}: templates folder not found")
    from .render.ll144 import ll144_draft

    with ll144_draft(args.draft):
        payload = render_bytes(data, args.format, args.templates)
    if args.out:
        try:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_bytes(payload)
        except OSError as exc:
            raise UsageError(f"{args.out}: cannot write: {exc.strerror or exc}") from None
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
    return 0


def _cmd_diff(args: argparse.Namespace) -> int:
    from .diff import diff_reports, format_diff
    from .report import SCHEMA_VERSION

    old, new = _read_report(args.old), _read_report(args.new)
    if old.get("schema_version") != new.get("schema_version"):
        raise UsageError(
            f"{args.old} is a schema_version {old.get('schema_version')} report and {args.new} "
            f"schema_version {new.get('schema_version')}: findings cannot be matched across "
            f"versions (this auditor writes schema_version {SCHEMA_VERSION}; re-run the older audit)"
        )
    sys.stdout.write(format_diff(diff_reports(old, new), args.format))
    return 0


def _cmd_validate_policy(args: argparse.Namespace) -> int:
    from .api import resolve_policy
    from .plan import plan
    from .registry import load_checks

    policy = resolve_policy(Path(args.policy) if Path(args.policy).exists() else args.policy)
    planned = plan(policy, load_checks())
    print(
        f"{args.policy}: valid policy {policy.name!r}: {_n(len(planned), 'check')}, fail_on "
        f"{policy.fail_on.label}, {_n(len(policy.waivers), 'waiver')}"
    )
    return 0


def _cmd_card(args: argparse.Namespace) -> int:
    from .transparency.cli import run_card

    return run_card(args)


COMMANDS = {
    "run": _cmd_run,
    "checks": _cmd_checks,
    "explain": _cmd_explain,
    "render": _cmd_render,
    "diff": _cmd_diff,
    "validate-policy": _cmd_validate_policy,
    "card": _cmd_card,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``auditor`` command; returns the exit code."""
    from .api import AfterRunError

    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    try:
        try:
            args = _parser().parse_args(argv)
        except SystemExit as exc:  # --version / --help: argparse exits by design
            return exc.code if isinstance(exc.code, int) else 0
        if not args.command:
            _parser().print_help()
            return 2
        return COMMANDS[args.command](args)
    except UsageError as exc:
        if debug:
            traceback.print_exc()
        print(f"auditor: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except AfterRunError as exc:  # the checks ran: not "nothing ran" (2); fail closed
        if debug:
            traceback.print_exc()
        print(f"auditor: error after the checks ran: {exc} (rerun with --debug)", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("auditor: interrupted", file=sys.stderr)
        return 2
    except (Exception, SystemExit) as exc:  # a bug in auditor itself: fail closed, never exit 0
        if debug:
            traceback.print_exc()
        print(
            f"auditor: internal error: {describe_crash(exc)} (rerun with --debug)", file=sys.stderr
        )
        return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
