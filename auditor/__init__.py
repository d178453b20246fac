"""auditor: responsible-AI compliance audits (PII exposure, fairness, transparency) with a CI gate.

The public names below are imported on first use (PEP 562), so ``import auditor`` (and the
``auditor`` command's ``--version``, ``checks`` and ``explain``) does not load pandas, numpy or
Presidio until an audit needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._version import __version__

# light (standard library only), and imported now so that ``auditor.check`` is the decorator,
# not the submodule of the same name
from .check import Check, NoOptions, check
from .errors import ConfigError, InputError, PluginError, UsageError
from .findings import CheckResult, Evidence, Finding, Severity, Status, Table
from .lazy import lazy_exports
from .skip import Skip

if TYPE_CHECKING:
    from .api import audit
    from .context import Context
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

#: public name -> the module that defines it (imported on first use: they load pandas or YAML)
_LAZY = {
    "audit": "api",
    "Context": "context",
    "Policy": "policy",
    "Waiver": "policy",
    "Report": "report",
}


__getattr__, __dir__ = lazy_exports(__name__, globals(), _LAZY, __all__)
