"""The offline critique: parse, pick the kind, run the rules, score.

This is the whole of coach that works with no key and no network. It imports
nothing heavier than the standard library, so a critique starts in a blink.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from coach.rules.catalogue import all_rules, expand_selectors
from coach.rules.config import Settings
from coach.rules.report import DEFAULT_PENALTIES, Check, Finding, Report, Stats, score
from coach.rules.schema import SEVERITY_RANK, Example, Rule
from coach.rules.types import Context, run_rule
from coach.text.kinds import STAGES, check_kind, detect_kind, detect_stage
from coach.text.measures import Span
from coach.text.parse import Draft, parse

_ENGLISH_WORDS = frozenset(
    (
        "the a an and or but to of in on for with at by from about as is are was were be been have "
        "has had i you your my me we our us it its this that these those would could can will do "
        "did does not if so he she they him his her them their there here what how when who which "
        "just all up out any some more very really still again also hope well thanks thank hi hey "
        "hello please let know get got like want need should into over than then didn don doesn isn "
        "wasn won"
    ).split()
)
# Function words of the other languages outreach is most often written in (French, Spanish,
# Portuguese, Italian, German, Dutch) that are not English words.
_OTHER_LANGUAGE_WORDS = frozenset(
    (
        "le la les des du est et je vous nous pour avec une sur dans pas qui au aux mes votre vos merci "
        "el los las del que por con para una es muy tu su gracias hola "
        "de da na em os sua seu não com uma você obrigado olá "
        "il di che per non sono della gli ho grazie ciao "
        "der die das und ich sie nicht mit für ist ein eine zu wir ihr ihnen auf dem den hallo danke "
        "het een van ik niet voor zijn jij jullie bedankt"
    ).split()
)
_LATIN_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzàáâãäåæçèéêëìíîïñòóôõöøùúûüýÿœß")
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Options:
    """What the writer told us about this draft, from the command line or a caller."""

    kind: str = "auto"
    stage: str | None = None
    account: str | None = None
    attempt: int | None = None
    template: bool = False
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    min_severity: str | None = None


def run_example(rule: Rule, example: Example) -> Report:
    """A rule's own example critiqued with only that rule selected, under the example's options
    (for the tests that run every example, and for ``coach explain``)."""
    options = Options(
        kind=example.kind,
        stage=example.stage,
        account=example.account,
        attempt=example.attempt,
        template=example.template,
        select=(rule.code,),
    )
    return critique_text(example.text, options)


def looks_english(text: str) -> bool:
    """A cheap check: English prose is dense with short function words. A text with few of
    them (a fragment, a list of attachments, a clipped bio) still counts as English unless
    another language's function words or another script outweigh them: only then is it
    not scored."""
    words = _WORD.findall(text.lower())[:400]
    if len(words) < 8:
        return True
    english = sum(w in _ENGLISH_WORDS for w in words)
    if english / len(words) >= 0.12:
        return True
    foreign = sum(w in _OTHER_LANGUAGE_WORDS for w in words)
    latin = sum(w.isascii() or all(c in _LATIN_LETTERS for c in w) for w in words)
    return foreign <= english and latin * 2 > len(words)


def active_rules(kind: str, options: Options, settings: Settings) -> list[Rule]:
    """The rules that apply to ``kind`` after config and command-line switches, tuned.

    Memoised on the settings object: a batch asks the same question for every draft, and a
    tuned rule is a new object whose patterns would otherwise compile again."""
    key = (kind, options)
    cached = settings.memo.get(key)
    if cached is None:
        cached = settings.memo[key] = _active_rules(kind, options, settings)
    return cached


def _active_rules(kind: str, options: Options, settings: Settings) -> list[Rule]:
    kind_settings = settings.per_kind.get(kind)
    select = settings.rules.select
    if kind_settings and kind_settings.select is not None:
        select = kind_settings.select
    if rule_selectors(options.select):
        select = expand_selectors(rule_selectors(options.select))
    ignore = set(settings.rules.ignore)
    if kind_settings:
        ignore |= kind_settings.ignore
    if rule_selectors(options.ignore):
        ignore |= expand_selectors(rule_selectors(options.ignore))
    min_rank = SEVERITY_RANK[options.min_severity or settings.min_severity]
    rules = []
    for rule in all_rules():
        if (
            not rule.applies_to(kind, options.stage)
            or rule.code in ignore
            or (select is not None and rule.code not in select)
        ):
            continue
        severity = settings.rules.severity.get(rule.code)
        params = dict(settings.rules.params.get(rule.code, {}))
        if kind_settings:
            severity = kind_settings.severity.get(rule.code, severity)
            params.update(kind_settings.params.get(rule.code, {}))
        rule = rule.with_overrides(severity, params)
        if SEVERITY_RANK[rule.severity] >= min_rank:
            rules.append(rule)
    return rules


def _finding(rule: Rule, draft: Draft, hit_span: Span, values: Mapping[str, object], kind: str) -> Finding:
    """A finding, or for a check (an ``absent`` rule) a :class:`Check` with its question.

    The message's fields were checked against the rule type when the catalogue was built,
    so formatting cannot fail."""
    text = draft.slice(hit_span)
    line, column = draft.line_col(hit_span.start)
    fields = {"text": text, "value": "", "limit": "", "other": "", "ratio": "", **values}
    common: dict[str, Any] = {
        "rule": rule.code,
        "name": rule.name,
        "severity": rule.severity,
        "message": rule.message.format(**fields),
        "fix": rule.fix,
        "start": hit_span.start,
        "end": hit_span.end,
        "line": line,
        "column": column,
        "text": text,
        "guidance": rule.guidance,
        "evidence": rule.evidence,
    }
    if rule.is_check:
        return Check(**common, question=rule.question, essential=kind in rule.essential)
    return Finding(**common)


def run_rules(
    ctx: Context, options: Options, settings: Settings, english: bool = True
) -> tuple[list[Finding], list[Check]]:
    """Findings and checks of every active rule on the draft in ``ctx``, most severe first."""
    findings: list[Finding] = []
    checks: list[Check] = []
    for rule in active_rules(ctx.kind, options, settings):
        if rule.english_only and not english:
            continue
        for hit in run_rule(rule, ctx):
            found = _finding(rule, ctx.draft, hit.span, hit.values, ctx.kind)
            (checks if isinstance(found, Check) else findings).append(found)  # type: ignore[arg-type]
    findings.sort(key=Finding.sort_key)
    checks.sort(key=lambda c: (not c.essential, *c.sort_key()))
    return findings, checks


def stats_of(ctx: Context) -> Stats:
    draft = ctx.draft
    return Stats(
        characters=len(draft.text.strip()),
        words=len(draft.words),
        sentences=len(draft.sentences),
        questions=len(ctx.questions),
        reading_grade=ctx.grade,
    )


def fitted_weights(penalties: dict[str, int]) -> dict[str, int] | None:
    """What each rule costs, fitted to labelled messages (``bench/fit_weights.py``); None when a
    config file sets the cost of each severity itself."""
    if penalties:
        return None
    from coach.rules._weights import WEIGHTS

    return WEIGHTS


def rescore(report: Report, penalties: dict[str, int] | None = None) -> None:
    """Recompute the score and its breakdown after findings were added, merged or cleared."""
    points, report.breakdown = score(
        report.findings, {**DEFAULT_PENALTIES, **(penalties or {})}, report.checks, fitted_weights(penalties or {})
    )
    report.score = points if report.score is not None else None


def check_options(options: Options) -> Options:
    """Raise a UsageError now for a bad --select/--ignore, rather than once per draft."""
    expand_selectors(rule_selectors(options.select))
    expand_selectors(rule_selectors(options.ignore))
    return options


def rule_selectors(selectors: tuple[str, ...]) -> tuple[str, ...]:
    """Selectors for the rule engine; ``LLM``-prefixed ones select the model's findings instead."""
    return tuple(s for s in selectors if not s.strip().upper().startswith("LLM"))


