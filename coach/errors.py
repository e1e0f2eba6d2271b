"""The one error hierarchy of coach.

Every error carries the exit code the CLI should use and a message that says
what went wrong *and* how to fix it, in one line, so the CLI never needs a
traceback to explain itself.
"""

from __future__ import annotations

import os
import re
from enum import IntEnum

_KEYLIKE = re.compile(r"\b(?:sk|rk|pk)-[A-Za-z0-9_\-]{8,}")


def redact(text: str, secret: str | None = None) -> str:
    """``text`` with the API key (given, or from OPENAI_API_KEY) and anything shaped like one
    replaced by ``***``: coach never shows a key, in any message."""
    for key in (secret, os.environ.get("OPENAI_API_KEY")):
        if key and len(key) >= 4:
            text = text.replace(key, "***")
    return _KEYLIKE.sub("***", text)


class ExitCode(IntEnum):
    """Every exit status coach uses, documented in the README's "Exit codes"."""

    OK = 0
    FINDINGS = 1  # findings at or above --fail-on (or a composed message that is not ready)
    USAGE = 2  # bad command line, input, config or rule file
    MODEL = 3  # --llm given and the model could not be used
    SOME_FAILED = 4  # some drafts of a batch could not be read or judged; the others were
    NOT_FINISHED = 5  # coach batch collect: the provider's batch has not finished yet
    INTERNAL = 70  # a bug: please report it
    INTERRUPTED = 130


class CoachError(Exception):
    """Base of every error coach raises on purpose."""

    exit_code: int = ExitCode.USAGE

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

    exit_code = ExitCode.MODEL


class LLMAuthError(LLMError):
    """The endpoint refused the credentials (401/403): retrying will not help."""


class LLMUnavailable(LLMError):
    """The endpoint could not be reached or kept failing after bounded retries."""


class LLMOutputError(LLMError):
    """The model answered, but never with a usable, valid structured answer."""


class NotFinished(CoachError):
    """A Batch API batch is still running: nothing to collect yet."""

    exit_code = ExitCode.NOT_FINISHED


class RuleFileError(ConfigError):
    """A rule record that does not fit the schema; the message names the file, the rule and the key."""


class LLMRefusal(LLMOutputError):
    """The model declined to answer."""


class LLMTruncated(LLMOutputError):
    """The answer hit the token limit, even with a larger budget."""


class GarbledResponse(Exception):
    """The endpoint answered 200 with a body that is not the JSON it should be (a proxy page, a
    half-written reply). Worth another attempt, like a 5xx; never shown to the user."""
