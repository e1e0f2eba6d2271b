"""``coach critique``: a mentor's read of one or more drafts, with a model when one is configured."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import click

from coach.cli.options import kind_option, llm_options, rule_filter_options, split_codes
from coach.cli.render import render_json, render_jsonl, render_text
from coach.cli.session import ModelSession
from coach.config import FAIL_ON, load_settings
from coach.engine import Options, critique_text
from coach.inputs import read_source
from coach.modelsetup import read_notes, resolve_model
from coach.registry import SEVERITY_RANK
from coach.report import Report


def use_colour() -> bool:
    return "NO_COLOR" not in os.environ and sys.stdout.isatty()


@click.command()
@click.argument("files", nargs=-1, metavar="[FILE]...")
@kind_option()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "jsonl"]), default="text", show_default=True)
@click.option(
    "--fail-on", type=click.Choice(FAIL_ON), default=None, help="Exit 1 at or above this severity [default: error]."
)
@click.option("--show-prompt", is_flag=True, help="Print what would be sent to the model, and send nothing.")
@llm_options
@rule_filter_options
def critique(
    files: tuple[str, ...],
    kind: str,
    fmt: str,
    fail_on: str | None,
    show_prompt: bool,
    offline: bool,
    demand_llm: bool,
    model: str | None,
    base_url: str | None,
    notes_path: str | None,
    context: str | None,
    no_cache: bool,
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
    2 usage or input error, 3 --llm given and the model could not be used.
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
    llm = resolve_model(settings, offline=offline, demand=demand_llm, model=model, base_url=base_url, no_cache=no_cache)
    notes = read_notes(notes_path, context)
    sources = [read_source(path) for path in (files or ("-",))]
    reports = [critique_text(s.text, options, settings, path=s.name, notices=s.notices) for s in sources]
    if show_prompt:
        click.echo(_prompts(reports, sources, notes))
        return
    if llm is not None:
        from coach.llm.critique import llm_critique

        session = ModelSession(llm, demand_llm)

        def deepen(report: Report, text: str) -> Report:
            def without_model(reason: str) -> Report:
                report.notices.append(f"the model could not be used ({reason}); this is the rule engine's report")
                return report

            return session.run(
                lambda client: llm_critique(report, text, client, options, notes, settings.penalties), without_model
            )

        reports = [deepen(report, source.text) for report, source in zip(reports, sources, strict=True)]
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


def _prompts(reports: list[Report], sources: list[Any], notes: str | None) -> str:
    from coach.llm.prompts import critique_messages, estimate_tokens

    out = []
    for report, source in zip(reports, sources, strict=True):
        messages = critique_messages(source.text, report.kind, report.findings, notes)
        out.append(
            json.dumps(
                {"path": report.path, "prompt_tokens_estimate": estimate_tokens(messages), "messages": messages},
                indent=2,
                ensure_ascii=False,
            )
        )
    return "\n".join(out)
