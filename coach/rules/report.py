"""The report: findings, checks, the score with its band and breakdown, stats and notices.

A *finding* is something that is in the draft (a stock opener, a placeholder, a note over
the limit). A *check* is something coach looked for and could not find (a detail about the
reader, an easy out); it is put to the writer as a question, and costs points only where
the guidance makes it essential for the kind. The same shape serves every mode (rules
only or with a model) and every output format, so a team can diff JSON reports across runs.
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
    evidence: str = "judgement"  # "certain": a fact of the text, which no model may dispute

    def sort_key(self) -> tuple[int, int, str]:
        return (-SEVERITY_RANK[self.severity], self.start, self.rule)


@dataclass
class Check(Finding):
    """Something coach could not find, put to the writer as a question."""

    question: str = ""
    essential: bool = False  # the guidance makes it essential for this kind and stage: it costs points


# The bands a score falls in, best first: (lowest score, name, what it means).
BANDS: tuple[tuple[int, str, str], ...] = (
    (80, "ready to send", "nothing a reader is likely to say no to; read it once more and send"),
    (50, "revise", "a few changes would make a yes more likely"),
    (0, "rework", "as it stands the reader is likely to ignore or decline it"),
)


def points_text(points: int | None) -> str:
    """A score as people read it: ``62/100``, or ``not scored``."""
    return "not scored" if points is None else f"{points}/100"


def band(points: int | None) -> str:
    """The band of a score; ``not scored`` when coach could not judge the draft."""
    if points is None:
        return "not scored"
    return next(name for low, name, _ in BANDS if points >= low)


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
    score: int | None  # None: not scored (coach cannot judge this draft, e.g. not English)
    findings: list[Finding]
    breakdown: list[dict[str, Any]]
    stats: Stats
    notices: list[str] = field(default_factory=list)
    mode: str = "rules"
    stage: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)
    stage_reason: str = ""
    # When the kind was detected and the detection is unsure: the kinds it may be, best first.
    kind_alternatives: tuple[str, ...] = ()

    @property
    def band(self) -> str:
        return band(self.score)

    @property
    def hits(self) -> list[Finding]:
        """The findings and the checks together (what the offline rewrite and the model act on)."""
        return [*self.findings, *self.checks]

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "path": self.path,
            "kind": self.kind,
            "kind_detected": self.kind_detected,
            "kind_reason": self.kind_reason,
            "stage": self.stage,
            "stage_reason": self.stage_reason,
            "mode": self.mode,
            "score": self.score,
            "band": self.band,
            "breakdown": self.breakdown,
            "findings": [asdict(f) for f in self.findings],
            "checks": [asdict(c) for c in self.checks],
            "stats": self.stats._asdict(),
            "notices": list(self.notices),
        }
        data.update(self.extra)
        return data

    def worst_severity(self) -> str | None:
        """The most severe finding or essential check, None when there is neither."""
        counted = [*self.findings, *(c for c in self.checks if c.essential)]
        if not counted:
            return None
        return max((f.severity for f in counted), key=SEVERITY_RANK.__getitem__)


def cost_of(finding: Finding, penalties: dict[str, int], weights: dict[str, int] | None = None) -> int:
    """What one finding or check costs: nothing for an optional check; the rule's fitted
    weight when there is one (and the severities' costs were not set in a config file);
    else the cost of its severity."""
    if isinstance(finding, Check) and not finding.essential:
        return 0
    if weights and finding.rule in weights:
        return weights[finding.rule]
    return penalties[finding.severity]


def score(
    findings: list[Finding],
    penalties: dict[str, int] | None = None,
    checks: list[Check] | None = None,
    weights: dict[str, int] | None = None,
) -> tuple[int, list[dict[str, Any]]]:
    """100 minus what each finding and essential check costs, clipped to 0-100, with the breakdown."""
    costs = penalties or DEFAULT_PENALTIES
    charged: set[str] = set()
    breakdown: list[dict[str, Any]] = []
    for f in [*findings, *(checks or [])]:
        # A rule costs once however often it fires: the same problem quoted three times is one problem.
        cost = 0 if f.rule in charged else cost_of(f, costs, weights)
        if cost:
            charged.add(f.rule)
        item = {"rule": f.rule, "severity": f.severity, "line": f.line, "column": f.column, "cost": cost}
        breakdown.append({**item, "check": True} if isinstance(f, Check) else item)
    total = sum(item["cost"] for item in breakdown)
    return max(0, min(100, 100 - total)), breakdown
