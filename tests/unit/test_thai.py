"""Thai text and dates: normalisation, B.E./C.E. years, fiscal years and the date corpus."""

from __future__ import annotations

import dataclasses
import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

import pytest

from oit_checker import dates, deadline, thai
from oit_checker.checks import monthly, period
from oit_checker.dates import (
    DateMention,
    be_to_ce,
    ce_to_be,
    find_dates,
    fiscal_year_bounds,
    fiscal_year_of,
    parse_date,
    parse_year,
)
from oit_checker.dates import calendar as thai_calendar
from oit_checker.thai import (
    THAI_DIGITS,
    compact,
    normalize,
    normalize_phrase_variants,
    to_arabic_digits,
)

CORPUS_FILE = Path(__file__).resolve().parents[1] / "data" / "thai_dates.toml"
CORPUS: list[dict[str, Any]] = tomllib.loads(CORPUS_FILE.read_text(encoding="utf-8"))["case"]
POSITIVE = [case for case in CORPUS if not case.get("none")]
NEGATIVE = [case for case in CORPUS if case.get("none")]


# ---- the corpus ------------------------------------------------------------------------------


def test_corpus_is_large_and_well_formed() -> None:
    ids = [case["id"] for case in CORPUS]
    assert len(ids) == len(set(ids)), "duplicate ids"
    assert len(POSITIVE) >= 150
    assert len(NEGATIVE) >= 15
    for case in POSITIVE:
        assert set(case) <= {
            "id", "text", "kind", "start", "end", "fiscal_year", "matched", "count", "year_is_ce"
        }, case["id"]  # fmt: skip
        assert isinstance(case["start"], dt.date), case["id"]
        assert isinstance(case["end"], dt.date), case["id"]
    for case in NEGATIVE:
        assert set(case) == {"id", "text", "none"}, case["id"]


@pytest.mark.parametrize("case", POSITIVE, ids=[case["id"] for case in POSITIVE])
def test_corpus_first_mention(case: dict[str, Any]) -> None:
    mentions = find_dates(case["text"])
    assert mentions, "no mention found"
    first = mentions[0]
    assert (first.kind, first.start, first.end, first.fiscal_year) == (
        case["kind"],
        case["start"],
        case["end"],
        case["fiscal_year"],
    )
    assert first.year_is_ce is case.get("year_is_ce", False)
    if "matched" in case:
        assert first.text == case["matched"]
    if "count" in case:
        assert len(mentions) == case["count"], [m.text for m in mentions]


@pytest.mark.parametrize("case", NEGATIVE, ids=[case["id"] for case in NEGATIVE])
def test_corpus_negative(case: dict[str, Any]) -> None:
    assert find_dates(case["text"]) == []


@pytest.mark.parametrize("case", CORPUS, ids=[case["id"] for case in CORPUS])
def test_corpus_spans_point_into_the_input(case: dict[str, Any]) -> None:
    text = case["text"]
    previous_end = 0
    for mention in find_dates(text):
        begin, end = mention.span
        assert text[begin:end] == mention.text
        assert previous_end <= begin < end, "mentions overlap or are out of order"
        assert mention.start <= mention.end
        previous_end = end


# ---- digits and normalisation ----------------------------------------------------------------


def test_thai_digits_constant() -> None:
    assert THAI_DIGITS == "๐๑๒๓๔๕๖๗๘๙"
    assert [int(d) for d in to_arabic_digits(THAI_DIGITS)] == list(range(10))


