"""auditor: responsible-AI compliance audits (PII exposure, fairness, transparency) with a CI gate."""

from __future__ import annotations

from ._version import __version__
from .api import audit
from .check import Check, NoOptions, Skip, check
from .context import Context
from .errors import ConfigError, InputError, PluginError, UsageError
from .findings import CheckResult, Evidence, Finding, Severity, Status, Table
from .policy import Policy, Waiver
from .report import Report

__all__ = [
    "Check",
    "CheckResult",
    "ConfigError",
    "Context",
    "Evidence",
    "Finding",
    "InputError",
    "NoOptions",
    "PluginError",
    "Policy",
    "Report",
    "Severity",
    "Skip",
    "Status",
    "Table",
    "UsageError",
    "Waiver",
    "__version__",
    "audit",
    "check",
]
