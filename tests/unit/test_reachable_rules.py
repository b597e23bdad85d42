"""Issue 11 points 5 and 6: soft 404s by what the page says, dead URLs on the agency's own host."""

from __future__ import annotations

import pytest

from oit_checker.checklist import Element, Item
from oit_checker.checks import Attachment, Context, Page
from oit_checker.checks.reachable import check_reachable, fingerprint
from oit_checker.extract.html import extract_html
from oit_checker.messages import reason_fix
from oit_checker.models import Document, FetchResult, Status

HOME = "https://www.hospital.go.th/"
URL = "https://www.hospital.go.th/moit/moit10"
O10 = Item(code="O10", name_th="แผนดำเนินงานและการใช้งบประมาณประจำปี",
           elements=(Element(name="แผนดำเนินงาน", phrases=("แผนดำเนินงาน", "แผนปฏิบัติการ")),
                     Element(name="งบประมาณ", phrases=("งบประมาณ",))))
NO_ELEMENTS = Item(code="O1", name_th="โครงสร้าง")
MENU = "".join(f'<li><a href="/moit/moit{n}">MOIT {n} หัวข้อการเปิดเผยข้อมูลลำดับที่ {n}</a></li>' for n in range(1, 41))
HEADER = (f'<div class="top-header"><h1>โรงพยาบาลตัวอย่าง จังหวัดตัวอย่าง</h1>'
          f'<p>{"ยินดีต้อนรับสู่เว็บไซต์โรงพยาบาลตัวอย่าง บริการด้วยใจ " * 80}</p></div><nav><ul>{MENU}</ul></nav>')
FOOTER = '<footer><p>โรงพยาบาลตัวอย่าง 99 ถนนสุขภาพ โทร 0-5512-3456</p></footer>'


def html_page(main: str, title: str = "โรงพยาบาลตัวอย่าง") -> bytes:
    return f"<html><head><title>{title}</title></head><body>{HEADER}{main}{FOOTER}</body></html>".encode()


NOT_FOUND_ANSWER = html_page('<div id="content"><p>ขออภัย เนื้อหาที่คุณเรียกดูถูกย้ายหรือเปลี่ยนชื่อแล้ว</p>'
                             '<a href="/">กลับหน้าแรก</a></div>')
ITEM_PAGE = html_page('<div id="content"><h2>MOIT 10 แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2568</h2>'
                      '<p>งบประมาณที่ได้รับจัดสรร 1,200,000 บาท</p><a href="/files/plan.pdf">ดาวน์โหลด</a></div>')


def extracted(body: bytes, url: str = URL) -> Page:
    return Page(FetchResult(url=url, final_url=url, status=200, body=body), extract_html(body, url, "text/html; charset=utf-8"))


def probe_ctx() -> Context:
    """The audit's fingerprint of the site's answer to a random path (the line in ``audit.py``)."""
    doc = extracted(NOT_FOUND_ANSWER, HOME + "oit-probe-x1y2z3").doc
    assert doc is not None
    return Context(homepage=HOME, domains=("hospital.go.th",), assessment_year=2568,
                   soft_404_fingerprints={"www.hospital.go.th": fingerprint(doc.title, doc.main_text or doc.text)})


def reasons(page: Page, item: Item = O10, ctx: Context | None = None) -> list[str]:
    return [f.reason for f in check_reachable(page, item, ctx or probe_ctx())]


def test_a_long_common_header_does_not_make_an_item_page_a_soft_404() -> None:
    item, answer = extracted(ITEM_PAGE).doc, extracted(NOT_FOUND_ANSWER).doc
    assert item is not None and answer is not None
    assert item.text[:4000] == answer.text[:4000]  # the observed case: the first 4,000 characters agree
    assert reasons(extracted(ITEM_PAGE)) == ["reachable"]


def test_the_sites_not_found_answer_at_an_item_url_is_a_soft_404() -> None:
    assert reasons(extracted(NOT_FOUND_ANSWER)) == ["soft_404"]
    assert reasons(extracted(NOT_FOUND_ANSWER), NO_ELEMENTS) == ["soft_404"]


