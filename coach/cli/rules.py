"""``coach rules``, ``coach explain`` and ``coach guide``: the catalogue and the guidance."""

from __future__ import annotations

import json
import re
import textwrap

import click

from coach import guidance
from coach.cli.options import KIND_ONLY_CHOICE, complete_rule_codes
from coach.rules.catalogue import Rule, all_rules, catalogue, rule_by_code


def rule_dict(rule: Rule, examples: bool = False) -> dict[str, object]:
    data: dict[str, object] = {
        "code": rule.code,
        "name": rule.name,
        "family": rule.family,
        "kinds": list(rule.kinds),
        "stages": list(rule.stages),
        "severity": rule.severity,
        "evidence": rule.evidence,
        "type": rule.type,
        "check": rule.is_check,
        "question": rule.question or None,
        "essential": list(rule.essential),
        "settings": rule.tunables(),
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
@click.option("--kind", type=KIND_ONLY_CHOICE, default=None, help="Only the rules for this kind.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules(kind: str | None, fmt: str) -> None:
    """List the rule catalogue (codes, severities, what each checks)."""
    chosen = [r for r in all_rules() if kind is None or r.applies_to(kind)]
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
@click.argument("code", shell_complete=complete_rule_codes)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def explain(code: str, fmt: str) -> None:
    """Explain one rule: what it checks, why, how to fix it, with examples."""
    rule = rule_by_code(code)
    if fmt == "json":
        click.echo(json.dumps(rule_dict(rule, examples=True), indent=2, ensure_ascii=False))
        return
    section = guidance.section(rule.guidance)
    wrap = textwrap.TextWrapper(width=88, initial_indent="  ", subsequent_indent="  ")
    stages = f"; stages {', '.join(rule.stages)}" if rule.stages else ""
    evidence = "certain: a fact of the text" if rule.evidence == "certain" else "a judgement"
    out = [
        f"{rule.code} {rule.name} ({rule.severity}; {_kinds_label(rule)}{stages}; {evidence})",
        "",
        "What it flags:" if not rule.is_check else "What it asks:",
        wrap.fill(rule.question + " " + example_message(rule) if rule.is_check else example_message(rule)),
        "",
        "Why:",
        wrap.fill(rule.rationale),
        "",
        "Fix:",
        wrap.fill(rule.fix),
        "",
        f"Guidance: {rule.guidance}" + (f" ({section.title}; 'coach guide {section.doc}')" if section else ""),
    ]
    out += ["", *settings_block(rule)]
    for label, examples in (("Flagged", rule.bad), ("Fine", rule.good)):
        out += ["", f"{label}:"]
        for example in examples:
            out.append(textwrap.indent(example.text.strip(), "  | "))
            out.append("")
    click.echo("\n".join(out).rstrip())


def example_message(rule: Rule) -> str:
    """The rule's message as a writer sees it: rendered on its first flagged example."""
    from coach.rules.engine import run_example

    for example in rule.bad:
        found = [f for f in run_example(rule, example).hits if f.rule == rule.code]
        if found:
            return found[0].message
    return rule.message


def _number(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def settings_block(rule: Rule) -> list[str]:
    """The rule's numbers and how to change them (and its severity) in ``.coach.toml``.

    A number set per kind in the rule is changed per kind (``[kinds.KIND.rules.CODE]``)."""
    tables: dict[str, dict[str, object]] = {f"rules.{rule.code}": {}}
    for key, value in rule.tunables().items():
        if isinstance(value, dict):
            for kind, bound in value.items():
                table = f"rules.{rule.code}" if kind == "*" else f"kinds.{kind}.rules.{rule.code}"
                tables.setdefault(table, {})[key] = bound
        else:
            tables[f"rules.{rule.code}"][key] = value
    lines = [
        "Settings (in .coach.toml, or the file given with --config):",
        "  [severity]",
        f'  {rule.code} = "{rule.severity}"',
    ]
    for table, values in tables.items():
        lines.append(f"  [{table}]")
        lines += [f"  {key} = {_number(value)}" for key, value in values.items()]
    return lines


@click.command()
@click.argument("kind", type=click.Choice(guidance.DOCS), required=False)
def guide(kind: str | None) -> None:
    """Print the coaching guidance for a kind (or the general guidance)."""
    click.echo(guidance.readable(kind or "general"))
