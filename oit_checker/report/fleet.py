"""Fleet reports: one grid of agencies × items, rendered from a ``FleetView`` (plan16 §6).

Four formats over one view: the console grid (rich), a self-contained HTML page whose every cell
links to the agency's own report (``agencies/<id>.html#item-<code>``), a CSV row per agency (UTF-8
with a BOM, for Excel with Thai) and JSON (contract ``oit-checker/fleet/v1``, see the README).
Rows are sorted most failing first; agencies on different checklists get one grid per checklist,
because item codes do not line up across years.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from enum import StrEnum
from typing import Any
from urllib.parse import quote

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..fleet.view import AgencyState, AgencyView, Cell, ChecklistColumns, FleetView, fleet_exit_code
from ..messages import ui
from ..models import Status
from . import _view as view
from .console import COLOURS, ICONS
from .html import CSP, CSS, e
from .itas import BOM, cell
from .terminal import terminal_safe

SCHEMA = "oit-checker/fleet/v1"
MAX_CONSOLE_COLUMNS = 30
"""Above this many item columns the console shows the counts only (the grid would not fit)."""
AGENCY_WIDTH = 16
"""The agency column folds names longer than twice this."""
NO_URL, NOT_CHECKED = "·", "—"

def ft(key: str, lang: str, **params: Any) -> str:
    """A fleet report string in ``lang`` (``messages.UI``'s ``fleet_report_*`` keys)."""
    return ui(f"fleet_report_{key}", lang, **params)


class FleetFormat(StrEnum):
    """Values of ``fleet run|status --format``."""

    CONSOLE = "console"
    JSON = "json"
    HTML = "html"
    CSV = "csv"


def glyph(cell_: Cell | None) -> str:
    """One character per grid cell: the status icon, ``·`` no URL given, ``—`` not checked."""
    if cell_ is None:
        return NOT_CHECKED
    return NO_URL if cell_.no_url else ICONS[cell_.status]


def _state_word(state: AgencyState, lang: str) -> str:
    return ft(f"state_{state.value}", lang)


def summary_line(fleet: FleetView, lang: str, fail_on: str = "fail") -> str:
    """One line: agencies by worst verdict and the fleet's exit code."""
    worst = fleet.agencies_by_worst()
    return ft("summary", lang, agencies=len(fleet.agencies), fail=worst[Status.FAIL],
              unverified=worst[Status.UNVERIFIED], warn=worst[Status.WARN], passed=worst[Status.PASS],
              exit_code=int(fleet_exit_code(fleet, fail_on)))


def _states_text(fleet: FleetView, lang: str) -> str:
    return ", ".join(f"{_state_word(s, lang)} {n}" for s, n in fleet.by_state().items() if n)


# --- console -------------------------------------------------------------------------------------

def print_console(fleet: FleetView, console: Console, lang: str = "th", fail_on: str = "fail") -> None:
    """The grid(s), a legend and the summary on a rich console."""
    console.print(Text(ft("title", lang, name=terminal_safe(fleet.run.name)), style="bold"))
    console.print(Text(f"{ft('run', lang)} {fleet.run.id} · {fleet.run.mode}", style="dim"))
    for columns, agencies in fleet.grids():
        if agencies:
            titled = len(fleet.checklists) > 1
            grid = _console_grid(columns, agencies, lang, titled, False)
            wide = len(columns.items) > MAX_CONSOLE_COLUMNS or _natural_width(console, grid) > console.width
            console.print(_console_grid(columns, agencies, lang, titled, True) if wide else grid)
            if wide:
                console.print(Text(ft("too_wide", lang, n=len(columns.items)), style="dim"))
    console.print(_legend(lang))
    totals = fleet.items_by_status()
    console.print(ft("items_total", lang, **{s.value: n for s, n in totals.items()}), highlight=False)
    console.print(ft("states", lang, states=_states_text(fleet, lang)), highlight=False)
    console.print(Text(summary_line(fleet, lang, fail_on), style="bold"))


def render_console(fleet: FleetView, lang: str = "th", color: bool = False, width: int = 160,
                   fail_on: str = "fail") -> str:
    """The console report as text (plain for files and pipes)."""
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=width, highlight=False,
                      emoji=False)
    print_console(fleet, console, lang, fail_on)
    return buffer.getvalue()


