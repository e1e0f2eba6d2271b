"""``coach rewrite``: a better version of the draft, with the writer's facts and voice kept."""

from __future__ import annotations

import difflib
import sys
from collections.abc import Iterable, Iterator

import click

from coach.app.coach import Coach, ModelChoice, Tally, exit_for_failures
from coach.app.many import Failure
from coach.app.rewrite import RewriteOutcome
from coach.app.session import FALLBACK_PREFIX
from coach.cli.options import DraftSource, draft_input, model_choice, rule_choice
from coach.cli.render import draft_name, failure_line, joined, json_chunks, write_output
from coach.cli.terminal import notice, progress, spinning_until_first
from coach.errors import ExitCode, UsageError
from coach.io.read import STDIN_NAMES
from coach.rules.config import load_settings
from coach.rules.engine import Options
from coach.rules.report import points_text


def summary(outcome: RewriteOutcome) -> str:
    """The short report for stderr: score before and after, and what changed."""
    mode = f"model {outcome.extra['model']}" if outcome.mode == "llm" else "rules only"
    label = draft_name(outcome)
    name = f"{label}: " if label else ""
    if outcome.mode == "rules":
        # The offline rewrite is scored as it will be sent: with its markers filled in.
        filled = " once its markers are filled" if outcome.markers else ""
        head = f"{name}score {points_text(outcome.before.score)} -> {points_text(outcome.after.score)}{filled} ({mode})"
        lines = [head + (f", to fill: {outcome.markers}" if outcome.markers else "")]
    else:
        lines = [f"{name}score {points_text(outcome.before.score)} -> {points_text(outcome.after.score)} ({mode})"]
    lines += [f"  - {change}" for change in outcome.changes]
    if outcome.unsupported_facts and outcome.mode == "llm":
        lines.append(f"  unsupported facts replaced: {', '.join(outcome.unsupported_facts)}")
    elif outcome.unsupported_facts:  # the model's version was not used: the notice below says why
        lines.append(f"  the model invented: {', '.join(outcome.unsupported_facts)} (its version was not used)")
    # The model's absence was said once for the run (coach: notice:); the head says "rules only".
    lines += [f"  note: {n}" for n in outcome.notices if not n.startswith(FALLBACK_PREFIX)]
    return "\n".join(lines)


def batch_summary(tally: Tally) -> str:
    """The line that ends a batch on stderr: how many drafts were rewritten, the mean score
    before and after, how many still have markers to fill, and how many failed."""
    head = f"coach: {tally.total} drafts: {tally.rewritten} rewritten"
    if tally.scored:
        before = round(tally.score_before / tally.scored)
        after = round(tally.score_after / tally.scored)
        head += f" (mean score {before} -> {after})"
    if tally.to_fill:
        head += f", {tally.to_fill} with markers to fill"
    return f"{head}; {tally.failed} error{'' if tally.failed == 1 else 's'}"


def unified_diff(outcome: RewriteOutcome) -> str:
    name = draft_name(outcome) or "draft"
    diff = difflib.unified_diff(
        outcome.original.splitlines(keepends=True),
        outcome.rewrite.splitlines(keepends=True),
        fromfile=f"a/{name}",
        tofile=f"b/{name}",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in diff)


def render(results: Iterable[RewriteOutcome | Failure], fmt: str, single: bool) -> Iterator[str]:
    """The rewrites in ``fmt``, in pieces made as each result comes."""
    if fmt in ("json", "jsonl"):
        yield from json_chunks((r.to_dict() for r in results), fmt, single)
    elif fmt == "diff":
        yield from (unified_diff(r) for r in results if isinstance(r, RewriteOutcome))
    else:
        yield from joined((_text_block(r, single) for r in results), "\n\n")


def _text_block(r: RewriteOutcome | Failure, single: bool) -> str:
    if isinstance(r, Failure):
        return f"==> {r.draft.label} <==\n{failure_line(r)}"
    text = r.rewrite.rstrip("\r\n")
    return text if single else f"==> {draft_name(r) or '<stdin>'} <==\n{text}"


def _reported(results: Iterable[RewriteOutcome | Failure], in_place: bool) -> Iterator[RewriteOutcome | Failure]:
    """Each result on its way out: its file replaced (``--in-place``) and its summary on stderr."""
    from coach.io.files import replace_with_backup

    for result in results:
        if isinstance(result, RewriteOutcome):
            if in_place and result.path:
                text = result.rewrite if result.rewrite.endswith(("\n", "\r\n")) else result.rewrite + "\n"
                backup = replace_with_backup(result.path, text)
                notice(f"rewrote {result.path} (the original is in {backup})")
            click.echo(summary(result), err=True)
        yield result


@click.command()
@draft_input
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "jsonl", "diff"]), default="text", show_default=True
)
@click.option("--in-place", is_flag=True, help="Replace each FILE with its rewrite, keeping FILE.bak.")
@model_choice
@rule_choice
def rewrite(
    inputs: DraftSource, fmt: str, in_place: bool, model: ModelChoice, options: Options, config_path: str | None
) -> None:
    """Rewrite drafts (FILE, '-' / nothing for stdin, folders, or tables with --input-format).

    Text output is only the rewritten message (pipe-friendly); the short report
    goes to stderr, and a batch of more than one draft ends with a summary line
    there. --format json gives one object for a single FILE or stdin, and an
    array for anything else (a folder, several files, a table), even of one
    draft; jsonl is always one object a line. Exit codes: 0 done, 2 usage or input error, 3 --llm given
    and the model could not be used, 4 some drafts could not be read.
    """
    if in_place and (inputs.input_format or any(p in STDIN_NAMES for p in inputs.files or ("-",))):
        raise UsageError("--in-place needs draft files, not stdin or a table", "pass the drafts' paths")
    # The fallback notice is said once, up front; each summary only says "rules only".
    coach = Coach(load_settings(config_path), options, model, jobs=inputs.jobs, notify=notice)
    drafts = inputs.read()  # one FILE (or table) that cannot be read: the plain one-line error, exit 2
    tally = Tally()
    with progress("rewrite", inputs.output_path is not None) as advance:
        results = _reported(
            spinning_until_first(tally.watch(coach.rewrite_many(drafts, advance)), coach.uses_model), in_place
        )
        if in_place and fmt == "text":
            for _ in results:  # the files are the output
                pass
        else:
            write_output(render(results, fmt, inputs.single), inputs.output_path)
    if tally.total > 1:
        click.echo(batch_summary(tally), err=True)
    sys.exit(exit_for_failures(tally) or ExitCode.OK)
