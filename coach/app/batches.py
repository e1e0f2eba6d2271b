"""Large jobs through the provider's Batch API: half the price, no rate-limit pressure.

``submit`` critiques each draft with the rules, builds exactly the request the online
path would send and writes it to disk at once; when a request file would pass the Batch
API's limits (requests or bytes per file) it is uploaded as one batch and the next one
begins. Beside each batch coach keeps a manifest (the options, then one line a draft) in
the user cache folder, so that ``collect`` can run the same validation, grounding and
merging as the online path when the answers come back, a draft at a time.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import IO, Any

from coach.app.critique import merge_answer
from coach.app.many import Failure, critique_one
from coach.app.session import fallback_notice
from coach.errors import LLMError, UsageError
from coach.io.dirs import cache_dir
from coach.io.drafts import DraftInput
from coach.io.files import atomic_file
from coach.llm import batchapi
from coach.llm.prompts import critique_messages
from coach.llm.settings import LLMSettings
from coach.llm.transport import ChatClient
from coach.rules.config import Settings
from coach.rules.engine import Options, critique_text
from coach.rules.report import Report

# The Batch API takes at most 50,000 requests and 200 MB in one input file; stay under both.
MAX_REQUESTS = 50_000
MAX_BYTES = 190_000_000
MANIFEST_VERSION = 2


@dataclass(frozen=True)
class Submitted:
    """One batch started: its id, how many drafts it carries, and where its manifest is."""

    batch_id: str
    sent: int
    manifest: str


def manifest_path(batch_id: str) -> str:
    safe = "".join(ch for ch in batch_id if ch.isalnum() or ch in "-_")
    return os.path.join(cache_dir(), "batches", f"{safe}.jsonl")


def _entries(
    drafts: Iterable[DraftInput], options: Options, settings: Settings, llm: LLMSettings, notes: str | None
) -> Iterator[tuple[dict[str, Any], dict[str, Any] | None]]:
    """(manifest entry, Batch API line) for each draft, built as the drafts are read; the line
    is None for a draft that failed (say, an unknown kind in a table's kind column)."""
    client = ChatClient(llm)
    for draft in drafts:
        entry: dict[str, Any] = {"index": draft.index, "path": draft.path, "id": draft.id, "kind": draft.kind}
        entry["text"] = draft.text
        report = critique_one(draft, options, settings)  # one bad row fails alone
        if isinstance(report, Failure):
            entry["error"] = report.message
            yield entry, None
            continue
        entry["kind"] = report.kind
        messages = critique_messages(draft.text, report, notes)
        entry["messages"] = messages
        yield entry, batchapi.request_line(client, draft.index, messages, llm.max_tokens)


def requests(
    drafts: Iterable[DraftInput], options: Options, settings: Settings, llm: LLMSettings, notes: str | None
) -> Iterator[dict[str, Any]]:
    """The Batch API lines for the readable drafts, one at a time (``submit --dry-run``)."""
    for _, line in _entries(drafts, options, settings, llm, notes):
        if line is not None:
            yield line


class _Part:
    """One batch in the making: its request file and its manifest entries, on disk."""

    def __init__(self, folder: str, number: int) -> None:
        self.requests_path = os.path.join(folder, f"requests-{number}.jsonl")
        self.entries_path = os.path.join(folder, f"entries-{number}.jsonl")
        self.requests_file: IO[bytes] = open(self.requests_path, "wb")  # noqa: SIM115 (closed by close())
        self.entries_file: IO[bytes] = open(self.entries_path, "wb")  # noqa: SIM115
        self.requests = 0
        self.size = 0

    def fits(self, line: bytes) -> bool:
        return self.requests < MAX_REQUESTS and self.size + len(line) <= MAX_BYTES

    def add(self, entry: dict[str, Any], line: bytes | None) -> None:
        self.entries_file.write(json.dumps(entry, ensure_ascii=False).encode("utf-8") + b"\n")
        if line is not None:
            self.requests_file.write(line)
            self.requests += 1
            self.size += len(line)

    def close(self) -> None:
        self.requests_file.close()
        self.entries_file.close()


def submit(
    drafts: Iterable[DraftInput], options: Options, settings: Settings, llm: LLMSettings, notes: str | None
) -> Iterator[Submitted]:
    """Upload the requests and start as many batches as the limits need, in input order, each
    handed on as soon as it has started (so a failure later never hides a batch already paid for)."""
    header = {
        "version": MANIFEST_VERSION,
        "model": llm.model,
        "endpoint": llm.endpoint,
        "options": {k: list(v) if isinstance(v, tuple) else v for k, v in options.__dict__.items()},
    }
    started = 0
    with tempfile.TemporaryDirectory(prefix="coach-batch-") as folder:
        part = _Part(folder, 0)
        try:
            for entry, request in _entries(drafts, options, settings, llm, notes):
                line = None if request is None else batchapi.jsonl_line(request).encode("utf-8")
                if line is not None and part.requests and not part.fits(line):
                    part.close()
                    yield _start(part, header, llm)
                    started += 1
                    part = _Part(folder, started)
                part.add(entry, line)
        finally:
            part.close()
        # A part is closed only when the next request does not fit, so the last one holds at
        # least one request (and the records of any failed drafts) unless none was readable.
        if not part.requests:
            raise UsageError("no readable drafts to submit", "check the inputs")
        yield _start(part, header, llm)


def _start(part: _Part, header: dict[str, Any], llm: LLMSettings) -> Submitted:
    """Upload one part, start its batch and keep its manifest beside the answers to come."""
    with open(part.requests_path, "rb") as requests_file:
        batch_id = batchapi.upload(requests_file, llm)
    path = manifest_path(batch_id)
    head = json.dumps({**header, "batch_id": batch_id, "created": time.time()}, ensure_ascii=False)
    try:
        with open(part.entries_path, "rb") as entries, atomic_file(path, private=True) as manifest:
            manifest.write(head.encode("utf-8") + b"\n")
            shutil.copyfileobj(entries, manifest)
    except OSError:
        raise UsageError(
            f"could not save the batch manifest to {path}", "check the cache folder's permissions"
        ) from None
    return Submitted(batch_id, part.requests, path)


def _stale(batch_id: str) -> UsageError:
    return UsageError(
        f"the local record of batch {batch_id!r} was made by another version of coach", "submit the drafts again"
    )


def _unreadable(batch_id: str) -> UsageError:
    path = manifest_path(batch_id)
    return UsageError(f"the local record of batch {batch_id!r} is unreadable", f"delete {path} and submit again")


def _open_manifest(batch_id: str) -> tuple[dict[str, Any], IO[str]]:
    """A batch's manifest: its header, and the file open at its first entry (the caller closes it)."""
    path = manifest_path(batch_id)
    try:
        handle = open(path, encoding="utf-8")  # noqa: SIM115 (the caller closes it)
    except OSError:
        if os.path.exists(path.removesuffix(".jsonl") + ".json"):
            raise _stale(batch_id) from None
        raise UsageError(
            f"no local record of batch {batch_id!r}", "collect on the machine (and user) that submitted it"
        ) from None
    try:
        header = json.loads(handle.readline())
    except ValueError:
        handle.close()
        raise _unreadable(batch_id) from None
    if not isinstance(header, dict) or header.get("version") != MANIFEST_VERSION:
        handle.close()
        raise _stale(batch_id)
    return header, handle


def collect(batch_id: str, llm: LLMSettings, settings: Settings) -> Iterator[Report | Failure]:
    """Reports for every draft of the batch, exactly as the online path would make them, one at a
    time. An unknown or stale record fails at once, and the batch's answers are downloaded to
    disk before the first report (a NotFinished or endpoint error is raised here); the drafts
    are then read from the manifest a line at a time."""
    header, manifest = _open_manifest(batch_id)
    with contextlib.ExitStack() as on_error:
        on_error.callback(manifest.close)
        saved: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in header["options"].items()}
        try:
            options = Options(**saved)
        except TypeError:
            raise _stale(batch_id) from None
        answers = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the reports' generator)
        on_error.callback(answers.close)
        batch_status, offsets = batchapi.download(batch_id, llm, answers)
        on_error.pop_all()  # from here the reports' generator closes both
    return _reports(batch_id, header["model"], options, settings, batch_status, manifest, answers, offsets)


def _reports(
    batch_id: str,
    model: str,
    options: Options,
    settings: Settings,
    batch_status: str,
    manifest: IO[str],
    answers: IO[bytes],
    offsets: dict[str, int],
) -> Iterator[Report | Failure]:
    with manifest, answers:
        for line in manifest:
            try:
                entry = json.loads(line)
            except ValueError:
                raise _unreadable(batch_id) from None
            draft = DraftInput(
                index=entry["index"], path=entry["path"], id=entry["id"], kind=entry["kind"], text=entry["text"]
            )
            if "error" in entry:
                yield Failure(draft, entry["error"])
                continue
            wanted = replace(options, kind=entry["kind"])
            report = critique_text(draft.text, wanted, settings, path=draft.path)
            if draft.id is not None:
                report.extra["id"] = draft.id
            try:
                record = batchapi.read_record(answers, offsets.get(f"draft-{draft.index}"))
                answer, usage = batchapi.parse_record(record, batch_status)
            except LLMError as exc:
                report.notices.append(fallback_notice(exc.one_line(), "this is the rule engine's report"))
                yield report
                continue
            yield merge_answer(report, draft.text, answer, wanted, settings.penalties, model, usage, entry["messages"])
