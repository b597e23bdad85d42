"""What a notification says: one ``Notice`` per run, rendered as text (Thai by default) and JSON.

A notice names, for every item whose confirmed verdict changed, the item, the old and new
verdicts, the reason, the suggested fix and the URL; and the days left to the ITAS deadline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..deadline import BANGKOK, DeadlineStatus, deadline_message
from ..history import EventKind
from ..messages import reason_fix, reason_message, status_label, ui
from ..models import Status

SCHEMA = "oit-checker/notification/v1"


@dataclass(frozen=True)
class ItemEvent:
    """One item whose confirmed verdict changed in this run."""

    kind: EventKind
    code: str
    name_th: str
    name_en: str
    before: Status
    after: Status
    streak: int
    """Runs in a row with the new verdict."""
    reason: str | None
    params: dict[str, Any] = field(default_factory=dict)
    url: str | None = None


class Message(Protocol):
    """What a channel sends: one run's ``Notice`` or a fleet's summary (``notify.fleet_message``)."""

    @property
    def run_id(self) -> str:
        """The run it is about (the e-mail's X-OIT-Checker-Run)."""

    @property
    def kind(self) -> str:
        """The webhook's event header."""

    def subject(self) -> str:
        """One line."""

    def text(self) -> str:
        """The plain-text body."""

    def payload(self) -> dict[str, Any]:
        """The webhook's JSON body."""


@dataclass(frozen=True)
class Notice:
    """Everything one run has to tell; channels render it with ``subject``/``text``/``payload``."""

    agency_name: str
    homepage: str
    run_id: str
    run_state: str
    started_at: dt.datetime
    counts: dict[Status, int] | None
    events: tuple[ItemEvent, ...] = ()
    run_error: str | None = None
    """Why the run failed; set only for a run-failure notice."""
    deadline: DeadlineStatus | None = None
    lang: str = "th"

    @property
    def kind(self) -> str:
        """``run_failed`` or ``items``."""
        return "run_failed" if self.run_error is not None else "items"

    @property
    def event_names(self) -> tuple[str, ...]:
        """Short names of what is told, for the store (``O24:regressed``, ``run_failed``)."""
        if self.run_error is not None:
            return ("run_failed",)
        return tuple(f"{e.code}:{e.kind.value}" for e in self.events)

    def subject(self) -> str:
        """One line: the agency and what happened."""
        lang = self.lang
        if self.run_error is not None:
            return ui("notify_subject_failed", lang, agency=self.agency_name)
        parts = []
        for kind in EventKind:
            codes = [e.code for e in self.events if e.kind is kind]
            if codes:
                parts.append(ui(f"notify_kind_{kind.value}", lang) + " " + ", ".join(codes))
        return ui("notify_subject", lang, agency=self.agency_name, what="; ".join(parts))

    def text(self) -> str:
        """The plain-text message (the e-mail body; the webhook's ``text``)."""
        lang = self.lang
        when = self.started_at.astimezone(BANGKOK).strftime("%Y-%m-%d %H:%M")
        lines = [ui("notify_heading", lang, agency=self.agency_name), ui("notify_run", lang, run=self.run_id, when=when),
                 ""]
        if self.run_error is not None:
            lines.append(ui("notify_run_failed", lang, error=self.run_error))
            lines.append("")
        for event in self.events:
            lines.extend(self._event_lines(event))
            lines.append("")
        if self.counts is not None:
            lines.append(ui("summary", lang, total=sum(self.counts.values()),
                            **{s.value: self.counts[s] for s in Status}))
        if self.deadline is not None:
            lines.append(deadline_message(self.deadline, lang))
        lines += ["", ui("notify_footer", lang, homepage=self.homepage)]
        return "\n".join(lines).strip() + "\n"

    def _event_lines(self, event: ItemEvent) -> list[str]:
        lang = self.lang
        name = event.name_en if lang == "en" and event.name_en else event.name_th
        key = "notify_event_streak" if event.kind is not EventKind.RECOVERED else "notify_event"
        lines = ["• " + ui(key, lang, code=event.code, name=name, kind=ui(f"notify_kind_{event.kind.value}", lang),
                           before=status_label(event.before, lang), after=status_label(event.after, lang),
                           streak=event.streak)]
        if event.reason and event.kind is not EventKind.RECOVERED:
            lines.append("  " + ui("notify_reason", lang, message=reason_message(event.reason, event.params, lang),
                                   reason=event.reason))
            fix = reason_fix(event.reason, event.params, lang)
            if fix:
                lines.append(f"  {ui('fix', lang)}: {fix}")
        if event.url:
            lines.append(f"  URL: {event.url}")
        return lines

    def payload(self) -> dict[str, Any]:
        """The webhook's JSON body (stable keys; messages in the notice's language)."""
        lang = self.lang
        return {
            "schema": SCHEMA,
            "kind": self.kind,
            "agency": {"name": self.agency_name, "homepage": self.homepage},
            "run": {"id": self.run_id, "state": self.run_state,
                    "started_at": self.started_at.isoformat(timespec="seconds"),
                    "summary": {s.value: n for s, n in self.counts.items()} if self.counts else None,
                    "error": self.run_error},
            "deadline": None if self.deadline is None else {
                "date": self.deadline.deadline.isoformat(), "days_left": self.deadline.days_left,
                "still_failing": list(self.deadline.failing)},
            "events": [{
                "kind": e.kind.value, "code": e.code, "name_th": e.name_th, "name_en": e.name_en,
                "before": e.before.value, "after": e.after.value, "streak": e.streak, "reason": e.reason,
                "message": reason_message(e.reason, e.params, lang) if e.reason else None,
                "fix": reason_fix(e.reason, e.params, lang) if e.reason else None, "url": e.url,
            } for e in self.events],
            "subject": self.subject(),
            "text": self.text(),
            "lang": lang,
        }
