"""Characterisation of what the browser changes in an item URL's findings (issue 15, point 1).

Each case pins the exact ``(check, status, reason)`` sequence the checks give for a page the
browser rendered, could not open, or was kept from: the social verdict (and its re-run of the
fresh and content checks), and the ``unverified`` findings without a browser. The table was
recorded from ``render.RenderPass.checks`` before the browser pass only rendered; it now runs
through ``run_checks`` over a ``Page`` that carries its ``BrowserView``.
"""

from __future__ import annotations

import ast
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from oit_checker.browse import BrowserView
from oit_checker.checklist import Item, load_checklist
from oit_checker.checks import Context, Page, run_checks
from oit_checker.extract.html import extract_html
from oit_checker.models import FetchResult, Redirect

HOME = "https://www.example.go.th/"
FACEBOOK = "https://www.facebook.com/example.department"
SHELL = '<html><head><title>app</title><script src="/app.js"></script></head><body><div id="app"></div></body></html>'
CONTENT = ("<title>ข่าวประชาสัมพันธ์ กรมทดสอบ</title><h1>กรมทดสอบ</h1>"
           + "<p>ข่าวประชาสัมพันธ์ของกรมทดสอบ ประจำปีงบประมาณ พ.ศ. 2567 วันที่ 1 มกราคม 2567</p>" * 20)
PUBLIC_TEXT = "กรมทดสอบ\nPosts\nAbout\nFollowers 1,234\nPhotos\nVideos\nกรมทดสอบ updated 1 มกราคม 2567"
LOGIN_TEXT = "You must log in to continue."


@dataclass(frozen=True)
class Case:
    """One URL of one item: its HTTP page, and what the browser did with it."""

    item: str
    url: str
    http: FetchResult
    rendered: bool
    why: str = ""
    detail: str = ""
    code: str = ""
    needs: tuple[str, ...] = ()
    dom: str = ""
    """The rendered DOM (``rendered``), with the browser's innerText and title below."""
    text: str = ""
    title: str = ""
    final_url: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    on_site: bool = False
    """The audit's domains include the network's host (the location check then passes)."""


def ok(url: str, body: str, headers: dict[str, str] | None = None, final_url: str = "",
       status: int = 200) -> FetchResult:
    return FetchResult(url=url, final_url=final_url or url, status=status,
                       headers={"content-type": "text/html; charset=utf-8", **(headers or {})},
                       body=body.encode(), redirects=(Redirect(url, 302),) if final_url else ())


FB_LOGIN = ok(FACEBOOK, '<title>Log in</title><form><input type="password"></form>',
              final_url="https://www.facebook.com/login/?next=%2Fexample.department")
FB_DOM = f"<title>กรมทดสอบ | Facebook</title><div role='main'><h1>กรมทดสอบ</h1><div role='article'>{CONTENT}</div></div>"
FB_WALLED = f"{FB_DOM}<form action='/login'><input type='password'></form>"

