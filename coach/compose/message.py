"""A composed message: assembled from the facts, polished by a model if there is one, always critiqued.

The writer sees nothing coach has not checked: every message goes through the
fact guard (no name, number, date or link the facts do not hold) and through
coach's own rules, and the report travels with the message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from coach.compose.assemble import NOTE_LIMITS, assemble, note_length
from coach.compose.facts import Facts, facts_text
from coach.compose.reader import read_facts, sanity_problems
from coach.compose.words import person
from coach.guard import mark_unsupported, unsupported_facts
from coach.rules.config import Settings
from coach.rules.engine import Options, critique_text, rescore
from coach.rules.report import Finding, Report

NUDGE_ATTEMPT = 2  # a nudge is the second message to the same person


@dataclass
class ComposeOutcome:
    kind: str
    stage: str | None
    facts: Facts
    message: str | None  # None when no message fits the kind's limits (the notices say why)
    report: Report | None
    mode: str = "rules"
    draft: str | None = None  # the assembled draft, before any model polished it
    notices: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def subject(self) -> str | None:
        if self.message and self.message.startswith("Subject:"):
            return self.message.split("\n", 1)[0].removeprefix("Subject:").strip()
        return None

    @property
    def has_error(self) -> bool:
        return self.report is not None and self.report.worst_severity() == "error"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "stage": self.stage,
            "facts": self.facts.given(),
            "message": self.message,
            "subject": self.subject,
            "report": self.report.to_dict() if self.report else None,
            "mode": self.mode,
            "draft": self.draft,
            "notices": list(self.notices),
            **self.extra,
        }


def critique_options(kind: str, stage: str | None, account: str) -> Options:
    return Options(kind=kind, account=account, attempt=NUDGE_ATTEMPT if stage == "nudge" else None)


def _advice(kind: str, stage: str | None, facts: Facts) -> list[str]:
    """What the facts say about timing and fit that the message itself cannot."""
    notes: list[str] = []
    for role in ("target", "requester"):
        who = getattr(facts, role)
        if who and len(person(who).full.split()) < 2:
            notes.append(f"--{role} {person(who).full!r} is a first name only: give the full name, then the role")
    days = facts.days_since
    if stage == "nudge":
        if days is not None and days < 4:
            notes.append(f"only {days} day(s) since your message: a first nudge lands better after about a week")
        notes.append("this is your one follow-up: if it gets no reply, let it rest")
    if stage == "reply" and days is not None and days > 1:
        notes.append("thank the connector within a day of the introduction: send this today")
    return notes


SANITY_RULE = "CMP001"


def sanity_finding(text: str, problems: list[str]) -> Finding:
    """The sanity check's verdict as an error finding: a composed message that does not read right."""
    return Finding(
        rule=SANITY_RULE,
        name="composed message does not read right",
        severity="error",
        message="; ".join(problems),
        fix="rewrite the fact it came from as its hint says (coach compose --help), then compose again",
        start=0,
        end=len(text),
        line=1,
        column=1,
        text=text.split("\n", 1)[0],
        evidence="certain",
    )


def compose_offline(
    kind: str, stage: str | None, facts: Facts, settings: Settings | None = None, account: str = "premium"
) -> ComposeOutcome:
    """The message built from the templates, guarded and critiqued.

    The facts are read first (:func:`~coach.compose.reader.read_facts`), which raises
    :class:`~coach.errors.InputError` for a fact it cannot place safely; the message is
    sanity-checked after, and a failed check is an error finding, so it is never 'ready to send'.
    """
    settings = settings or Settings()
    facts, read_notices = read_facts(kind, stage, facts)
    assembled = assemble(kind, stage, facts, account)
    notices = [*read_notices, *_advice(kind, stage, facts), *assembled.notices]
    if assembled.text is None:
        return ComposeOutcome(kind, stage, facts, None, None, notices=notices)
    text = assembled.text
    leaked = unsupported_facts(text, [facts_text(facts)])
    if leaked:  # the templates add no facts; the guard still has the last word
        text = mark_unsupported(text, leaked)
        notices.append(f"marked {len(leaked)} word(s) the facts do not support: {', '.join(f.text for f in leaked)}")
    report = critique_text(text, critique_options(kind, stage, account), settings)
    problems = sanity_problems(text, kind, stage)
    if problems:
        report.findings.append(sanity_finding(text, problems))
        rescore(report, settings.penalties)
    outcome = ComposeOutcome(kind, stage, facts, text, report, draft=text, notices=notices)
    if kind == "connection-note":
        outcome.extra["characters"] = {"count": note_length(text), "limit": NOTE_LIMITS[account]}
    return outcome
