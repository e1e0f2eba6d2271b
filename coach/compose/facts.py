"""The writer's facts: the only material ``coach compose`` may build a message from.

A message that claims something the writer never said is worse than a blank
page, so the facts are a closed set (a typo in a facts file is an error, not a
silently ignored key), each kind and stage declares which facts it cannot do
without, and the same facts, rendered as text, are what the fact guard and the
model are held to.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from coach.errors import InputError, UsageError
from coach.io.read import read_source

RELATIONSHIPS: tuple[str, ...] = ("recent", "acquaintance", "in-between", "close")
DEFAULT_RELATIONSHIP = "acquaintance"
STAGES: dict[str, tuple[str, ...]] = {
    "connector-intro": ("ask", "intro"),
    "follow-up": ("nudge", "thanks", "reply"),
}
Relationship = Literal["recent", "acquaintance", "in-between", "close"]


class Facts(BaseModel):
    """What the writer told coach; every field is optional until a kind asks for it."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    me: str | None = None
    target: str | None = None
    requester: str | None = None
    connector: str | None = None
    why: str | None = None
    offer: str | None = None
    ask: str | None = None
    met: str | None = None
    met_connector: str | None = None
    met_target: str | None = None
    relationship: Relationship | None = None
    topic: str | None = None
    days_since: int | None = Field(default=None, ge=0, le=3650)

    @field_validator(
        "name",
        "me",
        "target",
        "requester",
        "connector",
        "why",
        "offer",
        "ask",
        "met",
        "met_connector",
        "met_target",
        "topic",
    )
    @classmethod
    def _one_line(cls, value: str | None) -> str | None:
        """Facts are one line each: runs of whitespace become one space, and blank means not given."""
        if value is None:
            return None
        flat = " ".join(value.split())
        if len(flat) > 400:
            raise ValueError("keep it to one line (at most 400 characters)")
        return flat or None

    def given(self) -> dict[str, Any]:
        """The facts the writer gave, in field order (for JSON and for the model)."""
        return {key: value for key, value in self.model_dump().items() if value is not None}


@dataclass(frozen=True)
class FactSpec:
    """How one fact is asked for: its help on the command line and a one-line example when prompted."""

    help: str
    hint: str


FACTS: dict[str, FactSpec] = {
    "name": FactSpec("Your name, for the sign-off.", "your name as you sign off, e.g. 'Sam Rivera'"),
    "me": FactSpec(
        "Who you are, in one line.",
        "who you are, as it would follow 'I am', e.g. 'a CS senior at Lakeside University choosing between "
        "data and backend roles'",
    ),
    "target": FactSpec(
        "The person you want to meet: full name, then role.",
        "full name, then role and company, e.g. 'Priya Shah, who leads data engineering at Northwind'",
    ),
    "requester": FactSpec(
        "Who asked you for the introduction: full name, then role (connector-intro).",
        "full name, then role, e.g. 'Sam Rivera, a CS senior at Lakeside University'",
    ),
    "connector": FactSpec(
        "The mutual contact who can introduce you: full name.", "their full name, e.g. 'Dana Brooks'"
    ),
    "why": FactSpec(
        "Why this person (connector-intro: why the two should talk).",
        "why this person, said to them, as it would follow 'because', e.g. 'you have led both data and "
        "backend teams at Northwind'",
    ),
    "offer": FactSpec(
        "What you bring them.",
        "what you can give in return, as it would follow 'I can offer', e.g. 'the load-test notes from my "
        "transit-data pipeline'",
    ),
    "ask": FactSpec(
        "The small, specific ask.",
        "one small ask, as it would follow 'Would you be open to', e.g. 'a 15-minute call about how you "
        "chose between data and backend'",
    ),
    "met": FactSpec(
        "How you know the reader (connector-intro: the requester).",
        "where and when you met, as it would follow 'we met', e.g. 'at the Lakeside alumni mixer in March'",
    ),
    "met_connector": FactSpec(
        "Where you met the connector (intro-request); one facts file can then serve every step.",
        "where and when you met the connector, as it would follow 'we met', e.g. 'at the Lakeside alumni mixer'",
    ),
    "met_target": FactSpec(
        "Where you met the target (connection-note, cold-email), if you have.",
        "where and when you met the target, as it would follow 'we met', e.g. 'at PyData Berlin in May'",
    ),
    "relationship": FactSpec(
        "How well you know the reader (for an intro request, the connector).",
        "one of: recent, acquaintance, in-between, close",
    ),
    "topic": FactSpec(
        "What it is about, in a few words (subject lines, follow-ups).",
        "a few words, e.g. 'choosing between data and backend roles'",
    ),
    "days_since": FactSpec("Days since your last message or the introduction.", "a whole number of days, e.g. 6"),
}

# Some facts mean something slightly different in one kind; the prompt says so.
KIND_HINTS: dict[tuple[str, str], str] = {
    ("connector-intro", "why"): "why the two should talk, naming them, e.g. 'Sam is choosing between data and "
    "backend roles, and Priya has led both'",
    ("connector-intro", "met"): "where and when you met the requester, as it would follow 'we met', e.g. 'when "
    "Sam interned on my team'",
    ("follow-up", "topic"): "what your message or meeting was about, e.g. 'choosing between data and backend roles'",
    ("follow-up", "ask"): "the next step, as it would follow 'Would you be open to', e.g. 'a 15-minute video "
    "call in the next two weeks'",
}

