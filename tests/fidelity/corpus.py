"""The fidelity corpus: realistic Thai agency pages, each with the verdict a careful ITA assessor gives.

Verdicts follow the assessor's view (issue 11, DESIGN §3–4), never the tool's output. Most cases
are judged against the bundled ``ita-2568`` checklist (assessment year 2568: the current fiscal
year is FY2568 = 1 Oct 2567 – 30 Sep 2568, the previous one FY2567); the monthly procurement item
comes from ``ita-2567``; the external (social) page cases use ``fidelity.toml`` (an item whose
allowed external host is ``localhost``, the corpus's stand-in for facebook.com).

Grow it whenever a false verdict is found: add a ``Case`` with the page as the agency published it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from corpus_docs import Docx, LegacyPdf, Pdf, Scan, Xlsx
from corpus_sites import ITEMS_2568, LOGIN_BOX, page, site

FIDELITY_CHECKLIST = str(Path(__file__).resolve().parent / "fidelity.toml")
HTML = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Reply:
    """A reply other than a plain 200 UTF-8 page."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | str = b""


@dataclass(frozen=True)
class Case:
    id: str
    shape: str
    """What kind of page this is (the report counts cases by shape)."""
    item: str
    expected: str
    """pass | warn | fail | unverified: the assessor's verdict on the item."""
    why: str
    files: dict[str, object]
    url: str
    """The item URL: a path on the case's site, or ``@@EXT@@/…`` / ``@@DEAD@@/…``."""
    checklist: str = "ita-2568"
    reason: str | None = None
    """The reason code the verdict must carry, when one is expected."""
    external: dict[str, object] = field(default_factory=dict)
    """Files served on the external host (``localhost``)."""
    browser: str = "never"


CASES: list[Case] = []


def case(id: str, shape: str, item: str, expected: str, why: str, files: dict[str, object], url: str, *,  # noqa: A002
         reason: str | None = None, checklist: str = "ita-2568", external: dict[str, object] | None = None,
         browser: str = "never") -> None:
    CASES.append(Case(id, shape, item, expected, why, files, url, checklist, reason, external or {}, browser))


NAMES = {code: title.split(" (")[0] for code, title in ITEMS_2568}
"""The items' names as page headings print them (the side menu's spell out some elements)."""
TH = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def th(text: str) -> str:
    """The same text in Thai digits (many agencies' documents)."""
    return text.translate(TH)


# -- report bodies ----------------------------------------------------------------------------------

def o26_body(year: str = "2567", *, suggestions: bool = True, budget: bool = True, extra: str = "") -> str:
    """The annual anti-corruption report (O26): results, budget used, problems, suggestions."""
    parts = [f"<h2>รายงานผลการดำเนินการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. {year}</h2>" if year else
             "<h2>รายงานผลการดำเนินการป้องกันการทุจริต ประจำปี</h2>",
             "<h3>1. ผลการดำเนินการ</h3><p>ดำเนินโครงการตามแผนปฏิบัติการป้องกันการทุจริต จำนวน 6 โครงการ "
             "บรรลุเป้าหมาย 5 โครงการ คิดเป็นร้อยละ 83.33</p>"]
    if budget:
        parts.append("<h3>2. งบประมาณที่ใช้</h3><p>ใช้งบประมาณทั้งสิ้น 148,500 บาท จากที่ได้รับจัดสรร 180,000 บาท</p>")
    parts.append("<h3>3. ปัญหาอุปสรรค</h3><p>บุคลากรมีภารกิจประจำมาก การเข้าร่วมกิจกรรมไม่ครบตามเป้าหมาย</p>")
    if suggestions:
        parts.append("<h3>4. ข้อเสนอแนะ</h3><p>ควรจัดกิจกรรมผ่านระบบออนไลน์ และบูรณาการกับงานประจำ</p>")
    return "".join(parts) + extra


def o13_body(year: str = "2567", extra: str = "") -> str:
    """The annual procurement report (O13): summary with methods and amounts, problems, suggestions."""
    return (f"<h2>รายงานผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุ ประจำปีงบประมาณ พ.ศ. {year}</h2>"
            "<h3>สรุปผลการจัดซื้อจัดจ้าง</h3><table><tr><th>วิธีการจัดซื้อจัดจ้าง</th><th>จำนวนโครงการ</th>"
            "<th>งบประมาณ (บาท)</th></tr><tr><td>วิธีเฉพาะเจาะจง</td><td>212</td><td>4,528,310.00 บาท</td></tr>"
            "<tr><td>วิธีประกาศเชิญชวนทั่วไป (e-bidding)</td><td>4</td><td>6,210,000.00 บาท</td></tr></table>"
            "<h3>ปัญหาอุปสรรค</h3><p>ผู้ค้ายื่นเอกสารไม่ครบถ้วน ทำให้ต้องขยายระยะเวลา</p>"
            "<h3>ข้อเสนอแนะ</h3><p>จัดอบรมเจ้าหน้าที่พัสดุเรื่องระบบ e-GP ปีละ 1 ครั้ง</p>" + extra)


def o15_body(year: str = "2567", extra: str = "") -> str:
    return (f"<h2>รายงานผลการบริหารและพัฒนาทรัพยากรบุคคล ประจำปีงบประมาณ พ.ศ. {year}</h2>"
            "<p>ดำเนินการตามแผนพัฒนาบุคลากร 12 หลักสูตร ผู้เข้าอบรม 96 คน</p>"
            "<h3>ปัญหาอุปสรรค</h3><p>งบประมาณฝึกอบรมไม่เพียงพอ</p>"
            "<h3>ข้อเสนอแนะ</h3><p>ใช้การเรียนรู้ผ่านระบบออนไลน์ร่วมด้วย</p>" + extra)


def o24_body(year: str = "2567", extra: str = "") -> str:
    return (f"<h2>รายงานผลการดำเนินการจัดการความเสี่ยงการทุจริต ประจำปีงบประมาณ พ.ศ. {year}</h2>"
            "<p>ความเสี่ยงการทุจริตที่ประเมินได้: การเรียกรับผลประโยชน์ในการออกใบอนุญาตสถานประกอบการ</p>"
            "<p>มาตรการควบคุมความเสี่ยง: เผยแพร่ขั้นตอนและระยะเวลาการพิจารณา หมุนเวียนผู้ตรวจ</p>"
            "<p>ผลการดำเนินการ: ดำเนินการครบทุกมาตรการ ไม่พบการร้องเรียน</p>" + extra)


def o3_body() -> str:
    return ("<p>ที่อยู่: 222 หมู่ 4 ถนนมิตรภาพ ตำบลในเมือง อำเภอเมือง จังหวัดขอนแก่น 40000</p>"
            "<p>โทรศัพท์ ๐ ๔๓๒๓ ๖๗๘๑ โทรสาร ๐ ๔๓๒๓ ๖๗๘๒</p><p>อีเมล contact@kkpho.example.go.th</p>"
            '<iframe src="https://www.google.com/maps/embed?pb=1" title="แผนที่"></iframe>')


