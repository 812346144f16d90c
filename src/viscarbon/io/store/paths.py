"""Where the store lives: ``--store PATH`` > ``$VISCARBON_STORE`` > the user data directory."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

__all__ = ["resolve_store_path"]


def resolve_store_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The store file to use.

    Order: an explicit path (``--store``), then the environment variable
    ``VISCARBON_STORE``, then ``<user data dir>/viscarbon/store.duckdb`` (platformdirs).
    """
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("VISCARBON_STORE")
    if env:
        return Path(env).expanduser()
    return Path(user_data_dir("viscarbon", appauthor=False)) / "store.duckdb"
