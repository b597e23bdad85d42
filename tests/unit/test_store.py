"""The history on SQLite and on PostgreSQL (the same tests, ``store_target``): schema and migrations,
one transaction per run, recovery of interrupted runs; then what only one of them has."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest

from oit_checker.models import AuditResult, Check, FetchResult, Finding, ItemResult, Redirect, Status, UrlResult
from oit_checker.store import MIGRATIONS, RunState, Store, StoreError, default_db_path
from oit_checker.store import schema as store_schema
from oit_checker.store.backend import Dialects, is_url, open_backend, postgres_ddl, postgres_sql, redact

T0 = dt.datetime(2025, 3, 1, 19, 0, tzinfo=dt.UTC)


def fetched(url: str, status: int = 200, body: bytes = b"<html>report</html>") -> FetchResult:
    return FetchResult(url=url, final_url=url + "?final", status=status, body=body,
                       headers={"content-type": "text/html"}, redirects=(Redirect(url + "?r", 301),),
                       fetched_at="2025-03-01T19:00:01+00:00", elapsed=0.25)


def result(run_id: str, started: dt.datetime, statuses: dict[str, Status], complete: bool = True) -> AuditResult:
    items = []
    for code, status in statuses.items():
        url = f"http://127.0.0.1/{code}"
        reason = {Status.PASS: "elements_found", Status.FAIL: "http_404", Status.WARN: "no_date_found",
                  Status.UNVERIFIED: "bot_wall"}[status]
        findings = (Finding(Check.REACHABLE, Status.PASS, "reachable", {"http_status": 200}),
                    Finding(Check.CONTENT, status, reason, {"missing": "x"}, {"snippet": "ปัญหาอุปสรรค"}))
        files = {"screenshot": f"/evidence/{run_id}/{code}.png"}
        items.append(ItemResult(code, f"ชื่อ {code}", f"name {code}", "group", status,
                                (UrlResult(url, fetched(url), findings, evidence_files=files),),
                                passing_url=url if status is Status.PASS else None))
    return AuditResult(run_id, started, started + dt.timedelta(seconds=5), "0.1.0", "ita-2567", "t", 2567,
                       "กรมทดสอบ", "http://127.0.0.1/", tuple(items), complete=complete,
                       deadline=dt.date(2025, 3, 31), evidence_dir=f"/evidence/{run_id}")


def begin(store: Store, run_id: str, started: dt.datetime = T0, scope: str = "scope") -> None:
    store.begin_run(run_id, scope=scope, trigger="audit", started_at=started, agency_name="กรมทดสอบ",
                    homepage="http://127.0.0.1/", checklist_id="ita-2567", assessment_year=2567, tool_version="0.1.0",
                    config_path="config.toml", items_requested=None, deadline=None)


def raw(target: str | Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Run ``sql`` on the database itself (its own driver, its own placeholders), outside the store."""
    if is_url(target):
        with psycopg.connect(str(target), autocommit=True) as db:
            cursor = db.execute(sql, params)
            return cursor.fetchall() if cursor.description else []
    db = sqlite3.connect(target)
    try:
        rows = db.execute(sql, params).fetchall()
        db.commit()
        return rows
    finally:
        db.close()


def raw_version(target: str | Path) -> int:
    if is_url(target):
        return int(raw(target, "SELECT version FROM oit_schema")[0][0])
    return int(raw(target, "PRAGMA user_version")[0][0])


def raw_columns(target: str | Path, table: str) -> list[str]:
    if is_url(target):
        return [r[0] for r in raw(target, "SELECT column_name FROM information_schema.columns"
                                          " WHERE table_schema = current_schema() AND table_name = %s", (table,))]
    return [r[1] for r in raw(target, f"PRAGMA table_info({table})")]


def raw_tables(target: str | Path) -> set[str]:
    if is_url(target):
        return {r[0] for r in raw(target, "SELECT table_name FROM information_schema.tables"
                                          " WHERE table_schema = current_schema()")}
    return {r[0] for r in raw(target, "SELECT name FROM sqlite_master WHERE type = 'table'")}


def save(store: Store, run_id: str, started: dt.datetime, statuses: dict[str, Status], **kw: bool) -> str:
    begin(store, run_id, started)
    store.finish_run(run_id, result(run_id, started, statuses, **kw))
    return run_id