def o8_body(spelling: bool = False) -> str:
    law = "กฏหมายและกฏกระทรวงที่เกี่ยวข้อง" if spelling else "กฎหมายที่เกี่ยวข้อง: พระราชบัญญัติสถานพยาบาล พ.ศ. 2541"
    work = "ปฎิบัติงาน" if spelling else "ปฏิบัติงาน"
    return (f"<h2>คู่มือการ{work}ด้านการอนุญาตสถานพยาบาล</h2>"
            "<h3>ขั้นตอนการดำเนินงาน</h3><ol><li>รับคำขอและตรวจสอบเอกสาร ระยะเวลา 1 วัน</li>"
            "<li>ตรวจสถานที่ ระยะเวลา 15 วัน</li><li>เสนอผู้มีอำนาจลงนาม ระยะเวลา 3 วัน</li></ol>"
            f"<h3>{law}</h3>")


def o2_body() -> str:
    return ("<div class='exec'><img src='/images/exec1.jpg' alt=''><p>นายแพทย์สมศักดิ์ วงศ์ประเสริฐ</p>"
            "<p>ตำแหน่ง นายแพทย์สาธารณสุขจังหวัด</p><p>นาย สมชาย ใจดี รองนายแพทย์สาธารณสุขจังหวัด</p>"
            "<p>ช่องทางการติดต่อ โทรศัพท์ 0 4323 6781 ต่อ 101 อีเมล pho@example.go.th</p></div>")


ANNOUNCE = "<p>เพื่อให้การปฏิบัติราชการเป็นไปด้วยความโปร่งใส ตรวจสอบได้ ขอให้บุคลากรทุกคนถือปฏิบัติโดยเคร่งครัด</p>"
EXEC_SIGN = "<p style='text-align:center'>(นายแพทย์สมศักดิ์ วงศ์ประเสริฐ)<br>นายแพทย์สาธารณสุขจังหวัดตัวอย่าง</p>"


def dated(item: str, title: str, date_line: str, *, extra: str = "", template: str = "plain") -> dict[str, object]:
    """A site whose item page is an announcement with ``date_line`` (and maybe citations in ``extra``)."""
    path = f"/ita/{item.lower()}.html"
    return site(path, title, f"<h2>{title}</h2>{ANNOUNCE}{extra}<p>{date_line}</p>{EXEC_SIGN}", template=template)


# == 1. The page's own dates =========================================================================

O21 = "ประกาศเจตนารมณ์นโยบายไม่รับของขวัญและของกำนัลทุกชนิดจากการปฏิบัติหน้าที่ (No Gift Policy)"
O4 = "ข่าวประชาสัมพันธ์ การประชุมคณะกรรมการ"
O25 = "แผนปฏิบัติการป้องกันการทุจริต"
for cid, item, title, line, expected, why in [
    ("date-thai-digits", "O21", O21, "ประกาศ ณ วันที่ ๘ มกราคม พ.ศ. ๒๕๖๘", "pass",
     "signed 8 Jan 2568 (Thai digits): FY2568"),
    ("date-arabic-digits", "O21", O21, "ประกาศ ณ วันที่ 8 มกราคม 2568", "pass", "signed 8 Jan 2568: FY2568"),
    ("date-month-abbrev", "O4", O4, "วันที่ 15 ธ.ค. 67", "pass", "15 Dec 2567 (abbreviated month, 2-digit year): FY2568"),
    ("date-abbrev-thai-digits", "O4", O4, "เผยแพร่เมื่อ ๓ ก.พ. ๒๕๖๘", "pass", "3 Feb 2568: FY2568"),
    ("date-ce-english", "O4", O4, "Posted on January 8, 2025", "pass", "8 Jan 2025 C.E. = 2568 B.E.: FY2568"),
    ("date-ce-thai-month", "O21", O21, "ประกาศ ณ วันที่ 20 พฤศจิกายน 2024", "pass", "20 Nov 2024 C.E.: FY2568"),
    ("date-be-no-space", "O21", O21, "ประกาศ ณ วันที่ ๙ ธันวาคม พ.ศ.๒๕๖๗", "pass", "9 Dec 2567 lies in FY2568"),
    ("date-announced-at", "O25", O25, "ประกาศ ณ วันที่ 1 ตุลาคม 2567", "pass", "1 Oct 2567 opens FY2568"),
    ("date-data-as-of", "O4", O4, "ข้อมูล ณ วันที่ 31 มีนาคม 2568", "pass", "data as of 31 Mar 2568: FY2568"),
    ("date-last-updated", "O4", O4, "ปรับปรุงล่าสุด 15 พ.ย. 2567", "pass", "last updated 15 Nov 2567: FY2568"),
    ("date-fiscal-statement", "O25", O25 + " ประจำปีงบประมาณ พ.ศ. ๒๕๖๘", "จัดทำโดย กลุ่มงานนิติการ", "pass",
     "the title states FY2568"),
    ("date-quarter", "O4", O4, "ผลการดำเนินงาน ไตรมาส 2/2568", "pass", "quarter 2 of FY2568"),
    ("date-old-thai", "O21", O21, "ประกาศ ณ วันที่ ๒๐ ตุลาคม พ.ศ. ๒๕๖๖", "fail",
     "signed 20 Oct 2566 (FY2567); FY2568 is required"),
    ("date-old-arabic", "O4", O4, "วันที่ 8 มกราคม 2567", "fail", "8 Jan 2567 is FY2567; FY2568 is required"),
    ("date-old-fiscal", "O25", O25 + " ประจำปีงบประมาณ พ.ศ. 2566", "จัดทำโดย กลุ่มงานนิติการ", "fail",
     "a FY2566 plan for a FY2568 item"),
    ("date-old-ce", "O4", O4, "Posted on March 3, 2023", "fail", "3 Mar 2023 = 2566 B.E.: FY2566"),
]:
    case(cid, "own date", item, expected, why, dated(item, title, line), f"/ita/{item.lower()}.html",
         reason="stale_fiscal_year" if expected == "fail" else None)

# Laws, regulations, orders and standing plans cited next to the page's own date.
ACT_2540 = "ตามพระราชบัญญัติข้อมูลข่าวสารของราชการ พ.ศ. ๒๕๔๐ มาตรา ๗ และมาตรา ๙"
PROCUREMENT_ACT = ("อาศัยอำนาจตามพระราชบัญญัติการจัดซื้อจัดจ้างและการบริหารพัสดุภาครัฐ พ.ศ.2560 และระเบียบกระทรวงการคลัง"
                   "ว่าด้วยการจัดซื้อจัดจ้างและการบริหารพัสดุภาครัฐ พ.ศ. 2560")
