"""Console views of the history: recent runs with coloured counts, per-item trends, a diff of two runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..deadline import BANGKOK
from ..history import Change, RunDiff, Trend, diff_runs
from ..history import trend as item_trend
from ..messages import reason_message, status_label, ui
from ..models import Status
from ..recorder import Recorded
from ..store import ItemRow, RunRow, RunState, Store, StoreError
from .console import COLOURS, ICONS

STATE_STYLES = {RunState.COMPLETE: "green", RunState.INCOMPLETE: "yellow", RunState.FAILED: "bold red",
                RunState.INTERRUPTED: "magenta", RunState.RUNNING: "cyan"}
CHANGE_STYLES = {Change.REGRESSED: "bold red", Change.RECOVERED: "bold green", Change.CHANGED: "yellow",
                 Change.REASON_CHANGED: "yellow", Change.ADDED: "dim", Change.REMOVED: "dim"}


def local_time(value: dt.datetime | None) -> str:
    """A stored UTC time shown in Thailand's time."""
    return value.astimezone(BANGKOK).strftime("%Y-%m-%d %H:%M") if value else "—"


def _badge(status: Status, lang: str) -> Text:
    return Text(f"{ICONS[status]} {status_label(status, lang)}", style=f"bold {COLOURS[status]}")


def _reason(item: ItemRow | None, lang: str) -> Text:
    if item is None or item.reason is None or item.status is Status.PASS:
        return Text("")
    return Text.assemble(reason_message(item.reason, item.reason_params, lang), (f" [{item.reason}]", "dim"))


def runs_table(runs: Sequence[RunRow], lang: str, title: str) -> Table:
    """Recent runs, newest first, with counts in the status colours."""
    legend = " · ".join(f"{ICONS[s]} {status_label(s, lang)}" for s in Status)
    table = Table(title=title, title_justify="left", title_style="bold", caption=legend, caption_justify="left")
    for header in (ui("history_run", lang), ui("history_started", lang), ui("history_state", lang)):
        table.add_column(header, no_wrap=True)
    for status in Status:
        table.add_column(ICONS[status], justify="right", style=COLOURS[status], header_style=f"bold {COLOURS[status]}")
    for run in runs:
        counts = run.counts or {}
        state = Text(ui(f"state_{run.state}", lang), style=STATE_STYLES.get(run.state, ""))
        if run.error and run.state != RunState.COMPLETE:
            state.append(f" ({run.error[:60]})", style="dim")
        table.add_row(Text(run.id), local_time(run.started_at), state,
                      *(str(counts[s]) if s in counts else "—" for s in Status))
    return table


def trends_table(trends: Sequence[Trend], run: RunRow, lang: str) -> Table:
    """Every item of the latest run: verdict, failing streak, reason."""
    table = Table(title=ui("history_trend_title", lang, run=run.id), title_justify="left", title_style="bold")
    for header in ("history_item", "history_verdict", "history_streak", "history_reason"):
        table.add_column(ui(header, lang))
    for trend in trends:
        streak = ui("trend_failing", lang, runs=trend.failing_runs, since=local_time(trend.failing_since)) \
            if trend.failing_runs else "—"
        style = "bold red" if trend.failing_runs > 1 else ""
        table.add_row(Text(trend.code, style="bold"), _badge(trend.latest.status, lang), Text(streak, style=style),
                      _reason(trend.latest, lang))
    return table


def item_history_table(code: str, history: Sequence[tuple[RunRow, ItemRow]], lang: str) -> Table:
    """One item across runs, newest first."""
    table = Table(title=ui("history_item_title", lang, code=code), title_justify="left", title_style="bold")
    for header in ("history_run", "history_started", "history_verdict", "history_reason"):
        table.add_column(ui(header, lang))
    for run, item in history:
        table.add_row(run.id, local_time(run.started_at), _badge(item.status, lang), _reason(item, lang))
    return table


def print_diff(diff: RunDiff, console: Console, lang: str) -> None:
    """Items that regressed, recovered or changed between two runs: one line each, the reason under it."""
    console.print(Text(ui("diff_title", lang, a=diff.run_a.id, b=diff.run_b.id), style="bold"))
    if not diff.changes:
        console.print(Text(ui("diff_none", lang), style="green"))
        return
    order = list(Change)
    for change in sorted(diff.changes, key=lambda c: order.index(c.change)):
        before = _badge(change.before.status, lang) if change.before else Text("—")
        after = _badge(change.after.status, lang) if change.after else Text("—")
        console.print(Text.assemble((ui(f"diff_{change.change.value}", lang), CHANGE_STYLES[change.change]), "  ",
                                    (change.code, "bold"), "  ", before, " → ", after))
        reason = _reason(change.after or change.before, lang)
        if reason.plain:
            console.print(Text.assemble("    ", reason))
    other = len(diff.changes) - len(diff.of(Change.REGRESSED)) - len(diff.of(Change.RECOVERED))
    console.print(Text(ui("diff_summary", lang, regressed=len(diff.of(Change.REGRESSED)),
                          recovered=len(diff.of(Change.RECOVERED)), other=other), style="bold"))


def print_history(store: Store, scope: str | None, console: Console, lang: str, *, limit: int = 20,
                  item: str | None = None, db: str = "") -> None:
    """``oit-checker history``: recent runs, then the latest judged run's items with their trend."""
    runs = store.runs(scope, limit=limit)
    if not runs:
        console.print(ui("history_empty", lang, db=db))
        return
    console.print(runs_table(runs, lang, ui("history_title", lang, db=db)))
    latest = next((r for r in runs if r.judged), None)
    if latest is None:
        return
    if item:
        code = item.strip().upper()
        console.print(item_history_table(code, store.item_history(latest.scope, code, limit=limit), lang))
        return
    trends = [t for i in store.items(latest.id) if (t := item_trend(i.code, store.item_history(latest.scope, i.code)))]
    console.print(trends_table(trends, latest, lang))


def pick_diff(store: Store, scope: str | None, run_a: str | None, run_b: str | None) -> RunDiff:
    """The runs to compare: both given; one given (against the latest); none (the last two judged runs)."""
    if run_a and run_b:
        a, b = store.run(run_a), store.run(run_b)
    else:
        if scope is None:
            newest = store.runs(None, limit=1)
            scope = newest[0].scope if newest else None
        judged = store.runs(scope, limit=2, states=[RunState.COMPLETE])
        if run_a:
            if not judged:
                raise StoreError(f"{store.path}: no complete run to compare {run_a} with")
            a, b = store.run(run_a), judged[0]
        else:
            if len(judged) < 2:
                raise StoreError(f"{store.path}: diff needs two complete runs, found {len(judged)} "
                                 "(run `oit-checker audit` again)")
            b, a = judged
    return diff_runs(a, store.items(a.id), b, store.items(b.id))


def print_recorded(recorded: Recorded, console: Console, lang: str, quiet: bool = False) -> None:
    """After ``audit``: where the run was saved, and any notification that could not be sent."""
    if recorded.db_path is not None and not quiet:
        console.print(Text(ui("stored_run", lang, run=recorded.run_id, path=recorded.db_path), style="dim"))
    for delivery in recorded.deliveries:
        if delivery.ok and not quiet:
            console.print(Text(ui("notify_sent", lang, channel=delivery.channel, detail=delivery.detail), style="dim"))
        elif not delivery.ok:
            console.print(Text(ui("notify_failed", lang, channel=delivery.channel, detail=delivery.detail),
                               style="bold red"))
