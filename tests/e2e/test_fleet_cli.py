"""``oit-checker fleet run|status`` as real processes on the fixture fleet (``tests/fleet_sites.py``:
agency 2 dead, 3 slow, 5 one item missing, 7 one item stale), with a SQLite history per fleet file.

Assertions are on exit codes, states, statuses and the store's rows: the grid has every agency, the
fleet exits with its worst status, ``--resume`` after a SIGKILL finishes the rest without redoing
(or recording twice) an agency finished before the kill.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fleet_sites import FleetSites

from oit_checker.fleet.task import run_agency
from oit_checker.messages import ui
from oit_checker.store.fleet import DONE, RUNNING, FleetStore

COUNT = 8
IDS = [f"agency-{n:04d}" for n in range(1, COUNT + 1)]
RECORDED = ("complete", "incomplete")


def cli(*args: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """The command in the test's own folder (no config.toml of the checkout around)."""
    return subprocess.run([sys.executable, "-m", "oit_checker", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=env["XDG_DATA_HOME"].rsplit("/", 1)[0])


def environment(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OIT_CHECKER_")}
    return {**env, "XDG_DATA_HOME": str(tmp / "xdg-data"), "COLUMNS": "200"}


def write_fleet(sites: FleetSites, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return sites.write_fleet(folder / "fleet.toml", extra={
        "storage": {"path": "history.sqlite3"},
        "fleet": {"reports_dir": "reports", "limits": {"per_host_interval": 0, "max_attempts": 3}}})


def recorded_runs(store: FleetStore, fleet_run_id: str) -> Counter[str]:
    return Counter(agency for agency, _, state in store.fleet_run_ids_of(fleet_run_id) if state in RECORDED)


@pytest.fixture(scope="module")
def sites() -> Iterator[FleetSites]:
    with FleetSites(count=COUNT, latency=0.03, slow_latency=0.5) as served:
        yield served


@dataclass
class FleetRun:
    fleet: Path
    env: dict[str, str]
    done: subprocess.CompletedProcess[str]
    json: dict
    fleet_run_id: str


@pytest.fixture(scope="module")
def finished(sites: FleetSites, tmp_path_factory: pytest.TempPathFactory) -> FleetRun:
    folder = tmp_path_factory.mktemp("fleet-run")
    fleet, env = write_fleet(sites, folder), environment(folder)
    done = cli("fleet", "run", str(fleet), "--jobs", "2", "--lang", "en", "--format", "console", "--format", "json",
               "-o", "-", "-o", str(folder / "fleet.json"), env=env)
    data = json.loads((folder / "fleet.json").read_text(encoding="utf-8")) if done.returncode in (0, 1, 3, 4) else {}
    return FleetRun(fleet, env, done, data, data.get("run", {}).get("id", ""))


def test_fleet_run_prints_the_grid_and_exits_with_the_worst_status(finished: FleetRun, sites: FleetSites) -> None:
    assert finished.done.returncode == 1, finished.done.stderr  # agency 5 has a missing item: fail
    assert all(agency_id in finished.done.stdout for agency_id in IDS)
    data = finished.json
    assert data["schema"] == "oit-checker/fleet/v1" and data["summary"]["exit_code"] == 1
    agencies = {a["id"]: a for a in data["agencies"]}
    assert sorted(agencies) == IDS
    assert all(a["state"] in RECORDED and a["run_id"] for a in agencies.values())
    by_outcome = {a.id: a for a in sites.agencies}
    missing = by_outcome["agency-0005"]
    assert agencies[missing.id]["items"][missing.affected]["status"] == "fail"
    assert agencies["agency-0001"]["counts"]["fail"] == 0 and agencies["agency-0001"]["counts"]["pass"] > 0
    stale = by_outcome["agency-0007"]
    assert agencies[stale.id]["items"][stale.affected]["status"] != "pass"


def test_fleet_run_records_each_agency_once_with_its_reports(finished: FleetRun) -> None:
    folder = finished.fleet.parent
    with FleetStore(folder / "history.sqlite3", create=False) as store:
        rows = store.fleet_agencies(finished.fleet_run_id)
        assert [r.state for r in rows] == [DONE] * COUNT
        assert recorded_runs(store, finished.fleet_run_id) == Counter(IDS)
        assert store.fleet_run(finished.fleet_run_id).state == "complete"
        run_ids = {r.agency_id: r.run_id for r in rows}
    reports = folder / "reports" / finished.fleet_run_id
    assert (reports / "index.html").is_file()
    for agency_id in IDS:
        report = json.loads((reports / "agencies" / f"{agency_id}.json").read_text(encoding="utf-8"))
        assert report["run"]["id"] == run_ids[agency_id]
        assert (reports / "agencies" / f"{agency_id}.html").is_file()
    history = cli("history", "--db", str(folder / "history.sqlite3"), "--lang", "en", env=finished.env)
    assert history.returncode == 0, history.stderr
    assert all(run_id in history.stdout for run_id in run_ids.values())


def test_a_finished_agency_is_not_audited_again(finished: FleetRun) -> None:
    db = finished.fleet.parent / "history.sqlite3"
    with FleetStore(db) as store:
        before = store.fleet_agency(finished.fleet_run_id, "agency-0001")
    outcome = run_agency(db, finished.fleet_run_id, "agency-0001")
    assert (outcome.state, outcome.run_id) == ("complete", before.run_id)
    with FleetStore(db) as store:
        assert store.fleet_agency(finished.fleet_run_id, "agency-0001").attempts == before.attempts
        assert recorded_runs(store, finished.fleet_run_id)["agency-0001"] == 1


def test_fleet_status_shows_the_counts_and_the_grid(finished: FleetRun) -> None:
    status = cli("fleet", "status", "--fleet", str(finished.fleet), "--lang", "en", env=finished.env)
    assert status.returncode == 1, status.stderr
    assert finished.fleet_run_id in status.stdout and f"done {COUNT}" in status.stdout
    as_json = cli("fleet", "status", finished.fleet_run_id[:22], "--db", str(finished.fleet.parent / "history.sqlite3"),
                  "--format", "json", env=finished.env)
    data = json.loads(as_json.stdout)
    assert data["run"]["id"] == finished.fleet_run_id and data["summary"]["agencies"] == COUNT
    assert sum(data["summary"]["by_state"][s] for s in RECORDED) == COUNT


def test_resume_after_sigkill_finishes_the_rest_without_redoing_any(sites: FleetSites, tmp_path: Path) -> None:
    fleet, env = write_fleet(sites, tmp_path), environment(tmp_path)
    db = tmp_path / "history.sqlite3"
    child = subprocess.Popen([sys.executable, "-m", "oit_checker", "fleet", "run", str(fleet), "--jobs", "2", "-q"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=tmp_path,
                             start_new_session=True)
    before: dict[str, str] = {}
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and child.poll() is None:
            if db.is_file():
                with FleetStore(db, create=False) as store:
                    runs = store.fleet_runs(limit=1)
                    rows = store.fleet_agencies(runs[0].id) if runs else []
                before = {r.agency_id: r.run_id or "" for r in rows if r.state == DONE}
                if len(before) >= 2:
                    break
            time.sleep(0.05)
        os.killpg(child.pid, signal.SIGKILL)
    finally:
        child.wait(30)
    assert child.returncode == -signal.SIGKILL
    assert 2 <= len(before) < COUNT
    time.sleep(1.5)  # the workers' parent watchdog ends them (0.5 s period)
    with FleetStore(db, create=False) as store:
        fleet_run_id = store.fleet_runs(limit=1)[0].id
        before = {r.agency_id: r.run_id or "" for r in store.fleet_agencies(fleet_run_id) if r.state == DONE}
    resumed = cli("fleet", "run", str(fleet), "--resume", "--jobs", "2", "--lang", "en", "--format", "json", env=env)
    assert resumed.returncode == 1, resumed.stderr
    data = json.loads(resumed.stdout)
    assert data["run"]["id"] == fleet_run_id and sorted(a["id"] for a in data["agencies"]) == IDS
    with FleetStore(db, create=False) as store:
        rows = {r.agency_id: r for r in store.fleet_agencies(fleet_run_id)}
        assert all(r.state == DONE for r in rows.values())
        assert {a: rows[a].run_id for a in before} == before  # finished before the kill: not redone
        assert recorded_runs(store, fleet_run_id) == Counter(IDS)  # exactly one recorded run per agency
        assert not [r for r in rows.values() if r.state == RUNNING]
        assert not [run for _, run, state in store.fleet_run_ids_of(fleet_run_id) if state == "running"]
        assert store.fleet_run(fleet_run_id).state == "complete"
    status = cli("fleet", "status", "--db", str(db), "--lang", "en", env=env)
    assert f"done {COUNT}" in status.stdout and "pending 0" in status.stdout and "running 0" in status.stdout


def test_resume_refuses_a_changed_fleet_file_and_a_bad_file_exits_2(sites: FleetSites, tmp_path: Path) -> None:
    fleet, env = write_fleet(sites, tmp_path), environment(tmp_path)
    with FleetStore(tmp_path / "history.sqlite3") as store:
        store.begin_fleet_run("20261203T000000Z-fleet-000000", name="สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดทดสอบ",
                              fleet_path=str(fleet), fleet_sha256="not-this-file", agencies=[])
        store.finish_fleet_run("20261203T000000Z-fleet-000000")
    store_runs_before = 1
    changed = cli("fleet", "run", str(fleet), "--resume", "-q", env=env)
    assert changed.returncode == 2
    with FleetStore(tmp_path / "history.sqlite3") as store:
        assert len(store.fleet_runs()) == store_runs_before  # nothing begun
    (tmp_path / "bad.toml").write_text('[fleet]\nname = "x"\nunknown = 1\n', encoding="utf-8")
    assert cli("fleet", "run", str(tmp_path / "bad.toml"), env=env).returncode == 2
    assert cli("fleet", "run", str(tmp_path / "missing.toml"), env=env).returncode == 2
    no_jobs = cli("fleet", "run", str(fleet), "--jobs", "0", env=env)
    assert no_jobs.returncode == 2 and "--jobs" in no_jobs.stderr and ui("fleet_cli_jobs", "th") in no_jobs.stderr
    with FleetStore(tmp_path / "history.sqlite3") as store:
        assert len(store.fleet_runs()) == store_runs_before


def test_the_task_records_one_run_per_agency_on_both_databases(sites: FleetSites, tmp_path: Path,
                                                                  store_target: str | Path) -> None:
    from oit_checker.fleet.cli import agency_plans, view_from_store
    from oit_checker.fleet.model import load_fleet

    fleet = load_fleet(write_fleet(sites, tmp_path))
    chosen = ["agency-0001", "agency-0005"]
    with FleetStore(store_target) as store:
        plans = [p for p in agency_plans(fleet) if p.agency_id in chosen]
        store.begin_fleet_run("20261203T000000Z-fleet-task00", name=fleet.settings.name, fleet_path="fleet.toml",
                              fleet_sha256="x", agencies=plans,
                              options={"reports_dir": str(tmp_path / "reports"), "max_attempts": 3})
    outcomes = [run_agency(store_target, "20261203T000000Z-fleet-task00", a) for a in chosen * 2]
    assert [o.state for o in outcomes] == ["complete"] * 4
    assert [o.run_id for o in outcomes[:2]] == [o.run_id for o in outcomes[2:]]  # the second call redid nothing
    assert outcomes[1].counts["fail"] == 1 and outcomes[0].counts["fail"] == 0
    with FleetStore(store_target) as store:
        assert recorded_runs(store, "20261203T000000Z-fleet-task00") == Counter(chosen)
        view = view_from_store(store, "20261203T000000Z-fleet-task00")
    assert [a.id for a in view.agencies] == ["agency-0005", "agency-0001"]  # most failing first
    assert (tmp_path / "reports" / "20261203T000000Z-fleet-task00" / "agencies" / "agency-0005.html").is_file()
