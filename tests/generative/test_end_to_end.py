"""The building blocks together: a suite of Bertrand & Mullainathan names, a live biased screener on
loopback (with 429s and a stall), decisions, paired statistics; then the same from the logs."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from scripted_server import ScriptedServer

from auditor.generative.decisions import JsonField, extract, tally
from auditor.generative.endpoint import ChatClient, EndpointConfig, GenerationParams
from auditor.generative.paired import McNemar, paired_binary, selection_rates
from auditor.generative.suite import build_suite, shipped_cue_sets

N_CASES = 40
TEMPLATE = {
    "suite": "e2e",
    "seed": 5,
    "system": 'Answer with ```json {"decision": "advance" | "reject"}```.',
    "template": "Screen case {n}: {name}, {years} years as {role}.",
    "cases": [
        {
            "id": f"c{i}",
            "n": i,
            "years": 1 + i % 9,
            "role": "RATEALWAYS clerk" if i == 7 else "STALL clerk" if i == 9 else "clerk",
        }
        for i in range(N_CASES)
    ],
    "groups": {
        "white_male": {"from": "bertrand_mullainathan_2004.white_male"},
        "black_male": {"from": "bertrand_mullainathan_2004.black_male"},
    },
}


def _tables(case_ids, groups, texts):
    decisions = extract(texts, JsonField("decision"))
    selected = [None if d.status != "parsed" else d.outcome == "advance" for d in decisions]
    paired = paired_binary(case_ids, groups, selected, group_order=["white_male", "black_male"])
    rates = selection_rates(case_ids, groups, selected, n_boot=1000, seed=1)
    return tally(decisions, groups), paired, rates


def test_planted_bias_is_recovered_live_and_from_logs(tmp_path: Path) -> None:
    suite = build_suite(TEMPLATE)
    black = set(
        dict(shipped_cue_sets()["bertrand_mullainathan_2004"].group("black_male").slots)["name"]
    )
    with ScriptedServer(stall=0.5) as server:
        server.disfavoured = black  # rejects Black-male names on even-numbered cases
        cfg = EndpointConfig(
            base_url=server.base,
            model="screener",
            params=GenerationParams(temperature=0, seed=1, max_tokens=32),
            concurrency=4,
            max_retries=1,
            backoff_base=0.001,
            read_timeout=0.2,
            cache_dir=tmp_path / "cache",
        )
        run = ChatClient(cfg).run(suite.requests())
        sent = server.count
        rerun = ChatClient(cfg).run(suite.requests())
        # the re-run is served from the cache, except the 4 excluded requests: failures are not
        # cached, so a re-run tries them again (2 attempts each)
        assert server.count == sent + 4 * 2
        assert rerun.http_requests == 8
    assert rerun.cache_hits == 2 * N_CASES - 4
    assert rerun.texts() == run.texts()
    assert run.exclusions_by_reason["rate_limited"] == 2
    assert run.exclusions_by_reason["timeout"] == 2
    assert {e.request_id for e in run.exclusions} == {
        "c7:white_male", "c7:black_male", "c9:white_male", "c9:black_male",
    }  # fmt: skip

    case_ids = [v.case_id for v in suite]
    groups = [v.group for v in suite]
    counts, paired, rates = _tables(case_ids, groups, run.texts())
    assert counts["black_male"] == {
        "parsed": 38, "refusal": 0, "unparseable": 0, "excluded": 2, "total": 40,
    }  # fmt: skip
    assert isinstance(paired.omnibus, McNemar)
    t = paired.omnibus
    # even cases 0..38 without c7, c9 (odd): 20 discordant pairs, all against black_male
    assert (t.a_only, t.b_only, t.n_pairs, paired.n_incomplete) == (20, 0, 38, 2)
    assert t.method == "exact binomial"
    assert t.p_value == pytest.approx(2 * 0.5**20)
    by = {r.group: r for r in rates}
    assert by["white_male"].rate == 1.0 and by["white_male"].reference
    assert by["black_male"].impact_ratio == pytest.approx(18 / 38)
    assert by["black_male"].ir_ci_low <= 18 / 38 <= by["black_male"].ir_ci_high

    # the same suite from logged interactions (JSON Lines) gives identical tables
    log = tmp_path / "log.jsonl"
    with log.open("w") as fh:
        for rec, text in zip(suite.records(), run.texts(), strict=True):
            fh.write(json.dumps({**rec, "response": text}) + "\n")
    logged = pd.read_json(log, lines=True)
    texts = [None if pd.isna(x) else x for x in logged["response"]]
    counts2, paired2, rates2 = _tables(list(logged["case_id"]), list(logged["group"]), texts)
    assert counts2 == counts
    assert paired2 == paired
    assert rates2 == rates
