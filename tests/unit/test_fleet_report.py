"""Fleet reports (``oit_checker.report.fleet``) over a ``FleetView`` built from real audits of the
fixture agencies (``tests/fleet_sites.py``): order, exit codes, the JSON contract, CSV, HTML, the
console grid, several checklists, output planning and the owner's summary."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fleet_sites import FleetSites, SiteAgency, config_text
from rich.console import Console

from oit_checker.audit import run_audit
from oit_checker.config import parse_config_text
from oit_checker.errors import OutputError
from oit_checker.exit_codes import ExitCode
from oit_checker.fleet.view import (
    AgencyMeta,
    AgencyState,
    AgencyView,
    ChecklistColumns,
    FleetRunMeta,
    FleetView,
    fleet_exit_code,
    fleet_view_from_results,
)
from oit_checker.models import AuditResult, Status
from oit_checker.notify.fleet_message import fleet_notice
from oit_checker.report.console import ICONS
from oit_checker.report.fleet import (
    CSV_HEAD,
    MAX_CONSOLE_COLUMNS,
    SCHEMA,
    FleetFormat,
    as_dict,
    render_console,
    render_csv,
    render_html,
)
from oit_checker.report.html import HtmlReporter
from oit_checker.report.itas import BOM
from oit_checker.report.outputs import FleetOutput, emit_fleet, plan_fleet_outputs

HOSTILE = '<script>alert("x")</script> & อบต.'
RUN = FleetRunMeta("20261203T010000Z-fleet-ab12cd", "สำนักงานทดสอบ <b>", mode="embedded",
                   started_at=dt.datetime(2026, 12, 3, 1, 0, tzinfo=dt.UTC),
                   finished_at=dt.datetime(2026, 12, 3, 1, 20, tzinfo=dt.UTC), tool_version="9.9", complete=False)


Audited = tuple[list[SiteAgency], list[AuditResult], list[SiteAgency], list[AuditResult]]
Row = tuple[AgencyMeta, AuditResult | None, AgencyState | str | None, str | None]


def audit(agency: SiteAgency, checklist: str) -> AuditResult:
    loaded = parse_config_text(config_text(agency, checklist), f"{agency.id}.toml", Path("."))
    with ThreadPoolExecutor(max_workers=1) as pool:  # run_audit runs its own event loop
        return pool.submit(run_audit, loaded).result()


@pytest.fixture(scope="module")
def audited() -> Iterator[Audited]:
    with FleetSites(6, slow_latency=0.2) as sites, FleetSites(2, checklist="ita-2567") as old:
        yield (sites.agencies, [audit(a, "ita-2569") for a in sites.agencies],
               old.agencies, [audit(a, "ita-2567") for a in old.agencies])


def meta(agency: SiteAgency, name: str | None = None, checklist: str = "ita-2569") -> AgencyMeta:
    return AgencyMeta(agency.id, agency.name if name is None else name, agency.homepage, checklist)


@pytest.fixture(scope="module")
def fleet(audited: Audited) -> FleetView:
    agencies, results, _, _ = audited
    rows: list[Row] = [(meta(a, HOSTILE if n == 0 else None), r, None, None)
                  for n, (a, r) in enumerate(zip(agencies, results, strict=True))]
    rows.append((AgencyMeta("lost-1", "อบต.หาย", "http://lost.test/", "ita-2569", attempts=3), None,
                 "failed", "worker lost 3 times"))
    rows.append((AgencyMeta("later-1", "อบต.รอ", "http://later.test/", "ita-2569"), None, None, None))
    return fleet_view_from_results(RUN, rows)


@pytest.fixture(scope="module")
def mixed(audited: Audited) -> FleetView:
    agencies, results, old_agencies, old_results = audited
    rows: list[Row] = [(meta(a), r, None, None) for a, r in zip(agencies[:3], results[:3], strict=True)]
    rows += [(meta(a, checklist="ita-2567"), r, None, None) for a, r in zip(old_agencies, old_results, strict=True)]
    return fleet_view_from_results(RUN, rows)


def by_id(view: FleetView, agency_id: str) -> AgencyView:
    return next(a for a in view.agencies if a.id == agency_id)


def test_view_holds_the_audited_verdicts(audited: Audited, fleet: FleetView) -> None:
    agencies, results, _, _ = audited
    missing = next(a for a in agencies if a.outcome == "missing")
    row = by_id(fleet, missing.id)
    assert row.state is AgencyState.COMPLETE and row.exit_code == ExitCode.FAILED
    assert row.items[missing.affected].status is Status.FAIL and row.items[missing.affected].reason == "http_404"
    assert row.items[missing.affected].url == missing.items[missing.affected][0]
    assert row.counts == results[agencies.index(missing)].counts()
    assert by_id(fleet, "lost-1").state is AgencyState.FAILED and by_id(fleet, "lost-1").items == {}
    assert by_id(fleet, "later-1").state is AgencyState.PENDING
    assert [c.id for c in fleet.checklists] == ["ita-2569"]
    assert fleet.checklists[0].codes == tuple(i.code for i in results[0].items)


def test_sorted_by_most_failing(audited: Audited, fleet: FleetView) -> None:
    agencies, _, _, _ = audited
    order = [a.id for a in agencies] + ["lost-1", "later-1"]
    expected = sorted(fleet.agencies, key=lambda a: (-a.counts[Status.FAIL], -a.counts[Status.UNVERIFIED],
                                                      -a.counts[Status.WARN], a.state != "complete",
                                                      order.index(a.id)))
    assert [a.id for a in fleet.agencies] == [a.id for a in expected]
    assert fleet.agencies[0].id == next(a.id for a in agencies if a.outcome == "missing")
    dead = next(a.id for a in agencies if a.outcome == "dead")
    assert fleet.agencies[1].id == dead and fleet.agencies[1].counts[Status.UNVERIFIED] > 0
    assert [a.id for a in fleet.agencies[-2:]] == ["lost-1", "later-1"]  # no items: after every audited agency


def row(state: str, **counts: int) -> AgencyView:
    full = {s: counts.get(s.value, 0) for s in Status}
    return AgencyView(f"a-{state}-{sorted(counts.items())}", "n", "h", "c", AgencyState(state), 0, counts=full)


@pytest.mark.parametrize(("rows", "fail_on", "code"), [
    ([row("complete", **{"pass": 3})], "fail", ExitCode.OK),
    ([row("complete", **{"pass": 2, "warn": 1})], "fail", ExitCode.OK),
    ([row("complete", **{"pass": 2, "warn": 1})], "warn", ExitCode.FAILED),
    ([row("complete", unverified=1)], "fail", ExitCode.UNVERIFIED),
    ([row("complete", unverified=1), row("pending")], "fail", ExitCode.INCOMPLETE),
    ([row("complete", **{"pass": 1}), row("interrupted")], "fail", ExitCode.INCOMPLETE),
    ([row("complete", **{"pass": 1}), row("failed")], "fail", ExitCode.INCOMPLETE),
    ([row("incomplete", unverified=3)], "fail", ExitCode.INCOMPLETE),
    ([row("complete", fail=1), row("failed"), row("complete", unverified=2)], "fail", ExitCode.FAILED),
    ([row("incomplete", fail=1)], "fail", ExitCode.FAILED),
])
def test_fleet_exit_code(rows: list[AgencyView], fail_on: str, code: ExitCode) -> None:
    assert fleet_exit_code(FleetView(RUN, (), tuple(rows)), fail_on) == code


def test_json_contract(audited: Audited, fleet: FleetView) -> None:
    agencies, results, _, _ = audited
    data = json.loads(json.dumps(as_dict(fleet)))
    assert data["schema"] == SCHEMA == "oit-checker/fleet/v1"
    assert list(data) == ["schema", "run", "summary", "checklists", "agencies"]
    assert data["run"] == {"id": RUN.id, "name": RUN.name, "mode": "embedded", "trigger": "fleet",
                           "started_at": "2026-12-03T01:00:00+00:00", "finished_at": "2026-12-03T01:20:00+00:00",
                           "tool_version": "9.9", "complete": False}
    summary = data["summary"]
    assert summary["agencies"] == len(agencies) + 2
    assert summary["by_state"]["failed"] == 1 and summary["by_state"]["pending"] == 1
    assert sum(summary["by_state"].values()) == summary["agencies"]
    for status in Status:
        assert summary["items_by_status"][status.value] == sum(r.counts()[status] for r in results)
    assert list(summary["agencies_by_worst"]) == ["fail", "unverified", "warn", "pass"]
    assert sum(summary["agencies_by_worst"].values()) == len(agencies)
    assert summary["exit_code"] == 1
    assert data["checklists"][0]["id"] == "ita-2569"
    assert data["checklists"][0]["items"][0] == {"code": results[0].items[0].code, "name_th": results[0].items[0].name_th}
    first = data["agencies"][0]
    assert set(first) == {"id", "name", "homepage", "checklist_id", "state", "run_id", "attempts", "exit_code",
                          "counts", "reports", "error", "items"}
    missing = next(a for a in agencies if a.outcome == "missing")
    assert first["id"] == missing.id and first["exit_code"] == 1 and first["counts"]["fail"] == 1
    assert first["run_id"] == results[agencies.index(missing)].run_id
    assert first["items"][missing.affected] == {"status": "fail", "reason": "http_404",
                                                "url": missing.items[missing.affected][0], "proposed": False}
    lost = next(a for a in data["agencies"] if a["id"] == "lost-1")
    assert (lost["state"], lost["attempts"], lost["error"], lost["exit_code"], lost["items"]) == \
        ("failed", 3, "worker lost 3 times", None, {})


def test_csv_rows_and_bom(audited: Audited, fleet: FleetView) -> None:
    agencies, _, _, _ = audited
    text = render_csv(fleet)
    assert text.startswith(BOM) and "\r\n" in text
    rows = list(csv.reader(io.StringIO(text[len(BOM):])))
    codes = list(fleet.checklists[0].codes)
    assert rows[0] == [*CSV_HEAD, *codes]
    assert [r[0] for r in rows[1:]] == [a.id for a in fleet.agencies]
    missing = next(a for a in agencies if a.outcome == "missing")
    line = dict(zip(rows[0], rows[1], strict=True))
    assert (line["agency_id"], line["state"], line["n_fail"], line[missing.affected]) == (missing.id, "complete", "1", "fail")
    pending = dict(zip(rows[0], rows[-1], strict=True))
    assert pending["state"] == "pending" and all(pending[c] == "" for c in codes)


class Links(HTMLParser):
    """Collects the links of the grid cells and the page's scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[tuple[str, str]] = []
        self.scripts = 0
        self._status: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag in ("td", "th"):
            self._status = a.get("data-status") if "cell" in (a.get("class") or "").split() else None
        if tag == "a" and self._status is not None:
            self.cells.append((self._status, a["href"] or ""))
            self._status = None


