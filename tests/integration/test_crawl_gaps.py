"""What the crawl did not see: linked pages it could not read (5xx, a refused connection), an ITA
index that lists its items only after JavaScript (rendered with the real Chromium), and the
site's template text (boilerplate by frequency). Real servers on 127.0.0.1 and 127.0.0.2.

The site (``GapSite``), on 127.0.0.1 with an external file host on 127.0.0.2:

- every page has the same header, menu and footer; ``/news.html`` and ``/about.html`` share one
  paragraph (two pages of five: not boilerplate);
- ``/ita/`` says ITA and links only what the menu links; a script fetches ``/ita/items.json`` and
  builds the list of items (G1 ``/ita/o1.html``) — found only when the page is rendered;
- with ``gaps``: ``/down/`` answers 503 and the homepage links a page on a closed port;
- G2 (127.0.0.2 ``/files/g2.pdf``, an allowed host) and G3 (``/orphan.html``) are linked from nowhere.
"""

from __future__ import annotations

import dataclasses
import json
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from crawl_site import HTML, _Host, crawl_config
from mkpdf import pdf_with_links

from oit_checker.audit import audit_async
from oit_checker.config import LoadedConfig
from oit_checker.crawl import Crawler
from oit_checker.fetch.browser import BrowserFetcher
from oit_checker.fetch.http import HttpFetcher
from oit_checker.models import AuditResult, Check, Finding, Status
from oit_checker.options import defaults, http_options
from oit_checker.thai import compact

pytestmark = pytest.mark.asyncio(loop_scope="module")

FAST = dataclasses.replace(defaults().browser, max_pages=2, idle_wait=1.0, navigation_timeout=15, page_timeout=30)
HEADER = "กรมทดสอบช่องว่าง กระทรวงทดสอบ"
FOOTER = "ที่อยู่ 99 ถนนทดสอบ แขวงทดสอบ กรุงเทพฯ 10200 โทร 02 123 4567"
SHARED = "ย่อหน้านี้อยู่ในหน้าข่าวและหน้าเกี่ยวกับเราเท่านั้น"
CHECKLIST = """id = "gap-test"
title_th = "รายการทดสอบหน้าที่สำรวจไม่ได้"
assessment_year = 2567

[[items]]
code = "G1"
name_th = "ข้อทดสอบ 1"
period = "none"

[[items]]
code = "G2"
name_th = "ข้อทดสอบ 2"
period = "none"
allowed_hosts = ["127.0.0.2"]

[[items]]
code = "G3"
name_th = "ข้อทดสอบ 3"
period = "none"
"""


def closed_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def layout(title: str, body: str, head: str = "") -> bytes:
    menu = ('<nav><ul><li><a href="/">หน้าแรก</a></li><li><a href="/ita/">ITA</a></li>'
            '<li><a href="/news.html">ข่าวประชาสัมพันธ์</a></li><li><a href="/about.html">เกี่ยวกับเรา</a></li>'
            '<li><a href="/contact.html">ติดต่อเรา</a></li></ul></nav>')
    return (f'<!DOCTYPE html><html lang="th"><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
            f"<body><header><p>{HEADER}</p></header>{menu}<main><h1>{title}</h1>{body}</main>"
            f"<footer><p>{FOOTER}</p><p>© 2567</p></footer></body></html>").encode()


ITEMS_SCRIPT = """<script>
document.addEventListener('DOMContentLoaded', function () {
  fetch('/ita/items.json').then(function (r) { return r.json(); }).then(function (items) {
    var list = document.getElementById('items');
    items.forEach(function (item) {
      var li = document.createElement('li'), a = document.createElement('a');
      a.href = item.url; a.textContent = item.name; li.appendChild(a); list.appendChild(li);
    });
  });
});
</script>"""


class GapSite:
    """The site of the module docstring; ``gaps`` adds the 503 page and the closed port."""

    def __init__(self, gaps: bool) -> None:
        self.main = _Host("127.0.0.1")
        self.ext = _Host("127.0.0.2")
        self.dead = f"http://127.0.0.1:{closed_port()}/ita-old/"
        extra = f'<a href="/down/">ระบบที่ล่ม</a> <a href="{self.dead}">ITA เดิม</a>' if gaps else ""
        self.main.routes = {
            "/": (200, HTML, layout("หน้าแรก", f"<p>ยินดีต้อนรับ</p>{extra}")),
            "/ita/": (200, HTML, layout("การเปิดเผยข้อมูลสาธารณะ ITA 2567", '<ul id="items"></ul>', ITEMS_SCRIPT)),
            "/ita/items.json": (200, "application/json",
                                json.dumps([{"url": "/ita/o1.html", "name": "O1 โครงสร้าง"}]).encode()),
            "/ita/o1.html": (200, HTML, layout("O1 โครงสร้าง", "<p>แผนภูมิโครงสร้างของกรม</p>")),
            "/news.html": (200, HTML, layout("ข่าวประชาสัมพันธ์", f"<p>{SHARED}</p><p>ข่าวที่ 1</p>")),
            "/about.html": (200, HTML, layout("เกี่ยวกับเรา", f"<p>{SHARED}</p><p>ประวัติกรม</p>")),
            "/contact.html": (200, HTML, layout("ติดต่อเรา", "<p>แบบฟอร์มติดต่อ</p>")),
            "/orphan.html": (200, HTML, layout("หน้าที่ไม่มีลิงก์", "<p>G3</p>")),
        }
        if gaps:
            self.main.routes["/down/"] = (503, HTML, b"<h1>Service Unavailable</h1>")
        self.ext.routes = {"/files/g2.pdf": (200, "application/pdf", pdf_with_links([], "G2 report"))}

    def items(self) -> dict[str, str]:
        return {"G1": self.main.base + "/ita/o1.html", "G2": self.ext.base + "/files/g2.pdf",
                "G3": self.main.base + "/orphan.html"}

    def close(self) -> None:
        self.main.close()
        self.ext.close()


