"""Query a generative model: an OpenAI-compatible chat-completions client, and the same interface
over a plain Python callable.

Standard library only (``http.client``, ``concurrent.futures``): no SDK, no new dependency.

**The endpoint.** :class:`ChatClient` sends ``POST {base}/v1/chat/completions`` with
``{"model", "messages", "temperature", "seed", "max_tokens"}`` and reads
``choices[0].message.content``, the protocol vLLM, llama.cpp's server, Ollama and the hosted
APIs speak. A base URL that already ends in ``/v1`` is not given a second one.

- **The API key** is read from the environment variable whose *name* is given
  (``api_key_env="OPENAI_API_KEY"``), at the moment each request is sent. It is never stored on
  any object, never part of a returned value, a ``repr``, an exception message, a cache line or
  a log record; a missing variable is a :class:`~auditor.errors.ConfigError` naming the
  variable, not its value. User name and password written into the base URL
  (``https://user:pw@host``) are sent as HTTP basic authentication and shown nowhere either:
  every place the endpoint is named uses :attr:`EndpointConfig.display_url` (scheme, host, port
  and path only; no credentials, no query string).
- **Concurrency**: at most ``concurrency`` requests in flight (a thread pool). Identical requests
  in one batch are sent once.
- **Retries**: a 429, a 408, a 5xx, a timeout or a refused connection is retried up to
  ``max_retries`` times with exponential back-off (``backoff_base * 2**attempt``, capped at
  ``backoff_max``) and jitter (a factor in [0.5, 1.0) drawn from a generator seeded by
  ``jitter_seed`` and the request, so a re-run waits the same). A ``Retry-After`` header
  (seconds or an HTTP date) is honoured when it asks for longer; one asking for more than
  ``max_retry_after`` seconds ends the retries at once (the request is excluded as
  ``rate_limited`` rather than the run hanging). Other 4xx answers are not retried.
- **Timeouts**: ``connect_timeout`` for opening the connection, ``read_timeout`` for each read
  of the answer (a server that stalls past it is a ``timeout``). HTTPS certificates are verified
  against the system's trust store; proxy variables (``HTTPS_PROXY``) are not used.
- **Cache**: with ``cache_dir`` set, every successful answer is appended to
  ``cache_dir/responses.jsonl`` under the sha256 of (display URL, model, messages, generation
  parameters), and looked up there before anything is sent: a re-run or a re-render of the same
  suite never queries the model again. Failures are not cached (a re-run retries them). The file
  is written by one append per line under a lock (safe for the threads of one process); a line
  that cannot be read (a torn write, an edit) is skipped and counted in
  :attr:`ResponseCache.corrupt_lines`. Prompts are not written to the cache, only their hash.
- **Exclusions**: a request that still fails after its retries becomes an :class:`Exclusion`
  with a reason (``rate_limited``, ``timeout``, ``http_5xx``, ``http_4xx``, ``bad_response``,
  ``connection_error``; ``generator_error`` for a callable that raised), in its place in the
  results: counted (:attr:`GenerationRun.exclusions_by_reason`), never dropped.

**A Python callable.** :class:`CallableGenerator` wraps ``generate(list[str]) -> list[str]`` and
returns the same :class:`GenerationRun`, so live, callable and logged runs are audited alike.
:meth:`ChatClient.generate` is the endpoint as such a callable (it raises
:class:`GenerationIncomplete` when any prompt was excluded, instead of returning a gap).

Everything returned is a frozen dataclass: :class:`GenerationParams`, :class:`ChatRequest`,
:class:`ChatResponse`, :class:`Exclusion`, :class:`GenerationRun`.
"""

from __future__ import annotations

import base64
import email.utils
import hashlib
import http.client
import json
import logging
import math
import os
import random
import ssl
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args
from urllib.parse import unquote, urlsplit

from ..errors import ConfigError

__all__ = [
    "EXCLUSION_REASONS",
    "CallableGenerator",
    "ChatClient",
    "ChatRequest",
    "ChatResponse",
    "EndpointConfig",
    "Exclusion",
    "ExclusionReason",
    "GenerationIncomplete",
    "GenerationParams",
    "GenerationRun",
    "ResponseCache",
    "cache_key",
    "params_from_mapping",
]

log = logging.getLogger(__name__)