def test_to_arabic_digits_keeps_everything_else() -> None:
    assert to_arabic_digits("โทร. ๐ ๒๑๔๑ ๖๐๐๐ ต่อ 79") == "โทร. 0 2141 6000 ต่อ 79"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("ปัญหา\u200bอุปสรรค", "ปัญหาอุปสรรค", id="zero-width-space"),
        pytest.param("ข้อ\u200cเสนอ\u200dแนะ\u2060", "ข้อเสนอแนะ", id="zwnj-zwj-word-joiner"),
        pytest.param("\ufeffรายงาน", "รายงาน", id="bom"),
        pytest.param("งบ\u00adประมาณ", "งบประมาณ", id="soft-hyphen"),
        pytest.param("รายงาน\x00ผล", "รายงานผล", id="nul"),
        pytest.param("ปี ๒๕๖๖", "ปี 2566", id="thai-digits"),
        pytest.param("อ\u0e4d\u0e32นาจ", "อำนาจ", id="sara-am-from-nikhahit-and-aa"),
        pytest.param("น\u0e4d\u0e49\u0e32", "น\u0e49\u0e33", id="sara-am-with-tone-between"),
        pytest.param("ดำ\u0e32เนินการ", "ดำเนินการ", id="sara-am-doubled"),
        pytest.param("ท\u0e48\u0e35", "ที่", id="tone-before-sara-ii"),
        pytest.param("ก\u0e49\u0e31น", "กั้น", id="tone-before-mai-han-akat"),
        pytest.param("ผ\u0e39\uf70bบริหาร", "ผู้บริหาร", id="pua-lowered-mai-tho"),
        pytest.param("ป\uf701ด", "ปิด", id="pua-left-sara-i"),
        pytest.param("\uf700าน", "ฐาน", id="pua-tho-than-no-tail"),
        pytest.param("ทั\uf88dง", "ทั้ง", id="pua-apple-mai-tho"),
        pytest.param("e\u0301", "\u00e9", id="nfc"),
        pytest.param("ข้อมูล  \t สาธารณะ", "ข้อมูล สาธารณะ", id="fold-spaces-tabs"),
        pytest.param("ข้อมูล\u00a0\u3000สาธารณะ", "ข้อมูล สาธารณะ", id="fold-unicode-spaces"),
        pytest.param("  หัวข้อ  \n  เนื้อหา \n\nท้าย  ", "หัวข้อ\nเนื้อหา\n\nท้าย", id="keep-newlines"),
        pytest.param("บรรทัด1\r\nบรรทัด2\rบรรทัด3", "บรรทัด1\nบรรทัด2\nบรรทัด3", id="crlf"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_normalize_is_idempotent_on_corpus() -> None:
    for case in CORPUS:
        once = normalize(case["text"])
        assert normalize(once) == once, case["id"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("ปัญหา และ อุปสรรค", "ปัญหาและอุปสรรค", id="pdf-spaces"),
        pytest.param("Social  Network", "socialnetwork", id="latin-lower"),
        pytest.param("ปีงบประมาณ พ.ศ. ๒๕๖๖\n", "ปีงบประมาณพ.ศ.2566", id="digits-and-newline"),
        pytest.param("อํ า นาจ\u200bหน้าที่", "อำนาจหน้าที่", id="sara-am-across-space"),
    ],
)
def test_compact(raw: str, expected: str) -> None:
    assert compact(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("ปัญหาและอุปสรรค", "ปัญหาอุปสรรค", id="problems-and-obstacles"),
        pytest.param("ปัญหา / อุปสรรค", "ปัญหาอุปสรรค", id="problems-slash-obstacles"),
        pytest.param("ปัญหาอุปสรรค", "ปัญหาอุปสรรค", id="already-canonical"),
        pytest.param("หน้าที่และอำนาจ", "อำนาจหน้าที่", id="duties-and-authority"),
        pytest.param("อำนาจและหน้าที่", "อำนาจหน้าที่", id="authority-and-duties"),
        pytest.param("หน้าที่และอํานาจ", "อำนาจหน้าที่", id="authority-decomposed-sara-am"),
        pytest.param("ข้อเสนอแนะ", "ข้อเสนอแนะ", id="suggestion-stays"),
        pytest.param("ข้อเสนอแนะนำ", "ข้อเสนอแนะนำ", id="recommendation-stays"),
        pytest.param("พ.ศ. 2566", "พ.ศ.2566", id="ps-canonical"),
        pytest.param("พ.ศ..2568", "พ.ศ.2568", id="ps-double-dot"),
        pytest.param("พ.ศ 2567", "พ.ศ.2567", id="ps-missing-dot"),
        pytest.param("พศ. ๒๕๖๗", "พ.ศ.2567", id="ps-no-first-dot"),
        pytest.param("ค.ศ 2024", "ค.ศ.2024", id="ce-missing-dot"),
        pytest.param("ปีงบ 2566", "ปีงบประมาณ2566", id="fy-short"),
        pytest.param("ปีงบฯ 2566", "ปีงบประมาณ2566", id="fy-paiyannoi"),
        pytest.param("ปีงบประมาณ 2566", "ปีงบประมาณ2566", id="fy-full-untouched"),
        pytest.param("จัดซื้อ-จัดจ้าง", "จัดซื้อจัดจ้าง", id="procurement-dash"),
        pytest.param("จัดซื้อและจัดจ้าง", "จัดซื้อจัดจ้าง", id="procurement-and"),
        pytest.param("เว็ปไซต์", "เว็บไซต์", id="website-misspelled"),
        pytest.param("กฏหมาย", "กฎหมาย", id="law-misspelled"),
        pytest.param("E-Service", "e-service", id="e-service"),
        pytest.param("EService", "e-service", id="eservice"),
    ],
)
def test_normalize_phrase_variants(raw: str, expected: str) -> None:
    assert normalize_phrase_variants(raw) == expected


