"""Text from websites, made safe for a terminal."""

from __future__ import annotations

import re

_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""C0/C1 control characters other than tab and newline (rich measures them as zero width, the
terminal acts on them: a page title could restyle or clear the terminal)."""


def terminal_safe(text: str) -> str:
    """``text`` without control characters."""
    return _CONTROLS.sub("", text)
