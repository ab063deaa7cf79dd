"""The build of benchmarks/scale.py: a fresh database, filled with set-based SQL (the statements
are in scale_sql_people.py and scale_sql_alerts.py), its indexes rebuilt once, TOTP for the role
accounts; and the catch-up of a database built before with the code as it is now."""

# ruff: noqa: S608 -- the SQL is built from this file's constants, never from input
import subprocess
import sys

import psycopg2
from scale_common import NANTES, PG, ROOT, TYPICAL, django_env, now
from scale_measure import actors
from scale_sql_alerts import alerts_sql
from scale_sql_people import people_sql


def sizes(n: int) -> dict:
    s = n / 1_000_000
    communities = max(40, n // 50)
    return {
        "n": n,
        "communes": max(8, round(4876 * s)),
        "communities": communities,
        "nantes_communities": max(10, round(500 * s)),
        "typical_members": max(100, round(5000 * s)),
        "typical_alerts": max(40, round(2000 * s)),
        "alerts": n // 2,
        "deliveries": 3 * n,
        "nantes_deliveries": round(1_160_000 * s),
    }


def build(db: str, n: int) -> None:
    p = sizes(n)
    print(f"Building {db} for --users {n:,}: {p}", flush=True)
    started = now()
    admin = psycopg2.connect(f"{PG}/postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [db],
        )
        cur.execute(f'DROP DATABASE IF EXISTS "{db}"')
        cur.execute(f'CREATE DATABASE "{db}"')
    admin.close()
    env = django_env(db)
    t = now()
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    print(f"  {'migrate':<50} {now() - t:7.1f} s", flush=True)
    t = now()
    subprocess.run(
        [sys.executable, "manage.py", "import_communes"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    print(f"  {'import_communes':<50} {now() - t:7.1f} s", flush=True)

    from django.contrib.auth.hashers import make_password  # settings are configured by then

    password = make_password("vigilance-scale")
    conn = psycopg2.connect(f"{PG}/{db}")
    conn.autocommit = True
    cur = conn.cursor()
    cur.execute("SET maintenance_work_mem = '1GB'; SET work_mem = '256MB'; SET synchronous_commit = off")

    def q(label, sql, params=None):
        t = now()
        cur.execute(sql, params)
        rows = cur.rowcount
        print(f"  {label:<50} {now() - t:7.1f} s" + (f"  {rows:>11,} rows" if rows >= 0 else ""), flush=True)

    big = [
        "accounts_user",
        "account_emailaddress",
        "neighbourhoods_residence",
        "neighbourhoods_membership",
        "neighbourhoods_moderationentry",
        "alerts_alert",
        "alerts_alert_communities",
        "alerts_alertflag",
        "alerts_delivery",
        "alerts_notificationpreference",
    ]
    saved = drop_indexes(cur, big)
    p.update(password=password, nantes=NANTES, typical=TYPICAL)
    for label, sql in build_sql(p):
        q(label, sql, p)
    # Copies the code keeps of a column elsewhere, if this version of the schema has them.
    copies = [
        (
            "alerts_alert_communities",
            "published_at",
            "UPDATE alerts_alert_communities ac SET published_at = a.published_at FROM alerts_alert a "
            "WHERE a.id = ac.alert_id AND a.published_at IS NOT NULL",
        ),
    ]
    for table, column, sql in copies:
        cur.execute(
            "SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = %s",
            [table, column],
        )
        if cur.fetchone():
            q(f"copy: {table}.{column}", sql)
    t = now()
    restore_indexes(cur, saved)
    print(f"  {'indexes and constraints':<50} {now() - t:7.1f} s", flush=True)
    for table in (
        "accounts_user",
        "neighbourhoods_neighbourhood",
        "neighbourhoods_community",
        "alerts_alert",
        "shop_order",
    ):
        # Rows inserted with explicit ids: the next id Django asks for must follow them.
        cur.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
        )
    t = now()
    cur.execute("VACUUM ANALYZE")
    print(f"  {'VACUUM ANALYZE':<50} {now() - t:7.1f} s", flush=True)
    counts = []
    for table in (
        "accounts_user",
        "neighbourhoods_community",
        "neighbourhoods_membership",
        "alerts_alert",
        "alerts_delivery",
        "neighbourhoods_moderationentry",
    ):
        cur.execute(f"SELECT count(*) FROM {table}")
        counts.append(f"{table.split('_', 1)[1]}={cur.fetchone()[0]:,}")
    cur.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
    print("  " + " ".join(counts) + f" size={cur.fetchone()[0]}", flush=True)
    conn.close()
    t = now()
    enable_totp_for_roles()
    print(f"  {'TOTP for the role accounts':<50} {now() - t:7.1f} s", flush=True)
    conn = psycopg2.connect(f"{PG}/{db}")  # written last: --reuse never takes a half-built database
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(
            "CREATE TABLE scale_meta (users integer NOT NULL, built_at timestamptz NOT NULL DEFAULT now())"
        )
        cur.execute("INSERT INTO scale_meta (users) VALUES (%s)", [n])
    conn.close()
    print(f"Built in {now() - started:.0f} s", flush=True)


def catch_up(db: str) -> None:
    """Brings a built database up to the code as it is now: the migrations added since, then the
    periodic jobs of the beat schedule that shape data the pages read (the dashboard's tallies),
    as production would have run them on its history."""
    t = now()
    out = subprocess.run(
        [sys.executable, "manage.py", "migrate"],
        cwd=ROOT,
        env=django_env(db),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    applied = [
        line.split("Applying ", 1)[1].split("...")[0] for line in out.splitlines() if "Applying " in line
    ]
    print(
        f"  {'migrate (catch up)':<50} {now() - t:7.1f} s  {', '.join(applied) or 'nothing new'}", flush=True
    )
    from alerts import tasks

    jobs = [name for name in ("tally_alerts",) if hasattr(tasks, name)]
    for name in jobs:
        t = now()
        result = getattr(tasks, name)()
        print(f"  {'periodic job alerts.tasks.' + name:<50} {now() - t:7.1f} s  -> {result}", flush=True)
    if jobs or applied:
        t = now()
        conn = psycopg2.connect(f"{PG}/{db}")
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
        conn.close()
        print(f"  {'VACUUM ANALYZE':<50} {now() - t:7.1f} s", flush=True)


def drop_indexes(cur, tables) -> list[str]:
    """Drops every index and constraint but the primary keys of `tables`; returns the DDL that
    puts them back (a bulk load then builds each index once, and checks each foreign key once)."""
    cur.execute(
        """
        SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype
        FROM pg_constraint WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('f', 'u')
        """,
        [tables],
    )
    constraints = cur.fetchall()
    cur.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('u', 'p'))
        """,
        [tables],
    )
    indexes = cur.fetchall()
    restore = []
    for table, name, definition, contype in constraints:
        cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        restore.append((contype, f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'))
    for name, definition in indexes:
        cur.execute(f'DROP INDEX "{name}"')
        restore.append(("i", definition))
    # Unique constraints and indexes first, then the foreign keys that may lean on them.
    return [ddl for kind, ddl in sorted(restore, key=lambda r: r[0] == "f")]


def restore_indexes(cur, ddl: list[str]) -> None:
    for statement in ddl:
        cur.execute(statement)


def build_sql(p: dict) -> list[tuple[str, str]]:
    """The bulk SQL, in order. Parameters come from `sizes()` (psycopg2 %(name)s style).

    Deterministic: hashes of ids (`h(x)` below), no random(). Communities of a commune have
    consecutive ids, and a user's 1-3 memberships are consecutive communities, so most members
    of a community live in its commune.
    """
    return people_sql(p) + alerts_sql(p)


def enable_totp_for_roles() -> None:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    for user in actors().values():
        if (
            getattr(user, "is_referent", False)
            or getattr(user, "official_role", "")
            or getattr(user, "is_staff", False)
        ) and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DP")
