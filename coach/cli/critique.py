"""``coach critique``: a mentor's read of one or many drafts, with a model when one is configured."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from coach.batch import Failure, critique_drafts, default_jobs
from coach.cli.batchio import batch_options, csv_table, failures_exit, progress, write_output
from coach.cli.options import kind_option, llm_options, rule_filter_options, rule_options
from coach.cli.render import render_text
from coach.cli.session import ModelSession
from coach.config import FAIL_ON, load_settings
from coach.engine import Options
from coach.modelsetup import read_notes, resolve_model
from coach.registry import SEVERITY_RANK
from coach.report import Report
from coach.sources import collect_inputs

LLM_DEFAULT_JOBS = 4


def use_colour() -> bool:
    return "NO_COLOR" not in os.environ and sys.stdout.isatty()


def csv_summary(results: list[Report | Failure]) -> str:
    rows = []
    for r in results:
        if isinstance(r, Failure):
            rows.append([r.draft.label, "", "", "", "", "", "", "", r.message])
            continue
        count = {sev: sum(1 for f in r.findings if f.severity == sev) for sev in ("error", "warning", "suggestion")}
        label = r.extra.get("id") or r.path or "<stdin>"
        rules = " ".join(dict.fromkeys(f.rule for f in r.findings))
        rows.append([label, r.kind, r.score, count["error"], count["warning"], count["suggestion"], rules, r.mode, ""])
    return csv_table(["draft", "kind", "score", "errors", "warnings", "suggestions", "rules", "mode", "error"], rows)


def render(results: list[Report | Failure], fmt: str, single: bool) -> str:
    if fmt == "csv":
        return csv_summary(results).rstrip("\n")
    if fmt in ("json", "jsonl"):
        import json

        dicts = [r.to_dict() for r in results]
        if fmt == "jsonl":
            return "\n".join(json.dumps(d, ensure_ascii=False) for d in dicts)
        return json.dumps(dicts[0] if single else dicts, indent=2, ensure_ascii=False)
    colour = use_colour()
    blocks = [
        f"{r.draft.label}: error: {r.message}" if isinstance(r, Failure) else render_text(r, colour) for r in results
    ]
    return "\n\n".join(blocks)


@click.command()
@click.argument("files", nargs=-1, metavar="[FILE|FOLDER]...")
@kind_option()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "jsonl", "csv"]), default="text", show_default=True)
@click.option(
    "--fail-on", type=click.Choice(FAIL_ON), default=None, help="Exit 1 at or above this severity [default: error]."
)
@click.option("--show-prompt", is_flag=True, help="Print what would be sent to the model, and send nothing.")
@batch_options
@llm_options
@rule_filter_options
def critique(
    files: tuple[str, ...],
    kind: str,
    fmt: str,
    fail_on: str | None,
    show_prompt: bool,
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
    """Critique drafts and score them 0-100.

    FILE may be '-' (or nothing) for stdin, a folder (its .txt, .md and .eml files,
    recursively), or with --input-format a JSON Lines or CSV table of drafts.

    Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it,
    2 usage or input error, 3 --llm given and the model could not be used,
    4 some drafts could not be read (the others were critiqued; see their error records).
    """
    settings = load_settings(config_path)
    options = rule_options(kind, select, ignore, min_severity, template, account, attempt)
    llm = resolve_model(settings, offline=offline, demand=demand_llm, model=model, base_url=base_url, no_cache=no_cache)
    notes = read_notes(notes_path, context)
    drafts = collect_inputs(files, input_format, text_field, id_field, kind_field)
    single = len(drafts) == 1 and len(files) <= 1 and input_format is None
    if single and drafts[0].error is not None:
        raise drafts[0].error  # one draft that cannot be read: the plain one-line error, exit 2
    with progress(len(drafts), "critique") as advance:
        results = critique_drafts(drafts, options, settings, jobs or default_jobs(), advance)
    if show_prompt:
        click.echo(_prompts(results, drafts, notes))
        return
    if llm is not None:
        results = _with_model(results, drafts, llm, demand_llm, options, notes, settings.penalties, jobs)
    write_output(render(results, fmt, single), output_path)
    code = failures_exit(results)
    if code is not None:
        sys.exit(code)
    threshold = fail_on or settings.fail_on
    if threshold != "never":
        worst = [SEVERITY_RANK[r.worst_severity()] for r in results if isinstance(r, Report) and r.worst_severity()]
        if worst and max(worst) >= SEVERITY_RANK[threshold]:
            sys.exit(1)


def _with_model(
    results: list[Report | Failure],
    drafts: list[Any],
    llm: Any,
    demand: bool,
    options: Options,
    notes: str | None,
    penalties: dict[str, int],
    jobs: int | None,
) -> list[Report | Failure]:
    """Each report deepened by the model, ``jobs`` at a time, in input order."""
    from coach.llm.critique import llm_critique

    session = ModelSession(llm, demand)

    def deepen(pair: tuple[Report | Failure, Any]) -> Report | Failure:
        report, draft = pair
        if isinstance(report, Failure):
            return report

        def without_model(reason: str) -> Report:
            report.notices.append(f"the model could not be used ({reason}); this is the rule engine's report")
            return report

        return session.run(
            lambda client: llm_critique(report, draft.text, client, options, notes, penalties), without_model
        )

    from concurrent.futures import ThreadPoolExecutor

    pairs = list(zip(results, drafts, strict=True))
    workers = min(jobs or LLM_DEFAULT_JOBS, max(1, len(pairs)))
    if workers == 1:
        return [deepen(pair) for pair in pairs]
    with progress(len(pairs), "model") as advance, ThreadPoolExecutor(workers) as pool:
        out = []
        for result in pool.map(deepen, pairs):
            out.append(result)
            if advance:
                advance(1)
        return out


def _prompts(results: list[Report | Failure], drafts: list[Any], notes: str | None) -> str:
    import json

    from coach.llm.prompts import critique_messages, estimate_tokens

    out = []
    for report, draft in zip(results, drafts, strict=True):
        if isinstance(report, Failure):
            continue
        messages = critique_messages(draft.text, report.kind, report.findings, notes)
        shown = {"path": report.path, "prompt_tokens_estimate": estimate_tokens(messages), "messages": messages}
        out.append(json.dumps(shown, indent=2, ensure_ascii=False))
    return "\n".join(out)
