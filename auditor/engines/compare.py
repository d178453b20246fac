"""Compare the tables of two reports (the engines' contract: counts exact, floats to 1e-12)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["table_differences"]


def _diff(a: Any, b: Any, where: str, rel: float, out: list[str]) -> None:
    if isinstance(a, bool) or isinstance(b, bool) or a is None or b is None:
        if a != b:
            out.append(f"{where}: {a!r} != {b!r}")
    elif isinstance(a, int) and isinstance(b, int):
        if a != b:
            out.append(f"{where}: {a} != {b}")
    elif isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if not math.isclose(float(a), float(b), rel_tol=rel, abs_tol=rel):
            out.append(f"{where}: {a!r} != {b!r} (beyond {rel:g})")
    elif isinstance(a, Mapping) and isinstance(b, Mapping):
        if set(a) != set(b):
            out.append(f"{where}: keys {sorted(set(a) ^ set(b))} differ")
        for k in a:
            if k in b:
                _diff(a[k], b[k], f"{where}.{k}", rel, out)
    elif isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        if len(a) != len(b):
            out.append(f"{where}: {len(a)} != {len(b)} items")
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            _diff(x, y, f"{where}[{i}]", rel, out)
    elif a != b:
        out.append(f"{where}: {a!r} != {b!r}")


def table_differences(
    a: Mapping[str, Any],
    b: Mapping[str, Any],
    *,
    rel: float = 1e-12,
    checks: Iterable[str] | None = None,
) -> list[str]:
    """Differences between the tables (and statuses) of two report dicts, checks in both that
    ran in both (``checks`` restricts them); empty when they agree."""
    ra = {r["check"]: r for r in a["results"]}
    rb = {r["check"]: r for r in b["results"]}
    wanted = set(checks) if checks is not None else set(ra) & set(rb)
    out: list[str] = []
    for cid in sorted(wanted):
        if cid not in ra or cid not in rb:
            out.append(f"{cid}: missing in one report")
            continue
        x, y = ra[cid], rb[cid]
        if x["status"] != y["status"]:
            out.append(f"{cid}: status {x['status']} != {y['status']}")
        _diff(x["tables"], y["tables"], f"{cid}.tables", rel, out)
        fx = sorted((f["id"], f["message"]) for f in x["findings"])
        fy = sorted((f["id"], f["message"]) for f in y["findings"])
        if [i for i, _ in fx] != [i for i, _ in fy]:
            out.append(f"{cid}: findings differ")
    return out
