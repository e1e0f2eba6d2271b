"""Many drafts at once: files, folders (recursively), e-mails and tables (JSON Lines, CSV).

Each draft becomes a :class:`DraftInput` in input order. A draft that cannot be
read does not stop the others: it carries its error, and the report for it is an
error record.
"""

from __future__ import annotations

import codecs
import contextlib
import itertools
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, cast

from coach.errors import CoachError, InputError, UsageError
from coach.io.read import (
    MAX_DRAFT_BYTES,
    STDIN_NAME,
    STDIN_NAMES,
    Source,
    decode,
    open_file,
    read_bytes,
    read_source,
    shown_name,
    stat_file,
    unreadable,
)

DRAFT_SUFFIXES = (".txt", ".md", ".eml")
TABLE_FORMATS = ("jsonl", "csv")


@dataclass
class DraftInput:
    """One draft to process, or the reason it could not be read."""

    index: int
    path: str | None = None
    id: str | None = None
    kind: str | None = None
    # Where ``kind`` came from when a table gave it ("the 'kind' field"); None when it did not.
    kind_from: str | None = None
    text: str = ""
    notices: list[str] = field(default_factory=list)
    error: CoachError | None = None

    @property
    def label(self) -> str:
        return self.id if self.id is not None else (self.path or STDIN_NAME)

    def where(self) -> dict[str, str | None]:
        """The fields that identify this draft in a report: ``path`` or ``id``."""
        return {"id": self.id} if self.id is not None else {"path": self.path}


def eml_to_draft(raw: bytes, name: str) -> Source:
    """An e-mail file as a draft: its subject and its plain-text body."""
    import email  # imported here, not at start-up: most runs read no e-mail
    import email.policy

    message = email.message_from_bytes(raw, policy=email.policy.default)
    part = message.get_body(preferencelist=("plain",)) if hasattr(message, "get_body") else None
    if part is None:
        raise InputError(f"{name}: the e-mail has no plain-text body", "save the message as text")
    try:
        body = part.get_content()
    except (LookupError, UnicodeError):
        payload = part.get_payload(decode=True)
        body, _ = decode(payload if isinstance(payload, bytes) else b"", name)
    subject = message.get("subject")
    text = f"Subject: {subject}\n\n{body.strip()}\n" if subject else body
    if not text.strip():
        raise InputError(f"{name}: the e-mail body is empty", "check the file")
    return Source(name=name, text=text)


def _walk(folder: str) -> Iterator[str]:
    """The draft files under ``folder``, in sorted order, found as the walk goes."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        yield from (os.path.join(root, f) for f in sorted(files) if f.lower().endswith(DRAFT_SUFFIXES))


def _read_one(path: str) -> Source:
    if path.lower().endswith(".eml") and path not in STDIN_NAMES:
        name, raw = read_bytes(path)
        return eml_to_draft(raw, name)
    return read_source(path)


def _table_lines(path: str, name: str) -> Iterator[str]:
    """The lines of a table (ends kept), decoded as they are read: a table of any size streams.

    The first block is sniffed as a draft is (binary files refused); a byte-order mark is
    honoured; a line that is not UTF-8 is read as cp1252 (as Excel saves). ``name``: the
    table as messages name it."""
    if path not in STDIN_NAMES:
        stat_file(path)
    raw: BinaryIO = sys.stdin.buffer if path in STDIN_NAMES else open_file(path)
    with contextlib.ExitStack() as stack:
        if raw is not sys.stdin.buffer:
            stack.callback(raw.close)
        try:
            yield from _decoded_lines(raw, name)
        except OSError as exc:  # a disk or pipe that fails half-way: one line, not a traceback
            raise unreadable(name, exc) from None


def _decoded_lines(raw: BinaryIO, name: str) -> Iterator[str]:
    import io

    buffered = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(cast(io.RawIOBase, raw))
    head = buffered.peek(8192)[:8192]
    if not head.strip():
        raise InputError(f"{name}: the table has no rows", "check the file")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            yield from io.TextIOWrapper(buffered, encoding="utf-16", newline="")
        except UnicodeDecodeError:
            raise InputError(
                f"{name}: has a UTF-16 byte-order mark but is not valid UTF-16", "re-save it as UTF-8"
            ) from None
        return
    decode(head, name, what="a table")  # refuses images, archives and other binary files
    if head.startswith(codecs.BOM_UTF8):
        buffered.read(len(codecs.BOM_UTF8))
    for line in buffered:
        try:
            yield line.decode("utf-8")
        except UnicodeDecodeError:
            yield line.decode("cp1252", errors="replace")


def _table_rows(path: str, fmt: str) -> Iterator[tuple[int, dict[str, object]]]:
    """(line number, row) for each row of a JSON Lines or CSV table, read as the run goes."""
    import csv
    import json

    name = shown_name(path)
    lines = _table_lines(path, name)
    if fmt == "jsonl":
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, {"__error__": f"{name}:{number}: not valid JSON ({exc.msg})"}
                continue
            yield number, row if isinstance(row, dict) else {"__error__": f"{name}:{number}: not a JSON object"}
        return
    reader = csv.DictReader(lines)
    try:
        for row in reader:
            yield reader.line_num, row
    except csv.Error as exc:
        raise InputError(f"{name}:{reader.line_num}: malformed CSV ({exc})", "fix the quoting on that line") from None


# A table's named fields are checked on its first rows: enough to catch a wrong option at once.
FIELD_CHECK_ROWS = 1000


def _field_names(rows: list[tuple[int, dict[str, object]]]) -> list[str]:
    """The fields of a table's readable rows, in the order they first appear."""
    names = (k for _, row in rows if "__error__" not in row for k in row if isinstance(k, str))
    return list(dict.fromkeys(names))


