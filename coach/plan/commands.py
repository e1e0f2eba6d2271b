"""The plan's last section: the exact commands to run next, with the known facts filled in.

Option names are those of ``coach compose``; the plan's ``--goal`` becomes compose's
``--topic`` (what the conversation is about). Only what the user told coach is filled in;
what only they know (their name, who they are, why this person, what they offer, the
one thing they ask) is listed as still to add rather than guessed.
"""

from __future__ import annotations

import re
import shlex

from coach.plan.models import NextCommand, RankedConnector
from coach.plan.target import Target

_BARE = re.compile(r"[A-Za-z0-9_./:@%+=-]+")


def shell_quote(value: str) -> str:
    """Bare if safe, else in double quotes (readable), else single quotes when $ ` \\ " or ! appear."""
    if _BARE.fullmatch(value):
        return value
    if any(ch in value for ch in '$`\\"!'):
        return shlex.quote(value)
    return f'"{value}"'


def command(*words: str | int) -> str:
    return " ".join(shell_quote(str(w)) if not str(w).startswith("--") else str(w) for w in words)


def target_spec(target: Target) -> str:
    """The target as compose expects it: "Full Name, Role at Org" when both are known."""
    if target.role and target.org:
        return f"{target.name}, {target.role} at {target.org}"
    return target.spec


def _topic(goal: str | None) -> list[str | int]:
    return ["--topic", goal] if goal else []


def for_introduction(target: Target, goal: str | None, connector: RankedConnector) -> list[NextCommand]:
    words: list[str | int] = ["coach", "compose", "intro-request", "--connector", connector.name]
    words += ["--target", target_spec(target)]
    if connector.relationship:
        words += ["--relationship", connector.relationship]
    if connector.candidate.met:
        words += ["--met", connector.candidate.met]
    words += _topic(goal)
    add = ["--name", "--me", "--why", "--offer", "--ask"]
    if not connector.candidate.met and connector.relationship != "close":
        add.append("--met")
    first = connector.name.split()[0]
    return [
        NextCommand(
            command=command(*words),
            why=f"draft the request to {first}, with a blurb {first} can forward unchanged",
            add=add,
        ),
        NextCommand(
            command="coach critique --kind intro-request request.txt",
            why="check your edited draft (saved as request.txt) before you send it",
        ),
    ]


def for_direct(target: Target, goal: str | None) -> list[NextCommand]:
    return [
        NextCommand(
            command=command("coach", "compose", "cold-email", "--target", target_spec(target), *_topic(goal)),
            why=f"write to {target.first_name} yourself, opening with how you know each other (--met)",
            add=["--name", "--me", "--met", "--why", "--ask", *([] if goal else ["--topic"])],
        ),
        NextCommand(command="coach critique --kind cold-email message.txt", why="check it before you send it"),
    ]


def for_cold(target: Target, goal: str | None) -> list[NextCommand]:
    spec = target_spec(target)
    return [
        NextCommand(
            command=command("coach", "compose", "cold-email", "--target", spec, *_topic(goal)),
            why="one short message with one small, time-bound ask (15-20 minutes)",
            add=["--name", "--me", "--why", "--ask", *([] if goal else ["--topic"])],
        ),
        NextCommand(
            command=command("coach", "compose", "connection-note", "--target", spec),
            why="or, on LinkedIn, an invitation note (300 characters, no pitch)",
            add=["--name", "--why"],
        ),
        NextCommand(command="coach critique --kind cold-email email.txt", why="check it before you send it"),
        NextCommand(
            command="coach critique --kind follow-up --attempt 2 nudge.txt",
            why="at most one follow-up, a week or two later; then stop",
        ),
    ]
