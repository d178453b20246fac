"""GEN006 gpai-documentation: the card answers EU AI Act Art. 53, Annexes XI and XII.

For general-purpose AI models (Regulation (EU) 2024/1689, Chapter V).

What: evaluates the card (and the datasheet, for data items) against the requirement set
``eu-ai-act-gpai`` (Art. 53(1)(a) with Annex XI Section 1: tasks, acceptable use policy, release
date and distribution, architecture and parameters, input/output modality and format, licence,
integration means, design and training process, training/testing/validation data (type,
provenance, curation, bias measures), training compute, energy; Art. 53(1)(b) with Annex XII:
capabilities and limitations, interaction with other hardware and software, software versions,
maximum input size such as the context length; Art. 53(1)(d): the public summary of the training
content), plus ``eu-ai-act-gpai-systemic`` (Annex XI Section 2: evaluation strategies and
results, adversarial testing and adaptations, system architecture; Art. 55(1)) when
``systemic_risk`` is true. The fields are read by the transparency family's extraction (the same
loaders, lexicon and placeholder rules as TRN101), so a card answers GEN006 and TRN101 in the
same place; the ``fields`` table has one row per (field, clause) with the Annex point, and one
finding per unfilled field cites every point that asks for it.

Four items are *numbers* that a field's prose can mention without stating: the number of
parameters (Annex XI 1(d), XII 1(f)), the context length (Annex XII 2(b)), the training compute
(Annex XI 2(d): floating point operations or accelerator hours) and the energy consumption
(Annex XI 2(e): kWh/MWh, or emissions in tCO2eq as the usual stand-in). GEN006 looks for each
stated with a number and unit anywhere in the card (table ``gpai_quantities``: the line and a
short excerpt) and reports each one not stated (medium), unless its field is answered
``not_applicable`` with a reason.

Why: from 2 August 2025 providers of general-purpose AI models must keep this documentation and
give the Annex XII information to the providers who build systems on the model. A downstream
provider cannot assess a model whose card leaves out its licence, acceptable use policy or context
length.

Passes: a card answering every item, numbers included.
Fails: a card without a release date -> "The model card lacks the field model.release_date, which
EU AI Act (GPAI) (Annex XI 1(c): date of release) requires."; no energy figure -> "The model card
states no energy consumption figure (a number with a unit such as kWh, MWh or tCO2eq), which EU AI
Act Annex XI 2(e) asks for."

References: Regulation (EU) 2024/1689 Art. 53, Art. 55, Annex XI, Annex XII.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from ..check import check
from ..findings import Finding, Severity, Table
from ..options import Range, check_domains
from ..transparency.requirements import FieldRule

if TYPE_CHECKING:
    from ..context import Context


@dataclass(frozen=True)
class Options:
    """``systemic_risk``: the model has systemic risk (Art. 51), add Annex XI Section 2;
    ``standards``: the requirement sets (default the GPAI set); ``fields``/``ignore`` as TRN101;
    ``quantities``: check that the four numbers are stated."""

    systemic_risk: bool = False
    standards: tuple[str, ...] = ("eu-ai-act-gpai",)
    fields: tuple[FieldRule, ...] = ()
    ignore: tuple[str, ...] = ()
    quantities: bool = True
    cross_check: bool = False  # TRN2xx contradictions in the table (TRN101 does this by default)
    tolerance: Annotated[float, Range(ge=0, lt=1)] = 0.02

    def __post_init__(self) -> None:
        check_domains(self)
        from ..transparency.requirements import load_standard

        for name in self.standards:
            load_standard(name)


_NUM = r"\d[\d,.]*(?:\s*[x×·]\s*10\^?\s*[\d⁰¹²³⁴⁵⁶⁷⁸⁹]+|e\+?\d+)?"
#: (item, field it belongs to, clauses, pattern on a line, pattern on a table header cell): a
#: number with its unit on one line, or a table column so titled with a number in a data row
QUANTITIES: tuple[tuple[str, str, str, str, str], ...] = (
    ("number of parameters", "model.architecture", "Annex XI 1(d); Annex XII 1(f)",
     rf"\b{_NUM}\s*(?:[kmbt]|bn|thousand|million|billion|trillion)?\s*(?:-\s*)?"
     r"(?:parameters?|params)\b"
     rf"|\b(?:parameters?|params|n_?params|#\s*params)\b\W{{0,12}}{_NUM}\s*"
     r"(?:[kmbt]|bn|million|billion|trillion)?\b"
     r"|(?-i:\b\d+(?:\.\d+)?\s?[BM]\b)(?:[- ](?:model|parameter|param|version|variant)s?\b)",
     r"param|^(?:model )?size$"),
    ("context length", "io.input_spec", "Annex XII 2(b)",
     r"\b(?:context[- ](?:length|size|window)|sequence length|max(?:imum)?[ _](?:input |sequence |"
     r"context |position )?(?:length|tokens|positions)|n_ctx|max_position_embeddings|seq_len)\b"
     r"\W{0,20}\d[\d,.]*\s*k?\b(?:\s*tokens?\b)?"
     r"|\b\d[\d,.]*\s*k?[- ]?tokens? (?:of )?context|\b\d+k[- ](?:token )?context\b",
     r"context|sequence length|seq(?:uence)? len|max(?:imum)? (?:length|tokens)"),
    ("training compute", "compute.training", "Annex XI 2(d)",
     rf"\b{_NUM}\s*(?:peta|exa|zetta|tera)?(?:flops?|flop/s)\b"
     rf"|\bflops?\b\W{{0,30}}{_NUM}"
     r"|\b\d[\d,.]*\s*(?:k|m|thousand|million)?\s*(?:gpu|tpu|accelerator|device|node)[- ]?hours?\b"
     r"|\b(?:gpu|tpu)[- ]hours?\b\W{0,30}\d"
     r"|\btraining time\b\W{0,5}\d+(?:\.\d+)?\s*(?:days?|hours?|weeks?|months?)\b"
     r"|\b(?:gpus?|tpus?|accelerators?)\b\W{0,5}\d+|\b\d+\s*(?:x\s*)?(?:[ahv]100|h200|gpus)\b",
     r"flops?|(?:gpu|tpu)[- ]?hours|training (?:compute|time)"),
    ("energy consumption", "environmental_impact", "Annex XI 2(e)",
     r"\b\d[\d,.]*\s*(?:k|m|g)wh\b|\b\d[\d,.]*\s*(?:t|kg|tons?|tonnes?|metric tons?)\s*"
     r"(?:of\s*)?co2(?:\s*-?\s*eq|e)?\b|\bco2(?:eq|e)?\b[^\n]{0,40}\b\d[\d,.]*\s*(?:t|kg|tons?|tonnes?)\b",
     r"energy|power consumption|kwh|mwh|co2|carbon|emissions?"),
)  # fmt: skip
_COMPILED = tuple(
    (i, re.compile(p, re.IGNORECASE), re.compile(h, re.IGNORECASE)) for i, _, _, p, h in QUANTITIES
)
_SEP = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _in_tables(lines: list[str], header: re.Pattern[str]) -> tuple[int, str] | None:
    """A Markdown table with a column titled like ``header`` that holds a number in a data row:
    (line of the header, "table column 'title' with numbers"). The row is not shown: a comparison
    table's first row can be another model's."""
    for i in range(len(lines) - 1):
        if "|" not in lines[i] or not _SEP.match(lines[i + 1]):
            continue
        titles = _cells(lines[i])
        cols = [j for j, t in enumerate(titles) if header.search(t)]
        if not cols:
            continue
        for r in range(i + 2, len(lines)):
            if "|" not in lines[r]:
                break
            cells = _cells(lines[r])
            for j in cols:
                if j < len(cells) and re.search(r"\d", cells[j]):
                    title = " ".join(titles[j].strip("*_ ").split())
                    return i + 1, f"table column {title!r} with numbers"[:80]
    return None


def find_quantities(text: str) -> dict[str, tuple[int, str]]:
    """The first place stating each quantity with a number: item -> (line, excerpt, at most 80
    characters): a line matching the item's pattern, else a table column titled for it."""
    out: dict[str, tuple[int, str]] = {}
    lines = text.splitlines()
    for item, rx, header in _COMPILED:
        for no, line in enumerate(lines, 1):
            m = rx.search(line)
            if m:
                out[item] = (no, " ".join(m.group(0).split())[:80])
                break
        else:
            hit = _in_tables(lines, header)
            if hit is not None:
                out[item] = hit
    return out


