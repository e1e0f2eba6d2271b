"""``coach plan``: before you ask, find the best route to the person. Always offline."""

from __future__ import annotations

import json
from collections.abc import Callable

import click

from coach.cli.terminal import is_interactive
from coach.errors import UsageError
from coach.plan.readiness import parse_answers


def ask_on_terminal() -> Callable[[str, str], bool | None]:
    """A readiness question per unknown item, one at a time; Enter skips (the item stays unknown)."""
    started = False

    def ask(key: str, question: str) -> bool | None:
        nonlocal started
        if not started:
            click.echo("A few questions before you ask (y or n; Enter skips one):", err=True)
            started = True
        for _ in range(3):
            reply = click.prompt(f"  {question}", default="", show_default=False, prompt_suffix=" ", err=True)
            reply = reply.strip().lower()
            if reply in ("y", "yes"):
                return True
            if reply in ("n", "no"):
                return False
            if reply in ("", "?", "skip"):
                return None
            click.echo("  please answer y or n, or press Enter to skip", err=True)
        return None

    return ask


@click.command()
@click.option("--target", required=True, metavar='"NAME, ROLE at ORG"', help="The person you want to meet.")
@click.option(
    "--goal", default=None, metavar="TEXT", help="What you want to learn or ask about (becomes compose's --topic)."
)
@click.option(
    "--connections",
    "connections_path",
    default=None,
    metavar="FILE",
    help="LinkedIn's Connections.csv (or the export's ZIP); read here, never sent anywhere.",
)
@click.option(
    "--candidate",
    "candidates",
    multiple=True,
    metavar="SPEC|FILE",
    help='A possible connector: "Jane Park; tie=weak; knows-target=well; last-contact=2026-09; given-before=no", '
    "or a .toml/.csv file of them (repeatable).",
)
@click.option(
    "--answer",
    "answers",
    multiple=True,
    metavar="KEY=yes|no",
    help="Answer a readiness question up front: relationship, given-before, other-way, timing (repeatable).",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--llm", "demand_llm", is_flag=True, help="Not accepted: the plan never uses a model.")
def plan(
    target: str,
    goal: str | None,
    connections_path: str | None,
    candidates: tuple[str, ...],
    answers: tuple[str, ...],
    fmt: str,
    demand_llm: bool,
) -> None:
    """Find the best route to a person before you write: connectors ranked, readiness, next commands.

    Entirely offline, even with a model configured: the connections file and what you
    say about people stay on this machine. Exit codes: 0 a plan, 2 usage or input error.
    """
    if demand_llm:
        raise UsageError(
            "coach plan never uses a model: your connections stay on this machine",
            "drop --llm (coach compose and coach critique can use one)",
        )
    from coach.cli.plan_render import render_plan_text
    from coach.plan.build import PlanInputs, build_plan

    inputs = PlanInputs(
        target=target,
        goal=goal,
        connections_path=connections_path,
        candidates=candidates,
        answers=parse_answers(answers),
    )
    result = build_plan(inputs, ask=ask_on_terminal() if is_interactive() else None)
    if fmt == "json":
        click.echo(json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False))
    else:
        click.echo(render_plan_text(result))
