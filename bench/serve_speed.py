"""How fast does ``coach serve`` answer a critique? Target: under 50 ms server-side for 150 words.

    python bench/serve_speed.py [--runs 200] [--words 150]

Reports, over --runs requests after a warm-up (median, 95th percentile and worst, in ms):
- server: the time the API spends on a request (checking the body, the offline critique,
  the JSON answer), measured inside the server's handler;
- round trip: the same request over HTTP on 127.0.0.1 with a kept-alive connection, as
  the page sends it (server time plus the loopback and the client's own work).
Measured, not asserted in the tests: a busy CI machine would make such a test flaky.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.app.coach import ModelChoice  # noqa: E402
from coach.rules.config import Settings  # noqa: E402
from coach.web import server as web  # noqa: E402
from coach.web.api import Service  # noqa: E402

TARGET_MS = 50.0


def draft_of(words: int) -> str:
    """The weak cold email, its lines kept, cut or padded (by repeating it) to ``words`` words as
    the report counts them."""
    from coach.rules.engine import critique_text

    lines = (ROOT / "examples" / "cold-email" / "weak.txt").read_text(encoding="utf-8").splitlines()
    pool = [line.split() for line in lines * 4]
    for take in range(words, 4 * words):
        out: list[str] = []
        left = take
        for split in pool:
            out.append(" ".join(split[:left]))
            left -= min(left, len(split))
            if not left:
                break
        text = "\n".join(out).strip() + "\n"
        if critique_text(text).stats.words >= words:
            return text
    raise SystemExit("could not make a draft that long")


def summary(name: str, ms: list[float]) -> str:
    ms = sorted(ms)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    return f"{name:<11} median {statistics.median(ms):6.1f} ms   p95 {p95:6.1f} ms   worst {ms[-1]:6.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--words", type=int, default=150)
    args = parser.parse_args()

    handler_ms: list[float] = []
    post = web.Handler.post

    def timed(self: web.Handler) -> tuple:  # type: ignore[type-arg]
        start = time.perf_counter()
        try:
            return post(self)
        finally:
            handler_ms.append((time.perf_counter() - start) * 1000)

    web.Handler.post = timed  # type: ignore[method-assign]
    srv = web.make_server(Service(Settings(), ModelChoice(offline=True)), "127.0.0.1", 0)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    text = draft_of(args.words)
    body = json.dumps({"text": text}).encode()
    headers = {"Content-Type": "application/json", "Origin": srv.url.rstrip("/")}
    conn = http.client.HTTPConnection("127.0.0.1", srv.port)
    round_ms: list[float] = []
    try:
        for i in range(args.runs + 10):
            start = time.perf_counter()
            conn.request("POST", "/api/critique", body=body, headers=headers)
            response = conn.getresponse()
            answer = json.loads(response.read())
            elapsed = (time.perf_counter() - start) * 1000
            if response.status != 200:
                print(f"error: {answer}", file=sys.stderr)
                return 1
            if i >= 10:  # the first requests compile the rules' patterns
                round_ms.append(elapsed)
    finally:
        conn.close()
        srv.shutdown()
        srv.server_close()
    server_ms = handler_ms[10:]
    print(f"critique of a {answer['stats']['words']}-word draft, {args.runs} requests (score {answer['score']})")
    print(summary("server", server_ms))
    print(summary("round trip", round_ms))
    median = statistics.median(server_ms)
    verdict = "meets" if median < TARGET_MS else "MISSES"
    print(f"{verdict} the {TARGET_MS:.0f} ms target (server median)")
    return 0 if median < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
