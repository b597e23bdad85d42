"""The fleet file: valid files load, every error names file, key and fix, snapshots rebuild the config."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from pydantic import BaseModel

from oit_checker.config import LoadedConfig
from oit_checker.errors import ConfigError
from oit_checker.fleet.model import (
    FleetAgency,
    FleetDefaults,
    FleetFile,
    FleetLimits,
    FleetSettings,
    config_from_snapshot,
    effective_jobs,
    load_fleet,
)

ROOT = Path(__file__).resolve().parents[2]

HEAD = """
[fleet]
name = "สำนักงานทดสอบ"
checklist = "ita-2567"
"""

INLINE = """
[[agencies]]
id = "tambon-001"
name = "อบต.ทดสอบ"
homepage = "https://www.sao-one.test/"
contacts = ["admin@sao-one.test"]
[agencies.items.O1]
urls = ["https://www.sao-one.test/o1"]
"""

AGENCY_FILE = """
[agency]
name = "กรมทดสอบ"
homepage = "https://www.dept.test/"
[audit]
checklist = "ita-2567"
max_minutes = 5
[http]
retries = 0
[storage]
path = "own-history.sqlite3"
[items.O2]
urls = ["https://www.dept.test/o2"]
"""

CONFIGURED = """
[[agencies]]
id = "dept"
config = "agencies/dept.toml"
"""


def write(tmp_path: Path, text: str, agency_file: str | None = AGENCY_FILE) -> Path:
    if agency_file is not None:
        (tmp_path / "agencies").mkdir(exist_ok=True)
        (tmp_path / "agencies" / "dept.toml").write_text(agency_file, encoding="utf-8")
    path = tmp_path / "fleet.toml"
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        load_fleet(path)
    return info.value


def test_the_documented_example_loads() -> None:
    fleet = load_fleet(ROOT / "docs" / "fleet.example.toml")
    assert list(fleet.agencies) == ["pao", "mueang", "nongbua"]
    assert {a.loaded.checklist.id for a in fleet.agencies.values()} == {"ita-2568"}
    assert all(a.inline for a in fleet.agencies.values())
    assert fleet.agency("mueang").loaded.urls_for("O4")[1].startswith("https://www.facebook.com/")
    assert fleet.agency("pao").contacts == ("it@pao-example.test",)
    assert fleet.agency("pao").loaded.config.http.per_host_interval == 0.5  # [defaults.http]
    assert fleet.reports_dir == (ROOT / "docs" / "fleet-reports").resolve()


def test_inline_and_config_agencies(tmp_path: Path) -> None:
    fleet = load_fleet(write(tmp_path, HEAD + INLINE + CONFIGURED))
    inline, dept = fleet.agency("tambon-001"), fleet.agency("dept")
    assert inline.inline and not dept.inline
    assert inline.loaded.agency.domains == ("sao-one.test",)
    assert inline.loaded.urls_for("O1") == ("https://www.sao-one.test/o1",)
    assert inline.loaded.config.audit.lang == "th"
    assert dept.loaded.agency.name == "กรมทดสอบ" and dept.loaded.path == str(tmp_path / "agencies" / "dept.toml")
    assert dept.loaded.config.http.retries == 0
    assert dept.loaded.config.storage.path == ""  # the fleet's store is the store


def test_defaults_fill_only_the_tables_an_agency_file_does_not_set(tmp_path: Path) -> None:
    defaults = '[defaults.http]\nper_host_interval = 0.5\n[defaults.crawl]\nmax_pages = 7\n'
    fleet = load_fleet(write(tmp_path, HEAD + defaults + INLINE + CONFIGURED))
    dept, inline = fleet.agency("dept").loaded.config, fleet.agency("tambon-001").loaded.config
    assert dept.http.per_host_interval == 0.25 and dept.http.retries == 0  # its own [http], whole
    assert dept.crawl.max_pages == 7
    assert inline.http.per_host_interval == 0.5 and inline.crawl.max_pages == 7


def test_fleet_checklist_applies_where_the_agency_file_names_none(tmp_path: Path) -> None:
    shutil.copy(ROOT / "checklists" / "ita-2568.toml", tmp_path / "mine.toml")
    agency = AGENCY_FILE.replace('checklist = "ita-2567"\n', "")
    fleet = load_fleet(write(tmp_path, HEAD.replace('"ita-2567"', '"mine.toml"') + CONFIGURED, agency))
    dept = fleet.agency("dept")  # the file is in agencies/, the checklist path is relative to fleet.toml
    assert dept.loaded.checklist.id == "ita-2568" and dept.checklist_file == (tmp_path / "mine.toml").resolve()


def test_max_minutes_is_capped_at_agency_minutes(tmp_path: Path) -> None:
    limits = '[fleet.limits]\nagency_minutes = 20\n[defaults.audit]\nmax_minutes = 90\n'
    fleet = load_fleet(write(tmp_path, HEAD + limits + INLINE + CONFIGURED))
    assert fleet.agency("tambon-001").loaded.config.audit.max_minutes == 20
    assert fleet.agency("dept").loaded.config.audit.max_minutes == 5  # below the cap: kept
    unset = load_fleet(write(tmp_path, HEAD + "[fleet.limits]\nagency_minutes = 12\n" + INLINE))
    assert unset.agency("tambon-001").loaded.config.audit.max_minutes == 12


@pytest.mark.parametrize(("text", "agency_file", "key", "problem"), [
    (HEAD + INLINE + INLINE.replace("tambon-001", "TAMBON-001"), None, "agencies[1].id", "duplicate"),
    (HEAD + INLINE + INLINE.replace("tambon-001", "two").replace("https://www.sao-one.test/\"",
                                                                  "https://WWW.sao-one.test\""),
     None, "agencies[two].homepage", "tambon-001"),
    (HEAD + CONFIGURED, None, "agencies[dept].config", "not found"),
    (HEAD + CONFIGURED + 'homepage = "https://www.dept.test/"\n', AGENCY_FILE,
     "agencies[dept].homepage", "config"),
    (HEAD + INLINE.replace('homepage = "https://www.sao-one.test/"\n', ""), None,
     "agencies[tambon-001].homepage", "required key is missing"),
    (HEAD + 'colour = "blue"\n' + INLINE, None, "fleet.colour", "unknown key"),
    (HEAD + INLINE.replace("[agencies.items.O1]", "homepgae = 'x'\n[agencies.items.O1]"), None, "agencies[tambon-001].homepgae", "unknown key"),
    (HEAD + INLINE.replace("https://www.sao-one.test/o1", "www.sao-one.test/o1"), None,
     "agencies[tambon-001].items.O1.urls", "http"),  # ItemUrls checks the list as a whole
    (HEAD + INLINE.replace("[agencies.items.O1]", "[agencies.items.O99]"), None,
     "agencies[tambon-001].items.O99", "O99"),
    (HEAD + INLINE.replace("admin@sao-one.test", "admin"), None, "agencies[tambon-001].contacts", "e-mail"),
    (HEAD + INLINE.replace('id = "tambon-001"', 'id = "bad id"'), None, "agencies[bad id].id", "pattern"),
    (HEAD + INLINE.replace('"https://www.sao-one.test/"', '"ftp://sao-one.test/"'), None,
     "agencies[tambon-001].homepage", "http"),
    (HEAD + "[defaults.audit]\nselect = ['O99']\n" + INLINE, None, "defaults.audit.select[0]", "O99"),
    (HEAD, None, "agencies", "required key is missing"),
    (HEAD + "[defaults.http]\nretries = 99\n" + INLINE, None, "defaults.http.retries", "10"),
    (HEAD + "[defaults.crawl]\nbogus = 1\n" + INLINE, None, "defaults.crawl.bogus", "unknown key"),
    (HEAD + "[defaults.crawl]\nbogus = 1\n" + CONFIGURED, AGENCY_FILE, "defaults.crawl.bogus", "unknown key"),
    (HEAD.replace('"ita-2567"', '"ita-1999"') + INLINE, None, "fleet.checklist", "bundled"),
    (HEAD + INLINE.replace("[agencies.items.O1]", 'checklist = "nope/list.toml"\n[agencies.items.O1]'), None, "agencies[tambon-001].checklist", "not found"),
])
def test_errors_name_the_fleet_file_the_key_and_a_fix(tmp_path: Path, text: str, agency_file: str | None,
                                                      key: str, problem: str) -> None:
    path = write(tmp_path, text, agency_file)
    error = error_of(path)
    assert (error.file, error.key) == (str(path), key)
    assert problem in error.problem + error.hint


def test_duplicate_id_hint_names_the_first_entry(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, HEAD + INLINE + CONFIGURED + INLINE, None))
    assert error.key == "agencies[2].id" and "agencies[0]" in error.hint


def test_config_not_found_hint_names_the_folder(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, HEAD + CONFIGURED, None))
    assert str(tmp_path) in error.hint


def test_errors_in_an_agency_file_name_that_file(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + CONFIGURED, AGENCY_FILE.replace("[items.O2]", "[items.O99]"))
    error = error_of(path)
    assert (error.file, error.key) == (str(tmp_path / "agencies" / "dept.toml"), "items.O99")


def test_items_without_urls_are_kept_for_discovery() -> None:
    fleet = load_fleet(ROOT / "docs" / "fleet.example.toml")
    codes = fleet.agency("nongbua").loaded.checklist.codes
    assert fleet.agency("nongbua").empty_items == tuple(codes)
    assert "O1" not in fleet.agency("mueang").empty_items and "O2" in fleet.agency("mueang").empty_items
    assert set(fleet.needing_discovery()) == {"pao", "mueang", "nongbua"}


def same(a: LoadedConfig, b: LoadedConfig) -> None:
    assert a.config == b.config
    assert a.checklist == b.checklist
    assert a.choice == b.choice
    assert a.path == b.path


def test_snapshot_rebuilds_the_config_without_the_files(tmp_path: Path) -> None:
    mine = (ROOT / "checklists" / "ita-2567.toml").read_text(encoding="utf-8").replace(
        'id = "ita-2567"', 'id = "my-list"', 1)
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / "my.toml").write_text(mine, encoding="utf-8")
    agency = AGENCY_FILE.replace('checklist = "ita-2567"', 'checklist = "../lists/my.toml"')
    agency += "[assessment]\nsubmission_deadline = 2568-03-31\n"
    defaults = "[defaults.documents]\nocr = 'off'\n"
    fleet = load_fleet(write(tmp_path, HEAD + defaults + INLINE + CONFIGURED, agency))
    snapshots = {i: json.loads(json.dumps(fleet.snapshot(i))) for i in fleet.agencies}
    assert snapshots["dept"]["checklist_text"] == mine and snapshots["tambon-001"]["checklist_text"] is None
    shutil.rmtree(tmp_path / "lists")
    (tmp_path / "agencies" / "dept.toml").unlink()
    for agency_id, snapshot in snapshots.items():
        rebuilt = config_from_snapshot(snapshot)
        same(rebuilt, fleet.agency(agency_id).loaded)
        assert snapshot["agency_id"] == agency_id
    dept = config_from_snapshot(snapshots["dept"])
    assert dept.checklist.id == "my-list" and dept.config.audit.checklist == "../lists/my.toml"
    assert dept.config.assessment.submission_deadline == dt.date(2025, 3, 31)
    assert dept.config.documents.ocr == "off"


def test_snapshot_of_another_version_is_refused(tmp_path: Path) -> None:
    fleet = load_fleet(write(tmp_path, HEAD + INLINE, None))
    snapshot = fleet.snapshot("tambon-001") | {"version": 99}
    with pytest.raises(ConfigError) as info:
        config_from_snapshot(snapshot)
    assert info.value.key == "version"


def test_effective_jobs() -> None:
    gb = 1 << 30
    assert effective_jobs(FleetLimits(jobs=3), cpus=64, memory=gb) == 3
    assert effective_jobs(FleetLimits(), cpus=8, memory=4 * gb) == 4
    assert effective_jobs(FleetLimits(), cpus=8, memory=32 * gb) == 8
    assert effective_jobs(FleetLimits(), cpus=8, memory=gb // 2) == 1
    assert effective_jobs(FleetLimits(), cpus=8, memory=0) == 8  # memory unknown: the CPUs decide
    assert effective_jobs(FleetLimits()) >= 1


@pytest.mark.parametrize("model", [FleetFile, FleetSettings, FleetLimits, FleetDefaults, FleetAgency])
def test_every_fleet_key_is_documented(model: type[BaseModel]) -> None:
    doc = (ROOT / "docs" / "fleet.md").read_text(encoding="utf-8")
    missing = [name for name in model.model_fields if f"| `{name}` |" not in doc]
    assert missing == []
