"""The rule catalogue: rules are data in ``rules/*.toml``, loaded and validated here.

A rule is one TOML record (code, name, kinds, severity, type, message, fix,
rationale, guidance section, good and bad examples, and the parameters of its
type). Python only knows the handful of rule *types* (see :mod:`coach.checks`);
adding a rule never needs code.
"""

from __future__ import annotations

import marshal
import os
import re
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from typing import Any, NamedTuple

from coach import regexcache, rulecache
from coach.cachefiles import caching_disabled
from coach.data import rules_dir
from coach.errors import ConfigError, UsageError
from coach.kinds import KINDS
from coach.textutil import lower_pattern

SEVERITIES: tuple[str, ...] = ("suggestion", "warning", "error")
SEVERITY_RANK: dict[str, int] = {s: i for i, s in enumerate(SEVERITIES)}

_COMMON_KEYS = {
    "code",
    "name",
    "kinds",
    "severity",
    "type",
    "message",
    "fix",
    "rationale",
    "guidance",
    "good",
    "bad",
    "max_hits",
    "english_only",
    "rewrite",
}
# Keys each rule type accepts beyond the common ones; numbers here may be tuned in config.
TYPE_KEYS: dict[str, set[str]] = {
    "phrase": {"patterns", "scope", "when", "unless", "case_sensitive"},
    "absent": {"patterns", "scope", "anchor", "when", "unless", "min_words"},
    "count": {"measure", "patterns", "min", "max", "max_free", "scope", "when", "unless"},
    "ratio": {"numerator", "denominator", "max", "min_numerator", "anchor", "when", "unless"},
    "metric": {"metric", "min", "max", "min_words"},
    "structure": {"element", "expect", "when", "unless"},
}
PHRASE_KEYS = ("patterns", "when", "unless", "numerator", "denominator")
TUNABLE_KEYS = {"min", "max", "max_free", "min_words", "min_numerator", "max_hits"}
# The optional ``rewrite`` key: what the offline rewrite (:mod:`coach.fixes`) does with a finding.
REWRITE_DROPS = ("sentence", "match")
REWRITE_AT = ("subject", "greeting", "opening", "closing", "end")
REWRITE_FIELDS = ("text", "text_lower", "text_sentence", "first_word")
_REWRITE_KEYS = {"replace", "insert", "drop", "at", "match", "max_other_words"}
_CODE_RE = regexcache.compile(r"[A-Z]{3}\d{3}")
_NAME_RE = regexcache.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


class Example(NamedTuple):
    """A draft a rule must flag (bad) or leave alone (good), with the options to run it."""

    text: str
    kind: str
    account: str = "premium"
    attempt: int | None = None
    template: bool = False


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    kinds: tuple[str, ...]
    severity: str
    type: str
    message: str
    fix: str
    rationale: str
    guidance: str
    params: dict[str, Any]
    source: str
    max_hits: int = 3
    english_only: bool = True
    # What the offline rewrite does with this rule's findings (see coach.fixes): None, a string
    # ("drop-sentence", "drop-match"), a table, or a list of them; plain data, for the rule cache.
    rewrite: Any = None
    # The examples and the compiled patterns travel as marshal blobs, decoded only when
    # used: a critique needs neither the examples nor the patterns of other kinds' rules.
    examples_blob: bytes = field(default=b"", compare=False, repr=False)
    regex_blob: bytes = field(default=b"", compare=False, repr=False)

    @cached_property
    def _examples(self) -> tuple[tuple[Example, ...], tuple[Example, ...]]:
        good, bad = marshal.loads(self.examples_blob)
        return tuple(Example(**e) for e in good), tuple(Example(**e) for e in bad)

    @property
    def good(self) -> tuple[Example, ...]:
        return self._examples[0]

    @property
    def bad(self) -> tuple[Example, ...]:
        return self._examples[1]

    @property
    def family(self) -> str:
        return self.code[:3]

    def applies_to(self, kind: str) -> bool:
        return kind in self.kinds

    def with_overrides(self, severity: str | None = None, params: dict[str, Any] | None = None) -> Rule:
        """A copy with a severity or numeric parameters changed by configuration."""
        changes: dict[str, Any] = {}
        if severity:
            changes["severity"] = severity
        if params:
            merged = dict(self.params)
            for key, value in params.items():
                if key == "max_hits":
                    changes["max_hits"] = int(value)
                else:
                    merged[key] = value
            changes["params"] = merged
        return replace(self, **changes) if changes else self

    @cached_property
    def on_original_text(self) -> bool:
        """Whether the patterns must see the draft's own case (case-sensitive, or using ``(?-i:``)."""
        if self.params.get("case_sensitive"):
            return True
        return any("(?-i:" in phrase for key in PHRASE_KEYS for phrase in self.params.get(key, ()))

    @cached_property
    def regex_sources(self) -> dict[str, tuple[str, int] | None]:
        """Each phrase list as one regex and its flags.

        Most rules are compiled in lower case and run against the draft lowered (see
        :func:`coach.textutil.lower_same_length`): the regex engine is several times
        faster without IGNORECASE, and offsets do not change.
        """
        if self.params.get("case_sensitive"):
            mode = "exact"
        elif self.on_original_text:
            mode = "ignorecase"
        else:
            mode = "lowered"
        return {key: phrases_regex(self.params.get(key, ()), mode) for key in PHRASE_KEYS}

    @cached_property
    def compiled(self) -> dict[str, re.Pattern[str] | None]:
        """The rule's phrase lists, each compiled once into one alternation (from the cache's blob
        when there is one)."""
        if self.regex_blob:
            built = marshal.loads(self.regex_blob)
            return {key: regexcache.build(*value) if value else None for key, value in built.items()}
        return {key: regexcache.compile(*value) if value else None for key, value in self.regex_sources.items()}

    def regex_blob_for_cache(self) -> bytes:
        """The compiled patterns, for the rule cache."""
        sources = self.regex_sources.items()
        return marshal.dumps({key: (*value, regexcache.entry(*value)) if value else None for key, value in sources})