def test_html_escapes_and_links_every_cell(audited: Audited, fleet: FleetView) -> None:
    agencies, results, _, _ = audited
    page = render_html(fleet, "th")
    assert "<script>" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; อบต." in page
    assert "สำนักงานทดสอบ &lt;b&gt;" in page
    assert 'http-equiv="Content-Security-Policy" content="default-src \'none\'' in page
    parser = Links()
    parser.feed(page)
    assert parser.scripts == 0
    audited_cells = sum(len(r.items) for r in results)
    assert len(parser.cells) == audited_cells
    missing = next(a for a in agencies if a.outcome == "missing")
    assert ("fail", f"agencies/{missing.id}.html#item-{missing.affected}") in parser.cells
    assert page.count('data-status="none"') == 2 * len(fleet.checklists[0].codes)  # lost-1 and later-1
    agency_page = HtmlReporter("th").render(results[agencies.index(missing)])  # the targets exist
    for status, href in parser.cells:
        if href.startswith(f"agencies/{missing.id}.html#"):
            assert f'id="{href.split("#")[1]}"' in agency_page


def test_html_worst_agencies_listed_in_order(fleet: FleetView) -> None:
    page = render_html(fleet, "en")
    worst = page.split('<ol class="worst">')[1].split("</ol>")[0]
    ids = [chunk.split('"')[0] for chunk in worst.split('data-agency="')[1:]]
    assert ids == [a.id for a in fleet.worst(10)] and ids[0] == fleet.agencies[0].id and "lost-1" in ids


