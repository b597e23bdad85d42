"""Keep every run: record it in the history, work out what changed, and tell people.

Used by ``oit-checker audit`` and ``oit-checker schedule`` alike, so a transition is noticed
whichever of them ran; notifications therefore need the history (``[storage] enabled``).

A run is begun before the audit starts (``running``, under the id its ``AuditPlan`` holds: the
same id as its evidence folder and its report), finished in one transaction after it, and marked
``failed`` (the audit raised) or ``interrupted`` (Ctrl-C, shutdown) otherwise.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import __version__, paths
from .audit import AuditPlan
from .config import LoadedConfig
from .deadline import DeadlineStatus, days_left, deadline_status
from .history import transition
from .messages import ui
from .models import AuditResult, Status
from .notify import Channel, Delivery, ItemEvent, Notice, channels_from, deliver
from .store import RunState, Store, StoreError, deciding_url, default_db_path, is_url, primary_finding, redact

HISTORY_WINDOW = 200
"""Judged runs of an item looked at to decide a transition (its confirmed verdict)."""


def scope_of(loaded: LoadedConfig) -> str:
    """Which runs belong together: the same main website audited against the same checklist."""
    return f"{loaded.agency.homepage} {loaded.checklist.id}"


STORAGE_URL_ENV = "OIT_CHECKER_STORAGE_URL"
"""A PostgreSQL URL here wins over ``[storage]`` (workers get the database without a password in a file)."""


def db_path_for(loaded: LoadedConfig | None) -> Path:
    """The SQLite file: ``[storage] path`` (relative to the config file), else the user's data directory."""
    if loaded is None or not loaded.config.storage.path:
        return default_db_path()
    return paths.from_config(loaded, loaded.config.storage.path)


def store_target_for(loaded: LoadedConfig | None) -> Path | str:
    """Where the history is: ``$OIT_CHECKER_STORAGE_URL``, else ``[storage] url`` (PostgreSQL), else
    the SQLite file of ``db_path_for``. Print it with ``store.redact`` (a URL may hold a password)."""
    from_env = os.environ.get(STORAGE_URL_ENV, "").strip()
    if from_env:
        if not is_url(from_env):
            raise StoreError(f"${STORAGE_URL_ENV}: not a PostgreSQL URL (postgresql://user@host:5432/database)")
        return from_env
    if loaded is not None and loaded.config.storage.url:
        return loaded.config.storage.url
    return db_path_for(loaded)


def _shown(target: Path | str) -> Path | str:
    """``target`` fit to print: a path as is, a URL without its password."""
    return redact(target) if is_url(target) else target


@dataclass(frozen=True)
class Recorded:
    """What happened to a run after the audit: where it was stored, what was told to whom."""

    run_id: str
    db_path: Path | str | None
    """The SQLite file, or the PostgreSQL URL without its password (fit to print); None when the
    history is turned off."""
    state: str
    notice: Notice | None = None
    deliveries: tuple[Delivery, ...] = ()