def phrase_to_regex(phrase: str) -> str:
    r"""Turn a rule phrase into a regex: a space (outside a character class) matches any
    whitespace (a space followed by a quantifier is one ``\s``, so ``" ?"`` means an optional
    space), an apostrophe matches straight or curly, and word boundaries guard both ends
    when the phrase starts or ends with a letter or digit."""
    out: list[str] = []
    in_class = escaped = False
    for i, ch in enumerate(phrase):
        if escaped:
            out.append(ch)
            escaped = False
        elif ch == "\\":
            out.append(ch)
            escaped = True
        elif in_class:
            out.append("'’" if ch == "'" else ch)
            in_class = ch != "]"
        elif ch == "[":
            out.append(ch)
            in_class = True
        elif ch == " ":
            # "a ?b" means the writer quantifies the space itself: give the quantifier one \s.
            out.append(r"\s" if phrase[i + 1 : i + 2] in ("?", "*", "+", "{") else r"\s+")
        elif ch == "'":
            out.append("['’]")
        else:
            out.append(ch)
    body = "".join(out)
    if phrase[:1].isalnum() or phrase.startswith("(?!"):
        body = r"\b" + body
    if phrase[-1:].isalnum():
        body = body + r"\b"
    return body


def phrases_regex(phrases: tuple[str, ...] | list[str], mode: str = "lowered") -> tuple[str, int] | None:
    """One alternation of ``phrases`` and its flags: ``exact`` (case-sensitive),
    ``ignorecase``, or ``lowered`` (lower-cased, to run on lowered text)."""
    if not phrases:
        return None
    pattern = "|".join(f"(?:{phrase_to_regex(p)})" for p in phrases)
    if mode == "lowered":
        return lower_pattern(pattern), 0
    return pattern, int(re.IGNORECASE) if mode == "ignorecase" else 0


def _fail(source: str, code: str, problem: str) -> ConfigError:
    return ConfigError(f"rule file {source}: rule {code}: {problem}", "fix the rule record")


def _examples(raw: Any, rule_kinds: tuple[str, ...], source: str, code: str, key: str) -> list[dict[str, Any]]:
    """Validated examples, as plain dicts (they are stored as a marshal blob)."""
    if not isinstance(raw, list) or not raw:
        raise _fail(source, code, f"needs a non-empty list of {key!r} examples")
    out = []
    for item in raw:
        data = {"text": item} if isinstance(item, str) else dict(item)
        data.setdefault("kind", rule_kinds[0])
        unknown = set(data) - {"text", "kind", "account", "attempt", "template"}
        if unknown or not isinstance(data.get("text"), str) or data["kind"] not in KINDS:
            raise _fail(source, code, f"malformed {key!r} example {item!r}")
        out.append(data)
    return out


