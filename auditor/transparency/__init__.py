"""Transparency engine: model-card and datasheet loaders, field requirements, claim cross-checks, card drafts.

The TRN checks (``auditor/checks/trn_*.py``) are thin wrappers over these modules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_exports

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


__getattr__, __dir__ = lazy_exports(__name__, globals(), _LAZY, __all__)
