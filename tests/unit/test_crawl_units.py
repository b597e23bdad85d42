"""The crawl's parts without a network: URL identity, link extraction, robots and sitemaps, the
breadth-first crawl over a fake fetcher, and discovery's Thai-aware matching."""

from __future__ import annotations

import asyncio
import dataclasses
import gzip
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))
from mkpdf import pdf_with_links  # noqa: E402

from oit_checker.checklist import Item  # noqa: E402
from oit_checker.checks import Context, Page  # noqa: E402
from oit_checker.checks.location import check_location  # noqa: E402
from oit_checker.crawl import Crawler, LinkGraph, Renderer, boilerplate_lines, is_oit_page  # noqa: E402
from oit_checker.crawl.robots import RobotsRules, agent_token, parse_robots, parse_sitemap  # noqa: E402
from oit_checker.discover import _bigrams, _code_pattern, _fold, _Name  # noqa: E402
from oit_checker.extract.links import html_links, pdf_links  # noqa: E402
from oit_checker.fetch.interface import Fetcher  # noqa: E402
from oit_checker.fetch.shared import SharedFetches  # noqa: E402
from oit_checker.models import FetchResult, Status  # noqa: E402
from oit_checker.options import defaults
from oit_checker.thai import normalize_phrase_variants  # noqa: E402
from oit_checker.urls import blocked_reason, host_of, normalize_url, page_key, same_page  # noqa: E402

# URLs ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("a", "b"), [
    ("http://Example.go.th:80/ita/", "http://example.go.th/ita"),
    ("https://www.example.go.th/ita/index.php", "http://example.go.th/ita/"),
    ("http://x.go.th/index.php/ita/o24", "http://x.go.th/ita/o24"),
    ("http://x.go.th/th/index.php/ita", "http://x.go.th/th/ita"),
    ("http://x.go.th/ita/default.aspx", "http://x.go.th/ita"),
    ("http://x.go.th/ita/อำนาจหน้าที่.html", "http://x.go.th/ita/%E0%B8%AD%E0%B8%B3%E0%B8%99%E0%B8%B2%E0%B8%88"
                                            "%E0%B8%AB%E0%B8%99%E0%B9%89%E0%B8%B2%E0%B8%97%E0%B8%B5%E0%B9%88.html"),
    ("http://x.go.th/ita/%e0%b8%81.html", "http://x.go.th/ita/%E0%B8%81.html"),
    ("http://x.go.th/a/./b/../c#frag", "http://x.go.th/a/c"),
    ("http://x.go.th/?q=ก", "http://x.go.th/?q=%E0%B8%81"),
    ("http://ไทย.go.th/", "http://xn--o3cw4h.go.th/"),
])
def test_same_page(a: str, b: str) -> None:
    assert page_key(a) == page_key(b)
    assert same_page(a, b)


@pytest.mark.parametrize(("a", "b"), [
    ("http://x.go.th/a%2Fb", "http://x.go.th/a/b"),  # an escaped slash is part of a name
    ("http://x.go.th/ita?id=1", "http://x.go.th/ita?id=2"),
    ("http://x.go.th:8080/", "http://x.go.th/"),
    ("http://x.go.th/ita/o24", "http://y.go.th/ita/o24"),
])
def test_different_pages(a: str, b: str) -> None:
    assert page_key(a) != page_key(b)


FAST_PATH_URLS = [
    "http://x.go.th/s1/p2.html", "http://127.0.0.1:8000/s1/%E0%B8%82%E0%B9%88%E0%B8%B2%E0%B8%A7-10.html",
    "http://x.go.th/%e0%b8%81", "http://x.go.th/%E0%B8", "http://x.go.th/%41b", "http://x.go.th/%2F",
    "http://x.go.th/a?q=%E0%B8%81&p=1", "http://x.go.th/a?q=%E0%B8", "http://www.x.go.th/ita/index.php",
    "http://x.go.th:80/a/", "https://x.go.th:443/", "http://x.go.th/a/./b", "http://X.go.th/A",
    "http://x.go.th", "http://x.go.th?x=1", "http://user@x.go.th/a", "http://[::1]:8080/a",
]


