"""An item page is judged with the evidence it links (issue 11 point 2): which links are evidence,
elements and years found in linked files, broken and placeholder links, pages with no evidence."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from oit_checker.attachments import evidence_links, is_document_link, names_item
from oit_checker.checklist import Element, Item, Period
from oit_checker.checks import Attachment, Context, Page, run_checks
from oit_checker.checks.content import check_content
from oit_checker.checks.instructions import without_instructions
from oit_checker.checks.linked import check_fresh_linked, is_broken, linked_findings
from oit_checker.models import Check, Document, FetchResult, Finding, Link, Status

HOME = "https://www.college.ac.th/"
URL = "https://www.college.ac.th/ita/o24"
PDF = "https://www.college.ac.th/files/o24-report-2566.pdf"
CTX = Context(homepage=HOME, domains=("college.ac.th",), assessment_year=2567, today=dt.date(2024, 5, 1))
O24 = Item(code="O24", name_th="รายงานผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุประจำปี", period=Period.PREVIOUS_FISCAL_YEAR,
           elements=(Element(name="ปัญหาอุปสรรค", phrases=("ปัญหาอุปสรรค", "ปัญหาและอุปสรรค")),
                     Element(name="ข้อเสนอแนะ", phrases=("ข้อเสนอแนะ",))))
MENU = "\n".join(f"O{n} รายการที่ {n}" for n in range(1, 41)) + "\nO24 รายงานผลการจัดซื้อจัดจ้าง ปัญหาอุปสรรค ข้อเสนอแนะ"
REPORT_TEXT = "รายงานผลการจัดซื้อจัดจ้าง ปีงบประมาณ พ.ศ. 2566\nปัญหาและอุปสรรค: ไม่มี\nข้อเสนอแนะ: ควรวางแผนล่วงหน้า"


def html(main: str, *, links: tuple[Link, ...] = (), placeholders: tuple[Link, ...] = (), menu: str = MENU) -> Document:
    return Document(kind="html", text=f"{menu}\n{main}", main_text=main, links=links, main_links=links,
                    placeholders=placeholders, title="วิทยาลัยเทคนิคทดสอบ - O24")


def ok(url: str, status: int = 200, **kw: object) -> FetchResult:
    return FetchResult(url=url, final_url=url, status=status, **kw)  # type: ignore[arg-type]


def pdf(text: str, url: str = PDF) -> Attachment:
    return Attachment(url, "รายงานผล", ok(url), Document(kind="pdf", text=text, text_source="pdftotext"))


def item_page(main: str = "", *attachments: Attachment, **kw: object) -> Page:
    links = tuple(Link(a.url, a.text) for a in attachments)
    return Page(ok(URL), html(main, links=links, **kw), attachments)  # type: ignore[arg-type]


def by_reason(findings: list[Finding]) -> dict[str, Finding]:
    return {f.reason: f for f in findings}


# which links are evidence ------------------------------------------------------------------

def test_documents_and_pages_naming_the_item_are_evidence_menus_and_other_hosts_are_not() -> None:
    links = (Link(PDF, "ดาวน์โหลด"), Link("https://www.college.ac.th/ita/o24-2566", "รายงานผลการจัดซื้อจัดจ้างประจำปี 2566"),
             Link("https://www.college.ac.th/news/1", "ข่าวกิจกรรม"), Link("https://evil.example/o24.pdf", "O24"),
             Link(HOME, "หน้าแรก"), Link(URL, "O24"), Link("https://files.college.ac.th/o24.xlsx", ""))
    menu_links = (Link("https://www.college.ac.th/ita/o23.pdf", "O23"),)
    doc = Document(kind="html", links=links + menu_links, main_links=links)
    chosen = [link.url for link in evidence_links(doc, URL, O24, ("college.ac.th",), HOME, 10)]
    assert chosen == [PDF, "https://files.college.ac.th/o24.xlsx", "https://www.college.ac.th/ita/o24-2566"]


def test_evidence_links_are_bounded_and_a_malformed_link_is_skipped() -> None:
    links = tuple(Link(f"https://www.college.ac.th/f/{n}.pdf") for n in range(30)) + (Link("http://[", "O24"),)
    doc = Document(kind="html", links=links, main_links=links)
    assert len(evidence_links(doc, URL, O24, ("college.ac.th",), HOME, 10)) == 10
    assert evidence_links(doc, URL, O24, ("college.ac.th",), HOME, 0) == []


@pytest.mark.parametrize(("text", "named"), [
    ("O24 รายงานผลการจัดซื้อจัดจ้าง", True), ("o24", True), ("รายงานผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุ ปี 2566", True),
    ("ปัญหาและอุปสรรค", True), ("O2", False), ("O245", False), ("ข่าวประชาสัมพันธ์", False), ("คลิก", False),
])
def test_link_text_names_the_item(text: str, named: bool) -> None:
    assert names_item(text, O24) is named


def test_document_links_by_extension() -> None:
    assert is_document_link("https://a.go.th/files/%E0%B8%A3%E0%B8%B2%E0%B8%A2.PDF")
    assert not is_document_link("https://a.go.th/ita/o24")


# content over the page and its evidence ----------------------------------------------------

def test_elements_found_in_the_linked_pdf_name_the_file() -> None:
    [finding] = check_content(item_page("รายงานผลการจัดซื้อจัดจ้าง", pdf(REPORT_TEXT)), O24, CTX)
    assert (finding.status, finding.reason) == (Status.PASS, "elements_found")
    assert finding.evidence["found_in"] == {"ปัญหาอุปสรรค": PDF, "ข้อเสนอแนะ": PDF}


def test_menu_naming_every_item_does_not_satisfy_elements_no_evidence() -> None:
    [finding] = check_content(item_page("O24 รายงานผลการจัดซื้อจัดจ้าง"), O24, CTX)
    assert (finding.status, finding.reason) == (Status.FAIL, "no_evidence")


def test_copied_assessment_instructions_are_not_content() -> None:
    main = ("O24 รายงานผลการจัดซื้อจัดจ้าง\nองค์ประกอบด้านข้อมูล\n• แสดงผลการจัดซื้อจัดจ้าง\n"
            "• ปัญหาอุปสรรค\n• ข้อเสนอแนะ\nองค์ประกอบด้านเวลา\n• เป็นข้อมูลของปีงบประมาณ พ.ศ. 2566")
    [finding] = check_content(item_page(main), O24, CTX)
    assert (finding.status, finding.reason) == (Status.FAIL, "no_evidence")
    assert "ข้อเสนอแนะ" in without_instructions("ข้อเสนอแนะ: ควรวางแผน\nองค์ประกอบด้านข้อมูล\n• ข้อเสนอแนะ")


def test_a_missing_element_that_may_sit_in_an_unread_file_is_unverified() -> None:
    scan = Attachment(PDF, "รายงาน", ok(PDF), Document(kind="pdf", text_source="none", warnings=("no_text_layer",)))
    timeout = Attachment("https://www.college.ac.th/f/b.pdf", "ไฟล์", FetchResult(
        url="https://www.college.ac.th/f/b.pdf", final_url="https://www.college.ac.th/f/b.pdf", error="timeout"))
    for attachment in (scan, timeout):
        [finding] = check_content(item_page("ปัญหาอุปสรรค: ไม่มี", attachment), O24, CTX)
        assert (finding.status, finding.reason) == (Status.UNVERIFIED, "missing_element")
        assert finding.evidence["unread_evidence"] == [attachment.url]


def test_readable_evidence_without_the_elements_fails_missing_element() -> None:
    [finding] = check_content(item_page("รายงาน", pdf("รายงานผลการจัดซื้อจัดจ้าง ปี 2566 ตารางสรุป")), O24, CTX)
    assert (finding.status, finding.reason) == (Status.FAIL, "missing_element")


# broken and placeholder links --------------------------------------------------------------

@pytest.mark.parametrize(("fetch", "broken"), [
    (ok(PDF, 404), True), (ok(PDF, 410), True), (ok(PDF, 403), False), (ok(PDF, 503), False), (ok(PDF, 429), False),
    (FetchResult(url=PDF, final_url=PDF, error="redirect_loop"), True),
    (FetchResult(url=PDF, final_url=PDF, error="timeout"), False),
])
def test_broken_means_broken_for_everyone(fetch: FetchResult, broken: bool) -> None:
    assert is_broken(Attachment(PDF, "x", fetch), CTX) is broken


def test_a_dead_server_on_the_agency_s_own_host_is_broken_when_the_homepage_answered() -> None:
    refused = FetchResult(url=PDF, final_url=PDF, error="connect_error")
    elsewhere = FetchResult(url="https://drive.example/x.pdf", final_url="https://drive.example/x.pdf", error="dns_error")
    alive = dataclasses.replace(CTX, homepage_ok=True)
    assert is_broken(Attachment(PDF, "x", refused), alive)
    assert not is_broken(Attachment(PDF, "x", refused), CTX)  # the homepage did not answer either: our network?
    assert not is_broken(Attachment(elsewhere.url, "x", elsewhere), alive)


def test_a_broken_evidence_link_fails_when_the_content_needed_it() -> None:
    dead = Attachment(PDF, "รายงานผลการจัดซื้อจัดจ้าง 2566", ok(PDF, 404))
    findings = by_reason(run_checks(item_page("รายงานผลการจัดซื้อจัดจ้าง", dead), O24, CTX))
    assert findings["broken_attachment"].status is Status.FAIL
    assert findings["broken_attachment"].params["text"] == "รายงานผลการจัดซื้อจัดจ้าง 2566"
    assert findings["missing_element"].status is Status.FAIL


def test_a_broken_extra_link_only_warns_when_the_content_is_complete() -> None:
    dead = Attachment("https://www.college.ac.th/f/old.pdf", "ไฟล์เก่า", ok("https://www.college.ac.th/f/old.pdf", 404))
    [broken] = linked_findings(item_page("x", pdf(REPORT_TEXT), dead), O24, CTX, content_complete=True)
    assert (broken.status, broken.reason) == (Status.WARN, "broken_attachment")


def test_placeholder_links_where_the_document_should_be() -> None:
    holes = (Link("#", "ดาวน์โหลดรายงาน"), Link("javascript:void(0)", "กลับด้านบน ↑"))
    findings = by_reason(run_checks(item_page("รายงานผลการจัดซื้อจัดจ้าง", placeholders=holes), O24, CTX))
    assert findings["placeholder_link"].status is Status.FAIL
    assert findings["placeholder_link"].params["count"] == 1
    assert findings["missing_element"].status is Status.FAIL  # not no_evidence: the page meant to link it


# freshness over the page and its evidence --------------------------------------------------

def fresh(page: Page) -> Finding:
    [finding] = [f for f in check_fresh_linked(page, O24, CTX) if f.check is Check.FRESH]
    return finding


def test_a_current_linked_report_makes_an_undated_index_page_current() -> None:
    finding = fresh(item_page("รายงานผลการจัดซื้อจัดจ้าง", pdf(REPORT_TEXT)))
    assert (finding.status, finding.evidence["judged_in"]) == (Status.PASS, PDF)


def test_only_old_linked_reports_are_stale() -> None:
    old = REPORT_TEXT.replace("2566", "2563")
    finding = fresh(item_page("รายงานผลการจัดซื้อจัดจ้าง", pdf(old)))
    assert (finding.status, finding.reason) == (Status.FAIL, "stale_fiscal_year")


def test_old_reports_with_an_unread_file_beside_them_are_not_stale() -> None:
    old = REPORT_TEXT.replace("2566", "2563")
    timeout = Attachment("https://www.college.ac.th/f/2566.pdf", "2566", FetchResult(
        url="https://www.college.ac.th/f/2566.pdf", final_url="https://www.college.ac.th/f/2566.pdf", error="timeout"))
    finding = fresh(item_page("รายงานผลการจัดซื้อจัดจ้าง", pdf(old), timeout))
    assert (finding.status, finding.reason) == (Status.UNVERIFIED, "stale_fiscal_year")


# nothing to report, written out ------------------------------------------------------------

COMPLAINTS = Item(code="O31", name_th="ข้อมูลเชิงสถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบประจำปี",
                  elements=(Element(name="จำนวนเรื่องร้องเรียน", phrases=("จำนวนเรื่องร้องเรียน",)),
                            Element(name="เรื่องที่ดำเนินการแล้วเสร็จ", phrases=("ดำเนินการแล้วเสร็จ",))))


@pytest.mark.parametrize(("main", "reason"), [
    ("ปีงบประมาณ พ.ศ. ๒๕๖๗\nไม่มีเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ", "nil_statement"),
    ("ปีงบประมาณ พ.ศ. ๒๕๖๗\nไม่ มี เรื่องร้องเรียน", "nil_statement"),
    ("ปีงบประมาณ พ.ศ. ๒๕๖๗\nไม่มีค่าใช้จ่ายในการร้องเรียน", "no_evidence"),  # not a statement about complaints
    ("ไม่พบข้อมูลเรื่องร้องเรียน", "no_evidence"),  # a page that failed to load its data
])
def test_an_explicit_nothing_to_report_answers_the_item(main: str, reason: str) -> None:
    [finding] = check_content(item_page(main), COMPLAINTS, CTX)
    assert finding.reason == reason


def test_ocr_text_that_lost_its_tone_marks_still_matches() -> None:
    scan = Document(kind="pdf", text="ปัญหาอุปสรรค งบไม่พอ\nขอเสนอแนะ ใช้การเรียนออนไลน์", text_source="ocr", ocr_confidence=80.0)
    [finding] = check_content(Page(ok(PDF), scan), O24, CTX)
    assert (finding.status, finding.reason) == (Status.PASS, "elements_found")
    typed = Document(kind="pdf", text="ปัญหาอุปสรรค งบไม่พอ\nขอเสนอแนะ ใช้การเรียนออนไลน์", text_source="pdftotext")
    [finding] = check_content(Page(ok(PDF), typed), O24, CTX)  # a typed text layer means what it says
    assert (finding.status, finding.reason) == (Status.FAIL, "missing_element")


def test_a_heading_that_repeats_the_item_name_proves_no_element() -> None:
    risk = Item(code="O24", name_th="รายงานผลการดำเนินการเพื่อจัดการความเสี่ยงการทุจริตและประพฤติมิชอบประจำปี",
                elements=(Element(name="ผลการดำเนินการ", phrases=("ผลการดำเนินการ",)),
                          Element(name="มาตรการ", phrases=("มาตรการจัดการความเสี่ยง",))))
    main = "O24 รายงานผลการดำเนินการเพื่อจัดการความเสี่ยงการทุจริตและประพฤติมิชอบประจำปี\nอยู่ระหว่างการปรับปรุงข้อมูล"
    [finding] = check_content(item_page(main), risk, CTX)
    assert (finding.status, finding.reason) == (Status.FAIL, "no_evidence")
    report = main + "\nผลการดำเนินการ: จัดอบรม 3 ครั้ง\nมาตรการจัดการความเสี่ยง: ตรวจสอบสัญญาทุกฉบับ"
    assert check_content(item_page(report), risk, CTX)[0].reason == "elements_found"
