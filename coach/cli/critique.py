"""``coach critique``: the offline mentor's read of one or more drafts."""

from __future__ import annotations

import os
import sys

import click

from coach.cli.options import kind_option, rule_filter_options, split_codes
from coach.cli.render import render_json, render_jsonl, render_text
from coach.config import FAIL_ON, load_settings
from coach.engine import Options, critique_text
from coach.inputs import read_source
from coach.registry import SEVERITY_RANK


def use_colour() -> bool:
    return "NO_COLOR" not in os.environ and sys.stdout.isatty()


@click.command()
@click.argument("files", nargs=-1, metavar="[FILE]...")
@kind_option()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "jsonl"]), default="text", show_default=True)
@click.option(
    "--fail-on", type=click.Choice(FAIL_ON), default=None, help="Exit 1 at or above this severity [default: error]."
)
@click.option("--offline", is_flag=True, help="Rules only, no model (the only mode for now).")
@rule_filter_options
def critique(
    files: tuple[str, ...],
    kind: str,
    fmt: str,
    fail_on: str | None,
    offline: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    min_severity: str | None,
    template: bool,
    account: str | None,
    attempt: int | None,
    config_path: str | None,
) -> None:
    """Critique drafts (FILE, or '-' / nothing for stdin) and score them 0-100.

    Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it,
    2 usage or input error.
    """
    settings = load_settings(config_path)
    options = Options(
        kind=kind,
        account=account,
        attempt=attempt,
        template=template,
        select=split_codes(select),
        ignore=split_codes(ignore),
        min_severity=min_severity,
    )
    sources = [read_source(path) for path in (files or ("-",))]
    reports = [critique_text(s.text, options, settings, path=s.name, notices=s.notices) for s in sources]
    if fmt == "json":
        click.echo(render_json(reports, single=len(reports) == 1))
    elif fmt == "jsonl":
        click.echo(render_jsonl(reports))
    else:
        colour = use_colour()
        click.echo("\n\n".join(render_text(r, colour) for r in reports), color=colour)
    threshold = fail_on or settings.fail_on
    if threshold != "never":
        worst = [SEVERITY_RANK[r.worst_severity()] for r in reports if r.worst_severity()]
        if worst and max(worst) >= SEVERITY_RANK[threshold]:
            sys.exit(1)
