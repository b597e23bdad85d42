"""Deadline awareness: days left until the ITAS submission deadline, in Thailand's calendar.

The deadline (``[assessment] submission_deadline``) is a Thai date, so "today" is taken in
Asia/Bangkok whatever the machine's time zone. Within ``warn_days`` of it, the items that still
fail are named in the console summary and in notifications.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from rich.text import Text

from .dates import format_date
from .messages import ui
from .models import AuditResult, Status

BANGKOK = ZoneInfo("Asia/Bangkok")


@dataclass(frozen=True)
class DeadlineStatus:
    """Where a run stands against the deadline."""

    deadline: dt.date
    days_left: int
    """Days from the run's date (Bangkok) to the deadline; 0 on the day, negative after it."""
    near: bool
    """Within ``warn_days`` of the deadline (and not past it)."""
    failing: tuple[str, ...]
    """Codes of the items that still fail."""

    @property
    def passed(self) -> bool:
        """The deadline is over."""
        return self.days_left < 0


def days_left(deadline: dt.date, at: dt.datetime) -> int:
    """Whole days from ``at`` (its date in Bangkok) to ``deadline``."""
    when = at if at.tzinfo else at.replace(tzinfo=dt.UTC)
    return (deadline - when.astimezone(BANGKOK).date()).days


def deadline_status(result: AuditResult) -> DeadlineStatus | None:
    """The run against its deadline; None when no deadline is set."""
    if result.deadline is None:
        return None
    left = days_left(result.deadline, result.finished_at)
    failing = tuple(i.code for i in result.items if i.status is Status.FAIL)
    return DeadlineStatus(result.deadline, left, 0 <= left <= result.deadline_warn_days, failing)


def deadline_message(status: DeadlineStatus, lang: str) -> str:
    """One sentence: days left (or past), and near the deadline the items still failing. The date
    is written in ``dates.format_date``'s ``day`` style ('31 มี.ค. 2568', '31 Mar 2025')."""
    date = format_date(status.deadline, lang)
    if status.passed:
        text = ui("deadline_passed", lang, date=date, days=-status.days_left)
    elif status.days_left == 0:
        text = ui("deadline_today", lang, date=date)
    else:
        text = ui("deadline_days_left", lang, date=date, days=status.days_left)
    if status.near and status.failing:
        text += " " + ui("deadline_still_failing", lang, count=len(status.failing), codes=", ".join(status.failing))
    return text


def deadline_text(result: AuditResult, lang: str) -> Text | None:
    """The console summary's deadline line (bold red when items still fail near the deadline)."""
    status = deadline_status(result)
    if status is None:
        return None
    urgent = status.failing and (status.near or status.passed)
    return Text(deadline_message(status, lang), style="bold red" if urgent else "bold")
