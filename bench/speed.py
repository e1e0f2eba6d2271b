"""How fast is an offline critique?

    python bench/speed.py [--runs 20] [--drafts 2000]

Reports:
- whole-process wall time of one offline ``coach critique`` (median of --runs) side by
  side with a bare ``python -c pass`` and, if installed, ``proselint`` on the same draft,
  the three run interleaved so that a busy machine slows each alike (targets: at most 6x
  the bare interpreter, and faster than proselint). Bytecode is written as a user's
  Python writes it, whatever PYTHONDONTWRITEBYTECODE says here;
- whether the offline run imported openai or httpx (it must not);
- in-process drafts per second over --drafts critiques (the labelled set, cycled).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from itertools import cycle, islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.labelled import load  # noqa: E402

DRAFT = ROOT / "examples" / "cold-email" / "weak.txt"


def walls(cmds: dict[str, list[str]], runs: int) -> dict[str, float]:
    """Median wall time in milliseconds of each command over ``runs`` rounds (after one warm-up),
    the commands taking turns within each round."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for cmd in cmds.values():
        subprocess.run(cmd, capture_output=True, check=False, env=env)
    times: dict[str, list[float]] = {name: [] for name in cmds}
    for _ in range(runs):
        for name, cmd in cmds.items():
            start = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=False, env=env)
            times[name].append((time.perf_counter() - start) * 1000)
    return {name: statistics.median(values) for name, values in times.items()}


def heavy_imports() -> list[str]:
    """Modules an offline critique must not import, as seen from inside a real run."""
    probe = (
        "import sys\n"
        "from coach.cli import cli\n"
        "try:\n"
        f"    cli.main(['critique', '--offline', {str(DRAFT)!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in ('openai', 'httpx', 'pydantic', 'jinja2') if m in sys.modules]\n"
        "print('HEAVY:' + ','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False).stdout
    line = next((ln for ln in out.splitlines() if ln.startswith("HEAVY:")), "HEAVY:?")
    return [m for m in line[len("HEAVY:") :].split(",") if m]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--drafts", type=int, default=2000)
    args = parser.parse_args()

    coach_exe = shutil.which("coach", path=str(Path(sys.executable).parent)) or shutil.which("coach")
    cmd = [coach_exe] if coach_exe else [sys.executable, "-m", "coach"]
    cmds = {"bare": [sys.executable, "-c", "pass"], "coach": [*cmd, "critique", "--offline", str(DRAFT)]}
    proselint = shutil.which("proselint", path=str(Path(sys.executable).parent)) or shutil.which("proselint")
    if proselint:
        help_text = subprocess.run([proselint, "--help"], capture_output=True, text=True, check=False).stdout
        cmds["proselint"] = [proselint, "check", str(DRAFT)] if "check" in help_text else [proselint, str(DRAFT)]
    ms = walls(cmds, args.runs)
    bare, one = ms["bare"], ms["coach"]
    print(f"median of {args.runs} interleaved runs:")
    print(f"bare python -c pass          {bare:7.1f} ms    1.0x")
    print(f"coach critique (one draft)   {one:7.1f} ms  {one / bare:5.1f}x bare (target <= 6x)")
    if proselint:
        other = ms["proselint"]
        verdict = f"coach {'faster' if one < other else 'SLOWER'}: {other / one:.2f}x"
        print(f"proselint (same draft)       {other:7.1f} ms  {other / bare:5.1f}x bare ({verdict})")
    else:
        print("proselint not installed (pip install '.[bench]') - comparison skipped")
    heavy = heavy_imports()
    print(f"heavy modules imported offline: {', '.join(heavy) if heavy else 'none'}")

    from coach.rules.engine import Options, critique_text

    texts = [(d.text, d.kind) for d in load()]
    batch = list(islice(cycle(texts), args.drafts))
    start = time.perf_counter()
    for text, _kind in batch:
        critique_text(text, Options())
    elapsed = time.perf_counter() - start
    print(f"in-process: {len(batch)} drafts in {elapsed:.2f} s = {len(batch) / elapsed:,.0f} drafts/s (kind auto)")


if __name__ == "__main__":
    main()
