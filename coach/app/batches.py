"""Large jobs through the provider's Batch API: half the price, no rate-limit pressure.

``submit`` critiques each draft with the rules, builds exactly the request the online
path would send, uploads them as one batch, and keeps a manifest (the drafts and the
options) in the user cache folder, so that ``collect`` can run the same validation,
grounding and merging as the online path when the answers come back.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from coach.app.critique import merge_answer
from coach.app.many import Failure, critique_one
from coach.app.session import fallback_notice
from coach.errors import LLMError, UsageError
from coach.io.dirs import cache_dir
from coach.io.drafts import DraftInput
from coach.io.files import read_cache, write_cache
from coach.llm import batchapi
from coach.llm.prompts import critique_messages
from coach.llm.settings import LLMSettings
from coach.llm.transport import ChatClient
from coach.rules.config import Settings
from coach.rules.engine import Options, critique_text
from coach.rules.report import Report


@dataclass
class Manifest:
    """What ``collect`` needs to turn answers into reports: the drafts and the options."""

    batch_id: str
    model: str
    endpoint: str
    created: float
    options: dict[str, Any]
    drafts: list[dict[str, Any]]  # index, path, id, kind, text


def manifest_path(batch_id: str) -> str:
    safe = "".join(ch for ch in batch_id if ch.isalnum() or ch in "-_")
    return os.path.join(cache_dir(), "batches", f"{safe}.json")


def save_manifest(manifest: Manifest) -> str:
    path = manifest_path(manifest.batch_id)
    if not write_cache(path, json.dumps(asdict(manifest), ensure_ascii=False).encode("utf-8")):
        raise UsageError(f"could not save the batch manifest to {path}", "check the cache folder's permissions")
    return path


def load_manifest(batch_id: str) -> Manifest:
    raw = read_cache(manifest_path(batch_id))
    if raw is None:
        raise UsageError(
            f"no local record of batch {batch_id!r}", "collect on the machine (and user) that submitted it"
        )
    try:
        return Manifest(**json.loads(raw))
    except (ValueError, TypeError):
        raise UsageError(
            f"the local record of batch {batch_id!r} is unreadable",
            f"delete {manifest_path(batch_id)} and submit again",
        ) from None


def requests(
    drafts: Sequence[DraftInput], options: Options, settings: Settings, llm: LLMSettings, notes: str | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The Batch API lines for the readable drafts, and the manifest entries of all of them."""
    client = ChatClient(llm)
    lines, entries = [], []
    for draft in drafts:
        entry: dict[str, Any] = {
            "index": draft.index,
            "path": draft.path,
            "id": draft.id,
            "kind": draft.kind,
            "text": draft.text,
        }
        report = critique_one(draft, options, settings)  # one bad row (say, an unknown kind) fails alone
        if isinstance(report, Failure):
            entry["error"] = report.message
            entries.append(entry)
            continue
        entry["kind"] = report.kind
        messages = critique_messages(draft.text, report, notes)
        entry["messages"] = messages
        lines.append(batchapi.request_line(client, draft.index, messages, llm.max_tokens))
        entries.append(entry)
    return lines, entries


def submit(
    drafts: Sequence[DraftInput], options: Options, settings: Settings, llm: LLMSettings, notes: str | None
) -> tuple[str, int, str]:
    """Upload the requests and start a batch: its id, the drafts sent, and where the manifest is."""
    lines, entries = requests(drafts, options, settings, llm, notes)
    if not lines:
        raise UsageError("no readable drafts to submit", "check the inputs")
    batch_id = batchapi.upload(lines, llm)
    manifest = Manifest(
        batch_id=batch_id,
        model=llm.model,
        endpoint=llm.endpoint,
        created=time.time(),
        options={k: list(v) if isinstance(v, tuple) else v for k, v in options.__dict__.items()},
        drafts=entries,
    )
    return batch_id, len(lines), save_manifest(manifest)


def collect(batch_id: str, llm: LLMSettings, settings: Settings) -> list[Report | Failure]:
    """Reports for every draft of the batch, exactly as the online path would make them."""
    manifest = load_manifest(batch_id)
    batch_status, answers = batchapi.download(batch_id, llm)
    saved: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in manifest.options.items()}
    try:
        options = Options(**saved)
    except TypeError:
        raise UsageError(
            f"the local record of batch {batch_id!r} was made by another version of coach", "submit the drafts again"
        ) from None
    results: list[Report | Failure] = []
    for entry in manifest.drafts:
        draft = DraftInput(
            index=entry["index"], path=entry["path"], id=entry["id"], kind=entry["kind"], text=entry["text"]
        )
        if "error" in entry:
            results.append(Failure(draft, entry["error"]))
            continue
        wanted = replace(options, kind=entry["kind"])
        report = critique_text(draft.text, wanted, settings, path=draft.path)
        if draft.id is not None:
            report.extra["id"] = draft.id
        try:
            answer, usage = batchapi.parse_record(answers.get(f"draft-{draft.index}"), batch_status)
        except LLMError as exc:
            report.notices.append(fallback_notice(exc.one_line(), "this is the rule engine's report"))
            results.append(report)
            continue
        results.append(
            merge_answer(
                report, draft.text, answer, wanted, settings.penalties, manifest.model, usage, entry["messages"]
            )
        )
    return results
