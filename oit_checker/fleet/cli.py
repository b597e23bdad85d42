"""``oit-checker fleet run|status``: many agencies on this machine, and where a fleet run stands.

``fleet run`` loads the fleet file (its errors exit 2, like a config's), records a fleet run with
each agency's config snapshot in the store, audits the agencies in worker processes
(``embedded.run_embedded`` running ``task.run_agency``), then prints the grid, writes
``index.html`` next to the agencies' own reports and exits with the fleet's worst-status code.
``--resume`` continues the newest unfinished fleet run of the same file: agencies already finished
are not audited again. ``fleet status`` reads the same from the store, while a run goes on or after.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import secrets
from functools import partial
from pathlib import Path
from types import ModuleType

from rich.console import Console

from .. import __version__
from ..checklist import load_checklist
from ..errors import ConfigError, OitCheckerError
from ..exit_codes import ExitCode
from ..fetch.limits import ProcessLimiter
from ..messages import ui
from ..models import Status
from ..recorder import STORAGE_URL_ENV, scope_of
from ..report.fleet import FleetFormat, render_html
from ..report.outputs import emit_fleet, plan_fleet_outputs, write_atomic
from ..store import default_db_path, is_url, redact
from ..store.fleet import DONE, FAILED, FLEET_RUNNING, PENDING, RUNNING, FleetAgencyPlan, FleetRunRow, FleetStore
from .embedded import run_embedded
from .model import LoadedFleet, effective_jobs, load_fleet
from .notify import send_summary_if_ended, summary_options
from .progress import FleetProgress
from .task import AGENCIES_DIR, run_agency
from .view import AgencyState, AgencyView, Cell, ChecklistColumns, FleetRunMeta, FleetView, fleet_exit_code

INDEX = "index.html"
EXAMPLES = {
    "fleet": "examples:\n  oit-checker fleet run fleet.toml                 # every agency, one worker per CPU\n"
             "  oit-checker fleet run fleet.toml --jobs 4 --format json -o fleet.json\n"
             "  oit-checker fleet run fleet.toml --resume        # continue after a crash or Ctrl-C\n"
             "  oit-checker fleet status                         # the newest fleet run: counts and grid\n"
             "exit codes: 0 all pass, 1 some item fails, 2 fleet file error, 3 an agency run not complete,"
             " 4 unverified only\nthe fleet file: docs/fleet.md",
}
EXAMPLES["fleet"] += ("\nworkers on several machines (Redis broker, PostgreSQL history):\n"
                      "  oit-checker fleet run fleet.toml --broker redis://10.0.0.5:6379/0")
EXAMPLES["fleet run"] = EXAMPLES["fleet"]
EXAMPLES["worker"] = ("examples:\n  oit-checker worker --broker redis://10.0.0.5:6379/0            # one pool process per CPU\n"
                      "  oit-checker worker --broker redis://10.0.0.5:6379/0 --concurrency 4 --agency-minutes 60\n"
                      "then, from any machine: oit-checker fleet run fleet.toml --broker redis://10.0.0.5:6379/0\n"
                      "SIGTERM: the worker takes no new agency, lets running ones finish, then stops; docs/fleet.md, "
                      "\"Workers on several machines\"")
EXAMPLES["fleet status"] = ("examples:\n  oit-checker fleet status                     # the newest fleet run in the history\n"
                            "  oit-checker fleet status 20261203T0100 --fleet fleet.toml   # a unique prefix of its id\n"
                            "  oit-checker fleet status --format csv -o grid.csv")


def store_target(fleet: LoadedFleet) -> Path | str:
    """The fleet's history: ``$OIT_CHECKER_STORAGE_URL``, ``[storage] url``, ``[storage] path`` (relative
    to the fleet file), else the user's data directory."""
    from_env = os.environ.get(STORAGE_URL_ENV, "").strip()
    storage = fleet.fleet.storage
    if from_env and is_url(from_env):
        return from_env
    if storage.url:
        return storage.url
    if storage.path:
        return fleet.resolve(storage.path)
    return default_db_path()


def new_fleet_run_id(now: dt.datetime) -> str:
    """A fleet run id: UTC time, ``-fleet-`` and a random suffix (sorts with the run ids)."""
    return now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ") + "-fleet-" + secrets.token_hex(3)


def agency_plans(fleet: LoadedFleet) -> list[FleetAgencyPlan]:
    """What a new fleet run records per agency: its names, history scope and config snapshot."""
    return [FleetAgencyPlan(agency_id, agency.loaded.agency.name, agency.loaded.agency.homepage,
                            scope_of(agency.loaded), agency.loaded.checklist.id, fleet.snapshot(agency_id))
            for agency_id, agency in fleet.agencies.items()]


