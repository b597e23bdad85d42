"""``oit-checker schedule`` with a fleet file: real firings of ``[fleet.schedule]`` in a real process.

As in ``test_schedule.py``, ``OIT_CHECKER_SCHEDULE_SECONDS`` makes the ``* * * * *`` cron fire every
``EVERY`` seconds, so two firings take seconds. Each firing is one fleet run of the fixture fleet
(``tests/fleet_sites.py``: agency 1 passes, agency 2 is dead) recorded with trigger ``schedule``;
SIGTERM stops the scheduler cleanly, whenever it comes, and releases the fleet's lock.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fleet_sites import FleetSites

from oit_checker.lock import RunLock
from oit_checker.schedule import SECONDS_ENV, is_fleet_file
from oit_checker.store.fleet import DONE, FleetStore

COUNT = 2
EVERY = 15
"""Seconds between firings: more than one fleet run of two small agencies takes (worker processes start)."""


@pytest.fixture(scope="module")
def sites() -> Iterator[FleetSites]:
    with FleetSites(count=COUNT, latency=0.01) as served:
        yield served


def fleet_runs(db: Path) -> list[tuple[str, str, str, list[str]]]:
    """(id, state, trigger, agency states) of each fleet run, oldest first."""
    if not db.exists():
        return []
    with FleetStore(db, create=False) as store:
        return [(r.id, r.state, r.trigger, [a.state for a in store.fleet_agencies(r.id)])
                for r in reversed(store.fleet_runs(limit=50))]


def test_two_scheduled_fleet_runs_are_recorded_and_sigterm_stops_cleanly(sites: FleetSites, tmp_path: Path) -> None:
    fleet = sites.write_fleet(tmp_path / "fleet.toml", extra={
        "storage": {"path": "history.sqlite3"},
        "fleet": {"reports_dir": "reports", "limits": {"per_host_interval": 0, "jobs": 2},
                  "schedule": {"cron": "* * * * *", "timezone": "Asia/Bangkok"}}})
    assert is_fleet_file(fleet) and not is_fleet_file(tmp_path / "missing.toml")
    db = tmp_path / "history.sqlite3"
    log = tmp_path / "schedule.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("OIT_CHECKER_")}
    with open(log, "w", encoding="utf-8") as handle:
        process = subprocess.Popen([sys.executable, "-m", "oit_checker", "schedule", "-c", str(fleet), "--lang", "en"],
                                   cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=handle, text=True,
                                   env={**env, SECONDS_ENV: f"*/{EVERY}", "XDG_DATA_HOME": str(tmp_path / "xdg")})
    try:
        deadline = time.monotonic() + 150
        while time.monotonic() < deadline and process.poll() is None:
            if sum(state == "complete" for _, state, _, _ in fleet_runs(db)) >= 2:
                break
            time.sleep(0.2)
        else:
            pytest.fail(f"no two scheduled fleet runs ({process.returncode}):\n{log.read_text(encoding='utf-8')}")
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    text = log.read_text(encoding="utf-8")
    assert process.returncode == 0, text
    assert "Traceback" not in text
    runs = fleet_runs(db)
    complete = [r for r in runs if r[1] == "complete"]
    assert len(complete) >= 2 and len(runs) <= 3, runs  # a third may have begun as SIGTERM came: interrupted
    assert {trigger for _, _, trigger, _ in runs} == {"schedule"}
    assert all(agencies == [DONE] * COUNT for _, _, _, agencies in complete)
    assert all(state in ("complete", "interrupted") for _, state, _, _ in runs)  # none left running
    assert sum(run_id in text for run_id, *_ in complete) == 2  # a log line per fleet run
    with RunLock(tmp_path / "history.sqlite3.fleet.lock") as held:
        assert held  # released on exit
