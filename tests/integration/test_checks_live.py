"""Fetch + extract + run_checks against the local fixture server: the reason codes per bad case.

This is the pipeline ``oit_checker.audit`` runs for one item URL, without the config layer.
Assertions are on (check, status, reason) triples, never on message wording.
"""

from __future__ import annotations

import dataclasses
import shutil

import pytest
from fixture_server import OK_PHRASES, TIS620_PHRASE, WIN874_PHRASE

from oit_checker.checklist import Element, Item, Period
from oit_checker.checks import Context, Page, run_checks
from oit_checker.checks.reachable import fingerprint
from oit_checker.extract import extract
from oit_checker.fetch.http import HttpFetcher
from oit_checker.models import Check, Finding, Status
from oit_checker.options import defaults

# No retries: what a retry does is pinned in test_fetch.py; here only the verdict matters.
OPTIONS = dataclasses.replace(defaults().http, user_agent="oit-checker-tests", connect_timeout=2, read_timeout=1,
                      backoff=0.01, per_host_interval=0, retries=0)

PLAIN = Item(code="O1", name_th="ข้อทดสอบ")
"""No period and no elements: only reachable, public and location say anything."""
REPORT = Item(code="O24", name_th="รายงานผลการดำเนินงาน", period=Period.PREVIOUS_FISCAL_YEAR,
              elements=(Element(name="ปัญหาอุปสรรค", phrases=(OK_PHRASES[0],)),
                        Element(name="ข้อเสนอแนะ", phrases=(OK_PHRASES[1],))))
PREVIOUS_FY = Item(code="O24", name_th="รายงานผลการจัดซื้อจัดจ้าง", period=Period.PREVIOUS_FISCAL_YEAR)


def element_item(phrase: str) -> Item:
    return Item(code="O3", name_th="ข้อทดสอบ", elements=(Element(name="ข้อความ", phrases=(phrase,)),))


def context(base: str, **changes: object) -> Context:
    ctx = Context(homepage=base + "/", domains=("127.0.0.1",), assessment_year=2567)
    return dataclasses.replace(ctx, **changes)


async def load(url: str, **changes: object) -> Page:
    """Fetch and extract as the audit does (no document unless a 2xx body arrived)."""
    async with HttpFetcher(dataclasses.replace(OPTIONS, **changes)) as fetcher:
        fetched = await fetcher.fetch(url)
    doc = extract(fetched) if fetched.ok and fetched.body else None
    return Page(fetched, doc)


async def check(url: str, item: Item = PLAIN, ctx: Context | None = None, base: str = "") -> list[Finding]:
    page = await load(url)
    return run_checks(page, item, ctx or context(base or url.rsplit("/", 1)[0]))


def codes(findings: list[Finding]) -> set[tuple[Check, Status, str]]:
    return {(f.check, f.status, f.reason) for f in findings}


def by_check(findings: list[Finding], which: Check) -> list[Finding]:
    return [f for f in findings if f.check == which]


async def test_good_page_passes_every_check(base_url: str) -> None:
    findings = await check(base_url + "/ok", REPORT, context(base_url))
    assert codes(findings) == {
        (Check.REACHABLE, Status.PASS, "reachable"),
        (Check.PUBLIC, Status.PASS, "public"),
        (Check.LOCATION, Status.PASS, "on_main_site"),
        (Check.FRESH, Status.PASS, "fiscal_year_found"),
        (Check.CONTENT, Status.PASS, "elements_found"),
    }


async def test_404_fails(base_url: str) -> None:
    findings = await check(base_url + "/404", REPORT, context(base_url))
    assert (Check.REACHABLE, Status.FAIL, "http_404") in codes(findings)
    assert not by_check(findings, Check.CONTENT)  # nothing to read
    assert by_check(findings, Check.LOCATION)  # a property of the URL, reported anyway


