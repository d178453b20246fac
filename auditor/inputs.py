"""Turn an AuditConfig into a validated Context: every input problem is an InputError before any check runs."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .config import AuditConfig
from .context import Context
from .data import DatasetInfo, frame_info, load_dataset
from .errors import InputError, UsageError, suggest
from .models import ModelInfo, OnnxPredictor, Predictor, load_model, model_info_for_object

__all__ = ["build_context"]

BINARY_SETS = ({0, 1}, {True, False}, {0.0, 1.0})


def _column(df: pd.DataFrame, name: str | None, role: str, where: str) -> None:
    if name is None:
        return
    if name not in df.columns:
        cols = [str(c) for c in df.columns]
        hint = suggest(name, cols)
        if not hint:
            shown = ", ".join(repr(c) for c in cols[:15])
            hint = f" (columns: {shown}{', ...' if len(cols) > 15 else ''})"
        raise InputError(f"{where}: {role} column {name!r} not found{hint}")


def _coerce_label(value: Any, observed: Sequence[Any]) -> Any:
    """Match a CLI string like "1" or "yes" against the observed values' type."""
    if value is None:
        return None
    for v in observed:
        if v == value:
            return v
        if isinstance(value, str) and str(v) == value:
            return v
        if (
            isinstance(value, str)
            and isinstance(v, (int, float, np.number))
            and not isinstance(v, bool)
        ):
            try:
                if float(value) == float(v):
                    return v
            except ValueError:
                pass
    return value


def _plain(value: Any) -> Any:
    """A numpy/pandas scalar as the Python value (so messages and reports show ``1``, not
    ``np.int64(1)``)."""
    if isinstance(value, np.generic):
        return value.item()
    return value


def _show(values: Sequence[Any], limit: int = 10) -> str:
    """Values for an error line: plain Python reprs, floats with ``:g``, at most ``limit``."""
    parts = []
    for v in values[:limit]:
        v = _plain(v)
        parts.append(f"{v:g}" if isinstance(v, float) else repr(v))
    return ", ".join(parts) + (", ..." if len(values) > limit else "")


def _is_binary01(values: Sequence[Any]) -> bool:
    """{0, 1} or {False, True} (numeric or boolean; 0.0/1.0 count as 0/1)."""
    plain = {_plain(v) for v in values}
    return len(plain) == 2 and all(isinstance(v, (bool, int, float)) and v in (0, 1) for v in plain)


def _positive_from_classes(classes: Sequence[Any], given: Any, model_name: str) -> tuple[Any, str]:
    plain = [_plain(c) for c in classes]
    if given is not None:
        label = _coerce_label(given, plain)
        if label not in plain:
            raise InputError(
                f"{model_name}: positive label {given!r} is not one of the model's classes "
                f"({_show(plain)})"
            )
        return label, "given"
    if _is_binary01(plain):
        return next(c for c in plain if c == 1), "inferred from the model's classes_"
    raise InputError(
        f"{model_name}: cannot tell which of the model's classes ({_show(plain)}) is the "
        "favourable outcome; give it with --positive-label VALUE"
    )


def _infer_positive(values: pd.Series, given: Any, role: str, where: str) -> tuple[Any, str]:
    observed = [_plain(v) for v in pd.unique(values.dropna())]
    if given is not None:
        label = _coerce_label(given, observed)
        if observed and label not in observed:
            raise InputError(
                f"{where}: positive label {given!r} never occurs in the {role} column "
                f"(values: {_show(observed)})"
            )
        return label, "given"
    as_set = set(observed)
    if observed and any(as_set <= s for s in BINARY_SETS):
        is_bool = as_set <= {True, False} and any(isinstance(v, bool) for v in observed)
        return (True if is_bool else 1), "inferred (binary 0/1 values)"
    if not observed:
        raise InputError(
            f"{where}: cannot tell which model output is favourable; give --positive-label VALUE"
        )
    shown = _show(observed)
    if role == "prediction" and pd.api.types.is_float_dtype(values) and len(observed) > 2:
        raise InputError(
            f"{where}: prediction values look like probabilities or scores ({shown}), not "
            "labels; pass the column as --score, or threshold it into labels and give "
            "--positive-label"
        )
    multiclass = (
        " (with more than two classes, FAIR006 multiclass-parity then also audits each class "
        "one-vs-rest)"
        if len(observed) > 2
        else ""
    )
    raise InputError(
        f"{where}: {role} values are not binary 0/1 ({shown}); "
        f"give the favourable outcome with --positive-label VALUE{multiclass}"
    )


