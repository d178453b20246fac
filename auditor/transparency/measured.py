"""What the audit measured, read through the fairness and PII engines' published measurement functions
(``auditor.fairness.measure`` and ``auditor.pii.measure``), cached per run with ``ctx.measure``.

Never other checks' results: these are the shared measurements, computed once per run."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..check import Skip

if TYPE_CHECKING:
    from ..context import Context

__all__ = ["artifact_metadata", "column_scan", "group_rows", "overall_metrics", "rows_measured"]


def _measured(ctx: Context) -> None:
    """Skip in a documentation-only audit: there is no data to measure a claim against."""
    why = ctx.missing("data")
    if why:
        raise Skip(why, inputs=("data",))


def _engine(module: str, name: str) -> Callable[..., Any]:
    try:
        mod = importlib.import_module(module)
    except ImportError as exc:
        raise Skip(f"measurement {module}.{name} is not available ({exc})") from None
    fn = getattr(mod, name, None)
    if not callable(fn):
        raise Skip(f"measurement {module}.{name} is not available")
    return fn  # type: ignore[no-any-return]


def overall_metrics(ctx: Context) -> dict[str, float | None]:
    """accuracy, selection_rate, tpr, fpr, precision, f1, base_rate, roc_auc/brier (fairness engine)."""
    _measured(ctx)
    fn = _engine("auditor.fairness.measure", "overall_metrics")
    return dict(ctx.measure("transparency.overall_metrics", lambda: fn(ctx)))


def rows_measured(ctx: Context) -> int:
    """The rows the overall metrics rest on: rows with both a label and a prediction (when the
    data holds those columns; all rows on a lazy engine source)."""
    _measured(ctx)
    df = ctx.dataset
    if ctx.source is not None:
        return ctx.n_rows
    keep = None
    for col in (ctx.target, ctx.prediction):
        if col is not None and col in df.columns:
            present = df[col].notna()
            keep = present if keep is None else keep & present
    return int(keep.sum()) if keep is not None else len(df)


def group_rows(ctx: Context) -> list[dict[str, Any]]:
    """Rows of the fairness ``groups`` table (feature, group, n, selection_rate, impact_ratio, ...)."""
    _measured(ctx)
    fn = _engine("auditor.fairness.measure", "group_rows")
    return [dict(r) for r in ctx.measure("transparency.group_rows", lambda: fn(ctx))]


def column_scan(ctx: Context) -> list[dict[str, Any]]:
    """Rows of the PII ``columns`` table (column, kind, entity_types, ...)."""
    _measured(ctx)
    fn = _engine("auditor.pii.measure", "column_scan")
    return [dict(r) for r in ctx.measure("transparency.column_scan", lambda: fn(ctx))]


def _onnx_meta(path: str) -> dict[str, Any]:
    try:
        import onnxruntime as ort

        meta = ort.InferenceSession(path, providers=["CPUExecutionProvider"]).get_modelmeta()
    except Exception:
        return {}
    custom = dict(meta.custom_metadata_map or {})
    out: dict[str, Any] = {"producer": meta.producer_name or None}
    for key in ("version", "model_version"):
        if custom.get(key):
            return {
                **out,
                "version": str(custom[key]),
                "version_source": f"ONNX metadata_props[{key}]",
            }
    if getattr(meta, "version", 0):
        return {**out, "version": str(meta.version), "version_source": "ONNX model_version"}
    return out


def artifact_metadata(ctx: Context) -> dict[str, Any]:
    """What the model artifact says about itself: sha256, path, and a version when one is recorded
    (ONNX metadata, a ``version``/``model_version`` attribute, ``metadata.model_version`` in the config,
    or a version in the file name such as ``screener-v2.1.onnx``)."""
    from .claims import version_from_filename

    info = ctx.model_info
    out: dict[str, Any] = {}
    if info is not None and info.kind != "predictions":
        out.update({"sha256": info.sha256, "path": info.path, "kind": info.kind})
        if info.kind == "onnx" and info.path:
            out.update(ctx.measure("transparency.onnx_meta", lambda: _onnx_meta(str(info.path))))
    if "version" not in out and ctx.model is not None:
        for attr in ("model_version", "version_", "version"):
            value = getattr(ctx.model, attr, None)
            if isinstance(value, (str, int)) and not isinstance(value, bool):
                out.update(version=str(value), version_source=f"model attribute {attr}")
                break
    meta_version = ctx.metadata.get("model_version") if ctx.metadata else None
    if "version" not in out and meta_version is not None:
        out.update(version=str(meta_version), version_source="config metadata.model_version")
    if "version" not in out and out.get("path"):
        found = version_from_filename(Path(str(out["path"])).name)
        if found:
            out.update(version=found, version_source=f"file name {Path(str(out['path'])).name}")
    return out
