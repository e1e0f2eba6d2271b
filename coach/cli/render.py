"""Turn reports into text for people, or JSON, JSON Lines and CSV for programs; write them out."""

from __future__ import annotations

import itertools
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import click

from coach.app.many import Failure
from coach.app.tally import Tally
from coach.io.read import STDIN_NAME

if TYPE_CHECKING:
    from coach.app.rewrite import RewriteOutcome
from coach.rules.report import Report, points_text
from coach.text.tidy import shorten

SEVERITY_COLOURS = {"error": "red", "warning": "yellow", "suggestion": "cyan"}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def draft_name(result: Report | RewriteOutcome) -> str | None:
    """What names a draft in text: a table row's id, else its path (None for a lone stdin draft)."""
    return result.extra.get("id") or result.path


def score_line(report: Report) -> str:
    """``score 62/100, revise (2 warnings -14, 1 essential question -10)``: what each part cost."""
    if report.score is None:
        return "not scored"
    counts = Counter(f.severity for f in report.findings)
    costs: Counter[str] = Counter()
    for item in report.breakdown:
        costs["check" if item.get("check") else item["severity"]] += item["cost"]
    parts = [f"{_plural(counts[sev], sev)} -{costs[sev]}" for sev in ("error", "warning", "suggestion") if counts[sev]]
    essential = sum(c.essential for c in report.checks)
    if essential:
        parts.append(f"{_plural(essential, 'essential question')} -{costs['check']}")
    detail = f" ({', '.join(parts)})" if parts else " (no findings)"
    return f"score {points_text(report.score)}, {report.band}{detail}"


def render_text(report: Report, color: bool = False) -> str:
    """The human report: kind and why, score and what it cost, then each finding."""

    def style(text: str, **kw: Any) -> str:
        return click.style(text, **kw) if color else text

    lines = []
    name = draft_name(report)
    if name:
        lines.append(style(name, bold=True))
    how = f"detected: {report.kind_reason}" if report.kind_detected else report.kind_reason
    lines.append(f"  kind: {report.kind} ({how})")
    if report.stage:
        lines.append(f"  stage: {report.stage} ({report.stage_reason})")
    if report.mode == "llm":
        usage = report.extra.get("usage", {})
        cached = ", from the cache" if usage.get("cached_answers") else ""
        lines.append(
            f"  model: {report.extra.get('model')} ({usage.get('requests', 0)} request(s), "
            f"{usage.get('prompt_tokens', 0)} prompt tokens{cached})"
        )
    if report.extra.get("verdict"):
        lines.append(f"  {style('verdict:', bold=True)} {report.extra['verdict']}")
    lines.append(f"  {style(score_line(report), bold=True)}")
    for f in report.findings:
        sev = style(f"{f.severity:<10}", fg=SEVERITY_COLOURS[f.severity], bold=f.severity == "error")
        where = f"{f.line}:{f.column}"
        if f.source == "llm":
            where += " (mentor)"
        lines.append("")
        quote = style(shorten(f.text, 70, quoted=True), dim=True)
        lines.append(f"  {sev} {style(f.rule, bold=True)} {where:<7} {f.name}  {quote}")
        lines.append(f"             {f.message}")
        lines.append(f"             fix: {f.fix}")
        if f.note:
            lines.append(f"             mentor: {f.note}")
    if report.checks:
        lines.append("")
        lines.append("  questions (coach found nothing that answers them):")
        for c in report.checks:
            cost = next((b["cost"] for b in report.breakdown if b["rule"] == c.rule and b.get("check")), 0)
            tag = f"essential, -{cost}" if c.essential else "optional"
            lines.append(f"  {style(c.rule, bold=True)}  {c.question} ({tag})")
            lines.append(f"             {c.fix}")
    lines += adjudication_lines(report.extra.get("adjudication") or [])
    s = report.stats
    lines.append("")
    counts = (_plural(s.words, "word"), _plural(s.sentences, "sentence"), _plural(s.questions, "question"))
    lines.append(f"  {', '.join(counts)}, {_plural(s.characters, 'character')}, reading grade {s.reading_grade}")
    strengths = report.extra.get("strengths")
    if strengths:
        lines.append(f"  strengths: {'; '.join(strengths)}")
    for notice in report.notices:
        lines.append(f"  note: {notice}")
    return "\n".join(lines)


def adjudication_lines(decisions: list[dict[str, Any]]) -> list[str]:
    """What the model cleared or disputed (it left the score), and the decisions coach did not apply."""
    lines: list[str] = []
    for d in decisions:
        quote = f" ({shorten(d['quote'], 70, quoted=True)})" if d.get("quote") else ""
        if d["applied"] and d["verdict"] == "clear":
            lines.append(f"  cleared by the model: {d['code']} {d['reason']}{quote}")
        elif d["applied"] and d["verdict"] == "dispute":
            lines.append(f"  disputed by the model: {d['code']} {d['reason']}")
        elif not d["applied"]:
            lines.append(f"  not applied: the model's {d['verdict']} of {d['code']}: {d['why_not']}")
    return ["", *lines] if lines else []


