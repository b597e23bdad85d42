"""The bundled checklists: they load, hold the items the research supports, and their elements
tell an item page with content from a page that only names the item (the menu's title)."""

from __future__ import annotations

import pytest

from oit_checker.checklist import Checklist, Confidence, Item, Period, bundled_ids, load_checklist
from oit_checker.checks import Context, Page
from oit_checker.checks.content import check_content
from oit_checker.models import Document, FetchResult, Status

KINDS = {"ita-2565": "general", "ita-2566": "general", "ita-2567": "general", "ita-2568": "general",
         "ita-2569": "general", "ovec-2568": "ovec", "ovec-2569": "ovec"}
NEW = ("ita-2568", "ita-2569", "ovec-2568", "ovec-2569")
URL = "https://www.college.test/ita/item.html"


def codes(*spans: tuple[int, int]) -> list[str]:
    return [f"O{n}" for first, last in spans for n in range(first, last + 1)]


@pytest.mark.parametrize("checklist_id", sorted(KINDS))
def test_every_bundled_checklist_loads_with_its_kind_and_sources(checklist_id: str) -> None:
    checklist = load_checklist(checklist_id)
    assert checklist.id == checklist_id
    assert checklist.kind == KINDS[checklist_id]
    assert all(item.sources for item in checklist.items), "every item cites its sources"


def test_the_bundled_ids_are_the_ones_tested_here() -> None:
    assert set(KINDS) <= set(bundled_ids())


def test_ita_2569_is_partial_with_the_items_found() -> None:
    checklist = load_checklist("ita-2569")
    assert checklist.partial and checklist.assessment_year == 2569
    assert checklist.codes == codes((1, 1), (3, 5), (8, 26))
    assert not any(item.social for item in checklist.items)  # no Social Network item is known
    assert {item.confidence for item in checklist.items} == {Confidence.LIKELY}  # one source
    periods = {item.code: item.period for item in checklist.items}
    assert periods["O20"] is Period.CURRENT_AND_PREVIOUS_FISCAL_YEAR
    assert periods["O11"] is Period.MONTHLY
    assert periods["O5"] is Period.CURRENT_FISCAL_YEAR
    assert periods["O12"] is periods["O14"] is periods["O22"] is periods["O26"] is Period.PREVIOUS_FISCAL_YEAR
    assert periods["O1"] is periods["O16"] is Period.NONE


def test_ita_2568_update_keeps_its_items_and_adds_o9_elements() -> None:
    checklist = load_checklist("ita-2568")
    assert checklist.partial and checklist.codes == codes((1, 4), (8, 26))
    o9 = checklist.item("O9")
    assert o9 is not None
    assert [e.name for e in o9.elements] == ["ชื่องาน", "วิธีการขั้นตอน", "ระยะเวลา", "ช่องทางให้บริการ",
                                             "ค่าธรรมเนียม", "รายการเอกสารหลักฐาน"]
    for code in ("O12", "O13", "O16", "O17", "O21", "O23"):  # names confirmed by two sources
        assert checklist.item(code).confidence is Confidence.CONFIRMED, code  # type: ignore[union-attr]
    assert checklist.item("O12").period is Period.CURRENT_FISCAL_YEAR  # type: ignore[union-attr]


def test_ovec_2569_has_23_items_with_the_sources_time_rules() -> None:
    checklist = load_checklist("ovec-2569")
    assert checklist.codes == codes((1, 23)) and not checklist.partial
    period = {item.code: item.period for item in checklist.items}
    assert period["O6"] is Period.CURRENT_AND_PREVIOUS_FISCAL_YEAR
    assert period["O8"] is Period.PREVIOUS_FISCAL_YEAR  # the previous academic year: see its notes
    assert period["O19"] is Period.SIX_MONTHS
    assert period["O7"] is period["O11"] is period["O15"] is Period.PREVIOUS_FISCAL_YEAR
    assert period["O1"] is period["O4"] is period["O5"] is Period.NONE
    assert "academic" in checklist.item("O8").notes  # type: ignore[union-attr]
    assert [e.name for e in checklist.item("O20").elements] == ["นโยบาย No Gift Policy", "รายงานการรับของขวัญ"]  # type: ignore[union-attr]
    assert {item.group.split()[0] for item in checklist.items} == {"9.1", "9.2", "9.3", "9.4", "9.5", "10.1", "10.2"}
    assert checklist.item("O21").name_th == "การประเมินผลควบคุมภายในของสถานศึกษา"  # type: ignore[union-attr]  # RCAT's 10.2


