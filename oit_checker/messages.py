"""The one catalogue of user-facing text, in Thai and English: text only.

What a reason code means to the program (its check, its usual status) is in ``oit_checker.reasons``;
here is what it says to the user. Reason codes are stable (tests and scripts rely on them); their
wording may change. ``docs/reasons.md`` is generated from both (``reasons_markdown``) and checked by a test.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final

from .reasons import MEANING, Reason, Status, as_reason

LANGS = ("th", "en")


@dataclass(frozen=True)
class ReasonText:
    """What a reason code says, and what the web admin should do about it."""

    th: str
    en: str
    fix_th: str = ""
    fix_en: str = ""


_t = ReasonText
R = Reason
REASON_TEXT: Final[Mapping[Reason, ReasonText]] = MappingProxyType({
    # item level
    R.NO_URL_GIVEN: _t(
        "ยังไม่ได้ระบุ URL สำหรับข้อนี้", "No URL has been given for this item",
        "ระบุ URL ของหน้าที่เผยแพร่ข้อมูลข้อนี้ใน config.toml ([items.{code}] urls)",
        "Add the URL of the page that publishes this item to config.toml ([items.{code}] urls)"),
    R.REQUIRED_URL_NOT_PASSING: _t(
        "ข้อนี้ต้องผ่านครบทุก URL (urls_mode = \"all\") แต่ {url} ยังไม่ผ่าน: ดูปัญหาของ URL นั้นด้านล่าง",
        "This item needs every URL to pass (urls_mode = \"all\"), but {url} does not: see that URL's findings below",
        "แก้หน้าหรือเอกสารที่ URL นี้ตามรายการปัญหาของ URL นั้น ข้อนี้จึงจะผ่าน",
        "Fix the page or document at this URL (see its own findings); the item passes only when every URL does"),
    # reachable
    R.REACHABLE: _t("เปิดได้ (HTTP {http_status})", "Opens (HTTP {http_status})"),
    R.LONG_REDIRECT_CHAIN: _t(
        "ถูกเปลี่ยนเส้นทาง {hops} ครั้งก่อนถึงหน้าจริง", "Redirected {hops} times before the real page",
        "ใช้ URL ปลายทางสุดท้ายโดยตรงเมื่อกรอกใน ITAS", "Submit the final URL directly to ITAS"),
    R.HTTP_404: _t(
        "ไม่พบหน้า (HTTP 404)", "Page not found (HTTP 404)",
        "ตรวจสอบว่าไฟล์หรือหน้ายังอยู่ แล้วแก้ลิงก์ให้ถูกต้อง", "Check that the page still exists and fix the link"),
    R.HTTP_410: _t(
        "หน้าถูกลบแล้ว (HTTP 410)", "Page removed (HTTP 410)",
        "เผยแพร่ข้อมูลอีกครั้งและปรับ URL", "Publish the information again and update the URL"),
    R.HTTP_CLIENT_ERROR: _t(
        "เซิร์ฟเวอร์ปฏิเสธคำขอ (HTTP {http_status})", "The server refused the request (HTTP {http_status})",
        "ตรวจสอบ URL และการตั้งค่าเว็บเซิร์ฟเวอร์", "Check the URL and the web server's settings"),
    R.SERVER_ERROR: _t(
        "เซิร์ฟเวอร์ขัดข้อง (HTTP {http_status}) แม้ลองซ้ำแล้ว", "Server error (HTTP {http_status}) even after retries",
        "แจ้งผู้ดูแลเซิร์ฟเวอร์ให้ตรวจสอบ แล้วตรวจซ้ำ", "Ask the server admin to look into it, then check again"),
    R.RATE_LIMITED: _t(
        "เซิร์ฟเวอร์จำกัดจำนวนคำขอ (HTTP 429) จึงตรวจไม่ได้", "Rate-limited by the server (HTTP 429); could not check",
        "ตรวจซ้ำภายหลัง หรือลด per_host_concurrency ใน [http]", "Check again later, or lower [http] per_host_concurrency"),
    R.TIMEOUT: _t(
        "หมดเวลารอเซิร์ฟเวอร์ตอบ", "The server did not answer in time",
        "ตรวจสอบความเร็วของเว็บไซต์ แล้วตรวจซ้ำ", "Check the site's speed, then check again"),
    R.DNS_ERROR: _t(
        "หาชื่อโดเมนไม่พบ ({detail})", "The host name could not be resolved ({detail})",
        "ตรวจสอบชื่อโดเมนใน URL และการเชื่อมต่ออินเทอร์เน็ตของเครื่องที่ตรวจ",
        "Check the domain in the URL and this machine's internet connection"),
    R.CONNECT_ERROR: _t(
        "เชื่อมต่อเซิร์ฟเวอร์ไม่ได้ ({detail})", "Could not connect to the server ({detail})",
        "ตรวจสอบว่าเว็บไซต์เปิดให้บริการ และเครื่องที่ตรวจออกอินเทอร์เน็ตได้",
        "Check that the site is up and that this machine can reach it"),
    R.HOST_UNRESPONSIVE: _t(
        "เซิร์ฟเวอร์ไม่ตอบหลายครั้งติดต่อกัน จึงหยุดรอชั่วคราว ({detail})",
        "The server stopped answering several times in a row, so it was not waited for ({detail})",
        "ตรวจสอบว่าเว็บไซต์เปิดให้บริการและตอบได้ทันเวลา แล้วตรวจซ้ำ",
        "Check that the site is up and answers in time, then check again"),
    R.BAD_RESPONSE: _t(
        "เซิร์ฟเวอร์ตอบกลับในรูปแบบที่ไม่ถูกต้อง ({detail})", "The server sent a malformed HTTP response ({detail})",
        "แจ้งผู้ดูแลเว็บเซิร์ฟเวอร์ให้ตรวจสอบส่วนหัวและการบีบอัดของคำตอบ",
        "Ask the server admin to check the response headers and compression"),
    R.REDIRECT_LOOP: _t(
        "การเปลี่ยนเส้นทางวนซ้ำไม่สิ้นสุด", "Redirect loop",
        "แก้การตั้งค่า redirect ของเว็บเซิร์ฟเวอร์", "Fix the web server's redirect rules"),
    R.TOO_MANY_REDIRECTS: _t(
        "ถูกเปลี่ยนเส้นทางเกิน {limit} ครั้ง", "More than {limit} redirects",
        "ใช้ URL ปลายทางโดยตรง และลดการ redirect", "Use the final URL and reduce redirects"),
    R.TLS_ERROR: _t(
        "ใบรับรองความปลอดภัย (TLS) มีปัญหา: {detail}", "TLS certificate problem: {detail}",
        "ต่ออายุหรือติดตั้งใบรับรอง SSL ให้ถูกต้อง ผู้ประเมินอาจเห็นคำเตือนความปลอดภัย",
        "Renew or fix the SSL certificate; assessors may see a security warning"),
    R.TLS_HANDSHAKE_FAILED: _t(
        "เชื่อมต่อแบบปลอดภัย (TLS) ไม่สำเร็จแม้ไม่ตรวจใบรับรอง: {detail}",
        "The secure (TLS) connection fails even without certificate checks: {detail}",
        "ตรวจสอบการตั้งค่า HTTPS ของเซิร์ฟเวอร์ (รุ่น TLS และ cipher) ผู้ประเมินอาจเปิดหน้าไม่ได้",
        "Check the server's HTTPS settings (TLS version, ciphers); assessors may not be able to open it"),
    R.SOFT_404: _t(
        "หน้าเปิดได้แต่แสดงว่า 'ไม่พบหน้า'", "The page opens but says 'not found'",
        "ตรวจสอบว่าลิงก์ชี้ไปยังหน้าที่มีข้อมูลจริง", "Make the link point to the page that holds the information"),
    R.BODY_TRUNCATED: _t(
        "ไฟล์ใหญ่เกิน {limit_mb} MB ตรวจเฉพาะส่วนต้น", "File larger than {limit_mb} MB; only its start was checked",
        "ลดขนาดไฟล์ หรือแยกเป็นหลายไฟล์", "Make the file smaller or split it"),
    R.INTERNAL_ERROR: _t(
        "oit-checker ขัดข้องขณะตรวจ URL นี้ ({detail})", "oit-checker failed while checking this URL ({detail})",
        "ตรวจ URL นี้ด้วยตนเอง และแจ้งปัญหานี้แก่ผู้พัฒนา oit-checker",
        "Check this URL by hand and report the problem to the oit-checker developers"),
    R.RUN_DEADLINE: _t(
        "หมดเวลาที่กำหนดให้การตรวจทั้งรอบก่อนตรวจ URL นี้เสร็จ ({detail})",
        "The run's time limit ended before this URL was checked ({detail})",
        "ตรวจอีกครั้ง หรือเพิ่ม [audit] max_minutes หากเว็บไซต์ตอบช้า",
        "Run again, or raise [audit] max_minutes if the website is slow"),
    R.RUN_INTERRUPTED: _t(
        "การตรวจถูกหยุดก่อนตรวจ URL นี้เสร็จ ({detail})", "The run was stopped before this URL was checked ({detail})",
        "ตรวจอีกครั้งโดยไม่หยุดกลางคัน", "Run the audit again to the end"),
    R.BLOCKED_ADDRESS: _t(
        "ไม่ตรวจที่อยู่นี้ด้วยเหตุผลด้านความปลอดภัย ({detail})", "Address not fetched for safety ({detail})",
        "ใช้ URL สาธารณะของเว็บไซต์หลัก", "Use the public URL on the main website"),
    # public
    R.PUBLIC: _t("เปิดดูได้โดยไม่ต้องเข้าสู่ระบบ", "Visible without logging in"),
    R.LOGIN_WALL: _t(
        "ต้องเข้าสู่ระบบก่อนจึงจะเห็นข้อมูล ({detail})", "A login is required to see it ({detail})",
        "เผยแพร่ข้อมูลในหน้าสาธารณะที่ไม่ต้องเข้าสู่ระบบ", "Publish it on a public page that needs no login"),
    R.PASSWORD_PROTECTED: _t(
        "ไฟล์ถูกตั้งรหัสผ่าน ผู้ประเมินเปิดอ่านไม่ได้", "The file is password-protected; assessors cannot open it",
        "บันทึกไฟล์ใหม่โดยไม่ตั้งรหัสผ่านเปิดไฟล์ แล้วอัปโหลดอีกครั้ง",
        "Save the file again without an open password and upload it again"),
    R.BOT_WALL: _t(
        "ถูกระบบป้องกันบอต/ไฟร์วอลล์บล็อก จึงตรวจไม่ได้ ({detail})", "Blocked by a bot wall or firewall; could not check ({detail})",
        "อนุญาต User-Agent ของ oit-checker ในไฟร์วอลล์ หรือเปิดดูด้วยเบราว์เซอร์ด้วยตนเอง",
        "Allow oit-checker's User-Agent in the firewall, or check by hand in a browser"),
    # location
    R.ON_MAIN_SITE: _t("อยู่บนเว็บไซต์หลัก ({host})", "On the main website ({host})"),
    R.LINKED_FROM_HOMEPAGE: _t(
        "มีลิงก์จากหน้าแรกของเว็บไซต์หลัก", "Linked from the main website's homepage"),
    R.LINK_NOT_VERIFIED: _t(
        "อยู่นอกเว็บไซต์หลัก ({host}) และยังพิสูจน์ไม่ได้ว่ามีลิงก์จากเว็บไซต์หลัก",
        "Outside the main website ({host}); not yet proven to be linked from it",
        "ใส่ลิงก์ไปยังหน้านี้บนหน้า OIT ของเว็บไซต์หลัก", "Link to it from the OIT page of the main website"),
    R.NOT_ON_MAIN_SITE: _t(
        "อยู่นอกเว็บไซต์หลัก ({host}) และไม่ใช่โฮสต์ที่ยอมรับสำหรับข้อนี้",
        "Outside the main website ({host}) and not an accepted host for this item",
        "ย้ายข้อมูลมาไว้บนเว็บไซต์หลักของหน่วยงาน", "Move the information onto the agency's main website"),
    R.EXTERNAL_HOST_LINKED: _t(
        "อยู่นอกเว็บไซต์หลัก ({host}) แต่มีลิงก์จากหน้าแรก; รายการตรวจไม่ได้ระบุโฮสต์นี้ไว้",
        "Outside the main website ({host}) but linked from its homepage; the checklist does not list this host",
        "พิจารณาย้ายข้อมูลมาไว้บนเว็บไซต์หลัก", "Consider moving the information onto the main website"),
    R.FISCAL_YEAR_UNCLEAR: _t(
        "พบเพียงวันที่ของปีงบประมาณ {found} ยืนยันไม่ได้ว่าครอบคลุมปีงบประมาณ พ.ศ. {year}",
        "Only dates of fiscal year {found} found; cannot confirm it covers fiscal year B.E. {year}",
        "ระบุ 'ปีงบประมาณ พ.ศ. {year}' ในหัวเรื่องของเอกสาร", "State 'ปีงบประมาณ พ.ศ. {year}' in the document's title"),
    R.LINKED_FROM_MAIN_SITE: _t(
        "มีลิงก์จากเว็บไซต์หลัก ({clicks} คลิกจากหน้าแรก)", "Linked from the main website ({clicks} clicks from the homepage)"),
    R.ORPHAN_PAGE: _t(
        "อยู่บนเว็บไซต์หลัก แต่ไม่มีหน้าใดของเว็บไซต์ลิงก์มายังหน้านี้ (สำรวจแล้ว {pages} หน้า)",
        "On the main website, but no page of it links here (crawled {pages} pages)",
        "ใส่ลิงก์ไปยังหน้านี้บนหน้า OIT ของเว็บไซต์หลัก ผู้ประเมินเริ่มคลิกจากหน้าแรก",
        "Link to it from the OIT page of the main website: assessors start clicking from the homepage"),
    R.NOT_LINKED_FROM_MAIN_SITE: _t(
        "อยู่นอกเว็บไซต์หลัก ({host}) และไม่มีหน้าใดของเว็บไซต์หลักลิงก์มา (สำรวจแล้ว {pages} หน้า)",
        "Outside the main website ({host}) and no page of the main website links to it (crawled {pages} pages)",
        "ใส่ลิงก์ไปยัง URL นี้บนหน้า OIT ของเว็บไซต์หลัก หรือย้ายข้อมูลมาไว้บนเว็บไซต์หลัก",
        "Link to this URL from the OIT page of the main website, or move the information onto it"),
    R.CRAWL_LIMIT_REACHED: _t(
        "การสำรวจเว็บไซต์ถึงขีดจำกัด ({limit}) ก่อนพบลิงก์มายัง URL นี้ จึงยังยืนยันไม่ได้ว่ามีลิงก์จากเว็บไซต์หลัก",
        "The crawl reached its limit ({limit}) before finding a link to this URL; not verified",
        "เพิ่ม [crawl] max_pages หรือ max_depth ใน config.toml หรือใส่ลิงก์ไว้บนหน้า OIT ให้ใกล้หน้าแรกขึ้น",
        "Raise [crawl] max_pages or max_depth in config.toml, or link it from an OIT page closer to the homepage"),
    R.CRAWL_INCOMPLETE: _t(
        "การสำรวจเว็บไซต์เปิดหน้าที่มีลิงก์อยู่ไม่ได้ {unread} หน้า ({pages}) ซึ่งอาจมีลิงก์มายัง URL นี้ "
        "จึงยังยืนยันไม่ได้ว่ามีลิงก์จากเว็บไซต์หลัก",
        "The crawl could not open {unread} linked pages ({pages}) that may link to this URL, "
        "so whether the main website links to it is not verified",
        "ตรวจว่าหน้าเหล่านั้นเปิดได้ (ชื่อโดเมน เซิร์ฟเวอร์ ระบบกันบอต) แล้วตรวจซ้ำ "
        "หน้าที่สร้างเมนูด้วย JavaScript ต้องใช้เบราว์เซอร์ (--browser auto, [crawl] max_rendered)",
        "Check that those pages open (domain name, server, bot protection), then check again; pages whose "
        "menus are built by JavaScript need the browser (--browser auto, [crawl] max_rendered)"),
    R.CRAWL_BLOCKED_BY_ROBOTS: _t(
        "robots.txt ห้ามสำรวจ {blocked} หน้าที่มีลิงก์อยู่ จึงยังไม่พบลิงก์มายัง URL นี้และยืนยันไม่ได้",
        "robots.txt keeps the crawl out of {blocked} linked pages, so no link to this URL was found; not verified",
        "อนุญาต oit-checker ใน robots.txt หรือตั้ง [crawl] obey_robots = false แล้วตรวจซ้ำ",
        "Allow oit-checker in robots.txt, or set [crawl] obey_robots = false, then check again"),
    R.HOMEPAGE_UNREADABLE: _t(
        "เปิดหน้าแรกไม่ได้ ({problem}) จึงตรวจไม่ได้ว่ามีลิงก์จากเว็บไซต์หลัก",
        "The homepage could not be read ({problem}), so links from the main website are unknown",
        "ตรวจสอบว่าหน้าแรกของเว็บไซต์เปิดได้ แล้วตรวจซ้ำ", "Check that the homepage opens, then check again"),
    R.HOMEPAGE_AS_ITEM_URL: _t(
        "URL ที่ให้ไว้คือหน้าแรก ไม่ใช่หน้าของข้อมูลโดยตรง", "The URL given is the homepage, not the item's own page",
        "ระบุ URL ที่เปิดแล้วพบข้อมูลข้อนี้ทันที", "Give the URL that leads straight to this item's information"),
    # fresh
    R.FISCAL_YEAR_FOUND: _t(
        "พบข้อมูลของปีงบประมาณ พ.ศ. {year}", "Covers fiscal year B.E. {year}"),
    R.NO_PERIOD_REQUIRED: _t(
        "ข้อนี้ไม่กำหนดปีของข้อมูล", "This item requires no particular year"),
    R.STALE_YEAR_OCR: _t(
        "ปีที่อ่านได้ด้วย OCR จากภาพสแกนเป็นปี {found} ไม่ใช่ปีงบประมาณ พ.ศ. {year} แต่ OCR อาจอ่านตัวเลขไทยผิด (เช่น ๖ เป็น ๒) จึงยืนยันไม่ได้",
        "The years read by OCR from the scan are {found}, not fiscal year B.E. {year}; OCR misreads Thai digits (๖ as ๒), so this is not confirmed",
        "ตรวจดูปีในภาพสแกนด้วยตนเอง หากเป็นปีที่ถูกต้อง ควรเผยแพร่เป็นไฟล์ที่มีข้อความ (ไม่ใช่ภาพสแกน) เพื่อให้อ่านปีได้ชัดเจน",
        "Check the year on the scan by eye; if it is right, publish a file with a text layer (not a scan) so the year can be read"),
    R.YEAR_UNREAD_OCR: _t(
        "อ่านปีของเอกสารจากภาพสแกนด้วย OCR ไม่ได้ จึงยืนยันไม่ได้ว่าเป็นข้อมูลปีงบประมาณ พ.ศ. {year}",
        "No year could be read from the scan by OCR; cannot confirm it covers fiscal year B.E. {year}",
        "ตรวจดูปีในภาพสแกนด้วยตนเอง และควรเผยแพร่เป็นไฟล์ที่มีข้อความ (ไม่ใช่ภาพสแกน) ที่ระบุ 'ปีงบประมาณ พ.ศ. {year}'",
        "Check the year on the scan by eye; better, publish a file with a text layer stating 'ปีงบประมาณ พ.ศ. {year}'"),
    R.STALE_FISCAL_YEAR: _t(
        "ไม่พบข้อมูลปีงบประมาณ พ.ศ. {year} (พบเฉพาะปี {found})", "No data for fiscal year B.E. {year} (only {found} found)",
        "เผยแพร่ข้อมูลของปีงบประมาณ พ.ศ. {year} และระบุปีให้ชัดเจนในเอกสาร",
        "Publish the data for fiscal year B.E. {year} and state the year in the document"),
    R.DATE_FROM_METADATA: _t(
        "ไม่พบวันที่ในเนื้อหา ใช้วันที่ของไฟล์แทน ({source}: {date}) ซึ่งอยู่ในปีงบประมาณ {found}",
        "No date in the content; the file's own date ({source}: {date}) is in fiscal year {found}",
        "ระบุ 'ปีงบประมาณ พ.ศ. {year}' ในหัวเรื่องของเอกสาร วันที่ของไฟล์บอกเพียงว่าสร้างเมื่อใด",
        "State 'ปีงบประมาณ พ.ศ. {year}' in the document's title; a file's date only says when it was made"),
    R.HALF_YEAR_FOUND: _t(
        "พบข้อมูลรอบ 6 เดือนแรกของปีงบประมาณ พ.ศ. {year} (ต.ค.–มี.ค.)",
        "Covers the first six months of fiscal year B.E. {year} (Oct–Mar)"),
    R.HALF_YEAR_UNCLEAR: _t(
        "พบข้อมูลปีงบประมาณ พ.ศ. {year} แต่ไม่พบว่าครอบคลุมรอบ 6 เดือนแรก (ต.ค.–มี.ค.)",
        "Fiscal year B.E. {year} found, but not that it covers the first six months (Oct–Mar)",
        "ระบุช่วงเวลาให้ชัดเจน เช่น 'รอบ 6 เดือน (1 ตุลาคม – 31 มีนาคม)'",
        "State the period plainly, e.g. 'รอบ 6 เดือน (1 ตุลาคม – 31 มีนาคม)'"),
    R.MONTHS_FOUND: _t(
        "พบข้อมูลครบทุกเดือน ({count} เดือน: {first} – {last})",
        "Every month is there ({count} months: {first_en} – {last_en})"),
    R.MISSING_MONTHS: _t(
        "ข้อมูลรายเดือนไม่ครบ ขาด {count} เดือน: {months}",
        "Monthly data incomplete; {count} month(s) missing: {months_en}",
        "เผยแพร่ข้อมูลของเดือน {months} (เดือนที่ไม่มีการดำเนินการให้ระบุว่า 'ไม่มี')",
        "Publish the data for {months_en} (for a month with nothing to report, say so)"),
    R.NO_DATE_FOUND: _t(
        "ไม่พบวันที่หรือปีงบประมาณในเนื้อหา (ต้องเป็นปีงบประมาณ พ.ศ. {year})",
        "No date or fiscal year found in the content (fiscal year B.E. {year} is required)",
        "ระบุ 'ปีงบประมาณ พ.ศ. {year}' ในหัวเรื่องของเอกสาร", "State 'ปีงบประมาณ พ.ศ. {year}' in the document's title"),
    # content
    R.ELEMENTS_FOUND: _t(
        "พบองค์ประกอบครบ ({found})", "All required elements found ({found_en})"),
    R.NIL_STATEMENT: _t(
        "หน่วยงานระบุว่าไม่มีข้อมูลที่ต้องรายงานในรอบนี้: “{statement}”",
        "The agency states there is nothing to report for the period: “{statement}”"),
    R.NO_ELEMENTS_DEFINED: _t(
        "รายการตรวจไม่ได้กำหนดองค์ประกอบสำหรับข้อนี้", "The checklist defines no elements for this item"),
    R.MISSING_ELEMENT: _t(
        "ขาดองค์ประกอบ: {missing}", "Missing elements: {missing_en}",
        "เพิ่มหัวข้อ {missing} ในเอกสาร (ถ้าไม่มีให้ระบุว่า 'ไม่มี')",
        "Add the section(s) {missing_en} to the document (write 'none' if there is nothing to report)"),
    R.NO_EVIDENCE: _t(
        "หน้านี้ไม่มีข้อมูลของข้อนี้และไม่มีลิงก์ไปยังเอกสารหลักฐาน (ขาด: {missing})",
        "The page neither shows this item's information nor links any evidence (missing: {missing_en})",
        "เผยแพร่ข้อมูลในเนื้อหาของหน้า หรือแนบลิงก์ไปยังเอกสาร (PDF ฯลฯ) ที่มีข้อมูลครบ เมนูที่มีชื่อข้อไม่นับเป็นข้อมูล",
        "Publish the information in the page's content, or link the document (PDF …) that holds it; "
        "a menu naming the item does not count"),
    R.BROKEN_ATTACHMENT: _t(
        "ลิงก์หลักฐาน '{text}' เปิดไม่ได้ ({problem})", "The evidence link '{text}' does not open ({problem})",
        "อัปโหลดไฟล์ใหม่แล้วแก้ลิงก์ '{text}' ให้ชี้ไปยังไฟล์ที่มีอยู่จริง",
        "Upload the file again and point the link '{text}' at it"),
    R.PLACEHOLDER_LINK: _t(
        "ลิงก์ '{text}' ไม่ได้ชี้ไปยังเอกสารใด (href ว่าง, # หรือ javascript:)",
        "The link '{text}' leads nowhere (empty href, # or javascript:)",
        "ใส่ URL ของเอกสารจริงในลิงก์ '{text}'", "Put the real document's URL in the link '{text}'"),
    R.NO_TEXT_LAYER: _t(
        "เอกสารไม่มีข้อความที่อ่านได้ (อาจเป็นไฟล์สแกน) จึงตรวจเนื้อหาไม่ได้{why}",
        "The document has no readable text (probably a scan); content could not be checked{why_en}",
        "เผยแพร่เป็น PDF ที่สร้างจากไฟล์ข้อความ (บันทึกเป็น PDF จาก Word/Excel) ไม่ใช่ไฟล์สแกน "
        "ผู้ประเมินและผู้พิการทางสายตาจึงค้นหาและอ่านข้อความได้",
        "Publish a PDF made from the text (save as PDF from Word/Excel), not a scan, so that assessors "
        "and screen readers can search and read it"),
    R.UNREADABLE_TEXT_LAYER: _t(
        "ข้อความในไฟล์ PDF อ่านไม่ออก (คัดลอกออกมาได้เป็น '{sample}') "
        "เพราะใช้ฟอนต์ภาษาไทยแบบเก่า จึงตรวจเนื้อหาไม่ได้{why}",
        "The PDF's text reads as garbage (e.g. '{sample}'): it uses an old Thai font encoding, so content "
        "could not be checked{why_en}",
        "ไฟล์ PDF ใช้ฟอนต์ภาษาไทยแบบเก่า (ไม่ใช่ Unicode) ให้เปิดไฟล์ต้นฉบับ เปลี่ยนเป็นฟอนต์ Unicode "
        "เช่น TH Sarabun New แล้วส่งออกเป็น PDF ใหม่ ผู้ประเมินจึงค้นหาและคัดลอกข้อความได้",
        "The PDF uses an old Thai font encoding; re-export it with a Unicode font (e.g. TH Sarabun New) so that "
        "assessors can search and copy its text"),
    R.CORRUPT_FILE: _t(
        "ไฟล์เสียหาย เปิดอ่านไม่ได้ ({detail})", "The file is damaged and cannot be opened ({detail})",
        "เปิดไฟล์ต้นฉบับแล้วบันทึกเป็น PDF ใหม่ อัปโหลดอีกครั้ง และลองเปิดจากเว็บไซต์ด้วยตนเอง",
        "Save the original as PDF again, upload it again, and open it from the website to check"),
    R.TOO_LARGE: _t(
        "ไฟล์ขยายตัวเมื่อแตกไฟล์ใหญ่เกินขีดจำกัด จึงไม่อ่าน ({detail})",
        "The file expands beyond the size limit when unpacked, so it was not read ({detail})",
        "ลดขนาดไฟล์หรือแยกเป็นหลายไฟล์ หรือเผยแพร่เป็น PDF",
        "Make the file smaller or split it, or publish it as PDF"),
    R.LEGACY_FORMAT: _t(
        "เป็นไฟล์ Office รุ่นเก่า (.{detail}) ที่โปรแกรมยังอ่านเนื้อหาไม่ได้",
        "An old Office file (.{detail}) whose content cannot be read",
        "บันทึกเป็น .docx/.xlsx หรือ PDF แล้วเผยแพร่แทน ผู้ประเมินเปิดได้โดยไม่ต้องมีโปรแกรม Office",
        "Save it as .docx/.xlsx or PDF and publish that instead; assessors can open it without Office"),
    R.EXTRACT_TIMEOUT: _t(
        "อ่านไฟล์ไม่เสร็จภายในเวลาที่กำหนด จึงตรวจเนื้อหาไม่ได้",
        "Reading the file took longer than the time limit; content could not be checked",
        "ลดขนาดไฟล์หรือจำนวนหน้า หรือเพิ่ม [documents] timeout ใน config.toml",
        "Make the file smaller or shorter, or raise [documents] timeout in config.toml"),
    R.NEEDS_BROWSER: _t(
        "ต้องเปิดด้วยเบราว์เซอร์จึงจะตรวจได้ (เนื้อหาสร้างด้วย JavaScript หรือเป็นหน้าสื่อสังคมออนไลน์) "
        "แต่การตรวจครั้งนี้ไม่ได้ใช้เบราว์เซอร์",
        "A browser is needed to check it (content built by JavaScript, or a social-network page), "
        "and this run used none",
        "ติดตั้ง Chromium (sudo apt-get install chromium fonts-thai-tlwg) แล้วตรวจซ้ำด้วย --browser auto "
        "หรือให้ข้อมูลแสดงใน HTML โดยตรง",
        "Install Chromium (sudo apt-get install chromium fonts-thai-tlwg) and check again with "
        "--browser auto, or serve the content in the HTML itself"),
    # browser (oit_checker/fetch/browser.py) and social networks (oit_checker/social.py)
    R.BROWSER_CRASHED: _t(
        "เบราว์เซอร์หยุดทำงานระหว่างเปิดหน้านี้ จึงตรวจไม่ได้ ({detail})",
        "The browser crashed while opening this page; could not check ({detail})",
        "ตรวจซ้ำ ถ้ายังเกิดอีกให้ลด [browser] max_pages หรือเพิ่มหน่วยความจำของเครื่องที่ตรวจ",
        "Check again; if it happens again, lower [browser] max_pages or give this machine more memory"),
    R.BROWSER_FAILED: _t(
        "เบราว์เซอร์เปิดหน้านี้ไม่สำเร็จ จึงตรวจไม่ได้ ({detail})",
        "The browser could not open this page; could not check ({detail})",
        "เปิดหน้านี้ด้วยเบราว์เซอร์ด้วยตนเอง ถ้าหน้าโหลดช้าให้เพิ่ม [browser] page_timeout",
        "Open the page in a browser by hand; for a slow page raise [browser] page_timeout"),
    R.SOCIAL_PUBLIC: _t(
        "หน้า {network} เปิดดูได้โดยไม่ต้องเข้าสู่ระบบ ({why})",
        "The {network} page is visible without logging in ({why_en})"),
    R.PRIVATE_SOCIAL: _t(
        "หน้า {network} ไม่เปิดให้บุคคลทั่วไปดู: {why}",
        "The {network} page is not visible to the public: {why_en}",
        "ตั้งค่าเพจหรือบัญชีเป็นสาธารณะ ยกเลิกการจำกัดอายุหรือประเทศ แล้วลองเปิดโดยไม่เข้าสู่ระบบ",
        "Make the page or account public, remove age or country limits, then open it logged out to check"),
    R.SOCIAL_UNCLEAR: _t(
        "เปิดหน้า {network} ได้ แต่ไม่พบชื่อบัญชีและโพสต์ จึงบอกไม่ได้ว่าเป็นสาธารณะหรือไม่",
        "The {network} page opened, but no profile name and posts were found; cannot tell if it is public",
        "เปิดหน้านี้ด้วยตนเองโดยไม่เข้าสู่ระบบ ถ้าเว็บไซต์เปลี่ยนรูปแบบ ให้ปรับกฎใน [browser] social_rules",
        "Open the page by hand, logged out; if the site changed its pages, update [browser] social_rules"),
    R.UNSUPPORTED_FORMAT: _t(
        "ยังอ่านไฟล์ชนิดนี้ไม่ได้ ({detail})", "This file type cannot be read yet ({detail})",
        "เผยแพร่เป็น HTML หรือ PDF ที่มีข้อความ", "Publish it as HTML or a text-based PDF"),
    R.EXTRACT_FAILED: _t(
        "อ่านเนื้อหาไฟล์ไม่สำเร็จ ({detail})", "Could not read the file's content ({detail})",
        "ตรวจสอบว่าไฟล์ไม่เสียหายและไม่ได้เข้ารหัสผ่าน", "Check that the file is not damaged or password-protected"),
})
"""One entry per ``Reason`` (a test keeps the keys equal to the enum)."""
del R, _t

STATUS_LABELS = {
    "th": {Status.PASS: "ผ่าน", Status.WARN: "ควรตรวจ", Status.FAIL: "ไม่ผ่าน", Status.UNVERIFIED: "ตรวจไม่ได้"},
    "en": {Status.PASS: "pass", Status.WARN: "warn", Status.FAIL: "fail", Status.UNVERIFIED: "unverified"},
}

UI: dict[str, dict[str, str]] = {
    "th": {
        "title": "ผลการตรวจ OIT: {agency}",
        "checklist": "รายการตรวจ {checklist} (ปีประเมิน พ.ศ. {year})",
        "choice_default": "ไม่ได้กำหนด [audit] checklist จึงใช้รายการทั่วไปล่าสุดที่มีในโปรแกรม: {checklist} (ปี {year}) "
                          "กำหนดเองได้ที่ [audit] checklist ใน config.toml (ดูรายการด้วย oit-checker checklist list)",
        "choice_other_year": "ขณะนี้เป็นรอบการประเมิน ITA ปี {current} แต่รายการ {checklist} เป็นของปี {year}: "
                             "ตรวจรายการข้อกับคู่มือการประเมินของ ป.ป.ช. ปี {current} ก่อนส่ง",
        "choice_partial": "รายการ {checklist} ยังไม่ครบทุกข้อ: ข้อที่ไม่มีในรายการไม่ได้ตรวจ "
                          "ให้ตรวจข้อที่เหลือด้วยตนเองตามคู่มือ ป.ป.ช.",
        "choice_unverified": "{count} ข้อยังไม่มีแหล่งยืนยันชื่อและเกณฑ์ ({codes}): "
                             "ถ้าข้อเหล่านี้ไม่ผ่าน ให้เทียบเกณฑ์กับคู่มือ ป.ป.ช. ก่อนแก้เว็บไซต์",
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
        "screenshot": "ภาพหน้าจอ: {path}",
        "evidence_url": "หลักฐาน: {path}",
        "evidence_dir": "หลักฐานของการตรวจครั้งนี้ (ภาพหน้าจอ ข้อความ ส่วนหัว HTTP และ sha256): {path}",
        "hint_no_browser": "ไม่พบเบราว์เซอร์ Chromium ({detail}) หน้าที่ต้องเปิดด้วยเบราว์เซอร์จึง 'ตรวจไม่ได้': "
                           "ติดตั้งด้วย sudo apt-get install chromium fonts-thai-tlwg "
                           "หรือระบุ [browser] executable_path ใน config.toml",
        "hint_browser_off": "การตรวจครั้งนี้ไม่ใช้เบราว์เซอร์ (--browser never) หน้าที่ต้องเปิดด้วยเบราว์เซอร์จึง "
                            "'ตรวจไม่ได้': ตรวจซ้ำด้วย --browser auto",
        "hint_browser_failed": "เบราว์เซอร์มีปัญหา ({detail}) หน้าที่ต้องเปิดด้วยเบราว์เซอร์จึง 'ตรวจไม่ได้'",
        # history, schedule, notifications, deadline (issue 6)
        "state_running": "กำลังตรวจ",
        "state_complete": "สมบูรณ์",
        "state_incomplete": "ไม่สมบูรณ์",
        "state_failed": "ล้มเหลว",
        "state_interrupted": "ถูกขัดจังหวะ",
        "stored_run": "บันทึกผลการตรวจแล้ว: รอบ {run} ใน {path}",
        "notify_sent": "แจ้งเตือนทาง {channel} แล้ว ({detail})",
        "notify_failed": "ส่งแจ้งเตือนทาง {channel} ไม่สำเร็จ: {detail}",
        "notify_subject": "[oit-checker] {agency}: {what}",
        "notify_subject_failed": "[oit-checker] {agency}: การตรวจไม่สำเร็จ",
        "notify_kind_regressed": "แย่ลง",
        "notify_kind_recovered": "กลับมาผ่าน",
        "notify_kind_changed": "เปลี่ยนสถานะ",
        "notify_heading": "ผลการตรวจ OIT ของ {agency}",
        "notify_run": "รอบการตรวจ {run} ({when} เวลาประเทศไทย)",
        "notify_run_failed": "การตรวจรอบนี้ไม่สำเร็จ: {error}",
        "notify_event_streak": "{code} {name}: {kind} {before} → {after} ({streak} ครั้งติดต่อกัน)",
        "notify_event": "{code} {name}: {kind} {before} → {after}",
        "notify_reason": "เหตุผล: {message} [{reason}]",
        "notify_footer": "เว็บไซต์: {homepage} · ดูประวัติ: oit-checker history · เทียบสองรอบล่าสุด: oit-checker diff",
        "deadline_days_left": "เหลืออีก {days} วันถึงกำหนดส่งข้อมูลในระบบ ITAS ({date})",
        "deadline_today": "วันนี้เป็นวันสุดท้ายของการส่งข้อมูลในระบบ ITAS ({date})",
        "deadline_passed": "เลยกำหนดส่งข้อมูลในระบบ ITAS ({date}) มาแล้ว {days} วัน",
        "deadline_still_failing": "ยังไม่ผ่าน {count} ข้อ: {codes}",
        "history_title": "ประวัติการตรวจ ({db})",
        "history_empty": "ยังไม่มีประวัติการตรวจใน {db}",
        "history_run": "รอบการตรวจ",
        "history_started": "เริ่ม (เวลาไทย)",
        "history_state": "สถานะ",
        "history_items": "ข้อ",
        "history_trend_title": "รายข้อในรอบล่าสุด {run}",
        "history_item": "ข้อ",
        "history_verdict": "ผล",
        "history_streak": "ไม่ผ่านติดต่อกัน",
        "history_reason": "เหตุผล",
        "history_item_title": "ประวัติข้อ {code}",
        "trend_failing": "{runs} ครั้ง (ตั้งแต่ {since})",
        "diff_title": "เทียบผลการตรวจ {a} → {b}",
        "diff_regressed": "แย่ลง",
        "diff_recovered": "ดีขึ้น",
        "diff_changed": "เปลี่ยนสถานะ",
        "diff_reason_changed": "ผลเดิม เหตุผลเปลี่ยน",
        "diff_added": "ตรวจเฉพาะรอบหลัง",
        "diff_removed": "ตรวจเฉพาะรอบแรก",
        "diff_none": "ไม่มีข้อใดเปลี่ยนแปลง",
        "diff_summary": "แย่ลง {regressed} · ดีขึ้น {recovered} · เปลี่ยนอื่น ๆ {other}",
        "schedule_started": "เริ่มตรวจตามกำหนดเวลา cron \"{cron}\" ({zone}); รอบถัดไป {next}; ประวัติ {db}; ล็อก {lock}",
        "schedule_run_done": "รอบ {run}: {state} ใน {seconds} วินาที: {outcome}; แจ้งเตือน: {told}; รอบถัดไป {next}",
        "schedule_interrupted": "ยกเลิกรอบ {run} ที่กำลังตรวจเพราะได้รับคำสั่งหยุด (บันทึกว่าถูกขัดจังหวะ)",
        "schedule_locked": "ข้ามรอบนี้: มีการตรวจอื่นถือล็อก {lock} อยู่",
        "schedule_run_error": "รอบนี้ทำงานไม่สำเร็จ: {error}",
        "schedule_missed": "พลาดรอบ {when}: เลยเวลาผ่อนผัน {grace} วินาทีแล้ว (เครื่องปิดหรือหลับอยู่)",
        "schedule_busy": "ข้ามรอบนี้: รอบก่อนหน้ายังตรวจไม่เสร็จ",
        "schedule_stopping": "ได้รับ {signal}: หยุดการตรวจตามกำหนดเวลา",
        "schedule_stopped": "หยุดแล้ว",
        # crawl and discover (issue 4)
        "crawl_progress": "กำลังสำรวจเว็บไซต์หลัก ({pages} หน้า)",
        "crawl_summary": "สำรวจเว็บไซต์หลัก {pages} หน้า ลึกสุด {depth} คลิกจากหน้าแรก ใน {seconds} วินาที",
        "crawl_limited": "การสำรวจหยุดที่ขีดจำกัด {limit} (max_pages {max_pages}, max_depth {max_depth}): หน้าที่ลึกกว่านั้นยังไม่ได้ตรวจ",
        "crawl_robots": "robots.txt ห้ามสำรวจ {blocked} หน้าที่มีลิงก์อยู่",
        "crawl_unread": "เปิดหน้าที่มีลิงก์อยู่ไม่ได้ {count} หน้า จึงยังไม่เห็นลิงก์บนหน้าเหล่านั้น",
        "broken_links_title": "ลิงก์เสียหรือเปิดไม่ได้บนหน้า OIT ({count} ลิงก์ จาก {pages} หน้า)",
        "broken_links_none": "ลิงก์บนหน้า OIT ({pages} หน้า) เปิดได้ทั้งหมด",
        "broken_link_on": "บนหน้า",
        "broken_link_more": "และอีก {count} หน้า",
        "discover_title": "URL ที่แนะนำสำหรับแต่ละข้อ: {agency}",
        "discover_none": "ไม่พบหน้าที่ตรงกับข้อนี้",
        "discover_proposed": "แนะนำ",
        "discover_score": "คะแนน",
        "discover_reason": "เหตุผล",
        "discover_link_text": "ข้อความลิงก์ “{text}” ตรงกับชื่อข้อ ({similarity}%)",
        "discover_context_match": "ข้อความรอบลิงก์ (แถวในตาราง/รายการ) ตรงกับชื่อข้อ ({similarity}%)",
        "discover_unchecked": "ตรวจไม่ได้ขณะสำรวจ ({problem}) ควรเปิดดูด้วยตนเอง",
        "discover_title_match": "ชื่อหน้าตรงกับชื่อข้อ ({similarity}%)",
        "discover_heading_match": "หัวข้อ “{text}” ตรงกับชื่อข้อ ({similarity}%)",
        "discover_elements": "พบองค์ประกอบ {found}/{total}",
        "discover_code": "ระบุเลขข้อ {code} ไว้ใกล้ลิงก์",
        "discover_url_code": "URL มีเลขข้อ {code}",
        "discover_other_code": "อยู่ในแถวของข้อ {other}",
        "discover_social": "ลิงก์ไปยังบัญชี {host} จากเว็บไซต์หลัก",
        "discover_broken": "เปิดไม่ได้ขณะสำรวจ ({problem}) ต้องแก้ก่อนกรอกใน ITAS",
        "discover_index_page": "เป็นหน้ารวมลิงก์ของหลายข้อ",
        "discover_clicks": "{clicks} คลิกจากหน้าแรก",
        "discover_orphan": "ไม่มีลิงก์จากเว็บไซต์หลัก (พบจาก sitemap)",
        "discover_written": "เขียน [items] ลงไฟล์แล้ว: {path}",
        "discover_config_updated": "เติม URL ที่แนะนำลงใน {path} แล้ว {count} ข้อ (ข้อที่มี URL อยู่แล้วไม่ถูกแก้)",
        "discover_hint": "ตรวจ URL ที่แนะนำด้วยตนเองก่อนใช้ แล้วใช้ --write หรือ -o items.toml เพื่อได้ตาราง [items] สำหรับ config.toml",
        "discover_toml_header": "URL ที่ oit-checker discover แนะนำ ({date}) ตรวจด้วยตนเองก่อนกรอกใน ITAS",
        "discover_toml_none": "ยังไม่พบ: ใส่ URL เอง",
        # reports (html, markdown, junit, itas-csv)
        "report_doc_title": "รายงานผลการตรวจการเปิดเผยข้อมูลสาธารณะ (OIT)",
        "report_homepage": "เว็บไซต์หลัก",
        "report_checked_at": "ตรวจเมื่อ",
        "report_run": "รหัสการตรวจ",
        "report_summary": "สรุปผล",
        "report_total": "ทั้งหมด",
        "report_count": "จำนวน",
        "report_verdict": "ผลการตรวจ",
        "report_verdicts": "ผลรายข้อ",
        "report_items_count": "{n} ข้อ",
        "report_no_group": "ไม่ระบุหมวด",
        "report_passing": "URL ที่ผ่าน",
        "report_title_label": "ชื่อหน้า",
        "report_heading_label": "หัวข้อ",
        "report_year_label": "ปีงบประมาณ {year}",
        "report_click_path": "เส้นทางจากหน้าแรก",
        "report_homepage_hop": "หน้าแรก",
        "report_redirects": "การเปลี่ยนเส้นทาง",
        "report_snippets": "ข้อความที่พบ",
        "report_screenshot": "ภาพหน้าจอ",
        "report_screenshot_zoom": "คลิกเพื่อขยาย/ย่อ",
        "report_screenshot_missing": "ไม่พบไฟล์ภาพหน้าจอ {path}",
        "report_screenshot_full": "ภาพเต็ม",
        "report_generated": "สร้างโดย oit-checker {version}",
        "report_crawl": "การสำรวจเว็บไซต์หลักและลิงก์บนหน้า OIT",
        "csv_code": "ข้อ",
        "csv_name": "ชื่อข้อ",
        "csv_url": "URL ที่กรอกในระบบ ITAS",
        "csv_explanation": "คำอธิบายเพิ่มเติม",
        "csv_explanation_en": "คำอธิบาย (ภาษาอังกฤษ)",
        "csv_status": "ผลการตรวจ",
        "csv_todo": "สิ่งที่ต้องแก้ก่อนกรอก",
        "explain_click_path": "เข้าถึงได้จากหน้าแรกของเว็บไซต์หลักใน {clicks} คลิก: {path}",
        "explain_file": "ข้อมูลอยู่ในไฟล์ {kind} “{title}”",
        "explain_page": "ข้อมูลอยู่ในหน้า “{title}”",
        "explain_heading": "หัวข้อ “{heading}”",
        "explain_year": "เป็นข้อมูลปีงบประมาณ พ.ศ. {year}",
        "explain_elements": "ประกอบด้วย {found}",
        "explain_linked_files": "หลักฐานอยู่ในไฟล์ที่หน้านี้ลิงก์ไว้: {files}",
        "output_stdout_twice": "ส่งรายงานออกทางหน้าจอได้เพียงรูปแบบเดียว: ระบุ -o FILE ให้ --format {formats}",
        "output_same_file": "ไฟล์ {path} ถูกระบุให้รายงานมากกว่าหนึ่งรูปแบบ",
        "output_write_failed": "เขียนรายงานลงไฟล์ {path} ไม่ได้ ({detail})",
        "discover_carried": "ยกมาจาก URL ของข้อ {code} ในรายการ {checklist}: เปิดดูว่าหน้ายังตรงกับชื่อข้อใหม่ก่อนใช้",
        "checklist_valid": "ใช้ได้: {id}  ปี พ.ศ. {year}  ประเภท {kind}  {count} ข้อ{partial}",
        "checklist_partial": " (ยังไม่ครบ)",
        "checklist_warning": "คำเตือน",
        "checklist_warnings": "คำเตือน {count} รายการ (ไม่ใช่ข้อผิดพลาด: ไฟล์ใช้ได้)",
        "checklist_written": "เขียน {path} แล้ว (id {id}, {count} ข้อ จาก {source}) แก้ไขแล้วตรวจด้วย: oit-checker checklist check {path}",
        "checklist_diff_title": "{old} (ปี {old_year}) → {new} (ปี {new_year})",
        "checklist_similarity": "ความคล้าย",
        "checklist_change": "เปลี่ยนอย่างไร",
        "checklist_change_unchanged": "เหมือนเดิม",
        "checklist_change_renamed": "เปลี่ยนชื่อ",
        "checklist_change_renumbered": "เปลี่ยนเลขข้อ",
        "checklist_change_merged": "รวมข้อ",
        "checklist_change_split": "แยกข้อ",
        "checklist_change_added": "ข้อใหม่",
        "checklist_change_dropped": "ตัดออก",
        "checklist_warn_bundled_id": "id {id} ซ้ำกับรายการที่มากับโปรแกรม รายงานจะสับสนกัน ให้เปลี่ยน id",
        "checklist_warn_duplicate_name": "ชื่อเดียวกับข้อ {other}: ตรวจว่าพิมพ์ชื่อข้อถูกต้อง",
        "checklist_warn_no_elements": "ไม่มี elements: ไม่ตรวจเนื้อหาของข้อนี้ (ตรวจเฉพาะลิงก์ ปี และตำแหน่ง)",
        "checklist_warn_phrase_is_item_name": "วลี “{phrase}” คือชื่อข้อทั้งชื่อ ซึ่งพบได้ทุกที่ที่มีชื่อเอกสาร: ให้ใช้วลีที่อยู่ในเนื้อหาของเอกสารแทน",
    },
    "en": {
        "title": "OIT audit: {agency}",
        "checklist": "Checklist {checklist} (assessment year B.E. {year})",
        "choice_default": "No [audit] checklist is set, so the newest bundled general list is used: {checklist} ({year}); "
                          "set [audit] checklist in config.toml to choose (see oit-checker checklist list)",
        "choice_other_year": "ITA {current} is being assessed now, but {checklist} is the {year} list: "
                             "check the items against the NACC manual for {current} before submitting",
        "choice_partial": "{checklist} is partial: items not in it are not checked; check those by hand against "
                          "the NACC manual",
        "choice_unverified": "{count} items have no source confirming their name and rules ({codes}): "
                             "check the rule before acting on a fail there",
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
        "screenshot": "Screenshot: {path}",
        "evidence_url": "Evidence: {path}",
        "evidence_dir": "Evidence of this run (screenshots, text, HTTP headers, sha256): {path}",
        "hint_no_browser": "No Chromium browser found ({detail}); pages that need a browser are 'unverified': "
                           "install it with sudo apt-get install chromium fonts-thai-tlwg, "
                           "or set [browser] executable_path in config.toml",
        "hint_browser_off": "This run used no browser (--browser never); pages that need one are 'unverified': "
                            "check again with --browser auto",
        "hint_browser_failed": "The browser failed ({detail}); pages that need a browser are 'unverified'",
        # history, schedule, notifications, deadline (issue 6)
        "state_running": "running",
        "state_complete": "complete",
        "state_incomplete": "incomplete",
        "state_failed": "failed",
        "state_interrupted": "interrupted",
        "stored_run": "Run {run} saved in {path}",
        "notify_sent": "Notified by {channel} ({detail})",
        "notify_failed": "Could not notify by {channel}: {detail}",
        "notify_subject": "[oit-checker] {agency}: {what}",
        "notify_subject_failed": "[oit-checker] {agency}: the audit failed",
        "notify_kind_regressed": "regressed",
        "notify_kind_recovered": "recovered",
        "notify_kind_changed": "changed",
        "notify_heading": "OIT audit of {agency}",
        "notify_run": "Run {run} ({when} Thailand time)",
        "notify_run_failed": "This run failed: {error}",
        "notify_event_streak": "{code} {name}: {kind} {before} → {after} ({streak} runs in a row)",
        "notify_event": "{code} {name}: {kind} {before} → {after}",
        "notify_reason": "Reason: {message} [{reason}]",
        "notify_footer": "Website: {homepage} · history: oit-checker history · last two runs: oit-checker diff",
        "deadline_days_left": "{days} days left until the ITAS submission deadline ({date})",
        "deadline_today": "Today is the ITAS submission deadline ({date})",
        "deadline_passed": "The ITAS submission deadline ({date}) passed {days} days ago",
        "deadline_still_failing": "{count} items still fail: {codes}",
        "history_title": "Audit history ({db})",
        "history_empty": "No audit history yet in {db}",
        "history_run": "Run",
        "history_started": "Started (Thailand)",
        "history_state": "State",
        "history_items": "Items",
        "history_trend_title": "Items in the latest run {run}",
        "history_item": "Item",
        "history_verdict": "Verdict",
        "history_streak": "Failing in a row",
        "history_reason": "Reason",
        "history_item_title": "History of item {code}",
        "trend_failing": "{runs} runs (since {since})",
        "diff_title": "Runs compared: {a} → {b}",
        "diff_regressed": "regressed",
        "diff_recovered": "recovered",
        "diff_changed": "status changed",
        "diff_reason_changed": "same verdict, reason changed",
        "diff_added": "only in the later run",
        "diff_removed": "only in the earlier run",
        "diff_none": "No item changed",
        "diff_summary": "{regressed} regressed · {recovered} recovered · {other} other changes",
        "schedule_started": "Scheduled audits on cron \"{cron}\" ({zone}); next run {next}; history {db}; lock {lock}",
        "schedule_run_done": "Run {run}: {state} in {seconds} s: {outcome}; notified: {told}; next run {next}",
        "schedule_interrupted": "Run {run} cancelled because of the stop request (recorded as interrupted)",
        "schedule_locked": "Run skipped: another audit holds the lock {lock}",
        "schedule_run_error": "This run could not work: {error}",
        "schedule_missed": "Missed the run of {when}: more than {grace} s late (the machine was off or asleep)",
        "schedule_busy": "Run skipped: the previous run has not finished",
        "schedule_stopping": "Received {signal}: stopping the scheduled audits",
        "schedule_stopped": "Stopped",
        # crawl and discover (issue 4)
        "crawl_progress": "Crawling the main website ({pages} pages)",
        "crawl_summary": "Crawled {pages} pages of the main website, up to {depth} clicks from the homepage, in {seconds} s",
        "crawl_limited": "The crawl stopped at its {limit} limit (max_pages {max_pages}, max_depth {max_depth}): deeper pages were not checked",
        "crawl_robots": "robots.txt keeps the crawl out of {blocked} linked pages",
        "crawl_unread": "{count} linked pages could not be opened, so their links were not seen",
        "broken_links_title": "Broken or unreachable links on the OIT pages ({count} links on {pages} pages)",
        "broken_links_none": "Every link on the OIT pages ({pages} pages) opens",
        "broken_link_on": "on",
        "broken_link_more": "and {count} more pages",
        "discover_title": "Suggested URLs per item: {agency}",
        "discover_none": "No page matches this item",
        "discover_proposed": "proposed",
        "discover_score": "score",
        "discover_reason": "why",
        "discover_link_text": "link text “{text}” matches the item name ({similarity}%)",
        "discover_context_match": "the text around the link (table row, list item) matches the item name ({similarity}%)",
        "discover_unchecked": "could not be checked during the crawl ({problem}): open it by hand",
        "discover_title_match": "page title matches the item name ({similarity}%)",
        "discover_heading_match": "heading “{text}” matches the item name ({similarity}%)",
        "discover_elements": "{found}/{total} elements found",
        "discover_code": "item number {code} next to the link",
        "discover_url_code": "the URL carries item number {code}",
        "discover_other_code": "in the row of item {other}",
        "discover_social": "link to a {host} account from the main website",
        "discover_broken": "did not open during the crawl ({problem}): fix it before submitting to ITAS",
        "discover_index_page": "an index page linking to several items",
        "discover_clicks": "{clicks} clicks from the homepage",
        "discover_orphan": "not linked from the main website (found in the sitemap)",
        "discover_written": "[items] written to {path}",
        "discover_config_updated": "Filled the proposed URLs of {count} items into {path} (items that had URLs were left alone)",
        "discover_hint": "Check each proposal by hand, then use --write, or -o items.toml for an [items] block for config.toml",
        "discover_toml_header": "URLs proposed by oit-checker discover ({date}); check them by hand before submitting to ITAS",
        "discover_toml_none": "not found: add the URL by hand",
        # reports (html, markdown, junit, itas-csv)
        "report_doc_title": "Public information disclosure (OIT) audit report",
        "report_homepage": "Main website",
        "report_checked_at": "Checked",
        "report_run": "Run",
        "report_summary": "Summary",
        "report_total": "Items",
        "report_count": "Count",
        "report_verdict": "Verdict",
        "report_verdicts": "Verdict per item",
        "report_items_count": "{n} items",
        "report_no_group": "No group",
        "report_passing": "passing URL",
        "report_title_label": "Page title",
        "report_heading_label": "Heading",
        "report_year_label": "Fiscal year {year}",
        "report_click_path": "Click path from the homepage",
        "report_homepage_hop": "Homepage",
        "report_redirects": "Redirects",
        "report_snippets": "Matched text",
        "report_screenshot": "Screenshot",
        "report_screenshot_zoom": "Click to enlarge or shrink",
        "report_screenshot_missing": "Screenshot file not found: {path}",
        "report_screenshot_full": "Full size",
        "report_generated": "Generated by oit-checker {version}",
        "report_crawl": "Crawl of the main website and links on the OIT pages",
        "csv_code": "Item",
        "csv_name": "Item name",
        "csv_url": "URL to submit in ITAS",
        "csv_explanation": "คำอธิบายเพิ่มเติม (Thai, to paste into ITAS)",
        "csv_explanation_en": "Explanation (English)",
        "csv_status": "Verdict",
        "csv_todo": "To fix before submitting",
        "explain_click_path": "Reached from the main website's homepage in {clicks} click(s): {path}.",
        "explain_file": "The information is in the {kind} file “{title}”.",
        "explain_page": "The information is on the page “{title}”.",
        "explain_heading": "Heading: “{heading}”.",
        "explain_year": "It covers fiscal year B.E. {year}.",
        "explain_elements": "It includes: {found}.",
        "explain_linked_files": "The evidence is in the file(s) this page links: {files}.",
        "output_stdout_twice": "Only one report can go to standard output: give -o FILE for --format {formats}",
        "output_same_file": "{path} is given for more than one report format",
        "output_write_failed": "Cannot write the report to {path} ({detail})",
        "discover_carried": "carried over from item {code} of {checklist}: open it and check it still fits the new item",
        "checklist_valid": "valid: {id}  B.E. {year}  kind {kind}  {count} items{partial}",
        "checklist_partial": " (partial)",
        "checklist_warning": "warning",
        "checklist_warnings": "{count} warnings (not errors: the file is valid)",
        "checklist_written": "wrote {path} (id {id}, {count} items from {source}); edit it, then: oit-checker checklist check {path}",
        "checklist_diff_title": "{old} (B.E. {old_year}) → {new} (B.E. {new_year})",
        "checklist_similarity": "similarity",
        "checklist_change": "change",
        "checklist_change_unchanged": "unchanged",
        "checklist_change_renamed": "renamed",
        "checklist_change_renumbered": "renumbered",
        "checklist_change_merged": "merged",
        "checklist_change_split": "split",
        "checklist_change_added": "added",
        "checklist_change_dropped": "dropped",
        "checklist_warn_bundled_id": "id {id} is a bundled list's id: reports would confuse the two; change it",
        "checklist_warn_duplicate_name": "the same name as {other}: check the item's name",
        "checklist_warn_no_elements": "no elements: the content of this item is not checked (only its links, year and placement)",
        "checklist_warn_phrase_is_item_name": "the phrase “{phrase}” is the whole item name, found wherever the document's title is: use a phrase from the document's content instead",
    },
}


class _Blank(dict[str, Any]):
    """Leaves an unknown placeholder visible instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def reason_message(reason: str, params: dict[str, Any], lang: str) -> str:
    """The finding's message in ``lang``; an unknown code is shown as itself."""
    code = as_reason(reason)
    if code is None:
        return reason
    entry = REASON_TEXT[code]
    return (entry.en if lang == "en" else entry.th).format_map(_Blank(params))


