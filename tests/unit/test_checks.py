"""The checks as pure functions: a FetchResult and a Document in, reason codes out."""

from __future__ import annotations

import pytest

from oit_checker.checklist import Element, Item, Period
from oit_checker.checks import Context, Page, run_checks
from oit_checker.checks.content import check_content
from oit_checker.checks.fresh import check_fresh
from oit_checker.checks.location import check_location
from oit_checker.checks.public import check_public
from oit_checker.checks.reachable import check_reachable, fingerprint
from oit_checker.crawl import LinkGraph
from oit_checker.models import Document, FetchResult, Redirect, Status
from oit_checker.options import defaults

HOME = "https://www.led.go.th/"
URL = "https://www.led.go.th/ita/o24.html"
O9 = Item(code="O9", name_th="Social Network", allowed_hosts=("facebook.com",), social=True)
CRAWL = LinkGraph.build(HOME, ("led.go.th",), {
    HOME: ["https://www.led.go.th/ita/", "https://www.facebook.com/led.go.th", "https://www.youtube.com/@led"],
    "https://www.led.go.th/ita/": ["https://www.led.go.th/ita/o24.pdf", "https://backoffice.led.go.th/o24",
                                   "https://www.led.go.th/ita/%E0%B8%81.html", URL],
}, sitemap=["https://www.led.go.th/sitemap-only.html"], options=defaults().crawl)
CTX = Context(homepage=HOME, domains=("led.go.th",), assessment_year=2567, crawl=CRAWL)
O24 = Item(code="O24", name_th="รายงานผลการจัดซื้อจัดจ้างประจำปี", period=Period.PREVIOUS_FISCAL_YEAR,
           elements=(Element(name="ปัญหาอุปสรรค", phrases=("ปัญหาอุปสรรค", "ปัญหาและอุปสรรค")),
                     Element(name="ข้อเสนอแนะ", phrases=("ข้อเสนอแนะ",)),
                     Element(name="งบประมาณ", detectors=("money",))))


def fetched(status: int | None = 200, url: str = URL, error: str | None = None, **kw: object) -> FetchResult:
    return FetchResult(url=url, final_url=str(kw.pop("final_url", url)), status=status, error=error, **kw)  # type: ignore[arg-type]


def page(text: str = "", status: int = 200, title: str = "", **kw: object) -> Page:
    return Page(fetched(status, **kw), Document(kind="html", text=text, title=title))


def reasons(findings: list) -> list[str]:
    return [f.reason for f in findings]


# reachable ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("error", "status", "reason"), [
    ("timeout", Status.UNVERIFIED, "timeout"),
    ("dns_error", Status.UNVERIFIED, "dns_error"),
    ("connect_error", Status.UNVERIFIED, "connect_error"),
    ("rate_limited", Status.UNVERIFIED, "rate_limited"),
    ("redirect_loop", Status.FAIL, "redirect_loop"),
    ("too_many_redirects", Status.FAIL, "too_many_redirects"),
])
def test_network_errors_never_fail_unless_the_site_is_at_fault(error: str, status: Status, reason: str) -> None:
    [finding] = check_reachable(Page(fetched(None, error=error)), O24, CTX)
    assert (finding.status, finding.reason) == (status, reason)


@pytest.mark.parametrize(("code", "reason", "status"), [
    (404, "http_404", Status.FAIL), (410, "http_410", Status.FAIL), (400, "http_client_error", Status.FAIL),
    (500, "server_error", Status.UNVERIFIED), (503, "server_error", Status.UNVERIFIED),
    (200, "reachable", Status.PASS),
])
def test_http_status(code: int, reason: str, status: Status) -> None:
    [finding] = check_reachable(page("เนื้อหา", status=code), O24, CTX)
    assert (finding.reason, finding.status) == (reason, status)


def test_401_and_403_are_left_to_the_public_check() -> None:
    assert check_reachable(page(status=403), O24, CTX) == []


def test_tls_problem_is_a_warning_and_the_page_still_counts() -> None:
    findings = check_reachable(Page(fetched(200, tls_error="self-signed certificate"),
                                    Document(kind="html", text="x")), O24, CTX)
    assert [(f.reason, f.status) for f in findings] == [("tls_error", Status.WARN), ("reachable", Status.PASS)]


