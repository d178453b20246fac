"""The ``auditor card`` subcommand (``auditor card draft``); wired into ``auditor/cli.py``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import UsageError

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
        "--policy", help="pack whose TRN101 standards to mark (default: the config's policy)"
    )
    draft.add_argument(
        "--standard",
        action="append",
        default=[],
        help="requirement set to mark (repeatable): transparency, eu-ai-act, nist-ai-rmf, ...",
    )
    draft.add_argument("--force", action="store_true", help="overwrite an existing file")


def _standards_of(policy: Any) -> tuple[str, ...]:
    """TRN101's ``standards`` option as the policy sets it (id entry over the TRN prefix)."""
    found: tuple[str, ...] = ("transparency",)
    for key in ("TRN", "TRN101"):
        cfg = policy.checks.get(key)
        opts: Mapping[str, Any] = cfg.options if cfg is not None else {}
        if "standards" in opts:
            value = opts["standards"]
            found = (value,) if isinstance(value, str) else tuple(value)
    return found


def run_card(args: argparse.Namespace) -> int:
    if args.card_command != "draft":
        raise UsageError("auditor card: choose a command: draft")
    from ..api import resolve_policy
    from ..config import load_config
    from ..inputs import build_context
    from .draft import draft_card
    from .requirements import rules_for

    config = load_config(args.config)
    if args.out.exists() and not args.force:
        raise UsageError(f"{args.out}: already exists (use --force to overwrite)")
    if args.standard:
        standards = tuple(args.standard)
    else:
        standards = _standards_of(resolve_policy(args.policy or config.policy))
    try:
        rules = rules_for(standards)
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
