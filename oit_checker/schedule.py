"""``oit-checker schedule``: run the audit on a cron schedule with APScheduler 3.x, quietly, for ever.

* The cron expression and time zone come from ``[schedule]`` (default ``0 2 * * *``,
  Asia/Bangkok). Only one run at a time: APScheduler's ``max_instances=1`` within the process
  and a ``RunLock`` file across processes (released by the OS if a holder crashes).
* After the machine sleeps through run times, ``coalesce`` makes them one run, and a run later
  than ``misfire_grace`` seconds is skipped (and logged) rather than run at a surprising hour.
* The agency config is read again before every run, so edited URLs are picked up; the
  schedule, storage and lock settings are read once at start.
* SIGTERM or SIGINT stops it cleanly: no new run starts, a run in progress is cancelled and
  recorded ``interrupted``, the lock is released, and the process exits 0.
* One log line per run (stderr, times in the schedule's time zone).
* With a fleet file (``schedule -c fleet.toml``, or ``serve(..., fleet=path)``) the cron is
  ``[fleet.schedule]``, and each firing is one fleet run (trigger ``schedule``) in a child
  ``oit-checker fleet run``, under its own lock; with a broker it is queued for the workers, and a
  firing is skipped while the previous queued fleet run still has agencies to do.
* For tests only, ``OIT_CHECKER_SCHEDULE_SECONDS`` (a cron ``second`` field such as ``*/10``) makes
  the cron fire on those seconds of each matching minute, so a test of real firings takes seconds,
  not minutes; times are then logged with seconds. Unset (always, in use): the plain 5-field cron.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Protocol
from zoneinfo import ZoneInfo

from apscheduler.events import EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED, JobEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from . import paths
from .audit import AuditPlan, audit_async, new_run_id, plan_audit
from .config import LoadedConfig, ScheduleSettings, load_config
from .errors import OitCheckerError
from .lock import RunLock
from .messages import ui
from .models import AuditResult, Status
from .recorder import Recorded, Recorder, db_path_for, store_target_for
from .store import redact

JOB_ID = "audit"
SECONDS_ENV = "OIT_CHECKER_SCHEDULE_SECONDS"
"""Tests only: a cron ``second`` field added to the schedule (see the module docstring)."""


def _test_seconds() -> str | None:
    return os.environ.get(SECONDS_ENV) or None


class _ZoneFormatter(logging.Formatter):
    """``2025-01-31 02:00:03 +07 oit-checker: …`` in the schedule's time zone."""

    def __init__(self, zone: ZoneInfo) -> None:
        super().__init__("%(asctime)s oit-checker: %(message)s")
        self.zone = zone

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802 - stdlib name
        return dt.datetime.fromtimestamp(record.created, self.zone).strftime("%Y-%m-%d %H:%M:%S %z")


def schedule_logger(zone: ZoneInfo) -> logging.Logger:
    """The schedule's logger: one line per event on stderr."""
    log = logging.getLogger("oit_checker.schedule")
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(_ZoneFormatter(zone))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
    logging.getLogger("apscheduler").setLevel(logging.ERROR)  # its misses are logged by us, in Thai
    return log


def lock_path_for(loaded: LoadedConfig) -> Path:
    """``[schedule] lock_file`` (relative to the config file), else next to the history database."""
    configured = loaded.config.schedule.lock_file
    if configured:
        return paths.from_config(loaded, configured)
    db = db_path_for(loaded)
    return db.with_name(db.name + ".lock")


def _when(value: dt.datetime | None) -> str:
    fmt = "%Y-%m-%d %H:%M:%S %z" if _test_seconds() else "%Y-%m-%d %H:%M %z"
    return value.strftime(fmt) if value else "—"


def cron_trigger(cron: str, zone: ZoneInfo) -> CronTrigger:
    """The 5-field cron as a trigger; with ``OIT_CHECKER_SCHEDULE_SECONDS`` (tests) on those seconds."""
    seconds = _test_seconds()
    if seconds is None:
        return CronTrigger.from_crontab(cron, timezone=zone)
    minute, hour, day, month, day_of_week = cron.split()
    return CronTrigger(second=seconds, minute=minute, hour=hour, day=day, month=month, day_of_week=day_of_week,
                       timezone=zone)


