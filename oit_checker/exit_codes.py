"""The exit codes (a contract: README "Exit codes") and the one rule that gives an audit's."""

from __future__ import annotations

from enum import IntEnum

from .models import AuditResult
from .reasons import Status


class ExitCode(IntEnum):
    """What ``oit-checker`` returns; the fleet uses the same numbers (``fleet.view.fleet_exit_code``)."""

    OK = 0
    FAILED = 1
    USAGE = 2
    INCOMPLETE = 3
    UNVERIFIED = 4


def exit_code(result: AuditResult, fail_on: str) -> ExitCode:
    """The contract's exit code for one audit: incomplete first, then failing, then unverified."""
    counts = result.counts()
    if not result.complete:
        return ExitCode.INCOMPLETE
    if counts[Status.FAIL] or (fail_on == "warn" and counts[Status.WARN]):
        return ExitCode.FAILED
    if counts[Status.UNVERIFIED]:
        return ExitCode.UNVERIFIED
    return ExitCode.OK
