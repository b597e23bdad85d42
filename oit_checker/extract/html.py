"""HTML to ``Document`` with selectolax (lexbor), tolerant of the broken markup agency CMSs emit."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..fetch.encoding import decode_html
from ..models import Document, Link
from .main_content import PASSWORD_INPUTS, find_main, password_places, substantial
from .tables import html_tables

_LINKS = "a[href], area[href], iframe[src], frame[src]"
_INVISIBLE = "script, style, noscript, template, svg, head"
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\";]+)", re.IGNORECASE)
_NOOP_SCRIPT = re.compile(r"^javascript:\s*(void\s*\(\s*0?\s*\)|undefined|false|null)?\s*;?\s*$", re.IGNORECASE)
_SCRIPTED = frozenset({"onclick", "onmousedown", "onmouseup", "ng-click", "@click", "v-on:click", "aria-controls",
                       "aria-expanded", "aria-haspopup"})


def fold(text: str) -> str:
    """Fold runs of spaces within lines and collapse blank lines."""
    return "\n".join(line for line in (raw.strip() for raw in _SPACES.sub(" ", text).splitlines()) if line)


def extract_html(body: bytes, url: str, content_type: str = "") -> Document:
    """Visible text, title, headings, links (absolute, with anchor text), meta refresh, forms."""
    text, encoding = decode_html(body, content_type)
    tree = LexborHTMLParser(text)
    base = url
    base_node = tree.css_first("base[href]")
    if base_node is not None:
        base = urljoin(url, base_node.attributes.get("href") or "")
    title_node = tree.css_first("title")
    title = fold(title_node.text()) if title_node is not None else ""
    refresh = None
    for meta in tree.css("meta[http-equiv]"):
        if (meta.attributes.get("http-equiv") or "").lower() == "refresh":
            found = _REFRESH_URL.search(meta.attributes.get("content") or "")
            if found:
                refresh = urljoin(base, found.group(1).strip())
    linked = _links(tree, base)
    links = tuple(link for _, link in linked)
    headings = tuple(h for h in (fold(n.text(separator=" ")) for n in tree.css("h1, h2, h3")) if h)
    overlaid, password_inputs = password_places(tree)
    forms = len(tree.css("form"))
    scripts = len(tree.css("script"))
    tables = html_tables(tree)
    for node in tree.css(_INVISIBLE):
        node.decompose()
    root = tree.body or tree.root
    visible = fold(root.text(separator="\n")) if root is not None else ""
    main_text, main_headings, main_links, placeholders, extraction = _main(tree, text, base, linked)
    extraction["password_overlay"] = overlaid
    return Document(kind="html", text=visible, title=title, headings=headings, links=links, tables=tables,
                    meta_refresh=refresh, password_inputs=password_inputs, forms=forms,
                    scripts=scripts, text_source="html", encoding=encoding, main_text=main_text,
                    main_headings=main_headings, main_links=main_links, placeholders=placeholders,
                    extraction=extraction)


def _main(tree: LexborHTMLParser, text: str, base: str, linked: list[tuple[int, Link]]) -> tuple[
        str | None, tuple[str, ...] | None, tuple[Link, ...] | None, tuple[Link, ...], dict[str, Any]]:
    """The main content's text, headings, links, placeholder links, and how it was found
    (``extraction``: ``main`` = container label, ``password_main`` = password inputs inside it).
    None for text, headings and links when the whole page is its content."""
    main = find_main(tree)
    if main.how == "body" and not substantial(main.nodes):  # class names removed it all: trust tags only
        tree = LexborHTMLParser(text)
        for node in tree.css(_INVISIBLE):
            node.decompose()
        main = replace(find_main(tree, semantic_only=True), how="markup")  # what is left is the content, if
        linked = _links(tree, base)  # little or none: a page of menus only says nothing (a new tree: new nodes)
    extraction: dict[str, Any] = {"main": main.how}
    if main.how == "whole":  # no body at all
        return None, None, None, (), extraction
    nodes = main.nodes
    main_text = "\n".join(t for t in (fold(n.text(separator="\n")) for n in nodes) if t)
    main_headings = tuple(h for n in nodes for h in (fold(x.text(separator=" ")) for x in n.css("h1, h2, h3")) if h)
    inside = {a.mem_id for n in nodes for a in n.css(_LINKS)}
    main_links = tuple(link for node_id, link in linked if node_id in inside)
    placeholders = tuple(_placeholders(a for n in nodes for a in n.css("a[href]")))
    extraction["password_main"] = sum(len(n.css(PASSWORD_INPUTS)) for n in nodes)
    return main_text, main_headings, main_links, placeholders, extraction


def _placeholders(anchors: Iterable[LexborNode]) -> Iterator[Link]:
    """Anchors with text that lead nowhere: ``href=""``, ``#``, ``javascript:void(0)`` (url = the raw
    href). An anchor a script acts on (``onclick``, ``data-*`` toggles, ``aria-controls``, a
    ``javascript:window.open('…')``) opens something in the browser: not a placeholder."""
    for node in anchors:
        attrs = node.attributes
        href = (attrs.get("href") or "").strip()
        if href not in ("", "#") and not _NOOP_SCRIPT.match(href):
            continue
        if any(name in _SCRIPTED or name.startswith("data-") for name in attrs) \
                or (attrs.get("role") or "") in ("button", "tab"):
            continue
        label = fold(node.text(separator=" "))
        if label:
            yield Link(href, label)


def _links(tree: LexborHTMLParser, base: str) -> list[tuple[int, Link]]:
    """The page's links with the id of their node (to tell which lie in the main content)."""
    out: list[tuple[int, Link]] = []
    for node in tree.css(_LINKS):
        href = node.attributes.get("href") or node.attributes.get("src") or ""
        href = href.strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
            continue
        absolute = urljoin(base, href)
        if urlsplit(absolute).scheme in ("http", "https"):
            out.append((node.mem_id, Link(absolute.split("#")[0], fold(node.text(separator=" ")))))
    return out
