"""The HTML, Markdown, JUnit and ITAS-CSV reporters and the --format/-o pairing, on hand-made results."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import xmlschema

from oit_checker.models import (
    AuditResult,
    BrokenLink,
    Check,
    CrawlSummary,
    FetchResult,
    Finding,
    ItemResult,
    Redirect,
    Status,
    UrlResult,
)
from oit_checker.report import Format, to_reporter
from oit_checker.report._view import explanation
from oit_checker.report.html import HtmlReporter
from oit_checker.report.itas import BOM, ItasCsvReporter, cell
from oit_checker.report.junit import JunitReporter
from oit_checker.report.markdown import MarkdownReporter, md
from oit_checker.report.outputs import Output, OutputError, format_for_path, plan_outputs

XSD = Path(__file__).resolve().parents[1] / "data" / "junit-10.xsd"
HOME = "https://www.example.go.th/"
EVIL = '<script>alert("x")</script> & <img src=x onerror=alert(1)> *bold* [a](javascript:b) | ``'


def page(url: str, status: int = 200, content_type: str = "text/html", redirects: tuple[Redirect, ...] = ()) -> FetchResult:
    return FetchResult(url=url, final_url=url, status=status, headers={"content-type": content_type},
                       body=b"x", redirects=redirects, elapsed=0.25)


def item(code: str, status: Status, findings: list[Finding], url: str | None = None, group: str = "g1",
         content_type: str = "text/html", http: int = 200) -> ItemResult:
    url = url or f"{HOME}ita/{code.lower()}.html"
    result = UrlResult(url, page(url, http, content_type), tuple(findings))
    return ItemResult(code=code, name_th=f"ชื่อ {code}", name_en=f"Name {code}", group=group, status=status,
                      urls=(result,), passing_url=url if status is Status.PASS else None, confidence="confirmed")


def shot(result: ItemResult, path: str) -> ItemResult:
    """``result`` with a screenshot in its URL's evidence files (where reports read it)."""
    return dataclasses.replace(result, urls=(dataclasses.replace(result.urls[0], evidence_files={"screenshot": path}),))


def audit(*items: ItemResult) -> AuditResult:
    start = dt.datetime(2024, 1, 15, 2, 0, tzinfo=dt.UTC)
    return AuditResult(run_id="RUN1", started_at=start, finished_at=start + dt.timedelta(seconds=3),
                       tool_version="9.9", checklist_id="ita-2567", checklist_title="แบบวัด", assessment_year=2567,
                       agency_name="กรมทดสอบ", homepage=HOME, items=items)


def ok(check: Check, reason: str, params: dict[str, object] | None = None, **evidence: object) -> Finding:
    return Finding(check, Status.PASS, reason, dict(params or {}), dict(evidence))


PASS_ITEM = item("O1", Status.PASS, [
    ok(Check.REACHABLE, "reachable", {"http_status": 200}),
    ok(Check.LOCATION, "on_main_site", {"host": "www.example.go.th"},
       click_path=[HOME, f"{HOME}ita/", f"{HOME}ita/o1.html"]),
    ok(Check.FRESH, "fiscal_year_found", {"year": 2566}, snippet="ประจำปีงบประมาณ พ.ศ. ๒๕๖๖", matched="๒๕๖๖"),
    ok(Check.CONTENT, "elements_found", {"found": "ปัญหาอุปสรรค", "found_en": "Problems"},
       found={"ปัญหาอุปสรรค": "3. ปัญหาอุปสรรค ..."}, title=EVIL, heading="ผลการดำเนินงาน"),
])
FAIL_ITEM = item("O2", Status.FAIL, [Finding(Check.REACHABLE, Status.FAIL, "http_404")], http=404)
WARN_ITEM = item("O3", Status.WARN, [ok(Check.REACHABLE, "reachable", {"http_status": 200}),
                                     Finding(Check.LOCATION, Status.WARN, "homepage_as_item_url")], group="g2")
UNVERIFIED_ITEM = item("O4", Status.UNVERIFIED, [
    Finding(Check.PUBLIC, Status.UNVERIFIED, "bot_wall", {"detail": "cf-mitigated: <b>challenge</b>\x07"})], group="g2")
RESULT = audit(PASS_ITEM, FAIL_ITEM, WARN_ITEM, UNVERIFIED_ITEM)


# --- --format / -o pairing --------------------------------------------------------------------------