def test_long_redirect_chain_warns() -> None:
    chain = tuple(Redirect(f"https://www.led.go.th/r{i}", 302) for i in range(3))
    findings = check_reachable(page("x", redirects=chain), O24, CTX)
    assert "long_redirect_chain" in reasons(findings)


@pytest.mark.parametrize(("title", "text", "soft"), [
    ("ไม่พบหน้าที่ต้องการ", "กลับหน้าแรก", True),
    ("404 Not Found", "", True),
    ("กรมบังคับคดี", "ขออภัย ไม่พบหน้าที่ต้องการ", True),
    ("รายงานผล", "ไม่พบหน้า " + "รายงานผลการดำเนินงาน " * 100, False),  # a long real page mentioning it
    ("รายงานผล", "รายงานผลการจัดซื้อจัดจ้าง", False),
])
def test_soft_404_by_wording(title: str, text: str, soft: bool) -> None:
    assert ("soft_404" in reasons(check_reachable(page(text, title=title), O24, CTX))) is soft


def test_soft_404_by_random_path_probe() -> None:
    generic = page("ยินดีต้อนรับ เมนูหลัก", title="กรมบังคับคดี")
    ctx = Context(homepage=HOME, domains=("led.go.th",), assessment_year=2567,
                  soft_404_fingerprints={"www.led.go.th": fingerprint("กรมบังคับคดี", "ยินดีต้อนรับ เมนูหลัก")})
    assert reasons(check_reachable(generic, O24, ctx)) == ["soft_404"]
    assert reasons(check_reachable(page("รายงานประจำปี", title="รายงาน"), O24, ctx)) == ["reachable"]


# public ------------------------------------------------------------------------------------

def test_cloudflare_challenge_is_unverified_not_fail() -> None:
    p = Page(fetched(403, headers={"cf-mitigated": "challenge"}, body=b"Just a moment..."))
    [finding] = check_public(p, O24, CTX)
    assert (finding.reason, finding.status) == ("bot_wall", Status.UNVERIFIED)


def test_waf_block_page_is_unverified() -> None:
    p = Page(fetched(403, body=b"<html><title>Request Rejected</title>The requested URL was rejected.</html>"))
    assert check_public(p, O24, CTX)[0].reason == "bot_wall"


@pytest.mark.parametrize("status", [401, 403])
def test_401_403_are_login_walls(status: int) -> None:
    [finding] = check_public(Page(fetched(status, body=b"Forbidden")), O24, CTX)
    assert (finding.reason, finding.status) == ("login_wall", Status.FAIL)


def test_redirect_to_login_page_is_a_login_wall() -> None:
    p = Page(fetched(200, final_url="https://www.led.go.th/user/login?next=/o24",
                     redirects=(Redirect(URL, 302),)), Document(kind="html", text="เข้าสู่ระบบ"))
    assert reasons(check_public(p, O24, CTX)) == ["login_wall"]


def test_password_form_page_is_a_login_wall_but_a_long_page_with_a_login_box_is_not() -> None:
    login = Page(fetched(200), Document(kind="html", text="ชื่อผู้ใช้ รหัสผ่าน", password_inputs=1))
    assert reasons(check_public(login, O24, CTX)) == ["login_wall"]
    portal = Page(fetched(200), Document(kind="html", text="รายงาน " * 500, password_inputs=1))
    assert reasons(check_public(portal, O24, CTX)) == ["public"]


def test_captcha_on_a_normal_page_is_not_a_bot_wall() -> None:
    p = Page(fetched(200, body=b"<form>captcha</form>"), Document(kind="html", text="ร้องเรียน captcha"))
    assert reasons(check_public(p, O24, CTX)) == ["public"]


