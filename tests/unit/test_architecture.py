"""docs/architecture.md stays true of the code (issue 15): every row of "Where to change what" names
one file that exists and, where it names one, a top-level definition in it; and no module grows past
450 lines except the text catalogue."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "architecture.md"
MAX_LINES = 450
DATA_TABLES = {"oit_checker/messages.py": "the Thai/English text catalogue"}
"""Modules allowed past ``MAX_LINES``, each with the reason."""


def table_rows() -> list[tuple[str, str]]:
    """(``you want to …``, ``the one place``) of the "Where to change what" table."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Where to change what", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1:-1] for line in section.splitlines() if line.startswith("| ")]
    return [(cells[0].strip(), cells[1].strip()) for cells in rows[1:]]  # (the header row is not a place)


def top_level_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def test_the_table_has_the_rows_a_maintainer_looks_for() -> None:
    wants = [want for want, _ in table_rows()]
    assert len(wants) >= 20 and len(set(wants)) == len(wants)
    for place in ("reasons.py", "report/__init__.py", "store/schema.py", "notify/__init__.py", "checks/__init__.py"):
        assert any(place in p for _, p in table_rows()), place


@pytest.mark.parametrize(("want", "place"), table_rows())
def test_each_row_is_one_place_that_exists(want: str, place: str) -> None:
    tokens = re.findall(r"`([^`]+)`", place)
    assert 1 <= len(tokens) <= 2, f"{want}: one path, maybe one name ({place})"
    path = ROOT / tokens[0]
    assert path.exists(), f"{want}: {tokens[0]} does not exist"
    if len(tokens) == 2:
        assert tokens[1] in top_level_names(path), f"{want}: {tokens[1]} is not defined in {tokens[0]}"


def test_every_file_the_diagram_names_exists() -> None:
    diagram = DOC.read_text(encoding="utf-8").split("```", 2)[1]
    for name in set(re.findall(r"\b([a-z_]+/)?([a-z_]+\.py)\b", diagram)):
        folder, file = name
        hits = list((ROOT / "oit_checker").rglob(file)) if not folder else list((ROOT / "oit_checker").rglob(folder + file))
        assert hits or (not folder and (ROOT / "bench" / file).exists()), f"the diagram names {folder}{file}, which is gone"


def test_no_module_is_longer_than_the_limit() -> None:
    long = {}
    for path in sorted((ROOT / "oit_checker").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES and name not in DATA_TABLES:
            long[name] = lines
    assert long == {}
