"""Output of ``oit-checker discover``: a console table, the ``[items]`` TOML block, or JSON."""

from __future__ import annotations

import io
import json

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..discover import DiscoveryResult, ItemProposal, as_dict, carried_text, items_toml
from ..messages import ui
from .crawl_section import crawl_lines

FORMATS = ("console", "toml", "json")


def discovery_text(result: DiscoveryResult, fmt: str, lang: str) -> str:
    """The discovery in ``fmt`` (``console`` is rendered without colour)."""
    if fmt == "toml":
        return items_toml(result, lang)
    if fmt == "json":
        return json.dumps(as_dict(result, lang), ensure_ascii=False, indent=2) + "\n"
    buffer = io.StringIO()
    print_discovery(result, Console(file=buffer, no_color=True, width=110, highlight=False, emoji=False), lang)
    return buffer.getvalue()


def print_discovery(result: DiscoveryResult, console: Console, lang: str) -> None:
    """The console table: per item, its candidates with score and reasons; the proposal first."""
    console.print(Panel(Text.assemble((ui("discover_title", lang, agency=result.agency_name), "bold"), "\n",
                                      (result.homepage, "dim")), expand=False))
    table = Table(show_header=False, show_lines=True, expand=True, pad_edge=False)
    table.add_column(width=5, no_wrap=True)
    table.add_column(ratio=1)
    for proposal in result.items:
        table.add_row(Text(proposal.code, style="bold"), _item(proposal, lang, result.carried_from))
    console.print(table)
    crawl = crawl_lines(result.crawl, lang)
    if crawl is not None:
        console.print(crawl)
    console.print(Text("• " + ui("discover_hint", lang), style="dim"))


def _item(proposal: ItemProposal, lang: str, carried_from: str = "") -> Group:
    name = proposal.name_en if lang == "en" and proposal.name_en else proposal.name_th
    lines = [Text(name, style="bold")]
    if not proposal.candidates:
        lines.append(Text(ui("discover_none", lang), style="yellow"))
    best = proposal.proposed
    for candidate in proposal.candidates:
        chosen = candidate is best
        style = "green" if chosen and not candidate.problem else ("yellow" if chosen else "dim")
        mark = f"→ {ui('discover_proposed', lang)} " if chosen else "  "
        lines.append(Text.assemble((f"{mark}{candidate.score:5.1f}  ", f"bold {style}"), (candidate.url, style)))
        if candidate.carried_from:
            lines.append(Text("      ↩ " + carried_text(candidate.carried_from, carried_from, lang), style="cyan"))
        lines.append(Text("      " + "; ".join(candidate.reason_texts(lang)), style="dim"))
    return Group(*lines)