FIX_VARIANTS: Final[Mapping[tuple[Reason, str], tuple[str, str]]] = MappingProxyType({
    (Reason.DNS_ERROR, "own_host"): (
        "ชื่อโดเมนนี้อยู่ในเว็บไซต์ของหน่วยงานแต่ไม่มีอยู่จริงขณะที่หน้าแรกเปิดได้ ผู้ประเมินจะเปิดไม่ได้เช่นกัน "
        "ให้แก้ลิงก์ให้ชี้ไปยังหน้าที่มีอยู่ หรือเพิ่มชื่อโดเมนใน DNS",
        "This host is on the agency's site and does not resolve while the homepage answers: assessors cannot "
        "open it either. Fix the link, or add the host name to the DNS"),
    (Reason.CONNECT_ERROR, "own_host"): (
        "เซิร์ฟเวอร์ของหน่วยงานไม่ตอบที่ URL นี้ขณะที่หน้าแรกเปิดได้ ผู้ประเมินจะเปิดไม่ได้เช่นกัน "
        "ให้เปิดบริการเซิร์ฟเวอร์นี้ หรือแก้ลิงก์ให้ชี้ไปยังหน้าที่เปิดได้",
        "The agency's server does not answer at this URL while the homepage does: assessors cannot open it "
        "either. Bring the server up, or fix the link to point to a page that opens"),
})
"""Fixes that depend on the case, chosen by the finding's ``fix`` parameter (a dead URL on the agency's
own host is a ``fail`` with its own fix)."""


