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
from .fairness.encode import kinds_phrase, value_kind
from .models import ModelInfo, OnnxPredictor, Predictor, load_model, model_info_for_object
from .redact import mask_text, show_value, show_values

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
    """Data values for an error line: plain labels as they are (``0, 1``, ``'yes'``), anything
    that could be personal data masked (``'j***@e***.org', ...; 2,000 distinct values, masked``)."""
    return show_values([_plain(v) for v in values], limit)


def _names(names: Sequence[Any], limit: int = 12) -> str:
    """Column names for an error line (names, not data: shown as they are)."""
    return ", ".join(repr(str(n)) for n in names[:limit]) + (", ..." if len(names) > limit else "")


def _label(value: Any, given: bool) -> str:
    """The positive label for an error line: as typed when the user gave it, else as a data value."""
    return repr(value) if given else show_value(value)


def _kinds(values: Sequence[Any]) -> str:
    """``text``, ``numbers``, ``booleans`` or a mix (``text and numbers``) of the values."""
    words = {"text": "text", "number": "numbers", "bool": "booleans"}
    found = sorted({words.get(value_kind(v), value_kind(v)) for v in values})
    return " and ".join(found) if found else "no values"


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


def build_context(config: AuditConfig, *, read_columns: Sequence[str] = ()) -> Context:
    """The audit subject of ``config``, its inputs loaded and checked. ``read_columns``: more
    columns a lazy engine source reads at load (an unreadable partition is then an input error
    before anything runs), e.g. the planned checks' sample weights."""
    if config.data is None:
        return _documents_only(config)
    info: DatasetInfo
    lazy: Any = None  # a lazy engine source (auditor.engines); df is then its 0-row schema
    from .engines import uses_engines

    if uses_engines(config):
        from .engines import open_data

        df, info, lazy = open_data(config, read_columns)
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
    for role, name in (
        ("target", config.target),
        ("prediction", config.prediction),
        ("score", config.score),
        *(("sensitive", c) for c in config.sensitive),
    ):
        if name is not None:
            _flat(df, lazy, name, role, where)
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
    if config.target is not None and positive is not None:
        # predictions and target must share the label space, at least the positive label
        if config.prediction is not None:
            side = f"the prediction column {config.prediction!r}"
            predicted = _distinct(values(config.prediction))
        elif model is not None and classes:
            side = f"the classes of {_model_name(model, model_info)}"
            predicted = [_plain(c) for c in classes]
        else:
            side, predicted = "", []
        if side:
            _same_labels(
                where,
                side,
                predicted,
                config.target,
                _distinct(values(config.target)),
                positive,
                given=config.positive_label is not None,
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


#: what a documentation-only audit cannot take: (config field, flag, audit.yaml key)
_DATA_ONLY = (
    ("target", "--target", "target"),
    ("prediction", "--prediction", "prediction"),
    ("score", "--score", "score"),
    ("sensitive", "--sensitive", "sensitive"),
    ("features", "--features", "features"),
    ("positive_label", "--positive-label", "positive_label"),
    ("model", "--model", "model"),
    ("data_format", "--data-format", "data_format"),
    ("engine", "--engine", "engine"),
)


def _documents_only(config: AuditConfig) -> Context:
    """The Context of a documentation-only audit: a model card and/or a datasheet and no data.

    Nothing to audit (no data, card nor datasheet) is a usage error; so is an option that only
    means something with data (a column, a model, an engine): it would silently do nothing."""
    if config.card is None and config.datasheet is None:
        raise UsageError(
            "nothing to audit: give --data PATH (a dataset), or --card PATH and/or "
            "--datasheet PATH for a documentation-only audit (data:, card:, datasheet: in audit.yaml)"
        )
    for name, flag, key in _DATA_ONLY:
        value = getattr(config, name)
        if value is None or value == () or (name == "engine" and value == "auto"):
            continue
        raise UsageError(
            f"{flag} ({key}: in audit.yaml) needs a dataset, and none was given: give --data PATH, "
            f"or leave {flag} out for a documentation-only audit of the "
            f"{_documents_phrase(config)}"
        )
    return Context(
        dataset=pd.DataFrame(),
        card=_existing(config.card, "model card"),
        datasheet=_existing(config.datasheet, "datasheet"),
        metadata=dict(config.metadata),
        seed=config.seed,
        documentation_only=True,
    )


def _documents_phrase(config: AuditConfig) -> str:
    names = [
        f"{role} {Path(p).name}"
        for role, p in (("model card", config.card), ("datasheet", config.datasheet))
        if p is not None
    ]
    return " and ".join(names)


def _distinct(values: pd.Series) -> list[Any]:
    """The distinct present values of a column, as Python values."""
    return [_plain(v) for v in pd.unique(values.dropna())]


def _same_labels(
    where: str,
    side: str,
    predicted: Sequence[Any],
    target: str,
    observed: Sequence[Any],
    positive: Any,
    *,
    given: bool,
) -> None:
    """Refuse (InputError) predictions and a target that do not share the positive label.

    ``'1'`` (text) never equals ``1`` (a number): with predictions ``'0'/'1'``, targets ``0/1`` and
    ``--positive-label 1`` no target row would count as positive and every group would get a base
    rate of 0. Labels must match as they are; the message shows both label sets (masked where they
    could be personal data) and their types. A target with only negatives (0/1 or False/True
    values without the positive 1/True) is accepted: it is the same label space.
    """
    if not observed:
        return
    in_target = positive in set(observed)
    numeric_01 = all(value_kind(v) in ("number", "bool") and v in (0, 1) for v in observed)
    if in_target or (numeric_01 and value_kind(positive) in ("number", "bool") and positive == 1):
        return
    label = _label(positive, given)
    raise InputError(
        f"{where}: {side} and the target column {target!r} do not use the same labels: the "
        f"predictions are {_kinds(predicted)} ({_show(_sorted(predicted))}), the target is "
        f"{_kinds(observed)} ({_show(_sorted(observed))}); the positive label {label} is not a "
        "target value. Write both columns with the same labels (e.g. both as numbers) and give "
        "that label with --positive-label"
    )


def _sorted(values: Sequence[Any]) -> list[Any]:
    """``values`` sorted for a message (first-seen order when they do not compare)."""
    try:
        return sorted(values)
    except TypeError:
        return list(values)


def _flat(df: pd.DataFrame, lazy: Any, name: str, role: str, where: str) -> None:
    """Refuse (InputError naming the file and the column) a role column holding lists or mappings
    (JSON Lines arrays/objects, Parquet list/struct columns): a label, score or group is one plain
    value per row, and such cells would crash the checks that group or compare them."""
    if lazy is not None:
        dtype = _engine_dtype(lazy, name)
        if dtype is not None and getattr(dtype, "is_nested", lambda: False)():
            raise InputError(
                f"{where}: {role} column {name!r} is a nested column ({dtype}): each row needs "
                "one plain value; flatten the column or choose another"
            )
        return
    column = df[name]
    if column.dtype != object or pd.api.types.infer_dtype(column, skipna=True) != "mixed":
        return
    counts: dict[str, int] = {}
    for value in column:
        kind = value_kind(value)
        if kind in ("list", "map", "set"):
            counts[kind] = counts.get(kind, 0) + 1
    if counts:
        raise InputError(
            f"{where}: {role} column {name!r} holds lists or mappings in "
            f"{sum(counts.values()):,} of {len(column):,} rows ({kinds_phrase(counts)}): each row "
            "needs one plain value; flatten the column or choose another"
        )


def _engine_dtype(lazy: Any, name: str) -> Any:
    """The engine's dtype of ``name`` (narwhals), or None when the engine cannot say."""
    try:
        return lazy.frame().collect_schema()[name]
    except Exception:  # an engine without a cheap schema: the checks' own guards apply
        return None


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
    shown = _names(cols, 12)
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
    columns = {str(c) for c in ctx.dataset.columns}
    try:
        out = np.asarray(ctx.model.predict(frame.iloc[:1]))
    except Exception as exc:
        raise InputError(
            f"{name}: the model cannot predict from the feature columns ({shown}): "
            f"{_model_error(exc, columns)}"
        ) from None
    if out.ndim != 1 or len(out) != 1:
        raise InputError(
            f"{name}: predict() on one row returned shape {out.shape}, expected (1,): the model "
            f"must return one label per row (feature columns: {shown})"
        )
    if ctx.score is None and hasattr(ctx.model, "predict_proba"):
        _probe_proba(ctx, name, frame, columns)


def _model_error(exc: BaseException, columns: set[str]) -> str:
    """A model's exception as one masked line: quoted values hidden (column names kept), e-mail
    addresses, identifier-like numbers and person names masked, at most 300 characters."""
    message = mask_text(_mask_quoted(" ".join(str(exc).split()), columns))
    return f"{type(exc).__name__}: {message[:300]}"


def _probe_proba(ctx: Context, name: str, frame: pd.DataFrame, columns: set[str]) -> None:
    """``predict_proba`` on two rows must return one probability column per class of the model's
    ``classes_`` (shape ``(2, len(classes_))``), and the positive label must be one of them: the
    scores are read from that column. A model without a probability output (an ONNX model with
    one output raises AttributeError) is left to the score checks, which skip or error."""
    rows = frame.iloc[:2]
    try:
        proba = np.asarray(ctx.model.predict_proba(rows))
    except AttributeError:
        return
    except Exception as exc:
        raise InputError(
            f"{name}: predict_proba() fails on the feature columns: {_model_error(exc, columns)}"
        ) from None
    found = ctx.model_info.classes if ctx.model_info is not None else None
    if found is None:
        found = getattr(ctx.model, "classes_", None)
    classes = [_plain(c) for c in found] if found is not None else []
    expected = f"({len(rows)}, {len(classes)})" if classes else f"({len(rows)}, n_classes)"
    if (
        proba.ndim != 2
        or proba.shape[0] != len(rows)
        or (classes and proba.shape[1] != len(classes))
        or proba.shape[1] < 2
    ):
        of = f"classes_ {_show(classes)}" if classes else "at least two classes"
        raise InputError(
            f"{name}: predict_proba() on {len(rows)} row{'s' if len(rows) != 1 else ''} returned "
            f"shape {proba.shape}, expected {expected}: one probability column per class "
            f"({of}); the score of the positive label cannot be read from it"
        )
    labels = classes or list(range(proba.shape[1]))
    if ctx.positive_label is not None and ctx.positive_label not in labels:
        raise InputError(
            f"{name}: the positive label {show_value(ctx.positive_label)} is not one of the "
            f"classes of predict_proba ({_show(labels)}); give --positive-label with one of them, "
            "or the scores as a column with --score"
        )


def _existing(path: Path | None, role: str) -> Path | None:
    if path is None:
        return None
    from .paths import require_file

    return require_file(path, role)  # not found, or a device/FIFO/folder: say which