class Guardian:
    """Runs one recorded audit per call of ``run_once``; ``cancel`` stops one in progress."""

    def __init__(self, config_path: str, loaded: LoadedConfig, *, log: logging.Logger, lang: str,
                 db_path: Path | str | None = None, lock_path: Path | None = None) -> None:
        self.config_path = config_path
        self.loaded = loaded
        self.log = log
        self.lang = lang
        self.db_path = db_path or store_target_for(loaded)
        """A SQLite path or a PostgreSQL URL (``[storage] url``; printed through ``store.redact``)."""
        self.lock_path = lock_path or lock_path_for(loaded)
        self.next_run: Callable[[], dt.datetime | None] = lambda: None
        self._guard = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[AuditResult] | None = None
        self._stopping = False

    def cancel(self) -> None:
        """Stop: no new run starts, and the audit in progress (if any) is cancelled."""
        with self._guard:
            self._stopping = True
            if self._loop is not None and self._task is not None:
                try:
                    self._loop.call_soon_threadsafe(self._task.cancel)
                except RuntimeError:  # the loop has just closed
                    pass

    def run_once(self) -> str:
        """One scheduled run: lock, reload the config, audit, record, notify, log. Returns the run's state."""
        with RunLock(self.lock_path) as held:
            if not held:
                self.log.warning(ui("schedule_locked", self.lang, lock=self.lock_path))
                return "skipped"
            try:
                return self._run_locked()
            except OitCheckerError as exc:  # the history cannot be written: say so, keep the schedule
                self.log.error(ui("schedule_run_error", self.lang, error=exc))
                return "error"

    def _run_locked(self) -> str:
        started = time.monotonic()
        try:
            loaded = load_config(self.config_path)
            plan = plan_audit(loaded)
        except OitCheckerError as exc:  # a broken config is a failed run, told with the config we started with
            now = dt.datetime.now(dt.UTC)
            recorder = Recorder(self.loaded, AuditPlan(new_run_id(now), (), now), trigger="schedule",
                                db_path=self.db_path)
            recorder.begin()
            return self._log(recorder.fail(str(exc)), started, error=str(exc))
        recorder = Recorder(loaded, plan, trigger="schedule", db_path=self.db_path)
        loop = asyncio.new_event_loop()
        try:
            with recorder.recording("oit-checker schedule was stopped during the run"):
                task = loop.create_task(audit_async(loaded, plan=plan))
                with self._guard:
                    self._loop, self._task = loop, task
                    if self._stopping:
                        task.cancel()
                result = loop.run_until_complete(task)
        except asyncio.CancelledError:  # recorded interrupted by the recorder
            self.log.warning(ui("schedule_interrupted", self.lang, run=plan.run_id))
            return "interrupted"
        except Exception as exc:
            if recorder.ended is None:  # the history could not be written: run_once says so
                raise
            return self._log(recorder.ended, started, error=f"{type(exc).__name__}: {exc}")  # failed, told
        finally:
            with self._guard:
                self._loop, self._task = None, None
            try:
                loop.run_until_complete(loop.shutdown_asyncgens())
                loop.run_until_complete(loop.shutdown_default_executor())
            finally:
                loop.close()
        return self._log(recorder.finish(result), started, counts=result.counts())

    def _log(self, recorded: Recorded, started: float, *, counts: dict[Status, int] | None = None,
             error: str | None = None) -> str:
        lang = self.lang
        if counts is not None:
            outcome = ui("summary", lang, total=sum(counts.values()), **{s.value: counts[s] for s in Status})
        else:
            outcome = error or ""
        told = ", ".join(f"{d.channel} {'ok' if d.ok else 'FAILED'}" for d in recorded.deliveries) or "—"
        line = ui("schedule_run_done", lang, run=recorded.run_id, state=ui(f"state_{recorded.state}", lang),
                  seconds=f"{time.monotonic() - started:.1f}", outcome=outcome, told=told, next=_when(self.next_run()))
        (self.log.info if recorded.state == "complete" else self.log.warning)(line)
        for delivery in recorded.deliveries:
            if not delivery.ok:
                self.log.error(ui("notify_failed", lang, channel=delivery.channel, detail=delivery.detail))
        return recorded.state


def build_scheduler(settings: ScheduleSettings, job: Callable[[], object], log: logging.Logger, lang: str,
                    first_run: dt.datetime | None = None) -> BackgroundScheduler:
    """A scheduler (not started) with the one audit job, its misfire grace, coalescing and limits.

    ``first_run`` overrides the job's first run time (``--now``, or a time in the past in tests).
    """
    zone = ZoneInfo(settings.timezone)
    scheduler = BackgroundScheduler(timezone=zone, executors={"default": ThreadPoolExecutor(1)})
    trigger = cron_trigger(settings.cron, zone)
    options: dict[str, object] = {"next_run_time": first_run} if first_run is not None else {}
    scheduler.add_job(job, trigger, id=JOB_ID, name="oit-checker audit", max_instances=1,
                      coalesce=settings.coalesce, misfire_grace_time=settings.misfire_grace, **options)

    def on_event(event: JobEvent) -> None:
        if event.code == EVENT_JOB_MISSED:
            when = getattr(event, "scheduled_run_time", None)
            log.warning(ui("schedule_missed", lang, when=_when(when), grace=settings.misfire_grace))
        elif event.code == EVENT_JOB_MAX_INSTANCES:
            log.warning(ui("schedule_busy", lang))

    scheduler.add_listener(on_event, EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES)
    return scheduler


