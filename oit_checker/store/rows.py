"""The history's rows as values (no SQL here): runs, item verdicts, notifications, and the
rules that pick an item's deciding URL and finding (the store and the notices share them).

``run_row``/``item_row`` read any row object indexed by column name (``sqlite3.Row`` today), so a
second database backend reuses them.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Protocol

from ..models import Check, Finding, ItemResult, Status, UrlResult
from ..reasons import Reason, as_reason


class Columns(Protocol):
    """A database row read by column name."""

    def __getitem__(self, key: str, /) -> Any: ...


class RunState:
    """Values of ``runs.state`` (the states are drawn in ``oit_checker.store``)."""

    RUNNING = "running"
    COMPLETE = "complete"
    INCOMPLETE = "incomplete"
    FAILED = "failed"
    INTERRUPTED = "interrupted"



@dataclass(frozen=True)
class RunRow:
    """One stored run (newest values; counts are None until the run finished)."""

    id: str
    scope: str
    """Which agency config the run belongs to: homepage and checklist id."""
    state: str
    trigger: str
    """``audit`` or ``schedule``."""
    started_at: dt.datetime
    finished_at: dt.datetime | None
    agency_name: str
    homepage: str
    checklist_id: str
    assessment_year: int | None
    tool_version: str
    items_requested: tuple[str, ...] | None
    counts: dict[Status, int] | None
    error: str | None
    deadline: dt.date | None
    evidence_dir: str | None = None
    """The run's evidence bundle (screenshots, texts, manifest), when one was kept."""

    @property
    def judged(self) -> bool:
        """True when the run's verdicts say something about the agency (state ``complete``)."""
        return self.state == RunState.COMPLETE

    @property
    def failed(self) -> bool:
        """True when the run itself failed (crashed, or no server answered)."""
        return self.state in (RunState.FAILED, RunState.INCOMPLETE)


@dataclass(frozen=True)
class ItemRow:
    """One item's verdict in one run."""

    run_id: str
    code: str
    name_th: str
    name_en: str
    group: str
    status: Status
    reason: str | None
    """The reason code that decided the verdict (first finding with the item's status)."""
    reason_params: dict[str, Any]
    reasons: tuple[str, ...]
    """Every non-pass reason code of the deciding URL (and the item), sorted."""
    url: str | None
    """The deciding URL: the passing one, else the best one."""
    passing_url: str | None


@dataclass(frozen=True)
class NotificationRow:
    """One delivery attempt of one channel for one run."""

    run_id: str
    channel: str
    events: tuple[str, ...]
    ok: bool
    detail: str
    sent_at: dt.datetime


@dataclass(frozen=True)
class StoredFinding:
    """A finding read back from the history. Not a ``Finding``: an old run may hold a code this
    version retired, so ``reason`` is the ``Reason`` when the code is still known, else the stored
    string (``Finding.reason`` is a ``Reason`` so that mypy rejects a misspelt code when one is made)."""

    check: Check
    status: Status
    reason: Reason | str
    params: dict[str, Any]
    evidence: dict[str, Any]


def deciding_url(item: ItemResult) -> UrlResult | None:
    """The URL whose findings decided the item's verdict (the passing one, else the best one)."""
    if not item.urls:
        return None
    return min(item.urls, key=lambda u: u.status.severity)


def primary_finding(item: ItemResult) -> Finding | None:
    """The finding that explains the verdict: the first one whose status is the item's status."""
    url = deciding_url(item)
    findings = [*item.findings, *(url.findings if url else ())]
    return next((f for f in findings if f.status is item.status), None)



def _when(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def run_row(r: Columns) -> RunRow:
    """A ``runs`` row as a ``RunRow``."""
    counts = None
    if r["n_pass"] is not None:
        counts = {Status.PASS: r["n_pass"], Status.WARN: r["n_warn"], Status.FAIL: r["n_fail"],
                  Status.UNVERIFIED: r["n_unverified"]}
    started = _when(r["started_at"])
    assert started is not None  # NOT NULL column
    return RunRow(
        id=r["id"], scope=r["scope"], state=r["state"], trigger=r["trigger"], started_at=started,
        finished_at=_when(r["finished_at"]), agency_name=r["agency_name"], homepage=r["homepage"],
        checklist_id=r["checklist_id"], assessment_year=r["assessment_year"], tool_version=r["tool_version"] or "",
        items_requested=tuple(json.loads(r["items_requested"])) if r["items_requested"] else None,
        counts=counts, error=r["error"], deadline=dt.date.fromisoformat(r["deadline"]) if r["deadline"] else None,
        evidence_dir=r["evidence_dir"])


def item_row(r: Columns, prefix: str = "") -> ItemRow:
    """An ``item_results`` row (its columns named ``prefix`` + name) as an ``ItemRow``."""
    def col(name: str) -> Any:
        return r[prefix + name]

    params = col("reason_params")
    return ItemRow(
        run_id=col("run_id"), code=col("code"), name_th=col("name_th"), name_en=col("name_en"),
        group=col("item_group"), status=Status(col("status")), reason=col("reason"),
        reason_params=json.loads(params) if params else {}, reasons=tuple(json.loads(col("reasons"))),
        url=col("url"), passing_url=col("passing_url"))


def finding_row(r: Columns) -> StoredFinding:
    """A ``findings`` row as a ``StoredFinding``."""
    code: str = r["reason"]
    return StoredFinding(Check(r["check_name"]), Status(r["status"]), as_reason(code) or code,
                         json.loads(r["params"]), json.loads(r["evidence"]))


__all__ = ["Columns", "ItemRow", "NotificationRow", "RunRow", "RunState", "StoredFinding", "deciding_url",
           "finding_row", "item_row", "primary_finding", "run_row"]
