"""A generic JSON webhook: POST the notice, signed with HMAC-SHA256 when a secret is set.

The signature header is ``X-OIT-Checker-Signature: sha256=<hex>``, computed over the exact
body bytes with the secret from the environment variable ``[notify.webhook] secret_env``
(GitHub's ``X-Hub-Signature-256`` scheme). Receivers should compare it in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from urllib.parse import urlsplit

import httpx

from .. import __version__
from .interface import Channel, NotifyError
from .message import Message

SIGNATURE_HEADER = "X-OIT-Checker-Signature"
EVENT_HEADER = "X-OIT-Checker-Event"


def sign(body: bytes, secret: str) -> str:
    """The signature header's value for ``body``."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def redact(url: str) -> str:
    """Scheme and host only: webhook URLs often carry a token in the path or query."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}{':' + str(parts.port) if parts.port else ''}/…"


class WebhookChannel(Channel):
    """See ``Channel``. ``secret`` None sends an unsigned request."""

    name = "webhook"

    def __init__(self, url: str, secret: str | None, timeout: float = 10.0, attempts: int = 2,
                 proxy: str = "") -> None:
        self.url = url
        self.proxy = proxy
        """``[http] proxy``; '' = the environment's proxy variables (httpx's ``trust_env``)."""
        self._secret = secret
        self.timeout = timeout
        self.attempts = attempts

    def __repr__(self) -> str:
        return f"WebhookChannel({redact(self.url)!r}, signed={self._secret is not None})"

    def send(self, notice: Message) -> str:
        """See ``Channel.send``; one retry after a network error or a 5xx."""
        body = json.dumps(notice.payload(), ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8", EVENT_HEADER: notice.kind,
                   "User-Agent": f"oit-checker/{__version__}"}
        if self._secret:
            headers[SIGNATURE_HEADER] = sign(body, self._secret)
        problem = ""
        for _ in range(self.attempts):
            try:
                with httpx.Client(timeout=self.timeout, follow_redirects=False, trust_env=True,
                                  proxy=self.proxy or None) as client:
                    response = client.post(self.url, content=body, headers=headers)
            except httpx.HTTPError as exc:
                problem = f"{type(exc).__name__}"
                continue
            if response.is_success:
                return f"{redact(self.url)} HTTP {response.status_code}"
            problem = f"HTTP {response.status_code}"
            if response.status_code < 500:
                break
        raise NotifyError(f"webhook {redact(self.url)}: {problem}")
