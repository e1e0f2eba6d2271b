"""The offline draft: jinja2 templates in ``coach/compose/templates/`` filled with the writer's facts.

Templates pick their wording by kind, stage and relationship; this module only
prepares the facts as phrases, lays the result out (one paragraph per block of
template lines; a line ending in a backslash keeps its line break) and keeps a
connection note inside LinkedIn's limit by leaving out optional parts, in a fixed
order, until it fits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import jinja2

from coach.compose.facts import DEFAULT_RELATIONSHIP, Facts
from coach.compose.words import (
    Subject,
    bounded_ask,
    capfirst,
    clause,
    person,
    second_person,
    split_subject,
    third_person,
)
from coach.io import templates

NOTE_LIMITS = {"premium": 300, "free": 200}
# What a connection note can do without, least useful first: a pleasantry, the line about
# the writer, the reminder of where you met, and last the surname in the sign-off.
NOTE_DROPS: tuple[tuple[str, ...], ...] = (
    (),
    ("close",),
    ("close", "me"),
    ("close", "me", "met"),
    ("close", "me", "met", "surname"),
)


@dataclass
class Assembled:
    """A draft built from the facts, or None with the reason when none fits the kind's limits."""

    text: str | None
    notices: list[str] = field(default_factory=list)
    dropped: tuple[str, ...] = ()


@cache
def environment() -> jinja2.Environment:
    return templates.environment(
        "coach.compose", "templates", {"capfirst": capfirst, "third": third_person, "second": second_person}
    )


def template_name(kind: str, stage: str | None) -> str:
    return f"{kind}.{stage}.j2" if stage else f"{kind}.j2"


_SPACES = re.compile(r"[ \t]+")
_SPACE_BEFORE_STOP = re.compile(r" +([.,;:?!])")


def layout(rendered: str) -> str:
    """Blocks of lines become paragraphs; a trailing backslash keeps a line break (sign-offs)."""
    paragraphs = []
    for block in re.split(r"\n[ \t]*\n", rendered):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        text = ""
        for line in lines:
            if text and not text.endswith("\n"):
                text += " "
            text += line[:-1].rstrip() + "\n" if line.endswith("\\") else line
        text = "\n".join(_SPACE_BEFORE_STOP.sub(r"\1", _SPACES.sub(" ", part)) for part in text.split("\n"))
        paragraphs.append(text.strip())
    return "\n\n".join(paragraphs) + "\n"


def _clauses(facts: Facts) -> dict[str, str]:
    """``me`` and ``offer`` typed as whole clauses ('my co-founder and I are building ...'), in the
    writer's voice and by name; empty when the fact is a phrase that follows 'I am' or 'I can offer'."""
    name = person(facts.name)
    me = split_subject(clause(facts.me, "me")) if facts.me else None
    offer = split_subject(clause(facts.offer)) if facts.offer else None
    if offer and offer.plural and not offer.partner and me and me.partner:
        offer = Subject(plural=True, partner=me.partner, rest=offer.rest)  # "we": the writer and that partner
    why = split_subject(clause(facts.why, "why")) if facts.why else None
    return {
        "me_clause": me.first() if me else "",
        "me_third": me.third(name.full) if me else "",
        "offer_clause": offer.first() if offer else "",
        "offer_third": offer.third(name.first) if offer else "",
        "why_third": why.third(name.first) if why and why.plural else third_person(clause(facts.why, "why")),
    }


def _repeats(topic: str | None, *others: str | None) -> bool:
    """Whether the topic is already said in another fact of the message (the nudge names it once)."""
    low = (topic or "").lower().strip()
    return bool(low) and any(low in (other or "").lower() for other in others)


def context(kind: str, stage: str | None, facts: Facts) -> dict[str, Any]:
    """The facts as the templates use them: people split into parts, clauses ready to place."""
    return {
        **_clauses(facts),
        "topic_said": _repeats(facts.topic, facts.ask, facts.offer),
        "kind": kind,
        "stage": stage,
        "relationship": facts.relationship or DEFAULT_RELATIONSHIP,
        "name": person(facts.name),
        "target": person(facts.target),
        "requester": person(facts.requester),
        "connector": person(facts.connector),
        "me": clause(facts.me, "me"),
        "why": clause(facts.why, "why"),
        "offer": clause(facts.offer, "offer"),
        "ask": bounded_ask(clause(facts.ask, "ask")) if facts.ask else "",
        "met": clause(facts.met, "met"),
        "topic": clause(facts.topic),
        "drop": (),
    }


def render(kind: str, stage: str | None, facts: Facts, drop: tuple[str, ...] = ()) -> str:
    values = {**context(kind, stage, facts), "drop": drop}
    return layout(environment().get_template(template_name(kind, stage)).render(**values))


def note_length(text: str) -> int:
    """Characters as LinkedIn (and the LEN001 rule) count them: the whole note, trimmed."""
    return len(text.strip())


def assemble(kind: str, stage: str | None, facts: Facts, account: str = "premium") -> Assembled:
    """The draft for ``kind`` (and ``stage``) from ``facts``; a connection note is shortened to fit."""
    if kind != "connection-note":
        return Assembled(render(kind, stage, facts))
    limit = NOTE_LIMITS[account]
    full = render(kind, stage, facts)
    for drop in NOTE_DROPS:
        text = render(kind, stage, facts, drop)
        if note_length(text) <= limit:
            notices = []
            if drop:
                notices.append(
                    f"shortened to fit {limit} characters (the full note is {note_length(full)}): left out "
                    + ", ".join(_DROP_LABELS[d] for d in drop)
                )
            return Assembled(text, notices, drop)
    shortest = note_length(render(kind, stage, facts, NOTE_DROPS[-1]))
    return Assembled(
        None,
        [
            f"no connection note fits {limit} characters with these facts: the shortest is {shortest}; "
            f"shorten --why by at least {shortest - limit} character(s)"
        ],
    )


_DROP_LABELS = {
    "close": "the closing pleasantry",
    "me": "the line about you",
    "met": "where you met",
    "surname": "your surname in the sign-off",
}
