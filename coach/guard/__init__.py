"""Keep a rewrite honest: find what it states that the writer never gave.

A rewrite (by a model or anything else) may reword, reorder and trim, but it may
not invent a name, a number, a date, a link, an address or a credential, nor an
experience, a detail about the reader, a result or a credential in plain words
("I read your latest blog post about sustainable fashion"): the writer would be
sending a claim they never made. :func:`unsupported_facts` lists the facts of a
candidate rewrite that neither the draft nor the writer's notes support,
:func:`unsupported_spans` adds the unsupported claims, and :func:`mark_unsupported`
turns each into a visible ``[ASK: ...]`` marker the writer fills in. Both ways of
failing matter: an invention must be caught, and the writer's own facts and claims,
reworded or re-cased, must pass. :func:`prompt_artefacts` finds what a model copied
from coach's own prompt (fences, field names, its change list, the guidance's examples).

Five modules, each importing only the ones below it:

* :mod:`coach.guard.artefacts`: text from the prompt in a rewrite;
* :mod:`coach.guard.support`: how support is decided; :func:`unsupported_facts`,
  :func:`unsupported_spans` and :func:`mark_unsupported`;
* :mod:`coach.guard.claims`: claims in plain words and their substance; :func:`unsupported_claims`;
* :mod:`coach.guard.extract`: what a fact is; :class:`Fact` and :func:`extract_facts`;
* :mod:`coach.guard.lexicon`: the word lists (common words, degrees, titles, months, number words,
  top-level domains, ...).

Every pattern in the guard is a flat scan (possessive quantifiers where a group repeats,
a look-behind where a match may start) and every backwards look is bounded, so
the guard runs in time linear in the text.
"""

from __future__ import annotations

from coach.guard.artefacts import prompt_artefacts
from coach.guard.claims import Claim, unsupported_claims
from coach.guard.extract import Fact, extract_facts
from coach.guard.support import mark_unsupported, unsupported_facts, unsupported_spans

__all__ = [
    "Claim",
    "Fact",
    "extract_facts",
    "mark_unsupported",
    "prompt_artefacts",
    "unsupported_claims",
    "unsupported_facts",
    "unsupported_spans",
]
