"""Celery mode: a fleet's agencies audited by workers on several machines over a Redis broker.

The message is only ``(store target, fleet run id, agency id)``; the task is ``task.run_agency``,
the same one the local pool runs, and the store, not Celery, makes each agency recorded at most once
(claims with attempts, one finishing transaction). There is no result backend: the store is the
result, and ``fleet run --broker`` follows the agencies there (``follow_fleet``).

Settings (measured, plan16 §1): the message is acknowledged after the task (``acks_late``), and a
pool process killed mid-audit gives its message back at once (``reject_on_worker_lost``); each
process reserves one message at a time. The hard time limit is ``agency_minutes`` + up to 5 min (the
audit's own deadline ends it first, with a recorded partial result); the visibility timeout is
derived to be longer than that limit, or Redis would hand a still-running agency to a second worker.
A whole worker lost (machine down) is noticed ``restore_interval`` seconds after that timeout.

Celery is an optional dependency (``pip install 'oit-checker[workers]'``): import this module only
for ``worker`` and ``fleet run --broker``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import redis
from celery import Celery, Task, signals

from ..errors import OitCheckerError, StoreError
from ..fetch import limits as fetch_limits
from ..messages import ui
from ..store import is_url
from ..store.fleet import DONE, FAILED, FLEET_RUNNING, PENDING, RUNNING, FleetStore
from .notify import finalise_quietly
from .progress import FINISHED, AgencyOutcome, Event
from .redis_limits import Limits, RedisLimiter, connect, set_limits
from .task import run_agency, stored_outcome

TASK_NAME = "oit_checker.audit_agency"
QUEUE = "oit-checker"
TIME_MARGIN = 300.0
"""Most seconds the hard time limit adds to ``agency_minutes`` (the audit's deadline, then its reports):
as long as the audit itself, from ``MIN_TIME_MARGIN`` to 5 min."""
MIN_TIME_MARGIN = 30.0
MAX_TASKS_PER_CHILD = 50
MAX_MEMORY_PER_CHILD = 1_000_000
"""KiB: a pool process past about 1 GB is replaced after its agency (DESIGN §10)."""
STORE_RETRIES = 3
STORE_RETRY_SECONDS = 15
log = logging.getLogger(__name__)


class BrokerError(OitCheckerError):
    """The broker (Redis) does not answer, or the store cannot be shared with workers (exit 2)."""


@dataclass(frozen=True)
class Timing:
    """How long an agency may run on a worker, and how soon a lost one is given to another.

    ``agency_minutes``: the longest ``[fleet.limits] agency_minutes`` the worker serves.
    ``visibility_margin``: seconds past the hard time limit before Redis gives an unacknowledged
    agency to another worker (never a free setting: always longer than the limit).
    ``restore_interval``: seconds between a worker's sweeps for such agencies.
    """

    agency_minutes: float = 30.0
    visibility_margin: float = 600.0
    restore_interval: float = 10.0

    def __post_init__(self) -> None:
        if self.agency_minutes <= 0 or self.visibility_margin <= 0 or self.restore_interval <= 0:
            raise ValueError("agency_minutes, visibility_margin and restore_interval must be positive")

    @property
    def time_limit(self) -> float:
        """The hard limit of one agency's task (its process is killed past it)."""
        audit = self.agency_minutes * 60
        return audit + min(TIME_MARGIN, max(MIN_TIME_MARGIN, audit))

    @property
    def visibility_timeout(self) -> float:
        """Seconds a reserved message stays invisible to other workers: longer than ``time_limit``."""
        return self.time_limit + self.visibility_margin


def key_prefix(queue: str) -> str:
    """The Redis keys of one queue (its messages, and under ``limiter:`` its request limits): fleets
    on different queues share nothing but the Redis server."""
    return f"{queue}:"


def limiter_prefix(queue: str) -> str:
    """Where the ``RedisLimiter`` of ``queue``'s workers keeps its leases and limits."""
    return key_prefix(queue) + "limiter:"


def settings(timing: Timing, queue: str = QUEUE) -> dict[str, Any]:
    """The Celery configuration (plan16 §1); the same on the workers and on ``fleet run``."""
    return {
        "task_acks_late": True,                    # a kill before the task returns leaves the message
        "task_reject_on_worker_lost": True,        # a killed pool process: the message comes back at once
        "task_acks_on_failure_or_timeout": True,   # a task that raised or hit the limit: recorded failed, no loop
        "worker_prefetch_multiplier": 1,           # one message reserved per pool process
        "worker_cancel_long_running_tasks_on_connection_loss": True,
        "task_time_limit": timing.time_limit,
        "broker_transport_options": {
            "visibility_timeout": timing.visibility_timeout,
            "unacked_restore_interval": timing.restore_interval,
            "unacked_restore_throttle": 1,         # kombu's default (10) makes the sweep 10 times rarer
            "global_keyprefix": key_prefix(queue),
        },
        "task_ignore_result": True,                # no result backend: the store is the result
        "task_serializer": "json",
        "accept_content": ["json"],
        "broker_connection_retry_on_startup": True,
        "worker_max_tasks_per_child": MAX_TASKS_PER_CHILD,
        "worker_max_memory_per_child": MAX_MEMORY_PER_CHILD,
        "task_default_queue": queue,
        "worker_hijack_root_logger": True,
    }


class _AgencyTask(Task):  # type: ignore[misc]  # celery ships no type information
    """``on_failure`` runs for a task that raised (in the pool process) and for the hard time limit
    (in the worker's main process): the agency is recorded failed, unless an attempt finished it."""

    def on_failure(self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        store_target, fleet_run_id, agency_id = args
        try:
            with FleetStore(store_target) as store:
                store.fail_lost(fleet_run_id, agency_id, f"{type(exc).__name__}: {exc}"[:500])
            close_if_done(store_target, fleet_run_id)
            finalise_quietly(store_target, fleet_run_id)  # the last agency may be this one: the owner's summary
        except OitCheckerError as error:
            log.error("agency %s of fleet run %s: could not record its failure: %s", agency_id, fleet_run_id, error)


def _audit_agency(task: Task, store_target: str, fleet_run_id: str, agency_id: str) -> str:
    """The Celery task: one agency of one fleet run (``oit_checker.audit_agency``)."""
    try:
        outcome = run_agency(store_target, fleet_run_id, agency_id)
    except StoreError as exc:  # the database is away for a moment: the same agency again, later
        raise task.retry(exc=exc, countdown=STORE_RETRY_SECONDS, max_retries=STORE_RETRIES) from exc
    close_if_done(store_target, fleet_run_id)
    return outcome.state


def close_if_done(store_target: str | Path, fleet_run_id: str) -> bool:
    """End a Celery fleet run once no agency is left (whoever follows it may be gone: ``--no-wait``)."""
    with FleetStore(store_target) as store:
        counts = store.fleet_progress(fleet_run_id)
        if counts[PENDING] or counts[RUNNING] or store.fleet_run(fleet_run_id).state != FLEET_RUNNING:
            return False
        store.finish_fleet_run(fleet_run_id)
    return True


def make_app(broker: str, *, timing: Timing | None = None, queue: str = QUEUE) -> Celery:
    """A Celery app on ``broker`` with the task registered (a new one each call: tests use several)."""
    app = Celery("oit_checker", broker=broker, backend=None, set_as_current=False)
    app.conf.update(settings(timing or Timing(), queue))
    app.task(name=TASK_NAME, bind=True, base=_AgencyTask)(_audit_agency)
    return app


def check_broker(broker: str, lang: str = "th") -> redis.Redis:
    """A client of the broker's Redis, once it answers; ``BrokerError`` (exit 2) when it does not."""
    if urlsplit(broker).scheme not in ("redis", "rediss"):
        raise BrokerError(ui("fleet_worker_not_redis", lang, broker=redact_url(broker)))
    client = connect(broker)
    try:
        client.ping()
    except redis.RedisError as exc:
        raise BrokerError(ui("fleet_worker_no_broker", lang, broker=redact_url(broker), error=str(exc))) from exc
    return client


def redact_url(url: str) -> str:
    """A broker URL fit to print (its password ``***``)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user, _, host = parts.netloc.rpartition("@")
    return urlunsplit(parts._replace(netloc=f"{user.partition(':')[0]}:***@{host}"))


def shared_target(store_target: str | Path, lang: str = "th") -> str:
    """The store as a worker opens it: a PostgreSQL URL without its password (broker messages are
    not secret: workers take the password from ``PGPASSWORD`` or ``~/.pgpass``). SQLite is refused:
    workers on other machines cannot share the file."""
    target = str(store_target)
    if not is_url(target):
        raise BrokerError(ui("fleet_worker_sqlite", lang, db=target))
    parts = urlsplit(target)
    netloc = parts.netloc
    if parts.password is not None:
        user, _, host = netloc.rpartition("@")
        netloc = f"{user.partition(':')[0]}@{host}"
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = parts.query  # as given (libpq refuses an unescaped "=" inside a value)
    if any(k == "password" for k, _ in pairs):
        query = urlencode([(k, v) for k, v in pairs if k != "password"])
    return urlunsplit(parts._replace(netloc=netloc, query=query))


def enqueue_fleet(broker: str, store_target: str | Path, fleet_run_id: str, agency_ids: Iterable[str], *,
                  queue: str = QUEUE, limits: Limits | None = None, lang: str = "th") -> int:
    """Put one message per agency on ``queue``; ``limits`` become the workers' request limits.
    Returns how many were sent. The fleet run must already be begun in the store."""
    client = check_broker(broker, lang)
    if limits is not None:
        set_limits(client, limits, limiter_prefix(queue))
    target = shared_target(store_target, lang)
    app = make_app(broker, queue=queue)
    sent = 0
    with app.producer_or_acquire() as producer:
        for agency_id in agency_ids:
            app.send_task(TASK_NAME, args=(target, fleet_run_id, agency_id), queue=queue, producer=producer,
                          task_id=f"{fleet_run_id}:{agency_id}:{time.time_ns()}")
            sent += 1
    return sent


def follow_fleet(store_target: str | Path, fleet_run_id: str, on_event: Callable[[Event], None], *,
                 poll: float = 2.0, timeout: float | None = None, only: Collection[str] | None = None) -> bool:
    """Report each agency of the fleet run as it finishes (``FINISHED`` events with its stored
    outcome; of ``only`` these when given), until none is pending or running (True) or ``timeout``
    seconds pass (False). The store is the only source: workers on any machine, no result backend."""
    seen: set[str] = set() if only is None else {a.agency_id for a in _rows(store_target, fleet_run_id)} - set(only)
    ends = None if timeout is None else time.monotonic() + timeout
    with FleetStore(store_target) as store:
        while True:
            left = 0
            for row in store.fleet_agencies(fleet_run_id):
                if row.state in (DONE, FAILED):
                    if row.agency_id not in seen:
                        seen.add(row.agency_id)
                        outcome: AgencyOutcome = stored_outcome(row)
                        on_event(Event(FINISHED, row.agency_id, outcome=outcome))
                else:
                    left += 1
            if not left:
                return True
            if ends is not None and time.monotonic() >= ends:
                return False
            time.sleep(poll)


def _rows(store_target: str | Path, fleet_run_id: str) -> list[Any]:
    with FleetStore(store_target) as store:
        return list(store.fleet_agencies(fleet_run_id))


def run_worker(broker: str, concurrency: int | None = None, loglevel: str = "info", *, queue: str = QUEUE,
               timing: Timing | None = None, lang: str = "th") -> int:
    """Run a prefork Celery worker in this process until it is stopped; returns its exit status.

    Each pool process installs a ``RedisLimiter`` on the broker's Redis at its start, so the
    per-host limits hold across every worker. Chromium starts in a pool process only when an
    agency's page needs it, as in a plain audit. SIGTERM: running agencies finish, then it stops.
    """
    check_broker(broker, lang)
    app = make_app(broker, timing=timing, queue=queue)
    prefix = limiter_prefix(queue)

    def install_limiter(**_: Any) -> None:
        fetch_limits.install(RedisLimiter(broker, prefix=prefix))
        for quiet in ("httpx", "httpcore"):  # a line per request at the worker's INFO level otherwise
            logging.getLogger(quiet).setLevel(logging.WARNING)

    signals.worker_process_init.connect(install_limiter, weak=False)
    argv = ["worker", "--pool=prefork", f"--queues={queue}", f"--loglevel={loglevel}", "--without-mingle",
            "--without-gossip", f"--hostname=oit{os.getpid()}@%h"]
    if concurrency:
        argv.append(f"--concurrency={concurrency}")
    try:
        app.worker_main(argv)
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else 1
    finally:
        signals.worker_process_init.disconnect(install_limiter)
        with contextlib.suppress(Exception):
            app.close()
    return 0
