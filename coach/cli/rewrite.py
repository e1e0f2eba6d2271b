"""``coach rewrite``: a better version of the draft, with the writer's facts and voice kept."""

from __future__ import annotations

import difflib
import json
import sys

import click

from coach.cli.options import kind_option, llm_options, rule_filter_options, split_codes
from coach.cli.session import ModelSession, notice
from coach.config import load_settings
from coach.engine import Options
from coach.errors import UsageError
from coach.inputs import STDIN_NAMES, read_source
from coach.modelsetup import read_notes, resolve_model
from coach.rewrite import RewriteOutcome, llm_rewrite, offline_rewrite
from coach.safewrite import replace_with_backup


def summary(outcome: RewriteOutcome) -> str:
    """The short report for stderr: score before and after, and what changed."""
    mode = f"model {outcome.extra['model']}" if outcome.mode == "llm" else "rules only"
    name = f"{outcome.path}: " if outcome.path else ""
    lines = [f"{name}score {outcome.before.score} -> {outcome.after.score} ({mode})"]
    lines += [f"  - {change}" for change in outcome.changes]
    if outcome.unsupported_facts:
        lines.append(f"  unsupported facts replaced: {', '.join(outcome.unsupported_facts)}")
    lines += [f"  note: {n}" for n in outcome.notices]
    return "\n".join(lines)


def unified_diff(outcome: RewriteOutcome) -> str:
    name = outcome.path or "draft"
    diff = difflib.unified_diff(
        outcome.original.splitlines(keepends=True),
        outcome.rewrite.splitlines(keepends=True),
        fromfile=f"a/{name}",
        tofile=f"b/{name}",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in diff)


@click.command()
@click.argument("files", nargs=-1, metavar="[FILE]...")
@kind_option()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "diff"]), default="text", show_default=True)
@click.option("--in-place", is_flag=True, help="Replace each FILE with its rewrite, keeping FILE.bak.")
@llm_options
@rule_filter_options
def rewrite(
    files: tuple[str, ...],
    kind: str,
    fmt: str,
    in_place: bool,
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
    """Rewrite drafts (FILE, or '-' / nothing for stdin).

    Text output is only the rewritten message (pipe-friendly); the short report
    goes to stderr. Exit codes: 0 done, 2 usage or input error, 3 --llm given
    and the model could not be used.
    """
    paths = files or ("-",)
    if in_place and any(p in STDIN_NAMES for p in paths):
        raise UsageError("--in-place needs files, not stdin", "pass the draft's path")
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
    sources = [read_source(path) for path in paths]
    session = ModelSession(llm, demand_llm) if llm is not None else None
    outcomes = []
    for source in sources:
        name = None if source.name == "<stdin>" else source.name

        def without_model(reason: str, text: str = source.text, name: str | None = name) -> RewriteOutcome:
            outcome = offline_rewrite(text, options, settings, path=name)
            outcome.notices.insert(0, f"the model could not be used ({reason}); this is the rules-only rewrite")
            return outcome

        if session is None:
            outcome = offline_rewrite(source.text, options, settings, path=name)
        else:
            outcome = session.run(
                lambda client, text=source.text, name=name: llm_rewrite(text, options, settings, client, notes, name),
                without_model,
            )
        outcome.notices[:0] = source.notices
        outcomes.append(outcome)
    for source, outcome in zip(sources, outcomes, strict=True):
        if in_place:
            newline_text = outcome.rewrite if outcome.rewrite.endswith(("\n", "\r\n")) else outcome.rewrite + "\n"
            backup = replace_with_backup(source.name, newline_text)
            notice(f"rewrote {source.name} (the original is in {backup})")
    if fmt == "json":
        data = [o.to_dict() for o in outcomes]
        click.echo(json.dumps(data[0] if len(data) == 1 else data, indent=2, ensure_ascii=False))
    elif fmt == "diff":
        click.echo("".join(unified_diff(o) for o in outcomes), nl=False)
    elif not in_place:
        for outcome in outcomes:
            if len(outcomes) > 1:
                click.echo(f"==> {outcome.path or '<stdin>'} <==")
            click.echo(outcome.rewrite.rstrip("\r\n"))
    for outcome in outcomes:
        click.echo(summary(outcome), err=True)
    sys.exit(0)
