"""The demo department site and its server (oit_checker/demo/), over real HTTP on 127.0.0.1.

Besides the server's behaviour, these tests pin the content each demo item relies on for its
planned verdict (see oit_checker/demo/config.toml), so an edit to the site cannot silently turn
the demo's fail into a pass or the other way round.
"""

from __future__ import annotations

import http.client
import re
import shutil
import subprocess
import tomllib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest
from selectolax.lexbor import LexborHTMLParser

from oit_checker.demo.server import SITE_DIR, SiteServer, start_site_server

DEMO_DIR = SITE_DIR.parent
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

PDFS = {
    "/ita/docs/o24-procurement-report-2566.pdf": [
        "รายงานผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุประจำปีงบประมาณ พ.ศ. ๒๕๖๖",
        "ปัญหาอุปสรรค",
        "ข้อเสนอแนะ",
        "รวมทั้งสิ้น 435 34,396,500.00 32,601,055.50",
        "ประหยัดงบประมาณได้ ๑,๗๙๕,๔๔๔.๕๐ บาท",
    ],
    "/ita/docs/o35-integrity-report-2566.pdf": [
        "มาตรการส่งเสริมคุณธรรมและความโปร่งใส",
        "ประจำปีงบประมาณ พ.ศ. ๒๕๖๖",
        "ผลการดำเนินงาน",
        "ปัญหาอุปสรรค",
        "ข้อเสนอแนะ",
    ],
}