# What each kind (and stage) cannot be written without. Facts not listed are used when given.
REQUIRED: dict[tuple[str, str | None], tuple[str, ...]] = {
    ("connection-note", None): ("name", "target", "why"),
    ("cold-email", None): ("name", "target", "me", "why", "ask", "topic"),
    ("intro-request", None): ("name", "connector", "target", "me", "why", "offer", "ask"),
    ("blurb", None): ("name", "target", "me", "why", "offer", "ask"),
    ("connector-intro", "ask"): ("name", "requester", "target", "why"),
    ("connector-intro", "intro"): ("name", "requester", "target", "why"),
    ("follow-up", "nudge"): ("name", "target", "topic"),
    ("follow-up", "thanks"): ("name", "connector", "target"),
    ("follow-up", "reply"): ("name", "connector", "target", "ask"),
}
# Facts the kind uses at all (required or not); anything else given is reported as unused.
USED: dict[tuple[str, str | None], tuple[str, ...]] = {
    ("connection-note", None): ("me", "met", "met_target", "relationship"),
    ("cold-email", None): ("met", "met_target", "offer"),
    ("intro-request", None): ("met", "met_connector", "relationship", "topic"),
    ("blurb", None): (),
    ("connector-intro", "ask"): ("met", "relationship"),
    ("connector-intro", "intro"): ("met", "relationship"),
    ("follow-up", "nudge"): ("offer", "ask", "days_since", "relationship"),
    ("follow-up", "thanks"): ("topic", "days_since", "relationship"),
    ("follow-up", "reply"): ("days_since", "relationship"),
}


def option_name(field: str) -> str:
    return "--" + field.replace("_", "-")


def hint_for(kind: str, field: str) -> str:
    return KIND_HINTS.get((kind, field), FACTS[field].hint)


def resolve_stage(kind: str, stage: str | None) -> str | None:
    """The stage to compose: the given one if the kind has it, the kind's first stage by default."""
    stages = STAGES.get(kind)
    if stages is None:
        if stage is not None:
            raise UsageError(f"{kind} has no stages", "--stage is for connector-intro and follow-up")
        return None
    if stage is None:
        return stages[0]
    if stage not in stages:
        raise UsageError(f"{kind} has no stage {stage!r}", f"choose one of: {', '.join(stages)}")
    return stage


def required_facts(kind: str, stage: str | None, facts: Facts) -> tuple[str, ...]:
    """The facts this kind and stage need; an intro request to anyone but a close contact needs the reminder."""
    needed = REQUIRED[(kind, stage)]
    if kind == "intro-request" and (facts.relationship or DEFAULT_RELATIONSHIP) != "close":
        needed = (*needed, "met")
    return needed


def missing_facts(kind: str, stage: str | None, facts: Facts) -> list[str]:
    needed = required_facts(kind, stage, facts)
    given = {field for field in FACTS if getattr(facts, field) is not None}
    if kind == "intro-request" and facts.met_connector:
        given.add("met")  # where you met the connector, named as such
    return [field for field in FACTS if field in needed and field not in given]


def unused_facts(kind: str, stage: str | None, facts: Facts) -> list[str]:
    wanted = {*REQUIRED[(kind, stage)], *USED[(kind, stage)]}
    return [field for field in facts.given() if field not in wanted]


def build_facts(values: dict[str, Any], where: str = "the command line") -> Facts:
    """Validate ``values`` as facts, or raise a one-line :class:`UsageError` naming the fact."""
    try:
        return Facts.model_validate(values)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else "facts"
        problem = error["msg"].removeprefix("Value error, ")
        raise UsageError(f"{where}: {option_name(field)}: {problem}", "fix the fact and try again") from None


def _parse(text: str, path: str) -> dict[str, Any]:
    as_json = path.lower().endswith(".json") or (not path.lower().endswith(".toml") and text.lstrip()[:1] == "{")
    try:
        data = json.loads(text) if as_json else tomllib.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON (line {exc.lineno}: {exc.msg})", "fix the facts file") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: not valid TOML ({exc})", "fix the facts file") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: the facts must be a table of names and values", "see 'coach compose --help'")
    return data


_KEY = re.compile(r"[A-Za-z][A-Za-z_-]*")


def read_facts_file(path: str) -> dict[str, Any]:
    """The facts in a TOML or JSON file, keys as option names (dashes or underscores), checked by name."""
    source = read_source(path)
    values: dict[str, Any] = {}
    for key, value in _parse(source.text, source.name).items():
        field = key.replace("-", "_") if _KEY.fullmatch(str(key)) else None
        if field not in FACTS:
            raise InputError(
                f"{source.name}: unknown fact {key!r}",
                f"use only: {', '.join(k.replace('_', '-') for k in FACTS)}",
            )
        if (field == "days_since" and isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, str) and field != "days_since"
        ):
            values[field] = value
        else:
            expected = "a whole number" if field == "days_since" else "text"
            raise InputError(f"{source.name}: {key} must be {expected}", "fix the facts file")
    return values


def merge_facts(from_file: dict[str, Any], from_options: dict[str, Any]) -> dict[str, Any]:
    """File values, overridden by every option given on the command line."""
    return {**from_file, **{key: value for key, value in from_options.items() if value is not None}}


_LABELS: dict[str, str] = {
    "name": "my name",
    "me": "who I am",
    "target": "the person to meet (target)",
    "requester": "the person who asked for the introduction (requester)",
    "connector": "the mutual contact (connector)",
    "why": "why this person",
    "offer": "what I can offer",
    "ask": "the ask",
    "met": "where we met",
    "met_connector": "where I met the connector",
    "met_target": "where I met the target",
    "relationship": "how well I know the reader",
    "topic": "topic",
    "days_since": "days since the last message",
}


def facts_text(facts: Facts) -> str:
    """The facts as plain lines: the only sources the fact guard and the model may draw on."""
    return "\n".join(f"{_LABELS[key]}: {value}" for key, value in facts.given().items())
