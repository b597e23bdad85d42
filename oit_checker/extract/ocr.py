"""OCR of scanned PDF pages with Tesseract (``tha+eng``), run as a separate program.

Pages are rendered to grey images by poppler's ``pdftoppm`` (a separate GPL program, like
``pdftotext``) or, without poppler, in-process by pypdfium2; each image goes to
``tesseract … tsv`` and the words come back with their confidence. Everything is bounded: pages
(``ocr_max_pages``), resolution (``ocr_dpi``, lowered so that no page exceeds ``MAX_PIXELS``) and
time (the document's ``Budget``; each subprocess gets only what is left).

Measured with Tesseract 5.3 (Debian 12) on Chromium-rendered scans: Thai letters and Arabic digits
are read well (mean word confidence ≈ 94 at 200 dpi), but Thai digits are not: ๔ ๖ ๗ ๘ ๙ come back
as ๕ or ๒ (``๒๕๖๖`` → ``๒๕๒๒``). That is one reason a finding that would fail on OCR text is
reported ``unverified`` instead (``checks/documents.py``).
"""

from __future__ import annotations

import functools
import math
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .options import MAX_PIXELS, Budget, ExtractOptions
from .pdfium import serialized

__all__ = ["OcrPage", "OcrResult", "ocr_pages", "ocr_unavailable_reason"]

SUBPROCESS_FLOOR = 1.0
"""Seconds below which another subprocess is not started (it could not finish)."""


@dataclass(frozen=True)
class OcrPage:
    """One page as Tesseract read it."""

    index: int
    """0-based page number."""
    text: str
    confidence: float
    """Mean word confidence, 0–100 (0 when no word was read)."""
    words: int


@dataclass(frozen=True)
class OcrResult:
    """What OCR made of the pages it was given."""

    pages: tuple[OcrPage, ...]
    timed_out: bool = False
    error: str = ""

    @property
    def confidence(self) -> float:
        """Mean word confidence over every page, weighted by words."""
        words = sum(p.words for p in self.pages)
        if not words:
            return 0.0
        return round(sum(p.confidence * p.words for p in self.pages) / words, 1)


@functools.lru_cache(maxsize=8)
def _languages(exe: str) -> frozenset[str]:
    try:
        done = subprocess.run([exe, "--list-langs"], capture_output=True, timeout=20, check=False)  # noqa: S603
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    lines = done.stdout.decode("utf-8", "replace").splitlines()
    return frozenset(line.strip() for line in lines[1:] if line.strip())


def ocr_unavailable_reason(options: ExtractOptions) -> str:
    """Why OCR cannot run with these options ('' when it can): ``off``, ``not_installed``, ``no_language_data``."""
    if options.ocr == "off":
        return "off"
    exe = shutil.which("tesseract")
    if exe is None:
        return "not_installed"
    wanted = {lang for lang in options.ocr_languages.split("+") if lang}
    if not wanted or not wanted <= _languages(exe):
        return "no_language_data"
    return ""


def ocr_pages(body: bytes, pages: list[int], sizes: list[tuple[float, float]], options: ExtractOptions,
              budget: Budget) -> OcrResult:
    """OCR the given 0-based ``pages`` of the PDF ``body``; ``sizes`` are every page's (width, height) in points.

    Stops, keeping what it has, when the budget runs out. Never raises for a bad page.
    """
    exe = shutil.which("tesseract")
    if exe is None:
        return OcrResult((), error="not_installed")
    read: list[OcrPage] = []
    with tempfile.TemporaryDirectory(prefix="oit-ocr-") as tmp:
        pdf = Path(tmp) / "doc.pdf"
        pdf.write_bytes(body)
        for index in pages[: options.ocr_max_pages]:
            if budget.left() < SUBPROCESS_FLOOR:
                return OcrResult(tuple(read), timed_out=True)
            width, height = sizes[index] if index < len(sizes) else (595.0, 842.0)
            image = _render(pdf, index, _dpi(width, height, options.ocr_dpi), Path(tmp), budget)
            if image is None:
                if budget.left() < SUBPROCESS_FLOOR:
                    return OcrResult(tuple(read), timed_out=True)
                continue
            page = _tesseract(exe, image, index, options, budget)
            if page is None:
                return OcrResult(tuple(read), timed_out=True)
            read.append(page)
            image.unlink(missing_ok=True)
    return OcrResult(tuple(read))