@pytest.mark.parametrize(("formats", "outputs", "expected"), [
    (None, None, [("console", None)]),
    (["json"], None, [("json", None)]),
    (["html", "json"], ["r.html", "r.json"], [("html", "r.html"), ("json", "r.json")]),
    (["html", "console"], ["r.html"], [("html", "r.html"), ("console", None)]),
    (["console", "html"], ["-", "r.html"], [("console", None), ("html", "r.html")]),
    (None, ["a.html", "b.md", "c.xml", "d.csv", "e.json", "f.txt", "g"],
     [("html", "a.html"), ("markdown", "b.md"), ("junit", "c.xml"), ("itas-csv", "d.csv"), ("json", "e.json"),
      ("console", "f.txt"), ("console", "g")]),
    (["junit"], ["out.html", "x.csv"], [("junit", "out.html"), ("itas-csv", "x.csv")]),
])
def test_formats_pair_with_outputs_in_order(formats: list[str] | None, outputs: list[str] | None,
                                            expected: list[tuple[str, str | None]]) -> None:
    plan = plan_outputs(formats, outputs)
    assert [(o.format.value, str(o.path) if o.path else None) for o in plan] == expected


def test_two_reports_cannot_share_stdout_or_a_file() -> None:
    with pytest.raises(OutputError, match="--format html, json"):
        plan_outputs(["html", "json"], None, "en")
    with pytest.raises(OutputError, match="r.html"):
        plan_outputs(["html", "markdown"], ["r.html", "./r.html"], "en")
    assert format_for_path("REPORT.HTM") is Format.HTML


# --- HTML ---------------------------------------------------------------------------------------------

def test_html_escapes_everything_from_websites_and_is_self_contained() -> None:
    html = HtmlReporter("th").render(RESULT)
    assert "<script" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "cf-mitigated: &lt;b&gt;challenge&lt;/b&gt;" in html
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert "http://" not in html.split("<body>")[0] and "@import" not in html and "url(" not in html
    assert 'lang="th"' in html and "ผลการตรวจ OIT: กรมทดสอบ" in html
    assert HtmlReporter("en").render(RESULT).count("Fix:") == 3


def test_html_links_only_http_urls() -> None:
    bad = item("O9", Status.FAIL, [Finding(Check.REACHABLE, Status.FAIL, "http_404")], url="javascript:alert(1)")
    html = HtmlReporter("en").render(audit(bad))
    assert 'href="javascript' not in html
    assert '<span class="plain">javascript:alert(1)</span>' in html


def test_html_embeds_a_screenshot_and_names_a_missing_one(tmp_path: Path) -> None:
    png = tmp_path / "shot.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    with_shot = shot(item("O5", Status.PASS, [ok(Check.CONTENT, "no_elements_defined")]), "shot.png")
    missing = shot(item("O6", Status.PASS, [ok(Check.CONTENT, "no_elements_defined")]), "gone.png")
    bundled = item("O7", Status.PASS, [ok(Check.CONTENT, "no_elements_defined")])
    bundled = dataclasses.replace(bundled, urls=(dataclasses.replace(
        bundled.urls[0], evidence_files={"screenshot": str(png), "text": str(tmp_path / "text.txt")}),))
    in_finding = item("O9", Status.PASS, [ok(Check.CONTENT, "no_elements_defined", screenshot=str(png))])
    html = HtmlReporter("en", evidence_root=tmp_path).render(audit(with_shot, missing, bundled, in_finding))
    assert html.count('src="data:image/png;base64,iVBORw0KGgo') == 2  # O5, O7: a finding's path is not read
    assert "Screenshot file not found: gone.png" in html
    not_png = tmp_path / "x.png"
    not_png.write_text("<svg onload=alert(1)>")
    fake = shot(item("O8", Status.PASS, [ok(Check.CONTENT, "no_elements_defined")]), str(not_png))
    assert "data:" not in HtmlReporter("en").render(audit(fake)).split("</style>")[1]


def test_deadline_is_shown_only_when_the_result_has_one() -> None:
    assert "ITAS" not in HtmlReporter("en").render(RESULT) and "ITAS" not in MarkdownReporter("en").render(RESULT)
    soon = dataclasses.replace(RESULT, deadline=dt.date(2024, 2, 1))  # the run was on 15 Jan 2024 (Bangkok)
    html = HtmlReporter("en").render(soon)
    assert '<p class="deadline urgent">17 days left until the ITAS submission deadline (1 Feb 2024)' in html
    assert "1 items still fail: O2" in html
    assert "**เหลืออีก 17 วันถึงกำหนดส่งข้อมูลในระบบ ITAS (1 ก.พ. 2567)" in MarkdownReporter("th").render(soon)
    late = dataclasses.replace(RESULT, deadline=dt.date(2024, 1, 10))
    assert "passed 5 days ago" in MarkdownReporter("en").render(late)


