"""The evidence bundle: proof of what every item URL showed on the night it was checked.

One folder per run under the evidence directory, named by the run id::

    <dir>/20250301T020000Z-1a2b3c/
      manifest.json              the run, its items, and every file with its sha256
      responses.warc.gz          with --warc: the HTTP responses, rendered DOMs and screenshots
      urls/01-o24-report.pdf/    one folder per item URL
        fetch.json               final URL, redirect chain, response headers, sha256 of the bytes
                                 (and the browser's view when the page was rendered)
        text.txt                 the extracted text the checks read
        findings.json            every finding per item, with the matched snippets
        linked.json              the evidence the item page links, as fetched (URL, link text, status, sha256)
        screenshot.png           full page, height capped (HTML: Chromium; PDF: page 1, pdftoppm)
        thumbnail.jpg            the top of it, 480 px wide: what the HTML report embeds (it links the PNG)
        rendered.html            the DOM after scripts ran, when the verdict used the browser

Files are written to ``.partial-<token>`` first and renamed when the run ends, so a folder named
by a run id is complete. ``prune`` deletes runs older than ``[evidence] max_age_days``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import hashlib
import io
import json
import os
import re
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from . import paths
from .checks import Page
from .config import LoadedConfig
from .models import AuditResult, FetchResult

SCHEMA = "oit-checker/evidence/v1"
ENV_DIR = "OIT_CHECKER_EVIDENCE_DIR"
"""Environment variable naming the evidence directory when ``[evidence] dir`` is not set."""
RUN_DIR = re.compile(r"^(\d{8}T\d{6}Z)-[0-9a-z]+$")
PARTIAL_PREFIX = ".partial-"
PDF_SCREENSHOT_WIDTH = 1000
THUMBNAIL_WIDTH = 480
THUMBNAIL_QUALITY = 70
"""Thumbnails are JPEGs this wide at this quality (12–60 kB on the demo, against 65–200 kB PNGs):
a report embeds one per screenshot."""
KINDS = ("screenshot", "thumbnail", "fetch", "text", "findings", "rendered", "linked")


def default_dir() -> Path:
    """``$OIT_CHECKER_EVIDENCE_DIR``, else ``evidence`` in the user's data directory, next to the
    history (``oit_checker.paths.data_dir``)."""
    if os.environ.get(ENV_DIR):
        return Path(os.environ[ENV_DIR]).expanduser()
    return paths.data_dir() / "evidence"


def resolve_dir(loaded: LoadedConfig) -> Path:
    """The evidence directory: ``[evidence] dir`` (relative to the config file) or ``default_dir()``."""
    configured = loaded.config.evidence.dir
    return paths.from_config(loaded, configured) if configured else default_dir()


@dataclass(frozen=True)
class EvidenceOptions:
    """What to keep (the ``[evidence]`` table; built by ``oit_checker.options.evidence_options``)."""

    root: Path
    screenshots: str
    """``all``, ``rendered`` or ``none``."""
    warc: bool
    max_age_days: int


class Staging:
    """The evidence of one run while it is being gathered (see the module docstring): where the
    browser writes screenshots (``oit_checker.browse.ShotPaths``) and the PDF page-1 images."""

    def __init__(self, options: EvidenceOptions, item_urls: Iterable[str], *, max_height: int) -> None:
        self.options = options
        self.max_height = max_height
        """Screenshots are cut at this height (``[evidence] screenshot_max_height``)."""
        self.thumbnail = (THUMBNAIL_WIDTH, THUMBNAIL_WIDTH * 3 // 2, THUMBNAIL_QUALITY)
        """Width, height and JPEG quality of a screenshot's thumbnail."""
        self.staging = options.root / f"{PARTIAL_PREFIX}{secrets.token_hex(4)}"
        self._dirs = {url: f"{n:02d}-{_slug(url)}" for n, url in enumerate(sorted(set(item_urls)), start=1)}
        self.screenshots: dict[str, Path] = {}
        """URL -> PDF page-1 screenshot written (staging path until ``write_bundle``)."""
        self.screenshot_notes: dict[str, str] = {}
        """URL -> why there is no screenshot, or how it was made."""

    @classmethod
    def for_run(cls, loaded: LoadedConfig, item_urls: Iterable[str], warc: bool | None = None) -> Staging | None:
        """The run's staging from ``[evidence]`` (``warc`` overrides its ``warc``), None when disabled."""
        from .options import evidence_options  # it imports this module

        options = evidence_options(loaded, warc)
        if options is None:
            return None
        return cls(options, item_urls, max_height=loaded.config.evidence.screenshot_max_height)

    @property
    def item_urls(self) -> tuple[str, ...]:
        """The item URLs, in folder order."""
        return tuple(self._dirs)

    def url_dir(self, url: str) -> Path:
        """The staging folder of an item URL."""
        return self.staging / "urls" / self._dirs.get(url, _slug(url))

    def screenshot_path(self, url: str) -> Path:
        """Where the browser should write this URL's screenshot."""
        return self.url_dir(url) / "screenshot.png"

    def thumbnail_path(self, url: str) -> Path:
        """Where the small JPEG of the screenshot goes (``THUMBNAIL_WIDTH``)."""
        return self.url_dir(url) / "thumbnail.jpg"

    async def pdf_screenshot(self, url: str, body: bytes) -> Path | None:
        """Page 1 of a PDF as a PNG (poppler's ``pdftoppm``), or None when it cannot be made."""
        target = self.screenshot_path(url)
        made = await asyncio.to_thread(_pdf_page_png, body, target)
        if made:
            await asyncio.to_thread(_pdf_page_jpeg, body, self.thumbnail_path(url))
            self.screenshots[url] = target
            self.screenshot_notes[url] = "pdf page 1 (pdftoppm)"
        else:
            self.screenshot_notes[url] = "pdftoppm not available or failed"
        return target if made else None

    def discard(self) -> None:
        """Remove the staging folder (the run produced nothing to keep)."""
        shutil.rmtree(self.staging, ignore_errors=True)

    def write(self, result: AuditResult, http_pages: Mapping[str, Page],
              pages: Mapping[str, Page]) -> tuple[Path, dict[str, dict[str, str]]]:
        """Write every file, move the bundle to ``<root>/<run id>``; returns it and each URL's files.

        ``http_pages``: what the HTTP fetcher got; ``pages``: what the checks read (the rendered
        page where the browser was used), whose ``browser`` says what the browser did.
        """
        views = {url: page.browser for url, page in pages.items() if page.browser is not None}
        rendered = {url: view.seen for url, view in views.items() if view.seen is not None}
        shots = {**self.screenshots, **{url: v.screenshot for url, v in views.items() if v.screenshot is not None}}
        findings_by_url: dict[str, dict[str, list[dict[str, Any]]]] = {}
        for item in result.items:
            for url_result in item.urls:
                findings_by_url.setdefault(url_result.url, {})[item.code] = [
                    {"check": f.check.value, "status": f.status.value, "reason": f.reason,
                     "params": f.params, "evidence": f.evidence} for f in url_result.findings]
        staged: dict[str, dict[str, Path]] = {}
        for url in self._dirs:
            folder = self.url_dir(url)
            folder.mkdir(parents=True, exist_ok=True)
            files: dict[str, Path] = {}
            http_page, page = http_pages.get(url), pages.get(url)
            seen = rendered.get(url)
            view = views.get(url)
            record = {"url": url, "http": _fetch_record(http_page.fetch) if http_page else None,
                      "browser": None, "render": dict(view.notes) if view is not None else {}}
            if seen is not None:
                record["browser"] = {**_fetch_record(seen.fetch), "response_headers": seen.response_headers,
                                     "title": seen.title, "screenshot_error": seen.screenshot_error}
            if url in self.screenshot_notes:
                record["screenshot"] = self.screenshot_notes[url]
            files["fetch"] = _write_json(folder / "fetch.json", record)
            doc = page.doc if page is not None else None
            if doc is not None and doc.text:
                files["text"] = folder / "text.txt"
                files["text"].write_text(doc.text, encoding="utf-8")
            if page is not None and page.fetch.rendered_by and page.fetch.body:
                files["rendered"] = folder / "rendered.html"
                files["rendered"].write_bytes(page.fetch.body)
            files["findings"] = _write_json(folder / "findings.json", findings_by_url.get(url, {}))
            if page is not None and page.attachments:
                files["linked"] = _write_json(folder / "linked.json", [
                    {"url": a.url, "link_text": a.text, **_fetch_record(a.fetch),
                     "text_source": a.doc.text_source if a.doc is not None else None} for a in page.attachments])
            shot = shots.get(url)
            if shot is not None and shot.is_file():
                files["screenshot"] = shot
                thumb = self.thumbnail_path(url)
                if thumb.is_file():
                    files["thumbnail"] = thumb
            staged[url] = files
        warc_file = None
        if self.options.warc:
            warc_file = self.staging / "responses.warc.gz"
            write_warc(warc_file, http_pages, rendered, shots, result)
        final = self.options.root / result.run_id
        manifest = self._manifest(result, staged, warc_file, final)
        _write_json(self.staging / "manifest.json", manifest)
        if final.exists():
            shutil.rmtree(final)
        self.staging.rename(final)
        links = {url: {kind: str(final / path.relative_to(self.staging)) for kind, path in files.items()}
                 for url, files in staged.items()}
        return final, links

    def _manifest(self, result: AuditResult, staged: dict[str, dict[str, Path]], warc_file: Path | None,
                  final: Path) -> dict[str, Any]:
        def entry(path: Path) -> dict[str, Any]:
            data = path.read_bytes()
            return {"path": str(path.relative_to(self.staging)), "sha256": hashlib.sha256(data).hexdigest(),
                    "bytes": len(data)}

        return {
            "schema": SCHEMA, "run_id": result.run_id,
            "started_at": result.started_at.isoformat(timespec="seconds"),
            "finished_at": result.finished_at.isoformat(timespec="seconds"),
            "tool_version": result.tool_version, "agency": result.agency_name, "homepage": result.homepage,
            "checklist_id": result.checklist_id, "browser": result.browser, "folder": str(final),
            "items": [{"code": i.code, "status": i.status.value, "urls": [u.url for u in i.urls]} for i in result.items],
            "urls": {url: {"folder": str((self.url_dir(url)).relative_to(self.staging)),
                           "files": {kind: entry(path) for kind, path in files.items()}}
                     for url, files in staged.items()},
            "warc": entry(warc_file) if warc_file is not None else None,
        }


