#!/usr/bin/env python
"""Both workers killed mid fan-out, then restarted: does every member get the urgent SMS within
two minutes of the kill, exactly once, with the production settings?

    python benchmarks/crash_recovery.py [--members N] [--kill-after K] [--fake-delay S]

Two real `celery worker` instances (threads x16 each by default) and a real `celery beat` on
Redis and PostgreSQL, the real twilio SDK against the fake Twilio of alerts/tests/fake_twilio.py
(each SMS takes --fake-delay seconds), Django's SMTP backend against the SMTP sink. Once the fake
has accepted K SMS, both workers' process groups get SIGKILL and two new workers start at once.
DELIVERY_STUCK_AFTER, DELIVERY_LOST_AFTER, DELIVERY_CHECK_AFTER and CELERY_VISIBILITY_TIMEOUT
keep their production defaults. It prints what it saw, then one machine-readable line, e.g.

    members=3000 killed_at_sms=1000 recovered_s=74.2 sms_duplicates=0 email_duplicates=3 target_s=120 ok=True

See benchmarks/README.md, "Crash recovery". Not a test: run it by hand.
"""

import argparse
import contextlib
import io
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from fanout_setup import community_of, ensure_database, environment, publish, setup_django  # noqa: E402
from fanout_workers import Sampler, Worker  # noqa: E402

# Left to the settings' defaults: the target is about production, not a scaled-down copy.
PRODUCTION_SETTINGS = ("DELIVERY_STUCK_AFTER", "DELIVERY_LOST_AFTER", "DELIVERY_CHECK_AFTER")
PRODUCTION_SETTINGS += ("CELERY_VISIBILITY_TIMEOUT",)
WAITING = ("scheduled", "queued", "sending", "checking")  # not final yet
RECOVER_DONE = re.compile(
    r"^\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d+): \w+/[^\]]*\] "
    r"Task alerts\.tasks\.recover_stuck\[[^\]]+\] succeeded in [\d.e-]+s: (\d+)"
)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=3000, help="members who receive the alert")
    parser.add_argument("--kill-after", type=int, help="SMS accepted before the kill (default: N/3)")
    parser.add_argument("--fake-delay", type=float, default=0.05, help="seconds the fake takes per SMS")
    parser.add_argument("--pool", choices=["prefork", "threads"], default="threads")
    parser.add_argument("--workers", type=int, default=2, help="worker instances, each with its pool")
    parser.add_argument("--concurrency", type=int, default=16, help="threads, or processes with prefork")
    parser.add_argument("--restart-after", type=float, default=0.0, help="seconds from kill to restart")
    parser.add_argument("--timeout", type=float, default=300.0, help="give up this long after the kill")
    parser.add_argument("--target", type=float, default=120.0, help="seconds allowed from kill to last SMS")
    parser.add_argument("--settle", type=float, default=2.0, help="seconds to watch for late duplicates")
    parser.add_argument("--batch-size", type=int, default=None, help="ALERT_BATCH_SIZE (default: settings)")
    parser.add_argument("--database", default="vigilance_bench")
    parser.add_argument("--db-host", default="127.0.0.1")
    parser.add_argument("--db-user", default="postgres")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--queue", default="bench-crash")
    args = parser.parse_args(argv)
    if args.kill_after is None:
        args.kill_after = args.members // 3
    return args


# Processes ----------------------------------------------------------------------------------


def start_workers(args, env: dict, logs: Path, generation: str) -> list[Worker]:
    options = {"env": env, "app": "vigilance", "queue": args.queue, "pool": args.pool}
    options.update(concurrency=args.concurrency)
    # A restarted worker keeps its name, as under systemd.
    return [
        Worker(**options, log=logs / f"worker-{i}-{generation}.log", name=f"crash{i}@%h")
        for i in range(args.workers)
    ]


def kill(workers: list[Worker]) -> None:
    """SIGKILL to each worker's process group (main process and pool): no shutdown, no ack."""
    for worker in workers:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.process.pid, signal.SIGKILL)
    for worker in workers:
        worker.process.wait(timeout=10)
        worker.stop()  # closes its log


def start_beat(env: dict, logs: Path) -> subprocess.Popen:
    """`celery beat` with the project's CELERY_BEAT_SCHEDULE, its schedule file in `logs`."""
    command = [sys.executable, "-m", "celery", "-A", "vigilance", "beat", "-l", "INFO"]
    command += ["--schedule", str(logs / "beat-schedule")]
    options = {"cwd": ROOT, "env": {**os.environ, **env}, "start_new_session": True}
    with (logs / "beat.log").open("wb") as log:
        return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, **options)