def reason_fix(reason: str, params: dict[str, Any], lang: str) -> str:
    """The suggested fix in ``lang`` ('' when the finding needs none)."""
    code = as_reason(reason)
    if code is None:
        return ""
    variant = FIX_VARIANTS.get((code, str(params.get("fix", ""))))
    if variant is not None:
        return variant[1 if lang == "en" else 0].format_map(_Blank(params))
    entry = REASON_TEXT[code]
    return (entry.fix_en if lang == "en" else entry.fix_th).format_map(_Blank(params))


# The fleet's reports (report/fleet.py) and the owner's summary (notify/fleet_message.py).
_FLEET_REPORT: dict[str, dict[str, str]] = {
    "th": {
        "title": "รายงานรวมหลายหน่วยงาน: {name}",
        "eyebrow": "ผลตรวจ OIT หลายหน่วยงาน",
        "run": "รอบตรวจ", "mode": "โหมด", "started": "เริ่ม", "finished": "เสร็จ", "version": "รุ่นเครื่องมือ",
        "agency": "หน่วยงาน", "state": "สถานะการตรวจ", "counts": "จำนวนข้อ",
        "checklist": "แบบตรวจ {id}",
        "summary": "{agencies} หน่วยงาน · ไม่ผ่าน {fail} · ตรวจไม่ได้ {unverified} · เตือน {warn} · ผ่าน {passed}"
                   " (หน่วยงานตามผลที่แย่ที่สุด) · รหัสออก {exit_code}",
        "items_total": "รวมทุกข้อ: ผ่าน {pass} · เตือน {warn} · ไม่ผ่าน {fail} · ตรวจไม่ได้ {unverified}",
        "states": "สถานะ: {states}",
        "no_url": "ไม่ได้ระบุ URL", "not_checked": "ไม่ได้ตรวจ", "proposed": "URL ที่ระบบเสนอ (--discover)",
        "too_wide": "ตาราง {n} ข้อกว้างเกินหน้าจอ: แสดงเฉพาะจำนวน ดูตารางเต็มด้วย --format html",
        "worst": "หน่วยงานที่ต้องแก้ไขมากที่สุด", "none_worst": "ไม่มีหน่วยงานที่ต้องแก้ไข",
        "error": "ข้อผิดพลาด",
        "state_complete": "ตรวจครบ", "state_incomplete": "ตรวจไม่สำเร็จ", "state_failed": "ล้มเหลว",
        "state_pending": "รอตรวจ", "state_running": "กำลังตรวจ", "state_interrupted": "ถูกขัดจังหวะ",
        "generated": "สร้างโดย oit-checker {version}",
    },
    "en": {
        "title": "Fleet report: {name}",
        "eyebrow": "OIT checks of many agencies",
        "run": "Fleet run", "mode": "Mode", "started": "Started", "finished": "Finished", "version": "Tool version",
        "agency": "Agency", "state": "Run state", "counts": "Items",
        "checklist": "Checklist {id}",
        "summary": "{agencies} agencies · failing {fail} · unverified {unverified} · warning {warn} · passing {passed}"
                   " (agencies by worst verdict) · exit code {exit_code}",
        "items_total": "All items: pass {pass} · warn {warn} · fail {fail} · unverified {unverified}",
        "states": "States: {states}",
        "no_url": "no URL given", "not_checked": "not checked", "proposed": "URL proposed by --discover",
        "too_wide": "The grid of {n} items is wider than the screen: counts only; see --format html",
        "worst": "Agencies with most to fix", "none_worst": "No agency has anything to fix",
        "error": "Error",
        "state_complete": "complete", "state_incomplete": "incomplete", "state_failed": "failed",
        "state_pending": "pending", "state_running": "running", "state_interrupted": "interrupted",
        "generated": "Made by oit-checker {version}",
    },
}

