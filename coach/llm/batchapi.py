"""Large jobs through the provider's Batch API: half the price, no rate-limit pressure.

``submit`` writes one chat-completions request per draft (exactly the request the
online path would send) as Batch API JSON Lines, uploads it and starts a batch;
a manifest with the drafts is kept in the user cache dir so that ``collect`` can
run the same validation, grounding and merging as the online path when the
results come back. These control-plane calls (files, batches) use the SDK's own
small retry budget; no other layer retries them.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass, replace
from typing import Any

from pydantic import ValidationError

from coach.batch import Failure
from coach.cachefiles import cache_dir, read_bytes, write_private
from coach.config import Settings
from coach.engine import Options, critique_text
from coach.errors import CoachError, LLMError, LLMUnavailable, UsageError
from coach.llm.client import ChatClient, Usage, parse_answer
from coach.llm.critique import merge_answer
from coach.llm.models import CritiqueAnswer
from coach.llm.prompts import critique_messages
from coach.llm.settings import LLMSettings, redact
from coach.report import Report
from coach.sources import DraftInput

ENDPOINT = "/v1/chat/completions"
FINISHED = ("completed", "failed", "expired", "cancelled")


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
    if not write_private(path, json.dumps(asdict(manifest), ensure_ascii=False).encode("utf-8")):
        raise UsageError(f"could not save the batch manifest to {path}", "check the cache folder's permissions")
    return path


def load_manifest(batch_id: str) -> Manifest:
    raw = read_bytes(manifest_path(batch_id))
    if raw is None:
        raise UsageError(
            f"no local record of batch {batch_id!r}", "collect on the machine (and user) that submitted it"
        )
    return Manifest(**json.loads(raw))


def _sdk(settings: LLMSettings) -> Any:
    import openai

    from coach.llm.settings import LOCAL_PLACEHOLDER_KEY

    return openai.OpenAI(
        api_key=settings.api_key or LOCAL_PLACEHOLDER_KEY,
        base_url=settings.base_url,
        max_retries=2,  # the only retry layer for these calls
        timeout=settings.timeout,
    )


def _call(settings: LLMSettings, what: str, fn: Any) -> Any:
    """Run an SDK call, turning its errors into coach's one-line, key-free errors."""
    import openai

    try:
        return fn()
    except (openai.AuthenticationError, openai.PermissionDeniedError):
        from coach.errors import LLMAuthError

        raise LLMAuthError(
            f"{settings.endpoint} refused the credentials while trying to {what}", "check OPENAI_API_KEY"
        ) from None
    except openai.NotFoundError:
        raise LLMUnavailable(f"{settings.endpoint} has no such {what.split()[-1]}", "check the batch id") from None
    except openai.APIError as exc:
        raise LLMUnavailable(redact(f"could not {what}: {exc}", settings.api_key)[:300], "try again later") from None


