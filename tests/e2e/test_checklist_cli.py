"""`oit-checker checklist list|new|check|diff`, and `discover --checklist` carrying URLs over."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from oit_checker.checklist import Confidence, bundled_dir, bundled_ids, load_checklist
from oit_checker.checklist_tools import check_file, new_checklist_text
from oit_checker.cli import main
from oit_checker.demo import CONFIG_TEMPLATE, SiteServer, start_demo_server
from oit_checker.errors import ConfigError


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Exit code, stdout, stderr; a config error leaves ``main`` by SystemExit(2), as in the shell."""
    try:
        code = main(args)
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")  # one table row per line


def test_list_shows_every_bundled_list_with_year_kind_counts_and_confirmed(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["checklist", "list"], capsys)
    assert code == 0
    rows = [line.split("│")[1:7] for line in out.splitlines() if line.startswith("│")]
    rows = [[cell.strip() for cell in row] for row in rows if row[0].strip()]
    assert sorted(r[0] for r in rows) == bundled_ids()
    for list_id, year, kind, count, partial, confirmed in rows:
        checklist = load_checklist(list_id)
        confirmed_count = sum(1 for i in checklist.items if i.confidence is Confidence.CONFIRMED)
        assert (year, kind, count, partial, confirmed) == (
            str(checklist.assessment_year), checklist.kind, str(len(checklist.items)),
            "yes" if checklist.partial else "", f"{confirmed_count}/{len(checklist.items)}"), list_id
    kinds = [r[2] for r in rows]
    assert kinds[0] == "general" and kinds == sorted(kinds, key=lambda k: (k != "general", k))
    general_years = [int(r[1]) for r in rows if r[2] == "general"]
    assert general_years == sorted(general_years, reverse=True)  # newest first within a kind


