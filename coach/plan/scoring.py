"""A transparent score for each candidate connector: every point has a stated reason.

How well the connector knows the target counts most (the guidance: pick whoever knows
the target best, not the person you know best), so a weak tie who knows the target
well (+40 +10) outranks a close friend who barely knows them (+15 +15). Staleness and a
one-sided relationship cost points, because they make the favour harder to ask.
"""

from __future__ import annotations

from datetime import date

from coach.plan.candidates import Candidate
from coach.plan.models import Component

WEIGHTS: dict[str, dict[str, int]] = {
    "knows-target": {"well": 40, "somewhat": 15, "no": 0, "works-there-unstated": 15, "unstated": 0},
    "tie": {"close": 15, "acquaintance": 12, "weak": 10, "unstated": 0},
    "last-contact": {"within-a-year": 5, "per-year-since": -5, "floor": -20, "unstated": 0},
    "given-before": {"yes": 10, "no": -10, "unstated": 0},
}
_TIE_REASONS = {
    "close": "close tie: says yes readily, but often knows the same people you do",
    "acquaintance": "acquaintance: knows your work well enough to vouch for you",
    "weak": "weak tie: opens circles you don't reach (remind them where you met)",
    "unstated": "tie not stated (tie=weak|acquaintance|close)",
}
_GIVEN_REASONS = {
    "yes": "you have helped them before: this is not a first ask",
    "no": "you have never helped them: this would be your first ask",
    "unstated": "not stated whether you have helped them before (given-before=yes|no)",
}


def months_since(when: date, today: date) -> int:
    return (today.year - when.year) * 12 + today.month - when.month - (today.day < when.day)


def _knows(candidate: Candidate, first: str, org: str | None, at_org: bool) -> Component:
    w = WEIGHTS["knows-target"]
    reasons = {
        "well": f"knows {first} well: can vouch for you and say why you should meet",
        "somewhat": f"knows {first} somewhat: an introduction carries less weight",
        "no": f"doesn't know {first}: can't introduce you, only ask around",
    }
    if candidate.knows_target:
        value = candidate.knows_target
        return Component(factor="knows-target", value=value, points=w[value], reason=reasons[value])
    if at_org:
        why = f"works at {org}, so probably knows {first} somewhat (not stated)"
        return Component(factor="knows-target", value="unstated", points=w["works-there-unstated"], reason=why)
    why = f"how well they know {first} is not stated (knows-target=well|somewhat|no)"
    return Component(factor="knows-target", value="unstated", points=w["unstated"], reason=why)


def _last_contact(candidate: Candidate, today: date) -> Component:
    w = WEIGHTS["last-contact"]
    if candidate.last_contact is None:
        return Component(factor="last-contact", value="unstated", points=0, reason="not stated (last-contact=YYYY-MM)")
    shown = candidate.last_contact_text or candidate.last_contact.isoformat()
    months = months_since(candidate.last_contact, today)
    if months < 12:
        return Component(
            factor="last-contact", value=shown, points=w["within-a-year"], reason=f"in touch within a year ({shown})"
        )
    years = months // 12
    points = max(w["per-year-since"] * years, w["floor"])
    why = f"last contact {years} year{'s' if years > 1 else ''} ago ({shown}): a cold favour"
    return Component(factor="last-contact", value=shown, points=points, reason=why)


def score(candidate: Candidate, target_first: str, org: str | None, at_org: bool, today: date) -> list[Component]:
    """The components of a candidate's score, in the order they are shown."""
    tie = candidate.tie or "unstated"
    given = {True: "yes", False: "no", None: "unstated"}[candidate.given_before]
    return [
        _knows(candidate, target_first, org, at_org),
        Component(factor="tie", value=tie, points=WEIGHTS["tie"][tie], reason=_TIE_REASONS[tie]),
        _last_contact(candidate, today),
        Component(
            factor="given-before", value=given, points=WEIGHTS["given-before"][given], reason=_GIVEN_REASONS[given]
        ),
    ]


def compose_relationship(candidate: Candidate, today: date) -> str | None:
    """The tone ``coach compose --relationship`` should take with this connector."""
    months = months_since(candidate.last_contact, today) if candidate.last_contact else None
    if candidate.tie == "close":
        return "close"
    if months is not None and months >= 12:
        return "in-between"
    if candidate.tie == "weak" and months is not None and months < 6:
        return "recent"
    return "acquaintance" if candidate.tie else None
