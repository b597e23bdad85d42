"""What the audit's browser is given (issue 12): the run's proxy and the run's address rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from oit_checker.browse import BrowserPass
from oit_checker.config import LoadedConfig, parse_config_text
from oit_checker.fetch.addresses import AddressPolicy
from oit_checker.options import address_policy, browser_options


def loaded(tmp_path: Path, homepage: str, http: str = "") -> LoadedConfig:
    text = f"""
[agency]
name = "กรมทดสอบ"
homepage = "{homepage}"
[audit]
checklist = "ita-2567"
select = ["O3"]
[http]
soft_404_probe = false
{http}
[evidence]
enabled = false
[items.O3]
urls = ["{homepage}app"]
"""
    return parse_config_text(text, str(tmp_path / "config.toml"), tmp_path)


@pytest.mark.parametrize(("homepage", "private_ok"), [
    ("http://127.0.0.1:8000/", True), ("http://localhost/", True), ("http://10.1.2.3/", True),
    ("https://www.example.go.th/", False), ("https://8.8.8.8/", False),
])
def test_the_browser_allows_private_addresses_only_for_a_private_homepage(
        tmp_path: Path, homepage: str, private_ok: bool) -> None:
    config = loaded(tmp_path, homepage)
    assert address_policy(config).private_ok is private_ok
    browser_pass = BrowserPass(config, [], mode="never")
    assert browser_pass.policy.private_ok is private_ok
    given = AddressPolicy(private_ok=not private_ok)  # the audit's own, resolved policy wins
    assert BrowserPass(config, [], mode="never", policy=given).policy is given


def test_the_browser_gets_the_configured_proxy_over_the_environment(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://env-proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "localhost,.go.th")
    from_env = browser_options(loaded(tmp_path, "https://www.example.go.th/")).proxy
    assert from_env is not None and from_env.server == "http://env-proxy.example:3128"
    assert from_env.no_proxy == ("localhost", ".go.th")
    configured = browser_options(loaded(tmp_path, "https://www.example.go.th/",
                                        'proxy = "http://office-proxy.example:8080"')).proxy
    assert configured is not None and configured.server == "http://office-proxy.example:8080"
    monkeypatch.delenv("HTTPS_PROXY")
    monkeypatch.delenv("NO_PROXY")
    none = browser_options(loaded(tmp_path, "https://www.example.go.th/")).proxy
    assert none is not None and none.server == ""
