"""The HTML report: one self-contained file for people (and for printing to A4 PDF).

* Self-contained: the CSS is inline, screenshots are embedded as ``data:`` URIs, no font or script
  is fetched; a Content-Security-Policy forbids scripts and any network request outright.
* Small: a screenshot is embedded as the evidence bundle's JPEG thumbnail (480 px wide) and links
  its full PNG in the bundle; a screenshot without a thumbnail is embedded only when it is small.
  A report with a dozen screenshots stays well under 1.5 MB (full PNGs made it 10 MB).
* Thai text falls back across the fonts Thai readers have (Sarabun, Noto Sans Thai, Leelawadee
  on Windows, Thonburi on macOS, the TLWG fonts on Linux).
* Every string that came from a website (titles, headings, snippets, URLs) is escaped, and only
  ``http``/``https`` URLs become links.
* Printing: A4 pages, each checklist group starts a new page, items are not split across pages
  when they fit, and the status colours print.
"""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path

from ..messages import ui
from ..models import AuditResult, ItemResult, Status, UrlResult
from . import _view as view
from .interface import Reporter

MAX_EMBED_BYTES = 256 * 1024
"""A screenshot without a thumbnail larger than this is linked instead of embedded."""
IMAGE_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg", b"RIFF": "image/webp"}
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

FONTS = ('"Sarabun", "Noto Sans Thai", "Noto Sans Thai UI", "Leelawadee UI", "Leelawadee", "Thonburi", '
         '"Tahoma", "Loma", "Garuda", "Waree", "Umpush", system-ui, -apple-system, "Segoe UI", sans-serif')
MONO = 'ui-monospace, "SFMono-Regular", "Menlo", "Consolas", "DejaVu Sans Mono", "Tlwg Mono", monospace'

