"""Checklists as data: one assessment year's OIT items and the rules each must satisfy.

A checklist is a TOML file (format in ``checklists/README.md``). Bundled ones live in the
repository's ``checklists/`` folder (installed as package data); ``checklist`` in the agency
config may also be a path to the user's own file.
"""

from __future__ import annotations

import functools
import re
import tomllib
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from . import paths
from .errors import ConfigError

M = TypeVar("M", bound=BaseModel)


class Period(StrEnum):
    """Which fiscal year an item's content must cover, relative to the assessment year."""

    CURRENT_FISCAL_YEAR = "current_fiscal_year"
    PREVIOUS_FISCAL_YEAR = "previous_fiscal_year"
    SIX_MONTHS = "six_months"
    """The first half of the current fiscal year: October to March."""
    MONTHLY = "monthly"
    """Every month of the current fiscal year so far (each month once it has ended)."""
    CURRENT_AND_PREVIOUS_FISCAL_YEAR = "current_and_previous_fiscal_year"
    """Evidence for both years: e.g. a plan of the current year and the report of the previous one."""
    NONE = "none"


class Confidence(StrEnum):
    """How sure the checklist author is of the item's numbering and rules."""

    CONFIRMED = "confirmed"
    LIKELY = "likely"
    UNVERIFIED = "unverified"


