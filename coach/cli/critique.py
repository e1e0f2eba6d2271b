"""``coach critique``: a mentor's read of one or many drafts, with a model when one is configured."""

from __future__ import annotations

import sys

import click

from coach.app.coach import Coach, ModelChoice, Tally
from coach.cli.options import DraftSource, color_option, draft_input, model_choice, rule_choice
from coach.cli.render import batch_summary, report_chunks, write_output
from coach.cli.terminal import notice, progress, spinning_until_first, use_colour
from coach.rules.config import FAIL_ON, load_settings
from coach.rules.engine import Options

# Formats for CI, rendered by coach.cli.ci_formats (imported only when asked for).
CI_FORMATS = ("github", "sarif")


@click.command()
@draft_input
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "jsonl", "csv", *CI_FORMATS]),
    default="text",
    show_default=True,
    help="github: workflow-command annotations; sarif: SARIF 2.1.0 for code scanning.",
)
@click.option(
    "--fail-on", type=click.Choice(FAIL_ON), default=None, help="Exit 1 at or above this severity [default: error]."
)
@click.option("--show-prompt", is_flag=True, help="Print what would be sent to the model, and send nothing.")
@color_option()
@model_choice
@rule_choice
def critique(
    inputs: DraftSource,
    fmt: str,
    fail_on: str | None,
    show_prompt: bool,
    color: str,
    model: ModelChoice,
    options: Options,
    config_path: str | None,
) -> None:
    """Critique drafts and score them 0-100.

    FILE may be '-' (or nothing) for stdin, a folder (its .txt, .md and .eml files,
    recursively), or with --input-format a JSON Lines or CSV table of drafts.
    Read from a terminal, paste the draft and end it with Ctrl-D.

    --format json gives one object for a single FILE or stdin, and an array for
    anything else (a folder, several files, a table), even of one draft; jsonl
    is always one object a line. A batch of more than one draft ends with a
    summary line on stderr (drafts by band and by kind, and errors).

    Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it,
    2 usage or input error, 3 --llm given and the model could not be used,
    4 some drafts could not be read (the others were critiqued; see their error records).
    """
    # A lone text report on the terminal carries the fallback notice itself; otherwise stderr says it once too.
    quiet = inputs.single and fmt == "text" and inputs.output_path is None
    coach = Coach(load_settings(config_path), options, model, jobs=inputs.jobs, notify=None if quiet else notice)
    drafts = inputs.read()  # one FILE (or table) that cannot be read: the plain one-line error, exit 2
    if show_prompt:
        import json

        click.echo("\n".join(json.dumps(p, indent=2, ensure_ascii=False) for p in coach.prompts(drafts)))
        return
    # Each report is written as soon as it is ready and then forgotten; the tally keeps the counts.
    tally = Tally()
    with progress("critique", inputs.output_path is not None) as advance:
        results = spinning_until_first(tally.watch(coach.critique_many(drafts, advance)), coach.uses_model)
        if fmt in CI_FORMATS:
            from coach.cli.ci_formats import render_ci

            write_output(render_ci(results, fmt), inputs.output_path)
        else:
            colour = use_colour(color if inputs.output_path is None or color == "always" else "never")
            write_output(report_chunks(results, fmt, inputs.single, colour), inputs.output_path, colour)
    if tally.total > 1:
        click.echo(batch_summary(tally), err=True)
    sys.exit(coach.exit_code(tally, fail_on))
