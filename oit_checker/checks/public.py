"""Can anyone see it? Login walls fail; bot walls are ``unverified`` (we were blocked, not them)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ..checklist import Item
from ..models import Check, Finding, Status
from .interface import Context, Page

BOT_WALL_TEXT = re.compile(
    r"just a moment|attention required|cf-chl|checking your browser|verify you are human|captcha"
    r"|the requested url was rejected|request rejected|incapsula incident|access denied.{0,40}akamai"
    r"|ddos protection|bot protection|are you a robot",
    re.IGNORECASE)
LOGIN_PATH = re.compile(r"(^|[/_.\-])(login|log-in|signin|sign-in|sign_in|auth|sso|cas|accounts?/servicelogin"
                        r"|wp-login\.php|user/login|member/login)([/_.?\-]|$)", re.IGNORECASE)
LOGIN_TEXT = re.compile(r"เข้าสู่ระบบ|ลงชื่อเข้าใช้|log ?in|sign ?in|password|รหัสผ่าน", re.IGNORECASE)
SHORT_LOGIN_PAGE = 1500
"""A page with a password field and less text than this is a login page, not content."""


def check_public(page: Page, item: Item, ctx: Context) -> list[Finding]:
    """See the module docstring."""
    fetch = page.fetch
    doc = page.doc
    status = fetch.status or 0
    evidence: dict[str, object] = {"final_url": fetch.final_url, "http_status": status}
    body_head = fetch.body[:20000].decode("utf-8", errors="ignore")
    bot = _bot_wall(fetch.headers, body_head, status)
    if bot:
        return [Finding(Check.PUBLIC, Status.UNVERIFIED, "bot_wall", {"detail": bot}, {**evidence, "why": bot})]
    if status in (401, 403):
        return [Finding(Check.PUBLIC, Status.FAIL, "login_wall", {"detail": f"HTTP {status}"}, evidence)]
    if not 200 <= status < 300:
        return []
    final_path = urlsplit(fetch.final_url)
    if fetch.redirects and LOGIN_PATH.search(final_path.path + "?" + final_path.query):
        why = f"redirected to {fetch.final_url}"
        return [Finding(Check.PUBLIC, Status.FAIL, "login_wall", {"detail": why}, {**evidence, "why": why})]
    if doc is not None and "encrypted" in doc.warnings:  # a PDF/DOCX/XLSX that needs a password to open
        return [Finding(Check.PUBLIC, Status.FAIL, "password_protected", {}, {**evidence, "kind": doc.kind})]
    if doc is not None and doc.kind == "html" and doc.password_inputs and len(doc.text) < SHORT_LOGIN_PAGE:
        why = "the page is a password form"
        return [Finding(Check.PUBLIC, Status.FAIL, "login_wall", {"detail": why}, {**evidence, "why": why})]
    return [Finding(Check.PUBLIC, Status.PASS, "public", {}, evidence)]


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
