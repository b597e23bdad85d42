"""The CLI contract: exit codes, the JSON report schema, languages, errors without tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from configs import write_agency_config
from shared_demo import DemoRun

from oit_checker.cli import main
from oit_checker.demo import SiteServer, start_demo_server
from oit_checker.report import Format, to_reporter

DEMO_EXPECTED = {
    "O2": ("fail", "no_evidence"), "O3": ("pass", None), "O9": ("warn", "homepage_as_item_url"), "O23": ("fail", "missing_months"),
    "O24": ("pass", None), "O27": ("fail", "http_404"), "O28": ("fail", "missing_element"), "O35": ("pass", None),
    "O37": ("unverified", "bot_wall"), "O41": ("fail", "stale_fiscal_year"),
}
"""Each demo item's verdict and a reason it shows. O23 (a monthly XLSX summary without March 2567)
was added with the document readers (issue 3), as were O37's scanned PDF (``no_text_layer``) and
O41's FY2565 PDF (``stale_fiscal_year``): ``DEMO_DOCUMENTS`` pins those per URL. O2 (a page whose
menu names every item, nothing else) and O35 (an item page whose evidence is a linked PDF) came with
issue 11."""
DEMO_DOCUMENTS = {
    "/ita/docs/o23-procurement-monthly-2567.xlsx": ("fresh", "fail", "missing_months"),
    "/ita/docs/o37-risk-report-6m-2567-scan.pdf": ("content", "unverified", "no_text_layer"),
    "/ita/docs/o41-anticorruption-report-2565.pdf": ("fresh", "fail", "stale_fiscal_year"),
}
"""The demo's documents (issue 3): URL path -> (check, status, reason), the same with or without OCR."""


@pytest.fixture(scope="module")
def demo_site() -> Iterator[SiteServer]:
    with start_demo_server() as server:
        yield server


def write_config(tmp_path: Path, base: str, items: dict[str, str], homepage: str | None = None) -> Path:
    return write_agency_config(tmp_path, base, {code: base + path for code, path in items.items()},
                               homepage=homepage, http="retries = 0\nper_host_interval = 0\nconnect_timeout = 2\n"
                                                       "read_timeout = 5")


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_json_report_has_every_status_and_the_planned_reasons(demo_run: DemoRun) -> None:
    assert demo_run.code == 1  # the session's one `demo --format json` run (tests/shared_demo.py)
    report = json.loads(demo_run.json_text)
    assert report["schema"] == "oit-checker/report/v1"
    assert {"id", "started_at", "finished_at", "tool_version", "checklist_id", "fiscal_year"} <= set(report["run"])
    assert report["run"]["checklist_id"] == "ita-2567"
    assert report["summary"] == {"total": 10, "pass": 3, "warn": 1, "fail": 5, "unverified": 1}
    items = {item["code"]: item for item in report["items"]}
    assert set(items) == set(DEMO_EXPECTED)
    for code_, (status, reason) in DEMO_EXPECTED.items():
        item = items[code_]
        assert item["status"] == status, code_
        checks = [c for u in item["urls"] for c in u["checks"]]
        if reason:
            assert reason in [c["reason"] for c in checks], code_
        for url in item["urls"]:
            assert {"url", "final_url", "http_status", "redirects", "checks"} <= set(url)
        for check in checks:
            assert {"check", "status", "reason", "message", "evidence"} <= set(check)
    assert items["O24"]["passing_url"].endswith(".pdf")
    checks = {"/" + u["url"].split("/", 3)[3]: u["checks"] for item in items.values() for u in item["urls"]}
    for path, (check, status, reason) in DEMO_DOCUMENTS.items():
        assert (check, status, reason) in [(c["check"], c["status"], c["reason"]) for c in checks[path]], path
    [months] = [c for c in checks["/ita/docs/o23-procurement-monthly-2567.xlsx"] if c["reason"] == "missing_months"]
    assert months["evidence"]["missing"] == ["2024-03"]
    assert "มีนาคม 2567" in months["message"]


