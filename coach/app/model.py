"""Deciding whether a run uses a model, without importing the LLM layer unless it does.

LLM mode is on when an API key or a base URL is configured and ``--offline`` is
not given; ``--llm`` demands a model and turns "no model" into exit 3.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

from coach.errors import LLMUnavailable, UsageError
from coach.io.read import read_source
from coach.rules.config import Settings

if TYPE_CHECKING:
    from coach.llm.settings import LLMSettings


def model_configured(settings: Settings, base_url: str | None, environ: Mapping[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    return bool(env.get("OPENAI_API_KEY") or env.get("OPENAI_BASE_URL") or base_url or settings.llm.get("base_url"))


def resolve_model(
    settings: Settings,
    *,
    offline: bool = False,
    demand: bool = False,
    model: str | None = None,
    base_url: str | None = None,
    no_cache: bool = False,
    timeout: float | None = None,
) -> LLMSettings | None:
    """The model to use, None for rules only; raises when ``demand`` cannot be met."""
    if offline and demand:
        raise UsageError("--offline and --llm contradict each other", "pass one of them")
    if offline:
        return None
    if not model_configured(settings, base_url):
        if demand:
            raise LLMUnavailable(
                "--llm was given but no model is configured",
                "set OPENAI_API_KEY, or pass --base-url (or OPENAI_BASE_URL) for a local server",
            )
        return None
    from coach.llm.settings import resolve

    return resolve(settings.llm, settings.source, model=model, base_url=base_url, no_cache=no_cache, timeout=timeout)


def read_notes(notes_path: str | None, context: str | None) -> str | None:
    """The writer's notes: a file (same limits as a draft) and/or text from the command line."""
    parts = []
    if notes_path:
        parts.append(read_source(notes_path).text.strip())
    if context and context.strip():
        parts.append(context.strip())
    return "\n\n".join(parts) or None
