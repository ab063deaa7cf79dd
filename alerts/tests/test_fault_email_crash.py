"""A worker killed with SIGKILL in the middle of the email phase of a fan-out: once a worker
runs again, and the periodic recovery with it, every member has their email, and only the
messages that were in flight when the worker died (one per pool process) may have gone twice.

Emails cannot be checked with the mail server afterwards: what tells a sent email from an
unsent one is the record of each outcome as soon as the server accepts the message. The
workers are real `celery worker` subprocesses (prefork) on the real broker, talking to the
test database and, through Django's SMTP backend, to the SMTP sink of this process, which
answers each message a little late: the worker dies with messages handed off but unanswered.
"""

import time

import pytest
from django.db import connection

from alerts import tasks
from alerts.models import Alert, Delivery
from alerts.services.publishing import alert_publish
from alerts.tests.workers import (
    Worker,
    forget_queued_messages,
    smtp_env,
    statuses,
    worker_env,
    worker_options,
)
from conftest import wait_for
from neighbourhoods.tests.factories import MembershipFactory
from vigilance.celery import app as celery_app

MEMBERS = 120
CONCURRENCY = 2  # prefork processes of each worker: each has at most one email in flight
SINK_DELAY = 0.05  # seconds before the sink answers each message: 120 emails take ~3 s
# Batches are of 20 (tasks.batch_size) and the two processes run theirs side by side: 50 is
# mid-batch for both, not at the end of one (as 40 would be).
KILL_AFTER_EMAILS = 50

# Production timings scaled down to seconds (settings.DELIVERY_*).
BATCH_SIZE = 20
STUCK_AFTER = 4
LOST_AFTER = 4
CHECK_AFTER = 1
VISIBILITY_TIMEOUT = 5
FINAL = {Delivery.Status.SENT, Delivery.Status.DELIVERED, Delivery.Status.FAILED, Delivery.Status.CANCELLED}


def _worker_env(*, broker: str, queue: str, sink) -> dict:
    return worker_env(
        broker=broker,
        queue=queue,
        CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
        CELERY_WORKER_CONCURRENCY=str(CONCURRENCY),
        DELIVERY_STUCK_AFTER=str(STUCK_AFTER),
        DELIVERY_LOST_AFTER=str(LOST_AFTER),
        DELIVERY_CHECK_AFTER=str(CHECK_AFTER),
        ALERT_BATCH_SIZE=str(BATCH_SIZE),
        **smtp_env(sink),
    )


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_email_phase_doubles_at_most_the_emails_in_flight(
    settings, smtp_sink, broker_url, community, resident, tmp_path
):
    if connection.vendor != "postgresql":
        pytest.skip("worker subprocesses need a database they can share: set DATABASE_URL to PostgreSQL")
    queue = celery_app.conf.task_default_queue
    settings.DELIVERY_STUCK_AFTER = STUCK_AFTER
    settings.DELIVERY_LOST_AFTER = LOST_AFTER
    settings.DELIVERY_CHECK_AFTER = CHECK_AFTER
    settings.ALERT_BATCH_SIZE = BATCH_SIZE
    smtp_sink.delay = SINK_DELAY
    # No verified mobile: email only.
    members = [
        MembershipFactory(community=community, user__phone_verified_at=None).user for _ in range(MEMBERS)
    ]
    env = _worker_env(broker=broker_url, queue=queue, sink=smtp_sink)
    options = worker_options(concurrency=CONCURRENCY)
    celery_app.control.purge()
    workers, killed = [], []
    try:
        workers.append(Worker(env=env, queue=queue, log=tmp_path / "worker-1.log", options=options))
        alert = alert_publish(
            author=resident,
            community_id=community.id,
            category=Alert.Category.BURGLARY,
            urgency=Alert.Urgency.URGENT,
            description="Tentative de cambriolage rue des Lilas, deux hommes en scooter.",
            street="rue des Lilas",
        )
        assert set(alert.deliveries.values_list("channel", flat=True)) == {Delivery.Channel.EMAIL}
        started = wait_for(lambda: smtp_sink.count >= KILL_AFTER_EMAILS, timeout=60, interval=0.01)
        assert started, workers[0].tail()
        workers[0].kill()
        killed.append(workers[0])
        assert smtp_sink.count < MEMBERS, "the email phase ended before the worker was killed"

        workers.append(Worker(env=env, queue=queue, log=tmp_path / "worker-2.log", options=options))

        def all_final():
            return not alert.deliveries.exclude(status__in=FINAL).exists()

        deadline = time.monotonic() + 60
        while not all_final() and time.monotonic() < deadline:
            tasks.recover_stuck.delay()  # what the beat schedule runs, here every second
            wait_for(all_final, timeout=1)

        assert all_final(), (statuses(alert), workers[1].tail())
        received = smtp_sink.per_recipient()
        addresses = {u.email for u in members}
        assert addresses - set(received) == set(), "members who never received the email"
        assert set(received) - addresses == set(), "emails to someone else"
        twice = {a: n for a, n in received.items() if n == 2}
        in_flight_at_most = len(killed) * CONCURRENCY
        assert len(twice) <= in_flight_at_most, (
            f"{len(twice)} members received the email twice; at most {in_flight_at_most} were in flight"
        )
        assert {a: n for a, n in received.items() if n > 2} == {}, "members who received it 3 times or more"
        sent = alert.deliveries.filter(channel=Delivery.Channel.EMAIL, status=Delivery.Status.SENT)
        assert sent.count() == MEMBERS, statuses(alert)
    finally:
        for worker in workers:
            worker.kill()
        forget_queued_messages(broker_url, queue)