@pytest.mark.parametrize("url", FAST_PATH_URLS)
def test_page_key_fast_path_agrees_with_normalize_url(url: str) -> None:
    """``page_key`` skips ``normalize_url`` for plain and already-escaped URLs: same key either way."""
    assert page_key(url) == page_key(normalize_url(url))


@pytest.mark.parametrize("url", FAST_PATH_URLS)
def test_host_of_fast_path_agrees_with_urlsplit(url: str) -> None:
    from urllib.parse import urlsplit
    assert host_of(url) == (urlsplit(url).hostname or "").lower()


def test_normalize_keeps_the_scheme_and_drops_the_fragment() -> None:
    assert normalize_url("HTTPS://X.go.th:443/ก#top") == "https://x.go.th/%E0%B8%81"
    assert normalize_url("http://x.go.th") == "http://x.go.th/"


@pytest.mark.parametrize(("url", "private_ok", "blocked"), [
    ("http://169.254.169.254/latest/", True, True),
    ("http://10.0.0.1/", False, True),
    ("http://10.0.0.1/", True, False),
    ("ftp://x.go.th/file", True, True),
    ("https://www.led.go.th/", False, False),
])
def test_blocked_reason(url: str, private_ok: bool, blocked: bool) -> None:
    assert bool(blocked_reason(url, private_ok)) is blocked


# links -----------------------------------------------------------------------------------------

def test_html_links_reads_anchors_areas_frames_and_meta_refresh() -> None:
    body = """<html><head><title>OIT</title><base href="/ita/">
    <meta http-equiv="Refresh" content="5; URL='next.html'"></head><body>
    <h1>การเปิดเผยข้อมูลสาธารณะ</h1>
    <table><tr><td>O24</td><td><a href="o24.pdf#page=2">รายงาน</a></td></tr></table>
    <map><area href="/map.html" alt="แผนที่"></map><iframe src="frame.html"></iframe>
    <a href="x.html"><img alt="ภาพ"></a><a href="mailto:a@b.c">m</a><a href="javascript:go()">j</a>
    <a href="#top">t</a><a href="tel:02">t</a><a href="ftp://x/f">f</a></body></html>""".encode()
    found = html_links(body, "http://x.go.th/start", "text/html", context=True)
    assert found.title == "OIT" and found.headings == ("การเปิดเผยข้อมูลสาธารณะ",)
    assert [(link.url, link.text) for link in found.links] == [
        ("http://x.go.th/ita/next.html", ""), ("http://x.go.th/ita/o24.pdf", "รายงาน"),
        ("http://x.go.th/map.html", "แผนที่"), ("http://x.go.th/ita/frame.html", ""),
        ("http://x.go.th/ita/x.html", "ภาพ")]
    assert found.links[1].context == "O24 รายงาน"


def test_html_links_reads_framesets() -> None:
    body = b'<html><frameset cols="20%,80%"><frame src="menu.html"><frame src="/ita/"></frameset></html>'
    found = html_links(body, "http://x.go.th/", "text/html")
    assert [link.url for link in found.links] == ["http://x.go.th/menu.html", "http://x.go.th/ita/"]


def test_html_links_decodes_tis620_pages() -> None:
    body = '<html><head><meta charset="tis-620"></head><body><a href="/ก.html">อำนาจหน้าที่</a></body></html>'
    found = html_links(body.encode("tis-620"), "http://x.go.th/", "text/html")
    assert [(link.url, link.text) for link in found.links] == [("http://x.go.th/ก.html", "อำนาจหน้าที่")]


def test_pdf_links_reads_link_annotations_and_typed_addresses() -> None:
    body = pdf_with_links(["http://x.go.th/ita/o24.pdf", "mailto:a@b.c"], text="see http://x.go.th/typed.html")
    assert pdf_links(body) == ["http://x.go.th/ita/o24.pdf", "http://x.go.th/typed.html"]
    assert pdf_links(b"not a pdf") == []


