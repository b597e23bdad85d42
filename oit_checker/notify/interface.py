"""A notification channel: one small interface, one file per implementation (webhook, e-mail).

    NotifyError          a channel could not deliver (says which channel and why, never a secret)
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from ..errors import NotifyError as NotifyError  # its old home: `from oit_checker.notify.interface import NotifyError`
from .message import Message


class Channel(ABC):
    """Delivers a ``Message`` (a run's ``Notice``, a fleet's summary) somewhere."""

    name: str = "channel"
    """Short name for logs and the store (``webhook``, ``email``)."""

    @abstractmethod
    def send(self, notice: Message) -> str:
        """Deliver ``notice``; returns a short detail for the log; raises ``NotifyError``."""
