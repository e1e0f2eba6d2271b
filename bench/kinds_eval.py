"""How well coach tells message kinds and stages apart.

    python bench/kinds_eval.py            # the shipped detector (cues + shipped model)
    python bench/kinds_eval.py --cues     # the hand-written cues alone (nothing fitted)
    python bench/kinds_eval.py --misses   # also print the misclassified corpus messages
    python bench/kinds_eval.py --tune     # choose CUE_WEIGHT, SHORT_NOTE_PRIOR, UNSURE_BELOW, STAGE_CUE_WEIGHT by CV

On the development corpus (bench/corpus/*.toml) a detector that uses a fitted model is
measured only out-of-fold: ``bench/folds.py`` ``cross_validated`` fits the model on four
folds (plus the checklist drafts) and judges the fifth. The checklist sets
(bench/data/drafts.toml and holdout.toml) are clean drafts written to type: a regression check.
They are in the shipped model's training data, so for them the model is refitted on the
corpus (and the other checklist folds), never on the draft it judges.

Every share is printed with its Wilson 95% interval; the gap between the accuracy of sure
and unsure detections with a bootstrap 95% interval (messages resampled).
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import load_corpus
from bench.folds import cross_validated
from bench.labelled import SETS, load
from coach.text.kinds import KINDS, STAGES, detect_kind, stage_by_cues
from coach.text.parse import parse

Predict = Callable[[str], str]
Judged = tuple[str, bool, dict[str, float]]

# "Unsure" is worth showing only if it is rare: --tune picks the highest UNSURE_BELOW that
# flags at most this share of the corpus out-of-fold.
UNSURE_BUDGET = 0.15


def wilson(hits: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of the share ``hits / n`` (95% by default)."""
    if n == 0:
        return math.nan, math.nan
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def share(hits: int, n: int) -> str:
    """``hits/n = p% [low, high]`` with the Wilson 95% interval."""
    if n == 0:
        return f"{hits}/0"
    low, high = wilson(hits, n)
    return f"{hits}/{n} = {hits / n:.0%} [{low:.0%}, {high:.0%}]"


def _print_misses(items: Sequence[Any], detected: Sequence[str]) -> None:
    """Each message (or draft) whose detected kind is not its label, in full."""
    for item, kind in zip(items, detected, strict=True):
        if kind != item.kind:
            print(f"\n--- {item.id}: labelled {item.kind}, detected {kind}\n{item.text.strip()}")


