"""What the LLM layer costs and how it fails, against a local fake server (no network, no key).

    python bench/llm.py

Reports, for every example draft:
- requests and prompt tokens (coach's estimate) per critique and per rewrite;
and, with the default retry settings (4 attempts, 60 s budget):
- the time `coach critique` takes to fall back to the rules when the server always
  answers 503, always drops the connection, or answers 429 with Retry-After: 1;
- the time to fall back when the server hangs past a 2-second request timeout.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fakeserver import FakeLLM, Reply  # noqa: E402

EXAMPLES = sorted((ROOT / "examples").glob("*/*.txt"))


def coach(args: list[str], base_url: str, config: str | None = None) -> tuple[dict | list, float, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "COACH_MODEL")}
    env.update(OPENAI_BASE_URL=base_url, XDG_CACHE_HOME=tempfile.mkdtemp(prefix="coach-bench-"))
    cmd = [sys.executable, "-m", "coach", *args]
    if config:
        cmd += ["--config", config]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - start
    return json.loads(proc.stdout) if proc.stdout.strip() else {}, elapsed, proc.stderr


def per_draft_costs() -> None:
    with FakeLLM() as server:
        critiques, rewrites = [], []
        for path in EXAMPLES:
            before = len(server.requests)
            report, _, _ = coach(["critique", "--format", "json", "--fail-on", "never", str(path)], server.base_url)
            critiques.append((len(server.requests) - before, report.get("prompt_tokens_estimate", 0)))
            before = len(server.requests)
            outcome, _, _ = coach(["rewrite", "--format", "json", str(path)], server.base_url)
            rewrites.append((len(server.requests) - before, outcome.get("prompt_tokens_estimate", 0)))
    for label, rows in (("critique", critiques), ("rewrite", rewrites)):
        requests = [r for r, _ in rows]
        tokens = [t for _, t in rows]
        print(
            f"{label:<9} requests per draft: mean {statistics.mean(requests):.2f}, max {max(requests)}; "
            f"prompt tokens: mean {statistics.mean(tokens):.0f}, max {max(tokens)} ({len(rows)} example drafts)"
        )


def fallback_time(label: str, reply: Reply, config: str | None = None) -> None:
    with FakeLLM() as server:
        server.push(*[reply] * 50)
        draft = str(ROOT / "examples" / "cold-email" / "weak.txt")
        report, elapsed, stderr = coach(["critique", "--format", "json", str(draft)], server.base_url, config)
        print(
            f"fallback, {label:<32} {elapsed:5.2f} s, {len(server.requests)} requests, "
            f"mode {report.get('mode')}, notice: {'yes' if 'notice' in stderr else 'no'}"
        )


def main() -> None:
    per_draft_costs()
    fallback_time("server always 503", Reply(503, {"error": {"message": "overloaded"}}))
    fallback_time("connection always dropped", Reply(drop=True))
    fallback_time("429 with Retry-After: 1", Reply(429, {"error": {"message": "slow down"}}, {"retry-after": "1"}))
    with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as handle:
        handle.write("[llm]\ntimeout = 2\n")
    fallback_time("hangs (timeout 2 s)", Reply(delay=30), handle.name)
    os.unlink(handle.name)


if __name__ == "__main__":
    main()
