"""The three one-call functions of the public API: ``coach.critique``, ``coach.rewrite``, ``coach.compose``.

Each builds a :class:`~coach.app.coach.Coach` with the given options (offline unless a
:class:`~coach.app.coach.ModelChoice` says otherwise) and makes one call, exactly as the
command line does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coach.app.coach import Coach, ModelChoice
from coach.rules.config import Settings
from coach.rules.engine import Options
from coach.rules.report import Report

if TYPE_CHECKING:
    from coach.app.rewrite import RewriteOutcome
    from coach.compose.message import ComposeOutcome


def _coach(options: dict[str, Any], model: ModelChoice | None, settings: Settings | None) -> Coach:
    kind = options.pop("kind", None) or "auto"
    return Coach(settings, Options(kind=kind, **options), model)


def critique(
    text: str,
    kind: str | None = None,
    stage: str | None = None,
    *,
    model: ModelChoice | None = None,
    settings: Settings | None = None,
    **options: Any,
) -> Report:
    """The report on one draft: ``.score``, ``.kind``, ``.stage``, ``.findings``; ``.to_dict()``
    is exactly the CLI's JSON object. ``options`` are those of :class:`coach.Options`
    (account, attempt, template, select, ignore, min_severity)."""
    return _coach({"kind": kind, "stage": stage, **options}, model, settings).critique(text)


def rewrite(
    text: str,
    kind: str | None = None,
    stage: str | None = None,
    *,
    model: ModelChoice | None = None,
    settings: Settings | None = None,
    **options: Any,
) -> RewriteOutcome:
    """A better version of one draft (``.rewrite``), with the reports before and after."""
    return _coach({"kind": kind, "stage": stage, **options}, model, settings).rewrite(text)


def compose(
    kind: str,
    stage: str | None = None,
    *,
    model: ModelChoice | None = None,
    settings: Settings | None = None,
    account: str | None = None,
    **facts: Any,
) -> ComposeOutcome:
    """A message of ``kind`` built from ``facts`` (name, target, me, why, ask...), critiqued."""
    from coach.compose.facts import build_facts, resolve_stage

    return Coach(settings, model=model).compose(kind, resolve_stage(kind, stage), build_facts(facts), account)