_FLEET_NOTIFY: dict[str, dict[str, str]] = {
    "th": {
        "subject": "[oit-checker] {fleet}: ไม่ผ่าน {fail} · ตรวจไม่ได้ {unverified} · เตือน {warn} · ผ่าน {passed}"
                   " จาก {agencies} หน่วยงาน",
        "subject_failed_runs": " · ตรวจไม่สำเร็จ {n}",
        "heading": "สรุปผลตรวจ OIT หลายหน่วยงาน: {fleet}",
        "run": "รอบตรวจ {run} เริ่ม {when}",
        "failed_runs": "หน่วยงานที่ตรวจไม่สำเร็จ ({n}):",
        "newly_failing": "หน่วยงานที่เพิ่งไม่ผ่านในรอบนี้ ({n}):",
        "worst": "หน่วยงานที่ต้องแก้ไขมากที่สุด:",
        "counts": "ไม่ผ่าน {fail} ข้อ · ตรวจไม่ได้ {unverified} · เตือน {warn} · ผ่าน {passed}",
        "index": "รายงานรวม: {path}",
        "footer": "ดูความคืบหน้า: oit-checker fleet status {run}",
    },
    "en": {
        "subject": "[oit-checker] {fleet}: failing {fail} · unverified {unverified} · warning {warn} · passing {passed}"
                   " of {agencies} agencies",
        "subject_failed_runs": " · runs failed {n}",
        "heading": "OIT checks of many agencies: {fleet}",
        "run": "Fleet run {run} started {when}",
        "failed_runs": "Agencies whose audit did not complete ({n}):",
        "newly_failing": "Agencies failing since this run ({n}):",
        "worst": "Agencies with most to fix:",
        "counts": "{fail} failing · {unverified} unverified · {warn} warnings · {passed} passing",
        "index": "Fleet report: {path}",
        "footer": "Progress: oit-checker fleet status {run}",
    },
}