async def pdf_screenshots(staging: Staging, pages: Mapping[str, Page]) -> None:
    """Page 1 of every item PDF as a screenshot (``screenshots = "all"``), kept in ``staging``."""
    if staging.options.screenshots != "all":
        return
    await asyncio.gather(*(staging.pdf_screenshot(url, page.fetch.body) for url in staging.item_urls
                           if (page := pages.get(url)) is not None and _is_pdf(page)))


def write_bundle(result: AuditResult, http_pages: Mapping[str, Page], pages: Mapping[str, Page],
                 staging: Staging) -> AuditResult:
    """Write the run's bundle once its result exists, and link it from the result
    (``evidence_dir``, each ``UrlResult.evidence_files``); one that cannot be written is said in
    ``browser["evidence_error"]``, never losing the audit itself. Findings are left as they are."""
    try:
        folder, links = staging.write(result, http_pages, pages)
        prune(staging.options.root, staging.options.max_age_days)
    except OSError as exc:
        staging.discard()
        return dataclasses.replace(result, browser={**result.browser, "evidence_error": str(exc)[:200]})
    items = tuple(dataclasses.replace(item, urls=tuple(dataclasses.replace(url, evidence_files=links.get(url.url, {}))
                                                      for url in item.urls)) for item in result.items)
    return dataclasses.replace(result, items=items, evidence_dir=str(folder))


