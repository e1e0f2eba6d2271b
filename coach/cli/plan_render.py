"""The plan as text for people: sections in the order you act on them. No printing here."""

from __future__ import annotations

import textwrap
from datetime import date

from coach.plan.models import CheckItem, Person, Plan

WIDTH = 100
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MARKS = {"ok": "[ok]  ", "todo": "[todo]", "unknown": "[?]   "}
LINKEDIN_NAMES = {
    "first_name": "First Name",
    "last_name": "Last Name",
    "name": "Name",
    "url": "URL",
    "email": "Email Address",
    "company": "Company",
    "position": "Position",
    "connected_on": "Connected On",
}


def _wrap(text: str, indent: int, hang: int = 0) -> list[str]:
    pad = " " * indent
    lines = textwrap.wrap(text, WIDTH, initial_indent=pad, subsequent_indent=pad + " " * hang, break_on_hyphens=False)
    return lines or [pad]


def _month(when: date | None) -> str:
    """ "Mar 2023", the same in every locale."""
    return f"{MONTHS[when.month - 1]} {when.year}" if when else "date unknown"


def _person(p: Person, name_width: int, target: str = "") -> str:
    where = " at ".join(part for part in (p.position, p.company) if part) or "no company or position"
    line = f"    {p.name:<{name_width}}  {where}; connected {_month(p.connected_on)}"
    if p.match and p.match != "same organisation":
        line += f" ({p.match})"
    if p.maybe_target:
        line += f" (possibly {target} under another first name)"
    return line


def _target(plan: Plan) -> list[str]:
    t = plan.target
    out = ["Target", f"  {t.name}"]
    out.append(f"  role:         {t.role or 'not given'}" + (f" (function: {t.function})" if t.function else ""))
    out.append(f"  organisation: {t.org or 'not given'}")
    out.append(f"  goal:         {plan.goal or 'not given (--goal)'}")
    return out


def _routes(plan: Plan) -> list[str]:
    out = ["Routes found"]
    book, routes, t = plan.connections, plan.routes, plan.target
    if book is None:
        out += _wrap(
            "No --connections file: pass LinkedIn's Connections.csv (Settings, Data privacy, Get a copy of your "
            "data) to find the people you know at the organisation and in the same field.",
            2,
        )
        return out
    out.append(f"  {book.path}: {book.count} connections (header on line {book.header_line})")
    found = ", ".join(book.columns.values())
    missing = ", ".join(LINKEDIN_NAMES[f] for f in book.missing_columns)
    out += _wrap(f"columns found: {found}" + (f"; not found: {missing}" if missing else ""), 2)
    if routes.target_connected:
        p = routes.target_connected
        out.append(f"  you are connected to {t.name} (line {p.line}, connected {_month(p.connected_on)})")
    people = [*routes.at_org, *routes.in_function]
    width = max((len(p.name) for p in people), default=0)
    if t.org:
        out += _group(f"at {t.org}", routes.at_org, routes.at_org_total, width, t.name)
    if t.function:
        out += _group(f"in {t.function} elsewhere", routes.in_function, routes.in_function_total, width)
    return out


def _group(label: str, people: list[Person], total: int, width: int, target: str = "") -> list[str]:
    if not total:
        return [f"  {label}: nobody"]
    count = f"{len(people)} of {total}" if total > len(people) else str(total)
    return [f"  {label} ({count}):", *(_person(p, width, target) for p in people)]


def _connectors(plan: Plan) -> list[str]:
    out = ["Ranked connectors"]
    if not plan.connectors:
        out += _wrap(
            'None named. Add the people who might introduce you: --candidate "Jane Park; tie=weak; '
            'knows-target=well; last-contact=2026-09; given-before=no".',
            2,
        )
        return out
    scores = [c.score for c in plan.connectors]
    for c in plan.connectors:
        source = "named" if c.source == "named" else "from your connections"
        job = " at ".join(part for part in (c.position, c.company) if part)
        out.append(f"  {c.rank}. {c.name}: {c.score} points ({source}{'; ' + job if job else ''})")
        unstated = [p.factor for p in c.components if p.value == "unstated" and p.points == 0]
        for part in c.components:
            if part.factor not in unstated:
                out += _wrap(f"{part.points:+4d}  {part.reason}", 7, hang=6)
        if unstated:
            out += _wrap(f"   ?  not stated: {', '.join(unstated)} (add them to --candidate)", 7)
        if c.fit and scores.count(c.score) > 1:
            out += _wrap(f"   =  at equal points, by {c.fit}", 7, hang=6)
        if c.maybe_target:
            out += _wrap(
                f"   !  possibly {plan.target.name} under another first name: check before asking them for an "
                "introduction",
                7,
                hang=6,
            )
    return out


def _check(item: CheckItem) -> list[str]:
    out = [f"  {MARKS[item.status]} {item.question}"]
    via = {"--answer": " (from --answer)", "asked": " (your answer)"}.get(item.source or "", "")
    out += _wrap(f"{item.detail}{via}", 9)
    if item.next_step:
        out += _wrap(f"next: {item.next_step}.", 9)
    return out


def render_plan_text(plan: Plan) -> str:
    """Target, routes, ranked connectors, the recommendation, readiness, next commands."""
    rec = plan.recommendation
    lines = [f"Plan for {plan.target.spec}", "  offline: made on this machine; nothing was sent anywhere", ""]
    lines += [*_target(plan), "", *_routes(plan), "", *_connectors(plan), ""]
    lines.append("Recommended route")
    lines += _wrap(rec.summary, 2)
    for advice in rec.advice:
        lines += _wrap(f"- {advice}", 2, hang=2)
    lines += ["", "Readiness checklist" + (f" (asking {rec.connector})" if rec.connector else "")]
    for item in plan.readiness:
        lines += _check(item)
    lines += ["", "Next commands"]
    for cmd in plan.next_commands:
        lines.append(f"  {cmd.command}")
        why = cmd.why + (f"; still to add: {', '.join(cmd.add)}" if cmd.add else "")
        lines += _wrap(why, 4)
    if plan.notices:
        lines += ["", "Notices"] + [line for n in plan.notices for line in _wrap(f"- {n}", 2, hang=2)]
    return "\n".join(lines)