# location ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("url", "item", "reason", "status"), [
    ("https://www.led.go.th/ita/o24.pdf", O24, "linked_from_main_site", Status.PASS),
    ("http://led.go.th/ita/index.php/o24.pdf", O24, "linked_from_main_site", Status.PASS),
    ("https://www.led.go.th/ita/ก.html", O24, "linked_from_main_site", Status.PASS),
    ("https://backoffice.led.go.th/o24/", O24, "linked_from_main_site", Status.PASS),
    ("https://www.led.go.th/ita/orphan.pdf", O24, "orphan_page", Status.WARN),
    ("https://www.led.go.th/sitemap-only.html", O24, "orphan_page", Status.WARN),
    ("https://www.led.go.th/", O9, "homepage_as_item_url", Status.WARN),
    ("https://led.go.th/index.php", O9, "homepage_as_item_url", Status.WARN),
    ("https://www.facebook.com/led.go.th", O9, "linked_from_main_site", Status.PASS),
    ("https://www.facebook.com/other.page", O9, "not_linked_from_main_site", Status.FAIL),
    ("https://www.youtube.com/@led", O24, "external_host_linked", Status.WARN),
    ("https://drive.google.com/file/d/1", O24, "not_on_main_site", Status.FAIL),
    ("https://www.notled.go.th/o24", O24, "not_on_main_site", Status.FAIL),
])
def test_location(url: str, item: Item, reason: str, status: Status) -> None:
    [finding] = check_location(Page(fetched(200, url=url)), item, CTX)
    assert (finding.reason, finding.status) == (reason, status)


def test_linked_url_has_its_shortest_click_path() -> None:
    [finding] = check_location(Page(fetched(200, url="https://www.facebook.com/led.go.th")), O9, CTX)
    assert finding.evidence["click_path"] == [HOME, "https://www.facebook.com/led.go.th"]
    [finding] = check_location(Page(fetched(200, url="https://www.led.go.th/ita/o24.pdf")), O24, CTX)
    assert finding.evidence["click_path"] == [HOME, "https://www.led.go.th/ita/", "https://www.led.go.th/ita/o24.pdf"]
    assert finding.params["clicks"] == 2


def test_redirected_item_url_is_linked_through_its_final_url() -> None:
    page = Page(fetched(200, url="https://www.led.go.th/go/24", final_url="https://www.led.go.th/ita/o24.pdf"))
    assert reasons(check_location(page, O24, CTX)) == ["linked_from_main_site"]


@pytest.mark.parametrize(("changes", "url", "item", "reason"), [
    ({"limit_reached": "max_pages"}, "https://www.led.go.th/ita/orphan.pdf", O24, "crawl_limit_reached"),
    ({"limit_reached": "max_depth"}, "https://www.facebook.com/other.page", O9, "crawl_limit_reached"),
    ({"robots_blocked": 3}, "https://www.led.go.th/ita/orphan.pdf", O24, "crawl_blocked_by_robots"),
    ({"root_ok": False}, "https://www.facebook.com/led.go.th", O9, "homepage_unreadable"),
])
def test_an_incomplete_crawl_never_fails_a_url_it_did_not_find(changes: dict[str, object], url: str, item: Item,
                                                               reason: str) -> None:
    graph = LinkGraph.build(HOME, ("led.go.th",), {HOME: ["https://www.led.go.th/ita/"]}, options=defaults().crawl)
    for name, value in changes.items():
        setattr(graph, name, value)
    ctx = Context(homepage=HOME, domains=("led.go.th",), assessment_year=2567, crawl=graph)
    [finding] = check_location(Page(fetched(200, url=url)), item, ctx)
    assert (finding.reason, finding.status) == (reason, Status.UNVERIFIED)


@pytest.mark.parametrize(("url", "item", "reason", "status"), [
    ("https://www.led.go.th/ita/o24.pdf", O24, "on_main_site", Status.PASS),
    ("https://www.facebook.com/led.go.th", O9, "link_not_verified", Status.UNVERIFIED),
    ("https://drive.google.com/file/d/1", O24, "not_on_main_site", Status.FAIL),
])
def test_location_without_a_crawl(url: str, item: Item, reason: str, status: Status) -> None:
    ctx = Context(homepage=HOME, domains=("led.go.th",), assessment_year=2567)
    [finding] = check_location(Page(fetched(200, url=url)), item, ctx)
    assert (finding.reason, finding.status) == (reason, status)


# fresh -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "reason", "status"), [
    ("รายงานผล ประจำปีงบประมาณ พ.ศ. ๒๕๖๖", "fiscal_year_found", Status.PASS),
    ("ข้อมูลระหว่าง 1 ตุลาคม 2565 – 30 กันยายน 2566", "fiscal_year_found", Status.PASS),
    ("รายงานผล ประจำปีงบประมาณ พ.ศ. 2564", "stale_fiscal_year", Status.FAIL),
    ("รายงานสรุป ไม่มีวันที่", "no_date_found", Status.WARN),
    ("ลงวันที่ 15 ธันวาคม 2566", "fiscal_year_unclear", Status.WARN),  # FY2567: signed after FY2566 ended
])
def test_fresh_previous_fiscal_year(text: str, reason: str, status: Status) -> None:
    [finding] = check_fresh(page(text), O24, CTX)
    assert (finding.reason, finding.status) == (reason, status)