def _dpi(width_pt: float, height_pt: float, dpi: int) -> int:
    """``dpi``, lowered so that the page image stays under ``MAX_PIXELS``."""
    pixels = (width_pt / 72 * dpi) * (height_pt / 72 * dpi)
    if pixels <= MAX_PIXELS or pixels <= 0:
        return dpi
    return max(36, int(dpi * math.sqrt(MAX_PIXELS / pixels)))


def _render(pdf: Path, index: int, dpi: int, tmp: Path, budget: Budget) -> Path | None:
    exe = shutil.which("pdftoppm")
    if exe is not None:
        prefix = tmp / f"p{index}"
        try:
            done = subprocess.run(  # noqa: S603 - fixed argv, no shell
                [exe, "-r", str(dpi), "-f", str(index + 1), "-l", str(index + 1), "-gray", "-singlefile",
                 str(pdf), str(prefix)],
                capture_output=True, timeout=budget.left(), check=False)
        except subprocess.TimeoutExpired:
            return None
        image = prefix.with_suffix(".pgm")
        return image if done.returncode == 0 and image.is_file() else None
    return _render_pdfium(pdf, index, dpi, tmp)


@serialized
def _render_pdfium(pdf: Path, index: int, dpi: int, tmp: Path) -> Path | None:
    """Render one page in-process and write it as a binary PGM (Tesseract reads PNM)."""
    import pypdfium2  # type: ignore[import-untyped]

    try:
        doc = pypdfium2.PdfDocument(str(pdf))
    except pypdfium2.PdfiumError:
        return None
    try:
        bitmap = doc[index].render(scale=dpi / 72, grayscale=True)
        width, height, stride = bitmap.width, bitmap.height, bitmap.stride
        raw = bytes(bitmap.buffer)
    except (pypdfium2.PdfiumError, IndexError):
        return None
    finally:
        doc.close()
    rows = b"".join(raw[y * stride: y * stride + width] for y in range(height))
    image = tmp / f"p{index}.pgm"
    image.write_bytes(f"P5\n{width} {height}\n255\n".encode() + rows)
    return image


def _tesseract(exe: str, image: Path, index: int, options: ExtractOptions, budget: Budget) -> OcrPage | None:
    """One page's text and confidence; None when the budget ran out; an empty page when Tesseract failed.

    One run writes both the plain text (Tesseract joins Thai glyphs into words itself; its TSV
    lists them one by one) and the TSV (per-word confidence).
    """
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # documents are read concurrently: one core each
    base = image.with_suffix("")
    try:
        done = subprocess.run(  # noqa: S603 - fixed argv, no shell
            [exe, str(image), str(base), "-l", options.ocr_languages, "--psm", "3", "txt", "tsv"],
            capture_output=True, timeout=budget.left(), check=False, env=env)
    except subprocess.TimeoutExpired:
        return None
    text_file, tsv_file = base.with_suffix(".txt"), base.with_suffix(".tsv")
    if done.returncode != 0 or not text_file.is_file() or not tsv_file.is_file():
        return OcrPage(index, "", 0.0, 0)
    confidence, words = tsv_confidence(tsv_file.read_text("utf-8", "replace"))
    return OcrPage(index, text_file.read_text("utf-8", "replace"), confidence, words)


def tsv_confidence(tsv: str) -> tuple[float, int]:
    """Mean word confidence (0–100) and the number of words in ``tesseract … tsv`` output."""
    confidences: list[float] = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        try:
            conf = float(cols[10])
        except ValueError:
            continue
        if conf >= 0:
            confidences.append(conf)
    mean = round(sum(confidences) / len(confidences), 1) if confidences else 0.0
    return mean, len(confidences)
