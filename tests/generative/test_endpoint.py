"""The chat-completions client against a real HTTP server on loopback (tests/generative/scripted_server.py)."""

from __future__ import annotations

import json
import logging
import socket
import threading
from pathlib import Path

import pytest
from scripted_server import ScriptedServer

from auditor.errors import ConfigError
from auditor.generative.endpoint import (
    CallableGenerator,
    ChatClient,
    ChatRequest,
    EndpointConfig,
    GenerationIncomplete,
    GenerationParams,
    ResponseCache,
    cache_key,
    params_from_mapping,
)

SECRET = "sk-test-Zq9XvT4mB7uL2pN8"  # a distinctive value to look for everywhere


@pytest.fixture
def server():
    with ScriptedServer() as srv:
        yield srv


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDITOR_TEST_KEY", SECRET)


class Sleeps:
    """Records the waits between retries (and waits them, for real)."""

    def __init__(self) -> None:
        self.delays: list[float] = []
        self.lock = threading.Lock()

    def __call__(self, seconds: float) -> None:
        with self.lock:
            self.delays.append(seconds)
        threading.Event().wait(seconds)


def client(server: ScriptedServer, sleeps: Sleeps | None = None, **kw) -> ChatClient:
    opts = {
        "base_url": server.base,
        "model": "screener-1",
        "api_key_env": "AUDITOR_TEST_KEY",
        "params": GenerationParams(temperature=0.0, seed=7, max_tokens=64),
        "max_retries": 2,
        "backoff_base": 0.001,
        "backoff_max": 0.01,
        "read_timeout": 2.0,
        "connect_timeout": 2.0,
    }
    opts.update(kw)
    return ChatClient(EndpointConfig(**opts), sleep=sleeps or Sleeps())


def test_request_carries_model_parameters_and_key(server: ScriptedServer) -> None:
    run = client(server).run(
        [ChatRequest.from_prompt("case 1 hello", system="be brief", request_id="v1")]
    )
    assert len(server.requests) == 1
    req = server.requests[0]
    assert req["path"] == "/v1/chat/completions"
    assert req["authorization"] == f"Bearer {SECRET}"
    assert req["body"] == {
        "model": "screener-1",
        "messages": [
            {"role": "system", "content": "be brief"},
            {"role": "user", "content": "case 1 hello"},
        ],
        "temperature": 0.0,
        "seed": 7,
        "max_tokens": 64,
    }
    (resp,) = run.responses
    assert resp.request_id == "v1"
    assert '{"decision": "advance"}' in resp.content
    assert resp.finish_reason == "stop"
    assert (resp.attempts, resp.cached) == (1, False)
    assert run.manifest()["parameters"] == {"temperature": 0.0, "seed": 7, "max_tokens": 64}
    assert run.manifest()["model"] == "screener-1"
    assert run.http_requests == 1


def test_base_url_ending_in_v1_is_not_doubled(server: ScriptedServer) -> None:
    client(server, base_url=server.base + "/v1/").run_prompts(["case 1"])
    assert server.requests[0]["path"] == "/v1/chat/completions"


def test_429_retries_honour_retry_after(server: ScriptedServer) -> None:
    sleeps = Sleeps()
    run = client(server, sleeps).run_prompts(["case 1 RATE2"])
    (resp,) = run.responses
    assert resp.attempts == 3
    assert server.per_prompt["case 1 RATE2"] == 3
    # back-off is at most 0.01 s here: the server's Retry-After (0.05 s) is what was waited
    assert sleeps.delays == [0.05, 0.05]
    assert run.exclusions == ()


def test_429_forever_is_a_counted_exclusion(server: ScriptedServer) -> None:
    run = client(server).run_prompts(["case 1 RATEALWAYS", "case 2"])
    assert [type(r).__name__ for r in run.results] == ["Exclusion", "ChatResponse"]
    (exc,) = run.exclusions
    assert (exc.reason, exc.attempts, exc.status, exc.request_id) == ("rate_limited", 3, 429, "0")
    assert server.per_prompt["case 1 RATEALWAYS"] == 3  # 1 + max_retries
    assert run.exclusions_by_reason["rate_limited"] == 1
    assert run.manifest()["excluded"] == 1
    assert run.texts()[0] is None


