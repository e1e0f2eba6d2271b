"""Reading the plan's input files (connections, candidates): bounded, decoded, never sent anywhere.

Drafts have a 100 KB limit (coach.io.read); a LinkedIn export of 30,000 connections is
several megabytes, so these files get their own, larger limit. LinkedIn hands the export
over as a ZIP: coach reads Connections.csv straight out of it.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from collections.abc import Iterator

from coach.errors import InputError
from coach.io import read as inputs

MAX_FILE_BYTES = 16_000_000


def _read_zip_member(path: str, member: str, limit: int) -> bytes:
    with zipfile.ZipFile(path) as archive:
        names = [n for n in archive.namelist() if os.path.basename(n).casefold() == member.casefold()]
        if not names:
            raise InputError(f"{path}: is a ZIP archive with no {member} in it", f"pass {member} itself")
        info = archive.getinfo(names[0])
        if info.file_size > limit:
            raise InputError(f"{path}: {member} inside is over the {limit // 1_000_000} MB limit", "trim the file")
        return archive.read(info)


def read_bytes(path: str, *, limit: int = MAX_FILE_BYTES, zip_member: str | None = None) -> bytes:
    """The file's bytes (or ``zip_member``'s, in a ZIP), refusing folders, missing files and
    anything over ``limit`` (see coach.io.read.read_bytes)."""
    _, data = inputs.read_bytes(path, limit=limit, what="file")
    if data.startswith(b"PK\x03\x04"):
        if zip_member is None:
            raise InputError(f"{path}: is a ZIP archive, not a text file", "unzip it and pass the file inside")
        try:
            return _read_zip_member(path, zip_member, limit)
        except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
            raise InputError(
                f"{path}: cannot read the ZIP archive ({exc})", f"unzip it and pass {zip_member}"
            ) from None
    return data


def read_text(path: str, *, zip_member: str | None = None) -> tuple[str, list[str]]:
    """Decoded text and notices; an empty file is an input error."""
    data = read_bytes(path, zip_member=zip_member)
    if not data.strip():
        raise InputError(f"{path}: the file is empty", "pass the file with your data")
    return inputs.decode(data, path, what="CSV or TOML text")


def csv_rows(text: str, path: str) -> Iterator[tuple[int, list[str]]]:
    """(line where the row starts, cells) for each CSV row; a broken row raises naming its line."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    end = 0
    while True:
        start = end + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problem = "a quoted field opened here is never closed" if "end of data" in str(exc) else str(exc)
            raise InputError(
                f"{path}:{start}: {problem}", "fix the quotes on that line (or re-export the file)"
            ) from None
        end = reader.line_num
        yield start, row
