"""The package's own data files (guidance, templates), read through :mod:`importlib.resources`.

Data lives beside the code that uses it: ``coach/guidance/*.md``,
``coach/llm/prompts/*.j2``, ``coach/compose/templates/*.j2`` and
``coach/rules/records/*.toml``; a wheel carries them as package data.
"""

from __future__ import annotations

from importlib import resources


def read_text(package: str, name: str) -> str:
    """The text of data file ``name`` in ``package`` (e.g. ``coach.guidance``, ``general.md``)."""
    return (resources.files(package) / name).read_text(encoding="utf-8")
