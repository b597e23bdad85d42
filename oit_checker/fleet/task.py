"""The unit of a fleet: one agency's audit in one fleet run (plan16 §0), whoever runs it.

``run_agency`` is what the local pool runs in a worker process (and a Celery task will): it claims
the agency in the store, rebuilds its config from the snapshot stored when the fleet run began
(a worker never reads the fleet files), audits it under a ``Recorder`` row, and records the result
and the agency's end in one transaction that only the current claim wins. Only the winner writes
the agency's reports and tells its contacts, so a redone agency is recorded and told at most once.
Whichever agency ends the fleet run, its worker sends the owner's summary (``fleet/notify.py``).

With ``fleet run --discover`` (the fleet run's ``discover`` option), items without URLs are first
given the best URL ``discover`` proposes, kept as ``discovered`` (the grid marks them proposed);
otherwise, as in ``audit``, they fail ``no_url_given``.
"""

from __future__ import annotations

import asyncio
import os
import socket
import threading
from pathlib import Path
from typing import Any

from ..audit import plan_audit, run_audit, select_items
from ..config import ItemUrls, LoadedConfig
from ..discover import discover_async
from ..errors import OitCheckerError
from ..exit_codes import exit_code
from ..models import AuditResult
from ..recorder import Recorder
from ..report import Format, to_reporter
from ..report.outputs import write_atomic
from ..store import RunState
from ..store.fleet import DONE, FAILED, FleetAgencyRow, FleetStore
from .model import config_from_snapshot
from .notify import finalise_quietly
from .progress import AgencyOutcome, observer_for

AGENCIES_DIR = "agencies"
"""Per-agency reports of a fleet run: ``<reports_dir>/<fleet run>/agencies/<id>.{json,html}``."""
REPORT_FORMATS = (Format.JSON, Format.HTML)


def worker_name() -> str:
    """Who holds a claim: ``pid@host``."""
    return f"{os.getpid()}@{socket.gethostname()}"


def agency_reports_dir(reports_dir: str | Path, fleet_run_id: str) -> Path:
    """Where one fleet run's per-agency reports go (``index.html`` is one level up)."""
    return Path(reports_dir) / fleet_run_id / AGENCIES_DIR


def stored_outcome(row: FleetAgencyRow) -> AgencyOutcome:
    """The outcome a finished agency already has in the store (an idempotent re-run returns it)."""
    counts = {status.value: n for status, n in row.counts.items()}
    if row.state == DONE:
        return AgencyOutcome(row.agency_id, row.run_state or RunState.COMPLETE, counts, run_id=row.run_id or "")
    state = RunState.FAILED if row.state == FAILED else row.state
    return AgencyOutcome(row.agency_id, state, counts, error=row.error or "", run_id=row.run_id or "")


def run_agency(store_target: str | Path, fleet_run_id: str, agency_id: str) -> AgencyOutcome:
    """Claim, audit, record, report and notify one agency of a fleet run; returns its outcome. The
    worker whose agency ends the fleet run sends the owner's summary.

    An agency already done (or failed) is not audited again: its stored outcome is returned.
    """
    outcome = _run_agency(store_target, fleet_run_id, agency_id)
    finalise_quietly(store_target, fleet_run_id)
    return outcome


