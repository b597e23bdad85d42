"""What a URL or a page looks like to the crawl: a file (no links to read), an OIT index page,
a link with OIT words (followed first when the page budget runs short)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from ..thai import normalize
from ..urls import page_key

_FILE_EXTENSIONS = frozenset(
    "pdf doc docx xls xlsx ppt pptx odt ods odp rtf csv zip rar 7z gz tar jpg jpeg png gif bmp tif tiff webp "
    "svg ico mp3 mp4 avi mov wmv mkv webm exe msi apk iso dmg css js json xml".split())
OIT_WORDS = re.compile(
    r"(?<![a-z])(?:oit|ita)(?![a-z])|การเปิดเผยข้อมูลสาธารณะ|คุณธรรมและความโปร่งใส|open\s*data\s*integrity",
    re.IGNORECASE)
"""Words that name the OIT/ITA index (in a title, a heading, a URL or a link's text)."""
HINT_WORDS = re.compile(
    r"(?<![a-z])(?:oit|ita|o\s*\.?\s*\d{1,2})(?![a-z])|เปิดเผยข้อมูล|คุณธรรม|โปร่งใส|ทุจริต", re.IGNORECASE)
"""Looser words: a link with them is followed first when the page budget runs short."""


def looks_like_file(url: str) -> bool:
    """Does the URL's last path segment end in a file extension (a file has no links to hide)?"""
    last = urlsplit(url).path.rsplit("/", 1)[-1]
    return "." in last and last.rsplit(".", 1)[-1].lower() in _FILE_EXTENSIONS


def is_oit_page(url: str, title: str, headings: Iterable[str]) -> bool:
    """Does the page present itself as the OIT/ITA index: its title or headings say so, or the
    last segment of its path or its query does (``/ita/``, ``/oit-2567``, ``?page=ITA``)?"""
    if OIT_WORDS.search(normalize(" ".join((title, *headings)))):
        return True
    key = page_key(url)
    path, _, query = key.partition("?")
    last = path.rsplit("/", 1)[-1] if "/" in path else ""
    return bool(OIT_WORDS.search(f"{last} {query}".replace("-", " ").replace("_", " ")))
