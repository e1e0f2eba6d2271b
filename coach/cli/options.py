"""Options shared by several commands, declared once and parsed into small dataclasses.

Each decorator adds a group of options and hands the command one value instead of
many: ``@rule_choice`` gives ``options`` (:class:`coach.rules.engine.Options`) and
``config_path``; ``@model_choice`` gives ``model`` (:class:`coach.app.coach.ModelChoice`);
``@draft_input`` gives ``inputs`` (:class:`DraftSource`).
"""

from __future__ import annotations

import functools
import itertools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import click

from coach.app.coach import ModelChoice
from coach.cli.terminal import COLOR_CHOICES
from coach.io.drafts import DraftInput, iter_inputs
from coach.rules.engine import Options
from coach.rules.schema import SEVERITIES
from coach.text.kinds import ALL_STAGES, KINDS

KIND_CHOICE = click.Choice(["auto", *KINDS])
# Where a kind names what to list or show, not how to judge a draft: no 'auto'.
KIND_ONLY_CHOICE = click.Choice(list(KINDS))


def split_codes(values: tuple[str, ...]) -> tuple[str, ...]:
    """``--select A,B --select C`` and ``--select A --select B,C`` mean the same."""
    return tuple(code.strip() for value in values for code in value.split(",") if code.strip())


