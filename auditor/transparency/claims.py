"""Cross-checks: what the card claims against what the audit measured. Pure functions over plain values,
so each rule is tested with numbers fed directly; the TRN2xx checks feed them from the context."""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .document import Document
from .metrics import FAIRNESS_METRICS, GROUP_COLUMNS, canonical_metric
from .placeholders import PRESENT, assess_field
from .wording import OPERATOR_WORDS, document_name, metric_phrase, number, numbers

__all__ = [
    "Claim",
    "Item",
    "check_fairness",
    "check_metrics",
    "items",
    "norm",
    "version_from_filename",
]

CONSISTENT, CONTRADICTED, UNVERIFIABLE = "consistent", "contradicted", "unverifiable"


@dataclass(frozen=True)
class Item:
    """One claim as written: its value, where it is (``card:README.md:14``) and how it was written."""

    value: Any
    location: str
    source: str
    key_locations: Mapping[str, str] = dataclasses.field(default_factory=dict)

    def at(self, key: str) -> str:
        """Location of one key of a mapping item (``card:model_card.yaml:33`` for its sha256)."""
        return self.key_locations.get(key, self.location)


@dataclass(frozen=True)
class Claim:
    """The verdict on one claim: ``status`` consistent, contradicted or unverifiable (with why).

    ``message`` is the technical reading (subject, location, difference: the ``claims`` table's
    ``detail``); ``headline`` the plain sentence a finding leads with (contradicted claims);
    ``relates_to`` the locations of what the claim is about (``feature:sex``, ``column:email``),
    so the runner links the finding to the other checks' findings there."""

    kind: str
    field: str
    subject: str
    status: str
    claimed: Any
    measured: Any
    location: str
    message: str
    evidence: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    headline: str = ""
    relates_to: tuple[str, ...] = ()

    def row(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "subject": self.subject,
            "status": self.status,
            "claimed": self.claimed,
            "measured": self.measured,
            "location": self.location,
            "detail": self.message,
        }


def items(docs: Sequence[Document], key: str) -> list[Item]:
    """Every filled-in value of ``key`` across the documents, list values flattened with their own lines."""
    out: list[Item] = []
    for doc in docs:
        for fv in doc.values(key):
            if assess_field(fv).status != PRESENT:
                continue
            if (
                fv.confidence == "low"
            ):  # a sentence the extractor guessed at is no claim to cross-check
                continue
            if isinstance(fv.value, list):
                for i, v in enumerate(fv.value):
                    line = (
                        fv.item_lines[i] if i < len(fv.item_lines) and fv.item_lines[i] else fv.line
                    )
                    keys = fv.item_key_lines[i] if i < len(fv.item_key_lines) else {}
                    where = {k: doc.location(n) for k, n in keys.items()}
                    out.append(Item(v, doc.location(line), fv.source, where))
            else:
                out.append(Item(fv.value, doc.location(fv.line), fv.source))
    return out


def norm(text: Any) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(text).strip().lower()).strip("_")


_FEATURE_SEP = re.compile(r"\s*(?:×|\s+x\s+|\+|&|,|\s+and\s+)\s*", re.IGNORECASE)
_GROUP_SEP = re.compile(r"\s*(?:×|\s+x\s+|\+|\s&\s|,\s)\s*")


def _parts(feature: Any) -> list[str]:
    if isinstance(feature, (list, tuple)):
        return [norm(f) for f in feature]
    return [norm(f) for f in _FEATURE_SEP.split(str(feature)) if norm(f)]


def feature_key(feature: Any) -> str:
    """One spelling for a feature or an intersection: ``sex×race``, ``race x sex``, ``[sex, race]``
    and ``sex & race`` are the same intersection (its parts, normalised and sorted)."""
    return "×".join(sorted(_parts(feature)))


def group_key(feature: Any, group: Any, canonical: bool = False) -> str:
    """One spelling for a group of ``feature``: for an intersection the per-part values, keyed by
    part (``{sex: F, race: Black}``, ``F×Black`` or ``F, Black`` in the claim's feature order).
    ``canonical`` rows (the fairness tables) separate values with ``×`` only."""
    parts = _parts(feature)
    if len(parts) < 2:
        return norm(group)
    if isinstance(group, Mapping):
        values = {norm(k): norm(v) for k, v in group.items()}
    else:
        pieces = str(group).split("×") if canonical else _GROUP_SEP.split(str(group))
        if len(pieces) != len(parts):
            return norm(group)
        values = dict(zip(parts, (norm(v) for v in pieces), strict=True))
    return "|".join(f"{k}={values.get(k, '')}" for k in sorted(parts))


