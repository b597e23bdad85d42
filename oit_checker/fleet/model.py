"""The fleet file (``fleet.toml``): many agencies audited together, each as its own config.

Every key is documented in ``docs/fleet.md``; unknown keys are errors, as in ``config.toml``. An
agency is described inline (name, homepage, items) or points to its own ``config.toml``; either way
it becomes a ``LoadedConfig``, and ``LoadedFleet.snapshot`` freezes it for a worker that never
reads the files (an edited file does not change a fleet run already queued).
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator

from .. import paths
from ..checklist import _key_path, _read_toml, _resolve, _Strict, bundled_dir, validate_model
from ..config import ItemUrls, LoadedConfig, NotifySettings, ScheduleSettings, StorageSettings, parse_config
from ..errors import ConfigError
from ..urls import normalize_url

DOCS = "docs/fleet.md"
DEFAULT_TABLES = ("audit", "http", "crawl", "browser", "evidence", "documents", "assessment")
"""The config tables ``[defaults]`` may give (shared by every agency that does not set its own)."""
INLINE_KEYS = ("name", "homepage", "domains", "checklist", "items")
"""Agency keys that describe the agency here; with ``config =`` they belong in that file."""
WORKER_MEMORY = 1 << 30
"""Memory one worker process is given when ``jobs = 0`` picks the count (an audit with a browser)."""
SNAPSHOT_VERSION = 1
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _check_contacts(value: tuple[str, ...]) -> tuple[str, ...]:
    for address in value:
        if not _EMAIL.fullmatch(address):
            raise ValueError(f"{address!r} is not an e-mail address")
    return value


class FleetLimits(_Strict):
    """How much of the machine, and of each website, one fleet run may use."""

    jobs: int = Field(default=0, ge=0, le=256)
    """Worker processes; 0: the CPU count, capped by memory at about 1 GB each (``effective_jobs``)."""
    agencies_per_worker: int = Field(default=1, ge=1, le=16)
    """Audits one worker runs at once in its event loop (overlaps their waiting on slow servers)."""
    max_concurrency: int = Field(default=64, ge=1, le=1024)
    """Requests in flight across all workers."""
    per_host_concurrency: int = Field(default=2, ge=1, le=64)
    """Requests in flight to one host across all workers (shared hosts: facebook.com, gprocurement.go.th)."""
    per_host_interval: float = Field(default=0.25, ge=0)
    """Minimum seconds between two requests to one host, across all workers."""
    agency_minutes: float = Field(default=30.0, gt=0, le=24 * 60)
    """Each agency's ``[audit] max_minutes`` is capped at this (and set to it when not given)."""
    max_attempts: int = Field(default=3, ge=1, le=10)
    """A worker lost this many times while auditing one agency: that agency is recorded failed."""


class FleetSettings(_Strict):
    """The fleet itself: its name, shared choices and its owner."""

    name: str = Field(min_length=1)
    """Shown in the fleet report and the owner's summary."""
    checklist: str = ""
    """Default checklist of the agencies (bundled id or path relative to this file)."""
    lang: str = Field(default="th", pattern="^(th|en)$")
    """Language of the fleet report and summary; the default ``[audit] lang`` of inline agencies."""
    reports_dir: str = "fleet-reports"
    """Where reports go (relative to this file): ``<dir>/<fleet run>/<agency id>.{html,json}``."""
    contacts: tuple[str, ...] = ()
    """E-mail addresses of the fleet owner: they get the summary after each fleet run."""
    limits: FleetLimits = FleetLimits()
    schedule: ScheduleSettings = ScheduleSettings()
    notify: NotifySettings = NotifySettings()

    _contacts = field_validator("contacts")(_check_contacts)


class FleetDefaults(_Strict):
    """Config tables shared by the agencies; checked per agency by ``Config`` (so errors name the key)."""

    audit: dict[str, Any] = {}
    http: dict[str, Any] = {}
    crawl: dict[str, Any] = {}
    browser: dict[str, Any] = {}
    evidence: dict[str, Any] = {}
    documents: dict[str, Any] = {}
    assessment: dict[str, Any] = {}


class FleetAgency(_Strict):
    """One agency of the fleet: inline (``name`` and ``homepage``) or ``config`` = its config file."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
    """Unique (case ignored); the agency's key in the history and its report file names."""
    name: str = ""
    homepage: str = ""
    domains: tuple[str, ...] = ()
    config: str = ""
    """A full ``config.toml`` for this agency, relative to the fleet file."""
    checklist: str = ""
    contacts: tuple[str, ...] = ()
    """E-mail addresses told about this agency's regressions and failed runs."""
    items: dict[str, ItemUrls] = {}

    _contacts = field_validator("contacts")(_check_contacts)


