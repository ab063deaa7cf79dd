#!/usr/bin/env python
"""How many requests a second each page serves, as a ratio to a bare Django view.

    python benchmarks/web.py [--members 5000] [--alerts 2000] [--duration 10] [--rounds 3]

Builds its own PostgreSQL database (`vigilance_web`: migrations, the communes, `seed_demo`,
then --members approved members and --alerts published alerts added to the demo community
"Autour de l'église"), starts gunicorn (5 sync workers, DEBUG off, as in production) with the
project and a bare view (`/__bare__/`, through the same middleware: web_urls.py), signs the demo
accounts in, and loads each page with `wrk -t2 -c20` right after the bare view, alternating,
for --rounds rounds. It prints each page's ratio (its requests a second over the bare view's,
the median of the rounds), p50 and p99, and last one machine-readable line, e.g.

    home=0.52 login=0.27 feed=0.18 directory=0.17 profile=0.2 shop=0.2 dashboard=0.15

Not a test: run it by hand (Debian's wrk: `apt-get install wrk`). See benchmarks/README.md.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

# (name, who, path). `who` is a demo login, or None for a visitor.
PAGES = [
    ("home", None, "/"),
    ("login", None, "/accounts/login/"),
    ("feed", "claire.martin", "/communities/{community}/alerts/"),
    ("directory", "claire.martin", "/communities/{community}/directory/"),
    ("profile", "claire.martin", "/profile/"),
    ("shop", "claire.martin", "/shop/"),
    ("moderation", "referent", "/referent/alerts/"),
    ("referent", "referent", "/referent/communities/{community}/"),
    ("dashboard", "mairie", "/town-hall/{insee}/dashboard/"),
    # Not a page: a bare view that reads the member's session and user, the ceiling of every
    # signed-in page above.
    ("signed_in_bare", "claire.martin", "/__bare_signed_in__/"),
]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="vigilance_web", help="its own PostgreSQL database")
    parser.add_argument("--members", type=int, default=5000, help="members added to the demo community")
    parser.add_argument("--alerts", type=int, default=2000, help="published alerts added to its feed")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per measure")
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--workers", type=int, default=5, help="gunicorn sync workers")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--port", type=int, default=8131)
    parser.add_argument("--only", default="", help="comma-separated page names")
    parser.add_argument("--reuse", action="store_true", help="keep the database if it exists")
    return parser.parse_args(argv)


def environment(args) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{args.db}",
        DJANGO_SETTINGS_MODULE="web_settings",
        PYTHONPATH=f"{ROOT}:{ROOT / 'benchmarks'}",
        DEBUG="0",
        VIGILANCE_ALLOW_INSECURE_KEY="1",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        STATIC_MANIFEST="0",
        CONN_MAX_AGE="600",
        PYTHONWARNINGS="ignore",  # whitenoise: no collected static files, none needed here
    )
    # Tasks are not run by these pages; no broker is needed. Quiet the console.
    env.pop("REDIS_URL", None)
    return env


def build_database(args, env):
    import psycopg2

    admin = psycopg2.connect("dbname=postgres user=postgres host=127.0.0.1")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.db])
        exists = cursor.fetchone() is not None
        if exists and args.reuse:
            admin.close()
            return
        if exists:
            cursor.execute(f'DROP DATABASE "{args.db}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{args.db}"')
    admin.close()
    manage = [PYTHON, str(ROOT / "manage.py")]
    for command in (["migrate", "--no-input"], ["import_communes"], ["seed_demo"]):
        started = time.monotonic()
        subprocess.run(manage + command, env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        print(f"  {' '.join(command)}: {time.monotonic() - started:.1f} s", flush=True)
    started = time.monotonic()
    grow_demo_community(args)
    print(f"  {args.members} members, {args.alerts} alerts: {time.monotonic() - started:.1f} s", flush=True)
    from django.db import connection

    with connection.cursor() as cursor:
        # As autovacuum would: the planner must know the table sizes, and index-only scans
        # need the visibility map.
        cursor.execute("VACUUM ANALYZE")


def setup_django(env):
    os.environ.update(env)
    sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
    import django

    django.setup()


def demo_community():
    from neighbourhoods.models import Community

    return Community.objects.select_related("neighbourhood__commune").get(name="Autour de l'église")


def grow_demo_community(args):
    """Members and alerts in bulk, the way the services would leave them."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from alerts.models import Alert
    from neighbourhoods.models import Membership

    User = get_user_model()
    community = demo_community()
    now = timezone.now()
    password = make_password(None)
    streets = [
        "rue de la Paix",
        "allée des Tilleuls",
        "chemin du Moulin",
        "rue Victor Hugo",
        "place du Marché",
    ]
    users = User.objects.bulk_create(
        [
            User(
                email=f"member{i}@bench.vigilance.fr",
                first_name=f"Prénom{i}",
                last_name=f"Nom{i:05d}",
                password=password,
                charter_accepted_at=now,
            )
            for i in range(args.members)
        ],
        batch_size=2000,
    )
    Membership.objects.bulk_create(
        [
            Membership(
                user=user,
                community=community,
                street=streets[i % len(streets)],
                status=Membership.Status.APPROVED,
                decided_at=now,
            )
            for i, user in enumerate(users)
        ],
        batch_size=2000,
    )
    alerts = Alert.objects.bulk_create(
        [
            Alert(
                kind=Alert.Kind.MEMBER,
                author=users[i % len(users)] if users else None,
                commune=community.neighbourhood.commune,
                category=Alert.Category.SUSPICIOUS_VEHICLE,
                urgency=Alert.Urgency.VIGILANCE,
                description="Une voiture grise est passée plusieurs fois lentement devant les maisons.",
                street=streets[i % len(streets)],
                status=Alert.Status.PUBLISHED,
                published_at=now,
            )
            for i in range(args.alerts)
        ],
        batch_size=2000,
    )
    links = Alert.communities.through
    links.objects.bulk_create(
        [links(alert=alert, community=community, published_at=alert.published_at) for alert in alerts],
        batch_size=2000,
    )


