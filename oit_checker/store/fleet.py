"""The fleet's part of the history: fleet runs and their agencies, one row each (plan16 §3).

An agency's audit is an ordinary ``runs`` row (written by ``Recorder``), tagged with its fleet run,
agency id and attempt, and linked from its ``fleet_agencies`` row by ``run_id``. Idempotency lives
here, whoever runs the task (the local pool, later Celery): ``claim_agency`` counts attempts,
``finish_agency`` writes the result and marks the agency done in ONE transaction that only the
current claim wins, and the unique index ``runs_once`` keeps at most one recorded run per agency
per fleet run.

Agency states::

    pending ──► running ──► done       the audit's run is recorded (complete or incomplete)
                    │  └──► failed     the audit raised, or max_attempts claims were lost
                    └─────► pending    released (stopped on purpose; the attempt is not a loss)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import StoreError
from ..exit_codes import ExitCode
from ..models import AuditResult, Status
from . import NotificationRow, Store, like_prefix, now_text, pid_alive, to_json
from .backend import POSTGRESQL, Backend
from .rows import RunState

PENDING, RUNNING, DONE, FAILED = "pending", "running", "done", "failed"
"""Values of ``fleet_agencies.state``."""
FLEET_RUNNING, FLEET_COMPLETE, FLEET_INTERRUPTED = "running", "complete", "interrupted"
"""Values of ``fleet_runs.state``: complete once no agency is left to do."""


@dataclass(frozen=True)
class FleetAgencyPlan:
    """One agency as a fleet run begins: what the grid shows before any audit, and its config snapshot."""

    agency_id: str
    name: str
    homepage: str
    scope: str
    checklist_id: str
    snapshot: dict[str, Any]


@dataclass(frozen=True)
class FleetRunRow:
    """One fleet run."""

    id: str
    name: str
    fleet_path: str | None
    fleet_sha256: str
    mode: str
    trigger: str
    state: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    pid: int | None
    host: str | None
    options: dict[str, Any]
    n_agencies: int


@dataclass(frozen=True)
class FleetAgencyRow:
    """One agency of one fleet run; ``run_state`` is its recorded run's state (None before one)."""

    fleet_run_id: str
    agency_id: str
    seq: int
    name: str
    homepage: str
    scope: str
    checklist_id: str
    state: str
    attempts: int
    run_id: str | None = None
    run_state: str | None = None
    worker: str | None = None
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    error: str | None = None
    exit_code: int | None = None
    counts: dict[Status, int] = field(default_factory=lambda: {s: 0 for s in Status})
    discovered: dict[str, str] = field(default_factory=dict)
    """Item code -> the URL ``--discover`` proposed (and the audit checked)."""


@dataclass(frozen=True)
class Claim:
    """The answer to ``claim_agency``: ``won`` with a new ``attempt`` to audit, or the agency's end
    state already (``done``/``failed``; nothing to audit)."""

    fleet_run_id: str
    agency_id: str
    attempt: int
    state: str
    row: FleetAgencyRow

    @property
    def won(self) -> bool:
        """True when this caller must audit the agency now."""
        return self.state == RUNNING


