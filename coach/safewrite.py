"""Replacing a user's file without ever losing what they wrote.

The original is copied to a backup next to it first (``draft.txt.bak``, or
``.bak.1``, ``.bak.2``... if that exists: a backup is never overwritten), then
the new text is written to a temporary file in the same folder and renamed over
the original, which is atomic: an interrupted run leaves either the old file or
the new one, never half of each.
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


def replace_with_backup(path: str, text: str, encoding: str = "utf-8") -> str:
    """Write ``text`` to ``path`` atomically after backing the original up; return the backup's path."""
    backup = free_backup_name(path)
    try:
        shutil.copy2(path, backup)
    except OSError as exc:
        raise InputError(f"{path}: could not make a backup ({exc.strerror})", "check the folder permissions") from None
    folder = os.path.dirname(os.path.abspath(path))
    tmp = os.path.join(folder, f".{os.path.basename(path)}.coach-{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding=encoding, newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        shutil.copymode(path, tmp)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise InputError(
            f"{path}: could not write the rewrite ({exc.strerror}); the original is unchanged",
            f"a copy is also in {backup}",
        ) from None
    return backup
