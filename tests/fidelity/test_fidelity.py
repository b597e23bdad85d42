"""The fidelity corpus: the audit must agree with a careful ITA assessor on realistic agency pages.

Every case of ``corpus.py`` is served on 127.0.0.1 and audited with the real audit; the item's
status is compared with the assessor's verdict. Never a false ``fail``; at least 95 % agreement.
``bench/fidelity.py`` prints the same run with its table of disagreements.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import prebuild  # noqa: E402
from corpus import CASES  # noqa: E402
from corpus_runner import Outcome, disagreements, run_corpus, summary  # noqa: E402

SHAPES = {"own date", "citation + date", "citations only", "report period", "last-modified only", "elements",
          "misspelling", "linked evidence", "broken evidence", "placeholder link", "menu, no evidence",
          "instructions copy", "nil statement", "scanned PDF", "legacy-font PDF", "soft-404", "login box",
          "login wall", "dead URL", "social page", "crawl incomplete", "TIS-620", "joomla", "wordpress", "nextjs"}
"""Every shape issue 11 names must stay in the corpus."""


def test_corpus_is_complete() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) >= 90
    assert len(set(ids)) == len(ids)
    assert SHAPES <= {c.shape for c in CASES}
    assert {c.expected for c in CASES} == {"pass", "warn", "fail", "unverified"}
    assert all(c.why for c in CASES)
    counts = Counter(c.expected for c in CASES)
    assert counts["pass"] >= 30 and counts["fail"] >= 20


@pytest.fixture(scope="module")
def outcomes() -> list[Outcome]:
    prebuild.wait()  # the PDFs built in the background since collection (prebuild.py)
    return run_corpus()


def test_no_false_fail(outcomes: list[Outcome]) -> None:
    false_fails = [o for o in outcomes if o.false_fail]
    assert not false_fails, summary(outcomes) + "\n" + disagreements(false_fails)


def test_agreement(outcomes: list[Outcome]) -> None:
    agree = sum(o.agrees for o in outcomes)
    assert agree >= 0.95 * len(outcomes), summary(outcomes) + "\n" + disagreements(outcomes)