DETECTORS = ("phone", "fax", "email", "thai_date", "money", "person_name", "url")
"""Built-in element detectors (implemented in ``oit_checker.checks.content``)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Element(_Strict):
    """One thing an assessor looks for in an item's content; matched by any of its rules."""

    name: str = Field(min_length=1)
    """Thai name shown in reports, e.g. ``ปัญหาอุปสรรค``."""
    name_en: str = ""
    phrases: tuple[str, ...] = ()
    """Literal phrases, matched after Thai normalisation (digits, spaces, variants)."""
    patterns: tuple[str, ...] = ()
    """Regular expressions (Python syntax), matched against the normalised text."""
    detectors: tuple[str, ...] = ()
    """Names from ``DETECTORS``."""
    columns: tuple[str, ...] = ()
    """Header words a table must have, one entry per column (``"วิธีการ|วิธีซื้อหรือจ้าง"`` gives
    alternatives); matched in HTML, DOCX and XLSX table headers, else in the text."""

    @field_validator("phrases")
    @classmethod
    def _phrases_not_blank(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(not phrase.strip() for phrase in value):
            raise ValueError("an empty phrase would match every page")
        return value

    @field_validator("columns")
    @classmethod
    def _columns_not_blank(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(not alternative.strip() for column in value for alternative in column.split("|")):
            raise ValueError("an empty column word would match every table")
        return value

    @field_validator("patterns")
    @classmethod
    def _patterns_compile(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in value:
            try:
                compiled = re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"invalid regular expression {pattern!r}: {exc}") from exc
            if compiled.fullmatch(""):
                raise ValueError(f"pattern {pattern!r} matches empty text, so it would match every page")
        return value

    @field_validator("detectors")
    @classmethod
    def _detectors_known(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [d for d in value if d not in DETECTORS]
        if unknown:
            raise ValueError(f"unknown detector {unknown[0]!r}; use one of {', '.join(DETECTORS)}")
        return value

    @model_validator(mode="after")
    def _has_a_rule(self) -> Element:
        if not (self.phrases or self.patterns or self.detectors or self.columns):
            raise ValueError(f"element {self.name!r} needs phrases, patterns, detectors or columns")
        return self


class Item(_Strict):
    """One OIT requirement (e.g. O24) and its rules."""

    code: str = Field(pattern=r"^[A-Z][A-Za-z0-9.\-]*$")
    name_th: str = Field(min_length=1)
    name_en: str = ""
    group: str = ""
    period: Period = Period.NONE
    allowed_hosts: tuple[str, ...] = ()
    """External hosts accepted for this item (subdomains included), e.g. ``facebook.com``."""
    social: bool = False
    """A social-network item: its URL is an account page on one of ``allowed_hosts``."""
    confidence: Confidence = Confidence.UNVERIFIED
    sources: tuple[str, ...] = ()
    notes: str = ""
    elements: tuple[Element, ...] = ()

    @field_validator("allowed_hosts")
    @classmethod
    def _bare_hosts(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for host in value:
            if not re.fullmatch(r"[a-z0-9]([a-z0-9.-]*[a-z0-9])?", host):
                raise ValueError(f"{host!r} is not a bare lower-case host name (no scheme, path or port)")
        return value

    @model_validator(mode="after")
    def _social_has_hosts(self) -> Item:
        if self.social and not self.allowed_hosts:
            raise ValueError("a social item needs allowed_hosts (e.g. facebook.com)")
        return self


class Checklist(_Strict):
    """One assessment year's list of items."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    title_th: str = Field(min_length=1)
    title_en: str = ""
    assessment_year: int = Field(ge=2550, le=2700)
    """The assessment (fiscal) year, B.E."""
    kind: str = Field(default="general", pattern=r"^[a-z][a-z0-9_-]*$")
    """Whose list it is: ``general`` (the NACC's list for all agencies), ``ovec`` (vocational
    colleges), ``moph`` (the Ministry of Public Health's MOIT), or an agency family's own word."""
    partial: bool = False
    """True when the list is known to be incomplete."""
    notes: str = ""
    sources: tuple[str, ...] = ()
    items: tuple[Item, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _codes_unique(self) -> Checklist:
        seen: set[str] = set()
        for item in self.items:
            key = re.sub(r"(?<=[A-Za-z])0+(?=\d)", "", item.code)  # O01 and O1 are the same item
            if key in seen:
                raise ValueError(f"item code {item.code} appears twice")
            seen.add(key)
        return self

    def item(self, code: str) -> Item | None:
        """The item with this code, or None."""
        return next((i for i in self.items if i.code == code), None)

    @property
    def codes(self) -> list[str]:
        """Item codes in checklist order."""
        return [i.code for i in self.items]


def bundled_dir() -> Path:
    """Where the bundled checklists live: ``oit_checker/checklists`` in a wheel (pyproject.toml maps the
    repository's top-level ``checklists/`` there), that folder itself in a source tree or editable install."""
    installed = Path(str(resources.files("oit_checker") / "checklists"))
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[1] / "checklists"


def bundled_ids() -> list[str]:
    """Ids of the bundled checklists, sorted."""
    return sorted(p.stem for p in bundled_dir().glob("*.toml"))


def bundled_checklists() -> list[Checklist]:
    """Every bundled checklist, loaded (sorted by id)."""
    return [load_checklist(i) for i in bundled_ids()]


def load_checklist(ref: str, relative_to: Path | None = None) -> Checklist:
    """Load a checklist by bundled id (``ita-2567``) or by path to a TOML file.

    Raises ``ConfigError`` naming the file and key on any problem.
    """
    path = _resolve(ref, relative_to)
    return _parse_checklist(str(path), _read_bytes(path))


@functools.lru_cache(maxsize=32)
def _parse_checklist(path: str, content: bytes) -> Checklist:
    """One parse per checklist text: the models are frozen, so a fleet's agencies share one (1,000
    agencies each parsing ita-2569 held 130 MB in the parent); an edited file is parsed again."""
    data = _parse_toml(Path(path), content)
    return validate_model(Checklist, data, path, docs="checklists/README.md")


def _resolve(ref: str, relative_to: Path | None) -> Path:
    candidate = Path(ref)
    if candidate.suffix == ".toml" or "/" in ref or "\\" in ref:
        candidate = paths.resolve(ref, relative_to) if relative_to is not None else candidate.expanduser()
        if not candidate.is_file():
            raise ConfigError(str(candidate), "", "checklist file not found",
                              "give a bundled id (see `oit-checker checklist list`) or an existing path")
        return candidate
    bundled = bundled_dir() / f"{ref}.toml"
    if not bundled.is_file():
        raise ConfigError(ref, "", "no bundled checklist with this id",
                          f"choose one of: {', '.join(bundled_ids())}, or give a path to a .toml file")
    return bundled


def _read_toml(path: Path) -> dict[str, Any]:
    return _parse_toml(path, _read_bytes(path))


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise ConfigError(str(path), "", "file not found") from exc


def _parse_toml(path: Path, content: bytes) -> dict[str, Any]:
    try:
        return tomllib.loads(content.decode("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), "", f"not valid TOML: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(str(path), "", "not UTF-8 text", "save the file as UTF-8") from exc


def validate_model(model: type[M], data: dict[str, Any], file: str, docs: str = "docs/config.md") -> M:
    """Validate ``data`` into ``model``; turn the first pydantic error into a ``ConfigError``.

    ``docs`` names the page that lists the allowed keys (for the hint).
    """
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = _key_path(err["loc"], data)
        problem = str(err["msg"]).removeprefix("Value error, ")
        value = err.get("input")
        if err["type"] == "extra_forbidden":
            problem = "unknown key"
            hint = f"check the spelling; every key is listed in {docs}"
        elif err["type"] == "missing":
            problem = "required key is missing"
            hint = f"see {docs}"
        elif isinstance(value, (str, int, float, bool)):
            hint = f"got {str(value)[:80]!r}"
        else:
            hint = ""
        raise ConfigError(file, key, problem, hint) from exc


def _key_path(loc: tuple[int | str, ...], data: Any) -> str:
    """Render a pydantic location as a TOML-ish key: ``items[3].elements[0].name``.

    Where the list entry has a ``code``, it is named by it: ``items[O24].period``.
    """
    parts: list[str] = []
    node = data
    for part in loc:
        if isinstance(part, int):
            label = str(part)
            if isinstance(node, list) and part < len(node) and isinstance(node[part], dict):
                label = str(node[part].get("code", part))
            parts.append(f"[{label}]")
        else:
            parts.append(("." if parts else "") + str(part))
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            node = None
    return "".join(parts)
