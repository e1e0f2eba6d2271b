"""Where coach's data (rule files, guidance, prompt templates) lives.

In an installed wheel the data sits in ``coach/_data``; in a source checkout
(or an editable install) it is the repository's top-level ``rules/`` and
``prompts/`` folders.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def data_root() -> Path:
    package = Path(__file__).resolve().parent
    packaged = package / "_data"
    if packaged.is_dir():
        return packaged
    return package.parent


def rules_dir() -> Path:
    return data_root() / "rules"


def prompts_dir() -> Path:
    return data_root() / "prompts"


def guidance_dir() -> Path:
    return prompts_dir() / "guidance"