ExclusionReason = Literal[
    "rate_limited",
    "timeout",
    "http_5xx",
    "http_4xx",
    "bad_response",
    "connection_error",
    "generator_error",
]
#: every reason a request can be excluded for, in the order reports list them
EXCLUSION_REASONS: tuple[str, ...] = get_args(ExclusionReason)

_CACHE_FORMAT = 1
_CACHE_FILE = "responses.jsonl"
_MAX_BODY = 20_000_000  # bytes of one answer read at most


@dataclass(frozen=True)
class GenerationParams:
    """The sampling parameters sent with every request and recorded in the report.

    ``None`` leaves a parameter out of the request (the server's default applies, and the report
    says so). ``temperature=0`` and a fixed ``seed`` make most servers as repeatable as they get;
    none guarantees identical answers, which is why answers are cached."""

    temperature: float | None = 0.0
    seed: int | None = 0
    max_tokens: int | None = 256

    def __post_init__(self) -> None:
        if self.temperature is not None and not (
            math.isfinite(self.temperature) and self.temperature >= 0
        ):
            raise ConfigError(
                f"generation.temperature must be a number >= 0, got {self.temperature!r}"
            )
        if self.max_tokens is not None and (
            isinstance(self.max_tokens, bool) or int(self.max_tokens) != self.max_tokens
        ):
            raise ConfigError(f"generation.max_tokens must be an integer, got {self.max_tokens!r}")
        if self.max_tokens is not None and self.max_tokens < 1:
            raise ConfigError(f"generation.max_tokens must be >= 1, got {self.max_tokens!r}")
        if self.seed is not None and (isinstance(self.seed, bool) or int(self.seed) != self.seed):
            raise ConfigError(f"generation.seed must be an integer, got {self.seed!r}")

    def payload(self) -> dict[str, Any]:
        """The parameters as request fields (those set)."""
        out: dict[str, Any] = {}
        if self.temperature is not None:
            out["temperature"] = float(self.temperature)
        if self.seed is not None:
            out["seed"] = int(self.seed)
        if self.max_tokens is not None:
            out["max_tokens"] = int(self.max_tokens)
        return out

    def to_dict(self) -> dict[str, Any]:
        """All three parameters, ``None`` included (for the report)."""
        temperature = None if self.temperature is None else float(self.temperature)
        seed = None if self.seed is None else int(self.seed)
        max_tokens = None if self.max_tokens is None else int(self.max_tokens)
        return {"temperature": temperature, "seed": seed, "max_tokens": max_tokens}


@dataclass(frozen=True)
class ChatRequest:
    """One chat: ``messages`` as ``(role, content)`` pairs. ``request_id`` is the caller's label
    (a suite variant id); it is not part of the cache key, so two variants with the same text share
    one answer."""

    messages: tuple[tuple[str, str], ...]
    request_id: str = ""

    def __post_init__(self) -> None:
        if not self.messages:
            raise ValueError("a chat request needs at least one message")
        for role, content in self.messages:
            if role not in ("system", "user", "assistant"):
                raise ValueError(f"message role must be system, user or assistant, got {role!r}")
            if not isinstance(content, str):
                raise TypeError(f"message content must be text, got {type(content).__name__}")

    @classmethod
    def from_prompt(
        cls, prompt: str, *, system: str | None = None, request_id: str = ""
    ) -> ChatRequest:
        """A one-turn chat: an optional system message, then ``prompt`` as the user message."""
        messages = (("system", system),) if system else ()
        return cls(messages=(*messages, ("user", prompt)), request_id=request_id)

    def __repr__(self) -> str:  # prompts can carry personal data: show their size, not their text
        sizes = ", ".join(f"{role}:{len(text)} chars" for role, text in self.messages)
        return f"ChatRequest(request_id={self.request_id!r}, messages=[{sizes}])"


@dataclass(frozen=True)
class ChatResponse:
    """A successful answer. ``attempts`` is how many HTTP requests it took in this run (0 when it
    came from the cache)."""

    request_id: str
    key: str
    content: str
    model: str
    params: GenerationParams
    finish_reason: str | None = None
    attempts: int = 1
    cached: bool = False

    def __repr__(self) -> str:
        return (
            f"ChatResponse(request_id={self.request_id!r}, key={self.key[:12]!r}, "
            f"content=<{len(self.content)} chars>, model={self.model!r}, "
            f"attempts={self.attempts}, cached={self.cached})"
        )


