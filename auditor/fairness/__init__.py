"""Fairness engine: per-group sufficient statistics in one vectorised pass, metrics from counts.

Modules: ``encode`` (sensitive features to codes), ``counts`` (one-pass group counts), ``rates``
(per-group metrics), ``disparity`` (fairlearn-style summaries), ``intervals`` (Wilson, tests,
count bootstrap), ``reference`` (reference groups), ``tables`` (report tables), ``scores``
(AUC, calibration, errors), ``association`` (proxy strength), ``ll144`` (NYC LL144 helpers),
``measure`` (measurements shared with other families), ``api`` (array-level entry points).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_exports

if TYPE_CHECKING:
    from .api import by_group, group_counts
    from .counts import GroupCounts
    from .measure import group_rows, overall_metrics

__all__ = ["GroupCounts", "by_group", "group_counts", "group_rows", "overall_metrics"]

#: public name -> its submodule, imported on first use (PEP 562): importing one submodule of
#: this package must not load the others (pandas, numpy, Presidio) before they are needed
_LAZY = {
    "by_group": "api",
    "group_counts": "api",
    "GroupCounts": "counts",
    "group_rows": "measure",
    "overall_metrics": "measure",
}


__getattr__, __dir__ = lazy_exports(__name__, globals(), _LAZY, __all__)
