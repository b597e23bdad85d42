"""Can anyone see it? Login walls fail; bot walls are ``unverified`` (we were blocked, not them).

A wall is content replaced or hidden: 401/403, a redirect to a login page, a page whose main
content is a password form, an open login dialog that cannot be closed over no other content
(over content: ``unverified``, only a browser shows whether it covers it). A login box beside the content (a header or sidebar widget, a closed
modal) hides nothing: an assessor reads the page.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ..checklist import Item
from ..models import Check, Document, Finding, Status
from ..reasons import Reason
from .interface import Context, Page
from .text import content_text

BOT_WALL_TEXT = re.compile(
    r"just a moment|attention required|cf-chl|checking your browser|verify you are human|captcha"
    r"|the requested url was rejected|request rejected|incapsula incident|access denied.{0,40}akamai"
    r"|ddos protection|bot protection|are you a robot",
    re.IGNORECASE)
LOGIN_PATH = re.compile(r"(^|[/_.\-])(login|log-in|signin|sign-in|sign_in|auth|sso|cas|accounts?/servicelogin"
                        r"|wp-login\.php|user/login|member/login)([/_.?\-]|$)", re.IGNORECASE)
LOGIN_TEXT = re.compile(r"เข้าสู่ระบบ|ลงชื่อเข้าใช้|log ?in|sign ?in|password|รหัสผ่าน", re.IGNORECASE)
DOCUMENT = re.compile(r"\.(pdf|docx?|xlsx?|pptx?|od[tsp]|csv|jpe?g|png)$", re.IGNORECASE)
"""A link to a document in the main content is evidence: the page is content, not a login form."""
SHORT_LOGIN_PAGE = 1500
"""Main content with a password field and less text than this is a login form, not content."""


def check_public(page: Page, item: Item, ctx: Context) -> list[Finding]:
    """See the module docstring."""
    fetch = page.fetch
    doc = page.doc
    status = fetch.status or 0
    evidence: dict[str, object] = {"final_url": fetch.final_url, "http_status": status}
    body_head = fetch.body[:20000].decode("utf-8", errors="ignore")
    bot = _bot_wall(fetch.headers, body_head, status)
    if bot:
        return [Finding(Check.PUBLIC, Status.UNVERIFIED, Reason.BOT_WALL, {"detail": bot}, {**evidence, "why": bot})]
    if status in (401, 403):
        return [Finding(Check.PUBLIC, Status.FAIL, Reason.LOGIN_WALL, {"detail": f"HTTP {status}"}, evidence)]
    if not 200 <= status < 300:
        return []
    final_path = urlsplit(fetch.final_url)
    if fetch.redirects and LOGIN_PATH.search(final_path.path + "?" + final_path.query):
        why = f"redirected to {fetch.final_url}"
        return [Finding(Check.PUBLIC, Status.FAIL, Reason.LOGIN_WALL, {"detail": why}, {**evidence, "why": why})]
    if doc is not None and "encrypted" in doc.warnings:  # a PDF/DOCX/XLSX that needs a password to open
        return [Finding(Check.PUBLIC, Status.FAIL, Reason.PASSWORD_PROTECTED, {}, {**evidence, "kind": doc.kind})]
    why, wall = _login_form(page, doc, ctx) if doc is not None and doc.kind == "html" and doc.password_inputs \
        else ("", Status.PASS)
    if why:
        return [Finding(Check.PUBLIC, wall, Reason.LOGIN_WALL, {"detail": why}, {**evidence, "why": why})]
    if doc is not None and doc.password_inputs:
        evidence["login_box_beside_content"] = True
    return [Finding(Check.PUBLIC, Status.PASS, Reason.PUBLIC, {}, evidence)]


def _login_form(page: Page, doc: Document, ctx: Context) -> tuple[str, Status]:
    """Why the page's password form hides its content, and how sure that is; '' when it sits beside
    the content (outside the main content, or next to evidence the page links)."""
    main = content_text(doc, ctx)
    links = doc.main_links if doc.main_links is not None else doc.links
    evidence_linked = any(DOCUMENT.search(urlsplit(link.url).path) for link in links) \
        or any(a.fetch.ok for a in page.attachments)
    if doc.extraction.get("password_overlay"):
        if len(main) < SHORT_LOGIN_PAGE and not evidence_linked:
            return "a login dialog covers the page", Status.FAIL
        # The content is there behind it; whether the dialog shows, and stays, only a browser knows.
        return "a login dialog may cover the content", Status.UNVERIFIED
    # A document without a marked main content (built elsewhere) is all content.
    in_main = int(doc.extraction.get("password_main", doc.password_inputs))
    if in_main and len(main) < SHORT_LOGIN_PAGE and not evidence_linked:
        return "the page's main content is a password form", Status.FAIL
    return "", Status.PASS


def _bot_wall(headers: dict[str, str], body: str, status: int) -> str:
    """Why the response looks like a bot challenge or WAF block, or ''."""
    if "cf-mitigated" in headers:
        return f"cf-mitigated: {headers['cf-mitigated']}"
    if status == 999:
        return "HTTP 999"
    # A 2xx page may mention "captcha" (a complaint form): only trust the words on an error
    # status or behind a CDN that challenges bots.
    if status >= 400 or "cf-ray" in headers or "x-sucuri-id" in headers:
        match = BOT_WALL_TEXT.search(body)
        if match:
            return f"HTTP {status}: '{match.group(0)}'"
    return ""