@dataclass(frozen=True)
class Exclusion:
    """A request with no usable answer after its retries: counted and shown, never dropped.
    ``status`` is the last HTTP status (None for a timeout or a refused connection); ``detail``
    is one line written by auditor (never the server's body, never a credential)."""

    request_id: str
    key: str
    reason: ExclusionReason
    attempts: int
    status: int | None = None
    detail: str = ""


Result = ChatResponse | Exclusion


@dataclass(frozen=True)
class GenerationRun:
    """The answers to a batch, in the order of the requests, and what it took to get them."""

    results: tuple[Result, ...]
    model: str
    params: GenerationParams
    endpoint: str = ""
    http_requests: int = 0
    cache_hits: int = 0
    cache_corrupt_lines: int = 0

    @property
    def responses(self) -> tuple[ChatResponse, ...]:
        return tuple(r for r in self.results if isinstance(r, ChatResponse))

    @property
    def exclusions(self) -> tuple[Exclusion, ...]:
        return tuple(r for r in self.results if isinstance(r, Exclusion))

    @property
    def exclusions_by_reason(self) -> dict[str, int]:
        """Every reason, zero counts included (a report shows that nothing was excluded)."""
        counts: Counter[str] = Counter(e.reason for e in self.exclusions)
        return {reason: counts.get(reason, 0) for reason in EXCLUSION_REASONS}

    def texts(self) -> list[str | None]:
        """The answer texts in request order, ``None`` where the request was excluded."""
        return [r.content if isinstance(r, ChatResponse) else None for r in self.results]

    def manifest(self) -> dict[str, Any]:
        """What the report records about the generation (no prompt, no answer, no key)."""
        return {
            "endpoint": self.endpoint,
            "model": self.model,
            "parameters": self.params.to_dict(),
            "requests": len(self.results),
            "answered": len(self.responses),
            "from_cache": self.cache_hits,
            "http_requests": self.http_requests,
            "excluded": len(self.exclusions),
            "exclusions_by_reason": self.exclusions_by_reason,
            "cache_corrupt_lines": self.cache_corrupt_lines,
        }


class GenerationIncomplete(RuntimeError):
    """:meth:`ChatClient.generate` could not answer every prompt; ``run`` holds what it got."""

    def __init__(self, run: GenerationRun) -> None:
        reasons = ", ".join(f"{k}: {v}" for k, v in run.exclusions_by_reason.items() if v)
        super().__init__(
            f"{len(run.exclusions)} of {len(run.results)} prompts got no answer ({reasons})"
        )
        self.run = run


@dataclass(frozen=True)
class EndpointConfig:
    """Where and how to query. ``base_url`` may carry user name and password (sent as basic
    authentication, shown nowhere); ``api_key_env`` is the *name* of the environment variable
    holding a bearer token (None: no token)."""

    base_url: str
    model: str
    api_key_env: str | None = None
    params: GenerationParams = field(default_factory=GenerationParams)
    concurrency: int = 4
    max_retries: int = 4
    backoff_base: float = 0.5
    backoff_max: float = 30.0
    max_retry_after: float = 120.0
    connect_timeout: float = 10.0
    read_timeout: float = 120.0
    jitter_seed: int = 0
    cache_dir: Path | None = None

    def __post_init__(self) -> None:
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(
                f"endpoint: base URL must be http:// or https:// with a host, got {_display(self.base_url)!r}"
            )
        if not self.model or not isinstance(self.model, str):
            raise ConfigError("endpoint.model: a model name is required")
        if self.concurrency < 1:
            raise ConfigError(f"endpoint.concurrency must be >= 1, got {self.concurrency}")
        if self.max_retries < 0:
            raise ConfigError(f"endpoint.max_retries must be >= 0, got {self.max_retries}")
        for name in ("backoff_base", "backoff_max", "max_retry_after"):
            if getattr(self, name) < 0:
                raise ConfigError(f"endpoint.{name} must be >= 0")
        for name in ("connect_timeout", "read_timeout"):
            if not getattr(self, name) > 0:
                raise ConfigError(f"endpoint.{name} must be > 0 seconds")

    @property
    def display_url(self) -> str:
        """The base URL without user name, password, query or fragment: the only form shown."""
        return _display(self.base_url)

    @property
    def completions_path(self) -> str:
        path = urlsplit(self.base_url).path.rstrip("/")
        if not path.endswith("/v1"):
            path += "/v1"
        return path + "/chat/completions"

    def __repr__(self) -> str:
        return (
            f"EndpointConfig(base_url={self.display_url!r}, model={self.model!r}, "
            f"api_key_env={self.api_key_env!r}, params={self.params!r}, "
            f"concurrency={self.concurrency}, max_retries={self.max_retries})"
        )


