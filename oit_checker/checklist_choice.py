"""Which checklist an audit uses, and why: said in every report, never silently.

``[audit] checklist`` chooses; when it is empty the newest bundled *general* list is taken. The ITA
of fiscal year N is assessed during fiscal year N (1 October N-1 to 30 September N, B.E.), so on
2026-12-03 the round being assessed is ITA 2570: when no bundled list is that year's, the report
says which one stood in and that the NACC manual decides.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .checklist import Checklist, Confidence, bundled_checklists

CONFIGURED = "configured"
"""``[audit] checklist`` named the list."""
NEWEST_GENERAL = "newest_general"
"""Nothing was configured: the newest bundled general list was taken."""


def assessment_year_on(day: dt.date) -> int:
    """The ITA round being assessed on ``day``: the B.E. fiscal year it falls in."""
    return day.year + 543 + (1 if day.month >= 10 else 0)


@dataclass(frozen=True)
class ChecklistChoice:
    """The checklist used and what the report must say about it."""

    id: str
    why: str
    """``configured`` or ``newest_general``."""
    assessment_year: int
    """The list's own year (B.E.)."""
    current_year: int
    """The ITA round being assessed on the day of the run."""
    partial: bool
    unverified: tuple[str, ...]
    """Codes of the list's items whose rules no good source confirms (``confidence = unverified``)."""

    @property
    def other_year(self) -> bool:
        """The list is not the current round's: the agency should check the NACC manual."""
        return self.assessment_year != self.current_year

    def to_dict(self) -> dict[str, object]:
        """The JSON form (``run.checklist_choice``)."""
        return {"id": self.id, "why": self.why, "assessment_year": self.assessment_year,
                "current_assessment_year": self.current_year, "other_year": self.other_year,
                "partial": self.partial, "unverified_items": list(self.unverified)}


def newest_general() -> Checklist:
    """The bundled general (NACC) list with the latest assessment year."""
    return max((c for c in bundled_checklists() if c.kind == "general"), key=lambda c: c.assessment_year)


def describe(checklist: Checklist, why: str, today: dt.date | None = None) -> ChecklistChoice:
    """The choice record for a checklist already loaded."""
    return ChecklistChoice(
        id=checklist.id, why=why, assessment_year=checklist.assessment_year,
        current_year=assessment_year_on(today or dt.date.today()), partial=checklist.partial,
        unverified=tuple(i.code for i in checklist.items if i.confidence is Confidence.UNVERIFIED),
    )
