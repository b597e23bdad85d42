"""The browser fetcher with the real Chromium (Debian's, or Playwright's own) on local fixture pages.

One browser serves the whole module (a module-scoped renderer); the crash test starts, and kills,
its own. Fixture pages: ``tests/data/browser_site`` (see its README).
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import signal
import textwrap
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from fixture_server import FixtureServer

from oit_checker.audit import audit_async
from oit_checker.config import LoadedConfig, parse_config_text
from oit_checker.demo import SiteServer
from oit_checker.demo.server import start_site_server
from oit_checker.fetch.browser import BrowserFetcher
from oit_checker.models import AuditResult, Status, UrlResult
from oit_checker.options import defaults
from oit_checker.report.json import JsonReporter

pytestmark = pytest.mark.asyncio(loop_scope="module")

SITE = Path(__file__).resolve().parents[1] / "data" / "browser_site"
PNG = b"\x89PNG\r\n\x1a\n"
FAST = dataclasses.replace(defaults().browser, max_pages=4, idle_wait=1.0, navigation_timeout=15, page_timeout=30)

# fixture page -> (status, reason of the public check) as the design wants it
SOCIAL_EXPECTED = {
    "facebook/public.html": (Status.PASS, "social_public"),
    "facebook/unavailable.html": (Status.FAIL, "private_social"),
    "facebook/group.html": (Status.FAIL, "private_social"),  # meta refresh to a login wall
    "youtube/channel.html": (Status.PASS, "social_public"),
    "youtube/age.html": (Status.FAIL, "private_social"),
    "youtube/unusual.html": (Status.UNVERIFIED, "bot_wall"),
    "x/public.html": (Status.PASS, "social_public"),
    "x/protected.html": (Status.FAIL, "private_social"),
    "x/blank.html": (Status.UNVERIFIED, "social_unclear"),
    "line/oa.html": (Status.PASS, "social_public"),
    "line/missing.html": (Status.FAIL, "private_social"),
    "tiktok/public.html": (Status.PASS, "social_public"),
    "tiktok/private.html": (Status.FAIL, "private_social"),
    "tiktok/captcha.html": (Status.UNVERIFIED, "bot_wall"),
}


@pytest.fixture(scope="module")
def site() -> Iterator[SiteServer]:
    with start_site_server(SITE) as server:
        yield server


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def renderer() -> AsyncIterator[BrowserFetcher]:
    async with BrowserFetcher(FAST) as browser:
        assert await browser.start(), browser.problem_detail  # CI installs chromium: no skipping
        yield browser


def loaded(tmp_path: Path, base: str, items: dict[str, list[str]], extra: str = "", evidence: str = "",
           http: str = "") -> LoadedConfig:
    """A config auditing ``items`` on ``base``; ``evidence``, ``http``: more keys of those tables."""
    tables = "\n".join(f"[items.{code}]\nurls = {json.dumps([base + u for u in urls])}" for code, urls in items.items())
    text = f"""
