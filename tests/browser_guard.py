"""Browser tests fail at once, in one line, when Chromium cannot start: never a wait, never a skip.

Without a usable Chromium the Playwright tests used to wait until killed (issue 13). Now the first
browser test of a session starts Chromium once, in a subprocess with a deadline, exactly as the
checker finds it (``BrowserFetcher.start``: Playwright's own first, then the system's); when it
cannot, that test and every later browser test fail in their setup, before any fixture runs, with
the reason and the package to install. Sessions without browser tests never start it.

A browser test: one marked ``@pytest.mark.browser``; or, in an e2e, integration or fidelity module
whose text drives the browser (``USES_BROWSER``), a test whose own source or one of whose fixtures
does, unless the test turns the browser off or only checks refused arguments (``NO_BROWSER``).
Unit tests never start a real browser. A test that drives it some other way: mark it.
"""

from __future__ import annotations

import inspect
import os
import re
import signal
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROBE_SECONDS = 15
"""Chromium starts in about 2 s here (1 s of it Playwright's driver), 5 s on a busy machine: more is a hang."""
USES_BROWSER = re.compile(r'BrowserFetcher|playwright|\["demo"|browser="(?:auto|always)"')
"""Module text that starts a browser: the fetcher, Playwright itself, the demo (auto mode), an audit."""
BROWSER_DIRS = ("e2e", "integration", "fidelity")
NO_BROWSER = ('"never"', "pytest.raises(SystemExit)")
"""A test that turns the browser off, or checks arguments refused before any audit."""
INSTALL = "run `make deps`, or: sudo apt-get install -y --no-install-recommends chromium fonts-thai-tlwg"
PROBE = f"""
import asyncio
from oit_checker.fetch.browser import BrowserFetcher

async def main() -> int:
    async with BrowserFetcher() as browser:  # closing it stops Playwright, which ends the browser it launched
        try:
            started = await asyncio.wait_for(browser.start(), {PROBE_SECONDS})
        except TimeoutError:
            print("did not start within {PROBE_SECONDS} s", flush=True)
            return 1
        print(browser.description if started else browser.problem_detail, flush=True)
        return 0 if started else 1

raise SystemExit(asyncio.run(main()))
"""


def configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: needs a Chromium that starts (checked once, fails at once)")


@cache
def _module_uses_browser(path: Path) -> bool:
    return path.parent.name in BROWSER_DIRS and bool(USES_BROWSER.search(path.read_text(encoding="utf-8")))


def is_browser_test(item: pytest.Item) -> bool:
    """Marked; or in a browser module, with the browser in a fixture it asks for or in its own source."""
    if item.get_closest_marker("browser"):
        return True
    if not isinstance(item, pytest.Function) or not _module_uses_browser(Path(item.path)):
        return False
    # the fixtures this test asks for (pytest keeps them in _fixtureinfo; no public accessor)
    fixtures = [defs[-1].func for defs in item._fixtureinfo.name2fixturedefs.values() if defs]
    if any(USES_BROWSER.search(_source(fixture)) for fixture in fixtures):
        return True
    own = _source(item.function)
    return not any(off in own for off in NO_BROWSER) and bool(USES_BROWSER.search(own))


def _source(code: object) -> str:
    try:
        return inspect.getsource(inspect.unwrap(code))  # type: ignore[arg-type]  # async fixtures are wrapped
    except (OSError, TypeError):
        return ""


@cache
def browser_problem() -> str:
    """'' when Chromium starts; else one line saying why and what to install."""
    probe = subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", PROBE], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, start_new_session=True)
    try:
        out, _ = probe.communicate(timeout=PROBE_SECONDS + 30)
    except subprocess.TimeoutExpired:  # the probe's own deadline did not end it: end it here
        os.killpg(probe.pid, signal.SIGKILL)
        probe.communicate()
        return f"Chromium did not start within {PROBE_SECONDS} s: {INSTALL}"
    if probe.returncode == 0:
        return ""
    lines = [line.strip() for line in out.splitlines() if line.strip()]
    detail = lines[-1][:300] if lines else f"exit code {probe.returncode}"
    return f"Chromium cannot start ({detail}): {INSTALL}"


def check(item: pytest.Item) -> None:
    """Fail a browser test now, before its fixtures, when no Chromium can start."""
    if is_browser_test(item) and (problem := browser_problem()):
        pytest.fail(problem, pytrace=False)
