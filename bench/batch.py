"""Batch speed: many drafts in one `coach` process, offline and against a slow model server.

    python bench/batch.py [--drafts 2000] [--llm-drafts 32] [--latency 0.3] [--jobs 8]

1. Offline: writes --drafts draft files (the labelled bench drafts, cycled) to a temporary
   folder and times one whole `coach critique --offline --format jsonl FOLDER` process
   (target: at least 1,000 drafts per second on a 2-core machine).
2. LLM: starts a fake OpenAI-compatible server on 127.0.0.1 that answers after --latency
   seconds, and times `coach critique --format jsonl --jobs N` over --llm-drafts drafts
   (target: at most twice the ideal drafts x latency / jobs), then runs it again to show
   the cache makes a repeated batch free. Reports requests and prompt tokens per draft.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from itertools import cycle, islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.labelled import SETS, load  # noqa: E402
from tests.fakeserver import FakeLLM  # noqa: E402


def write_drafts(folder: Path, count: int) -> None:
    texts = [d.text for name in ("tuning", "holdout") for d in load(SETS[name])]
    for i, text in enumerate(islice(cycle(texts), count)):
        (folder / f"draft-{i:05d}.txt").write_text(text, encoding="utf-8")


def run(args: list[str], env: dict[str, str]) -> tuple[float, list[dict]]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "coach", *args], capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"coach failed ({proc.returncode}): {proc.stderr[-500:]}")
    return elapsed, [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--drafts", type=int, default=2000)
    parser.add_argument("--llm-drafts", type=int, default=32)
    parser.add_argument("--latency", type=float, default=0.3)
    parser.add_argument("--jobs", type=int, default=8)
    args = parser.parse_args()
    base_env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "COACH_MODEL")}

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "drafts"
        folder.mkdir()
        write_drafts(folder, args.drafts)
        env = {**base_env, "XDG_CACHE_HOME": str(Path(tmp) / "cache")}
        run(["critique", "--offline", "--format", "jsonl", str(folder / "draft-00000.txt")], env)  # warm caches
        elapsed, reports = run(["critique", "--offline", "--format", "jsonl", str(folder)], env)
        print(
            f"offline: {len(reports)} drafts in {elapsed:.2f} s (whole process) = "
            f"{len(reports) / elapsed:,.0f} drafts/s (target >= 1,000)"
        )

        if not args.llm_drafts:
            return
        small = Path(tmp) / "llm"
        small.mkdir()
        write_drafts(small, args.llm_drafts)
        with FakeLLM(latency=args.latency) as server:
            env = {**base_env, "OPENAI_BASE_URL": server.base_url, "XDG_CACHE_HOME": str(Path(tmp) / "llmcache")}
            run(["critique", "--offline", "--format", "jsonl", str(small / "draft-00000.txt")], env)  # warm rules
            cmd = ["critique", "--format", "jsonl", "--jobs", str(args.jobs), str(small)]
            elapsed, reports = run(cmd, env)
            ideal = args.llm_drafts * args.latency / args.jobs
            requests = sum(r.get("usage", {}).get("requests", 0) for r in reports)
            tokens = [r.get("prompt_tokens_estimate", 0) for r in reports]
            print(
                f"llm: {len(reports)} drafts, latency {args.latency} s, --jobs {args.jobs}: {elapsed:.2f} s "
                f"(ideal {ideal:.2f} s, target <= {2 * ideal:.2f} s); {requests / len(reports):.2f} requests "
                f"and {sum(tokens) / len(tokens):,.0f} prompt tokens per draft; peak concurrency {server.peak}"
            )
            before = len(server.requests)
            elapsed, reports = run(cmd, env)
            print(
                f"llm, the same batch again: {elapsed:.2f} s, {len(server.requests) - before} requests "
                f"({sum(r.get('usage', {}).get('cached_answers', 0) for r in reports)} answers from the cache)"
            )


if __name__ == "__main__":
    main()