def _run_agency(store_target: str | Path, fleet_run_id: str, agency_id: str) -> AgencyOutcome:
    with FleetStore(store_target) as store:
        options = store.fleet_run(fleet_run_id).options
        claim = store.claim_agency(fleet_run_id, agency_id, worker=worker_name(),
                                   max_attempts=int(options.get("max_attempts", 3)))
        if not claim.won:
            return stored_outcome(claim.row)
        snapshot = store.agency_snapshot(fleet_run_id, agency_id)
        try:
            loaded = config_from_snapshot(snapshot)
            if options.get("discover"):
                loaded, proposed = with_discovered(loaded)
                if proposed:
                    store.set_discovered(fleet_run_id, agency_id, proposed)
            plan = plan_audit(loaded)
        except Exception as exc:  # noqa: BLE001 - a snapshot this version cannot read: the agency fails, the fleet goes on
            error = f"{type(exc).__name__}: {exc}"
            store.fail_agency(fleet_run_id, agency_id, claim.attempt, None, error)
            return AgencyOutcome(agency_id, RunState.FAILED, error=error[:500])
        except BaseException:  # stopped while discovering: the agency waits for a resume
            store.release_agency(fleet_run_id, agency_id, claim.attempt, None, "the fleet run was stopped")
            raise
        recorder = Recorder(loaded, plan, trigger="fleet", db_path=store_target)
        try:
            with recorder.recording("the fleet run was stopped"):
                store.tag_run(fleet_run_id, agency_id, claim.attempt, plan.run_id)
                # loop signal handlers live in the main thread; a worker auditing in several threads
                # (agencies_per_worker > 1) ends them all on SIGINT with its own handler
                main = threading.current_thread() is threading.main_thread()
                result = run_audit(loaded, plan=plan, observer=observer_for(agency_id), signals=main)
        except Exception as exc:  # noqa: BLE001 - recorded failed (and told) by the recorder; the agency fails
            error = f"{type(exc).__name__}: {exc}"
            store.fail_agency(fleet_run_id, agency_id, claim.attempt, plan.run_id, error)
            return AgencyOutcome(agency_id, RunState.FAILED, error=error[:500], run_id=plan.run_id)
        except BaseException:  # stopped on purpose: the agency waits for a resume, the attempt not counted
            store.release_agency(fleet_run_id, agency_id, claim.attempt, plan.run_id, "the fleet run was stopped")
            raise
        fail_on = str(options.get("fail_on", loaded.config.audit.fail_on))
        won = store.finish_agency(fleet_run_id, agency_id, claim.attempt, plan.run_id, result,
                                  int(exit_code(result, fail_on)))
        if not won:  # another attempt recorded this agency: keep its run, its reports, its messages
            recorder.close()
            return stored_outcome(store.fleet_agency(fleet_run_id, agency_id))
    lang = str(options.get("lang", loaded.config.audit.lang))
    error = ""
    try:
        write_agency_reports(result, options.get("reports_dir"), fleet_run_id, agency_id, lang, fail_on)
    except OitCheckerError as exc:  # the run is recorded; only its files are missing (the grid says so)
        error = str(exc)
    recorder.notify(result)  # its contacts: what the recorded run changed (a failing channel is recorded, not raised)
    state = RunState.COMPLETE if result.complete else RunState.INCOMPLETE
    return AgencyOutcome(agency_id, state, {s.value: n for s, n in result.counts().items()}, error=error,
                         run_id=plan.run_id)


def write_agency_reports(result: AuditResult, reports_dir: Any, fleet_run_id: str, agency_id: str, lang: str,
                         fail_on: str) -> list[Path]:
    """The agency's own JSON and HTML reports, next to the fleet's ``index.html`` (none without a folder)."""
    if not reports_dir:
        return []
    folder = agency_reports_dir(reports_dir, fleet_run_id)
    written = []
    for fmt in REPORT_FORMATS:
        path = folder / f"{agency_id}.{fmt.value}"
        write_atomic(path, to_reporter(fmt, lang, fail_on=fail_on).render(result), lang)
        written.append(path)
    return written


def with_discovered(loaded: LoadedConfig) -> tuple[LoadedConfig, dict[str, str]]:
    """``loaded`` with each item that has no URL given the best URL ``discover`` proposes (item
    code -> URL). Items without a good candidate, or a crawl that fails, stay without a URL."""
    empty = [item.code for item in select_items(loaded, None) if not loaded.urls_for(item.code)]
    if not empty:
        return loaded, {}
    try:
        found = asyncio.run(discover_async(loaded, items=empty, top=1))
    except Exception:  # noqa: BLE001 - no proposal: the items fail no_url_given, as without --discover
        return loaded, {}
    proposed = {p.code: candidate.url for p in found.items if (candidate := p.proposed) is not None}
    if not proposed:
        return loaded, {}
    items = {**loaded.config.items, **{code: ItemUrls(urls=(url,)) for code, url in proposed.items()}}
    config = loaded.config.model_copy(update={"items": items})
    return LoadedConfig(config, loaded.checklist, loaded.path, loaded.choice, loaded.base_dir), proposed
