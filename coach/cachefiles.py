"""Where coach keeps its caches, and how it writes them: atomically, user-only."""

from __future__ import annotations

import contextlib
import os
import sys


def cache_dir() -> str:
    """The user cache dir for coach (``XDG_CACHE_HOME`` honoured)."""
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return os.path.join(os.environ["LOCALAPPDATA"], "coach", "cache")
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "coach")


def caching_disabled() -> bool:
    return bool(os.environ.get("COACH_NO_RULE_CACHE"))


def read_bytes(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def write_private(path: str, data: bytes) -> bool:
    """Write ``data`` to ``path`` via a temporary file and a rename, mode 0600.

    Returns False instead of raising: a cache that cannot be written is only slower.
    """
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return False
    return True
