"""The ``oit-checker`` command: parse arguments, call the library, render, return an exit code."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import NoReturn

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from . import __version__
from .audit import plan_audit, run_audit
from .checklist import load_checklist
from .config import LoadedConfig, load_config
from .errors import ConfigError, OitCheckerError
from .exit_codes import ExitCode, exit_code
from .fleet import cli as fleet_cli
from .messages import ui
from .recorder import Recorder, open_history
from .report import Format
from .report.history import pick_diff, print_diff, print_history, print_recorded
from .report.outputs import emit, plan_outputs


class _ProgressObserver:
    """Shows a progress bar on a terminal while URLs are fetched."""

    def __init__(self, progress: Progress, label: str) -> None:
        self.progress = progress
        self.label = label
        self.task = progress.add_task(label, total=None)

    def started(self, total: int) -> None:
        self.progress.update(self.task, total=total)

    def advanced(self, url: str) -> None:
        self.progress.advance(self.task)

    def crawled(self, pages: int) -> None:
        self.progress.update(self.task, description=f"{self.label} ({pages})")


def _audit_and_report(loaded: LoadedConfig, args: argparse.Namespace, stdout: Console,
                      stderr: Console) -> ExitCode:
    lang = args.lang or loaded.config.audit.lang
    fail_on = args.fail_on or loaded.config.audit.fail_on
    plan = plan_outputs(args.format, args.output, lang)
    audit_plan = plan_audit(loaded, args.item)  # an unknown --item is a usage error, not a failed run
    with Recorder(loaded, audit_plan, enabled=not args.no_store).recording() as recorder, \
            Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                     console=stderr, transient=True, disable=not stderr.is_terminal or args.quiet) as progress:
        # signals: SIGINT/SIGTERM end the run early; the partial report and history row are still written
        result = run_audit(loaded, plan=audit_plan, browser=args.browser, warc=args.warc or None, signals=True,
                           observer=_ProgressObserver(progress, ui("progress", lang)))
    recorded = recorder.finish(result)
    emit(plan, result, lang=lang, fail_on=fail_on, quiet=args.quiet, stdout=stdout, stderr=stderr)
    print_recorded(recorded, stderr, lang, quiet=args.quiet)
    return exit_code(result, fail_on)


def cmd_audit(args: argparse.Namespace, stdout: Console, stderr: Console) -> ExitCode:
    """``oit-checker audit``."""
    return _audit_and_report(load_config(args.config), args, stdout, stderr)


def cmd_demo(args: argparse.Namespace, stdout: Console, stderr: Console) -> ExitCode:
    """``oit-checker demo``: serve the bundled demo site on 127.0.0.1 and audit it."""
    from .demo import demo_config, start_demo_server

    with start_demo_server() as server:
        loaded = demo_config(server.base_url)
        if not args.quiet:
            stderr.print(ui("demo_serving", args.lang or "th", url=server.base_url + "/"))
        return _audit_and_report(loaded, args, stdout, stderr)


def cmd_history(args: argparse.Namespace, stdout: Console, stderr: Console) -> ExitCode:
    """``oit-checker history``: recent runs with their counts, and each item's failing streak."""
    with open_history(args.config, args.db) as history:
        print_history(history.store, history.scope, stdout, args.lang or history.lang, limit=args.limit,
                      item=args.item_code, db=str(history.db_path))
    return ExitCode.OK


def cmd_diff(args: argparse.Namespace, stdout: Console, stderr: Console) -> ExitCode:
    """``oit-checker diff [RUN_A [RUN_B]]``: what changed between two runs; exit 1 when something regressed."""
    with open_history(args.config, args.db) as history:
        diff = pick_diff(history.store, history.scope, args.run_a, args.run_b)
        print_diff(diff, stdout, args.lang or history.lang)
    return ExitCode.FAILED if diff.regressed else ExitCode.OK


