"""PII007 known-value-leakage: identifiers from the dataset repeated verbatim in model outputs.

What: takes every distinct value (5 characters or more) of the dataset columns the scan
classifies as direct identifiers (or the ``identifier_columns`` option), brings them to one
normal form (case-folded, split into tokens at spaces and punctuation such as ``()``, ``,``
and ``:``, joined by single spaces: ``(415) 555-0132`` -> ``415 555-0132``), hashes them into
a set, and looks up the hash of every output text and of every window of it as long as a known
value (in tokens, up to 16), in the same normal form, so ``call (415) 555-0132 now`` and
``ship to 742 Evergreen Terrace, Springfield.`` match. Reports how many output rows repeat a
known value and from which source columns; values are never printed (table ``leakage``).

Why: regurgitation of training records (names, e-mails, phone numbers) is the direct evidence
of memorisation; it is a disclosure of personal data even when outputs look plausible.

Passes: generated text that never repeats a training identifier.
Fails: 4 output rows repeat a customer's e-mail address from the ``email`` column.

References: Carlini et al., Extracting Training Data from Large Language Models (2021);
scrubadub UserSuppliedFilthDetector (known-value matching).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..check import Skip, check
from ..errors import InputError
from ..findings import Finding, Severity, Table
from ..pii.settings import ScanOptions

if TYPE_CHECKING:
    from ..context import Context


@dataclass(frozen=True)
class Options(ScanOptions):
    """``output_columns``: dataset columns holding model outputs; ``identifier_columns``:
    sources of known values (default: direct identifiers found by the scan)."""

    output_columns: tuple[str, ...] = ()
    identifier_columns: tuple[str, ...] = ()


@check(
    "PII007",
    "known-value-leakage",
    severity=Severity.CRITICAL,
    options=Options,
    references=("https://arxiv.org/abs/2012.07805",),
)
def known_value_leakage(ctx: Context, options: Options) -> Iterator[Finding | Table]:
    from ..pii.fallback import tier_fallback
    from ..pii.measure import scan_table
    from ..pii.outputs import MIN_KNOWN_LEN, find_leaks, known_values, text_outputs
    from ..pii.wording import columns_phrase

    for c in (*options.output_columns, *options.identifier_columns):
        if c not in ctx.dataset.columns:
            raise InputError(f"PII007: column {c!r} is not in the dataset")
    outputs = text_outputs(ctx, options.output_columns)
    if not outputs:
        raise Skip(
            "no text outputs: give them with --set PII007.output_columns=[COL,...] (or "
            "output_columns in the policy), or a text prediction column (--prediction)"
        )
    if options.identifier_columns:
        sources = list(options.identifier_columns)
    else:
        result = scan_table(ctx, options)
        sources = [
            r["column"]
            for r in result.rows
            if r["kind"] == "direct_identifier" and r["column"] not in outputs
        ]
    if not sources:
        raise Skip("no direct-identifier columns to take known values from")
    known = ctx.measure(
        "pii.known:" + "|".join(sources), lambda: known_values(ctx.dataset, sources)
    )
    rows = []
    for name, series in outputs.items():
        leak = find_leaks(series, known, options.max_cell_chars)
        share = leak.rows / leak.rows_scanned if leak.rows_scanned else 0.0
        rows.append(
            {
                "output": name,
                "rows_scanned": leak.rows_scanned,
                "rows_with_known_values": leak.rows,
                "share": round(share, 4),
                "by_source_column": dict(sorted(leak.by_source.items())),
                "known_values": known.size,
                "window_tokens": max(known.sizes, default=0),
                "known_values_over_window": known.too_long,
            }
        )
        if leak.rows:
            from_cols = sorted(leak.by_source)
            yield Finding(
                message=(
                    f"{leak.rows:,} of {leak.rows_scanned:,} model outputs in {name!r} repeat "
                    "personal data from the dataset word for word (from "
                    f"{columns_phrase(from_cols)}); the values are not shown."
                ),
                detail=(
                    f"{leak.rows} output row(s) in {name!r} repeat identifiers from the dataset "
                    f"verbatim (sources: {', '.join(from_cols)}; {known.size:,} known values of at "
                    f"least {MIN_KNOWN_LEN} characters); values not shown"
                ),
                relates_to=tuple(f"column:{c}" for c in from_cols),
                location=f"output:{name}",
                evidence={
                    "rows": leak.rows,
                    "rows_scanned": leak.rows_scanned,
                    "share": round(share, 4),
                    "by_source_column": dict(sorted(leak.by_source.items())),
                    "known_values": known.size,
                    "min_value_length": MIN_KNOWN_LEN,
                },
                discriminator="known-values",
                recommendation=(
                    f"Find how values of {', '.join(repr(c) for c in from_cols)} reach the "
                    "outputs (memorised training data, prompts or retrieved documents); scrub "
                    "them from the training data (drop or pseudonymise, deduplicate records), "
                    "retrain, filter outputs for these values before release, and test again."
                ),
            )
    yield Table("leakage", tuple(rows), "Output rows repeating known dataset identifiers")
    if not options.identifier_columns:  # the columns came from a scan
        yield from tier_fallback(ctx, "PII007", options, result.meta)
