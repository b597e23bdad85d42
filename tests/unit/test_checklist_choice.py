"""Which checklist an audit uses, and why (issue 14 point 2): the newest general list when none is
set, said in every report, with the round being assessed today and what the list leaves out."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from oit_checker.checklist import bundled_ids, load_checklist
from oit_checker.checklist_choice import assessment_year_on, describe
from oit_checker.config import parse_config_text
from oit_checker.models import AuditResult
from oit_checker.report.console import ConsoleReporter
from oit_checker.report.html import HtmlReporter
from oit_checker.report.json import JsonReporter
from oit_checker.report.markdown import MarkdownReporter

CONFIG = """
[agency]
name = "วิทยาลัยทดสอบ"
homepage = "https://www.college.ac.th/"
{audit}
"""


@pytest.mark.parametrize(("day", "year"), [
    (dt.date(2026, 9, 30), 2569), (dt.date(2026, 10, 1), 2570), (dt.date(2026, 12, 3), 2570), (dt.date(2025, 1, 1), 2568),
])
def test_the_round_assessed_on_a_day_is_its_fiscal_year(day: dt.date, year: int) -> None:
    assert assessment_year_on(day) == year


def test_without_a_checklist_the_newest_general_list_is_chosen_and_said() -> None:
    loaded = parse_config_text(CONFIG.format(audit=""), "config.toml", Path("."))
    general = [load_checklist(i) for i in bundled_ids() if load_checklist(i).kind == "general"]
    newest = max(general, key=lambda c: c.assessment_year)
    assert (loaded.checklist.id, loaded.choice.why) == (newest.id, "newest_general")
    assert loaded.checklist.kind == "general"


def test_a_configured_list_is_kept_and_its_year_compared_with_today() -> None:
    loaded = parse_config_text(CONFIG.format(audit='[audit]\nchecklist = "ita-2565"'), "config.toml", Path("."))
    assert (loaded.checklist.id, loaded.choice.why) == ("ita-2565", "configured")
    assert describe(loaded.checklist, "configured", dt.date(2022, 1, 5)).other_year is False
    late = describe(loaded.checklist, "configured", dt.date(2026, 12, 3))
    assert (late.other_year, late.current_year) == (True, 2570)


def result_with(choice: dict[str, object]) -> AuditResult:
    now = dt.datetime(2026, 12, 3, 2, 0, tzinfo=dt.UTC)
    return AuditResult(run_id="r", started_at=now, finished_at=now, tool_version="0", checklist_id=str(choice["id"]),
                       checklist_title="t", assessment_year=int(str(choice["assessment_year"])), agency_name="a",
                       homepage="https://www.college.ac.th/", items=(), checklist_choice=choice)


def test_every_report_names_the_list_why_and_the_other_year() -> None:
    choice = describe(load_checklist("ita-2567"), "newest_general", dt.date(2026, 12, 3))
    result = result_with(choice.to_dict())
    data = json.loads(JsonReporter("en").render(result))["run"]["checklist_choice"]
    assert (data["id"], data["why"], data["current_assessment_year"], data["other_year"]) == \
        ("ita-2567", "newest_general", 2570, True)
    assert data["partial"] is True and "O9" in data["unverified_items"] and len(data["notes"]) == 4
    for reporter in (ConsoleReporter("en", color=False, width=200), HtmlReporter("en"), MarkdownReporter("en")):
        text = reporter.render(result)
        assert "2570" in text and text.count("ita-2567") >= 3, type(reporter)  # header, default, other year, partial
    thai = ConsoleReporter("th", color=False, width=200).render(result)
    assert "2570" in thai and "ita-2567" in thai


def test_a_current_configured_list_adds_no_notes() -> None:
    current = dataclasses.replace(describe(load_checklist("ita-2565"), "configured", dt.date(2022, 1, 5)), unverified=())
    data = json.loads(JsonReporter("en").render(result_with(current.to_dict())))["run"]["checklist_choice"]
    assert data["notes"] == []
