"""Fiscal-year reasoning, date sources, element detectors and table columns, on Documents built here."""

from __future__ import annotations

import datetime as dt

import pytest

from oit_checker.checklist import Element, Item, Period
from oit_checker.checks import Context, Page, run_checks
from oit_checker.checks.content import check_content
from oit_checker.checks.detectors import DETECTOR_FUNCTIONS
from oit_checker.checks.fresh import check_fresh
from oit_checker.checks.monthly import bare_months, due_months
from oit_checker.dates import file_dates, parse_http_date, parse_pdf_date, parse_w3c_date
from oit_checker.models import DocDate, Document, FetchResult, Status, Table
from oit_checker.thai import normalize

CTX = Context(homepage="https://www.led.go.th/", domains=("led.go.th",), assessment_year=2567,
              today=dt.date(2024, 11, 20))
URL = "https://www.led.go.th/ita/report.pdf"


def item(period: Period, *elements: Element) -> Item:
    return Item(code="O41", name_th="รายงาน", period=period, elements=elements)


def page(text: str = "", title: str = "", headings: tuple[str, ...] = (), kind: str = "pdf",
         headers: dict[str, str] | None = None, **doc: object) -> Page:
    fetch = FetchResult(url=URL, final_url=URL, status=200, headers=headers or {})
    return Page(fetch, Document(kind=kind, text=text, title=title, headings=headings, **doc))  # type: ignore[arg-type]


def fresh(p: Page, period: Period = Period.PREVIOUS_FISCAL_YEAR, ctx: Context = CTX) -> tuple[Status, str]:
    [finding] = check_fresh(p, item(period), ctx)
    return finding.status, finding.reason


# --- fiscal years -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "ระหว่างวันที่ 1 ตุลาคม 2565 – 30 กันยายน 2566",
    "รายงานประจำปีงบประมาณ พ.ศ. ๒๕๖๖",
    "รายงานผลการดำเนินงาน ประจำปี 2566",
    "ข้อมูล ต.ค.65 - ก.ย.66",
])
def test_the_ways_fy2566_is_written_all_count(text: str) -> None:
    assert fresh(page(text)) == (Status.PASS, "fiscal_year_found")


def test_judged_by_the_year_in_the_title_not_the_plans_in_the_body() -> None:
    body = "ผลการดำเนินงาน ... ข้อเสนอแนะ: นำไปจัดทำแผนปีงบประมาณ พ.ศ. ๒๕๖๖ ต่อไป"
    p = page(body, headings=("รายงานผลการดำเนินการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. ๒๕๖๕",))
    [finding] = check_fresh(p, item(Period.PREVIOUS_FISCAL_YEAR), CTX)
    assert (finding.status, finding.reason) == (Status.FAIL, "stale_fiscal_year")
    assert finding.evidence["source"] == "heading" and finding.params["found"] == "2565"
    # without that heading the same body mentions FY2566, and nothing says otherwise
    assert fresh(page(body)) == (Status.PASS, "fiscal_year_found")


def test_title_year_beats_a_signing_date_of_the_next_fiscal_year() -> None:
    p = page("ลงวันที่ 20 ตุลาคม 2566", title="รายงานผล ประจำปีงบประมาณ พ.ศ. 2566")
    [finding] = check_fresh(p, item(Period.PREVIOUS_FISCAL_YEAR), CTX)
    assert finding.reason == "fiscal_year_found" and finding.evidence["source"] == "title"


def test_only_later_years_warn_never_fail() -> None:
    assert fresh(page("ลงวันที่ 20 ตุลาคม 2566")) == (Status.WARN, "fiscal_year_unclear")


def test_every_date_is_evidence_with_its_source() -> None:
    p = page("ประจำปีงบประมาณ 2566", headers={"last-modified": "Mon, 02 Oct 2023 03:00:00 GMT"},
             dates=(DocDate("pdf_metadata", "CreationDate", dt.date(2023, 10, 1)),))
    [finding] = check_fresh(p, item(Period.PREVIOUS_FISCAL_YEAR), CTX)
    sources = [d["source"] for d in finding.evidence["dates"]]
    assert sources == ["text", "pdf_metadata", "http_last_modified"]


# --- dates outside the text -------------------------------------------------------------------


def test_file_metadata_alone_warns_when_it_fits_and_fails_when_impossible() -> None:
    fits = page("ไม่มีวันที่", dates=(DocDate("pdf_metadata", "CreationDate", dt.date(2023, 11, 2)),))
    [finding] = check_fresh(fits, item(Period.PREVIOUS_FISCAL_YEAR), CTX)
    assert (finding.status, finding.reason) == (Status.WARN, "date_from_metadata")
    assert finding.evidence["source"] == "pdf_metadata" and finding.params["found"] == 2567
    old = page("ไม่มีวันที่", dates=(DocDate("docx_properties", "created", dt.date(2021, 3, 1)),))
    assert fresh(old) == (Status.FAIL, "stale_fiscal_year")


