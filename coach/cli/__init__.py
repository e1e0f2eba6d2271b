"""The ``coach`` command line: parse arguments, call the library, render.

Every error coach raises on purpose, and every usage error click raises, ends
as one line on stderr with a documented exit code; never a traceback.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
from typing import Any

import click

from coach import __version__
from coach.errors import CoachError, ExitCode, redact


def fail(message: str, code: int) -> int:
    click.echo(f"coach: error: {redact(message)}", err=True)
    return code


# Subcommands are imported only when invoked, so ``coach critique`` starts fast.
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "critique": ("coach.cli.critique", "critique"),
    "rewrite": ("coach.cli.rewrite", "rewrite"),
    "batch": ("coach.cli.batch", "batch"),
    "compose": ("coach.cli.compose", "compose"),
    "rules": ("coach.cli.rules", "rules"),
    "explain": ("coach.cli.rules", "explain"),
    "guide": ("coach.cli.rules", "guide"),
    "plan": ("coach.cli.plan", "plan"),
    "serve": ("coach.cli.serve", "serve"),
}


class CoachGroup(click.Group):
    """A group that loads subcommands lazily and turns every failure into one line and an exit code."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS:
            module, attr = LAZY_COMMANDS[cmd_name]
            return getattr(importlib.import_module(module), attr)
        return super().get_command(ctx, cmd_name)

    # click types main() as two overloads; this one keeps the signature and always exits.
    def main(  # type: ignore[override]
        self, args: Any = None, prog_name: str | None = None, standalone_mode: bool = True, **extra: Any
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, standalone_mode=False, **extra)
        try:
            code = super().main(args, prog_name or "coach", standalone_mode=False, **extra)
        except CoachError as exc:
            code = fail(exc.one_line(), exc.exit_code)
        except click.UsageError as exc:
            where = f" (see 'coach {exc.ctx.info_name} --help')" if exc.ctx and exc.ctx.parent else ""
            code = fail(f"{exc.format_message()}{where}", ExitCode.USAGE)
        except click.ClickException as exc:
            code = fail(exc.format_message(), exc.exit_code)
        except (click.Abort, KeyboardInterrupt, EOFError):
            code = fail("interrupted", ExitCode.INTERRUPTED)
        except BrokenPipeError:  # the reader went away (| head): say nothing more to it
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            code = ExitCode.OK
        except Exception as exc:  # a bug: still one line (key-free), and a way to report it
            code = fail(f"internal error ({type(exc).__name__}: {exc}); please report it", ExitCode.INTERNAL)
        sys.exit(code if isinstance(code, int) else ExitCode.OK)


@click.group(cls=CoachGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="coach", message="%(prog)s %(version)s")
def cli() -> None:
    """coach: a mentor's read of your outreach message, and a better version.

    Works offline with the rule engine; adds an LLM's depth when one is configured.
    """


def main() -> None:
    """The console script."""
    try:
        cli.main()
    finally:
        # The run is over and what it built (rules, compiled phrases) lives until the process
        # ends: freezing it spares the interpreter's last collections a walk over every object
        # (5-20 ms of a critique on the 2-core machine). Exit handlers, flushing and teardown still run.
        gc.freeze()
