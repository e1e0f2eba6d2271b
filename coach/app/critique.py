"""The model's critique: asked once, grounded on the draft, merged with the rules' report."""

from __future__ import annotations

from typing import Any

from coach.llm.grounding import ground
from coach.llm.models import CritiqueAnswer
from coach.llm.prompts import critique_messages, estimate_tokens
from coach.llm.transport import ChatClient, Usage
from coach.rules.engine import Options, rescore
from coach.rules.report import Report
from coach.rules.schema import SEVERITY_RANK
from coach.text.parse import parse


def llm_critique(
    report: Report,
    text: str,
    client: ChatClient,
    options: Options,
    notes: str | None = None,
    penalties: dict[str, int] | None = None,
) -> Report:
    """``report`` (the rules' report on ``text``) deepened by the model. Raises LLMError."""
    messages = critique_messages(text, report.kind, report.hits, notes)
    usage = Usage()
    answer = client.ask(messages, CritiqueAnswer, usage=usage)
    return merge_answer(report, text, answer, options, penalties, client.settings.model, usage, messages)


def merge_answer(
    report: Report,
    text: str,
    answer: CritiqueAnswer,
    options: Options,
    penalties: dict[str, int] | None,
    model: str,
    usage: Usage,
    messages: list[dict[str, Any]],
) -> Report:
    """Ground the model's findings on ``text`` and merge them into ``report`` (also used for
    answers that come back from the Batch API)."""
    floor = SEVERITY_RANK[options.min_severity or "suggestion"]
    wanted = [f for f in answer.findings if SEVERITY_RANK[f.severity] >= floor]
    grounded = ground(parse(text), report.findings, wanted)
    ignored = [s.upper() for s in options.ignore if s.upper().startswith("LLM")]
    report.findings = [f for f in grounded.findings if not any(f.rule.startswith(s) for s in ignored)]
    rescore(report, penalties)
    report.mode = "llm"
    report.extra.update(
        model=model,
        usage=usage.as_dict(),
        prompt_tokens_estimate=estimate_tokens(messages),
        dropped_ungrounded=grounded.dropped,
        strengths=list(answer.strengths),
    )
    return report
