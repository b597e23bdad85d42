"""Shared fixtures: the local fixture web servers (HTTP and self-signed HTTPS) on 127.0.0.1."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the package, when not installed
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent / "integration"))

import browser_guard  # noqa: E402
from fixture_server import FixtureServer, generate_thai_pdf, self_signed_context  # noqa: E402
from shared_demo import PROXY_VARIABLES, DemoRun, run_shared_demo  # noqa: E402

DEMO_PDF = ROOT / "oit_checker" / "demo" / "site" / "ita" / "docs" / "o24-procurement-report-2566.pdf"


def pytest_configure(config: pytest.Config) -> None:
    browser_guard.configure(config)


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A browser test fails at once, in one line, when Chromium cannot start (tests/browser_guard.py).

    The per-test timeout (``timeout`` in pyproject.toml, pytest-timeout) catches any other hang.
    """
    browser_guard.check(item)


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """httpx honours proxy variables; the tests only ever talk to 127.0.0.1."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _own_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """`audit` saves every run in the user's data directory: never the real one in tests.

    Secrets for notifications are unset too, so no test depends on the machine's environment.
    """
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.getbasetemp() / "xdg-data"))
    for name in ("OIT_CHECKER_WEBHOOK_URL", "OIT_CHECKER_WEBHOOK_SECRET", "OIT_CHECKER_SMTP_PASSWORD",
                 "OIT_CHECKER_EVIDENCE_DIR",  # evidence bundles go under XDG_DATA_HOME too
                 "OIT_CHECKER_STORAGE_URL"):  # the history too, never the machine's PostgreSQL
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def thai_pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A real Thai PDF with a text layer: the demo's, or one rendered now by Chromium."""
    if DEMO_PDF.is_file():
        return DEMO_PDF.read_bytes()
    return generate_thai_pdf(tmp_path_factory.mktemp("pdf") / "report.pdf")


@pytest.fixture(scope="session")
def fixture_server(thai_pdf: bytes) -> Iterator[FixtureServer]:
    """The fixture HTTP server (see ``tests/integration/fixture_server.py`` for its routes)."""
    server = FixtureServer(thai_pdf)
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def base_url(fixture_server: FixtureServer) -> str:
    """Base URL of the fixture server, with its per-route counters reset for this test."""
    fixture_server.reset()
    return fixture_server.base_url


@pytest.fixture(scope="session")
def tls_server(thai_pdf: bytes, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FixtureServer]:
    """The same routes over HTTPS with a self-signed certificate made for this run."""
    server = FixtureServer(thai_pdf, tls=self_signed_context(tmp_path_factory.mktemp("tls")))
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def tls_base_url(tls_server: FixtureServer) -> str:
    """``https://127.0.0.1:PORT`` of the self-signed server, counters reset."""
    tls_server.reset()
    return tls_server.base_url


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    """The session's one ``oit-checker demo --warc`` run (tests/shared_demo.py): for tests that only read it."""
    return run_shared_demo(tmp_path_factory.mktemp("demo-run"))


PG_URL = "postgresql://postgres@127.0.0.1:5432/test"
"""The PostgreSQL the tests use (trust auth, here and on CI): each test gets its own schema in it."""


def pg_schema_url(schema: str) -> str:
    """``PG_URL`` with ``schema`` as the search path: what ``[storage] url`` is given in tests."""
    return f"{PG_URL}?options=-csearch_path%3D{schema}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A storage URL on a fresh schema of the ``test`` database (random name, dropped after), so
    tests never see each other's rows. PostgreSQL not answering FAILS the test (never a skip):
    it is a service the suite needs, like Chromium."""
    import psycopg

    try:
        admin = psycopg.connect(PG_URL, autocommit=True, connect_timeout=5)
    except psycopg.Error as exc:
        down = str(exc)
    else:
        down = ""
    if down:
        pytest.fail(f"PostgreSQL does not answer at 127.0.0.1:5432 (database `test`, user postgres): {down}\n"
                    "Start it (Debian: `service postgresql start`, then `createdb -h 127.0.0.1 -U postgres test`); "
                    "the history tests run on it as well as on SQLite.", pytrace=False)
    schema = f"t_{uuid.uuid4().hex[:16]}"
    with admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
        try:
            yield pg_schema_url(schema)
        finally:
            admin.execute("SET lock_timeout = '20s'")  # a connection left open fails the teardown, never hangs it
            admin.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", "postgresql"])
def store_target(request: pytest.FixtureRequest, tmp_path: Path) -> str | Path:
    """Where a store test keeps its history: a SQLite file, then a fresh PostgreSQL schema (same tests)."""
    if request.param == "sqlite":
        return tmp_path / "h.sqlite3"
    url: str = request.getfixturevalue("pg_url")
    return url
