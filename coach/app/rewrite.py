"""A better version of the draft that keeps the writer's facts and voice.

With a model: one request, then the guard (no names, numbers, dates, links or
credentials the writer did not give) and a re-check by the rules; at most one
repair request when either objects; whatever is still unsupported becomes an
``[ASK: ...]`` marker. Without a model: the rules' own fixes, applied
deterministically (see :mod:`coach.rules.actions`): the safe ones (cuts of filler,
stock lines, guilt lines, pitches, a note cut to its limit) and ``[ASK: ...]`` markers
for what only the writer knows. Either way the result is critiqued again, and a rewrite
that scores lower than the draft is never handed back without saying so.

The offline rewrite is scored as it will be sent, once its markers are filled: each
marker is read as a short answer, and the rules whose question it answers no longer
count; the markers are reported as "to fill: N" rather than as unfilled placeholders. It
never scores below its draft: when its markers would not pay for themselves it keeps
only the safe fixes, and when even those would not, the draft as it was.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any

from coach.guard import mark_unsupported, unsupported_facts
from coach.rules.actions import answered_rules, fill_markers, rewrite_offline
from coach.rules.config import Settings
from coach.rules.engine import Options, critique_text, rescore
from coach.rules.report import Finding, Report, points_text
from coach.text.parse import parse
from coach.text.tidy import count_markers

if TYPE_CHECKING:
    from coach.llm.transport import ChatClient

KINDS_WITH_SUBJECT = ("cold-email", "connector-intro", "intro-request")


@dataclass
class RewriteOutcome:
    path: str | None
    kind: str
    original: str
    rewrite: str
    changes: list[str]
    before: Report
    after: Report
    unsupported_facts: list[str]
    mode: str
    notices: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def markers(self) -> int:
        return count_markers(self.rewrite)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "kind": self.kind,
            "mode": self.mode,
            "original": self.original,
            "rewrite": self.rewrite,
            "changes": list(self.changes),
            "score_before": self.before.score,
            "score_after": self.after.score,
            "to_fill": self.markers,
            "findings_after": [asdict(f) for f in self.after.findings],
            "checks_after": [asdict(c) for c in self.after.checks],
            "unsupported_facts": list(self.unsupported_facts),
            "ask_markers": self.markers,
            "notices": list(self.notices),
            **self.extra,
        }


def _judgement(judged: Report | None) -> dict[str, Any]:
    """The model's verdict and adjudication of the draft, when the rewrite started from them."""
    if judged is None:
        return {}
    return {"verdict": judged.extra.get("verdict"), "adjudication": judged.extra.get("adjudication")}


def _points(report: Report) -> int:
    """A score to compare rewrites by; a draft coach cannot score (not English) counts as 0."""
    return report.score if report.score is not None else 0


def _recheck(text: str, kind: str, options: Options, settings: Settings) -> Report:
    return critique_text(text, replace(options, kind=kind), settings)


def _new_errors(before: Report, after: Report) -> list[Finding]:
    old = {f.rule for f in before.findings if f.severity == "error"}
    return [f for f in after.findings if f.severity == "error" and f.rule not in old and f.rule != "HYG001"]


def _verdict(outcome: RewriteOutcome) -> None:
    """Say plainly when the rewrite is not an improvement, and what is left to fill in."""
    if _points(outcome.after) < _points(outcome.before):
        outcome.notices.append(
            f"the rewrite scores lower than your draft ({points_text(outcome.after.score)} < "
            f"{points_text(outcome.before.score)}): "
            "review it before using it"
        )
    if outcome.markers:
        outcome.notices.append(f"fill in the {outcome.markers} [ASK: ...] marker(s) before sending")


def _unfill(found: Finding, spans: list[tuple[int, int, int, int]], draft: Any) -> Finding:
    """A finding on the filled-in text, moved back onto the rewrite with its markers."""

    def back(pos: int, end: bool) -> int:
        shift = 0
        for start, stop, fill_start, fill_end in spans:
            if pos < fill_start or (pos == fill_start and not end):
                break
            if pos < fill_end or (pos == fill_end and end):
                return stop if end else start
            shift = stop - fill_end
        return pos + shift

    start, end = back(found.start, False), back(found.end, True)
    line, column = draft.line_col(start)
    return replace(found, start=start, end=end, line=line, column=column, text=draft.text[start:end])


def filled_report(text: str, kind: str, options: Options, settings: Settings, path: str | None = None) -> Report:
    """The critique of ``text`` as it will be sent once its ``[ASK: ...]`` markers are filled.

    Each marker is read as a short answer; the rules whose question a marker answers are
    settled, and the markers are counted in ``extra["to_fill"]`` instead of scored as
    placeholders. Offsets are the rewrite's own."""
    filled, spans = fill_markers(text)
    report = _recheck(filled, kind, options, settings)
    answered = answered_rules(text)
    draft = parse(text)
    report.findings = [_unfill(f, spans, draft) for f in report.findings if f.rule not in answered]
    report.checks = [_unfill(c, spans, draft) for c in report.checks if c.rule not in answered]  # type: ignore[misc]
    report.path = path
    rescore(report, settings.penalties)
    report.extra["to_fill"] = len(spans)
    return report