class FleetFile(_Strict):
    """The whole fleet file."""

    fleet: FleetSettings
    storage: StorageSettings = StorageSettings()
    defaults: FleetDefaults = FleetDefaults()
    agencies: tuple[FleetAgency, ...] = Field(min_length=1)


@dataclass(eq=False)
class LoadedAgency:
    """One agency ready to audit, with the merged config data it was validated from."""

    id: str
    contacts: tuple[str, ...]
    loaded: LoadedConfig
    data: dict[str, Any]
    """The merged config (the agency's own or inline, plus ``[defaults]``), as ``parse_config`` saw it."""
    base_dir: Path
    checklist_file: Path | None
    """The user's checklist file, or None for a bundled list (only bundled ids go by name)."""
    inline: bool

    @property
    def empty_items(self) -> tuple[str, ...]:
        """Items to audit that have no URL: ``--discover`` looks for them, else they fail ``no_url_given``."""
        config = self.loaded.config
        codes = config.audit.select or tuple(self.loaded.checklist.codes)
        return tuple(code for code in codes if not self.loaded.urls_for(code))


class LoadedFleet:
    """A validated fleet file and its agencies' configs, in file order."""

    def __init__(self, fleet: FleetFile, path: Path, agencies: dict[str, LoadedAgency]) -> None:
        self.fleet = fleet
        self.path = path
        self.agencies = agencies

    @property
    def settings(self) -> FleetSettings:
        """See ``FleetFile.fleet``."""
        return self.fleet.fleet

    @property
    def limits(self) -> FleetLimits:
        """See ``FleetSettings.limits``."""
        return self.fleet.fleet.limits

    def resolve(self, value: str) -> Path:
        """A path written in the fleet file: relative to its folder."""
        return paths.resolve(value, self.path.resolve().parent)

    @property
    def reports_dir(self) -> Path:
        """``[fleet] reports_dir`` resolved against the fleet file's folder."""
        return self.resolve(self.settings.reports_dir)

    def agency(self, agency_id: str) -> LoadedAgency:
        """The agency with this id (KeyError when there is none)."""
        return self.agencies[agency_id]

    def needing_discovery(self) -> dict[str, tuple[str, ...]]:
        """Agency id -> item codes without URLs, for agencies that have any."""
        return {i: a.empty_items for i, a in self.agencies.items() if a.empty_items}

    def snapshot(self, agency_id: str) -> dict[str, Any]:
        """A JSON-able form of one agency's config that ``config_from_snapshot`` rebuilds without the files."""
        agency = self.agencies[agency_id]
        text = agency.checklist_file.read_text(encoding="utf-8") if agency.checklist_file else None
        return {"version": SNAPSHOT_VERSION, "agency_id": agency.id, "contacts": list(agency.contacts),
                "path": agency.loaded.path, "base_dir": str(agency.base_dir),
                "config": _jsonable(agency.data), "checklist_text": text}


def config_from_snapshot(snapshot: dict[str, Any]) -> LoadedConfig:
    """Rebuild an agency's ``LoadedConfig`` from ``LoadedFleet.snapshot`` (a worker has no fleet files)."""
    if snapshot.get("version") != SNAPSHOT_VERSION:
        raise ConfigError(str(snapshot.get("path", "snapshot")), "version", "unknown snapshot version",
                          "queue the fleet run again with this version of oit-checker")
    data = copy.deepcopy(snapshot["config"])
    name, base = str(snapshot["path"]), Path(snapshot["base_dir"])
    text = snapshot.get("checklist_text")
    if text is None:
        return parse_config(data, name, base)
    ref = data["audit"]["checklist"]
    with tempfile.TemporaryDirectory(prefix="oit-fleet-") as tmp:
        file = Path(tmp) / "checklist.toml"
        file.write_text(text, encoding="utf-8")
        data["audit"]["checklist"] = str(file)
        loaded = parse_config(data, name, base)
    audit = loaded.config.audit.model_copy(update={"checklist": ref})  # as the agency wrote it
    return LoadedConfig(loaded.config.model_copy(update={"audit": audit}), loaded.checklist, name, loaded.choice,
                        loaded.base_dir)


def load_fleet(path: str | Path) -> LoadedFleet:
    """Read, validate and cross-check a fleet file, and load every agency's config."""
    file = Path(path)
    if not file.is_file():
        raise ConfigError(str(file), "", "fleet file not found",
                          f"pass the path of a fleet file; {DOCS} describes one")
    data = _read_toml(file)
    fleet = _validate(data, str(file))
    _check_ids(fleet, str(file))
    agencies = {entry.id: _load_agency(fleet, entry, file) for entry in fleet.agencies}
    _check_scopes(agencies, str(file))
    return LoadedFleet(fleet, file, agencies)


