"""``oit-checker discover`` on the demo site: the right URL first for every demo item, and an
``[items]`` block that, pasted into a config, audits cleanly."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from oit_checker.cli import main
from oit_checker.demo import CONFIG_TEMPLATE, SiteServer, start_demo_server

RIGHT = {
    "O2": "/ita/o2-executives.html", "O3": "/ita/o3-tis620.html", "O9": "https://www.facebook.com/demo.department",
    "O23": "/ita/docs/o23-procurement-monthly-2567.xlsx",
    "O24": "/ita/docs/o24-procurement-report-2566.pdf", "O27": "/ita/o27-hr-criteria.html",
    "O28": "/ita/o28-hr-report-2566.html", "O35": "/ita/o35-integrity.html",
    "O37": "/ita/o37-risk-management.html", "O41": "/ita/o41-anticorruption-report.html",
}
"""The URL that publishes each demo item (O9: the Facebook page the homepage links to; the demo
config gives the homepage on purpose, a mistake)."""
SAME_AS_DEMO = {"O2": "fail", "O3": "pass", "O23": "fail", "O24": "pass", "O27": "fail", "O28": "fail", "O35": "pass", "O37": "unverified",
                "O41": "fail"}
"""Verdicts of the demo report for the items whose URL discover proposes unchanged."""


@pytest.fixture(scope="module")
def demo_site() -> Iterator[SiteServer]:
    with start_demo_server() as server:
        yield server


def demo_config_without_items(tmp_path: Path, base: str, name: str = "config.toml") -> Path:
    """The demo's config with its [items.*] tables removed (what staff start from)."""
    text = CONFIG_TEMPLATE.read_text(encoding="utf-8").replace("{base}", base)
    head = re.split(r"(?m)^\[items\.", text)[0]
    path = tmp_path / name
    # no browser, no evidence bundle (screenshots, page images): no test here looks at them
    path.write_text(head + '\n[browser]\nmode = "never"\n[evidence]\nenabled = false\n', encoding="utf-8")
    return path


def right_url(code: str, base: str) -> str:
    return RIGHT[code] if RIGHT[code].startswith("https://") else base + RIGHT[code]


def test_discover_proposes_the_right_url_first_for_every_demo_item(
        tmp_path: Path, demo_site: SiteServer, capsys: pytest.CaptureFixture[str]) -> None:
    config = demo_config_without_items(tmp_path, demo_site.base_url)
    assert main(["discover", "-c", str(config), "--format", "json", "-q"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["schema"] == "oit-checker/discover/v1"
    items = {item["code"]: item for item in report["items"]}
    assert set(items) == set(RIGHT)
    for code, item in items.items():
        assert item["proposed"] == right_url(code, demo_site.base_url), code
        first = item["candidates"][0]
        assert first["url"] == item["proposed"] and first["reasons"], code
        assert first["click_path"][0] == demo_site.base_url + "/", code
    assert items["O27"]["candidates"][0]["problem"] == "http_404"  # proposed, but flagged as broken


def test_discovered_items_block_pasted_into_a_config_audits_cleanly(
        tmp_path: Path, demo_site: SiteServer, capsys: pytest.CaptureFixture[str]) -> None:
    config = demo_config_without_items(tmp_path, demo_site.base_url)
    block = tmp_path / "items.toml"
    assert main(["discover", "-c", str(config), "-o", str(block), "-q"]) == 0
    assert set(tomllib.loads(block.read_text(encoding="utf-8"))["items"]) == set(RIGHT)
    config.write_text(config.read_text(encoding="utf-8") + "\n" + block.read_text(encoding="utf-8"), encoding="utf-8")
    capsys.readouterr()
    code = main(["audit", "-c", str(config), "--format", "json", "--no-store"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1  # the demo site fails some items on purpose; a config error would be 2
    for item in report["items"]:
        assert [u["url"] for u in item["urls"]] == [right_url(item["code"], demo_site.base_url)]
        [location] = [c for u in item["urls"] for c in u["checks"] if c["check"] == "location"]
        assert (location["status"], location["reason"]) == ("pass", "linked_from_main_site"), item["code"]
        assert location["evidence"]["click_path"][0] == demo_site.base_url + "/"
        if item["code"] in SAME_AS_DEMO:
            assert item["status"] == SAME_AS_DEMO[item["code"]], item["code"]


def test_discover_write_fills_only_the_empty_items(tmp_path: Path, demo_site: SiteServer,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    config = demo_config_without_items(tmp_path, demo_site.base_url)
    kept = demo_site.base_url + "/ita/"
    before = config.read_text(encoding="utf-8") + f"""
[items.O3]
# อำนาจหน้าที่ — owner: กพร.
urls = []  # ใส่ภายหลัง
note = "กพร."

[items.O24]
urls = ["{kept}"]
"""
    config.write_text(before, encoding="utf-8")
    assert main(["discover", "-c", str(config), "--item", "O3,O24,O41", "--write", "-q", "--format", "toml"]) == 0
    text = config.read_text(encoding="utf-8")
    # byte for byte: only O3's empty list changed, and O41 was appended after the last table
    assert before.count("urls = []") == 1
    filled = before.replace("urls = []", f'urls = ["{right_url("O3", demo_site.base_url)}"]')
    assert text.startswith(filled)
    assert re.fullmatch(r'\n\[items\.O41\]\n# oit-checker discover \(\d+(\.\d)?\)\n'
                        f'urls = \\["{re.escape(right_url("O41", demo_site.base_url))}"\\]\n', text[len(filled):])
    data = tomllib.loads(text)["items"]
    assert data["O3"] == {"urls": [right_url("O3", demo_site.base_url)], "note": "กพร."}
    assert data["O24"]["urls"] == [kept]  # staff's choice is never overwritten
    assert data["O41"]["urls"] == [right_url("O41", demo_site.base_url)]  # appended
    assert "# อำนาจหน้าที่ — owner: กพร." in text
