"""Keep every run: record it in the history, work out what changed, and tell people.

Used by ``oit-checker audit`` and ``oit-checker schedule`` alike, so a transition is noticed
whichever of them ran; notifications therefore need the history (``[storage] enabled``).

A run is begun before the audit starts (``running``), finished in one transaction after it,
and marked ``failed`` (the audit raised) or ``interrupted`` (Ctrl-C, shutdown) otherwise.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import __version__, paths
from .audit import select_items
from .config import LoadedConfig
from .deadline import DeadlineStatus, days_left, deadline_status
from .history import transition
from .messages import ui
from .models import AuditResult, Status
from .notify import Channel, Delivery, ItemEvent, Notice, channels_from, deliver
from .store import RunState, Store, deciding_url, default_db_path, primary_finding

HISTORY_WINDOW = 200
"""Judged runs of an item looked at to decide a transition (its confirmed verdict)."""


def scope_of(loaded: LoadedConfig) -> str:
    """Which runs belong together: the same main website audited against the same checklist."""
    return f"{loaded.agency.homepage} {loaded.checklist.id}"


def db_path_for(loaded: LoadedConfig | None) -> Path:
    """``[storage] path`` (relative to the config file), else the user's data directory."""
    if loaded is None or not loaded.config.storage.path:
        return default_db_path()
    return paths.from_config(loaded, loaded.config.storage.path)


def new_run_id(now: dt.datetime | None = None) -> str:
    """A run id in the report's format: UTC time and a random suffix."""
    now = now or dt.datetime.now(dt.UTC)
    return now.strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


@dataclass(frozen=True)
class Recorded:
    """What happened to a run after the audit: where it was stored, what was told to whom."""

    run_id: str
    db_path: Path | None
    """None when the history is turned off."""
    state: str
    notice: Notice | None = None
    deliveries: tuple[Delivery, ...] = ()


class Recorder:
    """Records one run. ``begin()``, then exactly one of ``finish``/``fail``/``interrupt``."""

    def __init__(self, loaded: LoadedConfig, *, enabled: bool = True, trigger: str = "audit",
                 items: Sequence[str] | None = None, channels: Sequence[Channel] | None = None,
                 db_path: Path | None = None) -> None:
        self.loaded = loaded
        self.enabled = enabled and loaded.config.storage.enabled
        self.trigger = trigger
        self.items = list(items) if items else None
        self.channels = list(channels) if channels is not None else channels_from(loaded.config.notify,
                                                                                       proxy=loaded.config.http.proxy)
        self.db_path = db_path or db_path_for(loaded)
        self.run_id = ""
        self._store: Store | None = None

    def begin(self) -> str:
        """Record the run as ``running``; returns its id. Raises ``StoreError`` before any audit work."""
        started = dt.datetime.now(dt.UTC)
        self.run_id = new_run_id(started)
        if not self.enabled:
            return self.run_id
        self._store = Store(self.db_path)
        checklist = self.loaded.checklist
        self._store.begin_run(
            self.run_id, scope=scope_of(self.loaded), trigger=self.trigger, started_at=started,
            agency_name=self.loaded.agency.name, homepage=self.loaded.agency.homepage, checklist_id=checklist.id,
            assessment_year=checklist.assessment_year, tool_version=__version__, config_path=self.loaded.path,
            items_requested=self.items, deadline=self.loaded.config.assessment.submission_deadline)
        return self.run_id

    def finish(self, result: AuditResult) -> Recorded:
        """Store ``result`` (one transaction), then notify the transitions it causes."""
        store = self._store
        if store is None:
            return Recorded(result.run_id, None, RunState.COMPLETE if result.complete else RunState.INCOMPLETE)
        try:
            self.run_id = store.finish_run(self.run_id, result)
            state = RunState.COMPLETE if result.complete else RunState.INCOMPLETE
            if result.complete:
                notice = self._item_notice(store, result)
            else:
                notice = self._failure_notice(store, state, ui("hint_incomplete", self._lang), result.counts(),
                                              result.started_at)
            return self._send(store, state, notice)
        finally:
            self.close()

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
            return Recorded(self.run_id, self.db_path, state, notice)
        deliveries = deliver(notice, self.channels)
        for delivery in deliveries:
            store.record_notification(self.run_id, delivery.channel, notice.event_names, delivery.ok, delivery.detail)
        return Recorded(self.run_id, self.db_path, state, notice, tuple(deliveries))


def record_audit(loaded: LoadedConfig, audit: Callable[[], AuditResult], *, enabled: bool = True,
                 trigger: str = "audit", items: Sequence[str] | None = None) -> tuple[AuditResult, Recorded]:
    """Run ``audit()`` inside a recorded run: begun first, finished, failed or interrupted after.

    Example::

        loaded = load_config("config.toml")
        result, recorded = record_audit(loaded, lambda: run_audit(loaded))
        print(recorded.run_id, recorded.db_path)
    """
    select_items(loaded, items)  # an unknown --item is a usage error, not a failed run
    recorder = Recorder(loaded, enabled=enabled, trigger=trigger, items=items)
    recorder.begin()
    try:
        result = audit()
    except (KeyboardInterrupt, SystemExit):
        recorder.interrupt("stopped by the user")
        raise
    except BaseException as exc:
        recorder.fail(f"{type(exc).__name__}: {exc}")
        raise
    return result, recorder.finish(result)


@dataclass
class HistoryContext:
    """What ``history`` and ``diff`` work on: the open store, the config's scope and language."""

    store: Store
    db_path: Path
    scope: str | None
    """Runs of this agency config only; None (every run) when no config file was found."""
    lang: str

    def __enter__(self) -> HistoryContext:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.store.close()


def open_history(config: str | None, db: str | None) -> HistoryContext:
    """Open the history of ``config`` (default ``config.toml`` when it exists), or the database ``db``."""
    from .config import load_config

    path = config if config is not None else ("config.toml" if Path("config.toml").is_file() else None)
    loaded = load_config(path) if path is not None else None
    db_path = Path(db) if db else db_path_for(loaded)
    store = Store(db_path, create=False)
    return HistoryContext(store, db_path, scope_of(loaded) if loaded else None,
                          loaded.config.audit.lang if loaded else "th")