def test_crawl_section_lists_broken_links_escaped() -> None:
    crawl = CrawlSummary(pages=12, fetches=20, urls_seen=40, depth_reached=3, limit_reached="max_pages",
                         max_pages=12, max_depth=5, elapsed=1.5, oit_pages=(f"{HOME}ita/",),
                         broken_links=(BrokenLink(f"{HOME}ita/", f"{HOME}gone.pdf", EVIL, Status.FAIL, "http_404", 404),))
    result = dataclasses.replace(RESULT, crawl=crawl)
    html = HtmlReporter("en").render(result)
    assert '<section class="group crawl" id="crawl">' in html and "Crawled 12 pages" in html
    assert "stopped at its max_pages limit" in html and "<script" not in html
    assert f'<a href="{HOME}gone.pdf"' in html and 'data-reason="http_404"' in html
    text = MarkdownReporter("th").render(result)
    assert "- ✘ **&lt;script>alert(\"x\")&lt;/script>" in text and f"<{HOME}gone.pdf>" in text
    assert "ไม่พบหน้า (HTTP 404) `http_404`" in text
    assert "Crawl of the main website" not in HtmlReporter("en").render(RESULT)


# --- Markdown -----------------------------------------------------------------------------------------

def test_markdown_escapes_website_text() -> None:
    text = MarkdownReporter("en").render(RESULT)
    assert "<script" not in text and "<img" not in text
    assert "&lt;script>alert(\"x\")&lt;/script> &amp; &lt;img src=x onerror=alert(1)> \\*bold\\* " \
           "\\[a\\](javascript:b) \\| \\`\\`" in text
    assert md("# not a heading") == "\\# not a heading" and md("1. not a list") == "1\\. not a list"
    assert "| 🔴 fail | 1 |" in text and "**Verdict per item:** 🟢 O1 · 🔴 O2 · 🟡 O3 · 🔵 O4" in text


# --- JUnit --------------------------------------------------------------------------------------------

def test_junit_maps_statuses_and_validates() -> None:
    schema = xmlschema.XMLSchema(str(XSD))
    text = JunitReporter("en").render(RESULT)
    schema.validate(text)
    root = ET.fromstring(text)  # noqa: S314 - our own output
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("4", "1", "0")
    cases = {c.get("classname"): c for c in root.iter("testcase")}
    assert cases["ita-2567.O1"].find("failure") is None and cases["ita-2567.O1"].find("skipped") is None
    assert cases["ita-2567.O2"].find("failure").get("type") == "http_404"
    assert cases["ita-2567.O3"].find("failure") is None
    assert cases["ita-2567.O3"].find("system-out").text.startswith("O3 Name O3: warn\nwarn: The URL given is the homepage")
    assert cases["ita-2567.O4"].find("skipped").get("type") == "bot_wall"
    assert "\x07" not in text  # a control character from a website would make the XML invalid
    strict = ET.fromstring(JunitReporter("en", fail_on="warn").render(RESULT))  # noqa: S314
    assert strict.get("failures") == "2"
    assert [c.find("failure").get("type") for c in strict.iter("testcase") if c.find("failure") is not None] == \
        ["http_404", "homepage_as_item_url"]
    assert to_reporter(Format.JUNIT, "en", fail_on="warn").render(RESULT) == JunitReporter("en", "warn").render(RESULT)


# --- ITAS CSV -----------------------------------------------------------------------------------------

def test_itas_csv_rows_bom_and_explanation() -> None:
    text = ItasCsvReporter("th").render(RESULT)
    assert text.startswith(BOM) and "\r\n" in text
    rows = list(csv.reader(io.StringIO(text.removeprefix(BOM))))
    assert rows[0] == ["ข้อ", "ชื่อข้อ", "URL ที่กรอกในระบบ ITAS", "คำอธิบายเพิ่มเติม", "ผลการตรวจ", "สิ่งที่ต้องแก้ก่อนกรอก"]
    assert [r[0] for r in rows[1:]] == ["O1", "O2", "O3", "O4"]
    first = rows[1]
    assert first[2] == f"{HOME}ita/o1.html"
    assert first[3].startswith("เข้าถึงได้จากหน้าแรกของเว็บไซต์หลักใน 2 คลิก: หน้าแรก > /ita/ > /ita/o1.html ")
    assert "ข้อมูลอยู่ในหน้า “<script>" in first[3] and "หัวข้อ “ผลการดำเนินงาน”" in first[3]
    assert "ปีงบประมาณ พ.ศ. 2566" in first[3] and first[4] == "ผ่าน" and first[5] == ""
    assert rows[2][4] == "ไม่ผ่าน" and rows[2][5].startswith("ตรวจสอบว่าไฟล์")
    english = list(csv.reader(io.StringIO(ItasCsvReporter("en").render(RESULT).removeprefix(BOM))))
    assert english[0][3].startswith("คำอธิบายเพิ่มเติม") and english[0][4] == "Explanation (English)"
    assert english[1][3] == first[3] and english[1][4].startswith("Reached from the main website's homepage")


