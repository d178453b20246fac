"""Inline SVG charts drawn from the report's table contracts (no plotting library, no script).

Every label comes from audited data (group values, column names), so every piece of text goes
through :func:`_esc`; the returned string is safe to embed in HTML as markup. A chart whose table
is absent or has no plottable row returns ``None`` and the template simply shows no chart.

- fairness ``groups`` rows: ``feature, group, selection_rate, impact_ratio, ci_low, ci_high, ...``
- PII ``columns`` rows: ``column, kind, hits, hit_rate, entity_types, ...``
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "FOUR_FIFTHS",
    "impact_ratio_chart",
    "interval_columns",
    "pii_columns_chart",
    "rate_key",
    "selection_rate_chart",
]

FOUR_FIFTHS = 0.8
WIDTH = 640
LABEL_W = 190
RIGHT_PAD = 70
BAR_H = 16
GAP = 6
TOP = 28
MAX_BARS = 40
COLOURS = {"ok": "#2f6f4f", "bad": "#b42318", "na": "#8a8f98", "ref": "#1f4e79"}


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(float(value)) else None


def _label(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def interval_columns(rows: Sequence[Mapping[str, Any]]) -> tuple[str | None, str | None]:
    """Which metric ``ci_low``/``ci_high`` bound: ``("selection_rate", None)``, ``(None, "impact_ratio")``.

    Explicit ``sr_ci_low``/``ir_ci_low`` columns win; otherwise the bounds belong to the metric they
    enclose on every row that has all three values.
    """
    sr = "selection_rate" if any("sr_ci_low" in r for r in rows) else None
    ir = "impact_ratio" if any("ir_ci_low" in r for r in rows) else None
    if sr or ir:
        return sr, ir
    for metric in ("selection_rate", "impact_ratio"):
        seen = False
        ok = True
        for r in rows:
            lo, hi, v = _num(r.get("ci_low")), _num(r.get("ci_high")), _num(r.get(metric))
            if lo is None or hi is None or v is None:
                continue
            seen = True
            if not lo - 1e-9 <= v <= hi + 1e-9:
                ok = False
                break
        if seen and ok:
            return (metric, None) if metric == "selection_rate" else (None, metric)
    return None, None


def rate_key(rows: Sequence[Mapping[str, Any]]) -> str:
    """``selection_rate``, or ``scoring_rate`` for LL144 scoring-mode tables."""
    if any(_num(r.get("selection_rate")) is not None for r in rows):
        return "selection_rate"
    if any(_num(r.get("scoring_rate")) is not None for r in rows):
        return "scoring_rate"
    return "selection_rate"


def _bounds(row: Mapping[str, Any], prefix: str) -> tuple[float | None, float | None]:
    if f"{prefix}_ci_low" in row:
        return _num(row.get(f"{prefix}_ci_low")), _num(row.get(f"{prefix}_ci_high"))
    return _num(row.get("ci_low")), _num(row.get("ci_high"))


def _frame(
    title: str, n_bars: int, axis_max: float, ticks: Sequence[float], desc: str
) -> list[str]:
    height = TOP + n_bars * (BAR_H + GAP) + 30
    plot_w = WIDTH - LABEL_W - RIGHT_PAD
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'font-family="Helvetica, Arial, sans-serif" font-size="11">',
        f"<title>{_esc(title)}</title><desc>{_esc(desc)}</desc>",
        f'<text x="0" y="14" font-size="12" font-weight="bold">{_esc(title)}</text>',
    ]
    base = TOP + n_bars * (BAR_H + GAP)
    for t in ticks:
        x = LABEL_W + plot_w * t / axis_max
        out.append(
            f'<line x1="{x:.1f}" y1="{TOP - 4}" x2="{x:.1f}" y2="{base}" stroke="#e1e4e8"/>'
            f'<text x="{x:.1f}" y="{base + 12}" text-anchor="middle" fill="#57606a">{t:g}</text>'
        )
    return out


def _x(value: float, axis_max: float) -> float:
    plot_w = WIDTH - LABEL_W - RIGHT_PAD
    return LABEL_W + plot_w * max(0.0, min(value, axis_max)) / axis_max


def _hline(x: float, n_bars: int, colour: str, label: str) -> str:
    base = TOP + n_bars * (BAR_H + GAP)
    return (
        f'<line x1="{x:.1f}" y1="{TOP - 6}" x2="{x:.1f}" y2="{base}" stroke="{colour}" '
        f'stroke-width="1.5" stroke-dasharray="4 3"/>'
        f'<text x="{x + 3:.1f}" y="{TOP - 8}" fill="{colour}">{_esc(label)}</text>'
    )


def _plottable(rows: Sequence[Mapping[str, Any]], metric: str) -> list[Mapping[str, Any]]:
    return [r for r in rows if _num(r.get(metric)) is not None and not r.get("excluded")][:MAX_BARS]


def selection_rate_chart(rows: Sequence[Mapping[str, Any]], feature: str) -> str | None:
    """Selection rate per group of ``feature`` with intervals and the four-fifths line."""
    mine = [r for r in rows if str(r.get("feature")) == feature]
    key = rate_key(mine)
    data = _plottable(mine, key)
    if not data:
        return None
    sr_ci, _ = interval_columns([{**r, "selection_rate": r.get(key)} for r in rows])
    rates = [_num(r[key]) or 0.0 for r in data]
    ref = max(rates)
    ref_rows = [r for r in data if r.get("group") == r.get("reference_group")]
    if ref_rows:
        ref = _num(ref_rows[0][key]) or ref
    threshold = FOUR_FIFTHS * ref
    what = key.replace("_", " ")
    title = f"{what.capitalize()} by group: {feature}"
    desc = (
        f"Bars: {what} per group; whiskers: interval; dashed line: 0.80 x reference rate "
        f"({threshold:.3f})."
    )
    out = _frame(title, len(data), 1.0, (0, 0.25, 0.5, 0.75, 1.0), desc)
    for i, r in enumerate(data):
        y = TOP + i * (BAR_H + GAP)
        rate = _num(r[key]) or 0.0
        colour = COLOURS["bad"] if rate < threshold - 1e-12 else COLOURS["ok"]
        if r.get("group") == r.get("reference_group"):
            colour = COLOURS["ref"]
        group = str(r.get("group"))
        out.append(
            f"<g><title>{_esc(group)}: {rate:.3f} (n={_esc(r.get('n', '?'))})</title>"
            f'<text x="{LABEL_W - 6}" y="{y + 12}" text-anchor="end">{_esc(_label(group))}</text>'
            f'<rect x="{LABEL_W}" y="{y}" width="{_x(rate, 1.0) - LABEL_W:.1f}" height="{BAR_H}" '
            f'fill="{colour}"/>'
        )
        if sr_ci:
            lo, hi = _bounds(r, "sr")
            if lo is not None and hi is not None:
                yc = y + BAR_H / 2
                x1, x2 = _x(lo, 1.0), _x(hi, 1.0)
                out.append(
                    f'<path d="M{x1:.1f} {yc - 4}v8M{x1:.1f} {yc}H{x2:.1f}M{x2:.1f} {yc - 4}v8" '
                    f'stroke="#111" fill="none"/>'
                )
        out.append(f'<text x="{WIDTH - RIGHT_PAD + 6}" y="{y + 12}">{rate:.3f}</text></g>')
    out.append(_hline(_x(threshold, 1.0), len(data), COLOURS["bad"], "0.80 × ref"))
    out.append("</svg>")
    return "".join(out)


def impact_ratio_chart(rows: Sequence[Mapping[str, Any]], feature: str) -> str | None:
    """Impact ratio per group of ``feature`` against the 0.80 line (and 1.0)."""
    data = _plottable([r for r in rows if str(r.get("feature")) == feature], "impact_ratio")
    if not data:
        return None
    _, ir_ci = interval_columns(rows)
    values = [_num(r["impact_ratio"]) or 0.0 for r in data]
    axis = max(1.2, math.ceil(max(values) * 5) / 5)
    ticks = [t / 10 for t in range(0, int(axis * 10) + 1, 2)]
    title = f"Impact ratio by group: {feature}"
    desc = "Bars: group selection rate / reference rate; dashed line at 0.80 (four-fifths rule)."
    out = _frame(title, len(data), axis, ticks, desc)
    for i, r in enumerate(data):
        y = TOP + i * (BAR_H + GAP)
        v = _num(r["impact_ratio"]) or 0.0
        colour = COLOURS["bad"] if v < FOUR_FIFTHS - 1e-12 else COLOURS["ok"]
        group = str(r.get("group"))
        out.append(
            f"<g><title>{_esc(group)}: {v:.3f}</title>"
            f'<text x="{LABEL_W - 6}" y="{y + 12}" text-anchor="end">{_esc(_label(group))}</text>'
            f'<rect x="{LABEL_W}" y="{y}" width="{_x(v, axis) - LABEL_W:.1f}" height="{BAR_H}" '
            f'fill="{colour}"/>'
        )
        if ir_ci:
            lo, hi = _bounds(r, "ir")
            if lo is not None and hi is not None:
                yc = y + BAR_H / 2
                x1, x2 = _x(lo, axis), _x(hi, axis)
                out.append(
                    f'<path d="M{x1:.1f} {yc - 4}v8M{x1:.1f} {yc}H{x2:.1f}M{x2:.1f} {yc - 4}v8" '
                    f'stroke="#111" fill="none"/>'
                )
        out.append(f'<text x="{WIDTH - RIGHT_PAD + 6}" y="{y + 12}">{v:.3f}</text></g>')
    out.append(_hline(_x(FOUR_FIFTHS, axis), len(data), COLOURS["bad"], "0.80"))
    out.append(_hline(_x(1.0, axis), len(data), "#57606a", "1.0"))
    out.append("</svg>")
    return "".join(out)


def pii_columns_chart(rows: Sequence[Mapping[str, Any]]) -> str | None:
    """Share of scanned values with a PII hit, per column (columns without hits are omitted)."""
    data = [
        r for r in rows if (_num(r.get("hit_rate")) or 0.0) > 0 or (_num(r.get("hits")) or 0.0) > 0
    ]
    data.sort(key=lambda r: -(_num(r.get("hit_rate")) or 0.0))
    data = data[:MAX_BARS]
    if not data:
        return None
    title = "PII hit rate by column"
    desc = "Bars: share of scanned values in which PII was detected; label: entity types."
    out = _frame(title, len(data), 1.0, (0, 0.25, 0.5, 0.75, 1.0), desc)
    for i, r in enumerate(data):
        y = TOP + i * (BAR_H + GAP)
        rate = _num(r.get("hit_rate")) or 0.0
        column = str(r.get("column"))
        entities = r.get("entity_types") or []
        ents = ", ".join(str(e) for e in entities) if isinstance(entities, list) else str(entities)
        out.append(
            f"<g><title>{_esc(column)}: {rate:.3f} ({_esc(ents)})</title>"
            f'<text x="{LABEL_W - 6}" y="{y + 12}" text-anchor="end">{_esc(_label(column))}</text>'
            f'<rect x="{LABEL_W}" y="{y}" width="{_x(rate, 1.0) - LABEL_W:.1f}" height="{BAR_H}" '
            f'fill="{COLOURS["bad"] if rate >= 0.5 else "#c4821a"}"/>'
            f'<text x="{WIDTH - RIGHT_PAD + 6}" y="{y + 12}">{rate:.3f}</text></g>'
        )
    out.append("</svg>")
    return "".join(out)
