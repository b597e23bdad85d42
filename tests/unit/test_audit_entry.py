"""One audit entry: the run is planned once (its items, its one id), recorded under that id before
the audit starts, and ended by ``Recorder.recording()`` whatever the audit does."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from oit_checker import audit as audit_module
from oit_checker.audit import AuditPlan, plan_audit, run_audit
from oit_checker.cli import main
from oit_checker.config import LoadedConfig, parse_config_text
from oit_checker.errors import ConfigError
from oit_checker.fetch.interface import Fetcher
from oit_checker.models import FetchResult
from oit_checker.notify import Channel
from oit_checker.notify.interface import Message
from oit_checker.recorder import Recorder
from oit_checker.store import RunRow, RunState, Store

HOME = "https://www.agency.test/"
PAGE = "<html><title>อำนาจหน้าที่</title><body><h1>อำนาจหน้าที่ของกรม</h1></body></html>"


def config_text(tmp_path: Path, select: str = '["O3"]') -> str:
    return f"""
[agency]
name = "กรมทดสอบ"
homepage = "{HOME}"
[audit]
checklist = "ita-2567"
select = {select}
[http]
soft_404_probe = false
[crawl]
sitemap = false
check_links = false
[storage]
path = "{tmp_path / 'history.sqlite3'}"
[evidence]
dir = "{tmp_path / 'evidence'}"
screenshots = "none"
[items.O3]
urls = ["{HOME}o3.html"]
"""


def loaded(tmp_path: Path, select: str = '["O3"]') -> LoadedConfig:
    return parse_config_text(config_text(tmp_path, select), str(tmp_path / "config.toml"), tmp_path)


class PeekingFetcher(Fetcher):
    """Reads the history while the audit runs; answers with ``error`` (no server answered) when given."""

    def __init__(self, db: Path, error: str | None = None) -> None:
        self.db = db
        self.error = error
        self.seen: list[RunRow] = []

    async def fetch(self, url: str) -> FetchResult:
        if not self.seen:
            with Store(self.db, create=False) as store:
                self.seen = store.runs()
        if self.error:
            return FetchResult(url=url, final_url=url, error=self.error, error_detail="no such host")
        return FetchResult(url=url, final_url=url, status=200, body=PAGE.encode(),
                           headers={"content-type": "text/html; charset=utf-8"})


class Kept(Channel):
    name = "kept"

    def __init__(self) -> None:
        self.sent: list[Message] = []

    def send(self, notice: Message) -> str:
        self.sent.append(notice)
        return "kept"


def test_one_id_from_the_running_row_to_the_evidence_folder_and_the_notifications(tmp_path: Path) -> None:
    """(a) The ``running`` row already has the id the result, its evidence folder and the notices carry."""
    config = loaded(tmp_path)
    db = tmp_path / "history.sqlite3"
    plan = plan_audit(config)
    fetcher = PeekingFetcher(db, error="dns_error")  # no server answers: an incomplete run, told
    channel = Kept()
    with Recorder(config, plan, channels=[channel]).recording() as recorder:
        result = run_audit(config, plan=plan, fetcher=fetcher)
    assert [(r.id, r.state) for r in fetcher.seen] == [(plan.run_id, RunState.RUNNING)]  # before finish
    assert result.run_id == plan.run_id and result.started_at == plan.started_at
    assert result.evidence_dir is not None and Path(result.evidence_dir).name == plan.run_id
    recorded = recorder.finish(result)
    assert recorded.run_id == plan.run_id and recorded.state == RunState.INCOMPLETE
    with Store(db) as store:
        assert [(r.id, r.state) for r in store.runs()] == [(plan.run_id, RunState.INCOMPLETE)]
        assert [n.run_id for n in store.notifications()] == [plan.run_id]
    assert len(channel.sent) == 1


def test_a_complete_run_keeps_its_planned_id(tmp_path: Path) -> None:
    config = loaded(tmp_path)
    plan = plan_audit(config)
    with Recorder(config, plan, channels=[]).recording() as recorder:
        result = run_audit(config, plan=plan, fetcher=PeekingFetcher(tmp_path / "history.sqlite3"))
    assert recorder.finish(result).state == RunState.COMPLETE
    with Store(tmp_path / "history.sqlite3") as store:
        [run] = store.runs()
        assert (run.id, run.items_requested) == (plan.run_id, None)
        assert [i.code for i in store.items(plan.run_id)] == ["O3"]


def test_a_result_of_another_run_is_refused(tmp_path: Path) -> None:
    config = loaded(tmp_path)
    plan, other = plan_audit(config), plan_audit(config)
    assert plan.run_id != other.run_id
    with Recorder(config, plan, channels=[]).recording() as recorder:
        result = run_audit(config, plan=other, fetcher=PeekingFetcher(tmp_path / "history.sqlite3"))
    with pytest.raises(ValueError, match="recorder of run"):
        recorder.finish(result)
    recorder.close()
    with Store(tmp_path / "history.sqlite3") as store:
        assert [(r.id, r.state) for r in store.runs()] == [(plan.run_id, RunState.RUNNING)]


def test_an_unknown_item_is_a_usage_error_before_any_row_and_items_are_selected_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """(c) ``--item X`` unknown: exit 2 and no history; a known one: ``select_items`` runs once per run."""
    calls: list[object] = []
    real = audit_module.select_items

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(args)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(audit_module, "select_items", counting)
    config = loaded(tmp_path)
    with pytest.raises(ConfigError):
        plan_audit(config, ["O99"])
    path = tmp_path / "config.toml"
    path.write_text(config_text(tmp_path), encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        main(["audit", "-c", str(path), "--item", "O99", "--quiet"])
    assert exited.value.code == 2
    assert not (tmp_path / "history.sqlite3").exists()
    calls.clear()
    plan = plan_audit(config, ["o3"])
    result = run_audit(config, plan=plan, fetcher=PeekingFetcher(tmp_path / "nowhere.sqlite3", error="dns_error"))
    assert len(calls) == 1 and [i.code for i in plan.items] == ["O3"] and plan.requested == ("o3",)
    assert [i.code for i in result.items] == ["O3"]
    with pytest.raises(TypeError):
        run_audit(config, plan=plan, items=["O3"])


@pytest.mark.parametrize(("raised", "state"), [
    (KeyboardInterrupt(), RunState.INTERRUPTED), (SystemExit(1), RunState.INTERRUPTED),
    (asyncio.CancelledError(), RunState.INTERRUPTED), (RuntimeError("audit bug"), RunState.FAILED),
])
def test_recording_ends_a_run_that_raised(tmp_path: Path, raised: BaseException, state: str) -> None:
    """(f) Ctrl-C, exit and cancellation mark the run interrupted; any other exception failed; both re-raised."""
    config = loaded(tmp_path)
    plan = plan_audit(config)
    recorder = Recorder(config, plan, channels=[])
    with pytest.raises(type(raised)), recorder.recording("stopped in the test"):
        raise raised
    assert recorder.ended is not None and recorder.ended.state == state
    with Store(tmp_path / "history.sqlite3") as store:
        [run] = store.runs()
        assert (run.id, run.state) == (plan.run_id, state)
        assert run.error == ("stopped in the test" if state == RunState.INTERRUPTED else "RuntimeError: audit bug")


def test_a_plan_is_a_value(tmp_path: Path) -> None:
    plan = plan_audit(loaded(tmp_path, '["O3", "O1"]'))
    assert isinstance(plan, AuditPlan) and {i.code for i in plan.items} == {"O1", "O3"}
    assert plan.run_id.startswith(plan.started_at.strftime("%Y%m%dT%H%M%SZ-"))
