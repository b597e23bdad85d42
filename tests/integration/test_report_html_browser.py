"""The HTML report in the real Chromium: summary counts, escaping, self-containment, printing.

Each test opens the report from a file, as a manager opening the e-mailed attachment would.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from report_helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    HOSTILE_HEADING,
    HOSTILE_TITLE,
    hostile_result,
    merged,
    stable,
    with_evidence,
)
from shared_demo import DemoRun

from oit_checker.models import AuditResult, Status
from oit_checker.report import Format
from oit_checker.report import _view as view
from oit_checker.report.html import HtmlReporter
from oit_checker.report.outputs import Output, write_report

A4_POINTS = (595.3, 841.9)


@pytest.fixture(scope="module")
def demo(demo_run: DemoRun) -> AuditResult:
    """The session's one demo audit, with its screenshots (tests/shared_demo.py)."""
    return demo_run.result


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def screenshot_of(browser: Browser, url: str, path: Path) -> Path:
    """A PNG of a page, as the browser fetcher's evidence bundle would keep it."""
    page = browser.new_page(viewport={"width": 900, "height": 600})
    page.goto(url)
    page.screenshot(path=str(path))
    page.close()
    return path


def open_report(browser: Browser, path: Path, requests: list[str], dialogs: list[str]) -> Page:
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.on("request", lambda request: requests.append(request.url))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page


def test_demo_report_in_chromium_counts_escapes_and_embeds(demo: AuditResult, browser: Browser,
                                                           tmp_path: Path) -> None:
    hostile = hostile_result(tmp_path / "site", tmp_path / "evidence")
    shot = screenshot_of(browser, (tmp_path / "site" / "ita" / "report.html").as_uri(), tmp_path / "o2.png")
    page_url = hostile.items[0].urls[0].url
    hostile = with_evidence(hostile, "O2", screenshot=str(shot),
                            click_path=[hostile.homepage, hostile.homepage + "ita/", page_url])
    # the demo has an O2 too: the hostile item is shown as O1 so that every card id is unique
    hostile = dataclasses.replace(hostile, items=tuple(dataclasses.replace(i, code="O1") for i in hostile.items))
    result = merged(demo, hostile)
    report = tmp_path / "report.html"
    write_report(Output(Format.HTML, report), result, "th")
    requests: list[str] = []
    dialogs: list[str] = []
    page = open_report(browser, report, requests, dialogs)

    # summary counts: the cards say what the result says (the demo shows every status; the hostile item fails)
    cards = {s: int(page.locator(f'.card[data-status="{s}"] .count').inner_text())
             for s in ("total", "pass", "warn", "fail", "unverified")}
    counts = {s.value: n for s, n in result.counts().items()}
    assert cards == {"total": len(demo.items) + 1, **counts}
    assert counts["fail"] == demo.counts()[Status.FAIL] + 1 and min(counts.values()) >= 1
    # the bar: one coloured segment per item, in checklist order
    segments = page.locator(".bar .seg")
    assert segments.all_inner_texts() == [i.code for i in result.items]
    assert [segments.nth(n).get_attribute("data-status") for n in range(segments.count())] == \
        [i.status.value for i in result.items]
    colour = page.locator('.bar .seg[data-status="fail"]').first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(198, 40, 40)"
    # items grouped: every group heading once, every item card with its verdict colour class
    assert page.locator("section.group:not(.crawl)").count() == len({i.group for i in result.items})
    # the crawl's broken links on the OIT pages have their own section
    assert page.locator('#crawl .finding[data-reason="http_404"] .link-text').first.inner_text() == \
        "หลักเกณฑ์การบริหารและพัฒนาทรัพยากรบุคคล"
    for item in result.items:
        card = page.locator(f"article#item-{item.code}")
        assert card.get_attribute("data-status") == item.status.value
    assert page.locator('article#item-O27 .finding[data-reason="http_404"] .fix').inner_text().startswith("วิธีแก้")

    # the hostile page title and heading appear as text, and nothing from them ran or exists as markup
    assert page.locator(".page-title", has_text=HOSTILE_TITLE).count() == 1
    assert page.get_by_text(HOSTILE_HEADING, exact=True).count() == 1
    assert "<script>alert(1)</script>" in page.locator("article#item-O1").inner_text()
    assert page.evaluate("document.scripts.length") == 0
    assert page.evaluate("document.querySelectorAll('[onerror], [onmouseover], img[src=x]').length") == 0
    page.locator("article#item-O1 .snips").hover()
    assert dialogs == []
    # the click path is shown, homepage first, each hop a link
    hops = page.locator("article#item-O1 .path li a")
    assert hops.all_inner_texts() == ["หน้าแรก", "/ita/", "/ita/report.html"]
    # self-contained: the only request is the report itself (the screenshot is a data: URI)
    assert [u for u in requests if not u.startswith("data:")] == [report.as_uri()]
    # every screenshot in the evidence is a thumbnail (the bundle's, when a browser made them, and ours)
    shots = sum(len(view.screenshots(u)) for i in result.items for u in i.urls)
    assert page.locator(".shot img").count() == shots >= 1
    assert page.locator(".shot img").evaluate_all("imgs => imgs.every(i => i.complete && i.naturalWidth > 0)")
    thumb = page.locator(f'article#item-O1 .shot img[alt$="{shot}"]')
    assert thumb.get_attribute("src").startswith("data:image/png;base64,")
    assert thumb.evaluate("img => img.naturalWidth") == 900
    small = thumb.bounding_box()["width"]
    thumb.click()  # enlarges without any script (a checkbox and CSS)
    assert thumb.bounding_box()["width"] > small * 1.5

    png = tmp_path / "report.png"
    page.screenshot(path=str(png), full_page=True)
    assert png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size > 50_000
    page.close()