@pytest.mark.parametrize(("url", "title", "headings", "oit"), [
    ("http://x.go.th/ita/", "หน้าหลัก", (), True),
    ("http://x.go.th/oit-2567/index.php", "", (), True),
    ("http://x.go.th/index.php?page=ITA", "", (), True),
    ("http://x.go.th/ita/o24.html", "รายงานผลการจัดซื้อจัดจ้าง", (), False),
    ("http://x.go.th/news", "การเปิดเผยข้อมูลสาธารณะ (OIT) ๒๕๖๗", (), True),
    ("http://x.go.th/digital", "Digital capital", ("หน่วยงาน",), False),
])
def test_oit_pages(url: str, title: str, headings: tuple[str, ...], oit: bool) -> None:
    assert is_oit_page(url, title, headings) is oit


# robots and sitemaps -------------------------------------------------------------------------------

def test_robots_rules() -> None:
    rules = parse_robots(200, b"User-agent: *\nDisallow: /private/\nCrawl-delay: 2\nSitemap: http://x/s.xml\n"
                              b"User-agent: oit-checker\nDisallow: /no-audit/\n")
    agent = agent_token("oit-checker/0.1.0 (+https://example; OIT disclosure audit)")
    assert agent == "oit-checker"
    assert rules.allowed("http://x/private/a", agent)  # our own group replaces the * group
    assert not rules.allowed("http://x/no-audit/a", agent)
    assert not rules.allowed("http://x/private/a", "otherbot")
    assert rules.sitemaps == ("http://x/s.xml",)
    assert parse_robots(404, b"Disallow: /").allowed("http://x/", agent)
    assert parse_robots(None, b"").allowed("http://x/", agent)
    assert RobotsRules(None).crawl_delay(agent) == 0.0


def test_sitemaps_urlset_index_and_gzip() -> None:
    urlset = (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
              b"<url><loc> http://x/a </loc></url><url><loc>http://x/b</loc></url></urlset>")
    index = (b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>http://x/s1.xml</loc>'
             b"</sitemap><sitemap><loc>http://x/s2.xml.gz</loc></sitemap></sitemapindex>")
    assert parse_sitemap(urlset) == (["http://x/a", "http://x/b"], [])
    assert parse_sitemap(index) == ([], ["http://x/s1.xml", "http://x/s2.xml.gz"])
    assert parse_sitemap(gzip.compress(urlset)) == (["http://x/a", "http://x/b"], [])
    assert parse_sitemap(b"<html>not a sitemap") == ([], [])


# the crawl over a fake fetcher -------------------------------------------------------------------

HOME = "https://www.agency.go.th/"


class SiteFetcher(Fetcher):
    """Serves a dict of HTML pages (or ready answers); anything else is a 404. Records what was
    fetched and how."""

    def __init__(self, pages: dict[str, str | FetchResult]) -> None:
        self.pages = pages
        self.full: list[str] = []
        self.capped: list[str] = []

    async def fetch(self, url: str) -> FetchResult:
        self.full.append(url)
        return self._result(url)

    async def fetch_capped(self, url: str, body_cap: object) -> FetchResult:
        self.capped.append(url)
        return self._result(url)

    def _result(self, url: str) -> FetchResult:
        page = self.pages.get(url)
        if isinstance(page, FetchResult):
            return page
        if page is not None:
            return FetchResult(url=url, final_url=url, status=200, body=page.encode(),
                               headers={"content-type": "text/html; charset=utf-8"})
        return FetchResult(url=url, final_url=url, status=404, headers={"content-type": "text/html"})


def links(*targets: str) -> str:
    return "".join(f'<a href="{t}">{t}</a>' for t in targets)


def crawl(pages: dict[str, str | FetchResult], renderer: Renderer | None = None,
          **options: object) -> tuple[LinkGraph, SiteFetcher]:
    fetcher = SiteFetcher(pages)
    items = options.pop("items", ())
    shared = options.pop("shared", None)  # URLs the caller reads in full: SharedFetches(fetcher, these)

    async def go() -> LinkGraph:
        crawler = Crawler(fetcher, HOME, ("agency.go.th",), dataclasses.replace(defaults().crawl, **options),
                          items=items,  # type: ignore[arg-type]
                          shared=SharedFetches(fetcher, shared) if shared is not None else None,  # type: ignore[arg-type]
                          renderer=renderer)
        return await crawler.run()

    return asyncio.run(go()), fetcher


