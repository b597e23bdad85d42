"""The one catalogue of user-facing text, in Thai and English.

Reason codes are stable (tests and scripts rely on them); their wording may change.
``docs/reasons.md`` is generated from ``REASONS`` and checked by a test.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .models import Check, Status

LANGS = ("th", "en")


@dataclass(frozen=True)
class Reason:
    """What a reason code means, and what the web admin should do about it."""

    check: Check
    status: Status
    """The status this code is normally reported with."""
    th: str
    en: str
    fix_th: str = ""
    fix_en: str = ""


def _r(check: Check, status: Status, th: str, en: str, fix_th: str = "", fix_en: str = "") -> Reason:
    return Reason(check, status, th, en, fix_th, fix_en)


C, S = Check, Status
REASONS: dict[str, Reason] = {
    # item level
    "no_url_given": _r(C.ITEM, S.FAIL,
        "ยังไม่ได้ระบุ URL สำหรับข้อนี้", "No URL has been given for this item",
        "ระบุ URL ของหน้าที่เผยแพร่ข้อมูลข้อนี้ใน config.toml ([items.{code}] urls)",
        "Add the URL of the page that publishes this item to config.toml ([items.{code}] urls)"),
    # reachable
    "reachable": _r(C.REACHABLE, S.PASS, "เปิดได้ (HTTP {http_status})", "Opens (HTTP {http_status})"),
    "long_redirect_chain": _r(C.REACHABLE, S.WARN,
        "ถูกเปลี่ยนเส้นทาง {hops} ครั้งก่อนถึงหน้าจริง", "Redirected {hops} times before the real page",
        "ใช้ URL ปลายทางสุดท้ายโดยตรงเมื่อกรอกใน ITAS", "Submit the final URL directly to ITAS"),
    "http_404": _r(C.REACHABLE, S.FAIL,
        "ไม่พบหน้า (HTTP 404)", "Page not found (HTTP 404)",
        "ตรวจสอบว่าไฟล์หรือหน้ายังอยู่ แล้วแก้ลิงก์ให้ถูกต้อง", "Check that the page still exists and fix the link"),
    "http_410": _r(C.REACHABLE, S.FAIL,
        "หน้าถูกลบแล้ว (HTTP 410)", "Page removed (HTTP 410)",
        "เผยแพร่ข้อมูลอีกครั้งและปรับ URL", "Publish the information again and update the URL"),
    "http_client_error": _r(C.REACHABLE, S.FAIL,
        "เซิร์ฟเวอร์ปฏิเสธคำขอ (HTTP {http_status})", "The server refused the request (HTTP {http_status})",
        "ตรวจสอบ URL และการตั้งค่าเว็บเซิร์ฟเวอร์", "Check the URL and the web server's settings"),
    "server_error": _r(C.REACHABLE, S.UNVERIFIED,
        "เซิร์ฟเวอร์ขัดข้อง (HTTP {http_status}) แม้ลองซ้ำแล้ว", "Server error (HTTP {http_status}) even after retries",
        "แจ้งผู้ดูแลเซิร์ฟเวอร์ให้ตรวจสอบ แล้วตรวจซ้ำ", "Ask the server admin to look into it, then check again"),
    "rate_limited": _r(C.REACHABLE, S.UNVERIFIED,
        "เซิร์ฟเวอร์จำกัดจำนวนคำขอ (HTTP 429) จึงตรวจไม่ได้", "Rate-limited by the server (HTTP 429); could not check",
        "ตรวจซ้ำภายหลัง หรือลด per_host_concurrency ใน [http]", "Check again later, or lower [http] per_host_concurrency"),
    "timeout": _r(C.REACHABLE, S.UNVERIFIED,
        "หมดเวลารอเซิร์ฟเวอร์ตอบ", "The server did not answer in time",
        "ตรวจสอบความเร็วของเว็บไซต์ แล้วตรวจซ้ำ", "Check the site's speed, then check again"),
    "dns_error": _r(C.REACHABLE, S.UNVERIFIED,
        "หาชื่อโดเมนไม่พบ ({detail})", "The host name could not be resolved ({detail})",
        "ตรวจสอบชื่อโดเมนใน URL และการเชื่อมต่ออินเทอร์เน็ตของเครื่องที่ตรวจ",
        "Check the domain in the URL and this machine's internet connection"),
    "connect_error": _r(C.REACHABLE, S.UNVERIFIED,
        "เชื่อมต่อเซิร์ฟเวอร์ไม่ได้ ({detail})", "Could not connect to the server ({detail})",
        "ตรวจสอบว่าเว็บไซต์เปิดให้บริการ และเครื่องที่ตรวจออกอินเทอร์เน็ตได้",
        "Check that the site is up and that this machine can reach it"),
    "redirect_loop": _r(C.REACHABLE, S.FAIL,
        "การเปลี่ยนเส้นทางวนซ้ำไม่สิ้นสุด", "Redirect loop",
        "แก้การตั้งค่า redirect ของเว็บเซิร์ฟเวอร์", "Fix the web server's redirect rules"),
    "too_many_redirects": _r(C.REACHABLE, S.FAIL,
        "ถูกเปลี่ยนเส้นทางเกิน {limit} ครั้ง", "More than {limit} redirects",
        "ใช้ URL ปลายทางโดยตรง และลดการ redirect", "Use the final URL and reduce redirects"),
    "tls_error": _r(C.REACHABLE, S.WARN,
        "ใบรับรองความปลอดภัย (TLS) มีปัญหา: {detail}", "TLS certificate problem: {detail}",
        "ต่ออายุหรือติดตั้งใบรับรอง SSL ให้ถูกต้อง ผู้ประเมินอาจเห็นคำเตือนความปลอดภัย",
        "Renew or fix the SSL certificate; assessors may see a security warning"),
    "tls_handshake_failed": _r(C.REACHABLE, S.UNVERIFIED,
        "เชื่อมต่อแบบปลอดภัย (TLS) ไม่สำเร็จแม้ไม่ตรวจใบรับรอง: {detail}",
        "The secure (TLS) connection fails even without certificate checks: {detail}",
        "ตรวจสอบการตั้งค่า HTTPS ของเซิร์ฟเวอร์ (รุ่น TLS และ cipher) ผู้ประเมินอาจเปิดหน้าไม่ได้",
        "Check the server's HTTPS settings (TLS version, ciphers); assessors may not be able to open it"),
    "soft_404": _r(C.REACHABLE, S.FAIL,
        "หน้าเปิดได้แต่แสดงว่า 'ไม่พบหน้า'", "The page opens but says 'not found'",
        "ตรวจสอบว่าลิงก์ชี้ไปยังหน้าที่มีข้อมูลจริง", "Make the link point to the page that holds the information"),
    "body_truncated": _r(C.REACHABLE, S.WARN,
        "ไฟล์ใหญ่เกิน {limit_mb} MB ตรวจเฉพาะส่วนต้น", "File larger than {limit_mb} MB; only its start was checked",
        "ลดขนาดไฟล์ หรือแยกเป็นหลายไฟล์", "Make the file smaller or split it"),
    "internal_error": _r(C.REACHABLE, S.UNVERIFIED,
        "oit-checker ขัดข้องขณะตรวจ URL นี้ ({detail})", "oit-checker failed while checking this URL ({detail})",
        "ตรวจ URL นี้ด้วยตนเอง และแจ้งปัญหานี้แก่ผู้พัฒนา oit-checker",
        "Check this URL by hand and report the problem to the oit-checker developers"),
    "blocked_address": _r(C.REACHABLE, S.UNVERIFIED,
        "ไม่ตรวจที่อยู่นี้ด้วยเหตุผลด้านความปลอดภัย ({detail})", "Address not fetched for safety ({detail})",
        "ใช้ URL สาธารณะของเว็บไซต์หลัก", "Use the public URL on the main website"),
    # public
    "public": _r(C.PUBLIC, S.PASS, "เปิดดูได้โดยไม่ต้องเข้าสู่ระบบ", "Visible without logging in"),
    "login_wall": _r(C.PUBLIC, S.FAIL,
        "ต้องเข้าสู่ระบบก่อนจึงจะเห็นข้อมูล ({detail})", "A login is required to see it ({detail})",
        "เผยแพร่ข้อมูลในหน้าสาธารณะที่ไม่ต้องเข้าสู่ระบบ", "Publish it on a public page that needs no login"),
    "bot_wall": _r(C.PUBLIC, S.UNVERIFIED,
        "ถูกระบบป้องกันบอต/ไฟร์วอลล์บล็อก จึงตรวจไม่ได้ ({detail})", "Blocked by a bot wall or firewall; could not check ({detail})",
        "อนุญาต User-Agent ของ oit-checker ในไฟร์วอลล์ หรือเปิดดูด้วยเบราว์เซอร์ด้วยตนเอง",
        "Allow oit-checker's User-Agent in the firewall, or check by hand in a browser"),
    # location
    "on_main_site": _r(C.LOCATION, S.PASS, "อยู่บนเว็บไซต์หลัก ({host})", "On the main website ({host})"),
    "linked_from_homepage": _r(C.LOCATION, S.PASS,
        "มีลิงก์จากหน้าแรกของเว็บไซต์หลัก", "Linked from the main website's homepage"),
    "link_not_verified": _r(C.LOCATION, S.UNVERIFIED,
        "อยู่นอกเว็บไซต์หลัก ({host}) และยังพิสูจน์ไม่ได้ว่ามีลิงก์จากเว็บไซต์หลัก",
        "Outside the main website ({host}); not yet proven to be linked from it",
        "ใส่ลิงก์ไปยังหน้านี้บนหน้า OIT ของเว็บไซต์หลัก", "Link to it from the OIT page of the main website"),
    "not_on_main_site": _r(C.LOCATION, S.FAIL,
        "อยู่นอกเว็บไซต์หลัก ({host}) และไม่ใช่โฮสต์ที่ยอมรับสำหรับข้อนี้",
        "Outside the main website ({host}) and not an accepted host for this item",
        "ย้ายข้อมูลมาไว้บนเว็บไซต์หลักของหน่วยงาน", "Move the information onto the agency's main website"),
    "external_host_linked": _r(C.LOCATION, S.WARN,
        "อยู่นอกเว็บไซต์หลัก ({host}) แต่มีลิงก์จากหน้าแรก; รายการตรวจไม่ได้ระบุโฮสต์นี้ไว้",
        "Outside the main website ({host}) but linked from its homepage; the checklist does not list this host",
        "พิจารณาย้ายข้อมูลมาไว้บนเว็บไซต์หลัก", "Consider moving the information onto the main website"),
    "fiscal_year_unclear": _r(C.FRESH, S.WARN,
        "พบเพียงวันที่ของปีงบประมาณ {found} ยืนยันไม่ได้ว่าครอบคลุมปีงบประมาณ พ.ศ. {year}",
        "Only dates of fiscal year {found} found; cannot confirm it covers fiscal year B.E. {year}",
        "ระบุ 'ปีงบประมาณ พ.ศ. {year}' ในหัวเรื่องของเอกสาร", "State 'ปีงบประมาณ พ.ศ. {year}' in the document's title"),
    "homepage_as_item_url": _r(C.LOCATION, S.WARN,
        "URL ที่ให้ไว้คือหน้าแรก ไม่ใช่หน้าของข้อมูลโดยตรง", "The URL given is the homepage, not the item's own page",
        "ระบุ URL ที่เปิดแล้วพบข้อมูลข้อนี้ทันที", "Give the URL that leads straight to this item's information"),
    # fresh
    "fiscal_year_found": _r(C.FRESH, S.PASS,
        "พบข้อมูลของปีงบประมาณ พ.ศ. {year}", "Covers fiscal year B.E. {year}"),
    "no_period_required": _r(C.FRESH, S.PASS,
        "ข้อนี้ไม่กำหนดปีของข้อมูล", "This item requires no particular year"),
    "stale_fiscal_year": _r(C.FRESH, S.FAIL,
        "ไม่พบข้อมูลปีงบประมาณ พ.ศ. {year} (พบเฉพาะปี {found})", "No data for fiscal year B.E. {year} (only {found} found)",
        "เผยแพร่ข้อมูลของปีงบประมาณ พ.ศ. {year} และระบุปีให้ชัดเจนในเอกสาร",
        "Publish the data for fiscal year B.E. {year} and state the year in the document"),
    "no_date_found": _r(C.FRESH, S.WARN,
        "ไม่พบวันที่หรือปีงบประมาณในเนื้อหา (ต้องเป็นปีงบประมาณ พ.ศ. {year})",
        "No date or fiscal year found in the content (fiscal year B.E. {year} is required)",
        "ระบุ 'ปีงบประมาณ พ.ศ. {year}' ในหัวเรื่องของเอกสาร", "State 'ปีงบประมาณ พ.ศ. {year}' in the document's title"),
    # content
    "elements_found": _r(C.CONTENT, S.PASS,
        "พบองค์ประกอบครบ ({found})", "All required elements found ({found_en})"),
    "no_elements_defined": _r(C.CONTENT, S.PASS,
        "รายการตรวจไม่ได้กำหนดองค์ประกอบสำหรับข้อนี้", "The checklist defines no elements for this item"),
    "missing_element": _r(C.CONTENT, S.FAIL,
        "ขาดองค์ประกอบ: {missing}", "Missing elements: {missing_en}",
        "เพิ่มหัวข้อ {missing} ในเอกสาร (ถ้าไม่มีให้ระบุว่า 'ไม่มี')",
        "Add the section(s) {missing_en} to the document (write 'none' if there is nothing to report)"),
    "no_text_layer": _r(C.CONTENT, S.UNVERIFIED,
        "เอกสารไม่มีข้อความที่อ่านได้ (อาจเป็นไฟล์สแกน) จึงตรวจเนื้อหาไม่ได้",
        "The document has no readable text (probably a scan); content could not be checked",
        "เผยแพร่เป็น PDF ที่สร้างจากไฟล์ข้อความ ไม่ใช่ไฟล์สแกน", "Publish a PDF made from the text, not a scan"),
    "needs_browser": _r(C.CONTENT, S.UNVERIFIED,
        "เนื้อหาสร้างด้วย JavaScript ต้องเปิดด้วยเบราว์เซอร์จึงจะตรวจได้",
        "The content is built by JavaScript; a browser is needed to check it",
        "ให้ข้อมูลแสดงใน HTML โดยตรง หรือรันด้วย --browser always เมื่อมีเบราว์เซอร์",
        "Serve the content in the HTML itself, or run with --browser always where a browser is available"),
    "unsupported_format": _r(C.CONTENT, S.UNVERIFIED,
        "ยังอ่านไฟล์ชนิดนี้ไม่ได้ ({detail})", "This file type cannot be read yet ({detail})",
        "เผยแพร่เป็น HTML หรือ PDF ที่มีข้อความ", "Publish it as HTML or a text-based PDF"),
    "extract_failed": _r(C.CONTENT, S.UNVERIFIED,
        "อ่านเนื้อหาไฟล์ไม่สำเร็จ ({detail})", "Could not read the file's content ({detail})",
        "ตรวจสอบว่าไฟล์ไม่เสียหายและไม่ได้เข้ารหัสผ่าน", "Check that the file is not damaged or password-protected"),
}
del C, S

STATUS_LABELS = {
    "th": {Status.PASS: "ผ่าน", Status.WARN: "ควรตรวจ", Status.FAIL: "ไม่ผ่าน", Status.UNVERIFIED: "ตรวจไม่ได้"},
    "en": {Status.PASS: "pass", Status.WARN: "warn", Status.FAIL: "fail", Status.UNVERIFIED: "unverified"},
}

UI: dict[str, dict[str, str]] = {
    "th": {
        "title": "ผลการตรวจ OIT: {agency}",
        "checklist": "รายการตรวจ {checklist} (ปีประเมิน พ.ศ. {year})",
        "summary": "สรุป {total} ข้อ: ผ่าน {pass} · ควรตรวจ {warn} · ไม่ผ่าน {fail} · ตรวจไม่ได้ {unverified}",
        "fix": "วิธีแก้",
        "passing_url": "ผ่านด้วย URL: {url}",
        "progress": "กำลังตรวจ",
        "hint_unverified": "ข้อที่ 'ตรวจไม่ได้' ไม่ได้แปลว่าไม่ผ่าน: ควรเปิดดูด้วยตนเองหรือตรวจซ้ำภายหลัง",
        "hint_incomplete": "การตรวจครั้งนี้ไม่สมบูรณ์: เชื่อมต่อเว็บไซต์ไม่ได้เลย ตรวจสอบอินเทอร์เน็ตของเครื่องนี้",
        "hint_homepage": "เปิดหน้าแรก {url} ไม่ได้ ({problem}) จึงยังตรวจลิงก์จากเว็บไซต์หลักไม่ได้",
        "hint_confidence": "ข้อที่มีเครื่องหมาย ? มาจากรายการตรวจที่ยังยืนยันเลขข้อไม่ได้",
        "confidence_mark": "?",
        "demo_serving": "เว็บไซต์สาธิตเปิดที่ {url}",
        "report_written": "เขียนรายงานแล้ว: {path}",
        "url": "URL",
    },
    "en": {
        "title": "OIT audit: {agency}",
        "checklist": "Checklist {checklist} (assessment year B.E. {year})",
        "summary": "{total} items: {pass} pass · {warn} warn · {fail} fail · {unverified} unverified",
        "fix": "Fix",
        "passing_url": "Passes with URL: {url}",
        "progress": "Checking",
        "hint_unverified": "'unverified' is not 'fail': open those URLs by hand or check again later",
        "hint_incomplete": "This run is incomplete: no site could be reached. Check this machine's internet connection",
        "hint_homepage": "The homepage {url} could not be read ({problem}), so links from the main website are unknown",
        "hint_confidence": "Items marked ? come from a checklist whose numbering is not confirmed",
        "confidence_mark": "?",
        "demo_serving": "Demo site served at {url}",
        "report_written": "Report written: {path}",
        "url": "URL",
    },
}


class _Blank(dict[str, Any]):
    """Leaves an unknown placeholder visible instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def reason_message(reason: str, params: dict[str, Any], lang: str) -> str:
    """The finding's message in ``lang``; an unknown code is shown as itself."""
    entry = REASONS.get(reason)
    if entry is None:
        return reason
    return (entry.en if lang == "en" else entry.th).format_map(_Blank(params))


