"""Main content (issue 11 point 2): what an assessor reads on Thai agency pages, not the template.

The pages are modelled on real Thai public-sector markup: a government template with a long header
and a side menu listing every OIT item, Joomla 3/4, WordPress (classic theme and Elementor), Next.js.
"""

from __future__ import annotations

import pytest

from oit_checker.checks import Context
from oit_checker.checks.text import content_lines
from oit_checker.extract.html import extract_html
from oit_checker.models import Document
from oit_checker.thai import compact

URL = "https://www.sesao99.go.th/ita/o10"
ITEMS = "".join(f'<li class="menu-item"><a href="/ita/o{n}">O{n} ข้อมูลการเปิดเผยรายการที่ {n}</a></li>'
                for n in range(1, 41))


def extract(html: str) -> Document:
    return extract_html(html.encode(), URL, "text/html; charset=utf-8")


def page(body: str, title: str = "ITA 2568") -> str:
    return f'<!DOCTYPE html><html lang="th"><head><meta charset="utf-8"><title>{title}</title></head><body>{body}</body></html>'


THAI_TEMPLATE = page(f"""
<a class="skip-to-content" href="#content-main">ข้ามไปยังเนื้อหาหลัก</a>
<div id="top-header"><div class="logo"><img src="/logo.png"><span>สำนักงานเขตพื้นที่การศึกษาประถมศึกษาตัวอย่าง เขต 99</span></div>
  <div class="topbar">โทรศัพท์ 0-2123-4567 | ภาษาไทย | English</div>
  <div id="megamenu"><ul>{ITEMS}</ul></div></div>
<div class="container"><div class="row">
  <div class="col-md-3"><div class="left-menu"><h3>การเปิดเผยข้อมูลสาธารณะ (OIT)</h3><ul>{ITEMS}</ul></div></div>
  <div class="col-md-9" id="content-main">
    <div class="content-header"><h2>O10 แผนดำเนินงานและการใช้งบประมาณประจำปี</h2></div>
    <p>แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2568 ของสำนักงาน</p>
    <ul class="nav nav-pills"><li><a href="/files/plan-2568.pdf">แผนปฏิบัติการ ปี 2568</a></li></ul>
    <a href="#">เอกสารแนบเพิ่มเติม</a> <a href="javascript:void(0)">ดาวน์โหลด</a> <a href="">ภาคผนวก</a>
    <a href="#"><i class="fa fa-print"></i></a>
  </div>
</div></div>
<div id="footer"><p>สงวนลิขสิทธิ์ © 2568 สพป.ตัวอย่าง ถนนราชดำเนิน</p><a href="#">ขึ้นบน</a></div>
<div class="pdpa-consent">เว็บไซต์นี้ใช้คุกกี้ <a href="#">ยอมรับ</a></div>
""")


def test_thai_template_main_content_leaves_out_header_side_menu_and_footer() -> None:
    doc = extract(THAI_TEMPLATE)
    assert doc.main_text is not None
    assert "O10 แผนดำเนินงาน" in doc.main_text and "plan-2568" not in doc.main_text
    assert "แผนปฏิบัติการ ปี 2568" in doc.main_text  # a nav-styled list of documents is evidence, kept
    for chrome in ("O33", "โทรศัพท์", "สงวนลิขสิทธิ์", "คุกกี้", "ข้ามไปยังเนื้อหา"):
        assert chrome not in doc.main_text
    assert doc.main_headings == ("O10 แผนดำเนินงานและการใช้งบประมาณประจำปี",)  # content-header is the article's
    assert [link.url for link in doc.main_links or ()] == ["https://www.sesao99.go.th/files/plan-2568.pdf"]
    assert doc.extraction["main"] == "id=content-main"


def test_whole_text_and_links_are_kept_for_other_checks() -> None:
    doc = extract(THAI_TEMPLATE)
    assert "O33 ข้อมูลการเปิดเผยรายการที่ 33" in doc.text and "สงวนลิขสิทธิ์" in doc.text
    assert len(doc.links) > 80
    assert "การเปิดเผยข้อมูลสาธารณะ (OIT)" in doc.headings


def test_placeholders_are_anchors_with_text_in_the_main_content_that_lead_nowhere() -> None:
    doc = extract(THAI_TEMPLATE)
    assert sorted((link.url, link.text) for link in doc.placeholders) == [
        ("", "ภาคผนวก"), ("#", "เอกสารแนบเพิ่มเติม"), ("javascript:void(0)", "ดาวน์โหลด")]


