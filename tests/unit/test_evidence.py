"""The evidence bundle without a browser: pruning by age, the WARC file, the default directory."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from oit_checker.checks import BrowserView, Page
from oit_checker.config import parse_config_text
from oit_checker.evidence import Staging, default_dir, prune, resolve_dir, write_bundle, write_warc
from oit_checker.fetch.browser import Rendered
from oit_checker.models import AuditResult, Check, FetchResult, Finding, ItemResult, Redirect, Status, UrlResult
from oit_checker.options import defaults

NOW = dt.datetime(2025, 3, 1, 2, 0, tzinfo=dt.UTC)


def test_prune_removes_only_old_runs_and_abandoned_partials(tmp_path: Path) -> None:
    old = tmp_path / "20241101T020000Z-aaaaaa"
    recent = tmp_path / "20250220T020000Z-bbbbbb"
    partial_old = tmp_path / ".partial-1234abcd"
    unrelated = tmp_path / "my-notes"
    for folder in (old, recent, partial_old, unrelated):
        folder.mkdir()
        (folder / "manifest.json").write_text("{}")
    stamp = (NOW - dt.timedelta(days=3)).timestamp()
    import os
    os.utime(partial_old, (stamp, stamp))
    removed = prune(tmp_path, 90, now=NOW)
    assert sorted(p.name for p in removed) == sorted([old.name, partial_old.name])
    assert recent.is_dir() and unrelated.is_dir() and not old.exists()
    assert prune(tmp_path, 0, now=NOW) == []  # 0 keeps everything


def test_warc_holds_the_responses_redirects_and_screenshots(tmp_path: Path) -> None:
    fetch = FetchResult(url="http://a.example/x", final_url="http://a.example/y", status=200,
                        headers={"content-type": "text/html; charset=utf-8", "content-encoding": "gzip"},
                        body="<h1>อำนาจหน้าที่</h1>".encode(), redirects=(Redirect("http://a.example/x", 301),),
                        fetched_at="2025-03-01T02:00:00+00:00")
    shot = tmp_path / "shot.png"
    shot.write_bytes(b"\x89PNG\r\n\x1a\nfake")
    result = AuditResult(run_id="20250301T020000Z-abcdef", started_at=NOW, finished_at=NOW, tool_version="0.1.0",
                         checklist_id="ita-2567", checklist_title="", assessment_year=2567, agency_name="กรม",
                         homepage="http://a.example/", items=())
    target = tmp_path / "run.warc.gz"
    write_warc(target, {fetch.url: Page(fetch)}, {}, {fetch.url: shot}, result)
    records = []
    with target.open("rb") as handle:
        for record in ArchiveIterator(handle):
            uri = record.rec_headers.get_header("WARC-Target-URI")
            status = record.http_headers.get_statuscode() if record.http_headers else None
            records.append((record.rec_type, uri, status, record.content_stream().read()))
    kinds = [(r[0], r[1], r[2]) for r in records]
    assert kinds[0][0] == "warcinfo"
    assert ("response", "http://a.example/x", "301") in kinds
    assert ("response", "http://a.example/y", "200") in kinds
    body = next(r[3] for r in records if r[1] == "http://a.example/y")
    assert body.decode() == "<h1>อำนาจหน้าที่</h1>"  # decoded body, no stale content-encoding
    assert next(r[3] for r in records if r[1] == f"urn:screenshot:{fetch.url}").startswith(b"\x89PNG")


def test_default_dir_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("OIT_CHECKER_EVIDENCE_DIR", raising=False)
    assert default_dir() == tmp_path / "xdg" / "oit-checker" / "evidence"
    monkeypatch.setenv("OIT_CHECKER_EVIDENCE_DIR", str(tmp_path / "ev"))
    assert default_dir() == tmp_path / "ev"
    agency = '[agency]\nname = "A"\nhomepage = "https://www.a.test/"\n'
    proof = parse_config_text(agency + '[evidence]\ndir = "proof"\n', str(tmp_path / "conf" / "config.toml"),
                              tmp_path / "conf")
    assert resolve_dir(proof) == tmp_path / "conf" / "proof"
    assert resolve_dir(parse_config_text(agency, "config.toml", tmp_path)) == tmp_path / "ev"


def test_warc_reader_sees_a_valid_gzip_file(tmp_path: Path) -> None:
    """warcio itself can iterate an empty-run WARC (only warcinfo)."""
    result = AuditResult(run_id="r", started_at=NOW, finished_at=NOW, tool_version="0.1.0", checklist_id="c",
                         checklist_title="", assessment_year=2567, agency_name="a", homepage="http://a/", items=())
    target = tmp_path / "empty.warc.gz"
    write_warc(target, {}, {}, {}, result)
    records = list(ArchiveIterator(io.BytesIO(target.read_bytes())))
    assert [r.rec_type for r in records] == ["warcinfo"]


def test_the_bundle_is_written_once_the_result_exists_and_findings_stay_as_they_were(tmp_path: Path) -> None:
    url = "http://a.example/o1"
    fetch = FetchResult(url=url, final_url=url, status=200, headers={"content-type": "text/html"},
                        body=b"<title>o1</title><p>text</p>", rendered_by="chromium")
    kept = defaults().evidence
    assert kept is not None
    staging = Staging(dataclasses.replace(kept, root=tmp_path / "evidence", warc=True, max_age_days=0), [url],
                      max_height=8000)
    shot = staging.screenshot_path(url)
    shot.parent.mkdir(parents=True)
    shot.write_bytes(b"\x89PNG\r\n\x1a\nfake")
    staging.thumbnail_path(url).write_bytes(b"\xff\xd8jpeg")
    seen = Rendered(fetch, title="o1", screenshot=shot)
    view = BrowserView(planned=True, rendered=True, needs={"O1": ("script",)}, seen=seen, screenshot=shot,
                       notes={"needed_for": ["script"], "rendered": True})
    finding = Finding(Check.CONTENT, Status.PASS, "elements_found", {}, {"snippet": "text"})
    item = ItemResult(code="O1", name_th="", name_en="", group="g", status=Status.PASS,
                      urls=(UrlResult(url, fetch, (finding,)),))
    result = AuditResult(run_id="20250301T020000Z-abcdef", started_at=NOW, finished_at=NOW, tool_version="0.1.0",
                         checklist_id="ita-2567", checklist_title="", assessment_year=2567, agency_name="กรม",
                         homepage="http://a.example/", items=(item,), browser={"mode": "auto"})
    written = write_bundle(result, {url: Page(fetch)}, {url: Page(fetch, browser=view)}, staging)
    [url_result] = written.items[0].urls
    assert url_result.findings == (finding,)  # no screenshot path copied into a finding
    assert url_result.screenshot is not None and Path(url_result.screenshot).read_bytes().startswith(b"\x89PNG")
    assert url_result.thumbnail is not None and Path(url_result.thumbnail).is_file()
    assert written.evidence_dir == str(tmp_path / "evidence" / result.run_id)
    record = json.loads(Path(url_result.evidence_files["fetch"]).read_text(encoding="utf-8"))
    assert record["render"] == {"needed_for": ["script"], "rendered": True} and record["browser"]["title"] == "o1"
    assert Path(written.evidence_dir, "responses.warc.gz").is_file() and not staging.staging.exists()


def test_a_bundle_that_cannot_be_written_is_said_and_the_audit_kept(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    kept = defaults().evidence
    assert kept is not None
    staging = Staging(dataclasses.replace(kept, root=blocker / "evidence"), ["http://a.example/o1"], max_height=8000)
    result = AuditResult(run_id="20250301T020000Z-abcdef", started_at=NOW, finished_at=NOW, tool_version="0.1.0",
                         checklist_id="ita-2567", checklist_title="", assessment_year=2567, agency_name="กรม",
                         homepage="http://a.example/", items=(), browser={"mode": "auto"})
    written = write_bundle(result, {}, {}, staging)
    assert written.evidence_dir is None and written.browser["mode"] == "auto" and written.browser["evidence_error"]
