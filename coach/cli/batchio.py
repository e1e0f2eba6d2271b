"""Batch plumbing shared by critique and rewrite: input options, progress, output, exit codes."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from coach.batch import Failure

EXIT_SOME_FAILED = 4
PROGRESS_MIN_DRAFTS = 6


def batch_options(func: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option(
            "--input-format",
            type=click.Choice(["jsonl", "csv"]),
            default=None,
            help="Read drafts from a table (one draft a row) instead of files.",
        ),
        click.option("--text-field", default="text", show_default=True, help="Table column holding the draft."),
        click.option("--id-field", default=None, help="Table column identifying each draft in the output."),
        click.option("--kind-field", default=None, help="Table column giving each draft's kind."),
        click.option(
            "--output", "output_path", default=None, metavar="FILE", help="Write the output here (atomically)."
        ),
        click.option(
            "--jobs", type=click.IntRange(min=1, max=64), default=None, help="Drafts processed at once [default: auto]."
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@contextmanager
def progress(count: int, label: str) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr for a real batch on a terminal; nothing otherwise."""
    if count < PROGRESS_MIN_DRAFTS or not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=count, label=label, file=sys.stderr) as bar:
        yield bar.update


def write_output(text: str, output_path: str | None) -> None:
    """To stdout, or to ``output_path`` atomically (an existing file is kept as a backup)."""
    if output_path is None:
        click.echo(text)
        return
    from coach.safewrite import replace_with_backup, write_new  # shutil costs start-up time

    data = text if text.endswith("\n") else text + "\n"
    if os.path.exists(output_path):
        backup = replace_with_backup(output_path, data)
        click.echo(f"coach: notice: wrote {output_path} (the previous file is in {backup})", err=True)
    else:
        write_new(output_path, data)


def csv_table(header: list[str], rows: list[list[Any]]) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def failures_exit(results: list[Any]) -> int | None:
    """Exit 4 when some drafts failed and others were processed; 2 when every draft failed."""
    failed = [r for r in results if isinstance(r, Failure)]
    if not failed:
        return None
    return 2 if len(failed) == len(results) else EXIT_SOME_FAILED
