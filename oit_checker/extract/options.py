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
    """How documents are read; the defaults suit agency PDFs and spreadsheets."""

    ocr: str = "auto"
    """``auto``: read scanned pages with Tesseract when it and its Thai data are installed; ``off``."""
    ocr_languages: str = "tha+eng"
    """Tesseract language list (``tesseract --list-langs``)."""
    ocr_max_pages: int = 10
    """Scanned pages read by OCR per document; later scanned pages stay unread."""
    ocr_dpi: int = 200
    """Resolution pages are rendered at for OCR (lowered for huge pages: at most ``MAX_PIXELS``)."""
    ocr_min_confidence: float = 60.0
    """Mean Tesseract word confidence (0–100) below which OCR text is too poor to judge."""
    max_pages: int = 200
    """Pages of a PDF whose text is read; a longer document is judged on these only."""
    max_decompressed_mb: float = 100.0
    """Cap on what a DOCX/XLSX (a zip) may expand to; more is treated as a zip bomb."""
    max_cells: int = 200_000
    """Cells read from a workbook, over all sheets."""
    timeout: float = 120.0
    """Seconds for one document, OCR included; then what was read so far is judged."""

    @property
    def max_decompressed_bytes(self) -> int:
        """``max_decompressed_mb`` in bytes."""
        return int(self.max_decompressed_mb * 1024 * 1024)


DEFAULT_OPTIONS = ExtractOptions()

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
