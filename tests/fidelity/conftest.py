"""Start the corpus's PDF build in the background once collection shows the corpus will run (prebuild.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import prebuild  # noqa: E402


def pytest_collection_finish(session: pytest.Session) -> None:
    if any(Path(str(item.path)).is_relative_to(HERE) and item.name != "test_corpus_is_complete"
           for item in session.items):
        prebuild.start()


def pytest_unconfigure(config: pytest.Config) -> None:
    prebuild.stop()
