"""Generate the Chromium text PDFs that ``tests/integration/mkpdf.py`` turns into legacy-font PDFs
(a dev script, run by hand; the outputs are committed).

    .venv/bin/python tests/data/docs/make_legacy_fixtures.py

* ``text-o41-2566.pdf`` — the O41 report of ``make_fixtures.py`` (Laksaman), a real Chromium text PDF;
* ``text-cover-o41-2566.pdf`` — three pages: a cover in Loma, the report in Laksaman, an appendix
  table in Loma; so that rewriting one font's ToUnicode map garbles some pages and not others.

The legacy versions are made at test time (``mkpdf.legacy_font_pdf``): each font's ToUnicode map is
rewritten so that Thai glyphs read as the Latin keys of the Thai keyboard, which is what old Thai
fonts (and PDFs made with them) leave in the text layer while the page still shows Thai.

Needs Playwright + ``/usr/bin/chromium`` and ``fonts-thai-tlwg``; CI reads the committed files.
"""

from __future__ import annotations

import html
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[2]))

from make_fixtures import CHROMIUM, CHROMIUM_ARGS, REPORT_BODY, REPORT_TITLE, _page, _render, _report_html  # noqa: E402

COVER = ("<div style='font-family: Loma; text-align: center; padding-top: 8cm; page-break-after: always'>"
         "<h1>กรมตัวอย่างบังคับคดี</h1><p>รายงานประจำปี ๒๕๖๖</p></div>")
APPENDIX_ROWS = [("อบรมคุณธรรม", "๑๒๐,๐๐๐", "สำเร็จ"), ("ประกาศเจตนารมณ์", "๒๕,๕๐๐", "สำเร็จ"),
                 ("ประชุมเชิงปฏิบัติการ", "๔๐,๐๐๐", "สำเร็จ"), ("เผยแพร่ข้อมูลข่าวสาร", "๖๐,๐๐๐", "อยู่ระหว่างดำเนินการ")]


def _cover_report_html() -> str:
    body = "".join(f"<{tag}>{html.escape(text)}</{tag}>" for tag, text in REPORT_BODY)
    report = (f"<div style='font-family: Laksaman; page-break-after: always'><h1>{html.escape(REPORT_TITLE)}</h1>"
              f"{body}</div>")
    rows = "".join(f"<tr><td>{a}</td><td>{b}</td><td>{c}</td></tr>" for a, b, c in APPENDIX_ROWS)
    appendix = (f"<div style='font-family: Loma'><h2>ภาคผนวก รายละเอียดโครงการ</h2><table border='1'>"
                f"<tr><th>โครงการ</th><th>งบประมาณ (บาท)</th><th>ผลการดำเนินการ</th></tr>{rows}</table></div>")
    return _page(REPORT_TITLE, COVER + report + appendix, "Loma", "18pt")


def main() -> int:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            _render(page, Path(tmp) / "text.html", _report_html(), HERE / "text-o41-2566.pdf")
            _render(page, Path(tmp) / "cover.html", _cover_report_html(), HERE / "text-cover-o41-2566.pdf")
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
