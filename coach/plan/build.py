"""Assembling a plan: target, routes through the connections, ranked connectors, readiness, commands.

The plan is computed entirely on this machine. No part of it is sent to a model: the
connections file holds other people's details, and routing needs no language model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from coach.plan import clock
from coach.plan.candidates import Candidate, load_candidates
from coach.plan.commands import for_cold, for_direct, for_introduction
from coach.plan.connections import Connection, ConnectionsFile, read_connections
from coach.plan.functions import in_function, seniority
from coach.plan.models import ConnectionsSummary, Person, Plan, RankedConnector, Recommendation, Routes
from coach.plan.names import person_key, possibly_same_person
from coach.plan.orgs import SIMILAR, match_org
from coach.plan.readiness import Ask, checklist
from coach.plan.scoring import WEIGHTS, compose_relationship, score
from coach.plan.target import Target, parse_target

SHOWN_AT_ORG = 15  # people at the organisation listed (the total is always given)
SHOWN_IN_FUNCTION = 10  # people in the target's function elsewhere listed
RANKED_FROM_CONNECTIONS = 10  # unnamed people at the organisation added to the ranking


@dataclass
class PlanInputs:
    target: str
    goal: str | None = None
    connections_path: str | None = None
    candidates: tuple[str, ...] = ()
    answers: dict[str, bool] = field(default_factory=dict)


# A position that says its holder has left: "Former Staff Engineer", "Ex-Stripe", "Previously at Stripe".
_FORMER = re.compile(r"^\W*(?:former(?:ly)?|previously|retired|past)\b|^\W*ex\s*-|^\W*ex\s", re.IGNORECASE)


def is_former(c: Connection) -> bool:
    return bool(_FORMER.match(c.position) or _FORMER.match(c.company))


def _person(c: Connection, match: str | None = None) -> Person:
    return Person(
        name=c.name, company=c.company, position=c.position, connected_on=c.connected_on, line=c.line, match=match
    )


def role_fit(target: Target, position: str | None) -> tuple[tuple[int, int], str | None]:
    """How close a position is to the target's role, as a sort key (same function first, then the
    smallest gap in seniority) and a line saying so; ((1, 99), None) when either role is unknown."""
    if not target.role or not position:
        return (1, 99), None
    first = target.first_name
    same = in_function(position, tuple(target.function_words))
    (theirs, label), (mine, target_label) = seniority(position), seniority(target.role)
    gap = abs(theirs - mine)
    function = f"same function as {first} ({target.function})" if same else f"not in {first}'s function"
    level = f"{label} level, like {first}" if gap == 0 else f"{label} level ({first}: {target_label})"
    return (0 if same else 1, gap), f"role: {function}; {level}"


def _newest_first(people: list[Person]) -> list[Person]:
    return sorted(people, key=lambda p: (p.connected_on or date.min, p.name), reverse=True)


def find_routes(target: Target, book: ConnectionsFile | None) -> Routes:
    """Who in the connections is the target, works at the target's org, or works in its function."""
    routes = Routes()
    if book is None:
        return routes
    target_key = person_key(target.name)
    stems = tuple(target.function_words)
    at_org, in_field, former = [], [], []
    for c in book.connections:
        match = match_org(target.org, c.company) if target.org else None
        if person_key(c.name) == target_key:
            routes.target_connected = _person(c, match.reason if match else None)
        elif is_former(c):
            if match:
                former.append(_person(c, match.reason))
        elif match:
            person = _person(c, match.reason)
            person.maybe_target = possibly_same_person(target.name, c.name)
            at_org.append(person)
        elif stems and in_function(c.position, stems):
            in_field.append(_person(c))
    # Certain matches first, then the closest roles to the target's (likelier to know them), newest first.
    at_org.sort(
        key=lambda p: (
            p.match == SIMILAR,
            p.maybe_target,
            role_fit(target, p.position)[0],
            -(p.connected_on or date.min).toordinal(),
            p.name,
        )
    )
    routes.former_at_org = former
    routes.at_org, routes.at_org_total = at_org[:SHOWN_AT_ORG], len(at_org)
    routes.in_function = _newest_first(in_field)[:SHOWN_IN_FUNCTION]
    routes.in_function_total = len(in_field)
    return routes


def rank(
    target: Target, named: list[Candidate], routes: Routes, book: ConnectionsFile | None, today: date
) -> list[RankedConnector]:
    """Named candidates plus the unnamed people at the organisation, best first."""
    by_key = {person_key(c.name): c for c in book.connections} if book else {}
    pool: list[tuple[Candidate, str]] = [(c, "named") for c in named]
    named_keys = {person_key(c.name) for c in named}
    for person in routes.at_org[:RANKED_FROM_CONNECTIONS]:
        if person_key(person.name) not in named_keys:
            pool.append(
                (Candidate(name=person.name, where=f"{book.path}:{person.line}" if book else ""), "connections")
            )
    ranked = []
    fits: dict[str, tuple[int, int, int]] = {}
    for cand, source in pool:
        key = person_key(cand.name)
        record = by_key.get(key)
        current = record is not None and target.org is not None and not is_former(record)
        match = match_org(target.org, record.company) if record and target.org and current else None
        at_org = match is not None
        parts = score(cand, target.first_name, target.org, at_org, today)
        fit_key, fit = role_fit(target, record.position if record else None)
        fits[key] = (0 if match is None or match.certain else 1, *fit_key)
        if fit and match is not None and not match.certain:
            fit += "; a similar organisation name ranks after an exact one"
        ranked.append(
            RankedConnector(
                name=cand.name,
                score=sum(p.points for p in parts),
                components=parts,
                source=source,  # type: ignore[arg-type]
                where=cand.where,
                company=record.company if record else None,
                position=record.position if record else None,
                at_target_org=at_org,
                relationship=compose_relationship(cand, today),
                days_since_contact=(today - cand.last_contact).days if cand.last_contact else None,
                fit=fit,
                maybe_target=bool(record and possibly_same_person(target.name, record.name)),
                candidate=cand,
            )
        )
    # Equal scores: whoever knows the target better, then the people you named, then
    # a certain place at the organisation over a similar name, then the closest role to the target's
    # (function, then seniority); someone who may be the target themself last.
    ranked.sort(
        key=lambda r: (
            -r.score,
            -r.components[0].points,
            r.source != "named",
            r.maybe_target,
            fits[person_key(r.name)],
            r.name,
        )
    )
    for i, r in enumerate(ranked, start=1):
        r.rank = i
    return ranked