def test_retry_after_beyond_the_limit_stops_at_once(server: ScriptedServer) -> None:
    sleeps = Sleeps()
    run = client(server, sleeps, max_retry_after=60).run_prompts(["case 1 RATELONG"])
    (exc,) = run.exclusions
    assert (exc.reason, exc.attempts) == ("rate_limited", 1)
    assert "max_retry_after" in exc.detail
    assert sleeps.delays == []


def test_500_is_retried_then_answered_or_excluded(server: ScriptedServer) -> None:
    run = client(server).run_prompts(["case 1 ERR500x1", "case 3 ERR500ALWAYS"])
    ok, bad = run.results
    assert ok.attempts == 2 and ok.content.startswith("Here is")
    assert (bad.reason, bad.attempts, bad.status) == ("http_5xx", 3, 500)
    assert server.per_prompt["case 1 ERR500x1"] == 2
    assert server.per_prompt["case 3 ERR500ALWAYS"] == 3


def test_4xx_and_bad_answers_are_not_retried(server: ScriptedServer) -> None:
    run = client(server).run_prompts(["case 1 BAD400", "case 1 GARBAGE", "case 1 NOCHOICES"])
    reasons = [(e.reason, e.attempts, e.status) for e in run.exclusions]
    assert reasons == [("http_4xx", 1, 400), ("bad_response", 1, 200), ("bad_response", 1, 200)]
    assert run.exclusions[1].detail == "the answer is not JSON"
    assert run.exclusions[2].detail == "the answer has no choices[0]"
    assert server.count == 3


def test_a_stalled_server_times_out(server: ScriptedServer) -> None:
    run = client(server, read_timeout=0.2, max_retries=1).run_prompts(["case 1 STALL"])
    (exc,) = run.exclusions
    assert (exc.reason, exc.attempts, exc.status) == ("timeout", 2, None)
    assert exc.detail == "no answer within 0.2 s"
    assert server.per_prompt["case 1 STALL"] == 2


def test_refused_connection_is_a_connection_error() -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cfg = EndpointConfig(
        base_url=f"http://127.0.0.1:{port}", model="m", max_retries=1, backoff_base=0.001
    )
    run = ChatClient(cfg, sleep=lambda s: None).run_prompts(["x"])
    (exc,) = run.exclusions
    assert (exc.reason, exc.attempts) == ("connection_error", 2)


def test_concurrency_limit(server: ScriptedServer) -> None:
    prompts = [f"case {i} SLOW" for i in range(8)]
    run = client(server, concurrency=2).run_prompts(prompts)
    assert len(run.responses) == 8
    assert server.max_inflight == 2


def test_cache_prevents_a_second_request(server: ScriptedServer, tmp_path: Path) -> None:
    prompts = ["case 1 a", "case 2 b", "case 1 a"]  # a duplicate in the batch is sent once
    first = client(server, cache_dir=tmp_path).run_prompts(prompts)
    assert server.count == 2
    assert first.http_requests == 2 and first.cache_hits == 0
    second = client(server, cache_dir=tmp_path).run_prompts(prompts)  # a new process, same dir
    assert server.count == 2  # nothing re-queried
    assert second.http_requests == 0 and second.cache_hits == 3
    assert all(r.cached and r.attempts == 0 for r in second.responses)
    assert second.texts() == first.texts()
    # parameters are part of the key: another seed asks again
    client(server, cache_dir=tmp_path, params=GenerationParams(seed=8)).run_prompts(["case 1 a"])
    assert server.count == 3
    # failures are not cached: a re-run retries them
    client(server, cache_dir=tmp_path, max_retries=0).run_prompts(["case 5 BAD400"])
    client(server, cache_dir=tmp_path, max_retries=0).run_prompts(["case 5 BAD400"])
    assert server.per_prompt["case 5 BAD400"] == 2
    lines = (tmp_path / "responses.jsonl").read_text().splitlines()
    assert len(lines) == 3
    assert all("case 1 a" not in line for line in lines)  # prompts are stored as hashes only


