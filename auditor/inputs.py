"""Turn an AuditConfig into a validated Context: every input problem is an InputError before any check runs."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .config import AuditConfig
from .context import Context
from .data import DatasetInfo, frame_info, load_dataset
from .errors import InputError, UsageError, suggest
from .models import ModelInfo, Predictor, load_model, model_info_for_object

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


def _infer_positive(
    values: pd.Series, given: Any, role: str, where: str, classes: Sequence[Any] | None = None
) -> tuple[Any, str]:
    observed = list(pd.unique(values.dropna()))
    if given is not None:
        label = _coerce_label(given, observed if observed else list(classes or []))
        if observed and label not in observed:
            shown = ", ".join(repr(v) for v in observed[:10])
            raise InputError(
                f"{where}: positive label {given!r} never occurs in the {role} column (values: {shown})"
            )
        return label, "given"
    if classes is not None and len(classes) == 2:
        return classes[1], "inferred from the model's classes_"
    as_set = set(observed)
    if any(as_set <= s for s in BINARY_SETS) and observed:
        return (
            True
            if as_set <= {True, False} and any(isinstance(v, (bool, np.bool_)) for v in observed)
            else 1
        ), ("inferred (binary 0/1 values)")
    if not observed:
        raise InputError(
            f"{where}: cannot tell which model output is favourable; give --positive-label VALUE"
        )
    shown = ", ".join(repr(v) for v in observed[:10])
    if role == "prediction" and pd.api.types.is_float_dtype(values) and len(observed) > 2:
        raise InputError(
            f"{where}: prediction values look like probabilities or scores ({shown}"
            f"{'...' if len(observed) > 10 else ''}), not labels; pass the column as --score, "
            "or threshold it into labels and give --positive-label"
        )
    raise InputError(
        f"{where}: {role} values are not binary 0/1 ({shown}{'...' if len(observed) > 10 else ''}); "
        "give the favourable outcome with --positive-label VALUE"
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
    elif config.prediction is None:
        model_info = None
    if config.prediction is not None:
        model_info = ModelInfo(
            kind="predictions", path=info.path, sha256=info.sha256, loader="column"
        )

    positive, source = None, "none"
    classes = model_info.classes if model_info is not None and model_info.classes else None
    if config.prediction is not None:
        positive, source = _infer_positive(
            values(config.prediction), config.positive_label, "prediction", where
        )
    elif model is not None and (classes or config.target is None):
        positive, source = _infer_positive(
            pd.Series([], dtype=object), config.positive_label, "prediction", where, classes
        )
    elif config.target is not None and _continuous(values(config.target), config.positive_label):
        positive, source = None, "none (continuous target)"  # regression/score audits
    elif config.target is not None:
        positive, source = _infer_positive(
            values(config.target), config.positive_label, "target", where
        )
    elif config.positive_label is not None:
        positive, source = config.positive_label, "given"
    if (
        config.target is not None
        and config.positive_label is None
        and config.prediction is not None
    ):
        # the target must share the prediction's label space
        observed = set(pd.unique(values(config.target).dropna()))
        if observed and positive not in observed and not observed <= {0, 1}:
            raise InputError(
                f"{where}: target values {sorted(map(str, observed))[:10]} do not include the positive "
                f"label {positive!r}; give --positive-label"
            )

    return Context(
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
        dataset_info=info,
        metadata=dict(config.metadata),
        seed=config.seed,
        warnings=tuple(warnings),
        source=lazy,
    )


def _existing(path: Path | None, role: str) -> Path | None:
    if path is None:
        return None
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: {role} not found")
    return p
