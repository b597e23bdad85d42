"""The crawl package keeps one job per module: small modules, and the link graph's arrays read
only by ``crawl/graph.py`` (everyone else goes through its methods)."""

from __future__ import annotations

import ast
import asyncio
import dataclasses
import importlib.util
import re
from pathlib import Path

from oit_checker.crawl import Crawler, LinkGraph
from oit_checker.fetch.interface import Fetcher
from oit_checker.models import FetchResult
from oit_checker.options import defaults
from oit_checker.urls import page_key

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "oit_checker" / "crawl"
MAX_LINES = 450
ALLOWED: set[str] = set()
"""Files that may still read the graph's privates (none: discover.py uses ``LinkGraph.url_for_key``
and ``Crawler.visit_unlinked``)."""
HOME = "https://agency.test/"


def _private_names() -> set[str]:
    """LinkGraph's private fields and methods (dunders aside)."""
    names = {f.name for f in dataclasses.fields(LinkGraph)} | set(vars(LinkGraph))
    return {n for n in names if n.startswith("_") and not n.startswith("__")}


def _graph_privates(source: str, private: set[str]) -> list[tuple[int, str]]:
    """``(line, attribute)`` of every ``x._name`` that reads a LinkGraph private: a LinkGraph
    private name on anything but ``self``/``cls``, or any private name on something called
    ``graph`` (``graph._x``, ``self.graph._x``)."""
    hits: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Attribute) or not node.attr.startswith("_") or node.attr.startswith("__"):
            continue
        receiver = node.value
        own = isinstance(receiver, ast.Name) and receiver.id in ("self", "cls")
        graph_named = (isinstance(receiver, ast.Name) and "graph" in receiver.id.lower()) or \
            (isinstance(receiver, ast.Attribute) and "graph" in receiver.attr.lower())
        if graph_named or (node.attr in private and not own):
            hits.append((node.lineno, node.attr))
    return sorted(hits)


def test_every_crawl_module_is_small() -> None:
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in PACKAGE.glob("*.py")}
    assert {"graph.py", "crawler.py", "robots.py", "sitemaps.py", "broken_links.py"} <= set(sizes)
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}


def test_the_old_modules_are_gone() -> None:
    assert not (ROOT / "oit_checker" / "crawl.py").exists()
    assert importlib.util.find_spec("oit_checker.robots") is None


def test_the_scan_finds_graph_privates() -> None:
    private = _private_names()
    assert {"_index", "_urls", "_flags"} <= private
    code = "graph._flags[0]\nself.graph._index.get(k)\ng._urls[1]\nself._index\nother.public\n"
    assert _graph_privates(code, private) == [(1, "_flags"), (2, "_index"), (3, "_urls")]


def test_nothing_outside_graph_py_reads_the_graphs_privates() -> None:
    private = _private_names()
    names = "|".join(map(re.escape, private))
    maybe = re.compile(rf"graph\w*\s*\.\s*_|\.\s*(?:{names})\b", re.IGNORECASE)
    found: dict[str, list[tuple[int, str]]] = {}
    for folder in ("oit_checker", "tests", "bench"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            if any(part.startswith(".") for part in path.relative_to(ROOT).parts):
                continue  # (bench/.peers: the benchmark's installed peers)
            if name == "oit_checker/crawl/graph.py" or name in ALLOWED:
                continue
            source = path.read_text(encoding="utf-8")
            hits = _graph_privates(source, private) if maybe.search(source) else []  # (parse only candidates)
            if hits:
                found[name] = hits
    assert found == {}


def _imported_modules(path: Path) -> set[str]:
    """The absolute names of every module ``path`` imports (relative imports resolved, and
    ``from pkg import mod`` counted as ``pkg.mod`` too)."""
    package = ["oit_checker", "crawl"]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = ".".join([*package[:len(package) + 1 - node.level], *([node.module] if node.module else [])]) \
                if node.level else (node.module or "")
            found |= {base} | {f"{base}.{alias.name}" for alias in node.names}
    return found


def test_no_crawl_module_asks_the_message_catalogue() -> None:
    """The crawl learns what a reason means from ``oit_checker.reasons``, never from the text catalogue."""
    users = sorted(p.name for p in PACKAGE.glob("*.py") if "oit_checker.messages" in _imported_modules(p))
    assert users == []
    assert "oit_checker.reasons" in _imported_modules(PACKAGE / "broken_links.py")  # (the helper sees imports)


def test_public_lookups_replace_the_private_ones() -> None:
    graph = LinkGraph.build(HOME, ("agency.test",), {HOME: [HOME + "a", HOME + "b"]}, options=defaults().crawl)
    uid = graph.uid_for(page_key(HOME + "b"))
    assert uid is not None and graph.url(uid) == HOME + "b"
    assert graph.url_for_key(page_key(HOME + "a/")) == HOME + "a"
    assert graph.uid_for(page_key(HOME + "nowhere")) is None
    assert graph.url_for_key(page_key(HOME + "nowhere")) is None


class _Site(Fetcher):
    def __init__(self, pages: dict[str, str]) -> None:
        self.pages = pages
        self.fetched: list[str] = []

    async def fetch(self, url: str) -> FetchResult:
        self.fetched.append(url)
        body = self.pages.get(url)
        if body is None:
            return FetchResult(url=url, final_url=url, status=404, headers={"content-type": "text/html"})
        return FetchResult(url=url, final_url=url, status=200, body=body.encode(),
                           headers={"content-type": "text/html; charset=utf-8"})


def test_visit_unlinked_fetches_an_item_no_link_led_to_once() -> None:
    item = HOME + "hidden/o1.html"
    site = _Site({HOME: '<a href="/a">a</a>', HOME + "a": "<p>a</p>", item: '<a href="/deeper">d</a>'})
    options = dataclasses.replace(defaults().crawl, sitemap=False, check_links=False, obey_robots=False)
    crawler = Crawler(site, HOME, ("agency.test",), options, items=[item])

    async def go() -> tuple[bool, bool, bool]:
        graph = await crawler.run()
        assert graph.info(item) is not None and not graph.info(item).fetched  # type: ignore[union-attr]
        first = await crawler.visit_unlinked(item)
        again = await crawler.visit_unlinked(item)
        unknown = await crawler.visit_unlinked(HOME + "never-seen")
        return first, again, unknown

    assert asyncio.run(go()) == (True, False, False)
    info = crawler.graph.info(item)
    assert info is not None and info.fetched and info.status == 200
    assert site.fetched.count(item) == 1
    assert HOME + "deeper" not in site.fetched  # recorded, not followed
    assert crawler.graph.click_path(item) is None
