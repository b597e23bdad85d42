"""Reasons are a type: what a code means lives in ``oit_checker.reasons`` (standard library only),
what it says in ``oit_checker.messages``; the crawl never loads the text catalogue."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from oit_checker import models
from oit_checker.checklist_diff import Change
from oit_checker.messages import FIX_VARIANTS, REASON_TEXT, UI, reason_fix, reason_message
from oit_checker.reasons import MEANING, Check, Reason, Status, as_reason, check_of, default_status
from oit_checker.report import Format, to_reporter

ROOT = Path(__file__).resolve().parents[2]


def test_models_re_exports_the_same_enums() -> None:
    assert models.Check is Check and models.Status is Status


def test_the_meaning_of_known_and_unknown_codes() -> None:
    assert default_status("http_404") is Status.FAIL
    assert default_status("server_error") is Status.UNVERIFIED
    assert default_status("reachable") is Status.PASS
    assert default_status("long_redirect_chain") is Status.WARN
    assert default_status("retired_code_from_an_old_run") is Status.UNVERIFIED  # the crawl's rule
    assert check_of("dns_error") is Check.REACHABLE
    assert check_of("social_public") is Check.PUBLIC
    assert check_of("no_url_given") is Check.ITEM
    assert check_of("retired_code_from_an_old_run") is None
    assert as_reason("timeout") is Reason.TIMEOUT and as_reason("nope") is None


def test_every_check_has_reasons_and_the_statuses_are_all_used() -> None:
    assert {m.check for m in MEANING.values()} == set(Check)
    assert {m.status for m in MEANING.values()} == set(Status)


def test_a_reason_is_its_stored_string() -> None:
    """Ready for ``Finding.reason: Reason``: compares, hashes, formats and serialises as the code."""
    assert Reason.HTTP_404 == "http_404" and f"{Reason.HTTP_404}" == "http_404" and str(Reason.HTTP_404) == "http_404"
    assert json.dumps({"reason": Reason.HTTP_404}) == '{"reason": "http_404"}'
    assert {"http_404": 1}[Reason.HTTP_404] == 1 and Reason.HTTP_404 in {"http_404"}
    assert all(r.name == r.value.upper() for r in Reason)


def test_messages_take_stored_strings_and_members_alike() -> None:
    params = {"http_status": 404}
    for lang in ("th", "en"):
        assert reason_message("http_404", params, lang) == reason_message(Reason.HTTP_404, params, lang) != "http_404"
        assert reason_fix("http_404", params, lang) == reason_fix(Reason.HTTP_404, params, lang) != ""
    assert reason_message("retired_code", {}, "en") == "retired_code"
    assert reason_fix("retired_code", {}, "en") == ""
    own = reason_fix("dns_error", {"fix": "own_host"}, "en")
    assert own == FIX_VARIANTS[(Reason.DNS_ERROR, "own_host")][1] != reason_fix("dns_error", {}, "en")
    assert REASON_TEXT[Reason.DNS_ERROR].en != own


def test_the_checklist_and_discovery_texts_are_in_the_catalogue() -> None:
    keys = {f"checklist_change_{c.value}" for c in Change} | {"discover_carried"} | {
        f"checklist_warn_{code}" for code in ("bundled_id", "duplicate_name", "no_elements", "phrase_is_item_name")}
    assert keys <= set(UI["th"]) and keys <= set(UI["en"])


def test_the_reasons_module_imports_only_the_standard_library() -> None:
    tree = ast.parse((ROOT / "oit_checker" / "reasons.py").read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {(node.module or "").split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.level == 0}
    assert not any(isinstance(node, ast.ImportFrom) and node.level for node in ast.walk(tree))
    assert imported and imported - {"__future__"} <= set(sys.stdlib_module_names)


def test_importing_the_crawl_does_not_load_the_text_catalogue() -> None:
    code = ("import sys, oit_checker.crawl\n"
            "print('oit_checker.reasons' in sys.modules, 'oit_checker.messages' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.split() == ["True", "False"]


@pytest.mark.parametrize("fmt", list(Format), ids=str)
def test_every_format_has_its_own_reporter(fmt: Format) -> None:
    reporter = to_reporter(fmt, "th")
    others = {type(to_reporter(other, "th")) for other in Format if other is not fmt}
    assert type(reporter) not in others
    assert type(to_reporter(Format(fmt.value), "en")) is type(reporter)
