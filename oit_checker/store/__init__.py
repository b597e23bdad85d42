"""History of audit runs in SQLite or PostgreSQL: runs, item verdicts, findings and evidence references.

Everything is keyed by run and item (never by URL alone). ``Store(target)`` opens a SQLite file
(WAL mode, ``synchronous=FULL``) or a ``postgresql://`` URL; a run is first recorded as
``running`` (one small transaction), then all its results are written in ONE transaction that
also marks it ``complete`` or ``incomplete``.
A process killed mid-run therefore leaves earlier runs untouched and its own run ``running``;
the next process to open the store marks such a run ``interrupted`` when its process is gone.

The schema is versioned and upgraded by ``MIGRATIONS``, each in its own transaction; a database
made by a newer oit-checker is refused, never altered.

One job per module: ``schema`` (the tables and their migrations), ``rows`` (the rows as values,
no SQL), ``backend`` (the two databases, and the few places their SQL differs), and here
``Store``, the only code that runs queries, written once for both.

Run states::

    running ──► complete      every item has a verdict and some server answered
            ├─► incomplete    no server answered at all (the CLI's exit code 3)
            ├─► failed        the audit raised (bad config, crash); ``error`` says why
            └─► interrupted   the process ended first (SIGKILL, power cut, shutdown)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import socket
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from .. import paths
from ..errors import StoreError as StoreError  # its old home: `from oit_checker.store import StoreError`
from ..models import AuditResult, Finding, ItemResult, Status
from .backend import SQLITE, Backend, QueryError, is_url, open_backend, redact
from .rows import (
    ItemRow,
    NotificationRow,
    RunRow,
    RunState,
    StoredFinding,
    deciding_url,
    finding_row,
    item_row,
    primary_finding,
    run_row,
)
from .schema import MIGRATIONS, migrate, schema_version

DB_NAME = "history.sqlite3"
"""File name of the default database inside the data directory."""


def default_db_path() -> Path:
    """Where the history lives when ``[storage] path`` is not set: the user's data directory."""
    return paths.data_dir() / DB_NAME