def test_console_glyphs(fleet: FleetView) -> None:
    text = render_console(fleet, "th", width=260)
    totals = fleet.items_by_status()
    no_url = sum(c.no_url for a in fleet.agencies for c in a.items.values())
    rows = len(fleet.agencies)  # every row has its counts column (one icon per status) and the legend one more
    assert text.count(ICONS[Status.PASS]) == rows + totals[Status.PASS] + 1
    assert text.count(ICONS[Status.FAIL]) == rows + totals[Status.FAIL] - no_url + 1
    assert text.count(ICONS[Status.UNVERIFIED]) == rows + totals[Status.UNVERIFIED] + 1
    assert text.count("—") == 2 * len(fleet.checklists[0].codes) + 1  # the two agencies without a result
    assert all(a.id in text for a in fleet.agencies) and "<script>" in text  # plain text, shown as it is


def test_console_counts_only_when_too_wide(fleet: FleetView) -> None:
    codes = tuple((f"X{n}", f"ข้อ {n}", "") for n in range(MAX_CONSOLE_COLUMNS + 5))
    wide = FleetView(RUN, (ChecklistColumns("ita-2569", "", codes),), fleet.agencies)
    text = render_console(wide, "en", width=200)
    assert text.count(ICONS[Status.PASS]) == len(fleet.agencies) + 1  # counts and legend only
    assert "X3 " not in text
    narrow = render_console(fleet, "en", width=100)  # 23 items do not fit in 100 columns
    assert narrow.count(ICONS[Status.PASS]) == len(fleet.agencies) + 1


