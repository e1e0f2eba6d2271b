"""``coach rewrite``: a better version of the draft, with the writer's facts and voice kept."""

from __future__ import annotations

import difflib
import json
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import click

from coach.batch import Failure
from coach.cli.batchio import batch_options, failures_exit, progress, write_output
from coach.cli.critique import LLM_DEFAULT_JOBS
from coach.cli.options import kind_option, llm_options, rule_filter_options, rule_options
from coach.cli.session import ModelSession, notice
from coach.config import Settings, load_settings
from coach.engine import Options
from coach.errors import InputError, UsageError
from coach.inputs import STDIN_NAMES
from coach.modelsetup import read_notes, resolve_model
from coach.rewrite import RewriteOutcome, llm_rewrite, offline_rewrite
from coach.safewrite import replace_with_backup
from coach.sources import DraftInput, collect_inputs


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


def _rewrite_one(
    draft: DraftInput,
    options: Options,
    settings: Settings,
    session: ModelSession | None,
    notes: str | None,
) -> RewriteOutcome | Failure:
    """One draft's rewrite: with the model if there is one (falling back to the rules' fixes)."""
    if draft.error is not None:
        return Failure(draft, draft.error.one_line(), draft.error.exit_code)
    wanted = replace(options, kind=draft.kind) if draft.kind else options
    name = None if draft.path == "<stdin>" else draft.path

    def without_model(reason: str) -> RewriteOutcome:
        outcome = offline_rewrite(draft.text, wanted, settings, path=name)
        outcome.notices.insert(0, f"the model could not be used ({reason}); this is the rules-only rewrite")
        return outcome

    try:
        if session is None:
            outcome = offline_rewrite(draft.text, wanted, settings, path=name)
        else:
            outcome = session.run(
                lambda client: llm_rewrite(draft.text, wanted, settings, client, notes, name), without_model
            )
    except (UsageError, InputError) as exc:  # e.g. an unknown kind in a table's kind column
        return Failure(draft, f"{draft.label}: {exc.one_line()}", exc.exit_code)
    if draft.id is not None:
        outcome.extra["id"] = draft.id
    outcome.notices[:0] = draft.notices
    return outcome


def render(results: list[RewriteOutcome | Failure], fmt: str, single: bool, in_place: bool) -> str | None:
    if fmt in ("json", "jsonl"):
        dicts = [r.to_dict() for r in results]
        if fmt == "jsonl":
            return "\n".join(json.dumps(d, ensure_ascii=False) for d in dicts)
        return json.dumps(dicts[0] if single else dicts, indent=2, ensure_ascii=False)
    if fmt == "diff":
        return "".join(unified_diff(r) for r in results if isinstance(r, RewriteOutcome)).rstrip("\n")
    if in_place:
        return None
    blocks = []
    for r in results:
        if isinstance(r, Failure):
            blocks.append(f"==> {r.draft.label} <==\n{r.draft.label}: error: {r.message}")
            continue
        text = r.rewrite.rstrip("\r\n")
        blocks.append(text if single else f"==> {r.extra.get('id') or r.path or '<stdin>'} <==\n{text}")
    return "\n\n".join(blocks)


@click.command()
@click.argument("files", nargs=-1, metavar="[FILE|FOLDER]...")
@kind_option()
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "jsonl", "diff"]), default="text", show_default=True
)
@click.option("--in-place", is_flag=True, help="Replace each FILE with its rewrite, keeping FILE.bak.")
@batch_options
@llm_options
@rule_filter_options
def rewrite(
    files: tuple[str, ...],
    kind: str,
    fmt: str,
    in_place: bool,
    input_format: str | None,
    text_field: str,
    id_field: str | None,
    kind_field: str | None,
    output_path: str | None,
    jobs: int | None,
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
    """Rewrite drafts (FILE, '-' / nothing for stdin, folders, or tables with --input-format).

    Text output is only the rewritten message (pipe-friendly); the short report
    goes to stderr. Exit codes: 0 done, 2 usage or input error, 3 --llm given
    and the model could not be used, 4 some drafts could not be read.
    """
    paths = files or ("-",)
    if in_place and (input_format or any(p in STDIN_NAMES for p in paths)):
        raise UsageError("--in-place needs draft files, not stdin or a table", "pass the drafts' paths")
    settings = load_settings(config_path)
    options = rule_options(kind, select, ignore, min_severity, template, account, attempt)
    llm = resolve_model(settings, offline=offline, demand=demand_llm, model=model, base_url=base_url, no_cache=no_cache)
    notes = read_notes(notes_path, context)
    drafts = collect_inputs(files, input_format, text_field, id_field, kind_field)
    single = len(drafts) == 1 and len(files) <= 1 and input_format is None
    if single and drafts[0].error is not None:
        raise drafts[0].error
    session = ModelSession(llm, demand_llm) if llm is not None else None
    workers = min(jobs or (LLM_DEFAULT_JOBS if session else 1), len(drafts))
    with progress(len(drafts), "rewrite") as advance, ThreadPoolExecutor(max(1, workers)) as pool:
        results: list[RewriteOutcome | Failure] = []
        for result in pool.map(lambda d: _rewrite_one(d, options, settings, session, notes), drafts):
            results.append(result)
            if advance:
                advance(1)
    if in_place:
        for result in results:
            if isinstance(result, RewriteOutcome) and result.path:
                text = result.rewrite if result.rewrite.endswith(("\n", "\r\n")) else result.rewrite + "\n"
                backup = replace_with_backup(result.path, text)
                notice(f"rewrote {result.path} (the original is in {backup})")
    rendered = render(results, fmt, single, in_place)
    if rendered is not None:
        write_output(rendered, output_path)
    for result in results:
        if isinstance(result, RewriteOutcome):
            click.echo(summary(result), err=True)
    code = failures_exit(results)
    sys.exit(code or 0)
