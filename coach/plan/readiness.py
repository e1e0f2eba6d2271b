"""The guidance's "before you ask" checklist, answered from the facts, the user or a question.

Each answer comes from ``--answer KEY=yes|no``, from what coach knows (tie, last contact,
the connections file), or from the user on a terminal; otherwise it stays unknown. Every
gap, known or not, carries a concrete next step, so a plan made in a script is as useful
as one made at a terminal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from coach.errors import UsageError
from coach.plan.models import CheckItem, Person, RankedConnector, Status
from coach.plan.scoring import months_since
from coach.plan.target import Target

ANSWER_KEYS = ("relationship", "given-before", "other-way", "timing")
Ask = Callable[[str, str], bool | None]  # (key, question) -> yes, no, or None when skipped
# Months without contact after which a favour needs reconnecting first, by tie.
STALE_AFTER: dict[str | None, int] = {"close": 36, "acquaintance": 24, "weak": 12, None: 12}


@dataclass
class Question:
    key: str
    question: str
    fact: bool | None  # what the known facts say; None if they don't say
    fact_detail: str
    yes: tuple[Status, str, str | None]  # status, detail, next step
    no: tuple[Status, str, str | None]
    unknown_next: str


def resolve(q: Question, answers: dict[str, bool], ask: Ask | None) -> CheckItem:
    """The answer from --answer, else the facts, else the user (if ``ask``), else unknown."""
    answer, source = None, None
    if q.key in answers:
        answer, source = answers[q.key], "--answer"
    elif q.fact is not None:
        answer, source = q.fact, "facts"
    elif ask is not None:
        answer = ask(q.key, q.question)
        source = "asked" if answer is not None else None
    if answer is None:
        return CheckItem(key=q.key, question=q.question, status="unknown", detail="not known", next_step=q.unknown_next)
    status, detail, step = q.yes if answer else q.no
    if source == "facts" and q.fact_detail:
        detail = f"{q.fact_detail}: {detail}"
    return CheckItem(
        key=q.key,
        question=q.question,
        status=status,
        answer="yes" if answer else "no",
        source=source,  # type: ignore[arg-type]
        detail=detail,
        next_step=step,
    )


def goal_item(target: Target, goal: str | None) -> CheckItem:
    """Know exactly who and why: checked from --target and --goal, never asked."""
    gaps = {
        "the full name": len(target.name.split()) < 2,
        "the role": target.role is None,
        "the organisation": target.org is None,
        "your goal (--goal)": not goal,
    }
    missing = [what for what, gap in gaps.items() if gap]
    question = "Do you know exactly who you want to meet, and why?"
    if not missing:
        return CheckItem(key="goal", question=question, status="ok", answer="yes", source="facts", detail=goal or "")
    step = (
        f"Add {', '.join(missing)}: one sentence on what you want from {target.first_name} and why them "
        "(1-3 concrete goals; match the person to the goal)"
    )
    detail = "missing " + ", ".join(missing)
    return CheckItem(
        key="goal", question=question, status="todo", answer="no", source="facts", detail=detail, next_step=step
    )


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def reconnect_step(first: str, met: str | None) -> str:
    about = f"where you met ({met})" if met else "something you share, or something of theirs you saw lately"
    return f"reconnect with {first} first: a short note about {about}, with no ask in it; ask a week or two later"


def give_step(first: str, target_first: str) -> str:
    return (
        f"offer {first} something before asking (a useful article or finding, an introduction of your own, "
        f"feedback on their work), and say in the request what you bring {target_first} (--offer)"
    )


def _relationship(c: RankedConnector, target: Target, today: date) -> Question:
    cand, first = c.candidate, c.name.split()[0]
    months = months_since(cand.last_contact, today) if cand.last_contact else None
    fact: bool | None = None
    fact_detail = ""
    if months is not None:
        fact = months < STALE_AFTER[cand.tie]
        fact_detail = f"{cand.tie or 'tie not stated'}, last contact {cand.last_contact_text}"
    elif cand.tie == "close":
        fact, fact_detail = True, "close tie"
    return Question(
        key="relationship",
        question=f"Is your relationship with {c.name} strong enough to ask a favour?",
        fact=fact,
        fact_detail=fact_detail,
        yes=("ok", "strong enough to ask", None),
        no=("todo", "too distant to ask a favour yet", _sentence(reconnect_step(first, cand.met))),
        unknown_next=f"If you haven't talked in the last year, {reconnect_step(first, cand.met)}",
    )


def _given(c: RankedConnector, target: Target) -> Question:
    first = c.name.split()[0]
    given = c.candidate.given_before
    return Question(
        key="given-before",
        question=f"Have you helped {c.name} before (a favour, an introduction, feedback)?",
        fact=given,
        fact_detail="",
        yes=("ok", "not a first ask", None),
        no=("todo", "this would be your first ask", _sentence(give_step(first, target.first_name))),
        unknown_next=f"If this is your first ask, {give_step(first, target.first_name)}",
    )


def _other_way(target: Target, connected: Person | None, route: str, connector: str | None) -> Question:
    first = target.first_name
    if route == "cold":
        yes_step = f"Use it: a note that names your link to {first} is warmer than a cold e-mail"
        unknown = (
            f"Warm up first if you can: a thoughtful comment on {first}'s public work (never a 'can we chat?'), "
            "or a talk or event where you can meet"
        )
        no: tuple[Status, str, str | None] = ("ok", "a cold message is the way in", None)
    else:
        spare = f" and spares {connector.split()[0]} the favour" if connector else ""
        yes_step = f"Try that way first if it is as warm: it costs nobody's reputation{spare}"
        unknown = (
            f"Check first: have you met {first}, do you share a group or a school, is {first} speaking somewhere "
            "soon? If so, use that; if not, the introduction is your best way in"
        )
        no = ("ok", "the introduction is your best way in", None)
    fact = True if connected else None
    detail = f"you are connected to {target.name} on LinkedIn" if connected else ""
    direct = route == "direct"
    return Question(
        key="other-way",
        question=f"Could you reach {target.name} another way (met before, a shared group, an event)?",
        fact=fact,
        fact_detail=detail,
        yes=("ok", "write directly; no introduction needed", None)
        if direct
        else ("todo", "there is another way in", yes_step),
        no=no,
        unknown_next=unknown,
    )


def _timing(target: Target, connector: str | None) -> Question:
    both = f"{connector} and {target.name}" if connector else target.name
    return Question(
        key="timing",
        question=f"Is the timing right for {both} (no launch, leave or busy season you know of)?",
        fact=None,
        fact_detail="",
        yes=("ok", "the timing is right", None),
        no=("todo", "not a good moment", "Wait until it has passed; use the time to reconnect or to give first"),
        unknown_next=(
            f"Look at recent posts or news from {both} for a launch, a leave or a busy season; if you see one, wait"
        ),
    )


def checklist(
    route: str,
    target: Target,
    goal: str | None,
    connector: RankedConnector | None,
    connected: Person | None,
    answers: dict[str, bool],
    ask: Ask | None,
    today: date,
) -> list[CheckItem]:
    """The checklist for the chosen route: an introduction asks all four questions, cold only two."""
    questions: list[Question] = []
    if route == "introduction" and connector is not None:
        questions += [_relationship(connector, target, today), _given(connector, target)]
    questions.append(_other_way(target, connected, route, connector.name if connector else None))
    questions.append(_timing(target, connector.name if route == "introduction" and connector else None))
    items = [goal_item(target, goal)]
    return items + [resolve(q, answers, ask) for q in questions]


def parse_answers(values: tuple[str, ...]) -> dict[str, bool]:
    out: dict[str, bool] = {}
    for value in values:
        key, sep, answer = value.partition("=")
        key, answer = key.strip().lower(), answer.strip().lower()
        if not sep or key not in ANSWER_KEYS:
            raise UsageError(f"--answer {value!r}: expected KEY=yes|no", f"the keys are: {', '.join(ANSWER_KEYS)}")
        if answer not in ("yes", "no", "y", "n"):
            raise UsageError(f"--answer {value!r}: {answer!r} is not yes or no")
        out[key] = answer.startswith("y")
    return out
