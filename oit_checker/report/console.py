"""The colour console report: items grouped by checklist group, a colour per status.

Column widths are measured with ``rich.cells.cell_len`` (Thai above/below vowels and tone marks
are zero width there), so codes such as ``MOIT1.2`` show whole and borders stay in line. Text
that came from a website may carry control characters (an ESC would restyle or clear the
terminal and push the border out): they are dropped before printing.
"""

from __future__ import annotations

import io

from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..deadline import deadline_text
from ..messages import reason_fix, reason_message, status_label, ui
from ..models import AuditResult, Finding, ItemResult, Status
from ._view import choice_notes
from .crawl_section import crawl_lines
from .interface import Reporter
from .terminal import terminal_safe

COLOURS = {Status.PASS: "green", Status.WARN: "yellow", Status.FAIL: "red", Status.UNVERIFIED: "blue"}
ICONS = {Status.PASS: "✔", Status.WARN: "!", Status.FAIL: "✘", Status.UNVERIFIED: "?"}


class ConsoleReporter(Reporter):
    """See ``Reporter``. ``color=False`` gives plain text (for files and pipes)."""

    def __init__(self, lang: str = "th", color: bool = True, width: int = 110) -> None:
        super().__init__(lang)
        self.color = color
        self.width = width
        self._evidence_dir: str | None = None
        self._widths = (12, 5)

    def render(self, result: AuditResult) -> str:
        """See ``Reporter.render``."""
        buffer = io.StringIO()
        console = Console(file=buffer, force_terminal=self.color, no_color=not self.color,
                          width=self.width, highlight=False, emoji=False)
        self.print(result, console)
        return buffer.getvalue()

    def print(self, result: AuditResult, console: Console) -> None:
        """Write the report to a rich console (the CLI's own, so colours follow the terminal)."""
        lang = self.lang
        self._evidence_dir = result.evidence_dir  # screenshot paths are shown relative to it
        header = Text.assemble(
            (ui("title", lang, agency=result.agency_name), "bold"), "\n",
            ui("checklist", lang, checklist=result.checklist_id, year=result.assessment_year), "\n",
            (result.homepage, "dim"), "  ", (result.finished_at.strftime("%Y-%m-%d %H:%M UTC"), "dim"))
        for note in choice_notes(result, lang):  # which list, and why: never silently another year's
            header.append("\n")
            header.append("• " + note, style="yellow")
        console.print(Panel(header, expand=False))
        self._widths = self._column_widths(result.items)
        for group, items in _grouped(result.items):
            console.print(self._table(group, items))
        crawl = crawl_lines(result.crawl, self.lang)  # the crawl, and broken links on the OIT pages
        if crawl is not None:
            console.print(crawl)
        console.print(self.summary_text(result))
        deadline = deadline_text(result, self.lang)  # days left to ITAS; items still failing near it
        if deadline is not None:
            console.print(deadline)
        for hint in self._hints(result):
            console.print(Text("• " + hint, style="dim"))

    def summary_text(self, result: AuditResult) -> Text:
        """The one-line summary, coloured per status."""
        counts = result.counts()
        line = Text(ui("summary", self.lang, total=len(result.items),
                       **{s.value: counts[s] for s in Status}), style="bold")
        for status in Status:
            line.highlight_words([status_label(status, self.lang)], style=COLOURS[status])
        return line

    def _column_widths(self, items: tuple[ItemResult, ...]) -> tuple[int, int]:
        """The badge and code columns, wide enough for every status label and the longest code
        (``MOIT1.2``, ``EB10``), the same in every group's table."""
        badge = max(cell_len(self._badge(status).plain) for status in Status)
        code = max((cell_len(item.code) for item in items), default=3)
        return badge, max(code, 3)

    def _table(self, group: str, items: list[ItemResult]) -> Table:
        badge, code = self._widths
        table = Table(title=terminal_safe(group) or None, title_justify="left", title_style="bold", show_header=False,
                      show_lines=True, expand=True, pad_edge=False)
        table.add_column(width=badge, no_wrap=True)
        table.add_column(width=code, no_wrap=True)
        table.add_column(ratio=1)
        for item in items:
            table.add_row(self._badge(item.status), Text(item.code, style="bold"), self._details(item))
        return table

    def _badge(self, status: Status) -> Text:
        return Text(f"{ICONS[status]} {status_label(status, self.lang)}", style=f"bold {COLOURS[status]}")

    def _details(self, item: ItemResult) -> Group:
        lang = self.lang
        name = item.name_en if lang == "en" and item.name_en else item.name_th
        mark = f" {ui('confidence_mark', lang)}" if item.confidence == "unverified" else ""
        lines: list[RenderableType] = [Text(terminal_safe(name) + mark, style="bold", overflow="fold")]
        findings = list(item.findings)
        for url in item.urls:
            lines.append(Text(terminal_safe(url.url), style="dim", overflow="fold"))  # whole, on two lines if need be
            files = url.evidence_files  # the screenshot, or else the URL's evidence folder
            if files.get("screenshot") or files.get("fetch"):
                key, path = ("screenshot", files["screenshot"]) if files.get("screenshot") else \
                    ("evidence_url", files["fetch"].rsplit("/", 1)[0] + "/")
                lines.append(Padding(Text(ui(key, lang, path=_shown_path(path, item_root=self._evidence_dir)),
                                          style="dim", overflow="fold"), (0, 0, 0, 2)))
            findings = [*findings, *url.findings]
        shown = [f for f in findings if f.status is not Status.PASS] if item.status is not Status.PASS else []
        for finding in shown:
            lines.extend(self._finding_lines(finding))
        if item.status is Status.PASS:
            ok = [f for f in findings if f.check.value in ("fresh", "content")]
            for finding in ok:
                message = terminal_safe(reason_message(finding.reason, finding.params, lang))
                lines.append(_hanging(2, Text(ICONS[Status.PASS], style=COLOURS[Status.PASS]),
                                      Text(message, style=COLOURS[Status.PASS])))
        return Group(*lines)

    def _finding_lines(self, finding: Finding) -> list[RenderableType]:
        lang = self.lang
        colour = COLOURS[finding.status]
        message = Text.assemble((terminal_safe(reason_message(finding.reason, finding.params, lang)), colour),
                                (f"  [{finding.reason}]", "dim"))
        out: list[RenderableType] = [_hanging(2, Text(ICONS[finding.status], style=colour), message)]
        fix = reason_fix(finding.reason, finding.params, lang)
        if fix:
            out.append(_hanging(4, Text("→", style="bold"),
                                Text.assemble((ui("fix", lang) + ": ", "bold"), terminal_safe(fix))))
        return out

    def _hints(self, result: AuditResult) -> list[str]:
        counts = result.counts()
        hints = []
        if not result.complete:
            hints.append(ui("hint_incomplete", self.lang))
        if result.homepage_problem:
            hints.append(ui("hint_homepage", self.lang, url=result.homepage, problem=result.homepage_problem))
        if counts[Status.UNVERIFIED]:
            hints.append(ui("hint_unverified", self.lang))
        if any(i.confidence == "unverified" for i in result.items):
            hints.append(ui("hint_confidence", self.lang))
        problem = result.browser.get("problem")
        if problem in ("no_browser", "browser_off", "browser_failed"):
            hints.append(ui(f"hint_{problem}", self.lang, detail=result.browser.get("problem_detail") or ""))
        if result.evidence_dir:
            hints.append(ui("evidence_dir", self.lang, path=result.evidence_dir))
        return hints


def _hanging(indent: int, mark: Text, body: Text) -> Padding:
    """``mark body`` indented, the body's wrapped lines kept under its first word (not under the
    mark or at the cell's edge), so a long Thai message reads as one block."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row(mark, body)
    return Padding(grid, (0, 0, 0, indent))


def _shown_path(path: str, item_root: str | None) -> str:
    """A path inside the run's evidence folder, relative to it (the folder is printed at the end)."""
    if item_root and path.startswith(item_root.rstrip("/") + "/"):
        return path[len(item_root.rstrip("/")) + 1:]
    return path


def _grouped(items: tuple[ItemResult, ...]) -> list[tuple[str, list[ItemResult]]]:
    groups: dict[str, list[ItemResult]] = {}
    for item in items:
        groups.setdefault(item.group, []).append(item)
    return list(groups.items())