def test_phrase_variants_table_is_data() -> None:
    assert isinstance(thai.PHRASE_VARIANTS, dict)
    assert thai.PHRASE_VARIANTS[r"ปัญหา(?:และ|/|,|-)?อุปสรรค"] == "ปัญหาอุปสรรค"


# Issue 11 point 6: misspellings seen on real pages. Row of PHRASE_VARIANTS -> (a phrase of the
# checklists, the page text that misspells it). Content matching folds both sides.
MISSPELLINGS: dict[str, tuple[str, str]] = {
    r"เว็ปไซ[ตท]์|เวบไซ[ตท]์|เว็บไซท์": ("เว็บไซต์", "ช่องทางติดต่อผ่านเว็ปไซท์ของหน่วยงาน"),
    r"ปฎิบัติ": ("แผนปฏิบัติราชการ", "แผนปฎิบัติราชการ ประจำปีงบประมาณ พ.ศ. 2567"),
    r"(?<!รา)กฏ": ("กฎหมายที่เกี่ยวข้อง", "กฏหมายที่เกี่ยวข้องกับการดำเนินงาน"),
    r"อุปสรรค์": ("ปัญหาอุปสรรค", "ปัญหาและอุปสรรค์ในการดำเนินงาน"),
    r"โอกาศ": ("การเปิดโอกาสให้เกิดการมีส่วนร่วม", "การเปิดโอกาศให้เกิดการมีส่วนร่วม"),
    r"สัมฤทธิ?์?(?!ิ)": ("ผลสัมฤทธิ์", "รายงานผลสัมฤทธ์ของการดำเนินงาน"),
    r"อิเล็?[กค]ทรอนิ[กค]ส?์?": ("ไปรษณีย์อิเล็กทรอนิกส์", "ไปรษณีย์อิเลคทรอนิคส์ saraban@example.go.th"),
    r"คอ(?:ร์)?รัปชั่?น": ("คอร์รัปชัน", "ไม่ทนต่อการทุจริตคอรัปชั่น"),
    r"คูมือ": ("คู่มือหรือมาตรฐานการให้บริการ", "คูมือหรือมาตรฐานการให้บริการประชาชน"),
    r"\u0e40\u0e40": ("ข้อเสนอแนะ", "ปัญหาเเละอุปสรรค และข้อเสนอเเนะ"),
    r"([\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])\1+": ("ขั้นตอนการให้บริการ", "ขั้้นตอนการให้บริการที่่ชัดเจน"),
    r"\u0e33([\u0e48-\u0e4b])": ("น้ำประปา", "ค่านำ้ประปา"),
    r"\u0e32\u0e4d": ("รายงานผลการดำเนินการ", "รายงานผลการดาํเนินการ"),
}