def _continuous(values: pd.Series, given: Any) -> bool:
    """A float target with fractional values and no positive label: a regression target."""
    if given is not None or not pd.api.types.is_float_dtype(values):
        return False
    present = values.dropna()
    return bool(len(present)) and bool((present % 1 != 0).any())


def build_context(config: AuditConfig) -> Context:
    if config.data is None:
        raise UsageError("no dataset: give --data PATH (or data: in the config)")
    info: DatasetInfo
    lazy: Any = None  # a lazy engine source (auditor.engines); df is then its 0-row schema
    from .engines import uses_engines

    if uses_engines(config):
        from .engines import open_data

        df, info, lazy = open_data(config)
        where = str(info.path or info.format)
    elif isinstance(config.data, pd.DataFrame):
        df = config.data
        info = frame_info(df)
        where = "DataFrame"
    elif isinstance(config.data, (str, Path)):
        df, info = load_dataset(config.data, config.data_format)
        where = str(config.data)
    else:
        raise UsageError(
            f"data must be a path or a pandas DataFrame, got {type(config.data).__name__}"
        )

    def values(name: str) -> pd.Series:
        """The column, or on a lazy source its distinct values (computed by the engine)."""
        return lazy.values(name) if lazy is not None else df[name]

    for role, name in (
        ("target", config.target),
        ("prediction", config.prediction),
        ("score", config.score),
    ):
        _column(df, name, role, where)
    for name in config.sensitive:
        _column(df, name, "sensitive", where)
    for name in config.features or ():
        _column(df, name, "feature", where)
    if config.score is not None and not pd.api.types.is_numeric_dtype(df[config.score]):
        raise InputError(
            f"{where}: score column {config.score!r} is not numeric ({df[config.score].dtype})"
        )

    if lazy is not None and config.model is not None:
        raise InputError(
            f"{where}: a model cannot be applied on the lazy {lazy.engine} engine; write its "
            "predictions (and scores) into columns and give --prediction / --score"
        )
    model: Any = None
    model_info: ModelInfo | None = None
    warnings: list[str] = list(info.notes)
    if config.model is not None:
        if isinstance(config.model, (str, Path)):
            model, model_info = load_model(config.model, allow_unsafe=config.allow_unsafe_model)
        elif isinstance(config.model, Predictor):
            model, model_info = config.model, model_info_for_object(config.model)
        else:
            raise UsageError(
                f"model must be a path or an object with predict(), got {type(config.model).__name__}"
            )
        warnings.extend(model_info.warnings)
        needed = list(config.features or model_info.feature_names or [])
        missing = [c for c in needed if c not in df.columns]
        if missing:
            raise InputError(
                f"{where}: the model needs feature column {missing[0]!r} which is not in the data"
                f"{suggest(missing[0], map(str, df.columns))}"
            )
    predictions_info: ModelInfo | None = None
    if config.prediction is not None:
        # where the predicted labels come from; recorded next to the model (both kept)
        predictions_info = ModelInfo(
            kind="predictions",
            path=info.path,
            sha256=info.sha256,
            loader="column",
            column=config.prediction,
        )
        if model_info is None:
            model_info = ModelInfo(
                kind="predictions", path=info.path, sha256=info.sha256, loader="column"
            )

    positive, source = None, "none"
    classes = model_info.classes if model_info is not None and model_info.classes else None
    if config.prediction is not None:
        positive, source = _infer_positive(
            values(config.prediction), config.positive_label, "prediction", where
        )
    elif model is not None and classes:
        positive, source = _positive_from_classes(
            classes, config.positive_label, _model_name(model, model_info)
        )
    elif model is not None and config.target is None:
        positive, source = _infer_positive(
            pd.Series([], dtype=object), config.positive_label, "prediction", where
        )
    elif config.target is not None and _continuous(values(config.target), config.positive_label):
        positive, source = None, "none (continuous target)"  # regression/score audits
    elif config.target is not None:
        positive, source = _infer_positive(
            values(config.target), config.positive_label, "target", where
        )
    elif config.positive_label is not None:
        positive, source = config.positive_label, "given"
    positive = _plain(positive)
    if (
        config.target is not None
        and config.positive_label is None
        and config.prediction is not None
    ):
        # the target must share the prediction's label space
        observed = {_plain(v) for v in pd.unique(values(config.target).dropna())}
        if observed and positive not in observed and not observed <= {0, 1}:
            raise InputError(
                f"{where}: target values ({_show(sorted(observed, key=str))}) do not include "
                f"the positive label {positive!r}; give --positive-label"
            )

    ctx = Context(
        dataset=df,
        target=config.target,
        prediction=config.prediction,
        score=config.score,
        positive_label=positive,
        positive_label_source=source,
        sensitive=tuple(config.sensitive),
        card=_existing(config.card, "model card"),
        datasheet=_existing(config.datasheet, "datasheet"),
        features=tuple(config.features) if config.features else None,
        model=model,
        model_info=model_info,
        predictions_info=predictions_info,
        dataset_info=info,
        metadata=dict(config.metadata),
        seed=config.seed,
        warnings=tuple(warnings),
        source=lazy,
    )
    if model is not None:
        _probe_model(ctx, _model_name(model, model_info))
    return ctx