def complete_rule_codes(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Shell completion of rule codes (and names) from the catalogue; after a comma, of the next one."""
    from click.shell_completion import CompletionItem

    from coach.rules.catalogue import all_rules

    done, _, word = incomplete.rpartition(",")
    head = f"{done}," if done else ""
    items = []
    for rule in all_rules():
        if rule.code.startswith(word.upper()):
            items.append(CompletionItem(head + rule.code, help=rule.name))
        elif word and rule.name.startswith(word.lower()):
            items.append(CompletionItem(head + rule.name, help=rule.code))
    return items


def _add(func: Callable[..., Any], options: list[Callable[[Any], Any]]) -> Callable[..., Any]:
    for option in reversed(options):
        func = option(func)
    return func


def _grouped(
    func: Callable[..., Any],
    into: str,
    build: Callable[..., Any],
    names: dict[str, str],
    options: list[Callable[[Any], Any]],
) -> Callable[..., Any]:
    """Add ``options`` to ``func`` and hand it one value instead: ``build`` called with the
    options' values (``names`` maps each option's parameter to ``build``'s keyword)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kw: Any) -> Any:
        kw[into] = build(**{field: kw.pop(param) for param, field in names.items()})
        return func(*args, **kw)

    return _add(wrapper, options)


def kind_option(default: str = "auto") -> Callable[[Any], Any]:
    return click.option(
        "--kind",
        type=KIND_CHOICE,
        default=default,
        show_default=True,
        help="Message kind; 'auto' detects it and says why.",
    )


def color_option() -> Callable[[Any], Any]:
    return click.option(
        "--color",
        "color",
        type=click.Choice(COLOR_CHOICES),
        default="auto",
        show_default=True,
        help="Colour the text report; auto: on a terminal, unless NO_COLOR is set (FORCE_COLOR forces it).",
    )


def config_option() -> Callable[[Any], Any]:
    return click.option(
        "--config", "config_path", type=click.Path(dir_okay=False), default=None, help="Config file (TOML)."
    )


def _rule_options(**values: Any) -> Options:
    return Options(**{**values, "select": split_codes(values["select"]), "ignore": split_codes(values["ignore"])})


def rule_choice(func: Callable[..., Any]) -> Callable[..., Any]:
    """The kind and the rule switches, handed to the command as ``options``."""
    names = ["kind", "stage", "account", "attempt", "template", "select", "ignore", "min_severity"]
    return _grouped(
        func,
        "options",
        _rule_options,
        {name: name for name in names},
        [
            kind_option(),
            click.option(
                "--stage",
                type=click.Choice(ALL_STAGES),
                default=None,
                help="connector-intro: ask, intro, decline; follow-up: nudge, thanks, reply, last [default: detected].",
            ),
            click.option(
                "--select",
                multiple=True,
                metavar="CODE",
                shell_complete=complete_rule_codes,
                help="Only these rules (code, prefix or name; repeatable).",
            ),
            click.option(
                "--ignore",
                multiple=True,
                metavar="CODE",
                shell_complete=complete_rule_codes,
                help="Skip these rules (code, prefix or name; repeatable).",
            ),
            click.option(
                "--min-severity", type=click.Choice(SEVERITIES), default=None, help="Hide findings below this severity."
            ),
            click.option("--template", is_flag=True, help="Treat placeholders such as {name} as template variables."),
            click.option(
                "--account",
                type=click.Choice(["premium", "free"]),
                default=None,
                help="LinkedIn account (free: 200-character notes).",
            ),
            click.option(
                "--attempt",
                type=click.IntRange(min=1),
                default=None,
                help="Which message to this person this is (1 = first).",
            ),
            config_option(),
        ],
    )


def model_choice(func: Callable[..., Any]) -> Callable[..., Any]:
    """Whether and how to use a model, handed to the command as ``model``."""
    names = {
        "offline": "offline",
        "demand_llm": "demand",
        "model_name": "model",
        "base_url": "base_url",
        "no_cache": "no_cache",
        "notes_path": "notes_path",
        "context": "context",
        "timeout": "timeout",
    }
    return _grouped(
        func,
        "model",
        ModelChoice,
        names,
        [
            click.option("--offline", is_flag=True, help="Rules only: never call a model."),
            click.option("--llm", "demand_llm", is_flag=True, help="Require the model; exit 3 if it cannot be used."),
            click.option(
                "--model", "model_name", default=None, help="Model name [env COACH_MODEL; default gpt-4.1-mini]."
            ),
            click.option("--base-url", default=None, help="OpenAI-compatible endpoint [env OPENAI_BASE_URL]."),
            click.option(
                "--notes", "notes_path", default=None, metavar="FILE", help="Your notes: who you are, what you know."
            ),
            click.option("--context", default=None, metavar="TEXT", help="The same as --notes, inline."),
            click.option("--no-cache", is_flag=True, help="Do not reuse or store model answers."),
            click.option(
                "--timeout",
                type=click.FloatRange(min=1, max=600),
                default=None,
                metavar="SECONDS",
                help="Seconds to wait for one model answer [default: 30; 240 for a server on this machine].",
            ),
        ],
    )


@dataclass(frozen=True)
class DraftSource:
    """Where the drafts of a run come from, and where its output goes."""

    files: tuple[str, ...]
    input_format: str | None
    text_field: str
    id_field: str | None
    kind_field: str | None
    output_path: str | None
    jobs: int | None

    def read(self) -> Iterator[DraftInput]:
        """Every draft, in order, read as the run asks for them; raises the plain one-line
        error (exit 2) when the whole input is one thing that cannot be read: the single FILE,
        or the single table itself."""
        from coach.cli.terminal import prompt_for_paste

        prompt_for_paste(self.files)
        drafts = iter_inputs(self.files, self.input_format, self.text_field, self.id_field, self.kind_field)
        first = list(itertools.islice(drafts, 2))
        whole = self.single or (self.input_format is not None and len(self.files) <= 1 and first[0].id is None)
        if whole and len(first) == 1 and first[0].error is not None:
            raise first[0].error
        return itertools.chain(first, drafts)

    @property
    def single(self) -> bool:
        """One FILE (or stdin), not a folder, and no table: the output is that draft's alone
        (``--format json`` gives one object). Anything else is a batch, whatever its size."""
        if self.input_format is not None or len(self.files) > 1:
            return False
        return not (self.files and self.files[0] not in ("-", "") and os.path.isdir(self.files[0]))


def draft_input(func: Callable[..., Any]) -> Callable[..., Any]:
    """FILE arguments and the table options, handed to the command as ``inputs``."""
    names = ["files", "input_format", "text_field", "id_field", "kind_field", "output_path", "jobs"]
    return _grouped(
        func,
        "inputs",
        DraftSource,
        {name: name for name in names},
        [
            click.argument("files", nargs=-1, metavar="[FILE|FOLDER]..."),
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
                "--jobs",
                type=click.IntRange(min=1, max=64),
                default=None,
                help="Drafts processed at once [default: auto].",
            ),
        ],
    )
