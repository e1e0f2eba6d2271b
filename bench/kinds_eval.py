"""How well coach tells message kinds and stages apart.

    python bench/kinds_eval.py            # the shipped detector (cues + shipped model)
    python bench/kinds_eval.py --cues     # the hand-written cues alone (nothing fitted)

On the development corpus (bench/corpus/*.toml) a detector that uses a fitted model is
measured only out-of-fold: ``bench/folds.py`` ``cross_validated`` fits the model on four
folds (plus the checklist drafts) and judges the fifth. The checklist sets
(bench/data/drafts.toml and holdout.toml) are clean drafts written to type: a regression check.
They are in the shipped model's training data, so for them the model is refitted on the
corpus alone.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import load_corpus
from bench.folds import cross_validated
from bench.labelled import SETS, load
from coach.text.kinds import KINDS, STAGES, detect_kind, detect_stage
from coach.text.parse import parse

Predict = Callable[[str], str]


def table(title: str, gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> float:
    """Print accuracy overall and per label, and a confusion table; return the overall accuracy."""
    right = sum(g == p for g, p in zip(gold, predicted, strict=True))
    overall = right / len(gold) if gold else 0.0
    print(f"{title}: {right}/{len(gold)} = {overall:.0%}")
    confusion = Counter(zip(gold, predicted, strict=True))
    shown = [label for label in labels if any(g == label for g in gold)]
    columns = [*shown, *sorted({p for p in predicted if p not in shown})]
    width = max(len(c) for c in columns) + 1
    print(f"  {'labelled / detected':<22}" + "".join(f"{c[:width]:>{width}}" for c in columns) + "   accuracy")
    for label in shown:
        n = sum(g == label for g in gold)
        row = "".join(f"{confusion[label, c] or '.':>{width}}" for c in columns)
        print(f"  {label:<22}{row}   {confusion[label, label]}/{n} = {confusion[label, label] / n:.0%}")
    return overall


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cues", action="store_true", help="the cues alone, no fitted model")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)

    corpus = load_corpus()
    checklist = [d for path in SETS.values() for d in load(path)]
    fitted = not args.cues and _has_model()
    if fitted:
        from bench.train_kinds import fit, predictor

        kinds = cross_validated(lambda train: fit(train, checklist), predictor, corpus, folds=args.folds, seed=0)
        print(f"corpus: {len(corpus)} messages, kind cross-validated ({args.folds} folds, grouped by source)")
    else:
        kinds = [_cues_only(m.text) for m in corpus]
        print(f"corpus: {len(corpus)} messages, cues only (nothing fitted)")
    table("kind (corpus)", [m.kind for m in corpus], kinds, KINDS)

    staged = [m for m in corpus if m.stage]
    predicted = [detect_stage(parse(m.text), m.kind)[0] or "-" for m in staged]
    right = sum(m.stage == p for m, p in zip(staged, predicted, strict=True))
    print(f"\nstage given the labelled kind: {right}/{len(staged)} = {right / len(staged):.0%}")
    for kind, stages in STAGES.items():
        sub = [(m.stage, p) for m, p in zip(staged, predicted, strict=True) if m.kind == kind]
        table(f"  {kind}", [g for g, _ in sub], [p for _, p in sub], stages)
    auto = [m for m in staged]
    both = sum((d := detect_kind(parse(m.text))).kind == m.kind and d.stage == m.stage for m in auto)
    print(f"  kind and stage both right with the shipped detector (in-sample if fitted): {both}/{len(auto)}")

    print()
    if fitted:
        from bench.train_kinds import fit, predictor

        # The checklist drafts are in the shipped model's training data: judge each by a model
        # fitted on the corpus and the other checklist folds.
        got = cross_validated(lambda train: fit(corpus, train), predictor, checklist, folds=args.folds, seed=0)
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
    print(f"checklist sets together: {right}/{len(checklist)} = {right / len(checklist):.0%}")
    shipped = [detect_kind(parse(d.text)).kind for d in checklist]
    right = sum(d.kind == k for d, k in zip(checklist, shipped, strict=True))
    print(f"checklist sets with the shipped detector (in its training data): {right}/{len(checklist)}")
    unsure = [detect_kind(parse(m.text)) for m in corpus]
    print(f"unsure on the corpus (shipped detector): {sum(d.unsure for d in unsure)}/{len(corpus)}")
    return 0


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