@pytest.mark.parametrize("path", ["/login", "/members", "/401"])
async def test_login_walls_fail(base_url: str, path: str) -> None:
    findings = await check(base_url + path, REPORT, context(base_url))
    assert (Check.PUBLIC, Status.FAIL, "login_wall") in codes(findings)
    assert not by_check(findings, Check.CONTENT)
    assert not by_check(findings, Check.FRESH)


async def test_bot_wall_is_unverified_not_fail(base_url: str) -> None:
    findings = await check(base_url + "/botwall", REPORT, context(base_url))
    assert (Check.PUBLIC, Status.UNVERIFIED, "bot_wall") in codes(findings)
    assert not [f for f in findings if f.status is Status.FAIL]


async def test_soft_404_by_its_wording(base_url: str) -> None:
    findings = await check(base_url + "/soft404", PLAIN, context(base_url))
    assert (Check.REACHABLE, Status.FAIL, "soft_404") in codes(findings)
    assert (Check.REACHABLE, Status.PASS, "reachable") not in codes(findings)


async def test_soft_404_by_the_random_path_probe(base_url: str) -> None:
    probe = await load(base_url + "/catchall/oit-checker-probe-0123456789ab")
    assert probe.fetch.status == 200 and probe.doc is not None
    ctx = context(base_url, soft_404_fingerprints={"127.0.0.1": fingerprint(probe.doc.title, probe.doc.text)})
    findings = await check(base_url + "/catchall/ita/o24-report", PLAIN, ctx)
    assert (Check.REACHABLE, Status.FAIL, "soft_404") in codes(findings)


async def test_random_path_probe_does_not_flag_a_real_page(base_url: str) -> None:
    probe = await load(base_url + "/catchall/oit-checker-probe-0123456789ab")
    assert probe.doc is not None
    ctx = context(base_url, soft_404_fingerprints={"127.0.0.1": fingerprint(probe.doc.title, probe.doc.text)})
    findings = await check(base_url + "/ok", PLAIN, ctx)
    assert (Check.REACHABLE, Status.PASS, "reachable") in codes(findings)


async def test_catchall_page_without_a_probe_is_reachable(base_url: str) -> None:
    """Control: the generic page itself says nothing about 'not found'."""
    findings = await check(base_url + "/catchall/ita/o24-report", PLAIN, context(base_url))
    assert (Check.REACHABLE, Status.PASS, "reachable") in codes(findings)


@pytest.mark.parametrize(("path", "phrase"), [("/tis620", TIS620_PHRASE), ("/win874-header", WIN874_PHRASE)],
                         ids=["tis620-meta", "windows-874-header"])
async def test_legacy_thai_encodings_are_decoded(base_url: str, path: str, phrase: str) -> None:
    page = await load(base_url + path)
    assert page.doc is not None
    assert page.doc.encoding.startswith("cp874")
    findings = run_checks(page, element_item(phrase), context(base_url))
    assert (Check.CONTENT, Status.PASS, "elements_found") in codes(findings)


async def test_stall_is_unverified(base_url: str) -> None:
    findings = await check(base_url + "/stall", REPORT, context(base_url))
    assert (Check.REACHABLE, Status.UNVERIFIED, "timeout") in codes(findings)
    assert not [f for f in findings if f.status is Status.FAIL]


async def test_rate_limited_is_unverified(base_url: str) -> None:
    findings = await check(base_url + "/always-429", REPORT, context(base_url))
    assert (Check.REACHABLE, Status.UNVERIFIED, "rate_limited") in codes(findings)
    assert not [f for f in findings if f.status is Status.FAIL]


async def test_redirect_loop_fails(base_url: str) -> None:
    findings = await check(base_url + "/loop-a", PLAIN, context(base_url))
    assert (Check.REACHABLE, Status.FAIL, "redirect_loop") in codes(findings)


async def test_long_redirect_chain_warns(base_url: str) -> None:
    findings = await check(base_url + "/chain/3", PLAIN, context(base_url))
    assert (Check.REACHABLE, Status.PASS, "reachable") in codes(findings)
    assert (Check.REACHABLE, Status.WARN, "long_redirect_chain") in codes(findings)


