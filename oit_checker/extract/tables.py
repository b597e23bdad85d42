"""Header rows of HTML tables, for the ``columns`` element rule (a monthly procurement summary must
have columns for method, median price and winner)."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..models import Table

MAX_TABLES = 50
HEADER_ROWS = 3
"""Rows read from the top of a table (headers often span two rows)."""


def html_tables(tree: LexborHTMLParser) -> tuple[Table, ...]:
    """For each table: its ``<thead>`` rows, else its rows of ``<th>`` cells, else its first rows."""
    out: list[Table] = []
    for index, table in enumerate(tree.css("table")[:MAX_TABLES], start=1):
        rows = table.css("thead tr") or [r for r in table.css("tr") if r.css_first("th") is not None][:HEADER_ROWS]
        if not rows:
            rows = table.css("tr")[:HEADER_ROWS]
        cells = tuple(_cells(row) for row in rows[:HEADER_ROWS])
        if any(cells):
            caption = table.css_first("caption")
            where = f"table {index}" + (f" ({_text(caption)[:60]})" if caption is not None else "")
            out.append(Table(where, cells))
    return tuple(out)


def _cells(row: LexborNode) -> tuple[str, ...]:
    return tuple(_text(cell) for cell in row.css("th, td"))


def _text(node: LexborNode) -> str:
    return " ".join(node.text(separator=" ").split())
