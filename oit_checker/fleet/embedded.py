"""Embedded mode: a fleet's agencies audited by a pool of local worker processes (plan16 §4).

``run_embedded`` keeps at most ``jobs`` agencies in flight in a ``spawn`` ``ProcessPoolExecutor``.
Each worker gets, at its start, the cross-process limiter (``fetch/limits.py``, installed for every
fetcher of the process), the progress queue, and a watchdog that ends it if the parent dies, so no
orphan audit keeps writing. A lost worker (OOM, SIGKILL) breaks the whole pool: a new limiter
(the dead one's slots leaked), a new queue and a new pool take over, and every agency not finished
is submitted again, each at most ``max_attempts`` times. SIGINT/SIGTERM stop new submissions and are
passed on to the workers, whose audits end through their own deadline (recorded incomplete).

With ``per_worker`` k > 1 (``[fleet.limits] agencies_per_worker``) an audit is mostly waiting, so each
worker runs k agencies at once: the pool runs one ``serve`` call per worker, whose k threads (the main
one and k - 1 helpers, each with its own event loop) take agency ids from a shared work queue that the
parent keeps at ``jobs * k`` agencies in flight. Outcomes come back as ``finished`` events. SIGINT in
such a worker ends the audits of all its threads (``run_deadline.stop_every_run_on_sigint``), and
any it begins afterwards; its threads take no new agency once the parent stops feeding the queue.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue as queue_module
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from .. import run_deadline
from ..fetch import limits
from . import progress
from .progress import BEGUN, FINISHED, LOST, STOPPING, AgencyOutcome, Event

MAX_TASKS_PER_CHILD = 50
"""A worker is replaced after this many agencies (memory a long run may leak, a browser's state)."""
WATCHDOG_PERIOD = 0.5
"""Seconds between a worker's checks that its parent is still alive."""

Task = Callable[[str], AgencyOutcome]
"""One agency's audit: a picklable top-level function (or a ``functools.partial`` of one)."""
LimiterFactory = Callable[[], limits.Limiter | None]
"""Makes the limiter of one pool (called again after a lost worker); ``None``: per-fetcher limits."""


@dataclass
class EmbeddedResult:
    """How the run went: each agency's last outcome, attempts, and whether it was interrupted."""

    outcomes: dict[str, AgencyOutcome] = field(default_factory=dict)
    attempts: Counter[str] = field(default_factory=Counter)
    pools: int = 0
    """Pools started: 1, plus one per recovery from a lost worker."""
    interrupted: bool = False
    not_run: tuple[str, ...] = ()
    """Agencies never finished (interrupted before their turn)."""


# --- the worker side ---------------------------------------------------------------------------


def worker_init(limiter: limits.Limiter | None, events: Any, parent_pid: int) -> None:
    """Runs first in each worker: its own process group (a terminal's Ctrl-C reaches the parent only,
    which passes it on once), signals ignored between audits, the limiter and queue installed, and
    the parent watchdog started."""
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)
    _ignore_signals()
    limits.install(limiter)
    progress.install_queue(events)
    threading.Thread(target=_watch_parent, args=(parent_pid,), name="parent-watchdog", daemon=True).start()


def _ignore_signals() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the pool ends a broken pool's workers with SIGTERM


def _watch_parent(parent_pid: int) -> None:
    while True:
        time.sleep(WATCHDOG_PERIOD)
        if os.getppid() != parent_pid:
            os._exit(1)


def run_one(task: Task, agency_id: str) -> AgencyOutcome:
    """One agency in a worker: ``begun`` and ``finished`` events around the task; a task that raises
    gives a ``failed`` outcome (the pool survives); signals are ignored again afterwards."""
    progress.send(Event(BEGUN, agency_id, pid=os.getpid()))
    try:
        outcome = task(agency_id)
    except Exception as exc:  # noqa: BLE001 - one agency's bug must not end the fleet
        outcome = AgencyOutcome(agency_id, "failed", error=f"{type(exc).__name__}: {exc}"[:500])
    finally:
        main = threading.current_thread() is threading.main_thread()  # signal.signal: main thread only
        if main and not run_deadline.sigint_stops_every_run():
            _ignore_signals()
    progress.send(Event(FINISHED, agency_id, pid=os.getpid(), outcome=outcome))
    return outcome


