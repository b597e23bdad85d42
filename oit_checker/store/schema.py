"""The history's SQLite schema: ``MIGRATIONS`` (append only, never edited) and ``migrate``.

Each entry of ``MIGRATIONS`` is one schema version; ``PRAGMA user_version`` says how many have
run. A database made by a newer oit-checker is refused, never altered.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from ..errors import StoreError

# Each entry is one schema version: statements run in one transaction, then user_version = index + 1.
MIGRATIONS: list[tuple[str, ...]] = [
    (
        """CREATE TABLE runs (
            id TEXT PRIMARY KEY,
            scope TEXT NOT NULL,
            state TEXT NOT NULL,
            trigger TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            pid INTEGER,
            host TEXT,
            config_path TEXT,
            items_requested TEXT,
            agency_name TEXT NOT NULL,
            homepage TEXT NOT NULL,
            checklist_id TEXT NOT NULL,
            assessment_year INTEGER,
            tool_version TEXT,
            deadline TEXT,
            evidence_dir TEXT,
            n_pass INTEGER, n_warn INTEGER, n_fail INTEGER, n_unverified INTEGER,
            error TEXT
        )""",
        "CREATE INDEX runs_by_scope ON runs(scope, started_at)",
        """CREATE TABLE item_results (
            run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE ON UPDATE CASCADE,
            code TEXT NOT NULL,
            name_th TEXT NOT NULL,
            name_en TEXT NOT NULL,
            item_group TEXT NOT NULL,
            status TEXT NOT NULL,
            reason TEXT,
            reason_params TEXT,
            reasons TEXT NOT NULL,
            url TEXT,
            passing_url TEXT,
            PRIMARY KEY (run_id, code)
        )""",
        """CREATE TABLE findings (
            run_id TEXT NOT NULL,
            code TEXT NOT NULL,
            seq INTEGER NOT NULL,
            url TEXT,
            check_name TEXT NOT NULL,
            status TEXT NOT NULL,
            reason TEXT NOT NULL,
            params TEXT NOT NULL,
            evidence TEXT NOT NULL,
            PRIMARY KEY (run_id, code, seq),
            FOREIGN KEY (run_id, code) REFERENCES item_results(run_id, code) ON DELETE CASCADE ON UPDATE CASCADE
        )""",
        """CREATE TABLE evidence (
            run_id TEXT NOT NULL,
            code TEXT NOT NULL,
            url TEXT NOT NULL,
            final_url TEXT,
            http_status INTEGER,
            content_type TEXT,
            sha256 TEXT,
            size INTEGER,
            redirects TEXT NOT NULL,
            fetched_at TEXT,
            elapsed_s REAL,
            error TEXT,
            files TEXT NOT NULL,
            PRIMARY KEY (run_id, code, url),
            FOREIGN KEY (run_id, code) REFERENCES item_results(run_id, code) ON DELETE CASCADE ON UPDATE CASCADE
        )""",
        """CREATE TABLE notifications (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE ON UPDATE CASCADE,
            channel TEXT NOT NULL,
            events TEXT NOT NULL,
            ok INTEGER NOT NULL,
            detail TEXT NOT NULL,
            sent_at TEXT NOT NULL
        )""",
    ),
]


SCHEMA = len(MIGRATIONS)
"""The schema version this oit-checker writes."""


def schema_version(db: sqlite3.Connection) -> int:
    """The database's schema version (``PRAGMA user_version``)."""
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: sqlite3.Connection, path: Path,
            transaction: Callable[[], AbstractContextManager[sqlite3.Connection]]) -> None:
    """Bring the database up to ``len(MIGRATIONS)``, one ``transaction`` per version; refuse a newer one."""
    known = len(MIGRATIONS)
    if schema_version(db) > known:
        raise StoreError(f"{path}: made by a newer oit-checker (schema {schema_version(db)}, "
                         f"this version knows {known}); upgrade oit-checker")
    while schema_version(db) < known:
        with transaction() as tx:
            version = schema_version(tx)  # another process may have won
            if version >= known:
                break
            try:
                for statement in MIGRATIONS[version]:
                    tx.execute(statement)
            except sqlite3.Error as exc:
                raise StoreError(f"{path}: could not upgrade the history to schema {version + 1} "
                                 f"({exc}); nothing was changed") from exc
            tx.execute(f"PRAGMA user_version = {version + 1}")


__all__ = ["MIGRATIONS", "SCHEMA", "migrate", "schema_version"]
