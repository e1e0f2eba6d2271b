"""Which rules fire on which labelled drafts: a tool for tuning rules against false positives.

    python bench/rule_hits.py [--select OPN,PER] [--show]

For each rule: how many strong drafts it fires on (false-positive risk) and how
many weak ones (what it catches). ``--show`` prints the quoted spans on strong drafts.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.labelled import load
from coach.rules.catalogue import all_rules
from coach.rules.engine import Options, critique_text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--select", default="")
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args()
    select = tuple(s for s in args.select.split(",") if s)
    strong: dict[str, list[str]] = defaultdict(list)
    weak: dict[str, list[str]] = defaultdict(list)
    for draft in load():
        report = critique_text(draft.text, Options(kind=draft.kind, select=select))
        for f in report.findings:
            (strong if draft.label == "strong" else weak)[f.rule].append(f"{draft.id}: {f.text[:80]!r}")
    for rule in all_rules():
        if select and not any(rule.code.startswith(s) for s in select):
            continue
        print(f"{rule.code} {rule.name:<34} strong {len(strong[rule.code]):>2}  weak {len(weak[rule.code]):>2}")
        if args.show:
            for line in strong[rule.code]:
                print(f"    FP? {line}")


if __name__ == "__main__":
    main()