[agency]
name = "กรมทดสอบ"
homepage = "{base}/"
domains = ["127.0.0.1"]
[audit]
checklist = "ita-2567"
select = {json.dumps(list(items))}
[http]
retries = 0
per_host_interval = 0
soft_404_probe = false
{http}
read_timeout = 5
[crawl]
max_pages = 5
[evidence]
dir = "{tmp_path / 'evidence'}"
{evidence}
{extra}
{tables}
"""
    return parse_config_text(text, str(tmp_path / "config.toml"), tmp_path)


def url_result(result: AuditResult, code: str, suffix: str) -> UrlResult:
    item = next(i for i in result.items if i.code == code)
    return next(u for u in item.urls if u.url.endswith(suffix))


def reason(url: UrlResult, check: str) -> tuple[Status, str]:
    [finding] = [f for f in url.findings if f.check.value == check]
    return finding.status, finding.reason


async def test_a_script_built_page_passes_content_only_with_the_browser(
        tmp_path: Path, site: SiteServer, renderer: BrowserFetcher) -> None:
    config = loaded(tmp_path, site.base_url, {"O3": ["/spa/o3-powers.html"]})
    without = await audit_async(config, browser="never")
    assert reason(url_result(without, "O3", "o3-powers.html"), "content") == (Status.UNVERIFIED, "needs_browser")
    assert without.items[0].status is Status.UNVERIFIED

    rendered = await audit_async(config, browser="auto", renderer=renderer)
    url = url_result(rendered, "O3", "o3-powers.html")
    assert reason(url, "content") == (Status.PASS, "elements_found")
    assert rendered.items[0].status is Status.PASS
    assert url.fetch is not None and url.fetch.rendered_by == "chromium"
    assert rendered.browser["rendered"] == 1 and "Chromium" in rendered.browser["used"]
    # the evidence: screenshot, the DOM the verdict read, both views of the fetch, linked from the JSON
    files = url.evidence_files
    assert Path(files["screenshot"]).read_bytes().startswith(PNG)
    assert "ดำเนินการวางทรัพย์" in Path(files["rendered"]).read_text(encoding="utf-8")
    record = json.loads(Path(files["fetch"]).read_text(encoding="utf-8"))
    assert record["http"]["http_status"] == 200 and len(record["http"]["sha256"]) == 64
    assert record["browser"]["rendered_by"] == "chromium" and record["render"]["needed_for"] == ["script"]
    assert "อำนาจหน้าที่" in Path(files["text"]).read_text(encoding="utf-8")
    report = JsonReporter("th").as_dict(rendered)
    assert report["run"]["evidence_dir"] == rendered.evidence_dir
    [json_url] = report["items"][0]["urls"]
    assert json_url["evidence_files"]["screenshot"] == files["screenshot"]
    assert not [f for item in rendered.items for u in item.urls for f in u.findings if "screenshot" in f.evidence]
    assert not any("screenshot" in c["evidence"] for c in json_url["checks"])  # reports read evidence_files
    manifest = json.loads(Path(rendered.evidence_dir, "manifest.json").read_text(encoding="utf-8"))
    assert manifest["run_id"] == rendered.run_id
    entry = next(iter(manifest["urls"].values()))
    assert {"screenshot", "fetch", "text", "findings", "rendered"} <= set(entry["files"])


async def test_social_fixtures_give_public_private_and_unverified(
        tmp_path: Path, site: SiteServer, renderer: BrowserFetcher) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text("[aliases]\n" + "".join(
        f'"{site.base_url}/social/{network}/" = "{network}"\n'
        for network in ("facebook", "youtube", "x", "line", "tiktok")), encoding="utf-8")
    urls = [f"/social/{page}" for page in SOCIAL_EXPECTED]
    # screenshots are not looked at here; the module's browser renders 4 pages at once (FAST), so 4 per host
    config = loaded(tmp_path, site.base_url, {"O9": urls}, extra=f'[browser]\nsocial_rules = "{rules}"',
                    evidence='screenshots = "none"', http="per_host_concurrency = 4")

    result = await audit_async(config, browser="auto", renderer=renderer)
    got = {page: reason(url_result(result, "O9", page), "public") for page in SOCIAL_EXPECTED}
    assert got == SOCIAL_EXPECTED
    assert result.browser["rendered"] == len(SOCIAL_EXPECTED)
    login = url_result(result, "O9", "facebook/group.html")
    [public] = [f for f in login.findings if f.check.value == "public"]
    assert public.evidence["rule"] == "login_required" and "/social/facebook/login/" in public.evidence["final_url"]
    assert result.items[0].status is Status.PASS  # one public channel is enough for the item

    never = await audit_async(config, browser="never")  # without a browser: unverified, never fail
    for page in SOCIAL_EXPECTED:
        assert reason(url_result(never, "O9", page), "public") == (Status.UNVERIFIED, "needs_browser")
    assert never.items[0].status is Status.UNVERIFIED


async def test_a_killed_browser_leaves_the_run_complete_with_unverified_findings(
        tmp_path: Path, fixture_server: FixtureServer) -> None:
    fixture_server.reset()
    root = tmp_path / "site"
    (root / "spa").mkdir(parents=True)
    for name in ("o3-powers.html", "o3-powers.json"):
        (root / "spa" / name).write_bytes((SITE / "spa" / name).read_bytes())
    # a page built by script whose script hangs (the fixture server's /stall): killed while loading
    (root / "spa" / "slow.html").write_text(textwrap.dedent(f"""\
        <!DOCTYPE html><html><head><meta charset="utf-8"><title>…</title>
        <script src="{fixture_server.base_url}/stall?seconds=20"></script></head>
        <body><div id="app"></div></body></html>"""), encoding="utf-8")
    (root / "spa" / "after.html").write_bytes((SITE / "spa" / "o3-powers.html").read_bytes())
    (root / "index.html").write_text("".join(f'<a href="/spa/{name}">{name}</a>' for name in (
        "o3-powers.html", "slow.html", "after.html")), encoding="utf-8")
    own = BrowserFetcher(dataclasses.replace(defaults().browser, max_pages=1, idle_wait=0.5, navigation_timeout=30, page_timeout=40))
    with start_site_server(root) as server:
        config = loaded(tmp_path, server.base_url, {"O3": ["/spa/o3-powers.html", "/spa/slow.html",
                                                           "/spa/after.html"]},
                        evidence='screenshots = "none"')  # the findings are what is looked at

        async def kill_when_the_slow_page_loads() -> int:
            while fixture_server.hits["/stall"] == 0:
                await asyncio.sleep(0.05)
            pid = await own.browser_pid()
            assert pid is not None
            os.kill(pid, signal.SIGKILL)
            return pid

        try:
            killer = asyncio.create_task(kill_when_the_slow_page_loads())
            result = await asyncio.wait_for(audit_async(config, browser="auto", renderer=own), timeout=60)
            killed = await killer
        finally:
            await own.aclose()
    assert killed > 0
    assert result.complete
    assert reason(url_result(result, "O3", "slow.html"), "content") == (Status.UNVERIFIED, "browser_crashed")
    # the pages before and after the crash were rendered (a new browser was started)
    assert reason(url_result(result, "O3", "o3-powers.html"), "content") == (Status.PASS, "elements_found")
    assert reason(url_result(result, "O3", "after.html"), "content") == (Status.PASS, "elements_found")
    assert own.crashes == 1 and own.launches == 2
    assert result.browser["crashes"] == 1


async def test_pool_bound_recycling_and_timeouts(site: SiteServer, fixture_server: FixtureServer) -> None:
    """At most ``max_pages`` pages at once; a fresh browser after ``recycle_after`` pages; a page
    that never loads ends as ``timeout`` (navigation) or ``browser_failed`` (the page's cap)."""
    fixture_server.reset()
    options = dataclasses.replace(defaults().browser, max_pages=2, recycle_after=3, idle_wait=0, navigation_timeout=30, page_timeout=40)
    async with BrowserFetcher(options) as browser:
        peak = 0

        async def watch() -> None:
            nonlocal peak
            while True:
                peak = max(peak, browser.active)
                await asyncio.sleep(0.005)

        watcher = asyncio.create_task(watch())
        pages = [f"{site.base_url}/social/{page}" for page in list(SOCIAL_EXPECTED)[:5]]
        seen = await asyncio.gather(*(browser.render(url, settle=False) for url in pages))
        watcher.cancel()
        assert [(s.fetch.error, s.fetch.error_detail) for s in seen] == [(None, "")] * 5
        assert all(s.fetch.status == 200 and s.fetch.rendered_by == "chromium" for s in seen)
        assert "/social/facebook/login/" in seen[2].fetch.final_url  # a meta refresh, followed
        assert peak == 2
        assert browser.launches == 2  # 5 pages, a new browser after the 3rd
        # the navigation timeout, then the page's overall cap
        stall = f"{fixture_server.base_url}/stall?seconds=4"
        browser.options = dataclasses.replace(options, navigation_timeout=1, page_timeout=10)
        assert (await browser.render(stall, settle=False)).fetch.error == "timeout"
        browser.options = dataclasses.replace(options, navigation_timeout=10, page_timeout=1)
        capped = await browser.render(stall, settle=False)
        assert (capped.fetch.error, capped.fetch.error_detail) == ("browser_failed", "page not done after 1 s")


async def test_an_audit_renders_through_the_proxy_and_never_asks_for_the_metadata_service(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The browser the audit starts itself uses the run's proxy (here ``HTTP_PROXY``) and the run's
    address rule: a script-built page that also asks for the metadata service (an image, a script
    navigation) is still rendered and judged; the refusals are in its evidence, and the proxy —
    which every request of the browser goes through — was never asked for 169.254.169.254."""
    from proxy_server import ProxyServer

    metadata = "http://169.254.169.254/latest/meta-data"
    root = tmp_path / "site"
    (root / "spa").mkdir(parents=True)
    (root / "spa" / "o3-powers.json").write_bytes((SITE / "spa" / "o3-powers.json").read_bytes())
    page = (SITE / "spa" / "o3-powers.html").read_text(encoding="utf-8").replace("</body>", f"""
<img src="{metadata}/"><script>document.addEventListener("DOMContentLoaded",
  () => setTimeout(() => {{ location.href = "{metadata}/iam"; }}, 200));</script></body>""")
    (root / "spa" / "o3-powers.html").write_text(page, encoding="utf-8")
    proxy = ProxyServer()
    try:
        for name in ("HTTP_PROXY", "HTTPS_PROXY"):
            monkeypatch.setenv(name, proxy.url)
        with start_site_server(root) as server:
            config = loaded(tmp_path, server.base_url, {"O3": ["/spa/o3-powers.html"]})
            result = await asyncio.wait_for(audit_async(config, browser="auto"), timeout=90)
        targets = proxy.targets()
    finally:
        proxy.close()
    url = url_result(result, "O3", "o3-powers.html")
    assert reason(url, "content") == (Status.PASS, "elements_found")
    assert url.fetch is not None and url.fetch.rendered_by == "chromium"
    record = json.loads(Path(url.evidence_files["fetch"]).read_text(encoding="utf-8"))
    assert {f"{metadata}/", f"{metadata}/iam"} <= set(record["render"]["blocked"])
    assert f"{server.base_url}/spa/o3-powers.json" in targets  # asked for by the page's script only
    assert not [t for t in targets if t.startswith(("http://169.254.", "169.254."))]
