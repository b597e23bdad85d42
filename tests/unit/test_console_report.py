"""The console report on real-site data: item codes with dots shown whole, borders in line next to
Thai text (above/below vowels and tone marks take no cell), site text that cannot move the border.

Widths are measured with an independent function (Unicode general category and East Asian
width), not with rich's own ``cell_len``. ``unicodedata.combining`` cannot be used: most Thai
marks (U+0E31, U+0E34–U+0E37, U+0E47 …) have combining class 0 although they take no cell.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata

import pytest
from rich.console import Console

from oit_checker.models import AuditResult, Check, FetchResult, Finding, ItemResult, Status, UrlResult
from oit_checker.report import ConsoleReporter

HOME = "https://www.example.go.th/"
THAI_MARKS = "".join(map(chr, (0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F))))
"""Every Thai above/below vowel and tone mark the issue names (U+0E31, U+0E34–U+0E3A, U+0E47–U+0E4E)."""
SGR = re.compile(r"\x1b\[[0-9;]*m")


def cells(text: str) -> int:
    """Terminal cells of ``text``: marks and format characters none, wide characters two."""
    width = 0
    for char in text:
        if unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def result(*items: ItemResult) -> AuditResult:
    start = dt.datetime(2024, 1, 15, 2, 0, tzinfo=dt.UTC)
    return AuditResult(run_id="RUN1", started_at=start, finished_at=start + dt.timedelta(seconds=3),
                       tool_version="9.9", checklist_id="moit-2568", checklist_title="MOIT", assessment_year=2568,
                       agency_name="องค์การบริหารส่วนตำบลทดสอบ", homepage=HOME, items=items)


def entry(code: str, name: str, status: Status, findings: list[Finding], group: str = "การเปิดเผยข้อมูล") -> ItemResult:
    url = f"{HOME}ita/{code.lower()}.php?id=ข้อมูล"
    fetch = FetchResult(url=url, final_url=url, status=200, headers={"content-type": "text/html"}, body=b"x")
    return ItemResult(code=code, name_th=name, name_en=code, group=group, status=status,
                      urls=(UrlResult(url, fetch, tuple(findings)),), passing_url=None, confidence="confirmed")


def render(report: AuditResult, width: int, lang: str = "th") -> str:
    """The report as a terminal of ``width`` columns gets it (styles on, colours off)."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=True, no_color=True, highlight=False, emoji=False)
    ConsoleReporter(lang).print(report, console)
    return buffer.getvalue()


THAI_NAME = "ข้อมูลผู้บริหารสูงสุดและผู้ดำรงตำแหน่งที่ปรึกษาพิเศษ" + THAI_MARKS + "ทีี่ปรึกษ์ษาฯ ญี่ปุ่น นํ้า"
REAL = result(
    entry("MOIT1.2", THAI_NAME, Status.FAIL, [
        Finding(Check.CONTENT, Status.FAIL, "missing_element",
                {"missing": "ชื่อ-นามสกุล, ตำแหน่ง, ช่องทางการติดต่อ, ปัญหาอุปสรรค์", "missing_en": "name"}),
        Finding(Check.PUBLIC, Status.UNVERIFIED, "bot_wall",
                {"detail": "หน้า\x1b[2Jตรวจสอบ\x1b]0;title\x07ความปลอดภัย\x7f\u200bก่อนเข้าใช้งาน \x9b31m"})]),
    entry("O1.1", "โครงสร้าง" + THAI_MARKS, Status.PASS, [
        Finding(Check.CONTENT, Status.PASS, "elements_found", {"found": "แผนผังโครงสร้าง" + THAI_MARKS})],
          group="ข้อมูลพื้นฐาน"),
    entry("EB10", "การดำเนินการเพื่อจัดการความเสี่ยงการทุจริตและประพฤติมิชอบ", Status.WARN,
          [Finding(Check.LOCATION, Status.WARN, "homepage_as_item_url")]),
    entry("MOIT10.11", "ผลการดำเนินงาน", Status.UNVERIFIED, [
        Finding(Check.PUBLIC, Status.UNVERIFIED, "bot_wall", {"detail": "cf-mitigated: challenge"})]),
)


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("lang", ["th", "en"])
def test_item_codes_with_dots_show_whole(width: int, lang: str) -> None:
    text = SGR.sub("", render(REAL, width, lang))
    rows = [line for line in text.splitlines() if line.startswith("│") and line.split("│")[2].strip()]
    assert [row.split("│")[2].strip() for row in rows] == ["MOIT1.2", "EB10", "MOIT10.11", "O1.1"]
    # every table gives the code column the same width, so the columns line up group after group
    assert len({cells("│".join(row.split("│")[:3])) for row in rows}) == 1


@pytest.mark.parametrize("width", [80, 120])
def test_borders_stay_in_line_next_to_thai_marks(width: int) -> None:
    text = SGR.sub("", render(REAL, width))
    assert "\x1b" not in text and "\x9b" not in text and "\x7f" not in text  # site text cannot drive the terminal
    lines = text.splitlines()
    first = next(n for n, line in enumerate(lines) if line.startswith("┌"))  # (the header panel is narrower)
    table = [line for line in lines[first:] if line[:1] in "┌├└│"]
    assert len(table) > 20 and any(mark in text for mark in THAI_MARKS)
    assert {cells(line) for line in table} == {width}
    # the right border of every row sits in the last column, also on the rows with Thai marks
    assert all(line.endswith(("│", "┐", "┤", "┘")) for line in table)
    assert sum(1 for line in table if any(mark in line for mark in THAI_MARKS)) >= 5


def test_long_urls_and_names_wrap_instead_of_being_cut() -> None:
    text = SGR.sub("", render(REAL, 80))
    joined = "".join(line.split("│")[3].strip() for line in text.splitlines() if line.count("│") >= 4)
    assert f"{HOME}ita/moit10.11.php?id=ข้อมูล" in joined
    assert "…" not in text