def _register(prefix: str, table: dict[str, dict[str, str]]) -> None:
    """Add a module's block of texts to ``UI`` under ``prefix`` (``fleet_report_title`` …)."""
    for lang, texts in table.items():
        UI[lang].update({prefix + key: text for key, text in texts.items()})


_register("fleet_report_", _FLEET_REPORT)
_register("fleet_notify_", _FLEET_NOTIFY)

# --- fleet_progress_* (WP3: fleet/progress.py, the live display of `fleet run`) -----------------
_FLEET_PROGRESS: dict[str, dict[str, str]] = {
    "th": {
        "agencies": "หน่วยงานที่ตรวจเสร็จ",
        "running": "กำลังตรวจ {agency}",
        "items": "ผลรายข้อ: ผ่าน {pass} · เตือน {warn} · ไม่ผ่าน {fail} · ตรวจไม่ได้ {unverified}",
        "not_complete": " · ตรวจไม่สำเร็จ {n} หน่วยงาน",
        "line": "[{done}/{total}] {agency}: {state} (ผ่าน {pass} · เตือน {warn} · ไม่ผ่าน {fail}"
                " · ตรวจไม่ได้ {unverified})",
        "worker_lost": "กระบวนการตรวจ {agency} หยุดกะทันหัน: เริ่มชุดกระบวนการใหม่และตรวจหน่วยงานนี้อีกครั้ง",
        "interrupted": "ได้รับสัญญาณหยุด: ไม่เริ่มหน่วยงานใหม่ หน่วยงานที่กำลังตรวจจะจบพร้อมผลบางส่วน",
    },
    "en": {
        "agencies": "Agencies done",
        "running": "Auditing {agency}",
        "items": "Items so far: pass {pass} · warn {warn} · fail {fail} · unverified {unverified}",
        "not_complete": " · {n} agency runs not complete",
        "line": "[{done}/{total}] {agency}: {state} (pass {pass} · warn {warn} · fail {fail}"
                " · unverified {unverified})",
        "worker_lost": "The worker auditing {agency} was lost: a new pool starts and audits it again",
        "interrupted": "Stop requested: no new agency starts; running audits end with partial results",
    },
}
_register("fleet_progress_", _FLEET_PROGRESS)
# --- end of fleet_progress_* ---------------------------------------------------------------------

