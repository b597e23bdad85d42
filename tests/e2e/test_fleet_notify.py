"""A fleet run tells people (plan16 §6) and fills items without URLs (``--discover``), as real processes
on the fixture fleet (``tests/fleet_sites.py``: agency 2 dead, 3 slow, 5 one item missing) with a
real local SMTP server (STARTTLS, AUTH, the password from the environment).

* The owner (``[fleet] contacts``) gets exactly one summary per fleet run, recorded in the store, the
  second naming the agency newly failing; ``fleet run --resume`` of a finished run sends none again.
* An inline agency's ``contacts`` get that agency's notice (``confirm_after = 1``): a second fleet run
  with one of agency 1's URLs broken tells its contact about that item; agency 5, failing the same
  item in both runs (the first run is the baseline), tells nobody.
* ``claim_summary`` picks one finaliser: an interrupted fleet run is summarised once, its end once more.
* ``--discover``: an agency whose item URLs were removed from the fleet file is audited with the URLs
  discover proposes, marked proposed in the grid; without it those items fail ``no_url_given``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import tomlkit
from fleet_sites import FleetSites
from receivers import SMTP_PASSWORD, SMTP_USER, Mail, SmtpServer, make_certificate

from oit_checker.fleet.cli import view_from_store
from oit_checker.notify.fleet_message import fleet_notice
from oit_checker.store.fleet import FleetAgencyPlan, FleetStore

COUNT = 5
OWNER = "owner@fleet.test"
CONTACT_SAME = "admin@agency-0005.test"
CONTACT_BROKEN = "admin@agency-0001.test"
BROKEN = "agency-0001"
NO_URL = "agency-0004"


def cli(*args: str, env: dict[str, str], cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "oit_checker", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=cwd)


def environment(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OIT_CHECKER_")}
    return {**env, "XDG_DATA_HOME": str(tmp / "xdg-data"), "COLUMNS": "200", "OIT_CHECKER_SMTP_PASSWORD": SMTP_PASSWORD}


@pytest.fixture(scope="module")
def sites() -> Iterator[FleetSites]:
    with FleetSites(count=COUNT, latency=0.01, slow_latency=0.2) as served:
        yield served


@pytest.fixture(scope="module")
def smtp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SmtpServer, Path]]:
    cert, key = make_certificate(tmp_path_factory.mktemp("smtp"))
    server = SmtpServer(cert, key)
    try:
        yield server, cert
    finally:
        server.close()


def write_fleet(sites: FleetSites, folder: Path, smtp: tuple[SmtpServer, Path], *, no_urls: str = "",
                broken: str = "") -> Path:
    server, cert = smtp
    folder.mkdir(parents=True, exist_ok=True)
    path = sites.write_fleet(folder / "fleet.toml", extra={
        "storage": {"path": "history.sqlite3"},
        "fleet": {"reports_dir": "reports", "contacts": [OWNER],
                  "limits": {"per_host_interval": 0, "max_attempts": 2},
                  "notify": {"confirm_after": 1, "lang": "en",
                             "email": {"host": "127.0.0.1", "port": server.port, "security": "starttls",
                                       "username": SMTP_USER, "sender": SMTP_USER, "ca_file": str(cert),
                                       "timeout": 20}}}})
    data = tomlkit.parse(path.read_text(encoding="utf-8"))
    for agency in data["agencies"]:
        if agency["id"] == "agency-0005":
            agency["contacts"] = [CONTACT_SAME]
        elif agency["id"] == BROKEN:
            agency["contacts"] = [CONTACT_BROKEN]
            if broken:
                agency["items"][broken]["urls"] = [agency["homepage"].rstrip("/") + "/no-such-page.html"]
        if agency["id"] == no_urls:
            del agency["items"]
    path.write_text(tomlkit.dumps(data), encoding="utf-8")
    return path


def mail_to(server: SmtpServer, address: str) -> list[Mail]:
    return [m for m in server.inbox if address in m.recipients]


@dataclass
class Notified:
    fleet: Path
    env: dict[str, str]
    runs: list[subprocess.CompletedProcess[str]]
    fleet_run_ids: list[str]
    broken: str


@pytest.fixture(scope="module")
def notified(sites: FleetSites, smtp: tuple[SmtpServer, Path], tmp_path_factory: pytest.TempPathFactory) -> Notified:
    folder = tmp_path_factory.mktemp("fleet-notify")
    env = environment(folder)
    broken = next(code for code, urls in next(a for a in sites.agencies if a.id == BROKEN).items.items()
                  if urls and not urls[0].endswith(".pdf"))
    runs, ids = [], []
    for breaking in ("", broken):  # the second fleet run: one of agency 1's pages gone
        fleet = write_fleet(sites, folder, smtp, broken=breaking)
        runs.append(cli("fleet", "run", str(fleet), "--jobs", "2", "--format", "json", "-q", env=env, cwd=folder))
        ids.append(json.loads(runs[-1].stdout)["run"]["id"] if runs[-1].returncode in (0, 1, 3, 4) else "")
    return Notified(fleet, env, runs, ids, broken)


def test_the_owner_gets_one_summary_per_fleet_run(notified: Notified, smtp: tuple[SmtpServer, Path]) -> None:
    server, _ = smtp
    assert [r.returncode for r in notified.runs] == [1, 1], [r.stderr for r in notified.runs]
    summaries = mail_to(server, OWNER)
    assert len(summaries) == 2 and all(m.recipients == [OWNER] and m.tls for m in summaries)
    with FleetStore(notified.fleet.parent / "history.sqlite3", create=False) as store:
        sent = [store.fleet_notifications(run_id) for run_id in notified.fleet_run_ids]
        expected = [fleet_notice(view_from_store(store, run_id), lang="en") for run_id in notified.fleet_run_ids]
    assert [[(n.channel, n.ok) for n in rows] for rows in sent] == [[("email", True)]] * 2
    assert [rows[0].events[0] for rows in sent] == ["fleet_summary"] * 2
    assert f"{BROKEN}:newly_failing" not in sent[0][0].events  # no previous fleet run to compare with
    assert f"{BROKEN}:newly_failing" in sent[1][0].events  # passed in the first run, fails in the second
    assert "agency-0005:newly_failing" not in sent[1][0].events  # failed in both
    for mail, notice, run_id in zip(summaries, expected, notified.fleet_run_ids, strict=True):
        assert str(mail.message["Subject"]) == notice.subject()  # the counts of this fleet run
        assert notice.agencies == COUNT and sum(notice.by_worst.values()) == COUNT
        assert run_id in mail.body


def test_an_inline_agencys_contacts_get_its_notice(notified: Notified, smtp: tuple[SmtpServer, Path]) -> None:
    server, _ = smtp
    told = mail_to(server, CONTACT_BROKEN)
    assert len(told) == 1 and told[0].recipients == [CONTACT_BROKEN]
    assert not mail_to(server, CONTACT_SAME)  # the same item failing in both runs: nothing changed to tell
    with FleetStore(notified.fleet.parent / "history.sqlite3", create=False) as store:
        first, second = (store.fleet_agency(run_id, BROKEN).run_id for run_id in notified.fleet_run_ids)
        assert not store.notifications(first)
        rows = store.notifications(second)
    assert [(n.channel, n.ok) for n in rows] == [("email", True)]
    assert f"{notified.broken}:regressed" in rows[0].events


def test_resume_of_a_finished_run_sends_no_second_summary(notified: Notified, smtp: tuple[SmtpServer, Path]) -> None:
    server, _ = smtp
    before = len(server.inbox)
    run_id = notified.fleet_run_ids[-1]
    again = cli("fleet", "run", str(notified.fleet), "--resume", run_id, "-q", "--format", "json",
                env=notified.env, cwd=notified.fleet.parent)
    assert again.returncode == 1, again.stderr
    assert json.loads(again.stdout)["run"]["id"] == run_id
    assert len(server.inbox) == before and len(mail_to(server, OWNER)) == 2
    with FleetStore(notified.fleet.parent / "history.sqlite3", create=False) as store:
        assert len(store.fleet_notifications(run_id)) == 1


def test_one_finaliser_per_ending(tmp_path: Path) -> None:
    plans = [FleetAgencyPlan(f"a{n}", f"A{n}", f"http://a{n}.test/", f"http://a{n}.test/ x", "x", {}) for n in (1, 2)]
    with FleetStore(tmp_path / "h.sqlite3") as store:
        store.begin_fleet_run("20261203T000000Z-fleet-aaaaaa", name="f", fleet_path="f.toml", fleet_sha256="s",
                              agencies=plans)
        assert store.claim_summary("20261203T000000Z-fleet-aaaaaa") is None  # running, agencies left
        assert store.finish_fleet_run("20261203T000000Z-fleet-aaaaaa") == "interrupted"
        assert store.claim_summary("20261203T000000Z-fleet-aaaaaa") == "interrupted"
        assert store.claim_summary("20261203T000000Z-fleet-aaaaaa") is None
        for plan in plans:
            store.fail_lost("20261203T000000Z-fleet-aaaaaa", plan.agency_id, "gone")
        assert store.claim_summary("20261203T000000Z-fleet-aaaaaa") == "complete"  # the resumed run's end
        assert store.claim_summary("20261203T000000Z-fleet-aaaaaa") is None


def test_discover_fills_items_without_urls(sites: FleetSites, smtp: tuple[SmtpServer, Path], tmp_path: Path) -> None:
    fleet, env = write_fleet(sites, tmp_path, smtp, no_urls=NO_URL), environment(tmp_path)
    plain = cli("fleet", "run", str(fleet), "--jobs", "2", "-q", "--format", "json", env=env, cwd=tmp_path)
    cells = {a["id"]: a["items"] for a in json.loads(plain.stdout)["agencies"]}[NO_URL]
    assert cells and {c["reason"] for c in cells.values()} == {"no_url_given"}
    assert not any(c["proposed"] for c in cells.values())
    found = cli("fleet", "run", str(fleet), "--jobs", "2", "-q", "--format", "json", "--discover", env=env,
                cwd=tmp_path)
    data = json.loads(found.stdout)
    cells = {a["id"]: a["items"] for a in data["agencies"]}[NO_URL]
    given = next(a for a in sites.agencies if a.id == NO_URL).items
    proposed = {code for code, c in cells.items() if c["proposed"]}
    assert len(proposed) >= len(cells) * 0.8, cells  # discover finds (nearly) every item page of the fixture
    assert all(cells[code]["reason"] != "no_url_given" and cells[code]["url"] for code in proposed)
    assert sum(cells[code]["status"] == "pass" for code in proposed) >= len(proposed) * 0.8
    assert sum(cells[code]["url"] in given.get(code, []) for code in proposed) >= len(proposed) * 0.8
    others = {a["id"]: a["items"] for a in data["agencies"] if a["id"] != NO_URL}
    assert not any(c["proposed"] for items in others.values() for c in items.values())  # URLs given: kept
    with FleetStore(tmp_path / "history.sqlite3", create=False) as store:
        row = store.fleet_agency(data["run"]["id"], NO_URL)
    assert set(row.discovered) == proposed


def test_agency_notify_routes_contacts(tmp_path: Path) -> None:
    from oit_checker.config import NotifySettings
    from oit_checker.fleet.model import agency_notify

    shared = NotifySettings.model_validate({"email": {"host": "127.0.0.1", "to": ["x@fleet.test"],
                                                      "ca_file": "ca.pem"}, "webhook": {"url": "http://127.0.0.1:9/"}})
    inline = agency_notify(shared, None, ("a@agency.test",), inline=True, base=tmp_path)
    assert inline is not None and inline["email"]["to"] == ["a@agency.test"]
    assert inline["email"]["ca_file"] == str(tmp_path / "ca.pem") and inline["webhook"]["url"]
    silent = agency_notify(shared, None, (), inline=True, base=tmp_path)
    assert silent is not None and silent["email"]["host"] == "" and silent["webhook"]["url"]  # webhook only
    own = {"confirm_after": 3, "email": {"host": "smtp.agency.test", "to": ["it@agency.test"]}}
    added = agency_notify(shared, own, ("a@agency.test",), inline=False, base=tmp_path)
    assert added == {"confirm_after": 3, "email": {"host": "smtp.agency.test", "to": ["it@agency.test", "a@agency.test"]}}
    assert own["email"]["to"] == ["it@agency.test"]  # the agency's data is not changed in place
    borrowed = agency_notify(shared, {"confirm_after": 3}, ("a@agency.test",), inline=False, base=tmp_path)
    assert borrowed is not None and borrowed["email"]["host"] == "127.0.0.1" and borrowed["email"]["to"] == ["a@agency.test"]
    assert agency_notify(shared, own, (), inline=False, base=tmp_path) is None  # its own [notify], unchanged
