"""The history commands' edges, ``--no-store``, the storage errors, and the deadline in the reports."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from configs import HTTP_ONLY, write_agency_config

from oit_checker.cli import main
from oit_checker.deadline import BANGKOK
from oit_checker.store import Store, default_db_path


def write_config(tmp_path: Path, base: str, extra: str = "") -> Path:
    """O3 passes, O27 is a 404; no browser, no evidence; ``extra``: further tables."""
    return write_agency_config(tmp_path, base, {"O3": f"{base}/ok", "O27": f"{base}/404"}, name="กรมทดสอบประวัติ",
                               extra=HTTP_ONLY + extra)


def fatal(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exit_:
        main(args)
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and "Traceback" not in err
    return flat(err)


def flat(text: str) -> str:
    """Console output without the line breaks rich adds at the terminal width."""
    return " ".join(text.split())


def test_history_and_diff_need_history(tmp_path: Path, base_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_config(tmp_path, base_url, '[storage]\npath = "h.sqlite3"\n')
    assert "no history yet" in fatal(["history", "-c", str(config)], capsys)
    assert not (tmp_path / "h.sqlite3").exists()  # reading never creates the database
    assert main(["audit", "-c", str(config), "-q", "--no-store"]) == 1
    assert not (tmp_path / "h.sqlite3").exists()
    capsys.readouterr()
    assert main(["audit", "-c", str(config), "-q"]) == 1
    assert "needs two complete runs, found 1" in fatal(["diff", "-c", str(config)], capsys)
    assert "no such run" in fatal(["diff", "nope", "-c", str(config)], capsys)
    assert main(["history", "-c", str(config), "--lang", "en"]) == 0
    out = flat(capsys.readouterr().out)
    assert "Audit history" in out and "complete" in out and "O27" in out


def test_audit_saves_in_the_user_data_dir_by_default_and_says_where(
        tmp_path: Path, base_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_config(tmp_path, base_url)
    assert main(["audit", "-c", str(config), "--format", "json"]) == 1
    captured = capsys.readouterr()
    run_id = json.loads(captured.out)["run"]["id"]
    assert str(default_db_path()) in captured.err.replace("\n", "") and run_id in captured.err
    assert "pytest" in str(default_db_path())  # tests never touch the real ~/.local/share
    with Store(default_db_path()) as store:
        assert store.run(run_id).agency_name == "กรมทดสอบประวัติ"


def test_an_unusable_storage_path_stops_before_auditing(tmp_path: Path, base_url: str,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "not-a-dir").write_text("x", encoding="utf-8")
    config = write_config(tmp_path, base_url, '[storage]\npath = "not-a-dir/h.sqlite3"\n')
    err = "".join(fatal(["audit", "-c", str(config)], capsys).split())  # the console wraps a long path
    assert "not-a-dir" in err and "history" in err


def test_the_deadline_is_in_the_console_summary_and_the_json_report(
        tmp_path: Path, base_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    deadline = dt.datetime.now(BANGKOK).date() + dt.timedelta(days=5)
    be = f"{deadline.year + 543}-{deadline:%m-%d}"  # a B.E. date in the config
    config = write_config(tmp_path, base_url, f"[assessment]\nsubmission_deadline = {be}\n")
    assert main(["audit", "-c", str(config), "--no-store", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    failing = [i["code"] for i in report["items"] if i["status"] == "fail"]
    assert "O27" in failing
    assert report["run"]["deadline"] == {"date": deadline.isoformat(), "days_left": 5, "near": True,
                                         "still_failing": failing}
    assert main(["audit", "-c", str(config), "--no-store"]) == 1
    out = flat(capsys.readouterr().out)
    assert f"เหลืออีก 5 วันถึงกำหนดส่งข้อมูลในระบบ ITAS ({deadline.day} " in out
    assert f"ยังไม่ผ่าน {len(failing)} ข้อ: {', '.join(failing)}" in out
    far = write_config(tmp_path, base_url, "[assessment]\nsubmission_deadline = 2099-01-01\n")
    assert main(["audit", "-c", str(far), "--no-store"]) == 1
    out = flat(capsys.readouterr().out)
    assert "ถึงกำหนดส่งข้อมูลในระบบ ITAS (1 ม.ค. 2642)" in out and "ยังไม่ผ่าน" not in out
