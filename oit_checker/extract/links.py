"""Links for the crawl: a fast pass over HTML (anchors, image maps, frames, meta refresh) and the
link annotations of PDFs. ``extract_html`` builds a whole ``Document``; the crawl needs only
this, for thousands of pages, so it stays small.
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..fetch.encoding import codec_for, decode_html, header_charset
from ..urls import is_wellformed
from .html import fold
from .pdfium import serialized

_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\";]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-]+)""", re.IGNORECASE)
_RARE_TAGS = re.compile(rb"<(base|meta|area|iframe|frame)[\s/>]", re.IGNORECASE)
_SKIP_SCHEMES = ("#", "javascript:", "mailto:", "tel:", "data:", "about:", "file:", "ftp:", "line:", "fb:")
_CONTEXT_TAGS = frozenset({"tr", "li", "p", "dd", "dt", "td", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption"})
CONTEXT_CHARS = 300
"""Longest context kept for a link (the text of its table row or list item)."""
TEXT_CHARS = 20_000
"""Longest visible text kept for a page in discovery."""


class FoundLink(NamedTuple):
    """A link found on a page, resolved to an absolute http(s) URL without its fragment (a
    tuple: a crawl makes tens of thousands, and a frozen dataclass costs twice as much to build)."""

    url: str
    text: str = ""
    """Anchor text (or the ``title``/``alt`` when the anchor has no text)."""
    context: str = ""
    """Text of the enclosing table row, list item or paragraph (only when asked for)."""


@dataclass(frozen=True, slots=True)
class PageLinks:
    """What the crawl reads from one HTML page."""

    title: str
    headings: tuple[str, ...]
    links: tuple[FoundLink, ...]
    text: str = ""
    """Visible text, folded (only when asked for; discovery scores it)."""
    malformed: int = 0
    """Links skipped because no URL parser can read them (``http://[``): counted, never raised."""


def decode_fast(body: bytes, content_type: str) -> str:
    """``decode_html`` for the common cases without its statistical guess: the declared
    charset (header, then ``<meta>``), then strict UTF-8; anything else goes to ``decode_html``."""
    if body.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode_html(body, content_type)[0]
    declared = codec_for(header_charset(content_type))
    if declared is None:
        meta = _META_CHARSET.search(body[:8192])
        declared = codec_for(meta.group(1).decode("ascii", "ignore")) if meta else None
    for codec in (declared, "utf-8"):
        if codec:
            try:
                return body.decode(codec)
            except (UnicodeDecodeError, LookupError):
                continue
    return decode_html(body, content_type)[0]


def html_links(body: bytes, url: str, content_type: str = "", *, context: bool = False,
               text: bool = False) -> PageLinks:
    """Title, h1–h3 headings and every link of an HTML page. ``context`` adds each link's row or
    list-item text; ``text`` adds the page's visible text (both for discovery)."""
    tree = LexborHTMLParser(decode_fast(body, content_type))
    # Each selector is a walk over the tree (a selector list costs more than its parts): look for
    # the rare tags only when their name is in the page at all.
    rare = {name.lower() for name in _RARE_TAGS.findall(body)}
    base = url
    base_node = tree.css_first("base[href]") if b"base" in rare else None
    if base_node is not None:
        base = urljoin(url, (base_node.attributes.get("href") or "").strip())
    origin = _origin(base) if base.startswith(("http://", "https://")) else ""
    title_node = tree.css_first("title")
    title = fold(title_node.text()) if title_node is not None else ""
    headings = tuple(h for h in (fold(n.text(separator=" ")) for n in tree.css("h1, h2, h3")) if h)
    links: list[FoundLink] = []
    malformed = 0
    for meta in tree.css("meta[http-equiv]") if b"meta" in rare else ():
        if (meta.attributes.get("http-equiv") or "").lower() == "refresh":
            found = _REFRESH_URL.search(meta.attributes.get("content") or "")
            if found:
                malformed += _add(links, base, origin, found.group(1), "")
    nodes = tree.css("a[href]")
    if rare & {b"area", b"iframe", b"frame"}:
        nodes = tree.css("a[href], area[href], iframe[src], frame[src]")
    for node in nodes:
        attrs = node.attributes
        tag = node.tag
        href = attrs.get("href") if tag in ("a", "area") else attrs.get("src")
        label = " ".join(node.text(separator=" ").split()) if tag == "a" else ""
        if not label:
            label = (attrs.get("title") or attrs.get("alt") or "").strip()
            if not label and tag == "a":
                image = node.css_first("img[alt]")
                label = (image.attributes.get("alt") or "").strip() if image is not None else ""
        malformed += _add(links, base, origin, href, label, _context(node) if context else "")
    visible = ""
    if text:
        for node in tree.css("script, style, noscript, template, svg, head"):
            node.decompose()
        root = tree.body or tree.root
        visible = fold(root.text(separator="\n"))[:TEXT_CHARS] if root is not None else ""
    return PageLinks(title, headings, tuple(links), visible, malformed)


def _add(links: list[FoundLink], base: str, origin: str, href: str | None, label: str, context: str = "") -> int:
    """Resolve ``href`` against ``base`` (whose ``scheme://host`` is ``origin``) and keep it when
    it is http(s); returns 1 when the link was malformed and skipped, else 0. Root-relative and
    absolute links, most of a big site's, skip ``urljoin``: it costs more than parsing the page."""
    if not href:
        return 0
    href = href.strip()
    if not href:
        return 0
    if href[0] == "/" and href[1:2] != "/" and origin and "\\" not in href:
        absolute = origin + href
    elif href.startswith(("http://", "https://")) and "\\" not in href:
        absolute = href
    elif href.lower().startswith(_SKIP_SCHEMES):
        return 0
    else:
        try:
            absolute = urljoin(base, href)
        except ValueError:
            return 1
        if not absolute.lower().startswith(("http://", "https://")):
            return 0
    if "#" in absolute:
        absolute = absolute.split("#", 1)[0]
    if ("[" in absolute or "]" in absolute or not absolute.isascii()) and not is_wellformed(absolute):
        return 1  # (brackets and non-ASCII hosts are what urlsplit refuses; plain links skip the check)
    links.append(FoundLink(absolute, label[:300], context))
    return 0


def _origin(url: str) -> str:
    """``scheme://host[:port]`` of an absolute URL."""
    end = url.find("/", url.find("//") + 2)
    return url if end < 0 else url[:end]


def _context(node: LexborNode) -> str:
    current = node.parent
    for _ in range(6):
        if current is None:
            return ""
        if current.tag in _CONTEXT_TAGS:
            if current.tag == "td" and current.parent is not None and current.parent.tag == "tr":
                current = current.parent
            return fold(current.text(separator=" "))[:CONTEXT_CHARS]
        current = current.parent
    return ""


@serialized
def pdf_links(body: bytes, max_pages: int = 200) -> list[str]:
    """The URLs a PDF links to: its link annotations, and web addresses written in its text."""
    import pypdfium2  # type: ignore[import-untyped]
    import pypdfium2.raw as raw  # type: ignore[import-untyped]

    try:
        pdf = pypdfium2.PdfDocument(body)
    except pypdfium2.PdfiumError:
        return []
    found: list[str] = []
    try:
        for index in range(min(len(pdf), max_pages)):
            page = pdf[index]
            position = ctypes.c_int(0)
            link = raw.FPDF_LINK()
            while raw.FPDFLink_Enumerate(page.raw, ctypes.byref(position), ctypes.byref(link)):
                action = raw.FPDFLink_GetAction(link)
                if not action or raw.FPDFAction_GetType(action) != raw.PDFACTION_URI:
                    continue
                size = raw.FPDFAction_GetURIPath(pdf.raw, action, None, 0)
                if size <= 1:
                    continue
                buffer = ctypes.create_string_buffer(size)
                raw.FPDFAction_GetURIPath(pdf.raw, action, buffer, size)
                found.append(buffer.value.decode("utf-8", errors="replace").strip())
            textpage = page.get_textpage()
            weblinks = raw.FPDFLink_LoadWebLinks(textpage.raw)
            try:
                for number in range(raw.FPDFLink_CountWebLinks(weblinks)):
                    chars = raw.FPDFLink_GetURL(weblinks, number, None, 0)
                    if chars <= 1:
                        continue
                    wide = (ctypes.c_ushort * chars)()
                    raw.FPDFLink_GetURL(weblinks, number, wide, chars)
                    found.append(bytes(wide).decode("utf-16-le", errors="replace").rstrip("\x00").strip())
            finally:
                raw.FPDFLink_CloseWebLinks(weblinks)
    finally:
        pdf.close()
    out: list[str] = []
    for url in found:
        if url.lower().startswith(("http://", "https://")) and is_wellformed(url) and url not in out:
            out.append(url.split("#", 1)[0])
    return out