CSS = """
:root {
  --pass: #1a7f37; --pass-bg: #e6f6ea; --warn: #9a6700; --warn-bg: #fff5d1; --warn-bar: #e0a800;
  --fail: #c62828; --fail-bg: #fdecea; --unverified: #1f6feb; --unverified-bg: #e5f0ff;
  --ink: #1f2328; --muted: #59636e; --line: #d8dee4; --paper: #ffffff; --page: #f4f6f8;
}
* { box-sizing: border-box; }
html { font-family: FONTS; color: var(--ink); background: var(--page); line-height: 1.55;
       -webkit-text-size-adjust: 100%; }
body { margin: 0; font-size: 15px; }
.wrap { max-width: 1040px; margin: 0 auto; padding: 28px 24px 40px; }
a { color: #0b57d0; text-decoration: none; overflow-wrap: anywhere; }
a:hover { text-decoration: underline; }
code, .mono { font-family: MONO; font-size: 0.86em; }
.report-head { background: #17324d; color: #fff; border-radius: 12px 12px 0 0; padding: 22px 26px 18px; }
.eyebrow { text-transform: uppercase; letter-spacing: .08em; font-size: 12px; opacity: .75; margin: 0 0 4px; }
.report-head h1 { margin: 0 0 6px; font-size: 25px; line-height: 1.35; font-weight: 700; }
.report-head .checklist { margin: 0 0 12px; opacity: .9; }
.report-head .choice { margin: 0 0 12px; padding-left: 1.2em; color: #fde68a; }
.meta { display: flex; flex-wrap: wrap; gap: 6px 26px; margin: 0; font-size: 13px; }
.meta div { display: flex; gap: 6px; }
.meta dt { opacity: .7; }
.meta dd { margin: 0; overflow-wrap: anywhere; }
.meta a { color: #cfe3ff; }
.summary { background: var(--paper); border: 1px solid var(--line); border-top: 0; border-radius: 0 0 12px 12px;
           padding: 20px 26px 22px; margin-bottom: 26px; }
.summary h2 { font-size: 16px; margin: 0 0 12px; color: var(--muted); font-weight: 600; }
.cards { display: grid; grid-template-columns: repeat(5, 1fr); gap: 12px; margin-bottom: 18px; }
.card { border-radius: 10px; padding: 12px 14px; border: 1px solid var(--line); background: #fafbfc; }
.card .count { display: block; font-size: 30px; font-weight: 700; line-height: 1.1; }
.card .label { font-size: 13px; color: var(--muted); }
.card.st-pass { background: var(--pass-bg); border-color: #b7e2c1; } .card.st-pass .count { color: var(--pass); }
.card.st-warn { background: var(--warn-bg); border-color: #f0d98c; } .card.st-warn .count { color: var(--warn); }
.card.st-fail { background: var(--fail-bg); border-color: #f3bcb6; } .card.st-fail .count { color: var(--fail); }
.card.st-unverified { background: var(--unverified-bg); border-color: #b6d2fb; }
.card.st-unverified .count { color: var(--unverified); }
.bar-label { font-size: 13px; color: var(--muted); margin: 0 0 6px; }
.bar { display: flex; gap: 3px; height: 34px; margin: 0 0 10px; }
.seg { flex: 1 1 0; min-width: 0; display: flex; align-items: center; justify-content: center; color: #fff;
       font: 600 12px/1 MONO; border-radius: 4px; overflow: hidden; white-space: nowrap; }
.seg:hover { text-decoration: none; filter: brightness(1.08); }
.seg.st-pass { background: var(--pass); } .seg.st-warn { background: var(--warn-bar); color: #3d2c00; }
.seg.st-fail { background: var(--fail); } .seg.st-unverified { background: var(--unverified); }
.legend { display: flex; flex-wrap: wrap; gap: 4px 18px; font-size: 13px; color: var(--muted); margin: 0; padding: 0;
          list-style: none; }
.legend .sw { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; }
.sw.st-pass { background: var(--pass); } .sw.st-warn { background: var(--warn-bar); }
.sw.st-fail { background: var(--fail); } .sw.st-unverified { background: var(--unverified); }
.deadline { margin: 14px 0 0; padding: 8px 12px; border-radius: 8px; background: #fff5d1; font-weight: 600; }
.deadline.urgent { background: var(--fail-bg); color: var(--fail); }
.hints { margin: 14px 0 0; padding: 10px 14px 10px 30px; background: #f6f8fa; border-radius: 8px; font-size: 13px;
         color: var(--muted); }
.group { margin: 0 0 28px; }
.group-head { display: flex; align-items: baseline; justify-content: space-between; gap: 12px;
              border-bottom: 2px solid #17324d; padding: 0 2px 6px; margin: 0 0 14px; }
.group-head h2 { margin: 0; font-size: 19px; }
.group-head .tally { font-size: 13px; color: var(--muted); white-space: nowrap; }
.tally b { font-weight: 600; }
.item { background: var(--paper); border: 1px solid var(--line); border-left: 6px solid var(--line);
        border-radius: 10px; padding: 14px 18px 14px 16px; margin: 0 0 14px; break-inside: avoid; }
.item.st-pass { border-left-color: var(--pass); } .item.st-warn { border-left-color: var(--warn-bar); }
.item.st-fail { border-left-color: var(--fail); } .item.st-unverified { border-left-color: var(--unverified); }
.item-head { display: flex; align-items: flex-start; gap: 12px; }
.item-head .code { font-weight: 700; font-size: 16px; line-height: 1.6; color: #17324d; min-width: 42px; }
.item-head h3 { flex: 1; margin: 0; font-size: 16px; line-height: 1.6; }
.conf { font-size: 12px; color: var(--muted); font-weight: 400; border: 1px dashed #aab4be; border-radius: 4px;
        padding: 0 5px; margin-left: 6px; }
.badge { white-space: nowrap; font-size: 13px; font-weight: 700; padding: 3px 10px; border-radius: 999px; }
.badge.st-pass { background: var(--pass-bg); color: var(--pass); }
.badge.st-warn { background: var(--warn-bg); color: var(--warn); }
.badge.st-fail { background: var(--fail-bg); color: var(--fail); }
.badge.st-unverified { background: var(--unverified-bg); color: var(--unverified); }
.url { margin: 10px 0 0 54px; }
.url + .url { border-top: 1px dashed var(--line); padding-top: 10px; }
.url-line { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 10px; font-size: 14px; }
.url-line a, .url-line .plain { font-family: MONO; font-size: 13px; overflow-wrap: anywhere; }
.chip { font-size: 12px; color: var(--muted); background: #f1f3f5; border-radius: 4px; padding: 0 6px; }
.chip.passing { background: var(--pass-bg); color: var(--pass); font-weight: 600; }
.findings { list-style: none; margin: 8px 0 0; padding: 0; }
.finding { display: flex; gap: 8px; margin: 0 0 6px; }
.finding .icon { font-weight: 700; width: 16px; flex: none; text-align: center; }
.finding.st-pass .icon, .finding.st-pass .msg { color: var(--pass); }
.finding.st-warn .icon { color: var(--warn); } .finding.st-fail .icon { color: var(--fail); }
.finding.st-unverified .icon { color: var(--unverified); }
.finding .reason { color: var(--muted); margin-left: 6px; }
.fix { margin-top: 3px; padding: 6px 10px; background: #f6f8fa; border-radius: 6px; font-size: 14px; }
.fix b { color: #17324d; }
.evidence { display: grid; grid-template-columns: max-content 1fr; gap: 4px 14px; margin: 10px 0 0; font-size: 13.5px; }
.evidence dt { color: var(--muted); }
.evidence dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
.path { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; align-items: center; gap: 2px 4px; }
.path li + li::before { content: "›"; color: var(--muted); margin-right: 4px; }
.snips { list-style: none; margin: 0; padding: 0; }
.snips li { margin: 0 0 4px; }
.snips .el { font-weight: 600; margin-right: 6px; }
.snips q { quotes: "“" "”"; background: #fffbe6; border-radius: 3px; padding: 0 3px; color: #3b3b3b; }
.shots { display: flex; flex-wrap: wrap; gap: 10px; }
.zoom { position: absolute; opacity: 0; pointer-events: none; }
.shot { display: block; cursor: zoom-in; }
.shot img { display: block; width: 240px; height: 150px; object-fit: cover; object-position: top;
            border: 1px solid var(--line); border-radius: 6px; box-shadow: 0 1px 3px rgba(0,0,0,.12); }
.zoom:checked + .shot { cursor: zoom-out; }
.zoom:checked + .shot img { width: auto; height: auto; max-width: 100%; }
.full { display: inline-block; margin-top: 2px; font-size: 12.5px; }
.missing-file { color: var(--muted); font-style: italic; }
.crawl-box { border-left-color: #17324d; }
.notes { margin: 0 0 8px; padding-left: 18px; color: var(--muted); font-size: 13.5px; }
.crawl-title { font-weight: 600; margin: 10px 0 8px; }
.crawl .finding { padding: 6px 0; border-top: 1px dashed var(--line); margin: 0; }
.on-page { font-size: 13px; color: var(--muted); }
.report-foot { color: var(--muted); font-size: 12px; text-align: center; margin-top: 24px; }
@page { size: A4; margin: 14mm 12mm 14mm; }
@media print {
  html { background: #fff; }
  body { font-size: 10.5pt; }
  .wrap { max-width: none; padding: 0; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .report-head { border-radius: 0; }
  .summary { border-radius: 0; margin-bottom: 18px; }
  .group + .group { break-before: page; }
  .group-head { break-after: avoid; }
  .item { break-inside: avoid; box-shadow: none; }
  .shot img { width: 200px; height: 125px; }
  a { color: inherit; }
}
@media (max-width: 720px) {
  .cards { grid-template-columns: repeat(3, 1fr); }
  .url { margin-left: 0; }
}
""".replace("FONTS", FONTS).replace("MONO", MONO)


