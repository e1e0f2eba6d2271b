"""What ``coach serve``'s JSON API does: check a request body, call the :class:`Coach`, return the CLI's JSON.

Each endpoint answers with exactly the object the matching command prints with
``--format json`` (a single draft read from stdin), and every refusal is a
:class:`coach.errors.CoachError` whose one line is the CLI's. Nothing here knows
about HTTP: :mod:`coach.web.server` carries the bodies in and the answers out.
"""

from __future__ import annotations

import base64
import binascii
import io
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from coach import __version__
from coach.app.coach import Coach, ModelChoice, Tally
from coach.errors import CoachError, ExitCode, UsageError
from coach.rules.config import Settings

Notify = Callable[[str], None]
Body = dict[str, Any]


@dataclass
class Answer:
    """One endpoint's answer: the CLI's JSON object and the exit code the CLI would have ended with."""

    data: dict[str, Any]
    exit_code: int = ExitCode.OK


def _ignore(_: str) -> None:
    """Notices reach the page inside each answer; the server has nobody else to tell."""


# --- checking bodies -----------------------------------------------------------------------


def _fields(body: Body, allowed: tuple[str, ...]) -> None:
    unknown = [key for key in body if key not in allowed]
    if unknown:
        raise UsageError(f"unknown field {unknown[0]!r} in the request", f"the fields are: {', '.join(allowed)}")


def _text(body: Body, key: str, required: bool = False) -> str | None:
    value = body.get(key)
    if value is None or (value == "" and not required):
        if required:
            raise UsageError(f"missing {key!r} in the request", f"send {key!r} as text")
        return None
    if not isinstance(value, str):
        raise UsageError(f"{key!r} must be text, not {type(value).__name__}", f"send {key!r} as a string")
    return value


def _choice(body: Body, key: str, choices: tuple[str, ...], default: str | None = None) -> str | None:
    """A value from ``choices``, refused with click's own words (the CLI's ``--key`` option)."""
    value = _text(body, key)
    if value is None:
        return default
    if value not in choices:
        shown = ", ".join(repr(c) for c in choices)
        raise UsageError(f"Invalid value for '--{key}': {value!r} is not one of {shown}")
    return value


def _draft(body: Body) -> str:
    """The draft, read as ``coach critique -`` reads stdin: the same limits, checks and messages."""
    from coach.io.read import read_source

    text = body.get("text", "")
    if not isinstance(text, str):
        raise UsageError(f"'text' must be text, not {type(text).__name__}", "send the draft as a string")
    return read_source("-", io.BytesIO(text.encode("utf-8", errors="surrogatepass"))).text


def _rule_overrides(body: Body) -> dict[str, Any]:
    from coach.text.kinds import ALL_STAGES, KINDS

    overrides: dict[str, Any] = {"kind": _choice(body, "kind", ("auto", *KINDS), "auto")}
    stage = _choice(body, "stage", ALL_STAGES)
    if stage is not None:
        overrides["stage"] = stage
    account = _choice(body, "account", ("premium", "free"))
    if account is not None:
        overrides["account"] = account
    return overrides


# --- the service -----------------------------------------------------------------------------


