"""Which addresses a run may send requests to, checked on every hop against the resolved address.

The sites being audited are untrusted: a redirect, a crawled link, an evidence link or a page's
subresource may point at the cloud metadata service or the auditing machine's own network. Before
each request the host is resolved and refused when it is link-local (169.254.0.0/16, fe80::/10),
a cloud metadata name (``metadata.google.internal``, ``metadata``), unspecified or multicast, or
private/loopback while the agency's own homepage is public (an intranet or the demo resolves to
such an address, and then they are allowed).

Limits: the name is resolved here and again by the HTTP client (a name that changes its answer in
between is not caught), and through a proxy the proxy resolves names: a name this machine cannot
resolve is then judged by its name only.

``AddressPolicy.refusal(url)`` returns '' when the URL may be requested, else why not (the
``blocked_address`` finding's detail).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from ..urls import blocked_reason, host_of

METADATA_NAMES = frozenset({
    "metadata", "metadata.google.internal", "metadata.goog", "metadata.azure.com",
    "instance-data", "instance-data.ec2.internal", "metadata.tencentyun.com", "metadata.packet.net",
})
"""Names of cloud instance-metadata services, refused before any lookup."""

RESOLVE_TIMEOUT = 5.0

Resolver = Callable[[str], Awaitable[list[str]]]
"""A host name → its addresses (raises ``OSError`` when it does not resolve)."""


async def system_resolve(host: str) -> list[str]:
    """The host's addresses from the system resolver (asyncio's ``getaddrinfo``)."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


@dataclass
class AddressPolicy:
    """The run's address rule; ``private_ok`` when the agency's homepage itself is private."""

    private_ok: bool = False
    resolver: Resolver = system_resolve
    timeout: float = RESOLVE_TIMEOUT
    _cache: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    async def for_homepage(cls, homepage: str, resolver: Resolver = system_resolve) -> AddressPolicy:
        """The policy of a run on ``homepage``: private addresses allowed when it resolves to one."""
        addresses = await _resolve(host_of(homepage).strip("[]"), resolver, RESOLVE_TIMEOUT)
        private = any(_is_private(a) for a in addresses)
        return cls(private_ok=private, resolver=resolver)

    async def refusal(self, url: str) -> str:
        """Why ``url`` must not be requested ('' when it may be), after resolving its host."""
        literal = blocked_reason(url, self.private_ok)
        if literal:
            return literal
        host = host_of(url).strip("[]").rstrip(".").lower()
        if host in self._cache:
            return self._cache[host]
        reason = await self._judge(host)
        self._cache[host] = reason
        return reason

    async def _judge(self, host: str) -> str:
        if not host:
            return ""  # no host to resolve: the request itself reports what is wrong with the URL
        if host in METADATA_NAMES or host.endswith(".metadata.google.internal"):
            return f"{host} is a cloud metadata service"
        try:
            ipaddress.ip_address(host)
            return ""  # a literal address: judged by blocked_reason already
        except ValueError:
            pass
        try:  # the other spellings of an IPv4 address the resolver accepts: 2852039166, 0xa9.0xfe.0xa9.0xfe
            address = str(ipaddress.IPv4Address(socket.inet_aton(host)))
        except (OSError, ValueError):
            pass
        else:
            reason = blocked_reason(f"http://{address}/", self.private_ok)
            return f"{host} is {address}: {reason}" if reason else ""
        for address in await _resolve(host, self.resolver, self.timeout):
            reason = blocked_reason(f"http://{_bracket(address)}/", self.private_ok)
            if reason:
                return f"{host} resolves to {address}: {reason}"
        return ""  # unresolvable here: the request itself reports dns_error (or a proxy resolves it)


async def _resolve(host: str, resolver: Resolver, timeout: float) -> list[str]:
    try:
        async with asyncio.timeout(timeout):
            return await resolver(host)
    except (OSError, TimeoutError, UnicodeError, ValueError):
        return []


def _is_private(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    return ip.is_private or ip.is_loopback


def _bracket(address: str) -> str:
    address = address.split("%", 1)[0]  # an IPv6 zone id
    return f"[{address}]" if ":" in address else address
