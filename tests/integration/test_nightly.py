"""Several nights over a site whose pages change: history, diff, the confirmation rule, notifications.

The site is a copy of the demo department site served from ``tmp_path``; between audits the test
deletes, restores and edits its files the way a web admin would. Notifications go to a real
aiosmtpd server (STARTTLS + AUTH, the password from the environment) and a webhook receiver.
A second test SIGKILLs an audit process in the middle of its run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from configs import HTTP_ONLY, write_agency_config
from fixture_server import FixtureServer
from receivers import SMTP_PASSWORD, SMTP_USER, SmtpServer, WebhookReceiver, make_certificate

from oit_checker.cli import main
from oit_checker.deadline import BANGKOK
from oit_checker.demo import SITE_DIR
from oit_checker.demo.server import SiteServer, start_site_server
from oit_checker.models import Status
from oit_checker.store import RunState, Store

ROOT = Path(__file__).resolve().parents[2]
SECRET = "webhook-secret-for-tests"
DAYS_LEFT = 10
O28_FIX = "<h2>๕. ข้อเสนอแนะ</h2>\n<p>ควรจัดหลักสูตรออนไลน์สำหรับสำนักงานในภูมิภาค</p>\n"


def write_config(directory: Path, base: str, *, smtp_port: int, ca_file: Path, webhook: str, db: Path,
                 deadline: dt.date, stall_url: str | None = None) -> Path:
    items = {"O3": f"{base}/ita/o3-tis620.html", "O28": f"{base}/ita/o28-hr-report-2566.html",
             "O35": f"{base}/ita/docs/o35-integrity-report-2566.pdf", "O41": f"{base}/ita/o41-anticorruption-report.html"}
    if stall_url:
        items["O24"] = stall_url
    return write_agency_config(directory, base, items, name="กรมทดสอบการแจ้งเตือน", extra=HTTP_ONLY + f"""
