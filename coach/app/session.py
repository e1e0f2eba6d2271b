"""One model per run: a single client (it remembers the JSON mode), and a fallback that
takes over for the rest of the run once the model proves unavailable."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from coach.errors import CoachError, LLMError

if TYPE_CHECKING:
    from coach.llm.transport import ChatClient

T = TypeVar("T")


# A hint that says coach falls back to the rules: the notice says so itself, once.
_SAYS_FALLBACK = re.compile(
    r"\s*(?:coach\s+)?(?:uses|goes on with|falls back to) the rule(?:s| engine)(?: alone| only)?[;,.]?\s*"
)


def fallback_reason(exc: CoachError) -> str:
    """Why the model could not be used, for :func:`fallback_notice`: the error and its hint,
    without the hint's own word on falling back to the rules."""
    hint = _SAYS_FALLBACK.sub(" ", exc.hint or "").strip(" ;,.")
    message = exc.message.rstrip(". ")
    return f"{message}; {hint}" if hint else message


FALLBACK_PREFIX = "the model could not be used"


def fallback_notice(reason: str, what: str) -> str:
    """The one sentence that says the model was not used and what the writer gets instead
    (said once: a reason that already says "the rule engine alone" loses those words)."""
    reason = re.sub(r"\.\s+(?=[a-z])", "; ", _SAYS_FALLBACK.sub(" ", reason).strip(" ;,."))
    return f"{FALLBACK_PREFIX} ({reason}): {what}"


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
                        self.down = fallback_reason(exc)
                if first:
                    self._notify(
                        fallback_notice(self.down or "unavailable", "the rest of this run uses the rules only")
                    )
        return fallback(self.down or "unavailable")