def test_ovec_2568_has_37_items_in_seven_groups() -> None:
    checklist = load_checklist("ovec-2568")
    assert checklist.codes == codes((1, 37)) and not checklist.partial
    groups = {"9.1": (1, 6), "9.2": (7, 16), "9.3": (17, 22), "9.4": (23, 25), "9.5": (26, 29),
              "10.1": (30, 35), "10.2": (36, 37)}
    for group, span in groups.items():
        assert [i.code for i in checklist.items if i.group.split()[0] == group] == codes(span), group
    social = [item.code for item in checklist.items if item.social]
    assert social == ["O9"]
    assert checklist.item("O21").period is Period.MONTHLY  # type: ignore[union-attr]
    assert checklist.item("O28").period is Period.SIX_MONTHS  # type: ignore[union-attr]


# Element matching: an item page with content passes, a page that only names the item does not ------

CUSTOM = {
    # pages whose evidence is not a document titled with the item's name
    ("ita-2569", "O3"): "ที่อยู่ 2/1 ถนนพหลโยธิน แขวงจตุจักร กรุงเทพฯ 10900\nโทรศัพท์ 02-123-4567\nอีเมล info@agency.test\n"
                        "ติดต่อสอบถาม: กล่องข้อความถาม-ตอบ",
    ("ita-2569", "O9"): "ชื่องาน: การขอใช้ห้องประชุม\nขั้นตอน: 1. ยื่นแบบคำขอ 2. เจ้าหน้าที่ตรวจสอบ\nระยะเวลา 3 วันทำการ\n"
                        "ช่องทางการให้บริการ: งานอาคารสถานที่ ชั้น 2\nค่าธรรมเนียม: ไม่เสียค่าธรรมเนียม\n"
                        "เอกสารหลักฐาน: สำเนาบัตรประชาชน 1 ฉบับ",
    ("ita-2569", "O20"): "ประกาศ เรื่อง นโยบายไม่รับของขวัญและของกำนัลทุกชนิด (No Gift Policy) ปีงบประมาณ พ.ศ. 2569\n"
                         "รายงานการรับทรัพย์สินหรือประโยชน์อื่นใดโดยธรรมจรรยา ปีงบประมาณ พ.ศ. 2568",
    ("ovec-2569", "O2"): "นายสมชาย ใจดี ผู้อำนวยการวิทยาลัย\nนางสาวสมศรี ขยัน รองผู้อำนวยการฝ่ายบริหารทรัพยากร",
    ("ovec-2569", "O4"): "วิทยาลัยเทคนิคตัวอย่าง 99 หมู่ 1 ตำบลในเมือง อำเภอเมือง รหัสไปรษณีย์ 33110\n"
                         "โทร 045-123-456\nE-mail: saraban@college.test",
    ("ovec-2569", "O5"): "1. พระราชบัญญัติการอาชีวศึกษา พ.ศ. 2551\n2. ระเบียบสำนักงานคณะกรรมการการอาชีวศึกษา ว่าด้วยการบริหารสถานศึกษา",
    ("ovec-2569", "O10"): "1. ประกาศเชิญชวนจัดซื้อครุภัณฑ์ห้องปฏิบัติการ\n2. ประกาศผู้ชนะการเสนอราคา จ้างปรับปรุงอาคาร",
    ("ovec-2569", "O14"): "1. ระบบลงทะเบียนเรียนออนไลน์\n2. ระบบยื่นคำร้องขอใบรับรองผลการเรียน",
    ("ovec-2569", "O20"): "ประกาศวิทยาลัย เรื่อง นโยบายไม่รับของขวัญ (No Gift Policy) ประจำปีงบประมาณ 2569\n"
                          "รายงานการรับของขวัญและประโยชน์อื่นใด ประจำปีงบประมาณ 2569",
}
OVEC_2568 = {
    "O1": "แผนผังโครงสร้างการบริหาร: ผู้อำนวยการ, ฝ่ายบริหารทรัพยากร, ฝ่ายวิชาการ, แผนกวิชาช่างยนต์",
    "O2": "นายสมชาย ใจดี ผู้อำนวยการวิทยาลัย\nนางสาวสมศรี ขยัน รองผู้อำนวยการฝ่ายวิชาการ",
    "O3": "คำสั่งวิทยาลัย ที่ 120/2568 เรื่อง มอบหมายหน้าที่ ตามระเบียบสำนักงานคณะกรรมการการอาชีวศึกษา",
    "O4": "แผนพัฒนาการจัดการศึกษา 2566-2570: ยุทธศาสตร์ที่ 1 ผลิตกำลังคน เป้าหมาย ผู้เรียนมีงานทำ ตัวชี้วัด ร้อยละ 80",
    "O5": CUSTOM[("ovec-2569", "O4")],
    "O6": CUSTOM[("ovec-2569", "O5")],
    "O8": "กระดานถาม-ตอบ: ถาม เปิดรับสมัครเมื่อไร ตอบ เดือนมีนาคม",
    "O10": "โครงการพัฒนาห้องปฏิบัติการ งบประมาณ 150,000 บาท ระยะเวลา ตุลาคม 2567 - มีนาคม 2568",
    "O11": "ผลการดำเนินงาน: ดำเนินการครบ 12 โครงการ\nผลการใช้จ่ายงบประมาณ 1,250,000 บาท\nปัญหาอุปสรรค: งบล่าช้า\nข้อเสนอแนะ: วางแผนล่วงหน้า",
    "O12": "คู่มือการปฏิบัติงานพัสดุ: ขั้นตอนที่ 1 จัดทำรายงานขอซื้อ",
    "O13": "คู่มือการลงทะเบียนนักศึกษา: ขั้นตอนที่ 1 กรอกแบบฟอร์ม",
    "O14": "สถิติผู้ใช้บริการห้องสมุด ตุลาคม 2567 - มีนาคม 2568: 1,250 คน",
    "O16": "ระบบบริการออนไลน์ ศธ.02 และระบบยื่นคำร้องขอใช้สถานที่",
    "O17": "งบหน้ารายจ่าย: เงินงบประมาณ 5,000,000 บาท แยกเป็น งบบุคลากร งบดำเนินงาน งบลงทุน",
    "O18": "ผลการใช้จ่าย: งบดำเนินงาน 2,100,000 บาท งบลงทุน 900,000 บาท",
    "O20": CUSTOM[("ovec-2569", "O10")],
    "O21": "ตุลาคม 2567: จัดซื้อวัสดุฝึก วิธีเฉพาะเจาะจง ผู้ได้รับการคัดเลือก ร้านตัวอย่าง ราคาที่ตกลงซื้อ 12,500 บาท",
    "O22": "จัดซื้อวัสดุฝึก วิธีเฉพาะเจาะจง ผู้ได้รับการคัดเลือก ร้านตัวอย่าง",
    "O23": "โครงการอบรมครู งบประมาณ 20,000 บาท กลุ่มเป้าหมาย ครู 40 คน ระยะเวลา 12-13 ธันวาคม 2567",
    "O24": "หลักเกณฑ์การสรรหาและคัดเลือกพนักงานราชการ\nแผนการพัฒนาบุคลากรประจำปี",
    "O25": "ผลการดำเนินงาน: ครูผ่านการอบรม 40 คน\nใช้งบประมาณ 20,000 บาท\nปัญหาอุปสรรค: ช่วงเวลาจำกัด\nข้อเสนอแนะ: จัดต่อเนื่อง",
    "O26": "ขั้นตอนการจัดการเรื่องร้องเรียน: รับเรื่อง ตรวจสอบ แจ้งผล ภายในระยะเวลา 15 วัน",
    "O28": "จำนวนเรื่องร้องเรียน 2 เรื่อง ดำเนินการแล้วเสร็จ 1 เรื่อง อยู่ระหว่างดำเนินการ 1 เรื่อง",
    "O29": "พิธีลงนามบันทึกข้อตกลงความร่วมมือ (MOU) กับสถานประกอบการ 12 แห่ง",
    "O31": "ผู้อำนวยการนำบุคลากรประกาศเจตนารมณ์ไม่รับของขวัญ (No Gift Policy)",
    "O32": "ผลการประเมิน: สภาพแวดล้อมการควบคุม, การประเมินความเสี่ยง, สารสนเทศและการสื่อสาร, การติดตามและประเมินผล",
    "O33": "จัดการเรียนการสอนรายวิชากิจกรรมเสริมสร้างสุจริต จิตอาสา",
    "O34": "โครงการส่งเสริมคุณธรรม งบประมาณ 10,000 บาท ระยะเวลา มกราคม 2568",
    "O35": "ผลการดำเนินการ: จัดกิจกรรม 3 ครั้ง\nใช้งบประมาณ 10,000 บาท\nปัญหาอุปสรรค: ผู้เข้าร่วมน้อย\nข้อเสนอแนะ: ประชาสัมพันธ์เพิ่ม",
    "O36": "ข้อบกพร่องหรือจุดอ่อน: การเผยแพร่ข้อมูลล่าช้า\nประเด็นที่ต้องพัฒนา: ปรับปรุงเว็บไซต์",
}
CUSTOM.update({("ovec-2568", code): text for code, text in OVEC_2568.items()})
CUSTOM.update({
    ("ita-2568", "O2"): "นายสมชาย ใจดี อธิบดี\nโทรศัพท์ 02-123-4567",
    ("ita-2568", "O3"): "ที่อยู่ 2/1 ถนนพหลโยธิน แขวงจตุจักร กรุงเทพฯ 10900\nโทรศัพท์ 02-123-4567\nอีเมล info@agency.test",
    ("ita-2568", "O8"): "คู่มือการปฏิบัติงานสารบรรณ: ขั้นตอนที่ 1 รับหนังสือ ระยะเวลา 1 วัน ตามระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ",
    ("ita-2568", "O9"): CUSTOM[("ita-2569", "O9")],
    ("ita-2568", "O12"): "ปีงบประมาณ 2568 | ชื่อหน่วยงาน | อำเภอ | จังหวัด | กระทรวง | ประเภทหน่วยงาน | ชื่อรายการ | "
                         "วงเงินงบประมาณที่ได้รับจัดสรร | แหล่งที่มาของงบประมาณ | สถานะการจัดซื้อจัดจ้าง | "
                         "วิธีการจัดซื้อจัดจ้าง | ราคากลาง | ราคาที่ตกลงซื้อหรือจ้าง | ผู้ประกอบการที่ได้รับคัดเลือก | "
                         "เลขที่โครงการ 67119000123",
    ("ita-2568", "O13"): "สรุปผลการจัดซื้อจัดจ้าง: วิธีเฉพาะเจาะจง 120 รายการ 3,500,000 บาท\nปัญหาอุปสรรค: ผู้เสนอราคาน้อย\n"
                         "ข้อเสนอแนะ: วางแผนล่วงหน้า",
    ("ita-2568", "O15"): "ปัญหาอุปสรรค: งบประมาณพัฒนาบุคลากรจำกัด\nข้อเสนอแนะ: ใช้การเรียนออนไลน์",
    ("ita-2568", "O24"): "ความเสี่ยงการทุจริต: การใช้รถราชการ\nมาตรการ: บันทึกการใช้รถทุกครั้ง\nผลการดำเนินการ: ไม่พบการใช้ผิดวัตถุประสงค์",
    ("ita-2568", "O26"): "ผลการดำเนินการ: จัดกิจกรรม 3 ครั้ง\nใช้งบประมาณ 10,000 บาท\nปัญหาอุปสรรค: ผู้เข้าร่วมน้อย\n"
                         "ข้อเสนอแนะ: ประชาสัมพันธ์เพิ่ม",
})