def critique_text(
    text: str,
    options: Options | None = None,
    settings: Settings | None = None,
    path: str | None = None,
    notices: list[str] | None = None,
) -> Report:
    """Critique one draft with the rules only and return the full report."""
    options = options or Options()
    settings = settings or Settings()
    draft = parse(text)
    wanted = options.kind if options.kind != "auto" else settings.kind
    notes = list(notices or [])
    alternatives: tuple[str, ...] = ()
    found_stage: tuple[str | None, str] | None = None  # detected with the kind: not detected twice
    if wanted == "auto":
        detection = detect_kind(draft)
        kind, detected, reason = detection.kind, True, detection.reason
        found_stage = detection.stage, detection.stage_reason
        if detection.unsure:
            alternatives = tuple(dict.fromkeys([kind, *detection.alternatives]))
            guesses = " or ".join(detection.alternatives or (kind,))
            notes.append(f"unsure of the kind ({guesses}): pass --kind; judged as {kind}")
    else:
        source = "given with --kind" if options.kind != "auto" else f"set in {settings.source}"
        kind, detected, reason = check_kind(wanted), False, source
    stage, stage_reason = _stage(draft, kind, options.stage, notes, found_stage)
    english = looks_english(draft.slice(draft.body) or text)
    if not english:
        notes.append(
            "this draft does not look like English: coach's rules are tuned for English, so only the "
            "language-neutral checks (placeholders, length) ran and the draft is not scored"
        )
    ctx = Context(
        draft=draft,
        kind=kind,
        account=options.account or settings.account,
        attempt=options.attempt,
        template=options.template,
    )
    findings, checks = run_rules(ctx, replace(options, stage=stage), settings, english)
    points, breakdown = score(
        findings, {**DEFAULT_PENALTIES, **settings.penalties}, checks, fitted_weights(settings.penalties)
    )
    return Report(
        path=path,
        kind=kind,
        kind_detected=detected,
        kind_reason=reason,
        score=points if english else None,
        findings=findings,
        breakdown=breakdown,
        stats=stats_of(ctx),
        notices=notes,
        stage=stage,
        stage_reason=stage_reason,
        checks=checks,
        kind_alternatives=alternatives,
    )


def _stage(
    draft: Draft, kind: str, given: str | None, notes: list[str], detected: tuple[str | None, str] | None = None
) -> tuple[str | None, str]:
    """The stage to judge ``draft`` at: the one given if ``kind`` has it, else the detected one
    (``detected``, when kind detection already found it)."""
    stages = STAGES.get(kind, ())
    if given is not None and given in stages:
        return given, "given with --stage"
    if given is not None:
        notes.append(
            f"--stage {given} is not a stage of {kind}"
            + (f" ({', '.join(stages)}); detecting it instead" if stages else "; ignored")
        )
    if not stages:
        return None, ""
    return detected if detected is not None else detect_stage(draft, kind)
