"""The fleet owner's summary (plan16 §6): sent once a fleet run ends, by the one process that ends it.

Whoever may see a fleet run end calls ``send_summary_if_ended``: each worker after its agency (the
local pool's and Celery's), and ``fleet run`` after its pool (the only one that sees an
interrupted run). ``FleetStore.claim_summary`` is a conditional update, so of several processes
finishing last exactly one sends it. The channels are ``[fleet.notify]`` with e-mail to
``[fleet] contacts``, kept in the fleet run's options when it begins (a Celery worker never reads
the fleet file; secrets still come from its environment). A fleet run stopped early is summarised
as ``interrupted``; when a resume then finishes it, the owner is told the end once more, and never
again after that.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import NotifySettings
from ..errors import OitCheckerError
from ..models import Status
from ..notify import Channel, Delivery, channels_from, deliver
from ..notify.fleet_message import FleetNotice, fleet_notice
from ..store import RunState
from ..store.fleet import FAILED, FleetAgencyRow, FleetStore

if TYPE_CHECKING:
    from .model import LoadedFleet

INDEX = "index.html"
"""The fleet run's HTML grid, in ``<reports_dir>/<fleet run>/``."""


@dataclass(frozen=True)
class SummarySent:
    """The owner's summary as it went out: for which ending, what it said, through which channels."""

    state: str
    notice: FleetNotice
    deliveries: tuple[Delivery, ...]


def summary_options(fleet: LoadedFleet) -> dict[str, Any]:
    """What a fleet run keeps in its options so any process can send the summary: the channels
    (``[fleet.notify]``, a relative ``ca_file`` made absolute) and the owner's addresses."""
    notify = fleet.settings.notify.model_dump(mode="json")
    ca_file = notify["email"]["ca_file"]
    if ca_file:
        notify["email"]["ca_file"] = str(fleet.resolve(ca_file))
    return {"notify": notify, "contacts": list(fleet.settings.contacts)}


def owner_channels(options: Mapping[str, Any], environ: Mapping[str, str] | None = None) -> list[Channel]:
    """The summary's channels: the webhook as configured, e-mail only to the owner's contacts."""
    raw = options.get("notify")
    if not raw:
        return []
    settings = NotifySettings.model_validate(raw)
    contacts = tuple(options.get("contacts") or ())
    email = settings.email.model_copy(update={"to": contacts} if contacts else {"host": ""})
    return channels_from(settings.model_copy(update={"email": email}), environ)


def failing(row: FleetAgencyRow) -> bool:
    """An agency the owner must look at: some item fails, or its run failed or was incomplete."""
    return row.state == FAILED or row.run_state == RunState.INCOMPLETE or row.counts.get(Status.FAIL, 0) > 0


def newly_failing(store: FleetStore, fleet_run_id: str) -> list[str]:
    """Agencies failing now that were in the previous complete fleet run of this fleet and not failing
    there (none without a previous run: the summary's worst list covers a first run)."""
    previous = store.previous_fleet_run(fleet_run_id)
    if previous is None:
        return []
    before = {row.agency_id: failing(row) for row in store.fleet_agencies(previous.id)}
    return [row.agency_id for row in store.fleet_agencies(fleet_run_id)
            if failing(row) and before.get(row.agency_id) is False]


def send_summary_if_ended(store_target: str | Path, fleet_run_id: str,
                          environ: Mapping[str, str] | None = None) -> SummarySent | None:
    """Send the owner's summary if the fleet run has ended and this process wins the claim; None
    otherwise (not ended, already sent, or no channel). Never raises for a channel that fails."""
    from .cli import view_from_store  # the cli builds the view for every report; it imports this module

    with FleetStore(store_target) as store:
        run = store.fleet_run(fleet_run_id)
        channels = owner_channels(run.options, environ)
        if not channels:
            return None
        state = store.claim_summary(fleet_run_id)
        if state is None:
            return None
        view = view_from_store(store, fleet_run_id)
        reports_dir = run.options.get("reports_dir")
        index = str(Path(str(reports_dir)) / fleet_run_id / INDEX) if reports_dir else None
        lang = str((run.options.get("notify") or {}).get("lang") or run.options.get("lang") or "th")
        notice = fleet_notice(view, newly_failing=newly_failing(store, fleet_run_id), index_path=index, lang=lang,
                              fail_on=str(run.options.get("fail_on", "fail")))
        deliveries = tuple(deliver(notice, channels))
        for delivery in deliveries:
            store.record_fleet_notification(fleet_run_id, delivery.channel, notice.event_names, delivery.ok,
                                            delivery.detail)
    return SummarySent(state, notice, deliveries)


def finalise_quietly(store_target: str | Path, fleet_run_id: str) -> SummarySent | None:
    """``send_summary_if_ended`` from a worker: a history that is away must not fail the agency
    already recorded (the next finisher, or ``fleet run``, tries again)."""
    try:
        return send_summary_if_ended(store_target, fleet_run_id)
    except OitCheckerError:
        return None


__all__ = ["INDEX", "SummarySent", "failing", "finalise_quietly", "newly_failing", "owner_channels",
           "send_summary_if_ended", "summary_options"]
