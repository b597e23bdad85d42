"""The audit opens the evidence an item page links, on a real local site (issue 11 point 2):
a report PDF behind an index page passes and names the file; a dead link, a placeholder link and a
page whose only mention of the item is the menu fail with their own reason codes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from oit_checker import load_config, run_audit
from oit_checker.demo.server import SITE_DIR, start_site_server
from oit_checker.models import AuditResult, Status
from tests.configs import HTTP_ONLY, write_agency_config

MENU = "".join(f'<li><a href="/ita/o{n}.html">O{n} รายการข้อมูลที่ {n}</a></li>' for n in range(1, 41))
O24_NAME = "O24 รายงานผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุประจำปี สรุปผลการจัดซื้อจัดจ้าง ปัญหาอุปสรรค ข้อเสนอแนะ"


def page(main: str) -> str:
    return f"""<!DOCTYPE html><html lang="th"><head><meta charset="utf-8"><title>ITA - วิทยาลัยทดสอบ</title></head>
<body><header><h1>วิทยาลัยเทคนิคทดสอบ</h1></header>
<nav class="sidebar"><ul>{MENU}<li><a href="/ita/o24.html">{O24_NAME}</a></li></ul></nav>
<main>{main}</main><footer>ติดต่อ 02-000-0000</footer></body></html>"""


@pytest.fixture(scope="module")
def audit(tmp_path_factory: pytest.TempPathFactory) -> AuditResult:
    root = tmp_path_factory.mktemp("site")
    (root / "ita" / "docs").mkdir(parents=True)
    shutil.copy(SITE_DIR / "ita" / "docs" / "o24-procurement-report-2566.pdf", root / "ita" / "docs" / "o24.pdf")
    pages = {
        "index.html": page('<a href="/ita/">ITA</a>'),
        "ita/index.html": page("".join(f'<a href="/ita/{name}">{name}</a> ' for name in
                                       ("o24.html", "o24-dead.html", "o24-hole.html", "o24-menu.html"))),
        "ita/o24.html": page('<h2>รายงานผลการจัดซื้อจัดจ้างประจำปี</h2><p><a href="/ita/docs/o24.pdf">ดาวน์โหลด</a></p>'),
        "ita/o24-dead.html": page('<h2>รายงานผลการจัดซื้อจัดจ้างประจำปี</h2>'
                                  '<p><a href="/ita/docs/o24-2566.pdf">รายงานผลการจัดซื้อจัดจ้าง ปี 2566</a></p>'),
        "ita/o24-hole.html": page('<h2>รายงานผลการจัดซื้อจัดจ้างประจำปี</h2><p><a href="#">ดาวน์โหลดรายงาน</a></p>'),
        "ita/o24-menu.html": page("<p>อยู่ระหว่างปรับปรุงข้อมูล</p>"),
    }
    for name, html in pages.items():
        (root / name).write_text(html, encoding="utf-8")
    with start_site_server(root) as server:
        results = {}
        for name in ("o24", "o24-dead", "o24-hole", "o24-menu"):
            folder = Path(tmp_path_factory.mktemp(name))
            config = write_agency_config(folder, server.base_url, {"O24": f"{server.base_url}/ita/{name}.html"},
                                         extra=HTTP_ONLY)
            results[name] = run_audit(load_config(config))
    return results  # type: ignore[return-value]


def reasons(result: AuditResult) -> dict[str, Status]:
    [item] = result.items
    return {f.reason: f.status for url in item.urls for f in url.findings}


def test_a_report_pdf_linked_from_the_item_page_passes_and_is_named(audit: dict[str, AuditResult]) -> None:
    [item] = audit["o24"].items
    assert item.status is Status.PASS, reasons(audit["o24"])
    [content] = [f for f in item.urls[0].findings if f.reason == "elements_found"]
    assert set(content.evidence["found_in"].values()) == {item.urls[0].url.rsplit("/ita/", 1)[0] + "/ita/docs/o24.pdf"}


def test_a_dead_evidence_link_is_broken_attachment(audit: dict[str, AuditResult]) -> None:
    assert reasons(audit["o24-dead"])["broken_attachment"] is Status.FAIL
    assert audit["o24-dead"].items[0].status is Status.FAIL


def test_a_placeholder_where_the_report_should_be_fails(audit: dict[str, AuditResult]) -> None:
    assert reasons(audit["o24-hole"])["placeholder_link"] is Status.FAIL


def test_a_page_whose_menu_names_the_item_but_has_no_evidence_fails(audit: dict[str, AuditResult]) -> None:
    found = reasons(audit["o24-menu"])
    assert found.get("no_evidence") is Status.FAIL, found
