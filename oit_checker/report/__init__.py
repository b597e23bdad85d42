"""Reporters: one per output format, all rendering the same ``AuditResult``."""

from __future__ import annotations

from enum import StrEnum
from typing import assert_never

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
    """The reporter for a ``--format`` value (``fail_on`` decides whether JUnit fails on warnings).

    A ``match`` that mypy checks for exhaustiveness: a new ``Format`` without a reporter is a type error."""
    match fmt:
        case Format.CONSOLE:
            return ConsoleReporter(lang, color=color)
        case Format.JSON:
            return JsonReporter(lang)
        case Format.HTML:
            return HtmlReporter(lang)
        case Format.MARKDOWN:
            return MarkdownReporter(lang)
        case Format.JUNIT:
            return JunitReporter(lang, fail_on=fail_on)
        case Format.ITAS_CSV:
            return ItasCsvReporter(lang)
        case _:
            assert_never(fmt)