def table(title: str, gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> float:
    """Print accuracy overall and per label, and a confusion table; return the overall accuracy."""
    right = sum(g == p for g, p in zip(gold, predicted, strict=True))
    overall = right / len(gold) if gold else 0.0
    print(f"{title}: {share(right, len(gold))}")
    confusion = Counter(zip(gold, predicted, strict=True))
    shown = [label for label in labels if any(g == label for g in gold)]
    columns = [*shown, *sorted({p for p in predicted if p not in shown})]
    width = max(len(c) for c in columns) + 1
    print(f"  {'labelled / detected':<22}" + "".join(f"{c[:width]:>{width}}" for c in columns) + "   accuracy")
    for label in shown:
        n = sum(g == label for g in gold)
        row = "".join(f"{confusion[label, c] or '.':>{width}}" for c in columns)
        print(f"  {label:<22}{row}   {share(confusion[label, label], n)}")
    return overall


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cues", action="store_true", help="the cues alone, no fitted model")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--misses", action="store_true", help="print the misclassified corpus messages")
    parser.add_argument("--tune", action="store_true", help="choose the combination constants by CV")
    args = parser.parse_args(argv)

    corpus = load_corpus()
    checklist = [d for path in SETS.values() for d in load(path)]
    fitted = not args.cues and _has_model()
    judged_corpus: list[Judged] = []
    if fitted:
        from bench.train_kinds import fit, judged

        judged_corpus = cross_validated(lambda train: fit(train, checklist), judged, corpus, folds=args.folds, seed=0)
        kinds = [j[0] for j in judged_corpus]
        print(f"corpus: {len(corpus)} messages, kind cross-validated ({args.folds} folds, grouped by source)")
    else:
        kinds = [_cues_only(m.text) for m in corpus]
        print(f"corpus: {len(corpus)} messages, cues only (nothing fitted)")
    table("kind (corpus)", [m.kind for m in corpus], kinds, KINDS)
    if judged_corpus:
        _sure("corpus", [m.kind for m in corpus], judged_corpus)
    _agreement(corpus, dict(zip((m.id for m in corpus), kinds, strict=True)))
    if args.misses:
        _print_misses(corpus, kinds)
    if args.tune and fitted:
        _tune(corpus, judged_corpus, args.folds)

    staged = [m for m in corpus if m.stage]
    if fitted:
        from bench.train_kinds import fit_stages, stage_predictor

        predicted = cross_validated(fit_stages, stage_predictor, staged, folds=args.folds, seed=0)
        how = "cross-validated"
        if args.tune:
            _tune_stages(staged, args.folds)
    else:
        predicted = [stage_by_cues(parse(m.text), m.kind)[0] or "-" for m in staged]
        how = "cues only"
    right = sum(m.stage == p for m, p in zip(staged, predicted, strict=True))
    print(f"\nstage given the labelled kind ({how}): {share(right, len(staged))}")
    for kind, stages in STAGES.items():
        sub = [(m.stage, p) for m, p in zip(staged, predicted, strict=True) if m.kind == kind]
        table(f"  {kind}", [g for g, _ in sub], [p for _, p in sub], stages)
    both = sum((d := detect_kind(parse(m.text))).kind == m.kind and d.stage == m.stage for m in staged)
    print(f"  kind and stage both right with the shipped detector (in-sample if fitted): {both}/{len(staged)}")

    print()
    judged_checklist: list[Judged] = []
    if fitted:
        from bench.train_kinds import fit, judged

        # The checklist drafts are in the shipped model's training data: judge each by a model
        # fitted on the corpus and the other checklist folds.
        judged_checklist = cross_validated(
            lambda train: fit(corpus, train), judged, checklist, folds=args.folds, seed=0
        )
        got = [j[0] for j in judged_checklist]
        label = "cross-validated, model fitted on the corpus and the other folds"
    else:
        got = [_cues_only(d.text) for d in checklist]
        label = "cues only"
    offset = 0
    for name, path in SETS.items():
        n = len(load(path))
        table(
            f"kind (checklist {name}, {label})",
            [d.kind for d in checklist[offset : offset + n]],
            got[offset : offset + n],
            KINDS,
        )
        offset += n
    right = sum(d.kind == k for d, k in zip(checklist, got, strict=True))
    print(f"checklist sets together: {share(right, len(checklist))}")
    if judged_checklist:
        _sure("checklist", [d.kind for d in checklist], judged_checklist)
    if args.misses:
        _print_misses(checklist, got)
    shipped = [detect_kind(parse(d.text)).kind for d in checklist]
    right = sum(d.kind == k for d, k in zip(checklist, shipped, strict=True))
    print(f"checklist sets with the shipped detector (in its training data): {right}/{len(checklist)}")
    return 0


AGREEMENT = Path(__file__).resolve().parent / "data" / "kind_agreement.tsv"


