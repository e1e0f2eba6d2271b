"""A private cache of the parsed rule files, so start-up skips TOML parsing.

The cache is keyed by coach's version and the name, size and modification time
of every rule file; any change makes a new key. It lives in the user cache dir
(``XDG_CACHE_HOME`` honoured), is readable by the user only, and any problem
with it (read-only disk, corrupt file) silently falls back to the TOML files.
"""

from __future__ import annotations

import contextlib
import marshal
import zlib
from pathlib import Path
from typing import Any

from coach import __version__
from coach.cachefiles import cache_dir, caching_disabled, write_private

# (rule file name, record without examples, examples blob, compiled patterns blob)
Records = list[tuple[str, dict[str, Any], bytes, bytes]]


def _path(folder: Path) -> Path | None:
    try:
        stamp = "|".join(
            f"{p.name}:{st.st_size}:{st.st_mtime_ns}" for p in sorted(folder.glob("*.toml")) for st in (p.stat(),)
        )
    except OSError:
        return None
    place = zlib.crc32(str(folder.resolve()).encode())
    key = zlib.crc32(f"{__version__}|{stamp}".encode())
    return cache_dir() / f"rules-{place:08x}-{key:08x}.marshal"


def load(folder: Path) -> tuple[dict[str, str], Records] | None:
    path = _path(folder)
    if path is None or caching_disabled():
        return None
    try:
        families, records = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return families, records


def store(folder: Path, families: dict[str, str], records: Records) -> None:
    path = _path(folder)
    if path is None or caching_disabled():
        return
    try:
        data = marshal.dumps((families, records))
    except ValueError:  # a value marshal cannot hold: just do without the cache
        return
    if write_private(path, data):
        # Older caches of the same rules folder are stale now.
        for old in path.parent.glob(f"{path.name.rsplit('-', 1)[0]}-*.marshal"):
            if old != path:
                with contextlib.suppress(OSError):
                    old.unlink()