class Recorder:
    """Records one planned run: ``begin()``, then exactly one of ``finish``/``fail``/``interrupt``;
    ``recording()`` does the begin and the ending that matches what the audit did.

    Example::

        loaded = load_config("config.toml")
        plan = plan_audit(loaded)  # an unknown item is a usage error: nothing is recorded
        with Recorder(loaded, plan).recording() as recorder:
            result = run_audit(loaded, plan=plan)
        recorded = recorder.finish(result)
        print(recorded.run_id, recorded.db_path)
    """

    def __init__(self, loaded: LoadedConfig, plan: AuditPlan, *, enabled: bool = True, trigger: str = "audit",
                 channels: Sequence[Channel] | None = None, db_path: Path | str | None = None) -> None:
        self.loaded = loaded
        self.plan = plan
        self.enabled = enabled and loaded.config.storage.enabled
        self.trigger = trigger
        self.channels = list(channels) if channels is not None else channels_from(loaded.config.notify,
                                                                                       proxy=loaded.config.http.proxy)
        self.db_path: Path | str = db_path or (store_target_for(loaded) if self.enabled else db_path_for(loaded))
        """A SQLite path or a PostgreSQL URL (may hold a password: ``Recorded.db_path`` is the one to print)."""
        self._store: Store | None = None
        self.ended: Recorded | None = None
        """How ``recording()`` ended the run when its body raised (failed or interrupted)."""

    @property
    def run_id(self) -> str:
        """The plan's id: the one the history, the evidence and the report show."""
        return self.plan.run_id

    def begin(self) -> str:
        """Record the run as ``running``; returns its id. Raises ``StoreError`` before any audit work."""
        if not self.enabled:
            return self.run_id
        self._store = Store(self.db_path)
        checklist = self.loaded.checklist
        requested = self.plan.requested
        self._store.begin_run(
            self.run_id, scope=scope_of(self.loaded), trigger=self.trigger, started_at=self.plan.started_at,
            agency_name=self.loaded.agency.name, homepage=self.loaded.agency.homepage, checklist_id=checklist.id,
            assessment_year=checklist.assessment_year, tool_version=__version__, config_path=self.loaded.path,
            items_requested=list(requested) if requested else None,
            deadline=self.loaded.config.assessment.submission_deadline)
        return self.run_id

    @contextmanager
    def recording(self, stopped: str = "stopped by the user") -> Iterator[Recorder]:
        """``begin()``, then run the body: Ctrl-C, ``SystemExit`` or a cancelled task mark the run
        ``interrupted`` (with ``stopped``), any other exception ``failed``; both are re-raised.
        A body that returns leaves the run to ``finish(result)``."""
        self.begin()
        try:
            yield self
        except (KeyboardInterrupt, SystemExit, asyncio.CancelledError):
            self.interrupt(stopped)
            self.ended = Recorded(self.run_id, _shown(self.db_path) if self.enabled else None, RunState.INTERRUPTED)
            raise
        except BaseException as exc:
            self.ended = self.fail(f"{type(exc).__name__}: {exc}")
            raise

    def finish(self, result: AuditResult) -> Recorded:
        """Store ``result`` (one transaction), then ``notify`` the transitions it causes. ``result``
        must be the planned run's (``ValueError`` otherwise: one run, one id)."""
        self._check(result)
        store = self._store
        if store is None:
            return Recorded(result.run_id, None, RunState.COMPLETE if result.complete else RunState.INCOMPLETE)
        try:
            store.finish_run(self.run_id, result)
        except BaseException:
            self.close()
            raise
        return self.notify(result)

    def notify(self, result: AuditResult) -> Recorded:
        """Tell what ``result``, already stored as this run (by ``finish``, or by a fleet's
        ``finish_agency`` in its own transaction), changed: the items' transitions, or the failure
        notice of an incomplete run. Closes the connection; nothing is told without the history."""
        self._check(result)
        store = self._store
        state = RunState.COMPLETE if result.complete else RunState.INCOMPLETE
        if store is None:
            return Recorded(result.run_id, None, state)
        try:
            if result.complete:
                notice = self._item_notice(store, result)
            else:
                notice = self._failure_notice(store, state, ui("hint_incomplete", self._lang), result.counts(),
                                              result.started_at)
            return self._send(store, state, notice)
        finally:
            self.close()

    def _check(self, result: AuditResult) -> None:
        if result.run_id != self.run_id:
            raise ValueError(f"result of run {result.run_id} given to the recorder of run {self.run_id}")

    def fail(self, error: str) -> Recorded:
        """The audit raised: mark the run ``failed`` and tell (once per streak of failed runs)."""
        store = self._store
        if store is None:
            return Recorded(self.run_id, None, RunState.FAILED)
        try:
            store.end_run(self.run_id, RunState.FAILED, error)
            notice = self._failure_notice(store, RunState.FAILED, error, None, dt.datetime.now(dt.UTC))
            return self._send(store, RunState.FAILED, notice)
        finally:
            self.close()

    def interrupt(self, why: str) -> None:
        """The run was stopped on purpose (Ctrl-C, shutdown): mark it ``interrupted``; nobody is told."""
        if self._store is not None:
            try:
                self._store.end_run(self.run_id, RunState.INTERRUPTED, why)
            finally:
                self.close()

    def close(self) -> None:
        """Release the database connection."""
        if self._store is not None:
            self._store.close()
            self._store = None

    # -- what to tell ------------------------------------------------------------------------

    @property
    def _lang(self) -> str:
        return self.loaded.config.notify.lang

    def _item_notice(self, store: Store, result: AuditResult) -> Notice | None:
        confirm_after = self.loaded.config.notify.confirm_after
        scope = scope_of(self.loaded)
        events = []
        for item in result.items:
            history = store.item_history(scope, item.code, limit=HISTORY_WINDOW)
            change = transition([row.status for _, row in reversed(history)], confirm_after)
            if change is None:
                continue
            finding = primary_finding(item)
            url = item.passing_url or (u.url if (u := deciding_url(item)) else None)
            events.append(ItemEvent(change.kind, item.code, item.name_th, item.name_en, change.before, change.after,
                                    change.streak, finding.reason if finding else None,
                                    dict(finding.params) if finding else {}, url))
        if not events:
            return None
        return Notice(result.agency_name, result.homepage, self.run_id, RunState.COMPLETE, result.started_at,
                      result.counts(), tuple(events), None, self._deadline(result.finished_at, result), self._lang)

    def _failure_notice(self, store: Store, state: str, error: str, counts: dict[Status, int] | None,
                        started: dt.datetime) -> Notice | None:
        if not self.loaded.config.notify.on_run_failure:
            return None
        earlier = [r for r in store.runs(scope_of(self.loaded), limit=10)
                   if r.id != self.run_id and r.state not in (RunState.RUNNING, RunState.INTERRUPTED)]
        if earlier and earlier[0].failed:
            return None  # already told when this streak of failed runs began
        return Notice(self.loaded.agency.name, self.loaded.agency.homepage, self.run_id, state, started, counts,
                      (), error, self._deadline(dt.datetime.now(dt.UTC), None), self._lang)

    def _deadline(self, at: dt.datetime, result: AuditResult | None) -> DeadlineStatus | None:
        if result is not None:
            return deadline_status(result)
        assessment = self.loaded.config.assessment  # a failed run has no verdicts: days left only
        if assessment.submission_deadline is None:
            return None
        left = days_left(assessment.submission_deadline, at)
        return DeadlineStatus(assessment.submission_deadline, left, 0 <= left <= assessment.warn_days, ())

    def _send(self, store: Store, state: str, notice: Notice | None) -> Recorded:
        if notice is None or not self.channels:
            return Recorded(self.run_id, _shown(self.db_path), state, notice)
        deliveries = deliver(notice, self.channels)
        for delivery in deliveries:
            store.record_notification(self.run_id, delivery.channel, notice.event_names, delivery.ok, delivery.detail)
        return Recorded(self.run_id, _shown(self.db_path), state, notice, tuple(deliveries))


@dataclass
class HistoryContext:
    """What ``history`` and ``diff`` work on: the open store, the config's scope and language."""

    store: Store
    db_path: Path | str
    """The SQLite file, or the PostgreSQL URL without its password (fit to print)."""
    scope: str | None
    """Runs of this agency config only; None (every run) when no config file was found."""
    lang: str

    def __enter__(self) -> HistoryContext:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.store.close()


def open_history(config: str | None, db: str | None) -> HistoryContext:
    """Open the history of ``config`` (default ``config.toml`` when it exists), or the database ``db``
    (a SQLite path or a PostgreSQL URL)."""
    from .config import load_config

    path = config if config is not None else ("config.toml" if Path("config.toml").is_file() else None)
    loaded = load_config(path) if path is not None else None
    target = (db if is_url(db) else Path(db)) if db else store_target_for(loaded)
    store = Store(target, create=False)
    return HistoryContext(store, _shown(target), scope_of(loaded) if loaded else None,
                          loaded.config.audit.lang if loaded else "th")
