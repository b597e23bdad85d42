"""Property tests: whatever a website sends, URL handling, link extraction, the Thai date
parser and the document extractors return (no exception escapes) and return quickly."""

from __future__ import annotations

import io
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oit_checker.dates import find_dates
from oit_checker.extract.html import extract_html
from oit_checker.extract.links import html_links
from oit_checker.extract.office import extract_docx, extract_xlsx
from oit_checker.extract.pdf import extract_pdf
from oit_checker.urls import host_of, normalize_url, page_key

FAST = settings(max_examples=60, deadline=2000, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])
"""Reproducible in CI (derandomize) and bounded: 2 s per example is the time bound asserted."""

URL_PIECES = st.sampled_from(["http://", "https://", "[", "]", "::1", ":", "/", "?", "#", "%", "%e0%b8", "ก",
                              "..", ".", "www.", "a.go.th", "@", "\\", " ", ":99999", "\x00", "index.php"])
URLISH = st.one_of(st.text(max_size=80), st.lists(URL_PIECES, max_size=12).map("".join))
HTMLISH = st.lists(st.sampled_from(['<a href="', '">', "</a>", "http://[", "<base href=\"", "<meta http-equiv="
                                    '"refresh" content="0;url=', "//[::1", "ก", "<title>", "<h1>", "&#0;", "<iframe src=\"",
                                    "javascript:", "\x00", "\ufffd", "<!--", "<script>"]),
                   max_size=30).map("".join)


@FAST
@given(URLISH)
def test_url_functions_never_raise(url: str) -> None:
    assert isinstance(normalize_url(url), str)
    assert isinstance(page_key(url), str)
    assert isinstance(host_of(url), str)


def test_malformed_ipv6_link_is_skipped_and_counted() -> None:
    page = html_links(b'<a href="http://[">x</a><a href="/ok">ok</a>', "http://a.test/", "")
    assert [link.url for link in page.links] == ["http://a.test/ok"]
    assert page.malformed == 1


@FAST
@given(st.one_of(HTMLISH.map(lambda s: s.encode("utf-8", "surrogatepass")), st.binary(max_size=400)),
       st.sampled_from(["http://a.test/", "http://[", "https://ก.th/x/", ""]))
def test_html_links_and_extract_html_never_raise(body: bytes, base: str) -> None:
    page = html_links(body, base, "text/html", context=True, text=True)
    for link in page.links:
        normalize_url(link.url)
        page_key(link.url)
    extract_html(body, base, "text/html")


@FAST
@given(st.text(max_size=200))
def test_find_dates_never_raises(text: str) -> None:
    find_dates(text)


@FAST
@given(st.one_of(st.binary(max_size=300), st.binary(max_size=300).map(lambda b: b"%PDF-1.4\n" + b)))
def test_extract_pdf_never_raises(body: bytes) -> None:
    extract_pdf(body)


def _nearly_zip(names: list[str], payload: bytes, cut: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, payload)
    data = buffer.getvalue()
    return data[: max(len(data) - cut, 0)]


NEARLY_ZIP = st.builds(_nearly_zip,
                       st.lists(st.sampled_from(["word/document.xml", "[Content_Types].xml", "xl/workbook.xml",
                                                 "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml", "docProps/core.xml"]),
                                max_size=4, unique=True),
                       st.one_of(st.binary(max_size=200), st.sampled_from([
                           b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>',
                           b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;'
                           b'&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><l>&c;&c;&c;</l>'])),
                       st.integers(min_value=0, max_value=40))


@FAST
@given(st.one_of(NEARLY_ZIP, st.binary(max_size=200).map(lambda b: b"PK\x03\x04" + b)))
def test_office_extractors_never_raise(body: bytes) -> None:
    extract_docx(body)
    extract_xlsx(body)
