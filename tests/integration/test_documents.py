"""Reading real files: Thai PDFs (text and scanned), DOCX, XLSX, DOC/XLS, broken, encrypted and
oversized ones, each judged to the status and reason code an assessor would reach.

The fixtures in ``tests/data/docs`` are real files made by Chromium, LibreOffice, openpyxl and qpdf
(``tests/data/docs/make_fixtures.py``); zip bombs, corrupt and multi-page files are made here from
them. OCR runs for real: CI installs tesseract-ocr and tesseract-ocr-tha (``.ci/run``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from mkpdf import legacy_font_pdf, scan_with_hidden_text, to_legacy_keys

from oit_checker.checklist import Element, Item, Period, load_checklist
from oit_checker.checks import Context, Page, run_checks
from oit_checker.extract import extract
from oit_checker.extract.ocr import ocr_unavailable_reason
from oit_checker.extract.office import extract_docx, extract_xlsx, sniff_office
from oit_checker.extract.options import DEFAULT_OPTIONS, ExtractOptions
from oit_checker.extract.pdf import extract_pdf, scanned_pages
from oit_checker.models import Document, FetchResult, Finding, Status
from oit_checker.options import defaults

DOCS = Path(__file__).resolve().parents[1] / "data" / "docs"
DEMO_DOCS = Path(__file__).resolve().parents[2] / "oit_checker" / "demo" / "site" / "ita" / "docs"
BENCH_LINES = [line for line in (DOCS / "bench" / "lines.txt").read_text("utf-8").splitlines() if line]
OCR_OFF = dataclasses.replace(defaults().documents, ocr="off")
CTX = Context(homepage="https://www.led.go.th/", domains=("led.go.th",), assessment_year=2567,
              today=dt.date(2024, 11, 20))
O41 = load_checklist("ita-2567").item("O41")
O23 = load_checklist("ita-2567").item("O23")
assert O41 is not None and O23 is not None


def compact(text: str) -> str:
    return "".join(text.split())


def fetched(body: bytes, name: str, ctype: str = "application/octet-stream", **kw: object) -> FetchResult:
    url = f"https://www.led.go.th/ita/{name}"
    return FetchResult(url=url, final_url=url, status=200, body=body, headers={"content-type": ctype}, **kw)  # type: ignore[arg-type]


def audit_file(path: Path, item: Item = O41, options: ExtractOptions = DEFAULT_OPTIONS,
               ctx: Context = CTX) -> dict[str, tuple[str, str]]:
    """check -> (status, reason) for one file served as octet-stream, as the audit does it."""
    fetch = fetched(path.read_bytes(), path.name)
    findings = run_checks(Page(fetch, extract(fetch, options)), item, ctx)
    return {f.check.value: (f.status.value, f.reason) for f in findings}


def item_status(checks: dict[str, tuple[str, str]]) -> str:
    order = ["pass", "warn", "unverified", "fail"]
    return max((s for s, _ in checks.values()), key=order.index)


# --- text PDFs ------------------------------------------------------------------------------


@pytest.mark.parametrize("pdf", sorted((DOCS / "bench").glob("*.pdf")), ids=lambda p: p.stem)
def test_text_pdfs_from_chromium_and_libreoffice_read_every_thai_line(pdf: Path) -> None:
    doc = extract_pdf(pdf.read_bytes())
    assert (doc.kind, doc.text_source, doc.warnings) == ("pdf", "pdftotext", ())
    text = compact(doc.text)
    assert [line for line in BENCH_LINES if compact(line) not in text] == []
    assert doc.dates and doc.dates[0].source == "pdf_metadata"


def test_without_poppler_pypdfium2_reads_the_text(monkeypatch: pytest.MonkeyPatch) -> None:
    real_which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name: None if name == "pdftotext" else real_which(name))
    doc = extract_pdf((DOCS / "bench" / "libreoffice-garuda.pdf").read_bytes())
    assert doc.text_source == "pypdfium2"
    assert "ผู้อำนวยการ" in doc.text  # LibreOffice's line breaks inside clusters are joined back


def test_text_report_passes_and_its_first_lines_are_headings() -> None:
    doc = extract_pdf((DOCS / "encrypted-owner.pdf").read_bytes())  # copying forbidden, opens freely
    assert doc.warnings == () and "ปีงบประมาณ พ.ศ. ๒๕๖๖" in doc.headings[0]  # first lines, joined
    checks = audit_file(DOCS / "encrypted-owner.pdf")
    assert checks["fresh"] == ("pass", "fiscal_year_found")
    assert checks["content"] == ("pass", "elements_found")


# --- scans ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["scan-o41-2566.pdf", "scan-header-o41-2566.pdf"])
def test_scans_are_detected_even_under_a_token_text_header(name: str) -> None:
    doc = extract_pdf((DOCS / name).read_bytes(), OCR_OFF)
    assert doc.warnings == ("no_text_layer",)
    assert doc.extraction["scanned_pages"] == [1] and doc.extraction["ocr"] == "off"
    if "header" in name:  # the header is real text, yet the page is still a scan
        assert "สำเนาเอกสาร" in doc.text


def test_a_text_page_with_a_picture_is_not_a_scan() -> None:
    full = "ข้อความ" * 60
    assert scanned_pages([full, "หัวเรื่อง"], [0.9, 0.9]) == [1]
    assert scanned_pages([full, full], [0.9, 0.0]) == []
    assert scanned_pages(["", ""], []) == [0, 1]  # no text at all, no images found: still unreadable


def test_scanned_report_without_ocr_is_unverified_never_fail() -> None:
    checks = audit_file(DOCS / "scan-o41-2566.pdf", options=OCR_OFF)
    assert checks["content"] == ("unverified", "no_text_layer")
    assert "fresh" not in checks  # nothing to read a year from: content says why
    assert item_status(checks) == "unverified"


def test_scanned_report_with_ocr_passes_with_ocr_as_the_source() -> None:
    assert ocr_unavailable_reason(DEFAULT_OPTIONS) == "", "CI installs tesseract-ocr and tesseract-ocr-tha"
    fetch = fetched((DOCS / "scan-o41-2566.pdf").read_bytes(), "scan.pdf")
    doc = extract(fetch)
    assert doc.text_source == "ocr" and doc.ocr_confidence is not None and doc.ocr_confidence >= 80
    findings = {f.check.value: f for f in run_checks(Page(fetch, doc), O41, CTX)}
    assert (findings["fresh"].status, findings["fresh"].reason) == (Status.PASS, "fiscal_year_found")
    assert (findings["content"].status, findings["content"].reason) == (Status.PASS, "elements_found")
    assert findings["content"].evidence["text_source"] == "ocr"
    assert findings["content"].evidence["ocr_confidence"] == doc.ocr_confidence
    assert "2566" in findings["fresh"].evidence["matched"]


def test_ocr_misread_thai_digits_never_fail_a_scan() -> None:
    """Tesseract reads ๒๕๖๖ as ๒๕๒๒: the stale year it finds is reported unverified, not fail."""
    fetch = fetched((DOCS / "scan-thai-digits-o41-2566.pdf").read_bytes(), "scan.pdf")
    doc = extract(fetch)
    assert doc.text_source == "ocr"
    fresh = next(f for f in run_checks(Page(fetch, doc), O41, CTX) if f.check.value == "fresh")
    assert fresh.status is not Status.FAIL
    if fresh.reason == "stale_fiscal_year":
        assert fresh.status is Status.UNVERIFIED and fresh.evidence["downgraded_from"] == "fail"
        assert fresh.evidence["ocr_confidence"] == doc.ocr_confidence


def test_ocr_text_too_poor_to_judge_is_no_text_layer_with_the_confidence() -> None:
    strict = dataclasses.replace(DEFAULT_OPTIONS, ocr_min_confidence=99.9)
    doc = extract_pdf((DOCS / "scan-o41-2566.pdf").read_bytes(), strict)
    assert doc.warnings == ("no_text_layer",) and doc.extraction["ocr"] == "low_confidence"
    fetch = fetched(b"%PDF", "scan.pdf")
    [content] = [f for f in run_checks(Page(fetch, doc), O41, CTX) if f.check.value == "content"]
    assert (content.status, content.reason) == (Status.UNVERIFIED, "no_text_layer")
    assert content.evidence["ocr_confidence"] == doc.ocr_confidence
    assert "%" in content.params["why"] and "confidence" in content.params["why_en"]


def test_demo_scan_is_unreadable_even_with_ocr() -> None:
    doc = extract_pdf((DEMO_DOCS / "o37-risk-report-6m-2567-scan.pdf").read_bytes())
    assert doc.warnings == ("no_text_layer",)
    assert doc.extraction["ocr"] in ("low_confidence", "not_installed", "no_language_data")


def test_ocr_time_budget_ends_as_no_text_layer() -> None:
    hurried = dataclasses.replace(DEFAULT_OPTIONS, timeout=0.5)
    doc = extract_pdf((DOCS / "scan-o41-2566.pdf").read_bytes(), hurried)
    assert "no_text_layer" in doc.warnings
    assert doc.extraction["ocr"] in ("timeout", "low_confidence")


def test_ocr_uses_pypdfium2_rendering_without_poppler(monkeypatch: pytest.MonkeyPatch) -> None:
    real_which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name: None if name == "pdftoppm" else real_which(name))
    doc = extract_pdf((DOCS / "scan-o41-2566.pdf").read_bytes())
    assert doc.text_source == "ocr" and "ปัญหาอุปสรรค" in compact(doc.text)


# --- DOCX / XLSX / DOC / XLS ------------------------------------------------------------------


def test_docx_from_libreoffice_reads_headings_table_and_properties() -> None:
    doc = extract(fetched((DOCS / "o41-report-2566.docx").read_bytes(), "report.docx"))
    assert (doc.kind, doc.text_source, doc.warnings) == ("docx", "docx", ())
    assert doc.title.endswith("๒๕๖๖") and doc.headings[0].endswith("๒๕๖๖")
    assert "๓. ปัญหาอุปสรรค" in doc.headings
    assert doc.tables[0].rows[0] == ("โครงการ", "งบประมาณ (บาท)", "ผลการดำเนินการ")
    assert {(d.source, d.field, d.value) for d in doc.dates} == {
        ("docx_properties", "created", dt.date(2023, 10, 20)), ("docx_properties", "modified", dt.date(2023, 10, 20))}
    checks = audit_file(DOCS / "o41-report-2566.docx")
    assert checks["fresh"] == ("pass", "fiscal_year_found") and checks["content"] == ("pass", "elements_found")


def _docx(document_xml: str, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal hand-built OOXML word file."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"/>')
        z.writestr("word/document.xml", document_xml)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buffer.getvalue()


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def test_docx_text_boxes_nested_tables_and_page_headers_are_read() -> None:
    body = f"""<w:document {W}><w:body>
