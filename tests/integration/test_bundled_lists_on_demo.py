"""Every bundled checklist audits the demo site without error (issue 14): each item ends with a
status, no check raises (``internal_error``), and the reports render. The demo's pages are given to
each list's codes in turn: what matters is that every list's items, periods and elements run."""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import cycle
from pathlib import Path

import pytest

from oit_checker.audit import run_audit
from oit_checker.checklist import bundled_ids, load_checklist
from oit_checker.config import parse_config_text
from oit_checker.demo import SiteServer, start_demo_server
from oit_checker.models import AuditResult, Status
from oit_checker.report.console import ConsoleReporter
from oit_checker.report.json import JsonReporter

DEMO_PAGES = ("ita/o3-tis620.html", "ita/docs/o24-procurement-report-2566.pdf", "ita/o28-hr-report-2566.html",
              "ita/o35-integrity.html", "ita/docs/o23-procurement-monthly-2567.xlsx", "ita/o2-executives.html",
              "ita/o41-anticorruption-report.html", "ita/o27-hr-criteria.html")
"""Demo pages of every kind (HTML, TIS-620, PDF, XLSX, a 404, a page linking evidence)."""


@pytest.fixture(scope="module")
def demo_site() -> Iterator[SiteServer]:
    with start_demo_server() as server:
        yield server


def config_text(base: str, items: str, audit: str = "") -> str:
    """A config for the demo site without a browser or evidence; ``audit``: an ``[audit]`` table."""
    return f"""
[agency]
name = "กรมตัวอย่าง"
homepage = "{base}/"
domains = ["127.0.0.1"]
{audit}
[http]
per_host_interval = 0
retries = 0
[browser]
mode = "never"
[evidence]
enabled = false
{items}
"""


def audit_with(checklist_id: str, base: str) -> AuditResult:
    checklist = load_checklist(checklist_id)
    pages = cycle(DEMO_PAGES)
    items = "\n".join(f'[items."{item.code}"]\nurls = ["{base}/{next(pages)}"]' for item in checklist.items)
    loaded = parse_config_text(config_text(base, items, f'[audit]\nchecklist = "{checklist_id}"'), "config.toml", Path("."))
    with ThreadPoolExecutor(max_workers=1) as pool:  # run_audit runs its own event loop
        return pool.submit(run_audit, loaded).result()


@pytest.mark.parametrize("checklist_id", bundled_ids())
def test_each_bundled_list_audits_the_demo_site(demo_site: SiteServer, checklist_id: str) -> None:
    result = audit_with(checklist_id, demo_site.base_url.rstrip("/"))
    checklist = load_checklist(checklist_id)
    assert [i.code for i in result.items] == checklist.codes
    assert result.complete and result.checklist_choice["id"] == checklist_id
    reasons = {f.reason for i in result.items for u in i.urls for f in u.findings} | \
              {f.reason for i in result.items for f in i.findings}
    assert "internal_error" not in reasons
    assert {i.status for i in result.items} & {Status.PASS, Status.FAIL}  # verdicts, not only "could not check"
    report = json.loads(JsonReporter("th").render(result))
    assert report["summary"]["total"] == len(checklist.items)
    assert checklist_id in ConsoleReporter("th", color=False).render(result)


def test_an_audit_without_a_checklist_names_the_list_it_chose(demo_site: SiteServer, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    from oit_checker.checklist_choice import newest_general
    from oit_checker.cli import main

    base = demo_site.base_url.rstrip("/")
    newest = newest_general()
    config = tmp_path / "config.toml"
    config.write_text(config_text(base, f'[items.{newest.items[0].code}]\nurls = ["{base}/ita/o3-tis620.html"]'),
                      encoding="utf-8")
    report = tmp_path / "report.json"
    main(["audit", "-c", str(config), "--no-store", "--format", "json", "-o", str(report)])
    choice = json.loads(report.read_text(encoding="utf-8"))["run"]["checklist_choice"]
    assert (choice["id"], choice["why"]) == (newest.id, "newest_general") and choice["notes"]
    capsys.readouterr()
    main(["audit", "-c", str(config), "--no-store", "--lang", "en"])
    out = capsys.readouterr().out
    assert newest.id in out and str(choice["current_assessment_year"]) in out
