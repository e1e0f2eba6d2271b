"""The one way coach builds jinja2 environments: templates shipped in a package folder,
StrictUndefined (a missing value is a bug, not an empty string), no autoescaping (the
output is plain text, never HTML)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jinja2


def environment(package: str, folder: str, filters: dict[str, Callable[..., Any]] | None = None) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader(package, folder),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(filters or {})
    return env
