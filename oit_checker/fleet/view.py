"""What a fleet report shows, independent of where it came from (audit results now, the store later).

The renderers in ``oit_checker.report.fleet`` read only a ``FleetView``; ``fleet_view_from_results``
builds one from ``AuditResult``s so the runners can report before the store has fleet tables.
``fleet_exit_code`` is the fleet's exit code (plan16 §0): failing items first, so one dead site
never masks fifty failing ones; then runs that did not finish; then unverified items.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from ..checklist import Checklist
from ..exit_codes import ExitCode, exit_code
from ..models import AuditResult, ItemResult, Status
from ..reasons import Reason
from ..store import deciding_url, primary_finding

WORST_ORDER = (Status.FAIL, Status.UNVERIFIED, Status.WARN, Status.PASS)
"""An agency's worst verdict, most serious first (the order of ``agencies_by_worst``)."""
NO_URL_REASON = Reason.NO_URL_GIVEN


class AgencyState(StrEnum):
    """Where one agency's audit stands in a fleet run."""

    COMPLETE = "complete"
    INCOMPLETE = "incomplete"
    """The audit ran but could not fetch anything (``AuditResult.complete`` is False)."""
    FAILED = "failed"
    """The audit raised, or a worker was lost ``max_attempts`` times."""
    PENDING = "pending"
    RUNNING = "running"
    INTERRUPTED = "interrupted"


@dataclass(frozen=True)
class Cell:
    """One item of one agency: the verdict, the reason code that decided it, the deciding URL."""

    status: Status
    reason: str | None = None
    url: str | None = None
    proposed: bool = False
    """The URL was proposed by ``--discover``, not given in the fleet file."""

    @property
    def no_url(self) -> bool:
        """True when the item had no URL to check (shown as ``·``, not as a plain fail)."""
        return self.reason == NO_URL_REASON


@dataclass(frozen=True)
class ChecklistColumns:
    """The columns of one grid: one checklist's item codes in checklist order."""

    id: str
    title: str = ""
    items: tuple[tuple[str, str, str], ...] = ()
    """(code, name_th, name_en) per item."""

    @property
    def codes(self) -> tuple[str, ...]:
        """The item codes, in order."""
        return tuple(code for code, _, _ in self.items)


@dataclass(frozen=True)
class AgencyMeta:
    """What the runner knows of an agency besides its result (the fleet file, the attempts)."""

    id: str
    name: str
    homepage: str
    checklist_id: str = ""
    run_id: str | None = None
    attempts: int = 1
    reports: dict[str, str] = field(default_factory=dict)
    """Report files relative to the fleet run's folder, e.g. ``{"html": "agencies/x.html"}``."""
    proposed: frozenset[str] = frozenset()
    """Item codes whose URL ``--discover`` proposed."""
    contacts: tuple[str, ...] = ()


@dataclass(frozen=True)
class AgencyView:
    """One row of the grid."""

    id: str
    name: str
    homepage: str
    checklist_id: str
    state: AgencyState
    seq: int
    """The agency's position in the fleet file (the last sort key)."""
    run_id: str | None = None
    attempts: int = 0
    exit_code: int | None = None
    counts: dict[Status, int] = field(default_factory=lambda: {s: 0 for s in Status})
    reports: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    items: dict[str, Cell] = field(default_factory=dict)

    @property
    def worst(self) -> Status | None:
        """The most serious verdict among its items (None without items)."""
        return next((s for s in WORST_ORDER if self.counts.get(s)), None)

    def sort_key(self) -> tuple[int, int, int, bool, int]:
        """Most failing first; runs that did not complete right after the failing ones."""
        return (-self.counts[Status.FAIL], -self.counts[Status.UNVERIFIED], -self.counts[Status.WARN],
                self.state is not AgencyState.COMPLETE, self.seq)

    def report_link(self, kind: str = "html") -> str:
        """The agency's report file (default ``agencies/<id>.<kind>``), relative to the fleet run folder."""
        return self.reports.get(kind) or f"agencies/{self.id}.{kind}"


@dataclass(frozen=True)
class FleetRunMeta:
    """The fleet run itself."""

    id: str
    name: str
    mode: str = "embedded"
    trigger: str = "fleet"
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    tool_version: str = ""
    complete: bool = True
    """Every agency reached an end state (complete, incomplete or failed)."""