def _display(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = f"{host}:{port}" if port else host
    return f"{parts.scheme}://{netloc}{parts.path.rstrip('/')}"


def cache_key(
    endpoint: str, model: str, messages: Sequence[tuple[str, str]], params: GenerationParams
) -> str:
    """sha256 (hex) of the canonical JSON of (endpoint display URL, model, messages, parameters)."""
    doc = {
        "format": _CACHE_FORMAT,
        "endpoint": endpoint,
        "model": model,
        "messages": [[role, content] for role, content in messages],
        "params": params.to_dict(),
    }
    text = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_PATH_LOCKS: dict[str, threading.Lock] = {}
_PATH_LOCKS_GUARD = threading.Lock()


def _path_lock(path: Path) -> threading.Lock:
    """One lock per cache file in this process, shared by every client that opens it."""
    with _PATH_LOCKS_GUARD:
        return _PATH_LOCKS.setdefault(str(path.resolve()), threading.Lock())


class ResponseCache:
    """Answers by cache key in a JSON Lines file (``directory/responses.jsonl``).

    Loaded once when opened; every :meth:`put` appends one line with a single ``write`` under a
    lock shared by every cache object on the same file in this process, and flushes it. A line that is not a JSON object with a text ``key`` and ``content`` is
    skipped and counted in :attr:`corrupt_lines`; when a key appears twice the last line wins."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.path = self.directory / _CACHE_FILE
        self._lock = _path_lock(self.path)
        self._entries: dict[str, dict[str, Any]] = {}
        self.corrupt_lines = 0
        if self.path.exists():
            self._load()

    def _load(self) -> None:
        with self.path.open("rb") as fh:
            for raw in fh:
                if not raw.strip():
                    continue
                try:
                    entry = json.loads(raw.decode("utf-8"))
                except (UnicodeDecodeError, ValueError):
                    self.corrupt_lines += 1
                    continue
                if (
                    not isinstance(entry, dict)
                    or not isinstance(entry.get("key"), str)
                    or not isinstance(entry.get("content"), str)
                ):
                    self.corrupt_lines += 1
                    continue
                self._entries[entry["key"]] = entry

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def get(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            return self._entries.get(key)

    def put(self, key: str, content: str, model: str, finish_reason: str | None) -> None:
        entry = {
            "format": _CACHE_FORMAT,
            "key": key,
            "model": model,
            "content": content,
            "finish_reason": finish_reason,
            "stored": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        line = json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n"
        data = line.encode("utf-8")
        with self._lock:
            # a torn last line from an interrupted run must not swallow this one
            needs_newline = False
            if self.path.exists() and self.path.stat().st_size:
                with self.path.open("rb") as fh:
                    fh.seek(-1, os.SEEK_END)
                    needs_newline = fh.read(1) != b"\n"
            with self.path.open("ab") as fh:
                fh.write((b"\n" if needs_newline else b"") + data)
                fh.flush()
            self._entries[key] = entry


class _Attempt:
    """The outcome of one HTTP request."""

    __slots__ = ("content", "detail", "finish_reason", "reason", "retry_after", "status")

    def __init__(
        self,
        *,
        content: str | None = None,
        finish_reason: str | None = None,
        reason: ExclusionReason | None = None,
        status: int | None = None,
        retry_after: float | None = None,
        detail: str = "",
    ) -> None:
        self.content = content
        self.finish_reason = finish_reason
        self.reason = reason
        self.status = status
        self.retry_after = retry_after
        self.detail = detail


def _retry_after(value: str | None) -> float | None:
    """Seconds asked for by a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _content(body: bytes) -> tuple[str | None, str | None, str]:
    """(content, finish_reason, problem) of a chat-completions answer."""
    try:
        doc = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None, None, "the answer is not JSON"
    if not isinstance(doc, dict):
        return None, None, "the answer is not a JSON object"
    choices = doc.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        return None, None, "the answer has no choices[0]"
    message = choices[0].get("message")
    content = message.get("content") if isinstance(message, dict) else None
    if not isinstance(content, str):
        return None, None, "choices[0].message.content is missing or not text"
    finish = choices[0].get("finish_reason")
    return content, finish if isinstance(finish, str) else None, ""


class ChatClient:
    """An OpenAI-compatible chat-completions endpoint (see the module docstring).

    ``sleep`` is how the client waits between retries (``time.sleep``; tests may record it)."""

    def __init__(
        self, config: EndpointConfig, *, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self.config = config
        self._sleep = sleep
        self._cache = ResponseCache(config.cache_dir) if config.cache_dir is not None else None
        self._count_lock = threading.Lock()
        self._http_requests = 0
        if config.api_key_env is not None:
            self._api_key()  # a missing variable is a usage error before anything is sent

    def __repr__(self) -> str:
        return f"ChatClient({self.config!r})"

    @property
    def cache(self) -> ResponseCache | None:
        return self._cache

    def _api_key(self) -> str | None:
        name = self.config.api_key_env
        if name is None:
            return None
        value = os.environ.get(name)
        if not value:
            raise ConfigError(
                f"endpoint: the environment variable {name} (api_key_env) is not set or empty"
            )
        return value

    def _headers(self, body: bytes) -> dict[str, str]:
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Content-Length": str(len(body)),
            "User-Agent": "auditor-generative",
        }
        key = self._api_key()
        parts = urlsplit(self.config.base_url)
        if key is not None:
            headers["Authorization"] = f"Bearer {key}"
        elif parts.username is not None:
            user = unquote(parts.username)
            password = unquote(parts.password or "")
            token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
            headers["Authorization"] = f"Basic {token}"
        return headers

    def _connection(self) -> http.client.HTTPConnection:
        parts = urlsplit(self.config.base_url)
        host = parts.hostname or ""
        timeout = self.config.connect_timeout
        if parts.scheme == "https":
            return http.client.HTTPSConnection(
                host, parts.port, timeout=timeout, context=ssl.create_default_context()
            )
        return http.client.HTTPConnection(host, parts.port, timeout=timeout)

    def _send(self, request: ChatRequest) -> _Attempt:
        """One HTTP request; never raises for what the server or network does."""
        payload = {
            "model": self.config.model,
            "messages": [{"role": r, "content": c} for r, c in request.messages],
            **self.config.params.payload(),
        }
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        path = self.config.completions_path
        query = urlsplit(self.config.base_url).query
        target = f"{path}?{query}" if query else path
        with self._count_lock:
            self._http_requests += 1
        conn = self._connection()
        try:
            try:
                conn.connect()
            except TimeoutError:
                return _Attempt(reason="timeout", detail="connect timed out")
            except OSError as exc:
                return _Attempt(
                    reason="connection_error", detail=f"cannot connect ({type(exc).__name__})"
                )
            if conn.sock is not None:
                conn.sock.settimeout(self.config.read_timeout)
            try:
                conn.request("POST", target, body=body, headers=self._headers(body))
                resp = conn.getresponse()
                status = resp.status
                retry_after = _retry_after(resp.getheader("Retry-After"))
                data = resp.read(_MAX_BODY + 1)
            except TimeoutError:
                return _Attempt(
                    reason="timeout", detail=f"no answer within {self.config.read_timeout:g} s"
                )
            except (OSError, http.client.HTTPException) as exc:
                return _Attempt(
                    reason="connection_error", detail=f"connection failed ({type(exc).__name__})"
                )
        finally:
            conn.close()
        if status == 429:
            return _Attempt(
                reason="rate_limited", status=status, retry_after=retry_after, detail="HTTP 429"
            )
        if status == 408:
            return _Attempt(
                reason="timeout", status=status, retry_after=retry_after, detail="HTTP 408"
            )
        if status >= 500:
            return _Attempt(
                reason="http_5xx", status=status, retry_after=retry_after, detail=f"HTTP {status}"
            )
        if status >= 400:
            return _Attempt(reason="http_4xx", status=status, detail=f"HTTP {status}")
        if not 200 <= status < 300:
            return _Attempt(reason="bad_response", status=status, detail=f"HTTP {status}")
        if len(data) > _MAX_BODY:
            return _Attempt(reason="bad_response", status=status, detail="the answer is too large")
        content, finish, problem = _content(data)
        if content is None:
            return _Attempt(reason="bad_response", status=status, detail=problem)
        return _Attempt(content=content, finish_reason=finish, status=status)

    def _delay(self, key: str, attempt: int, retry_after: float | None) -> float:
        cfg = self.config
        rng = random.Random(f"{cfg.jitter_seed}:{key}:{attempt}")  # noqa: S311 - jitter, not a secret
        backoff = min(cfg.backoff_max, cfg.backoff_base * (2**attempt)) * (0.5 + rng.random() / 2)
        return float(max(backoff, retry_after or 0.0))

    def _fetch(self, request: ChatRequest, key: str) -> Result:
        cfg = self.config
        attempts = 0
        while True:
            outcome = self._send(request)
            attempts += 1
            if outcome.content is not None:
                if self._cache is not None:
                    self._cache.put(key, outcome.content, cfg.model, outcome.finish_reason)
                return ChatResponse(
                    request_id=request.request_id,
                    key=key,
                    content=outcome.content,
                    model=cfg.model,
                    params=cfg.params,
                    finish_reason=outcome.finish_reason,
                    attempts=attempts,
                )
            assert outcome.reason is not None
            retryable = outcome.reason in (
                "rate_limited",
                "timeout",
                "http_5xx",
                "connection_error",
            )
            too_long = outcome.retry_after is not None and outcome.retry_after > cfg.max_retry_after
            if not retryable or attempts > cfg.max_retries or too_long:
                detail = outcome.detail
                if too_long:
                    detail += f"; Retry-After {outcome.retry_after:g} s exceeds max_retry_after"
                log.info(
                    "request %s excluded after %d attempt(s): %s",
                    request.request_id or key[:12],
                    attempts,
                    outcome.reason,
                )
                return Exclusion(
                    request_id=request.request_id,
                    key=key,
                    reason=outcome.reason,
                    attempts=attempts,
                    status=outcome.status,
                    detail=detail,
                )
            self._sleep(self._delay(key, attempts - 1, outcome.retry_after))

    def run(self, requests: Iterable[ChatRequest]) -> GenerationRun:
        """Answer every request (cache first, then the endpoint), in request order."""
        reqs = list(requests)
        cfg = self.config
        endpoint = cfg.display_url
        keys = [cache_key(endpoint, cfg.model, r.messages, cfg.params) for r in reqs]
        sent_before = self._http_requests
        results: list[Result | None] = [None] * len(reqs)
        hits = 0
        todo: dict[str, int] = {}  # key -> first request index with it
        for i, (request, key) in enumerate(zip(reqs, keys, strict=True)):
            entry = self._cache.get(key) if self._cache is not None else None
            if entry is not None:
                hits += 1
                finish = entry.get("finish_reason")
                results[i] = ChatResponse(
                    request_id=request.request_id,
                    key=key,
                    content=entry["content"],
                    model=cfg.model,
                    params=cfg.params,
                    finish_reason=finish if isinstance(finish, str) else None,
                    attempts=0,
                    cached=True,
                )
            else:
                todo.setdefault(key, i)
        fetched: dict[str, Result] = {}
        if todo:
            workers = min(cfg.concurrency, len(todo))
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="auditor-gen") as pool:
                futures = {key: pool.submit(self._fetch, reqs[i], key) for key, i in todo.items()}
                fetched = {key: fut.result() for key, fut in futures.items()}
        for i, (request, key) in enumerate(zip(reqs, keys, strict=True)):
            if results[i] is not None:
                continue
            got = fetched[key]
            first = todo[key] == i
            if isinstance(got, ChatResponse):
                results[i] = ChatResponse(
                    request_id=request.request_id,
                    key=key,
                    content=got.content,
                    model=got.model,
                    params=got.params,
                    finish_reason=got.finish_reason,
                    attempts=got.attempts if first else 0,
                    cached=False,
                )
            else:
                results[i] = Exclusion(
                    request_id=request.request_id,
                    key=key,
                    reason=got.reason,
                    attempts=got.attempts if first else 0,
                    status=got.status,
                    detail=got.detail,
                )
        done = tuple(r for r in results if r is not None)
        return GenerationRun(
            results=done,
            model=cfg.model,
            params=cfg.params,
            endpoint=endpoint,
            http_requests=self._http_requests - sent_before,
            cache_hits=hits,
            cache_corrupt_lines=self._cache.corrupt_lines if self._cache is not None else 0,
        )

    def run_prompts(self, prompts: Iterable[str], *, system: str | None = None) -> GenerationRun:
        """:meth:`run` on one-turn chats (request ids are the prompts' positions)."""
        return self.run(
            ChatRequest.from_prompt(p, system=system, request_id=str(i))
            for i, p in enumerate(prompts)
        )

    def generate(self, prompts: list[str]) -> list[str]:
        """The endpoint as a plain ``generate(list[str]) -> list[str]`` callable; raises
        :class:`GenerationIncomplete` (with the run attached) when any prompt was excluded."""
        run = self.run_prompts(prompts)
        if run.exclusions:
            raise GenerationIncomplete(run)
        return [r.content for r in run.responses]


