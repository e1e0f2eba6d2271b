"""The fact reader: each fact's shape, recognised before any template places it.

Facts are typed for a person, not for a template: "I read his post" is written about
the reader, "me and my co-founder are building ..." is a whole sentence, "coffee chat" has
no article and "dan ortiz" no capitals. The reader turns what it can safely turn (his or
her about the reader becomes "your" when the message is to them; a leading name is
dropped for the sign-off; names are title-cased; an ask gets an article) and refuses the
rest with one line naming the fact and showing how to write it, because a message built
on a misread fact reads as careless. Every composed message then passes
:func:`sanity_problems` before it can be called ready.
"""

from __future__ import annotations

import re

from coach.compose.facts import Facts, option_name
from coach.compose.words import (
    ask_phrase,
    clause,
    has_verb,
    name_case,
    person,
    second_person,
    split_subject,
    to_reader,
    with_article,
)
from coach.errors import InputError

# Kinds (and stages) written to the target: a "his" or "her" in a fact there means the reader.
TO_THE_TARGET = {
    ("connection-note", None),
    ("cold-email", None),
    ("blurb", None),
    ("intro-request", None),  # its blurb is forwarded to the target unchanged
    ("follow-up", "nudge"),
    ("follow-up", "reply"),
}
# Kinds that speak of the writer in the third person (the blurb, alone or inside the request).
THIRD_PERSON = {"blurb", "intro-request"}
# Whom "met" is about, per kind: the reader of that message.
_MET_FOR = {
    "connection-note": "target",
    "cold-email": "target",
    "intro-request": "connector",
    "connector-intro": "requester",
}
_THIRD_PARTY = re.compile(r"\b(?:he|she|his|him|her|hers|himself|herself)\b", re.IGNORECASE)


def _refuse(field: str, value: str, problem: str, how: str) -> InputError:
    return InputError(f"{option_name(field)} {value!r}: {problem}", how)


def resolve_met(kind: str, facts: Facts) -> str | None:
    """Where the writer met the reader of this message, or None; refuses a ``met`` that could mean two people.

    ``met-connector`` and ``met-target`` say whom they are about, so one facts file serves every
    step; a plain ``met`` is read as the reader of this kind, unless the facts name a connector and
    the message goes to the target: then it could be either, and coach asks which.
    """
    about = _MET_FOR.get(kind)
    if about == "connector":
        return facts.met_connector or facts.met
    if about == "target":
        if facts.met_target:
            return facts.met_target
        if facts.met and facts.connector:
            target, connector = person(facts.target).full or "the target", person(facts.connector).full
            raise InputError(
                f"--met {facts.met!r}: with --connector it could mean where you met {connector} or {target}",
                f"write --met-connector for {connector} and --met-target for {target} (only if you have met)",
            )
        return facts.met
    if about == "requester":
        return facts.met
    return None


def _names(facts: Facts, values: dict[str, object], notices: list[str]) -> None:
    for field in ("name", "target", "requester", "connector"):
        value = getattr(facts, field)
        if not value:
            continue
        fixed = name_case(value)
        if fixed != value:
            values[field] = fixed
            notices.append(f"{option_name(field)}: read as {fixed!r}")


def _me(facts: Facts, kind: str, values: dict[str, object], notices: list[str]) -> None:
    me = facts.me
    if not me:
        return
    who = person(name_case(facts.name or ""))
    # "Priya, final-year CS student": the name is already in the sign-off.
    for lead in sorted({who.full, who.first} - {""}, key=len, reverse=True):
        m = re.match(rf"(?:i\s*am\s+|i['’]m\s+)?{re.escape(lead)}\s*[,;:–—-]\s*(?P<rest>.+)$", me, re.IGNORECASE)
        if m:
            me = m["rest"]
            break
    subject = split_subject(me)
    if subject is None:
        stripped = re.sub(r"^(?:i\s+am|i['’]m)\s+", "", me, flags=re.IGNORECASE)
        phrase = with_article(stripped)
        if phrase != stripped:
            me = phrase
    elif subject.plural and not subject.partner and kind in THIRD_PERSON:
        raise _refuse(
            "me",
            facts.me or "",
            "'we' does not say who the others are, and the blurb speaks of you by name",
            "write it as 'my co-founder and I are building ...' or as it would follow 'I am'",
        )
    if me != facts.me:
        values["me"] = me
        notices.append(f"--me: read as {me!r}")