@dataclass(frozen=True)
class FleetView:
    """A fleet run as the reports show it; ``agencies`` sorted most failing first."""

    run: FleetRunMeta
    checklists: tuple[ChecklistColumns, ...]
    agencies: tuple[AgencyView, ...]

    def by_state(self) -> dict[AgencyState, int]:
        """Agencies per state (every state present, maybe 0)."""
        out = {s: 0 for s in AgencyState}
        for agency in self.agencies:
            out[agency.state] += 1
        return out

    def items_by_status(self) -> dict[Status, int]:
        """Items per verdict over the whole fleet."""
        out = {s: 0 for s in Status}
        for agency in self.agencies:
            for status, n in agency.counts.items():
                out[status] += n
        return out

    def agencies_by_worst(self) -> dict[Status, int]:
        """Agencies per worst verdict (agencies without items are not counted)."""
        out = {s: 0 for s in WORST_ORDER}
        for agency in self.agencies:
            if agency.worst is not None:
                out[agency.worst] += 1
        return out

    def grids(self) -> list[tuple[ChecklistColumns, list[AgencyView]]]:
        """One grid per checklist, the agencies in report order in each."""
        return [(columns, [a for a in self.agencies if a.checklist_id == columns.id]) for columns in self.checklists]

    def worst(self, n: int = 10) -> list[AgencyView]:
        """The ``n`` agencies at the top of the report that have something to fix or did not complete."""
        return [a for a in self.agencies if a.worst not in (None, Status.PASS) or a.state is not AgencyState.COMPLETE][:n]


def fleet_exit_code(view: FleetView, fail_on: str = "fail") -> ExitCode:
    """1 any failing item (or warning with ``fail_on="warn"``); else 3 any agency not complete (incomplete,
    failed, interrupted, never run); else 4 any unverified item; else 0."""
    if any(a.counts[Status.FAIL] or (fail_on == "warn" and a.counts[Status.WARN]) for a in view.agencies):
        return ExitCode.FAILED
    if any(a.state is not AgencyState.COMPLETE for a in view.agencies):
        return ExitCode.INCOMPLETE
    if any(a.counts[Status.UNVERIFIED] for a in view.agencies):
        return ExitCode.UNVERIFIED
    return ExitCode.OK


def cell_of(item: ItemResult, proposed: bool = False) -> Cell:
    """An item's grid cell: the reason and URL the store would record for it."""
    finding, url = primary_finding(item), deciding_url(item)
    return Cell(item.status, finding.reason if finding else None, url.url if url else None, proposed)


def fleet_view_from_results(
        run_meta: FleetRunMeta,
        agencies: Sequence[tuple[AgencyMeta, AuditResult | None, AgencyState | str | None, str | None]],
        checklists: Iterable[Checklist] = (), fail_on: str = "fail") -> FleetView:
    """A ``FleetView`` from each agency's (meta, result or None, state, error), in fleet-file order.

    ``state`` None means: complete when the result is complete, else incomplete (pending without a
    result). The grid columns come from ``checklists`` when given, else from the results' items.
    """
    columns: dict[str, ChecklistColumns] = {c.id: ChecklistColumns(c.id, c.title_th, tuple(
        (i.code, i.name_th, i.name_en) for i in c.items)) for c in checklists}
    rows = []
    for seq, (meta, result, state, error) in enumerate(agencies):
        checklist_id = result.checklist_id if result else meta.checklist_id
        if result is not None and checklist_id not in columns:
            columns[checklist_id] = ChecklistColumns(checklist_id, result.checklist_title, tuple(
                (i.code, i.name_th, i.name_en) for i in result.items))
        elif checklist_id not in columns:
            columns[checklist_id] = ChecklistColumns(checklist_id)
        if state is None:
            state = AgencyState.PENDING if result is None else \
                AgencyState.COMPLETE if result.complete else AgencyState.INCOMPLETE
        rows.append(AgencyView(
            id=meta.id, name=meta.name or (result.agency_name if result else ""),
            homepage=meta.homepage or (result.homepage if result else ""), checklist_id=checklist_id,
            state=AgencyState(state), seq=seq, run_id=result.run_id if result else meta.run_id,
            attempts=meta.attempts, exit_code=int(exit_code(result, fail_on)) if result else None,
            counts=result.counts() if result else {s: 0 for s in Status}, reports=dict(meta.reports), error=error,
            items={i.code: cell_of(i, i.code in meta.proposed) for i in result.items} if result else {}))
    _add_missing_codes(columns, rows)
    used = [c for c in columns.values() if any(a.checklist_id == c.id for a in rows)]
    return FleetView(run_meta, tuple(used), tuple(sorted(rows, key=AgencyView.sort_key)))


def _add_missing_codes(columns: dict[str, ChecklistColumns], rows: list[AgencyView]) -> None:
    """Codes some agency reported that its checklist's columns lack (``--item`` subsets differ) are appended."""
    for agency in rows:
        known = columns[agency.checklist_id]
        extra = [code for code in agency.items if code not in known.codes]
        if extra:
            columns[agency.checklist_id] = ChecklistColumns(known.id, known.title, known.items + tuple(
                (code, code, code) for code in extra))