CASES = {
    "social rendered pass": Case("O9", FACEBOOK, FB_LOGIN, True, needs=("social",), dom=FB_DOM,
                                 text=PUBLIC_TEXT, title="กรมทดสอบ | Facebook"),
    "social rendered fail (login wall)": Case(
        "O9", FACEBOOK, FB_LOGIN, True, needs=("social",), dom="<title>Log in</title><form></form>",
        text=LOGIN_TEXT, title="Log in", final_url="https://www.facebook.com/login/?next=x"),
    "social rendered unclear": Case("O9", FACEBOOK, FB_LOGIN, True, needs=("social",),
                                    dom="<title>x</title><p>nothing known</p>", text="nothing known", title="x"),
    "social rendered bot wall (HTTP check)": Case(
        "O9", FACEBOOK, FB_LOGIN, True, needs=("social",), dom=FB_DOM, text=PUBLIC_TEXT,
        title="กรมทดสอบ | Facebook", headers={"cf-mitigated": "challenge"}),
    "social rendered pass, on site": Case("O9", FACEBOOK, FB_LOGIN, True, needs=("social",), dom=FB_DOM,
                                          text=PUBLIC_TEXT, title="กรมทดสอบ | Facebook", on_site=True),
    "social rendered pass, generic public check blocked": Case(
        "O9", FACEBOOK, FB_LOGIN, True, needs=("social",), dom=FB_WALLED, text=PUBLIC_TEXT, title="กรมทดสอบ",
        on_site=True),
    "social rendered fail, generic public check blocked": Case(
        "O9", FACEBOOK, FB_LOGIN, True, needs=("social",), dom=FB_WALLED + "<p>You must log in to continue</p>",
        text=LOGIN_TEXT, title="กรมทดสอบ", on_site=True),
    "social navigation failed, HTTP dead": Case(
        "O9", FACEBOOK, FetchResult(url=FACEBOOK, final_url=FACEBOOK, error="dns_error", error_detail="unknown"),
        False, why="navigation_failed", detail="net::ERR_NAME_NOT_RESOLVED", code="dns_error", needs=("social",)),
    "social navigation failed, HTTP fine": Case(
        "O9", FACEBOOK, FB_LOGIN, False, why="navigation_failed", detail="net::ERR_NAME_NOT_RESOLVED",
        code="dns_error", needs=("social",)),
    "social navigation failed, not a reachable code": Case(
        "O9", FACEBOOK, FB_LOGIN, False, why="navigation_failed", detail="odd", code="no_such_code",
        needs=("social",)),
    "social browser off": Case("O9", FACEBOOK, FB_LOGIN, False, why="browser_off", detail="--browser never",
                               needs=("social",)),
    "social no browser": Case("O9", FACEBOOK, FB_LOGIN, False, why="no_browser", detail="none", needs=("social",)),
    "script shell browser off": Case("O3", HOME + "app", ok(HOME + "app", SHELL), False, why="browser_off",
                                     detail="--browser never", needs=("script",)),
    "script shell browser crashed": Case("O3", HOME + "app", ok(HOME + "app", SHELL), False,
                                         why="browser_crashed", detail="boom", needs=("script",)),
    "script shell navigation failed": Case("O3", HOME + "app", ok(HOME + "app", SHELL), False,
                                           why="navigation_failed", detail="t", code="timeout", needs=("script",)),
    "always, browser crashed": Case("O3", HOME + "o3", ok(HOME + "o3", CONTENT), False, why="browser_crashed",
                                    detail="boom", needs=("always",)),
    "always, browser failed": Case("O3", HOME + "o3", ok(HOME + "o3", CONTENT), False, why="browser_failed",
                                   detail="deadline", needs=("always",)),
    "always, browser off": Case("O3", HOME + "o3", ok(HOME + "o3", CONTENT), False, why="browser_off",
                                detail="--browser never", needs=("always",)),
    "host, browser off": Case("O3", HOME + "o3", ok(HOME + "o3", CONTENT), False, why="browser_off",
                              detail="--browser never", needs=("host",)),
    "script rendered": Case("O3", HOME + "app", ok(HOME + "app", SHELL), True, needs=("script",), dom=CONTENT,
                            text="", title=""),
}

EXPECTED: dict[str, list[tuple[str, str, str]]] = {
    "social rendered pass": [("reachable", "pass", "reachable"), ("public", "pass", "social_public"), ("location", "unverified", "link_not_verified"), ("fresh", "pass", "no_period_required"), ("content", "pass", "no_elements_defined")],
    "social rendered fail (login wall)": [("reachable", "pass", "reachable"), ("public", "fail", "private_social"), ("location", "unverified", "link_not_verified")],
    "social rendered unclear": [("reachable", "pass", "reachable"), ("public", "unverified", "social_unclear"), ("location", "unverified", "link_not_verified")],
    "social rendered bot wall (HTTP check)": [("reachable", "pass", "reachable"), ("public", "unverified", "bot_wall"), ("location", "unverified", "link_not_verified")],
    "social rendered pass, on site": [("reachable", "pass", "reachable"), ("public", "pass", "social_public"), ("location", "pass", "on_main_site"), ("fresh", "pass", "no_period_required"), ("content", "pass", "no_elements_defined")],
    "social rendered pass, generic public check blocked": [("reachable", "pass", "reachable"), ("public", "pass", "social_public"), ("location", "pass", "on_main_site"), ("fresh", "pass", "no_period_required"), ("content", "pass", "no_elements_defined")],
    "social rendered fail, generic public check blocked": [("reachable", "pass", "reachable"), ("public", "fail", "private_social"), ("location", "pass", "on_main_site")],
    "social navigation failed, HTTP dead": [("reachable", "unverified", "dns_error"), ("location", "unverified", "link_not_verified")],
    "social navigation failed, HTTP fine": [("reachable", "unverified", "dns_error"), ("location", "unverified", "link_not_verified")],
    "social navigation failed, not a reachable code": [("reachable", "unverified", "browser_failed"), ("location", "unverified", "link_not_verified")],
    "social browser off": [("location", "unverified", "link_not_verified"), ("public", "unverified", "needs_browser")],
    "social no browser": [("location", "unverified", "link_not_verified"), ("public", "unverified", "needs_browser")],
    "script shell browser off": [("reachable", "pass", "reachable"), ("public", "pass", "public"), ("location", "pass", "on_main_site"), ("fresh", "pass", "no_period_required"), ("content", "unverified", "needs_browser")],
    "script shell browser crashed": [("reachable", "pass", "reachable"), ("public", "pass", "public"), ("location", "pass", "on_main_site"), ("fresh", "pass", "no_period_required"), ("content", "unverified", "browser_crashed")],
    "script shell navigation failed": [("reachable", "pass", "reachable"), ("public", "pass", "public"), ("location", "pass", "on_main_site"), ("fresh", "pass", "no_period_required"), ("content", "unverified", "browser_failed")],
    "always, browser crashed": [("reachable", "pass", "reachable"), ("public", "pass", "public"), ("location", "pass", "on_main_site"), ("fresh", "pass", "no_period_required"), ("content", "fail", "no_evidence"), ("reachable", "unverified", "browser_crashed")],
    "always, browser failed": [("reachable", "pass", "reachable"), ("public", "pass", "public"), ("location", "pass", "on_main_site"), ("fresh", "pass", "no_period_required"), ("content", "fail", "no_evidence"), ("reachable", "unverified", "browser_failed")],
    "always, browser off": [("reachable", "pass", "reachable"), ("public", "pass", "public"), ("location", "pass", "on_main_site"), ("fresh", "pass", "no_period_required"), ("content", "fail", "no_evidence")],
    "host, browser off": [("location", "pass", "on_main_site"), ("public", "unverified", "needs_browser")],
    "script rendered": [("reachable", "pass", "reachable"), ("public", "pass", "public"), ("location", "pass", "on_main_site"), ("fresh", "pass", "no_period_required"), ("content", "fail", "no_evidence")],
}


