"""The ``oit-checker`` command: parse arguments, call the library, render, return an exit code."""

from __future__ import annotations

import argparse
import sys
from enum import IntEnum
from pathlib import Path
from typing import NoReturn

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from . import __version__
from .audit import run_audit
from .checklist import bundled_ids, load_checklist
from .config import LoadedConfig, load_config
from .errors import OitCheckerError
from .messages import ui
from .models import AuditResult, Status
from .report import ConsoleReporter, Format, to_reporter


class ExitCode(IntEnum):
    """Exit codes (a contract; see README "Exit codes")."""

    OK = 0
    FAILED = 1
    USAGE = 2
    INCOMPLETE = 3
    UNVERIFIED = 4


def exit_code(result: AuditResult, fail_on: str) -> ExitCode:
    """The contract's exit code for an audit result."""
    counts = result.counts()
    if not result.complete:
        return ExitCode.INCOMPLETE
    if counts[Status.FAIL] or (fail_on == "warn" and counts[Status.WARN]):
        return ExitCode.FAILED
    if counts[Status.UNVERIFIED]:
        return ExitCode.UNVERIFIED
    return ExitCode.OK


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


def _audit_and_report(loaded: LoadedConfig, args: argparse.Namespace, stdout: Console,
                      stderr: Console) -> ExitCode:
    lang = args.lang or loaded.config.audit.lang
    fail_on = args.fail_on or loaded.config.audit.fail_on
    show_progress = stderr.is_terminal and not args.quiet
    if show_progress:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=stderr, transient=True) as progress:
            result = run_audit(loaded, items=args.item, observer=_ProgressObserver(progress, ui("progress", lang)))
    else:
        result = run_audit(loaded, items=args.item)
    fmt = Format(args.format)
    if args.output:
        text = to_reporter(fmt, lang, color=False).render(result)
        Path(args.output).write_text(text, encoding="utf-8")
        if not args.quiet:
            stderr.print(ConsoleReporter(lang).summary_text(result))
            stderr.print(ui("report_written", lang, path=args.output))
    elif fmt is Format.CONSOLE:
        if args.quiet:
            stdout.print(ConsoleReporter(lang).summary_text(result))
        else:
            ConsoleReporter(lang).print(result, stdout)
    else:
        sys.stdout.write(to_reporter(fmt, lang).render(result))
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


def cmd_checklist_list(args: argparse.Namespace, stdout: Console, stderr: Console) -> ExitCode:
    """``oit-checker checklist list``."""
    table = Table("id", "title", "year", "items", "partial")
    for checklist_id in bundled_ids():
        checklist = load_checklist(checklist_id)
        table.add_row(*(Text(cell) for cell in (checklist.id, checklist.title_th, str(checklist.assessment_year),
                                                 str(len(checklist.items)), "yes" if checklist.partial else "")))
    stdout.print(table)
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
             "  oit-checker audit --format json -o report.json",
    "demo": "example:\n  oit-checker demo            # serve the demo site and audit it (exits 1: it has failures)",
    "checklist": "examples:\n  oit-checker checklist list\n  oit-checker checklist show ita-2565",
}


def _add_report_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--item", action="extend", type=lambda s: [c for c in s.split(",") if c],
                        metavar="CODE", help="audit only these items (repeat, or comma-separated)")
    parser.add_argument("--format", choices=[f.value for f in Format], default=Format.CONSOLE.value,
                        help="report format (default: console)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE")
    parser.add_argument("--lang", choices=["th", "en"], help="language of messages (default: th)")
    parser.add_argument("--fail-on", choices=["warn", "fail"], help="exit 1 on warnings too with 'warn'")
    parser.add_argument("-q", "--quiet", action="store_true", help="only the summary line; no progress")


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
    audit.set_defaults(func=cmd_audit)
    demo = sub.add_parser("demo", help="serve the bundled demo site and audit it", formatter_class=fmt,
                          description="Serve a demo department site on 127.0.0.1 and audit it.",
                          epilog=EXAMPLES["demo"])
    _add_report_options(demo)
    demo.set_defaults(func=cmd_demo)
    checklist = sub.add_parser("checklist", help="list or show checklists", formatter_class=fmt,
                               epilog=EXAMPLES["checklist"])
    checklist_sub = checklist.add_subparsers(dest="checklist_command", metavar="ACTION", required=True)
    checklist_sub.add_parser("list", help="the bundled checklists").set_defaults(func=cmd_checklist_list)
    show = checklist_sub.add_parser("show", help="the items of one checklist (bundled id or path)")
    show.add_argument("id", help="e.g. ita-2565, or path/to/checklist.toml")
    show.set_defaults(func=cmd_checklist_show)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    stdout = Console(highlight=False)
    stderr = Console(stderr=True, highlight=False)
    if not getattr(args, "func", None):
        parser.print_help()
        return ExitCode.USAGE
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
