"""Which PDF text extractor reads Thai correctly, and how fast? (reproduces feasibility.md §3)

The fixture PDFs are ``tests/data/docs/bench/*.pdf``: the same Thai lines (``lines.txt``: a report
title with a Thai-digit year, the OIT element words, hard clusters such as ผู้อำนวยการ น้ำ ปี่ ฟื้น
ญี่ปุ่น ฤๅษี, a date and an amount, phone and fax numbers, names with titles, table headers)
rendered by Chromium (``page.pdf``) in six Thai fonts and by LibreOffice 7.4 in three
(``tests/data/docs/make_fixtures.py`` makes them). For every candidate it prints, per producer and
in total, how many lines come out

* **exact**: a line of the output equals the expected line once runs of whitespace are collapsed;
* **no-ws**: the expected line is in the output once all whitespace is removed from both (how
  oit-checker matches phrases);
* **normalised**: as no-ws, after ``oit_checker.thai.normalize`` (PUA glyphs, ``ํา`` → ``ำ``, tone
  order), which the checks apply to every text;

and the speed in pages per second (each PDF read ``--repeat`` times; subprocess start-up included
for the poppler CLIs). Candidates that are not installed are listed as such. Run the libraries
from a separate virtualenv: they are not oit-checker dependencies (PyMuPDF is AGPL)::

    python3 -m venv /tmp/bench-venv
    /tmp/bench-venv/bin/pip install -e . -r bench/requirements.txt
    /tmp/bench-venv/bin/python bench/pdf_extract.py
"""

from __future__ import annotations

import argparse
import io
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
FIXTURES = ROOT / "tests" / "data" / "docs" / "bench"

Extractor = Callable[[bytes, Path], str]


def _pdftotext(*flags: str) -> Extractor:
    def run(_: bytes, path: Path) -> str:
        done = subprocess.run(["pdftotext", *flags, "-enc", "UTF-8", str(path), "-"],
                              capture_output=True, check=True)
        return done.stdout.decode("utf-8")
    return run


def _pypdfium2(body: bytes, _: Path) -> str:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(body)
    try:
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def _oit_checker(body: bytes, _: Path) -> str:
    from oit_checker.extract.pdf import extract_pdf

    return extract_pdf(body).text


def _oit_checker_fallback(body: bytes, _: Path) -> str:
    from oit_checker.extract.options import Budget
    from oit_checker.extract.pdf import _pypdfium2_pages

    return "\n".join(_pypdfium2_pages(body, 200, Budget(60)) or [])


def _pypdf(body: bytes, _: Path) -> str:
    import pypdf

    return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(body)).pages)


def _pdfminer(body: bytes, _: Path) -> str:
    from pdfminer.high_level import extract_text

    return str(extract_text(io.BytesIO(body)))


def _pdfplumber(body: bytes, _: Path) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(body)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def _pymupdf(body: bytes, _: Path) -> str:
    import pymupdf

    with pymupdf.open(stream=body, filetype="pdf") as doc:
        return "\n".join(page.get_text() for page in doc)


CANDIDATES: list[tuple[str, str, str, Extractor]] = [
    # name, licence, how it is used, function
    ("pdftotext -raw", "GPL-2/3 (CLI)", "poppler-utils", _pdftotext("-raw")),
    ("pdftotext", "GPL-2/3 (CLI)", "poppler-utils", _pdftotext()),
    ("pypdfium2", "BSD-3/Apache-2.0", "pypdfium2", _pypdfium2),
    ("oit-checker extract_pdf", "Apache-2.0", "oit_checker", _oit_checker),
    ("oit-checker fallback", "Apache-2.0", "oit_checker", _oit_checker_fallback),
    ("PyMuPDF", "AGPL-3.0", "pymupdf", _pymupdf),
    ("pypdf", "BSD-3", "pypdf", _pypdf),
    ("pdfminer.six", "MIT", "pdfminer", _pdfminer),
    ("pdfplumber", "MIT", "pdfplumber", _pdfplumber),
]


def _available(module: str) -> bool:
    if module == "poppler-utils":
        return shutil.which("pdftotext") is not None
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def score(text: str, lines: list[str]) -> tuple[int, int, int]:
    """(exact, ignoring whitespace, after oit-checker's normalisation) lines found in ``text``."""
    from oit_checker.thai import normalize

    out_lines = {_collapse(line) for line in text.splitlines()}
    exact = sum(1 for line in lines if _collapse(line) in out_lines)
    flat = _compact(text)
    no_ws = sum(1 for line in lines if _compact(line) in flat)
    normalised_text = _compact(normalize(text))
    normalised = sum(1 for line in lines if _compact(normalize(line)) in normalised_text)
    return exact, no_ws, normalised


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=5, help="reads of each PDF for the timing (default 5)")
    parser.add_argument("--show", metavar="NAME", help="print what NAME extracts from each PDF")
    args = parser.parse_args(argv)
    lines = [line for line in (FIXTURES / "lines.txt").read_text("utf-8").splitlines() if line.strip()]
    pdfs = sorted(FIXTURES.glob("*.pdf"))
    if not pdfs:
        print(f"no PDFs in {FIXTURES}: run tests/data/docs/make_fixtures.py", file=sys.stderr)
        return 1
    producers = sorted({p.name.split("-")[0] for p in pdfs})
    total = len(lines) * len(pdfs)
    print(f"{len(pdfs)} PDFs ({', '.join(f'{sum(p.name.startswith(x) for p in pdfs)} {x}' for x in producers)}) "
          f"x {len(lines)} Thai lines = {total} lines; timing: {args.repeat} reads of each PDF\n")
    header = f"{'extractor':<24} {'licence':<17} " + " ".join(f"{x + ' exact/no-ws':>20}" for x in producers)
    print(header + f" {'exact':>9} {'no-ws':>9} {'normalised':>11} {'pages/s':>9}")
    print("-" * len(header + " " * 42))
    for name, licence, module, extract in CANDIDATES:
        if not _available(module):
            print(f"{name:<24} {licence:<17} not installed")
            continue
        sums = [0, 0, 0]
        per_producer: dict[str, list[int]] = {x: [0, 0] for x in producers}
        pages = 0
        started = time.perf_counter()
        for pdf in pdfs:
            body = pdf.read_bytes()
            for _ in range(args.repeat):
                text = extract(body, pdf)
            pages += args.repeat * _pages(body)
            got = score(text, lines)
            if args.show == name:
                print(f"--- {pdf.name}\n{text}")
            sums = [a + b for a, b in zip(sums, got, strict=True)]
            producer = pdf.name.split("-")[0]
            per_producer[producer][0] += got[0]
            per_producer[producer][1] += got[1]
        rate = pages / (time.perf_counter() - started)
        n = {x: len(lines) * sum(p.name.startswith(x) for p in pdfs) for x in producers}
        cells = " ".join(f"{f'{v[0]}/{v[1]} of {n[x]}':>20}" for x, v in per_producer.items())
        print(f"{name:<24} {licence:<17} {cells} {_pct(sums[0], total):>9} {_pct(sums[1], total):>9} "
              f"{_pct(sums[2], total):>11} {rate:>9.0f}")
    print("\nexact: whitespace collapsed; no-ws: all whitespace removed; normalised: after "
          "oit_checker.thai.normalize. pages/s includes process start-up for the CLIs.")
    return 0


def _pages(body: bytes) -> int:
    return max(1, len(re.findall(rb"/Type\s*/Page(?!s)", body)))


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


if __name__ == "__main__":
    sys.exit(main())
