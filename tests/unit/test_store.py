"""The SQLite history: schema and migrations, one transaction per run, recovery of interrupted runs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from oit_checker.models import AuditResult, Check, FetchResult, Finding, ItemResult, Redirect, Status, UrlResult
from oit_checker.store import MIGRATIONS, RunState, Store, StoreError, default_db_path
from oit_checker.store import schema as store_schema

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


def save(store: Store, run_id: str, started: dt.datetime, statuses: dict[str, Status], **kw: bool) -> str:
    begin(store, run_id, started)
    store.finish_run(run_id, result(run_id, started, statuses, **kw))
    return run_id


def test_a_new_database_is_wal_at_the_current_schema(tmp_path: Path) -> None:
    with Store(tmp_path / "h.sqlite3") as store:
        assert store.schema_version == len(MIGRATIONS) >= 1
        assert store.integrity_check() == "ok"
    raw = sqlite3.connect(tmp_path / "h.sqlite3")
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # persistent
    tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"runs", "item_results", "findings", "evidence", "notifications"} <= tables
    raw.close()


def test_a_finished_run_keeps_verdicts_findings_and_evidence_keyed_by_run_and_item(tmp_path: Path) -> None:
    with Store(tmp_path / "h.sqlite3") as store:
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


def test_a_run_that_fails_while_being_written_leaves_nothing_half_written(tmp_path: Path) -> None:
    with Store(tmp_path / "h.sqlite3") as store:
        earlier = save(store, "20250301T190000Z-aaaaaa", T0, {"O1": Status.PASS})
        begin(store, "pending")
        broken = result("20250302T190000Z-bbbbbb", T0 + dt.timedelta(days=1), {"O1": Status.FAIL, "O2": Status.PASS})
        duplicated = AuditResult(**{**broken.__dict__, "items": (*broken.items, broken.items[0])})  # PK clash
        with pytest.raises(StoreError, match="UNIQUE constraint"):
            store.finish_run("pending", dataclasses.replace(duplicated, run_id="pending"))
        runs = {r.id: r for r in store.runs()}
        assert set(runs) == {earlier, "pending"} and runs["pending"].state == RunState.RUNNING
        assert store.items("pending") == []
        assert [i.status for i in store.items(earlier)] == [Status.PASS]
        assert store.integrity_check() == "ok"


def test_a_result_never_finishes_a_run_begun_under_another_id(tmp_path: Path) -> None:
    """(b) One run, one id: no rename; the run begun stays ``running`` and nothing of the result is written."""
    with Store(tmp_path / "h.sqlite3") as store:
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


def test_running_runs_of_dead_processes_are_marked_interrupted_on_open(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with Store(path) as store:
        begin(store, "mine")  # this process: alive
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    raw = sqlite3.connect(path)
    raw.execute("UPDATE runs SET id = 'dead', pid = ? WHERE id = 'mine'", (int(dead.stdout),))
    raw.commit()
    raw.close()
    with Store(path) as store:
        begin(store, "mine")
        states = {r.id: r for r in store.runs()}
        assert states["dead"].state == RunState.INTERRUPTED and "process ended" in (states["dead"].error or "")
        assert states["mine"].state == RunState.RUNNING


def test_runs_are_found_by_unique_prefix(tmp_path: Path) -> None:
    with Store(tmp_path / "h.sqlite3") as store:
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
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "h.sqlite3"
    with Store(path) as store:
        run_id = save(store, "20250301T190000Z-aaaaaa", T0, {"O1": Status.FAIL})
    broken = [*MIGRATIONS, ("ALTER TABLE runs ADD COLUMN note TEXT", "CREATE TABLE runs (x)")]
    monkeypatch.setattr(store_schema, "MIGRATIONS", broken)
    with pytest.raises(StoreError, match=f"could not upgrade the history to schema {len(MIGRATIONS) + 1}"):
        Store(path)
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert "note" not in [r[1] for r in raw.execute("PRAGMA table_info(runs)")]  # the ALTER was rolled back
    raw.close()
    upgrade = [*MIGRATIONS, ("ALTER TABLE runs ADD COLUMN note TEXT", "UPDATE runs SET note = 'migrated'")]
    monkeypatch.setattr(store_schema, "MIGRATIONS", upgrade)
    with Store(path) as store:
        assert store.schema_version == len(MIGRATIONS) + 1
        assert [i.status for i in store.items(run_id)] == [Status.FAIL]
    raw = sqlite3.connect(path)
    assert raw.execute("SELECT note FROM runs").fetchone()[0] == "migrated"
    raw.close()


def test_a_database_from_a_newer_version_or_not_a_database_is_refused(tmp_path: Path) -> None:
    newer = tmp_path / "newer.sqlite3"
    raw = sqlite3.connect(newer)
    raw.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    raw.close()
    with pytest.raises(StoreError, match="newer oit-checker"):
        Store(newer)
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a usable"):
        Store(garbage)
    missing = tmp_path / "missing.sqlite3"
    with pytest.raises(StoreError, match="no history yet"):
        Store(missing, create=False)
    assert not missing.exists()


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


def test_a_process_killed_inside_the_write_transaction_leaves_no_trace_of_that_run(tmp_path: Path) -> None:
    db, marker = tmp_path / "h.sqlite3", tmp_path / "marker"
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
    raw = sqlite3.connect(db)
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert raw.execute("SELECT count(*) FROM item_results WHERE run_id != ?", (earlier,)).fetchone()[0] == 0
    raw.close()
    with Store(db) as store:
        states = {r.id: r.state for r in store.runs()}
        assert states == {earlier: RunState.COMPLETE, "pending": RunState.INTERRUPTED}
        assert [i.status for i in store.items(earlier)] == [Status.PASS]
