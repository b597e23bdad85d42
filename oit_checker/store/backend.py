"""The two databases the history can live in (a SQLite file, a PostgreSQL URL) behind one small interface.

The store's SQL is written once, in SQLite's spelling, and runs as written on SQLite. For PostgreSQL
this module translates what differs, in one place: ``?`` placeholders, ``INSERT OR IGNORE``, the DDL
types, SQLite's implicit ``rowid`` (an identity column of the same name), the schema version
(``PRAGMA user_version`` there, a one-row ``oit_schema`` table here, upgraded under an advisory lock
so workers on several machines migrate once) and transactions. A statement that cannot be
translated is given per dialect (``Dialects``). psycopg is imported only when a URL is opened, so
SQLite users need nothing new.
"""

from __future__ import annotations

import functools
import re
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from ..errors import StoreError

SQLITE, POSTGRESQL = "sqlite", "postgresql"
URL_SCHEMES = ("postgresql://", "postgres://")
MIGRATION_LOCK = 0x0171C4EC
"""PostgreSQL advisory lock key held while a migration runs (one migrating process at a time)."""


@dataclass(frozen=True)
class Dialects:
    """A migration statement that has to be spelled differently per database (only where unavoidable)."""

    sqlite: str
    postgresql: str


Statement = str | Dialects


class Cursor(Protocol):
    """What a query returns (``sqlite3.Cursor`` and ``psycopg.Cursor`` alike)."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class QueryError(StoreError):
    """The database refused a statement; ``reason`` is its own message (a password never in it)."""

    def __init__(self, name: str, reason: str) -> None:
        self.reason = reason
        super().__init__(f"{name}: {reason}")


def is_url(target: str | Path) -> bool:
    """True for a PostgreSQL URL (``postgresql://`` or ``postgres://``), False for a SQLite path."""
    return isinstance(target, str) and target.lower().startswith(URL_SCHEMES)


def redact(target: str | Path) -> str:
    """``target`` fit to print: a URL's password (in the user part or ``?password=``) becomes ``***``."""
    if not is_url(target):
        return str(target)
    parts = urlsplit(str(target))
    netloc = parts.netloc
    if parts.password is not None:
        user, _, host = netloc.rpartition("@")
        netloc = f"{user.partition(':')[0]}:***@{host}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        if any(k == "password" for k, _ in pairs):
            query = urlencode([(k, "***" if k == "password" else v) for k, v in pairs], safe="*=-/")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _secrets(url: str) -> list[str]:
    parts = urlsplit(url)
    found = [parts.password or ""] + [v for k, v in parse_qsl(parts.query) if k == "password"]
    raw = [s for s in found if s]
    return sorted({*raw, *(unquote(s) for s in raw)}, key=len, reverse=True)


class Backend(ABC):
    """One open connection: run statements, transactions, the schema version. One subclass per database."""

    dialect: str
    name: str
    """The path or the URL without its password: what messages show."""

    @abstractmethod
    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        """One statement in SQLite's spelling; the database's error becomes ``QueryError``."""

    @abstractmethod
    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...

    @abstractmethod
    def transaction(self) -> AbstractContextManager[Backend]:
        """All or nothing; an error inside becomes ``StoreError`` ("cannot write the history")."""

    @abstractmethod
    def schema_version(self) -> int:
        """How many ``MIGRATIONS`` have run (0: an empty database)."""

    @abstractmethod
    def set_schema_version(self, version: int) -> None:
        """Inside a migration's transaction."""

    def lock_schema(self) -> None:  # noqa: B027 - SQLite's BEGIN IMMEDIATE already is the lock
        """Inside a migration's transaction: keep other processes from migrating at the same time."""

    def ddl(self, statement: Statement) -> str:
        """A migration statement in this database's spelling."""
        return statement.sqlite if isinstance(statement, Dialects) else statement

    def integrity_check(self) -> str:
        return "ok"

    @abstractmethod
    def close(self) -> None: ...


class SqliteBackend(Backend):
    """A SQLite file: WAL, ``synchronous=FULL``, foreign keys, a 30 s busy timeout, ``BEGIN IMMEDIATE``."""

    dialect = SQLITE

    def __init__(self, path: Path, *, create: bool) -> None:
        self.path = path
        self.name = str(path)
        if not create and not path.is_file():
            raise StoreError(f"{path}: no history yet (run `oit-checker audit` or `oit-checker schedule` first)")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"{path}: cannot open the history database: {exc}") from exc
        try:
            self._db.row_factory = sqlite3.Row
            mode = self._db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise StoreError(f"{path}: SQLite could not switch to WAL mode (got {mode})")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.execute("PRAGMA busy_timeout=30000")
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise StoreError(f"{path}: not a usable oit-checker history database: {exc}") from exc
        except BaseException:
            self._db.close()
            raise

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        try:
            return self._db.execute(sql, params)
        except sqlite3.Error as exc:
            raise QueryError(self.name, str(exc)) from exc

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        try:
            self._db.executemany(sql, rows)
        except sqlite3.Error as exc:
            raise QueryError(self.name, str(exc)) from exc

    @contextmanager
    def transaction(self) -> Iterator[Backend]:
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StoreError(f"{self.name}: cannot write the history: {exc}") from exc
        try:
            yield self
            self._db.execute("COMMIT")
        except BaseException as exc:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            if isinstance(exc, QueryError | sqlite3.Error):
                reason = exc.reason if isinstance(exc, QueryError) else str(exc)
                raise StoreError(f"{self.name}: cannot write the history: {reason}") from exc
            raise

    def schema_version(self) -> int:
        return int(self.execute("PRAGMA user_version").fetchone()[0])

    def set_schema_version(self, version: int) -> None:
        self.execute(f"PRAGMA user_version = {int(version)}")

    def integrity_check(self) -> str:
        return str(self.execute("PRAGMA integrity_check").fetchone()[0])

    def close(self) -> None:
        self._db.close()


