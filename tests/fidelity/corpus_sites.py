"""The markup of the corpus's sites: plain, Joomla, WordPress and Next.js pages of a Thai agency.

Each case's site is small but shaped like the real ones: a homepage with a top menu, an ITA index
linking the item pages, a few other pages sharing the template (so the crawl can tell the menu and
footer from the content), and the item page under test. ``@@EXT@@`` and ``@@DEAD@@`` in a page
stand for the external host (``http://localhost:<port>``) and a dead port on the agency's own host;
the server fills them in.
"""

from __future__ import annotations

import html
import json

ITEMS_2568 = [
    ("O1", "โครงสร้างและอำนาจหน้าที่"), ("O2", "ข้อมูลผู้บริหาร"), ("O3", "ข้อมูลการติดต่อ"),
    ("O4", "ข่าวประชาสัมพันธ์"), ("O5", "การปฏิสัมพันธ์ข้อมูล"), ("O6", "แผนยุทธศาสตร์หรือแผนพัฒนาหน่วยงาน"),
    ("O7", "แผนปฏิบัติการประจำปี"),
    ("O8", "คู่มือหรือแนวทางการปฏิบัติงานของเจ้าหน้าที่"),
    ("O9", "คู่มือหรือแนวทางการขอรับบริการสำหรับผู้รับบริการหรือผู้มาติดต่อ"), ("O10", "E-Service"),
    ("O11", "ข้อมูลสถิติการให้บริการ"),
    ("O12", "รายการการจัดซื้อจัดจ้างหรือการจัดหาพัสดุ และความก้าวหน้าการจัดซื้อจัดจ้างหรือการจัดหาพัสดุ"),
    ("O13", "รายงานผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุประจำปี (สรุปผลการจัดซื้อจัดจ้าง ปัญหาอุปสรรค ข้อเสนอแนะ)"),
    ("O14", "แผนการบริหารและพัฒนาทรัพยากรบุคคล"),
    ("O15", "รายงานผลการบริหารและพัฒนาทรัพยากรบุคคลประจำปี (ปัญหาอุปสรรค และข้อเสนอแนะ)"),
    ("O16", "ประมวลจริยธรรมและการขับเคลื่อนจริยธรรม"),
    ("O17", "แนวปฏิบัติการจัดการเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ"),
    ("O18", "ช่องทางแจ้งเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ"),
    ("O19", "ข้อมูลสถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบประจำปี"),
    ("O20", "การเปิดโอกาสให้เกิดการมีส่วนร่วม"),
    ("O21", "ประกาศเจตนารมณ์และการสร้างวัฒนธรรม ตามนโยบาย No Gift Policy จากการปฏิบัติหน้าที่"),
    ("O22", "รายงานการรับทรัพย์สินหรือประโยชน์อื่นใดโดยธรรมจรรยา"),
    ("O23", "การประเมินความเสี่ยงที่อาจเกิดการให้หรือรับสินบนจากการดำเนินงานตามภารกิจของหน่วยงาน"),
    ("O24", "รายงานผลการดำเนินการเพื่อจัดการความเสี่ยงการทุจริตและประพฤติมิชอบประจำปี "
            "(ความเสี่ยงการทุจริต มาตรการ/กิจกรรม และผลการดำเนินการ)"),
    ("O25", "แผนปฏิบัติการป้องกันการทุจริต"),
    ("O26", "รายงานผลการดำเนินการป้องกันการทุจริตประจำปี (ผลการดำเนินการ งบประมาณที่ใช้ ปัญหาอุปสรรค ข้อเสนอแนะ)"),
]
"""The ITA 2568 item titles as agencies' side menus print them (some with the elements spelled out)."""

AGENCY = "สำนักงานสาธารณสุขจังหวัดตัวอย่าง"
ADDRESS = "ถนนราชดำเนิน ตำบลในเมือง อำเภอเมือง จังหวัดตัวอย่าง 40000"
FOOTER = (f"{AGENCY} {ADDRESS}<br>โทรศัพท์ 0 4323 6781 โทรสาร 0 4323 6782 อีเมล saraban@example.go.th<br>"
          "Copyright © สงวนลิขสิทธิ์ งานเทคโนโลยีสารสนเทศ")
TOP_MENU = [("/", "หน้าแรก"), ("/about.html", "เกี่ยวกับหน่วยงาน"), ("/news/", "ข่าวประชาสัมพันธ์"),
            ("/ita/", "ITA 2568"), ("/contact-us.html", "ติดต่อเรา")]
