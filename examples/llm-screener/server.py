"""Serve the example screener (screener.py) as an OpenAI-compatible chat-completions endpoint on
loopback, with the standard library only.

    python server.py --port 8000            # the biased screener
    python server.py --port 8000 --bias 0   # the same screener without the planted bias
    python server.py --port 0 --flaky       # some prompts always answer 429 or stall (tests)

``POST /v1/chat/completions`` reads the last user message and answers
``{"choices": [{"message": {"role": "assistant", "content": ...}}]}``. With ``--port 0`` a free
port is chosen; the first line printed is ``listening on http://127.0.0.1:PORT``.

``--flaky``: prompts whose sha256 ends in a byte ``% 10 == 0`` always get ``429 Too Many
Requests`` (``Retry-After: 0``) and those with ``% 10 == 1`` stall for ``--stall`` seconds before
answering (a client with a shorter read timeout sees a timeout): the audit must count both as
exclusions, never drop them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import contextlib

from screener import DEFAULT_BIAS, answer


def make_handler(bias: float, flaky: bool, stall: float) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # quiet: prompts hold names
            return

        def _send(self, status: int, body: dict[str, object], headers: dict[str, str]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(data)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            try:
                payload = json.loads(self.rfile.read(length) or b"{}")
                user = [m["content"] for m in payload["messages"] if m["role"] == "user"][-1]
            except (ValueError, KeyError, IndexError, TypeError):
                self._send(400, {"error": {"message": "bad request"}}, {})
                return
            if not self.path.rstrip("/").endswith("/chat/completions"):
                self._send(404, {"error": {"message": "not found"}}, {})
                return
            if flaky:
                tag = hashlib.sha256(user.encode()).digest()[-1] % 10
                if tag == 0:
                    self._send(429, {"error": {"message": "rate limited"}}, {"Retry-After": "0"})
                    return
                if tag == 1:
                    time.sleep(stall)
            content = answer(user, bias)
            self._send(
                200,
                {
                    "id": "chatcmpl-example",
                    "object": "chat.completion",
                    "model": payload.get("model", "llm-screener"),
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": content},
                            "finish_reason": "stop",
                        }
                    ],
                },
                {},
            )

    return Handler


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--bias", type=float, default=DEFAULT_BIAS)
    p.add_argument("--flaky", action="store_true")
    p.add_argument("--stall", type=float, default=3.0)
    args = p.parse_args(argv)
    server = ThreadingHTTPServer(
        ("127.0.0.1", args.port), make_handler(args.bias, args.flaky, args.stall)
    )
    server.daemon_threads = True
    print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