def _model_name(model: Any, info: ModelInfo | None) -> str:
    if info is not None and info.path:
        return str(info.path)
    return f"model object {type(model).__name__}"


_QUOTED = re.compile(r"'([^']*)'|\"([^\"]*)\"")


def _mask_quoted(message: str, columns: set[str]) -> str:
    """Hide quoted data values in a library's error text (``could not convert string to float:
    '23.1k'``), keeping quoted column names: the error line must not leak audited values."""

    def repl(m: re.Match[str]) -> str:
        text = m.group(1) if m.group(1) is not None else m.group(2)
        return m.group(0) if text in columns else "'<value>'"

    return _QUOTED.sub(repl, message)


def _probe_model(ctx: Context, name: str) -> None:
    """Feed the model one row at plan time, so a model/feature mismatch is an input error
    naming the model and the features, not a run where every prediction check errors."""
    frame = ctx.feature_frame
    cols = [str(c) for c in frame.columns]
    shown = _show(cols, 12)
    if isinstance(ctx.model, OnnxPredictor):
        expected = ctx.model.n_features
        if isinstance(expected, int) and expected != len(cols):
            raise InputError(
                f"{name}: the ONNX model takes {expected} features but {len(cols)} feature "
                f"columns were given ({shown}); choose them with --features COL,..."
            )
        for col in cols:
            dtype = frame[col].dtype
            if not (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)):
                raise InputError(
                    f"{name}: the ONNX model takes a numeric tensor but feature column {col!r} "
                    f"is {dtype}; encode it or leave it out with --features COL,..."
                )
    try:
        out = np.asarray(ctx.model.predict(frame.iloc[:1]))
    except Exception as exc:
        message = _mask_quoted(" ".join(str(exc).split()), {str(c) for c in ctx.dataset.columns})
        raise InputError(
            f"{name}: the model cannot predict from the feature columns ({shown}): "
            f"{type(exc).__name__}: {message[:300]}"
        ) from None
    if out.ndim != 1 or len(out) != 1:
        raise InputError(
            f"{name}: predict() on one row returned shape {out.shape}, expected (1,): the model "
            f"must return one label per row (feature columns: {shown})"
        )


def _existing(path: Path | None, role: str) -> Path | None:
    if path is None:
        return None
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: {role} not found")
    return p
