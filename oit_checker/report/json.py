"""The JSON report (contract: ``oit-checker/report/v1``)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ..deadline import deadline_status
from ..messages import reason_fix, reason_message
from ..models import AuditResult, Finding, ItemResult, UrlResult
from ._view import choice_notes
from .crawl_section import crawl_dict
from .interface import Reporter

SCHEMA = "oit-checker/report/v1"


def _deadline(result: AuditResult) -> dict[str, Any] | None:
    """The ITAS deadline and the days left (``[assessment] submission_deadline``), or None."""
    status = deadline_status(result)
    if status is None:
        return None
    return {"date": status.deadline.isoformat(), "days_left": status.days_left, "near": status.near,
            "still_failing": list(status.failing)}


class JsonReporter(Reporter):
    """See ``Reporter``. Messages are in the report's language; reason codes never change."""

    def render(self, result: AuditResult) -> str:
        """See ``Reporter.render``."""
        return json.dumps(self.as_dict(result), ensure_ascii=False, indent=2) + "\n"

    def as_dict(self, result: AuditResult) -> dict[str, Any]:
        """The report as plain data (what ``render`` serialises)."""
        counts = result.counts()
        return {
            "schema": SCHEMA,
            "run": {
                "id": result.run_id,
                "started_at": result.started_at.isoformat(timespec="seconds"),
                "finished_at": result.finished_at.isoformat(timespec="seconds"),
                "tool_version": result.tool_version,
                "checklist_id": result.checklist_id,
                "checklist_title": result.checklist_title,
                "assessment_year": result.assessment_year,
                "fiscal_year": {"current": result.assessment_year, "previous": result.assessment_year - 1},
                "checklist_choice": {**result.checklist_choice, "notes": choice_notes(result, self.lang)}
                if result.checklist_choice else None,
                "complete": result.complete,
                "lang": self.lang,
                "deadline": _deadline(result),
                "browser": result.browser or None,
                "evidence_dir": result.evidence_dir,
            },
            "agency": {"name": result.agency_name, "homepage": result.homepage,
                       "homepage_problem": result.homepage_problem},
            "summary": {"total": len(result.items), **{s.value: n for s, n in counts.items()}},
            "items": [self._item(i) for i in result.items],
            "crawl": crawl_dict(result.crawl, self.lang),
        }

    def _item(self, item: ItemResult) -> dict[str, Any]:
        return {
            "code": item.code, "name_th": item.name_th, "name_en": item.name_en, "group": item.group,
            "confidence": item.confidence, "status": item.status.value, "passing_url": item.passing_url,
            "findings": [self._finding(f) for f in item.findings],
            "urls": [self._url(u) for u in item.urls],
        }

    def _url(self, url: UrlResult) -> dict[str, Any]:
        fetch = url.fetch
        return {
            "url": url.url,
            "final_url": fetch.final_url if fetch else None,
            "http_status": fetch.status if fetch else None,
            "redirects": [{"url": r.url, "status": r.status} for r in fetch.redirects] if fetch else [],
            "content_type": fetch.content_type if fetch else None,
            "sha256": hashlib.sha256(fetch.body).hexdigest() if fetch and fetch.body else None,
            "fetched_at": fetch.fetched_at if fetch else None,
            "elapsed_s": fetch.elapsed if fetch else None,
            "rendered_by": (fetch.rendered_by or None) if fetch else None,
            "status": url.status.value,
            "evidence_files": url.evidence_files,
            "checks": [self._finding(f) for f in url.findings],
        }

    def _finding(self, finding: Finding) -> dict[str, Any]:
        return {
            "check": finding.check.value, "status": finding.status.value, "reason": finding.reason,
            "message": reason_message(finding.reason, finding.params, self.lang),
            "fix": reason_fix(finding.reason, finding.params, self.lang),
            "evidence": finding.evidence,
        }
