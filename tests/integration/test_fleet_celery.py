"""Celery mode against the real services: Redis on 127.0.0.1:6379 (broker and per-host limits) and
PostgreSQL on 127.0.0.1:5432 (the history, a fresh schema per test), with two real worker processes
(``python -m oit_checker worker``) auditing the fixture fleet (``tests/fleet_sites.py``: agency 2 dead,
3 slow, 5 one item missing, 7 one item stale).

Every Redis key of this module is under one queue name made for the run (``oit-test-<hex>:``), deleted
at the end; nothing else in Redis is touched. A service that does not answer FAILS the tests.
Assertions are on exit codes, agency states, attempts and the store's runs, and the servers' per-host
peaks; never on wording.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from celery_workers import (
    REDIS,
    Worker,
    environment,
    finish,
    fleet_run,
    new_queue,
    recorded,
    running_in,
    start_worker,
    stop,
    wait_ready,
)
from fleet_sites import EXTERNAL_ADDRESS, FleetSites
from processes import ChromiumSampler

from oit_checker.fleet.redis_limits import Limits, RedisLimiter, connect, delete_keys, set_limits
from oit_checker.store.fleet import DONE, FleetStore

ROOT = Path(__file__).resolve().parents[2]
COUNT = 30
IDS = [f"agency-{n:04d}" for n in range(1, COUNT + 1)]
SLOW = "agency-0003"
PER_HOST = 2
pytestmark = pytest.mark.timeout(240)


@pytest.fixture(scope="module")
def queue() -> Iterator[str]:
    """This module's queue; every Redis key it makes is under ``<queue>:`` and deleted afterwards."""
    name = new_queue()
    yield name
    delete_keys(connect(REDIS), f"{name}:")


@pytest.fixture(scope="module")
def workers(queue: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Worker]]:
    folder = tmp_path_factory.mktemp("workers")
    started = [start_worker(queue, folder, n) for n in (1, 2)]
    try:
        wait_ready(started)
        yield started
    finally:
        stop(started)


@pytest.fixture(scope="module")
def sites() -> Iterator[FleetSites]:
    with FleetSites(count=COUNT, slow_latency=0.3) as served:
        yield served


def write_fleet(sites: FleetSites, folder: Path, pg_url: str) -> Path:
    return sites.write_fleet(folder / "fleet.toml", extra={
        "storage": {"url": pg_url},
        "fleet": {"reports_dir": "reports", "limits": {"per_host_interval": 0, "per_host_concurrency": PER_HOST,
                                                       "agency_minutes": 2, "max_attempts": 3}}})


def test_two_workers_audit_every_agency_once_within_the_shared_host_limit(
        workers: list[Worker], sites: FleetSites, queue: str, pg_url: str, tmp_path: Path) -> None:
    sites.reset_counters()
    fleet = write_fleet(sites, tmp_path, pg_url)
    code, output = finish(fleet_run(fleet, queue, tmp_path), workers)
    assert code == 1, output  # agencies 5 and 7 fail an item: the fleet's worst
    data = json.loads((tmp_path / "fleet.json").read_text(encoding="utf-8"))
    fleet_run_id = data["run"]["id"]
    assert data["run"]["mode"] == "celery"
    assert {a["id"] for a in data["agencies"]} == set(IDS)
    agencies = {a["id"]: a for a in data["agencies"]}
    assert {a["state"] for a in agencies.values()} == {"complete"}
    assert agencies["agency-0002"]["counts"]["pass"] == 0  # its homepage is dead: nothing verified
    assert agencies["agency-0005"]["counts"]["fail"] == 1
    assert agencies["agency-0001"]["counts"]["fail"] == 0
    with FleetStore(pg_url, create=False) as store:
        assert store.fleet_run(fleet_run_id).state == "complete"
        rows = store.fleet_agencies(fleet_run_id)
        assert {r.state for r in rows} == {DONE}
        assert {r.attempts for r in rows} == {1}
        assert recorded(store, fleet_run_id) == dict.fromkeys(IDS, 1)
        assert {r.worker for r in rows} == {None}  # the claims were let go as each agency finished
    assert (tmp_path / "reports" / fleet_run_id / "index.html").is_file()
    assert (tmp_path / "reports" / fleet_run_id / "agencies" / "agency-0001.json").is_file()
    # the shared outside host got a request from every agency (4 pool processes, 2 machines' worth)
    # and never more than the per-host limit at once: the Redis limiter held across processes
    limits = {k.decode(): v.decode() for k, v in connect(REDIS).hgetall(f"{queue}:limiter:limits").items()}
    assert (limits["per_host_concurrency"], float(limits["per_host_interval"])) == (str(PER_HOST), 0.0)
    stats = sites.stats()
    assert stats["requests"][EXTERNAL_ADDRESS] >= COUNT - 1
    assert stats["peak"][EXTERNAL_ADDRESS] <= PER_HOST