def compact(text: str) -> str:
    """Text without any whitespace (pdftotext puts spaces inside some Thai words)."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def server() -> Iterator[SiteServer]:
    with start_site_server(SITE_DIR) as srv:
        yield srv


@pytest.fixture
def client(server: SiteServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=5, trust_env=False) as c:
        yield c


@pytest.fixture(scope="module")
def items(server: SiteServer) -> dict[str, str]:
    """Item code -> URL, from the demo config template with ``{base}`` filled in."""
    text = (DEMO_DIR / "config.toml").read_text("utf-8").replace("{base}", server.base_url)
    config = tomllib.loads(text)
    assert config["agency"]["homepage"] == server.base_url + "/"
    return {code: item["urls"][0] for code, item in config["items"].items()}


def links(page_url: str, html: str) -> set[str]:
    tree = LexborHTMLParser(html)
    return {urljoin(page_url, a.attributes.get("href") or "") for a in tree.css("a[href]")}


def test_base_url_and_port(server: SiteServer) -> None:
    assert server.port > 0
    assert server.base_url == f"http://127.0.0.1:{server.port}"


def test_homepage_is_utf8_thai(client: httpx.Client) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert "<title>กรมตัวอย่างบังคับคดี (สาธิต) | หน้าแรก</title>" in r.text
    assert "https://www.facebook.com/demo.department" in r.text
    assert "ไม่ใช่เว็บไซต์ของกรมบังคับคดี" in r.text  # says plainly that it is a demo


def test_head_sends_headers_without_body(client: httpx.Client) -> None:
    get, head = client.get("/ita/"), client.head("/ita/")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == str(len(get.content))


def test_directory_without_slash_redirects(client: httpx.Client) -> None:
    r = client.get("/ita")
    assert r.status_code == 301
    assert r.headers["location"] == "/ita/"


def test_tis620_page_is_sent_as_tis620_without_charset(client: httpx.Client) -> None:
    r = client.get("/ita/o3-tis620.html")
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html"
    with pytest.raises(UnicodeDecodeError):
        r.content.decode("utf-8")
    text = r.content.decode("cp874")
    assert '<meta charset="tis-620">' in text
    assert "<h1>อำนาจหน้าที่</h1>" in text
    assert text == (SITE_DIR / "ita" / "o3-tis620.html").read_text("utf-8")


def test_missing_page_is_a_thai_404(client: httpx.Client) -> None:
    r = client.get("/ita/o27-hr-criteria.html")
    assert r.status_code == 404
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert "ไม่พบหน้าที่ต้องการ" in r.text
    assert client.head("/no/such/page").status_code == 404


def test_bot_wall(client: httpx.Client) -> None:
    r = client.get("/ita/o37-risk-management.html")
    assert r.status_code == 403
    assert r.headers["cf-mitigated"] == "challenge"
    assert r.headers["server"] == "cloudflare"
    assert "<title>Just a moment...</title>" in r.text


@pytest.mark.parametrize("path", sorted(PDFS))
def test_pdf_has_a_thai_text_layer(client: httpx.Client, tmp_path: Path, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF-")
    assert len(r.content) < 200_000
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(r.content)
    done = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True)
    text = compact(done.stdout.decode("utf-8"))
    for phrase in PDFS[path]:
        assert compact(phrase) in text, phrase


@pytest.mark.parametrize(
    "target",
    [
        "/../../etc/passwd",
        "/ita/" + "../" * 12 + "etc/passwd",
        "/" + "..%2f" * 12 + "etc/passwd",
        "/" + "%2e%2e/" * 12 + "etc/passwd",
        "//etc/passwd",
        "/ita/%00",
    ],
)
def test_path_traversal_stays_inside_the_site(server: SiteServer, target: str) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        conn.request("GET", target)  # http.client sends the path as given, dots and all
        r = conn.getresponse()
        body = r.read()
    finally:
        conn.close()
    assert r.status == 404
    assert b"root:" not in body


def test_every_item_is_linked_from_the_oit_index(
    client: httpx.Client, server: SiteServer, items: dict[str, str]
) -> None:
    home = server.base_url + "/"
    index = home + "ita/"
    assert index in links(home, client.get(home).text)
    on_index = links(index, client.get(index).text)
    assert set(items.values()) <= on_index
    assert "https://www.facebook.com/demo.department" in on_index


def test_items_answer_as_planned(client: httpx.Client, items: dict[str, str]) -> None:
    assert sorted(items) == sorted(["O2", "O3", "O9", "O23", "O24", "O27", "O28", "O35", "O37", "O41"])
    statuses = {code: client.get(url).status_code for code, url in items.items()}
    assert statuses == {c: {"O27": 404, "O37": 403}.get(c, 200) for c in items}


def test_o28_has_problems_but_no_suggestions(client: httpx.Client, items: dict[str, str]) -> None:
    text = client.get(items["O28"]).text
    assert "ปัญหาอุปสรรค" in text
    assert "ประจำปีงบประมาณ พ.ศ. ๒๕๖๖" in text
    assert "ข้อเสนอ" not in text  # the missing element, in any form


def test_o41_is_complete_but_only_for_fy2564(client: httpx.Client, items: dict[str, str]) -> None:
    text = client.get(items["O41"]).text
    for phrase in ("ประจำปีงบประมาณ พ.ศ. ๒๕๖๔", "ปัญหาอุปสรรค", "ข้อเสนอแนะ", "งบประมาณที่ใช้ดำเนินงาน", "บาท"):
        assert phrase in text
    arabic = text.translate(THAI_DIGITS)
    assert re.findall(r"25[0-9]{2}", arabic) and set(re.findall(r"25[0-9]{2}", arabic)) == {"2564"}
    assert not re.search(r"\b6[5-7]\b", arabic)  # no 2-digit B.E. years (ก.ย. 66) either


def test_no_real_page_looks_like_a_soft_404(client: httpx.Client) -> None:
    for page in SITE_DIR.rglob("*.html"):
        path = "/" + page.relative_to(SITE_DIR).as_posix()
        r = client.get(path)
        assert r.status_code == 200, path
        assert "ไม่พบหน้าที่ต้องการ" not in r.content.decode("cp874" if "tis620" in path else "utf-8")


def test_many_concurrent_requests(server: SiteServer) -> None:
    def fetch(i: int) -> int:  # a new connection each time, as a crawler without keep-alive
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        try:
            conn.request("GET", f"/ita/?n={i}", headers={"Connection": "close"})
            r = conn.getresponse()
            r.read()
            return r.status
        finally:
            conn.close()

    with ThreadPoolExecutor(max_workers=64) as pool:
        assert set(pool.map(fetch, range(200))) == {200}


def test_server_is_quiet(client: httpx.Client, capfd: pytest.CaptureFixture[str]) -> None:
    client.get("/")
    client.get("/nope")
    client.get("/ita/o37-risk-management.html")
    assert capfd.readouterr().err == ""


def test_close_stops_serving_and_frees_the_port() -> None:
    srv = start_site_server(SITE_DIR)
    url = srv.base_url + "/"
    assert httpx.get(url, trust_env=False).status_code == 200
    srv.close()
    srv.close()  # twice is fine
    assert not srv._thread.is_alive()
    with pytest.raises(httpx.ConnectError):
        httpx.get(url, trust_env=False, timeout=2)
    with start_site_server(SITE_DIR, port=srv.port) as again:  # the port is free again
        assert httpx.get(again.base_url + "/", trust_env=False).status_code == 200
    with pytest.raises(httpx.ConnectError):
        httpx.get(url, trust_env=False, timeout=2)


def test_every_demo_url_is_linked_from_the_oit_index(client: httpx.Client, server: SiteServer) -> None:
    text = (DEMO_DIR / "config.toml").read_text("utf-8").replace("{base}", server.base_url)
    urls = {u for item in tomllib.loads(text)["items"].values() for u in item["urls"]}
    index = server.base_url + "/ita/"
    assert urls - {server.base_url + "/"} <= links(index, client.get(index).text)


def test_demo_documents_hold_what_their_verdicts_rest_on(client: httpx.Client, tmp_path: Path) -> None:
    """O23's workbook lacks March 2567; O37's scan has no text at all; O41's PDF reports on FY2565."""
    import openpyxl

    r = client.get("/ita/docs/o23-procurement-monthly-2567.xlsx")
    assert r.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    (tmp_path / "o23.xlsx").write_bytes(r.content)
    book = openpyxl.load_workbook(tmp_path / "o23.xlsx", read_only=True)
    assert len(book.sheetnames) == 11 and "มี.ค. 67" not in book.sheetnames and "ก.พ. 67" in book.sheetnames
    book.close()
    for path, expected in (("/ita/docs/o37-risk-report-6m-2567-scan.pdf", ""),
                           ("/ita/docs/o41-anticorruption-report-2565.pdf", "ประจำปีงบประมาณ พ.ศ. ๒๕๖๕")):
        pdf = tmp_path / "doc.pdf"
        pdf.write_bytes(client.get(path).content)
        done = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True)
        text = compact(done.stdout.decode("utf-8"))
        if expected:
            assert compact(expected) in text and compact("ปีงบประมาณ พ.ศ. ๒๕๖๖") in text  # plans for the next year
        else:
            assert text == ""  # an image only: no text layer