def _float(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        out = float(str(value).strip().rstrip("%"))
    except ValueError:
        return None
    return out if math.isfinite(out) else None


def _as_fraction(claimed: float, measured: float, metric: str) -> tuple[float, str]:
    """Cards often write 91.0 for 0.91: read values in (1, 100] as percent for [0, 1] metrics."""
    bounded = metric != "brier" and 0.0 <= measured <= 1.0
    if bounded and 1.0 < claimed <= 100.0:
        return claimed / 100.0, "read as a percentage"
    return claimed, ""


def _compare(
    kind: str, fld: str, subject: str, item: Item, claimed: float, measured: float, tolerance: float,
    metric: str, ci: tuple[float | None, float | None] = (None, None), operator: str = "==",
    extra: Mapping[str, Any] | None = None, about: str = "", basis: str = "",
    relates_to: tuple[str, ...] = (),
) -> Claim:  # fmt: skip
    """``about`` names the subject in words (`` for the Female group (sex)``), ``basis`` what the
    measurement rests on (`` on 2,000 rows``); both go into the headline."""
    value, note = _as_fraction(claimed, measured, metric)
    diff = measured - value
    lo, hi = ci
    if lo is not None and hi is not None and note:
        lo, hi = _as_fraction(lo, measured, metric)[0], _as_fraction(hi, measured, metric)[0]
    eps = 1e-9
    if operator in (">=", ">"):
        ok = measured >= value - eps if operator == ">=" else measured > value
    elif operator in ("<=", "<"):
        ok = measured <= value + eps if operator == "<=" else measured < value
    elif lo is not None and hi is not None:
        ok = lo - tolerance - eps <= measured <= hi + tolerance + eps
    else:
        ok = abs(diff) <= tolerance + eps
    # the value as the card writes it; a percentage says how it was read
    written = f"{claimed:g} (read as {claimed:g}%)" if note else f"{value:.4g}"
    shown = f"{operator} {written}" if operator != "==" else written
    evidence = {
        "claimed": claimed,
        **({"claimed_fraction": value} if note else {}),
        "measured": round(measured, 6),
        "difference": round(diff, 6),
        "tolerance": tolerance,
        "operator": operator,
        **({"claimed_ci": list(ci)} if ci[0] is not None and ci[1] is not None else {}),
        **({"claimed_ci_fraction": [lo, hi]} if note and lo is not None else {}),
        **({"note": note} if note else {}),
        **(extra or {}),
    }
    if ok:
        msg = f"card claims {subject} {shown}; measured {measured:.4g}: consistent"
        return Claim(
            kind,
            fld,
            subject,
            CONSISTENT,
            claimed,
            round(measured, 6),
            item.location,
            msg,
            evidence,
        )
    interval = (
        f"[{ci[0]:g}%, {ci[1]:g}%]" if note and ci[0] is not None and ci[1] is not None
        else f"[{lo:.4g}, {hi:.4g}]" if lo is not None and hi is not None else ""
    )  # fmt: skip
    rule = f"outside the claimed interval {interval} ± {tolerance:g}" if lo is not None and operator == "==" \
        else (f"differs by {diff:+.4f}, beyond the tolerance {tolerance:g}" if operator == "==" else "the claim does not hold")  # fmt: skip
    msg = f"card claims {subject} {shown} ({item.location}) but the audit measured {measured:.4g}: {rule}"
    said, got = numbers(value, measured)
    said = f"{claimed:g}%" if note else said
    plain = f"{OPERATOR_WORDS.get(operator, '')}{said}"
    if lo is not None and hi is not None and operator == "==":
        shown_ci = f"{ci[0]:g}%–{ci[1]:g}%" if note else f"{number(lo)}–{number(hi)}"
        plain += f" (interval {shown_ci})"
        tail = f", outside that interval (tolerance {tolerance:g})"
    else:
        tail = f" (tolerance {tolerance:g})" if operator == "==" else ""
    headline = (
        f"The {document_name(item.location)} claims {metric_phrase(metric)} of {plain}{about}; "
        f"the audit measured {got}{basis}{tail}."
    )
    return Claim(
        kind, fld, subject, CONTRADICTED, claimed, round(measured, 6), item.location, msg, evidence,
        headline, relates_to,
    )  # fmt: skip


def _unverifiable(kind: str, fld: str, subject: str, item: Item, claimed: Any, why: str) -> Claim:
    return Claim(kind, fld, subject, UNVERIFIABLE, claimed, None, item.location,
                 f"card claims {subject} = {claimed}; cannot verify: {why}")  # fmt: skip


def _not_a_number(kind: str, fld: str, subject: str, item: Item, value: Any) -> Claim:
    return _unverifiable(
        kind, fld, subject, item, value, f"the claimed value {value!r} is not a number"
    )


def split_slice(text: Any, rows: Sequence[Mapping[str, Any]]) -> tuple[str, str] | None:
    """``sex_Female`` (a Model Card Toolkit slice written feature_value) -> ``("sex", "Female")`` when
    ``sex`` is an audited sensitive feature of ``rows``; the longest feature name wins."""
    t = norm(text)
    for feature in sorted({str(r.get("feature")) for r in rows}, key=len, reverse=True):
        f = norm(feature)
        if f and t.startswith(f"{f}_") and len(t) > len(f) + 1:
            rest = t[len(f) + 1 :]
            group = next((str(r.get("group")) for r in rows if norm(r.get("feature")) == f
                          and norm(r.get("group")) == rest), None)  # fmt: skip
            if group is not None:
                return feature, group
    return None


def _group_match(
    rows: Sequence[Mapping[str, Any]], feature: Any, group: Any
) -> list[Mapping[str, Any]]:
    if feature is None:
        g = norm(group)
        out = [r for r in rows if norm(r.get("group")) == g]
    else:
        f, g = feature_key(feature), group_key(feature, group)
        out = [
            r
            for r in rows
            if feature_key(r.get("feature")) == f
            and group_key(r.get("feature"), r.get("group"), canonical=True) == g
        ]
    if not out and feature is None and (split := split_slice(group, rows)) is not None:
        return _group_match(rows, *split)
    return out


def _spaced(text: Any) -> str:
    return " × ".join(str(text).split("×"))


def _about_group(row: Mapping[str, Any]) -> str:
    """`` for the Female group (sex)``; `` for the Female × Asian group (sex × race)``."""
    return f" for the {_spaced(row.get('group'))} group ({_spaced(row.get('feature'))})"


def _int(value: Any) -> int | None:
    v = _float(value)
    return round(v) if v is not None else None


def _group_basis(row: Mapping[str, Any], metric: str) -> str:
    """What a per-group measurement rests on: `` on the 146 rows of that group with a positive
    label`` for a true positive rate, `` on the 301 rows of that group`` for a selection rate."""
    n, base = _int(row.get("n")), _float(row.get("base_rate"))
    if n is None:
        return ""
    if metric in ("tpr", "fnr") and base is not None:
        return f" on the {round(n * base):,} rows of that group with a positive label"
    if metric in ("fpr", "tnr") and base is not None:
        return f" on the {round(n * (1 - base)):,} rows of that group with a negative label"
    selected = _int(row.get("selected"))
    if metric == "precision" and selected is not None:
        return f" on the {selected:,} rows of that group the model selected"
    return f" on the {n:,} rows of that group"


def _feature_rows(groups: Sequence[Mapping[str, Any]], feature: Any) -> list[Mapping[str, Any]]:
    f = feature_key(feature)
    return [r for r in groups if feature_key(r.get("feature")) == f]


def _feature_basis(rows: Sequence[Mapping[str, Any]], metric: str, measured: float) -> str:
    """`` for the Female group against the Male group (962 and 1,038 rows)`` for a feature's
    impact ratio (its lowest group); `` across 2 groups (2,000 rows)`` otherwise."""
    if metric == "impact_ratio":
        low = next((r for r in rows if _float(r.get("impact_ratio")) == measured), None)
        ref_name = low.get("reference_group") if low is not None else None
        ref = next((r for r in rows if r.get("group") == ref_name), None)
        if low is not None and ref is not None and low is not ref:
            return (
                f" for the {_spaced(low.get('group'))} group against the "
                f"{_spaced(ref.get('group'))} group ({_int(low.get('n')) or 0:,} and "
                f"{_int(ref.get('n')) or 0:,} rows)"
            )
    total = sum(_int(r.get("n")) or 0 for r in rows)
    return f" across {len(rows)} groups ({total:,} rows)" if rows else ""


def _feature_location(groups: Sequence[Mapping[str, Any]], feature: Any) -> tuple[str, ...]:
    """``feature:sex×race_ethnicity``: the fairness findings' location of a claimed feature,
    spelled as the audit's group table spells it."""
    f = feature_key(feature)
    name = next((r.get("feature") for r in groups if feature_key(r.get("feature")) == f), None)
    return (f"feature:{name}",) if name is not None else ()


def check_metrics(
    overall_items: Iterable[Item],
    group_items: Iterable[Item],
    overall: Mapping[str, float | None],
    groups: Sequence[Mapping[str, Any]],
    tolerance: float,
    rows: int | None = None,
) -> list[Claim]:
    """Card results (overall and by group) vs the metrics measured on the audit data; ``rows``:
    how many rows the overall metrics were measured on (for the headline)."""
    out: list[Claim] = []
    for item in overall_items:
        row = item.value if isinstance(item.value, Mapping) else {}
        item = Item(item.value, item.at("value"), item.source)  # point at the claimed value
        metric = canonical_metric(str(row.get("metric", "")))
        claimed = _float(row.get("value"))
        label = str(row.get("metric", "?"))
        if claimed is None:
            out.append(_not_a_number("metrics", "results.overall", label, item, row.get("value")))
            continue
        if metric is None or metric not in overall:
            out.append(_unverifiable("metrics", "results.overall", label, item, claimed,
                                     "auditor does not measure this metric"))  # fmt: skip
            continue
        measured = overall.get(metric)
        if measured is None or not math.isfinite(measured):
            out.append(_unverifiable("metrics", "results.overall", metric, item, claimed,
                                     f"{metric} could not be measured on the audit data (missing target or scores?)"))  # fmt: skip
            continue
        ci = (_float(row.get("ci_low")), _float(row.get("ci_high")))
        extra = {k: row[k] for k in ("dataset", "split", "revision") if row.get(k) is not None}
        basis = f" on {rows:,} rows" if rows is not None else ""
        out.append(_compare("metrics", "results.overall", metric, item, claimed, float(measured),
                            tolerance, metric, ci, extra=extra, basis=basis))  # fmt: skip
    for item in group_items:
        row = item.value if isinstance(item.value, Mapping) else {}
        item = Item(item.value, item.at("value"), item.source)  # point at the claimed value
        metric = canonical_metric(str(row.get("metric", "")))
        claimed = _float(row.get("value"))
        name, feature, group = metric or row.get("metric"), row.get("feature"), row.get("group")
        subject = f"{name} for {feature}={group}" if feature else f"{name} for group {group}"
        if claimed is None:
            out.append(
                _not_a_number("metrics", "results.by_group", subject, item, row.get("value"))
            )
            continue
        if metric not in GROUP_COLUMNS:
            out.append(_unverifiable("metrics", "results.by_group", subject, item, claimed,
                                     "auditor does not measure this metric per group"))  # fmt: skip
            continue
        matches = _group_match(groups, row.get("feature"), row.get("group"))
        if len(matches) != 1:
            why = "no such group among the audited sensitive features" if not matches else \
                "the group name is ambiguous: give its feature"  # fmt: skip
            out.append(_unverifiable("metrics", "results.by_group", subject, item, claimed, why))
            continue
        measured = _float(matches[0].get(metric))
        if measured is None:
            out.append(_unverifiable("metrics", "results.by_group", subject, item, claimed,
                                     f"{metric} is undefined for this group (too few rows or 0/0)"))  # fmt: skip
            continue
        ci = (_float(row.get("ci_low")), _float(row.get("ci_high")))
        m = matches[0]
        out.append(_compare("metrics", "results.by_group", subject, item, claimed, measured, tolerance,
                            metric, ci, extra={"feature": m.get("feature"), "group": m.get("group"),
                                               "n": m.get("n")},
                            about=_about_group(m), basis=_group_basis(m, metric),
                            relates_to=(f"feature:{m.get('feature')}",)))  # fmt: skip
    return out


def _feature_values(groups: Sequence[Mapping[str, Any]], feature: Any, column: str) -> list[float]:
    f = feature_key(feature)
    vals = [_float(r.get(column)) for r in groups if feature_key(r.get("feature")) == f]
    return [v for v in vals if v is not None]


def measured_fairness(
    metric: str, groups: Sequence[Mapping[str, Any]], feature: Any, group: Any
) -> float | None:
    """The measured value a fairness claim refers to (None when it cannot be derived)."""
    if group is not None and metric in GROUP_COLUMNS:
        m = _group_match(groups, feature, group)
        return _float(m[0].get(metric)) if len(m) == 1 else None
    if metric == "impact_ratio":
        vals = _feature_values(groups, feature, "impact_ratio")
        return min(vals) if vals else None
    sr = _feature_values(groups, feature, "selection_rate")
    if metric == "demographic_parity_ratio":
        return (min(sr) / max(sr)) if sr and max(sr) > 0 else None
    if metric == "demographic_parity_difference":
        return (max(sr) - min(sr)) if sr else None
    tpr = _feature_values(groups, feature, "tpr")
    if metric == "equal_opportunity_difference":
        return (max(tpr) - min(tpr)) if tpr else None
    if metric == "equalized_odds_difference":
        fpr = _feature_values(groups, feature, "fpr")
        return max(max(tpr) - min(tpr), max(fpr) - min(fpr)) if tpr and fpr else None
    return None


def check_fairness(
    claim_items: Iterable[Item], groups: Sequence[Mapping[str, Any]], tolerance: float
) -> list[Claim]:
    """Fairness claims (``fairness.claims``: metric, feature, optional group, value, operator) vs the
    measured group table. A feature-level impact ratio is the lowest group's (the EEOC/LL144 reading)."""
    out: list[Claim] = []
    features = {feature_key(r.get("feature")) for r in groups}
    for item in claim_items:
        row = item.value if isinstance(item.value, Mapping) else {}
        item = Item(item.value, item.at("value"), item.source)  # point at the claimed value
        metric = canonical_metric(str(row.get("metric", ""))) or str(row.get("metric", ""))
        claimed = _float(row.get("value"))
        feature, group = row.get("feature"), row.get("group")
        op = str(row.get("operator") or "==").strip()
        op = {"=": "==", "≥": ">=", "≤": "<=", "at least": ">=", "at most": "<="}.get(op, op)
        if group is None and feature is not None and feature_key(feature) not in features:
            split = split_slice(feature, groups)  # an MCT slice such as "sex_Female"
            feature, group = split if split is not None else (feature, group)
        subject = f"{metric} for {feature}" + (f"={group}" if group is not None else "")
        if claimed is None:
            out.append(
                _not_a_number("fairness", "fairness.claims", subject, item, row.get("value"))
            )
            continue
        if op not in ("==", ">=", "<=", ">", "<"):
            out.append(_unverifiable("fairness", "fairness.claims", subject, item, claimed,
                                     f"unknown operator {op!r} (use ==, >=, <=, > or <)"))  # fmt: skip
            continue
        if metric not in FAIRNESS_METRICS and metric not in GROUP_COLUMNS:
            out.append(_unverifiable("fairness", "fairness.claims", subject, item, claimed,
                                     "auditor does not measure this fairness metric"))  # fmt: skip
            continue
        if feature is None or feature_key(feature) not in features:
            out.append(_unverifiable("fairness", "fairness.claims", subject, item, claimed,
                                     f"feature {feature!r} was not audited (add it to the sensitive features)"))  # fmt: skip
            continue
        measured = measured_fairness(metric, groups, feature, group)
        if measured is None:
            out.append(_unverifiable("fairness", "fairness.claims", subject, item, claimed,
                                     "not measurable from the group table (undefined rates or unknown group)"))  # fmt: skip
            continue
        match = _group_match(groups, feature, group) if group is not None else []
        if len(match) == 1 and metric in GROUP_COLUMNS:
            about, basis = _about_group(match[0]), _group_basis(match[0], metric)
        else:
            about = f" for {_spaced(_feature_location(groups, feature)[0][8:])}"
            basis = _feature_basis(_feature_rows(groups, feature), metric, measured)
        out.append(_compare("fairness", "fairness.claims", subject, item, claimed, measured, tolerance,
                            metric, operator=op, extra={"feature": feature, "group": group},
                            about=about, basis=basis,
                            relates_to=_feature_location(groups, feature)))  # fmt: skip
    return out


def version_from_filename(name: str) -> str | None:
    """``screener-v2.1.onnx`` -> ``2.1``."""
    m = re.search(r"(?:^|[-_.])v?(\d+(?:\.\d+){1,3})(?=\.[A-Za-z]+$|$)", name)
    return m.group(1) if m else None
