"""Compiled regular expressions, kept across runs so an offline critique starts fast.

CPython parses and compiles a pattern in pure Python; for the rule catalogue that
is tens of milliseconds on every start, most of a critique's run time. The result
of that work is a list of integers that the C engine (``_sre``) accepts directly,
so we keep the list on disk, keyed by the Python version and the engine's
``MAGIC``, and rebuild each pattern in microseconds.

This leans on two private pieces of the standard library (``re._parser`` and
``re._compiler._code``); any surprise there, or in the cache file, falls back to
plain :func:`re.compile`, so the worst case is only slower, never different.
"""

from __future__ import annotations

import _sre
import marshal
import os
import re
import sys
from typing import Any

from coach.cachefiles import cache_dir, caching_disabled, read_bytes, write_private

_MAX_BYTES = 8_000_000
_entries: dict[tuple[str, int], tuple[Any, ...]] | None = None
_dirty = False


def _path() -> str:
    return os.path.join(cache_dir(), f"regex-py{sys.version_info[0]}{sys.version_info[1]}-{_sre.MAGIC}.marshal")


def _load() -> dict[tuple[str, int], tuple[Any, ...]]:
    global _entries
    if _entries is None:
        _entries = {}
        if not caching_disabled():
            raw = read_bytes(_path())
            try:
                data = marshal.loads(raw) if raw else None
            except (EOFError, ValueError, TypeError):
                data = None
            if isinstance(data, dict):
                _entries = data
    return _entries


def _fresh(pattern: str, flags: int) -> tuple[re.Pattern[str], tuple[Any, ...] | None]:
    """Compile like ``re._compiler.compile`` does, keeping the pieces worth caching."""
    try:
        from re import _compiler, _parser

        parsed = _parser.parse(pattern, flags)
        code = [int(op) for op in _compiler._code(parsed, flags)]
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        entry = (int(flags | parsed.state.flags), code, parsed.state.groups - 1, groupindex, tuple(indexgroup))
        return _sre.compile(pattern, *entry), entry
    except re.error:
        raise
    except Exception:  # private API changed: behave exactly like re.compile
        return re.compile(pattern, flags), None


def entry(pattern: str, flags: int = 0) -> tuple[Any, ...] | None:
    """What :func:`build` needs to rebuild ``pattern`` without compiling it (None if unavailable)."""
    return _fresh(pattern, int(flags))[1]


def build(pattern: str, flags: int, cached: tuple[Any, ...] | None) -> re.Pattern[str]:
    """Rebuild a pattern from :func:`entry`'s result, or compile it if that fails."""
    if cached is not None:
        try:
            return _sre.compile(pattern, *cached)
        except Exception:
            pass
    return compile(pattern, flags)


def compile(pattern: str, flags: int | re.RegexFlag = 0) -> re.Pattern[str]:
    """:func:`re.compile`, served from the on-disk cache when the pattern was seen before."""
    global _dirty
    key = (pattern, int(flags))
    entries = _load()
    entry = entries.get(key)
    if entry is not None:
        try:
            return _sre.compile(pattern, *entry)
        except Exception:
            entries.pop(key, None)
    compiled, entry = _fresh(pattern, int(flags))
    if entry is not None:
        entries[key] = entry
        _dirty = True
    return compiled


def save() -> None:
    """Write newly compiled patterns to the cache (user-only permissions, atomic)."""
    global _dirty
    if not _dirty or _entries is None or caching_disabled():
        return
    _dirty = False
    try:
        data = marshal.dumps(_entries)
    except ValueError:
        return
    if len(data) > _MAX_BYTES:  # stale patterns from old rule versions: start over
        data = marshal.dumps({})
    write_private(_path(), data)
