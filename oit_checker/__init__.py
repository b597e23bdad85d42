"""oit-checker: audit a Thai agency's website against the NACC ITA OIT disclosure items.

Example::

    from oit_checker import load_config, run_audit
    result = run_audit(load_config("config.toml"))
    for item in result.items:
        print(item.code, item.status)
"""

__version__ = "0.1.0"

from .audit import run_audit  # noqa: E402
from .checklist import Checklist, Item, load_checklist  # noqa: E402
from .config import LoadedConfig, load_config  # noqa: E402
from .errors import ConfigError, DemoError, OitCheckerError  # noqa: E402
from .models import AuditResult, Check, Document, FetchResult, Finding, ItemResult, Status, UrlResult  # noqa: E402

__all__ = [
    "AuditResult", "Check", "Checklist", "ConfigError", "DemoError", "Document", "FetchResult",
    "Finding", "Item", "ItemResult", "LoadedConfig", "OitCheckerError", "Status", "UrlResult",
    "__version__", "load_checklist", "load_config", "run_audit",
]
