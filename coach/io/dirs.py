"""Where coach keeps the user's config and the model-answer cache.

The config folder comes from :func:`click.get_app_dir` (click is loaded anyway, so a
critique pays nothing for it); the cache folder from platformdirs, loaded only by the
runs that use a model.
"""

from __future__ import annotations

import os


def cache_dir() -> str:
    """The user cache folder (``~/.cache/coach`` on Linux; ``XDG_CACHE_HOME`` honoured)."""
    import platformdirs

    return platformdirs.user_cache_dir("coach", appauthor=False)


def user_config_path() -> str:
    """The user's config file (``~/.config/coach/config.toml`` on Linux; ``XDG_CONFIG_HOME`` honoured)."""
    import click

    return os.path.join(click.get_app_dir("coach"), "config.toml")