@check(
    "GEN006",
    "gpai-documentation",
    severity=Severity.HIGH,
    options=Options,
    requires=("card",),
    references=(
        "https://artificialintelligenceact.eu/article/53/",
        "https://artificialintelligenceact.eu/annex/11/",
        "https://artificialintelligenceact.eu/annex/12/",
        "https://artificialintelligenceact.eu/article/55/",
    ),
)
def gpai_documentation(ctx: Context, options: Options) -> Iterator[Finding | Table]:
    from ..transparency.crosscheck import usable_documents
    from ..transparency.placeholders import NOT_APPLICABLE
    from ..transparency.report import field_results
    from ..transparency.requirements import resolve

    standards = list(options.standards)
    if options.systemic_risk and "eu-ai-act-gpai-systemic" not in standards:
        standards.append("eu-ai-act-gpai-systemic")
    yield from field_results(
        ctx, standards, options.fields, options.ignore, options.cross_check, options.tolerance
    )
    if not options.quantities or ctx.card is None:
        return
    docs = usable_documents(ctx)
    card = next((d for d in docs if d.role == "card"), None)
    if card is None:
        return
    text = _card_text(ctx.card)
    found = find_quantities(text)
    rows: list[dict[str, Any]] = []
    for item, fld, clauses, _, _ in QUANTITIES:
        status, doc, fv, reason = resolve((fld,), docs)
        hit = found.get(item)
        if hit is not None:
            state, location, excerpt = "stated", card.location(hit[0]), hit[1]
        elif status == NOT_APPLICABLE and doc is not None and fv is not None:
            state, location, excerpt = "not_applicable", doc.location(fv.line), reason
        else:
            state, location, excerpt = "not_stated", card.location(1), ""
        rows.append(
            {
                "item": item,
                "field": fld,
                "clauses": clauses,
                "status": state,
                "location": location,
                "excerpt": excerpt or None,
            }
        )
        if state == "not_stated":
            yield Finding(
                message=(
                    f"The model card states no {item} figure (a number with its unit), which EU "
                    f"AI Act {clauses.replace('; ', ' and ')} asks for."
                ),
                detail=(
                    f"no {item} with a number found in {card.path}; field {fld} is {status}; "
                    f"required by {clauses}"
                ),
                location=card.location(1),
                discriminator=f"quantity:{item}",
                severity=Severity.MEDIUM,
                evidence={"item": item, "field": fld, "clauses": clauses, "field_status": status},
                recommendation=_ADVICE[item],
            )
    yield Table("gpai_quantities", tuple(rows), "Numbers Annexes XI and XII ask for")


_ADVICE = {
    "number of parameters": "State the number of parameters (e.g. '7.2B parameters') with the "
    "architecture.",
    "context length": "State the maximum input size, e.g. 'context length: 8,192 tokens'.",
    "training compute": "State the training compute in floating point operations (e.g. "
    "'3.1e23 FLOPs') or accelerator hours, and the training time.",
    "energy consumption": "State the known or estimated energy used to train the model (kWh or "
    "MWh); an emissions figure in tCO2eq with the method helps, but energy is what is asked.",
}


def _card_text(path: Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
