"""The Markdown report, for e-mail and wiki pages (GitHub/GitLab-flavoured Markdown).

The same content as the HTML report without the screenshots' pixels (a screenshot is a link to
its file). Website text is escaped so that a page title can neither format the report nor inject
HTML into a wiki page that renders it.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from ..messages import ui
from ..models import AuditResult, ItemResult, Status, UrlResult
from . import _view as view
from .interface import Reporter

EMOJI = {Status.PASS: "🟢", Status.WARN: "🟡", Status.FAIL: "🔴", Status.UNVERIFIED: "🔵"}
_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_LEADING = re.compile(r"^([#+\-!=>])")
_LEADING_NUMBER = re.compile(r"^(\d+)([.)])(?=\s|$)")


def md(text: object) -> str:
    """Website or user text as inline Markdown: ``&`` and ``<`` as entities (no HTML tag can open),
    Markdown escaped.

    Emphasis, code, link and table characters are escaped everywhere; block markers (``#``,
    ``-``, ``1.`` …) only at the start, where they would matter.
    """
    folded = " ".join(str(text).split())
    escaped = _SPECIAL.sub(r"\\\1", folded.replace("&", "&amp;").replace("<", "&lt;"))
    return _LEADING_NUMBER.sub(r"\1\\\2", _LEADING.sub(r"\\\1", escaped))


def md_code(text: object) -> str:
    """Text in an inline code span (backticks in the text cannot close it)."""
    folded = " ".join(str(text).split()).replace("`", "ˋ")
    return f"`{folded}`"


def md_link(url: str) -> str:
    """An autolink for an http(s) URL; anything else as escaped text."""
    href = view.safe_href(url)
    if href is None:
        return md(url)
    return "<" + quote(href, safe=":/?#[]@!$&'()*+,;=%~-._") + ">"


class MarkdownReporter(Reporter):
    """See ``Reporter`` and the module docstring."""

    def render(self, result: AuditResult) -> str:
        """See ``Reporter.render``."""
        lang = self.lang
        lines = [f"# {md(ui('title', lang, agency=result.agency_name))}", ""]
        lines += [
            f"- **{md(ui('checklist', lang, checklist=result.checklist_id, year=result.assessment_year))}** — "
            f"{md(result.checklist_title)}",
            *(f"  - {md(note)}" for note in view.choice_notes(result, lang)),
            f"- **{md(ui('report_homepage', lang))}:** {md_link(result.homepage)}",
            f"- **{md(ui('report_checked_at', lang))}:** {result.finished_at.strftime('%Y-%m-%d %H:%M UTC')} · "
            f"{md(ui('report_run', lang))} {md_code(result.run_id)}",
            "",
        ]
        lines += self._summary(result)
        for group, items in view.grouped(result.items):
            lines += [f"## {md(group or ui('report_no_group', lang))}", ""]
            for item in items:
                lines += self._item(item)
        lines += self._crawl(result)
        lines += ["---", "", f"_{md(ui('report_generated', lang, version=result.tool_version))}_"]
        return "\n".join(lines) + "\n"

    def _summary(self, result: AuditResult) -> list[str]:
        lang = self.lang
        counts = result.counts()
        lines = [f"## {md(ui('report_summary', lang))}", "",
                 f"| {md(ui('report_verdict', lang))} | {md(ui('report_count', lang))} |", "|---|---:|"]
        lines += [f"| {EMOJI[s]} {md(view.status_word(s, lang))} | {counts[s]} |" for s in view.STATUS_ORDER]
        lines += [f"| **{md(ui('report_total', lang))}** | **{len(result.items)}** |", ""]
        lines += [f"**{md(ui('report_verdicts', lang))}:** "
                  + " · ".join(f"{EMOJI[i.status]} {md(i.code)}" for i in result.items), ""]
        deadline = view.deadline(result, lang)
        if deadline:
            lines += [f"**{md(deadline.text)}**", ""]
        hints = view.hints(result, lang)
        if hints:
            lines += [f"> {md(h)}" + ("  " if n < len(hints) - 1 else "") for n, h in enumerate(hints)]
            lines.append("")
        return lines

    def _crawl(self, result: AuditResult) -> list[str]:
        crawl = view.crawl(result, self.lang)
        if crawl is None:
            return []
        lines = [f"## {md(ui('report_crawl', self.lang))}", ""]
        lines += [f"- {md(note)}" for note in crawl.notes]
        if crawl.broken_title:
            lines += ["", f"**{md(crawl.broken_title)}**", ""]
        for link in crawl.broken:
            icon = view.ICONS[Status(link["status"])]
            lines.append(f"- {icon} **{md(link['text'] or link['url'])}** {md_link(link['url'])}: "
                         f"{md(link['message'])} {md_code(link['reason'])}")
            more = f" {md(ui('broken_link_more', self.lang, count=link['other_pages']))}" if link["other_pages"] else ""
            lines.append(f"  - {md(ui('broken_link_on', self.lang))} {md_link(link['page'])}{more}")
            if link["fix"]:
                lines.append(f"  - **{md(ui('fix', self.lang))}:** {md(link['fix'])}")
        lines.append("")
        return lines

    def _item(self, item: ItemResult) -> list[str]:
        lang = self.lang
        mark = f" {md(ui('confidence_mark', lang))}" if item.confidence == "unverified" else ""
        lines = [f"### {EMOJI[item.status]} {md(item.code)} {md(view.item_name(item, lang))}{mark} — "
                 f"{md(view.status_word(item.status, lang))}", ""]
        for finding in view.problems(item.findings, lang):
            lines += self._finding(finding, "")
        for url in item.urls:
            lines += self._url(item, url)
        lines.append("")
        return lines

    def _url(self, item: ItemResult, url: UrlResult) -> list[str]:
        lang = self.lang
        extras = []
        status = view.http_status(url)
        if status is not None:
            extras.append(f"HTTP {status}")
        if view.file_kind(url):
            extras.append(view.file_kind(url))
        if url.url == item.passing_url and len(item.urls) > 1:
            extras.append(ui("report_passing", lang))
        lines = [f"- {md_link(url.url)}" + (f" ({md(', '.join(extras))})" if extras else "")]
        shown = view.problems(url.findings, lang) if url.status is not Status.PASS else view.highlights(url.findings, lang)
        for finding in shown:
            lines += self._finding(finding, "  ")
        title, heading = view.page_title(url), view.page_heading(url)
        if title:
            lines.append(f"  - {md(ui('report_title_label', lang))}: {md(title)}")
        if heading:
            lines.append(f"  - {md(ui('report_heading_label', lang))}: {md(heading)}")
        if url.fetch and url.fetch.redirects:
            chain = [*(r.url for r in url.fetch.redirects), url.fetch.final_url]
            lines.append(f"  - {md(ui('report_redirects', lang))}: " + " → ".join(md_link(h) for h in chain))
        hops = view.click_path(url)
        if hops:
            path = " › ".join(f"{md(view.hop_label(h, i, url.url, lang))} ({md_link(h.url)})" if h.text or i == 0
                              else md_link(h.url) for i, h in enumerate(hops))
            lines.append(f"  - {md(ui('report_click_path', lang))}: {path}")
        snippets = view.snippets(url, lang)
        if snippets:
            lines.append(f"  - {md(ui('report_snippets', lang))}:")
            lines += [f"    - **{md(label)}**: “{md(text)}”" for label, text in snippets]
        for shot in view.screenshots(url):
            lines.append(f"  - {md(ui('report_screenshot', lang))}: {md_code(shot)}")
        return lines

    def _finding(self, finding: view.Shown, indent: str) -> list[str]:
        icon = view.ICONS[finding.status]
        if finding.status is Status.PASS:
            return [f"{indent}- {icon} {md(finding.message)}"]
        lines = [f"{indent}- {icon} {md(finding.message)} {md_code(finding.reason)}"]
        if finding.fix:
            lines.append(f"{indent}  - **{md(ui('fix', self.lang))}:** {md(finding.fix)}")
        return lines