JOOMLA3 = page(f"""
<header class="header" role="banner"><div class="header-inner"><a class="brand" href="/">เทศบาลตำบลตัวอย่าง</a></div></header>
<nav class="navigation" role="navigation"><ul class="nav menu nav-pills mod-list">{ITEMS}</ul></nav>
<div class="row-fluid">
  <main id="content" role="main" class="span9">
    <ul class="breadcrumb"><li>หน้าแรก</li><li>ITA</li></ul>
    <div class="item-page" itemscope itemtype="https://schema.org/Article">
      <div class="page-header"><h2 itemprop="headline">O2 ข้อมูลผู้บริหาร</h2></div>
      <div itemprop="articleBody"><p>นายสมชาย ใจดี นายกเทศมนตรี โทร 08-1234-5678</p></div>
    </div>
  </main>
  <div id="aside" class="span3"><div class="moduletable"><h3>เข้าสู่ระบบ</h3>
    <form id="login-form"><input name="username"><input type="password" name="password"><button>เข้าสู่ระบบ</button></form>
  </div></div>
</div>
<footer class="footer" role="contentinfo"><p>© 2568 เทศบาลตำบลตัวอย่าง</p></footer>
""")

JOOMLA4 = page(f"""
<header class="header container-header full-width"><div class="grid-child"><div class="navbar-brand">อบต.ตัวอย่าง</div></div>
  <div class="grid-child container-nav"><ul class="mod-menu mod-list nav">{ITEMS}</ul></div></header>
<div class="site-grid"><div class="grid-child container-component">
  <main><div class="com-content-article item-page"><div class="page-header"><h1>O16 ประมวลจริยธรรม</h1></div>
    <div class="com-content-article__body"><p>ประมวลจริยธรรมของพนักงานส่วนตำบล พ.ศ. 2565</p></div></div></main>
</div><div class="grid-child container-sidebar-right"><div class="sidebar-right card"><h3>ข่าวล่าสุด</h3><p>ข่าวรับสมัคร</p></div></div></div>
<footer class="container-footer footer full-width"><div class="grid-child">อบต.ตัวอย่าง</div></footer>
""")

WORDPRESS = page(f"""
<a class="skip-link screen-reader-text" href="#primary">ข้ามไปยังเนื้อหา</a>
<header id="masthead" class="site-header"><div class="site-branding"><p class="site-title">วิทยาลัยเทคนิคตัวอย่าง</p></div>
  <nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">{ITEMS}</ul></nav></header>
<div id="content" class="site-content">
  <div id="primary" class="content-area"><main id="main" class="site-main">
    <article id="post-12" class="post-12 page type-page status-publish hentry">
      <header class="entry-header"><h1 class="entry-title">O24 รายงานผลการจัดซื้อจัดจ้าง ประจำปี 2567</h1>
        <div class="entry-meta"><span class="posted-on">15 ตุลาคม 2567</span></div></header>
      <div class="entry-content"><p>ปัญหาอุปสรรค: ระยะเวลาจำกัด</p><p>ข้อเสนอแนะ: วางแผนล่วงหน้า</p></div>
      <footer class="entry-footer"><span class="cat-links">หมวดหมู่ ITA</span></footer>
    </article></main></div>
  <aside id="secondary" class="widget-area"><section id="recent-posts-2" class="widget widget_recent_entries">
    <h2 class="widget-title">เรื่องล่าสุด</h2><ul><li><a href="/news-1">ประกาศรับสมัครนักศึกษา</a></li></ul></section></aside>
</div>
<footer id="colophon" class="site-footer"><div class="site-info">ขับเคลื่อนโดย WordPress</div></footer>
""")

ELEMENTOR = page(f"""
<div data-elementor-type="header" class="elementor elementor-location-header">
  <div class="elementor-widget elementor-widget-nav-menu"><div class="elementor-widget-container">
    <nav class="elementor-nav-menu--main"><ul class="elementor-nav-menu">{ITEMS}</ul></nav></div></div></div>
<div data-elementor-type="wp-page" class="elementor elementor-55">
  <div class="elementor-widget elementor-widget-heading"><div class="elementor-widget-container">
    <h2 class="elementor-heading-title">O5 ข้อมูลการติดต่อ</h2></div></div>
  <div class="elementor-widget elementor-widget-text-editor"><div class="elementor-widget-container">
    <p>ที่อยู่ 99 หมู่ 1 ตำบลตัวอย่าง โทรศัพท์ 0-4312-3456 อีเมล saraban@example.go.th</p></div></div></div>
<div data-elementor-type="footer" class="elementor elementor-location-footer">ติดต่อเรา</div>
<div id="cookie-law-info-bar">เว็บไซต์นี้ใช้คุกกี้เพื่อประสบการณ์ที่ดี <a href="#">ยอมรับ</a></div>
""")

