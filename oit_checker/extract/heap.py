"""Keep freed memory in the process between HTML documents.

selectolax (lexbor) allocates a fresh arena for every document it parses and frees it when the
tree goes away. With glibc's default top pad (128 KiB) every parse grows the heap with ``brk`` and
every free shrinks it again: page faults and system calls made an empty document cost 80 µs, most
of a small page's parse (bench/crawl.py parses thousands). A few MiB of top pad keeps the arena's
pages mapped between documents: 80 → 14 µs for an empty document, 120 → 20 µs for a 7 KB Thai page.

It changes the whole process's allocator, so importing the package never calls it: the program
decides (``cli.main`` and bench/crawl.py do). Re-measured with the httpx client (2026-12-03,
bench/crawl.py, limits lifted): 2.51 → 2.35 CPU ms per page (−6 %, 3 paired runs of 3,000 pages).
"""

from __future__ import annotations

import ctypes
import sys

M_TOP_PAD = -2
"""glibc's ``mallopt`` parameter: extra bytes to ask for (and keep) when the heap grows."""
TOP_PAD_BYTES = 4 * 1024 * 1024


def keep_heap_pad() -> bool:
    """Raise glibc's top pad; True when it was set (False elsewhere: other C libraries, macOS)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_TOP_PAD, TOP_PAD_BYTES))
