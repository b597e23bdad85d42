"""The fleet owner's summary after a fleet run: one ``FleetNotice``, as text (Thai by default) and JSON.

It has the same surface as ``Notice`` (``subject``, ``text``, ``payload``, ``kind``, ``event_names``,
``run_id``), so the e-mail and webhook channels send it unchanged. It names the runs that failed,
the agencies newly failing in this run (when the caller knows them), the ten worst agencies, and
where the fleet's ``index.html`` is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..deadline import BANGKOK
from ..fleet.view import AgencyState, AgencyView, FleetView, fleet_exit_code
from ..messages import ui
from ..models import Status

SCHEMA = "oit-checker/fleet-notification/v1"
WORST_SHOWN = 10

def _t(key: str, lang: str, **params: Any) -> str:
    return ui(f"fleet_notify_{key}", lang, **params)


@dataclass(frozen=True)
class AgencyLine:
    """One agency as the summary names it."""

    id: str
    name: str
    state: str
    counts: dict[Status, int]
    error: str | None = None

    @classmethod
    def of(cls, agency: AgencyView) -> AgencyLine:
        """From a fleet view row."""
        return cls(agency.id, agency.name, agency.state.value, dict(agency.counts), agency.error)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for the webhook."""
        return {"id": self.id, "name": self.name, "state": self.state,
                "counts": {s.value: n for s, n in self.counts.items()}, "error": self.error}


@dataclass(frozen=True)
class FleetNotice:
    """What the fleet owner is told after a fleet run (see the module docstring)."""

    fleet_name: str
    run_id: str
    started_at: dt.datetime | None
    agencies: int
    by_worst: dict[Status, int]
    items_by_status: dict[Status, int]
    failed_runs: tuple[AgencyLine, ...]
    newly_failing: tuple[AgencyLine, ...]
    worst: tuple[AgencyLine, ...]
    exit_code: int
    index_path: str | None = None
    lang: str = "th"

    @property
    def kind(self) -> str:
        """The webhook event name."""
        return "fleet_summary"

    @property
    def event_names(self) -> tuple[str, ...]:
        """Short names of what is told, for the store."""
        return ("fleet_summary", *(f"{a.id}:newly_failing" for a in self.newly_failing),
                *(f"{a.id}:run_failed" for a in self.failed_runs))

    def subject(self) -> str:
        """One line: the fleet and its agencies by worst verdict."""
        w = self.by_worst
        out = _t("subject", self.lang, fleet=self.fleet_name, fail=w[Status.FAIL], unverified=w[Status.UNVERIFIED],
                 warn=w[Status.WARN], passed=w[Status.PASS], agencies=self.agencies)
        return out + (_t("subject_failed_runs", self.lang, n=len(self.failed_runs)) if self.failed_runs else "")

    def text(self) -> str:
        """The plain-text message (the e-mail body; the webhook's ``text``)."""
        lang = self.lang
        when = self.started_at.astimezone(BANGKOK).strftime("%Y-%m-%d %H:%M") if self.started_at else "—"
        lines = [_t("heading", lang, fleet=self.fleet_name), _t("run", lang, run=self.run_id, when=when), ""]
        for key, group in (("failed_runs", self.failed_runs), ("newly_failing", self.newly_failing)):
            if group:
                lines.append(_t(key, lang, n=len(group)))
                lines += [self._line(a) for a in group]
                lines.append("")
        if self.worst:
            lines.append(_t("worst", lang))
            lines += [f"{n}. {self._line(a)[2:]}" for n, a in enumerate(self.worst, 1)]
            lines.append("")
        if self.index_path:
            lines.append(_t("index", lang, path=self.index_path))
        lines.append(_t("footer", lang, run=self.run_id))
        return "\n".join(lines).strip() + "\n"

    def _line(self, agency: AgencyLine) -> str:
        c = agency.counts
        line = (f"• {agency.name} ({agency.id}): " + _t("counts", self.lang, fail=c[Status.FAIL],
                unverified=c[Status.UNVERIFIED], warn=c[Status.WARN], passed=c[Status.PASS]))
        if agency.state != AgencyState.COMPLETE.value:
            line += f" · {agency.state}" + (f": {agency.error}" if agency.error else "")
        return line

    def payload(self) -> dict[str, Any]:
        """The webhook's JSON body (stable keys; the text in the notice's language)."""
        return {
            "schema": SCHEMA, "kind": self.kind,
            "fleet": {"name": self.fleet_name, "run_id": self.run_id,
                      "started_at": self.started_at.isoformat(timespec="seconds") if self.started_at else None,
                      "agencies": self.agencies, "exit_code": self.exit_code, "index": self.index_path},
            "agencies_by_worst": {s.value: n for s, n in self.by_worst.items()},
            "items_by_status": {s.value: n for s, n in self.items_by_status.items()},
            "failed_runs": [a.as_dict() for a in self.failed_runs],
            "newly_failing": [a.as_dict() for a in self.newly_failing],
            "worst": [a.as_dict() for a in self.worst],
            "subject": self.subject(), "text": self.text(), "lang": self.lang,
        }


def fleet_notice(fleet: FleetView, *, newly_failing: Iterable[str] = (), index_path: str | None = None,
                 lang: str = "th", fail_on: str = "fail") -> FleetNotice:
    """The owner's summary of ``fleet``; ``newly_failing``: ids of agencies that failed in this run and
    did not in the previous one (the caller compares runs; the view knows one run only)."""
    regressed = set(newly_failing)
    failed = (AgencyState.FAILED, AgencyState.INCOMPLETE, AgencyState.INTERRUPTED)
    return FleetNotice(
        fleet_name=fleet.run.name, run_id=fleet.run.id, started_at=fleet.run.started_at,
        agencies=len(fleet.agencies), by_worst=fleet.agencies_by_worst(), items_by_status=fleet.items_by_status(),
        failed_runs=tuple(AgencyLine.of(a) for a in fleet.agencies if a.state in failed),
        newly_failing=tuple(AgencyLine.of(a) for a in fleet.agencies if a.id in regressed),
        worst=tuple(AgencyLine.of(a) for a in fleet.worst(WORST_SHOWN)),
        exit_code=int(fleet_exit_code(fleet, fail_on)), index_path=index_path, lang=lang)