ORDER = "ตามคำสั่งสำนักงานสาธารณสุขจังหวัด ที่ 125/2562 เรื่อง แต่งตั้งคณะทำงานเผยแพร่ข้อมูล"
MASTER_PLAN = "ภายใต้แผนแม่บทภายใต้ยุทธศาสตร์ชาติ ประเด็นการต่อต้านการทุจริตและประพฤติมิชอบ พ.ศ. 2566–2570"
DECREE = "ตามพระราชกฤษฎีกาว่าด้วยหลักเกณฑ์และวิธีการบริหารกิจการบ้านเมืองที่ดี พ.ศ. 2546"
MINISTRY = "ตามประกาศกระทรวงสาธารณสุข เรื่อง มาตรฐานการให้บริการ พ.ศ. 2564"
ANTI_CORRUPTION_ACT = "พระราชบัญญัติประกอบรัฐธรรมนูญว่าด้วยการป้องกันและปราบปรามการทุจริต พ.ศ. 2561 มาตรา 128"
for cid, item, title, cite, line, expected, why in [
    ("cite-act2540-current", "O21", O21, ACT_2540, "ประกาศ ณ วันที่ ๒๐ ธันวาคม ๒๕๖๗", "pass",
     "own date 20 Dec 2567 (FY2568); 2540 is the Act's year"),
    ("cite-act2561-current", "O21", O21, ANTI_CORRUPTION_ACT, "ประกาศ ณ วันที่ 15 ตุลาคม 2567", "pass",
     "own date 15 Oct 2567; 2561 names the organic act"),
    ("cite-order-current", "O25", O25, ORDER, "ประกาศ ณ วันที่ 2 ธันวาคม 2567", "pass",
     "order 125/2562 is a citation; the page is dated 2 Dec 2567"),
    ("cite-plan-range-current", "O25", O25 + " ประจำปีงบประมาณ พ.ศ. 2568", MASTER_PLAN, "จัดทำโดย กลุ่มงานนิติการ",
     "pass", "FY2568 plan under the 2566–2570 master plan"),
    ("cite-decree-current", "O4", O4, DECREE, "วันที่ 12 กุมภาพันธ์ 2568", "pass",
     "own date 12 Feb 2568; the 2546 decree is cited"),
    ("cite-ministry-current", "O4", O4, MINISTRY, "วันที่ 5 มี.ค. 68", "pass", "own date 5 Mar 2568; 2564 announcement cited"),
    ("cite-regulation-current", "O21", O21, PROCUREMENT_ACT, "ประกาศ ณ วันที่ ๑๑ พฤศจิกายน ๒๕๖๗", "pass",
     "own date 11 Nov 2567; 2560 names the act and regulation"),
    ("cite-act2540-old", "O21", O21, ACT_2540, "ประกาศ ณ วันที่ ๙ ธันวาคม พ.ศ.๒๕๖๓", "fail",
     "own date 9 Dec 2563 (FY2564): stale whatever the Act's year"),
    ("cite-regulation-old", "O25", O25, PROCUREMENT_ACT, "ประกาศ ณ วันที่ 1 ตุลาคม 2566", "fail",
     "own date 1 Oct 2566 is FY2567; FY2568 required"),
    ("cite-only-act", "O21", O21, ACT_2540, "กลุ่มงานนิติการ", "warn",
     "the only year is the Act's 2540: no own date, needs a human look"),
    ("cite-only-order-regulation", "O25", O25, ORDER + " " + PROCUREMENT_ACT, "กลุ่มงานบริหารทั่วไป", "warn",
     "only citations (2562, 2560): the page has no date of its own"),
    ("cite-only-decree", "O4", O4, DECREE, "งานประชาสัมพันธ์", "warn", "only the decree's 2546: no own date"),
]:
    case(cid, "citation + date" if expected != "warn" else "citations only", item, expected, why,
         dated(item, title, line, extra=f"<p>{cite}</p>"), f"/ita/{item.lower()}.html",
         reason={"fail": "stale_fiscal_year", "warn": "no_date_found"}.get(expected))

# Previous-fiscal-year reports (FY2567) with citations in the text.
for cid, item, body, expected, why, reason in [
    ("report-o13-cites-2560", "O13", o13_body("2567", f"<p>{PROCUREMENT_ACT}</p><p>ณ วันที่ ๓๑ ตุลาคม ๒๕๖๗</p>"),
     "pass", "FY2567 procurement report citing the 2560 act (the observed false fail)", None),
    ("report-o26-cites-2540", "O26", o26_body("๒๕๖๗", extra=f"<p>{ACT_2540}</p>"), "pass",
     "FY2567 report; the 2540 act is only cited", None),
    ("report-o26-fy2567", "O26", o26_body("2567"), "pass", "complete FY2567 report", None),
    ("report-o26-fy2566", "O26", o26_body("2566"), "fail", "reports on FY2566; FY2567 is required",
     "stale_fiscal_year"),
    ("report-o26-undated", "O26", o26_body(""), "warn", "complete but no year anywhere", "no_date_found"),
    ("report-o15-fy2567", "O15", o15_body(), "pass", "FY2567 HR report with problems and suggestions", None),
    ("report-o24-fy2567", "O24", o24_body(), "pass", "FY2567 risk report: risks, measures, results", None),
    ("report-o13-range", "O13", o13_body("2567").replace("ประจำปีงบประมาณ พ.ศ. 2567",
                                                         "ระหว่าง 1 ตุลาคม 2566 – 30 กันยายน 2567"),
     "pass", "the period 1 Oct 2566 – 30 Sep 2567 is FY2567", None),
]:
    case(cid, "report period", item, expected, why, site(f"/ita/{item.lower()}.html", f"{item} รายงาน", body),
         f"/ita/{item.lower()}.html", reason=reason)

# Last-Modified is weak evidence.
for cid, stamp, why in [("last-modified-current", "Wed, 08 Jan 2025 03:00:00 GMT", "no date in the text; only the server's file time"),
                        ("last-modified-old", "Mon, 06 Jun 2022 03:00:00 GMT", "an old file time alone never makes a page stale")]:
    files = site("/ita/o25.html", O25, "")
    files["/ita/o25.html"] = Reply(200, {"Content-Type": HTML, "Last-Modified": stamp},
                                   page(O25, f"<h2>{O25}</h2><p>โครงการส่งเสริมคุณธรรม 5 โครงการ</p>"))
    case(cid, "last-modified only", "O25", "warn", why, files, "/ita/o25.html")

# == 2. Elements, evidence behind item pages, menus ==================================================

