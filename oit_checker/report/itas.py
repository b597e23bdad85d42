"""The ITAS sheet (``--format itas-csv``): one row per item, ready to copy into the NACC's ITAS.

Columns: item code, item name, the URL to submit (the URL that passed, else the first one
given), a suggested คำอธิบายเพิ่มเติม (where the information sits: the click path from the
homepage, the page or file title and heading, the fiscal year and the elements found), the
verdict, and what to fix before submitting. With ``--lang en`` the headers, names and verdicts
are English, the Thai explanation stays (ITAS is in Thai) and an English one is added.

UTF-8 with a byte-order mark and CRLF line ends, so Excel opens the Thai text correctly. Cells
that start like a spreadsheet formula (``=``, ``+``, ``-``, ``@``) are prefixed with ``'``: a
page title is untrusted input.
"""

from __future__ import annotations

import csv
import io

from ..messages import ui
from ..models import AuditResult, ItemResult
from . import _view as view
from .interface import Reporter

BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(text: object) -> str:
    """A CSV cell that a spreadsheet will show as text, never run as a formula."""
    value = " ".join(str(text).split())
    return "'" + value if value.startswith(_FORMULA_START) else value


class ItasCsvReporter(Reporter):
    """See ``Reporter`` and the module docstring."""

    def render(self, result: AuditResult) -> str:
        """See ``Reporter.render``."""
        lang = self.lang
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        header = ["csv_code", "csv_name", "csv_url", "csv_explanation"]
        header += ["csv_explanation_en"] if lang == "en" else []
        writer.writerow([ui(key, lang) for key in [*header, "csv_status", "csv_todo"]])
        for item in result.items:
            writer.writerow([cell(value) for value in self._row(result, item)])
        return BOM + buffer.getvalue()

    def _row(self, result: AuditResult, item: ItemResult) -> list[str]:
        lang = self.lang
        url = view.submit_url(item)
        row = [item.code, view.item_name(item, lang), url.url if url else "",
               view.explanation(item, "th", result.homepage)]
        if lang == "en":
            row.append(view.explanation(item, "en", result.homepage))
        todo = []
        for problem in view.all_problems(item, lang):
            text = problem.fix or problem.message
            if text not in todo:
                todo.append(text)
        return [*row, view.status_word(item.status, lang), "; ".join(todo)]
