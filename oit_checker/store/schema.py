"""The history's schema: ``MIGRATIONS`` (append only, never edited) and ``migrate``.

Each entry of ``MIGRATIONS`` is one schema version; the database's schema version (SQLite's
``PRAGMA user_version``, PostgreSQL's ``oit_schema`` table) says how many have run. A database made
by a newer oit-checker is refused, never altered. The statements are SQLite's; the backend
(``backend.py``) spells them for PostgreSQL, and a ``Dialects`` entry gives both spellings where a
translation cannot.
"""

from __future__ import annotations

from ..errors import StoreError
from .backend import Backend, QueryError, Statement

# Each entry is one schema version: statements run in one transaction, then user_version = index + 1.
MIGRATIONS: list[tuple[Statement, ...]] = [
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
    # 2: fleet runs and their agencies (store/fleet.py); a fleet agency's audit is a tagged `runs` row,
    # recorded at most once per agency per fleet run (runs_once)
    (
        "ALTER TABLE runs ADD COLUMN fleet_run_id TEXT",
        "ALTER TABLE runs ADD COLUMN agency_id TEXT",
        "ALTER TABLE runs ADD COLUMN attempt INTEGER",
        "CREATE INDEX runs_by_fleet ON runs(fleet_run_id, agency_id)",
        "CREATE UNIQUE INDEX runs_once ON runs(fleet_run_id, agency_id) WHERE state IN ('complete', 'incomplete')",
        """CREATE TABLE fleet_runs (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            fleet_path TEXT,
            fleet_sha256 TEXT NOT NULL,
            mode TEXT NOT NULL,
            trigger TEXT NOT NULL,
            state TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            pid INTEGER,
            host TEXT,
            options TEXT NOT NULL,
            n_agencies INTEGER NOT NULL
        )""",
        "CREATE INDEX fleet_runs_by_name ON fleet_runs(name, started_at)",
        """CREATE TABLE fleet_agencies (
            fleet_run_id TEXT NOT NULL REFERENCES fleet_runs(id) ON DELETE CASCADE,
            agency_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            name TEXT NOT NULL,
            homepage TEXT NOT NULL,
            scope TEXT NOT NULL,
            checklist_id TEXT NOT NULL,
            snapshot TEXT NOT NULL,
            state TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            run_id TEXT,
            worker TEXT,
            started_at TEXT,
            finished_at TEXT,
            error TEXT,
            n_pass INTEGER, n_warn INTEGER, n_fail INTEGER, n_unverified INTEGER,
            exit_code INTEGER,
            PRIMARY KEY (fleet_run_id, agency_id)
        )""",
    ),
    # 3: the fleet owner's summary, sent by the one finaliser (fleet_runs.summary_*), its deliveries, and the
    # item URLs `fleet run --discover` proposed per agency
    (
        "ALTER TABLE fleet_runs ADD COLUMN summary_at TEXT",
        "ALTER TABLE fleet_runs ADD COLUMN summary_state TEXT",
        "ALTER TABLE fleet_agencies ADD COLUMN discovered TEXT",
        """CREATE TABLE fleet_notifications (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            fleet_run_id TEXT NOT NULL REFERENCES fleet_runs(id) ON DELETE CASCADE,
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


def schema_version(db: Backend) -> int:
    """The database's schema version (0 for an empty database)."""
    return db.schema_version()


def migrate(db: Backend) -> None:
    """Bring the database up to ``len(MIGRATIONS)``, one transaction per version; refuse a newer one."""
    known = len(MIGRATIONS)
    if db.schema_version() > known:
        raise StoreError(f"{db.name}: made by a newer oit-checker (schema {db.schema_version()}, "
                         f"this version knows {known}); upgrade oit-checker")
    while db.schema_version() < known:
        with db.transaction() as tx:
            tx.lock_schema()
            version = tx.schema_version()  # another process may have won
            if version >= known:
                break
            try:
                for statement in MIGRATIONS[version]:
                    tx.execute(tx.ddl(statement))
            except QueryError as exc:
                raise StoreError(f"{db.name}: could not upgrade the history to schema {version + 1} "
                                 f"({exc.reason}); nothing was changed") from exc
            tx.set_schema_version(version + 1)


__all__ = ["MIGRATIONS", "SCHEMA", "migrate", "schema_version"]