for cid, item, body, expected, why, reason in [
    ("elements-o3-complete", "O3", o3_body(), "pass", "address, phone (Thai digits) and e-mail", None),
    ("elements-o8-no-durations", "O8", o8_body().replace(" ระยะเวลา 1 วัน", "").replace(" ระยะเวลา 15 วัน", "")
     .replace(" ระยะเวลา 3 วัน", ""), "fail", "the manual gives steps and the law but no duration", "missing_element"),
    ("elements-o2-footer-contact", "O2", o2_body().replace(
        "<p>ช่องทางการติดต่อ โทรศัพท์ 0 4323 6781 ต่อ 101 อีเมล pho@example.go.th</p>", ""), "pass",
     "names and positions on the page; phone and e-mail in the site footer (the checklist accepts it)", None),
    ("elements-o2-executives", "O2", o2_body(), "pass", "names, positions and contact of the executives", None),
    ("elements-o1-structure", "O1", "<img src='/images/chart.png' alt='แผนผังโครงสร้างองค์กร'><h3>อำนาจหน้าที่</h3>"
     "<p>จัดทำแผนยุทธศาสตร์ด้านสุขภาพระดับจังหวัด ควบคุม กำกับ ดูแลหน่วยบริการ</p><p>แผนผังโครงสร้าง</p>", "pass",
     "chart and powers on the page", None),
    ("elements-o8-manual", "O8", o8_body(), "pass", "steps, durations and the law", None),
    ("elements-o26-no-suggestions", "O26", o26_body("2567", suggestions=False), "fail",
     "FY2567 report without suggestions", "missing_element"),
    ("elements-o26-nil-problems", "O26", o26_body("2567").replace("บุคลากรมีภารกิจประจำมาก การเข้าร่วมกิจกรรมไม่ครบตามเป้าหมาย",
                                                                   "ไม่มี").replace(
        "ควรจัดกิจกรรมผ่านระบบออนไลน์ และบูรณาการกับงานประจำ", "ไม่มี"), "pass",
     "problems and suggestions stated as 'ไม่มี' (nothing to report is written)", None),
    ("spelling-o8-kor-por", "O8", o8_body(spelling=True), "pass", "กฏหมาย/ปฎิบัติ misspelt, otherwise complete", None),
    ("spelling-o26-double-e", "O26", o26_body("2567").replace("ข้อเสนอแนะ", "ข้อเสนอเเนะ"), "pass",
     "ข้อเสนอเเนะ typed with two sara e, otherwise complete", None),
    ("spelling-o15-double-e", "O15", o15_body().replace("ข้อเสนอแนะ", "ข้อเสนอเเนะ").replace(
        "ปัญหาอุปสรรค", "ปัญหาเเละอุปสรรค"), "pass", "ปัญหาเเละอุปสรรค / ข้อเสนอเเนะ typed with เเ", None),
    ("spelling-o8-mixed", "O8", o8_body(spelling=True).replace("ขั้นตอนการดำเนินงาน", "ขั้นตอนการปฎิบัติงาน"),
     "pass", "ปฎิบัติ in the headings, กฏหมาย for the law: complete", None),
]:
    case(cid, "misspelling" if cid.startswith("spelling") else "elements", item, expected, why,
         site(f"/ita/{item.lower()}.html", f"{item} {NAMES[item]}", body), f"/ita/{item.lower()}.html",
         reason=reason)

# Item pages whose evidence is a linked document.
O26_PDF = Pdf("รายงานผลการดำเนินการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. ๒๕๖๗", o26_body("") + EXEC_SIGN
              + "<p>ณ วันที่ ๑๕ ตุลาคม ๒๕๖๗</p>")
O13_PDF = Pdf("รายงานผลการจัดซื้อจัดจ้าง ประจำปีงบประมาณ พ.ศ. 2567", o13_body("2567", f"<p>{PROCUREMENT_ACT}</p>"))
O24_PDF_OLD = Pdf("รายงานผลการจัดการความเสี่ยงการทุจริต ประจำปีงบประมาณ พ.ศ. 2566", o24_body("2566"))
O26_PDF_NO_SUGG = Pdf("รายงานผลการดำเนินการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. 2567", o26_body("2567", suggestions=False))
O15_PDF = Pdf("รายงานผลการบริหารและพัฒนาทรัพยากรบุคคล ประจำปีงบประมาณ พ.ศ. ๒๕๖๗", th(o15_body("2567")))
O26_DOCX = Docx(("รายงานผลการดำเนินการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. 2567", "1. ผลการดำเนินการ",
                 "ดำเนินโครงการ 6 โครงการ บรรลุเป้าหมาย 5 โครงการ", "2. งบประมาณที่ใช้", "ใช้งบประมาณ 148,500 บาท",
                 "3. ปัญหาอุปสรรค", "บุคลากรไม่เพียงพอ", "4. ข้อเสนอแนะ", "ควรบูรณาการกับงานประจำ"))
O13_XLSX = Xlsx((("สรุปผล ปีงบ 2567", (("รายงานสรุปผลการจัดซื้อจัดจ้าง ประจำปีงบประมาณ พ.ศ. 2567",),
                                        ("วิธีการจัดซื้อจัดจ้าง", "จำนวนโครงการ", "จำนวนเงิน"),
                                        ("วิธีเฉพาะเจาะจง", 212, "4,528,310.00 บาท"),
                                        ("วิธีประกาศเชิญชวนทั่วไป", 4, "6,210,000.00 บาท"))),
                 ("ปัญหาอุปสรรค", (("ปัญหาอุปสรรค", "ผู้ค้ายื่นเอกสารไม่ครบ"), ("ข้อเสนอแนะ", "อบรมเจ้าหน้าที่พัสดุ")))),
                title="รายงานสรุปผลการจัดซื้อจัดจ้าง ประจำปีงบประมาณ พ.ศ. 2567")


def linking(item: str, doc_path: str, doc: object, link_text: str, *, template: str = "plain",
            intro: str = "", side: bool = False) -> dict[str, object]:
    """An item page that says little and links its evidence file."""
    path = f"/ita/{item.lower()}.html"
    return site(path, f"{item} {NAMES[item]}", f"{intro}<p><a href=\"{doc_path}\">{link_text}</a></p>",
                template=template, side=side, extra={doc_path: doc})


for cid, item, doc_path, doc, text, template, expected, why, reason in [
    ("linked-pdf-o26", "O26", "/files/ita2568/o26-report-2567.pdf", O26_PDF, "ดาวน์โหลดเอกสาร (PDF)", "plain", "pass",
     "the linked PDF is the complete FY2567 report", None),
    ("linked-pdf-o13-cites", "O13", "/files/o13.pdf", O13_PDF, "รายงานผลการจัดซื้อจัดจ้าง ประจำปี 2567", "plain", "pass",
     "linked PDF: FY2567 summary, problems, suggestions (cites the 2560 act)", None),
    ("linked-docx-o26", "O26", "/files/o26.docx", O26_DOCX, "รายงาน (Word)", "plain", "pass",
     "the linked DOCX holds every element for FY2567", None),
    ("linked-xlsx-o13", "O13", "/files/o13.xlsx", O13_XLSX, "ไฟล์ Excel สรุปผล", "plain", "pass",
     "the linked workbook holds the summary, problems, suggestions, FY2567", None),
    ("linked-pdf-thai-digits-o15", "O15", "/files/o15.pdf", O15_PDF, "คลิกที่นี่", "plain", "pass",
     "linked PDF in Thai digits, FY2567, complete", None),
    ("linked-pdf-old-o24", "O24", "/files/o24-2566.pdf", O24_PDF_OLD, "รายงานผลการจัดการความเสี่ยง", "plain", "fail",
     "the linked report covers FY2566", "stale_fiscal_year"),
    ("linked-pdf-incomplete-o26", "O26", "/files/o26.pdf", O26_PDF_NO_SUGG, "ดาวน์โหลด", "plain", "fail",
     "the linked report lacks suggestions", "missing_element"),
    ("joomla-linked-pdf-o26", "O26", "/images/ita/2568/O26.pdf", O26_PDF, "O26 รายงานผลการดำเนินการป้องกันการทุจริต",
     "joomla", "pass", "Joomla article linking the complete FY2567 report", None),
    ("wordpress-linked-pdf-o13", "O13", "/wp-content/uploads/2024/11/o13-2567.pdf", O13_PDF, "o13-2567", "wordpress",
     "pass", "WordPress file block linking the complete FY2567 report", None),
    ("nextjs-linked-docx-o26", "O26", "/docs/o26.docx", O26_DOCX, "เอกสารประกอบ", "nextjs", "pass",
     "Next.js page linking the complete report", None),
]:
    case(cid, "linked evidence", item, expected, why, linking(item, doc_path, doc, text, template=template),
         f"/ita/{item.lower()}.html", reason=reason)

