"""`auditor suite build`, `auditor generate` and bad interaction logs on the command line."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest

from auditor.cli import main

ROOT = Path(__file__).resolve().parents[2]
SUITE = ROOT / "examples" / "llm-screener" / "suite.yaml"


@pytest.fixture
def echo_server() -> Iterator[tuple[str, list[dict]]]:
    """A loopback endpoint answering advance to every prompt; records the request bodies."""
    seen: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            return

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            seen.append({"body": body, "auth": self.headers.get("Authorization")})
            data = json.dumps({"choices": [{"message": {"content": '{"decision": "advance"}'}}]})
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data.encode())

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    httpd.shutdown()
    httpd.server_close()


def test_suite_build_writes_rows_and_sidecar(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "prompts.jsonl"
    assert main(["suite", "build", str(SUITE), "-o", str(out)]) == 0
    assert "640 prompts (160 base cases x 4 groups, seed 13)" in capsys.readouterr().out
    rows = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    assert len(rows) == 640 and [r["position"] for r in rows] == list(range(640))
    assert {r["race_ethnicity"] for r in rows} == {"Black", "White"}
    meta = json.loads((tmp_path / "prompts.jsonl.meta.json").read_text("utf-8"))
    assert meta["suite"]["seed"] == 13 and meta["suite"]["variants"] == 640
    assert "order" not in meta["suite"] and meta["suite"]["system"].startswith("You screen")
    # the same template and seed render the same file (the shipped prompts.jsonl)
    assert out.read_bytes() == (SUITE.parent / "prompts.jsonl").read_bytes()


def test_generate_sends_parameters_caches_and_hides_key(
    tmp_path: Path, echo_server: tuple[str, list[dict]], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    url, seen = echo_server
    prompts = tmp_path / "p.jsonl"
    main(["suite", "build", str(SUITE), "-o", str(prompts)])
    lines = prompts.read_text("utf-8").splitlines()[:20]
    prompts.write_text("\n".join(lines) + "\n", "utf-8")
    monkeypatch.setenv("MY_KEY", "secret-value-42")
    args = ["generate", str(prompts), "--endpoint", url, "--model", "m1", "--api-key-env", "MY_KEY",
            "--temperature", "0", "--seed", "7", "--max-tokens", "16", "--cache", str(tmp_path / "c"),
            "-o", str(tmp_path / "i.jsonl")]  # fmt: skip
    assert main(args) == 0
    assert len(seen) == 20
    body = seen[0]["body"]
    assert (body["temperature"], body["seed"], body["max_tokens"]) == (0.0, 7, 16)
    assert body["messages"][0]["role"] == "system"  # the suite's system message, from the sidecar
    assert seen[0]["auth"] == "Bearer secret-value-42"
    assert main(args) == 0  # re-run: all from the cache, nothing sent
    assert len(seen) == 20 and "0 excluded, 20 from cache" in capsys.readouterr().out
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert "secret-value-42" not in path.read_text("utf-8", errors="replace")
    meta = json.loads((tmp_path / "i.jsonl.meta.json").read_text("utf-8"))
    assert meta["generation"]["parameters"] == {"temperature": 0.0, "seed": 7, "max_tokens": 16}
    assert meta["generation"]["model"] == "m1"


def _audit(tmp_path: Path, df: pd.DataFrame, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    data = tmp_path / "log.jsonl"
    df.to_json(data, orient="records", lines=True)
    code = main(["run", "--data", str(data), "--sensitive", "sex", "--policy", "generative",
                 "--out", str(tmp_path / "r"), "--format", "json"])  # fmt: skip
    return code, capsys.readouterr().err.strip()


def test_bad_logs_exit_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = pd.DataFrame({"case_id": ["a", "a", "b", "b"], "sex": ["F", "M"] * 2,
                         "prompt": ["p1", "p2", "p3", "p4"], "response": ['{"decision": "advance"}'] * 4})  # fmt: skip
    code, err = _audit(tmp_path, good.drop(columns=["response"]), capsys)
    assert code == 2 and "no 'response' column" in err and len(err.splitlines()) == 1
    code, err = _audit(tmp_path, good.assign(case_id=["a", "b", "c", "d"]), capsys)
    assert code == 2 and "single variant" in err and len(err.splitlines()) == 1
    code, err = _audit(tmp_path, good, capsys)
    assert code == 0, err


def test_generate_bad_prompts_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"no_prompt": 1}\n', "utf-8")
    code = main(["generate", str(bad), "--endpoint", "http://127.0.0.1:9", "--model", "m",
                 "-o", str(tmp_path / "o.jsonl")])  # fmt: skip
    assert code == 2 and "needs a text 'prompt'" in capsys.readouterr().err
    assert main(["suite", "build", str(tmp_path / "none.yaml"), "-o", str(bad)]) == 2


def test_csv_parquet_and_jsonl_give_the_same_tables(tmp_path: Path) -> None:
    from auditor.api import audit

    src = ROOT / "examples" / "llm-screener" / "interactions.jsonl"
    df = pd.read_json(src, lines=True)
    df.to_csv(tmp_path / "log.csv", index=False)
    df.to_parquet(tmp_path / "log.parquet", index=False)
    tables = []
    for path in (src, tmp_path / "log.csv", tmp_path / "log.parquet"):
        report = audit(path, sensitive=["race_ethnicity", "sex"], policy="generative", seed=13)
        result = next(r for r in report.results if r.check == "GEN001")
        tables.append((result.tables["groups"], result.tables["decisions"]))
    assert tables[0] == tables[1] == tables[2]


def test_without_case_ids_rates_are_reported_but_nothing_blocks(tmp_path: Path) -> None:
    from auditor.api import audit

    df = pd.read_json(ROOT / "examples" / "llm-screener" / "interactions.jsonl", lines=True)
    report = audit(df.drop(columns=["case_id"]), sensitive=["race_ethnicity", "sex"],
                   policy="generative", seed=13)  # fmt: skip
    result = next(r for r in report.results if r.check == "GEN001")
    black = next(r for r in result.tables["groups"] if r["group"] == "Black")
    assert black["impact_ratio"] < 0.8 and black["paired_test"] is None
    assert black["evidence"] == "inconclusive"
    assert all(f.evidence_level.value == "inconclusive" for f in result.findings)  # type: ignore[union-attr]


def test_python_callable_gives_the_logged_tables() -> None:
    import sys

    from auditor.api import audit
    from auditor.generative.endpoint import CallableGenerator, GenerationParams
    from auditor.generative.interactions import interactions_frame
    from auditor.generative.suite import load_suite

    sys.path.insert(0, str(SUITE.parent))
    try:
        from screener import answer
    finally:
        sys.path.pop(0)
    suite = load_suite(SUITE)
    gen = CallableGenerator(lambda ps: [answer(p) for p in ps], model="llm-screener",
                            params=GenerationParams(temperature=0, seed=13, max_tokens=64))  # fmt: skip
    run = gen.run_prompts([v.prompt for v in suite], system=suite.system)
    frame = interactions_frame(suite, run)
    assert len(frame) == 640 and frame["excluded"].isna().all()
    logged = pd.read_json(SUITE.parent / "interactions.jsonl", lines=True)
    tables = []
    for data in (frame, logged):
        report = audit(data, sensitive=["race_ethnicity", "sex"], policy="generative", seed=13)
        result = next(r for r in report.results if r.check == "GEN001")
        tables.append((result.tables["groups"], result.tables["decisions"]))
    assert tables[0] == tables[1]
