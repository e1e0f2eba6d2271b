"""``coach critique``: a mentor's read of one or many drafts, with a model when one is configured."""

from __future__ import annotations

import sys

import click

from coach.app.coach import Coach, ModelChoice
from coach.cli.options import DraftSource, draft_input, model_choice, rule_choice
from coach.cli.render import render_reports, write_output
from coach.cli.terminal import PROGRESS_MIN_DRAFTS, notice, progress, use_colour, waiting
from coach.rules.config import FAIL_ON, load_settings
from coach.rules.engine import Options


@click.command()
@draft_input
@click.option("--format", "fmt", type=click.Choice(["text", "json", "jsonl", "csv"]), default="text", show_default=True)
@click.option(
    "--fail-on", type=click.Choice(FAIL_ON), default=None, help="Exit 1 at or above this severity [default: error]."
)
@click.option("--show-prompt", is_flag=True, help="Print what would be sent to the model, and send nothing.")
@model_choice
@rule_choice
def critique(
    inputs: DraftSource,
    fmt: str,
    fail_on: str | None,
    show_prompt: bool,
    model: ModelChoice,
    options: Options,
    config_path: str | None,
) -> None:
    """Critique drafts and score them 0-100.

    FILE may be '-' (or nothing) for stdin, a folder (its .txt, .md and .eml files,
    recursively), or with --input-format a JSON Lines or CSV table of drafts.

    Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it,
    2 usage or input error, 3 --llm given and the model could not be used,
    4 some drafts could not be read (the others were critiqued; see their error records).
    """
    coach = Coach(load_settings(config_path), options, model, jobs=inputs.jobs, notify=notice)
    drafts = inputs.read()
    single = inputs.single and len(drafts) == 1
    if single and drafts[0].error is not None:
        raise drafts[0].error  # one draft that cannot be read: the plain one-line error, exit 2
    if show_prompt:
        import json

        click.echo("\n".join(json.dumps(p, indent=2, ensure_ascii=False) for p in coach.prompts(drafts)))
        return
    spinner = coach.uses_model and len(drafts) < PROGRESS_MIN_DRAFTS
    with progress(len(drafts), "model" if coach.uses_model else "critique") as advance, waiting(spinner):
        results = list(coach.critique_many(drafts, advance))
    write_output(render_reports(results, fmt, single, use_colour()), inputs.output_path)
    sys.exit(coach.exit_code(results, fail_on))