def page_texts(pdf: Path) -> list[str]:
    document = pdfium.PdfDocument(str(pdf))
    try:
        return [" ".join(document[n].get_textpage().get_text_range().split()) for n in range(len(document))]
    finally:
        document.close()


def test_html_report_prints_to_a4_with_a_page_per_group(demo: AuditResult, browser: Browser, tmp_path: Path) -> None:
    result = stable(demo)  # without screenshots the cards are short: only the CSS breaks the pages
    report = tmp_path / "report.html"
    report.write_text(HtmlReporter("en").render(result), encoding="utf-8")
    page = browser.new_page()
    page.goto(report.as_uri())
    pdf = tmp_path / "report.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    page.close()

    document = pdfium.PdfDocument(str(pdf))
    sizes = [document[n].get_size() for n in range(len(document))]
    document.close()
    assert all(abs(w - A4_POINTS[0]) < 2 and abs(h - A4_POINTS[1]) < 2 for w, h in sizes)
    texts = page_texts(pdf)
    # the summary and group 1, then every other group and the crawl each from a new page; cards are
    # not forced onto pages of their own
    groups = view.grouped(result.items)
    assert len(groups) + 1 <= len(texts) < len(result.items), len(texts)
    counts = result.counts()
    assert f"Summary {len(result.items)} Items " + " ".join(
        f"{counts[s]} {s.value}" for s in view.STATUS_ORDER) in texts[0]
    assert "กรม" in texts[0]  # the Thai agency name is real text (a Thai font was embedded)

    def top_of_a_page(marker: str) -> int:
        """The page that starts with ``marker`` (only the Thai group name may precede it)."""
        pages = [n for n, text in enumerate(texts) if 0 <= text.find(marker) < 40]
        assert len(pages) == 1, (marker, [t[:80] for t in texts])
        return pages[0]

    starts = []
    for index, (_, items) in enumerate(groups):
        tally = f"{len(items)} items · " + " · ".join(
            f"{s.value} {n}" for s in view.STATUS_ORDER if (n := sum(1 for i in items if i.status is s)))
        if index == 0:
            assert tally in texts[0]
            starts.append(0)
        else:
            starts.append(top_of_a_page(tally))
    starts.append(top_of_a_page("Crawl of the main website"))
    assert starts == sorted(starts) and len(set(starts)) == len(starts), starts
    # every item is printed on a page of its own group
    for item in result.items:
        group = [g for g, _ in groups].index(item.group)
        pages = [n for n, text in enumerate(texts) if item.name_en in text]
        assert pages and starts[group] <= pages[0] < starts[group + 1], (item.code, pages, starts)


def test_demo_report_embeds_small_thumbnails_and_links_the_full_screenshots(demo: AuditResult, browser: Browser,
                                                                           tmp_path: Path) -> None:
    """Full PNGs made real reports 10 MB: the demo's report, with its screenshots, stays under 1.5 MB."""
    report = tmp_path / "report.html"
    write_report(Output(Format.HTML, report), demo, "th")
    assert report.stat().st_size < 1_500_000
    shots = [u for i in demo.items for u in i.urls if "screenshot" in u.evidence_files]
    assert len(shots) >= 5 and all(Path(u.evidence_files["thumbnail"]).is_file() for u in shots)
    # only pages that opened were screenshotted (no 404 or 403 page)
    assert {u.fetch.status for u in shots if u.fetch} == {200}
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(report.as_uri())
    images = page.locator(".shot img")
    assert images.count() == len(shots)
    assert images.evaluate_all("imgs => imgs.every(i => i.src.startsWith('data:image/jpeg;base64,')"
                               " && i.complete && i.naturalWidth === 480)")
    links = page.locator(".shots a.full").evaluate_all("links => links.map(a => a.href)")
    assert sorted(links) == sorted(Path(u.evidence_files["screenshot"]).as_uri() for u in shots)
    page.close()
