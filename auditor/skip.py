"""``Skip``: raised by a check (or a context accessor) when the check does not apply.

A value of the lowest layer, so :mod:`auditor.context` raises it without importing
:mod:`auditor.check` (which needs the Context type); ``auditor.check.Skip`` and ``auditor.Skip``
are this class.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["Skip"]


class Skip(Exception):
    """Raise from a check (or a context accessor) when the check does not apply; the reason is reported.

    ``inputs`` names the audit inputs whose absence is the reason (``("card",)``; the names of
    ``Context.missing`` plus ``features`` and ``rows``, row-level data a lazy engine keeps out
    of memory). Such a skip is recorded on the result (``missing_inputs``): with a baseline, a
    check that ran there and is skipped now for a missing input is *not evaluated*, which fails
    the gate unless the policy lists the input under ``dropped_inputs`` (see auditor.baseline).
    A skip without ``inputs`` means the check does not apply to what was given.
    """

    def __init__(self, reason: str = "", *, inputs: Iterable[str] = ()) -> None:
        super().__init__(reason)
        self.inputs: tuple[str, ...] = tuple(inputs)