LOGIN_BOX = ('<form id="login-form" class="form-inline" action="/login" method="post">'
             '<label>ชื่อผู้ใช้</label><input type="text" name="username">'
             '<label>รหัสผ่าน</label><input type="password" name="password">'
             '<button type="submit">เข้าสู่ระบบ</button> <a href="/register">สมัครสมาชิก</a></form>')
LONG_HEADER_LINKS = [(f"/dept/{n}.html", f"กลุ่มงาน{name} ฝ่าย{n}") for n, name in enumerate(
    ("บริหารทั่วไป", "ควบคุมโรค", "ส่งเสริมสุขภาพ", "คุ้มครองผู้บริโภค", "ทันตสาธารณสุข", "ประกันสุขภาพ",
     "พัฒนาคุณภาพ", "นิติการ", "ยุทธศาสตร์", "ทรัพยากรบุคคล", "อนามัยสิ่งแวดล้อม", "แพทย์แผนไทย") * 6)]
"""A big mega-menu: about 5,000 characters of header common to every page."""


def _links(links: list[tuple[str, str]], cls: str = "menu") -> str:
    return f'<ul class="{cls}">' + "".join(f'<li><a href="{h}">{html.escape(t)}</a></li>' for h, t in links) + "</ul>"


def side_menu(prefix: str = "/ita/") -> str:
    """Every ITA item's title, each linking its page (as sites' side menus do)."""
    return _links([(f"{prefix}{code.lower()}.html", f"{code} {title}") for code, title in ITEMS_2568], "nav menu")


def page(title: str, content: str, *, template: str = "plain", side: bool = False, login: bool = False,
         long_header: bool = False, charset: str = "utf-8") -> str:
    """One page of the site in ``template`` (plain, joomla, wordpress, nextjs), ``content`` as its body."""
    menu = _links(TOP_MENU + (LONG_HEADER_LINKS if long_header else []))
    side_html = side_menu() if side else ""
    login_html = LOGIN_BOX if login else ""
    head = (f'<!DOCTYPE html><html lang="th"><head><meta charset="{charset}">'
            f"<title>{html.escape(title)} - {AGENCY}</title>"
            '<meta name="viewport" content="width=device-width, initial-scale=1"></head>')
    if template == "joomla":
        return (head + '<body class="site com_content view-article"><div class="body-wrapper">'
                f'<header id="sp-header"><div class="logo"><a href="/">{AGENCY}</a></div>{login_html}'
                f'<nav class="sp-megamenu-wrapper">{menu}</nav></header>'
                '<section id="sp-main-body"><div class="row">'
                f'<aside id="sp-left" class="col-lg-3"><div class="sp-module"><h3 class="sp-module-title">'
                f"ITA 2568</h3>{side_html}</div></aside>"
                '<main id="sp-component" class="col-lg-9"><div class="item-page" itemscope '
                'itemtype="https://schema.org/Article"><div class="page-header">'
                f'<h2 itemprop="headline">{html.escape(title)}</h2></div>'
                f'<div itemprop="articleBody">{content}</div></div></main></div></section>'
                f'<footer id="sp-footer"><span class="sp-copyright">{FOOTER}</span></footer>'
                '</div><script src="/media/jui/js/jquery.min.js"></script></body></html>')
    if template == "wordpress":
        return (head + '<body class="page-template-default page"><div id="page" class="site">'
                f'<header id="masthead" class="site-header"><p class="site-title"><a href="/">{AGENCY}</a></p>'
                f'<nav id="site-navigation" class="main-navigation">{menu}</nav></header>'
                '<div id="content" class="site-content"><div id="primary" class="content-area">'
                '<main id="main" class="site-main"><article class="page type-page status-publish hentry">'
                f'<header class="entry-header"><h1 class="entry-title">{html.escape(title)}</h1></header>'
                f'<div class="entry-content">{content}</div></article></main></div>'
                f'<aside id="secondary" class="widget-area"><section class="widget widget_nav_menu">'
                f'<h2 class="widget-title">ITA 2568</h2>{side_html}</section>'
                f'<section class="widget widget_login">{login_html}</section></aside></div>'
                f'<footer id="colophon" class="site-footer"><div class="site-info">{FOOTER}</div></footer>'
                "</div><script src=\"/wp-includes/js/jquery/jquery.min.js\"></script></body></html>")
    if template == "nextjs":
        data = {"props": {"pageProps": {"menu": [{"code": c, "title": t} for c, t in ITEMS_2568]}},
                "page": "/ita/[code]", "buildId": "Xc9kq2"}
        return (head + '<body><div id="__next"><div class="min-h-screen flex flex-col">'
                f'<header class="bg-blue-900 text-white"><a href="/">{AGENCY}</a>{login_html}'
                f'<nav class="flex gap-4">{menu}</nav></header>'
                f'<div class="flex"><aside class="w-1/4">{side_html}</aside>'
                f'<main class="w-3/4 p-6"><h1 class="text-2xl">{html.escape(title)}</h1>{content}</main></div>'
                f'<footer class="bg-gray-100">{FOOTER}</footer></div></div>'
                f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(data, ensure_ascii=False)}</script>'
                '<script src="/_next/static/chunks/main-3f1a.js" defer></script></body></html>')
    return (head + f'<body><header class="header"><div class="brand"><a href="/">{AGENCY}</a></div>{login_html}'
            f'<nav class="topnav">{menu}</nav></header><div class="wrap">'
            f'<aside class="sidebar">{side_html}</aside>'
            f'<main class="content"><h1>{html.escape(title)}</h1>{content}</main></div>'
            f'<footer class="footer">{FOOTER}</footer></body></html>')


