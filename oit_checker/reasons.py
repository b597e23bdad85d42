"""What a reason code means to the program: the check it answers and the status it is normally
reported with. The wording lives in ``oit_checker.messages``; modules that only need a code's
meaning (the crawl, the browser check, discovery) import this module and never the text catalogue.

Standard library only, so any module can import it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final


class Status(StrEnum):
    """A finding's or verdict's status (DESIGN §3, a contract)."""

    PASS = "pass"  # noqa: S105 - a status, not a password
    WARN = "warn"
    UNVERIFIED = "unverified"
    FAIL = "fail"

    @property
    def severity(self) -> int:
        """Order used to take the worst: fail > unverified > warn > pass."""
        return _SEVERITY[self]


_SEVERITY = {Status.PASS: 0, Status.WARN: 1, Status.UNVERIFIED: 2, Status.FAIL: 3}


class Check(StrEnum):
    """The five questions asked of every item URL (DESIGN §4), plus the item-level one."""

    ITEM = "item"
    REACHABLE = "reachable"
    PUBLIC = "public"
    LOCATION = "location"
    FRESH = "fresh"
    CONTENT = "content"


class Reason(StrEnum):
    """Every stable reason code a finding or a fetch can carry (the value is the stored code)."""

    # item level
    NO_URL_GIVEN = "no_url_given"
    REQUIRED_URL_NOT_PASSING = "required_url_not_passing"
    # reachable
    REACHABLE = "reachable"
    LONG_REDIRECT_CHAIN = "long_redirect_chain"
    HTTP_404 = "http_404"
    HTTP_410 = "http_410"
    HTTP_CLIENT_ERROR = "http_client_error"
    SERVER_ERROR = "server_error"
    RATE_LIMITED = "rate_limited"
    TIMEOUT = "timeout"
    DNS_ERROR = "dns_error"
    CONNECT_ERROR = "connect_error"
    HOST_UNRESPONSIVE = "host_unresponsive"
    BAD_RESPONSE = "bad_response"
    REDIRECT_LOOP = "redirect_loop"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    TLS_ERROR = "tls_error"
    TLS_HANDSHAKE_FAILED = "tls_handshake_failed"
    SOFT_404 = "soft_404"
    BODY_TRUNCATED = "body_truncated"
    INTERNAL_ERROR = "internal_error"
    RUN_DEADLINE = "run_deadline"
    RUN_INTERRUPTED = "run_interrupted"
    BLOCKED_ADDRESS = "blocked_address"
    # public
    PUBLIC = "public"
    LOGIN_WALL = "login_wall"
    PASSWORD_PROTECTED = "password_protected"  # noqa: S105 - a reason code, not a password
    BOT_WALL = "bot_wall"
    # location
    ON_MAIN_SITE = "on_main_site"
    LINKED_FROM_HOMEPAGE = "linked_from_homepage"
    LINK_NOT_VERIFIED = "link_not_verified"
    NOT_ON_MAIN_SITE = "not_on_main_site"
    EXTERNAL_HOST_LINKED = "external_host_linked"
    FISCAL_YEAR_UNCLEAR = "fiscal_year_unclear"
    LINKED_FROM_MAIN_SITE = "linked_from_main_site"
    ORPHAN_PAGE = "orphan_page"
    NOT_LINKED_FROM_MAIN_SITE = "not_linked_from_main_site"
    CRAWL_LIMIT_REACHED = "crawl_limit_reached"
    CRAWL_INCOMPLETE = "crawl_incomplete"
    CRAWL_BLOCKED_BY_ROBOTS = "crawl_blocked_by_robots"
    HOMEPAGE_UNREADABLE = "homepage_unreadable"
    HOMEPAGE_AS_ITEM_URL = "homepage_as_item_url"
    # fresh
    FISCAL_YEAR_FOUND = "fiscal_year_found"
    NO_PERIOD_REQUIRED = "no_period_required"
    STALE_YEAR_OCR = "stale_year_ocr"
    YEAR_UNREAD_OCR = "year_unread_ocr"
    STALE_FISCAL_YEAR = "stale_fiscal_year"
    DATE_FROM_METADATA = "date_from_metadata"
    HALF_YEAR_FOUND = "half_year_found"
    HALF_YEAR_UNCLEAR = "half_year_unclear"
    MONTHS_FOUND = "months_found"
    MISSING_MONTHS = "missing_months"
    NO_DATE_FOUND = "no_date_found"
    # content
    ELEMENTS_FOUND = "elements_found"
    NIL_STATEMENT = "nil_statement"
    NO_ELEMENTS_DEFINED = "no_elements_defined"
    MISSING_ELEMENT = "missing_element"
    NO_EVIDENCE = "no_evidence"
    BROKEN_ATTACHMENT = "broken_attachment"
    PLACEHOLDER_LINK = "placeholder_link"
    NO_TEXT_LAYER = "no_text_layer"
    UNREADABLE_TEXT_LAYER = "unreadable_text_layer"
    CORRUPT_FILE = "corrupt_file"
    TOO_LARGE = "too_large"
    LEGACY_FORMAT = "legacy_format"
    EXTRACT_TIMEOUT = "extract_timeout"
    NEEDS_BROWSER = "needs_browser"
    # browser (oit_checker/fetch/browser.py) and social networks (oit_checker/social.py)
    BROWSER_CRASHED = "browser_crashed"
    BROWSER_FAILED = "browser_failed"
    SOCIAL_PUBLIC = "social_public"
    PRIVATE_SOCIAL = "private_social"
    SOCIAL_UNCLEAR = "social_unclear"
    UNSUPPORTED_FORMAT = "unsupported_format"
    EXTRACT_FAILED = "extract_failed"


@dataclass(frozen=True)
class Meaning:
    """The check a reason answers and the status it is normally reported with."""

    check: Check
    status: Status


MEANING: Final[Mapping[Reason, Meaning]] = MappingProxyType({
    # item level
    Reason.NO_URL_GIVEN: Meaning(Check.ITEM, Status.FAIL),
    Reason.REQUIRED_URL_NOT_PASSING: Meaning(Check.ITEM, Status.FAIL),
    # reachable
    Reason.REACHABLE: Meaning(Check.REACHABLE, Status.PASS),
    Reason.LONG_REDIRECT_CHAIN: Meaning(Check.REACHABLE, Status.WARN),
    Reason.HTTP_404: Meaning(Check.REACHABLE, Status.FAIL),
    Reason.HTTP_410: Meaning(Check.REACHABLE, Status.FAIL),
    Reason.HTTP_CLIENT_ERROR: Meaning(Check.REACHABLE, Status.FAIL),
    Reason.SERVER_ERROR: Meaning(Check.REACHABLE, Status.UNVERIFIED),
    Reason.RATE_LIMITED: Meaning(Check.REACHABLE, Status.UNVERIFIED),
    Reason.TIMEOUT: Meaning(Check.REACHABLE, Status.UNVERIFIED),
    Reason.DNS_ERROR: Meaning(Check.REACHABLE, Status.UNVERIFIED),
    Reason.CONNECT_ERROR: Meaning(Check.REACHABLE, Status.UNVERIFIED),
    Reason.HOST_UNRESPONSIVE: Meaning(Check.REACHABLE, Status.UNVERIFIED),
    Reason.BAD_RESPONSE: Meaning(Check.REACHABLE, Status.UNVERIFIED),
    Reason.REDIRECT_LOOP: Meaning(Check.REACHABLE, Status.FAIL),
    Reason.TOO_MANY_REDIRECTS: Meaning(Check.REACHABLE, Status.FAIL),
    Reason.TLS_ERROR: Meaning(Check.REACHABLE, Status.WARN),
    Reason.TLS_HANDSHAKE_FAILED: Meaning(Check.REACHABLE, Status.UNVERIFIED),
    Reason.SOFT_404: Meaning(Check.REACHABLE, Status.FAIL),
    Reason.BODY_TRUNCATED: Meaning(Check.REACHABLE, Status.WARN),
    Reason.INTERNAL_ERROR: Meaning(Check.REACHABLE, Status.UNVERIFIED),
    Reason.RUN_DEADLINE: Meaning(Check.REACHABLE, Status.UNVERIFIED),
    Reason.RUN_INTERRUPTED: Meaning(Check.REACHABLE, Status.UNVERIFIED),
    Reason.BLOCKED_ADDRESS: Meaning(Check.REACHABLE, Status.UNVERIFIED),
    # public
    Reason.PUBLIC: Meaning(Check.PUBLIC, Status.PASS),
    Reason.LOGIN_WALL: Meaning(Check.PUBLIC, Status.FAIL),
    Reason.PASSWORD_PROTECTED: Meaning(Check.PUBLIC, Status.FAIL),
    Reason.BOT_WALL: Meaning(Check.PUBLIC, Status.UNVERIFIED),
    # location
    Reason.ON_MAIN_SITE: Meaning(Check.LOCATION, Status.PASS),
    Reason.LINKED_FROM_HOMEPAGE: Meaning(Check.LOCATION, Status.PASS),
    Reason.LINK_NOT_VERIFIED: Meaning(Check.LOCATION, Status.UNVERIFIED),
    Reason.NOT_ON_MAIN_SITE: Meaning(Check.LOCATION, Status.FAIL),
    Reason.EXTERNAL_HOST_LINKED: Meaning(Check.LOCATION, Status.WARN),
    Reason.FISCAL_YEAR_UNCLEAR: Meaning(Check.FRESH, Status.WARN),
    Reason.LINKED_FROM_MAIN_SITE: Meaning(Check.LOCATION, Status.PASS),
    Reason.ORPHAN_PAGE: Meaning(Check.LOCATION, Status.WARN),
    Reason.NOT_LINKED_FROM_MAIN_SITE: Meaning(Check.LOCATION, Status.FAIL),
    Reason.CRAWL_LIMIT_REACHED: Meaning(Check.LOCATION, Status.UNVERIFIED),
    Reason.CRAWL_INCOMPLETE: Meaning(Check.LOCATION, Status.UNVERIFIED),
    Reason.CRAWL_BLOCKED_BY_ROBOTS: Meaning(Check.LOCATION, Status.UNVERIFIED),
    Reason.HOMEPAGE_UNREADABLE: Meaning(Check.LOCATION, Status.UNVERIFIED),
    Reason.HOMEPAGE_AS_ITEM_URL: Meaning(Check.LOCATION, Status.WARN),
    # fresh
    Reason.FISCAL_YEAR_FOUND: Meaning(Check.FRESH, Status.PASS),
    Reason.NO_PERIOD_REQUIRED: Meaning(Check.FRESH, Status.PASS),
    Reason.STALE_YEAR_OCR: Meaning(Check.FRESH, Status.UNVERIFIED),
    Reason.YEAR_UNREAD_OCR: Meaning(Check.FRESH, Status.UNVERIFIED),
    Reason.STALE_FISCAL_YEAR: Meaning(Check.FRESH, Status.FAIL),
    Reason.DATE_FROM_METADATA: Meaning(Check.FRESH, Status.WARN),
    Reason.HALF_YEAR_FOUND: Meaning(Check.FRESH, Status.PASS),
    Reason.HALF_YEAR_UNCLEAR: Meaning(Check.FRESH, Status.WARN),
    Reason.MONTHS_FOUND: Meaning(Check.FRESH, Status.PASS),
    Reason.MISSING_MONTHS: Meaning(Check.FRESH, Status.FAIL),
    Reason.NO_DATE_FOUND: Meaning(Check.FRESH, Status.WARN),
    # content
    Reason.ELEMENTS_FOUND: Meaning(Check.CONTENT, Status.PASS),
    Reason.NIL_STATEMENT: Meaning(Check.CONTENT, Status.PASS),
    Reason.NO_ELEMENTS_DEFINED: Meaning(Check.CONTENT, Status.PASS),
    Reason.MISSING_ELEMENT: Meaning(Check.CONTENT, Status.FAIL),
    Reason.NO_EVIDENCE: Meaning(Check.CONTENT, Status.FAIL),
    Reason.BROKEN_ATTACHMENT: Meaning(Check.CONTENT, Status.FAIL),
    Reason.PLACEHOLDER_LINK: Meaning(Check.CONTENT, Status.FAIL),
    Reason.NO_TEXT_LAYER: Meaning(Check.CONTENT, Status.UNVERIFIED),
    Reason.UNREADABLE_TEXT_LAYER: Meaning(Check.CONTENT, Status.UNVERIFIED),
    Reason.CORRUPT_FILE: Meaning(Check.CONTENT, Status.FAIL),
    Reason.TOO_LARGE: Meaning(Check.CONTENT, Status.UNVERIFIED),
    Reason.LEGACY_FORMAT: Meaning(Check.CONTENT, Status.UNVERIFIED),
    Reason.EXTRACT_TIMEOUT: Meaning(Check.CONTENT, Status.UNVERIFIED),
    Reason.NEEDS_BROWSER: Meaning(Check.CONTENT, Status.UNVERIFIED),
    # browser (oit_checker/fetch/browser.py) and social networks (oit_checker/social.py)
    Reason.BROWSER_CRASHED: Meaning(Check.REACHABLE, Status.UNVERIFIED),
    Reason.BROWSER_FAILED: Meaning(Check.REACHABLE, Status.UNVERIFIED),
    Reason.SOCIAL_PUBLIC: Meaning(Check.PUBLIC, Status.PASS),
    Reason.PRIVATE_SOCIAL: Meaning(Check.PUBLIC, Status.FAIL),
    Reason.SOCIAL_UNCLEAR: Meaning(Check.PUBLIC, Status.UNVERIFIED),
    Reason.UNSUPPORTED_FORMAT: Meaning(Check.CONTENT, Status.UNVERIFIED),
    Reason.EXTRACT_FAILED: Meaning(Check.CONTENT, Status.UNVERIFIED),
})
"""One row per ``Reason`` (a test keeps the keys equal to the enum)."""


def as_reason(code: str) -> Reason | None:
    """The ``Reason`` of a stored code, ``None`` for one this version does not know (old runs may
    hold retired codes)."""
    try:
        return Reason(code)
    except ValueError:
        return None


def default_status(code: str) -> Status:
    """The status ``code`` is normally reported with; ``unverified`` for an unknown code."""
    reason = as_reason(code)
    return MEANING[reason].status if reason is not None else Status.UNVERIFIED


def check_of(code: str) -> Check | None:
    """The check ``code`` answers, ``None`` for an unknown code."""
    reason = as_reason(code)
    return MEANING[reason].check if reason is not None else None