def cmd_schedule(args: argparse.Namespace, stdout: Console, stderr: Console) -> ExitCode:
    """``oit-checker schedule``: audit on the ``[schedule]`` cron until SIGTERM/SIGINT."""
    from .schedule import serve

    return ExitCode(serve(args.config, run_now=args.now, lang=args.lang, fleet=args.fleet, broker=args.broker))


def cmd_discover(args: argparse.Namespace, stdout: Console, stderr: Console) -> ExitCode:
    """``oit-checker discover``: crawl the main website and propose a URL for every item."""
    from .config_edit import fill_item_urls
    from .discover import run_discover
    from .discover_carry import carry_over
    from .report.discovery import discovery_text, print_discovery

    loaded, old_id = load_config(args.config), ""
    lang = args.lang or loaded.config.audit.lang
    carried = None
    if args.checklist:  # the config's items were written for another list: carry their URLs over
        if args.write:
            raise ConfigError("--checklist", "", "cannot be combined with --write (the config's items are for "
                              f"{loaded.checklist.id})", "write the block with -o items.toml, then set [audit] "
                                                         "checklist and paste it")
        old_id = loaded.checklist.id
        loaded, carried = carry_over(loaded, load_checklist(args.checklist, relative_to=Path.cwd()))
    with Progress(TextColumn("{task.description}"), TimeElapsedColumn(), console=stderr, transient=True,
                  disable=args.quiet or not stderr.is_terminal) as progress:
        task = progress.add_task(ui("crawl_progress", lang, pages=0))
        result = run_discover(loaded, items=args.item, top=args.top, max_pages=args.max_pages, carried=carried,
                              carried_from=old_id,
                              progress=lambda n: progress.update(task, description=ui("crawl_progress", lang, pages=n)))
    fmt = args.format or ("toml" if args.output else "console")
    if args.output:
        Path(args.output).write_text(discovery_text(result, fmt, lang), encoding="utf-8")
        stderr.print(ui("discover_written", lang, path=args.output), markup=False)
    elif fmt == "console":
        print_discovery(result, stdout, lang)
    else:
        stdout.out(discovery_text(result, fmt, lang), end="", highlight=False)
    if args.write:
        filled = fill_item_urls(args.config, result.proposed_urls())
        stderr.print(ui("discover_config_updated", lang, path=args.config, count=filled), markup=False)
    return ExitCode.OK if result.complete else ExitCode.INCOMPLETE


def cmd_checklist_list(args: argparse.Namespace, stdout: Console, stderr: Console) -> ExitCode:
    """``oit-checker checklist list``: general lists first, then each kind; newest first."""
    from .checklist_tools import list_rows

    table = Table("id", "year", "kind", "items", "partial", "confirmed", "title")
    for row in list_rows():
        table.add_row(*(Text(cell) for cell in row))
    stdout.print(table)
    return ExitCode.OK


def cmd_checklist_new(args: argparse.Namespace, stdout: Console, stderr: Console) -> ExitCode:
    """``oit-checker checklist new --from ID -o FILE``: a commented copy to edit, under a new id."""
    from .checklist_tools import new_checklist_text, text, write_new

    output = Path(args.output)
    content, source, copy = new_checklist_text(args.source, output, args.id)
    write_new(content, output, args.force)
    stderr.print(text("written", args.lang, path=args.output, id=copy.id, count=len(copy.items), source=source.id),
                 markup=False)
    return ExitCode.OK


def cmd_checklist_check(args: argparse.Namespace, stdout: Console, stderr: Console) -> ExitCode:
    """``oit-checker checklist check FILE``: the loader's errors (exit 2), then warnings (exit 0)."""
    from .checklist_tools import check_file, text

    checklist, warnings = check_file(args.file)  # a ConfigError exits 2, as for the audit
    partial = text("partial", args.lang) if checklist.partial else ""
    stdout.print(Text(text("valid", args.lang, id=checklist.id, year=checklist.assessment_year, kind=checklist.kind,
                           count=len(checklist.items), partial=partial), style="green"))
    for warning in warnings:
        stdout.print(Text.assemble((f"{text('warning', args.lang)} [{warning.code}] ", "yellow"),
                                   f"{args.file}: {warning.where}: ", warning.en if args.lang == "en" else warning.th))
    if warnings:
        stdout.print(Text(text("warnings", args.lang, count=len(warnings)), style="dim"))
    return ExitCode.OK