_work: Any = None
"""The shared work queue of a ``per_worker`` pool (agency ids; ``None``: take no more)."""


def worker_init_shared(limiter: limits.Limiter | None, events: Any, parent_pid: int, work: Any) -> None:
    """``worker_init``, and the work queue the ``serve`` threads take agencies from."""
    global _work  # noqa: PLW0603 - one per worker process, set by the pool's initializer
    worker_init(limiter, events, parent_pid)
    _work = work


def serve(task: Task, per_worker: int, quota: int) -> int:
    """Run agencies from the work queue in ``per_worker`` threads until each takes ``None`` or the
    process has taken ``quota`` (then the pool replaces it); returns how many it took."""
    run_deadline.stop_every_run_on_sigint()  # SIGINT ends the audits of every thread, and any begun after
    lock = threading.Lock()
    taken = [0]

    def slot() -> None:
        while True:
            with lock:
                if taken[0] >= quota:
                    return
                taken[0] += 1
            agency_id = _work.get()
            if agency_id is None:
                return
            run_one(task, agency_id)

    def helper_slot() -> None:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})  # SIGINT wakes the main thread, whose handler runs
        slot()

    helpers = [threading.Thread(target=helper_slot, name=f"fleet-agency-{n}", daemon=True) for n in range(1, per_worker)]
    for helper in helpers:
        helper.start()
    try:
        slot()
    finally:
        for helper in helpers:  # their agencies are recorded before the process may go
            helper.join()
    return taken[0]


# --- the parent side ---------------------------------------------------------------------------


class _Stop:
    """SIGINT/SIGTERM in the parent: stop submitting and pass SIGINT on to the running workers."""

    def __init__(self) -> None:
        self.requested = False
        self.announced = False
        self.pids: dict[str, int] = {}
        self._previous: dict[int, Any] = {}

    @contextlib.contextmanager
    def installed(self, enabled: bool) -> Iterator[None]:
        if not enabled or threading.current_thread() is not threading.main_thread():
            yield
            return
        for sig in (signal.SIGINT, signal.SIGTERM):
            self._previous[sig] = signal.signal(sig, self._on_signal)
        try:
            yield
        finally:
            for previous, handler in self._previous.items():
                signal.signal(previous, handler)

    def _on_signal(self, signum: int, frame: object) -> None:
        self.requested = True
        self.forward()

    def forward(self) -> None:
        """Each running audit ends through its deadline on SIGINT (``run_audit(signals=True)``, or in
        a worker running several, ``run_deadline.stop_every_run_on_sigint``)."""
        for pid in set(self.pids.values()):
            self.kill(pid)

    @staticmethod
    def kill(pid: int) -> None:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGINT)


class _Drain:
    """A parent thread that moves the workers' events to ``on_event``, noting which pid runs what."""

    def __init__(self, events: Any, stop: _Stop, on_event: Callable[[Event], None] | None) -> None:
        self.events, self._stop_signal, self._on_event = events, stop, on_event
        self.finished: dict[str, AgencyOutcome] = {}
        """Outcomes the workers reported: an agency whose future a broken pool failed may be among them."""
        self.begun: set[str] = set()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fleet-progress", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            try:
                event: Event = self.events.get(timeout=0.1)
            except queue_module.Empty:
                if self._done.is_set():
                    return
                continue
            except (OSError, EOFError, ValueError):
                return
            if event.kind == BEGUN:
                self.begun.add(event.agency_id)
                self._stop_signal.pids[event.agency_id] = event.pid
                if self._stop_signal.requested:  # it began as the stop came: end it too
                    self._stop_signal.kill(event.pid)
            elif event.kind == FINISHED:
                self._stop_signal.pids.pop(event.agency_id, None)
                if event.outcome is not None:
                    self.finished[event.agency_id] = event.outcome
            if self._on_event is not None:
                try:
                    self._on_event(event)
                except Exception:  # noqa: BLE001, S112 - a display error must not stop the run
                    continue

    def close(self) -> None:
        self._done.set()
        self._thread.join(timeout=5)
        self.events.close()
        self.events.join_thread()


