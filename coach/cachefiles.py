"""Where coach keeps its caches, and how it writes them: atomically, user-only."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def cache_dir() -> Path:
    """The user cache dir for coach (``XDG_CACHE_HOME`` honoured)."""
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "coach" / "cache"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "coach"


def caching_disabled() -> bool:
    return bool(os.environ.get("COACH_NO_RULE_CACHE"))


def write_private(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` via a temporary file and a rename, mode 0600.

    Returns False instead of raising: a cache that cannot be written is only slower.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError:
        return False
    return True
