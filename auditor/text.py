"""Small helpers for the sentences findings are written in (shared by every family)."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["join", "plural"]


def join(items: Iterable[str], conj: str = "and") -> str:
    """``a``; ``a and b``; ``a, b and c``."""
    xs = [str(x) for x in items]
    if len(xs) <= 1:
        return "".join(xs)
    return f"{', '.join(xs[:-1])} {conj} {xs[-1]}"


def plural(n: int, noun: str, many: str | None = None) -> str:
    """``1 column``, ``2,000 rows``."""
    return f"{n:,} {noun if n == 1 else (many or noun + 's')}"
