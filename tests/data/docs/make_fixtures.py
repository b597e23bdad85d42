"""Generate the document fixtures in this folder (a dev script, run by hand; the outputs are committed).

    .venv/bin/python tests/data/docs/make_fixtures.py

Every file is a real document made by the program named here, so the tests read what agencies
publish, not hand-made byte strings:

* ``bench/chromium-*.pdf`` — Chromium ``page.pdf`` (Playwright) of the bench lines, one per Thai font;
* ``bench/libreoffice-*.pdf`` — LibreOffice 7.4 (``soffice --convert-to pdf``) of the same lines;
* ``bench/lines.txt`` — the lines each bench PDF holds (``bench/pdf_extract.py`` compares with them);
* ``scan-o41-2566.pdf`` — a *scanned* Thai annual report: a Chromium screenshot (JPEG) of the report,
  wrapped in a PDF by Chromium, no text layer; ``scan-header-o41-2566.pdf`` — the same scan under a
  one-line text header (a token text layer: still a scan);
* ``o41-report-2566.docx`` / ``.doc`` — LibreOffice exports of a Thai report (headings, a table,
  core properties); ``procurement-2567.xls`` — LibreOffice's legacy export of the XLSX below;
* ``procurement-2567.xlsx`` — openpyxl (``oit_checker.demo.build_documents.monthly_workbook``): a
  monthly procurement summary for FY2567 with real date cells, March 2567 left out;
* ``encrypted-user.pdf`` (opens only with a password) and ``encrypted-owner.pdf`` (opens freely,
  copying restricted) — ``qpdf --encrypt`` of a Chromium PDF.

Needs: Playwright + ``/usr/bin/chromium``, ``fonts-thai-tlwg`` and ``fonts-noto-core``,
``libreoffice-writer-nogui`` + ``libreoffice-calc-nogui``, ``qpdf``. CI needs none of them: it
reads the committed files.
"""

from __future__ import annotations

import html
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))  # the package, when run from a clone

from oit_checker.demo.build_documents import monthly_workbook, scan_pdf  # noqa: E402

BENCH = HERE / "bench"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

BENCH_LINES = [
    "รายงานผลการจัดซื้อจัดจ้าง ประจำปีงบประมาณ พ.ศ. ๒๕๖๖",
    "ปัญหาอุปสรรค ข้อเสนอแนะ",
    "ผู้อำนวยการ น้ำ ที่ ปี่ ฟื้น กุ้ง เก้า ญี่ปุ่น ฤๅษี ฏีกา ฐาน ญาติ ปู่ ป่า",
    "วันที่ ๓๐ กันยายน ๒๕๖๖ งบประมาณ ๑,๒๕๐,๐๐๐.๐๐ บาท",
    "โทรศัพท์ ๐ ๒๘๘๑ ๔๙๙๙ โทรสาร ๐ ๒๘๘๑ ๔๙๐๐",
    "นางสาวสมศรี ตัวอย่างดี ผศ.ดร.สมชาย ใจกว้าง",
    "ราคากลาง วิธีเฉพาะเจาะจง ผู้ได้รับการคัดเลือก",
    "สำนักงานปลัดกระทรวงยุติธรรม ศูนย์ราชการเฉลิมพระเกียรติ",
]
CHROMIUM_FONTS = {"loma": "Loma", "garuda": "Garuda", "laksaman": "Laksaman", "norasi": "Norasi",
                  "noto-sans": "Noto Sans Thai", "noto-serif": "Noto Serif Thai"}
LIBREOFFICE_FONTS = {"laksaman": "Laksaman", "garuda": "Garuda", "noto-sans": "Noto Sans Thai"}

