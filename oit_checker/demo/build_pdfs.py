"""Render the demo site's PDFs from their HTML sources (a dev script, run by hand).

    .venv/bin/python -m oit_checker.demo.build_pdfs          # or: python oit_checker/demo/build_pdfs.py

Every ``oit_checker/demo/pdf_src/NAME.html`` becomes ``oit_checker/demo/site/ita/docs/NAME.pdf``.
The PDFs are committed with the site, so the demo and the tests never need a browser; run this
again only after editing a source. Chromium's PDFs carry a real Thai text layer (each cluster is
wrapped in ActualText), which is what the audit's PDF extractor reads.

Needs Playwright (Python package) and a Chromium: Debian's ``/usr/bin/chromium`` by default
(``apt-get install chromium fonts-thai-tlwg poppler-utils``), or set ``OIT_DEMO_CHROMIUM``.
The sources ask for the TLWG fonts (Laksaman, Garuda, Loma). After writing each PDF the script
prints its size and, when ``pdftotext`` is installed, the first lines of its text layer.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from pathlib import Path

from playwright.async_api import async_playwright

DEMO_DIR = Path(__file__).resolve().parent
SOURCES = DEMO_DIR / "pdf_src"
OUTPUT = DEMO_DIR / "site" / "ita" / "docs"
CHROMIUM = os.environ.get("OIT_DEMO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MAX_BYTES = 200_000


async def build(sources: list[Path], out_dir: Path = OUTPUT) -> list[Path]:
    """Render each HTML source to ``out_dir/<stem>.pdf`` (A4) and return the written paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page()
            for src in sources:
                await page.goto(src.as_uri(), wait_until="load")
                await page.evaluate("document.fonts.ready")
                target = out_dir / f"{src.stem}.pdf"
                await page.pdf(path=str(target), format="A4", print_background=True)
                written.append(target)
        finally:
            await browser.close()
    return written


def text_layer(pdf: Path) -> str:
    """The PDF's text as ``pdftotext -raw`` reads it ('' when poppler-utils is missing)."""
    exe = shutil.which("pdftotext")
    if not exe:
        return ""
    done = subprocess.run([exe, "-raw", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True)  # noqa: S603
    return done.stdout.decode("utf-8")


def main() -> int:
    sources = sorted(SOURCES.glob("*.html"))
    if not sources:
        print(f"no sources in {SOURCES}", file=sys.stderr)
        return 1
    status = 0
    for pdf in asyncio.run(build(sources)):
        size = pdf.stat().st_size
        print(f"{pdf.relative_to(DEMO_DIR)}  {size:,} bytes")
        if size > MAX_BYTES:
            print(f"  too big: keep demo PDFs under {MAX_BYTES:,} bytes", file=sys.stderr)
            status = 1
        for line in text_layer(pdf).splitlines()[:4]:
            print(f"  | {line}")
    return status


if __name__ == "__main__":
    sys.exit(main())
