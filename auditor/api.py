"""The Python API: ``auditor.audit(...) -> Report``. The CLI is a thin layer over :func:`run_audit`."""

from __future__ import annotations

import datetime as dt
import platform
import sys
import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from ._version import __version__
from .check import Check
from .config import AuditConfig, source_fields
from .engines.source import pandas_engine_dict
from .errors import NOT_A_CRASH, AfterRunError, ConfigError, PluginError, UsageError, describe_crash
from .findings import Severity
from .inputs import build_context
from .plan import Planned, plan, sample_weight_columns
from .policy import Policy, check_waiver_limits, load_policy, parse_policy
from .registry import load_checks, plugin_versions
from .report import Report
from .runner import apply_waivers, reads_data, run_checks

__all__ = ["AfterRunError", "audit", "prepare", "resolve_policy", "run_audit"]


ENV_PACKAGES = (
    "pandas", "numpy", "fairlearn", "presidio-analyzer", "spacy", "jinja2", "pyyaml", "scipy",
    "scikit-learn", "skops", "onnxruntime", "pyarrow",
)  # fmt: skip


def resolve_policy(ref: Any, fail_on: str | None = None) -> Policy:
    if isinstance(ref, Policy):
        policy = ref
    elif isinstance(ref, Mapping):
        policy = parse_policy(ref, None)
    elif isinstance(ref, (str, Path)):
        policy = load_policy(ref)
    else:
        raise ConfigError(
            f"policy must be a pack name, a path or a mapping, got {type(ref).__name__}"
        )
    check_waiver_limits(policy)  # wildcard and overlong waivers are refused before anything runs
    if fail_on is not None:
        try:
            sev = Severity.parse(fail_on)
        except ValueError as exc:
            raise ConfigError(f"--fail-on: {exc}") from None
        policy = Policy(**{**policy.__dict__, "fail_on": sev})
    return policy


