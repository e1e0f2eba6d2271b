"""A private cache of the validated rule files, so start-up skips TOML parsing.

The cache is keyed by coach's version and the name, size and modification time
of every rule file; any change makes a new key. It lives in the user cache dir
(``XDG_CACHE_HOME`` honoured), is readable by the user only, and any problem
with it (read-only disk, corrupt file) silently falls back to the TOML files.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import zlib
from typing import Any

from coach import __version__
from coach.cachefiles import cache_dir, caching_disabled, read_bytes, write_private

# (rule file name, record without examples, examples blob, compiled patterns blob)
Records = list[tuple[str, dict[str, Any], bytes, bytes]]


def rule_files(folder: str | os.PathLike[str]) -> list[str]:
    """The ``*.toml`` files in ``folder``, sorted by name."""
    folder = os.fspath(folder)
    try:
        names = sorted(n for n in os.listdir(folder) if n.endswith(".toml"))
    except OSError:
        return []
    return [os.path.join(folder, n) for n in names]


def _path(folder: str | os.PathLike[str]) -> tuple[str, str] | None:
    """The cache file for ``folder``'s current rule files, and the prefix of its older versions."""
    try:
        stamp = "|".join(
            f"{os.path.basename(p)}:{st.st_size}:{st.st_mtime_ns}" for p in rule_files(folder) for st in (os.stat(p),)
        )
    except OSError:
        return None
    place = zlib.crc32(os.path.realpath(os.fspath(folder)).encode())
    key = zlib.crc32(f"{__version__}|{stamp}".encode())
    prefix = f"rules-{place:08x}-"
    return os.path.join(cache_dir(), f"{prefix}{key:08x}.marshal"), prefix


def load(folder: str | os.PathLike[str]) -> tuple[dict[str, str], Records] | None:
    where = None if caching_disabled() else _path(folder)
    data = read_bytes(where[0]) if where else None
    if data is None:
        return None
    try:
        families, records = marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return None
    return families, records


def store(folder: str | os.PathLike[str], families: dict[str, str], records: Records) -> None:
    where = None if caching_disabled() else _path(folder)
    if where is None:
        return
    path, prefix = where
    try:
        data = marshal.dumps((families, records))
    except ValueError:  # a value marshal cannot hold: just do without the cache
        return
    if write_private(path, data):
        # Older caches of the same rules folder are stale now.
        for name in os.listdir(os.path.dirname(path)):
            old = os.path.join(os.path.dirname(path), name)
            if name.startswith(prefix) and old != path:
                with contextlib.suppress(OSError):
                    os.unlink(old)