def stop_beat(beat: subprocess.Popen) -> None:
    if beat.poll() is None:
        os.killpg(beat.pid, signal.SIGTERM)
        try:
            beat.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(beat.pid, signal.SIGKILL)
            beat.wait()


def forget_broker_messages(redis_url: str, queue: str) -> None:
    """Drops our queue (every priority list) and the unacked batches killed workers left: else
    a later run's worker would get them back once the visibility timeout is over."""
    import redis

    client = redis.Redis.from_url(redis_url)
    for tag, raw in client.hgetall("unacked").items():
        if json.loads(raw)[2] == queue:
            client.pipeline().hdel("unacked", tag).zrem("unacked_index", tag).execute()
    for key in client.scan_iter(match=f"{queue}*"):
        client.delete(key)


def kill_proof(fake) -> list[float]:
    """What a killed worker leaves at the fake Twilio, handled as Twilio would: a POST whose body
    never fully arrived (the kill fell between urllib3's send of the headers and of the body) is
    not a message; the fake itself would record it as accepted, without a "To" or a "Body", and
    then fail every later lookup. A connection reset is no error worth a traceback. Returns the
    list of the times of the requests cut short."""
    cut, server = [], fake._server
    report_error, handler = server.handle_error, server.RequestHandlerClass

    class WholeRequestsOnly(handler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length)
            if len(body) < length:
                cut.append(time.monotonic())
                self.close_connection = True
                return
            stream, self.rfile = self.rfile, io.BytesIO(body)
            try:
                super().do_POST()
            finally:
                self.rfile = stream

    def handle_error(request, client_address):
        if not isinstance(sys.exc_info()[1], OSError):
            report_error(request, client_address)

    server.RequestHandlerClass, server.handle_error = WholeRequestsOnly, handle_error
    return cut


def broker_state(redis_url: str, queue: str) -> str:
    """Our queue's unacked and queued messages by priority (SMS batches 0, emails 6)."""
    import redis

    client = redis.Redis.from_url(redis_url)
    unacked = [json.loads(raw) for raw in client.hgetall("unacked").values()]
    priorities = Counter(m[0]["properties"].get("priority") for m in unacked if m[2] == queue)
    queued = {key.decode(errors="replace"): client.llen(key) for key in client.scan_iter(match=f"{queue}*")}
    return f"unacked by priority {dict(priorities)}, queued {queued}"


def ready(workers: list[Worker]) -> bool:
    return all(b" ready." in w.log.read_bytes() for w in workers)


# Watching -----------------------------------------------------------------------------------


def statuses(alert) -> dict:
    from django.db.models import Count

    rows = alert.deliveries.values_list("channel", "status").annotate(n=Count("id"))
    return {f"{channel} {status}": n for channel, status, n in sorted(rows)}


def wait_recovered(args, alert, fake, numbers: set, t_kill: float, new_workers) -> dict:
    """Until every number was accepted at least once and every delivery is final."""
    marks, next_report = {}, t_kill + 10
    while time.monotonic() < t_kill + args.timeout:
        now = time.monotonic()
        if "ready" not in marks and ready(new_workers):
            marks["ready"] = now
        covered = numbers <= fake.accepted_per_number().keys()
        if covered and "covered" not in marks:
            marks["covered"] = now
        if covered and not alert.deliveries.filter(status__in=WAITING).exists():
            marks["final"] = now
            return marks
        if now >= next_report:
            got = len(numbers & fake.accepted_per_number().keys())
            print(
                f"  +{now - t_kill:5.1f} s: {got}/{len(numbers)} numbers have an SMS, "
                f"{len(fake.checks)} Twilio lookups; {statuses(alert)}; {broker_state(args.redis, args.queue)}",
                flush=True,
            )
            next_report += 10
        time.sleep(0.1)
    return marks


def recover_runs(logs: Path, t_kill_wall: float) -> list[tuple[float, int]]:
    """(seconds after the kill, deliveries queued) of each recover_stuck run in the worker logs."""
    runs = []
    for log in sorted(logs.glob("worker-*.log")):
        for line in log.read_text(errors="replace").splitlines():
            if match := RECOVER_DONE.match(line):
                stamp = datetime.strptime(match[1], "%Y-%m-%d %H:%M:%S").timestamp() + int(match[2]) / 1000
                runs.append((stamp - t_kill_wall, int(match[3])))
    return sorted(runs)