def _maybe_advice(target: Target, r: RankedConnector) -> str:
    return (
        f"{r.name} may be {target.name} under another form of the first name: if so, you are already "
        f"connected; write to {target.first_name} directly."
    )


def recommend(target: Target, routes: Routes, ranked: list[RankedConnector], goal: str | None) -> Recommendation:
    first = target.first_name
    if routes.target_connected:
        person = routes.target_connected
        check = ""
        if target.org and person.match is None:
            check = f" (check it is the same person: yours is at {person.company or 'an unnamed company'})"
        return Recommendation(
            route="direct",
            summary=f"You are already connected to {target.name}{check}: write to {first} yourself; "
            "no introduction needed.",
            advice=[f"Open with how you know each other, then one small ask{' about ' + goal if goal else ''}."],
        )
    # Connectors who (may) know the target, and are not (perhaps) the target under another first name.
    routes_in = [r for r in ranked if r.components[0].points > 0 and not r.maybe_target]
    maybe = [r for r in ranked if r.maybe_target]
    if routes_in:
        best = routes_in[0]
        how = "knows" if best.candidate.knows_target else "may know"
        fallback = routes_in[1].name if len(routes_in) > 1 else "a cold message"
        return Recommendation(
            route="introduction",
            connector=best.name,
            summary=f"Ask {best.name} for a warm introduction ({best.score} points; {how} {first}).",
            advice=[
                f"Name {target.name} in full with the role, say why {first}, give an easy out, and attach a blurb.",
                f"If {best.name.split()[0]} says no or goes quiet, the next best is {fallback}.",
                *(_maybe_advice(target, r) for r in maybe),
            ],
        )
    advice = [
        *(_maybe_advice(target, r) for r in maybe),
        "One short message (50-125 words) with one small, time-bound ask: 15-20 minutes, call or video.",
        "At most two attempts: your message and one follow-up a week or two later. Then stop.",
    ]
    if routes.in_function:
        names = ", ".join(p.name for p in routes.in_function[:3])
        field_name = target.function or "the same field"
        advice.insert(
            0, f"Ask your connections in {field_name} whether they know {first} before you write cold: {names}."
        )
    unstated = [r.name for r in ranked if r.candidate.knows_target is None]
    if unstated:
        advice.insert(0, f"Say how well {', '.join(unstated)} know {first} (knows-target=well|somewhat|no).")
    elif ranked:
        advice.insert(0, f"None of the people you named knows {first}: ask them who does before you write cold.")
    return Recommendation(
        route="cold", summary=f"No warm route to {target.name} found: write a cold message.", advice=advice
    )


def build_plan(inputs: PlanInputs, *, today: date | None = None, ask: Ask | None = None) -> Plan:
    """The whole plan; ``ask`` (a terminal prompt) is called only for readiness questions the facts can't answer."""
    today = today or clock.today()
    target = parse_target(inputs.target)
    goal = " ".join(inputs.goal.split()) if inputs.goal and inputs.goal.strip() else None
    notices = list(target.notices)
    book = read_connections(inputs.connections_path) if inputs.connections_path else None
    named, more = load_candidates(inputs.candidates, today)
    notices += more
    summary = None
    if book is not None:
        notices += book.notices
        summary = ConnectionsSummary(
            path=book.path,
            count=len(book.connections),
            header_line=book.header_line,
            columns=book.columns,
            missing_columns=book.missing_columns,
        )
    routes = find_routes(target, book)
    if routes.former_at_org:
        former = ", ".join(p.name for p in routes.former_at_org[:3])
        extra = f" and {len(routes.former_at_org) - 3} more" if len(routes.former_at_org) > 3 else ""
        notices.append(
            f"{len(routes.former_at_org)} connection(s) with a former position at {target.org} ({former}{extra}) "
            "are not counted as working there now; name them with --candidate if they still know "
            f"{target.first_name}"
        )
    ranked = rank(target, named, routes, book, today)
    rec = recommend(target, routes, ranked, goal)
    connector = next((r for r in ranked if r.name == rec.connector), None)
    items = checklist(rec.route, target, goal, connector, routes.target_connected, inputs.answers, ask, today)
    if rec.route == "introduction" and connector is not None:
        commands = for_introduction(target, goal, connector)
    elif rec.route == "direct":
        commands = for_direct(target, goal)
    else:
        commands = for_cold(target, goal)
    return Plan(
        today=today,
        target=target,
        goal=goal,
        connections=summary,
        routes=routes,
        weights=WEIGHTS,
        connectors=ranked,
        recommendation=rec,
        readiness=items,
        next_commands=commands,
        notices=notices,
    )
