"""Batch scale: peak memory and throughput as the number of drafts grows.

    python bench/scale.py [--rows 2000 20000 200000] [--jobs 2] [--llm-rows 2000] [--latency 0.05]

1. Offline: for each --rows, writes a JSON Lines table (the labelled bench drafts, cycled,
   each row with an id) and runs one whole `coach critique --offline --format jsonl
   --input-format jsonl --id-field id TABLE` process, output to a file. Prints drafts/s and the
   peak resident memory of the largest process of the run (the parent or a worker), from
   ``getrusage(RUSAGE_CHILDREN)`` taken in a fresh Python process that runs only that one.
   Targets: at 20,000 rows within 1.5x of 2,000 rows and under 150 MB; at least 1,000 drafts/s.
   ``--kind cold-email`` adds ``--template --kind cold-email``, the command the issue measured.
2. Model: --llm-rows rows against a fake OpenAI-compatible server on 127.0.0.1 that answers
   after --latency seconds (--jobs-llm requests at once), the same figures.
Each run's output is checked: one line per row, in input order.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from itertools import cycle, islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.labelled import SETS, load  # noqa: E402
from tests.fakeserver import FakeLLM  # noqa: E402

# Runs one command and reports (seconds, peak RSS in KB of its largest process).
MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
with open(sys.argv[1], "wb") as out:
    code = subprocess.call(sys.argv[2:], stdout=out)
elapsed = time.perf_counter() - start
print(code, elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def write_table(path: Path, rows: int) -> None:
    texts = [d.text for name in ("tuning", "holdout") for d in load(SETS[name])]
    with path.open("w", encoding="utf-8") as out:
        for i, text in enumerate(islice(cycle(texts), rows)):
            out.write(json.dumps({"id": f"row-{i}", "text": text}) + "\n")


def measure(cmd: list[str], output: Path, env: dict[str, str], rows: int) -> tuple[float, float]:
    """(seconds, peak MB) for one whole process; checks the output has every row, in order."""
    proc = subprocess.run(
        [sys.executable, "-c", MEASURE, str(output), *cmd], capture_output=True, text=True, env=env, check=True
    )
    code, elapsed, peak_kb = proc.stdout.split()
    if int(code) not in (0, 1):
        raise SystemExit(f"coach failed ({code}): {proc.stderr[-500:]}")
    ids = [json.loads(line)["id"] for line in output.read_text(encoding="utf-8").splitlines() if line.strip()]
    if ids != [f"row-{i}" for i in range(rows)]:
        raise SystemExit(f"the output of {rows} rows is incomplete or out of order")
    return float(elapsed), int(peak_kb) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[2000, 20000, 200000])
    parser.add_argument("--jobs", type=int, default=None, help="--jobs for the offline runs [default: coach's]")
    parser.add_argument("--llm-rows", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--jobs-llm", type=int, default=16)
    parser.add_argument(
        "--kind", default=None, help="Pass --template --kind KIND, as the issue's measurement did [default: detect]"
    )
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "COACH_MODEL")}
    coach = [sys.executable, "-m", "coach", "critique", "--format", "jsonl", "--input-format", "jsonl"]
    coach += ["--id-field", "id"]
    if args.kind:
        coach += ["--template", "--kind", args.kind]

    with tempfile.TemporaryDirectory() as tmp:
        env["XDG_CACHE_HOME"] = str(Path(tmp) / "cache")
        output = Path(tmp) / "out.jsonl"
        print(f"{'run':<28} {'rows':>8} {'seconds':>8} {'drafts/s':>9} {'peak MB':>8}")
        for rows in args.rows:
            table = Path(tmp) / f"table-{rows}.jsonl"
            write_table(table, rows)
            jobs = ["--jobs", str(args.jobs)] if args.jobs else []
            elapsed, peak = measure([*coach, "--offline", *jobs, str(table)], output, env, rows)
            print(f"{'offline':<28} {rows:>8,} {elapsed:>8.2f} {rows / elapsed:>9,.0f} {peak:>8.1f}")
            table.unlink()
        if args.llm_rows:
            table = Path(tmp) / "llm.jsonl"
            write_table(table, args.llm_rows)
            with FakeLLM(latency=args.latency) as server:
                llm_env = {**env, "OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": "sk-bench"}
                cmd = [*coach, "--no-cache", "--jobs", str(args.jobs_llm), str(table)]
                elapsed, peak = measure(cmd, output, llm_env, args.llm_rows)
                label = f"model, {args.latency * 1000:.0f} ms, {args.jobs_llm} jobs"
                print(f"{label:<28} {args.llm_rows:>8,} {elapsed:>8.2f} {args.llm_rows / elapsed:>9,.0f} {peak:>8.1f}")


if __name__ == "__main__":
    main()
