"""The whole run's deadline: ``[audit] max_minutes``, or a stop asked by a signal.

A nightly run must end and a person at the terminal must get a report, so every phase of an
audit (crawl, item fetches, browser, evidence links) waits on its work *and* on this deadline:
when the deadline passes, the work still pending is cancelled and its URLs become
``unverified`` with the reason ``run_deadline`` (or ``run_interrupted`` after SIGINT/SIGTERM).
Asyncio timeouts, not threads: a cancelled fetch closes its connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
from collections.abc import Awaitable
from typing import Literal, TypeVar

from .fetch.interface import BodyCap, Fetcher
from .models import FetchResult
from .reasons import Reason

T = TypeVar("T")

DEADLINE = Reason.RUN_DEADLINE
INTERRUPTED = Reason.RUN_INTERRUPTED

_live: dict[RunDeadline, asyncio.AbstractEventLoop] = {}
"""The runs of this process under way, with the loop each runs on (one per thread)."""
_lock = threading.RLock()  # re-entrant: the SIGINT handler may run in a thread holding it
_stop_later: list[Reason] = []
"""Set by ``stop_every_run(and_later=True)``: a run started afterwards ends at once."""


class RunDeadline:
    """Ends the run's waiting at ``seconds`` after ``start()`` (None: never), or at ``stop()``."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.reason: Reason | Literal[""] = ""
        """'' while the run goes on; ``run_deadline`` or ``run_interrupted`` once it has to end."""
        self._event: asyncio.Event | None = None
        self._timer: asyncio.TimerHandle | None = None

    def start(self) -> None:
        """Arm the timer on the running loop."""
        self._event = asyncio.Event()
        loop = asyncio.get_running_loop()
        if self.seconds is not None:
            self._timer = loop.call_later(max(self.seconds, 0.0), self.stop, DEADLINE)
        with _lock:
            _live[self] = loop
            stopped = _stop_later[:1]
        if stopped:
            self.stop(stopped[0])

    def stop(self, reason: Reason = INTERRUPTED) -> None:
        """End the run now (the first reason given is kept). Call from the loop's thread."""
        if not self.reason:
            self.reason = reason
        if self._event is not None:
            self._event.set()
        if self._timer is not None:
            self._timer.cancel()

    def close(self) -> None:
        """Disarm the timer."""
        if self._timer is not None:
            self._timer.cancel()
        with _lock:
            _live.pop(self, None)

    @property
    def expired(self) -> bool:
        return bool(self.reason)

    async def race(self, work: Awaitable[T]) -> tuple[bool, T | None]:
        """``(True, result)`` when ``work`` finished first, else ``(False, None)``: it was cancelled
        at the deadline. An exception of ``work`` propagates."""
        task = asyncio.ensure_future(work)
        if self._event is None or self.expired:
            if self.expired:
                task.cancel()
                await _settle(task)
                return False, None
            return True, await task
        waiter = asyncio.ensure_future(self._event.wait())
        try:
            await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiter.cancel()
            if not task.done():
                task.cancel()
                await _settle(task)
        if task.cancelled():
            return False, None
        return True, task.result()

    def result(self, url: str) -> FetchResult:
        """What a URL the deadline stopped records."""
        detail = "the run was stopped" if self.reason == INTERRUPTED else f"max_minutes = {self._minutes()}"
        return FetchResult(url=url, final_url=url, error=self.reason or DEADLINE, error_detail=detail)

    def _minutes(self) -> str:
        return f"{(self.seconds or 0) / 60:g}"


def stop_every_run(reason: Reason = INTERRUPTED, *, and_later: bool = False) -> None:
    """End every run of this process, whichever thread's loop it runs on (safe from any thread and
    from a signal handler); with ``and_later``, runs started afterwards end at once too."""
    with _lock:
        if and_later and not _stop_later:
            _stop_later.append(reason)
        live = list(_live.items())
    for deadline, loop in live:
        with contextlib.suppress(RuntimeError):  # its loop has just closed: that run is over
            loop.call_soon_threadsafe(deadline.stop, reason)


def stop_every_run_on_sigint() -> None:
    """In a process auditing in several threads (a fleet worker with ``agencies_per_worker`` > 1):
    SIGINT ends every run, now and later, like its deadline. Call from the main thread;
    ``audit_async(signals=True)`` then leaves SIGINT to this handler."""
    signal.signal(signal.SIGINT, _stop_on_sigint)


def _stop_on_sigint(signum: int, frame: object) -> None:
    stop_every_run(INTERRUPTED, and_later=True)


def sigint_stops_every_run() -> bool:
    """True while ``stop_every_run_on_sigint``'s handler holds SIGINT in this process."""
    return signal.getsignal(signal.SIGINT) is _stop_on_sigint


async def _settle(task: asyncio.Future[T]) -> None:
    """Wait for a cancelled task to unwind (its ``finally`` blocks close connections)."""
    with contextlib.suppress(BaseException):
        await asyncio.wait_for(asyncio.shield(task), timeout=5)


class DeadlineFetcher(Fetcher):
    """A fetcher whose every request ends at the run's deadline with a ``run_deadline`` result.

    It wraps the run's fetcher for the crawl, the item URLs and the evidence links alike."""

    def __init__(self, inner: Fetcher, deadline: RunDeadline) -> None:
        self.inner = inner
        self.deadline = deadline

    async def fetch(self, url: str) -> FetchResult:
        done, result = await self.deadline.race(self.inner.fetch(url))
        return result if done and result is not None else self.deadline.result(url)

    async def fetch_capped(self, url: str, body_cap: BodyCap) -> FetchResult:
        done, result = await self.deadline.race(self.inner.fetch_capped(url, body_cap))
        return result if done and result is not None else self.deadline.result(url)

    async def aclose(self) -> None:
        await self.inner.aclose()


__all__ = ["DEADLINE", "INTERRUPTED", "DeadlineFetcher", "RunDeadline", "stop_every_run", "stop_every_run_on_sigint"]
