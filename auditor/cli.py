"""Command line: ``auditor run|checks|explain|render|diff|validate-policy|card``. ``main(argv) -> int``.

Exit codes: 0 the gate passed; 1 the gate failed (a blocking finding or an errored check), or
auditor itself failed after the checks had run (fail closed); 2 usage, configuration or input
error (nothing ran, nothing written).
"""

from __future__ import annotations

import argparse
import difflib
import io
import json
import logging
import os
import re
import sys
import traceback
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

from ._version import __version__
from .config import ALL_FORMATS, AuditConfig, load_config, parse_formats
from .errors import (
    NOT_A_CRASH,
    AfterRunError,
    UsageError,
    describe_crash,
    missing_extra,
    suggest,
)

if TYPE_CHECKING:
    from .report import Report

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    """Errors are one line under main's ``auditor: error:`` prefix (not argparse's usage text and
    its own prefix), and an unknown choice names the closest ones."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        choices = action.choices
        if choices is None or value in choices:
            return
        names = [str(c) for c in choices]
        if isinstance(action, argparse._SubParsersAction):
            raise argparse.ArgumentError(
                None,
                f"unknown command {value!r}{suggest(str(value), names)} "
                f"(commands: {', '.join(names)})",
            )
        raise argparse.ArgumentError(
            action,
            f"invalid choice: {value!r}{suggest(str(value), names)} (choose from {', '.join(names)})",
        )


def _path(text: str) -> Path:
    """A path argument; an empty one is an error (``Path("")`` would be the current folder)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("empty path")
    return Path(text)


