"""The rules of the history: diff classes, failing streaks, the confirmation rule, days left."""

from __future__ import annotations

import datetime as dt

import pytest

from oit_checker.dates import format_date
from oit_checker.deadline import days_left, deadline_message, deadline_status
from oit_checker.history import Change, EventKind, classify, diff_items, failing_streak, transition
from oit_checker.models import AuditResult, ItemResult, Status
from oit_checker.store import ItemRow, RunRow

P, W, U, F = Status.PASS, Status.WARN, Status.UNVERIFIED, Status.FAIL


@pytest.mark.parametrize(("before", "after", "expected"), [
    (P, F, Change.REGRESSED), (P, W, Change.REGRESSED), (W, F, Change.REGRESSED), (U, F, Change.REGRESSED),
    (F, P, Change.RECOVERED), (F, W, Change.RECOVERED), (W, P, Change.RECOVERED),
    (P, U, Change.CHANGED), (F, U, Change.CHANGED), (U, P, Change.CHANGED), (U, W, Change.CHANGED),
    (P, P, None), (F, F, None), (U, U, None),
])
def test_classify_only_known_verdicts_regress_or_recover(before: Status, after: Status,
                                                          expected: Change | None) -> None:
    assert classify(before, after) is expected


def test_every_pair_of_statuses_is_classified() -> None:
    for before in Status:
        for after in Status:
            assert (classify(before, after) is None) == (before is after)


def row(code: str, status: Status, reasons: tuple[str, ...] = (), run: str = "r") -> ItemRow:
    return ItemRow(run, code, f"name {code}", "", "g", status, reasons[0] if reasons else None, {}, reasons,
                   f"http://x/{code}", None)


def test_diff_items_finds_regressions_recoveries_reason_changes_and_membership() -> None:
    before = [row("O1", P), row("O2", F, ("http_404",)), row("O3", F, ("http_404",)), row("O4", W, ("no_date_found",)),
              row("O9", P)]
    after = [row("O1", F, ("login_wall",)), row("O2", P), row("O3", F, ("stale_fiscal_year",)),
             row("O4", W, ("no_date_found",)), row("O5", P)]
    changes = {c.code: c.change for c in diff_items(before, after)}
    assert changes == {"O1": Change.REGRESSED, "O2": Change.RECOVERED, "O3": Change.REASON_CHANGED,
                       "O5": Change.ADDED, "O9": Change.REMOVED}


def run_row(day: int) -> RunRow:
    return RunRow(f"run{day}", "s", "complete", "schedule", dt.datetime(2025, 3, day, 19, tzinfo=dt.UTC), None,
                  "a", "h", "c", 2568, "0", None, None, None, None)


def test_failing_streak_counts_from_the_newest_run() -> None:
    history = [(run_row(5), row("O1", F)), (run_row(4), row("O1", F)), (run_row(3), row("O1", F)),
               (run_row(2), row("O1", P)), (run_row(1), row("O1", F))]
    assert failing_streak(history) == (3, run_row(3).started_at)
    assert failing_streak([(run_row(2), row("O1", W)), *history]) == (0, None)
    assert failing_streak([]) == (0, None)


