"""Inline SVG charts drawn with matplotlib's SVG backend from the report's table contracts.

No JavaScript and no external reference: a ``matplotlib.figure.Figure`` rendered by
``FigureCanvasSVG`` with ``svg.fonttype = "none"`` (text stays text: searchable, small files), a
fixed ``svg.hashsalt`` and no ``Date`` metadata, so the same table always gives byte-identical
SVG. Every label comes from audited data (group values, column names): matplotlib escapes it as
XML text, and ``text.parse_math`` is off so a ``$`` in a group name is printed, not typeset. The
XML prolog is dropped and every element id gets a prefix derived from the chart's content, so
several charts inline in one HTML page never share an id. A chart whose table is absent or has no
plottable row returns ``None`` and the template shows no chart.

- fairness ``groups`` rows: ``feature, group, selection_rate | scoring_rate | base_rate,
  impact_ratio, ci_low, ci_high, reference_group, excluded, ...``
- PII ``columns`` rows: ``column, kind, hits, hit_rate, entity_types, ...``
"""

from __future__ import annotations

import hashlib
import io
import math
import re
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, cast

from ..text import visible_text

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "FOUR_FIFTHS",
    "GROUP_CHART_COLUMNS",
    "chart_rows",
    "impact_ratio_chart",
    "interval_columns",
    "pii_columns_chart",
    "rate_key",
    "selection_rate_chart",
]

FOUR_FIFTHS = 0.8
MAX_BARS = 40
WIDTH_IN = 7.2
BAR_IN = 0.24
COLOURS = {
    "ok": "#2f6f4f",
    "bad": "#b42318",
    "ref": "#1f4e79",
    "warn": "#c4821a",
    "grey": "#57606a",
}
RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "auditor-charts",
    "svg.image_inline": True,
    "text.parse_math": False,
    "text.usetex": False,
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],  # ships with matplotlib: the same layout everywhere
    "font.size": 8.5,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#8a8f98",
    "xtick.color": COLOURS["grey"],
    "ytick.color": "#1b1f23",
    "path.simplify": True,
}
RATE_WORDS = {
    "selection_rate": "selection rate",
    "scoring_rate": "scoring rate",
    "base_rate": "base rate (share with the favourable true label)",
}
#: every ``groups`` column the group charts read (:func:`chart_rows`)
GROUP_CHART_COLUMNS = (
    "feature", "group", "n", "reference_group", "excluded", "selection_rate", "scoring_rate",
    "base_rate", "impact_ratio", "ci_low", "ci_high", "sr_ci_low", "sr_ci_high", "ir_ci_low",
    "ir_ci_high", "status", "evidence",
)  # fmt: skip
#: bar colour and hatch by the row's status: a failing group is red, an inconclusive one amber
#: and hatched (a possible gap, not established), a group too small to assess grey and hatched
STATUS_STYLE = {
    "fail": ("bad", None, "below the threshold (significant)"),
    "below_eeoc_four_fifths": ("bad", None, "below the EEOC four-fifths reference"),
    "inconclusive": ("warn", "////", "below the threshold, inconclusive"),
    "insufficient_evidence": ("grey", "xx", "too few people to assess"),
    "reference": ("ref", None, "reference group"),
}
_PROLOG = re.compile(r"\A.*?(?=<svg\b)", re.DOTALL)
_ID = re.compile(r'\bid="([^"]+)"')


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(float(value)) else None


def _label(text: str, limit: int = 32) -> str:
    """A data value as a chart label: control and bidi characters shown as their escape (as in
    the document around the chart), white space folded, at most ``limit`` characters."""
    text = " ".join(visible_text(text).split())
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
    """The rate an impact ratio divides: ``selection_rate``, ``scoring_rate`` (score-based and
    LL144 scoring-mode tables) or ``base_rate`` (label base rates, FAIR007)."""
    for key in ("selection_rate", "scoring_rate", "base_rate"):
        if any(_num(r.get(key)) is not None for r in rows):
            return key
    return "selection_rate"


