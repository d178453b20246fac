"""NYC Local Law 144 public bias-audit summary (HTML and Markdown) from the ``nyc-ll144`` results.

6 RCNY §5-303 asks the published summary for: the date of the most recent audit, the source and
explanation of the data, the number of individuals in an unknown category, the number of
applicants, selection (or scoring) rates and impact ratios for every category, and the AEDT's
distribution date. Categories excluded under the <2% option (§5-301(d)) are listed with their
number of applicants, rate and the auditor's justification.

Values come first from the FAIR003 ``ll144_summary`` table (the fields the check used and
measured: audit date, data source and its explanation, distribution date, data type,
unknown-category count, assessed individuals), then ``subject.metadata.ll144`` (also ``employer``,
``aedt``, ``auditor``, ``data_period``), then top-level ``subject.metadata`` keys, then the options
of the LL144 checks. Each field also accepts the aliases in :data:`ALIASES` (``data_source_explanation``
for ``data_explanation``, ``aedt_distribution_date`` for ``distribution_date``, ...). Without an
``aedt`` key the tool is named from the model card (name and version) when the report has it.

Nothing required is invented: when a field of :data:`REQUIRED_FIELDS` (``test_data_explanation``
too for test data) is missing, the summary is refused with a :class:`UsageError` naming every
missing field and where to set it, unless it is rendered as a draft (``draft=True``, or inside
:func:`ll144_draft`, which is what ``--draft`` does): then "DRAFT — not for publication" is on
every page and each missing field reads "MISSING (required by 6 RCNY §5-303)".

Each table states its reference: the category with the highest rate among categories of at
least ``min_group_size`` applicants (FAIR003's option, the same rule as the main report), and
reads in one line how many categories have an impact ratio below the flag threshold (0.80: the
EEOC four-fifths rule of thumb, information, not a verdict: LL144 sets no pass mark). Rates print
as percentages with one decimal, impact ratios with three decimals (computed from unrounded
rates), counts with thousands separators. The data engine (and any approximation it made) is
stated at the foot of the summary.
"""

from __future__ import annotations

import contextlib
import contextvars
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..ll144 import OPTION_FIELDS, REQUIRED_FIELDS, missing_summary_fields
from ._jinja import environment, render_template
from .view import engine_view

__all__ = [
    "DRAFT_MARK",
    "LL144_FIELDS",
    "LL144_FORMATS",
    "check_ll144_formats",
    "is_ll144_check",
    "ll144_available",
    "ll144_draft",
    "ll144_missing",
    "ll144_needs",
    "ll144_view",
    "render_ll144_html",
    "render_ll144_md",
]

LL144_FIELDS = (
    "audit_date", "employer", "aedt", "auditor", "data_type", "data_source", "data_explanation",
    "test_data_explanation", "data_period", "distribution_date", "unknown_count", "applicants",
)  # fmt: skip
#: fields of the FAIR003 ``ll144_summary`` table (what the check itself used) -> summary keys
SUMMARY_TABLE = {"unknown_category": "unknown_count", "assessed_individuals": "applicants"}
#: summary field -> every metadata key accepted for it, in order of preference
ALIASES: dict[str, tuple[str, ...]] = {
    "audit_date": ("audit_date", "bias_audit_date"),
    "employer": ("employer", "employer_name", "employment_agency"),
    "aedt": ("aedt", "aedt_name", "tool_name"),
    "auditor": ("auditor", "independent_auditor", "auditor_name"),
    "data_source": ("data_source", "data_source_description"),
    "data_explanation": ("data_explanation", "data_source_explanation"),
    "distribution_date": ("distribution_date", "aedt_distribution_date"),
}
PACK = "nyc-ll144"
MISSING = {"(missing)", "unknown", "(unknown)", "not disclosed", "declined"}
TITLES = {"sex": "Sex", "gender": "Sex", "race": "Race/Ethnicity", "ethnicity": "Race/Ethnicity",
          "race_ethnicity": "Race/Ethnicity", "race/ethnicity": "Race/Ethnicity"}  # fmt: skip
DRAFT_MARK = "DRAFT — not for publication"
#: the rule that requires each field (the text after "MISSING" in a draft)
REQUIRED_BY = {"test_data_explanation": "6 RCNY §5-302, §5-303"}
DEFAULT_FLAG = 0.8

_DRAFT: contextvars.ContextVar[bool] = contextvars.ContextVar("ll144_draft", default=False)


@contextlib.contextmanager
def ll144_draft(on: bool = True) -> Iterator[None]:
    """Render every LL144 summary inside the block as a draft (``--draft``): the renderers are
    called through :func:`auditor.render.write_all` / ``render_bytes``, which take no options."""
    token = _DRAFT.set(bool(on))
    try:
        yield
    finally:
        _DRAFT.reset(token)