def sessions() -> dict[str, str]:
    """A signed-in session cookie per demo login; role accounts get their authenticator app."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP
    from django.contrib.auth import get_user_model
    from django.test import Client

    User = get_user_model()
    cookies = {}
    for login in {who for _, who, _ in PAGES if who}:
        user = User.objects.get(email=f"{login}@demo.vigilance.fr")
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, "JBSWY3DPEHPK3PXP")
        client = Client()
        client.force_login(user)
        cookies[login] = client.cookies["sessionid"].value
    return cookies


def start_gunicorn(args, env) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "vigilance.wsgi:application",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{args.port}",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{args.port}/__bare__/", timeout=1).read()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def check(url: str, cookie: str | None) -> tuple[int, int]:
    """Status and size of one response, gzip accepted: a page that fails is not measured."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})  # noqa: S310 (loopback)
    if cookie:
        request.add_header("Cookie", f"sessionid={cookie}")
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.status, len(response.read())


LATENCY = re.compile(r"^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", re.M)


def settle(base: str) -> None:
    """Waits until the workers are free again (a slow page leaves requests behind wrk)."""
    for _ in range(600):
        started = time.monotonic()
        try:
            urllib.request.urlopen(base + "/__bare__/", timeout=5).read()  # noqa: S310
            if time.monotonic() - started < 0.05:
                return
        except OSError:
            pass
        time.sleep(0.1)


def wrk(args, url: str, cookie: str | None) -> dict:
    command = ["wrk", "-t2", f"-c{args.connections}", f"-d{args.duration}s", "--latency"]
    command += ["-H", "Accept-Encoding: gzip"]
    if cookie:
        command += ["-H", f"Cookie: sessionid={cookie}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    latencies = {p: float(v) * scale[unit] for p, v, unit in LATENCY.findall(output)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"rate": rate, "p50": latencies.get("50"), "p99": latencies.get("99"), "errors": errors}


def main(argv=None):
    args = parse_args(argv)
    env = environment(args)
    setup_django(env)
    print(f"Database {args.db}", flush=True)
    build_database(args, env)
    community = demo_community()
    values = {"community": community.id, "insee": community.neighbourhood.commune.insee_code}
    cookies = sessions()
    pages = [p for p in PAGES if not args.only or p[0] in args.only.split(",")]
    base = f"http://127.0.0.1:{args.port}"
    server = start_gunicorn(args, env)
    try:
        for name, who, path in pages:
            status, size = check(base + path.format(**values), cookies.get(who))
            if status != 200:
                raise SystemExit(f"{name}: HTTP {status}")
            print(f"  {name}: {size / 1024:.1f} KiB as sent (gzip)", flush=True)
        results = {name: [] for name, _, _ in pages}
        for round_number in range(1, args.rounds + 1):
            for name, who, path in pages:
                settle(base)
                bare = wrk(args, base + "/__bare__/", None)
                settle(base)
                page = wrk(args, base + path.format(**values), cookies.get(who))
                if page["errors"]:
                    raise SystemExit(f"{name}: {page['errors'].group(0)}")
                results[name].append((page["rate"] / bare["rate"], page, bare))
                print(
                    f"  round {round_number} {name:<10} {page['rate']:8.1f} req/s"
                    f" bare {bare['rate']:8.1f} ratio {page['rate'] / bare['rate']:.3f}",
                    flush=True,
                )
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"\n{'page':<11}{'ratio':>7}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}")
    summary = []
    for name, rounds in results.items():
        ratio = statistics.median(r for r, _, _ in rounds)
        rate = statistics.median(p["rate"] for _, p, _ in rounds)
        p50 = statistics.median(p["p50"] for _, p, _ in rounds)
        p99 = statistics.median(p["p99"] for _, p, _ in rounds)
        print(f"{name:<11}{ratio:7.3f}{rate:9.1f}{p50:9.1f}{p99:9.1f}")
        summary.append(f"{name}={ratio:.2f}")
    print(" ".join(summary))


if __name__ == "__main__":
    main()
