"""One lock for every pypdfium2 call: PDFium is not thread-safe, and audits extract PDFs in
worker threads (two concurrent calls crashed the process with a segmentation fault)."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

PDFIUM_LOCK = threading.RLock()


def serialized(func: Callable[P, R]) -> Callable[P, R]:
    """Run ``func`` while holding the process-wide PDFium lock."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with PDFIUM_LOCK:
            return func(*args, **kwargs)

    return wrapper