def is_ll144_check(check_id: str, name: str) -> bool:
    """FAIR003 ll144-bias-audit, or a plugin check named ``*ll144*``."""
    return check_id == "FAIR003" or "ll144" in name.lower()


def _is_ll144(result: Mapping[str, Any]) -> bool:
    keys = [*(result.get("options") or {}), *(result.get("tables") or {}), str(result.get("name"))]
    return any("ll144" in str(k).lower() for k in keys)


def _results(data: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    with_groups = [
        r
        for r in data.get("results", [])
        if r.get("status") not in ("skipped", "errored") and (r.get("tables") or {}).get("groups")
    ]
    marked = [r for r in with_groups if _is_ll144(r)]
    if marked:
        return marked
    packs = {p.get("name") for p in (data.get("policy") or {}).get("packs", [])}
    return with_groups if PACK in packs else []


def ll144_available(data: Mapping[str, Any]) -> bool:
    return bool(_results(data))


LL144_FORMATS = ("ll144-html", "ll144-md")


def ll144_needs(missing: Sequence[str], rerun: bool = False) -> str:
    """``the LL144 summary needs audit_date, distribution_date (set them under metadata: in the
    audit config, or as FAIR003 options)``: the missing fields and where each can be set."""
    them = "it" if len(missing) == 1 else "them"
    where = f"set {them} under metadata: in the audit config"
    as_option = [f for f in missing if f in OPTION_FIELDS]
    plural = "s" if len(as_option) > 1 else ""
    if as_option and len(as_option) == len(missing):
        where += ", or as FAIR003 options" if plural else ", or as a FAIR003 option"
    elif as_option:
        where += f", or {', '.join(as_option)} as FAIR003 option{plural}"
    if rerun:
        where += ", and run the audit again"
    return f"the LL144 summary needs {', '.join(missing)} ({where})"


def _merged_options(options: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The LL144 checks' options as one mapping: for each key the first value that is given."""
    out: dict[str, Any] = {}
    for opts in options:
        for key, value in opts.items():
            if out.get(key) in (None, "") and value not in (None, ""):
                out[key] = value
    return out


def check_ll144_formats(
    formats: Sequence[str],
    planned: Iterable[tuple[str, str]],
    policy: str,
    *,
    metadata: Mapping[str, Any] | None = None,
    options: Mapping[str, Mapping[str, Any]] | None = None,
    draft: bool = False,
) -> None:
    """Plan-time: refuse ``ll144-*`` formats (exit 2, before anything runs) when no planned check
    produces LL144 results (FAIR003 ll144-bias-audit, or a plugin named ``*ll144*``), or, unless
    ``draft``, when a field the published summary requires is in neither ``metadata`` (the audit
    config's) nor the LL144 checks' ``options`` (check id -> options of the planned checks).
    ``planned`` holds the ``(check id, check name)`` of every check the policy will run."""
    asked = [f for f in formats if f in LL144_FORMATS]
    if not asked:
        return
    ll144 = [cid for cid, name in planned if is_ll144_check(cid, name)]
    if not ll144:
        raise UsageError(
            f"--format {','.join(asked)}: the NYC LL144 summary needs the FAIR003 ll144-bias-audit "
            f"check, which policy {policy!r} does not run; use --policy nyc-ll144 (or enable "
            "FAIR003 in the policy), or drop these formats"
        )
    if draft or metadata is None:
        return
    opts = _merged_options((options or {}).get(cid) or {} for cid in ll144)
    missing = missing_summary_fields(metadata, opts)
    if missing:
        raise UsageError(f"--format {','.join(asked)}: {ll144_needs(missing)}, or pass --draft")


def _meta(data: Mapping[str, Any], results: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    meta: Mapping[str, Any] = (data.get("subject") or {}).get("metadata") or {}
    raw = meta.get("ll144")
    block: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
    table: dict[str, Any] = {}
    for r in results:
        for row in (r.get("tables") or {}).get("ll144_summary", []):
            key = SUMMARY_TABLE.get(str(row.get("field")), str(row.get("field")))
            if _given(row.get("value")) and key not in table:
                table[key] = row["value"]
    out: dict[str, Any] = {}
    for key in LL144_FIELDS:
        out[key] = None
        for source in (table, block, meta, *[r.get("options") or {} for r in results]):
            found = next(
                (source[k] for k in ALIASES.get(key, (key,)) if _given(source.get(k))), None
            )
            if found is not None:
                out[key] = found
                break
    out["aedt_source"] = None
    if out["aedt"] is None:
        from .document import card_identity

        card = card_identity(data)
        version = meta.get("model_version") or card.get("model.version")
        if card.get("model.name"):
            out["aedt"] = card["model.name"] + (f" {version}" if version else "")
            out["aedt_source"] = "model card"
    cutoff = next(
        (
            (str(k)[len("score_quantile_") :], v)
            for k, v in table.items()
            if str(k).startswith("score_quantile_")
        ),
        None,
    )
    out["score_cutoff"] = cutoff
    return out


def _given(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _missing(meta: Mapping[str, Any]) -> list[str]:
    fields = list(REQUIRED_FIELDS)
    if meta.get("data_type") == "test":
        fields.append("test_data_explanation")
    return [f for f in fields if not _given(meta.get(f))]


def ll144_missing(data: Mapping[str, Any]) -> list[str]:
    """The required summary fields the report does not give (empty: publishable)."""
    results = _results(data)
    return _missing(_meta(data, results)) if results else []


# -- numbers as a reader reads them --------------------------------------------------------------


def _finite(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def pct(value: Any) -> str:
    """A rate as a percentage with one decimal: ``21.8%``; ``—`` when undefined."""
    v = _finite(value)
    return "—" if v is None else f"{v * 100:.1f}%"


def ratio(value: Any) -> str:
    """An impact ratio with three decimals: ``0.617``; ``—`` when undefined."""
    v = _finite(value)
    return "—" if v is None else f"{v:.3f}"


def count(value: Any) -> str:
    """A count with thousands separators: ``2,000`` (weighted counts keep one decimal)."""
    v = _finite(value)
    if v is None:
        return "—"
    return f"{v:,.0f}" if v == int(v) else f"{v:,.1f}"


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


# -- the tables ------------------------------------------------------------------------------------


def _title(feature: str) -> str:
    if "×" in feature:
        return "Intersectional: " + " × ".join(TITLES.get(p.lower(), p) for p in feature.split("×"))
    return TITLES.get(feature.lower(), feature)


def _noun(feature: str) -> str:
    """The dimension in a sentence: ``race/ethnicity``, ``sex or race/ethnicity``."""
    parts = [TITLES.get(p.lower(), p).lower() for p in feature.split("×")]
    return " or ".join(parts)


def _threshold(options: Mapping[str, Any]) -> float:
    v = _finite(options.get("flag_threshold"))
    return DEFAULT_FLAG if v is None else v


def _min_n(options: Mapping[str, Any]) -> int | None:
    v = _finite(options.get("min_group_size"))
    return None if v is None else int(v)


def _reading(cats: Sequence[Mapping[str, Any]], thr: float) -> str:
    """``2 of 7 categories have an impact ratio below 0.80 (the EEOC four-fifths rule of thumb;
    LL144 sets no pass mark).``"""
    rated = [c for c in cats if c["impact_ratio"] is not None]
    below = sum(1 for c in rated if c["flag"])
    why = (
        "the EEOC four-fifths rule of thumb"
        if math.isclose(thr, 0.8)
        else "the flag threshold of this audit"
    )
    text = (
        f"{below} of {len(rated)} {_plural(len(rated), 'category', 'categories')} "
        f"{_plural(below, 'has', 'have')} an impact ratio below {thr:.2f} ({why}; LL144 sets no "
        "pass mark)."
    )
    unrated = len(cats) - len(rated)
    if unrated:
        text += (
            f" {unrated} {_plural(unrated, 'category has', 'categories have')} no impact ratio "
            "(see the table)."
        )
    return text


def _reference_text(cats: Sequence[Mapping[str, Any]], min_n: int | None, rate_word: str) -> str:
    """How the impact ratio of this table was computed: against which category, and why."""
    unit = "applicants"
    ref = next((c for c in cats if c["reference"]), None)
    rule = f"the category with the highest {rate_word}"
    if min_n is not None and min_n > 1:
        rule += f" among categories of at least {min_n:,} {unit}"
    if ref is None:
        if min_n is not None and min_n > 1:
            return (
                f"No impact ratio could be computed: no category has at least {min_n:,} {unit} "
                f"and a defined {rate_word}."
            )
        return f"No impact ratio could be computed: no category has a defined {rate_word}."
    text = (
        f"Impact ratios are computed against {ref['category']} ({rate_word} {ref['rate_text']}, "
        f"{ref['applicants_text']} {unit}): {rule}, from unrounded rates."
    )
    small = (
        [c for c in cats if (_finite(c["applicants"]) or 0.0) < min_n]
        if min_n is not None and min_n > 1
        else []
    )
    if small:
        text += (
            f" {_plural(len(small), 'The category', f'The {len(small)} categories')} with fewer "
            f"than {min_n:,} {unit} ({', '.join(str(c['category']) for c in small)}) "
            f"{_plural(len(small), 'is', 'are')} listed with "
            f"{_plural(len(small), f'its {rate_word} and impact ratio', f'their {rate_word}s and impact ratios')} "
            "but not used as the reference"
        )
        ref_rate = _finite(ref["rate"])
        higher = [
            c for c in small if ref_rate is not None and (_finite(c["rate"]) or 0.0) > ref_rate
        ]
        if higher:
            names = ", ".join(
                f"{c['category']} ({c['applicants_text']} {unit}, {c['rate_text']})" for c in higher
            )
            text += (
                f"; {names} {_plural(len(higher), 'has', 'have')} a higher {rate_word} than the "
                f"reference, hence an impact ratio above 1"
            )
        text += "."
    return text


def _dimension(
    feature: str, rows: Sequence[Mapping[str, Any]], options: Mapping[str, Any]
) -> dict[str, Any]:
    scoring = any(r.get("scoring_rate") is not None for r in rows) and not any(
        r.get("selection_rate") is not None for r in rows
    )
    thr = _threshold(options)
    justification = str(options.get("exclusion_justification") or "").strip()
    total = sum(float(r.get("n") or 0) for r in rows)
    cats: list[dict[str, Any]] = []
    excluded: list[dict[str, Any]] = []
    unknown = 0
    for r in rows:
        group = str(r.get("group"))
        if group.lower() in MISSING:
            unknown += int(r.get("n") or 0)
            continue
        value = _finite(r.get("impact_ratio"))
        rate = r.get("scoring_rate" if scoring else "selection_rate")
        share = _finite(r.get("share"))
        if share is None and total:
            share = float(r.get("n") or 0) / total
        item = {
            "category": group,
            "applicants": r.get("n"),
            "selected": r.get("above_median" if scoring else "selected"),
            "rate": rate,
            "impact_ratio": value,
            "reference": group == r.get("reference_group"),
            "flag": value is not None and value < thr,
            "note": r.get("note"),
            "justification": justification or r.get("note") or None,
            "share_text": "—" if share is None else f"{share * 100:.1f}%",
            "applicants_text": count(r.get("n")),
            "selected_text": count(r.get("above_median" if scoring else "selected")),
            "rate_text": pct(rate),
            "ratio_text": ratio(value),
        }
        (excluded if r.get("excluded") else cats).append(item)
    rate_word = "scoring rate" if scoring else "selection rate"
    return {
        "feature": feature,
        "title": _title(feature),
        "noun": _noun(feature),
        "scoring": scoring,
        "categories": cats,
        "excluded": excluded,
        "unknown": unknown,
        "unknown_text": count(unknown),
        "applicants": sum(int(r.get("n") or 0) for r in rows),
        "threshold": thr,
        "threshold_text": f"{thr:.2f}",
        "below": sum(1 for c in cats if c["flag"]),
        "reading": _reading(cats, thr),
        "reference_text": _reference_text(cats, _min_n(options), rate_word)
        + (
            f" {_plural(len(excluded), 'The category', f'The {len(excluded)} categories')} "
            "excluded under the 2% option (below) "
            f"{_plural(len(excluded), 'has', 'have')} no impact ratio and "
            f"{_plural(len(excluded), 'is', 'are')} not used as the reference."
            if excluded
            else ""
        ),
    }


def _field_rows(
    meta: Mapping[str, Any],
    missing: Sequence[str],
    applicants: Any,
    unknown: Any,
    engine: Mapping[str, Any] | None,
) -> list[dict[str, Any]]:
    """The header table: label, value, and whether a required value is missing (draft only)."""

    def row(label: str, key: str | None, value: Any, note: str = "") -> dict[str, Any]:
        absent = key is not None and key in missing
        if absent:
            value = f"MISSING (required by {REQUIRED_BY.get(key or '', '6 RCNY §5-303')})"
        elif not _given(value):
            value = "not stated"
        return {"label": label, "value": str(value), "missing": absent, "note": note}

    data_type = meta.get("data_type")
    used = {"historical": "historical data", "test": "test data"}.get(
        str(data_type), data_type or "not stated"
    )
    if _given(meta.get("data_period")):
        used = f"{used} ({meta['data_period']})"
    rows = [
        row("Employer or employment agency", None, meta.get("employer")),
        row(
            "Automated employment decision tool",
            None,
            meta.get("aedt"),
            f"from the {meta['aedt_source']}" if meta.get("aedt_source") else "",
        ),
        row("Independent auditor", None, meta.get("auditor")),
        row("Date of the bias audit", "audit_date", meta.get("audit_date")),
        row("Distribution date of the tool", "distribution_date", meta.get("distribution_date")),
        row("Data used", None, used),
        row("Source of the data", "data_source", meta.get("data_source")),
        row("Explanation of the data", "data_explanation", meta.get("data_explanation")),
    ]
    if data_type == "test":
        rows.append(
            row(
                "Why and how the test data were generated",
                "test_data_explanation",
                meta.get("test_data_explanation"),
            )
        )
    rows += [
        row("Number of applicants assessed", None, count(applicants)),
        row("Individuals in an unknown category", None, count(unknown)),
    ]
    cutoff = meta.get("score_cutoff")
    if cutoff is not None:
        q, value = cutoff
        label = (
            "Median score of the full sample"
            if q == "0.5"
            else f"Score cut-off (the {q} quantile of the full sample)"
        )
        v = _finite(value)
        rows.append(row(label, None, f"{v:.4g}" if v is not None else value))
    rows.append(
        row("Data processing engine", None, engine["summary"] if engine else "not recorded")
    )
    return rows


def ll144_view(data: Mapping[str, Any], draft: bool = False, fmt: str = "ll144") -> dict[str, Any]:
    """What the summary templates show; raises :class:`UsageError` naming every missing required
    field unless ``draft``."""
    results = _results(data)
    if not results:
        raise UsageError(
            "this report has no NYC LL144 results (a groups table from the nyc-ll144 pack); "
            "run with --policy nyc-ll144"
        )
    meta = _meta(data, results)
    missing = _missing(meta)
    if missing and not draft:
        raise UsageError(f"--format {fmt}: {ll144_needs(missing, rerun=True)}, or pass --draft")
    by_feature: dict[str, tuple[Mapping[str, Any], list[Mapping[str, Any]]]] = {}
    for r in results:
        seen = set(by_feature)
        for row in r["tables"]["groups"]:
            feature = str(row.get("feature"))
            if feature not in seen:
                by_feature.setdefault(feature, (r.get("options") or {}, []))[1].append(row)
    dims = [_dimension(f, rows, opts) for f, (opts, rows) in by_feature.items()]
    dims.sort(key=lambda d: "×" in d["feature"])  # single attributes first, data order kept
    unknown = meta["unknown_count"]
    if unknown is None:
        unknown = max((d["unknown"] for d in dims), default=0)
    applicants = meta["applicants"]
    if applicants is None:
        applicants = max((d["applicants"] for d in dims), default=0)
    parts = [str(meta[k]).strip() for k in ("data_source", "data_explanation") if meta[k]]
    data_text = " ".join(p if p.endswith((".", "!", "?")) else p + "." for p in parts)
    engine = engine_view(data)
    options = _merged_options(r.get("options") or {} for r in results)
    min_n = _min_n(options)
    scoring = any(d["scoring"] for d in dims)
    rate_word = "scoring rate" if scoring else "selection rate"
    reference_rule = f"the category with the highest {rate_word}" + (
        f" among categories of at least {min_n:,} applicants"
        if min_n is not None and min_n > 1
        else ""
    )
    thresholds = {d["threshold_text"] for d in dims} or {f"{DEFAULT_FLAG:.2f}"}
    return {
        "data": data,
        "meta": meta,
        "data_text": data_text,
        "fields": _field_rows(meta, missing, applicants, unknown, engine),
        "dimensions": dims,
        "unknown": unknown,
        "applicants": applicants,
        "scoring": scoring,
        "rate_word": rate_word,
        "reference_rule": reference_rule,
        "threshold_text": ", ".join(sorted(thresholds)),
        "four_fifths": thresholds == {"0.80"},
        "checks": [r["check"] for r in results],
        "engine": engine,
        "draft": draft,
        "draft_mark": DRAFT_MARK,
        "missing": missing,
    }


def _draft(draft: bool | None) -> bool:
    return _DRAFT.get() if draft is None else draft


def render_ll144_html(
    data: Mapping[str, Any], templates: Path | None = None, *, draft: bool | None = None
) -> str:
    view = ll144_view(data, _draft(draft), "ll144-html")
    return render_template(environment(templates), "ll144.html.j2", **view)


def render_ll144_md(
    data: Mapping[str, Any], templates: Path | None = None, *, draft: bool | None = None
) -> str:
    view = ll144_view(data, _draft(draft), "ll144-md")
    return render_template(environment(templates), "ll144.md.j2", **view)
