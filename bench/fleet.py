"""Fleet benchmark: many small simulated agencies audited by ``oit-checker fleet run``.

Serves N small agencies on loopback addresses (``tests/fleet_sites.py`` in its OWN process, so the
server's CPU is not counted; one homepage, an OIT index, one page per checklist item, one item as a
PDF; every response delayed by ``--latency``), then audits them:

- **embedded**: ``oit-checker fleet run FLEET.toml --jobs J -q`` in a subprocess, history in a SQLite
  file of a temp folder;
- **celery**: ``--workers`` ``oit-checker worker --concurrency C`` processes on a Redis db of their
  own (``--redis-db``, flushed after), history in a fresh schema of the PostgreSQL ``test`` database
  (dropped after), agencies queued and followed by ``fleet run --broker``.

Measured per run: wall time and agencies/minute; CPU seconds per agency (user + system of the fleet
run's whole process tree: ``wait4`` of ``fleet run``, whose pool workers it reaps; for Celery the
workers' trees from ``/proc/<pid>/stat`` utime+stime+cutime+cstime, from the moment they are ready
to the end of the run, plus the ``fleet run --broker`` process); peak memory per worker process
(``VmHWM`` of every process of the tree, sampled every 0.5 s, the max over the audit processes:
pool workers are replaced after 50 agencies, so a 1,000-agency run sees many). The memory of a
worker should stay flat as the fleet grows: the table ends with the ratio of the largest fleet's
peak to the smallest's. Not a test: figures depend on the machine and on anything else running on it.

    python bench/fleet.py                                   # 20 agencies, embedded + celery: a quick try
    python bench/fleet.py --agencies 100,1000 --latency 0.1 --jobs 2 --mode embedded,celery --checklist ita-2569
    python bench/fleet.py --agencies 100 --mode embedded --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SITES = ROOT / "tests" / "fleet_sites.py"
PG_URL = "postgresql://postgres@127.0.0.1:5432/test"
REDIS = "redis://127.0.0.1:6379/{db}"
TICK = os.sysconf("SC_CLK_TCK")
SAMPLE_SECONDS = 0.5
OK_CODES = (0, 1, 3, 4)
"""Fleet exit codes of a run that finished (the fixture has failing items and one dead agency)."""


# -- /proc ------------------------------------------------------------------------------------------


def _stat(pid: int) -> list[str] | None:
    """Fields of /proc/<pid>/stat after the command name (index 0 = state, 1 = ppid)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def descendants(roots: set[int]) -> dict[int, int]:
    """Every live process below ``roots`` (roots included): pid -> depth (0 for a root)."""
    parent: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))) is not None:
            parent[int(entry.name)] = int(fields[1])
    found = {pid: 0 for pid in roots if pid in parent}
    changed = True
    while changed:
        changed = False
        for pid, ppid in parent.items():
            if pid not in found and ppid in found:
                found[pid] = found[ppid] + 1
                changed = True
    return found


def tree_cpu(roots: set[int]) -> float:
    """CPU seconds of the live tree below ``roots``: each process's own time plus its reaped children's."""
    total = 0
    for pid in descendants(roots):
        if (fields := _stat(pid)) is not None:
            total += sum(int(v) for v in fields[11:15])  # utime stime cutime cstime
    return total / TICK


def vm_hwm_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