def _path_text(text: str) -> str:
    """:func:`_path` for the flags kept as text (``--data`` may be a glob, ``--policy`` a name)."""
    return str(_path(text))


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="auditor", description="Responsible-AI compliance audits with a CI gate.")
    p.add_argument("--version", action="version", version=f"auditor {__version__}")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)

    run = sub.add_parser("run", help="audit a dataset/model/card and write the report")
    run.add_argument(
        "--config", "-c", type=_path, help="audit.yaml with the same fields as the flags"
    )
    run.add_argument(
        "--data",
        type=_path_text,
        help="dataset file (csv, tsv, parquet, jsonl), or a Parquet directory or glob",
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
        "--model",
        type=_path_text,
        help="model file: .skops, .onnx (.pkl/.joblib need --allow-unsafe-model)",
    )
    run.add_argument("--features", help="comma-separated feature columns fed to the model")
    run.add_argument("--sensitive", help="comma-separated sensitive feature columns")
    run.add_argument("--positive-label", help="the favourable outcome value (e.g. 1, yes, hired)")
    run.add_argument(
        "--card", type=_path, help="model card (model_card.yaml, HF README.md, MCT JSON)"
    )
    run.add_argument("--datasheet", type=_path, help="datasheet (YAML or Markdown)")
    run.add_argument(
        "--policy",
        type=_path_text,
        help="bundled pack name (default, nyc-ll144, ...) or a YAML file",
    )
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
    run.add_argument("--out", type=_path, help="output directory (default audit-report/)")
    run.add_argument(
        "--fail-on",
        metavar="LEVEL",
        help="gate level: info, low, medium, high, critical; or new / new:LEVEL to fail only on "
        "findings the --baseline does not have (at or above LEVEL)",
    )
    run.add_argument("--baseline", type=_path, help="a previous audit.json to compare with")
    run.add_argument(
        "--source-root",
        type=_path,
        help="SARIF: the repository root result paths are relative to "
        + "(default: the git top level of the config's folder, else the current folder)",
    )
    run.add_argument(
        "--sarif-category",
        metavar="CATEGORY",
        help="SARIF: runAutomationDetails id (default: none, so the upload's category applies)",
    )
    run.add_argument("--seed", type=int, help="seed for sampling and bootstrap")
    run.add_argument(
        "--allow-unsafe-model",
        action="store_true",
        default=None,
        help="allow pickle/joblib models (runs code in the file)",
    )
    run.add_argument(
        "--templates", type=_path, help="folder of templates overriding the bundled ones"
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
    render.add_argument("report", type=_path)
    render.add_argument("--format", required=True, choices=[f for f in ALL_FORMATS])
    render.add_argument("--out", type=_path, help="output file (default: stdout)")
    render.add_argument("--templates", type=_path)
    render.add_argument(
        "--source-root",
        type=_path,
        help="SARIF: the repository root result paths are relative to "
        + "(default: the one the report records)",
    )
    render.add_argument(
        "--sarif-category",
        metavar="CATEGORY",
        help="SARIF: runAutomationDetails id (default: none, so the upload's category applies)",
    )
    render.add_argument(
        "--draft",
        action="store_true",
        help="render the LL144 summary even if a required field is missing, marked DRAFT",
    )

    diff = sub.add_parser("diff", help="compare two audit.json reports")
    diff.add_argument("old", type=_path)
    diff.add_argument("new", type=_path)
    diff.add_argument("--format", choices=["text", "md", "json"], default="text")

    vp = sub.add_parser(
        "validate-policy", help="validate a policy file against the installed checks"
    )
    vp.add_argument("policy", type=_path_text)

    from .cli_card import add_card_parser

    add_card_parser(sub, _Parser)
    from .cli_generative import add_generative_parsers

    add_generative_parsers(sub, _Parser)
    return p


def _read_report(path: Path) -> dict[str, Any]:
    from .paths import require_file

    require_file(path, "report", error=UsageError)  # a FIFO or /dev/zero: say so, do not read
    from .reportfile import load_report

    # strict JSON, validated against the report schema before anything renders or compares
    return load_report(path)[0]


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _source_root(value: Path | None) -> Path | None:
    """``--source-root``: an existing folder (exit 2 naming it otherwise)."""
    if value is not None and not value.is_dir():
        raise UsageError(f"--source-root {value}: not a folder")
    return value


def _sarif_category(value: str | None) -> str | None:
    """``--sarif-category``: one line of printable text, not empty."""
    if value is None:
        return None
    text = value.strip()
    if not text or len(text) > 200 or not text.isprintable():
        raise UsageError(f"--sarif-category {value!r}: expected a short printable name")
    return text


def _cmd_run(args: argparse.Namespace) -> int:
    from .api import run_audit
    from .plan import parse_set_args

    if args.config:
        from .errors import ConfigError
        from .paths import require_file

        require_file(args.config, "config file", error=ConfigError)  # /dev/zero would never end
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
        source_root=_source_root(args.source_root),
        sarif_category=_sarif_category(args.sarif_category),
        overrides=overrides,
        override_sources=sources,
    )
    _check_input_files(config, args.templates)
    if args.templates is not None:  # syntax, includes, variables, a trial render: exit 2 first
        from .render.templates import validate_templates

        validate_templates(args.templates)
    if config.baseline is not None:
        from .baseline import load_baseline

        load_baseline(config.baseline)  # valid and comparable, before anything runs
    if "pdf" in config.formats:
        from .render.pdf import pdf_available

        if not pdf_available():
            raise UsageError("--format pdf needs WeasyPrint: pip install 'auditor[pdf]'")
    _refuse_clobber(config, args.templates)  # no output may land on an input of the run
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
    scope = ""
    if report.inputs.get("scope") == "documentation":  # no data: say what was reviewed
        docs = [Path(str(d.get("path"))).name for d in report.inputs.get("documents") or []]
        scope = f"documentation review of {' and '.join(docs)}: "
    print(
        f"auditor: {report.verdict.upper()}: {scope}{_n(s['checks'], 'check')}, "
        f"{_n(s['findings'], 'open finding')} "
        f"({s['waived']} waived), {len(report.blocking)} blocking at {gate}; "
        f"report in {config.out}/ ({', '.join(p.name for p in written.values())})"
    )
    if report.baseline is not None:
        c = report.baseline["counts"]
        failed = [r for r in report.baseline["regressions"] if r["failed"]]
        unevaluated = f", {c['not_evaluated']} not evaluated" if c.get("not_evaluated") else ""
        print(
            f"  baseline {report.baseline['run_id']}: {c['new']} new, {c['updated']} updated, "
            f"{c['unchanged']} unchanged, {c['absent']} resolved{unevaluated}; "
            f"{len(failed)} regressions"
        )
        for note in report.baseline.get("notes") or []:
            print(f"  note: {note}")
        for r in failed[:10]:  # named with the summary (stdout), where a CI log shows them
            print(
                f"  regression {r['check']} {r['subject']}: {r['metric']} {r['old']:.4g} -> "
                f"{r['new']:.4g} ({r['rule']})"
            )
        if len(failed) > 10:
            print(
                f"  ... and {len(failed) - 10} more regressions (audit.json baseline.regressions)"
            )
        lost: dict[str, list[str]] = {}
        for x in report.baseline.get("not_evaluated") or []:
            if x["blocking"]:
                lost.setdefault(", ".join(x["inputs"]), []).append(x["check"])
        for inputs, checks in lost.items():
            print(
                f"  not evaluated: {', '.join(checks)} (input {inputs} missing, the baseline had "
                "it; give it, or list it under the policy's dropped_inputs with a reason)",
                file=sys.stderr,
            )
    for line in _tier_fallbacks(report):
        print(line, file=sys.stderr)
    # a documentation-only audit skips every data check for one reason: one line, not twenty
    no_data = [
        r for r in report.results if r.status.value == "skipped" and "data" in r.missing_inputs
    ]
    if no_data:
        print(
            f"  {_n(len(no_data), 'check')} skipped ({', '.join(r.check for r in no_data)}): "
            f"{no_data[0].detail.splitlines()[0] if no_data[0].detail else ''}",
            file=sys.stderr,
        )
    for r in report.results:
        if r.status.value in ("errored", "skipped") and r not in no_data:
            print(
                f"  {r.check} {r.status.value}: {r.detail.splitlines()[0] if r.detail else ''}",
                file=sys.stderr,
            )
            if args.debug and r.status.value == "errored":
                print(r.detail, file=sys.stderr)
    return report.exit_code


