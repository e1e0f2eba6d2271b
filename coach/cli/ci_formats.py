"""Critique reports for CI: GitHub workflow commands (``--format github``) and SARIF 2.1.0 (``--format sarif``).

Both annotate each finding at its place in its file, and each *essential* check too (a
question the guidance makes essential for the kind: it costs points and counts towards
the exit code); optional checks cost nothing and are left out. A finding or essential
check is annotated at its severity: error as an error, warning as a warning, suggestion
as a notice (SARIF: ``note``). A draft with no file (stdin, a table row) is annotated
without a file: GitHub shows such annotations on the run, SARIF names it as a logical
location.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Sequence
from typing import Any
from urllib.parse import quote

from coach import __version__
from coach.app.many import Failure
from coach.cli.render import draft_name
from coach.io.read import STDIN_NAME
from coach.rules.catalogue import Rule, rules_by_code
from coach.rules.report import Check, Finding, Report

GITHUB_LEVELS = {"error": "error", "warning": "warning", "suggestion": "notice"}
SARIF_LEVELS = {"error": "error", "warning": "warning", "suggestion": "note"}
SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


def render_ci(results: Iterable[Report | Failure], fmt: str) -> Iterator[str]:
    """``results`` in ``fmt``, in pieces: ``github`` line by line as the results come; ``sarif``
    is one JSON document whose rule table comes first, so it is made once every result is in."""
    if fmt == "github":
        first = True
        for result in results:
            for line in github_result_lines(result):
                yield line if first else "\n" + line
                first = False
        return
    if fmt == "sarif":
        yield render_sarif(list(results))
        return
    raise ValueError(f"not a CI format: {fmt!r}")


def annotated(report: Report) -> list[Finding]:
    """What a CI format annotates: the findings, then the essential checks."""
    return [*report.findings, *(c for c in report.checks if c.essential)]


def end_of(finding: Finding) -> tuple[int, int]:
    """The line and column just past the finding's text (1-based, as ``line``/``column``)."""
    newlines = finding.text.count("\n")
    if not newlines:
        return finding.line, finding.column + len(finding.text)
    return finding.line + newlines, len(finding.text.rsplit("\n", 1)[1]) + 1


def file_of(report: Report) -> str | None:
    """The draft's file as a relative path with ``/``; None for stdin or a table row."""
    if report.extra.get("id") is not None or report.path in (None, "", STDIN_NAME):
        return None
    return _relative(report.path)


def _relative(path: str) -> str:
    """``path`` relative to the current folder (the checkout) when it lies inside it, with ``/``."""
    if os.path.isabs(path):
        here = os.getcwd()
        try:
            if os.path.commonpath([here, path]) == here:
                path = os.path.relpath(path, here)
        except ValueError:  # another drive on Windows: keep it absolute
            pass
    return path.replace(os.sep, "/")


def _uri(path: str) -> str:
    """A SARIF artifact URI: relative (to the checkout) where possible, else a ``file:`` URI."""
    if os.path.isabs(path):
        from pathlib import Path

        return Path(path).as_uri()
    return quote(path)


def _label(report: Report) -> str:
    return str(draft_name(report) or STDIN_NAME)


def _says(finding: Finding) -> str:
    """The message of a finding, or for a check its question and why it was asked."""
    if isinstance(finding, Check):
        return f"{finding.question} (essential for this kind; coach found nothing that answers it) {finding.message}"
    return finding.message


# GitHub workflow commands ------------------------------------------------------------


def escape_data(text: str) -> str:
    """A workflow command's message: ``%``, CR and LF percent-encoded."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value: as a message, and ``:`` and ``,`` too."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(level: str, message: str, **properties: object) -> str:
    """``::LEVEL key=value,...::message`` with every part escaped; None-valued properties left out."""
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items() if value is not None)
    return f"::{level}{' ' + props if props else ''}::{escape_data(message)}"


def github_lines(report: Report) -> list[str]:
    from coach.cli.render import score_line

    path = file_of(report)
    lines = [f"coach: {_label(report)}: {report.kind}, {score_line(report)}"]
    for f in annotated(report):
        end_line, end_column = end_of(f)
        where = {"file": path, "line": f.line, "endLine": end_line}
        if end_line == f.line:  # GitHub takes columns only on a one-line annotation
            where.update(col=f.column, endColumn=end_column)
        prefix = "" if path is not None else f"{_label(report)}:{f.line}:{f.column}: "
        message = f"{prefix}{_says(f)}\nfix: {f.fix}"
        title = f"{f.rule} {f.name}" + (" (essential question)" if isinstance(f, Check) else "")
        lines.append(workflow_command(GITHUB_LEVELS[f.severity], message, **where, title=title))
    return lines


def github_result_lines(r: Report | Failure) -> list[str]:
    """One workflow command a finding or essential check, after a plain line with the draft's score."""
    if isinstance(r, Failure):
        path = r.draft.path if r.draft.path not in (None, STDIN_NAME) and r.draft.id is None else None
        return [workflow_command("error", r.message, file=path and _relative(path), title="coach")]
    return github_lines(r)


