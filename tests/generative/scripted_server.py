"""A real OpenAI-compatible chat-completions server on loopback, scripted by markers in the prompt.

Markers (anywhere in the last user message):

- ``RATE<n>``: the first n requests for that prompt answer 429 with ``Retry-After: <retry_after>``
- ``RATEALWAYS``: always 429; ``RATELONG``: 429 with ``Retry-After: 3600``
- ``ERR500x<n>``: the first n requests answer 500; ``ERR500ALWAYS``: always 500
- ``BAD400``: 400; ``ECHO401``: 401 whose body quotes the Authorization header it got
- ``STALL``: waits ``stall`` seconds before answering; ``SLOW``: waits 0.15 s (concurrency test)
- ``GARBAGE``: 200 with a body that is not JSON; ``NOCHOICES``: 200 with ``{"choices": []}``
- otherwise: a deterministic screener. It answers ``{"decision": "reject"}`` when the prompt
  names someone in ``disfavoured`` and the case number (``case <n>``) is even, else
  ``{"decision": "advance"}``, inside a ```json fenced block with a sentence around it.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class ScriptedServer:
    def __init__(self, *, retry_after: str = "0.05", stall: float = 0.6) -> None:
        self.retry_after = retry_after
        self.stall = stall
        self.disfavoured: set[str] = set()
        self.requests: list[dict[str, Any]] = []
        self.per_prompt: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.inflight = 0
        self.max_inflight = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length))
                server._handle(self, body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> ScriptedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def count(self) -> int:
        return len(self.requests)

    def _reply(
        self,
        handler: BaseHTTPRequestHandler,
        status: int,
        payload: bytes,
        headers: dict[str, str] | None = None,
    ) -> None:
        try:
            handler.send_response(status)
            for k, v in (headers or {}).items():
                handler.send_header(k, v)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(payload)))
            handler.end_headers()
            handler.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _handle(self, handler: BaseHTTPRequestHandler, body: dict[str, Any]) -> None:
        prompt = body["messages"][-1]["content"]
        with self.lock:
            self.requests.append(
                {
                    "path": handler.path,
                    "authorization": handler.headers.get("Authorization"),
                    "body": body,
                }
            )
            self.per_prompt[prompt] += 1
            nth = self.per_prompt[prompt]
            self.inflight += 1
            self.max_inflight = max(self.max_inflight, self.inflight)
        try:
            self._respond(handler, prompt, nth)
        finally:
            with self.lock:
                self.inflight -= 1

    def _respond(self, handler: BaseHTTPRequestHandler, prompt: str, nth: int) -> None:
        m = re.search(r"RATE(\d+)\b", prompt)
        if (m and nth <= int(m.group(1))) or "RATEALWAYS" in prompt:
            return self._reply(
                handler, 429, b'{"error": "slow down"}', {"Retry-After": self.retry_after}
            )
        if "RATELONG" in prompt:
            return self._reply(handler, 429, b"{}", {"Retry-After": "3600"})
        m = re.search(r"ERR500x(\d+)", prompt)
        if (m and nth <= int(m.group(1))) or "ERR500ALWAYS" in prompt:
            return self._reply(handler, 500, b'{"error": "boom"}')
        if "BAD400" in prompt:
            return self._reply(handler, 400, b'{"error": "bad request"}')
        if "ECHO401" in prompt:
            auth = handler.headers.get("Authorization", "")
            return self._reply(handler, 401, json.dumps({"error": f"bad key {auth}"}).encode())
        if "STALL" in prompt:
            time.sleep(self.stall)
        if "SLOW" in prompt:
            time.sleep(0.15)
        if "GARBAGE" in prompt:
            return self._reply(handler, 200, b"<html>not json</html>")
        if "NOCHOICES" in prompt:
            return self._reply(handler, 200, b'{"choices": []}')
        case = re.search(r"case (\d+)", prompt)
        even = case is not None and int(case.group(1)) % 2 == 0
        named = any(re.search(rf"\b{re.escape(n)}\b", prompt) for n in self.disfavoured)
        decision = "reject" if (named and even) else "advance"
        content = f'Here is my assessment.\n```json\n{{"decision": "{decision}"}}\n```\nThanks.'
        if "ECHOPROMPT" in prompt:
            content = prompt
        answer = {
            "id": "cmpl-1",
            "object": "chat.completion",
            "model": handler.headers.get("X-Model", "m"),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": "stop",
                }
            ],
        }
        return self._reply(handler, 200, json.dumps(answer).encode())