def test_several_checklists_several_grids(mixed: FleetView) -> None:
    assert [c.id for c in mixed.checklists] == ["ita-2569", "ita-2567"]
    grids = mixed.grids()
    assert [len(agencies) for _, agencies in grids] == [3, 2]
    assert all(a.checklist_id == c.id for c, agencies in grids for a in agencies)
    page = render_html(mixed, "th")
    assert page.count('<section class="group" data-checklist=') == 2
    parser = Links()
    parser.feed(page)
    assert len(parser.cells) == sum(len(a.items) for a in mixed.agencies)  # no cell for a code of the other year
    header = next(csv.reader(io.StringIO(render_csv(mixed)[1:])))
    assert set(header[len(CSV_HEAD):]) == set(mixed.checklists[0].codes) | set(mixed.checklists[1].codes)
    text = render_console(mixed, "en", width=260)
    assert text.count("ita-2567") >= 1 and text.count("ita-2569") >= 1


def test_owner_notice(fleet: FleetView) -> None:
    first = fleet.agencies[0]
    notice = fleet_notice(fleet, newly_failing=[first.id], index_path="/srv/fleet/run/index.html", lang="th")
    worst = fleet.agencies_by_worst()
    assert notice.by_worst == worst and notice.exit_code == 1
    assert RUN.name in notice.subject() and str(worst[Status.FAIL]) in notice.subject()
    assert str(len(fleet.agencies)) in notice.subject()
    payload = notice.payload()
    assert [a["id"] for a in payload["worst"]] == [a.id for a in fleet.worst(10)]
    assert [a["id"] for a in payload["failed_runs"]] == ["lost-1"]
    assert [a["id"] for a in payload["newly_failing"]] == [first.id]
    assert payload["worst"][0]["counts"]["fail"] == first.counts[Status.FAIL]
    body = notice.text()
    assert all(a.id in body for a in fleet.worst(10)) and "/srv/fleet/run/index.html" in body
    assert "worker lost 3 times" in body
    assert notice.event_names == ("fleet_summary", f"{first.id}:newly_failing", "lost-1:run_failed")


def test_plan_fleet_outputs(tmp_path: Path) -> None:
    plan = plan_fleet_outputs(["html"], [str(tmp_path / "i.html"), str(tmp_path / "g.csv"), str(tmp_path / "f.json")])
    assert [o.format for o in plan] == [FleetFormat.HTML, FleetFormat.CSV, FleetFormat.JSON]
    assert plan_fleet_outputs(None, None) == [FleetOutput(FleetFormat.CONSOLE)]
    assert plan_fleet_outputs(["json"], ["-"]) == [FleetOutput(FleetFormat.JSON)]
    with pytest.raises(OutputError):
        plan_fleet_outputs(["json", "csv"], None)
    with pytest.raises(OutputError):
        plan_fleet_outputs(None, [str(tmp_path / "a.csv"), str(tmp_path / "a.csv")])


def test_emit_writes_files(fleet: FleetView, tmp_path: Path) -> None:
    out = tmp_path / "run"
    plan = plan_fleet_outputs(None, [str(out / "index.html"), str(out / "grid.csv"), str(out / "fleet.json")])
    err = Console(file=io.StringIO())
    emit_fleet(plan, fleet, lang="th", fail_on="fail", quiet=False, stdout=Console(file=io.StringIO()), stderr=err)
    assert sorted(p.name for p in out.iterdir()) == ["fleet.json", "grid.csv", "index.html"]  # no temporary left
    assert (out / "grid.csv").read_bytes().startswith(BOM.encode("utf-8"))
    assert json.loads((out / "fleet.json").read_text("utf-8"))["summary"]["exit_code"] == 1
    assert (out / "index.html").read_text("utf-8").startswith("<!DOCTYPE html>")


def test_columns_from_checklists_and_proposed_urls(audited: Audited) -> None:
    from oit_checker.checklist import load_checklist
    from oit_checker.fleet.view import Cell
    from oit_checker.report.fleet import NO_URL, glyph

    agencies, results, _, _ = audited
    first = agencies[0]
    proposed = AgencyMeta(first.id, first.name, first.homepage, "ita-2569", proposed=frozenset({"O1"}))
    checklist = load_checklist("ita-2569")
    view = fleet_view_from_results(RUN, [(proposed, results[0], None, None),
                                         (AgencyMeta("p", "p", "http://p.test/", "ita-2569"), None, None, None)],
                                   checklists=[checklist, load_checklist("ita-2567")])
    assert [c.id for c in view.checklists] == ["ita-2569"]  # a checklist no agency uses gets no grid
    assert view.checklists[0].codes == tuple(i.code for i in checklist.items)
    assert view.agencies[0].items["O1"].proposed and not view.agencies[0].items["O3"].proposed
    assert as_dict(view)["agencies"][0]["items"]["O1"]["proposed"] is True
    assert 'class="cell st-pass proposed"' in render_html(view)
    assert glyph(Cell(Status.FAIL, "no_url_given")) == NO_URL and glyph(None) == "—"
    assert glyph(Cell(Status.WARN, "no_date_found")) == ICONS[Status.WARN]