NEXTJS = page(f"""
<div id="__next"><div class="Layout_wrapper__a1"><div class="Navbar_root__Xy12"><a href="/">หน้าหลัก</a>
  <ul class="Navbar_menu__q2">{ITEMS}</ul></div>
  <main class="Page_main__k9"><h1>O3 อำนาจหน้าที่</h1><p>ส่งเสริมและสนับสนุนการบริหารจัดการของหน่วยงาน</p></main>
  <div class="Footer_root__p0">กรมตัวอย่าง กระทรวงตัวอย่าง</div></div></div>
<script id="__NEXT_DATA__" type="application/json">{{"props":{{}}}}</script>
""")


@pytest.mark.parametrize(("html", "content", "chrome", "how"), [
    (JOOMLA3, "นายสมชาย ใจดี นายกเทศมนตรี", ("O33", "เข้าสู่ระบบ", "หน้าแรก", "© 2568"), "main"),
    (JOOMLA4, "ประมวลจริยธรรมของพนักงานส่วนตำบล", ("O33", "ข่าวรับสมัคร", "อบต.ตัวอย่าง"), "main"),
    (WORDPRESS, "ปัญหาอุปสรรค: ระยะเวลาจำกัด", ("O33", "เรื่องล่าสุด", "WordPress", "ข้ามไปยังเนื้อหา"), "main"),
    (ELEMENTOR, "โทรศัพท์ 0-4312-3456", ("O33", "ติดต่อเรา", "คุกกี้"), "body"),
    (NEXTJS, "ส่งเสริมและสนับสนุน", ("O33", "หน้าหลัก", "กระทรวงตัวอย่าง"), "main"),
])
def test_cms_pages(html: str, content: str, chrome: tuple[str, ...], how: str) -> None:
    doc = extract(html)
    assert doc.main_text is not None and content in doc.main_text
    for text in chrome:
        assert text not in doc.main_text, text
    assert doc.extraction["main"] == how
    assert not any("/ita/o" in link.url for link in doc.main_links or ())


def test_article_header_date_and_footer_stay_in_the_content() -> None:
    doc = extract(WORDPRESS)
    assert doc.main_text is not None
    assert "15 ตุลาคม 2567" in doc.main_text and "หมวดหมู่ ITA" in doc.main_text
    assert doc.main_headings == ("O24 รายงานผลการจัดซื้อจัดจ้าง ประจำปี 2567",)


def test_a_news_list_keeps_every_article() -> None:
    posts = "".join(f'<article class="post"><h2>ข่าว {n}</h2><p>รายละเอียดข่าวประชาสัมพันธ์ {n}</p></article>'
                    for n in range(1, 4))
    doc = extract(page(f'<nav><ul>{ITEMS}</ul></nav><div class="news-list">{posts}</div>'))
    assert doc.main_text is not None
    assert all(f"ข่าว {n}" in doc.main_text for n in range(1, 4)) and "O33" not in doc.main_text


def test_an_empty_marked_container_falls_back_to_the_body() -> None:
    doc = extract(page(f'<nav>{ITEMS}</nav><div id="__next"><main></main>'
                       '<div class="content"><h1>ประกาศ</h1><p>ประกาศรายชื่อผู้มีสิทธิ์สอบคัดเลือก</p></div></div>'))
    assert doc.main_text is not None and "ประกาศรายชื่อผู้มีสิทธิ์สอบคัดเลือก" in doc.main_text
    assert doc.extraction["main"] == "body"


def test_a_wrapper_whose_class_names_a_template_part_never_empties_the_content() -> None:
    doc = extract(page('<div id="navbar-wrapper-all"><div class="inner"><h1>O7 ข่าวประชาสัมพันธ์</h1>'
                       '<p>ประชาสัมพันธ์การรับสมัครงาน ประจำปี 2568</p></div></div>'))
    assert doc.main_text is not None and "ประชาสัมพันธ์การรับสมัครงาน" in doc.main_text