def _time(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _fleet_run_row(r: Any) -> FleetRunRow:
    return FleetRunRow(r["id"], r["name"], r["fleet_path"], r["fleet_sha256"], r["mode"], r["trigger"], r["state"],
                       dt.datetime.fromisoformat(r["started_at"]), _time(r["finished_at"]), r["pid"], r["host"],
                       json.loads(r["options"]), int(r["n_agencies"]))


def _agency_row(r: Any) -> FleetAgencyRow:
    counts = {Status.PASS: r["n_pass"] or 0, Status.WARN: r["n_warn"] or 0, Status.FAIL: r["n_fail"] or 0,
              Status.UNVERIFIED: r["n_unverified"] or 0}
    return FleetAgencyRow(
        r["fleet_run_id"], r["agency_id"], int(r["seq"]), r["name"], r["homepage"], r["scope"], r["checklist_id"],
        r["state"], int(r["attempts"]), r["run_id"], r["run_state"], r["worker"], _time(r["started_at"]),
        _time(r["finished_at"]), r["error"], r["exit_code"], counts, json.loads(r["discovered"] or "{}"))


_AGENCY_SELECT = ("SELECT a.fleet_run_id, a.agency_id, a.seq, a.name, a.homepage, a.scope, a.checklist_id, a.state,"
                  " a.attempts, a.run_id, a.worker, a.started_at, a.finished_at, a.error, a.n_pass, a.n_warn,"
                  " a.n_fail, a.n_unverified, a.exit_code, a.discovered, r.state AS run_state"
                  " FROM fleet_agencies a LEFT JOIN runs r ON r.id = a.run_id")


class FleetStore(Store):
    """The history with the fleet tables: ``FleetStore(target)`` opens a SQLite path or PostgreSQL URL
    like ``Store``, and every method here is one transaction.

    Example::

        with FleetStore(path) as store:
            claim = store.claim_agency(fleet_run_id, "tambon-001", worker="4711@host", max_attempts=3)
            if claim.won:
                ...  # audit, recorded under run_id
                store.finish_agency(fleet_run_id, "tambon-001", claim.attempt, run_id, result)
    """

    def __init__(self, target: str | Path, *, create: bool = True) -> None:
        self._outer: Backend | None = None
        super().__init__(target, create=create)

    def __enter__(self) -> FleetStore:
        return self

    def _transaction(self) -> AbstractContextManager[Backend]:
        """Inside ``finish_agency``'s transaction, ``Store``'s own writes join it instead of beginning one."""
        if self._outer is not None:
            return contextlib.nullcontext(self._outer)
        return super()._transaction()

    @contextlib.contextmanager
    def _one(self) -> Iterator[Backend]:
        with super()._transaction() as db:
            self._outer = db
            try:
                yield db
            finally:
                self._outer = None

    def _locked(self, db: Backend, fleet_run_id: str, agency_id: str) -> FleetAgencyRow:
        """The agency's row, locked for this transaction (SQLite's ``BEGIN IMMEDIATE`` already is)."""
        sql = _AGENCY_SELECT + " WHERE a.fleet_run_id = ? AND a.agency_id = ?"
        if db.dialect == POSTGRESQL:
            sql += " FOR UPDATE OF a"
        row = db.execute(sql, (fleet_run_id, agency_id)).fetchone()
        if row is None:
            raise StoreError(f"{self.name}: agency {agency_id!r} is not in fleet run {fleet_run_id}")
        return _agency_row(row)

    # -- fleet runs ------------------------------------------------------------------------------

    def begin_fleet_run(self, fleet_run_id: str, *, name: str, fleet_path: str, fleet_sha256: str,
                        agencies: Sequence[FleetAgencyPlan], options: dict[str, Any] | None = None,
                        mode: str = "embedded", trigger: str = "fleet") -> None:
        """Record a fleet run (``running``, this process) and its agencies (``pending``), in file order."""
        with self._transaction() as db:
            db.execute("INSERT INTO fleet_runs (id, name, fleet_path, fleet_sha256, mode, trigger, state, started_at,"
                       " pid, host, options, n_agencies) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (fleet_run_id, name, fleet_path, fleet_sha256, mode, trigger, FLEET_RUNNING, now_text(),
                        os.getpid(), socket.gethostname(), to_json(options or {}), len(agencies)))
            db.executemany("INSERT INTO fleet_agencies (fleet_run_id, agency_id, seq, name, homepage, scope,"
                           " checklist_id, snapshot, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           [(fleet_run_id, a.agency_id, seq, a.name, a.homepage, a.scope, a.checklist_id,
                             to_json(a.snapshot), PENDING) for seq, a in enumerate(agencies)])

    def resume_fleet_run(self, fleet_run_id: str) -> None:
        """This process takes an unfinished fleet run over (``running`` again, its pid)."""
        with self._transaction() as db:
            db.execute("UPDATE fleet_runs SET state = ?, finished_at = NULL, pid = ?, host = ? WHERE id = ?",
                       (FLEET_RUNNING, os.getpid(), socket.gethostname(), fleet_run_id))

    def finish_fleet_run(self, fleet_run_id: str) -> str:
        """End a fleet run: ``complete`` when no agency is left to do, else ``interrupted``; returns which."""
        with self._transaction() as db:
            left = db.execute("SELECT COUNT(*) AS n FROM fleet_agencies WHERE fleet_run_id = ? AND state IN (?, ?)",
                              (fleet_run_id, PENDING, RUNNING)).fetchone()["n"]
            state = FLEET_INTERRUPTED if left else FLEET_COMPLETE
            db.execute("UPDATE fleet_runs SET state = ?, finished_at = ?, pid = NULL WHERE id = ?",
                       (state, now_text(), fleet_run_id))
        return state

    def fleet_runs(self, name: str | None = None, limit: int = 20) -> list[FleetRunRow]:
        """Fleet runs, newest first (of one fleet name when given)."""
        sql, args = "SELECT * FROM fleet_runs", []
        if name is not None:
            sql, args = sql + " WHERE name = ?", [name]
        rows = self._db.execute(sql + " ORDER BY started_at DESC, id DESC LIMIT ?", (*args, limit)).fetchall()
        return [_fleet_run_row(r) for r in rows]

    def fleet_run(self, ref: str) -> FleetRunRow:
        """The fleet run whose id is ``ref`` or starts with it (unique), else ``StoreError``."""
        rows = self._db.execute("SELECT * FROM fleet_runs WHERE id = ? OR id LIKE ? ESCAPE '\\' ORDER BY id",
                                (ref, like_prefix(ref))).fetchall()
        exact = [r for r in rows if r["id"] == ref]
        if exact or len(rows) == 1:
            return _fleet_run_row((exact or rows)[0])
        problem = "matches several fleet runs" if rows else "no such fleet run"
        raise StoreError(f"{self.name}: {ref}: {problem} (see `oit-checker fleet status`)")

    def resumable_fleet_run(self, name: str, fleet_sha256: str) -> FleetRunRow | None:
        """The newest unfinished fleet run of this fleet file (same name and sha256) whose process is gone."""
        host = socket.gethostname()
        for run in self.fleet_runs(name, limit=50):
            if run.state == FLEET_COMPLETE or run.fleet_sha256 != fleet_sha256 or self.is_alive(run):
                continue
            if run.state == FLEET_RUNNING and run.host != host:
                continue  # maybe still running over there: only ``--resume RUN`` takes it over
            return run
        return None

    @staticmethod
    def is_alive(run: FleetRunRow) -> bool:
        """True while the process running ``run`` on this machine lives."""
        return (run.state == FLEET_RUNNING and run.pid is not None and run.host == socket.gethostname()
                and pid_alive(run.pid))

    # -- agencies --------------------------------------------------------------------------------

    def fleet_agencies(self, fleet_run_id: str) -> list[FleetAgencyRow]:
        """The fleet run's agencies in file order, with their recorded run's state."""
        rows = self._db.execute(_AGENCY_SELECT + " WHERE a.fleet_run_id = ? ORDER BY a.seq",
                                (fleet_run_id,)).fetchall()
        return [_agency_row(r) for r in rows]

    def fleet_agency(self, fleet_run_id: str, agency_id: str) -> FleetAgencyRow:
        """One agency of the fleet run (``StoreError`` when it has none of that id)."""
        row = self._db.execute(_AGENCY_SELECT + " WHERE a.fleet_run_id = ? AND a.agency_id = ?",
                               (fleet_run_id, agency_id)).fetchone()
        if row is None:
            raise StoreError(f"{self.name}: agency {agency_id!r} is not in fleet run {fleet_run_id}")
        return _agency_row(row)

    def fleet_progress(self, fleet_run_id: str) -> dict[str, int]:
        """Agencies per state (``pending``, ``running``, ``done``, ``failed``; every one present)."""
        counts = dict.fromkeys((PENDING, RUNNING, DONE, FAILED), 0)
        for r in self._db.execute("SELECT state, COUNT(*) AS n FROM fleet_agencies WHERE fleet_run_id = ?"
                                  " GROUP BY state", (fleet_run_id,)).fetchall():
            counts[r["state"]] = int(r["n"])
        return counts

    def agency_snapshot(self, fleet_run_id: str, agency_id: str) -> dict[str, Any]:
        """The config snapshot the agency is audited with (``fleet.model.config_from_snapshot``)."""
        row = self._db.execute("SELECT snapshot FROM fleet_agencies WHERE fleet_run_id = ? AND agency_id = ?",
                               (fleet_run_id, agency_id)).fetchone()
        if row is None:
            raise StoreError(f"{self.name}: agency {agency_id!r} is not in fleet run {fleet_run_id}")
        return dict(json.loads(row["snapshot"]))

    def claim_agency(self, fleet_run_id: str, agency_id: str, *, worker: str, max_attempts: int) -> Claim:
        """Take the agency for a new attempt, unless it is done or failed already. A claim that would
        exceed ``max_attempts`` marks it ``failed`` instead; an earlier attempt's run still ``running``
        (its worker was lost) becomes ``interrupted``."""
        with self._transaction() as db:
            row = self._locked(db, fleet_run_id, agency_id)
            if row.state in (DONE, FAILED):
                return Claim(fleet_run_id, agency_id, row.attempts, row.state, row)
            self._interrupt_runs(db, fleet_run_id, agency_id, "the worker was lost before the audit finished")
            if row.attempts >= max_attempts:
                error = f"worker lost {row.attempts} times"
                db.execute("UPDATE fleet_agencies SET state = ?, error = ?, finished_at = ?, worker = NULL"
                           " WHERE fleet_run_id = ? AND agency_id = ?", (FAILED, error, now_text(), fleet_run_id, agency_id))
                return Claim(fleet_run_id, agency_id, row.attempts, FAILED, self._locked(db, fleet_run_id, agency_id))
            attempt = row.attempts + 1
            db.execute("UPDATE fleet_agencies SET state = ?, attempts = ?, worker = ?, started_at = ?, error = NULL"
                       " WHERE fleet_run_id = ? AND agency_id = ?",
                       (RUNNING, attempt, worker, now_text(), fleet_run_id, agency_id))
            return Claim(fleet_run_id, agency_id, attempt, RUNNING, self._locked(db, fleet_run_id, agency_id))

    @staticmethod
    def _interrupt_runs(db: Backend, fleet_run_id: str, agency_id: str, why: str) -> None:
        db.execute("UPDATE runs SET state = ?, finished_at = ?, error = ?, pid = NULL"
                   " WHERE fleet_run_id = ? AND agency_id = ? AND state = ?",
                   (RunState.INTERRUPTED, now_text(), why, fleet_run_id, agency_id, RunState.RUNNING))

    def tag_run(self, fleet_run_id: str, agency_id: str, attempt: int, run_id: str) -> None:
        """Mark a begun ``runs`` row as this agency's attempt (what the ``runs_once`` index keys on)."""
        with self._transaction() as db:
            db.execute("UPDATE runs SET fleet_run_id = ?, agency_id = ?, attempt = ? WHERE id = ?",
                       (fleet_run_id, agency_id, attempt, run_id))

    def _current(self, db: Backend, fleet_run_id: str, agency_id: str, attempt: int, run_id: str | None) -> bool:
        """True when ``attempt`` is the agency's live claim; else the attempt's own run is ended as superseded."""
        row = self._locked(db, fleet_run_id, agency_id)
        if row.state == RUNNING and row.attempts == attempt:
            return True
        if run_id:
            db.execute("UPDATE runs SET state = ?, finished_at = ?, error = ?, pid = NULL WHERE id = ? AND state = ?",
                       (RunState.INTERRUPTED, now_text(), "another attempt of this agency was recorded", run_id,
                        RunState.RUNNING))
        return False

    def finish_agency(self, fleet_run_id: str, agency_id: str, attempt: int, run_id: str, result: AuditResult,
                      exit_code: int) -> bool:
        """Record ``result`` as the agency's run and mark the agency ``done``, in one transaction that
        only the current claim wins (False: another attempt owns or finished it; nothing written)."""
        with self._one() as db:
            if not self._current(db, fleet_run_id, agency_id, attempt, run_id):
                return False
            db.execute("UPDATE runs SET fleet_run_id = ?, agency_id = ?, attempt = ? WHERE id = ?",
                       (fleet_run_id, agency_id, attempt, run_id))
            self.finish_run(run_id, result)  # joins this transaction (``_transaction``)
            counts = result.counts()
            db.execute("UPDATE fleet_agencies SET state = ?, run_id = ?, finished_at = ?, worker = NULL, error = NULL,"
                       " n_pass = ?, n_warn = ?, n_fail = ?, n_unverified = ?, exit_code = ?"
                       " WHERE fleet_run_id = ? AND agency_id = ?",
                       (DONE, run_id, now_text(), counts[Status.PASS], counts[Status.WARN], counts[Status.FAIL],
                        counts[Status.UNVERIFIED], exit_code, fleet_run_id, agency_id))
        return True

    def fail_agency(self, fleet_run_id: str, agency_id: str, attempt: int, run_id: str | None, error: str) -> bool:
        """The audit raised: its run (if begun) and the agency are ``failed``, if ``attempt`` is current."""
        with self._one() as db:
            if not self._current(db, fleet_run_id, agency_id, attempt, run_id):
                return False
            if run_id:
                self.end_run(run_id, RunState.FAILED, error)
            db.execute("UPDATE fleet_agencies SET state = ?, run_id = ?, finished_at = ?, worker = NULL, error = ?,"
                       " exit_code = ? WHERE fleet_run_id = ? AND agency_id = ?",
                       (FAILED, run_id, now_text(), error[:2000], int(ExitCode.INCOMPLETE), fleet_run_id, agency_id))
        return True

    def release_agency(self, fleet_run_id: str, agency_id: str, attempt: int, run_id: str | None, why: str) -> bool:
        """Stopped on purpose: the run is ``interrupted`` and the agency ``pending`` again (not a loss)."""
        with self._one() as db:
            if not self._current(db, fleet_run_id, agency_id, attempt, run_id):
                return False
            if run_id:
                self.end_run(run_id, RunState.INTERRUPTED, why)
            db.execute("UPDATE fleet_agencies SET state = ?, attempts = attempts - 1, worker = NULL"
                       " WHERE fleet_run_id = ? AND agency_id = ?", (PENDING, fleet_run_id, agency_id))
        return True

    def fail_lost(self, fleet_run_id: str, agency_id: str, error: str) -> bool:
        """The parent's word for an agency its pool gave up on (its worker lost too often): ``failed``
        unless an attempt finished it meanwhile."""
        with self._one() as db:
            row = self._locked(db, fleet_run_id, agency_id)
            if row.state in (DONE, FAILED):
                return False
            self._interrupt_runs(db, fleet_run_id, agency_id, error)
            db.execute("UPDATE fleet_agencies SET state = ?, finished_at = ?, worker = NULL, error = ?, exit_code = ?"
                       " WHERE fleet_run_id = ? AND agency_id = ?", (FAILED, now_text(), error[:2000], int(ExitCode.INCOMPLETE), fleet_run_id,
                                                                     agency_id))
        return True

    def set_discovered(self, fleet_run_id: str, agency_id: str, proposed: dict[str, str]) -> None:
        """Keep the URLs ``--discover`` proposed for the agency's items (the grid marks them)."""
        with self._transaction() as db:
            db.execute("UPDATE fleet_agencies SET discovered = ? WHERE fleet_run_id = ? AND agency_id = ?",
                       (to_json(proposed), fleet_run_id, agency_id))

    # -- the owner's summary -----------------------------------------------------------------------

    def claim_summary(self, fleet_run_id: str) -> str | None:
        """Become the one finaliser that sends the owner's summary: ``complete`` once no agency is left
        to do (also after an ``interrupted`` summary: the resumed run's end is told once more), or
        ``interrupted`` for a fleet run stopped first. None: not ended yet, or already told."""
        with self._transaction() as db:
            if db.execute("UPDATE fleet_runs SET summary_at = ?, summary_state = ? WHERE id = ?"
                          " AND (summary_at IS NULL OR summary_state = ?) AND NOT EXISTS (SELECT 1 FROM fleet_agencies"
                          " WHERE fleet_run_id = ? AND state IN ('pending', 'running'))",
                          (now_text(), FLEET_COMPLETE, fleet_run_id, FLEET_INTERRUPTED, fleet_run_id)).rowcount == 1:
                return FLEET_COMPLETE
            if db.execute("UPDATE fleet_runs SET summary_at = ?, summary_state = ? WHERE id = ?"
                          " AND summary_at IS NULL AND state = ? AND EXISTS (SELECT 1 FROM fleet_agencies"
                          " WHERE fleet_run_id = ? AND state IN ('pending', 'running'))",
                          (now_text(), FLEET_INTERRUPTED, fleet_run_id, FLEET_INTERRUPTED, fleet_run_id)).rowcount == 1:
                return FLEET_INTERRUPTED
        return None

    def previous_fleet_run(self, fleet_run_id: str) -> FleetRunRow | None:
        """The newest complete fleet run of the same fleet (name) begun before this one."""
        run = self.fleet_run(fleet_run_id)
        row = self._db.execute("SELECT * FROM fleet_runs WHERE name = ? AND state = ? AND id <> ? AND started_at <= ?"
                               " ORDER BY started_at DESC, id DESC LIMIT 1",
                               (run.name, FLEET_COMPLETE, run.id, run.started_at.isoformat(timespec="seconds"))
                               ).fetchone()
        return _fleet_run_row(row) if row is not None else None

    def record_fleet_notification(self, fleet_run_id: str, channel: str, events: Sequence[str], ok: bool,
                                  detail: str) -> None:
        """Keep the outcome of one delivery of the owner's summary (never the secret, never the body)."""
        with self._transaction() as db:
            db.execute("INSERT INTO fleet_notifications (fleet_run_id, channel, events, ok, detail, sent_at)"
                       " VALUES (?, ?, ?, ?, ?, ?)",
                       (fleet_run_id, channel, to_json(list(events)), int(ok), detail[:500], now_text()))

    def fleet_notifications(self, fleet_run_id: str) -> list[NotificationRow]:
        """The owner's summary deliveries of one fleet run, oldest first (``run_id`` = the fleet run)."""
        rows = self._db.execute("SELECT * FROM fleet_notifications WHERE fleet_run_id = ? ORDER BY id",
                                (fleet_run_id,)).fetchall()
        return [NotificationRow(r["fleet_run_id"], r["channel"], tuple(json.loads(r["events"])), bool(r["ok"]),
                                r["detail"], dt.datetime.fromisoformat(r["sent_at"])) for r in rows]

    def fleet_run_ids_of(self, fleet_run_id: str) -> list[tuple[str, str, str]]:
        """Every recorded ``runs`` row of the fleet run: (agency id, run id, state)."""
        rows = self._db.execute("SELECT agency_id, id, state FROM runs WHERE fleet_run_id = ? ORDER BY agency_id, id",
                                (fleet_run_id,)).fetchall()
        return [(r["agency_id"], r["id"], r["state"]) for r in rows]


__all__ = ["DONE", "FAILED", "FLEET_COMPLETE", "FLEET_INTERRUPTED", "FLEET_RUNNING", "PENDING",
           "RUNNING", "Claim", "FleetAgencyPlan", "FleetAgencyRow", "FleetRunRow", "FleetStore"]
