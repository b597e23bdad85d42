"""When to render, and what happens without a browser (``--browser never``, or none installed)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from oit_checker.audit import run_audit
from oit_checker.browse import needs_browser
from oit_checker.checklist import load_checklist
from oit_checker.checks import Page
from oit_checker.config import parse_config_text
from oit_checker.extract.html import extract_html
from oit_checker.fetch.browser import BrowserFetcher, Rendered
from oit_checker.fetch.browser_launch import find_browser
from oit_checker.fetch.interface import Fetcher
from oit_checker.models import FetchResult, Redirect, Status
from oit_checker.options import defaults
from oit_checker.report import ConsoleReporter
from oit_checker.social import load_rules

HOME = "https://www.example.go.th/"
FACEBOOK = "https://www.facebook.com/example.department"
SHELL = '<html><head><title>app</title><script src="/app.js"></script></head><body><div id="app"></div></body></html>'
LOGIN = "https://www.facebook.com/login/?next=%2Fexample.department"


class FakeFetcher(Fetcher):
    """The homepage links to the Facebook page; Facebook answers scripts with its login page."""

    async def fetch(self, url: str) -> FetchResult:
        if url.startswith(FACEBOOK):
            return FetchResult(url=url, final_url=LOGIN, status=200, redirects=(Redirect(url, 302),),
                               headers={"content-type": "text/html"},
                               body=b'<title>Log in</title><form><input type="password"></form>')
        body = SHELL if "app" in url else f'<title>home</title><a href="{FACEBOOK}">Facebook</a><a href="{HOME}app">x</a>'
        return FetchResult(url=url, final_url=url, status=200, headers={"content-type": "text/html"},
                           body=body.encode())


def config(tmp_path: Path) -> object:
    text = f"""
