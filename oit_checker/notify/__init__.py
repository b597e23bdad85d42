"""Notifications: who is told when an item regresses or recovers, or a run fails.

``channels_from(settings)`` builds the configured channels (secrets from the environment);
``deliver(notice, channels)`` sends one notice through each and never raises.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..config import NotifySettings
from .email import EmailChannel
from .interface import Channel, NotifyError
from .message import ItemEvent, Message, Notice
from .webhook import WebhookChannel, sign

__all__ = ["Channel", "Delivery", "EmailChannel", "ItemEvent", "Notice", "NotifyError", "WebhookChannel",
           "channels_from", "deliver", "sign"]


@dataclass(frozen=True)
class Delivery:
    """The outcome of sending one notice through one channel."""

    channel: str
    ok: bool
    detail: str


def channels_from(settings: NotifySettings, environ: Mapping[str, str] | None = None, *,
                  proxy: str = "") -> list[Channel]:
    """The channels ``[notify]`` configures; secrets are read from ``environ`` (default: the process's).
    ``proxy``: ``[http] proxy`` for the webhook ('' = the environment's proxy variables)."""
    env = os.environ if environ is None else environ
    out: list[Channel] = []
    hook = settings.webhook
    url = env.get(hook.url_env, "") if hook.url_env else ""
    url = url or hook.url
    if url:
        out.append(WebhookChannel(url, env.get(hook.secret_env) or None, timeout=hook.timeout, proxy=proxy))
    mail = settings.email
    if mail.host:
        out.append(EmailChannel(mail.host, mail.port, security=mail.security, sender=mail.sender or mail.username,
                                to=mail.to, username=mail.username, password=env.get(mail.password_env) or None,
                                ca_file=mail.ca_file, timeout=mail.timeout))
    return out


def deliver(notice: Message, channels: Sequence[Channel]) -> list[Delivery]:
    """Send ``notice`` through every channel; a failing channel is a ``Delivery(ok=False)``."""
    out = []
    for channel in channels:
        try:
            out.append(Delivery(channel.name, True, channel.send(notice)))
        except NotifyError as exc:
            out.append(Delivery(channel.name, False, str(exc)))
        except Exception as exc:  # noqa: BLE001 - a notification must never break the run's record
            out.append(Delivery(channel.name, False, f"{channel.name}: {type(exc).__name__}"))
    return out
