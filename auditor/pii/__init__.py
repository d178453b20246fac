"""PII exposure engine: offline Presidio tiers, extra recognizers, column classification.

Importing this package sets ``TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS=""`` (unless the user set it), so
Presidio's e-mail recognizer never reaches for the network. Presidio itself is only imported by
:mod:`auditor.pii.engine`, so the lexicon (shared with the fairness checks) stays cheap to import.
"""

from __future__ import annotations

import os

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

__all__: list[str] = []