def _tier_fallbacks(report: Report) -> list[str]:
    """One stderr line per PII tier requested but not used (the finding is in the report)."""
    seen: dict[tuple[str, str, str], list[str]] = {}
    for r in report.results:
        for f in r.findings:
            if f.discriminator.startswith("tier-fallback:"):
                ev = f.evidence
                key = (str(ev.get("tier_requested")), str(ev.get("tier_used")), str(ev.get("why")))
                seen.setdefault(key, []).extend(ev.get("checks") or [r.check])
    return [
        f"auditor: warning: PII tier {asked!r} requested ({', '.join(checks)}) but the scan used "
        f"{used!r}: {why}"
        for (asked, used, why), checks in seen.items()
    ]


def _check_input_files(config: AuditConfig, templates: Path | None) -> None:
    """Every input named by a path is a regular file (the dataset may be a Parquet folder or a
    glob): a device or a FIFO is refused naming what it is, before anything opens it."""
    import glob

    from .errors import ConfigError, InputError
    from .paths import file_kind, require_file

    data = config.data
    if isinstance(data, (str, Path)) and not (
        glob.has_magic(str(data)) and not Path(data).exists()
    ):
        require_file(data, "data file", allow_dir=True, expected="a file or a Parquet folder")
    for role, value in (
        ("model file", config.model),
        ("model card", config.card),
        ("datasheet", config.datasheet),
    ):
        if isinstance(value, (str, Path)):
            require_file(value, role)
    if config.baseline is not None:
        require_file(config.baseline, "baseline report", error=UsageError)
    policy = config.policy
    # a path as the policy loader reads one (a bare word is a bundled pack name)
    if isinstance(policy, Path) or (
        isinstance(policy, str)
        and (policy.endswith((".yaml", ".yml")) or "/" in policy or "\\" in policy)
    ):
        require_file(policy, "policy file", error=ConfigError)
    if templates is not None:
        if not templates.exists():
            raise UsageError(f"{templates}: templates folder not found")
        if not templates.is_dir():
            kind = file_kind(templates.stat().st_mode)
            raise InputError(f"{templates} is not a directory ({kind}); --templates takes a folder")


def _output_names(formats: Sequence[str]) -> list[str]:
    """Every file a run with ``formats`` may write in the output folder (the LL144 summary comes
    with html/md when the policy has LL144 results; the manifest always)."""
    from .manifest import MANIFEST_NAME
    from .render import OUTPUT_NAMES

    names = [OUTPUT_NAMES[f] for f in formats]
    names += [OUTPUT_NAMES[f"ll144-{f}"] for f in ("html", "md") if f in formats]
    return list(dict.fromkeys([*names, MANIFEST_NAME]))