def test_all_pass_exits_0(tmp_path: Path, demo_site: SiteServer, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_config(tmp_path, demo_site.base_url, {"O3": "/ita/o3-tis620.html",
                                                          "O35": "/ita/docs/o35-integrity-report-2566.pdf"})
    code, out, _ = run_cli(["audit", "-c", str(config), "--quiet"], capsys)
    assert code == 0, out


def test_warn_exits_0_unless_fail_on_warn(tmp_path: Path, demo_site: SiteServer,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    config = write_config(tmp_path, demo_site.base_url, {"O9": "/"})
    assert run_cli(["audit", "-c", str(config), "-q"], capsys)[0] == 0
    assert run_cli(["audit", "-c", str(config), "-q", "--fail-on", "warn"], capsys)[0] == 1


def test_unverified_only_exits_4(tmp_path: Path, demo_site: SiteServer, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_config(tmp_path, demo_site.base_url, {"O3": "/ita/o3-tis620.html",
                                                          "O37": "/ita/o37-risk-management.html"})
    assert run_cli(["audit", "-c", str(config), "-q"], capsys)[0] == 4


def test_nothing_reachable_exits_3_with_unverified_findings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dead = "http://127.0.0.1:9"  # discard port: nothing listens
    config = write_config(tmp_path, dead, {"O3": "/o3.html"})
    code, out, _ = run_cli(["audit", "-c", str(config), "--format", "json"], capsys)
    assert code == 3
    report = json.loads(out)
    assert report["run"]["complete"] is False
    assert report["agency"]["homepage_problem"] == "connect_error"
    [check] = [c for c in report["items"][0]["urls"][0]["checks"] if c["check"] == "reachable"]
    assert (check["status"], check["reason"]) == ("unverified", "connect_error")


def test_item_option_limits_the_audit(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["demo", "--item", "O27,O3", "--format", "json", "--browser", "never"], capsys)
    assert code == 1
    assert [i["code"] for i in json.loads(out)["items"]] == ["O3", "O27"]


def o27_checks(report: str) -> list[dict[str, str]]:
    [item] = [i for i in json.loads(report)["items"] if i["code"] == "O27"]
    return list(item["urls"][0]["checks"])


def test_lang_en_switches_messages(demo_run: DemoRun) -> None:
    """The shared demo result rendered in English, and the Thai report the CLI wrote from it."""
    [check] = [c for c in o27_checks(to_reporter(Format.JSON, "en").render(demo_run.result))
               if c["reason"] == "http_404"]
    assert check["message"] == "Page not found (HTTP 404)"
    [check] = [c for c in o27_checks(demo_run.json_text) if c["reason"] == "http_404"]
    assert "ไม่พบหน้า" in check["message"]


def test_output_file_and_summary(demo_run: DemoRun) -> None:
    assert demo_run.code == 1  # the shared run wrote its JSON report to report.json with -o
    assert json.loads(demo_run.json_text)["summary"]["fail"] == 5
    assert "report.json" in demo_run.stderr


def test_console_report_lists_every_item_with_reason_codes(demo_run: DemoRun) -> None:
    code, out = demo_run.code, demo_run.console_text  # the shared run's console report (-o console.txt)
    assert code == 1
    for item, (_, reason) in DEMO_EXPECTED.items():
        assert item in out
        if reason:
            assert f"[{reason}]" in out


@pytest.mark.parametrize(("args", "needle"), [
    (["audit", "-c", "does-not-exist.toml"], "does-not-exist.toml"),
    (["demo", "--item", "O99"], "O99"),
    (["checklist", "show", "ita-1999"], "ita-1999"),
])
def test_errors_exit_2_without_traceback(args: list[str], needle: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(args)
    _, err = capsys.readouterr()
    assert exit_.value.code == 2
    assert needle in err
    assert "Traceback" not in err


def test_config_error_names_file_and_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[agency]\nname = "x"\nhomepage = "https://x.go.th/"\nhomepagee = "typo"\n', encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        main(["audit", "-c", str(path)])
    err = "".join(capsys.readouterr().err.split())  # the console wraps a long path
    assert exit_.value.code == 2
    assert str(path) in err and "agency.homepagee" in err


def test_checklist_commands(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["checklist", "list"], capsys)
    assert code == 0
    for checklist_id in ("ita-2565", "ita-2566", "ita-2567", "ita-2568"):
        assert checklist_id in out
    code, out, _ = run_cli(["checklist", "show", "ita-2565"], capsys)
    assert code == 0
    assert "O43" in out and "O24" in out


def test_python_dash_m_and_help_with_example() -> None:
    done = subprocess.run([sys.executable, "-m", "oit_checker", "audit", "--help"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0
    assert "oit-checker audit -c config.toml" in done.stdout


def test_repository_config_audits_without_internet_and_without_traceback() -> None:
    """The example config names a real public site this machine cannot reach: exit 3, no traceback."""
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-m", "oit_checker", "audit", "-c", str(root / "config.toml"),
                           "--format", "json"], capture_output=True, text=True, check=False, timeout=120)
    assert "Traceback" not in done.stderr
    report = json.loads(done.stdout)
    reasons = {f["reason"] for item in report["items"] for f in item["findings"]}
    assert "no_url_given" in reasons
    assert done.returncode in (1, 3)


def test_sigint_during_audit_writes_the_partial_report_and_history_row(tmp_path: Path) -> None:
    """Ctrl-C (or SIGTERM) mid-run: the report and an incomplete history row are still written."""
    import signal
    import sqlite3
    import time

    from integration.hostile_server import HostileServer

    with HostileServer() as server:
        config = write_agency_config(tmp_path, server.base, {"O1": f"{server.base}/tarpit?v=1",
                                                             "O3": f"{server.base}/tarpit?v=2"},
                                     extra=f'[browser]\nmode = "never"\n[evidence]\nenabled = false\n'
                                           f'[storage]\npath = "{tmp_path / "history.db"}"\n')
        report = tmp_path / "report.json"
        child = subprocess.Popen([sys.executable, "-m", "oit_checker", "audit", "-c", str(config), "--format", "json",
                                  "-o", str(report), "-q"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 env={**os.environ, "NO_PROXY": "*"}, cwd=tmp_path)
        try:
            waited = time.monotonic()
            while not any("tarpit" in r for r in server.requests) and time.monotonic() - waited < 30:
                time.sleep(0.1)
            child.send_signal(signal.SIGINT)
            _, stderr = child.communicate(timeout=30)
        finally:
            child.kill()
    assert child.returncode == 3, stderr.decode("utf-8", "replace")
    assert b"Traceback" not in stderr
    data = json.loads(report.read_text(encoding="utf-8"))
    assert {item["code"] for item in data["items"]} == {"O1", "O3"}
    reasons = {c["reason"] for item in data["items"] for u in item["urls"] for c in u["checks"]}
    assert "run_interrupted" in reasons
    with sqlite3.connect(tmp_path / "history.db") as db:
        assert [row[0] for row in db.execute("SELECT state FROM runs")] == ["incomplete"]
