"""Where coach's data (rule files, guidance, prompt templates) lives.

In an installed wheel the data sits in ``coach/_data``; in a source checkout
(or an editable install) it is the repository's top-level ``rules/`` and
``prompts/`` folders. Paths are plain strings: pathlib costs start-up time.
"""

from __future__ import annotations

import os
from functools import cache


@cache
def data_root() -> str:
    package = os.path.dirname(os.path.realpath(__file__))
    packaged = os.path.join(package, "_data")
    if os.path.isdir(packaged):
        return packaged
    return os.path.dirname(package)


def rules_dir() -> str:
    return os.path.join(data_root(), "rules")


def prompts_dir() -> str:
    return os.path.join(data_root(), "prompts")


def guidance_dir() -> str:
    return os.path.join(prompts_dir(), "guidance")