def read_agreement(path: Path = AGREEMENT) -> dict[str, tuple[str, bool]]:
    """A second annotator's kind for some corpus messages, and whether they were torn."""
    out: dict[str, tuple[str, bool]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            fields = line.split("\t")
            out[fields[0]] = (fields[1], len(fields) > 3 and fields[3] == "unsure")
    return out


def _agreement(corpus: Sequence[Any], detected: dict[str, str]) -> None:
    """How often a second annotator, reading the text alone, gave the corpus's kind: the
    ceiling a detector can be held to, since about that share of labels are judgement calls."""
    if not AGREEMENT.exists():
        return
    second = read_agreement()
    labelled = {m.id: m.kind for m in corpus if m.id in second}
    agree = [i for i in labelled if second[i][0] == labelled[i]]
    print(f"second annotator (text alone) agrees with the corpus's kind: {share(len(agree), len(labelled))}")
    right = sum(detected[i] == labelled[i] for i in agree)
    print(f"  detector (cross-validated) on the messages where the two agree: {share(right, len(agree))}")


def _tune_stages(staged: Sequence[Any], folds: int) -> None:
    """Out-of-fold stage accuracy for each STAGE_CUE_WEIGHT on a grid (the model refitted per fold)."""
    import coach.text.kinds as kinds_module
    from bench.train_kinds import fit_stages, stage_predictor

    shipped = kinds_module.STAGE_CUE_WEIGHT
    print("tuning stages (corpus, out-of-fold): accuracy, STAGE_CUE_WEIGHT")
    try:
        for weight in (0.0, 0.25, 0.5, 1.0, 2.0):
            kinds_module.STAGE_CUE_WEIGHT = weight
            got = cross_validated(fit_stages, stage_predictor, staged, folds=folds, seed=0)
            right = sum(m.stage == g for m, g in zip(staged, got, strict=True))
            print(f"  {right / len(staged):.1%}  {weight}")
    finally:
        kinds_module.STAGE_CUE_WEIGHT = shipped


def _sure(name: str, gold: Sequence[str], judged: Sequence[Judged]) -> None:
    """The share flagged unsure, the accuracy of sure and of unsure detections, and the gap
    between them (all cross-validated)."""
    from bench.stats import bootstrap

    rows = [(g == j[0], j[1]) for g, j in zip(gold, judged, strict=True)]
    sure = [ok for ok, unsure in rows if not unsure]
    doubt = [ok for ok, unsure in rows if unsure]
    print(f"unsure ({name}, cross-validated): {share(len(doubt), len(rows))}")
    print(f"  right when sure:   {share(sum(sure), len(sure))}")
    print(f"  right when unsure: {share(sum(doubt), len(doubt))}")

    def gap(sample: Sequence[tuple[bool, bool]]) -> float:
        s = [ok for ok, unsure in sample if not unsure]
        u = [ok for ok, unsure in sample if unsure]
        return sum(s) / len(s) - sum(u) / len(u) if s and u else math.nan

    if sure and doubt:
        low, high = bootstrap(gap, rows, 2000, 0)
        print(f"  sure minus unsure: {gap(rows):+.0%} [{low:+.0%}, {high:+.0%}] (bootstrap, 2000 resamples)")


def _tune(corpus: Sequence[Any], judged: Sequence[Judged], folds: int) -> None:
    """Grid-search the combination constants on the out-of-fold model probabilities, then the
    unsure threshold: the highest that flags at most UNSURE_BUDGET of the messages, with a
    nested estimate (threshold chosen on the other folds, applied to each fold)."""
    from bench.folds import assign_folds
    from bench.train_kinds import cues_of

    cues = [cues_of(m.text) for m in corpus]
    gold = [m.kind for m in corpus]

    def ranked(weight: float, prior: float) -> list[tuple[str, float]]:
        out = []
        for (votes, short), (_, _, p) in zip(cues, judged, strict=True):
            logits = {k: math.log(max(p[k], 1e-12)) + weight * votes[k] for k in KINDS}
            logits["connection-note"] += prior if short else 0.0
            top = max(logits.values())
            total = sum(math.exp(v - top) for v in logits.values())
            best = max(KINDS, key=lambda k: logits[k])
            out.append((best, math.exp(logits[best] - top) / total))
        return out

    grid = []
    for weight in (0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0):
        for prior in (0.0, 0.5, 1.0, 2.0):
            got = ranked(weight, prior)
            grid.append((sum(g == k for g, (k, _) in zip(gold, got, strict=True)) / len(gold), weight, prior))
    grid.sort(reverse=True)
    print("\ntuning (corpus, out-of-fold): accuracy, CUE_WEIGHT, SHORT_NOTE_PRIOR")
    for row in grid[:5]:
        print(f"  {row[0]:.1%}  {row[1]}  {row[2]}")
    from coach.text.kinds import CUE_WEIGHT, SHORT_NOTE_PRIOR

    got = ranked(CUE_WEIGHT, SHORT_NOTE_PRIOR)
    rows = [(g == k, p) for g, (k, p) in zip(gold, got, strict=True)]
    thresholds = [x / 100 for x in range(30, 100, 2)] + [0.99, 0.995]

    def pick(sample: Sequence[tuple[bool, float]]) -> float:
        chosen = thresholds[0]
        for t in thresholds:
            if sum(p < t for _, p in sample) <= UNSURE_BUDGET * len(sample):
                chosen = t
        return chosen

    def describe(sure: Sequence[bool], doubt: Sequence[bool]) -> str:
        return (
            f"unsure {share(len(doubt), len(sure) + len(doubt))}; right when sure {share(sum(sure), len(sure))},"
            f" when unsure {share(sum(doubt), len(doubt))}"
        )

    chosen = pick(rows)
    print(f"UNSURE_BELOW by CV (budget {UNSURE_BUDGET:.0%}): {chosen}")
    print(f"  {describe([ok for ok, p in rows if p >= chosen], [ok for ok, p in rows if p < chosen])}")
    assignment = assign_folds(corpus, folds, 0)
    sure: list[bool] = []
    doubt: list[bool] = []
    picked = []
    for fold in range(folds):
        t = pick([r for r, f in zip(rows, assignment, strict=True) if f != fold])
        picked.append(t)
        for (ok, p), f in zip(rows, assignment, strict=True):
            if f == fold:
                (sure if p >= t else doubt).append(ok)
    print(f"  nested estimate (thresholds {', '.join(map(str, picked))}): {describe(sure, doubt)}")


def _has_model() -> bool:
    try:
        import bench.train_kinds  # noqa: F401
    except ImportError:
        return False
    return True


def _cues_only(text: str) -> str:
    from coach.text import kinds

    cues = getattr(kinds, "detect_kind_by_cues", None)
    return (cues or detect_kind)(parse(text)).kind


if __name__ == "__main__":
    sys.exit(main())
