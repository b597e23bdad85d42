"""Every report format renders the same ``AuditResult`` to a string; the caller picks the file."""

from __future__ import annotations

from abc import ABC, abstractmethod

from ..models import AuditResult


class Reporter(ABC):
    """One output format."""

    def __init__(self, lang: str = "th") -> None:
        self.lang = lang

    @abstractmethod
    def render(self, result: AuditResult) -> str:
        """The whole report as text."""
