"""Embedded fleet mode (``fleet/embedded.py``) and the cross-process limiter, with spawned processes
and real servers on loopback addresses (``tests/fleet_sites.py``).

The task is a stand-in (``fleet_tasks.audit_agency``): a real ``run_audit`` of one fixture agency.
Assertions are on outcomes, counts, attempts and the servers' per-host peaks.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import signal
import threading
import time
from collections import Counter
from collections.abc import Iterator
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fleet_sites import FleetSites, config_text
from fleet_tasks import audit_agency, fetch_many, fleet_parent

from oit_checker.fetch.limits import ProcessLimiter
from oit_checker.fleet.embedded import run_embedded
from oit_checker.fleet.progress import ADVANCED, BEGUN, FINISHED, LOST, STARTED, STOPPING, Event, FleetProgress
from oit_checker.options import defaults

SPAWN = multiprocessing.get_context("spawn")
PER_HOST = 2


class _Timed(ThreadingHTTPServer):
    """Records when each request arrived and left, and answers after ``delay``."""

    daemon_threads = True

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.spans: list[tuple[float, float]] = []
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: _Timed

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        began = time.monotonic()
        time.sleep(self.server.delay)
        body = b"<html><body>ok</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with self.server.lock:  # ended before the client can have the whole body: no false overlap
            self.server.spans.append((began, time.monotonic()))
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def timed() -> Iterator[_Timed]:
    server = _Timed(0.5)  # longer than two intervals: without the host limit a third would overlap
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _peak(spans: list[tuple[float, float]]) -> int:
    edges = sorted([(s, 1) for s, _ in spans] + [(e, -1) for _, e in spans], key=lambda x: (x[0], x[1]))
    now = peak = 0
    for _, step in edges:
        now += step
        peak = max(peak, now)
    return peak


def test_three_processes_share_one_hosts_limits(timed: _Timed, tmp_path: Path) -> None:
    interval = 0.2
    options = dataclasses.replace(defaults().http, user_agent="oit-checker-tests", retries=0, per_host_interval=interval,
                                  per_host_concurrency=PER_HOST, max_concurrency=10, read_timeout=10)
    limiter = ProcessLimiter.for_options(options, context=SPAWN)
    base = f"http://127.0.0.1:{timed.server_address[1]}"
    ready = SPAWN.Barrier(4)
    procs = [SPAWN.Process(target=fetch_many, args=(limiter, options, [f"{base}/{p}/{i}" for i in range(4)],
                                                     str(tmp_path / f"out{p}"), ready))
             for p in range(3)]
    for proc in procs:
        proc.start()
    ready.wait(60)
    for proc in procs:
        proc.join(60)
    assert [p.exitcode for p in procs] == [0, 0, 0]
    outs = [(tmp_path / f"out{p}").read_text().split("\n") for p in range(3)]
    assert all(statuses.split() == ["200"] * 4 for statuses, _ in outs)
    spans = sorted(timed.spans)
    assert len(spans) == 12
    assert _peak(spans) == PER_HOST  # each process alone would have sent 2: together still 2
    # the spacing, as the limiter let the requests go (the server's arrival times jitter under load)
    turns = sorted(float(t) for _, times in outs for t in times.split())
    assert len(turns) == 12
    assert min(b - a for a, b in zip(turns, turns[1:], strict=False)) >= interval - 0.005
    assert spans[-1][0] - spans[0][0] >= 11 * interval - 0.1


@pytest.fixture(scope="module")
def sites() -> Iterator[FleetSites]:
    with FleetSites(6, latency=0.05, slow_latency=0.2) as served:
        yield served


def _run(sites: FleetSites, tmp_path: Path, kill: str = "") -> tuple[object, list[Event], list[str]]:
    configs = {a.id: config_text(a) for a in sites.agencies}
    log = tmp_path / "runs.log"
    log.touch()
    task = partial(audit_agency, configs, str(log), kill)
    options = dataclasses.replace(defaults().http, per_host_concurrency=PER_HOST, max_concurrency=4,
                                  per_host_interval=0.0)
    events: list[Event] = []
    sites.reset_counters()
    result = run_embedded(2, [a.id for a in sites.agencies], task,
                          limiter=partial(ProcessLimiter.for_options, options, context=SPAWN),
                          on_event=events.append, max_tasks_per_child=3)
    return result, events, log.read_text().split("\n")


def test_six_agencies_in_two_workers_all_finish_within_the_limits(sites: FleetSites, tmp_path: Path) -> None:
    result, events, lines = _run(sites, tmp_path)
    ids = [a.id for a in sites.agencies]
    assert set(result.outcomes) == set(ids) and not result.interrupted and result.pools == 1  # type: ignore[attr-defined]
    outcomes = result.outcomes  # type: ignore[attr-defined]
    dead = next(a.id for a in sites.agencies if a.outcome == "dead")
    assert all(outcomes[i].state == "complete" for i in ids if i != dead)
    assert outcomes[sites.agencies[0].id].counts["pass"] > 0
    assert sum(outcomes[dead].counts.values()) > 0 and outcomes[dead].counts["pass"] == 0
    assert Counter(line.split()[0] for line in lines if line) == {"start": 6, "finish": 6}
    kinds = Counter(e.kind for e in events)
    assert kinds[BEGUN] == kinds[STARTED] == kinds[FINISHED] == 6 and kinds[ADVANCED] >= 6 * 3
    assert len({e.pid for e in events if e.kind == BEGUN}) >= 2  # two workers (and recycled ones) ran them
    assert all(e.pid != os.getpid() for e in events if e.kind == BEGUN)
    peaks = sites.stats()["peak"]
    assert peaks and max(peaks.values()) <= PER_HOST


def test_a_killed_worker_is_replaced_and_its_agency_redone(sites: FleetSites, tmp_path: Path) -> None:
    victim = sites.agencies[3].id
    result, events, lines = _run(sites, tmp_path, kill=victim)
    assert (tmp_path / f"killed-{victim}").exists()
    outcomes = result.outcomes  # type: ignore[attr-defined]
    assert result.pools == 2 and not result.interrupted  # type: ignore[attr-defined]
    assert outcomes[victim].state == "complete" and result.attempts[victim] == 2  # type: ignore[attr-defined]
    finished = Counter(line.split()[1] for line in lines if line.startswith("finish"))
    assert finished == {a.id: 1 for a in sites.agencies}  # each agency finished exactly once
    started = Counter(line.split()[1] for line in lines if line.startswith("start"))
    assert started[victim] == 2
    # the pool loses every agency in flight with the killed worker: at most one other was redone
    assert sum(started.values()) - 6 <= 2
    assert [e.agency_id for e in events if e.kind == LOST].count(victim) == 1
    assert Counter(e.agency_id for e in events if e.kind == FINISHED) == {a.id: 1 for a in sites.agencies}
    peaks = sites.stats()["peak"]
    assert max(peaks.values()) <= PER_HOST


def test_the_line_display_prints_one_line_per_finished_agency(tmp_path: Path) -> None:
    from oit_checker.fleet.progress import AgencyOutcome

    out = tmp_path / "progress.txt"
    with out.open("w", encoding="utf-8") as stream, FleetProgress(2, "th", stream=stream) as display:
        display.handle(Event(STARTED, "a", total=3))
        display.handle(Event(ADVANCED, "a"))
        display.handle(Event(FINISHED, "a", outcome=AgencyOutcome("a", "complete", {"pass": 3, "fail": 1})))
        display.handle(Event(FINISHED, "b", outcome=AgencyOutcome("b", "failed", error="worker lost")))
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and lines[0].startswith("[1/2] a") and lines[1].startswith("[2/2] b")
    assert display.items == {"pass": 3, "fail": 1} and display.states == {"complete": 1, "failed": 1}


def test_sigterm_stops_new_agencies_and_ends_running_ones_early(tmp_path: Path) -> None:
    with FleetSites(6, latency=0.3, slow_latency=0.3) as slow:
        configs = {a.id: config_text(a) for a in slow.agencies}
        log = tmp_path / "runs.log"
        events: list[Event] = []
        sent = threading.Event()

        def on_event(event: Event) -> None:
            events.append(event)
            if event.kind == STARTED and not sent.is_set():  # an audit is under way (its handlers are set)
                sent.set()
                os.kill(os.getpid(), signal.SIGTERM)

        began = time.monotonic()
        result = run_embedded(2, [a.id for a in slow.agencies], partial(audit_agency, configs, str(log), ""),
                              limiter=partial(ProcessLimiter, 4, 2, 0.0, context=SPAWN), on_event=on_event)
        took = time.monotonic() - began
    assert result.interrupted and sent.is_set()
    states = Counter(o.state for o in result.outcomes.values())
    assert len(result.outcomes) == 6 and states["interrupted"] == len(result.not_run) >= 3
    ran = [a for a in result.outcomes if a not in result.not_run]
    assert 1 <= len(ran) <= 2 and all(result.outcomes[a].state == "incomplete" for a in ran)
    assert any(e.kind == STOPPING for e in events)
    assert took < 30  # a hang guard: the outcomes above show the early end


def _gone(pid: int) -> bool:
    """Ended: no such process, or a zombie no one has reaped yet."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return any(line.startswith("State:") and "Z" in line.split()[1] for line in status.splitlines())


def test_a_worker_ends_when_its_parent_is_killed(tmp_path: Path) -> None:
    log = tmp_path / "runs.log"
    log.touch()
    parent = SPAWN.Process(target=fleet_parent, args=(str(log),))
    parent.start()
    deadline = time.monotonic() + 60
    while not log.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    worker = int(log.read_text().split()[2])
    assert worker != parent.pid and not _gone(worker)
    os.kill(parent.pid, signal.SIGKILL)  # type: ignore[arg-type]
    parent.join(10)
    deadline = time.monotonic() + 10
    while not _gone(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _gone(worker)
