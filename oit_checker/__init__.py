"""oit-checker: audit a Thai agency's website against the NACC ITA OIT disclosure items.

Example::

    from oit_checker import load_config, run_audit
    result = run_audit(load_config("config.toml"))
    for item in result.items:
        print(item.code, item.status)

The names below are imported on first use, so ``import oit_checker.crawl`` (or the CLI's
``--help``) does not pay for the whole audit (pydantic models, checks, reporters). Importing the
package changes nothing in the host program (no allocator or logging settings).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "run_audit": "audit",
    "Checklist": "checklist", "Item": "checklist", "load_checklist": "checklist",
    "LoadedConfig": "config", "load_config": "config",
    "ConfigError": "errors", "DemoError": "errors", "NotifyError": "errors", "OitCheckerError": "errors",
    "OutputError": "errors", "StoreError": "errors",
    "AuditResult": "models", "Check": "models", "Document": "models", "FetchResult": "models",
    "Finding": "models", "ItemResult": "models", "Status": "models", "UrlResult": "models",
}

__all__ = [
    "AuditResult", "Check", "Checklist", "ConfigError", "DemoError", "Document", "FetchResult",
    "Finding", "Item", "ItemResult", "LoadedConfig", "NotifyError", "OitCheckerError", "OutputError", "Status",
    "StoreError", "UrlResult",
    "__version__", "load_checklist", "load_config", "run_audit",
]

if TYPE_CHECKING:
    from .audit import run_audit
    from .checklist import Checklist, Item, load_checklist
    from .config import LoadedConfig, load_config
    from .errors import ConfigError, DemoError, NotifyError, OitCheckerError, OutputError, StoreError
    from .models import AuditResult, Check, Document, FetchResult, Finding, ItemResult, Status, UrlResult

    __version__: str


def _version() -> str:
    """The installed distribution's version: pyproject.toml is the only place that holds the number."""
    from importlib import metadata  # here, not at the top: a few ms that most imports never need

    try:
        return metadata.version("oit-checker")
    except metadata.PackageNotFoundError:  # a source tree that was never installed
        return "0+unknown"


def __getattr__(name: str) -> Any:
    if name == "__version__":  # looked up on first use: reading the metadata scans sys.path
        globals()[name] = value = _version()
        return value
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'oit_checker' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