@pytest.fixture(scope="module")
def gappy() -> Iterator[GapSite]:
    site = GapSite(gaps=True)
    yield site
    site.close()


@pytest.fixture(scope="module")
def whole() -> Iterator[GapSite]:
    site = GapSite(gaps=False)
    yield site
    site.close()


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def renderer() -> AsyncIterator[BrowserFetcher]:
    async with BrowserFetcher(FAST) as browser:
        assert await browser.start(), browser.problem_detail  # CI installs chromium: no skipping
        yield browser


def config(tmp_path: Path, site: GapSite, crawl: str = "") -> LoadedConfig:
    return crawl_config(tmp_path, f"{site.main.base}/", CHECKLIST, site.items(), f"[evidence]\nenabled = false\n[crawl]\n{crawl}")


def location(result: AuditResult, code: str) -> Finding:
    item = next(i for i in result.items if i.code == code)
    [finding] = [f for u in item.urls for f in u.findings if f.check is Check.LOCATION]
    return finding


async def test_pages_the_crawl_could_not_read_make_not_linked_unverified(tmp_path: Path, gappy: GapSite) -> None:
    result = await audit_async(config(tmp_path, gappy), browser="never")
    base = gappy.main.base
    for code in ("G1", "G2", "G3"):  # never fail (G2) nor orphan (G3) on a site not seen whole
        finding = location(result, code)
        assert (finding.status, finding.reason) == (Status.UNVERIFIED, "crawl_incomplete"), code
    unread = {p["url"]: p["problem"] for p in location(result, "G2").evidence["unread_pages"]}
    assert unread == {base + "/ita/": "needs_browser", base + "/down/": "server_error",
                      gappy.dead: "connect_error"}
    assert location(result, "G2").params["unread"] == 3
    assert result.crawl is not None and result.crawl.unread_pages == 3 and result.crawl.rendered_pages == 0


async def test_a_script_built_ita_index_is_rendered_during_the_crawl(tmp_path: Path, whole: GapSite,
                                                                    renderer: BrowserFetcher) -> None:
    base = whole.main.base
    result = await audit_async(config(tmp_path, whole), browser="auto", renderer=renderer)
    g1 = location(result, "G1")
    assert (g1.status, g1.reason) == (Status.PASS, "linked_from_main_site")
    assert g1.evidence["click_path"] == [base + "/", base + "/ita/", base + "/ita/o1.html"]
    # the site was seen whole: what nothing links to is a finding again
    assert (location(result, "G2").status, location(result, "G2").reason) == (Status.FAIL, "not_linked_from_main_site")
    assert (location(result, "G3").status, location(result, "G3").reason) == (Status.WARN, "orphan_page")
    assert result.crawl is not None and result.crawl.rendered_pages == 1 and result.crawl.unread_pages == 0


async def test_without_rendering_the_script_built_index_is_a_gap_not_a_fail(tmp_path: Path, whole: GapSite,
                                                                           renderer: BrowserFetcher) -> None:
    for browser, crawl in (("never", ""), ("auto", "max_rendered = 0")):
        result = await audit_async(config(tmp_path, whole, crawl), browser=browser, renderer=renderer)
        for code in ("G1", "G2", "G3"):
            assert location(result, code).reason == "crawl_incomplete", (browser, code)
        [page] = location(result, "G2").evidence["unread_pages"]
        assert (page["url"], page["problem"]) == (whole.main.base + "/ita/", "needs_browser")


async def test_boilerplate_is_the_text_most_pages_repeat(tmp_path: Path, whole: GapSite) -> None:
    options = dataclasses.replace(defaults().crawl, sitemap=False, check_links=False)
    async with HttpFetcher(http_options(config(tmp_path, whole))) as fetcher:
        graph = await Crawler(fetcher, whole.main.base + "/", ("127.0.0.1",), options,
                              items=[whole.main.base + "/ita/o1.html"], private_ok=True).run()
    assert graph.pages == 5  # /, /ita/ (as HTTP gives it: no renderer), news, about, contact
    assert {compact(HEADER), compact(FOOTER), compact("เกี่ยวกับเรา"), compact("ข่าวประชาสัมพันธ์")} <= graph.boilerplate
    assert compact(SHARED) not in graph.boilerplate  # a paragraph on two pages of five
    assert compact("แผนภูมิโครงสร้างของกรม") not in graph.boilerplate
    assert compact("© 2567") not in graph.boilerplate  # no letter in it: nothing to leave out
    # item pages do not decide what the site repeats: with news and about as items, 3 pages remain
    async with HttpFetcher(http_options(config(tmp_path, whole))) as fetcher:
        graph = await Crawler(fetcher, whole.main.base + "/", ("127.0.0.1",), options, private_ok=True,
                              items=[whole.main.base + "/news.html", whole.main.base + "/about.html"]).run()
    assert graph.pages == 5 and graph.boilerplate == frozenset()
