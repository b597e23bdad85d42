"""Several agencies at once in one embedded worker (``[fleet.limits] agencies_per_worker``).

An audit is mostly waiting, so one worker process runs k agencies in k threads. Checked with real
spawned workers and the fixture servers (``tests/fleet_sites.py``): every agency done once, k of them
in flight in the one worker at some moment (from the ``begun``/``finished`` events), the per-host
peaks within the shared limits, a killed worker's agencies redone, and ``fleet run --jobs 1`` with
the key set in the fleet file.
"""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from fleet_sites import FleetSites, config_text

from oit_checker.audit import run_audit
from oit_checker.config import parse_config_text
from oit_checker.fetch.limits import ProcessLimiter
from oit_checker.fleet.embedded import EmbeddedResult, run_embedded
from oit_checker.fleet.progress import BEGUN, FINISHED, LOST, STARTED, AgencyOutcome, Event, observer_for
from oit_checker.options import defaults

SPAWN = multiprocessing.get_context("spawn")
PER_HOST = 2
K = 3


def audit_in_thread(configs: dict[str, str], log: str, kill: str, agency_id: str) -> AgencyOutcome:
    """A real ``run_audit`` of one fixture agency, in whichever thread of the worker runs it (signal
    handlers only in the main thread); ``kill``: the agency whose first attempt SIGKILLs its worker."""
    with open(log, "a", encoding="utf-8") as out:
        out.write(f"start {agency_id} {os.getpid()}\n")
    marker = Path(log).with_name(f"killed-{agency_id}")
    if agency_id == kill and not marker.exists():
        time.sleep(0.5)  # the worker's other agencies are under way
        marker.write_text(str(os.getpid()), encoding="utf-8")
        os.kill(os.getpid(), signal.SIGKILL)
    loaded = parse_config_text(configs[agency_id], f"{agency_id}.toml", Path("."))
    main = threading.current_thread() is threading.main_thread()
    result = run_audit(loaded, observer=observer_for(agency_id), browser="never", warc=False, signals=main)
    with open(log, "a", encoding="utf-8") as out:
        out.write(f"finish {agency_id} {os.getpid()}\n")
    state = "complete" if result.complete else "incomplete"
    return AgencyOutcome(agency_id, state, {s.value: n for s, n in result.counts().items()}, run_id=result.run_id)


@pytest.fixture(scope="module")
def sites() -> Iterator[FleetSites]:
    with FleetSites(6, latency=0.1, slow_latency=0.3) as served:
        yield served


def _run(sites: FleetSites, tmp_path: Path, kill: str = "") -> tuple[EmbeddedResult, list[tuple[float, Event]], list[str]]:
    configs = {a.id: config_text(a) for a in sites.agencies}
    log = tmp_path / "runs.log"
    log.touch()
    options = dataclasses.replace(defaults().http, per_host_concurrency=PER_HOST, max_concurrency=8,
                                  per_host_interval=0.0)
    events: list[tuple[float, Event]] = []
    sites.reset_counters()
    result = run_embedded(1, [a.id for a in sites.agencies], partial(audit_in_thread, configs, str(log), kill),
                          limiter=partial(ProcessLimiter.for_options, options, context=SPAWN),
                          on_event=lambda e: events.append((time.monotonic(), e)), per_worker=K)
    return result, events, log.read_text().split("\n")


def _most_at_once(events: list[tuple[float, Event]]) -> dict[int, int]:
    """Per worker pid: the most agencies begun and not yet finished at one moment."""
    running: dict[int, set[str]] = {}
    pid_of: dict[str, int] = {}
    peak: Counter[int] = Counter()
    for _, event in sorted(events, key=lambda te: te[0]):
        if event.kind == BEGUN:
            pid_of[event.agency_id] = event.pid
            running.setdefault(event.pid, set()).add(event.agency_id)
            peak[event.pid] = max(peak[event.pid], len(running[event.pid]))
        elif event.kind == FINISHED and event.agency_id in pid_of:
            running[pid_of[event.agency_id]].discard(event.agency_id)
    return dict(peak)


def test_one_worker_runs_three_agencies_at_once_within_the_limits(sites: FleetSites, tmp_path: Path) -> None:
    result, events, lines = _run(sites, tmp_path)
    ids = [a.id for a in sites.agencies]
    assert set(result.outcomes) == set(ids) and not result.interrupted and result.pools == 1
    assert result.attempts == Counter({i: 1 for i in ids}) and not result.not_run
    dead = next(a.id for a in sites.agencies if a.outcome == "dead")
    assert all(result.outcomes[i].state == "complete" for i in ids if i != dead)
    assert result.outcomes[ids[0]].counts["pass"] > 0
    assert Counter(line.split()[0] for line in lines if line) == {"start": 6, "finish": 6}
    assert Counter(e.agency_id for _, e in events if e.kind == FINISHED) == {i: 1 for i in ids}
    pids = {e.pid for _, e in events if e.kind == BEGUN}
    assert os.getpid() not in pids
    assert max(_most_at_once(events).values()) == K  # three in the one worker at once, never more
    peaks = sites.stats()["peak"]
    assert peaks and max(peaks.values()) <= PER_HOST