def batch_requests(
    drafts: list[DraftInput], options: Options, settings: Settings, llm: LLMSettings, notes: str | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The Batch API lines for the readable drafts, and the manifest entries of all of them."""
    client = ChatClient(llm)
    lines, entries = [], []
    for draft in drafts:
        entry = {"index": draft.index, "path": draft.path, "id": draft.id, "kind": draft.kind, "text": draft.text}
        if draft.error is not None:
            entry["error"] = draft.error.one_line()
            entries.append(entry)
            continue
        wanted = replace(options, kind=draft.kind or options.kind)
        report = critique_text(draft.text, wanted, settings, path=draft.path)
        entry["kind"] = report.kind
        messages = critique_messages(draft.text, report.kind, report.findings, notes)
        entry["messages"] = messages
        body = client.request_body(messages, CritiqueAnswer, llm.max_tokens)
        lines.append({"custom_id": f"draft-{draft.index}", "method": "POST", "url": ENDPOINT, "body": body})
        entries.append(entry)
    return lines, entries


def to_jsonl(lines: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)


def submit(
    drafts: list[DraftInput], options: Options, settings: Settings, llm: LLMSettings, notes: str | None
) -> tuple[Manifest, str]:
    """Upload the requests and start a batch; return its manifest and where it was saved."""
    lines, entries = batch_requests(drafts, options, settings, llm, notes)
    if not lines:
        raise UsageError("no readable drafts to submit", "check the inputs")
    sdk = _sdk(llm)
    payload = to_jsonl(lines).encode("utf-8")
    uploaded = _call(
        llm, "upload the requests file", lambda: sdk.files.create(file=("coach-batch.jsonl", payload), purpose="batch")
    )
    batch = _call(
        llm,
        "create the batch",
        lambda: sdk.batches.create(
            input_file_id=uploaded.id, endpoint=ENDPOINT, completion_window="24h", metadata={"tool": "coach"}
        ),
    )
    manifest = Manifest(
        batch_id=batch.id,
        model=llm.model,
        endpoint=llm.endpoint,
        created=time.time(),
        options={k: list(v) if isinstance(v, tuple) else v for k, v in options.__dict__.items()},
        drafts=entries,
    )
    return manifest, save_manifest(manifest)


def status(batch_id: str, llm: LLMSettings) -> dict[str, Any]:
    sdk = _sdk(llm)
    batch = _call(llm, "read the batch", lambda: sdk.batches.retrieve(batch_id))
    counts = getattr(batch, "request_counts", None)
    return {
        "id": batch.id,
        "status": batch.status,
        "total": getattr(counts, "total", None),
        "completed": getattr(counts, "completed", None),
        "failed": getattr(counts, "failed", None),
        "output_file_id": getattr(batch, "output_file_id", None),
        "error_file_id": getattr(batch, "error_file_id", None),
    }


class NotFinished(CoachError):
    """The batch is still running: nothing to collect yet."""

    exit_code = 5


def _answers(text: str) -> dict[str, dict[str, Any]]:
    out = {}
    for line in text.splitlines():
        if line.strip():
            record = json.loads(line)
            out[str(record.get("custom_id"))] = record
    return out


def collect(batch_id: str, llm: LLMSettings, settings: Settings) -> list[Report | Failure]:
    """Reports for every draft of the batch, exactly as the online path would make them."""
    manifest = load_manifest(batch_id)
    info = status(batch_id, llm)
    if info["status"] not in FINISHED:
        raise NotFinished(
            f"batch {batch_id} is {info['status']} ({info['completed'] or 0} of {info['total'] or '?'} done)",
            f"run 'coach batch collect {batch_id}' again later",
        )
    sdk = _sdk(llm)
    answers: dict[str, dict[str, Any]] = {}
    for key in ("output_file_id", "error_file_id"):
        if info[key]:
            content = _call(llm, "download the results", lambda file_id=info[key]: sdk.files.content(file_id))
            answers.update(_answers(content.text))
    options = Options(**{k: tuple(v) if isinstance(v, list) else v for k, v in manifest.options.items()})
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
        record = answers.get(f"draft-{draft.index}")
        try:
            answer, usage = _parse_record(record, info["status"])
        except LLMError as exc:
            report.notices.append(f"the model could not be used ({exc.one_line()}); this is the rule engine's report")
            results.append(report)
            continue
        results.append(
            merge_answer(
                report, draft.text, answer, wanted, settings.penalties, manifest.model, usage, entry["messages"]
            )
        )
    return results


def _parse_record(record: dict[str, Any] | None, batch_status: str) -> tuple[CritiqueAnswer, Usage]:
    """The validated answer in one Batch API result line (the same checks as online)."""
    from coach.errors import LLMOutputError

    if record is None:
        raise LLMUnavailable(f"the batch ({batch_status}) has no result for this draft", "submit it again")
    if record.get("error"):
        message = record["error"].get("message", "error") if isinstance(record["error"], dict) else str(record["error"])
        raise LLMUnavailable(f"the batch request failed: {message}"[:200], "submit it again")
    response = record.get("response") or {}
    if response.get("status_code", 200) >= 400:
        raise LLMUnavailable(f"the batch request failed with HTTP {response.get('status_code')}", "submit it again")
    body = response.get("body") or {}
    choice = (body.get("choices") or [{}])[0]
    message = choice.get("message") or {}
    if message.get("refusal") or choice.get("finish_reason") == "content_filter":
        raise LLMOutputError("the model declined to answer", "see the rule engine's report")
    if choice.get("finish_reason") == "length":
        raise LLMOutputError("the model's answer was cut off", "raise [llm] max_tokens and submit again")
    usage_data = body.get("usage") or {}
    usage = Usage(
        requests=1,
        prompt_tokens=usage_data.get("prompt_tokens") or 0,
        completion_tokens=usage_data.get("completion_tokens") or 0,
    )
    try:
        return parse_answer(message.get("content") or "", CritiqueAnswer), usage
    except ValidationError as exc:
        first = exc.errors()[0]
        raise LLMOutputError(
            f"the model's answer did not match the expected shape ({first['msg']})", "submit again"
        ) from None
