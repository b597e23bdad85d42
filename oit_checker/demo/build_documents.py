"""Build the demo site's scanned PDF and monthly workbook (a dev script, run by hand; outputs committed).

    .venv/bin/python -m oit_checker.demo.build_documents

* ``site/ita/docs/o37-risk-report-6m-2567-scan.pdf`` — O37's 6-month risk report as a *bad scan*:
  a small, blurred, low-contrast JPEG of the page (a faint photocopy), wrapped in a PDF by
  Chromium, no text layer. OCR cannot read it well enough (Tesseract's mean word confidence stays
  far below ``[documents] ocr_min_confidence``), so the demo shows ``no_text_layer`` whether or
  not Tesseract is installed: its verdict is the same on every machine.
* ``site/ita/docs/o23-procurement-monthly-2567.xlsx`` — O23's monthly procurement summary for
  FY2567 (สขร.1 style: a sheet per month, real date cells) with March 2567 left out, written with
  openpyxl: ``missing_months``.

Needs Playwright + Chromium (``OIT_DEMO_CHROMIUM``, default ``/usr/bin/chromium``) and the TLWG fonts
for the scan; openpyxl for the workbook. ``tests/data/docs/make_fixtures.py`` reuses
``monthly_workbook`` and ``scan_pdf`` for the test fixtures.
"""

from __future__ import annotations

import datetime as dt
import html
import sys
import tempfile
from pathlib import Path
from typing import Any

from .build_pdfs import CHROMIUM, CHROMIUM_ARGS, OUTPUT

MONTHS_TH = ["ตุลาคม", "พฤศจิกายน", "ธันวาคม", "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม",
             "มิถุนายน", "กรกฎาคม", "สิงหาคม", "กันยายน"]
"""The months of a fiscal year, October first."""
MONTH_ABBREVIATIONS = ["ต.ค.", "พ.ย.", "ธ.ค.", "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย."]
HEADER = ["ลำดับที่", "งานที่จัดซื้อหรือจัดจ้าง", "วงเงินที่จะซื้อหรือจ้าง (บาท)", "ราคากลาง (บาท)",
          "วิธีซื้อหรือจ้าง", "ผู้ได้รับการคัดเลือกและราคาที่ตกลงซื้อหรือจ้าง", "เลขที่และวันที่ของสัญญา", "วันที่ทำสัญญา"]
"""The columns of the สขร.1 monthly summary form."""

SCAN_PDF = OUTPUT / "o37-risk-report-6m-2567-scan.pdf"
MONTHLY_XLSX = OUTPUT / "o23-procurement-monthly-2567.xlsx"

RISK_REPORT = """<!DOCTYPE html><html lang="th"><head><meta charset="utf-8"><title>scan</title>
<style>body { font-family: "Laksaman"; font-size: 17pt; line-height: 1.5; margin: 60px 70px; }
h1 { font-size: 19pt; text-align: center; }</style></head><body>
<h1>รายงานผลการบริหารจัดการความเสี่ยงการทุจริต รอบ ๖ เดือน (ต.ค. ๖๖ – มี.ค. ๖๗)</h1>
<p style="text-align:center">กรมตัวอย่างบังคับคดี (สาธิต) · เอกสารสาธิต ข้อมูลสมมติ</p>
<p>๑. ความเสี่ยงการทุจริตที่ประเมินได้ ได้แก่ การเรียกรับผลประโยชน์ในการขายทอดตลาดทรัพย์สิน</p>
<p>๒. มาตรการควบคุมความเสี่ยง: เผยแพร่ประกาศขายทอดตลาดทางเว็บไซต์ทุกรายการ และหมุนเวียนเจ้าหน้าที่</p>
<p>๓. ผลการดำเนินการ: ดำเนินการครบทุกมาตรการ ไม่พบเรื่องร้องเรียน</p>
<p>(นายสมชาย ตัวอย่าง) ผู้อำนวยการกลุ่มพัฒนาระบบบริหาร</p>
</body></html>"""

FAINT = "img, body { filter: blur(2.2px) contrast(0.35) brightness(1.25); }"
"""A faint photocopy: blurred and washed out (with a small scale and a low JPEG quality)."""


def scan_pdf(report_html: str, target: Path, *, scale: float = 2.0, quality: int = 55, css: str = "",
             header: str = "", browser: Any = None) -> Path:
    """A 'scanned' PDF: a JPEG screenshot of ``report_html`` (A4, ``scale`` x 96 dpi, slightly
    skewed, ``css`` applied) placed full-page in a PDF by Chromium, optionally under a one-line
    text ``header`` (a token text layer)."""
    if browser is not None:
        return _scan(browser, report_html, target, scale, quality, css, header)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            return _scan(chromium, report_html, target, scale, quality, css, header)
        finally:
            chromium.close()