<w:p><w:r><w:t>ก่อนกล่อง</w:t></w:r><w:r><w:txbxContent><w:p><w:r><w:t>ข้อเสนอแนะในกล่องข้อความ</w:t></w:r></w:p>
</w:txbxContent></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>วิธีการ</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>ราคากลาง</w:t></w:r></w:p></w:tc>
<w:tc><w:tbl><w:tr><w:tc><w:p><w:r><w:t>ผู้ได้รับการคัดเลือก</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc></w:tr></w:tbl>
</w:body></w:document>"""
    header = f'<w:hdr {W}><w:p><w:r><w:t>ปีงบประมาณ พ.ศ. ๒๕๖๖</w:t></w:r></w:p></w:hdr>'
    doc = extract_docx(_docx(body, {"word/header1.xml": header.encode()}))
    assert doc.warnings == ()
    assert "ข้อเสนอแนะในกล่องข้อความ" in doc.text and "ก่อนกล่อง" in doc.text
    assert "ปีงบประมาณ พ.ศ. ๒๕๖๖" in doc.headings
    element = Element(name="ตาราง", columns=("วิธีการ", "ราคากลาง", "ผู้ได้รับการคัดเลือก"))
    item = Item(code="O23", name_th="สรุปผล", period=Period.PREVIOUS_FISCAL_YEAR, elements=(element,))
    findings = run_checks(Page(fetched(b"", "x.docx"), doc), item, CTX)
    assert [(f.check.value, f.reason) for f in findings if f.check.value in ("fresh", "content")] == [
        ("fresh", "fiscal_year_found"), ("content", "elements_found")]


def test_monthly_xlsx_with_a_missing_month_fails_and_names_it() -> None:
    checks = audit_file(DOCS / "procurement-2567.xlsx", item=O23)
    assert checks["content"] == ("pass", "elements_found")  # the สขร.1 columns are in every sheet's header
    assert checks["fresh"] == ("fail", "missing_months")
    fetch = fetched((DOCS / "procurement-2567.xlsx").read_bytes(), "summary.xlsx")
    doc = extract(fetch)
    assert doc.kind == "xlsx" and len(doc.tables) == 11
    assert sum(1 for d in doc.dates if d.source == "xlsx_cell") == 33
    [fresh] = [f for f in run_checks(Page(fetch, doc), O23, CTX) if f.check.value == "fresh"]
    assert fresh.evidence["missing"] == ["2024-03"] and fresh.params["months"] == "มีนาคม 2567"


def test_monthly_xlsx_before_the_missing_month_is_due_passes() -> None:
    early = dataclasses.replace(CTX, today=dt.date(2024, 3, 10))  # March 2567 not over yet
    assert audit_file(DOCS / "procurement-2567.xlsx", item=O23, ctx=early)["fresh"] == ("pass", "months_found")


def test_xlsx_date_cells_alone_date_a_workbook(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["รายการ", "วันที่", "จำนวนเงิน"])
    sheet.append(["ค่าวัสดุ", dt.datetime(2023, 11, 15), 1200])
    book.save(tmp_path / "plain.xlsx")
    doc = extract_xlsx((tmp_path / "plain.xlsx").read_bytes())
    assert [d.field for d in doc.dates if d.source == "xlsx_cell"] == ["Sheet!B2"]
    item = Item(code="O10", name_th="แผน", period=Period.CURRENT_FISCAL_YEAR)
    [fresh] = [f for f in run_checks(Page(fetched(b"", "p.xlsx"), doc), item, CTX) if f.check.value == "fresh"]
    assert (fresh.reason, fresh.evidence["source"]) == ("fiscal_year_found", "xlsx_cell")


@pytest.mark.parametrize(("name", "kind"), [("o41-report-2566.doc", "doc"), ("procurement-2567.xls", "xls")])
def test_legacy_office_files_are_recognised_and_unverified_with_a_hint(name: str, kind: str) -> None:
    body = (DOCS / name).read_bytes()
    assert sniff_office(body) == kind
    checks = audit_file(DOCS / name)
    assert checks["content"] == ("unverified", "legacy_format")
    assert item_status(checks) == "unverified"


# --- bad files and caps -----------------------------------------------------------------------


def test_password_protected_pdf_fails_as_not_public() -> None:
    checks = audit_file(DOCS / "encrypted-user.pdf")
    assert checks["public"] == ("fail", "password_protected")
    assert "content" not in checks and "fresh" not in checks


@pytest.mark.parametrize("cut", [0.3, 0.9])
def test_corrupt_pdf_is_a_clear_finding(tmp_path: Path, cut: float) -> None:
    body = (DOCS / "encrypted-owner.pdf").read_bytes()
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(body[: int(len(body) * cut)])
    checks = audit_file(broken)
    assert checks["content"] == ("fail", "corrupt_file")


def test_a_pdf_cut_by_the_download_limit_is_not_blamed_on_the_agency() -> None:
    body = (DOCS / "encrypted-owner.pdf").read_bytes()[:5000]
    doc = extract(fetched(body, "big.pdf", truncated=True))
    assert doc.warnings == ("extract_failed",)


def _bomb(kind: str, size: int) -> bytes:
    buffer = io.BytesIO()
    main = "word/document.xml" if kind == "docx" else "xl/workbook.xml"
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(main, "<x/>")
        z.writestr("word/media/zeros.bin" if kind == "docx" else "xl/zeros.bin", b"\0" * size)
    return buffer.getvalue()


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_zip_bombs_are_refused_before_inflating(kind: str) -> None:
    body = _bomb(kind, 12 * 1024 * 1024)
    assert len(body) < 100_000  # 12 MB of zeros packs into a few kB
    small = dataclasses.replace(defaults().documents, max_decompressed_mb=5)
    fetch = fetched(body, f"bomb.{kind}")
    doc = extract(fetch, small)
    assert (doc.kind, doc.warnings) == (kind, ("too_large",))
    [content] = [f for f in run_checks(Page(fetch, doc), O41, CTX) if f.check.value == "content"]
    assert (content.status, content.reason) == (Status.UNVERIFIED, "too_large")


@pytest.mark.parametrize("body", [b"PK\x03\x04 not really a zip", b"PK\x03\x04" + b"\0" * 100])
def test_broken_docx_is_corrupt(body: bytes) -> None:
    doc = extract(fetched(body, "x.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
    assert doc.warnings == ("corrupt_file",)


def test_docx_with_broken_xml_is_corrupt() -> None:
    doc = extract_docx(_docx(f"<w:document {W}><w:body><w:p>"))
    assert doc.warnings == ("corrupt_file",)


def test_xml_entity_bomb_is_refused() -> None:
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
            f'<w:document {W}><w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>')
    assert extract_docx(_docx(bomb)).warnings == ("corrupt_file",)


def test_page_cap_reads_the_first_pages_and_never_fails_on_what_it_did_not_read() -> None:
    import pypdfium2

    two = pypdfium2.PdfDocument.new()
    for name in ("encrypted-owner.pdf", "encrypted-owner.pdf"):
        two.import_pages(pypdfium2.PdfDocument((DOCS / name).read_bytes()))
    buffer = io.BytesIO()
    two.save(buffer)
    doc = extract_pdf(buffer.getvalue(), dataclasses.replace(defaults().documents, max_pages=1))
    assert doc.pages == 2 and doc.extraction["pages_read"] == 1 and "partly_read" in doc.warnings
    item = Item(code="O41", name_th="x", elements=(Element(name="ไม่มีในหน้าแรก", phrases=("คำที่ไม่มี",)),))
    [content] = [f for f in run_checks(Page(fetched(b"", "x.pdf"), doc), item, CTX) if f.check.value == "content"]
    assert (content.status, content.reason) == (Status.UNVERIFIED, "missing_element")
    assert content.evidence["why_partly"] == "max_pages"


def test_cell_cap_on_a_big_workbook(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    for row in range(3000):
        book.active.append([row, "รายการ", row * 10])
    book.save(tmp_path / "big.xlsx")
    doc = extract_xlsx((tmp_path / "big.xlsx").read_bytes(), dataclasses.replace(defaults().documents, max_cells=300))
    assert "partly_read" in doc.warnings and doc.extraction["why_partly"] == "max_cells"


def test_every_document_reason_survives_a_run_without_crashing() -> None:
    """Each fixture goes through extract + every check: never an exception, always findings."""
    for path in sorted(DOCS.glob("*.*")):
        if path.suffix in (".py",):
            continue
        fetch = fetched(path.read_bytes(), path.name)
        doc = extract(fetch, OCR_OFF)
        assert isinstance(doc, Document)
        assert run_checks(Page(fetch, doc), O41, CTX), path.name


# --- legacy Thai fonts: unreadable text is not missing text ----------------------------------
# ``text-*.pdf`` are real Chromium PDFs (``make_legacy_fixtures.py``); ``legacy_font_pdf`` rewrites
# their fonts' ToUnicode maps as an old Thai font has them: the page still shows Thai, the text
# layer reads as the Thai-keyboard keys of each glyph.

LEGACY = legacy_font_pdf((DOCS / "text-o41-2566.pdf").read_bytes())
LEGACY_BODY = legacy_font_pdf((DOCS / "text-cover-o41-2566.pdf").read_bytes(), fonts=("Laksaman",))
"""Cover (Loma, readable), report (Laksaman, garbled), appendix (Loma, readable)."""
HIDDEN_GARBAGE = scan_with_hidden_text((DOCS / "scan-o41-2566.pdf").read_bytes(), to_legacy_keys(
    "รายงานผลการดำเนินการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. 2566\nกรมตัวอย่างบังคับคดี\n"
    "ผลการดำเนินการ ดำเนินโครงการส่งเสริมคุณธรรมและความโปร่งใส\nงบประมาณที่ใช้ 245,500 บาท\n"
    "ปัญหาอุปสรรค บุคลากรมีภารกิจมาก\nข้อเสนอแนะ ควรจัดกิจกรรมผ่านระบบออนไลน์เพิ่มขึ้น"))
"""A scan whose invisible text layer (render mode 3) is legacy-font garbage: too much text to be a
token header, so only the garbage detector sends it to OCR."""


def _pdftotext(body: bytes, tmp_path: Path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(body)
    return subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          check=True).stdout.decode("utf-8")


def _content(body: bytes, options: ExtractOptions, item: Item = O41) -> tuple[Document, dict[str, Finding]]:
    fetch = fetched(body, "report.pdf")
    doc = extract(fetch, options)
    return doc, {f.check.value: f for f in run_checks(Page(fetch, doc), item, CTX)}


def test_the_legacy_fixture_shows_thai_but_its_text_layer_is_latin_garbage(tmp_path: Path) -> None:
    assert to_legacy_keys("รายงาน") == "ikp'ko"
    layer = _pdftotext(LEGACY, tmp_path)
    assert not re.search("[\u0e01-\u0e5b]", layer) and to_legacy_keys("ปัญหาอุปสรรค") in layer
    assert "ปัญหาอุปสรรค" in compact(_pdftotext((DOCS / "text-o41-2566.pdf").read_bytes(), tmp_path))
    import pypdfium2

    pdf = pypdfium2.PdfDocument(LEGACY)  # the glyphs are untouched: the page renders as the original does
    original = pypdfium2.PdfDocument((DOCS / "text-o41-2566.pdf").read_bytes())
    assert bytes(pdf[0].render(scale=0.5).buffer) == bytes(original[0].render(scale=0.5).buffer)


def test_a_legacy_font_pdf_without_ocr_is_unreadable_never_missing() -> None:
    doc, findings = _content(LEGACY, OCR_OFF)
    assert doc.warnings == ("unreadable_text_layer",) and doc.extraction["garbled_pages"] == [1]
    assert doc.text == "" and doc.extraction["garbled_sample"].startswith("ikp'ko")  # garbage is never judged
    content = findings["content"]
    assert (content.status, content.reason) == (Status.UNVERIFIED, "unreadable_text_layer")
    assert content.params["sample"].startswith("ikp'ko") and "OCR" in content.params["why_en"]
    assert content.evidence["garbled_pages"] == [1]


def test_ocr_reads_a_legacy_font_pdf_and_its_thai_passes() -> None:
    doc, findings = _content(LEGACY, DEFAULT_OPTIONS)
    assert doc.warnings == () and doc.text_source == "ocr" and doc.extraction["ocr"] == "used"
    assert doc.ocr_confidence is not None and doc.ocr_confidence >= 80
    assert all(word in compact(doc.text) for word in ("ปัญหาอุปสรรค", "ข้อเสนอแนะ", "กรมตัวอย่างบังคับคดี"))
    content = findings["content"]
    assert (content.status, content.reason) == (Status.PASS, "elements_found")
    assert content.evidence["text_source"] == "ocr" and content.evidence["garbled_pages"] == [1]
    assert content.evidence["ocr_confidence"] == doc.ocr_confidence


def test_a_fail_on_ocr_text_of_a_legacy_pdf_is_unverified() -> None:
    """The O41 report submitted for the procurement item: its elements are missing, but OCR text
    cannot prove an absence."""
    _, findings = _content(LEGACY, DEFAULT_OPTIONS, item=O23)
    content = findings["content"]
    assert content.status is Status.UNVERIFIED and content.evidence["downgraded_from"] == "fail"


def test_ocr_too_poor_on_a_legacy_pdf_is_unreadable_with_the_confidence() -> None:
    strict = dataclasses.replace(DEFAULT_OPTIONS, ocr_min_confidence=99.9)
    doc, findings = _content(LEGACY, strict)
    assert doc.warnings == ("unreadable_text_layer",) and doc.extraction["ocr"] == "low_confidence"
    content = findings["content"]
    assert (content.status, content.reason) == (Status.UNVERIFIED, "unreadable_text_layer")
    assert content.evidence["ocr_confidence"] == doc.ocr_confidence


def test_a_readable_cover_over_garbled_pages_is_judged_page_by_page() -> None:
    doc, findings = _content(LEGACY_BODY, OCR_OFF)
    assert doc.extraction["garbled_pages"] == [2] and doc.warnings == ("partly_read",)
    assert doc.extraction["why_partly"] == "unreadable_text_layer"
    assert "กรมตัวอย่างบังคับคดี" in doc.text and "ikp'ko" not in doc.text  # the readable pages are kept
    content = findings["content"]  # the report's elements sit on the garbled page: not proven missing
    assert (content.status, content.reason) == (Status.UNVERIFIED, "missing_element")
    doc, findings = _content(LEGACY_BODY, DEFAULT_OPTIONS)
    assert doc.text_source == "pdftotext+ocr" and "ปัญหาอุปสรรค" in compact(doc.text)
    assert findings["content"].status is Status.PASS


def test_all_pages_garbled_with_a_readable_cover_is_unreadable() -> None:
    doc = extract_pdf(legacy_font_pdf((DOCS / "text-cover-o41-2566.pdf").read_bytes()), OCR_OFF)
    assert doc.extraction["garbled_pages"] == [1, 2, 3] and doc.warnings == ("unreadable_text_layer",)


@pytest.mark.parametrize("pdf", [*sorted((DOCS / "bench").glob("*.pdf")), *sorted(DEMO_DOCS.glob("*.pdf")),
                                 DOCS / "text-o41-2566.pdf", DOCS / "text-cover-o41-2566.pdf"],
                         ids=lambda p: p.stem)
def test_readable_pdfs_are_never_taken_for_garbage(pdf: Path) -> None:
    doc = extract_pdf(pdf.read_bytes(), OCR_OFF)
    assert "garbled_pages" not in doc.extraction and "unreadable_text_layer" not in doc.warnings


def test_a_scan_under_an_invisible_garbage_layer_is_read_by_ocr(tmp_path: Path) -> None:
    assert to_legacy_keys("ปัญหาอุปสรรค") in _pdftotext(HIDDEN_GARBAGE, tmp_path)
    doc = extract_pdf(HIDDEN_GARBAGE, OCR_OFF)
    assert "scanned_pages" not in doc.extraction  # hundreds of characters: not a token layer
    assert doc.warnings == ("unreadable_text_layer",) and doc.extraction["garbled_pages"] == [1]
    doc, findings = _content(HIDDEN_GARBAGE, DEFAULT_OPTIONS)
    assert doc.text_source == "ocr" and "ปัญหาอุปสรรค" in compact(doc.text)
    assert (findings["content"].status, findings["content"].reason) == (Status.PASS, "elements_found")