def item(code: str) -> Item:
    found = load_checklist("ita-2567").item(code)
    assert found is not None
    return found


CTX = Context(homepage=HOME, domains=("example.go.th",), assessment_year=2567, homepage_ok=True)
ON_SITE = dataclasses.replace(CTX, domains=("example.go.th", "facebook.com"))


def http_page(case: Case) -> Page:
    fetch = case.http
    if case.headers:
        fetch = FetchResult(url=fetch.url, final_url=fetch.final_url, status=403, headers={**fetch.headers, **case.headers},
                            body=fetch.body, redirects=fetch.redirects)
    doc = extract_html(fetch.body, fetch.final_url) if fetch.ok and fetch.body else None
    return Page(fetch, doc)


def rendered_fetch(case: Case) -> FetchResult:
    return FetchResult(url=case.url, final_url=case.final_url or case.url, status=200,
                       headers={"content-type": "text/html", **case.headers}, body=case.dom.encode(),
                       rendered_by="chromium")


def findings_of(case: Case) -> list[tuple[str, str, str]]:
    http = http_page(case)
    view = BrowserView(planned=True, rendered=case.rendered, why=case.why, detail=case.detail, code=case.code,
                       needs={case.item: case.needs}, text=case.text, title=case.title)
    if case.rendered:
        fetch = rendered_fetch(case)
        doc = dataclasses.replace(extract_html(fetch.body, fetch.final_url, "text/html; charset=utf-8"),
                                  text_source="chromium")
        page = Page(fetch, doc, browser=view)
    else:
        page = Page(http.fetch, http.doc, browser=view)
    return [(f.check.value, f.status.value, f.reason) for f in run_checks(page, item(case.item), ON_SITE if case.on_site else CTX)]


@pytest.mark.parametrize("name", list(CASES))
def test_the_browser_changes_findings_as_it_did(name: str) -> None:
    assert findings_of(CASES[name]) == EXPECTED[name]


def test_a_page_opened_only_for_its_screenshot_keeps_its_findings() -> None:
    case = CASES["social rendered unclear"]
    http = http_page(case)
    view = BrowserView(planned=False, needs={}, text=case.text, title=case.title)
    plain = run_checks(http, item("O9"), CTX)
    assert run_checks(dataclasses.replace(http, browser=view), item("O9"), CTX) == plain


def test_the_social_check_is_pure(monkeypatch: pytest.MonkeyPatch) -> None:
    from oit_checker.checks.social import check_social
    from oit_checker.fetch.browser import BrowserFetcher

    def no_browser(*args: object, **kwargs: object) -> None:
        raise AssertionError("the social check started a browser")

    monkeypatch.setattr(BrowserFetcher, "__init__", no_browser)
    case = CASES["social rendered pass"]
    fetch = rendered_fetch(case)
    page = Page(fetch, extract_html(fetch.body, fetch.final_url),
                browser=BrowserView(planned=True, rendered=True, text=case.text, title=case.title))
    first = check_social(page, item("O9"), CTX)
    assert [(f.check.value, f.status.value, f.reason) for f in first] == [("public", "pass", "social_public")]
    assert check_social(page, item("O9"), CTX) == first
    assert check_social(http_page(CASES["script shell browser off"]), item("O3"), CTX) == []  # no network


def test_the_browser_pass_neither_judges_nor_writes_evidence() -> None:
    source = (Path(__file__).parents[2] / "oit_checker" / "browse.py").read_text(encoding="utf-8")
    names = {node.id for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Name)}
    names |= {node.attr for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Attribute)}
    names |= {alias.name for node in ast.walk(ast.parse(source)) if isinstance(node, ast.ImportFrom)
              for alias in node.names}
    modules = {node.module for node in ast.walk(ast.parse(source)) if isinstance(node, ast.ImportFrom)}
    assert not names & {"Finding", "Check", "run_checks", "evidence", "write_bundle", "Staging"}
    assert not {m for m in modules if m and ("evidence" in m or m.endswith("checks"))}
