"""What the browser costs: the demo audit with --browser never / auto / always, and one page's render.

Run:  .venv/bin/python bench/browser.py [--repeat 3]

Serves the bundled demo site on 127.0.0.1 and, in the same run, times the whole audit of its
items (HTTP, crawl, checks and the evidence bundle included) with each browser mode, reporting the
best and median of ``--repeat`` runs and the ratio to ``never`` (the peer: no browser at all).
``auto+rendered`` is ``auto`` with ``[evidence] screenshots = "rendered"``: the browser only
where a verdict needs it (none of the demo's pages does, so no browser starts). Then it renders
the demo's HTML item pages one at a time in one warm browser and prints the per-page cost:
load + settle (what a verdict render costs), load only, and the full-page screenshot.
This is a benchmark, not a test: the figures depend on the machine and on what else runs on it
(the load average is printed).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from oit_checker.audit import audit_async  # noqa: E402
from oit_checker.config import LoadedConfig  # noqa: E402
from oit_checker.demo import demo_config, start_demo_server  # noqa: E402
from oit_checker.fetch.browser import BrowserFetcher  # noqa: E402
from oit_checker.options import browser_options  # noqa: E402

HTML_PAGES = ("/", "/ita/o3-tis620.html", "/ita/o28-hr-report-2566.html", "/ita/o41-anticorruption-report.html",
              "/ita/o27-hr-criteria.html", "/ita/o37-risk-management.html")


def variant(loaded: LoadedConfig, screenshots: str) -> LoadedConfig:
    evidence = loaded.config.evidence.model_copy(update={"screenshots": screenshots})
    return LoadedConfig(loaded.config.model_copy(update={"evidence": evidence}), loaded.checklist, loaded.path,
                        loaded.choice, loaded.base_dir)


async def time_audit(loaded: LoadedConfig, mode: str, repeat: int) -> tuple[list[float], dict[str, object]]:
    times, info = [], {}
    for _ in range(repeat):
        started = time.perf_counter()
        result = await audit_async(loaded, browser=mode)
        times.append(time.perf_counter() - started)
        info = dict(result.browser)
    return times, info


async def page_costs(loaded: LoadedConfig, base: str, repeat: int, shots: Path) -> dict[str, list[float]]:
    costs: dict[str, list[float]] = {"load + settle": [], "load only": [], "load + screenshot": []}
    async with BrowserFetcher(browser_options(loaded)) as browser:
        started = time.perf_counter()
        if not await browser.start():
            raise SystemExit(f"no browser: {browser.problem_detail}")
        costs["browser start (once)"] = [time.perf_counter() - started]
        for _ in range(repeat):
            for path in HTML_PAGES:
                for label, settle, shot in (("load + settle", True, None), ("load only", False, None),
                                            ("load + screenshot", False, shots / "shot.png")):
                    started = time.perf_counter()
                    seen = await browser.render(base + path, settle=settle, screenshot=shot)
                    assert seen.fetch.error is None, seen.fetch.error_detail
                    costs[label].append(time.perf_counter() - started)
    return costs


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="oit-bench-") as tmp:
        os.environ["OIT_CHECKER_EVIDENCE_DIR"] = tmp
        with start_demo_server() as server:
            loaded = demo_config(server.base_url)
            print(f"machine: {os.cpu_count()} CPUs, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
                  " (shared machine: other processes may be running)")
            urls = [u for code in loaded.config.audit.select for u in loaded.urls_for(code)]
            kinds = {kind: sum(1 for u in urls if u.endswith(ends)) for kind, ends in
                     (("HTML", (".html", "/")), ("PDF", (".pdf",)))}
            print(f"demo site {server.base_url}/, {len(loaded.config.audit.select)} items, {len(urls)} URLs "
                  f"({kinds['HTML']} HTML, {kinds['PDF']} PDF, {len(urls) - sum(kinds.values())} other), "
                  f"{args.repeat} runs each\n")
            rows = []
            runs = (("never", loaded, "never"), ("auto+rendered", variant(loaded, "rendered"), "auto"),
                    ("auto", loaded, "auto"), ("always", loaded, "always"))
            for label, config, mode in runs:
                times, info = await time_audit(config, mode, args.repeat)
                rows.append((label, times, info))
            peer = min(rows[0][1])
            print(f"{'audit':<15}{'best s':>8}{'median s':>10}{'x never':>9}  rendered  screenshots")
            for label, times, info in rows:
                print(f"{label:<15}{min(times):>8.2f}{statistics.median(times):>10.2f}{min(times) / peer:>9.2f}"
                      f"  {info.get('rendered', 0):>8}  {info.get('screenshots', 0):>11}")
            costs = await page_costs(loaded, server.base_url, args.repeat, Path(tmp))
            print(f"\nper page, one warm browser, {len(HTML_PAGES)} demo pages x {args.repeat}:")
            for label, values in costs.items():
                print(f"  {label:<22} mean {statistics.mean(values) * 1000:7.0f} ms   "
                      f"median {statistics.median(values) * 1000:7.0f} ms")
            print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    asyncio.run(main())