# Evidence linked from a page whose side menu names every item: the document decides, not the menu.
for cid, item, doc_path, doc, template, why in [
    ("menu-linked-pdf-joomla", "O26", "/images/ita/o26.pdf", O26_PDF, "joomla",
     "Joomla page with the ITA side module, linking the complete report"),
    ("menu-linked-docx-wordpress", "O26", "/wp-content/uploads/o26.docx", O26_DOCX, "wordpress",
     "WordPress page with the ITA widget, linking the complete report"),
    ("menu-linked-xlsx-plain", "O13", "/files/o13-2567.xlsx", O13_XLSX, "plain",
     "side menu of every item, linking the complete procurement workbook"),
    ("menu-linked-old-pdf", "O24", "/files/o24-2566.pdf", O24_PDF_OLD, "plain",
     "side menu of every item, linking a FY2566 report"),
]:
    case(cid, "linked evidence", item, "fail" if "old" in cid else "pass", why,
         linking(item, doc_path, doc, "ดาวน์โหลดเอกสาร", template=template, side=True), f"/ita/{item.lower()}.html",
         reason="stale_fiscal_year" if "old" in cid else None)

# A linked sub-page whose link text names the item.
sub = site("/ita/o24.html", "O24 " + NAMES["O24"],
           '<p><a href="/ita/o24/report-2567.html">รายงานผลการดำเนินการเพื่อจัดการความเสี่ยงการทุจริต ประจำปี 2567</a></p>')
sub["/ita/o24/report-2567.html"] = page("รายงานผลการจัดการความเสี่ยง 2567", o24_body())
case("linked-subpage-o24", "linked evidence", "O24", "pass", "the sub-page the item links holds the FY2567 report",
     sub, "/ita/o24.html")

# Broken evidence and placeholders.
for cid, item, link, extra, expected, why, reason, shape in [
    ("broken-pdf-404", "O13", '<a href="/files/o13-2567.pdf">ดาวน์โหลดรายงาน</a>', {}, "fail",
     "the only evidence link answers 404", "broken_attachment", "broken evidence"),
    ("broken-docx-500", "O26", '<a href="/files/o26.docx">รายงานผล (Word)</a>',
     {"/files/o26.docx": Reply(500, {"Content-Type": HTML}, "<h1>Internal Server Error</h1>")}, "fail",
     "the evidence file errors on every try", "broken_attachment", "broken evidence"),
    ("broken-pdf-dead-port", "O24", '<a href="@@DEAD@@/files/o24.pdf">รายงาน</a>', {}, "fail",
     "evidence link to the agency's own host refuses connections", "broken_attachment", "broken evidence"),
    ("placeholder-hash", "O13", '<a href="#">ดาวน์โหลดเอกสาร</a>', {}, "fail",
     "the download link is href=\"#\": no document", "placeholder_link", "placeholder link"),
    ("placeholder-javascript", "O26", '<a href="javascript:void(0)">รายงานผลการดำเนินการ (PDF)</a>', {}, "fail",
     "javascript:void(0) where the report should be", "placeholder_link", "placeholder link"),
    ("placeholder-empty", "O15", '<a href="">คลิกเพื่อดาวน์โหลด</a>', {}, "fail",
     "an empty href where the report should be", "placeholder_link", "placeholder link"),
]:
    path = f"/ita/{item.lower()}.html"
    case(cid, shape, item, expected, why, site(path, f"{item} {NAMES[item]}",
                                               f"<p>{NAMES[item]} ประจำปีงบประมาณ พ.ศ. 2567</p><p>{link}</p>",
                                               extra=extra), path, reason=reason)

# No evidence, while a menu or header names every item.
for cid, item, content, template, why in [
    ("menu-o24-side", "O24", "<p>อยู่ระหว่างการปรับปรุงข้อมูล</p>", "plain",
     "empty page; only the side menu names risks, measures and results"),
    ("menu-o13-joomla", "O13", "", "joomla", "empty Joomla article; the side module lists every item"),
    ("menu-o26-wordpress", "O26", "<p>&nbsp;</p>", "wordpress", "empty WordPress page; the widget menu lists every item"),
    ("menu-o15-nextjs", "O15", "<p>กำลังดำเนินการ</p>", "nextjs", "Next.js page with no content; menu and __NEXT_DATA__ list items"),
    ("menu-o1-plain", "O1", "<p>-</p>", "plain", "a dash for content; the menu names โครงสร้างและอำนาจหน้าที่"),
    ("menu-o13-heading-only", "O13", "", "plain", "only the item's title as heading and the menu"),
]:
    path = f"/ita/{item.lower()}.html"
    case(cid, "menu, no evidence", item, "fail", why,
         site(path, f"{item} {NAMES[item]}", content, template=template, side=True), path,
         reason="no_evidence")

# Pages that copy the assessment's instructions.
for cid, item, text, why in [
    ("instructions-o13", "O13",
     "<p>ข้อ O13 รายงานผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุประจำปี</p><p>รายละเอียดข้อมูลขั้นต่ำประกอบการพิจารณา: "
     "แสดงรายงานผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุของหน่วยงาน มีข้อมูลรายละเอียดอย่างน้อยประกอบด้วย "
     "สรุปผลการจัดซื้อจัดจ้าง เช่น จำนวนโครงการ งบประมาณที่ใช้ ปัญหาอุปสรรค และข้อเสนอแนะ "
     "เป็นข้อมูลของปี พ.ศ. 2567</p>", "the criteria text, no report"),
    ("instructions-o26", "O26",
     "<p>ตัวชี้วัดย่อยที่ 10.2 ข้อ O26 รายงานผลการดำเนินการป้องกันการทุจริตประจำปี</p><p>องค์ประกอบด้านข้อมูล: "
     "แสดงผลการดำเนินการตามแผนปฏิบัติการป้องกันการทุจริต มีข้อมูลรายละเอียดอย่างน้อยประกอบด้วย ผลการดำเนินการ "
     "ผลการใช้จ่ายงบประมาณ ปัญหาอุปสรรค ข้อเสนอแนะ เป็นข้อมูลของปี พ.ศ. 2567</p>", "the criteria text, no report"),
    ("instructions-o24", "O24",
     "<p>O24 รายงานผลการดำเนินการเพื่อจัดการความเสี่ยงการทุจริต</p><p>คำอธิบาย: แสดงผลการดำเนินการตามมาตรการหรือ"
     "กิจกรรมเพื่อจัดการความเสี่ยงการทุจริต ประจำปี พ.ศ. 2567</p>", "the criteria text, no report"),
]:
    path = f"/ita/{item.lower()}.html"
    case(cid, "instructions copy", item, "fail", why, site(path, f"{item} {NAMES[item]}", text), path)

