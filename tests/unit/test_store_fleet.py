"""The fleet tables (``oit_checker/store/fleet.py``) on SQLite and PostgreSQL: claims count attempts,
only the current claim finishes an agency, and an agency is recorded at most once per fleet run."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from oit_checker.models import AuditResult, Check, Finding, ItemResult, Status, UrlResult
from oit_checker.store import RunState, StoreError
from oit_checker.store.fleet import (
    DONE,
    FAILED,
    FLEET_COMPLETE,
    FLEET_INTERRUPTED,
    PENDING,
    RUNNING,
    FleetAgencyPlan,
    FleetStore,
)

T0 = dt.datetime(2026, 12, 3, 1, 0, tzinfo=dt.UTC)
FLEET = "20261203T010000Z-fleet-aaaaaa"


def plans(*ids: str) -> list[FleetAgencyPlan]:
    return [FleetAgencyPlan(i, f"หน่วยงาน {i}", f"http://127.0.0.1/{i}/", f"http://127.0.0.1/{i}/ ita-2569",
                            "ita-2569", {"version": 1, "agency_id": i}) for i in ids]


def result(run_id: str, statuses: dict[str, Status], complete: bool = True) -> AuditResult:
    items = tuple(ItemResult(code, f"ชื่อ {code}", f"name {code}", "group", status,
                             (UrlResult(f"http://127.0.0.1/{code}", None,
                                        (Finding(Check.CONTENT, status, "elements_found"),)),))
                  for code, status in statuses.items())
    return AuditResult(run_id, T0, T0 + dt.timedelta(seconds=5), "0.1.0", "ita-2569", "t", 2569, "หน่วยงาน",
                       "http://127.0.0.1/a/", items, complete=complete)


def begin_run(store: FleetStore, run_id: str, agency_id: str = "a") -> None:
    store.begin_run(run_id, scope=f"http://127.0.0.1/{agency_id}/ ita-2569", trigger="fleet", started_at=T0,
                    agency_name="หน่วยงาน", homepage=f"http://127.0.0.1/{agency_id}/", checklist_id="ita-2569",
                    assessment_year=2569, tool_version="0.1.0", config_path="fleet.toml", items_requested=None,
                    deadline=None)


@pytest.fixture
def store(store_target: str | Path) -> Iterator[FleetStore]:
    with FleetStore(store_target) as opened:
        opened.begin_fleet_run(FLEET, name="จังหวัดทดสอบ", fleet_path="fleet.toml", fleet_sha256="s1",
                               agencies=plans("a", "b"), options={"max_attempts": 3})
        yield opened


def test_a_claim_counts_attempts_and_only_the_current_one_finishes(store: FleetStore) -> None:
    first = store.claim_agency(FLEET, "a", worker="1@h", max_attempts=3)
    assert first.won and first.attempt == 1
    begin_run(store, "r1")
    store.tag_run(FLEET, "a", 1, "r1")
    second = store.claim_agency(FLEET, "a", worker="2@h", max_attempts=3)  # the first worker was lost
    assert second.won and second.attempt == 2
    assert store.run("r1").state == RunState.INTERRUPTED
    begin_run(store, "r2")
    store.tag_run(FLEET, "a", 2, "r2")
    assert store.finish_agency(FLEET, "a", 2, "r2", result("r2", {"O1": Status.PASS, "O2": Status.FAIL}), 1)
    # the lost first attempt comes back late: nothing of it is written
    begin_run(store, "r1b")
    assert not store.finish_agency(FLEET, "a", 1, "r1b", result("r1b", {"O1": Status.PASS}), 0)
    assert store.run("r1b").state == RunState.INTERRUPTED and store.items("r1b") == []
    row = store.fleet_agency(FLEET, "a")
    assert (row.state, row.run_id, row.run_state, row.attempts, row.exit_code) == (DONE, "r2", "complete", 2, 1)
    assert row.counts[Status.FAIL] == 1 and row.counts[Status.PASS] == 1
    assert [i.code for i in store.items("r2")] == ["O1", "O2"]


def test_a_done_agency_is_not_claimed_or_recorded_again(store: FleetStore) -> None:
    claim = store.claim_agency(FLEET, "a", worker="1@h", max_attempts=3)
    begin_run(store, "r1")
    assert store.finish_agency(FLEET, "a", claim.attempt, "r1", result("r1", {"O1": Status.PASS}), 0)
    again = store.claim_agency(FLEET, "a", worker="2@h", max_attempts=3)
    assert not again.won and again.state == DONE and again.row.run_id == "r1" and again.attempt == 1
    begin_run(store, "r2")
    assert not store.finish_agency(FLEET, "a", claim.attempt, "r2", result("r2", {"O1": Status.PASS}), 0)
    recorded = [(a, s) for a, _, s in store.fleet_run_ids_of(FLEET) if s in ("complete", "incomplete")]
    assert recorded == [("a", "complete")]


def test_the_store_refuses_a_second_recorded_run_of_one_agency(store: FleetStore) -> None:
    for run_id in ("r1", "r2"):
        begin_run(store, run_id)
        store.tag_run(FLEET, "a", 1, run_id)
    store.finish_run("r1", result("r1", {"O1": Status.PASS}))
    with pytest.raises(StoreError):
        store.finish_run("r2", result("r2", {"O1": Status.PASS}))
    assert store.run("r2").state == RunState.RUNNING and store.items("r2") == []


def test_claims_are_bounded_by_max_attempts(store: FleetStore) -> None:
    assert [store.claim_agency(FLEET, "b", worker="w", max_attempts=2).attempt for _ in range(2)] == [1, 2]
    third = store.claim_agency(FLEET, "b", worker="w", max_attempts=2)
    assert not third.won and third.state == FAILED and third.row.error == "worker lost 2 times"
    assert store.claim_agency(FLEET, "b", worker="w", max_attempts=5).state == FAILED  # failed stays failed
    assert store.fleet_progress(FLEET) == {PENDING: 1, RUNNING: 0, DONE: 0, FAILED: 1}


def test_a_failed_audit_and_a_stopped_one(store: FleetStore) -> None:
    claim = store.claim_agency(FLEET, "a", worker="w", max_attempts=3)
    begin_run(store, "ra")
    assert store.release_agency(FLEET, "a", claim.attempt, "ra", "stopped")
    row = store.fleet_agency(FLEET, "a")
    assert (row.state, row.attempts, store.run("ra").state) == (PENDING, 0, RunState.INTERRUPTED)
    claim = store.claim_agency(FLEET, "b", worker="w", max_attempts=3)
    begin_run(store, "rb", "b")
    assert store.fail_agency(FLEET, "b", claim.attempt, "rb", "ValueError: boom")
    row = store.fleet_agency(FLEET, "b")
    assert (row.state, row.run_id, row.error, store.run("rb").state) == (FAILED, "rb", "ValueError: boom",
                                                                           RunState.FAILED)
    assert not store.fail_agency(FLEET, "b", claim.attempt, "rb", "again")


def test_an_unfinished_fleet_run_of_the_same_file_is_resumable(store: FleetStore) -> None:
    assert store.resumable_fleet_run("จังหวัดทดสอบ", "s1") is None  # this process still runs it
    assert store.finish_fleet_run(FLEET) == FLEET_INTERRUPTED
    found = store.resumable_fleet_run("จังหวัดทดสอบ", "s1")
    assert found is not None and found.id == FLEET and found.options == {"max_attempts": 3}
    assert store.resumable_fleet_run("จังหวัดทดสอบ", "changed") is None
    assert store.fleet_run(FLEET[:20]).id == FLEET
    store.resume_fleet_run(FLEET)
    for agency_id in ("a", "b"):
        claim = store.claim_agency(FLEET, agency_id, worker="w", max_attempts=3)
        begin_run(store, f"r-{agency_id}", agency_id)
        store.finish_agency(FLEET, agency_id, claim.attempt, f"r-{agency_id}",
                            result(f"r-{agency_id}", {"O1": Status.PASS}, complete=agency_id == "a"), 0)
    assert store.finish_fleet_run(FLEET) == FLEET_COMPLETE
    assert store.resumable_fleet_run("จังหวัดทดสอบ", "s1") is None
    assert [r.state for r in store.fleet_agencies(FLEET)] == [DONE, DONE]
    assert [r.run_state for r in store.fleet_agencies(FLEET)] == ["complete", "incomplete"]
    assert [r.id for r in store.fleet_runs()] == [FLEET]
    assert {r.id for r in store.runs(limit=10)} == {"r-a", "r-b"}  # `oit-checker history` reads these


def test_an_agency_outside_the_fleet_run_is_an_error(store: FleetStore) -> None:
    with pytest.raises(StoreError):
        store.claim_agency(FLEET, "nobody", worker="w", max_attempts=3)
    with pytest.raises(StoreError):
        store.fleet_run("nothing-like-it")