@pytest.mark.parametrize(("row", "case"), list(MISSPELLINGS.items()), ids=list(range(len(MISSPELLINGS))))
def test_a_checklist_phrase_matches_a_misspelled_page(row: str, case: tuple[str, str]) -> None:
    phrase, page = case
    assert row in thai.PHRASE_VARIANTS, "the misspelling must be a row of the one table"
    assert compact(phrase) not in compact(page)  # really misspelled
    assert normalize_phrase_variants(phrase) in normalize_phrase_variants(page)


def test_characters_are_repaired_before_words() -> None:
    assert normalize_phrase_variants("ปัญหาอุปสรรค") in normalize_phrase_variants("ปัญหาเเละอุปสรรค์")


@pytest.mark.parametrize("word", ["ปรากฏ", "ปฏิบัติ", "กฎหมาย", "ข้อเสนอแนะ", "ผลสัมฤทธิ์", "อิเล็กทรอนิกส์"])
def test_correct_spellings_stay_as_they_are(word: str) -> None:
    assert normalize_phrase_variants(word) == compact(word)


# ---- years and fiscal years ------------------------------------------------------------------


def test_be_ce_conversion() -> None:
    assert be_to_ce(2566) == 2023
    assert ce_to_be(2023) == 2566
    assert be_to_ce(ce_to_be(2024)) == 2024


@pytest.mark.parametrize(
    ("day", "fiscal_year"),
    [
        pytest.param(dt.date(2023, 9, 30), 2566, id="30sep-last-day"),
        pytest.param(dt.date(2023, 10, 1), 2567, id="1oct-first-day"),
        pytest.param(dt.date(2023, 12, 31), 2567, id="31dec"),
        pytest.param(dt.date(2024, 1, 1), 2567, id="1jan"),
        pytest.param(dt.date(2024, 9, 30), 2567, id="30sep-next"),
        pytest.param(dt.date(2024, 10, 1), 2568, id="1oct-next"),
    ],
)
def test_fiscal_year_of(day: dt.date, fiscal_year: int) -> None:
    assert fiscal_year_of(day) == fiscal_year


def test_fiscal_year_bounds() -> None:
    assert fiscal_year_bounds(2566) == (dt.date(2022, 10, 1), dt.date(2023, 9, 30))
    assert fiscal_year_bounds(2568) == (dt.date(2024, 10, 1), dt.date(2025, 9, 30))


@pytest.mark.parametrize("fy", range(2560, 2572))
def test_fiscal_year_bounds_round_trip(fy: int) -> None:
    first, last = fiscal_year_bounds(fy)
    assert fiscal_year_of(first) == fy
    assert fiscal_year_of(last) == fy
    assert fiscal_year_of(first - dt.timedelta(days=1)) == fy - 1
    assert fiscal_year_of(last + dt.timedelta(days=1)) == fy + 1


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        pytest.param("66", 2566, id="two-digit"),
        pytest.param("๖๖", 2566, id="two-digit-thai"),
        pytest.param("05", 2505, id="two-digit-low"),
        pytest.param("2566", 2566, id="be"),
        pytest.param("๒๕๖๖", 2566, id="be-thai"),
        pytest.param(" 2566 ", 2566, id="be-spaces"),
        pytest.param("2023", 2566, id="ce"),
        pytest.param("1900", 2443, id="ce-lowest"),
        pytest.param("2200", 2743, id="ce-highest"),
        pytest.param("2400", 2400, id="be-lowest"),
        pytest.param("พ.ศ. 2566", 2566, id="be-with-era"),
        pytest.param("ค.ศ. 2023", 2566, id="ce-with-era"),
        pytest.param("1899", None, id="too-old"),
        pytest.param("2300", None, id="between-ce-and-be"),
        pytest.param("9999", None, id="too-big"),
        pytest.param("พ.ศ. 2023", None, id="be-era-ce-value"),
        pytest.param("ค.ศ. 2566", None, id="ce-era-be-value"),
        pytest.param("6", None, id="one-digit"),
        pytest.param("566", None, id="three-digit"),
        pytest.param("25666", None, id="five-digit"),
        pytest.param("ปี", None, id="no-digits"),
        pytest.param("", None, id="empty"),
    ],
)
def test_parse_year(token: str, expected: int | None) -> None:
    assert parse_year(token) == expected


