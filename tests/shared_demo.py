"""One ``oit-checker demo`` run per test session, shared by every test that only reads its result.

A demo audit took 10-15 s (Chromium screenshots, PDFs, OCR); a dozen tests used to run their own.
Most of that was politeness (0.25 s between requests to the demo's own 127.0.0.1 server), which the
demo's config now turns off.
The shared run goes through the real CLI (``main``), with ``--warc`` and browser ``auto`` so that
the evidence tests find screenshots and the WARC, and writes its JSON report and console report to
files. The ``AuditResult`` the CLI rendered is kept too (a spy on ``cli.run_audit``), so tests of
languages and formats render it again instead of auditing again.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from pathlib import Path

import pytest

from oit_checker import cli
from oit_checker.models import AuditResult

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


@dataclass(frozen=True)
class DemoRun:
    """What one ``oit-checker demo --warc --format json -o … --format console -o …`` left behind."""

    code: int
    result: AuditResult
    json_path: Path
    console_path: Path
    stdout: str
    stderr: str

    @property
    def json_text(self) -> str:
        return self.json_path.read_text(encoding="utf-8")

    @property
    def console_text(self) -> str:
        return self.console_path.read_text(encoding="utf-8")


def run_shared_demo(folder: Path) -> DemoRun:
    """Run the demo once through the CLI, in Thai, keeping the reports, output and audit result.

    Called in the main thread (the audit catches SIGINT/SIGTERM, which only the main thread may);
    ``XDG_DATA_HOME`` points into ``folder`` so the evidence bundle is the test run's own.
    """
    results: list[AuditResult] = []
    real = cli.run_audit

    def spy(*args: object, **kwargs: object) -> AuditResult:
        result = real(*args, **kwargs)  # type: ignore[arg-type]
        results.append(result)
        return result

    json_path, console_path = folder / "report.json", folder / "console.txt"
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cli, "run_audit", spy)
        patch.setenv("XDG_DATA_HOME", str(folder / "xdg-data"))
        for name in ("OIT_CHECKER_EVIDENCE_DIR", *PROXY_VARIABLES):
            patch.delenv(name, raising=False)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(["demo", "--warc", "--format", "json", "-o", str(json_path),
                             "--format", "console", "-o", str(console_path)])
    [result] = results
    return DemoRun(code, result, json_path, console_path, out.getvalue(), err.getvalue())
