"""``coach compose``: a send-ready first draft built only from the writer's facts.

:mod:`~coach.compose.facts` says which facts each kind needs and reads them;
:mod:`~coach.compose.assemble` fills the templates in ``prompts/compose/``;
:mod:`~coach.compose.message` guards, critiques and (with a model) polishes.
"""

from __future__ import annotations

from coach.compose.facts import Facts
from coach.compose.message import ComposeOutcome, compose_offline, polish

__all__ = ["ComposeOutcome", "Facts", "compose_offline", "polish"]
