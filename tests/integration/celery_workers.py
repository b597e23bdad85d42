"""Real Celery workers for the fleet tests: ``python -m oit_checker worker`` subprocesses on the
Redis of 127.0.0.1:6379, each in its own process group (stopped with it, nothing else touched), and
the helpers the Celery test modules share. Every key a test makes is under its own queue name.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from oit_checker.errors import StoreError
from oit_checker.fleet.redis_limits import connect
from oit_checker.store.fleet import RUNNING, FleetStore

REDIS = "redis://127.0.0.1:6379/0"
RECORDED = ("complete", "incomplete")
"""Run states of an agency's recorded attempt (an interrupted one is not a record)."""


def redis_or_fail() -> None:
    import redis

    try:
        connect(REDIS).ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis does not answer at 127.0.0.1:6379: {exc}\nStart it (Debian: `service redis-server start`);"
                    " the Celery fleet tests need it, like PostgreSQL.", pytrace=False)


def new_queue() -> str:
    """A queue name of a test module's own (``oit-test-<hex>``), once Redis answers."""
    redis_or_fail()
    return f"oit-test-{uuid.uuid4().hex[:12]}"


def environment(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("OIT_CHECKER_") and k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
    return {**env, "XDG_DATA_HOME": str(tmp / "xdg-data"), "COLUMNS": "200", "PYTHONUNBUFFERED": "1"}


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    log: Path

    def children(self) -> set[int]:
        """The pool processes of this worker (its direct children)."""
        found = set()
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    found.add(int(entry.name))
        return found

    @property
    def ready(self) -> bool:
        return " ready." in self.log.read_text(errors="replace")


def start_worker(queue: str, folder: Path, n: int, *, concurrency: int = 2, agency_minutes: float = 2,
                 visibility_margin: float = 10) -> Worker:
    log = folder / f"worker-{n}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "oit_checker", "worker", "--broker", REDIS, "--queue", queue,
             "--concurrency", str(concurrency), "--agency-minutes", str(agency_minutes),
             "--visibility-margin", str(visibility_margin), "--restore-interval", "1", "--loglevel", "info"],
            stdout=out, stderr=subprocess.STDOUT, env=environment(folder), cwd=folder, start_new_session=True)
    return Worker(process, log)


def wait_ready(workers: list[Worker], timeout: float = 90) -> None:
    """Until every worker says it is ready; a worker that died or a timeout FAILS the test."""
    ends = time.monotonic() + timeout
    while not all(w.ready for w in workers):
        dead = [w for w in workers if w.process.poll() is not None]
        if dead or time.monotonic() > ends:
            pytest.fail("a Celery worker did not start:\n" + dead[0].log.read_text(errors="replace")[-3000:]
                        if dead else f"the Celery workers were not ready within {timeout:g} s", pytrace=False)
        time.sleep(0.2)


def stop(workers: list[Worker]) -> None:
    """SIGTERM each worker's own process group (only what this module started), then SIGKILL."""
    for worker in workers:
        if worker.process.poll() is None:
            os.killpg(worker.process.pid, signal.SIGTERM)
    for worker in workers:
        try:
            worker.process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.process.pid, signal.SIGKILL)
            worker.process.wait(10)


def fleet_run(fleet: Path, queue: str, folder: Path, *extra: str) -> subprocess.Popen[str]:
    """``fleet run --broker`` in a subprocess, its grid as JSON in ``folder / "fleet.json"``."""
    return subprocess.Popen(
        [sys.executable, "-m", "oit_checker", "fleet", "run", str(fleet), "--broker", REDIS, "--queue", queue,
         "--lang", "en", "--format", "json", "-o", str(folder / "fleet.json"), *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment(folder), cwd=folder)


def finish(process: subprocess.Popen[str], workers: list[Worker], timeout: float = 150) -> tuple[int, str]:
    """The fleet run's exit code and output; not ended within ``timeout`` FAILS with the workers' logs."""
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        logs = "\n".join(w.log.read_text(errors="replace")[-2000:] for w in workers)
        pytest.fail(f"fleet run did not end in {timeout:g} s\n{err[-2000:]}\n{logs}", pytrace=False)
    return process.returncode, out + err


def recorded(store: FleetStore, fleet_run_id: str) -> Counter[str]:
    """How many recorded runs each agency of the fleet run has (each must have exactly one)."""
    return Counter(agency for agency, _, state in store.fleet_run_ids_of(fleet_run_id) if state in RECORDED)


def running_in(pg_url: str, agency_id: str, workers: list[Worker], process: subprocess.Popen[str],
               timeout: float = 90) -> tuple[int, Worker]:
    """The pool process (and its worker) auditing ``agency_id`` in the newest fleet run, once its run
    row is begun (an attempt there to be interrupted); only processes of ``workers``, never another.
    FAILS the test when it is not seen within ``timeout`` or the fleet run ends first."""
    ends = time.monotonic() + timeout
    while time.monotonic() < ends and process.poll() is None:
        time.sleep(0.1)
        try:
            with FleetStore(pg_url, create=False) as store:
                runs = store.fleet_runs(limit=1)
                if not runs:
                    continue
                row = store.fleet_agency(runs[0].id, agency_id)
                begun = any(a == agency_id and s == RUNNING for a, _, s in store.fleet_run_ids_of(runs[0].id))
        except StoreError:  # the fleet run has not created the tables yet
            continue
        if row.state == RUNNING and row.worker and begun:
            pid = int(row.worker.split("@", 1)[0])
            owner = next((w for w in workers if pid in w.children()), None)
            if owner is not None:
                return pid, owner
    pytest.fail(f"{agency_id} was never seen running in a worker's pool process", pytrace=False)