def run_embedded(jobs: int, agencies: Sequence[str], task: Task, *, limiter: LimiterFactory | None = None,
                 on_event: Callable[[Event], None] | None = None, max_attempts: int = 3,
                 max_tasks_per_child: int = MAX_TASKS_PER_CHILD, handle_signals: bool = True,
                 context: multiprocessing.context.SpawnContext | None = None, per_worker: int = 1) -> EmbeddedResult:
    """Run ``task(agency_id)`` for every agency in up to ``jobs`` worker processes, ``per_worker`` at
    once in each (threads: ``task`` must then not install signal handlers outside the main thread).

    ``limiter`` makes each pool's limiter in the parent (e.g. ``partial(ProcessLimiter.for_options,
    options)``); ``on_event`` gets every progress ``Event`` in a parent thread (``FleetProgress.handle``).
    An agency whose worker is lost counts an attempt (every agency in flight does: the pool cannot
    tell which worker died); after ``max_attempts`` it is ``failed``. A second signal is passed on
    too, and ends the audits at once (Python's own handling). Typical use::

        with FleetProgress(len(ids), lang, quiet=quiet) as shown:
            result = run_embedded(jobs, ids, partial(run_agency, target, fleet_run_id),
                                  limiter=partial(ProcessLimiter.for_options, options), on_event=shown.handle)
    """
    ctx = context or multiprocessing.get_context("spawn")
    result = EmbeddedResult()
    todo = list(dict.fromkeys(agencies))
    stop = _Stop()
    pools_left = len(todo) * max(1, max_attempts) + 1  # a pool that breaks at every start cannot loop for ever
    with stop.installed(handle_signals):
        while todo and not stop.requested and result.pools < pools_left:
            if per_worker > 1:
                todo = _shared_pool(ctx, _Shape(max(1, jobs), per_worker, max_tasks_per_child), todo, task,
                                    limiter, on_event, max_attempts, stop, result)
            else:
                todo = _one_pool(ctx, jobs, todo, task, limiter, on_event, max_attempts, max_tasks_per_child,
                                 stop, result)
    result.interrupted = stop.requested
    result.not_run = tuple(a for a in agencies if a not in result.outcomes)
    for agency_id in result.not_run:
        result.outcomes[agency_id] = AgencyOutcome(agency_id, "interrupted" if stop.requested else "failed")
    return result


def _one_pool(ctx: multiprocessing.context.SpawnContext, jobs: int, todo: list[str], task: Task,
              limiter: LimiterFactory | None, on_event: Callable[[Event], None] | None, max_attempts: int,
              max_tasks_per_child: int, stop: _Stop, result: EmbeddedResult) -> list[str]:
    """Run agencies in one pool until all are done, a stop, or a lost worker; returns those left."""
    events = ctx.Queue()
    drain = _Drain(events, stop, on_event)
    result.pools += 1
    waiting = list(todo)
    running: dict[Future[AgencyOutcome], str] = {}
    pool = ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=ctx, initializer=worker_init,
                               initargs=(limiter() if limiter else None, events, os.getpid()),
                               max_tasks_per_child=max_tasks_per_child)
    lost: list[str] = []
    broken = False
    try:
        while (waiting or running) and not broken:
            while waiting and len(running) < jobs and not stop.requested and not broken:
                agency_id = waiting[0]
                try:
                    running[pool.submit(run_one, task, agency_id)] = agency_id
                except BrokenProcessPool:  # it broke before a future noticed
                    broken = True
                    break
                waiting.pop(0)
                result.attempts[agency_id] += 1
            if stop.requested and not stop.announced:
                stop.announced = True
                if on_event is not None:
                    on_event(Event(STOPPING, ""))
            if not running:
                break
            finished, _ = wait(running, timeout=0.2, return_when=FIRST_COMPLETED)
            for future in finished:
                agency_id = running.pop(future)
                try:
                    result.outcomes[agency_id] = future.result()
                except BrokenProcessPool:  # every future in flight fails with it: the loop ends
                    broken = True
                    lost.append(agency_id)
        lost.extend(running.values())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        drain.close()
        stop.pids.clear()
    for agency_id in lost:
        if agency_id in drain.finished:  # it ended before the pool broke; only its result was lost
            result.outcomes[agency_id] = drain.finished[agency_id]
        else:
            _lost(agency_id, max_attempts, result, waiting, on_event)
    return waiting


