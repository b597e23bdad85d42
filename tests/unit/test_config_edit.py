"""``discover --write``: the proposed URLs go into a config file's empty items, and nothing else in
the file changes (comments, quoting, layout), whichever TOML form the items are written in."""

from __future__ import annotations

import json
import stat
import tomllib
from pathlib import Path

import pytest

from oit_checker.config_edit import fill_item_urls
from oit_checker.errors import ConfigError

HEAD = """# config for the tests
[agency]
name = "กรมทดสอบ"  # ชื่อหน่วยงาน
homepage = "https://www.agency.test/"
domains = ["agency.test"]

[audit]
checklist = "ita-2567"
"""
SITE = "https://www.agency.test"


def url(code: str) -> str:
    return f"{SITE}/ita/{code.lower()}.html"


def fill(path: Path, *codes: str, score: float = 87.5) -> int:
    """Propose ``url(code)`` for each code."""
    return fill_item_urls(path, [(code, url(code), score) for code in codes])


def config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def urls_line(code: str) -> str:
    return f"urls = [{json.dumps(url(code))}]"


def test_an_empty_item_is_filled_in_place_and_its_comments_and_keys_stay(tmp_path: Path) -> None:
    path = config(tmp_path, HEAD + f"""
[items.O3]
# อำนาจหน้าที่ — owner: กพร.
urls = []
note = "กพร."

[items.O24]
urls = ["{SITE}/kept"]
""")
    assert fill(path, "O3", "O24") == 1
    assert path.read_text(encoding="utf-8") == HEAD + f"""
[items.O3]
# อำนาจหน้าที่ — owner: กพร.
{urls_line("O3")}
note = "กพร."

[items.O24]
urls = ["{SITE}/kept"]
"""


def test_a_quoted_item_key_is_recognised(tmp_path: Path) -> None:
    path = config(tmp_path, HEAD + '\n[items."O1"]\nurls = []\n')
    assert fill(path, "O1") == 1
    assert path.read_text(encoding="utf-8") == HEAD + f'\n[items."O1"]\n{urls_line("O1")}\n'


def test_the_comment_after_empty_urls_is_kept(tmp_path: Path) -> None:
    path = config(tmp_path, HEAD + "\n[items.O2]\nurls = []  # ใส่ภายหลัง / fill in later\n")
    assert fill(path, "O2") == 1
    assert path.read_text(encoding="utf-8") == HEAD + f"\n[items.O2]\n{urls_line('O2')}  # ใส่ภายหลัง / fill in later\n"


def test_a_missing_item_is_appended_with_a_comment_naming_discover(tmp_path: Path) -> None:
    start = HEAD + f'\n[items.O3]\nurls = ["{SITE}/kept"]\n'
    path = config(tmp_path, start)
    assert fill(path, "O41") == 1
    assert path.read_text(encoding="utf-8") == start + f"\n[items.O41]\n# oit-checker discover (87.5)\n{urls_line('O41')}\n"


def test_items_are_appended_to_a_config_without_any(tmp_path: Path) -> None:
    path = config(tmp_path, HEAD)
    assert fill(path, "O9", "O41", score=40) == 2
    assert path.read_text(encoding="utf-8") == HEAD + (
        f"\n[items.O9]\n# oit-checker discover (40)\n{urls_line('O9')}\n"
        f"\n[items.O41]\n# oit-checker discover (40)\n{urls_line('O41')}\n")


def test_one_blank_line_before_an_appended_item_when_the_file_ends_with_one(tmp_path: Path) -> None:
    start = HEAD + f'\n[items.O3]\nurls = ["{SITE}/kept"]\n'
    path = config(tmp_path, start + "\n")
    assert fill(path, "O41") == 1
    assert path.read_text(encoding="utf-8") == start + f"\n[items.O41]\n# oit-checker discover (87.5)\n{urls_line('O41')}\n"


