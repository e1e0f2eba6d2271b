"""The plan as data: the same content feeds the text report and ``--format json``."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel

from coach.plan.candidates import Candidate
from coach.plan.target import Target

Status = Literal["ok", "todo", "unknown"]


class Person(BaseModel):
    """A first-degree connection as the plan shows it."""

    name: str
    company: str
    position: str
    connected_on: date | None = None
    line: int
    match: str | None = None  # how the company matched the target's organisation
    maybe_target: bool = False  # same surname, first name a form of the target's ("Daniel" for "Dan")


class Routes(BaseModel):
    target_connected: Person | None = None
    at_org: list[Person] = []
    at_org_total: int = 0
    in_function: list[Person] = []
    in_function_total: int = 0
    former_at_org: list[Person] = []  # "Former ..." positions at the organisation: not there now


class ConnectionsSummary(BaseModel):
    path: str
    count: int
    header_line: int
    columns: dict[str, str]
    missing_columns: list[str]


class Component(BaseModel):
    """One transparent part of a connector's score."""

    factor: Literal["knows-target", "tie", "last-contact", "given-before"]
    value: str
    points: int
    reason: str


class RankedConnector(BaseModel):
    rank: int = 0
    name: str
    score: int
    components: list[Component]
    source: Literal["named", "connections"]
    where: str
    company: str | None = None
    position: str | None = None
    at_target_org: bool = False
    relationship: str | None = None  # for ``coach compose --relationship``
    days_since_contact: int | None = None
    fit: str | None = None  # how close their role is to the target's (breaks ties in score)
    maybe_target: bool = False
    candidate: Candidate


class CheckItem(BaseModel):
    """One readiness question, its answer and where the answer came from."""

    key: str
    question: str
    status: Status
    answer: Literal["yes", "no"] | None = None
    source: Literal["facts", "--answer", "asked"] | None = None
    detail: str
    next_step: str | None = None


class Recommendation(BaseModel):
    route: Literal["introduction", "direct", "cold"]
    connector: str | None = None
    summary: str
    advice: list[str] = []


class NextCommand(BaseModel):
    command: str
    why: str
    add: list[str] = []  # options only the user can fill in


class Plan(BaseModel):
    today: date
    offline: bool = True
    target: Target
    goal: str | None = None
    connections: ConnectionsSummary | None = None
    routes: Routes
    weights: dict[str, dict[str, int]]
    connectors: list[RankedConnector]
    recommendation: Recommendation
    readiness: list[CheckItem]
    next_commands: list[NextCommand]
    notices: list[str] = []