# ---- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("๘ มีนาคม ๒๕๖๖", dt.date(2023, 3, 8), id="thai-digits"),
        pytest.param("วันที่ 5 พฤษภาคม พ.ศ. 2568", dt.date(2025, 5, 5), id="wanthi"),
        pytest.param("ณ วันที่ 30 ก.ย. 66", dt.date(2023, 9, 30), id="na-wanthi"),
        pytest.param("วันจันทร์ที่ 8 มกราคม 2567", dt.date(2024, 1, 8), id="weekday"),
        pytest.param(" 2023-03-08 ", dt.date(2023, 3, 8), id="iso-stripped"),
        pytest.param("8/3/66", dt.date(2023, 3, 8), id="numeric"),
        pytest.param("June 9, 2026", dt.date(2026, 6, 9), id="english"),
        pytest.param("ต.ค.64", None, id="month-only"),
        pytest.param("ปีงบประมาณ 2566", None, id="fiscal-year"),
        pytest.param("1 ม.ค. 66 - 31 มี.ค. 66", None, id="range"),
        pytest.param("ลงนาม 8 มีนาคม 2566", None, id="leading-words"),
        pytest.param("8 มีนาคม 2566 เวลา 10.00 น.", None, id="trailing-words"),
        pytest.param("8 มีนาคม 2566 และ 9 มีนาคม 2566", None, id="two-dates"),
        pytest.param("31 ก.พ. 66", None, id="impossible"),
        pytest.param("", None, id="empty"),
    ],
)
def test_parse_date(text: str, expected: dt.date | None) -> None:
    assert parse_date(text) == expected


def test_find_dates_returns_every_mention_in_order() -> None:
    text = "ประจำปีงบประมาณ พ.ศ. ๒๕๖๖ ข้อมูล ณ วันที่ 30 กันยายน 2566 (ต.ค.65 - ก.ย.66)"
    mentions = find_dates(text)
    assert [(m.text, m.kind, m.fiscal_year) for m in mentions] == [
        ("ประจำปีงบประมาณ พ.ศ. ๒๕๖๖", "fiscal_year", 2566),
        ("30 กันยายน 2566", "day", 2566),
        ("ต.ค.65 - ก.ย.66", "range", 2566),
    ]


def test_range_wins_over_its_parts() -> None:
    mentions = find_dates("1 ม.ค. 66 - 31 มี.ค. 66")
    assert [(m.kind, m.span) for m in mentions] == [("range", (0, 23))]


def test_fiscal_year_phrase_wins_over_bare_year() -> None:
    mentions = find_dates("ปีงบประมาณ พ.ศ. 2566")
    assert [(m.kind, m.text) for m in mentions] == [("fiscal_year", "ปีงบประมาณ พ.ศ. 2566")]


def test_spans_refer_to_the_original_string() -> None:
    # sara am composed and a zero-width space removed before the date: offsets must not shift
    text = "ท\u0e4d\u0e32\u200b 8 มี.ค. 66"
    (mention,) = find_dates(text)
    assert mention.span == (5, 15)
    assert text[5:15] == "8 มี.ค. 66"
    assert mention.text == "8 มี.ค. 66"


@pytest.mark.parametrize(
    ("prefix", "offset"),
    [
        pytest.param("ก\u0e49\u0e31น ", 5, id="tone-swapped"),
        pytest.param("น\u0e4d\u0e49\u0e32 ", 5, id="nikhahit-tone-aa"),
        pytest.param("\u200b\u200b\ufeff", 3, id="zero-width-run"),
        pytest.param("ผ\u0e39\uf70b ", 4, id="pua-glyph"),
    ],
)
def test_spans_survive_repairs_before_the_date(prefix: str, offset: int) -> None:
    text = prefix + "๓๐ ก.ย. ๖๗ ถึง ๑ ต.ค. ๖๗"
    (mention,) = find_dates(text)
    assert mention.span == (offset, len(text))
    assert mention.text == "๓๐ ก.ย. ๖๗ ถึง ๑ ต.ค. ๖๗"
    assert (mention.start, mention.end, mention.fiscal_year) == (
        dt.date(2024, 9, 30),
        dt.date(2024, 10, 1),
        2568,
    )


