"""What the command line knows about the terminal: who is there, colour, notices, progress."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import click

from coach.errors import redact

T = TypeVar("T")

# Below this many drafts a progress bar is only noise.
PROGRESS_MIN_DRAFTS = 6


def is_interactive() -> bool:
    """Whether a person can answer questions: answers come on stdin, questions go to stderr."""
    return sys.stdin.isatty() and sys.stderr.isatty()


COLOR_CHOICES = ("auto", "always", "never")


def use_colour(choice: str = "auto") -> bool:
    """Whether to colour stdout: ``--color always|never`` decides; with ``auto``, a non-empty
    NO_COLOR turns colour off, a non-empty FORCE_COLOR (other than ``0``) turns it on, and
    otherwise stdout must be a terminal. NO_COLOR wins over FORCE_COLOR."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    force = os.environ.get("FORCE_COLOR")
    if force:
        return force.strip().lower() not in ("0", "false", "no")
    return sys.stdout.isatty()


def reading_stdin(files: tuple[str, ...]) -> bool:
    """Whether this run reads a draft from stdin (no FILE, or ``-``)."""
    return not files or any(f in ("-", "") for f in files)


def prompt_for_paste(files: tuple[str, ...]) -> None:
    """When the draft comes from a person at a terminal, say what coach is waiting for."""
    if reading_stdin(files) and sys.stdin.isatty():
        eof = "Ctrl-Z then Enter" if sys.platform == "win32" else "Ctrl-D"
        click.echo(f"coach: paste your draft, then press {eof} on a new line", err=True)


def notice(text: str) -> None:
    """One notice line on stderr, never showing a key."""
    click.echo(f"coach: notice: {redact(text)}", err=True)


@contextmanager
def progress(label: str, to_file: bool) -> Iterator[Callable[[int], None] | None]:
    """A running count of drafts done on stderr, for a batch whose output goes to a file or a
    pipe while a person watches (on a terminal the reports themselves show the progress);
    nothing otherwise. Drafts are read as the run goes, so the count has no total."""
    if not sys.stderr.isatty() or not (to_file or not sys.stdout.isatty()):
        yield None
        return
    import time

    done = 0
    shown = 0.0

    def advance(n: int) -> None:
        nonlocal done, shown
        done += n
        now = time.monotonic()
        if done >= PROGRESS_MIN_DRAFTS and now - shown >= 0.1:
            shown = now
            sys.stderr.write(f"\r{label}: {done:,} drafts")
            sys.stderr.flush()

    try:
        yield advance
    finally:
        if shown:
            sys.stderr.write("\r" + " " * (len(label) + 24) + "\r")
            sys.stderr.flush()


def spinning_until_first(items: Iterator[T], active: bool) -> Iterator[T]:
    """``items`` unchanged, with the :func:`waiting` spinner on until the first one is ready (a
    small local model may take a minute before anything can be shown)."""
    with waiting(active):
        first = next(items, _NOTHING)
    if first is not _NOTHING:
        yield first  # type: ignore[misc]
        yield from items


_NOTHING = object()


@contextmanager
def waiting(active: bool, what: str = "the model") -> Iterator[None]:
    """On a terminal, a spinner on stderr that says coach is waiting for ``what`` and for how long
    (a small local model can take a minute or more); nothing otherwise."""
    if not active or not sys.stderr.isatty():
        yield
        return
    import itertools
    import threading
    import time

    done = threading.Event()
    started = time.monotonic()

    def spin() -> None:
        for frame in itertools.cycle("|/-\\"):
            if done.wait(0.2):
                break
            sys.stderr.write(f"\r{frame} waiting for {what}... {time.monotonic() - started:.0f} s ")
            sys.stderr.flush()
        sys.stderr.write("\r" + " " * 40 + "\r")
        sys.stderr.flush()

    thread = threading.Thread(target=spin, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