FILLER_PAGES = {
    "/about.html": ("ประวัติหน่วยงาน", "<p>ก่อตั้งขึ้นเพื่อดูแลสุขภาพของประชาชนในจังหวัด มีบุคลากรทั้งสิ้น 120 คน</p>"),
    "/news/": ("ข่าวประชาสัมพันธ์", '<ul><li><a href="/news/1.html">ประชุมคณะกรรมการ</a></li>'
                                   '<li><a href="/news/2.html">รณรงค์ฉีดวัคซีน</a></li></ul>'),
    "/news/1.html": ("ประชุมคณะกรรมการ", "<p>จัดประชุมคณะกรรมการประสานงานสาธารณสุขระดับจังหวัด ณ ห้องประชุมชั้น 2</p>"),
    "/news/2.html": ("รณรงค์ฉีดวัคซีน", "<p>ออกหน่วยบริการฉีดวัคซีนไข้หวัดใหญ่ให้กลุ่มเสี่ยงในชุมชน</p>"),
    "/contact-us.html": ("ติดต่อเรา", f"<p>{ADDRESS}</p><p>โทรศัพท์ 0 4323 6781</p>"),
}


def site(item_path: str, item_title: str, item_content: str, *, template: str = "plain", side: bool = False,
         login: bool = False, long_header: bool = False, index: str | None = None,
         extra: dict[str, object] | None = None, link_item: bool = True) -> dict[str, object]:
    """The files of one case's site: path -> page (str HTML) or a reply/document the server serves.

    ``index`` replaces the ITA index page's content; ``link_item=False`` leaves the item page out of it.
    """
    def wrap(title: str, content: str) -> str:
        return page(title, content, template=template, side=side, login=login, long_header=long_header)

    entries = [(f"/ita/{code.lower()}.html", f"{code} {title}") for code, title in ITEMS_2568[:4]]
    if link_item and item_path not in dict(entries):
        entries.append((item_path, item_title))
    index_html = index if index is not None else (
        "<p>การเปิดเผยข้อมูลสาธารณะ (Open Data Integrity and Transparency Assessment: OIT) ประจำปี 2568</p>"
        + _links(entries, "ita-list"))
    files: dict[str, object] = {
        "/": wrap("หน้าแรก", '<p>ยินดีต้อนรับ</p><p><a href="/ita/">การประเมินคุณธรรมและความโปร่งใส ITA</a></p>'
                            '<p><a href="/news/1.html">ประชุมคณะกรรมการ</a></p>'),
        "/ita/": wrap("การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) ประจำปี 2568",
                      index_html),
        **{path: wrap(title, body) for path, (title, body) in FILLER_PAGES.items()},
        "/ita/o1.html": wrap("O1 โครงสร้างและอำนาจหน้าที่",
                             "<p>แผนผังโครงสร้างองค์กร และอำนาจหน้าที่ตามกฎกระทรวงแบ่งส่วนราชการ</p>"),
        "/ita/o2.html": wrap("O2 ข้อมูลผู้บริหาร", "<p>นายแพทย์สมศักดิ์ ใจดี นายแพทย์สาธารณสุขจังหวัด</p>"),
        "/ita/o3.html": wrap("O3 ข้อมูลการติดต่อ", f"<p>{ADDRESS}</p>"),
        "/ita/o4.html": wrap("O4 ข่าวประชาสัมพันธ์", '<p><a href="/news/">ข่าวประชาสัมพันธ์ทั้งหมด</a></p>'),
    }
    if item_path.startswith("/"):
        files[item_path] = wrap(item_title, item_content)
    files.update(extra or {})
    return files