def test_corrupt_cache_lines_are_skipped_and_counted(
    server: ScriptedServer, tmp_path: Path
) -> None:
    client(server, cache_dir=tmp_path).run_prompts(["case 1 a", "case 3 b"])
    path = tmp_path / "responses.jsonl"
    with path.open("ab") as fh:
        fh.write(b'not json at all\n["a list"]\n{"key": "k", "content": 5}\n\xff\xfe\n{"key": "tr')
    c = client(server, cache_dir=tmp_path)
    assert c.cache is not None and c.cache.corrupt_lines == 5 and len(c.cache) == 2
    run = c.run_prompts(["case 1 a", "case 3 b", "case 5 c"])
    assert server.count == 3  # only the new prompt was sent
    assert run.cache_hits == 2 and run.manifest()["cache_corrupt_lines"] == 5
    # the new line was not glued to the torn one: a fresh load reads it
    assert len(ResponseCache(tmp_path)) == 3


def test_cache_is_safe_for_concurrent_writers(server: ScriptedServer, tmp_path: Path) -> None:
    prompts = [f"case {i} w" for i in range(40)]
    client(server, cache_dir=tmp_path, concurrency=8).run_prompts(prompts)
    cache = ResponseCache(tmp_path)
    assert (len(cache), cache.corrupt_lines) == (40, 0)


def test_cache_key_ignores_credentials_and_query_but_not_content() -> None:
    p = GenerationParams()
    msgs = (("user", "hi"),)
    cfg_a = EndpointConfig("https://u:pw@host.example:8443/api/?k=1", "m")
    cfg_b = EndpointConfig("https://host.example:8443/api", "m")
    assert cfg_a.display_url == cfg_b.display_url == "https://host.example:8443/api"
    key = cache_key(cfg_a.display_url, "m", msgs, p)
    assert key == cache_key(cfg_b.display_url, "m", msgs, p)
    assert len(key) == 64
    assert key != cache_key(cfg_b.display_url, "m2", msgs, p)
    assert key != cache_key(cfg_b.display_url, "m", (("user", "hi!"),), p)
    assert key != cache_key(cfg_b.display_url, "m", msgs, GenerationParams(temperature=0.5))