# Explicit nil statements.
case("nil-complaints-o19", "nil statement", "O19", "pass",
     "'no complaints in FY2567' is the data the item asks for",
     site("/ita/o19.html", "O19 ข้อมูลสถิติเรื่องร้องเรียน",
          "<h2>ข้อมูลสถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ ประจำปีงบประมาณ พ.ศ. 2567</h2>"
          "<p>ในปีงบประมาณ พ.ศ. 2567 ไม่มีเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ</p><p>ข้อมูล ณ วันที่ 30 กันยายน 2567</p>"),
     "/ita/o19.html")
case("nil-complaints-undated", "nil statement", "O19", "warn", "'ไม่มีเรื่องร้องเรียน' with no year: needs a human look",
     site("/ita/o19.html", "O19 ข้อมูลสถิติเรื่องร้องเรียน", "<p>ไม่มีเรื่องร้องเรียน</p>"), "/ita/o19.html",
     reason="no_date_found")
case("nil-gifts-o22", "nil statement", "O22", "pass", "no gifts received in FY2568, stated and dated",
     site("/ita/o22.html", "O22 รายงานการรับทรัพย์สิน",
          "<h2>รายงานการรับทรัพย์สินหรือประโยชน์อื่นใดโดยธรรมจรรยา ประจำปีงบประมาณ พ.ศ. 2568</h2>"
          "<p>ไม่มีการรับทรัพย์สินหรือประโยชน์อื่นใด</p><p>ข้อมูล ณ วันที่ 31 มีนาคม 2568</p>"), "/ita/o22.html")
case("nil-complaints-stale", "nil statement", "O19", "fail", "'no complaints' stated for FY2565, not FY2567",
     site("/ita/o19.html", "O19 ข้อมูลสถิติเรื่องร้องเรียน",
          "<h2>ข้อมูลสถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ ประจำปีงบประมาณ พ.ศ. 2565</h2>"
          "<p>ไม่มีเรื่องร้องเรียน</p>"), "/ita/o19.html", reason="stale_fiscal_year")
case("nil-wrong-subject-o26", "nil statement", "O26", "fail",
     "'ไม่มีค่าใช้จ่าย' denies costs, not the report: results, problems, suggestions are missing",
     site("/ita/o26.html", "O26 " + NAMES["O26"],
          "<h2>รายงานผลการดำเนินการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. 2567</h2><p>ไม่มีค่าใช้จ่าย</p>"),
     "/ita/o26.html", reason="missing_element")
MONTHS = [("ตุลาคม", 2566), ("พฤศจิกายน", 2566), ("ธันวาคม", 2566), ("มกราคม", 2567), ("กุมภาพันธ์", 2567),
          ("มีนาคม", 2567), ("เมษายน", 2567), ("พฤษภาคม", 2567), ("มิถุนายน", 2567), ("กรกฎาคม", 2567),
          ("สิงหาคม", 2567), ("กันยายน", 2567)]
TABLE = ("<table><tr><th>ลำดับที่</th><th>งานที่จัดซื้อหรือจัดจ้าง</th><th>ราคากลาง (บาท)</th><th>วิธีซื้อหรือจ้าง</th>"
         "<th>ผู้ได้รับการคัดเลือกและราคาที่ตกลงซื้อหรือจ้าง</th></tr><tr><td>1</td><td>จัดซื้อวัสดุสำนักงาน</td>"
         "<td>12,000.00</td><td>เฉพาะเจาะจง</td><td>ร้านตัวอย่างพาณิชย์ 12,000.00 บาท</td></tr></table>")
NIL_MONTH = "<p>ไม่มีการจัดซื้อจัดจ้างในเดือนนี้</p>"
case("nil-procurement-some-months", "nil statement", "O23", "pass",
     "every FY2567 month listed; three months state no procurement",
     site("/ita/o23.html", "สรุปผลการจัดซื้อจัดจ้างรายเดือน ปีงบประมาณ พ.ศ. 2567", "".join(
         f"<h3>สรุปผลการดำเนินการจัดซื้อจัดจ้างในรอบเดือน{m} {y}</h3>" + (NIL_MONTH if i in (2, 6, 11) else TABLE)
         for i, (m, y) in enumerate(MONTHS))), "/ita/o23.html", checklist="ita-2567")
case("nil-procurement-all-months", "nil statement", "O23", "pass",
     "no procurement in any month, stated month by month: an explicit nil statement for each period",
     site("/ita/o23.html", "สรุปผลการจัดซื้อจัดจ้างรายเดือน ปีงบประมาณ พ.ศ. 2567", "".join(
         f"<h3>สรุปผลการดำเนินการจัดซื้อจัดจ้างในรอบเดือน{m} {y}</h3>{NIL_MONTH}" for m, y in MONTHS)),
     "/ita/o23.html", checklist="ita-2567")

# == 4. Scans and legacy-font PDFs ===================================================================

SCAN_O26 = Scan("รายงานผลการดำเนินการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. 2567", o26_body(""))
SCAN_O13 = Scan("รายงานผลการจัดซื้อจัดจ้าง ประจำปีงบประมาณ พ.ศ. 2567", o13_body(""))
SCAN_FAINT = Scan("รายงานผลการดำเนินการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. 2567", o26_body(""), faint=True)
SCAN_OLD = Scan("รายงานผลการดำเนินการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. ๒๕๖๕", th(o26_body("")))
SCAN_THAI_CURRENT = Scan("รายงานผลการดำเนินการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. ๒๕๖๗", th(o26_body("")))
LEGACY_O26 = LegacyPdf("รายงานผลการดำเนินการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. 2567", o26_body(""))
LEGACY_O15 = LegacyPdf("รายงานผลการบริหารและพัฒนาทรัพยากรบุคคล ประจำปีงบประมาณ พ.ศ. 2567", o15_body(""))
LEGACY_FAINT = LegacyPdf("รายงานผลการดำเนินการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. 2567", o26_body(""), faint=True)
for cid, shape, item, doc, direct, expected, why, reason in [
    ("scan-direct-o13", "scanned PDF", "O13", SCAN_O13, True, "pass", "a clear scan of the complete FY2567 report (OCR)", None),
    ("scan-linked-o26", "scanned PDF", "O26", SCAN_O26, False, "pass", "item page links a clear scan of the report", None),
    ("scan-faint-o26", "scanned PDF", "O26", SCAN_FAINT, True, "unverified",
     "a faint photocopy: nobody can read it by machine", "no_text_layer"),
    ("scan-old-year-ocr", "scanned PDF", "O26", SCAN_OLD, True, "unverified",
     "a stale year read only by OCR (Thai digits) stays unverified: check the scan (stale_year_ocr, or "
     "year_unread_ocr when OCR garbles the year)", None),
    ("scan-thai-digits-current", "scanned PDF", "O26", SCAN_THAI_CURRENT, True, "pass",
     "a clear scan dated ๒๕๖๗ in Thai digits (OCR may read ๖ as ๒: never a fail)", None),
    ("legacy-direct-o26", "legacy-font PDF", "O26", LEGACY_O26, True, "pass",
     "text layer is Latin garbage; the page shows the complete Thai report (OCR reads it)", None),
    ("legacy-linked-o15", "legacy-font PDF", "O15", LEGACY_O15, False, "pass",
     "linked legacy-font PDF of the complete HR report", None),
    ("legacy-faint-o26", "legacy-font PDF", "O26", LEGACY_FAINT, True, "unverified",
     "garbage text layer over a poor image: never fail, cannot tell", "unreadable_text_layer"),
]:
    doc_path = f"/files/{cid}.pdf"
    path = doc_path if direct else f"/ita/{item.lower()}.html"
    files = linking(item, doc_path, doc, "ดาวน์โหลดรายงาน (PDF)")
    case(cid, shape, item, expected, why, files, path, reason=reason)

