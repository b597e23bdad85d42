"""``oit-checker schedule``: a real every-minute cron in a real process, SIGTERM, the lock, misfires.

The every-minute test starts the scheduler as soon as it can and waits for exactly two cron firings,
then sends SIGTERM. With a plain cron that is two minute boundaries (62-122 s), so it sets
``OIT_CHECKER_SCHEDULE_SECONDS=*/10`` (oit_checker/schedule.py, tests only): the same ``* * * * *``
cron fires every 10 s of each minute, and the test takes ~15-25 s. Each test here takes a few seconds.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from configs import HTTP_ONLY, write_agency_config
from fixture_server import FixtureServer
from receivers import WebhookReceiver

from oit_checker.config import ScheduleSettings, load_config
from oit_checker.demo import SiteServer, start_demo_server
from oit_checker.errors import ConfigError
from oit_checker.lock import RunLock
from oit_checker.schedule import SECONDS_ENV, Guardian, build_scheduler
from oit_checker.store import RunState, Store

ROOT = Path(__file__).resolve().parents[2]
BANGKOK = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture(scope="module")
def demo_site() -> Iterator[SiteServer]:
    with start_demo_server() as server:
        yield server


def write_config(directory: Path, base: str, *, cron: str = "0 2 * * *", extra_item: str | None = None,
                 webhook: str = "") -> Path:
    items = {"O3": f"{base}/ita/o3-tis620.html", "O27": f"{base}/ita/o27-hr-criteria.html"}
    if extra_item:
        items["O24"] = extra_item
    return write_agency_config(directory, base, items, name="กรมทดสอบตามเวลา", extra=HTTP_ONLY + f"""
[storage]
path = "history.sqlite3"
[schedule]
cron = "{cron}"
timezone = "Asia/Bangkok"
[notify.webhook]
url = "{webhook}"
""")


def runs(db: Path) -> list[tuple[str, str, str]]:
    """(id, state, started_at) of every run, oldest first, read without oit-checker."""
    if not db.exists():
        return []
    raw = sqlite3.connect(db, timeout=5)
    try:
        return raw.execute("SELECT id, state, started_at FROM runs ORDER BY started_at").fetchall()
    except sqlite3.OperationalError:  # the schema is being created
        return []
    finally:
        raw.close()


def start(config: Path, *args: str, seconds: str | None = None) -> tuple[subprocess.Popen[str], Path]:
    """``oit-checker schedule`` in a child process; ``seconds``: the cron's test-only second field."""
    log = config.parent / "schedule.log"
    handle = open(log, "w", encoding="utf-8")  # noqa: SIM115 - the child writes it; closed by the child's exit
    process = subprocess.Popen([sys.executable, "-m", "oit_checker", "schedule", "-c", str(config), "--lang", "en",
                                *args], cwd=config.parent, stdout=subprocess.DEVNULL, stderr=handle, text=True,
                               env={**os.environ, **({SECONDS_ENV: seconds} if seconds else {})})
    handle.close()
    return process, log