def test_the_first_path_found_is_a_shortest_one_and_nothing_is_fetched_twice() -> None:
    graph, fetcher = crawl({
        HOME: links("/a", "/b", "/a#x", "/a/", "https://agency.go.th/b"),
        HOME + "a": links("/a/1", "/b"), HOME + "a/1": links("/a/2"), HOME + "a/2": links("/target"),
        HOME + "b": links("/target", "/"), HOME + "target": links(),
    })
    assert graph.click_path(HOME + "target") == [HOME, HOME + "b", HOME + "target"]
    assert sorted(fetcher.capped + fetcher.full) == sorted(set(fetcher.capped + fetcher.full))
    assert graph.limit_reached == ""


def test_urls_the_caller_shares_are_fetched_in_full_and_other_pages_only_capped() -> None:
    item = HOME + "ita/o24.html"
    graph, fetcher = crawl({HOME: links("/ita/", "/ita/o24.html"), HOME + "ita/": links(), item: links()},
                           items=[item], shared=[HOME, item])
    assert fetcher.full == [HOME, item]
    assert HOME + "ita/" in fetcher.capped
    assert graph.home_result is not None and graph.home_result.url == HOME


def test_without_shared_fetches_the_crawl_reads_only_the_homepage_in_full() -> None:
    """(e) The crawl keeps nothing for anyone: item URLs included, every page but the homepage is capped."""
    item = HOME + "ita/o24.html"
    graph, fetcher = crawl({HOME: links("/ita/", "/ita/o24.html"), HOME + "ita/": links(), item: links()},
                           items=[item])
    assert fetcher.full == [HOME]
    assert {HOME + "ita/", item} <= set(fetcher.capped)
    info = graph.info(item)
    assert info is not None and info.fetched and info.status == 200


def test_page_budget_goes_to_oit_looking_links_first() -> None:
    news = [f"/news/{n}" for n in range(20)]
    graph, fetcher = crawl({HOME: links(*news) + '<a href="/ita/">การเปิดเผยข้อมูลสาธารณะ (OIT)</a>',
                            HOME + "ita/": links("/ita/o1.html")}, max_pages=3)
    assert HOME + "ita/" in fetcher.capped
    assert graph.limit_reached == "max_pages"
    assert graph.click_path(HOME + "ita/o1.html") == [HOME, HOME + "ita/", HOME + "ita/o1.html"]


def test_depth_limit_is_recorded_and_links_at_the_last_level_still_count() -> None:
    graph, fetcher = crawl({HOME: links("/1"), HOME + "1": links("/2"), HOME + "2": links("/3")}, max_depth=1)
    assert graph.limit_reached == "max_depth"
    assert graph.click_path(HOME + "2") == [HOME, HOME + "1", HOME + "2"]  # linked from a page at depth 1
    assert HOME + "2" not in fetcher.capped


def test_exclude_patterns_are_not_crawled() -> None:
    graph, fetcher = crawl({HOME: links("/calendar?month=1", "/ok")}, exclude=(r"[?&]month=",))
    assert HOME + "calendar?month=1" not in fetcher.capped
    assert HOME + "ok" in fetcher.capped


def test_an_unreadable_homepage_is_said_so() -> None:
    graph, _ = crawl({})
    assert not graph.root_ok and graph.homepage_problem == "http_404"
    assert graph.click_path(HOME) is None


# discovery's matching ----------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["O24", "o24", "O.24", "O-24", "o 24", "OIT 24", "oit24", "ข้อ 24", "ข้อที่ ๒๔",
                                  "ข้อ O24", "(O24) รายงาน", "/ita/o24-report.pdf", "O024"])
def test_item_number_in_every_spelling(text: str) -> None:
    pattern = _code_pattern("O24")
    assert pattern is not None and pattern.search(_fold(text))


@pytest.mark.parametrize("text", ["O240", "O2", "O4", "O124", "ข้อ 2", "pro24", "co24x"])
def test_other_numbers_are_not_the_item(text: str) -> None:
    pattern = _code_pattern("O24")
    assert pattern is not None and not pattern.search(_fold(text))


