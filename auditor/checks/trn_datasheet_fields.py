"""TRN102 datasheet-fields: the datasheet answers the seven Datasheets-for-Datasets sections.

What: reads the datasheet (YAML keyed by section, or Markdown with '## Motivation', '## Composition',
'## Collection Process', '## Preprocessing/cleaning/labeling', '## Uses', '## Distribution',
'## Maintenance' headings and their questions) and checks each section, plus consent and the
personal-data question, is answered: placeholders count as missing, "N/A: <reason>" is accepted. The
``fields`` table has one row per (field, clause); a row is contradicted by the datasheet's own
statement (the card's is TRN101's).

Why: EU AI Act Annex IV 2(d) asks for datasheets describing training data provenance, scope, labelling
and cleaning; the Composition answers bear directly on GDPR (Gebru et al. §3.2).

Passes: every section answered.
Fails: '## Collection Process' followed only by 'TBD' -> "datasheet field datasheet.collection is a
placeholder" at ``datasheet:datasheet.md:12``.

References: Gebru et al., Datasheets for Datasets (arXiv:1803.09010); EU AI Act Annex IV 2(d).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..check import check
from ..findings import Finding, Severity, Table
from ..transparency.requirements import FieldRule

if TYPE_CHECKING:
    from ..context import Context


@dataclass(frozen=True)
class Options:
    standards: tuple[str, ...] = ("datasheet",)
    fields: tuple[FieldRule, ...] = ()
    ignore: tuple[str, ...] = ()
    cross_check: bool = (
        True  # mark answers the PII scan contradicts (e.g. "identifies individuals: No")
    )

    def __post_init__(self) -> None:
        from ..transparency.requirements import load_standard

        for name in self.standards:
            load_standard(name)


@check(
    "TRN102",
    "datasheet-fields",
    severity=Severity.MEDIUM,
    options=Options,
    requires=("datasheet",),
    references=("https://arxiv.org/abs/1803.09010",),
)
def datasheet_fields(ctx: Context, options: Options) -> Iterator[Finding | Table]:
    from ..transparency.report import field_results

    yield from field_results(
        ctx,
        options.standards,
        options.fields,
        options.ignore,
        options.cross_check,
        0.02,
        only_datasheet=True,
    )
