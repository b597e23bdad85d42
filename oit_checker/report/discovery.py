"""Output of ``oit-checker discover``: a console table, the ``[items]`` TOML block, or JSON (the
discovery itself is ``oit_checker.discover``; ``--write`` edits the config with ``config_edit``)."""

from __future__ import annotations

import io
import json
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..discover import Candidate, DiscoveryResult, ItemProposal
from ..messages import ui
from .crawl_section import crawl_dict, crawl_lines

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


def items_toml(result: DiscoveryResult, lang: str = "th") -> str:
    """A ready ``[items]`` block for ``config.toml``: the proposed URL per item (``urls = []``
    with a comment where nothing was found)."""
    lines = [f"# {_comment(ui('discover_toml_header', lang, date=result.finished_at.date().isoformat()))}", ""]
    for proposal in result.items:
        best = proposal.proposed
        name = proposal.name_en if lang == "en" and proposal.name_en else proposal.name_th
        lines.append(f"[items.{proposal.code}]")
        if best is None:
            lines.append(f"# {_comment(name)}: {_comment(ui('discover_toml_none', lang))}")
            lines.append("urls = []")
        else:
            why = "; ".join(_why(best, result, lang))
            lines.append(f"# {_comment(name)} ({ui('discover_score', lang)} {best.score:g}): {_comment(why)}")
            lines.append(f"urls = [{json.dumps(best.url, ensure_ascii=False)}]")
        lines.append("")
    return "\n".join(lines)


def as_dict(result: DiscoveryResult, lang: str = "th") -> dict[str, Any]:
    """The JSON form (``oit-checker/discover/v1``)."""
    return {
        "schema": "oit-checker/discover/v1",
        "agency": {"name": result.agency_name, "homepage": result.homepage,
                   "homepage_problem": result.homepage_problem},
        "checklist_id": result.checklist_id, "complete": result.complete,
        "carried_from": result.carried_from or None,
        "crawl": crawl_dict(result.crawl, lang),
        "items": [{
            "code": p.code, "name_th": p.name_th, "name_en": p.name_en, "configured": list(p.configured),
            "proposed": p.proposed.url if p.proposed else None,
            "candidates": [{"url": c.url, "score": c.score, "reasons": _why(c, result, lang),
                            "carried_from": c.carried_from or None,
                            "http_status": c.http_status, "problem": c.problem,
                            "click_path": list(c.click_path) if c.click_path else None} for c in p.candidates],
        } for p in result.items],
    }


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


def carried_text(code: str, checklist: str, lang: str) -> str:
    """Why a candidate is the old item's URL, in ``lang``."""
    return ui("discover_carried", lang, code=code, checklist=checklist)


def _why(candidate: Candidate, result: DiscoveryResult, lang: str) -> list[str]:
    carried = [carried_text(candidate.carried_from, result.carried_from, lang)] if candidate.carried_from else []
    return carried + candidate.reason_texts(lang)


def _comment(text: str) -> str:
    return " ".join(text.split())[:300]


__all__ = ["FORMATS", "as_dict", "carried_text", "discovery_text", "items_toml", "print_discovery"]
