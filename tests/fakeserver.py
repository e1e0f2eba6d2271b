"""A small OpenAI-compatible server for tests and benchmarks, on 127.0.0.1, standard library only.

Scriptable per request: push :class:`Reply` objects (a status, a body, headers,
a delay, or a dropped connection) and they are served in order; when the script
runs out, a default answer is served: a valid critique (no findings) or a rewrite
that returns the draft unchanged, chosen from the request's schema name.

    with FakeLLM(latency=0.3) as server:
        server.push(Reply(429, headers={"retry-after": "1"}))
        ... OPENAI_BASE_URL=server.base_url ...
        server.requests  # the JSON bodies received
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

DRAFT_FENCE = re.compile(r"<<<(DRAFT-[0-9a-f]{12})\n(.*?)\n\1>>>", re.DOTALL)


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # dict/list: JSON; str: raw text; None: the default answer for the request
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False  # close the connection without answering


def completion(content: str | None, finish: str = "stop", refusal: str | None = None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": "fake-model",
        "choices": [
            {
                "index": 0,
                "finish_reason": finish,
                "message": {"role": "assistant", "content": content, "refusal": refusal},
            }
        ],
        "usage": {"prompt_tokens": 1000, "completion_tokens": 100, "total_tokens": 1100},
    }


def default_answer(request: dict[str, Any]) -> dict[str, Any]:
    """A valid answer for whatever schema the request asks for."""
    fmt = request.get("response_format") or {}
    name = (fmt.get("json_schema") or {}).get("name", "")
    schema_text = json.dumps(fmt)
    user = next((m["content"] for m in request.get("messages", []) if m.get("role") == "user"), "")
    if name == "RewriteAnswer" or ('"text"' in schema_text and '"changes"' in schema_text) or "rewrite" in user[:200]:
        match = DRAFT_FENCE.search(user)
        draft = match.group(2) if match else "Hi,\n\nThanks.\n\nSam"
        return completion(json.dumps({"text": draft, "subject": None, "changes": []}))
    answer = {"verdict": "Name one question.", "decisions": [], "findings": [], "strengths": ["clear and polite"]}
    return completion(json.dumps(answer))


RewriteMaker = Callable[[str, str], dict[str, Any]]


def scripted_rewrites(*makers: RewriteMaker) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """A default answer that serves critiques as usual and each rewrite request from ``makers`` in
    turn (the last repeats), called with the draft and its fence id as the request shows them, so a
    fake model can echo the fence the way a real small model did."""
    queue = list(makers)

    def answer(request: dict[str, Any]) -> dict[str, Any]:
        fmt = request.get("response_format") or {}
        name = (fmt.get("json_schema") or {}).get("name", "")
        if name != "RewriteAnswer" and '"changes"' not in json.dumps(fmt):
            return default_answer(request)
        user = next((m["content"] for m in request.get("messages", []) if m.get("role") == "user"), "")
        match = DRAFT_FENCE.search(user)
        fence, draft = (match.group(1), match.group(2)) if match else ("DRAFT-000000000000", "")
        make = queue.pop(0) if len(queue) > 1 else queue[0]
        return completion(json.dumps(make(draft, fence)))

    return answer


class FakeLLM:
    def __init__(self, latency: float = 0.0, default: Callable[[dict[str, Any]], dict[str, Any]] = default_answer):
        self.latency = latency
        self.default = default
        self.script: deque[Reply] = deque()
        self.requests: list[dict[str, Any]] = []
        self.in_flight = 0
        self.peak = 0  # the most requests served at the same time
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start the server first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def push(self, *replies: Reply) -> None:
        with self._lock:
            self.script.extend(replies)

    def _next(self) -> Reply | None:
        with self._lock:
            return self.script.popleft() if self.script else None

    def start(self) -> FakeLLM:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go in two writes: no 40 ms delayed-ACK stall

            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:  # /v1/models, for clients that probe
                self._send(200, {"object": "list", "data": [{"id": "fake-model", "object": "model"}]}, {})

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    request = json.loads(raw or b"{}")
                except ValueError:
                    request = {}
                with fake._lock:
                    fake.requests.append(request)
                    fake.in_flight += 1
                    fake.peak = max(fake.peak, fake.in_flight)
                try:
                    self._answer(request)
                finally:
                    with fake._lock:
                        fake.in_flight -= 1

            def _answer(self, request: dict[str, Any]) -> None:
                reply = fake._next() or Reply()
                if fake.latency or reply.delay:
                    time.sleep(fake.latency + reply.delay)
                if reply.drop:
                    with contextlib.suppress(OSError):
                        self.connection.shutdown(socket.SHUT_RDWR)
                    self.close_connection = True
                    return
                body = reply.body if reply.body is not None else fake.default(request)
                self._send(reply.status, body, reply.headers)

            def _send(self, status: int, body: Any, headers: dict[str, str]) -> None:
                data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the client gave up (a timeout test): nothing to do
                    self.close_connection = True

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        # A short poll interval: shutdown() waits for the loop to notice, 0.5 s per server by default.
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeLLM:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