def test_range_of_ce_dates_is_marked_ce() -> None:
    (mention,) = find_dates("ตุลาคม 2023 - มีนาคม 2024")
    assert (mention.kind, mention.start, mention.end, mention.fiscal_year, mention.year_is_ce) == (
        "range",
        dt.date(2023, 10, 1),
        dt.date(2024, 3, 31),
        2567,
        True,
    )


def test_date_mention_is_frozen() -> None:
    mention = DateMention(
        "ปี 2566", (0, 7), "year", dt.date(2023, 1, 1), dt.date(2023, 12, 31), 2566
    )
    assert mention.year_is_ce is False
    with pytest.raises(dataclasses.FrozenInstanceError):
        mention.fiscal_year = 2567  # type: ignore[misc]


def test_public_api_is_exported() -> None:
    """thai.py is text normalisation only; the date API lives in (and is exported by) ``dates``."""
    assert sorted(thai.__all__) == sorted(
        [
            "THAI_DIGITS",
            "common_run",
            "compact",
            "normalize",
            "normalize_phrase_variants",
            "repair_with_offsets",
            "to_arabic_digits",
        ]
    )
    assert sorted(dates.__all__) == sorted(
        [
            "BE_OFFSET",
            "ENGLISH_MONTHS",
            "ERA_PATTERN",
            "SOURCE_RANK",
            "THAI_MONTHS",
            "THAI_MONTH_ABBREVIATIONS",
            "THAI_TZ",
            "DateMention",
            "DateStyle",
            "be_to_ce",
            "ce_to_be",
            "file_dates",
            "find_dates",
            "fiscal_year_bounds",
            "fiscal_year_of",
            "format_date",
            "month_name",
            "parse_date",
            "parse_http_date",
            "parse_pdf_date",
            "parse_w3c_date",
            "parse_year",
        ]
    )
    for module in (thai, dates):
        for name in module.__all__:
            assert hasattr(module, name), (module.__name__, name)
    for name in ("find_dates", "parse_date", "DateMention", "fiscal_year_of", "THAI_MONTHS", "ERA_PATTERN"):
        assert not hasattr(thai, name), f"thai.{name} is a date name: it belongs to oit_checker.dates"


def test_month_labels_come_from_one_calendar() -> None:
    """The deadline and the period name months with the one ``dates.calendar`` (the same objects,
    no copy of a month table), each in its own style."""
    assert deadline.format_date is thai_calendar.format_date
    assert monthly.format_date is thai_calendar.format_date
    assert monthly.month_name is thai_calendar.month_name
    assert dates.THAI_MONTHS is thai_calendar.THAI_MONTHS
    assert monthly.THAI_MONTHS is thai_calendar.THAI_MONTHS
    assert monthly.THAI_MONTH_ABBREVIATIONS is thai_calendar.THAI_MONTH_ABBREVIATIONS
    own = [id(value) for value in vars(thai_calendar).values()]
    for module in (deadline, period, monthly):
        for name, value in vars(module).items():
            if not isinstance(value, (tuple, list, dict)) or id(value) in own:
                continue
            labels = {str(v) for v in (*value, *(value.values() if isinstance(value, dict) else ()))}
            assert not labels & {"มีนาคม", "มี.ค.", "Mar"}, f"{module.__name__}.{name} copies a month table"
    day = dt.date(2025, 3, 31)
    assert deadline.format_date(day, "th") == "31 มี.ค. 2568"
    assert deadline.format_date(day, "en") == "31 Mar 2025"
    assert thai_calendar.format_date(day, "th", "month") == "มีนาคม 2568"
    assert thai_calendar.format_date(day, "en", "month") == "Mar 2025 (B.E. 2568)"
    assert [thai_calendar.month_name(m, "th", "month") for m in (2, 7)] == ["กุมภาพันธ์", "กรกฎาคม"]
    assert [thai_calendar.month_name(m, "en") for m in (5, 9)] == ["May", "Sep"]