def test_new_writes_a_commented_copy_that_loads_equal_and_checks(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, _ = run(["checklist", "new", "--from", "ovec-2569", "-o", "ita/college-2569.toml"], capsys)
    assert code == 0
    written = tmp_path / "ita" / "college-2569.toml"
    text = written.read_text(encoding="utf-8")
    copy, source = load_checklist(str(written)), load_checklist("ovec-2569")
    assert copy.items == source.items
    assert (copy.id, copy.kind, copy.assessment_year) == ("college-2569", "ovec", 2569)
    header = text.split("\nid = ")[0]
    assert "ovec-2569" in header and "checklists/README.md" in header and "title_th" in header and "sources" in header
    assert text.count("\n[[items]]\n# ") == len(source.items)  # one comment per item
    code, out, _ = run(["checklist", "check", "ita/college-2569.toml", "--lang", "en"], capsys)
    assert code == 0
    assert "college-2569" in out and "2569" in out and "ovec" in out and str(len(copy.items)) in out


@pytest.mark.parametrize("list_id", bundled_ids())
def test_every_bundled_list_copies_to_equal_items(list_id: str, tmp_path: Path) -> None:
    text, source, copy = new_checklist_text(list_id, tmp_path / "copy.toml")
    reloaded = tomllib.loads(text)
    assert copy.items == source.items and reloaded["id"] == copy.id != source.id
    assert {k: v for k, v in reloaded.items() if k != "id"} == {
        k: v for k, v in tomllib.loads((bundled_dir() / f"{list_id}.toml").read_text(encoding="utf-8")).items()
        if k != "id"}  # every key the author wrote, unchanged, not only what the model keeps


def test_new_refuses_to_overwrite_without_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "my-list.toml"
    target.write_text("# staff's own work\n", encoding="utf-8")
    code, _, err = run(["checklist", "new", "--from", "ita-2568", "-o", str(target)], capsys)
    assert code == 2 and str(target) in err
    assert target.read_text(encoding="utf-8") == "# staff's own work\n"
    code, _, _ = run(["checklist", "new", "--from", "ita-2568", "-o", str(target), "--force"], capsys)
    assert code == 0 and load_checklist(str(target)).id == "my-list"


def test_new_takes_a_path_and_never_keeps_a_bundled_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = tmp_path / "ita-2568.toml"  # named like the bundled list: the id must still differ
    assert run(["checklist", "new", "--from", "ita-2568", "-o", str(first)], capsys)[0] == 0
    assert load_checklist(str(first)).id == "my-ita-2568"
    second = tmp_path / "second.toml"
    assert run(["checklist", "new", "--from", str(first), "-o", str(second), "--id", "agency-x"], capsys)[0] == 0
    assert load_checklist(str(second)).id == "agency-x"
    assert load_checklist(str(second)).items == load_checklist("ita-2568").items


BROKEN = """
id = "my-list"
title_th = "รายการของหน่วยงาน"
assessment_year = 2569

[[items]]
code = "O1"
name_th = "โครงสร้าง"

  [[items.elements]]
  name = "แผนผัง"
  phrases = ["แผนผัง"]

[[items]]
code = "O2"
name_th = "ข้อมูลผู้บริหาร"
peroid = "none"
"""


def test_check_on_a_broken_file_exits_2_naming_file_item_and_key(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(BROKEN, encoding="utf-8")
    code, out, err = run(["checklist", "check", str(path)], capsys)
    assert code == 2 and not out
    assert str(path) in err and "items[O2].peroid" in err
    with pytest.raises(ConfigError) as caught:
        check_file(str(path))
    assert (caught.value.file, caught.value.key, caught.value.problem) == (str(path), "items[O2].peroid", "unknown key")


def test_check_warns_about_valid_but_weak_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "weak.toml"
    path.write_text(BROKEN.replace('peroid = "none"', '') + """
[[items]]
code = "O3"
name_th = "ข้อมูลการติดต่อ"

  [[items.elements]]
  name = "ชื่อเรื่อง"
  phrases = ["ข้อมูล การติดต่อ"]

[[items]]
code = "O4"
name_th = "ข้อมูลการติดต่อ"

  [[items.elements]]
  name = "โทรศัพท์"
  detectors = ["phone"]
""", encoding="utf-8")
    checklist, warnings = check_file(str(path))
    assert {(w.code, w.where) for w in warnings} == {
        ("no_elements", "items[O2]"), ("phrase_is_item_name", "items[O3].elements[0].phrases"),
        ("duplicate_name", "items[O4].name_th")}
    code, out, _ = run(["checklist", "check", str(path)], capsys)
    assert code == 0  # warnings are not errors
    assert "[no_elements]" in out and "[phrase_is_item_name]" in out and checklist.id in out


def test_diff_prints_renumbered_items(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["checklist", "diff", "ita-2568", "ita-2569", "--format", "json"], capsys)
    assert code == 0
    data = json.loads(out)
    rows = {(r["old_code"], r["new_code"]): r for r in data["rows"]}
    assert rows[("O16", "O15")]["change"] == "renumbered" and rows[("O16", "O15")]["similarity"] > 0.9
    assert rows[("O13", "O12")]["change"] == "renumbered"
    code, out, _ = run(["checklist", "diff", "ita-2568", "ita-2569", "--lang", "en"], capsys)
    assert code == 0
    assert any(re.search(r"renumbered\s*│\s*O16\s*│.*│\s*O15\s*│", line) for line in out.splitlines()), out


# -- discover --checklist ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_site() -> Iterator[SiteServer]:
    with start_demo_server() as server:
        yield server


def demo_config(tmp_path: Path, base: str) -> Path:
    """The demo's config (ita-2567 items with URLs); O28's URL given in a form no page links to."""
    text = CONFIG_TEMPLATE.read_text(encoding="utf-8").replace("{base}", base)
    text = text.replace(f'"{base}/ita/o28-hr-report-2566.html"', f'"{base}/ita/o28-hr-report-2566.html?v=2567"')
    path = tmp_path / "config.toml"
    path.write_text(text + '\n[browser]\nmode = "never"\n[evidence]\nenabled = false\n', encoding="utf-8")
    return path


def test_discover_carries_last_lists_urls_over_to_the_items_that_continue_them(
        tmp_path: Path, demo_site: SiteServer, capsys: pytest.CaptureFixture[str]) -> None:
    base = demo_site.base_url
    config = demo_config(tmp_path, base)
    code, out, _ = run(["discover", "-c", str(config), "--checklist", "ita-2568", "--item", "O13,O14,O15",
                        "--format", "json", "-q"], capsys)
    assert code == 0
    report = json.loads(out)
    assert (report["checklist_id"], report["carried_from"]) == ("ita-2568", "ita-2567")
    items = {item["code"]: item for item in report["items"]}
    # 2567's O24 (annual procurement report) is 2568's O13: its URL is proposed, marked as carried over
    o13 = items["O13"]
    assert o13["proposed"] == base + "/ita/docs/o24-procurement-report-2566.pdf"
    assert o13["candidates"][0]["carried_from"] == "O24" and o13["candidates"][0]["http_status"] == 200
    # a carried URL no page links to is still opened and checked
    o15 = items["O15"]
    assert o15["proposed"] == base + "/ita/o28-hr-report-2566.html?v=2567"
    first = o15["candidates"][0]
    assert (first["carried_from"], first["http_status"], first["problem"], first["click_path"]) == ("O28", 200, None,
                                                                                                     None)
    # a carried URL that is broken (the demo's O27 is a 404) is listed, flagged, but not proposed
    carried = [c for c in items["O14"]["candidates"] if c["carried_from"] == "O27"]
    assert [c["problem"] for c in carried] == ["http_404"]
    assert items["O14"]["proposed"] != carried[0]["url"]


def test_discover_checklist_with_write_is_refused_before_crawling(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = demo_config(tmp_path, "http://127.0.0.1:9")  # never contacted: refused first
    before = config.read_text(encoding="utf-8")
    code, _, err = run(["discover", "-c", str(config), "--checklist", "ita-2568", "--write", "-q"], capsys)
    assert code == 2 and "--checklist" in err
    assert config.read_text(encoding="utf-8") == before
    assert tomllib.loads(before)["audit"]["checklist"] == "ita-2567"
