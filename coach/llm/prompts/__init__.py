"""Prompts are the jinja2 templates beside this file (StrictUndefined: a missing value is a bug).

A prompt is composed of the coach's role, the guidance for the draft's kind (that
kind's and the general one, without their example sections), the rule findings,
the writer's notes and the draft, the last two fenced as data.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cache
from typing import Any, get_args

import jinja2

from coach.guidance import readable
from coach.io import templates
from coach.llm.models import Family
from coach.rules.report import Finding, Report
from coach.text.kinds import KIND_FACTS, KIND_SUMMARIES
from coach.text.tidy import shorten

MAX_FINDINGS = 8
# Sections about preparing to write (and the studies behind the numbers, already in the kind's
# facts) do not help judge a draft; leaving them out keeps a critique prompt near 2,000 tokens.
PROMPT_SKIPS = ("examples", "evidence", "know-who-and-why", "research")


def defang(text: str) -> str:
    """``text`` unable to imitate a fence marker (a finding's message may quote the draft)."""
    return text.replace("<<<", "‹<<").replace(">>>", ">>›")


def quote(text: str, width: int = 80) -> str:
    """A finding's span on one line, cut to ``width`` characters, unable to imitate a fence."""
    return shorten(defang(text), width)


@cache
def environment() -> jinja2.Environment:
    return templates.environment("coach.llm", "prompts", {"quote": quote, "defang": defang})


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context).strip()


def fence_for(text: str, label: str = "DRAFT") -> str:
    """A fence marker derived from the text itself: stable for caching, and a draft cannot
    contain its own closing marker without changing the marker."""
    return f"{label}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:12]}"


@cache
def guidance_for(kind: str) -> dict[str, str]:
    return {
        "general_guidance": readable("general", skip=PROMPT_SKIPS).strip(),
        "kind_guidance": readable(kind, skip=PROMPT_SKIPS).strip(),
    }


def _common(kind: str, draft: str, notes: str | None) -> dict[str, Any]:
    notes = (notes or "").strip()
    return {
        "kind": kind,
        "kind_summary": KIND_SUMMARIES[kind],
        "kind_facts": KIND_FACTS[kind],
        "draft": draft,
        "fence": fence_for(draft),
        "notes": notes,
        "notes_fence": fence_for(notes, "NOTES") if notes else "",
        **guidance_for(kind),
    }


def critique_messages(draft: str, report: Report, notes: str | None) -> list[dict[str, str]]:
    """The critique request: the rules' findings and checks, each with its code, for the model to judge."""
    context = _common(report.kind, draft, notes)
    context.update(
        findings=list(report.findings),
        checks=list(report.checks),
        stage=report.stage,
        families=", ".join(get_args(Family)),
        max_findings=MAX_FINDINGS,
    )
    return [
        {"role": "system", "content": render("critique.system.j2", **context)},
        {"role": "user", "content": render("critique.user.j2", **context)},
    ]


def rewrite_messages(draft: str, kind: str, findings: Sequence[Finding], notes: str | None) -> list[dict[str, str]]:
    context = _common(kind, draft, notes)
    context.update(findings=list(findings))
    return [
        {"role": "system", "content": render("rewrite.system.j2", **context)},
        {"role": "user", "content": render("rewrite.user.j2", **context)},
    ]


def repair_message(
    unsupported: Sequence[str],
    problems: Sequence[str],
    claims: Sequence[str] = (),
    artefacts: Sequence[str] = (),
) -> dict[str, str]:
    """The one repair request: invented facts and claims, text copied from the prompt, other problems."""
    context = {
        "unsupported": list(unsupported),
        "claims": list(claims),
        "artefacts": list(artefacts),
        "problems": list(problems),
    }
    return {"role": "user", "content": render("rewrite.repair.j2", **context)}


def estimate_tokens(messages: Sequence[dict[str, str]]) -> int:
    """A tokenizer-free estimate (about four characters a token in English, plus framing)."""
    return sum(len(m["content"]) // 4 + 4 for m in messages)
