"""The Celery workers the benchmark starts, and what they cost: memory and CPU sampled from
/proc while the fan-out runs (benchmarks/fanout.py).
"""

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Worker:
    def __init__(self, *, env: dict, app: str, queue: str, pool: str, concurrency: int, log: Path, name: str):
        self.log = log
        self._log_file = log.open("wb")
        command = [sys.executable, "-m", "celery", "-A", app, "worker", "-Q", queue, "-n", name]
        command += ["--pool", pool, "--concurrency", str(concurrency), "-l", "INFO"]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @staticmethod
    def wait_ready(workers: list["Worker"], timeout: float = 60) -> None:
        from vigilance.celery import app

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for worker in workers:
                if worker.process.poll() is not None:
                    raise RuntimeError(f"a worker exited; see {worker.log}")
            if len(app.control.ping(timeout=0.5)) >= len(workers):
                return
        raise RuntimeError(f"the workers did not all answer within {timeout} s; see {workers[0].log}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._log_file.close()


def _process_tree(pid: int) -> list[int]:
    pids, index = [pid], 0
    while index < len(pids):
        for children in Path(f"/proc/{pids[index]}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                pids += [int(p) for p in children.read_text().split()]
        index += 1
    return pids


def _kb(path: str, field: str) -> int:
    with contextlib.suppress(OSError), open(path) as lines:
        for line in lines:
            if line.startswith(field):
                return int(line.split()[1])
    return 0


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _machine_busy() -> float:
    """Core-seconds the whole machine has been busy so far (/proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(values) - values[3] - values[4]) / CLOCK_TICKS  # all but idle and iowait


class Sampler(threading.Thread):
    """Every 0.1 s: the memory of the worker (main process and pool children) and the CPU
    spent by the worker, by PostgreSQL's backends for our database, by this process (the
    fake Twilio, the SMTP sink, the polling) and by the rest of the machine.

    Memory is summed RSS (shared pages counted in each process, as `ps` shows them) and
    summed PSS (shared pages split between the processes sharing them). Backends are
    sampled while they live: Celery's Django fixup closes the connection around each task.
    """

    def __init__(self, worker_pids: list[int], dsn: str, database: str, interval: float = 0.1):
        super().__init__(daemon=True)
        self.worker_pids, self.dsn, self.database, self.interval = worker_pids, dsn, database, interval
        self.peak_rss_kb = self.peak_pss_kb = self.processes = 0
        self._halt = threading.Event()
        self._cpu = {"worker": {}, "postgres": {}}
        self._baseline = {"worker": {}, "postgres": {}}

    def memory(self) -> tuple[int, int]:
        pids = [pid for root in self.worker_pids for pid in _process_tree(root)]
        self.processes = max(self.processes, len(pids))
        rss = sum(_kb(f"/proc/{p}/status", "VmRSS:") for p in pids)
        pss = sum(_kb(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids)
        return rss, pss

    def _backends(self, cursor) -> list[int]:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [self.database]
        )
        return [pid for (pid,) in cursor.fetchall()]

    def _sample_cpu(self, cursor) -> None:
        workers = [pid for root in self.worker_pids for pid in _process_tree(root)]
        pids = {"worker": workers, "postgres": self._backends(cursor)}
        for kind, kind_pids in pids.items():
            for pid in kind_pids:
                self._cpu[kind][pid] = _cpu_seconds(pid)

    def start_cpu(self, cursor) -> None:
        self._sample_cpu(cursor)
        self._baseline = {kind: dict(seen) for kind, seen in self._cpu.items()}
        self._bench_started, self._busy_started = time.process_time(), _machine_busy()

    def cpu(self) -> dict:
        spent = {
            kind: sum(t - self._baseline[kind].get(pid, 0.0) for pid, t in seen.items())
            for kind, seen in self._cpu.items()
        }
        spent["bench"] = time.process_time() - self._bench_started
        busy = _machine_busy() - self._busy_started
        spent["others"] = max(busy - sum(spent.values()), 0.0)
        return spent

    def run(self):
        import psycopg2

        conn = psycopg2.connect(self.dsn)
        conn.autocommit = True
        try:
            with conn.cursor() as cursor:
                self.start_cpu(cursor)
                while not self._halt.wait(self.interval):
                    rss, pss = self.memory()
                    self.peak_rss_kb = max(self.peak_rss_kb, rss)
                    self.peak_pss_kb = max(self.peak_pss_kb, pss)
                    self._sample_cpu(cursor)
        finally:
            conn.close()

    def stop(self) -> dict:
        self._halt.set()
        self.join()
        return self.cpu()
