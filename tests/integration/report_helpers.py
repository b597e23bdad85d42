"""Audit results for the report tests: the demo's, and a hostile page's (titles with markup).

Both come from real audits of sites served on 127.0.0.1, not from hand-made objects.
"""

from __future__ import annotations

import dataclasses
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from oit_checker.audit import run_audit as _run_audit
from oit_checker.config import LoadedConfig, parse_config_text
from oit_checker.demo.server import start_site_server
from oit_checker.models import AuditResult, ItemResult, UrlResult

EVIDENCE_ENV = "OIT_CHECKER_EVIDENCE_DIR"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]

HOSTILE_TITLE = "<script>alert(1)</script> ข้อมูลผู้บริหาร"
HOSTILE_HEADING = '<img src=x onerror="alert(2)"> คณะผู้บริหาร & "ทีมงาน"'
HOSTILE_PAGE = """<!DOCTYPE html>
<html lang="th"><head><meta charset="utf-8">
<title>&lt;script&gt;alert(1)&lt;/script&gt; ข้อมูลผู้บริหาร</title></head>
<body><h1>&lt;img src=x onerror="alert(2)"&gt; คณะผู้บริหาร &amp; "ทีมงาน"</h1>
<p>นายสมชาย &lt;b onmouseover=alert(3)&gt;ใจดี ตำแหน่ง อธิบดี ``| [link](javascript:alert(4)) =HYPERLINK("x")</p>
</body></html>
"""
HOSTILE_INDEX = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>หน้าแรก</title></head>' \
                '<body><a href="/ita/report.html">รายงาน</a></body></html>'


def run_audit(loaded: LoadedConfig, evidence: Path) -> AuditResult:
    """``run_audit`` in a thread of its own (sync Playwright keeps an event loop running here),
    with the evidence bundle (screenshots) under ``evidence`` instead of the user's data directory."""
    previous = os.environ.get(EVIDENCE_ENV)
    os.environ[EVIDENCE_ENV] = str(evidence)
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(_run_audit, loaded).result()
    finally:
        if previous is None:
            del os.environ[EVIDENCE_ENV]
        else:
            os.environ[EVIDENCE_ENV] = previous


def hostile_site(root: Path) -> Path:
    """Write a one-item site whose page title, heading and text carry markup."""
    (root / "ita").mkdir(parents=True, exist_ok=True)
    (root / "index.html").write_text(HOSTILE_INDEX, encoding="utf-8")
    (root / "ita" / "report.html").write_text(HOSTILE_PAGE, encoding="utf-8")
    return root


def hostile_result(root: Path, evidence: Path) -> AuditResult:
    """A real audit of the hostile site (item O2 of ita-2567, on the main website; it fails)."""
    with start_site_server(hostile_site(root)) as server:
        base = server.base_url.rstrip("/")
        loaded = parse_config_text(f"""
[agency]
name = "กรมทดสอบ <b>ตัวหนา</b>"
homepage = "{base}/"
domains = ["127.0.0.1"]
[audit]
checklist = "ita-2567"
select = ["O2"]
[http]
retries = 0
per_host_interval = 0
[items.O2]
urls = ["{base}/ita/report.html"]
""", str(root / "config.toml"), root)
        return run_audit(loaded, evidence)


def with_evidence(result: AuditResult, code: str, **evidence: object) -> AuditResult:
    """``result`` with extra evidence on the first finding of ``code``'s first URL.

    Stands in for what the crawl (``click_path``) adds; a ``screenshot`` goes where the evidence
    bundle puts it (``UrlResult.evidence_files``), never in a finding.
    """
    shot = evidence.pop("screenshot", None)

    def item(i: ItemResult) -> ItemResult:
        if i.code != code:
            return i
        first, *rest = i.urls
        finding, *others = first.findings
        finding = dataclasses.replace(finding, evidence={**finding.evidence, **evidence})
        files = first.evidence_files
        if shot is not None:  # a screenshot of its own, without the bundle's thumbnail of another
            files = {**{k: v for k, v in files.items() if k != "thumbnail"}, "screenshot": str(shot)}
        url = dataclasses.replace(first, findings=(finding, *others), evidence_files=files)
        return dataclasses.replace(i, urls=(url, *rest))
    return dataclasses.replace(result, items=tuple(item(i) for i in result.items))


def merged(first: AuditResult, second: AuditResult) -> AuditResult:
    """``first`` with ``second``'s items appended (one report showing both sites)."""
    return dataclasses.replace(first, items=first.items + second.items)


def stable(result: AuditResult) -> AuditResult:
    """``result`` without what depends on the machine or the day: evidence file paths (and whether a
    browser made screenshots), the round being assessed, the crawl's duration, and links to hosts outside 127.0.0.1 (the demo
    homepage links to Facebook: a DNS error offline, anything online)."""
    def url(u: UrlResult) -> UrlResult:
        return dataclasses.replace(u, evidence_files={})

    items = tuple(dataclasses.replace(i, urls=tuple(url(u) for u in i.urls)) for i in result.items)
    # the round assessed depends on today's date: pinned to the one of December 2026
    choice = {**result.checklist_choice, "current_assessment_year": 2570,
              "other_year": result.checklist_choice.get("assessment_year") != 2570} if result.checklist_choice else {}
    result = dataclasses.replace(result, items=items, checklist_choice=choice)
    crawl = result.crawl
    if crawl is None:
        return result
    local = tuple(b for b in crawl.broken_links if b.url.startswith("http://127.0.0.1:"))
    return dataclasses.replace(result, crawl=dataclasses.replace(crawl, elapsed=0.0, broken_links=local))


def normalise(text: str, result: AuditResult) -> str:
    """Remove what changes between runs: ports, run id, times, durations."""
    base = re.escape(result.homepage.rstrip("/"))
    text = re.sub(base, "http://127.0.0.1:PORT", text)
    text = re.sub(r"http://127\.0\.0\.1:\d+", "http://127.0.0.1:PORT", text)
    text = text.replace(result.run_id, "RUN-ID")
    text = re.sub(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:\+00:00|Z)?", "YYYY-MM-DDTHH:MM:SS", text)
    text = re.sub(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", "YYYY-MM-DD HH:MM UTC", text)
    return re.sub(r'time="[0-9.]+"', 'time="T"', text)
