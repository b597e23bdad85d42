"""Where files live: the user's data directory, and paths written in the agency config.

One rule for every path key of the config (``[audit] checklist``, ``[storage] path``, ``[evidence]
dir``, ``[schedule] lock_file``, ``[browser] social_rules``): ``~`` is expanded, and a relative path
is relative to the folder of the config file (``LoadedConfig.base_dir``), never to the current
directory, so a nightly job finds the same files as the person who wrote the config.

History and evidence share one data directory, the platform's own (``platformdirs``):
``~/.local/share/oit-checker`` on Linux (``$XDG_DATA_HOME`` when absolute), ``~/Library/Application
Support/oit-checker`` on macOS, ``%LOCALAPPDATA%\\oit-checker`` on Windows.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

if TYPE_CHECKING:
    from .config import LoadedConfig

APP_NAME = "oit-checker"


def data_dir() -> Path:
    """The user's data directory for oit-checker (history and evidence go under it)."""
    # appauthor=False: on Windows the default (None) would give ...\oit-checker\oit-checker
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def resolve(value: str, base_dir: Path) -> Path:
    """``value`` with ``~`` expanded; relative to ``base_dir`` unless absolute."""
    path = Path(value).expanduser()
    return path if path.is_absolute() else base_dir / path


def from_config(loaded: LoadedConfig, value: str) -> Path:
    """A path written in the config (``value`` must not be empty): relative to the config's folder."""
    if not value:
        raise ValueError("an empty path has no location; the caller picks its default")
    return resolve(value, loaded.base_dir)
