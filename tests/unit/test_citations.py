"""Issue 11 point 1: the page's own dates decide freshness, never the years of the laws it cites."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from oit_checker.checklist import Item, Period
from oit_checker.checks import Context, Page
from oit_checker.checks.fresh import check_fresh
from oit_checker.checks.interface import Attachment
from oit_checker.checks.period import judge_period
from oit_checker.citations import citation_spans
from oit_checker.models import DocDate, Document, FetchResult, Finding, Status
from oit_checker.thai import compact

CTX = Context(homepage="https://www.example.go.th/", domains=("example.go.th",), assessment_year=2567,
              today=dt.date(2024, 11, 20))
URL = "https://www.example.go.th/ita/o10.pdf"

PROCUREMENT_ACT = "พระราชบัญญัติการจัดซื้อจัดจ้างและการบริหารพัสดุภาครัฐ พ.ศ.2560"
INFORMATION_ACT = "พ.ร.บ.ข้อมูลข่าวสารของราชการ พ.ศ. ๒๕๔๐"
REGULATION_2551 = "ระเบียบสำนักนายกรัฐมนตรีว่าด้วยการจัดการเรื่องราวร้องทุกข์ พ.ศ. ๒๕๕๒"


def item(period: Period) -> Item:
    return Item(code="O10", name_th="ข้อมูล", period=period)


def page(text: str = "", title: str = "", headings: tuple[str, ...] = (), kind: str = "pdf",
         headers: dict[str, str] | None = None, **doc: object) -> Page:
    fetch = FetchResult(url=URL, final_url=URL, status=200, headers=headers or {})
    return Page(fetch, Document(kind=kind, text=text, title=title, headings=headings, **doc))  # type: ignore[arg-type]


def judge(p: Page, period: Period = Period.CURRENT_FISCAL_YEAR, year: int = 2567) -> Finding:
    [finding] = check_fresh(p, item(period), dataclasses.replace(CTX, assessment_year=year))
    return finding


# --- citation_spans -------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "kind", "cited"), [
    (f"ดำเนินการตาม{PROCUREMENT_ACT} มาตรา 7", "law", PROCUREMENT_ACT),
    (f"ตาม {INFORMATION_ACT} มาตรา 9", "law", INFORMATION_ACT),
    ("พ.ร.ก.การบริหารราชการในสถานการณ์ฉุกเฉิน พ.ศ. 2548", "law", None),
    ("พระราชกฤษฎีกาว่าด้วยหลักเกณฑ์และวิธีการบริหารกิจการบ้านเมืองที่ดี พ.ศ. 2546", "law", None),
    ("รัฐธรรมนูญแห่งราชอาณาจักรไทย พ.ศ. ๒๕๖๐ มาตรา ๕๙", "law", "รัฐธรรมนูญแห่งราชอาณาจักรไทย พ.ศ. ๒๕๖๐"),
    ("กฎกระทรวงกำหนดหลักเกณฑ์การจัดตั้ง พ.ศ. 2551", "law", None),
    ("ระเบียบกระทรวงการคลังว่าด้วยการจัดซื้อจัดจ้าง\nและการบริหารพัสดุภาครัฐ\nพ.ศ. 2560", "law", None),
    ("ประกาศกระทรวงการคลัง เรื่อง หลักเกณฑ์การจัดทำแผน พ.ศ. 2565", "law", None),
    ("ระเบียบ ก.พ. ว่าด้วยการลาของข้าราชการ พ.ศ. 2555", "law", None),
    ("ข้อบังคับ ก.ค.ศ. ว่าด้วยการประเมิน พ.ศ. 2563", "law", None),
    ("ยุทธศาสตร์ชาติ (พ.ศ. 2561 - 2580)", "standing_plan", None),
    ("แผนแม่บทภายใต้ยุทธศาสตร์ชาติ ประเด็นการต่อต้านการทุจริต (พ.ศ. 2566 – 2580)", "standing_plan", None),
    ("แผนพัฒนาท้องถิ่น (พ.ศ. 2566 - 2570)", "plan", "แผนพัฒนาท้องถิ่น (พ.ศ. 2566 - 2570"),
    ("คำสั่งกรมบังคับคดี ที่ 12/2562 ลงวันที่ 5 มีนาคม 2562 เรื่อง แต่งตั้ง", "order",
     "คำสั่งกรมบังคับคดี ที่ 12/2562 ลงวันที่ 5 มีนาคม 2562"),
    ("คำสั่งที่ ๑๒/๒๕๖๒", "order", None),
    ("มติคณะรัฐมนตรีเมื่อวันที่ 5 มีนาคม 2562", "resolution", None),
    ("ตามหนังสือที่ ยธ ๐๕๐๑(อ)/๑๓๙ ลงวันที่ ๘ มีนาคม ๒๕๖๖ ให้ทุกหน่วยงาน", "letter",
     "ตามหนังสือที่ ยธ ๐๕๐๑(อ)/๑๓๙ ลงวันที่ ๘ มีนาคม ๒๕๖๖"),
])
def test_citations_are_found_with_their_year(text: str, kind: str, cited: str | None) -> None:
    [citation] = citation_spans(text)
    assert citation.kind == kind
    assert text[citation.span[0]:citation.span[1]] == citation.text
    if cited is not None:
        assert citation.text == cited


@pytest.mark.parametrize(("text", "cited"), [
    ("ประกาศ ณ วันที่ 8 มกราคม 2567", []),
    ("ปรับปรุงล่าสุด 8 ม.ค. 67", []),
    ("แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2567", []),
    ("ข้อบัญญัติงบประมาณรายจ่ายประจำปีงบประมาณ พ.ศ. 2567", []),
    ("ตามระเบียบฯ ได้ดำเนินการในปี พ.ศ. 2567 แล้ว", []),
    ("ปฏิบัติตามระเบียบ ตั้งแต่เดือนมกราคม พ.ศ. 2567", []),
    ("ปฏิบัติตามระเบียบ ตั้งแต่ 1 ก.พ. พ.ศ. 2567", []),
    ("ระเบียบวาระที่ 1 เรื่องแจ้งเพื่อทราบ พ.ศ. 2567", []),
    ("แผนการจัดซื้อจัดจ้าง พ.ศ. 2567", []),  # a plan with one year is that year's plan
    ("คำสั่งกรม ที่ 5/2567 เรื่อง แต่งตั้ง\nสั่ง ณ วันที่ 8 มกราคม 2567", ["คำสั่งกรม ที่ 5/2567"]),
])
def test_own_dates_and_period_statements_are_not_citations(text: str, cited: list[str]) -> None:
    assert [c.text for c in citation_spans(text)] == cited


# --- the observed false fails ----------------------------------------------------------------


def test_a_dated_page_citing_an_old_act_is_judged_by_its_date() -> None:
    text = f"ประกาศรายชื่อผู้ชนะการเสนอราคา ตาม{PROCUREMENT_ACT}\nประกาศ ณ วันที่ 8 มกราคม 2567"
    finding = judge(page(text))
    assert (finding.status, finding.reason) == (Status.PASS, "fiscal_year_found")
    assert finding.evidence["deciding"]["text"] == "8 มกราคม 2567"
    assert [c["fiscal_year"] for c in finding.evidence["citations_ignored"]] == [2560]
    later = judge(page(text), year=2568)  # a year on, the same page is stale, by its own date
    assert (later.status, later.reason) == (Status.FAIL, "stale_fiscal_year")
    assert later.evidence["deciding"]["text"] == "8 มกราคม 2567" and later.params["found"] == "2567"


def test_a_later_signing_date_next_to_old_acts_warns_never_fails() -> None:
    text = f"ตาม{INFORMATION_ACT} และ{PROCUREMENT_ACT}\nประกาศ ณ วันที่ ๒๐ ตุลาคม พ.ศ. ๒๕๖๖"
    finding = judge(page(text), Period.PREVIOUS_FISCAL_YEAR)  # FY2566 required; 20 Oct 2566 is FY2567
    assert (finding.status, finding.reason) == (Status.WARN, "fiscal_year_unclear")
    assert judge(page(text)).reason == "fiscal_year_found"


def test_an_old_page_is_stale_by_its_own_date_not_by_the_regulation_it_cites() -> None:
    text = f"ตาม{REGULATION_2551}\nลงวันที่ ๙ ธันวาคม พ.ศ.๒๕๖๓"
    finding = judge(page(text), Period.PREVIOUS_FISCAL_YEAR)
    assert (finding.status, finding.reason) == (Status.FAIL, "stale_fiscal_year")
    assert finding.params["found"] == "2564" and finding.evidence["deciding"]["fiscal_year"] == 2564
    assert finding.evidence["citations_ignored"][0]["kind"] == "law"


def test_a_fiscal_year_in_the_text_outranks_cited_acts() -> None:
    text = f"รายงานผลการดำเนินงาน ปีงบประมาณ พ.ศ. ๒๕๖๔ ตาม{INFORMATION_ACT} และ{PROCUREMENT_ACT}"
    assert judge(page(text), Period.PREVIOUS_FISCAL_YEAR, year=2565).reason == "fiscal_year_found"
    stale = judge(page(text), Period.PREVIOUS_FISCAL_YEAR)
    assert (stale.reason, stale.params["found"]) == ("stale_fiscal_year", "2564")


def test_a_page_whose_only_years_are_citations_has_no_date() -> None:
    text = f"กฎหมายที่เกี่ยวข้อง\n{INFORMATION_ACT}\n{PROCUREMENT_ACT}\n{REGULATION_2551}"
    finding = judge(page(text, kind="html"), Period.PREVIOUS_FISCAL_YEAR)
    assert (finding.status, finding.reason) == (Status.WARN, "no_date_found")
    assert len(finding.evidence["citations_ignored"]) == 3
    old_file = page(text, dates=(DocDate("pdf_metadata", "CreationDate", dt.date(2019, 1, 1)),))
    assert judge(old_file, Period.PREVIOUS_FISCAL_YEAR).status is Status.WARN  # never stale


def test_a_cited_act_in_the_heading_is_not_the_documents_year() -> None:
    p = page("ข้อมูล ณ วันที่ 31 มี.ค. 2567", headings=(f"สรุปสาระสำคัญของ{INFORMATION_ACT}",))
    assert judge(p).reason == "fiscal_year_found"


def test_the_date_an_order_was_given_is_a_citation() -> None:
    text = "อาศัยอำนาจตามคำสั่งกรม ที่ 12/2562 ลงวันที่ 5 มีนาคม 2562 จึงแต่งตั้งคณะทำงาน"
    assert judge(page(text)).reason == "no_date_found"


# --- plans ------------------------------------------------------------------------------------------


def test_a_multi_year_plan_covers_every_year_in_it() -> None:
    own = page("ยุทธศาสตร์และเป้าหมาย", title="แผนพัฒนาท้องถิ่น (พ.ศ. 2566 - 2570)")
    assert judge(own).reason == "fiscal_year_found"
    named = page("ดำเนินงานตามแผนพัฒนาท้องถิ่น (พ.ศ. 2566 - 2570) ของเทศบาล")
    assert judge(named).reason == "fiscal_year_found"


def test_a_plan_that_has_ended_never_makes_a_page_stale() -> None:
    named = page("สอดคล้องกับแผนพัฒนาท้องถิ่น (พ.ศ. 2561 - 2565)")
    assert judge(named).reason == "no_date_found"
    national = page("สอดคล้องกับยุทธศาสตร์ชาติ (พ.ศ. 2561 - 2580) ปีงบประมาณ พ.ศ. 2563")
    finding = judge(national)  # the national strategy covers 2567 but is only cited: FY2563 decides
    assert (finding.reason, finding.evidence["deciding"]["fiscal_year"]) == ("stale_fiscal_year", 2563)


def test_a_yearly_plan_states_its_period() -> None:
    assert judge(page("แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2567")).reason == "fiscal_year_found"
    assert judge(page("แผนการจัดซื้อจัดจ้าง ประจำปี 2567")).reason == "fiscal_year_found"


# --- own dates outrank bare years -----------------------------------------------------------------


@pytest.mark.parametrize("own", [
    "ข้อมูล ณ วันที่ 31 มี.ค. 2567",
    "ปรับปรุงล่าสุด 8 ม.ค. 67",
    "รายงานผลการใช้จ่ายงบประมาณ ไตรมาส 2/2567",
    "Last updated: 8 January 2024",
])
def test_full_dates_and_periods_outrank_bare_years(own: str) -> None:
    p = page(f"หน่วยงานก่อตั้งเมื่อ พ.ศ. 2540 ย้ายที่ทำการเมื่อ พ.ศ. 2563\n{own}", kind="html")
    finding = judge(p)
    assert finding.reason == "fiscal_year_found" and finding.evidence["tier"] == "dated"
    assert judge(page("หน่วยงานก่อตั้งเมื่อ พ.ศ. 2540", kind="html")).reason == "stale_fiscal_year"


# --- weak and unsure evidence -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["html", "pdf", "docx", "xlsx"])
def test_last_modified_alone_never_fails(kind: str) -> None:
    p = page("ไม่มีวันที่", kind=kind, headers={"last-modified": "Tue, 01 Jan 2019 00:00:00 GMT"})
    finding = judge(p, Period.PREVIOUS_FISCAL_YEAR)
    assert (finding.status, finding.reason) == (Status.WARN, "date_from_metadata")
    assert finding.evidence["deciding"]["source"] == "http_last_modified"


def test_a_stale_year_read_by_ocr_is_unverified_with_its_own_reason() -> None:
    scan = page("บันทึกข้อความ ลงวันที่ ๒๐ ตุลาคม ๒๕๒๒", text_source="ocr", ocr_confidence=64.0)
    finding = judge(scan)
    assert (finding.status, finding.reason) == (Status.UNVERIFIED, "stale_year_ocr")
    assert "ocr" in finding.evidence["text_source"] and finding.evidence["ocr_confidence"] == 64.0
    assert finding.evidence["may_be_misread_year"] is True  # FY2523 may be FY2567 misread (๖ as ๒, ๗ as ๓)
    mixed = page("ประจำปีงบประมาณ 2558", text_source="pdftotext+ocr")
    assert judge(mixed).reason == "stale_year_ocr" and judge(mixed).evidence["may_be_misread_year"] is False
    assert judge(page("ประจำปีงบประมาณ 2567", text_source="ocr")).status is Status.PASS
    # the lead calls judge_period for each linked document: the same rule holds there
    assert scan.doc is not None
    [direct] = judge_period(scan, item(Period.CURRENT_FISCAL_YEAR), CTX, scan.doc)
    assert (direct.status, direct.reason) == (Status.UNVERIFIED, "stale_year_ocr")


@pytest.mark.parametrize("dates", [(), (DocDate("pdf_metadata", "CreationDate", dt.date(2019, 1, 1)),),
                                   (DocDate("pdf_metadata", "CreationDate", dt.date(2024, 1, 1)),)])
def test_a_scan_whose_year_ocr_could_not_read_is_unverified(dates: tuple[DocDate, ...]) -> None:
    garbled = page("รายงานผล ประจำปีงบประมาณ พ.ศ. ๒๕๒๐๕", text_source="ocr", dates=dates)  # ๒๕๖๕ misread
    finding = judge(garbled, Period.PREVIOUS_FISCAL_YEAR)
    assert (finding.status, finding.reason) == (Status.UNVERIFIED, "year_unread_ocr")
    assert judge(page("รายงานผล", dates=dates), Period.PREVIOUS_FISCAL_YEAR).reason != "year_unread_ocr"


def test_years_read_by_ocr_are_labelled() -> None:
    later = judge(page("ลงวันที่ 20 ตุลาคม 2566", text_source="ocr"), Period.PREVIOUS_FISCAL_YEAR)
    assert later.reason == "fiscal_year_unclear" and later.params["found"].endswith("(OCR)")
    assert judge(page("ลงวันที่ 20 ตุลาคม 2566"), Period.PREVIOUS_FISCAL_YEAR).params["found"] == "2567"


# --- what the page says --------------------------------------------------------------------------------


def test_freshness_reads_the_main_content_not_the_menu() -> None:
    menu = "หน้าหลัก\nข่าวประจำปีงบประมาณ 2567\nติดต่อเรา"
    p = page(f"{menu}\nรายงานผลการดำเนินงาน ประจำปีงบประมาณ 2563", kind="html",
             main_text="รายงานผลการดำเนินงาน ประจำปีงบประมาณ 2563", headings=("ปีงบประมาณ 2567", "รายงาน"),
             main_headings=("รายงาน",))
    assert judge(p).reason == "stale_fiscal_year"


def test_freshness_leaves_out_lines_the_whole_site_repeats() -> None:
    footer = "ปรับปรุงล่าสุด 8 มกราคม 2567"
    p = page(f"ผลการดำเนินงาน ปีงบประมาณ 2563\n{footer}", kind="html")
    ctx = dataclasses.replace(CTX, boilerplate=frozenset({compact(footer)}))
    [finding] = check_fresh(p, item(Period.CURRENT_FISCAL_YEAR), ctx)
    assert finding.reason == "stale_fiscal_year"
    assert judge(p).reason == "fiscal_year_unclear"  # without the crawl, the footer is the page's


def test_judge_period_judges_one_document_not_its_attachments() -> None:
    linked = Document(kind="pdf", text="ประจำปีงบประมาณ 2567")
    fetch = FetchResult(url=URL, final_url=URL, status=200, headers={})
    doc = Document(kind="html", text="ดาวน์โหลดเอกสาร")
    p = Page(fetch, doc, attachments=(Attachment(URL, "รายงาน", fetch, linked),))
    [finding] = judge_period(p, item(Period.CURRENT_FISCAL_YEAR), CTX, doc)
    assert finding.reason == "no_date_found"
    [finding] = judge_period(p, item(Period.CURRENT_FISCAL_YEAR), CTX, linked)
    assert finding.reason == "fiscal_year_found"
