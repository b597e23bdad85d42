"""The browser's address guard: every request Chromium makes is judged before it is sent.

- **Addresses**: with an ``AddressPolicy``, every request Chromium makes — the navigation, each
  redirect hop, subresources, script navigations, iframes (out-of-process too), workers — is paused
  by a browser-wide DevTools ``Fetch`` interception and refused before it is sent when the policy
  says so. Playwright's ``route`` is not enough: it never sees redirect hops (it continues them
  itself). Refused URLs are remembered so the page learns what its refused requests were (a failed
  request names the refused URL, itself or the redirect target it was sent to). A refused document
  fails with ``Aborted``, so no error page replaces the frame. WebSockets, which that interception
  does not see, go through Playwright's ``route_web_socket`` and the same policy.
- **serve_from** (``fetch/serve_from.py``): the same interception sends each request for a
  production origin to its actual origin (``Fetch.continueRequest`` with a new URL, which the page
  does not see, a scheme change included), so the page keeps its production URL, links and
  ``location``; a redirect or navigation that lands on an actual origin is answered with a
  redirect to its production form. The address rule judges the actual address.
"""

from __future__ import annotations

import asyncio
import re
from collections import OrderedDict
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .addresses import AddressPolicy
from .serve_from import OriginMap

if TYPE_CHECKING:
    from playwright.async_api import Browser, BrowserContext, CDPSession, WebSocketRoute

GUARDED_SCHEMES = ("http", "https", "ws", "wss")
"""Requests the address policy judges (``data:``, ``blob:`` and the like never leave the browser)."""
REFUSED_MEMORY = 4096
REFUSED_ERRORS = ("ERR_ABORTED", "ERR_BLOCKED_BY_CLIENT")
"""Marks of a request that failed because the guard refused it (or a redirect on its way)."""
_EVERY_URL = re.compile(".*")


class AddressGuard:
    """The address policy and serve_from rewriting for one run of a browser fetcher.

    ``policy`` None checks no address; ``origins`` empty rewrites nothing. One guard serves every
    browser the run launches (``attach`` each), so verdicts and refusals last the whole run.
    """

    def __init__(self, policy: AddressPolicy | None, origins: OriginMap) -> None:
        self.policy = policy
        self.origins = origins
        self._verdicts: dict[str, asyncio.Task[str]] = {}
        """The policy's answer per ``scheme://host`` (one lookup per host per run)."""
        self._refused: OrderedDict[str, str] = OrderedDict()
        """URL of a request that failed because of a refusal -> the refused URL (itself, or the
        redirect target it was sent to): how a page learns what its refused requests were."""
        self._last_hop: OrderedDict[str, str] = OrderedDict()
        """DevTools network id -> the URL of its latest hop (to name a refused redirect's source)."""
        self._guarding: set[asyncio.Task[None]] = set()
        self.refusals = 0
        """Requests refused by the address policy in this run."""

    @property
    def needed(self) -> bool:
        """Whether browsers must be intercepted at all (a policy to apply or origins to rewrite)."""
        return self.policy is not None or bool(self.origins)

    def refused(self, url: str) -> str | None:
        """The refused URL behind a failed request for ``url`` (None: not refused by the guard)."""
        return self._refused.get(url)

    async def check(self, url: str) -> str:
        """The refusal of a request for ``url`` (production form; '' = may be requested), counted."""
        why = await self.refusal(self.origins.actual(url))
        if why:
            self.refusals += 1
        return why

    async def refusal(self, url: str) -> str:
        """The policy's refusal of ``url`` (the address actually contacted; '' = may be
        requested), one lookup per host."""
        if self.policy is None:
            return ""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in GUARDED_SCHEMES:
            return ""
        key = f"{scheme}://{(parts.hostname or '').lower()}"
        checked = self._verdicts.get(key)
        if checked is None:
            plain = url if scheme in ("http", "https") else ("https" if scheme == "wss" else "http") + url[len(scheme):]
            checked = self._verdicts[key] = asyncio.get_running_loop().create_task(self.policy.refusal(plain))
        try:
            return await asyncio.shield(checked)
        except Exception as exc:  # noqa: BLE001 - an address that cannot be checked is not requested
            return f"the address could not be checked: {type(exc).__name__}"

    async def watch_websockets(self, context: BrowserContext, blocked: dict[str, None]) -> None:
        """Judge the WebSockets of ``context`` (the Fetch interception does not see them); refused
        ones are added to ``blocked``."""
        if self.policy is None:
            return

        async def websocket(route: WebSocketRoute) -> None:
            if not await self.check(route.url):
                route.connect_to_server()
                return
            blocked[route.url] = None
            await route.close(code=1008, reason="refused address")

        await context.route_web_socket(_EVERY_URL, websocket)

    async def attach(self, browser: Browser) -> None:
        """Pause every request of the whole browser (all contexts, frames, workers, redirect hops)
        at the DevTools ``Fetch`` domain and let it go only when the address policy allows it."""
        session = await browser.new_browser_cdp_session()

        def paused(event: dict[str, Any]) -> None:
            task = asyncio.get_running_loop().create_task(self._judge_paused(session, event))
            self._guarding.add(task)
            task.add_done_callback(self._guarding.discard)

        session.on("Fetch.requestPaused", paused)
        await session.send("Fetch.enable", {"patterns": [{"urlPattern": "*", "requestStage": "Request"}]})

    def cancel(self) -> None:
        """Drop the requests still being judged (their browser is gone)."""
        for task in list(self._guarding):
            task.cancel()

    async def _judge_paused(self, session: CDPSession, event: dict[str, Any]) -> None:
        url = str(event["request"]["url"])
        network_id = str(event.get("networkId") or "")
        sent = self.origins.actual(url)
        why = await self.refusal(sent)
        try:
            if not why:
                if network_id:
                    _remember(self._last_hop, network_id, url)
                if self.origins.is_actual(url) and (event.get("redirectedRequestId")
                                                    or event.get("resourceType") == "Document"):
                    # landed on the copy's own address: back to the production name
                    await session.send("Fetch.fulfillRequest", {
                        "requestId": event["requestId"], "responseCode": 302,
                        "responseHeaders": [{"name": "Location", "value": self.origins.production(url)}]})
                    return
                changed = {"url": sent} if sent != url else {}
                await session.send("Fetch.continueRequest", {"requestId": event["requestId"], **changed})
                return
            self.refusals += 1
            _remember(self._refused, url, url)
            if event.get("redirectedRequestId") and network_id in self._last_hop:
                _remember(self._refused, self._last_hop[network_id], url)  # the hop that redirected
            # A document refused with "Aborted" leaves the frame as it was (no error page over it).
            reason = "Aborted" if event.get("resourceType") == "Document" else "BlockedByClient"
            await session.send("Fetch.failRequest", {"requestId": event["requestId"], "errorReason": reason})
        except Exception:  # noqa: BLE001, S110 - the page or the browser is gone: nothing is sent
            pass


def was_refused(message: str) -> bool:
    """Whether a failure message (a request's ``failure``, a navigation error) is a guard refusal."""
    return any(mark in message for mark in REFUSED_ERRORS)


def _remember(memory: OrderedDict[str, str], key: str, value: str) -> None:
    """Keep ``key -> value`` in a bounded memory (the oldest entries go first)."""
    memory[key] = value
    memory.move_to_end(key)
    while len(memory) > REFUSED_MEMORY:
        memory.popitem(last=False)