def test_a_killed_worker_running_three_is_replaced_and_its_agencies_redone(sites: FleetSites, tmp_path: Path) -> None:
    victim = sites.agencies[1].id
    result, events, lines = _run(sites, tmp_path, kill=victim)
    assert (tmp_path / f"killed-{victim}").exists()
    assert result.pools == 2 and not result.interrupted
    assert result.outcomes[victim].state in ("complete", "incomplete") and result.attempts[victim] == 2
    finished = Counter(line.split()[1] for line in lines if line.startswith("finish"))
    assert finished == {a.id: 1 for a in sites.agencies}  # each finished exactly once
    lost = {e.agency_id for _, e in events if e.kind == LOST}
    assert victim in lost and len(lost) <= K  # only the agencies in flight with the killed worker
    assert Counter(e.agency_id for _, e in events if e.kind == FINISHED) == {a.id: 1 for a in sites.agencies}
    assert max(sites.stats()["peak"].values()) <= PER_HOST


def _fleet_run(sites: FleetSites, folder: Path, per_worker: int) -> tuple[subprocess.CompletedProcess[str], float]:
    folder.mkdir(parents=True, exist_ok=True)
    fleet = sites.write_fleet(folder / "fleet.toml", extra={
        "storage": {"path": "history.sqlite3"},
        "fleet": {"reports_dir": "reports",
                  "limits": {"per_host_interval": 0, "max_attempts": 3, "agencies_per_worker": per_worker}}})
    env = {k: v for k, v in os.environ.items() if not k.startswith("OIT_CHECKER_")}
    env = {**env, "XDG_DATA_HOME": str(folder / "xdg-data"), "COLUMNS": "200"}
    began = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "oit_checker", "fleet", "run", str(fleet), "--jobs", "1", "-q",
                           "--format", "json", "-o", str(folder / "fleet.json")],
                          capture_output=True, text=True, timeout=600, env=env, cwd=folder)
    return done, time.monotonic() - began


def test_fleet_run_with_agencies_per_worker_finishes_every_agency(sites: FleetSites, tmp_path: Path) -> None:
    ids = sorted(a.id for a in sites.agencies)
    took = {}
    for per_worker in (1, K):
        done, took[per_worker] = _fleet_run(sites, tmp_path / f"k{per_worker}", per_worker)
        assert done.returncode in (0, 1, 3), done.stderr  # the fleet's worst status, not a crash
        data = json.loads((tmp_path / f"k{per_worker}" / "fleet.json").read_text(encoding="utf-8"))
        agencies = {a["id"]: a for a in data["agencies"]}
        assert sorted(agencies) == ids
        assert all(a["state"] in ("complete", "incomplete") and a["run_id"] for a in agencies.values())
    print(f"fleet run --jobs 1, 6 agencies: agencies_per_worker=1 {took[1]:.1f}s, ={K} {took[K]:.1f}s")


def test_sigterm_stops_feeding_and_the_workers_agencies_end(tmp_path: Path) -> None:
    with FleetSites(6, latency=0.3, slow_latency=0.3) as slow:
        configs = {a.id: config_text(a) for a in slow.agencies}
        log = tmp_path / "runs.log"
        log.touch()
        events: list[Event] = []
        sent = threading.Event()

        def on_event(event: Event) -> None:
            events.append(event)
            if event.kind == STARTED and not sent.is_set():  # an audit is under way
                sent.set()
                os.kill(os.getpid(), signal.SIGTERM)

        began = time.monotonic()
        result = run_embedded(1, [a.id for a in slow.agencies], partial(audit_in_thread, configs, str(log), ""),
                              limiter=partial(ProcessLimiter, 8, 2, 0.0, context=SPAWN), on_event=on_event,
                              per_worker=K)
        took = time.monotonic() - began
    assert result.interrupted and sent.is_set() and result.pools == 1
    assert len(result.outcomes) == 6
    ran = [a for a in result.outcomes if a not in result.not_run]
    assert 1 <= len(ran) <= K and all(result.outcomes[a].state in ("complete", "incomplete") for a in ran)
    assert all(result.outcomes[a].state == "interrupted" for a in result.not_run) and len(result.not_run) >= 6 - K
    assert Counter(line.split()[0] for line in log.read_text().split("\n") if line) == {"start": len(ran),
                                                                                       "finish": len(ran)}
    assert took < 120  # a hang guard


def test_sigint_ends_the_audits_of_every_thread_at_once(tmp_path: Path) -> None:
    """Ctrl-C on a fleet run whose worker audits three agencies in three threads: all three end at
    once with what they have (recorded incomplete), not only the main thread's while the helpers' run
    on to their deadline (each audit here needs about half a minute)."""
    with FleetSites(K, latency=2.0, slow_latency=2.0) as slow:
        ids = [a.id for a in slow.agencies]
        configs = {a.id: config_text(a) for a in slow.agencies}
        log = tmp_path / "runs.log"
        log.touch()
        begun: set[str] = set()
        sent_at: list[float] = []

        def interrupt() -> None:
            sent_at.append(time.monotonic())
            os.kill(os.getpid(), signal.SIGINT)

        def on_event(event: Event) -> None:
            if event.kind == BEGUN:
                begun.add(event.agency_id)
                if len(begun) == K:  # the three audits are under way in one worker: Ctrl-C 3 s later
                    threading.Timer(3.0, interrupt).start()

        result = run_embedded(1, ids, partial(audit_in_thread, configs, str(log), ""),
                              limiter=partial(ProcessLimiter, 8, 2, 0.0, context=SPAWN), on_event=on_event,
                              per_worker=K)
        took = time.monotonic() - sent_at[0] if sent_at else None
    assert took is not None and result.interrupted
    assert {result.outcomes[a].state for a in ids} == {"incomplete"}  # each ended early, with a partial result
    assert took < 20, took  # each audit alone needs about 30 s more
