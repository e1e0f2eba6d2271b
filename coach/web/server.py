"""The HTTP side of ``coach serve``: the standard library's threading server, the page's three
files, the JSON API, and the guards that keep both for this machine's own browser.

- Host: a request must name the bound address or localhost (a DNS-rebinding page cannot).
- Origin: a write (POST) from a browser must come from this server's own page, as JSON.
- Size: a body over the limit gets 413 before it is read.
- Errors: JSON ``{"error": ONE LINE, "exit_code": N}``, the line the CLI would print, key-free.
- Nothing is loaded from elsewhere: the page's Content-Security-Policy allows this server only.
"""

from __future__ import annotations

import json
import socket
import sys
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any, ClassVar
from urllib.parse import urlsplit

from coach.errors import CoachError, ExitCode, redact
from coach.web.api import Answer, MissingFacts, Service

MAX_BODY_BYTES = 100_000  # as for a draft read from a file or stdin
# The plan's upload is LinkedIn's export: its files have their own 16 MB limit (coach.plan.files),
# sent as base64 inside JSON (4 bytes for every 3).
MAX_PLAN_BODY_BYTES = 16_000_000 * 4 // 3 + 100_000
DRAIN_BYTES = 2_000_000  # a body over the limit but under this is read and dropped before the 413
LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})

STATIC: dict[str, tuple[str, str]] = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/index.html": ("index.html", "text/html; charset=utf-8"),
    "/app.js": ("app.js", "text/javascript; charset=utf-8"),
    "/style.css": ("style.css", "text/css; charset=utf-8"),
}
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
STATUS_FOR_EXIT: dict[int, HTTPStatus] = {
    ExitCode.USAGE: HTTPStatus.BAD_REQUEST,
    ExitCode.MODEL: HTTPStatus.BAD_GATEWAY,
}


