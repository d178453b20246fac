"""TRN100 card-readable: the model card and datasheet can be read, and follow their schema.

What: loads the model card (auditor's ``model_card.yaml``, a Hugging Face ``README.md`` with YAML front
matter, or Model Card Toolkit JSON v0.0.2) and the datasheet (YAML or Markdown, Gebru et al. sections),
and reports every problem met on the way with its file and line: invalid YAML/JSON, front matter that is
never closed, unknown keys in our schema (with a did-you-mean), wrong types (``metrics: accuracy``; a
quoted ``contains_pii: "no"`` is read as false, with a note), impossible dates (``2026-02-30``),
self-referencing YAML aliases and alias bombs ("too many aliases"), ``model-index`` entries the Hub
would reject. An unreadable file (binary, not UTF-8, a directory, over 5 MB) is a fatal finding at
``card:<path>:1``. With ``card_required``/``datasheet_required`` a missing
document is itself a finding. The ``documents`` table lists what was read. Without a card and a
datasheet (and neither required) there is nothing to read: the check is skipped, naming both
inputs (with a baseline that had one, its findings are "not evaluated", not resolved).

Why: the other TRN checks can only judge what they can read; a typo such as ``out_of_scop:`` silently
drops a field a regulator asks for.

Passes: a card whose keys are all in the schema, valid YAML, a closed front matter.
Fails: ``model:\n  vesion: 2.1`` -> "unknown key 'model.vesion' (did you mean 'version'?)" at
``card:model_card.yaml:3``; a README whose front matter has a tab-indented line.

References: docs/transparency.md (schema); huggingface hub-docs modelcard.md (front matter,
model-index); Model Card Toolkit schema v0.0.2.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..check import Skip, check
from ..findings import Finding, Severity, Table

if TYPE_CHECKING:
    from ..context import Context


@dataclass(frozen=True)
class Options:
    card_required: bool = False  # a run without a model card is a finding (not a skip)
    datasheet_required: bool = False


@check(
    "TRN100",
    "card-readable",
    severity=Severity.HIGH,
    options=Options,
    references=(
        "https://github.com/huggingface/hub-docs/blob/main/modelcard.md",
        "https://github.com/tensorflow/model-card-toolkit",
    ),
)
def card_readable(ctx: Context, options: Options) -> Iterator[Finding | Table]:
    from ..transparency.crosscheck import card_documents

    required = options.card_required or options.datasheet_required
    if ctx.card is None and ctx.datasheet is None and not required:
        raise Skip(
            "no model card or datasheet to read: give --card PATH (or `card:` / `datasheet:` "
            "in audit.yaml)",
            inputs=("card", "datasheet"),
        )
    docs = card_documents(ctx)
    for role, given, required in (
        ("card", ctx.card, options.card_required),
        ("datasheet", ctx.datasheet, options.datasheet_required),
    ):
        if given is None and required:
            name = "model card" if role == "card" else "datasheet"
            yield Finding(
                message=f"No {name} was given, but the policy requires one.",
                location=role,
                discriminator=f"absent:{role}",
                recommendation=f"Give the {role} (--{role} PATH or `{role}:` in audit.yaml); "
                "`auditor card draft` writes a pre-filled skeleton.",
            )
    yield Table(
        "documents",
        tuple(
            {
                "role": d.role,
                "path": d.path,
                "format": d.format,
                "fields": len(list(d.field_keys())),
                "issues": len(d.issues),
                "readable": d.fatal is None,
            }
            for d in docs
        ),
        "Transparency documents read",
    )
    for d in docs:
        for issue in d.issues:
            name = "model card" if d.role == "card" else "datasheet"
            yield Finding(
                message=(
                    f"The {name} {d.path} cannot be read, so none of its statements were checked: "
                    if issue.fatal
                    else f"Part of the {name} {d.path} is not read as its author meant: "
                )
                + f"{issue.message.rstrip('.')}.",
                detail=f"{d.path}: {issue.message}",
                location=d.location(issue.line),
                evidence={"format": d.format, "key": issue.key or None, "fatal": issue.fatal},
                discriminator=f"{issue.key or 'document'}:{issue.message[:60]}",
                severity=Severity.HIGH if issue.fatal else Severity.MEDIUM,
                recommendation=(
                    f"Make {d.path} readable ({issue.message.rstrip('.')}); until then no TRN "
                    "check can judge it."
                    if issue.fatal
                    else f"Correct {f'the key {issue.key!r}' if issue.key else 'the document'} in "
                    f"{d.path}{f' (line {issue.line})' if issue.line else ''} so the field is "
                    "read as meant; docs/transparency.md lists the schema."
                ),
            )
