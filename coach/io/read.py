"""Reading drafts safely: size limit first, then binary sniffing, then decoding.

A draft is read as bytes and decoded without newline translation, so offsets
in findings point at the characters the writer sees (CRLF included).
"""

from __future__ import annotations

import codecs
import os
import stat
import sys
from dataclasses import dataclass, field
from typing import BinaryIO

from coach.errors import InputError

MAX_DRAFT_BYTES = 100_000
STDIN_NAMES = ("-", "")
STDIN_NAME = "<stdin>"  # how standard input is named in messages and reports


def shown_name(path: str) -> str:
    """``path`` as messages and reports name it: ``<stdin>`` for standard input."""
    return STDIN_NAME if path in STDIN_NAMES else path


_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or a Word document)",
    b"\x7fELF": "a program",
    b"\xd0\xcf\x11\xe0": "an Office document",
}


@dataclass
class Source:
    """One draft as read: its display name, its text and what coach noticed reading it."""

    name: str
    text: str
    notices: list[str] = field(default_factory=list)


def decode(data: bytes, name: str, what: str = "a text draft") -> tuple[str, list[str]]:
    """Decode text (a draft, or ``what`` else): BOMs honoured, UTF-8 preferred, cp1252 (as
    older editors and Excel save) the legacy fallback, with a notice."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding), []
            except UnicodeDecodeError:
                raise InputError(
                    f"{name}: has a {encoding} byte-order mark but is not valid {encoding}", "re-save it as UTF-8"
                ) from None
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            raise InputError(f"{name}: looks like {kind}, not {what}", "save it as plain text")
    if b"\x00" in data[:8192]:
        raise InputError(f"{name}: looks like a binary file, not {what}", "save it as plain text")
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        return text, [f"{name} is not valid UTF-8; read it as Windows-1252 (cp1252): check accented letters"]


def _check_text(text: str, name: str) -> None:
    if not text.strip():
        raise InputError(f"{name}: the draft is empty", "paste the message you want coached")
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\r\n\t\f\v")
    if controls > max(8, len(text[:8192]) // 50):
        raise InputError(
            f"{name}: looks like a binary file, not a text draft", "paste or save the message as plain text"
        )


def _size(n: int) -> str:
    return f"{n // 1_000_000} MB" if n >= 1_000_000 else f"{n // 1000} KB"


def _too_big(name: str, size: str, limit: int, what: str) -> InputError:
    hint = "trim it to the message itself" if what == "draft" else "split or trim it"
    return InputError(f"{name}: {size} is over the {_size(limit)} limit for one {what}", hint)


def stat_file(path: str) -> os.stat_result:
    """What the file system says of ``path``, or the one-line error when it is missing or a folder."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file", "check the path") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read it ({exc.strerror})", "check the path and its permissions") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{path} is a folder, not a file", "pass the files inside it")
    return info


def unreadable(path: str, exc: OSError) -> InputError:
    """The one-line error for a file that exists but cannot be read."""
    return InputError(f"{path}: cannot read it ({exc.strerror})", "check the file's permissions")


def open_file(path: str) -> BinaryIO:
    """``path`` open for reading in binary, or the one-line error (call :func:`stat_file` first)."""
    try:
        return open(path, "rb")
    except OSError as exc:
        raise unreadable(path, exc) from None


def read_bytes(
    path: str, stdin: BinaryIO | None = None, limit: int = MAX_DRAFT_BYTES, what: str = "draft"
) -> tuple[str, bytes]:
    """Read at most ``limit`` bytes; refuse bigger input without reading all of it."""
    if path in STDIN_NAMES:
        stream = stdin if stdin is not None else sys.stdin.buffer
        data = stream.read(limit + 1)
        if len(data) > limit:
            raise _too_big(STDIN_NAME, "the input", limit, what)
        return STDIN_NAME, data
    info = stat_file(path)
    if stat.S_ISREG(info.st_mode) and info.st_size > limit:
        raise _too_big(path, _size(info.st_size), limit, what)
    try:
        with open_file(path) as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise unreadable(path, exc) from None
    if len(data) > limit:
        raise _too_big(path, "the file", limit, what)
    return path, data


def read_source(path: str, stdin: BinaryIO | None = None) -> Source:
    """Read one draft from a file or ``-`` (stdin), or raise a one-line :class:`InputError`."""
    name, data = read_bytes(path, stdin)
    if not data.strip():
        raise InputError(f"{name}: the draft is empty", "paste the message you want coached")
    text, notices = decode(data, name)
    _check_text(text, name)
    return Source(name=name, text=text, notices=notices)