def test_a_killed_pool_process_loses_no_agency_and_records_none_twice(
        workers: list[Worker], sites: FleetSites, queue: str, pg_url: str, tmp_path: Path) -> None:
    fleet = write_fleet(sites, tmp_path, pg_url)
    process = fleet_run(fleet, queue, tmp_path)
    try:
        victim, owner = running_in(pg_url, SLOW, workers, process)
        os.kill(victim, signal.SIGKILL)
        code, output = finish(process, workers)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert code == 1, output
    fleet_run_id = json.loads((tmp_path / "fleet.json").read_text(encoding="utf-8"))["run"]["id"]
    with FleetStore(pg_url, create=False) as store:
        rows = {r.agency_id: r for r in store.fleet_agencies(fleet_run_id)}
        runs = [(agency, state) for agency, _, state in store.fleet_run_ids_of(fleet_run_id)]
        assert recorded(store, fleet_run_id) == dict.fromkeys(IDS, 1)
    assert {r.state for r in rows.values()} == {DONE}
    assert rows[SLOW].attempts == 2
    assert sorted(state for agency, state in runs if agency == SLOW) == ["complete", "interrupted"]
    assert victim not in owner.children()  # the pool replaced it
    assert "WorkerLostError" in owner.log.read_text(errors="replace")


def test_the_limiter_shares_host_slots_and_a_lost_lease_expires(queue: str) -> None:
    prefix = f"{queue}:unit:"
    client = connect(REDIS)
    set_limits(client, Limits(max_concurrency=3, per_host_concurrency=2, per_host_interval=0.2), prefix)
    one, two = (RedisLimiter(REDIS, prefix=prefix, lease_seconds=1.5) for _ in range(2))

    async def scenario() -> tuple[bool, bool, bool, float]:
        await one.acquire("a.test")
        await two.acquire("a.test")
        third = two.try_acquire("a.test") is not None  # the host is full across both limiters
        other = one.try_acquire("b.test")  # the third slot of all: another host still gets one
        full = two.try_acquire("c.test") is not None  # and then nothing, whatever the host
        one.release("a.test")
        if other:
            client.zrem(prefix + "slots", other)
            client.zrem(prefix + "slots:b.test", other)
        began = time.monotonic()
        for _ in range(3):
            await two.wait_turn("a.test")
        return third, other is not None, full, time.monotonic() - began

    third, other, full, spaced = asyncio.run(scenario())
    assert (third, other, full) == (False, True, False)
    assert spaced >= 0.39  # three starts 0.2 s apart
    assert one.try_acquire("a.test") is not None  # the slot one gave back
    assert two.try_acquire("a.test") is None  # two's lease (never released: a killed worker) still holds
    time.sleep(1.6)
    assert two.try_acquire("a.test") is not None  # until it expires
    delete_keys(client, prefix)


def test_a_broker_that_does_not_answer_fails_the_worker_with_a_clear_error(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "oit_checker", "worker", "--broker", "redis://127.0.0.1:9/0",
                           "--lang", "en"], capture_output=True, text=True, timeout=60, env=environment(tmp_path),
                          cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "127.0.0.1:9" in done.stderr


