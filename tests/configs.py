"""One writer for the agency configs that end-to-end tests audit (a real TOML file on disk)."""

from __future__ import annotations

import json
from pathlib import Path

from oit_checker.config import LoadedConfig, parse_config_text

QUIET_HTTP = "retries = 0\nper_host_interval = 0\nread_timeout = 60\ntotal_timeout = 120"
"""No retries or spacing: a test site answers at once, and a failure should show at once."""
HTTP_ONLY = '[browser]\nmode = "never"\n[evidence]\nenabled = false\n'
"""Tables for an audit without Chromium and without an evidence folder (most end-to-end tests)."""


def write_agency_config(directory: Path, base: str, items: dict[str, str], *, name: str = "กรมทดสอบ",
                        homepage: str | None = None, http: str = QUIET_HTTP, extra: str = "") -> Path:
    """``directory/config.toml`` auditing ``items`` (code -> absolute URL) of ita-2567 on ``base``.

    ``extra`` holds further tables ([storage], [notify] …) placed before the item tables.
    """
    tables = "\n".join(f'[items.{code}]\nurls = ["{url}"]' for code, url in items.items())
    path = directory / "config.toml"
    path.write_text(f"""
[agency]
name = "{name}"
homepage = "{homepage or base + '/'}"
domains = ["127.0.0.1"]
[audit]
checklist = "ita-2567"
select = {json.dumps(list(items))}
[http]
{http}
{extra}
{tables}
""", encoding="utf-8")
    return path


def offline_config(home: str, tables: str = "", *, audit: str = "", base: Path = Path(".")) -> LoadedConfig:
    """A parsed config auditing ita-2567's O3 and O1 on ``home``, for audits with an injected fetcher
    (no soft-404 probe): ``audit`` adds ``[audit]`` keys, ``tables`` further tables (``[items.O3]`` …)."""
    return parse_config_text(f"""
[agency]
name = "กรมทดสอบ"
homepage = "{home}"
[audit]
checklist = "ita-2567"
select = ["O3", "O1"]
{audit}
[http]
soft_404_probe = false
{tables}""", "test.toml", base)