def _scan(chromium: Any, report_html: str, target: Path, scale: float, quality: int, css: str, header: str) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        source, shot = Path(tmp) / "page.html", Path(tmp) / "scan.jpg"
        source.write_text(report_html, "utf-8")
        page = chromium.new_page(viewport={"width": 794, "height": 1123}, device_scale_factor=scale)
        page.goto(source.as_uri(), wait_until="load")
        page.evaluate("document.fonts.ready")
        page.add_style_tag(content="body { transform: rotate(0.3deg); } " + css)
        page.screenshot(path=str(shot), type="jpeg", quality=quality)
        page.close()
        head = f"<div class='h'>{html.escape(header)}</div>" if header else ""
        wrap = Path(tmp) / "wrap.html"
        wrap.write_text(f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>เอกสารสแกน</title>
<style>@page {{ size: A4; margin: 0; }} body {{ margin: 0; }} img {{ width: 210mm; height: 297mm; display: block; }}
.h {{ position: absolute; top: 6mm; left: 10mm; font: 9pt "Loma"; }}</style></head>
<body>{head}<img src="{shot.as_uri()}"></body></html>""", "utf-8")
        page = chromium.new_page()
        page.goto(wrap.as_uri(), wait_until="load")
        page.evaluate("document.fonts.ready")
        target.parent.mkdir(parents=True, exist_ok=True)
        page.pdf(path=str(target), format="A4")
        page.close()
    return target


def monthly_workbook(target: Path, fiscal_year_be: int, skip: tuple[int, ...] = (), title: str = "") -> Path:
    """A สขร.1-style monthly procurement summary: one sheet per month of the fiscal year, each with a
    title row naming the month, a header row (``HEADER``) and contract dates as real date cells;
    months whose index (0 = October) is in ``skip`` are left out. Dates in it are fixed, so the
    file is the same each time it is built."""
    import openpyxl  # type: ignore[import-untyped]

    book = openpyxl.Workbook()
    book.remove(book.active)
    book.properties.title = title or f"สรุปผลการจัดซื้อจัดจ้างรายเดือน ปีงบประมาณ พ.ศ. {fiscal_year_be}"
    made = dt.datetime(fiscal_year_be - 543, 9, 30, 9, 0)
    book.properties.created = book.properties.modified = made
    for index, month in enumerate(MONTHS_TH):
        if index in skip:
            continue
        year_be = fiscal_year_be - 1 if index < 3 else fiscal_year_be
        month_number = (index + 9) % 12 + 1
        sheet = book.create_sheet(f"{MONTH_ABBREVIATIONS[index]} {year_be % 100}")
        sheet.append([f"สรุปผลการดำเนินการจัดซื้อจัดจ้างในรอบเดือน {month} {year_be}"])
        sheet.append(["กรมตัวอย่างบังคับคดี (สาธิต) · เอกสารสาธิต ข้อมูลสมมติ"])
        sheet.append(HEADER)
        for row in range(1, 4):
            amount = 12_000 * row + 1_500 * index
            day = dt.date(year_be - 543, month_number, 5 + row * 3)
            sheet.append([row, f"จัดซื้อวัสดุสำนักงาน รายการที่ {row}", amount, amount, "เฉพาะเจาะจง",
                          f"ร้านตัวอย่างพาณิชย์ {amount:,.2f} บาท", f"{row}/{year_be}", day])
            sheet.cell(sheet.max_row, len(HEADER)).number_format = "d mmm yyyy"
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
    _fix_zip_times(target, made)
    return target


def _fix_zip_times(path: Path, when: dt.datetime) -> None:
    """Rewrite the zip with fixed entry times and properties, so rebuilding gives the same bytes."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as src:
        entries = [(info.filename, src.read(info.filename)) for info in src.infolist()]
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            out.writestr(zipfile.ZipInfo(name, date_time=when.timetuple()[:6]), data, zipfile.ZIP_DEFLATED)


def main() -> int:
    scan_pdf(RISK_REPORT, SCAN_PDF, scale=0.62, quality=30, css=FAINT)
    monthly_workbook(MONTHLY_XLSX, 2567, skip=(5,))
    for path in (SCAN_PDF, MONTHLY_XLSX):
        print(f"{path.name}  {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