async def test_self_signed_tls_warns_and_the_other_checks_still_run(tls_base_url: str) -> None:
    ctx = context(tls_base_url)
    findings = await check(tls_base_url + "/ok", REPORT, ctx)
    assert (Check.REACHABLE, Status.WARN, "tls_error") in codes(findings)
    assert (Check.PUBLIC, Status.PASS, "public") in codes(findings)
    assert (Check.CONTENT, Status.PASS, "elements_found") in codes(findings)
    assert (Check.FRESH, Status.PASS, "fiscal_year_found") in codes(findings)


async def test_tls_handshake_failure_is_not_an_http_client_error(base_url: str) -> None:
    """https:// to a server that does not speak TLS: no response at all, even unverified.

    There is no HTTP status to judge, so it must not come out as ``http_client_error``
    ("the server refused the request (HTTP 0)"); it is a TLS/connection finding.
    """
    url = base_url.replace("http://", "https://") + "/ok"
    page = await load(url)
    assert page.fetch.error == "tls_handshake_failed"
    assert page.fetch.tls_error
    assert page.fetch.status is None
    findings = run_checks(page, REPORT, context(base_url))
    reachable = by_check(findings, Check.REACHABLE)
    assert [(f.reason, f.status) for f in reachable] == [("tls_handshake_failed", Status.UNVERIFIED)]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler's pdftotext is not installed")
async def test_pdf_report_is_read_with_pdftotext(base_url: str) -> None:
    page = await load(base_url + "/report.pdf")
    assert page.doc is not None and page.doc.kind == "pdf"
    findings = run_checks(page, REPORT, context(base_url))
    content = by_check(findings, Check.CONTENT)
    assert [(f.status, f.reason) for f in content] == [(Status.PASS, "elements_found")]
    assert content[0].evidence["text_source"] == "pdftotext"
    assert (Check.FRESH, Status.PASS, "fiscal_year_found") in codes(findings)


async def test_previous_fiscal_year_in_thai_digits_is_found(base_url: str) -> None:
    findings = await check(base_url + "/report-2566", PREVIOUS_FY, context(base_url))
    fresh = by_check(findings, Check.FRESH)
    assert [(f.status, f.reason) for f in fresh] == [(Status.PASS, "fiscal_year_found")]
    assert fresh[0].params["year"] == 2566


async def test_older_fiscal_year_only_is_stale(base_url: str) -> None:
    findings = await check(base_url + "/report-2564", PREVIOUS_FY, context(base_url))
    fresh = by_check(findings, Check.FRESH)
    assert [(f.status, f.reason) for f in fresh] == [(Status.FAIL, "stale_fiscal_year")]
    assert fresh[0].evidence["years_found"] == [2564]


async def test_page_without_a_date_warns(base_url: str) -> None:
    findings = await check(base_url + "/report-undated", PREVIOUS_FY, context(base_url))
    fresh = by_check(findings, Check.FRESH)
    assert [(f.status, f.reason) for f in fresh] == [(Status.WARN, "no_date_found")]


async def test_missing_element_fails(base_url: str) -> None:
    findings = await check(base_url + "/report-undated", element_item("แผนปฏิบัติการป้องกันการทุจริต"),
                           context(base_url))
    # the page has none of the item's elements and links no evidence: no_evidence (issue 11)
    assert (Check.CONTENT, Status.FAIL, "no_evidence") in codes(findings)


async def test_homepage_given_as_item_url_warns(base_url: str) -> None:
    findings = await check(base_url + "/", PLAIN, context(base_url))
    assert (Check.LOCATION, Status.WARN, "homepage_as_item_url") in codes(findings)


async def test_other_host_fails_location(base_url: str) -> None:
    findings = await check(base_url + "/ok", PLAIN, context(base_url, domains=("example.go.th",)))
    assert (Check.LOCATION, Status.FAIL, "not_on_main_site") in codes(findings)