# == 5. Soft 404 ====================================================================================

NOT_FOUND = page("ไม่พบหน้าที่ต้องการ", "<h2>404 ไม่พบหน้าที่ท่านต้องการ</h2><p>หน้าที่ท่านเรียกอาจถูกย้ายหรือลบไปแล้ว</p>",
                 long_header=True)
soft_files = site("/ita/o1.html", "O1 โครงสร้างและอำนาจหน้าที่",
                  "<p>แผนผังโครงสร้าง</p><p>อำนาจหน้าที่: ควบคุม กำกับ ดูแลหน่วยบริการสาธารณสุข</p>", long_header=True)
soft_files["*"] = Reply(200, {"Content-Type": HTML}, NOT_FOUND)
case("soft404-long-header-real", "soft-404", "O1", "pass",
     "real content under a 5,000-character common header; the site answers 200 to missing paths", soft_files, "/ita/o1.html")
soft_real = dict(soft_files)
del soft_real["/ita/o1.html"]
case("soft404-real", "soft-404", "O1", "fail", "the item URL shows the site's not-found page with status 200",
     soft_real, "/ita/o1.html", reason="soft_404")
joomla_404 = site("/ita/o3.html", "O3", "", template="joomla")
joomla_404["*"] = Reply(200, {"Content-Type": HTML}, page("404", "<h2>ไม่พบบทความ</h2><p>Article not found</p>", template="joomla"))
del joomla_404["/ita/o3.html"]
case("soft404-joomla", "soft-404", "O3", "fail", "Joomla 'article not found' with status 200",
     joomla_404, "/ita/o3.html", reason="soft_404")
soft_o26 = site("/ita/o26.html", "O26", o26_body("2567"), long_header=True)
soft_o26["*"] = Reply(200, {"Content-Type": HTML}, NOT_FOUND)
case("soft404-long-header-report", "soft-404", "O26", "pass",
     "complete report under the same long header the not-found page has", soft_o26, "/ita/o26.html")

# == 6. Login boxes, walls, dead URLs ================================================================

for cid, template, item, body, why in [
    ("login-box-joomla-o3", "joomla", "O3", o3_body(), "Joomla login module in the header beside a complete contact page"),
    ("login-box-wordpress-o2", "wordpress", "O2", o2_body(), "WordPress login widget in the sidebar"),
    ("login-box-plain-o26", "plain", "O26", o26_body("2567"), "member login box in the header of a complete report"),
]:
    path = f"/ita/{item.lower()}.html"
    case(cid, "login box", item, "pass", why,
         site(path, f"{item} {NAMES[item]}", body, template=template, login=True), path)
walls = site("/ita/o3.html", "O3", "")
walls["/ita/o3.html"] = Reply(302, {"Location": "/login?return=/ita/o3.html", "Content-Type": HTML}, "")
walls["/login"] = page("เข้าสู่ระบบ", "<h2>เข้าสู่ระบบ</h2>" + LOGIN_BOX)
case("wall-redirect-login", "login wall", "O3", "fail", "the item URL redirects to a login page", walls, "/ita/o3.html",
     reason="login_wall")
basic = site("/ita/o2.html", "O2", "")
basic["/ita/o2.html"] = Reply(401, {"Content-Type": HTML, "WWW-Authenticate": 'Basic realm="intranet"'},
                              "<h1>401 Unauthorized</h1>")
case("wall-401", "login wall", "O2", "fail", "HTTP 401: the public cannot see it", basic, "/ita/o2.html")
intranet = site("/ita/o26.html", "ระบบสารสนเทศภายใน",
                "<h2>กรุณาเข้าสู่ระบบ</h2><form action='/login' method='post'><input name='user'>"
                "<input type='password' name='pw'><button>เข้าสู่ระบบ</button></form>")
case("wall-form-content", "login wall", "O26", "fail", "the page's main content is a login form", intranet,
     "/ita/o26.html", reason="login_wall")

dead = site("/ita/o3.html", "O3", o3_body())
case("dead-own-host", "dead URL", "O3", "fail", "connection refused on the agency's own host while the homepage answers",
     dead, "@@DEAD@@/ita/o3.html", reason="connect_error")
gone = site("/ita/o3.html", "O3", o3_body())
del gone["/ita/o3.html"]
case("http-404-own-host", "dead URL", "O3", "fail", "the item URL answers 404", gone, "/ita/o3.html", reason="http_404")
case("homepage-as-item", "location", "O4", "warn", "the homepage given for the news item: it must lead to the news",
     site("/ita/o4.html", "O4", "<p>ข่าวประชาสัมพันธ์ ประจำเดือนธันวาคม 2567</p>"), "/", reason="homepage_as_item_url")
case("orphan-o26", "location", "O26", "warn", "complete report, but no link to it from the site",
     site("/ita/o26-2567.html", "O26", o26_body("2567"), link_item=False), "/ita/o26-2567.html", reason="orphan_page")

# External (social) pages: the fidelity checklist's S9 allows the host localhost.
SOCIAL = ('<!DOCTYPE html><html lang="th"><head><meta charset="utf-8"><title>สำนักงานสาธารณสุขจังหวัดตัวอย่าง | Facebook'
          '</title></head><body><header role="banner"><a href="/">facebook</a><form action="/login/" method="post">'
          '<input type="email" name="email" placeholder="อีเมลหรือโทรศัพท์"><input type="password" name="pass">'
          '<button name="login">เข้าสู่ระบบ</button></form></header><div role="main"><h1>สำนักงานสาธารณสุขจังหวัดตัวอย่าง'
          '</h1><div role="feed"><article><p>ประชาสัมพันธ์ รณรงค์ฉีดวัคซีนไข้หวัดใหญ่ 15 พฤศจิกายน 2567</p></article>'
          '<article><p>ประชุมคณะกรรมการ 2 ธันวาคม 2567</p></article></div></div></body></html>')