def test_the_not_found_answer_holding_the_items_content_is_not_a_soft_404() -> None:
    # a site that answers every path with the same page, which happens to carry the item's content
    body = html_page('<div id="content"><p>แผนปฏิบัติการและงบประมาณประจำปี 2568</p></div>')
    page = extracted(body)
    ctx = Context(homepage=HOME, domains=("hospital.go.th",), assessment_year=2568, soft_404_fingerprints={
        "www.hospital.go.th": fingerprint(page.doc.title, page.doc.main_text or page.doc.text)})  # type: ignore[union-attr]
    assert reasons(page, O10, ctx) == ["reachable"]
    assert reasons(page, NO_ELEMENTS, ctx) == ["soft_404"]


@pytest.mark.parametrize(("main", "title", "soft"), [
    ('<div id="content"><h2>404 ไม่พบหน้าที่ต้องการ</h2><p>กรุณาตรวจสอบ URL</p></div>', "โรงพยาบาลตัวอย่าง", True),
    ('<div id="content"><p>ขออภัย ไม่พบหน้าที่คุณต้องการ</p></div>', "โรงพยาบาลตัวอย่าง", True),  # short main content
    ('<div id="content"><p>หน้าข่าว</p></div>', "404 Not Found", True),  # the title still counts
    # the phrase in a long real page's text, or with the item's content, is no soft 404
    ('<div id="content"><p>หากไม่พบหน้าที่ต้องการ ' + "ข้อมูลข่าวสารของโรงพยาบาล " * 60 + "</p></div>",
     "โรงพยาบาลตัวอย่าง", False),
    ('<div id="content"><h2>ไม่พบหน้าที่ต้องการ</h2><p>แผนปฏิบัติการ งบประมาณ 2568</p></div>', "แผน", False),
])
def test_not_found_wording_in_the_main_content(main: str, title: str, soft: bool) -> None:
    assert ("soft_404" in reasons(extracted(html_page(main, title)))) is soft


def test_not_found_wording_in_the_template_is_no_soft_404() -> None:
    body = html_page('<div id="content"><h2>ข่าวประชาสัมพันธ์</h2><p>รายละเอียดข่าว</p></div>').replace(
        b"<nav>", '<nav><h2>ไม่พบหน้าที่ต้องการ? ค้นหา</h2>'.encode())
    assert reasons(extracted(body), NO_ELEMENTS) == ["reachable"]


def test_linked_evidence_that_opened_means_the_page_is_real() -> None:
    page = extracted(NOT_FOUND_ANSWER)
    pdf = "https://www.hospital.go.th/files/plan.pdf"
    with_pdf = Page(page.fetch, page.doc, (Attachment(pdf, "แผน", FetchResult(url=pdf, final_url=pdf, status=200)),))
    assert reasons(with_pdf) == ["reachable"]


# dead URL on the agency's own host ------------------------------------------------------

def dead(error: str, url: str = URL) -> Page:
    return Page(FetchResult(url=url, final_url=url, error=error, error_detail="refused"))


def ctx(homepage_ok: bool) -> Context:
    return Context(homepage=HOME, domains=("hospital.go.th",), assessment_year=2568, homepage_ok=homepage_ok)


@pytest.mark.parametrize("error", ["connect_error", "dns_error"])
def test_dead_url_on_the_agencys_host_while_the_homepage_answers_fails(error: str) -> None:
    for url in (URL, "https://moit.hospital.go.th/o10"):
        [finding] = check_reachable(dead(error, url), O10, ctx(homepage_ok=True))
        assert (finding.reason, finding.status) == (error, Status.FAIL)
        assert finding.evidence["homepage_ok"] is True
        assert reason_fix(finding.reason, finding.params, "en") != reason_fix(finding.reason, {}, "en")


@pytest.mark.parametrize(("error", "url", "homepage_ok"), [
    ("connect_error", URL, False),  # the homepage is dead too: maybe our network
    ("dns_error", URL, False),
    ("connect_error", "https://www.facebook.com/hospital", True),  # external hosts stay unverified
    ("dns_error", "https://hospital-old.in.th/o10", True),
    ("timeout", URL, True),
    ("rate_limited", URL, True),
    ("blocked_address", URL, True),
])
def test_other_network_failures_stay_unverified(error: str, url: str, homepage_ok: bool) -> None:
    [finding] = check_reachable(dead(error, url), O10, ctx(homepage_ok))
    assert (finding.reason, finding.status) == (error, Status.UNVERIFIED)


def test_a_document_without_a_marked_main_content_is_judged_on_its_text() -> None:
    page = Page(FetchResult(url=URL, final_url=URL, status=200), Document(kind="html", text="ไม่พบหน้าที่ต้องการ"))
    assert reasons(page, NO_ELEMENTS) == ["soft_404"]