def now_text() -> str:
    """Now, as the history stores times: UTC ISO 8601 to the second."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def to_json(value: Any) -> str:
    """A JSON column's text: stable key order, Thai kept readable."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def pid_alive(pid: int) -> bool:
    """True while process ``pid`` of this machine lives (a running row's owner)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


class Store:
    """The history database. Open with ``Store(path)`` or ``Store("postgresql://…")``; use as a
    context manager or ``close()``.

    Example::

        with Store(default_db_path()) as store:
            for run in store.runs(limit=5):
                print(run.id, run.state, run.counts)
    """

    def __init__(self, target: str | Path, *, create: bool = True) -> None:
        self.target = target
        """What was opened: a SQLite path, or a ``postgresql://`` URL (never print it: ``name`` is redacted)."""
        self._db: Backend = open_backend(target, create=create)
        self.name = self._db.name
        """The path, or the URL without its password: for messages."""
        self.path: Path | str = Path(target) if self._db.dialect == SQLITE else self.name
        """The SQLite file, or the redacted URL (shown in messages as before)."""
        try:
            migrate(self._db)
            self.recover()
        except QueryError as exc:
            self._db.close()
            raise StoreError(f"{self.name}: not a usable oit-checker history database: {exc.reason}") from exc
        except BaseException:
            self._db.close()
            raise

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self._db.dialect

    # -- lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection (SQLite checkpoints the WAL when the last one closes)."""
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _transaction(self) -> AbstractContextManager[Backend]:
        """One transaction (SQLite: ``BEGIN IMMEDIATE``); all rolled back on any error, which becomes ``StoreError``."""
        return self._db.transaction()

    @property
    def schema_version(self) -> int:
        """The database's schema version (SQLite's ``PRAGMA user_version``, PostgreSQL's ``oit_schema``)."""
        return schema_version(self._db)

    def recover(self) -> list[str]:
        """Mark ``running`` runs of dead processes on this machine ``interrupted``; returns their ids."""
        host = socket.gethostname()
        rows = self._db.execute("SELECT id, pid, host FROM runs WHERE state = ?", (RunState.RUNNING,)).fetchall()
        dead = [r["id"] for r in rows if r["host"] == host and r["pid"] is not None and not pid_alive(r["pid"])]
        for run_id in dead:
            self.end_run(run_id, RunState.INTERRUPTED, "the process ended before the run finished")
        return dead

    # -- writing -----------------------------------------------------------------------------

    def begin_run(self, run_id: str, *, scope: str, trigger: str, started_at: dt.datetime, agency_name: str,
                  homepage: str, checklist_id: str, assessment_year: int | None, tool_version: str,
                  config_path: str, items_requested: Sequence[str] | None, deadline: dt.date | None) -> None:
        """Record that a run has started (state ``running``, this process's pid)."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO runs (id, scope, state, trigger, started_at, pid, host, config_path, items_requested,"
                " agency_name, homepage, checklist_id, assessment_year, tool_version, deadline)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (run_id, scope, RunState.RUNNING, trigger, started_at.isoformat(timespec="seconds"), os.getpid(),
                 socket.gethostname(), config_path, to_json(list(items_requested)) if items_requested else None,
                 agency_name, homepage, checklist_id, assessment_year, tool_version,
                 deadline.isoformat() if deadline else None))

    def finish_run(self, run_id: str, result: AuditResult) -> None:
        """Write every verdict, finding and evidence reference of ``result`` in one transaction
        and mark the run ``complete`` or ``incomplete``. ``result`` must carry the id the run was
        begun with (one id from plan to report): otherwise ``StoreError`` and nothing is written."""
        if result.run_id != run_id:
            raise StoreError(f"{self.name}: the result of run {result.run_id} cannot finish run {run_id}")
        counts = result.counts()
        state = RunState.COMPLETE if result.complete else RunState.INCOMPLETE
        with self._transaction() as db:
            updated = db.execute(
                "UPDATE runs SET state = ?, finished_at = ?, started_at = ?, agency_name = ?, homepage = ?,"
                " checklist_id = ?, assessment_year = ?, tool_version = ?, deadline = ?, evidence_dir = ?,"
                " n_pass = ?, n_warn = ?, n_fail = ?, n_unverified = ?, pid = NULL WHERE id = ?",
                (state, result.finished_at.isoformat(timespec="seconds"),
                 result.started_at.isoformat(timespec="seconds"), result.agency_name, result.homepage,
                 result.checklist_id, result.assessment_year, result.tool_version,
                 result.deadline.isoformat() if result.deadline else None, result.evidence_dir, counts[Status.PASS],
                 counts[Status.WARN], counts[Status.FAIL], counts[Status.UNVERIFIED], run_id)).rowcount
            if updated != 1:
                raise StoreError(f"{self.name}: run {run_id} was not begun in this database")
            for item in result.items:
                self._write_item(db, run_id, item)

    def _write_item(self, db: Backend, run_id: str, item: ItemResult) -> None:
        url = deciding_url(item)
        primary = primary_finding(item)
        reasons = sorted({f.reason for f in (*item.findings, *(url.findings if url else ()))
                          if f.status is not Status.PASS})
        db.execute(
            "INSERT INTO item_results (run_id, code, name_th, name_en, item_group, status, reason, reason_params,"
            " reasons, url, passing_url) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (run_id, item.code, item.name_th, item.name_en, item.group, item.status.value,
             primary.reason if primary else None, to_json(primary.params) if primary else None, to_json(reasons),
             url.url if url else None, item.passing_url))
        rows: list[tuple[str | None, Finding]] = [(None, f) for f in item.findings]
        rows += [(u.url, f) for u in item.urls for f in u.findings]
        db.executemany(
            "INSERT INTO findings (run_id, code, seq, url, check_name, status, reason, params, evidence)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(run_id, item.code, seq, u, f.check.value, f.status.value, f.reason, to_json(f.params), to_json(f.evidence))
             for seq, (u, f) in enumerate(rows)])
        for url_result in item.urls:
            fetch = url_result.fetch
            db.execute(
                "INSERT INTO evidence (run_id, code, url, final_url, http_status, content_type, sha256,"
                " size, redirects, fetched_at, elapsed_s, error, files) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (run_id, code, url) DO UPDATE SET final_url = excluded.final_url,"
                " http_status = excluded.http_status, content_type = excluded.content_type, sha256 = excluded.sha256,"
                " size = excluded.size, redirects = excluded.redirects, fetched_at = excluded.fetched_at,"
                " elapsed_s = excluded.elapsed_s, error = excluded.error, files = excluded.files",
                (run_id, item.code, url_result.url, fetch.final_url if fetch else None,
                 fetch.status if fetch else None, fetch.content_type if fetch else None,
                 hashlib.sha256(fetch.body).hexdigest() if fetch and fetch.body else None,
                 len(fetch.body) if fetch else None,
                 to_json([{"url": r.url, "status": r.status} for r in fetch.redirects] if fetch else []),
                 fetch.fetched_at if fetch else None, fetch.elapsed if fetch else None,
                 fetch.error if fetch else None, to_json(url_result.evidence_files)))

    def end_run(self, run_id: str, state: str, error: str) -> None:
        """Close a run without results: ``failed`` or ``interrupted``, with why."""
        with self._transaction() as db:
            db.execute("UPDATE runs SET state = ?, finished_at = ?, error = ?, pid = NULL WHERE id = ? AND state = ?",
                       (state, now_text(), error[:2000], run_id, RunState.RUNNING))

    def record_notification(self, run_id: str, channel: str, events: Sequence[str], ok: bool, detail: str) -> None:
        """Keep the outcome of one delivery (never the secret, never the message body)."""
        with self._transaction() as db:
            db.execute("INSERT INTO notifications (run_id, channel, events, ok, detail, sent_at)"
                       " VALUES (?, ?, ?, ?, ?, ?)", (run_id, channel, to_json(list(events)), int(ok), detail[:500], now_text()))

    # -- reading -----------------------------------------------------------------------------

    def runs(self, scope: str | None = None, limit: int = 20, states: Sequence[str] | None = None) -> list[RunRow]:
        """Runs, newest first; only those of ``scope`` and in ``states`` when given."""
        sql, args = "SELECT * FROM runs WHERE 1 = 1", []
        if scope is not None:
            sql += " AND scope = ?"
            args.append(scope)
        if states:
            sql += f" AND state IN ({', '.join('?' * len(states))})"
            args.extend(states)
        sql += " ORDER BY started_at DESC, rowid DESC LIMIT ?"
        return [run_row(r) for r in self._db.execute(sql, (*args, limit)).fetchall()]

    def run(self, ref: str, scope: str | None = None) -> RunRow:
        """The run whose id is ``ref`` or starts with it (unique), else ``StoreError``."""
        sql, args = "SELECT * FROM runs WHERE (id = ? OR id LIKE ? ESCAPE '\\')", [ref, like_prefix(ref)]
        if scope is not None:
            sql += " AND scope = ?"
            args.append(scope)
        rows = self._db.execute(sql + " ORDER BY id = ? DESC", (*args, ref)).fetchall()
        if rows and rows[0]["id"] == ref:
            return run_row(rows[0])
        if len(rows) == 1:
            return run_row(rows[0])
        problem = "matches several runs" if rows else "no such run"
        raise StoreError(f"{self.name}: {ref}: {problem} (see `oit-checker history`)")

    def items(self, run_id: str) -> list[ItemRow]:
        """The item verdicts of one run, in checklist order of storage."""
        rows = self._db.execute("SELECT * FROM item_results WHERE run_id = ? ORDER BY rowid", (run_id,)).fetchall()
        return [item_row(r) for r in rows]

    def findings(self, run_id: str, code: str) -> list[tuple[str | None, StoredFinding]]:
        """Every finding of one item in one run, as ``(url or None, StoredFinding)`` (a retired
        reason code stays a string)."""
        rows = self._db.execute("SELECT * FROM findings WHERE run_id = ? AND code = ? ORDER BY seq",
                                (run_id, code)).fetchall()
        return [(r["url"], finding_row(r)) for r in rows]

    def evidence(self, run_id: str, code: str) -> list[dict[str, Any]]:
        """What was fetched for one item in one run: final URL, status, sha256, the evidence files …"""
        rows = self._db.execute("SELECT * FROM evidence WHERE run_id = ? AND code = ? ORDER BY url",
                                (run_id, code)).fetchall()
        return [{**{k: v for k, v in dict(r).items() if k != "rowid"},  # PostgreSQL's rowid is a real column
                 "redirects": json.loads(r["redirects"]), "files": json.loads(r["files"])} for r in rows]

    def item_history(self, scope: str, code: str, limit: int = 200) -> list[tuple[RunRow, ItemRow]]:
        """One item's verdicts in the ``complete`` runs of ``scope`` that included it, newest first."""
        rows = self._db.execute(
            "SELECT r.*, i.run_id AS i_run_id, i.code AS i_code, i.name_th AS i_name_th, i.name_en AS i_name_en,"
            " i.item_group AS i_item_group, i.status AS i_status, i.reason AS i_reason,"
            " i.reason_params AS i_reason_params, i.reasons AS i_reasons, i.url AS i_url,"
            " i.passing_url AS i_passing_url"
            " FROM item_results i JOIN runs r ON r.id = i.run_id"
            " WHERE r.scope = ? AND i.code = ? AND r.state = ? ORDER BY r.started_at DESC, r.rowid DESC LIMIT ?",
            (scope, code, RunState.COMPLETE, limit)).fetchall()
        return [(run_row(r), item_row(r, prefix="i_")) for r in rows]

    def notifications(self, run_id: str | None = None) -> list[NotificationRow]:
        """Delivery outcomes, oldest first (of one run when given)."""
        sql = "SELECT * FROM notifications"
        args: tuple[str, ...] = ()
        if run_id is not None:
            sql, args = sql + " WHERE run_id = ?", (run_id,)
        rows = self._db.execute(sql + " ORDER BY id", args).fetchall()
        return [NotificationRow(r["run_id"], r["channel"], tuple(json.loads(r["events"])), bool(r["ok"]),
                                r["detail"], dt.datetime.fromisoformat(r["sent_at"])) for r in rows]

    def integrity_check(self) -> str:
        """SQLite's own verdict on the file (``ok`` when intact); PostgreSQL keeps its own: ``ok``."""
        return self._db.integrity_check()


def like_prefix(ref: str) -> str:
    """``ref`` as a ``LIKE … ESCAPE '\\'`` prefix pattern (an id prefix given by the user)."""
    return ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


__all__ = ["DB_NAME", "MIGRATIONS", "ItemRow", "NotificationRow", "RunRow", "RunState", "Store", "StoreError",
           "deciding_url", "default_db_path", "is_url", "like_prefix", "now_text", "pid_alive", "primary_finding",
           "redact", "to_json"]
