"""Several reports from one run: pair each ``--format`` with its ``-o FILE``.

The rule (also in ``oit-checker audit --help`` and the README):

* the n-th ``-o FILE`` is the file of the n-th ``--format``;
* an ``-o FILE`` beyond the formats takes its format from the file's extension
  (``.html``/``.htm``, ``.md``, ``.xml`` → junit, ``.csv`` → itas-csv, ``.json``; anything else
  → the plain console report);
* ``-o -`` and a ``--format`` without a file mean standard output — one report at most;
* no ``--format`` and no ``-o``: the colour console report.

``oit-checker audit --format html -o report.html --format junit -o junit.xml`` writes both; the
CLI still prints the summary line.
"""

from __future__ import annotations

import os
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from ..errors import OutputError as OutputError  # its old home: `from oit_checker.report.outputs import OutputError`
from ..fleet.view import FleetView
from ..messages import ui
from ..models import AuditResult
from . import ConsoleReporter, Format, to_reporter
from .fleet import FleetFormat, print_console, render_fleet, summary_line

STDOUT = "-"
EXTENSIONS = {".html": Format.HTML, ".htm": Format.HTML, ".md": Format.MARKDOWN, ".markdown": Format.MARKDOWN,
              ".xml": Format.JUNIT, ".csv": Format.ITAS_CSV, ".json": Format.JSON, ".txt": Format.CONSOLE}


@dataclass(frozen=True)
class Output:
    """One report to produce: a format, and a file (None for standard output)."""

    format: Format
    path: Path | None = None


def format_for_path(path: str) -> Format:
    """The format an ``-o FILE`` implies by its extension (console text when unknown)."""
    return EXTENSIONS.get(Path(path).suffix.lower(), Format.CONSOLE)


def plan_outputs(formats: list[str] | None, outputs: list[str] | None, lang: str = "th") -> list[Output]:
    """Pair ``--format`` values with ``-o`` files as the module docstring says; raise ``OutputError``."""
    formats, outputs = list(formats or ()), list(outputs or ())
    plan = [Output(Format(fmt), _path(outputs[n]) if n < len(outputs) else None) for n, fmt in enumerate(formats)]
    plan += [Output(format_for_path(out), _path(out)) for out in outputs[len(formats):]]
    if not plan:
        return [Output(Format.CONSOLE)]
    _refuse_clashes([(o.format.value, o.path) for o in plan], lang)
    return plan


def _refuse_clashes(plan: list[tuple[str, Path | None]], lang: str) -> None:
    """At most one report on standard output, and never two in one file."""
    to_stdout = [fmt for fmt, path in plan if path is None]
    if len(to_stdout) > 1:
        raise OutputError(ui("output_stdout_twice", lang, formats=", ".join(to_stdout)))
    seen: set[Path] = set()
    for _, path in plan:
        if path is not None:
            if path.resolve() in seen:
                raise OutputError(ui("output_same_file", lang, path=str(path)))
            seen.add(path.resolve())


def write_report(out: Output, result: AuditResult, lang: str, fail_on: str = "fail") -> str:
    """Render ``result`` in ``out.format`` and write it to ``out.path``; return the text written.

    Files are UTF-8 and written byte for byte (no newline translation: the CSV keeps its CRLF).
    """
    text = to_reporter(out.format, lang, color=False, fail_on=fail_on).render(result)
    if out.path is not None:
        try:
            out.path.parent.mkdir(parents=True, exist_ok=True)
            out.path.write_text(text, encoding="utf-8", newline="")
        except OSError as exc:
            raise OutputError(ui("output_write_failed", lang, path=str(out.path), detail=exc.strerror or exc)) from exc
    return text


