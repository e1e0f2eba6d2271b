"""Keep a rewrite honest: find the facts it states that the writer never gave.

A rewrite (by a model or anything else) may reword, reorder and trim, but it may
not invent a name, a number, a date, a link, an address or a credential: the
writer would be sending a claim they never made. :func:`unsupported_facts` lists
the facts of a candidate rewrite that neither the draft nor the writer's notes
support, and :func:`mark_unsupported` turns each into a visible ``[ASK: ...]``
marker the writer fills in. Both ways of failing matter: an invented fact must be
caught, and the writer's own facts, reworded or re-cased, must pass.

Three modules, each importing only the ones below it:

* :mod:`coach.guard.support`: how support is decided; :func:`unsupported_facts` and
  :func:`mark_unsupported`;
* :mod:`coach.guard.extract`: what a fact is; :class:`Fact` and :func:`extract_facts`;
* :mod:`coach.guard.lexicon`: the word lists (common words, degrees, titles, months, number words,
  top-level domains, ...).

Every pattern in the guard is a flat scan (possessive quantifiers where a group repeats,
a look-behind where a match may start) and every backwards look is bounded, so
the guard runs in time linear in the text.
"""

from __future__ import annotations

from coach.guard.extract import Fact, extract_facts
from coach.guard.support import mark_unsupported, unsupported_facts

__all__ = ["Fact", "extract_facts", "mark_unsupported", "unsupported_facts"]
