"""Fixtures shared by every app's tests: the people of one community, and of another."""

import os

import pytest

from vigilance.celery import app as celery_app

pytest_plugins = ["vigilance.tests.browser_support"]

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# between browser steps are still synchronous, so Django's async guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _tasks_are_queued_not_run(settings):
    """Tests see production behaviour: a task is queued on commit, not run in-process.

    The settings make tasks run in-process when REDIS_URL is absent (the `make run`
    default); tests undo that, and opt in to running tasks with `run_tasks` or to a
    real worker with `celery_worker`.
    """
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def run_tasks():
    """Runs queued Celery tasks in-process, for this test only."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture(autouse=True)
def _dashboard_counted_on_each_view(settings):
    """The commune dashboard keeps its figures 5 minutes in the shared cache; tests that change
    figures between two views count them each time (test_view_commune_dashboard_cache turns the
    cache on, on a private cache)."""
    settings.DASHBOARD_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _site_identity_read_afresh():
    """The identity is kept in the shared cache; a test's identity goes with its database rows."""
    from accounts.identity import forget_site_identity

    forget_site_identity()
    yield
    forget_site_identity()


@pytest.fixture
def private_cache(settings):
    """A private, empty in-memory cache for the test: clearing it cannot flush a shared Redis
    (in CI, the broker's), and nothing from another test or run is in it."""
    from django.core.cache import cache

    import vigilance.settings

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "private"},
        "fragments": vigilance.settings.CACHES["fragments"],
    }
    cache.clear()
    yield cache
    cache.clear()


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.ACCOUNT_RATE_LIMITS = False


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate slowness costs ~0.3 s per user created; tests need no such strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    """Unit tests send SMS to an in-memory outbox (the Twilio channel has its own tests)."""
    from alerts import sms_backends

    settings.SMS_BACKEND = "alerts.sms_backends.LocmemSmsBackend"
    sms_backends.outbox.clear()
    yield sms_backends.outbox
    sms_backends.outbox.clear()


@pytest.fixture
def fake_twilio(settings):
    """The real twilio SDK talking to a fake Twilio on 127.0.0.1."""
    from alerts.tests.fake_twilio import FakeTwilio

    fake = FakeTwilio(timeout_sleep=1.5).start()
    settings.SMS_BACKEND = "alerts.sms_backends.TwilioSmsBackend"
    settings.VOICE_BACKEND = "alerts.voice_backends.TwilioVoiceBackend"
    settings.TWILIO_ACCOUNT_SID = "AC" + "1" * 32
    settings.TWILIO_AUTH_TOKEN = "test-auth-token"
    settings.TWILIO_FROM_NUMBER = "+33700000000"
    settings.TWILIO_MESSAGING_SERVICE_SID = ""
    settings.TWILIO_BASE_URL = fake.base_url
    settings.TWILIO_TIMEOUT = 0.5
    yield fake
    fake.stop()


@pytest.fixture
def smtp_sink():
    """A real SMTP server on 127.0.0.1 that counts the messages each address receives
    (`per_recipient()`); set `delay` to slow it down. Point a worker at it with
    `alerts.tests.workers.smtp_env(sink)`, or this process with the EMAIL_* settings."""
    from alerts.tests.smtp_sink import SmtpSink

    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def broker_url():
    """The Redis broker this process publishes to, for tests that run `celery worker`
    subprocesses (alerts.tests.workers): REDIS_URL's, or a fallback one when it is unset."""
    from alerts.tests.workers import redis_broker

    with redis_broker() as url:
        yield url


@pytest.fixture
def community(db):
    from neighbourhoods.tests.factories import CommunityFactory

    return CommunityFactory(neighbourhood__commune__name="Saint-Sébastien-sur-Loire")


@pytest.fixture
def other_community(db):
    from neighbourhoods.tests.factories import CommunityFactory

    return CommunityFactory()


@pytest.fixture
def resident(community):
    """An approved member of `community`."""
    from neighbourhoods.tests.factories import MembershipFactory

    return MembershipFactory(community=community).user


@pytest.fixture
def pending_resident(community):
    from neighbourhoods.models import Membership
    from neighbourhoods.tests.factories import MembershipFactory

    return MembershipFactory(community=community, status=Membership.Status.PENDING, decided_at=None).user


@pytest.fixture
def outsider(other_community):
    """An approved member of another community."""
    from neighbourhoods.tests.factories import MembershipFactory

    return MembershipFactory(community=other_community).user


@pytest.fixture
def referent(community):
    """The referent of `community`'s neighbourhood."""
    from neighbourhoods.tests.factories import ReferentFactory

    return ReferentFactory(neighbourhood=community.neighbourhood).user


@pytest.fixture
def admin_user(db):
    """pytest-django's superuser (and its `admin_client`), with two-factor sign-in set up as
    every staff account must."""
    from accounts.tests.factories import UserFactory, enable_totp

    user = UserFactory(is_staff=True, is_superuser=True, email="admin@example.com")
    enable_totp(user)
    return user


@pytest.fixture
def mayor_office(community):
    from accounts.tests.factories import UserFactory, enable_totp

    user = UserFactory(
        is_staff=True, official_role="mayor_office", official_commune=community.neighbourhood.commune
    )
    enable_totp(user)
    return user


@pytest.fixture
def police_officer(community):
    """A municipal police officer of `community`'s commune, with two-factor sign-in set up."""
    from accounts.tests.factories import UserFactory, enable_totp

    officer = UserFactory(
        is_staff=True, official_role="police", official_commune=community.neighbourhood.commune
    )
    enable_totp(officer)
    return officer


@pytest.fixture
def celery_worker(request, transactional_db):
    """A real Celery worker in this process, consuming the configured broker (Redis when
    REDIS_URL is set): one thread (pool "solo"), or a "threads" pool of 8 when parametrized."""
    from celery.contrib.testing.worker import start_worker

    pool = getattr(request, "param", "solo")
    celery_app.control.purge()  # messages left by tests that queued without a worker
    with start_worker(
        celery_app, pool=pool, concurrency=8, perform_ping_check=False, shutdown_timeout=10
    ) as worker:
        yield worker
    # Workers keep their database connection between tasks: the stopped worker's threads leave
    # theirs open, which would keep the test database from being dropped.
    cut_other_connections()


def cut_other_connections() -> int:
    """Terminates every other PostgreSQL session of the test database (a worker's, as a
    database restart would); returns how many. Nothing to do on SQLite."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def wait_for(condition, timeout=20.0, interval=0.05):
    """Polls `condition` until it is true or `timeout` seconds have passed; returns its last value."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


def another_backend_waits_on_a_lock() -> bool:
    """Whether another PostgreSQL session of the test database is waiting for a row lock."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return bool(cursor.fetchone()[0])
