"""coach: honest critique and a better version of professional outreach messages.

The Python API is the one the command line uses::

    import coach

    report = coach.critique("Hi Maya, ...", kind="cold-email")
    print(report.score, report.kind, [f.rule for f in report.findings])
    better = coach.rewrite("Hi Maya, ...").rewrite

For runs with a model, many drafts or the Batch API, build a :class:`coach.Coach`.
Names are imported on first use, so ``import coach`` costs next to nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.2.0.dev0"

if TYPE_CHECKING:
    from coach.app.api import compose, critique, rewrite
    from coach.app.coach import Coach, ModelChoice
    from coach.app.rewrite import RewriteOutcome
    from coach.compose.message import ComposeOutcome
    from coach.errors import CoachError
    from coach.rules.engine import Options
    from coach.rules.report import Finding, Report

_EXPORTS = {
    "critique": "coach.app.api",
    "rewrite": "coach.app.api",
    "compose": "coach.app.api",
    "Coach": "coach.app.coach",
    "ModelChoice": "coach.app.coach",
    "RewriteOutcome": "coach.app.rewrite",
    "ComposeOutcome": "coach.compose.message",
    "CoachError": "coach.errors",
    "Options": "coach.rules.engine",
    "Finding": "coach.rules.report",
    "Report": "coach.rules.report",
}
__all__ = [
    "Coach",
    "CoachError",
    "ComposeOutcome",
    "Finding",
    "ModelChoice",
    "Options",
    "Report",
    "RewriteOutcome",
    "__version__",
    "compose",
    "critique",
    "rewrite",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'coach' has no attribute {name!r}")
