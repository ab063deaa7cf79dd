"""Fault tests: a worker killed during a check-in round. The round's messages are deliveries
like an alert's: once the recovery has run, each resident was asked exactly once, and the
round goes on (their OK closes it); the periodic task running again asks no one twice."""

import time
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from alerts import tasks
from alerts.checkin_models import CheckInRound
from alerts.models import Delivery
from alerts.services import checkin
from alerts.services.inbound import inbound_sms_handle
from alerts.services.recovery import deliveries_recover_stuck
from alerts.services.sending import deliveries_send
from alerts.tests.checkin_support import enrol, member_of
from alerts.tests.workers import Worker, forget_queued_messages, twilio_env, worker_env, worker_options
from conftest import wait_for
from vigilance.celery import app as celery_app

RESIDENTS = 60
KILL_AFTER_SMS = 15
STUCK_AFTER = 4


def _left_sending(delivery: Delivery, settings) -> None:
    """What a worker killed mid-send leaves: its claim, and no outcome."""
    stale = timezone.now() - timedelta(seconds=settings.DELIVERY_STUCK_AFTER + 1)
    Delivery.objects.filter(id=delivery.id).update(
        status=Delivery.Status.SENDING, claim_id=uuid.uuid4(), attempts=1, updated_at=stale
    )


@pytest.mark.django_db
@pytest.mark.parametrize("provider_had_it", [False, True])
def test_a_question_left_sending_is_recovered_and_sent_once(
    settings, community, resident, sms_outbox, provider_had_it
):
    enrol(resident, [member_of(community)])
    assert checkin.check_in_rounds_start() == 1
    [question] = Delivery.objects.filter(purpose=Delivery.Purpose.CHECK_IN)
    if provider_had_it:  # killed after Twilio accepted the SMS, before it was recorded
        assert deliveries_send(delivery_ids=[question.id]) == []
        Delivery.objects.filter(id=question.id).update(provider_id="")
    _left_sending(question, settings)
    assert checkin.check_in_rounds_start() == 0  # the beat runs meanwhile: no second round

    recovered = deliveries_recover_stuck()
    assert recovered == {"sms": [question.id]}
    assert deliveries_send(delivery_ids=recovered["sms"]) == []
    question.refresh_from_db()
    assert question.status == Delivery.Status.SENT
    assert [m["to"] for m in sms_outbox] == [str(resident.phone)]

    inbound_sms_handle(sid="SM-ok", from_phone=str(resident.phone), body="OK")
    assert CheckInRound.objects.get().status == CheckInRound.Status.ANSWERED


@pytest.mark.django_db(transaction=True)
def test_every_resident_is_asked_once_after_a_worker_is_killed_mid_round(
    settings, fake_twilio, broker_url, community, tmp_path
):
    if connection.vendor != "postgresql":
        pytest.skip("worker subprocesses need a database they can share: set DATABASE_URL to PostgreSQL")
    queue = celery_app.conf.task_default_queue
    settings.DELIVERY_STUCK_AFTER = STUCK_AFTER
    settings.ALERT_BATCH_SIZE = 10
    fake_twilio.delay = 0.05
    neighbour = member_of(community)
    residents = [member_of(community) for _ in range(RESIDENTS)]
    for resident in residents:
        enrol(resident, [neighbour])
    env = worker_env(
        broker=broker_url,
        queue=queue,
        CELERY_VISIBILITY_TIMEOUT="5",
        DELIVERY_STUCK_AFTER=str(STUCK_AFTER),
        ALERT_BATCH_SIZE="10",
        **twilio_env(fake_twilio),
    )
    options = worker_options(concurrency=2)
    celery_app.control.purge()
    workers = []
    try:
        workers.append(Worker(env=env, queue=queue, log=tmp_path / "worker-1.log", options=options))
        assert checkin.check_in_rounds_start() == RESIDENTS  # queued on commit (autocommit here)
        started = wait_for(lambda: len(fake_twilio.accepted) >= KILL_AFTER_SMS, timeout=60, interval=0.01)
        assert started, workers[0].tail()
        workers[0].kill()
        assert len(fake_twilio.accepted) < RESIDENTS, "the round ended before the worker was killed"
        assert checkin.check_in_rounds_start() == 0  # the beat's next tick: no round twice

        workers.append(Worker(env=env, queue=queue, log=tmp_path / "worker-2.log", options=options))
        questions = Delivery.objects.filter(purpose=Delivery.Purpose.CHECK_IN)

        def all_sent():
            return not questions.exclude(status=Delivery.Status.SENT).exists()

        deadline = time.monotonic() + 60
        while not all_sent() and time.monotonic() < deadline:
            tasks.recover_stuck.delay()
            wait_for(all_sent, timeout=1)
        assert all_sent(), workers[1].tail()
        assert questions.count() == RESIDENTS
        assert fake_twilio.accepted_per_number() == {str(r.phone): 1 for r in residents}
        assert CheckInRound.objects.filter(status=CheckInRound.Status.ASKED).count() == RESIDENTS
    finally:
        for worker in workers:
            worker.kill()
        forget_queued_messages(broker_url, queue)
