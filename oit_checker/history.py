"""What the history says: differences between two runs, trends, and transitions worth telling.

Pure functions over rows of ``oit_checker.store`` (no I/O), so the rules are unit-tested on
plain lists:

* ``diff_runs`` — per item: ``regressed``, ``recovered``, ``changed`` (status), ``reason_changed``,
  ``added``, ``removed``. Only a known verdict can regress or recover: ``pass → unverified`` is
  ``changed`` (the scanner could not tell), never ``regressed``.
* ``failing_streak`` — how many runs in a row (newest first) an item has failed.
* ``transition`` — the confirmation rule of notifications (uptime-kuma's "important beat" with
  urlwatch's ``max_tries``): an item that was passing is reported only once it has failed or
  warned on ``confirm_after`` judged runs in a row; it is reported back as soon as it passes;
  ``unverified`` verdicts are skipped (they neither confirm nor break a streak).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from .models import Status
from .store import ItemRow, RunRow

JUDGED = (Status.PASS, Status.WARN, Status.FAIL)
"""Verdicts that say something about the agency (``unverified`` says something about the scanner)."""


class Change(StrEnum):
    """How an item differs between two runs."""

    REGRESSED = "regressed"
    RECOVERED = "recovered"
    CHANGED = "changed"
    REASON_CHANGED = "reason_changed"
    ADDED = "added"
    REMOVED = "removed"


@dataclass(frozen=True)
class ItemChange:
    """One item that differs between run A (``before``) and run B (``after``)."""

    code: str
    change: Change
    before: ItemRow | None
    after: ItemRow | None


@dataclass(frozen=True)
class RunDiff:
    """Every difference between two runs, in the order of run B's items."""

    run_a: RunRow
    run_b: RunRow
    changes: tuple[ItemChange, ...]

    def of(self, change: Change) -> list[ItemChange]:
        """The changes of one kind."""
        return [c for c in self.changes if c.change is change]

    @property
    def regressed(self) -> bool:
        """True when some item got worse (what ``oit-checker diff`` exits 1 for)."""
        return any(c.change is Change.REGRESSED for c in self.changes)


def classify(before: Status, after: Status) -> Change | None:
    """The change from one verdict to another, or None when they are the same."""
    if before is after:
        return None
    if after in (Status.WARN, Status.FAIL) and after.severity > before.severity:
        return Change.REGRESSED
    if before in (Status.WARN, Status.FAIL) and after in (Status.PASS, Status.WARN) \
            and after.severity < before.severity:
        return Change.RECOVERED
    return Change.CHANGED


def diff_items(before: Sequence[ItemRow], after: Sequence[ItemRow]) -> list[ItemChange]:
    """The items that differ between two runs (status, reasons, presence)."""
    old = {i.code: i for i in before}
    new = {i.code: i for i in after}
    out: list[ItemChange] = []
    for code, item in new.items():
        was = old.get(code)
        if was is None:
            out.append(ItemChange(code, Change.ADDED, None, item))
            continue
        change = classify(was.status, item.status)
        if change is None and was.reasons != item.reasons:
            change = Change.REASON_CHANGED
        if change is not None:
            out.append(ItemChange(code, change, was, item))
    out += [ItemChange(code, Change.REMOVED, item, None) for code, item in old.items() if code not in new]
    return out


def diff_runs(run_a: RunRow, items_a: Sequence[ItemRow], run_b: RunRow, items_b: Sequence[ItemRow]) -> RunDiff:
    """See ``diff_items``; keeps the two runs for the report."""
    return RunDiff(run_a, run_b, tuple(diff_items(items_a, items_b)))


@dataclass(frozen=True)
class Trend:
    """An item's recent history: its latest verdict and how long it has failed."""

    code: str
    latest: ItemRow
    failing_runs: int
    """Judged runs in a row (newest first) in which the item failed; 0 when it does not fail now."""
    failing_since: dt.datetime | None
    """Start of the first run of that streak."""
    runs: int
    """How many judged runs of the item the trend looked at."""


def failing_streak(history: Sequence[tuple[RunRow, ItemRow]]) -> tuple[int, dt.datetime | None]:
    """Consecutive failed runs at the head of ``history`` (newest first), and when the streak began."""
    count, since = 0, None
    for run, item in history:
        if item.status is not Status.FAIL:
            break
        count, since = count + 1, run.started_at
    return count, since


def trend(code: str, history: Sequence[tuple[RunRow, ItemRow]]) -> Trend | None:
    """The trend of one item from its history (newest first); None without history."""
    if not history:
        return None
    count, since = failing_streak(history)
    return Trend(code, history[0][1], count, since, len(history))


class EventKind(StrEnum):
    """What a notification says about an item."""

    REGRESSED = "regressed"
    """It passed, and has now failed or warned on ``confirm_after`` runs in a row."""
    RECOVERED = "recovered"
    """It was reported failing or warning, and passes again."""
    CHANGED = "changed"
    """It was reported failing (or warning) and is now confirmed in the other bad state."""


@dataclass(frozen=True)
class Transition:
    """A change in an item's confirmed verdict, caused by the newest observation."""

    kind: EventKind
    before: Status
    after: Status
    streak: int
    """Runs in a row with the new verdict (the bad ones, for a regression)."""


def transition(statuses: Sequence[Status], confirm_after: int) -> Transition | None:
    """Whether the LAST of ``statuses`` (oldest first) changes the item's confirmed verdict.

    The first judged verdict is the baseline (nothing to tell). ``unverified`` is skipped.
    """
    judged = [s for s in statuses if s in JUDGED]
    if len(judged) < 2 or statuses[-1] not in JUDGED:
        return None
    confirmed = judged[0]
    bad_run = 0  # judged runs in a row that did not pass
    candidate, candidate_run = confirmed, 0  # runs in a row with the same verdict
    event: Transition | None = None
    for status in judged[1:]:
        event = None
        bad_run = bad_run + 1 if status is not Status.PASS else 0
        candidate, candidate_run = (status, candidate_run + 1) if status is candidate else (status, 1)
        if status is confirmed:
            continue
        if status is Status.PASS:
            event = Transition(EventKind.RECOVERED, confirmed, status, candidate_run)
        elif confirmed is Status.PASS and bad_run >= confirm_after:
            event = Transition(EventKind.REGRESSED, confirmed, status, bad_run)
        elif confirmed is not Status.PASS and candidate_run >= confirm_after:
            event = Transition(EventKind.CHANGED, confirmed, status, candidate_run)
        if event is not None:
            confirmed = status
    return event
