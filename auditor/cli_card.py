"""The ``auditor card`` subcommand (``auditor card draft``); wired into ``auditor/cli.py``.

Part of the command-line layer (it plans a run and loads its inputs like ``auditor run``), so it
lives next to :mod:`auditor.cli`, above the transparency family whose card drafts it writes.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import UsageError

__all__ = ["add_card_parser", "run_card"]


def add_card_parser(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    card = sub.add_parser("card", help="model card tools (draft a card from an audit)")
    card_sub = card.add_subparsers(dest="card_command", parser_class=parser_class)
    draft = card_sub.add_parser(
        "draft", help="write a model_card.yaml pre-filled with what the audit measured"
    )
    draft.add_argument("--config", "-c", type=Path, required=True, help="audit.yaml")
    draft.add_argument(
        "--out", "-o", type=Path, required=True, help="card to write (model_card.yaml)"
    )
    draft.add_argument(
        "--policy",
        help="pack whose TRN101 standards, fields and ignore to apply (default: the config's policy)",
    )
    draft.add_argument(
        "--standard",
        action="append",
        default=[],
        help="requirement set to mark instead of the pack's (repeatable): transparency, eu-ai-act, "
        "nist-ai-rmf, ...; the pack's extra fields and ignore still apply",
    )
    draft.add_argument("--force", action="store_true", help="overwrite an existing file")


def _field_options(policy: Any, overrides: Mapping[str, Any]) -> Any:
    """TRN101's effective options (standards, fields, ignore) as the run would plan them: the pack's
    TRN/TRN101 entries, ``extends`` and ``--set`` overrides included; the defaults when the pack does
    not select TRN101."""
    from .checks.trn_card_fields import Options
    from .plan import plan
    from .registry import load_checks

    planned = plan(policy, load_checks(), overrides)
    return next((p.options for p in planned if p.check.id == "TRN101"), Options())


def run_card(args: argparse.Namespace) -> int:
    if args.card_command != "draft":
        raise UsageError("auditor card: choose a command: draft")
    from .api import resolve_policy
    from .config import load_config
    from .inputs import build_context
    from .transparency.draft import draft_card
    from .transparency.requirements import rules_for

    config = load_config(args.config)
    if args.out.exists() and not args.force:
        raise UsageError(f"{args.out}: already exists (use --force to overwrite)")
    from .paths import refuse_clobber, run_inputs

    # --force overwrites an earlier draft, never an input (the config, the data, the card...)
    refuse_clobber(
        args.out.parent,
        [args.out.name],
        run_inputs(data=config.data, model=config.model, card=config.card,
                   datasheet=config.datasheet, baseline=config.baseline,
                   config=config.config_path),
    )  # fmt: skip
    options = _field_options(resolve_policy(args.policy or config.policy), config.overrides)
    standards = tuple(args.standard) or tuple(options.standards)
    try:
        rules = rules_for(standards, options.fields, options.ignore)
    except ValueError as exc:
        raise UsageError(f"--standard: {exc}") from None
    ctx = build_context(config)
    text, filled, todo = draft_card(ctx, rules, standards)
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{args.out}: cannot write: {exc.strerror or exc}") from None
    print(
        f"auditor: wrote {args.out}: {filled} fields pre-filled from the audit, {todo} required "
        f"fields marked TODO ({', '.join(standards)})",
        file=sys.stdout,
    )
    return 0
