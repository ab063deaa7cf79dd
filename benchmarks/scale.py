"""Page times on a database the size of the incumbent platform.

    .venv/bin/python benchmarks/scale.py --users 1000000          # build (a few minutes), measure
    .venv/bin/python benchmarks/scale.py --users 1000000 --reuse  # measure the database built before
    .venv/bin/python benchmarks/scale.py --users 20000 --db vigilance_scale_20k  # small, in seconds
    .venv/bin/python benchmarks/scale.py --reuse --only "dashboard" --rounds 50 --sql 10

Without --reuse (or with another N) it drops and rebuilds the database named by --db: give the
small runs their own --db so as to keep the 1M one.

Builds its own PostgreSQL database (`--db`, default `vigilance_scale`) with set-based SQL
(INSERT ... SELECT FROM generate_series): N users, N/50 communities over ~4,876 communes, 2N
memberships, N/2 alerts, 3N deliveries, one big commune (Nantes, 500 communities, ~1.16M
deliveries at N=1M) and a typical commune with a 5,000-member community (figures scale with N).
Then measures, in-process with django.test.Client (full middleware stack, DEBUG off), every page
a member, a referent, a police officer and a mayor's office read, and prints p50/p95, size and
SQL query count per page. Not a test: never collected by pytest. See benchmarks/README.md.
"""

# The build is in scale_build.py (its SQL in scale_sql_people.py and scale_sql_alerts.py), the
# measuring in scale_measure.py, what they share in scale_common.py.
import argparse
import os
import sys
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from scale_build import build, catch_up  # noqa: E402  (after the path is set)
from scale_common import PG, setup_django  # noqa: E402
from scale_measure import measure  # noqa: E402


def built_users(db: str):
    try:
        conn = psycopg2.connect(f"{PG}/{db}")
    except psycopg2.OperationalError:
        return None
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT users FROM scale_meta")
            return cur.fetchone()[0]
    except psycopg2.Error:
        return None
    finally:
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=1_000_000)
    parser.add_argument("--db", default="vigilance_scale")
    parser.add_argument("--reuse", action="store_true", help="skip the build if the database has the same N")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument(
        "--sql",
        type=float,
        metavar="MS",
        help="print each page's slowest queries (up to 3) taking MS or more",
    )
    parser.add_argument("--only", help="time only the pages whose 'page who' contains this")
    args = parser.parse_args()
    os.chdir(ROOT)
    existing = built_users(args.db) if args.reuse else None
    setup_django(args.db)
    if existing == args.users:
        print(f"Reusing {args.db} (built for --users {existing:,})")
    else:
        if args.reuse:
            print(f"{args.db} not built for --users {args.users:,} (found {existing}): building it")
        build(args.db, args.users)
    catch_up(args.db)
    measure(args)


if __name__ == "__main__":
    main()
