"""Several reports from one CLI run: --format paired with -o, formats from extensions, --lang."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from oit_checker.cli import main


@pytest.fixture(autouse=True)
def _evidence_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Evidence in the test's folder; the demo without politeness spacing (tests/shared_demo.py)."""
    monkeypatch.setenv("OIT_CHECKER_EVIDENCE_DIR", str(tmp_path / "evidence"))


def test_one_run_writes_every_format_and_still_prints_the_summary(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    out = {name: tmp_path / "out" / name for name in ("r.html", "r.json", "r.md", "junit.xml", "itas.csv")}
    code = main(["demo", "--lang", "en", "--browser", "never", "--format", "html", "-o", str(out["r.html"]), "--format", "json",
                 "-o", str(out["r.json"]), "-o", str(out["r.md"]), "-o", str(out["junit.xml"]),
                 "-o", str(out["itas.csv"])])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    summary = json.loads(out["r.json"].read_text(encoding="utf-8"))["summary"]
    assert ("{total} items: {pass} pass · {warn} warn · {fail} fail · {unverified} unverified".format(**summary)
            in captured.err)
    for path in out.values():
        assert f"Report written: {path}" in captured.err
    html = out["r.html"].read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en">' in html and "Page not found (HTTP 404)" in html
    assert out["r.md"].read_text(encoding="utf-8").startswith("# OIT audit: ")
    assert ET.parse(out["junit.xml"]).getroot().get("failures") == str(summary["fail"])  # noqa: S314
    raw = out["itas.csv"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfItem,Item name,URL to submit in ITAS,") and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert len(rows) == summary["total"] + 1 and rows[1][0] == "O2"


def test_console_report_on_screen_and_a_file_beside_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "report.md"
    code = main(["demo", "--item", "O27", "--browser", "never", "--format", "console", "-o", "-", "--format", "markdown", "-o", str(target)])
    captured = capsys.readouterr()
    assert code == 1
    assert "[http_404]" in captured.out  # the full console report
    assert "สรุป 1 ข้อ" not in captured.err  # the summary is not printed twice
    assert "### 🔴 O27" in target.read_text(encoding="utf-8")


def test_itas_csv_to_standard_output(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["demo", "--item", "O24", "--browser", "never", "--format", "itas-csv"])
    out = capsys.readouterr().out
    assert code == 0
    rows = list(csv.reader(io.StringIO(out.removeprefix("\ufeff"))))
    assert rows[0][:4] == ["ข้อ", "ชื่อข้อ", "URL ที่กรอกในระบบ ITAS", "คำอธิบายเพิ่มเติม"]
    assert rows[1][0] == "O24" and rows[1][2].endswith("o24-procurement-report-2566.pdf")
    assert "ข้อมูลอยู่ในไฟล์ PDF" in rows[1][3]


@pytest.mark.parametrize(("args", "needle"), [
    (["--format", "html", "--format", "json"], "--format html, json"),
    (["-o", "same.md", "-o", "same.md"], "same.md"),
])
def test_conflicting_outputs_exit_2_before_auditing(args: list[str], needle: str, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_:
        main(["demo", "--lang", "en", *args])
    captured = capsys.readouterr()
    assert exit_.value.code == 2
    assert needle in captured.err and "Traceback" not in captured.err
    assert list(tmp_path.iterdir()) == []  # nothing was audited or written


def test_help_documents_the_pairing(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["audit", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "the n-th -o is the file of the n-th --format" in out
    assert "--format html -o report.html --format itas-csv -o itas.csv" in out
    assert "{console,json,html,markdown,junit,itas-csv}" in out
