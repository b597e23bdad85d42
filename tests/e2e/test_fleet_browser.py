"""A fleet whose pages are opened in the browser: every agency's items are rendered by the real
Chromium (Debian's, driven by Playwright), and no worker process runs more than one at a time, so
``--jobs 2`` means at most two Chromiums however many agencies the fleet has (``[fleet.limits]
agencies_per_worker`` 1, the default). Sampled from /proc under the ``fleet run`` process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from fleet_sites import FleetSites
from processes import ChromiumSampler

AGENCIES = ("agency-0001", "agency-0003", "agency-0004", "agency-0005")
ITEMS = ["O1", "O3", "O4"]  # O3 is the item agency 5 lacks (items[1] of ita-2569)


def test_each_worker_runs_at_most_one_chromium_and_every_agency_is_rendered(tmp_path: Path) -> None:
    with FleetSites(count=5, latency=0.02, slow_latency=0.1) as sites:
        by_id = {a.id: a for a in sites.agencies}
        fleet = sites.write_fleet(tmp_path / "fleet.toml", agencies=[by_id[a] for a in AGENCIES], extra={
            "storage": {"path": "history.sqlite3"},
            "fleet": {"reports_dir": "reports", "limits": {"per_host_interval": 0}},
            "defaults": {"browser": {"mode": "always"}, "audit": {"select": ITEMS}}})
        env = {k: v for k, v in os.environ.items() if not k.startswith("OIT_CHECKER_")}
        env["XDG_DATA_HOME"] = str(tmp_path / "xdg-data")
        process = subprocess.Popen(
            [sys.executable, "-m", "oit_checker", "fleet", "run", str(fleet), "--jobs", "2", "--lang", "en",
             "--format", "json", "-o", str(tmp_path / "fleet.json")],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
        with ChromiumSampler(process.pid) as chromiums:
            out, err = process.communicate(timeout=240)
    assert process.returncode == 1, out + err  # agency 5 misses an item: the fleet's worst
    fleet_run_id = json.loads((tmp_path / "fleet.json").read_text(encoding="utf-8"))["run"]["id"]
    for agency_id in AGENCIES:
        report = json.loads((tmp_path / "reports" / fleet_run_id / "agencies" / f"{agency_id}.json")
                            .read_text(encoding="utf-8"))
        browser = report["run"]["browser"]
        assert browser["mode"] == "always"
        assert browser["used"] and browser["rendered"] >= 2, (agency_id, browser)  # the real Chromium rendered them
    assert 1 <= chromiums.peak <= 2  # two workers: never more than two Chromiums at once
    assert len(chromiums.seen) >= 2  # and each agency's audit had its own (ended with it): no Chromium left behind
