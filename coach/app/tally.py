"""What a streamed run keeps until it ends: counters, never the results themselves.

A run over many drafts writes each result as soon as it is ready and forgets it; the exit
code and the summary line are computed from a :class:`Tally` that has seen every result go
by, so memory stays flat however many drafts come in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from coach.app.many import Failure
from coach.rules.report import Report
from coach.rules.schema import SEVERITY_RANK

if TYPE_CHECKING:
    from coach.app.rewrite import RewriteOutcome

T = TypeVar("T")


@dataclass
class Tally:
    """Counts of a run's results: drafts, failures, bands, kinds, the worst severity seen, and
    for rewrites the scores before and after."""

    total: int = 0
    failed: int = 0
    bands: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    worst: int | None = None  # the highest SEVERITY_RANK of any finding
    rewritten: int = 0
    scored: int = 0  # rewrites with a score before and after
    score_before: int = 0  # sums over the scored rewrites
    score_after: int = 0
    to_fill: int = 0  # rewrites with markers left for the writer

    @classmethod
    def of(cls, results: Iterable[object]) -> Tally:
        tally = cls()
        for result in results:
            tally.add(result)
        return tally

    def add(self, result: object) -> None:
        self.total += 1
        if isinstance(result, Failure):
            self.failed += 1
        elif isinstance(result, Report):
            self._report(result)
        else:
            self._rewrite(result)  # type: ignore[arg-type]

    def watch(self, results: Iterable[T]) -> Iterator[T]:
        """``results`` unchanged, each counted as it goes by."""
        for result in results:
            self.add(result)
            yield result

    def _report(self, report: Report) -> None:
        self.bands[report.band] += 1
        self.kinds[report.kind] += 1
        worst = report.worst_severity()
        if worst is not None:
            rank = SEVERITY_RANK[worst]
            self.worst = rank if self.worst is None else max(self.worst, rank)

    def _rewrite(self, outcome: RewriteOutcome) -> None:
        self.rewritten += 1
        before, after = outcome.before.score, outcome.after.score
        if before is not None and after is not None:
            self.scored += 1
            self.score_before += before
            self.score_after += after
        if outcome.markers:
            self.to_fill += 1

    @property
    def reports(self) -> int:
        return sum(self.bands.values())
