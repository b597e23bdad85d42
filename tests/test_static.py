"""The package stays ruff- and mypy-clean (DESIGN §7); CI runs these with the tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff_clean() -> None:
    done = run("ruff", "check", "oit_checker", "tests")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_clean() -> None:
    done = run("mypy", "oit_checker")
    assert done.returncode == 0, done.stdout + done.stderr
