"""Processes of a test's own subprocess tree, read from /proc (Linux): which Chromiums run below it."""

from __future__ import annotations

import threading
import time
from pathlib import Path

BROWSERS = ("chromium", "chrome", "headless_shell", "chromium-browser")
"""Program names of a Chromium browser process (Debian's, Playwright's own, its headless shell)."""


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def chromiums_below(*roots: int) -> set[int]:
    """Browser (main) processes of Chromium under any of ``roots``: a Chromium without ``--type=`` (its
    renderers, GPU and zygote processes carry one; its crash handlers have another name), and not
    below another (a child forked but not yet exec'd)."""
    parent = {int(e.name): int(s[1]) for e in Path("/proc").iterdir()
              if e.name.isdigit() and (s := _stat(int(e.name))) is not None}
    found = set()
    for pid in parent:
        if below(pid, set(roots), parent) is None:
            continue
        try:
            raw = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        program = Path(raw.split(b"\0")[0].split(b" ")[0].decode(errors="replace")).name
        if program in BROWSERS and b"--type=" not in raw:  # children rewrite argv as one string
            found.add(pid)
    # a browser's child just forked, before its exec, still shows the browser's command line
    return {pid for pid in found if below(pid, found, parent) is None}


def below(pid: int, ancestors: set[int], parent: dict[int, int]) -> int | None:
    """The first of ``ancestors`` above ``pid`` (``pid`` itself excluded), else None."""
    ancestor = parent.get(pid, 0)
    while ancestor not in (0, 1) and ancestor not in ancestors:
        ancestor = parent.get(ancestor, 0)
    return ancestor if ancestor in ancestors else None


class ChromiumSampler:
    """Counts the Chromiums below ``roots`` every 0.1 s while in the ``with`` block: ``peak`` at
    once, and every one ``seen``."""

    def __init__(self, *roots: int) -> None:
        self.roots = roots
        self.peak = 0
        self.seen: set[int] = set()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> ChromiumSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join(5)

    def _run(self) -> None:
        while not self._done.is_set():
            now = chromiums_below(*self.roots)
            self.seen |= now
            self.peak = max(self.peak, len(now))
            time.sleep(0.1)
