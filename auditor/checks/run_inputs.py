"""RUN001 input-integrity: what the audit could not take at face value about its inputs.

What: reports every warning raised while loading the inputs: a model unpickled with
``--allow-unsafe-model`` (code in the file was trusted), a CSV that was not valid UTF-8 and was
decoded with a fallback encoding, and similar notes. Each becomes a finding, so the reader of the
report sees it next to the results it may affect.

Why: an audit is only as trustworthy as its inputs. A reviewer must know when a model was loaded
in a way that could have run arbitrary code, or when text was decoded by guesswork.

Passes: a CSV in UTF-8 and predictions given as a column.
Fails: ``--model model.pkl --allow-unsafe-model`` (finding: model loaded with pickle).

References: scikit-learn model persistence guidance (pickle security); auditor README "Model inputs".
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..check import NoOptions, check
from ..findings import Finding, Severity, Table

if TYPE_CHECKING:
    from ..context import Context


@check(
    "RUN001",
    "input-integrity",
    severity=Severity.LOW,
    references=("https://scikit-learn.org/stable/model_persistence.html",),
)
def inputs_usable(ctx: Context, options: NoOptions) -> Iterator[Finding | Table]:
    info = ctx.dataset_info
    rows = (
        [
            {
                "input": "dataset",
                "detail": info.path or "DataFrame",
                "rows": info.rows,
                "columns": len(info.columns),
            }
        ]
        if info
        else []
    )
    if ctx.model_info is not None:
        rows.append(
            {
                "input": "model",
                "detail": f"{ctx.model_info.kind} via {ctx.model_info.loader}",
                "rows": None,
                "columns": None,
            }
        )
    if ctx.documentation_only:  # no dataset: what was read is the card and/or the datasheet
        for role, path in (("model card", ctx.card), ("datasheet", ctx.datasheet)):
            if path is not None:
                rows.append({"input": role, "detail": str(path)})
    yield Table("inputs", tuple(rows), "What was loaded and how")
    for i, warning in enumerate(ctx.warnings):
        yield Finding(
            message=warning,
            location="model" if "model" in warning else "dataset",
            discriminator=f"warning-{i}:{warning[:40]}",
            recommendation="Use a safe input path (prediction columns, skops or ONNX; UTF-8 data).",
        )
