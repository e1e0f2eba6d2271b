"""``coach batch``: hand the biggest jobs to the provider's Batch API (submit, status, collect)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

import click

from coach.app.coach import Coach, ModelChoice, Tally, exit_for_failures
from coach.cli.options import DraftSource, config_option, draft_input, rule_choice
from coach.cli.render import batch_summary, report_chunks, write_output
from coach.cli.terminal import notice
from coach.errors import ExitCode
from coach.llm.batchapi import to_jsonl
from coach.rules.config import load_settings
from coach.rules.engine import Options


def endpoint_options(func: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(
        [
            click.option("--model", "model_name", default=None, help="Model name [env COACH_MODEL]."),
            click.option("--base-url", default=None, help="OpenAI-compatible endpoint [env OPENAI_BASE_URL]."),
        ]
    ):
        func = option(func)
    return func


@click.group()
def batch() -> None:
    """Large jobs through the Batch API: half the price, results within 24 hours.

    Use 'coach critique --jobs N' for up to a few hundred drafts you want now; use
    'coach batch' for thousands of drafts that can wait.
    """


@batch.command()
@draft_input
@click.option("--dry-run", is_flag=True, help="Write the Batch API requests (JSONL) instead of uploading them.")
@click.option("--notes", "notes_path", default=None, metavar="FILE", help="Your notes, sent with every draft.")
@click.option("--context", default=None, metavar="TEXT", help="The same as --notes, inline.")
@endpoint_options
@rule_choice
def submit(
    inputs: DraftSource,
    dry_run: bool,
    notes_path: str | None,
    context: str | None,
    model_name: str | None,
    base_url: str | None,
    options: Options,
    config_path: str | None,
) -> None:
    """Submit a critique of many drafts as one batch; prints the batch id."""
    # Not ``demand``: --llm was never given. Without a key, a dry run still writes the requests,
    # and a real submit fails with "the Batch API needs a model endpoint and key" (exit 3).
    choice = ModelChoice(
        offline=dry_run,
        model=model_name,
        base_url=base_url,
        no_cache=True,
        notes_path=notes_path,
        context=context,
    )
    coach = Coach(load_settings(config_path), options, choice, notify=notice)
    drafts = inputs.read()
    if dry_run:
        write_output(to_jsonl(coach.batch_requests(drafts)), inputs.output_path)
        return
    for started in coach.batch_submit(drafts):
        click.echo(started.batch_id)
        notice(
            f"submitted {started.sent} drafts as {started.batch_id} (record: {started.manifest}); "
            f"check with 'coach batch status {started.batch_id}'"
        )


def _endpoint_coach(config_path: str | None, model_name: str | None, base_url: str | None) -> Coach:
    choice = ModelChoice(model=model_name, base_url=base_url, no_cache=True)  # no key: Coach._batch_llm says so
    return Coach(load_settings(config_path), model=choice, notify=notice)


@batch.command()
@click.argument("batch_id")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@endpoint_options
@config_option()
def status(batch_id: str, fmt: str, model_name: str | None, base_url: str | None, config_path: str | None) -> None:
    """Show a batch's status and progress."""
    info = _endpoint_coach(config_path, model_name, base_url).batch_status(batch_id)
    if fmt == "json":
        click.echo(json.dumps(info, indent=2))
        return
    done = f"{info['completed'] or 0} of {info['total'] or '?'} done, {info['failed'] or 0} failed"
    click.echo(f"{info['id']}: {info['status']} ({done})")


@batch.command()
@click.argument("batch_id")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "jsonl", "csv"]), default="jsonl", show_default=True
)
@click.option("--output", "output_path", default=None, metavar="FILE", help="Write the reports here, atomically.")
@endpoint_options
@config_option()
def collect(
    batch_id: str,
    fmt: str,
    output_path: str | None,
    model_name: str | None,
    base_url: str | None,
    config_path: str | None,
) -> None:
    """Download a finished batch and write the same reports as 'coach critique'.

    Exit codes: 0 collected, 2 usage error (e.g. unknown batch), 3 the endpoint could
    not be used, 4 some drafts had no usable result, 5 the batch has not finished yet.
    """
    tally = Tally()
    results = tally.watch(_endpoint_coach(config_path, model_name, base_url).batch_collect(batch_id))
    write_output(report_chunks(results, fmt, single=False), output_path)
    if tally.total > 1:
        click.echo(batch_summary(tally), err=True)
    sys.exit(exit_for_failures(tally) or ExitCode.OK)