def test_a_new_database_is_at_the_current_schema(store_target: str | Path) -> None:
    with Store(store_target) as store:
        assert store.schema_version == len(MIGRATIONS) >= 1
        assert store.integrity_check() == "ok"
        assert store.dialect == ("postgresql" if is_url(store_target) else "sqlite")
    assert raw_version(store_target) == len(MIGRATIONS)
    assert {"runs", "item_results", "findings", "evidence", "notifications"} <= raw_tables(store_target)


def test_a_new_sqlite_database_is_wal(tmp_path: Path) -> None:
    with Store(tmp_path / "h.sqlite3"):
        pass
    assert raw(tmp_path / "h.sqlite3", "PRAGMA journal_mode")[0][0] == "wal"  # persistent


def test_a_finished_run_keeps_verdicts_findings_and_evidence_keyed_by_run_and_item(store_target: str | Path) -> None:
    with Store(store_target) as store:
        stored = save(store, "20250301T190000Z-aaaaaa", T0, {"O1": Status.PASS, "O24": Status.FAIL})
        assert stored == "20250301T190000Z-aaaaaa"
        [run] = store.runs()
        assert (run.id, run.state, run.scope, run.deadline) == (stored, RunState.COMPLETE, "scope", dt.date(2025, 3, 31))
        assert run.counts == {Status.PASS: 1, Status.WARN: 0, Status.UNVERIFIED: 0, Status.FAIL: 1}
        items = {i.code: i for i in store.items(stored)}
        assert items["O24"].status is Status.FAIL and items["O24"].reason == "http_404"
        assert items["O24"].reasons == ("http_404",) and items["O24"].url == "http://127.0.0.1/O24"
        assert items["O1"].passing_url == "http://127.0.0.1/O1" and items["O1"].reasons == ()
        findings = store.findings(stored, "O24")
        assert [(f.check, f.reason) for _, f in findings] == [(Check.REACHABLE, "reachable"), (Check.CONTENT, "http_404")]
        assert findings[1][1].evidence == {"snippet": "ปัญหาอุปสรรค"} and findings[1][0] == "http://127.0.0.1/O24"
        [evidence] = store.evidence(stored, "O24")
        assert evidence["sha256"] == hashlib.sha256(b"<html>report</html>").hexdigest()
        assert evidence["final_url"] == "http://127.0.0.1/O24?final" and evidence["http_status"] == 200
        assert evidence["redirects"] == [{"url": "http://127.0.0.1/O24?r", "status": 301}]
        assert evidence["files"] == {"screenshot": f"/evidence/{stored}/O24.png"}
        assert run.evidence_dir == f"/evidence/{stored}"
        # the same item in a second run is a second row, never overwritten
        later = save(store, "20250302T190000Z-bbbbbb", T0 + dt.timedelta(days=1), {"O24": Status.PASS})
        assert [i.status for _, i in store.item_history("scope", "O24")] == [Status.PASS, Status.FAIL]
        assert store.items(stored)[1].status is Status.FAIL and later != stored


def test_a_run_that_fails_while_being_written_leaves_nothing_half_written(store_target: str | Path) -> None:
    with Store(store_target) as store:
        earlier = save(store, "20250301T190000Z-aaaaaa", T0, {"O1": Status.PASS})
        begin(store, "pending")
        broken = result("20250302T190000Z-bbbbbb", T0 + dt.timedelta(days=1), {"O1": Status.FAIL, "O2": Status.PASS})
        duplicated = AuditResult(**{**broken.__dict__, "items": (*broken.items, broken.items[0])})  # PK clash
        with pytest.raises(StoreError, match="(?i)unique constraint"):  # SQLite's and PostgreSQL's words
            store.finish_run("pending", dataclasses.replace(duplicated, run_id="pending"))
        runs = {r.id: r for r in store.runs()}
        assert set(runs) == {earlier, "pending"} and runs["pending"].state == RunState.RUNNING
        assert store.items("pending") == []
        assert [i.status for i in store.items(earlier)] == [Status.PASS]
        assert store.integrity_check() == "ok"


