"""Which addresses a run may send requests to, checked on every hop against the resolved address.

The sites being audited are untrusted: a redirect, a crawled link, an evidence link or a page's
subresource may point at the cloud metadata service or the auditing machine's own network. Before
each request the host is resolved and refused when it is link-local (169.254.0.0/16, fe80::/10),
a cloud metadata name (``metadata.google.internal``, ``metadata``), unspecified or multicast, or
private/loopback while the agency's own homepage is public (an intranet or the demo resolves to
such an address, and then they are allowed).

Interface (issue 12; filled in by the fetch work): ``AddressPolicy.refusal(url)`` returns '' when
the URL may be requested, else why not (the ``blocked_address`` finding's detail).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..urls import blocked_reason


@dataclass(frozen=True)
class AddressPolicy:
    """The run's address rule; ``private_ok`` when the agency's homepage itself is private."""

    private_ok: bool = False

    async def refusal(self, url: str) -> str:
        """Why ``url`` must not be requested ('' when it may be), after resolving its host."""
        return blocked_reason(url, self.private_ok)  # TODO(issue 12): resolve names, metadata names