def _counts_text(agency: AgencyView) -> Text:
    out = Text()
    for status in (Status.FAIL, Status.UNVERIFIED, Status.WARN, Status.PASS):
        out.append(f"{ICONS[status]}{agency.counts[status]} ", style=COLOURS[status])
    return out


def _glyph_text(cell_: Cell | None) -> Text:
    if cell_ is None:
        return Text(NOT_CHECKED, style="dim")
    style = COLOURS[cell_.status] + (" underline" if cell_.proposed else "")
    return Text(glyph(cell_), style=style)


def _console_grid(columns: ChecklistColumns, agencies: list[AgencyView], lang: str, titled: bool,
                  wide: bool) -> Table:
    title = ft("checklist", lang, id=columns.id) if titled else None
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False,
                  padding=(0, 0))
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column(ft("agency", lang), overflow="fold", min_width=AGENCY_WIDTH, max_width=2 * AGENCY_WIDTH)
    table.add_column(ft("state", lang), no_wrap=True)
    table.add_column(ft("counts", lang), no_wrap=True)
    codes = () if wide else columns.codes
    for code in codes:
        table.add_column(code, justify="center", no_wrap=True, min_width=len(code))
    for n, agency in enumerate(agencies, 1):
        name = Text(terminal_safe(agency.name) + "\n", style="bold")
        name.append(agency.id, style="dim")
        state_style = "" if agency.state is AgencyState.COMPLETE else "bold magenta"
        table.add_row(str(n), name, Text(_state_word(agency.state, lang), style=state_style), _counts_text(agency),
                      *(_glyph_text(agency.items.get(code)) for code in codes))
    return table


def _natural_width(console: Console, table: Table) -> int:
    """The table's width if nothing were folded (``Console.measure`` clamps it to the console)."""
    return console.measure(table, options=console.options.update(width=100_000)).maximum


def _legend(lang: str) -> Text:
    out = Text()
    for status in view.STATUS_ORDER:
        out.append(f"{ICONS[status]} ", style=COLOURS[status]).append(view.status_word(status, lang) + "  ")
    out.append(f"{NO_URL} ", style=COLOURS[Status.FAIL]).append(ft("no_url", lang) + "  ")
    out.append(f"{NOT_CHECKED} ", style="dim").append(ft("not_checked", lang) + "  ")
    out.append("x", style="underline").append(" " + ft("proposed", lang))
    return out


# --- JSON ----------------------------------------------------------------------------------------

