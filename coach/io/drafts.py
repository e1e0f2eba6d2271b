"""Many drafts at once: files, folders (recursively), e-mails and tables (JSON Lines, CSV).

Each draft becomes a :class:`DraftInput` in input order. A draft that cannot be
read does not stop the others: it carries its error, and the report for it is an
error record.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from coach.errors import CoachError, InputError, UsageError
from coach.io.read import STDIN_NAMES, Source, decode, read_bytes, read_source

DRAFT_SUFFIXES = (".txt", ".md", ".eml")
TABLE_FORMATS = ("jsonl", "csv")
MAX_TABLE_BYTES = 200_000_000  # a table holds many drafts; each one still obeys the per-draft limit


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
        return self.id if self.id is not None else (self.path or "<stdin>")

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


def _walk(folder: str) -> list[str]:
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [os.path.join(root, f) for f in sorted(files) if f.lower().endswith(DRAFT_SUFFIXES)]
    return found


def _read_one(path: str) -> Source:
    if path.lower().endswith(".eml") and path not in STDIN_NAMES:
        name, raw = read_bytes(path)
        return eml_to_draft(raw, name)
    return read_source(path)


def _table_rows(path: str, fmt: str) -> Iterator[tuple[int, dict[str, object]]]:
    """(line number, row) for each row of a JSON Lines or CSV table."""
    import csv
    import io
    import json

    name, raw = read_bytes(path, limit=MAX_TABLE_BYTES, what="table")
    text, _ = decode(raw, name)
    if fmt == "jsonl":
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, {"__error__": f"{name}:{number}: not valid JSON ({exc.msg})"}
                continue
            yield number, row if isinstance(row, dict) else {"__error__": f"{name}:{number}: not a JSON object"}
        return
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        for row in reader:
            yield reader.line_num, row
    except csv.Error as exc:
        raise InputError(f"{name}:{reader.line_num}: malformed CSV ({exc})", "fix the quoting on that line") from None


def _field_names(rows: list[tuple[int, dict[str, object]]]) -> list[str]:
    """The fields of a table's readable rows, in the order they first appear."""
    names = (k for _, row in rows if "__error__" not in row for k in row if isinstance(k, str))
    return list(dict.fromkeys(names))


def check_fields(name: str, rows: list[tuple[int, dict[str, object]]], wanted: dict[str, str | None]) -> None:
    """Raise one UsageError when no row of a table has a field the command line named
    (``wanted`` maps each option to the field it names), listing the fields the table has:
    a wrong ``--text-field`` is one mistake, not one error per row."""
    readable = [row for _, row in rows if "__error__" not in row]
    if not readable:
        return
    for option, field_name in wanted.items():
        if field_name is None or any(field_name in row for row in readable):
            continue
        found = _field_names(rows)
        shown = ", ".join(repr(f) for f in found[:12]) + (", ..." if len(found) > 12 else "")
        raise UsageError(
            f"{name}: no row has a {field_name!r} field (fields found: {shown or 'none'})",
            f"pass the field that holds it with {option} NAME",
        )


def collect_inputs(
    args: tuple[str, ...],
    input_format: str | None = None,
    text_field: str = "text",
    id_field: str | None = None,
    kind_field: str | None = None,
) -> list[DraftInput]:
    """Every draft named by ``args`` (files, folders, ``-``), or the rows of tables, in order."""
    drafts: list[DraftInput] = []

    def add(**fields: Any) -> None:
        drafts.append(DraftInput(index=len(drafts), **fields))

    def add_file(path: str) -> None:
        try:
            source = _read_one(path)
        except CoachError as exc:
            add(path=path if path not in STDIN_NAMES else "<stdin>", error=exc)
            return
        add(path=source.name, text=source.text, notices=list(source.notices))

    def add_rows(arg: str, fmt: str) -> None:
        name = arg if arg not in STDIN_NAMES else "<stdin>"
        rows = list(_table_rows(arg, fmt))
        if not rows:
            raise InputError(f"{name}: the table has no rows", "check the file")
        check_fields(name, rows, {"--text-field": text_field, "--id-field": id_field, "--kind-field": kind_field})
        for number, row in rows:
            label = f"{name}:{number}"
            row_id = str(row.get(id_field)) if id_field and row.get(id_field) not in (None, "") else label
            if "__error__" in row:
                add(id=row_id, error=InputError(str(row["__error__"]), "fix that line"))
                continue
            if text_field not in row:
                add(id=row_id, error=UsageError(f"{label}: this row has no {text_field!r} field", "add it"))
                continue
            value = row.get(text_field)
            kind = row.get(kind_field) if kind_field else None
            if not isinstance(value, str) or not value.strip():
                add(id=row_id, error=InputError(f"{label}: the draft is empty", "fill the text field"))
                continue
            kind_from = f"from the {kind_field!r} field" if kind else None
            add(id=row_id, text=value, kind=str(kind) if kind else None, kind_from=kind_from)

    for arg in args or ("-",):
        if input_format in TABLE_FORMATS:
            try:
                add_rows(arg, input_format)
            except CoachError as exc:
                add(path=arg, error=exc)
        elif arg not in STDIN_NAMES and os.path.isdir(arg):
            found = _walk(arg)
            if not found:
                add(path=arg, error=InputError(f"{arg}: no .txt, .md or .eml drafts in this folder", "check the path"))
            for path in found:
                add_file(path)
        else:
            add_file(arg)
    return drafts
