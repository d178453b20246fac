"""TRN101 card-fields: the model card fills in every field the chosen standards require.

What: normalises the card (and the datasheet, for data fields) and evaluates the field requirements of the
selected standard sets: ``transparency`` (core, the default), ``eu-ai-act`` (Annex IV + Art. 13(3)),
``nist-ai-rmf``, ``hf-model-card``, ``iso-42001``, ``datasheet``, plus rules given inline with ``fields``.
Each field is present, missing, a placeholder (empty, TODO/TBD, bare N/A, ``[More Information Needed]``,
lorem ipsum, unfilled ``{{ template }}``, a value of the wrong type such as ``metrics: accuracy``, a
``risks`` list in which no risk states its mitigation), explicitly not applicable (``not_applicable:
{reason: ...}`` or "N/A: <reason>", a reason of at least 3 characters; accepted and shown), or
contradicted (present but shown false by a TRN2xx cross-check, judged with the options TRN201/TRN204
run with, so the table and their findings agree). The ``fields`` table has one row per (field,
standard clause): field, standard, clause, status, location, value_excerpt, measured. One finding per
unfilled field lists every clause that asks for it; a low finding names each risk without a
mitigation when others have one. Finding ids leave out the card's path and line: moving the card or
adding a line does not make its findings "new" under ``--baseline``.

Why: no standard makes any field machine-mandatory; a compliance lead preparing EU AI Act technical
documentation needs to know which clause is unanswered and where to write the answer.

Passes: every required field has real content or a reasoned not_applicable.
Fails: an untouched Hugging Face template -> "The model card leaves the field use.intended
unanswered (placeholder text '[More Information Needed]'), but Transparency core (Intended Use:
primary intended uses) requires an answer." at ``card:README.md:33`` (the detail keeps the field,
status and every clause).

References: EU AI Act Annex IV and Art. 13; NIST AI RMF 1.0; ISO/IEC 42001 Annex A; Mitchell et al. 2019
(Model Cards); Hugging Face model card template.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

from ..check import check
from ..findings import Finding, Severity, Table
from ..options import Range, check_domains
from ..transparency.requirements import FieldRule

if TYPE_CHECKING:
    from ..context import Context


@dataclass(frozen=True)
class Options:
    standards: tuple[str, ...] = ("transparency",)  # shipped requirement sets to apply
    fields: tuple[
        FieldRule, ...
    ] = ()  # extra rules: {field, clause, standard, severity, alternatives}
    ignore: tuple[str, ...] = ()  # field keys not required in this audit
    cross_check: bool = True  # mark fields contradicted by measurement, fill the measured column
    # metric tolerance for claims whose TRN2xx check is not in the run; when TRN201/TRN204 run,
    # their tolerance (and TRN201's only_audited_dataset) decide, so table and findings agree
    tolerance: Annotated[float, Range(ge=0, lt=1)] = 0.02

    def __post_init__(self) -> None:
        check_domains(self)
        from ..transparency.requirements import load_standard

        for name in self.standards:
            load_standard(name)  # ValueError naming the shipped sets -> config error at load time


@check(
    "TRN101",
    "card-fields",
    severity=Severity.HIGH,
    options=Options,
    requires=("card",),
    references=(
        "https://artificialintelligenceact.eu/annex/4/",
        "https://artificialintelligenceact.eu/article/13/",
        "https://www.nist.gov/itl/ai-risk-management-framework",
        "https://arxiv.org/abs/1810.03993",
    ),
)
def card_fields(ctx: Context, options: Options) -> Iterator[Finding | Table]:
    from ..transparency.report import field_results

    yield from field_results(
        ctx,
        options.standards,
        options.fields,
        options.ignore,
        options.cross_check,
        options.tolerance,
    )
