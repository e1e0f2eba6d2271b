"""Writing files without ever losing what the user had.

New content goes to a temporary file in the same folder, is flushed to disk and
renamed over the target, which is atomic: an interrupted run leaves the old file or
the new one, never half of each. When the target holds the user's work, it is first
copied to a backup next to it (``draft.txt.bak``, or ``.bak.1``, ``.bak.2``... if that
exists: a backup is never overwritten).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from typing import BinaryIO

from coach.errors import InputError
from coach.io.read import read_bytes


@contextlib.contextmanager
def atomic_file(path: str, *, private: bool = False) -> Iterator[BinaryIO]:
    """A binary handle on a temporary file beside ``path``, flushed to disk and renamed over
    ``path`` when the block ends without error, removed when it does not; raises OSError.

    ``private`` files (caches) are the user's alone (mode 0600, folders 0700); otherwise an
    existing file keeps its mode."""
    folder = os.path.dirname(os.path.abspath(path))
    if private:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    tmp = os.path.join(folder, f".{os.path.basename(path)}.coach-{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o666)
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if not private and os.path.exists(path):
            shutil.copymode(path, tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write(path: str, data: bytes, *, private: bool = False) -> None:
    """Write ``data`` to ``path`` through a temporary file, fsync and a rename; raises OSError."""
    with atomic_file(path, private=private) as handle:
        handle.write(data)


class StreamedFile:
    """A text file written in pieces, put in place atomically only when the ``with`` block ends
    without error (an interrupted run leaves the old file untouched). With ``backup``, the file
    it replaces is first copied beside it; :attr:`backup` then names the copy."""

    def __init__(self, path: str, *, backup: bool = False, encoding: str = "utf-8") -> None:
        self.path = path
        self.encoding = encoding
        self.backup: str | None = free_backup_name(path) if backup else None
        self._stack = contextlib.ExitStack()

    def __enter__(self) -> StreamedFile:
        folder = os.path.dirname(os.path.abspath(self.path))
        if not os.path.isdir(folder):
            raise InputError(f"{self.path}: the folder {folder} does not exist", "create it or choose another path")
        try:
            self._handle = self._stack.enter_context(atomic_file(self.path))
        except OSError as exc:
            raise self._failed(exc, copied=False) from None
        return self

    def write(self, text: str) -> None:
        try:
            self._handle.write(text.encode(self.encoding))
        except OSError as exc:  # the old file stays as it was; the partial new one is removed
            raise self._failed(exc, copied=False) from None

    def _failed(self, error: OSError, copied: bool) -> InputError:
        """The one-line error for a write that failed: the old file, if any, is unchanged."""
        if self.backup is None:
            return InputError(f"{self.path}: could not write it ({error.strerror})", "check the path and free space")
        return InputError(
            f"{self.path}: could not write the new version ({error.strerror}); the original is unchanged",
            f"a copy is also in {self.backup}" if copied else "check the path and free space",
        )

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        if kind is not None:
            self._stack.__exit__(kind, exc, tb)  # type: ignore[arg-type]
            return
        try:
            if self.backup is not None:
                shutil.copy2(self.path, self.backup)
        except OSError as error:
            self._stack.__exit__(type(error), error, None)
            raise InputError(
                f"{self.path}: could not make a backup ({error.strerror})", "check the folder permissions"
            ) from None
        try:
            self._stack.close()
        except OSError as error:
            raise self._failed(error, copied=True) from None


def write_cache(path: str, data: bytes) -> bool:
    """A cache file, user-only; False instead of an error, since a cache that cannot be written is only slower."""
    try:
        atomic_write(path, data, private=True)
    except OSError:
        return False
    return True


def read_cache(path: str, limit: int = 10_000_000) -> bytes | None:
    """A cache file's bytes, or None when it is missing or unreadable (a miss, not an error)."""
    try:
        return read_bytes(path, limit=limit, what="cache file")[1]
    except InputError:
        return None


def free_backup_name(path: str) -> str:
    candidate = f"{path}.bak"
    n = 0
    while os.path.exists(candidate):
        n += 1
        candidate = f"{path}.bak.{n}"
    return candidate


def replace_with_backup(path: str, text: str, encoding: str = "utf-8") -> str:
    """Replace ``path`` with ``text`` after backing the original up; return the backup's path."""
    with StreamedFile(path, backup=True, encoding=encoding) as out:
        out.write(text)
    assert out.backup is not None
    return out.backup