def test_the_key_never_appears_anywhere(
    server: ScriptedServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    c = client(server, cache_dir=tmp_path, max_retries=1)
    prompts = ["case 1 ECHO401", "case 2 RATEALWAYS", "case 3 ERR500ALWAYS", "case 4 ok"]
    run = c.run_prompts(prompts)
    assert server.requests[0]["authorization"] == f"Bearer {SECRET}"  # it was sent
    with pytest.raises(GenerationIncomplete) as info:
        c.generate(prompts)
    texts = [
        repr(c),
        repr(c.config),
        str(c.config),
        repr(run),
        json.dumps(run.manifest()),
        str(info.value),
        repr(info.value.run),
        caplog.text,
        (tmp_path / "responses.jsonl").read_text(),
        *(repr(r) for r in run.results),
        *(e.detail for e in run.exclusions),
    ]
    assert all(SECRET not in t for t in texts)
    assert run.exclusions[0].reason == "http_4xx" and run.exclusions[0].detail == "HTTP 401"


def test_basic_auth_in_url_is_sent_and_never_shown(server: ScriptedServer) -> None:
    url = server.base.replace("http://", "http://alice:pw-Hq81@")
    cfg = EndpointConfig(url, "m", max_retries=0)
    c = ChatClient(cfg)
    run = c.run_prompts(["case 1"])
    assert server.requests[0]["authorization"] == "Basic YWxpY2U6cHctSHE4MQ=="
    shown = [repr(c), repr(run), json.dumps(run.manifest()), cfg.display_url]
    assert all("pw-Hq81" not in t and "alice" not in t for t in shown)
    with pytest.raises(ConfigError) as info:
        EndpointConfig("ftp://alice:pw-Hq81@host/", "m")
    assert "pw-Hq81" not in str(info.value)


def test_missing_key_variable_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AUDITOR_TEST_KEY")
    with pytest.raises(ConfigError, match="AUDITOR_TEST_KEY"):
        ChatClient(EndpointConfig("http://127.0.0.1:9", "m", api_key_env="AUDITOR_TEST_KEY"))


def test_jitter_is_seeded(server: ScriptedServer) -> None:
    def delays(seed: int) -> list[float]:
        sleeps = Sleeps()
        c = client(server, sleeps, backoff_base=0.004, backoff_max=1.0, jitter_seed=seed)
        c.run_prompts(["case 1 ERR500ALWAYS"])
        return sleeps.delays

    first = delays(1)
    assert first == delays(1)
    assert first != delays(2)
    # attempt a waits backoff_base * 2**a times a factor in [0.5, 1)
    for a, d in enumerate(first):
        assert 0.004 * 2**a * 0.5 <= d < 0.004 * 2**a


def test_generate_returns_texts(server: ScriptedServer) -> None:
    out = client(server).generate(["case 1", "case 2"])
    assert len(out) == 2 and all('"advance"' in t for t in out)


def test_callable_generator_counts_failures() -> None:
    def model(prompts: list[str]) -> list[object]:
        if any("boom" in p for p in prompts):
            raise RuntimeError("model crashed")
        return [None if "none" in p else p.upper() for p in prompts]

    gen = CallableGenerator(model, model="local", batch_size=2)
    run = gen.run_prompts(["a", "b", "c boom", "d", "none"])
    kinds = [(r.request_id, getattr(r, "reason", "ok")) for r in run.results]
    assert kinds == [
        ("0", "ok"),
        ("1", "ok"),
        ("2", "generator_error"),
        ("3", "generator_error"),
        ("4", "bad_response"),
    ]
    assert run.texts()[:2] == ["A", "B"]
    assert run.exclusions_by_reason["generator_error"] == 2
    short = CallableGenerator(lambda ps: ps[:-1]).run_prompts(["a", "b"])
    assert [e.reason for e in short.exclusions] == ["bad_response", "bad_response"]


def test_parameters_are_validated() -> None:
    assert params_from_mapping({"temperature": 0.7, "seed": 3}) == GenerationParams(0.7, 3, 256)
    with pytest.raises(ConfigError, match=r"generation\.top_k"):
        params_from_mapping({"top_k": 3})
    with pytest.raises(ConfigError, match="temperature"):
        GenerationParams(temperature=-1)
    with pytest.raises(ConfigError, match="concurrency"):
        EndpointConfig("http://h", "m", concurrency=0)
    assert GenerationParams(None, None, None).payload() == {}


def test_two_clients_on_one_cache_file_in_parallel(server: ScriptedServer, tmp_path: Path) -> None:
    clients = [client(server, cache_dir=tmp_path, concurrency=4) for _ in range(2)]
    threads = [
        threading.Thread(target=c.run_prompts, args=([f"case {i} p{j}" for i in range(30)],))
        for j, c in enumerate(clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    cache = ResponseCache(tmp_path)
    assert (len(cache), cache.corrupt_lines) == (60, 0)


def test_retry_after_forms() -> None:
    import email.utils
    import time

    from auditor.generative.endpoint import _retry_after

    assert _retry_after("7") == 7.0
    assert _retry_after(" 0.5 ") == 0.5
    assert _retry_after("-3") == 0.0
    assert _retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # a date in the past
    soon = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 28 <= _retry_after(soon) <= 30
    assert _retry_after("soon") is None and _retry_after(None) is None