def chart_rows(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """``groups`` rows cut to :data:`GROUP_CHART_COLUMNS` (a column is kept only where present: the
    charts test ``sr_ci_low in row``). The group charts of the cut rows are those of the full rows,
    so two checks whose tables differ only in other columns (a ``status``, error rates) draw one
    chart from the same input, and a renderer can cache on it."""
    return [{k: r[k] for k in GROUP_CHART_COLUMNS if k in r} for r in rows]


def _bounds(row: Mapping[str, Any], prefix: str) -> tuple[float | None, float | None]:
    if f"{prefix}_ci_low" in row:
        return _num(row.get(f"{prefix}_ci_low")), _num(row.get(f"{prefix}_ci_high"))
    return _num(row.get("ci_low")), _num(row.get("ci_high"))


def _plottable(rows: Sequence[Mapping[str, Any]], metric: str) -> list[Mapping[str, Any]]:
    return [r for r in rows if _num(r.get(metric)) is not None and not r.get("excluded")][:MAX_BARS]


def _style() -> AbstractContextManager[Any]:
    """matplotlib settings for one chart (artists read them when created and when saved)."""
    import matplotlib

    return matplotlib.rc_context(cast(Any, RC))


def _figure(n_bars: int) -> tuple[Figure, Axes]:
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH_IN, 1.15 + BAR_IN * max(n_bars, 1)), dpi=72)
    FigureCanvasSVG(fig)
    ax = fig.add_subplot()
    return fig, ax


def _svg(fig: Figure) -> str:
    """The figure as an inline ``<svg>`` element: no prolog, ids unique to this chart."""
    buf = io.StringIO()
    fig.savefig(
        buf,
        format="svg",
        metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
        bbox_inches="tight",
        pad_inches=0.05,
    )
    svg = _PROLOG.sub("", buf.getvalue(), count=1).strip()
    prefix = "c" + hashlib.sha256(svg.encode("utf-8")).hexdigest()[:10] + "-"
    for old in sorted(set(_ID.findall(svg)), key=len, reverse=True):
        new = prefix + old
        svg = svg.replace(f'id="{old}"', f'id="{new}"')
        svg = svg.replace(f'"#{old}"', f'"#{new}"').replace(f"url(#{old})", f"url(#{new})")
    return svg.replace("<svg ", '<svg class="chart" role="img" ', 1)


def _bars(ax: Axes, labels: Sequence[str], values: Sequence[float], colours: Sequence[str],
          axis_max: float, notes: Sequence[str] | None = None,
          hatches: Sequence[str | None] | None = None) -> None:  # fmt: skip
    ys = list(range(len(values)))
    bars = ax.barh(ys, values, color=list(colours), height=0.7, zorder=2)
    for bar, hatch in zip(bars, hatches or [None] * len(values), strict=True):
        if hatch:
            bar.set_hatch(hatch)
            bar.set_edgecolor("#ffffff")
    ax.set_yticks(ys, [_label(t) for t in labels])
    ax.invert_yaxis()
    ax.set_xlim(0, axis_max)
    ax.set_ylim(len(values) - 0.5, -0.5)
    ax.grid(axis="x", color="#e1e4e8", linewidth=0.8, zorder=0)
    ax.tick_params(axis="y", length=0)
    for i, (y, v) in enumerate(zip(ys, values, strict=True)):
        text = f"{v:.3f}" + (f"  {notes[i]}" if notes and notes[i] else "")
        ax.annotate(text, (axis_max, y), xytext=(4, 0), textcoords="offset points",
                    va="center", ha="left", fontsize=8, color="#1b1f23",
                    annotation_clip=False)  # fmt: skip