def _rewrite_action(item: Any, source: str, code: str) -> None:
    """Check one rewrite action: a shorthand string or a table (see rules/hygiene.toml)."""
    if isinstance(item, str):
        if item not in ("drop-sentence", "drop-match"):
            raise _fail(source, code, f"rewrite {item!r} must be 'drop-sentence', 'drop-match' or a table")
        return
    if not isinstance(item, dict):
        raise _fail(source, code, f"rewrite {item!r} must be a string or a table")
    unknown = set(item) - _REWRITE_KEYS
    kinds = [key for key in ("replace", "insert", "drop") if key in item]
    if unknown or len(kinds) != 1:
        raise _fail(source, code, "a rewrite table needs exactly one of replace, insert or drop (and at, match)")
    action = kinds[0]
    value = item[action]
    if not isinstance(value, str) or (action != "drop" and not value.strip()):
        raise _fail(source, code, f"rewrite {action!r} must be a non-empty string")
    if ("at" in item) != (action == "insert") or (action == "insert" and item["at"] not in REWRITE_AT):
        raise _fail(source, code, f"a rewrite insert needs at = one of {', '.join(REWRITE_AT)}; only inserts take at")
    if action == "drop" and value not in REWRITE_DROPS:
        raise _fail(source, code, f"rewrite drop must be one of {', '.join(REWRITE_DROPS)}")
    if "max_other_words" in item and (
        item.get("drop") != "sentence" or type(item["max_other_words"]) is not int or item["max_other_words"] < 0
    ):
        raise _fail(source, code, "max_other_words is a whole number, for drop = 'sentence' only")
    groups: set[str] = set()
    if "match" in item:
        if not isinstance(item["match"], str) or not item["match"]:
            raise _fail(source, code, "rewrite match must be a regular expression")
        try:
            groups = set(re.compile(item["match"], re.IGNORECASE).groupindex)
        except re.error as exc:
            raise _fail(source, code, f"bad rewrite match pattern: {exc}") from None
    if action in ("replace", "insert"):
        import string  # only when validating rule files, not on a cached start

        allowed = set(REWRITE_FIELDS) | groups if action == "replace" else set()
        try:
            fields = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
        except ValueError as exc:
            raise _fail(source, code, f"bad rewrite {action} text: {exc}") from None
        if fields - allowed:
            raise _fail(source, code, f"rewrite {action} text uses unknown fields {sorted(fields - allowed)}")


def validate_rewrite(value: Any, source: str, code: str) -> None:
    """Check a rule's ``rewrite`` value: one action, or a non-empty list of them (first that applies wins)."""
    items = value if isinstance(value, list) else [value]
    if not items:
        raise _fail(source, code, "rewrite must not be an empty list")
    for item in items:
        _rewrite_action(item, source, code)


