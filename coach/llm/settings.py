"""Which model to use and how patiently: flags, then environment, then the config file.

A base URL without a key is valid (local servers such as Ollama, vLLM and
llama.cpp's server need none). The key itself is never stored anywhere but in
memory, and :func:`redact` scrubs it from every message coach shows.
"""

from __future__ import annotations

import os
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from coach.errors import ConfigError, redact  # noqa: F401 - redact is re-exported for the LLM layer

DEFAULT_MODEL = "gpt-4.1-mini"
# A small model on a CPU-only local server takes 30-90 s for a 2,000-token prompt on two
# cores: a server on this machine gets more patience unless the config says otherwise.
LOCAL_TIMEOUT = 240.0
LOCAL_MAX_SECONDS = 600.0
LOCAL_PLACEHOLDER_KEY = "not-needed"  # the SDK insists on a key; local servers ignore it


class LLMConfigTable(BaseModel):
    """The ``[llm]`` table of the config file."""

    model_config = ConfigDict(extra="forbid")

    model: str | None = None
    base_url: str | None = None
    timeout: float | None = Field(default=None, gt=0, le=600, description="seconds for one request")
    max_attempts: int = Field(default=4, ge=1, le=10, description="attempts per request, retries included")
    max_seconds: float | None = Field(
        default=None, gt=0, le=3600, description="time budget for all attempts of a request"
    )
    temperature: float = Field(default=0.2, ge=0, le=2)
    max_tokens: int = Field(default=1500, ge=64, le=32000)
    cache: bool = True


class LLMSettings(BaseModel):
    """Everything the client needs, resolved from flags, environment and config."""

    model_config = ConfigDict(frozen=True)

    model: str
    base_url: str | None
    api_key: str | None = Field(default=None, repr=False, exclude=True)
    timeout: float
    max_attempts: int
    max_seconds: float
    temperature: float
    max_tokens: int
    cache: bool

    @property
    def endpoint(self) -> str:
        return self.base_url or "https://api.openai.com/v1"


def is_loopback(url: str | None) -> bool:
    """Whether ``url`` points at this machine (a local model server)."""
    if not url:
        return False
    from urllib.parse import urlsplit

    host = (urlsplit(url).hostname or "").lower()
    return host in ("localhost", "::1") or host.startswith("127.")


def parse_table(table: dict[str, Any], source: str | None) -> LLMConfigTable:
    """Validate the ``[llm]`` table, naming the file and the bad key on error."""
    try:
        return LLMConfigTable.model_validate(table)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(part) for part in first["loc"]) or "llm"
        raise ConfigError(f"{source or 'config'}: [llm] {key}: {first['msg']}", "fix the [llm] table") from None


def resolve(
    table: dict[str, Any] | None = None,
    source: str | None = None,
    model: str | None = None,
    base_url: str | None = None,
    no_cache: bool = False,
    environ: dict[str, str] | None = None,
    offline_ok: bool = False,
    timeout: float | None = None,
) -> LLMSettings | None:
    """The LLM settings, or None when no model is configured (no key and no base URL).

    ``offline_ok`` builds them anyway, for work that sends nothing (a Batch API dry run)."""
    env = os.environ if environ is None else environ
    config = parse_table(table or {}, source)
    api_key = env.get("OPENAI_API_KEY") or None
    url = base_url or env.get("OPENAI_BASE_URL") or config.base_url
    if not api_key and not url and not offline_ok:
        return None
    local = is_loopback(url)
    return LLMSettings(
        model=model or env.get("COACH_MODEL") or config.model or DEFAULT_MODEL,
        base_url=url.rstrip("/") if url else None,
        api_key=api_key,
        timeout=timeout or config.timeout or (LOCAL_TIMEOUT if local else 30.0),
        max_attempts=config.max_attempts,
        max_seconds=max(config.max_seconds or (LOCAL_MAX_SECONDS if local else 60.0), timeout or config.timeout or 0.0),
        temperature=config.temperature,
        max_tokens=config.max_tokens,
        cache=config.cache and not no_cache,
    )