def _offer(facts: Facts, kind: str) -> None:
    """A bare 'we can give you ...' in a blurb needs to know who 'we' is: the partner named in --me."""
    if kind not in THIRD_PERSON or not facts.offer:
        return
    offer = split_subject(clause(facts.offer))
    me = split_subject(clause(facts.me, "me")) if facts.me else None
    if offer and offer.plural and not offer.partner and not (me and me.partner):
        raise _refuse(
            "offer",
            facts.offer,
            "'we' does not say who the others are, and the blurb speaks of you by name",
            "write it as it would follow 'I can offer', e.g. 'free early access', or name them in --me "
            "('my co-founder and I are building ...')",
        )


def _to_reader(facts: Facts, kind: str, stage: str | None, values: dict[str, object], notices: list[str]) -> None:
    """A fact about the target, in a message to the target, said to them: 'his post' -> 'your post'."""
    if (kind, stage) not in TO_THE_TARGET:
        return
    target = person(name_case(facts.target or ""))
    others = [person(name_case(getattr(facts, r) or "")).first for r in ("connector", "requester")]
    fields = ("why", "ask", "offer") if kind == "intro-request" else ("why", "ask", "offer", "met")
    for field in fields:
        value = values.get(field, getattr(facts, field))
        if not isinstance(value, str) or not value:
            continue
        turned = second_person(value, target.first) if target.first else value
        if _THIRD_PARTY.search(turned):
            named = [o for o in others if o and re.search(rf"\b{re.escape(o)}\b", turned)]
            if named:
                raise _refuse(
                    field,
                    value,
                    f"'he', 'she', 'his' or 'her' could mean {named[0]} or {target.first or 'the reader'}",
                    f"write 'you' and 'your' for {target.first or 'the reader'}, and name anyone else",
                )
            turned = to_reader(turned)
        if turned != value:
            values[field] = turned
            notices.append(f"{option_name(field)}: said to {target.first or 'the reader'}: {turned!r}")


def read_facts(kind: str, stage: str | None, facts: Facts) -> tuple[Facts, list[str]]:
    """The facts made safe to place for this kind and stage, with a notice for each change.

    Raises :class:`InputError` (exit 2) naming the fact when it cannot be placed safely.
    """
    values: dict[str, object] = {}
    notices: list[str] = []
    met = resolve_met(kind, facts)
    if met != facts.met:
        values["met"] = met
    _names(facts, values, notices)
    _me(facts, kind, values, notices)
    _offer(facts, kind)
    _to_reader(facts, kind, stage, values, notices)
    why = str(values.get("why", facts.why or ""))
    if why and not has_verb(why):
        raise _refuse(
            "why",
            facts.why or "",
            "has no verb, so 'because ...' would not be a sentence",
            "write it as it would follow 'because', e.g. 'I read your post on idempotency keys'",
        )
    if facts.ask:
        ask = ask_phrase(facts.ask)
        if ask is None:
            raise _refuse(
                "ask",
                facts.ask,
                "is not something one can be 'open to'",
                "write it as it would follow 'Would you be open to', e.g. 'a 15-minute call'",
            )
        current = str(values.get("ask", facts.ask))
        fixed = ask_phrase(current) or current
        if fixed != current:
            values["ask"] = fixed
            notices.append(f"--ask: read as {fixed!r}")
    read = facts.model_copy(update=values) if values else facts
    return read, notices


# --- the sanity check --------------------------------------------------------------------

_DOUBLED = re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE)
_OBJECT_AS_SUBJECT = re.compile(
    r"\b(?:is|are|was|were)\s+(?:them|him|me|us)\b|\b(?:them|me|us|him)\s+and\s+(?:my|their|his|her|our)\b",
    re.IGNORECASE,
)
_DOUBLED_OK = frozenset({"that", "had", "very"})
_BECAUSE = re.compile(r"\bbecause\s+([^.?!]+)", re.IGNORECASE)


def sanity_problems(text: str, kind: str, stage: str | None) -> list[str]:
    """What makes a composed message not a real message: a doubled word, 'is them', a he or she
    with nobody to refer to, a 'because' without a verb. Empty when it reads right."""
    problems = []
    for m in _DOUBLED.finditer(text):
        if m[1].lower() not in _DOUBLED_OK and not m[1].isdigit():
            problems.append(f"doubled word: {m[0]!r}")
    for m in _OBJECT_AS_SUBJECT.finditer(text):
        problems.append(f"a pronoun in the wrong case: {m[0]!r}")
    if (kind, stage) in TO_THE_TARGET - {("intro-request", None)}:
        for m in _THIRD_PARTY.finditer(text):
            problems.append(f"{m[0]!r} refers to nobody named in the message")
    for m in _BECAUSE.finditer(text):
        if not has_verb(m[1]):
            problems.append(f"'because {m[1]}' has no verb")
    return problems
