"""RUN002 waiver-hygiene: expired waivers and waivers that matched nothing.

What: reviews the policy's ``waivers:``. A waiver whose ``expires`` date has passed no longer
applies (its findings fail again) and is reported here; after all checks ran, the runner adds a
finding for every active waiver that matched no finding (like ruff's unused ``noqa``), so stale
accepted risks do not pile up.

Why: an accepted risk is a dated decision by a named person. An expired one must be renewed or the
issue fixed; an unused one hides nothing today but could silently hide a future finding.

The findings sit at ``waiver:<check>/<location glob>`` (e.g. ``waiver:FAIR001/feature:age*``)
with the discriminator ``expired:<date>`` or ``unused:<date>``, so their ids do not depend on the
path the policy was loaded from. RUN002 is planned whenever the policy declares waivers (disabling
it then is a configuration error: an accepted risk must stay reviewable).

Passes: every waiver is in date and matches at least one finding.
Fails: ``expires: 2024-01-31`` in a run on a later date; a waiver for ``feature:age`` when no
finding has that location.

References: ruff RUF100 (unused-noqa); EU AI Act Annex IV 2(g) (dated and signed test reports).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..check import NoOptions, check
from ..findings import Finding, Severity, Table

if TYPE_CHECKING:
    from ..context import Context


@check("RUN002", "waiver-hygiene", severity=Severity.MEDIUM)
def waiver_hygiene(ctx: Context, options: NoOptions) -> Iterator[Finding | Table]:
    rows = []
    for w in ctx.waivers:
        expired = w.expired(ctx.today)
        rows.append(
            {
                "check": w.check,
                "location": w.location,
                "reason": w.reason,
                "approved_by": w.approved_by or None,
                "expires": w.expires.isoformat(),
                "state": "expired" if expired else "active",
            }
        )
        if expired:
            disc = f"expired:{w.expires.isoformat()}"
            yield Finding(
                message=(
                    f"waiver for {w.check} at {w.location!r} expired on {w.expires.isoformat()}; "
                    "its findings are no longer waived"
                ),
                location=w.finding_location,
                evidence={
                    "expires": w.expires.isoformat(),
                    "today": ctx.today.isoformat(),
                    "days_overdue": (ctx.today - w.expires).days,
                },
                discriminator=disc,
                recommendation="Renew the waiver with a new approval and date, or fix the finding.",
            )
    yield Table("waivers", tuple(rows), "Waivers declared in the policy")