def _is_pdf(page: Page) -> bool:
    return page.fetch.ok and page.fetch.body.lstrip()[:5].startswith(b"%PDF")


def prune(root: Path, max_age_days: int, now: dt.datetime | None = None) -> list[Path]:
    """Delete run folders older than ``max_age_days`` (by the time in their name) and abandoned
    ``.partial-*`` folders older than a day; nothing else in ``root`` is touched. 0 keeps all."""
    if max_age_days <= 0 or not root.is_dir():
        return []
    now = now or dt.datetime.now(dt.UTC)
    cutoff = now - dt.timedelta(days=max_age_days)
    removed: list[Path] = []
    for child in root.iterdir():
        if not child.is_dir():
            continue
        match = RUN_DIR.match(child.name)
        if match:
            started = dt.datetime.strptime(match.group(1), "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
            old = started < cutoff
        elif child.name.startswith(PARTIAL_PREFIX):
            old = dt.datetime.fromtimestamp(child.stat().st_mtime, dt.UTC) < now - dt.timedelta(days=1)
        else:
            continue
        if old:
            shutil.rmtree(child, ignore_errors=True)
            removed.append(child)
    return removed


def write_warc(target: Path, http_pages: Mapping[str, Page], rendered: Mapping[str, Any],
               screenshots: Mapping[str, Path], result: AuditResult) -> None:
    """A gzipped WARC of the run: a ``response`` record per HTTP response (redirect hops included,
    bodies as decoded by the client), the rendered DOMs and the screenshots as ``resource`` records."""
    from warcio.statusandheaders import StatusAndHeaders  # type: ignore[import-untyped]
    from warcio.warcwriter import WARCWriter  # type: ignore[import-untyped]

    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        info = {"software": f"oit-checker/{result.tool_version}", "format": "WARC File Format 1.1",
                "run-id": result.run_id, "agency": result.agency_name}
        writer.write_record(writer.create_warcinfo_record(target.name, info))
        for _url, page in sorted(http_pages.items()):
            fetch = page.fetch
            hops = [*fetch.redirects]
            for n, hop in enumerate(hops):
                location = hops[n + 1].url if n + 1 < len(hops) else fetch.final_url
                headers = StatusAndHeaders(f"{hop.status} Redirect", [("Location", location)], protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(hop.url, "response", payload=io.BytesIO(b""),
                                                              length=0, http_headers=headers))
            if fetch.status is None:
                continue
            kept = [(k, v) for k, v in fetch.headers.items()
                    if k not in ("content-encoding", "transfer-encoding", "content-length")]
            kept.append(("Content-Length", str(len(fetch.body))))
            headers = StatusAndHeaders(f"{fetch.status} {_reason(fetch.status)}", kept, protocol="HTTP/1.1")
            extra = {"WARC-Date": _warc_date(fetch.fetched_at)} if fetch.fetched_at else {}
            if fetch.truncated:
                extra["WARC-Truncated"] = "length"
            writer.write_record(writer.create_warc_record(fetch.final_url, "response", payload=io.BytesIO(fetch.body),
                                                          length=len(fetch.body), http_headers=headers,
                                                          warc_headers_dict=extra))
        for url, seen in sorted(rendered.items()):
            if seen.fetch.body:
                writer.write_record(writer.create_warc_record(
                    f"urn:rendered:{url}", "resource", payload=io.BytesIO(seen.fetch.body),
                    length=len(seen.fetch.body), warc_content_type="text/html; charset=utf-8"))
        for url, shot in sorted(screenshots.items()):
            if shot.is_file():
                png = shot.read_bytes()
                writer.write_record(writer.create_warc_record(
                    f"urn:screenshot:{url}", "resource", payload=io.BytesIO(png), length=len(png),
                    warc_content_type="image/png"))


def _fetch_record(fetch: FetchResult) -> dict[str, Any]:
    return {
        "final_url": fetch.final_url, "http_status": fetch.status,
        "redirects": [{"url": r.url, "status": r.status} for r in fetch.redirects],
        "headers": fetch.headers, "content_type": fetch.content_type,
        "sha256": hashlib.sha256(fetch.body).hexdigest() if fetch.body else None, "bytes": len(fetch.body),
        "truncated": fetch.truncated, "fetched_at": fetch.fetched_at, "elapsed_s": fetch.elapsed,
        "attempts": fetch.attempts, "error": fetch.error, "error_detail": fetch.error_detail,
        "tls_error": fetch.tls_error, "rendered_by": fetch.rendered_by or None,
    }


def _write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
    return path


def _slug(url: str) -> str:
    """A short, safe folder name from a URL's last path segment (Thai kept, unsafe characters out)."""
    parts = urlsplit(url)
    segment = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1]) or parts.hostname or "page"
    cleaned = re.sub(r"[^\w.\-]+", "-", segment, flags=re.UNICODE).strip("-.")[:40]
    return cleaned or hashlib.sha256(url.encode()).hexdigest()[:10]