def effective_jobs(limits: FleetLimits, *, cpus: int | None = None, memory: int | None = None) -> int:
    """Worker processes to start: ``jobs``, or for 0 the CPU count capped at one per ~1 GB of memory."""
    if limits.jobs:
        return limits.jobs
    cpus = cpus or _cpu_count()
    memory = _memory_bytes() if memory is None else memory
    by_memory = memory // WORKER_MEMORY if memory > 0 else cpus
    return max(1, min(cpus, by_memory))


def _cpu_count() -> int:
    if hasattr(os, "sched_getaffinity"):  # the CPUs this process may use (containers, taskset)
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def _memory_bytes() -> int:
    """Physical memory, or the cgroup v2 limit when lower (0 when unknown)."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        total = 0
    try:
        limit = Path("/sys/fs/cgroup/memory.max").read_text(encoding="ascii").strip()
    except OSError:
        limit = "max"
    if limit.isdigit() and (not total or int(limit) < total):
        return int(limit)
    return max(total, 0)


def _validate(data: dict[str, Any], name: str) -> FleetFile:
    """``validate_model``, with agencies named by id in the key (``agencies[tambon-001].items.O24``)."""
    try:
        return validate_model(FleetFile, data, name, docs=DOCS)
    except ConfigError as exc:
        cause = exc.__cause__
        agencies = data.get("agencies")
        if not isinstance(cause, ValidationError) or not isinstance(agencies, list):
            raise
        view = {**data, "agencies": [{**a, "code": a["id"]} if isinstance(a, dict) and isinstance(a.get("id"), str)
                                     else a for a in agencies]}
        key = _key_path(tuple(cause.errors()[0]["loc"]), view)
        raise ConfigError(exc.file, key, exc.problem, exc.hint) from cause


def _check_ids(fleet: FleetFile, name: str) -> None:
    seen: dict[str, int] = {}
    for index, entry in enumerate(fleet.agencies):
        first = seen.setdefault(entry.id.lower(), index)
        if first != index:
            raise ConfigError(name, f"agencies[{index}].id", f"duplicate agency id {entry.id!r}",
                              f"also agencies[{first}]; each id names one agency in the history and "
                              "the report files (case is ignored)")


def _check_scopes(agencies: dict[str, LoadedAgency], name: str) -> None:
    """Two entries auditing one website against one checklist would share (and garble) one history."""
    seen: dict[tuple[str, str], str] = {}
    for agency_id, agency in agencies.items():
        scope = (normalize_url(agency.loaded.agency.homepage), agency.loaded.checklist.id)
        first = seen.setdefault(scope, agency_id)
        if first != agency_id:
            raise ConfigError(name, f"agencies[{agency_id}].homepage",
                              f"same homepage and checklist as agency {first!r}",
                              "remove one of the two entries, or audit them against different checklists")


def _load_agency(fleet: FleetFile, entry: FleetAgency, file: Path) -> LoadedAgency:
    key, name = f"agencies[{entry.id}]", str(file)
    if entry.config:
        given = [k for k in INLINE_KEYS if k in entry.model_fields_set]
        if given:
            raise ConfigError(name, f"{key}.{given[0]}", "given both here and by `config`",
                              f"set it in {entry.config}, or drop `config` to describe the agency here")
        own = paths.resolve(entry.config, file.parent)
        if not own.is_file():
            raise ConfigError(name, f"{key}.config", "agency config file not found",
                              f"paths are relative to the fleet file's folder ({file.parent})")
        data = {t: v for t, v in _read_toml(own).items() if t != "storage"}  # the fleet's store is the store
        from_defaults = {t for t in DEFAULT_TABLES if t not in data and getattr(fleet.defaults, t)}
        data.update({t: copy.deepcopy(getattr(fleet.defaults, t)) for t in from_defaults})
        audit = data.setdefault("audit", {})
        checklist_key = "audit.checklist" if isinstance(audit, dict) and "checklist" in audit else ""
        if isinstance(audit, dict) and fleet.fleet.checklist and not checklist_key:
            audit["checklist"] = _fleet_checklist(fleet, file)
        origin, base = str(own), own.parent

        def where(k: str) -> tuple[str, str]:
            if k == "audit.checklist" and not checklist_key:
                return name, "fleet.checklist"
            top = re.split(r"[.\[]", k, maxsplit=1)[0]
            return (name, f"defaults.{k}") if top in from_defaults else (origin, k)
    else:
        missing = [k for k in ("name", "homepage") if not getattr(entry, k)]
        if missing:
            raise ConfigError(name, f"{key}.{missing[0]}", "required key is missing",
                              "an agency needs name and homepage here, or config = the path of its config.toml")
        agency: dict[str, Any] = {"name": entry.name, "homepage": entry.homepage}
        if "domains" in entry.model_fields_set:
            agency["domains"] = list(entry.domains)
        audit = {"lang": fleet.fleet.lang, **copy.deepcopy(fleet.defaults.audit)}
        checklist = entry.checklist or fleet.fleet.checklist
        if checklist:
            audit["checklist"] = checklist
        data = {"agency": agency, "audit": audit}
        data.update({t: copy.deepcopy(getattr(fleet.defaults, t)) for t in DEFAULT_TABLES[1:]
                     if getattr(fleet.defaults, t)})
        data["items"] = {code: urls.model_dump(mode="json") for code, urls in entry.items.items()}
        origin, base = f"{file} [agencies id={entry.id}]", file.parent

        def where(k: str) -> tuple[str, str]:
            top, _, rest = k.partition(".")
            if top == "agency":
                return name, f"{key}.{rest}" if rest else key
            if top == "items":
                return name, f"{key}.{k}"
            if k == "audit.checklist":
                return name, f"{key}.checklist" if entry.checklist else "fleet.checklist"
            if k == "audit.lang" and "lang" not in fleet.defaults.audit:
                return name, "fleet.lang"
            if top == "notify":
                return name, f"fleet.{k}"
            return name, f"defaults.{k}"

    _cap_minutes(data, fleet.fleet.limits.agency_minutes)
    notify = agency_notify(fleet.fleet.notify, data.get("notify"), entry.contacts, inline=not entry.config,
                           base=file.parent)
    if notify is not None:
        data["notify"] = notify
    checklist_file = _checklist_file(data, base, where)
    try:
        loaded = parse_config(data, origin, base)
    except ConfigError as exc:
        if exc.file != origin:
            raise
        raise ConfigError(*where(exc.key), exc.problem, exc.hint) from exc
    return LoadedAgency(entry.id, entry.contacts, loaded, data, base, checklist_file, inline=not entry.config)


def agency_notify(shared: NotifySettings, own: Any, contacts: tuple[str, ...], *, inline: bool,
                  base: Path) -> dict[str, Any] | None:
    """The ``[notify]`` an agency is audited with (None: its own, unchanged). Inline: the fleet's
    ``[fleet.notify]`` channels, e-mail to the agency's ``contacts`` (none: no e-mail). With its own
    file: its ``[notify]``, its ``contacts`` added to its e-mail, or sent through the fleet's mail
    server when its file has none."""
    fleet = shared.model_dump(mode="json")
    mail = fleet["email"]
    if mail["ca_file"]:
        mail["ca_file"] = str(paths.resolve(mail["ca_file"], base).resolve())  # the fleet file's folder, not the agency's
    if inline:
        fleet["email"] = {**mail, "to": list(contacts)} if contacts else {**mail, "host": ""}
        return fleet
    if not contacts:
        return None
    table = copy.deepcopy(own) if isinstance(own, dict) else {}
    email = table.get("email")
    if isinstance(email, dict) and email.get("host"):
        given = email.get("to")
        email["to"] = list(dict.fromkeys([*(given if isinstance(given, list) else []), *contacts]))
    elif mail["host"]:
        table["email"] = {**mail, "to": list(contacts)}
    else:
        return None
    return table


def _fleet_checklist(fleet: FleetFile, file: Path) -> str:
    """``[fleet] checklist`` as an agency file in another folder must see it: a bundled id or an absolute path."""
    ref = fleet.fleet.checklist
    try:
        path = _resolve(ref, file.parent)
    except ConfigError as exc:
        raise ConfigError(str(file), "fleet.checklist", exc.problem, exc.hint) from exc
    return ref if path.parent == bundled_dir() else str(path.resolve())


def _cap_minutes(data: dict[str, Any], cap: float) -> None:
    """``[audit] max_minutes`` = min(given, cap), or the cap; a wrong type is left for validation."""
    audit = data.setdefault("audit", {})
    if not isinstance(audit, dict):
        return
    value = audit.get("max_minutes")
    if value is None:
        audit["max_minutes"] = cap
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        audit["max_minutes"] = min(value, cap)


def _checklist_file(data: dict[str, Any], base: Path, where: Callable[[str], tuple[str, str]]) -> Path | None:
    """The user's checklist file (None for a bundled id); a missing one is named by its key here."""
    audit = data.get("audit")
    ref = audit.get("checklist") if isinstance(audit, dict) else None
    if not isinstance(ref, str) or not ref:
        return None
    try:
        path = _resolve(ref, base)
    except ConfigError as exc:
        raise ConfigError(*where("audit.checklist"), exc.problem, exc.hint) from exc
    return None if path.parent == bundled_dir() else path


def _jsonable(value: Any) -> Any:
    """TOML dates and times as ISO text (what ``Config`` reads back), tuples as lists."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.time)):  # datetime is a date
        return value.isoformat()
    return value
