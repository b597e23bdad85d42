"""Packaging: one version, typed, checklists shipped without a symlink, errors exported, a lock that
matches pyproject.toml, and an import that leaves the host program alone."""

from __future__ import annotations

import importlib.metadata
import inspect
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

import oit_checker
from oit_checker import errors
from oit_checker.checklist import bundled_dir, bundled_ids

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_version_comes_from_the_package_metadata_only() -> None:
    assert oit_checker.__version__ == importlib.metadata.version("oit-checker") == PYPROJECT["project"]["version"]
    literal = re.compile(r"""__version__\s*[:=][^=\n]*["']\d""")
    assert [p for p in (ROOT / "oit_checker").rglob("*.py") if literal.search(p.read_text(encoding="utf-8"))] == []


def test_the_package_says_it_is_typed() -> None:
    assert (ROOT / "oit_checker" / "py.typed").is_file()
    assert "py.typed" in PYPROJECT["tool"]["setuptools"]["package-data"]["oit_checker"]


def test_the_checklists_are_a_real_top_level_folder_mapped_into_the_package() -> None:
    assert not (ROOT / "oit_checker" / "checklists").is_symlink()
    assert (ROOT / "checklists").is_dir() and not (ROOT / "checklists").is_symlink()
    setuptools = PYPROJECT["tool"]["setuptools"]
    assert setuptools["package-dir"]["oit_checker.checklists"] == "checklists"
    assert setuptools["package-data"]["oit_checker.checklists"] == ["*.toml"]
    assert bundled_dir().resolve() == (ROOT / "checklists").resolve()  # this tree is an editable install
    on_disk = {p.stem for p in (ROOT / "checklists").glob("*.toml")}
    assert on_disk and on_disk <= set(bundled_ids())


def test_every_package_folder_is_listed_for_the_wheel() -> None:
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "oit_checker").rglob("__init__.py")
             if "site" not in p.parts}  # demo/site is served data, not code
    assert found - listed == set()
    assert listed - found == {"oit_checker.checklists"}


def test_every_error_type_is_exported() -> None:
    types = {name for name, value in inspect.getmembers(errors, inspect.isclass)
             if issubclass(value, errors.OitCheckerError)}
    assert {"ConfigError", "DemoError", "NotifyError", "OitCheckerError", "OutputError", "StoreError"} <= types
    for name in types:
        assert name in oit_checker.__all__
        assert getattr(oit_checker, name) is getattr(errors, name)
    from oit_checker.notify.interface import NotifyError
    from oit_checker.report.outputs import OutputError
    from oit_checker.store import StoreError
    assert (StoreError, OutputError, NotifyError) == (errors.StoreError, errors.OutputError, errors.NotifyError)


def _pins() -> dict[str, list[str]]:
    pins: dict[str, list[str]] = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            pins.setdefault(canonicalize_name(name), []).append(version)
    return pins


def test_every_dependency_is_pinned_once_within_its_range() -> None:
    pins = _pins()
    project = PYPROJECT["project"]
    for text in [*project["dependencies"], *project["optional-dependencies"]["test"]]:
        req = Requirement(text)
        versions = pins.get(canonicalize_name(req.name), [])
        assert len(versions) == 1, (req.name, versions)
        assert req.specifier.contains(versions[0], prereleases=True), (text, versions[0])
    assert all(len(v) == 1 and v[0] for v in pins.values())  # every line is name==version


def test_the_venv_is_built_with_the_constraints() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    installs = [line for line in makefile.splitlines() if "pip install" in line and "-e" in line]
    assert installs and all("-c constraints.txt" in line for line in installs)
    assert re.search(r"^\$\(BIN\)/oit-checker:.*\bconstraints\.txt\b", makefile, re.M)
    assert re.search(r"^lock:", makefile, re.M)


_IMPORTS_ONLY = """
import ctypes, json
looked_up = []

class Recorder(ctypes.CDLL):
    def __getattr__(self, name):
        looked_up.append(name)
        return super().__getattr__(name)

    def __getitem__(self, name):
        looked_up.append(name)
        return super().__getitem__(name)

ctypes.CDLL = Recorder
ctypes.cdll = ctypes.LibraryLoader(Recorder)
import oit_checker, oit_checker.extract, oit_checker.crawl, oit_checker.audit
on_import = list(looked_up)
ctypes.CDLL(None).mallopt  # the control: the recorder does see a lookup
print(json.dumps({"on_import": on_import, "after": looked_up}))
"""


def test_importing_the_package_leaves_the_allocator_alone() -> None:
    out = subprocess.run([sys.executable, "-c", _IMPORTS_ONLY], capture_output=True, text=True, cwd=ROOT,
                         timeout=60, check=True).stdout
    seen = json.loads(out.strip().splitlines()[-1])
    assert "mallopt" not in seen["on_import"]
    assert "mallopt" in seen["after"]
