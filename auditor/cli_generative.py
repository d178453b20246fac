"""``auditor suite build`` and ``auditor generate``: produce the interactions log that
``auditor run --data interactions.jsonl --policy generative`` audits.

A live run is a log made now: ``suite build`` renders the paired prompts (one JSON Lines row
per variant: ``variant_id``, ``case_id``, ``group``, ``position``, ``prompt``, ``cue_*`` and
the group's attribute columns); ``generate`` sends them to an OpenAI-compatible endpoint and
writes the same rows with ``response`` (null when the request failed) and ``excluded`` (the
reason, or null). Both write a sidecar ``<file>.meta.json`` with the suite manifest (seed, cue
sources, template hash, the system message) and the generation manifest (endpoint without
credentials, model, temperature, seed, max tokens, counts by exclusion reason); the API key is
read from the environment variable named by ``--api-key-env`` and written nowhere.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .errors import InputError, UsageError

__all__ = ["add_generative_parsers", "cmd_generate", "cmd_suite"]


def add_generative_parsers(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    suite = sub.add_parser("suite", help="counterfactual prompt suites (correspondence tests)")
    suite_sub = suite.add_subparsers(dest="suite_command", parser_class=parser_class)
    build = suite_sub.add_parser("build", help="render a suite template to prompts.jsonl")
    build.add_argument("template", type=Path, help="suite template (YAML)")
    build.add_argument("-o", "--out", type=Path, required=True, help="prompts file (.jsonl)")

    gen = sub.add_parser(
        "generate", help="send prompts.jsonl to an OpenAI-compatible endpoint; write the log"
    )
    gen.add_argument("prompts", type=Path, help="prompts.jsonl (from `auditor suite build`)")
    gen.add_argument("--endpoint", required=True, help="base URL (http://127.0.0.1:8000)")
    gen.add_argument("--model", required=True, help="model name sent with each request")
    gen.add_argument("--api-key-env", help="name of the environment variable holding the key")
    gen.add_argument("--cache", type=Path, help="response cache folder (re-runs never re-query)")
    gen.add_argument("--temperature", type=float, default=0.0)
    gen.add_argument("--seed", type=int, default=0)
    gen.add_argument("--max-tokens", type=int, default=256)
    gen.add_argument("--concurrency", type=int, default=4)
    gen.add_argument("--max-retries", type=int, default=4)
    gen.add_argument("--timeout", type=float, default=120.0, help="read timeout (seconds)")
    gen.add_argument("-o", "--out", type=Path, required=True, help="interactions file (.jsonl)")


def _write_sidecar(path: Path, data: dict[str, Any]) -> None:
    from .generative.interactions import sidecar_path

    sidecar_path(path).write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", "utf-8")


def cmd_suite(args: argparse.Namespace) -> int:
    from .generative.suite import load_suite

    if args.suite_command != "build":
        raise UsageError("auditor suite: expected a subcommand: build")
    if not args.template.is_file():
        raise InputError(f"{args.template}: suite template not found")
    suite = load_suite(args.template)
    suite.write_jsonl(args.out)
    manifest = {k: v for k, v in suite.manifest().items() if k != "order"}
    _write_sidecar(args.out, {"suite": {**manifest, "system": suite.system}})
    print(
        f"wrote {args.out}: {len(suite)} prompts ({len(suite.case_ids)} base cases x "
        f"{len(suite.groups)} groups, seed {suite.seed})"
    )
    return 0


def _read_prompts(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise InputError(f"{path}: prompts file not found")
    rows = []
    with path.open(encoding="utf-8") as fh:
        for i, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError:
                raise InputError(f"{path}:{i}: not a JSON object") from None
            if not isinstance(row, dict) or not isinstance(row.get("prompt"), str):
                raise InputError(f"{path}:{i}: each line needs a text 'prompt'")
            rows.append(row)
    if not rows:
        raise InputError(f"{path}: no prompts")
    return rows


def cmd_generate(args: argparse.Namespace) -> int:
    from .generative.endpoint import ChatClient, ChatRequest, EndpointConfig, GenerationParams
    from .generative.interactions import interactions_rows, read_sidecar

    rows = _read_prompts(args.prompts)
    meta = read_sidecar(args.prompts)
    found = meta.get("suite")
    suite: dict[str, Any] = found if isinstance(found, dict) else {}
    system = suite.get("system") if isinstance(suite.get("system"), str) else None
    config = EndpointConfig(
        base_url=args.endpoint,
        model=args.model,
        api_key_env=args.api_key_env,
        params=GenerationParams(
            temperature=args.temperature, seed=args.seed, max_tokens=args.max_tokens
        ),
        concurrency=args.concurrency,
        max_retries=args.max_retries,
        read_timeout=args.timeout,
        backoff_base=0.05,
        cache_dir=args.cache,
    )
    client = ChatClient(config)
    requests = [
        ChatRequest.from_prompt(r["prompt"], system=system, request_id=str(r.get("variant_id", i)))
        for i, r in enumerate(rows)
    ]
    run = client.run(requests)
    with args.out.open("w", encoding="utf-8") as fh:
        for out in interactions_rows(rows, run):
            fh.write(json.dumps(out, ensure_ascii=False) + "\n")
    _write_sidecar(args.out, {"suite": suite, "generation": run.manifest()})
    counts = ", ".join(f"{k}: {v}" for k, v in run.exclusions_by_reason.items() if v)
    print(
        f"wrote {args.out}: {len(run.responses)} answered, {len(run.exclusions)} excluded"
        f"{f' ({counts})' if counts else ''}, {run.cache_hits} from cache",
        file=sys.stdout,
    )
    return 0