def emit(plan: list[Output], result: AuditResult, *, lang: str, fail_on: str, quiet: bool,
         stdout: Console, stderr: Console) -> None:
    """Produce every planned report; the files first, then the one for standard output (if any).

    The console report goes to ``stdout`` in colour when it is a terminal (``--quiet``: only its
    summary line). When reports went to files, the summary line and "report written" lines go to
    ``stderr`` (not with ``--quiet``; the summary not twice when the console report is shown).
    """
    files = [out for out in plan if out.path is not None]
    for out in files:
        write_report(out, result, lang, fail_on)
    screen = next((out for out in plan if out.path is None), None)
    if files and not quiet:
        if screen is None or screen.format is not Format.CONSOLE:
            stderr.print(ConsoleReporter(lang).summary_text(result))
        for out in files:
            stderr.print(ui("report_written", lang, path=str(out.path)), markup=False, highlight=False, soft_wrap=True)
    if screen is None:
        return
    if screen.format is Format.CONSOLE:
        if quiet:
            stdout.print(ConsoleReporter(lang).summary_text(result))
        else:
            ConsoleReporter(lang).print(result, stdout)
    else:
        sys.stdout.write(to_reporter(screen.format, lang, fail_on=fail_on).render(result))


def _path(value: str) -> Path | None:
    return None if value == STDOUT else Path(value)


# --- fleet commands (``fleet run|status --format console|json|html|csv -o FILE``) -----------------

FLEET_EXTENSIONS = {".html": FleetFormat.HTML, ".htm": FleetFormat.HTML, ".csv": FleetFormat.CSV,
                    ".json": FleetFormat.JSON, ".txt": FleetFormat.CONSOLE}
"""For fleet commands ``.csv`` is the grid CSV (not itas-csv); anything else is the console text."""


@dataclass(frozen=True)
class FleetOutput:
    """One fleet report to produce: a ``FleetFormat``, and a file (None for standard output)."""

    format: FleetFormat
    path: Path | None = None


def plan_fleet_outputs(formats: list[str] | None, outputs: list[str] | None, lang: str = "th") -> list[FleetOutput]:
    """``plan_outputs``'s pairing rules for the fleet formats; raise ``OutputError``."""
    formats, outputs = list(formats or ()), list(outputs or ())
    plan = [FleetOutput(FleetFormat(fmt), _path(outputs[n]) if n < len(outputs) else None)
            for n, fmt in enumerate(formats)]
    plan += [FleetOutput(FLEET_EXTENSIONS.get(Path(out).suffix.lower(), FleetFormat.CONSOLE), _path(out))
             for out in outputs[len(formats):]]
    if not plan:
        return [FleetOutput(FleetFormat.CONSOLE)]
    _refuse_clashes([(o.format.value, o.path) for o in plan], lang)
    return plan


def write_atomic(path: Path, text: str, lang: str = "th") -> None:
    """Write ``text`` (UTF-8, no newline translation) to ``path`` through a temporary file and a
    rename, so a reader (a browser on index.html, a second fleet run) never sees half a report. The
    temporary file is opened like any new file (not ``mkstemp``), so the report keeps the umask's mode."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        try:
            with temp.open("x", encoding="utf-8", newline="") as out:
                out.write(text)
            os.replace(temp, path)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise OutputError(ui("output_write_failed", lang, path=str(path), detail=exc.strerror or exc)) from exc


def emit_fleet(plan: list[FleetOutput], fleet: FleetView, *, lang: str, fail_on: str, quiet: bool,
               stdout: Console, stderr: Console) -> None:
    """Write the planned fleet reports: the files first, then the one for standard output (if any)."""
    files = [(out.path, out.format) for out in plan if out.path is not None]
    for path, fmt in files:
        write_atomic(path, render_fleet(fmt, fleet, lang, fail_on=fail_on), lang)
    if not quiet:
        for path, _ in files:
            stderr.print(ui("report_written", lang, path=str(path)), markup=False, highlight=False, soft_wrap=True)
    screen = next((out for out in plan if out.path is None), None)
    if screen is None:
        return
    if screen.format is FleetFormat.CONSOLE:
        if quiet:
            stdout.print(summary_line(fleet, lang, fail_on), markup=False, highlight=False)
        else:
            print_console(fleet, stdout, lang, fail_on)
    else:
        sys.stdout.write(render_fleet(screen.format, fleet, lang, fail_on=fail_on))
