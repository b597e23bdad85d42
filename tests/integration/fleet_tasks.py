"""Top-level functions that spawned processes run in the embedded-fleet tests (a spawned child
imports them by module name, so they cannot live in the test module's closures).

``audit_agency``: a stand-in for ``fleet.task.run_agency`` (no store yet) that runs a real
``run_audit`` of one fixture agency and returns its counts; it can SIGKILL its own worker once,
mid-audit, for one agency (a marker file records that it did). Every start and finish is appended
to a log file so the test can count them across processes.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path
from typing import Any

from oit_checker.audit import run_audit
from oit_checker.config import parse_config_text
from oit_checker.fetch import limits
from oit_checker.fetch.http import HttpFetcher
from oit_checker.fleet.progress import AgencyOutcome, QueueObserver, observer_for


def _log(log: str, line: str) -> None:
    with open(log, "a", encoding="utf-8") as out:  # O_APPEND: whole short lines from many processes
        out.write(line + "\n")


class _KillingObserver:
    """Passes progress on, and SIGKILLs this worker at the first URL done (once: the marker file)."""

    def __init__(self, inner: QueueObserver, marker: Path) -> None:
        self.inner, self.marker = inner, marker

    def started(self, total: int) -> None:
        self.inner.started(total)

    def advanced(self, url: str) -> None:
        self.inner.advanced(url)
        if not self.marker.exists():
            self.marker.write_text(str(os.getpid()), encoding="utf-8")
            os.kill(os.getpid(), signal.SIGKILL)


def audit_agency(configs: dict[str, str], log: str, kill: str, agency_id: str) -> AgencyOutcome:
    """Audit one agency from its ``config.toml`` text; ``kill``: the agency whose first attempt dies."""
    _log(log, f"start {agency_id} {os.getpid()}")
    loaded = parse_config_text(configs[agency_id], f"{agency_id}.toml", Path("."))
    observer = observer_for(agency_id)
    marker = Path(log).with_name(f"killed-{agency_id}")
    watched = _KillingObserver(observer, marker) if agency_id == kill else observer
    result = run_audit(loaded, observer=watched, browser="never", warc=False, signals=True)
    _log(log, f"finish {agency_id} {os.getpid()}")
    state = "complete" if result.complete else "incomplete"
    return AgencyOutcome(agency_id, state, {s.value: n for s, n in result.counts().items()}, run_id=result.run_id)


class _Timed:
    """A limiter that notes when each request was let go (after its host's spacing)."""

    def __init__(self, inner: limits.Limiter) -> None:
        self.inner = inner
        self.turns: list[float] = []

    async def acquire(self, host: str) -> None:
        await self.inner.acquire(host)

    def release(self, host: str) -> None:
        self.inner.release(host)

    async def wait_turn(self, host: str) -> None:
        await self.inner.wait_turn(host)
        self.turns.append(time.monotonic())


def fetch_many(limiter: limits.Limiter, options: object, urls: list[str], out: str, ready: Any) -> None:
    """A spawned process: fetch ``urls`` concurrently through ``limiter``; write the statuses, then the
    times each request was let go, to ``out``. ``ready``: a barrier passed once every process has
    started (start-up time is not request timing)."""
    timed = _Timed(limiter)

    async def run() -> list[int | None]:
        async with HttpFetcher(options, limiter=timed) as fetcher:  # type: ignore[arg-type]
            ready.wait(60)
            results = await asyncio.gather(*(fetcher.fetch(u) for u in urls))
        return [r.status for r in results]

    statuses = asyncio.run(run())
    Path(out).write_text(" ".join(str(s) for s in statuses) + "\n" + " ".join(map(repr, timed.turns)),
                         encoding="utf-8")


def hold(limiter: limits.ProcessLimiter, host: str, seconds: float, out: str) -> None:
    """A spawned process: hold one slot for ``host`` for ``seconds`` (the time it got it goes to ``out``)."""

    async def run() -> None:
        await limiter.acquire(host)
        Path(out).write_text(str(time.monotonic()), encoding="utf-8")
        await asyncio.sleep(seconds)
        limiter.release(host)

    asyncio.run(run())


def sleepy(log: str, agency_id: str) -> AgencyOutcome:
    """A task that records its pid and then outlives any test (the parent watchdog must end it)."""
    _log(log, f"start {agency_id} {os.getpid()}")
    time.sleep(60)
    return AgencyOutcome(agency_id, "complete")


def fleet_parent(log: str) -> None:
    """A spawned ``fleet run`` stand-in whose one worker runs ``sleepy``."""
    from functools import partial

    from oit_checker.fleet.embedded import run_embedded

    run_embedded(1, ["agency-0001"], partial(sleepy, log), handle_signals=False)