def test_a_result_never_finishes_a_run_begun_under_another_id(store_target: str | Path) -> None:
    """(b) One run, one id: no rename; the run begun stays ``running`` and nothing of the result is written."""
    with Store(store_target) as store:
        begin(store, "20250301T190000Z-aaaaaa")
        with pytest.raises(StoreError, match="cannot finish run"):
            store.finish_run("20250301T190000Z-aaaaaa", result("20250301T190000Z-bbbbbb", T0, {"O1": Status.PASS}))
        [run] = store.runs()
        assert (run.id, run.state, run.counts) == ("20250301T190000Z-aaaaaa", RunState.RUNNING, None)
        assert store.items("20250301T190000Z-aaaaaa") == [] and store.items("20250301T190000Z-bbbbbb") == []
        with pytest.raises(StoreError, match="not begun"):
            store.finish_run("never-begun", result("never-begun", T0, {"O1": Status.PASS}))


def test_the_store_package_keeps_its_old_names_and_each_module_stays_small() -> None:
    from oit_checker import store

    for name in ("Store", "StoreError", "RunState", "RunRow", "ItemRow", "NotificationRow", "MIGRATIONS",
                 "default_db_path", "deciding_url", "primary_finding"):
        assert hasattr(store, name), name
    folder = Path(store.__file__).parent
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in folder.glob("*.py")}
    assert set(sizes) >= {"__init__.py", "schema.py", "rows.py"} and max(sizes.values()) <= 450, sizes
    assert "execute(" not in (folder / "rows.py").read_text(encoding="utf-8")  # the SQL stays in two modules


def test_running_runs_of_dead_processes_are_marked_interrupted_on_open(store_target: str | Path) -> None:
    path = store_target
    with Store(path) as store:
        begin(store, "mine")  # this process: alive
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    mark = "%s" if is_url(path) else "?"
    raw(path, f"UPDATE runs SET id = 'dead', pid = {mark} WHERE id = 'mine'", (int(dead.stdout),))
    with Store(path) as store:
        begin(store, "mine")
        states = {r.id: r for r in store.runs()}
        assert states["dead"].state == RunState.INTERRUPTED and "process ended" in (states["dead"].error or "")
        assert states["mine"].state == RunState.RUNNING


def test_runs_are_found_by_unique_prefix(store_target: str | Path) -> None:
    with Store(store_target) as store:
        a = save(store, "20250301T190000Z-aaaaaa", T0, {"O1": Status.PASS})
        b = save(store, "20250302T190000Z-bbbbbb", T0 + dt.timedelta(days=1), {"O1": Status.PASS})
        assert store.run("20250302").id == b and store.run(a).id == a
        with pytest.raises(StoreError, match="several"):
            store.run("2025030")
        with pytest.raises(StoreError, match="no such run"):
            store.run("1999")
        with pytest.raises(StoreError, match="no such run"):
            store.run("2025%")  # LIKE wildcards are literal


