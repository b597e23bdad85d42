"""Boilerplate by frequency: the lines of text on most of the first pages read are the site's
template (menus, headers, footers), which the checks leave out of what a page says."""

from __future__ import annotations

import math
from collections import Counter

from ..thai import compact

BOILERPLATE_SAMPLE = 60
"""Pages whose visible text is counted for boilerplate (the first ones read: the homepage and
its neighbours, which show the site's templates)."""
BOILERPLATE_MIN_PAGES = 4
BOILERPLATE_SHARE = 0.5
BOILERPLATE_MAX_LINES = 400
"""Lines counted per page (menus and headers come first in the text)."""
BOILERPLATE_MAX_CHARS = 400
"""Longer lines are paragraphs, not template text."""


def boilerplate_lines(text: str) -> set[str]:
    """The lines of a page's visible text that may be template text, ``compact``-ed: with a
    letter in them (not page numbers or separators) and not paragraph-long."""
    out: set[str] = set()
    for line in text.splitlines()[:BOILERPLATE_MAX_LINES]:
        key = compact(line)
        if 2 <= len(key) <= BOILERPLATE_MAX_CHARS and any(c.isalpha() for c in key):
            out.add(key)
    return out


class Boilerplate:
    """Counts the lines of the first ``BOILERPLATE_SAMPLE`` pages read (the crawler leaves item
    URLs out, so that only the site's own pages decide)."""

    def __init__(self) -> None:
        self.sampled = 0
        self._lines: Counter[str] = Counter()

    def wants(self) -> bool:
        """Is the sample still open (is a page's text worth extracting for it)?"""
        return self.sampled < BOILERPLATE_SAMPLE

    def add(self, text: str) -> None:
        """Count one page's visible text (ignored once the sample is full)."""
        if self.sampled < BOILERPLATE_SAMPLE:
            self.sampled += 1
            self._lines.update(boilerplate_lines(text))

    def lines(self) -> frozenset[str]:
        """The lines on at least ``BOILERPLATE_SHARE`` of the sampled pages, with at least
        ``BOILERPLATE_MIN_PAGES`` pages sampled."""
        if self.sampled < BOILERPLATE_MIN_PAGES:
            return frozenset()
        need = max(2, math.ceil(self.sampled * BOILERPLATE_SHARE))
        return frozenset(line for line, count in self._lines.items() if count >= need)
