"""The benchmark's setup: its own database, the settings shared by the benchmark process and
the workers, Django, the community of N members, and publishing the alert (benchmarks/fanout.py).
"""

import os
import time

# The fake Twilio's account: the workers' settings and the raw client use the same.
ACCOUNT_SID = "AC" + "b" * 32
AUTH_TOKEN = "bench-auth-token"
FROM_NUMBER = "+33700000000"


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

    from accounts.models import User
    from alerts.models import Alert, Delivery
    from neighbourhoods.models import Commune, Community, Membership, Neighbourhood, Postcode, Residence

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
                )
                for i in range(members + 1)
            ),
            batch_size=5000,
        )
        Residence.objects.bulk_create(
            (Residence(user=user, commune=commune) for user in users), batch_size=5000
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

    from alerts.models import Alert
    from alerts.services.publishing import alert_publish

    marks = {} if marks is None else marks
    started = time.monotonic()
    with transaction.atomic():
        # Registered first, so it runs first at commit: before the fan-out is queued.
        transaction.on_commit(lambda: marks.update(commit=time.monotonic(), commit_cpu=time.process_time()))
        alert = alert_publish(
            author=author,
            community_id=community.id,
            category=Alert.Category.BURGLARY,
            urgency=Alert.Urgency.URGENT,
            description="Tentative de cambriolage : deux hommes essaient les portes des voitures.",
            street="rue des Lilas",
        )
    return alert, marks["commit"] - started, marks["commit"]
