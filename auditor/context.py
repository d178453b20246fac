"""The read-only audit subject handed to every check, with lazily cached shared measurements."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

import numpy as np
import pandas as pd

from .attributes import missing_sensitive_reason
from .data import DatasetInfo
from .models import ModelInfo
from .skip import Skip

__all__ = ["NO_DATA_REASON", "REQUIREMENTS", "Context"]

T = TypeVar("T")

REQUIREMENTS = (
    "predictions", "target", "scores", "sensitive", "card", "datasheet", "model", "data",
)  # fmt: skip

#: why a check that reads the data is skipped in a run given only a model card and/or datasheet
NO_DATA_REASON = "no dataset given: this is a documentation-only audit"


@dataclass(frozen=True, eq=False)
class Context:
    """What is audited. Checks read it and never change it; shared work goes through :meth:`measure`.

    ``positive_label`` is the prediction/label value counted as the favourable outcome
    ("selected"); ``positive_label_source`` says whether the user gave it or it was inferred.
    """

    dataset: pd.DataFrame
    target: str | None = None
    prediction: str | None = None
    score: str | None = None
    positive_label: Any = None
    positive_label_source: str = "none"
    sensitive: tuple[str, ...] = ()
    card: Path | None = None
    datasheet: Path | None = None
    features: tuple[str, ...] | None = None
    model: Any = None
    model_info: ModelInfo | None = None  # the model's provenance (kind "predictions" without one)
    predictions_info: ModelInfo | None = None  # the prediction column's, when one is given
    dataset_info: DatasetInfo | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    seed: int = 0
    warnings: tuple[str, ...] = ()
    waivers: tuple[Any, ...] = ()  # the policy's waivers (RUN002 reviews them)
    # typed options of every check in the run's plan, by check id: configuration, never results
    # (TRN101's contradicted status follows the tolerance TRN201/TRN204 are configured with)
    check_options: Mapping[str, Any] = field(default_factory=dict)
    today: dt.date = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc).date())
    # a lazy engine source (auditor.engines.LazySource) when the data stays in Dask/Spark/Polars;
    # ``dataset`` is then a 0-row frame with the real columns and dtypes
    source: Any = None
    # no dataset (nor model) was given: a documentation-only audit of the card and/or datasheet;
    # ``dataset`` is then an empty frame and every check that reads data is skipped (NO_DATA_REASON)
    documentation_only: bool = False
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)
    _lock: Any = field(default_factory=threading.RLock, repr=False)

    # -- shared measurements -------------------------------------------------------------
    def measure(self, key: str, compute: Callable[[], T]) -> T:
        """Compute ``compute()`` once per context under ``key`` and share it between checks.

        A Skip or an error raised by ``compute`` is cached too, so every check that needs the
        measurement reports the same reason without recomputing it.
        """
        with self._lock:
            if key not in self._cache:
                try:
                    self._cache[key] = ("ok", compute())
                except Exception as exc:
                    self._cache[key] = ("error", exc)
            state, value = self._cache[key]
        if state == "error":
            raise value
        return value  # type: ignore[no-any-return]

    # -- inputs --------------------------------------------------------------------------
    @property
    def n_rows(self) -> int:
        """Rows of the audited data (counted by the engine on a lazy source)."""
        return int(self.source.rows) if self.source is not None else len(self.dataset)

    def _rows_needed(self, what: str) -> None:
        if self.source is not None:
            raise Skip(
                f"{what} needs row-level data, which the {self.source.engine} engine keeps out of "
                "memory; run with --engine pandas on data that fits in memory",
                inputs=("rows",),
            )

    def missing(self, requirement: str) -> str | None:
        """Why ``requirement`` is unavailable, or None when it is there."""
        if requirement == "predictions":
            if self.prediction is None and self.model is None:
                return (
                    "no predictions: give a prediction column (--prediction) or a model (--model)"
                )
        elif requirement == "target":
            if self.target is None:
                return "no ground-truth labels: give a target column (--target)"
        elif requirement == "scores":
            if self.score is None and not hasattr(self.model, "predict_proba"):
                return "no scores: give a score column (--score) or a model with predict_proba"
        elif requirement == "sensitive":
            if not self.sensitive:  # names candidate columns (attribute lexicon, no Presidio)
                roles = [c for c in (self.target, self.prediction, self.score) if c is not None]
                return missing_sensitive_reason(self.dataset.columns, roles)
        elif requirement == "card":
            if self.card is None:
                return "no model card: give --card PATH"
        elif requirement == "datasheet":
            if self.datasheet is None:
                return "no datasheet: give --datasheet PATH (or `datasheet:` in the config)"
        elif requirement == "model":
            if self.model is None:
                return "no model object: give --model PATH"
        elif requirement == "data":
            if self.documentation_only:
                return NO_DATA_REASON
        else:
            raise ValueError(
                f"unknown requirement {requirement!r} (known: {', '.join(REQUIREMENTS)})"
            )
        return None

    def require(self, requirement: str) -> None:
        reason = self.missing(requirement)
        if reason:
            raise Skip(reason, inputs=(requirement,))

    @property
    def feature_frame(self) -> pd.DataFrame:
        """The columns the model is fed: configured features, the model's own names, or the rest."""
        self._rows_needed("the feature frame")
        if self.features is not None:
            return cast(pd.DataFrame, self.dataset.loc[:, list(self.features)])
        if self.model_info is not None and self.model_info.feature_names:
            return cast(pd.DataFrame, self.dataset.loc[:, list(self.model_info.feature_names)])
        drop = {c for c in (self.target, self.prediction, self.score) if c is not None}
        return cast(
            pd.DataFrame, self.dataset.drop(columns=[c for c in self.dataset.columns if c in drop])
        )

    @property
    def y_true(self) -> pd.Series:
        self.require("target")
        self._rows_needed("the target column")
        assert self.target is not None
        return self.dataset[self.target]

    @property
    def y_pred(self) -> pd.Series:
        """Predicted labels: the prediction column, else the model's ``predict`` (computed once)."""
        self.require("predictions")
        self._rows_needed("the prediction column")
        if self.prediction is not None:
            return self.dataset[self.prediction]
        return self.measure("model.predict", self._predict)

    def _predict(self) -> pd.Series:
        values = np.asarray(self.model.predict(self.feature_frame))
        if values.ndim != 1 or len(values) != len(self.dataset):
            raise ValueError(
                f"model.predict returned shape {values.shape}, expected ({len(self.dataset)},)"
            )
        out: pd.Series = pd.Series(values, index=self.dataset.index, name="prediction")
        return out

    @property
    def y_score(self) -> pd.Series:
        """Scores for the positive label: the score column, else ``predict_proba`` (computed once)."""
        self.require("scores")
        self._rows_needed("the score column")
        if self.score is not None:
            return self.dataset[self.score]
        return self.measure("model.predict_proba", self._predict_proba)

    def _predict_proba(self) -> pd.Series:
        """The positive label's column of ``predict_proba``: the output must have one row per data
        row and one column per class of ``classes_`` (or at least two without it), and the positive
        label must be a class; anything else is an error, never a guessed column."""
        proba = np.asarray(self.model.predict_proba(self.feature_frame), dtype=float)
        found = getattr(self.model, "classes_", None)
        n = len(self.dataset)
        width = len(found) if found is not None else None
        if proba.ndim != 2 or proba.shape[0] != n or proba.shape[1] != (width or proba.shape[1]):
            raise ValueError(
                f"model.predict_proba returned shape {proba.shape}, expected ({n}, "
                f"{width if width is not None else 'n_classes'}): one column per class"
            )
        classes = list(found) if found is not None else list(range(proba.shape[1]))
        if proba.shape[1] < 2 or self.positive_label not in classes:
            raise ValueError(
                "model.predict_proba has no column for the positive label "
                f"({proba.shape[1]} column(s) for {len(classes)} class(es))"
            )
        column = classes.index(self.positive_label)
        out: pd.Series = pd.Series(proba[:, column], index=self.dataset.index, name="score")
        return out

    def is_positive(self, values: pd.Series) -> np.ndarray:
        """Boolean array: which values equal the positive label (missing values are False)."""
        return np.asarray(values.eq(self.positive_label).fillna(False), dtype=bool)

    def row_mask(self, *columns: str) -> np.ndarray:
        """Rows where every named column is present (not null)."""
        self._rows_needed("a row mask")
        mask = np.ones(len(self.dataset), dtype=bool)
        for col in columns:
            mask &= self.dataset[col].notna().to_numpy()
        return mask