def test_a_page_of_menus_only_says_nothing() -> None:
    doc = extract(page(f'<header><nav><ul>{ITEMS}</ul></nav></header><div class="container"></div><footer>อบต.</footer>'))
    assert doc.main_text == "" and doc.main_links == () and doc.extraction["main"] == "markup"
    assert "O33" in doc.text


def test_a_side_menu_linking_every_items_pdf_is_not_the_pages_evidence() -> None:
    pdfs = "".join(f'<li><a href="/files/o{n}.pdf">O{n} เอกสาร</a></li>' for n in range(1, 41))
    for menu in (f'<nav><ul>{pdfs}</ul></nav>', f'<div class="left-menu"><ul>{pdfs}</ul></div>'):
        doc = extract(page(f'{menu}<div class="col-9"><h2>O10 แผนดำเนินงาน</h2><p>อยู่ระหว่างดำเนินการ</p></div>'))
        assert doc.main_links == () and doc.main_text == "O10 แผนดำเนินงาน\nอยู่ระหว่างดำเนินการ"


def test_a_list_of_documents_styled_as_a_menu_in_the_content_is_evidence() -> None:
    pdfs = "".join(f'<li><a href="/files/o12-{m}.pdf">รายงานเดือน {m}</a></li>' for m in range(1, 13))
    for wrap in ('<main><h2>O12 รายงานรายเดือน</h2>{}</main>', '<div class="col-9"><h2>O12 รายงานรายเดือน</h2>{}</div>'):
        doc = extract(page(f'<nav><ul>{ITEMS}</ul></nav>' + wrap.format(f'<ul class="nav flex-column">{pdfs}</ul>')))
        assert len(doc.main_links or ()) == 12


def test_breadcrumb_alone_in_main_is_not_content() -> None:
    doc = extract(page('<main><ol class="breadcrumb"><li>หน้าแรก</li><li>ITA</li></ol></main>'
                       '<div id="content"><p>คำสั่งแต่งตั้งคณะทำงานขับเคลื่อนการประเมิน ITA</p></div>'))
    assert doc.main_text == "คำสั่งแต่งตั้งคณะทำงานขับเคลื่อนการประเมิน ITA"
    assert doc.extraction["main"] == "id=content"


def test_password_inputs_are_placed_in_or_beside_the_content() -> None:
    assert extract(JOOMLA3).extraction["password_main"] == 0
    login = extract(page('<div id="login"><h1>เข้าสู่ระบบ</h1><form><input name="u">'
                         '<input type="password"><button>เข้าสู่ระบบ</button></form></div>'))
    assert login.extraction["password_main"] == 1 and login.password_inputs == 1


# boilerplate: lines the crawl saw on most pages (checks/text.py) -------------------------

FOOTER_LINES = ("กรมตัวอย่าง 99 ถนนพหลโยธิน แขวงจตุจักร กรุงเทพฯ 10900", "โทรศัพท์ 0-2123-4567")
SITE = Context(homepage="https://www.sesao99.go.th/", domains=("sesao99.go.th",), assessment_year=2568,
               boilerplate=frozenset(compact(line) for line in (*FOOTER_LINES, "O10 ข้อมูลการเปิดเผยรายการที่ 10")))
UNMARKED = (f'<div class="col-3"><ul>{ITEMS}</ul></div>'
            '<div class="col-9"><h2>{title}</h2>{content}</div><div class="foot">{footer}</div>')


def test_repeated_menu_links_and_an_unmarked_footer_are_not_what_the_page_says() -> None:
    footer = "".join(f"<p>{line}</p>" for line in FOOTER_LINES)
    doc = extract(page(UNMARKED.format(title="O33 ข่าว", content="<p>ข่าวกิจกรรม</p>", footer=footer)))
    lines = content_lines(doc, SITE)
    assert "ข่าวกิจกรรม" in lines
    assert not set(FOOTER_LINES) & set(lines) and "O10 ข้อมูลการเปิดเผยรายการที่ 10" not in lines


def test_a_contact_page_keeps_the_address_it_shows_besides_the_footer() -> None:
    footer = "".join(f"<p>{line}</p>" for line in FOOTER_LINES)
    doc = extract(page(UNMARKED.format(title="O5 ข้อมูลการติดต่อ", content=footer, footer=footer)))
    assert set(FOOTER_LINES) <= set(content_lines(doc, SITE))
    marked = extract(page(f"<main><h1>ติดต่อเรา</h1>{footer}</main><footer>{footer}</footer>"))
    assert set(FOOTER_LINES) <= set(content_lines(marked, SITE))


