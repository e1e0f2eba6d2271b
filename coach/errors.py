"""The one error hierarchy of coach.

Every error carries the exit code the CLI should use and a message that says
what went wrong *and* how to fix it, in one line, so the CLI never needs a
traceback to explain itself.
"""

from __future__ import annotations

import os
import re

_KEYLIKE = re.compile(r"\b(?:sk|rk|pk)-[A-Za-z0-9_\-]{8,}")


def redact(text: str, secret: str | None = None) -> str:
    """``text`` with the API key (given, or from OPENAI_API_KEY) and anything shaped like one
    replaced by ``***``: coach never shows a key, in any message."""
    for key in (secret, os.environ.get("OPENAI_API_KEY")):
        if key and len(key) >= 4:
            text = text.replace(key, "***")
    return _KEYLIKE.sub("***", text)


class CoachError(Exception):
    """Base of every error coach raises on purpose."""

    exit_code = 2

    def __init__(self, message: str, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(self.one_line())

    def one_line(self) -> str:
        text = self.message.rstrip(".")
        if self.hint:
            text = f"{text}. {self.hint.rstrip('.')}"
        return " ".join(f"{text}.".split())


class UsageError(CoachError):
    """The command line asked for something that does not exist (kind, rule code...)."""


class InputError(CoachError):
    """A draft could not be read: missing, empty, binary, oversized, undecodable."""


class ConfigError(CoachError):
    """A config file or a rule file is malformed; the message names the file and line."""


class LLMError(CoachError):
    """The model could not be used; under ``--llm`` this ends the run with exit 3."""

    exit_code = 3


class LLMAuthError(LLMError):
    """The endpoint refused the credentials (401/403): retrying will not help."""


class LLMUnavailable(LLMError):
    """The endpoint could not be reached or kept failing after bounded retries."""


class LLMOutputError(LLMError):
    """The model answered, but never with a usable, valid structured answer."""
