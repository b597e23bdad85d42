"""Errors that stop a command (outcomes of checking a URL are findings, never exceptions).

    OitCheckerError
    ├── ConfigError        a config or checklist file is missing, malformed or invalid
    ├── OutputError        --format and -o do not pair up, or a report file cannot be written
    │                      (``oit_checker.report.outputs``)
    ├── StoreError         the history database cannot be opened, upgraded, read or written
    │                      (``oit_checker.store``)
    ├── NotifyError        a notification channel could not deliver (``oit_checker.notify``;
    │                      caught per channel: it never stops a run)
    └── DemoError          the demo site could not be served
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