REPORT_TITLE = "รายงานผลการดำเนินการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. ๒๕๖๖"
REPORT_BODY = [
    ("h2", "๑. ผลการดำเนินการ"),
    ("p", "ดำเนินโครงการส่งเสริมคุณธรรมและความโปร่งใส จำนวน ๕ โครงการ บรรลุเป้าหมายทุกโครงการ"),
    ("h2", "๒. งบประมาณที่ใช้"),
    ("p", "ใช้งบประมาณทั้งสิ้น ๒๔๕,๕๐๐ บาท จากที่ได้รับจัดสรร ๓๐๐,๐๐๐ บาท"),
    ("h2", "๓. ปัญหาอุปสรรค"),
    ("p", "บุคลากรมีภารกิจมาก ทำให้เข้าร่วมกิจกรรมได้ไม่ครบ"),
    ("h2", "๔. ข้อเสนอแนะ"),
    ("p", "ควรจัดกิจกรรมผ่านระบบออนไลน์เพิ่มขึ้น"),
    ("p", "นางสาวสมศรี ตัวอย่างดี ผู้อำนวยการกองคลัง โทร. ๐ ๒๘๘๑ ๔๙๙๙"),
]
ARABIC = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def _page(title: str, body: str, font: str, size: str = "16pt") -> str:
    return f"""<!DOCTYPE html><html lang="th"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>@page {{ size: A4; margin: 2cm; }} body {{ font-family: "{font}"; font-size: {size}; line-height: 1.5; }}
h1 {{ font-size: 20pt; text-align: center; }} h2 {{ font-size: 17pt; margin: 14pt 0 4pt; }}</style></head>
<body>{body}</body></html>"""


def _report_html(font: str = "Laksaman", thai_digits: bool = True) -> str:
    """The O41-style report; with ``thai_digits=False`` its numbers are Arabic (as many agencies write)."""
    title = REPORT_TITLE if thai_digits else REPORT_TITLE.translate(ARABIC)
    body = f"<h1>{title}</h1><p style='text-align:center'>กรมตัวอย่างบังคับคดี</p>"
    body += "".join(f"<{tag}>{html.escape(text if thai_digits else text.translate(ARABIC))}</{tag}>"
                    for tag, text in REPORT_BODY)
    return _page(title, body, font, "18pt")


def chromium_pdfs() -> None:
    from playwright.sync_api import sync_playwright

    BENCH.mkdir(exist_ok=True)
    (BENCH / "lines.txt").write_text("\n".join(BENCH_LINES) + "\n", "utf-8")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            for slug, font in CHROMIUM_FONTS.items():
                body = "".join(f"<p>{html.escape(line)}</p>" for line in BENCH_LINES)
                _render(page, Path(tmp) / f"{slug}.html", _page("bench", body, font), BENCH / f"chromium-{slug}.pdf")
            # Scanned reports: a JPEG screenshot wrapped in a PDF by Chromium, no text layer.
            header = "สำเนาเอกสาร กรมตัวอย่างบังคับคดี หน้า ๑"
            for name, thai_digits, head in (("scan-o41-2566.pdf", False, ""),
                                            ("scan-header-o41-2566.pdf", False, header),
                                            ("scan-thai-digits-o41-2566.pdf", True, "")):
                scan_pdf(_report_html(thai_digits=thai_digits), HERE / name, header=head, browser=browser)
                print(name)
            _render(page, Path(tmp) / "text.html", _report_html(), Path(tmp) / "text.pdf")
            for name, args in (("encrypted-user.pdf", ["--encrypt", "secret", "owner", "256", "--"]),
                               ("encrypted-owner.pdf", ["--encrypt", "", "owner", "256", "--extract=n",
                                                        "--print=none", "--"])):
                subprocess.run(["qpdf", *args, str(Path(tmp) / "text.pdf"), str(HERE / name)], check=True)
        finally:
            browser.close()


def _render(page: object, source: Path, text: str, target: Path) -> None:
    source.write_text(text, "utf-8")
    page.goto(source.as_uri(), wait_until="load")  # type: ignore[attr-defined]
    page.evaluate("document.fonts.ready")  # type: ignore[attr-defined]
    page.pdf(path=str(target), format="A4")  # type: ignore[attr-defined]
    print(f"{target.name}  {target.stat().st_size:,} bytes")


