"""``coach compose``: a first draft of each outreach message, from the writer's facts alone."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

import click

from coach.app.coach import Coach, ModelChoice
from coach.cli.options import config_option, model_choice
from coach.cli.terminal import is_interactive, notice, waiting
from coach.compose.facts import (
    FACTS,
    RELATIONSHIPS,
    STAGES,
    build_facts,
    hint_for,
    merge_facts,
    missing_facts,
    option_name,
    read_facts_file,
    resolve_stage,
)
from coach.compose.message import ComposeOutcome
from coach.errors import ExitCode, InputError, UsageError
from coach.rules.config import load_settings
from coach.rules.report import points_text
from coach.text.kinds import KINDS

ALL_STAGES = tuple(dict.fromkeys(stage for stages in STAGES.values() for stage in stages))


def fact_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """One option per fact (``--days-since`` for ``days_since``), each help line from the fact's spec."""
    for name in reversed(FACTS):
        spec = FACTS[name]
        if name == "relationship":
            option = click.option("--relationship", type=click.Choice(RELATIONSHIPS), default=None, help=spec.help)
        elif name == "days_since":
            option = click.option("--days-since", type=click.IntRange(min=0), default=None, help=spec.help)
        else:
            option = click.option(option_name(name), default=None, metavar="TEXT", help=spec.help)
        func = option(func)
    return func


def _label(kind: str, stage: str | None) -> str:
    return f"{kind} ({stage})" if stage else kind


def ask_for(kind: str, field: str) -> Any:
    """One missing fact, asked on the terminal with a one-line example of a good answer."""
    click.echo(f"  {hint_for(kind, field)}", err=True)
    if field == "days_since":
        return click.prompt(option_name(field)[2:], type=click.IntRange(min=0), err=True)
    while True:
        value = click.prompt(option_name(field)[2:], err=True)
        if value.strip():
            return value


def summary(outcome: ComposeOutcome) -> str:
    """The one-line report for stderr: kind, score, what the findings were and how it was made."""
    mode = f"model {outcome.extra.get('model')}" if outcome.mode == "llm" else "rules only"
    report = outcome.report
    assert report is not None
    codes = [f"{f.rule} {f.severity}" for f in report.findings]
    codes += [f"{c.rule} question" for c in report.checks if c.essential]
    found = f": {', '.join(codes)}" if codes else ", no findings"
    chars = outcome.extra.get("characters")
    size = f", {chars['count']}/{chars['limit']} characters" if chars else ""
    label = _label(outcome.kind, outcome.stage)
    return f"coach: {label}: score {points_text(report.score)}, {report.band}{found}{size} ({mode})"


@click.command()
@click.argument("kind", type=click.Choice(KINDS), metavar="KIND")
@click.option(
    "--stage",
    type=click.Choice(ALL_STAGES),
    default=None,
    help="connector-intro: ask (the target, first) or intro; follow-up: nudge, thanks or reply.",
)
@click.option("--facts", "facts_path", default=None, metavar="FILE", help="Facts from a TOML or JSON file.")
@fact_options
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option(
    "--account", type=click.Choice(["premium", "free"]), default=None, help="LinkedIn account (free: 200 characters)."
)
@config_option()
@model_choice
def compose(
    kind: str,
    stage: str | None,
    facts_path: str | None,
    fmt: str,
    account: str | None,
    config_path: str | None,
    model: ModelChoice,
    **fact_values: Any,
) -> None:
    """Write a KIND of message from your facts, critiqued before it is shown.

    KIND is one of: connection-note, cold-email, intro-request, blurb,
    connector-intro, follow-up. Facts come from options and/or --facts FILE
    (options win); missing ones are asked for on a terminal, else exit 2.
    Text output is only the message; the one-line report goes to stderr.
    Exit codes: 0 ready to send, 1 the message still has an error finding,
    2 usage or input error (missing facts, a note that cannot fit),
    3 --llm given and the model could not be used.
    """
    stage = resolve_stage(kind, stage)
    coach = Coach(load_settings(config_path), model=model, notify=notice)
    values = merge_facts(read_facts_file(facts_path) if facts_path else {}, fact_values)
    facts = build_facts(values, facts_path or "the command line")
    missing = missing_facts(kind, stage, facts)
    if missing:
        names = ", ".join(option_name(m) for m in missing)
        if not is_interactive():
            raise UsageError(
                f"missing facts for {_label(kind, stage)}: {names}; pass them as options or in --facts FILE"
            )
        click.echo(f"coach needs {len(missing)} more fact(s) for {_label(kind, stage)}: {names}", err=True)
        for field in missing:
            values[field] = ask_for(kind, field)
        facts = build_facts(values)
    given = [f for f, value in fact_values.items() if value is not None]
    with waiting(coach.uses_model):
        outcome = coach.compose(kind, stage, facts, account, given)
    if fmt == "json":
        click.echo(json.dumps(outcome.to_dict(), indent=2, ensure_ascii=False))
    elif outcome.message is not None:
        click.echo(outcome.message.rstrip("\n"))
    for line in outcome.notices[:-1] if outcome.message is None else outcome.notices:
        notice(line)
    if outcome.message is None:
        raise InputError(outcome.notices[-1])
    click.echo(summary(outcome), err=True)
    sys.exit(ExitCode.FINDINGS if outcome.has_error else ExitCode.OK)
