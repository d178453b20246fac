"""Logged interactions as a dataset: the table contract GEN001/GEN002 audit, and its helpers.

**The contract.** One row per prompt sent to the model (CSV, JSON Lines or Parquet, loaded by
``--data`` like any dataset):

- ``prompt`` (optional for the audit: never read beyond its presence), ``response`` (required:
  the answer text; empty/null where the request got no answer);
- ``case_id`` (optional): the base case the prompt was rendered from. With it the tests are
  paired within base cases; without it only the unpaired per-group rates are reported;
- attribute columns: the cue each variant carries (``sex``, ``race_ethnicity``, ``age_band``),
  declared as sensitive features (``sensitive:`` in audit.yaml or ``--sensitive``);
- optional ``decision`` (an outcome label) or ``score`` (a number) already extracted; otherwise
  the decision is read from ``response`` by the extractor of the check options (``extract:``);
- optional ``excluded``: the reason a request got no answer (``rate_limited``, ``timeout``, ...,
  written by ``auditor generate``); such rows are counted per group, never dropped.

Column names are check options (``response_column``, ``case_column``, ``decision_column``, ...).

**The sidecar.** ``auditor suite build`` and ``auditor generate`` write ``<file>.meta.json``
next to the JSON Lines file: the suite manifest (seed, cue sources, template hash) and the
generation manifest (endpoint without credentials, model, temperature, seed, max tokens, counts
of exclusions by reason). Never a key, never a prompt. :func:`read_sidecar` reads it so the
report shows how the log was made.

**Bad input** is an :class:`~auditor.errors.InputError` (exit 2, one line): no response column,
a configured column that is missing, a ``case_id`` column in which every case has a single
variant (nothing to pair), a variant of a case logged twice (same ``variant_id``, else same
prompt).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError, InputError

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from ..context import Context
    from .decisions import Extractor
    from .endpoint import GenerationRun
    from .suite import Suite

__all__ = [
    "FAVOURABLE",
    "Interactions",
    "ReadOptions",
    "case_rates",
    "extractor_from_spec",
    "interactions_frame",
    "interactions_rows",
    "load_interactions",
    "read_sidecar",
    "shared_interactions",
    "sidecar_path",
]

#: outcome labels taken as favourable when the option ``positive`` is not given
FAVOURABLE = ("advance", "yes", "accept", "approve", "approved", "hire", "interview", "selected",
              "pass", "true", "1")  # fmt: skip
SIDECAR_SUFFIX = ".meta.json"


@dataclass(frozen=True)
class ReadOptions:
    """How to read the interactions table (shared by GEN001 and GEN002)."""

    response_column: str = "response"
    prompt_column: str = "prompt"
    case_column: str = "case_id"
    decision_column: str | None = None
    score_column: str | None = None
    excluded_column: str = "excluded"
    #: decision extractor: {json_field: decision, labels: {...}, threshold: 0.5} |
    #: {regex: "(?P<advance>...)|(?P<reject>...)"} | {labels: {phrase: outcome}}
    extract: Mapping[str, Any] = field(default_factory=lambda: {"json_field": "decision"})
    refusal_patterns: tuple[str, ...] = ()
    attributes: tuple[str, ...] = ()  # default: the sensitive features
    positive: str | None = None


def extractor_from_spec(spec: Mapping[str, Any], where: str = "extract") -> Extractor:
    """The decisions.py extractor an option mapping names (exit 2 on a bad spec)."""
    from .decisions import JsonField, LabelMap, RegexOutcome

    keys = set(spec)
    if "json_field" in keys:
        unknown = keys - {"json_field", "labels", "threshold"}
        if unknown:
            raise ConfigError(f"{where}: unknown key(s) {sorted(unknown)} for json_field")
        labels = spec.get("labels")
        threshold = spec.get("threshold")
        return JsonField(
            str(spec["json_field"]),
            labels=dict(labels) if labels else None,
            threshold=float(threshold) if threshold is not None else None,
        )
    if "regex" in keys:
        if keys - {"regex"}:
            raise ConfigError(f"{where}: regex takes no other key, got {sorted(keys)}")
        return RegexOutcome(str(spec["regex"]))
    if "labels" in keys:
        if keys - {"labels"}:
            raise ConfigError(f"{where}: labels takes no other key, got {sorted(keys)}")
        return LabelMap({str(k): str(v) for k, v in dict(spec["labels"]).items()})
    raise ConfigError(f"{where}: expected one of json_field, regex, labels; got {sorted(keys)}")


@dataclass(frozen=True)
class Interactions:
    """The audited rows, one per prompt: ``frame`` has ``case`` (or None), ``group`` (the joint
    cue label), the attribute columns, ``status`` (parsed / refusal / unparseable / excluded),
    ``outcome``, ``score``, ``selected`` (1.0 / 0.0 / NaN), ``length`` (characters of the
    answer, NaN when excluded) and ``excluded`` (the reason or None)."""

    frame: pd.DataFrame
    attributes: tuple[str, ...]
    paired: bool
    positive: str | None
    mode: str  # "selection" (outcomes) or "scoring" (scores only)
    sidecar: Mapping[str, Any]


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR_SUFFIX)


def read_sidecar(path: str | Path | None) -> dict[str, Any]:
    """The ``<file>.meta.json`` next to an interactions file ({} when there is none or it is
    not a JSON object)."""
    if path is None:
        return {}
    meta = sidecar_path(Path(path))
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _column(df: pd.DataFrame, name: str | None, option: str, required: bool) -> str | None:
    if name is None:
        return None
    if name in df.columns:
        return name
    if required:
        raise InputError(
            f"interactions: no {name!r} column (option {option}); columns: "
            f"{', '.join(map(str, df.columns[:12]))}"
        )
    return None


def _attributes(ctx: Context, o: ReadOptions) -> tuple[str, ...]:
    attrs = o.attributes or ctx.sensitive
    for a in attrs:
        if a not in ctx.dataset.columns:
            raise InputError(f"interactions: attribute column {a!r} not found in the data")
    if not attrs:
        raise InputError(
            "interactions: no attribute columns: declare the cue columns as sensitive features "
            "(sensitive: [sex, race_ethnicity] in audit.yaml, or --sensitive)"
        )
    return tuple(attrs)


def _positive(outcomes: pd.Series, o: ReadOptions, ctx: Context) -> str | None:
    seen = {str(v).lower() for v in outcomes.dropna().unique()}
    if o.positive is not None:
        return o.positive.lower()
    if ctx.positive_label is not None:
        return str(ctx.positive_label).lower()
    hits = [f for f in FAVOURABLE if f in seen]
    if len(hits) == 1:
        return hits[0]
    if not seen:
        return None
    raise ConfigError(
        f"interactions: cannot tell which outcome is favourable among {sorted(seen)[:8]}: set "
        "the option positive (e.g. --set GEN001.positive=advance) or --positive-label"
    )


def validate_interactions(ctx: Context, o: ReadOptions) -> None:
    """Plan-time checks of the table contract (exit 2 with one line)."""
    df = ctx.dataset
    _column(df, o.response_column, "response_column", True)
    _column(df, o.decision_column, "decision_column", True)
    _column(df, o.score_column, "score_column", True)
    _attributes(ctx, o)
    if o.decision_column is None and o.score_column is None:
        extractor_from_spec(o.extract)  # a bad extractor spec stops the run before it starts
    case = _column(df, o.case_column, "case_column", False)
    if case is not None and len(df):
        per_case = df.groupby(df[case].astype(str), sort=False).size()
        if int(per_case.max()) < 2:
            raise InputError(
                f"interactions: every {case!r} has a single variant ({len(per_case)} cases): a "
                "correspondence test needs each base case rendered once per group"
            )
        # the same prompt of a case logged twice would count one answer twice; several
        # variants of one attribute value in a case (two female names) are fine
        variant = "variant_id" if "variant_id" in df.columns else o.prompt_column
        if variant in df.columns:
            key = df[case].astype(str) + "\x1f" + df[variant].astype(str)
            if key.duplicated().any():
                dup = int(key.duplicated().sum())
                raise InputError(
                    f"interactions: {dup} row(s) repeat a (case, {variant}) already logged: "
                    "each variant of a base case must appear once"
                )


def _joint(df: pd.DataFrame, attrs: Sequence[str]) -> pd.Series:
    out = df[attrs[0]].astype("string").fillna("(missing)")
    for a in attrs[1:]:
        out = out + " × " + df[a].astype("string").fillna("(missing)")
    return out.astype(str)


def load_interactions(ctx: Context, o: ReadOptions) -> Interactions:
    """Read the table contract from ``ctx.dataset`` and extract decisions (once per unique
    answer)."""
    import numpy as np
    import pandas as pd

    from .decisions import extract

    validate_interactions(ctx, o)
    df = ctx.dataset
    attrs = _attributes(ctx, o)
    case = _column(df, o.case_column, "case_column", False)
    resp = df[o.response_column]
    excl_col = _column(df, o.excluded_column, "excluded_column", False)
    excluded = (
        df[excl_col].astype("string").str.strip().mask(lambda s: s.eq(""))
        if excl_col is not None
        else pd.Series(pd.NA, index=df.index, dtype="string")
    )
    no_answer = resp.isna() | excluded.notna()
    excluded = excluded.where(~no_answer | excluded.notna(), "no_response")
    texts = resp.astype("string")
    frame = pd.DataFrame(index=df.index)
    frame["case"] = df[case].astype(str) if case is not None else None
    frame["group"] = _joint(df, attrs)
    for a in attrs:
        frame[a] = df[a].astype("string").fillna("(missing)").astype(str)
    frame["excluded"] = excluded.where(no_answer, None).astype(object)
    frame["length"] = texts.str.len().astype(float).where(~no_answer, np.nan)
    if o.decision_column is not None or o.score_column is not None:
        status = pd.Series("parsed", index=df.index, dtype=object)
        outcome = (
            df[o.decision_column].astype("string").str.strip().str.lower()
            if o.decision_column is not None
            else pd.Series(pd.NA, index=df.index, dtype="string")
        )
        score = (
            pd.to_numeric(df[o.score_column], errors="coerce")
            if o.score_column is not None
            else pd.Series(np.nan, index=df.index)
        )
        empty = outcome.isna() & score.isna()
        status[empty] = "unparseable"
        # a missing decision on an answered row may be a refusal: judge the answer text
        from .decisions import is_refusal

        patterns = [re.compile(p, re.IGNORECASE) for p in o.refusal_patterns]
        for idx in df.index[empty & ~no_answer]:
            if is_refusal(str(texts[idx]), patterns):
                status[idx] = "refusal"
        status[no_answer] = "excluded"
        frame["outcome"] = outcome.astype(object).where(outcome.notna(), None)
        frame["score"] = score.astype(float)
    else:
        extractor = extractor_from_spec(o.extract)
        uniq = pd.unique(texts[~no_answer].astype(str))
        decided = extract(list(uniq), extractor, refusal_patterns=o.refusal_patterns)
        lookup = dict(zip(uniq, decided, strict=True))
        answered = texts.astype(object).where(~no_answer, None)
        statuses: list[str] = []
        outcomes: list[str | None] = []
        scores: list[float] = []
        for t in answered:
            if t is None:
                statuses.append("excluded")
                outcomes.append(None)
                scores.append(np.nan)
                continue
            d = lookup[str(t)]
            statuses.append(d.status)
            outcomes.append(d.outcome.lower() if d.outcome is not None else None)
            scores.append(np.nan if d.score is None else float(d.score))
        status = pd.Series(statuses, index=df.index, dtype=object)
        frame["outcome"] = pd.Series(outcomes, index=df.index, dtype=object)
        frame["score"] = pd.Series(scores, index=df.index, dtype=float)
    frame["status"] = status
    parsed = frame["status"].eq("parsed")
    has_outcome = frame["outcome"].notna() & parsed
    positive: str | None = None
    if has_outcome.any():
        mode = "selection"
        positive = _positive(frame.loc[has_outcome, "outcome"], o, ctx)
        sel = frame["outcome"].astype("string").str.lower().eq(positive or "")
        frame["selected"] = np.where(has_outcome, sel.fillna(False).astype(float), np.nan)
    elif (frame["score"].notna() & parsed).any():
        mode = "scoring"
        cut = float(np.nanmedian(frame.loc[parsed, "score"]))
        frame["selected"] = np.where(
            parsed & frame["score"].notna(), (frame["score"] > cut).astype(float), np.nan
        )
    else:
        mode = "selection"
        frame["selected"] = np.nan
    return Interactions(
        frame=frame,
        attributes=attrs,
        paired=case is not None,
        positive=positive,
        mode=mode,
        sidecar=read_sidecar(ctx.dataset_info.path if ctx.dataset_info is not None else None),
    )


def case_rates(
    cases: Iterable[Any],
    groups: Iterable[Any],
    values: np.ndarray,
    names: Sequence[str],
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Per (case, group): the sum ``k`` and the count ``n`` of the non-missing ``values``, as two
    ``(cases, groups)`` matrices (groups in ``names`` order) and the case ids."""
    import pandas as pd

    case_list = [str(c) for c in cases]
    frame = pd.DataFrame({"case": case_list, "group": list(groups), "v": values})
    frame = frame[frame["v"].notna() & frame["group"].isin(list(names))]
    case_ids = list(dict.fromkeys(case_list))
    grouped = frame.groupby(["case", "group"], sort=False)["v"]
    k = grouped.sum().unstack().reindex(index=case_ids, columns=list(names)).fillna(0.0)
    n = grouped.count().unstack().reindex(index=case_ids, columns=list(names)).fillna(0.0)
    return k.to_numpy(dtype=float), n.to_numpy(dtype=float), case_ids