def test_a_plan_may_be_written_before_its_year_begins() -> None:
    plan = page("แผน", dates=(DocDate("pdf_metadata", "CreationDate", dt.date(2023, 9, 1)),))
    assert fresh(plan, Period.CURRENT_FISCAL_YEAR) == (Status.WARN, "date_from_metadata")


def test_text_beats_metadata_beats_last_modified() -> None:
    p = page("ประจำปีงบประมาณ พ.ศ. 2566", dates=(DocDate("pdf_metadata", "CreationDate", dt.date(2020, 1, 1)),))
    assert fresh(p) == (Status.PASS, "fiscal_year_found")
    modified = {"last-modified": "Tue, 01 Jan 2019 00:00:00 GMT"}
    html_page = page("ไม่มีวันที่", kind="html", headers=modified)
    assert fresh(html_page) == (Status.WARN, "date_from_metadata")  # a web page's header is no proof
    pdf_page = page("ไม่มีวันที่", headers=modified)
    assert fresh(pdf_page) == (Status.WARN, "date_from_metadata")  # nor is a file server's (issue 11)
    assert fresh(page("ไม่มีวันที่")) == (Status.WARN, "no_date_found")


@pytest.mark.parametrize(("value", "expected"), [
    ("D:20231005103000+07'00'", dt.date(2023, 10, 5)),
    ("D:20230930200000Z", dt.date(2023, 10, 1)),  # 03:00 on 1 October in Bangkok: FY2567
    ("D:2023", dt.date(2023, 1, 1)),
    ("garbage", None), ("D:19691231", None),
])
def test_pdf_dates(value: str, expected: dt.date | None) -> None:
    assert parse_pdf_date(value) == expected


def test_ooxml_and_http_dates_in_thai_time() -> None:
    assert parse_w3c_date("2023-09-30T18:00:00Z") == dt.date(2023, 10, 1)
    assert parse_w3c_date("2023-10-05") == dt.date(2023, 10, 5)
    assert parse_http_date("Sat, 30 Sep 2023 17:30:00 GMT") == dt.date(2023, 10, 1)
    assert parse_http_date("not a date") is None
    doc = Document(kind="pdf", dates=(DocDate("xlsx_cell", "A1", dt.date(2023, 1, 1)),))
    assert [d.source for d in file_dates(doc, {"last-modified": "Sat, 30 Sep 2023 17:30:00 GMT"})] == [
        "xlsx_cell", "http_last_modified"]


# --- six months -------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("รายงานผลการบริหารความเสี่ยง รอบ 6 เดือน (ต.ค.66 - มี.ค.67)", (Status.PASS, "half_year_found")),
    ("รายงานรอบ ๖ เดือน ปีงบประมาณ พ.ศ. ๒๕๖๗", (Status.PASS, "half_year_found")),
    ("1 ตุลาคม 2566 ถึง 30 กันยายน 2567", (Status.PASS, "half_year_found")),
    ("ตุลาคม 2566 พฤศจิกายน 2566 ธันวาคม 2566 มกราคม 2567 กุมภาพันธ์ 2567 มีนาคม 2567", (Status.PASS, "half_year_found")),
    ("แผนปฏิบัติการ ปีงบประมาณ พ.ศ. 2567", (Status.WARN, "half_year_unclear")),
    ("รอบ 6 เดือน (ต.ค.65 - มี.ค.66)", (Status.FAIL, "stale_fiscal_year")),
])
def test_six_months_is_october_to_march_of_the_current_year(text: str, expected: tuple[Status, str]) -> None:
    assert fresh(page(text), Period.SIX_MONTHS) == expected


# --- monthly ----------------------------------------------------------------------------------


def test_due_months_wait_until_a_month_is_over() -> None:
    assert due_months(2567, dt.date(2023, 10, 20)) == []
    assert due_months(2567, dt.date(2023, 12, 14)) == [(2023, 10)]
    assert due_months(2567, dt.date(2023, 12, 15)) == [(2023, 10), (2023, 11)]
    assert len(due_months(2567, dt.date(2025, 1, 1))) == 12


def test_monthly_names_the_missing_months() -> None:
    links = "\n".join(f"สรุปผลการจัดซื้อจัดจ้าง ประจำเดือน{m}" for m in (
        "ตุลาคม 2566", "พฤศจิกายน 2566", "มกราคม 2567", "กุมภาพันธ์ 2567"))
    today = dataclass_ctx(dt.date(2024, 3, 20))  # Oct–Feb are due
    [finding] = check_fresh(page(links, kind="html"), item(Period.MONTHLY), today)
    assert (finding.status, finding.reason) == (Status.FAIL, "missing_months")
    assert finding.evidence["missing"] == ["2023-12"]
    assert finding.params["months"] == "ธันวาคม 2566" and "Dec 2023" in finding.params["months_en"]