def e(text: object) -> str:
    """Escape text for HTML element content and quoted attribute values."""
    return escape(str(text), quote=True)


class HtmlReporter(Reporter):
    """See ``Reporter`` and the module docstring.

    ``evidence_root`` is where relative screenshot paths are resolved (the current directory by
    default; the evidence bundle records absolute paths).
    """

    def __init__(self, lang: str = "th", evidence_root: Path | None = None) -> None:
        super().__init__(lang)
        self.evidence_root = evidence_root
        self._shot_id = 0

    def render(self, result: AuditResult) -> str:
        """See ``Reporter.render``."""
        self._shot_id = 0
        lang = self.lang
        title = ui("title", lang, agency=result.agency_name)
        groups = view.grouped(result.items)
        body = [self._head(result, title), self._summary(result), "<main>"]
        body += [self._group(index, group, items) for index, (group, items) in enumerate(groups, 1)]
        body += [self._crawl(result), "</main>", f'<footer class="report-foot">{e(ui("report_generated", lang, version=result.tool_version))}'
                 f' · {e(ui("report_run", lang))} <span class="mono">{e(result.run_id)}</span></footer>']
        return (f'<!DOCTYPE html>\n<html lang="{"en" if lang == "en" else "th"}">\n<head>\n<meta charset="utf-8">\n'
                f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
                '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                f'<meta name="generator" content="oit-checker {e(result.tool_version)}">\n'
                f"<title>{e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<div class=\"wrap\">\n"
                + "\n".join(body) + "\n</div>\n</body>\n</html>\n")

    def _head(self, result: AuditResult, title: str) -> str:
        lang = self.lang
        home = _link(result.homepage)
        checked = result.finished_at.strftime("%Y-%m-%d %H:%M UTC")
        meta = [(ui("report_homepage", lang), home), (ui("report_checked_at", lang), e(checked)),
                (ui("report_run", lang), f'<span class="mono">{e(result.run_id)}</span>')]
        rows = "".join(f"<div><dt>{e(k)}</dt><dd>{v}</dd></div>" for k, v in meta)
        choice = view.choice_notes(result, lang)
        notes = (f'<ul class="choice">{"".join(f"<li>{e(n)}</li>" for n in choice)}</ul>\n' if choice else "")
        return (f'<header class="report-head">\n<p class="eyebrow">{e(ui("report_doc_title", lang))}</p>\n'
                f"<h1>{e(title)}</h1>\n"
                f'<p class="checklist">{e(ui("checklist", lang, checklist=result.checklist_id, year=result.assessment_year))}'
                f" — {e(result.checklist_title)}</p>\n{notes}<dl class=\"meta\">{rows}</dl>\n</header>")

    def _summary(self, result: AuditResult) -> str:
        lang = self.lang
        counts = result.counts()
        cards = [f'<div class="card st-total" data-status="total"><span class="count">{len(result.items)}</span>'
                 f'<span class="label">{e(ui("report_total", lang))}</span></div>']
        cards += [f'<div class="card st-{s.value}" data-status="{s.value}"><span class="count">{counts[s]}</span>'
                  f'<span class="label">{e(view.status_word(s, lang))}</span></div>'
                  for s in view.STATUS_ORDER]
        segs = "".join(
            f'<a class="seg st-{i.status.value}" href="#item-{e(i.code)}" data-status="{i.status.value}" '
            f'title="{e(i.code)} {e(view.item_name(i, lang))}: {e(view.status_word(i.status, lang))}">{e(i.code)}</a>'
            for i in result.items)
        legend = "".join(f'<li><span class="sw st-{s.value}"></span>{e(view.status_word(s, lang))} {counts[s]}</li>'
                         for s in view.STATUS_ORDER)
        parts = [f'<section class="summary" aria-label="{e(ui("report_summary", lang))}">',
                 f'<h2>{e(ui("report_summary", lang))}</h2>', f'<div class="cards">{"".join(cards)}</div>',
                 f'<p class="bar-label">{e(ui("report_verdicts", lang))}</p>',
                 f'<nav class="bar" aria-label="{e(ui("report_verdicts", lang))}">{segs}</nav>',
                 f'<ul class="legend">{legend}</ul>']
        deadline = view.deadline(result, lang)
        if deadline:
            parts.append(f'<p class="deadline{" urgent" if deadline.urgent else ""}">{e(deadline.text)}</p>')
        hints = view.hints(result, lang)
        if hints:
            parts.append('<ul class="hints">' + "".join(f"<li>{e(h)}</li>" for h in hints) + "</ul>")
        parts.append("</section>")
        return "\n".join(parts)

    def _crawl(self, result: AuditResult) -> str:
        """The crawl of the main website and the broken links on its OIT pages ('' without a crawl)."""
        crawl = view.crawl(result, self.lang)
        if crawl is None:
            return ""
        notes = "".join(f"<li>{e(note)}</li>" for note in crawl.notes)
        rows = []
        for link in crawl.broken:
            status = Status(link["status"])
            rows.append(
                f'<li class="finding st-{status.value}" data-reason="{e(link["reason"])}">'
                f'<span class="icon">{e(view.ICONS[status])}</span><div>'
                f'<div><b class="link-text">{e(link["text"] or link["url"])}</b></div>'
                f'<div class="url-line">{_link(link["url"])}</div>'
                f'<span class="msg">{e(link["message"])}</span><code class="reason">{e(link["reason"])}</code>'
                f'<div class="on-page">{e(ui("broken_link_on", self.lang))} {_link(link["page"])}</div>'
                + (f'<div class="fix"><b>{e(ui("fix", self.lang))}:</b> {e(link["fix"])}</div>' if link["fix"] else "")
                + "</div></li>")
        title = f'<p class="crawl-title">{e(crawl.broken_title)}</p>' if crawl.broken_title else ""
        listing = f'<ul class="findings">{"".join(rows)}</ul>' if rows else ""
        return (f'<section class="group crawl" id="crawl">\n<div class="group-head"><h2>{e(ui("report_crawl", self.lang))}'
                f'</h2></div>\n<div class="item crawl-box"><ul class="notes">{notes}</ul>{title}{listing}</div>\n</section>')

    def _group(self, index: int, group: str, items: list[ItemResult]) -> str:
        lang = self.lang
        tally = []
        for status in view.STATUS_ORDER:
            n = sum(1 for i in items if i.status is status)
            if n:
                tally.append(f'<span class="st-{status.value}">{e(view.status_word(status, lang))} <b>{n}</b></span>')
        name = group or ui("report_no_group", lang)
        return (f'<section class="group" id="group-{index}">\n<div class="group-head"><h2>{e(name)}</h2>'
                f'<span class="tally">{e(ui("report_items_count", lang, n=len(items)))} · {" · ".join(tally)}</span>'
                "</div>\n" + "\n".join(self._item(i) for i in items) + "\n</section>")

    def _item(self, item: ItemResult) -> str:
        lang = self.lang
        conf = (f' <span class="conf" title="{e(ui("hint_confidence", lang))}">{e(ui("confidence_mark", lang))}</span>'
                if item.confidence == "unverified" else "")
        out = [f'<article class="item st-{item.status.value}" id="item-{e(item.code)}" data-status="{item.status.value}">',
               f'<div class="item-head"><span class="code">{e(item.code)}</span>'
               f"<h3>{e(view.item_name(item, lang))}{conf}</h3>"
               f'<span class="badge st-{item.status.value}">{e(view.ICONS[item.status])} '
               f"{e(view.status_word(item.status, lang))}</span></div>"]
        if item.findings:
            out.append(f'<div class="url">{self._findings(view.problems(item.findings, lang))}</div>')
        for url in item.urls:
            out.append(self._url(item, url))
        out.append("</article>")
        return "\n".join(out)

    def _url(self, item: ItemResult, url: UrlResult) -> str:
        lang = self.lang
        chips = []
        status = view.http_status(url)
        if status is not None:
            chips.append(f'<span class="chip">HTTP {status}</span>')
        kind = view.file_kind(url)
        if kind:
            chips.append(f'<span class="chip">{e(kind)}</span>')
        if url.url == item.passing_url and len(item.urls) > 1:
            chips.append(f'<span class="chip passing">{e(ui("report_passing", lang))}</span>')
        shown = view.problems(url.findings, lang) if url.status is not Status.PASS else view.highlights(url.findings, lang)
        parts = [f'<div class="url" data-status="{url.status.value}">',
                 f'<div class="url-line">{_link(url.url)}{"".join(chips)}</div>', self._findings(shown),
                 self._evidence(url), "</div>"]
        return "\n".join(p for p in parts if p)

    def _findings(self, shown: list[view.Shown]) -> str:
        lang = self.lang
        rows = []
        for f in shown:
            fix = (f'<div class="fix"><b>{e(ui("fix", lang))}:</b> {e(f.fix)}</div>'
                   if f.fix and f.status is not Status.PASS else "")
            reason = f'<code class="reason">{e(f.reason)}</code>' if f.status is not Status.PASS else ""
            rows.append(f'<li class="finding st-{f.status.value}" data-reason="{e(f.reason)}">'
                        f'<span class="icon">{e(view.ICONS[f.status])}</span>'
                        f'<div><span class="msg">{e(f.message)}</span>{reason}{fix}</div></li>')
        return f'<ul class="findings">{"".join(rows)}</ul>' if rows else ""

    def _evidence(self, url: UrlResult) -> str:
        lang = self.lang
        rows: list[tuple[str, str]] = []
        title, heading = view.page_title(url), view.page_heading(url)
        if title:
            rows.append((ui("report_title_label", lang), f'<span class="page-title">{e(title)}</span>'))
        if heading:
            rows.append((ui("report_heading_label", lang), e(heading)))
        if url.fetch and url.fetch.redirects:
            chain = [*(r.url for r in url.fetch.redirects), url.fetch.final_url]
            rows.append((ui("report_redirects", lang), '<ol class="path">' + "".join(
                f"<li>{_link(u)}</li>" for u in chain) + "</ol>"))
        hops = view.click_path(url)
        if hops:
            items = "".join(f"<li>{_link(h.url, view.hop_label(h, i, url.url, lang))}</li>" for i, h in enumerate(hops))
            rows.append((ui("report_click_path", lang), f'<ol class="path">{items}</ol>'))
        snippets = view.snippets(url, lang)
        if snippets:
            rows.append((ui("report_snippets", lang), '<ul class="snips">' + "".join(
                f'<li><span class="el">{e(label)}</span><q>{e(text)}</q></li>' for label, text in snippets) + "</ul>"))
        shots = view.screenshots(url)
        if shots:
            rows.append((ui("report_screenshot", lang), '<div class="shots">' + "".join(
                self._shot(path, view.thumbnail(url, path)) for path in shots) + "</div>"))
        if not rows:
            return ""
        return '<dl class="evidence">' + "".join(f"<dt>{e(k)}</dt><dd>{v}</dd>" for k, v in rows) + "</dl>"

    def _shot(self, path: str, thumbnail: str | None) -> str:
        """A thumbnail that enlarges on a click (no script), and a link to the full image."""
        full = self._file(path)
        if not full.is_file():
            return f'<span class="missing-file">{e(ui("report_screenshot_missing", self.lang, path=path))}</span>'
        link = f'<a class="full" href="{e(full.as_uri())}">{e(ui("report_screenshot_full", self.lang))}</a>'
        data = (self._image(self._file(thumbnail), None) if thumbnail else None) \
            or self._image(full, MAX_EMBED_BYTES)
        if data is None:
            return f"<span>{link}</span>"
        self._shot_id += 1
        box = f"shot-{self._shot_id}"
        return (f'<span><input type="checkbox" class="zoom" id="{box}">'
                f'<label class="shot" for="{box}" title="{e(ui("report_screenshot_zoom", self.lang))}">'
                f'<img src="{data}" alt="{e(ui("report_screenshot", self.lang))}: {e(path)}"></label>{link}</span>')

    def _file(self, path: str) -> Path:
        """A screenshot path as an absolute path (a relative one is under ``evidence_root``)."""
        file = Path(path)
        return file if file.is_absolute() else (self.evidence_root or Path.cwd()) / file

    @staticmethod
    def _image(file: Path, most: int | None) -> str | None:
        """An image file as a ``data:`` URI; None when it is missing, larger than ``most`` bytes or
        not an image."""
        try:
            if not file.is_file() or (most is not None and file.stat().st_size > most):
                return None
            data = file.read_bytes()
        except OSError:
            return None
        for magic, media in IMAGE_TYPES.items():
            if data.startswith(magic):
                return f"data:{media};base64,{base64.b64encode(data).decode('ascii')}"
        return None


def _link(url: str, text: str | None = None) -> str:
    """A link for an http(s) URL; any other URL is shown as text, never as a link."""
    href = view.safe_href(url)
    label = e(text if text is not None else url)
    if href is None:
        return f'<span class="plain">{label}</span>'
    return f'<a href="{e(href)}" rel="noopener noreferrer">{label}</a>'
