"""Configuration: a TOML file that switches rules, tunes thresholds and sets defaults.

Found as ``--config FILE``, else ``.coach.toml`` in the current folder or any
folder above it, else ``config.toml`` in the user config dir. Every mistake is
reported with the file and line, because a silently ignored setting is worse
than none.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any

from coach.errors import ConfigError, UsageError
from coach.io.dirs import user_config_path
from coach.rules.catalogue import expand_selectors, rule_by_code
from coach.rules.schema import SEVERITIES, Rule
from coach.text.kinds import KINDS

FAIL_ON = (*SEVERITIES, "never")
ACCOUNTS = ("premium", "free")
_TOP_KEYS = {
    "kind",
    "account",
    "fail-on",
    "min-severity",
    "select",
    "ignore",
    "severity",
    "rules",
    "kinds",
    "score",
    "llm",
}
_KIND_KEYS = {"select", "ignore", "severity", "rules"}
# Checked here by name only; values are validated when a model is used (coach.llm.settings).
LLM_KEYS = {"model", "base_url", "timeout", "max_attempts", "max_seconds", "temperature", "max_tokens", "cache"}


@dataclass
class RuleSettings:
    """Rule switches and tuning, either global or for one kind."""

    select: set[str] | None = None
    ignore: set[str] = field(default_factory=set)
    severity: dict[str, str] = field(default_factory=dict)
    params: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class Settings:
    kind: str = "auto"
    account: str = "premium"
    fail_on: str = "error"
    min_severity: str = "suggestion"
    rules: RuleSettings = field(default_factory=RuleSettings)
    per_kind: dict[str, RuleSettings] = field(default_factory=dict)
    penalties: dict[str, int] = field(default_factory=dict)
    llm: dict[str, Any] = field(default_factory=dict)
    source: str | None = None
    memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)  # see engine.active_rules


def find_config(explicit: str | os.PathLike[str] | None = None, cwd: str | None = None) -> str | None:
    """The config file to use: the explicit one, else ``.coach.toml`` upwards, else the user's."""
    if explicit is not None:
        path = os.fspath(explicit)
        if os.path.isdir(path):
            raise ConfigError(f"config file {path} is a folder", "pass the TOML file itself")
        if not os.path.isfile(path):
            raise ConfigError(f"config file {path} not found", "check the --config path")
        return path
    folder = os.path.realpath(cwd or os.getcwd())
    while True:
        candidate = os.path.join(folder, ".coach.toml")
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    user = user_config_path()
    return user if os.path.isfile(user) else None


def _line_of(raw: str, key: str) -> int:
    """The first line mentioning ``key``, so errors can point at it."""
    pattern = re.compile(rf"(?m)^\s*(?:\[[^\]]*)?[\"']?{re.escape(key)}\b")
    m = pattern.search(raw) or re.search(re.escape(key), raw)
    return raw.count("\n", 0, m.start()) + 1 if m else 1


class _Reader:
    """Validates one config file and builds :class:`Settings`, naming file:line on errors."""

    def __init__(self, path: str, raw: str) -> None:
        self.path, self.raw = path, raw

    def fail(self, key: str, problem: str, hint: str = "fix the config file") -> ConfigError:
        return ConfigError(f"{self.path}:{_line_of(self.raw, key)}: {problem}", hint)

    def choice(self, data: dict[str, Any], key: str, choices: tuple[str, ...], default: str) -> str:
        value = data.get(key, default)
        if value not in choices:
            raise self.fail(key, f"{key} = {value!r} is not one of {', '.join(choices)}")
        return value

    def codes(self, value: Any, key: str) -> set[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, f"{key} must be a list of rule codes")
        try:
            return expand_selectors(value, where=str(self.path))
        except UsageError as exc:
            raise self.fail(next((v for v in value if v in exc.message), key), exc.message) from None

    def rule_settings(self, data: dict[str, Any], where: str) -> RuleSettings:
        out = RuleSettings()
        if "select" in data:
            out.select = self.codes(data["select"], "select")
        if "ignore" in data:
            out.ignore = self.codes(data["ignore"], "ignore")
        for code, sev in data.get("severity", {}).items():
            rule = self.rule(code)
            if sev not in SEVERITIES:
                raise self.fail(code, f"severity of {code} in {where} must be one of {', '.join(SEVERITIES)}")
            out.severity[rule.code] = sev
        rules = data.get("rules", {})
        if not isinstance(rules, dict):
            raise self.fail("rules", "[rules] must be a table of rule codes")
        for code, params in rules.items():
            rule = self.rule(code)
            if not isinstance(params, dict):
                raise self.fail(code, f"[rules.{code}] must be a table, e.g. max = 150")
            for key, value in params.items():
                known = rule.tunables()
                if key not in known:
                    raise self.fail(code, f"{code} has no setting {key!r}", f"it accepts: {', '.join(known)}")
                if not isinstance(value, int | float) or isinstance(value, bool):
                    raise self.fail(code, f"{code}.{key} must be a number")
            out.params[rule.code] = dict(params)
        return out

    def rule(self, code: str) -> Rule:
        try:
            return rule_by_code(code)
        except UsageError:
            raise self.fail(code, f"unknown rule code {code!r}", "run 'coach rules' to list the codes") from None

    def read(self) -> Settings:
        import tomllib  # only when a config file exists: it costs start-up time

        try:
            data = tomllib.loads(self.raw)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{self.path}: {exc}", "fix the TOML syntax") from None
        unknown = sorted(set(data) - _TOP_KEYS)
        if unknown:
            raise self.fail(unknown[0], f"unknown setting {unknown[0]!r}", f"known: {', '.join(sorted(_TOP_KEYS))}")
        settings = Settings(source=self.path)
        settings.kind = self.choice(data, "kind", ("auto", *KINDS), "auto")
        settings.account = self.choice(data, "account", ACCOUNTS, "premium")
        settings.fail_on = self.choice(data, "fail-on", FAIL_ON, "error")
        settings.min_severity = self.choice(data, "min-severity", SEVERITIES, "suggestion")
        settings.rules = self.rule_settings(data, "the top level")
        for kind, table in data.get("kinds", {}).items():
            if kind not in KINDS:
                raise self.fail(kind, f"unknown kind {kind!r}", f"choose one of: {', '.join(KINDS)}")
            bad = sorted(set(table) - _KIND_KEYS)
            if bad:
                raise self.fail(bad[0], f"unknown setting {bad[0]!r} for kind {kind}")
            settings.per_kind[kind] = self.rule_settings(table, f"[kinds.{kind}]")
        score = data.get("score", {})
        for sev, cost in score.items():
            if sev not in SEVERITIES or not isinstance(cost, int) or isinstance(cost, bool) or cost < 0:
                raise self.fail(sev, f"[score] {sev} = {cost!r}: expected error/warning/suggestion = points")
            settings.penalties[sev] = cost
        llm = data.get("llm", {})
        if not isinstance(llm, dict):
            raise self.fail("llm", "[llm] must be a table")
        unknown_llm = sorted(set(llm) - LLM_KEYS)
        if unknown_llm:
            raise self.fail(
                unknown_llm[0], f"unknown [llm] setting {unknown_llm[0]!r}", f"known: {', '.join(sorted(LLM_KEYS))}"
            )
        settings.llm = llm
        return settings


def load_settings(explicit: str | os.PathLike[str] | None = None, cwd: str | None = None) -> Settings:
    path = find_config(explicit, cwd)
    if path is None:
        return Settings()
    try:
        with open(path, encoding="utf-8-sig") as handle:
            raw = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}", "check the file") from None
    return _Reader(path, raw).read()
