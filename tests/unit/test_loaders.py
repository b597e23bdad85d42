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
], ids=["bad-period", "bad-regex", "unknown-detector", "duplicate-code", "ce-year"])
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
