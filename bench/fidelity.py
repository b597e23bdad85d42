"""Fidelity benchmark: how often the audit agrees with a careful ITA assessor.

Serves every case of the fidelity corpus (``tests/fidelity/corpus.py``: realistic Thai agency
pages, each with the assessor's verdict and one line of why) on 127.0.0.1, runs the real audit on
each, and prints::

    agreement N/M, false fails F, lenient L

(false fail: the tool says fail, the assessor does not; lenient: the tool says pass or warn, the
assessor says fail or unverified), then the table of disagreements: case, expected, got, reason
codes, why. Evidence files (PDF, scans, legacy-font PDFs) are built with Chromium on the first run
and cached in the temp folder.

    python bench/fidelity.py                      # every case
    python bench/fidelity.py --case soft404 --case cite-   # cases whose id contains any of these
    python bench/fidelity.py --shapes             # the case count by shape, too
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "fidelity"))

from corpus import CASES  # noqa: E402
from corpus_runner import disagreements, run_corpus, summary  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--case", action="append", default=[], help="only cases whose id contains this (repeatable)")
    parser.add_argument("--concurrency", type=int, default=12, help="audits run at once (default 12)")
    parser.add_argument("--shapes", action="store_true", help="print the case count by shape")
    args = parser.parse_args(argv)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        os.environ.pop(name, None)  # httpx honours them; every site here is on 127.0.0.1
    cases = [c for c in CASES if not args.case or any(part in c.id for part in args.case)]
    if args.shapes:
        for shape, count in Counter(c.shape for c in cases).most_common():
            print(f"{count:4d}  {shape}")
    started = time.perf_counter()
    outcomes = run_corpus(cases, concurrency=args.concurrency)
    print(summary(outcomes))
    if any(not o.agrees for o in outcomes):
        print(disagreements(outcomes))
    print(f"({len(outcomes)} audits in {time.perf_counter() - started:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
