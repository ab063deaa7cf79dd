#!/usr/bin/env python
"""How fast an alert reaches a large community: publish, then time the fan-out end to end.

    python benchmarks/fanout.py [--members N] [--concurrency C] [--fake-delay S] [--profile]

A real Celery worker (prefork, C processes) on Redis, PostgreSQL, the real twilio SDK against
the fake Twilio of alerts/tests/fake_twilio.py, and Django's SMTP backend against a local sink.
It prints what it measured, then one machine-readable line, e.g.

    members=10000 first_sms_s=0.42 all_handed_off_s=18.3 ratio=0.81 peak_rss_mb=180

See benchmarks/README.md. Not a test: run it by hand. The setup is in fanout_setup.py, the
workers and their sampling in fanout_workers.py, the raw client in fanout_raw.py.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from fanout_raw import raw_client_main, raw_rate  # noqa: E402  (after the path is set)
from fanout_setup import community_of, ensure_database, environment, publish, setup_django  # noqa: E402
from fanout_workers import Sampler, Worker  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=10_000, help="members who receive the alert")
    parser.add_argument("--concurrency", type=int, default=4, help="worker processes, or threads with --pool")
    parser.add_argument(
        "--pool",
        choices=["prefork", "threads"],
        default="prefork",
        help="the worker's pool (default prefork)",
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
        "steady_sms_rate": 0.8
        * len(sms_times)
        / max(sms_times[9 * len(sms_times) // 10] - sms_times[len(sms_times) // 10], 1e-9),
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
        return raw_client_main(
            args.raw_client, args.members, args.concurrency, args.raw_offset, args.raw_start
        )

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
