"""oit-checker: audit a Thai agency's website against the NACC ITA OIT disclosure items.

Example::

    from oit_checker import load_config, run_audit
    result = run_audit(load_config("config.toml"))
    for item in result.items:
        print(item.code, item.status)

The names below are imported on first use, so ``import oit_checker.crawl`` (or the CLI's
``--help``) does not pay for the whole audit (pydantic models, checks, reporters).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "run_audit": "audit",
    "Checklist": "checklist", "Item": "checklist", "load_checklist": "checklist",
    "LoadedConfig": "config", "load_config": "config",
    "ConfigError": "errors", "DemoError": "errors", "OitCheckerError": "errors",
    "AuditResult": "models", "Check": "models", "Document": "models", "FetchResult": "models",
    "Finding": "models", "ItemResult": "models", "Status": "models", "UrlResult": "models",
}

__all__ = [
    "AuditResult", "Check", "Checklist", "ConfigError", "DemoError", "Document", "FetchResult",
    "Finding", "Item", "ItemResult", "LoadedConfig", "OitCheckerError", "Status", "UrlResult",
    "__version__", "load_checklist", "load_config", "run_audit",
]

if TYPE_CHECKING:
    from .audit import run_audit
    from .checklist import Checklist, Item, load_checklist
    from .config import LoadedConfig, load_config
    from .errors import ConfigError, DemoError, OitCheckerError
    from .models import AuditResult, Check, Document, FetchResult, Finding, ItemResult, Status, UrlResult


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'oit_checker' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
