"""The bundled demo: a Thai department site served on 127.0.0.1, and the config that audits it."""

from __future__ import annotations

from pathlib import Path

from ..config import LoadedConfig, parse_config_text
from ..errors import DemoError
from .server import SITE_DIR, SiteServer, start_site_server

CONFIG_TEMPLATE = Path(__file__).resolve().parent / "config.toml"

__all__ = ["SITE_DIR", "SiteServer", "demo_config", "start_demo_server"]


def start_demo_server() -> SiteServer:
    """Serve the demo site on a free port of 127.0.0.1 (use as a context manager)."""
    try:
        return start_site_server(SITE_DIR)
    except OSError as exc:
        raise DemoError(f"cannot serve the demo site on 127.0.0.1: {exc}") from exc


def demo_config(base_url: str) -> LoadedConfig:
    """The demo's agency config with ``{base}`` replaced by the server's base URL."""
    text = CONFIG_TEMPLATE.read_text(encoding="utf-8").replace("{base}", base_url.rstrip("/"))
    return parse_config_text(text, str(CONFIG_TEMPLATE), CONFIG_TEMPLATE.parent)
