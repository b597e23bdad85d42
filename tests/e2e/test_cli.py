"""The CLI contract: exit codes, the JSON report schema, languages, errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from configs import write_agency_config

from oit_checker.cli import main
from oit_checker.demo import SiteServer, start_demo_server

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


def test_demo_json_report_has_every_status_and_the_planned_reasons(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["demo", "--format", "json"], capsys)
    assert code == 1
    report = json.loads(out)
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


def test_item_option_limits_the_audit(tmp_path: Path, demo_site: SiteServer, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["demo", "--item", "O27,O3", "--format", "json"], capsys)
    assert code == 1
    assert [i["code"] for i in json.loads(out)["items"]] == ["O3", "O27"]


def test_lang_en_switches_messages(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_cli(["demo", "--item", "O27", "--format", "json", "--lang", "en"], capsys)
    [check] = [c for c in json.loads(out)["items"][0]["urls"][0]["checks"] if c["reason"] == "http_404"]
    assert check["message"] == "Page not found (HTTP 404)"
    _, out, _ = run_cli(["demo", "--item", "O27", "--format", "json"], capsys)
    [check] = [c for c in json.loads(out)["items"][0]["urls"][0]["checks"] if c["reason"] == "http_404"]
    assert "ไม่พบหน้า" in check["message"]


def test_output_file_and_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "report.json"
    code, _, err = run_cli(["demo", "--format", "json", "-o", str(target)], capsys)
    assert code == 1
    assert json.loads(target.read_text(encoding="utf-8"))["summary"]["fail"] == 5
    assert "report.json" in err


def test_console_report_lists_every_item_with_reason_codes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["demo"], capsys)
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
    err = capsys.readouterr().err
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