def _whiskers(ax: Axes, rows: Sequence[Mapping[str, Any]], prefix: str) -> None:
    ys, lo, hi = [], [], []
    for y, r in enumerate(rows):
        a, b = _bounds(r, prefix)
        if a is not None and b is not None:
            ys.append(y)
            lo.append(a)
            hi.append(b)
    if ys:
        ax.hlines(ys, lo, hi, colors="#111111", linewidth=1, zorder=3)
        ax.vlines(lo + hi, [y - 0.18 for y in ys] * 2, [y + 0.18 for y in ys] * 2,
                  colors="#111111", linewidth=1, zorder=3)  # fmt: skip


def _reference_line(ax: Axes, x: float, colour: str, label: str) -> None:
    ax.axvline(x, color=colour, linestyle=(0, (4, 3)), linewidth=1.3, zorder=4, label=label)


def selection_rate_chart(rows: Sequence[Mapping[str, Any]], feature: str) -> str | None:
    """Selection (or scoring) rate per group of ``feature`` with its interval and the EEOC
    four-fifths reference line at 0.80 × the reference group's rate."""
    with _style():
        return _selection_rate_chart(rows, feature)


def _selection_rate_chart(rows: Sequence[Mapping[str, Any]], feature: str) -> str | None:
    mine = [r for r in rows if str(r.get("feature")) == feature]
    key = rate_key(mine)
    if key == "base_rate":
        return None
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
    colours = [
        COLOURS["ref"]
        if r.get("group") == r.get("reference_group")
        else (COLOURS["bad"] if v < threshold - 1e-12 else COLOURS["ok"])
        for r, v in zip(data, rates, strict=True)
    ]
    fig, ax = _figure(len(data))
    _bars(ax, [str(r.get("group")) for r in data], rates, colours, 1.0)
    if sr_ci:
        _whiskers(ax, data, "sr")
    what = key.replace("_", " ")
    _reference_line(
        ax, threshold, COLOURS["bad"],
        f"EEOC four-fifths reference: 0.80 × reference rate = {threshold:.3f}",
    )  # fmt: skip
    ax.set_title(f"{what.capitalize()} by group: {feature}", pad=16)
    ax.set_xlabel(
        f"{what} (bars){'; whiskers: interval of the rate' if sr_ci else ''}; blue: reference "
        "group; red: below the four-fifths reference"
    )
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False, fontsize=7.5,
              borderaxespad=0.1, handlelength=2.5)  # fmt: skip
    return _svg(fig)


def impact_ratio_chart(
    rows: Sequence[Mapping[str, Any]],
    feature: str,
    metric: str | None = None,
    threshold: float = FOUR_FIFTHS,
) -> str | None:
    """Ratio of each group's ``metric`` (selection, scoring or base rate; by default the rate the
    feature's rows carry, see :func:`rate_key`) to the reference group's, against ``threshold``
    (the EEOC four-fifths reference for selection and scoring rates) and 1.0."""
    if metric is None:
        metric = rate_key([r for r in rows if str(r.get("feature")) == feature])
    with _style():
        return _impact_ratio_chart(rows, feature, metric, threshold)


