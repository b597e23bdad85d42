"""The fixture fleet (``tests/fleet_sites.py``) that the fleet tests and the bench audit: distinct
hosts, injected latency, per-host counters, a fleet file, and real audits giving the planned outcomes."""

from __future__ import annotations

import json
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fleet_sites import STATS_PATH, FleetSites, SiteAgency, config_text, fetch_stats, outcome_of

from oit_checker.audit import run_audit
from oit_checker.config import parse_config_text
from oit_checker.models import AuditResult, Status


@pytest.fixture(scope="module")
def sites() -> Iterator[FleetSites]:
    with FleetSites(30, slow_latency=1.0) as served:
        yield served


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310 - loopback only
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def audit(agency: SiteAgency, checklist: str) -> AuditResult:
    loaded = parse_config_text(config_text(agency, checklist), f"{agency.id}.toml", Path("."))
    with ThreadPoolExecutor(max_workers=1) as pool:  # run_audit runs its own event loop
        return pool.submit(run_audit, loaded).result()


def reasons(result: AuditResult, code: str) -> set[str]:
    item = next(i for i in result.items if i.code == code)
    return {f.reason for u in item.urls for f in u.findings if f.status != Status.PASS}


def of(sites: FleetSites, outcome: str) -> SiteAgency:
    return next(a for a in sites.agencies if a.outcome == outcome)


def test_thirty_agencies_on_distinct_hosts(sites: FleetSites) -> None:
    hosts = {a.host for a in sites.agencies}
    assert len(sites.agencies) == len(hosts) == 30
    assert all(a.homepage == f"http://{a.host}:{sites.port}/" and a.domains == (a.host,) for a in sites.agencies)
    assert {a.outcome for a in sites.agencies} == {"pass", "dead", "slow", "missing", "stale", "undated"}
    assert sum(a.outcome == "pass" for a in sites.agencies) > 10
    sites.reset_counters()
    for agency in sites.agencies[:4]:
        status, body = get(agency.homepage)
        assert status == (503 if agency.outcome == "dead" else 200)
        if status == 200:
            assert agency.name.encode() in body and b'href="/ita/"' in body
    assert sites.stats()["requests"] == {a.host: 1 for a in sites.agencies[:4]}


def test_every_item_url_answers_as_planned(sites: FleetSites) -> None:
    codes = {i.code for i in sites.checklist.items}
    for agency in sites.agencies[:10]:
        assert set(agency.items) == codes
        if agency.outcome == "slow":  # its pages are those of a passing agency, only later
            started = time.monotonic()
            assert get(agency.homepage)[0] == 200
            assert time.monotonic() - started >= 1.0
            continue
        for code, urls in agency.items.items():
            status, body = get(urls[0])
            broken = agency.outcome == "missing" and code == agency.affected
            expected = 503 if agency.outcome == "dead" else 404 if broken else 200
            assert status == expected, (agency.id, code)
            if status == 200 and urls[0].endswith(".pdf"):
                assert body.startswith(b"%PDF")


def test_latency_and_peak_per_host() -> None:
    with FleetSites(3, latency=0.3) as sites:
        first = sites.agencies[0]
        started = time.monotonic()
        assert get(first.homepage)[0] == 200
        assert time.monotonic() - started >= 0.3
        sites.reset_counters()
        with ThreadPoolExecutor(max_workers=4) as pool:
            statuses = list(pool.map(get, [first.homepage] * 4))
        assert [s for s, _ in statuses] == [200] * 4
        assert sites.stats() == {"requests": {first.host: 4}, "peak": {first.host: 4}}
        remote = fetch_stats(sites.agencies[2].homepage)  # the counters of a server in another process
        assert remote == sites.stats()
        assert json.loads(get(first.homepage.rstrip("/") + STATS_PATH)[1])["peak"][first.host] == 4


def test_fleet_file_lists_the_served_agencies(sites: FleetSites, tmp_path: Path) -> None:
    path = sites.write_fleet(tmp_path / "fleet.toml", extra={"storage": {"path": "h.sqlite3"}})
    data = tomllib.loads(path.read_text("utf-8"))
    assert data["fleet"]["checklist"] == "ita-2569"
    assert data["storage"] == {"path": "h.sqlite3"}
    assert data["defaults"]["browser"] == {"mode": "never"}
    assert [a["id"] for a in data["agencies"]] == [a.id for a in sites.agencies]
    second = data["agencies"][1]
    agency = sites.agencies[1]
    assert (second["name"], second["homepage"], second["domains"]) == (agency.name, agency.homepage, [agency.host])
    assert {code: item["urls"] for code, item in second["items"].items()} == agency.items


def test_outcome_plan() -> None:
    assert [outcome_of(n) for n in (1, 2, 3, 5, 7, 9, 35, 63)] == [
        "pass", "dead", "slow", "missing", "stale", "undated", "missing", "stale"]


def test_passing_agency_passes(sites: FleetSites) -> None:
    result = audit(of(sites, "pass"), sites.checklist.id)
    statuses = [i.status for i in result.items]
    assert result.complete and len(statuses) == len(sites.checklist.items)
    assert Status.FAIL not in statuses
    assert statuses.count(Status.PASS) >= len(statuses) - 1


def test_failing_agencies_fail_as_planned(sites: FleetSites) -> None:
    missing, stale, undated = of(sites, "missing"), of(sites, "stale"), of(sites, "undated")
    assert reasons(audit(missing, "ita-2569"), missing.affected) == {"http_404"}
    assert reasons(audit(stale, "ita-2569"), stale.affected) == {"stale_fiscal_year"}
    result = audit(undated, "ita-2569")
    assert reasons(result, undated.affected) == {"no_date_found"}
    assert next(i for i in result.items if i.code == undated.affected).status == Status.WARN
    dead = audit(of(sites, "dead"), "ita-2569")
    assert {i.status for i in dead.items} == {Status.UNVERIFIED}
    assert all("server_error" in reasons(dead, i.code) for i in dead.items)