class Refused(Exception):
    """A request this server will not answer: its status and the one line that says why."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _static(name: str) -> bytes:
    return resources.files("coach.web").joinpath("static", name).read_bytes()


def _hostname(value: str) -> tuple[str, str | None]:
    """``("::1", "8765")`` from ``[::1]:8765``; the port is None when not given."""
    parts = urlsplit(f"//{value}")
    try:
        port = parts.port
    except ValueError:
        return value.lower(), "?"
    return (parts.hostname or "").lower(), None if port is None else str(port)


class CoachServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, host: str, port: int, service: Service) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.service = service
        self.host = host.strip("[]").lower()
        super().__init__((self.host, port), Handler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        shown = "localhost" if self.host in ("0.0.0.0", "::", "") else self.host
        return f"http://{f'[{shown}]' if ':' in shown else shown}:{self.port}/"

    def allowed_names(self) -> frozenset[str]:
        return LOCAL_NAMES | {self.host}


class Handler(BaseHTTPRequestHandler):
    server: CoachServer
    server_version = "coach"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    ENDPOINTS: ClassVar[dict[str, str]] = {
        "/api/critique": "critique",
        "/api/rewrite": "rewrite",
        "/api/compose": "compose",
        "/api/plan": "plan",
    }

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes: without this, Nagle's algorithm and the client's
        # delayed ACK hold the body back ~40 ms on every kept-alive request.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    # --- the guards ---------------------------------------------------------------------------

    def check_host(self) -> None:
        host = self.headers.get("Host")
        if not host:
            raise Refused(HTTPStatus.FORBIDDEN, "refused: the request has no Host header")
        name, port = _hostname(host)
        if name not in self.server.allowed_names() or (port is not None and port != str(self.server.port)):
            raise Refused(
                HTTPStatus.FORBIDDEN,
                f"refused: Host {host!r} is not this server's address; open {self.server.url} instead",
            )

    def check_origin(self) -> None:
        """A browser's write must come from this page: its Origin, else its Sec-Fetch-Site, must say so."""
        origin = self.headers.get("Origin")
        if origin is not None:
            parts = urlsplit(origin)
            try:
                port = parts.port or 80
            except ValueError:
                port = -1
            name = (parts.hostname or "").lower()
            if parts.scheme != "http" or name not in self.server.allowed_names() or port != self.server.port:
                raise Refused(HTTPStatus.FORBIDDEN, f"refused: a write from another origin ({origin})")
        elif self.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
            raise Refused(HTTPStatus.FORBIDDEN, "refused: a write from another site")
        kind = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if kind != "application/json":
            raise Refused(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "the request body must be JSON (application/json)")

    def read_body(self, limit: int) -> Any:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            raise Refused(HTTPStatus.LENGTH_REQUIRED, "send the body with a Content-Length")
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            raise Refused(HTTPStatus.LENGTH_REQUIRED, "send the body with a Content-Length") from None
        if length < 0:
            raise Refused(HTTPStatus.BAD_REQUEST, "the Content-Length is negative")
        if length > limit:
            if length <= DRAIN_BYTES:  # read it away, so the client sees the answer rather than a reset
                self.rfile.read(length)
            else:  # too much to read: the connection cannot be reused
                self.close_connection = True
            raise Refused(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                f"the request body is {length:,} bytes, over the {limit // 1000:,} KB limit; "
                "trim it to the message itself",
            )
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise Refused(HTTPStatus.BAD_REQUEST, f"the request body is not valid JSON ({exc})") from None
        if not isinstance(body, dict):
            raise Refused(HTTPStatus.BAD_REQUEST, "the request body must be a JSON object")
        return body

    # --- the methods --------------------------------------------------------------------------

    def do_GET(self) -> None:
        self.answer(self.get)

    def do_HEAD(self) -> None:
        self.answer(self.get, head=True)

    def do_POST(self) -> None:
        self.answer(self.post)

    def do_PUT(self) -> None:
        self.answer(self.not_allowed)

    do_DELETE = do_PATCH = do_OPTIONS = do_PUT

    def not_allowed(self) -> tuple[HTTPStatus, bytes, str, dict[str, str]]:
        raise Refused(HTTPStatus.METHOD_NOT_ALLOWED, f"{self.command} is not supported here")

    def get(self) -> tuple[HTTPStatus, bytes, str, dict[str, str]]:
        path = urlsplit(self.path).path
        if path == "/api/info":
            return self.json(HTTPStatus.OK, self.server.service.info())
        if path in self.ENDPOINTS:
            raise Refused(HTTPStatus.METHOD_NOT_ALLOWED, f"{path} takes POST with a JSON body")
        if path not in STATIC:
            raise Refused(HTTPStatus.NOT_FOUND, f"{path}: no such page")
        name, kind = STATIC[path]
        return HTTPStatus.OK, _static(name), kind, {"Cache-Control": "no-cache"}

    def post(self) -> tuple[HTTPStatus, bytes, str, dict[str, str]]:
        path = urlsplit(self.path).path
        method = self.ENDPOINTS.get(path)
        if method is None:
            raise Refused(HTTPStatus.NOT_FOUND, f"{path}: no such endpoint")
        self.check_origin()
        body = self.read_body(MAX_PLAN_BODY_BYTES if method == "plan" else MAX_BODY_BYTES)
        answer: Answer = getattr(self.server.service, method)(body)
        return self.json(HTTPStatus.OK, answer.data, {"X-Coach-Exit-Code": str(int(answer.exit_code))})

    def json(
        self, status: HTTPStatus, data: Any, headers: dict[str, str] | None = None
    ) -> tuple[HTTPStatus, bytes, str, dict[str, str]]:
        payload = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
        return status, payload, "application/json; charset=utf-8", {"Cache-Control": "no-store", **(headers or {})}

    def answer(self, work: Any, head: bool = False) -> None:
        try:
            self.check_host()
            status, payload, kind, headers = work()
        except Refused as exc:
            # A refused request's body may be unread: never parse it as the next request.
            self.close_connection = True
            status, payload, kind, headers = self.error(exc.status, exc.message, ExitCode.USAGE)
        except CoachError as exc:
            extra = {"missing": exc.missing} if isinstance(exc, MissingFacts) else {}
            status = STATUS_FOR_EXIT.get(exc.exit_code, HTTPStatus.BAD_REQUEST)
            status, payload, kind, headers = self.error(status, exc.one_line(), exc.exit_code, extra)
        except Exception as exc:  # a bug: still one line (key-free), as the CLI says it
            message = f"internal error ({type(exc).__name__}: {exc}); please report it"
            print(f"coach: error: {redact(message)}", file=sys.stderr)
            status, payload, kind, headers = self.error(HTTPStatus.INTERNAL_SERVER_ERROR, message, ExitCode.INTERNAL)
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in {**SECURITY_HEADERS, **headers}.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if not head:
            self.wfile.write(payload)

    def error(
        self, status: HTTPStatus, message: str, code: int, extra: dict[str, Any] | None = None
    ) -> tuple[HTTPStatus, bytes, str, dict[str, str]]:
        return self.json(status, {"error": redact(message), "exit_code": int(code), **(extra or {})})

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: a page that is used all day should not fill the terminal; errors are said above."""


def make_server(service: Service, host: str = "127.0.0.1", port: int = 0) -> CoachServer:
    """A server bound to ``host``:``port`` (0: any free port), not yet serving."""
    return CoachServer(host, port, service)
