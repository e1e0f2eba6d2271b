"""One model per run: a single client (it remembers the JSON mode), and a fallback that
takes over for the rest of the run once the model proves unavailable."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from coach.errors import LLMError, redact

if TYPE_CHECKING:
    from coach.llm.client import ChatClient

T = TypeVar("T")


def notice(text: str) -> None:
    click.echo(f"coach: notice: {redact(text)}", err=True)


class ModelSession:
    def __init__(self, llm: Any, demand: bool) -> None:
        from coach.llm.client import ChatClient

        self.client = ChatClient(llm)
        self.demand = demand
        self.down: str | None = None
        self._lock = threading.Lock()

    def run(self, call: Callable[[ChatClient], T], fallback: Callable[[str], T]) -> T:
        """``call`` with the model; if it cannot be had, ``fallback`` with the reason (or raise under --llm)."""
        if self.down is None:
            try:
                return call(self.client)
            except LLMError as exc:
                if self.demand:
                    raise
                with self._lock:  # several threads may fail at once: one notice, one reason
                    first = self.down is None
                    if first:
                        self.down = exc.one_line()
                if first:
                    notice(f"the model could not be used ({self.down}); using the rule engine alone")
        return fallback(self.down or "unavailable")
