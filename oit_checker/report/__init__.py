"""Reporters: one per output format, all rendering the same ``AuditResult``."""

from __future__ import annotations

from enum import StrEnum

from .console import ConsoleReporter
from .html import HtmlReporter
from .interface import Reporter
from .itas import ItasCsvReporter
from .json import JsonReporter
from .junit import JunitReporter
from .markdown import MarkdownReporter

__all__ = ["ConsoleReporter", "Format", "HtmlReporter", "ItasCsvReporter", "JsonReporter", "JunitReporter",
           "MarkdownReporter", "Reporter", "to_reporter"]


class Format(StrEnum):
    """Values of ``--format``."""

    CONSOLE = "console"
    JSON = "json"
    HTML = "html"
    MARKDOWN = "markdown"
    JUNIT = "junit"
    ITAS_CSV = "itas-csv"


def to_reporter(fmt: Format, lang: str, color: bool = False, fail_on: str = "fail") -> Reporter:
    """The reporter for a ``--format`` value (``fail_on`` decides whether JUnit fails on warnings)."""
    if fmt is Format.CONSOLE:
        return ConsoleReporter(lang, color=color)
    if fmt is Format.HTML:
        return HtmlReporter(lang)
    if fmt is Format.MARKDOWN:
        return MarkdownReporter(lang)
    if fmt is Format.JUNIT:
        return JunitReporter(lang, fail_on=fail_on)
    if fmt is Format.ITAS_CSV:
        return ItasCsvReporter(lang)
    return JsonReporter(lang)
