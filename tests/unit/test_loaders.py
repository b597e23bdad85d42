"""Config and checklist loaders: valid files load; every error names the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from oit_checker.checklist import Period, load_checklist
from oit_checker.config import load_config
from oit_checker.errors import ConfigError

CHECKLIST = """
id = "mini"
title_th = "รายการทดสอบ"
assessment_year = 2567

[[items]]
code = "O1"
name_th = "โครงสร้าง"
period = "none"

[[items]]
code = "O24"
name_th = "รายงานผลการจัดซื้อจัดจ้างประจำปี"
period = "previous_fiscal_year"
  [[items.elements]]
  name = "ปัญหาอุปสรรค"
  phrases = ["ปัญหาอุปสรรค", "ปัญหาและอุปสรรค"]
"""

CONFIG = """
[agency]
name = "กรมทดสอบ"
homepage = "https://www.example.go.th/"

[audit]
checklist = "mini.toml"

[items.O24]
urls = ["https://www.example.go.th/o24.pdf"]
"""


def write(tmp_path: Path, checklist: str = CHECKLIST, config: str = CONFIG) -> Path:
    (tmp_path / "mini.toml").write_text(checklist, encoding="utf-8")
    path = tmp_path / "config.toml"
    path.write_text(config, encoding="utf-8")
    return path


def test_valid_config_loads_with_its_checklist(tmp_path: Path) -> None:
    loaded = load_config(write(tmp_path))
    assert loaded.checklist.id == "mini"
    assert loaded.agency.domains == ("example.go.th",)  # default: the homepage host without www.
    assert loaded.urls_for("O24") == ("https://www.example.go.th/o24.pdf",)
    assert loaded.urls_for("O1") == ()
    assert loaded.checklist.item("O24").period is Period.PREVIOUS_FISCAL_YEAR


@pytest.mark.parametrize(("config", "key"), [
    (CONFIG.replace("[audit]", "[audit]\ncolour = true"), "audit.colour"),
    (CONFIG.replace('urls = ["https', 'urls = ["ftp'), "items.O24.urls"),
    (CONFIG.replace("[items.O24]", "[items.O99]"), "items.O99"),
    (CONFIG.replace('homepage = "https://www.example.go.th/"', 'homepage = "www.example.go.th"'), "agency.homepage"),
    (CONFIG.replace('name = "กรมทดสอบ"\n', ""), "agency.name"),
], ids=["unknown-key", "bad-url", "code-not-in-checklist", "homepage-not-url", "missing-key"])
def test_config_errors_name_file_and_key(tmp_path: Path, config: str, key: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, config=config))
    assert err.value.file.endswith("config.toml")
    assert err.value.key.startswith(key)


def test_missing_config_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        load_config(tmp_path / "nope.toml")
    assert "nope.toml" in err.value.file


def test_invalid_toml_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, config="[agency\nname="))
    assert "TOML" in err.value.problem


@pytest.mark.parametrize(("checklist", "key"), [
    (CHECKLIST.replace('period = "none"', 'period = "yearly"'), "items[O1].period"),
    (CHECKLIST.replace('phrases = ["ปัญหาอุปสรรค", "ปัญหาและอุปสรรค"]', 'patterns = ["(unclosed"]'),
     "items[O24].elements[0].patterns"),
    (CHECKLIST.replace('phrases = ["ปัญหาอุปสรรค", "ปัญหาและอุปสรรค"]', 'detectors = ["telepathy"]'),
     "items[O24].elements[0].detectors"),
    (CHECKLIST.replace('code = "O24"', 'code = "O1"'), ""),
    (CHECKLIST.replace("assessment_year = 2567", "assessment_year = 2024"), "assessment_year"),
    (CHECKLIST.replace('phrases = ["ปัญหาอุปสรรค", "ปัญหาและอุปสรรค"]', 'phrases = [" "]'),
     "items[O24].elements[0].phrases"),
    (CHECKLIST.replace('phrases = ["ปัญหาอุปสรรค", "ปัญหาและอุปสรรค"]', 'patterns = [".*"]'),
     "items[O24].elements[0].patterns"),
    (CHECKLIST.replace('period = "none"', 'period = "none"\nallowed_hosts = ["https://facebook.com/"]'),
     "items[O1].allowed_hosts"),
    (CHECKLIST.replace('period = "none"', 'period = "none"\nsocial = true'), "items[O1]"),
    (CHECKLIST.replace('code = "O24"', 'code = "O01"'), ""),
], ids=["bad-period", "bad-regex", "unknown-detector", "duplicate-code", "ce-year", "blank-phrase",
        "pattern-matches-empty", "host-with-scheme", "social-without-hosts", "O01-same-as-O1"])
def test_checklist_errors_name_file_and_key(tmp_path: Path, checklist: str, key: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(checklist, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_checklist(str(path))
    assert err.value.file == str(path)
    assert err.value.key == key


def test_unknown_bundled_id_lists_the_choices() -> None:
    with pytest.raises(ConfigError) as err:
        load_checklist("ita-1999")
    assert "ita-2565" in err.value.hint


@pytest.mark.parametrize("checklist_id", ["ita-2565", "ita-2566", "ita-2567", "ita-2568"])
def test_bundled_checklists_load_and_id_matches_file_name(checklist_id: str) -> None:
    checklist = load_checklist(checklist_id)
    assert checklist.id == checklist_id
    assert all(item.sources for item in checklist.items), "every item cites its sources"
    if checklist_id in ("ita-2565", "ita-2566"):
        assert len(checklist.items) == 43 and not checklist.partial
    else:
        assert checklist.partial


def test_memo_items_have_full_rules() -> None:
    checklist = load_checklist("ita-2567")
    for code in ("O3", "O9", "O24", "O27", "O28", "O35", "O37", "O41"):
        assert checklist.item(code) is not None, code
    for code in ("O24", "O28", "O41"):
        names = {e.name for e in checklist.item(code).elements}
        assert {"ปัญหาอุปสรรค", "ข้อเสนอแนะ"} <= names, code
    assert checklist.item("O9").social and "facebook.com" in checklist.item("O9").allowed_hosts
    assert checklist.item("O35").confidence.value == "confirmed"


def test_a_checklist_is_parsed_once_per_text_and_again_once_edited(tmp_path: Path) -> None:
    """A fleet's 1,000 agencies on one list share one frozen ``Checklist`` (the parent's memory); a
    file edited in place, even to the same size within one mtime tick, is read again."""
    assert load_checklist("ita-2569") is load_checklist("ita-2569")
    path = tmp_path / "own.toml"
    path.write_text(CHECKLIST, encoding="utf-8")
    first = load_checklist(str(path))
    assert load_checklist(str(path)) is first
    path.write_text(CHECKLIST.replace("assessment_year = 2567", "assessment_year = 2568"), encoding="utf-8")
    edited = load_checklist(str(path))
    assert (first.assessment_year, edited.assessment_year) == (2567, 2568)
