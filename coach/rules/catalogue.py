"""The rule catalogue: the records in ``coach/rules/records/*.toml``, validated and typed.

:func:`load_catalogue` reads a folder of rule files and validates every record against
the types of :mod:`coach.rules.schema` (pydantic does the checking; an error names the
file, the rule and the key). The shipped records are validated once, when
``python -m coach.rules.build`` writes them out as ``coach/rules/_generated.py``, and a
test fails when that file is out of step with the TOML; a run imports the generated
module and validates nothing.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from coach.errors import ConfigError, RuleFileError, UsageError
from coach.rules.phrases import phrases_regex
from coach.rules.schema import (
    MESSAGE_FIELDS,
    PARAMS,
    PHRASE_KEYS,
    REWRITE_TEXT_FIELDS,
    STRUCTURES,
    Evidence,
    Example,
    RewriteAction,
    Rule,
    Severity,
    params_fields,
    prepare_phrases,
)
from coach.text.kinds import KINDS, STAGES

if TYPE_CHECKING:
    from pydantic import ValidationError

_COMMON_KEYS = {
    "code",
    "name",
    "kinds",
    "stages",
    "severity",
    "evidence",
    "type",
    "message",
    "fix",
    "rationale",
    "guidance",
    "question",
    "essential",
    "good",
    "bad",
    "max_hits",
    "english_only",
    "rewrite",
}
_CODE_RE = re.compile(r"[A-Z]{3}\d{3}")
_NAME_RE = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


class Catalogue(NamedTuple):
    """Every rule, plus the title of each family (from a rule file's ``family``/``title``)."""

    rules: tuple[Rule, ...]
    families: dict[str, str]


def _fail(source: str, code: str, key: str | None, problem: str) -> RuleFileError:
    where = f"rule file {source}: rule {code}" + (f": key {key!r}" if key else "")
    return RuleFileError(f"{where}: {problem}", "fix the rule record (the schema is in docs/rules.md)")


def _first_error(exc: ValidationError) -> tuple[str | None, str]:
    """The key and the message of pydantic's first complaint, in one line."""
    error = exc.errors()[0]
    loc = [str(part) for part in error["loc"] if not isinstance(part, int) and not str(part).startswith("function")]
    key = loc[0] if loc else None
    message = error["msg"]
    if error["type"] == "extra_forbidden":
        message = "unknown key"
    elif error["type"] == "literal_error":
        message = f"{error['input']!r} is not allowed; {message[0].lower()}{message[1:]}"
    return key, message


def _validate(adapter_type: type[Any], data: dict[str, Any], source: str, code: str, prefix: str = "") -> Any:
    from pydantic import TypeAdapter, ValidationError

    try:
        return TypeAdapter(adapter_type).validate_python(data, strict=False)
    except ValidationError as exc:
        key, message = _first_error(exc)
        raise _fail(source, code, f"{prefix}{key}" if key else prefix or None, message) from None


def _message_fields(text: str, source: str, code: str, key: str) -> set[str]:
    import string  # only validating a rule file needs it

    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as exc:
        raise _fail(source, code, key, f"bad template: {exc}") from None


def parse_rewrite(raw: Any, source: str, code: str) -> tuple[RewriteAction, ...]:
    """The typed rewrite actions of a record's ``rewrite`` key (a string, a table or a list of them)."""
    items = raw if isinstance(raw, list) else [raw]
    if not items:
        raise _fail(source, code, "rewrite", "must not be an empty list")
    actions = []
    for item in items:
        if isinstance(item, str):
            if item not in ("drop-sentence", "drop-match"):
                raise _fail(source, code, "rewrite", f"{item!r} must be 'drop-sentence', 'drop-match' or a table")
            actions.append(RewriteAction(do=item))  # type: ignore[arg-type]
            continue
        if not isinstance(item, dict):
            raise _fail(source, code, "rewrite", f"{item!r} must be a string or a table")
        verbs = [key for key in ("replace", "insert", "drop") if key in item]
        if len(verbs) != 1:
            raise _fail(source, code, "rewrite", "a table needs exactly one of replace, insert or drop")
        verb = verbs[0]
        data = {k: v for k, v in item.items() if k != verb}
        if verb == "drop":
            if item["drop"] not in ("sentence", "match"):
                raise _fail(source, code, "rewrite.drop", "must be 'sentence' or 'match'")
            data["do"] = f"drop-{item['drop']}"
        else:
            if not isinstance(item[verb], str) or not item[verb].strip():
                raise _fail(source, code, f"rewrite.{verb}", "must be a non-empty string")
            data["do"], data["text"] = verb, item[verb]
        action: RewriteAction = _validate(RewriteAction, data, source, code, "rewrite.")
        if (action.at is not None) != (action.do == "insert"):
            raise _fail(source, code, "rewrite.at", "an insert needs at; only inserts take it")
        if action.max_other_words is not None and (action.do != "drop-sentence" or action.max_other_words < 0):
            raise _fail(source, code, "rewrite.max_other_words", "a whole number, for drop = 'sentence' only")
        groups: set[str] = set()
        if action.match is not None:
            try:
                groups = set(re.compile(action.match, re.IGNORECASE).groupindex)
            except re.error as exc:
                raise _fail(source, code, "rewrite.match", f"bad regular expression: {exc}") from None
        if action.do in ("replace", "insert"):
            allowed = (REWRITE_TEXT_FIELDS | groups) if action.do == "replace" else set()
            unknown = _message_fields(action.text, source, code, f"rewrite.{action.do}") - allowed
            if unknown:
                raise _fail(source, code, f"rewrite.{action.do}", f"unknown fields {sorted(unknown)}")
        actions.append(action)
    return tuple(actions)


def _examples(raw: Any, kinds: tuple[str, ...], source: str, code: str, key: str) -> tuple[Example, ...]:
    if not isinstance(raw, list) or not raw:
        raise _fail(source, code, key, "needs a non-empty list of examples")
    out = []
    for item in raw:
        data = {"text": item} if isinstance(item, str) else dict(item) if isinstance(item, dict) else {"text": item}
        data.setdefault("kind", kinds[0])
        out.append(_validate(Example, data, source, code, f"{key}."))
    return tuple(out)


def rule_from_record(record: dict[str, Any], source: str) -> Rule:
    """A typed :class:`Rule` from one TOML record; every mistake is a :class:`RuleFileError`."""
    code = str(record.get("code", "?"))
    if not _CODE_RE.fullmatch(code):
        raise _fail(source, code, "code", "must look like ABC123")
    rule_type = record.get("type")
    if rule_type not in PARAMS:
        raise _fail(source, code, "type", f"{rule_type!r} is not one of {', '.join(PARAMS)}")
    unknown = sorted(set(record) - _COMMON_KEYS - params_fields(rule_type))
    if unknown:
        raise _fail(source, code, unknown[0], f"unknown key for type {rule_type!r}")
    for key in ("name", "message", "fix", "rationale", "guidance"):
        if not isinstance(record.get(key), str) or not record[key].strip():
            raise _fail(source, code, key, "missing")
    if not _NAME_RE.fullmatch(record["name"]):
        raise _fail(source, code, "name", "must be a lower-case slug")
    kinds = record.get("kinds")
    if kinds == ["*"]:
        kinds = list(KINDS)
    if not isinstance(kinds, list) or not kinds or any(k not in KINDS for k in kinds):
        raise _fail(source, code, "kinds", f"must be a list of {', '.join(KINDS)} (or ['*'])")
    params = _validate(
        PARAMS[rule_type], {k: v for k, v in record.items() if k in params_fields(rule_type)}, source, code
    )
    for key in PHRASE_KEYS:
        for phrase in getattr(params, key, ()):
            if not phrase:
                raise _fail(source, code, key, "phrases must not be empty")
        regex = phrases_regex(getattr(params, key, ()))
        if regex:
            try:
                re.compile(*regex)
            except re.error as exc:
                raise _fail(source, code, key, f"bad pattern: {exc}") from None
    if rule_type == "structure" and (params.element, params.expect) not in STRUCTURES:
        known = ", ".join(sorted(f"{e}/{x}" for e, x in STRUCTURES))
        raise _fail(
            source, code, "expect", f"{params.element}/{params.expect} is not a structure check; known: {known}"
        )
    if rule_type in ("phrase", "absent") and not params.patterns:
        raise _fail(source, code, "patterns", f"a {rule_type} rule needs patterns")
    if rule_type == "count" and params.measure == "matching_sentences" and not params.patterns:
        raise _fail(source, code, "patterns", "measure 'matching_sentences' needs patterns")
    if rule_type in ("ratio",) and not (params.numerator and params.denominator):
        raise _fail(source, code, "numerator", "a ratio rule needs numerator and denominator phrases")
    unknown_fields = _message_fields(record["message"], source, code, "message") - MESSAGE_FIELDS[rule_type]
    if unknown_fields:
        allowed = ", ".join(f"{{{f}}}" for f in sorted(MESSAGE_FIELDS[rule_type])) or "none"
        raise _fail(
            source, code, "message", f"unknown field {{{sorted(unknown_fields)[0]}}}; a {rule_type} rule has: {allowed}"
        )
    stages = record.get("stages", [])
    valid_stages = {s for k in kinds for s in STAGES.get(k, ())}
    if not isinstance(stages, list) or any(s not in valid_stages for s in stages):
        raise _fail(
            source, code, "stages", f"must be stages of the rule's kinds: {', '.join(sorted(valid_stages)) or 'none'}"
        )
    essential = record.get("essential", [])
    if essential == ["*"]:
        essential = list(kinds)
    if not isinstance(essential, list) or any(k not in kinds for k in essential):
        raise _fail(source, code, "essential", "must be a list of the rule's kinds (or ['*'])")
    if essential and rule_type != "absent":
        raise _fail(source, code, "essential", "only checks (absent rules) can be essential")
    question = record.get("question", "")
    if rule_type == "absent" and not (isinstance(question, str) and question.strip().endswith("?")):
        raise _fail(source, code, "question", "a check needs the question it puts to the writer, ending in '?'")
    if rule_type != "absent" and question:
        raise _fail(source, code, "question", "only checks (absent rules) ask a question")
    common: dict[str, Any] = {
        key: record[key] for key in ("severity", "evidence", "max_hits", "english_only") if key in record
    }
    checked: _Common = _validate(_Common, common, source, code)
    if checked.max_hits < 1:
        raise _fail(source, code, "max_hits", "must be at least 1")
    kinds_t = tuple(kinds)
    case_sensitive = getattr(params, "case_sensitive", False)
    inline_case = any("(?-i:" in p for key in PHRASE_KEYS for p in getattr(params, key, ()))
    mode = "exact" if case_sensitive else "ignorecase" if inline_case else "lowered"
    return Rule(
        code=code,
        name=record["name"],
        kinds=kinds_t,
        severity=checked.severity,
        type=rule_type,
        message=record["message"].strip(),
        fix=record["fix"].strip(),
        rationale=" ".join(record["rationale"].split()),
        guidance=record["guidance"],
        params=params,
        source=source,
        stages=tuple(stages),
        evidence=checked.evidence,
        question=" ".join(question.split()),
        essential=tuple(essential),
        max_hits=checked.max_hits,
        english_only=checked.english_only
        if checked.english_only is not None
        else not _language_neutral(rule_type, params),
        rewrite=parse_rewrite(record["rewrite"], source, code) if "rewrite" in record else (),
        prepared=prepare_phrases(params, mode),
        good=_examples(record.get("good"), kinds_t, source, code, "good"),
        bad=_examples(record.get("bad"), kinds_t, source, code, "bad"),
    )


@dataclass(frozen=True)
class _Common:
    """The common keys that need more than a presence check."""

    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid"}

    severity: Severity
    evidence: Evidence = "judgement"
    max_hits: int = 3
    english_only: bool | None = None


def _language_neutral(rule_type: str, params: Any) -> bool:
    """Structure checks and counts of characters, words or sentences work in any language;
    anything that matches phrases is English-only unless the record says otherwise."""
    return rule_type == "structure" or (rule_type == "count" and not params.patterns)


def rule_files(folder: str | os.PathLike[str]) -> list[str]:
    """The ``*.toml`` files of ``folder``, sorted."""
    try:
        names = sorted(n for n in os.listdir(folder) if n.endswith(".toml"))
    except OSError as exc:
        raise ConfigError(f"cannot read the rule folder {folder}: {exc.strerror}", "check the path") from None
    return [os.path.join(folder, n) for n in names]


def load_catalogue(folder: str | os.PathLike[str]) -> Catalogue:
    """Read and validate every ``*.toml`` rule file in ``folder``."""
    import tomllib

    families: dict[str, str] = {}
    rules: list[Rule] = []
    for path in rule_files(folder):
        try:
            with open(path, encoding="utf-8") as handle:
                data = tomllib.loads(handle.read())
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"rule file {path}: {exc}", "fix the TOML syntax") from None
        if "family" in data:
            families[data["family"]] = data.get("title", data["family"])
        rules.extend(rule_from_record(record, os.path.basename(path)) for record in data.get("rule", []))
    seen: dict[str, str] = {}
    names: set[str] = set()
    for rule in rules:
        if rule.code in seen:
            raise _fail(rule.source, rule.code, "code", f"already used in {seen[rule.code]}")
        if rule.name in names:
            raise _fail(rule.source, rule.code, "name", f"{rule.name!r} already used")
        seen[rule.code] = rule.source
        names.add(rule.name)
    return Catalogue(tuple(sorted(rules, key=lambda r: r.code)), families)