def reason_fix(reason: str, params: dict[str, Any], lang: str) -> str:
    """The suggested fix in ``lang`` ('' when the finding needs none)."""
    entry = REASONS.get(reason)
    if entry is None:
        return ""
    return (entry.fix_en if lang == "en" else entry.fix_th).format_map(_Blank(params))


def ui(key: str, lang: str, **params: Any) -> str:
    """A UI string in ``lang``."""
    return UI["en" if lang == "en" else "th"][key].format_map(_Blank(params))


def status_label(status: Status, lang: str) -> str:
    """The status word in ``lang``."""
    return STATUS_LABELS["en" if lang == "en" else "th"][status]


def reasons_markdown() -> str:
    """The reason-code table of ``docs/reasons.md`` (a test keeps the file equal to this)."""
    lines = [
        "# Reason codes",
        "",
        "Every finding carries one of these stable codes. Scripts and tests rely on the codes;",
        "the wording may change. Generated from `oit_checker/messages.py` "
        "(`python -m oit_checker.messages > docs/reasons.md`).",
        "",
        "| code | check | usual status | meaning | suggested fix (Thai) |",
        "|---|---|---|---|---|",
    ]
    for code, reason in REASONS.items():
        fix = reason.fix_th.replace("|", "\\|") or "—"
        lines.append(f"| `{code}` | {reason.check.value} | {reason.status.value} | {reason.en} | {fix} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(reasons_markdown(), end="")
