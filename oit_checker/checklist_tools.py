"""``oit-checker checklist new`` and ``checklist check``: start an agency's own list from a bundled
one, and find what the loader cannot call an error but an auditor should look at.

``new`` writes a commented TOML copy (tomlkit, so literal strings stay literal and comments stay
where they belong) under a new id, so reports never confuse it with the bundled list.
"""

from __future__ import annotations

import os
import re
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomlkit
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text as RichText
from tomlkit.items import AoT

from .checklist import (
    Checklist,
    Confidence,
    Period,
    _read_toml,
    _resolve,
    bundled_checklists,
    bundled_dir,
    bundled_ids,
    validate_model,
)
from .checklist_diff import ChecklistDiff
from .errors import ConfigError, OitCheckerError
from .messages import ui
from .thai import normalize_phrase_variants

PERIOD_MEANING = {
    Period.CURRENT_FISCAL_YEAR: "เนื้อหาของปีงบประมาณปัจจุบัน / content of the current fiscal year",
    Period.PREVIOUS_FISCAL_YEAR: "รายงานของปีงบประมาณที่แล้ว / a report on the previous fiscal year",
    Period.SIX_MONTHS: "รอบ 6 เดือน ต.ค.–มี.ค. ของปีปัจจุบัน / October–March of the current year",
    Period.MONTHLY: "ทุกเดือนของปีงบประมาณปัจจุบันที่ผ่านมาแล้ว / every past month of the current fiscal year",
    Period.CURRENT_AND_PREVIOUS_FISCAL_YEAR: "ทั้งปีปัจจุบันและปีที่แล้ว / both the current and the previous year",
    Period.NONE: "ไม่ตรวจปี (ข้อมูลคงที่) / no year is checked (standing information)",
}
"""What each ``period`` asks for, in the comment above every item of a new list."""

_TOP_ORDER = ("id", "title_th", "title_en", "assessment_year", "kind", "partial", "notes", "sources")
_ITEM_ORDER = ("code", "name_th", "name_en", "group", "period", "allowed_hosts", "social", "confidence",
               "sources", "notes")


def derive_id(output: Path, source_id: str) -> str:
    """The new list's id: the output file's name when it makes a valid id that is not a bundled
    one (``ita/college-2569.toml`` → ``college-2569``), else ``my-<source id>``."""
    stem = re.sub(r"[^a-z0-9._-]+", "-", output.stem.lower()).strip("-._")
    if stem and re.fullmatch(r"[a-z0-9][a-z0-9._-]*", stem) and stem != source_id and stem not in bundled_ids():
        return stem
    return f"my-{source_id}"


def _string(value: str) -> Any:
    """A literal string where it reads better (regular expressions, no escaping), multi-line for notes."""
    if "\n" in value:
        return tomlkit.string(value, multiline=True)
    if "\\" in value and "'" not in value:
        return tomlkit.string(value, literal=True)
    return value


def _value(value: Any) -> Any:
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list):
        array = tomlkit.array()
        array.extend(_string(v) if isinstance(v, str) else v for v in value)
        if sum(len(str(v)) + 4 for v in value) > 90:
            array.multiline(True)
        return array
    return value


def _fill(table: Any, data: dict[str, Any], order: tuple[str, ...]) -> None:
    for key in (*[k for k in order if k in data], *[k for k in data if k not in order]):
        if key != "elements":
            table[key] = _value(data[key])


def new_checklist_text(source_ref: str, output: Path, new_id: str | None = None,
                       relative_to: Path | None = None) -> tuple[str, Checklist, Checklist]:
    """The commented copy of ``source_ref`` (bundled id or path) with a new id.

    Returns (text, source, copy); the copy is validated and has the same items as the source.
    """
    path = _resolve(source_ref, relative_to)
    data = _read_toml(path)
    source = validate_model(Checklist, data, str(path), docs="checklists/README.md")
    new_id = new_id or derive_id(output, source.id)
    bundled = path.parent.resolve() == bundled_dir().resolve()
    origin = f"the bundled checklist {source.id}" if bundled else f"{path} (id {source.id})"
    doc = tomlkit.document()
    for line in (
        f"Own checklist, copied from {origin} by `oit-checker checklist new`.",
        f"คัดลอกจาก {source.id} (ปี พ.ศ. {source.assessment_year}) เพื่อแก้ไขเป็นรายการของหน่วยงาน",
        "",
        "Change first / แก้ก่อน:",
        "  id        already changed so reports do not confuse this list with the bundled one",
        "  title_th  your list's own title (and title_en)",
        "  sources   where YOUR list comes from (your manual, your ministry's letter, a URL)",
        "  notes     what is missing or uncertain; partial = true while items are missing",
        "Then, per item: code, name_th, period and elements, as your list says.",
        "Format and rules: checklists/README.md. Validate: oit-checker checklist check " + output.as_posix(),
    ):
        doc.add(tomlkit.comment(line) if line else tomlkit.nl())
    doc.add(tomlkit.nl())
    top = {k: v for k, v in data.items() if k != "items"}
    top["id"] = new_id
    _fill(doc, top, _TOP_ORDER)
    items = AoT([])
    for raw in data["items"]:
        model = source.item(raw["code"])
        assert model is not None  # the source validated, so every code is there
        table = tomlkit.table()
        table.add(tomlkit.comment(
            f"{raw['code']}: confidence {model.confidence.value}; period {model.period.value} = "
            f"{PERIOD_MEANING[model.period]}"))
        _fill(table, raw, _ITEM_ORDER)
        if raw.get("elements"):
            elements = AoT([])
            for element in raw["elements"]:
                sub = tomlkit.table()
                sub.indent(2)
                _fill(sub, element, ("name", "name_en", "phrases", "patterns", "detectors", "columns"))
                elements.append(sub)
            table.add("elements", elements)
        else:
            table.add(tomlkit.comment("no elements: only the other checks (see README, Elements)"))
        items.append(table)
    doc.add("items", items)
    text = tomlkit.dumps(doc)
    copy = validate_model(Checklist, tomllib.loads(text), str(output), docs="checklists/README.md")
    if copy.items != source.items:  # a writer bug, never the user's: do not hand out a changed list
        raise OitCheckerError(f"{output}: the copy of {source.id} differs from it; please report this")
    return text, source, copy