def _lost(agency_id: str, max_attempts: int, result: EmbeddedResult, waiting: list[str],
          on_event: Callable[[Event], None] | None) -> None:
    """An agency whose worker was lost: again in the next pool, or ``failed`` after its last attempt."""
    if on_event is not None:
        on_event(Event(LOST, agency_id))
    if result.attempts[agency_id] < max_attempts:
        waiting.append(agency_id)
        return
    outcome = AgencyOutcome(agency_id, "failed", error="worker lost")
    result.outcomes[agency_id] = outcome
    if on_event is not None:
        on_event(Event(FINISHED, agency_id, outcome=outcome))


@dataclass(frozen=True)
class _Shape:
    """A ``per_worker`` pool: ``jobs`` processes, ``per_worker`` agencies at once in each, a process
    replaced after ``quota`` agencies."""

    jobs: int
    per_worker: int
    quota: int

    @property
    def slots(self) -> int:
        return self.jobs * self.per_worker


def _shared_pool(ctx: multiprocessing.context.SpawnContext, shape: _Shape, todo: list[str], task: Task,
                 limiter: LimiterFactory | None, on_event: Callable[[Event], None] | None, max_attempts: int,
                 stop: _Stop, result: EmbeddedResult) -> list[str]:
    """``_one_pool`` for ``per_worker`` > 1: ``serve`` calls take agencies from a work queue the parent
    keeps ``jobs * per_worker`` deep in flight; outcomes come from the ``finished`` events."""
    events, work = ctx.Queue(), ctx.Queue()
    drain = _Drain(events, stop, on_event)
    result.pools += 1
    waiting = list(todo)
    given: list[str] = []
    serves: set[Future[int]] = set()
    pool = ProcessPoolExecutor(max_workers=shape.jobs, mp_context=ctx, initializer=worker_init_shared,
                               initargs=(limiter() if limiter else None, events, os.getpid(), work),
                               max_tasks_per_child=1)  # a serve call is the process's whole life
    broken = closing = False
    try:
        while not broken:
            in_flight = [a for a in given if a not in drain.finished]
            if stop.requested and not stop.announced:
                stop.announced = True
                if on_event is not None:
                    on_event(Event(STOPPING, ""))
                for agency_id in _take_back(work):  # not begun: left for a resume
                    given.remove(agency_id)
                    waiting.insert(0, agency_id)
                    result.attempts[agency_id] -= 1
                in_flight = [a for a in given if a not in drain.finished]
                closing = True
                _close(work, shape.slots)  # again: the threads' stop marks were taken back with the agencies
            while not closing and waiting and len(in_flight) < shape.slots:
                agency_id = waiting.pop(0)
                work.put(agency_id)
                given.append(agency_id)
                in_flight.append(agency_id)
                result.attempts[agency_id] += 1
            if not closing and not waiting:
                closing = True
                _close(work, shape.slots)
            unstarted = any(a not in drain.begun for a in in_flight)
            while len(serves) < shape.jobs and (not closing or unstarted):
                try:
                    serves.add(pool.submit(serve, task, shape.per_worker, shape.quota))
                except BrokenProcessPool:
                    broken = True
                    break
                if closing:  # a serve that replaced one after the close: its threads end too
                    _close(work, shape.per_worker)
                    break
            if not serves:
                break
            done, _ = wait(serves, timeout=0.2, return_when=FIRST_COMPLETED)
            for future in done:
                serves.discard(future)
                if isinstance(future.exception(), BrokenProcessPool):
                    broken = True
    finally:
        _close(work, shape.slots)  # no thread waits for ever, whatever ended the loop
        pool.shutdown(wait=True, cancel_futures=True)
        drain.close()
        work.cancel_join_thread()
        work.close()
        stop.pids.clear()
    for agency_id in given:
        if agency_id in drain.finished:
            result.outcomes[agency_id] = drain.finished[agency_id]
        elif broken:
            _lost(agency_id, max_attempts, result, waiting, on_event)
        else:  # stopped before a thread took it
            waiting.append(agency_id)
    return waiting


def _take_back(work: Any) -> list[str]:
    """The agencies still in the work queue (no thread took them yet); stop marks there are dropped."""
    back: list[str] = []
    while True:
        try:
            agency_id = work.get_nowait()
        except (queue_module.Empty, OSError, ValueError):
            return back
        if agency_id is not None:
            back.append(agency_id)


def _close(work: Any, threads: int) -> None:
    """Tell ``threads`` serve threads to take no more agencies."""
    for _ in range(threads):
        with contextlib.suppress(OSError, ValueError):
            work.put(None)
