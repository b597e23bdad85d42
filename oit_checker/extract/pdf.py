"""PDF to ``Document``.

``pdftotext -raw`` (poppler, a separate GPL program run as a subprocess) reads Thai correctly
because it honours /ActualText; pypdfium2 (in-process) is the fallback when poppler is not
installed. pdfminer, pdfplumber and pypdf garble Thai (see docs/architecture.md).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile

from ..models import Document
from .html import fold

MAX_PAGES = 200
TIMEOUT_S = 60
MIN_CHARS_PER_PAGE = 40
"""Fewer readable characters than this per page means the PDF is a scan (or nearly empty)."""


def extract_pdf(body: bytes) -> Document:
    """Text, page count and metadata; ``warnings`` says ``no_text_layer`` for scans."""
    pages, metadata, problem = _inspect(body)
    if problem:
        return Document(kind="pdf", text_source="none", warnings=("extract_failed",),
                        metadata={"error": problem})
    text, source = _pdftotext(body)
    if text is None:
        text, source = _pypdfium2_text(body), "pypdfium2"
    text = fold(text.replace("\x00", ""))
    warnings: tuple[str, ...] = ()
    readable = sum(1 for ch in text if not ch.isspace())
    if readable < MIN_CHARS_PER_PAGE * max(1, min(pages, MAX_PAGES)):
        warnings = ("no_text_layer",)
    title = metadata.get("Title", "")
    return Document(kind="pdf", text=text, title=title, pages=pages, text_source=source,
                    metadata=metadata, warnings=warnings)


def _inspect(body: bytes) -> tuple[int, dict[str, str], str]:
    import pypdfium2  # type: ignore[import-untyped]

    try:
        pdf = pypdfium2.PdfDocument(body)
    except pypdfium2.PdfiumError as exc:
        return 0, {}, str(exc)
    try:
        meta = {k: str(v) for k, v in pdf.get_metadata_dict(skip_empty=True).items()}
        return len(pdf), meta, ""
    finally:
        pdf.close()


def _pdftotext(body: bytes) -> tuple[str | None, str]:
    exe = shutil.which("pdftotext")
    if exe is None:
        return None, ""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(body)
        fh.flush()
        try:
            done = subprocess.run(  # noqa: S603 - fixed argv, no shell
                [exe, "-raw", "-enc", "UTF-8", "-l", str(MAX_PAGES), fh.name, "-"],
                capture_output=True, timeout=TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            return None, ""
    if done.returncode != 0:
        return None, ""
    return done.stdout.decode("utf-8", errors="replace"), "pdftotext"


def _pypdfium2_text(body: bytes) -> str:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(body)
    try:
        parts = []
        for index in range(min(len(pdf), MAX_PAGES)):
            page = pdf[index]
            parts.append(page.get_textpage().get_text_range())
        return "\n".join(parts)
    finally:
        pdf.close()
