"""The one way to write a check: ``@check(...)`` turns a generator function into a ``Check`` value."""

from __future__ import annotations

import dataclasses
import inspect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from .findings import Finding, Severity, Table
from .skip import Skip

if TYPE_CHECKING:
    from .context import Context

__all__ = ["FAMILIES", "ID_PATTERN", "Check", "NoOptions", "Skip", "check"]

ID_PATTERN = re.compile(r"^[A-Z]{2,5}[0-9]{3}$")
FAMILIES = {
    "PII": "pii",
    "FAIR": "fairness",
    "TRN": "transparency",
    "RUN": "run",
    "GEN": "generative",
}

OptionsT = TypeVar("OptionsT")
CheckFn = Callable[["Context", OptionsT], Iterable["Finding | Table"]]


@dataclass(frozen=True)
class NoOptions:
    """Options of a check that takes none."""


@dataclass(frozen=True)
class Check(Generic[OptionsT]):
    """A check: stable id, name, default severity, typed options and its documentation.

    ``run(ctx, options)`` yields :class:`Finding` and :class:`Table` values. It never prints,
    formats or exits; raising :class:`Skip` marks it skipped, any other exception errored.
    """

    id: str
    name: str
    severity: Severity
    options_type: type[OptionsT]
    run: CheckFn[OptionsT]
    doc: str
    references: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    # optional plan-time hook: validate(ctx, options) raises ConfigError/InputError before any
    # check runs (e.g. an option naming a column that is not in the data)
    validate: Callable[[Context, OptionsT], None] | None = None
    # runs on a lazy engine source (ctx.source): True = computes through engine-side aggregates;
    # False = needs rows in memory; None = decided by the runner (see ``needs_rows``)
    lazy: bool | None = None

    def needs_rows(self) -> bool:
        """Whether the check must be skipped on a lazy source: ``lazy=False``, or unset and it
        reads data columns (predictions, target, scores, sensitive, model) or is a PII/FAIR check."""
        if self.lazy is not None:
            return not self.lazy
        data = {"predictions", "target", "scores", "sensitive", "model", "text_columns"}
        return bool(data.intersection(self.requires)) or self.family in ("pii", "fairness")

    @property
    def family(self) -> str:
        prefix = re.match(r"^[A-Z]+", self.id)
        letters = prefix.group(0) if prefix else self.id
        return FAMILIES.get(letters, letters.lower())

    @property
    def summary(self) -> str:
        """First sentence of the docstring (after the id/name title line when present)."""
        lines = [ln.strip() for ln in self.doc.strip().splitlines()]
        text = lines[0] if lines else ""
        if text.startswith(self.id):
            text = text[len(self.id) :].lstrip(" :-")
            if text.startswith(self.name):
                text = text[len(self.name) :].lstrip(" :-")
        return text

    def default_options(self) -> OptionsT:
        return self.options_type()


def check(
    id: str,
    name: str,
    *,
    severity: Severity = Severity.MEDIUM,
    options: type[Any] = NoOptions,
    references: Iterable[str] = (),
    requires: Iterable[str] = (),
    validate: Callable[[Context, Any], None] | None = None,
    lazy: bool | None = None,
) -> Callable[[CheckFn[Any]], Check[Any]]:
    """Decorator: ``@check("FAIR101", "impact-ratio", severity=Severity.HIGH, options=Options)``.

    ``requires`` lists context inputs the check needs (``predictions``, ``target``, ``sensitive``,
    ``card``, ``model``, ``text_columns``); a missing one skips the check with that reason.
    ``validate(ctx, options)``, if given, runs at plan time (after the inputs are loaded, only when
    the required inputs exist) and raises ``ConfigError``/``InputError`` to stop the run early.
    ``lazy=True`` declares that the check runs on a lazy engine source (``ctx.source``: Dask,
    Spark, Polars) through engine-side aggregates; other data checks are skipped there.
    It registers nothing: expose the returned value through an ``auditor.checks`` entry point.
    """
    if not ID_PATTERN.match(id):
        raise ValueError(f"check id {id!r} does not match {ID_PATTERN.pattern}")
    if not dataclasses.is_dataclass(options) or not isinstance(options, type):
        raise TypeError(f"{id}: options must be a dataclass type, got {options!r}")

    def wrap(fn: CheckFn[Any]) -> Check[Any]:
        module = inspect.getmodule(fn)
        doc = inspect.cleandoc(fn.__doc__ or (module.__doc__ if module else "") or "")
        if not doc:
            raise ValueError(f"{id}: a check needs a docstring (its user documentation)")
        return Check(
            id=id,
            name=name,
            severity=severity,
            options_type=options,
            run=fn,
            doc=doc,
            references=tuple(references),
            requires=tuple(requires),
            validate=validate,
            lazy=lazy,
        )

    return wrap
