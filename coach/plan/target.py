"""Parsing the person you want to meet: "Full Name, Role at Org" or "Full Name (Role, Org)"."""

from __future__ import annotations

import re

from pydantic import BaseModel

from coach.errors import UsageError
from coach.plan.functions import FUNCTIONS, role_function
from coach.plan.names import tokens

_PARENS = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<inner>[^()]*)\)\s*$")
_AT = re.compile(r"\s+(?:at|@)\s+", re.IGNORECASE)
_SEPARATORS = re.compile(r"\s*(?:,|\s[-–—|]\s)\s*")
_ROLE_WORDS = frozenset(
    "vp svp evp vice president head director manager lead principal chief officer founder cofounder co-founder "
    "partner engineer scientist designer analyst recruiter consultant professor student intern ceo cto cfo coo cmo "
    "cpo architect developer editor writer researcher associate specialist coordinator owner".split()
)


class Target(BaseModel):
    """Who the plan is for, as the user wrote them, and what coach could make of it."""

    spec: str
    name: str
    role: str | None = None
    org: str | None = None
    function: str | None = None
    function_words: list[str] = []
    notices: list[str] = []

    @property
    def first_name(self) -> str:
        return self.name.split()[0]


def _looks_like_role(text: str) -> bool:
    return bool(set(tokens(text)) & _ROLE_WORDS) or role_function(text)[0] in FUNCTIONS


def _role_and_org(rest: str) -> tuple[str | None, str | None]:
    """From what follows the name: "Role at Org", "Role, Org", "Role" or "Org"."""
    rest = rest.strip(" ,")
    if not rest:
        return None, None
    pieces = _AT.split(rest)
    if len(pieces) > 1:
        return " at ".join(pieces[:-1]).strip(" ,") or None, pieces[-1].strip(" ,") or None
    parts = [p for p in _SEPARATORS.split(rest) if p]
    if len(parts) > 1:
        return ", ".join(parts[:-1]), parts[-1]
    return (rest, None) if _looks_like_role(rest) else (None, rest)


def parse_target(spec: str) -> Target:
    """Split the target spec; say what is missing rather than guess it."""
    text = " ".join(spec.split())
    if not text:
        raise UsageError("--target is empty", 'write it as "Full Name, Role at Org"')
    m = _PARENS.match(text)
    if m:
        name, rest = m["name"], m["inner"]
    else:
        pieces = _SEPARATORS.split(text, maxsplit=1)
        if len(pieces) == 2:
            name, rest = pieces
        else:  # "Maya Chen at Northwind", or a name alone
            at = _AT.split(text, maxsplit=1)
            name, rest = (at[0], f"at {at[1]}") if len(at) == 2 else (text, "")
    name = name.strip(" ,")
    if not any(ch.isalpha() for ch in name):
        raise UsageError(f"--target {spec!r} has no name", 'write it as "Full Name, Role at Org"')
    if rest.startswith("at "):
        role, org = None, rest[3:].strip(" ,") or None
    else:
        role, org = _role_and_org(rest)
    target = Target(spec=text, name=name, role=role, org=org)
    if len(name.split()) < 2:
        target.notices.append(f"only one name ({name}): use the full name, or a connector has to guess who you mean")
    if org is None:
        target.notices.append(
            'no organisation in --target ("Full Name, Role at Org"): organisation matching is skipped'
        )
    if role is None:
        target.notices.append("no role in --target: matching connections by function is skipped")
    else:
        target.function, stems = role_function(role)
        target.function_words = list(stems)
    return target
