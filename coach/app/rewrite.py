"""A better version of the draft that keeps the writer's facts and voice.

With a model: one request, then the guard (no names, numbers, dates, links or
credentials the writer did not give, no experience, detail about the reader, result or
credential in plain words they never claimed, nothing copied from coach's own prompt) and a
re-check by the rules; at most one repair request when any of them objects; whatever is
still unsupported becomes an ``[ASK: ...]`` marker. The model's version is used only when
it is clean and better: scored like the offline rewrite (markers to fill, so an unsupported
span never earns a point) on the adjudicated critique, it must beat the draft on what it was
asked to fix and add no error; otherwise the offline rewrite is returned, with one line
saying why. Without a model: the rules' own fixes, applied
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

import copy
import re
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from coach.guard import Fact, mark_unsupported, prompt_artefacts, unsupported_facts, unsupported_spans
from coach.rules.actions import answered_rules, fill_markers, rewrite_offline
from coach.rules.config import Settings
from coach.rules.engine import Options, critique_text, rescore
from coach.rules.report import Finding, Report, points_text
from coach.text.parse import parse
from coach.text.tidy import count_markers, fold

if TYPE_CHECKING:
    from coach.llm.transport import ChatClient

KINDS_WITH_SUBJECT = ("cold-email", "connector-intro", "intro-request")
REJECTED = "the model's version was not used"


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
    """Errors of ``after`` (a report with its markers filled) whose rule did not err in ``before``."""
    old = {f.rule for f in before.findings if f.severity == "error"}
    return [f for f in after.findings if f.severity == "error" and f.rule not in old]


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


def _flat(text: str) -> str:
    return " ".join(fold(text).lower().split())


def _adjudicated(report: Report, text: str, judged: Report | None, draft: Report, settings: Settings) -> Report:
    """``report`` (the rules' report on ``text``) with the model's applied decisions on the draft
    carried over where they still hold: a clearance whose quote ``text`` still has, a dispute of a
    finding on the same words. So the draft and its rewrite are scored on the same terms."""
    if judged is None:
        return report
    from coach.llm.grounding import locate

    for item in judged.extra.get("adjudication") or []:
        if not item.get("applied"):
            continue
        code = item["code"]
        if item["verdict"] == "clear" and item.get("quote") and locate(item["quote"], text) is not None:
            report.checks = [c for c in report.checks if c.rule != code]
        elif item["verdict"] == "dispute":
            disputed = {_flat(f.text) for f in draft.findings if f.rule == code}
            report.findings = [f for f in report.findings if f.rule != code or _flat(f.text) not in disputed]
    rescore(report, settings.penalties)
    return report


@dataclass
class _Attempt:
    """One answer of the model: composed, checked by the guard, marked and scored."""

    answer: Any
    composed: str  # the model's text as a message
    spans: list[Fact]  # what it states that the sources do not give (facts and claims)
    artefacts: list[str]  # what it copied from the prompt
    text: str  # the composed text with the spans marked
    after: Report  # scored with its markers to fill, on the adjudicated terms
    why_not: str | None  # why it cannot be used, or None

    @property
    def key(self) -> tuple[bool, bool, int, int]:
        """How to choose between the first answer and the repair: clean, usable, score, fewer inventions."""
        return (not self.artefacts, self.why_not is None, _points(self.after), -len(self.spans))


def _why_not_used(after: Report, baseline: Report, artefacts: list[str], require_gain: bool) -> str | None:
    """One line on why a model's version cannot replace the draft, or None when it can."""
    if artefacts:
        return f"it holds text from coach's own prompt ({artefacts[0]})"
    added = _new_errors(baseline, after)
    if added:
        return f"it breaks {added[0].rule} ({added[0].name})"
    if _points(after) < _points(baseline):
        return f"it scores {points_text(after.score)}, below your draft's {points_text(baseline.score)}"
    if require_gain and _points(after) == _points(baseline):
        still = {h.rule for h in after.hits}
        if all(h.rule in still for h in baseline.hits):
            return f"it fixes none of what your draft needs ({points_text(after.score)} either way)"
    return None


def _problems(attempt: _Attempt) -> list[str]:
    """What the repair request must fix, besides the unsupported spans and the artefacts."""
    if attempt.why_not is None or attempt.artefacts:
        return []
    return [f"{attempt.why_not[0].upper()}{attempt.why_not[1:]}: keep what worked and fix the problems listed."]


def llm_rewrite(
    text: str,
    options: Options,
    settings: Settings,
    client: ChatClient,
    notes: str | None = None,
    path: str | None = None,
    judged: Report | None = None,
    before: Report | None = None,
    *,
    require_gain: bool = True,
    fallback: Literal["offline", "draft"] = "offline",
) -> RewriteOutcome:
    """The model's rewrite under the guard; raises LLMError when the model cannot be used.

    ``judged`` is the model's adjudicated critique of the draft: the rewrite is asked to fix
    what it confirmed, not what it cleared or disputed, and both texts are scored with its
    applied decisions. A version that is not clean, adds an error, scores lower or (with
    ``require_gain``) fixes nothing is not used: ``fallback`` says what comes back instead,
    the offline rewrite or the draft as it is, with one notice saying why."""
    from coach.llm.models import RewriteAnswer
    from coach.llm.prompts import estimate_tokens, repair_message, rewrite_messages
    from coach.llm.transport import Usage

    if before is None:  # the rules' report on the draft, unless the caller already has it
        before = critique_text(text, options, settings, path=path)
    kind = before.kind
    sources = [text, notes or ""]
    baseline = _adjudicated(copy.deepcopy(before), text, judged, before, settings)
    usage = Usage()
    messages = rewrite_messages(text, kind, (judged or before).hits, notes)
    prompt = [m["content"] for m in messages]

    def attempt(answer: Any) -> _Attempt:
        composed = _compose(answer, text, kind)
        artefacts = prompt_artefacts(composed, prompt, sources, answer.changes)
        spans = unsupported_spans(composed, sources)
        marked = mark_unsupported(composed, spans) if spans else composed
        after = _adjudicated(filled_report(marked, kind, options, settings, path), marked, judged, before, settings)
        why_not = _why_not_used(after, baseline, artefacts, require_gain)
        return _Attempt(answer, composed, spans, artefacts, marked, after, why_not)

    answer = client.ask(messages, RewriteAnswer, usage=usage)
    chosen = attempt(answer)
    repaired = False
    if chosen.spans or chosen.artefacts or chosen.why_not:
        repaired = True
        follow_up = [
            *messages,
            {"role": "assistant", "content": answer.model_dump_json()},
            repair_message(
                [f.text for f in chosen.spans if f.kind != "claim"],
                _problems(chosen),
                claims=[f.text for f in chosen.spans if f.kind == "claim"],
                artefacts=chosen.artefacts,
            ),
        ]
        second = attempt(client.ask(follow_up, RewriteAnswer, usage=usage))
        if second.key >= chosen.key:
            chosen = second
    unsupported = [f.text for f in chosen.spans]
    guard = {
        "repairs": int(repaired),
        "unsupported": unsupported,
        "unsupported_claims": [f.text for f in chosen.spans if f.kind == "claim"],
        "artefacts": chosen.artefacts,
        "markers": len(chosen.spans),
        "fallback": chosen.why_not,
    }
    extra = {
        "model": client.settings.model,
        "usage": usage.as_dict(),
        "prompt_tokens_estimate": estimate_tokens(messages),
        "repaired": repaired,
        "guard": guard,
        **_judgement(judged),
    }
    if chosen.why_not is not None:
        return _fallback(text, options, settings, path, baseline, chosen, fallback, extra)
    changes = [c.strip() for c in chosen.answer.changes if c.strip()]
    if chosen.spans:
        changes.append(f"replaced {len(chosen.spans)} unsupported fact(s) or claim(s) with [ASK: ...] markers")
    outcome = RewriteOutcome(
        path=path,
        kind=kind,
        original=text,
        rewrite=chosen.text,
        changes=changes,
        before=baseline,
        after=chosen.after,
        unsupported_facts=unsupported,
        mode="llm",
        extra=extra,
    )
    _verdict(outcome)
    return outcome


def _fallback(
    text: str,
    options: Options,
    settings: Settings,
    path: str | None,
    baseline: Report,
    rejected: _Attempt,
    fallback: Literal["offline", "draft"],
    extra: dict[str, Any],
) -> RewriteOutcome:
    """What comes back when the model's version is not used: the offline rewrite, or the draft."""
    if fallback == "offline":
        outcome = offline_rewrite(text, options, settings, path=path)
        outcome.notices.insert(0, f"{REJECTED}: {rejected.why_not}; this is the rules-only rewrite")
    else:  # the caller says what it shows instead
        outcome = RewriteOutcome(path, baseline.kind, text, text, [], baseline, baseline, [], "rules")
    outcome.unsupported_facts = [f.text for f in rejected.spans]
    outcome.extra.update(extra)
    return outcome