def write_new(text: str, output: Path, force: bool) -> None:
    """Write ``text`` to ``output`` atomically; refuse to replace a file unless ``force``."""
    if output.exists() and not force:
        raise ConfigError(str(output), "", "the file exists already / มีไฟล์นี้อยู่แล้ว",
                          "choose another -o, or add --force to replace it")
    output.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=output.name, dir=output.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temp, output)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class Warning_:
    """Something valid that still deserves a look (``checklist check``)."""

    code: str
    """``no_elements``, ``phrase_is_item_name``, ``duplicate_name``, ``bundled_id``."""
    where: str
    """Key path, as in config errors: ``items[O5]``, ``items[O5].elements[0].phrases``."""
    th: str
    en: str


def check_file(ref: str) -> tuple[Checklist, list[Warning_]]:
    """Load a checklist as the audit does (a ``ConfigError`` names file, item and key), then ``lint`` it."""
    path = _resolve(ref, None)
    checklist = validate_model(Checklist, _read_toml(path), str(path), docs="checklists/README.md")
    return checklist, lint(checklist, path)


def _warning(code: str, where: str, **params: Any) -> Warning_:
    key = f"checklist_warn_{code}"
    return Warning_(code, where, ui(key, "th", **params), ui(key, "en", **params))


def lint(checklist: Checklist, path: Path) -> list[Warning_]:
    """What the loader accepts but an author should look at."""
    found: list[Warning_] = []
    if checklist.id in bundled_ids() and path.resolve().parent != bundled_dir().resolve():
        found.append(_warning("bundled_id", "id", id=checklist.id))
    first_named: dict[str, str] = {}
    for item in checklist.items:
        name = normalize_phrase_variants(item.name_th)
        other = first_named.setdefault(name, item.code)
        if other != item.code:
            found.append(_warning("duplicate_name", f"items[{item.code}].name_th", other=other))
        if not item.elements:
            found.append(_warning("no_elements", f"items[{item.code}]"))
        for index, element in enumerate(item.elements):
            for phrase in element.phrases:
                if normalize_phrase_variants(phrase) == name:
                    found.append(_warning("phrase_is_item_name", f"items[{item.code}].elements[{index}].phrases",
                                          phrase=phrase))
    return found




# -- console output of the checklist commands ---------------------------------------------------

def text(key: str, lang: str, **params: Any) -> str:
    """A message of the checklist commands in ``lang`` (``messages.UI``'s ``checklist_<key>``)."""
    return ui(f"checklist_{key}", lang, **params)


def list_rows() -> list[tuple[str, ...]]:
    """One row per bundled list: id, year, kind, items, partial, confirmed/items, title.

    General lists first, then the others by kind; newest year first within a kind."""
    lists = bundled_checklists()
    lists.sort(key=lambda c: (c.kind != "general", c.kind, -c.assessment_year, c.id))
    return [(c.id, str(c.assessment_year), c.kind, str(len(c.items)), "yes" if c.partial else "",
             f"{sum(1 for i in c.items if i.confidence is Confidence.CONFIRMED)}/{len(c.items)}", c.title_th)
            for c in lists]



def diff_renderables(diff: ChecklistDiff, lang: str) -> list[RenderableType]:
    """The ``checklist diff`` table (one row per pair, added or dropped item) and a count line."""
    table = Table(title=text("diff_title", lang, old=diff.old_id, old_year=diff.old_year, new=diff.new_id,
                             new_year=diff.new_year))
    for column in (text("change", lang), diff.old_id, "", diff.new_id, "", text("similarity", lang)):
        table.add_column(column, overflow="fold")
    styles = {"unchanged": "dim", "added": "green", "dropped": "red", "renumbered": "yellow", "merged": "magenta",
              "split": "magenta", "renamed": "cyan"}
    for row in diff.rows:
        label = text(f"change_{row.change.value}", lang)
        similarity = f"{row.similarity * 100:.0f}%" if row.similarity is not None else ""
        table.add_row(RichText(label, style=styles[row.change.value]), *(RichText(cell) for cell in (
            row.old_code or "", row.old_name or "", row.new_code or "", row.new_name or "", similarity)))
    counts = "  ".join(f"{text(f'change_{k}', lang)} {n}" for k, n in diff.counts().items() if n)
    return [table, RichText(counts, style="dim")]


__all__ = ["diff_renderables", "PERIOD_MEANING", "Warning_", "check_file", "derive_id", "lint", "list_rows", "new_checklist_text",
           "text", "write_new"]