class _Guard(Protocol):
    db_path: Path | str
    lock_path: Path
    next_run: Callable[[], dt.datetime | None]

    def run_once(self) -> str: ...

    def cancel(self) -> None: ...


def is_fleet_file(path: str | Path) -> bool:
    """A fleet file (``[fleet]`` and ``[[agencies]]``) rather than one agency's config."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    return isinstance(data.get("fleet"), dict) and isinstance(data.get("agencies"), list)


def serve(config_path: str, *, run_now: bool = False, lang: str | None = None, fleet: str | None = None,
          broker: str | None = None) -> int:
    """Run audits on ``[schedule]`` until SIGTERM/SIGINT; returns the exit code (0 after a clean stop).
    ``fleet`` (or a fleet file given as ``config_path``): fleet runs on ``[fleet.schedule]`` instead."""
    if fleet or is_fleet_file(config_path):
        return serve_fleet(fleet or config_path, run_now=run_now, lang=lang, broker=broker)
    loaded = load_config(config_path)
    settings = loaded.config.schedule
    lang = lang or loaded.config.audit.lang
    log = schedule_logger(ZoneInfo(settings.timezone))
    return _serve(settings, Guardian(config_path, loaded, log=log, lang=lang), log, lang, run_now)


def serve_fleet(path: str | Path, *, run_now: bool = False, lang: str | None = None, broker: str | None = None) -> int:
    """Run the fleet on ``[fleet.schedule]`` until SIGTERM/SIGINT (see ``FleetGuardian``)."""
    from .fleet.cli import store_target
    from .fleet.model import load_fleet

    fleet = load_fleet(path)
    settings = fleet.settings.schedule
    lang = lang or fleet.settings.lang
    log = schedule_logger(ZoneInfo(settings.timezone))
    target = store_target(fleet)
    if settings.lock_file:
        lock = fleet.resolve(settings.lock_file)
    elif isinstance(target, Path):
        lock = target.with_name(target.name + ".fleet.lock")
    else:
        lock = fleet.path.resolve().parent / ".oit-checker-fleet.lock"
    guardian = FleetGuardian(Path(path), fleet.settings.name, target, log=log, lang=lang, lock_path=lock,
                             broker=broker)
    return _serve(settings, guardian, log, lang, run_now)


class FleetGuardian:
    """Runs one fleet run per call of ``run_once`` as a child ``oit-checker fleet run`` (it re-reads
    the fleet file, has its own workers and signals); ``cancel`` passes SIGTERM on, and the child
    records the fleet run ``interrupted`` (its running agencies end incomplete)."""

    def __init__(self, path: Path, name: str, target: Path | str, *, log: logging.Logger, lang: str,
                 lock_path: Path, broker: str | None = None) -> None:
        self.path, self.name, self.db_path, self.log, self.lang = path, name, target, log, lang
        self.lock_path, self.broker = lock_path, broker
        self.next_run: Callable[[], dt.datetime | None] = lambda: None
        self._guard = threading.Lock()
        self._child: subprocess.Popen[str] | None = None
        self._stopping = False

    def cancel(self) -> None:
        """Stop: no new fleet run starts, and the one in progress (if any) is stopped."""
        with self._guard:
            self._stopping = True
            if self._child is not None and self._child.poll() is None:
                self._child.send_signal(signal.SIGTERM)

    def run_once(self) -> str:
        """One scheduled fleet run under the lock; returns its state (``skipped``, ``error`` …)."""
        with RunLock(self.lock_path) as held:
            if not held:
                self.log.warning(ui("schedule_locked", self.lang, lock=self.lock_path))
                return "skipped"
            if self.broker and self._queued_left():
                self.log.warning(ui("schedule_busy", self.lang))
                return "skipped"
            return self._run_locked()

    def _queued_left(self) -> bool:
        """The previous queued fleet run of this fleet still has agencies to do."""
        from .store.fleet import DONE, FAILED, FLEET_RUNNING, FleetStore

        with FleetStore(self.db_path) as store:
            runs = store.fleet_runs(self.name, limit=1)
            if not runs or runs[0].state != FLEET_RUNNING:
                return False
            return any(n for state, n in store.fleet_progress(runs[0].id).items() if state not in (DONE, FAILED))

    def _run_locked(self) -> str:
        started = time.monotonic()
        argv = [sys.executable, "-m", "oit_checker", "fleet", "run", str(self.path), "--trigger", "schedule", "-q",
                "--format", "json", "--lang", self.lang]
        if self.broker:
            argv += ["--broker", self.broker, "--no-wait"]
        # files, not pipes: a grandchild that outlives the child (multiprocessing's resource tracker
        # keeps stderr) must not keep the scheduler waiting for the end of a pipe
        with tempfile.TemporaryFile("w+", encoding="utf-8") as out_file, \
                tempfile.TemporaryFile("w+", encoding="utf-8") as err_file:
            with self._guard:
                if self._stopping:
                    return "interrupted"
                self._child = subprocess.Popen(argv, stdout=out_file, stderr=err_file, text=True,  # noqa: S603
                                               start_new_session=True)  # a terminal's Ctrl-C: we pass it on
            try:
                code = self._child.wait()
            finally:
                with self._guard:
                    self._child = None
            out_file.seek(0)
            err_file.seek(0)
            out, err = out_file.read(), err_file.read()
        try:
            data = json.loads(out)
        except ValueError:
            data = None
        if not isinstance(data, dict):
            if self._stopping:
                self.log.warning(ui("schedule_interrupted", self.lang, run=self.name))
                return "interrupted"
            detail = (err.strip().splitlines() or [f"exit {code}"])[-1]
            if self.broker and code == 0:  # queued for the workers: the child says where
                self.log.info(detail)
                return "queued"
            self.log.error(ui("schedule_run_error", self.lang, error=detail))
            return "error"
        return self._log(data, started)

    def _log(self, data: dict[str, object], started: float) -> str:
        from .store.fleet import FleetStore

        run = data.get("run") if isinstance(data.get("run"), dict) else {}
        summary = data.get("summary") if isinstance(data.get("summary"), dict) else {}
        assert isinstance(run, dict) and isinstance(summary, dict)
        run_id, state = str(run.get("id", "")), "complete" if run.get("complete") else "interrupted"
        items = summary.get("items_by_status") or {}
        counts = {s: int(items.get(s.value, 0)) for s in Status} if isinstance(items, dict) else {}
        outcome = ui("summary", self.lang, total=sum(counts.values()), **{s.value: n for s, n in counts.items()})
        try:
            with FleetStore(self.db_path) as store:
                sent = store.fleet_notifications(run_id)
        except OitCheckerError:
            sent = []
        told = ", ".join(f"{n.channel} {'ok' if n.ok else 'FAILED'}" for n in sent) or "—"
        line = ui("schedule_run_done", self.lang, run=run_id, state=ui(f"state_{state}", self.lang),
                  seconds=f"{time.monotonic() - started:.1f}", outcome=outcome, told=told, next=_when(self.next_run()))
        (self.log.info if state == "complete" else self.log.warning)(line)
        return state


def _serve(settings: ScheduleSettings, guardian: _Guard, log: logging.Logger, lang: str, run_now: bool) -> int:
    zone = ZoneInfo(settings.timezone)
    stop = threading.Event()
    received: list[int] = []

    def on_signal(signum: int, frame: FrameType | None) -> None:
        received.append(signum)
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    first = dt.datetime.now(zone) if run_now else None
    scheduler = build_scheduler(settings, guardian.run_once, log, lang, first_run=first)
    scheduler.start()

    job = scheduler.get_job(JOB_ID)
    trigger = cron_trigger(settings.cron, zone)

    def next_run() -> dt.datetime | None:
        """From the cron, not ``scheduler.get_job``: that waits for the scheduler's lock, which
        ``shutdown`` holds while it waits for this very job (a deadlock on SIGTERM)."""
        if stop.is_set():
            return None
        upcoming: dt.datetime | None = trigger.get_next_fire_time(None, dt.datetime.now(zone))
        return upcoming

    guardian.next_run = next_run
    log.info(ui("schedule_started", lang, cron=settings.cron, zone=settings.timezone,
                next=_when(job.next_run_time if job else None), db=redact(guardian.db_path), lock=guardian.lock_path))
    try:
        while not stop.wait(timeout=1.0):
            pass
    finally:
        name = signal.Signals(received[0]).name if received else "exit"
        log.info(ui("schedule_stopping", lang, signal=name))
        guardian.cancel()
        scheduler.shutdown(wait=True)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        log.info(ui("schedule_stopped", lang))
    return 0


__all__ = ["FleetGuardian", "Guardian", "build_scheduler", "is_fleet_file", "lock_path_for", "schedule_logger",
           "serve", "serve_fleet"]