def test_month_names_without_a_year_under_a_fiscal_year_heading() -> None:
    text = "ตุลาคม\nพฤศจิกายน\nธันวาคม"
    p = page(text, kind="html", headings=("สรุปผลการจัดซื้อจัดจ้างรายเดือน ปีงบประมาณ พ.ศ. 2567",))
    assert fresh(p, Period.MONTHLY, dataclass_ctx(dt.date(2024, 1, 20))) == (Status.PASS, "months_found")
    assert fresh(p, Period.MONTHLY, dataclass_ctx(dt.date(2024, 2, 20))) == (Status.FAIL, "missing_months")


def test_monthly_of_an_old_year_is_stale_and_before_any_month_is_due_the_year_decides() -> None:
    old = page("สรุปผลการจัดซื้อจัดจ้าง ประจำเดือน ตุลาคม 2565", kind="html")
    assert fresh(old, Period.MONTHLY) == (Status.FAIL, "stale_fiscal_year")
    new = page("สรุปผลการจัดซื้อจัดจ้าง ปีงบประมาณ 2567", kind="html")
    assert fresh(new, Period.MONTHLY, dataclass_ctx(dt.date(2023, 10, 20))) == (Status.PASS, "fiscal_year_found")


def test_bare_months() -> None:
    assert bare_months("ต.ค. พ.ย. และมีนาคม") == {10, 11, 3}


def dataclass_ctx(today: dt.date) -> Context:
    import dataclasses

    return dataclasses.replace(CTX, today=today)


# --- OCR and partly read documents --------------------------------------------------------------


def test_a_fail_read_by_ocr_is_unverified_with_the_confidence() -> None:
    needs = item(Period.PREVIOUS_FISCAL_YEAR, Element(name="ข้อเสนอแนะ", phrases=("ข้อเสนอแนะ",)))
    ocr = page("รายงาน ประจำปีงบประมาณ 2564", text_source="ocr", ocr_confidence=71.5)
    findings = {f.check.value: f for f in run_checks(ocr, needs, CTX)}
    for check in ("fresh", "content"):
        assert findings[check].status is Status.UNVERIFIED, check
        assert findings[check].evidence["downgraded_from"] == "fail"
        assert findings[check].evidence["ocr_confidence"] == 71.5
    assert (findings["fresh"].reason, findings["content"].reason) == ("stale_year_ocr", "missing_element")


def test_a_stale_title_of_a_partly_read_file_still_fails() -> None:
    partial = page("...", headings=("รายงาน ประจำปีงบประมาณ 2564",), warnings=("partly_read",))
    assert fresh(partial) == (Status.FAIL, "stale_fiscal_year")


@pytest.mark.parametrize(("warning", "status"), [
    ("corrupt_file", Status.FAIL), ("too_large", Status.UNVERIFIED), ("legacy_format", Status.UNVERIFIED),
    ("extract_timeout", Status.UNVERIFIED), ("no_text_layer", Status.UNVERIFIED),
])
def test_unreadable_files_give_one_content_finding(warning: str, status: Status) -> None:
    p = page(warnings=(warning,), text_source="none")
    [finding] = check_content(p, item(Period.NONE, Element(name="x", phrases=("x",))), CTX)
    assert (finding.status, finding.reason) == (status, warning)
    assert check_fresh(p, item(Period.PREVIOUS_FISCAL_YEAR), CTX) == []