# --- fleet_cli_* (WP7: fleet/cli.py, `oit-checker fleet run|status`) ----------------------------
_FLEET_CLI: dict[str, dict[str, str]] = {
    "th": {
        "started": "เริ่มตรวจชุดหน่วยงาน {run}: {n} หน่วยงาน ใช้ {jobs} กระบวนการ · ประวัติอยู่ที่ {db}",
        "resumed": "ตรวจต่อชุด {run}: เหลือ {left} จาก {n} หน่วยงาน ใช้ {jobs} กระบวนการ · ประวัติอยู่ที่ {db}",
        "nothing_to_resume": "ไม่มีการตรวจชุด \"{name}\" ที่ค้างอยู่ใน {db}",
        "nothing_to_resume_hint": "สั่ง `oit-checker fleet run` โดยไม่ใส่ --resume เพื่อเริ่มการตรวจชุดใหม่",
        "changed": "ไฟล์ชุดหน่วยงานถูกแก้ไขหลังเริ่มการตรวจชุด {run}",
        "changed_hint": "ตรวจต่อได้เฉพาะไฟล์เดิม: คืนไฟล์เดิม หรือสั่งโดยไม่ใส่ --resume เพื่อเริ่มการตรวจชุดใหม่",
        "other_fleet": "การตรวจชุด {run} เป็นของชุด \"{other}\" ไม่ใช่ \"{name}\"",
        "other_fleet_hint": "ใส่รหัสการตรวจชุดของไฟล์นี้ (ดูด้วย `oit-checker fleet status`) หรือใส่ --resume โดยไม่ระบุรหัส",
        "jobs": "ต้องเป็น 1 ขึ้นไป",
        "jobs_hint": "ไม่ต้องใส่ --jobs เพื่อใช้หนึ่งกระบวนการต่อ CPU",
        "progress": "การตรวจชุด {run} ({name}, {state}): รอ {pending} · กำลังตรวจ {running} · เสร็จ {done}"
                    " · ล้มเหลว {failed} จาก {total} หน่วยงาน",
        "no_runs": "ยังไม่มีการตรวจชุดหน่วยงานใน {db}",
        "still_running": "การตรวจชุด {run} ยังทำงานอยู่ในอีกกระบวนการหนึ่ง",
        "still_running_hint": "ดูความคืบหน้าด้วย `oit-checker fleet status`; ตรวจต่อได้เมื่อกระบวนการนั้นหยุดแล้ว",
        "index": "รายงานชุดหน่วยงาน: {path} (รายงานรายหน่วยงานอยู่ในโฟลเดอร์ agencies ข้างกัน)",
        "state_running": "กำลังตรวจ",
        "state_complete": "เสร็จแล้ว",
        "state_interrupted": "ค้างอยู่ (ตรวจต่อด้วย --resume)",
    },
    "en": {
        "started": "Fleet run {run}: {n} agencies, {jobs} worker processes · history: {db}",
        "resumed": "Resuming fleet run {run}: {left} of {n} agencies left, {jobs} worker processes · history: {db}",
        "nothing_to_resume": "No unfinished fleet run of \"{name}\" in {db}",
        "nothing_to_resume_hint": "run `oit-checker fleet run` without --resume to start a new fleet run",
        "changed": "The fleet file has changed since fleet run {run} began",
        "changed_hint": "only the same file can be resumed: restore it, or run without --resume to start a new "
                        "fleet run",
        "other_fleet": "Fleet run {run} belongs to fleet \"{other}\", not \"{name}\"",
        "other_fleet_hint": "give a fleet run of this file (see `oit-checker fleet status`), or --resume without one",
        "jobs": "must be 1 or more",
        "jobs_hint": "leave --jobs out to use one worker process per CPU",
        "progress": "Fleet run {run} ({name}, {state}): pending {pending} · running {running} · done {done}"
                    " · failed {failed} of {total} agencies",
        "no_runs": "No fleet run in {db} yet",
        "still_running": "Fleet run {run} is still running in another process",
        "still_running_hint": "follow it with `oit-checker fleet status`; resume it once that process has stopped",
        "index": "Fleet report: {path} (each agency's own reports are in the agencies folder next to it)",
        "state_running": "running",
        "state_complete": "complete",
        "state_interrupted": "unfinished (continue with --resume)",
    },
}
_register("fleet_cli_", _FLEET_CLI)
# --- end of fleet_cli_* --------------------------------------------------------------------------

