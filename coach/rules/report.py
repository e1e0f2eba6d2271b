"""The report: findings, score with its breakdown, stats and notices.

The same shape serves every mode (rules only or with a model) and every output
format, so a team can diff JSON reports across runs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, NamedTuple

from coach.rules.schema import SEVERITY_RANK

DEFAULT_PENALTIES: dict[str, int] = {"error": 25, "warning": 10, "suggestion": 3}


@dataclass
class Finding:
    rule: str
    name: str
    severity: str
    message: str
    fix: str
    start: int
    end: int
    line: int
    column: int
    text: str
    source: str = "rules"
    guidance: str | None = None
    note: str | None = None  # the model's comment when it confirmed this rule finding

    def sort_key(self) -> tuple[int, int, str]:
        return (-SEVERITY_RANK[self.severity], self.start, self.rule)


class Stats(NamedTuple):
    characters: int
    words: int
    sentences: int
    questions: int
    reading_grade: float


@dataclass
class Report:
    path: str | None
    kind: str
    kind_detected: bool
    kind_reason: str
    score: int
    findings: list[Finding]
    breakdown: list[dict[str, Any]]
    stats: Stats
    notices: list[str] = field(default_factory=list)
    mode: str = "rules"
    stage: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "path": self.path,
            "kind": self.kind,
            "kind_detected": self.kind_detected,
            "kind_reason": self.kind_reason,
            "stage": self.stage,
            "mode": self.mode,
            "score": self.score,
            "breakdown": self.breakdown,
            "findings": [asdict(f) for f in self.findings],
            "stats": self.stats._asdict(),
            "notices": list(self.notices),
        }
        data.update(self.extra)
        return data

    def worst_severity(self) -> str | None:
        if not self.findings:
            return None
        return max((f.severity for f in self.findings), key=SEVERITY_RANK.__getitem__)


def score(findings: list[Finding], penalties: dict[str, int] | None = None) -> tuple[int, list[dict[str, Any]]]:
    """100 minus a fixed cost per finding by severity, clipped to 0-100, with what each cost."""
    costs = penalties or DEFAULT_PENALTIES
    breakdown = [
        {"rule": f.rule, "severity": f.severity, "line": f.line, "column": f.column, "cost": costs[f.severity]}
        for f in findings
    ]
    total = sum(costs[f.severity] for f in findings)
    return max(0, min(100, 100 - total)), breakdown
