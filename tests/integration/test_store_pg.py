"""The history on PostgreSQL from the command line: ``[storage] url`` and ``$OIT_CHECKER_STORAGE_URL``.

Each test gets a fresh schema of the local ``test`` database (``pg_url``, tests/conftest.py); the
audited site is the local fixture server. A URL's password is never printed (trust auth lets any in).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from configs import HTTP_ONLY, write_agency_config

from oit_checker.cli import main
from oit_checker.store import MIGRATIONS, RunState, Store

SECRET = "s3cr3t-pw"


def with_password(url: str) -> str:
    return url.replace("postgres@", f"postgres:{SECRET}@", 1)


def write_config(tmp_path: Path, base: str, storage: str) -> Path:
    """O3 and O27 (a 404: exit 1); no browser, no evidence."""
    return write_agency_config(tmp_path, base, {"O3": f"{base}/ok", "O27": f"{base}/404"}, name="กรมทดสอบ PG",
                               extra=HTTP_ONLY + f"[storage]\n{storage}\n")


def flat(text: str) -> str:
    return "".join(text.split())  # rich wraps long URLs at the terminal width


def tables(url: str) -> set[str]:
    with psycopg.connect(url) as db:
        return {r[0] for r in db.execute("SELECT table_name FROM information_schema.tables"
                                         " WHERE table_schema = current_schema()")}


def test_an_audit_with_a_postgresql_url_is_recorded_and_history_lists_it(
        tmp_path: Path, base_url: str, pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    url = with_password(pg_url)
    config = write_config(tmp_path, base_url, f'url = "{url}"')
    assert main(["audit", "-c", str(config), "--no-store", "-q"]) == 1
    assert "runs" not in tables(pg_url)  # --no-store: the database is not even opened
    capsys.readouterr()

    assert main(["audit", "-c", str(config), "--format", "json", "--lang", "en"]) == 1
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    run_id = report["run"]["id"]
    assert SECRET not in captured.err and run_id in captured.err
    assert flat(url.replace(SECRET, "***")) in flat(captured.err)  # where it was saved, redacted
    assert main(["history", "-c", str(config), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert SECRET not in out and run_id[:15] in flat(out) and "O27" in out
    with Store(pg_url, create=False) as store:
        [run] = store.runs()
        assert (run.id, run.state, run.agency_name) == (run_id, RunState.COMPLETE, "กรมทดสอบ PG")
        stored = {i.code: i.status.value for i in store.items(run_id)}
        assert stored == {i["code"]: i["status"] for i in report["items"]}
        assert stored["O27"] == "fail"
    assert not (tmp_path / "history.sqlite3").exists()


def test_the_environment_url_wins_over_the_configured_sqlite_file(
        tmp_path: Path, base_url: str, pg_url: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    config = write_config(tmp_path, base_url, 'path = "h.sqlite3"')
    monkeypatch.setenv("OIT_CHECKER_STORAGE_URL", with_password(pg_url))
    assert main(["audit", "-c", str(config), "-q", "--format", "json"]) == 1
    run_id = json.loads(capsys.readouterr().out)["run"]["id"]
    assert not (tmp_path / "h.sqlite3").exists()
    assert main(["history", "-c", str(config), "--lang", "en"]) == 0
    assert run_id[:15] in flat(capsys.readouterr().out)
    monkeypatch.delenv("OIT_CHECKER_STORAGE_URL")
    assert main(["history", "-c", str(config), "--db", pg_url, "--lang", "en"]) == 0  # --db takes a URL too
    assert run_id[:15] in flat(capsys.readouterr().out)


def test_a_postgresql_that_does_not_answer_stops_the_audit_without_showing_the_password(
        tmp_path: Path, base_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_config(tmp_path, base_url, f'url = "postgresql://postgres:{SECRET}@127.0.0.1:1/test"')
    with pytest.raises(SystemExit) as exit_:
        main(["audit", "-c", str(config), "--lang", "en"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and "Traceback" not in err
    assert SECRET not in err and "127.0.0.1:1" in flat(err) and "***" in err


def test_a_url_that_is_not_postgresql_is_a_config_error_that_does_not_echo_it(
        tmp_path: Path, base_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_config(tmp_path, base_url, f'url = "mysql://root:{SECRET}@127.0.0.1/test"')
    with pytest.raises(SystemExit) as exit_:
        main(["audit", "-c", str(config)])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and "storage" in err and SECRET not in err


OPEN_ONE = """
import sys
from oit_checker.store import Store
with Store(sys.argv[1]) as store:
    print(store.schema_version)
"""


def test_processes_opening_a_new_database_at_once_migrate_it_once(pg_url: str) -> None:
    """Four workers start together on an empty schema: one migrates (advisory lock), all open it."""
    children = [subprocess.Popen([sys.executable, "-c", OPEN_ONE, pg_url], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True, cwd=Path(__file__).parents[2])
                for _ in range(4)]
    outcomes = [child.communicate(timeout=60) for child in children]
    assert [child.returncode for child in children] == [0] * 4, outcomes
    assert [out.strip() for out, _ in outcomes] == [str(len(MIGRATIONS))] * 4
    with psycopg.connect(pg_url) as db:
        assert db.execute("SELECT version FROM oit_schema").fetchall() == [(len(MIGRATIONS),)]
