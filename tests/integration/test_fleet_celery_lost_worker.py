"""A whole Celery worker lost mid-audit (its machine down: main process and pool SIGKILLed together)
loses no agency and records none twice: the unacknowledged message comes back to another worker
after the visibility timeout, whose attempt takes the agency over in the history (the lost attempt's
run ``interrupted``). Real Redis and PostgreSQL, real worker subprocesses, like test_fleet_celery.py;
a module of its own so its minute of waiting for the visibility timeout runs beside the others.

The workers serve short audits (``--agency-minutes 0.25``: a hard limit of 45 s) and a 5 s margin,
so the lost agency is handed out again about 50 s after the lost worker took it.
"""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from celery_workers import REDIS, finish, fleet_run, new_queue, recorded, running_in, start_worker, stop, wait_ready
from fleet_sites import FleetSites

from oit_checker.fleet.redis_limits import connect, delete_keys
from oit_checker.store.fleet import DONE, FleetStore

SLOW = "agency-0003"
OTHERS = ("agency-0001", "agency-0004")
AGENCY_MINUTES = 0.25
pytestmark = pytest.mark.timeout(300)


@pytest.fixture
def queue() -> Iterator[str]:
    name = new_queue()
    yield name
    delete_keys(connect(REDIS), f"{name}:")


def test_a_whole_worker_lost_mid_audit_gives_its_agency_to_another_worker_once(
        queue: str, pg_url: str, tmp_path: Path) -> None:
    with FleetSites(count=4, slow_latency=0.3) as sites:
        by_id = {a.id: a for a in sites.agencies}
        fleet = sites.write_fleet(tmp_path / "fleet.toml", agencies=[by_id[SLOW], *(by_id[a] for a in OTHERS)],
                                  extra={"storage": {"url": pg_url}, "fleet": {"reports_dir": "reports", "limits": {
                                      "per_host_interval": 0, "agency_minutes": AGENCY_MINUTES, "max_attempts": 3,
                                      # the lost worker's request slots stay leased for 240 s: room beside them
                                      "per_host_concurrency": 4}}})
        lost = start_worker(queue, tmp_path, 1, concurrency=1, agency_minutes=AGENCY_MINUTES, visibility_margin=5)
        survivor = None
        process = None
        try:
            wait_ready([lost])
            process = fleet_run(fleet, queue, tmp_path)
            running_in(pg_url, SLOW, [lost], process)  # the slow agency comes first in the fleet file
            os.killpg(lost.process.pid, signal.SIGKILL)  # the whole worker: no warm shutdown, nothing acknowledged
            lost.process.wait(10)
            survivor = start_worker(queue, tmp_path, 2, concurrency=1, agency_minutes=AGENCY_MINUTES,
                                    visibility_margin=5)
            wait_ready([survivor])
            code, output = finish(process, [lost, survivor], timeout=180)
        finally:
            if process is not None and process.poll() is None:
                process.kill()
                process.communicate()
            stop([w for w in (lost, survivor) if w is not None])
    assert code == 0, output  # the three agencies pass every item
    fleet_run_id = json.loads((tmp_path / "fleet.json").read_text(encoding="utf-8"))["run"]["id"]
    with FleetStore(pg_url, create=False) as store:
        rows = {r.agency_id: r for r in store.fleet_agencies(fleet_run_id)}
        runs = sorted(state for agency, _, state in store.fleet_run_ids_of(fleet_run_id) if agency == SLOW)
        assert recorded(store, fleet_run_id) == dict.fromkeys((SLOW, *OTHERS), 1)
        assert store.fleet_run(fleet_run_id).state == "complete"
    assert {r.state for r in rows.values()} == {DONE}
    assert rows[SLOW].attempts == 2  # the lost worker's attempt, then the survivor's
    assert runs == ["complete", "interrupted"]
    assert {rows[a].attempts for a in OTHERS} == {1}


def test_the_hard_limit_adds_as_long_again_as_the_audit_from_30_s_to_5_min() -> None:
    """The margin after an audit's deadline (its reports) scales with it, so a short audit's lost
    worker is noticed within a minute, and a long one still gets 5 minutes."""
    from oit_checker.fleet.celery_app import Timing

    assert [Timing(minutes).time_limit for minutes in (0.25, 2, 30)] == [45, 240, 2100]
    assert Timing(0.25, visibility_margin=5).visibility_timeout == 50