def _refuse_clobber(config: AuditConfig, templates: Path | None) -> None:
    """Exit 2, naming the file, when an output would overwrite an input of the run (a policy
    ``audit.md`` or a baseline ``audit.json`` inside ``--out``, a card reached through a link) or
    the output folder is the dataset or templates folder."""
    from .paths import refuse_clobber, run_inputs

    policies: list[tuple[str, Any]] = []
    if isinstance(config.policy, (str, Path)):
        from .api import resolve_policy

        try:  # every pack of the extends chain; a bad policy is reported by the run itself
            policies = [(p.name, p.path) for p in resolve_policy(config.policy).packs if p.path]
        except UsageError:
            policies = [("", config.policy)]
    inputs = run_inputs(
        data=config.data,
        model=config.model,
        card=config.card,
        datasheet=config.datasheet,
        baseline=config.baseline,
        config=config.config_path,
        policies=policies,
        templates=templates,
    )
    refuse_clobber(config.out, _output_names(config.formats), inputs)


def probe_writable(out_dir: Path) -> None:
    """Fail before anything runs unless ``out_dir`` is, or can be made, a directory a file can be
    written in, creating nothing: missing folders are made for the probe and removed again."""
    from .paths import probe_out_dir

    probe_out_dir(out_dir)


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
    if args.source_root is not None or args.sarif_category is not None:
        if args.format != "sarif":
            raise UsageError("--source-root and --sarif-category apply to --format sarif only")
        from .config import source_fields

        sarif = source_fields(
            AuditConfig(
                source_root=_source_root(args.source_root),
                sarif_category=_sarif_category(args.sarif_category),
            )
        )
        run_info = dict(data.get("run") or {})
        if args.source_root is not None:
            # relative paths in the report are relative to the folder the run ran in
            ran_in = Path.cwd()
            if run_info.get("source_root") and run_info.get("workdir"):
                ran_in = Path(run_info["source_root"]) / run_info["workdir"]
            run_info["source_root"] = sarif["source_root"]
            try:
                run_info["workdir"] = Path(
                    os.path.relpath(ran_in.resolve(), sarif["source_root"])
                ).as_posix()
            except ValueError:
                run_info.pop("workdir", None)
        if args.sarif_category is not None:
            run_info["sarif_category"] = sarif["sarif_category"]
        data = {**data, "run": run_info}
    if args.templates is not None and not args.templates.is_dir():
        raise UsageError(f"{args.templates}: templates folder not found")
    if args.templates is not None:
        from .render.templates import validate_templates

        validate_templates(args.templates)
    if args.out is not None:
        _check_render_out(args.out, args.report, args.templates)
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


def _check_render_out(out: Path, report: Path, templates: Path | None) -> None:
    """``render --out`` names a file that is not the report being rendered (nor a template)."""
    from .paths import refuse_clobber, run_inputs

    if out.is_dir():
        raise UsageError(f"--out {out}: is a directory; render --out takes a file name")
    refuse_clobber(out.parent, [out.name], [("report", report), *run_inputs(templates=templates)])


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
    from .policycheck import policy_problems

    # every problem, one line each (not only the first), then exit 2
    policy, planned, problems = policy_problems(
        Path(args.policy) if Path(args.policy).exists() else args.policy
    )
    if problems or policy is None:
        for line in problems:
            print(f"auditor: error: {line}", file=sys.stderr)
        return 2
    print(
        f"{args.policy}: valid policy {policy.name!r}: {_n(len(planned), 'check')}, fail_on "
        f"{policy.fail_on.label}, {_n(len(policy.waivers), 'waiver')}"
    )
    return 0


def _cmd_card(args: argparse.Namespace) -> int:
    from .cli_card import run_card

    return run_card(args)


def _cmd_suite(args: argparse.Namespace) -> int:
    from .cli_generative import cmd_suite

    return cmd_suite(args)


def _cmd_generate(args: argparse.Namespace) -> int:
    from .cli_generative import cmd_generate

    return cmd_generate(args)