def interactions_rows(
    records: Sequence[Mapping[str, Any]], run: GenerationRun
) -> list[dict[str, Any]]:
    """The logged-interactions rows of a generation run: each prompt row (a suite record) with
    ``response`` (None when excluded) and ``excluded`` (the reason, or None), in order; nothing
    dropped. ``auditor generate`` writes exactly these rows."""
    from .endpoint import ChatResponse

    if len(records) != len(run.results):
        raise ValueError(f"{len(records)} prompt rows for {len(run.results)} results")
    rows = []
    for row, result in zip(records, run.results, strict=True):
        if isinstance(result, ChatResponse):
            rows.append({**row, "response": result.content, "excluded": None})
        else:
            rows.append({**row, "response": None, "excluded": result.reason})
    return rows


def interactions_frame(suite: Suite, run: GenerationRun) -> pd.DataFrame:
    """A live run as the table GEN001/GEN002 audit (``auditor.api.audit(frame, sensitive=...,
    policy="generative")``): the suite's records with the run's answers, in suite order.

    ``run`` comes from ``ChatClient(...).run(suite.requests())`` or, for a Python callable
    ``generate(list[str]) -> list[str]``, from ``CallableGenerator(generate).run_prompts(
    [v.prompt for v in suite], system=suite.system)``."""
    import pandas as pd

    frame: pd.DataFrame = pd.DataFrame(interactions_rows(suite.records(), run))
    return frame


def shared_interactions(ctx: Context, o: ReadOptions) -> Interactions:
    """:func:`load_interactions` once per run for every check that reads the table the same way
    (GEN001 and GEN002 with the same reading options share one extraction)."""
    import dataclasses

    base = ReadOptions(**{f.name: getattr(o, f.name) for f in dataclasses.fields(ReadOptions)})
    return ctx.measure(f"generative.interactions:{base!r}", lambda: load_interactions(ctx, base))