def csv_lines(header: list[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """A CSV table a line at a time (each ending in a newline), header first."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in itertools.chain([header], rows):
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


CSV_HEADER = ["draft", "kind", "score", "errors", "warnings", "suggestions", "rules", "mode", "error"]


def csv_row(r: Report | Failure) -> list[Any]:
    if isinstance(r, Failure):
        return [r.draft.label, "", "", "", "", "", "", "", r.message]
    count = {sev: sum(1 for f in r.findings if f.severity == sev) for sev in ("error", "warning", "suggestion")}
    label = draft_name(r) or STDIN_NAME
    rules = " ".join(dict.fromkeys(f.rule for f in r.findings))
    score = "" if r.score is None else r.score
    return [label, r.kind, score, count["error"], count["warning"], count["suggestion"], rules, r.mode, ""]


def failure_line(failure: Failure) -> str:
    """``label: error: what went wrong``, the label said once (the message often starts with it)."""
    label = failure.draft.label
    message = failure.message
    for prefix in dict.fromkeys((label, failure.draft.path or "")):
        if prefix and message.startswith(f"{prefix}: "):
            message = message[len(prefix) + 2 :]
            break
    return f"{label}: error: {message}"


def report_chunks(results: Iterable[Report | Failure], fmt: str, single: bool, colour: bool = False) -> Iterator[str]:
    """Critique reports in ``fmt`` (text, json, jsonl or csv), in pieces made as each result
    comes; json is one object when ``single`` (see :func:`json_chunks`)."""
    if fmt == "csv":
        yield from csv_lines(CSV_HEADER, (csv_row(r) for r in results))
    elif fmt in ("json", "jsonl"):
        yield from json_chunks((r.to_dict() for r in results), fmt, single)
    else:
        blocks = (failure_line(r) if isinstance(r, Failure) else render_text(r, colour) for r in results)
        yield from joined(blocks, "\n\n")


def joined(pieces: Iterable[str], separator: str) -> Iterator[str]:
    """``separator.join(pieces)``, in pieces."""
    for i, piece in enumerate(pieces):
        yield piece if i == 0 else separator + piece


def _counted_words(counts: Counter[str], order: Sequence[str] = ()) -> str:
    ranked = [
        *(k for k in order if counts[k]),
        *sorted((k for k in counts if k not in order), key=lambda k: (-counts[k], k)),
    ]
    return ", ".join(f"{counts[k]} {k}" for k in ranked)


def batch_summary(tally: Tally) -> str:
    """The line that ends a batch on stderr: drafts by band and by kind, and how many failed.

    ``coach: 49 drafts: 12 ready to send, 30 revise, 5 rework, 2 not scored; by kind: 30
    cold-email, 19 connection-note; 0 errors``"""
    from coach.rules.report import BANDS

    parts = [_plural(tally.total, "draft")]
    if tally.reports:
        parts[0] += f": {_counted_words(tally.bands, [name for _, name, _ in BANDS] + ['not scored'])}"
        parts.append(f"by kind: {_counted_words(tally.kinds)}")
    parts.append(_plural(tally.failed, "error"))
    return "coach: " + "; ".join(parts)


def json_chunks(dicts: Iterable[dict[str, Any]], fmt: str, single: bool) -> Iterator[str]:
    """``jsonl``: one object a line. ``json``: one object when ``single`` (one FILE or stdin),
    else an array, whatever its length: the shape depends on the command line, never on the
    count. In pieces, one an object, made as each object comes."""
    import json

    if fmt == "jsonl":
        yield from joined((json.dumps(d, ensure_ascii=False) for d in dicts), "\n")
    elif single:
        yield json.dumps(next(iter(dicts)), indent=2, ensure_ascii=False)
    else:
        # Exactly json.dumps(list, indent=2), an item at a time.
        empty = True
        for d in dicts:
            item = json.dumps(d, indent=2, ensure_ascii=False).replace("\n", "\n  ")
            yield ("[\n  " if empty else ",\n  ") + item
            empty = False
        yield "[]" if empty else "\n]"


def write_output(text: str | Iterable[str], output_path: str | None, colour: bool | None = None) -> None:
    """To stdout, or to ``output_path`` atomically (an existing file is kept as a backup).

    ``text`` may come in pieces, written as they come, so a long run's output is never held
    whole; the output ends with one newline. ``colour`` True keeps the styles even when stdout
    is not a terminal (``--color always``)."""
    pieces = [text] if isinstance(text, str) else text
    last = ""
    if output_path is None:
        for piece in pieces:
            if piece:
                click.echo(piece, nl=False, color=colour)
                last = piece
        if not last.endswith("\n"):
            click.echo("", color=colour)
        return
    from coach.io.files import StreamedFile

    existed = os.path.exists(output_path)
    with StreamedFile(output_path, backup=existed) as handle:
        for piece in pieces:
            if piece:
                handle.write(piece)
                last = piece
        if not last.endswith("\n"):
            handle.write("\n")
    if handle.backup is not None:
        click.echo(f"coach: notice: wrote {output_path} (the previous file is in {handle.backup})", err=True)
