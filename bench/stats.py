"""Small statistics for the bench, standard library only: AUC and a bootstrap interval.

An *item* is ``(group, score, positive)``: ``positive`` is True for a praised (strong)
message and False for a criticised (weak) one; ``group`` says which messages may be compared
(the kind, or the kind and stage; one shared value for a pooled AUC).
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from itertools import groupby
from typing import TypeVar

T = TypeVar("T")
Item = tuple[Hashable, float, bool]


def auc_counts(positive: Sequence[float], negative: Sequence[float]) -> tuple[float, int]:
    """``(wins, pairs)``: over every (positive, negative) pair, a win when the positive scores
    higher and half a win when they tie."""
    marked = sorted([(s, True) for s in positive] + [(s, False) for s in negative], key=lambda p: p[0])
    wins = 0.0
    negatives_below = 0
    for _, tied in groupby(marked, key=lambda p: p[0]):
        flags = [is_positive for _, is_positive in tied]
        pos = sum(flags)
        neg = len(flags) - pos
        wins += pos * (negatives_below + 0.5 * neg)
        negatives_below += neg
    return wins, len(positive) * len(negative)


def auc(positive: Sequence[float], negative: Sequence[float]) -> float:
    """The probability that a random positive outscores a random negative (ties count half);
    NaN when either side is empty."""
    wins, pairs = auc_counts(positive, negative)
    return wins / pairs if pairs else math.nan


def grouped_auc(items: Sequence[Item]) -> float:
    """AUC over the (positive, negative) pairs that share a group, pairs pooled across groups.

    With one group this is the ordinary AUC; with kinds as groups it asks "does the score
    rank a praised message above a criticised one *of the same kind*?", so a kind that
    scores high across the board cannot help or hurt."""
    by_group: dict[Hashable, tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
    for group, score, positive in items:
        by_group[group][0 if positive else 1].append(score)
    wins = pairs = 0.0
    for pos, neg in by_group.values():
        w, p = auc_counts(pos, neg)
        wins += w
        pairs += p
    return wins / pairs if pairs else math.nan


def pooled_auc(items: Sequence[Item]) -> float:
    """AUC over all (positive, negative) pairs, whatever their group."""
    return grouped_auc([(None, score, positive) for _, score, positive in items])


def quantile(values: Sequence[float], q: float) -> float:
    """The ``q`` quantile of ``values`` (linear interpolation between order statistics)."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    h = (len(ordered) - 1) * q
    lo = math.floor(h)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (h - lo) * (ordered[hi] - ordered[lo])


def bootstrap(
    statistic: Callable[[Sequence[T]], float],
    items: Sequence[T],
    resamples: int = 2000,
    seed: int = 0,
    level: float = 0.95,
) -> tuple[float, float]:
    """Percentile bootstrap interval of ``statistic``: resample ``items`` with replacement
    (as many as there are) ``resamples`` times with a fixed seed. Resamples on which the
    statistic is NaN (say, no criticised message drawn) are left out; (NaN, NaN) if all are."""
    rng = random.Random(seed)
    values = []
    for _ in range(resamples):
        value = statistic(rng.choices(items, k=len(items)))
        if not math.isnan(value):
            values.append(value)
    tail = (1 - level) / 2
    return quantile(values, tail), quantile(values, 1 - tail)
