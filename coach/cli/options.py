"""Options shared by several commands, declared once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from coach.engine import Options, check_options
from coach.kinds import KINDS
from coach.registry import SEVERITIES

KIND_CHOICE = click.Choice(["auto", *KINDS])


def split_codes(values: tuple[str, ...]) -> tuple[str, ...]:
    """``--select A,B --select C`` and ``--select A --select B,C`` mean the same."""
    return tuple(code.strip() for value in values for code in value.split(",") if code.strip())


def rule_options(
    kind: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    min_severity: str | None,
    template: bool,
    account: str | None,
    attempt: int | None,
) -> Options:
    """The engine options from the shared command-line options, checked once, up front."""
    return check_options(
        Options(
            kind=kind,
            account=account,
            attempt=attempt,
            template=template,
            select=split_codes(select),
            ignore=split_codes(ignore),
            min_severity=min_severity,
        )
    )


def kind_option(default: str = "auto") -> Callable[[Any], Any]:
    return click.option(
        "--kind",
        type=KIND_CHOICE,
        default=default,
        show_default=True,
        help="Message kind; 'auto' detects it and says why.",
    )


def rule_filter_options(func: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option(
            "--select", multiple=True, metavar="CODE", help="Only these rules (code, prefix or name; repeatable)."
        ),
        click.option(
            "--ignore", multiple=True, metavar="CODE", help="Skip these rules (code, prefix or name; repeatable)."
        ),
        click.option(
            "--min-severity", type=click.Choice(SEVERITIES), default=None, help="Hide findings below this severity."
        ),
        click.option("--template", is_flag=True, help="Treat placeholders such as {name} as template variables."),
        click.option(
            "--account",
            type=click.Choice(["premium", "free"]),
            default=None,
            help="LinkedIn account (free: 200-character notes).",
        ),
        click.option(
            "--attempt",
            type=click.IntRange(min=1),
            default=None,
            help="Which message to this person this is (1 = first).",
        ),
        click.option(
            "--config", "config_path", type=click.Path(dir_okay=False), default=None, help="Config file (TOML)."
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def llm_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options of every command that can use a model."""
    options = [
        click.option("--offline", is_flag=True, help="Rules only: never call a model."),
        click.option("--llm", "demand_llm", is_flag=True, help="Require the model; exit 3 if it cannot be used."),
        click.option("--model", default=None, help="Model name [env COACH_MODEL; default gpt-4.1-mini]."),
        click.option("--base-url", default=None, help="OpenAI-compatible endpoint [env OPENAI_BASE_URL]."),
        click.option(
            "--notes", "notes_path", default=None, metavar="FILE", help="Your notes: who you are, what you know."
        ),
        click.option("--context", default=None, metavar="TEXT", help="The same as --notes, inline."),
        click.option("--no-cache", is_flag=True, help="Do not reuse or store model answers."),
    ]
    for option in reversed(options):
        func = option(func)
    return func