SOCIAL_LINK = '<p><a href="@@EXT@@/pho.example">Facebook สำนักงานสาธารณสุขจังหวัดตัวอย่าง</a></p>'
case("social-login-header", "social page", "S9", "pass",
     "public posts with the network's login box in its header, linked from the ITA index",
     site("@@EXT@@/pho.example", "", "", index=SOCIAL_LINK), "@@EXT@@/pho.example",
     checklist=FIDELITY_CHECKLIST, external={"/pho.example": SOCIAL})
JS_INDEX = ('<div id="ita-accordion"></div><script>const items = [["@@EXT@@/pho.example", "O9 Social Network"],'
            '["/ita/o1.html", "O1 โครงสร้างและอำนาจหน้าที่"]]; document.getElementById("ita-accordion").innerHTML = '
            'items.map(([h, t]) => `<a href="${h}">${t}</a>`).join("<br>");</script>')
case("social-js-index", "social page", "S9", "pass",
     "the ITA index builds its links with JavaScript; in a browser it links the public page",
     site("@@EXT@@/pho.example", "", "", index=JS_INDEX), "@@EXT@@/pho.example",
     checklist=FIDELITY_CHECKLIST, external={"/pho.example": SOCIAL}, browser="auto")
broken_index = site("@@EXT@@/pho.example", "", "")
broken_index["/"] = ('<!DOCTYPE html><html lang="th"><head><meta charset="utf-8"><title>หน้าแรก</title></head><body>'
                     '<h1>สำนักงานสาธารณสุขจังหวัดตัวอย่าง</h1><p><a href="@@DEAD@@/ita/">ITA 2568</a></p></body></html>')
"""The homepage's only way to the ITA index is a link the crawl cannot open (its host refuses)."""
case("social-index-unreachable", "crawl incomplete", "S9", "unverified",
     "the ITA index would not open during the crawl: whether it links the page is unknown",
     broken_index, "@@EXT@@/pho.example", checklist=FIDELITY_CHECKLIST, external={"/pho.example": SOCIAL},
     reason="crawl_incomplete")
index_500 = site("@@EXT@@/pho.example", "", "")
index_500["/ita/"] = Reply(503, {"Content-Type": HTML}, "<h1>Service Unavailable</h1>")
case("social-index-503", "crawl incomplete", "S9", "unverified", "the ITA index answered 503 to the crawl",
     index_500, "@@EXT@@/pho.example", checklist=FIDELITY_CHECKLIST, external={"/pho.example": SOCIAL},
     reason="crawl_incomplete")
case("social-not-linked", "social page", "S9", "fail", "the whole site was read and nothing links the page",
     site("@@EXT@@/pho.example", "", "", link_item=False), "@@EXT@@/pho.example", checklist=FIDELITY_CHECKLIST,
     external={"/pho.example": SOCIAL}, reason="not_linked_from_main_site")

# == Encodings and frameworks =======================================================================

def tis620(text: str, header: bool) -> Reply:
    """A page in TIS-620: charset in the Content-Type header (windows-874), or only in a meta tag."""
    body = text.replace('charset="utf-8"', 'charset="tis-620"').replace("©", "(c)")
    return Reply(200, {"Content-Type": "text/html; charset=windows-874" if header else "text/html"}, body.encode("cp874"))


for cid, item, body, header, expected, why, reason in [
    ("tis620-o3-header", "O3", o3_body(), True, "pass", "windows-874 contact page (charset in the header)", None),
    ("tis620-o4-meta", "O4", f"<h2>{O4}</h2><p>วันที่ ๑๒ ธันวาคม ๒๕๖๗</p>", False, "pass",
     "TIS-620 news page dated 12 Dec 2567 (charset only in a meta tag)", None),
    ("tis620-o26-complete", "O26", o26_body("2567"), False, "pass", "TIS-620 complete FY2567 report", None),
    ("tis620-o26-stale", "O26", o26_body("2565"), True, "fail", "TIS-620 report for FY2565", "stale_fiscal_year"),
    ("tis620-o21-cites", "O21", f"<h2>{O21}</h2>{ANNOUNCE}<p>{ACT_2540}</p><p>ประกาศ ณ วันที่ 8 มกราคม 2568</p>", True,
     "pass", "TIS-620 announcement dated 8 Jan 2568 citing the 2540 act", None),
]:
    path = f"/ita/{item.lower()}.html"
    files = site(path, f"{item} {NAMES[item]}", body)
    files[path] = tis620(str(files[path]), header)
    case(cid, "TIS-620", item, expected, why, files, path, reason=reason)

for cid, template, item, body, expected, why in [
    ("joomla-o3", "joomla", "O3", o3_body(), "pass", "Joomla contact article"),
    ("joomla-o21-dated", "joomla", "O21",
     f"{ANNOUNCE}<dl class='article-info'><dd class='published'><time datetime='2025-01-08T09:00:00+07:00'>"
     "08 มกราคม 2568</time></dd></dl>", "pass", "Joomla article published 8 Jan 2568"),
    ("joomla-o26-complete", "joomla", "O26", o26_body("2567"), "pass", "Joomla article with the complete report"),
    ("wordpress-o8", "wordpress", "O8", o8_body(), "pass", "WordPress page with the complete manual"),
    ("wordpress-o26-stale", "wordpress", "O26", o26_body("2566"), "fail", "WordPress page, FY2566 report"),
    ("wordpress-o4-dated", "wordpress", "O4", "<p>ประชุมคณะกรรมการ</p><time class='entry-date published' "
     "datetime='2024-12-12T10:00:00+07:00'>12 ธันวาคม 2567</time>", "pass", "WordPress post dated 12 Dec 2567"),
    ("nextjs-o3", "nextjs", "O3", o3_body(), "pass", "server-rendered Next.js contact page"),
    ("nextjs-o26-complete", "nextjs", "O26", o26_body("2567"), "pass", "server-rendered Next.js report"),
    ("nextjs-o2", "nextjs", "O2", o2_body(), "pass", "server-rendered Next.js executives page"),
]:
    path = f"/ita/{item.lower()}.html"
    case(cid, template, item, expected, why, site(path, f"{item} {NAMES[item]}", body, template=template),
         path, reason="stale_fiscal_year" if expected == "fail" else None)

CSR = ('<!DOCTYPE html><html lang="th"><head><meta charset="utf-8"><title>O3 ข้อมูลการติดต่อ</title></head><body>'
       '<div id="__next"></div><script>document.getElementById("__next").innerHTML = '
       + repr("<main><h1>ข้อมูลการติดต่อ</h1>" + o3_body() + "</main>") + ";</script></body></html>")
csr = site("/ita/o3.html", "O3", "")
csr["/ita/o3.html"] = CSR
case("nextjs-client-rendered", "nextjs", "O3", "pass", "content drawn by JavaScript: complete in a browser",
     csr, "/ita/o3.html", browser="auto")

__all__ = ["CASES", "Case", "Reply"]
