"""Turn reports into text for people or JSON for programs. No printing here."""

from __future__ import annotations

from collections import Counter
from typing import Any

import click

from coach.report import Report

SEVERITY_COLOURS = {"error": "red", "warning": "yellow", "suggestion": "cyan"}


def _quote(text: str, width: int = 70) -> str:
    flat = " ".join(text.split())
    return f'"{flat}"' if len(flat) <= width else f'"{flat[: width - 1]}…"'


def score_line(report: Report) -> str:
    counts = Counter(f.severity for f in report.findings)
    costs = Counter()
    for item in report.breakdown:
        costs[item["severity"]] += item["cost"]
    parts = [
        f"{counts[sev]} {sev}{'s' if counts[sev] != 1 else ''} -{costs[sev]}"
        for sev in ("error", "warning", "suggestion")
        if counts[sev]
    ]
    detail = f" ({', '.join(parts)})" if parts else " (no findings)"
    return f"score {report.score}/100{detail}"


def render_text(report: Report, color: bool = False) -> str:
    """The human report: kind and why, score and what it cost, then each finding."""

    def style(text: str, **kw: Any) -> str:
        return click.style(text, **kw) if color else text

    lines = []
    if report.path:
        lines.append(style(report.path, bold=True))
    how = f"detected: {report.kind_reason}" if report.kind_detected else report.kind_reason
    lines.append(f"  kind: {report.kind} ({how})")
    if report.mode == "llm":
        usage = report.extra.get("usage", {})
        cached = ", from the cache" if usage.get("cached_answers") else ""
        lines.append(
            f"  model: {report.extra.get('model')} ({usage.get('requests', 0)} request(s), "
            f"{usage.get('prompt_tokens', 0)} prompt tokens{cached})"
        )
    lines.append(f"  {style(score_line(report), bold=True)}")
    for f in report.findings:
        sev = style(f"{f.severity:<10}", fg=SEVERITY_COLOURS[f.severity], bold=f.severity == "error")
        where = f"{f.line}:{f.column}"
        if f.source == "llm":
            where += " (mentor)"
        lines.append("")
        lines.append(f"  {sev} {style(f.rule, bold=True)} {where:<7} {f.name}  {style(_quote(f.text), dim=True)}")
        lines.append(f"             {f.message}")
        lines.append(f"             fix: {f.fix}")
        if f.note:
            lines.append(f"             mentor: {f.note}")
    s = report.stats
    lines.append("")
    lines.append(
        f"  {s.words} words, {s.sentences} sentences, {s.questions} question"
        f"{'s' if s.questions != 1 else ''}, {s.characters} characters, reading grade {s.reading_grade}"
    )
    strengths = report.extra.get("strengths")
    if strengths:
        lines.append(f"  strengths: {'; '.join(strengths)}")
    for notice in report.notices:
        lines.append(f"  note: {notice}")
    return "\n".join(lines)
