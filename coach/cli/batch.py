"""``coach batch``: hand the biggest jobs to the provider's Batch API (submit, status, collect)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

import click

from coach.cli.batchio import batch_options, failures_exit, write_output
from coach.cli.critique import render
from coach.cli.options import kind_option, rule_filter_options, rule_options
from coach.config import load_settings
from coach.modelsetup import read_notes, resolve_model
from coach.sources import collect_inputs


def _model_options(func: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(
        [
            click.option("--model", default=None, help="Model name [env COACH_MODEL]."),
            click.option("--base-url", default=None, help="OpenAI-compatible endpoint [env OPENAI_BASE_URL]."),
            click.option("--config", "config_path", default=None, help="Config file (TOML)."),
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
@click.argument("files", nargs=-1, metavar="[FILE|FOLDER]...")
@kind_option()
@click.option("--dry-run", is_flag=True, help="Write the Batch API requests (JSONL) instead of uploading them.")
@click.option("--notes", "notes_path", default=None, metavar="FILE", help="Your notes, sent with every draft.")
@click.option("--context", default=None, metavar="TEXT", help="The same as --notes, inline.")
@click.option("--model", default=None, help="Model name [env COACH_MODEL].")
@click.option("--base-url", default=None, help="OpenAI-compatible endpoint [env OPENAI_BASE_URL].")
@batch_options
@rule_filter_options
def submit(
    files: tuple[str, ...],
    kind: str,
    dry_run: bool,
    notes_path: str | None,
    context: str | None,
    model: str | None,
    base_url: str | None,
    input_format: str | None,
    text_field: str,
    id_field: str | None,
    kind_field: str | None,
    output_path: str | None,
    jobs: int | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    min_severity: str | None,
    template: bool,
    account: str | None,
    attempt: int | None,
    config_path: str | None,
) -> None:
    """Submit a critique of many drafts as one batch; prints the batch id."""
    from coach.llm import batchapi

    settings = load_settings(config_path)
    options = rule_options(kind, select, ignore, min_severity, template, account, attempt)
    llm = resolve_model(settings, demand=True, model=model, base_url=base_url, no_cache=True)
    notes = read_notes(notes_path, context)
    drafts = collect_inputs(files, input_format, text_field, id_field, kind_field)
    if dry_run:
        lines, _ = batchapi.batch_requests(drafts, options, settings, llm, notes)
        write_output(batchapi.to_jsonl(lines).rstrip("\n"), output_path)
        return
    manifest, saved = batchapi.submit(drafts, options, settings, llm, notes)
    click.echo(manifest.batch_id)
    click.echo(
        f"coach: notice: submitted {sum(1 for d in manifest.drafts if 'error' not in d)} drafts as "
        f"{manifest.batch_id} (record: {saved}); check with 'coach batch status {manifest.batch_id}'",
        err=True,
    )


@batch.command()
@click.argument("batch_id")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_model_options
def status(batch_id: str, fmt: str, model: str | None, base_url: str | None, config_path: str | None) -> None:
    """Show a batch's status and progress."""
    from coach.llm import batchapi

    llm = resolve_model(load_settings(config_path), demand=True, model=model, base_url=base_url, no_cache=True)
    info = batchapi.status(batch_id, llm)
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
@_model_options
def collect(
    batch_id: str, fmt: str, output_path: str | None, model: str | None, base_url: str | None, config_path: str | None
) -> None:
    """Download a finished batch and write the same reports as 'coach critique'.

    Exit codes: 0 collected, 2 usage error (e.g. unknown batch), 3 the endpoint could
    not be used, 4 some drafts had no usable result, 5 the batch has not finished yet.
    """
    from coach.llm import batchapi

    settings = load_settings(config_path)
    llm = resolve_model(settings, demand=True, model=model, base_url=base_url, no_cache=True)
    results = batchapi.collect(batch_id, llm, settings)
    write_output(render(results, fmt, single=False), output_path)
    code = failures_exit(results)
    sys.exit(code or 0)
