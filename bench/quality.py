"""Does the score separate drafts guides praise from drafts they criticise?

    python bench/quality.py [--set tuning|holdout|all] [--per-kind] [--misses]

Two labelled sets, both written for the bench and apart from the rules' own
examples: ``tuning`` (bench/data/drafts.toml), which rule authors looked at to
keep false positives down, and ``holdout`` (bench/data/holdout.toml), written
separately and never used to tune rules: its figures are the honest ones.
For each it reports:
- AUC of the score between strong and weak drafts (1.0 = every strong draft
  scores above every weak one);
- the share of strong drafts with at least one error (target: at most 10%);
- the share of weak drafts with at least one warning or error (target: at least 90%);
- how often ``--kind auto`` picks the labelled kind (target: at least 80%).
Scores use the labelled kind, as a user who passes ``--kind`` would get.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.labelled import SETS, Labelled, load
from coach.engine import Options, critique_text
from coach.kinds import detect_kind
from coach.parse import parse


def auc(strong: list[int], weak: list[int]) -> float:
    """Probability that a random strong draft outscores a random weak one (ties count half)."""
    if not strong or not weak:
        return float("nan")
    wins = sum((s > w) + 0.5 * (s == w) for s in strong for w in weak)
    return wins / (len(strong) * len(weak))


def evaluate(drafts: list[Labelled]) -> dict[str, float]:
    scores: dict[str, list[int]] = defaultdict(list)
    strong_with_error = weak_with_warning = detected = 0
    for d in drafts:
        report = critique_text(d.text, Options(kind=d.kind))
        scores[d.label].append(report.score)
        severities = {f.severity for f in report.findings}
        if d.label == "strong" and "error" in severities:
            strong_with_error += 1
        if d.label == "weak" and severities & {"error", "warning"}:
            weak_with_warning += 1
        detected += detect_kind(parse(d.text)).kind == d.kind
    n_strong, n_weak = len(scores["strong"]), len(scores["weak"])
    return {
        "drafts": len(drafts),
        "auc": auc(scores["strong"], scores["weak"]),
        "strong_with_error": strong_with_error / max(n_strong, 1),
        "weak_with_warning": weak_with_warning / max(n_weak, 1),
        "kind_auto_accuracy": detected / max(len(drafts), 1),
        "mean_strong": sum(scores["strong"]) / max(n_strong, 1),
        "mean_weak": sum(scores["weak"]) / max(n_weak, 1),
    }


def show(label: str, result: dict[str, float]) -> None:
    print(
        f"{label:<16} n={int(result['drafts']):>3}  AUC {result['auc']:.3f}  "
        f"strong with error {result['strong_with_error']:.0%}  weak with warning {result['weak_with_warning']:.0%}  "
        f"kind auto {result['kind_auto_accuracy']:.0%}  mean score strong {result['mean_strong']:.0f} / weak"
        f" {result['mean_weak']:.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", choices=["tuning", "holdout", "all"], default="all")
    parser.add_argument("--per-kind", action="store_true", help="also report each kind")
    parser.add_argument(
        "--misses", action="store_true", help="list strong drafts with errors and weak drafts without warnings"
    )
    args = parser.parse_args()
    names = ["tuning", "holdout"] if args.set == "all" else [args.set]
    drafts = []
    for name in names:
        if not SETS[name].exists():
            print(f"{name}: {SETS[name]} not found")
            continue
        subset = load(SETS[name])
        show(name, evaluate(subset))
        drafts += subset
    if args.per_kind:
        for kind in sorted({d.kind for d in drafts}):
            show(kind, evaluate([d for d in drafts if d.kind == kind]))
    if args.misses:
        for d in drafts:
            report = critique_text(d.text, Options(kind=d.kind))
            sev = {f.severity for f in report.findings}
            if (d.label == "strong" and "error" in sev) or (d.label == "weak" and not sev & {"error", "warning"}):
                print(f"  {d.id} score {report.score}: {[f.rule for f in report.findings]}")


if __name__ == "__main__":
    main()
