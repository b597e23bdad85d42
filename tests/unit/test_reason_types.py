"""A reason code is a type: mypy rejects a misspelt one where a finding or a fetch error is made.

This replaces the old test that scanned the sources for reason literals with a regular expression.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mypy import api

ROOT = Path(__file__).resolve().parents[2]

MODULE = '''
from oit_checker.models import NO_BROWSER, Check, FetchResult, Finding, Status
from oit_checker.reasons import Reason

good = Finding(Check.ITEM, Status.FAIL, Reason.NO_URL_GIVEN)
fetched = FetchResult(url="u", final_url="u", error=Reason.TIMEOUT)
no_browser = FetchResult(url="u", final_url="u", error=NO_BROWSER)
bad = Finding(Check.ITEM, Status.FAIL, reason="no_url_givne")  # line 8
bad_error = FetchResult(url="u", final_url="u", error="timeot")  # line 9
bad_member = Reason.NO_URL_GIVNE  # line 10
'''


def test_a_misspelt_reason_is_a_mypy_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           pytestconfig: pytest.Config) -> None:
    provider = getattr(pytestconfig, "cache", None)  # absent under -p no:cacheprovider
    cache = provider.mkdir("mypy-reason-types") if provider else tmp_path / "cache"
    module = tmp_path / "misspelt.py"
    module.write_text(MODULE, encoding="utf-8")
    monkeypatch.chdir(ROOT)  # so mypy finds oit_checker and the project's settings
    out, err, status = api.run([str(module), "--config-file", str(ROOT / "pyproject.toml"),
                                "--follow-imports=silent", "--cache-dir", str(cache),
                                "--no-error-summary", "--show-error-codes"])
    errors = sorted(line.split(":")[1] + " " + line.rsplit("[", 1)[-1].rstrip("]")
                    for line in out.splitlines() if ": error:" in line)
    assert (errors, err) == (["10 attr-defined", "8 arg-type", "9 arg-type"], ""), out
    assert status == 1