def check_fields(name: str, rows: list[tuple[int, dict[str, object]]], wanted: dict[str, str | None]) -> None:
    """Raise one UsageError when no row of ``rows`` (a table's first rows) has a field the
    command line named (``wanted`` maps each option to the field it names), listing the fields
    the table has: a wrong ``--text-field`` is one mistake, not one error per row."""
    readable = [row for _, row in rows if "__error__" not in row]
    if not readable:
        return
    for option, field_name in wanted.items():
        if field_name is None or any(field_name in row for row in readable):
            continue
        found = _field_names(rows)
        shown = ", ".join(repr(f) for f in found[:12]) + (", ..." if len(found) > 12 else "")
        where = "no row" if len(rows) < FIELD_CHECK_ROWS else f"none of the first {FIELD_CHECK_ROWS:,} rows"
        raise UsageError(
            f"{name}: {where} has a {field_name!r} field (fields found: {shown or 'none'})",
            f"pass the field that holds it with {option} NAME",
        )


def _checked_rows(
    name: str, path: str, fmt: str, wanted: dict[str, str | None]
) -> Iterator[tuple[int, dict[str, object]]]:
    """The rows of a table, after checking its first rows have the fields the command line named."""
    rows = _table_rows(path, fmt)
    first = list(itertools.islice(rows, FIELD_CHECK_ROWS))
    if not first:
        raise InputError(f"{name}: the table has no rows", "check the file")
    check_fields(name, first, wanted)
    yield from first
    del first
    yield from rows


def iter_inputs(
    args: tuple[str, ...],
    input_format: str | None = None,
    text_field: str = "text",
    id_field: str | None = None,
    kind_field: str | None = None,
) -> Iterator[DraftInput]:
    """Every draft named by ``args`` (files, folders, ``-``), or the rows of tables, in order,
    read one at a time as the caller asks for them: folders are walked and tables read as the
    run goes, so a run of any size holds only the drafts in flight."""
    index = itertools.count()

    def one_file(path: str) -> DraftInput:
        try:
            source = _read_one(path)
        except CoachError as exc:
            return DraftInput(next(index), path=shown_name(path), error=exc)
        return DraftInput(next(index), path=source.name, text=source.text, notices=list(source.notices))

    def rows_of(arg: str, fmt: str) -> Iterator[DraftInput]:
        name = shown_name(arg)
        wanted = {"--text-field": text_field, "--id-field": id_field, "--kind-field": kind_field}
        for number, row in _checked_rows(name, arg, fmt, wanted):
            label = f"{name}:{number}"
            row_id = str(row.get(id_field)) if id_field and row.get(id_field) not in (None, "") else label
            if "__error__" in row:
                yield DraftInput(next(index), id=row_id, error=InputError(str(row["__error__"]), "fix that line"))
                continue
            if text_field not in row:
                error = UsageError(f"{label}: this row has no {text_field!r} field", "add it")
                yield DraftInput(next(index), id=row_id, error=error)
                continue
            value = row.get(text_field)
            kind = row.get(kind_field) if kind_field else None
            if not isinstance(value, str) or not value.strip():
                empty = InputError(f"{label}: the draft is empty", "fill the text field")
                yield DraftInput(next(index), id=row_id, error=empty)
                continue
            if len(value) * 4 > MAX_DRAFT_BYTES and len(value.encode("utf-8")) > MAX_DRAFT_BYTES:
                too_big = InputError(
                    f"{label}: the draft is over the {MAX_DRAFT_BYTES // 1000} KB limit for one draft",
                    "trim it to the message itself",
                )
                yield DraftInput(next(index), id=row_id, error=too_big)
                continue
            kind_from = f"from the {kind_field!r} field" if kind else None
            yield DraftInput(next(index), id=row_id, text=value, kind=str(kind) if kind else None, kind_from=kind_from)

    for arg in args or ("-",):
        if input_format in TABLE_FORMATS:
            try:
                yield from rows_of(arg, input_format)
            except CoachError as exc:  # the table itself (or its rest) cannot be read
                yield DraftInput(next(index), path=shown_name(arg), error=exc)
        elif arg not in STDIN_NAMES and os.path.isdir(arg):
            found = False
            for path in _walk(arg):
                found = True
                yield one_file(path)
            if not found:
                error = InputError(f"{arg}: no .txt, .md or .eml drafts in this folder", "check the path")
                yield DraftInput(next(index), path=arg, error=error)
        else:
            yield one_file(arg)