def test_fresh_not_required() -> None:
    item = Item(code="O3", name_th="อำนาจหน้าที่", period=Period.NONE)
    assert reasons(check_fresh(page("ไม่มีปี"), item, CTX)) == ["no_period_required"]


def test_fresh_current_year_and_evidence_snippet() -> None:
    item = Item(code="O10", name_th="แผนดำเนินงานประจำปี", period=Period.CURRENT_FISCAL_YEAR)
    [finding] = check_fresh(page("แผนปฏิบัติราชการ ประจำปีงบประมาณ พ.ศ. 2567 ของกรม"), item, CTX)
    assert finding.reason == "fiscal_year_found"
    assert "2567" in finding.evidence["snippet"]


# content -----------------------------------------------------------------------------------

REPORT = "รายงานผล\nปัญหาและอุปสรรค: ระบบ e-GP ล่าช้า\nข้อ เสนอ แนะ: อบรมเจ้าหน้าที่\nรวม 1,234,500.00 บาท"


def test_all_elements_found_with_snippets() -> None:
    [finding] = check_content(page(REPORT), O24, CTX)
    assert (finding.reason, finding.status) == ("elements_found", Status.PASS)
    assert set(finding.evidence["found"]) == {"ปัญหาอุปสรรค", "ข้อเสนอแนะ", "งบประมาณ"}
    assert "1,234,500.00" in finding.evidence["found"]["งบประมาณ"]


def test_thai_digits_and_zero_width_spaces_do_not_hide_an_element() -> None:
    text = "ปัญหา\u200bอุปสรรค ข้อเสนอแนะ งบประมาณ ๑,๒๐๐ บาท"
    assert reasons(check_content(page(text), O24, CTX)) == ["elements_found"]


def test_missing_element_is_named() -> None:
    [finding] = check_content(page("ปัญหาอุปสรรค งบ 5,000 บาท"), O24, CTX)
    assert (finding.reason, finding.status) == ("missing_element", Status.FAIL)
    assert finding.evidence["missing"] == ["ข้อเสนอแนะ"]


def test_script_shell_is_unverified_not_missing() -> None:
    shell = Page(fetched(200), Document(kind="html", text="Loading…", scripts=5))
    assert reasons(check_content(shell, O24, CTX)) == ["needs_browser"]


@pytest.mark.parametrize("warning", ["no_text_layer", "unsupported_format", "extract_failed"])
def test_unreadable_documents_are_unverified(warning: str) -> None:
    doc = Page(fetched(200), Document(kind="pdf", warnings=(warning,)))
    [finding] = check_content(doc, O24, CTX)
    assert (finding.reason, finding.status) == (warning, Status.UNVERIFIED)


# gating ------------------------------------------------------------------------------------

def test_content_checks_do_not_run_on_a_blocked_page() -> None:
    p = Page(fetched(403, headers={"cf-mitigated": "challenge"}), Document(kind="html", text="Just a moment"))
    assert reasons(run_checks(p, O24, CTX)) == ["bot_wall", "linked_from_main_site"]


def test_all_checks_run_on_a_good_page() -> None:
    p = page("ประจำปีงบประมาณ พ.ศ. 2566 " + REPORT)
    assert reasons(run_checks(p, O24, CTX)) == ["reachable", "public", "linked_from_main_site", "fiscal_year_found",
                                                 "elements_found"]


@pytest.mark.parametrize("run", ["a" * 200_000, "1" * 200_000, "ก" * 200_000, "a." * 100_000])
def test_detectors_are_linear_on_long_runs(run: str) -> None:
    # a hostile page (an endless body cut at the cap) once held the e-mail and money patterns for hours
    import time

    from oit_checker.checks.detectors import DETECTOR_FUNCTIONS

    for name, detect in DETECTOR_FUNCTIONS.items():
        started = time.process_time()  # CPU time: other work on the machine cannot fail it
        assert detect(run) is None, name
        assert time.process_time() - started < 2, name