def test_csv_cells_never_become_formulas() -> None:
    assert cell('=HYPERLINK("http://evil")') == "'=HYPERLINK(\"http://evil\")"
    assert cell("+1") == "'+1" and cell("@x") == "'@x" and cell("-2") == "'-2"
    assert cell("O24") == "O24"


def test_explanation_names_a_file_by_its_name_when_untitled() -> None:
    pdf = item("O7", Status.PASS, [ok(Check.FRESH, "fiscal_year_found", {"year": 2566})],
               url=f"{HOME}docs/%E0%B8%A3%E0%B8%B2%E0%B8%A2%E0%B8%87%E0%B8%B2%E0%B8%99.pdf",
               content_type="application/pdf")
    assert explanation(pdf, "th", HOME) == "ข้อมูลอยู่ในไฟล์ PDF “รายงาน.pdf” เป็นข้อมูลปีงบประมาณ พ.ศ. 2566"
    hops = item("O8", Status.PASS, [ok(Check.LOCATION, "linked_from_homepage", click_path=[
        {"url": HOME, "text": ""}, {"url": f"{HOME}ita/", "text": "การประเมิน ITA"}])])
    assert explanation(hops, "en", HOME).startswith(
        "Reached from the main website's homepage in 1 click(s): Homepage > การประเมิน ITA.")
    assert explanation(item("O9", Status.FAIL, [Finding(Check.REACHABLE, Status.FAIL, "http_404")]), "th", HOME) == ""


def test_every_format_follows_the_language() -> None:
    for fmt in (Format.HTML, Format.MARKDOWN, Format.JUNIT, Format.ITAS_CSV):
        thai = to_reporter(fmt, "th").render(RESULT)
        english = to_reporter(fmt, "en").render(RESULT)
        assert "ตรวจสอบว่าไฟล์หรือหน้ายังอยู่" in thai and "Check that the page still exists" not in thai, fmt
        assert "Check that the page still exists" in english and "ตรวจสอบว่าไฟล์หรือหน้ายังอยู่" not in english, fmt
    assert Output(Format.HTML).path is None


def test_itas_explanation_names_the_linked_file_that_held_the_elements() -> None:
    found = ok(Check.CONTENT, "elements_found", {"found": "ปัญหาอุปสรรค"}, found={"ปัญหาอุปสรรค": "…"},
               found_in={"ปัญหาอุปสรรค": f"{HOME}docs/%E0%B8%A3%E0%B8%B2%E0%B8%A2.pdf", "ข้อเสนอแนะ": "page"})
    linked = item("O24", Status.PASS, [found])
    assert explanation(linked, "th", HOME).endswith("หลักฐานอยู่ในไฟล์ที่หน้านี้ลิงก์ไว้: ราย.pdf")
    assert "ราย.pdf" in ItasCsvReporter("th").render(audit(linked))


JPEG = b"\xff\xd8\xff\xe0" + b"thumbnail" * 10
PNG = b"\x89PNG\r\n\x1a\n"


def test_html_embeds_the_thumbnail_and_links_the_full_screenshot(tmp_path: Path) -> None:
    """Full PNGs made real reports 10 MB: the bundle's JPEG thumbnail is embedded, the PNG linked."""
    full, thumb = tmp_path / "urls" / "01-o1" / "screenshot.png", tmp_path / "urls" / "01-o1" / "thumbnail.jpg"
    full.parent.mkdir(parents=True)
    full.write_bytes(PNG + bytes(600_000))
    thumb.write_bytes(JPEG)
    big = tmp_path / "big.png"  # a screenshot without a thumbnail, too big to embed
    big.write_bytes(PNG + bytes(600_000))
    small = tmp_path / "small.png"
    small.write_bytes(PNG + bytes(1_000))
    first = dataclasses.replace(PASS_ITEM.urls[0], evidence_files={"screenshot": str(full), "thumbnail": str(thumb)})
    items = (dataclasses.replace(PASS_ITEM, urls=(first,)),
             shot(item("O5", Status.WARN, [Finding(Check.LOCATION, Status.WARN, "homepage_as_item_url", {})]),
                  str(big)),
             shot(item("O6", Status.WARN, [Finding(Check.LOCATION, Status.WARN, "homepage_as_item_url", {})]),
                  str(small)))
    html = HtmlReporter("th").render(audit(*items))
    assert len(html) < 100_000
    assert html.count("data:image/jpeg;base64,") == 1 and html.count("data:image/png;base64,") == 1  # O1, O6
    for path in (full, big, small):  # every screenshot links its full file
        assert f'class="full" href="{path.as_uri()}"' in html
    assert 'class="missing-file"' not in html