def cmd_checklist_diff(args: argparse.Namespace, stdout: Console, stderr: Console) -> ExitCode:
    """``oit-checker checklist diff OLD NEW``: items renumbered, renamed, merged, split, added, dropped."""
    import json

    from .checklist_diff import diff_checklists
    from .checklist_tools import diff_renderables

    diff = diff_checklists(load_checklist(args.old), load_checklist(args.new))
    if args.format == "json":
        stdout.out(json.dumps(diff.to_dict(), ensure_ascii=False, indent=2), highlight=False)
        return ExitCode.OK
    for renderable in diff_renderables(diff, args.lang):
        stdout.print(renderable)
    return ExitCode.OK


def cmd_checklist_show(args: argparse.Namespace, stdout: Console, stderr: Console) -> ExitCode:
    """``oit-checker checklist show ID``."""
    checklist = load_checklist(args.id, relative_to=Path.cwd())
    stdout.print(Text.assemble((checklist.id, "bold"), f"  {checklist.title_th}  (B.E. {checklist.assessment_year})"))
    if checklist.notes:
        stdout.print(checklist.notes, style="dim", markup=False)
    table = Table("code", "name", "group", "period", "confidence", "elements", show_lines=False)
    for item in checklist.items:
        table.add_row(*(Text(cell) for cell in (item.code, item.name_th, item.group, item.period.value,
                                                 item.confidence.value, ", ".join(e.name for e in item.elements))))
    stdout.print(table)
    return ExitCode.OK


EXAMPLES = {
    "audit": "examples:\n  oit-checker audit -c config.toml\n  oit-checker audit --item O24 --item O41 --lang en\n"
             "  oit-checker audit --format json -o report.json\n"
             "  oit-checker audit --format html -o report.html --format itas-csv -o itas.csv\n"
             "  oit-checker audit -o report.html -o junit.xml      # formats from the extensions",
    "demo": "example:\n  oit-checker demo            # serve the demo site and audit it (exits 1: it has failures)",
    "checklist": "examples:\n  oit-checker checklist list                       # bundled lists: year, kind, items\n"
                 "  oit-checker checklist show ita-2568\n"
                 "  oit-checker checklist new --from ovec-2569 -o ita/college-2569.toml   # a copy to edit\n"
                 "  oit-checker checklist check ita/college-2569.toml   # errors exit 2; warnings exit 0\n"
                 "  oit-checker checklist diff ita-2568 ita-2569      # renumbered, merged, added, dropped items",
    "checklist new": "ตัวอย่าง / examples:\n"
                     "  oit-checker checklist new --from ovec-2569 -o ita/college-2569.toml\n"
                     "  oit-checker checklist new --from ita-2568 -o my-list.toml --id my-agency-2568 --force\n"
                     "the id is new already: edit title_th and sources first, then run `oit-checker checklist check FILE`\n"
                     "(format: checklists/README.md)",
    "checklist check": "ตัวอย่าง / examples:\n  oit-checker checklist check ita/college-2569.toml\n"
                       "exit codes: 0 valid (warnings may be printed), 2 invalid: file, item and key are named",
    "checklist diff": "ตัวอย่าง / examples:\n  oit-checker checklist diff ita-2568 ita-2569\n"
                      "  oit-checker checklist diff ita-2568 my-list.toml --format json\n"
                      "items are paired by their Thai names, not their codes",
    "discover": "examples:\n  oit-checker discover -c config.toml           # candidates per item, best first\n"
                "  oit-checker discover -o items.toml           # a ready [items] block for config.toml\n"
                "  oit-checker discover --write                 # fill the proposals into config.toml's empty items\n"
                "  oit-checker discover --checklist ita-2569 -o items-2569.toml   # last year's URLs carried over\n"
                "exit codes: 0 done, 2 config error, 3 the homepage could not be read",
    "history": "examples:\n  oit-checker history                 # recent runs and each item's failing streak\n"
               "  oit-checker history --item O24      # one item across runs",
    "diff": "examples:\n  oit-checker diff                    # the last two complete runs\n"
            "  oit-checker diff 20250101T190000Z    # that run against the latest (a unique prefix is enough)\n"
            "exit codes: 0 nothing regressed, 1 some item regressed, 2 unknown run or too little history",
    "schedule": "examples:\n  oit-checker schedule -c config.toml        # cron from [schedule], default 0 2 * * *\n"
                "  oit-checker schedule --now                 # one run now, then on the cron\n"
                "  oit-checker schedule --fleet fleet.toml    # the fleet on [fleet.schedule], on this machine\n"
                "  oit-checker schedule --fleet fleet.toml --broker redis://127.0.0.1:6379/0   # queued for workers\n"
                "stops cleanly on SIGTERM or Ctrl-C; systemd and crontab setups: docs/nightly.md",
    **fleet_cli.EXAMPLES,
}


