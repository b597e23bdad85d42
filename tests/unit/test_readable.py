"""Is a page's text layer readable? Legacy-font garbage is told apart from Thai, English, mixed text
and tables of numbers (``oit_checker/extract/readable.py``)."""

from __future__ import annotations

import random
import time

import pytest

from oit_checker.extract.readable import garbled_pages, is_garbled, judge

THAI_REPORT = """รายงานผลการดำเนินการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. ๒๕๖๖
กรมตัวอย่างบังคับคดี
๑. ผลการดำเนินการ ดำเนินโครงการส่งเสริมคุณธรรมและความโปร่งใส จำนวน ๕ โครงการ บรรลุเป้าหมายทุกโครงการ
๒. งบประมาณที่ใช้ ใช้งบประมาณทั้งสิ้น ๒๔๕,๕๐๐ บาท จากที่ได้รับจัดสรร ๓๐๐,๐๐๐ บาท
๓. ปัญหาอุปสรรค บุคลากรมีภารกิจมาก ทำให้เข้าร่วมกิจกรรมได้ไม่ครบ
๔. ข้อเสนอแนะ ควรจัดกิจกรรมผ่านระบบออนไลน์เพิ่มขึ้น
นางสาวสมศรี ตัวอย่างดี ผู้อำนวยการกองคลัง โทร. ๐ ๒๘๘๑ ๔๙๙๙"""

LEGACY_KEYS_REPORT = """ikp'koz]dkifegobodkixhv'dyodkim60ib9 xit0exu'[xit,kI r.L. #*((
di,9y;vpjk'[y'8y[8fu
@. z]dkifegobodki fegoboF8i'dkilj'glib,86ITii,c]t8;k,Fxij'.l 0eo;o * F8i'dki [ii]6gxhks,kpm6dF8i'dki
#. '[xit,kImuj.=h .=h'[xit,kImyh'lbho #%*,*QQ [km 0kdmujwfhiy[0yflii $QQ,QQQ [km
$. xyPskv6xlii8 [68]kdi,u4kidb0,kd me.shg-hkij;,db0dii,wfhw,j8i["""
"""The report above as a legacy Thai font leaves it (each Thai glyph at its Thai-keyboard key)."""

OBSERVED = "{rufrd Qo HH 'tuYl"
"""Observed on a real agency PDF (issue 11)."""

ENGLISH = """The Department of Legal Execution publishes this annual report on the implementation of its
anti-corruption plan for fiscal year 2023. It describes the results of each project, the budget used,
the problems found and the suggestions for the next year. Contact: Office of the Secretary, tel. 0 2881 4999."""


@pytest.mark.parametrize("text", [OBSERVED, LEGACY_KEYS_REPORT, f"{OBSERVED}\n{LEGACY_KEYS_REPORT}"])
def test_thai_typed_through_latin_codes_is_garbage(text: str) -> None:
    verdict = judge(text)
    assert (verdict.garbled, verdict.why) == (True, "latin_not_english")


def test_tis620_bytes_read_as_latin1_and_private_use_glyphs_are_garbage() -> None:
    mojibake = THAI_REPORT.encode("tis-620").decode("latin-1")  # ÃÒÂ§Ò¹¼Å¡ÒÃ…
    assert (judge(mojibake).garbled, judge(mojibake).why) == (True, "legacy_bytes")
    private = "".join(chr(0xF000 + ord(ch) - 0x0E00) if "\u0e01" <= ch <= "\u0e5b" else ch for ch in THAI_REPORT)
    assert judge(private).why == "legacy_bytes"


def test_thai_through_a_wrong_map_is_garbage() -> None:
    letters = [chr(c) for c in range(0x0E01, 0x0E4F)]
    shuffled = letters[:]
    random.Random(1).shuffle(shuffled)
    wrong = (THAI_REPORT * 3).translate(str.maketrans("".join(letters), "".join(shuffled)))
    assert (judge(wrong).garbled, judge(wrong).why) == (True, "broken_thai")


@pytest.mark.parametrize("text", [
    THAI_REPORT,
    ENGLISH,  # an agency's English document is not garbage
    "Annual Report 2023",
    "Integrity and Transparency Assessment (ITA) 2024",
    "รายงานผลการดำเนินงาน Annual Report 2566 ประจำปีงบประมาณ พ.ศ. 2566 Office of the Permanent Secretary",
    "1 120,000 2 25,500 3 4,000\n4 1,250,000.00 5 99 6 7 8\n2566 2567 2568 100% 45.5%",  # numbers only
    "No. Project Budget Status\n1 Training 120,000 done\n2 Seminar 25,500 done\n3 Website 40,000 in progress",
    "Mr. Somchai Jaidee Director\nMrs. Somsri Tuayangdee Deputy Director\nMs. Malee Srisuk Officer",
    "ITA-2567 O1 O2 O3 O4 O5 O6 O7 O8 O9 O10 EB1 EB2 https://www.led.go.th/ita/o1.pdf",
    " ".join(f"O{i} MOIT{i} NACC" for i in range(1, 44)),  # a list of codes is not garbage
    "saraban@led.go.th www.led.go.th/ita/2567/o41-report.pdf http://nacc.go.th",
    "ลงชื่อ",  # too little to tell
    "",
    "ผู้อำนวยการ\uf70bนำ ที\uf70a",  # PUA glyphs a correct Thai font leaves: repaired by thai.normalize, still Thai
])
def test_readable_text_is_not_garbage(text: str) -> None:
    assert not is_garbled(text), judge(text)


def test_pages_are_judged_one_by_one_and_scans_are_skipped() -> None:
    pages = [THAI_REPORT, LEGACY_KEYS_REPORT, "", LEGACY_KEYS_REPORT]
    assert garbled_pages(pages) == [1, 3]
    assert garbled_pages(pages, skip=[3]) == [1]


def test_the_detector_costs_little_on_a_20_page_thai_document() -> None:
    pages = [THAI_REPORT * 6] * 20  # ≈ 2,700 characters a page, like a dense report page
    start = time.perf_counter()
    assert garbled_pages(pages) == []
    assert time.perf_counter() - start < 0.5  # measured ≈ 15 ms; the bound allows a loaded CI
