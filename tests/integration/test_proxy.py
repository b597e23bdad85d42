"""Proxies: the environment's variables and ``[http] proxy``, through a local forward proxy.

``tests/integration/proxy_server.py`` records every request it gets (absolute-form and CONNECT)
and only ever connects to 127.0.0.1; the assertions are on its log and on the fixture server's.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from configs import HTTP_ONLY, QUIET_HTTP, write_agency_config
from fixture_server import FixtureServer
from proxy_server import ProxyServer
from receivers import WebhookReceiver

from oit_checker.audit import run_audit
from oit_checker.config import load_config
from oit_checker.fetch.http import HttpFetcher
from oit_checker.fetch.proxy import ProxySettings
from oit_checker.notify import WebhookChannel
from oit_checker.options import defaults

OPTIONS = dataclasses.replace(defaults().http, user_agent="oit-checker-tests", connect_timeout=5, read_timeout=5, retries=0,
                      per_host_interval=0)


@pytest.fixture
def proxy() -> Iterator[ProxyServer]:
    server = ProxyServer()
    try:
        yield server
    finally:
        server.close()


def test_audit_and_crawl_go_through_the_environments_proxy(tmp_path: Path, base_url: str, proxy: ProxyServer,
                                                            fixture_server: FixtureServer,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    config = write_agency_config(tmp_path, base_url, {"O1": base_url + "/ok"}, extra=HTTP_ONLY)
    result = run_audit(load_config(config))
    seen = proxy.targets()
    assert base_url + "/" in seen  # the homepage (the crawl's first page)
    assert base_url + "/ok" in seen  # the audited item URL
    assert base_url + "/robots.txt" in seen  # a crawl-only request
    assert any("/oit-checker-probe-" in t for t in seen)  # an audit-only request (the soft-404 probe)
    assert result.homepage_problem is None or result.homepage_problem == ""
    assert fixture_server.hits["/ok"] >= 1  # and they reached the site


def test_audit_with_a_configured_proxy_ignores_the_environments(tmp_path: Path, base_url: str, proxy: ProxyServer,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # the discard port: nothing listens there
    config = write_agency_config(tmp_path, base_url, {"O1": base_url + "/ok"}, extra=HTTP_ONLY,
                                 http=QUIET_HTTP + f'\nproxy = "{proxy.url}"')
    result = run_audit(load_config(config))
    assert {base_url + "/", base_url + "/ok"} <= set(proxy.targets())
    assert not result.homepage_problem


def test_no_proxy_sends_a_host_direct(tmp_path: Path, base_url: str, proxy: ProxyServer,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("http_proxy", proxy.url)  # lower-case forms count too
    monkeypatch.setenv("no_proxy", "localhost")
    port = base_url.rsplit(":", 1)[1]

    async def run() -> tuple[int | None, int | None]:
        async with HttpFetcher(OPTIONS) as fetcher:
            direct = await fetcher.fetch(f"http://localhost:{port}/ok")
            proxied = await fetcher.fetch(f"{base_url}/ok")
        return direct.status, proxied.status

    assert asyncio.run(run()) == (200, 200)
    assert proxy.targets() == [f"{base_url}/ok"]


def test_configured_proxy_overrides_the_environment(base_url: str, proxy: ProxyServer,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # the discard port: nothing listens there
    monkeypatch.setenv("ALL_PROXY", "http://127.0.0.1:9")

    async def run() -> int | None:
        async with HttpFetcher(dataclasses.replace(OPTIONS, proxy=proxy.url)) as fetcher:
            return (await fetcher.fetch(f"{base_url}/ok")).status

    assert asyncio.run(run()) == 200
    assert proxy.targets() == [f"{base_url}/ok"]


def test_https_goes_through_a_connect_tunnel(tls_base_url: str, proxy: ProxyServer,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)

    async def run() -> tuple[int | None, str | None]:
        async with HttpFetcher(OPTIONS) as fetcher:
            result = await fetcher.fetch(f"{tls_base_url}/ok")
        return result.status, result.tls_error

    status, tls_error = asyncio.run(run())
    assert status == 200
    assert tls_error  # self-signed: recorded, then fetched without verification, through the tunnel too
    host = tls_base_url.split("://", 1)[1]
    assert proxy.targets() and all(t == host for t in proxy.targets())
    assert [m for m, _ in proxy.requests] == ["CONNECT"] * len(proxy.requests)


@pytest.mark.parametrize("configured", [False, True])
def test_the_webhook_goes_through_the_proxy(configured: bool, proxy: ProxyServer,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    receiver = WebhookReceiver()
    try:
        monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9" if configured else proxy.url)
        channel = WebhookChannel(receiver.url, None, timeout=5, proxy=proxy.url if configured else "")
        channel.send(_notice())
    finally:
        receiver.close()
    assert proxy.requests == [("POST", receiver.url)]
    assert len(receiver.hooks) == 1


def _notice():  # type: ignore[no-untyped-def]
    import datetime as dt

    from oit_checker.notify import Notice
    return Notice(agency_name="กรมทดสอบ", homepage="http://127.0.0.1/", run_id="r1", run_state="complete",
                  started_at=dt.datetime(2026, 12, 3, tzinfo=dt.UTC), counts=None)


def test_proxy_settings_from_environment_and_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://corp:3128")
    monkeypatch.setenv("ALL_PROXY", "http://all:3128")
    monkeypatch.setenv("NO_PROXY", "intra.go.th, .local.test,10.0.0.0/8,*.skip.test")
    env = ProxySettings.resolve()
    assert (env.http, env.https) == ("http://all:3128", "http://corp:3128")
    assert env.for_url("https://www.example.go.th/") == "http://corp:3128"
    assert env.for_url("http://www.example.go.th/") == "http://all:3128"
    for direct in ("https://intra.go.th/", "https://www.intra.go.th/", "http://a.local.test/",
                   "http://10.1.2.3/", "http://x.skip.test/"):
        assert env.for_url(direct) == "", direct
    assert env.server == "http://corp:3128"
    configured = ProxySettings.resolve("http://mine:8080")
    assert (configured.http, configured.https) == ("http://mine:8080", "http://mine:8080")
    assert configured.for_url("https://intra.go.th/") == ""  # NO_PROXY still applies
    monkeypatch.setenv("NO_PROXY", "*")
    assert ProxySettings.resolve().for_url("https://www.example.go.th/") == ""
    for name in ("HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name)
    assert ProxySettings.resolve() == ProxySettings()
