"""A worker killed with SIGKILL in the middle of a fan-out: once a worker runs again, and the
periodic recovery with it, every member has received exactly one SMS.

The workers are real `celery worker` subprocesses (prefork) on the real broker, talking to
the test database and, through the twilio SDK, to the fake Twilio of this process.
"""

import threading
import time

import pytest
from django.db import connection
from django.utils import timezone

from alerts import tasks
from alerts.models import Alert, Delivery
from alerts.services.publishing import alert_publish
from alerts.services.recovery import deliveries_recover_stuck
from alerts.services.sending import deliveries_send
from alerts.tests.workers import (
    Worker,
    forget_queued_messages,
    statuses,
    twilio_env,
    worker_env,
    worker_options,
)
from conftest import wait_for
from neighbourhoods.tests.factories import MembershipFactory
from vigilance.celery import app as celery_app

MEMBERS = 150
KILL_AFTER_SMS = 30

# Production timings scaled down to seconds; batches of 20, so that the killed worker leaves
# batches in progress, batches it had reserved, and batches still on the queue.
BATCH_SIZE = 20
STUCK_AFTER = 4
VISIBILITY_TIMEOUT = 5
WORKER_OPTIONS = worker_options(concurrency=2)


def _worker_env(*, broker: str, queue: str, fake) -> dict:
    return worker_env(
        broker=broker,
        queue=queue,
        CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
        DELIVERY_STUCK_AFTER=str(STUCK_AFTER),
        ALERT_BATCH_SIZE=str(BATCH_SIZE),
        **twilio_env(fake),
    )


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
        workers.append(Worker(env=env, queue=queue, log=tmp_path / "worker-1.log", options=WORKER_OPTIONS))
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
        workers.append(Worker(env=env, queue=queue, log=tmp_path / "worker-2.log", options=WORKER_OPTIONS))

        def all_sent():
            return not alert.deliveries.exclude(status=Delivery.Status.SENT).exists()

        deadline = time.monotonic() + 60
        while not all_sent() and time.monotonic() < deadline:
            tasks.recover_stuck.delay()  # what the beat schedule runs, here every second
            wait_for(all_sent, timeout=1)

        assert all_sent(), (statuses(alert), workers[1].tail())
        assert alert.deliveries.count() == 2 * MEMBERS  # one SMS and one email each
        assert fake_twilio.accepted_per_number() == {str(u.phone): 1 for u in neighbours}
    finally:
        for worker in workers:
            worker.kill()
        forget_queued_messages(broker_url, queue)


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
