"""Errors that stop a command (outcomes of checking a URL are findings, never exceptions).

    OitCheckerError
    ├── ConfigError        a config or checklist file is missing, malformed or invalid
    ├── OutputError        --format and -o do not pair up, or a report file cannot be written
    │                      (raised by ``oit_checker.report.outputs``)
    ├── StoreError         the history database cannot be opened, upgraded, read or written
    │                      (raised by ``oit_checker.store``)
    ├── NotifyError        a notification channel could not deliver (raised by ``oit_checker.notify``;
    │                      caught per channel: it never stops a run)
    └── DemoError          the demo site could not be served

All are defined here, so a caller catches them from ``oit_checker`` without importing the module
that raises them (the old homes re-export them).
"""

from __future__ import annotations


class OitCheckerError(Exception):
    """Base of every error the CLI turns into a message and exit code 2."""


class ConfigError(OitCheckerError):
    """A file the user gave is wrong; says which file, which key, and how to fix it."""

    def __init__(self, file: str, key: str, problem: str, hint: str = "") -> None:
        self.file = file
        self.key = key
        self.problem = problem
        self.hint = hint
        where = f"{file}: {key}" if key else file
        super().__init__(f"{where}: {problem}" + (f" ({hint})" if hint else ""))


class DemoError(OitCheckerError):
    """The bundled demo could not start."""


class OutputError(OitCheckerError):
    """``--format`` and ``-o`` do not pair up, or a report file cannot be written (the CLI exits 2)."""


class StoreError(OitCheckerError):
    """The history database cannot be opened, read or written (says which file and why)."""


class NotifyError(OitCheckerError):
    """A channel could not deliver a notice."""
