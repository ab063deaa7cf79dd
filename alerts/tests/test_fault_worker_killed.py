"""A worker killed with SIGKILL in the middle of a fan-out: once a worker runs again, and the
periodic recovery with it, every member has received exactly one SMS.

The workers are real `celery worker` subprocesses (prefork) on the real broker, talking to
the test database and, through the twilio SDK, to the fake Twilio of this process.
"""

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from alerts import tasks
from alerts.models import Alert, Delivery
from alerts.services.publishing import alert_publish
from alerts.services.recovery import deliveries_recover_stuck
from alerts.services.sending import deliveries_send
from conftest import wait_for
from neighbourhoods.tests.factories import MembershipFactory
from vigilance.celery import app as celery_app

MEMBERS = 150
KILL_AFTER_SMS = 30
FALLBACK_BROKER = "redis://127.0.0.1:6379/5"  # a real broker even when REDIS_URL is unset
PROJECT_DIR = Path(__file__).resolve().parents[2]

# Production timings scaled down to seconds; batches of 20, so that the killed worker leaves
# batches in progress, batches it had reserved, and batches still on the queue.
BATCH_SIZE = 20
STUCK_AFTER = 4
VISIBILITY_TIMEOUT = 5
WORKER_OPTIONS = ["--pool", "prefork", "--concurrency", "2", "-l", "INFO"]
WORKER_OPTIONS += ["--without-gossip", "--without-mingle", "--without-heartbeat"]


def _reset_broker_pools():
    celery_app._pool = None
    if "amqp" in celery_app.__dict__:
        celery_app.amqp._producer_pool = None


@pytest.fixture
def broker_url():
    """The broker this process publishes to: Redis, never the in-memory transport."""
    previous = celery_app.conf.broker_url
    if previous and previous.startswith("redis"):
        yield previous
        return
    celery_app.conf.broker_url = FALLBACK_BROKER
    _reset_broker_pools()
    try:
        yield FALLBACK_BROKER
    finally:
        celery_app.conf.broker_url = previous
        _reset_broker_pools()


def _test_database_url() -> str:
    db = django_settings.DATABASES["default"]
    credentials = quote(db["USER"] or "postgres")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"])
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _worker_env(*, broker: str, queue: str, fake) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "CELERY_TASK_ALWAYS_EAGER", "PYTEST_CURRENT_TEST"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="vigilance.settings",
        VIGILANCE_ALLOW_INSECURE_KEY="1",
        DATABASE_URL=_test_database_url(),
        REDIS_URL=broker,
        CELERY_QUEUE=queue,
        CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
        DELIVERY_STUCK_AFTER=str(STUCK_AFTER),
        ALERT_BATCH_SIZE=str(BATCH_SIZE),
        SMS_BACKEND="alerts.sms_backends.TwilioSmsBackend",
        TWILIO_ACCOUNT_SID=django_settings.TWILIO_ACCOUNT_SID,
        TWILIO_AUTH_TOKEN=django_settings.TWILIO_AUTH_TOKEN,
        TWILIO_FROM_NUMBER=django_settings.TWILIO_FROM_NUMBER,
        TWILIO_MESSAGING_SERVICE_SID="",
        TWILIO_BASE_URL=fake.base_url,
        TWILIO_TIMEOUT="5",
        EMAIL_URL="memory:",
        PYTHONUNBUFFERED="1",
    )
    return env


class Worker:
    """A `celery worker` subprocess in its own session, so that its pool dies with it."""

    def __init__(self, *, env: dict, queue: str, log: Path):
        self.log = log
        self._log_file = log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "vigilance", "worker", "-Q", queue, *WORKER_OPTIONS],
            cwd=PROJECT_DIR,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self) -> None:
        """SIGKILL to the main process and its pool children: no shutdown, no ack, no cleanup."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self._log_file.close()

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def _forget_queued_messages(broker: str, queue: str) -> None:
    """Drops what the killed worker left on the broker (its unacked batches) and our queue, so
    that no later test's worker gets these messages back after the visibility timeout."""
    import redis

    client = redis.Redis.from_url(broker)
    # kombu's Redis transport keeps unacked messages in these two keys (its defaults).
    for tag, raw in client.hgetall("unacked").items():
        if json.loads(raw)[2] == queue:
            client.pipeline().hdel("unacked", tag).zrem("unacked_index", tag).execute()
    client.delete(queue)


def _statuses(alert) -> dict:
    return dict(alert.deliveries.values_list("status").annotate(n=Count("id")))


