"""Issue 11 point 6: a login wall hides or replaces the content; a login box beside it does not."""

from __future__ import annotations

import pytest

from oit_checker.checklist import Item
from oit_checker.checks import Context, Page
from oit_checker.checks.public import check_public
from oit_checker.extract.html import extract_html
from oit_checker.models import FetchResult, Status

URL = "https://www.facebook.com/tambon.example"
O9 = Item(code="O9", name_th="Social Network", allowed_hosts=("facebook.com",), social=True)
CTX = Context(homepage="https://www.tambon.go.th/", domains=("tambon.go.th",), assessment_year=2568)
POSTS = "".join(f'<div role="article"><p>ประชาสัมพันธ์กิจกรรมที่ {n} ของเทศบาล</p></div>' for n in range(1, 4))
LOGIN_FORM = ('<form action="/login/"><input type="email" name="email" placeholder="อีเมลหรือโทรศัพท์">'
              '<input type="password" name="pass" placeholder="รหัสผ่าน"><button>เข้าสู่ระบบ</button></form>')
MENU = "".join(f'<li><a href="/ita/o{n}">O{n} ข้อมูลรายการ</a></li>' for n in range(1, 41))


def public_reasons(body: str, url: str = URL) -> list[tuple[str, Status]]:
    raw = f"<html><head><title>หน้าทดสอบ</title></head><body>{body}</body></html>".encode()
    page = Page(FetchResult(url=url, final_url=url, status=200, body=raw), extract_html(raw, url, "text/html"))
    return [(f.reason, f.status) for f in check_public(page, O9, CTX)]


PUBLIC = [("public", Status.PASS)]
WALL = [("login_wall", Status.FAIL)]


@pytest.mark.parametrize(("body", "expected"), [
    # the observed case: a public social page with a password box in its header
    (f'<div role="banner">{LOGIN_FORM}</div><div role="main"><h1>เทศบาลตำบลตัวอย่าง</h1>{POSTS}</div>', PUBLIC),
    # a login dialog the visitor can close, over visible posts
    (f'<div role="main"><h1>เทศบาลตำบลตัวอย่าง</h1>{POSTS}</div>'
     f'<div role="dialog"><div role="button" aria-label="Close"></div>{LOGIN_FORM}</div>', PUBLIC),
    # a Joomla login module in the side column of a short item page
    (f'<div class="container"><main><h2>O1 โครงสร้าง</h2><p>แผนผังโครงสร้างส่วนราชการ</p></main>'
     f'<div id="aside" class="span3"><div class="moduletable"><h3>สมาชิก</h3>{LOGIN_FORM}</div></div></div>', PUBLIC),
    # a closed Bootstrap login modal on every page of a Thai government template
    (f'<nav><ul>{MENU}</ul></nav><div id="content-main"><h2>O2 ผู้บริหาร</h2><p>นายตัวอย่าง นามสมมติ</p></div>'
     f'<div class="modal fade" id="loginModal" tabindex="-1" role="dialog" aria-hidden="true">{LOGIN_FORM}</div>', PUBLIC),
    # the form inside the content, next to the documents the page links
    (f'<main><h2>O10 แผนดำเนินงาน</h2><a href="/files/plan-2568.pdf">แผนปี 2568</a>{LOGIN_FORM}</main>', PUBLIC),
    # walls: a login page, a page whose main content is the form, a dialog that cannot be closed
    (f'<div id="login"><h1>เข้าสู่ระบบ</h1>{LOGIN_FORM}<a href="/recover">ลืมรหัสผ่าน</a></div>', WALL),
    (f'<nav><ul>{MENU}</ul></nav><main><h2>สำหรับเจ้าหน้าที่</h2>{LOGIN_FORM}</main><footer>อบต.ตัวอย่าง</footer>', WALL),
    (f'<div role="main"><h1>เทศบาลตำบลตัวอย่าง</h1></div><div role="dialog" aria-modal="true">'
     f'<h2>ดูเพิ่มเติมบน Facebook</h2>{LOGIN_FORM}</div>', WALL),
])
def test_login_wall_is_content_replaced_or_hidden(body: str, expected: list[tuple[str, Status]]) -> None:
    assert public_reasons(body) == expected


def test_a_login_dialog_that_cannot_be_closed_over_posts_is_unverified() -> None:
    assert public_reasons(f'<div role="main"><h1>เทศบาลตำบลตัวอย่าง</h1>{POSTS * 30}</div>'
                          f'<div role="dialog"><h2>ดูเพิ่มเติมบน Facebook</h2>{LOGIN_FORM}</div>') == [
        ("login_wall", Status.UNVERIFIED)]
