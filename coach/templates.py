"""The one way coach builds jinja2 environments: templates under ``prompts/``, StrictUndefined
(a missing value is a bug, not an empty string), and compiled templates cached on disk
(user-only), because compiling them is a good part of a command's start-up."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import jinja2

from coach.cachefiles import cache_dir, caching_disabled
from coach.data import prompts_dir


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    if caching_disabled():
        return None
    folder = os.path.join(cache_dir(), "templates")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(folder)


def environment(subfolder: str = "", filters: dict[str, Callable[..., Any]] | None = None) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(os.path.join(prompts_dir(), subfolder)),
        bytecode_cache=_bytecode_cache(),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(filters or {})
    return env
