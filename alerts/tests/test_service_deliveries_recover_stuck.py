"""deliveries_recover_stuck, against the fake Twilio: a delivery whose worker died is checked
with Twilio by the batch that takes it: recorded as sent if Twilio accepted the SMS, never
re-sent; one Twilio never saw is sent once."""

import datetime

import pytest
from django.utils import timezone

from alerts import tasks
from alerts.messages import sms_text
from alerts.models import Delivery
from alerts.services.recovery import deliveries_recover_stuck
from alerts.services.sending import deliveries_send
from alerts.sms_backends import get_sms_backend
from alerts.tests.factories import AlertFactory, DeliveryFactory
from neighbourhoods.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert(community, resident):
    return AlertFactory(author=resident, commune=community.neighbourhood.commune, communities=[community])


@pytest.fixture
def stuck(alert, community, settings):
    """Makes an SMS delivery that has sat in `status` for longer than DELIVERY_STUCK_AFTER."""

    # Older than the stuck threshold: nothing can still be coming for it.
    def make(status, *, age=settings.DELIVERY_STUCK_AFTER + 60):
        member = MembershipFactory(community=community).user
        delivery = DeliveryFactory(alert=alert, recipient=member, status=status, attempts=1)
        Delivery.objects.filter(id=delivery.id).update(
            updated_at=timezone.now() - datetime.timedelta(seconds=age)
        )
        delivery.refresh_from_db()
        return delivery

    return make


def test_sending_delivery_that_twilio_accepted_is_marked_sent_with_its_sid_and_not_resent(
    fake_twilio, stuck, run_tasks
):
    delivery = stuck(Delivery.Status.SENDING)
    sid = get_sms_backend().send(to=delivery.to, body=sms_text(delivery))  # before the worker died

    assert tasks.recover_stuck() == 1  # queued to be checked
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert delivery.provider_id == sid
    assert delivery.sent_at is not None
    assert fake_twilio.accepted_per_number()[delivery.to] == 1


def test_sending_delivery_that_twilio_never_saw_is_requeued_and_sent_once(fake_twilio, stuck, run_tasks):
    delivery = stuck(Delivery.Status.SENDING)
    assert deliveries_recover_stuck() == {"sms": [delivery.id]}
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.CHECKING  # Twilio is asked before any re-send

    tasks.queue_batches({"sms": [delivery.id]})
    tasks.recover_stuck()  # running the periodic task again right away sends nothing more
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert delivery.provider_id.startswith("SM")
    assert fake_twilio.accepted_per_number()[delivery.to] == 1
    assert f"/a/{delivery.alert_id}" in fake_twilio.accepted[0]["Body"]


def test_the_periodic_task_requeues_and_sends_in_one_go(fake_twilio, stuck, run_tasks):
    delivery = stuck(Delivery.Status.SENDING)
    assert tasks.recover_stuck() == 1
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert fake_twilio.accepted_per_number()[delivery.to] == 1


def test_queued_delivery_older_than_the_threshold_is_requeued_and_sent(
    fake_twilio, stuck, run_tasks, settings
):
    delivery = stuck(Delivery.Status.QUEUED)
    assert deliveries_recover_stuck() == {"sms": [delivery.id]}
    stuck_again = timezone.now() - datetime.timedelta(seconds=settings.DELIVERY_LOST_AFTER + 1)
    Delivery.objects.filter(id=delivery.id).update(updated_at=stuck_again)  # that task was lost too
    assert tasks.recover_stuck() == 1
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert fake_twilio.accepted_per_number()[delivery.to] == 1


def test_recent_deliveries_are_left_alone(fake_twilio, stuck, settings):
    recent = min(settings.DELIVERY_STUCK_AFTER, settings.DELIVERY_LOST_AFTER) - 10
    sending, queued = stuck(Delivery.Status.SENDING, age=recent), stuck(Delivery.Status.QUEUED, age=recent)
    assert deliveries_recover_stuck() == {}
    assert Delivery.objects.get(id=sending.id).status == Delivery.Status.SENDING
    assert Delivery.objects.get(id=queued.id).status == Delivery.Status.QUEUED
    assert fake_twilio.requests == []


@pytest.mark.parametrize(
    "status",
    [
        Delivery.Status.SENT,
        Delivery.Status.DELIVERED,
        Delivery.Status.FAILED,
        Delivery.Status.CANCELLED,
        Delivery.Status.SCHEDULED,
    ],
)
def test_finished_or_scheduled_deliveries_are_never_touched(fake_twilio, stuck, status):
    delivery = stuck(status)
    assert deliveries_recover_stuck() == {}
    assert Delivery.objects.get(id=delivery.id).status == status
    assert fake_twilio.requests == []


def test_an_sms_of_another_alert_to_the_same_number_is_not_taken_for_the_stuck_one(
    fake_twilio, stuck, community, resident, run_tasks
):
    """The member received a later alert; the stuck delivery itself never reached Twilio."""
    delivery = stuck(Delivery.Status.SENDING)
    later = AlertFactory(author=resident, commune=community.neighbourhood.commune, communities=[community])
    other = DeliveryFactory(alert=later, recipient=delivery.recipient)
    deliveries_send(delivery_ids=[other.id])
    other.refresh_from_db()
    assert other.status == Delivery.Status.SENT

    tasks.recover_stuck()
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert delivery.provider_id != other.provider_id
    assert fake_twilio.accepted_per_number()[delivery.to] == 2  # the later alert, then this one


def test_a_queued_delivery_waiting_for_its_retry_is_left_alone_until_long_past_its_due_time(
    fake_twilio, stuck, settings
):
    """A transient failure long ago, retried after a long backoff: its retry task is still to come."""
    waiting = stuck(Delivery.Status.QUEUED, age=settings.DELIVERY_STUCK_AFTER * 3)
    due = timezone.now() + datetime.timedelta(seconds=60)
    Delivery.objects.filter(id=waiting.id).update(not_before=due)
    assert deliveries_recover_stuck() == {}

    # Its due time passed long ago and nothing came: the retry task was lost.
    long_past = timezone.now() - datetime.timedelta(seconds=settings.DELIVERY_LOST_AFTER + 1)
    Delivery.objects.filter(id=waiting.id).update(not_before=long_past)
    assert deliveries_recover_stuck() == {"sms": [waiting.id]}
    assert fake_twilio.accepted_per_number()[waiting.to] == 0


def test_another_text_to_the_same_number_is_not_taken_for_this_delivery(fake_twilio, stuck, run_tasks):
    delivery = stuck(Delivery.Status.SENDING)
    get_sms_backend().send(to=delivery.to, body="Another alert, sent later")
    assert deliveries_recover_stuck() == {"sms": [delivery.id]}