# SARIF 2.1.0 ---------------------------------------------------------------------------


def _summary(rule: Rule) -> str:
    import re

    return rule.question if rule.is_check else re.sub(r"\{[a-z_]+\}", "…", rule.message)


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    """A SARIF reportingDescriptor for a catalogue rule (what ``coach explain CODE`` says)."""
    help_text = f"{rule.fix}\n\nWhy: {rule.rationale}\n\nGuidance: {rule.guidance}. Run 'coach explain {rule.code}'."
    help_markdown = (
        f"**Fix:** {rule.fix}\n\n**Why:** {rule.rationale}\n\n"
        f"**Guidance:** `{rule.guidance}`. Run `coach explain {rule.code}` for examples and settings."
    )
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": _summary(rule)},
        "fullDescription": {"text": rule.rationale},
        "help": {"text": help_text, "markdown": help_markdown},
        "defaultConfiguration": {"level": SARIF_LEVELS[rule.severity]},
        "properties": {
            "tags": [rule.family, *rule.kinds],
            "family": rule.family,
            "severity": rule.severity,
            "evidence": rule.evidence,
            "check": rule.is_check,
            "kinds": list(rule.kinds),
            "guidance": rule.guidance,
        },
    }


def _descriptor_of(finding: Finding) -> dict[str, Any]:
    """A descriptor for a rule the catalogue does not have (the model's own findings)."""
    return {
        "id": finding.rule,
        "name": finding.name,
        "shortDescription": {"text": finding.name},
        "defaultConfiguration": {"level": SARIF_LEVELS[finding.severity]},
        "properties": {"severity": finding.severity, "source": finding.source},
    }


def _draft_properties(report: Report) -> dict[str, Any]:
    return {"kind": report.kind, "stage": report.stage, "score": report.score, "band": report.band}


def render_sarif(results: Sequence[Report | Failure]) -> str:
    """One SARIF 2.1.0 log with one run: the rules that fired, one result a finding or essential check,
    an artifact a file (its score and band in its properties) and a logical location a draft without one."""
    catalogue = rules_by_code()
    rules: dict[str, dict[str, Any]] = {}
    artifacts: list[dict[str, Any]] = []
    logical: list[dict[str, Any]] = []
    sarif_results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    reports = [r for r in results if isinstance(r, Report)]
    for f in sorted({f.rule: f for r in reports for f in annotated(r)}.values(), key=lambda f: f.rule):
        rules[f.rule] = rule_descriptor(catalogue[f.rule]) if f.rule in catalogue else _descriptor_of(f)
    index = {code: i for i, code in enumerate(rules)}
    for r in results:
        if isinstance(r, Failure):
            notifications.append({"level": "error", "message": {"text": r.message}})
            continue
        path = file_of(r)
        if path is not None:
            artifact = {"location": {"uri": _uri(path)}, "properties": _draft_properties(r)}
            where: dict[str, Any] = {"artifactLocation": {"uri": _uri(path), "index": len(artifacts)}}
            artifacts.append(artifact)
        else:
            name = _label(r)
            where = {"index": len(logical), "name": name}
            logical.append({"name": name, "kind": "resource", "properties": _draft_properties(r)})
        for f in annotated(r):
            sarif_results.append(_result(f, index[f.rule], path is not None, where))
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "coach",
                "version": __version__,
                "rules": list(rules.values()),
            }
        },
        "invocations": [
            {"executionSuccessful": not notifications, "toolExecutionNotifications": notifications},
        ],
        "columnKind": "unicodeCodePoints",
        "results": sarif_results,
    }
    if artifacts:
        run["artifacts"] = artifacts
    if logical:
        run["logicalLocations"] = logical
    log = {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False)


def _result(f: Finding, rule_index: int, in_file: bool, where: dict[str, Any]) -> dict[str, Any]:
    end_line, end_column = end_of(f)
    properties: dict[str, Any] = {"severity": f.severity, "fix": f.fix, "source": f.source, "evidence": f.evidence}
    if isinstance(f, Check):
        properties.update(check=True, essential=True, question=f.question)
    if in_file:
        region = {
            "startLine": f.line,
            "startColumn": f.column,
            "endLine": end_line,
            "endColumn": end_column,
            "snippet": {"text": f.text},
        }
        location: dict[str, Any] = {"physicalLocation": {**where, "region": region}}
    else:
        location = {"logicalLocations": [where]}
        properties.update(line=f.line, column=f.column, endLine=end_line, endColumn=end_column)
    return {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": SARIF_LEVELS[f.severity],
        "message": {"text": _says(f)},
        "locations": [location],
        "properties": properties,
    }
