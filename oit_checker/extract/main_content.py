"""Which part of an HTML page is its content: what an assessor reads, not the site's menus.

An item page usually sits in a template whose header, side menu and footer name every OIT item;
that text proves nothing about the page. The content is the container the page marks (``main``,
``[role=main]``, a CMS's article container, ``article``) or, when none is marked, the body; in
both, navigation, headers, footers, sidebars, skip links and cookie banners are left out. A
container that turns out (nearly) empty is not trusted: the next, broader choice is taken, so a
page with text never ends with empty content.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser, LexborNode

CONTAINERS: tuple[tuple[str, str], ...] = (
    ("main", "main"),
    ("role=main", "[role=main]"),
    ("id=content-main", "#content-main, #main-content, #maincontent, .main-content"),
    ("wordpress", "#primary, .content-area"),
    ("joomla", ".item-page, .com-content-article"),
    ("id=content", "#content"),
    ("article-body", "[itemprop=articleBody], .entry-content, .post-content, .node__content, .field--name-body"),
    ("post", ".post, .hentry"),
    ("article", "article"),
)
"""Where pages mark their content, broadest first (label, CSS selector)."""
ANY_CONTAINER = ", ".join(selector for _, selector in CONTAINERS)

CHROME_TAGS = ("nav, aside, [role=navigation], [role=banner], [role=contentinfo], [role=complementary], "
               "[role=search], [role=menubar], [role=menu], [data-elementor-type=header], "
               "[data-elementor-type=footer], [data-elementor-type=popup]")
SCOPED_TAGS = "header, footer"
"""Site header and footer, unless they belong to a section of the content (an article's title, date,
author; a page title's ``main > header``), as HTML scopes them."""
SECTIONING = frozenset({"article", "main", "section"})
CLASS_CANDIDATES = ", ".join(
    f"[{attr}*={word} i]" for attr in ("class", "id")
    for word in ("menu", "nav", "sidebar", "sidenav", "breadcrumb", "header", "footer", "topbar", "widget",
                 "offcanvas", "cookie", "consent", "pdpa", "gdpr", "skip", "masthead", "aside"))
"""Elements whose class or id may name a part of the template (sorted out by ``_name_kind``)."""
STRONG_WORDS = frozenset({
    "sidebar", "sidebars", "sidenav", "aside", "breadcrumb", "breadcrumbs", "offcanvas", "cookie", "cookies",
    "cookieconsent", "consent", "pdpa", "gdpr", "skip", "skiplink", "megamenu", "mainmenu", "leftmenu", "rightmenu",
    "topmenu", "menubar", "navbar", "masthead",
})
"""Words of a class or id (split at ``-`` and ``_``) that always name a template part."""
WEAK_WORDS = frozenset({"menu", "menus", "submenu", "nav", "navigation", "navi", "header", "footer", "topbar"})
"""Words that name a template part outside the content, on an ``id`` (``#header``) or a block of
links (``div.menu``); a ``div.header`` of text inside an article is its own section title."""
PLACE_WORDS = frozenset({"left", "right", "side", "top", "main", "mega", "primary", "secondary", "global", "site",
                         "mobile"})
"""With a weak word, these make it strong: ``left-menu``, ``site-header``, ``main-navigation``."""
PREFIX_ONLY = frozenset({"widget", "widgets"})
"""Template words only when the class starts with them (``widget_recent``, not ``elementor-widget``)."""
KEEP_WORDS = frozenset({
    "content", "entry", "article", "post", "page", "item", "body", "card", "panel", "modal", "table", "news",
    "blog", "title", "section", "has", "with", "no", "without", "is", "toggle", "open", "active", "fixed", "sticky",
})
"""A class with one of these words is the article's own part or a state of a wrapper
(``content-header``, ``page-header``, ``entry-footer``, ``has-sidebar``, ``header-fixed``)."""
EDGE_TEXT = 300
"""A site header has at most this much text before it (a demo or announcement bar), a footer after it."""
EDGE_DEPTH = 2
"""A layout block sits at most this deep under ``body`` (``body > div.wrapper > div.container > div.header``)."""
LINK_DENSE = 0.5
"""A block whose text is mostly link text is navigation."""
MENU_LINKS = 10
"""Inside the marked content, a block of links classed as a menu is the site's menu only with this
many links (an item list of every OIT item); fewer are the article's own tabs or index."""
WORD_SPLIT = re.compile(r"[-_]+")
DOCUMENT_HREF = re.compile(r"\.(pdf|docx?|xlsx?|pptx?|od[tsp]|csv|rtf|zip|rar|jpe?g|png)([?#]|$)", re.IGNORECASE)
OVERLAY = "[role=dialog], [role=alertdialog], [aria-modal=true]"
CLOSE = ("[aria-label*=close i], [aria-label*=ปิด], [data-dismiss], [data-bs-dismiss], .close, .btn-close, "
         "[class*=close-button i]")
CLOSE_WORDS = frozenset({"×", "✕", "x", "ปิด", "close", "not now", "ไม่ใช่ตอนนี้", "ภายหลัง"})
PASSWORD_INPUTS = 'input[type="password" i]'  # noqa: S105 - a CSS selector
MIN_CONTENT = 20
"""A container with fewer visible characters than this (spaces aside) and no document link is
empty: a client-side shell, a breadcrumb, a banner."""


@dataclass(frozen=True)
class MainContent:
    """The nodes that hold the page's content, and how they were found."""

    nodes: tuple[LexborNode, ...]
    how: str
    """Container label (``main``, ``joomla`` …), ``body`` (template parts removed), ``markup`` (only
    the parts marked by tags and roles removed: class names misled) or ``whole`` (no body)."""


def find_main(tree: LexborHTMLParser, *, semantic_only: bool = False) -> MainContent:
    """Mark the content of a parsed page. Mutates the tree: template parts are removed from it,
    so call it after the whole page's text, links and headings were read. ``semantic_only``:
    template parts are known by their tags and roles only (class names misled the first try)."""
    body = tree.body or tree.root
    if body is None:
        return MainContent((), "whole")
    for node in _chrome(body, semantic_only=semantic_only):
        node.decompose()
    for label, selector in CONTAINERS:
        nodes = _outermost(body.css(selector))
        if nodes and substantial(nodes):
            return MainContent(tuple(nodes), label)
    return MainContent((body,), "body")


def password_places(tree: LexborHTMLParser) -> tuple[int, int]:
    """Password inputs in an open overlay that cannot be closed (a login dialog hiding the page), and
    all of them. Call before ``find_main`` (it removes parts of the page)."""
    all_inputs = tree.css(PASSWORD_INPUTS)
    overlaid = 0
    for node in all_inputs:
        parent = node.parent
        while parent is not None and parent.tag not in ("body", "html"):
            if parent.css_matches(OVERLAY):
                overlaid += _open(parent) and not _closable(parent)
                break
            parent = parent.parent
    return overlaid, len(all_inputs)


def _open(dialog: LexborNode) -> bool:
    """Is the dialog shown as the page loads? A closed Bootstrap modal is ``aria-hidden`` or lacks ``show``."""
    attrs = dialog.attributes
    if (attrs.get("aria-hidden") or "").lower() == "true" or "hidden" in attrs:
        return False
    if "display:none" in (attrs.get("style") or "").replace(" ", "").lower():
        return False
    classes = (attrs.get("class") or "").lower().split()
    return "modal" not in classes or "show" in classes or "in" in classes


def _closable(dialog: LexborNode) -> bool:
    """Can the visitor close the dialog and read the page behind it (Facebook's 'Close', a ×)?"""
    if dialog.css_first(CLOSE) is not None:
        return True
    return any(_fold_words(b.text()) in CLOSE_WORDS for b in dialog.css("button, [role=button], a"))


def _fold_words(text: str) -> str:
    return " ".join(text.split()).lower()


def _chrome(body: LexborNode, *, semantic_only: bool) -> list[LexborNode]:
    """The template parts of the page: navigation, site header and footer, sidebars, banners."""
    index = _Index(body)
    found: list[LexborNode] = []
    taken: set[int] = set()

    def take(node: LexborNode) -> None:
        found.append(node)
        taken.add(node.mem_id)

    for node in body.css(CHROME_TAGS):  # a list of documents in the content is evidence, even in a nav
        if not index.holds_content(node) and not (node.mem_id in index.documents and _within(node, index.containers)):
            take(node)
    for node in body.css(SCOPED_TAGS):
        if not _in_section(node) and not index.holds_content(node):
            take(node)
    if not semantic_only:
        for node in body.css(CLASS_CANDIDATES):
            if node.tag in ("body", "html", "main", "article") or _within(node, taken):
                continue
            kind = _name_kind(node)
            if not kind or index.holds_content(node):
                continue
            inside = _within(node, index.containers)
            if node.mem_id in index.documents and (inside or kind != "strong"):
                continue  # a list of documents styled as a menu (``ul.nav`` of PDFs) is evidence
            if kind == "strong" or (not inside and (kind == "id" or _at_edge(node, kind))) \
                    or _link_dense(node, MENU_LINKS if inside else 0):
                take(node)
    return _outermost(found)


class _Index:
    """Which nodes are, or hold, the content containers and document links (one query each, so
    that judging hundreds of menu entries stays fast)."""

    def __init__(self, body: LexborNode) -> None:
        containers = body.css(ANY_CONTAINER)
        self.containers = {node.mem_id for node in containers}
        self.holders = _ancestors(containers)
        self.documents = _ancestors(a for a in body.css("a[href]")
                                    if DOCUMENT_HREF.search(a.attributes.get("href") or ""))
        """Nodes with a link to a document inside: a list of documents is evidence, even styled as a menu."""

    def holds_content(self, node: LexborNode) -> bool:
        """A wrapper around the content container is not a template part, whatever its class."""
        return node.mem_id in self.holders or node.mem_id in self.containers


def _ancestors(nodes: Iterable[LexborNode]) -> set[int]:
    """The ids of the nodes' ancestors (each walked once)."""
    out: set[int] = set()
    for node in nodes:
        parent = node.parent
        while parent is not None and parent.mem_id not in out:
            out.add(parent.mem_id)
            parent = parent.parent
    return out


def _within(node: LexborNode, ids: set[int]) -> bool:
    """Is one of the node's ancestors among ``ids``?"""
    parent = node.parent
    while parent is not None:
        if parent.mem_id in ids:
            return True
        parent = parent.parent
    return False


def _name_kind(node: LexborNode) -> str:
    """How surely the node's class or id names a template part: ``strong``; ``id`` (a weak word on
    the id); ``header``, ``footer`` or ``class`` (a weak word on a class); or ''."""
    attrs = node.attributes
    kind = ""
    for attr in ("id", "class"):
        for token in (attrs.get(attr) or "").lower().split():
            strength = _token_kind(token)
            if strength == "strong":
                return strength
            if strength and not kind:
                kind = "id" if attr == "id" else strength
    return kind


@lru_cache(maxsize=4096)
def _token_kind(token: str) -> str:
    """``strong``, ``header``, ``footer``, ``weak`` or '' for one class name or id (pages repeat
    the same few hundred)."""
    words = [w for w in WORD_SPLIT.split(token) if w]
    if not words or KEEP_WORDS.intersection(words):
        return ""
    weak = WEAK_WORDS.intersection(words)
    if STRONG_WORDS.intersection(words) or words[0] in PREFIX_ONLY or (weak and PLACE_WORDS.intersection(words)):
        return "strong"
    if weak & {"header", "topbar"}:
        return "header"
    if "footer" in weak:
        return "footer"
    return "weak" if weak else ""


def _at_edge(node: LexborNode, kind: str) -> bool:
    """Is a ``div.header`` at the top of the page (little text before it), or a ``div.footer`` at
    the bottom (little text after it), and a block of the page's layout (near ``body``, or with the
    logo)? Elsewhere such a class is a section title of the content."""
    if kind not in ("header", "footer") or (_depth(node) > EDGE_DEPTH and node.css_first("img") is None):
        return False
    chars = 0
    current: LexborNode | None = node
    while current is not None and current.tag not in ("body", "html"):
        sibling = current.prev if kind == "header" else current.next
        while sibling is not None:
            chars += len("".join(sibling.text(separator=" ").split())) if sibling.tag != "-text" \
                else len("".join((sibling.text_content or "").split()))
            if chars > EDGE_TEXT:
                return False
            sibling = sibling.prev if kind == "header" else sibling.next
        current = current.parent
    return True


def _depth(node: LexborNode) -> int:
    """How many elements lie between the node and ``body``."""
    depth = 0
    parent = node.parent
    while parent is not None and parent.tag not in ("body", "html"):
        depth += 1
        parent = parent.parent
    return depth


def _link_dense(node: LexborNode, min_links: int) -> bool:
    """Is the node's text mostly the text of its links (or none at all: icons), with at least ``min_links``?"""
    anchors = node.css("a")
    if len(anchors) < min_links:
        return False
    chars = len("".join(node.text(separator=" ").split()))
    if not chars:
        return True
    linked = sum(len("".join(a.text(separator=" ").split())) for a in anchors)
    return linked >= LINK_DENSE * chars


def _in_section(node: LexborNode) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag in SECTIONING or (parent.attributes.get("role") or "") == "main":
            return True
        parent = parent.parent
    return False


def _outermost(nodes: Iterable[LexborNode]) -> list[LexborNode]:
    """The nodes that are not inside another of them, in document order."""
    nodes = list(nodes)
    ids = {node.mem_id for node in nodes}
    out = []
    for node in nodes:
        parent = node.parent
        while parent is not None and parent.mem_id not in ids:
            parent = parent.parent
        if parent is None:
            out.append(node)
    return out


def substantial(nodes: Iterable[LexborNode]) -> bool:
    """Do the nodes hold content (some text, or a document link), not an empty shell?"""
    nodes = list(nodes)
    chars = sum(len("".join(node.text(separator=" ").split())) for node in nodes)
    return chars >= MIN_CONTENT or any(DOCUMENT_HREF.search(a.attributes.get("href") or "")
                                       for node in nodes for a in node.css("a[href]"))

