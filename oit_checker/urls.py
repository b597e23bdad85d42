"""URL normalisation and host matching, shared by the location check and the crawl."""

from __future__ import annotations

from urllib.parse import quote, unquote, urlsplit, urlunsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalize_url(url: str) -> str:
    """A canonical form for comparing URLs: lower-case scheme and host, no default port, no
    fragment, ``/`` for an empty path, one percent-encoding of Thai paths."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    netloc = host if port is None or port == _DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    path = quote(unquote(parts.path), safe="/:@!$&'()*+,;=-._~") or "/"
    query = quote(unquote(parts.query), safe="=&/:@!$'()*+,;-._~")
    return urlunsplit((scheme, netloc, path, query, ""))


def host_of(url: str) -> str:
    """The lower-case host of a URL ('' when it has none)."""
    return (urlsplit(url).hostname or "").lower()


def host_matches(host: str, domains: tuple[str, ...] | list[str]) -> bool:
    """True when ``host`` is one of ``domains`` or a subdomain of one (``www.led.go.th`` ~ ``led.go.th``)."""
    host = host.lower().rstrip(".")
    for domain in domains:
        domain = domain.lower().strip().rstrip(".").removeprefix("*.")
        if host == domain or host.endswith("." + domain):
            return True
    return False


def same_page(a: str, b: str) -> bool:
    """True when two URLs name the same page (ignoring ``www.``, a trailing slash and ``index.*``)."""
    return _page_key(a) == _page_key(b)


def _page_key(url: str) -> str:
    norm = normalize_url(url).replace("://www.", "://", 1)
    for index in ("index.html", "index.htm", "index.php", "default.aspx", "index.asp"):
        if norm.endswith("/" + index):
            norm = norm[: -len(index)]
    return norm.rstrip("/")