def _time(value: dt.datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def as_dict(fleet: FleetView, fail_on: str = "fail") -> dict[str, Any]:
    """The ``oit-checker/fleet/v1`` document as plain data."""
    run = fleet.run
    return {
        "schema": SCHEMA,
        "run": {"id": run.id, "name": run.name, "mode": run.mode, "trigger": run.trigger,
                "started_at": _time(run.started_at), "finished_at": _time(run.finished_at),
                "tool_version": run.tool_version, "complete": run.complete},
        "summary": {"agencies": len(fleet.agencies),
                    "by_state": {s.value: n for s, n in fleet.by_state().items()},
                    "items_by_status": {s.value: n for s, n in fleet.items_by_status().items()},
                    "agencies_by_worst": {s.value: n for s, n in fleet.agencies_by_worst().items()},
                    "exit_code": int(fleet_exit_code(fleet, fail_on))},
        "checklists": [{"id": c.id, "items": [{"code": code, "name_th": name} for code, name, _ in c.items]}
                       for c in fleet.checklists],
        "agencies": [{
            "id": a.id, "name": a.name, "homepage": a.homepage, "checklist_id": a.checklist_id,
            "state": a.state.value, "run_id": a.run_id, "attempts": a.attempts, "exit_code": a.exit_code,
            "counts": {s.value: a.counts[s] for s in Status},
            "reports": dict(a.reports), "error": a.error,
            "items": {code: {"status": c.status.value, "reason": c.reason, "url": c.url, "proposed": c.proposed}
                      for code, c in a.items.items()},
        } for a in fleet.agencies],
    }


def render_json(fleet: FleetView, fail_on: str = "fail") -> str:
    """See ``as_dict``."""
    return json.dumps(as_dict(fleet, fail_on), ensure_ascii=False, indent=2) + "\n"


# --- CSV -----------------------------------------------------------------------------------------

CSV_HEAD = ("agency_id", "name", "homepage", "state", "run_id", "n_pass", "n_warn", "n_fail", "n_unverified")


def render_csv(fleet: FleetView) -> str:
    """One row per agency, then one column per item code (of every checklist, in order)."""
    codes: list[str] = []
    for columns in fleet.checklists:
        codes += [c for c in columns.codes if c not in codes]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([*CSV_HEAD, *codes])
    for a in fleet.agencies:
        cells = [a.items[c].status.value if c in a.items else "" for c in codes]
        writer.writerow([cell(v) for v in (a.id, a.name, a.homepage, a.state.value, a.run_id or "",
                                           a.counts[Status.PASS], a.counts[Status.WARN], a.counts[Status.FAIL],
                                           a.counts[Status.UNVERIFIED], *cells)])
    return BOM + buffer.getvalue()


# --- HTML ----------------------------------------------------------------------------------------

FLEET_CSS = """
.wrap.fleet { max-width: none; }
.grid-wrap { overflow-x: auto; background: var(--paper); border: 1px solid var(--line); border-radius: 10px; }
table.grid { border-collapse: collapse; font-size: 13px; }
.grid th, .grid td { border-bottom: 1px solid var(--line); padding: 3px 4px; text-align: center; }
.grid thead th { position: sticky; top: 0; background: #f6f8fa; font: 600 11px/1.2 MONO; }
.grid th.agency { text-align: left; min-width: 220px; max-width: 320px; font-weight: 600; }
.grid th.agency .id, .grid .state { display: block; font: 400 11px/1.3 MONO; color: var(--muted); }
.grid .state.bad { color: var(--fail); font-weight: 600; }
.grid td.counts { white-space: nowrap; font: 12px MONO; }
.grid td.cell { width: 26px; height: 26px; padding: 0; }
.grid td.cell a { display: block; line-height: 26px; color: #fff; font-weight: 700; text-decoration: none; }
.cell.st-pass { background: var(--pass); } .cell.st-warn { background: var(--warn-bar); }
.cell.st-fail { background: var(--fail); } .cell.st-unverified { background: var(--unverified); }
.cell.no-url { background: #7a1f1f; } .cell.none { background: #eef0f2; color: var(--muted); }
.cell.proposed a { outline: 2px dashed #fff; outline-offset: -4px; }
.worst li { margin: 0 0 4px; }
""".replace("MONO", "ui-monospace, monospace")


def render_html(fleet: FleetView, lang: str = "th", fail_on: str = "fail") -> str:
    """A self-contained page: summary header, the worst agencies, one colour grid per checklist."""
    title = ft("title", lang, name=fleet.run.name)
    run = fleet.run
    meta = [(ft("run", lang), f'<span class="mono">{e(run.id)}</span>'), (ft("mode", lang), e(run.mode)),
            (ft("started", lang), e(_time(run.started_at) or "—")), (ft("finished", lang), e(_time(run.finished_at) or "—")),
            (ft("version", lang), e(run.tool_version))]
    rows = "".join(f"<div><dt>{e(k)}</dt><dd>{v}</dd></div>" for k, v in meta)
    totals = fleet.items_by_status()
    worst = fleet.agencies_by_worst()
    cards = [f'<div class="card st-total"><span class="count">{len(fleet.agencies)}</span>'
             f'<span class="label">{e(ft("agency", lang))}</span></div>']
    cards += [f'<div class="card st-{s.value}" data-status="{s.value}"><span class="count">{worst[s]}</span>'
              f'<span class="label">{e(view.status_word(s, lang))}</span></div>' for s in view.STATUS_ORDER]
    legend = "".join(f'<li><span class="sw st-{s.value}"></span>{e(view.status_word(s, lang))} {totals[s]}</li>'
                     for s in view.STATUS_ORDER)
    head = (f'<header class="report-head">\n<p class="eyebrow">{e(ft("eyebrow", lang))}</p>\n<h1>{e(title)}</h1>\n'
            f'<dl class="meta">{rows}</dl>\n</header>\n'
            f'<section class="summary"><div class="cards">{"".join(cards)}</div>'
            f'<p class="bar-label">{e(summary_line(fleet, lang, fail_on))}</p>'
            f'<p class="bar-label">{e(_states_text(fleet, lang))}</p><ul class="legend">{legend}'
            f'<li>{NO_URL} {e(ft("no_url", lang))}</li><li>{NOT_CHECKED} {e(ft("not_checked", lang))}</li></ul>'
            f"{_worst_html(fleet, lang)}</section>")
    grids = [_html_grid(c, agencies, lang) for c, agencies in fleet.grids() if agencies]
    foot = f'<footer class="report-foot">{e(ft("generated", lang, version=run.tool_version))}</footer>'
    return (f'<!DOCTYPE html>\n<html lang="{"en" if lang == "en" else "th"}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{e(title)}</title>\n<style>{CSS}{FLEET_CSS}</style>\n</head>\n<body>\n"
            f'<div class="wrap fleet">\n{head}\n<main>\n' + "\n".join(grids) + f"\n</main>\n{foot}\n</div>\n</body>\n</html>\n")


def _href(agency: AgencyView, code: str | None = None) -> str:
    link = quote(agency.report_link("html"), safe="/._-~")
    return e(link + (f"#item-{quote(code, safe='._-')}" if code else ""))


def _worst_html(fleet: FleetView, lang: str) -> str:
    worst = fleet.worst(10)
    if not worst:
        return f'<p class="bar-label">{e(ft("none_worst", lang))}</p>'
    rows = "".join(
        f'<li data-agency="{e(a.id)}"><a href="{_href(a)}">{e(a.name)}</a> <span class="mono">'
        f"{' '.join(f'{ICONS[s]}{a.counts[s]}' for s in (Status.FAIL, Status.UNVERIFIED, Status.WARN))}</span>"
        + (f" · {e(_state_word(a.state, lang))}" if a.state is not AgencyState.COMPLETE else "")
        + (f" · {e(ft('error', lang))}: {e(a.error)}" if a.error else "") + "</li>" for a in worst)
    return f'<h2>{e(ft("worst", lang))}</h2><ol class="worst">{rows}</ol>'


def _html_cell(agency: AgencyView, code: str, name: str, lang: str) -> str:
    c = agency.items.get(code)
    if c is None:
        return f'<td class="cell none" data-status="none" title="{e(code)}: {e(ft("not_checked", lang))}">{NOT_CHECKED}</td>'
    kind = f"st-{c.status.value}" + (" no-url" if c.no_url else "") + (" proposed" if c.proposed else "")
    tip = f"{code} {name}: {view.status_word(c.status, lang)}" + (f" ({c.reason})" if c.reason else "")
    return (f'<td class="cell {kind}" data-status="{c.status.value}"><a href="{_href(agency, code)}" '
            f'title="{e(tip)}">{e(glyph(c))}</a></td>')


def _html_grid(columns: ChecklistColumns, agencies: list[AgencyView], lang: str) -> str:
    heads = "".join(f'<th scope="col" title="{e(name_en if lang == "en" and name_en else name)}">{e(code)}</th>'
                    for code, name, name_en in columns.items)
    rows = []
    for a in agencies:
        bad = "" if a.state is AgencyState.COMPLETE else " bad"
        counts = " ".join(f"{ICONS[s]}{a.counts[s]}" for s in (Status.FAIL, Status.UNVERIFIED, Status.WARN, Status.PASS))
        cells = "".join(_html_cell(a, code, name, lang) for code, name, _ in columns.items)
        rows.append(f'<tr data-agency="{e(a.id)}" data-state="{a.state.value}"><th scope="row" class="agency">'
                    f'<a href="{_href(a)}">{e(a.name)}</a><span class="id">{e(a.id)}</span>'
                    f'<span class="state{bad}">{e(_state_word(a.state, lang))}</span></th>'
                    f'<td class="counts">{counts}</td>{cells}</tr>')
    title = ft("checklist", lang, id=columns.id) + (f" — {columns.title}" if columns.title else "")
    return (f'<section class="group" data-checklist="{e(columns.id)}">\n<div class="group-head"><h2>{e(title)}</h2>'
            f'</div>\n<div class="grid-wrap"><table class="grid"><thead><tr><th class="agency">{e(ft("agency", lang))}'
            f'</th><th>{e(ft("counts", lang))}</th>{heads}</tr></thead>\n<tbody>\n' + "\n".join(rows)
            + "\n</tbody></table></div>\n</section>")


def render_fleet(fmt: FleetFormat, fleet: FleetView, lang: str = "th", *, color: bool = False,
                 fail_on: str = "fail") -> str:
    """The fleet report in ``fmt`` as text."""
    if fmt is FleetFormat.JSON:
        return render_json(fleet, fail_on)
    if fmt is FleetFormat.HTML:
        return render_html(fleet, lang, fail_on)
    if fmt is FleetFormat.CSV:
        return render_csv(fleet)
    return render_console(fleet, lang, color=color, fail_on=fail_on)