def _rule_from_record(
    record: dict[str, Any],
    source: str,
    examples_blob: bytes | None = None,
    regex_blob: bytes = b"",
) -> Rule:
    """A :class:`Rule` from its TOML record, validated unless it comes from the cache
    (which only ever holds records that passed, with their examples and patterns as blobs)."""
    validated = examples_blob is not None
    code = str(record.get("code", "?"))
    if not _CODE_RE.fullmatch(code):
        raise _fail(source, code, "code must look like ABC123")
    rule_type = record.get("type")
    if rule_type not in TYPE_KEYS:
        raise _fail(source, code, f"unknown type {rule_type!r}; known: {', '.join(TYPE_KEYS)}")
    unknown = set(record) - _COMMON_KEYS - TYPE_KEYS[rule_type]
    if unknown:
        raise _fail(source, code, f"unknown keys {sorted(unknown)} for type {rule_type!r}")
    for key in ("name", "message", "fix", "rationale", "guidance"):
        if not isinstance(record.get(key), str) or not record[key].strip():
            raise _fail(source, code, f"missing {key!r}")
    if not _NAME_RE.fullmatch(record["name"]):
        raise _fail(source, code, "name must be a lower-case slug")
    kinds = record.get("kinds")
    if kinds == ["*"]:
        kinds = list(KINDS)
    if not kinds or not isinstance(kinds, list) or any(k not in KINDS for k in kinds):
        raise _fail(source, code, f"kinds must be a list of {', '.join(KINDS)} (or ['*'])")
    if record.get("severity") not in SEVERITIES:
        raise _fail(source, code, f"severity must be one of {', '.join(SEVERITIES)}")
    params = {k: v for k, v in record.items() if k in TYPE_KEYS[rule_type]}
    if "rewrite" in record and not validated:
        validate_rewrite(record["rewrite"], source, code)
    for key in PHRASE_KEYS:
        value = params.get(key)
        if value is not None:
            if not isinstance(value, list) or not all(isinstance(p, str) and p for p in value):
                raise _fail(source, code, f"{key!r} must be a list of phrases")
            if not validated:
                try:
                    re.compile(*phrases_regex(value))
                except re.error as exc:
                    raise _fail(source, code, f"bad pattern in {key!r}: {exc}") from None
            params[key] = tuple(value)
    kinds_t = tuple(kinds)
    return Rule(
        code=code,
        name=record["name"],
        kinds=kinds_t,
        severity=record["severity"],
        type=rule_type,
        message=record["message"].strip(),
        fix=record["fix"].strip(),
        rationale=" ".join(record["rationale"].split()),
        guidance=record["guidance"],
        params=params,
        source=source,
        examples_blob=examples_blob
        if examples_blob is not None
        else marshal.dumps(
            (
                _examples(record.get("good"), kinds_t, source, code, "good"),
                _examples(record.get("bad"), kinds_t, source, code, "bad"),
            )
        ),
        regex_blob=regex_blob,
        max_hits=int(record.get("max_hits", 3)),
        english_only=bool(record.get("english_only", rule_type not in ("count", "structure"))),
        rewrite=record.get("rewrite"),
    )


class Catalogue(NamedTuple):
    """Every rule, plus the title of each family (from a rule file's ``family``/``title``)."""

    rules: tuple[Rule, ...]
    families: dict[str, str]


def _read_rule_files(folder: str | os.PathLike[str]) -> tuple[dict[str, str], list[tuple[str, dict[str, Any]]]]:
    """Families and raw records (file name, record) of every ``*.toml`` file in ``folder``."""
    import tomllib  # only when the cache is cold: it costs start-up time

    families: dict[str, str] = {}
    records: list[tuple[str, dict[str, Any]]] = []
    for path in rulecache.rule_files(folder):
        try:
            with open(path, encoding="utf-8") as handle:
                data = tomllib.loads(handle.read())
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"rule file {path}: {exc}", "fix the TOML syntax") from None
        if "family" in data:
            families[data["family"]] = data.get("title", data["family"])
        records.extend((os.path.basename(path), record) for record in data.get("rule", []))
    return families, records


def _without_examples(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in ("good", "bad")}


def load_catalogue(folder: str | os.PathLike[str]) -> Catalogue:
    """Load and validate every ``*.toml`` rule file in ``folder``.

    The validated records, with their examples and compiled patterns, are cached (see
    :mod:`coach.rulecache`): parsing the TOML and compiling every pattern would otherwise
    be most of an offline critique's run time.
    """
    cached = rulecache.load(folder)
    if cached is not None:
        families, entries = cached
        rules = [_rule_from_record(record, source, examples, regexes) for source, record, examples, regexes in entries]
    else:
        families, records = _read_rule_files(folder)
        rules = [_rule_from_record(record, source) for source, record in records]
    seen: dict[str, str] = {}
    names: set[str] = set()
    for rule in rules:
        if rule.code in seen:
            raise _fail(rule.source, rule.code, f"code already used in {seen[rule.code]}")
        if rule.name in names:
            raise _fail(rule.source, rule.code, f"name {rule.name!r} already used")
        seen[rule.code] = rule.source
        names.add(rule.name)
    if cached is None and not caching_disabled():
        rules = [replace(rule, regex_blob=rule.regex_blob_for_cache()) for rule in rules]
        entries = [
            (source, _without_examples(record), rule.examples_blob, rule.regex_blob)
            for rule, (source, record) in zip(rules, records, strict=True)
        ]
        rulecache.store(folder, families, entries)
    return Catalogue(tuple(sorted(rules, key=lambda r: r.code)), families)


@cache
def catalogue() -> Catalogue:
    return load_catalogue(rules_dir())


def all_rules() -> tuple[Rule, ...]:
    return catalogue().rules


def rule_by_code(code: str) -> Rule:
    wanted = code.strip().upper()
    for rule in all_rules():
        if rule.code == wanted or rule.name == code.strip().lower():
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