def _pdf_page_png(body: bytes, target: Path) -> bool:
    return _pdftoppm(body, target, ["-png", "-scale-to", str(PDF_SCREENSHOT_WIDTH)], "png")


def _pdf_page_jpeg(body: bytes, target: Path) -> bool:
    """Page 1 as the report's thumbnail (poppler writes the JPEG itself: no imaging library)."""
    return _pdftoppm(body, target, ["-jpeg", "-jpegopt", f"quality={THUMBNAIL_QUALITY}",
                                    "-scale-to-x", str(THUMBNAIL_WIDTH), "-scale-to-y", "-1"], "jpg")


def _pdftoppm(body: bytes, target: Path, options: list[str], suffix: str) -> bool:
    """Page 1 of a PDF as an image file made by ``pdftoppm``; False when it cannot be made."""
    tool = shutil.which("pdftoppm")
    if tool is None or not body.lstrip()[:5].startswith(b"%PDF"):
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="oit-pdf-") as tmp:
        source = Path(tmp) / "doc.pdf"
        source.write_bytes(body)
        try:
            done = subprocess.run(  # noqa: S603 - fixed tool, our own temp files
                [tool, *options, "-f", "1", "-l", "1", "-singlefile", str(source), str(Path(tmp) / "page")],
                capture_output=True, timeout=60, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return False
        made = Path(tmp) / f"page.{suffix}"
        if done.returncode != 0 or not made.is_file():
            return False
        shutil.move(str(made), target)
    return True


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _warc_date(iso: str) -> str:
    return iso.replace("+00:00", "Z")