# The confirmation rule, as sequences of nightly verdicts (oldest first) -> what the LAST night tells.
@pytest.mark.parametrize(("nights", "confirm", "expected"), [
    ([P], 2, None),                                  # baseline only
    ([P, F], 2, None),                               # one bad night pages nobody
    ([P, F, F], 2, (EventKind.REGRESSED, P, F, 2)),  # confirmed on the second night
    ([P, F, F, F], 2, None),                         # told once, not every night
    ([P, F, W], 2, (EventKind.REGRESSED, P, W, 2)),  # two bad nights, whatever kind of bad
    ([P, F], 1, (EventKind.REGRESSED, P, F, 1)),     # confirm_after = 1 tells at once
    ([P, F, F, F], 3, (EventKind.REGRESSED, P, F, 3)),
    ([P, F, F, P], 2, (EventKind.RECOVERED, F, P, 1)),  # recovery is told at once
    ([P, F, P], 2, None),                            # an unconfirmed failure recovers silently
    ([P, F, P, F, P, F], 2, None),                   # flapping every other night never pages
    ([P, F, U, F], 2, (EventKind.REGRESSED, P, F, 2)),  # unverified neither breaks nor confirms a streak
    ([P, F, F, U], 2, None),                         # a night we could not check tells nothing
    ([P, U, U, U], 2, None),
    ([F, F, F], 2, None),                            # failing since the first run: the baseline, not news
    ([F, P], 2, (EventKind.RECOVERED, F, P, 1)),
    ([P, F, F, W, W], 2, (EventKind.CHANGED, F, W, 2)),  # confirmed fail, now confirmed warn
    ([P, F, F, W], 2, None),
    ([U, P, F, F], 2, (EventKind.REGRESSED, P, F, 2)),  # the first judged verdict is the baseline
])
def test_transition_confirmation_rule(nights: list[Status], confirm: int,
                                      expected: tuple[EventKind, Status, Status, int] | None) -> None:
    found = transition(nights, confirm)
    assert (None if found is None else (found.kind, found.before, found.after, found.streak)) == expected


def audit_result(deadline: dt.date | None, finished: dt.datetime, statuses: dict[str, Status],
                 warn_days: int = 30) -> AuditResult:
    items = tuple(ItemResult(code, code, code, "g", status, ()) for code, status in statuses.items())
    return AuditResult("r", finished, finished, "0", "ita-2567", "t", 2567, "a", "h", items,
                       deadline=deadline, deadline_warn_days=warn_days)


def test_days_left_counts_in_bangkok_whatever_the_machine_zone() -> None:
    deadline = dt.date(2025, 3, 31)
    # 30 March 18:30 UTC is already 31 March 01:30 in Bangkok: the last day
    assert days_left(deadline, dt.datetime(2025, 3, 30, 18, 30, tzinfo=dt.UTC)) == 0
    assert days_left(deadline, dt.datetime(2025, 3, 30, 16, 30, tzinfo=dt.UTC)) == 1
    assert days_left(deadline, dt.datetime(2025, 4, 2, 12, 0, tzinfo=dt.UTC)) == -2


def test_deadline_status_and_message_raise_failing_items_only_near_the_deadline() -> None:
    statuses = {"O1": P, "O24": F, "O41": F, "O9": W}
    near = deadline_status(audit_result(dt.date(2025, 3, 31), dt.datetime(2025, 3, 21, 3, tzinfo=dt.UTC), statuses))
    assert near is not None and near.days_left == 10 and near.near and near.failing == ("O24", "O41")
    assert deadline_message(near, "th") == \
        "เหลืออีก 10 วันถึงกำหนดส่งข้อมูลในระบบ ITAS (31 มี.ค. 2568) ยังไม่ผ่าน 2 ข้อ: O24, O41"
    assert deadline_message(near, "en") == \
        "10 days left until the ITAS submission deadline (31 Mar 2025) 2 items still fail: O24, O41"
    far = deadline_status(audit_result(dt.date(2025, 3, 31), dt.datetime(2024, 12, 1, 3, tzinfo=dt.UTC), statuses))
    assert far is not None and not far.near and "O24" not in deadline_message(far, "th")
    past = deadline_status(audit_result(dt.date(2025, 3, 31), dt.datetime(2025, 4, 3, 3, tzinfo=dt.UTC), statuses))
    assert past is not None and past.passed and "มาแล้ว 3 วัน" in deadline_message(past, "th")
    assert deadline_status(audit_result(None, dt.datetime(2025, 4, 3, tzinfo=dt.UTC), statuses)) is None
    assert format_date(dt.date(2025, 10, 1), "th") == "1 ต.ค. 2568"