COMMANDS = {
    "run": _cmd_run,
    "checks": _cmd_checks,
    "explain": _cmd_explain,
    "render": _cmd_render,
    "diff": _cmd_diff,
    "validate-policy": _cmd_validate_policy,
    "card": _cmd_card,
    "suite": _cmd_suite,
    "generate": _cmd_generate,
}


#: characters never written to the terminal as they are: C0 controls but tab and newline, DEL, C1
#: controls, and the bidirectional and line-separator marks (a NUL or an RLO from a group name
#: in the data could otherwise hide or reorder what a line says)
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def terminal_safe(text: str) -> str:
    """``text`` with every unsafe character escaped as ``\\xNN`` / ``\\uNNNN``; a carriage
    return that starts or ends the text (a progress bar redrawing its line) is kept."""
    body = text.strip("\r")
    if not body:
        return text
    head, tail = text[: text.index(body)], text[text.index(body) + len(body) :]
    return head + _UNSAFE.sub(_escape_char, body) + tail


def _escape_char(m: re.Match[str]) -> str:
    code = ord(m[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


class _Terminal(io.TextIOBase):
    """``sys.stdout`` / ``sys.stderr`` while a command runs: text goes through
    :func:`terminal_safe`; ``buffer`` (``render``'s bytes) and everything else is the stream's."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(terminal_safe(text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._stream, "encoding", None) or "utf-8"

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _third_party_warnings(debug: bool) -> None:
    """Inside ``warnings.catch_warnings()``: numpy, pandas, matplotlib, Dask... warnings (and
    unhandled library log records) stay off stderr unless ``--debug``; with ``--debug`` they are
    shown, escaped like every line."""
    if not debug:
        warnings.simplefilter("ignore")

    def show(
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: TextIO | None = None,
        line: str | None = None,
    ) -> None:
        if debug:  # a library's own catch_warnings("always") lands here too: dropped unless --debug
            text = warnings.formatwarning(message, category, filename, lineno, line)
            (file or sys.stderr).write(terminal_safe(text))

    warnings.showwarning = show


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    out: dict[str, argparse.ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            out.update(action.choices)
    return out


def _unrecognized(
    parser: argparse.ArgumentParser, args: argparse.Namespace, extras: list[str]
) -> str:
    """``unrecognized arguments: --fial-on (did you mean '--fail-on'?)``: flags are matched
    against the chosen command's (and its subcommands')."""
    command = _subcommands(parser).get(getattr(args, "command", None) or "")
    scope = [command] if command is not None else [parser]
    scope += [p for c in scope for p in _subcommands(c).values()]
    flags = sorted({o for p in scope for a in p._actions for o in a.option_strings})
    hints = []
    for token in extras:
        name = token.split("=", 1)[0]
        if name.startswith("-"):
            close = difflib.get_close_matches(name, flags, n=1, cutoff=0.6)
            if close:
                hints.append(f"{name}: did you mean {close[0]!r}?")
        elif getattr(args, "command", None) == "run" and Path(token).exists():
            hints.append(f"{token}: did you mean '--data {token}'?")
    more = f" ({'; '.join(hints)})" if hints else ""
    return f"unrecognized arguments: {' '.join(extras)}{more}"


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = _parser()
    args, extras = parser.parse_known_args(argv)
    if extras:
        raise UsageError(_unrecognized(parser, args, extras))
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``auditor`` command; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = cast(TextIO, _Terminal(stdout)), cast(TextIO, _Terminal(stderr))
    quiet = logging.NullHandler()  # library log records: no "last resort" lines on stderr
    root = logging.getLogger()
    if not debug:
        root.addHandler(quiet)
    try:
        with warnings.catch_warnings():
            _third_party_warnings(debug)
            return _main(argv, debug)
    finally:
        root.removeHandler(quiet)
        sys.stdout.flush()
        sys.stderr.flush()
        sys.stdout, sys.stderr = stdout, stderr


def _main(argv: list[str], debug: bool) -> int:
    try:
        try:
            args = _parse(argv)
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
        hint = missing_extra(exc)  # an optional extra that is not installed: say which
        if hint is not None:
            print(f"auditor: error: {hint}", file=sys.stderr)
            return 2
        print(
            f"auditor: internal error: {describe_crash(exc)} (rerun with --debug)", file=sys.stderr
        )
        return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