@pytest.mark.django_db(transaction=True)
def test_every_member_gets_exactly_one_sms_after_a_worker_is_killed_mid_fan_out(
    settings, fake_twilio, broker_url, community, resident, tmp_path
):
    if connection.vendor != "postgresql":
        pytest.skip("worker subprocesses need a database they can share: set DATABASE_URL to PostgreSQL")
    queue = celery_app.conf.task_default_queue
    settings.DELIVERY_STUCK_AFTER = STUCK_AFTER
    settings.ALERT_BATCH_SIZE = BATCH_SIZE
    fake_twilio.delay = 0.02  # the fan-out takes a few seconds: there is time to kill it
    neighbours = [MembershipFactory(community=community).user for _ in range(MEMBERS)]
    env = _worker_env(broker=broker_url, queue=queue, fake=fake_twilio)
    celery_app.control.purge()
    workers = []
    try:
        workers.append(Worker(env=env, queue=queue, log=tmp_path / "worker-1.log"))
        alert = alert_publish(
            author=resident,
            community_id=community.id,
            category=Alert.Category.BURGLARY,
            urgency=Alert.Urgency.URGENT,
            description="Tentative de cambriolage rue des Lilas, deux hommes en scooter.",
            street="rue des Lilas",
        )
        started = wait_for(lambda: len(fake_twilio.accepted) >= KILL_AFTER_SMS, timeout=60, interval=0.01)
        assert started, workers[0].tail()
        workers[0].kill()
        accepted_before_restart = len(fake_twilio.accepted)
        assert accepted_before_restart < MEMBERS, "the fan-out ended before the worker was killed"

        # The killed worker's batches come back through the periodic recovery: the broker would
        # also hand its unacked messages back after the visibility timeout, but kombu only sweeps
        # for them when a worker starts and then every ~100 s (restore interval x throttle).
        workers.append(Worker(env=env, queue=queue, log=tmp_path / "worker-2.log"))

        def all_sent():
            return not alert.deliveries.exclude(status=Delivery.Status.SENT).exists()

        deadline = time.monotonic() + 60
        while not all_sent() and time.monotonic() < deadline:
            tasks.recover_stuck.delay()  # what the beat schedule runs, here every second
            wait_for(all_sent, timeout=1)

        assert all_sent(), (_statuses(alert), workers[1].tail())
        assert alert.deliveries.count() == 2 * MEMBERS  # one SMS and one email each
        assert fake_twilio.accepted_per_number() == {str(u.phone): 1 for u in neighbours}
    finally:
        for worker in workers:
            worker.kill()
        _forget_queued_messages(broker_url, queue)


# A batch that runs longer than DELIVERY_STUCK_AFTER keeps its unsent tail: deliveries are claimed
# one at a time, right before each is sent, so the recovery never takes one still being sent.


def _published_alert(author, community) -> Alert:
    alert = Alert.objects.create(
        kind=Alert.Kind.MEMBER,
        author=author,
        commune_id=community.neighbourhood.commune_id,
        category=Alert.Category.BURGLARY,
        urgency=Alert.Urgency.URGENT,
        description="Deux hommes essaient les portes des voitures.",
        street="rue des Lilas",
        status=Alert.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    alert.communities.add(community)
    return alert


def _queued_sms(alert, users) -> list[int]:
    rows = Delivery.objects.bulk_create(
        Delivery(alert=alert, recipient=u, channel=Delivery.Channel.SMS, to=str(u.phone)) for u in users
    )
    return [d.id for d in rows]


def _send_in_thread(ids: list[int]) -> threading.Thread:
    def run():
        try:
            deliveries_send(delivery_ids=ids)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.django_db(transaction=True)
def test_recovery_during_a_slow_batch_does_not_send_twice(settings, fake_twilio, community, resident):
    settings.DELIVERY_STUCK_AFTER = 1
    fake_twilio.delay = 0.1  # a slow provider: 30 SMS take 3 s or more
    neighbours = [MembershipFactory(community=community).user for _ in range(30)]
    ids = _queued_sms(_published_alert(resident, community), neighbours)

    first_worker = _send_in_thread(ids)
    time.sleep(1.5)  # the batch is past DELIVERY_STUCK_AFTER, half of it still to send
    recovered = deliveries_recover_stuck()  # the periodic task
    deliveries_send(delivery_ids=recovered)  # another worker takes what was recovered
    first_worker.join(timeout=30)

    assert fake_twilio.accepted_per_number() == {str(u.phone): 1 for u in neighbours}