def _impact_ratio_chart(
    rows: Sequence[Mapping[str, Any]], feature: str, metric: str, threshold: float
) -> str | None:
    data = _plottable([r for r in rows if str(r.get("feature")) == feature], "impact_ratio")
    if not data:
        return None
    _, ir_ci = interval_columns(rows)
    values = [_num(r["impact_ratio"]) or 0.0 for r in data]
    axis = max(1.2, math.ceil(max(values) * 5) / 5)
    colours: list[str] = []
    hatches: list[str | None] = []
    seen: dict[str, tuple[str, str | None]] = {}
    for r, v in zip(data, values, strict=True):
        status = str(r.get("status") or "")
        if r.get("group") == r.get("reference_group"):
            status = "reference"
        if status not in STATUS_STYLE:
            status = "" if v >= threshold - 1e-12 else "fail"
        colour, hatch, label = STATUS_STYLE.get(status, ("ok", None, "at or above the threshold"))
        colours.append(COLOURS[colour])
        hatches.append(hatch)
        seen.setdefault(label, (COLOURS[colour], hatch))
    notes = [
        f"n={int(_num(r.get('n')) or 0):,}" if _num(r.get("n")) is not None else "" for r in data
    ]
    fig, ax = _figure(len(data))
    _bars(ax, [str(r.get("group")) for r in data], values, colours, axis, notes, hatches)
    if ir_ci:
        _whiskers(ax, data, "ir")
    words = RATE_WORDS.get(metric, metric.replace("_", " "))
    short = words.split(" (")[0]
    if metric == "base_rate":
        title = f"Base-rate ratio by group: {feature}"
        line = f"threshold {threshold:.2f} (check option)"
    else:
        title = f"Impact ratio by group: {feature}"
        line = f"EEOC four-fifths reference: {threshold:.2f}"
    _reference_line(ax, threshold, COLOURS["bad"], line)
    _reference_line(ax, 1.0, COLOURS["grey"], "parity: 1.0")
    from matplotlib.patches import Patch

    handles, names = ax.get_legend_handles_labels()
    for label, (colour, hatch) in seen.items():
        handles.append(Patch(facecolor=colour, hatch=hatch or "", edgecolor="#ffffff"))
        names.append(label)
    ax.set_title(title, pad=6 + 11 * ((len(names) + 2) // 3))
    ax.set_xlabel(
        f"group {short} / reference group {short}; whiskers: 95% interval; n: people in the group"
    )
    ax.legend(handles, names, loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False,
              fontsize=7.5, ncols=3, borderaxespad=0.1, handlelength=2.5)  # fmt: skip
    return _svg(fig)


def pii_columns_chart(rows: Sequence[Mapping[str, Any]]) -> str | None:
    """Share of scanned values with a PII hit, per column (columns without hits are omitted)."""
    with _style():
        return _pii_columns_chart(rows)


def _pii_columns_chart(rows: Sequence[Mapping[str, Any]]) -> str | None:
    data = [
        r for r in rows if (_num(r.get("hit_rate")) or 0.0) > 0 or (_num(r.get("hits")) or 0.0) > 0
    ]
    data.sort(key=lambda r: -(_num(r.get("hit_rate")) or 0.0))
    data = data[:MAX_BARS]
    if not data:
        return None
    rates = [_num(r.get("hit_rate")) or 0.0 for r in data]
    labels = []
    for r in data:
        entities = r.get("entity_types") or []
        ents = ", ".join(str(e) for e in entities) if isinstance(entities, list) else str(entities)
        labels.append(f"{_label(str(r.get('column')), 24)} ({_label(ents, 28)})" if ents else
                      str(r.get("column")))  # fmt: skip
    colours = [COLOURS["bad"] if v >= 0.5 else COLOURS["warn"] for v in rates]
    fig, ax = _figure(len(data))
    ys = list(range(len(rates)))
    ax.barh(ys, rates, color=colours, height=0.7, zorder=2)
    ax.set_yticks(ys, [_label(t, 56) for t in labels])
    ax.invert_yaxis()
    ax.set_xlim(0, 1.0)
    ax.set_ylim(len(rates) - 0.5, -0.5)
    ax.grid(axis="x", color="#e1e4e8", linewidth=0.8, zorder=0)
    ax.tick_params(axis="y", length=0)
    for y, v in zip(ys, rates, strict=True):
        ax.annotate(f"{v:.3f}", (1.0, y), xytext=(4, 0), textcoords="offset points", va="center",
                    ha="left", fontsize=8, annotation_clip=False)  # fmt: skip
    ax.set_title("PII hit rate by column", pad=6)
    ax.set_xlabel("share of scanned values in which personal data was detected (entity types)")
    return _svg(fig)
