"""Items that need several documents (issue 14 point 5): ``current_and_previous_fiscal_year`` is
judged year by year over the page and what it links, and ``urls_mode = "all"`` needs every URL."""

from __future__ import annotations

import datetime as dt

from oit_checker.audit import _item_result
from oit_checker.checklist import Element, Item, Period
from oit_checker.checks import Attachment, Context, Page
from oit_checker.checks.fresh import check_fresh
from oit_checker.checks.linked import check_fresh_linked
from oit_checker.models import Check, Document, FetchResult, Finding, Link, Status

HOME = "https://www.college.ac.th/"
URL = "https://www.college.ac.th/ita/o20"
CTX = Context(homepage=HOME, domains=("college.ac.th",), assessment_year=2569, today=dt.date(2026, 3, 1))
O20 = Item(code="O20", name_th="การขับเคลื่อนนโยบาย No Gift Policy", period=Period.CURRENT_AND_PREVIOUS_FISCAL_YEAR,
           elements=(Element(name="No Gift Policy", phrases=("no gift policy",)),))


def ok(url: str) -> FetchResult:
    return FetchResult(url=url, final_url=url, status=200)


def page(main: str, *attachments: Attachment) -> Page:
    links = tuple(Link(a.url, a.text) for a in attachments)
    return Page(ok(URL), Document(kind="html", text=main, main_text=main, links=links, main_links=links), attachments)


def pdf(name: str, text: str) -> Attachment:
    url = f"https://www.college.ac.th/files/{name}.pdf"
    return Attachment(url, name, ok(url), Document(kind="pdf", text=text, text_source="pdftotext"))


def verdicts(findings: list[Finding]) -> list[tuple[Status, str, str]]:
    return [(f.status, f.reason, str(f.params.get("year"))) for f in findings]


def test_both_years_on_the_page_pass_one_finding_per_year() -> None:
    text = "ประกาศนโยบาย No Gift Policy ประจำปีงบประมาณ พ.ศ. 2569\nรายงานผลประจำปีงบประมาณ พ.ศ. 2568"
    assert verdicts(check_fresh(page(text), O20, CTX)) == [
        (Status.PASS, "fiscal_year_found", "2569"), (Status.PASS, "fiscal_year_found", "2568")]


def test_the_missing_year_is_named_and_never_a_pass() -> None:
    only_current = check_fresh(page("ประกาศนโยบาย No Gift Policy ประจำปีงบประมาณ พ.ศ. 2569"), O20, CTX)
    assert verdicts(only_current) == [(Status.PASS, "fiscal_year_found", "2569"),
                                      (Status.WARN, "fiscal_year_unclear", "2568")]
    only_old = check_fresh(page("ประกาศนโยบาย No Gift Policy ประจำปีงบประมาณ พ.ศ. 2567"), O20, CTX)
    assert [(s, r) for s, r, _ in verdicts(only_old)] == [(Status.FAIL, "stale_fiscal_year")] * 2


def test_each_year_may_be_covered_by_another_linked_file() -> None:
    plan = pdf("no-gift-2569", "ประกาศเจตนารมณ์ No Gift Policy ประจำปีงบประมาณ พ.ศ. 2569")
    report = pdf("gifts-2568", "รายงานการรับของขวัญ ประจำปีงบประมาณ พ.ศ. 2568")
    findings = check_fresh_linked(page("นโยบาย No Gift Policy", plan, report), O20, CTX)
    assert verdicts(findings) == [(Status.PASS, "fiscal_year_found", "2569"), (Status.PASS, "fiscal_year_found", "2568")]
    assert [f.evidence["judged_in"] for f in findings] == [plan.url, report.url]
    # without the previous year's report, that year is the one reported missing
    [current, previous] = check_fresh_linked(page("นโยบาย No Gift Policy", plan), O20, CTX)
    assert current.status is Status.PASS and (previous.status, previous.params["year"]) == (Status.WARN, 2568)


# urls_mode = "all" -----------------------------------------------------------------------------

PLAN = "https://www.college.ac.th/ita/plan-2569"
REPORT = "https://www.college.ac.th/ita/report-2568"
STANDING = Item(code="O1", name_th="โครงสร้าง", period=Period.NONE)


def url_page(url: str, status: int) -> Page:
    fetch = FetchResult(url=url, final_url=url, status=status)
    return Page(fetch, Document(kind="html", text="โครงสร้าง", main_text="โครงสร้าง") if status == 200 else None)


def checks_by_status(page: Page, item: Item, ctx: Context) -> list[Finding]:
    status = Status.PASS if page.fetch.status == 200 else Status.FAIL
    return [Finding(Check.REACHABLE, status, "reachable" if status is Status.PASS else "http_404")]


def test_urls_mode_all_needs_every_url_and_names_the_one_that_fails() -> None:
    pages = {PLAN: url_page(PLAN, 200), REPORT: url_page(REPORT, 404)}
    alternatives = _item_result(STANDING, (PLAN, REPORT), pages, CTX, checks_by_status)
    assert (alternatives.status, alternatives.passing_url, alternatives.findings) == (Status.PASS, PLAN, ())
    every = _item_result(STANDING, (PLAN, REPORT), pages, CTX, checks_by_status, all_required=True)
    assert every.status is Status.FAIL and every.passing_url is None
    assert [(f.reason, f.params["url"]) for f in every.findings] == [("required_url_not_passing", REPORT)]
    pages[REPORT] = url_page(REPORT, 200)
    both = _item_result(STANDING, (PLAN, REPORT), pages, CTX, checks_by_status, all_required=True)
    assert (both.status, both.passing_url, both.findings) == (Status.PASS, PLAN, ())