def fetched() -> FetchResult:
    return FetchResult(url=URL, final_url=URL, status=200)


def content(item: Item, checklist: Checklist, text: str) -> tuple[Status, str]:
    ctx = Context(homepage="https://www.college.test/", domains=("college.test",),
                  assessment_year=checklist.assessment_year)
    [finding] = check_content(Page(fetched(), Document(kind="html", text=text)), item, ctx)
    return finding.status, finding.reason


def realistic(checklist: Checklist, item: Item) -> str:
    """The item's heading, then its content: a custom text, else the document list a real page has
    (the item's document, titled with its name and the year)."""
    body = CUSTOM.get((checklist.id, item.code))
    if body is None:
        body = (f"เอกสารที่เผยแพร่\n1. {item.name_th} ของวิทยาลัยเทคนิคตัวอย่าง ประจำปีงบประมาณ พ.ศ. "
                f"{checklist.assessment_year} (ไฟล์ PDF ขนาด 1.2 MB)")
    return f"{item.code} {item.name_th}\n{body}"


ITEMS = [(cid, item.code) for cid in NEW for item in load_checklist(cid).items if item.elements]


@pytest.mark.parametrize(("checklist_id", "code"), ITEMS)
def test_a_page_with_content_passes_and_a_menu_title_does_not(checklist_id: str, code: str) -> None:
    checklist = load_checklist(checklist_id)
    item = checklist.item(code)
    assert item is not None
    assert content(item, checklist, realistic(checklist, item)) == (Status.PASS, "elements_found")
    menu_only = content(item, checklist, f"{item.code} {item.name_th}")
    assert menu_only in ((Status.FAIL, "no_evidence"), (Status.FAIL, "missing_element"))


@pytest.mark.parametrize(("checklist_id", "code"), [("ita-2569", "O4"), ("ovec-2568", "O7"), ("ovec-2569", "O9")])
def test_a_dated_news_post_passes_without_the_word_news(checklist_id: str, code: str) -> None:
    checklist = load_checklist(checklist_id)
    item = checklist.item(code)
    assert item is not None
    post = f"{item.name_th}\nประชุมคณะกรรมการสถานศึกษา\nเผยแพร่เมื่อ 12 ธันวาคม 2568"
    assert content(item, checklist, post) == (Status.PASS, "elements_found")
