"""TRN208 card-consistent: the model card (and datasheet) agree with themselves.

What: reads only the documents (no data is needed, so it runs in a card-only audit) and reports, one
finding per problem at the line it is on:

- **identity**: the card names the model in ways that cannot be the same model, or gives two
  versions: front matter ``model_name``/``version``, ``model-index`` names, the title, ``Model
  ID:``/``Model name:``/``Version:`` labels and the ids code examples load (``from_pretrained``,
  ``pipeline(model=...)``, ``hf download``, ``ollama run``). Case, the ``org/`` prefix, sizes
  (``7B``), variants (``-instruct``, ``gguf``), ``-v2`` vs `` v2`` and acronyms (``sd`` = Stable
  Diffusion) are normalised; a title that describes ("Q-Learning Agent playing FrozenLake-v1"), a
  base model named as such, borrowed tokenizers, and code that fine-tunes, distils or compares
  are not conflicts.
- **ranges**: a value or interval the metric cannot take: an accuracy, precision, recall, F1,
  AUC or rate below 0 or above 1 (100% when written as a percentage), an interval whose upper
  bound is 1.0033, a lower bound above its own value or above the upper bound, a negative loss or
  squared error, a perplexity below 1. Read from ``model-index``, MCT ``confidence_interval``, the
  YAML card's ``ci_low``/``ci_high``, Markdown tables (metric columns or rows, CI columns), ``-
  Accuracy: 0.91`` lists and sentences ("accuracy 0.91 (95% CI 0.89–1.0033)").
- **relations**: numbers that cannot both be right for the same split: perplexity vs exp(loss)
  (or 2^loss, for a loss in bits) beyond rounding and ``perplexity_tolerance``; accuracy + error
  rate, recall + miss rate, specificity + false positive rate that do not add up to 1. Compared
  within one table row, list, sentence or results entry, and across the card when each number is
  the only one for an explicitly named split.
- **licence**: "not distributed to third parties", "internal use only", "not publicly released"
  about the model (in a datasheet: the dataset) next to an open licence (``license: mit``) or a
  public release ("available on GitHub under MIT", a download link); a statement about the
  training data is not one about the model.
- **sections** (low): a heading that promises a subject its text never addresses ("Intended uses
  & limitations" with no limitation, "Bias, Risks, and Limitations" that names no risk, "Training
  and evaluation data" naming no data), unless another section of the card answers it; and front
  matter ``datasets:`` hiding a training-data section left as a placeholder. A section that is
  itself a placeholder is TRN101's finding, not this one.

Severities: identity, ranges, relations and licence findings take the check's severity, medium by
default (a policy may raise it with ``TRN208: {severity: high}``): the card contradicts itself, so a
reader may pick the wrong model, trust an impossible number or misjudge whether they may use it; a
reviewer must correct it, but no field a standard requires is missing (that is TRN101, high).
Sections findings are always low: the text exists and TRN101 counts the field as answered, yet a
reader learns less than the heading promises. The ``consistency`` table lists, per document and
kind, how many statements were compared and how many problems were found. The vocabularies are
data in ``auditor/transparency/consistency.py``; the false alarms measured on real cards are in
docs/transparency.md.

Why: an auditor reading a card checks that it agrees with itself before trusting it; EU AI Act Annex
IV 1(a) asks for the version (and its relation to previous ones), Art. 13(3)(b)(ii) for the level of
accuracy the provider declares, and a card with three model ids or an impossible interval declares
neither reliably.

Passes: OpenAI's Whisper and CLIP cards, Meta's MusicGen card, a card whose front matter, title and
code examples all name ``bert-finetuned-ner``.
Fails: the Model Card Toolkit's cats-vs-dogs card -> "The model card reports an accuracy of 0.993289
(0.983289–1.00329) (line 48): the interval's upper bound 1.00329 is above 1 (100%), the largest
accuracy possible." at ``card:mct_card.json:48``; a card saying "This model is for internal use only"
with ``license: mit`` in its front matter.

References: EU AI Act Annex IV 1(a), Art. 13(3)(b)(ii); Mitchell et al. 2019 (Model Cards);
Hugging Face model card guide (model-index, base_model); Model Card Toolkit schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Literal

from ..check import Skip, check
from ..findings import Finding, Severity, Table
from ..options import Range, check_domains

if TYPE_CHECKING:
    from ..context import Context

Kind = Literal["identity", "ranges", "relations", "licence", "sections"]


@dataclass(frozen=True)
class Options:
    kinds: tuple[Kind, ...] = ("identity", "ranges", "relations", "licence", "sections")
    # relative slack between a perplexity and exp(loss), beyond what the written digits round away
    perplexity_tolerance: Annotated[float, Range(ge=0, lt=1)] = 0.02

    def __post_init__(self) -> None:
        check_domains(self)


@check(
    "TRN208",
    "card-consistent",
    severity=Severity.MEDIUM,
    options=Options,
    references=(
        "https://artificialintelligenceact.eu/annex/4/",
        "https://artificialintelligenceact.eu/article/13/",
        "https://huggingface.co/docs/hub/model-cards",
        "https://arxiv.org/abs/1810.03993",
    ),
)
def card_consistent(ctx: Context, options: Options) -> Iterator[Finding | Table]:
    from ..safeload import LoadProblem, read_text
    from ..transparency.consistency import check_document
    from ..transparency.crosscheck import card_documents

    if ctx.card is None and ctx.datasheet is None:
        raise Skip(
            "no model card or datasheet to compare with itself: give --card PATH or "
            "--datasheet PATH (or `card:` / `datasheet:` in audit.yaml)",
            inputs=("card", "datasheet"),
        )
    paths = {"card": ctx.card, "datasheet": ctx.datasheet}
    docs = [d for d in card_documents(ctx) if d.fatal is None]
    if not docs:
        raise Skip("neither the model card nor the datasheet could be read (see TRN100)")
    rows = []
    for doc in docs:
        path = paths[doc.role]
        try:
            raw = read_text(path, what=doc.role) if path is not None else None
        except LoadProblem:  # read by the loader a moment ago; TRN100 reports a file that went away
            raw = None
        outcome = check_document(doc, raw, options.kinds, options.perplexity_tolerance)
        for kind in options.kinds:
            if kind in outcome.checked:
                found = sum(1 for p in outcome.problems if p.kind == kind)
                rows.append(
                    {
                        "document": doc.path,
                        "kind": kind,
                        "statements": outcome.checked[kind],
                        "problems": found,
                    }
                )
        for p in outcome.problems:
            yield Finding(
                message=p.message,
                location=doc.location(p.line),
                evidence={"kind": p.kind, **p.evidence},
                discriminator=f"{p.kind}:{p.subject}",
                severity=p.severity,
                recommendation=p.recommendation,
                detail=p.detail or f"{p.kind}: {p.subject}",
            )
    yield Table("consistency", tuple(rows), "Statements compared within each document")
