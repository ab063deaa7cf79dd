#!/usr/bin/env python
"""How fast an alert reaches a large community: publish, then time the fan-out end to end.

    python benchmarks/fanout.py [--members N] [--concurrency C] [--fake-delay S] [--profile]

A real Celery worker (prefork, C processes) on Redis, PostgreSQL, the real twilio SDK against
the fake Twilio of alerts/tests/fake_twilio.py, and Django's SMTP backend against a local sink.
It prints what it measured, then one machine-readable line, e.g.

    members=10000 first_sms_s=0.42 all_handed_off_s=18.3 ratio=0.81 peak_rss_mb=180

See benchmarks/README.md. Not a test: run it by hand.
"""

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

ACCOUNT_SID = "AC" + "b" * 32
AUTH_TOKEN = "bench-auth-token"
FROM_NUMBER = "+33700000000"
RAW_BODY = (
    "URGENT Bench: Tentative de cambriolage, rue des Lilas. Deux hommes essaient les portes "
    "des voitures garees. http://127.0.0.1:8000/a/1"
)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=10_000, help="members who receive the alert")
    parser.add_argument("--concurrency", type=int, default=4, help="worker processes, or threads with --pool")
    parser.add_argument(
        "--pool", choices=["prefork", "threads"], default="prefork", help="the worker's pool (default prefork)"
    )
    parser.add_argument("--workers", type=int, default=1, help="worker instances, each with its pool")
    parser.add_argument("--batch-size", type=int, default=None, help="ALERT_BATCH_SIZE (default: settings)")
    parser.add_argument("--fake-delay", type=float, default=0.0, help="seconds the fake Twilio takes per SMS")
    parser.add_argument("--database", default="vigilance_bench")
    parser.add_argument("--db-host", default="127.0.0.1")
    parser.add_argument("--db-user", default="postgres")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/6")
    parser.add_argument("--queue", default="bench")
    parser.add_argument("--timeout", type=float, default=None, help="give up after this many seconds")
    parser.add_argument("--in-process", action="store_true", help="no worker: one process, tasks run eagerly")
    parser.add_argument("--profile", action="store_true", help="--in-process, under cProfile")
    parser.add_argument(
        "--first-sms-only", action="store_true", help="stop at the first SMS: publication latency only"
    )
    parser.add_argument("--raw-client", metavar="URL", help=argparse.SUPPRESS)  # internal: see raw_rate()
    parser.add_argument("--raw-offset", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--raw-start", type=float, default=0.0, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


# The raw hand-off rate: the twilio SDK alone, no Django, no database -----------------------
# With as many requests in flight as the worker, in processes and threads shaped like its pool:
# C processes for prefork (each its own GIL), W processes of C threads for a threads pool.


def raw_client_main(url: str, count: int, threads: int, offset: int, start_at: float) -> None:
    """One process of the raw client: `threads` threads, each with its own Client, send their
    share of `count` SMS from the wall-clock time `start_at` on; prints when it started and ended."""
    from twilio.rest import Client

    share = [count // threads + (1 if i < count % threads else 0) for i in range(threads)]
    ready = threading.Barrier(threads + 1, timeout=60)
    errors = []

    def send(index: int, n: int) -> None:
        try:
            client = Client(ACCOUNT_SID, AUTH_TOKEN)
            client.api.base_url = url
            # As Vigilance's backend: the environment's proxy settings are not read per request.
            client.http_client.session.trust_env = False
            params = {"from_": FROM_NUMBER, "body": RAW_BODY, "validity_period": 3600}
            callback = "http://127.0.0.1:8000/alerts/twilio/status/?d="
            client.messages.create(to="+33699999999", status_callback=callback + "0", **params)  # warm-up
            ready.wait()
            for i in range(n):
                number = f"+336{offset + index:02d}{i:06d}"
                client.messages.create(to=number, status_callback=callback + str(i), **params)
        except Exception as error:
            errors.append(error)
            ready.abort()
            raise

    workers = [threading.Thread(target=send, args=(i, n)) for i, n in enumerate(share)]
    for worker in workers:
        worker.start()
    time.sleep(max(start_at - time.time(), 0))
    started = time.time()
    ready.wait()
    for worker in workers:
        worker.join()
    if errors:
        raise SystemExit(f"raw client failed: {errors[0]!r}")
    print(json.dumps({"started": started, "ended": time.time()}))


def raw_rate(fake, count: int, processes: int, threads: int) -> float:
    """SMS per second of `processes` raw client processes of `threads` threads each."""
    start_at = time.time() + 3  # time for every process to start and warm up
    share = [count // processes + (1 if i < count % processes else 0) for i in range(processes)]
    clients = [
        subprocess.Popen(
            [sys.executable, __file__, "--raw-client", fake.base_url, "--members", str(n)]
            + ["--concurrency", str(threads), "--raw-offset", str(i * threads), "--raw-start", str(start_at)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for i, n in enumerate(share)
    ]
    outputs = [client.communicate(timeout=600)[0] for client in clients]
    if any(client.returncode for client in clients):
        raise SystemExit("a raw client process failed")
    results = [json.loads(output.strip().splitlines()[-1]) for output in outputs]
    return count / (max(r["ended"] for r in results) - min(r["started"] for r in results))


# Setup: database, Django, the community ------------------------------------------------------


def ensure_database(args) -> None:
    import psycopg2

    conn = psycopg2.connect(dbname="postgres", host=args.db_host, user=args.db_user)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.database])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{args.database}"')
    conn.close()


def environment(args, fake, sink) -> dict:
    """The settings of both the benchmark process and the worker, as environment variables."""
    env = {
        "DJANGO_SETTINGS_MODULE": "vigilance.settings",
        "VIGILANCE_ALLOW_INSECURE_KEY": "1",
        "DATABASE_URL": f"postgres://{args.db_user}@{args.db_host}:5432/{args.database}",
        "REDIS_URL": args.redis,
        "CELERY_QUEUE": args.queue,
        "CELERY_WORKER_CONCURRENCY": str(args.concurrency),
        "SMS_BACKEND": "alerts.sms_backends.TwilioSmsBackend",
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_FROM_NUMBER": FROM_NUMBER,
        "TWILIO_MESSAGING_SERVICE_SID": "",
        "TWILIO_BASE_URL": fake.base_url,
        "EMAIL_URL": sink.url,
        "LOG_LEVEL": "WARNING",
    }
    if args.batch_size:
        env["ALERT_BATCH_SIZE"] = str(args.batch_size)
    return env


def setup_django(env: dict) -> None:
    for name in ("DJANGO_ALLOW_ASYNC_UNSAFE", "CELERY_TASK_ALWAYS_EAGER"):
        os.environ.pop(name, None)
    os.environ.update(env)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def community_of(members: int):
    """A community of `members` members with verified phones and emails, plus the alert's author.

    Built with bulk_create (no factories, no password hashing) and kept between runs."""
    from django.db import connection, transaction
    from django.utils import timezone

    from alerts.models import Alert, Delivery
    from neighbourhoods.models import Commune, Community, Membership, Neighbourhood, Postcode
    from accounts.models import User

    commune, _ = Commune.objects.get_or_create(
        insee_code="99001",
        defaults={"name": "Benchville", "department_code": "44", "search_name": "benchville"},
    )
    Postcode.objects.get_or_create(commune=commune, code="99001")
    neighbourhood, _ = Neighbourhood.objects.get_or_create(commune=commune, name="Quartier du banc d'essai")
    community, _ = Community.objects.get_or_create(neighbourhood=neighbourhood, name=f"Bench {members}")
    Alert.objects.filter(communities=community).delete()  # earlier runs' alerts and deliveries
    with connection.cursor() as cursor:
        # Else autovacuum cleans up after that delete during the run, on the measured cores.
        cursor.execute(f"VACUUM ANALYZE {Delivery._meta.db_table}")
    prefix = f"bench{members}-"
    approved = Membership.objects.filter(community=community, status=Membership.Status.APPROVED)
    if approved.count() == members + 1:
        return community, User.objects.get(email=f"{prefix}0@example.org")

    started = time.monotonic()
    now = timezone.now()
    offset = members * 100  # a phone range of its own per community size
    with transaction.atomic():
        User.objects.filter(email__startswith=prefix).delete()
        users = User.objects.bulk_create(
            (
                User(
                    email=f"{prefix}{i}@example.org",
                    password="!",  # unusable: no hashing
                    first_name="Membre",
                    last_name=str(i),
                    phone=f"+336{offset + i:08d}",
                    phone_verified_at=now,
                    charter_accepted_at=now,
                    commune=commune,
                )
                for i in range(members + 1)
            ),
            batch_size=5000,
        )
        Membership.objects.bulk_create(
            (
                Membership(
                    user=user,
                    community=community,
                    street="rue des Lilas",
                    status=Membership.Status.APPROVED,
                    decided_at=now,
                )
                for user in users
            ),
            batch_size=5000,
        )
    print(f"built a community of {members} members in {time.monotonic() - started:.1f} s")
    return community, users[0]


def publish(community, author, marks: dict | None = None) -> tuple:
    """Publishes an urgent alert; returns it, the time alert_publish took, and the commit time.
    `marks` receives the commit's wall-clock and CPU times."""
    from django.db import transaction

    from alerts import services
    from alerts.models import Alert

    marks = {} if marks is None else marks
    started = time.monotonic()
    with transaction.atomic():
        # Registered first, so it runs first at commit: before the fan-out is queued.
        transaction.on_commit(lambda: marks.update(commit=time.monotonic(), commit_cpu=time.process_time()))
        alert = services.alert_publish(
            author=author,
            community_id=community.id,
            category=Alert.Category.BURGLARY,
            urgency=Alert.Urgency.URGENT,
            description="Tentative de cambriolage : deux hommes essaient les portes des voitures.",
            street="rue des Lilas",
        )
    return alert, marks["commit"] - started, marks["commit"]


# The worker and its memory -----------------------------------------------------------------


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


# Measuring ----------------------------------------------------------------------------------


def wait_handed_off(alert, fake, sink, sms_total: int, email_total: int, timeout: float) -> float | None:
    """The time (monotonic) at which every delivery was SENT and the fake and sink had them all."""
    from alerts.models import Delivery

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        # In-memory counts first: cheap to poll, and they come before the last UPDATE.
        counted = len(fake.requests) >= sms_total and sink.count >= email_total
        if counted and not alert.deliveries.exclude(status=Delivery.Status.SENT).exists():
            return time.monotonic()
        time.sleep(0.02)
    return None


def wait_first_sms(fake, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not fake.requests:
        if time.monotonic() > deadline:
            raise SystemExit(f"no SMS within {timeout:.0f} s")
        time.sleep(0.005)


def run_pipeline(args, env, fake, sink, community, author) -> dict:
    from django.db.models import Count

    from alerts.models import Delivery
    from vigilance.celery import app

    app.control.purge()
    logs = Path(tempfile.mkdtemp(prefix="vigilance-bench-"))
    workers = [
        Worker(
            env=env,
            app="vigilance",
            queue=args.queue,
            pool=args.pool,
            concurrency=args.concurrency,
            log=logs / f"worker-{i}.log",
            name=f"bench{i}@%h",
        )
        for i in range(args.workers)
    ]
    dsn = f"dbname={args.database} host={args.db_host} user={args.db_user}"
    try:
        Worker.wait_ready(workers)
        sampler = Sampler([w.process.pid for w in workers], dsn, args.database)
        idle_rss, idle_pss = sampler.memory()
        fake.reset()
        sink.reset()
        alert, publish_s, committed = publish(community, author)
        sampler.start()  # CPU is counted from here, a few milliseconds after the commit
        if args.first_sms_only:
            wait_first_sms(fake, timeout=args.timeout or 60)
            sampler.stop()
            return {"publish_s": publish_s, "first_sms_s": fake.requests[0]["received_at"] - committed}
        counts = dict(alert.deliveries.values_list("channel").annotate(n=Count("id")))
        sms_total, email_total = counts.get(Delivery.Channel.SMS, 0), counts.get(Delivery.Channel.EMAIL, 0)
        timeout = args.timeout or max(120.0, args.members / 50)
        done = wait_handed_off(alert, fake, sink, sms_total, email_total, timeout)
        cpu = sampler.stop()
    finally:
        for worker in workers:
            worker.stop()
    if done is None:
        statuses = dict(alert.deliveries.values_list("status").annotate(n=Count("id")))
        raise SystemExit(f"not handed off after {timeout:.0f} s: {statuses}; worker logs: {logs}")

    sms_times = sorted(r["received_at"] for r in fake.accepted)
    per_number = fake.accepted_per_number()
    return {
        "publish_s": publish_s,
        "sms": sms_total,
        "emails": email_total,
        "first_sms_s": sms_times[0] - committed,
        "last_sms_s": sms_times[-1] - committed,
        # the rate once the fan-out is under way: from the 10th to the 90th percentile SMS
        "steady_sms_rate": 0.8 * len(sms_times) / max(sms_times[9 * len(sms_times) // 10] - sms_times[len(sms_times) // 10], 1e-9),
        "first_email_s": min(sink.received_at) - committed,
        "last_email_s": max(sink.received_at) - committed,
        "all_handed_off_s": done - committed,
        "sms_duplicates": sum(n - 1 for n in per_number.values()),
        "sms_missing": sms_total - len(per_number),
        "emails_received": sink.count,
        "idle_rss_mb": idle_rss / 1024,
        "idle_pss_mb": idle_pss / 1024,
        "peak_rss_mb": sampler.peak_rss_kb / 1024,
        "peak_pss_mb": sampler.peak_pss_kb / 1024,
        "processes": sampler.processes,
        "cpu": cpu,
        "log": logs,
    }


def run_in_process(community, author, *, profile: bool) -> None:
    """Everything in this process, tasks run eagerly (one after the other), optionally under
    cProfile: where does the time go, with no other worker process competing for the CPU?"""
    import cProfile
    import pstats

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from vigilance.celery import app

    app.conf.task_always_eager = True
    profiler = cProfile.Profile()
    marks = {}
    with CaptureQueriesContext(connection) as queries:
        if profile:
            profiler.enable()
        alert, publish_s, committed = publish(community, author, marks)  # the fan-out runs at commit
        profiler.disable()
        elapsed, cpu = time.monotonic() - committed, time.process_time() - marks["commit_cpu"]
    n = alert.deliveries.count()
    print(
        f"one process, eager tasks: alert_publish {publish_s:.2f} s, then {n} deliveries in {elapsed:.1f} s"
    )
    print(f"CPU of this process (sending, fake Twilio, SMTP sink): {cpu / n * 1000:.2f} ms per delivery")
    print(f"SQL queries: {len(queries)} ({len(queries) / max(n, 1):.2f} per delivery)")
    if profile:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(35)
        stats.sort_stats("tottime").print_stats(20)


def report(args, result: dict, raw: float) -> None:
    r, cpu = result, result["cpu"]
    pipeline_rate = r["sms"] / r["last_sms_s"]
    ratio = pipeline_rate / raw
    deliveries = r["sms"] + r["emails"]
    busy_others = cpu["others"] / r["all_handed_off_s"]
    lines = [
        f"members: {args.members}; worker: {args.workers} x {args.pool} x{args.concurrency}"
        + f"; fake Twilio delay: {args.fake_delay * 1000:.0f} ms",
        f"alert_publish, planning {deliveries} deliveries before the commit: {r['publish_s']:.2f} s",
        f"first SMS at the fake after the commit: {r['first_sms_s']:.3f} s",
        f"last SMS {r['last_sms_s']:.2f} s; "
        f"emails from {r['first_email_s']:.2f} s to {r['last_email_s']:.2f} s",
        f"everything handed off (all SENT, fake and sink counts match): {r['all_handed_off_s']:.2f} s",
        f"SMS: {r['sms']} expected, {r['sms_duplicates']} duplicates, {r['sms_missing']} missing; "
        f"emails: {r['emails_received']}/{r['emails']}",
        f"SMS rate: pipeline {pipeline_rate:.0f}/s (commit to last SMS; {r['steady_sms_rate']:.0f}/s from the "
        f"10th to the 90th percentile SMS), raw twilio SDK {raw:.0f}/s "
        f"(as many requests in flight, as many processes, no Django, no database): ratio {ratio:.2f}",
        f"worker memory, {r['processes']} processes: idle RSS {r['idle_rss_mb']:.0f} MB, "
        f"peak RSS {r['peak_rss_mb']:.0f} MB, peak PSS {r['peak_pss_mb']:.0f} MB",
        f"CPU, commit to hand-off, per delivery: worker {cpu['worker'] / deliveries * 1000:.1f} ms, "
        f"PostgreSQL {cpu['postgres'] / deliveries * 1000:.1f} ms, "
        f"fake Twilio + SMTP sink + polling {cpu['bench'] / deliveries * 1000:.1f} ms",
        f"other processes on the machine used {busy_others:.1f} of its {os.cpu_count()} cores meanwhile",
        f"worker logs: {r['log']}",
        f"members={args.members} first_sms_s={r['first_sms_s']:.2f} "
        f"all_handed_off_s={r['all_handed_off_s']:.1f} ratio={ratio:.2f} peak_rss_mb={r['peak_rss_mb']:.0f}",
    ]
    print("\n".join(lines))


def main():
    args = parse_args()
    if args.raw_client:
        return raw_client_main(args.raw_client, args.members, args.concurrency, args.raw_offset, args.raw_start)

    from smtp_sink import SmtpSink

    from alerts.tests.fake_twilio import FakeTwilio

    fake = FakeTwilio(delay=args.fake_delay)
    fake.start()
    sink = SmtpSink().start()
    try:
        ensure_database(args)
        env = environment(args, fake, sink)
        setup_django(env)
        community, author = community_of(args.members)
        if args.profile or args.in_process:
            return run_in_process(community, author, profile=args.profile)
        result = run_pipeline(args, env, fake, sink, community, author)
        if args.first_sms_only:
            publish_s, first_sms_s = result["publish_s"], result["first_sms_s"]
            print(f"alert_publish {publish_s:.2f} s, then the first SMS {first_sms_s:.3f} s after the commit")
            print(f"members={args.members} publish_s={publish_s:.2f} first_sms_s={first_sms_s:.2f}")
            return
        if args.pool == "prefork":
            raw = raw_rate(fake, args.members, processes=args.workers * args.concurrency, threads=1)
        else:
            raw = raw_rate(fake, args.members, processes=args.workers, threads=args.concurrency)
        report(args, result, raw)
    finally:
        fake.stop()
        sink.stop()


if __name__ == "__main__":
    main()
