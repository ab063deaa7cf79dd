"""The periodic recovery: two sweeps that overlap never take the same delivery, a stuck SMS is
checked with the provider by the batches (not one lookup after another in the sweep), and an
alert whose fan-out never started is picked up within a minute."""

import datetime
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from alerts import tasks
from alerts.models import Delivery
from alerts.services.recovery import deliveries_recover_stuck
from alerts.tests.factories import AlertFactory, DeliveryFactory
from neighbourhoods.tests.factories import MembershipFactory


@pytest.fixture
def aged(community, resident, settings):
    """Makes deliveries that have sat in `status` for `age` seconds."""
    alert = AlertFactory(author=resident, commune=community.neighbourhood.commune, communities=[community])

    def make(status, *, channel=Delivery.Channel.SMS, age):
        member = MembershipFactory(community=community).user
        delivery = DeliveryFactory(alert=alert, recipient=member, status=status, channel=channel)
        Delivery.objects.filter(id=delivery.id).update(
            updated_at=timezone.now() - datetime.timedelta(seconds=age)
        )
        return delivery

    return make


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_never_take_the_same_delivery(aged, settings):
    stuck = [aged(Delivery.Status.SENDING, age=settings.DELIVERY_STUCK_AFTER + 1) for _ in range(3)]
    lost = [aged(Delivery.Status.QUEUED, age=settings.DELIVERY_LOST_AFTER + 1) for _ in range(3)]
    taken_by_first, first_done, second_done = {}, threading.Event(), threading.Event()

    def first_sweep():
        try:
            with transaction.atomic():  # holds its row locks until the second sweep has run
                taken_by_first.update(deliveries_recover_stuck())
                first_done.set()
                second_done.wait(timeout=10)
        finally:
            first_done.set()
            connection.close()

    thread = threading.Thread(target=first_sweep)
    thread.start()
    assert first_done.wait(timeout=10)
    taken_by_second = deliveries_recover_stuck()
    second_done.set()
    thread.join(timeout=10)

    assert sorted(taken_by_first["sms"]) == sorted(d.id for d in stuck + lost)
    assert taken_by_second == {}
    assert deliveries_recover_stuck() == {}  # and once the first has committed, nothing is left
    statuses = dict(Delivery.objects.values_list("id", "status"))
    assert {statuses[d.id] for d in stuck} == {Delivery.Status.CHECKING}
    assert {statuses[d.id] for d in lost} == {Delivery.Status.QUEUED}


@pytest.mark.django_db
def test_a_stuck_delivery_is_not_looked_up_by_the_sweep(aged, settings, fake_twilio):
    """The sweep only marks it: the batch task that takes it asks Twilio, in parallel with the
    others, instead of one lookup after another in the sweep."""
    stuck = aged(Delivery.Status.SENDING, age=settings.DELIVERY_STUCK_AFTER + 1)

    assert deliveries_recover_stuck() == {"sms": [stuck.id]}
    assert fake_twilio.requests == []
    stuck.refresh_from_db()
    assert (stuck.status, stuck.not_before) == (Delivery.Status.CHECKING, None)


@pytest.mark.django_db
def test_an_alert_whose_fan_out_never_started_is_picked_up_within_a_minute(aged, settings):
    """The broker was down when the alert was published: its deliveries sit queued. The sweep
    runs every 15 s and takes them once they are DELIVERY_LOST_AFTER old."""
    schedule = settings.CELERY_BEAT_SCHEDULE["recover-stuck-deliveries"]["schedule"]
    assert settings.DELIVERY_LOST_AFTER + schedule <= 60
    never_sent = [aged(Delivery.Status.QUEUED, age=settings.DELIVERY_LOST_AFTER + 1) for _ in range(2)]
    email = aged(Delivery.Status.QUEUED, channel=Delivery.Channel.EMAIL, age=settings.DELIVERY_LOST_AFTER + 1)

    assert deliveries_recover_stuck() == {"sms": [d.id for d in never_sent], "email": [email.id]}


@pytest.mark.django_db
def test_after_a_crash_urgent_sms_wait_at_most_two_minutes_with_the_production_defaults(settings):
    """Worst case: claimed just before the crash, found stuck after DELIVERY_STUCK_AFTER, by a
    sweep up to one interval later; then checked and sent within seconds."""
    schedule = settings.CELERY_BEAT_SCHEDULE["recover-stuck-deliveries"]["schedule"]
    assert settings.DELIVERY_STUCK_AFTER + schedule <= 90
    assert tasks.PRIORITY[Delivery.Channel.SMS] < tasks.PRIORITY[Delivery.Channel.EMAIL]
