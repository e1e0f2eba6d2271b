"""Writing files without ever losing what the user had.

New text goes to a temporary file in the same folder and is renamed over the
target, which is atomic: an interrupted run leaves the old file or the new one,
never half of each. When the target exists, it is first copied to a backup next
to it (``draft.txt.bak``, or ``.bak.1``, ``.bak.2``... if that exists: a backup
is never overwritten).
"""

from __future__ import annotations

import contextlib
import os
import shutil

from coach.errors import InputError


def free_backup_name(path: str) -> str:
    candidate = f"{path}.bak"
    n = 0
    while os.path.exists(candidate):
        n += 1
        candidate = f"{path}.bak.{n}"
    return candidate


def _write_atomically(path: str, text: str, encoding: str, problem: str) -> None:
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise InputError(f"{path}: the folder {folder} does not exist", "create it or choose another path")
    tmp = os.path.join(folder, f".{os.path.basename(path)}.coach-{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding=encoding, newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if os.path.exists(path):
            shutil.copymode(path, tmp)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise InputError(
            f"{path}: could not write {problem} ({exc.strerror})", "check the path and free space"
        ) from None


def write_new(path: str, text: str, encoding: str = "utf-8") -> None:
    """Write a file that does not exist yet."""
    _write_atomically(path, text, encoding, "it")


def replace_with_backup(path: str, text: str, encoding: str = "utf-8") -> str:
    """Replace ``path`` with ``text`` after backing the original up; return the backup's path."""
    backup = free_backup_name(path)
    try:
        shutil.copy2(path, backup)
    except OSError as exc:
        raise InputError(f"{path}: could not make a backup ({exc.strerror})", "check the folder permissions") from None
    try:
        _write_atomically(path, text, encoding, "the new version")
    except InputError as exc:
        raise InputError(f"{exc.message}; the original is unchanged", f"a copy is also in {backup}") from None
    return backup