def log_problems(logs: Path) -> dict:
    """ERROR and WARNING lines and tracebacks per log file; whether the fan-out task finished
    before the kill (if not, what it had not queued yet waits for the lost-delivery sweep)."""
    first = "".join(log.read_text(errors="replace") for log in logs.glob("worker-*-first.log"))
    found = {"fan_out done before the kill": bool(re.search(r"fan_out\[\S+\] succeeded", first))}
    for log in sorted(logs.glob("*.log")):
        text = log.read_text(errors="replace")
        counts = [text.count(word) for word in ("ERROR/", "WARNING/", "Traceback")]
        if any(counts):
            found[log.name] = "errors {}, warnings {}, tracebacks {}".format(*counts)
    return found


def biggest_gap(times: list[float]) -> tuple[float, float]:
    """The longest stretch without any SMS accepted, as (start, end)."""
    pairs = list(zip(times, times[1:], strict=False))
    return max(pairs, key=lambda p: p[1] - p[0]) if pairs else (0.0, 0.0)


# Running ------------------------------------------------------------------------------------


def run(args, env, fake, sink, community, author) -> dict:
    from django.conf import settings

    from alerts.models import Delivery
    from vigilance.celery import app

    app.control.purge()
    forget_broker_messages(args.redis, args.queue)
    logs = Path(tempfile.mkdtemp(prefix="vigilance-crash-"))
    dsn = f"dbname={args.database} host={args.db_host} user={args.db_user}"
    beat = start_beat(env, logs)
    workers, restarted = start_workers(args, env, logs, "first"), []
    try:
        Worker.wait_ready(workers)
        fake.reset()
        sink.reset()
        load_before = os.getloadavg()
        sampler = Sampler([w.process.pid for w in workers], dsn, args.database)
        sampler.start()
        sampler_started = time.monotonic()
        alert, _publish_s, committed = publish(community, author)
        numbers = set(alert.deliveries.filter(channel=Delivery.Channel.SMS).values_list("to", flat=True))
        emails = alert.deliveries.filter(channel=Delivery.Channel.EMAIL).count()
        deadline = time.monotonic() + 120
        while len(fake.requests) < args.kill_after:
            if time.monotonic() > deadline:
                raise SystemExit(f"only {len(fake.requests)} SMS in 120 s; see {logs}")
            time.sleep(0.002)
        cpu_before = sampler.stop()
        kill(workers)
        t_kill, t_kill_wall = time.monotonic(), time.time()
        killed_at = len(fake.accepted)
        before_s = t_kill - sampler_started
        if killed_at >= len(numbers):
            raise SystemExit("the SMS were all sent before the kill: raise --members or --fake-delay")
        print(
            f"killed both workers, {killed_at} SMS accepted; broker: {broker_state(args.redis, args.queue)}"
        )
        time.sleep(args.restart_after)
        restarted = start_workers(args, env, logs, "restarted")
        sampler = Sampler([w.process.pid for w in restarted], dsn, args.database)
        sampler.start()
        marks = wait_recovered(args, alert, fake, numbers, t_kill, restarted)
        if "final" in marks:
            time.sleep(args.settle)
        cpu_after = sampler.stop()
        print(f"on the broker at the end: {broker_state(args.redis, args.queue)}")
        after_s = time.monotonic() - t_kill
    finally:
        for worker in workers + restarted:
            worker.stop()
        stop_beat(beat)
        forget_broker_messages(args.redis, args.queue)

    first_at, accepted_at = {}, []
    for request in fake.accepted:
        first_at.setdefault(request["To"], request["received_at"])
        accepted_at.append(request["received_at"])
    per_number = fake.accepted_per_number()
    first_lookup = min((c["at"] for c in fake.checks), default=float("inf"))
    missing = numbers - per_number.keys()
    others = (cpu_before["others"] + cpu_after["others"]) / (before_s + after_s)
    return {
        "numbers": len(numbers),
        "emails": emails,
        "killed_at": killed_at,
        "kill_s": t_kill - committed,
        "recovered_s": None if missing else max(first_at[n] for n in numbers) - t_kill,
        "marks": {name: at - t_kill for name, at in marks.items()},
        "missing": len(missing),
        "sms_duplicates": {n: c for n, c in per_number.items() if c > 1},
        "email_duplicates": sink.duplicates(),
        "emails_missing": emails - len(sink.per_recipient()),
        "last_email_s": max(sink.received_at, default=t_kill) - t_kill,
        "cut": [at - t_kill for at in fake.cut],
        "lookups": len(fake.checks),
        # Accepted after the first lookup: sent again because Twilio did not have them.
        "resent": sum(at >= first_lookup for at in accepted_at),
        "gap": [t - t_kill for t in biggest_gap(sorted(accepted_at))],
        "statuses": statuses(alert),
        "recoveries": recover_runs(logs, t_kill_wall),
        "problems": log_problems(logs),
        "others_cores": others,
        "load": (load_before, os.getloadavg()),
        "settings": {name: getattr(settings, name, None) for name in PRODUCTION_SETTINGS[:3]}
        | {"visibility_timeout": settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]},
        "beat_every": settings.CELERY_BEAT_SCHEDULE["recover-stuck-deliveries"]["schedule"],
        "logs": logs,
    }