def _fodt(paragraphs: list[tuple[str, str]], font: str, title: str, created: str) -> str:
    """A flat ODT document: ('h1'|'h2'|'p'|'table', text) blocks, all in ``font``."""
    blocks = []
    for kind, text in paragraphs:
        if kind == "table":
            rows = [r.split("|") for r in text.split("\n")]
            cols = "".join("<table:table-column/>" for _ in rows[0])
            body = "".join("<table:table-row>" + "".join(
                f"<table:table-cell office:value-type='string'><text:p>{html.escape(c)}</text:p></table:table-cell>"
                for c in row) + "</table:table-row>" for row in rows)
            blocks.append(f"<table:table table:name='T{len(blocks)}'>{cols}{body}</table:table>")
        elif kind in ("h1", "h2"):
            blocks.append(f"<text:h text:style-name='Heading_20_{kind[1]}' text:outline-level='{kind[1]}'>"
                          f"{html.escape(text)}</text:h>")
        else:
            blocks.append(f"<text:p text:style-name='Standard'>{html.escape(text)}</text:p>")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:meta><dc:title>{html.escape(title)}</dc:title><meta:creation-date>{created}</meta:creation-date>
<dc:date>{created}</dc:date></office:meta>
<office:font-face-decls><style:font-face style:name="{font}" svg:font-family="'{font}'"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"/></office:font-face-decls>
<office:styles>
<style:style style:name="Standard" style:family="paragraph"><style:text-properties style:font-name="{font}"
 style:font-name-complex="{font}" fo:font-size="16pt" style:font-size-complex="16pt"/></style:style>
<style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph"
 style:parent-style-name="Standard"><style:text-properties fo:font-size="20pt" style:font-size-complex="20pt"
 fo:font-weight="bold" style:font-weight-complex="bold"/></style:style>
<style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph"
 style:parent-style-name="Standard"><style:text-properties fo:font-size="17pt" style:font-size-complex="17pt"
 fo:font-weight="bold" style:font-weight-complex="bold"/></style:style>
</office:styles>
<office:body><office:text>{"".join(blocks)}</office:text></office:body></office:document>
"""


def _soffice(source: Path, target_ext: str, out_dir: Path, filter_name: str = "") -> Path:
    exe = shutil.which("soffice") or "soffice"
    convert = f"{target_ext}:{filter_name}" if filter_name else target_ext
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", convert,
                        "--outdir", str(out_dir), str(source)], check=True, capture_output=True, timeout=180)
    made = out_dir / f"{source.stem}.{target_ext}"
    print(f"{made.name}  {made.stat().st_size:,} bytes")
    return made


def libreoffice_files() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for slug, font in LIBREOFFICE_FONTS.items():
            source = out / f"libreoffice-{slug}.fodt"
            source.write_text(_fodt([("p", line) for line in BENCH_LINES], font, "bench", "2023-10-05T09:00:00"),
                              "utf-8")
            shutil.copy(_soffice(source, "pdf", out), BENCH / f"libreoffice-{slug}.pdf")
        report = [("h1", REPORT_TITLE), ("p", "กรมตัวอย่างบังคับคดี"), *REPORT_BODY[:-1],
                  ("table", "โครงการ|งบประมาณ (บาท)|ผลการดำเนินการ\nอบรมคุณธรรม|๑๒๐,๐๐๐|สำเร็จ\n"
                            "ประกาศเจตนารมณ์|๒๕,๕๐๐|สำเร็จ"), REPORT_BODY[-1]]
        source = out / "o41-report-2566.fodt"
        source.write_text(_fodt(report, "Laksaman", REPORT_TITLE, "2023-10-20T10:30:00"), "utf-8")
        shutil.copy(_soffice(source, "docx", out), HERE / "o41-report-2566.docx")
        shutil.copy(_soffice(source, "doc", out, "MS Word 97"), HERE / "o41-report-2566.doc")
        xlsx = HERE / "procurement-2567.xlsx"
        copy = out / "procurement-2567.xlsx"
        shutil.copy(xlsx, copy)
        shutil.copy(_soffice(copy, "xls", out, "MS Excel 97"), HERE / "procurement-2567.xls")


def main() -> int:
    monthly_workbook(HERE / "procurement-2567.xlsx", 2567, skip=(5,))
    print("procurement-2567.xlsx")
    chromium_pdfs()
    libreoffice_files()
    return 0


if __name__ == "__main__":
    sys.exit(main())