# -- PostgreSQL ----------------------------------------------------------------------------------

_QUOTED = re.compile(r"('(?:[^']|'')*')")
_TYPES = [(re.compile(r"\bINTEGER\s+PRIMARY\s+KEY\s+AUTOINCREMENT\b", re.I),
           "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
          (re.compile(r"\bINTEGER\b", re.I), "BIGINT"),  # SQLite's integers are 64-bit
          (re.compile(r"\bREAL\b", re.I), "DOUBLE PRECISION"),  # and its reals 8 bytes
          (re.compile(r"\bBLOB\b", re.I), "BYTEA")]
_CREATE_TABLE = re.compile(r"^\s*CREATE\s+TABLE\b", re.I)
_ADD_COLUMN = re.compile(r"^\s*ALTER\s+TABLE\b.*\bADD\s+COLUMN\b", re.I | re.S)


@functools.lru_cache(maxsize=512)
def postgres_sql(sql: str) -> str:
    """A statement in SQLite's spelling for psycopg: ``?`` → ``%s`` (outside literals), ``%`` → ``%%``.
    ``INSERT OR IGNORE``/``OR REPLACE`` differ between the two (SQLite's also skip NOT NULL and CHECK
    failures) and are refused: write ``ON CONFLICT (…) DO NOTHING``/``DO UPDATE``, valid in both."""
    if re.match(r"^\s*(INSERT|REPLACE)\s+OR\s+(REPLACE|IGNORE)\b|^\s*REPLACE\s+INTO\b", sql, re.I):
        raise ValueError("INSERT OR IGNORE/REPLACE have no PostgreSQL spelling; use INSERT … ON CONFLICT (…) DO …")
    pieces = _QUOTED.split(sql)  # odd pieces are string literals
    return "".join(p.replace("%", "%%") if i % 2 else p.replace("%", "%%").replace("?", "%s")
                   for i, p in enumerate(pieces))


def postgres_ddl(statement: str) -> str:
    """SQLite DDL for PostgreSQL: 64-bit integer and real types, ``BYTEA``, identity columns, and
    the ``rowid`` SQLite gives every table (an identity column; tables with their own
    ``AUTOINCREMENT`` key use that key instead). Other statements pass unchanged."""
    if not (_CREATE_TABLE.match(statement) or _ADD_COLUMN.match(statement)):
        return statement
    has_own_key = bool(_TYPES[0][0].search(statement))
    for pattern, replacement in _TYPES:
        statement = pattern.sub(replacement, statement)
    if _CREATE_TABLE.match(statement) and not has_own_key and "(" in statement:
        body = statement.rstrip().rstrip(";")
        end = body.rfind(")")
        statement = f"{body[:end].rstrip()},\n    rowid BIGINT GENERATED BY DEFAULT AS IDENTITY\n{body[end:]}"
    return statement


class PostgresBackend(Backend):
    """A PostgreSQL database given by URL (psycopg 3; ``options=-csearch_path=…`` picks a schema)."""

    dialect = POSTGRESQL

    def __init__(self, url: str, *, create: bool) -> None:
        self.name = redact(url)
        self._secrets = _secrets(url)
        try:
            import psycopg
            from psycopg.rows import dict_row
        except ImportError as exc:
            raise StoreError(f"{self.name}: a PostgreSQL history needs psycopg: "
                             "pip install 'oit-checker[postgres]'") from exc
        self._errors: type[Exception] = psycopg.Error
        try:
            self._db = psycopg.connect(url, autocommit=True, row_factory=dict_row, connect_timeout=10,
                                       application_name="oit-checker")
        except psycopg.Error as exc:
            raise StoreError(f"{self.name}: cannot open the history database: {self._scrub(exc)}") from None
        if not create and self.schema_version() == 0:
            self._db.close()
            raise StoreError(f"{self.name}: no history yet (run `oit-checker audit` or `oit-checker schedule` first)")

    def _scrub(self, exc: BaseException) -> str:
        text = str(exc).strip()
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        try:
            return self._db.execute(postgres_sql(sql), tuple(params))
        except self._errors as exc:
            raise QueryError(self.name, self._scrub(exc)) from exc

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        try:
            with self._db.cursor() as cursor:
                cursor.executemany(postgres_sql(sql), [tuple(r) for r in rows])
        except self._errors as exc:
            raise QueryError(self.name, self._scrub(exc)) from exc

    @contextmanager
    def transaction(self) -> Iterator[Backend]:
        try:
            with self._db.transaction():
                yield self
        except QueryError as exc:
            raise StoreError(f"{self.name}: cannot write the history: {exc.reason}") from exc
        except self._errors as exc:  # COMMIT itself refused (a deferred constraint, a lost connection)
            raise StoreError(f"{self.name}: cannot write the history: {self._scrub(exc)}") from exc

    def schema_version(self) -> int:
        if self.execute("SELECT to_regclass('oit_schema') AS t").fetchone()["t"] is None:
            return 0
        row = self.execute("SELECT version FROM oit_schema").fetchone()
        return int(row["version"]) if row else 0

    def lock_schema(self) -> None:
        self.execute(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        self.execute("CREATE TABLE IF NOT EXISTS oit_schema (version INTEGER NOT NULL)")

    def set_schema_version(self, version: int) -> None:
        if self.execute("UPDATE oit_schema SET version = ?", (version,)).rowcount == 0:
            self.execute("INSERT INTO oit_schema (version) VALUES (?)", (version,))

    def ddl(self, statement: Statement) -> str:
        return statement.postgresql if isinstance(statement, Dialects) else postgres_ddl(statement)

    def close(self) -> None:
        self._db.close()


def open_backend(target: str | Path, *, create: bool = True) -> Backend:
    """A SQLite file (a path) or a PostgreSQL database (a ``postgresql://`` URL)."""
    if is_url(target):
        return PostgresBackend(str(target), create=create)
    return SqliteBackend(Path(target), create=create)


__all__ = ["POSTGRESQL", "SQLITE", "Backend", "Cursor", "Dialects", "PostgresBackend", "QueryError",
           "SqliteBackend", "Statement", "is_url", "open_backend", "postgres_ddl", "postgres_sql", "redact"]