def _resumed(store: FleetStore, fleet: LoadedFleet, ref: str, sha: str, lang: str) -> FleetRunRow:
    """The fleet run ``--resume [RUN]`` continues; a changed fleet file or another fleet is refused."""
    name, file = fleet.settings.name, str(fleet.path)
    if ref:
        run = store.fleet_run(ref)
        if store.is_alive(run):
            raise ConfigError(file, "", ui("fleet_cli_still_running", lang, run=run.id),
                              ui("fleet_cli_still_running_hint", lang))
    else:
        found = store.resumable_fleet_run(name, sha)
        if found is None:
            changed = [r for r in store.fleet_runs(name, limit=5) if r.state != "complete" and r.fleet_sha256 != sha]
            if changed:
                raise ConfigError(file, "", ui("fleet_cli_changed", lang, run=changed[0].id),
                                  ui("fleet_cli_changed_hint", lang))
            raise ConfigError(file, "", ui("fleet_cli_nothing_to_resume", lang, name=name, db=store.name),
                              ui("fleet_cli_nothing_to_resume_hint", lang))
        run = found
    if run.name != name:
        raise ConfigError(file, "fleet.name", ui("fleet_cli_other_fleet", lang, run=run.id, other=run.name, name=name),
                          ui("fleet_cli_other_fleet_hint", lang))
    if run.fleet_sha256 != sha:
        raise ConfigError(file, "", ui("fleet_cli_changed", lang, run=run.id), ui("fleet_cli_changed_hint", lang))
    return run


