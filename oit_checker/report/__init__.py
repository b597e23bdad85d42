"""Reporters: one per output format, all rendering the same ``AuditResult``."""

from __future__ import annotations

from enum import StrEnum

from .console import ConsoleReporter
from .interface import Reporter
from .json import JsonReporter

__all__ = ["ConsoleReporter", "Format", "JsonReporter", "Reporter", "to_reporter"]


class Format(StrEnum):
    """Values of ``--format``."""

    CONSOLE = "console"
    JSON = "json"


def to_reporter(fmt: Format, lang: str, color: bool = False) -> Reporter:
    """The reporter for a ``--format`` value."""
    if fmt is Format.CONSOLE:
        return ConsoleReporter(lang, color=color)
    return JsonReporter(lang)
