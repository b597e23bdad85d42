"""Golden files: the Markdown, JUnit and ITAS-CSV reports of the demo audit, in Thai and English.

What changes from run to run (the port, run id, times, durations) is normalised before comparing,
and links to hosts outside 127.0.0.1 are left out (their outcome depends on the machine's network).
When a report changes on purpose, regenerate the files and review the diff::

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/integration/test_report_goldens.py
    git diff tests/data/golden/
"""

from __future__ import annotations

import csv
import io
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import xmlschema
from report_helpers import normalise, stable
from shared_demo import DemoRun

from oit_checker.models import AuditResult
from oit_checker.report.itas import BOM, ItasCsvReporter
from oit_checker.report.junit import JunitReporter
from oit_checker.report.markdown import MarkdownReporter

DATA = Path(__file__).resolve().parents[1] / "data"
GOLDEN = DATA / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
RENDER = {
    "md": lambda lang: MarkdownReporter(lang),
    "junit.xml": lambda lang: JunitReporter(lang),
    "itas.csv": lambda lang: ItasCsvReporter(lang),
}


@pytest.fixture(scope="module")
def demo(demo_run: DemoRun) -> AuditResult:
    """The session's one demo audit (tests/shared_demo.py), rendered here in every format and language."""
    return demo_run.result


def golden(name: str, text: str) -> str:
    """The stored golden text (written first when ``UPDATE_GOLDEN=1``); bytes kept exactly (BOM, CRLF)."""
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
    assert path.is_file(), f"{path} is missing: run UPDATE_GOLDEN=1 .venv/bin/pytest {__file__}"
    with path.open(encoding="utf-8", newline="") as file:
        return file.read()


@pytest.mark.parametrize("lang", ["th", "en"])
@pytest.mark.parametrize("kind", list(RENDER))
def test_demo_report_matches_golden(demo: AuditResult, kind: str, lang: str) -> None:
    text = normalise(RENDER[kind](lang).render(stable(demo)), demo)
    assert "127.0.0.1:PORT" in text
    assert text == golden(f"demo-{lang}.{kind}", text)


@pytest.mark.parametrize("lang", ["th", "en"])
def test_demo_junit_is_valid_and_counts_match(demo: AuditResult, lang: str) -> None:
    text = JunitReporter(lang).render(demo)
    xmlschema.XMLSchema(str(DATA / "junit-10.xsd")).validate(text)
    root = ET.fromstring(text)  # noqa: S314 - our own output
    counts = {s.value: n for s, n in demo.counts().items()}
    assert root.get("tests") == str(len(demo.items)) and root.get("failures") == str(counts["fail"])
    assert sum(int(s.get("skipped") or 0) for s in root.iter("testsuite")) == counts["unverified"] >= 1
    reasons = {c.get("classname"): (c.find("failure"), c.find("skipped")) for c in root.iter("testcase")}
    assert reasons["ita-2567.O27"][0].get("type") == "http_404"
    assert reasons["ita-2567.O41"][0].get("type") == "stale_fiscal_year"
    assert reasons["ita-2567.O37"][1].get("type") == "bot_wall"
    assert reasons["ita-2567.O9"] == (None, None)  # warn passes unless --fail-on warn


def test_demo_itas_csv_opens_as_a_sheet(demo: AuditResult) -> None:
    text = ItasCsvReporter("th").render(demo)
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")
    rows = {row[0]: row for row in csv.reader(io.StringIO(text.removeprefix(BOM)))}
    assert len(rows) == len(demo.items) + 1
    by_code = {i.code: i for i in demo.items}
    for code, item in by_code.items():
        assert rows[code][2] == (item.passing_url or item.urls[0].url)
    assert "ข้อมูลอยู่ในไฟล์ PDF “รายงานผลการจัดซื้อจัดจ้าง" in rows["O24"][3]
    assert "เป็นข้อมูลปีงบประมาณ พ.ศ. 2566" in rows["O24"][3]
    assert "ข้อมูลอยู่ใน" not in rows["O27"][3] and rows["O27"][4] == "ไม่ผ่าน"
