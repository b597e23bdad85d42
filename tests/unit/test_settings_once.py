"""Settings once (issue 15 point 3): the config models hold every default, ``oit_checker.options``
builds the runtime options from them, and one rule places every path the config names."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import platformdirs
import pytest
from pydantic import BaseModel

from oit_checker import __version__, evidence, paths, store
from oit_checker.config import (
    BrowserSettings,
    CrawlSettings,
    DocumentSettings,
    EvidenceSettings,
    HttpSettings,
    LoadedConfig,
    parse_config_text,
)
from oit_checker.crawl.options import CrawlOptions
from oit_checker.crawl.robots import agent_token
from oit_checker.demo import CONFIG_TEMPLATE, demo_config
from oit_checker.evidence import EvidenceOptions, resolve_dir
from oit_checker.extract.options import DEFAULT_OPTIONS, ExtractOptions
from oit_checker.fetch.browser import BrowserFetcher, BrowserOptions
from oit_checker.fetch.http import HttpOptions
from oit_checker.options import crawl_options, defaults, http_options, run_options, social_rules_path
from oit_checker.recorder import db_path_for
from oit_checker.schedule import lock_path_for

MIB = 1024 * 1024
AGENCY = '[agency]\nname = "กรมทดสอบ"\nhomepage = "https://www.agency.test/"\n'


def _same(value: Any) -> Any:
    return value


def _mib(value: float) -> int:
    return int(value * MIB)


def _formatted(value: str) -> str:
    return value.format(version=__version__)


Key = tuple[type[BaseModel], str, Callable[[Any], Any]]
"""A config key (its model and name) and how its value becomes the option's."""

KEYS: dict[type, dict[str, Key]] = {
    HttpOptions: {
        **{name: (HttpSettings, name, _same) for name in (
            "connect_timeout", "read_timeout", "total_timeout", "max_concurrency", "per_host_concurrency",
            "per_host_interval", "retries", "backoff", "max_retry_after", "max_redirects", "verify_tls",
            "url_budget", "breaker_failures", "breaker_cooldown", "proxy")},
        "user_agent": (HttpSettings, "user_agent", _formatted),
        "max_body_bytes": (HttpSettings, "max_body_mb", _mib),
    },
    CrawlOptions: {
        **{name: (CrawlSettings, name, _same) for name in (
            "max_pages", "max_depth", "obey_robots", "sitemap", "pdf_links", "exclude", "check_links",
            "max_link_checks", "max_crawl_delay", "max_rendered")},
        "max_page_bytes": (CrawlSettings, "max_page_mb", _mib),
        "workers": (HttpSettings, "max_concurrency", _same),
        "user_agent": (HttpSettings, "user_agent", _formatted),
    },
    ExtractOptions: {name: (DocumentSettings, name, _same) for name in DocumentSettings.model_fields},
    BrowserOptions: {
        **{name: (BrowserSettings, name, _same) for name in (
            "executable_path", "max_pages", "navigation_timeout", "page_timeout", "idle_wait", "recycle_after")},
        "screenshot_max_height": (EvidenceSettings, "screenshot_max_height", _same),
    },
    EvidenceOptions: {name: (EvidenceSettings, name, _same) for name in ("screenshots", "warc", "max_age_days")},
}
"""Every option field that a config key sets."""

BUILT: dict[type, Callable[[], Any]] = {
    HttpOptions: lambda: defaults().http, CrawlOptions: lambda: defaults().crawl,
    ExtractOptions: lambda: defaults().documents, BrowserOptions: lambda: defaults().browser,
    EvidenceOptions: lambda: defaults().evidence,
}


def _loaded(tmp_path: Path, extra: str = "", *, name: str | None = None, base: Path | None = None) -> LoadedConfig:
    return parse_config_text(AGENCY + extra, name or str(tmp_path / "config.toml"), base or tmp_path)


@pytest.mark.parametrize("option", list(KEYS), ids=lambda c: c.__name__)
def test_the_built_options_are_the_config_defaults(option: type) -> None:
    """A default changed in config.py changes the run: each option is the config model's default."""
    built = BUILT[option]()
    for field, (model, key, convert) in KEYS[option].items():
        assert getattr(built, field) == convert(model.model_fields[key].default), f"{option.__name__}.{field}"


@pytest.mark.parametrize("option", list(KEYS), ids=lambda c: c.__name__)
def test_the_option_dataclasses_declare_no_default_a_config_key_sets(option: type) -> None:
    fields = {f.name: f for f in dataclasses.fields(option)}
    keyed = KEYS[option]
    assert set(keyed) <= set(fields), "the table names a field the dataclass lost"
    models = {model for model, _, _ in keyed.values()}
    # a field named like a key of its tables ("x" or its "x_mb" twin) must be in the table
    twins = {f"{name[:-3]}_bytes" if name.endswith("_mb") else name for model in models for name in model.model_fields}
    assert not (set(fields) & twins) - set(keyed), "a field named like a config key is missing from the table"
    with_default = [name for name in keyed if fields[name].default is not dataclasses.MISSING
                    or fields[name].default_factory is not dataclasses.MISSING]
    assert with_default == [], f"{option.__name__} keeps its own default for {with_default}"


def test_the_extractors_fallback_is_the_config_default() -> None:
    assert DEFAULT_OPTIONS == defaults().documents


def test_a_browser_fetcher_without_options_takes_the_config_defaults() -> None:
    assert BrowserFetcher().options == dataclasses.replace(defaults().browser, proxy=None)


