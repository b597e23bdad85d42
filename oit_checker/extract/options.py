"""Limits and switches for reading documents (``[documents]`` in the agency config).

Every cap here exists so that one file can never stop or stall a run (DESIGN §10): pages parsed,
bytes decompressed from a DOCX/XLSX zip, cells read from a workbook, seconds per document, and,
for scans, pages, resolution and seconds given to OCR.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

__all__ = ["DEFAULT_OPTIONS", "Budget", "ExtractOptions", "ExtractTimeout"]


@dataclass(frozen=True)
class ExtractOptions:
    """How documents are read. No defaults here: ``oit_checker.options`` builds them from
    ``[documents]``, whose model holds every default."""

    ocr: str
    """``auto``: read scanned pages with Tesseract when it and its Thai data are installed; ``off``."""
    ocr_languages: str
    """Tesseract language list (``tesseract --list-langs``)."""
    ocr_max_pages: int
    """Scanned pages read by OCR per document; later scanned pages stay unread."""
    ocr_dpi: int
    """Resolution pages are rendered at for OCR (lowered for huge pages: at most ``MAX_PIXELS``)."""
    ocr_min_confidence: float
    """Mean Tesseract word confidence (0–100) below which OCR text is too poor to judge."""
    max_pages: int
    """Pages of a PDF whose text is read; a longer document is judged on these only."""
    max_decompressed_mb: float
    """Cap on what a DOCX/XLSX (a zip) may expand to; more is treated as a zip bomb."""
    max_cells: int
    """Cells read from a workbook, over all sheets."""
    timeout: float
    """Seconds for one document, OCR included; then what was read so far is judged."""

    @property
    def max_decompressed_bytes(self) -> int:
        """``max_decompressed_mb`` in bytes."""
        return int(self.max_decompressed_mb * 1024 * 1024)


DEFAULT_OPTIONS = ExtractOptions(ocr="auto", ocr_languages="tha+eng", ocr_max_pages=10, ocr_dpi=200,
                                 ocr_min_confidence=60.0, max_pages=200, max_decompressed_mb=100.0,
                                 max_cells=200_000, timeout=120.0)
"""The extractors' fallback when a caller gives no options (tests, bench). It cannot be built from
the config here (this layer does not load pydantic); ``tests/unit/test_settings_once.py`` keeps it
equal to ``oit_checker.options.defaults().documents``. The audit always passes the built options."""

MAX_PIXELS = 40_000_000
"""Largest page image handed to OCR (an A0 poster at 200 dpi would be 100 Mpx)."""


class ExtractTimeout(Exception):
    """The document's time budget ran out (caught by the extractors, never escapes them)."""


class Budget:
    """Seconds left for one document; extractors ask before each expensive step."""

    def __init__(self, seconds: float) -> None:
        self._end = time.monotonic() + seconds

    def left(self) -> float:
        """Seconds left (never negative)."""
        return max(0.0, self._end - time.monotonic())

    def spent(self) -> bool:
        """True once the budget is used up."""
        return self.left() <= 0.0

    def check(self) -> None:
        """Raise ``ExtractTimeout`` when the budget is used up."""
        if self.spent():
            raise ExtractTimeout
