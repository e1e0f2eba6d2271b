"""Large jobs through the provider's Batch API: half the price, no rate-limit pressure.

This is the transport: request lines, upload, status, download and the checks on
each result line. What a batch is for (the drafts, the manifest, merging the
answers into reports) is :mod:`coach.app.batches`. These control-plane calls (files,
batches) use the SDK's own small retry budget; no other layer retries them.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from pydantic import ValidationError

from coach.errors import LLMUnavailable, NotFinished
from coach.llm.models import CritiqueAnswer
from coach.llm.settings import LLMSettings, redact
from coach.llm.transport import ChatClient, Usage, parse_answer

ENDPOINT = "/v1/chat/completions"
FINISHED = ("completed", "failed", "expired", "cancelled")


def _sdk(settings: LLMSettings) -> Any:
    import openai

    from coach.llm.settings import LOCAL_PLACEHOLDER_KEY
    from coach.llm.transport import HttpClient

    return openai.OpenAI(
        api_key=settings.api_key or LOCAL_PLACEHOLDER_KEY,
        base_url=settings.base_url,
        max_retries=2,  # the only retry layer for these calls
        timeout=settings.timeout,
        http_client=HttpClient(),
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


def request_line(client: ChatClient, index: int, messages: list[dict[str, str]], max_tokens: int) -> dict[str, Any]:
    """One Batch API line: exactly the chat-completions request the online path would send."""
    body = client.request_body(messages, CritiqueAnswer, max_tokens)
    return {"custom_id": f"draft-{index}", "method": "POST", "url": ENDPOINT, "body": body}


def jsonl_line(line: dict[str, Any]) -> str:
    """One request line as it goes in the Batch API's input file."""
    return json.dumps(line, ensure_ascii=False) + "\n"


def to_jsonl(lines: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The request lines as JSON Lines, a line at a time."""
    return (jsonl_line(line) for line in lines)


def upload(requests: IO[bytes], llm: LLMSettings) -> str:
    """Upload a request file (read from disk as it is sent) and start a batch; its id."""
    sdk = _sdk(llm)
    uploaded = _call(
        llm, "upload the requests file", lambda: sdk.files.create(file=("coach-batch.jsonl", requests), purpose="batch")
    )
    batch = _call(
        llm,
        "create the batch",
        lambda: sdk.batches.create(
            input_file_id=uploaded.id, endpoint=ENDPOINT, completion_window="24h", metadata={"tool": "coach"}
        ),
    )
    return str(batch.id)


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


def download(batch_id: str, llm: LLMSettings, into: IO[bytes]) -> tuple[str, dict[str, int]]:
    """A finished batch's status, with its result lines streamed into ``into`` and where each
    ``custom_id``'s line starts there (at most one batch's requests, so the map stays small);
    raises NotFinished before the batch has finished."""
    info = status(batch_id, llm)
    if info["status"] not in FINISHED:
        raise NotFinished(
            f"batch {batch_id} is {info['status']} ({info['completed'] or 0} of {info['total'] or '?'} done)",
            f"run 'coach batch collect {batch_id}' again later",
        )
    sdk = _sdk(llm)

    def fetch(file_id: str) -> None:
        with sdk.files.with_streaming_response.content(file_id) as response:
            for chunk in response.iter_bytes():
                into.write(chunk)
        into.write(b"\n")  # a file whose last line has no newline still ends its line

    for key in ("output_file_id", "error_file_id"):
        if info[key]:
            _call(llm, "download the results", lambda file_id=info[key]: fetch(file_id))
    offsets: dict[str, int] = {}
    into.seek(0)
    where = 0
    while line := into.readline():
        if line.strip():
            # An unreadable line answers no draft; that draft's report says so.
            with contextlib.suppress(ValueError, AttributeError):
                offsets[str(json.loads(line).get("custom_id"))] = where
        where += len(line)
    return str(info["status"]), offsets


def read_record(answers: IO[bytes], offset: int | None) -> dict[str, Any] | None:
    """The result line that starts at ``offset`` in the downloaded answers; None when there is none."""
    if offset is None:
        return None
    answers.seek(offset)
    record = json.loads(answers.readline())
    return record if isinstance(record, dict) else None


def parse_record(record: dict[str, Any] | None, batch_status: str) -> tuple[CritiqueAnswer, Usage]:
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