def test_name_similarity_is_thai_aware() -> None:
    name = _Name("รายงานผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุประจำปี")

    def sim(text: str) -> float:
        folded = normalize_phrase_variants(text)
        return name.similarity(folded, _bigrams(folded))

    assert sim("รายงานผลการจัดซื้อจัดจ้าง หรือการจัดหาพัสดุ ประจำปี ๒๕๖๖") >= 0.85  # spaces, Thai digits
    assert sim("รายงานผลการจัดซื้อ/จัดจ้างหรือการจัดหาพัสดุประจำปี") >= 0.85  # a spelling variant
    assert sim("รายงานผลการจัดซื้อจัดจ้างฯ ประจำปีงบประมาณ") > sim("ข่าวประชาสัมพันธ์ประจำเดือน")
    assert sim("") == 0.0


# What a crawl loads and keeps --------------------------------------------------------------


def test_every_package_export_resolves_and_the_crawl_does_not_load_the_audit() -> None:
    """``oit_checker`` imports its exports on first use: each one must exist, and a crawl alone
    must not pay for the audit's models (pydantic) at start-up."""
    import subprocess

    code = ("import sys, oit_checker.crawl\n"
            "assert 'pydantic' not in sys.modules and 'oit_checker.audit' not in sys.modules\n"
            "import oit_checker\n"
            "missing = [n for n in oit_checker.__all__ if getattr(oit_checker, n, None) is None]\n"
            "assert not missing, missing\n"
            "assert set(oit_checker.__all__) == {'__version__', *oit_checker._EXPORTS}\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt is Linux-only")
def test_the_heap_pad_is_set_on_linux() -> None:
    from oit_checker.extract.heap import keep_heap_pad

    assert keep_heap_pad() is True


# what the crawl could not see ------------------------------------------------------------------


def answer(url: str, status: int | None, error: str | None = None, **headers: str) -> FetchResult:
    return FetchResult(url=url, final_url=url, status=status, error=error, body=b"x",
                       headers={"content-type": "text/html", **headers})


def test_unread_pages_are_linked_pages_that_exist_but_could_not_be_read() -> None:
    paths = ("/a", "/b", "/c", "/d", "/e.pdf", "/f", "/g", "/h")
    graph, _ = crawl({
        HOME: links(*paths),
        HOME + "a": answer(HOME + "a", 503), HOME + "c": answer(HOME + "c", 403, **{"cf-mitigated": "challenge"}),
        HOME + "d": answer(HOME + "d", None, "dns_error"), HOME + "e.pdf": answer(HOME + "e.pdf", 500),
        HOME + "f": answer(HOME + "f", 401), HOME + "g": answer(HOME + "g", 429),
        HOME + "h": answer(HOME + "h", None, "timeout"),
    })
    # /b is a 404 (gone, not hidden), /e.pdf a file (no links to hide), /f a login wall a person meets too
    assert [(p.url, p.problem) for p in graph.unread_pages()] == [
        (HOME + "a", "server_error"), (HOME + "c", "bot_wall"), (HOME + "d", "dns_error"),
        (HOME + "g", "rate_limited"), (HOME + "h", "timeout")]
    assert graph.summary().unread_pages == 5


def test_links_checked_on_oit_pages_are_not_crawl_gaps() -> None:
    """A link only checked (a page the crawl did not follow) is a broken link, not an unread page."""
    graph, _ = crawl({HOME: links("/x"), HOME + "x": answer(HOME + "x", 503)}, max_depth=0)
    assert graph.unread_pages() == [] and graph.limit_reached == "max_depth"
    assert [b.reason for b in graph.broken_links] == ["server_error"]


ITA_SHELL = ('<title>ITA 2567</title><script src="/menu.js"></script><a href="/">หน้าแรก</a>'
             '<a href="/news">ข่าว</a><ul id="items"></ul>')


class FakeRenderer:
    """A browser stand-in: the rendered DOM of a few pages (None: could not render)."""

    def __init__(self, pages: dict[str, str | None]) -> None:
        self.pages = pages
        self.opened: list[str] = []

    async def __call__(self, url: str) -> FetchResult | None:
        self.opened.append(url)
        html = self.pages.get(url)
        if html is None:
            return None
        return FetchResult(url=url, final_url=url, status=200, body=html.encode(), rendered_by="chromium",
                           headers={"content-type": "text/html; charset=utf-8"})


def script_site() -> dict[str, str | FetchResult]:
    return {HOME: links("/ita/", "/news", "/app"), HOME + "news": '<script></script>' + links("/", "/news/1"),
            HOME + "ita/": ITA_SHELL, HOME + "app": '<div id="root"></div><script src="/app.js"></script>',
            HOME + "news/1": links("/")}