# --- detectors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("detector", "text", "found"), [
    ("phone", "โทร. ๐ ๒๘๘๑ ๔๙๙๙", "0 2881 4999"),
    ("phone", "Tel. (02) 881-4999 ต่อ 12", "(02) 881-4999"),
    ("phone", "มือถือ 081-234-5678", "081-234-5678"),
    ("phone", "+66 2 881 4999", "+66 2 881 4999"),
    ("phone", "โทรศัพท์ 0 2141 6589-90", "0 2141 6589"),
    ("phone", "สายด่วน 1111", None),
    ("phone", "ลงวันที่ 01-10-2566", None),
    ("phone", "รหัสโครงการ 66109123456789", None),
    ("fax", "โทรสาร ๐ ๒๘๘๑ ๔๙๐๐", "โทรสาร 0 2881 4900"),
    ("fax", "Fax. 0-2881-4900", "Fax. 0-2881-4900"),
    ("fax", "โทรศัพท์ 02-881-4999", None),
    ("money", "งบประมาณ ๑,๒๕๐,๐๐๐.๐๐ บาท", "1,250,000.00 บาท"),
    ("money", "เป็นเงิน 20,000.- บาท", "20,000.- บาท"),
    ("money", "วงเงิน 1.5 ล้านบาท", "1.5 ล้านบาท"),
    ("money", "THB 20,000", "THB 20,000"),
    ("money", "(สามแสนบาทถ้วน)", "สามแสนบาทถ้วน"),
    ("money", "ราคากลาง (บาท)", None),
    ("person_name", "ผศ.ดร.สมชาย ใจกว้าง", "ผศ.ดร.สมชาย ใจกว้าง"),
    ("person_name", "(นางสาวสมศรี ตัวอย่างดี)", "นางสาวสมศรี ตัวอย่างดี"),
    ("person_name", "น.ส.มาลี ศรีสุข", "น.ส.มาลี ศรีสุข"),
    ("person_name", "พ.ต.อ. สมปอง รักชาติ", "พ.ต.อ. สมปอง รักชาติ"),
    ("person_name", "ว่าที่ร้อยตรี สมหมาย ดีใจ", "ว่าที่ร้อยตรี สมหมาย ดีใจ"),
    ("person_name", "นายกเทศมนตรี เมืองตัวอย่าง", None),
    ("person_name", "ประจำเดือน ส.ค. 2566 ถึง ก.ย.", None),
])
def test_detectors(detector: str, text: str, found: str | None) -> None:
    norm = normalize(text)
    span = DETECTOR_FUNCTIONS[detector](norm)
    assert (norm[span[0]:span[1]] if span else None) == found


# --- table columns ------------------------------------------------------------------------------

COLUMNS = Element(name="ตาราง", columns=("วิธีการ|วิธีซื้อหรือจ้าง", "ราคากลาง", "ผู้ได้รับการคัดเลือก"))


def test_columns_match_a_table_header_with_alternatives() -> None:
    table = Table("ต.ค. 66", (("ลำดับ", "วิธีซื้อหรือจ้าง", "ราคากลาง (บาท)", "ผู้ได้รับการคัดเลือกและราคา"),))
    [finding] = check_content(page("ข้อความ", tables=(table,)), item(Period.NONE, COLUMNS), CTX)
    assert finding.reason == "elements_found"
    assert finding.evidence["found"]["ตาราง"].startswith("ต.ค. 66: วิธีซื้อหรือจ้าง | ราคากลาง")


def test_columns_missing_from_every_table_name_the_element() -> None:
    table = Table("table 1", (("ลำดับ", "วิธีการ", "ราคากลาง"),))
    text = "วิธีการ ราคากลาง ผู้ได้รับการคัดเลือก"  # in the text, but not a column of the table
    [finding] = check_content(page(text, kind="html", tables=(table,)), item(Period.NONE, COLUMNS), CTX)
    assert (finding.status, finding.reason, finding.params["missing"]) == (Status.FAIL, "missing_element", "ตาราง")


def test_columns_in_a_document_without_tables_must_sit_together() -> None:
    together = "ลำดับ งานที่จัดซื้อ วิธีการ ราคากลาง ผู้ได้รับการคัดเลือก"
    assert check_content(page(together), item(Period.NONE, COLUMNS), CTX)[0].reason == "elements_found"
    apart = "วิธีการ " + "ข้อความอื่น " * 100 + "ราคากลาง ผู้ได้รับการคัดเลือก"
    assert check_content(page(apart), item(Period.NONE, COLUMNS), CTX)[0].reason == "missing_element"


def test_html_tables_become_header_rows() -> None:
    from oit_checker.extract.html import extract_html

    html = """<table><caption>สขร.1</caption><thead><tr><th>วิธีการ</th><th>ราคากลาง</th></tr></thead>
    <tr><td>เฉพาะเจาะจง</td><td>1,000</td></tr></table><table><tr><td>ชื่อ</td><td>ผู้ได้รับการคัดเลือก</td></tr></table>"""
    doc = extract_html(html.encode(), "https://www.led.go.th/x.html", "text/html; charset=utf-8")
    assert [(t.where, t.rows) for t in doc.tables] == [
        ("table 1 (สขร.1)", (("วิธีการ", "ราคากลาง"),)),
        ("table 2", (("ชื่อ", "ผู้ได้รับการคัดเลือก"),))]


def test_a_checklist_column_word_may_not_be_blank() -> None:
    with pytest.raises(ValueError, match="empty column"):
        Element(name="x", columns=("วิธีการ|",))


def test_date_cells_satisfy_the_thai_date_detector() -> None:
    element = Element(name="วันที่", detectors=("thai_date",))
    doc = page("ไม่มีวันที่ในข้อความ", kind="xlsx", dates=(DocDate("xlsx_cell", "ต.ค. 66!H4", dt.date(2023, 10, 8)),))
    [finding] = check_content(doc, item(Period.NONE, element), CTX)
    assert finding.evidence["found"]["วันที่"] == "ต.ค. 66!H4 = 2023-10-08"
