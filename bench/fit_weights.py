"""Fit what each rule costs to labelled messages, and say honestly how well that works.

    python bench/fit_weights.py            # cross-validated figures only
    python bench/fit_weights.py --write    # also write coach/rules/_weights.py (fitted on everything)

The score is 100 minus what each finding (and each essential check) costs. Here the costs
come from data: a logistic regression of "praised" on which rules fired, with every weight
kept at zero or above (a rule can only cost points) and pulled towards its severity's
default cost (an L2 prior), so a rule that fires rarely keeps roughly its default. A
weight of w logits costs ``POINTS_PER_LOGIT * w`` points, so score differences mean the
same change in the odds of a yes whatever the kind.

The figures printed are cross-validated (``bench/folds.py``: folds by source, stratified by
kind and verdict): every corpus message is scored with weights fitted without it. The
weights written are fitted on the whole corpus plus the checklist drafts; their in-sample
figures are never quoted.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import load_corpus  # noqa: E402
from bench.folds import cross_validated  # noqa: E402
from bench.labelled import SETS, load  # noqa: E402
from bench.stats import bootstrap, grouped_auc, pooled_auc  # noqa: E402
from coach.rules.catalogue import all_rules  # noqa: E402
from coach.rules.config import Settings  # noqa: E402
from coach.rules.engine import Options, critique_text  # noqa: E402
from coach.rules.report import DEFAULT_PENALTIES  # noqa: E402

POINTS_PER_LOGIT = 10.0
PRIOR_STRENGTH = 1.0  # L2 pull towards the severity default, per rule
MIN_COST, MAX_COST = 1, 40
WEIGHTS_FILE = ROOT / "coach" / "rules" / "_weights.py"


@dataclass(frozen=True)
class Sample:
    id: str
    source: str
    kind: str
    verdict: str  # praised | criticised
    fired: frozenset[str]  # rules that fired (findings and essential checks)
    corpus: bool


def collect() -> list[Sample]:
    """Which rules fire on every labelled message, judged with its labelled kind and stage."""
    from bench.train_kinds import JUDGEMENT_RULE, reads_criticised_out_of_fold

    settings = Settings(penalties=dict(DEFAULT_PENALTIES))  # severity costs: no fitted weights
    samples = []
    corpus = load_corpus()
    # The praise model behind JUD001 was fitted on the corpus: each message gets its reading
    # from a model fitted without its fold, so the rule's cost is fitted to honest firings.
    reads_criticised = reads_criticised_out_of_fold(corpus)
    for m in corpus:
        options = Options(kind=m.kind, stage=m.stage or None, template=m.template, ignore=(JUDGEMENT_RULE,))
        sample = _sample(m.id, m.source, m.kind, m.verdict, m.text, options, settings, True)
        if reads_criticised[m.id]:
            sample = replace(sample, fired=sample.fired | {JUDGEMENT_RULE})
        samples.append(sample)
    for name in SETS:
        for d in load(SETS[name]):
            verdict = "praised" if d.label == "strong" else "criticised"
            samples.append(_sample(d.id, "", d.kind, verdict, d.text, Options(kind=d.kind), settings, False))
    return samples


def _sample(
    id: str, source: str, kind: str, verdict: str, text: str, options: Options, settings: Settings, corpus: bool
) -> Sample:
    report = critique_text(text, options, settings)
    fired = {f.rule for f in report.findings} | {c.rule for c in report.checks if c.essential}
    return Sample(id, source, kind, verdict, frozenset(fired), corpus)


def prior() -> dict[str, float]:
    return {r.code: DEFAULT_PENALTIES[r.severity] / POINTS_PER_LOGIT for r in all_rules()}


def fit(samples: Sequence[Sample], epochs: int = 400, rate: float = 0.5) -> tuple[float, dict[str, float]]:
    """Intercept and non-negative rule weights maximising the penalised likelihood (projected gradient)."""
    start = prior()
    weights = {code: start[code] for s in samples for code in s.fired}
    bias = 2.0
    n = len(samples)
    for _ in range(epochs):
        grad_b = 0.0
        grad = dict.fromkeys(weights, 0.0)
        for s in samples:
            z = bias - sum(weights[c] for c in s.fired)
            p = 1 / (1 + math.exp(-z))
            error = p - (s.verdict == "praised")
            grad_b += error
            for c in s.fired:
                grad[c] -= error
        bias -= rate * grad_b / n
        for c in weights:
            penalty = PRIOR_STRENGTH * (weights[c] - start[c]) / n
            weights[c] = max(0.0, weights[c] - rate * (grad[c] / n + penalty))
    return bias, weights


def points(weights: dict[str, float]) -> dict[str, int]:
    return {c: min(MAX_COST, max(MIN_COST, round(w * POINTS_PER_LOGIT))) for c, w in sorted(weights.items())}


def score(costs: dict[str, int], sample: Sample) -> float:
    default = prior()
    total = sum(costs.get(c, round(default[c] * POINTS_PER_LOGIT)) for c in sample.fired)
    return max(0, 100 - total)


def out_of_fold(samples: list[Sample]) -> list[float]:
    """Each corpus message's score with rule costs fitted on the other folds (and the checklist drafts)."""
    corpus = [s for s in samples if s.corpus]
    others = [s for s in samples if not s.corpus]

    def fit_on(train: Sequence[Sample]) -> dict[str, int]:
        return points(fit([*train, *others])[1])

    return cross_validated(fit_on, score, corpus, folds=5, seed=0)


def cross_validated_scores() -> dict[str, float]:
    """Corpus message id -> its out-of-fold score (for ``bench/quality.py``)."""
    samples = collect()
    corpus = [s for s in samples if s.corpus]
    return {s.id: sc for s, sc in zip(corpus, out_of_fold(samples), strict=True)}


def report(samples: list[Sample]) -> None:
    corpus = [s for s in samples if s.corpus]
    scored = out_of_fold(samples)
    items = [(s.kind, sc, s.verdict == "praised") for s, sc in zip(corpus, scored, strict=True)]
    base = [(s.kind, score({}, s), s.verdict == "praised") for s in corpus]
    print("fitted, cross-validated: share praised by band")
    for low, high in ((80, 101), (50, 80), (0, 50)):
        inside = [positive for _, sc, positive in items if low <= sc < high]
        share = sum(inside) / len(inside) if inside else float("nan")
        print(f"  score {low:>3}-{min(high, 100):<3} n={len(inside):>3}  praised {share:.0%}")
    for label, data in (("severity defaults", base), ("fitted, cross-validated", items)):
        pooled = pooled_auc(data)
        low, high = bootstrap(pooled_auc, data)
        within = grouped_auc(data)
        wlow, whigh = bootstrap(grouped_auc, data)
        print(
            f"{label:<26} pooled AUC {pooled:.3f} [{low:.3f}, {high:.3f}]   "
            f"within-kind {within:.3f} [{wlow:.3f}, {whigh:.3f}]"
        )


def write(costs: dict[str, int]) -> None:
    lines = [
        '"""Generated by ``python bench/fit_weights.py --write``: what each rule costs, fitted to data."""',
        "",
        "WEIGHTS: dict[str, int] = {",
        *(f'    "{code}": {cost},' for code, cost in costs.items()),
        "}",
        "",
    ]
    WEIGHTS_FILE.write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="write coach/rules/_weights.py")
    args = parser.parse_args(argv)
    samples = collect()
    report(samples)
    if args.write:
        costs = points(fit(samples)[1])
        write(costs)
        print(f"wrote {len(costs)} rule costs to {WEIGHTS_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