class CallableGenerator:
    """A Python ``generate(list[str]) -> list[str]`` behind the same interface as
    :class:`ChatClient`: :meth:`run_prompts` returns a :class:`GenerationRun`.

    Prompts are passed in batches of ``batch_size``. A batch whose call raises has every prompt
    excluded as ``generator_error``; a batch answered with the wrong number of items, or an item
    that is not text, is ``bad_response`` (the whole batch when the count is wrong, else the
    item). ``model`` and ``params`` are recorded as given (the callable is trusted to use them)."""

    def __init__(
        self,
        generate: Callable[[list[str]], Sequence[object]],
        *,
        model: str = "callable",
        params: GenerationParams | None = None,
        batch_size: int = 64,
    ) -> None:
        if not callable(generate):
            raise ConfigError("generate must be a callable taking a list of prompts")
        if batch_size < 1:
            raise ConfigError(f"batch_size must be >= 1, got {batch_size}")
        self._generate = generate
        self.model = model
        self.params = params if params is not None else GenerationParams()
        self.batch_size = batch_size

    def __repr__(self) -> str:
        return f"CallableGenerator(model={self.model!r}, batch_size={self.batch_size})"

    def run_prompts(self, prompts: Iterable[str], *, system: str | None = None) -> GenerationRun:
        items = list(prompts)
        results: list[Result] = []
        calls = 0
        for start in range(0, len(items), self.batch_size):
            batch = items[start : start + self.batch_size]
            ids = [str(start + j) for j in range(len(batch))]
            keys = [
                cache_key("callable", self.model, _messages(p, system), self.params) for p in batch
            ]
            calls += 1
            try:
                answers = list(self._generate(batch))
            except Exception as exc:  # the callable is the user's code: its failure is counted
                detail = f"the callable raised {type(exc).__name__}"
                results += [
                    Exclusion(rid, key, "generator_error", 1, None, detail)
                    for rid, key in zip(ids, keys, strict=True)
                ]
                continue
            if len(answers) != len(batch):
                detail = f"the callable returned {len(answers)} answers for {len(batch)} prompts"
                results += [
                    Exclusion(rid, key, "bad_response", 1, None, detail)
                    for rid, key in zip(ids, keys, strict=True)
                ]
                continue
            for rid, key, answer in zip(ids, keys, answers, strict=True):
                if isinstance(answer, str):
                    results.append(ChatResponse(rid, key, answer, self.model, self.params))
                else:
                    detail = f"the callable returned {type(answer).__name__}, not text"
                    results.append(Exclusion(rid, key, "bad_response", 1, None, detail))
        return GenerationRun(
            results=tuple(results), model=self.model, params=self.params, http_requests=0
        )


def _messages(prompt: str, system: str | None) -> tuple[tuple[str, str], ...]:
    return ChatRequest.from_prompt(prompt, system=system).messages


def params_from_mapping(data: Mapping[str, Any]) -> GenerationParams:
    """:class:`GenerationParams` from a config mapping; an unknown key is a ConfigError naming it."""
    known = {"temperature", "seed", "max_tokens"}
    for key in data:
        if key not in known:
            raise ConfigError(
                f"generation.{key}: unknown parameter (known: {', '.join(sorted(known))})"
            )
    return GenerationParams(**{k: data[k] for k in known if k in data})
