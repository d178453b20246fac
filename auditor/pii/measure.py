"""The table scan as a shared measurement: computed once per run and options via ``ctx.measure``.

``column_scan(ctx)`` is the stable entry point other families use (rows of the ``columns`` table
with default options).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .settings import ScanOptions
from .table import TableScan, not_scanned, scan_frame

if TYPE_CHECKING:
    from ..context import Context

__all__ = ["TableScan", "column_scan", "not_scanned", "scan_frame", "scan_table"]


def scan_table(ctx: Context, options: ScanOptions) -> TableScan:
    """The scan for these options, shared by every check in the run."""
    opts = options.scan_only()
    if ctx.source is not None:  # engines hook: engine-side sampling (or full scan in partitions)
        from .lazy import scan_source

        return ctx.measure(
            f"pii.scan:{opts.key()}", lambda: scan_source(ctx.source, opts, ctx.seed)
        )
    return ctx.measure(f"pii.scan:{opts.key()}", lambda: scan_frame(ctx.dataset, opts, ctx.seed))


def column_scan(ctx: Context) -> list[dict[str, Any]]:
    """Rows of the ``columns`` table with default options (``column``, ``kind``,
    ``entity_types``, ``likelihood``, ``score``, ``rows_scanned``, ``unique_scanned``, ``hits``,
    ``hit_rate``, ``regulations``, ``masked_examples``, ``evidence``), cached per run."""
    return [dict(r) for r in scan_table(ctx, ScanOptions()).rows]