def report(args, r: dict) -> None:
    sms_dups = sum(n - 1 for n in r["sms_duplicates"].values())
    email_dups = sum(n - 1 for n in r["email_duplicates"].values())
    recovered = r["recovered_s"]
    ok = "final" in r["marks"] and recovered < args.target and sms_dups == 0
    ok = ok and email_dups <= args.workers * args.concurrency
    marks = ", ".join(f"{name} +{at:.1f} s" for name, at in r["marks"].items())
    runs = ", ".join(f"{at:+.0f} s: {n}" for at, n in r["recoveries"]) or "none"
    lines = [
        f"members: {args.members} ({r['numbers']} SMS, {r['emails']} email deliveries); "
        f"{args.workers} workers x {args.pool} x{args.concurrency}; fake Twilio delay {args.fake_delay * 1000:.0f} ms",
        f"settings: {r['settings']}, recover_stuck every {r['beat_every']:.0f} s (celery beat)",
        f"killed {r['kill_s']:.1f} s after the commit with {r['killed_at']} SMS accepted; "
        f"after the kill: {marks} (ready: restarted workers; covered: every number has an SMS; "
        "final: every delivery final)",
        f"longest stretch without an SMS: +{r['gap'][0]:.1f} s to +{r['gap'][1]:.1f} s after the kill",
        f"recover_stuck runs (seconds after the kill: deliveries queued again): {runs}",
        f"SMS requests cut short by the kill (not messages): {len(r['cut'])}",
        f"Twilio lookups before re-sending: {r['lookups']}; SMS accepted after the first lookup: {r['resent']}",
        f"deliveries: {r['statuses']}",
        f"SMS: {r['missing']} numbers without any, {len(r['sms_duplicates'])} numbers with more than one "
        f"({sms_dups} extra SMS)",
        f"emails: {r['emails_missing']} addresses without any, {len(r['email_duplicates'])} with more than "
        f"one ({email_dups} extra; at most {args.workers * args.concurrency} allowed)",
        f"machine: load average {r['load'][0][0]:.1f} before, {r['load'][1][0]:.1f} after; other processes "
        f"used {r['others_cores']:.1f} of its {os.cpu_count()} cores meanwhile",
        f"log findings: {r['problems']}; last email +{r['last_email_s']:.1f} s after the kill",
        f"logs: {r['logs']}",
        f"members={args.members} killed_at_sms={r['killed_at']} "
        f"recovered_s={'none' if recovered is None else f'{recovered:.1f}'} sms_duplicates={sms_dups} "
        f"email_duplicates={email_dups} target_s={args.target:.0f} ok={ok}",
    ]
    print("\n".join(lines))


def main():
    args = parse_args()
    from smtp_sink import SmtpSink

    from alerts.tests.fake_twilio import FakeTwilio

    for name in PRODUCTION_SETTINGS:  # neither this process nor the workers may override them
        if os.environ.pop(name, None) is not None:
            print(f"ignoring {name} from the environment: the production default applies")
    fake = FakeTwilio(delay=args.fake_delay).start()
    fake.cut = kill_proof(fake)
    sink = SmtpSink().start()
    try:
        ensure_database(args)
        env = environment(args, fake, sink)
        setup_django(env)
        community, author = community_of(args.members)
        report(args, run(args, env, fake, sink, community, author))
    finally:
        fake.stop()
        sink.stop()


if __name__ == "__main__":
    main()
