"""URL normalisation and host matching, shared by the location check, the crawl and discovery."""

from __future__ import annotations

import ipaddress
import posixpath
import re
from urllib.parse import quote, unquote_to_bytes, urlsplit, urlunsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
_QUERY_SAFE = "=&/:@!$'()*+,;-._~?%"
_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
_PLAIN = re.compile(r"[A-Za-z0-9/:@!$&'()*+,;=\-._~?]*\Z")
"""Paths and queries that need no decoding or quoting (plain ASCII, no escapes)."""
_KEEP_ESCAPED = frozenset(b"/?#%[]")
"""Bytes that change a URL's meaning when decoded: they stay percent-encoded."""
INDEX_FILES = ("index.html", "index.htm", "index.php", "index.asp", "index.aspx", "default.aspx",
               "default.asp", "default.htm", "default.html", "index.shtml", "index.jsp")
"""Directory index files that name the same page as their folder (``/ita/index.php`` = ``/ita/``)."""
_INDEX_RE = re.compile("/(?:" + "|".join(re.escape(name) for name in INDEX_FILES) + r")(?=/|\Z)")


def _decode_escapes(text: str) -> str:
    """Decode percent-escapes that encode unreserved or non-ASCII characters (Thai paths), so
    ``%e0%b8%81`` and ``ก`` compare equal; escapes of reserved bytes (``%2F``) stay, upper-cased."""

    def run(match: re.Match[str]) -> str:
        raw = bytes.fromhex(match.group(0).replace("%", ""))
        out: list[str] = []
        pending = bytearray()

        def flush() -> None:
            if pending:
                out.append(pending.decode("utf-8", errors="strict"))
                pending.clear()

        try:
            for byte in raw:
                if byte in _KEEP_ESCAPED or byte < 0x20 or byte == 0x7F or byte == 0x20:
                    flush()
                    out.append(f"%{byte:02X}")
                else:
                    pending.append(byte)
            flush()
        except UnicodeDecodeError:  # not UTF-8 (e.g. TIS-620 bytes): keep the escapes as they are
            return match.group(0).upper()
        return "".join(out)

    return _ESCAPES.sub(run, text)


def _host(parts_host: str) -> str:
    host = parts_host.lower().rstrip(".")
    if host and not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            pass
    return host


def _remove_dot_segments(path: str) -> str:
    if "/." not in path:
        return path
    trailing = path.endswith(("/", "/.", "/.."))
    cleaned = posixpath.normpath(path)
    if cleaned.startswith("//"):
        cleaned = "/" + cleaned.lstrip("/")
    return cleaned + ("/" if trailing and cleaned != "/" else "")