def test_an_upgrade_migration_keeps_the_data_and_a_failing_one_changes_nothing(
        store_target: str | Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = store_target
    with Store(path) as store:
        run_id = save(store, "20250301T190000Z-aaaaaa", T0, {"O1": Status.FAIL})
    broken = [*MIGRATIONS, ("ALTER TABLE runs ADD COLUMN note TEXT", "CREATE TABLE runs (x)")]
    monkeypatch.setattr(store_schema, "MIGRATIONS", broken)
    with pytest.raises(StoreError, match=f"could not upgrade the history to schema {len(MIGRATIONS) + 1}"):
        Store(path)
    assert raw_version(path) == len(MIGRATIONS)
    assert "note" not in raw_columns(path, "runs")  # the ALTER was rolled back
    upgrade = [*MIGRATIONS, ("ALTER TABLE runs ADD COLUMN note TEXT", "UPDATE runs SET note = 'migrated'")]
    monkeypatch.setattr(store_schema, "MIGRATIONS", upgrade)
    with Store(path) as store:
        assert store.schema_version == len(MIGRATIONS) + 1
        assert [i.status for i in store.items(run_id)] == [Status.FAIL]
    assert raw(path, "SELECT note FROM runs") == [("migrated",)]


def test_a_database_from_a_newer_version_is_refused_and_a_missing_one_is_not_made(store_target: str | Path) -> None:
    with pytest.raises(StoreError, match="no history yet"):
        Store(store_target, create=False)
    if is_url(store_target):
        assert "oit_schema" not in raw_tables(store_target)  # nothing was created
        with Store(store_target):
            pass
        raw(store_target, "UPDATE oit_schema SET version = %s", (len(MIGRATIONS) + 5,))
    else:
        assert not Path(store_target).exists()
        raw(store_target, f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    with pytest.raises(StoreError, match="newer oit-checker"):
        Store(store_target)
    assert raw_version(store_target) == len(MIGRATIONS) + 5  # refused, never altered


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a usable"):
        Store(garbage)


def test_default_path_follows_xdg_data_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_db_path() == tmp_path / "data" / "oit-checker" / "history.sqlite3"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/is/ignored")
    assert default_db_path() == Path.home() / ".local" / "share" / "oit-checker" / "history.sqlite3"


KILLED_WRITER = """
import datetime as dt, sys, time
from pathlib import Path
sys.path.insert(0, {tests!r})
from test_store import begin, result, T0
from oit_checker.models import Status
from oit_checker.store import Store

store = Store({db!r})
original = Store._write_item
def slow_write(self, db, run_id, item):
    original(self, db, run_id, item)
    Path({marker!r}).write_text("one item written, transaction open")
    time.sleep(60)
Store._write_item = slow_write
begin(store, "pending")
store.finish_run("pending", result("pending", T0, {{"O1": Status.FAIL, "O2": Status.FAIL}}))
"""


def test_a_process_killed_inside_the_write_transaction_leaves_no_trace_of_that_run(
        store_target: str | Path, tmp_path: Path) -> None:
    db, marker = store_target, tmp_path / "marker"
    with Store(db) as store:
        earlier = save(store, "20250301T190000Z-aaaaaa", T0 - dt.timedelta(days=1), {"O1": Status.PASS})
    code = KILLED_WRITER.format(tests=str(Path(__file__).parent), db=str(db), marker=str(marker))
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while not marker.exists():
            assert child.poll() is None and time.monotonic() < deadline, child.communicate()
            time.sleep(0.02)
        child.kill()  # SIGKILL with the transaction open and one item row written
    finally:
        child.kill()
        child.communicate(timeout=10)
    if not is_url(db):
        assert raw(db, "PRAGMA integrity_check") == [("ok",)]
    mark = "%s" if is_url(db) else "?"
    assert raw(db, f"SELECT count(*) FROM item_results WHERE run_id != {mark}", (earlier,)) == [(0,)]
    with Store(db) as store:
        states = {r.id: r.state for r in store.runs()}
        assert states == {earlier: RunState.COMPLETE, "pending": RunState.INTERRUPTED}
        assert [i.status for i in store.items(earlier)] == [Status.PASS]


# -- one SQL, two databases: what the backend translates ---------------------------------------------


def test_the_backend_runs_sqlite_spelling_on_both_databases(store_target: str | Path) -> None:
    """Placeholders, ``ON CONFLICT DO NOTHING``, an upsert, ``LIKE … ESCAPE``, a literal ``%`` and ``?``, rowid order."""
    db = open_backend(store_target)
    try:
        with db.transaction() as tx:
            tx.execute(tx.ddl("CREATE TABLE t (k TEXT PRIMARY KEY, n INTEGER NOT NULL, r REAL, b BLOB)"))
        with db.transaction() as tx:
            tx.executemany("INSERT INTO t (k, n, r, b) VALUES (?, ?, ?, ?) ON CONFLICT (k) DO NOTHING",
                           [("b_1", 1, 0.1, b"\x00\xff"), ("a%1", 2 ** 40, 1 / 3, None), ("b_1", 9, 9.0, None)])
            tx.execute("INSERT INTO t (k, n) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET n = excluded.n + 1",
                       ("a%1", 5))
        rows = db.execute("SELECT k, n, r, b FROM t ORDER BY rowid").fetchall()
        assert [(r["k"], r["n"]) for r in rows] == [("b_1", 1), ("a%1", 6)]  # ignored, then upserted
        assert rows[0]["r"] == 0.1 and bytes(rows[0]["b"]) == b"\x00\xff"  # 8-byte reals, bytes
        like = db.execute("SELECT k FROM t WHERE k LIKE ? ESCAPE '\\' AND k <> 'x?%'", ("a\\%%",)).fetchall()
        assert [r["k"] for r in like] == ["a%1"]  # the escaped % is literal; the quoted ?% is left alone
        with pytest.raises(StoreError, match="cannot write the history"), db.transaction() as tx:
            tx.execute("UPDATE t SET n = 0")
            tx.execute("INSERT INTO t (k, n) VALUES (?, ?)", ("b_1", 1))  # PK clash: all rolled back
        assert sorted(r["n"] for r in db.execute("SELECT n FROM t").fetchall()) == [1, 6]
    finally:
        db.close()


def test_sqlite_spelling_is_translated_for_postgresql_in_one_place() -> None:
    assert postgres_sql("SELECT * FROM runs WHERE id = ? AND x LIKE ? ESCAPE '\\'") == \
        "SELECT * FROM runs WHERE id = %s AND x LIKE %s ESCAPE '\\'"
    assert postgres_sql("SELECT '?', '%' WHERE a = ?") == "SELECT '?', '%%' WHERE a = %s"
    for refused in ("INSERT OR REPLACE INTO t (a) VALUES (?)", "INSERT OR IGNORE INTO t (a) VALUES (?)"):
        with pytest.raises(ValueError, match="ON CONFLICT"):
            postgres_sql(refused)
    created = postgres_ddl("CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, n INTEGER, r REAL, b BLOB)")
    assert created == "CREATE TABLE t (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, n BIGINT," \
                      " r DOUBLE PRECISION, b BYTEA)"  # its own key: no rowid column
    assert postgres_ddl("CREATE TABLE u (a TEXT, PRIMARY KEY (a))").endswith(
        "PRIMARY KEY (a),\n    rowid BIGINT GENERATED BY DEFAULT AS IDENTITY\n)")
    assert postgres_ddl("ALTER TABLE runs ADD COLUMN attempt INTEGER") == "ALTER TABLE runs ADD COLUMN attempt BIGINT"
    assert postgres_ddl("UPDATE runs SET note = 'INTEGER'") == "UPDATE runs SET note = 'INTEGER'"  # DML untouched


def test_a_migration_may_spell_a_statement_per_database(store_target: str | Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    both = Dialects(sqlite="CREATE INDEX runs_by_host ON runs(host) WHERE pid IS NOT NULL",
                    postgresql="CREATE INDEX runs_by_host ON runs USING btree (host) WHERE pid IS NOT NULL")
    monkeypatch.setattr(store_schema, "MIGRATIONS", [*MIGRATIONS, ("ALTER TABLE runs ADD COLUMN note TEXT", both)])
    with Store(store_target) as store:
        assert store.schema_version == len(MIGRATIONS) + 1
    assert "note" in raw_columns(store_target, "runs")


def test_a_url_password_is_never_shown(pg_url: str) -> None:
    secret = pg_url.replace("postgres@", "postgres:s3cr%2Ft@")  # trust auth: any password is let in
    assert redact(secret) == pg_url.replace("postgres@", "postgres:***@")
    assert redact("postgresql://u@h/db?password=s3cr%2Ft&sslmode=disable") == \
        "postgresql://u@h/db?password=***&sslmode=disable"
    assert redact(Path("/x/h.sqlite3")) == "/x/h.sqlite3"
    with Store(secret) as store:
        assert "s3cr" not in f"{store.name} {store.path}" and "***" in store.name
        with pytest.raises(StoreError) as caught:
            store.run("nothing")
    assert "s3cr" not in str(caught.value)
    with pytest.raises(StoreError, match="cannot open the history database") as refused:
        Store(secret.replace("/test?", "/no_such_database_here?"))
    assert "s3cr" not in str(refused.value) and "***" in str(refused.value)


def test_sqlite_users_never_import_psycopg(tmp_path: Path) -> None:
    code = ("import sys; from oit_checker.store import Store; Store(sys.argv[1]).close();"
            " import oit_checker.cli, oit_checker.recorder; print('psycopg' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "h.sqlite3")], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).parents[2])
    assert out.stdout.strip() == "False"