def _add_report_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--item", action="extend", type=lambda s: [c for c in s.split(",") if c],
                        metavar="CODE", help="audit only these items (repeat, or comma-separated)")
    parser.add_argument("--format", action="append", choices=[f.value for f in Format],
                        help="report format (default: console); repeat for several reports in one run")
    parser.add_argument("-o", "--output", action="append", metavar="FILE",
                        help="write a report to FILE ('-' = standard output): the n-th -o is the file of the "
                             "n-th --format; an -o beyond them takes its format from the extension (.html .md "
                             ".xml=junit .csv=itas-csv .json .txt=console). At most one report goes to standard "
                             "output; the summary line still prints")
    parser.add_argument("--lang", choices=["th", "en"], help="language of messages (default: th)")
    parser.add_argument("--fail-on", choices=["warn", "fail"], help="exit 1 on warnings too with 'warn'")
    parser.add_argument("-q", "--quiet", action="store_true", help="only the summary line; no progress")
    parser.add_argument("--browser", choices=["auto", "always", "never"],
                        help="open pages in Chromium: auto = only pages that need it (script-built, social "
                             "networks), always = every HTML page, never (default: [browser] mode, auto)")
    parser.add_argument("--warc", action="store_true",
                        help="also keep the fetched responses as a WARC file in the run's evidence")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for the docs and tests)."""
    fmt = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog="oit-checker", formatter_class=fmt,
        description="Audit a Thai agency's main website against the NACC ITA OIT disclosure items.",
        epilog="examples:\n  oit-checker demo\n  oit-checker audit -c config.toml\n  oit-checker checklist list\n\n"
               "exit codes: 0 pass/warn, 1 fail, 2 usage or config error, 3 run incomplete, 4 unverified only")
    parser.add_argument("--version", action="version", version=f"oit-checker {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    audit = sub.add_parser("audit", help="audit every item of config.toml", formatter_class=fmt,
                           description="Fetch and check every item URL of the agency config.",
                           epilog=EXAMPLES["audit"])
    audit.add_argument("-c", "--config", default="config.toml", help="agency config file (default: config.toml)")
    _add_report_options(audit)
    audit.add_argument("--no-store", action="store_true", help="do not save this run in the history")
    audit.set_defaults(func=cmd_audit)
    demo = sub.add_parser("demo", help="serve the bundled demo site and audit it", formatter_class=fmt,
                          description="Serve a demo department site on 127.0.0.1 and audit it.",
                          epilog=EXAMPLES["demo"])
    _add_report_options(demo)
    demo.set_defaults(func=cmd_demo, no_store=True)
    _add_checklist_commands(sub, fmt)
    _add_history_commands(sub, fmt)
    _add_discover_command(sub, fmt)
    fleet_cli.add_fleet_commands(sub, fmt)
    fleet_cli.add_worker_command(sub, fmt)
    return parser


def _add_checklist_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                            fmt: type[argparse.HelpFormatter]) -> None:
    checklist = sub.add_parser("checklist", help="list, show, copy, check or compare checklists", formatter_class=fmt,
                               epilog=EXAMPLES["checklist"])
    checklist_sub = checklist.add_subparsers(dest="checklist_command", metavar="ACTION", required=True)
    checklist_sub.add_parser("list", help="the bundled checklists").set_defaults(func=cmd_checklist_list)
    show = checklist_sub.add_parser("show", help="the items of one checklist (bundled id or path)")
    show.add_argument("id", help="e.g. ita-2565, or path/to/checklist.toml")
    show.set_defaults(func=cmd_checklist_show)
    new = checklist_sub.add_parser("new", help="write a commented copy of a checklist to edit", formatter_class=fmt,
                                   description="คัดลอกรายการตรวจเพื่อแก้เป็นของหน่วยงาน / Copy a checklist, with "
                                               "comments, under a new id, to edit into your own list.",
                                   epilog=EXAMPLES["checklist new"])
    new.add_argument("--from", dest="source", required=True, metavar="ID|PATH", help="bundled id or path to copy")
    new.add_argument("-o", "--output", required=True, metavar="FILE", help="the new checklist file")
    new.add_argument("--id", help="the new list's id (default: from the file name, else my-<source id>)")
    new.add_argument("--force", action="store_true", help="replace FILE when it exists")
    new.add_argument("--lang", choices=["th", "en"], default="th", help="language of messages (default: th)")
    new.set_defaults(func=cmd_checklist_new)
    check = checklist_sub.add_parser("check", help="validate a checklist file and warn about weak rules",
                                     formatter_class=fmt, epilog=EXAMPLES["checklist check"],
                                     description="ตรวจไฟล์รายการตรวจ / Validate a checklist file as the audit "
                                                 "would, then warn about what is valid but weak.")
    check.add_argument("file", metavar="FILE", help="checklist file (or a bundled id)")
    check.add_argument("--lang", choices=["th", "en"], default="th", help="language of messages (default: th)")
    check.set_defaults(func=cmd_checklist_check)
    diff = checklist_sub.add_parser("diff", help="which items were renumbered, merged, added or dropped",
                                    formatter_class=fmt, epilog=EXAMPLES["checklist diff"],
                                    description="เทียบรายการตรวจสองปี / Compare two checklists item by item "
                                                "(paired by name similarity).")
    diff.add_argument("old", metavar="OLD", help="bundled id or path, e.g. ita-2568")
    diff.add_argument("new", metavar="NEW", help="bundled id or path, e.g. ita-2569")
    diff.add_argument("--format", choices=["console", "json"], default="console", help="table (default) or JSON")
    diff.add_argument("--lang", choices=["th", "en"], default="th", help="language of messages (default: th)")
    diff.set_defaults(func=cmd_checklist_diff)


def _add_history_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                          fmt: type[argparse.HelpFormatter]) -> None:
    def common(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("-c", "--config", help="agency config file (default: config.toml when it exists)")
        parser.add_argument("--db", metavar="FILE", help="history database (default: [storage] path, or the "
                                                         "user's data directory)")
        parser.add_argument("--lang", choices=["th", "en"], help="language of messages (default: th)")

    history = sub.add_parser("history", help="recent runs and each item's trend", formatter_class=fmt,
                             description="Recent runs with their counts, and how long each item has failed.",
                             epilog=EXAMPLES["history"])
    common(history)
    history.add_argument("-n", "--limit", type=int, default=20, help="how many runs (default: 20)")
    history.add_argument("--item", dest="item_code", metavar="CODE", help="one item's verdict in every run")
    history.set_defaults(func=cmd_history)
    diff = sub.add_parser("diff", help="what changed between two runs", formatter_class=fmt,
                          description="Items that regressed, recovered or changed reason between two runs.",
                          epilog=EXAMPLES["diff"])
    common(diff)
    diff.add_argument("run_a", nargs="?", metavar="RUN_A", help="the earlier run (default: the one before the latest)")
    diff.add_argument("run_b", nargs="?", metavar="RUN_B", help="the later run (default: the latest)")
    diff.set_defaults(func=cmd_diff)
    schedule = sub.add_parser("schedule", help="audit on a cron schedule until stopped", formatter_class=fmt,
                              description="Run the audit on the [schedule] cron, keep history, notify on changes.",
                              epilog=EXAMPLES["schedule"])
    schedule.add_argument("-c", "--config", default="config.toml", help="agency config file (default: config.toml)")
    schedule.add_argument("--now", action="store_true", help="run one audit at start, then follow the cron")
    schedule.add_argument("--lang", choices=["th", "en"], help="language of the log lines (default: [audit] lang)")
    schedule.add_argument("--fleet", metavar="FLEET.toml", help="run a fleet file on its [fleet.schedule] instead")
    schedule.add_argument("--broker", metavar="URL", help="with --fleet: queue each run for Celery workers (redis://…)")
    schedule.set_defaults(func=cmd_schedule)


def _add_discover_command(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                          fmt: type[argparse.HelpFormatter]) -> None:
    discover = sub.add_parser("discover", help="crawl the main website and suggest a URL per item",
                              formatter_class=fmt, epilog=EXAMPLES["discover"],
                              description="Crawl the main website and rank candidate URLs for every checklist item "
                                          "by link text, title, headings and content.")
    discover.add_argument("-c", "--config", default="config.toml", help="agency config file (default: config.toml)")
    discover.add_argument("--item", action="extend", type=lambda s: [c for c in s.split(",") if c],
                          metavar="CODE", help="only these items (repeat, or comma-separated)")
    discover.add_argument("--top", type=int, default=3, help="candidates shown per item (default: 3)")
    discover.add_argument("--max-pages", type=int, metavar="N", help="crawl at most N URLs (default: [crawl] max_pages)")
    discover.add_argument("--format", choices=["console", "toml", "json"],
                          help="console table (default), the [items] TOML block, or JSON (default with -o: toml)")
    discover.add_argument("-o", "--output", metavar="FILE", help="write the output to FILE")
    discover.add_argument("--checklist", metavar="ID|PATH",
                          help="discover for this checklist (e.g. next year's); the config's URLs of the items it "
                               "continues (paired by name: checklist diff) are proposed first, marked carried over")
    discover.add_argument("--write", action="store_true",
                          help="fill the proposed URLs into the config's items that have none (validated first)")
    discover.add_argument("--lang", choices=["th", "en"], help="language of messages (default: th)")
    discover.add_argument("-q", "--quiet", action="store_true", help="no progress")
    discover.set_defaults(func=cmd_discover)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    stdout = Console(highlight=False)
    stderr = Console(stderr=True, highlight=False)
    if not getattr(args, "func", None):
        parser.print_help()
        return ExitCode.USAGE
    # The program's choice, not the library's (importing oit_checker changes nothing): glibc's top pad keeps
    # lexbor's per-page arenas mapped. bench/crawl.py, 2026-12-03, limits lifted: 2.51 -> 2.35 CPU ms/page
    # (-6 %, 3 paired runs of 3,000 pages); shipped limits: -0.3 to -2.4 % (extract/heap.py).
    from .extract.heap import keep_heap_pad
    keep_heap_pad()
    try:
        return int(args.func(args, stdout, stderr))
    except OitCheckerError as exc:
        _fatal(stderr, exc)
    except KeyboardInterrupt:
        stderr.print("interrupted")
        return 130


def _fatal(stderr: Console, exc: OitCheckerError) -> NoReturn:
    stderr.print(Text.assemble(("ข้อผิดพลาด / error: ", "bold red"), str(exc)))
    raise SystemExit(ExitCode.USAGE)
