"""Transparency engine: model-card and datasheet loaders, field requirements, claim cross-checks, card drafts.

The TRN checks (``auditor/checks/trn_*.py``) are thin wrappers over these modules.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .document import Document, FieldValue, LoadIssue
    from .loader import load_card, load_datasheet

__all__ = ["Document", "FieldValue", "LoadIssue", "load_card", "load_datasheet"]

#: public name -> its submodule, imported on first use (PEP 562): importing one submodule of
#: this package must not load the others (pandas, numpy, Presidio) before they are needed
_LAZY = {
    "Document": "document",
    "FieldValue": "document",
    "LoadIssue": "document",
    "load_card": "loader",
    "load_datasheet": "loader",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