def wait_for(predicate: Callable[[], bool], timeout: float, process: subprocess.Popen[str], log: Path, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if process.poll() is not None:
            pytest.fail(f"schedule exited ({process.returncode}) before {what}:\n{log.read_text(encoding='utf-8')}")
        time.sleep(0.1)
    process.kill()
    process.wait()
    pytest.fail(f"timed out waiting for {what}:\n{log.read_text(encoding='utf-8')}")


def stop(process: subprocess.Popen[str], sig: signal.Signals = signal.SIGTERM) -> float:
    began = time.monotonic()
    process.send_signal(sig)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        pytest.fail("schedule did not stop within 15 s of the signal")
    return time.monotonic() - began


EVERY = 10
"""Seconds between test firings: more than one audit of two demo items takes (~1-3 s), so none is skipped."""


def test_every_minute_cron_runs_exactly_the_expected_audits_and_stops_on_sigterm(
        tmp_path: Path, demo_site: SiteServer) -> None:
    config = write_config(tmp_path, demo_site.base_url, cron="* * * * *")
    db = tmp_path / "history.sqlite3"
    began = time.monotonic()
    process, log = start(config, seconds=f"*/{EVERY}")  # fires every EVERY s of every minute
    try:
        wait_for(lambda: "next run" in log.read_text(encoding="utf-8"), 30, process, log, "the start line")
        first = re.search(r"next run (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) \+0700", log.read_text(encoding="utf-8"))
        assert first, log.read_text(encoding="utf-8")
        first_fire = dt.datetime.strptime(first.group(1), "%Y-%m-%d %H:%M:%S").replace(tzinfo=BANGKOK)
        wait_for(lambda: [r[1] for r in runs(db)] == [RunState.COMPLETE] * 2, 150, process, log, "two complete runs")
        stopping = stop(process)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    total = time.monotonic() - began
    text = log.read_text(encoding="utf-8")
    assert process.returncode == 0, text
    assert "Traceback" not in text
    stored = runs(db)
    assert len(stored) == 2, stored  # exactly two firings, no third
    starts = [dt.datetime.fromisoformat(r[2]) for r in stored]
    for fire, started in zip((first_fire, first_fire + dt.timedelta(seconds=EVERY)), starts, strict=True):
        assert dt.timedelta(0) <= started - fire < dt.timedelta(seconds=EVERY), (fire, started)
    assert len(re.findall(r"oit-checker: Run \S+: complete in [\d.]+ s: 2 items: ", text)) == 2  # a line per run
    assert text.count("next run") == 3
    assert "Received SIGTERM: stopping the scheduled audits" in text and text.rstrip().endswith("Stopped")
    with Store(db) as store:
        assert {r.trigger for r in store.runs()} == {"schedule"}
        assert [i.code for i in store.items(stored[0][0])] == ["O3", "O27"]
    with RunLock(tmp_path / "history.sqlite3.lock") as held:
        assert held  # released on exit
    assert stopping < 5
    print(f"\nschedule every-minute test: {total:.1f} s in all, first firing {first_fire:%H:%M:%S}, "
          f"stopped {stopping:.2f} s after SIGTERM")


def test_sigterm_during_a_run_cancels_it_records_it_interrupted_and_exits_0(
        tmp_path: Path, demo_site: SiteServer, fixture_server: FixtureServer) -> None:
    fixture_server.reset()
    config = write_config(tmp_path, demo_site.base_url, extra_item=f"{fixture_server.base_url}/stall?seconds=30")
    db = tmp_path / "history.sqlite3"
    process, log = start(config, "--now")
    try:
        wait_for(lambda: [r[1] for r in runs(db)] == [RunState.RUNNING] and fixture_server.hits["/stall"] >= 1,
                 60, process, log, "the run to reach the stalling page")
        stopping = stop(process)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    text = log.read_text(encoding="utf-8")
    assert process.returncode == 0, text
    assert stopping < 5, text  # the 30 s page was not waited for
    assert [r[1] for r in runs(db)] == [RunState.INTERRUPTED]
    assert "cancelled because of the stop request" in text and "Traceback" not in text
    with RunLock(tmp_path / "history.sqlite3.lock") as held:
        assert held


def test_sigint_when_idle_stops_cleanly(tmp_path: Path, demo_site: SiteServer) -> None:
    config = write_config(tmp_path, demo_site.base_url)
    process, log = start(config)
    try:
        wait_for(lambda: "next run" in log.read_text(encoding="utf-8"), 30, process, log, "the start line")
        stop(process, signal.SIGINT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    text = log.read_text(encoding="utf-8")
    assert process.returncode == 0 and "Received SIGINT" in text and "Traceback" not in text
    assert runs(tmp_path / "history.sqlite3") == []


@pytest.fixture
def log_lines() -> Iterator[list[str]]:
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(record.getMessage())

    logger = logging.getLogger("test.oit_checker.schedule")
    handler = Collect()
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield lines
    finally:
        logger.removeHandler(handler)


def guardian(config: Path) -> Guardian:
    return Guardian(str(config), load_config(config), log=logging.getLogger("test.oit_checker.schedule"), lang="en")


def test_a_run_is_skipped_while_another_process_holds_the_lock_and_a_crash_frees_it(
        tmp_path: Path, demo_site: SiteServer, log_lines: list[str]) -> None:
    config = write_config(tmp_path, demo_site.base_url)
    lock = tmp_path / "history.sqlite3.lock"
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time; from oit_checker.lock import RunLock\n"
                               f"lock = RunLock({str(lock)!r}); assert lock.acquire(); print('held', flush=True); "
                               "time.sleep(60)"], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert guardian(config).run_once() == "skipped"
        assert runs(tmp_path / "history.sqlite3") == []
        assert any("another audit holds the lock" in line for line in log_lines)
        holder.send_signal(signal.SIGKILL)  # a crash: the OS releases the lock
        holder.wait(timeout=10)
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
        assert holder.stdout is not None
        holder.stdout.close()
    assert lock.exists()  # the file stays; the lock on it does not
    assert guardian(config).run_once() == RunState.COMPLETE
    assert [r[1] for r in runs(tmp_path / "history.sqlite3")] == [RunState.COMPLETE]
    assert re.search(r"Run \S+: complete in [\d.]+ s: 2 items: 1 pass .* 1 fail", log_lines[-1])


def test_a_config_broken_between_runs_is_a_failed_run_that_is_told(
        tmp_path: Path, demo_site: SiteServer, log_lines: list[str]) -> None:
    webhook = WebhookReceiver()
    try:
        config = write_config(tmp_path, demo_site.base_url, webhook=webhook.url)
        keeper = guardian(config)
        assert keeper.run_once() == RunState.COMPLETE
        config.write_text(config.read_text(encoding="utf-8") + "\n[itemz.O9]\n", encoding="utf-8")  # a typo
        assert keeper.run_once() == RunState.FAILED
        assert keeper.run_once() == RunState.FAILED  # still broken: not told twice
    finally:
        webhook.close()
    with Store(tmp_path / "history.sqlite3") as store:
        failed = [r for r in store.runs() if r.state == RunState.FAILED]
        assert len(failed) == 2 and all("itemz" in (r.error or "") for r in failed)
    [hook] = webhook.hooks
    payload = json.loads(hook.body)
    assert payload["kind"] == "run_failed" and "itemz" in payload["run"]["error"]
    assert "itemz" in log_lines[-1]


def test_missed_runs_are_coalesced_within_the_grace_and_skipped_beyond_it(log_lines: list[str]) -> None:
    logger = logging.getLogger("test.oit_checker.schedule")
    now = dt.datetime.now(BANGKOK)
    hourly = f"{(now.minute + 30) % 60} * * * *"  # three fire times in the last three hours, none soon

    def fire(settings: ScheduleSettings, first_run: dt.datetime, wait: float = 1.5) -> int:
        calls: list[float] = []
        done = threading.Event()

        def job() -> None:
            calls.append(time.monotonic())
            done.set()

        scheduler = build_scheduler(settings, job, logger, "en", first_run=first_run)
        scheduler.start()
        try:
            done.wait(wait)
            time.sleep(0.3)  # room for any further (wrong) call
        finally:
            scheduler.shutdown(wait=True)
        return len(calls)

    asleep_since = now - dt.timedelta(hours=3, minutes=1)
    generous = {"cron": hourly, "misfire_grace": 4 * 3600}
    assert fire(ScheduleSettings.model_validate(generous), asleep_since) == 1  # coalesced: one run, not four
    assert fire(ScheduleSettings.model_validate({**generous, "coalesce": False}), asleep_since) == 4
    assert fire(ScheduleSettings.model_validate({"cron": hourly, "misfire_grace": 60}),
                now - dt.timedelta(minutes=5), wait=0.7) == 0  # too late: skipped and logged
    assert any(line.startswith("Missed the run of") for line in log_lines)


@pytest.mark.parametrize(("table", "key"), [("cron = \"61 * * * *\"", "schedule.cron"),
                                            ("cron = \"0 2 * *\"", "schedule.cron"),
                                            ("timezone = \"Asia/Bangkokk\"", "schedule.timezone")])
def test_bad_schedule_settings_name_the_key(tmp_path: Path, table: str, key: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f'[agency]\nname = "x"\nhomepage = "https://x.go.th/"\n[schedule]\n{table}\n', encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert error.value.key == key
