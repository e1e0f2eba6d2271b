"""An on-disk cache of validated model answers: the same request twice costs one call.

Keyed by the endpoint, the model, the full messages, the answer schema and the
sampling settings (never the key). Files live in the user cache dir and are
readable by the user only.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

from coach.io.dirs import cache_dir
from coach.io.files import read_cache, write_cache


def cache_key(**parts: Any) -> str:
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _path(key: str) -> str:
    return os.path.join(cache_dir(), "llm", key[:2], f"{key}.json")


def get(key: str) -> dict[str, Any] | None:
    raw = read_cache(_path(key))
    if raw is None:
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def put(key: str, value: dict[str, Any]) -> None:
    write_cache(_path(key), json.dumps(value, ensure_ascii=False).encode("utf-8"))
