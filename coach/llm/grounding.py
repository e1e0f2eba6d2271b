"""Ground the model's findings on exact spans of the draft, and merge them with the rules'.

A model finding must quote the draft. The quote is found whitespace-, case- and
typography-insensitively ("it's" matches "it’s", a line break matches a space);
a finding whose quote is not in the draft is dropped and counted. A model
finding on (mostly) the same span as a rule finding is merged into it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from coach.llm.models import MentorFinding
from coach.rules.report import Finding
from coach.text.measures import Span
from coach.text.parse import Draft
from coach.text.tidy import fold

_TRIM = " \t\r\n\"'“”‘’.,;:…"


def _normalise(text: str) -> tuple[str, list[int]]:
    """Folded, lower-cased text with whitespace runs collapsed, and the original offset of each char."""
    out: list[str] = []
    where: list[int] = []
    previous_space = True
    for i, ch in enumerate(fold(text)):
        if ch.isspace():
            if not previous_space:
                out.append(" ")
                where.append(i)
            previous_space = True
            continue
        low = ch.lower()
        out.append(low if len(low) == 1 else ch)
        where.append(i)
        previous_space = False
    return "".join(out), where


def locate(quote: str, text: str) -> Span | None:
    """Where ``quote`` occurs in ``text``, ignoring whitespace, case and curly quotes."""
    wanted, _ = _normalise(quote.strip().strip(_TRIM).removesuffix("...").strip(_TRIM))
    if len(wanted) < 2:
        return None
    haystack, where = _normalise(text)
    at = haystack.find(wanted)
    if at == -1:
        return None
    return Span(where[at], where[at + len(wanted) - 1] + 1)


@dataclass
class Grounded:
    findings: list[Finding]  # the rule findings, with model findings merged in or added
    dropped: int  # model findings whose quote was not in the draft


def _overlap(a: Span, b: Span) -> float:
    shared = min(a.end, b.end) - max(a.start, b.start)
    shortest = min(len(a), len(b)) or 1
    return max(0, shared) / shortest


def ground(draft: Draft, rule_findings: Sequence[Finding], answers: Sequence[MentorFinding]) -> Grounded:
    merged = list(rule_findings)
    dropped = 0
    for answer in answers:
        span = locate(answer.quote, draft.text)
        if span is None:
            dropped += 1
            continue
        twin = next(
            (
                f
                for f in merged
                if f.source == "rules"
                and _overlap(Span(f.start, f.end), span) >= 0.5
                and (answer.family is None or f.rule.startswith(answer.family))
            ),
            None,
        )
        if twin is not None:
            twin.note = answer.problem if twin.note is None else twin.note
            continue
        line, column = draft.line_col(span.start)
        merged.append(
            Finding(
                rule=f"LLM-{answer.family}" if answer.family else "LLM",
                name="mentor-note",
                severity=answer.severity,
                message=answer.problem.strip(),
                fix=answer.suggestion.strip(),
                start=span.start,
                end=span.end,
                line=line,
                column=column,
                text=draft.text[span.start : span.end],
                source="llm",
            )
        )
    merged.sort(key=Finding.sort_key)
    return Grounded(merged, dropped)
