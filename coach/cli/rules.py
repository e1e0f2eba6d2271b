"""``coach rules``, ``coach explain`` and ``coach guide``: the catalogue and the guidance."""

from __future__ import annotations

import json
import re
import textwrap

import click

from coach import guidance
from coach.cli.options import KIND_CHOICE
from coach.rules.catalogue import Rule, all_rules, catalogue, rule_by_code


def rule_dict(rule: Rule, examples: bool = False) -> dict[str, object]:
    data: dict[str, object] = {
        "code": rule.code,
        "name": rule.name,
        "family": rule.family,
        "kinds": list(rule.kinds),
        "severity": rule.severity,
        "type": rule.type,
        "message": rule.message,
        "fix": rule.fix,
        "rationale": rule.rationale,
        "guidance": rule.guidance,
    }
    if examples:
        data["good"] = [e.text for e in rule.good]
        data["bad"] = [e.text for e in rule.bad]
    return data


def _summary(rule: Rule, width: int = 70) -> str:
    """The rule's message with its slots shown as '…', cut to one line."""
    text = re.sub(r"\{[a-z]+\}", "…", rule.message)
    return text if len(text) <= width else text[: width - 1] + "…"


def _kinds_label(rule: Rule) -> str:
    return "all kinds" if len(rule.kinds) == 6 else ", ".join(rule.kinds)


@click.command()
@click.option("--kind", type=KIND_CHOICE, default=None, help="Only the rules for this kind.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules(kind: str | None, fmt: str) -> None:
    """List the rule catalogue (codes, severities, what each checks)."""
    chosen = [r for r in all_rules() if kind in (None, "auto") or r.applies_to(kind)]
    if fmt == "json":
        click.echo(json.dumps([rule_dict(r) for r in chosen], indent=2, ensure_ascii=False))
        return
    families = catalogue().families
    current = None
    for rule in chosen:
        if rule.family != current:
            current = rule.family
            click.echo(f"\n{current}  {families.get(current, '')}")
        click.echo(f"  {rule.code}  {rule.severity:<10} {rule.name:<34} {_summary(rule)}")
    click.echo(f"\n{len(chosen)} rules. 'coach explain CODE' tells why a rule exists.")


@click.command()
@click.argument("code")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def explain(code: str, fmt: str) -> None:
    """Explain one rule: what it checks, why, how to fix it, with examples."""
    rule = rule_by_code(code)
    if fmt == "json":
        click.echo(json.dumps(rule_dict(rule, examples=True), indent=2, ensure_ascii=False))
        return
    section = guidance.section(rule.guidance)
    wrap = textwrap.TextWrapper(width=88, initial_indent="  ", subsequent_indent="  ")
    out = [
        f"{rule.code} {rule.name} ({rule.severity}; {_kinds_label(rule)})",
        "",
        "What it flags:",
        wrap.fill(rule.message),
        "",
        "Why:",
        wrap.fill(rule.rationale),
        "",
        "Fix:",
        wrap.fill(rule.fix),
        "",
        f"Guidance: {rule.guidance}" + (f" ({section.title}; 'coach guide {section.doc}')" if section else ""),
    ]
    for label, examples in (("Flagged", rule.bad), ("Fine", rule.good)):
        out += ["", f"{label}:"]
        for example in examples:
            out.append(textwrap.indent(example.text.strip(), "  | "))
            out.append("")
    click.echo("\n".join(out).rstrip())


@click.command()
@click.argument("kind", type=click.Choice(guidance.DOCS), required=False)
def guide(kind: str | None) -> None:
    """Print the coaching guidance for a kind (or the general guidance)."""
    click.echo(guidance.readable(kind or "general"))
