"""Transparency engine: model-card and datasheet loaders, field requirements, claim cross-checks, card drafts.

The TRN checks (``auditor/checks/trn_*.py``) are thin wrappers over these modules.
"""

from __future__ import annotations

from .document import Document, FieldValue, LoadIssue
from .loader import load_card, load_datasheet

__all__ = ["Document", "FieldValue", "LoadIssue", "load_card", "load_datasheet"]