def normalize_url(url: str) -> str:
    """A canonical form for comparing URLs: lower-case scheme and host (IDNA for Thai domain
    names), no default port, no fragment, ``/`` for an empty path, ``.``/``..`` segments
    resolved, and one percent-encoding of Thai paths and queries (``/ก`` = ``/%e0%b8%81``).
    A URL ``urlsplit`` cannot parse (``http://[``) comes back stripped, as it was: a malformed
    link is nobody's page, and it must never stop a crawl."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower()
    host = _host(parts.hostname or "")
    try:
        port = parts.port
    except ValueError:
        port = None
    if ":" in host:
        host = f"[{host}]"  # an IPv6 address keeps its brackets
    netloc = host if port is None or port == _DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    path, query = parts.path, parts.query
    if not _PLAIN.match(path) or "/." in path:  # the fast path: nothing to decode, quote or resolve
        path = quote(_remove_dot_segments(_decode_escapes(path)), safe=_PATH_SAFE)
    if not _PLAIN.match(query):
        query = quote(_decode_escapes(query), safe=_QUERY_SAFE)
    return urlunsplit((scheme, netloc, path or "/", query, ""))


_SIMPLE_URL = re.compile(r"https?://([a-z0-9\-]+(?:\.[a-z0-9\-]+)*(?::[0-9]+)?)"
                         r"(/(?:[A-Za-z0-9/:@!$&'()*+,;=\-._~]|%[89A-F][0-9A-F])*)?"
                         r"(?:\?((?:[A-Za-z0-9/:@!$&'()*+,;=\-._~?]|%[89A-F][0-9A-F])*))?\Z")
"""An absolute URL that needs no normalisation beyond what ``page_key`` does itself: plain ASCII,
or Thai already percent-encoded the way ``normalize_url`` writes it (upper-case, UTF-8)."""


def page_key(url: str) -> str:
    """What identifies a page whatever the link looked like: ``normalize_url`` without the scheme
    (http = https), without ``www.``, without a directory index file (``/index.php`` = ``/``, and
    ``/index.php/ita`` = ``/ita``, the CMS path-info form, also in a sub-folder) and without a trailing slash."""
    simple = _SIMPLE_URL.match(url)
    if simple is not None and "/." not in url and not simple.group(1).endswith((":80", ":443")) \
            and ("%" not in url or _utf8_escapes(simple.group(2), simple.group(3))):
        host, path, query = simple.group(1).removeprefix("www."), (simple.group(2) or "/")[1:], simple.group(3)
        question = "?" if query else ""
    else:
        norm = normalize_url(url)
        _, _, rest = norm.partition("://")
        rest = rest.removeprefix("www.")
        host, slash, tail = rest.partition("/")
        path, question, query = tail.partition("?")
    path = _INDEX_RE.sub("", "/" + path, count=1) if "." in path else "/" + path
    return host + path.rstrip("/") + (question + query if query else "")


def _utf8_escapes(*parts: str | None) -> bool:
    """Do the percent-escapes of each part decode to UTF-8 (so ``normalize_url`` keeps them)?"""
    try:
        for part in parts:
            if part and "%" in part:
                unquote_to_bytes(part).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


_PLAIN_HOST = re.compile(r"https?://([a-z0-9\-.]+)[:/?]")
"""The host of an absolute URL without user info, brackets or upper case: the common case,
answered without ``urlsplit`` (a crawl asks for tens of thousands)."""


def host_of(url: str) -> str:
    """The lower-case host of a URL ('' when it has none, or when the URL is malformed)."""
    plain = _PLAIN_HOST.match(url)
    if plain is not None:
        return plain.group(1)
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def is_wellformed(url: str) -> bool:
    """Can ``urlsplit`` parse this URL, port included? (``http://[`` and ``http://h:99999/`` cannot.)"""
    try:
        _ = urlsplit(url).port
    except ValueError:
        return False
    return True


def host_matches(host: str, domains: tuple[str, ...] | list[str] | frozenset[str]) -> bool:
    """True when ``host`` is one of ``domains`` or a subdomain of one (``www.led.go.th`` ~ ``led.go.th``)."""
    host = host.lower().rstrip(".")
    for domain in domains:
        domain = domain.lower().strip().rstrip(".").removeprefix("*.")
        if host == domain or host.endswith("." + domain):
            return True
    return False


def same_page(a: str, b: str) -> bool:
    """True when two URLs name the same page (see ``page_key``)."""
    return page_key(a) == page_key(b)


def blocked_reason(url: str, private_ok: bool) -> str:
    """Why ``url`` must not be fetched ('' when it may be): not http(s), a link-local, multicast or
    unspecified address (cloud metadata), or a private/loopback address when the main website
    itself is public."""
    if urlsplit(url).scheme not in ("http", "https"):
        return f"{url.split(':', 1)[0]}: is not http(s)"
    host = host_of(url)
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return ""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:169.254.169.254 is 169.254.169.254
    if address.is_link_local or address.is_multicast or address.is_unspecified:
        return f"{host} is a link-local or reserved address"
    if (address.is_private or address.is_loopback) and not private_ok:
        return f"{host} is a private address and the main website is public"
    return ""