class Sampler:
    """Peak ``VmHWM`` of every process below ``roots``, every 0.5 s in a thread; ``kind(pid, depth,
    cmdline)`` names what a process is ('worker', 'main', or '' to ignore it)."""

    def __init__(self, roots: set[int], kind: Callable[[int, int, str], str]) -> None:
        self.roots, self.kind = roots, kind
        self.peaks: dict[int, tuple[str, float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)

    def _run(self) -> None:
        while not self._stop.is_set():
            for pid, depth in descendants(self.roots).items():
                kind = self.peaks[pid][0] if pid in self.peaks else self.kind(pid, depth, cmdline(pid))
                if kind:
                    self.peaks[pid] = (kind, max(self.peaks.get(pid, (kind, 0.0))[1], vm_hwm_mb(pid)))
            self._stop.wait(SAMPLE_SECONDS)

    def peak(self, kind: str) -> tuple[float, int]:
        """(max peak MB, processes seen) of one kind."""
        values = [mb for k, mb in self.peaks.values() if k == kind]
        return (max(values) if values else 0.0), len(values)


# -- the sites and the fleet file ---------------------------------------------------------------------


def environment(work: Path) -> dict[str, str]:
    """No OIT_CHECKER_* or proxy settings of the caller; user data under the temp folder."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("OIT_CHECKER_") and k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
    return {**env, "XDG_DATA_HOME": str(work / "xdg-data"), "PYTHONUNBUFFERED": "1", "COLUMNS": "200"}


class Sites:
    """``tests/fleet_sites.py`` serving ``count`` agencies in its own process, writing ``fleet``."""

    def __init__(self, count: int, latency: float, checklist: str, fleet: Path, work: Path) -> None:
        self.argv = [sys.executable, str(SITES), "--count", str(count), "--latency", str(latency),
                     "--slow-latency", "0", "--checklist", checklist, "--fleet", str(fleet)]
        self.work = work
        self.process: subprocess.Popen[str] | None = None

    def __enter__(self) -> Sites:
        self.process = subprocess.Popen(self.argv, stdout=subprocess.PIPE, text=True, env=environment(self.work),
                                        start_new_session=True)
        assert self.process.stdout is not None
        for line in self.process.stdout:  # one line per agency, then "# N agencies on port P ..."
            if line.startswith("#"):
                break
        else:
            raise SystemExit(f"the sites server did not start (exit {self.process.wait()})")
        threading.Thread(target=self.process.stdout.read, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)


INTERVAL: float | None = None
"""``--per-host-interval``: [fleet.limits] per_host_interval (None: the shipped 0.25 s)."""


def finish_fleet_file(fleet: Path, storage: dict[str, str], reports: Path) -> None:
    """The fixture's fleet file, plus this run's history and reports folder (and ``INTERVAL``)."""
    import tomlkit

    doc = tomlkit.parse(fleet.read_text(encoding="utf-8"))
    doc["fleet"]["reports_dir"] = str(reports)
    if INTERVAL is not None:
        doc["fleet"]["limits"] = {"per_host_interval": INTERVAL}
    doc["storage"] = storage
    fleet.write_text(tomlkit.dumps(doc), encoding="utf-8")


# -- one run --------------------------------------------------------------------------------------------


@dataclass
class Run:
    mode: str
    agencies: int
    seconds: float
    cpu_seconds: float
    worker_peak_mb: float
    workers_seen: int
    main_peak_mb: float
    exit_code: int
    states: dict[str, int] = field(default_factory=dict)
    note: str = ""

    @property
    def per_minute(self) -> float:
        return self.agencies * 60 / self.seconds

    @property
    def cpu_ms(self) -> float:
        return self.cpu_seconds * 1000 / self.agencies


def oit(*args: str) -> list[str]:
    return [sys.executable, "-m", "oit_checker", *args]


def states_of(report: Path) -> dict[str, int]:
    try:
        return dict(json.loads(report.read_text(encoding="utf-8"))["summary"]["by_state"])
    except (OSError, ValueError, KeyError):
        return {}


def run_embedded(count: int, latency: float, jobs: int, checklist: str, work: Path) -> Run:
    fleet, report = work / "fleet.toml", work / "fleet.json"
    with Sites(count, latency, checklist, fleet, work):
        finish_fleet_file(fleet, {"path": str(work / "history.sqlite3")}, work / "reports")
        argv = oit("fleet", "run", str(fleet), "--jobs", str(jobs), "-q", "--format", "json", "-o", str(report))
        started = time.perf_counter()
        with open(work / "fleet-run.log", "w") as log:
            process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=environment(work), cwd=work)

            def kind(pid: int, depth: int, line: str) -> str:
                if depth == 0:
                    return "main"
                return "worker" if "spawn_main" in line and "resource_tracker" not in line else ""

            with Sampler({process.pid}, kind) as sampler:
                _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    peak, seen = sampler.peak("worker")
    run = Run("embedded", count, seconds, usage.ru_utime + usage.ru_stime, peak, seen, sampler.peak("main")[0],
              code, states_of(report), f"--jobs {jobs}")
    return checked(run, work)


def checked(run: Run, work: Path) -> Run:
    """``run``, noting the end of the log when the fleet run did not finish every agency."""
    if run.exit_code not in OK_CODES or sum(run.states.values()) != run.agencies:
        run.note += f" NOT FINISHED, exit {run.exit_code}: " + (work / "fleet-run.log").read_text(errors="replace")[-600:]
    return run


def celery_available() -> str:
    """'' when this build has the Celery mode and the services answer, else why not."""
    done = subprocess.run(oit("worker", "--help"), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return "no `oit-checker worker` command"
    try:
        import psycopg
        import redis
    except ImportError as exc:
        return f"{exc.name} is not installed (pip install 'oit-checker[workers]')"
    try:
        redis.Redis.from_url(REDIS.format(db=0), socket_timeout=5).ping()
        psycopg.connect(PG_URL, connect_timeout=5).close()
    except (redis.RedisError, psycopg.Error) as exc:
        return f"a service does not answer: {exc}"
    return ""


def run_celery(count: int, latency: float, workers: int, concurrency: int, checklist: str, work: Path,
               redis_db: int) -> Run:
    import psycopg
    import redis

    broker = REDIS.format(db=redis_db)
    client = redis.Redis.from_url(broker)
    if client.dbsize():
        raise SystemExit(f"Redis db {redis_db} is not empty: choose another with --redis-db")
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = psycopg.connect(PG_URL, autocommit=True)
    admin.execute(f'CREATE SCHEMA "{schema}"')
    started_workers: list[subprocess.Popen[bytes]] = []
    fleet, report = work / "fleet.toml", work / "fleet.json"
    try:
        with Sites(count, latency, checklist, fleet, work):
            finish_fleet_file(fleet, {"url": f"{PG_URL}?options=-csearch_path%3D{schema}"}, work / "reports")
            logs = [work / f"worker-{n}.log" for n in range(workers)]
            for log in logs:
                with log.open("wb") as out:
                    started_workers.append(subprocess.Popen(
                        oit("worker", "--broker", broker, "--concurrency", str(concurrency), "--loglevel", "warning"),
                        stdout=out, stderr=subprocess.STDOUT, env=environment(work), cwd=work,
                        start_new_session=True))
            roots = {p.pid for p in started_workers}
            ends = time.monotonic() + 120
            while sum(1 for pid, depth in descendants(roots).items() if depth == 1) < workers * concurrency:
                if time.monotonic() > ends or any(p.poll() is not None for p in started_workers):
                    raise SystemExit("a Celery worker did not start:\n" + logs[0].read_text(errors="replace")[-2000:])
                time.sleep(0.2)
            time.sleep(3)  # the pool processes import the audit code before they take work
            cpu_before = tree_cpu(roots)
            argv = oit("fleet", "run", str(fleet), "--broker", broker, "-q", "--format", "json", "-o", str(report))
            started = time.perf_counter()
            with Sampler(roots, lambda pid, depth, line: "main" if depth == 0 else "worker" if depth == 1 else ""
                         ) as sampler, open(work / "fleet-run.log", "w") as run_log:
                process = subprocess.Popen(argv, stdout=run_log, stderr=subprocess.STDOUT, env=environment(work), cwd=work)
                _, status, usage = os.wait4(process.pid, 0)
                seconds = time.perf_counter() - started
                cpu = tree_cpu(roots) - cpu_before + usage.ru_utime + usage.ru_stime
    finally:
        for process in started_workers:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in started_workers:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)
        client.flushdb()
        admin.execute("SET lock_timeout = '20s'")
        admin.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.close()
    code = os.waitstatus_to_exitcode(status)
    peak, seen = sampler.peak("worker")
    run = Run("celery", count, seconds, cpu, peak, seen, sampler.peak("main")[0], code, states_of(report),
              f"{workers} workers x --concurrency {concurrency}")
    return checked(run, work)


# -- the report -------------------------------------------------------------------------------------------


def median_run(runs: list[Run]) -> Run:
    return sorted(runs, key=lambda run: run.seconds)[(len(runs) - 1) // 2]


def show(run: Run, prefix: str = "") -> None:
    states = " ".join(f"{k} {v}" for k, v in sorted(run.states.items()))
    print(f"{prefix}{run.mode:9} {run.agencies:6,} {run.seconds:9.1f} {run.per_minute:8.1f} {run.cpu_seconds:8.1f} "
          f"{run.cpu_ms:9.0f} {run.worker_peak_mb:9.1f} {run.workers_seen:5} {run.main_peak_mb:8.1f}  "
          f"[{states}] {run.note}", flush=True)


HEAD = (f"{'mode':9} {'agencies':>6} {'wall s':>9} {'per min':>8} {'CPU s':>8} {'CPU ms/ag':>9} {'worker MB':>9} "
        f"{'procs':>5} {'main MB':>8}  [agency states] setup")


def bench(counts: list[int], modes: list[str], latency: float, jobs: int, workers: int, concurrency: int,
          checklist: str, repeat: int, redis_db: int) -> None:
    mem = int(Path("/proc/meminfo").read_text().split()[1]) // 1024 // 1024
    print(f"machine: {len(os.sched_getaffinity(0))} cores, {mem} GB, load average {os.getloadavg()[0]:.1f} "
          "(other work on the machine distorts these figures; not a test)")
    print(f"sites: tests/fleet_sites.py in its own process, {latency * 1000:.0f} ms added to every response, "
          f"checklist {checklist}; [fleet.limits] per_host_interval "
          f"{'0.25 s (shipped)' if INTERVAL is None else f'{INTERVAL} s'}, the other limits as shipped")
    why_not = celery_available() if "celery" in modes else ""
    if why_not:
        print(f"celery: not available in this build ({why_not})")
        modes = [m for m in modes if m != "celery"]
    print(HEAD)
    typical: dict[tuple[str, int], Run] = {}
    for count in counts:
        for mode in modes:
            runs = []
            for _ in range(repeat):
                with tempfile.TemporaryDirectory(prefix="oit-bench-fleet-") as tmp:
                    if mode == "embedded":
                        run = run_embedded(count, latency, jobs, checklist, Path(tmp))
                    else:
                        run = run_celery(count, latency, workers, concurrency, checklist, Path(tmp), redis_db)
                runs.append(run)
                show(run, "  run ")
            typical[(mode, count)] = median_run(runs)
    print(f"\nmedian of {repeat} run(s):")
    print(HEAD)
    for run in typical.values():
        show(run)
    if len(counts) > 1:
        low, high = min(counts), max(counts)
        for mode in modes:
            a, b = typical.get((mode, low)), typical.get((mode, high))
            if a and b and a.worker_peak_mb:
                print(f"{mode}: peak memory per worker, {high:,} vs {low:,} agencies: {b.worker_peak_mb:.1f} / "
                      f"{a.worker_peak_mb:.1f} MB = {b.worker_peak_mb / a.worker_peak_mb:.2f}x")
    for count in counts:
        e, c = typical.get(("embedded", count)), typical.get(("celery", count))
        if e and c:
            print(f"{count:,} agencies: agencies/min embedded / celery = {e.per_minute / c.per_minute:.2f}x, "
                  f"CPU per agency embedded / celery = {e.cpu_ms / c.cpu_ms:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agencies", default="20", help="fleet sizes, comma-separated (e.g. 100,1000)")
    parser.add_argument("--mode", default="embedded,celery", help="embedded, celery or both")
    parser.add_argument("--latency", type=float, default=0.1, help="seconds added to every response")
    parser.add_argument("--jobs", type=int, default=2, help="embedded: worker processes")
    parser.add_argument("--workers", type=int, default=2, help="celery: `oit-checker worker` processes")
    parser.add_argument("--concurrency", type=int, default=1, help="celery: pool processes per worker")
    parser.add_argument("--checklist", default="ita-2569")
    parser.add_argument("--repeat", type=int, default=1, help="runs per mode and size; the median is reported")
    parser.add_argument("--redis-db", type=int, default=13, help="celery: a Redis db of the bench's own (flushed)")
    parser.add_argument("--per-host-interval", type=float, metavar="S",
                        help="[fleet.limits] per_host_interval (default: the shipped 0.25 s, which bounds one "
                             "agency's audit: about 26 requests to its host, 0.25 s apart)")
    args = parser.parse_args()
    global INTERVAL
    INTERVAL = args.per_host_interval
    modes = [m.strip() for m in args.mode.split(",") if m.strip()]
    if set(modes) - {"embedded", "celery"}:
        raise SystemExit("--mode: embedded, celery")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(max(soft, 8192), hard), hard))  # the server's 1,000 sockets
    bench([int(n) for n in args.agencies.split(",")], modes, args.latency, args.jobs, args.workers,
          args.concurrency, args.checklist, max(1, args.repeat), args.redis_db)


if __name__ == "__main__":
    main()