def _environment() -> dict[str, Any]:
    packages: dict[str, str | None] = {}
    for name in ENV_PACKAGES:
        try:
            packages[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return {
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "packages": packages,
        "check_plugins": dict(plugin_versions()),
    }


def prepare(
    config: AuditConfig, checks: Mapping[str, Check[Any]] | None = None
) -> tuple[Policy, list[Planned], Any]:
    """Validate everything (policy, plan, inputs) before running anything; raises UsageError."""
    from .baseline import split_fail_on

    registry = load_checks() if checks is None else dict(checks)
    policy = resolve_policy(config.policy, split_fail_on(config.fail_on)[0])
    planned = plan(policy, registry, config.overrides, config.override_sources)
    from .render.ll144 import check_ll144_formats

    check_ll144_formats(
        config.formats,
        [(p.check.id, p.check.name) for p in planned],
        policy.name,
        metadata=config.metadata,
        options={p.check.id: p.options_dict for p in planned},
        draft=config.draft,
    )
    ctx = build_context(config, read_columns=sample_weight_columns(planned))
    from dataclasses import replace

    ctx = replace(ctx, waivers=policy.waivers)
    if ctx.documentation_only:
        _documentation_plan(policy, planned)
    validate_plan(planned, ctx)
    return policy, planned, ctx


def _documentation_plan(policy: Policy, planned: Sequence[Planned]) -> None:
    """A documentation-only audit must have a check that reads the documents: a policy of data
    checks only (``fairness``, ``gdpr``...) would skip everything and pass. Usage error, naming
    the policy and what to do."""
    if any(p.check.family != "run" and not reads_data(p.check) for p in planned):
        return
    raise UsageError(
        f"policy {policy.name!r} has no check that reads a model card or datasheet (its checks "
        "need data): give --data PATH, or audit the documents under a policy with TRN checks "
        "(transparency, eu-ai-act, nist-ai-rmf, hf-model-card, iso-42001, default)"
    )


def validate_plan(planned: Iterable[Planned], ctx: Any) -> None:
    """Run each planned check's plan-time ``validate`` hook (when its inputs exist)."""
    for p in planned:
        hook = p.check.validate
        if hook is None or any(ctx.missing(r) for r in p.check.requires):
            continue
        if getattr(ctx, "documentation_only", False) and reads_data(p.check):
            continue  # skipped at run time: no data to validate its options against
        try:
            hook(ctx, p.options)
        except UsageError:
            raise
        except NOT_A_CRASH:
            raise
        except BaseException as exc:  # a bug in the check's hook: name it (nothing ran yet)
            hook_name = "its plan-time validate hook"
            what = (  # "<hook> called sys.exit(3)" / "<hook> crashed: KeyError: 'col'"
                describe_crash(exc, by=hook_name).removeprefix("SystemExit: ")
                if isinstance(exc, SystemExit)
                else f"{hook_name} crashed: {describe_crash(exc)}"
            )
            raise PluginError(f"{p.check.id}: {what}") from exc


def run_audit(
    config: AuditConfig,
    *,
    checks: Mapping[str, Check[Any]] | None = None,
    debug: bool = False,
    progress: bool | None = None,
    today: dt.date | None = None,
) -> Report:
    from .baseline import load_baseline, split_fail_on

    started = dt.datetime.now(dt.timezone.utc)
    t0 = time.perf_counter()
    new_only = split_fail_on(config.fail_on)[1]
    if new_only and config.baseline is None:
        raise ConfigError(
            "--fail-on new: needs a baseline (--baseline OLD.json) to tell new findings"
        )
    baseline = load_baseline(config.baseline) if config.baseline is not None else None
    policy, planned, ctx = prepare(config, checks)
    if today is not None:
        from dataclasses import replace

        ctx = replace(ctx, today=today)
    results = run_checks(planned, ctx, debug=debug, progress=progress)
    try:
        return _build_report(config, policy, ctx, results, baseline, started, t0, new_only)
    except NOT_A_CRASH:
        raise
    except BaseException as exc:  # the checks ran: this is not a "nothing ran" error
        raise AfterRunError(
            f"{len(results)} check{'s' if len(results) != 1 else ''} ran, then building the "
            f"report failed: {describe_crash(exc)}"
        ) from exc


def _shown_overrides(overrides: Mapping[str, Any], results: Sequence[Any]) -> dict[str, Any]:
    """The ``--set`` values as the run record shows them: an option is shown as its check records
    it (a check masks secrets in its own record: GEN004's inline canaries), never raw."""
    recorded = {r.check: r.options for r in results}
    out: dict[str, Any] = {}
    for key, value in overrides.items():
        check_id, _, name = str(key).partition(".")
        opts = recorded.get(check_id) or {}
        out[key] = opts.get(name, value)
    return out


def _build_report(
    config: AuditConfig,
    policy: Policy,
    ctx: Any,
    results: list[Any],
    baseline: Any,
    started: dt.datetime,
    t0: float,
    new_only: bool,
) -> Report:
    results = apply_waivers(results, policy.waivers, ctx.today)
    finished = dt.datetime.now(dt.timezone.utc)
    documents = [
        {"kind": kind, "path": str(p), "sha256": _sha(p)}
        for kind, p in (("model_card", ctx.card), ("datasheet", ctx.datasheet))
        if p is not None
    ]
    model = ctx.model_info.to_dict() if ctx.model_info is not None else None
    report = Report(
        tool={"name": "auditor", "version": __version__},
        run={
            "id": uuid.uuid4().hex[:12],
            "started_at": started.isoformat(timespec="seconds"),
            "finished_at": finished.isoformat(timespec="seconds"),
            "duration_s": round(time.perf_counter() - t0, 3),
            "seed": ctx.seed,
            "config": str(config.config_path) if config.config_path else None,
            **source_fields(config),
            **(
                {"overrides": _shown_overrides(config.overrides, results)}
                if config.overrides
                else {}
            ),
        },
        fail_on=policy.fail_on,
        inputs={
            # "documentation": no dataset (nor model) was given, only the card and/or datasheet
            "scope": "documentation" if ctx.documentation_only else "data",
            "dataset": ctx.dataset_info.to_dict() if ctx.dataset_info else None,
            **(
                {}  # no data was processed: no engine
                if ctx.documentation_only
                else {
                    "engine": ctx.source.to_dict()
                    if ctx.source is not None
                    else dict(pandas_engine_dict(_in_memory_reason(ctx)))
                }
            ),
            "model": model,
            **(
                {"predictions": ctx.predictions_info.to_dict()}
                if ctx.predictions_info is not None
                else {}
            ),
            "documents": documents,
        },
        subject={
            "target": ctx.target,
            "prediction": ctx.prediction,
            "score": ctx.score,
            "positive_label": ctx.positive_label,
            "positive_label_source": ctx.positive_label_source,
            "sensitive": list(ctx.sensitive),
            "features": list(ctx.features) if ctx.features else None,
            "metadata": dict(ctx.metadata),
        },
        policy={
            "name": policy.name,
            "path": policy.path,
            "sha256": policy.sha256,
            "packs": [p.__dict__ for p in policy.packs],
            "resolved": policy.resolved(),
        },
        environment=_environment(),
        results=tuple(results),
        waivers=tuple(w.to_dict() for w in policy.waivers),
        warnings=ctx.warnings,
        gate_mode="new" if new_only else "severity",
    )
    if baseline is not None:
        from .baseline import apply_baseline

        report = apply_baseline(
            report, baseline[0], policy.regressions, path=str(config.baseline), sha256=baseline[1]
        )
    return report


def _sha(path: Path) -> str:
    from .data import sha256_file

    return sha256_file(path)


def _in_memory_reason(ctx: Any) -> str | None:
    info = ctx.dataset_info
    if info is None:
        return None
    if info.engine_reason:
        return str(info.engine_reason)
    if info.format == "dataframe":
        return "a pandas DataFrame given through the API"
    return f"{info.format} input, read into memory"


def audit(
    data: str | Path | pd.DataFrame | Any = None,
    *,
    target: str | None = None,
    prediction: str | None = None,
    score: str | None = None,
    model: Any = None,
    sensitive: Iterable[str] = (),
    card: str | Path | None = None,
    datasheet: str | Path | None = None,
    policy: Any = "default",
    overrides: Mapping[str, Any] | None = None,
    positive_label: Any = None,
    features: Iterable[str] | None = None,
    seed: int = 0,
    metadata: Mapping[str, Any] | None = None,
    allow_unsafe_model: bool = False,
    fail_on: str | None = None,
    engine: str | None = None,
) -> Report:
    """Audit ``data`` (a path or a DataFrame) under ``policy`` and return the :class:`Report`.

    Without ``data``, ``card`` and/or ``datasheet`` are audited alone (a documentation review):
    the documentation checks run and every check that needs the data is skipped, naming why.

    ``data`` may also be a Parquet directory or glob, a Dask or Spark DataFrame or a Polars
    LazyFrame; ``engine`` is ``auto`` (default), ``pandas``, ``polars``, ``dask`` or ``spark``.

    Raises :class:`auditor.UsageError` (subclasses ``ConfigError``/``InputError``) for bad input,
    before any check runs. ``overrides`` is ``{"CHECK_ID.option": value}``.
    """
    config = AuditConfig(
        data=data,
        target=target,
        prediction=prediction,
        score=score,
        model=model,
        sensitive=(sensitive,) if isinstance(sensitive, str) else tuple(sensitive),
        card=Path(card) if card is not None else None,
        datasheet=Path(datasheet) if datasheet is not None else None,
        policy=policy,
        overrides=dict(overrides or {}),
        positive_label=positive_label,
        features=tuple(features) if features is not None else None,
        seed=seed,
        metadata=dict(metadata or {}),
        allow_unsafe_model=allow_unsafe_model,
        fail_on=fail_on,
        engine=engine,
    )
    return run_audit(config, progress=False)
