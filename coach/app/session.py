"""One model per run: a single client (it remembers the JSON mode), and a fallback that
takes over for the rest of the run once the model proves unavailable."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from coach.errors import LLMError

if TYPE_CHECKING:
    from coach.llm.transport import ChatClient

T = TypeVar("T")


def fallback_notice(reason: str, what: str) -> str:
    """The one sentence that says the model was not used and what the writer gets instead."""
    return f"the model could not be used ({reason}); {what}"


class ModelSession:
    """Runs calls with the model; after the first failure, every call gets the fallback."""

    def __init__(self, llm: Any, demand: bool, notify: Callable[[str], None]) -> None:
        from coach.llm.transport import ChatClient

        self.client = ChatClient(llm)
        self.demand = demand
        self.down: str | None = None
        self._notify = notify
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
                    self._notify(fallback_notice(self.down or "unavailable", "coach goes on with the rules alone"))
        return fallback(self.down or "unavailable")
