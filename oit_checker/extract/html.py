"""HTML to ``Document`` with selectolax (lexbor), tolerant of the broken markup agency CMSs emit."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from ..fetch.encoding import decode_html
from ..models import Document, Link
from .tables import html_tables

_INVISIBLE = "script, style, noscript, template, svg, head"
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\";]+)", re.IGNORECASE)


def fold(text: str) -> str:
    """Fold runs of spaces within lines and collapse blank lines."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return _BLANK_LINES.sub("\n", "\n".join(line for line in lines if line)).strip()


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
    links = tuple(_links(tree, base))
    headings = tuple(h for h in (fold(n.text(separator=" ")) for n in tree.css("h1, h2, h3")) if h)
    password_inputs = len(tree.css('input[type="password" i]'))
    forms = len(tree.css("form"))
    scripts = len(tree.css("script"))
    tables = html_tables(tree)
    for node in tree.css(_INVISIBLE):
        node.decompose()
    root = tree.body or tree.root
    visible = fold(root.text(separator="\n")) if root is not None else ""
    return Document(kind="html", text=visible, title=title, headings=headings, links=links, tables=tables,
                    meta_refresh=refresh, password_inputs=password_inputs, forms=forms,
                    scripts=scripts, text_source="html", encoding=encoding)


def _links(tree: LexborHTMLParser, base: str) -> list[Link]:
    out: list[Link] = []
    for node in tree.css("a[href], area[href], iframe[src], frame[src]"):
        href = node.attributes.get("href") or node.attributes.get("src") or ""
        href = href.strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
            continue
        absolute = urljoin(base, href)
        if urlsplit(absolute).scheme in ("http", "https"):
            out.append(Link(absolute.split("#")[0], fold(node.text(separator=" "))))
    return out
