"""Progress of a fleet run: events from the worker processes, and the display in the parent.

A worker sends ``Event``s over a multiprocessing queue (installed by ``embedded``'s initializer);
the task's audit reports URLs through ``observer_for(agency_id)``. The parent drains the queue
into ``FleetProgress`` (a rich display on a terminal, else one line per finished agency).
"""

from __future__ import annotations

import sys
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import IO, Any

from rich.console import Console, RenderableType
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from ..messages import UI, ui
from ..models import Status

BEGUN, STARTED, ADVANCED, FINISHED = "begun", "started", "advanced", "finished"
LOST, STOPPING = "lost", "stopping"
"""Parent-side events: a worker was lost with this agency in flight; a stop was requested."""


@dataclass(frozen=True)
class AgencyOutcome:
    """What a task returns for one agency: its state (``fleet.view.AgencyState`` values), item counts
    by status, and an error text when the task raised or its worker was lost."""

    agency_id: str
    state: str
    counts: dict[str, int] = field(default_factory=dict)
    error: str = ""
    run_id: str = ""


@dataclass(frozen=True)
class Event:
    """One progress event: ``begun`` (a worker took the agency; ``pid``), ``started`` (``total`` URLs),
    ``advanced`` (one URL done), ``finished`` (``outcome``); from the parent itself ``lost`` and
    ``stopping``."""

    kind: str
    agency_id: str
    pid: int = 0
    total: int = 0
    outcome: AgencyOutcome | None = None


_queue: Any = None


def install_queue(queue: Any) -> None:
    """Where this worker process sends its events (``None``: nowhere)."""
    global _queue  # noqa: PLW0603 - one per worker process, set by the pool's initializer
    _queue = queue


def send(event: Event) -> None:
    """Send ``event`` to the parent, if this process has a queue; never raises."""
    if _queue is not None:
        try:
            _queue.put(event)
        except (OSError, ValueError):  # the parent has gone or closed the queue: progress is not essential
            pass


class QueueObserver:
    """An audit ``Observer`` that reports one agency's URLs to the parent."""

    def __init__(self, agency_id: str) -> None:
        self.agency_id = agency_id

    def started(self, total: int) -> None:
        send(Event(STARTED, self.agency_id, total=total))

    def advanced(self, url: str) -> None:
        send(Event(ADVANCED, self.agency_id))


def observer_for(agency_id: str) -> QueueObserver:
    """The observer a task passes to ``audit_async`` for ``agency_id``."""
    return QueueObserver(agency_id)


class _Except(ProgressColumn):
    """A column left blank on the summary row (it has no bar, count or time)."""

    def __init__(self, inner: ProgressColumn) -> None:
        super().__init__()
        self.inner = inner

    def render(self, task: Task) -> RenderableType:
        return "" if task.fields.get("summary") else self.inner.render(task)


class FleetProgress:
    """The parent's display: agencies done/total with ETA, items by status so far, and the running
    agencies with their URLs done/total. Not a terminal, or ``quiet``: one line per finished agency."""

    def __init__(self, total: int, lang: str = "th", *, stream: IO[str] | None = None, quiet: bool = False) -> None:
        self.lang = lang
        self.total = total
        self.items: Counter[str] = Counter()
        self.states: Counter[str] = Counter()
        self.done = 0
        self._lock = threading.Lock()
        self._console = Console(file=stream or sys.stderr)
        self._live = not quiet and self._console.is_terminal
        self._running: dict[str, TaskID] = {}
        self._urls: dict[str, int] = {}
        columns = (BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), TimeElapsedColumn())
        self._progress = Progress(TextColumn("{task.description}", markup=False), *map(_Except, columns),
                                  console=self._console, transient=True, disable=not self._live)
        self._overall = self._progress.add_task(ui("fleet_progress_agencies", lang), total=total)
        self._summary = self._progress.add_task("", total=None, start=False, summary=True)
        self._update_summary()

    def __enter__(self) -> FleetProgress:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def handle(self, event: Event) -> None:
        """Apply one event (called from the parent's queue-draining thread)."""
        with self._lock:
            if event.kind == STARTED:
                self._start(event.agency_id, event.total)
            elif event.kind == ADVANCED and event.agency_id in self._running:
                self._progress.advance(self._running[event.agency_id])
            elif event.kind == FINISHED and event.outcome is not None:
                self._finish(event.outcome)
            elif event.kind == LOST:
                self.notice("fleet_progress_worker_lost", agency=event.agency_id)
            elif event.kind == STOPPING:
                self.notice("fleet_progress_interrupted")

    def _start(self, agency_id: str, total: int) -> None:
        label = ui("fleet_progress_running", self.lang, agency=agency_id)
        if agency_id in self._running:
            self._progress.reset(self._running[agency_id], total=total, description=label)
        else:
            self._running[agency_id] = self._progress.add_task(label, total=total)

    def _finish(self, outcome: AgencyOutcome) -> None:
        task = self._running.pop(outcome.agency_id, None)
        if task is not None:
            self._progress.remove_task(task)
        self.done += 1
        self.states[outcome.state] += 1
        self.items.update({k: v for k, v in outcome.counts.items() if v})
        self._progress.update(self._overall, completed=self.done)
        self._update_summary()
        if not self._live:
            counts = {status.value: outcome.counts.get(status.value, 0) for status in Status}
            self._console.print(ui("fleet_progress_line", self.lang, done=self.done, total=self.total,
                                   agency=outcome.agency_id, state=self.state_label(outcome.state), **counts),
                                highlight=False, markup=False, soft_wrap=True)

    def state_label(self, state: str) -> str:
        """The agency state in the display's language (``fleet_report_state_*``), else the code."""
        key = f"fleet_report_state_{state}"
        return ui(key, self.lang) if key in UI["en"] else state

    def _update_summary(self) -> None:
        counts = {status.value: self.items.get(status.value, 0) for status in Status}
        text = ui("fleet_progress_items", self.lang, **counts)
        failed = sum(self.states.get(s, 0) for s in ("failed", "incomplete", "interrupted"))
        if failed:
            text += ui("fleet_progress_not_complete", self.lang, n=failed)
        self._progress.update(self._summary, description=text)

    def notice(self, key: str, **params: Any) -> None:
        """A one-off message (a lost worker, an interruption), above the live display."""
        self._console.print(ui(key, self.lang, **params), highlight=False, markup=False)
