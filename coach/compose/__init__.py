"""``coach compose``: a send-ready first draft built only from the writer's facts.

:mod:`~coach.compose.facts` says which facts each kind needs and reads them;
:mod:`~coach.compose.assemble` fills the templates in ``coach/compose/templates/``;
:mod:`~coach.compose.message` guards and critiques the result. The model's polish,
when there is one, is the application's job (:mod:`coach.app.polish`).
"""

from __future__ import annotations

from coach.compose.facts import Facts
from coach.compose.message import ComposeOutcome, compose_offline

__all__ = ["ComposeOutcome", "Facts", "compose_offline"]