# --- fleet_worker_* (WP6: fleet/celery_app.py, `oit-checker worker`, `fleet run --broker`) ------
_FLEET_WORKER: dict[str, dict[str, str]] = {
    "th": {
        "missing": "ยังไม่ได้ติดตั้ง Celery สำหรับการตรวจด้วยเครื่องหลายเครื่อง: สั่ง pip install 'oit-checker[workers]'",
        "not_redis": "{broker} ไม่ใช่ที่อยู่ Redis (ตัวอย่าง redis://127.0.0.1:6379/0)",
        "no_broker": "Redis ไม่ตอบที่ {broker}: {error} (เริ่ม Redis ก่อน เช่น `service redis-server start`)",
        "sqlite": "เครื่องตรวจบนเครื่องอื่นใช้ไฟล์ประวัติ SQLite {db} ร่วมกันไม่ได้: ตั้ง [storage] url ="
                  " \"postgresql://…\" ในไฟล์ชุดหน่วยงาน (หรือ OIT_CHECKER_STORAGE_URL)",
        "queued": "การตรวจชุด {run}: ส่ง {n} หน่วยงานเข้าคิว {queue} ที่ {broker} · ประวัติอยู่ที่ {db}",
        "no_wait": "ไม่รอผล: เครื่องตรวจทำงานต่อเอง ดูความคืบหน้าด้วย `oit-checker fleet status {run} --fleet {fleet}`",
        "stopped_following": "หยุดติดตามแล้ว แต่เครื่องตรวจยังทำงานต่อ: ดูด้วย `oit-checker fleet status {run} --fleet {fleet}`",
        "starting": "เครื่องตรวจเริ่มรับงานจากคิว {queue} ที่ {broker}: {concurrency} กระบวนการ,"
                    " หน่วยงานละไม่เกิน {minutes:g} นาที",
    },
    "en": {
        "missing": "Celery is not installed (needed for workers on several machines): pip install 'oit-checker[workers]'",
        "not_redis": "{broker} is not a Redis URL (for example redis://127.0.0.1:6379/0)",
        "no_broker": "Redis does not answer at {broker}: {error} (start it first, e.g. `service redis-server start`)",
        "sqlite": "Workers on other machines cannot share the SQLite history {db}: set [storage] url ="
                  " \"postgresql://…\" in the fleet file (or OIT_CHECKER_STORAGE_URL)",
        "queued": "Fleet run {run}: {n} agencies queued on {queue} at {broker} · history: {db}",
        "no_wait": "Not waiting: the workers go on; follow with `oit-checker fleet status {run} --fleet {fleet}`",
        "stopped_following": "Stopped following; the workers go on: see `oit-checker fleet status {run} --fleet {fleet}`",
        "starting": "Worker taking agencies from queue {queue} at {broker}: {concurrency} processes,"
                    " at most {minutes:g} minutes per agency",
    },
}
_register("fleet_worker_", _FLEET_WORKER)
# --- end of fleet_worker_* -----------------------------------------------------------------------

