"""The "Done when" audit of issue 12: 60+ hostile URLs on one local host end by themselves, with
a contract exit code, every item reported, no traceback, bounded memory, and no request to a
refused address."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from configs import HTTP_ONLY, write_agency_config
from hostile_server import TRAPS, HostileServer

from oit_checker.checklist import load_checklist

HOSTILE_HTTP = ("retries = 0\nconnect_timeout = 1\nread_timeout = 1\ntotal_timeout = 2\nper_host_interval = 0\n"
                "per_host_concurrency = 8\nmax_body_mb = 2\nsoft_404_probe = false\nbreaker_failures = 0")
"""Short timeouts; the per-host breaker off, so that every trap is really requested (with it on, the
first tarpits trip it and the rest end ``host_unresponsive`` at once: tested with the fetcher)."""
MAX_MINUTES = 0.75
"""The run's backstop (45 s): the test must finish well within pytest's 120 s."""


def _urls(base: str) -> list[str]:
    paths = [p for p in TRAPS if p != "ok"] + ["chain/0", "loop-b", "calendar/7", "to-metadata"]
    return [f"{base}/{path}?v={n}" for n in range(3) for path in paths]


@pytest.mark.timeout(120)
def test_hostile_site_audit_ends_reported_and_bounded(tmp_path: Path) -> None:
    codes = list(load_checklist("ita-2567").codes)
    with HostileServer() as server:
        urls = _urls(server.base)
        assert len(urls) >= 60
        share = -(-len(urls) // len(codes))
        # (the shared writer takes one URL per item: several are joined into the TOML list's text)
        items = {code: '", "'.join(urls[i * share:(i + 1) * share]) for i, code in enumerate(codes)
                 if urls[i * share:(i + 1) * share]}
        config = write_agency_config(tmp_path, server.base, items, http=HOSTILE_HTTP,
                                     extra=HTTP_ONLY + "[crawl]\nmax_pages = 40\nmax_depth = 4\n")
        config.write_text(config.read_text(encoding="utf-8").replace(
            "[audit]\n", f"[audit]\nmax_minutes = {MAX_MINUTES}\n", 1), encoding="utf-8")
        report = tmp_path / "report.json"
        env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"), "NO_PROXY": "*"}
        started = time.monotonic()
        child = subprocess.Popen([sys.executable, "-m", "oit_checker", "audit", "-c", str(config), "--format", "json",
                                  "-o", str(report), "-q"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 env=env, cwd=tmp_path)
        try:
            stdout, stderr = child.communicate(timeout=110)
        finally:
            child.kill()
        elapsed = time.monotonic() - started
        requests = list(server.requests)
    text = stderr.decode("utf-8", "replace")
    assert child.returncode in (1, 3, 4), text
    assert "Traceback" not in text
    assert elapsed < MAX_MINUTES * 60 + 40, elapsed
    data = json.loads(report.read_text(encoding="utf-8"))
    assert {item["code"] for item in data["items"]} == set(items)
    reported = {u["url"]: u for item in data["items"] for u in item["urls"]}
    assert set(urls) <= set(reported)
    for url in urls:  # every URL ended with a finding, none is a false fail for a hostile server's trick
        assert reported[url]["checks"], url
    # A redirect to file: or to the metadata address that the server answered (its log has the
    # request) must end refused; the host's breaker or the deadline may stop the others first.
    refused_hops = [u for u in urls if ("/to-file?" in u or "/to-metadata?" in u)
                    and any(r.startswith("GET " + u.removeprefix(server_base(u))) for r in requests)]
    assert refused_hops
    for url in refused_hops:
        assert [c["reason"] for c in reported[url]["checks"]][0] == "blocked_address", reported[url]["checks"]
    assert not [r for r in requests if "169.254" in r or "meta-data" in r]
    assert not [r for r in requests if "etc/passwd" in r]
    assert "root:" not in report.read_text(encoding="utf-8")  # no external entity of the XXE files was read
    peak_mb = _peak_rss_mb()
    assert peak_mb < 1024, peak_mb
    print(f"hostile audit: {len(urls)} item URLs, {len(requests)} requests, {elapsed:.1f} s, "
          f"peak RSS of the children {peak_mb:.0f} MB, exit {child.returncode}")


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def server_base(url: str) -> str:
    """``http://127.0.0.1:PORT`` of a URL on the hostile server."""
    return url[: url.index("/", len("http://"))]