def test_a_value_set_in_the_config_reaches_every_option(tmp_path: Path) -> None:
    built = run_options(_loaded(tmp_path, '[http]\nmax_concurrency = 3\nmax_body_mb = 2\n'
                                          '[crawl]\nmax_page_mb = 1\n[documents]\nocr = "off"\n'
                                          '[browser]\nidle_wait = 0.5\n[evidence]\nscreenshot_max_height = 600\n'
                                          'max_age_days = 7\n'), warc=True)
    assert (built.http.max_concurrency, built.crawl.workers) == (3, 3)
    assert (built.http.max_body_bytes, built.crawl.max_page_bytes) == (2 * MIB, MIB)
    assert built.documents.ocr == "off" and built.browser.idle_wait == 0.5
    assert built.browser.screenshot_max_height == 600
    assert built.evidence is not None and (built.evidence.warc, built.evidence.max_age_days) == (True, 7)
    assert run_options(_loaded(tmp_path, "[evidence]\nenabled = false\n")).evidence is None


def test_http_and_crawl_options_fill_in_the_version(tmp_path: Path) -> None:
    loaded = _loaded(tmp_path, '[http]\nuser_agent = "oit-checker/{version} (+https://x.test)"\n')
    assert http_options(loaded).user_agent == crawl_options(loaded).user_agent == f"oit-checker/{__version__} (+https://x.test)"
    assert agent_token(crawl_options(loaded).user_agent) == "oit-checker"  # the robots.txt agent is unchanged


# Paths written in the config ------------------------------------------------------------------------


def test_from_config_places_relative_absolute_and_home_paths(tmp_path: Path) -> None:
    loaded = _loaded(tmp_path)
    assert paths.from_config(loaded, "data/h.sqlite3") == tmp_path.resolve() / "data" / "h.sqlite3"
    assert paths.from_config(loaded, str(tmp_path / "abs")) == tmp_path / "abs"
    assert paths.from_config(loaded, "~/x") == Path.home() / "x"
    with pytest.raises(ValueError, match="empty"):
        paths.from_config(loaded, "")


PATH_KEYS: dict[str, tuple[str, Callable[[LoadedConfig], Path | None]]] = {
    "storage.path": ('[storage]\npath = "{v}"\n', db_path_for),
    "evidence.dir": ('[evidence]\ndir = "{v}"\n', resolve_dir),
    "schedule.lock_file": ('[schedule]\nlock_file = "{v}"\n', lock_path_for),
    "browser.social_rules": ('[browser]\nsocial_rules = "{v}"\n', social_rules_path),
}


@pytest.mark.parametrize("key", list(PATH_KEYS))
def test_every_path_key_is_relative_to_the_config_folder_not_its_name(key: str, tmp_path: Path) -> None:
    """A config held in memory (the demo's) resolves against the folder it was given, not its name's."""
    table, where = PATH_KEYS[key]
    base = tmp_path / "base"
    loaded = _loaded(tmp_path, table.format(v="sub/file"), name=str(tmp_path / "elsewhere" / "config.toml"),
                     base=base)
    assert loaded.base_dir == base.resolve()
    assert where(loaded) == base.resolve() / "sub" / "file"
    home = _loaded(tmp_path, table.format(v="~/file"))
    assert where(home) == Path.home() / "file"


def test_a_relative_checklist_path_is_relative_to_the_config_folder(tmp_path: Path) -> None:
    from oit_checker.checklist import bundled_dir, bundled_ids

    first = bundled_ids()[0]
    base = tmp_path / "base"
    (base / "lists").mkdir(parents=True)
    (base / "lists" / "mine.toml").write_bytes((bundled_dir() / f"{first}.toml").read_bytes())
    loaded = _loaded(tmp_path, '[audit]\nchecklist = "lists/mine.toml"\n', name=str(tmp_path / "other.toml"), base=base)
    assert loaded.checklist.id == first


def test_the_demo_config_resolves_against_its_own_folder() -> None:
    assert demo_config("http://127.0.0.1:8000").base_dir == CONFIG_TEMPLATE.parent.resolve()


# The data directory ---------------------------------------------------------------------------------


def _unix(home: Path) -> Path:
    return home / ".local" / "share" / "oit-checker"


@pytest.mark.parametrize("platform", ["unix", "macos", "windows"])
def test_history_and_evidence_share_the_platform_data_directory(platform: str, monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    from platformdirs.macos import MacOS
    from platformdirs.unix import Unix
    from platformdirs.windows import Windows

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.delenv(evidence.ENV_DIR, raising=False)
    monkeypatch.setenv("WIN_PD_OVERRIDE_LOCAL_APPDATA", r"C:\Users\somchai\AppData\Local")
    monkeypatch.setattr(platformdirs, "PlatformDirs", {"unix": Unix, "macos": MacOS, "windows": Windows}[platform])
    root = paths.data_dir()
    assert str(root).count("oit-checker") == 1  # appauthor=False: no ...\oit-checker\oit-checker on Windows
    expected = {"unix": _unix(tmp_path), "macos": tmp_path / "Library" / "Application Support" / "oit-checker"}
    if platform in expected:
        assert root == expected[platform]
    else:
        assert str(root).startswith(r"C:\Users\somchai\AppData\Local")
    assert store.default_db_path() == root / "history.sqlite3"
    assert evidence.default_dir() == root / "evidence"
    monkeypatch.setenv(evidence.ENV_DIR, str(tmp_path / "proof"))
    assert evidence.default_dir() == tmp_path / "proof"  # the environment still wins


def test_a_relative_xdg_data_home_is_ignored_for_history_and_evidence(monkeypatch: pytest.MonkeyPatch,
                                                                      tmp_path: Path) -> None:
    monkeypatch.setattr(platformdirs, "PlatformDirs", __import__("platformdirs.unix").unix.Unix)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", "relative/data")
    monkeypatch.delenv(evidence.ENV_DIR, raising=False)
    assert store.default_db_path().parent == evidence.default_dir().parent == _unix(tmp_path)
