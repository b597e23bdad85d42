"""`oit-checker demo` shows a screenshot per item and the evidence folder; `--browser` and `--warc`.

Expectations come from the demo's own config, so demo items added later are covered too.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from shared_demo import DemoRun
from test_cli import DEMO_EXPECTED
from warcio.archiveiterator import ArchiveIterator

from oit_checker.cli import main
from oit_checker.demo import demo_config

PNG = b"\x89PNG\r\n\x1a\n"


def demo_urls() -> dict[str, list[str]]:
    """Each demo item's URL paths, from the demo config."""
    loaded = demo_config("http://127.0.0.1:1")
    return {code: [u.removeprefix("http://127.0.0.1:1") for u in loaded.urls_for(code)]
            for code in loaded.config.audit.select}


ERROR_PAGES = ("/ita/o27-hr-criteria.html", "/ita/o37-risk-management.html")
"""The demo's 404 and bot-walled (403) pages: in ``auto`` mode only pages that opened are screenshotted."""


def has_screenshot(path: str) -> bool:
    """Pages that opened (Chromium) and PDFs (pdftoppm) get one; error pages and Office files do not."""
    return path.endswith((".html", "/", ".pdf")) and not path.endswith(ERROR_PAGES)


def test_demo_json_links_every_url_to_its_evidence(demo_run: DemoRun) -> None:
    assert demo_run.code == 1  # the session's `demo --format json --warc` run (tests/shared_demo.py)
    report = json.loads(demo_run.json_text)
    folder = Path(report["run"]["evidence_dir"])
    assert folder.is_dir() and folder.name == report["run"]["id"]
    assert report["run"]["browser"]["mode"] == "auto" and "Chromium" in report["run"]["browser"]["used"]
    for item in report["items"]:
        for url in item["urls"]:
            files = url["evidence_files"]
            assert Path(files["fetch"]).is_relative_to(folder)
            if has_screenshot(url["url"]):
                assert Path(files["screenshot"]).read_bytes().startswith(PNG), url["url"]
                assert Path(files["thumbnail"]).read_bytes().startswith(b"\xff\xd8\xff"), url["url"]
            fetch = json.loads(Path(files["fetch"]).read_text(encoding="utf-8"))
            assert fetch["url"] == url["url"] and fetch["http"]["final_url"] == url["final_url"]
            findings = json.loads(Path(files["findings"]).read_text(encoding="utf-8"))
            assert [c["reason"] for c in findings[item["code"]]] == [c["reason"] for c in url["checks"]]
    # a broken link that every page's OIT menu repeats is one row, with the other pages counted
    broken = report["crawl"]["broken_links"]
    assert len({b["url"] for b in broken}) == len(broken)
    [o27] = [b for b in broken if b["url"].endswith("/ita/o27-hr-criteria.html")]
    assert (o27["page"].endswith("/ita/"), o27["other_pages"]) == (True, 2)
    # O35's item page links its PDF report: the bundle records what was opened behind it
    o35 = next(i for i in report["items"] if i["code"] == "O35")["urls"][0]
    linked = json.loads(Path(o35["evidence_files"]["linked"]).read_text(encoding="utf-8"))
    assert [(a["url"].rsplit("/", 1)[-1], a["http_status"]) for a in linked] == [("o35-integrity-report-2566.pdf", 200)]
    # the manifest's sha256 of every file matches the file
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["run_id"] == report["run"]["id"]
    for entry in manifest["urls"].values():
        for file in entry["files"].values():
            assert hashlib.sha256((folder / file["path"]).read_bytes()).hexdigest() == file["sha256"]
    # --warc: the responses, with the O24 PDF's bytes exactly as served
    o24 = next(i for i in report["items"] if i["code"] == "O24")["urls"][0]
    with (folder / "responses.warc.gz").open("rb") as handle:
        bodies = {r.rec_headers.get_header("WARC-Target-URI"): r.content_stream().read()
                  for r in ArchiveIterator(handle) if r.rec_type == "response"}
    assert hashlib.sha256(bodies[o24["final_url"]]).hexdigest() == o24["sha256"]


def test_demo_console_shows_a_screenshot_per_item_and_the_evidence_folder(demo_run: DemoRun) -> None:
    assert demo_run.code == 1
    out = demo_run.console_text  # the shared run's console report
    paths = [p for urls in demo_urls().values() for p in urls]
    assert out.count("ภาพหน้าจอ:") == sum(1 for p in paths if has_screenshot(p))
    assert out.count("ภาพหน้าจอ:") + out.count("หลักฐาน:") == len(paths)  # every URL points to its evidence
    assert "หลักฐานของการตรวจครั้งนี้" in out
    folder = out.split("หลักฐานของการตรวจครั้งนี้", 1)[1]
    assert "oit-checker/evidence/" in "".join(folder.split())


def test_demo_with_browser_never_keeps_the_verdicts_and_pdf_screenshots_only(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--browser", "never", "--format", "json", "--lang", "en"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert {i["code"]: i["status"] for i in report["items"]} == {c: s for c, (s, _) in DEMO_EXPECTED.items()}
    shots = {u["url"] for i in report["items"] for u in i["urls"] if "screenshot" in u["evidence_files"]}
    pdfs = {u["url"] for i in report["items"] for u in i["urls"] if u["url"].endswith(".pdf")}
    assert pdfs and shots == pdfs  # PDF pages by pdftoppm; no browser for the HTML pages
    assert report["run"]["browser"]["used"] is None


def test_browser_option_is_checked(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["demo", "--browser", "sometimes"])
    assert exit_.value.code == 2
    assert "--browser" in capsys.readouterr().err