def offline_rewrite(text: str, options: Options, settings: Settings, path: str | None = None) -> RewriteOutcome:
    """The rules' fixes applied to the draft: deterministic, and it invents nothing.

    The rewrite is scored with its markers filled. If that is below the draft, the safe
    fixes alone are tried, and if those are below it too the draft is handed back as it was."""
    before = critique_text(text, options, settings, path=path)
    notices: list[str] = []
    rewrite, changes, after, unsupported = text, [], before, []
    for writer in (True, False):
        # Options as given: a kind that was only guessed, unsure, adds no one-kind markers.
        fixed = rewrite_offline(text, options, settings, writer=writer)
        candidate = fixed.text
        leaked = unsupported_facts(candidate, [text])
        if leaked:  # cannot happen by construction; the guard still has the last word
            candidate = mark_unsupported(candidate, leaked)
        scored = filled_report(candidate, before.kind, options, settings, path)
        if _points(scored) >= _points(before):
            rewrite, changes, after, unsupported = candidate, fixed.changes, scored, [f.text for f in leaked]
            if not writer:
                notices.append("the writer's markers would not raise the score: only the safe fixes were applied")
            break
    else:
        after = filled_report(text, before.kind, options, settings, path)
        notices.append("no offline fix raised the score: the draft is unchanged")
    outcome = RewriteOutcome(
        path=path,
        kind=before.kind,
        original=text,
        rewrite=rewrite,
        changes=changes,
        before=before,
        after=after,
        unsupported_facts=unsupported,
        mode="rules",
        notices=notices,
    )
    _verdict(outcome)
    return outcome


def _compose(answer: Any, text: str, kind: str) -> str:
    """The model's answer as a message: its subject on top when the kind (or the draft) has one."""
    body = answer.text.strip()
    subject = (answer.subject or "").strip()
    if subject.lower().startswith("subject:"):
        subject = subject.split(":", 1)[1].strip()
    had_subject = bool(re.match(r"(?i)\s*subj(?:ect)?\s*:", text))
    if subject and (had_subject or kind in KINDS_WITH_SUBJECT) and not body.lower().startswith("subject:"):
        body = f"Subject: {subject}\n\n{body}"
    if "\r\n" in text:
        body = body.replace("\r\n", "\n").replace("\n", "\r\n")
    return body


def llm_rewrite(
    text: str,
    options: Options,
    settings: Settings,
    client: ChatClient,
    notes: str | None = None,
    path: str | None = None,
    judged: Report | None = None,
    before: Report | None = None,
) -> RewriteOutcome:
    """The model's rewrite under the guard; raises LLMError when the model cannot be used.

    ``judged`` is the model's adjudicated critique of the draft: the rewrite is asked to fix
    what it confirmed, not what it cleared or disputed. Scores compare the rules' reports."""
    from coach.llm.models import RewriteAnswer
    from coach.llm.prompts import estimate_tokens, repair_message, rewrite_messages
    from coach.llm.transport import Usage

    if before is None:  # the rules' report on the draft, unless the caller already has it
        before = critique_text(text, options, settings, path=path)
    sources = [text, notes or ""]
    usage = Usage()
    messages = rewrite_messages(text, before.kind, (judged or before).hits, notes)
    answer = client.ask(messages, RewriteAnswer, usage=usage)
    candidate = _compose(answer, text, before.kind)
    facts = unsupported_facts(candidate, sources)
    after = _recheck(candidate, before.kind, options, settings)
    problems = (
        [f"It scores {points_text(after.score)}, below the draft's {points_text(before.score)}: keep what worked."]
        if _points(after) < _points(before)
        else []
    )
    problems += [f"It adds a problem: {f.message}" for f in _new_errors(before, after)]
    changes = [c.strip() for c in answer.changes if c.strip()]
    repaired = False
    if facts or problems:
        repaired = True
        follow_up = [
            *messages,
            {"role": "assistant", "content": answer.model_dump_json()},
            repair_message([f.text for f in facts], problems),
        ]
        second = client.ask(follow_up, RewriteAnswer, usage=usage)
        second_candidate = _compose(second, text, before.kind)
        second_facts = unsupported_facts(second_candidate, sources)
        second_after = _recheck(second_candidate, before.kind, options, settings)
        if (_points(second_after), -len(second_facts)) >= (_points(after), -len(facts)):
            candidate, facts, after = second_candidate, second_facts, second_after
            changes = [c.strip() for c in second.changes if c.strip()]
    unsupported = [f.text for f in facts]
    if facts:
        candidate = mark_unsupported(candidate, facts)
        after = _recheck(candidate, before.kind, options, settings)
        changes.append(f"replaced {len(facts)} unsupported fact(s) with [ASK: ...] markers")
    outcome = RewriteOutcome(
        path=path,
        kind=before.kind,
        original=text,
        rewrite=candidate,
        changes=changes,
        before=before,
        after=after,
        unsupported_facts=unsupported,
        mode="llm",
        extra={
            "model": client.settings.model,
            "usage": usage.as_dict(),
            "prompt_tokens_estimate": estimate_tokens(messages),
            "repaired": repaired,
            **_judgement(judged),
        },
    )
    _verdict(outcome)
    return outcome