def test_a_sqlite_history_is_refused_before_anything_is_queued(sites: FleetSites, queue: str, tmp_path: Path) -> None:
    fleet = sites.write_fleet(tmp_path / "fleet.toml", agencies=sites.agencies[:1],
                              extra={"storage": {"path": "history.sqlite3"}})
    done = subprocess.run([sys.executable, "-m", "oit_checker", "fleet", "run", str(fleet), "--broker", REDIS,
                           "--queue", queue, "--lang", "en"], capture_output=True, text=True, timeout=60,
                          env=environment(tmp_path), cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "history.sqlite3" in done.stderr  # refused for its SQLite history, not for another reason
    assert not (tmp_path / "history.sqlite3").exists()  # no fleet run was recorded
    assert connect(REDIS).llen(f"{queue}:{queue}") == 0  # and nothing queued


def test_an_agency_past_the_hard_time_limit_is_recorded_failed_and_ends_the_fleet_run(pg_url: str) -> None:
    """What the worker's main process does when it kills a pool process at the hard time limit
    (Celery calls the task's ``on_failure`` there): the agency fails, and being the last, ends the run."""
    from billiard.exceptions import TimeLimitExceeded

    from oit_checker.fleet.celery_app import TASK_NAME, Timing, make_app
    from oit_checker.store.fleet import FAILED, FleetAgencyPlan

    with FleetStore(pg_url) as store:
        store.begin_fleet_run("f1", name="n", fleet_path="fleet.toml", fleet_sha256="0", mode="celery", options={},
                              agencies=[FleetAgencyPlan(a, a, f"http://{a}.test/", a, "ita-2569", {}) for a in "ab"])
        store.fail_lost("f1", "b", "already failed")
        assert store.claim_agency("f1", "a", worker="1@host", max_attempts=3).won
    app = make_app(REDIS, timing=Timing(agency_minutes=0.5))
    assert app.conf.task_time_limit < app.conf.broker_transport_options["visibility_timeout"]
    app.tasks[TASK_NAME].on_failure(TimeLimitExceeded(330), "id", (pg_url, "f1", "a"), {}, None)
    with FleetStore(pg_url) as store:
        row = store.fleet_agency("f1", "a")
        assert (row.state, row.error is not None and "TimeLimitExceeded" in row.error) == (FAILED, True)
        assert store.fleet_run("f1").state == "complete"  # no agency left: the run is ended


def test_pool_processes_render_in_chromium_one_each_at_most(
        workers: list[Worker], sites: FleetSites, queue: str, pg_url: str, tmp_path: Path) -> None:
    """Agencies whose pages are opened in the browser: each pool process launches the real Chromium
    for its agency's audit, never more than one at a time (2 workers x 2 pool processes: at most 4)."""
    chosen = ["agency-0001", "agency-0004", "agency-0006", "agency-0008"]
    by_id = {a.id: a for a in sites.agencies}
    fleet = sites.write_fleet(tmp_path / "fleet.toml", agencies=[by_id[a] for a in chosen], extra={
        "storage": {"url": pg_url},
        "fleet": {"reports_dir": "reports", "limits": {"per_host_interval": 0, "agency_minutes": 2}},
        "defaults": {"browser": {"mode": "always"}, "audit": {"select": ["O1", "O3", "O4"]}}})
    with ChromiumSampler(*(w.process.pid for w in workers)) as chromiums:
        code, output = finish(fleet_run(fleet, queue, tmp_path), workers)
    assert code == 0, output
    fleet_run_id = json.loads((tmp_path / "fleet.json").read_text(encoding="utf-8"))["run"]["id"]
    for agency_id in chosen:
        report = json.loads((tmp_path / "reports" / fleet_run_id / "agencies" / f"{agency_id}.json")
                            .read_text(encoding="utf-8"))
        assert report["run"]["browser"]["used"] and report["run"]["browser"]["rendered"] == 3, agency_id
    assert 1 <= chromiums.peak <= 2 * 2
