"""Where coach keeps the user's config and the model-answer cache (platformdirs decides per OS)."""

from __future__ import annotations

import os


def cache_dir() -> str:
    """The user cache folder (``~/.cache/coach`` on Linux; ``XDG_CACHE_HOME`` honoured)."""
    import platformdirs

    return platformdirs.user_cache_dir("coach", appauthor=False)


def user_config_path() -> str:
    """The user's config file (``~/.config/coach/config.toml`` on Linux; ``XDG_CONFIG_HOME`` honoured)."""
    import platformdirs

    return os.path.join(platformdirs.user_config_dir("coach", appauthor=False), "config.toml")