@cache
def catalogue() -> Catalogue:
    """The shipped catalogue, from the module generated out of the validated records."""
    from coach.rules import _generated

    return Catalogue(_generated.RULES, _generated.FAMILIES)


def all_rules() -> tuple[Rule, ...]:
    return catalogue().rules


@cache
def rules_by_code() -> dict[str, Rule]:
    """Every shipped rule by its code."""
    return {rule.code: rule for rule in all_rules()}


def rule_by_code(code: str) -> Rule:
    wanted = code.strip().upper()
    if wanted in rules_by_code():
        return rules_by_code()[wanted]
    for rule in all_rules():
        if rule.name == code.strip().lower():
            return rule
    raise UsageError(f"unknown rule {code!r}", "run 'coach rules' to list the rule codes")


def expand_selectors(selectors: list[str] | tuple[str, ...], where: str = "the command line") -> set[str]:
    """Codes matched by ``selectors`` (full codes, prefixes such as ``LEN`` or ``LEN0``, or names).

    An entry that matches no rule is an error, so a typo never silently disables nothing.
    """
    codes: set[str] = set()
    rules = all_rules()
    for selector in selectors:
        s = selector.strip()
        if s.upper() == "ALL":
            codes.update(r.code for r in rules)
            continue
        matched = {r.code for r in rules if s and (r.code.startswith(s.upper()) or r.name == s.lower())}
        if not matched:
            raise UsageError(f"unknown rule code {selector!r} in {where}", "run 'coach rules' to list the codes")
        codes |= matched
    return codes
