"""The :class:`Coach`: the only place a run happens, for the CLI and for Python callers alike.

A Coach holds the settings, the rule options and, when one is configured, the model
session with its fallback policy. Every operation (critique, critique many, rewrite,
compose, the Batch API) goes through it; the CLI parses options into
:class:`coach.rules.engine.Options` and :class:`ModelChoice`, builds a Coach, calls
it and renders what comes back. Progress and notices reach the caller as callbacks,
so nothing here prints.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TypeVar

from coach.app.many import Failure, credit_kind, critique_one, critique_stream, default_jobs, in_order
from coach.app.model import read_notes, resolve_model
from coach.app.session import ModelSession, fallback_notice
from coach.app.tally import Tally
from coach.errors import ExitCode, InputError, UsageError
from coach.io.drafts import DraftInput
from coach.io.read import STDIN_NAME
from coach.rules.config import Settings, load_settings
from coach.rules.engine import Options, check_options, critique_text
from coach.rules.report import Report
from coach.rules.schema import SEVERITY_RANK

if TYPE_CHECKING:
    from coach.app.batches import Submitted
    from coach.app.rewrite import RewriteOutcome
    from coach.compose.facts import Facts
    from coach.compose.message import ComposeOutcome
    from coach.llm.settings import LLMSettings
    from coach.llm.transport import ChatClient

T = TypeVar("T")
R = TypeVar("R")
Notify = Callable[[str], None]
Progress = Callable[[int], None]

# Model requests in flight at once when --jobs is not given.
MODEL_DEFAULT_JOBS = 4


@dataclass(frozen=True)
class ModelChoice:
    """Whether and how to use a model: from flags, else the environment and the config file."""

    offline: bool = False
    demand: bool = False
    model: str | None = None
    base_url: str | None = None
    no_cache: bool = False
    notes_path: str | None = None
    context: str | None = None
    timeout: float | None = None  # seconds per request (default 30, or 240 for a server on this machine)


def _ignore(_: str) -> None:
    """The default notice sink: a library caller reads notices from the reports instead."""


class Coach:
    """One run's settings, rule options and model; see the module docstring."""

    def __init__(
        self,
        settings: Settings | None = None,
        options: Options | None = None,
        model: ModelChoice | None = None,
        *,
        jobs: int | None = None,
        notify: Notify | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self.options = check_options(options or Options())
        choice = self.choice = model or ModelChoice(offline=True)
        self.notify = notify or _ignore
        self.jobs = jobs
        self.llm: LLMSettings | None = resolve_model(
            self.settings,
            offline=choice.offline,
            demand=choice.demand,
            model=choice.model,
            base_url=choice.base_url,
            no_cache=choice.no_cache,
            timeout=choice.timeout,
        )
        self.notes = read_notes(choice.notes_path, choice.context)
        self.session = ModelSession(self.llm, choice.demand, self.notify) if self.llm is not None else None

    @classmethod
    def from_config(cls, config_path: str | None = None, **kwargs: Any) -> Coach:
        """A Coach with the settings of ``config_path`` (or the ``.coach.toml`` found from here)."""
        return cls(load_settings(config_path), **kwargs)

    @property
    def uses_model(self) -> bool:
        return self.session is not None

    # --- critique ------------------------------------------------------------------------

    def critique(self, text: str, *, path: str | None = None, **overrides: Any) -> Report:
        """One draft's report; ``overrides`` change this call's :class:`Options` (kind, stage...)."""
        options = replace(self.options, **overrides) if overrides else self.options
        report = critique_text(text, options, self.settings, path=path)
        if self.session is None:
            return report
        return self._deepen(report, text, options)

    def critique_many(
        self, drafts: Iterable[DraftInput], progress: Progress | None = None
    ) -> Iterator[Report | Failure]:
        """A report (or failure record) per draft, in input order, as each is ready.

        ``drafts`` is read as the work goes and each result is handed on at once, so a run
        holds only the drafts in flight (a few per job), however many come in."""
        if self.session is None:
            offline = critique_stream(drafts, self.options, self.settings, self.jobs or default_jobs())
            yield from _counted(offline, progress)
            return

        def deepen(draft: DraftInput) -> Report | Failure:
            report = critique_one(draft, self.options, self.settings)
            if isinstance(report, Failure):
                return report
            options = replace(self.options, kind=report.kind)
            return self._deepen(report, draft.text, options)

        yield from _counted(_ordered_pool(deepen, drafts, self.jobs or MODEL_DEFAULT_JOBS), progress)

    def _deepen(self, report: Report, text: str, options: Options) -> Report:
        from coach.app.critique import llm_critique

        assert self.session is not None

        def without_model(reason: str) -> Report:
            report.notices.append(fallback_notice(reason, "this is the rule engine's report"))
            return report

        return self.session.run(
            lambda client: llm_critique(report, text, client, options, self.notes, self.settings.penalties),
            without_model,
        )

    def prompts(self, drafts: Iterable[DraftInput]) -> Iterator[dict[str, Any]]:
        """What would be sent to the model for each readable draft (``--show-prompt``)."""
        from coach.llm.prompts import critique_messages, estimate_tokens

        for draft in drafts:
            result = critique_one(draft, self.options, self.settings)
            if isinstance(result, Failure):
                continue
            messages = critique_messages(draft.text, result, self.notes)
            yield {"path": result.path, "prompt_tokens_estimate": estimate_tokens(messages), "messages": messages}

    # --- rewrite -------------------------------------------------------------------------

    def rewrite(self, text: str, *, path: str | None = None, **overrides: Any) -> RewriteOutcome:
        """A better version of ``text``: the model's under the fact guard, else the rules' own fixes."""
        from coach.app.rewrite import llm_rewrite, offline_rewrite

        options = replace(self.options, **overrides) if overrides else self.options
        if self.session is None:
            return offline_rewrite(text, options, self.settings, path=path)

        def without_model(reason: str) -> RewriteOutcome:
            outcome = offline_rewrite(text, options, self.settings, path=path)
            outcome.notices.insert(0, fallback_notice(reason, "this is the rules-only rewrite"))
            return outcome

        def with_model(client: ChatClient) -> RewriteOutcome:
            from coach.app.critique import llm_critique

            # One rules critique serves both: the model judges a copy, the rewrite is scored against it.
            report = critique_text(text, options, self.settings, path=path)
            judged = llm_critique(copy.deepcopy(report), text, client, options, self.notes, self.settings.penalties)
            return llm_rewrite(text, options, self.settings, client, self.notes, path, judged=judged, before=report)

        return self.session.run(with_model, without_model)

    def rewrite_many(
        self, drafts: Iterable[DraftInput], progress: Progress | None = None
    ) -> Iterator[RewriteOutcome | Failure]:
        """A rewrite (or failure record) per draft, in input order, as each is ready (``drafts``
        is read as the work goes, as in :meth:`critique_many`)."""

        def one(draft: DraftInput) -> RewriteOutcome | Failure:
            if draft.error is not None:
                return Failure(draft, draft.error.one_line(), draft.error.exit_code)
            try:
                kind = {"kind": draft.kind} if draft.kind else {}
                outcome = self.rewrite(draft.text, path=None if draft.path == STDIN_NAME else draft.path, **kind)
            except (UsageError, InputError) as exc:  # e.g. an unknown kind in a table's kind column
                return Failure(draft, f"{draft.label}: {exc.one_line()}", exc.exit_code)
            if draft.id is not None:
                outcome.extra["id"] = draft.id
            outcome.notices[:0] = draft.notices
            credit_kind(outcome.before, draft)
            return outcome

        jobs = self.jobs or (MODEL_DEFAULT_JOBS if self.session else 1)
        yield from _counted(_ordered_pool(one, iter(drafts), jobs), progress)

    # --- compose -------------------------------------------------------------------------

    def compose(
        self,
        kind: str,
        stage: str | None,
        facts: Facts,
        account: str | None = None,
        given: Iterable[str] | None = None,
    ) -> ComposeOutcome:
        """A message of ``kind`` from ``facts``, assembled, polished by the model if there is one, critiqued.

        Facts the kind does not use are named in a notice: those among ``given`` (the ones the
        writer passed directly), or all of them."""
        from coach.app.polish import polish
        from coach.compose.facts import option_name, unused_facts
        from coach.compose.message import compose_offline

        account = account or self.settings.account
        outcome = compose_offline(kind, stage, facts, self.settings, account)
        named = set(given) if given is not None else None
        unused = [option_name(f) for f in unused_facts(kind, stage, facts) if named is None or f in named]
        if unused:
            label = f"{kind} ({stage})" if stage else kind
            outcome.notices.insert(0, f"{', '.join(unused)}: not used for {label}")
        if self.session is None or outcome.message is None:
            if self.notes:
                outcome.notices.append("--notes and --context are read only when a model polishes the draft")
            return outcome
        assembled = outcome

        def without_model(reason: str) -> ComposeOutcome:
            assembled.notices.append(fallback_notice(reason, "this is the assembled draft"))
            return assembled

        return self.session.run(
            lambda client: polish(assembled, client, self.settings, account, self.notes), without_model
        )

    # --- the Batch API ---------------------------------------------------------------------

    def batch_requests(self, drafts: Iterable[DraftInput]) -> Iterator[dict[str, Any]]:
        """The Batch API request lines for ``drafts`` (``coach batch submit --dry-run``); needs no key."""
        from coach.app import batches

        return batches.requests(drafts, self.options, self.settings, self._batch_llm(need_key=False), self.notes)

    def batch_submit(self, drafts: Iterable[DraftInput]) -> Iterator[Submitted]:
        """Submit ``drafts`` as one batch, or as several when they pass the Batch API's limits per
        file: each batch's id, how many drafts it carries, and where its record is kept, handed
        on as each batch starts."""
        from coach.app import batches

        return batches.submit(drafts, self.options, self.settings, self._batch_llm(), self.notes)

    def batch_status(self, batch_id: str) -> dict[str, Any]:
        from coach.llm import batchapi

        return batchapi.status(batch_id, self._batch_llm())

    def batch_collect(self, batch_id: str) -> Iterator[Report | Failure]:
        """Every draft's report from a finished batch, exactly as the online path would make it,
        one at a time (the batch's answers are downloaded before the first one)."""
        from coach.app import batches

        return batches.collect(batch_id, self._batch_llm(), self.settings)

    def _batch_llm(self, need_key: bool = True) -> LLMSettings:
        """The model settings a batch uses: the configured ones; a dry run needs no key or endpoint."""
        if self.llm is not None:
            return self.llm
        if not need_key:
            from coach.llm.settings import resolve

            dry = resolve(
                self.settings.llm,
                self.settings.source,
                model=self.choice.model,
                base_url=self.choice.base_url,
                no_cache=True,
                offline_ok=True,
            )
            assert dry is not None
            return dry
        from coach.errors import LLMUnavailable

        raise LLMUnavailable(
            "the Batch API needs a model endpoint and key",
            "set OPENAI_API_KEY, or pass --base-url (or OPENAI_BASE_URL)",
        )

    # --- the exit policy ---------------------------------------------------------------------

    def exit_code(self, tally: Tally, fail_on: str | None = None) -> ExitCode:
        """0, or 1 when a report has a finding at or above ``fail_on``; 4 (or 2) when drafts failed."""
        failed = exit_for_failures(tally)
        if failed is not None:
            return failed
        threshold = fail_on or self.settings.fail_on
        if threshold == "never" or tally.worst is None:
            return ExitCode.OK
        return ExitCode.FINDINGS if tally.worst >= SEVERITY_RANK[threshold] else ExitCode.OK


def exit_for_failures(tally: Tally) -> ExitCode | None:
    """4 when some drafts failed and others were processed; 2 when every draft failed; else None."""
    if not tally.failed:
        return None
    return ExitCode.USAGE if tally.failed == tally.total else ExitCode.SOME_FAILED


def _counted(items: Iterable[T], progress: Progress | None) -> Iterator[T]:
    for item in items:
        yield item
        if progress is not None:
            progress(1)


def _ordered_pool(work: Callable[[T], R], items: Iterator[T] | Iterable[T], jobs: int) -> Iterator[R]:
    """``work`` over ``items`` on ``jobs`` threads, yielded in input order as soon as each is ready.

    At most ``2 * jobs`` items are in flight, so a long input streams instead of being read
    into memory first."""
    if jobs <= 1:
        yield from (work(item) for item in items)
        return
    from concurrent.futures import ThreadPoolExecutor  # only for runs with a pool

    with ThreadPoolExecutor(jobs) as pool:
        yield from in_order(pool, work, items, 2 * jobs)


__all__ = ["Coach", "Failure", "ModelChoice", "Tally", "critique_one", "exit_for_failures"]
