"""Edit a user's ``config.toml`` in place (``discover --write``).

tomlkit keeps everything the user wrote (comments, quoting, key order, blank lines); only the empty
items change. The new text is loaded like any config before it replaces the file, so a failed
edit leaves the file as it was.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.items import InlineTable

from .config import parse_config
from .errors import ConfigError


def fill_item_urls(path: str | Path, proposals: Iterable[tuple[str, str, float]]) -> int:
    """Give each proposed ``(code, url, score)`` to its item in the config file when the item has
    no URLs (an empty or missing ``urls``, or no table at all: then one is appended, with a comment
    naming discover); items with URLs are never touched. Returns how many items were filled; the
    file is not rewritten when that is 0."""
    file = Path(path)
    text = file.read_text(encoding="utf-8")
    doc = tomlkit.parse(text if not text or text.endswith("\n") else text + "\n")
    existing = doc.unwrap().get("items", {})
    items = doc.get("items")
    appended = tomlkit.table(is_super_table=True)
    filled = 0
    for code, url, score in proposals:
        old = existing.get(code)
        if isinstance(old, Mapping) and old.get("urls"):
            continue
        if items is not None and code in items:  # a table, an inline table, or dotted keys
            items[code]["urls"] = [url]
        elif isinstance(items, InlineTable):
            _add_inline(items, code, url)
        else:
            table = tomlkit.table()
            table.add(tomlkit.comment(f"oit-checker discover ({score:g})"))
            table.add("urls", [url])
            appended.append(code, table)
        filled += 1
    if not filled:
        return 0
    if appended:
        doc.append("items", appended)  # after the last table, as a person would add it
    new_text = doc.as_string()
    try:
        parse_config(tomllib.loads(new_text), str(file), file.parent)  # the very text to be written
    except (tomllib.TOMLDecodeError, ConfigError) as exc:
        raise ConfigError(str(file), "items", f"the filled-in config would not load ({exc})",
                          "use -o FILE and paste the block by hand") from exc
    _replace(file, new_text)
    return filled


def _add_inline(items: InlineTable, code: str, url: str) -> None:
    """``code = { urls = [url] }`` at the end of ``items = { … }``, keeping a space before ``}``."""
    spaced = items.as_string().endswith(" }")
    entry: Any = tomlkit.parse(f"x = {{ urls = [{json.dumps(url, ensure_ascii=False)}] }}")["x"]
    items[code] = entry
    if spaced:
        items.add(tomlkit.ws(" "))


def _replace(file: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``file``, then swap it in: never half a config,
    and the file keeps its permissions."""
    handle, temp = tempfile.mkstemp(prefix=file.name, dir=file.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temp, stat.S_IMODE(file.stat().st_mode))  # mkstemp's 0600 would hide it from the group
        os.replace(temp, file)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


__all__ = ["fill_item_urls"]