def test_an_item_table_without_urls_gets_them_after_its_keys(tmp_path: Path) -> None:
    path = config(tmp_path, HEAD + '\n[items.O23]\nnote = "งานพัสดุ"\n\n[http]\nretries = 0\n')
    assert fill(path, "O23") == 1
    assert path.read_text(encoding="utf-8") == HEAD + f'\n[items.O23]\nnote = "งานพัสดุ"\n{urls_line("O23")}\n\n[http]\nretries = 0\n'


def test_items_in_an_inline_table(tmp_path: Path) -> None:
    path = config(tmp_path, f'items = {{ O3 = {{ urls = [] }}, O24 = {{ urls = ["{SITE}/kept"] }} }}  # ตาราง\n' + HEAD)
    assert fill(path, "O3", "O24", "O41") == 2
    text = path.read_text(encoding="utf-8")
    assert tomllib.loads(text)["items"] == {"O3": {"urls": [url("O3")]}, "O24": {"urls": [f"{SITE}/kept"]},
                                            "O41": {"urls": [url("O41")]}}
    assert text.endswith("  # ตาราง\n" + HEAD)


def test_dotted_keys_and_an_items_table_of_inline_items(tmp_path: Path) -> None:
    path = config(tmp_path, HEAD + f'\n[items]\nO3.urls = []\nO24 = {{ urls = [] }}\nO41 = {{ urls = ["{SITE}/kept"] }}\n')
    assert fill(path, "O3", "O24", "O41") == 2
    assert path.read_text(encoding="utf-8") == HEAD + (
        f'\n[items]\nO3.{urls_line("O3")}\nO24 = {{ {urls_line("O24")} }}\nO41 = {{ urls = ["{SITE}/kept"] }}\n')


def test_items_split_around_another_table(tmp_path: Path) -> None:
    start = HEAD + f'\n[items.O3]\nurls = []\n\n[http]\nretries = 0\n\n[items.O24]\nurls = ["{SITE}/kept"]\n'
    path = config(tmp_path, start)
    assert fill(path, "O3", "O24", "O41") == 2
    text = path.read_text(encoding="utf-8")
    assert text == start.replace("urls = []", urls_line("O3")) + (
        f"\n[items.O41]\n# oit-checker discover (87.5)\n{urls_line('O41')}\n")


def test_a_file_where_nothing_is_empty_is_not_rewritten(tmp_path: Path) -> None:
    path = config(tmp_path, HEAD + f'\n[items.O3]\nurls = ["{SITE}/kept"]  # เดิม\n')
    before = path.stat()
    assert fill(path, "O3") == 0
    assert fill_item_urls(path, []) == 0
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert path.read_text(encoding="utf-8") == HEAD + f'\n[items.O3]\nurls = ["{SITE}/kept"]  # เดิม\n'


def test_a_result_that_would_not_load_is_refused_and_the_file_kept(tmp_path: Path) -> None:
    start = HEAD + "\n[items.O3]\nurls = []\n"
    path = config(tmp_path, start)
    with pytest.raises(ConfigError) as raised:
        fill(path, "O3", "O99")  # not in ita-2567
    assert raised.value.key == "items"
    assert path.read_text(encoding="utf-8") == start
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"]  # no temporary file left behind


def test_the_written_config_loads_with_every_comment(tmp_path: Path) -> None:
    path = config(tmp_path, HEAD + "\n[items.O3]\n# หนึ่ง\nurls = []  # สอง\n# สาม\n")
    assert fill(path, "O3", "O41") == 2
    text = path.read_text(encoding="utf-8")
    assert all(comment in text for comment in ("# config for the tests", "# ชื่อหน่วยงาน", "# หนึ่ง", "# สอง", "# สาม"))
    assert {code: item["urls"] for code, item in tomllib.loads(text)["items"].items()} == {
        "O3": [url("O3")], "O41": [url("O41")]}


def test_the_rewritten_file_keeps_its_permissions(tmp_path: Path) -> None:
    path = config(tmp_path, HEAD + "\n[items.O3]\nurls = []\n")
    path.chmod(0o640)
    assert fill(path, "O3") == 1
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
