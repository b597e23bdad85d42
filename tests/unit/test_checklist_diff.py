"""Pairing items across two checklists by name: renumbered, renamed, merged, split, added, dropped."""

from __future__ import annotations

from oit_checker.checklist import Checklist, Item, Period, load_checklist
from oit_checker.checklist_diff import PAIR_AT, Change, diff_checklists, name_similarity


def checklist(list_id: str, year: int, items: list[tuple[str, str]] | list[tuple[str, str, Period]]) -> Checklist:
    return Checklist(id=list_id, title_th="รายการทดสอบ", assessment_year=year,
                     items=tuple(Item(code=i[0], name_th=i[1], period=i[2] if len(i) > 2 else Period.NONE)
                                 for i in items))


def changes(old: Checklist, new: Checklist) -> set[tuple[str, str | None, str | None]]:
    return {(r.change.value, r.old_code, r.new_code) for r in diff_checklists(old, new).rows}


OLD = checklist("old-2568", 2568, [
    ("O1", "โครงสร้าง"), ("O2", "อำนาจหน้าที่"), ("O3", "ข้อมูลผู้บริหาร"),
    ("O4", "แผนการบริหารและพัฒนาทรัพยากรบุคคล"), ("O5", "ประมวลจริยธรรมสำหรับเจ้าหน้าที่ของรัฐ"),
    ("O6", "การเปิดโอกาสให้เกิดการมีส่วนร่วม"), ("O7", "กฎหมายที่เกี่ยวข้อง"),
])
NEW = checklist("new-2569", 2569, [
    ("O1", "โครงสร้างและอำนาจหน้าที่"), ("O2", "ข้อมูลผู้บริหาร"),
    ("O3", "ประมวลจริยธรรมสำหรับเจ้าหน้าที่ของรัฐ"), ("O4", "แผนการบริหารและพัฒนาทรัพยากรบุคคล"),
    ("O5", "E-Service"), ("O6", "การเปิดโอกาสให้เกิดการมีส่วนร่วม"),
])


def test_synthetic_lists_give_every_kind_of_change() -> None:
    found = changes(OLD, NEW)
    assert ("merged", "O1", "O1") in found and ("merged", "O2", "O1") in found  # two old items → one
    assert ("renumbered", "O3", "O2") in found
    assert ("renumbered", "O5", "O3") in found and ("renumbered", "O4", "O4") not in found
    assert ("unchanged", "O4", "O4") in found and ("unchanged", "O6", "O6") in found
    assert ("added", None, "O5") in found
    assert ("dropped", "O7", None) in found
    assert len(found) == 8


def test_a_split_is_the_merge_read_backwards() -> None:
    found = changes(NEW, OLD)
    assert ("split", "O1", "O1") in found and ("split", "O1", "O2") in found
    assert ("renumbered", "O2", "O3") in found
    assert ("dropped", "O5", None) in found and ("added", None, "O7") in found


def test_renamed_keeps_its_code_and_pairs_carry_their_similarity() -> None:
    old = checklist("a", 2568, [("O1", "ข้อมูลการติดต่อ"), ("O2", "ข่าวประชาสัมพันธ์")])
    new = checklist("b", 2569, [("O1", "ข้อมูลการติดต่อและช่องทางการสอบถาม"), ("O2", "ข่าว ประชาสัมพันธ์")])
    rows = {r.new_code: r for r in diff_checklists(old, new).rows}
    assert rows["O1"].change is Change.RENAMED and 0.5 < (rows["O1"].similarity or 0) < 1
    assert rows["O2"].change is Change.UNCHANGED and rows["O2"].similarity == 1.0  # spacing is normalised away


def test_assignment_is_one_to_one_best_pair_first() -> None:
    # both old items resemble new O1 most; the better one gets it, the other its own best remaining match
    old = checklist("a", 2568, [("O1", "รายงานผลการจัดซื้อจัดจ้างประจำปี"), ("O2", "รายงานผลการจัดซื้อจัดจ้างรายเดือน")])
    new = checklist("b", 2569, [("O7", "รายงานผลการจัดซื้อจัดจ้างประจำปี"), ("O8", "สรุปผลการจัดซื้อจัดจ้างรายเดือน")])
    assert changes(old, new) == {("renumbered", "O1", "O7"), ("renumbered", "O2", "O8")}


def test_unrelated_names_are_not_paired() -> None:
    old = checklist("a", 2568, [("O1", "ข่าวประชาสัมพันธ์")])
    new = checklist("b", 2569, [("O1", "แผนปฏิบัติการป้องกันการทุจริต")])
    assert name_similarity("ข่าวประชาสัมพันธ์", "แผนปฏิบัติการป้องกันการทุจริต") < PAIR_AT
    assert changes(old, new) == {("dropped", "O1", None), ("added", None, "O1")}


def test_a_left_over_item_merely_alike_is_added_not_split() -> None:
    # "ข้อมูล…" names share letters (about 0.6 alike) but only a near-identical one is a merge or split
    old = checklist("a", 2568, [("O2", "ข้อมูลผู้บริหาร")])
    new = checklist("b", 2569, [("O2", "ข้อมูลผู้บริหาร"), ("O11", "ข้อมูลสถิติการให้บริการ")])
    assert changes(old, new) == {("unchanged", "O2", "O2"), ("added", None, "O11")}


def test_predecessors_and_json_form() -> None:
    diff = diff_checklists(OLD, NEW)
    assert set(diff.predecessors("O1")) == {"O1", "O2"}
    assert diff.predecessors("O3") == ("O5",) and diff.predecessors("O5") == ()
    data = diff.to_dict()
    assert data["schema"] == "oit-checker/checklist-diff/v1"
    assert data["counts"]["merged"] == 2 and data["counts"]["added"] == 1 and data["counts"]["dropped"] == 1
    assert {"change", "old_code", "new_code", "similarity"} <= set(data["rows"][0])


def test_real_ita_2568_to_2569() -> None:
    """The reference table (shared/reference/oit-items-2567-2570.md): the procurement items moved
    up one (O12 → O11 monthly summary, O13 → O12 annual report) and the code of ethics O16 → O15."""
    diff = diff_checklists(load_checklist("ita-2568"), load_checklist("ita-2569"))
    pairs = {(r.old_code, r.new_code): r for r in diff.rows if r.old_code and r.new_code}
    assert pairs[("O16", "O15")].change is Change.RENUMBERED and (pairs[("O16", "O15")].similarity or 0) > 0.9
    assert pairs[("O12", "O11")].change is Change.RENUMBERED
    assert pairs[("O13", "O12")].change is Change.RENUMBERED
    assert ("O12", "O12") not in pairs and ("O13", "O11") not in pairs
    assert diff.predecessors("O15") == ("O16",)
    for old, new in (("O17", "O16"), ("O18", "O17"), ("O25", "O23")):
        assert pairs[(old, new)].change is Change.RENUMBERED and pairs[(old, new)].similarity == 1.0
    unchanged = {r.new_code for r in diff.rows if r.change is Change.UNCHANGED}
    assert {"O4", "O8", "O9"} <= unchanged