@dataclass
class Service:
    """The server's settings and model choice; a fresh :class:`Coach` per request, so one failed
    model call falls back for that request only, not for the rest of the server's life."""

    settings: Settings = field(default_factory=Settings)
    model: ModelChoice = field(default_factory=lambda: ModelChoice(offline=True))
    notify: Notify = _ignore

    def coach(self) -> Coach:
        return Coach(self.settings, model=self.model, notify=self.notify)

    # GET /api/info
    def info(self) -> dict[str, Any]:
        """What the page needs to draw its forms; the model's name at most, never its key or endpoint."""
        from coach.compose.facts import FACTS, KIND_HINTS, RELATIONSHIPS, REQUIRED, USED
        from coach.compose.facts import STAGES as COMPOSE_STAGES
        from coach.plan.readiness import ANSWER_KEYS
        from coach.text.kinds import KIND_SUMMARIES, KINDS, STAGES

        llm = self.coach().llm
        forms = {
            f"{kind}/{stage}" if stage else kind: {
                "required": list(REQUIRED[(kind, stage)]),
                "optional": [f for f in USED[(kind, stage)] if f not in REQUIRED[(kind, stage)]],
            }
            for kind, stage in REQUIRED
        }
        return {
            "version": __version__,
            "model": llm.model if llm is not None else None,
            "kinds": list(KINDS),
            "kind_summaries": {k: KIND_SUMMARIES.get(k, "") for k in KINDS},
            "stages": {k: list(v) for k, v in STAGES.items()},
            "compose": {
                "stages": {k: list(v) for k, v in COMPOSE_STAGES.items()},
                "forms": forms,
                "facts": {name: {"help": spec.help, "hint": spec.hint} for name, spec in FACTS.items()},
                "kind_hints": {f"{kind}/{fact}": hint for (kind, fact), hint in KIND_HINTS.items()},
                "relationships": list(RELATIONSHIPS),
            },
            "plan": {"answer_keys": list(ANSWER_KEYS)},
        }

    # POST /api/critique
    def critique(self, body: Body) -> Answer:
        """``coach critique --format json -``: the report of one draft."""
        _fields(body, ("text", "kind", "stage", "account"))
        overrides = _rule_overrides(body)
        text = _draft(body)
        coach = self.coach()
        report = coach.critique(text, path="<stdin>", **overrides)
        return Answer(report.to_dict(), coach.exit_code(Tally.of([report])))

    # POST /api/rewrite
    def rewrite(self, body: Body) -> Answer:
        """``coach rewrite --format json -``: the better version, its changes and both scores."""
        _fields(body, ("text", "kind", "stage", "account"))
        overrides = _rule_overrides(body)
        text = _draft(body)
        return Answer(self.coach().rewrite(text, **overrides).to_dict())

    # POST /api/compose
    def compose(self, body: Body) -> Answer:
        """``coach compose KIND --format json``: the message from the facts, critiqued."""
        from coach.compose.facts import STAGES, build_facts, missing_facts, option_name, resolve_stage
        from coach.text.kinds import KINDS

        _fields(body, ("kind", "stage", "facts", "account"))
        kind = _choice(body, "kind", KINDS)
        if kind is None:
            raise UsageError("missing 'kind' in the request", f"send one of: {', '.join(KINDS)}")
        stages = tuple(dict.fromkeys(s for v in STAGES.values() for s in v))
        stage = resolve_stage(kind, _choice(body, "stage", stages))
        account = _choice(body, "account", ("premium", "free"))
        values = body.get("facts") or {}
        if not isinstance(values, dict):
            raise UsageError("'facts' must be an object of names and values", "send the facts as a JSON object")
        # Keys as option names or fields (days-since, days_since); blank means not given.
        values = {str(k).replace("-", "_"): v for k, v in values.items() if v is not None and v != ""}
        facts = build_facts(values, "facts")
        missing = missing_facts(kind, stage, facts)
        label = f"{kind} ({stage})" if stage else kind
        if missing:
            names = ", ".join(option_name(m) for m in missing)
            raise MissingFacts(
                f"missing facts for {label}: {names}; pass them as options or in --facts FILE", missing=missing
            )
        outcome = self.coach().compose(kind, stage, facts, account)
        code = ExitCode.USAGE if outcome.message is None else ExitCode.FINDINGS if outcome.has_error else ExitCode.OK
        return Answer(outcome.to_dict(), code)

    # POST /api/plan
    def plan(self, body: Body) -> Answer:
        """``coach plan --format json``, with the connections file sent in the body (never kept)."""
        from coach.plan.build import PlanInputs, build_plan
        from coach.plan.readiness import parse_answers

        _fields(body, ("target", "goal", "candidates", "answers", "connections"))
        target = _text(body, "target", required=True)
        assert target is not None
        candidates = body.get("candidates") or []
        if not isinstance(candidates, list) or not all(isinstance(c, str) for c in candidates):
            raise UsageError("'candidates' must be a list of specs", 'e.g. ["Jane Park; tie=weak; knows-target=well"]')
        for spec in candidates:
            if ";" not in spec and "=" not in spec and spec.strip().lower().endswith((".toml", ".csv")):
                raise UsageError(f"--candidate {spec!r}: the page takes people, not files", "name the person instead")
        answers = body.get("answers") or {}
        if not isinstance(answers, dict):
            raise UsageError("'answers' must be an object", 'e.g. {"timing": "yes"}')
        pairs = tuple(f"{k}={'yes' if v is True else 'no' if v is False else v}" for k, v in answers.items())
        with _uploaded(body.get("connections")) as path:
            inputs = PlanInputs(
                target=target,
                goal=_text(body, "goal"),
                connections_path=path,
                candidates=tuple(s for s in candidates if s.strip()),
                answers=parse_answers(pairs),
            )
            try:
                result = build_plan(inputs).model_dump(mode="json")
            except CoachError as exc:
                if path is not None:
                    exc.message = _renamed(exc.message, path, os.path.basename(path))
                    exc.hint = _renamed(exc.hint, path, os.path.basename(path))
                raise
            if path is not None:  # the file as the user named it, not where it was kept for a moment
                result = _renamed(result, path, os.path.basename(path))
        return Answer(result)


class MissingFacts(UsageError):
    """Compose was asked for a message without the facts it cannot be written without."""

    def __init__(self, message: str, missing: list[str]) -> None:
        super().__init__(message)
        self.missing = missing


_SAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")


class _uploaded:
    """The uploaded connections file in a private temporary folder, under its own name, removed after."""

    def __init__(self, upload: Any) -> None:
        self.upload = upload
        self.folder: str | None = None

    def __enter__(self) -> str | None:
        upload = self.upload
        if upload is None:
            return None
        if not isinstance(upload, dict) or not isinstance(upload.get("data"), str):
            raise UsageError(
                "'connections' must be an object with 'name' and 'data' (base64)", "upload the file from the page"
            )
        try:
            data = base64.b64decode(upload["data"], validate=True)
        except (binascii.Error, ValueError):
            raise UsageError("'connections': 'data' is not base64", "upload the file from the page") from None
        raw = os.path.basename(str(upload.get("name") or "Connections.csv").replace("\\", "/"))
        name = _SAFE_NAME.sub("_", raw).strip(" .") or "Connections.csv"
        self.folder = tempfile.mkdtemp(prefix="coach-plan-")
        path = os.path.join(self.folder, name)
        with open(path, "wb") as handle:
            handle.write(data)
        return path

    def __exit__(self, *exc: object) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


def _renamed(value: Any, old: str, new: str) -> Any:
    if isinstance(value, str):
        return value.replace(old, new)
    if isinstance(value, list):
        return [_renamed(v, old, new) for v in value]
    if isinstance(value, dict):
        return {k: _renamed(v, old, new) for k, v in value.items()}
    return value