[storage]
path = "{db}"
[notify]
confirm_after = 2
[notify.webhook]
url = "{webhook}"
[notify.email]
host = "127.0.0.1"
port = {smtp_port}
security = "starttls"
username = "{SMTP_USER}"
to = ["ita-team@example.go.th"]
ca_file = "{ca_file}"
timeout = 10
[assessment]
submission_deadline = {deadline.isoformat()}
warn_days = 30
""")


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Path, SiteServer]]:
    root = tmp_path / "site"
    shutil.copytree(SITE_DIR, root)
    server = start_site_server(root)
    try:
        yield root, server
    finally:
        server.close()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_certificate(tmp_path_factory.mktemp("nightly-tls"))


def audit(config: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["audit", "-c", str(config), "-q"])
    return code, capsys.readouterr().err


def verified_payloads(hooks: list, secret: str) -> list[dict]:
    out = []
    for hook in hooks:
        expected = "sha256=" + hmac.new(secret.encode(), hook.body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(hook.headers["x-oit-checker-signature"], expected)
        out.append(json.loads(hook.body))
    return out


def test_nights_of_changes_are_stored_diffed_confirmed_and_notified(
        tmp_path: Path, site: tuple[Path, SiteServer], certificate: tuple[Path, Path],
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    root, server = site
    smtp, webhook = SmtpServer(*certificate), WebhookReceiver()
    monkeypatch.setenv("OIT_CHECKER_SMTP_PASSWORD", SMTP_PASSWORD)
    monkeypatch.setenv("OIT_CHECKER_WEBHOOK_SECRET", SECRET)
    today = dt.datetime.now(BANGKOK).date()
    db = tmp_path / "history.sqlite3"
    config = write_config(tmp_path, server.base_url, smtp_port=smtp.port, ca_file=certificate[0], webhook=webhook.url,
                          db=db, deadline=today + dt.timedelta(days=DAYS_LEFT))
    o3, o35 = root / "ita" / "o3-tis620.html", root / "ita" / "docs" / "o35-integrity-report-2566.pdf"
    o28, o41 = root / "ita" / "o28-hr-report-2566.html", root / "ita" / "o41-anticorruption-report.html"
    hidden = tmp_path / "hidden"
    hidden.mkdir()
    try:
        # night 1: the baseline -- O3 and O35 pass, O28 (no ข้อเสนอแนะ) and O41 (FY2564) fail. Nobody is told.
        code, err = audit(config, capsys)
        assert code == 1 and "บันทึกผลการตรวจแล้ว" not in err  # -q: only the summary
        # night 2: O3's page is deleted. One bad night: no notification, but the diff sees it.
        o3.rename(hidden / o3.name)
        assert audit(config, capsys)[0] == 1
        assert (smtp.inbox, webhook.hooks) == ([], [])
        assert main(["diff", "-c", str(config)]) == 1
        assert "O3" in capsys.readouterr().out
        # night 3: O3 still missing (confirmed: regressed) and O28 fixed (recovered at once).
        o28.write_text(o28.read_text(encoding="utf-8").replace('</div>\n<div class="footer">',
                                                               O28_FIX + '</div>\n<div class="footer">'),
                       encoding="utf-8")
        assert audit(config, capsys)[0] == 1
        # night 4: O3 restored (recovered); O41 disappears (still fail, another reason).
        (hidden / o3.name).rename(o3)
        o41.rename(hidden / o41.name)
        assert audit(config, capsys)[0] == 1
        assert main(["diff", "-c", str(config), "--lang", "en"]) == 0  # recoveries and reason changes only
        diff_out = " ".join(capsys.readouterr().out.split())  # without rich's line breaks
        assert "recovered" in diff_out and "O3" in diff_out
        assert "same verdict, reason changed" in diff_out and "O41" in diff_out and "[http_404]" in diff_out
        # nights 5 and 6: O35's PDF is missing for one night only: flaky, nobody is told.
        o35.rename(hidden / o35.name)
        assert audit(config, capsys)[0] == 1
        (hidden / o35.name).rename(o35)
        assert audit(config, capsys)[0] == 1
        # nights 7 and 8: the site is down. The first failed run is told, the second is not.
        server.close()
        assert audit(config, capsys)[0] == 3
        assert audit(config, capsys)[0] == 3
    finally:
        smtp.close()
        webhook.close()

    with Store(db) as store:
        runs = list(reversed(store.runs(limit=50)))
        assert [r.state for r in runs] == [RunState.COMPLETE] * 6 + [RunState.INCOMPLETE] * 2
        ids = [r.id for r in runs]
        history = {code: [i.status for _, i in reversed(store.item_history(runs[0].scope, code))]
                   for code in ("O3", "O28", "O35", "O41")}
        sent = {r.run_id: r for r in store.notifications() if r.channel == "email"}
        assert all(r.ok for r in store.notifications())
    P, F = Status.PASS, Status.FAIL
    assert history == {"O3": [P, F, F, P, P, P], "O28": [F, F, P, P, P, P], "O35": [P, P, P, P, F, P],
                       "O41": [F, F, F, F, F, F]}
    # exactly three messages: night 3 (O3 regressed, O28 recovered), night 4 (O3 recovered), night 7 (run failed)
    assert list(sent) == [ids[2], ids[3], ids[6]]
    assert sent[ids[2]].events == ("O3:regressed", "O28:recovered")
    assert sent[ids[3]].events == ("O3:recovered",) and sent[ids[6]].events == ("run_failed",)
    assert len(smtp.inbox) == 3
    night3 = smtp.inbox[0]
    assert night3.authenticated and night3.tls and night3.recipients == ["ita-team@example.go.th"]
    body = night3.body
    assert "O3 อำนาจหน้าที่: แย่ลง ผ่าน → ไม่ผ่าน (2 ครั้งติดต่อกัน)" in body
    assert "เหตุผล: ไม่พบหน้า (HTTP 404) [http_404]" in body
    assert "วิธีแก้: ตรวจสอบว่าไฟล์หรือหน้ายังอยู่ แล้วแก้ลิงก์ให้ถูกต้อง" in body
    assert f"URL: {server.base_url}/ita/o3-tis620.html" in body
    assert "O28" in body and "กลับมาผ่าน ไม่ผ่าน → ผ่าน" in body
    assert f"เหลืออีก {DAYS_LEFT} วันถึงกำหนดส่งข้อมูลในระบบ ITAS" in body
    assert "ยังไม่ผ่าน 2 ข้อ: O3, O41" in body  # near the deadline the failing items are named
    assert "ไม่สำเร็จ" in smtp.inbox[2].message["Subject"]
    payloads = verified_payloads(webhook.hooks, SECRET)
    assert [[(e["code"], e["kind"]) for e in p["events"]] for p in payloads] == [
        [("O3", "regressed"), ("O28", "recovered")], [("O3", "recovered")], []]
    assert [p["kind"] for p in payloads] == ["items", "items", "run_failed"]
    assert payloads[0]["run"]["id"] == ids[2] and payloads[0]["deadline"]["days_left"] == DAYS_LEFT
    assert payloads[0]["events"][0]["url"] == f"{server.base_url}/ita/o3-tis620.html"
    assert SMTP_PASSWORD not in db.read_bytes().decode("utf-8", "replace")

    # the history command: counts per run and O41's failing streak, in the config's language
    assert main(["history", "-c", str(config), "-n", "3"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert ids[-1] in out and ids[-4] not in out  # -n 3: the newest three
    assert "6 ครั้ง" in out  # O41 has failed on all six judged nights
    assert main(["history", "-c", str(config), "--item", "O3", "--lang", "en"]) == 0
    assert main(["diff", ids[0], ids[1], "--db", str(db)]) == 1  # explicit runs; O3 regressed
    capsys.readouterr()


def test_an_audit_killed_mid_run_leaves_the_history_intact_and_the_next_run_normal(
        tmp_path: Path, site: tuple[Path, SiteServer], fixture_server: FixtureServer, certificate: tuple[Path, Path],
        capsys: pytest.CaptureFixture[str]) -> None:
    root, server = site
    fixture_server.reset()
    base_url = fixture_server.base_url
    db = tmp_path / "history.sqlite3"
    common = {"smtp_port": 9, "ca_file": certificate[0], "webhook": "http://127.0.0.1:9/", "db": db,
              "deadline": dt.date(2099, 1, 1)}
    normal = write_config(tmp_path, server.base_url, **common)
    assert audit(normal, capsys)[0] == 1
    with Store(db) as store:
        [earlier] = store.runs()
        earlier_items = store.items(earlier.id)
    # an item on the fixture server's /stall keeps the run busy for 30 s; kill it once the request is in
    killed_dir = tmp_path / "killed"
    killed_dir.mkdir()
    stalling = write_config(killed_dir, server.base_url, **common, stall_url=f"{base_url}/stall?seconds=30")
    process = subprocess.Popen([sys.executable, "-m", "oit_checker", "audit", "-c", str(stalling), "-q"],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ.copy())
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if _running(db) and fixture_server.hits["/stall"] >= 1:
                break
            assert process.poll() is None, process.communicate()
            time.sleep(0.05)
        else:
            pytest.fail("the audit never reached the stalling page")
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        _, stderr = process.communicate(timeout=10)
    assert process.returncode == -signal.SIGKILL, stderr

    raw = sqlite3.connect(db)  # before any oit-checker opens it again: SQLite's own check of the file
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    [(killed_id, state)] = raw.execute("SELECT id, state FROM runs WHERE id != ?", (earlier.id,)).fetchall()
    assert state == RunState.RUNNING and raw.execute("SELECT count(*) FROM item_results WHERE run_id = ?",
                                                     (killed_id,)).fetchone()[0] == 0
    raw.close()

    assert audit(normal, capsys)[0] == 1  # the next run is normal
    with Store(db) as store:
        runs = {r.id: r for r in store.runs()}
        assert runs[killed_id].state == RunState.INTERRUPTED
        assert runs[earlier.id].state == RunState.COMPLETE and store.items(earlier.id) == earlier_items
        [latest] = [r for r in runs.values() if r.id not in (killed_id, earlier.id)]
        assert latest.state == RunState.COMPLETE
        assert [(i.code, i.status) for i in store.items(latest.id)] == [(i.code, i.status) for i in earlier_items]
        assert store.integrity_check() == "ok"
    assert main(["diff", "-c", str(normal)]) == 0  # the interrupted run is not one of "the last two"
    assert "ไม่มีข้อใดเปลี่ยนแปลง" in capsys.readouterr().out


def _running(db: Path) -> bool:
    if not db.exists():
        return False
    raw = sqlite3.connect(db, timeout=5)
    try:
        return raw.execute("SELECT count(*) FROM runs WHERE state = 'running'").fetchone()[0] == 1
    except sqlite3.OperationalError:
        return False
    finally:
        raw.close()