def test_a_text_section_classed_header_in_a_hand_written_page_is_content() -> None:
    doc = extract(page('<div id="header"><img src="/logo.png"> องค์การบริหารส่วนตำบลตัวอย่าง</div>'
                       '<table><tr><td><div class="header">ปัญหาอุปสรรค</div><p>งบประมาณไม่เพียงพอ</p>'
                       '<div class="header">ข้อเสนอแนะ</div><p>ควรจัดสรรเพิ่ม</p></td></tr></table>'))
    assert doc.main_text == "ปัญหาอุปสรรค\nงบประมาณไม่เพียงพอ\nข้อเสนอแนะ\nควรจัดสรรเพิ่ม"


def test_tabs_styled_as_nav_inside_the_article_are_content() -> None:
    doc = extract(page(f'<div class="navbar"><ul class="nav">{ITEMS}</ul></div><div class="item-page">'
                       '<h2>O24 รายงานผลการจัดซื้อจัดจ้าง</h2><ul class="nav nav-tabs">'
                       '<li><a href="/ita/o24-2566">รายงานปี 2566</a></li><li><a href="/ita/o24-2567">รายงานปี 2567</a></li>'
                       '</ul></div>'))
    assert [link.text for link in doc.main_links or ()] == ["รายงานปี 2566", "รายงานปี 2567"]


def test_a_menu_of_every_item_inside_a_page_wide_main_is_not_content() -> None:
    doc = extract(page(f'<main><div class="menu"><ul>{ITEMS}</ul></div><div class="text">'
                       '<h2>O8 คู่มือการปฏิบัติงาน</h2><p>คู่มือการให้บริการประชาชน ฉบับปรับปรุง 2568</p></div></main>'))
    assert doc.main_text == "O8 คู่มือการปฏิบัติงาน\nคู่มือการให้บริการประชาชน ฉบับปรับปรุง 2568"


def test_header_and_footer_divs_of_an_unmarked_template_are_not_content() -> None:
    doc = extract(page('<div class="announce">ประกาศ: ปิดปรับปรุงระบบวันที่ 1 มกราคม</div>'
                       '<div class="header"><div class="logo">กรมตัวอย่าง</div><div class="sub">กระทรวงตัวอย่าง</div></div>'
                       f'<ul class="menu">{ITEMS}</ul><div class="container"><h1>ข้อมูลผู้บริหาร</h1>'
                       '<p>อยู่ระหว่างปรับปรุงข้อมูล</p></div>'
                       '<div class="footer">กรมตัวอย่าง เลขที่ 189 ถนนตัวอย่าง โทรศัพท์ 0 2123 4567</div>'))
    assert doc.main_text is not None
    assert "ข้อมูลผู้บริหาร\nอยู่ระหว่างปรับปรุงข้อมูล" in doc.main_text
    for chrome in ("กระทรวงตัวอย่าง", "โทรศัพท์", "O33"):
        assert chrome not in doc.main_text


def test_the_page_title_in_a_header_of_main_is_content() -> None:
    doc = extract(page(f'<header id="masthead"><nav>{ITEMS}</nav></header><main id="main">'
                       '<section class="error-404 not-found"><header class="page-header">'
                       '<h1 class="page-title">ไม่พบหน้าที่ต้องการ</h1></header>'
                       '<div class="page-content"><p>ลองค้นหาอีกครั้ง</p></div></section></main>'))
    assert doc.main_headings == ("ไม่พบหน้าที่ต้องการ",)


def test_anchors_a_script_acts_on_are_not_placeholders() -> None:
    doc = extract(page('<main><h2>O12 ประกาศจัดซื้อจัดจ้าง</h2>'
                       '<a href="#" onclick="window.open(\'/files/o12.pdf\')">ประกาศ ฉบับที่ 1</a>'
                       '<a href="#" data-toggle="modal" data-target="#pdf2">ประกาศ ฉบับที่ 2</a>'
                       '<a href="javascript:window.open(\'/files/o12-3.pdf\')">ประกาศ ฉบับที่ 3</a>'
                       '<a href="#" aria-expanded="false" aria-controls="y2567">ปี 2567</a>'
                       '<a href="javascript:void(0);">ประกาศ ฉบับที่ 4</a></main>'))
    assert [(link.url, link.text) for link in doc.placeholders] == [("javascript:void(0);", "ประกาศ ฉบับที่ 4")]