def cmd_fleet_run(args: argparse.Namespace, stdout: Console, stderr: Console) -> ExitCode:
    """``oit-checker fleet run FLEET.toml``."""
    fleet = load_fleet(args.fleet)
    lang = args.lang or fleet.settings.lang
    fail_on = args.fail_on or "fail"
    outputs = plan_fleet_outputs(args.format, args.output, lang)
    if args.jobs is not None and args.jobs < 1:
        raise ConfigError("--jobs", "", ui("fleet_cli_jobs", lang), ui("fleet_cli_jobs_hint", lang))
    jobs = args.jobs or effective_jobs(fleet.limits)
    limits = fleet.limits
    per_worker = limits.agencies_per_worker
    target = store_target(fleet)
    if args.broker:  # before anything is recorded: Redis answers, the history is shareable
        _celery(lang).shared_target(target, lang)
        _celery(lang).check_broker(args.broker, lang)
    sha = hashlib.sha256(fleet.path.read_bytes()).hexdigest()
    with FleetStore(target) as store:
        if args.resume is not None:
            run = _resumed(store, fleet, args.resume, sha, lang)
            fleet_run_id, options = run.id, run.options
            store.resume_fleet_run(fleet_run_id)
            todo = [a.agency_id for a in store.fleet_agencies(fleet_run_id) if a.state in (PENDING, RUNNING)]
            jobs = max(1, min(jobs, -(-len(todo) // per_worker)))  # no idle worker processes (~50 MB each)
            started = ui("fleet_cli_resumed", lang, run=fleet_run_id, left=len(todo), n=run.n_agencies, jobs=jobs,
                         db=store.name)
        else:
            fleet_run_id = new_fleet_run_id(dt.datetime.now(dt.UTC))
            options = {"reports_dir": str(fleet.reports_dir), "max_attempts": limits.max_attempts, "fail_on": fail_on,
                       "lang": lang, "jobs": jobs, "discover": bool(args.discover), **summary_options(fleet)}
            store.begin_fleet_run(fleet_run_id, name=fleet.settings.name, fleet_path=str(fleet.path.resolve()),
                                  fleet_sha256=sha, agencies=agency_plans(fleet), options=options,
                                  mode="celery" if args.broker else "embedded", trigger=args.trigger)
            todo = list(fleet.agencies)
            jobs = max(1, min(jobs, -(-len(todo) // per_worker)))
            started = ui("fleet_cli_started", lang, run=fleet_run_id, n=len(todo), jobs=jobs, db=store.name)
    if args.broker:
        if not _on_workers(args, fleet, target, fleet_run_id, todo, lang, stderr):
            return ExitCode.OK
    else:
        if not args.quiet:
            stderr.print(started, markup=False, highlight=False, soft_wrap=True)
        limiter = partial(ProcessLimiter, limits.max_concurrency, limits.per_host_concurrency,
                          limits.per_host_interval)
        with FleetProgress(len(todo), lang, stream=stderr.file, quiet=args.quiet) as shown:
            result = run_embedded(jobs, todo, partial(run_agency, target, fleet_run_id), limiter=limiter,
                                  on_event=shown.handle, max_attempts=limits.max_attempts, per_worker=per_worker)
    with FleetStore(target) as store:
        if not args.broker:
            for agency_id, outcome in result.outcomes.items():
                if outcome.state == AgencyState.FAILED and agency_id not in result.not_run:
                    store.fail_lost(fleet_run_id, agency_id, outcome.error or "failed")
        store.finish_fleet_run(fleet_run_id)
        view = view_from_store(store, fleet_run_id)
    index = Path(str(options.get("reports_dir") or fleet.reports_dir)) / fleet_run_id / INDEX
    write_atomic(index, render_html(view, lang, fail_on), lang)
    send_summary_if_ended(target, fleet_run_id)  # an interrupted run, or agencies the pool gave up on
    emit_fleet(outputs, view, lang=lang, fail_on=fail_on, quiet=args.quiet, stdout=stdout, stderr=stderr)
    if not args.quiet:
        stderr.print(ui("fleet_cli_index", lang, path=str(index)), markup=False, highlight=False, soft_wrap=True)
    return fleet_exit_code(view, fail_on)


def _celery(lang: str) -> ModuleType:
    """``fleet.celery_app``, or a one-line error naming the extra to install (exit 2)."""
    try:
        from . import celery_app
    except ImportError as exc:
        raise OitCheckerError(ui("fleet_worker_missing", lang)) from exc
    return celery_app


def _on_workers(args: argparse.Namespace, fleet: LoadedFleet, target: Path | str, fleet_run_id: str,
                todo: list[str], lang: str, stderr: Console) -> bool:
    """``fleet run --broker``: queue the agencies for the workers, then follow them in the store
    until all are done (True); False with ``--no-wait``."""
    celery = _celery(lang)
    sent = celery.enqueue_fleet(args.broker, target, fleet_run_id, todo, queue=args.queue,
                                limits=celery.Limits.of(fleet.limits), lang=lang)
    if not args.quiet:
        stderr.print(ui("fleet_worker_queued", lang, run=fleet_run_id, n=sent, queue=args.queue,
                        broker=celery.redact_url(args.broker), db=redact(target)),
                     markup=False, highlight=False, soft_wrap=True)
    if args.no_wait:
        stderr.print(ui("fleet_worker_no_wait", lang, run=fleet_run_id, fleet=args.fleet), markup=False, highlight=False,
                     soft_wrap=True)
        return False
    with FleetProgress(len(todo), lang, stream=stderr.file, quiet=args.quiet) as shown:
        try:
            celery.follow_fleet(target, fleet_run_id, shown.handle, poll=1.0, only=todo)
        except KeyboardInterrupt:
            shown.notice("fleet_worker_stopped_following", run=fleet_run_id, fleet=args.fleet)
            raise
    return True


def cmd_worker(args: argparse.Namespace, stdout: Console, stderr: Console) -> int:
    """``oit-checker worker --broker URL``: a Celery worker auditing queued agencies until stopped."""
    lang = args.lang or "th"
    celery = _celery(lang)
    for name in ("concurrency", "agency_minutes", "visibility_margin", "restore_interval"):
        if getattr(args, name) is not None and getattr(args, name) <= 0:
            raise ConfigError("--" + name.replace("_", "-"), "", "must be above 0")
    timing = celery.Timing(args.agency_minutes, args.visibility_margin, args.restore_interval)
    celery.check_broker(args.broker, lang)
    stderr.print(ui("fleet_worker_starting", lang, queue=args.queue, broker=celery.redact_url(args.broker),
                    concurrency=args.concurrency or os.cpu_count() or 1, minutes=timing.agency_minutes),
                 markup=False, highlight=False, soft_wrap=True)
    return int(celery.run_worker(args.broker, args.concurrency, args.loglevel, queue=args.queue, timing=timing,
                                 lang=lang))


def add_worker_command(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                       fmt: type[argparse.HelpFormatter]) -> None:
    """``worker`` (registered by ``oit_checker.cli.build_parser``)."""
    worker = sub.add_parser("worker", help="audit agencies queued by `fleet run --broker` (a Celery worker)",
                            formatter_class=fmt, epilog=EXAMPLES["worker"],
                            description="Take agencies of fleet runs from a Redis queue and audit them, recording "
                                        "each in the fleet's PostgreSQL history. Needs pip install "
                                        "'oit-checker[workers]'.")
    worker.add_argument("--broker", required=True, metavar="redis://HOST:6379/0", help="the Redis broker")
    worker.add_argument("--concurrency", type=int, metavar="N", help="pool processes (default: one per CPU)")
    _queue_option(worker)
    worker.add_argument("--agency-minutes", type=float, default=30.0, metavar="MIN",
                        help="the longest [fleet.limits] agency_minutes served; the hard time limit is this plus "
                             "5 minutes (default: 30)")
    worker.add_argument("--visibility-margin", type=float, default=600.0, metavar="S",
                        help="seconds past the hard time limit before an agency of a lost worker is given to "
                             "another (default: 600)")
    worker.add_argument("--restore-interval", type=float, default=10.0, metavar="S",
                        help="seconds between looks for agencies of lost workers (default: 10)")
    worker.add_argument("--loglevel", default="info", choices=["debug", "info", "warning", "error"])
    worker.add_argument("--lang", choices=["th", "en"], help="language of the messages (default: th)")
    worker.set_defaults(func=cmd_worker)


def _queue_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--queue", default="oit-checker", metavar="NAME",
                        help="the queue (and Redis key prefix) shared by `fleet run --broker` and its workers "
                             "(default: oit-checker)")


def cmd_fleet_status(args: argparse.Namespace, stdout: Console, stderr: Console) -> ExitCode:
    """``oit-checker fleet status [RUN]``: counts by agency state, then the grid, from the store."""
    fleet = load_fleet(args.fleet) if args.fleet else None
    lang = args.lang or (fleet.settings.lang if fleet else "th")
    fail_on = args.fail_on or "fail"
    outputs = plan_fleet_outputs(args.format, args.output, lang)
    target: Path | str = (args.db if is_url(args.db) else Path(args.db)) if args.db else \
        store_target(fleet) if fleet else default_db_path()
    with FleetStore(target, create=False) as store:
        if args.run:
            run = store.fleet_run(args.run)
        else:
            runs = store.fleet_runs(fleet.settings.name if fleet else None, limit=1)
            if not runs:
                raise OitCheckerError(ui("fleet_cli_no_runs", lang, db=redact(target)))
            run = runs[0]
        counts = store.fleet_progress(run.id)
        view = view_from_store(store, run.id)
    line = ui("fleet_cli_progress", lang, run=run.id, name=run.name, state=ui(f"fleet_cli_state_{run.state}", lang),
              total=sum(counts.values()), **counts)
    screen = next((o for o in outputs if o.path is None), None)
    (stdout if screen is not None and screen.format is FleetFormat.CONSOLE else stderr).print(
        line, markup=False, highlight=False, soft_wrap=True)
    emit_fleet(outputs, view, lang=lang, fail_on=fail_on, quiet=args.quiet, stdout=stdout, stderr=stderr)
    return fleet_exit_code(view, fail_on)


def _agency_state(state: str, run_state: str | None, fleet_state: str) -> AgencyState:
    if state == DONE:
        return AgencyState.INCOMPLETE if run_state == "incomplete" else AgencyState.COMPLETE
    if state == FAILED:
        return AgencyState.FAILED
    if fleet_state != FLEET_RUNNING:
        return AgencyState.INTERRUPTED
    return AgencyState.RUNNING if state == RUNNING else AgencyState.PENDING


def _columns(checklist_id: str) -> ChecklistColumns:
    """A checklist's columns by id (a user's list not bundled: its codes come from the agencies' items)."""
    try:
        checklist = load_checklist(checklist_id)
    except OitCheckerError:
        return ChecklistColumns(checklist_id)
    return ChecklistColumns(checklist.id, checklist.title_th, tuple((i.code, i.name_th, i.name_en)
                                                                    for i in checklist.items))


def view_from_store(store: FleetStore, fleet_run_id: str) -> FleetView:
    """The fleet run as the reports show it, read from the store (agencies in report order)."""
    run = store.fleet_run(fleet_run_id)
    columns: dict[str, ChecklistColumns] = {}
    rows = []
    for agency in store.fleet_agencies(fleet_run_id):
        items = store.items(agency.run_id) if agency.state == DONE and agency.run_id else []
        if agency.checklist_id not in columns:
            columns[agency.checklist_id] = _columns(agency.checklist_id)
        known = columns[agency.checklist_id]
        extra = [(i.code, i.name_th, i.name_en) for i in items if i.code not in known.codes]
        if extra:
            columns[agency.checklist_id] = ChecklistColumns(known.id, known.title, known.items + tuple(extra))
        state = _agency_state(agency.state, agency.run_state, run.state)
        rows.append(AgencyView(
            id=agency.agency_id, name=agency.name, homepage=agency.homepage, checklist_id=agency.checklist_id,
            state=state, seq=agency.seq, run_id=agency.run_id, attempts=agency.attempts, exit_code=agency.exit_code,
            counts={s: agency.counts.get(s, 0) for s in Status},
            reports={kind: f"{AGENCIES_DIR}/{agency.agency_id}.{kind}" for kind in ("html", "json")},
            error=agency.error, items={i.code: Cell(i.status, i.reason, i.url, i.code in agency.discovered)
                                                for i in items}))
    done = all(a.state not in (AgencyState.PENDING, AgencyState.RUNNING, AgencyState.INTERRUPTED) for a in rows)
    meta = FleetRunMeta(run.id, run.name, run.mode, run.trigger, run.started_at, run.finished_at, __version__, done)
    return FleetView(meta, tuple(columns.values()), tuple(sorted(rows, key=AgencyView.sort_key)))


def add_fleet_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                       fmt: type[argparse.HelpFormatter]) -> None:
    """``fleet run`` and ``fleet status`` (registered by ``oit_checker.cli.build_parser``)."""
    fleet = sub.add_parser("fleet", help="audit many agencies from a fleet file; see a fleet run's progress",
                           formatter_class=fmt, epilog=EXAMPLES["fleet"])
    fleet_sub = fleet.add_subparsers(dest="fleet_command", metavar="COMMAND")
    run = fleet_sub.add_parser("run", help="audit every agency of FLEET.toml in worker processes",
                               formatter_class=fmt, epilog=EXAMPLES["fleet run"],
                               description="Audit every agency of the fleet file on this machine, print the grid "
                                           "of agencies x items and write index.html next to each agency's reports.")
    run.add_argument("fleet", metavar="FLEET.toml", help="the fleet file (docs/fleet.md)")
    run.add_argument("--jobs", type=int, metavar="N",
                     help="worker processes (default: [fleet.limits] jobs, else one per CPU, ~1 GB each)")
    run.add_argument("--resume", nargs="?", const="", metavar="RUN",
                     help="continue the newest unfinished fleet run of this same file (or RUN, a unique id "
                          "prefix): agencies already finished are not audited again")
    run.add_argument("--broker", metavar="redis://HOST:6379/0",
                     help="queue the agencies for `oit-checker worker` processes on any machine (Celery over "
                          "Redis) instead of auditing here; the history must be PostgreSQL ([storage] url)")
    _queue_option(run)
    run.add_argument("--discover", action="store_true",
                     help="give items without URLs the URL `discover` proposes (marked proposed in the grid) "
                          "instead of failing them no_url_given")
    run.add_argument("--trigger", default="fleet", choices=["fleet", "schedule"], help=argparse.SUPPRESS)
    run.add_argument("--no-wait", action="store_true",
                     help="with --broker: queue and return at once (follow with `fleet status`)")
    _output_options(run)
    run.set_defaults(func=cmd_fleet_run)
    status = fleet_sub.add_parser("status", help="a fleet run's progress and grid, from the history",
                                  formatter_class=fmt, epilog=EXAMPLES["fleet status"],
                                  description="Show how far a fleet run is (pending, running, done, failed) and "
                                              "its grid so far; default: the newest fleet run.")
    status.add_argument("run", nargs="?", metavar="RUN", help="fleet run id or a unique prefix (default: newest)")
    status.add_argument("--fleet", metavar="FLEET.toml", help="read the history named by this fleet file's [storage]")
    status.add_argument("--db", metavar="PATH|URL", help="the history database (SQLite file or postgresql:// URL)")
    _output_options(status)
    status.set_defaults(func=cmd_fleet_status)
    fleet.set_defaults(func=lambda args, stdout, stderr: _help(fleet, stdout))


def _help(parser: argparse.ArgumentParser, stdout: Console) -> ExitCode:
    parser.print_help()
    return ExitCode.USAGE


def _output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", action="append", choices=[f.value for f in FleetFormat],
                        help="report format (default: console grid); repeat for several")
    parser.add_argument("-o", "--output", action="append", metavar="FILE",
                        help="write a report to FILE ('-' = standard output); beyond the --format values the "
                             "extension decides (.html .csv .json .txt)")
    parser.add_argument("--lang", choices=["th", "en"], help="language of the reports (default: [fleet] lang)")
    parser.add_argument("--fail-on", choices=["warn", "fail"], help="exit 1 on warnings too with 'warn'")
    parser.add_argument("-q", "--quiet", action="store_true", help="only the summary line; no progress")