[agency]
name = "กรมทดสอบ"
homepage = "{HOME}"
[audit]
checklist = "ita-2567"
select = ["O3", "O9"]
[http]
soft_404_probe = false
[evidence]
dir = "{tmp_path / 'evidence'}"
[items.O3]
urls = ["{HOME}app"]
[items.O9]
urls = ["{FACEBOOK}"]
"""
    return parse_config_text(text, str(tmp_path / "config.toml"), tmp_path)


def page(url: str, html: str, status: int = 200) -> Page:
    return Page(FetchResult(url=url, final_url=url, status=status, body=html.encode()), extract_html(html.encode(), url))


def test_when_to_render() -> None:
    checklist = load_checklist("ita-2567")
    o3, o9 = checklist.item("O3"), checklist.item("O9")
    assert o3 is not None and o9 is not None
    rules = load_rules()
    full = page(HOME + "o3", "<title>อำนาจหน้าที่</title><script></script>" + "<p>อำนาจหน้าที่ของกรม</p>" * 30)
    kwargs = {"mode": "auto", "rules": rules, "hosts": ()}
    assert needs_browser(o3, HOME + "app", page(HOME + "app", SHELL), **kwargs) == ("script",)
    assert needs_browser(o3, HOME + "o3", full, **kwargs) == ()
    assert needs_browser(o3, HOME + "app", page(HOME + "app", SHELL, 404), **kwargs) == ()  # a 404 is a 404
    assert needs_browser(o9, FACEBOOK, None, **kwargs) == ("social",)
    assert needs_browser(o9, "https://lin.ee/abc", None, **kwargs) == ("social",)
    assert needs_browser(o9, HOME + "social", full, **kwargs) == ()  # the agency's own page
    assert needs_browser(o3, FACEBOOK, None, **kwargs) == ()  # not a social item
    assert needs_browser(o3, HOME + "o3", full, mode="auto", rules=rules, hosts=("example.go.th",)) == ("host",)
    assert needs_browser(o3, HOME + "o3", full, mode="always", rules=rules, hosts=()) == ("always",)
    pdf = Page(FetchResult(url=HOME + "r.pdf", final_url=HOME + "r.pdf", status=200, body=b"%PDF-1.4"),
               extract_html(b"", HOME))
    pdf = Page(pdf.fetch, None)
    assert "always" in needs_browser(o3, HOME + "x", pdf, mode="always", rules=rules, hosts=())  # unread: try
    assert needs_browser(o3, HOME + "r.pdf", Page(pdf.fetch, _pdf_doc()), mode="always", rules=rules, hosts=()) == ()


def _pdf_doc():  # noqa: ANN202
    from oit_checker.models import Document
    return Document(kind="pdf", text="x")


def test_never_makes_browser_pages_unverified_never_fail(tmp_path: Path) -> None:
    result = run_audit(config(tmp_path), fetcher=FakeFetcher(), browser="never")
    items = {i.code: i for i in result.items}
    o9 = items["O9"].urls[0]
    reasons = {f.reason: f.status for f in o9.findings}
    assert reasons.get("needs_browser") is Status.UNVERIFIED
    assert "login_wall" not in reasons  # the HTTP view of Facebook proves nothing
    assert not [f for f in o9.findings if f.status is Status.FAIL and f.check.value != "location"]
    o3 = items["O3"].urls[0]
    [content] = [f for f in o3.findings if f.check.value == "content"]
    assert (content.status, content.reason, content.evidence["why"]) == (Status.UNVERIFIED, "needs_browser", "browser_off")
    assert items["O3"].status is Status.UNVERIFIED
    assert result.browser["mode"] == "never" and result.browser["problem"] == "browser_off"
    text = ConsoleReporter("th", color=False).render(result)
    assert "--browser auto" in text
    # the evidence still holds what HTTP saw
    assert result.evidence_dir and Path(result.evidence_dir, "manifest.json").is_file()
    assert Path(o3.evidence_files["fetch"]).is_file()


def test_an_injected_fetcher_keeps_the_browser_out(tmp_path: Path) -> None:
    """Library callers that fake the network get no browser unless they pass a renderer too."""
    result = run_audit(config(tmp_path), fetcher=FakeFetcher())
    assert result.browser["used"] is None and result.browser["rendered"] == 0
    o3 = next(i for i in result.items if i.code == "O3").urls[0]
    assert "needs_browser" in [f.reason for f in o3.findings]


def test_without_any_browser_pages_are_unverified_with_a_thai_hint(tmp_path: Path) -> None:
    renderer = BrowserFetcher(dataclasses.replace(defaults().browser, executable_path=str(tmp_path / "no-chromium-here")))
    result = run_audit(config(tmp_path), fetcher=FakeFetcher(), renderer=renderer)
    o9 = next(i for i in result.items if i.code == "O9")
    [public] = [f for f in o9.urls[0].findings if f.check.value == "public"]
    assert (public.status, public.reason, public.evidence["why"]) == (Status.UNVERIFIED, "needs_browser", "no_browser")
    assert result.browser["problem"] == "no_browser"
    text = ConsoleReporter("th", color=False, width=400).render(result)
    assert "ไม่พบเบราว์เซอร์ Chromium" in text and "apt-get install chromium" in text
    assert "no-chromium-here" in text


@pytest.mark.parametrize(("configured", "own", "expected_source"), [
    ("", "/nonexistent/playwright/chrome", "system"),
    ("/usr/bin/chromium", None, "configured"),
])
def test_find_browser_order(configured: str, own: str | None, expected_source: str) -> None:
    path, source, problem = find_browser(configured, own)
    assert problem == "" and source == expected_source and path and Path(path).is_file()


def test_find_browser_prefers_playwrights_own(tmp_path: Path) -> None:
    own = tmp_path / "chrome"
    own.write_text("")
    assert find_browser("", str(own)) == (None, "playwright", "")
    assert find_browser(str(tmp_path / "missing"), str(own))[2]  # a wrong configured path is an error


class DeadSocialFetcher(FakeFetcher):
    """The Facebook host does not resolve over HTTP (``http_dead``) or only in the browser."""

    def __init__(self, http_dead: bool) -> None:
        self.http_dead = http_dead

    async def fetch(self, url: str) -> FetchResult:
        if url.startswith(FACEBOOK) and self.http_dead:
            return FetchResult(url=url, final_url=url, error="dns_error", error_detail="Name or service not known")
        return await super().fetch(url)


class NoNavigation(BrowserFetcher):
    """A browser whose navigations all fail as Chromium reports an unknown host."""

    async def render(self, url: str, **kwargs: object) -> Rendered:
        return Rendered(FetchResult(url=url, final_url=url, error="dns_error",
                                    error_detail="net::ERR_NAME_NOT_RESOLVED", rendered_by="chromium"))


@pytest.mark.parametrize("http_dead", [True, False])
def test_a_social_page_the_browser_could_not_open_is_unverified_once(tmp_path: Path, http_dead: bool) -> None:
    result = run_audit(config(tmp_path), fetcher=DeadSocialFetcher(http_dead), renderer=NoNavigation())
    o9 = next(i for i in result.items if i.code == "O9")
    findings = [f for f in o9.urls[0].findings if f.check.value != "location"]
    # one message: the host did not resolve; never "profile and posts not found" beside it
    assert [(f.check.value, f.status, f.reason) for f in findings] == [("reachable", Status.UNVERIFIED, "dns_error")]
    assert o9.status is Status.UNVERIFIED
