"""The JUnit XML report, for CI servers (Jenkins, GitLab, GitHub Actions test reporters).

Mapping (documented in the README):

* one ``<testsuites>`` per run; one ``<testsuite>`` per checklist group; one ``<testcase>`` per
  item, named ``"O24 <item name>"`` with ``classname="<checklist id>.<item code>"``;
* ``fail`` → ``<failure type="<reason code>" message="<message>">`` with every problem and its
  suggested fix in the body;
* ``unverified`` → ``<skipped type="<reason code>" message="…">``: the scanner could not tell
  (bot wall, timeout, scan), which must not turn a CI pipeline red as if the agency had failed;
* ``warn`` → a passing test case whose ``<system-out>`` starts with the warnings; with
  ``--fail-on warn`` it is a ``<failure>`` instead, matching the exit code;
* ``pass`` → a passing test case; ``<system-out>`` lists every check of every URL, the evidence
  snippets, and screenshots as ``[[ATTACHMENT|path]]`` (the Jenkins JUnit attachments syntax).

The output validates against the JUnit XSD that Jenkins' xUnit plugin and pytest use
(``tests/data/junit-10.xsd``).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # noqa: S405 - used to build XML, never to parse it

from ..messages import ui
from ..models import AuditResult, ItemResult, Status, UrlResult
from . import _view as view
from .interface import Reporter

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: object) -> str:
    """Text without the characters XML 1.0 cannot hold (a hostile page may contain them)."""
    return _NOT_XML.sub("\ufffd", str(text))


def seconds(value: float) -> str:
    """A duration as the schema's time type wants it (at most three decimals)."""
    return f"{max(value, 0.0):.3f}"


class JunitReporter(Reporter):
    """See ``Reporter`` and the module docstring. ``fail_on="warn"`` makes warnings failures."""

    def __init__(self, lang: str = "th", fail_on: str = "fail") -> None:
        super().__init__(lang)
        self.fail_on = fail_on

    def render(self, result: AuditResult) -> str:
        """See ``Reporter.render``."""
        failed = [i for i in result.items if self._fails(i)]
        root = ET.Element("testsuites", {
            "name": clean(ui("title", self.lang, agency=result.agency_name)),
            "tests": str(len(result.items)), "failures": str(len(failed)), "errors": "0",
            "time": seconds((result.finished_at - result.started_at).total_seconds())})
        for index, (group, items) in enumerate(view.grouped(result.items)):
            root.append(self._suite(result, index, group, items))
        ET.indent(root, space="  ")
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"

    def _fails(self, item: ItemResult) -> bool:
        return item.status is Status.FAIL or (self.fail_on == "warn" and item.status is Status.WARN)

    def _suite(self, result: AuditResult, index: int, group: str, items: list[ItemResult]) -> ET.Element:
        suite = ET.Element("testsuite", {
            "name": clean(group or ui("report_no_group", self.lang)), "tests": str(len(items)),
            "failures": str(sum(1 for i in items if self._fails(i))), "errors": "0",
            "skipped": str(sum(1 for i in items if i.status is Status.UNVERIFIED)),
            "time": seconds(sum(view.elapsed(i) for i in items)),
            "timestamp": result.started_at.isoformat(timespec="seconds"), "id": str(index),
            "package": clean(result.checklist_id)})
        properties = ET.SubElement(suite, "properties")
        for name, value in (("agency", result.agency_name), ("homepage", result.homepage),
                            ("checklist", result.checklist_id), ("assessment_year", result.assessment_year),
                            ("run_id", result.run_id), ("tool_version", result.tool_version),
                            ("lang", self.lang), ("fail_on", self.fail_on)):
            ET.SubElement(properties, "property", {"name": name, "value": clean(value)})
        for item in items:
            suite.append(self._case(result, item))
        return suite

    def _case(self, result: AuditResult, item: ItemResult) -> ET.Element:
        lang = self.lang
        case = ET.Element("testcase", {
            "name": clean(f"{item.code} {view.item_name(item, lang)}"),
            "classname": clean(f"{result.checklist_id}.{item.code}"), "time": seconds(view.elapsed(item))})
        problems = view.all_problems(item, lang)
        if problems and (self._fails(item) or item.status is Status.UNVERIFIED):
            first = problems[0]
            tag = "failure" if self._fails(item) else "skipped"
            element = ET.SubElement(case, tag, {"type": first.reason, "message": clean(first.message)})
            element.text = clean("\n".join(self._problem_lines(problems)))
        out = ET.SubElement(case, "system-out")
        out.text = clean("\n".join(self._log(item)))
        return case

    def _problem_lines(self, problems: list[view.Shown]) -> list[str]:
        lines = []
        for p in problems:
            lines.append(f"{view.status_word(p.status, self.lang)}: {p.message} [{p.reason}]")
            if p.fix:
                lines.append(f"  {ui('fix', self.lang)}: {p.fix}")
        return lines

    def _log(self, item: ItemResult) -> list[str]:
        lang = self.lang
        lines = [f"{item.code} {view.item_name(item, lang)}: {view.status_word(item.status, lang)}"]
        if item.status is Status.WARN:
            lines += self._problem_lines(view.all_problems(item, lang))
        for finding in item.findings:
            lines.append(f"  {view.ICONS[finding.status]} {view.shown(finding, lang).message} [{finding.reason}]")
        for url in item.urls:
            lines += self._url_log(url)
        return lines

    def _url_log(self, url: UrlResult) -> list[str]:
        lang = self.lang
        status = view.http_status(url)
        lines = [f"{ui('url', lang)}: {url.url}" + (f" (HTTP {status})" if status is not None else "")]
        for finding in url.findings:
            shown = view.shown(finding, lang)
            lines.append(f"  {view.ICONS[finding.status]} {finding.check.value}: {shown.message} [{finding.reason}]")
        title = view.page_title(url)
        if title:
            lines.append(f"  {ui('report_title_label', lang)}: {title}")
        hops = view.click_path(url)
        if hops:
            lines.append(f"  {ui('report_click_path', lang)}: " + " > ".join(h.url for h in hops))
        for label, text in view.snippets(url, lang):
            lines.append(f"  {ui('report_snippets', lang)} ({label}): {text}")
        lines += [f"[[ATTACHMENT|{path}]]" for path in view.screenshots(url)]
        return lines