def test_script_built_navigation_is_rendered_and_followed() -> None:
    renderer = FakeRenderer({HOME + "ita/": ITA_SHELL + links("/ita/o1.html"), HOME + "app": links("/app/o2")})
    graph, _ = crawl(script_site(), renderer=renderer)
    assert sorted(renderer.opened) == [HOME + "app", HOME + "ita/"]  # not /news: its HTML links a new page
    assert graph.click_path(HOME + "ita/o1.html") == [HOME, HOME + "ita/", HOME + "ita/o1.html"]
    assert graph.click_path(HOME + "app/o2") == [HOME, HOME + "app", HOME + "app/o2"]
    assert graph.rendered == 2 and graph.unread_pages() == []


@pytest.mark.parametrize(("renderer", "max_rendered", "unread"), [
    (None, 10, ["ita/", "app"]),
    (FakeRenderer({}), 10, ["ita/", "app"]),  # the browser could not open them
    (FakeRenderer({HOME + "ita/": ITA_SHELL + links("/ita/o1.html"), HOME + "app": "<p>x</p>"}), 1, ["app"]),
    (FakeRenderer({}), 0, ["ita/", "app"]),
])
def test_script_built_navigation_not_rendered_is_a_gap(renderer: FakeRenderer | None, max_rendered: int,
                                                      unread: list[str]) -> None:
    graph, _ = crawl(script_site(), renderer=renderer, max_rendered=max_rendered)
    assert sorted(p.url for p in graph.unread_pages()) == sorted(HOME + u for u in unread)
    assert {p.problem for p in graph.unread_pages()} == {"needs_browser"}
    if max_rendered == 0 and renderer is not None:
        assert renderer.opened == []


def test_boilerplate_lines_skip_what_cannot_be_template_text() -> None:
    text = "หน้าแรก\n  เกี่ยว กับ เรา \n12\n|\n»\nก\nHome\n" + "ย" * 500
    assert boilerplate_lines(text) == {"หน้าแรก", "เกี่ยวกับเรา", "home"}


O9 = Item(code="O9", name_th="Social Network", allowed_hosts=("facebook.com",), social=True)
O24 = Item(code="O24", name_th="รายงาน")


@pytest.mark.parametrize(("url", "item"), [
    ("https://www.facebook.com/agency", O9),  # was: not_linked_from_main_site (fail)
    (HOME + "orphan.html", O24),  # was: orphan_page (warn)
])
def test_not_linked_is_unverified_while_linked_pages_were_unread(url: str, item: Item) -> None:
    graph = LinkGraph.build(HOME, ("agency.go.th",), {HOME: [HOME + "ita/", HOME + "news"]},
                            unread={HOME + "ita/": "dns_error"}, options=defaults().crawl)
    ctx = Context(homepage=HOME, domains=("agency.go.th",), assessment_year=2567, crawl=graph)
    page = Page(FetchResult(url=url, final_url=url, status=200))
    [finding] = check_location(page, item, ctx)
    assert (finding.status, finding.reason) == (Status.UNVERIFIED, "crawl_incomplete")
    assert finding.evidence["unread_pages"] == [{"url": HOME + "ita/", "problem": "dns_error", "detail": ""}]
    whole = LinkGraph.build(HOME, ("agency.go.th",), {HOME: [HOME + "ita/", HOME + "news"]}, options=defaults().crawl)
    [finding] = check_location(page, item, Context(homepage=HOME, domains=("agency.go.th",), assessment_year=2567,
                                                   crawl=whole))
    assert finding.reason in ("not_linked_from_main_site", "orphan_page")



def test_item_urls_are_not_rendered_by_the_crawl() -> None:
    """The audit opens a script-built item URL for its verdict; in the crawl it ends a click path."""
    renderer = FakeRenderer({HOME + "ita/": ITA_SHELL})
    graph, _ = crawl(script_site(), renderer=renderer, items=[HOME + "app"])
    assert renderer.opened == [HOME + "ita/"]
    assert graph.unread_pages() == [] and graph.click_path(HOME + "app") == [HOME, HOME + "app"]
