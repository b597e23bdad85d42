"""``make demo``: run ``oit-checker demo`` and succeed only when it ends as intended.

The demo site has failing items on purpose, so the audit exits 1; but Python also exits 1 on an
uncaught exception, so a crash is told apart here (exit 70) instead of passing for "as intended".
"""

from __future__ import annotations

import sys
import traceback

from oit_checker.cli import main

INTENDED = 1


def run() -> int:
    try:
        code = main(["demo", *sys.argv[1:]])
    except Exception:  # noqa: BLE001 - any crash is reported, with its traceback
        traceback.print_exc()
        print("oit-checker demo: crashed (see the traceback above)", file=sys.stderr)
        return 70
    if code == INTENDED:
        print(f"oit-checker demo: exit code {code} (1 = the demo site has failing items, as intended)")
        return 0
    print(f"oit-checker demo: exit code {code}, expected 1 (the demo site has failing items)", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(run())