def ui(key: str, lang: str, **params: Any) -> str:
    """A UI string in ``lang``."""
    return UI["en" if lang == "en" else "th"][key].format_map(_Blank(params))


def status_label(status: Status, lang: str) -> str:
    """The status word in ``lang``."""
    return STATUS_LABELS["en" if lang == "en" else "th"][status]


SOCIAL_WHY: dict[str, tuple[str, str]] = {
    "profile_and_posts_visible": ("เห็นชื่อบัญชีและโพสต์", "the profile name and posts are visible"),
    "profile_visible": ("เห็นชื่อบัญชีและปุ่มเพิ่มเพื่อน", "the account name and the add-friend button are visible"),
    "login_required": ("ต้องเข้าสู่ระบบก่อนจึงจะเห็น", "a login is required"),
    "content_unavailable": ("แสดงว่าเนื้อหาไม่พร้อมใช้งานหรือไม่มีบัญชีนี้",
                            "it says the content is not available or the account does not exist"),
    "private_account": ("บัญชีหรือเนื้อหาตั้งเป็นส่วนตัว", "the account or content is private"),
    "age_gate": ("ต้องยืนยันอายุก่อนจึงจะเห็น", "an age check hides it"),
    "region_gate": ("ไม่เปิดให้ดูจากประเทศไทย", "it is not available in this country"),
    "bot_challenge": ("ระบบถามว่าเป็นบอตหรือไม่", "a bot challenge"),
    "no_marker": ("ไม่พบทั้งเครื่องหมายของหน้าสาธารณะและหน้าที่ถูกปิด", "no marker of a public or a closed page"),
}
"""Wording of the ``why`` codes of ``oit_checker/data/social_rules.toml`` (Thai, English)."""


def social_why(code: str) -> tuple[str, str]:
    """The Thai and English wording of a social rule's ``why`` code (the code itself when unknown)."""
    return SOCIAL_WHY.get(code, (code, code))


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
    for reason in Reason:
        meaning, text = MEANING[reason], REASON_TEXT[reason]
        fix = text.fix_th.replace("|", "\\|") or "—"
        lines.append(f"| `{reason.value}` | {meaning.check.value} | {meaning.status.value} | {text.en} | {fix} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(reasons_markdown(), end="")
