"""The model's polish of a composed draft, under the same fact guard as ``coach rewrite``."""

from __future__ import annotations

import copy
from dataclasses import replace

from coach.app.rewrite import REJECTED, llm_rewrite
from coach.compose.assemble import NOTE_LIMITS, note_length
from coach.compose.facts import facts_text
from coach.compose.message import ComposeOutcome, critique_options
from coach.llm.transport import ChatClient
from coach.rules.config import Settings
from coach.rules.engine import critique_text


def polish(
    offline: ComposeOutcome,
    client: ChatClient,
    settings: Settings,
    account: str = "premium",
    notes: str | None = None,
) -> ComposeOutcome:
    """The model's polish of the assembled draft, under the same fact guard as ``coach rewrite``.

    The facts are the model's notes, so it may use them and nothing else; what it
    invents anyway (a name, or a claim in plain words) comes back as an ``[ASK: ...]``
    marker. A polish that copies text from the prompt, breaks a rule outright (say, a
    note over the limit) or scores lower is dropped for the assembled draft, with one
    line saying why. Raises LLMError when the model cannot be used.
    """
    if offline.message is None or offline.draft is None:
        return offline
    sources = facts_text(offline.facts) + (f"\n\n{notes.strip()}" if notes and notes.strip() else "")
    options = critique_options(offline.kind, offline.stage, account)
    from coach.app.critique import llm_critique

    # The model's adjudication edits the report it is given: judge a copy, so the assembled
    # draft's own report stays the rules' if the polish is dropped or the model fails.
    before = offline.report or critique_text(offline.draft, options, settings)
    judged = llm_critique(copy.deepcopy(before), offline.draft, client, options, sources, settings.penalties)
    result = llm_rewrite(
        offline.draft,
        options,
        settings,
        client,
        notes=sources,
        judged=judged,
        before=before,
        require_gain=False,  # the assembled draft is already sound: a clean polish need not score higher
        fallback="draft",
    )
    extra = {
        **offline.extra,
        "model": result.extra.get("model"),
        "changes": list(result.changes),
        "unsupported_facts": list(result.unsupported_facts),
        "repaired": result.extra.get("repaired", False),
        "guard": result.extra.get("guard"),
    }
    if result.mode != "llm":  # not clean, or it breaks a rule the assembled draft keeps
        kept = f"{REJECTED}: {result.extra['guard']['fallback']}; this is the assembled draft"
        return replace(offline, notices=[*offline.notices, kept], extra=extra)
    if offline.kind == "connection-note":
        extra["characters"] = {"count": note_length(result.rewrite), "limit": NOTE_LIMITS[account]}
    # Shown as it stands: an [ASK: ...] marker is an unfilled placeholder until the writer fills it.
    report = critique_text(result.rewrite, options, settings)
    return replace(
        offline,
        message=result.rewrite,
        report=report,
        mode="llm",
        notices=[*offline.notices, *result.notices],
        extra=extra,
    )
