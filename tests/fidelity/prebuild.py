"""Build the corpus's Chromium-made PDFs in the background while the tests before this folder run.

A cold cache (always, on CI) costs 15-40 s of Chromium printing; started at the end of collection
(``conftest.py`` here) in a child process (``corpus_runner.py --build``), it overlaps the e2e tests,
which mostly wait. The corpus fixture waits for the child before auditing; the builder skips cached
files, so a warm cache costs only the child's start.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
_BUILDER: list[subprocess.Popen[bytes]] = []


def start() -> None:
    """Start the background build (once)."""
    if not _BUILDER:
        _BUILDER.append(subprocess.Popen([sys.executable, str(HERE / "corpus_runner.py"), "--build"],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))


def wait() -> None:
    """Wait for the background build, if one was started. A failed build is reported on stderr;
    the corpus server then builds what is missing itself, so the tests still say what is wrong."""
    while _BUILDER:
        builder = _BUILDER.pop()
        _, err = builder.communicate(timeout=300)
        if builder.returncode != 0:
            sys.stderr.write(f"corpus PDF prebuild failed ({builder.returncode}):\n{err.decode(errors='replace')}\n")


def stop() -> None:
    """The session ended before the corpus ran (``-x``, ^C): leave no child behind."""
    while _BUILDER:
        builder = _BUILDER.pop()
        builder.kill()
        builder.wait()
